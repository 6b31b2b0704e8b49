#include "store/table_repair.hpp"

#include <algorithm>
#include <cmath>

namespace geo {

bool unusableVertex(double x, double y, bool geographic) {
    if (!std::isfinite(x) || !std::isfinite(y)) return true;
    if (std::fabs(x) > kAbsurdCoordinate || std::fabs(y) > kAbsurdCoordinate) return true;
    return geographic && (std::fabs(x) > 540.0 || std::fabs(y) > 90.0 + 1e-9);
}

VertexRepair dropUnusableVertices(FeatureTable& t, bool geographic) {
    VertexRepair r;
    const size_t n = t.vertexCount();
    // First whether any is: unusableVertex's test without branches (NaN fails every comparison), a block at a time.
    const double limitX = geographic ? 540.0 : kAbsurdCoordinate, limitY = geographic ? 90.0 + 1e-9 : kAbsurdCoordinate;
    bool any = false;
    for (size_t i = 0; i < n && !any; i += 4096) {
        const double* xy = t.xy.data();
        int bad = 0;
        for (size_t k = i, e = std::min(n, i + 4096); k < e; ++k)
            bad |= int(!(std::fabs(xy[2 * k]) <= limitX)) | int(!(std::fabs(xy[2 * k + 1]) <= limitY));
        any = bad != 0;
    }
    if (!any) return r;

    std::vector<double> xy;
    std::vector<uint32_t> ringEnds, partEnds, featureEnds;
    xy.reserve(t.xy.size());
    ringEnds.reserve(t.ringEnds.size());
    partEnds.reserve(t.partEnds.size());
    featureEnds.reserve(t.featureEnds.size());
    for (size_t f = 0; f < t.featureCount(); ++f) {
        const size_t partsBefore = partEnds.size();
        size_t dropped = 0;
        for (uint32_t p = t.partBegin(f); p < t.partEnd(f); ++p) {
            const size_t ringsBefore = ringEnds.size(), xyBefore = xy.size();
            bool shellGone = false;
            for (uint32_t ring = t.ringBegin(p); ring < t.ringEnd(p); ++ring) {
                size_t kept = 0;
                for (uint32_t v = t.vertexBegin(ring); v < t.vertexEnd(ring); ++v) {
                    const double x = t.xy[2 * size_t(v)], y = t.xy[2 * size_t(v) + 1];
                    if (unusableVertex(x, y, geographic)) {
                        ++dropped;
                        continue;
                    }
                    xy.push_back(x);
                    xy.push_back(y);
                    ++kept;
                }
                if (kept) {
                    ringEnds.push_back(static_cast<uint32_t>(xy.size() / 2));
                } else if (ring == t.ringBegin(p) && t.kinds[f] == GeomKind::Polygon) {
                    shellGone = true;  // its holes have nothing to be holes of
                    break;
                }
            }
            if (shellGone) {
                xy.resize(xyBefore);
                ringEnds.resize(ringsBefore);
                for (uint32_t ring = t.ringBegin(p); ring < t.ringEnd(p); ++ring)  // the rest of the part's bad ones
                    for (uint32_t v = t.vertexBegin(ring); v < t.vertexEnd(ring); ++v)
                        if (ring != t.ringBegin(p) && unusableVertex(t.xy[2 * size_t(v)], t.xy[2 * size_t(v) + 1], geographic))
                            ++dropped;
                continue;
            }
            if (ringEnds.size() > ringsBefore) partEnds.push_back(static_cast<uint32_t>(ringEnds.size()));
        }
        featureEnds.push_back(static_cast<uint32_t>(partEnds.size()));
        if (dropped) {
            r.vertices += dropped;
            ++r.features;
            if (partEnds.size() == partsBefore) {
                ++r.emptied;
                t.kinds[f] = GeomKind::None;
            }
        }
    }
    t.xy = std::move(xy);
    t.ringEnds = std::move(ringEnds);
    t.partEnds = std::move(partEnds);
    t.featureEnds = std::move(featureEnds);
    return r;
}

std::string describe(const VertexRepair& r, bool geographic) {
    if (!r.vertices) return "";
    std::string s = std::to_string(r.vertices) + (r.vertices == 1 ? " vertex" : " vertices") +
                    " with non-finite or absurd coordinates (NaN, infinite, beyond 1e10" +
                    (geographic ? ", or outside +-540 longitude / +-90 latitude" : "") + ") not drawn (in " +
                    std::to_string(r.features) + (r.features == 1 ? " feature" : " features");
    if (r.emptied) s += ", " + std::to_string(r.emptied) + " left without geometry";
    return s + ")";
}

}  // namespace geo

namespace geo {

namespace {
bool drawable(const FeatureTable& t, size_t f) {
    for (uint32_t p = t.partBegin(f); p < t.partEnd(f); ++p)
        for (uint32_t r = t.ringBegin(p); r < t.ringEnd(p); ++r) {
            const uint32_t v0 = t.vertexBegin(r), v1 = t.vertexEnd(r);
            if (v1 > v0 && t.kinds[f] == GeomKind::Point) return true;
            for (uint32_t v = v0 + 1; v < v1; ++v)
                if (t.xy[2 * size_t(v)] != t.xy[2 * size_t(v0)] || t.xy[2 * size_t(v) + 1] != t.xy[2 * size_t(v0) + 1])
                    return true;
        }
    return false;
}
}  // namespace

size_t drawableFeatureCount(const FeatureTable& t) {
    size_t n = 0;
    for (size_t f = 0; f < t.featureCount(); ++f) n += drawable(t, f);
    return n;
}

bool anyDrawableFeature(const FeatureTable& t) {
    for (size_t f = 0; f < t.featureCount(); ++f)
        if (drawable(t, f)) return true;
    return false;
}

}  // namespace geo

// One part: rings in (rings.cpp), holes bridged (holes.cpp), ears clipped (ear_clip.cpp), the result checked
// against the rings' area. And the loop over a table's parts, with progress and cancellation.
#include "tessellate/tessellate.hpp"

#include <cmath>

#include "tessellate/clipper.hpp"

namespace geo {

namespace {
// Relative difference between the triangles' area and the bridged ring's beyond which a part counts as forced;
// rounding alone stays many orders of magnitude below it.
constexpr double kAreaTolerance = 1e-7;

std::string counted(size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}
}  // namespace

TessStats& TessStats::operator+=(const TessStats& o) {
    polygons += o.polygons;
    skipped += o.skipped;
    forced += o.forced;
    holesDropped += o.holesDropped;
    ringsDropped += o.ringsDropped;
    nonFiniteVertices += o.nonFiniteVertices;
    repeatedVertices += o.repeatedVertices;
    return *this;
}

std::vector<std::string> tessWarnings(const TessStats& s) {
    std::vector<std::string> w;
    if (s.skipped)
        w.push_back(counted(s.skipped, "degenerate polygon part", "degenerate polygon parts") +
                    " not drawn (fewer than 3 distinct points or no area)");
    if (s.forced)
        w.push_back(
            counted(s.forced, "invalid (self-intersecting) polygon part", "invalid (self-intersecting) polygon parts") +
            " drawn approximately");
    if (s.holesDropped)
        w.push_back(counted(s.holesDropped, "hole", "holes") + " outside their polygon not cut out (drawn filled)");
    if (s.nonFiniteVertices)
        w.push_back(counted(s.nonFiniteVertices, "vertex", "vertices") +
                    " with non-finite (NaN or infinite) coordinates left out of their rings");
    return w;
}

Tessellator::Tessellator() : clipper_(std::make_unique<tess::Clipper>()) {}
Tessellator::~Tessellator() = default;

bool Tessellator::triangulate(const double* xy, const Rings& rings, std::vector<uint32_t>& out, TessStats& stats) {
    const TessStats statsBefore = stats;
    ++stats.polygons;
    tess::Clipper& c = *clipper_;
    size_t vertices = 0;
    for (auto [begin, end] : rings) vertices += end > begin ? end - begin : 0;
    // The shell, then the holes; -1 when the shell was dropped.
    auto addRings = [&](double scale) {
        c.begin(out, stats, vertices, &cancel_);
        ringFirst_.clear();
        const int outer = rings.empty() ? -1 : c.addRing(xy, rings[0].first, rings[0].second, false, scale);
        if (outer < 0) return -1;
        ringFirst_.push_back(outer);
        for (size_t r = 1; r < rings.size(); ++r)
            if (int h = c.addRing(xy, rings[r].first, rings[r].second, true, scale); h >= 0) ringFirst_.push_back(h);
        return outer;
    };
    int outer = addRings(1);
    if (const double scale = c.rescale(); scale != 1) {  // coordinates near the ends of the double range
        stats = statsBefore;
        ++stats.polygons;
        outer = addRings(scale);
    }
    if (outer < 0) {
        ++stats.skipped;
        return false;
    }
    if (ringFirst_.size() > 1) c.bridgeHoles(ringFirst_);

    const double ringArea2 = c.outerArea2();
    const size_t before = out.size();
    c.clipPart(outer);
    // Clipping a valid ring removes only counter-clockwise ears, whose areas add up to the ring's exactly. A
    // self-intersecting ring (whose lobes' signed areas cancel) leaves clockwise or overlapping triangles behind,
    // so the areas disagree; that is checked in linear time, with no pairwise edge test.
    const double trianglesArea2 = c.trianglesArea2();
    if (c.forced() || std::abs(trianglesArea2 - ringArea2) > kAreaTolerance * trianglesArea2) ++stats.forced;
    if (out.size() == before) {
        ++stats.skipped;
        return false;
    }
    return true;
}

std::vector<uint32_t> tessellatePolygons(const FeatureTable& table,
                                         TessStats& stats,
                                         std::vector<uint32_t>* partEnds,
                                         JobProgress* progress) {
    std::vector<uint32_t> out;
    if (partEnds) {
        partEnds->clear();
        partEnds->reserve(table.partCount());
    }
    out.reserve(table.vertexCount() * 3);
    Tessellator tess;
    if (progress) tess.setCancelCheck([progress] { return progress->cancelled(); });
    const double total = static_cast<double>(std::max<size_t>(1, table.vertexCount()));
    constexpr uint32_t kProgressStep = 1 << 16;  // vertices between progress updates
    uint32_t nextReport = kProgressStep;
    Tessellator::Rings rings;
    for (size_t f = 0; f < table.featureCount(); ++f) {
        const bool polygon = table.kinds[f] == GeomKind::Polygon;
        for (uint32_t part = table.partBegin(f); part < table.partEnd(f); ++part) {
            if (polygon) {
                rings.clear();
                for (uint32_t r = table.ringBegin(part); r < table.ringEnd(part); ++r)
                    rings.push_back({table.vertexBegin(r), table.vertexEnd(r)});
                tess.triangulate(table.xy.data(), rings, out, stats);
                if (progress && !rings.empty() && rings.back().second >= nextReport) {
                    progress->throwIfCancelled();
                    progress->set(static_cast<float>(rings.back().second / total));
                    nextReport = rings.back().second + kProgressStep;
                }
            }
            if (partEnds) partEnds->push_back(static_cast<uint32_t>(out.size()));
        }
    }
    return out;
}

}  // namespace geo

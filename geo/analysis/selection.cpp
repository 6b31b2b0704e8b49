// [SECTION] Geometry predicates: segments, the lasso index, the rectangle
// [SECTION] Selection
// [SECTION] Statistics
// (Writing a selection out: selection_export.cpp.)
#include "analysis/selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

#include "analysis/measure.hpp"
#include "core/error.hpp"

namespace geo {

namespace {

// [SECTION] Geometry predicates

double orient(double ax, double ay, double bx, double by, double cx, double cy) {
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

// c lies within the bounding box of ab (used once a, b, c are known to be collinear).
bool withinBox(double ax, double ay, double bx, double by, double cx, double cy) {
    return std::min(ax, bx) <= cx && cx <= std::max(ax, bx) && std::min(ay, by) <= cy && cy <= std::max(ay, by);
}

// Closed segments ab and cd share a point (touching and collinear overlap included).
bool segmentsIntersect(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
    const double d1 = orient(cx, cy, dx, dy, ax, ay), d2 = orient(cx, cy, dx, dy, bx, by);
    const double d3 = orient(ax, ay, bx, by, cx, cy), d4 = orient(ax, ay, bx, by, dx, dy);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    return (d1 == 0 && withinBox(cx, cy, dx, dy, ax, ay)) || (d2 == 0 && withinBox(cx, cy, dx, dy, bx, by)) ||
           (d3 == 0 && withinBox(ax, ay, bx, by, cx, cy)) || (d4 == 0 && withinBox(ax, ay, bx, by, dx, dy));
}

struct Edge {
    double x0, y0, x1, y1;
};

// The lasso, its edges bucketed into horizontal bands: a point-in-polygon test or a segment test looks only at
// the edges whose y-range meets the bands it spans, so long freehand lassos stay cheap.
class LassoIndex {
public:
    explicit LassoIndex(const std::vector<double>& ring) {
        // Vertices that failed to transform into the table's CRS come as inf or NaN: leave them out.
        std::vector<double> v;
        for (size_t i = 0; i + 1 < ring.size(); i += 2)
            if (std::isfinite(ring[i]) && std::isfinite(ring[i + 1])) v.insert(v.end(), {ring[i], ring[i + 1]});
        size_t n = v.size() / 2;
        if (n >= 2 && v[0] == v[2 * n - 2] && v[1] == v[2 * n - 1]) --n;  // drop a closing vertex
        if (n < 3) return;
        for (size_t i = 0; i < n; ++i) {
            const size_t j = (i + 1) % n;
            edges_.push_back({v[2 * i], v[2 * i + 1], v[2 * j], v[2 * j + 1]});
            box_.add(v[2 * i], v[2 * i + 1]);
        }
        probeX_ = v[0];
        probeY_ = v[1];
        // About one band per edge; fewer when tall edges would repeat in too many bands (a spiky lasso).
        bands_ = static_cast<int>(std::clamp<size_t>(n, 1, 4096));
        for (;;) {
            bandHeight_ = box_.height() > 0 ? box_.height() / bands_ : 1.0;
            if (bands_ == 1 || bandEntries() <= 16 * n) break;
            bands_ /= 2;
        }
        bucketEdges();
    }

    bool empty() const { return edges_.empty() || box_.empty(); }
    const BBox& box() const { return box_; }
    double probeX() const { return probeX_; }
    double probeY() const { return probeY_; }

    // Even-odd rule; crossings counted on the half-open rule, so a point on a horizontal edge is decided once.
    bool contains(double x, double y) const {
        if (!box_.contains(x, y)) return false;
        bool inside = false;
        const int b = band(y);
        for (uint32_t k = bandBegin_[b]; k < bandBegin_[b + 1]; ++k) {
            const Edge& e = edges_[bandEdges_[k]];
            if ((e.y0 > y) == (e.y1 > y)) continue;
            const double xi = e.x0 + (y - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
            if (x < xi) inside = !inside;
        }
        return inside;
    }

    bool crosses(double ax, double ay, double bx, double by) const {
        const double minX = std::min(ax, bx), maxX = std::max(ax, bx);
        const double minY = std::min(ay, by), maxY = std::max(ay, by);
        if (maxX < box_.minX || minX > box_.maxX || maxY < box_.minY || minY > box_.maxY) return false;
        for (int b = band(minY), last = band(maxY); b <= last; ++b) {
            for (uint32_t k = bandBegin_[b]; k < bandBegin_[b + 1]; ++k) {
                const Edge& e = edges_[bandEdges_[k]];
                if (std::max(e.x0, e.x1) < minX || std::min(e.x0, e.x1) > maxX || std::max(e.y0, e.y1) < minY ||
                    std::min(e.y0, e.y1) > maxY)
                    continue;
                if (segmentsIntersect(ax, ay, bx, by, e.x0, e.y0, e.x1, e.y1)) return true;
            }
        }
        return false;
    }

private:
    int band(double y) const {
        const double b = std::floor((y - box_.minY) / bandHeight_);
        return b <= 0 ? 0 : b >= bands_ - 1 ? bands_ - 1 : static_cast<int>(b);
    }
    // Compressed rows: the edges of band b are bandEdges_[bandBegin_[b] .. bandBegin_[b + 1]).
    size_t bandEntries() const {
        size_t sum = 0;
        for (const Edge& e : edges_) sum += band(std::max(e.y0, e.y1)) - band(std::min(e.y0, e.y1)) + 1;
        return sum;
    }
    void bucketEdges() {
        bandBegin_.assign(bands_ + 1, 0);
        for (const Edge& e : edges_)
            for (int b = band(std::min(e.y0, e.y1)), last = band(std::max(e.y0, e.y1)); b <= last; ++b)
                ++bandBegin_[b + 1];
        for (int b = 0; b < bands_; ++b) bandBegin_[b + 1] += bandBegin_[b];
        bandEdges_.resize(bandBegin_[bands_]);
        std::vector<uint32_t> fill(bandBegin_.begin(), bandBegin_.end() - 1);
        for (uint32_t i = 0; i < edges_.size(); ++i) {
            const Edge& e = edges_[i];
            for (int b = band(std::min(e.y0, e.y1)), last = band(std::max(e.y0, e.y1)); b <= last; ++b)
                bandEdges_[fill[b]++] = i;
        }
    }

    std::vector<Edge> edges_;
    BBox box_;
    double probeX_ = 0, probeY_ = 0;
    int bands_ = 1;
    double bandHeight_ = 1;
    std::vector<uint32_t> bandBegin_;
    std::vector<uint32_t> bandEdges_;
};

// The rectangle as a selection region; its edges count as inside.
class RectRegion {
public:
    explicit RectRegion(const BBox& r) : box_(r) {}
    bool empty() const { return box_.empty(); }
    const BBox& box() const { return box_; }
    double probeX() const { return box_.minX; }
    double probeY() const { return box_.minY; }
    bool contains(double x, double y) const { return box_.contains(x, y); }
    // Called once neither end lies inside, so the segment meets the rectangle only through its boundary.
    bool crosses(double ax, double ay, double bx, double by) const {
        const BBox& r = box_;
        if (std::max(ax, bx) < r.minX || std::min(ax, bx) > r.maxX || std::max(ay, by) < r.minY ||
            std::min(ay, by) > r.maxY)
            return false;
        return segmentsIntersect(ax, ay, bx, by, r.minX, r.minY, r.maxX, r.minY) ||
               segmentsIntersect(ax, ay, bx, by, r.maxX, r.minY, r.maxX, r.maxY) ||
               segmentsIntersect(ax, ay, bx, by, r.maxX, r.maxY, r.minX, r.maxY) ||
               segmentsIntersect(ax, ay, bx, by, r.minX, r.maxY, r.minX, r.minY);
    }

private:
    BBox box_;
};

// [SECTION] Selection

// Even-odd over all rings of one polygon part (shell and holes), so a point in a hole is outside.
bool partContains(const FeatureTable& t, uint32_t part, double x, double y) {
    bool inside = false;
    for (uint32_t r = t.ringBegin(part); r < t.ringEnd(part); ++r) {
        const uint32_t v0 = t.vertexBegin(r), v1 = t.vertexEnd(r);
        if (v1 - v0 < 3) continue;
        for (uint32_t i = v0, j = v1 - 1; i < v1; j = i++) {
            const double xi = t.xy[2 * i], yi = t.xy[2 * i + 1], xj = t.xy[2 * j], yj = t.xy[2 * j + 1];
            if ((yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi)) inside = !inside;
        }
    }
    return inside;
}

template <typename Region>
bool featureHits(const FeatureTable& t, size_t f, const Region& region) {
    const GeomKind kind = t.kinds[f];
    if (kind == GeomKind::None || t.partBegin(f) == t.partEnd(f)) return false;
    if (!t.featureBox(f).intersects(region.box())) return false;
    const uint32_t r0 = t.ringBegin(t.partBegin(f)), r1 = t.ringEnd(t.partEnd(f) - 1);
    const uint32_t vBegin = t.vertexBegin(r0), vEnd = t.vertexEnd(r1 - 1);
    for (uint32_t v = vBegin; v < vEnd; ++v)
        if (region.contains(t.xy[2 * v], t.xy[2 * v + 1])) return true;
    if (kind == GeomKind::Point) return false;
    for (uint32_t r = r0; r < r1; ++r) {
        const uint32_t v0 = t.vertexBegin(r), v1 = t.vertexEnd(r);
        for (uint32_t v = v0; v + 1 < v1; ++v)
            if (region.crosses(t.xy[2 * v], t.xy[2 * v + 1], t.xy[2 * v + 2], t.xy[2 * v + 3])) return true;
        if (kind == GeomKind::Polygon && v1 - v0 > 2 &&
            region.crosses(t.xy[2 * (v1 - 1)], t.xy[2 * (v1 - 1) + 1], t.xy[2 * v0], t.xy[2 * v0 + 1]))
            return true;
    }
    // No vertex inside and no crossing: the region is wholly inside or wholly outside; one probe decides.
    if (kind == GeomKind::Polygon)
        for (uint32_t p = t.partBegin(f); p < t.partEnd(f); ++p)
            if (partContains(t, p, region.probeX(), region.probeY())) return true;
    return false;
}

template <typename Region>
std::vector<uint32_t> selectIn(const FeatureTable& table, const Region& region) {
    std::vector<uint32_t> rows;
    if (region.empty()) return rows;
    for (size_t f = 0; f < table.featureCount(); ++f)
        if (featureHits(table, f, region)) rows.push_back(static_cast<uint32_t>(f));
    return rows;
}

}  // namespace

std::vector<uint32_t> selectByPolygon(const FeatureTable& table, const std::vector<double>& polygon) {
    return selectIn(table, LassoIndex(polygon));
}

std::vector<uint32_t> selectByRect(const FeatureTable& table, const BBox& rect) {
    return selectIn(table, RectRegion(rect));
}

// [SECTION] Statistics

namespace {

int findColumn(const FeatureTable& t, const std::string& name) {
    int exact = t.columnIndex(name);
    if (exact >= 0) return exact;
    for (size_t i = 0; i < t.columns.size(); ++i) {
        const std::string& c = t.columns[i].name;
        if (c.size() == name.size() && std::equal(c.begin(), c.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return static_cast<int>(i);
    }
    return -1;
}

// The section number of a row, whatever the column's type ("3" in a text column counts; "3a" does not).
bool sectionOf(const Column& c, size_t row, int& out) {
    if (c.isNull(row)) return false;
    if (c.type == ColumnType::Integer) {
        out = static_cast<int>(c.integer(row));
        return true;
    }
    if (c.type == ColumnType::Real) {
        const double v = c.real(row);
        if (!std::isfinite(v) || v != std::round(v)) return false;
        out = static_cast<int>(v);
        return true;
    }
    const std::string s(c.text(row));
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size()) return false;
    out = static_cast<int>(v);
    return true;
}

}  // namespace

SelectionStats selectionStats(const FeatureTable& table, const Crs& tableCrs, const std::vector<uint32_t>& rows) {
    SelectionStats s;
    const int category = findColumn(table, "category");
    const int section = findColumn(table, "section");
    std::map<std::string, std::pair<size_t, double>> byCategory;
    std::map<int, std::pair<size_t, double>> bySection;
    std::unique_ptr<Measurer> measurer;  // made on first need: PROJ set-up is wasted on a selection of points
    for (uint32_t row : rows) {
        if (row >= table.featureCount()) continue;
        ++s.count;
        double area = 0;
        const GeomKind kind = table.kinds[row];
        if (kind == GeomKind::Point) ++s.points;
        if (kind == GeomKind::Line || kind == GeomKind::Polygon) {
            if (!measurer) measurer = std::make_unique<Measurer>();
            const Measurer::FeatureMeasure m = measurer->feature(table, row, tableCrs);
            if (kind == GeomKind::Line) {
                ++s.lines;
                if (std::isfinite(m.length.planarM)) s.lengthM += m.length.planarM;
            } else {
                ++s.polygons;
                if (std::isfinite(m.area.planarM2)) area = m.area.planarM2;
                s.areaM2 += area;
            }
        }
        if (category >= 0) {
            auto& c = byCategory[table.columns[category].display(row)];
            ++c.first;
            c.second += area;
        }
        int sec = 0;
        if (section >= 0 && sectionOf(table.columns[section], row, sec)) {
            auto& c = bySection[sec];
            ++c.first;
            c.second += area;
        }
    }
    s.byCategory.assign(byCategory.begin(), byCategory.end());
    std::stable_sort(s.byCategory.begin(), s.byCategory.end(), [](const auto& a, const auto& b) {
        if (a.second.second != b.second.second) return a.second.second > b.second.second;
        return a.second.first > b.second.first;  // equal area: more features first; the map gave name order
    });
    s.bySection.assign(bySection.begin(), bySection.end());
    return s;
}

}  // namespace geo

#include "labels/labels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace geo {

namespace {

struct Box {
    double x0, y0, x1, y1;
    bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// Occupied boxes bucketed in a coarse grid, so each test looks at a few neighbours only.
class Occupancy {
public:
    Occupancy(int width, int height) : cols_(std::max(1, width / kCell + 1)), rows_(std::max(1, height / kCell + 1)) {
        cells_.resize(size_t(cols_) * rows_);
    }
    bool free(const Box& b) const {
        bool ok = true;
        forCells(b, [&](size_t c) {
            for (size_t i : cells_[c])
                if (boxes_[i].overlaps(b)) ok = false;
        });
        return ok;
    }
    void add(const Box& b) {
        boxes_.push_back(b);
        forCells(b, [&](size_t c) { cells_[c].push_back(boxes_.size() - 1); });
    }

private:
    static constexpr int kCell = 64;
    template <typename F>
    void forCells(const Box& b, F f) const {
        int cx0 = std::clamp(static_cast<int>(b.x0) / kCell, 0, cols_ - 1), cx1 = std::clamp(static_cast<int>(b.x1) / kCell, 0, cols_ - 1);
        int cy0 = std::clamp(static_cast<int>(b.y0) / kCell, 0, rows_ - 1), cy1 = std::clamp(static_cast<int>(b.y1) / kCell, 0, rows_ - 1);
        for (int y = cy0; y <= cy1; ++y)
            for (int x = cx0; x <= cx1; ++x) f(size_t(y) * cols_ + x);
    }
    int cols_, rows_;
    std::vector<std::vector<size_t>> cells_;
    std::vector<Box> boxes_;
};

}  // namespace

std::vector<PlacedLabel> placeLabels(const std::vector<LabelCandidate>& c, int width, int height, float padding) {
    std::vector<size_t> order(c.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (c[a].priority != c[b].priority) return c[a].priority > c[b].priority;
        if (c[a].layer != c[b].layer) return c[a].layer > c[b].layer;  // upper layers first
        return c[a].feature < c[b].feature;
    });
    Occupancy occupied(width, height);
    std::vector<PlacedLabel> out;
    for (size_t i : order) {
        const LabelCandidate& l = c[i];
        if (!std::isfinite(l.x) || !std::isfinite(l.y)) continue;
        double w = l.width, h = l.height, d = l.offset + 2;
        std::vector<std::pair<double, double>> positions;  // top-left corners
        if (l.anchor == LabelAnchor::Point)
            positions = {{l.x + d, l.y - h / 2}, {l.x - d - w, l.y - h / 2}, {l.x - w / 2, l.y - d - h}, {l.x - w / 2, l.y + d}};
        else
            positions = {{l.x - w / 2, l.y - h / 2}, {l.x - w / 2, l.y - h - 2}, {l.x - w / 2, l.y + 2}};
        for (auto [x, y] : positions) {
            if (x < 0 || y < 0 || x + w > width || y + h > height) continue;
            Box b{x - padding, y - padding, x + w + padding, y + h + padding};
            if (!occupied.free(b)) continue;
            occupied.add(b);
            out.push_back({i, x, y});
            break;
        }
    }
    return out;
}

std::vector<double> labelAnchors(const FeatureTable& t, std::vector<LabelAnchor>& kinds) {
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> out(2 * t.featureCount(), inf);
    kinds.assign(t.featureCount(), LabelAnchor::Point);
    for (size_t f = 0; f < t.featureCount(); ++f) {
        if (t.partBegin(f) == t.partEnd(f)) continue;
        if (t.kinds[f] == GeomKind::Polygon) {
            kinds[f] = LabelAnchor::Area;
            double best = -1;
            for (uint32_t p = t.partBegin(f); p < t.partEnd(f); ++p) {
                BBox b;
                uint32_t r = t.ringBegin(p);
                for (uint32_t v = t.vertexBegin(r); v < t.vertexEnd(r); ++v) b.add(t.xy[2 * v], t.xy[2 * v + 1]);
                if (!b.empty() && b.width() * b.height() > best) {
                    best = b.width() * b.height();
                    out[2 * f] = b.centerX();
                    out[2 * f + 1] = b.centerY();
                }
            }
        } else {
            kinds[f] = t.kinds[f] == GeomKind::Line ? LabelAnchor::Line : LabelAnchor::Point;
            uint32_t r = t.ringBegin(t.partBegin(f));
            uint32_t v0 = t.vertexBegin(r), v1 = t.vertexEnd(r);
            out[2 * f] = t.xy[2 * v0];
            out[2 * f + 1] = t.xy[2 * v0 + 1];
            if (t.kinds[f] != GeomKind::Line) continue;
            // Lines: the point halfway along the first part.
            double total = 0;
            for (uint32_t v = v0; v + 1 < v1; ++v)
                total += std::hypot(t.xy[2 * v + 2] - t.xy[2 * v], t.xy[2 * v + 3] - t.xy[2 * v + 1]);
            double walked = 0;
            for (uint32_t v = v0; v + 1 < v1; ++v) {
                double seg = std::hypot(t.xy[2 * v + 2] - t.xy[2 * v], t.xy[2 * v + 3] - t.xy[2 * v + 1]);
                if (walked + seg >= total / 2 && seg > 0) {
                    double u = (total / 2 - walked) / seg;
                    out[2 * f] = t.xy[2 * v] + u * (t.xy[2 * v + 2] - t.xy[2 * v]);
                    out[2 * f + 1] = t.xy[2 * v + 1] + u * (t.xy[2 * v + 3] - t.xy[2 * v + 1]);
                    break;
                }
                walked += seg;
            }
        }
    }
    return out;
}

}  // namespace geo

#include "index/feature_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace geo {

FeatureIndex::FeatureIndex(const FeatureTable& t) {
    boxes_.reserve(t.featureCount());
    for (size_t f = 0; f < t.featureCount(); ++f) {
        boxes_.push_back(t.featureBox(f));
        extent_.add(boxes_.back());
    }
    if (extent_.empty()) return;
    int n = std::clamp(static_cast<int>(std::sqrt(t.featureCount() / 4.0)), 1, 1024);
    nx_ = ny_ = n;
    std::vector<uint32_t> counts(size_t(nx_) * ny_ + 1, 0);
    for (const BBox& b : boxes_) {
        if (b.empty()) continue;
        int x0, y0, x1, y1;
        cellRange(b, x0, y0, x1, y1);
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) ++counts[size_t(y) * nx_ + x + 1];
    }
    for (size_t i = 1; i < counts.size(); ++i) counts[i] += counts[i - 1];
    cellStart_ = counts;
    ids_.resize(counts.back());
    std::vector<uint32_t> fill(counts.begin(), counts.end() - 1);
    for (size_t f = 0; f < boxes_.size(); ++f) {
        if (boxes_[f].empty()) continue;
        int x0, y0, x1, y1;
        cellRange(boxes_[f], x0, y0, x1, y1);
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) ids_[fill[size_t(y) * nx_ + x]++] = static_cast<uint32_t>(f);
    }
}

void FeatureIndex::cellRange(const BBox& b, int& x0, int& y0, int& x1, int& y1) const {
    double w = extent_.width() > 0 ? extent_.width() : 1, h = extent_.height() > 0 ? extent_.height() : 1;
    auto cx = [&](double x) { return std::clamp(static_cast<int>((x - extent_.minX) / w * nx_), 0, nx_ - 1); };
    auto cy = [&](double y) { return std::clamp(static_cast<int>((y - extent_.minY) / h * ny_), 0, ny_ - 1); };
    x0 = cx(b.minX);
    x1 = cx(b.maxX);
    y0 = cy(b.minY);
    y1 = cy(b.maxY);
}

std::vector<uint32_t> FeatureIndex::query(const BBox& box) const {
    std::vector<uint32_t> out;
    if (nx_ == 0 || !box.intersects(extent_)) return out;
    int x0, y0, x1, y1;
    cellRange(box, x0, y0, x1, y1);
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            size_t c = size_t(y) * nx_ + x;
            for (uint32_t i = cellStart_[c]; i < cellStart_[c + 1]; ++i)
                if (boxes_[ids_[i]].intersects(box)) out.push_back(ids_[i]);
        }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

size_t FeatureIndex::memoryBytes() const {
    return boxes_.capacity() * sizeof(BBox) + (cellStart_.capacity() + ids_.capacity()) * sizeof(uint32_t);
}

bool pointInPart(const FeatureTable& t, uint32_t part, double x, double y) {
    bool inside = false;
    for (uint32_t r = t.ringBegin(part); r < t.ringEnd(part); ++r) {
        uint32_t v0 = t.vertexBegin(r), v1 = t.vertexEnd(r);
        if (v1 - v0 < 3) continue;
        for (uint32_t i = v0, j = v1 - 1; i < v1; j = i++) {
            double xi = t.xy[2 * i], yi = t.xy[2 * i + 1], xj = t.xy[2 * j], yj = t.xy[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
    }
    return inside;
}

double distanceToOutline(const FeatureTable& t, size_t feature, double x, double y) {
    double best = std::numeric_limits<double>::infinity();
    for (uint32_t p = t.partBegin(feature); p < t.partEnd(feature); ++p)
        for (uint32_t r = t.ringBegin(p); r < t.ringEnd(p); ++r) {
            uint32_t v0 = t.vertexBegin(r), v1 = t.vertexEnd(r);
            if (v1 - v0 == 1) best = std::min(best, std::hypot(t.xy[2 * v0] - x, t.xy[2 * v0 + 1] - y));
            for (uint32_t i = v0; i + 1 < v1; ++i) {
                double ax = t.xy[2 * i], ay = t.xy[2 * i + 1], bx = t.xy[2 * i + 2], by = t.xy[2 * i + 3];
                double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
                double u = len2 > 0 ? std::clamp(((x - ax) * dx + (y - ay) * dy) / len2, 0.0, 1.0) : 0.0;
                best = std::min(best, std::hypot(ax + u * dx - x, ay + u * dy - y));
            }
        }
    return best;
}

std::optional<size_t> pickFeature(const FeatureTable& t, const FeatureIndex& index, double x, double y, double tolerance,
                                  double pointRadius) {
    BBox probe;
    double reach = std::max(tolerance, pointRadius);
    probe.add(x - reach, y - reach);
    probe.add(x + reach, y + reach);
    std::optional<size_t> point, line, polygon;
    double pointDist = pointRadius, lineDist = tolerance, polygonArea = std::numeric_limits<double>::infinity();
    for (uint32_t f : index.query(probe)) {
        GeomKind k = t.kinds[f];
        if (k == GeomKind::Point) {
            double d = distanceToOutline(t, f, x, y);
            if (d <= pointDist) point = f, pointDist = d;
        } else if (k == GeomKind::Line) {
            double d = distanceToOutline(t, f, x, y);
            if (d <= lineDist) line = f, lineDist = d;
        } else if (k == GeomKind::Polygon) {
            bool hit = false;
            for (uint32_t p = t.partBegin(f); p < t.partEnd(f) && !hit; ++p) hit = pointInPart(t, p, x, y);
            if (!hit) hit = distanceToOutline(t, f, x, y) <= tolerance;
            if (!hit) continue;
            const BBox& b = index.box(f);
            double area = b.width() * b.height();  // smaller features sit on top of the zones they are in
            if (area < polygonArea) polygon = f, polygonArea = area;
        }
    }
    if (point) return point;
    if (line) return line;
    return polygon;
}

}  // namespace geo

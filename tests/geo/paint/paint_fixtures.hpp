#pragma once
// Tables, views and styles the CPU painter's tests share.
#include <vector>

#include "paint/vector_paint.hpp"

namespace paint_fixtures {

// A view of width x height pixels where world (x, y) is pixel (x, height - y).
inline geo::View unitView(int width, int height) {
    geo::View v;
    v.width = width;
    v.height = height;
    v.resolution = 1;
    v.centerX = width / 2.0;
    v.centerY = height / 2.0;
    return v;
}

inline void addPolygon(geo::FeatureTable& t, const std::vector<std::vector<double>>& rings, geo::GeomKind kind) {
    t.beginFeature(static_cast<int64_t>(t.featureCount()), kind);
    for (const auto& r : rings) {
        for (size_t i = 0; i + 1 < r.size(); i += 2) t.addVertex(r[i], r[i + 1]);
        t.endRing();
    }
    t.endPart();
    t.endFeature();
}

inline double alphaSum(const geo::PaintImage& img) {
    double s = 0;
    for (size_t i = 3; i < img.rgba.size(); i += 4) s += img.rgba[i] / 255.0;
    return s;
}

inline geo::Style solid(bool fill, bool stroke, float width = 1.0f) {
    geo::Style s;
    s.fill = {0, 0, 0, 255};
    s.stroke = {255, 0, 0, 255};
    s.fillEnabled = fill;
    s.strokeEnabled = stroke;
    s.strokeWidth = width;
    return s;
}

}  // namespace paint_fixtures

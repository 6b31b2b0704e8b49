#pragma once
// How the CPU painter meets a table's parts (geo/paint/vector_paint.cpp, geo/paint/paint_parts.cpp): their boxes
// and drawing order. Internal to geo/paint.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/morton.hpp"
#include "paint/vector_paint.hpp"

namespace geo {

namespace paint_parts {

inline bool anyPolygon(const FeatureTable& t) {
    return std::any_of(t.kinds.begin(), t.kinds.end(), [](GeomKind k) { return k == GeomKind::Polygon; });
}

// forEachPart with the vertices read by vertex(v, x, y).
template <class Vertex, class Take>
void forEachPartAt(const FeatureTable& t, Vertex&& vertex, double resolution, Take&& take, size_t firstFeature,
                   size_t endFeature) {
    const double blockSize = 8.0 * resolution;
    // The block on a grid fixed to the map, not to an image: every tile of an export stacks overlapping parts the
    // same way (a grid fixed to the tile would reorder them from one tile to the next).
    auto block = [&](double v) {
        return static_cast<uint32_t>(static_cast<int64_t>(std::floor(std::clamp(v / blockSize, -1e15, 1e15))));
    };
    for (size_t f = firstFeature; f < std::min(endFeature, t.featureCount()); ++f) {
        const GeomKind k = t.kinds[f];
        if (k != GeomKind::Polygon && k != GeomKind::Line) continue;
        for (uint32_t part = t.partBegin(f); part < t.partEnd(f); ++part) {
            const uint32_t r0 = t.ringBegin(part), r1 = t.ringEnd(part);
            const uint32_t v0 = t.vertexBegin(r0), v1 = t.vertexEnd(r1 - 1);
            PaintPart p{part, static_cast<uint32_t>(f), v0, v1 - v0, r0, r1 - r0, INFINITY, INFINITY, -INFINITY,
                        -INFINITY, 0, true, k == GeomKind::Polygon};
            for (uint32_t v = v0; v < v1; ++v) {
                double x, y;
                vertex(v, x, y);
                if (!std::isfinite(x) || !std::isfinite(y)) {
                    p.finite = false;
                    continue;
                }
                p.minX = std::min(p.minX, x);
                p.maxX = std::max(p.maxX, x);
                p.minY = std::min(p.minY, y);
                p.maxY = std::max(p.maxY, y);
            }
            if (p.minX > p.maxX) continue;
            p.order = morton(block(0.5 * (p.minX + p.maxX)), block(-0.5 * (p.minY + p.maxY)));
            take(p);
        }
    }
}

// Calls take(PaintPart) for every polygon and line part with a finite vertex, in table order; `resolution` places
// their centres in 8-pixel blocks.
template <class Take>
void forEachPart(const FeatureTable& t, const PaintVertices& xy, double resolution, Take&& take,
                 size_t firstFeature = 0, size_t endFeature = SIZE_MAX) {
    // (Two loops: the vertices as they are are read without the grid's test.)
    if (xy.grid)
        forEachPartAt(t, [&xy](size_t v, double& x, double& y) { xy.at(v, x, y); }, resolution, take, firstFeature,
                      endFeature);
    else
        forEachPartAt(t, [p = xy.xy](size_t v, double& x, double& y) { x = p[2 * v], y = p[2 * v + 1]; }, resolution,
                      take, firstFeature, endFeature);
}

}  // namespace paint_parts

}  // namespace geo

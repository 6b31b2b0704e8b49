#include "tiles/tile_grid.hpp"

#include <algorithm>
#include <cmath>

namespace geo {

namespace {
constexpr double kMercatorHalf = 20037508.342789244;  // pi * 6378137
}

BBox TileGrid::tileBounds(const TileKey& k) const {
    BBox b;
    if (k.z < 0 || k.z > maxLevel()) return b;
    const TileMatrix& m = levels[size_t(k.z)];
    double w = m.resolution * tileWidth, h = m.resolution * tileHeight;
    b.minX = m.originX + k.x * w;
    b.maxX = b.minX + w;
    b.maxY = m.originY - k.y * h;
    b.minY = b.maxY - h;
    return b;
}

BBox TileGrid::levelBounds(int z) const {
    BBox b;
    if (z < 0 || z > maxLevel()) return b;
    const TileMatrix& m = levels[size_t(z)];
    b.minX = m.originX;
    b.maxY = m.originY;
    b.maxX = m.originX + m.resolution * tileWidth * m.matrixWidth;
    b.minY = m.originY - m.resolution * tileHeight * m.matrixHeight;
    return b;
}

TileRange TileGrid::tilesCovering(const BBox& box, int z) const {
    TileRange r;
    r.z = z;
    if (box.empty() || z < 0 || z > maxLevel()) return r;
    const TileMatrix& m = levels[size_t(z)];
    double w = m.resolution * tileWidth, h = m.resolution * tileHeight;
    if (!(w > 0 && h > 0)) return r;
    // A tiny inset on every side (in tile units, far below a pixel) keeps a box that starts or ends exactly on a tile
    // edge from pulling in the neighbouring row or column: the edge computed from the origin is off by rounding either
    // way. A box thinner than the inset (a point on an edge) keeps the tile it starts in.
    const double eps = 1e-6;
    double fx0 = std::floor((box.minX - m.originX) / w + eps), fx1 = std::floor((box.maxX - m.originX) / w - eps);
    double fy0 = std::floor((m.originY - box.maxY) / h + eps), fy1 = std::floor((m.originY - box.minY) / h - eps);
    fx1 = std::max(fx1, fx0);
    fy1 = std::max(fy1, fy0);
    fx0 = std::max(fx0, 0.0);
    fy0 = std::max(fy0, 0.0);
    fx1 = std::min(fx1, double(m.matrixWidth - 1));
    fy1 = std::min(fy1, double(m.matrixHeight - 1));
    if (!(fx0 <= fx1 && fy0 <= fy1)) return r;
    r.x0 = int(fx0);
    r.x1 = int(fx1);
    r.y0 = int(fy0);
    r.y1 = int(fy1);
    return r;
}

int TileGrid::levelFor(double unitsPerPixel, double upsample) const {
    if (levels.empty()) return -1;
    int best = maxLevel();
    if (unitsPerPixel > 0 && std::isfinite(unitsPerPixel)) {
        // Levels run coarse to fine: the first whose pixels are at most `upsample` output pixels wide.
        for (int z = minLevel; z <= maxLevel(); ++z) {
            if (levels[size_t(z)].resolution <= unitsPerPixel * upsample) {
                best = z;
                break;
            }
        }
    }
    return std::clamp(best, minLevel, maxLevel());
}

bool TileGrid::quadtree(int z) const {
    if (z < 0 || z + 1 > maxLevel()) return false;
    const TileMatrix &a = levels[size_t(z)], &b = levels[size_t(z + 1)];
    double tol = 1e-6 * a.resolution * tileWidth;
    return std::abs(a.resolution - 2 * b.resolution) <= 1e-6 * a.resolution && std::abs(a.originX - b.originX) <= tol &&
           std::abs(a.originY - b.originY) <= tol;
}

TileGrid webMercatorGrid(int minZoom, int maxZoom, int tileSize) {
    TileGrid g;
    g.crs = "EPSG:3857";
    g.tileWidth = g.tileHeight = tileSize;
    maxZoom = std::clamp(maxZoom, 0, 30);
    for (int z = 0; z <= maxZoom; ++z) {
        TileMatrix m;
        m.id = std::to_string(z);
        m.matrixWidth = m.matrixHeight = 1 << z;
        m.resolution = 2 * kMercatorHalf / (double(tileSize) * m.matrixWidth);
        m.originX = -kMercatorHalf;
        m.originY = kMercatorHalf;
        g.levels.push_back(m);
    }
    g.minLevel = std::clamp(minZoom, 0, maxZoom);
    return g;
}

TileGrid geographicGrid(const std::string& crs, int minZoom, int maxZoom, int tileSize) {
    TileGrid g;
    g.crs = crs;
    g.tileWidth = g.tileHeight = tileSize;
    maxZoom = std::clamp(maxZoom, 1, 30);
    // Level 0 is a placeholder for index == z (Tianditu's first level is 1: 2 x 1 tiles of 180 degrees).
    for (int z = 0; z <= maxZoom; ++z) {
        TileMatrix m;
        m.id = std::to_string(z);
        m.matrixWidth = z == 0 ? 1 : 1 << z;
        m.matrixHeight = z == 0 ? 1 : 1 << (z - 1);
        m.resolution = 360.0 / (double(tileSize) * m.matrixWidth);
        m.originX = -180;
        m.originY = 90;
        g.levels.push_back(m);
    }
    g.minLevel = std::clamp(minZoom, 1, maxZoom);
    return g;
}

}  // namespace geo

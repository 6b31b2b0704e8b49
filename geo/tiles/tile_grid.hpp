#pragma once
// Tile grids: how a tiled map source cuts the plane into levels of square pictures. One type for every source:
// the XYZ/TMS Web Mercator pyramid, a WMTS tile matrix set (Web Mercator, CGCS2000 geographic, a national grid)
// and the matrices of an MBTiles or GeoPackage tile file. Plain data; no I/O.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/bbox.hpp"

namespace geo {

struct TileKey {
    int z = 0, x = 0, y = 0;  // level index into TileGrid::levels; column from the left; row from the top
    bool operator==(const TileKey&) const = default;
    bool operator<(const TileKey& o) const { return z != o.z ? z < o.z : x != o.x ? x < o.x : y < o.y; }
    TileKey parent() const { return {z - 1, x >> 1, y >> 1}; }
};
struct TileKeyHash {
    size_t operator()(const TileKey& k) const {
        return std::hash<uint64_t>()((uint64_t(uint32_t(k.z)) << 58) ^ (uint64_t(uint32_t(k.x)) << 29) ^ uint64_t(uint32_t(k.y)));
    }
};

struct TileMatrix {
    std::string id;         // the identifier a WMTS request names (XYZ: the zoom as text)
    double resolution = 0;  // grid CRS units per pixel
    int matrixWidth = 0, matrixHeight = 0;  // tiles across and down
    // Top-left corner of the matrix in the grid CRS (x east, y north, whatever the CRS's axis order).
    double originX = 0, originY = 0;
};

// Inclusive range of tile columns/rows of one level.
struct TileRange {
    int z = 0, x0 = 0, y0 = 0, x1 = -1, y1 = -1;
    bool empty() const { return x1 < x0 || y1 < y0; }
    int64_t count() const { return empty() ? 0 : int64_t(x1 - x0 + 1) * int64_t(y1 - y0 + 1); }
};

struct TileGrid {
    std::string crs = "EPSG:3857";  // for geo::Crs
    int tileWidth = 256, tileHeight = 256;
    std::vector<TileMatrix> levels;  // coarsest first; XYZ: index == zoom
    int minLevel = 0;                // first level the source serves

    int maxLevel() const { return static_cast<int>(levels.size()) - 1; }
    // Extent of tile (z, x, y) in the grid CRS.
    BBox tileBounds(const TileKey& k) const;
    // Extent of the whole matrix of level z.
    BBox levelBounds(int z) const;
    // Tiles of level z that touch `box` (grid CRS), clamped to the matrix; empty when none.
    TileRange tilesCovering(const BBox& box, int z) const;
    // The level to draw at `unitsPerPixel` (grid CRS units per output pixel): the coarsest level not more than
    // `upsample` times coarser than the output (so deeper outputs get deeper tiles), clamped to
    // [minLevel, maxLevel].
    int levelFor(double unitsPerPixel, double upsample = 1.25) const;
    // True when level z+1 halves z's resolution with the same origin (quadtree): parents and children of a tile
    // are then (z-1, x/2, y/2) and (z+1, 2x.., 2y..).
    bool quadtree(int z) const;
};

// The XYZ pyramid of OpenStreetMap, Google, AMap, Tianditu "_w": EPSG:3857, origin (-20037508.34, 20037508.34),
// 2^z tiles a side. `tileSize` 512 for retina (@2x) tiles covers the same ground with twice the pixels.
TileGrid webMercatorGrid(int minZoom, int maxZoom, int tileSize = 256);
// Tianditu's "_c" matrix set and other CGCS2000 / WGS84 geographic quadtrees: EPSG:4490 (or 4326), origin
// (-180, 90), level z has 2^z x 2^(z-1) tiles with level 1 at 0.703125 degree per pixel (256-px tiles).
TileGrid geographicGrid(const std::string& crs, int minZoom, int maxZoom, int tileSize = 256);

}  // namespace geo

#pragma once
// Placing tiles in the display CRS: a tile is a picture in its grid's CRS (and, for GCJ-02 sources, in the GCJ-02
// datum); drawn elsewhere it is warped through a mesh whose vertices are projected with PROJ (and corrected from
// GCJ-02 to WGS84), so it lands where gdalwarp would put the same pixels.
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/bbox.hpp"
#include "crs/crs.hpp"
#include "tiles/tile_grid.hpp"

namespace geo {

struct TileMesh {
    double originX = 0, originY = 0;  // display CRS; vertices are relative to it (float precision on the GPU)
    std::vector<float> vertices;      // x, y (relative), u, v per vertex; v = 0 at the tile's top row
    std::vector<uint32_t> indices;    // triangles
    BBox bounds;                      // display CRS
    bool empty() const { return indices.empty(); }
};

// Thread-safe (transforms are serialised; a tile's mesh is a few hundred points).
class TileWarp {
public:
    // Throws CrsError when the grid's CRS cannot reach the display CRS.
    TileWarp(const TileGrid& grid, const Crs& display, bool gcj02);
    // True when tiles are drawn as plain quads (same CRS, no datum correction).
    bool plain() const { return plain_; }
    // The tile's mesh: (n+1)^2 vertices over a regular n x n grid of the tile (n = 1 when plain). Cells with a
    // vertex that does not transform are left out.
    TileMesh mesh(const TileKey& k, int n) const;
    // The same with the coarsest n (1, 2, 4, ... up to `maxN`) whose cells bend less than a tenth of a tile
    // pixel from the true warp at their centres: a 4547 tile of a city is a few cells, not 256 (llvmpipe pays per
    // triangle).
    TileMesh mesh(const TileKey& k) const { return mesh(k, density(k)); }
    int density(const TileKey& k, int maxN = 16) const;
    // A display-CRS box as a box of the grid CRS (sampled edges; through GCJ-02 when the source is GCJ-02).
    BBox toGrid(const BBox& display) const;
    // Grid CRS units per display unit around the centre of `display` (to pick the level of a view).
    double gridUnitsPerDisplayUnit(const BBox& display) const;

private:
    void gridToDisplay(double* xy, size_t n) const;
    TileGrid grid_;
    bool gcj02_ = false, plain_ = true;
    std::shared_ptr<Transformer> gridToLonLat_, lonLatToDisplay_, gridToDisplay_;
    mutable std::mutex mutex_;  // Transformers are one-thread objects; meshes are made on many workers
};

}  // namespace geo

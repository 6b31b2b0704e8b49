#pragma once
// A vector layer ready to draw: the source table, its triangles (computed once, in source coordinates, so a
// display-CRS change never re-tessellates) and its coordinates in one display CRS.
#include <functional>
#include <memory>
#include <optional>
#include <mutex>
#include <vector>

#include "core/job.hpp"
#include "index/feature_index.hpp"
#include "source/vector_source.hpp"
#include "tessellate/tessellate.hpp"

namespace geo {

struct VectorLayerData {
    VectorData source;
    std::vector<uint32_t> triangles;  // indexes source.table vertices
    std::vector<uint32_t> partTriangleEnds;  // per table part: end of its triangle indices
    TessStats tess;
    bool tessellated = true;  // false: no triangles (Triangles::UnlessPaintable of a layer the painter draws)
    // In the source CRS (picking and queries need no per-CRS copy): built by the load, or on first use for a load
    // the painter draws (Triangles::UnlessPaintable: `render` and `export`, which seldom ask). Thread-safe.
    const FeatureIndex& index() const {
        std::call_once(indexOnce_, [this] { index_ = FeatureIndex(source.table); });
        return index_;
    }

private:
    mutable std::once_flag indexOnce_;
    mutable FeatureIndex index_;
};

struct DisplayGeometry {
    Crs crs;
    std::vector<double> xy;  // same indexing as the source table; +inf where the vertex did not transform
    BBox extent;
    size_t failedVertices = 0;
    // `xy` is left empty: the source table's own vertices are read instead, as they are (the same CRS;
    // sourceGeometry) or through reprojectLayer's grid (gridGeometry).
    bool sourceXy = false;
};

// Whether a load tessellates: always, or only when the CPU painter cannot draw the table (geo::canPaintTable; a
// caller that paints every layer it can, as `render` and `export` do, needs no triangles for the others).
enum class Triangles { Always, UnlessPaintable };

// Work to do with a layer just read while it is tessellated (reprojecting it for the display, say): it runs on a
// second thread instead of the index (which is then made on first use), and only for a layer of 100k vertices or
// more that is tessellated (Triangles::Always), so callers must cope with it not running; it must not throw.
using WhileTessellating = std::function<void(const VectorLayerData&)>;

// Reads, tessellates and indexes (the part that does not depend on the display CRS). A large layer is indexed, or
// `alongside` called, on a second thread while it is tessellated; in the second case its index is made on first
// use (VectorLayerData::index(): a caller may ask for it on another thread meanwhile).
std::shared_ptr<VectorLayerData> loadVectorLayer(const std::string& path, const std::string& layer,
                                                 JobProgress* progress, LoadTimings* timings = nullptr,
                                                 const SourceOptions& options = {},
                                                 Triangles triangles = Triangles::Always,
                                                 const WhileTessellating& alongside = {});

// Reprojects a loaded layer into `display`. Throws CrsError when no transformation exists.
// The display geometry of a layer stored in the display CRS, without a copy of its vertices (sourceXy).
DisplayGeometry sourceGeometry(const VectorLayerData& data, const Crs& display);
// For a layer only painted (geo/paint reads its vertices through the grid, PaintVertices): reprojectLayer's extent and
// failed vertices without its copy, where reprojectLayer's grid of PROJ results holds over the layer; else nullopt.
std::optional<DisplayGeometry> gridGeometry(const VectorLayerData& data, const Crs& display);
// False when PLANATLAS_PAINT_GRID=0: painted layers get reprojectLayer's copy instead (for benchmarks).
bool paintThroughGrid();
DisplayGeometry reprojectLayer(const VectorLayerData& data, const Crs& display, JobProgress* progress,
                               LoadTimings* timings = nullptr);

}  // namespace geo

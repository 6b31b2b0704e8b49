#pragma once
// Loading one project layer, whatever its kind, into plain data ready for upload (runs on a worker thread).
#include <memory>
#include <variant>

#include "layer/vector_layer.hpp"
#include "project/project.hpp"
#include "source/raster_source.hpp"
#include "tiles/tile_provider.hpp"

namespace geo {

struct VectorContent {
    std::shared_ptr<VectorLayerData> data;  // shared: a CRS change reuses it
    DisplayGeometry geometry;
};

// A tile basemap: the open source; its tiles are fetched by whoever draws it, for the view it draws.
struct TileContent {
    std::shared_ptr<TileProvider> provider;
    bool gcj02 = false;
};

struct LayerContent {
    std::variant<std::monostate, VectorContent, RasterImage, TileContent> value;
    std::vector<std::string> warnings;
    LoadTimings timings;
    bool isVector() const { return std::holds_alternative<VectorContent>(value); }
    bool isRaster() const { return std::holds_alternative<RasterImage>(value); }
    bool isTiles() const { return std::holds_alternative<TileContent>(value); }
};

constexpr int kRasterMaxPixels = 4096;

// How much of a raster a load reads: an overview of the whole (at most kRasterMaxPixels a side), or only its
// footprint (rasterFootprint: the extent, no pixels) for callers that read the windows they draw.
enum class RasterLoad { Overview, Footprint };

// Reads `layer` (vector or raster, decided by layer.layer == "raster" or the file having no vector layer) and
// puts it into `display`. `paintOnly`: a vector layer the CPU painter can draw as styled (geo::canPaint) is not
// tessellated. Throws geo::Error subclasses; Cancelled when cancelled.
LayerContent loadLayerContent(const ProjectLayer& layer, const Crs& display, JobProgress* progress,
                              RasterLoad rasters = RasterLoad::Overview, bool paintOnly = false);

// True when the layer is a tile source (geo/tiles/tile_source.hpp): a URL template, WMTS, an MBTiles file, or a
// GeoPackage tiles table named by `layer`.
bool isTileLayer(const ProjectLayer& layer);
TileSourceSpec tileSpecOf(const ProjectLayer& layer);

// True when the source is a raster (by its layer name, or a file with raster bands and no vector layers).
bool isRasterLayer(const ProjectLayer& layer);

}  // namespace geo

namespace geo {
// Project layers for a file added by the user: one per vector layer, plus one for its raster bands; styled with
// distinct default colours starting at `firstIndex`. "PATH@NAME" selects one layer. Throws like listLayers.
std::vector<ProjectLayer> layersFromSource(const std::string& pathSpec, size_t firstIndex);
}  // namespace geo

#pragma once
// The one export pipeline behind `planatlas export` and File > Export: composition → tiles → writer → sidecar.
//
// An ExportJob composes its image once when it is made (draw items, label placement for the whole image,
// decorations, the provenance of every drawn layer), then renders it tile by tile into a geo::TiledImageWriter,
// and on finish() writes the file (temporary + rename) and its provenance sidecar (same name, .json). It shares
// ownership of everything it draws and copies what it describes, so the scene may drop, reload or reproject a
// layer between two steps (the viewer renders one tile per frame) without touching what the job draws.
// Main thread (GL current). A job destroyed before finish() leaves nothing at the output path.
#include <exception>
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include "export/tiled_writer.hpp"
#include "render/decorations.hpp"
#include "render/map_renderer.hpp"
#include "render/scene.hpp"

namespace app::render {

struct ExportSpec {
    std::string path;
    geo::ExportFormat format = geo::ExportFormat::Png;
    geo::View view;  // the output frame: size in pixels and extent
    geo::Crs crs;
    double dpi = 96;
    std::string title;
    DecorationSet decorations = DecorationSet::none();
    geo::Rgba background{214, 230, 242, 255};
    int onlyLayer = -1;        // >= 0: a per-layer image of that project layer (transparent, its own labels)
    std::string projectPath;   // for the sidecar
    int tileSize = 2048;
    geo::Swipe swipe;          // a swipe comparison to draw (the project's, a slide's, or --swipe)
    bool markup = true;        // draw the project's markup (never on per-layer images)
    // Tile basemaps: every tile of the output is fetched (or read from the cache) before the first step; tiles
    // that can be neither make the job throw geo::IoError naming the source, unless this is set.
    bool allowMissingTiles = false;
};

// What the sidecar says about one drawn layer (never credentials: sources are paths as the project has them).
struct ProvenanceLayer {
    std::string name, source, layer;
    long long modifiedUnix = 0;
};

class ExportJob {
public:
    // Throws geo::Error when the output cannot be created: LimitError for a size past geo/export/limits.hpp,
    // CrsError for a frame that is no georeference (non-finite or absurd coordinates), before any work.
    ExportJob(MapRenderer& renderer, const geo::Project& project, const Scene& scene, ExportSpec spec);
    ~ExportJob();
    ExportJob(const ExportJob&) = delete;
    ExportJob& operator=(const ExportJob&) = delete;
    // Renders the next tile; returns false when every tile is done (then call finish()). A raster layer coarser
    // than the output is read for the tile's window at the output's resolution (so a large export of a large
    // raster is sharp): the step then takes as long as that read.
    bool step();
    // Writes the file and its sidecar; throws geo::Error (the partial file is removed).
    void finish();
    // Every tile, then finish().
    void run();
    float progress() const { return total_ ? float(done_) / float(total_) : 1.0f; }
    const std::string& path() const { return spec_.path; }
    size_t droppedLabels() const { return spec_.onlyLayer < 0 ? plan_.dropped() : 0; }
    size_t labelRequests() const { return plan_.requests.size(); }
    // What the job left out but drew anyway (missing basemap tiles with allowMissingTiles).
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    MapRenderer& renderer_;
    ExportSpec spec_;
    std::vector<DrawItem> items_;
    LabelPlan plan_;
    Overlay overlay_;
    bool hasOverlay_ = false;
    std::vector<ProvenanceLayer> provenance_;
    std::vector<std::string> warnings_;
    std::string credits_;
    // Raster layers whose loaded picture is coarser than the output: each tile reads its own window of them at the
    // output's resolution (geo::readRaster), drawn instead of the loaded picture.
    struct TileRaster {
        size_t item;
        std::string source;
        geo::BBox extent;  // display CRS
    };
    std::vector<TileRaster> tileRasters_;
    void readTileRasters(int x, int y, int w, int h, std::vector<DrawItem>& items) const;
    std::unique_ptr<geo::TiledImageWriter> writer_;
    // A tile is written on a thread of its own while the next one renders (one write at a time: each waits for the
    // last, and so do finish() and the destructor). A failed write is thrown by the next step() or finish().
    std::thread writing_;
    std::exception_ptr writeError_;
    std::vector<uint8_t> writePixels_;
    void waitForWrite();
    RenderTarget target_;
    int nextX_ = 0, nextY_ = 0;
    size_t done_ = 0, total_ = 0;
};

// The provenance sidecar text (JSON) of an exported file: file, project, CRS, size, dpi, extent, the data credits
// of the drawn layers (as the map's credits line), version, layers.
std::string provenanceJson(const ExportSpec& spec, const std::vector<ProvenanceLayer>& layers, const std::string& credits);

}  // namespace app::render

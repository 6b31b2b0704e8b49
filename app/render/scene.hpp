#pragma once
// The scene: what has been loaded and built for each layer of a project, keyed so that nothing shown is stale.
//
// The project (geo::Project) says what to show; the scene holds what was derived from it, per layer id:
//   content  (the table, its triangles and index, the raster)  keyed by the layer's source (path + layer name);
//   GPU      (buffers in one display CRS)                        keyed by the display CRS definition;
//   colours  (per-feature colours, patterns, spotlight)         keyed by the style and the spotlight;
//   caches   (label anchors, the picking transform)              keyed by the display CRS.
// need() compares a layer's keys with the project and names the work that brings it up to date; the viewer runs
// that work on the worker pool, the headless commands run it in place (updateSync). A layer whose GPU key does
// not match the display CRS is not drawn, so a CRS switch never shows or picks old-CRS geometry.
//
// Main thread only (GL). Work functions (loadLayer, reprojectLoaded) are plain data and run on any thread.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "layer/layer_content.hpp"
#include "project/project.hpp"
#include "render/gpu_layer.hpp"
#include "render/labels.hpp"
#include "render/map_renderer.hpp"
#include "render/tile_layer.hpp"

namespace app::render {

enum class LoadStatus { Loading, Ready, Failed };

// What a worker produces for a layer: loaded data plus its GPU staging (no GL calls involved).
struct LoadedLayer {
    geo::LayerContent content;
    VectorStaging staging;
    std::unique_ptr<GpuGeometry> geometry;  // the staging's buffers, when uploaded on the worker (preUpload)
    double stageSeconds = 0, preUploadSeconds = 0;
    std::vector<uint32_t> codepoints;  // of the layer's text (new glyphs for the font atlas)
    // Paint-only loads (Scene::setPaintOnly): the display-CRS vertices, kept instead of a GPU staging.
    std::shared_ptr<const std::vector<double>> paintXy;
};
// Loads and stages one layer; safe on any thread. Throws like geo::loadLayerContent. `paintOnly`: a vector layer the
// CPU painter can draw as styled keeps its display-CRS vertices (LoadedLayer::paintXy) and is not staged.
LoadedLayer loadLayer(const geo::ProjectLayer& layer, const geo::Crs& display, geo::JobProgress* progress,
                      geo::RasterLoad rasters = geo::RasterLoad::Overview, bool paintOnly = false);
// Uploads a vector layer's geometry through `context` (on the worker that loaded it), so that adopting it on the
// main thread allocates and copies nothing large; a no-op for other content.
void preUpload(LoadedLayer& loaded, gl::UploadContext& context);
// Re-stages already loaded vector data for another display CRS (no file access, no re-tessellation).
LoadedLayer reprojectLoaded(std::shared_ptr<const geo::VectorLayerData> data, const geo::Crs& display,
                            geo::JobProgress* progress);

struct SourceKey {
    std::string source, layer;
    geo::SourceOptions options;  // an assigned CRS, datum, columns or control points read the source anew
    bool operator==(const SourceKey&) const = default;
};
inline SourceKey sourceKeyOf(const geo::ProjectLayer& l) { return {l.source, l.layer, l.options}; }

// A sharper raster window over the whole-extent texture, read for the current view.
struct RasterWindow {
    std::shared_ptr<GpuRasterLayer> gpu;
    geo::BBox extent;          // requested window (display CRS)
    double resolution = 0;     // display units per texel requested
    uint64_t request = 0;      // only the newest request is adopted
};

struct SceneLayer {
    geo::LayerId id = 0;

    // Content, keyed by `source`.
    SourceKey source;
    LoadStatus status = LoadStatus::Loading;
    std::string error;
    std::vector<std::string> warnings;
    std::shared_ptr<geo::JobProgress> job;  // the running load, for progress and cancel
    uint64_t generation = 0;                // bumps with every load started; older results are dropped
    std::shared_ptr<const geo::VectorLayerData> vectorData;
    bool catalog = false;  // the layer has the plan-project schema
    geo::CatalogColumns catalogColumns;
    geo::LoadTimings timings;
    double stageSeconds = 0, uploadSeconds = 0;
    bool uploadedOnWorker = false;  // the GPU buffers came from a worker's upload context (render::preUpload)
    // Drawn from a preview (the layer's first features) while the whole layer is still read (`job` runs).
    bool partial = false;
    uint64_t contentRevision = 0;  // bumps whenever new content is adopted (feature numbers may change)

    // GPU, keyed by `crs` (display CRS definition) and, for colours, by `style` + `spotlight`.
    std::string crs;
    geo::Style style;
    std::vector<std::string> spotlight;
    geo::Timeline timeline;  // the catalog rows it hides (catalog layers only)
    std::shared_ptr<GpuVectorLayer> gpuVector;
    std::shared_ptr<const PaintSource> paint;  // when the CPU painter can draw the layer as styled (outputs)
    // A paint-only layer (Scene::setPaintOnly): no gpuVector; its display-CRS vertices, for `paint`.
    std::shared_ptr<const std::vector<double>> paintXy;
    std::shared_ptr<GpuRasterLayer> gpuRaster;
    std::shared_ptr<GpuTileLayer> gpuTiles;  // tile basemaps: fetched per view, drawn warped into the display CRS
    double rasterResolution = 0;  // display units per texel of gpuRaster
    double rasterSourceResolution = 0;  // display units per pixel of the source (about)
    RasterWindow detail;
    // Database layers: the display-CRS window and resolution of the features held (empty = the whole table).
    geo::BBox dbWindow;
    double dbResolution = 0;
    uint64_t dbRequest = 0;
    geo::BBox displayExtent;
    bool nothingToDraw = false;  // loaded, but no feature (or pixel) shows in the display CRS; its warnings say so

    // Caches keyed by display CRS (mutable: filled on first use).
    mutable std::string labelCrs;
    mutable std::vector<double> labelAnchors;  // per feature
    mutable std::vector<geo::LabelAnchor> labelKinds;
    mutable std::vector<float> labelSizes;  // feature size relative to the layer, for label priority
    mutable std::string pickCrs;
    mutable std::shared_ptr<geo::Transformer> toSource;  // display CRS -> layer CRS

    bool readyIn(const geo::Crs& display) const {
        return status == LoadStatus::Ready && crs == display.definition() &&
               (gpuVector || gpuRaster || gpuTiles || paint);
    }
};

// What a layer needs to match the project.
enum class Work { None, Load, Reproject, Restyle };

class Scene {
public:
    // Layers in the project's draw order (after reconcile).
    const std::vector<std::unique_ptr<SceneLayer>>& layers() const { return layers_; }
    SceneLayer* find(geo::LayerId id);
    const SceneLayer* find(geo::LayerId id) const;

    // Adds a SceneLayer for every new project layer, drops those no longer in the project (cancelling their
    // loads) and puts the rest in the project's order.
    void reconcile(const geo::Project& project);
    Work need(const SceneLayer& s, const geo::ProjectLayer& l, const geo::Crs& display) const;

    // Main thread (GL current): adopts a worker's result for `l` in `display`; uploads and colours it.
    void adopt(SceneLayer& s, LoadedLayer&& loaded, const geo::ProjectLayer& l, const geo::Crs& display);
    // Adopts a preview of a loading layer (its first features): drawn, picked and listed like a loaded layer, but
    // still loading (SceneLayer::partial; its job goes on) until adopt() takes the whole.
    void adoptPreview(SceneLayer& s, LoadedLayer&& preview, const geo::ProjectLayer& l, const geo::Crs& display);
    // The layer's load failed (or was cancelled); a preview it showed goes with it.
    void fail(SceneLayer& s, const std::string& message);
    // Re-applies style and spotlight to the GPU buffers.
    void restyle(SceneLayer& s, const geo::ProjectLayer& l);

    // Headless: does every piece of work the project needs, in place. Returns the messages of failed layers.
    // `progress` (optional) gets each load's progress.
    std::vector<std::string> updateSync(const geo::Project& project, const geo::Crs& display,
                                        geo::JobProgress* progress = nullptr);
    // What updateSync reads of a raster: an overview of the whole (the default), or only its footprint, for a
    // caller that then reads the windows it draws (`render`).
    void setRasterLoad(geo::RasterLoad rasters) { rasterLoad_ = rasters; }
    // Outputs only (render, export with the CPU painter): vector layers the CPU painter can draw as styled are
    // loaded without GPU geometry (no staging, no upload) and only painted; a restyle the painter cannot draw
    // loads the layer again. Never for a window, which draws every layer on the GPU.
    void setPaintOnly(bool on) { paintOnly_ = on; }

    // Catalog ids in the spotlight (a slide's "others dimmed"); empty = none. Takes effect through need().
    void setSpotlight(std::vector<std::string> ids) { spotlight_ = std::move(ids); }
    const std::vector<std::string>& spotlight() const { return spotlight_; }
    // The timeline in effect (the project's, or a slide's phase while presenting): catalog rows outside it are
    // neither drawn, labelled nor picked. Takes effect through need().
    void setTimeline(geo::Timeline t) { timeline_ = std::move(t); }
    const geo::Timeline& timeline() const { return timeline_; }
    // True when feature `f` of `s` is hidden by the timeline.
    bool hiddenByTimeline(const SceneLayer& s, size_t f) const;

    // Visible layers ready in `display`, bottom first, with the project's style and opacity; with `scale` > 0 (the
    // map's 1:N), only the layers whose scale range holds it.
    std::vector<DrawItem> drawItems(const geo::Project& project, const geo::Crs& display, double scale = 0) const;
    DrawItem drawItem(const SceneLayer& s, const geo::ProjectLayer& l) const;
    // Label requests of every visible layer with a label field, for the features near `view`; the selected
    // feature gets top priority. Requests name layers by their index in the project.
    std::vector<LabelRequest> collectLabels(const geo::Project& project, const geo::View& view,
                                            const geo::Crs& display, geo::LayerId selectedLayer = 0,
                                            long selectedFeature = -1, double scale = 0) const;
    geo::BBox combinedExtent(const geo::Project& project, const geo::Crs& display, bool visibleOnly) const;
    // The first catalog layer in draw order (ready), or null.
    const SceneLayer* catalogLayer(const geo::Project& project) const;
    // Box of one feature / of the catalog features with these ids, in `display` (empty when unknown).
    geo::BBox featureExtent(geo::LayerId id, size_t feature, const geo::Crs& display) const;
    geo::BBox projectsBox(const geo::Project& project, const std::vector<std::string>& ids,
                          const geo::Crs& display) const;
    // The vector feature of layer `s` under screen point (sx, sy) of `view`, within `tolerancePx`.
    std::optional<size_t> pick(const SceneLayer& s, const geo::ProjectLayer& l, const geo::View& view,
                               const geo::Crs& display, double sx, double sy, double tolerancePx) const;
    // True when a raster layer shows `view` coarser than its source could (worth reading a sharper window).
    bool wantsRasterDetail(const SceneLayer& s, const geo::ProjectLayer& l, const geo::View& view,
                           const geo::Crs& display) const;

private:
    std::vector<std::unique_ptr<SceneLayer>> layers_;
    std::vector<std::string> spotlight_;
    geo::Timeline timeline_;
    geo::RasterLoad rasterLoad_ = geo::RasterLoad::Overview;
    bool paintOnly_ = false;
};

// Layers with more features than this are not labelled (a label per building helps nobody).
constexpr size_t kMaxLabelledFeatures = 50000;

}  // namespace app::render

#pragma once
// One layer of the open document: its project settings plus what was loaded for it (CPU data, GPU buffers,
// load state). Lives on the main thread; workers hand results in through adopt().
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

namespace app::render {

enum class LoadStatus { Loading, Ready, Failed };

// What a worker thread produces for a layer: the loaded data plus its GPU staging (no GL calls involved).
struct LoadedLayer {
    geo::LayerContent content;
    VectorStaging staging;
    double stageSeconds = 0;
};
// Loads and stages one layer; safe on any thread. Throws like geo::loadLayerContent.
LoadedLayer loadLayer(const geo::ProjectLayer& layer, const geo::Crs& display, geo::JobProgress* progress);
// Re-stages already loaded vector data for another display CRS (no file access, no re-tessellation).
LoadedLayer reprojectLoaded(std::shared_ptr<geo::VectorLayerData> data, const geo::Crs& display,
                            geo::JobProgress* progress);

struct LayerSlot {
    geo::ProjectLayer config;
    LoadStatus status = LoadStatus::Loading;
    std::string error;
    std::vector<std::string> warnings;
    std::shared_ptr<geo::VectorLayerData> vectorData;
    std::unique_ptr<GpuVectorLayer> gpuVector;
    std::unique_ptr<GpuRasterLayer> gpuRaster;
    std::unique_ptr<GpuRasterLayer> gpuRasterDetail;  // the current view's window at screen resolution
    double rasterResolution = 0;                      // display units per texel of gpuRaster
    double detailResolution = 0;
    geo::BBox detailExtent;
    uint64_t detailRequest = 0;  // only the newest window request is adopted
    bool catalog = false;        // the layer has the plan-project schema
    std::vector<uint8_t> spotlight;  // per feature, 0 = dimmed; empty = no spotlight
    geo::CatalogColumns catalogColumns;
    std::unique_ptr<geo::Transformer> toSource;  // display CRS -> layer CRS, for picking
    std::string toSourceCrs;
    std::vector<double> labelAnchors;  // per feature, display CRS (computed on first use per CRS)
    std::vector<geo::LabelAnchor> labelKinds;
    std::vector<float> labelSizes;     // feature size relative to the layer, for label priority
    std::string labelAnchorsCrs;
    geo::BBox displayExtent;
    geo::LoadTimings timings;
    double stageSeconds = 0;
    double uploadSeconds = 0;
    uint64_t generation = 0;  // bumps on every (re)load request; stale results are dropped
    std::shared_ptr<geo::JobProgress> job;

    // Uploads loaded content (main thread, GL current) and marks the slot ready.
    void adopt(LoadedLayer&& loaded);
    void fail(const std::string& message);
    // Re-applies style and spotlight to the GPU buffers (after a style edit or a slide change).
    void restyle();
    // Spotlights the catalog features with these ids (empty: none). Returns their union box in the layer CRS.
    geo::BBox spotlightProjects(const std::vector<std::string>& ids);
    // Box (layer CRS) of the catalog features with these ids.
    geo::BBox projectsBox(const std::vector<std::string>& ids) const;
    bool drawable() const { return status == LoadStatus::Ready && config.visible && (gpuVector || gpuRaster); }
    DrawItem drawItem() const {
        return {gpuVector.get(), gpuRaster.get(), gpuRasterDetail.get(), &config.style, config.opacity};
    }
    // True when a raster layer shows `view` coarser than its source could (worth reading a sharper window).
    bool wantsRasterDetail(const geo::View& view) const;
    // The vector feature under screen point (sx, sy) of `view` in `display`, within `tolerancePx`.
    std::optional<size_t> pick(const geo::View& view, const geo::Crs& display, double sx, double sy, double tolerancePx);
};

// Loads every slot synchronously (headless paths). Returns the messages of failed layers (also left in slots).
std::vector<std::string> loadAllSync(std::vector<std::unique_ptr<LayerSlot>>& slots, const geo::Crs& display);

std::vector<DrawItem> drawItems(const std::vector<std::unique_ptr<LayerSlot>>& slots);

// Layers with more features than this are not labelled (a label per building helps nobody).
constexpr size_t kMaxLabelledFeatures = 50000;
// Label requests of every visible layer with a label field, for the features near `view`; the selected feature
// (layer index, feature) gets top priority.
std::vector<LabelRequest> collectLabels(std::vector<std::unique_ptr<LayerSlot>>& slots, const geo::View& view,
                                        const geo::Crs& display, int selectedLayer = -1, long selectedFeature = -1);
geo::BBox combinedExtent(const std::vector<std::unique_ptr<LayerSlot>>& slots, bool visibleOnly);

}  // namespace app::render

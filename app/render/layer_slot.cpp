#include "render/layer_slot.hpp"

#include <chrono>

#include "core/error.hpp"

namespace app::render {

void LayerSlot::adopt(geo::LayerContent&& content) {
    auto t0 = std::chrono::steady_clock::now();
    warnings = std::move(content.warnings);
    timings = content.timings;
    gpuVector.reset();
    gpuRaster.reset();
    if (auto* v = std::get_if<geo::VectorContent>(&content.value)) {
        vectorData = v->data;
        gpuVector = std::make_unique<GpuVectorLayer>(*v->data, v->geometry, config.style);
        displayExtent = v->geometry.extent;
    } else if (auto* r = std::get_if<geo::RasterImage>(&content.value)) {
        vectorData.reset();
        gpuRaster = std::make_unique<GpuRasterLayer>(*r);
        displayExtent = r->extent;
    }
    glFinish();  // count the upload, not just its queuing
    uploadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    status = LoadStatus::Ready;
    error.clear();
    job.reset();
}

void LayerSlot::fail(const std::string& message) {
    status = LoadStatus::Failed;
    error = message;
    job.reset();
}

std::vector<std::string> loadAllSync(std::vector<std::unique_ptr<LayerSlot>>& slots, const geo::Crs& display) {
    std::vector<std::string> failures;
    for (auto& s : slots) {
        try {
            s->adopt(geo::loadLayerContent(s->config, display, nullptr));
        } catch (const geo::Error& e) {
            s->fail(e.what());
            failures.push_back(e.what());
        } catch (const std::exception& e) {
            s->fail(s->config.source + ": " + e.what());
            failures.push_back(s->error);
        }
    }
    return failures;
}

std::vector<DrawItem> drawItems(const std::vector<std::unique_ptr<LayerSlot>>& slots) {
    std::vector<DrawItem> items;
    for (const auto& s : slots)
        if (s->drawable()) items.push_back(s->drawItem());
    return items;
}

geo::BBox combinedExtent(const std::vector<std::unique_ptr<LayerSlot>>& slots, bool visibleOnly) {
    geo::BBox b;
    for (const auto& s : slots)
        if (s->status == LoadStatus::Ready && (!visibleOnly || s->config.visible)) b.add(s->displayExtent);
    return b;
}

}  // namespace app::render

#include "render/layer_slot.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/error.hpp"

namespace app::render {

namespace {
double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void stage(LoadedLayer& out) {
    auto t0 = std::chrono::steady_clock::now();
    if (auto* v = std::get_if<geo::VectorContent>(&out.content.value)) {
        out.staging = stageVector(*v->data, v->geometry);
        v->geometry.xy = {};  // the GPU copy is what draws; keep memory down for large layers
    }
    out.stageSeconds = secondsSince(t0);
}
}  // namespace

LoadedLayer loadLayer(const geo::ProjectLayer& layer, const geo::Crs& display, geo::JobProgress* progress) {
    LoadedLayer out;
    out.content = geo::loadLayerContent(layer, display, progress);
    if (progress) progress->throwIfCancelled();
    stage(out);
    return out;
}

LoadedLayer reprojectLoaded(std::shared_ptr<geo::VectorLayerData> data, const geo::Crs& display,
                            geo::JobProgress* progress) {
    LoadedLayer out;
    geo::VectorContent vc;
    vc.geometry = geo::reprojectLayer(*data, display, progress, &out.content.timings);
    vc.data = std::move(data);
    out.content.warnings = vc.data->source.warnings;
    if (vc.geometry.failedVertices)
        out.content.warnings.push_back(std::to_string(vc.geometry.failedVertices) +
                                       " vertices could not be transformed to " + display.id() + " and are not drawn");
    out.content.value = std::move(vc);
    stage(out);
    return out;
}

void LayerSlot::adopt(LoadedLayer&& loaded) {
    geo::LayerContent& content = loaded.content;
    stageSeconds = loaded.stageSeconds;
    auto t0 = std::chrono::steady_clock::now();
    warnings = std::move(content.warnings);
    timings = content.timings;
    gpuVector.reset();
    gpuRaster.reset();
    gpuRasterDetail.reset();
    detailExtent = geo::BBox{};  // may be in another display CRS
    detailResolution = 0;
    if (auto* v = std::get_if<geo::VectorContent>(&content.value)) {
        vectorData = v->data;
        catalog = geo::isCatalog(v->data->source.table);
        if (catalog) {
            catalogColumns = geo::validateCatalog(v->data->source.table);
        } else if (geo::looksLikeCatalog(v->data->source.table)) {
            // Meant as a plan-project catalog but not valid: say what is wrong (the layer still draws).
            warnings.push_back("not used as a plan-project catalog: " + geo::catalogProblems(v->data->source.table));
        }
        toSource.reset();
        labelAnchorsCrs.clear();
        gpuVector = std::make_unique<GpuVectorLayer>(loaded.staging, *v->data, config.style);
        if (spotlight.size() == v->data->source.table.featureCount()) restyle();
        else spotlight.clear();
        loaded.staging = VectorStaging{};  // uploaded: release the CPU copy now, not when the caller drops it
        displayExtent = v->geometry.extent;
    } else if (auto* r = std::get_if<geo::RasterImage>(&content.value)) {
        vectorData.reset();
        gpuRaster = std::make_unique<GpuRasterLayer>(*r);
        displayExtent = r->extent;
        rasterResolution = r->width ? r->extent.width() / r->width : 0;
    }
    glFinish();  // count the upload, not just its queuing
    uploadSeconds = secondsSince(t0);
    status = LoadStatus::Ready;
    error.clear();
    job.reset();
}

bool LayerSlot::wantsRasterDetail(const geo::View& view) const {
    if (!gpuRaster || status != LoadStatus::Ready || !config.visible) return false;
    if (!displayExtent.intersects(view.extent())) return false;
    if (rasterResolution <= view.resolution * 1.5) return false;  // the whole-extent texture is sharp enough
    // Already have a window covering this view at about this resolution?
    geo::BBox e = view.extent();
    bool covered = detailExtent.contains(e.minX, e.minY) && detailExtent.contains(e.maxX, e.maxY);
    return !(covered && detailResolution <= view.resolution * 1.5 && detailResolution >= view.resolution / 3);
}

std::optional<size_t> LayerSlot::pick(const geo::View& view, const geo::Crs& display, double sx, double sy,
                                      double tolerancePx) {
    if (!vectorData || status != LoadStatus::Ready || !config.visible) return std::nullopt;
    if (!toSource || toSourceCrs != display.definition()) {
        toSource = std::make_unique<geo::Transformer>(display, vectorData->source.crs);
        toSourceCrs = display.definition();
    }
    // The cursor and a point `tolerancePx` to its right, in the layer's CRS: the distance is the tolerance there.
    double p[4] = {view.screenToWorldX(sx), view.screenToWorldY(sy), view.screenToWorldX(sx + tolerancePx),
                   view.screenToWorldY(sy)};
    if (toSource->transform(p, 2) != 2) return std::nullopt;
    double tol = std::hypot(p[2] - p[0], p[3] - p[1]);
    double radius = tol / tolerancePx * std::max(tolerancePx, 0.5 * config.style.pointSize + 2);
    return geo::pickFeature(vectorData->source.table, vectorData->index, p[0], p[1], tol, radius);
}

void LayerSlot::restyle() {
    if (gpuVector && vectorData) gpuVector->updateStyle(*vectorData, config.style, spotlight);
}

geo::BBox LayerSlot::projectsBox(const std::vector<std::string>& ids) const {
    geo::BBox box;
    if (!catalog || !vectorData) return box;
    const geo::FeatureTable& t = vectorData->source.table;
    for (size_t f = 0; f < t.featureCount(); ++f)
        if (std::find(ids.begin(), ids.end(), t.columns[catalogColumns.id].text(f)) != ids.end())
            box.add(vectorData->index.box(f));
    return box;
}

geo::BBox LayerSlot::spotlightProjects(const std::vector<std::string>& ids) {
    spotlight.clear();
    if (catalog && vectorData && !ids.empty()) {
        const geo::FeatureTable& t = vectorData->source.table;
        spotlight.assign(t.featureCount(), 0);
        for (size_t f = 0; f < t.featureCount(); ++f)
            spotlight[f] = std::find(ids.begin(), ids.end(), t.columns[catalogColumns.id].text(f)) != ids.end();
    }
    restyle();
    return projectsBox(ids);
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
            s->adopt(loadLayer(s->config, display, nullptr));
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

std::vector<LabelRequest> collectLabels(std::vector<std::unique_ptr<LayerSlot>>& slots, const geo::View& view,
                                        const geo::Crs& display, int selectedLayer, long selectedFeature) {
    std::vector<LabelRequest> out;
    geo::BBox visible = view.extent();
    for (size_t li = 0; li < slots.size(); ++li) {
        LayerSlot& s = *slots[li];
        const geo::Style& st = s.config.style;
        if (st.labelField.empty() || !s.vectorData || !s.drawable()) continue;
        const geo::FeatureTable& t = s.vectorData->source.table;
        int col = t.columnIndex(st.labelField);
        if (col < 0 || t.featureCount() > kMaxLabelledFeatures) continue;
        if (s.labelAnchorsCrs != display.definition()) {
            s.labelAnchors = geo::labelAnchors(t, s.labelKinds);
            geo::Transformer(s.vectorData->source.crs, display).transform(s.labelAnchors.data(), t.featureCount());
            double maxSide = 0;
            s.labelSizes.assign(t.featureCount(), 0.0f);
            for (size_t f = 0; f < t.featureCount(); ++f) {
                const geo::BBox& b = s.vectorData->index.box(f);
                if (!b.empty()) maxSide = std::max(maxSide, std::max(b.width(), b.height()));
            }
            for (size_t f = 0; f < t.featureCount(); ++f) {
                const geo::BBox& b = s.vectorData->index.box(f);
                if (!b.empty() && maxSide > 0) s.labelSizes[f] = static_cast<float>(std::max(b.width(), b.height()) / maxSide);
            }
            s.labelAnchorsCrs = display.definition();
        }
        for (size_t f = 0; f < t.featureCount(); ++f) {
            double x = s.labelAnchors[2 * f], y = s.labelAnchors[2 * f + 1];
            if (!visible.contains(x, y) || t.columns[col].isNull(f)) continue;
            LabelRequest r;
            r.text = t.columns[col].display(f);
            if (r.text.empty()) continue;
            r.worldX = x;
            r.worldY = y;
            r.anchor = s.labelKinds[f];
            bool selected = static_cast<int>(li) == selectedLayer && static_cast<long>(f) == selectedFeature;
            // Selected first, then larger features, then upper layers (placeLabels breaks ties by layer).
            r.priority = (selected ? 1e9 : 0) + s.labelSizes[f];
            r.offsetPx = r.anchor == geo::LabelAnchor::Point ? 0.5f * st.pointSize : 0.0f;
            r.layer = static_cast<uint32_t>(li);
            r.feature = static_cast<uint32_t>(f);
            out.push_back(std::move(r));
        }
    }
    return out;
}

geo::BBox combinedExtent(const std::vector<std::unique_ptr<LayerSlot>>& slots, bool visibleOnly) {
    geo::BBox b;
    for (const auto& s : slots)
        if (s->status == LoadStatus::Ready && (!visibleOnly || s->config.visible)) b.add(s->displayExtent);
    return b;
}

}  // namespace app::render

#include "render/scene.hpp"

#include "source/postgis.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <cmath>

#include "core/error.hpp"
#include "paint/vector_paint.hpp"
#include "store/table_repair.hpp"

namespace app::render {

namespace {
double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void stage(LoadedLayer& out) {
    auto t0 = std::chrono::steady_clock::now();
    if (auto* v = std::get_if<geo::VectorContent>(&out.content.value)) {
        // (A load without triangles is one the painter draws, never staged: Scene::need loads anew instead.)
        if (!v->data->tessellated) throw std::logic_error("staging a vector layer loaded without its triangles");
        out.staging = stageVector(*v->data, v->geometry);
        v->geometry.xy = {};  // the GPU copy is what draws; keep memory down for large layers
    }
    out.stageSeconds = secondsSince(t0);
}

// The last part of a path (a connection string without its password).
std::string fileName(const std::string& source) {
    const std::string s = geo::redactConnection(source);
    return s.substr(s.find_last_of('/') == std::string::npos ? 0 : s.find_last_of('/') + 1);
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

geo::CatalogFilter timelineFilter(const geo::Timeline& t) {
    geo::CatalogFilter f;
    if (!t.enabled) return f;
    f.maxYear = t.year;
    f.phase = t.phase;
    return f;
}

// Per feature: 2 shown, 1 dimmed (outside the spotlight), 0 hidden (outside the timeline); empty when there is
// neither or the layer is no catalog.
std::vector<uint8_t> featureMask(const SceneLayer& s, const std::vector<std::string>& ids, const geo::Timeline& time) {
    std::vector<uint8_t> mask;
    const bool timed = time.enabled && (time.year > 0 || !time.phase.empty());
    if (!s.catalog || !s.vectorData || (ids.empty() && !timed)) return mask;
    const geo::FeatureTable& t = s.vectorData->source.table;
    geo::CatalogFilter filter = timelineFilter(time);
    mask.resize(t.featureCount());
    for (size_t f = 0; f < t.featureCount(); ++f) {
        if (timed && !geo::matchesFilter(t, s.catalogColumns, f, filter)) mask[f] = 0;
        else mask[f] = ids.empty() || contains(ids, t.columns[s.catalogColumns.id].text(f)) ? 2 : 1;
    }
    return mask;
}
// The CPU painter's view of a layer, when it can draw the layer as styled.
std::shared_ptr<const PaintSource> paintSource(std::shared_ptr<const geo::VectorLayerData> data, const geo::Crs& display,
                                               const geo::Style& style, std::vector<uint8_t> mask,
                                               std::shared_ptr<const std::vector<double>> xy) {
    if (!data || !geo::canPaint(style, data->source.table)) return nullptr;
    return std::make_shared<PaintSource>(std::move(data), display, std::move(mask), std::move(xy));
}
}  // namespace

LoadedLayer loadLayer(const geo::ProjectLayer& layer, const geo::Crs& display, geo::JobProgress* progress,
                      geo::RasterLoad rasters, bool paintOnly) {
    LoadedLayer out;
    out.content = geo::loadLayerContent(layer, display, progress, rasters, paintOnly);
    if (progress) progress->throwIfCancelled();
    auto* v = std::get_if<geo::VectorContent>(&out.content.value);
    if (paintOnly && v && geo::canPaint(layer.style, v->data->source.table)) {
        // (Stored in the display CRS, or read through the reprojection's grid: the table's own vertices, kept alive
        // with it; PaintSource tells the two apart.)
        out.paintXy = v->geometry.sourceXy ? std::shared_ptr<const std::vector<double>>(v->data, &v->data->source.table.xy)
                                           : std::make_shared<const std::vector<double>>(std::move(v->geometry.xy));
    } else {
        stage(out);
    }
    // The viewer's font atlas takes the glyphs of every text the layer holds (its attribute table shows them);
    // outputs place labels from the strings they draw.
    if (v && !paintOnly) out.codepoints = geo::collectCodepoints(v->data->source.table);
    return out;
}

void preUpload(LoadedLayer& loaded, gl::UploadContext& context) {
    if (!std::holds_alternative<geo::VectorContent>(loaded.content.value) || loaded.geometry) return;
    auto t0 = std::chrono::steady_clock::now();
    loaded.geometry = uploadGeometry(loaded.staging, context);
    loaded.preUploadSeconds = secondsSince(t0);
}

LoadedLayer reprojectLoaded(std::shared_ptr<const geo::VectorLayerData> data, const geo::Crs& display,
                            geo::JobProgress* progress) {
    LoadedLayer out;
    geo::VectorContent vc;
    vc.geometry = geo::reprojectLayer(*data, display, progress, &out.content.timings);
    vc.data = std::const_pointer_cast<geo::VectorLayerData>(std::move(data));
    out.content.warnings = vc.data->source.warnings;
    if (vc.geometry.failedVertices)
        out.content.warnings.push_back(std::to_string(vc.geometry.failedVertices) +
                                       " vertices could not be transformed to " + display.id() + " and are not drawn");
    out.content.value = std::move(vc);
    stage(out);
    return out;
}

SceneLayer* Scene::find(geo::LayerId id) {
    for (auto& s : layers_)
        if (s->id == id) return s.get();
    return nullptr;
}

const SceneLayer* Scene::find(geo::LayerId id) const {
    for (const auto& s : layers_)
        if (s->id == id) return s.get();
    return nullptr;
}

void Scene::reconcile(const geo::Project& project) {
    std::vector<std::unique_ptr<SceneLayer>> next;
    next.reserve(project.layers.size());
    for (const auto& l : project.layers) {
        auto it = std::find_if(layers_.begin(), layers_.end(), [&](const auto& s) { return s && s->id == l.id; });
        if (it != layers_.end()) {
            next.push_back(std::move(*it));
        } else {
            next.push_back(std::make_unique<SceneLayer>());
            next.back()->id = l.id;
        }
    }
    for (auto& gone : layers_)
        if (gone && gone->job) gone->job->cancel();
    layers_ = std::move(next);
}

Work Scene::need(const SceneLayer& s, const geo::ProjectLayer& l, const geo::Crs& display) const {
    const bool sameSource = s.source == sourceKeyOf(l) && (s.status != LoadStatus::Loading || s.job);
    if (!sameSource) return Work::Load;
    // Running (a preview may show meanwhile); its result is checked when adopted.
    if (s.status == LoadStatus::Loading || s.partial) return Work::None;
    if (s.crs != display.definition()) {
        if (s.status == LoadStatus::Failed && !s.vectorData) return Work::None;  // still broken: the user must fix it
        // Data loaded without triangles (a paint-only load) is staged for no CRS: a load, which finds the same data
        // in the shared entries and paints it again where it can.
        return s.vectorData && s.vectorData->tessellated ? Work::Reproject : Work::Load;
    }
    if (s.status != LoadStatus::Ready) return Work::None;
    // A paint-only layer restyled into something the CPU painter cannot draw needs GPU geometry: a new load.
    if (s.paintXy && s.vectorData && !geo::canPaint(l.style, s.vectorData->source.table)) return Work::Load;
    if ((s.gpuVector || s.paint) && (!(s.style == l.style) || s.spotlight != (s.catalog ? spotlight_ : std::vector<std::string>{}) ||
                        !(s.timeline == (s.catalog ? timeline_ : geo::Timeline{}))))
        return Work::Restyle;
    return Work::None;
}

void Scene::adopt(SceneLayer& s, LoadedLayer&& loaded, const geo::ProjectLayer& l, const geo::Crs& display) {
    geo::LayerContent& content = loaded.content;
    s.stageSeconds = loaded.stageSeconds;
    auto t0 = std::chrono::steady_clock::now();
    s.warnings = std::move(content.warnings);
    s.timings = content.timings;
    s.gpuVector.reset();
    s.paint.reset();
    s.paintXy.reset();
    s.gpuRaster.reset();
    s.gpuTiles.reset();
    s.detail = RasterWindow{};
    s.labelCrs.clear();
    s.pickCrs.clear();
    s.toSource.reset();
    if (auto* v = std::get_if<geo::VectorContent>(&content.value)) {
        if (s.vectorData != v->data) ++s.contentRevision;
        s.vectorData = v->data;
        s.catalog = geo::isCatalog(v->data->source.table);
        if (s.catalog) {
            s.catalogColumns = geo::validateCatalog(v->data->source.table);
        } else if (geo::looksLikeCatalog(v->data->source.table)) {
            // Meant as a plan-project catalog but not valid: say what is wrong (the layer still draws).
            s.warnings.push_back("not used as a plan-project catalog: " + geo::catalogProblems(v->data->source.table));
        }
        s.spotlight = s.catalog ? spotlight_ : std::vector<std::string>{};
        s.timeline = s.catalog ? timeline_ : geo::Timeline{};
        s.style = l.style;
        s.uploadedOnWorker = loaded.geometry != nullptr;
        s.paintXy = std::move(loaded.paintXy);
        if (!s.paintXy)
            s.gpuVector = loaded.geometry
                              ? std::make_shared<GpuVectorLayer>(std::move(loaded.staging), std::move(*loaded.geometry),
                                                                 *v->data, l.style)
                              : std::make_shared<GpuVectorLayer>(std::move(loaded.staging), *v->data, l.style);
        loaded.geometry.reset();
        std::vector<uint8_t> mask = featureMask(s, s.spotlight, s.timeline);
        if (!mask.empty() && s.gpuVector) s.gpuVector->updateStyle(*v->data, l.style, mask);
        s.paint = paintSource(v->data, display, l.style, std::move(mask), s.paintXy);
        loaded.staging = VectorStaging{};  // uploaded: release the CPU copy now, not when the caller drops it
        s.displayExtent = v->geometry.extent;
        const geo::FeatureTable& t = v->data->source.table;
        s.nothingToDraw = s.displayExtent.empty() || !geo::anyDrawableFeature(t);
        if (s.nothingToDraw)  // said, so that a blank layer never passes for a drawn one
            s.warnings.push_back(fileName(v->data->source.path) + ": nothing to draw: none of its " +
                                 std::to_string(t.featureCount()) + " features has a geometry that shows in " +
                                 display.id());
    } else if (auto* r = std::get_if<geo::RasterImage>(&content.value)) {
        s.vectorData.reset();
        ++s.contentRevision;
        s.gpuRaster = std::make_shared<GpuRasterLayer>(*r);
        s.displayExtent = r->extent;
        s.nothingToDraw = s.displayExtent.empty();
        if (s.nothingToDraw) s.warnings.push_back(fileName(l.source) + ": nothing to draw in " + display.id());
        s.rasterResolution = r->width ? r->extent.width() / r->width : 0;
        s.rasterSourceResolution = r->sourceResolution;
    } else if (auto* t = std::get_if<geo::TileContent>(&content.value)) {
        s.vectorData.reset();
        ++s.contentRevision;
        s.gpuTiles = std::make_shared<GpuTileLayer>(t->provider, display, t->gcj02);
        s.displayExtent = geo::BBox{};  // a basemap covers the world: "zoom to all" ignores it
        s.nothingToDraw = false;
    }
    s.uploadSeconds = loaded.preUploadSeconds + secondsSince(t0);  // queuing the upload; the driver finishes it before the first draw
    s.source = sourceKeyOf(l);
    s.crs = display.definition();
    s.status = LoadStatus::Ready;
    s.partial = false;
    s.error.clear();
    s.job.reset();
}

void Scene::adoptPreview(SceneLayer& s, LoadedLayer&& preview, const geo::ProjectLayer& l,
                         const geo::Crs& display) {
    std::shared_ptr<geo::JobProgress> job = s.job;
    adopt(s, std::move(preview), l, display);
    s.partial = true;
    s.job = std::move(job);
}

void Scene::fail(SceneLayer& s, const std::string& message) {
    if (s.partial) {  // a preview is never left standing for the whole (nor reprojected as if it were)
        s.vectorData.reset();
        s.gpuVector.reset();
        s.paint.reset();
        s.paintXy.reset();
        s.labelCrs.clear();
        s.pickCrs.clear();
        ++s.contentRevision;
    }
    s.status = LoadStatus::Failed;
    s.partial = false;
    s.error = message;
    s.job.reset();
}

void Scene::restyle(SceneLayer& s, const geo::ProjectLayer& l) {
    if ((!s.gpuVector && !s.paint) || !s.vectorData) return;
    s.style = l.style;
    s.spotlight = s.catalog ? spotlight_ : std::vector<std::string>{};
    s.timeline = s.catalog ? timeline_ : geo::Timeline{};
    std::vector<uint8_t> mask = featureMask(s, s.spotlight, s.timeline);
    if (s.gpuVector) s.gpuVector->updateStyle(*s.vectorData, s.style, mask);
    s.paint = paintSource(s.vectorData, geo::Crs::fromUser(s.crs), s.style, std::move(mask), s.paintXy);
}

bool Scene::hiddenByTimeline(const SceneLayer& s, size_t f) const {
    if (!s.catalog || !s.vectorData || !s.timeline.enabled || f >= s.vectorData->source.table.featureCount())
        return false;
    return !geo::matchesFilter(s.vectorData->source.table, s.catalogColumns, f, timelineFilter(s.timeline));
}

std::vector<std::string> Scene::updateSync(const geo::Project& project, const geo::Crs& display,
                                          geo::JobProgress* progress) {
    reconcile(project);
    std::vector<std::string> failures;
    for (const auto& l : project.layers) {
        SceneLayer& s = *find(l.id);
        try {
            switch (need(s, l, display)) {
                case Work::Load:
                    s.source = sourceKeyOf(l);
                    adopt(s, loadLayer(l, display, progress, rasterLoad_, paintOnly_), l, display);
                    break;
                case Work::Reproject: adopt(s, reprojectLoaded(s.vectorData, display, progress), l, display); break;
                case Work::Restyle: restyle(s, l); break;
                case Work::None: break;
            }
        } catch (const geo::Error& e) {
            s.source = sourceKeyOf(l);
            fail(s, e.what());
            failures.push_back(e.what());
        } catch (const std::exception& e) {
            s.source = sourceKeyOf(l);
            fail(s, geo::redactConnection(l.source) + ": " + e.what());
            failures.push_back(s.error);
        }
    }
    return failures;
}

DrawItem Scene::drawItem(const SceneLayer& s, const geo::ProjectLayer& l) const {
    DrawItem item{s.gpuVector, s.gpuRaster, s.detail.gpu, s.style, l.opacity, l.id};
    item.tiles = s.gpuTiles;
    item.paint = s.paint;
    return item;
}

std::vector<DrawItem> Scene::drawItems(const geo::Project& project, const geo::Crs& display, double scale) const {
    std::vector<DrawItem> items;
    for (const auto& l : project.layers) {
        const SceneLayer* s = find(l.id);
        if (s && l.visible && l.visibleAtScale(scale) && s->readyIn(display)) items.push_back(drawItem(*s, l));
    }
    return items;
}

std::vector<LabelRequest> Scene::collectLabels(const geo::Project& project, const geo::View& view,
                                               const geo::Crs& display, geo::LayerId selectedLayer,
                                               long selectedFeature, double scale) const {
    std::vector<LabelRequest> out;
    geo::BBox visible = view.extent();
    for (size_t li = 0; li < project.layers.size(); ++li) {
        const geo::ProjectLayer& l = project.layers[li];
        const SceneLayer* s = find(l.id);
        const geo::Style& st = l.style;
        if (!s || st.labelField.empty() || !s->vectorData || !l.visible || !l.visibleAtScale(scale) || !s->readyIn(display))
            continue;
        const geo::FeatureTable& t = s->vectorData->source.table;
        int col = t.columnIndex(st.labelField);
        if (col < 0 || t.featureCount() > kMaxLabelledFeatures) continue;
        if (s->labelCrs != display.definition()) {
            s->labelAnchors = geo::labelAnchors(t, s->labelKinds);
            geo::Transformer(s->vectorData->source.crs, display).transform(s->labelAnchors.data(), t.featureCount());
            double maxSide = 0;
            s->labelSizes.assign(t.featureCount(), 0.0f);
            for (size_t f = 0; f < t.featureCount(); ++f) {
                const geo::BBox& b = s->vectorData->index().box(f);
                if (!b.empty()) maxSide = std::max(maxSide, std::max(b.width(), b.height()));
            }
            for (size_t f = 0; f < t.featureCount(); ++f) {
                const geo::BBox& b = s->vectorData->index().box(f);
                if (!b.empty() && maxSide > 0)
                    s->labelSizes[f] = static_cast<float>(std::max(b.width(), b.height()) / maxSide);
            }
            s->labelCrs = display.definition();
        }
        for (size_t f = 0; f < t.featureCount(); ++f) {
            double x = s->labelAnchors[2 * f], y = s->labelAnchors[2 * f + 1];
            if (!visible.contains(x, y) || t.columns[col].isNull(f) || hiddenByTimeline(*s, f)) continue;
            LabelRequest r;
            r.text = t.columns[col].display(f);
            if (r.text.empty()) continue;
            r.worldX = x;
            r.worldY = y;
            r.anchor = s->labelKinds[f];
            bool selected = l.id == selectedLayer && static_cast<long>(f) == selectedFeature;
            // Selected first, then larger features, then upper layers (placeLabels breaks ties by layer).
            r.priority = (selected ? 1e9 : 0) + s->labelSizes[f];
            r.offsetPx = r.anchor == geo::LabelAnchor::Point ? 0.5f * st.pointSize : 0.0f;
            r.layer = static_cast<uint32_t>(li);
            r.feature = static_cast<uint32_t>(f);
            out.push_back(std::move(r));
        }
    }
    return out;
}

geo::BBox Scene::combinedExtent(const geo::Project& project, const geo::Crs& display, bool visibleOnly) const {
    geo::BBox b;
    for (const auto& l : project.layers)
        if (const SceneLayer* s = find(l.id); s && s->readyIn(display) && (!visibleOnly || l.visible))
            b.add(s->displayExtent);
    return b;
}

const SceneLayer* Scene::catalogLayer(const geo::Project& project) const {
    for (const auto& l : project.layers)
        if (const SceneLayer* s = find(l.id); s && s->catalog && s->vectorData && s->status == LoadStatus::Ready)
            return s;
    return nullptr;
}

geo::BBox Scene::featureExtent(geo::LayerId id, size_t feature, const geo::Crs& display) const {
    const SceneLayer* s = find(id);
    if (!s || !s->vectorData || feature >= s->vectorData->source.table.featureCount()) return {};
    geo::BBox b = s->vectorData->index().box(feature);
    if (b.empty()) return b;
    return geo::transformBox(b, geo::Transformer(s->vectorData->source.crs, display));
}

geo::BBox Scene::projectsBox(const geo::Project& project, const std::vector<std::string>& ids,
                             const geo::Crs& display) const {
    const SceneLayer* s = catalogLayer(project);
    geo::BBox box;
    if (!s || ids.empty()) return box;
    const geo::FeatureTable& t = s->vectorData->source.table;
    for (size_t f = 0; f < t.featureCount(); ++f)
        if (contains(ids, t.columns[s->catalogColumns.id].text(f))) box.add(s->vectorData->index().box(f));
    if (box.empty()) return box;
    return geo::transformBox(box, geo::Transformer(s->vectorData->source.crs, display));
}

std::optional<size_t> Scene::pick(const SceneLayer& s, const geo::ProjectLayer& l, const geo::View& view,
                                  const geo::Crs& display, double sx, double sy, double tolerancePx) const {
    if (!s.vectorData || !l.visible || !s.readyIn(display)) return std::nullopt;
    if (!s.toSource || s.pickCrs != display.definition()) {
        s.toSource = std::make_shared<geo::Transformer>(display, s.vectorData->source.crs);
        s.pickCrs = display.definition();
    }
    // The cursor and a point `tolerancePx` to its right, in the layer's CRS: the distance is the tolerance there.
    double p[4] = {view.screenToWorldX(sx), view.screenToWorldY(sy), view.screenToWorldX(sx + tolerancePx),
                   view.screenToWorldY(sy)};
    if (s.toSource->transform(p, 2) != 2) return std::nullopt;
    double tol = std::hypot(p[2] - p[0], p[3] - p[1]);
    double radius = tol / tolerancePx * std::max(tolerancePx, 0.5 * l.style.pointSize + 2);
    auto f = geo::pickFeature(s.vectorData->source.table, s.vectorData->index(), p[0], p[1], tol, radius);
    if (f && hiddenByTimeline(s, *f)) return std::nullopt;  // (a visible feature beneath it is not searched for)
    return f;
}

bool Scene::wantsRasterDetail(const SceneLayer& s, const geo::ProjectLayer& l, const geo::View& view,
                              const geo::Crs& display) const {
    if (!s.gpuRaster || !s.readyIn(display) || !l.visible) return false;
    if (!s.displayExtent.intersects(view.extent())) return false;
    if (s.rasterResolution <= view.resolution * 1.5) return false;  // the whole-extent texture is sharp enough
    // Already have (or asked for) a window covering this view at about this resolution?
    geo::BBox e = view.extent();
    const RasterWindow& d = s.detail;
    bool covered = d.extent.contains(e.minX, e.minY) && d.extent.contains(e.maxX, e.maxY);
    return !(covered && d.resolution <= view.resolution * 1.5 && d.resolution >= view.resolution / 3);
}

}  // namespace app::render

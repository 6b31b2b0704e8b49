#include "ui/document.hpp"

#include "source/postgis.hpp"
#include "source/source_crs.hpp"
#include "source/vector_source.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "project/reach.hpp"

namespace app::ui {

namespace {
constexpr size_t kMaxMessages = 200;
}  // namespace

void Document::report(Message::Level level, const std::string& text) {
    messages_.push_back({level, text});
    while (messages_.size() > kMaxMessages) messages_.pop_front();
}

void Document::open(geo::Project project, const std::string& path) {
    geo::Crs crs = geo::Crs::fromUser(project.displayCrs);  // throws before anything changes
    pool_.cancelAll();
    for (auto& l : project.layers) l.id = 0;
    for (auto& l : project.layers) l.id = nextId_++;
    scene_ = render::Scene{};
    history_.reset(std::move(project));
    path_ = path;
    crs_ = crs;
    ++crsRevision_;
    firstLoadPending_ = true;
    changed_ = true;
    syncedRevision_ = 0;
    update();
}

std::vector<geo::ProjectLayer> Document::newLayers(const std::string& pathSpec) {
    if (offline_ && geo::isNetworkSource(pathSpec) && !geo::isTileSourceString(pathSpec))
        throw geo::IoError(geo::redactConnection(pathSpec), "", "not read: --offline refuses network sources");
    std::vector<geo::ProjectLayer> layers = geo::layersFromSource(pathSpec, project().layers.size());
    for (auto& l : layers) l.id = nextId_++;
    return layers;
}

bool Document::apply(const geo::Command& command) {
    if (!history_.apply(command)) return false;
    update();
    return true;
}

bool Document::undo() {
    if (!history_.undo()) return false;
    update();
    return true;
}

bool Document::redo() {
    if (!history_.redo()) return false;
    update();
    return true;
}

void Document::syncCrs() {
    if (project().displayCrs == crs_.definition()) return;
    try {
        crs_ = geo::Crs::fromUser(project().displayCrs);
        ++crsRevision_;
    } catch (const geo::Error& e) {
        report(Message::Error, e.what());  // the layers stay in the CRS they are in
    }
}

void Document::update() {
    if (history_.revision() == syncedRevision_) return;
    syncedRevision_ = history_.revision();
    syncCrs();
    scene_.setTimeline(timelineOverride_ ? *timelineOverride_ : project().timeline);
    scene_.reconcile(project());
    for (const auto& l : project().layers) {
        render::SceneLayer& s = *scene_.find(l.id);
        switch (scene_.need(s, l, crs_)) {
            case render::Work::Load: startLoad(s, l, false); break;
            case render::Work::Reproject: startLoad(s, l, true); break;
            case render::Work::Restyle: scene_.restyle(s, l); break;
            case render::Work::None: break;
        }
    }
    changed_ = true;  // visibility, opacity, order and style all show
}

namespace {
// Sources read per view: databases (PG:) and vector files over HTTP range requests (/vsicurl/, e.g. FlatGeobuf
// with its spatial index).
// The size of a local file; 0 for anything else (a URL, a database, a missing file).
uint64_t fileBytes(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<uint64_t>(n);
}

bool isDatabase(const geo::ProjectLayer& l) {
    return geo::isDatabaseSource(l.source) || (l.source.rfind("/vsicurl/", 0) == 0 && l.layer != "raster");
}

// The view grown by half its size on every side: small pans stay inside it.
geo::BBox windowAround(const geo::View& view) {
    geo::BBox e = view.extent(), w;
    w.add(e.minX - 0.5 * e.width(), e.minY - 0.5 * e.height());
    w.add(e.maxX + 0.5 * e.width(), e.maxY + 0.5 * e.height());
    return w;
}

// Uploads a worker's result through the shared context. Should that fail (a driver refusing the context), the
// main thread uploads it when it adopts it, as without a shared context: said once on stderr, nothing lost.
void uploadOnWorker(render::LoadedLayer& r, gl::UploadContext& upload) {
    try {
        render::preUpload(r, upload);
    } catch (const std::exception& e) {
        static std::once_flag said;
        std::call_once(said, [&] {
            std::fprintf(stderr, "planatlas: background upload failed (%s); layers upload as they are shown\n", e.what());
        });
    }
}

// A database layer read for a display-CRS window: the window and a simplification tolerance of half a pixel, both
// in the layer's own CRS (asked of the source before the read).
render::LoadedLayer loadWindow(geo::ProjectLayer layer, const geo::Crs& display, const geo::BBox& window,
                               double resolution, geo::JobProgress& p) {
    const geo::Crs source = geo::declaredCrs(layer.source, layer.layer);
    const geo::BBox box = geo::transformBox(window, geo::Transformer(display, source));
    if (!box.empty()) {
        layer.options.filter = box;
        layer.options.simplifyTolerance = 0.5 * resolution * box.width() / std::max(window.width(), 1e-12);
    }
    return render::loadLayer(layer, display, &p);
}
}  // namespace

void Document::setBlockedSources(std::vector<std::string> sources, std::string reason) {
    blockedSources_ = std::move(sources);
    blockReason_ = std::move(reason);
}

bool Document::blocked(const std::string& source) const {
    return std::find(blockedSources_.begin(), blockedSources_.end(), source) != blockedSources_.end();
}

void Document::reloadSources(const std::vector<std::string>& sources) {
    for (const auto& l : project().layers)
        if (std::find(sources.begin(), sources.end(), l.source) != sources.end()) retry(l.id);
}

void Document::startLoad(render::SceneLayer& s, const geo::ProjectLayer& l, bool reprojectOnly) {
    const geo::LayerId id = l.id;
    const uint64_t generation = ++s.generation;
    s.source = render::sourceKeyOf(l);
    if (blocked(l.source)) {  // not read at all: no job, nothing contacted
        scene_.fail(s, blockReason_);
        changed_ = true;
        return;
    }
    s.status = render::LoadStatus::Loading;
    s.error.clear();
    geo::Crs crs = crs_;
    auto data = reprojectOnly ? s.vectorData : nullptr;
    // A database layer is read for the map's view (not the whole table), and again per view after that.
    const bool windowed = isDatabase(l) && lastView_ && lastViewCrs_ == crs_.definition() && !reprojectOnly;
    const geo::BBox window = windowed ? windowAround(*lastView_) : geo::BBox{};
    const double resolution = windowed ? lastView_->resolution : 0;
    s.dbWindow = window;
    s.dbResolution = windowed ? resolution : reprojectOnly && isDatabase(l) ? -1.0 : 0.0;  // -1: ask again in the new CRS
    // A large local file first shows a preview, its first features, while the whole is read (read again: a little
    // more reading, see the stages below, for a first picture in a fraction of the time).
    const size_t preview = !windowed && !data && previewFeatures_ > 0 && fileBytes(l.source) >= previewFileBytes_
                               ? previewFeatures_
                               : 0;
    auto work = [layer = l, crs, data, windowed, window, resolution, upload = upload_, preview, pool = &pool_, this, id,
                 generation](geo::JobProgress& p) {
        // Previews in stages: the first `preview` features of a file holding over twice as many, then ten times as
        // many while it holds over five times that. Each stage is read anew: the first adds at most half the
        // file's reading, each later one at most a fifth. 10M buildings show their first 100k, then their first
        // 1M, then all of them; 1M (or 3M) show 100k, then all.
        const uint64_t count = preview ? geo::quickFeatureCount(layer.source, layer.layer) : 0;
        for (size_t limit = preview;
             preview && count > (limit == preview ? 2 : 5) * uint64_t(limit) && limit <= SIZE_MAX / 10; limit *= 10) {
            geo::ProjectLayer head = layer;
            head.options.featureLimit = limit;
            auto first = std::make_shared<render::LoadedLayer>(render::loadLayer(head, crs, &p));  // can be cancelled
            p.throwIfCancelled();
            if (upload) uploadOnWorker(*first, *upload);
            // Runs on the main thread before this job's completion, and only while the document still exists
            // (completions run inside pump()); each replaces the one before.
            // (`job`: this load's progress, compared, never read: a stage an older load of the layer posted as it
            // was cancelled is not adopted by a newer one.)
            const geo::JobProgress* job = &p;
            pool->post([this, id, generation, crs, first, job] { adoptPreview(id, generation, job, crs, std::move(*first)); });
        }
        render::LoadedLayer r = windowed ? loadWindow(layer, crs, window, resolution, p)
                                : data   ? render::reprojectLoaded(data, crs, &p)
                                         : render::loadLayer(layer, crs, &p);
        p.throwIfCancelled();
        if (upload) uploadOnWorker(r, *upload);
        return r;
    };
    // Only a result that still matches the project is adopted; anything else is dropped (the project moved on).
    auto done = [this, id, generation, crs](render::LoadedLayer&& r) {
        render::SceneLayer* s = scene_.find(id);
        const geo::ProjectLayer* l = project().findLayer(id);
        if (!s || !l || s->generation != generation || s->source != render::sourceKeyOf(*l)) return;
        newCodepoints_.insert(newCodepoints_.end(), r.codepoints.begin(), r.codepoints.end());
        // In the CRS it was made in: if the display CRS changed meanwhile, update() below reprojects it.
        scene_.adopt(*s, std::move(r), *l, crs);
        // Its feature index (picking, labels' sizes, flying to a feature), made off the main thread after the layer
        // is on the map: a large load leaves it to first use (geo::loadVectorLayer). A pick before it is done waits.
        if (auto data = s->vectorData)
            pool_.submit<int>(
                JobPriority::Low, "", [data](geo::JobProgress&) { return (data->index(), 0); }, [](int&&) {});
        for (const auto& w : s->warnings) report(Message::Warning, l->name + ": " + w);
        changed_ = true;
        syncedRevision_ = 0;  // the CRS or style may have changed while it ran: check again
        update();
    };
    auto failed = [this, id, generation](const std::string& error) {
        render::SceneLayer* s = scene_.find(id);
        const geo::ProjectLayer* l = project().findLayer(id);
        if (!s || !l || s->generation != generation) return;
        scene_.fail(*s, error);
        report(Message::Error, l->name + ": " + error);
        changed_ = true;
    };
    const JobPriority priority = l.visible ? JobPriority::High : JobPriority::Normal;
    s.job = pool_.submit<render::LoadedLayer>(priority, "layer:" + std::to_string(id), std::move(work), std::move(done),
                                              std::move(failed));
}

size_t Document::defaultPreviewFeatures() {
    if (const char* e = std::getenv("PLANATLAS_PREVIEW_FEATURES")) return static_cast<size_t>(std::strtoull(e, nullptr, 10));
    return 100000;
}

void Document::adoptPreview(geo::LayerId id, uint64_t generation, const geo::JobProgress* job, const geo::Crs& crs,
                            render::LoadedLayer&& r) {
    render::SceneLayer* s = scene_.find(id);
    const geo::ProjectLayer* l = project().findLayer(id);
    if (!s || !l || s->generation != generation || s->job.get() != job || s->source != render::sourceKeyOf(*l)) return;
    if ((s->status != render::LoadStatus::Loading && !s->partial) || !(crs == crs_)) return;  // the whole comes anyway
    newCodepoints_.insert(newCodepoints_.end(), r.codepoints.begin(), r.codepoints.end());
    scene_.adoptPreview(*s, std::move(r), *l, crs);
    ++previewsShown_;
    lastPreviewFeatures_ = s->vectorData ? s->vectorData->source.table.featureCount() : 0;
    changed_ = true;
}

bool Document::prepareTiles(const geo::View& view) {
    bool redraw = false;
    for (const auto& l : project().layers) {
        render::SceneLayer* s = scene_.find(l.id);
        if (!s || !s->gpuTiles || !l.visible || !s->readyIn(crs_)) continue;
        redraw |= s->gpuTiles->prepare(view);
        // One message per outage, not one per tile: a new reason, or the same after a minute.
        const std::string& error = s->gpuTiles->lastError();
        TileErrorSaid& said = tileErrorsSaid_[l.id];
        const auto now = std::chrono::steady_clock::now();
        if (!error.empty() && error != said.text && (said.text.empty() || now - said.at > std::chrono::seconds(60))) {
            said = {error, now};
            report(Message::Error, l.name + ": basemap tiles: " + error);
        }
    }
    return redraw;
}

bool Document::tilesBusy() const {
    for (const auto& l : project().layers) {
        const render::SceneLayer* s = scene_.find(l.id);
        if (s && s->gpuTiles && l.visible && s->gpuTiles->animating()) return true;
    }
    return false;
}

void Document::refreshRasterDetail(const geo::View& view) {
    for (const auto& l : project().layers) {
        render::SceneLayer* s = scene_.find(l.id);
        if (!s || !scene_.wantsRasterDetail(*s, l, view, crs_)) continue;
        // A window a quarter larger than the view on each side, so small pans stay sharp.
        geo::BBox e = view.extent(), clipped;
        clipped.add(std::max(e.minX - 0.25 * e.width(), s->displayExtent.minX),
                    std::max(e.minY - 0.25 * e.height(), s->displayExtent.minY));
        clipped.add(std::min(e.maxX + 0.25 * e.width(), s->displayExtent.maxX),
                    std::min(e.maxY + 0.25 * e.height(), s->displayExtent.maxY));
        if (clipped.empty() || clipped.width() <= 0 || clipped.height() <= 0) continue;
        int pw = std::min(4096, static_cast<int>(std::ceil(clipped.width() / view.resolution)));
        int ph = std::min(4096, static_cast<int>(std::ceil(clipped.height() / view.resolution)));
        s->detail.extent = clipped;  // marks the request, so the next frames do not ask again
        s->detail.resolution = view.resolution;
        const uint64_t request = ++s->detail.request;
        const geo::LayerId id = l.id;
        const std::string crsKey = crs_.definition();
        // Keyed per layer: a newer window supersedes (cancels) the one still being read.
        pool_.submit<geo::RasterImage>(
            JobPriority::High, "detail:" + std::to_string(id),
            [source = l.source, crs = crs_, clipped, pw, ph](geo::JobProgress& p) {
                return geo::readRaster(source, crs, clipped, pw, ph, &p);
            },
            [this, id, request, crsKey](geo::RasterImage&& image) {
                render::SceneLayer* s = scene_.find(id);
                if (!s || s->detail.request != request || s->crs != crsKey) return;
                s->detail.gpu = std::make_shared<render::GpuRasterLayer>(image);
                changed_ = true;
            },
            [this, id](const std::string& error) {
                if (const geo::ProjectLayer* l = project().findLayer(id)) report(Message::Warning, l->name + ": " + error);
            });
    }
}

void Document::refreshDatabaseWindows(const geo::View& view) {
    lastView_ = view;
    lastViewCrs_ = crs_.definition();
    for (const auto& l : project().layers) {
        render::SceneLayer* s = scene_.find(l.id);
        if (!s || !isDatabase(l) || !l.visible || s->status != render::LoadStatus::Ready || !s->readyIn(crs_)) continue;
        const geo::BBox e = view.extent();
        const geo::BBox& w = s->dbWindow;
        const bool covered = !w.empty() && w.contains(e.minX, e.minY) && w.contains(e.maxX, e.maxY) &&
                             s->dbResolution <= 2 * view.resolution && s->dbResolution >= 0.5 * view.resolution;
        const bool whole = w.empty() && s->dbResolution == 0;  // read before the view was known: the whole table
        if (whole || covered) continue;
        const geo::BBox window = windowAround(view);
        const uint64_t request = ++s->dbRequest;
        s->dbWindow = window;  // marks the request, so the next frames do not ask again
        s->dbResolution = view.resolution;
        const geo::LayerId id = l.id;
        const std::string crsKey = crs_.definition();
        // Keyed per layer: a newer window supersedes (cancels) the one still being read.
        pool_.submit<render::LoadedLayer>(
            JobPriority::High, "layer:" + std::to_string(id),
            [layer = l, crs = crs_, window, resolution = view.resolution, upload = upload_](geo::JobProgress& p) {
                render::LoadedLayer r = loadWindow(layer, crs, window, resolution, p);
                p.throwIfCancelled();
                if (upload) uploadOnWorker(r, *upload);
                return r;
            },
            [this, id, request, crsKey](render::LoadedLayer&& r) {
                render::SceneLayer* s = scene_.find(id);
                const geo::ProjectLayer* l = project().findLayer(id);
                if (!s || !l || s->dbRequest != request || s->crs != crsKey || s->source != render::sourceKeyOf(*l)) return;
                const geo::BBox window = s->dbWindow;
                const double resolution = s->dbResolution;
                scene_.adopt(*s, std::move(r), *l, crs_);
                s->dbWindow = window;
                s->dbResolution = resolution;
                changed_ = true;
            },
            [this, id](const std::string& error) {
                render::SceneLayer* s = scene_.find(id);
                const geo::ProjectLayer* l = project().findLayer(id);
                if (!s || !l) return;
                // The connection dropped: the layer shows as broken with the cause; Repoint (or a reopen) retries.
                scene_.fail(*s, error);
                report(Message::Error, l->name + ": " + error);
                changed_ = true;
            });
    }
}

void Document::retry(geo::LayerId id) {
    render::SceneLayer* s = scene_.find(id);
    if (!s || s->status == render::LoadStatus::Loading) return;
    s->source = render::SourceKey{};  // no longer matches the project: need() asks for a load
    s->status = render::LoadStatus::Failed;
    s->dbWindow = geo::BBox{};
    s->dbResolution = 0;
    syncedRevision_ = 0;
    update();
}

void Document::cancelLoad(geo::LayerId id) {
    render::SceneLayer* s = scene_.find(id);
    if (!s || !s->job || (s->status != render::LoadStatus::Loading && !s->partial)) return;
    s->job->cancel();
    s->generation++;
    scene_.fail(*s, "loading cancelled");
    changed_ = true;
}

void Document::setSpotlight(std::vector<std::string> ids) {
    if (ids == scene_.spotlight()) return;
    scene_.setSpotlight(std::move(ids));
    syncedRevision_ = 0;
    update();
}

void Document::setTimelineOverride(std::optional<geo::Timeline> t) {
    if (t == timelineOverride_) return;
    timelineOverride_ = std::move(t);
    syncedRevision_ = 0;
    update();
}

bool Document::takeChanged() { return std::exchange(changed_, false); }

std::vector<uint32_t> Document::takeNewCodepoints() { return std::exchange(newCodepoints_, {}); }

bool Document::takeFirstLoad() {
    if (!firstLoadPending_ || loading() > 0) return false;
    firstLoadPending_ = false;
    return true;
}

size_t Document::loading() const {
    size_t n = 0;
    for (const auto& s : scene_.layers()) n += s->status == render::LoadStatus::Loading || s->partial;
    return n;
}

}  // namespace app::ui

#include "ui/document.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace app::ui {

namespace {
constexpr size_t kMaxMessages = 200;

struct LoadResult {
    render::LoadedLayer loaded;
    std::vector<uint32_t> codepoints;
};
}  // namespace

void Document::report(Message::Level level, const std::string& text) {
    messages_.push_back({level, text});
    while (messages_.size() > kMaxMessages) messages_.pop_front();
}

void Document::open(const geo::Project& project, const std::string& path) {
    geo::Crs crs = geo::Crs::fromUser(project.displayCrs);  // throws before anything changes
    jobs_.cancelAll();
    slots_.clear();
    slotIds_.clear();
    project_ = project;
    path_ = path;
    crs_ = crs;
    firstLoadPending_ = true;
    changed_ = true;
    addLayers(project.layers);
    project_.layers.clear();  // the slots own the layer settings from here on
}

void Document::addLayers(const std::vector<geo::ProjectLayer>& layers) {
    for (const auto& l : layers) {
        auto slot = std::make_unique<render::LayerSlot>();
        slot->config = l;
        slots_.push_back(std::move(slot));
        slotIds_.push_back(nextId_++);
        startLoad(*slots_.back(), false);
    }
    changed_ = true;
}

render::LayerSlot* Document::findSlot(uint64_t id) {
    for (size_t i = 0; i < slotIds_.size(); ++i)
        if (slotIds_[i] == id) return slots_[i].get();
    return nullptr;
}

void Document::startLoad(render::LayerSlot& slot, bool reprojectOnly) {
    size_t index = 0;
    while (slots_[index].get() != &slot) ++index;
    uint64_t id = slotIds_[index];
    uint64_t generation = ++slot.generation;
    if (slot.job) slot.job->cancel();
    slot.job = std::make_shared<geo::JobProgress>();
    slot.status = render::LoadStatus::Loading;
    geo::ProjectLayer config = slot.config;
    geo::Crs crs = crs_;
    std::shared_ptr<geo::VectorLayerData> data = reprojectOnly ? slot.vectorData : nullptr;
    jobs_.run<LoadResult>(
        slot.job,
        [config, crs, data](geo::JobProgress& p) {
            LoadResult r;
            if (data) {
                r.loaded = render::reprojectLoaded(data, crs, &p);
            } else {
                r.loaded = render::loadLayer(config, crs, &p);
                if (auto* v = std::get_if<geo::VectorContent>(&r.loaded.content.value))
                    r.codepoints = geo::collectCodepoints(v->data->source.table);
            }
            return r;
        },
        [this, id, generation](LoadResult&& r) {
            render::LayerSlot* s = findSlot(id);
            if (!s || s->generation != generation) return;  // removed or superseded meanwhile
            s->adopt(std::move(r.loaded));
            for (const auto& w : s->warnings) report(Message::Warning, s->config.name + ": " + w);
            newCodepoints_.insert(newCodepoints_.end(), r.codepoints.begin(), r.codepoints.end());
            changed_ = true;
        },
        [this, id, generation](const std::string& error) {
            render::LayerSlot* s = findSlot(id);
            if (!s || s->generation != generation) return;
            s->fail(error);
            report(Message::Error, s->config.name + ": " + error);
            changed_ = true;
        });
}

void Document::repoint(size_t index, const std::string& source) {
    if (index >= slots_.size()) return;
    slots_[index]->config.source = source;
    startLoad(*slots_[index], false);
    changed_ = true;
}

void Document::removeLayer(size_t index) {
    if (index >= slots_.size()) return;
    if (slots_[index]->job) slots_[index]->job->cancel();
    slots_.erase(slots_.begin() + static_cast<long>(index));
    slotIds_.erase(slotIds_.begin() + static_cast<long>(index));
    changed_ = true;
}

void Document::moveLayer(size_t index, int delta) {
    long to = static_cast<long>(index) + delta;
    if (index >= slots_.size() || to < 0 || to >= static_cast<long>(slots_.size())) return;
    std::swap(slots_[index], slots_[static_cast<size_t>(to)]);
    std::swap(slotIds_[index], slotIds_[static_cast<size_t>(to)]);
    changed_ = true;
}

void Document::setDisplayCrs(const geo::Crs& crs) {
    if (crs == crs_) return;
    crs_ = crs;
    for (auto& s : slots_) {
        bool vectorLoaded = s->vectorData != nullptr;
        if (s->status == render::LoadStatus::Failed && !vectorLoaded) continue;  // still broken; user must fix
        startLoad(*s, vectorLoaded);
    }
    changed_ = true;
}

void Document::restyle(size_t index) {
    if (index >= slots_.size()) return;
    auto& s = *slots_[index];
    s.restyle();
    changed_ = true;
}

void Document::refreshRasterDetail(const geo::View& view) {
    for (size_t i = 0; i < slots_.size(); ++i) {
        render::LayerSlot& slot = *slots_[i];
        if (!slot.wantsRasterDetail(view)) continue;
        // A window a quarter larger than the view on each side, so small pans stay sharp.
        geo::BBox e = view.extent(), w;
        w.add(e.minX - 0.25 * e.width(), e.minY - 0.25 * e.height());
        w.add(e.maxX + 0.25 * e.width(), e.maxY + 0.25 * e.height());
        geo::BBox clipped;
        clipped.add(std::max(w.minX, slot.displayExtent.minX), std::max(w.minY, slot.displayExtent.minY));
        clipped.add(std::min(w.maxX, slot.displayExtent.maxX), std::min(w.maxY, slot.displayExtent.maxY));
        if (clipped.empty() || clipped.width() <= 0 || clipped.height() <= 0) continue;
        int pw = static_cast<int>(std::ceil(clipped.width() / view.resolution));
        int ph = static_cast<int>(std::ceil(clipped.height() / view.resolution));
        slot.detailExtent = clipped;  // marks the request, so the next frames do not ask again
        slot.detailResolution = view.resolution;
        uint64_t id = slotIds_[i], generation = slot.generation, request = ++slot.detailRequest;
        std::string source = slot.config.source;
        geo::Crs crs = crs_;
        auto progress = std::make_shared<geo::JobProgress>();
        jobs_.run<geo::RasterImage>(
            progress,
            [source, crs, clipped, pw, ph](geo::JobProgress& p) {
                return geo::readRaster(source, crs, clipped, std::min(pw, 4096), std::min(ph, 4096), &p);
            },
            [this, id, generation, request](geo::RasterImage&& image) {
                render::LayerSlot* s = findSlot(id);
                if (!s || s->generation != generation || s->detailRequest != request) return;
                s->gpuRasterDetail = std::make_unique<render::GpuRasterLayer>(image);
                changed_ = true;
            },
            [this, id](const std::string& error) {
                if (render::LayerSlot* s = findSlot(id)) report(Message::Warning, s->config.name + ": " + error);
            });
    }
}

void Document::cancelLoad(size_t index) {
    if (index >= slots_.size() || !slots_[index]->job) return;
    slots_[index]->job->cancel();
    slots_[index]->generation++;
    slots_[index]->fail("loading cancelled");
    changed_ = true;
}

geo::Project Document::toProject() const {
    geo::Project p = project_;
    p.displayCrs = crs_.definition();
    p.layers.clear();
    for (const auto& s : slots_) p.layers.push_back(s->config);
    return p;
}

bool Document::takeChanged() { return std::exchange(changed_, false); }

std::vector<uint32_t> Document::takeNewCodepoints() { return std::exchange(newCodepoints_, {}); }

bool Document::takeFirstLoad() {
    if (!firstLoadPending_) return false;
    for (const auto& s : slots_)
        if (s->status == render::LoadStatus::Loading) return false;
    firstLoadPending_ = false;
    return true;
}

size_t Document::loading() const {
    size_t n = 0;
    for (const auto& s : slots_) n += s->status == render::LoadStatus::Loading;
    return n;
}

}  // namespace app::ui

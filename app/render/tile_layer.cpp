#include "render/tile_layer.hpp"
#include "render/tile_loader.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "render/gpu_layer.hpp"
#include "render/map_renderer.hpp"
#include "render/programs.hpp"

namespace app::render {

namespace {
using Clock = std::chrono::steady_clock;
constexpr double kFadeSeconds = 0.2;
constexpr int kMaxAncestorLevels = 8;
constexpr double kRetrySeconds = 30.0;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
}  // namespace

struct GpuTileLayer::Resident {
    gl::Texture texture;
    gl::Buffer vertices, indices;
    gl::VertexArray vao;
    GLsizei indexCount = 0;
    double originX = 0, originY = 0;
    geo::BBox bounds;
    uint64_t lastFrame = 0;
    Clock::time_point readyAt;
    size_t bytes = 0;
    bool absent = false;  // the source has no tile here: nothing to draw, nothing to wait for
};

GpuTileLayer::GpuTileLayer(std::shared_ptr<geo::TileProvider> provider, const geo::Crs& display, bool gcj02)
    : provider_(std::move(provider)),
      warp_(std::make_shared<const geo::TileWarp>(provider_->grid(), display, gcj02)),
      queue_(std::make_shared<TileQueue>()) {
    queue_->provider = provider_;
    queue_->warp = warp_;
    attachTileQueue(queue_);
}

GpuTileLayer::GpuTileLayer(std::shared_ptr<geo::TileProvider> provider, std::shared_ptr<const geo::TileWarp> warp)
    : provider_(std::move(provider)), warp_(std::move(warp)), queue_(std::make_shared<TileQueue>()) {
    queue_->provider = provider_;
    queue_->warp = warp_;
    attachTileQueue(queue_);
}

std::shared_ptr<GpuTileLayer> GpuTileLayer::fresh() const {
    return std::shared_ptr<GpuTileLayer>(new GpuTileLayer(provider_, warp_));
}

GpuTileLayer::~GpuTileLayer() {
    queue_->closed = true;
    std::lock_guard<std::mutex> lock(queue_->mutex);
    queue_->wanted.clear();
}

int GpuTileLayer::levelFor(const geo::View& view) const {
    if (synchronous_ && fixedLevel_ >= 0) return fixedLevel_;
    geo::BBox ext = view.extent();
    double gridPerPixel = view.resolution * warp_->gridUnitsPerDisplayUnit(ext);
    return provider_->grid().levelFor(gridPerPixel);
}

std::vector<geo::TileKey> GpuTileLayer::wanted(const geo::View& view, int level) const {
    std::vector<geo::TileKey> keys;
    if (level < 0) return keys;
    geo::BBox gridBox = warp_->toGrid(view.extent());
    geo::TileRange r = provider_->grid().tilesCovering(gridBox, level);
    if (r.empty()) return keys;
    if (r.count() > kMaxTilesPerRender)
        throw geo::LimitError(provider_->displayName(), "",
                              "the view needs " + std::to_string(r.count()) + " tiles at level " + std::to_string(level) +
                                  " (at most " + std::to_string(kMaxTilesPerRender) + "); render a smaller area or size");
    keys.reserve(size_t(r.count()));
    for (int y = r.y0; y <= r.y1; ++y)
        for (int x = r.x0; x <= r.x1; ++x) keys.push_back({level, x, y});
    // Nearest the centre first.
    double cx = 0.5 * (r.x0 + r.x1), cy = 0.5 * (r.y0 + r.y1);
    std::stable_sort(keys.begin(), keys.end(), [&](const geo::TileKey& a, const geo::TileKey& b) {
        return std::hypot(a.x - cx, a.y - cy) < std::hypot(b.x - cx, b.y - cy);
    });
    return keys;
}

GpuTileLayer::Resident* GpuTileLayer::find(const geo::TileKey& k) {
    auto it = textures_.find(k);
    return it == textures_.end() ? nullptr : it->second.get();
}

void GpuTileLayer::upload(TileReady&& r) {
    if (r.status == geo::TileStatus::Missing) {
        ++failed_;
        lastError_ = r.error;
        failedAt_[r.key] = Clock::now();
        return;
    }
    failedAt_.erase(r.key);
    auto res = std::make_unique<Resident>();
    res->lastFrame = frame_;
    res->readyAt = Clock::now();
    if (r.status == geo::TileStatus::Absent) {
        res->absent = true;
        textures_[r.key] = std::move(res);
        return;
    }
    res->texture = gl::makeTexture();
    glBindTexture(GL_TEXTURE_2D, res->texture.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, r.image.width, r.image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 r.image.rgba.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    res->vao = gl::makeVertexArray();
    glBindVertexArray(res->vao.id());
    res->vertices = gl::uploadBuffer(GL_ARRAY_BUFFER, r.mesh.vertices.data(), r.mesh.vertices.size() * sizeof(float));
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), reinterpret_cast<const void*>(8));
    res->indices = gl::uploadBuffer(GL_ELEMENT_ARRAY_BUFFER, r.mesh.indices.data(),
                                    r.mesh.indices.size() * sizeof(uint32_t));
    glBindVertexArray(0);
    res->indexCount = GLsizei(r.mesh.indices.size());
    res->originX = r.mesh.originX;
    res->originY = r.mesh.originY;
    res->bounds = r.mesh.bounds;
    res->bytes = size_t(r.image.width) * size_t(r.image.height) * 4 + r.mesh.vertices.size() * 4 +
                 r.mesh.indices.size() * 4;
    residentBytes_ += res->bytes;
    textures_[r.key] = std::move(res);
}

void GpuTileLayer::evict() {
    if (residentBytes_ <= budgetBytes_) return;
    std::vector<std::pair<uint64_t, geo::TileKey>> order;
    for (auto& [k, t] : textures_)
        if (t->lastFrame < frame_) order.push_back({t->lastFrame, k});
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [frame, k] : order) {
        if (residentBytes_ <= budgetBytes_ * 9 / 10) break;
        residentBytes_ -= textures_[k]->bytes;
        textures_.erase(k);
    }
}

bool GpuTileLayer::prepare(const geo::View& view, double uploadBudgetMs) {
    ++frame_;
    level_ = levelFor(view);
    std::vector<geo::TileKey> keys;
    try {
        keys = wanted(view, level_);
    } catch (const geo::LimitError& e) {
        lastError_ = e.what();
        keys.clear();
    }
    // Adopt finished tiles within the budget.
    std::vector<TileReady> done;
    {
        std::lock_guard<std::mutex> lock(queue_->mutex);
        done.swap(queue_->done);
    }
    auto t0 = Clock::now();
    size_t i = 0;
    for (; i < done.size(); ++i) {
        // Stop before an upload that would likely pass the budget (the first one always goes).
        if (i > 0 && secondsSince(t0) * 1000.0 + lastUploadMs_ > uploadBudgetMs) break;
        auto u0 = Clock::now();
        upload(std::move(done[i]));
        lastUploadMs_ = secondsSince(u0) * 1000.0;
    }
    if (i < done.size()) {
        std::lock_guard<std::mutex> lock(queue_->mutex);
        for (; i < done.size(); ++i) queue_->done.push_back(std::move(done[i]));
    }
    // What is still missing, and a coarse ancestor to stand in for it when none is held.
    std::deque<geo::TileKey> request;
    std::set<geo::TileKey> ancestors;
    size_t missing = 0;
    for (const geo::TileKey& k : keys) {
        if (Resident* r = find(k)) {
            r->lastFrame = frame_;
            continue;
        }
        if (auto f = failedAt_.find(k); f != failedAt_.end() && secondsSince(f->second) < kRetrySeconds) continue;
        ++missing;
        request.push_back(k);
        bool covered = false;
        for (geo::TileKey a = k; a.z > provider_->grid().minLevel && k.z - a.z < kMaxAncestorLevels;) {
            a = a.parent();
            if (Resident* r = find(a)) {
                r->lastFrame = frame_;
                covered = true;
                break;
            }
        }
        if (!covered && provider_->grid().quadtree(std::max(0, k.z - 1))) {
            geo::TileKey a = k;
            for (int n = 0; n < 3 && a.z > provider_->grid().minLevel; ++n) a = a.parent();
            if (a.z < k.z) ancestors.insert(a);
        }
    }
    for (const geo::TileKey& a : ancestors) request.push_back(a);
    pending_ = missing;
    {
        std::lock_guard<std::mutex> lock(queue_->mutex);
        queue_->wanted.clear();
        for (const geo::TileKey& k : request)
            if (!queue_->inFlight.count(k)) queue_->wanted.push_back(k);
    }
    if (!request.empty()) wakeTileLoader();
    evict();
    return i > 0 || fading_;
}

bool GpuTileLayer::animating() const {
    if (pending_ > 0 || fading_) return true;
    std::lock_guard<std::mutex> lock(queue_->mutex);
    return !queue_->done.empty() || !queue_->inFlight.empty() || !queue_->wanted.empty();
}

TilePrefetch GpuTileLayer::prefetch(const geo::View& view, geo::JobProgress* progress) {
    TilePrefetch out;
    fixedLevel_ = -1;
    out.level = levelFor(view);
    fixedLevel_ = out.level;
    std::vector<geo::TileKey> keys = wanted(view, out.level);
    out.tiles = int64_t(keys.size());
    std::mutex m;
    std::atomic<size_t> next{0};
    bool keepBytes = !geo::tileEnvironment().cache && provider_->remote();
    auto work = [&] {
        for (size_t i; (i = next.fetch_add(1)) < keys.size();) {
            if (progress && progress->cancelled()) return;
            geo::TileFetch f = provider_->fetch(keys[i], progress ? progress->cancelFlag() : nullptr);
            std::lock_guard<std::mutex> lock(m);
            if (f.status == geo::TileStatus::Ok) {
                (f.fromCache ? out.cached : out.fetched)++;
                if (keepBytes) memory_[keys[i]] = std::move(f.data);
            } else if (f.status == geo::TileStatus::Absent) {
                ++out.absent;
            } else {
                ++out.missing;
                if (out.firstError.empty()) out.firstError = f.error;
            }
            if (progress) progress->set(float(out.fetched + out.cached + out.absent + out.missing) / float(keys.size()));
        }
    };
    std::vector<std::thread> threads;
    int n = int(std::min<size_t>(keys.size(), provider_->remote() ? kTileLoaderThreads : 2));
    for (int t = 0; t < n; ++t) threads.emplace_back(work);
    for (std::thread& t : threads) t.join();
    return out;
}

void GpuTileLayer::loadNow(const std::vector<geo::TileKey>& keys) {
    for (const geo::TileKey& k : keys) {
        if (find(k)) continue;
        geo::TileFetch f;
        auto it = memory_.find(k);
        if (it != memory_.end()) {
            f.status = geo::TileStatus::Ok;
            f.data = it->second;
        } else {
            f = provider_->cached(k);
            if (f.status == geo::TileStatus::Missing) f = provider_->fetch(k);
        }
        upload(makeTileReady(*queue_, k, std::move(f)));
        if (Resident* r = find(k)) r->readyAt = Clock::now() - std::chrono::seconds(10);  // no fade headless
        evict();
    }
}

void GpuTileLayer::drawTile(const Programs& programs, const DrawParams& params, Resident& t, float alpha) {
    if (t.absent || t.indexCount == 0) return;
    if (!params.view->extent().intersects(t.bounds)) return;
    const gl::Program& p = programs.raster;
    setViewUniforms(p, *params.view, t.originX, t.originY);
    glUniform1f(p.uniform("u_alpha"), alpha);
    glBindTexture(GL_TEXTURE_2D, t.texture.id());
    glBindVertexArray(t.vao.id());
    glDrawElements(GL_TRIANGLES, t.indexCount, GL_UNSIGNED_INT, nullptr);
}

void GpuTileLayer::draw(const Programs& programs, const DrawParams& params) {
    const geo::View& view = *params.view;
    int level = levelFor(view);
    std::vector<geo::TileKey> keys;
    try {
        keys = wanted(view, level);
    } catch (const geo::LimitError& e) {
        lastError_ = e.what();
        return;
    }
    if (synchronous_) {
        ++frame_;
        loadNow(keys);
    }
    const gl::Program& p = programs.raster;
    p.use();
    glActiveTexture(GL_TEXTURE0);
    glUniform1i(p.uniform("u_image"), 0);
    // Stand-ins first (coarse to fine), then the level's own tiles on top.
    std::set<geo::TileKey> under;
    std::vector<Resident*> own;
    const geo::TileGrid& grid = provider_->grid();
    for (const geo::TileKey& k : keys) {
        Resident* r = find(k);
        if (r && (r->absent || secondsSince(r->readyAt) >= kFadeSeconds)) {
            own.push_back(r);
            continue;
        }
        if (r) own.push_back(r);  // fading in: over whatever stands in
        // Zooming out: the four children, when all are held, are sharper than any ancestor.
        if (grid.quadtree(k.z)) {
            std::vector<geo::TileKey> kids;
            for (int dy = 0; dy < 2; ++dy)
                for (int dx = 0; dx < 2; ++dx) {
                    geo::TileKey c{k.z + 1, 2 * k.x + dx, 2 * k.y + dy};
                    if (Resident* cr = find(c); cr && !cr->absent) kids.push_back(c);
                }
            if (kids.size() == 4) {
                under.insert(kids.begin(), kids.end());
                continue;
            }
        }
        // Zooming in or panning: the nearest held ancestor.
        for (geo::TileKey a = k; a.z > grid.minLevel && k.z - a.z < kMaxAncestorLevels && grid.quadtree(a.z - 1);) {
            a = a.parent();
            if (Resident* ar = find(a); ar && !ar->absent) {
                under.insert(a);
                break;
            }
        }
    }
    fading_ = false;
    for (const geo::TileKey& k : under) {  // std::set orders by level: coarse first
        Resident* r = find(k);
        r->lastFrame = frame_;
        drawTile(programs, params, *r, 1.0f);
    }
    for (Resident* r : own) {
        r->lastFrame = frame_;
        double age = secondsSince(r->readyAt);
        float alpha = synchronous_ ? 1.0f : float(std::clamp(age / kFadeSeconds, 0.0, 1.0));
        if (alpha < 1.0f) fading_ = true;
        drawTile(programs, params, *r, alpha);
    }
    glBindVertexArray(0);
}

void prepareTilesForOutput(std::vector<DrawItem>& items, const geo::View& view, bool allowMissing,
                           std::vector<std::string>& warnings, geo::JobProgress* progress) {
    for (DrawItem& item : items) {
        if (!item.tiles) continue;
        std::shared_ptr<GpuTileLayer> own = item.tiles->fresh();
        TilePrefetch p = own->prefetch(view, progress);
        own->setSynchronous(true);
        item.tiles = own;
        if (p.tiles > 0 && p.absent == p.tiles)  // never a silently blank basemap
            warnings.push_back(own->provider().displayName() + ": the source has no tiles in this area (level " +
                               std::to_string(p.level) + ")");
        if (p.missing == 0) continue;
        std::string what = std::to_string(p.missing) + " of " + std::to_string(p.tiles) + " tiles (level " +
                           std::to_string(p.level) + ") could be neither fetched nor found in the cache";
        if (!p.firstError.empty()) what += " (" + p.firstError + ")";
        if (!allowMissing)
            throw geo::IoError(own->provider().displayName(), "",
                               what + "; --allow-missing-tiles draws without them");
        warnings.push_back(own->provider().displayName() + ": " + what + "; drawn without them");
    }
}

}  // namespace app::render

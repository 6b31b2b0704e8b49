#pragma once
// A tile basemap on the GPU: the tiles a view needs, fetched and decoded off the main thread (render/tile_loader.hpp),
// uploaded within a per-frame budget, kept in a texture LRU under a GPU-memory budget, and drawn warped into the
// display CRS (geo/tiles/tile_warp.hpp). While a tile loads, a loaded ancestor (or its loaded children) stands in,
// so the map is never blank where anything coarser is held; new tiles fade in.
//
// Two ways to use it:
//   viewer    prepare(view) once a frame (requests, uploads), draw() from the map renderer; animating() says
//             whether more frames are wanted (loads in flight, fades running);
//   headless  prefetch(view) before rendering (every tile of the output fetched, or the missing ones reported),
//             then setSynchronous(true): draw() loads what each output tile needs before drawing it.
// Main thread only (GL), except the loader's threads, which touch no GL.
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/job.hpp"
#include "gl/gl_objects.hpp"
#include "tiles/tile_provider.hpp"
#include "tiles/tile_warp.hpp"
#include "view/view.hpp"

namespace app::render {

struct Programs;
struct DrawParams;

// Cap on the tiles one headless render may fetch (an A0 at 300 dpi of a city is ~3000 tiles of 256 px).
constexpr int64_t kMaxTilesPerRender = 20000;

struct TilePrefetch {
    int level = -1;
    int64_t tiles = 0, fetched = 0, cached = 0, absent = 0, missing = 0;
    std::string firstError;  // of a missing tile (source named, key redacted)
};

class GpuTileLayer {
public:
    GpuTileLayer(std::shared_ptr<geo::TileProvider> provider, const geo::Crs& display, bool gcj02);
    ~GpuTileLayer();
    GpuTileLayer(const GpuTileLayer&) = delete;
    GpuTileLayer& operator=(const GpuTileLayer&) = delete;

    // Viewer, once a frame: picks the level, requests missing tiles (nearest the centre first), uploads finished
    // ones within `uploadBudgetMs`. Cheap when nothing changed. True when the picture changed (tiles arrived,
    // or fade-ins are running): the map needs a redraw.
    bool prepare(const geo::View& view, double uploadBudgetMs = 6.0);
    bool animating() const;
    // Headless: fetches every tile `view` needs (in parallel) into the cache or memory; counts what is missing.
    // Throws geo::LimitError when the view needs more than kMaxTilesPerRender tiles.
    TilePrefetch prefetch(const geo::View& view, geo::JobProgress* progress = nullptr);
    void setSynchronous(bool sync) { synchronous_ = sync; }

    void draw(const Programs& programs, const DrawParams& params);
    // A fresh layer over the same source and warp (nothing resident): an export's own copy, so the screen's
    // layer keeps drawing as it did.
    std::shared_ptr<GpuTileLayer> fresh() const;

    const geo::TileProvider& provider() const { return *provider_; }
    // Tiles held on the GPU and their bytes; the level of the last view.
    size_t residentTiles() const { return textures_.size(); }
    size_t residentBytes() const { return residentBytes_; }
    int level() const { return level_; }
    // Tiles the last prepared view still waits for, and tiles that failed (with the newest reason).
    size_t pendingTiles() const { return pending_; }
    uint64_t failedTiles() const { return failed_; }
    const std::string& lastError() const { return lastError_; }
    void setGpuBudget(size_t bytes) { budgetBytes_ = bytes; }

private:
    GpuTileLayer(std::shared_ptr<geo::TileProvider> provider, std::shared_ptr<const geo::TileWarp> warp);
    struct Resident;
    int levelFor(const geo::View& view) const;
    std::vector<geo::TileKey> wanted(const geo::View& view, int level) const;
    void upload(struct TileReady&& r);
    void evict();
    Resident* find(const geo::TileKey& k);
    void drawTile(const Programs& programs, const DrawParams& params, Resident& t, float alpha);
    void loadNow(const std::vector<geo::TileKey>& keys);

    std::shared_ptr<geo::TileProvider> provider_;
    std::shared_ptr<const geo::TileWarp> warp_;
    std::unordered_map<geo::TileKey, std::unique_ptr<Resident>, geo::TileKeyHash> textures_;
    std::unordered_map<geo::TileKey, std::vector<uint8_t>, geo::TileKeyHash> memory_;  // prefetched, no disk cache
    // Tiles that failed, and when: asked again only after kRetrySeconds (no hammering a failing server).
    std::unordered_map<geo::TileKey, std::chrono::steady_clock::time_point, geo::TileKeyHash> failedAt_;
    double lastUploadMs_ = 0;  // the newest upload's cost, to keep the next one inside the frame budget
    size_t residentBytes_ = 0;
    size_t budgetBytes_ = size_t(256) << 20;
    uint64_t frame_ = 0;
    int level_ = -1;
    int fixedLevel_ = -1;  // headless: the level prefetch chose, kept for every output tile
    size_t pending_ = 0;
    uint64_t failed_ = 0;
    std::string lastError_;
    bool synchronous_ = false;
    bool fading_ = false;
    std::shared_ptr<struct TileQueue> queue_;
};

struct DrawItem;
// Headless outputs (render, export): gives every tile item of `items` its own synchronous layer with every tile
// of `view` prefetched. Missing tiles (neither fetched nor cached) throw geo::IoError naming the source, unless
// `allowMissing` (then they are left out, with a line in `warnings`). Progress lines go to `progress`.
void prepareTilesForOutput(std::vector<DrawItem>& items, const geo::View& view, bool allowMissing,
                           std::vector<std::string>& warnings, geo::JobProgress* progress = nullptr);

}  // namespace app::render

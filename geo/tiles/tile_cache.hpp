#pragma once
// The disk cache of fetched tiles, $XDG_CACHE_HOME/planatlas/tiles by default: one folder per source (named by a
// hash of its redacted template, so no key ever reaches the disk), a file per tile holding the encoded image and
// its HTTP validators. Size capped: least recently used tiles are evicted past `capBytes`. Writes are atomic
// (temporary + rename); a damaged entry reads as absent. Thread-safe.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tiles/tile_grid.hpp"

namespace geo {

struct CachedTile {
    std::vector<uint8_t> data;  // encoded image (PNG, JPEG, WebP); empty with `absent` true: the server had none (404)
    bool absent = false;
    std::string etag, lastModified;
    int64_t fetchedAt = 0;  // unix seconds
    int64_t expiresAt = 0;  // unix seconds; 0 = no freshness given (revalidate after kDefaultTileFreshness)
    bool fresh(int64_t now) const;
};

constexpr int64_t kDefaultTileFreshness = 7 * 24 * 3600;

class TileCache {
public:
    // `dir` is created when missing. Throws IoError when it cannot be.
    TileCache(std::string dir, uint64_t capBytes);
    const std::string& dir() const { return dir_; }
    // `sourceId` from tileSourceId().
    std::optional<CachedTile> get(const std::string& sourceId, const TileKey& k);
    void put(const std::string& sourceId, const TileKey& k, const CachedTile& t);
    // Total bytes held (as last counted) and eviction down to the cap.
    uint64_t sizeBytes();
    void evictToCap();

private:
    std::string pathOf(const std::string& sourceId, const TileKey& k) const;
    std::string dir_;
    uint64_t cap_;
    std::mutex mutex_;
    uint64_t size_ = 0;
    bool counted_ = false;
};

// A stable folder name for a tile source: hex of a hash of its redacted template (or file path) and options.
std::string tileSourceId(const std::string& redactedSource, const std::string& variant = "");
// $XDG_CACHE_HOME/planatlas/tiles (or ~/.cache/planatlas/tiles).
std::string defaultTileCacheDir();

}  // namespace geo

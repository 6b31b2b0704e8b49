#pragma once
// One open tile source: its grid, attribution and tiles, wherever they come from (the disk cache, the network,
// a local MBTiles/GeoPackage file). Thread-safe: the worker pool fetches many tiles of one provider at once.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tiles/http_client.hpp"
#include "tiles/tile_cache.hpp"
#include "tiles/tile_source.hpp"

namespace geo {

class TileFile;

// What a provider may use; shared by every tile layer of a process.
struct TileEnvironment {
    std::shared_ptr<HttpClient> http;   // null = no network
    std::shared_ptr<TileCache> cache;   // null = no disk cache
    // The user's key for a URL's host ("" = none); substituted for {key} at request time only.
    std::function<std::string(const std::string& host)> keyFor;
    bool offline = false;  // never contact the network (cached tiles still draw)
};

// The process's environment for tile sources. Until the app sets one: an HTTP client, the disk cache in
// defaultTileCacheDir() capped at kDefaultTileCacheBytes (none when that folder cannot be made), no keys, online.
constexpr uint64_t kDefaultTileCacheBytes = uint64_t(1) << 30;
TileEnvironment tileEnvironment();
void setTileEnvironment(TileEnvironment env);

enum class TileStatus { Ok, Absent, Missing };
struct TileFetch {
    TileStatus status = TileStatus::Missing;  // Absent: the source has no tile there (404, not in the file)
    std::vector<uint8_t> data;                // encoded image (Ok)
    bool fromCache = false;
    std::string error;  // Missing: why ("connection refused", "HTTP 500", "truncated PNG"...)
};

struct TileStats {
    uint64_t network = 0, cacheHits = 0, absent = 0, failed = 0;
    bool lastNetworkFailed = false;  // the newest network attempt failed: "offline (cached)" when the cache serves
    std::string lastError;
};

class TileProvider {
public:
    // Opens a source: a template is checked only for its form; WMTS fetches (or reads from the cache) its
    // capabilities; a file is opened. Throws IoError / FormatError naming the source (key redacted).
    static std::shared_ptr<TileProvider> open(const TileSourceSpec& spec, const TileEnvironment& env,
                                              const std::atomic<bool>* cancel = nullptr);
    ~TileProvider();
    const TileSourceSpec& spec() const { return spec_; }
    const TileGrid& grid() const { return grid_; }
    // The source as it may be shown: template or URL with any key redacted, or the file path.
    const std::string& displayName() const { return name_; }
    std::string attribution() const;
    bool remote() const { return !file_; }
    // Blocking: a fresh cached copy; else the network (conditional when a stale copy exists); else a stale copy;
    // else Missing with the reason. Offline: the cache only.
    TileFetch fetch(const TileKey& k, const std::atomic<bool>* cancel = nullptr);
    // Only what is on disk (cache or file), never the network.
    TileFetch cached(const TileKey& k);
    TileStats stats() const;

private:
    TileProvider() = default;
    std::string urlFor(const TileKey& k, bool withKey) const;
    TileSourceSpec spec_;
    TileEnvironment env_;
    TileGrid grid_;
    std::string name_, template_, sourceId_, attribution_;
    std::vector<std::string> matrixIds_;
    std::unique_ptr<TileFile> file_;
    mutable std::mutex statsMutex_;
    TileStats stats_;
};

}  // namespace geo

#include "tiles/tile_pack.hpp"

// [SECTION] Terms of use
// [SECTION] The tiles of a request
// [SECTION] estimatePack
// [SECTION] packTiles

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "crs/crs.hpp"
#include "tiles/tile_image.hpp"
#include "tiles/tile_provider.hpp"
#include "tiles/tile_store.hpp"

namespace geo {

namespace {

constexpr double kMercatorHalf = 20037508.342789244;
constexpr double kMaxMercatorLat = 85.0511287798066;
constexpr int64_t kFallbackTileBytes = 20 * 1024;

// [SECTION] Terms of use

// Hosts whose terms forbid bulk downloading ("scraping"): the host itself and its subdomains.
const char* const kNoBulkHosts[] = {"tile.openstreetmap.org", "tile.osm.org"};

bool hostForbidsBulk(const std::string& host) {
    for (const char* h : kNoBulkHosts) {
        std::string forbidden = h;
        if (host == forbidden) return true;
        if (host.size() > forbidden.size() &&
            host.compare(host.size() - forbidden.size(), forbidden.size(), forbidden) == 0 &&
            host[host.size() - forbidden.size() - 1] == '.')
            return true;
    }
    return false;
}

// [SECTION] The tiles of a request

struct PackLevel {
    TileRange range;  // in the provider's grid
    int zoom = 0;     // MBTiles zoom of the level
};

// The MBTiles zoom of a level of a Web Mercator quadtree grid; -1 when the level is not one (MBTiles holds only
// the OpenStreetMap-style pyramid).
int mbtilesZoom(const TileGrid& grid, int level) {
    const TileMatrix& m = grid.levels[size_t(level)];
    if (m.matrixWidth < 1 || m.matrixWidth != m.matrixHeight || (m.matrixWidth & (m.matrixWidth - 1)) != 0) return -1;
    int zoom = 0;
    while ((1 << zoom) < m.matrixWidth) ++zoom;
    double span = m.resolution * grid.tileWidth * m.matrixWidth;
    bool fits = std::fabs(m.originX + kMercatorHalf) < 1.0 && std::fabs(m.originY - kMercatorHalf) < 1.0 &&
                std::fabs(span - 2 * kMercatorHalf) < 2 * kMercatorHalf * 1e-6 && grid.tileWidth == grid.tileHeight;
    return fits ? zoom : -1;
}

std::vector<PackLevel> packLevels(const TileProvider& provider, const PackRequest& request) {
    const TileGrid& grid = provider.grid();
    if (request.lonLat.empty()) throw Error(request.out, "", "the box to pack is empty");
    if (request.minZoom > request.maxZoom)
        throw Error(
            request.out,
            "",
            "zoom range " + std::to_string(request.minZoom) + "-" + std::to_string(request.maxZoom) + " is empty");
    int z0 = std::max(request.minZoom, grid.minLevel), z1 = std::min(request.maxZoom, grid.maxLevel());
    if (z0 > z1)
        throw Error(provider.displayName(),
                    "",
                    "zoom range " + std::to_string(request.minZoom) + "-" + std::to_string(request.maxZoom) +
                        " is outside the source's levels " + std::to_string(grid.minLevel) + "-" +
                        std::to_string(grid.maxLevel()));
    BBox lonLat = request.lonLat;
    if (grid.crs == "EPSG:3857") {
        lonLat.minY = std::max(lonLat.minY, -kMaxMercatorLat);
        lonLat.maxY = std::min(lonLat.maxY, kMaxMercatorLat);
    }
    BBox box = transformBox(lonLat, Transformer(Crs::wgs84(), Crs::fromUser(grid.crs)));
    if (box.empty()) throw Error(provider.displayName(), "", "the box to pack is outside the source's map");
    std::vector<PackLevel> levels;
    for (int z = z0; z <= z1; ++z) {
        PackLevel l;
        l.range = grid.tilesCovering(box, z);
        l.zoom = mbtilesZoom(grid, z);
        levels.push_back(l);
    }
    return levels;
}

int64_t countTiles(const std::vector<PackLevel>& levels) {
    int64_t n = 0;
    for (const PackLevel& l : levels) n += l.range.count();
    return n;
}

// Walks the tiles of the levels row by row.
class TileWalk {
public:
    explicit TileWalk(const std::vector<PackLevel>& levels) : levels_(levels) { skipEmpty(); }
    bool next(TileKey& key, int& zoom) {
        if (level_ >= levels_.size()) return false;
        const PackLevel& l = levels_[level_];
        key = {l.range.z, x_, y_};
        zoom = l.zoom;
        if (++x_ > l.range.x1) {
            x_ = l.range.x0;
            if (++y_ > l.range.y1) {
                ++level_;
                skipEmpty();
            }
        }
        return true;
    }

private:
    void skipEmpty() {
        while (level_ < levels_.size() && levels_[level_].range.empty()) ++level_;
        if (level_ < levels_.size()) {
            x_ = levels_[level_].range.x0;
            y_ = levels_[level_].range.y0;
        }
    }
    const std::vector<PackLevel>& levels_;
    size_t level_ = 0;
    int x_ = 0, y_ = 0;
};

std::string formatNumber(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.8g", v);
    return buf;
}

}  // namespace

void checkBulkDownloadAllowed(const TileProvider& provider) {
    if (!provider.remote()) return;
    std::string host = urlHost(provider.spec().source);
    if (!hostForbidsBulk(host)) return;
    throw Error(provider.displayName(),
                "",
                "OpenStreetMap's own tile servers (" + host +
                    ") forbid bulk downloading for offline use (OSMF tile usage policy: "
                    "https://operations.osmfoundation.org/policies/tiles/). Pack from a tile provider whose terms "
                    "allow offline copies, or use a local MBTiles file made for the area.");
}

// [SECTION] estimatePack

PackEstimate estimatePack(TileProvider& provider, const PackRequest& request) {
    std::vector<PackLevel> levels = packLevels(provider, request);
    PackEstimate e;
    e.tiles = countTiles(levels);

    std::error_code ec;
    if (!request.out.empty() && std::filesystem::exists(request.out, ec)) {
        MBTilesWriter existing(request.out);
        TileWalk walk(levels);
        TileKey k;
        int zoom = 0;
        while (walk.next(k, zoom))
            if (zoom >= 0 && existing.has({zoom, k.x, k.y})) ++e.alreadyThere;
    }

    // Most tiles are on the deepest level: sample its middle and corners, then the level above.
    std::vector<TileKey> samples;
    for (auto it = levels.rbegin(); it != levels.rend() && samples.size() < 4; ++it) {
        const TileRange& r = it->range;
        if (r.empty()) continue;
        TileKey candidates[] = {{r.z, (r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2}, {r.z, r.x0, r.y0}, {r.z, r.x1, r.y1}};
        for (const TileKey& k : candidates)
            if (samples.size() < 4 && std::find(samples.begin(), samples.end(), k) == samples.end())
                samples.push_back(k);
    }
    int64_t sampled = 0, sampledBytes = 0;
    for (const TileKey& k : samples) {
        TileFetch f = provider.fetch(k);
        if (f.status != TileStatus::Ok) continue;
        ++sampled;
        sampledBytes += int64_t(f.data.size());
    }
    int64_t perTile = sampled ? sampledBytes / sampled : kFallbackTileBytes;
    e.bytes = perTile * e.tiles;
    return e;
}

// [SECTION] packTiles

namespace {

struct PackState {
    std::mutex mutex;  // guards everything below, the writer included
    MBTilesWriter* writer = nullptr;
    TileWalk* walk = nullptr;
    PackResult result;
    int64_t done = 0, total = 0;
    std::string format;  // of the first tile written
    std::exception_ptr failure;
    std::atomic<bool> stop{false};
};

void packWorker(TileProvider& provider, PackState& s, JobProgress* progress) {
    for (;;) {
        TileKey key, out;
        {
            std::lock_guard<std::mutex> lock(s.mutex);
            int zoom = 0;
            bool found = false;
            if (progress && progress->cancelled()) s.stop = true;
            while (!s.stop && s.walk->next(key, zoom)) {
                out = {zoom, key.x, key.y};
                if (!s.writer->has(out)) {
                    found = true;
                    break;
                }
                ++s.result.kept;
                ++s.done;
            }
            if (progress && s.total) progress->set(float(double(s.done) / double(s.total)));
            if (!found) return;
        }
        TileFetch f = provider.fetch(key, &s.stop);
        std::lock_guard<std::mutex> lock(s.mutex);
        if (s.stop && f.status == TileStatus::Missing) return;  // cancelled mid-fetch: a rerun gets it
        ++s.done;
        if (f.status == TileStatus::Ok) {
            try {
                s.writer->put(out, f.data);
            } catch (...) {
                if (!s.failure) s.failure = std::current_exception();
                s.stop = true;
                return;
            }
            if (s.format.empty()) s.format = tileImageFormat(f.data);
            ++s.result.written;
        } else if (f.status == TileStatus::Absent) {
            ++s.result.absent;
        } else {
            ++s.result.failed;
            if (s.result.firstError.empty())
                s.result.firstError = "tile " + std::to_string(key.z) + "/" + std::to_string(key.x) + "/" +
                                      std::to_string(key.y) + ": " + (f.error.empty() ? "not fetched" : f.error);
        }
        if (progress) {
            progress->set(s.total ? float(double(s.done) / double(s.total)) : 1.0f);
            if (progress->cancelled()) s.stop = true;
        }
    }
}

// The metadata of the finished file: this pack's box and zooms joined with those of an earlier pack into it.
std::map<std::string, std::string> packMetadata(const TileProvider& provider,
                                                const PackRequest& request,
                                                const std::vector<PackLevel>& levels,
                                                const std::map<std::string, std::string>& before,
                                                const std::string& format) {
    std::map<std::string, std::string> m;
    m["name"] = !request.name.empty() ? request.name : std::filesystem::path(request.out).stem().string();
    if (!format.empty()) m["format"] = format == "jpeg" ? "jpg" : format;
    BBox bounds = request.lonLat;
    bounds.minY = std::max(bounds.minY, -kMaxMercatorLat);
    bounds.maxY = std::min(bounds.maxY, kMaxMercatorLat);
    int minZoom = levels.front().zoom, maxZoom = levels.back().zoom;
    auto old = [&](const char* key) {
        auto it = before.find(key);
        return it == before.end() ? std::string() : it->second;
    };
    double b[4];
    if (std::sscanf(old("bounds").c_str(), "%lf,%lf,%lf,%lf", &b[0], &b[1], &b[2], &b[3]) == 4) {
        bounds.add(b[0], b[1]);
        bounds.add(b[2], b[3]);
    }
    if (!old("minzoom").empty()) minZoom = std::min(minZoom, std::atoi(old("minzoom").c_str()));
    if (!old("maxzoom").empty()) maxZoom = std::max(maxZoom, std::atoi(old("maxzoom").c_str()));
    m["bounds"] = formatNumber(bounds.minX) + "," + formatNumber(bounds.minY) + "," + formatNumber(bounds.maxX) + "," +
                  formatNumber(bounds.maxY);
    m["minzoom"] = std::to_string(minZoom);
    m["maxzoom"] = std::to_string(maxZoom);
    std::string attribution = request.attribution.empty() ? provider.attribution() : request.attribution;
    if (!attribution.empty()) m["attribution"] = attribution;
    m["type"] = "baselayer";
    m["version"] = "1.3";
    m["description"] = "Packed from " + provider.displayName();
    return m;
}

}  // namespace

PackResult packTiles(TileProvider& provider, const PackRequest& request, JobProgress* progress) {
    checkBulkDownloadAllowed(provider);
    std::vector<PackLevel> levels = packLevels(provider, request);
    for (const PackLevel& l : levels)
        if (l.zoom < 0)
            throw Error(provider.displayName(),
                        "",
                        "MBTiles holds Web Mercator (EPSG:3857) quadtree tiles only, and level " +
                            std::to_string(l.range.z) + " of this source's grid (" + provider.grid().crs +
                            ") is not one; choose the source's EPSG:3857 tile matrix set");
    if (progress) {
        progress->set(0.0f, "Packing tiles");
        progress->throwIfCancelled();
    }

    std::map<std::string, std::string> before;
    std::error_code ec;
    if (std::filesystem::exists(request.out, ec)) {
        try {
            before = TileFile::open(request.out)->metadata();
        } catch (const Error&) {
            // An empty or half-made file: the writer says what is wrong with it, if anything.
        }
    }
    MBTilesWriter writer(request.out);
    TileWalk walk(levels);
    PackState s;
    s.writer = &writer;
    s.walk = &walk;
    s.total = countTiles(levels);

    int threads = std::clamp(request.threads, 1, 16);
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back([&] { packWorker(provider, s, progress); });
    for (std::thread& t : pool) t.join();
    if (s.failure) std::rethrow_exception(s.failure);

    std::string format = s.format;
    if (format.empty() && before.count("format")) format = before["format"];
    writer.setMetadata(packMetadata(provider, request, levels, before, format));
    writer.commit();
    if (progress) {
        progress->throwIfCancelled();
        progress->set(1.0f);
    }
    return s.result;
}

}  // namespace geo

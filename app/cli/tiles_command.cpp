#include "cli/tiles_command.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/args.hpp"
#include "cli/progress.hpp"
#include "cli/reach_check.hpp"
#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "platform/settings.hpp"
#include "platform/tile_setup.hpp"
#include "project/project.hpp"
#include "tiles/tile_pack.hpp"
#include "tiles/tile_provider.hpp"

namespace app::cli {

namespace {

// "Z0-Z1" or "Z".
void parseZooms(const std::string& text, int& z0, int& z1) {
    char dash = 0;
    int a = -1, b = -1, n = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%n", &a, &dash, &b, &n) == 3 && dash == '-' && size_t(n) == text.size()) {
    } else if (std::sscanf(text.c_str(), "%d%n", &a, &n) == 1 && size_t(n) == text.size()) {
        b = a;
    } else {
        throw UsageError("--zooms takes Z0-Z1 (e.g. 10-16), not '" + text + "'");
    }
    if (a < 0 || b > 24 || a > b) throw UsageError("--zooms " + text + ": zooms lie in 0-24 with Z0 <= Z1");
    z0 = a;
    z1 = b;
}

std::string megabytes(int64_t bytes) {
    char b[64];
    std::snprintf(b, sizeof b, "%.1f MB", double(bytes) / 1e6);
    return b;
}

int pack(int argc, char** argv) {
    Args args(argc, argv, 3);
    auto projectPath = args.take("--project");
    auto layerName = args.take("--layer");
    auto bbox = args.take("--bbox");
    auto zooms = args.take("--zooms");
    auto out = args.take("--out");
    auto name = args.take("--name");
    const bool offline = args.flag("--offline");
    std::vector<std::string> rest = args.rest();
    if (!bbox) throw UsageError("--bbox minlon,minlat,maxlon,maxlat is required");
    if (!zooms) throw UsageError("--zooms Z0-Z1 is required");
    if (!out) throw UsageError("--out FILE.mbtiles is required");
    geo::PackRequest req;
    req.lonLat = parseBBox(*bbox);
    if (req.lonLat.minX < -180 || req.lonLat.maxX > 180 || req.lonLat.minY < -85.06 || req.lonLat.maxY > 85.06)
        throw UsageError("--bbox is longitude/latitude in WGS84 (within -180..180, -85..85)");
    parseZooms(*zooms, req.minZoom, req.maxZoom);
    req.out = *out;
    if (name) req.name = *name;
    geo::ProjectLayer layer;
    if (projectPath) {
        if (!rest.empty()) throw UsageError("give either SOURCE or --project FILE --layer NAME");
        geo::Project project = geo::loadProject(*projectPath);
        const geo::ProjectLayer* found = nullptr;
        for (const auto& l : project.layers)
            if (geo::isTileLayer(l) && (!layerName || l.name == *layerName)) {
                found = &l;
                break;
            }
        if (!found)
            throw UsageError(layerName ? "--layer: no tile layer named '" + *layerName + "' in " + *projectPath
                                       : "the project has no tile layer");
        layer = *found;
    } else {
        if (rest.size() != 1) throw UsageError("tiles pack takes one SOURCE (a tile URL template, WMTS:URL or .mbtiles)");
        if (!geo::isTileSourceString(rest[0]))
            throw UsageError("'" + geo::redactTileUrl(rest[0]) + "' is not a tile source (a URL template with {z}/{x}/{y}, WMTS:URL, or .mbtiles)");
        layer = geo::layersFromSource(rest[0], 0).front();
    }
    req.attribution = layer.attribution;
    // A pack may go deeper than a layer's display limit.
    layer.options.tiles.maxZoom = std::max(layer.options.tiles.maxZoom, req.maxZoom);
    geo::Project one;
    one.layers.push_back(layer);
    platform::configureTilesFromSettingsFile(offline);
    if (geo::tileSpecOf(layer).kind == geo::TileKind::Xyz) {  // refused before any host is contacted
        geo::checkBulkDownloadAllowed(*geo::TileProvider::open(geo::tileSpecOf(layer), geo::tileEnvironment()));
    }
    announceReach(one, offline);
    std::shared_ptr<geo::TileProvider> provider = geo::TileProvider::open(geo::tileSpecOf(layer), geo::tileEnvironment());
    geo::checkBulkDownloadAllowed(*provider);
    geo::PackEstimate est = geo::estimatePack(*provider, req);
    std::fprintf(stderr, "planatlas tiles: %lld tiles over zooms %d-%d (%lld already in %s), about %s when done\n",
                 static_cast<long long>(est.tiles), req.minZoom, req.maxZoom, static_cast<long long>(est.alreadyThere),
                 req.out.c_str(), megabytes(est.bytes).c_str());
    if (est.tiles > 200000)
        throw geo::LimitError(provider->displayName(), "",
                              std::to_string(est.tiles) + " tiles is more than a pack holds (200000); narrow --bbox or --zooms");
    geo::PackResult r;
    {
        StderrProgress progress("planatlas tiles", "packing " + provider->displayName());
        r = geo::packTiles(*provider, req, &progress.job());
    }
    std::fprintf(stderr, "planatlas tiles: %s: %lld written, %lld kept, %lld not on the server, %lld failed\n",
                 req.out.c_str(), static_cast<long long>(r.written), static_cast<long long>(r.kept),
                 static_cast<long long>(r.absent), static_cast<long long>(r.failed));
    if (r.failed > 0) {
        std::fprintf(stderr, "planatlas tiles: error: %lld tiles could not be fetched (%s); run the same command again to resume\n",
                     static_cast<long long>(r.failed), r.firstError.c_str());
        return 1;
    }
    return 0;
}

int key(int argc, char** argv) {
    Args args(argc, argv, 3);
    const bool list = args.flag("--list");
    const bool remove = args.flag("--remove");
    std::vector<std::string> rest = args.rest();
    const std::string path = platform::settingsPath();
    platform::LoadedSettings loaded = platform::loadSettings(path);
    platform::Settings s = loaded.settings;
    if (list) {
        for (const auto& [host, k] : s.basemapKeys) std::printf("%s (key of %zu characters)\n", host.c_str(), k.size());
        return 0;
    }
    if (rest.empty() || rest.size() > 2 || (remove && rest.size() != 1) || (!remove && rest.size() != 2))
        throw UsageError("tiles key HOST KEY | tiles key --remove HOST | tiles key --list");
    const std::string& host = rest[0];
    if (host.find('/') != std::string::npos || host.find(':') != std::string::npos)
        throw UsageError("HOST is a host name like tianditu.gov.cn, not a URL");
    if (remove) s.basemapKeys.erase(host);
    else s.basemapKeys[host] = rest[1];
    platform::saveSettings(s, path);  // mode 0600
    std::fprintf(stderr, "planatlas tiles: %s the key for %s in %s\n", remove ? "removed" : "saved", host.c_str(), path.c_str());
    return 0;
}

}  // namespace

int runTiles(int argc, char** argv) {
    return runCommand("tiles", [&]() -> int {
        if (argc < 3) throw UsageError("tiles takes pack or key");
        if (std::strcmp(argv[2], "pack") == 0) return pack(argc, argv);
        if (std::strcmp(argv[2], "key") == 0) return key(argc, argv);
        throw UsageError(std::string("tiles takes pack or key, not '") + argv[2] + "'");
    });
}

}  // namespace app::cli

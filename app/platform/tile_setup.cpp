#include "platform/tile_setup.hpp"

#include "core/error.hpp"
#include "tiles/tile_provider.hpp"

namespace app::platform {

std::string keyForHost(const std::map<std::string, std::string>& keys, const std::string& host) {
    std::string best, bestName;
    for (const auto& [name, key] : keys) {
        if (name.empty() || key.empty()) continue;
        bool match = host == name || (host.size() > name.size() && host.compare(host.size() - name.size(), name.size(), name) == 0 &&
                                      host[host.size() - name.size() - 1] == '.');
        if (match && name.size() > bestName.size()) {
            bestName = name;
            best = key;
        }
    }
    return best;
}

void configureTiles(const Settings& s, bool offline) {
    geo::TileEnvironment env;
    env.http = std::make_shared<geo::HttpClient>(geo::planAtlasUserAgent());
    try {
        env.cache = std::make_shared<geo::TileCache>(geo::defaultTileCacheDir(), uint64_t(std::max(16, s.cacheSizeMiB)) << 20);
    } catch (const geo::Error&) {
        env.cache.reset();
    }
    auto keys = s.basemapKeys;
    env.keyFor = [keys](const std::string& host) { return keyForHost(keys, host); };
    env.offline = offline;
    geo::setTileEnvironment(std::move(env));
}

void configureTilesFromSettingsFile(bool offline) { configureTiles(loadSettings(settingsPath()).settings, offline); }

}  // namespace app::platform

#include "cli/reach_check.hpp"

#include <algorithm>
#include <cstdio>

#include "layer/layer_content.hpp"
#include "project/reach.hpp"
#include "platform/tile_setup.hpp"

namespace app::cli {

std::string offlineRefusal(const geo::Project& project) {
    // Tile basemaps are not refused: offline, they draw from the tile cache (and a missing tile is an error).
    geo::Project others = project;
    std::erase_if(others.layers, [](const geo::ProjectLayer& l) { return geo::isTileLayer(l); });
    const auto network = geo::networkReach(geo::projectReach(others, ""));
    if (network.empty()) return {};
    std::string list;
    for (const auto& t : network) list += (list.empty() ? "" : "; ") + geo::describeReach({t});
    return "--offline: refusing network sources: " + list;
}

void announceReach(const geo::Project& project, bool offline) {
    // Basemaps only: their keys, cache size and --offline from the settings. A project without one starts no HTTP
    // client (no libcurl or TLS set-up in every command).
    if (std::any_of(project.layers.begin(), project.layers.end(), [](const geo::ProjectLayer& l) { return geo::isTileLayer(l); }))
        platform::configureTilesFromSettingsFile(offline);
    if (offline) {
        if (std::string refusal = offlineRefusal(project); !refusal.empty()) throw OfflineRefusal(refusal);
        return;
    }
    for (const auto& t : geo::networkReach(geo::projectReach(project, ""))) {
        std::string layers;
        for (const auto& name : t.layers) layers += (layers.empty() ? "" : ", ") + name;
        std::fprintf(stderr, "planatlas: contacting host %s (%s %s)\n", t.where.c_str(),
                     t.layers.size() == 1 ? "layer" : "layers", layers.c_str());
    }
}

}  // namespace app::cli

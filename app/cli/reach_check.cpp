#include "cli/reach_check.hpp"

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
    if (offline) {
        platform::configureTilesFromSettingsFile(true);
        if (std::string refusal = offlineRefusal(project); !refusal.empty()) throw OfflineRefusal(refusal);
        return;
    }
    platform::configureTilesFromSettingsFile(false);
    for (const auto& t : geo::networkReach(geo::projectReach(project, ""))) {
        std::string layers;
        for (const auto& name : t.layers) layers += (layers.empty() ? "" : ", ") + name;
        std::fprintf(stderr, "planatlas: contacting host %s (%s %s)\n", t.where.c_str(),
                     t.layers.size() == 1 ? "layer" : "layers", layers.c_str());
    }
}

}  // namespace app::cli

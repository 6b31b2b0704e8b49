#pragma once
// The tile basemaps' environment from the user's settings: access keys by host (kept in settings.json, mode
// 0600, substituted into a request's URL only; never in a project file, an export or a sidecar), the disk cache's
// size, and --offline (cached tiles only).
#include <map>
#include <string>

#include "platform/settings.hpp"

namespace app::platform {

// The key for a URL host: the entry whose name is the host or a domain suffix of it ("tianditu.gov.cn" serves
// "t{s}.tianditu.gov.cn"); "" when none.
std::string keyForHost(const std::map<std::string, std::string>& keys, const std::string& host);
// Sets geo::setTileEnvironment from `s`.
void configureTiles(const Settings& s, bool offline);
// The same from the settings file (a bad file gives the defaults).
void configureTilesFromSettingsFile(bool offline);

}  // namespace app::platform

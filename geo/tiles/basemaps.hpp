#pragma once
// The basemap menu's built-in providers: each a set of tile layers (a base and, for Tianditu, its annotation
// layer on top) with their attribution and terms. Plain data.
#include <string>
#include <vector>

#include "project/project.hpp"

namespace geo {

struct Basemap {
    std::string id;          // "osm", "tianditu-vec", ...
    std::string label;       // English; the UI translates it
    std::string keyHost;     // the host whose key the source needs ("" = none)
    std::string terms;       // a sentence on the provider's terms, shown in the menu's tooltip
    std::vector<ProjectLayer> layers;  // bottom first; off until chosen
};

// OpenStreetMap standard; Tianditu (天地图) vector, imagery and terrain, each with its annotation layer, in Web
// Mercator, and vector in the CGCS2000 geographic matrices (WMTS "c").
const std::vector<Basemap>& builtInBasemaps();
// The layer of a custom XYZ/TMS template (or WMTS:URL, or an .mbtiles file) with an attribution.
ProjectLayer customBasemapLayer(const std::string& source, const std::string& attribution);

}  // namespace geo

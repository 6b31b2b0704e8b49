#pragma once
// What a tile layer's `source` string means: an XYZ/TMS URL template, a WMTS service, or a local MBTiles /
// GeoPackage tile file; plus the project file's "tiles" options. Plain data, no I/O except where named.
#include <string>
#include <vector>

#include "tiles/tile_grid.hpp"

namespace geo {

// The "tiles" object of a project layer (all optional). Equality matters: a change reloads the layer.
struct TileOptions {
    int minZoom = 0;
    int maxZoom = 19;
    int tileSize = 256;      // 512 for retina (@2x) tiles
    std::string subdomains;  // {s} cycles through these letters ("abc"), or digits ("01234567")
    // WMTS: which layer, style and tile matrix set of the capabilities ("" = the first; a matrix set in EPSG:3857
    // is preferred), and the image format ("" = the first the layer offers).
    std::string layer, style, matrixSet, format;
    bool operator==(const TileOptions&) const = default;
};

enum class TileKind { None, Xyz, Wmts, MBTiles, GpkgTiles };

struct TileSourceSpec {
    TileKind kind = TileKind::None;
    std::string source;  // as given: template, capabilities URL, or file path
    std::string table;   // GpkgTiles: the tiles table ("" = the first)
    TileOptions options;
    bool gcj02 = false;  // tiles drawn in GCJ-02 (AMap, Tencent): warped to WGS84 through a correction mesh
};

// True when `source` names a tile source without opening anything: a URL template with {z}, {x} and {y} (or
// {-y}); a WMTS capabilities URL ("WMTS:" prefix, or SERVICE=WMTS / WMTSCapabilities.xml in the URL); a
// *.mbtiles file.
bool isTileSourceString(const std::string& source);
// True when `path` is a GeoPackage whose `table` ("" = any) is a tiles table (reads gpkg_contents; false when
// the file is not a readable GeoPackage).
bool isGpkgTiles(const std::string& path, const std::string& table);

// A URL template's tile URL: {z} {x} {y} {-y} (TMS: row from the bottom) {s} (subdomain picked by x+y) {r}
// ("@2x" when tileSize is 512, else "") {key} (the user's key for the host; "" when none). Also the WMTS names
// {TileMatrix} {TileRow} {TileCol} (REST templates).
std::string expandTileUrl(const std::string& tmpl, const TileKey& k, const TileOptions& o, const std::string& key,
                          const std::string& matrixId = "");
// The template with any key removed: what a cache directory name, a message or a project file may hold.
// Replaces the value of query parameters tk= key= access_token= apikey= token= with "{key}".
std::string redactTileUrl(const std::string& url);
// The key a URL carries in one of those parameters ("" = none, or already "{key}").
std::string tileUrlKey(const std::string& url);
// Host of a URL ("" for files).
std::string urlHost(const std::string& url);

}  // namespace geo

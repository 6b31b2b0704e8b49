#pragma once
// OGC WMTS 1.0 GetCapabilities: the layers, styles, formats and tile matrix sets a service offers, and the tile
// URL for a choice of them (RESTful ResourceURL template, or KVP GetTile). Parsed with GDAL's CPL XML parser.
#include <string>
#include <vector>

#include "tiles/tile_grid.hpp"
#include "tiles/tile_source.hpp"

namespace geo {

struct WmtsMatrixSet {
    std::string id;
    std::string crs;  // as "EPSG:N" when the SupportedCRS names an EPSG code (urn:ogc:def:crs:EPSG::3857 -> EPSG:3857)
    TileGrid grid;    // levels in the capabilities' order; TopLeftCorner in x east / y north order (lat/lon CRSs
                      // like EPSG:4490 and 4326 swapped to lon, lat)
};

struct WmtsLayer {
    std::string id, title;
    std::vector<std::string> styles;      // first = default
    std::vector<std::string> formats;     // image/png, image/jpeg, tiles (Tianditu)
    std::vector<std::string> matrixSets;  // linked tile matrix sets
    std::string resourceUrl;              // RESTful template ({TileMatrix} {TileRow} {TileCol} {Style}...), or ""
    BBox wgs84Bounds;                     // ows:WGS84BoundingBox, empty when not given
};

struct WmtsCapabilities {
    std::string title;
    std::string getTileKvpUrl;  // KVP GetTile endpoint ("" when only REST)
    std::vector<WmtsLayer> layers;
    std::vector<WmtsMatrixSet> matrixSets;
};

// Throws FormatError naming what is wrong (not XML, not WMTS, a matrix without a scale...).
WmtsCapabilities parseWmtsCapabilities(const std::string& xml);

// The choice the options make (TileOptions::layer/style/matrixSet/format; "" = first, preferring an EPSG:3857
// matrix set) as a tile URL template expandable by expandTileUrl (with {TileMatrix} {TileRow} {TileCol}) and
// the grid. Throws FormatError naming the missing layer / style / set and listing what exists.
struct WmtsChoice {
    std::string urlTemplate;
    TileGrid grid;
    std::string layer, style, matrixSet, format;
};
WmtsChoice chooseWmts(const WmtsCapabilities& caps, const TileOptions& options);

// The capabilities URL of a WMTS source string ("WMTS:" prefix removed; REQUEST=GetCapabilities added to a bare
// KVP endpoint).
std::string wmtsCapabilitiesUrl(const std::string& source);

}  // namespace geo

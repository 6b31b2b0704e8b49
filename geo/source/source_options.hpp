#pragma once
// How to read a layer's source beyond its path and layer name: what the project file's layer object says about
// the data when the file itself does not say it right (issue #11). Plain data, copied to worker threads.
#include <string>
#include <vector>

#include "core/bbox.hpp"
#include "tiles/tile_source.hpp"

namespace geo {

// One control point of a CAD drawing placed on the map: drawing coordinates -> map coordinates in the layer's
// assigned `crs`.
struct ControlPoint {
    double drawingX = 0, drawingY = 0;
    double mapX = 0, mapY = 0;
    bool operator==(const ControlPoint&) const = default;
};

struct SourceOptions {
    // Assigns the source's CRS (EPSG code, WKT or PROJ string) when it has none or a wrong one; "" = the file's.
    std::string crs;
    // "gcj02": the coordinates are GCJ-02 (Chinese web maps); converted to WGS84 on load. "" = as the CRS says.
    std::string datum;
    // Spreadsheets: the coordinate columns ("" = detect by name: lon/lat, x/y, 经度/纬度, 东经/北纬, X坐标/Y坐标).
    std::string xField, yField;
    // CAD drawings: two or more pairs place the drawing by a 2-D similarity (Helmert) fit into `crs`.
    std::vector<ControlPoint> controlPoints;
    // Database sources (PG:): read only the features meeting this box (in the source's CRS; empty = all), with the
    // server simplifying geometry to `simplifyTolerance` (source units; 0 = none).
    BBox filter;
    double simplifyTolerance = 0;
    // Tile sources (XYZ/TMS templates, WMTS, MBTiles, GeoPackage tiles): the project file's "tiles" object. Its
    // "datum" goes to `datum` above, its "attribution" to the layer's.
    TileOptions tiles;
    // Read only about this many features (0 = all): the preview of a large layer, shown while the whole is read.
    // The reader stops at the first batch boundary past it; the features are the source's first, in its order.
    size_t featureLimit = 0;
    bool operator==(const SourceOptions& o) const {
        return featureLimit == o.featureLimit && crs == o.crs && datum == o.datum && xField == o.xField && yField == o.yField &&
               controlPoints == o.controlPoints && tiles == o.tiles && simplifyTolerance == o.simplifyTolerance &&
               filter.minX == o.filter.minX && filter.minY == o.filter.minY && filter.maxX == o.filter.maxX &&
               filter.maxY == o.filter.maxY;
    }
};

}  // namespace geo

#pragma once
// Selecting features by rectangle or lasso, the statistics a planner asks of a selection, and writing it out.
//
// Selection works on a layer's FeatureTable in the table's own CRS: the caller brings the rectangle or lasso into
// that CRS first (a lasso drawn on screen is a polygon in map coordinates, transformed vertex by vertex).
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/bbox.hpp"
#include "crs/crs.hpp"
#include "store/feature_table.hpp"

namespace geo {

// Rows (ascending) of the features that intersect `polygon`, an open ring x0,y0,x1,y1,... in the table's CRS
// (a repeated closing vertex is harmless; self-intersecting lassos count by the even-odd rule). A feature
// intersects when one of its vertices lies inside the polygon, when a polygon feature contains the lasso (its
// holes honoured: a lasso inside a hole selects nothing), or when an edge of the feature crosses an edge of the
// polygon. Features without geometry are never selected; a polygon of fewer than three vertices selects nothing.
// Lasso edges are bucketed in horizontal bands and features outside the lasso's box are skipped, so the cost is
// about one pass over the table plus the vertices of the features near the lasso.
std::vector<uint32_t> selectByPolygon(const FeatureTable& table, const std::vector<double>& polygon);
// As selectByPolygon with the rectangle; its edges count as inside. An empty rectangle selects nothing.
std::vector<uint32_t> selectByRect(const FeatureTable& table, const BBox& rect);

struct SelectionStats {
    size_t count = 0, polygons = 0, lines = 0, points = 0;
    double areaM2 = 0;   // planar EPSG:4547 area of the polygon features (holes subtracted)
    double lengthM = 0;  // planar EPSG:4547 length of the line features
    // Value of the "category" column (as displayed; "" for null) -> (features, area m²), largest area first, then
    // most features, then by name. Empty when the table has no "category" column.
    std::vector<std::pair<std::string, std::pair<size_t, double>>> byCategory;
    // Integer value of the "section" column -> (features, area m²), ascending. Rows whose section is null or not
    // an integer are left out. Empty when the table has no "section" column.
    std::vector<std::pair<int, std::pair<size_t, double>>> bySection;
};
// Statistics of `rows` (any order; out-of-range rows are ignored). Areas and lengths come from geo::Measurer
// (analysis/measure.hpp); a feature that cannot be projected to EPSG:4547 counts but adds no area or length.
// The column names are matched exactly first, then ignoring ASCII case. Throws CrsError when `tableCrs` cannot be
// transformed to WGS84 and the rows hold lines or polygons.
SelectionStats selectionStats(const FeatureTable& table, const Crs& tableCrs, const std::vector<uint32_t>& rows);

// Writes `rows` (every attribute and the geometry) to `path`, chosen by its extension (any case):
//   .gpkg  a GeoPackage with one layer named `layerName` (the file's stem when empty) in the table's CRS;
//   .csv   UTF-8 with a byte-order mark (so Excel reads Chinese text), a first column "WKT" with the geometry in
//          WGS84 longitude/latitude, then the attributes.
// Attribute names that clash (ignoring case) with each other or the GeoPackage's fid/geometry columns get a
// "_2", "_3", ... suffix. Atomic like saveMarkup: a temporary file in the same folder renamed over `path`; on
// failure the previous file is intact and the temporary removed. Throws geo::Error for an unknown extension,
// IoError when the file cannot be written, CrsError when CSV coordinates cannot be transformed to WGS84.
void writeSelection(const std::string& path,
                    const std::string& layerName,
                    const FeatureTable& table,
                    const Crs& tableCrs,
                    const std::vector<uint32_t>& rows);

}  // namespace geo

#pragma once
// Points from the coordinate columns of a table without geometry: spreadsheets (CSV, XLSX, ODS, which GDAL reads
// as attribute tables) with 经度/纬度, lon/lat or X坐标/Y坐标 columns.
//
// Rules (issue #11):
// - The columns are the layer's "xField"/"yField" when given (a FormatError names a missing one and lists the
//   columns), else the first pair found by name, case-insensitive, trimmed, with a bracketed suffix such as a unit
//   ignored ("经度(°)", "X坐标（m）", "lat [deg]"): lon/lng/long/longitude/经度/东经 with lat/latitude/纬度/北纬
//   first, then x/x坐标/坐标x/xcoord/point_x/easting with the matching y names.
// - A value is a number (numeric cell or text) or degrees-minutes-seconds text (114°21'30"E, 22度42分0秒N, -114 21
//   30, 114°21.5'). Rows whose value is empty, not a number or out of range (longitude/latitude) keep their row and
//   attributes but get no point; they are counted and the first ten listed in one warning, by the row number a
//   spreadsheet shows (header = row 1).
// - Without an assigned "crs", numbers that are not longitude/latitude are a CrsError naming the file, the columns
//   and the fix; with a projected "crs", columns given northing-first (the Chinese surveying X坐标 = north) are
//   swapped when only the swapped order falls in the CRS's area of use, and a warning says so.
// - An XLSX/ODS sheet whose cells are all text has no header GDAL can detect (its columns come out as Field1..N):
//   when its first row names coordinate columns, that row becomes the header.
#include <optional>
#include <string>
#include <string_view>

#include "source/source_options.hpp"
#include "store/feature_table.hpp"

namespace geo {

struct VectorData;

// The value of one coordinate cell: a decimal number or degrees-minutes-seconds with an optional hemisphere
// (N/S/E/W, or 北/南/东/西; S and W negate). nullopt when it is neither.
std::optional<double> parseCoordinate(std::string_view text);

// True when `header` names a longitude/x column (`wantX`) or a latitude/y column by the rules above.
bool isCoordinateName(std::string_view header, bool wantX);

// Makes one point per row of `data.table`, which must have been read without geometry, from its coordinate
// columns. No-op with a warning when the table has no coordinate columns and none were named. Throws
// FormatError (a named column missing) or CrsError (projected numbers without an assigned "crs").
void pointsFromCoordinateColumns(VectorData& data, const SourceOptions& options);

}  // namespace geo

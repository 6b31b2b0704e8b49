#pragma once
// The overlap report: the table the conflict lens shows, as a file.
//
// Columns: id, name_zh, area_m2, then per constraint layer an overlap in m² and a percentage of the area. With
// one constraint they are overlap_m2, overlap_pct; with several, overlap_m2_<layer>, overlap_pct_<layer> in
// input order (issue #12). Areas are planar square metres in EPSG:4547.
#include <string>
#include <vector>

#include "analysis/overlap.hpp"

namespace geo {

// A layer name made safe for a column name: ASCII letters, digits and '_' kept, Chinese (any non-ASCII UTF-8)
// kept, everything else (spaces, punctuation) becomes '_'; "" becomes "layer".
std::string columnSafeName(const std::string& layer);

// Every column name of the report for these constraint names, in order. Repeated layer names get "_2", "_3".
std::vector<std::string> overlapColumnNames(const std::vector<std::string>& constraints);

// Writes the report; the format follows the extension (case-insensitive):
//   .csv   UTF-8 without BOM, RFC 4180 (CRLF, fields quoted when they hold a comma, quote or line break),
//          areas with 3 decimals (mm²), percentages with 4;
//   .xlsx  one sheet "overlap" through GDAL's XLSX driver, id and name_zh text, every other column a number.
// Atomic: written to a temporary file in the same folder, then renamed over `path`; the temporary is removed on
// failure. Throws IoError naming `path` when it cannot be written, Error for any other extension.
void writeOverlapReport(const OverlapResult& result, const std::string& path);

}  // namespace geo

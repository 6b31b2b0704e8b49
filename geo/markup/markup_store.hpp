#pragma once
// The markup layer on disk: meeting notes (geo/project/markup.hpp) kept as a GeoPackage beside the project file, so
// QGIS, ogrinfo and colleagues without Plan Atlas can open them too.
//
// Layout: one layer "markup" in EPSG:4326 (x = longitude, y = latitude), mixed geometry:
//   Point       text
//   LineString  freehand, arrow (tail then head), measure_line
//   Polygon     polygon, measure_area (the open ring in MarkupItem is closed on disk and opened again on load)
// and the fields kind (markupKindName), text, color ("#RRGGBBAA"), width (real), author, created (ISO 8601 UTC).
#include <cstddef>
#include <string>
#include <vector>

#include "project/markup.hpp"

namespace geo {

// Writes `items` to `path` atomically: a temporary GeoPackage in the same folder, renamed over `path` once closed.
// On failure the previous file is intact, the temporary is removed and IoError names `path` and the cause. An empty
// list writes a valid file with an empty "markup" layer. An item with no coordinates is written without geometry
// (loadMarkup skips it).
void saveMarkup(const std::string& path, const std::vector<MarkupItem>& items);

// Reads a file written by saveMarkup back, every field equal (coordinates are stored as doubles, width as a real).
// Throws IoError when the file is missing or unreadable, FormatError when it is not a GeoPackage, has no "markup"
// layer (or one without a "kind" field), or holds an unknown kind or a malformed colour; the message names the file
// and the feature. Features without geometry (null or empty) are skipped and counted in *skipped when given.
std::vector<MarkupItem> loadMarkup(const std::string& path, size_t* skipped = nullptr);

// The OS user for MarkupItem::author: the passwd name of the real uid, else $USER, else "unknown".
std::string osUserName();
// The current time as ISO 8601 UTC to the second, e.g. "2026-12-03T18:55:00Z".
std::string isoNowUtc();

}  // namespace geo

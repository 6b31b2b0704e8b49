#pragma once
// Meeting notes drawn on the map (markup): freehand strokes, arrows, polygons, text, and kept measurements.
// They are part of the project value (so every edit is undoable) and saved as a GeoPackage layer beside the
// project file (geo/markup/markup_store.hpp); coordinates are WGS84 lon/lat.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace geo {

enum class MarkupKind : uint8_t { Freehand = 0, Arrow = 1, Polygon = 2, Text = 3, MeasureLine = 4, MeasureArea = 5 };

struct MarkupItem {
    MarkupKind kind = MarkupKind::Freehand;
    std::vector<double> lonLat;     // x0,y0,x1,y1,... (Text: one point; Arrow: tail then head; Polygon and MeasureArea: open ring)
    std::string text;               // Text: the note (CJK welcome); Measure: the result as shown ("1.23 km")
    std::array<uint8_t, 4> color{230, 40, 40, 255};
    float width = 3.0f;             // stroke width in screen pixels (text: font size in pixels)
    std::string author;             // OS user who drew it
    std::string created;            // ISO 8601 UTC, e.g. 2026-12-03T18:55:00Z
    bool operator==(const MarkupItem&) const = default;
};

const char* markupKindName(MarkupKind kind);          // "freehand", "arrow", "polygon", "text", "measure_line", "measure_area"
bool parseMarkupKind(const std::string& name, MarkupKind& out);

}  // namespace geo

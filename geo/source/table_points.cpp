#include "source/table_points.hpp"

// [SECTION] Header names
// [SECTION] Cell values (decimal and degrees-minutes-seconds)
// [SECTION] XLSX/ODS sheets whose header GDAL did not detect
// [SECTION] Columns, values and the CRS decision
// [SECTION] pointsFromCoordinateColumns

#include <ogr_spatialref.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "crs/crs.hpp"
#include "source/vector_source.hpp"

namespace geo {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Header names
//-----------------------------------------------------------------------------

// Group 0 (geographic names) is preferred over group 1 (planar names) when a sheet has both.
constexpr std::array<std::array<const char*, 8>, 2> kXNames = {{
    {"lon", "lng", "long", "longitude", "经度", "东经", "wgs84经度", "lon_wgs84"},
    {"x", "x坐标", "坐标x", "xcoord", "x_coord", "coord_x", "point_x", "easting"},
}};
constexpr std::array<std::array<const char*, 8>, 2> kYNames = {{
    {"lat", "latitude", "纬度", "北纬", "wgs84纬度", "lat_wgs84", "", ""},
    {"y", "y坐标", "坐标y", "ycoord", "y_coord", "coord_y", "point_y", "northing"},
}};

bool startsWith(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

// Trims ASCII white space, no-break spaces (C2 A0) and ideographic spaces (E3 80 80) from both ends.
std::string_view trim(std::string_view s) {
    for (;;) {
        if (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
            s.remove_prefix(1);
        else if (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
            s.remove_suffix(1);
        else if (startsWith(s, "\xC2\xA0"))
            s.remove_prefix(2);
        else if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0")
            s.remove_suffix(2);
        else if (startsWith(s, "\xE3\x80\x80"))
            s.remove_prefix(3);
        else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80")
            s.remove_suffix(3);
        else
            return s;
    }
}

// "  经度（°） " -> "经度", "Longitude [deg]" -> "longitude": trimmed, a bracketed suffix dropped, ASCII lowercased.
std::string normalizeHeader(std::string_view header) {
    std::string_view h = trim(header);
    for (std::string_view open : {"(", "\xEF\xBC\x88" /* （ */, "[", "\xE3\x80\x90" /* 【 */}) {
        size_t at = h.find(open);
        if (at != std::string_view::npos && at > 0) h = h.substr(0, at);
    }
    std::string out(trim(h));
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The name group (0 geographic, 1 planar) of a header, or -1.
int nameGroup(std::string_view header, bool wantX) {
    const std::string h = normalizeHeader(header);
    const auto& groups = wantX ? kXNames : kYNames;
    for (int g = 0; g < static_cast<int>(groups.size()); ++g)
        for (const char* n : groups[g])
            if (*n && h == n) return g;
    return -1;
}

}  // namespace

bool isCoordinateName(std::string_view header, bool wantX) {
    return nameGroup(header, wantX) >= 0;
}

//-----------------------------------------------------------------------------
// [SECTION] Cell values (decimal and degrees-minutes-seconds)
//-----------------------------------------------------------------------------

namespace {

std::optional<double> parseDecimal(std::string_view s) {
    if (startsWith(s, "+")) s.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// Removes a hemisphere letter at either end; returns -1 for S/W, +1 for N/E, 0 when there is none.
int takeHemisphere(std::string_view& s) {
    // Chinese prefixes first: 北纬 must not be read as 北 followed by stray text.
    // clang-format off
    static constexpr std::pair<std::string_view, int> kHemispheres[] = {
        {"北纬", 1}, {"东经", 1}, {"南纬", -1}, {"西经", -1}, {"北", 1}, {"东", 1}, {"南", -1}, {"西", -1},
        {"N", 1},    {"n", 1},    {"E", 1},     {"e", 1},     {"S", -1}, {"s", -1}, {"W", -1}, {"w", -1}};
    // clang-format on
    for (const auto& [h, sign] : kHemispheres) {
        if (startsWith(s, h)) {
            s = trim(s.substr(h.size()));
            return sign;
        }
        if (s.size() >= h.size() && s.substr(s.size() - h.size()) == h) {
            s = trim(s.substr(0, s.size() - h.size()));
            return sign;
        }
    }
    return 0;
}

// Splits "114°21'30.5\"" / "114度21分30秒" / "114 21 30" / "114:21:30" into up to three numbers.
bool splitDms(std::string_view s, std::vector<std::string_view>& parts) {
    // clang-format off
    static constexpr std::array<std::string_view, 16> kSeparators = {
        " ", ":", "\xC2\xB0" /* ° */, "\xC2\xBA" /* º */, "'", "\"", "\xE2\x80\xB2" /* ′ */, "\xE2\x80\xB3" /* ″ */,
        "\xE2\x80\x99" /* ’ */, "\xE2\x80\x9D" /* ” */, "度", "分", "秒", "\t", "\xEF\xBC\x87" /* ＇ */,
        "\xEF\xBC\x82" /* ＂ */};
    // clang-format on
    size_t i = 0, start = std::string_view::npos;
    while (i < s.size()) {
        const char c = s[i];
        if ((c >= '0' && c <= '9') || c == '.') {
            if (start == std::string_view::npos) start = i;
            ++i;
            continue;
        }
        if (start != std::string_view::npos) parts.push_back(s.substr(start, i - start));
        start = std::string_view::npos;
        size_t len = 0;
        for (std::string_view sep : kSeparators)
            if (startsWith(s.substr(i), sep)) len = sep.size();
        if (len == 0) return false;
        i += len;
    }
    if (start != std::string_view::npos) parts.push_back(s.substr(start));
    return !parts.empty() && parts.size() <= 3;
}

}  // namespace

std::optional<double> parseCoordinate(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    if (auto v = parseDecimal(s)) return v;
    const int hemisphere = takeHemisphere(s);
    const bool negative = startsWith(s, "-");
    if (negative) s = trim(s.substr(1));
    std::vector<std::string_view> parts;
    if (!splitDms(s, parts)) return std::nullopt;
    double value = 0, scale = 1;
    for (size_t k = 0; k < parts.size(); ++k) {
        auto v = parseDecimal(parts[k]);
        if (!v) return std::nullopt;
        // Only the last part may have a fraction; minutes and seconds stay under 60.
        if (k + 1 < parts.size() && *v != std::floor(*v)) return std::nullopt;
        if (k > 0 && *v >= 60) return std::nullopt;
        value += *v / scale;
        scale *= 60;
    }
    if (parts.size() == 1 && hemisphere == 0 && !negative) return std::nullopt;  // stray text around a number
    return (negative || hemisphere < 0) ? -value : value;
}

//-----------------------------------------------------------------------------
// [SECTION] XLSX/ODS sheets whose header GDAL did not detect
//-----------------------------------------------------------------------------

namespace {

bool isGdalFieldName(const std::string& name) {
    if (!startsWith(name, "Field") || name.size() == 5) return false;
    for (size_t i = 5; i < name.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
    return true;
}

bool namesColumn(std::string_view cell, const std::string& option, bool wantX) {
    return option.empty() ? isCoordinateName(cell, wantX) : trim(cell) == trim(option);
}

// GDAL takes a sheet's first row as its header only when the rows below have a cell of another type; a sheet all
// of text (coordinates typed as text are common) comes out as Field1..N with the header as the first row.
void promoteHeaderRow(FeatureTable& t, const SourceOptions& options) {
    if (t.featureCount() < 1 || t.columns.empty()) return;
    bool anyX = false, anyY = false;
    for (const Column& c : t.columns) {
        if (c.type != ColumnType::Text || !isGdalFieldName(c.name)) return;
        anyX = anyX || (!c.isNull(0) && namesColumn(c.text(0), options.xField, true));
        anyY = anyY || (!c.isNull(0) && namesColumn(c.text(0), options.yField, false));
    }
    if (!anyX || !anyY) return;
    for (Column& c : t.columns) {
        Column rest(c.isNull(0) ? c.name : std::string(trim(c.text(0))), ColumnType::Text);
        for (size_t r = 1; r < c.size(); ++r) {
            if (c.isNull(r))
                rest.pushNull();
            else
                rest.pushText(c.text(r));
        }
        c = std::move(rest);
    }
    t.fids.erase(t.fids.begin());
    t.kinds.erase(t.kinds.begin());
    t.featureEnds.pop_back();  // no geometry: every entry is 0
}

//-----------------------------------------------------------------------------
// [SECTION] Columns, values and the CRS decision
//-----------------------------------------------------------------------------

std::string columnList(const FeatureTable& t) {
    std::string s;
    for (const Column& c : t.columns) s += (s.empty() ? "\"" : ", \"") + c.name + "\"";
    return s.empty() ? "(none)" : s;
}

int namedColumn(const VectorData& d, const std::string& name, const char* option) {
    for (size_t i = 0; i < d.table.columns.size(); ++i)
        if (trim(d.table.columns[i].name) == trim(name)) return static_cast<int>(i);
    for (size_t i = 0; i < d.table.columns.size(); ++i)  // then ignoring case and a unit suffix
        if (normalizeHeader(d.table.columns[i].name) == normalizeHeader(name)) return static_cast<int>(i);
    throw FormatError(d.path,
                      d.layerName,
                      std::string("no column \"") + name + "\" (the layer's \"" + option + "\"); the columns are " +
                          columnList(d.table));
}

struct ColumnPair {
    int x = -1, y = -1;
};

ColumnPair findColumns(const VectorData& d, const SourceOptions& o) {
    const auto& cols = d.table.columns;
    auto detect = [&](bool wantX, int group) {
        for (size_t i = 0; i < cols.size(); ++i)
            if (nameGroup(cols[i].name, wantX) == group) return static_cast<int>(i);
        return -1;
    };
    ColumnPair p;
    if (!o.xField.empty()) p.x = namedColumn(d, o.xField, "xField");
    if (!o.yField.empty()) p.y = namedColumn(d, o.yField, "yField");
    for (int g = 0; g < 2 && (p.x < 0 || p.y < 0); ++g) {
        int x = p.x >= 0 ? p.x : detect(true, g);
        int y = p.y >= 0 ? p.y : detect(false, g);
        if (x >= 0 && y >= 0) p = {x, y};
    }
    return p;
}

// One cell as a coordinate; `dms` is set when it was written in degrees-minutes-seconds.
std::optional<double> cellValue(const Column& c, size_t row, bool& dms) {
    if (c.isNull(row)) return std::nullopt;
    if (c.type == ColumnType::Integer) return static_cast<double>(c.integer(row));
    if (c.type == ColumnType::Real) return std::isfinite(c.real(row)) ? std::optional(c.real(row)) : std::nullopt;
    std::string_view text = trim(c.text(row));
    if (auto v = parseDecimal(text)) return v;
    auto v = parseCoordinate(text);
    dms = dms || v.has_value();
    return v;
}

// The row number a user finds the row by: spreadsheet rows counting the header as row 1.
std::string rowLabel(const VectorData& d, int64_t fid) {
    if (d.driver == "CSV") return "row " + std::to_string(fid + 1);                    // CSV numbers data rows from 1
    if (d.driver == "XLSX" || d.driver == "ODS") return "row " + std::to_string(fid);  // the sheet's row
    return "feature " + std::to_string(fid);
}

bool geographicCrsAssigned(const SourceOptions& o, bool& assigned) {
    assigned = !o.crs.empty();
    if (!assigned) return true;
    try {
        return Crs::fromUser(o.crs).isGeographic();
    } catch (const CrsError&) {
        return false;  // readVectorLayer reports the bad "crs" itself
    }
}

bool lonLatInRange(double x, double y) {
    return x >= -180 && x <= 180 && y >= -90 && y <= 90;
}

// Chinese surveying calls the northing X: with a projected CRS, columns given northing-first are swapped when only
// the swapped centre falls in the CRS's area of use. Returns true when it swapped.
bool swapNorthingFirst(std::vector<double>& xs,
                       std::vector<double>& ys,
                       const std::vector<bool>& ok,
                       const std::string& crsText) {
    OGRSpatialReference srs;
    double west = 0, south = 0, east = 0, north = 0;
    const char* areaName = nullptr;
    if (srs.SetFromUserInput(crsText.c_str()) != OGRERR_NONE || !srs.IsProjected() ||
        !srs.GetAreaOfUse(&west, &south, &east, &north, &areaName) || west > east)
        return false;
    BBox box;
    for (size_t r = 0; r < xs.size(); ++r)
        if (ok[r]) box.add(xs[r], ys[r]);
    if (box.empty()) return false;
    try {
        Transformer toLonLat(Crs::fromUser(crsText), Crs::wgs84());
        double asIs[2] = {box.centerX(), box.centerY()}, swapped[2] = {box.centerY(), box.centerX()};
        toLonLat.transform(asIs, 1);
        toLonLat.transform(swapped, 1);
        const double m = 1.0;  // degrees of slack around the area of use
        auto inArea = [&](const double* p) {
            return std::isfinite(p[0]) && p[0] >= west - m && p[0] <= east + m && p[1] >= south - m &&
                   p[1] <= north + m;
        };
        if (inArea(asIs) || !inArea(swapped)) return false;
    } catch (const CrsError&) {
        return false;
    }
    xs.swap(ys);
    return true;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] pointsFromCoordinateColumns
//-----------------------------------------------------------------------------

void pointsFromCoordinateColumns(VectorData& data, const SourceOptions& options) {
    FeatureTable& t = data.table;
    const std::string file = std::filesystem::path(data.path).filename().string();
    if (data.driver == "XLSX" || data.driver == "ODS") promoteHeaderRow(t, options);
    const ColumnPair cols = findColumns(data, options);
    if (cols.x < 0 || cols.y < 0) {
        data.warnings.push_back(file +
                                ": no coordinate columns (looked for lon/lat, 经度/纬度, 东经/北纬, x/y, "
                                "X坐标/Y坐标); set \"xField\" and \"yField\" on the layer to pick them");
        return;
    }
    const Column& xc = t.columns[cols.x];
    const Column& yc = t.columns[cols.y];
    const size_t n = t.featureCount();
    std::vector<double> xs(n, 0), ys(n, 0);
    std::vector<bool> ok(n, false);
    bool dms = false;
    size_t parsed = 0, inRange = 0;
    for (size_t r = 0; r < n; ++r) {
        auto x = cellValue(xc, r, dms), y = cellValue(yc, r, dms);
        if (!x || !y) continue;
        xs[r] = *x, ys[r] = *y, ok[r] = true;
        ++parsed;
        if (lonLatInRange(*x, *y)) ++inRange;
    }

    bool assigned = false;
    bool geographic = geographicCrsAssigned(options, assigned);
    if (!assigned && !dms && 2 * inRange < parsed) {
        size_t r = 0;
        while (!ok[r] || lonLatInRange(xs[r], ys[r])) ++r;
        throw CrsError(data.path,
                       data.layerName,
                       "the columns \"" + xc.name + "\" and \"" + yc.name + "\" hold numbers that are not " +
                           "longitude/latitude (e.g. " + xc.display(r) + ", " + yc.display(r) +
                           ") and the file has no CRS; set \"crs\" on the layer (an EPSG code such as EPSG:4547, "
                           "WKT or a PROJ string)");
    }
    if (assigned && !geographic && swapNorthingFirst(xs, ys, ok, options.crs))
        data.warnings.push_back(file + ": \"" + xc.name + "\" holds northings and \"" + yc.name +
                                "\" eastings (the surveying convention); read them as y and x");

    t.xy.clear();
    t.ringEnds.clear();
    t.partEnds.clear();
    t.featureEnds.clear();
    size_t bad = 0;
    std::string listed;
    for (size_t r = 0; r < n; ++r) {
        if (ok[r] && (!geographic || lonLatInRange(xs[r], ys[r]))) {
            t.addVertex(xs[r], ys[r]);
            t.endRing();
            t.endPart();
            t.kinds[r] = GeomKind::Point;
        } else {
            t.kinds[r] = GeomKind::None;
            if (++bad <= 10) {
                const bool xBad = !ok[r] ? !cellValue(xc, r, dms) : !(xs[r] >= -180 && xs[r] <= 180);
                const Column& c = xBad ? xc : yc;
                std::string why = c.isNull(r) || trim(c.display(r)).empty() ? "empty"
                                  : ok[r]                                   ? "\"" + c.display(r) + "\" out of range"
                                                                            : "\"" + c.display(r) + "\"";
                listed += (listed.empty() ? "" : "; ") + rowLabel(data, t.fids[r]) + " " + c.name + ": " + why;
            }
        }
        t.endFeature();
    }
    data.skippedGeometries = bad;
    if (bad)
        data.warnings.push_back(file + ": " + std::to_string(bad) + (bad == 1 ? " row" : " rows") +
                                " with bad coordinates, kept without a point (" + listed + (bad > 10 ? "; ..." : "") +
                                ")");
}

}  // namespace geo

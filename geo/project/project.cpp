#include "project/project.hpp"
#include "project/project_json.hpp"
#include "tiles/tile_source.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "crs/crs.hpp"
#include "markup/markup_store.hpp"
#include "project/project_limits.hpp"
#include "project/reach.hpp"
#include "source/postgis.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace geo {

const ProjectLayer* Project::findLayer(LayerId id) const {
    int i = layerIndex(id);
    return i < 0 ? nullptr : &layers[static_cast<size_t>(i)];
}

ProjectLayer* Project::findLayer(LayerId id) {
    int i = layerIndex(id);
    return i < 0 ? nullptr : &layers[static_cast<size_t>(i)];
}

int Project::layerIndex(LayerId id) const {
    for (size_t i = 0; i < layers.size(); ++i)
        if (layers[i].id == id) return static_cast<int>(i);
    return -1;
}

void assignLayerIds(Project& project) {
    LayerId next = 1;
    for (const auto& l : project.layers) next = std::max(next, l.id + 1);
    for (auto& l : project.layers)
        if (l.id == 0) l.id = next++;
}

namespace {

std::string resolvePath(const std::string& p, const std::string& baseDir) {
    if (p.empty() || p.rfind("/vsi", 0) == 0 || isDatabaseSource(p) || isUrl(p)) return p;
    // Absolute paths are normalized like relative ones (a//b, a/./b): the save writes them relative to the project,
    // and they read back normalized.
    const fs::path path(p);
    return (path.is_absolute() ? path : fs::path(baseDir) / path).lexically_normal().string();
}

// True when the JSON number `v` is a finite value that T holds: json's own conversion would cast 1e300 to an
// infinite float (saved back as null, so the file would not open again) or to an int by undefined behaviour.
template <typename T>
bool numberFits(const json& v) {
    using Limits = std::numeric_limits<T>;
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if constexpr (std::is_floating_point_v<T>) return std::isfinite(d) && std::fabs(d) <= double(Limits::max());
        return std::isfinite(d) && d >= double(Limits::min()) && d <= double(Limits::max());
    }
    if constexpr (std::is_floating_point_v<T>) return true;
    if (v.is_number_unsigned()) return v.get<uint64_t>() <= uint64_t(Limits::max());
    const int64_t i = v.get<int64_t>();
    return i >= int64_t(Limits::min()) && i <= int64_t(Limits::max());
}

template <typename T>
T field(const json& j, const char* key, const T& fallback, const std::string& where) {
    if (!j.contains(key)) return fallback;
    const json& v = j.at(key);
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        if (v.is_number() && !numberFits<T>(v))
            throw FormatError("", "", where + "." + key + " is out of range");
    }
    try {
        return v.get<T>();
    } catch (const json::exception&) {
        throw FormatError("", "", where + "." + key + " has the wrong type");
    }
}

Rgba colorField(const json& j, const char* key, Rgba fallback, const std::string& where) {
    std::string s = field<std::string>(j, key, toHex(fallback), where);
    auto c = parseColor(s);
    if (!c) throw FormatError("", "", where + "." + key + " is not a colour like #RRGGBB: '" + s + "'");
    return *c;
}

Symbol symbolFromName(const std::string& n, const std::string& where) {
    if (n == "circle") return Symbol::Circle;
    if (n == "square") return Symbol::Square;
    if (n == "triangle") return Symbol::Triangle;
    if (n == "diamond") return Symbol::Diamond;
    throw FormatError("", "", where + ".symbol must be circle, square, triangle or diamond, not '" + n + "'");
}

Pattern patternFromName(const std::string& n, const std::string& where) {
    if (n == "solid") return Pattern::Solid;
    if (n == "hatched") return Pattern::Hatched;
    if (n == "dense-hatched") return Pattern::DenseHatched;
    throw FormatError("", "", where + ".pattern must be solid, hatched or dense-hatched, not '" + n + "'");
}

Style styleFromJson(const json& j, const Style& base, const std::string& where) {
    if (!j.is_object()) throw FormatError("", "", where + " must be an object");
    Style s = base;
    s.fill = colorField(j, "fill", s.fill, where);
    s.stroke = colorField(j, "stroke", s.stroke, where);
    s.fillEnabled = field(j, "fillEnabled", s.fillEnabled, where);
    s.strokeEnabled = field(j, "strokeEnabled", s.strokeEnabled, where);
    s.strokeWidth = field(j, "strokeWidth", s.strokeWidth, where);
    s.pointSize = field(j, "pointSize", s.pointSize, where);
    s.categoryField = field<std::string>(j, "categoryField", "", where);
    if (j.contains("categories")) {
        if (!j["categories"].is_array()) throw FormatError("", "", where + ".categories must be an array");
        for (size_t i = 0; i < j["categories"].size(); ++i) {
            const json& c = j["categories"][i];
            std::string w = where + ".categories[" + std::to_string(i) + "]";
            s.categories.push_back({field<std::string>(c, "value", "", w), colorField(c, "color", Rgba{}, w),
                                    symbolFromName(field<std::string>(c, "symbol", "circle", w), w)});
        }
    }
    s.patternField = field<std::string>(j, "patternField", "", where);
    s.labelField = field<std::string>(j, "labelField", "", where);
    if (j.contains("patterns")) {
        if (!j["patterns"].is_array()) throw FormatError("", "", where + ".patterns must be an array");
        for (size_t i = 0; i < j["patterns"].size(); ++i) {
            const json& p = j["patterns"][i];
            std::string w = where + ".patterns[" + std::to_string(i) + "]";
            s.patterns.push_back(
                {field<std::string>(p, "value", "", w), patternFromName(field<std::string>(p, "pattern", "solid", w), w)});
        }
    }
    s.dashField = field<std::string>(j, "dashField", "", where);
    s.dashValues = field<std::vector<std::string>>(j, "dashValues", {}, where);
    // Lists without the field they apply to do nothing, and a save leaves them out: read them the same way, so
    // a project reads back equal to what was saved.
    if (s.categoryField.empty()) s.categories.clear();
    if (s.patternField.empty()) s.patterns.clear();
    if (s.dashField.empty()) s.dashValues.clear();
    return s;
}


ProjectView viewFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw FormatError("", "", where + " must be an object");
    return {field(j, "lon", 0.0, where), field(j, "lat", 0.0, where), field(j, "scale", 0.0, where)};
}

std::vector<std::string> stringList(const json& j, const char* key, const std::string& where) {
    return field<std::vector<std::string>>(j, key, {}, where);
}

template <typename T, typename F>
std::vector<T> objectList(const json& j, const char* key, const std::string& where, F parse) {
    std::vector<T> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_array()) throw FormatError("", "", where + "." + key + " must be an array");
    for (size_t i = 0; i < j[key].size(); ++i) {
        std::string w = std::string(key) + "[" + std::to_string(i) + "]";
        if (!j[key][i].is_object()) throw FormatError("", "", w + " must be an object");
        out.push_back(parse(j[key][i], w));
    }
    return out;
}

Swipe swipeFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw FormatError("", "", where + " must be an object");
    Swipe s;
    s.enabled = field(j, "enabled", true, where);
    s.position = field(j, "position", 0.5, where);
    if (!(s.position >= 0.0 && s.position <= 1.0))
        throw FormatError("", "", where + ".position must be between 0 and 1");
    s.left = stringList(j, "left", where);
    s.right = stringList(j, "right", where);
    return s;
}

std::string phaseField(const json& j, const std::string& where) {
    std::string phase = field<std::string>(j, "phase", "", where);
    const auto& statuses = catalogStatuses();
    if (!phase.empty() && std::find(statuses.begin(), statuses.end(), phase) == statuses.end())
        throw FormatError("", "", where + ".phase \"" + phase + "\" is not a catalog status (planned, preparing, "
                                          "under construction, completed, operating)");
    return phase;
}

}  // namespace

Project parseProject(const std::string& text, const std::string& baseDir, const std::string& pathForErrors) {
    checkProjectText(text, pathForErrors);  // size and nesting, before the parser allocates for them
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number such as 1e400
        throw FormatError(pathForErrors, "", std::string("not valid JSON: ") + e.what());
    }
    try {
        if (!j.is_object()) throw FormatError("", "", "the top level must be a JSON object");
        if (!j.contains("version")) throw FormatError("", "", "missing \"version\"");
        int version = field<int>(j, "version", 0, "project");
        if (version > kProjectVersion)
            throw FormatError("", "", "written by a newer Plan Atlas (file version " + std::to_string(version) +
                                          ", this build reads up to " + std::to_string(kProjectVersion) + ")");
        if (version < 1) throw FormatError("", "", "invalid version " + std::to_string(version));
        Project p;
        p.title = field<std::string>(j, "title", "", "project");
        p.displayCrs = field<std::string>(j, "crs", p.displayCrs, "project");
        try {
            Crs::fromUser(p.displayCrs);  // a display CRS nobody knows is the project file's fault: name it
        } catch (const CrsError& e) {
            throw FormatError("", "", std::string("project.crs: ") + e.what());
        }
        p.language = field<std::string>(j, "language", "", "project");
        if (p.language != "" && p.language != "zh" && p.language != "en")
            throw FormatError("", "", "project.language must be \"zh\", \"en\" or absent, not \"" + p.language + "\"");
        if (j.contains("view")) p.view = viewFromJson(j["view"], "project.view");
        p.bookmarks = objectList<Bookmark>(j, "bookmarks", "project", [](const json& b, const std::string& w) {
            return Bookmark{field<std::string>(b, "name", "", w), b.contains("view") ? viewFromJson(b["view"], w + ".view") : ProjectView{},
                            field<std::string>(b, "crs", "", w)};
        });
        p.slides = objectList<Slide>(j, "slides", "project", [](const json& s, const std::string& w) {
            Slide sl;
            sl.title = field<std::string>(s, "title", "", w);
            sl.caption = field<std::string>(s, "caption", "", w);
            if (s.contains("view")) sl.view = viewFromJson(s["view"], w + ".view");
            sl.fitProjects = stringList(s, "fitProjects", w);
            sl.visibleLayers = stringList(s, "visibleLayers", w);
            sl.highlight = stringList(s, "highlight", w);
            sl.phase = phaseField(s, w);
            if (s.contains("swipe")) sl.swipe = swipeFromJson(s["swipe"], w + ".swipe");
            return sl;
        });
        if (j.contains("swipe")) p.swipe = swipeFromJson(j["swipe"], "project.swipe");
        if (j.contains("timeline")) {
            const json& t = j["timeline"];
            if (!t.is_object()) throw FormatError("", "", "project.timeline must be an object");
            p.timeline.enabled = field(t, "enabled", true, "project.timeline");
            p.timeline.year = field(t, "year", 0, "project.timeline");
            p.timeline.phase = phaseField(t, "project.timeline");
        }
        if (j.contains("layers")) {
            if (!j["layers"].is_array()) throw FormatError("", "", "project.layers must be an array");
            for (size_t i = 0; i < j["layers"].size(); ++i) {
                const json& l = j["layers"][i];
                std::string where = "layers[" + std::to_string(i) + "]";
                if (!l.is_object()) throw FormatError("", "", where + " must be an object");
                ProjectLayer pl;
                pl.source = resolvePath(field<std::string>(l, "source", "", where), baseDir);
                if (pl.source.empty()) throw FormatError("", "", where + " has no \"source\"");
                pl.layer = field<std::string>(l, "layer", "", where);
                // A URL's default name comes from it with any key redacted: the name is saved as it is.
                const std::string nameFrom = isUrl(pl.source) ? redactTileUrl(pl.source) : pl.source;
                pl.name = field<std::string>(l, "name", pl.layer.empty() ? fs::path(nameFrom).stem().string() : pl.layer,
                                             where);
                pl.visible = field(l, "visible", true, where);
                pl.opacity = field(l, "opacity", 1.0f, where);
                pl.attribution = field<std::string>(l, "attribution", "", where);
                pl.options.crs = field<std::string>(l, "crs", "", where);
                pl.options.datum = field<std::string>(l, "datum", "", where);
                if (!pl.options.datum.empty() && pl.options.datum != "gcj02" && pl.options.datum != "wgs84")
                    throw FormatError("", "", where + ".datum must be \"gcj02\" or \"wgs84\", not \"" + pl.options.datum + "\"");
                pl.options.xField = field<std::string>(l, "xField", "", where);
                pl.options.yField = field<std::string>(l, "yField", "", where);
                for (const auto& cp : field<std::vector<std::vector<double>>>(l, "controlPoints", {}, where)) {
                    if (cp.size() != 4 || !std::isfinite(cp[0]) || !std::isfinite(cp[1]) || !std::isfinite(cp[2]) || !std::isfinite(cp[3]))
                        throw FormatError("", "", where + ".controlPoints: each is [drawingX, drawingY, mapX, mapY]");
                    pl.options.controlPoints.push_back({cp[0], cp[1], cp[2], cp[3]});
                }
                if (!pl.options.controlPoints.empty() && pl.options.crs.empty())
                    throw FormatError("", "", where + ".controlPoints need the map CRS in \"crs\"");
                if (l.contains("tiles")) {
                    const json& t = l["tiles"];
                    std::string tw = where + ".tiles";
                    if (!t.is_object()) throw FormatError("", "", tw + " must be an object");
                    TileOptions& to = pl.options.tiles;
                    to.minZoom = field(t, "minZoom", to.minZoom, tw);
                    to.maxZoom = field(t, "maxZoom", to.maxZoom, tw);
                    to.tileSize = field(t, "tileSize", to.tileSize, tw);
                    to.subdomains = field<std::string>(t, "subdomains", "", tw);
                    to.layer = field<std::string>(t, "layer", "", tw);
                    to.style = field<std::string>(t, "style", "", tw);
                    to.matrixSet = field<std::string>(t, "matrixSet", "", tw);
                    to.format = field<std::string>(t, "format", "", tw);
                    if (to.minZoom < 0 || to.maxZoom > 30 || to.minZoom > to.maxZoom)
                        throw FormatError("", "", tw + ": minZoom and maxZoom must lie in 0-30 with minZoom <= maxZoom");
                    if (to.tileSize != 256 && to.tileSize != 512)
                        throw FormatError("", "", tw + ".tileSize must be 256 or 512");
                    std::string datum = field<std::string>(t, "datum", "", tw);
                    if (!datum.empty() && datum != "gcj02" && datum != "wgs84")
                        throw FormatError("", "", tw + ".datum must be \"gcj02\" or \"wgs84\", not \"" + datum + "\"");
                    if (!datum.empty()) pl.options.datum = datum;
                    std::string credit = field<std::string>(t, "attribution", "", tw);
                    if (!credit.empty() && pl.attribution.empty()) pl.attribution = credit;
                }
                pl.minScale = field(l, "minScale", 0.0, where);
                pl.maxScale = field(l, "maxScale", 0.0, where);
                if (pl.minScale < 0 || pl.maxScale < 0 || (pl.maxScale > 0 && pl.minScale > pl.maxScale))
                    throw FormatError("", "", where + ": minScale and maxScale must be >= 0 with minScale <= maxScale");
                pl.style = l.contains("style") ? styleFromJson(l["style"], defaultStyle(i), where + ".style")
                                               : defaultStyle(i);
                p.layers.push_back(std::move(pl));
            }
        }
        assignLayerIds(p);
        return p;
    } catch (const FormatError& e) {
        throw FormatError(pathForErrors, "", e.what());
    }
}

Project loadProject(const std::string& path) {
    checkProjectFileSize(path);  // before reading it
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path, "", "cannot open the project file");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string base = fs::absolute(fs::path(path)).lexically_normal().parent_path().string();
    Project p = parseProject(ss.str(), base, path);
    json j = json::parse(ss.str());  // parsed once already: cannot fail here
    if (j.contains("markup")) {
        if (!j["markup"].is_string()) throw FormatError(path, "", "\"markup\" must be a file name");
        std::string markupPath = resolvePath(j["markup"].get<std::string>(), base);
        // The sidecar is a file beside the project (saveProject writes its name only): never a URL, a database,
        // or a file elsewhere, which loading would read before the viewer could ask (project/reach.hpp).
        if (isNetworkSource(markupPath) || markupPath.rfind("/vsi", 0) == 0 || !isInsideFolder(markupPath, base))
            throw FormatError(path, "", "\"markup\" must name a file in the project's folder, not '" +
                                            redactConnection(j["markup"].get<std::string>()) + "'");
        size_t skipped = 0;
        p.markup = loadMarkup(markupPath, &skipped);  // throws naming the markup file
    }
    return p;
}

}  // namespace geo

// Writing project files (*.atlas.json): the model to JSON, and the atomic save with its markup sidecar. Reading is
// project.cpp.
#include "project/project.hpp"
#include "project/project_json.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "markup/markup_store.hpp"
#include "source/postgis.hpp"
#include "tiles/tile_source.hpp"

namespace fs = std::filesystem;
using ordered = nlohmann::ordered_json;  // files keep a readable key order

namespace geo {

namespace {

std::string relativePath(const std::string& p, const std::string& baseDir) {
    // A tile URL is saved with any key in it replaced by {key}: keys live in the user's config only. Also without a
    // base folder (the recovery sidecar, the viewer's snapshot).
    if (isUrl(p)) return redactTileUrl(p);
    if (p.empty() || p.rfind("/vsi", 0) == 0 || baseDir.empty()) return p;
    fs::path rel = fs::path(p).lexically_relative(fs::path(baseDir));
    return rel.empty() ? p : rel.generic_string();
}

const char* symbolName(Symbol s) {
    switch (s) {
        case Symbol::Square: return "square";
        case Symbol::Triangle: return "triangle";
        case Symbol::Diamond: return "diamond";
        default: return "circle";
    }
}

const char* patternName(Pattern p) {
    return p == Pattern::Hatched ? "hatched" : p == Pattern::DenseHatched ? "dense-hatched" : "solid";
}

ordered styleToJson(const Style& s) {
    ordered j = {{"fill", toHex(s.fill)},
              {"stroke", toHex(s.stroke)},
              {"fillEnabled", s.fillEnabled},
              {"strokeEnabled", s.strokeEnabled},
              {"strokeWidth", s.strokeWidth},
              {"pointSize", s.pointSize}};
    if (!s.categoryField.empty()) {
        j["categoryField"] = s.categoryField;
        ordered cats = ordered::array();
        for (auto& c : s.categories) {
            ordered jc = {{"value", c.value}, {"color", toHex(c.color)}};
            if (c.symbol != Symbol::Circle) jc["symbol"] = symbolName(c.symbol);
            cats.push_back(jc);
        }
        j["categories"] = cats;
    }
    if (!s.labelField.empty()) j["labelField"] = s.labelField;
    if (!s.patternField.empty()) {
        j["patternField"] = s.patternField;
        ordered pats = ordered::array();
        for (auto& p : s.patterns) pats.push_back({{"value", p.value}, {"pattern", patternName(p.pattern)}});
        j["patterns"] = pats;
    }
    if (!s.dashField.empty()) {
        j["dashField"] = s.dashField;
        j["dashValues"] = s.dashValues;
    }
    return j;
}

ordered viewToJson(const ProjectView& v) { return {{"lon", v.lon}, {"lat", v.lat}, {"scale", v.scale}}; }

ordered swipeToJson(const Swipe& s) {
    return {{"enabled", s.enabled}, {"position", s.position}, {"left", s.left}, {"right", s.right}};
}

}  // namespace

std::string serializeProject(const Project& p, const std::string& baseDir, const std::string& markupFile) {
    ordered layers = ordered::array();
    for (const auto& l : p.layers) {
        ordered jl = {{"name", l.name},
                   // A database connection is saved without its password (that belongs in ~/.pgpass).
                   {"source", isDatabaseSource(l.source) ? redactConnection(l.source) : relativePath(l.source, baseDir)},
                   {"visible", l.visible},
                   {"opacity", l.opacity},
                   {"style", styleToJson(l.style)}};
        if (!l.layer.empty()) jl["layer"] = l.layer;
        if (!l.attribution.empty()) jl["attribution"] = l.attribution;
        if (!l.options.crs.empty()) jl["crs"] = l.options.crs;
        if (!l.options.datum.empty()) jl["datum"] = l.options.datum;
        if (!l.options.xField.empty()) jl["xField"] = l.options.xField;
        if (!l.options.yField.empty()) jl["yField"] = l.options.yField;
        if (!l.options.controlPoints.empty()) {
            ordered cps = ordered::array();
            for (const auto& cp : l.options.controlPoints) cps.push_back({cp.drawingX, cp.drawingY, cp.mapX, cp.mapY});
            jl["controlPoints"] = cps;
        }
        if (l.options.tiles != TileOptions{} ) {
            const TileOptions& t = l.options.tiles;
            const TileOptions d;
            ordered jt = ordered::object();
            if (t.minZoom != d.minZoom) jt["minZoom"] = t.minZoom;
            if (t.maxZoom != d.maxZoom) jt["maxZoom"] = t.maxZoom;
            if (t.tileSize != d.tileSize) jt["tileSize"] = t.tileSize;
            if (!t.subdomains.empty()) jt["subdomains"] = t.subdomains;
            if (!t.layer.empty()) jt["layer"] = t.layer;
            if (!t.style.empty()) jt["style"] = t.style;
            if (!t.matrixSet.empty()) jt["matrixSet"] = t.matrixSet;
            if (!t.format.empty()) jt["format"] = t.format;
            jl["tiles"] = jt;
        }
        if (l.minScale > 0) jl["minScale"] = l.minScale;
        if (l.maxScale > 0) jl["maxScale"] = l.maxScale;
        layers.push_back(jl);
    }
    ordered bookmarks = ordered::array();
    for (const auto& b : p.bookmarks) bookmarks.push_back({{"name", b.name}, {"view", viewToJson(b.view)}, {"crs", b.crs}});
    ordered slides = ordered::array();
    for (const auto& s : p.slides) {
        ordered js = {{"title", s.title}, {"caption", s.caption}, {"view", viewToJson(s.view)}};
        if (!s.fitProjects.empty()) js["fitProjects"] = s.fitProjects;
        if (!s.visibleLayers.empty()) js["visibleLayers"] = s.visibleLayers;
        if (!s.highlight.empty()) js["highlight"] = s.highlight;
        if (!s.phase.empty()) js["phase"] = s.phase;
        // Saved whenever it is not the default, like the project's own: a slide's swipe switched off keeps its
        // divider and sides (dropping them lost what the file said: found by fuzz_project).
        if (!(s.swipe == Swipe{})) js["swipe"] = swipeToJson(s.swipe);
        slides.push_back(js);
    }
    ordered j = {{"version", kProjectVersion}, {"title", p.title}};
    if (!p.language.empty()) j["language"] = p.language;
    j["crs"] = p.displayCrs;
    j["view"] = viewToJson(p.view);
    j["layers"] = layers;
    j["bookmarks"] = bookmarks;
    j["slides"] = slides;
    if (!(p.swipe == Swipe{})) j["swipe"] = swipeToJson(p.swipe);
    if (!(p.timeline == Timeline{}))
        j["timeline"] = {{"enabled", p.timeline.enabled}, {"year", p.timeline.year}, {"phase", p.timeline.phase}};
    if (!p.markup.empty()) j["markup"] = markupFile.empty() ? std::string("markup.gpkg") : markupFile;
    return j.dump(2) + "\n";
}

void writeFileAtomically(const std::string& path, const std::string& content) {
    replaceFileAtomically(path, content);  // a unique temporary, fsync, rename: see core/atomic_file.hpp
}

std::string markupPathFor(const std::string& projectPath) {
    fs::path p(projectPath);
    std::string name = p.filename().string();
    for (const char* tail : {".atlas.json", ".json"}) {
        std::string t = tail;
        if (name.size() > t.size() && name.compare(name.size() - t.size(), t.size(), t) == 0) {
            name.resize(name.size() - t.size());
            break;
        }
    }
    return (p.parent_path() / (name + ".markup.gpkg")).string();
}

void saveProject(const Project& project, const std::string& path) {
    std::string base = fs::absolute(fs::path(path)).lexically_normal().parent_path().string();
    std::string markup = markupPathFor(path);
    // The markup first: a failure there leaves the project file as it was. An emptied markup list empties the
    // file rather than leaving old notes to come back on the next open.
    if (!project.markup.empty() || fs::exists(markup)) saveMarkup(markup, project.markup);
    writeFileAtomically(path, serializeProject(project, base, fs::path(markup).filename().string()));
}

}  // namespace geo

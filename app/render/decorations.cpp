#include "render/decorations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>

#include "core/error.hpp"

namespace app::render {

double niceLength(double meters) {
    double p = std::pow(10.0, std::floor(std::log10(meters)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= meters) return m * p;
    return p;
}

bool parseDecorations(const std::string& list, DecorationSet& out) {
    out = DecorationSet::none();
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (name == "title") out.title = true;
        else if (name == "legend") out.legend = true;
        else if (name == "scalebar") out.scaleBar = true;
        else if (name == "north") out.north = true;
        else if (name == "credits") out.credits = true;
        else if (name == "date") out.date = true;
        else if (name == "crs") out.crs = true;
        else if (!name.empty()) return false;
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return true;
}

namespace {

struct LegendEntry {
    std::string text;
    geo::Rgba color;
    bool outline = false, dashed = false;  // a key of outlines (solid or dashed) rather than a filled swatch
};

// Dashes along the four edges of the swatch box, as small rectangles (the overlay draws rectangles and text).
void dashedBox(Overlay& o, float x0, float y0, float x1, float y1, float ratio, geo::Rgba c, bool dashed) {
    const float w = 1.5f * ratio, dash = dashed ? 3 * ratio : 1e9f, gap = 2 * ratio;
    auto edge = [&](float ax, float ay, float bx, float by) {
        const float len = std::max(std::abs(bx - ax), std::abs(by - ay));
        for (float t = 0; t < len; t += dash + gap) {
            const float t1 = std::min(len, t + dash);
            const float px0 = ax + (bx - ax) * t / len, py0 = ay + (by - ay) * t / len;
            const float px1 = ax + (bx - ax) * t1 / len, py1 = ay + (by - ay) * t1 / len;
            o.rects.push_back({std::min(px0, px1), std::min(py0, py1), std::max(px0, px1) + w, std::max(py0, py1) + w,
                               {c.r, c.g, c.b, 255}});
        }
    };
    edge(x0, y0, x1, y0);
    edge(x1, y0, x1, y1);
    edge(x0, y1, x1, y1);
    edge(x0, y0, x0, y1);
}

// The legend of the drawn layers, top layer first: each category, or the layer's name.
// The legend of the drawn layers, top layer first: each category, or the layer's name; then which outlines are
// dashed (for a plan-project catalog, the dashed accuracy values: "schematic" shapes are illustrative).
std::vector<LegendEntry> legendEntries(const geo::Project& project, const Scene& scene, const geo::Crs& crs,
                                       double scale) {
    std::vector<LegendEntry> entries;
    for (size_t k = project.layers.size(); k-- > 0;) {
        const geo::ProjectLayer& l = project.layers[k];
        const SceneLayer* s = scene.find(l.id);
        if (!s || !l.visible || !l.visibleAtScale(scale) || !s->readyIn(crs)) continue;
        if (!l.style.categories.empty()) {
            for (const auto& c : l.style.categories) entries.push_back({c.value, c.color});
        } else {
            entries.push_back({l.name, l.style.fillEnabled ? l.style.fill : l.style.stroke});
        }
        if (geo::hasDashes(l.style)) {
            // In the project's language, as its slides are (an export is project content, not UI).
            const std::string zh = "（虚线轮廓：示意形状）", en = " (dashed outline: illustrative shape)";
            const std::string note = project.language == "zh" ? zh : project.language == "en" ? en : zh + en;
            for (const auto& v : l.style.dashValues)
                entries.push_back({l.style.dashField + ": " + v + note, l.style.stroke, true, true});
        }
    }
    return entries;
}

Overlay layoutDecorations(const std::string& title, const std::vector<LegendEntry>& entries, const std::string& credits,
                          const std::string& note, const std::string& scaleLabel, double meters, double mpp,
                          const geo::View& view, float ratio, const LabelRenderer& text, bool northArrow);

}  // namespace

std::string creditsText(const geo::Project& project, const Scene& scene, const geo::Crs& crs) {
    std::string credits;
    std::set<std::string> seen;
    for (const auto& l : project.layers) {
        const SceneLayer* s = scene.find(l.id);
        if (s && l.visible && s->readyIn(crs) && !l.attribution.empty() && seen.insert(l.attribution).second)
            credits += (credits.empty() ? "" : " | ") + l.attribution;
    }
    return credits;
}

Overlay decorations(const std::string& titleText, const geo::Project& project, const Scene& scene,
                    const geo::View& view, const geo::Crs& crs, float ratio, LabelRenderer& text,
                    const DecorationSet& which) {
    const std::string title = which.title ? titleText : std::string();
    // Everything that will be written, first: the glyph atlas must hold it before anything is measured.
    const double scale = geo::scaleDenominator(view, geo::Transformer(crs, geo::Crs::wgs84()), 0.0254 / (96.0 * ratio));
    std::vector<LegendEntry> entries =
        which.legend ? legendEntries(project, scene, crs, scale) : std::vector<LegendEntry>{};
    std::string credits = which.credits ? creditsText(project, scene, crs) : std::string();
    char date[32];
    std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&now));
    std::string note = which.date ? std::string(date) : std::string();
    if (which.crs) note += (note.empty() ? "" : " · ") + crs.id() + " " + crs.name();
    // Scale bar: ground length at the map centre, so it is right in every display CRS.
    geo::Transformer toWgs(crs, geo::Crs::wgs84());
    const double mpp = geo::groundResolution(view, toWgs);
    const double meters = which.scaleBar && mpp > 0 ? niceLength(mpp * 150 * ratio) : 0;
    char scaleLabel[32];
    std::snprintf(scaleLabel, sizeof scaleLabel, meters >= 1000 ? "%g km" : "%g m", meters >= 1000 ? meters / 1000 : meters);
    std::vector<std::string> strings = {title, credits, note, scaleLabel, "N"};
    for (const auto& e : entries) strings.push_back(e.text);
    if (!text.prepare(strings, ratio))
        throw geo::IoError("", "", "no font for the map decorations (install fonts-noto-cjk), or use --no-decorations");
    return layoutDecorations(title, entries, credits, note, scaleLabel, meters, mpp, view, ratio, text, which.north);
}

namespace {
Overlay layoutDecorations(const std::string& title, const std::vector<LegendEntry>& entries, const std::string& credits,
                          const std::string& note, const std::string& scaleLabel, double meters, double mpp,
                          const geo::View& view, float ratio, const LabelRenderer& text, bool northArrow) {
    Overlay o;
    const float m = 16 * ratio;
    auto box = [&](float x0, float y0, float x1, float y1) { o.rects.push_back({x0, y0, x1, y1, {255, 255, 255, 220}}); };
    if (!title.empty()) {  // title, top left
        auto sz = text.measure(title, 2.0f);
        box(m, m, 3 * m + sz[0], 2 * m + sz[1]);
        o.texts.push_back({title, 2 * m, 1.5f * m, 2.0f});
    }
    if (!entries.empty()) {  // legend, top right
        float lw = 0, lh = 0;
        for (const auto& e : entries) {
            auto sz = text.measure(e.text, 1.0f);
            lw = std::max(lw, sz[0] + sz[1] + 4 * ratio);
            lh += sz[1] + 4 * ratio;
        }
        float x0 = view.width - 2 * m - lw, y = 1.5f * m;
        box(x0 - m, m, view.width - m, 2 * m + lh);
        for (const auto& e : entries) {
            auto sz = text.measure(e.text, 1.0f);
            if (e.outline)
                dashedBox(o, x0, y + 3 * ratio, x0 + sz[1] - 5 * ratio, y + sz[1] - 3 * ratio, ratio, e.color, e.dashed);
            else
                o.rects.push_back({x0, y + 2 * ratio, x0 + sz[1] - 4 * ratio, y + sz[1] - 2 * ratio,
                                   {e.color.r, e.color.g, e.color.b, 255}});
            o.texts.push_back({e.text, x0 + sz[1] + 4 * ratio, y, 1.0f});
            y += sz[1] + 4 * ratio;
        }
    }
    auto nsz = text.measure(note, 0.85f);
    const float bottom = view.height - m;
    if (meters > 0) {  // scale bar and the date / CRS note, bottom left
        float len = static_cast<float>(meters / mpp);
        auto lsz = text.measure(scaleLabel, 1.0f);
        box(m, bottom - 3 * m - nsz[1] - lsz[1] * 0.2f, m + std::max(len + 2.5f * m + lsz[0], nsz[0] + 2 * m), bottom);
        float barY = bottom - 1.5f * m - nsz[1];
        o.rects.push_back({2 * m, barY - 0.4f * m, 2 * m + len, barY, {17, 24, 39, 255}});
        o.texts.push_back({scaleLabel, 2.5f * m + len, barY - 0.4f * m - lsz[1] * 0.6f, 1.0f});
        o.texts.push_back({note, 2 * m, bottom - 0.5f * m - nsz[1], 0.85f});
    } else if (!note.empty()) {
        box(m, bottom - nsz[1] - m, 3 * m + nsz[0], bottom);
        o.texts.push_back({note, 2 * m, bottom - 0.5f * m - nsz[1], 0.85f});
    }
    // North arrow (grid north), bottom right above the credits.
    if (northArrow) {
        float ax = view.width - 3 * m, ay = view.height - 5 * m;
        o.triangles.push_back({{ax, ax - m, ax + m}, {ay - 2 * m, ay + m, ay + m}, {17, 24, 39, 255}});
        auto north = text.measure("N", 1.0f);
        o.texts.push_back({"N", ax - north[0] / 2, ay - 2 * m - north[1] - 2 * ratio, 1.0f});
    }
    if (!credits.empty()) {  // data credits, bottom right; smaller type rather than running off a small image
        float scale = 0.8f;
        auto sz = text.measure(credits, scale);
        const float room = view.width - 3 * m;
        if (sz[0] > room && sz[0] > 0) {
            scale *= room / sz[0];
            sz = text.measure(credits, scale);
        }
        box(view.width - 2 * m - sz[0], bottom - sz[1] - 0.5f * m, view.width - m, bottom);
        o.texts.push_back({credits, view.width - 1.5f * m - sz[0], bottom - sz[1] - 0.25f * m, scale});
    }
    return o;
}
}  // namespace

}  // namespace app::render

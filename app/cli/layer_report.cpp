#include "cli/layer_report.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "source/postgis.hpp"

namespace app::cli {

namespace {

std::string fileName(const std::string& source) {
    const std::string s = geo::redactConnection(source);
    const size_t slash = s.find_last_of('/');
    return slash == std::string::npos ? s : s.substr(slash + 1);
}

// The layer's warnings as one clause, without repeating the file name each of them starts with.
std::string reasons(const render::SceneLayer& s, const std::string& file) {
    std::string out;
    for (std::string w : s.warnings) {
        if (w.rfind(file + ": ", 0) == 0) w.erase(0, file.size() + 2);
        out += (out.empty() ? "" : "; ") + w;
    }
    return out.empty() ? "no features" : out;
}

}  // namespace

std::optional<std::string> nothingToDraw(const geo::Project& project, const render::Scene& scene) {
    constexpr size_t kNamed = 3;  // the rest are counted
    std::string why;
    size_t empty = 0;
    for (const auto& l : project.layers) {
        const render::SceneLayer* s = scene.find(l.id);
        if (!l.visible || !s) continue;
        if (s->status != render::LoadStatus::Ready || !s->nothingToDraw) return std::nullopt;
        if (empty++ < kNamed) {
            const std::string file = fileName(l.source);
            why += std::string(why.empty() ? "" : " | ") + "layer '" + l.name + "' (" + file + "): " + reasons(*s, file);
        }
    }
    if (!empty) return std::nullopt;
    if (empty > kNamed) why += " | and " + std::to_string(empty - kNamed) + " more layers like them";
    return "nothing to draw: " + why;
}

void printLayerWarnings(const char* command, const render::Scene& scene) {
    // Many layers on one source share its warnings: each distinct one once, with how many layers gave it.
    std::vector<std::pair<std::string, size_t>> seen;
    for (const auto& s : scene.layers())
        for (const auto& w : s->warnings) {
            auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& e) { return e.first == w; });
            if (it == seen.end()) seen.emplace_back(w, 1);
            else ++it->second;
        }
    for (const auto& [w, n] : seen)
        std::fprintf(stderr, "planatlas %s: warning: %s%s\n", command, w.c_str(),
                     n > 1 ? (" (" + std::to_string(n) + " layers)").c_str() : "");
}

void warnOutsideView(const char* command, const geo::Project& project, const render::Scene& scene,
                     const geo::View& view) {
    constexpr size_t kNamed = 3;  // the rest are counted
    const geo::BBox box = view.extent();
    bool anyInside = false;
    size_t outside = 0;
    std::string names;
    for (const auto& l : project.layers) {
        const render::SceneLayer* s = scene.find(l.id);
        if (!l.visible || !s || s->status != render::LoadStatus::Ready || s->nothingToDraw) continue;
        if (s->displayExtent.intersects(box) || s->gpuTiles) {  // a basemap covers any box (missing tiles fail later)
            anyInside = true;
            continue;
        }
        if (outside++ < kNamed) names += (names.empty() ? "'" : ", '") + l.name + "' (" + fileName(l.source) + ")";
    }
    if (!outside) return;
    if (outside > kNamed) names += " and " + std::to_string(outside - kNamed) + " more";
    std::fprintf(stderr, "planatlas %s: warning: nothing inside the picture's box from %s\n", command, names.c_str());
    if (!anyInside)
        std::fprintf(stderr, "planatlas %s: warning: no layer has anything inside the picture's box; the image shows "
                             "only the background\n", command);
}

}  // namespace app::cli

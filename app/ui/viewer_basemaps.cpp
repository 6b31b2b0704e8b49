// The viewer: the Basemap menu (built-in providers, a custom tile URL, none) and File > Pack basemap for a
// meeting (the view's area of the shown basemap into an MBTiles file, on the worker pool with progress and
// cancel; the pack then becomes the basemap, so the meeting room needs no network).
#include "ui/viewer_internal.hpp"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "layer/layer_content.hpp"
#include "platform/tile_setup.hpp"
#include "tiles/basemaps.hpp"
#include "tiles/tile_pack.hpp"
#include "tiles/tile_provider.hpp"

namespace app::ui::detail {

namespace {

constexpr const char* kCustomHelp = "An XYZ/TMS URL template with {z}, {x} and {y} ({-y} for TMS rows, {s} for subdomains, {key} where a key kept in Settings goes), WMTS:capabilities-URL, or an .mbtiles file.";

// The first shown basemap (tile layer) of the project, or null.
const geo::ProjectLayer* shownBasemap(const geo::Project& p) {
    for (const auto& l : p.layers)
        if (l.visible && geo::isTileLayer(l)) return &l;
    return nullptr;
}

bool basemapShown(const geo::Project& p, const geo::Basemap& b) {
    for (const auto& bl : b.layers)
        for (const auto& l : p.layers)
            if (l.source == bl.source && l.visible) return true;
    return false;
}

std::string defaultPackPath() {
    const char* home = std::getenv("HOME");
    char stamp[32];
    std::time_t t = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d", std::localtime(&t));
    return std::string(home && *home ? home : ".") + "/planatlas-basemap-" + stamp + ".mbtiles";
}

}  // namespace

void Viewer::chooseBasemap(std::vector<geo::ProjectLayer> layers, const std::string& label) {
    std::vector<geo::ProjectLayer> fresh;
    for (auto& l : layers) {
        bool known = false;
        for (const auto& o : doc_.project().layers) known |= o.source == l.source;
        if (!known) fresh.push_back(l);
    }
    doc_.giveIds(fresh);
    for (auto& l : layers)
        for (const auto& f : fresh)
            if (f.source == l.source) l.id = f.id;
    doc_.apply(geo::cmd::chooseBasemap(std::move(layers), label));
}

void Viewer::drawBasemapMenu() {
    if (!ImGui::BeginMenu(menuLabel("Basemap").c_str())) return;
    const geo::Project& project = doc_.project();
    const bool none = shownBasemap(project) == nullptr;
    if (ImGui::MenuItem(menuLabel("None").c_str(), nullptr, none)) chooseBasemap({}, "no basemap");
    ImGui::Separator();
    for (const geo::Basemap& b : geo::builtInBasemaps()) {
        const bool needsKey = !b.keyHost.empty() && settings_.basemapKeys.find(b.keyHost) == settings_.basemapKeys.end();
        if (ImGui::MenuItem(menuLabel(b.label.c_str()).c_str(), needsKey ? tr("needs a key") : nullptr, basemapShown(project, b)))
            chooseBasemap(b.layers, "basemap " + b.label);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", b.terms.c_str());
    }
    // Tile layers of the project that are not built in (custom templates, packs).
    bool header = false;
    for (const auto& l : project.layers) {
        if (!geo::isTileLayer(l)) continue;
        bool builtIn = false;
        for (const geo::Basemap& b : geo::builtInBasemaps())
            for (const auto& bl : b.layers) builtIn |= bl.source == l.source;
        if (builtIn) continue;
        if (!header) ImGui::Separator();
        header = true;
        if (ImGui::MenuItem((l.name + "###basemap" + std::to_string(l.id)).c_str(), nullptr, l.visible))
            chooseBasemap({l}, "basemap " + l.name);
    }
    ImGui::Separator();
    if (ImGui::MenuItem(menuLabel("Custom tile URL...").c_str())) basemap_.showCustom = true;
    if (ImGui::MenuItem(menuLabel("Basemap keys...").c_str())) state_.showSettings = true;
    ImGui::EndMenu();
}

void Viewer::startPack() {
    BasemapUi& b = basemap_;
    const geo::ProjectLayer* l = doc_.project().findLayer(b.packLayer);
    if (!l) return;
    geo::PackRequest req;
    req.lonLat = b.packBox;
    req.minZoom = b.packMinZoom;
    req.maxZoom = b.packMaxZoom;
    req.out = b.packPath.data();
    req.attribution = l->attribution;
    geo::ProjectLayer layer = *l;
    layer.options.tiles.maxZoom = std::max(layer.options.tiles.maxZoom, req.maxZoom);
    b.error.clear();
    b.result.clear();
    const std::string name = l->name, out = req.out;
    b.job = pool_.submit<geo::PackResult>(
        JobPriority::Normal, "pack",
        [layer, req](geo::JobProgress& p) {
            auto provider = geo::TileProvider::open(geo::tileSpecOf(layer), geo::tileEnvironment(), p.cancelFlag());
            return geo::packTiles(*provider, req, &p);
        },
        [this, name, out](geo::PackResult&& r) {
            basemap_.job.reset();
            basemap_.result = trf("%lld tiles written, %lld kept, %lld failed", static_cast<long long>(r.written),
                                  static_cast<long long>(r.kept), static_cast<long long>(r.failed));
            if (r.failed) basemap_.error = r.firstError;
            doc_.report(r.failed ? Message::Warning : Message::Info, name + ": " + out + ": " + basemap_.result);
        },
        [this, name](const std::string& error) {
            basemap_.job.reset();
            basemap_.error = error;
            doc_.report(Message::Error, name + ": " + error);
        });
}

void Viewer::drawBasemapWindows() {
    BasemapUi& b = basemap_;
    if (b.showCustom) {
        ImGui::SetNextWindowSize(ImVec2(560, 0), ImGuiCond_FirstUseEver);
        if (ImGui::Begin(menuLabel("Custom tile URL").c_str(), &b.showCustom, ImGuiWindowFlags_NoSavedSettings)) {
            ImGui::TextWrapped("%s", tr(kCustomHelp));
            ImGui::InputText(menuLabel("URL").c_str(), b.url.data(), b.url.size());
            ImGui::InputText(menuLabel("Attribution").c_str(), b.attribution.data(), b.attribution.size());
            const bool ok = geo::isTileSourceString(b.url.data());
            if (!ok && b.url[0]) ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.2f, 1), "%s", tr("not a tile source"));
            ImGui::BeginDisabled(!ok);
            if (ImGui::Button(menuLabel("Use as basemap").c_str())) {
                geo::ProjectLayer l = geo::customBasemapLayer(b.url.data(), b.attribution.data());
                // A key typed into the URL goes to the settings; the project keeps {key}.
                const std::string redacted = geo::redactTileUrl(l.source);
                if (const std::string key = geo::tileUrlKey(l.source); !key.empty()) {
                    settings_.basemapKeys[geo::urlHost(l.source)] = key;
                    saveSettings();
                    platform::configureTiles(settings_, options_.offline);
                    l.source = redacted;
                    l.name = geo::urlHost(redacted);
                }
                chooseBasemap({l}, "custom basemap");
                b.showCustom = false;
            }
            ImGui::EndDisabled();
        }
        ImGui::End();
    }
    if (!b.showPack) return;
    ImGui::SetNextWindowSize(ImVec2(600, 0), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(menuLabel("Pack basemap for a meeting").c_str(), &b.showPack, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    const geo::ProjectLayer* l = shownBasemap(doc_.project());
    if (!l) {
        ImGui::TextWrapped("%s", tr("Show a basemap first (Basemap menu): the pack holds the shown basemap's tiles for the "
                                    "current view."));
        ImGui::End();
        return;
    }
    if (b.packLayer != l->id || b.packPath[0] == 0) {
        b.packLayer = l->id;
        std::snprintf(b.packPath.data(), b.packPath.size(), "%s", defaultPackPath().c_str());
        const render::SceneLayer* s = doc_.scene().find(l->id);
        int level = s && s->gpuTiles ? std::max(0, s->gpuTiles->level()) : 12;
        b.packMinZoom = std::max(0, level - 2);
        b.packMaxZoom = std::min(19, level + 2);
    }
    if (!b.job) b.packBox = geo::transformBox(view_.extent(), *toWgs84_);
    ImGui::TextUnformatted(trf("Basemap: %s", l->name.c_str()).c_str());
    ImGui::TextUnformatted(trf("Area: %.4f, %.4f to %.4f, %.4f (the current view)", b.packBox.minX, b.packBox.minY,
                               b.packBox.maxX, b.packBox.maxY).c_str());
    ImGui::DragIntRange2(menuLabel("Zooms").c_str(), &b.packMinZoom, &b.packMaxZoom, 0.1f, 0, 20);
    const geo::BBox& box = b.packBox;
    int64_t tiles = 0;
    for (int z = b.packMinZoom; z <= b.packMaxZoom; ++z) {  // Web Mercator count, for the estimate line
        auto tx = [&](double lon) { return std::floor((lon + 180.0) / 360.0 * std::ldexp(1.0, z)); };
        auto ty = [&](double lat) {
            double r = lat * M_PI / 180.0;
            return std::floor((1.0 - std::asinh(std::tan(r)) / M_PI) / 2.0 * std::ldexp(1.0, z));
        };
        tiles += int64_t(tx(box.maxX) - tx(box.minX) + 1) * int64_t(ty(box.minY) - ty(box.maxY) + 1);
    }
    ImGui::TextUnformatted(trf("%lld tiles, about %.0f MB", static_cast<long long>(tiles), tiles * 0.02).c_str());
    ImGui::InputText(menuLabel("File").c_str(), b.packPath.data(), b.packPath.size());
    if (b.job) {
        ImGui::ProgressBar(b.job->fraction(), ImVec2(-1, 0));
        if (ImGui::Button(menuLabel("Cancel").c_str())) b.job->cancel();
    } else {
        ImGui::BeginDisabled(tiles <= 0 || tiles > 200000 || b.packPath[0] == 0);
        if (ImGui::Button(menuLabel("Pack").c_str())) startPack();
        ImGui::EndDisabled();
        if (tiles > 200000) ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.2f, 1), "%s", tr("too many tiles: zoom in or lower the zooms"));
    }
    if (!b.result.empty()) ImGui::TextUnformatted(b.result.c_str());
    if (!b.error.empty()) ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.2f, 1), "%s", b.error.c_str());
    if (!b.job && !b.result.empty() && std::filesystem::exists(b.packPath.data())) {
        if (ImGui::Button(menuLabel("Use the pack as the basemap").c_str())) {
            geo::ProjectLayer pack = geo::customBasemapLayer(b.packPath.data(), l->attribution);
            pack.name = l->name + " (pack)";
            pack.options.datum = l->options.datum;
            chooseBasemap({pack}, "basemap pack");
        }
    }
    ImGui::End();
}

}  // namespace app::ui::detail

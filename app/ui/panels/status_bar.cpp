#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

float statusBarHeight() { return ImGui::GetFrameHeightWithSpacing() + 4; }

void drawStatusBar(UiState& state, const PanelContext& ctx, Actions& actions) {
    const geo::Crs& displayCrs = ctx.crs;
    ImGuiIO& io = ImGui::GetIO();
    const float h = statusBarHeight();
    ImGui::SetNextWindowPos(ImVec2(0, io.DisplaySize.y - h));
    ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x, h));
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
    if (!ImGui::Begin("##status", nullptr, flags)) {
        ImGui::End();
        return;
    }
    if (state.cursorValid) {
        ImGui::Text("WGS84 %.6f°E %.6f°N", state.cursorLon, state.cursorLat);
        ImGui::SameLine();
        ImGui::TextDisabled("|");
        ImGui::SameLine();
        ImGui::Text("CGCS2000 GK x %.1f m  y %.1f m", state.cursorGkX, state.cursorGkY);
    } else {
        ImGui::TextDisabled("%s", tr("cursor outside the map"));
    }
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    if (state.scaleDenominator > 0)
        ImGui::TextUnformatted(trf("Scale 1:%.0f", std::round(state.scaleDenominator)).c_str());
    else
        ImGui::TextDisabled("%s", tr("scale n/a"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18);
    std::string current = displayCrs.id();
    for (auto& [code, label] : displayCrsChoices())
        if (current == code) current = label;
    if (ImGui::BeginCombo("##crs", current.c_str())) {
        for (auto& [code, label] : displayCrsChoices())
            if (ImGui::Selectable(label, displayCrs.id() == code)) actions.setCrs = code;
        ImGui::EndCombo();
    }
    size_t loading = 0;
    float progress = 0;
    for (const auto& l : ctx.scene.layers())
        if ((l->status == render::LoadStatus::Loading || l->partial) && l->job) {
            ++loading;
            progress += l->job->fraction();
        }
    if (loading) {
        ImGui::SameLine();
        ImGui::ProgressBar(progress / static_cast<float>(loading), ImVec2(ImGui::GetFontSize() * 10, 0),
                           trf("loading %zu", loading).c_str());
    }
    // Basemaps: say when tiles come from the cache because the network failed (or --offline).
    for (const auto& l : ctx.scene.layers()) {
        if (!l->gpuTiles || !l->gpuTiles->provider().remote()) continue;
        const geo::TileStats st = l->gpuTiles->provider().stats();
        if (st.lastNetworkFailed || geo::tileEnvironment().offline) {
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(0.85f, 0.55f, 0.1f, 1.0f), "%s",
                               st.cacheHits ? tr("offline (cached)") : tr("basemap unavailable"));
            if (ImGui::IsItemHovered() && !st.lastError.empty()) ImGui::SetTooltip("%s", st.lastError.c_str());
            break;
        }
    }
    if (state.unreadErrors) {
        ImGui::SameLine();
        if (ImGui::SmallButton(trf("errors: %zu", state.unreadErrors).c_str())) state.showMessages = true;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%.1f ms", state.frameMs);
    ImGui::End();
}

}  // namespace app::ui

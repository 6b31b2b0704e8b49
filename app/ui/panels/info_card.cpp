#include <imgui.h>

#include "ui/panels/panels.hpp"

namespace app::ui {

void drawInfoCard(UiState& state, const PanelContext& ctx, Actions& actions) {
    const FeatureRef sel = state.selected;
    const render::SceneLayer* s = sel.valid() ? ctx.scene.find(sel.layer) : nullptr;
    const geo::ProjectLayer* layer = sel.valid() ? ctx.project.findLayer(sel.layer) : nullptr;
    if (!s || !layer || !s->vectorData) return;
    const geo::FeatureTable& t = s->vectorData->source.table;
    if (static_cast<size_t>(sel.feature) >= t.featureCount()) return;
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - 400, io.DisplaySize.y * 0.45f), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(390, 360), ImGuiCond_FirstUseEver);
    bool open = true;
    if (!ImGui::Begin("信息 Info", &open)) {
        ImGui::End();
        return;
    }
    const size_t row = static_cast<size_t>(sel.feature);
    if (s->catalog) {
        const auto& c = s->catalogColumns;
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(std::string(t.columns[c.nameZh].text(row)).c_str());
        ImGui::TextDisabled("%s", std::string(t.columns[c.nameEn].text(row)).c_str());
        // How far to trust the shape: first thing after the name, in the colour of its trust.
        const std::string accuracy = t.columns[c.locationAccuracy].display(row);
        const ImVec4 tone = accuracy == "surveyed" || accuracy == "anchored" ? ImVec4(0.10f, 0.55f, 0.25f, 1)
                            : accuracy == "approximate"                        ? ImVec4(0.75f, 0.50f, 0.05f, 1)
                                                                               : ImVec4(0.80f, 0.25f, 0.15f, 1);
        ImGui::TextColored(tone, "位置精度 location: %s", accuracy.c_str());
        if (c.locationSource >= 0 && !t.columns[c.locationSource].isNull(row))
            ImGui::TextDisabled("%s", t.columns[c.locationSource].display(row).c_str());
        ImGui::PopTextWrapPos();
    } else {
        ImGui::Text("%s — feature %lld", layer->name.c_str(), static_cast<long long>(t.fids[row]));
    }
    if (ImGui::SmallButton("Zoom to")) actions.flyToSelection = true;
    ImGui::SameLine();
    if (ImGui::SmallButton("Clear (Esc)")) actions.select = FeatureRef{};
    ImGui::Separator();
    if (ImGui::BeginTable("##attributes", 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg)) {
        ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8);
        ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
        for (const auto& col : t.columns) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", col.name.c_str());
            ImGui::TableNextColumn();
            ImGui::PushTextWrapPos(0);  // wraps CJK text at the column edge
            ImGui::TextUnformatted(col.isNull(row) ? "—" : col.display(row).c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
    }
    ImGui::End();
    if (!open) actions.select = FeatureRef{};
}

}  // namespace app::ui

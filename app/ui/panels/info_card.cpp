#include <imgui.h>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

void drawInfoCard(UiState& state, const PanelContext& ctx, Actions& actions) {
    const FeatureRef sel = state.selected;
    const render::SceneLayer* s = sel.valid() ? ctx.scene.find(sel.layer) : nullptr;
    const geo::ProjectLayer* layer = sel.valid() ? ctx.project.findLayer(sel.layer) : nullptr;
    if (!s || !layer || !s->vectorData || static_cast<size_t>(sel.feature) >= s->vectorData->source.table.featureCount()) {
        ImGui::TextWrapped("%s", tr("Nothing selected: click a feature on the map."));
        return;
    }
    const geo::FeatureTable& t = s->vectorData->source.table;
    const size_t row = static_cast<size_t>(sel.feature);
    if (s->catalog) {
        const auto& c = s->catalogColumns;
        const bool chinese = language() == Language::Chinese;
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(std::string(t.columns[chinese ? c.nameZh : c.nameEn].text(row)).c_str());
        ImGui::TextDisabled("%s", std::string(t.columns[chinese ? c.nameEn : c.nameZh].text(row)).c_str());
        // How far to trust the shape: first thing after the name, in the colour of its trust.
        const std::string accuracy = t.columns[c.locationAccuracy].display(row);
        const ImVec4 tone = accuracy == "surveyed" || accuracy == "anchored" ? ImVec4(0.10f, 0.55f, 0.25f, 1)
                            : accuracy == "approximate"                        ? ImVec4(0.75f, 0.50f, 0.05f, 1)
                                                                               : ImVec4(0.80f, 0.25f, 0.15f, 1);
        ImGui::TextColored(tone, "%s", trf("Location accuracy: %s", accuracy.c_str()).c_str());
        if (c.locationSource >= 0 && !t.columns[c.locationSource].isNull(row))
            ImGui::TextDisabled("%s", t.columns[c.locationSource].display(row).c_str());
        ImGui::PopTextWrapPos();
    } else {
        ImGui::TextUnformatted(trf("%s — feature %lld", layer->name.c_str(), static_cast<long long>(t.fids[row])).c_str());
    }
    for (const auto& line : state.selectedMeasure) ImGui::TextWrapped("%s", line.c_str());
    if (ImGui::SmallButton(tr("Zoom to"))) actions.flyToSelection = true;
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Clear (Esc)"))) actions.select = FeatureRef{};
    ImGui::Separator();
    // Field above value: readable in a narrow inspector, CJK values wrapped at its edge.
    ImGui::PushTextWrapPos(0);
    for (const auto& col : t.columns) {
        ImGui::TextDisabled("%s", col.name.c_str());
        ImGui::Indent(ImGui::GetFontSize() * 0.5f);
        ImGui::TextUnformatted(col.isNull(row) ? "—" : col.display(row).c_str());
        ImGui::Unindent(ImGui::GetFontSize() * 0.5f);
    }
    ImGui::PopTextWrapPos();
}

}  // namespace app::ui

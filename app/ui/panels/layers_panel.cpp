#include <imgui.h>

#include <cstdio>

#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {

bool colorEdit(const char* label, geo::Rgba& c) {
    float f[4] = {c.r / 255.f, c.g / 255.f, c.b / 255.f, c.a / 255.f};
    if (!ImGui::ColorEdit4(label, f, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_AlphaBar)) return false;
    c = geo::Rgba{uint8_t(f[0] * 255 + 0.5f), uint8_t(f[1] * 255 + 0.5f), uint8_t(f[2] * 255 + 0.5f),
                  uint8_t(f[3] * 255 + 0.5f)};
    return true;
}

void drawStyleEditor(size_t index, render::LayerSlot& slot, Actions& actions) {
    geo::Style& s = slot.config.style;
    bool changed = false;
    changed |= ImGui::Checkbox("Fill", &s.fillEnabled);
    ImGui::SameLine();
    changed |= colorEdit("##fill", s.fill);
    ImGui::SameLine();
    changed |= ImGui::Checkbox("Stroke", &s.strokeEnabled);
    ImGui::SameLine();
    changed |= colorEdit("##stroke", s.stroke);
    changed |= ImGui::SliderFloat("Width px", &s.strokeWidth, 0.0f, 12.0f, "%.1f");
    changed |= ImGui::SliderFloat("Point px", &s.pointSize, 2.0f, 32.0f, "%.0f");
    if (slot.vectorData) {
        const auto& cols = slot.vectorData->source.table.columns;
        const char* current = s.categoryField.empty() ? "(single colour)" : s.categoryField.c_str();
        if (ImGui::BeginCombo("Categorize", current)) {
            if (ImGui::Selectable("(single colour)", s.categoryField.empty())) {
                actions.categorize = index;
                actions.categorizeField.clear();
            }
            for (const auto& c : cols)
                if (ImGui::Selectable(c.name.c_str(), c.name == s.categoryField)) {
                    actions.categorize = index;
                    actions.categorizeField = c.name;
                }
            ImGui::EndCombo();
        }
        for (auto& cat : s.categories) {
            ImGui::PushID(&cat);
            if (colorEdit("##cat", cat.color)) actions.restyle = index;
            ImGui::SameLine();
            ImGui::TextUnformatted(cat.value.empty() ? "(empty)" : cat.value.c_str());
            ImGui::PopID();
        }
    }
    if (changed) {
        actions.styleOrVisibilityChanged = true;
        if (!s.categoryField.empty()) actions.restyle = index;
    }
}

void drawLayerRow(UiState& state, size_t i, render::LayerSlot& slot, size_t count, Actions& actions) {
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::Checkbox("##visible", &slot.config.visible)) actions.styleOrVisibilityChanged = true;
    ImGui::SameLine();
    bool selected = state.selectedLayer == static_cast<int>(i);
    std::string label = slot.config.name;
    if (slot.status == render::LoadStatus::Failed) label = "[!] " + label;
    if (ImGui::Selectable(label.c_str(), selected)) state.selectedLayer = selected ? -1 : static_cast<int>(i);
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextUnformatted(slot.config.source.c_str());
        if (!slot.config.attribution.empty()) ImGui::TextUnformatted(slot.config.attribution.c_str());
        if (slot.vectorData) ImGui::Text("%zu features", slot.vectorData->source.table.featureCount());
        if (!slot.error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", slot.error.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    if (slot.status == render::LoadStatus::Loading && slot.job) {
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, "%s %.0f%%", slot.job->stage().c_str(), slot.job->fraction() * 100);
        ImGui::ProgressBar(slot.job->fraction(), ImVec2(-70, 0), overlay);
        ImGui::SameLine();
        if (ImGui::SmallButton("Cancel")) actions.cancel = i;
    } else if (slot.status == render::LoadStatus::Failed) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.3f, 1), "%s", slot.error.c_str());
        ImGui::PopTextWrapPos();
        // A broken layer keeps its settings; point it at the file where it is now.
        ImGui::SetNextItemWidth(-80);
        ImGui::InputTextWithHint("##repoint", "new path for this layer", state.repointPath.data(), state.repointPath.size());
        ImGui::SameLine();
        if (ImGui::SmallButton("Repoint") && state.repointPath[0]) {
            actions.repoint = {{i, std::string(state.repointPath.data())}};
            state.repointPath[0] = 0;
        }
    }
    if (selected) {
        ImGui::Indent();
        if (ImGui::SliderFloat("Opacity", &slot.config.opacity, 0.0f, 1.0f, "%.2f"))
            actions.styleOrVisibilityChanged = true;
        // The list shows the top layer first, so "up" draws later.
        if (ImGui::SmallButton("Up") && i + 1 < count) actions.move = {{i, +1}};
        ImGui::SameLine();
        if (ImGui::SmallButton("Down") && i > 0) actions.move = {{i, -1}};
        ImGui::SameLine();
        if (ImGui::SmallButton("Zoom to")) actions.zoomTo = i;
        ImGui::SameLine();
        if (ImGui::SmallButton("Remove")) actions.remove = i;
        if (slot.vectorData) {
            ImGui::SameLine();
            if (ImGui::SmallButton("Table")) state.tableLayer = static_cast<int>(i);
        }
        if (slot.status == render::LoadStatus::Ready) drawStyleEditor(i, slot, actions);
        ImGui::Unindent();
        ImGui::Separator();
    }
    ImGui::PopID();
}

}  // namespace

void drawLayersPanel(UiState& state, Slots& layers, Actions& actions) {
    ImGui::SetNextWindowPos(ImVec2(10, 40), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(380, 520), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("图层 Layers", &state.showLayers)) {
        ImGui::End();
        return;
    }
    ImGui::SetNextItemWidth(-60);
    bool enter = ImGui::InputTextWithHint("##path", "path to a GIS file (or drop files on the window)",
                                          state.addPath.data(), state.addPath.size(),
                                          ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button("Add") || enter) && state.addPath[0]) {
        actions.addPaths.emplace_back(state.addPath.data());
        state.addPath[0] = 0;
    }
    ImGui::Separator();
    for (size_t k = layers.size(); k-- > 0;) drawLayerRow(state, k, *layers[k], layers.size(), actions);
    ImGui::End();
}

}  // namespace app::ui

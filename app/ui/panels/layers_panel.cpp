#include <imgui.h>

#include <cstdio>

#include "ui/i18n.hpp"
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

// Edits a copy of the layer's style; a change becomes one command (a drag merges into one undo step).
void drawStyleEditor(const geo::ProjectLayer& layer, const render::SceneLayer& scene, Actions& actions) {
    geo::Style s = layer.style;
    bool changed = false;
    changed |= ImGui::Checkbox(tr("Fill"), &s.fillEnabled);
    ImGui::SameLine();
    changed |= colorEdit("##fill", s.fill);
    ImGui::SameLine();
    changed |= ImGui::Checkbox(tr("Stroke"), &s.strokeEnabled);
    ImGui::SameLine();
    changed |= colorEdit("##stroke", s.stroke);
    changed |= ImGui::SliderFloat(tr("Width px"), &s.strokeWidth, 0.0f, 12.0f, "%.1f");
    changed |= ImGui::SliderFloat(tr("Point px"), &s.pointSize, 2.0f, 32.0f, "%.0f");
    if (scene.vectorData) {
        const geo::FeatureTable& table = scene.vectorData->source.table;
        const char* current = s.categoryField.empty() ? tr("(single colour)") : s.categoryField.c_str();
        if (ImGui::BeginCombo(tr("Categorize"), current)) {
            if (ImGui::Selectable(tr("(single colour)"), s.categoryField.empty())) {
                s.categoryField.clear();
                s.categories.clear();
                changed = true;
            }
            for (const auto& c : table.columns)
                if (ImGui::Selectable(c.name.c_str(), c.name == s.categoryField)) {
                    geo::categorize(s, table, c.name);
                    changed = true;
                }
            ImGui::EndCombo();
        }
        for (auto& cat : s.categories) {
            ImGui::PushID(&cat);
            changed |= colorEdit("##cat", cat.color);
            ImGui::SameLine();
            ImGui::TextUnformatted(cat.value.empty() ? tr("(empty)") : cat.value.c_str());
            ImGui::PopID();
        }
    }
    if (changed) actions.commands.push_back(geo::cmd::setLayerStyle(layer.id, std::move(s)));
}

void drawLoadState(UiState& state, const geo::ProjectLayer& layer, const render::SceneLayer& s, Actions& actions) {
    if ((s.status == render::LoadStatus::Loading || s.partial) && s.job) {  // a preview shows meanwhile
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, "%s %.0f%%", s.job->stage().c_str(), s.job->fraction() * 100);
        ImGui::ProgressBar(s.job->fraction(), ImVec2(-70, 0), overlay);
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Cancel"))) actions.cancel = layer.id;
    } else if (s.status == render::LoadStatus::Failed) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.3f, 1), "%s", s.error.c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::SmallButton(tr("Retry"))) actions.retry = layer.id;  // a database back up, a file fixed in place
        // A broken layer keeps its settings; point it at the file where it is now.
        ImGui::SetNextItemWidth(-80);
        ImGui::InputTextWithHint("##repoint", tr("new path for this layer"), state.repointPath.data(), state.repointPath.size());
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Repoint")) && state.repointPath[0]) {
            actions.commands.push_back(geo::cmd::setLayerSource(layer.id, std::string(state.repointPath.data())));
            state.repointPath[0] = 0;
        }
    }
}

// How the source is read: an assigned CRS (when the file has none or a wrong one), GCJ-02, spreadsheet columns,
// and the control points of a CAD drawing. Apply reloads the layer (one undo step).
void drawSourceOptions(UiState& state, const geo::ProjectLayer& layer, const render::SceneLayer& s, Actions& actions) {
    const bool crsProblem = s.status == render::LoadStatus::Failed && s.error.find("CRS") != std::string::npos;
    if (crsProblem) ImGui::SetNextItemOpen(true, ImGuiCond_Always);
    if (!ImGui::TreeNode(tr("Source options"))) return;
    if (state.optionsFor != layer.id) {
        state.optionsFor = layer.id;
        std::snprintf(state.optCrs.data(), state.optCrs.size(), "%s", layer.options.crs.c_str());
        std::snprintf(state.optX.data(), state.optX.size(), "%s", layer.options.xField.c_str());
        std::snprintf(state.optY.data(), state.optY.size(), "%s", layer.options.yField.c_str());
        state.optGcj = layer.options.datum == "gcj02";
    }
    if (crsProblem) ImGui::TextWrapped("%s", tr("The data has no usable CRS: give one (e.g. EPSG:4547), or place a drawing by control points."));
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 6);
    ImGui::InputTextWithHint(tr("CRS"), tr("EPSG:4547, WKT or PROJ string"), state.optCrs.data(), state.optCrs.size());
    ImGui::Checkbox(tr("GCJ-02 coordinates (Chinese web maps)"), &state.optGcj);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputTextWithHint("##x", tr("x column"), state.optX.data(), state.optX.size());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputTextWithHint("##y", tr("y column"), state.optY.data(), state.optY.size());
    if (ImGui::SmallButton(tr("Apply"))) {
        geo::SourceOptions o = layer.options;
        o.crs = state.optCrs.data();
        o.datum = state.optGcj ? "gcj02" : "";
        o.xField = state.optX.data();
        o.yField = state.optY.data();
        actions.commands.push_back(geo::cmd::setLayerOptions(layer.id, o));
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Control points..."))) {
        state.controlPointsFor = layer.id;
        state.controlPoints.clear();
        for (const auto& cp : layer.options.controlPoints) state.controlPoints.push_back({cp.drawingX, cp.drawingY, cp.mapX, cp.mapY});
    }
    ImGui::TreePop();
}

void drawLayerTooltip(const geo::ProjectLayer& layer, const render::SceneLayer& s) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(layer.source.c_str());
    if (!layer.attribution.empty()) ImGui::TextUnformatted(layer.attribution.c_str());
    if (s.vectorData) ImGui::TextUnformatted(trf("%zu features", s.vectorData->source.table.featureCount()).c_str());
    if (!s.error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", s.error.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void drawLayerRow(UiState& state, const geo::ProjectLayer& layer, const render::SceneLayer& s, bool top, bool bottom,
                  Actions& actions) {
    ImGui::PushID(static_cast<int>(layer.id));
    bool visible = layer.visible;
    if (ImGui::Checkbox("##visible", &visible)) actions.commands.push_back(geo::cmd::setLayerVisible(layer.id, visible));
    ImGui::SameLine();
    const bool selected = state.selectedLayer == layer.id;
    std::string label = (s.status == render::LoadStatus::Failed ? "[!] " : "") + layer.name;
    if (ImGui::Selectable(label.c_str(), selected)) state.selectedLayer = selected ? 0 : layer.id;
    if (ImGui::IsItemHovered()) drawLayerTooltip(layer, s);
    drawLoadState(state, layer, s, actions);
    if (selected) {
        ImGui::Indent();
        float opacity = layer.opacity;
        if (ImGui::SliderFloat(tr("Opacity"), &opacity, 0.0f, 1.0f, "%.2f"))
            actions.commands.push_back(geo::cmd::setLayerOpacity(layer.id, opacity));
        // The list shows the top layer first, so "up" draws later.
        if (ImGui::SmallButton(tr("Up")) && !top) actions.commands.push_back(geo::cmd::moveLayer(layer.id, +1));
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Down")) && !bottom) actions.commands.push_back(geo::cmd::moveLayer(layer.id, -1));
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Zoom to"))) actions.zoomTo = layer.id;
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Remove"))) actions.commands.push_back(geo::cmd::removeLayer(layer.id));
        if (s.vectorData) {
            ImGui::SameLine();
            if (ImGui::SmallButton(tr("Table"))) state.tableLayer = layer.id;
        }
        if (s.status == render::LoadStatus::Ready) drawStyleEditor(layer, s, actions);
        drawSourceOptions(state, layer, s, actions);
        ImGui::Unindent();
        ImGui::Separator();
    }
    ImGui::PopID();
}

}  // namespace

void drawLayersPanel(UiState& state, const PanelContext& ctx, Actions& actions) {
    ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 4);
    bool enter = ImGui::InputTextWithHint("##path", tr("path to a GIS file (or drop files on the window)"),
                                          state.addPath.data(), state.addPath.size(),
                                          ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button(tr("Add")) || enter) && state.addPath[0]) {
        actions.addPaths.emplace_back(state.addPath.data());
        actions.addOptions.crs = state.addCrs.data();
        actions.addOptions.datum = state.addGcj ? "gcj02" : "";
        state.addPath[0] = 0;
    }
    // Files without a CRS (CAD drawings, spreadsheets in local coordinates) or in GCJ-02 say so when added; PG:
    // connection strings (passwords belong in ~/.pgpass) work as paths too.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    ImGui::InputTextWithHint("##addcrs", tr("CRS if missing"), state.addCrs.data(), state.addCrs.size());
    ImGui::SameLine();
    ImGui::Checkbox(tr("GCJ-02"), &state.addGcj);
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("List layers")) && state.addPath[0]) actions.listSource = std::string(state.addPath.data());
    // The listed tables / sheets / feature classes: tick the ones to add (PATH@NAME each).
    if (!state.listedLayers.empty()) {
        ImGui::TextDisabled("%s", state.listedSource.c_str());
        for (auto& [name, on] : state.listedLayers) ImGui::Checkbox(name.c_str(), &on);
        if (ImGui::SmallButton(tr("Add ticked"))) {
            for (const auto& [name, on] : state.listedLayers)
                if (on) actions.addPaths.push_back(state.listedSource + "@" + name);
            actions.addOptions.crs = state.addCrs.data();
            actions.addOptions.datum = state.addGcj ? "gcj02" : "";
            state.listedLayers.clear();
        }
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Cancel"))) state.listedLayers.clear();
    }
    ImGui::Separator();
    const auto& layers = ctx.project.layers;
    for (size_t k = layers.size(); k-- > 0;)
        if (const render::SceneLayer* s = ctx.scene.find(layers[k].id))
            drawLayerRow(state, layers[k], *s, k + 1 == layers.size(), k == 0, actions);
}

}  // namespace app::ui

#include <imgui.h>

#include <cstdio>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {

template <typename T>
void toggle(std::set<T>& set, const T& value, bool on) {
    if (on)
        set.insert(value);
    else
        set.erase(value);
}

const geo::CategoryColor* categoryStyle(const geo::Style& s, std::string_view value) {
    for (const auto& c : s.categories)
        if (c.value == value) return &c;
    return nullptr;
}

void drawFilters(UiState& state, const geo::ProjectLayer& layer, const geo::FeatureTable& t,
                 const geo::CatalogColumns& c) {
    geo::CatalogFilter& f = state.catalogFilter;
    const bool chinese = language() == Language::Chinese;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputTextWithHint("##search", tr("search name / id"), state.search.data(), state.search.size()))
        f.query = state.search.data();
    const geo::CatalogCounts counts = geo::countProjects(t, c, f);
    if (ImGui::CollapsingHeader(tr("Sections"), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const auto& sec : geo::planSections()) {
            bool on = f.sections.count(sec.number) > 0;
            char label[160];
            std::snprintf(label, sizeof label, "%d %s (%zu)###s%d", sec.number, chinese ? sec.zh : sec.en,
                          counts.perSection[sec.number - 1], sec.number);
            if (ImGui::Checkbox(label, &on)) toggle(f.sections, sec.number, on);
        }
    }
    if (ImGui::CollapsingHeader(tr("Category"))) {
        const auto& cats = geo::catalogCategories();
        for (size_t i = 0; i < cats.size(); ++i) {
            bool on = f.categories.count(cats[i]) > 0;
            if (const auto* cs = categoryStyle(layer.style, cats[i]))
                legendSwatch(cs->color, layer.style.stroke, cs->symbol, geo::Pattern::Solid, false);
            char label[96];
            std::snprintf(label, sizeof label, "%s (%zu)", cats[i].c_str(), counts.perCategory[i]);
            if (ImGui::Checkbox(label, &on)) toggle(f.categories, cats[i], on);
        }
    }
    if (ImGui::CollapsingHeader(tr("Status"))) {
        const auto& sts = geo::catalogStatuses();
        for (size_t i = 0; i < sts.size(); ++i) {
            bool on = f.statuses.count(sts[i]) > 0;
            char label[96];
            std::snprintf(label, sizeof label, "%s (%zu)", sts[i].c_str(), counts.perStatus[i]);
            if (ImGui::Checkbox(label, &on)) toggle(f.statuses, sts[i], on);
        }
    }
    ImGui::TextUnformatted(trf("%zu of %zu projects", counts.matching, t.featureCount()).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Clear filters"))) {
        f = geo::CatalogFilter{f.sections, {}, {}, {}, f.maxYear, f.phase};  // the timeline has its own bar
        f.sections.clear();
        state.search[0] = 0;
    }
}

// The matching projects by plan section; a click selects one and flies to it.
void drawProjectList(UiState& state, geo::LayerId layer, const geo::FeatureTable& t, const geo::CatalogColumns& c,
                     Actions& actions) {
    std::vector<uint32_t> rows = geo::filterProjects(t, c, state.catalogFilter);
    const bool chinese = language() == Language::Chinese;
    const int name = chinese ? c.nameZh : c.nameEn, other = chinese ? c.nameEn : c.nameZh;
    size_t i = 0;
    for (const auto& sec : geo::planSections()) {
        size_t begin = i;
        while (i < rows.size() && t.columns[c.section].integer(rows[i]) == sec.number) ++i;
        char header[128];
        std::snprintf(header, sizeof header, "%s (%zu)###sec%d", chinese ? sec.zh : sec.en, i - begin, sec.number);
        ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_DefaultOpen | (i == begin ? ImGuiTreeNodeFlags_Leaf : 0);
        if (!ImGui::TreeNodeEx(header, flags)) continue;
        for (size_t k = begin; k < i; ++k) {
            uint32_t r = rows[k];
            FeatureRef ref{layer, static_cast<long>(r)};
            char label[256];
            std::snprintf(label, sizeof label, "%s  %s##%u", std::string(t.columns[c.id].text(r)).c_str(),
                          std::string(t.columns[name].text(r)).c_str(), r);
            if (ImGui::Selectable(label, state.selected == ref)) {
                actions.select = ref;
                actions.flyToSelection = true;
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(t.columns[other].text(r)).c_str());
        }
        ImGui::TreePop();
    }
}

}  // namespace

void drawProjectsPanel(UiState& state, const PanelContext& ctx, Actions& actions) {
    const render::SceneLayer* slot = ctx.scene.catalogLayer(ctx.project);
    const geo::ProjectLayer* layer = slot ? ctx.project.findLayer(slot->id) : nullptr;
    if (!slot || !layer) {
        ImGui::TextWrapped("%s", tr("No plan-project catalog is loaded. Add a layer with the catalog fields (see README)."));
        return;
    }
    const geo::FeatureTable& t = slot->vectorData->source.table;
    // The timeline in effect filters the list as it filters the map.
    const geo::Timeline& time = ctx.scene.timeline();
    state.catalogFilter.maxYear = time.enabled ? time.year : 0;
    state.catalogFilter.phase = time.enabled ? time.phase : std::string();
    drawFilters(state, *layer, t, slot->catalogColumns);
    ImGui::Separator();
    ImGui::BeginChild("##projects");
    drawProjectList(state, layer->id, t, slot->catalogColumns, actions);
    ImGui::EndChild();
}

}  // namespace app::ui

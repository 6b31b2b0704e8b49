#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {

// Sorts rows by one column: numbers numerically, text by bytes (UTF-8 order), nulls last.
void sortRows(std::vector<uint32_t>& order, const geo::Column& col, bool ascending) {
    auto cmp = [&](uint32_t a, uint32_t b) {
        bool na = col.isNull(a), nb = col.isNull(b);
        if (na != nb) return nb;  // nulls last either way
        if (na) return a < b;
        if (col.type == geo::ColumnType::Text) {
            int c = col.text(a).compare(col.text(b));
            return c == 0 ? a < b : (ascending ? c < 0 : c > 0);
        }
        double x = col.number(a), y = col.number(b);
        return x == y ? a < b : (ascending ? x < y : x > y);
    };
    std::stable_sort(order.begin(), order.end(), cmp);
}

void applySort(UiState& state, const geo::FeatureTable& t) {
    ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
    if (!specs || !specs->SpecsDirty || specs->SpecsCount == 0) return;
    int col = specs->Specs[0].ColumnIndex;
    bool asc = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
    if (col == 0) {
        std::stable_sort(state.tableOrder.begin(), state.tableOrder.end(), [&](uint32_t a, uint32_t b) {
            return asc ? t.fids[a] < t.fids[b] : t.fids[a] > t.fids[b];
        });
    } else {
        sortRows(state.tableOrder, t.columns[col - 1], asc);
    }
    state.tableSortColumn = col;
    state.tableSortAscending = asc;
    specs->SpecsDirty = false;
}

void drawRow(UiState& state, const geo::FeatureTable& t, int columns, uint32_t row, Actions& actions) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    FeatureRef ref{state.tableLayer, static_cast<long>(row)};
    char label[32];
    std::snprintf(label, sizeof label, "%lld##r%u", static_cast<long long>(t.fids[row]), row);
    if (ImGui::Selectable(label, state.selected == ref, ImGuiSelectableFlags_SpanAllColumns)) actions.select = ref;
    for (int i = 0; i + 1 < columns; ++i) {
        ImGui::TableNextColumn();
        const geo::Column& col = t.columns[i];
        if (col.isNull(row))
            ImGui::TextDisabled("NULL");
        else
            ImGui::TextUnformatted(col.display(row).c_str());
    }
}

void drawRows(UiState& state, const geo::FeatureTable& t, int columns, Actions& actions) {
    const float rowHeight = ImGui::GetTextLineHeightWithSpacing();
    if (state.scrollTableToSelection && state.selected.layer == state.tableLayer) {
        auto it = std::find(state.tableOrder.begin(), state.tableOrder.end(), static_cast<uint32_t>(state.selected.feature));
        if (it != state.tableOrder.end()) ImGui::SetScrollY(static_cast<float>(it - state.tableOrder.begin()) * rowHeight);
        state.scrollTableToSelection = false;
    }
    ImGuiListClipper clipper;  // only the visible rows are laid out: a million rows cost nothing
    clipper.Begin(static_cast<int>(state.tableOrder.size()), rowHeight);
    while (clipper.Step())
        for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) drawRow(state, t, columns, state.tableOrder[k], actions);
}

}  // namespace

void drawAttributeTable(UiState& state, const PanelContext& ctx, Actions& actions) {
    if (!state.tableLayer) return;
    const render::SceneLayer* s = ctx.scene.find(state.tableLayer);
    const geo::ProjectLayer* layer = ctx.project.findLayer(state.tableLayer);
    if (!s || !layer || !s->vectorData) {
        state.tableLayer = 0;
        return;
    }
    const geo::FeatureTable& t = s->vectorData->source.table;
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(400, io.DisplaySize.y * 0.6f), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x * 0.55f, io.DisplaySize.y * 0.33f), ImGuiCond_FirstUseEver);
    bool open = true;
    std::string title = std::string(tr("Attributes")) + " — " + layer->name + "###attributes";
    if (!ImGui::Begin(title.c_str(), &open)) {
        ImGui::End();
        return;
    }
    if (state.tableOrderLayer != state.tableLayer || state.tableOrderRevision != s->contentRevision ||
        state.tableOrder.size() != t.featureCount()) {
        state.tableOrder.resize(t.featureCount());
        std::iota(state.tableOrder.begin(), state.tableOrder.end(), 0u);
        state.tableOrderLayer = state.tableLayer;
        state.tableOrderRevision = s->contentRevision;
        state.tableSortColumn = -1;
    }
    ImGui::TextUnformatted(trf("%zu features", t.featureCount()).c_str());
    const int columns = static_cast<int>(std::min<size_t>(t.columns.size() + 1, 63));
    ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                            ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable | ImGuiTableFlags_Sortable |
                            ImGuiTableFlags_Hideable;
    if (ImGui::BeginTable("##table", columns, flags)) {
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableSetupColumn("fid", ImGuiTableColumnFlags_DefaultSort);
        for (int i = 0; i + 1 < columns; ++i) ImGui::TableSetupColumn(t.columns[i].name.c_str());
        ImGui::TableHeadersRow();
        applySort(state, t);
        drawRows(state, t, columns, actions);
        ImGui::EndTable();
    }
    ImGui::End();
    if (!open) state.tableLayer = 0;
}

}  // namespace app::ui

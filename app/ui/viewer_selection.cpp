// The viewer: selection by rectangle or lasso (which layer, the rows, their statistics and export) and the info
// card's measures of the selected feature.
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

// The layer selections go to: the one picked in the layers panel when it is a loaded vector layer, else the
// plan-project catalog, else the topmost visible vector layer.
geo::LayerId Viewer::selectionTarget() const {
    const auto& project = doc_.project();
    auto usable = [&](geo::LayerId id) {
        const render::SceneLayer* s = doc_.scene().find(id);
        const geo::ProjectLayer* l = project.findLayer(id);
        return s && l && l->visible && s->vectorData && s->readyIn(doc_.displayCrs());
    };
    if (state_.selectedLayer && usable(state_.selectedLayer)) return state_.selectedLayer;
    if (const render::SceneLayer* c = doc_.scene().catalogLayer(project); c && usable(c->id)) return c->id;
    for (size_t k = project.layers.size(); k-- > 0;)
        if (usable(project.layers[k].id)) return project.layers[k].id;
    return 0;
}

void Viewer::selectWith(const std::vector<double>& displayRing) {
    SelectionSet& sel = state_.selection;
    const geo::LayerId id = selectionTarget();
    const render::SceneLayer* s = doc_.scene().find(id);
    if (!s) {
        doc_.report(Message::Warning, "nothing to select from: no visible vector layer is loaded");
        return;
    }
    std::vector<double> ring = displayRing;
    geo::Transformer toLayer(doc_.displayCrs(), s->vectorData->source.crs);
    if (toLayer.transform(ring.data(), ring.size() / 2) != ring.size() / 2) {
        doc_.report(Message::Warning, "the selection shape does not transform into the layer's CRS");
        return;
    }
    std::vector<uint32_t> rows = geo::selectByPolygon(s->vectorData->source.table, ring);
    std::erase_if(rows, [&](uint32_t r) { return doc_.scene().hiddenByTimeline(*s, r); });
    sel.layer = id;
    sel.revision = s->contentRevision;
    sel.rows = std::move(rows);
    sel.show = true;
}

// The info card's measures of the selected feature: area and perimeter, or length, geodesic and planar.
void Viewer::measureSelected() {
    if (state_.measured == state_.selected) return;
    state_.measured = state_.selected;
    state_.selectedMeasure.clear();
    const render::SceneLayer* s = state_.selected.valid() ? doc_.scene().find(state_.selected.layer) : nullptr;
    if (!s || !s->vectorData) return;
    const bool zh = language() == Language::Chinese;
    try {
        auto m = measurer_->feature(s->vectorData->source.table, static_cast<size_t>(state_.selected.feature),
                                    s->vectorData->source.crs);
        if (m.kind == geo::GeomKind::Polygon) {
            state_.selectedMeasure = {
                tr("Area / perimeter"),
                std::string(tr("geodesic")) + ": " + geo::formatArea(m.area.geodesicM2, zh) + " / " +
                    geo::formatLength(m.area.geodesicPerimeterM, zh),
                std::string(tr("planar EPSG:4547")) + ": " + geo::formatArea(m.area.planarM2, zh) + " / " +
                    geo::formatLength(m.area.planarPerimeterM, zh)};
        } else if (m.kind == geo::GeomKind::Line) {
            state_.selectedMeasure = {tr("Length"),
                                      std::string(tr("geodesic")) + ": " + geo::formatLength(m.length.geodesicM, zh),
                                      std::string(tr("planar EPSG:4547")) + ": " + geo::formatLength(m.length.planarM, zh)};
        }
    } catch (const geo::Error& e) {
        state_.selectedMeasure = {e.what()};
    }
}

// Drops a selection whose layer is gone or was reloaded (row numbers may have changed).
void Viewer::validateSelectionSet() {
    SelectionSet& sel = state_.selection;
    if (!sel.layer) return;
    const render::SceneLayer* s = doc_.scene().find(sel.layer);
    if (!s || !s->vectorData || s->contentRevision != sel.revision) {
        sel.rows.clear();
        sel.layer = 0;
    }
}

// Count and areas of the selection, by category and plan section; export to GeoPackage or CSV.
void Viewer::drawSelectionWindow() {
    SelectionSet& sel = state_.selection;
    if (!sel.show) return;
    ImGui::SetNextWindowSize(ImVec2(380, 0), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(menuLabel("Selection").c_str(), &sel.show, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    const render::SceneLayer* s = sel.layer ? doc_.scene().find(sel.layer) : nullptr;
    const geo::ProjectLayer* l = sel.layer ? doc_.project().findLayer(sel.layer) : nullptr;
    if (!s || !l || !s->vectorData) {
        ImGui::TextWrapped("%s", tr("Nothing selected. Use Select box or Lasso on the map."));
        ImGui::End();
        return;
    }
    const bool zh = language() == Language::Chinese;
    if (selectionStatsRevision_ != sel.revision || selectionStatsRows_ != sel.rows) {
        selectionStats_ = geo::selectionStats(s->vectorData->source.table, s->vectorData->source.crs, sel.rows);
        selectionStatsRows_ = sel.rows;
        selectionStatsRevision_ = sel.revision;
    }
    const geo::SelectionStats& st = selectionStats_;
    ImGui::TextUnformatted(trf("%zu features selected in %s", st.count, l->name.c_str()).c_str());
    if (st.polygons) ImGui::Text("%s %s", tr("Area (planar EPSG:4547):"), geo::formatArea(st.areaM2, zh).c_str());
    if (st.lines) ImGui::Text("%s %s", tr("Length (planar EPSG:4547):"), geo::formatLength(st.lengthM, zh).c_str());
    if (!st.byCategory.empty() && ImGui::CollapsingHeader(tr("By category"), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const auto& [name, v] : st.byCategory)
            ImGui::BulletText("%s: %zu · %s", name.c_str(), v.first, geo::formatArea(v.second, zh).c_str());
    }
    if (!st.bySection.empty() && ImGui::CollapsingHeader(tr("By plan section"), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const auto& [section, v] : st.bySection) {
            const char* title = "";
            for (const auto& sec : geo::planSections())
                if (sec.number == section) title = zh ? sec.zh : sec.en;
            ImGui::BulletText("%d %s: %zu · %s", section, title, v.first, geo::formatArea(v.second, zh).c_str());
        }
    }
    ImGui::Separator();
    if (!sel.exportPath[0]) {
        std::string base = (std::filesystem::path(settings_.defaultExportFolder.empty() ? "." : settings_.defaultExportFolder) / "selection.gpkg").string();
        std::snprintf(sel.exportPath.data(), sel.exportPath.size(), "%s", base.c_str());
    }
    ImGui::SetNextItemWidth(-80);
    ImGui::InputText("##selpath", sel.exportPath.data(), sel.exportPath.size());
    ImGui::SameLine();
    if (ImGui::Button(tr("Export")) && !sel.rows.empty()) {
        try {
            geo::writeSelection(sel.exportPath.data(), l->name, s->vectorData->source.table, s->vectorData->source.crs, sel.rows);
            doc_.report(Message::Info, trf("wrote %zu features to %s", sel.rows.size(), sel.exportPath.data()));
        } catch (const geo::Error& e) {
            doc_.report(Message::Error, e.what());
            state_.showMessages = true;
        }
    }
    ImGui::TextDisabled("%s", tr(".gpkg keeps the layer's CRS; .csv writes WKT in WGS84"));
    if (ImGui::Button(tr("Clear selection"))) {
        sel.rows.clear();
        sel.layer = 0;
    }
    ImGui::End();
}

}  // namespace app::ui::detail

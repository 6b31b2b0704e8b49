// The viewer: the conflict check. How much of each plan project (or any polygon layer) lies in the
// constraint layers the planner picks, computed with GEOS in EPSG:4547 on the worker pool (progress, cancel);
// a sortable table, CSV/XLSX reports, and the overlapping parts as a hatched red layer (an undoable command).
#include "ui/viewer_internal.hpp"

#include <unistd.h>

#include <ctime>

#include "analysis/report.hpp"

namespace app::ui::detail {

namespace {
bool polygonLayer(const render::SceneLayer* s) {
    if (!s || !s->vectorData || s->status != render::LoadStatus::Ready) return false;
    const geo::FeatureTable& t = s->vectorData->source.table;
    for (size_t f = 0; f < t.featureCount(); ++f)
        if (t.kinds[f] == geo::GeomKind::Polygon) return true;
    return false;
}

// Where analysis layers go: beside the project file when its folder is writable (and it is not the bundled
// project), else $XDG_DATA_HOME/planatlas/analysis.
std::string analysisFolder(const std::string& projectPath) {
    namespace fs = std::filesystem;
    const fs::path folder = fs::path(projectPath).parent_path();
    const bool bundled = fs::path(projectPath).lexically_normal() == fs::path(platform::defaultProjectPath()).lexically_normal();
    if (!projectPath.empty() && !bundled && access(folder.c_str(), W_OK) == 0) return folder.string();
    const char* data = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    fs::path base = data && *data ? fs::path(data) : fs::path(home ? home : "/tmp") / ".local" / "share";
    fs::path out = base / "planatlas" / "analysis";
    std::error_code ec;
    fs::create_directories(out, ec);
    return out.string();
}

std::string timestamp() {
    char b[32];
    std::time_t now = std::time(nullptr);
    std::strftime(b, sizeof b, "%Y%m%d-%H%M%S", std::localtime(&now));
    return b;
}
}  // namespace

void Viewer::startConflictCheck() {
    ConflictCheck& c = conflict_;
    const render::SceneLayer* subject = doc_.scene().find(c.subject);
    const geo::ProjectLayer* subjectLayer = doc_.project().findLayer(c.subject);
    if (!polygonLayer(subject) || !subjectLayer || c.against.empty()) return;
    std::vector<std::shared_ptr<const geo::VectorLayerData>> against;
    c.againstNames.clear();
    for (geo::LayerId id : c.against) {
        const render::SceneLayer* s = doc_.scene().find(id);
        const geo::ProjectLayer* l = doc_.project().findLayer(id);
        if (!polygonLayer(s) || !l) continue;
        against.push_back(s->vectorData);
        c.againstNames.push_back(l->name);
    }
    if (against.empty()) return;
    c.subjectName = subjectLayer->name;
    c.result.reset();
    c.error.clear();
    // The job shares ownership of the tables: the layers may be removed or reloaded while it runs.
    auto data = subject->vectorData;
    auto names = c.againstNames;
    c.job = pool_.submit<geo::OverlapResult>(
        JobPriority::Normal, "conflict",
        [data, against, names](geo::JobProgress& p) {
            std::vector<geo::OverlapInput> inputs;
            for (size_t i = 0; i < against.size(); ++i)
                inputs.push_back({names[i], &against[i]->source.table, against[i]->source.crs});
            return geo::computeOverlap(data->source.table, data->source.crs, inputs, &p);
        },
        [this](geo::OverlapResult&& r) {
            ConflictCheck& c = conflict_;
            c.job.reset();
            if (r.repairedSubject || r.repairedConstraint)
                doc_.report(Message::Warning, trf("conflict check: %zu invalid geometries repaired (make-valid)",
                                                  r.repairedSubject + r.repairedConstraint));
            if (r.skippedNonPolygon)
                doc_.report(Message::Info, trf("conflict check: %zu features are not polygons and were skipped", r.skippedNonPolygon));
            if (r.untransformable)
                doc_.report(Message::Warning, trf("conflict check: %zu features could not be taken to EPSG:4547 and were left out", r.untransformable));
            c.order.resize(r.rows.size());
            for (size_t i = 0; i < c.order.size(); ++i) c.order[i] = i;
            c.sortColumn = -1;
            c.result = std::move(r);
        },
        [this](const std::string& error) {
            conflict_.job.reset();
            conflict_.error = error;
            doc_.report(Message::Error, "conflict check: " + error);
        });
}

// The overlapping parts as a project layer, hatched red (written to a GeoPackage first; undo removes the layer).
void Viewer::showConflictsOnMap() {
    ConflictCheck& c = conflict_;
    if (!c.result || c.result->overlaps.featureCount() == 0) return;
    const std::string path =
        (std::filesystem::path(analysisFolder(doc_.path())) / ("conflicts-" + timestamp() + ".gpkg")).string();
    std::vector<uint32_t> all(c.result->overlaps.featureCount());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint32_t>(i);
    try {
        geo::writeSelection(path, "conflicts", c.result->overlaps, geo::Crs::wgs84(), all);
        std::vector<geo::ProjectLayer> layers = doc_.newLayers(path);
        for (auto& l : layers) {
            l.name = std::string(tr("Conflicts")) + " " + c.subjectName;
            l.style.fill = {220, 38, 38, 200};
            l.style.stroke = {185, 28, 28, 255};
            l.style.strokeWidth = 1.5f;
            l.style.patternField = "constraint";  // every constraint's overlaps hatched
            for (size_t k = 0; k < c.result->constraints.size(); ++k)
                l.style.patterns.push_back({std::to_string(k), geo::Pattern::DenseHatched});
        }
        doc_.apply(geo::cmd::addLayers(layers));
        doc_.report(Message::Info, "conflict areas written to " + path);
    } catch (const geo::Error& e) {
        doc_.report(Message::Error, e.what());
        state_.showMessages = true;
    }
}

void Viewer::drawConflictWindow() {
    if (!state_.showConflicts) return;
    ConflictCheck& c = conflict_;
    ImGui::SetNextWindowSize(ImVec2(640, 460), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(menuLabel("Conflict check").c_str(), &state_.showConflicts, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    const geo::Project& project = doc_.project();
    const bool zh = language() == Language::Chinese;
    if (!c.subject || !polygonLayer(doc_.scene().find(c.subject))) {
        const render::SceneLayer* catalog = doc_.scene().catalogLayer(project);
        c.subject = catalog ? catalog->id : 0;
    }
    const geo::ProjectLayer* subject = project.findLayer(c.subject);
    ImGui::SetNextItemWidth(300);
    if (ImGui::BeginCombo(tr("Projects layer"), subject ? subject->name.c_str() : tr("(choose)"))) {
        for (const auto& l : project.layers)
            if (polygonLayer(doc_.scene().find(l.id)) && ImGui::Selectable(l.name.c_str(), l.id == c.subject)) c.subject = l.id;
        ImGui::EndCombo();
    }
    ImGui::TextUnformatted(tr("Constraint layers (ecological control line, basic farmland, industrial block line, flood zones...):"));
    size_t offered = 0;
    for (const auto& l : project.layers) {
        if (l.id == c.subject || !polygonLayer(doc_.scene().find(l.id))) continue;
        ++offered;
        bool on = std::find(c.against.begin(), c.against.end(), l.id) != c.against.end();
        ImGui::PushID(static_cast<int>(l.id));
        if (ImGui::Checkbox(l.name.c_str(), &on)) {
            std::erase(c.against, l.id);
            if (on) c.against.push_back(l.id);
        }
        ImGui::PopID();
    }
    std::erase_if(c.against, [&](geo::LayerId id) { return !project.findLayer(id); });
    if (offered == 0) ImGui::TextDisabled("%s", tr("Add the constraint layers first (File > Add layer)."));
    if (c.job) {
        ImGui::ProgressBar(c.job->fraction(), ImVec2(300, 0));
        ImGui::SameLine();
        if (ImGui::Button(tr("Cancel"))) {
            c.job->cancel();
            c.job.reset();
        }
    } else {
        ImGui::BeginDisabled(c.against.empty() || !subject);
        if (ImGui::Button(tr("Run check"))) startConflictCheck();
        ImGui::EndDisabled();
    }
    if (!c.error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", c.error.c_str());
    if (c.result) {
        const geo::OverlapResult& r = *c.result;
        size_t conflicting = 0;
        for (const auto& row : r.rows)
            for (double o : row.overlapM2) conflicting += o > 0 ? 1 : 0;
        ImGui::Separator();
        ImGui::TextUnformatted(trf("%zu features checked, %zu overlaps; planar areas in EPSG:4547", r.rows.size(), conflicting).c_str());
        if (r.repairedSubject || r.repairedConstraint)
            ImGui::TextUnformatted(trf("%zu invalid geometries repaired (make-valid)", r.repairedSubject + r.repairedConstraint).c_str());
        if (ImGui::Button(tr("Show overlaps on the map"))) showConflictsOnMap();
        ImGui::SameLine();
        if (!c.reportPath[0]) {
            std::string folder = settings_.defaultExportFolder.empty() ? "." : settings_.defaultExportFolder;
            std::snprintf(c.reportPath.data(), c.reportPath.size(), "%s", (std::filesystem::path(folder) / "conflicts.xlsx").string().c_str());
        }
        ImGui::SetNextItemWidth(260);
        ImGui::InputText("##report", c.reportPath.data(), c.reportPath.size());
        ImGui::SameLine();
        if (ImGui::Button(tr("Export report"))) {
            try {
                geo::writeOverlapReport(r, c.reportPath.data());
                doc_.report(Message::Info, std::string("report written to ") + c.reportPath.data());
            } catch (const geo::Error& e) {
                doc_.report(Message::Error, e.what());
                state_.showMessages = true;
            }
        }
        const int columns = 3 + 2 * static_cast<int>(r.constraints.size());
        const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV;
        if (ImGui::BeginTable("##conflicts", columns, flags)) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn(tr("ID"));
            ImGui::TableSetupColumn(tr("Name"));
            ImGui::TableSetupColumn(tr("Area"), ImGuiTableColumnFlags_PreferSortDescending);
            for (const auto& name : r.constraints) {
                ImGui::TableSetupColumn((name + " m²").c_str(), ImGuiTableColumnFlags_PreferSortDescending);
                ImGui::TableSetupColumn((name + " %").c_str(), ImGuiTableColumnFlags_PreferSortDescending);
            }
            ImGui::TableHeadersRow();
            if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty && specs->SpecsCount > 0) {
                const int col = specs->Specs[0].ColumnIndex;
                const bool asc = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
                auto key = [&](size_t i) -> double {
                    const auto& row = r.rows[i];
                    if (col == 2) return row.areaM2;
                    if (col >= 3) {
                        size_t k = static_cast<size_t>(col - 3) / 2;
                        return (col - 3) % 2 == 0 ? row.overlapM2[k] : row.overlapPct[k];
                    }
                    return 0;
                };
                std::stable_sort(c.order.begin(), c.order.end(), [&](size_t a, size_t b) {
                    if (col < 2) {
                        const std::string& x = col == 0 ? r.rows[a].id : r.rows[a].nameZh;
                        const std::string& y = col == 0 ? r.rows[b].id : r.rows[b].nameZh;
                        return asc ? x < y : y < x;
                    }
                    return asc ? key(a) < key(b) : key(b) < key(a);
                });
                specs->SpecsDirty = false;
            }
            for (size_t i : c.order) {
                const auto& row = r.rows[i];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(i));
                if (ImGui::Selectable(row.id.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
                    actions_.select = FeatureRef{c.subject, static_cast<long>(row.feature)};
                    actions_.flyToSelection = true;
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(row.nameZh.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(geo::formatArea(row.areaM2, zh).c_str());
                for (size_t k = 0; k < r.constraints.size(); ++k) {
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(geo::groupThousands(row.overlapM2[k], 0).c_str());
                    ImGui::TableNextColumn();
                    if (row.overlapPct[k] > 0) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%.1f %%", row.overlapPct[k]);
                    else ImGui::TextUnformatted("0");
                }
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

}  // namespace app::ui::detail

// The viewer: project open/save with the unsaved-changes prompt, and export from the UI.
#include "ui/viewer_internal.hpp"

#include "cli/reach_check.hpp"
#include "export/limits.hpp"

namespace app::ui::detail {

std::string Viewer::snapshot() const { return snapshotOf(doc_.project()); }

std::string Viewer::snapshotOf(const geo::Project& project) {
    geo::Project p = project;
    p.view = {};
    std::string text = geo::serializeProject(p, "");
    for (const auto& m : p.markup) {  // the markup lives in its own file: compare it here too
        text += geo::markupKindName(m.kind) + std::string("|") + m.text + "|" + std::to_string(m.width) + "|" + m.created;
        for (double v : m.lonLat) text += "," + std::to_string(v);
        for (uint8_t c : m.color) text += ":" + std::to_string(c);
        text += "\n";
    }
    return text;
}

// Serializing the project to compare it is only worth doing when the answer matters (not every frame).
bool Viewer::dirty() const { return !savedSnapshot_.empty() && snapshot() != savedSnapshot_; }

// Saving writes the project value itself, with the current view.
bool Viewer::save(const std::string& path) {
    geo::Project p = doc_.project();
    p.view = currentProjectView();
    try {
        geo::saveProject(p, path);
    } catch (const geo::Error& e) {
        doc_.report(Message::Error, e.what());
        return false;
    }
    autosave_.forget(doc_.path());  // saved: nothing left to recover, under the old name or the new
    autosave_.forget(path);
    rememberReachOfSaved(p, path);
    doc_.setPath(path);
    rememberProject(path);
    savedSnapshot_ = snapshot();
    recoveredBaseline_.clear();
    doc_.report(Message::Info, "saved " + path);
    return true;
}

void Viewer::open(const std::string& path) {
    try {
        geo::Project p = geo::loadProject(path);
        if (options_.offline)
            if (std::string refusal = cli::offlineRefusal(p); !refusal.empty()) throw geo::IoError(path, "", refusal);
        const std::string previous = doc_.path();
        showProject(std::move(p), path);  // throws for a bad CRS before anything changes
        autosave_.forget(previous);  // its changes were saved or discarded at the prompt
        rememberProject(path);
        queueRecoveryOffers(path);  // a session with this project ended without saving
    } catch (const geo::Error& e) {
        doc_.report(Message::Error, std::string("cannot open the project, nothing changed: ") + e.what());
    }
}

void Viewer::applyFileActions(const Actions& a) {
    applySettingsActions(a);  // settings, recent list, file dialogs (viewer_settings.cpp)
    if (a.cancelExport && export_) {
        export_.reset();  // the writer removes its partial file
        doc_.report(Message::Info, "export cancelled");
    }
    if (a.startExport && !export_) startExport();
    if (a.save) {
        if (doc_.path().empty() || doc_.path() == platform::defaultProjectPath()) {
            browse(Browse::SaveProjectAs);  // never overwrite the bundled project silently
        } else {
            save(doc_.path());
        }
    }
    if (a.saveAs) save(*a.saveAs);
    if (a.openProject) {
        if (!openConfirmed_ && dirty()) {
            std::snprintf(state_.projectPath.data(), state_.projectPath.size(), "%s", a.openProject->c_str());
            state_.afterPrompt = 2;
            state_.unsavedPrompt = true;
        } else {
            open(*a.openProject);
        }
        openConfirmed_ = false;
    }
    if (a.quit) {
        if (!quitConfirmed_ && dirty()) {
            state_.afterPrompt = 1;
            state_.unsavedPrompt = true;
        } else {
            quit_ = true;
        }
    }
}

void Viewer::drawProjectDialogs() {
    auto pathPopup = [&](const char* id, bool& open, const char* button, auto onOk) {
        if (open) {
            ImGui::OpenPopup((std::string("###") + id).c_str());
            open = false;
        }
        if (ImGui::BeginPopupModal((std::string(tr(id)) + "###" + id).c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
            bool enter = ImGui::InputText("##path", state_.projectPath.data(), state_.projectPath.size(),
                                          ImGuiInputTextFlags_EnterReturnsTrue);
            if ((ImGui::Button(button) || enter) && state_.projectPath[0]) {
                onOk(std::string(state_.projectPath.data()));
                ImGui::CloseCurrentPopup();
            }
            ImGui::SameLine();
            if (ImGui::Button(tr("Cancel"))) ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
        }
    };
    pathPopup("Open project", state_.openDialog, tr("Open"), [&](const std::string& p) { actions_.openProject = p; });
    pathPopup("Save project as", state_.saveAsDialog, tr("Save"), [&](const std::string& p) { actions_.saveAs = p; });
    drawUnsavedPrompt();
}

void Viewer::drawUnsavedPrompt() {
    if (state_.unsavedPrompt) {
        ImGui::OpenPopup("###unsaved");
        state_.unsavedPrompt = false;
    }
    if (ImGui::BeginPopupModal((std::string(tr("Unsaved changes")) + "###unsaved").c_str(), nullptr,
                               ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::TextUnformatted(tr("The project has unsaved changes."));
        auto proceed = [&] {
            if (state_.afterPrompt == 1) quit_ = true;
            if (state_.afterPrompt == 2) {
                openConfirmed_ = true;
                actions_.openProject = std::string(state_.projectPath.data());
            }
            state_.afterPrompt = 0;
            ImGui::CloseCurrentPopup();
        };
        if (ImGui::Button(tr("Save"))) {
            if (save(doc_.path().empty() ? std::string("untitled.atlas.json") : doc_.path())) proceed();
        }
        ImGui::SameLine();
        if (ImGui::Button(tr("Discard"))) proceed();
        ImGui::SameLine();
        if (ImGui::Button(tr("Cancel"))) {
            state_.afterPrompt = 0;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

void Viewer::drawExportDialog() {
    if (!state_.showExport && !export_) return;
    ImGui::SetNextWindowSize(ImVec2(460, 0), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin((std::string(tr("Export")) + "###export").c_str(), &state_.showExport)) {
        ImGui::End();
        return;
    }
    if (export_) {
        ImGui::TextUnformatted(trf("Exporting %s", export_->path().c_str()).c_str());
        ImGui::ProgressBar(export_->progress());
        if (ImGui::Button(tr("Cancel"))) actions_.cancelExport = true;
    } else {
        ImGui::TextWrapped("%s", tr("The current view at a higher pixel density: lines, symbols and labels scale."));
        ImGui::TextWrapped("%s", tr("Georeferenced: PNG + world file, GeoTIFF, PDF."));
        ImGui::SetNextItemWidth(state_.nativeDialogs ? -ImGui::GetFrameHeightWithSpacing() * 1.5f : -1);
        ImGui::InputTextWithHint("##exportpath", tr("output path, e.g. /tmp/pingshan.png"), state_.exportPath.data(),
                                 state_.exportPath.size());
        if (state_.nativeDialogs) {  // else the typed path is the way
            ImGui::SameLine();
            if (ImGui::SmallButton("…")) actions_.browse = Browse::ExportPath;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Choose the file in the desktop's dialog"));
        }
        ImGui::RadioButton("PNG", &state_.exportFormat, 0);
        ImGui::SameLine();
        ImGui::RadioButton("GeoTIFF", &state_.exportFormat, 1);
        ImGui::SameLine();
        ImGui::RadioButton("PDF", &state_.exportFormat, 2);
        ImGui::InputInt(tr("width px"), &state_.exportWidth, 256);
        ImGui::InputInt(tr("height px"), &state_.exportHeight, 256);
        state_.exportWidth = std::clamp(state_.exportWidth, 16, 40000);
        state_.exportHeight = std::clamp(state_.exportHeight, 16, 40000);
        ImGui::Checkbox(tr("Title, legend, scale bar, north arrow, credits"), &state_.exportDecorations);
        // The same limit the export itself checks (geo/export/limits.hpp), said before the click.
        if (auto problem = geo::outputSizeProblem(state_.exportWidth, state_.exportHeight))
            ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.2f, 1.0f), "%s", problem->c_str());
        else if (ImGui::Button(tr("Export")) && state_.exportPath[0])
            actions_.startExport = true;
    }
    ImGui::End();
}

// File > Export: the current view at a higher pixel density, through the same pipeline as `planatlas export`.
void Viewer::startExport() {
    UiExportSettings settings{state_.exportPath.data(), state_.exportFormat, state_.exportWidth, state_.exportHeight,
                              state_.exportDecorations};
    state_.exportFormat = exportFormatOf(settings);  // the dialog shows what will be written
    try {
        export_ = std::make_unique<render::ExportJob>(*renderer_, doc_.project(), doc_.scene(),
                                                      exportSpecForScreen(doc_, view_, pixelRatio(), settings));
    } catch (const std::exception& e) {
        doc_.report(Message::Error, std::string("cannot export: ") + e.what());
    }
}

void Viewer::stepExport() {
    if (!export_) return;
    try {
        if (export_->step()) return;
        export_->finish();
        std::string note = export_->droppedLabels()
                               ? " (" + std::to_string(export_->droppedLabels()) + " labels left out for lack of room)"
                               : "";
        doc_.report(Message::Info, "exported " + export_->path() + note);
    } catch (const std::exception& e) {
        doc_.report(Message::Error, std::string("export failed, nothing written: ") + e.what());
    }
    export_.reset();  // after a failure this removes the partial file
}

}  // namespace app::ui::detail

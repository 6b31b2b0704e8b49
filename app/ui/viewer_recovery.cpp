// The viewer: showing a project (open and restore share it), autosave every interval while there are unsaved
// changes, the recovery prompt for what a crashed or killed session left (Restore / Discard), and the reach
// prompt for a project whose layers contact hosts or read files outside its folder (Allow / Open without them).
// [SECTION] Showing a project
// [SECTION] The reach prompt
// [SECTION] Autosave and the recovery prompt
#include "cli/reach_check.hpp"
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

namespace {

constexpr const char* kWaitingForAnswer = "not read yet: waiting for the answer to the reach prompt";
constexpr const char* kNotAllowed = "not read: this project's reach beyond its folder was not allowed (Retry asks again)";

std::string projectName(const std::string& path, const std::string& title) {
    std::string name = path.empty() ? std::string(tr("untitled project")) : path;
    if (!title.empty()) name = title + " (" + name + ")";
    return name;
}

}  // namespace

// [SECTION] Showing a project

// Replaces the document with `project` read from `path`: the reach prompt first (its layers wait for the answer),
// then the view the project saved (or a fit once loaded). Throws CrsError for a bad display CRS, changing nothing.
void Viewer::showProject(geo::Project project, const std::string& path) {
    geo::Crs::fromUser(project.displayCrs);  // throws before anything changes
    prepareReach(project, path);
    const geo::ProjectView view = project.view;
    doc_.open(std::move(project), path);
    followDisplayCrs();
    if (view.scale > 0) view_ = render::frameForView(view_, view, doc_.displayCrs());
    else pendingFit_ = true;
    state_.selected = state_.hovered = FeatureRef{};
    state_.tableLayer = 0;
    export_.reset();
    savedSnapshot_.clear();  // set once the layers are in
    recoveredBaseline_.clear();
    mapDirty_ = true;
}

// [SECTION] The reach prompt

// Decides, before the document opens `project`, which of its sources may be read: everything when the project
// reaches nothing beyond its folder or the user allowed exactly these places for this file before; otherwise the
// layers that reach wait (asked now) or stay unread (refused before).
void Viewer::prepareReach(const geo::Project& project, const std::string& path) {
    reach_ = ReachPrompt{};
    doc_.setBlockedSources({}, "");
    reach_.targets = geo::projectReach(project, path);
    if (reach_.targets.empty()) return;
    reach_.path = path;
    reach_.fingerprint = geo::reachFingerprint(reach_.targets);
    for (const auto& l : project.layers) {
        geo::Project one;
        one.layers = {l};
        if (!geo::projectReach(one, path).empty()) reach_.sources.push_back(l.source);
    }
    std::string shown = project.title + path;  // the prompt shows them: the font must cover them
    for (const auto& t : reach_.targets) shown += t.where;
    fonts_.addText(shown);
    const auto* decision = platform::reachDecision(settings_, path, reach_.fingerprint);
    if (decision && decision->allow) return;
    doc_.setBlockedSources(reach_.sources, tr(decision ? kNotAllowed : kWaitingForAnswer));
    reach_.ask = !decision;
}

void Viewer::answerReach(bool allow) {
    reach_.ask = false;
    platform::rememberReachDecision(settings_, reach_.path, reach_.fingerprint, allow);
    saveSettings();
    doc_.setBlockedSources(allow ? std::vector<std::string>{} : reach_.sources, allow ? "" : tr(kNotAllowed));
    doc_.reloadSources(reach_.sources);
    doc_.report(Message::Info, std::string(allow ? "allowed" : "not allowed") + " for " + reach_.path + ": " +
                                   geo::describeReach(reach_.targets));
}

// A project saved from here is the user's own: what it reaches now is allowed for that file (unless some of it
// was refused and is still unread).
void Viewer::rememberReachOfSaved(const geo::Project& project, const std::string& path) {
    for (const auto& l : project.layers)
        if (doc_.blocked(l.source)) return;
    const auto targets = geo::projectReach(project, path);
    if (targets.empty()) return;
    platform::rememberReachDecision(settings_, path, geo::reachFingerprint(targets), true);
    saveSettings();
}

void Viewer::drawReachPrompt() {
    if (reach_.ask && recoveryOffers_.empty()) {  // a restore may replace the project: that question first
        ImGui::OpenPopup("###reach");
        reach_.ask = false;
    }
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_Appearing);
    const std::string title = std::string(tr("This project reaches beyond its folder")) + "###reach";
    reach_.showing = ImGui::BeginPopupModal(title.c_str(), nullptr);
    if (!reach_.showing) return;
    ImGui::TextWrapped("%s", projectName(reach_.path, doc_.project().title).c_str());
    ImGui::TextWrapped("%s", tr("Opening it reads these places. Allow them only if you trust where the project "
                                "came from; without them, those layers stay empty."));
    ImGui::Separator();
    for (const auto& t : reach_.targets) {
        const char* kind = t.kind == geo::ReachTarget::Network ? tr("Network host") : tr("File outside the folder");
        std::string layers;
        for (const auto& name : t.layers) layers += (layers.empty() ? "" : ", ") + name;
        ImGui::BulletText("%s: %s", kind, t.where.c_str());
        ImGui::Indent();
        ImGui::TextDisabled("%s", trf("Layers: %s", layers.c_str()).c_str());
        ImGui::Unindent();
    }
    ImGui::Separator();
    bool allow = ImGui::Button(tr("Allow"));
    ImGui::SameLine();
    bool refuse = ImGui::Button(tr("Open without them"));
    if (reach_.smokeAnswer != Answer::None) {  // a smoke run's click
        allow = reach_.smokeAnswer == Answer::Yes;
        refuse = !allow;
        reach_.smokeAnswer = Answer::None;
    }
    if (allow || refuse) {
        answerReach(allow);
        ImGui::CloseCurrentPopup();
        reach_.showing = false;
    }
    ImGui::EndPopup();
}

// [SECTION] Autosave and the recovery prompt

// Once per interval, while the project has unsaved changes: its state, with the current view, to the recovery
// file. Nothing before the layers are in (the baseline of "unsaved" is not known yet).
void Viewer::stepAutosave() {
    if (savedSnapshot_.empty() || !autosave_.due(glfwGetTime())) return;
    const std::string key = snapshot();
    geo::Project p = doc_.project();
    p.view = currentProjectView();
    std::string error;
    if (autosave_.save(key != savedSnapshot_, p, key, doc_.path(), &error)) return;
    if (!error.empty()) doc_.report(Message::Warning, "autosave failed (changes are not kept for recovery): " + error);
}

// Recovery files of sessions that ended without saving: all of them at the start, or the one of a project opened
// later. A file already offered is not offered twice.
void Viewer::queueRecoveryOffers(const std::string& onlyFor) {
    std::vector<std::string> problems;
    const std::string file = onlyFor.empty() ? std::string() : geo::recoveryFileFor(autosave_.dir(), onlyFor);
    for (auto& e : autosave_.orphans(&problems)) {
        if ((!file.empty() && e.file != file) || e.file == options_.recoveredFile) continue;
        const bool queued = std::any_of(recoveryOffers_.begin(), recoveryOffers_.end(),
                                        [&](const geo::RecoveryEntry& q) { return q.file == e.file; });
        if (queued) continue;
        fonts_.addText(e.title + e.projectPath);  // the prompt shows them: the font must cover them
        recoveryOffers_.push_back(std::move(e));
    }
    for (const auto& p : problems) doc_.report(Message::Warning, "recovery: " + p);
}

bool Viewer::restoreRecovery(const geo::RecoveryEntry& entry) {
    try {
        geo::RecoveryEntry e;
        geo::Project p = geo::readRecovery(entry.file, &e);
        if (options_.offline)
            if (std::string refusal = cli::offlineRefusal(p); !refusal.empty()) throw geo::IoError(entry.file, "", refusal);
        // The changes as they were on disk before the crash: the baseline "unsaved" compares with.
        std::string baseline = "(no saved file)";
        try {
            if (!e.projectPath.empty()) baseline = snapshotOf(geo::loadProject(e.projectPath));
        } catch (const geo::Error&) {
        }
        autosave_.forget(doc_.path());
        showProject(std::move(p), e.projectPath);
        autosave_.adopt(entry.file);
        recoveredBaseline_ = baseline;
        rememberProject(e.projectPath);
        doc_.report(Message::Info, "restored the unsaved changes of " + projectName(e.projectPath, e.title) +
                                       " from " + localTimeText(e.savedAt));
        return true;
    } catch (const geo::Error& ex) {
        doc_.report(Message::Error, std::string("cannot restore, nothing changed: ") + ex.what());
        return false;
    }
}

void Viewer::drawRecoveryPrompt() {
    if (recoveryOffers_.empty() || ImGui::IsPopupOpen("###reach")) return;  // one question at a time
    if (!ImGui::IsPopupOpen("###recovery")) ImGui::OpenPopup("###recovery");
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0), ImGuiCond_Appearing);
    const std::string title = std::string(tr("Recover unsaved changes")) + "###recovery";
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr)) return;
    const geo::RecoveryEntry& e = recoveryOffers_.front();
    ImGui::TextWrapped("%s", tr("Plan Atlas did not close normally. Unsaved changes of this project were kept:"));
    ImGui::BulletText("%s", projectName(e.projectPath, e.title).c_str());
    ImGui::TextUnformatted(trf("Saved automatically at %s", localTimeText(e.savedAt).c_str()).c_str());
    ImGui::TextDisabled("%s", trf("%zu layers, %zu notes", e.layers, e.markup).c_str());
    bool restore = ImGui::Button(tr("Restore"));
    ImGui::SameLine();
    bool discard = ImGui::Button(tr("Discard"));
    if (recoverySmokeAnswer_ != Answer::None) {  // a smoke run's click
        restore = recoverySmokeAnswer_ == Answer::Yes;
        discard = !restore;
        recoverySmokeAnswer_ = Answer::None;
    }
    if (restore || discard) {
        const geo::RecoveryEntry chosen = e;
        recoveryOffers_.erase(recoveryOffers_.begin());
        if (discard) {
            geo::removeRecovery(chosen.file);
            doc_.report(Message::Info, "discarded the unsaved changes of " + projectName(chosen.projectPath, chosen.title));
        } else if (restoreRecovery(chosen)) {
            recoveryOffers_.clear();  // the document is now that project; other sessions' files wait for the next start
        }
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace app::ui::detail

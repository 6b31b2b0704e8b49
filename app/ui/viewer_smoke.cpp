// The smoke-test drivers of the viewer, beside the main loop rather than inside it: --frames N runs until
// everything has loaded and N frames have passed, then exits (with --screenshot, the last frame as a PNG);
// --select flies to a project once loaded; --present-demo presents every slide and leaves; --export runs the
// UI's tiled export of the view once loaded; --tools-demo FILE drives the planning tools through their own code
// paths (measure and keep, a note, a lasso selection, swipe, timeline, the conflict check shown on the map), then
// saves the project to FILE and prints what each produced.
#include "export/image_writer.hpp"
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

void SmokeDriver::onFirstLoad(Viewer& v) {
    if (!options_.autosaveDemo.empty() && !autosaveDemoStarted_) startAutosaveDemo(v);
    if (!options_.select.empty()) v.selectProjectById(options_.select);
    if (!options_.toolsDemo.empty()) startToolsDemo(v);
    if (!options_.exportPath.empty()) {
        std::snprintf(v.state_.exportPath.data(), v.state_.exportPath.size(), "%s", options_.exportPath.c_str());
        v.state_.exportWidth = 2600;  // three tiles wide: exercises the per-frame tiling
        v.state_.exportHeight = 1400;
        v.state_.showExport = true;
        v.actions_.startExport = true;
    }
}

// Presentation mode: enter, step through every slide (holding slide 2 for the screenshot), leave.
void SmokeDriver::stepPresentDemo(Viewer& v) {
    if (demoStart_ < 0) {
        if (v.doc_.loading() || v.doc_.project().slides.empty()) return;
        demoStart_ = frames_;
        v.enterPresentation();
        return;
    }
    if (!v.state_.presenting || (frames_ - demoStart_) % 4 != 0) return;
    v.flight_.reset();
    if (v.state_.deck.index() == 1 && !demoShotTaken_) return;
    if (!v.state_.deck.next()) {
        v.leavePresentation();
        return;
    }
    v.applySlide(v.state_.deck.index(), false);
}

void SmokeDriver::screenshot(const Viewer& v) const {
    int w = 0, h = 0;  // the whole window: map, sidebars and status bar
    glfwGetFramebufferSize(v.window_, &w, &h);
    std::vector<uint8_t> rgba(size_t(w) * h * 4), flipped(rgba.size());
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    const size_t stride = size_t(w) * 4;
    for (int y = 0; y < h; ++y) std::memcpy(&flipped[stride * y], &rgba[stride * (h - 1 - y)], stride);
    for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
    geo::writePng(options_.screenshot, w, h, flipped);
}

void SmokeDriver::startToolsDemo(Viewer& v) {
    toolsDemoStarted_ = true;
    const geo::View& view = v.view_;
    const double cx = view.centerX, cy = view.centerY, r = 0.25 * std::min(view.width, view.height) * view.resolution;
    // A measured distance across the middle of the map, kept as markup.
    v.setTool(Tool::MeasureLine);
    v.state_.tools.points = {cx - r, cy, cx + r, cy};
    v.finishShape();
    geo::MarkupItem kept = v.newMarkup(geo::MarkupKind::MeasureLine, v.toLonLat(v.state_.tools.points));
    kept.text = v.measureText(false);
    v.doc_.apply(geo::cmd::addMarkup(kept));
    // A note, and a freehand stroke.
    geo::MarkupItem note = v.newMarkup(geo::MarkupKind::Text, v.toLonLat({cx, cy + r}));
    note.text = "碧岭北 马峦山";
    note.width = 20;
    v.doc_.apply(geo::cmd::addMarkup(note));
    v.setTool(Tool::Freehand);
    v.state_.tools.points = {cx - r, cy - r, cx, cy - 0.8 * r, cx + r, cy - r};
    v.finishShape();
    // A lasso around the middle of the map selects projects.
    v.setTool(Tool::SelectLasso);
    v.state_.tools.points = {cx - 2 * r, cy - 2 * r, cx + 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r, cx - 2 * r, cy + 2 * r};
    v.finishShape();
    v.setTool(Tool::Navigate);
    // Swipe: the district outlines only left of the divider; the timeline at one phase; the conflict check of the
    // projects against the Pingshan outline.
    const auto& layers = v.doc_.project().layers;
    geo::Swipe swipe{true, 0.5, {layers.front().name}, {}};
    v.doc_.apply(geo::cmd::setSwipe(swipe));
    v.doc_.apply(geo::cmd::setTimeline({true, 0, "under construction"}));
    v.state_.showSwipe = v.state_.showTimeline = v.state_.showConflicts = true;
    for (const auto& l : layers)
        if (l.source.find("pingshan_district") != std::string::npos) v.conflict_.against = {l.id};
    const render::SceneLayer* catalog = v.doc_.scene().catalogLayer(v.doc_.project());
    v.conflict_.subject = catalog ? catalog->id : 0;
    v.startConflictCheck();
    v.mapDirty_ = true;
}

void SmokeDriver::finishToolsDemo(Viewer& v) {
    if (!v.save(options_.toolsDemo)) exitCode_ = 1;  // first, so the conflict layer goes beside the saved project
    if (v.conflict_.result) v.showConflictsOnMap();
    const auto& c = v.conflict_;
    size_t overlapping = 0;
    if (c.result)
        for (const auto& row : c.result->rows) overlapping += row.overlapM2.at(0) > 0;
    std::fprintf(stdout, "tools-demo: markup %zu, selected %zu, conflict rows %zu overlapping %zu, layers %zu\n",
                 v.doc_.project().markup.size(), v.state_.selection.rows.size(), c.result ? c.result->rows.size() : 0,
                 overlapping, v.doc_.project().layers.size());
    if (!v.save(options_.toolsDemo)) exitCode_ = 1;
    if (v.doc_.project().markup.size() != 3 || v.state_.selection.rows.empty() || !c.result || overlapping == 0)
        exitCode_ = 1;
}

// --autosave-demo: unsaved changes (a bookmark and a note) that only the autosave keeps.
void SmokeDriver::startAutosaveDemo(Viewer& v) {
    autosaveDemoStarted_ = true;
    v.doc_.apply(geo::cmd::addBookmark({"autosave-demo", v.currentProjectView(), v.doc_.displayCrs().definition()}));
    geo::MarkupItem note = v.newMarkup(geo::MarkupKind::Text, v.toLonLat({v.view_.centerX, v.view_.centerY}));
    note.text = "碧岭北";
    v.doc_.apply(geo::cmd::addMarkup(note));
}

// The recovery and reach prompts answered as a click would (--recovery-answer, --reach-answer), and the autosave
// demo's report once its file is written (the test then kills this process).
void SmokeDriver::stepRecoveryDemos(Viewer& v) {
    if (!options_.recoveryAnswer.empty() && !recoveryAnswered_ && !v.recoveryOffers_.empty()) {
        const geo::RecoveryEntry& e = v.recoveryOffers_.front();
        std::printf("recovery offered: %s saved at %s\n", e.projectPath.empty() ? "untitled" : e.projectPath.c_str(),
                    localTimeText(e.savedAt).c_str());
        v.recoverySmokeAnswer_ = options_.recoveryAnswer == "restore" ? Viewer::Answer::Yes : Viewer::Answer::No;
        recoveryAnswered_ = true;
    }
    if (!options_.reachAnswer.empty() && !reachAnswered_ && v.reach_.showing) {
        std::printf("reach asked: %zu place(s): %s\n", v.reach_.targets.size(),
                    geo::describeReach(v.reach_.targets).c_str());
        v.reach_.smokeAnswer = options_.reachAnswer == "allow" ? Viewer::Answer::Yes : Viewer::Answer::No;
        reachAnswered_ = true;
    }
    if (!options_.autosaveDemo.empty() && !autosaveReported_ && v.autosave_.writes() > 0) {
        std::printf("autosave-demo: wrote %s (pid %ld)\n", geo::recoveryFileFor(v.autosave_.dir(), v.doc_.path()).c_str(),
                    static_cast<long>(::getpid()));
        autosaveReported_ = true;
    }
    std::fflush(stdout);
}

bool SmokeDriver::afterFrame(Viewer& v) {
    if (!active()) return false;
    if (options_.presentDemo) stepPresentDemo(v);
    stepRecoveryDemos(v);
    ++frames_;
    const bool answered = v.recoverySmokeAnswer_ == Viewer::Answer::None && v.reach_.smokeAnswer == Viewer::Answer::None &&
                          (options_.reachAnswer.empty() || !v.reach_.showing);
    const bool settled = answered && v.doc_.loading() == 0 && v.pool_.pending() == 0 && !v.mapDirty_ && !v.flight_ &&
                         !v.doc_.tilesBusy() && !v.refined_.pending() && !v.layerImages_.pending() &&
                         !v.export_ && (options_.autosaveDemo.empty() || (options_.autosaveDemo == "exit" && autosaveReported_));
    const bool last = frames_ >= options_.frames && settled &&
                      (!options_.presentDemo || (demoStart_ >= 0 && !v.state_.presenting));
    // The demo's picture is a slide in presentation mode; otherwise the last frame.
    const bool demoShot = options_.presentDemo && v.state_.presenting && v.state_.deck.index() == 1 &&
                          !demoShotTaken_ && !v.mapDirty_ && v.pool_.pending() == 0;
    if (demoShot) demoShotTaken_ = true;
    if (((last && !options_.presentDemo) || demoShot) && !options_.screenshot.empty()) screenshot(v);
    if (last && toolsDemoStarted_) finishToolsDemo(v);
    if (last && !options_.saveAs.empty() && !v.save(options_.saveAs)) exitCode_ = 1;
    if (last && !v.reach_.targets.empty()) {
        size_t unread = 0;
        for (const auto& l : v.doc_.project().layers) unread += v.doc_.blocked(l.source);
        std::printf("reach: %zu place(s), %zu layer(s) not read\n", v.reach_.targets.size(), unread);
    }
    if (last) return true;
    if (options_.autosaveDemo == "wait") {  // runs until the test kills it; stops on its own only when forgotten
        if (glfwGetTime() < 300) return false;
        std::fprintf(stderr, "planatlas: --autosave-demo: not killed within 300 s\n");
        exitCode_ = 1;
        return true;
    }
    if (frames_ > options_.frames + 2000) {
        std::fprintf(stderr, "planatlas: --frames: still loading or presenting after %ld frames\n", frames_);
        exitCode_ = 1;
        return true;
    }
    return false;
}

}  // namespace app::ui::detail

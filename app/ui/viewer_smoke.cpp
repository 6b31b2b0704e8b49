// The smoke-test drivers of the viewer, beside the main loop rather than inside it: --frames N runs until
// everything has loaded and N frames have passed, then exits (with --screenshot, the last frame as a PNG);
// --select flies to a project once loaded; --present-demo presents every slide and leaves; --export runs the
// UI's tiled export of the view once loaded.
#include "export/image_writer.hpp"
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

void SmokeDriver::onFirstLoad(Viewer& v) {
    if (!options_.select.empty()) v.selectProjectById(options_.select);
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

bool SmokeDriver::afterFrame(Viewer& v) {
    if (!active()) return false;
    if (options_.presentDemo) stepPresentDemo(v);
    ++frames_;
    const bool settled = v.doc_.loading() == 0 && v.pool_.pending() == 0 && !v.mapDirty_ && !v.flight_ && !v.export_;
    const bool last = frames_ >= options_.frames && settled &&
                      (!options_.presentDemo || (demoStart_ >= 0 && !v.state_.presenting));
    // The demo's picture is a slide in presentation mode; otherwise the last frame.
    const bool demoShot = options_.presentDemo && v.state_.presenting && v.state_.deck.index() == 1 &&
                          !demoShotTaken_ && !v.mapDirty_ && v.pool_.pending() == 0;
    if (demoShot) demoShotTaken_ = true;
    if (((last && !options_.presentDemo) || demoShot) && !options_.screenshot.empty()) screenshot(v);
    if (last) return true;
    if (frames_ > options_.frames + 2000) {
        std::fprintf(stderr, "planatlas: --frames: still loading or presenting after %ld frames\n", frames_);
        exitCode_ = 1;
        return true;
    }
    return false;
}

}  // namespace app::ui::detail

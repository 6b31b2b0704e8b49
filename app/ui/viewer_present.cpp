// The viewer: slides, bookmarks and presentation mode.
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

void Viewer::selectProjectById(const std::string& id) {
    if (const render::SceneLayer* catalog = doc_.scene().catalogLayer(doc_.project())) {
        const geo::FeatureTable& t = catalog->vectorData->source.table;
        for (size_t r = 0; r < t.featureCount(); ++r)
            if (t.columns[catalog->catalogColumns.id].text(r) == id) {
                actions_.select = FeatureRef{catalog->id, static_cast<long>(r)};
                actions_.flyToSelection = true;
                return;
            }
    }
    doc_.report(Message::Error, "--select: no project with id '" + id + "' in a loaded catalog");
}

// Shows a slide: its layers (a command, so it can be undone), its spotlight, and its frame (the same rule as
// `planatlas export --slide`, render/composition).
void Viewer::applySlide(size_t index, bool animate) {
    if (index >= doc_.project().slides.size()) return;
    const geo::Slide s = doc_.project().slides[index];
    doc_.apply(geo::cmd::showOnlyLayers(s.visibleLayers));
    doc_.setSpotlight(s.highlight);
    if (state_.presenting) doc_.setTimelineOverride(geo::timelineFor(doc_.project(), &s));  // the slide's phase
    state_.presentSwipe = -1;
    for (const auto& t : {s.title, s.caption}) fonts_.addText(t);
    state_.selected = state_.hovered = FeatureRef{};
    mapDirty_ = true;
    auto target = render::frameForSlide(view_, s, doc_.project(), doc_.scene(), doc_.displayCrs(),
                                        geo::kStandardPixelMeters, state_.presenting ? 1.15 : 1.0);
    if (!target) return;
    if (animate) flyTo(*target);
    else view_ = *target;
}

void Viewer::gotoBookmark(size_t index) {
    if (index >= doc_.project().bookmarks.size()) return;
    geo::Bookmark b = doc_.project().bookmarks[index];
    if (!b.crs.empty() && b.crs != doc_.displayCrs().definition() && b.crs != doc_.displayCrs().id()) {
        changeCrs(b.crs);  // a bookmark restores its display CRS too
        view_ = render::frameForView(view_, b.view, doc_.displayCrs());
        return;
    }
    flyTo(render::frameForView(view_, b.view, doc_.displayCrs()));
}

void Viewer::enterPresentation() {
    if (doc_.project().slides.empty()) {
        doc_.report(Message::Warning, "no slides to present: add one or generate a story");
        return;
    }
    state_.presenting = true;
    state_.deck = geo::SlideDeck(doc_.project().slides.size());
    state_.savedMessages = std::exchange(state_.showMessages, false);  // the sidebars hide while presenting
    glfwGetWindowPos(window_, &state_.savedX, &state_.savedY);
    glfwGetWindowSize(window_, &state_.savedW, &state_.savedH);
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    if (count > 0) {
        GLFWmonitor* m = monitors[std::clamp(state_.presentMonitor, 0, count - 1)];
        const GLFWvidmode* mode = glfwGetVideoMode(m);
        glfwSetWindowMonitor(window_, m, 0, 0, mode->width, mode->height, mode->refreshRate);
    }
    applySlide(0, false);
}

void Viewer::leavePresentation() {
    if (!state_.presenting) return;
    state_.presenting = false;
    state_.laser = false;
    glfwSetWindowMonitor(window_, nullptr, state_.savedX, state_.savedY, state_.savedW, state_.savedH, 0);
    state_.showMessages = state_.savedMessages;
    doc_.setSpotlight({});
    doc_.setTimelineOverride(std::nullopt);
    state_.presentSwipe = -1;
    mapDirty_ = true;
}

void Viewer::presentationKeys() {
    auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
    geo::SlideDeck& deck = state_.deck;
    bool moved = false;
    // Arrows, Page Down/Up (what clickers send), space, Home/End.
    if (pressed(GLFW_KEY_RIGHT) || pressed(GLFW_KEY_DOWN) || pressed(GLFW_KEY_PAGE_DOWN) || pressed(GLFW_KEY_SPACE))
        moved = deck.next();
    if (pressed(GLFW_KEY_LEFT) || pressed(GLFW_KEY_UP) || pressed(GLFW_KEY_PAGE_UP)) moved = deck.previous() || moved;
    if (pressed(GLFW_KEY_HOME)) moved = deck.first() || moved;
    if (pressed(GLFW_KEY_END)) moved = deck.last() || moved;
    if (moved) applySlide(deck.index(), true);
    state_.laser = ImGui::IsKeyDown(GLFW_KEY_L);
    glfwSetInputMode(window_, GLFW_CURSOR, state_.laser ? GLFW_CURSOR_HIDDEN : GLFW_CURSOR_NORMAL);
    if (pressed(GLFW_KEY_ESCAPE)) leavePresentation();
}

}  // namespace app::ui::detail

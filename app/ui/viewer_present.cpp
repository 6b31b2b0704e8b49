// The viewer: slides, bookmarks and presentation mode.
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

void Viewer::selectProjectById(const std::string& id) {
    int li = findCatalogLayer(doc_.layers());
    if (li >= 0) {
        const auto& slot = *doc_.layers()[li];
        const geo::FeatureTable& t = slot.vectorData->source.table;
        for (size_t r = 0; r < t.featureCount(); ++r)
            if (t.columns[slot.catalogColumns.id].text(r) == id) {
                actions_.select = FeatureRef{li, static_cast<long>(r)};
                actions_.flyToSelection = true;
                return;
            }
    }
    doc_.report(Message::Error, "--select: no project with id '" + id + "' in a loaded catalog");
}

geo::ProjectView Viewer::currentProjectView() const {
    double c[2] = {view_.centerX, view_.centerY};
    toWgs84_->transform(c, 1);
    return {c[0], c[1], geo::scaleDenominator(view_, *toWgs84_)};
}

geo::View Viewer::viewFromProjectView(const geo::ProjectView& pv) const {
    geo::View v = view_;
    double c[2] = {pv.lon, pv.lat};
    geo::Transformer(geo::Crs::wgs84(), doc_.displayCrs()).transform(c, 1);
    v.centerX = c[0];
    v.centerY = c[1];
    if (pv.scale > 0) {
        geo::setScale(v, *toWgs84_, pv.scale);
        geo::setScale(v, *toWgs84_, pv.scale);
    }
    return v;
}

void Viewer::applySlide(size_t index, bool animate) {
    auto& slides = doc_.slides();
    if (index >= slides.size()) return;
    const geo::Slide& s = slides[index];
    for (auto& l : doc_.layers()) {
        if (!s.visibleLayers.empty())
            l->config.visible = std::find(s.visibleLayers.begin(), s.visibleLayers.end(), l->config.name) != s.visibleLayers.end();
    }
    geo::BBox fit;
    int catalog = findCatalogLayer(doc_.layers());
    if (catalog >= 0) {
        auto& slot = *doc_.layers()[catalog];
        slot.spotlightProjects(s.highlight);
        geo::BBox box = slot.projectsBox(s.fitProjects);
        if (!box.empty())
            fit = geo::transformBox(box, geo::Transformer(slot.vectorData->source.crs, doc_.displayCrs()));
        if (fit.width() == 0 && fit.height() == 0 && !fit.empty()) {  // a single point: 1:5000 around it
            geo::View t = view_;
            t.centerX = fit.centerX();
            t.centerY = fit.centerY();
            geo::setScale(t, *toWgs84_, 5000);
            fit.add(t.extent());
        }
    }
    geo::View target = view_;
    if (!fit.empty()) {
        target.fit(fit, 0.12);
        if (state_.presenting) target.resolution *= 1.15;  // room for the title box
    } else if (s.view.scale > 0) {
        target = viewFromProjectView(s.view);
    }
    for (const auto& t : {s.title, s.caption}) fonts_.addText(t);
    state_.selected = state_.hovered = FeatureRef{};
    if (animate)
        flyTo(target);
    else
        view_ = target;
    mapDirty_ = true;
}

void Viewer::gotoBookmark(size_t index) {
    if (index >= doc_.bookmarks().size()) return;
    geo::Bookmark b = doc_.bookmarks()[index];
    if (!b.crs.empty() && b.crs != doc_.displayCrs().definition() && b.crs != doc_.displayCrs().id()) {
        changeCrs(b.crs);  // a bookmark restores its display CRS too
        view_ = viewFromProjectView(b.view);
        return;
    }
    flyTo(viewFromProjectView(b.view));
}

void Viewer::enterPresentation() {
    if (doc_.slides().empty()) {
        doc_.report(Message::Warning, "no slides to present: add one or generate a story");
        return;
    }
    state_.presenting = true;
    state_.deck = geo::SlideDeck(doc_.slides().size());
    state_.savedLayers = state_.showLayers;
    state_.savedProjects = state_.showProjects;
    state_.savedLegend = state_.showLegend;
    state_.savedMessages = state_.showMessages;
    state_.savedSlides = state_.showSlides;
    state_.showLayers = state_.showProjects = state_.showLegend = state_.showMessages = state_.showSlides = false;
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
    state_.showLayers = state_.savedLayers;
    state_.showProjects = state_.savedProjects;
    state_.showLegend = state_.savedLegend;
    state_.showMessages = state_.savedMessages;
    state_.showSlides = state_.savedSlides;
    int catalog = findCatalogLayer(doc_.layers());
    if (catalog >= 0) doc_.layers()[catalog]->spotlightProjects({});
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

void Viewer::runPresentDemo(long frame) {
    // Smoke test of presentation mode: enter, step through every slide, leave.
    if (demoStart_ < 0) {
        if (doc_.loading() || doc_.slides().empty()) return;
        demoStart_ = frame;
        enterPresentation();
        return;
    }
    if (!state_.presenting) return;
    if ((frame - demoStart_) % 4 != 0) return;
    flight_.reset();
    if (state_.deck.index() == 1 && !demoShotTaken_) return;  // hold slide 2 for the screenshot
    if (!state_.deck.next()) {
        leavePresentation();
        return;
    }
    applySlide(state_.deck.index(), false);
}

}  // namespace app::ui::detail

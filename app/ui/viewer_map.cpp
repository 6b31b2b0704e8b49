// The viewer: navigation, picking, highlights, fly-to and display CRS changes.
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

void Viewer::handleInput() {
    ImGuiIO& io = ImGui::GetIO();
    float ratio = pixelRatio();
    NavInput in;
    in.mouseX = (io.MousePos.x - mapArea_.x) * ratio;
    in.mouseY = (io.MousePos.y - mapArea_.y) * ratio;
    handleSwipeDrag();
    if (!io.WantCaptureMouse && (mapArea_.contains(io.MousePos.x, io.MousePos.y) || ImGui::IsMouseDown(ImGuiMouseButton_Left))) {
        if (pickControlPoint_ >= 0) pickControlPoint(in.mouseX, in.mouseY);
        else handleTool(in.mouseX, in.mouseY);
    }
    if (!io.WantCaptureMouse && !toolWantsDrag()) {
        if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
            in.dragDX = io.MouseDelta.x * ratio;
            in.dragDY = io.MouseDelta.y * ratio;
        }
        in.wheel = io.MouseWheel;
    }
    if (!io.WantCaptureKeyboard) {
        in.left = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow));
        in.right = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow));
        in.up = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow));
        in.down = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow));
        in.zoomIn = ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD);
        in.zoomOut = ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT);
        if (!state_.presenting && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home))) actions_.zoomAll = true;
    }
    if (state_.presenting) in = NavInput{in.mouseX, in.mouseY, in.dragDX, in.dragDY, in.wheel};  // keys step slides
    if (flight_ && (in.wheel != 0 || in.dragDX != 0 || in.dragDY != 0)) flight_.reset();  // the user takes over
    if (applyNavigation(view_, in)) {
        mapDirty_ = true;
        interacting_ = true;
    } else if (interacting_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left) && !flight_) {
        // Settled. A cheap view already queued for the supersampled refinement (the last moving frame's) goes
        // straight to it: no multisampled redraw in between (20 ms of llvmpipe at 1:5000, 8 of them the
        // multisampled target alone, for a picture shown a fraction of a second), and no kRefineDelay. Other views
        // are redrawn once with 4x MSAA, whose time decides whether they are refined at all.
        interacting_ = false;
        if (refined_.pending() && lastQuickSeconds_ <= kDirectRefineSeconds)
            mapChangedAt_ = std::chrono::steady_clock::now() - kRefineDelay;
        else mapDirty_ = true;
    }
    interacting_ = stepFlight() || interacting_;
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) doc_.endGesture();  // a slider drag is one undo step
    if (!state_.presenting) updateHover();
    else state_.hovered = FeatureRef{};
}

void Viewer::globalKeys() {
    ImGuiIO& io = ImGui::GetIO();
    if (state_.presenting) {
        presentationKeys();
    } else if (!io.WantCaptureKeyboard) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
            // Esc takes back the shape being drawn, then the tool, then the selection.
            if (!state_.tools.points.empty() || state_.tools.textPending) setTool(state_.tools.tool);
            else if (state_.tools.tool != Tool::Navigate) setTool(Tool::Navigate);
            else actions_.select = FeatureRef{};
        }
        if (ImGui::IsKeyPressed(GLFW_KEY_F5, false)) actions_.startPresentation = true;
    }
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false)) actions_.save = true;
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) actions_.quit = true;
    if (io.KeyCtrl && !io.WantTextInput && ImGui::IsKeyPressed(GLFW_KEY_Z, false)) {
        if (io.KeyShift) actions_.redo = true;
        else actions_.undo = true;
    }
    if (io.KeyCtrl && !io.WantTextInput && ImGui::IsKeyPressed(GLFW_KEY_Y, false)) actions_.redo = true;
}

void Viewer::updateCursor() {
    ImGuiIO& io = ImGui::GetIO();
    float ratio = pixelRatio();
    const double sx = (io.MousePos.x - mapArea_.x) * ratio, sy = (io.MousePos.y - mapArea_.y) * ratio;
    double p[2] = {view_.screenToWorldX(sx), view_.screenToWorldY(sy)};
    double q[2] = {p[0], p[1]};
    state_.cursorValid = ImGui::IsMousePosValid() && mapArea_.contains(io.MousePos.x, io.MousePos.y) &&
                         toWgs84_->transform(p, 1) == 1 && toGk_->transform(q, 1) == 1;
    state_.cursorLon = p[0];
    state_.cursorLat = p[1];
    state_.cursorGkX = q[0];
    state_.cursorGkY = q[1];
    // A framebuffer pixel is a standard 0.28 mm screen pixel divided by the HiDPI ratio.
    state_.scaleDenominator = geo::scaleDenominator(view_, *toWgs84_, geo::kStandardPixelMeters / ratio);
}

void Viewer::updateHover() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantCaptureMouse || ImGui::IsMouseDragging(ImGuiMouseButton_Left) || !ImGui::IsMousePosValid()) {
        if (io.WantCaptureMouse) state_.hovered = FeatureRef{};
        return;
    }
    float ratio = pixelRatio();
    double mx = (io.MousePos.x - mapArea_.x) * ratio, my = (io.MousePos.y - mapArea_.y) * ratio;
    if (mx != lastMouseX_ || my != lastMouseY_ || mapDirty_) {
        lastMouseX_ = mx;
        lastMouseY_ = my;
        state_.hovered = FeatureRef{};
        const auto& layers = doc_.project().layers;
        for (size_t k = layers.size(); k-- > 0;) {  // topmost layer first
            const render::SceneLayer* s = doc_.scene().find(layers[k].id);
            if (!s) continue;
            if (auto f = doc_.scene().pick(*s, layers[k], view_, doc_.displayCrs(), mx, my, 4.0 * ratio)) {
                state_.hovered = FeatureRef{layers[k].id, static_cast<long>(*f)};
                break;
            }
        }
    }
    // A click (press and release without a drag) selects what is under the cursor, or clears.
    if (state_.tools.tool == Tool::Navigate && !swipeDragging_ && pickControlPoint_ < 0 && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
        io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f)
        actions_.select = state_.hovered;
}

// A selection names a layer and a row: gone when the layer is, or when its content was reloaded.
void Viewer::validateSelection() {
    auto valid = [&](const FeatureRef& r) {
        const render::SceneLayer* s = r.valid() ? doc_.scene().find(r.layer) : nullptr;
        return s && s->vectorData && static_cast<size_t>(r.feature) < s->vectorData->source.table.featureCount();
    };
    if (state_.selected.valid() && !valid(state_.selected)) {
        state_.selected = FeatureRef{};
        mapDirty_ = true;
    }
    if (state_.hovered.valid() && !valid(state_.hovered)) state_.hovered = FeatureRef{};
}

// Hover and selection, drawn over the cached map from the layer's own buffers in the current display CRS.
void Viewer::drawHighlights() {
    const render::Highlight hover{{255, 196, 0, 255}, 3.0f, false}, selected{{0, 150, 255, 255}, 4.0f, true};
    for (auto [ref, look] : {std::pair{state_.hovered, hover}, std::pair{state_.selected, selected}}) {  // selection on top
        if (!ref.valid()) continue;
        const render::SceneLayer* s = doc_.scene().find(ref.layer);
        if (!s || !s->gpuVector || !s->readyIn(doc_.displayCrs())) continue;
        renderer_->drawHighlight(view_, *s->gpuVector, static_cast<size_t>(ref.feature), look, pixelRatio());
    }
    drawSelectionHighlights();
}

// Rectangle and lasso selections, outlined from the layer's own buffers (at most a few hundred: each is a draw).
void Viewer::drawSelectionHighlights() {
    const SelectionSet& sel = state_.selection;
    const render::SceneLayer* s = sel.layer ? doc_.scene().find(sel.layer) : nullptr;
    if (!s || !s->gpuVector || !s->readyIn(doc_.displayCrs())) return;
    const render::Highlight look{{0, 150, 255, 255}, 2.5f, true};
    constexpr size_t kMaxDrawn = 500;
    for (size_t i = 0; i < sel.rows.size() && i < kMaxDrawn; ++i)
        renderer_->drawHighlight(view_, *s->gpuVector, sel.rows[i], look, pixelRatio());
}

// The view follows the document's display CRS (a switch, an undo of one, a bookmark): same centre and scale.
void Viewer::followDisplayCrs() {
    const geo::Crs& next = doc_.displayCrs();
    if (next == viewCrs_) return;
    geo::ProjectView here = currentProjectView();
    viewCrs_ = next;
    toWgs84_ = std::make_unique<geo::Transformer>(next, geo::Crs::wgs84());
    fromWgs84_ = std::make_unique<geo::Transformer>(geo::Crs::wgs84(), next);
    toGk_ = std::make_unique<geo::Transformer>(next, geo::Crs::fromUser("EPSG:4547"));
    view_ = render::frameForView(view_, here, next);
    flight_.reset();  // its path is in the old CRS
    mapDirty_ = true;
}

void Viewer::changeCrs(const std::string& code) {
    try {
        geo::Crs::fromUser(code);  // only a CRS PROJ knows goes into the project
    } catch (const geo::Error& e) {
        doc_.report(Message::Error, e.what());
        return;
    }
    doc_.apply(geo::cmd::setDisplayCrs(code));
    followDisplayCrs();
}

geo::ProjectView Viewer::currentProjectView() const {
    double c[2] = {view_.centerX, view_.centerY};
    toWgs84_->transform(c, 1);
    return {c[0], c[1], geo::scaleDenominator(view_, *toWgs84_)};
}

void Viewer::flyToFeature(const FeatureRef& ref) {
    geo::BBox box = doc_.scene().featureExtent(ref.layer, static_cast<size_t>(ref.feature), doc_.displayCrs());
    if (!box.empty()) flyTo(render::frameForFeature(view_, box, doc_.displayCrs()));
}

void Viewer::flyTo(const geo::View& to) {
    geo::View target = to;
    target.width = view_.width;
    target.height = view_.height;
    flight_.emplace(Flight{geo::FlightPath(view_, target), glfwGetTime()});
}

bool Viewer::stepFlight() {
    if (!flight_) return false;
    double d = flight_->path.duration();
    double u = d > 0 ? std::min(1.0, (glfwGetTime() - flight_->start) / d) : 1.0;
    double e = u * u * (3 - 2 * u);  // ease in and out along the van Wijk & Nuij path, as MapLibre does
    view_ = flight_->path.at(e);
    if (u >= 1.0) flight_.reset();
    mapDirty_ = true;
    return true;
}

}  // namespace app::ui::detail

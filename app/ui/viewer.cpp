// The interactive viewer: setup, the frame (input, panels, map redraw only when something changed, ImGui),
// picking and fly-to. Actions, presentation and project files live in viewer_*.cpp (see viewer_internal.hpp).
#include "ui/viewer.hpp"

#include "ui/viewer_internal.hpp"

namespace app::ui {

namespace detail {

void onDrop(GLFWwindow* window, int count, const char** paths) {
    auto* inbox = static_cast<WindowInbox*>(glfwGetWindowUserPointer(window));
    for (int i = 0; i < count; ++i) inbox->dropped.emplace_back(paths[i]);
}

Options parseOptions(int argc, char** argv) {
    cli::Args args(argc, argv, 1);
    Options o;
    o.projectPath = args.take("--project").value_or("");
    if (auto f = args.take("--frames")) o.frames = std::strtol(f->c_str(), nullptr, 10);
    o.screenshot = args.take("--screenshot").value_or("");
    o.select = args.take("--select").value_or("");
    o.presentDemo = args.flag("--present-demo");
    o.exportPath = args.take("--export").value_or("");
    o.layers = args.rest();
    return o;
}

// Everything the frame loop works on.

float Viewer::pixelRatio() const {
    int ww = 0, wh = 0, fw = 0, fh = 0;
    glfwGetWindowSize(window_, &ww, &wh);
    glfwGetFramebufferSize(window_, &fw, &fh);
    return ww > 0 ? static_cast<float>(fw) / static_cast<float>(ww) : 1.0f;
}

void Viewer::rebuildFontsIfNeeded() {
    std::vector<uint32_t> cps = doc_.takeNewCodepoints();
    if (!cps.empty()) fonts_.addCodepoints(cps);
    if (!fonts_.dirty()) return;
    ImGuiIO& io = ImGui::GetIO();
    float ratio = pixelRatio();
    std::string message;
    if (!fonts_.build(*io.Fonts, kBaseFontPx * ratio, message)) doc_.report(Message::Warning, message);
    io.FontGlobalScale = 1.0f / ratio;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void Viewer::setViewFromProject(const geo::ProjectView& pv) {
    if (pv.scale <= 0) {
        pendingFit_ = true;
        return;
    }
    double c[2] = {pv.lon, pv.lat};
    geo::Transformer(geo::Crs::wgs84(), doc_.displayCrs()).transform(c, 1);
    view_.centerX = c[0];
    view_.centerY = c[1];
    view_.resolution = 1;
    geo::setScale(view_, *toWgs84_, pv.scale);
    geo::setScale(view_, *toWgs84_, pv.scale);  // second pass: the first moved the measuring segment
}

void Viewer::changeCrs(const std::string& code) {
    geo::Crs next;
    try {
        next = geo::Crs::fromUser(code);
    } catch (const geo::Error& e) {
        doc_.report(Message::Error, e.what());
        return;
    }
    double scale = geo::scaleDenominator(view_, *toWgs84_);
    double c[2] = {view_.centerX, view_.centerY};
    toWgs84_->transform(c, 1);
    doc_.setDisplayCrs(next);
    toWgs84_ = std::make_unique<geo::Transformer>(next, geo::Crs::wgs84());
    toGk_ = std::make_unique<geo::Transformer>(next, geo::Crs::fromUser("EPSG:4547"));
    setViewFromProject({c[0], c[1], scale});
    mapDirty_ = true;
}

void Viewer::handleInput() {
    ImGuiIO& io = ImGui::GetIO();
    float ratio = pixelRatio();
    NavInput in;
    in.mouseX = io.MousePos.x * ratio;
    in.mouseY = io.MousePos.y * ratio;
    if (!io.WantCaptureMouse) {
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
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home))) actions_.zoomAll = true;
    }
    if (applyNavigation(view_, in)) {
        mapDirty_ = true;
        interacting_ = true;
    } else if (interacting_ && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        interacting_ = false;  // settled: redraw once at full quality
        mapDirty_ = true;
    }
}

void Viewer::updateCursor() {
    ImGuiIO& io = ImGui::GetIO();
    float ratio = pixelRatio();
    double p[2] = {view_.screenToWorldX(io.MousePos.x * ratio), view_.screenToWorldY(io.MousePos.y * ratio)};
    double q[2] = {p[0], p[1]};
    state_.cursorValid = ImGui::IsMousePosValid() && toWgs84_->transform(p, 1) == 1 && toGk_->transform(q, 1) == 1;
    state_.cursorLon = p[0];
    state_.cursorLat = p[1];
    state_.cursorGkX = q[0];
    state_.cursorGkY = q[1];
    state_.scaleDenominator = geo::scaleDenominator(view_, *toWgs84_);
}

void Viewer::drawMenu() {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("文件 File")) {
        if (ImGui::MenuItem("Open project...")) state_.openDialog = true;
        if (ImGui::MenuItem("Save project", "Ctrl+S")) actions_.save = true;
        if (ImGui::MenuItem("Export map...")) state_.showExport = true;
        if (ImGui::MenuItem("Save project as...")) {
            std::snprintf(state_.projectPath.data(), state_.projectPath.size(), "%s", doc_.path().c_str());
            state_.saveAsDialog = true;
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) actions_.quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("视图 View")) {
        if (ImGui::MenuItem("Zoom to all", "Home")) actions_.zoomAll = true;
        ImGui::MenuItem("图层 Layers", nullptr, &state_.showLayers);
        ImGui::MenuItem("项目 Projects", nullptr, &state_.showProjects);
        ImGui::MenuItem("图例 Legend", nullptr, &state_.showLegend);
        ImGui::MenuItem("演示 Bookmarks & slides", nullptr, &state_.showSlides);
        if (ImGui::MenuItem("Present", "F5")) actions_.startPresentation = true;
        int count = 0;
        GLFWmonitor** monitors = glfwGetMonitors(&count);
        if (count > 0 && ImGui::BeginMenu("Present on monitor")) {
            for (int i = 0; i < count; ++i) {
                const char* name = glfwGetMonitorName(monitors[i]);
                std::string label = std::to_string(i + 1) + ": " + (name ? name : "monitor");
                if (ImGui::MenuItem(label.c_str(), nullptr, state_.presentMonitor == i)) state_.presentMonitor = i;
            }
            ImGui::EndMenu();
        }
        ImGui::MenuItem("消息 Messages", nullptr, &state_.showMessages);
        if (ImGui::BeginMenu("Display CRS")) {
            for (auto& [code, label] : displayCrsChoices())
                if (ImGui::MenuItem(label, nullptr, doc_.displayCrs().id() == code)) actions_.setCrs = code;
            ImGui::EndMenu();
        }
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void Viewer::drawAttribution() {
    std::set<std::string> seen;
    std::string text;
    for (const auto& l : doc_.layers())
        if (l->config.visible && !l->config.attribution.empty() && seen.insert(l->config.attribution).second)
            text += (text.empty() ? "" : " | ") + l->config.attribution;
    if (text.empty()) return;
    ImGuiIO& io = ImGui::GetIO();
    ImVec2 size = ImGui::CalcTextSize(text.c_str());
    // Above the status bar; in a presentation, above the scale bar and slide counter.
    float bottom = io.DisplaySize.y - (state_.presenting ? 90.0f : ImGui::GetFrameHeightWithSpacing() + 8);
    ImVec2 pos(io.DisplaySize.x - size.x - 8, bottom - size.y);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->AddRectFilled(ImVec2(pos.x - 4, pos.y - 2), ImVec2(pos.x + size.x + 4, pos.y + size.y + 2),
                      IM_COL32(255, 255, 255, 190));
    dl->AddText(pos, IM_COL32(60, 60, 60, 255), text.c_str());
}

void Viewer::updateHover() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantCaptureMouse || ImGui::IsMouseDragging(ImGuiMouseButton_Left) || !ImGui::IsMousePosValid()) {
        if (io.WantCaptureMouse) state_.hovered = FeatureRef{};
        return;
    }
    float ratio = pixelRatio();
    double mx = io.MousePos.x * ratio, my = io.MousePos.y * ratio;
    if (mx != lastMouseX_ || my != lastMouseY_ || mapDirty_) {
        lastMouseX_ = mx;
        lastMouseY_ = my;
        state_.hovered = FeatureRef{};
        auto& layers = doc_.layers();
        for (size_t k = layers.size(); k-- > 0;)  // topmost layer first
            if (auto f = layers[k]->pick(view_, doc_.displayCrs(), mx, my, 4.0 * ratio)) {
                state_.hovered = FeatureRef{static_cast<int>(k), static_cast<long>(*f)};
                break;
            }
    }
    // A click (press and release without a drag) selects what is under the cursor, or clears.
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f)
        actions_.select = state_.hovered;
}

void Viewer::updateHighlights() {
    auto build = [&](const FeatureRef& ref, geo::Rgba color, float width, bool fill) -> std::unique_ptr<render::Highlight> {
        if (!ref.valid() || ref.layer >= static_cast<int>(doc_.layers().size())) return nullptr;
        const auto& slot = *doc_.layers()[ref.layer];
        if (!slot.vectorData) return nullptr;
        try {
            return render::makeHighlight(*slot.vectorData, ref.feature, doc_.displayCrs(), color, width, fill);
        } catch (const std::exception&) {
            return nullptr;
        }
    };
    if (!(state_.hovered == hoverShown_) || (state_.hovered.valid() && !hoverHighlight_)) {
        hoverShown_ = state_.hovered;
        hoverHighlight_ = build(state_.hovered, geo::Rgba{255, 196, 0, 255}, 3.0f, false);
    }
    if (!(state_.selected == selectedShown_) || (state_.selected.valid() && !selectedHighlight_)) {
        selectedShown_ = state_.selected;
        selectedHighlight_ = build(state_.selected, geo::Rgba{0, 150, 255, 255}, 4.0f, true);
    }
}

void Viewer::startFlight(const geo::BBox& target) {
    geo::View to = view_;
    to.fit(target, 0.3);
    // A point (or a tiny site) is shown at 1:5000, anything else no closer than 1:2000.
    const bool point = target.width() <= 0 && target.height() <= 0;
    if (point || geo::scaleDenominator(to, *toWgs84_) < 2000) {
        to.centerX = target.centerX();
        to.centerY = target.centerY();
        to.resolution = view_.resolution;
        geo::setScale(to, *toWgs84_, point ? 5000 : 2000);
    }
    flyTo(to);
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

void Viewer::frame() {
    auto t0 = std::chrono::steady_clock::now();
    jobs_.pump();
    if (doc_.takeChanged()) {
        mapDirty_ = true;
        std::string names;  // layer names and credits are shown too: the font must cover them
        for (const auto& l : doc_.layers()) names += l->config.name + l->config.attribution;
        fonts_.addText(names);
    }
    if (doc_.takeFirstLoad()) {
        savedSnapshot_ = snapshot();  // the project as opened: later edits are "unsaved changes"
        for (const auto& sl : doc_.slides()) fonts_.addText(sl.title + sl.caption);
        for (const auto& b : doc_.bookmarks()) fonts_.addText(b.name);
        if (pendingFit_) actions_.zoomAll = true;
        if (!options_.select.empty()) selectProjectById(options_.select);
        if (!options_.exportPath.empty()) {
            std::snprintf(state_.exportPath.data(), state_.exportPath.size(), "%s", options_.exportPath.c_str());
            state_.exportWidth = 2600;  // three tiles wide: exercises the per-frame tiling
            state_.exportHeight = 1400;
            state_.showExport = true;
            actions_.startExport = true;
        }
    }
    rebuildFontsIfNeeded();

    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window_, &fw, &fh);
    if (fw != view_.width || fh != view_.height) {
        view_.width = std::max(1, fw);
        view_.height = std::max(1, fh);
        mapDirty_ = true;
    }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    handleInput();
    if (flight_ && (ImGui::GetIO().MouseWheel != 0 || ImGui::IsMouseDragging(ImGuiMouseButton_Left))) flight_.reset();
    interacting_ = stepFlight() || interacting_;
    updateCursor();
    if (!state_.presenting) updateHover();
    else state_.hovered = FeatureRef{};
    const bool keys = !ImGui::GetIO().WantCaptureKeyboard;
    if (state_.presenting) {
        presentationKeys();
    } else if (keys) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) actions_.select = FeatureRef{};
        if (ImGui::IsKeyPressed(GLFW_KEY_F5, false)) actions_.startPresentation = true;
    }
    if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false)) actions_.save = true;
    if (!state_.presenting) drawMenu();
    drawProjectDialogs();
    if (!state_.presenting) drawExportDialog();
    if (state_.presenting) {
        PresentInfo info;
        info.index = state_.deck.index();
        info.count = doc_.slides().size();
        info.slide = info.index < info.count ? &doc_.slides()[info.index] : nullptr;
        info.metersPerPixel = geo::groundResolution(view_, *toWgs84_) * pixelRatio();
        drawPresentationOverlay(state_, info, doc_.layers());
    }
    if (state_.showSlides)
        drawSlidesPanel(state_, doc_.bookmarks(), doc_.slides(), findCatalogLayer(doc_.layers()) >= 0, actions_);
    if (state_.showLayers) drawLayersPanel(state_, doc_.layers(), actions_);
    if (state_.showProjects) drawProjectsPanel(state_, doc_.layers(), actions_);
    if (state_.showLegend) drawLegendPanel(state_, doc_.layers());
    if (!state_.presenting) {  // presentation shows only the map and its overlay
        drawInfoCard(state_, doc_.layers(), actions_);
        drawAttributeTable(state_, doc_.layers(), actions_);
        if (state_.showMessages) drawMessagesPanel(state_, doc_.messages());
        drawStatusBar(state_, doc_.layers(), doc_.displayCrs(), actions_);
    }
    drawAttribution();
    if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q)) actions_.quit = true;
    ImGui::Render();

    if (pendingFit_ && doc_.loading() == 0) {
        geo::BBox all = render::combinedExtent(doc_.layers(), true);
        if (!all.empty()) view_.fit(all);
        pendingFit_ = false;
        mapDirty_ = true;
    }
    if (!interacting_) doc_.refreshRasterDetail(view_);
    if (mapDirty_) {
        // Multisampling roughly doubles a software-rendered frame: skip it while the view moves.
        mapTarget_.ensure(view_.width, view_.height, interacting_ ? 1 : 4);
        render::LabelPlan labels = renderer_->planLabels(
            view_,
            render::collectLabels(doc_.layers(), view_, doc_.displayCrs(), state_.selected.layer, state_.selected.feature),
            pixelRatio());
        renderer_->render(mapTarget_, view_, render::drawItems(doc_.layers()), kSea, pixelRatio(), &labels);
        mapDirty_ = false;
    }
    mapTarget_.blitTo(0, view_.width, view_.height);
    glViewport(0, 0, fw, fh);
    updateHighlights();
    std::vector<render::DrawItem> overlay;
    for (const auto* h : {hoverHighlight_.get(), selectedHighlight_.get()})  // selection on top
        if (h) overlay.push_back({h->gpu.get(), nullptr, nullptr, &h->style, 1.0f});
    if (!overlay.empty()) {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        renderer_->drawOverlay(view_, overlay, pixelRatio());
    }
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    applyActions();
    stepExport();  // one tile per frame: the UI keeps drawing during long exports
    state_.frameMs = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

int Viewer::run(const geo::Project& project, const std::string& projectPath) {
    glfwSetWindowUserPointer(window_, &inbox_);
    glfwSetDropCallback(window_, onDrop);
    renderer_ = std::make_unique<render::MapRenderer>();
    doc_.open(project, projectPath);
    for (const auto& p : options_.layers) actions_.addPaths.push_back(p);
    toWgs84_ = std::make_unique<geo::Transformer>(doc_.displayCrs(), geo::Crs::wgs84());
    toGk_ = std::make_unique<geo::Transformer>(doc_.displayCrs(), geo::Crs::fromUser("EPSG:4547"));
    glfwGetFramebufferSize(window_, &view_.width, &view_.height);
    setViewFromProject(project.view);
    size_t errorsSeen = 0;
    long frames = 0;
    while (!quit_) {
        if (glfwWindowShouldClose(window_)) {
            glfwSetWindowShouldClose(window_, GLFW_FALSE);
            actions_.quit = true;  // asks first when there are unsaved changes
        }
        // Sleep while idle; wake for input or every 50 ms while loading (progress bars move).
        if (options_.frames < 0) {
            if (doc_.loading() || jobs_.running())
                glfwWaitEventsTimeout(0.05);
            else
                glfwWaitEventsTimeout(0.5);
        } else {
            glfwPollEvents();
        }
        frame();
        if (options_.presentDemo) runPresentDemo(frames);
        size_t errors = 0;
        for (const auto& m : doc_.messages()) errors += m.level == Message::Error;
        if (errors > errorsSeen) {
            for (size_t i = 0; i < doc_.messages().size(); ++i) {
                const auto& m = doc_.messages()[i];
                if (m.level == Message::Error && i >= doc_.messages().size() - (errors - errorsSeen))
                    std::fprintf(stderr, "planatlas: error: %s\n", m.text.c_str());
            }
            if (!state_.showMessages) state_.unreadErrors += errors - errorsSeen;
            errorsSeen = errors;
        }
        ++frames;
        bool last = options_.frames >= 0 && frames >= options_.frames && doc_.loading() == 0 && jobs_.pending() == 0 &&
                    !mapDirty_ && !flight_ && !export_ && (!options_.presentDemo || (demoStart_ >= 0 && !state_.presenting));
        // The demo's picture is a slide in presentation mode; otherwise the last frame.
        bool demoShot = options_.presentDemo && state_.presenting && state_.deck.index() == 1 && !demoShotTaken_ &&
                        !mapDirty_ && jobs_.pending() == 0;
        if (demoShot) demoShotTaken_ = true;
        if (((last && !options_.presentDemo) || demoShot) && !options_.screenshot.empty()) {
            std::vector<uint8_t> rgba(size_t(view_.width) * view_.height * 4), flipped(rgba.size());
            glReadBuffer(GL_BACK);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadPixels(0, 0, view_.width, view_.height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
            size_t stride = size_t(view_.width) * 4;
            for (int y = 0; y < view_.height; ++y)
                std::memcpy(&flipped[stride * y], &rgba[stride * (view_.height - 1 - y)], stride);
            for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
            geo::writePng(options_.screenshot, view_.width, view_.height, flipped);
        }
        glfwSwapBuffers(window_);
        if (last) break;
        if (options_.frames >= 0 && frames > options_.frames + 2000) {
            std::fprintf(stderr, "planatlas: --frames: still loading or presenting after %ld frames\n", frames);
            return 1;
        }
    }
    jobs_.cancelAll();
    return 0;
}

}  // namespace detail

namespace {
void glfwError(int code, const char* text) {
    // Reported by runViewer when it matters; keep GLFW quiet otherwise.
    (void)code;
    (void)text;
}

}  // namespace

int runViewer(int argc, char** argv) {
    detail::Options options;
    geo::Project project;
    std::string projectPath;
    try {
        options = detail::parseOptions(argc, argv);
        projectPath = options.projectPath.empty() ? platform::defaultProjectPath() : options.projectPath;
        project = geo::loadProject(projectPath);
        geo::Crs::fromUser(project.displayCrs);
    } catch (const cli::UsageError& e) {
        std::fprintf(stderr, "planatlas: %s (see planatlas --help)\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "planatlas: error: %s\n", e.what());
        return 1;
    }

    glfwSetErrorCallback(glfwError);
    if (!glfwInit()) {
        std::fprintf(stderr,
                     "planatlas: no display to open a window on (DISPLAY/WAYLAND_DISPLAY unset or unreachable); "
                     "use 'planatlas render --out map.png' for a headless PNG, or run the viewer under "
                     "'xvfb-run planatlas'\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    std::string title = "Plan Atlas — " + (project.title.empty() ? projectPath : project.title);
    GLFWwindow* window = glfwCreateWindow(1400, 900, title.c_str(), nullptr, nullptr);
    if (!window) {
        const char* why = nullptr;
        glfwGetError(&why);
        std::fprintf(stderr, "planatlas: cannot create an OpenGL 3.3 window (%s)\n", why ? why : "unknown reason");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(options.frames >= 0 ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsLight();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    int rc = 1;
    try {
        detail::Viewer viewer(window, options);
        rc = viewer.run(project, projectPath);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "planatlas: error: %s\n", e.what());
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return rc;
}

}  // namespace app::ui
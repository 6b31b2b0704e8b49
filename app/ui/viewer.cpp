// The interactive viewer: setup, the main loop and the frame (the entry point, runViewer, is in viewer_main.cpp).
// See viewer_internal.hpp for the other files.
#include "ui/viewer.hpp"

#include "cli/reach_check.hpp"
#include "ui/viewer_internal.hpp"

namespace app::ui {

namespace detail {

Options parseOptions(int argc, char** argv) {
    cli::Args args(argc, argv, 1);
    Options o;
    o.projectPath = args.take("--project").value_or("");
    if (auto f = args.take("--frames")) o.frames = std::strtol(f->c_str(), nullptr, 10);
    o.screenshot = args.take("--screenshot").value_or("");
    o.select = args.take("--select").value_or("");
    o.presentDemo = args.flag("--present-demo");
    o.exportPath = args.take("--export").value_or("");
    o.toolsDemo = args.take("--tools-demo").value_or("");
    o.recover = args.flag("--recover");
    o.recoverList = args.flag("--list");
    o.offline = args.flag("--offline");
    o.autosaveDemo = args.take("--autosave-demo").value_or("");
    o.recoveryAnswer = args.take("--recovery-answer").value_or("");
    o.reachAnswer = args.take("--reach-answer").value_or("");
    o.saveAs = args.take("--save-as").value_or("");
    o.layers = args.rest();
    if (o.recoverList && !o.recover) throw cli::UsageError("--list goes with --recover");
    if (!o.recoveryAnswer.empty() && o.recoveryAnswer != "restore" && o.recoveryAnswer != "discard")
        throw cli::UsageError("--recovery-answer is restore or discard");
    if (!o.autosaveDemo.empty() && o.autosaveDemo != "wait" && o.autosaveDemo != "exit")
        throw cli::UsageError("--autosave-demo is wait (until killed) or exit");
    if (!o.reachAnswer.empty() && o.reachAnswer != "allow" && o.reachAnswer != "deny")
        throw cli::UsageError("--reach-answer is allow or deny");
    return o;
}

// Smoke runs autosave only when a test asks (--autosave-demo): their edits are not the user's.
Viewer::Viewer(GLFWwindow* window, Options options)
    : window_(window),
      options_(std::move(options)),
      doc_(pool_),
      smoke_(options_),
      autosave_(platform::stateDir(), options_.frames >= 0 && options_.autosaveDemo.empty() ? 0.0 : autosaveInterval()) {
    loadSettings();
    doc_.setOffline(options_.offline);
}

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
    if (!fonts_.build(*io.Fonts, kBaseFontPx * ratio * uiScale_, message)) doc_.report(Message::Warning, message);
    io.FontGlobalScale = 1.0f / ratio;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void Viewer::drawMenu() {
    drawSettingsAndHelp();  // Settings, Shortcuts (F1), About
    if (!ImGui::BeginMainMenuBar()) return;
    drawFileMenu();
    drawEditMenu();
    drawViewMenu();
    drawBasemapMenu();
    drawToolsMenu();
    drawHelpMenu();
    ImGui::EndMainMenuBar();
}

void Viewer::drawFileMenu() {
    if (!ImGui::BeginMenu(menuLabel("File").c_str())) return;
    if (ImGui::MenuItem(menuLabel("Open project...").c_str())) actions_.browse = Browse::OpenProject;
    drawFileMenuItems();  // Recent projects, Add layer
    if (ImGui::MenuItem(menuLabel("Save project").c_str(), "Ctrl+S")) actions_.save = true;
    if (ImGui::MenuItem(menuLabel("Save project as...").c_str())) actions_.browse = Browse::SaveProjectAs;
    if (ImGui::MenuItem(menuLabel("Export map...").c_str())) state_.showExport = true;
    if (ImGui::MenuItem(menuLabel("Pack basemap for a meeting...").c_str())) basemap_.showPack = true;
    ImGui::Separator();
    if (ImGui::MenuItem(menuLabel("Settings...").c_str())) state_.showSettings = true;
    ImGui::Separator();
    if (ImGui::MenuItem(menuLabel("Quit").c_str(), "Ctrl+Q")) actions_.quit = true;
    ImGui::EndMenu();
}

void Viewer::drawViewMenu() {
    if (!ImGui::BeginMenu(menuLabel("View").c_str())) return;
    SidebarLayout& l = state_.layout;
    if (ImGui::MenuItem(menuLabel("Zoom to all").c_str(), "Home")) actions_.zoomAll = true;
    ImGui::Separator();
    auto leftTab = [&](const char* name, LeftTab t) {
        if (!ImGui::MenuItem(menuLabel(name).c_str(), nullptr, l.leftOpen && l.leftTab == t)) return;
        l.leftOpen = l.selectLeftTab = true;
        l.leftTab = t;
    };
    auto rightTab = [&](const char* name, RightTab t) {
        if (!ImGui::MenuItem(menuLabel(name).c_str(), nullptr, l.rightOpen && l.rightTab == t)) return;
        l.rightOpen = l.selectRightTab = true;
        l.rightTab = t;
    };
    leftTab("Layers", LeftTab::Layers);
    leftTab("Projects", LeftTab::Projects);
    leftTab("Slides", LeftTab::Slides);
    rightTab("Info", RightTab::Info);
    rightTab("Legend", RightTab::Legend);
    ImGui::MenuItem(menuLabel("Left sidebar").c_str(), nullptr, &l.leftOpen);
    ImGui::MenuItem(menuLabel("Right inspector").c_str(), nullptr, &l.rightOpen);
    ImGui::MenuItem(menuLabel("Messages").c_str(), nullptr, &state_.showMessages);
    ImGui::Separator();
    if (ImGui::MenuItem(menuLabel("Present").c_str(), "F5")) actions_.startPresentation = true;
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    if (count > 0 && ImGui::BeginMenu(menuLabel("Present on monitor").c_str())) {
        for (int i = 0; i < count; ++i) {
            const char* name = glfwGetMonitorName(monitors[i]);
            std::string label = std::to_string(i + 1) + ": " + (name ? name : tr("monitor"));
            if (ImGui::MenuItem(label.c_str(), nullptr, state_.presentMonitor == i)) state_.presentMonitor = i;
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(menuLabel("Display CRS").c_str())) {
        for (auto& [code, label] : displayCrsChoices())
            if (ImGui::MenuItem(label, nullptr, doc_.displayCrs().id() == code)) actions_.setCrs = code;
        // Any CRS PROJ knows: an EPSG code, or a local transverse Mercator as a PROJ string.
        ImGui::Separator();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
        const bool enter = ImGui::InputTextWithHint("##customcrs", tr("custom: EPSG:32650 or +proj=..."),
                                                    state_.customCrs.data(), state_.customCrs.size(),
                                                    ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::SameLine();
        if ((ImGui::SmallButton(tr("Use")) || enter) && state_.customCrs[0]) actions_.setCrs = std::string(state_.customCrs.data());
        ImGui::EndMenu();
    }
    ImGui::EndMenu();
}

void Viewer::drawEditMenu() {
    if (!ImGui::BeginMenu(menuLabel("Edit").c_str())) return;
    const geo::History& h = doc_.history();
    std::string undo = std::string(tr("Undo")) + " " + h.undoLabel() + "###undo";
    std::string redo = std::string(tr("Redo")) + " " + h.redoLabel() + "###redo";
    if (ImGui::MenuItem(undo.c_str(), "Ctrl+Z", false, h.canUndo())) actions_.undo = true;
    if (ImGui::MenuItem(redo.c_str(), "Ctrl+Shift+Z", false, h.canRedo())) actions_.redo = true;
    ImGui::EndMenu();
}

void Viewer::drawAttribution() {
    std::string text = render::creditsText(doc_.project(), doc_.scene(), doc_.displayCrs());
    if (text.empty()) return;
    ImVec2 size = ImGui::CalcTextSize(text.c_str());
    // At the map's lower right corner; in a presentation, above the scale bar and slide counter.
    float bottom = mapArea_.y + mapArea_.h - (state_.presenting ? 90.0f : 8.0f);
    ImVec2 pos(mapArea_.x + mapArea_.w - size.x - 8, bottom - size.y);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->AddRectFilled(ImVec2(pos.x - 4, pos.y - 2), ImVec2(pos.x + size.x + 4, pos.y + size.y + 2),
                      IM_COL32(255, 255, 255, 190));
    dl->AddText(pos, IM_COL32(60, 60, 60, 255), text.c_str());
}

void Viewer::drawPanels() {
    const PanelContext ctx = context();
    if (state_.presenting) {
        PresentInfo info;
        info.index = state_.deck.index();
        info.count = doc_.project().slides.size();
        info.slide = info.index < info.count ? &doc_.project().slides[info.index] : nullptr;
        info.metersPerPixel = geo::groundResolution(view_, *toWgs84_) * pixelRatio();
        drawPresentationOverlay(state_, info, ctx);
    } else {
        drawMenu();
        drawExportDialog();
    }
    drawProjectDialogs();
    if (!state_.presenting) {  // presentation shows only the map and its overlay
        drawSidebars(state_, ctx, actions_, ImGui::GetFrameHeight(), statusBarHeight());
        drawAttributeTable(state_, ctx, actions_);
        if (state_.showMessages) drawMessagesPanel(state_, doc_.messages(), actions_);
        drawStatusBar(state_, ctx, actions_);
        drawSelectionWindow();
        drawSwipeWindow();
        drawConflictWindow();
        drawControlPointsWindow();
        drawBasemapWindows();
    }
    drawMapOverlay();
    drawToolbar();
    drawMeasureWindow();
    drawNoteEditor();
    drawTimelineBar();
    drawAttribution();
    // Last: a modal opened in a frame must come after every window that frame begins for the first time (ImGui
    // 1.86 asserts on a new window behind a modal it has not yet drawn).
    drawRecoveryPrompt();
    drawReachPrompt();
}

// The map takes the window between the menu bar, the status bar and the sidebars (all of it when presenting).
void Viewer::updateMapArea() {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    mapArea_ = mapArea(state_.layout, display.x, display.y, ImGui::GetFrameHeight(), statusBarHeight(), state_.presenting);
    const float r = pixelRatio();
    const int w = std::max(1, static_cast<int>(std::lround(mapArea_.w * r)));
    const int h = std::max(1, static_cast<int>(std::lround(mapArea_.h * r)));
    if (w != view_.width || h != view_.height) {
        view_.width = w;
        view_.height = h;
        mapDirty_ = true;
    }
}

void Viewer::redrawMap() {
    if (pendingFit_ && doc_.loading() == 0) {
        geo::BBox all = doc_.scene().combinedExtent(doc_.project(), doc_.displayCrs(), true);
        if (!all.empty()) view_.fit(all);
        pendingFit_ = false;
        mapDirty_ = true;
    }
    if (!interacting_) {
        doc_.refreshRasterDetail(view_);
        doc_.refreshDatabaseWindows(view_);
    }
    if (doc_.prepareTiles(view_)) mapDirty_ = true;
    const bool redraw = mapDirty_;
    if (redraw) drawQuickMap();
    else if (!interacting_ && std::chrono::steady_clock::now() - mapChangedAt_ >= kRefineDelay)
        refined_.step(*renderer_, kRefineFrameBudget);
    // Heavy layers' images are drawn every frame, moving or not, after the map (so the work is for this view's
    // images), in what the frame has left (after adopting layers and the map's redraw).
    if (layerImages_.pending()) {
        glFinish();  // the map's drawing counts as this frame's time, not as the next image tile's
        if (layerImages_.step(*renderer_, std::chrono::steady_clock::now() - frameStart_)) mapDirty_ = true;
    }
}

// The changed view at once (4x MSAA, none while moving), heavy layers from their images; its supersampled
// refinement starts over.
void Viewer::drawQuickMap() {
    const auto now = std::chrono::steady_clock::now();
    // Multisampling roughly doubles a software-rendered frame: skip it while the view moves.
    mapTarget_.ensure(view_.width, view_.height, interacting_ ? 1 : 4);
    renderer_->setSupersample(1);
    const auto& scene = doc_.scene();
    const double scale = geo::scaleDenominator(view_, *toWgs84_, geo::kStandardPixelMeters / pixelRatio());
    render::LabelPlan labels = renderer_->planLabels(
        view_,
        scene.collectLabels(doc_.project(), view_, doc_.displayCrs(), state_.selected.layer, state_.selected.feature,
                            scale),
        pixelRatio());
    std::vector<render::DrawItem> items = scene.drawItems(doc_.project(), doc_.displayCrs(), scale);
    if (const geo::Swipe* swipe = activeSwipe(); swipe && swipe->enabled)
        render::applySwipe(items, doc_.project(), *swipe, view_.screenToWorldX(swipePosition() * view_.width));
    layerImages_.apply(items, view_, pixelRatio());
    renderer_->render(mapTarget_, view_, items, kSea, pixelRatio(), &labels);
    glFinish();  // llvmpipe rasterizes on its own threads: the frame's cost includes that (the blit waits for it anyway)
    const double quickSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - now).count();
    lastQuickSeconds_ = quickSeconds;
    mapDirty_ = false;
    mapChangedAt_ = now;
    // The supersampled redraw of this view starts over; the quick frame shows until it is complete. Not while a
    // heavy layer's image is still being drawn (it would bake in a stand-in): its completion redraws the map.
    if (quickSeconds > kRefineBudgetSeconds || renderer_->outputSupersample() <= 1 || layerImages_.pending())
        refined_.cancel();
    else refined_.start(view_, std::move(items), std::move(labels), kSea, pixelRatio());
}

void Viewer::frame() {
    const auto t0 = frameStart_ = std::chrono::steady_clock::now();
    pool_.pump();
    doc_.update();
    followDisplayCrs();
    validateSelection();
    validateSelectionSet();
    measureSelected();
    stepTimelinePlay();
    if (doc_.takeChanged()) {
        mapDirty_ = true;
        std::string names;  // layer names, credits, slides and bookmarks are shown too: the font must cover them
        for (const auto& l : doc_.project().layers) names += l.name + l.attribution;
        for (const auto& sl : doc_.project().slides) names += sl.title + sl.caption;
        for (const auto& b : doc_.project().bookmarks) names += b.name;
        for (const auto& m : doc_.project().markup) names += m.text;
        fonts_.addText(names);
    }
    if (doc_.takeFirstLoad()) {
        // The project as opened: later edits are "unsaved changes"; a restored one is unsaved against its file.
        savedSnapshot_ = recoveredBaseline_.empty() ? snapshot() : recoveredBaseline_;
        if (pendingFit_) actions_.zoomAll = true;
        smoke_.onFirstLoad(*this);
    }
    rebuildFontsIfNeeded();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    updateMapArea();
    handleInput();
    updateCursor();
    globalKeys();
    drawPanels();
    ImGui::Render();
    redrawMap();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window_, &fw, &fh);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, fw, fh);
    glClearColor(0.94f, 0.94f, 0.94f, 1.0f);  // under the sidebars' edges
    glClear(GL_COLOR_BUFFER_BIT);
    const int mapX = static_cast<int>(std::lround(mapArea_.x * pixelRatio()));
    const int mapY = fh - static_cast<int>(std::lround(mapArea_.y * pixelRatio())) - view_.height;  // GL: from below
    (refined_.complete() ? refined_.image() : mapTarget_).blitTo(0, mapX, mapY);
    glViewport(mapX, mapY, view_.width, view_.height);
    drawHighlights();
    glViewport(0, 0, fw, fh);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    applyActions();
    stepAutosave();
    stepExport();  // one tile per frame: the UI keeps drawing during long exports
    state_.frameMs = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// New errors go to stderr too (the command line hears what the UI shows) and count as unread.
void Viewer::reportNewErrors() {
    const auto& messages = doc_.messages();
    size_t errors = 0;
    for (const auto& m : messages) errors += m.level == Message::Error;
    if (errors <= errorsSeen_) {
        errorsSeen_ = errors;  // old messages scrolled out or were cleared
        return;
    }
    std::vector<const Message*> fresh;
    for (size_t i = messages.size(); i-- > 0 && fresh.size() < errors - errorsSeen_;)
        if (messages[i].level == Message::Error) fresh.push_back(&messages[i]);
    for (size_t i = fresh.size(); i-- > 0;) std::fprintf(stderr, "planatlas: error: %s\n", fresh[i]->text.c_str());
    if (!state_.showMessages) state_.unreadErrors += fresh.size();
    errorsSeen_ = errors;
}

int Viewer::run(const geo::Project& project, const std::string& projectPath) {
    glfwSetWindowUserPointer(window_, &dropped_);
    glfwSetDropCallback(window_, [](GLFWwindow* w, int count, const char** paths) {
        auto* dropped = static_cast<std::vector<std::string>*>(glfwGetWindowUserPointer(w));
        for (int i = 0; i < count; ++i) dropped->emplace_back(paths[i]);
    });
    renderer_ = std::make_unique<render::MapRenderer>();
    applyLanguage();
    for (const auto& text : allTranslations()) fonts_.addText(text);  // either language, no tofu
    prepareReach(project, projectPath);  // before the document reads any source
    doc_.open(project, projectPath);
    rememberProject(projectPath);  // File > Recent
    if (!options_.recoveredFile.empty()) {  // --recover: this session carries the file on
        autosave_.adopt(options_.recoveredFile);
        try {
            recoveredBaseline_ = "(no saved file)";
            if (!projectPath.empty()) recoveredBaseline_ = snapshotOf(geo::loadProject(projectPath));
        } catch (const geo::Error&) {
        }
    }
    // What crashed or killed sessions left; smoke runs are offered it only when a test answers.
    if (!smoke_.active() || !options_.recoveryAnswer.empty()) queueRecoveryOffers("");
    for (const auto& p : options_.layers) actions_.addPaths.push_back(p);
    viewCrs_ = doc_.displayCrs();
    toWgs84_ = std::make_unique<geo::Transformer>(viewCrs_, geo::Crs::wgs84());
    fromWgs84_ = std::make_unique<geo::Transformer>(geo::Crs::wgs84(), viewCrs_);
    measurer_ = std::make_unique<geo::Measurer>();
    toGk_ = std::make_unique<geo::Transformer>(viewCrs_, geo::Crs::fromUser("EPSG:4547"));
    if (project.view.scale > 0) view_ = render::frameForView(view_, project.view, viewCrs_);
    else pendingFit_ = true;
    while (!quit_) {
        if (glfwWindowShouldClose(window_)) {
            glfwSetWindowShouldClose(window_, GLFW_FALSE);
            actions_.quit = true;  // asks first when there are unsaved changes
        }
        // Sleep while idle; wake for input or every 50 ms while loading (progress bars move).
        if (smoke_.active()) glfwPollEvents();
        else glfwWaitEventsTimeout(doc_.loading() || pool_.pending() || export_ || dialogs_.pending() || doc_.tilesBusy() ||
                                           refined_.pending() || layerImages_.pending()
                                       ? 0.02
                                       : 0.5);
        pumpDialogs();  // a chosen file becomes an action of this frame
        frame();
        reportNewErrors();
        const bool over = smoke_.afterFrame(*this);
        glfwSwapBuffers(window_);
        if (over) {
            autosave_.forget(doc_.path());  // a clean exit
            return smoke_.exitCode();
        }
    }
    pool_.cancelAll();
    autosave_.forget(doc_.path());  // a clean exit: the changes were saved or discarded at the prompt
    return 0;
}

}  // namespace detail

}  // namespace app::ui

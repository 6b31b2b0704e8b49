// The viewer: the user's settings (load, save, apply), File > Recent and Add layer, the Help menu and windows, and
// the native file dialogs with their typed-path fallback.
#include "platform/tile_setup.hpp"
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

namespace {

// Menu and message text, in one place (File > Open, Save as and Settings are in viewer.cpp's drawFileMenu).
constexpr const char* kRecent = "Recent projects";
constexpr const char* kNoRecent = "(none yet)";
constexpr const char* kClearRecent = "Clear the list";
constexpr const char* kAddLayer = "Add layer...";
constexpr const char* kSettings = "Settings...";
constexpr const char* kHelp = "Help";
constexpr const char* kShortcuts = "Shortcuts";
constexpr const char* kAbout = "About Plan Atlas";
constexpr const char* kAddLayerPopup = "Add layer";
constexpr const char* kAdd = "Add";
constexpr const char* kCancel = "Cancel";
constexpr const char* kLayerPathHint = "path of a GIS file (PATH@LAYER picks one layer)";
constexpr const char* kDialogTitleOpen = "Open project";
constexpr const char* kDialogTitleSaveAs = "Save project as";
constexpr const char* kDialogTitleAddLayer = "Add layer";
constexpr const char* kDialogTitleExport = "Export map to";
constexpr const char* kDialogBusy = "a file dialog is already open";

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string folderOf(const std::string& path) {
    std::filesystem::path p(path);
    return p.has_parent_path() ? p.parent_path().string() : std::string();
}

}  // namespace

Viewer::~Viewer() {
    // The sidebars as the user left them, for the next start (smoke runs leave the user's layout alone).
    if (!smoke_.active() && !settingsPath_.empty()) {
        settings_.leftSidebarWidth = state_.layout.leftWidth;
        settings_.rightSidebarWidth = state_.layout.rightWidth;
        settings_.leftSidebarOpen = state_.layout.leftOpen;
        settings_.rightSidebarOpen = state_.layout.rightOpen;
        saveSettings();
    }
    // ImGui writes its ini file when the context goes, after the Viewer: write it now, while the path lives.
    ImGuiIO& io = ImGui::GetIO();
    if (io.IniFilename == imguiIni_.c_str()) {
        ImGui::SaveIniSettingsToDisk(io.IniFilename);
        io.IniFilename = nullptr;
    }
}

void Viewer::loadSettings() {
    settingsPath_ = platform::settingsPath();
    platform::LoadedSettings loaded = platform::loadSettings(settingsPath_);
    settings_ = loaded.settings;
    platform::configureTiles(settings_, options_.offline);  // basemap keys and the tile cache's size
    if (!loaded.message.empty()) {
        std::string text = "settings: " + loaded.message;
        if (loaded.corrupt) {
            // Keep the user's file for reference; a fresh one with the defaults takes its place.
            std::error_code ec;
            std::filesystem::rename(settingsPath_, settingsPath_ + ".bad", ec);
            if (!ec) text += " The old file is kept as " + settingsPath_ + ".bad.";
        }
        doc_.report(Message::Warning, text);
        std::fprintf(stderr, "planatlas: warning: %s\n", text.c_str());
        state_.showMessages = true;
    }
    if (!loaded.existed || !loaded.message.empty()) saveSettings();  // a first file, or the repaired one
    // The window layout lives beside the settings, never in the working folder. Smoke runs keep none, so that
    // their screenshots do not depend on a layout left by an earlier session.
    imguiIni_ = platform::configDir() + "/imgui.ini";
    if (!smoke_.active()) ImGui::GetIO().IniFilename = imguiIni_.c_str();
    baseStyle_ = ImGui::GetStyle();
    applyUiScale();
    if (settings_.leftSidebarWidth > 0) state_.layout.leftWidth = settings_.leftSidebarWidth;
    if (settings_.rightSidebarWidth > 0) state_.layout.rightWidth = settings_.rightSidebarWidth;
    state_.layout.leftOpen = settings_.leftSidebarOpen;
    state_.layout.rightOpen = settings_.rightSidebarOpen;
}

void Viewer::saveSettings() {
    try {
        platform::saveSettings(settings_, settingsPath_);
    } catch (const std::exception& e) {
        doc_.report(Message::Warning, std::string("settings not saved: ") + e.what());
    }
}

// The UI scale: the setting, or the monitor's content scale beyond what the framebuffer already gives (X11
// HiDPI; on Wayland the framebuffer ratio covers it).
float Viewer::wantedUiScale() const {
    if (settings_.uiScale > 0) return settings_.uiScale;
    float xs = 1, ys = 1;
    glfwGetWindowContentScale(window_, &xs, &ys);
    return std::clamp(xs / pixelRatio(), 1.0f, 3.0f);
}

void Viewer::applyUiScale() {
    float scale = wantedUiScale();
    if (scale == uiScale_ && styleScaled_) return;
    uiScale_ = scale;
    styleScaled_ = true;
    ImGui::GetStyle() = baseStyle_;
    ImGui::GetStyle().ScaleAllSizes(scale);
    fonts_.invalidate();  // glyphs rendered at the new size, not stretched
}

void Viewer::applySettingsActions(const Actions& a) {
    if (a.clearRecent) {
        settings_.recentProjects.clear();
        saveSettings();
    }
    if (a.applySettings) {
        const bool tilesChanged = settings_.basemapKeys != a.applySettings->basemapKeys ||
                                  settings_.cacheSizeMiB != a.applySettings->cacheSizeMiB;
        settings_ = *a.applySettings;
        saveSettings();
        if (tilesChanged) {  // basemaps open again with the new keys
            platform::configureTiles(settings_, options_.offline);
            std::vector<std::string> tiles;
            for (const auto& l : doc_.project().layers)
                if (geo::isTileLayer(l)) tiles.push_back(l.source);
            if (!tiles.empty()) doc_.reloadSources(tiles);
        }
        applyUiScale();
        applyLanguage();
        doc_.report(Message::Info, "settings saved to " + settingsPath_);
    }
    if (a.browse) browse(*a.browse);
}

// The settings' language, or the locale's; the map's labels are data and stay as they are.
void Viewer::applyLanguage() {
    setLanguage(platform::effectiveLanguage(settings_) == "zh" ? Language::Chinese : Language::English);
    mapDirty_ = true;
    state_.measured = FeatureRef{-1ul, -1};  // the info card measures again, in the new language
}

void Viewer::rememberFolder(const std::string& path) {
    std::string folder = folderOf(std::filesystem::absolute(path).string());
    if (folder.empty() || folder == settings_.lastFolder) return;
    settings_.lastFolder = folder;
    saveSettings();
}

void Viewer::rememberProject(const std::string& path) {
    if (path.empty() || path == platform::defaultProjectPath()) return;  // the bundled project is always there
    platform::addRecentProject(settings_, path);
    settings_.lastFolder = folderOf(settings_.recentProjects.front());
    saveSettings();
}

void Viewer::drawFileMenuItems() {
    if (ImGui::BeginMenu(tr(kRecent))) {
        for (const auto& p : settings_.recentProjects) {
            std::string label = std::filesystem::path(p).filename().string() + "###" + p;
            if (ImGui::MenuItem(label.c_str())) actions_.openProject = p;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.c_str());
        }
        if (settings_.recentProjects.empty()) ImGui::TextDisabled("%s", tr(kNoRecent));
        ImGui::Separator();
        if (ImGui::MenuItem(tr(kClearRecent), nullptr, false, !settings_.recentProjects.empty())) actions_.clearRecent = true;
        ImGui::EndMenu();
    }
    if (ImGui::MenuItem(tr(kAddLayer))) actions_.browse = Browse::AddLayer;
}

void Viewer::drawHelpMenu() {
    if (!ImGui::BeginMenu(tr(kHelp))) return;
    if (ImGui::MenuItem(tr(kShortcuts), "F1")) state_.showShortcuts = true;
    if (ImGui::MenuItem(tr(kAbout))) state_.showAbout = true;
    ImGui::EndMenu();
}

// The settings and Help windows, F1, and the typed-path fallback of File > Add layer.
void Viewer::drawSettingsAndHelp() {
    if (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(GLFW_KEY_F1, false))
        state_.showShortcuts = !state_.showShortcuts;
    drawSettingsWindow(state_, settings_, actions_);
    drawShortcutsWindow(state_);
    drawAboutWindow(state_, context());
    if (state_.addLayerDialog) {
        ImGui::OpenPopup(tr(kAddLayerPopup));
        state_.addLayerDialog = false;
    }
    if (ImGui::BeginPopupModal(tr(kAddLayerPopup), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        bool enter = ImGui::InputTextWithHint("##layerpath", tr(kLayerPathHint), state_.addPath.data(),
                                              state_.addPath.size(), ImGuiInputTextFlags_EnterReturnsTrue);
        if ((ImGui::Button(tr(kAdd)) || enter) && state_.addPath[0]) {
            actions_.addPaths.emplace_back(state_.addPath.data());
            rememberFolder(state_.addPath.data());
            state_.addPath[0] = 0;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(tr(kCancel))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

// A native dialog when the desktop has a portal; otherwise (and when one is already open) the typed path.
void Viewer::browse(Browse what) {
    platform::DialogRequest r;
    r.purpose = static_cast<int>(what);
    r.folder = settings_.lastFolder;
    const bool bundled = doc_.path().empty() || doc_.path() == platform::defaultProjectPath();
    switch (what) {
    case Browse::OpenProject:
        r = {platform::DialogMode::Open, platform::FileKind::Project, tr(kDialogTitleOpen), r.folder, "", r.purpose};
        break;
    case Browse::SaveProjectAs:
        r = {platform::DialogMode::Save, platform::FileKind::Project, tr(kDialogTitleSaveAs),
             bundled ? r.folder : folderOf(doc_.path()),
             bundled ? std::string("untitled.atlas.json") : std::filesystem::path(doc_.path()).filename().string(),
             r.purpose};
        break;
    case Browse::AddLayer:
        r = {platform::DialogMode::Open, platform::FileKind::GisData, tr(kDialogTitleAddLayer), r.folder, "", r.purpose};
        break;
    case Browse::ExportPath: {
        std::string current = state_.exportPath.data();
        std::string folder = !current.empty() ? folderOf(current)
                             : !settings_.defaultExportFolder.empty() ? settings_.defaultExportFolder
                                                                      : r.folder;
        std::string name = current.empty() ? "map.png" : std::filesystem::path(current).filename().string();
        r = {platform::DialogMode::Save, platform::FileKind::ExportImage, tr(kDialogTitleExport), folder, name, r.purpose};
        break;
    }
    }
    if (dialogs_.start(r)) return;
    if (dialogs_.pending()) {
        doc_.report(Message::Info, tr(kDialogBusy));
        return;
    }
    typedPathFallback(what);
}

void Viewer::typedPathFallback(Browse what) {
    switch (what) {
    case Browse::OpenProject:
        state_.openDialog = true;
        break;
    case Browse::SaveProjectAs: {
        const bool bundled = doc_.path() == platform::defaultProjectPath();  // never proposed: a new path
        std::snprintf(state_.projectPath.data(), state_.projectPath.size(), "%s", bundled ? "" : doc_.path().c_str());
        state_.saveAsDialog = true;
        break;
    }
    case Browse::AddLayer:
        state_.addLayerDialog = true;
        break;
    case Browse::ExportPath:
        state_.showExport = true;  // its path field is the typed path
        break;
    }
}

// Once per frame: GLib's main context runs (without blocking) and chosen files become actions.
void Viewer::pumpDialogs() {
    for (const platform::DialogResult& r : dialogs_.poll()) {
        const Browse what = static_cast<Browse>(r.purpose);
        if (!r.error.empty()) {
            doc_.report(Message::Warning, "the desktop's file dialog failed (" + r.error + "); type the path instead");
            typedPathFallback(what);
            continue;
        }
        if (r.path.empty()) continue;  // cancelled
        rememberFolder(r.path);
        switch (what) {
        case Browse::OpenProject:
            actions_.openProject = r.path;
            break;
        case Browse::SaveProjectAs:
            actions_.saveAs = endsWith(r.path, ".json") ? r.path : r.path + ".atlas.json";
            break;
        case Browse::AddLayer:
            actions_.addPaths.push_back(r.path);
            break;
        case Browse::ExportPath:
            std::snprintf(state_.exportPath.data(), state_.exportPath.size(), "%s", r.path.c_str());
            state_.exportFormat = exportFormatOf({r.path, state_.exportFormat});
            state_.showExport = true;
            break;
        }
    }
    state_.nativeDialogs = dialogs_.available();
    // The export window opens in the default export folder.
    if (state_.showExport && !exportShown_ && !state_.exportPath[0] && !settings_.defaultExportFolder.empty())
        std::snprintf(state_.exportPath.data(), state_.exportPath.size(), "%s/map.png",
                      settings_.defaultExportFolder.c_str());
    exportShown_ = state_.showExport;
}

}  // namespace app::ui::detail

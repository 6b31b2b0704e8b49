#pragma once
// The viewer's state and frame, shared by its implementation files:
//   viewer.cpp          setup, the main loop and the frame (input, panels, map redraw when something changed)
//   viewer_map.cpp      navigation, picking, highlights, fly-to, display CRS changes
//   viewer_actions.cpp  actions queued by the panels, applied after the frame (project changes are commands)
//   viewer_present.cpp  slides, bookmarks, presentation mode
//   viewer_project.cpp  open/save with the unsaved-changes prompt, export from the UI
//   viewer_settings.cpp settings (load, save, UI scale), File > Recent / Add layer, Help, native file dialogs
//   viewer_smoke.cpp    the smoke-test drivers (--frames, --screenshot, --present-demo, --export, --select,
//                       --tools-demo)
//   viewer_tools.cpp    map tools: tool bar, measure, markup, drawing over the map
//   viewer_selection.cpp  rectangle/lasso selection, its statistics and export; the info card's measures
//   viewer_compare.cpp  swipe divider and timeline bar
//   viewer_conflicts.cpp  the conflict check (GEOS overlaps) window
//   viewer_control_points.cpp  placing a CAD drawing by control points
//   viewer_recovery.cpp  autosave, the recovery prompt after a crash, the reach prompt (sources beyond the folder)
// Include only from those.
#include <epoxy/gl.h>
// epoxy first: GLFW must not pull in the system GL header.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "export/page.hpp"
#include "platform/file_dialog.hpp"
#include "platform/fonts.hpp"
#include "platform/paths.hpp"
#include "platform/settings.hpp"
#include "render/composition.hpp"
#include "render/export_pipeline.hpp"
#include "render/map_renderer.hpp"
#include "render/layer_image.hpp"
#include "render/progressive_frame.hpp"
#include "ui/autosave.hpp"
#include "ui/document.hpp"
#include "ui/i18n.hpp"
#include "ui/layout.hpp"
#include "ui/navigation.hpp"
#include "ui/panels/panels.hpp"
#include "ui/panels/settings_help.hpp"
#include "ui/ui_export.hpp"
#include "ui/worker_pool.hpp"
#include "view/flight.hpp"
#include "project/reach.hpp"
#include "analysis/measure.hpp"
#include "analysis/overlap.hpp"
#include "analysis/selection.hpp"
#include "source/control_points.hpp"

namespace app::ui::detail {

constexpr float kBaseFontPx = 16.0f;

// A menu label or window title in the UI language with an ID that stays the same in every language.
inline std::string menuLabel(const char* english) { return std::string(tr(english)) + "###" + english; }
const geo::Rgba kSea{0xd6, 0xe6, 0xf2, 0xff};
// Progressive antialiasing: how long a view holds still before it is redrawn supersampled, and the quick frame's
// time above which it is not (the supersampled frame costs several quick ones).
constexpr std::chrono::milliseconds kRefineDelay{250};
constexpr double kRefineBudgetSeconds = 0.25;
constexpr std::chrono::milliseconds kRefineFrameBudget = render::ProgressiveFrame::kWindowStepBudget;
// A settled view whose moving frame took at most this goes straight to its refinement (~30x a moving frame on
// llvmpipe: ~0.3 s), without a multisampled frame first.
constexpr double kDirectRefineSeconds = 0.010;

struct Options {
    std::string projectPath;
    std::vector<std::string> layers;
    long frames = -1;  // -1: run until closed
    std::string screenshot;
    std::string select;        // a catalog project id to select and fly to once loaded
    bool presentDemo = false;  // smoke test: present every slide, then leave
    std::string exportPath;    // smoke test: export the view through the UI's tiled export once loaded
    std::string toolsDemo;     // smoke test: measure, mark up, select, swipe, timeline, conflict check; save here
    bool recover = false;      // --recover: open the newest recovery file (of --project when given)
    bool recoverList = false;  // --recover --list: print the recovery files and exit
    std::string recoveredFile; // set by runViewer when --recover chose a file
    bool offline = false;      // --offline: refuse network sources
    std::string autosaveDemo;    // smoke test: an edit and an autosave (printed), then "wait" to be killed or "exit"
    std::string recoveryAnswer;  // smoke test: "restore" or "discard" at the recovery prompt
    std::string reachAnswer;     // smoke test: "allow" or "deny" at the reach prompt
    std::string saveAs;          // smoke test: save the project here when the run ends
};

Options parseOptions(int argc, char** argv);

class Viewer;

// Drives the viewer for the smoke tests; the interactive session has none of this (viewer_smoke.cpp).
class SmokeDriver {
public:
    explicit SmokeDriver(const Options& options) : options_(options) {}
    bool active() const { return options_.frames >= 0; }
    void onFirstLoad(Viewer& v);
    // After each frame, before the buffers swap; true when the run is over.
    bool afterFrame(Viewer& v);
    int exitCode() const { return exitCode_; }

private:
    void stepPresentDemo(Viewer& v);
    void startToolsDemo(Viewer& v);
    void finishToolsDemo(Viewer& v);
    void screenshot(const Viewer& v) const;
    void stepRecoveryDemos(Viewer& v);
    void startAutosaveDemo(Viewer& v);
    const Options& options_;
    long frames_ = 0;
    long demoStart_ = -1;
    bool demoShotTaken_ = false;
    bool toolsDemoStarted_ = false;
    bool autosaveDemoStarted_ = false, autosaveReported_ = false, recoveryAnswered_ = false, reachAnswered_ = false;
    int exitCode_ = 0;
};

class Viewer {
public:
    Viewer(GLFWwindow* window, Options options);
    ~Viewer();
    int run(const geo::Project& project, const std::string& projectPath);
    // Workers upload the layers they load through `context` (see gl/upload_context.hpp); it outlives the viewer.
    void setUploadContext(gl::UploadContext* context) { doc_.setUploadContext(context); }

private:
    friend class SmokeDriver;
    struct Flight {
        geo::FlightPath path;
        double start = 0;
    };

    // viewer.cpp
    void frame();
    void drawPanels();
    void drawMenu();
    void drawFileMenu();
    void drawEditMenu();
    void drawViewMenu();
    void updateMapArea();
    void applyLanguage();
    void drawAttribution();
    void redrawMap();
    void drawQuickMap();
    void rebuildFontsIfNeeded();
    void reportNewErrors();
    float pixelRatio() const;
    PanelContext context() const { return {doc_.project(), doc_.scene(), doc_.displayCrs()}; }
    // viewer_map.cpp
    void handleInput();
    void globalKeys();
    void updateCursor();
    void updateHover();
    void validateSelection();
    void drawHighlights();
    void followDisplayCrs();
    void changeCrs(const std::string& code);
    void flyToFeature(const FeatureRef& ref);
    void flyTo(const geo::View& to);
    bool stepFlight();
    geo::ProjectView currentProjectView() const;
    // viewer_actions.cpp
    void applyActions();
    void applyLayerActions(Actions& a);
    void applySelection(const Actions& a);
    void addBookmarkHere();
    void addSlideHere();
    void generateStory();
    std::string selectedProjectId() const;
    // viewer_present.cpp
    void selectProjectById(const std::string& id);
    void applySlide(size_t index, bool animate);
    void gotoBookmark(size_t index);
    void enterPresentation();
    void leavePresentation();
    void presentationKeys();
    // viewer_tools.cpp
    void setTool(Tool tool);
    bool toolWantsDrag() const;
    bool snapToVertex(double mx, double my, double& wx, double& wy) const;
    void handleTool(double mx, double my);
    void finishShape();
    std::vector<double> toLonLat(const std::vector<double>& displayXY) const;
    geo::MarkupItem newMarkup(geo::MarkupKind kind, std::vector<double> lonLat) const;
    std::string measureText(bool area) const;
    geo::LayerId selectionTarget() const;
    void selectWith(const std::vector<double>& displayRing);
    void validateSelectionSet();
    void measureSelected();
    void drawMapOverlay();
    const geo::Swipe* activeSwipe() const;
    double swipePosition() const;
    void handleSwipeDrag();
    void drawToolsMenu();
    void drawToolbar();
    void drawMeasureWindow();
    void drawNoteEditor();
    void drawSelectionWindow();
    void drawSwipeWindow();
    void drawTimelineBar();
    void stepTimelinePlay();
    void drawSelectionHighlights();
    void drawControlPointsWindow();
    void pickControlPoint(double mx, double my);
    // viewer_basemaps.cpp
    void drawBasemapMenu();
    void drawBasemapWindows();
    void chooseBasemap(std::vector<geo::ProjectLayer> layers, const std::string& label);
    void startPack();
    // viewer_conflicts.cpp
    void drawConflictWindow();
    void startConflictCheck();
    void showConflictsOnMap();
    // viewer_project.cpp
    void drawProjectDialogs();
    void drawUnsavedPrompt();
    void drawExportDialog();
    void startExport();
    void stepExport();
    bool save(const std::string& path);
    void open(const std::string& path);
    void applyFileActions(const Actions& a);
    bool dirty() const;
    std::string snapshot() const;  // what "unsaved changes" compares (everything but the view)
    static std::string snapshotOf(const geo::Project& project);
    // viewer_recovery.cpp
    void showProject(geo::Project project, const std::string& path);  // open() and restore share this
    void prepareReach(const geo::Project& project, const std::string& path);
    void drawReachPrompt();
    void answerReach(bool allow);
    void rememberReachOfSaved(const geo::Project& project, const std::string& path);
    void queueRecoveryOffers(const std::string& onlyFor);  // "" = every orphan
    void drawRecoveryPrompt();
    bool restoreRecovery(const geo::RecoveryEntry& entry);
    void stepAutosave();
    // viewer_settings.cpp
    void loadSettings();
    void saveSettings();
    float wantedUiScale() const;
    void applyUiScale();
    void applySettingsActions(const Actions& a);
    void rememberFolder(const std::string& path);
    void rememberProject(const std::string& path);
    void drawFileMenuItems();
    void drawHelpMenu();
    void drawSettingsAndHelp();
    void browse(Browse what);
    void typedPathFallback(Browse what);
    void pumpDialogs();

    GLFWwindow* window_;
    Options options_;
    WorkerPool pool_;
    Document doc_;
    SmokeDriver smoke_;
    UiState state_;
    Actions actions_;
    std::vector<std::string> dropped_;  // files dropped on the window
    geo::View view_;    // framebuffer pixels of the map area
    Rect mapArea_;      // logical pixels in the window
    geo::Crs viewCrs_;  // the CRS view_ is in; follows the document's display CRS
    std::unique_ptr<render::MapRenderer> renderer_;
    render::RenderTarget mapTarget_;
    std::unique_ptr<geo::Transformer> toWgs84_, toGk_;
    platform::FontAtlasBuilder fonts_;
    bool mapDirty_ = true;
    // Progressive antialiasing (#10): a changed view is drawn at once (no multisampling while it moves); once it
    // has held still for kRefineDelay, it is drawn again supersampled like an export, a few tiles a frame
    // (render::ProgressiveFrame), and shown when complete. A settled view is drawn once more with 4x multisampling
    // first unless its moving frame was cheap (kDirectRefineSeconds). Views whose quick frame took over kRefineBudgetSeconds
    // are not refined (the supersampled frame costs several quick ones).
    std::chrono::steady_clock::time_point mapChangedAt_{};
    render::ProgressiveFrame refined_;
    // Heavy layers (a million buildings at full extent) are drawn from images of them, made a few tiles a frame.
    render::LayerImageCache layerImages_;
    std::chrono::steady_clock::time_point frameStart_{};  // for the images' budget (LayerImageCache::step)
    double lastQuickSeconds_ = 0;  // the last quick frame (see kDirectRefineSeconds)
    bool quit_ = false;
    bool pendingFit_ = false;
    bool interacting_ = false;
    std::optional<Flight> flight_;
    double lastMouseX_ = -1, lastMouseY_ = -1;
    std::unique_ptr<render::ExportJob> export_;
    std::string savedSnapshot_;
    bool openConfirmed_ = false, quitConfirmed_ = false;
    // Autosave and recovery (viewer_recovery.cpp)
    Autosave autosave_;
    std::vector<geo::RecoveryEntry> recoveryOffers_;  // orphans to offer, the first one shown
    std::string recoveredBaseline_;  // set while the document is a restored recovery: the file's own snapshot
    enum class Answer { None, Yes, No };
    Answer recoverySmokeAnswer_ = Answer::None;  // a smoke run's click on Restore (Yes) or Discard (No)
    // The reach prompt: the project's places beyond its folder and the layers' sources that reach them.
    struct ReachPrompt {
        std::string path, fingerprint;
        std::vector<geo::ReachTarget> targets;
        std::vector<std::string> sources;
        bool ask = false;      // open the prompt
        bool showing = false;  // the prompt is on screen
        Answer smokeAnswer = Answer::None;
    } reach_;
    size_t errorsSeen_ = 0;
    // Settings (not part of the project: no undo) and the native file dialogs
    platform::Settings settings_;
    std::string settingsPath_;
    std::string imguiIni_;  // io.IniFilename points into it while the Viewer lives
    platform::FileDialogs dialogs_;
    ImGuiStyle baseStyle_;
    float uiScale_ = 1.0f;  // fonts are built at kBaseFontPx * pixel ratio * this
    bool styleScaled_ = false;
    bool exportShown_ = false;
    // Planning tools
    std::unique_ptr<geo::Transformer> fromWgs84_;  // WGS84 -> display CRS (markup)
    std::unique_ptr<geo::Measurer> measurer_;
    double snapX_ = NAN, snapY_ = NAN;  // the vertex the cursor snaps to (display CRS); NaN = none
    bool swipeDragging_ = false;
    bool timelinePreview_ = false;  // play is showing a phase through the document's timeline override
    geo::SelectionStats selectionStats_;
    std::optional<geo::ControlPointFit> controlFit_;
    int pickControlPoint_ = -1;  // the control point whose map position the next map click sets
    std::vector<uint32_t> selectionStatsRows_;
    uint64_t selectionStatsRevision_ = 0;
    // The conflict check (viewer_conflicts.cpp): inputs, the running job, the result and its table order.
    struct ConflictCheck {
        geo::LayerId subject = 0;
        std::vector<geo::LayerId> against;
        std::shared_ptr<geo::JobProgress> job;
        std::optional<geo::OverlapResult> result;
        std::vector<std::string> againstNames;
        std::string subjectName;
        std::string error;
        std::vector<size_t> order;  // rows of result in table order
        int sortColumn = -1;
        bool ascending = true;
        std::array<char, 1024> reportPath{};
    } conflict_;
    // The basemap menu's custom template and File > Pack basemap for a meeting (viewer_basemaps.cpp).
    struct BasemapUi {
        bool showCustom = false, showPack = false;
        std::array<char, 1024> url{}, attribution{};
        std::array<char, 1024> packPath{};
        int packMinZoom = 10, packMaxZoom = 16;
        geo::BBox packBox;  // lon/lat of the view when the window opened
        geo::LayerId packLayer = 0;
        std::shared_ptr<geo::JobProgress> job;
        std::string result, error;
    } basemap_;
};

}  // namespace app::ui::detail

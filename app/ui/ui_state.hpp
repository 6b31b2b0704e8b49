#pragma once
// Plain UI state shared by the panels, and the actions they queue. Panels never call GDAL, PROJ or GL; the
// viewer applies the actions after the frame.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "project/history.hpp"
#include "present/story.hpp"
#include "platform/settings.hpp"
#include "ui/layout.hpp"

namespace app::ui {

// What a file dialog is for: the native dialog's result, or the typed-path field when there is no portal.
enum class Browse { OpenProject = 1, SaveProjectAs, AddLayer, ExportPath };

// The settings window edits a copy; Apply queues it (settings are not project changes: no undo).
struct SettingsDraft {
    bool loaded = false;  // filled from the current settings when the window opens
    int language = 0;     // 0 from the locale, 1 简体中文 (zh), 2 English (en)
    bool autoScale = true;
    float uiScale = 1.0f;
    struct Key {
        std::array<char, 64> name{};
        std::array<char, 512> key{};
    };
    std::vector<Key> keys;
    std::array<char, 64> newKeyName{};
    std::array<char, 512> newKey{};
    int cacheSizeMiB = 512;
    std::array<char, 1024> exportFolder{};
    int exportDpi = 300;
};

// A feature of a layer: the layer's id and the row in its feature table.
struct FeatureRef {
    geo::LayerId layer = 0;
    long feature = -1;
    bool valid() const { return layer != 0 && feature >= 0; }
    bool operator==(const FeatureRef&) const = default;
};

// The map tool under the left mouse button (Navigate pans; the others draw, measure or select).
enum class Tool { Navigate = 0, MeasureLine, MeasureArea, SelectRect, SelectLasso, Freehand, Arrow, Polygon, Text };

struct ToolState {
    Tool tool = Tool::Navigate;
    std::vector<double> points;  // display CRS: the vertices placed so far (measure, polygon, lasso, freehand)
    bool finished = false;       // measure: the shape is done and stays shown until the next click
    float color[4] = {0.90f, 0.16f, 0.16f, 1.0f};  // markup colour
    float width = 3.0f;                             // markup line width (logical pixels)
    float textSize = 18.0f;                         // markup text size (logical pixels)
    std::array<char, 512> text{};
    bool textPending = false;  // text tool: a point was clicked; the note is being typed
    double textX = 0, textY = 0;
};

// Features selected by rectangle or lasso on one layer (named by id and content revision, like the table).
struct SelectionSet {
    geo::LayerId layer = 0;
    uint64_t revision = 0;
    std::vector<uint32_t> rows;
    std::array<char, 1024> exportPath{};
    bool show = false;
};

struct UiState {
    SidebarLayout layout;
    bool showMessages = false;
    geo::LayerId selectedLayer = 0;
    std::array<char, 1024> addPath{};
    // How to read what is added, and the selected layer's source options being edited
    std::array<char, 512> addCrs{};
    bool addGcj = false;
    geo::LayerId optionsFor = 0;
    std::array<char, 512> optCrs{}, optX{}, optY{};
    bool optGcj = false;
    geo::LayerId controlPointsFor = 0;  // the control-points window is open for this layer
    std::vector<std::array<double, 4>> controlPoints;  // being edited: drawing x, y, map x, y
    std::array<char, 512> customCrs{};
    // The layers (tables, sheets, folders, feature classes) of the source typed in the add field, to pick from.
    std::string listedSource;
    std::vector<std::pair<std::string, bool>> listedLayers;  // name, ticked
    std::array<char, 1024> repointPath{};
    double cursorLon = 0, cursorLat = 0;  // WGS84
    double cursorGkX = 0, cursorGkY = 0;  // EPSG:4547
    bool cursorValid = false;
    double scaleDenominator = 0;
    float frameMs = 0;
    size_t unreadErrors = 0;

    FeatureRef hovered, selected;
    // The selected feature's measures for the info card (geodesic and planar), made by the viewer.
    FeatureRef measured;
    std::vector<std::string> selectedMeasure;
    bool scrollTableToSelection = false;

    geo::CatalogFilter catalogFilter;
    std::array<char, 256> search{};

    std::array<char, 128> bookmarkName{};
    int editingSlide = -1;

    // Presentation mode
    bool presenting = false;
    geo::SlideDeck deck;
    int presentMonitor = 0;
    int savedX = 0, savedY = 0, savedW = 0, savedH = 0;
    bool savedMessages = false;
    bool laser = false;

    // Project file dialogs (a path field each) and the unsaved-changes prompt
    std::array<char, 1024> projectPath{};
    bool openDialog = false, saveAsDialog = false, unsavedPrompt = false;
    int afterPrompt = 0;  // 1 quit, 2 open projectPath

    // Export dialog
    bool showExport = false;
    std::array<char, 1024> exportPath{};
    int exportFormat = 0;  // png, tif, pdf
    int exportWidth = 3840, exportHeight = 2160;
    bool exportDecorations = true;

    geo::LayerId tableLayer = 0;        // attribute table open for this layer
    std::vector<uint32_t> tableOrder;   // row order of the attribute table (sorted)
    geo::LayerId tableOrderLayer = 0;
    uint64_t tableOrderRevision = 0;    // content revision the order was made for
    int tableSortColumn = -1;
    bool tableSortAscending = true;

    // Settings, Help, and the typed-path fallback of File > Add layer
    bool showSettings = false, showShortcuts = false, showAbout = false;
    SettingsDraft settingsDraft;
    bool addLayerDialog = false;
    bool nativeDialogs = false;  // a desktop file dialog (portal) is available: "…" buttons open it

    // Planning tools: measure, markup, selection, swipe, timeline, conflict check
    ToolState tools;
    SelectionSet selection;
    bool showSwipe = false, showTimeline = false, showConflicts = false;
    bool timelinePlaying = false;
    double timelineNextStep = 0;  // glfw time of the next phase while playing
    int timelinePlayPhase = 0;    // 1..statuses while playing
    double presentSwipe = -1;     // the divider dragged while presenting (not saved); -1 = the slide's
};

// What the panels ask for during a frame; the viewer carries it out after the frame. Project changes are
// commands (undoable); the rest acts on the view, the session or the files.
struct Actions {
    std::vector<geo::Command> commands;
    std::vector<std::string> addPaths;
    geo::SourceOptions addOptions;  // for every path in addPaths
    std::optional<std::string> listSource;  // list the layers of this source (the viewer asks GDAL)
    std::optional<geo::LayerId> zoomTo, cancel, retry;
    std::optional<std::string> setCrs;
    bool zoomAll = false;
    std::optional<FeatureRef> select;  // also clears when !valid()
    bool flyToSelection = false;

    bool addBookmark = false;
    std::optional<size_t> gotoBookmark;
    bool addSlide = false, generateStory = false;
    std::optional<size_t> gotoSlide;
    bool startPresentation = false, stopPresentation = false;
    bool save = false, quit = false, undo = false, redo = false, clearMessages = false;
    bool startExport = false, cancelExport = false;
    std::optional<std::string> saveAs, openProject;

    std::optional<platform::Settings> applySettings;  // saved and applied (UI scale, language)
    std::optional<Browse> browse;                     // a native file dialog, or the typed-path field
    bool clearRecent = false;
};

// The display CRSs offered in the UI (any EPSG code also works from a project file or the command line).
inline const std::vector<std::pair<const char*, const char*>>& displayCrsChoices() {
    static const std::vector<std::pair<const char*, const char*>> kChoices = {
        {"EPSG:3857", "EPSG:3857 Web Mercator"},
        {"EPSG:4547", "EPSG:4547 CGCS2000 / 3° GK CM 114E"},
        {"EPSG:4326", "EPSG:4326 WGS 84 (lon/lat)"},
    };
    return kChoices;
}

}  // namespace app::ui

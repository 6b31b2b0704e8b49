#pragma once
// Plain UI state shared by the panels, and the actions they queue. Panels never call GDAL, PROJ or GL; the
// viewer applies the actions after the frame.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "present/story.hpp"

namespace app::ui {

// A feature of a layer (index into the document's layer list and the layer's feature table).
struct FeatureRef {
    int layer = -1;
    long feature = -1;
    bool valid() const { return layer >= 0 && feature >= 0; }
    bool operator==(const FeatureRef&) const = default;
};

struct UiState {
    bool showLayers = true;
    bool showMessages = false;
    bool showStyleEditor = false;
    bool showDemoMetrics = false;
    int selectedLayer = -1;
    std::array<char, 1024> addPath{};
    std::array<char, 1024> repointPath{};
    double cursorLon = 0, cursorLat = 0;  // WGS84
    double cursorGkX = 0, cursorGkY = 0;  // EPSG:4547
    bool cursorValid = false;
    double scaleDenominator = 0;
    float frameMs = 0;
    size_t unreadErrors = 0;

    bool showProjects = true;
    bool showLegend = true;
    FeatureRef hovered, selected;
    bool scrollTableToSelection = false;

    geo::CatalogFilter catalogFilter;
    std::array<char, 256> search{};

    bool showSlides = true;
    std::array<char, 128> bookmarkName{};
    int editingSlide = -1;

    // Presentation mode
    bool presenting = false;
    geo::SlideDeck deck;
    int presentMonitor = 0;
    int savedX = 0, savedY = 0, savedW = 0, savedH = 0;
    bool savedLayers = true, savedProjects = true, savedLegend = true, savedMessages = false, savedSlides = true;
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

    int tableLayer = -1;                // attribute table open for this layer
    std::vector<uint32_t> tableOrder;   // row order of the attribute table (sorted)
    int tableOrderLayer = -1;
    int tableSortColumn = -1;
    bool tableSortAscending = true;
};

struct Actions {
    std::vector<std::string> addPaths;
    std::optional<size_t> remove, zoomTo, restyle, cancel, categorize;
    std::string categorizeField;
    std::optional<std::pair<size_t, int>> move;
    std::optional<std::string> setCrs;
    bool zoomAll = false;
    bool styleOrVisibilityChanged = false;
    std::optional<FeatureRef> select;  // also clears when !valid()
    bool flyToSelection = false;
    std::optional<std::pair<size_t, std::string>> repoint;  // broken layer -> new source path

    bool addBookmark = false;
    std::optional<size_t> gotoBookmark, removeBookmark;
    std::optional<std::pair<size_t, int>> moveBookmark;
    bool addSlide = false, generateStory = false;
    std::optional<size_t> gotoSlide, duplicateSlide, removeSlide;
    std::optional<std::pair<size_t, int>> moveSlide;
    bool startPresentation = false, stopPresentation = false;
    bool save = false, quit = false;
    bool startExport = false, cancelExport = false;
    std::optional<std::string> saveAs, openProject;
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

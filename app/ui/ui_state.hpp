#pragma once
// Plain UI state shared by the panels, and the actions they queue. Panels never call GDAL, PROJ or GL; the
// viewer applies the actions after the frame.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace app::ui {

struct UiState {
    bool showLayers = true;
    bool showMessages = false;
    bool showStyleEditor = false;
    bool showDemoMetrics = false;
    int selectedLayer = -1;
    std::array<char, 1024> addPath{};
    double cursorLon = 0, cursorLat = 0;  // WGS84
    double cursorGkX = 0, cursorGkY = 0;  // EPSG:4547
    bool cursorValid = false;
    double scaleDenominator = 0;
    float frameMs = 0;
    size_t unreadErrors = 0;
};

struct Actions {
    std::vector<std::string> addPaths;
    std::optional<size_t> remove, zoomTo, restyle, cancel, categorize;
    std::string categorizeField;
    std::optional<std::pair<size_t, int>> move;
    std::optional<std::string> setCrs;
    bool zoomAll = false;
    bool styleOrVisibilityChanged = false;
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

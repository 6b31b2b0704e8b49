#pragma once
// Plain UI state shared by the panels, and the actions they queue. Panels never call GDAL, PROJ or GL; the
// viewer applies the actions after the frame.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"

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

#pragma once
// Panels: functions over plain state that queue actions (STYLE.md principle 8).
#include <memory>
#include <vector>

#include "render/layer_slot.hpp"
#include "ui/document.hpp"
#include "ui/ui_state.hpp"

namespace app::ui {

using Slots = std::vector<std::unique_ptr<render::LayerSlot>>;

void drawLayersPanel(UiState& state, Slots& layers, Actions& actions);
void drawStatusBar(UiState& state, const Slots& layers, const geo::Crs& displayCrs, Actions& actions);
void drawMessagesPanel(UiState& state, std::deque<Message>& messages);
// Plan projects of the first catalog layer: filters with counts, search, list by section; click selects and flies.
void drawProjectsPanel(UiState& state, const Slots& layers, Actions& actions);
// Every attribute of the selected feature, Chinese text wrapped.
void drawInfoCard(UiState& state, const Slots& layers, Actions& actions);
// Colour, symbol and pattern of every visible layer and category.
void drawLegendPanel(UiState& state, const Slots& layers);
// A sortable, virtualized table of one layer's attributes, linked to the map selection.
void drawAttributeTable(UiState& state, const Slots& layers, Actions& actions);

// Bookmarks and slides of the project: add, rename, reorder, duplicate, delete, go to; edit slide text.
void drawSlidesPanel(UiState& state, std::vector<geo::Bookmark>& bookmarks, std::vector<geo::Slide>& slides,
                     bool hasCatalog, Actions& actions);
// The presentation overlay: slide title and caption, counter, scale bar, legend, laser pointer.
struct PresentInfo {
    const geo::Slide* slide = nullptr;
    size_t index = 0, count = 0;
    double metersPerPixel = 0;  // ground resolution at the centre, per logical pixel
};
void drawPresentationOverlay(UiState& state, const PresentInfo& info, const Slots& layers);

// Draws a legend swatch at the cursor (used by the legend and the projects panel).
void legendSwatch(geo::Rgba fill, geo::Rgba stroke, geo::Symbol symbol, geo::Pattern pattern, bool line);
// The catalog layer, or -1.
int findCatalogLayer(const Slots& layers);

}  // namespace app::ui

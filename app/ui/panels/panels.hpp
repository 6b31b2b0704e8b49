#pragma once
// Panels: functions over plain state that read the document and queue actions (STYLE.md principle 8). They see
// the project (settings) and the scene (what was loaded) read-only; every project change they ask for is a
// geo::Command in Actions::commands, applied after the frame.
#include <deque>

#include "project/project.hpp"
#include "render/scene.hpp"
#include "ui/document.hpp"
#include "ui/ui_state.hpp"

namespace app::ui {

struct PanelContext {
    const geo::Project& project;
    const render::Scene& scene;
    const geo::Crs& crs;
};

// The left sidebar (Layers, Projects, Slides tabs) and the right inspector (Info, Legend), between `top` (menu
// bar) and `bottom` (status bar) logical pixels; the panel functions below draw their contents.
void drawSidebars(UiState& state, const PanelContext& ctx, Actions& actions, float top, float bottom);

void drawLayersPanel(UiState& state, const PanelContext& ctx, Actions& actions);
void drawStatusBar(UiState& state, const PanelContext& ctx, Actions& actions);
float statusBarHeight();  // logical pixels, for the layout
void drawMessagesPanel(UiState& state, const std::deque<Message>& messages, Actions& actions);
// Plan projects of the first catalog layer: filters with counts, search, list by section; click selects and flies.
void drawProjectsPanel(UiState& state, const PanelContext& ctx, Actions& actions);
// Every attribute of the selected feature, Chinese text wrapped.
void drawInfoCard(UiState& state, const PanelContext& ctx, Actions& actions);
// Colour, symbol and pattern of every visible layer and category.
void drawLegendPanel(UiState& state, const PanelContext& ctx);
// A sortable, virtualized table of one layer's attributes, linked to the map selection.
void drawAttributeTable(UiState& state, const PanelContext& ctx, Actions& actions);

// Bookmarks and slides of the project: add, rename, reorder, duplicate, delete, go to; edit slide text.
void drawSlidesPanel(UiState& state, const PanelContext& ctx, Actions& actions);
// The presentation overlay: slide title and caption, counter, scale bar, legend, laser pointer.
struct PresentInfo {
    const geo::Slide* slide = nullptr;
    size_t index = 0, count = 0;
    double metersPerPixel = 0;  // ground resolution at the centre, per logical pixel
};
void drawPresentationOverlay(UiState& state, const PresentInfo& info, const PanelContext& ctx);

// Which outlines of a layer are dashed (legend and presentation legend).
void dashLegend(const geo::Style& style, bool catalog);
// Draws a legend swatch at the cursor (used by the legend and the projects panel).
void legendSwatch(geo::Rgba fill, geo::Rgba stroke, geo::Symbol symbol, geo::Pattern pattern, bool line);

}  // namespace app::ui

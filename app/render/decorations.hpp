#pragma once
// Export decorations: title, legend of the visible layers and categories, scale bar (true at the map centre in
// every display CRS), grid-north arrow, data credits, date and CRS note. Laid out in the full image's pixels,
// sized by `ratio` (dpi / 96), drawn over each tile by MapRenderer::renderTiles.
#include <memory>
#include <string>
#include <vector>

#include "render/labels.hpp"
#include "render/layer_slot.hpp"

namespace app::render {

// A round length (1, 2 or 5 x 10^n metres) not longer than `meters`: scale-bar lengths.
double niceLength(double meters);

// Which decorations to draw; each is optional.
struct DecorationSet {
    bool title = true, legend = true, scaleBar = true, north = true, credits = true, date = true, crs = true;
    static DecorationSet none() { return {false, false, false, false, false, false, false}; }
};
// Parses "title,legend,scalebar,north,credits,date,crs" (any subset); false when a name is unknown.
bool parseDecorations(const std::string& list, DecorationSet& out);

Overlay decorations(const std::string& title, const std::vector<std::unique_ptr<LayerSlot>>& slots, const geo::View& view,
                    const geo::Crs& crs, float ratio, LabelRenderer& text, const DecorationSet& which = {});

}  // namespace app::render

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

Overlay decorations(const std::string& title, const std::vector<std::unique_ptr<LayerSlot>>& slots, const geo::View& view,
                    const geo::Crs& crs, float ratio, LabelRenderer& text);

}  // namespace app::render

#pragma once
// Export decorations: title, legend of the visible layers and categories, scale bar (true at the map centre in
// every display CRS), grid-north arrow, data credits, date and CRS note. Laid out in the full image's pixels,
// sized by `ratio` (dpi / 96), drawn over each tile by MapRenderer::renderTiles.
#include <memory>
#include <string>
#include <vector>

#include "render/labels.hpp"
#include "render/scene.hpp"

namespace app::render {

// A round length (1, 2 or 5 x 10^n metres) not longer than `meters`: scale-bar lengths.
double niceLength(double meters);

// Which decorations to draw; each is optional.
struct DecorationSet {
    bool title = true, legend = true, scaleBar = true, north = true, credits = true, date = true, crs = true;
    static DecorationSet none() { return {false, false, false, false, false, false, false}; }
    bool operator==(const DecorationSet&) const = default;
};
// Parses "title,legend,scalebar,north,credits,date,crs" (any subset); false when a name is unknown.
bool parseDecorations(const std::string& list, DecorationSet& out);

// The decorations of one image of `view`, from the layers of `project` drawn in `scene`. Throws geo::IoError when no
// font can write them (rather than an image with empty boxes).
Overlay decorations(const std::string& title, const geo::Project& project, const Scene& scene, const geo::View& view,
                    const geo::Crs& crs, float ratio, LabelRenderer& text, const DecorationSet& which = {});
// The data credits of the drawn layers, " | " between them (the map's attribution line).
std::string creditsText(const geo::Project& project, const Scene& scene, const geo::Crs& crs);

}  // namespace app::render

#pragma once
// Markup (meeting notes, kept measurements) as pixel shapes of one view, shared by the screen (the viewer draws
// them with ImGui's draw list, antialiased) and exports (an Overlay drawn over every tile, under the
// decorations), so what the meeting drew is what the report gets.
#include <string>
#include <vector>

#include "crs/crs.hpp"
#include "project/markup.hpp"
#include "render/labels.hpp"
#include "style/style.hpp"
#include "view/view.hpp"

namespace app::render {

struct MarkupShape {
    geo::MarkupKind kind = geo::MarkupKind::Freehand;
    std::vector<float> xy;          // the path in the view's pixels (polygons: the open ring)
    std::vector<uint32_t> fill;     // polygons: triangle indices into xy (tessellated, so concave rings fill right)
    float arrow[6] = {};            // arrows: the head triangle
    float textX = 0, textY = 0;     // where the text goes (text: the point; measurements: end or centre)
    std::string text;
    geo::Rgba color{230, 40, 40, 255};
    float widthPx = 3;              // line width, or the text size, in the view's pixels
};

// `toDisplay` maps WGS84 lon/lat to the view's CRS; `ratio` scales widths (HiDPI screens, print dpi / 96).
// Items whose points do not transform are left out.
std::vector<MarkupShape> markupShapes(const std::vector<geo::MarkupItem>& items, const geo::View& view,
                                      const geo::Transformer& toDisplay, float ratio);

// The shapes as an overlay: segments as quads with square joins, polygon fills at a third of the colour's alpha,
// arrow heads, and text over a white box. Prepares the font for the texts (throws geo::IoError without one).
Overlay markupOverlay(const std::vector<MarkupShape>& shapes, LabelRenderer& text, float ratio);

}  // namespace app::render

#pragma once
// The frame of a saved view or a slide: one rule for the screen, the presentation and every export.
#include <optional>

#include "project/project.hpp"
#include "render/scene.hpp"
#include "view/view.hpp"

namespace app::render {

// `base` (viewport size, current resolution) showing the saved view `pv` in `crs`; `pixelMeters` is the size of
// an output pixel (0.28 mm on screen, 0.0254 / dpi on paper), so a saved scale means the same on both. A view
// with no scale keeps base's resolution.
geo::View frameForView(const geo::View& base, const geo::ProjectView& pv, const geo::Crs& crs,
                       double pixelMeters = geo::kStandardPixelMeters);

// A slide's frame: its fitted projects with a margin (a single point: 1:5000 around it), else its saved view;
// nullopt when it has neither. `roomFactor` > 1 zooms out a little more (room for the presentation's title box).
std::optional<geo::View> frameForSlide(const geo::View& base, const geo::Slide& slide, const geo::Project& project,
                                       const Scene& scene, const geo::Crs& crs,
                                       double pixelMeters = geo::kStandardPixelMeters, double roomFactor = 1.0);

// Fits `target` for a fly-to: a point (or a tiny site) is shown at 1:5000, anything else no closer than 1:2000.
geo::View frameForFeature(const geo::View& base, const geo::BBox& target, const geo::Crs& crs);

}  // namespace app::render

#pragma once
// What the headless commands say about the layers they loaded: every warning on stderr, one error when no visible
// layer has anything to draw (exit 1: a blank image with exit 0 would pass for a map), and a warning per layer
// that has nothing inside the picture's box.
#include <optional>
#include <string>

#include "project/project.hpp"
#include "render/scene.hpp"
#include "view/view.hpp"

namespace app::cli {

// "nothing to draw: layer 'A' (a.geojson): why; ..." when every visible layer loaded with nothing to draw (their
// warnings say why); nullopt when something draws, or when no layer is visible at all.
std::optional<std::string> nothingToDraw(const geo::Project& project, const render::Scene& scene);

// Writes "planatlas COMMAND: warning: ..." for every warning of every layer.
void printLayerWarnings(const char* command, const render::Scene& scene);

// Warns about each visible layer with data that has none inside `view` (a --bbox elsewhere), and once more when
// no visible layer has anything there: the image then shows only the background.
void warnOutsideView(const char* command, const geo::Project& project, const render::Scene& scene,
                     const geo::View& view);

}  // namespace app::cli

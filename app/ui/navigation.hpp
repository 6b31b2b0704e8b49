#pragma once
// Map navigation from mouse and keyboard input, as a pure function over the view (tested without a window).
#include "view/view.hpp"

namespace app::ui {

struct NavInput {
    double mouseX = 0, mouseY = 0;  // framebuffer pixels
    double dragDX = 0, dragDY = 0;  // framebuffer pixels moved while the left button is held on the map
    double wheel = 0;               // notches, positive = zoom in
    bool left = false, right = false, up = false, down = false, zoomIn = false, zoomOut = false;
};

constexpr double kWheelZoomStep = 1.25;  // per notch
constexpr double kKeyPanFraction = 0.1;  // of the viewport per key press

// Returns true when the view changed.
bool applyNavigation(geo::View& view, const NavInput& in);

}  // namespace app::ui

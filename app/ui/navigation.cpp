#include "ui/navigation.hpp"

#include <cmath>

namespace app::ui {

bool applyNavigation(geo::View& view, const NavInput& in) {
    bool changed = false;
    if (in.dragDX != 0 || in.dragDY != 0) {
        view.panPixels(in.dragDX, in.dragDY);
        changed = true;
    }
    if (in.wheel != 0) {
        view.zoomAbout(std::pow(kWheelZoomStep, in.wheel), in.mouseX, in.mouseY);
        changed = true;
    }
    double px = kKeyPanFraction * view.width, py = kKeyPanFraction * view.height;
    if (in.left) view.panPixels(px, 0), changed = true;
    if (in.right) view.panPixels(-px, 0), changed = true;
    if (in.up) view.panPixels(0, py), changed = true;
    if (in.down) view.panPixels(0, -py), changed = true;
    if (in.zoomIn) view.zoomAbout(2.0, 0.5 * view.width, 0.5 * view.height), changed = true;
    if (in.zoomOut) view.zoomAbout(0.5, 0.5 * view.width, 0.5 * view.height), changed = true;
    return changed;
}

}  // namespace app::ui

#include "view/view.hpp"

#include <algorithm>
#include <cmath>

namespace geo {

void View::fit(const BBox& box, double marginFraction) {
    if (box.empty()) return;
    centerX = box.centerX();
    centerY = box.centerY();
    double usableW = std::max(1.0, width * (1 - 2 * marginFraction));
    double usableH = std::max(1.0, height * (1 - 2 * marginFraction));
    double r = std::max(box.width() / usableW, box.height() / usableH);
    resolution = r > 0 ? r : (resolution > 0 ? resolution : 1.0);
}

void View::zoomAbout(double factor, double sx, double sy) {
    if (factor <= 0) return;
    double wx = screenToWorldX(sx), wy = screenToWorldY(sy);
    resolution /= factor;
    centerX = wx - (sx - 0.5 * width) * resolution;
    centerY = wy - (0.5 * height - sy) * resolution;
}

double groundResolution(const View& view, const Transformer& toWgs84) {
    // Measure a short east-west segment of 10 px around the centre and divide.
    double half = 5 * view.resolution;
    double pts[4] = {view.centerX - half, view.centerY, view.centerX + half, view.centerY};
    if (toWgs84.transform(pts, 2) != 2) return 0;
    return groundDistanceMeters(pts[0], pts[1], pts[2], pts[3]) / 10.0;
}

double scaleDenominator(const View& view, const Transformer& toWgs84, double pixelMeters) {
    return groundResolution(view, toWgs84) / pixelMeters;
}

void setScale(View& view, const Transformer& toWgs84, double denominator, double pixelMeters) {
    double current = scaleDenominator(view, toWgs84, pixelMeters);
    if (current > 0 && denominator > 0) view.resolution *= denominator / current;
}

}  // namespace geo

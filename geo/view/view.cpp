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
    // The measuring segment is as long as 10 pixels, so it changes with the resolution: a few passes converge
    // (two already land within 1e-6 in every display CRS used here).
    for (int pass = 0; pass < 3; ++pass) {
        double current = scaleDenominator(view, toWgs84, pixelMeters);
        if (!(current > 0) || !(denominator > 0)) return;
        double factor = denominator / current;
        view.resolution *= factor;
        if (std::abs(factor - 1) < 1e-9) return;
    }
}

View viewAt(const View& base, double lon, double lat, double denominator, const Crs& display, double pixelMeters) {
    View v = base;
    double c[2] = {lon, lat};
    if (Transformer(Crs::wgs84(), display).transform(c, 1) != 1) return v;
    v.centerX = c[0];
    v.centerY = c[1];
    if (denominator > 0) setScale(v, Transformer(display, Crs::wgs84()), denominator, pixelMeters);
    return v;
}

}  // namespace geo

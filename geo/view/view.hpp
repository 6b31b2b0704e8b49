#pragma once
// The map view: a centre and a resolution in the display CRS, over a viewport in framebuffer pixels.
// Screen coordinates have their origin at the top-left, y down; world y is up.
#include "core/bbox.hpp"
#include "crs/crs.hpp"

namespace geo {

// OGC's standardized rendering pixel (0.28 mm), used for 1:N scale denominators like WMS and QGIS.
constexpr double kStandardPixelMeters = 0.28e-3;

struct View {
    double centerX = 0, centerY = 0;
    double resolution = 1;  // display CRS units per pixel
    int width = 800, height = 600;

    double worldToScreenX(double x) const { return (x - centerX) / resolution + 0.5 * width; }
    double worldToScreenY(double y) const { return 0.5 * height - (y - centerY) / resolution; }
    double screenToWorldX(double sx) const { return centerX + (sx - 0.5 * width) * resolution; }
    double screenToWorldY(double sy) const { return centerY + (0.5 * height - sy) * resolution; }
    BBox extent() const {
        BBox b;
        b.add(screenToWorldX(0), screenToWorldY(height));
        b.add(screenToWorldX(width), screenToWorldY(0));
        return b;
    }
    // Fits `box` inside the viewport with `marginFraction` free on each side (keeps the aspect ratio).
    void fit(const BBox& box, double marginFraction = 0.05);
    // Zooms by `factor` (>1 zooms in) keeping the world point under screen (sx, sy) fixed.
    void zoomAbout(double factor, double sx, double sy);
    void panPixels(double dx, double dy) {
        centerX -= dx * resolution;
        centerY += dy * resolution;
    }
};

// Ground metres per pixel at the view centre (east-west), measured on the ellipsoid through `toWgs84`
// (display CRS -> EPSG:4326). Returns 0 when the centre cannot be transformed.
double groundResolution(const View& view, const Transformer& toWgs84);
// 1:N map scale at the view centre for a screen whose pixel is `pixelMeters` wide.
double scaleDenominator(const View& view, const Transformer& toWgs84, double pixelMeters = kStandardPixelMeters);
// Sets the resolution so that the view shows scale 1:denominator at its centre (converged: one call is enough).
void setScale(View& view, const Transformer& toWgs84, double denominator, double pixelMeters = kStandardPixelMeters);
// `base` (viewport, resolution) centred on WGS84 (lon, lat) in `display`, at 1:denominator when it is > 0. The one
// conversion from a saved view (project, bookmark, slide) to a view on screen or paper.
View viewAt(const View& base, double lon, double lat, double denominator, const Crs& display,
            double pixelMeters = kStandardPixelMeters);

}  // namespace geo

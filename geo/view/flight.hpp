#pragma once
// Smooth zoom-and-pan between two views after van Wijk & Nuij, "Smooth and efficient zooming and panning"
// (IEEE InfoVis 2003): the path that MapLibre's and deck.gl's flyTo follow. The camera zooms out, pans, zooms in;
// rho (~1.42) trades zooming for panning, the duration is the path length over a speed in "screenfuls" per
// second, capped.
#include "view/view.hpp"

namespace geo {

struct FlightOptions {
    double curve = 1.42;      // rho
    double speed = 1.2;       // screenfuls per second
    double maxDuration = 4.0;  // seconds
};

class FlightPath {
public:
    FlightPath(const View& from, const View& to, const FlightOptions& options = {});
    double duration() const { return duration_; }
    // The view at parameter t in [0, 1] (fraction of the duration); exactly `from` at 0 and `to` at 1.
    View at(double t) const;
    // Visible width in display units along the path, for tests: at(t).resolution * width.
    double span(double t) const;

private:
    View from_, to_;
    double rho_, w0_, w1_, u1_, r0_ = 0, length_ = 0, duration_ = 0;
    bool zoomOnly_ = false;
};

}  // namespace geo

#include "view/flight.hpp"

#include <algorithm>
#include <cmath>

namespace geo {

FlightPath::FlightPath(const View& from, const View& to, const FlightOptions& o)
    : from_(from), to_(to), rho_(o.curve) {
    const double size = std::max(from.width, from.height);
    w0_ = from.resolution * size;  // visible span, display units
    w1_ = to.resolution * size;
    u1_ = std::hypot(to.centerX - from.centerX, to.centerY - from.centerY);
    const double rho2 = rho_ * rho_;
    auto b = [&](int i) {
        double w = i ? w1_ : w0_;
        return (w1_ * w1_ - w0_ * w0_ + (i ? -1 : 1) * rho2 * rho2 * u1_ * u1_) / (2 * w * rho2 * u1_);
    };
    auto r = [&](int i) {
        double bi = b(i);
        return std::log(std::sqrt(bi * bi + 1) - bi);
    };
    // Below a thousandth of a screen of panning, the path is a pure zoom (the formula divides by u1).
    zoomOnly_ = u1_ < 1e-3 * std::max(w0_, w1_) || !std::isfinite(r(0)) || !std::isfinite(r(1));
    if (zoomOnly_) {
        length_ = std::abs(std::log(w1_ / w0_)) / rho_;
    } else {
        r0_ = r(0);
        length_ = (r(1) - r0_) / rho_;
    }
    if (!std::isfinite(length_)) length_ = 0;
    duration_ = std::min(o.maxDuration, length_ / o.speed);
}

double FlightPath::span(double t) const {
    const double s = std::clamp(t, 0.0, 1.0) * length_;
    if (zoomOnly_) return w0_ * std::exp((w1_ < w0_ ? -1 : 1) * rho_ * s);
    return w0_ * std::cosh(r0_) / std::cosh(rho_ * s + r0_);
}

View FlightPath::at(double t) const {
    if (t <= 0) return from_;
    if (t >= 1 || length_ <= 0) return to_;
    const double s = t * length_;
    double fraction = 0;  // of the way between the centres
    if (!zoomOnly_) {
        const double rho2 = rho_ * rho_;
        double u = w0_ / rho2 * std::cosh(r0_) * std::tanh(rho_ * s + r0_) - w0_ / rho2 * std::sinh(r0_);
        fraction = u / u1_;
    } else {
        fraction = t;
    }
    View v = from_;
    v.centerX = from_.centerX + (to_.centerX - from_.centerX) * fraction;
    v.centerY = from_.centerY + (to_.centerY - from_.centerY) * fraction;
    v.resolution = span(t) / std::max(from_.width, from_.height);
    return v;
}

}  // namespace geo

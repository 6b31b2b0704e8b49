// Input rings to linked rings: what is left out and counted, and the orientation every later step relies on.
#include <algorithm>
#include <cmath>

#include "tessellate/clipper.hpp"

namespace geo::tess {

double Clipper::rescale() const {
    if (maxAbs_ == 0 || (maxAbs_ > 1e-140 && maxAbs_ < 1e140)) return 1;
    int exponent = 0;
    std::frexp(maxAbs_, &exponent);
    // Cross products multiply two coordinate differences: beyond about 1e150 they overflow to infinity, below
    // about 1e-150 they underflow to zero. A power of two rescales exactly.
    if (exponent > 480 || exponent < -480) return std::ldexp(1.0, std::clamp(-exponent, -1000, 1000));
    return 1;
}

double Clipper::outerArea2() const {
    double area2 = ringAreas_.empty() ? 0 : ringAreas_[0];
    for (size_t r = 1; r < ringAreas_.size() && r < active_.size(); ++r)
        if (active_[r]) area2 -= ringAreas_[r];
    return area2;
}

int Clipper::addRing(const double* xy, uint32_t begin, uint32_t end, bool clockwise, double scale) {
    // One pass: finite vertices become nodes, repeats are merged; meanwhile the signed area (relative to the first
    // vertex, so large projected coordinates keep their precision) and whether any vertex lies off the line
    // through the first two (a bow-tie encloses area though its signed area cancels).
    const int first = static_cast<int>(nodes_.size());
    double ox = 0, oy = 0, dx = 0, dy = 0, px = 0, py = 0, area2 = 0;
    bool offLine = false;
    int n = 0;
    for (uint32_t i = begin; i < end; ++i) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!std::isfinite(x) || !std::isfinite(y)) {
            ++stats_->nonFiniteVertices;
            continue;
        }
        x *= scale;
        y *= scale;
        if (n > 0 && x == nodes_.back().x && y == nodes_.back().y) {
            ++stats_->repeatedVertices;
            continue;
        }
        maxAbs_ = std::max(maxAbs_, std::max(std::abs(x), std::abs(y)));
        if (n == 0) {
            ox = x;
            oy = y;
        }
        const double rx = x - ox, ry = y - oy;
        area2 += px * ry - rx * py;
        if (n == 1) {
            dx = rx;
            dy = ry;
        } else if (n > 1) {
            offLine = offLine || dx * ry - dy * rx != 0;
        }
        px = rx;
        py = ry;
        const int id = first + n++;
        nodes_.push_back({x, y, i, 0, id - 1, id + 1, -1, 0, -1});
    }
    // The closing vertex repeats the first (not counted: that is how rings are written). Terms of the area sum
    // that touch the first vertex are zero, so it need not be corrected.
    if (n >= 2 && nodes_.back().x == ox && nodes_.back().y == oy) {
        nodes_.pop_back();
        --n;
    }
    if (n < 3 || !offLine) {
        nodes_.resize(first);
        ++stats_->ringsDropped;
        return -1;
    }
    const int last = first + n - 1;
    nodes_[first].prev = last;
    nodes_[last].next = first;
    if ((area2 > 0) == clockwise)  // the wrong way round
        for (int id = first; id <= last; ++id) std::swap(nodes_[id].prev, nodes_[id].next);
    ringAreas_.push_back(std::abs(area2));
    return first;
}

}  // namespace geo::tess

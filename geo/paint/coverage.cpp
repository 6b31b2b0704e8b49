#include "paint/coverage.hpp"

#include <cmath>
#include <utility>

namespace geo {

namespace {

// A straight piece of an edge inside one row, from x = xa to xb, sweeping signed height dy: its height is spread
// evenly over its x range; each cell it crosses gets its share, split with the next cell by the share's mean x.
// A cell between the piece's first and last is crossed whole: half its share stays, half goes to the next cell,
// which the previous cell's half makes whole again; so every cell is written once, the two halves summed first.

// The piece from `from` to `to` (0 <= from <= to, first cell c0 = floor(from), last c1) of the row `cells`, where
// perX = dy / (to - from): the edge's, so no division a row.
[[gnu::always_inline]] inline void spread(float* cells, double from, double to, int c0, int c1, double dy, double perX) {
    if (c0 == c1) {
        const double f = 0.5 * (from + to) - c0;
        cells[c0] += static_cast<float>(dy * (1.0 - f));
        cells[c0 + 1] += static_cast<float>(dy * f);
        return;
    }
    const double d0 = perX * (c0 + 1.0 - from), f0 = 0.5 * (from - c0 + 1.0);
    cells[c0] += static_cast<float>(d0 * (1.0 - f0));
    double carry = d0 * f0;
    const double half = 0.5 * perX;
    for (int c = c0 + 1; c < c1; ++c) {
        cells[c] += static_cast<float>(carry + half);
        carry = half;
    }
    const double d1 = perX * (to - c1), f1 = 0.5 * (to - c1);
    cells[c1] += static_cast<float>(carry + d1 * (1.0 - f1));
    cells[c1 + 1] += static_cast<float>(d1 * f1);
}

// A piece anywhere along the row: clipped to the window [0, width) first. `lo` and `hi` are the row's touched range.
[[gnu::always_inline]] inline void addPiece(float* cells, int& lo, int& hi, int width, double xa, double xb, double dy,
                                            double perX) {
    if (xa > xb) std::swap(xa, xb);
    const double w = width;
    if (xb <= 0.0) {  // left of the window: covers everything to its right
        cells[0] += static_cast<float>(dy);
        lo = 0;
        hi = std::max(hi, 1);
        return;
    }
    if (xa >= w) return;  // right of the window: covers nothing in it
    if (xb - xa < 1e-9) {  // (perX may be meaningless)
        const int c = static_cast<int>(xa);
        spread(cells, xa, xa, c, c, dy, 0.0);
        lo = std::min(lo, c);
        hi = std::max(hi, c + 1);
        return;
    }
    double from = xa;
    if (xa < 0.0) {  // the part left of the window covers it all
        cells[0] += static_cast<float>(perX * -xa);
        from = 0.0;
    }
    const double to = std::min(xb, w);
    const int c0 = static_cast<int>(from);
    const int c1 = std::min(static_cast<int>(to), width - 1);
    spread(cells, from, to, c0, c1, perX * (to - from), perX);
    lo = std::min(lo, xa < 0.0 ? 0 : c0);
    hi = std::max(hi, c1 + 1);
}

}  // namespace


void CoverageMask::begin(int x0, int y0, int width, int height) {
    x0_ = x0;
    y0_ = y0;
    w_ = std::max(0, width);
    h_ = std::max(0, height);
    stride_ = w_ + 2;
    const size_t cells = size_t(stride_) * size_t(h_);
    // Cells are cleared by sweep() as it goes, so only growth needs zeros.
    if (acc_.size() < cells) acc_.assign(cells, 0.0f);
    rowMin_.assign(size_t(h_), stride_);
    rowMax_.assign(size_t(h_), -1);
    if (out_.size() < size_t(w_)) out_.resize(size_t(w_));
}

void CoverageMask::addEdge(double ax, double ay, double bx, double by) {
    ax -= x0_;
    bx -= x0_;
    ay -= y0_;
    by -= y0_;
    if (ay == by || !std::isfinite(ax) || !std::isfinite(ay) || !std::isfinite(bx) || !std::isfinite(by)) return;
    double sign = 1.0;
    if (ay > by) {
        std::swap(ax, bx);
        std::swap(ay, by);
        sign = -1.0;
    }
    if (by <= 0.0 || ay >= h_) return;
    const double dxdy = (bx - ax) / (by - ay);
    double y = std::max(ay, 0.0);
    const double yEnd = std::min(by, double(h_));
    double x = ax + (y - ay) * dxdy;
    int row = static_cast<int>(std::floor(y));
    const double xl = std::min(ax, bx), xr = std::max(ax, bx);
    const double perX = sign / std::abs(dxdy);  // (infinite for a vertical edge: not used then)
    if (xl >= 0.0 && xr < w_) {  // inside the window: nothing to clip
        for (; y < yEnd && row < h_; ++row) {
            const double ny = std::min(yEnd, row + 1.0);
            const double nx = ax + (ny - ay) * dxdy;
            const double from = std::min(x, nx), to = std::max(x, nx);
            const int c0 = static_cast<int>(from), c1 = static_cast<int>(to);
            spread(&acc_[size_t(row) * size_t(stride_)], from, to, c0, c1, (ny - y) * sign, perX);
            int& lo = rowMin_[size_t(row)];
            int& hi = rowMax_[size_t(row)];
            lo = std::min(lo, c0);
            hi = std::max(hi, c1 + 1);
            y = ny;
            x = nx;
        }
        return;
    }
    while (y < yEnd && row < h_) {
        const double ny = std::min(yEnd, row + 1.0);
        const double nx = ax + (ny - ay) * dxdy;
        addPiece(&acc_[size_t(row) * size_t(stride_)], rowMin_[size_t(row)], rowMax_[size_t(row)], w_, x, nx,
                 (ny - y) * sign, perX);
        y = ny;
        x = nx;
        ++row;
    }
}

void CoverageMask::addPositivePolygon(const double* xy, int n) {
    if (n < 3) return;
    double area = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) area += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
    if (area == 0) return;
    // Positive coverage means the same turning sense for every piece; which one does not matter, only that overlaps
    // add up.
    if (area > 0) {
        for (int i = 0, j = n - 1; i < n; j = i++) addEdge(xy[2 * j], xy[2 * j + 1], xy[2 * i], xy[2 * i + 1]);
    } else {
        for (int i = 0, j = n - 1; i < n; j = i++) addEdge(xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1]);
    }
}

}  // namespace geo

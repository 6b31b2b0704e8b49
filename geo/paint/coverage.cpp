#include "paint/coverage.hpp"

#include <cmath>
#include <utility>

namespace geo {

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
    while (y < yEnd && row < h_) {
        const double ny = std::min(yEnd, row + 1.0);
        const double nx = ax + (ny - ay) * dxdy;
        addPiece(row, x, nx, (ny - y) * sign);
        y = ny;
        x = nx;
        ++row;
    }
}

// A straight piece of an edge inside one row, from x = xa to xb, sweeping signed height dy: its height is spread
// evenly over its x range; each cell it crosses gets its share, split with the next cell by the share's mean x.
void CoverageMask::addPiece(int row, double xa, double xb, double dy) {
    if (xa > xb) std::swap(xa, xb);
    float* cells = &acc_[size_t(row) * size_t(stride_)];
    int& lo = rowMin_[size_t(row)];
    int& hi = rowMax_[size_t(row)];
    const double w = w_;
    // Most pieces (small parts, steep edges) lie inside one cell of the window: its two cells, nothing else (the
    // loop's arithmetic for that cell below, to the bit).
    if (xa >= 0.0 && xb < w && xb - xa >= 1e-9) {
        const int c = static_cast<int>(xa);
        if (xb <= c + 1.0) {
            const double f = 0.5 * (xa + xb) - c, d = dy / (xb - xa) * (xb - xa);
            cells[c] += static_cast<float>(d * (1.0 - f));
            cells[c + 1] += static_cast<float>(d * f);
            lo = std::min(lo, c);
            hi = std::max(hi, c + 1);
            return;
        }
    }
    auto put = [&](int c, double f, double d) {
        cells[c] += static_cast<float>(d * (1.0 - f));
        cells[c + 1] += static_cast<float>(d * f);
        lo = std::min(lo, c);
        hi = std::max(hi, c + 1);
    };
    if (xb <= 0.0) {  // left of the window: covers everything to its right
        put(0, 0.0, dy);
        return;
    }
    if (xa >= w) return;  // right of the window: covers nothing in it
    const double span = xb - xa;
    if (span < 1e-9) {
        const int c = static_cast<int>(xa);
        put(c, xa - c, dy);
        return;
    }
    double from = xa;
    if (xa < 0.0) {
        put(0, 0.0, dy * (-xa) / span);
        from = 0.0;
    }
    const double to = std::min(xb, w);
    const double perX = dy / span;
    int c = static_cast<int>(from);
    while (from < to) {
        const double next = std::min(to, c + 1.0);
        put(c, 0.5 * (from + next) - c, perX * (next - from));
        from = next;
        ++c;
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

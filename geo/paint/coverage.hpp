#pragma once
// Exact-area coverage of shapes on a pixel grid, for the CPU painter (geo/paint/vector_paint.hpp).
//
// Pixel (x, y) is the unit square [x, x+1] x [y, y+1]; y grows downwards. Every edge adds, to the cells of the rows
// it crosses, the signed area it sweeps (the part of its height in that row, split between the cell it runs through
// and the next by its mean position in the cell); a prefix sum along a row then gives each pixel the signed area of
// the shape inside it, its winding number integrated over the pixel. Coverage is that, made positive and clamped to
// 1 (the non-zero rule), so an edge gets as many coverage levels as a float holds and a pixel at least half covered
// is one whose centre a straight edge would put inside, up to a corner's worth of area: the rule gdal_rasterize
// burns by. Shapes must be closed (every ring's edges end where they began); edges outside the window are clipped
// exactly (left of it they still cover the pixels to their right).
//
// Cost: per edge, the rows and cells it crosses; per row, only the cells between the leftmost and rightmost edge
// touching it are summed, and past them a constant run (a shape reaching beyond the window's right side).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace geo {

class CoverageMask {
public:
    // Starts a new shape over the pixel window [x0, x0 + width) x [y0, y0 + height).
    void begin(int x0, int y0, int width, int height);
    // One edge in pixel coordinates (of the whole image, not the window). An edge with a non-finite coordinate is
    // ignored (callers leave such rings out: it breaks the ring's closure).
    void addEdge(double ax, double ay, double bx, double by);
    // A closed polygon through `n` points (x, y pairs) with its orientation made positive: convex pieces (capsule
    // bodies, joins) whose overlaps must add up rather than cancel.
    void addPositivePolygon(const double* xy, int n);

    // Calls run(y, x, length, coverage) for every run of covered pixels in row y, left to right, rows top to bottom;
    // `coverage` holds `length` values in (0, 1]. Clears the mask for the next shape.
    template <class Run>
    void sweep(Run&& run);

    // Sweeps this mask and `inner` (begun on the same window) together, for an opaque fill and outline painted as
    // one (part_shapes.hpp, addOutline's fillInside): this mask holds the outlines' outer offsets, `inner` their
    // inner ones, both as positive pieces. Calls run(y, x, length, stroke, fill) for every run of pixels either
    // covers, rows top to bottom: `stroke` is this mask minus inner (clamped to [0, 1]), `fill` the inner cover
    // (clamped) that the stroke leaves, at most 1 - stroke. So a pixel split between a fill and its outline shows
    // both in proportion, and nothing of what lies under them, as GL's samples show it. Clears both masks.
    template <class Run>
    void sweepWithInner(CoverageMask& inner, Run&& run);

    int x0() const { return x0_; }
    int y0() const { return y0_; }
    int width() const { return w_; }
    int height() const { return h_; }

private:
    // The sign of a positive piece's (addPositivePolygon's) summed area.
    static constexpr double kPositive = -1.0;
    int x0_ = 0, y0_ = 0, w_ = 0, h_ = 0, stride_ = 0;
    std::vector<float> acc_;              // h rows of (w + 2) cells
    std::vector<int> rowMin_, rowMax_;    // touched cells per row (rowMin > rowMax: untouched)
    std::vector<float> out_;              // one row's coverage
};

template <class Run>
void CoverageMask::sweep(Run&& run) {
    for (int r = 0; r < h_; ++r) {
        if (rowMin_[r] > rowMax_[r]) continue;
        float* cells = &acc_[size_t(r) * size_t(stride_)];
        const int c0 = rowMin_[r], c1 = std::min(rowMax_[r], w_ - 1);
        // Runs of covered cells; cells covered less than kNone (under half a level of 8 bits) end a run.
        constexpr float kNone = 1.0f / 1024.0f;
        // Summed in double: a row of a pass painted as one shape (vector_paint.cpp) adds up thousands of parts,
        // each leaving a float's rounding behind.
        double sum = 0;
        int start = -1;
        for (int c = c0; c <= c1; ++c) {
            if (std::abs(sum) < 0.5 * kNone) {  // outside (no run open): past the cells nothing touched
                while (c <= c1 && cells[c] == 0.0f) ++c;
                if (c > c1) break;
            }
            sum += cells[c];
            const float a = static_cast<float>(sum < 0 ? -sum : sum);
            if (a < kNone) {
                if (start >= 0) run(y0_ + r, x0_ + start, c - start, &out_[size_t(start - c0)]);
                start = -1;
                continue;
            }
            if (start < 0) start = c;
            out_[size_t(c - c0)] = a > 1.0f ? 1.0f : a;
        }
        // Past the last touched cell the winding stays what it is: a shape crossing the window's right side.
        const float a = static_cast<float>(sum < 0 ? -sum : sum);
        int end = c1 + 1;
        if (a >= kNone && c1 + 1 < w_) {
            if (start < 0) start = c1 + 1;
            const float v = a > 1.0f ? 1.0f : a;
            for (int c = c1 + 1; c < w_; ++c) out_[size_t(c - c0)] = v;
            end = w_;
        }
        if (start >= 0) run(y0_ + r, x0_ + start, end - start, &out_[size_t(start - c0)]);
        std::fill(cells + c0, cells + rowMax_[r] + 1, 0.0f);
        rowMin_[r] = stride_;
        rowMax_[r] = -1;
    }
}

template <class Run>
void CoverageMask::sweepWithInner(CoverageMask& inner, Run&& run) {
    constexpr float kNone = 1.0f / 1024.0f;
    float* stroke = out_.data();
    float* fill = inner.out_.data();
    // The two covers of a pixel from the two sums.
    auto covers = [](double outer, double in, float& s, float& f) {
        const double fi = std::clamp(kPositive * in, 0.0, 1.0);
        const double st = std::clamp(kPositive * (outer - in), 0.0, 1.0);
        s = static_cast<float>(st);
        f = static_cast<float>(std::min(fi, 1.0 - st));
    };
    for (int r = 0; r < h_; ++r) {
        int& a0 = rowMin_[r];
        int& a1 = rowMax_[r];
        int& b0 = inner.rowMin_[r];
        int& b1 = inner.rowMax_[r];
        if (a0 > a1 && b0 > b1) continue;
        float* ca = &acc_[size_t(r) * size_t(stride_)];
        float* cb = &inner.acc_[size_t(r) * size_t(stride_)];
        // (Cells outside a mask's touched range are zero.)
        const int c0 = std::min(a0, b0), c1 = std::min(std::max(a1, b1), w_ - 1);
        double sa = 0, sb = 0;
        int start = -1;
        for (int c = c0; c <= c1; ++c) {
            if (std::abs(sa) < 0.5 * kNone && std::abs(sb) < 0.5 * kNone) {  // outside: as sweep()
                while (c <= c1 && ca[c] == 0.0f && cb[c] == 0.0f) ++c;
                if (c > c1) break;
            }
            sa += ca[c];
            sb += cb[c];
            float s, f;
            covers(sa, sb, s, f);
            if (s < kNone && f < kNone) {
                if (start >= 0) run(y0_ + r, x0_ + start, c - start, &stroke[start - c0], &fill[start - c0]);
                start = -1;
                continue;
            }
            if (start < 0) start = c;
            stroke[c - c0] = s;
            fill[c - c0] = f;
        }
        // Past the last touched cell the sums stay what they are: shapes crossing the window's right side.
        float s, f;
        covers(sa, sb, s, f);
        int end = c1 + 1;
        if ((s >= kNone || f >= kNone) && c1 + 1 < w_) {
            if (start < 0) start = c1 + 1;
            for (int c = c1 + 1; c < w_; ++c) {
                stroke[c - c0] = s;
                fill[c - c0] = f;
            }
            end = w_;
        }
        if (start >= 0) run(y0_ + r, x0_ + start, end - start, &stroke[start - c0], &fill[start - c0]);
        if (a0 <= a1) std::fill(ca + a0, ca + a1 + 1, 0.0f);
        if (b0 <= b1) std::fill(cb + b0, cb + b1 + 1, 0.0f);
        a0 = b0 = stride_;
        a1 = b1 = -1;
    }
}

}  // namespace geo

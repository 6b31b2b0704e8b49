// Exact-area coverage (geo/paint/coverage.hpp): areas, clipping, holes, and the pixel-centre rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "paint/coverage.hpp"

namespace {

// The mask swept into a dense width x height array.
std::vector<float> sweepAll(geo::CoverageMask& m, int width, int height) {
    std::vector<float> out(size_t(width) * height, 0.0f);
    m.sweep([&](int y, int x, int n, const float* c) {
        for (int i = 0; i < n; ++i) out[size_t(y) * width + x + i] = c[i];
    });
    return out;
}

void addRing(geo::CoverageMask& m, const std::vector<double>& xy) {
    const size_t n = xy.size() / 2;
    for (size_t i = 0, j = n - 1; i < n; j = i++) m.addEdge(xy[2 * j], xy[2 * j + 1], xy[2 * i], xy[2 * i + 1]);
}

double sum(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += x;
    return s;
}

double shoelace(const std::vector<double>& xy) {
    const size_t n = xy.size() / 2;
    double a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) a += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
    return std::abs(a) / 2;
}

bool inside(const std::vector<double>& xy, double x, double y) {  // even-odd point in polygon
    bool in = false;
    const size_t n = xy.size() / 2;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
    }
    return in;
}

}  // namespace

TEST(Coverage, AHalfPixelOffsetSquareHasHalfCoveredEdgesAndQuarterCorners) {
    geo::CoverageMask m;
    m.begin(0, 0, 10, 10);
    addRing(m, {2.5, 2.5, 7.5, 2.5, 7.5, 7.5, 2.5, 7.5});
    const std::vector<float> c = sweepAll(m, 10, 10);
    EXPECT_NEAR(c[3 * 10 + 3], 1.0f, 1e-5);
    EXPECT_NEAR(c[2 * 10 + 4], 0.5f, 1e-5);   // top edge
    EXPECT_NEAR(c[4 * 10 + 7], 0.5f, 1e-5);   // right edge
    EXPECT_NEAR(c[2 * 10 + 2], 0.25f, 1e-5);  // corner
    EXPECT_NEAR(c[7 * 10 + 7], 0.25f, 1e-5);
    EXPECT_EQ(c[1 * 10 + 4], 0.0f);
    EXPECT_EQ(c[4 * 10 + 8], 0.0f);
    EXPECT_NEAR(sum(c), 25.0, 1e-4);
}

TEST(Coverage, EitherOrientationCoversTheSameAndTheMaskIsClearedForTheNextShape) {
    geo::CoverageMask m;
    const std::vector<double> cw = {1.2, 1.7, 8.9, 2.3, 6.1, 8.4}, ccw = {6.1, 8.4, 8.9, 2.3, 1.2, 1.7};
    m.begin(0, 0, 10, 10);
    addRing(m, cw);
    const std::vector<float> a = sweepAll(m, 10, 10);
    m.begin(0, 0, 10, 10);
    addRing(m, ccw);
    const std::vector<float> b = sweepAll(m, 10, 10);
    EXPECT_NEAR(sum(a), shoelace(cw), 1e-4);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5) << i;
}

TEST(Coverage, ShapesReachingPastTheWindowAreClippedExactly) {
    // A triangle reaching past every side of a 10x10 window at (5, 5): the covered area is its intersection.
    geo::CoverageMask m;
    m.begin(5, 5, 10, 10);
    const std::vector<double> tri = {-20, 3, 40, 9, 8, 40};
    addRing(m, tri);
    const std::vector<float> c = sweepAll(m, 20, 20);
    // Reference: 64x64 samples per pixel of the window.
    double expected = 0;
    for (int y = 5; y < 15; ++y)
        for (int x = 5; x < 15; ++x) {
            int n = 0;
            for (int j = 0; j < 64; ++j)
                for (int i = 0; i < 64; ++i) n += inside(tri, x + (i + 0.5) / 64, y + (j + 0.5) / 64);
            const double want = n / 4096.0;
            EXPECT_NEAR(c[size_t(y) * 20 + x], want, 0.02) << x << "," << y;
            expected += want;
        }
    EXPECT_NEAR(sum(c), expected, 0.05);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 20; ++x)
            if (x < 5 || y < 5 || x >= 15 || y >= 15) EXPECT_EQ(c[size_t(y) * 20 + x], 0.0f);
}

TEST(Coverage, AHoleOfOppositeOrientationIsCutOut) {
    geo::CoverageMask m;
    m.begin(0, 0, 20, 20);
    addRing(m, {1, 1, 19, 1, 19, 19, 1, 19});
    addRing(m, {5.5, 5.5, 5.5, 14.5, 14.5, 14.5, 14.5, 5.5});  // reversed: the hole
    const std::vector<float> c = sweepAll(m, 20, 20);
    EXPECT_NEAR(sum(c), 18 * 18 - 9 * 9, 1e-3);
    EXPECT_EQ(c[10 * 20 + 10], 0.0f);
    EXPECT_NEAR(c[10 * 20 + 5], 0.5f, 1e-5);
}

TEST(Coverage, PositivePiecesAddUpInsteadOfCancelling) {
    geo::CoverageMask m;
    m.begin(0, 0, 10, 10);
    const double a[8] = {1, 1, 6, 1, 6, 6, 1, 6}, b[8] = {4, 4, 4, 9, 9, 9, 9, 4};  // opposite orientations
    m.addPositivePolygon(a, 4);
    m.addPositivePolygon(b, 4);
    const std::vector<float> c = sweepAll(m, 10, 10);
    EXPECT_NEAR(sum(c), 25 + 25 - 4, 1e-3);  // the overlap counts once: clamped to 1
    EXPECT_NEAR(c[4 * 10 + 4], 1.0f, 1e-5);
}

// Pixels at least half covered against gdal_rasterize's rule (pixel centre inside), on random rotated rectangles
// of 3.3-17 px (buildings of 5-25 m at 1.5 m/px, as the issue measures): the two differ only where a corner cuts a
// pixel. Each pixel's coverage is also checked against 16x16 samples.
TEST(Coverage, HalfCoveredPixelsFollowThePixelCentreRule) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> pos(10, 54), size(3.3, 17), angle(0, 3.14159);
    size_t both = 0, either = 0;
    geo::CoverageMask m;
    for (int k = 0; k < 400; ++k) {
        const double cx = pos(rng), cy = pos(rng), w = size(rng), h = size(rng), a = angle(rng);
        const double c = std::cos(a), s = std::sin(a);
        std::vector<double> r;
        for (auto [u, v] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
            r.push_back(cx + c * u * w / 2 - s * v * h / 2);
            r.push_back(cy + s * u * w / 2 + c * v * h / 2);
        }
        m.begin(0, 0, 64, 64);
        addRing(m, r);
        const std::vector<float> cov = sweepAll(m, 64, 64);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x) {
                const float cv = cov[size_t(y) * 64 + x];
                if (k < 20 && (cv > 0 || inside(r, x + 0.5, y + 0.5))) {
                    int n = 0;
                    for (int j = 0; j < 16; ++j)
                        for (int i = 0; i < 16; ++i) n += inside(r, x + (i + 0.5) / 16, y + (j + 0.5) / 16);
                    EXPECT_NEAR(cv, n / 256.0, 0.035) << x << "," << y;
                }
                const bool ours = cv >= 0.5f, rule = inside(r, x + 0.5, y + 0.5);
                both += ours && rule;
                either += ours || rule;
            }
    }
    const double iou = double(both) / double(either);
    std::printf("IoU vs pixel-centre rule: %.4f\n", iou);
    EXPECT_GE(iou, 0.99);
}

namespace {
// The area of the polygon `xy` (simple, either orientation) inside the unit square at (px, py): clipped to it
// (Sutherland-Hodgman), then measured.
double areaInPixel(const std::vector<double>& xy, int px, int py) {
    std::vector<double> poly = xy;
    auto clip = [&](auto in, auto cut) {
        std::vector<double> out;
        const size_t n = poly.size() / 2;
        for (size_t i = 0; i < n; ++i) {
            const size_t j = (i + 1) % n;
            const double ax = poly[2 * i], ay = poly[2 * i + 1], bx = poly[2 * j], by = poly[2 * j + 1];
            const bool ain = in(ax, ay), bin = in(bx, by);
            if (ain) out.insert(out.end(), {ax, ay});
            if (ain != bin) {
                const double t = cut(ax, ay, bx, by);
                out.insert(out.end(), {ax + t * (bx - ax), ay + t * (by - ay)});
            }
        }
        poly = out;
    };
    const double x0 = px, x1 = px + 1.0, y0 = py, y1 = py + 1.0;
    clip([&](double x, double) { return x >= x0; }, [&](double ax, double, double bx, double) { return (x0 - ax) / (bx - ax); });
    clip([&](double x, double) { return x <= x1; }, [&](double ax, double, double bx, double) { return (x1 - ax) / (bx - ax); });
    clip([&](double, double y) { return y >= y0; }, [&](double, double ay, double, double by) { return (y0 - ay) / (by - ay); });
    clip([&](double, double y) { return y <= y1; }, [&](double, double ay, double, double by) { return (y1 - ay) / (by - ay); });
    return poly.size() >= 6 ? shoelace(poly) : 0.0;
}
}  // namespace

TEST(Coverage, EveryPixelGetsItsExactAreaForRandomConvexShapes) {
    // Random convex polygons (triangles to hexagons: long, nearly flat edges crossing many cells of a row, steep
    // ones inside one column, vertices on whole pixels), in a window they lie inside or reach past on either side:
    // each pixel's coverage is the polygon's area in it, to float precision.
    std::mt19937 rng(10);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    geo::CoverageMask m;
    int checked = 0;
    for (int shape = 0; shape < 300; ++shape) {
        const int n = 3 + shape % 4;
        const double cx = 4 + 24 * u(rng), cy = 4 + 24 * u(rng);
        const double rx = 0.3 + (shape % 3 == 0 ? 14 : 4) * u(rng), ry = 0.3 + (shape % 5 == 0 ? 0.2 : 5) * u(rng);
        const double turn = 6.283185307179586 * u(rng);
        std::vector<double> xy;
        for (int i = 0; i < n; ++i) {
            const double a = turn + 6.283185307179586 * i / n;
            double x = cx + rx * std::cos(a), y = cy + ry * std::sin(a);
            if (shape % 7 == 0) x = std::round(x), y = std::round(y);  // on the pixel grid
            xy.insert(xy.end(), {x, y});
        }
        if (shoelace(xy) < 1e-6) continue;
        // Every third shape in a window narrower than the 32 x 32 frame: clipped on the left and right.
        const int wx0 = shape % 3 == 1 ? 10 : 0, ww = shape % 3 == 1 ? 12 : 32;
        m.begin(wx0, 0, ww, 32);
        std::vector<double> ring;  // every other shape turning the other way
        for (int k = 0; k < n; ++k) {
            const int i = shape % 2 ? n - 1 - k : k;
            ring.insert(ring.end(), {xy[2 * i], xy[2 * i + 1]});
        }
        addRing(m, ring);
        const std::vector<float> c = sweepAll(m, 64, 32);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 64; ++x) {
                const bool inWindow = x >= wx0 && x < wx0 + ww;
                const double want = inWindow ? areaInPixel(ring, x, y) : 0.0;
                ASSERT_NEAR(c[size_t(y) * 64 + x], want, want < 1.0 / 1024 ? 1.0 / 1024 : 2e-5)
                    << "shape " << shape << " pixel " << x << "," << y;
                ++checked;
            }
    }
    EXPECT_GT(checked, 500000);
}

// An opaque fill and its opaque outline painted together (geo/paint/vector_paint.cpp, CoverageMask::sweepWithInner):
// a pixel split between them shows both in proportion and nothing of what lies under them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "paint/coverage.hpp"
#include "paint/vector_paint.hpp"
#include "paint_fixtures.hpp"

using paint_fixtures::addPolygon;
using paint_fixtures::alphaSum;
using paint_fixtures::solid;
using paint_fixtures::unitView;

namespace {

const uint8_t* pixel(const geo::PaintImage& img, int x, int y) { return &img.rgba[(size_t(y) * size_t(img.width) + size_t(x)) * 4]; }

// Red outline (1 px unless given) over a blue fill, both opaque.
geo::Style blueAndRed(float width = 1.0f) {
    geo::Style s = solid(true, true, width);
    s.fill = {0, 0, 255, 255};
    s.stroke = {255, 0, 0, 255};
    return s;
}

// The image painted at `k` times the resolution (strokes k times wider), averaged back over k x k pixels: the
// pixels' mix of stroke, fill and background, up to the fine image's own edge pixels. Painted in two passes, the
// fill and then the outline over it (not the path under test), whose error at pixels the two share shrinks k-fold.
geo::PaintImage supersampled(const geo::FeatureTable& t, const geo::Style& style, int width, int height, int k) {
    geo::View fine = unitView(width * k, height * k);
    fine.resolution = 1.0 / k;
    fine.centerX = width / 2.0;
    fine.centerY = height / 2.0;
    geo::PaintImage big;
    big.reset(width * k, height * k);
    geo::PaintOptions options;
    options.pixelRatio = float(k);
    options.dotPixels = 0;
    geo::Style fillOnly = style, strokeOnly = style;
    fillOnly.strokeEnabled = false;
    strokeOnly.fillEnabled = false;
    geo::paintVectorLayer(big, fine, t, t.xy.data(), fillOnly, options);
    geo::paintVectorLayer(big, fine, t, t.xy.data(), strokeOnly, options);
    geo::PaintImage out;
    out.reset(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 4; ++c) {
                double sum = 0;
                for (int dy = 0; dy < k; ++dy)
                    for (int dx = 0; dx < k; ++dx) sum += pixel(big, x * k + dx, y * k + dy)[c];
                out.rgba[(size_t(y) * size_t(width) + size_t(x)) * 4 + size_t(c)] =
                    static_cast<uint8_t>(std::lround(sum / (k * k)));
            }
    return out;
}

}  // namespace

TEST(FillAndOutline, APixelSplitBetweenThemShowsBothAndNothingUnderThem) {
    // A 20 x 10 rectangle a quarter pixel off the grid: the outline's band runs from 0.5 px outside its edge to
    // 0.5 px inside, so pixel column 10 is 3/4 stroke and 1/4 fill, where the polygon covers 3/4 of it. Blending
    // the stroke over the fill gave it 3/4 + 1/4 x 3/4 of ink: 1/16 of the (transparent) background showed.
    geo::FeatureTable t;
    addPolygon(t, {{10.25, 10.25, 30.25, 10.25, 30.25, 20.25, 10.25, 20.25, 10.25, 10.25}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 32);
    geo::paintVectorLayer(img, unitView(40, 32), t, t.xy.data(), blueAndRed());
    // The outer offset: 21 x 11 px, its 1 px right angles mitred.
    EXPECT_NEAR(alphaSum(img), 21.0 * 11.0, 0.2);
    const int y = 32 - 15;  // a row through the middle (world y 15)
    for (int x = 10; x < 30; ++x) EXPECT_EQ(pixel(img, x, y)[3], 255) << "x " << x;
    EXPECT_NEAR(pixel(img, 30, y)[3], 0.75 * 255, 1.0);  // right of the rectangle's edge at 30.25
    const uint8_t* left = pixel(img, 10, y);
    EXPECT_NEAR(left[0], 0.75 * 255, 1.0);  // stroke
    EXPECT_NEAR(left[2], 0.25 * 255, 1.0);  // fill
    const uint8_t* outside = pixel(img, 9, y);  // a quarter of the band
    EXPECT_NEAR(outside[3], 0.25 * 255, 1.0);
    EXPECT_EQ(outside[2], 0);
    const uint8_t* inside = pixel(img, 20, y);
    EXPECT_EQ(inside[0], 0);
    EXPECT_EQ(inside[2], 255);
}

TEST(FillAndOutline, PartsWhoseOffsetsFoldAndPartsWithHolesAreFilledAndOutlinedAsAlone) {
    // A sliver narrower than its 3 px stroke (the inner offset folds: its fill goes under the band), and a square
    // with a hole (filled part by part, its outline in the pass): each as the fill, then the stroke over it.
    geo::FeatureTable t;
    addPolygon(t, {{4, 20, 24, 20, 24, 21, 4, 21, 4, 20}}, geo::GeomKind::Polygon);
    addPolygon(t, {{30, 4, 50, 4, 50, 24, 30, 24, 30, 4}, {36, 10, 44, 10, 44, 18, 36, 18, 36, 10}},
               geo::GeomKind::Polygon);
    geo::PaintImage together, apart;
    together.reset(56, 28);
    apart.reset(56, 28);
    const geo::Style style = blueAndRed(3.0f);
    geo::paintVectorLayer(together, unitView(56, 28), t, t.xy.data(), style);
    // The same in two passes: the fill, then the outline alone over it.
    geo::Style fillOnly = style, strokeOnly = style;
    fillOnly.strokeEnabled = false;
    strokeOnly.fillEnabled = false;
    geo::paintVectorLayer(apart, unitView(56, 28), t, t.xy.data(), fillOnly);
    geo::paintVectorLayer(apart, unitView(56, 28), t, t.xy.data(), strokeOnly);
    EXPECT_NEAR(alphaSum(together), alphaSum(apart), 1.0);
    const uint8_t* sliver = pixel(together, 14, 28 - 21);  // inside the sliver: all stroke
    EXPECT_EQ(sliver[0], 255);
    EXPECT_EQ(sliver[2], 0);
    EXPECT_EQ(pixel(together, 40, 28 - 14)[3], 0);     // the hole's middle
    EXPECT_EQ(pixel(together, 32, 28 - 14)[2], 255);   // between the outer ring's band and the hole's: fill
    EXPECT_EQ(pixel(together, 33, 28 - 14)[2], 255);
    int differ = 0;
    for (size_t i = 0; i < together.rgba.size(); ++i) differ += std::abs(together.rgba[i] - apart.rgba[i]) > 2;
    // Only pixels the fill's edge and the stroke's inner edge share differ (GL's samples give what `together` gives).
    EXPECT_LT(differ, 60);
}

TEST(FillAndOutline, ManyOverlappingBuildingsMatchTheirSupersampledMix) {
    // 60 rotated rectangles and L shapes of 4-14 px, some overlapping, with 1 px outlines: the image against the same
    // painted 8 x 8 finer and averaged. The fill painted, then the outline over it (as before; a translucent
    // colour's passes still are) is checked the same way and must come out worse.
    geo::FeatureTable t;
    uint32_t seed = 12345;
    auto next = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return double(seed >> 8) / double(1u << 24);
    };
    for (int i = 0; i < 60; ++i) {
        const double cx = 8 + 112 * next(), cy = 8 + 112 * next(), w = 4 + 10 * next(), h = 4 + 10 * next();
        const double a = 3.14159 * next(), c = std::cos(a), s = std::sin(a);
        std::vector<double> ring;
        auto put = [&](double u, double v) {
            ring.push_back(cx + u * c - v * s);
            ring.push_back(cy + u * s + v * c);
        };
        put(-w / 2, -h / 2);
        put(w / 2, -h / 2);
        if (i % 3 == 0) {  // an L: a quarter cut out
            put(w / 2, 0);
            put(0, 0);
            put(0, h / 2);
        } else {
            put(w / 2, h / 2);
        }
        put(-w / 2, h / 2);
        put(-w / 2, -h / 2);
        addPolygon(t, {ring}, geo::GeomKind::Polygon);
    }
    const int size = 128;
    geo::PaintOptions options;
    options.dotPixels = 0;
    const geo::Style style = blueAndRed();
    const geo::PaintImage truth = supersampled(t, style, size, size, 8);
    // Against the truth: `img`'s mean difference per channel value, and how many values are off by more than 12.
    auto error = [&](const geo::PaintImage& img, double& mean, int& far) {
        double sum = 0;
        far = 0;
        for (size_t i = 0; i < img.rgba.size(); ++i) {
            const int d = std::abs(img.rgba[i] - truth.rgba[i]);
            sum += d;
            far += d > 12;
        }
        mean = sum / double(img.rgba.size());
    };
    geo::PaintImage together, apart;
    together.reset(size, size);
    apart.reset(size, size);
    geo::paintVectorLayer(together, unitView(size, size), t, t.xy.data(), style, options);
    geo::Style fillOnly = style, strokeOnly = style;
    fillOnly.strokeEnabled = false;
    strokeOnly.fillEnabled = false;
    geo::paintVectorLayer(apart, unitView(size, size), t, t.xy.data(), fillOnly, options);
    geo::paintVectorLayer(apart, unitView(size, size), t, t.xy.data(), strokeOnly, options);
    double mean = 0, meanApart = 0;
    int far = 0, farApart = 0;
    error(together, mean, far);
    error(apart, meanApart, farApart);
    std::printf("together: mean %.3f, %d values off by more than 12; stroke over fill: mean %.3f, %d\n", mean, far,
                meanApart, farApart);
    // Something was painted, and as much of it as the truth holds.
    EXPECT_GT(alphaSum(truth), 0.2 * size * size);
    EXPECT_NEAR(alphaSum(together), alphaSum(truth), 0.01 * alphaSum(truth));
    // (Measured: 0.42 and 774 against 0.83 and 1285. What is left is mostly where two buildings' outlines cross
    // inside a pixel: their areas add up, where the finer image counts them nearly once.)
    EXPECT_LT(mean, 0.6);
    EXPECT_LT(far, 1000);
    EXPECT_LT(mean, meanApart);
    EXPECT_LT(far, farApart);
}

TEST(FillAndOutline, TheSweepOfTwoMasksGivesTheStrokeAndTheFillItLeaves) {
    // Positive pieces: an outer square of 4 x 4 px and an inner one of 2 x 2 px, half a pixel off the grid.
    geo::CoverageMask outer, inner;
    outer.begin(0, 0, 8, 8);
    inner.begin(0, 0, 8, 8);
    const double big[8] = {1.5, 1.5, 5.5, 1.5, 5.5, 5.5, 1.5, 5.5};
    const double small[8] = {2.5, 2.5, 4.5, 2.5, 4.5, 4.5, 2.5, 4.5};
    outer.addPositivePolygon(big, 4);
    inner.addPositivePolygon(small, 4);
    std::vector<float> stroke(64, 0.0f), fill(64, 0.0f);
    outer.sweepWithInner(inner, [&](int y, int x, int n, const float* s, const float* f) {
        for (int i = 0; i < n; ++i) {
            stroke[size_t(y * 8 + x + i)] = s[i];
            fill[size_t(y * 8 + x + i)] = f[i];
        }
    });
    EXPECT_NEAR(stroke[1 * 8 + 1], 0.25, 1e-6);  // the outer square's corner pixel
    EXPECT_NEAR(fill[1 * 8 + 1], 0.0, 1e-6);
    EXPECT_NEAR(stroke[2 * 8 + 2], 0.75, 1e-6);  // the inner square's corner pixel: 3/4 band, 1/4 inside
    EXPECT_NEAR(fill[2 * 8 + 2], 0.25, 1e-6);
    EXPECT_NEAR(stroke[3 * 8 + 3], 0.0, 1e-6);   // inside the inner square
    EXPECT_NEAR(fill[3 * 8 + 3], 1.0, 1e-6);
    double s = 0, f = 0;
    for (int i = 0; i < 64; ++i) s += stroke[size_t(i)], f += fill[size_t(i)];
    EXPECT_NEAR(s, 16.0 - 4.0, 1e-5);
    EXPECT_NEAR(f, 4.0, 1e-5);
    // Both masks are clear for the next shape: a pixel-sized square alone comes out (in a row and cells the last
    // shapes' edges touched).
    outer.begin(0, 0, 8, 8);
    inner.begin(0, 0, 8, 8);
    const double pixel[8] = {5, 3, 6, 3, 6, 4, 5, 4};
    outer.addPositivePolygon(pixel, 4);
    int runs = 0;
    outer.sweepWithInner(inner, [&](int y, int x, int n, const float* s, const float* f) {
        ++runs;
        EXPECT_EQ(y, 3);
        EXPECT_EQ(x, 5);
        EXPECT_EQ(n, 1);
        EXPECT_NEAR(s[0], 1.0, 1e-6);
        EXPECT_NEAR(f[0], 0.0, 1e-6);
    });
    EXPECT_EQ(runs, 1);
}

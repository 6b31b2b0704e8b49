// The CPU painter (geo/paint/vector_paint.hpp): fills, outlines, dots, colours and what it leaves to the GL layers.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "paint/part_shapes.hpp"
#include "paint/vector_paint.hpp"
#include "paint_fixtures.hpp"

using paint_fixtures::addPolygon;
using paint_fixtures::alphaSum;
using paint_fixtures::solid;
using paint_fixtures::unitView;

TEST(VectorPaint, AFilledSquareCoversItsAreaWithItsColour) {
    geo::FeatureTable t;
    addPolygon(t, {{10.5, 10.5, 30.5, 10.5, 30.5, 30.5, 10.5, 30.5, 10.5, 10.5}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::Style style = solid(true, false);
    style.fill = {200, 100, 50, 255};
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), style);
    EXPECT_NEAR(alphaSum(img), 400.0, 0.5);
    const uint8_t* inner = &img.rgba[(20 * 40 + 20) * 4];
    EXPECT_EQ(inner[0], 200);
    EXPECT_EQ(inner[1], 100);
    EXPECT_EQ(inner[2], 50);
    EXPECT_EQ(inner[3], 255);
    const uint8_t* edge = &img.rgba[(20 * 40 + 10) * 4];  // half covered: premultiplied half
    EXPECT_NEAR(edge[3], 128, 1);
    EXPECT_NEAR(edge[0], 100, 1);
}

TEST(VectorPaint, AnOutlineIsCapsulesOfTheStrokeWidthWithRoundEnds) {
    geo::FeatureTable t;
    addPolygon(t, {{5, 20.5, 35, 20.5}}, geo::GeomKind::Line);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(true, true, 2.0f));
    // 30 px long, 2 px wide, plus a disc of radius 1 from the two half-disc caps (chords: a little less).
    EXPECT_NEAR(alphaSum(img), 60 + 3.14159, 0.2);
    EXPECT_EQ(img.rgba[(19 * 40 + 20) * 4 + 3], 255);  // the band is pixel rows y 18.5..20.5
    EXPECT_EQ(img.rgba[(19 * 40 + 20) * 4 + 0], 255);  // stroke colour (red), not the fill: lines have no fill
    EXPECT_EQ(img.rgba[(17 * 40 + 20) * 4 + 3], 0);
}

TEST(VectorPaint, ARingOutlineCoversItsPerimeterOnceRoundTheCorners) {
    geo::FeatureTable t;
    // On pixel centres, so the band covers whole pixels (8-bit rounding adds nothing).
    addPolygon(t, {{10.5, 10.5, 30.5, 10.5, 30.5, 30.5, 10.5, 30.5, 10.5, 10.5}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(false, true, 1.0f));
    // The points within 0.5 px of a 20 px square's outline: the square grown by 0.5 with round corners (440.785)
    // less the square shrunk by 0.5 (361). Drawn as the area between the ring's two offsets, no pixel counted twice.
    // A 1 px stroke's right-angle corners meet at the mitre point, 0.21 px past the arc (kMitreTolerance): the
    // square grown by 0.5 with square corners, 0.054 px^2 more a corner.
    const double round = 400 + 80 * 0.5 + 3.14159 * 0.25 - 361, mitred = 21 * 21 - 19 * 19;
    EXPECT_NEAR(alphaSum(img), mitred, 0.02);
    EXPECT_NEAR(alphaSum(img), round, 4 * 0.054 + 0.01);
    // A 3 px stroke's mitre would reach 0.62 px past the arc: round corners (chords at most 0.05 px inside).
    geo::PaintImage wide;
    wide.reset(40, 40);
    geo::paintVectorLayer(wide, unitView(40, 40), t, t.xy.data(), solid(false, true, 3.0f));
    EXPECT_NEAR(alphaSum(wide), 400 + 80 * 1.5 + 3.14159 * 2.25 - 17 * 17, 0.3);
    EXPECT_EQ(img.rgba[(29 * 40 + 20) * 4 + 3], 255);  // on the band: whole pixels
    EXPECT_EQ(img.rgba[(28 * 40 + 20) * 4 + 3], 0);
    EXPECT_EQ(img.rgba[(20 * 40 + 20) * 4 + 3], 0);  // no fill
}

TEST(VectorPaint, ARingNarrowerThanItsStrokeIsCoveredWhole) {
    // 1 px wide, 3 px stroke: the inner offset would fold over, so the capsules draw it (clamped coverage).
    geo::FeatureTable t;
    addPolygon(t, {{10, 20, 30, 20, 30, 21, 10, 21, 10, 20}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(false, true, 3.0f));
    // The ring's outline grown by 1.5 px: 23 x 4 with round corners (radius 1.5).
    const double exact = 20 * 1 + 2 * (20 + 1) * 1.5 + 3.14159 * 1.5 * 1.5;
    EXPECT_NEAR(alphaSum(img), exact, 1.5);
    EXPECT_EQ(img.rgba[(19 * 40 + 20) * 4 + 3], 255);  // inside the ring: covered by the stroke
}

TEST(VectorPaint, AnOpenLineHasNoDoubleCountedJoins) {
    geo::FeatureTable t;
    addPolygon(t, {{5, 5, 25, 5, 25, 25}}, geo::GeomKind::Line);  // a right angle
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(false, true, 2.0f));
    // The points within 1 px of the polyline: 40 px x 2, two half-disc caps, a quarter disc round the outer corner,
    // less the 1 x 1 square the two segments' bands share inside it (counted once). Chords fall up to 0.05 px
    // inside the arcs (about 0.3 px^2 here); a double count would add 1.
    const double exact = 40 * 2 + 3.14159 + 3.14159 / 4 - 1;
    EXPECT_NEAR(alphaSum(img), exact, 0.35);
    // Turning the other way (the round join on the other side), and a zigzag of both.
    geo::FeatureTable u;
    addPolygon(u, {{5, 25, 25, 25, 25, 5}}, geo::GeomKind::Line);
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), u, u.xy.data(), solid(false, true, 2.0f));
    EXPECT_NEAR(alphaSum(img), exact, 0.35);
    geo::FeatureTable z;
    addPolygon(z, {{5, 5, 15, 5, 15, 15, 25, 15, 25, 25}}, geo::GeomKind::Line);
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), z, z.xy.data(), solid(false, true, 2.0f));
    EXPECT_NEAR(alphaSum(img), 40 * 2 + 3.14159 + 3 * 3.14159 / 4 - 3, 0.6);
}

TEST(VectorPaint, APolygonReachingFarPastTheImageIsClippedToIt) {
    // A vertex 1e15 px away (and one past float's range): the image is covered exactly where the polygon is.
    geo::FeatureTable t;
    addPolygon(t, {{0, 0, 1e15, 0, 0, 1e15, 0, 0}}, geo::GeomKind::Polygon);
    addPolygon(t, {{-1e300, 30, 1e300, 30, 0, -1e300, -1e300, 30}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(true, false));
    EXPECT_EQ(img.rgba[(20 * 40 + 20) * 4 + 3], 255);  // inside the first
    EXPECT_EQ(img.rgba[(5 * 40 + 5) * 4 + 3], 255);    // y = 35: inside the first (x + y < 1e15)
}

TEST(VectorPaint, RingsDrawnByOffsetsAndByCapsulesAddUp) {
    // A shell outlined by its offsets, and a hole narrower than the 3 px stroke (outlined by capsules) right at the
    // shell's wall: where the two outlines meet, the stroke must cover, not cancel out.
    geo::FeatureTable t;
    addPolygon(t, {{5, 5, 35, 5, 35, 35, 5, 35, 5, 5}, {6, 20, 7, 20, 7, 21, 6, 21, 6, 20}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(false, true, 3.0f));
    for (int x = 4; x <= 7; ++x) EXPECT_EQ(img.rgba[(19 * 40 + x) * 4 + 3], 255) << x;  // wall band and hole outline
    EXPECT_EQ(img.rgba[(20 * 40 + 20) * 4 + 3], 0);
}

TEST(VectorPaint, TilesOfOneImageStackOverlappingPartsAlike) {
    // Overlapping squares of alternating colours across the middle: painted whole, or as two tiles (as exports
    // are), the pixels are the same (the drawing order comes from a grid fixed to the map, not to the tile).
    geo::FeatureTable t;
    t.columns.emplace_back("kind", geo::ColumnType::Text);
    for (int i = 0; i < 40; ++i) {
        const double x = 3 + (i * 37) % 50, y = 3 + (i * 23) % 50;
        addPolygon(t, {{x, y, x + 11, y, x + 11, y + 9, x, y + 9, x, y}}, geo::GeomKind::Polygon);
        t.columns[0].pushText(i % 2 ? "a" : "b");
    }
    geo::Style style = solid(true, true);
    style.categoryField = "kind";
    style.categories = {{"a", {200, 30, 30, 255}}, {"b", {30, 30, 200, 255}}};
    geo::PaintImage whole;
    whole.reset(64, 64);
    const geo::View v = unitView(64, 64);
    geo::paintVectorLayer(whole, v, t, t.xy.data(), style);
    for (int split : {29, 32, 37}) {
        std::vector<uint8_t> tiled(whole.rgba.size());
        for (auto [x0, w] : {std::pair{0, split}, {split, 64 - split}}) {
            geo::View tile = v;
            tile.width = w;
            tile.centerX = v.screenToWorldX(x0 + 0.5 * w);
            geo::PaintImage part;
            part.reset(w, 64);
            geo::paintVectorLayer(part, tile, t, t.xy.data(), style);
            for (int y = 0; y < 64; ++y)
                std::copy_n(&part.rgba[size_t(y) * w * 4], size_t(w) * 4, &tiled[(size_t(y) * 64 + x0) * 4]);
        }
        size_t differing = 0;
        for (size_t i = 0; i < tiled.size(); ++i) differing += std::abs(int(tiled[i]) - int(whole.rgba[i])) > 1;
        EXPECT_EQ(differing, 0u) << "split at " << split;
    }
}

TEST(VectorPaint, SimpleRingsAreToldFromRingsThatCrossThemselves) {
    // Rings that may share a pass's mask: convex ones at a glance (every turn the same way, round once), others by
    // checking every pair of edges.
    auto simple = [](std::vector<double> ring) {
        const uint32_t end = static_cast<uint32_t>(ring.size() / 2);
        return geo::ringsAreSimple(geo::PixelVertices{ring.data(), &end, 1});
    };
    EXPECT_TRUE(simple({0, 0, 4, 0, 4, 3, 0, 3, 0, 0}));                          // a rectangle, closed
    EXPECT_TRUE(simple({0, 0, 0, 3, 4, 3, 4, 0}));                                // the other way round, open
    EXPECT_TRUE(simple({0, 0, 4, 0, 4, 1, 1, 1, 1, 3, 0, 3}));                    // an L: not convex, simple
    EXPECT_TRUE(simple({0, 0, 2, 0, 4, 0, 4, 3, 0, 3}));                          // a straight vertex: checked
    EXPECT_FALSE(simple({0, 0, 4, 4, 4, 0, 0, 4}));                               // a bowtie
    // A pentagram: every turn the same way, but round twice.
    std::vector<double> star;
    for (int k = 0; k < 5; ++k) {
        const double a = 2 * 3.14159265358979 * (2 * k) / 5;
        star.insert(star.end(), {10 + 5 * std::cos(a), 10 + 5 * std::sin(a)});
    }
    EXPECT_FALSE(simple(star));
    std::vector<double> pentagon;
    for (int k = 0; k < 5; ++k) {
        const double a = 2 * 3.14159265358979 * k / 5;
        pentagon.insert(pentagon.end(), {10 + 5 * std::cos(a), 10 + 5 * std::sin(a)});
    }
    EXPECT_TRUE(simple(pentagon));
    EXPECT_FALSE(simple({0, 0, 4, 0, NAN, 3, 0, 3}));                             // not a number: not checked
}

TEST(VectorPaint, BandsPaintTheWholesPixels) {
    // Outputs paint a layer as horizontal bands on several threads: each band's pixels are exactly the whole's
    // (shared masks, parts painted one by one, strokes, dots counted by samples), byte for byte.
    geo::FeatureTable t;
    for (int i = 0; i < 60; ++i) {
        const double x = 2 + (i * 37) % 55, y = 2 + (i * 23) % 55, s = i % 3 ? 0.3 + (i % 7) * 0.4 : 6 + i % 5;
        addPolygon(t, {{x, y, x + s, y, x + s, y + 0.8 * s, x, y + 0.8 * s, x, y}}, geo::GeomKind::Polygon);
    }
    addPolygon(t, {{10, 10, 40, 40, 40, 10, 10, 40, 10, 10}}, geo::GeomKind::Polygon);  // a bowtie
    addPolygon(t, {{3, 60, 20, 30.3, 21, 31, 5, 61}}, geo::GeomKind::Line);
    geo::PaintOptions o;
    o.dotSamples = 5;
    for (uint8_t alpha : {uint8_t(255), uint8_t(140)}) {
        geo::Style style = solid(true, true, 1.5f);
        style.fill.a = alpha;
        geo::PaintImage whole;
        whole.reset(64, 64);
        const geo::View v = unitView(64, 64);
        geo::paintVectorLayer(whole, v, t, t.xy.data(), style, o);
        std::vector<uint8_t> banded;
        for (auto [y0, h] : {std::pair{0, 21}, {21, 19}, {40, 24}}) {
            geo::PaintImage band;
            band.reset(64, h, y0);
            geo::paintVectorLayer(band, v, t, t.xy.data(), style, o);
            banded.insert(banded.end(), band.rgba.begin(), band.rgba.end());
        }
        EXPECT_EQ(banded, whole.rgba) << int(alpha);
        EXPECT_GT(alphaSum(whole), 300.0);
    }
}

TEST(VectorPaint, BandsFindTheirPartsByStripsAsACullOfEveryPartWould) {
    // An output's parts index (indexPaintParts) lists the parts by strips of 64 rows, so a band looks only at the
    // parts near it. Bands painted with it (strips, parts in `tall` that reach over more than 64 strips, parts far
    // off) are byte for byte the bands painted with no index, and so is an index too tall for strips.
    geo::FeatureTable t;
    for (int i = 0; i < 3000; ++i) {
        const double x = 3 + (i * 37) % 290, y = 3 + (i * 7919) % 5190, s = i % 4 ? 1.5 + (i % 9) : 0.6;
        addPolygon(t, {{x, y, x + s, y, x + s, y + 0.7 * s, x, y + 0.7 * s, x, y}}, geo::GeomKind::Polygon);
    }
    addPolygon(t, {{10, 2, 280, 5195}}, geo::GeomKind::Line);                               // 81 strips: tall
    addPolygon(t, {{150, 100, 155, 5100, 160, 100, 150, 100}}, geo::GeomKind::Polygon);     // tall too
    addPolygon(t, {{5, -900, 40, -900, 40, -880, 5, -880, 5, -900}}, geo::GeomKind::Polygon);  // below the image
    const geo::View v = unitView(300, 5200);
    const geo::Style style = solid(true, true, 1.0f);
    geo::PaintOptions plain;
    plain.dotSamples = 5;
    for (bool farAway : {false, true}) {
        geo::FeatureTable u = t;
        if (farAway)  // 1e9 px away: ~16M strips, more than kPaintMaxStrips: an index without strips
            addPolygon(u, {{5, 1e9, 9, 1e9, 9, 1e9 + 4, 5, 1e9 + 4, 5, 1e9}}, geo::GeomKind::Polygon);
        const auto index = geo::indexPaintParts(u, u.xy.data(), v.resolution);
        EXPECT_EQ(index->stripBegin.empty(), farAway);
        if (!farAway) {
            EXPECT_EQ(index->tall.size(), 2u);
            EXPECT_LT(index->stripParts.size(), 2 * u.partCount()) << "a part in the strips it meets, no more";
        }
        geo::PaintOptions indexed = plain;
        indexed.parts = index.get();
        for (auto [y0, h] : {std::pair{0, 200}, {200, 1700}, {1900, 63}, {1963, 3237}}) {
            geo::PaintImage a, b;
            a.reset(300, h, y0);
            b.reset(300, h, y0);
            geo::paintVectorLayer(a, v, u, u.xy.data(), style, plain);
            geo::paintVectorLayer(b, v, u, u.xy.data(), style, indexed);
            EXPECT_EQ(a.rgba, b.rgba) << "band from " << y0;
            EXPECT_GT(alphaSum(a), 5.0 * h) << "band from " << y0;
        }
    }
}

TEST(VectorPaint, ACancelledPaintingStopsEarlyAndLeavesItsScratchClean) {
    // The window's layer images are painted on a thread; a painting whose image was dropped stops within ~1024
    // parts (PaintOptions::cancel), and the working memory it leaves paints the next image as a fresh one would.
    geo::FeatureTable t;
    for (int i = 0; i < 6000; ++i) {
        const double x = 1 + (i % 120) * 0.5, y = 1 + (i / 120) * 1.2, s = i % 2 ? 4.5 : 0.4;
        addPolygon(t, {{x, y, x + s, y, x + s, y + s, x, y + s, x, y}}, geo::GeomKind::Polygon);
    }
    geo::PaintOptions o;
    o.dotSamples = 5;
    geo::PaintScratchPtr scratch = geo::makePaintScratch();
    o.scratch = scratch.get();
    std::atomic<bool> cancel{true};
    geo::PaintImage stopped, again, fresh;
    stopped.reset(64, 64);
    again.reset(64, 64);
    fresh.reset(64, 64);
    const geo::Style style = solid(true, true, 1.0f);
    o.cancel = &cancel;
    geo::paintVectorLayer(stopped, unitView(64, 64), t, t.xy.data(), style, o);
    o.cancel = nullptr;
    geo::paintVectorLayer(again, unitView(64, 64), t, t.xy.data(), style, o);
    geo::PaintOptions own = o;
    own.scratch = nullptr;
    geo::paintVectorLayer(fresh, unitView(64, 64), t, t.xy.data(), style, own);
    EXPECT_LT(alphaSum(stopped), 0.5 * alphaSum(fresh));
    EXPECT_EQ(again.rgba, fresh.rgba);
}

TEST(VectorPaint, AThinLineThatTurnsBackOnItselfKeepsItsEnd) {
    geo::FeatureTable t;
    addPolygon(t, {{5, 20.5, 30, 20.5, 5, 20.5}}, geo::GeomKind::Line);  // out and back
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(false, true, 0.3f));
    // The way back retraces the way out, so it is drawn once: 25 px of a 0.3 px line and its two round ends (it
    // was drawn as pieces that counted both ways, up to twice that). And the turn's round end is drawn, with no
    // NaN from its cancelling normals.
    const double sum = alphaSum(img);
    std::printf("out and back: %.3f px^2\n", sum);
    EXPECT_NEAR(sum, 25 * 0.3 + 3.14159 * 0.15 * 0.15, 0.2);
    EXPECT_GT(img.rgba[(19 * 40 + 30) * 4 + 3], 0);  // the turn's end
}

TEST(VectorPaint, HolesAreCutOutWhateverTheirStoredOrientation) {
    geo::FeatureTable t;
    // Shell and hole both counter-clockwise (as some sources store them).
    addPolygon(t, {{4, 4, 36, 4, 36, 36, 4, 36, 4, 4}, {12, 12, 28, 12, 28, 28, 12, 28, 12, 12}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(true, false));
    EXPECT_NEAR(alphaSum(img), 32 * 32 - 16 * 16, 0.5);
    EXPECT_EQ(img.rgba[(20 * 40 + 20) * 4 + 3], 0);
}

TEST(VectorPaint, PartsSmallerThanThreePixelsAreSquareDotsOfTheirSize) {
    geo::FeatureTable t;
    addPolygon(t, {{10, 10, 12, 10, 11, 11, 10, 10}}, geo::GeomKind::Polygon);  // 2 x 1 px: a 2 px dot
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(true, true));
    EXPECT_NEAR(alphaSum(img), 4.0, 0.02);   // a 2 x 2 square, no outline
    EXPECT_EQ(img.rgba[(29 * 40 + 10) * 4 + 0], 0);  // the fill colour (black), not the stroke's red
}

TEST(VectorPaint, ASpotlightHidesAndDimsFeatures) {
    geo::FeatureTable t;
    addPolygon(t, {{2, 2, 18, 2, 18, 18, 2, 18, 2, 2}}, geo::GeomKind::Polygon);
    addPolygon(t, {{22, 2, 38, 2, 38, 18, 22, 18, 22, 2}}, geo::GeomKind::Polygon);
    addPolygon(t, {{2, 22, 18, 22, 18, 38, 2, 38, 2, 22}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::PaintOptions o;
    o.spotlight = {2, 1, 0};
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(true, false), o);
    EXPECT_EQ(img.rgba[(30 * 40 + 10) * 4 + 3], 255);                       // shown
    EXPECT_NEAR(img.rgba[(30 * 40 + 30) * 4 + 3], 255 * geo::kDimmedAlpha, 1);  // dimmed
    EXPECT_EQ(img.rgba[(10 * 40 + 10) * 4 + 3], 0);                         // hidden
}

TEST(VectorPaint, PointsHatchingAndDashesAreLeftToTheGlLayers) {
    geo::FeatureTable polys;
    addPolygon(polys, {{0, 0, 1, 0, 1, 1, 0, 0}}, geo::GeomKind::Polygon);
    geo::FeatureTable points;
    addPolygon(points, {{1, 1}}, geo::GeomKind::Point);
    geo::Style s;
    EXPECT_TRUE(geo::canPaint(s, polys));
    EXPECT_FALSE(geo::canPaint(s, points));
    geo::Style dashed = s;
    dashed.dashField = "accuracy";
    dashed.dashValues = {"schematic"};
    EXPECT_FALSE(geo::canPaint(dashed, polys));
    geo::Style hatched = s;
    hatched.patternField = "status";
    hatched.patterns.push_back({"planned", geo::Pattern::Hatched});
    EXPECT_FALSE(geo::canPaint(hatched, polys));
}

TEST(VectorPaint, UntransformedVerticesDropTheFillButKeepTheFiniteSegments) {
    geo::FeatureTable t;
    const double inf = INFINITY;
    addPolygon(t, {{5, 5, 35, 5, inf, inf, 5, 35, 5, 5}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(40, 40);
    geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(true, true));
    EXPECT_EQ(img.rgba[(20 * 40 + 10) * 4 + 3], 0);  // no fill
    EXPECT_GT(alphaSum(img), 55.0);                 // the two finite segments: 30 px each, 1 px wide
    EXPECT_LT(alphaSum(img), 65.0);
}

TEST(VectorPaint, PartsOfOneOpaqueColourLeaveNoSeamBetweenThem) {
    // Two squares meeting in the middle of a pixel column: one shape for the painter, so that column is covered
    // (blended one after the other, two halves make 3/4). Translucent, they blend part by part, as GL does.
    geo::FeatureTable t;
    addPolygon(t, {{5, 5, 10.5, 5, 10.5, 15, 5, 15, 5, 5}}, geo::GeomKind::Polygon);
    addPolygon(t, {{10.5, 5, 16, 5, 16, 15, 10.5, 15, 10.5, 5}}, geo::GeomKind::Polygon);
    geo::PaintImage img;
    img.reset(20, 20);
    geo::paintVectorLayer(img, unitView(20, 20), t, t.xy.data(), solid(true, false));
    EXPECT_EQ(img.rgba[(10 * 20 + 10) * 4 + 3], 255);
    EXPECT_NEAR(alphaSum(img), 110.0, 0.1);
    geo::Style translucent = solid(true, false);
    translucent.fill.a = 128;
    img.reset(20, 20);
    geo::paintVectorLayer(img, unitView(20, 20), t, t.xy.data(), translucent);
    const double a = 128 / 255.0, seam = 1 - (1 - 0.5 * a) * (1 - 0.5 * a);
    EXPECT_NEAR(img.rgba[(10 * 20 + 10) * 4 + 3], seam * 255, 1.0);
}

TEST(VectorPaint, ASelfCrossingPartDoesNotCutTheOnesUnderIt) {
    // A bowtie's lobes wind opposite ways: summed into the square's mask, one would cancel the square there.
    geo::FeatureTable t;
    addPolygon(t, {{5, 5, 35, 5, 35, 35, 5, 35, 5, 5}}, geo::GeomKind::Polygon);
    addPolygon(t, {{10, 10, 30, 30, 30, 10, 10, 30, 10, 10}}, geo::GeomKind::Polygon);
    for (bool stroke : {false, true}) {
        geo::PaintImage img;
        img.reset(40, 40);
        geo::paintVectorLayer(img, unitView(40, 40), t, t.xy.data(), solid(true, stroke, 2.0f));
        for (int x : {13, 26, 20})
            for (int y : {19, 12, 27}) EXPECT_EQ(img.rgba[(y * 40 + x) * 4 + 3], 255) << x << "," << y << " " << stroke;
    }
}

TEST(VectorPaint, APartReachingPastAnyPrecisionDoesNotDimTheOthers) {
    // A ring through (1e160, 1e160) px: past 1e12 px the simple-ring check's products cannot tell, so such a part
    // is painted on its own; in the shared mask its band's winding came out negative and dimmed the lines under it.
    geo::FeatureTable lines, both;
    for (int k = 0; k < 21; ++k) {
        const double y = 5.5 + 1.5 * k;
        addPolygon(lines, {{2, y, 45, y}}, geo::GeomKind::Line);
        addPolygon(both, {{2, y, 45, y}}, geo::GeomKind::Line);
    }
    // In pixels (10,10), (40,10), (40,40), (10,40), (1e160,1e160): its last edge runs back through (40,40).
    addPolygon(both, {{10, 38, 40, 38, 40, 8, 10, 8, 1e160, -1e160, 10, 38}}, geo::GeomKind::Polygon);
    geo::PaintImage a, b;
    a.reset(48, 48);
    b.reset(48, 48);
    geo::paintVectorLayer(a, unitView(48, 48), lines, lines.xy.data(), solid(false, true, 1.0f));
    geo::paintVectorLayer(b, unitView(48, 48), both, both.xy.data(), solid(false, true, 1.0f));
    size_t dimmed = 0;
    for (size_t i = 3; i < a.rgba.size(); i += 4) dimmed += b.rgba[i] < a.rgba[i];
    EXPECT_EQ(dimmed, 0u);
}

TEST(VectorPaint, DotsAreCountedSampleBySample) {
    // Dots sampled as the GL backend samples them (5 x 5 a pixel): two dots on the same samples cover them once
    // when opaque (not 1 - (1 - c)^2), twice when translucent (each sample blended twice).
    geo::FeatureTable t;
    for (int k = 0; k < 2; ++k) addPolygon(t, {{10.1, 10.1, 10.7, 10.1, 10.7, 10.7, 10.1, 10.7, 10.1, 10.1}}, geo::GeomKind::Polygon);
    geo::PaintOptions o;
    o.dotSamples = 5;
    geo::PaintImage img;
    img.reset(20, 20);
    geo::paintVectorLayer(img, unitView(20, 20), t, t.xy.data(), solid(true, false), o);
    // Samples at 0.1, 0.3, ..., 0.9 of the pixel: 0.1 <= s < 0.7 takes 3 of 5 each way.
    EXPECT_NEAR(img.rgba[(9 * 20 + 10) * 4 + 3], 255.0 * 9 / 25, 0.6);
    EXPECT_NEAR(alphaSum(img), 9.0 / 25, 0.01);
    geo::Style translucent = solid(true, false);
    translucent.fill.a = 128;
    img.reset(20, 20);
    geo::paintVectorLayer(img, unitView(20, 20), t, t.xy.data(), translucent, o);
    const double a = 128 / 255.0;
    EXPECT_NEAR(img.rgba[(9 * 20 + 10) * 4 + 3], 255.0 * 9 / 25 * (1 - (1 - a) * (1 - a)), 0.6);
}

TEST(VectorPaint, AWigglyLineIsCoveredAsTheUnionOfItsCapsules) {
    // A river border seen from afar (from the bundled data at a third of the project's scale): wiggles of a
    // tenth of a pixel, sharp turns on segments far shorter than the 2 px stroke. Its coverage is the area within
    // 1 px of the path, checked against 32 x 32 samples a pixel; a stroke cut into overlapping pieces there
    // counted it up to twice at its edges.
    const std::vector<double> path = {
        7.582, 21.481, 7.706, 21.630, 8.493, 22.079, 8.668, 21.858, 8.714, 21.670, 8.597, 21.384, 8.616, 20.993,
        9.071, 20.395, 9.403, 20.215, 9.729, 20.224, 10.515, 20.370, 10.681, 20.495, 10.760, 20.445, 10.845, 20.514,
        11.260, 20.554, 11.407, 20.504, 11.850, 20.591, 11.954, 20.511, 12.077, 20.564, 12.131, 20.506, 12.802,
        20.564, 13.213, 20.737, 13.498, 20.744, 14.174, 20.935, 14.465, 21.111, 14.918, 21.239, 15.332, 21.404};
    std::vector<double> world;
    for (size_t i = 0; i < path.size(); i += 2) world.insert(world.end(), {path[i], 30 - path[i + 1]});
    geo::FeatureTable t;
    addPolygon(t, {world}, geo::GeomKind::Line);
    geo::PaintOptions o;
    o.dotPixels = 0.01f;  // drawn as a line, not a dot
    geo::PaintImage img;
    img.reset(24, 30);
    geo::paintVectorLayer(img, unitView(24, 30), t, t.xy.data(), solid(false, true, 2.0f), o);
    double worst = 0, sum = 0;
    for (int y = 16; y < 26; ++y)
        for (int x = 4; x < 20; ++x) {
            int inside = 0;
            for (int sy = 0; sy < 32; ++sy)
                for (int sx = 0; sx < 32; ++sx) {
                    const double qx = x + (sx + 0.5) / 32, qy = y + (sy + 0.5) / 32;
                    double best = 1e9;
                    for (size_t i = 0; i + 3 < path.size(); i += 2) {
                        const double ax = path[i], ay = path[i + 1], dx = path[i + 2] - ax, dy = path[i + 3] - ay;
                        const double u = std::clamp(((qx - ax) * dx + (qy - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
                        best = std::min(best, std::hypot(qx - ax - u * dx, qy - ay - u * dy));
                    }
                    inside += best <= 1.0;
                }
            const double diff = std::abs(img.rgba[(y * 24 + x) * 4 + 3] / 255.0 - inside / 1024.0);
            worst = std::max(worst, diff);
            sum += diff;
        }
    std::printf("wiggly line: worst pixel %.3f, total %.3f px^2\n", worst, sum);
    // Measured 0.227 and 0.94 px^2 (the sharp hook at its start is still cut into pieces); the whole path cut into
    // pieces gave 0.512 and 3.2.
    EXPECT_LT(worst, 0.3);
    EXPECT_LT(sum, 1.2);
}

TEST(VectorPaint, TheIndexTellsHowManyStripsAVertexsPartMeets) {
    // PaintParts::stripsAVertex: small parts meet one strip of 64 rows or two; a coastline-like ring across the
    // image meets them all, and its vertices outweigh the small parts' (it is then painted in fewer bands).
    geo::FeatureTable small;
    for (int i = 0; i < 2000; ++i) {
        const double x = 3 + (i * 37) % 990, y = 3 + (i * 7919) % 1010, s = 2 + i % 5;
        addPolygon(small, {{x, y, x + s, y, x + s, y + s, x, y + s, x, y}}, geo::GeomKind::Polygon);
    }
    const geo::View v = unitView(1000, 1024);
    const auto a = geo::indexPaintParts(small, small.xy.data(), v.resolution);
    EXPECT_GE(a->stripsAVertex, 1.0);
    EXPECT_LT(a->stripsAVertex, 1.2);

    geo::FeatureTable coast = small;
    std::vector<double> ring;
    for (int k = 0; k <= 20000; ++k) {  // a wavy ring over the whole image: 16 strips
        const double t = 6.283185307179586 * k / 20000;
        ring.insert(ring.end(), {500 + 480 * std::cos(t) + 3 * std::sin(200 * t), 512 + 500 * std::sin(t)});
    }
    ring[ring.size() - 2] = ring[0];
    ring[ring.size() - 1] = ring[1];
    addPolygon(coast, {ring}, geo::GeomKind::Polygon);
    const auto b = geo::indexPaintParts(coast, coast.xy.data(), v.resolution);
    EXPECT_TRUE(b->tall.empty()) << "16 strips: in the strips, not tall";
    EXPECT_GT(b->stripsAVertex, 8.0);
}

// Tessellation: triangle counts and areas against the input polygon's area (earcut-style fixtures).
#include "tessellate/tessellate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tessellate/clipper.hpp"  // zBigMin, internal

namespace {

using Ring = std::vector<std::pair<double, double>>;

struct Built {
    geo::FeatureTable table;
};

geo::FeatureTable polygonTable(const std::vector<Ring>& rings) {
    geo::FeatureTable t;
    t.beginFeature(1, geo::GeomKind::Polygon);
    for (const auto& r : rings) {
        for (auto [x, y] : r) t.addVertex(x, y);
        t.endRing();
    }
    t.endPart();
    t.endFeature();
    return t;
}

double ringArea(const Ring& r) {
    double a = 0;
    for (size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
        a += r[j].first * r[i].second - r[i].first * r[j].second;
    return std::abs(a) / 2;
}

double trianglesArea(const geo::FeatureTable& t, const std::vector<uint32_t>& idx) {
    double a = 0;
    for (size_t i = 0; i < idx.size(); i += 3) {
        const double* p = &t.xy[2 * idx[i]];
        const double* q = &t.xy[2 * idx[i + 1]];
        const double* r = &t.xy[2 * idx[i + 2]];
        a += std::abs((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])) / 2;
    }
    return a;
}

struct Result {
    std::vector<uint32_t> idx;
    geo::TessStats stats;
    geo::FeatureTable table;
};

Result run(const std::vector<Ring>& rings) {
    Result r;
    r.table = polygonTable(rings);
    r.idx = geo::tessellatePolygons(r.table, r.stats);
    return r;
}

TEST(Tessellate, SquareGivesTwoTriangles) {
    auto r = run({{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}});
    EXPECT_EQ(r.idx.size(), 6u);
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 100.0, 1e-9);
    EXPECT_EQ(r.stats.skipped, 0u);
}

TEST(Tessellate, ClockwiseShellWorksToo) {
    auto r = run({{{0, 0}, {0, 10}, {10, 10}, {10, 0}}});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 100.0, 1e-9);
}

TEST(Tessellate, ConcaveUShape) {
    Ring u = {{0, 0}, {30, 0}, {30, 30}, {20, 30}, {20, 10}, {10, 10}, {10, 30}, {0, 30}};
    auto r = run({u});
    EXPECT_EQ(r.idx.size(), 3 * (u.size() - 2));
    EXPECT_NEAR(trianglesArea(r.table, r.idx), ringArea(u), 1e-9);
    EXPECT_EQ(r.stats.forced, 0u);
}

TEST(Tessellate, SquareWithHole) {
    Ring shell = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    Ring hole = {{3, 3}, {7, 3}, {7, 7}, {3, 7}};  // same orientation as the shell: must still be a hole
    auto r = run({shell, hole});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 100.0 - 16.0, 1e-9);
    EXPECT_EQ(r.stats.forced, 0u);
}

TEST(Tessellate, HoleTouchingTheShellAtAVertexStaysEmpty) {
    // Valid (OGC) polygon, reduced from a Shenzhen district: the hole meets the shell at (11, -1). The ear test
    // used to skip vertices equal to the ear's tip and far corner, and drew area 89 with the hole filled.
    Ring shell = {{0, 0}, {5, 5}, {14, 3}, {11, -1}};
    Ring hole = {{7, 3}, {7, 2}, {11, -1}};
    auto r = run({shell, hole});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), ringArea(shell) - ringArea(hole), 1e-9);
    EXPECT_EQ(r.stats.forced, 0u);
}

TEST(Tessellate, TwoHolesAndProjectedCoordinates) {
    // Large EPSG:4547-like coordinates must not lose the holes to rounding.
    double ox = 538000, oy = 2512000;
    Ring shell = {{ox, oy}, {ox + 100, oy}, {ox + 100, oy + 50}, {ox, oy + 50}};
    Ring h1 = {{ox + 10, oy + 10}, {ox + 30, oy + 10}, {ox + 30, oy + 40}, {ox + 10, oy + 40}};
    Ring h2 = {{ox + 60, oy + 10}, {ox + 90, oy + 10}, {ox + 90, oy + 40}, {ox + 60, oy + 40}};
    auto r = run({shell, h1, h2});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 5000.0 - 600.0 - 900.0, 1e-6);
    EXPECT_EQ(r.stats.forced, 0u);
}

TEST(Tessellate, CollinearAndDuplicatePointsAreHarmless) {
    Ring ring = {{0, 0}, {5, 0}, {5, 0}, {10, 0}, {10, 5}, {10, 10}, {0, 10}, {0, 10}, {0, 0}};
    auto r = run({ring});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 100.0, 1e-9);
    EXPECT_EQ(r.stats.skipped, 0u);
    EXPECT_EQ(r.stats.forced, 0u);
}

TEST(Tessellate, EmptyAndDegenerateInputProduceNothing) {
    auto line = run({{{0, 0}, {1, 1}, {2, 2}, {0, 0}}});  // zero area
    EXPECT_TRUE(line.idx.empty());
    EXPECT_EQ(line.stats.skipped, 1u);
    auto two = run({{{0, 0}, {1, 1}}});
    EXPECT_TRUE(two.idx.empty());
    auto none = run({{}});
    EXPECT_TRUE(none.idx.empty());
    geo::FeatureTable empty;
    geo::TessStats st;
    EXPECT_TRUE(geo::tessellatePolygons(empty, st).empty());
}

TEST(Tessellate, BowtieIsDrawnApproximatelyAndCounted) {
    auto r = run({{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}});  // self-intersecting
    EXPECT_FALSE(r.idx.empty());
    EXPECT_EQ(r.stats.polygons, 1u);
    EXPECT_EQ(r.stats.forced, 1u);
    EXPECT_EQ(r.stats.skipped, 0u);
    for (uint32_t i : r.idx) EXPECT_LT(i, r.table.vertexCount());
}

TEST(Tessellate, SelfIntersectingRingWithUnequalLobesIsCounted) {
    // A figure eight whose lobes differ in size, at projected coordinates: the signed areas do not cancel fully.
    double ox = 538000, oy = 2512000;
    auto r = run({{{ox, oy}, {ox + 30, oy + 10}, {ox + 30, oy}, {ox, oy + 10}, {ox - 5, oy + 5}}});
    EXPECT_FALSE(r.idx.empty());
    EXPECT_EQ(r.stats.forced, 1u);
}

TEST(Tessellate, OnlyTheInvalidPartIsCounted) {
    geo::FeatureTable t;
    t.beginFeature(1, geo::GeomKind::Polygon);
    for (const Ring& ring : {Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}},
                             Ring{{20, 0}, {30, 10}, {30, 0}, {20, 10}},
                             Ring{{40, 0}, {50, 0}, {50, 10}, {40, 10}}}) {
        for (auto [x, y] : ring) t.addVertex(x, y);
        t.endRing();
        t.endPart();
    }
    t.endFeature();
    geo::TessStats st;
    geo::tessellatePolygons(t, st);
    EXPECT_EQ(st.polygons, 3u);
    EXPECT_EQ(st.forced, 1u);
}

TEST(Tessellate, HoleCrossingShellDoesNotCrashAndIsCounted) {
    Ring shell = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    Ring hole = {{5, 5}, {15, 5}, {15, 7}, {5, 7}};
    auto r = run({shell, hole});
    for (uint32_t i : r.idx) EXPECT_LT(i, r.table.vertexCount());
    EXPECT_EQ(r.stats.forced, 1u);
}

TEST(Tessellate, NonFiniteVerticesAreLeftOutAndCounted) {
    // The rest of the ring is still drawn: here the triangle left when (inf, 0) goes.
    auto r = run({{{0, 0}, {INFINITY, 0}, {10, 10}, {0, 10}}});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 50.0, 1e-9);
    EXPECT_EQ(r.stats.nonFiniteVertices, 1u);
    EXPECT_EQ(r.stats.skipped, 0u);
    for (uint32_t i : r.idx) EXPECT_NE(i, 1u);
    auto nan = run({{{0, 0}, {10, 0}, {NAN, 5}, {10, 10}, {0, 10}}});
    EXPECT_NEAR(trianglesArea(nan.table, nan.idx), 100.0, 1e-9);
    EXPECT_EQ(nan.stats.nonFiniteVertices, 1u);
    auto all = run({{{NAN, 0}, {1, NAN}, {INFINITY, -INFINITY}}});
    EXPECT_TRUE(all.idx.empty());
    EXPECT_EQ(all.stats.nonFiniteVertices, 3u);
    EXPECT_EQ(all.stats.skipped, 1u);
    EXPECT_EQ(all.stats.ringsDropped, 1u);
}

TEST(Tessellate, ManyVertexStarKeepsArea) {
    Ring star;
    const int n = 400;
    for (int i = 0; i < n; ++i) {
        double a = 2 * M_PI * i / n, rad = (i % 2) ? 50 : 100;
        star.push_back({rad * std::cos(a), rad * std::sin(a)});
    }
    auto r = run({star});
    EXPECT_EQ(r.idx.size(), 3u * (n - 2));
    EXPECT_NEAR(trianglesArea(r.table, r.idx), ringArea(star), 1e-6 * ringArea(star));
    EXPECT_EQ(r.stats.forced, 0u);
}

TEST(Tessellate, MultiPolygonPartsAreIndependent) {
    geo::FeatureTable t;
    t.beginFeature(1, geo::GeomKind::Polygon);
    for (double ox : {0.0, 100.0}) {
        for (auto [x, y] : Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}}) t.addVertex(x + ox, y);
        t.endRing();
        t.endPart();
    }
    t.endFeature();
    geo::TessStats st;
    auto idx = geo::tessellatePolygons(t, st);
    EXPECT_EQ(st.polygons, 2u);
    EXPECT_NEAR(trianglesArea(t, idx), 200.0, 1e-9);
}

TEST(Tessellate, DegenerateRingsAreCounted) {
    auto one = run({{{1, 1}}});
    auto two = run({{{0, 0}, {1, 1}, {0, 0}}});
    auto flat = run({{{0, 0}, {5, 0}, {10, 0}, {3, 0}}});
    auto same = run({{{2, 2}, {2, 2}, {2, 2}, {2, 2}}});
    for (const Result* r : {&one, &two, &flat, &same}) {
        EXPECT_TRUE(r->idx.empty());
        EXPECT_EQ(r->stats.polygons, 1u);
        EXPECT_EQ(r->stats.skipped, 1u);
        EXPECT_EQ(r->stats.ringsDropped, 1u);
        EXPECT_EQ(r->stats.forced, 0u);
    }
    EXPECT_EQ(same.stats.repeatedVertices, 3u);
    const auto w = geo::tessWarnings(flat.stats);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0], "1 degenerate polygon part not drawn (fewer than 3 distinct points or no area)");
}

TEST(Tessellate, DegenerateHoleIsLeftOutAndTheShellDrawn) {
    Ring shell = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    auto r = run({shell, {{3, 3}, {4, 4}}, {{5, 5}, {6, 5}, {7, 5}}});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 100.0, 1e-9);
    EXPECT_EQ(r.stats.ringsDropped, 2u);
    EXPECT_EQ(r.stats.holesDropped, 0u);  // nothing that should be empty is drawn
    EXPECT_EQ(r.stats.skipped, 0u);
}

TEST(Tessellate, HoleOutsideTheShellIsCountedAsDropped) {
    Ring shell = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    Ring inside = {{2, 2}, {4, 2}, {4, 4}, {2, 4}};
    Ring left = {{-30, 2}, {-20, 2}, {-20, 4}, {-30, 4}};  // no edge to its left
    Ring right = {{30, 2}, {40, 2}, {40, 4}, {30, 4}};     // the shell's edges to its left face away
    auto r = run({shell, inside, left});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 96.0, 1e-9);
    EXPECT_EQ(r.stats.holesDropped, 1u);
    EXPECT_EQ(r.stats.forced, 0u);
    auto r2 = run({shell, right, inside});
    EXPECT_NEAR(trianglesArea(r2.table, r2.idx), 96.0, 1e-9);
    EXPECT_EQ(r2.stats.holesDropped, 1u);
    EXPECT_EQ(r2.stats.forced, 0u);
    const auto w = geo::tessWarnings(r.stats);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0], "1 hole outside their polygon not cut out (drawn filled)");
}

TEST(Tessellate, RepeatedAndCollinearRunsKeepTheArea) {
    Ring ring;
    for (int i = 0; i < 1000; ++i) ring.push_back({i * 0.01, 0});  // collinear run along the bottom
    ring.push_back({10, 0});
    for (int i = 0; i < 3; ++i) ring.push_back({10, 10});  // repeated corner
    ring.push_back({5, 10});
    ring.push_back({0, 10});
    auto r = run({ring});
    EXPECT_NEAR(trianglesArea(r.table, r.idx), 100.0, 1e-9);
    EXPECT_EQ(r.stats.repeatedVertices, 2u);
    EXPECT_EQ(r.stats.forced, 0u);
    EXPECT_EQ(r.idx.size(), 6u);  // straight vertices never make triangles of their own
}

TEST(Tessellate, HugeAndTinyCoordinatesStillTriangulate) {
    // Cross products of 1e300-scale differences overflow and of 1e-300-scale ones underflow: rescaled inside.
    for (double s : {1e300, 1e-300, 1e-310}) {
        auto r = run({{{0, 0}, {3 * s, 0}, {3 * s, 3 * s}, {2 * s, 1 * s}, {0, 3 * s}}});
        EXPECT_EQ(r.idx.size(), 9u) << s;
        EXPECT_EQ(r.stats.forced, 0u) << s;
        EXPECT_EQ(r.stats.skipped, 0u) << s;
    }
}

TEST(Tessellate, BigMinIsTheNextCodeInsideTheBox) {
    // Against a scan of every code, on a 16 x 16 grid: the ear test's jumps along the z curve skip nothing.
    using geo::tess::zInterleave;
    int checked = 0;
    for (uint32_t x0 = 0; x0 < 16; x0 += 3)
        for (uint32_t x1 = x0; x1 < 16; x1 += 4)
            for (uint32_t y0 = 0; y0 < 16; y0 += 5)
                for (uint32_t y1 = y0; y1 < 16; y1 += 3) {
                    const uint32_t zmin = zInterleave(x0, y0), zmax = zInterleave(x1, y1);
                    bool inBox[256] = {};
                    for (uint32_t i = x0; i <= x1; ++i)
                        for (uint32_t j = y0; j <= y1; ++j) inBox[zInterleave(i, j)] = true;
                    for (uint32_t z = zmin; z <= zmax; ++z) {
                        if (inBox[z]) continue;  // only asked for codes outside
                        uint32_t expected = 0;
                        for (uint32_t c = z + 1; c <= zmax && !expected; ++c)
                            if (inBox[c]) expected = c;
                        ASSERT_EQ(geo::tess::zBigMin(z, zmin, zmax), expected) << z << " " << zmin << " " << zmax;
                        ++checked;
                    }
                }
    EXPECT_GT(checked, 1000);
}

}  // namespace

// Tessellation: triangle counts and areas against the input polygon's area (earcut-style fixtures).
#include <gtest/gtest.h>

#include <cmath>

#include "tessellate/tessellate.hpp"

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
    for (size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) a += r[j].first * r[i].second - r[i].first * r[j].second;
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
    for (const Ring& ring : {Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, Ring{{20, 0}, {30, 10}, {30, 0}, {20, 10}},
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

TEST(Tessellate, NonFiniteVerticesSkipThePolygon) {
    auto r = run({{{0, 0}, {INFINITY, 0}, {10, 10}, {0, 10}}});
    EXPECT_TRUE(r.idx.empty());
    EXPECT_EQ(r.stats.skipped, 1u);
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

}  // namespace

// Tessellation on generated fixtures (tess_shapes.hpp): exact area, coverage by sample points, every hole kept,
// large rings, hostile rings in bounded time, cancellation, and the counts reaching a layer's warnings.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>

#include "geo/tessellate/tess_shapes.hpp"
#include "layer/vector_layer.hpp"
#include "support/test_support.hpp"
#include "tessellate/tessellate.hpp"

namespace {

using namespace tess_shapes;

struct Tessellated {
    geo::FeatureTable table;
    std::vector<uint32_t> idx;
    geo::TessStats stats;
};

Tessellated tessellate(const Polygon& p) {
    Tessellated r;
    r.table = tableOf({p});
    r.idx = geo::tessellatePolygons(r.table, r.stats);
    return r;
}

double trianglesArea(const Tessellated& r) {
    double a = 0;
    for (size_t i = 0; i < r.idx.size(); i += 3) {
        const double* p = &r.table.xy[2 * r.idx[i]];
        const double* q = &r.table.xy[2 * r.idx[i + 1]];
        const double* s = &r.table.xy[2 * r.idx[i + 2]];
        a += std::abs((q[0] - p[0]) * (s[1] - p[1]) - (q[1] - p[1]) * (s[0] - p[0])) / 2;
    }
    return a;
}

// Every index names a finite input vertex and every triangle has area.
void expectValidTriangles(const Tessellated& r) {
    ASSERT_EQ(r.idx.size() % 3, 0u);
    size_t bad = 0;
    for (size_t i = 0; i < r.idx.size(); i += 3) {
        for (int k = 0; k < 3; ++k) {
            const uint32_t v = r.idx[i + k];
            if (v >= r.table.vertexCount() || !std::isfinite(r.table.xy[2 * v]) ||
                !std::isfinite(r.table.xy[2 * v + 1]))
                ++bad;
        }
        if (r.idx[i] == r.idx[i + 1] || r.idx[i + 1] == r.idx[i + 2] || r.idx[i] == r.idx[i + 2]) ++bad;
    }
    EXPECT_EQ(bad, 0u);
}

// Point in polygon by the even-odd rule over all rings, with the edges bucketed in horizontal strips.
class EvenOdd {
public:
    EvenOdd(const Polygon& p, double y0, double y1) : y0_(y0), y1_(y1), strips_(kStrips) {
        for (const Ring& r : p)
            for (size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
                for (int s = strip(std::min(r[i].second, r[j].second)); s <= strip(std::max(r[i].second, r[j].second));
                     ++s)
                    strips_[s].push_back({r[j], r[i]});
    }
    bool inside(double x, double y) const {
        bool in = false;
        for (const auto& [a, b] : strips_[strip(y)]) {
            auto [xi, yi] = b;
            auto [xj, yj] = a;
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
        }
        return in;
    }

private:
    static constexpr int kStrips = 1024;
    int strip(double y) const {
        return std::clamp(static_cast<int>((y - y0_) / (y1_ - y0_) * kStrips), 0, kStrips - 1);
    }
    double y0_, y1_;
    std::vector<std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>> strips_;
};

// Sample points over the bounding box: each must be covered by exactly one triangle when inside the polygon and by
// none outside (no triangle outside, no overlap, no gap). Returns the number of points where that fails.
size_t coverageMismatches(const Polygon& p, const Tessellated& r, int samples, uint32_t seed = 5) {
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (auto [x, y] : p[0]) {
        x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
    // Triangles bucketed on a grid by bounding box.
    constexpr int kGrid = 64;
    std::vector<std::vector<uint32_t>> cells(kGrid * kGrid);
    auto cell = [&](double v, double lo, double hi) {
        return std::clamp(static_cast<int>((v - lo) / (hi - lo) * kGrid), 0, kGrid - 1);
    };
    const double* xy = r.table.xy.data();
    for (uint32_t t = 0; t < r.idx.size() / 3; ++t) {
        double tx0 = INFINITY, ty0 = INFINITY, tx1 = -INFINITY, ty1 = -INFINITY;
        for (int k = 0; k < 3; ++k) {
            const double* v = xy + 2 * r.idx[3 * t + k];
            tx0 = std::min(tx0, v[0]), ty0 = std::min(ty0, v[1]), tx1 = std::max(tx1, v[0]), ty1 = std::max(ty1, v[1]);
        }
        for (int j = cell(ty0, y0, y1); j <= cell(ty1, y0, y1); ++j)
            for (int i = cell(tx0, x0, x1); i <= cell(tx1, x0, x1); ++i) cells[j * kGrid + i].push_back(t);
    }
    const EvenOdd polygon(p, y0, y1);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> ux(x0, x1), uy(y0, y1);
    size_t mismatches = 0;
    for (int s = 0; s < samples; ++s) {
        const double x = ux(rng), y = uy(rng);
        int covering = 0;
        for (uint32_t t : cells[cell(y, y0, y1) * kGrid + cell(x, x0, x1)]) {
            const double* a = xy + 2 * r.idx[3 * t];
            const double* b = xy + 2 * r.idx[3 * t + 1];
            const double* c = xy + 2 * r.idx[3 * t + 2];
            const double d1 = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
            const double d2 = (c[0] - b[0]) * (y - b[1]) - (c[1] - b[1]) * (x - b[0]);
            const double d3 = (a[0] - c[0]) * (y - c[1]) - (a[1] - c[1]) * (x - c[0]);
            if ((d1 > 0 && d2 > 0 && d3 > 0) || (d1 < 0 && d2 < 0 && d3 < 0)) ++covering;
        }
        if (covering != (polygon.inside(x, y) ? 1 : 0)) ++mismatches;
    }
    return mismatches;
}

struct Fixture {
    const char* name;
    Polygon polygon;
};

class TessellateFixture : public ::testing::TestWithParam<int> {};

std::vector<Fixture> fixtures() {
    return {
        {"convex circle", {circle(1000, 5, 5, 100)}},
        {"noisy star", {noisyStar(5000)}},
        {"koch island", {kochIsland(3)}},
        {"comb", {comb(300)}},
        {"spiral", {spiral(20, 200)}},  // valid, but ears appear only at its ends: a walk around it is quadratic
        {"star with holes", starWithHoles(3000, 64, 24)},
        {"grid of holes", gridOfHoles(20, 10)},
        {"hole touching the shell along an edge",
         {{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{0, 3}, {4, 3}, {4, 7}, {0, 7}}}},
        {"holes touching each other at a corner",
         {{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{2, 2}, {5, 2}, {5, 5}, {2, 5}}, {{5, 5}, {8, 5}, {8, 8}, {5, 8}}}},
        {"hole touching the shell at a vertex", {{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{0, 0}, {4, 2}, {2, 4}}}},
    };
}

TEST_P(TessellateFixture, AreaIsExactAndSamplePointsAreCoveredOnce) {
    const Fixture f = fixtures()[GetParam()];
    SCOPED_TRACE(f.name);
    const Tessellated r = tessellate(f.polygon);
    expectValidTriangles(r);
    const double expected = polygonArea(f.polygon);
    EXPECT_NEAR(trianglesArea(r), expected, 1e-9 * expected);
    EXPECT_EQ(r.stats.forced, 0u);
    EXPECT_EQ(r.stats.skipped, 0u);
    EXPECT_EQ(r.stats.holesDropped, 0u);
    EXPECT_EQ(coverageMismatches(f.polygon, r, 3000), 0u);
}

INSTANTIATE_TEST_SUITE_P(Shapes, TessellateFixture, ::testing::Range(0, static_cast<int>(fixtures().size())));

TEST(TessellateFixtures, FiveThousandHolesAreAllCutOut) {
    const Polygon p = gridOfHoles(100, 50);
    const Tessellated r = tessellate(p);
    expectValidTriangles(r);
    EXPECT_EQ(r.stats.holesDropped, 0u);
    EXPECT_EQ(r.stats.forced, 0u);
    EXPECT_NEAR(trianglesArea(r), 5000 - 5000 * 0.25, 1e-6);
    EXPECT_EQ(coverageMismatches(p, r, 5000), 0u);
}

TEST(TessellateFixtures, RingOf200kVertices) {
    const Polygon p = {noisyStar(200000, 2)};
    const Tessellated r = tessellate(p);
    expectValidTriangles(r);
    EXPECT_EQ(r.idx.size(), 3u * (200000 - 2));
    EXPECT_NEAR(trianglesArea(r), polygonArea(p), 1e-9 * polygonArea(p));
    EXPECT_EQ(r.stats.forced, 0u);
    EXPECT_EQ(coverageMismatches(p, r, 1000), 0u);
}

TEST(TessellateFixtures, LocalSelfIntersectionIsRepairedAndCounted) {
    Ring ring = circle(20000, 0, 0, 100);
    std::swap(ring[5000], ring[5001]);  // a twist: chords 4999-5001 and 5000-5002 of the circle cross
    const Tessellated r = tessellate({ring});
    expectValidTriangles(r);
    EXPECT_EQ(r.stats.forced, 1u);
    const double expected = ringArea(circle(20000, 0, 0, 100));
    EXPECT_NEAR(trianglesArea(r), expected, 1e-3 * expected);  // all but the twist's sliver
}

TEST(TessellateFixtures, RandomRingFinishesAndIsCounted) {
    // A ring through random points crosses itself everywhere: the repairs give up within the work budget and the
    // last resort draws something, counted.
    std::mt19937 rng(9);
    std::uniform_real_distribution<double> u(0, 100);
    Ring ring;
    for (int i = 0; i < 5000; ++i) ring.push_back({u(rng), u(rng)});
    const Tessellated r = tessellate({ring});
    expectValidTriangles(r);
    EXPECT_FALSE(r.idx.empty());
    EXPECT_EQ(r.stats.forced, 1u);
}

TEST(TessellateFixtures, CancelStopsInsideOnePolygon) {
    const geo::FeatureTable t = tableOf({{noisyStar(200000, 2)}});
    geo::Tessellator tess;
    int polls = 0;
    tess.setCancelCheck([&polls] { return ++polls == 3; });
    std::vector<uint32_t> out;
    geo::TessStats stats;
    EXPECT_THROW(tess.triangulate(t.xy.data(), {{0, 200000}}, out, stats), geo::Cancelled);
    EXPECT_EQ(polls, 3);                     // polled while working on the one ring, and stopped at once
    EXPECT_LT(out.size(), 3u * 199998 / 4);  // long before the end

    polls = -1000000;  // a check that never fires: the same ring completes
    out.clear();
    EXPECT_TRUE(tess.triangulate(t.xy.data(), {{0, 200000}}, out, stats));
    EXPECT_EQ(out.size(), 3u * 199998);
}

TEST(TessellateFixtures, CancelledJobStopsTessellatePolygons) {
    const geo::FeatureTable t = tableOf({{noisyStar(50000, 2)}, {circle(100)}});
    geo::JobProgress job;
    geo::TessStats stats;
    EXPECT_NO_THROW(geo::tessellatePolygons(t, stats, nullptr, &job));
    EXPECT_EQ(stats.polygons, 2u);
    job.cancel();
    EXPECT_THROW(geo::tessellatePolygons(t, stats, nullptr, &job), geo::Cancelled);
}

TEST(TessellateFixtures, CountsReachTheLayerWarnings) {
    // One polygon with a hole outside its shell, one whose shell has no area: both named in the layer's warnings,
    // which the viewer's messages and `planatlas render` print.
    const std::string dir = test::scratchDir("tess_layer_warnings");
    const std::string path = dir + "/bad_rings.geojson";
    test::writeText(path, R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[
  [[0,0],[10,0],[10,10],[0,10],[0,0]],[[20,2],[22,2],[22,4],[20,4],[20,2]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[5,5],[10,10],[0,0]]]}}]})");
    auto data = geo::loadVectorLayer(path, "", nullptr);
    EXPECT_EQ(data->tess.holesDropped, 1u);
    EXPECT_EQ(data->tess.skipped, 1u);
    const auto& w = data->source.warnings;
    auto has = [&](const std::string& text) {
        return std::any_of(w.begin(), w.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
    };
    EXPECT_TRUE(has("1 hole outside their polygon not cut out (drawn filled)"));
    EXPECT_TRUE(has("1 degenerate polygon part not drawn"));
}

}  // namespace

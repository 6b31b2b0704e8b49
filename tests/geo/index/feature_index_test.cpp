// Picking in the table's CRS without GL: polygons with holes, near lines, on point symbols.
#include <gtest/gtest.h>

#include "index/feature_index.hpp"

namespace {

geo::FeatureTable scene() {
    geo::FeatureTable t;
    auto ring = [&](std::initializer_list<std::pair<double, double>> pts) {
        for (auto [x, y] : pts) t.addVertex(x, y);
        t.endRing();
    };
    // 0: a big square with a hole in the middle
    t.beginFeature(0, geo::GeomKind::Polygon);
    ring({{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}});
    ring({{40, 40}, {60, 40}, {60, 60}, {40, 60}, {40, 40}});
    t.endPart();
    t.endFeature();
    // 1: a small square inside the big one
    t.beginFeature(1, geo::GeomKind::Polygon);
    ring({{10, 10}, {20, 10}, {20, 20}, {10, 20}, {10, 10}});
    t.endPart();
    t.endFeature();
    // 2: a line across the top
    t.beginFeature(2, geo::GeomKind::Line);
    ring({{0, 90}, {100, 90}});
    t.endPart();
    t.endFeature();
    // 3: a point
    t.beginFeature(3, geo::GeomKind::Point);
    ring({{80, 20}});
    t.endPart();
    t.endFeature();
    return t;
}

TEST(Pick, PolygonWithHole) {
    auto t = scene();
    geo::FeatureIndex idx(t);
    EXPECT_EQ(geo::pickFeature(t, idx, 30, 50, 0.5, 2), std::optional<size_t>(0));
    EXPECT_EQ(geo::pickFeature(t, idx, 50, 50, 0.5, 2), std::nullopt);  // in the hole
    EXPECT_EQ(geo::pickFeature(t, idx, 150, 50, 0.5, 2), std::nullopt);
}

TEST(Pick, SmallerPolygonOnTopOfTheZoneItIsIn) {
    auto t = scene();
    geo::FeatureIndex idx(t);
    EXPECT_EQ(geo::pickFeature(t, idx, 15, 15, 0.5, 2), std::optional<size_t>(1));
}

TEST(Pick, NearALineWithinTolerance) {
    auto t = scene();
    geo::FeatureIndex idx(t);
    EXPECT_EQ(geo::pickFeature(t, idx, 50, 91.5, 2, 2), std::optional<size_t>(2));
    EXPECT_EQ(geo::pickFeature(t, idx, 50, 95, 2, 2), std::optional<size_t>(0));  // too far: the polygon below
}

TEST(Pick, OnAPointSymbol) {
    auto t = scene();
    geo::FeatureIndex idx(t);
    EXPECT_EQ(geo::pickFeature(t, idx, 82, 21, 0.5, 3), std::optional<size_t>(3));
    EXPECT_EQ(geo::pickFeature(t, idx, 86, 21, 0.5, 3), std::optional<size_t>(0));
}

TEST(Pick, IndexQueryFindsEachFeatureOnce) {
    auto t = scene();
    geo::FeatureIndex idx(t);
    geo::BBox all;
    all.add(-1, -1);
    all.add(101, 101);
    EXPECT_EQ(idx.query(all).size(), 4u);
    geo::BBox corner;
    corner.add(11, 11);
    corner.add(12, 12);
    auto hits = idx.query(corner);
    EXPECT_EQ(hits, (std::vector<uint32_t>{0, 1}));
}

}  // namespace

// Unusable vertices removed from a table with the structure kept consistent, and what counts as drawable.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "store/table_repair.hpp"

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void ring(geo::FeatureTable& t, std::initializer_list<std::pair<double, double>> pts) {
    for (auto [x, y] : pts) t.addVertex(x, y);
    t.endRing();
}

}  // namespace

TEST(TableRepair, UnusableMeansNonFiniteAbsurdOrOffTheGlobe) {
    EXPECT_TRUE(geo::unusableVertex(kNan, 0, false));
    EXPECT_TRUE(geo::unusableVertex(0, -kInf, false));
    EXPECT_TRUE(geo::unusableVertex(1e300, 0, false));
    EXPECT_TRUE(geo::unusableVertex(0, 2e10, false));
    EXPECT_FALSE(geo::unusableVertex(2.5e6, 5e5, false));  // EPSG:4547 metres
    EXPECT_FALSE(geo::unusableVertex(500, 95, false));     // fine in metres
    EXPECT_TRUE(geo::unusableVertex(500, 95, true));       // not in degrees
    EXPECT_TRUE(geo::unusableVertex(600, 0, true));
    EXPECT_FALSE(geo::unusableVertex(-179.9, -89.9, true));
}

TEST(TableRepair, CleanTablesAreLeftAlone) {
    geo::FeatureTable t;
    t.beginFeature(1, geo::GeomKind::Polygon);
    ring(t, {{0, 0}, {1, 0}, {1, 1}, {0, 0}});
    t.endPart();
    t.endFeature();
    const double* before = t.xy.data();
    const geo::VertexRepair r = geo::dropUnusableVertices(t, true);
    EXPECT_EQ(r.vertices, 0u);
    EXPECT_EQ(t.xy.data(), before);  // not copied
    EXPECT_EQ(geo::describe(r, true), "");
}

TEST(TableRepair, RingsPartsAndFeaturesStayConsistent) {
    geo::FeatureTable t;
    // 0: a polygon whose shell is all NaN: the part goes with its (good) hole.
    t.beginFeature(10, geo::GeomKind::Polygon);
    ring(t, {{kNan, 0}, {kNan, 1}, {kNan, 2}});
    ring(t, {{0.1, 0.1}, {0.2, 0.1}, {0.2, 0.2}});
    t.endPart();
    t.endFeature();
    // 1: a multipoint with one absurd point of three.
    t.beginFeature(11, geo::GeomKind::Point);
    for (auto [x, y] : {std::pair{1.0, 1.0}, {1e300, 1.0}, {2.0, 2.0}}) {
        t.addVertex(x, y);
        t.endRing();
        t.endPart();
    }
    t.endFeature();
    // 2: a polygon with a hole of infinities: the hole goes, the shell stays.
    t.beginFeature(12, geo::GeomKind::Polygon);
    ring(t, {{0, 0}, {4, 0}, {4, 4}, {0, 0}});
    ring(t, {{kInf, 1}, {kInf, 2}});
    t.endPart();
    t.endFeature();
    // 3: untouched.
    t.beginFeature(13, geo::GeomKind::Line);
    ring(t, {{5, 5}, {6, 6}});
    t.endPart();
    t.endFeature();

    const geo::VertexRepair r = geo::dropUnusableVertices(t, true);
    EXPECT_EQ(r.vertices, 3u + 1u + 2u);
    EXPECT_EQ(r.features, 3u);
    EXPECT_EQ(r.emptied, 1u);
    ASSERT_EQ(t.featureCount(), 4u);
    EXPECT_EQ(t.kinds[0], geo::GeomKind::None);
    EXPECT_EQ(t.partEnd(0) - t.partBegin(0), 0u);
    EXPECT_EQ(t.partEnd(1) - t.partBegin(1), 2u);
    EXPECT_EQ(t.partEnd(2) - t.partBegin(2), 1u);
    EXPECT_EQ(t.ringEnd(t.partBegin(2)) - t.ringBegin(t.partBegin(2)), 1u);
    EXPECT_EQ(t.vertexCount(), 2u + 4u + 2u);
    EXPECT_EQ(t.ringEnds.back(), t.vertexCount());
    EXPECT_EQ(t.fids[3], 13);
    for (double v : t.xy) EXPECT_TRUE(std::isfinite(v) && std::fabs(v) < 10);
    EXPECT_NE(geo::describe(r, true).find("6 vertices with non-finite or absurd coordinates"), std::string::npos);
    EXPECT_NE(geo::describe(r, true).find("in 3 features, 1 left without geometry"), std::string::npos);
}

TEST(TableRepair, DrawableFeaturesNeedAPointOrTwoDistinctVertices) {
    geo::FeatureTable t;
    t.beginFeature(1, geo::GeomKind::Polygon);  // one repeated point: nothing
    ring(t, {{1, 1}, {1, 1}});
    t.endPart();
    t.endFeature();
    t.beginFeature(2, geo::GeomKind::None);  // no geometry
    t.endFeature();
    EXPECT_EQ(geo::drawableFeatureCount(t), 0u);
    EXPECT_FALSE(geo::anyDrawableFeature(t));
    t.beginFeature(3, geo::GeomKind::Point);
    ring(t, {{2, 2}});
    t.endPart();
    t.endFeature();
    t.beginFeature(4, geo::GeomKind::Line);
    ring(t, {{2, 2}, {2, 2}, {3, 2}});
    t.endPart();
    t.endFeature();
    EXPECT_EQ(geo::drawableFeatureCount(t), 2u);
    EXPECT_TRUE(geo::anyDrawableFeature(t));
}

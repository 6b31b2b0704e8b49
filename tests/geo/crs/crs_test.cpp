// CRS parsing, axis order normalisation, batch transforms, ground distance and the grid transformer.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "crs/crs.hpp"

namespace {

TEST(Crs, ParsesEpsgCodes) {
    auto c = geo::Crs::fromUser("EPSG:4547");
    EXPECT_EQ(c.epsg(), 4547);
    EXPECT_EQ(c.id(), "EPSG:4547");
    EXPECT_FALSE(c.isGeographic());
    EXPECT_TRUE(geo::Crs::fromUser("EPSG:4326").isGeographic());
}

TEST(Crs, UnknownCrsIsCrsError) {
    EXPECT_THROW(geo::Crs::fromUser("EPSG:999999"), geo::CrsError);
    EXPECT_THROW(geo::Crs::fromUser("not a crs"), geo::CrsError);
    EXPECT_THROW(geo::Crs::fromUser(""), geo::CrsError);
}

TEST(Crs, AxisOrderIsLonLatAndEastingNorthing) {
    // EPSG:4326 is latitude-first and EPSG:4547 northing-first by authority; both come out x = east.
    geo::Transformer t(geo::Crs::fromUser("EPSG:4326"), geo::Crs::fromUser("EPSG:4547"));
    double p[2] = {114.0, 22.7};  // on the central meridian
    ASSERT_EQ(t.transform(p, 1), 1u);
    EXPECT_NEAR(p[0], 500000.0, 0.01);       // false easting at CM 114E (no zone prefix in EPSG:4547)
    EXPECT_NEAR(p[1], 2511000.0, 3000.0);    // ~22.7 degrees north
    ASSERT_EQ(t.inverse(p, 1), 1u);
    EXPECT_NEAR(p[0], 114.0, 1e-9);
    EXPECT_NEAR(p[1], 22.7, 1e-9);
}

TEST(Crs, WebMercatorKnownValue) {
    geo::Transformer t(geo::Crs::wgs84(), geo::Crs::fromUser("EPSG:3857"));
    double p[4] = {0, 0, 180, 0};
    t.transform(p, 2);
    EXPECT_NEAR(p[0], 0, 1e-6);
    EXPECT_NEAR(p[2], 20037508.342789244, 1e-3);
}

TEST(Crs, BatchTransformMarksFailuresAsInfinity) {
    geo::Transformer t(geo::Crs::wgs84(), geo::Crs::fromUser("EPSG:3857"));
    double p[4] = {114, 22, 0, 95};  // latitude beyond the pole
    size_t ok = t.transform(p, 2);
    EXPECT_EQ(ok, 1u);
    EXPECT_TRUE(std::isinf(p[2]));
}

TEST(Crs, IdentityTransformerLeavesPointsAlone) {
    geo::Transformer t(geo::Crs::wgs84(), geo::Crs::wgs84());
    EXPECT_TRUE(t.identity());
    double p[2] = {114.1, 22.5};
    t.transform(p, 1);
    EXPECT_EQ(p[0], 114.1);
}

TEST(Crs, GroundDistance) {
    // One degree of latitude is about 111.2 km on the mean sphere.
    EXPECT_NEAR(geo::groundDistanceMeters(114, 22, 114, 23), 111195, 50);
}

TEST(GridTransformer, MatchesProjWithinTolerance) {
    geo::BBox box;
    box.add(114.2, 22.5);
    box.add(114.6, 22.9);
    for (const char* code : {"EPSG:3857", "EPSG:4547"}) {
        geo::Transformer exact(geo::Crs::wgs84(), geo::Crs::fromUser(code));
        geo::GridTransformer grid(exact, box, false);
        ASSERT_TRUE(grid.usesGrid()) << code;
        std::vector<double> a, b;
        for (int k = 0; k < 10000; ++k) {
            double x = 114.2 + 0.4 * ((k * 7919) % 10007) / 10007.0, y = 22.5 + 0.4 * ((k * 104729) % 10009) / 10009.0;
            a.insert(a.end(), {x, y});
        }
        b = a;
        exact.transform(a.data(), a.size() / 2);
        grid.transform(b.data(), b.size() / 2);
        double worst = 0;
        for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
        EXPECT_LT(worst, 1e-3) << code;  // 1 mm
    }
}

TEST(GridTransformer, PointsOutsideTheGridUseProj) {
    geo::BBox box;
    box.add(114.2, 22.5);
    box.add(114.6, 22.9);
    geo::Transformer exact(geo::Crs::wgs84(), geo::Crs::fromUser("EPSG:3857"));
    geo::GridTransformer grid(exact, box, false);
    double p[2] = {0, 0}, q[2] = {0, 0};
    grid.transform(p, 1);
    exact.transform(q, 1);
    EXPECT_EQ(p[0], q[0]);
    EXPECT_EQ(p[1], q[1]);
}

}  // namespace

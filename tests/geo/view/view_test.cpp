// The view: scale in every display CRS, zoom about the cursor, fitting a box.
#include <gtest/gtest.h>

#include "crs/crs.hpp"
#include "view/view.hpp"

namespace {

TEST(View, ScaleIsTheSameInEveryDisplayCrs) {
    for (const char* code : {"EPSG:3857", "EPSG:4547", "EPSG:4326"}) {
        geo::Crs crs = geo::Crs::fromUser(code);
        geo::Transformer toWgs(crs, geo::Crs::wgs84());
        geo::Transformer fromWgs(geo::Crs::wgs84(), crs);
        geo::View v;
        double c[2] = {114.35, 22.7};
        fromWgs.transform(c, 1);
        v.centerX = c[0];
        v.centerY = c[1];
        v.resolution = 1;
        geo::setScale(v, toWgs, 5000);
        geo::setScale(v, toWgs, 5000);
        EXPECT_NEAR(geo::scaleDenominator(v, toWgs), 5000, 1) << code;
        EXPECT_NEAR(geo::groundResolution(v, toWgs), 5000 * geo::kStandardPixelMeters, 0.01) << code;
    }
}

TEST(View, ZoomAboutKeepsThePointUnderTheCursor) {
    geo::View v;
    v.width = 800;
    v.height = 600;
    v.centerX = 1000;
    v.centerY = 2000;
    v.resolution = 2;
    double wx = v.screenToWorldX(100), wy = v.screenToWorldY(50);
    v.zoomAbout(3.0, 100, 50);
    EXPECT_NEAR(v.screenToWorldX(100), wx, 1e-9);
    EXPECT_NEAR(v.screenToWorldY(50), wy, 1e-9);
    EXPECT_NEAR(v.resolution, 2.0 / 3.0, 1e-12);
}

TEST(View, FitContainsTheBox) {
    geo::View v;
    v.width = 400;
    v.height = 200;
    geo::BBox b;
    b.add(0, 0);
    b.add(100, 100);
    v.fit(b, 0.0);
    geo::BBox e = v.extent();
    EXPECT_LE(e.minX, 0);
    EXPECT_GE(e.maxX, 100);
    EXPECT_NEAR(e.minY, 0, 1e-9);
    EXPECT_NEAR(e.maxY, 100, 1e-9);
}

}  // namespace

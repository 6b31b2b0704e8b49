// Fly-to path (van Wijk & Nuij): exact ends, zoom out then in for distant targets, duration grows with distance.
#include <gtest/gtest.h>

#include "view/flight.hpp"

namespace {

geo::View view(double x, double y, double res) {
    geo::View v;
    v.width = 1280;
    v.height = 800;
    v.centerX = x;
    v.centerY = y;
    v.resolution = res;
    return v;
}

TEST(Flight, StartsAndEndsExactlyAtTheTwoViews) {
    geo::View a = view(12730000, 2595000, 5), b = view(12750000, 2600000, 2);
    geo::FlightPath p(a, b);
    geo::View s = p.at(0), e = p.at(1);
    EXPECT_EQ(s.centerX, a.centerX);
    EXPECT_EQ(s.resolution, a.resolution);
    EXPECT_EQ(e.centerX, b.centerX);
    EXPECT_EQ(e.centerY, b.centerY);
    EXPECT_EQ(e.resolution, b.resolution);
    // And the formula itself lands there too (not only the clamped ends).
    geo::View near = p.at(1 - 1e-9);
    EXPECT_NEAR(near.centerX, b.centerX, 1e-3);
    EXPECT_NEAR(near.resolution, b.resolution, 1e-6);
}

TEST(Flight, DistantTargetsZoomOutThenIn) {
    geo::View a = view(12700000, 2590000, 2), b = view(12800000, 2620000, 2);  // 100 km apart at ~1:7000
    geo::FlightPath p(a, b);
    int peak = 0;
    double prev = p.span(0), best = prev;
    bool rising = true, monotone = true;
    for (int i = 1; i <= 200; ++i) {
        double w = p.span(i / 200.0);
        if (rising && w < prev) rising = false;
        else if (!rising && w > prev + 1e-9) monotone = false;
        if (w > best) best = w, peak = i;
        prev = w;
    }
    EXPECT_TRUE(monotone) << "the visible span goes up once, then down once";
    EXPECT_GT(best, 10 * p.span(0)) << "a distant target zooms far out";
    EXPECT_GT(peak, 50);
    EXPECT_LT(peak, 150);
}

TEST(Flight, CentreMovesMonotonicallyTowardsTheTarget) {
    geo::View a = view(0, 0, 10), b = view(50000, 20000, 10);
    geo::FlightPath p(a, b);
    double prev = 0;
    for (int i = 1; i <= 100; ++i) {
        double x = p.at(i / 100.0).centerX;
        EXPECT_GE(x, prev - 1e-9);
        prev = x;
    }
}

TEST(Flight, DurationGrowsWithDistanceAndIsCapped) {
    geo::View a = view(0, 0, 10);
    double last = 0;
    for (double d : {1000.0, 10000.0, 100000.0}) {
        geo::FlightPath p(a, view(d, 0, 10));
        EXPECT_GT(p.duration(), last) << d;
        last = p.duration();
    }
    geo::FlightPath far(a, view(1e9, 0, 10));
    EXPECT_LE(far.duration(), 4.0);
}

TEST(Flight, PureZoomHasNoPan) {
    geo::View a = view(100, 200, 10), b = view(100, 200, 0.5);
    geo::FlightPath p(a, b);
    EXPECT_GT(p.duration(), 0);
    geo::View m = p.at(0.5);
    EXPECT_DOUBLE_EQ(m.centerX, 100);
    EXPECT_GT(m.resolution, 0.5);
    EXPECT_LT(m.resolution, 10);
}

}  // namespace

// Measurement: geodesic lengths against PROJ's `geod`, areas against the ellipsoid's closed form, planar values
// hand-computed in EPSG:4547, 亩/公顷 conversion and the display strings.
//
// Reference lengths come from PROJ 9.1.1's geod on GRS80 (input lat1 lon1 lat2 lon2, distance in metres, mm):
//   echo "22.70 114.30 22.75 114.40" | geod -I +ellps=GRS80 -f %.8f   ->  11670.091
//   echo "22.75 114.40 22.60 114.45" | geod -I +ellps=GRS80 -f %.8f   ->  17387.497
//   echo "0 0 0 1"                   | geod -I +ellps=GRS80 -f %.8f   ->  111319.491
//   echo "0 114 1 114"               | geod -I +ellps=GRS80 -f %.8f   ->  110574.389
//   and the sides of the square 22.70..22.72 N x 114.30..114.32 E:
//   22.70 114.30 22.70 114.32 -> 2054.954    22.70 114.32 22.72 114.32 -> 2214.800
//   22.72 114.32 22.72 114.30 -> 2054.656    22.72 114.30 22.70 114.30 -> 2214.800
// The Measurer uses CGCS2000's ellipsoid, which differs from GRS80 only in f, by ~1e-11 relative: far below
// geod's printed millimetre, so the values hold for both. geod computes no areas; the area reference is the
// octant bounded by the equator and two meridians (all geodesics): one eighth of the ellipsoid's surface,
// 2*pi*a^2*(1 + (1-e^2)/e*atanh(e)) / 8.
#include "analysis/measure.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

void addRing(geo::FeatureTable& t, std::initializer_list<std::pair<double, double>> pts) {
    for (auto [x, y] : pts) t.addVertex(x, y);
    t.endRing();
}

// A square (x0, y0, side) as a closed ring, counter-clockwise, or clockwise when `cw`.
void addSquare(geo::FeatureTable& t, double x0, double y0, double side, bool cw = false) {
    if (cw)
        addRing(t, {{x0, y0}, {x0, y0 + side}, {x0 + side, y0 + side}, {x0 + side, y0}, {x0, y0}});
    else
        addRing(t, {{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}});
}

}  // namespace

TEST(Measure, GeodesicLengthsMatchGeod) {
    geo::Measurer m;
    const double one[] = {114.30, 22.70, 114.40, 22.75};
    EXPECT_NEAR(m.line(one, 2).geodesicM, 11670.091, 1e-3);
    const double path[] = {114.30, 22.70, 114.40, 22.75, 114.45, 22.60};
    EXPECT_NEAR(m.line(path, 3).geodesicM, 11670.091 + 17387.497, 2e-3);
    const double equator[] = {0, 0, 1, 0};
    EXPECT_NEAR(m.line(equator, 2).geodesicM, 111319.491, 1e-3);
    // Degenerate input measures nothing.
    EXPECT_EQ(m.line(one, 1).geodesicM, 0);
    EXPECT_EQ(m.line(nullptr, 0).planarM, 0);
}

TEST(Measure, PlanarOnTheCentralMeridianIsTheMeridianArc) {
    // EPSG:4547 is Gauss-Kruger with k0 = 1 on 114E: (114E, 0) maps to (500000, 0) and (114E, 1N) to
    // (500000, M(1 deg)), M the meridian arc, so the planar length equals the geodesic one exactly.
    geo::Measurer m;
    const double meridian[] = {114, 0, 114, 1};
    geo::LengthMeasure l = m.line(meridian, 2);
    EXPECT_NEAR(l.geodesicM, 110574.389, 1e-3);
    EXPECT_NEAR(l.planarM, 110574.389, 1e-3);
    // Off the central meridian the grid stretches.
    const double east[] = {114.30, 22.70, 114.40, 22.75};
    geo::LengthMeasure e = m.line(east, 2);
    EXPECT_GT(e.planarM, e.geodesicM);
    // 31..41 km east of it, k - 1 = x^2/(2R^2) runs from 1.2e-5 to 2.1e-5.
    EXPECT_GT(e.planarM / e.geodesicM - 1, 1.1e-5);
    EXPECT_LT(e.planarM / e.geodesicM - 1, 2.2e-5);
}

TEST(Measure, OctantAreaIsAnEighthOfTheEllipsoid) {
    const double a = geo::kCgcs2000A, f = geo::kCgcs2000F, e2 = f * (2 - f), e = std::sqrt(e2);
    const double surface = 2 * M_PI * a * a * (1 + (1 - e2) / e * std::atanh(e));
    geo::Measurer m;
    const double octant[] = {0, 0, 90, 0, 0, 90};
    geo::AreaMeasure r = m.ring(octant, 3);
    EXPECT_NEAR(r.geodesicM2 / (surface / 8), 1.0, 1e-12);
    // Its perimeter: a quarter of the equator plus two meridian quadrants.
    const double quarterEquator = M_PI / 2 * a;
    EXPECT_NEAR(r.geodesicPerimeterM, quarterEquator + 2 * 10001965.729, 1e-2);  // geod: "0 0 90 0" -> 10001965.729
}

TEST(Measure, RingOpenClosedEitherOrientation) {
    geo::Measurer m;
    const double closedCcw[] = {114.30, 22.70, 114.32, 22.70, 114.32, 22.72, 114.30, 22.72, 114.30, 22.70};
    const double openCw[] = {114.30, 22.70, 114.30, 22.72, 114.32, 22.72, 114.32, 22.70};
    geo::AreaMeasure a = m.ring(closedCcw, 5), b = m.ring(openCw, 4);
    EXPECT_NEAR(a.geodesicPerimeterM, 2054.954 + 2214.800 + 2054.656 + 2214.800, 4e-3);
    EXPECT_NEAR(b.geodesicPerimeterM, a.geodesicPerimeterM, 1e-6);
    EXPECT_GT(a.geodesicM2, 4.5e6);
    EXPECT_NEAR(b.geodesicM2, a.geodesicM2, 1e-3);
    EXPECT_NEAR(b.planarM2, a.planarM2, 1e-3);
    EXPECT_NEAR(b.planarPerimeterM, a.planarPerimeterM, 1e-6);
    // 31-33 km east of the central meridian the grid scale is ~1 + 1.2e-5, so areas grow by ~2.5e-5.
    EXPECT_NEAR(a.planarM2 / a.geodesicM2 - 1, 2.5e-5, 0.5e-5);
    EXPECT_NEAR(a.planarPerimeterM / a.geodesicPerimeterM - 1, 1.25e-5, 0.3e-5);
    EXPECT_EQ(m.ring(closedCcw, 2).geodesicM2, 0);
}

TEST(Measure, FeatureWithHoleAndTwoPartsIn4547) {
    // Hand-computed in EPSG:4547 on the central meridian (k = 1): a 100 m square with a 20 m hole, plus a 50 m
    // square: 10000 - 400 + 2500 = 12100 m²; perimeter 400 + 80 + 200 = 680 m.
    geo::FeatureTable t;  // coordinates in EPSG:4547
    t.beginFeature(1, geo::GeomKind::Polygon);
    addSquare(t, 499950, 2510000, 100);
    addSquare(t, 499990, 2510040, 20, true);
    t.endPart();
    addSquare(t, 500200, 2510000, 50, true);
    t.endPart();
    t.endFeature();
    geo::Crs crs = geo::Crs::fromUser("EPSG:4547");
    geo::Measurer m;
    auto f = m.feature(t, 0, crs);
    EXPECT_EQ(f.kind, geo::GeomKind::Polygon);
    EXPECT_NEAR(f.area.planarM2, 12100, 1e-9);
    EXPECT_NEAR(f.area.planarPerimeterM, 680, 1e-9);
    // On the central meridian ellipsoid and grid agree to better than 1e-6 over a few hundred metres.
    EXPECT_NEAR(f.area.geodesicM2, 12100, 0.02);
    EXPECT_NEAR(f.area.geodesicPerimeterM, 680, 1e-3);
    EXPECT_EQ(f.length.geodesicM, 0);
}

TEST(Measure, LinesPointsAndLonLatTables) {
    geo::FeatureTable t;
    t.beginFeature(1, geo::GeomKind::Line);  // two parts: 100 m and a 30-40-50 diagonal
    addRing(t, {{500000, 2510000}, {500100, 2510000}});
    t.endPart();
    addRing(t, {{500000, 2511000}, {500030, 2511040}});
    t.endPart();
    t.endFeature();
    t.beginFeature(2, geo::GeomKind::Point);
    addRing(t, {{500000, 2510000}});
    t.endPart();
    t.endFeature();
    geo::Measurer m;
    geo::Crs crs = geo::Crs::fromUser("EPSG:4547");
    auto line = m.feature(t, 0, crs);
    EXPECT_EQ(line.kind, geo::GeomKind::Line);
    EXPECT_NEAR(line.length.planarM, 150, 1e-6);
    EXPECT_NEAR(line.length.geodesicM, 150, 1e-3);
    auto point = m.feature(t, 1, crs);
    EXPECT_EQ(point.kind, geo::GeomKind::Point);
    EXPECT_EQ(point.length.planarM, 0);
    EXPECT_EQ(point.area.planarM2, 0);

    // The same path given in lon/lat measures the geod value.
    geo::FeatureTable w;
    w.beginFeature(7, geo::GeomKind::Line);
    addRing(w, {{114.30, 22.70}, {114.40, 22.75}});
    w.endPart();
    w.endFeature();
    EXPECT_NEAR(m.feature(w, 0, geo::Crs::wgs84()).length.geodesicM, 11670.091, 1e-3);
}

TEST(Measure, MuAndHectare) {
    EXPECT_DOUBLE_EQ(geo::kSquareMetresPerMu * 15, geo::kSquareMetresPerHectare);  // 15 亩 = 1 公顷
    EXPECT_NEAR(geo::kSquareMetresPerMu, 666.6667, 1e-4);
    EXPECT_EQ(geo::formatArea(12345, true), "12,345 m² · 1.23 公顷 · 18.5 亩");
    EXPECT_EQ(geo::formatArea(12345, false), "12,345 m² · 1.23 ha · 18.5 mu");
    EXPECT_EQ(geo::formatArea(10000, false), "10,000 m² · 1.00 ha · 15.0 mu");
    EXPECT_EQ(geo::formatArea(66.6666667, true), "66.7 m² · 0.01 公顷 · 0.1 亩");
    EXPECT_EQ(geo::formatArea(1234567.4, false), "1,234,567 m² · 123.46 ha · 1,851.9 mu");
}

TEST(Measure, LengthStrings) {
    EXPECT_EQ(geo::formatLength(850, false), "850 m");
    EXPECT_EQ(geo::formatLength(85.26, true), "85.3 m");
    EXPECT_EQ(geo::formatLength(999.4, false), "999 m");
    EXPECT_EQ(geo::formatLength(999.6, false), "1.00 km");
    EXPECT_EQ(geo::formatLength(1234.5, true), "1.23 km");
    EXPECT_EQ(geo::formatLength(1234567, false), "1,234.57 km");
    EXPECT_EQ(geo::formatLength(NAN, false), "–");
    EXPECT_EQ(geo::groupThousands(-1234.5, 1), "-1,234.5");
    EXPECT_EQ(geo::groupThousands(-0.01, 1), "0.0");
}

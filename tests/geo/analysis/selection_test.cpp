// Selection by rectangle and lasso (points, lines, polygons with holes, concave lassos), its statistics with known
// planar areas in EPSG:4547, and writing a selection to GeoPackage and CSV.
#include "analysis/selection.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using geo::FeatureTable;
using geo::GeomKind;
using Rows = std::vector<uint32_t>;

namespace {

// A site in Pingshan in EPSG:4547 (CM 114E, false easting 500 km); the scene is built in metres from here.
constexpr double kX0 = 530000, kY0 = 2510000;

using Ring = std::vector<double>;  // x0,y0,... offsets from (kX0, kY0), open

void addRing(FeatureTable& t, const Ring& r, bool close) {
    for (size_t i = 0; i + 1 < r.size(); i += 2) t.addVertex(kX0 + r[i], kY0 + r[i + 1]);
    if (close) t.addVertex(kX0 + r[0], kY0 + r[1]);
    t.endRing();
}

Ring square(double x0, double y0, double x1, double y1) {
    return {x0, y0, x1, y0, x1, y1, x0, y1};
}

// The scene's features and their rows. Shells are stored closed (as OGR reads them), holes open: consumers
// must not rely on either.
enum Row : uint32_t {
    kPoint = 0,     // (10, 10)
    kCornerPoint,   // (500, 500)
    kLine,          // (0,100) - (200,100)
    kHoled,         // (300,0)-(400,100) with the hole (320,20)-(380,80): 6400 m²
    kSquare,        // (600,600)-(700,700): 10000 m²
    kNoGeometry,    //
    kMulti,         // (1000,0)-(1010,10) and (1100,0)-(1120,10): 300 m²
    kVerticalLine,  // (1000,500) - (1000,700)
    kNotchPolygon,  // (2030,50)-(2070,95): in the U lasso's notch
    kNotchLine,     // (2040,60) - (2060,90): in the notch
    kArmPoint,      // (2000,80): in the U's left arm
    kIntoBaseLine,  // (2050,70) - (2050,20): from the notch into the U's base
    kRowCount
};

FeatureTable scene() {
    FeatureTable t;
    auto point = [&](int64_t fid, double x, double y) {
        t.beginFeature(fid, GeomKind::Point);
        addRing(t, {x, y}, false);
        t.endPart();
        t.endFeature();
    };
    auto line = [&](int64_t fid, const Ring& r) {
        t.beginFeature(fid, GeomKind::Line);
        addRing(t, r, false);
        t.endPart();
        t.endFeature();
    };
    point(100, 10, 10);
    point(101, 500, 500);
    line(102, {0, 100, 200, 100});
    t.beginFeature(103, GeomKind::Polygon);
    addRing(t, square(300, 0, 400, 100), true);
    addRing(t, square(320, 20, 380, 80), false);
    t.endPart();
    t.endFeature();
    t.beginFeature(104, GeomKind::Polygon);
    addRing(t, square(600, 600, 700, 700), true);
    t.endPart();
    t.endFeature();
    t.beginFeature(105, GeomKind::None);
    t.endFeature();
    t.beginFeature(106, GeomKind::Polygon);
    addRing(t, square(1000, 0, 1010, 10), true);
    t.endPart();
    addRing(t, square(1100, 0, 1120, 10), false);
    t.endPart();
    t.endFeature();
    line(107, {1000, 500, 1000, 700});
    t.beginFeature(108, GeomKind::Polygon);
    addRing(t, square(2030, 50, 2070, 95), true);
    t.endPart();
    t.endFeature();
    line(109, {2040, 60, 2060, 90});
    point(110, 2000, 80);
    line(111, {2050, 70, 2050, 20});

    geo::Column name("name", geo::ColumnType::Text), category("category", geo::ColumnType::Text),
        section("section", geo::ColumnType::Integer), value("value", geo::ColumnType::Real);
    for (uint32_t r = 0; r < kRowCount; ++r) {
        name.pushText("要素" + std::to_string(r) + (r == kHoled ? " 碧岭 \"北\", 土地整备" : ""));
        if (r == kHoled || r == kMulti)
            category.pushText("居住用地");
        else if (r == kSquare)
            category.pushText("公园绿地");
        else if (r == kLine)
            category.pushNull();
        else
            category.pushText("设施");
        if (r == kHoled || r == kMulti)
            section.pushInteger(1);
        else if (r == kSquare || r == kPoint)
            section.pushInteger(2);
        else
            section.pushNull();
        if (r == kPoint)
            value.pushNull();
        else
            value.pushReal(r * 1.25);
    }
    t.columns = {name, category, section, value};
    return t;
}

geo::BBox rect(double x0, double y0, double x1, double y1) {
    geo::BBox b;
    b.add(kX0 + x0, kY0 + y0);
    b.add(kX0 + x1, kY0 + y1);
    return b;
}

std::vector<double> lasso(const Ring& r) {
    std::vector<double> out;
    for (size_t i = 0; i + 1 < r.size(); i += 2) {
        out.push_back(kX0 + r[i]);
        out.push_back(kY0 + r[i + 1]);
    }
    return out;
}

// The U: a base (1980..2120 x 0..40) with two arms up to y = 100; the notch is 2020..2080 x 40..100.
const Ring kU = {1980, 0, 2120, 0, 2120, 100, 2080, 100, 2080, 40, 2020, 40, 2020, 100, 1980, 100};

geo::Crs epsg4547() {
    return geo::Crs::fromUser("EPSG:4547");
}

}  // namespace

TEST(SelectByRectTest, PointsLinesAndPolygonsWithHoles) {
    const FeatureTable t = scene();
    EXPECT_EQ(geo::selectByRect(t, rect(0, 0, 20, 20)), (Rows{kPoint}));
    EXPECT_EQ(geo::selectByRect(t, rect(50, 50, 150, 150)), (Rows{kLine})) << "a line crossing with no vertex inside";
    EXPECT_EQ(geo::selectByRect(t, rect(330, 30, 370, 70)), Rows{}) << "inside the hole";
    EXPECT_EQ(geo::selectByRect(t, rect(310, 10, 390, 90)), (Rows{kHoled})) << "around the hole";
    EXPECT_EQ(geo::selectByRect(t, rect(340, -50, 360, 200)), (Rows{kHoled})) << "edges crossing, no vertex inside";
    EXPECT_EQ(geo::selectByRect(t, rect(301, 81, 399, 99)), (Rows{kHoled})) << "wholly inside the solid part";
    EXPECT_EQ(geo::selectByRect(t, rect(1105, 2, 1110, 8)), (Rows{kMulti})) << "inside the second part";
    EXPECT_EQ(geo::selectByRect(t, rect(990, 550, 1010, 560)), (Rows{kVerticalLine}));
    EXPECT_EQ(geo::selectByRect(t, rect(490, 490, 500, 500)), (Rows{kCornerPoint})) << "edges count as inside";
    EXPECT_EQ(geo::selectByRect(t, rect(700, 650, 800, 660)), (Rows{kSquare})) << "touching an edge";
    EXPECT_EQ(geo::selectByRect(t, geo::BBox{}), Rows{});

    Rows all = geo::selectByRect(t, rect(-1000, -1000, 5000, 5000));
    Rows expected;
    for (uint32_t r = 0; r < kRowCount; ++r)
        if (r != kNoGeometry) expected.push_back(r);
    EXPECT_EQ(all, expected) << "every feature with geometry, in row order";
}

TEST(SelectByPolygonTest, LassoOnPointsLinesAndHoles) {
    const FeatureTable t = scene();
    EXPECT_EQ(geo::selectByPolygon(t, lasso({0, 0, 30, 0, 0, 30})), (Rows{kPoint}));
    EXPECT_EQ(geo::selectByPolygon(t, lasso({12, 12, 30, 0, 0, 30})), Rows{}) << "the point is outside the triangle";
    EXPECT_EQ(geo::selectByPolygon(t, lasso({330, 30, 370, 30, 350, 70})), Rows{}) << "a lasso inside the hole";
    EXPECT_EQ(geo::selectByPolygon(t, lasso({305, 5, 395, 5, 350, 15})), (Rows{kHoled})) << "inside the solid part";
    EXPECT_EQ(geo::selectByPolygon(t, lasso({550, 550, 750, 550, 750, 750, 550, 750})), (Rows{kSquare}))
        << "a lasso enclosing the polygon";
    EXPECT_EQ(geo::selectByPolygon(t, lasso({620, 620, 680, 620, 650, 680})), (Rows{kSquare}))
        << "a lasso inside the polygon";
    EXPECT_EQ(geo::selectByPolygon(t, lasso({100, 50, 110, 150, 90, 150})), (Rows{kLine}))
        << "crossing a line, no vertex inside either way";
    EXPECT_EQ(geo::selectByPolygon(t, lasso({350, -50, 450, 50, 350, 150})), (Rows{kHoled}))
        << "crossing the shell with a shell vertex inside";
    EXPECT_EQ(geo::selectByPolygon(t, lasso({1105, 2, 1115, 2, 1110, 8})), (Rows{kMulti}));
}

TEST(SelectByPolygonTest, ConcaveLassoExcludesTheNotch) {
    const FeatureTable t = scene();
    const Rows expected{kArmPoint, kIntoBaseLine};
    EXPECT_EQ(geo::selectByPolygon(t, lasso(kU)), expected);
    Ring closed = kU;
    closed.push_back(kU[0]);
    closed.push_back(kU[1]);
    EXPECT_EQ(geo::selectByPolygon(t, lasso(closed)), expected) << "a repeated closing vertex changes nothing";
    Ring reversed;
    for (size_t i = kU.size(); i >= 2; i -= 2) {
        reversed.push_back(kU[i - 2]);
        reversed.push_back(kU[i - 1]);
    }
    EXPECT_EQ(geo::selectByPolygon(t, lasso(reversed)), expected) << "orientation does not matter";
}

TEST(SelectByPolygonTest, DegenerateLassosSelectNothing) {
    const FeatureTable t = scene();
    EXPECT_EQ(geo::selectByPolygon(t, {}), Rows{});
    EXPECT_EQ(geo::selectByPolygon(t, lasso({0, 0, 30, 30})), Rows{});
    EXPECT_EQ(geo::selectByPolygon(t, lasso({0, 0, 30, 30, 0, 0})), Rows{});
    EXPECT_EQ(geo::selectByPolygon(FeatureTable{}, lasso({0, 0, 30, 0, 0, 30})), Rows{});
    // A vertex that failed to transform (inf) is left out; the rest still selects.
    std::vector<double> withInf = lasso({0, 0, 30, 0, 0, 30});
    withInf.insert(withInf.begin() + 4, {INFINITY, INFINITY});
    EXPECT_EQ(geo::selectByPolygon(t, withInf), (Rows{kPoint}));
}

// A comb: every tooth has two edges spanning nearly the whole height, the worst case for the band index.
TEST(SelectByPolygonTest, CombLassoAgreesWithNaiveTest) {
    std::vector<double> comb{kX0, kY0};
    for (int i = 0; i < 300; ++i) {
        const double x = kX0 + 2.0 * i;
        comb.insert(comb.end(), {x, kY0 + 100, x + 1, kY0 + 100, x + 1, kY0 + 3, x + 2, kY0 + 3});
    }
    comb.insert(comb.end(), {kX0 + 600, kY0});
    FeatureTable points;
    for (int i = 0; i < 20000; ++i) {
        points.beginFeature(i, GeomKind::Point);
        points.addVertex(kX0 - 5 + (i % 200) * 3.07, kY0 - 5 + (i / 200) * 1.13);
        points.endRing();
        points.endPart();
        points.endFeature();
    }
    const size_t n = comb.size() / 2;
    Rows expected;
    for (uint32_t r = 0; r < 20000; ++r) {
        const double x = points.xy[2 * r], y = points.xy[2 * r + 1];
        bool in = false;
        for (size_t i = 0, j = n - 1; i < n; j = i++) {
            const double xi = comb[2 * i], yi = comb[2 * i + 1], xj = comb[2 * j], yj = comb[2 * j + 1];
            if ((yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi)) in = !in;
        }
        if (in) expected.push_back(r);
    }
    ASSERT_GT(expected.size(), 1000u);
    EXPECT_EQ(geo::selectByPolygon(points, comb), expected);
}

// 100k points against a 512-vertex star-shaped lasso: the same rows as a naive even-odd test over every edge.
// 100k small squares: selected exactly when they are near the lasso, and quickly.
TEST(SelectByPolygonTest, LargeTablesAgreeWithNaiveTestAndAreFast) {
    std::vector<double> poly;
    const double cx = kX0 + 1580, cy = kY0 + 1580;
    for (int i = 0; i < 512; ++i) {
        const double a = 2 * M_PI * i / 512, r = (i % 2 ? 900 : 1000);  // a star: concave everywhere
        poly.push_back(cx + r * std::cos(a));
        poly.push_back(cy + r * std::sin(a));
    }
    FeatureTable points, squares;
    for (int i = 0; i < 100000; ++i) {
        const double x = kX0 + (i % 316) * 10.0 + 0.37, y = kY0 + (i / 316) * 10.0 + 0.61;
        points.beginFeature(i, GeomKind::Point);
        points.addVertex(x, y);
        points.endRing();
        points.endPart();
        points.endFeature();
        squares.beginFeature(i, GeomKind::Polygon);
        for (auto [dx, dy] : {std::pair{0.0, 0.0}, {4.0, 0.0}, {4.0, 4.0}, {0.0, 4.0}, {0.0, 0.0}})
            squares.addVertex(x + dx, y + dy);
        squares.endRing();
        squares.endPart();
        squares.endFeature();
    }
    auto naiveInside = [&](double x, double y) {
        bool in = false;
        for (size_t i = 0, j = 511; i < 512; j = i++) {
            const double xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
            if ((yi > y) != (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi)) in = !in;
        }
        return in;
    };
    Rows expected;
    for (uint32_t i = 0; i < 100000; ++i)
        if (naiveInside(points.xy[2 * i], points.xy[2 * i + 1])) expected.push_back(i);
    ASSERT_GT(expected.size(), 20000u);
    EXPECT_EQ(geo::selectByPolygon(points, poly), expected);

    const auto start = std::chrono::steady_clock::now();
    const Rows picked = geo::selectByPolygon(squares, poly);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("selectByPolygon: 100k squares, 512-vertex lasso: %.1f ms, %zu selected\n", ms, picked.size());
    EXPECT_LT(ms, 1000.0) << "should be well under 100 ms in a release build";
    // A square (side 4) is certainly in when its centre is 3 m inside the star's inner radius, certainly out when
    // 3 m beyond its outer radius.
    size_t mustBeIn = 0;
    std::vector<bool> selected(100000, false);
    for (uint32_t r : picked) selected[r] = true;
    for (uint32_t i = 0; i < 100000; ++i) {
        const double d = std::hypot(squares.xy[10 * i] + 2 - cx, squares.xy[10 * i + 1] + 2 - cy);
        if (d < 900 * std::cos(M_PI / 512) - 3) {
            ++mustBeIn;
            EXPECT_TRUE(selected[i]) << i;
        }
        if (d > 1003) EXPECT_FALSE(selected[i]) << i;
    }
    EXPECT_GT(mustBeIn, 20000u);
}

TEST(SelectionStatsTest, CountsAreasLengthsByCategoryAndSection) {
    const FeatureTable t = scene();
    const Rows rows{kPoint, kLine, kHoled, kSquare, kNoGeometry, kMulti, kVerticalLine};
    const geo::SelectionStats s = geo::selectionStats(t, epsg4547(), rows);
    EXPECT_EQ(s.count, 7u);
    EXPECT_EQ(s.polygons, 3u);
    EXPECT_EQ(s.lines, 2u);
    EXPECT_EQ(s.points, 1u);
    EXPECT_NEAR(s.areaM2, 6400 + 10000 + 300, 1e-6) << "holes subtracted, multipolygon parts summed";
    EXPECT_NEAR(s.lengthM, 400, 1e-4);

    ASSERT_EQ(s.byCategory.size(), 4u);
    EXPECT_EQ(s.byCategory[0].first, "公园绿地");
    EXPECT_EQ(s.byCategory[0].second.first, 1u);
    EXPECT_NEAR(s.byCategory[0].second.second, 10000, 1e-6);
    EXPECT_EQ(s.byCategory[1].first, "居住用地");
    EXPECT_EQ(s.byCategory[1].second.first, 2u);
    EXPECT_NEAR(s.byCategory[1].second.second, 6700, 1e-6);
    EXPECT_EQ(s.byCategory[2].first, "设施") << "no area: more features first";
    EXPECT_EQ(s.byCategory[2].second.first, 3u);  // point, no geometry, vertical line
    EXPECT_EQ(s.byCategory[2].second.second, 0);
    EXPECT_EQ(s.byCategory[3].first, "") << "null category";
    EXPECT_EQ(s.byCategory[3].second.first, 1u);

    ASSERT_EQ(s.bySection.size(), 2u);
    EXPECT_EQ(s.bySection[0].first, 1);
    EXPECT_EQ(s.bySection[0].second.first, 2u);
    EXPECT_NEAR(s.bySection[0].second.second, 6700, 1e-6);
    EXPECT_EQ(s.bySection[1].first, 2);
    EXPECT_EQ(s.bySection[1].second.first, 2u);  // the square and the point
    EXPECT_NEAR(s.bySection[1].second.second, 10000, 1e-6);
}

TEST(SelectionStatsTest, WithoutColumnsAndInLonLat) {
    FeatureTable t = scene();
    t.columns.clear();
    geo::SelectionStats s = geo::selectionStats(t, epsg4547(), {kSquare, kPoint, 9999});
    EXPECT_EQ(s.count, 2u) << "out-of-range rows are ignored";
    EXPECT_TRUE(s.byCategory.empty());
    EXPECT_TRUE(s.bySection.empty());
    EXPECT_TRUE(geo::selectionStats(t, epsg4547(), {}).byCategory.empty());

    // The same square in WGS84 measures the same planar area (through EPSG:4547), and a text section counts.
    geo::Transformer toWgs84(epsg4547(), geo::Crs::wgs84());
    std::vector<double> xy(t.xy.begin() + 2 * t.vertexBegin(t.ringBegin(t.partBegin(kSquare))),
                           t.xy.begin() + 2 * t.vertexEnd(t.ringEnd(t.partBegin(kSquare)) - 1));
    ASSERT_EQ(toWgs84.transform(xy.data(), xy.size() / 2), xy.size() / 2);
    FeatureTable lonLat;
    lonLat.beginFeature(1, GeomKind::Polygon);
    for (size_t i = 0; i < xy.size(); i += 2) lonLat.addVertex(xy[i], xy[i + 1]);
    lonLat.endRing();
    lonLat.endPart();
    lonLat.endFeature();
    geo::Column section("Section", geo::ColumnType::Text);
    section.pushText("12");
    lonLat.columns.push_back(section);
    s = geo::selectionStats(lonLat, geo::Crs::wgs84(), {0});
    EXPECT_NEAR(s.areaM2, 10000, 0.05);
    ASSERT_EQ(s.bySection.size(), 1u);
    EXPECT_EQ(s.bySection[0].first, 12);
}

namespace {

GDALDatasetUniquePtr openRead(const std::string& path) {
    geo::ensureGdal();
    return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
}

std::vector<std::string> listFolder(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST(WriteSelectionTest, GeoPackageKeepsAttributesGeometryAndCrs) {
    const std::string dir = test::scratchDir("workbench_sel_gpkg");
    const std::string path = dir + "/选择.gpkg";
    const FeatureTable t = scene();
    geo::writeSelection(path, "选中地块", t, epsg4547(), {kPoint, kHoled, kNoGeometry, kMulti});
    auto ds = openRead(path);
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("选中地块");
    ASSERT_TRUE(layer);
    ASSERT_TRUE(layer->GetSpatialRef());
    EXPECT_STREQ(layer->GetSpatialRef()->GetAuthorityCode(nullptr), "4547");
    ASSERT_EQ(layer->GetFeatureCount(), 4);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    ASSERT_EQ(defn->GetFieldCount(), 4);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("section"))->GetType(), OFTInteger64);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("value"))->GetType(), OFTReal);

    std::vector<OGRFeatureUniquePtr> features;
    for (auto& f : *layer) features.emplace_back(f.release());
    ASSERT_EQ(features.size(), 4u);
    // The point, exact.
    ASSERT_TRUE(features[0]->GetGeometryRef());
    EXPECT_EQ(features[0]->GetGeometryRef()->toPoint()->getX(), kX0 + 10);
    EXPECT_EQ(features[0]->GetGeometryRef()->toPoint()->getY(), kY0 + 10);
    EXPECT_TRUE(features[0]->IsFieldNull(defn->GetFieldIndex("value")));
    EXPECT_EQ(features[0]->GetFieldAsInteger64("section"), 2);
    // The polygon with its hole, and text with quotes and commas.
    const OGRGeometry* holed = features[1]->GetGeometryRef();
    ASSERT_TRUE(holed);
    ASSERT_EQ(wkbFlatten(holed->getGeometryType()), wkbPolygon);
    EXPECT_EQ(holed->toPolygon()->getNumInteriorRings(), 1);
    EXPECT_TRUE(holed->toPolygon()->getInteriorRing(0)->get_IsClosed()) << "open rings are closed on the way out";
    EXPECT_NEAR(holed->toPolygon()->get_Area(), 6400, 1e-6);
    EXPECT_STREQ(features[1]->GetFieldAsString("name"), "要素3 碧岭 \"北\", 土地整备");
    EXPECT_STREQ(features[1]->GetFieldAsString("category"), "居住用地");
    EXPECT_DOUBLE_EQ(features[1]->GetFieldAsDouble("value"), 3 * 1.25);
    EXPECT_EQ(features[2]->GetGeometryRef(), nullptr);
    EXPECT_TRUE(features[2]->IsFieldNull(defn->GetFieldIndex("section")));
    ASSERT_TRUE(features[3]->GetGeometryRef());
    EXPECT_EQ(wkbFlatten(features[3]->GetGeometryRef()->getGeometryType()), wkbMultiPolygon);
    EXPECT_NEAR(features[3]->GetGeometryRef()->toMultiPolygon()->get_Area(), 300, 1e-6);
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"选择.gpkg"});
}

TEST(WriteSelectionTest, GeoPackageLayerTypeAndClashingNames) {
    const std::string dir = test::scratchDir("workbench_sel_types");
    FeatureTable t = scene();
    geo::Column fid("FID", geo::ColumnType::Integer), geom("geom", geo::ColumnType::Text),
        name2("NAME", geo::ColumnType::Text);
    for (uint32_t r = 0; r < kRowCount; ++r) {
        fid.pushInteger(1000 + r);
        geom.pushText("g");
        name2.pushText("大写");
    }
    t.columns.push_back(fid);
    t.columns.push_back(geom);
    t.columns.push_back(name2);
    const std::string path = dir + "/polygons.GPKG";
    geo::writeSelection(path, "", t, epsg4547(), {kSquare, kMulti});
    auto ds = openRead(path);
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("polygons");
    ASSERT_TRUE(layer) << "an empty layer name takes the file's stem";
    EXPECT_EQ(wkbFlatten(layer->GetGeomType()), wkbMultiPolygon);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    ASSERT_EQ(defn->GetFieldCount(), 7);
    EXPECT_STREQ(defn->GetFieldDefn(4)->GetNameRef(), "FID_2");
    EXPECT_STREQ(defn->GetFieldDefn(5)->GetNameRef(), "geom_2");
    EXPECT_STREQ(defn->GetFieldDefn(6)->GetNameRef(), "NAME_2");
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    ASSERT_TRUE(f);
    EXPECT_EQ(f->GetFieldAsInteger64("FID_2"), 1000 + kSquare);
    EXPECT_STREQ(f->GetFieldAsString("NAME_2"), "大写");
}

TEST(WriteSelectionTest, CsvHasWgs84WktThenAttributes) {
    const std::string dir = test::scratchDir("workbench_sel_csv");
    const std::string path = dir + "/selection.csv";
    const FeatureTable t = scene();
    test::writeText(path, "old content\n");
    geo::writeSelection(path, "ignored", t, epsg4547(), {kPoint, kHoled, kLine});

    std::ifstream in(path, std::ios::binary);
    std::string header;
    std::getline(in, header);
    EXPECT_EQ(header.rfind("\xEF\xBB\xBFWKT,name,category,section,value", 0), 0u) << header;

    auto ds = openRead(path);
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayer(0);
    ASSERT_EQ(layer->GetFeatureCount(), 3);
    geo::Transformer toWgs84(epsg4547(), geo::Crs::wgs84());
    double expected[2] = {kX0 + 10, kY0 + 10};
    ASSERT_EQ(toWgs84.transform(expected, 1), 1u);
    std::vector<OGRFeatureUniquePtr> features;
    for (auto& f : *layer) features.emplace_back(f.release());
    ASSERT_EQ(features.size(), 3u);
    ASSERT_TRUE(features[0]->GetGeometryRef());
    const OGRPoint* p = features[0]->GetGeometryRef()->toPoint();
    EXPECT_NEAR(p->getX(), expected[0], 1e-9) << "longitude first";
    EXPECT_NEAR(p->getY(), expected[1], 1e-9);
    EXPECT_GT(expected[0], 114.0);
    EXPECT_LT(expected[1], 23.0);
    EXPECT_STREQ(features[0]->GetFieldAsString("name"), "要素0");
    EXPECT_STREQ(features[1]->GetFieldAsString("name"), "要素3 碧岭 \"北\", 土地整备");
    EXPECT_STREQ(features[1]->GetFieldAsString("category"), "居住用地");
    EXPECT_EQ(features[1]->GetFieldAsInteger("section"), 1);
    EXPECT_DOUBLE_EQ(features[1]->GetFieldAsDouble("value"), 3.75);
    ASSERT_TRUE(features[1]->GetGeometryRef());
    EXPECT_EQ(wkbFlatten(features[1]->GetGeometryRef()->getGeometryType()), wkbPolygon);
    EXPECT_EQ(features[1]->GetGeometryRef()->toPolygon()->getNumInteriorRings(), 1);
    ASSERT_TRUE(features[2]->GetGeometryRef());
    EXPECT_EQ(wkbFlatten(features[2]->GetGeometryRef()->getGeometryType()), wkbLineString);
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"selection.csv"});
}

TEST(WriteSelectionTest, ErrorsLeaveNothingBehind) {
    const std::string dir = test::scratchDir("workbench_sel_errors");
    const FeatureTable t = scene();
    try {
        geo::writeSelection(dir + "/out.shp", "x", t, epsg4547(), {kPoint});
        ADD_FAILURE() << "an unknown extension must throw";
    } catch (const geo::IoError&) {
        ADD_FAILURE() << "an unknown extension is not an I/O error";
    } catch (const geo::Error& e) {
        EXPECT_NE(std::string(e.what()).find(".shp"), std::string::npos) << e.what();
    }
    EXPECT_THROW(geo::writeSelection(dir + "/no_extension", "x", t, epsg4547(), {kPoint}), geo::Error);
    EXPECT_THROW(geo::writeSelection(dir + "/missing/out.gpkg", "x", t, epsg4547(), {kPoint}), geo::IoError);
    EXPECT_THROW(geo::writeSelection(dir + "/nocrs.csv", "x", t, geo::Crs{}, {kPoint}), geo::CrsError);
    fs::create_directories(dir + "/taken.gpkg/inside");
    EXPECT_THROW(geo::writeSelection(dir + "/taken.gpkg", "x", t, epsg4547(), {kPoint}), geo::IoError);
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"taken.gpkg"});
}

// CAD drawings as sources (DXF written here, DWG version checks), control-point placement (Helmert fit) and an
// assigned local transverse Mercator.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <tuple>

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "layer/vector_layer.hpp"
#include "source/cad.hpp"
#include "source/control_points.hpp"
#include "source/gdal_handles.hpp"
#include "source/vector_source.hpp"
#include "support/dxf_fixture.hpp"
#include "support/test_support.hpp"

namespace {

using XY = std::pair<double, double>;

// The drawing's placement: millimetres, rotated 30 degrees, its origin at a Shenzhen EPSG:4547 point.
geo::Similarity knownPlacement() {
    const double s = 0.001, theta = 30.0 * M_PI / 180.0;
    return {s * std::cos(theta), s * std::sin(theta), 530000.0, 2510000.0};
}

XY toDrawing(double mapX, double mapY) {
    geo::Similarity inv = knownPlacement().inverse();
    inv.apply(mapX, mapY);
    return {mapX, mapY};
}

std::vector<XY> toDrawing(const std::vector<XY>& map) {
    std::vector<XY> out;
    for (const auto& [x, y] : map) out.push_back(toDrawing(x, y));
    return out;
}

std::string gbk(const std::string& utf8) {
    char* raw = CPLRecode(utf8.c_str(), CPL_ENC_UTF8, "GB18030");
    std::string out = raw;
    CPLFree(raw);
    return out;
}

const std::vector<XY> kBuilding = {{530100, 2510100}, {530300, 2510100}, {530300, 2510250}, {530100, 2510250}};
const std::vector<XY> kPark = {{530350, 2510300}, {530450, 2510300}, {530450, 2510380}};

// A planning drawing in millimetres with GBK layer names and text (header: $DWGCODEPAGE ANSI_936): a road LINE,
// an open POLYLINE, two closed POLYLINEs (a building and a triangular park), a closed one without area, a block
// (a 2 m square plus a LINE) inserted 5x, and a TEXT.
std::string writeDrawing(const std::string& path) {
    test::DxfWriter w("ANSI_936");
    w.beginBlock("TREE");
    w.polyline("0", {{0, 0}, {2000, 0}, {2000, 2000}, {0, 2000}}, true);
    w.line("0", 0, 0, 2000, 2000);
    w.endBlock();
    XY a = toDrawing(530000, 2510000), b = toDrawing(530500, 2510000);
    w.line(gbk("道路"), a.first, a.second, b.first, b.second);
    w.polyline(gbk("道路"), toDrawing({{530000, 2510300}, {530200, 2510350}, {530400, 2510300}}), false);
    w.polyline(gbk("建筑"), toDrawing(kBuilding), true);
    w.polyline(gbk("绿化"), toDrawing(kPark), true);
    w.polyline(gbk("辅助"), toDrawing({{530400, 2510050}, {530450, 2510050}, {530500, 2510050}}), true);
    XY tree = toDrawing(530350, 2510150);
    w.insert(gbk("绿化"), "TREE", tree.first, tree.second, 5, 0);
    XY label = toDrawing(530200, 2510175);
    w.text(gbk("注记"), label.first, label.second, 3500, gbk("坪山中心区"));
    test::writeText(path, w.str());
    return path;
}

std::string textAt(const geo::FeatureTable& t, const char* field, size_t row) {
    int c = t.columnIndex(field);
    return c < 0 || t.columns[c].isNull(row) ? "" : std::string(t.columns[c].text(row));
}

geo::SourceOptions placed(std::vector<geo::ControlPoint> points, const std::string& crs = "EPSG:4547") {
    geo::SourceOptions o;
    o.crs = crs;
    o.controlPoints = std::move(points);
    return o;
}

// Three pairs at the drawing's corners, the map side off by a few millimetres as when picked on screen.
std::vector<geo::ControlPoint> threePairs() {
    const XY map[] = {{530000.003, 2509999.998}, {530499.998, 2510000.003}, {530250.0, 2510399.997}};
    std::vector<geo::ControlPoint> out;
    for (const XY& m : map) {
        XY exact = toDrawing(std::round(m.first), std::round(m.second));
        out.push_back({exact.first, exact.second, m.first, m.second});
    }
    return out;
}

TEST(CadSource, DxfEntitiesBlocksClosedPolylinesAndGbkText) {
    auto dir = test::scratchDir("cad_dxf");
    std::string path = writeDrawing(dir + "/site.dxf");
    ASSERT_FALSE(geo::isValidUtf8(gbk("坪山中心区"))) << "the fixture must hold GBK bytes, not UTF-8";
    geo::SourceOptions assigned;
    assigned.crs = "EPSG:4547";  // any CRS: this test looks at the drawing's own coordinates
    auto d = geo::readVectorLayer(path, "", nullptr, assigned);
    EXPECT_EQ(d.driver, "DXF");
    EXPECT_EQ(d.layerName, "entities");
    const auto& t = d.table;
    // road, open polyline, building, park, no-area ring, the block's square and line, text
    ASSERT_EQ(t.featureCount(), 8u);
    std::map<std::string, std::vector<geo::GeomKind>> byLayer;
    for (size_t f = 0; f < t.featureCount(); ++f) byLayer[textAt(t, "Layer", f)].push_back(t.kinds[f]);
    using K = geo::GeomKind;
    EXPECT_EQ(byLayer["道路"], (std::vector<K>{K::Line, K::Line}));
    EXPECT_EQ(byLayer["建筑"], (std::vector<K>{K::Polygon}));
    EXPECT_EQ(byLayer["辅助"], (std::vector<K>{K::Line})) << "a closed polyline without area stays a line";
    // The park, then the exploded block: its closed square an area, its diagonal a line, on the INSERT's layer.
    EXPECT_EQ(byLayer["绿化"], (std::vector<K>{K::Polygon, K::Polygon, K::Line}));
    ASSERT_EQ(byLayer["注记"], (std::vector<K>{K::Point}));
    for (size_t f = 0; f < t.featureCount(); ++f)
        if (t.kinds[f] == K::Point) EXPECT_EQ(textAt(t, "Text", f), "坪山中心区");

    // The inserted square: 2 m x 5 in drawing millimetres, corner at the insertion point.
    XY tree = toDrawing(530350, 2510150);
    size_t square = 0;
    for (size_t f = 0; f < t.featureCount(); ++f)
        if (textAt(t, "Layer", f) == "绿化" && t.kinds[f] == K::Polygon && t.featureBox(f).width() < 20000) square = f;
    geo::BBox box = t.featureBox(square);
    EXPECT_NEAR(box.minX, tree.first, 1e-6);
    EXPECT_NEAR(box.minY, tree.second, 1e-6);
    EXPECT_NEAR(box.width(), 10000, 1e-6);
}

TEST(CadSource, NoCrsAndNoControlPointsSaysHowToPlaceIt) {
    auto dir = test::scratchDir("cad_nocrs");
    std::string path = writeDrawing(dir + "/site.dxf");
    try {
        geo::readVectorLayer(path, "");
        FAIL() << "a drawing in millimetres was taken for longitude/latitude";
    } catch (const geo::CrsError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("site.dxf"), std::string::npos) << m;
        EXPECT_NE(m.find("\"crs\""), std::string::npos) << m;
        EXPECT_NE(m.find("controlPoints"), std::string::npos) << m;
    }
}

TEST(CadSource, LayersFromSourceCategorizeCadLayersAndLabelText) {
    auto dir = test::scratchDir("cad_style");
    std::string path = writeDrawing(dir + "/site.dxf");
    auto layers = geo::layersFromSource(path, 0);
    ASSERT_EQ(layers.size(), 1u);
    const geo::Style& s = layers[0].style;
    EXPECT_EQ(s.categoryField, "Layer");
    EXPECT_EQ(s.labelField, "Text");
    ASSERT_EQ(s.categories.size(), 5u);  // 建筑 注记 绿化 辅助 道路
    for (size_t i = 0; i < s.categories.size(); ++i)
        for (size_t j = 0; j < i; ++j) EXPECT_NE(s.categories[i].color, s.categories[j].color);
}

TEST(CadSource, DwgVersionsOtherThanR2000AreNamedAndRefused) {
    auto dir = test::scratchDir("cad_dwg");
    for (const char* tag : {"AC1018", "AC1032"}) {
        std::string path = dir + "/" + tag + ".dwg";
        test::writeText(path, std::string(tag) + std::string(256, '\0'));
        try {
            geo::listLayers(path);
            FAIL() << tag;
        } catch (const geo::FormatError& e) {
            std::string m = e.what();
            EXPECT_NE(m.find(tag), std::string::npos) << m;
            EXPECT_NE(m.find("R2000"), std::string::npos) << m;
            EXPECT_NE(m.find("DXF"), std::string::npos) << m;
        }
        EXPECT_THROW(geo::readVectorLayer(path, ""), geo::FormatError);
    }
    // An R2000 tag on a broken body reaches the CAD driver, which refuses it without crashing.
    std::string broken = dir + "/broken.dwg";
    test::writeText(broken, "AC1015" + std::string(256, '\0'));
    EXPECT_THROW(geo::readVectorLayer(broken, ""), geo::Error);
    test::writeText(dir + "/text.dwg", "hello");
    EXPECT_THROW(geo::listLayers(dir + "/text.dwg"), geo::FormatError);
}

TEST(ControlPoints, ThreePairsRecoverTheSimilarityWithinOneCentimetre) {
    geo::ControlPointFit fit = geo::fitSimilarity(threePairs(), geo::Crs::fromUser("EPSG:4547"));
    EXPECT_NEAR(fit.transform.scale(), 0.001, 1e-8);
    EXPECT_NEAR(fit.transform.rotationDegrees(), 30.0, 1e-3);  // mm noise over 500 m: ~6e-4 degrees
    EXPECT_FALSE(fit.localFrame);
    ASSERT_EQ(fit.residuals.size(), 3u);
    for (const auto& r : fit.residuals) {
        EXPECT_GT(r.metres, 0.0);  // the pairs are a few millimetres off, and the fit says so
        EXPECT_LT(r.metres, 0.01);
        EXPECT_NEAR(r.metres, std::hypot(r.east, r.north), 1e-12);
    }
    EXPECT_GT(fit.rmsMetres, 0.0);
    EXPECT_LT(fit.rmsMetres, 0.01);

    // Every vertex of the drawing, placed by the fit, within 1 cm of where the known transform puts it.
    auto dir = test::scratchDir("cad_placed");
    std::string path = writeDrawing(dir + "/site.dxf");
    geo::SourceOptions raw;
    raw.crs = "EPSG:4547";
    auto drawing = geo::readVectorLayer(path, "", nullptr, raw);
    auto placedData = geo::readVectorLayer(path, "", nullptr, placed(threePairs()));
    EXPECT_EQ(placedData.crs.epsg(), 4547);
    EXPECT_TRUE(placedData.warnings.empty());
    ASSERT_EQ(placedData.table.xy.size(), drawing.table.xy.size());
    geo::applySimilarity(drawing.table, knownPlacement());
    double worst = 0;
    for (size_t i = 0; i < drawing.table.vertexCount(); ++i)
        worst = std::max(worst,
                         std::hypot(placedData.table.xy[2 * i] - drawing.table.xy[2 * i],
                                    placedData.table.xy[2 * i + 1] - drawing.table.xy[2 * i + 1]));
    EXPECT_LT(worst, 0.01);
    // And the building is where it was drawn on the map.
    for (size_t f = 0; f < placedData.table.featureCount(); ++f)
        if (textAt(placedData.table, "Layer", f) == "建筑") {
            geo::BBox b = placedData.table.featureBox(f);
            EXPECT_NEAR(b.minX, 530100, 0.01);
            EXPECT_NEAR(b.maxY, 2510250, 0.01);
        }
}

TEST(ControlPoints, TwoPairsFitExactly) {
    XY d0 = toDrawing(530000, 2510000), d1 = toDrawing(530400, 2510300);
    auto fit = geo::fitSimilarity({{d0.first, d0.second, 530000, 2510000}, {d1.first, d1.second, 530400, 2510300}},
                                  geo::Crs::fromUser("EPSG:4547"));
    EXPECT_NEAR(fit.transform.scale(), 0.001, 1e-12);
    EXPECT_NEAR(fit.transform.rotationDegrees(), 30.0, 1e-8);
    EXPECT_NEAR(fit.transform.tx, 530000, 1e-6);
    EXPECT_NEAR(fit.transform.ty, 2510000, 1e-6);
    for (const auto& r : fit.residuals) EXPECT_LT(r.metres, 1e-6);
    // The inverse maps the map back onto the drawing.
    double x = 530400, y = 2510300;
    fit.transform.inverse().apply(x, y);
    EXPECT_NEAR(x, d1.first, 1e-6);
    EXPECT_NEAR(y, d1.second, 1e-6);
}

TEST(ControlPoints, TooFewOrCoincidentPairsAreClearErrors) {
    geo::Crs crs = geo::Crs::fromUser("EPSG:4547");
    EXPECT_THROW(geo::fitSimilarity({}, crs), geo::CrsError);
    EXPECT_THROW(geo::fitSimilarity({{0, 0, 530000, 2510000}}, crs), geo::CrsError);
    try {
        geo::fitSimilarity({{100, 200, 530000, 2510000}, {100, 200, 530400, 2510300}}, crs);
        FAIL();
    } catch (const geo::CrsError& e) {
        EXPECT_NE(std::string(e.what()).find("drawing points all coincide"), std::string::npos) << e.what();
    }
    EXPECT_THROW(geo::fitSimilarity({{0, 0, 530000, 2510000}, {100, 0, 530000, 2510000}}, crs), geo::CrsError);
    EXPECT_THROW(geo::fitSimilarity({{0, 0, NAN, 2510000}, {100, 0, 530000, 2510000}}, crs), geo::CrsError);
    // Through the reader, the error names the file.
    auto dir = test::scratchDir("cad_badpairs");
    std::string path = writeDrawing(dir + "/site.dxf");
    try {
        geo::readVectorLayer(path, "", nullptr, placed({{0, 0, 530000, 2510000}}));
        FAIL();
    } catch (const geo::CrsError& e) {
        EXPECT_NE(std::string(e.what()).find("site.dxf"), std::string::npos) << e.what();
    }
}

TEST(ControlPoints, GeographicMapCrsFitsInMetresAndWarnsOnLargeResiduals) {
    // The same pairs given in CGCS2000 longitude/latitude (EPSG:4490, the datum of EPSG:4547).
    geo::Crs lonLat = geo::Crs::fromUser("EPSG:4490");
    geo::Transformer toLonLat(geo::Crs::fromUser("EPSG:4547"), lonLat);
    auto pairs = threePairs();
    for (auto& p : pairs) {
        double xy[2] = {p.mapX, p.mapY};
        toLonLat.transform(xy, 1);
        p.mapX = xy[0], p.mapY = xy[1];
    }
    auto fit = geo::fitSimilarity(pairs, lonLat);
    EXPECT_TRUE(fit.localFrame);
    EXPECT_NEAR(fit.transform.scale(), 0.001, 1e-6);  // metres per millimetre, not degrees
    EXPECT_LT(fit.rmsMetres, 0.01);
    EXPECT_GT(fit.rmsMetres, 0.0);

    auto dir = test::scratchDir("cad_lonlat");
    std::string path = writeDrawing(dir + "/site.dxf");
    auto d = geo::readVectorLayer(path, "", nullptr, placed(pairs, "EPSG:4490"));
    EXPECT_EQ(d.crs.epsg(), 4490);
    EXPECT_TRUE(d.warnings.empty());
    geo::SourceOptions raw;
    raw.crs = "EPSG:4547";
    auto expected = geo::readVectorLayer(path, "", nullptr, raw);
    geo::applySimilarity(expected.table, knownPlacement());
    toLonLat.transform(expected.table.xy.data(), expected.table.vertexCount());
    double worst = 0;
    for (size_t i = 0; i < d.table.vertexCount(); ++i) {
        double lat = d.table.xy[2 * i + 1] * M_PI / 180;
        worst = std::max(worst,
                         std::hypot((d.table.xy[2 * i] - expected.table.xy[2 * i]) * 111320 * std::cos(lat),
                                    (d.table.xy[2 * i + 1] - expected.table.xy[2 * i + 1]) * 110574));
    }
    EXPECT_LT(worst, 0.01);

    // A pair 5 m off: residuals in metres, and a warning naming the RMS.
    pairs[2].mapY += 5.0 / 110574;
    auto off = geo::readVectorLayer(path, "", nullptr, placed(pairs, "EPSG:4490"));
    ASSERT_EQ(off.warnings.size(), 1u);
    EXPECT_NE(off.warnings[0].find("RMS residual"), std::string::npos) << off.warnings[0];
    auto offFit = geo::fitSimilarity(pairs, lonLat);
    EXPECT_GT(offFit.rmsMetres, 1.0);
    EXPECT_LT(offFit.rmsMetres, 5.0);
}

// A GeoPackage with the same points as plain longitude/latitude and as local transverse Mercator coordinates
// without a CRS, which the project assigns as a PROJ string.
TEST(AssignedCrs, LocalTransverseMercatorLandsOnTheSameLonLat) {
    const std::string tmerc = "+proj=tmerc +lat_0=0 +lon_0=114.1 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs";
    const std::vector<XY> lonLat = {{114.05, 22.55}, {114.1, 22.6}, {114.23, 22.71}, {114.35, 22.69}};
    std::vector<double> local;
    for (const auto& [x, y] : lonLat) local.insert(local.end(), {x, y});
    geo::Transformer(geo::Crs::wgs84(), geo::Crs::fromUser(tmerc)).transform(local.data(), lonLat.size());

    geo::ensureGdal();
    auto dir = test::scratchDir("cad_tmerc");
    std::string path = dir + "/local.gpkg";
    {
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
        GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_TRUE(ds);
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRLayer* lw = ds->CreateLayer("wgs84", &wgs84, wkbPoint, nullptr);
        OGRLayer* ll = ds->CreateLayer("local", nullptr, wkbPoint, nullptr);
        for (size_t i = 0; i < lonLat.size(); ++i) {
            for (auto [layer, x, y] : {std::tuple{lw, lonLat[i].first, lonLat[i].second},
                                       std::tuple{ll, local[2 * i], local[2 * i + 1]}}) {
                OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
                f->SetGeometryDirectly(new OGRPoint(x, y));
                ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
            }
        }
    }
    geo::SourceOptions assigned;
    assigned.crs = tmerc;
    auto a = geo::loadVectorLayer(path, "local", nullptr, nullptr, assigned);
    auto b = geo::loadVectorLayer(path, "wgs84", nullptr);
    for (const char* display : {"EPSG:4326", "EPSG:4547"}) {
        geo::Crs crs = geo::Crs::fromUser(display);
        auto ga = geo::reprojectLayer(*a, crs, nullptr), gb = geo::reprojectLayer(*b, crs, nullptr);
        ASSERT_EQ(ga.xy.size(), gb.xy.size());
        for (size_t i = 0; i < ga.xy.size(); i += 2) {
            double lat = crs.isGeographic() ? gb.xy[i + 1] * M_PI / 180 : 0;
            double mx = crs.isGeographic() ? 111320 * std::cos(lat) : 1, my = crs.isGeographic() ? 110574 : 1;
            EXPECT_LT(std::hypot((ga.xy[i] - gb.xy[i]) * mx, (ga.xy[i + 1] - gb.xy[i + 1]) * my), 0.01)
                << display << " point " << i / 2;
        }
    }
}

}  // namespace

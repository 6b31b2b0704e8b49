// Rendering through the headless EGL path, compared with gdal_rasterize of the same data on the same grid.
#include <gtest/gtest.h>

#include "crs/crs.hpp"
#include "gl/gl_support.hpp"
#include "layer/vector_layer.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"

#include <gdal_utils.h>

#include <cpl_string.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <ostream>
#include <set>

#include <gdal_priv.h>

#include "export/image_writer.hpp"
#include "layer/layer_content.hpp"
#include "project/history.hpp"
#include "render/map_renderer.hpp"
#include "source/control_points.hpp"
#include "support/dxf_fixture.hpp"

#include <ogrsf_frmts.h>

namespace {

struct Case {
    const char* file;
    const char* layer;
    const char* crs;
};

// Shown by GoogleTest for GetParam() ("shenzhen_land_osm.gpkg land in EPSG:3857"); test names are layer_crs,
// e.g. land_EPSG_3857.
void PrintTo(const Case& c, std::ostream* os) { *os << c.file << " " << c.layer << " in " << c.crs; }
std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    std::string n = std::string(info.param.layer) + "_" + info.param.crs;
    for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return n;
}

class FillMatchesRasterize : public ::testing::TestWithParam<Case> {};

TEST_P(FillMatchesRasterize, IoUAtLeast098) {
    Case c = GetParam();
    std::string path = test::assetPath(c.file);
    geo::View v = test::fitLayerView(path, c.layer, c.crs, 800, 600);
    auto ours = test::darkMask(test::renderLayers({test::fillOnlyLayer(path, c.layer)}, c.crs, v));
    auto ref = test::burnMask(test::rasterizeReference(path, c.layer, c.crs, v));
    size_t covered = 0;
    for (bool b : ref) covered += b;
    ASSERT_GT(covered, 1000u) << "reference is (nearly) empty: the comparison would prove nothing";
    double score = test::iou(ours, ref);
    EXPECT_GE(score, 0.98) << c.file << " " << c.layer << " in " << c.crs;
}

INSTANTIATE_TEST_SUITE_P(Bundled,
                         FillMatchesRasterize,
                         ::testing::Values(Case{"shenzhen_districts.gpkg", "districts_wgs84", "EPSG:4326"},
                                           Case{"shenzhen_districts.gpkg", "districts_wgs84", "EPSG:3857"},
                                           Case{"shenzhen_districts.gpkg", "neighbours_wgs84", "EPSG:4547"},
                                           Case{"shenzhen_land_osm.gpkg", "land", "EPSG:3857"},
                                           Case{"pingshan_district_wgs84.geojson", "pingshan_district", "EPSG:4547"}),
                         caseName);

TEST(Render, SameLayerIn4547And4326LandsOnTheSamePixels) {
    std::string src = test::assetPath("shenzhen_districts.gpkg");
    auto dir = test::scratchDir("align");
    std::string copy = dir + "/districts_4547.gpkg";
    geo::ensureGdal();
    std::string err;
    auto ds = geo::openDataset(src, GDAL_OF_VECTOR, nullptr, err);
    CPLStringList args;
    for (const char* a : {"-f", "GPKG", "-t_srs", "EPSG:4547", "districts_wgs84"}) args.AddString(a);
    GDALVectorTranslateOptions* o = GDALVectorTranslateOptionsNew(args.List(), nullptr);
    GDALDatasetH h = GDALDataset::ToHandle(ds.get());
    GDALClose(GDALVectorTranslate(copy.c_str(), nullptr, 1, &h, o, nullptr));
    GDALVectorTranslateOptionsFree(o);

    for (const char* display : {"EPSG:3857", "EPSG:4547", "EPSG:4326"}) {
        geo::View v = test::fitLayerView(src, "districts_wgs84", display, 700, 500);
        auto a = test::renderLayers({test::fillOnlyLayer(src, "districts_wgs84")}, display, v);
        auto b = test::renderLayers({test::fillOnlyLayer(copy, "districts_wgs84")}, display, v);
        auto ma = test::darkMask(a), mb = test::darkMask(b);
        size_t differing = 0, covered = 0;
        for (size_t i = 0; i < ma.size(); ++i) {
            differing += ma[i] != mb[i];
            covered += ma[i];
        }
        ASSERT_GT(covered, 10000u);
        EXPECT_LT(double(differing) / double(covered), 0.002) << display;
        EXPECT_GE(test::iou(ma, mb), 0.998) << display;
    }
}

TEST(Render, StrokeWidthIsInPixels) {
    // A horizontal line drawn 5 px wide covers about 5 rows at its middle, whatever the zoom.
    auto dir = test::scratchDir("stroke");
    std::string path = dir + "/line.geojson";
    test::writeText(path, R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
      "geometry":{"type":"LineString","coordinates":[[114.30,22.70],[114.40,22.70]]}}]})");
    geo::ProjectLayer l;
    l.source = path;
    l.name = "line";
    l.style.stroke = {0, 0, 0, 255};
    l.style.strokeWidth = 5;
    for (double res : {0.0002, 0.00005}) {
        geo::View v;
        v.width = 200;
        v.height = 100;
        v.centerX = 114.35;
        v.centerY = 22.70;
        v.resolution = res;
        auto rgba = test::renderLayers({l}, "EPSG:4326", v);
        int dark = 0;
        for (int y = 0; y < v.height; ++y) dark += rgba[4 * (y * v.width + 100)] < 128;
        EXPECT_GE(dark, 4);
        EXPECT_LE(dark, 6);
    }
}

TEST(Render, LayerOpacityBlendsWholeLayer) {
    // Two overlapping squares in one layer at 50 % opacity: the overlap is no darker than either square.
    auto dir = test::scratchDir("opacity");
    std::string path = dir + "/sq.geojson";
    test::writeText(path, R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}},
      {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]}}]})");
    geo::ProjectLayer l = test::fillOnlyLayer(path, "");
    l.opacity = 0.5f;
    geo::View v;
    v.width = 300;
    v.height = 300;
    v.centerX = 1.5;
    v.centerY = 1.5;
    v.resolution = 0.01;
    auto rgba = test::renderLayers({l}, "EPSG:4326", v);
    auto px = [&](double x, double y) { return rgba[4 * (int(v.worldToScreenY(y)) * v.width + int(v.worldToScreenX(x)))]; };
    EXPECT_NEAR(px(0.5, 0.5), 128, 3);   // single square
    EXPECT_NEAR(px(1.5, 1.5), 128, 3);   // overlap: same, layer-level opacity
    EXPECT_EQ(px(2.5, 0.5), 255);        // outside
}

TEST(Render, PrecisionAt1To500InGaussKruger) {
    // A 1 m square far from the origin stays square and in place at 1:500 (float32 alone would wobble).
    auto dir = test::scratchDir("precision");
    std::string path = dir + "/sq.geojson";
    // ~1 m square near Pingshan in lon/lat.
    test::writeText(path, R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[114.35,22.70],[114.35001,22.70],[114.35001,22.70001],[114.35,22.70001],[114.35,22.70]]]}},
      {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[114.0,22.0],[114.001,22.0],[114.001,22.001],[114.0,22.0]]]}}]})");
    geo::Crs gk = geo::Crs::fromUser("EPSG:4547");
    geo::Transformer t(geo::Crs::wgs84(), gk);
    double c[2] = {114.350005, 22.700005};
    t.transform(c, 1);
    geo::View v;
    v.width = 200;
    v.height = 200;
    v.centerX = c[0];
    v.centerY = c[1];
    v.resolution = 500 * geo::kStandardPixelMeters;  // 1:500 -> 0.14 m per pixel
    auto rgba = test::renderLayers({test::fillOnlyLayer(path, "")}, "EPSG:4547", v);
    auto mask = test::darkMask(rgba);
    geo::BBox box;
    for (int y = 0; y < v.height; ++y)
        for (int x = 0; x < v.width; ++x)
            if (mask[y * v.width + x]) box.add(x, y);
    ASSERT_FALSE(box.empty());
    // The square is ~1.03 m x 1.11 m: ~7-8 px wide, centred within a pixel.
    EXPECT_NEAR(box.centerX(), 99.5, 1.0);
    EXPECT_NEAR(box.centerY(), 99.5, 1.0);
    EXPECT_NEAR(box.width() + 1, 1.026 / v.resolution, 1.5);
}

}  // namespace

namespace {

TEST(Render, TiledRenderEqualsSinglePass) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    geo::View v = test::fitLayerView(test::assetPath("pingshan_district_wgs84.geojson"), "", "EPSG:3857", 330, 250);
    v.resolution *= 2.5;  // show the surroundings too: lines, points, several layers
    auto whole = test::renderLayersImage(p.layers, "EPSG:3857", v, 4096);
    auto tiled = test::renderLayersImage(p.layers, "EPSG:3857", v, 64);  // 6 x 4 tiles, ragged last ones
    ASSERT_EQ(whole.size(), tiled.size());
    // Pixels may differ only in antialiased edge coverage (float rounding of a different tile centre), and only
    // slightly; a missing or shifted tile would differ in whole rows and columns.
    size_t differing = 0, large = 0;
    for (size_t i = 0; i < whole.size(); ++i) {
        int d = std::abs(int(whole[i]) - int(tiled[i]));
        differing += d > 2;
        large += d > 64;
    }
    EXPECT_LT(differing, whole.size() / 500) << "more than 0.2 % of channel values differ";
    EXPECT_LT(large, whole.size() / 5000);
    // And the image is not blank: the test would prove nothing otherwise.
    std::set<uint32_t> colours;
    for (size_t i = 0; i < whole.size(); i += 4) colours.insert(whole[i] << 16 | whole[i + 1] << 8 | whole[i + 2]);
    EXPECT_GT(colours.size(), 20u);
}

}  // namespace

namespace {

// A 4x4-cell raster, each cell a known colour, written as GeoTIFF (EPSG:4547) or PNG + world file (no CRS).
std::string writeQuadrants(const std::string& path, const char* driver, int epsg) {
    geo::ensureGdal();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    const int n = 64;
    GDALDatasetUniquePtr ds(mem->Create("", n, n, 3, GDT_Byte, nullptr));
    std::vector<uint8_t> band(n * n);
    for (int b = 0; b < 3; ++b) {
        for (int y = 0; y < n; ++y)
            for (int x = 0; x < n; ++x) {
                bool right = x >= n / 2, bottom = y >= n / 2;
                // top-left red, top-right green, bottom-left blue, bottom-right white
                uint8_t rgb[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
                band[y * n + x] = rgb[(bottom ? 2 : 0) + (right ? 1 : 0)][b];
            }
        EXPECT_EQ(ds->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, 0, n, n, band.data(), n, n, GDT_Byte, 0, 0), CE_None);
    }
    double gt[6];
    if (epsg == 4547) {
        double gtp[6] = {536000, 20, 0, 2512000, 0, -20};  // 1280 m square near Pingshan
        std::copy(gtp, gtp + 6, gt);
        OGRSpatialReference srs;
        srs.importFromEPSG(4547);
        ds->SetSpatialRef(&srs);
    } else {
        double gtp[6] = {114.30, 0.001, 0, 22.75, 0, -0.001};
        std::copy(gtp, gtp + 6, gt);
    }
    ds->SetGeoTransform(gt);
    GDALDriver* out = GetGDALDriverManager()->GetDriverByName(driver);
    const char* opts[] = {"WORLDFILE=YES", nullptr};
    GDALDatasetUniquePtr written(out->CreateCopy(path.c_str(), ds.get(), FALSE,
                                                 std::string(driver) == "PNG" ? const_cast<char**>(opts) : nullptr,
                                                 nullptr, nullptr));
    EXPECT_TRUE(written);
    return path;
}

void expectQuadrants(const std::string& path, const char* display) {
    geo::ProjectLayer l;
    l.source = path;
    l.name = "raster";
    auto content = geo::loadLayerContent(l, geo::Crs::fromUser(display), nullptr);
    ASSERT_TRUE(content.isRaster());
    const geo::BBox e = std::get<geo::RasterImage>(content.value).extent;
    geo::View v;
    v.width = 200;
    v.height = 200;
    v.fit(e, 0.1);
    auto rgba = test::renderLayers({l}, display, v, {0, 0, 0, 255});
    auto at = [&](double fx, double fy) {  // fraction of the raster extent, y from the top
        int x = int(v.worldToScreenX(e.minX + fx * e.width())), y = int(v.worldToScreenY(e.maxY - fy * e.height()));
        const uint8_t* p = &rgba[4 * (y * v.width + x)];
        return std::array<int, 3>{p[0], p[1], p[2]};
    };
    EXPECT_EQ(at(0.25, 0.25), (std::array<int, 3>{255, 0, 0})) << path << " in " << display;
    EXPECT_EQ(at(0.75, 0.25), (std::array<int, 3>{0, 255, 0}));
    EXPECT_EQ(at(0.25, 0.75), (std::array<int, 3>{0, 0, 255}));
    EXPECT_EQ(at(0.75, 0.75), (std::array<int, 3>{255, 255, 255}));
    EXPECT_EQ(rgba[4 * (2 * v.width + 2)], 0);  // outside the raster: the background, not stretched edge pixels
}

TEST(Render, GeoTiffIn4547ShowsItsQuadrantsUpright) {
    auto dir = test::scratchDir("raster_tif");
    std::string path = writeQuadrants(dir + "/q.tif", "GTiff", 4547);
    for (const char* display : {"EPSG:4547", "EPSG:3857", "EPSG:4326"}) expectQuadrants(path, display);
}

TEST(Render, PngWithWorldFileIsAssumedLonLat) {
    auto dir = test::scratchDir("raster_png");
    std::string path = writeQuadrants(dir + "/q.png", "PNG", 0);
    ASSERT_TRUE(std::filesystem::exists(dir + "/q.wld") || std::filesystem::exists(dir + "/q.pgw"));
    geo::ProjectLayer l;
    l.source = path;
    auto content = geo::loadLayerContent(l, geo::Crs::fromUser("EPSG:3857"), nullptr);
    ASSERT_EQ(content.warnings.size(), 1u);
    EXPECT_NE(content.warnings[0].find("assumed EPSG:4326"), std::string::npos);
    expectQuadrants(path, "EPSG:3857");
}

}  // namespace

namespace {

// The bundled project over Pingshan, with styles and labels, exactly as `planatlas render` draws it.
std::vector<uint8_t> renderDefaultProject(geo::View& v, app::render::LabelPlan& plan) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    auto loaded = test::loadScene(p.layers, p.displayCrs);
    const geo::Crs& crs = loaded->crs;
    geo::BBox box;
    box.add(114.26, 22.62);
    box.add(114.45, 22.79);
    v.width = 640;
    v.height = 560;
    v.fit(geo::transformBox(box, geo::Transformer(geo::Crs::wgs84(), crs)), 0.0);
    app::render::MapRenderer renderer;
    return renderer.renderImage(v, loaded->drawItems(), {255, 255, 255, 255}, 1.0f, 2048,
                                loaded->scene.collectLabels(loaded->project, v, crs), &plan);
}

TEST(Render, DefaultProjectMatchesTheReferenceImage) {
    geo::View v;
    app::render::LabelPlan plan;
    auto rgba = renderDefaultProject(v, plan);
    EXPECT_GT(plan.placed.size(), 20u);  // labels are part of the picture
    std::string reference = test::dataPath("reference/default_project.png");
    if (std::getenv("PLANATLAS_UPDATE_REFERENCE")) {
        geo::writePng(reference, v.width, v.height, rgba);
        GTEST_SKIP() << "reference written to " << reference;
    }
    int w = 0, h = 0;
    auto ref = geo::readImageRgba(reference, w, h);
    ASSERT_EQ(w, v.width);
    ASSERT_EQ(h, v.height);
    const test::ImageDifference d = test::compareImages(rgba, ref);
    EXPECT_FALSE(d.tooManyClearlyDiffering()) << d.clearlyDiffering << " of " << d.pixels
                                              << " pixels differ clearly from " << reference;
    EXPECT_FALSE(d.meanTooHigh()) << "mean channel difference " << d.meanChannelDifference;
    if (!d.withinTolerance())
        geo::writePng(test::scratchDir("reference_diff") + "/actual.png", v.width, v.height, rgba);
}

TEST(Render, ReferenceComparisonCatchesASmallShift) {
    // The comparison above (the same function) must not be so loose that a 3-pixel shift of the map passes.
    geo::View v;
    app::render::LabelPlan plan;
    auto a = renderDefaultProject(v, plan);
    std::vector<uint8_t> shifted(a.size(), 255);
    for (int y = 0; y < v.height; ++y)
        for (int x = 3; x < v.width; ++x)
            std::copy_n(&a[(size_t(y) * v.width + x - 3) * 4], 4, &shifted[(size_t(y) * v.width + x) * 4]);
    EXPECT_TRUE(test::compareImages(a, a).withinTolerance());
    const test::ImageDifference d = test::compareImages(shifted, a);
    EXPECT_FALSE(d.withinTolerance());
    EXPECT_TRUE(d.tooManyClearlyDiffering()) << d.clearlyDiffering << " of " << d.pixels;
}

}  // namespace

namespace {

TEST(Project, MissingLayerSourceOpensWithThatLayerBroken) {
    auto dir = test::scratchDir("missing_source");
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    const std::string original = p.layers[1].source;
    p.layers[1].source = dir + "/moved_away.gpkg";
    geo::saveProject(p, dir + "/p.atlas.json");
    geo::Project q = geo::loadProject(dir + "/p.atlas.json");  // the file itself is fine
    test::useGlContext();
    app::render::Scene scene;
    auto failures = scene.updateSync(q, geo::Crs::fromUser(q.displayCrs));
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("moved_away.gpkg"), std::string::npos);
    EXPECT_EQ(scene.find(q.layers[1].id)->status, app::render::LoadStatus::Failed);
    for (size_t i = 0; i < q.layers.size(); ++i)
        if (i != 1) EXPECT_EQ(scene.find(q.layers[i].id)->status, app::render::LoadStatus::Ready) << q.layers[i].name;
    // The broken layer keeps its settings (they are the project's), so a repointed source draws with that style.
    geo::cmd::setLayerSource(q.layers[1].id, original).apply(q);
    EXPECT_TRUE(scene.updateSync(q, geo::Crs::fromUser(q.displayCrs)).empty());
    EXPECT_EQ(scene.find(q.layers[1].id)->status, app::render::LoadStatus::Ready);
    EXPECT_EQ(scene.find(q.layers[1].id)->style, q.layers[1].style);
}

}  // namespace

namespace {

// Converts every layer of `src` into `dst` like ogr2ogr with `args`.
void translate(const std::string& src, const std::string& dst, std::initializer_list<const char*> args) {
    geo::ensureGdal();
    std::string err;
    auto ds = geo::openDataset(src, GDAL_OF_VECTOR, nullptr, err);
    ASSERT_TRUE(ds) << err;
    CPLStringList list;
    for (const char* a : args) list.AddString(a);
    GDALVectorTranslateOptions* o = GDALVectorTranslateOptionsNew(list.List(), nullptr);
    GDALDatasetH h = GDALDataset::ToHandle(ds.get());
    GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &h, o, nullptr);
    GDALVectorTranslateOptionsFree(o);
    ASSERT_NE(out, nullptr) << dst << ": " << CPLGetLastErrorMsg();
    GDALClose(out);
}

// #11: a KML, a KMZ (LIBKML folders) and an Esri File Geodatabase folder made from the same polygons draw on the
// same pixels as the GeoPackage.
TEST(Render, KmlKmzAndFileGeodatabaseDrawLikeTheGeoPackage) {
    auto dir = test::scratchDir("formats_render");
    const std::string gpkg = dir + "/pingshan.gpkg";
    translate(test::assetPath("pingshan_district_wgs84.geojson"), gpkg, {"-f", "GPKG", "-nln", "zones"});
    translate(gpkg, dir + "/pingshan.kml", {"-f", "LIBKML", "-lco", "FOLDER=YES"});
    translate(gpkg, dir + "/pingshan.kmz", {"-f", "LIBKML", "-lco", "FOLDER=YES"});
    translate(gpkg, dir + "/pingshan.gdb", {"-f", "OpenFileGDB"});
    for (const char* display : {"EPSG:4547", "EPSG:3857"}) {
        geo::View v = test::fitLayerView(gpkg, "zones", display, 700, 500);
        auto ref = test::darkMask(test::renderLayers({test::fillOnlyLayer(gpkg, "zones")}, display, v));
        size_t covered = 0;
        for (bool b : ref) covered += b;
        ASSERT_GT(covered, 10000u);
        for (const char* file : {"pingshan.kml", "pingshan.kmz", "pingshan.gdb"}) {
            const geo::ProjectLayer layer = test::fillOnlyLayer(dir + "/" + file, "zones");
            auto ours = test::darkMask(test::renderLayers({layer}, display, v));
            EXPECT_GE(test::iou(ours, ref), 0.98) << file << " in " << display;
        }
    }
}

}  // namespace

namespace {

// #11: a DXF drawn in millimetres, rotated 30 degrees and placed by two control points into EPSG:4547, draws its
// closed polylines on the same pixels as the same polygons from a GeoPackage in EPSG:4547.
TEST(Render, DxfPlacedByControlPointsDrawsLikeTheGeoPackage) {
    const double theta = 30.0 * M_PI / 180.0;
    const geo::Similarity placement{0.001 * std::cos(theta), 0.001 * std::sin(theta), 530000.0, 2510000.0};
    const geo::Similarity toDrawing = placement.inverse();
    std::vector<std::vector<std::pair<double, double>>> plots = {
        {{530100, 2510100}, {530300, 2510100}, {530300, 2510250}, {530100, 2510250}},
        {{530350, 2510100}, {530480, 2510100}, {530480, 2510160}, {530400, 2510160}, {530400, 2510300},
         {530350, 2510300}},  // an L
        {{530020, 2510300}, {530200, 2510420}, {530060, 2510440}}};
    std::vector<std::pair<double, double>> round;  // a roundabout as a 64-gon
    for (int i = 0; i < 64; ++i)
        round.push_back({530250 + 40 * std::cos(i * M_PI / 32), 2510350 + 40 * std::sin(i * M_PI / 32)});
    plots.push_back(round);

    auto dir = test::scratchDir("cad_render");
    const std::string gpkg = dir + "/plots.gpkg", dxf = dir + "/plots.dxf";
    geo::ensureGdal();
    {
        GDALDatasetUniquePtr ds(
            GetGDALDriverManager()->GetDriverByName("GPKG")->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_TRUE(ds);
        OGRSpatialReference srs;
        srs.importFromEPSG(4547);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRLayer* layer = ds->CreateLayer("plots", &srs, wkbPolygon, nullptr);
        for (const auto& ring : plots) {
            auto poly = std::make_unique<OGRPolygon>();
            auto lr = std::make_unique<OGRLinearRing>();
            for (const auto& [x, y] : ring) lr->addPoint(x, y);
            lr->closeRings();
            poly->addRingDirectly(lr.release());
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            f->SetGeometryDirectly(poly.release());
            ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
    }
    test::DxfWriter w;
    for (const auto& ring : plots) {
        std::vector<std::pair<double, double>> drawn;
        for (auto [x, y] : ring) {
            toDrawing.apply(x, y);
            drawn.push_back({x, y});
        }
        w.polyline("PLOTS", drawn, true);
    }
    test::writeText(dxf, w.str());

    geo::ProjectLayer placed = test::fillOnlyLayer(dxf, "entities");
    placed.options.crs = "EPSG:4547";
    for (auto [mx, my] : {std::pair{530000.0, 2510000.0}, std::pair{530500.0, 2510450.0}}) {
        double dx = mx, dy = my;
        toDrawing.apply(dx, dy);
        placed.options.controlPoints.push_back({dx, dy, mx, my});
    }
    for (const char* display : {"EPSG:4547", "EPSG:3857"}) {
        geo::View v = test::fitLayerView(gpkg, "plots", display, 700, 500);
        auto ref = test::darkMask(test::renderLayers({test::fillOnlyLayer(gpkg, "plots")}, display, v));
        auto ours = test::darkMask(test::renderLayers({placed}, display, v));
        size_t covered = 0;
        for (bool b : ref) covered += b;
        ASSERT_GT(covered, 10000u);
        EXPECT_GE(test::iou(ours, ref), 0.98) << display;
    }
}

}  // namespace

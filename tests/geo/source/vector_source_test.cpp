// Reading each supported vector format into the columnar store, CRS handling, encodings and error messages.
#include <gtest/gtest.h>

#include <filesystem>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "source/dataset_handoff.hpp"
#include "source/gdal_handles.hpp"
#include "source/vector_source.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

const char* kPolygonWithHole = "POLYGON ((114.30 22.70,114.32 22.70,114.32 22.72,114.30 22.72,114.30 22.70),"
                               "(114.305 22.705,114.31 22.705,114.31 22.71,114.305 22.705))";

// Writes a layer with one polygon (with a hole), one point and Chinese text through a GDAL driver.
std::string writeWithDriver(const std::string& driver, const std::string& path, const char* const* layerOptions = nullptr,
                            int epsg = 4326) {
    geo::ensureGdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    if (!drv) return {};
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) return {};
    OGRSpatialReference srs;
    srs.importFromEPSG(epsg);
    OGRLayer* layer = ds->CreateLayer("sites", epsg ? &srs : nullptr, wkbUnknown, const_cast<char**>(layerOptions));
    OGRFieldDefn name("name", OFTString);
    OGRFieldDefn value("value", OFTInteger);
    layer->CreateField(&name);
    layer->CreateField(&value);
    auto add = [&](const char* wkt, const char* n, int v) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("name", n);
        f->SetField("value", v);
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt(wkt, nullptr, &g);
        f->SetGeometryDirectly(g);
        EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    };
    add(kPolygonWithHole, "碧岭北土地整备", 1);
    if (driver != "ESRI Shapefile")
        add("POINT (114.35 22.69)", "马峦山古村落", 2);
    else
        add("POLYGON ((114.4 22.7,114.41 22.7,114.41 22.71,114.4 22.7))", "坪山", 2);
    return path;
}

void expectPolygonWithHole(const geo::VectorData& d) {
    ASSERT_GE(d.table.featureCount(), 1u);
    const auto& t = d.table;
    EXPECT_EQ(t.kinds[0], geo::GeomKind::Polygon);
    EXPECT_EQ(t.partEnd(0) - t.partBegin(0), 1u);
    EXPECT_EQ(t.ringEnd(0) - t.ringBegin(0), 2u);  // shell + hole
    int name = t.columnIndex("name");
    ASSERT_GE(name, 0);
    EXPECT_EQ(t.columns[name].text(0), "碧岭北土地整备");
    geo::BBox b = t.featureBox(0);
    EXPECT_NEAR(b.minX, 114.30, 1e-9);
    EXPECT_NEAR(b.maxY, 22.72, 1e-9);
}

TEST(VectorSource, GeoPackage) {
    auto dir = test::scratchDir("gpkg");
    auto path = writeWithDriver("GPKG", dir + "/a.gpkg");
    auto d = geo::readVectorLayer(path, "sites");
    expectPolygonWithHole(d);
    EXPECT_EQ(d.crs.epsg(), 4326);
    EXPECT_EQ(d.table.kinds[1], geo::GeomKind::Point);
    EXPECT_EQ(d.table.columns[d.table.columnIndex("value")].integer(1), 2);
    EXPECT_TRUE(d.warnings.empty());
}

TEST(VectorSource, FlatGeobuf) {
    auto dir = test::scratchDir("fgb");
    const char* opts[] = {"SPATIAL_INDEX=NO", nullptr};  // keep the features in write order
    auto path = writeWithDriver("FlatGeobuf", dir + "/a.fgb", opts);
    ASSERT_FALSE(path.empty());
    auto d = geo::readVectorLayer(path, "");
    expectPolygonWithHole(d);
    EXPECT_EQ(d.crs.epsg(), 4326);
}

TEST(VectorSource, GeoJsonWithoutCrsIsAssumedWgs84WithWarning) {
    auto dir = test::scratchDir("geojson");
    std::string path = dir + "/a.geojson";
    test::writeText(path, R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"太阳村"},"geometry":{"type":"MultiPolygon","coordinates":[[[[114.3,22.7],[114.32,22.7],[114.32,22.72],[114.3,22.72],[114.3,22.7]],[[114.305,22.705],[114.31,22.705],[114.31,22.71],[114.305,22.705]]],[[[114.4,22.7],[114.41,22.7],[114.41,22.71],[114.4,22.7]]]]}},
      {"type":"Feature","properties":{"name":"坪山大道"},"geometry":{"type":"LineString","coordinates":[[114.3,22.7],[114.4,22.75]]}},
      {"type":"Feature","properties":{"name":"none"},"geometry":null}]})");
    auto d = geo::readVectorLayer(path, "");
    ASSERT_EQ(d.table.featureCount(), 3u);
    EXPECT_EQ(d.table.kinds[0], geo::GeomKind::Polygon);
    EXPECT_EQ(d.table.partEnd(0) - d.table.partBegin(0), 2u);  // two polygons
    EXPECT_EQ(d.table.kinds[1], geo::GeomKind::Line);
    EXPECT_EQ(d.table.kinds[2], geo::GeomKind::None);
    EXPECT_EQ(d.skippedGeometries, 1u);
    // GeoJSON is WGS84 by definition (RFC 7946); GDAL reports it, so no assumption warning is needed.
    EXPECT_EQ(d.crs.epsg(), 4326);
}

TEST(VectorSource, ShapefileUtf8WithCpg) {
    auto dir = test::scratchDir("shp_utf8");
    const char* opts[] = {"ENCODING=UTF-8", nullptr};
    auto path = writeWithDriver("ESRI Shapefile", dir + "/a.shp", opts);
    ASSERT_TRUE(fs::exists(dir + "/a.cpg"));
    expectPolygonWithHole(geo::readVectorLayer(path, ""));
}

TEST(VectorSource, ShapefileGbkWithCpg) {
    auto dir = test::scratchDir("shp_gbk_cpg");
    const char* opts[] = {"ENCODING=CP936", nullptr};
    auto path = writeWithDriver("ESRI Shapefile", dir + "/a.shp", opts);
    expectPolygonWithHole(geo::readVectorLayer(path, ""));
}

TEST(VectorSource, ShapefileGbkWithoutCpgOrPrj) {
    auto dir = test::scratchDir("shp_gbk_nocpg");
    const char* opts[] = {"ENCODING=CP936", nullptr};
    auto path = writeWithDriver("ESRI Shapefile", dir + "/a.shp", opts, 0);
    fs::remove(dir + "/a.cpg");
    ASSERT_FALSE(fs::exists(dir + "/a.prj"));
    // The raw DBF bytes really are GBK (not UTF-8), or this test would prove nothing.
    std::ifstream dbf(dir + "/a.dbf", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(dbf)), {});
    EXPECT_EQ(bytes.find("碧岭北"), std::string::npos);
    auto d = geo::readVectorLayer(path, "");
    expectPolygonWithHole(d);
    // 坪山 in GBK (C6BA C9BD) is also valid UTF-8: the decision must be made for the file, not the value.
    EXPECT_EQ(d.table.columns[d.table.columnIndex("name")].text(1), "坪山");
    EXPECT_EQ(d.crs.epsg(), 4326);
    ASSERT_EQ(d.warnings.size(), 1u);
    EXPECT_NE(d.warnings[0].find("assumed EPSG:4326"), std::string::npos);
}

TEST(VectorSource, ShapefileWithoutCrsAndProjectedCoordinatesIsAClearError) {
    auto dir = test::scratchDir("shp_noprj_projected");
    geo::ensureGdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    {
        GDALDatasetUniquePtr ds(drv->Create((dir + "/p.shp").c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRLayer* l = ds->CreateLayer("p", nullptr, wkbPoint, nullptr);
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(l->GetLayerDefn()));
        f->SetGeometryDirectly(new OGRPoint(538000, 2512000));
        EXPECT_EQ(l->CreateFeature(f.get()), OGRERR_NONE);
    }
    try {
        geo::readVectorLayer(dir + "/p.shp", "");
        FAIL() << "expected CrsError";
    } catch (const geo::CrsError& e) {
        EXPECT_NE(std::string(e.what()).find("p.shp"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("no CRS"), std::string::npos);
    }
}

TEST(VectorSource, MissingSidecarsAreNamed) {
    auto dir = test::scratchDir("shp_sidecar");
    const char* opts[] = {"ENCODING=UTF-8", nullptr};
    auto path = writeWithDriver("ESRI Shapefile", dir + "/a.shp", opts);
    fs::rename(dir + "/a.shx", dir + "/a.shx.bak");
    try {
        geo::readVectorLayer(path, "");
        FAIL() << "expected IoError";
    } catch (const geo::IoError& e) {
        EXPECT_NE(std::string(e.what()).find("a.shx"), std::string::npos);
    }
    fs::rename(dir + "/a.shx.bak", dir + "/a.shx");
    fs::remove(dir + "/a.dbf");
    EXPECT_THROW(geo::readVectorLayer(path, ""), geo::IoError);
}

TEST(VectorSource, Kml) {
    auto dir = test::scratchDir("kml");
    std::string path = dir + "/a.kml";
    test::writeText(path, R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>sites</name>
<Placemark><name>马峦山戏剧城邦</name><Point><coordinates>114.33,22.66</coordinates></Point></Placemark>
<Placemark><name>坪山河</name><LineString><coordinates>114.30,22.70 114.35,22.71 114.40,22.73</coordinates></LineString></Placemark>
</Folder></Document></kml>)");
    auto d = geo::readVectorLayer(path, "");
    ASSERT_EQ(d.table.featureCount(), 2u);
    EXPECT_EQ(d.table.kinds[0], geo::GeomKind::Point);
    EXPECT_EQ(d.table.kinds[1], geo::GeomKind::Line);
    EXPECT_EQ(d.table.columns[d.table.columnIndex("Name")].text(0), "马峦山戏剧城邦");
    EXPECT_EQ(d.crs.epsg(), 4326);
}

TEST(VectorSource, CsvWithWkt) {
    auto dir = test::scratchDir("csv");
    std::string path = dir + "/a.csv";
    test::writeText(path, std::string("id,name,WKT\n1,碧岭北,\"") + kPolygonWithHole + "\"\n2,沙田二期,\"POINT (114.4 22.7)\"\n");
    auto d = geo::readVectorLayer(path, "");
    ASSERT_EQ(d.table.featureCount(), 2u);
    EXPECT_EQ(d.table.kinds[0], geo::GeomKind::Polygon);
    EXPECT_EQ(d.table.ringEnd(0) - d.table.ringBegin(0), 2u);
    EXPECT_EQ(d.table.columns[d.table.columnIndex("name")].text(1), "沙田二期");
    EXPECT_FALSE(d.warnings.empty());  // CSV has no CRS: assumed WGS84 and said so
}

TEST(VectorSource, AllLayersOfAMultiLayerFileAreListed) {
    auto layers = geo::listLayers(test::assetPath("shenzhen_land_osm.gpkg"));
    ASSERT_EQ(layers.size(), 3u);
    EXPECT_EQ(layers[0].name, "land");
    EXPECT_EQ(layers[1].name, "coastline");
    EXPECT_EQ(layers[2].name, "hk_land_border");
}

TEST(VectorSource, BundledDistrictsLoadWithChineseNames) {
    auto d = geo::readVectorLayer(test::assetPath("shenzhen_districts.gpkg"), "districts_wgs84");
    EXPECT_EQ(d.table.featureCount(), 8u);
    int name = d.table.columnIndex("name");
    bool pingshan = false;
    for (size_t i = 0; i < d.table.featureCount(); ++i) pingshan |= d.table.columns[name].text(i) == "坪山区";
    EXPECT_TRUE(pingshan);
}

TEST(VectorSource, CorruptTruncatedAndMissingFilesGiveClearErrors) {
    auto dir = test::scratchDir("corrupt");
    test::writeText(dir + "/bad.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feat)");
    try {
        geo::readVectorLayer(dir + "/bad.geojson", "");
        FAIL();
    } catch (const geo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.geojson"), std::string::npos);
    }
    // A GeoPackage cut in half.
    std::ifstream in(test::assetPath("shenzhen_places_geonames.gpkg"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    test::writeText(dir + "/half.gpkg", bytes.substr(0, bytes.size() / 3));
    EXPECT_THROW(geo::readVectorLayer(dir + "/half.gpkg", "places"), geo::Error);
    test::writeText(dir + "/x.txt", "hello");
    EXPECT_THROW(geo::readVectorLayer(dir + "/x.txt", ""), geo::FormatError);
    EXPECT_THROW(geo::readVectorLayer(dir + "/missing.gpkg", ""), geo::IoError);
    EXPECT_THROW(geo::readVectorLayer(test::assetPath("shenzhen_land_osm.gpkg"), "nope"), geo::FormatError);
}

TEST(VectorSource, GcjLayerWarnsAboutTheDatum) {
    auto d = geo::readVectorLayer(test::assetPath("shenzhen_districts.gpkg"), "districts_gcj02");
    bool warned = false;
    for (auto& w : d.warnings) warned |= w.find("GCJ-02") != std::string::npos;
    EXPECT_TRUE(warned);
}

TEST(VectorSource, Utf8Validation) {
    EXPECT_TRUE(geo::isValidUtf8("坪山 abc"));
    EXPECT_TRUE(geo::isValidUtf8("\xC6\xBA\xC9\xBD"));  // 坪山 in GBK happens to be valid UTF-8
    EXPECT_FALSE(geo::isValidUtf8("\xB1\xCC\xC1\xEB"));  // 碧岭 in GBK is not
    EXPECT_FALSE(geo::isValidUtf8("\xE5\x9D"));           // truncated
}

TEST(VectorSource, EncodingSnifferDecidesPerFile) {
    geo::EncodingSniffer gbk;
    gbk.add("\xC6\xBA\xC9\xBD");
    gbk.add("abc");
    EXPECT_TRUE(gbk.looksLikeGbk());
    geo::EncodingSniffer utf8;
    utf8.add("坪山");
    utf8.add("abc");
    EXPECT_FALSE(utf8.looksLikeGbk());
    geo::EncodingSniffer ascii;
    ascii.add("Pingshan");
    EXPECT_FALSE(ascii.looksLikeGbk());
}

}  // namespace

namespace {
std::string oneSquare(double x0, const char* name) {
    return std::string(R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":")") + name +
           R"("},"geometry":{"type":"Polygon","coordinates":[[[)" + std::to_string(x0) + ",22.7],[" +
           std::to_string(x0 + 0.01) + ",22.7],[" + std::to_string(x0 + 0.01) + ",22.71],[" + std::to_string(x0) +
           ",22.7]]]}}]}";
}
}  // namespace

TEST(VectorSource, AListedGeoJsonIsReadFromTheListingsDatasetWhileUnchanged) {
    // A GeoJSON is parsed whole when opened: the read after a listing (render FILE, Add layer) takes the listing's
    // dataset instead of parsing the file again, and reads what it would have read.
    const std::string dir = test::scratchDir("listed_dataset");
    const std::string path = dir + "/sites.geojson";
    test::writeText(path, oneSquare(114.30, "坪山"));
    const geo::VectorData fresh = geo::readVectorLayer(path, "");
    const size_t before = geo::listedDatasetsTaken();
    ASSERT_EQ(geo::listLayers(path).size(), 1u);
    const geo::VectorData listed = geo::readVectorLayer(path, "");
    EXPECT_EQ(geo::listedDatasetsTaken(), before + 1);
    EXPECT_EQ(listed.table.xy, fresh.table.xy);
    EXPECT_EQ(listed.table.columns.at(0).text(0), "坪山");
    // Read again without a listing: parsed anew (the dataset was given away).
    geo::readVectorLayer(path, "");
    EXPECT_EQ(geo::listedDatasetsTaken(), before + 1);

    // Changed after the listing: the read parses the file as it is now, not the listing's copy.
    geo::listLayers(path);
    test::writeText(path, oneSquare(114.40, "马峦山") + "\n");  // (another size, whatever the clock's resolution)
    const geo::VectorData changed = geo::readVectorLayer(path, "");
    EXPECT_EQ(geo::listedDatasetsTaken(), before + 1);
    EXPECT_EQ(changed.table.columns.at(0).text(0), "马峦山");
    EXPECT_NEAR(changed.table.xy.at(0), 114.40, 1e-9);

    // Another file read in between drops the listing's dataset.
    const std::string other = dir + "/other.geojson";
    test::writeText(other, oneSquare(114.35, "碧岭"));
    geo::listLayers(path);
    geo::readVectorLayer(other, "");
    geo::readVectorLayer(path, "");
    EXPECT_EQ(geo::listedDatasetsTaken(), before + 1);
}

TEST(VectorSource, AGeoPackagesListingKeepsNoDataset) {
    // Formats that read features on demand reopen cheaply: nothing is kept for them.
    const std::string dir = test::scratchDir("listed_gpkg");
    const std::string path = writeWithDriver("GPKG", dir + "/sites.gpkg");
    ASSERT_FALSE(path.empty());
    const size_t before = geo::listedDatasetsTaken();
    geo::listLayers(path);
    EXPECT_EQ(geo::readVectorLayer(path, "sites").table.featureCount(), 2u);
    EXPECT_EQ(geo::listedDatasetsTaken(), before);
}

// The sources planners actually have (#11): spreadsheets with coordinate columns (CSV, XLSX, ODS), KML/KMZ with
// folders, Esri File Geodatabase folders and GCJ-02 declared GeoJSON. Every file is made here with GDAL from the
// same features, and each read must give the GeoPackage's coordinates and attributes.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "crs/crs.hpp"
#include "crs/gcj02.hpp"
#include "layer/layer_content.hpp"
#include "source/gdal_handles.hpp"
#include "source/table_points.hpp"
#include "source/vector_source.hpp"
#include "support/test_support.hpp"

namespace {

struct Site {
    const char* name;
    double area;
    double lon, lat;
};
// Chinese text, a quote and a comma, and coordinates to 1e-7 degree.
const Site kSites[] = {{"坪山站", 12.5, 114.3512345, 22.7034567},
                       {"马峦山\"古村\", 东部", 3.25, 114.3754321, 22.6601234},
                       {"碧岭北土地整备", 7, 114.3012345, 22.7198765}};
const char* kZone =
    "POLYGON ((114.30 22.70,114.32 22.70,114.32 22.72,114.30 22.72,114.30 22.70),"
    "(114.305 22.705,114.31 22.705,114.31 22.71,114.305 22.705))";

// Writes layer "sites" (the points) and layer "zones" (one polygon with a hole) through `driver`, fields name and
// area, in EPSG:4326. Returns false when the driver is missing.
bool writeSitesAndZones(const std::string& driver, const std::string& path, const char* const* layerOptions = nullptr) {
    geo::ensureGdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    if (!drv) return false;
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) return false;
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    for (auto [layerName, type] : {std::pair{"sites", wkbPoint}, std::pair{"zones", wkbPolygon}}) {
        OGRLayer* layer = ds->CreateLayer(layerName, &srs, type, const_cast<char**>(layerOptions));
        if (!layer) return false;
        OGRFieldDefn name("name", OFTString), area("area", OFTReal);
        layer->CreateField(&name);
        layer->CreateField(&area);
        auto add = [&](const char* n, double a, OGRGeometry* g) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            f->SetField("name", n);
            f->SetField("area", a);
            f->SetGeometryDirectly(g);
            EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE) << driver;
        };
        if (type == wkbPoint) {
            for (const Site& s : kSites) add(s.name, s.area, new OGRPoint(s.lon, s.lat));
        } else {
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkt(kZone, nullptr, &g);
            add("碧岭北", 42.5, g);
        }
    }
    return true;
}

// A table without geometry through `driver` (XLSX, ODS): `header` then `rows`, typed Real where `numeric`.
void writeSheet(const std::string& driver,
                const std::string& path,
                const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows,
                const std::vector<bool>& numeric,
                const std::string& secondSheet = "") {
    geo::ensureGdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    ASSERT_NE(drv, nullptr) << driver;
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds) << path;
    OGRLayer* layer = ds->CreateLayer("项目清单", nullptr, wkbNone, nullptr);
    for (size_t i = 0; i < header.size(); ++i) {
        OGRFieldDefn f(header[i].c_str(), numeric[i] ? OFTReal : OFTString);
        layer->CreateField(&f);
    }
    for (const auto& row : rows) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (size_t i = 0; i < row.size(); ++i)
            if (!row[i].empty()) f->SetField(static_cast<int>(i), row[i].c_str());
        ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    if (!secondSheet.empty()) {
        OGRLayer* notes = ds->CreateLayer(secondSheet.c_str(), nullptr, wkbNone, nullptr);
        OGRFieldDefn f("说明", OFTString);
        notes->CreateField(&f);
        OGRFeatureUniquePtr row(OGRFeature::CreateFeature(notes->GetLayerDefn()));
        row->SetField(0, "坐标为 WGS84");
        EXPECT_EQ(notes->CreateFeature(row.get()), OGRERR_NONE);
    }
}

std::string fmt(double v, const char* format = "%.7f") {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string csvQuote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

int nameColumn(const geo::FeatureTable& t) {
    int c = t.columnIndex("name");
    return c >= 0 ? c : t.columnIndex("Name");  // LIBKML maps the name field to <name>, read back as "Name"
}

double number(const geo::FeatureTable& t, const char* column, size_t row) {
    int c = t.columnIndex(column);
    return c < 0 || t.columns[c].isNull(row) ? NAN : std::stod(t.columns[c].display(row));
}

// Same features, kinds, rings, vertices (within `tol`, in any ring order and direction: a FileGDB stores outer
// rings clockwise) and the same name and area.
void expectSameFeatures(const geo::VectorData& ref, const geo::VectorData& got, double tol, const std::string& what) {
    SCOPED_TRACE(what);
    const geo::FeatureTable& a = ref.table;
    const geo::FeatureTable& b = got.table;
    ASSERT_EQ(a.featureCount(), b.featureCount());
    ASSERT_GE(nameColumn(b), 0);
    for (size_t f = 0; f < a.featureCount(); ++f) {
        EXPECT_EQ(a.kinds[f], b.kinds[f]) << "feature " << f;
        EXPECT_EQ(a.columns[nameColumn(a)].text(f), b.columns[nameColumn(b)].text(f));
        EXPECT_NEAR(number(a, "area", f), number(b, "area", f), 1e-9);
        ASSERT_EQ(a.partEnd(f) - a.partBegin(f), b.partEnd(f) - b.partBegin(f));
        for (uint32_t p = a.partBegin(f), q = b.partBegin(f); p < a.partEnd(f); ++p, ++q) {
            ASSERT_EQ(a.ringEnd(p) - a.ringBegin(p), b.ringEnd(q) - b.ringBegin(q));
            for (uint32_t r = a.ringBegin(p), s = b.ringBegin(q); r < a.ringEnd(p); ++r, ++s) {
                ASSERT_EQ(a.vertexEnd(r) - a.vertexBegin(r), b.vertexEnd(s) - b.vertexBegin(s));
                for (uint32_t v = a.vertexBegin(r); v < a.vertexEnd(r); ++v) {
                    double best = INFINITY;
                    for (uint32_t w = b.vertexBegin(s); w < b.vertexEnd(s); ++w)
                        best = std::min(best, std::hypot(a.xy[2 * v] - b.xy[2 * w], a.xy[2 * v + 1] - b.xy[2 * w + 1]));
                    EXPECT_LE(best, tol) << "feature " << f << " vertex " << v;
                }
            }
        }
    }
}

class Formats : public ::testing::Test {
protected:
    void SetUp() override {
        // One folder per test: ctest runs the tests of this fixture in parallel processes.
        dir_ = test::scratchDir(std::string("formats_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        gpkg_ = dir_ + "/sites.gpkg";
        ASSERT_TRUE(writeSitesAndZones("GPKG", gpkg_));
        sites_ = geo::readVectorLayer(gpkg_, "sites");
        zones_ = geo::readVectorLayer(gpkg_, "zones");
    }
    std::string dir_, gpkg_;
    geo::VectorData sites_, zones_;
};

//-----------------------------------------------------------------------------
// Spreadsheets
//-----------------------------------------------------------------------------

TEST(TablePoints, CoordinateNamesAreFoundWithUnitsAndCase) {
    for (const char* x :
         {"经度", "经度(°)", " Longitude ", "LNG", "lon", "东经", "X坐标（m）", "x", "坐标X", "POINT_X"})
        EXPECT_TRUE(geo::isCoordinateName(x, true)) << x;
    for (const char* y : {"纬度", "纬度（°）", "LAT", "latitude", "北纬", "Y坐标(m)", "Y", "northing [m]"})
        EXPECT_TRUE(geo::isCoordinateName(y, false)) << y;
    for (const char* no : {"名称", "经度差", "xx", "lat2", "", "(°)"})
        EXPECT_FALSE(geo::isCoordinateName(no, true)) << no;
}

TEST(TablePoints, DecimalAndDegreesMinutesSeconds) {
    auto near = [](const char* text, double want) {
        auto v = geo::parseCoordinate(text);
        ASSERT_TRUE(v.has_value()) << text;
        EXPECT_NEAR(*v, want, 1e-12) << text;
    };
    near("114.35", 114.35);
    near(" +22.7 ", 22.7);
    near("114°21'30\"E", 114 + 21 / 60.0 + 30 / 3600.0);
    near("114°21′30.5″", 114 + 21 / 60.0 + 30.5 / 3600.0);
    near("22度42分36秒", 22.71);
    near("北纬22°42'", 22.7);
    near("S 22°30'", -22.5);
    near("-114 21 30", -(114 + 21 / 60.0 + 30 / 3600.0));
    near("114°21.5'", 114 + 21.5 / 60);
    near("114:21:30W", -(114 + 21 / 60.0 + 30 / 3600.0));
    for (const char* bad : {"", "abc", "N/A", "-", "114.3.5", "114°61'", "114.5°30'", "1,5", "E114E", "nan", "inf"})
        EXPECT_FALSE(geo::parseCoordinate(bad).has_value()) << bad;
}

TEST_F(Formats, CsvWithChineseLonLatColumnsMatchesTheGeoPackage) {
    std::string csv = "name,经度,纬度,area\n";
    for (const Site& s : kSites)
        csv += csvQuote(s.name) + "," + fmt(s.lon) + "," + fmt(s.lat) + "," + fmt(s.area) + "\n";
    test::writeText(dir_ + "/sites.csv", csv);
    auto d = geo::readVectorLayer(dir_ + "/sites.csv", "");
    EXPECT_EQ(d.crs.epsg(), 4326);
    expectSameFeatures(sites_, d, 1e-7, "csv");
    EXPECT_EQ(d.table.columnIndex("经度") >= 0, true) << "the coordinate columns stay attributes";
    EXPECT_EQ(d.skippedGeometries, 0u);
}

TEST_F(Formats, CsvOfGaodeCoordinatesWithTheGcj02Datum) {
    // Project lists copied from a Chinese web map are GCJ-02: with "datum": "gcj02" they land on the WGS84 points.
    std::string csv = "name,lng,lat,area\n";
    for (const Site& s : kSites) {
        double gx = 0, gy = 0;
        geo::wgs84ToGcj02(s.lon, s.lat, gx, gy);
        csv += csvQuote(s.name) + "," + fmt(gx, "%.10f") + "," + fmt(gy, "%.10f") + "," + fmt(s.area) + "\n";
    }
    test::writeText(dir_ + "/gaode.csv", csv);
    geo::SourceOptions o;
    o.datum = "gcj02";
    auto d = geo::readVectorLayer(dir_ + "/gaode.csv", "", nullptr, o);
    expectSameFeatures(sites_, d, 5e-8, "gcj02 csv");  // 5e-8 degree: about 5 mm
}

TEST_F(Formats, XlsxAndOdsSheetsMatchTheGeoPackage) {
    std::vector<std::vector<std::string>> rows;
    for (const Site& s : kSites) rows.push_back({s.name, fmt(s.lon), fmt(s.lat), fmt(s.area)});
    // Typed numbers (GDAL detects the header), and all text (the header is promoted by name), in both formats.
    for (const char* driver : {"XLSX", "ODS"}) {
        for (bool typed : {true, false}) {
            std::string path = dir_ + "/sites_" + driver + (typed ? "_typed." : "_text.") +
                               (std::string(driver) == "XLSX" ? "xlsx" : "ods");
            writeSheet(
                driver, path, {"name", "经度(°)", "纬度(°)", "area"}, rows, {false, typed, typed, typed}, "说明");
            auto layers = geo::listLayers(path);
            ASSERT_EQ(layers.size(), 2u) << path;  // every sheet a layer
            EXPECT_EQ(layers[0].name, "项目清单");
            EXPECT_EQ(layers[1].name, "说明");
            auto d = geo::readVectorLayer(path, "项目清单");
            EXPECT_EQ(d.crs.epsg(), 4326);
            expectSameFeatures(sites_, d, 1e-7, path);
            EXPECT_EQ(d.skippedGeometries, 0u) << path;
            // No coordinates: a table, said so. (XLSX, all text: no header detected, 2 rows.)
            auto notes = geo::readVectorLayer(path, "说明");
            EXPECT_GE(notes.table.featureCount(), 1u);
            ASSERT_FALSE(notes.warnings.empty());
            EXPECT_NE(notes.warnings[0].find("xField"), std::string::npos) << notes.warnings[0];
        }
    }
    std::string xlsx = dir_ + "/sites_XLSX_typed.xlsx";
    auto project = geo::layersFromSource(xlsx, 0);
    ASSERT_EQ(project.size(), 2u);
    EXPECT_EQ(project[0].layer, "项目清单");
}

TEST_F(Formats, ProjectedColumnsNeedAnAssignedCrs) {
    geo::Transformer to4547(geo::Crs::wgs84(), geo::Crs::fromUser("EPSG:4547"));
    std::string eastFirst = "name,X坐标（m）,Y坐标（m）,area\n", northFirst = "name,X坐标,Y坐标,area\n";
    for (const Site& s : kSites) {
        double xy[2] = {s.lon, s.lat};
        to4547.transform(xy, 1);
        eastFirst += csvQuote(s.name) + "," + fmt(xy[0], "%.4f") + "," + fmt(xy[1], "%.4f") + "," + fmt(s.area) + "\n";
        northFirst += csvQuote(s.name) + "," + fmt(xy[1], "%.4f") + "," + fmt(xy[0], "%.4f") + "," + fmt(s.area) + "\n";
    }
    test::writeText(dir_ + "/east_first.csv", eastFirst);
    test::writeText(dir_ + "/north_first.csv", northFirst);
    // The reference in EPSG:4547, compared within 1 mm.
    geo::VectorData ref = sites_;
    to4547.transform(ref.table.xy.data(), ref.table.vertexCount());

    try {
        geo::readVectorLayer(dir_ + "/east_first.csv", "");
        ADD_FAILURE() << "projected numbers without a CRS must not be taken for degrees";
    } catch (const geo::CrsError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("east_first.csv"), std::string::npos) << m;
        EXPECT_NE(m.find("set \"crs\" on the layer"), std::string::npos) << m;
    }
    geo::SourceOptions o;
    o.crs = "EPSG:4547";
    auto d = geo::readVectorLayer(dir_ + "/east_first.csv", "", nullptr, o);
    EXPECT_EQ(d.crs.epsg(), 4547);
    expectSameFeatures(ref, d, 1e-3, "east first");
    EXPECT_TRUE(d.warnings.empty()) << d.warnings[0];

    auto n = geo::readVectorLayer(dir_ + "/north_first.csv", "", nullptr, o);
    expectSameFeatures(ref, n, 1e-3, "north first (surveying X = north)");
    ASSERT_EQ(n.warnings.size(), 1u);
    EXPECT_NE(n.warnings[0].find("northings"), std::string::npos) << n.warnings[0];
}

TEST_F(Formats, BadRowsAreCountedListedAndKept) {
    test::writeText(dir_ + "/bad.csv",
                    "编号,名称,经度,纬度\n"               // row 1
                    "1,好1,114.35,22.70\n"                // row 2
                    "2,坏1,abc,22.70\n"                   // row 3: not a number
                    "3,好2,\"114°21'30\"\"E\",22°42'N\n"  // row 4: degrees-minutes-seconds
                    "4,坏2,,22.7\n"                       // row 5: empty
                    "5,坏3,200,22.7\n"                    // row 6: longitude out of range
                    "6,坏4,114.3,95\n"                    // row 7: latitude out of range
                    "7,好3, 114.36 , 22.71 \n"            // row 8
                    "8,坏5,114.3.5,22.7\n"                // row 9
                    "9,坏6,N/A,N/A\n"                     // row 10
                    "10,坏7,-,22.7\n"                     // row 11
                    "11,坏8,114.3,\n");                   // row 12: empty latitude
    auto d = geo::readVectorLayer(dir_ + "/bad.csv", "");
    ASSERT_EQ(d.table.featureCount(), 11u) << "bad rows stay in the table";
    EXPECT_EQ(d.skippedGeometries, 8u);
    const int name = d.table.columnIndex("名称");
    size_t points = 0;
    for (size_t r = 0; r < d.table.featureCount(); ++r) {
        const bool good = d.table.columns[name].text(r).substr(0, 3) == "好";
        EXPECT_EQ(d.table.kinds[r], good ? geo::GeomKind::Point : geo::GeomKind::None) << r;
        points += good;
    }
    EXPECT_EQ(points, 3u);
    EXPECT_NEAR(d.table.xy[2], 114.358333333333, 1e-9);  // the DMS row
    EXPECT_NEAR(d.table.xy[3], 22.7, 1e-12);
    std::string all;
    for (const auto& w : d.warnings) all += w + "\n";
    for (const char* part : {"8 rows with bad coordinates",
                             "row 3 经度: \"abc\"",
                             "row 5 经度: empty",
                             "row 6 经度: \"200\" out of range",
                             "row 7 纬度: \"95\" out of range",
                             "row 9 ",
                             "row 12 纬度: empty"})
        EXPECT_NE(all.find(part), std::string::npos) << part << " in\n" << all;

    // More than ten: the first ten listed, then "...".
    std::string many = "lon,lat\n";
    for (int i = 0; i < 25; ++i) many += "x" + std::to_string(i) + ",1\n";
    test::writeText(dir_ + "/many.csv", many);
    auto m = geo::readVectorLayer(dir_ + "/many.csv", "");
    EXPECT_EQ(m.skippedGeometries, 25u);
    ASSERT_FALSE(m.warnings.empty());
    EXPECT_NE(m.warnings[0].find("row 11 lon"), std::string::npos) << m.warnings[0];
    EXPECT_EQ(m.warnings[0].find("row 12 lon"), std::string::npos) << m.warnings[0];
    EXPECT_NE(m.warnings[0].find("; ...)"), std::string::npos) << m.warnings[0];
}

TEST_F(Formats, NamedColumnsWinAndAMissingOneIsNamed) {
    test::writeText(dir_ + "/named.csv", "名称,东坐标,北坐标,lon,lat\nA,114.35,22.70,0,0\n");
    geo::SourceOptions o;
    o.xField = "东坐标";
    o.yField = "北坐标";
    auto d = geo::readVectorLayer(dir_ + "/named.csv", "", nullptr, o);
    ASSERT_EQ(d.table.vertexCount(), 1u);
    EXPECT_DOUBLE_EQ(d.table.xy[0], 114.35);
    o.yField = "北纬坐标";
    try {
        geo::readVectorLayer(dir_ + "/named.csv", "", nullptr, o);
        ADD_FAILURE() << "a missing named column must be an error";
    } catch (const geo::FormatError& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("\"北纬坐标\""), std::string::npos) << m;
        EXPECT_NE(m.find("yField"), std::string::npos) << m;
        EXPECT_NE(m.find("\"北坐标\""), std::string::npos) << m << " (the columns are listed)";
    }
}

//-----------------------------------------------------------------------------
// KML / KMZ, File Geodatabase
//-----------------------------------------------------------------------------

TEST_F(Formats, KmlAndKmzFoldersMatchTheGeoPackage) {
    const char* folders[] = {"FOLDER=YES", nullptr};
    for (const char* ext : {".kml", ".kmz"}) {
        std::string path = dir_ + "/sites" + ext;
        ASSERT_TRUE(writeSitesAndZones("LIBKML", path, folders) || writeSitesAndZones("KML", path));
        auto layers = geo::listLayers(path);
        ASSERT_EQ(layers.size(), 2u) << path;  // each folder a layer
        EXPECT_EQ(layers[0].name, "sites");
        EXPECT_EQ(layers[1].name, "zones");
        expectSameFeatures(sites_, geo::readVectorLayer(path, "sites"), 1e-9, path + " sites");
        auto zones = geo::readVectorLayer(path, "zones");
        EXPECT_EQ(zones.crs.epsg(), 4326);
        expectSameFeatures(zones_, zones, 1e-9, path + " zones");
    }
}

TEST_F(Formats, KmlFolderStyleBecomesTheLayerStyle) {
    std::string path = dir_ + "/styled.kml";
    test::writeText(path, R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Style id="red"><LineStyle><color>ff0000ff</color><width>3</width></LineStyle><PolyStyle><color>7f00ff00</color></PolyStyle></Style>
<Folder><name>规划地块</name>
<Placemark><name>A</name><styleUrl>#red</styleUrl><Polygon><outerBoundaryIs><LinearRing>
<coordinates>114.3,22.7 114.32,22.7 114.32,22.72 114.3,22.7</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Folder>
<Folder><name>控制点</name>
<Placemark><name>B</name><Style><IconStyle><color>ffff0000</color></IconStyle></Style>
<Point><coordinates>114.3,22.7</coordinates></Point></Placemark>
</Folder></Document></kml>)");
    auto layers = geo::layersFromSource(path, 0);
    ASSERT_EQ(layers.size(), 2u);
    EXPECT_EQ(layers[0].name, "规划地块");
    EXPECT_EQ(layers[1].name, "控制点");
    // KML colours are aabbggrr.
    EXPECT_EQ(layers[0].style.stroke, (geo::Rgba{255, 0, 0, 255}));
    EXPECT_EQ(layers[0].style.fill, (geo::Rgba{0, 255, 0, 0x7f}));
    EXPECT_FLOAT_EQ(layers[0].style.strokeWidth, 3.0f);
    EXPECT_EQ(layers[1].style.fill, (geo::Rgba{0, 0, 255, 255}));
}

TEST_F(Formats, FileGeodatabaseFolderMatchesTheGeoPackage) {
    std::string gdb = dir_ + "/sites.gdb";
    ASSERT_TRUE(writeSitesAndZones("OpenFileGDB", gdb));
    ASSERT_TRUE(std::filesystem::is_directory(gdb));
    for (const std::string& path : {gdb, gdb + "/"}) {  // as typed, with or without the slash
        auto layers = geo::listLayers(path);
        ASSERT_EQ(layers.size(), 2u) << path;
        EXPECT_EQ(layers[0].name, "sites");
        EXPECT_EQ(layers[1].name, "zones");
        auto project = geo::layersFromSource(path, 0);
        ASSERT_EQ(project.size(), 2u);
        EXPECT_EQ(project[1].name, "zones");
    }
    auto sites = geo::readVectorLayer(gdb, "sites");
    EXPECT_EQ(sites.driver, "OpenFileGDB");
    EXPECT_EQ(sites.crs.epsg(), 4326);
    expectSameFeatures(sites_, sites, 1e-7, "gdb sites");
    expectSameFeatures(zones_, geo::readVectorLayer(gdb, "zones"), 1e-7, "gdb zones");
    EXPECT_THROW(geo::listLayers(dir_ + "/missing.gdb"), geo::IoError);
}

//-----------------------------------------------------------------------------
// GCJ-02
//-----------------------------------------------------------------------------

TEST(Gcj02, ForwardMatchesThePublishedFormulaAndTheInverseRoundTrips) {
    double lon = 0, lat = 0;
    geo::wgs84ToGcj02(114.35, 22.70, lon, lat);
    EXPECT_NEAR(lon, 114.354921822199, 1e-9);  // /work/shared/tools/gcj02.py, checked against coordtransform
    EXPECT_NEAR(lat, 22.697296008690, 1e-9);
    for (double x = 113.7; x < 114.7; x += 0.1) {
        for (double y = 22.4; y < 22.9; y += 0.1) {
            double gx = 0, gy = 0, wx = 0, wy = 0;
            geo::wgs84ToGcj02(x, y, gx, gy);
            geo::gcj02ToWgs84(gx, gy, wx, wy);
            EXPECT_LT(std::max(std::abs(wx - x), std::abs(wy - y)), 1e-9) << x << " " << y;
        }
    }
}

// The table as GeoJSON polygons, every vertex through `move`.
template <typename Move>
std::string polygonsAsGeoJson(const geo::FeatureTable& t, Move move) {
    std::ostringstream s;
    s.precision(12);
    s << R"({"type":"FeatureCollection","features":[)";
    for (size_t f = 0; f < t.featureCount(); ++f) {
        s << (f ? "," : "") << R"({"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[)";
        for (uint32_t p = t.partBegin(f); p < t.partEnd(f); ++p) {
            s << (p > t.partBegin(f) ? ",[" : "[");
            for (uint32_t r = t.ringBegin(p); r < t.ringEnd(p); ++r) {
                s << (r > t.ringBegin(p) ? ",[" : "[");
                for (uint32_t v = t.vertexBegin(r); v < t.vertexEnd(r); ++v) {
                    double x = 0, y = 0;
                    move(t.xy[2 * v], t.xy[2 * v + 1], x, y);
                    s << (v > t.vertexBegin(r) ? ",[" : "[") << std::fixed << x << "," << y << "]";
                }
                s << "]";
            }
            s << "]";
        }
        s << "]}}";
    }
    s << "]}";
    return s.str();
}

TEST(Gcj02, DeclaredGeoJsonLandsOnItsWgs84Original) {
    auto original = geo::readVectorLayer(test::assetPath("pingshan_district_wgs84.geojson"), "");
    ASSERT_GT(original.table.vertexCount(), 100u);
    auto dir = test::scratchDir("gcj02");
    std::string path = dir + "/pingshan_gcj02.geojson";
    test::writeText(path, polygonsAsGeoJson(original.table, [](double x, double y, double& gx, double& gy) {
                        geo::wgs84ToGcj02(x, y, gx, gy);
                    }));
    geo::SourceOptions gcj;
    gcj.datum = "gcj02";
    auto fixed = geo::readVectorLayer(path, "", nullptr, gcj);
    auto raw = geo::readVectorLayer(path, "");
    ASSERT_EQ(fixed.table.vertexCount(), original.table.vertexCount());
    ASSERT_EQ(raw.table.vertexCount(), original.table.vertexCount());
    EXPECT_EQ(fixed.crs.epsg(), 4326);
    double worst = 0, rawMin = INFINITY, rawMax = 0;
    for (size_t v = 0; v < original.table.vertexCount(); ++v) {
        const double* o = &original.table.xy[2 * v];
        worst =
            std::max(worst, geo::groundDistanceMeters(o[0], o[1], fixed.table.xy[2 * v], fixed.table.xy[2 * v + 1]));
        double off = geo::groundDistanceMeters(o[0], o[1], raw.table.xy[2 * v], raw.table.xy[2 * v + 1]);
        rawMin = std::min(rawMin, off);
        rawMax = std::max(rawMax, off);
    }
    EXPECT_LT(worst, 0.5) << "metres from the WGS84 original";
    EXPECT_GT(rawMin, 400.0) << "without the datum the layer must sit visibly off (~600 m)";
    EXPECT_LT(rawMax, 800.0);
}

}  // namespace

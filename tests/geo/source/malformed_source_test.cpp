// Damaged sources read the way a planner needs (issue #13): GDAL's messages captured and attributed to the file, no
// stale error taken for a failed read, a damaged .dbf named, NaN/Inf/1e300 vertices dropped and counted.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"
#include "source/gdal_messages.hpp"
#include "source/shapefile_check.hpp"
#include "source/vector_source.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

// A Shapefile of `n` small squares in Pingshan (lon/lat) with a name column; returns the .shp path.
std::string writeSquares(const std::string& dir, const std::string& stem, int n) {
    geo::ensureGdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    const std::string path = dir + "/" + stem + ".shp";
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    OGRLayer* layer = ds->CreateLayer(stem.c_str(), &srs, wkbPolygon, nullptr);
    OGRFieldDefn name("name", OFTString);
    layer->CreateField(&name);
    for (int i = 0; i < n; ++i) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("name", ("sq" + std::to_string(i)).c_str());
        const double x = 114.3 + (i % 25) * 0.001, y = 22.68 + (i / 25) * 0.001;
        OGRPolygon poly;
        OGRLinearRing ring;
        ring.addPoint(x, y);
        ring.addPoint(x + 0.0008, y);
        ring.addPoint(x + 0.0008, y + 0.0008);
        ring.addPoint(x, y);
        poly.addRing(&ring);
        f->SetGeometry(&poly);
        EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    return path;
}

std::string withExtension(const std::string& shp, const char* ext) {
    return fs::path(shp).replace_extension(ext).string();
}

std::string allWarnings(const geo::VectorData& d) {
    std::string all;
    for (const auto& w : d.warnings) all += w + "\n";
    return all;
}

void overwrite(const std::string& path, const std::string& bytes) { test::writeText(path, bytes); }

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

// The finding: a .prj GDAL cannot parse left a CE_Failure behind, and all 500 features read were reported as
// "read stopped early after 500 features". The CRS's trouble is now the CRS's, and the read is whole.
TEST(MalformedSource, AnUnreadablePrjIsNotAReadThatStoppedEarly) {
    const std::string dir = test::scratchDir("malformed_prj");
    const std::string shp = writeSquares(dir, "plots", 500);
    overwrite(withExtension(shp, ".prj"), "PROJCS[\"nonsense\",GARBAGE[[[");
    testing::internal::CaptureStderr();
    const geo::VectorData d = geo::readVectorLayer(shp, "");
    const std::string stderrText = testing::internal::GetCapturedStderr();
    EXPECT_EQ(d.table.featureCount(), 500u);
    const std::string w = allWarnings(d);
    EXPECT_EQ(w.find("stopped early"), std::string::npos) << w;
    EXPECT_NE(w.find("CRS could not be read"), std::string::npos) << w;
    EXPECT_NE(w.find("plots.shp"), std::string::npos) << w;
    EXPECT_EQ(stderrText.find("ERROR 1"), std::string::npos) << stderrText;
}

// A .shp cut in half: GDAL complains once per lost shape; that becomes one warning naming the file with the count,
// and nothing raw on stderr.
TEST(MalformedSource, ATruncatedShpSaysSoInOneLine) {
    const std::string dir = test::scratchDir("malformed_shp_cut");
    const std::string shp = writeSquares(dir, "cut", 40);
    const std::string bytes = readBytes(shp);
    overwrite(shp, bytes.substr(0, bytes.size() / 2));
    testing::internal::CaptureStderr();
    const geo::VectorData d = geo::readVectorLayer(shp, "");
    const std::string stderrText = testing::internal::GetCapturedStderr();
    EXPECT_TRUE(stderrText.empty()) << stderrText;
    const std::string w = allWarnings(d);
    EXPECT_NE(w.find("cut.shp: 40 features read, with errors: "), std::string::npos) << w;
    EXPECT_NE(w.find("more GDAL messages"), std::string::npos) << w;
    EXPECT_NE(w.find("without a drawable geometry"), std::string::npos) << w;
}

// A .dbf cut inside its header, empty, or claiming 2^31 records: the geometry is read from the .shp alone and the
// warning names the .dbf (GDAL reads the first two as a layer without fields and the third as one without
// features, without a word).
TEST(MalformedSource, ADamagedDbfIsNamedAndTheGeometryStillReads) {
    const std::string dir = test::scratchDir("malformed_dbf");
    struct Damage {
        const char* stem;
        std::string (*apply)(const std::string&);
        const char* says;
    };
    const Damage damages[] = {
        {"cut", [](const std::string& b) { return b.substr(0, 20); }, "cut short"},
        {"empty", [](const std::string&) { return std::string(); }, "is empty"},
        {"huge",
         [](const std::string& b) {
             std::string out = b;
             const uint32_t n = 1u << 31;
             for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>((n >> (8 * i)) & 0xFF);
             return out;
         },
         "claims 2147483648 records but holds 9"},
    };
    for (const Damage& dmg : damages) {
        SCOPED_TRACE(dmg.stem);
        const std::string shp = writeSquares(dir, dmg.stem, 9);
        const std::string dbf = withExtension(shp, ".dbf");
        EXPECT_EQ(geo::dbfDamage(shp), "");
        overwrite(dbf, dmg.apply(readBytes(dbf)));
        const std::string damage = geo::dbfDamage(shp);
        EXPECT_NE(damage.find(std::string(dmg.stem) + ".dbf"), std::string::npos) << damage;
        EXPECT_NE(damage.find(dmg.says), std::string::npos) << damage;
        const geo::VectorData d = geo::readVectorLayer(shp, "");
        EXPECT_EQ(d.table.featureCount(), 9u);
        EXPECT_TRUE(d.table.columns.empty());
        ASSERT_FALSE(d.warnings.empty());
        EXPECT_EQ(d.warnings.front(), damage);
        EXPECT_NE(damage.find("drawn without attributes"), std::string::npos);
    }
    // The stand-in folder goes with the read.
    for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
        EXPECT_EQ(e.path().filename().string().rfind("planatlas-shp-", 0) == 0 && fs::exists(e.path() / "huge.shp"),
                  false);
}

// NaN, infinite and 1e300 coordinates are dropped and counted; a file of nothing else reads as features without
// geometry (the map then says it has nothing to draw) instead of an extent of 1e300.
TEST(MalformedSource, NonFiniteAndAbsurdCoordinatesAreDroppedAndCounted) {
    const std::string dir = test::scratchDir("malformed_absurd");
    const std::string mixed = dir + "/mixed.geojson";
    test::writeText(mixed, R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"n":1},"geometry":{"type":"Polygon","coordinates":
            [[[114.30,22.70],[114.31,22.70],[114.31,22.71],[114.30,22.70]]]}},
        {"type":"Feature","properties":{"n":2},"geometry":{"type":"Polygon","coordinates":
            [[[1e300,1e300],[2e300,1e300],[2e300,2e300],[1e300,1e300]]]}},
        {"type":"Feature","properties":{"n":3},"geometry":{"type":"LineString","coordinates":
            [[114.30,22.70],[NaN,22.8],[114.32,Infinity],[114.33,22.72]]}},
        {"type":"Feature","properties":{"n":4},"geometry":{"type":"Point","coordinates":[114.3,95.0]}}]})");
    const geo::VectorData d = geo::readVectorLayer(mixed, "");
    ASSERT_EQ(d.table.featureCount(), 4u);
    EXPECT_EQ(d.repairedVertices.vertices, 4u + 2u + 1u);
    EXPECT_EQ(d.repairedVertices.features, 3u);
    EXPECT_EQ(d.repairedVertices.emptied, 2u);
    EXPECT_EQ(d.table.kinds[1], geo::GeomKind::None);
    EXPECT_EQ(d.table.kinds[3], geo::GeomKind::None);
    EXPECT_EQ(d.table.vertexEnd(d.table.ringBegin(d.table.partBegin(2))) -
                  d.table.vertexBegin(d.table.ringBegin(d.table.partBegin(2))),
              2u);  // the line keeps its two good vertices
    const geo::BBox e = d.table.extent();
    EXPECT_LT(e.maxX, 115.0);
    EXPECT_LT(e.maxY, 23.0);
    EXPECT_NE(allWarnings(d).find("mixed.geojson: 7 vertices with non-finite or absurd coordinates"),
              std::string::npos)
        << allWarnings(d);
    EXPECT_EQ(d.table.columns[0].size(), 4u);  // every row keeps its attributes

    // A CSV of nothing but absurd points: the spreadsheet reader names the values and asks for a CRS.
    const std::string csv = dir + "/absurd.csv";
    test::writeText(csv, "lon,lat,name\n1e300,1e300,a\n-1e300,2e300,b\nnan,inf,c\n");
    try {
        geo::readVectorLayer(csv, "");
        FAIL() << "read";
    } catch (const geo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("absurd.csv"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("1e300"), std::string::npos) << e.what();
    }
    // Without a file CRS, absurd vertices are dropped before the lon/lat guess: a FlatGeobuf written without a CRS,
    // with 1e300 among good lon/lat points, still reads as EPSG:4326 (not "the coordinates are not lon/lat").
    const std::string fgbPath = dir + "/nocrs.fgb";
    {
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("FlatGeobuf");
        GDALDatasetUniquePtr ds(drv->Create(fgbPath.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRLayer* layer = ds->CreateLayer("nocrs", nullptr, wkbPoint, nullptr);
        for (double x : {114.3, 1e300, 114.4}) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            OGRPoint p(x, 22.7);
            f->SetGeometry(&p);
            ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
    }
    const geo::VectorData n = geo::readVectorLayer(fgbPath, "");
    EXPECT_EQ(n.crs.id(), "EPSG:4326");
    EXPECT_EQ(n.table.vertexCount(), 2u);
    EXPECT_EQ(n.repairedVertices.vertices, 1u);
}

// GDAL's messages: inside a scope they are collected (one line each, counted); outside, one line of ours.
TEST(MalformedSource, GdalMessagesAreCapturedOrWrittenAsOurOwnLine) {
    geo::ensureGdal();
    {
        geo::GdalMessageScope scope;
        CPLError(CE_Warning, CPLE_AppDefined, "first\nsecond line");
        CPLError(CE_Failure, CPLE_AppDefined, "broken");
        CPLError(CE_Failure, CPLE_AppDefined, "broken");
        EXPECT_EQ(scope.count(), 3u);
        EXPECT_TRUE(scope.failed());
        ASSERT_EQ(scope.messages().size(), 2u);
        EXPECT_EQ(scope.messages()[0], "first second line");
        EXPECT_EQ(scope.summary(), "first second line (and 2 more GDAL messages)");
    }
    testing::internal::CaptureStderr();
    CPLError(CE_Failure, CPLE_AppDefined, "outside\n any scope");
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(err, "planatlas: GDAL error: outside any scope\n");
    EXPECT_EQ(geo::gdalMessageLine(std::string(1000, 'x').c_str(), 10), "xxxxxxxxxx...");
    CPLErrorReset();
}

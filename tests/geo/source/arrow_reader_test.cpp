// GDAL's Arrow stream and the feature loop make the same table: every vertex, ring, part, kind, fid, value and
// null, on the bundled GeoPackages and on generated files with what the stream must decode itself (WKB
// multipolygons with holes, Z, empty and null geometries, mixed collections, int64, dates, Chinese text).
#include "source/arrow_reader.hpp"
#include "source/gpkg_direct.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "source/gdal_handles.hpp"
#include "source/vector_source.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

// Reads with the Arrow stream turned off (the feature loop) or on (where the driver has a fast one).
geo::VectorData readWith(bool arrow,
                         const std::string& path,
                         const std::string& layer,
                         const geo::SourceOptions& options = {}) {
    CPLSetThreadLocalConfigOption("PLANATLAS_ARROW_READ", arrow ? "YES" : "NO");
    CPLSetThreadLocalConfigOption("PLANATLAS_GPKG_DIRECT", "NO");  // GDAL's reads (the direct one: GpkgDirect.*)
    geo::VectorData d = geo::readVectorLayer(path, layer, nullptr, options);
    CPLSetThreadLocalConfigOption("PLANATLAS_ARROW_READ", nullptr);
    CPLSetThreadLocalConfigOption("PLANATLAS_GPKG_DIRECT", nullptr);
    return d;
}

bool sameBits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

void expectSameTables(const geo::FeatureTable& loop, const geo::FeatureTable& arrow, const std::string& what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(loop.featureCount(), arrow.featureCount());
    EXPECT_EQ(loop.fids, arrow.fids);
    EXPECT_EQ(loop.kinds, arrow.kinds);
    EXPECT_EQ(loop.featureEnds, arrow.featureEnds);
    EXPECT_EQ(loop.partEnds, arrow.partEnds);
    EXPECT_EQ(loop.ringEnds, arrow.ringEnds);
    ASSERT_EQ(loop.xy.size(), arrow.xy.size());
    for (size_t i = 0; i < loop.xy.size(); ++i)
        ASSERT_TRUE(sameBits(loop.xy[i], arrow.xy[i]))
            << "coordinate " << i << ": " << loop.xy[i] << " vs " << arrow.xy[i];
    ASSERT_EQ(loop.columns.size(), arrow.columns.size());
    for (size_t c = 0; c < loop.columns.size(); ++c) {
        const geo::Column &a = loop.columns[c], &b = arrow.columns[c];
        SCOPED_TRACE("column " + a.name);
        EXPECT_EQ(a.name, b.name);
        ASSERT_EQ(a.type, b.type);
        ASSERT_EQ(a.size(), b.size());
        for (size_t r = 0; r < a.size(); ++r) {
            ASSERT_EQ(a.isNull(r), b.isNull(r)) << "row " << r;
            if (a.isNull(r)) continue;
            if (a.type == geo::ColumnType::Integer) ASSERT_EQ(a.integer(r), b.integer(r)) << "row " << r;
            if (a.type == geo::ColumnType::Real) ASSERT_TRUE(sameBits(a.real(r), b.real(r))) << "row " << r;
            if (a.type == geo::ColumnType::Text) ASSERT_EQ(a.text(r), b.text(r)) << "row " << r;
        }
    }
}

void expectSameRead(const std::string& path, const std::string& layer, const geo::SourceOptions& options = {}) {
    geo::VectorData loop = readWith(false, path, layer, options);
    geo::VectorData arrow = readWith(true, path, layer, options);
    expectSameTables(loop.table, arrow.table, path + " [" + layer + "]");
    EXPECT_EQ(loop.skippedGeometries, arrow.skippedGeometries);
    EXPECT_EQ(loop.warnings, arrow.warnings);
    EXPECT_EQ(loop.crs.definition(), arrow.crs.definition());
}

// Whether the stream itself reads the layer (not the loop after the reader declined): the reader is called
// directly with the columns readVectorLayer would make.
bool arrowReads(const std::string& path, const std::string& layerName) {
    std::string err;
    auto ds = geo::openDataset(path, GDAL_OF_VECTOR, nullptr, err);
    if (!ds) return false;
    OGRLayer* layer = ds->GetLayerByName(layerName.c_str());
    if (!layer) return false;
    geo::VectorData d;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        OGRFieldType t = defn->GetFieldDefn(i)->GetType();
        d.table.columns.emplace_back(defn->GetFieldDefn(i)->GetNameRef(),
                                     t == OFTInteger || t == OFTInteger64 ? geo::ColumnType::Integer
                                     : t == OFTReal                       ? geo::ColumnType::Real
                                                                          : geo::ColumnType::Text);
    }
    return geo::readFeaturesArrow(*layer, layer->GetFeatureCount(FALSE), d, nullptr).has_value();
}

OGRGeometry* geometry(const char* wkt) {
    if (!wkt) return nullptr;
    OGRGeometry* g = nullptr;
    EXPECT_EQ(OGRGeometryFactory::createFromWkt(wkt, nullptr, &g), OGRERR_NONE) << wkt;
    return g;
}

struct Row {
    const char* wkt;  // nullptr: no geometry
    const char* name;
    GIntBig big;
    double real;
    int day;  // a date made from this number (0: null), before and after 1970
    bool flag;
};

// A layer of any geometry type with multipolygons and holes, Z, empty and null geometries, a mixed collection,
// and int64 / real / text fields with nulls, a date field `withDate` (FlatGeobuf makes it a date-time), and a
// boolean field `withFlag`.
std::string writeMixed(const std::string& driver,
                       const std::string& path,
                       bool withFlag = false,
                       bool withDate = true) {
    geo::ensureGdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference srs;
    srs.importFromEPSG(4547);
    OGRLayer* layer = ds->CreateLayer("mixed", &srs, wkbUnknown, nullptr);
    OGRFieldDefn name("名称", OFTString), big("big", OFTInteger64), real("area", OFTReal), day("day", OFTDate),
        flag("flag", OFTInteger);
    flag.SetSubType(OFSTBoolean);
    for (OGRFieldDefn* f : {&name, &big, &real, &day, &flag})
        if ((f != &flag || withFlag) && (f != &day || withDate)) layer->CreateField(f);
    const Row rows[] = {
        {"MULTIPOLYGON (((500000 2500000,500100 2500000,500100 2500100,500000 2500100,500000 2500000),"
         "(500010 2500010,500020 2500010,500020 2500020,500010 2500010),(500050 2500050,500060 2500050,"
         "500060 2500060,500050 2500050)),((500200 2500000,500300 2500000,500250 2500080,500200 2500000)))",
         "坪山河流域综合整治",
         9007199254740993LL,
         12345.678901234567,
         19000,
         true},
        {"POLYGON Z ((500400 2500400 10,500500 2500400 11,500500 2500500 12,500400 2500400 10))",
         nullptr,
         -4294967297LL,
         -0.1,
         0,
         false},
        {nullptr, "无几何", 0, 1e300, 1, true},
        {"POINT (500600 2500600)", "", 1, 0.0, 77, false},
        {"POINT EMPTY", "空点", 2, 2.5, 20000, true},
        {"POLYGON EMPTY", "空面", 3, 3.5, 20001, false},
        {"MULTIPOINT ((500700 2500700),(500710 2500710))", "多点", 4, 4.5, 20002, true},
        {"LINESTRING (500800 2500800,500900 2500900,501000 2500800)", "线", 5, 5.5, 20003, false},
        {"MULTILINESTRING ((500800 2500800,500900 2500900),(501000 2501000,501100 2501100))",
         "多线",
         6,
         6.5,
         20004,
         true},
        {"GEOMETRYCOLLECTION (POINT EMPTY,LINESTRING (1 2,3 4),POLYGON ((0 0,1 0,1 1,0 0)),LINESTRING (5 6,7 8))",
         "集合",
         7,
         7.5,
         20005,
         false},
        {"MULTIPOLYGON (((501200 2501200,501300 2501200,501300 2501300,501200 2501200)),EMPTY)",
         "带空部分",
         8,
         8.5,
         20006,
         true},
        {"LINESTRING ZM (1 2 3 4,5 6 7 8)", "ZM", 9, 9.5, 20007, false},
    };
    for (const Row& r : rows) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        if (r.name)
            f->SetField(0, r.name);
        else
            f->SetFieldNull(0);
        f->SetField(1, r.big);
        f->SetField(2, r.real);
        if (r.day && withDate) f->SetField("day", 1900 + r.day % 150, 1 + r.day % 12, 1 + r.day % 28);
        if (withFlag) f->SetField("flag", r.flag ? 1 : 0);
        f->SetGeometryDirectly(geometry(r.wkt));
        EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    return path;
}

TEST(ArrowReader, BundledGeoPackagesMatchTheFeatureLoop) {
    size_t layers = 0;
    for (const auto& entry : fs::recursive_directory_iterator(test::sourceDir() + "/assets")) {
        if (entry.path().extension() != ".gpkg") continue;
        for (const geo::SourceLayerInfo& l : geo::listLayers(entry.path().string())) {
            if (l.raster) continue;
            EXPECT_TRUE(arrowReads(entry.path().string(), l.name)) << entry.path() << " [" << l.name << "]";
            expectSameRead(entry.path().string(), l.name);
            ++layers;
        }
    }
    EXPECT_GE(layers, 9u);
}

TEST(ArrowReader, GeneratedGeoPackageMatchesTheFeatureLoop) {
    auto dir = test::scratchDir("arrow_gpkg");
    std::string path = writeMixed("GPKG", dir + "/mixed.gpkg");
    EXPECT_TRUE(arrowReads(path, "mixed"));
    expectSameRead(path, "mixed");
    geo::VectorData d = readWith(true, path, "mixed");
    ASSERT_EQ(d.table.featureCount(), 12u);
    EXPECT_EQ(d.table.kinds[0], geo::GeomKind::Polygon);
    EXPECT_EQ(d.table.partEnd(0) - d.table.partBegin(0), 2u);                     // two polygons
    EXPECT_EQ(d.table.ringEnd(d.table.partBegin(0)) - d.table.ringBegin(0), 3u);  // a shell and two holes
    EXPECT_EQ(d.table.columns[0].text(0), "坪山河流域综合整治");
    EXPECT_TRUE(d.table.columns[0].isNull(1));
    EXPECT_EQ(d.table.columns[1].integer(0), 9007199254740993LL);
    EXPECT_EQ(d.table.columns[1].integer(1), -4294967297LL);
    EXPECT_TRUE(d.table.columns[3].isNull(1));
    EXPECT_EQ(d.table.kinds[2], geo::GeomKind::None);  // no geometry
    EXPECT_EQ(d.table.kinds[4], geo::GeomKind::None);  // POINT EMPTY
    EXPECT_EQ(d.table.kinds[9], geo::GeomKind::Line);  // the collection keeps its first kind
    EXPECT_EQ(d.skippedGeometries, 3u);
}

TEST(ArrowReader, GeneratedFlatGeobufMatchesTheFeatureLoop) {
    auto dir = test::scratchDir("arrow_fgb");
    std::string path = writeMixed("FlatGeobuf", dir + "/mixed.fgb", false, false);
    EXPECT_TRUE(arrowReads(path, "mixed"));
    expectSameRead(path, "mixed");
    path = writeMixed("FlatGeobuf", dir + "/dated.fgb");
    EXPECT_FALSE(arrowReads(path, "mixed"));  // a date-time column
    expectSameRead(path, "mixed");
}

// GDAL before 3.8.3 sets the wrong bits of boolean columns in its fast streams (GDAL #8998): those go to the loop.
TEST(ArrowReader, BooleansAreRightWhateverTheGdal) {
    auto dir = test::scratchDir("arrow_bool");
    const bool fixed = std::atoi(GDALVersionInfo("VERSION_NUM")) >= GDAL_COMPUTE_VERSION(3, 8, 3);
    for (const char* driver : {"GPKG", "FlatGeobuf"}) {
        std::string path = writeMixed(driver, dir + "/flags." + (driver[0] == 'G' ? "gpkg" : "fgb"), true);
        EXPECT_EQ(arrowReads(path, "mixed"), fixed) << driver;
        expectSameRead(path, "mixed");
        if (driver[0] != 'G') continue;  // FlatGeobuf sorts the features along its index
        geo::VectorData d = readWith(true, path, "mixed");
        for (size_t r = 0; r < d.table.featureCount(); ++r)
            EXPECT_EQ(d.table.columns[4].integer(r), r % 2 == 0 ? 1 : 0);
    }
}

// An empty FlatGeobuf's stream never ends in GDAL 3.6 (GDAL #8509); an empty batch ends it here.
TEST(ArrowReader, EmptyFlatGeobufEnds) {
    auto dir = test::scratchDir("arrow_empty");
    std::string path = dir + "/empty.fgb";
    {
        geo::ensureGdal();
        GDALDatasetUniquePtr ds(
            GetGDALDriverManager()->GetDriverByName("FlatGeobuf")->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        ds->CreateLayer("empty", &srs, wkbPolygon, nullptr);
    }
    EXPECT_EQ(readWith(true, path, "empty").table.featureCount(), 0u);
}

// Curves, date-times and lists: the reader declines and the loop reads, with the same result.
TEST(ArrowReader, WhatTheStreamDoesNotDecodeGoesToTheLoop) {
    auto dir = test::scratchDir("arrow_decline");
    std::string path = dir + "/curves.gpkg";
    {
        geo::ensureGdal();
        GDALDatasetUniquePtr ds(
            GetGDALDriverManager()->GetDriverByName("GPKG")->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        OGRLayer* curves = ds->CreateLayer("curves", &srs, wkbUnknown, nullptr);
        OGRLayer* stamped = ds->CreateLayer("stamped", &srs, wkbPoint, nullptr);
        OGRFieldDefn when("when", OFTDateTime);
        stamped->CreateField(&when);
        for (const char* wkt : {"LINESTRING (0 0,1 1)", "CIRCULARSTRING (0 0,1 1,2 0)"}) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(curves->GetLayerDefn()));
            f->SetGeometryDirectly(geometry(wkt));
            ASSERT_EQ(curves->CreateFeature(f.get()), OGRERR_NONE);
        }
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(stamped->GetLayerDefn()));
        f->SetField(0, 2024, 5, 6, 7, 8, 9.5f, 132);  // +08:00 (100 = UTC, steps of 15 minutes)
        f->SetGeometryDirectly(geometry("POINT (1 2)"));
        ASSERT_EQ(stamped->CreateFeature(f.get()), OGRERR_NONE);
    }
    EXPECT_FALSE(arrowReads(path, "curves"));
    EXPECT_FALSE(arrowReads(path, "stamped"));
    expectSameRead(path, "curves");
    expectSameRead(path, "stamped");
    EXPECT_EQ(readWith(true, path, "curves").table.kinds[1], geo::GeomKind::Line);
    EXPECT_EQ(readWith(true, path, "stamped").table.columns[0].text(0), "2024/05/06 07:08:09.500+08");
}

// SourceOptions::filter reaches GDAL as a spatial filter, on both paths.
TEST(ArrowReader, SpatialFilterReadsOnlyTheBox) {
    const std::string path = test::assetPath("shenzhen_rail_stations_osm.gpkg");
    geo::SourceOptions options;
    options.filter = {114.0, 22.5, 114.1, 22.6};
    geo::VectorData all = readWith(true, path, "stations");
    geo::VectorData some = readWith(true, path, "stations", options);
    ASSERT_GT(some.table.featureCount(), 0u);
    EXPECT_LT(some.table.featureCount(), all.table.featureCount());
    for (size_t f = 0; f < some.table.featureCount(); ++f)
        EXPECT_TRUE(options.filter.intersects(some.table.featureBox(f)));
    expectSameRead(path, "stations", options);
    // Polygons whose boxes meet the filter but not they themselves: the loop leaves them out, and so must the
    // stream (before GDAL 3.8 it kept them, so the loop reads filtered layers there).
    options.filter = {114.30, 22.60, 114.32, 22.62};
    expectSameRead(test::assetPath("shenzhen_districts.gpkg"), "districts_wgs84", options);
}

// Found by fuzz_vector (tests/fuzz): a GeoPackage blob of nested GEOMETRYCOLLECTION headers, 100000 deep,
// overflowed the stack of the stream's WKB decoder. Past OGR's depth the stream declines and the loop reads the
// feature without a geometry; up to it, both read the point at the bottom alike.
TEST(ArrowReader, DeeplyNestedCollectionsDoNotOverflowTheStack) {
    auto nested = [](int depth) {
        std::string wkb("\x01\x01\x00\x00\x00", 5);  // POINT (1 2), little-endian
        const double xy[2] = {1, 2};
        wkb.append(reinterpret_cast<const char*>(xy), sizeof xy);
        const std::string collection("\x01\x07\x00\x00\x00\x01\x00\x00\x00", 9);  // one part
        std::string blob("GP\x00\x01\xE6\x10\x00\x00", 8);  // GeoPackage header: no envelope, srs 4326
        blob.reserve(blob.size() + collection.size() * depth + wkb.size());
        for (int i = 0; i < depth; ++i) blob += collection;
        return blob + wkb;
    };
    auto dir = test::scratchDir("arrow_nested");
    std::string path = dir + "/nested.gpkg";
    const std::vector<int> depths = {1, 31, 32, 33, 100000};
    {
        geo::ensureGdal();
        GDALDatasetUniquePtr ds(
            GetGDALDriverManager()->GetDriverByName("GPKG")->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        const char* noIndex[] = {"SPATIAL_INDEX=NO", nullptr};  // no triggers parsing the blobs on insert
        for (int depth : depths)
            ds->CreateLayer(("d" + std::to_string(depth)).c_str(), &srs, wkbUnknown, const_cast<char**>(noIndex));
        for (int depth : depths) {
            std::string hex;
            for (unsigned char c : nested(depth)) hex += CPLSPrintf("%02X", c);
            std::string sql = "INSERT INTO d" + std::to_string(depth) + " (geom) VALUES (X'" + hex + "')";
            ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        }
    }
    for (int depth : depths) {
        const std::string layer = "d" + std::to_string(depth);
        geo::VectorData arrow = readWith(true, path, layer);
        ASSERT_EQ(arrow.table.featureCount(), 1u) << layer;
        expectSameTables(readWith(false, path, layer).table, arrow.table, layer);
        if (depth <= 31) EXPECT_EQ(arrow.table.kinds[0], geo::GeomKind::Point) << layer;
        if (depth > 32) EXPECT_EQ(arrow.table.kinds[0], geo::GeomKind::None) << layer;
    }
}

// Found by fuzz_vector (tests/fuzz): the feature count a file states is reserved before reading, and a header
// claiming 2^40 features (here a GeoPackage's gpkg_ogr_contents) asked for terabytes. Both paths read the real rows.
TEST(ArrowReader, AFeatureCountOfTwoToTheFortyReadsTheRealRows) {
    auto dir = test::scratchDir("arrow_claimed_count");
    std::string path = dir + "/claims.gpkg";
    {
        geo::ensureGdal();
        GDALDatasetUniquePtr ds(
            GetGDALDriverManager()->GetDriverByName("GPKG")->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        OGRLayer* layer = ds->CreateLayer("t", &srs, wkbPoint, nullptr);
        for (const char* wkt : {"POINT (114.3 22.7)", "POINT (114.4 22.8)"}) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            f->SetGeometryDirectly(geometry(wkt));
            EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
    }
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        ds->ExecuteSQL("UPDATE gpkg_ogr_contents SET feature_count = 1099511627776", nullptr, nullptr);
    }
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
        ASSERT_EQ(ds->GetLayer(0)->GetFeatureCount(FALSE), GIntBig(1) << 40);  // the claim GDAL hands on
    }
    for (bool arrow : {true, false}) {
        geo::VectorData d = readWith(arrow, path, "t");
        EXPECT_EQ(d.table.featureCount(), 2u) << (arrow ? "arrow" : "loop");
        EXPECT_EQ(d.table.vertexCount(), 2u);
    }
}

}  // namespace

// A large layer's preview (SourceOptions::featureLimit): its first features in the source's order, exactly the
// limit through the feature loop, up to the end of the batch that reaches it through the Arrow stream.
TEST(ArrowReader, AFeatureLimitReadsTheFirstFeatures) {
    auto dir = test::scratchDir("arrow_limit");
    const std::string path = writeMixed("GPKG", dir + "/mixed.gpkg");
    const geo::VectorData all = readWith(false, path, "mixed");
    ASSERT_EQ(all.table.featureCount(), 12u);
    geo::SourceOptions limited;
    limited.featureLimit = 5;
    for (bool arrow : {false, true}) {
        const geo::VectorData head = readWith(arrow, path, "mixed", limited);
        if (arrow) {
            EXPECT_GE(head.table.featureCount(), 5u);
            EXPECT_LE(head.table.featureCount(), 12u);
        } else {
            EXPECT_EQ(head.table.featureCount(), 5u);
        }
        for (size_t f = 0; f < head.table.featureCount(); ++f) {
            EXPECT_EQ(head.table.fids[f], all.table.fids[f]) << (arrow ? "arrow" : "loop");
            EXPECT_EQ(head.table.kinds[f], all.table.kinds[f]);
        }
        for (const auto& w : head.warnings)
            EXPECT_EQ(w.find("stopped early"), std::string::npos) << "a preview is not a read that stopped early: " << w;
    }
    EXPECT_EQ(geo::quickFeatureCount(path, "mixed"), 12u);
    EXPECT_EQ(geo::quickFeatureCount(dir + "/missing.gpkg", "mixed"), 0u);
    EXPECT_EQ(geo::quickFeatureCount("PG:dbname=none", "t"), 0u) << "databases are not asked";
}

// A large GeoPackage read through the loop is read by two threads, half of the fid range each (source/split_read):
// the same table as one read, byte for byte, whatever gaps the fids have.
TEST(SplitRead, TwoHalvesReadByTwoThreadsAreTheWholeRead) {
    auto dir = test::scratchDir("split_read");
    const std::string mixed = writeMixed("GPKG", dir + "/mixed.gpkg", true);  // booleans: the loop reads it
    const std::string grid = dir + "/grid.gpkg";
    {
        GDALDatasetUniquePtr ds(
            GetGDALDriverManager()->GetDriverByName("GPKG")->Create(grid.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4547);
        OGRLayer* layer = ds->CreateLayer("grid", &srs, wkbPolygon, nullptr);
        OGRFieldDefn name("name", OFTString);
        ASSERT_EQ(layer->CreateField(&name), OGRERR_NONE);
        ASSERT_EQ(layer->StartTransaction(), OGRERR_NONE);
        for (int i = 0; i < 3000; ++i) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            if (i % 7) f->SetField(0, ("地块 " + std::to_string(i)).c_str());
            const double x = 500000 + (i % 60) * 10, y = 2500000 + (i / 60) * 10;
            f->SetGeometryDirectly(geometry(("POLYGON ((" + std::to_string(x) + " " + std::to_string(y) + "," +
                                             std::to_string(x + 8) + " " + std::to_string(y) + "," +
                                             std::to_string(x + 8) + " " + std::to_string(y + 5) + "," +
                                             std::to_string(x) + " " + std::to_string(y) + "))")
                                                .c_str()));
            ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
        for (GIntBig fid = 1; fid <= 3000; fid += 11) ASSERT_EQ(layer->DeleteFeature(fid), OGRERR_NONE);  // gaps
        ASSERT_EQ(layer->CommitTransaction(), OGRERR_NONE);
        // A view in another order: split, its halves would come back in fid order (views are read in one go).
        for (const char* sql :
             {"CREATE VIEW grid_view AS SELECT fid AS ofid, geom, name FROM grid ORDER BY name DESC",
              "INSERT INTO gpkg_contents (table_name, identifier, data_type, srs_id) "
              "VALUES ('grid_view', 'grid_view', 'features', 4547)",
              "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
              "VALUES ('grid_view', 'geom', 'POLYGON', 4547, 0, 0)"})
            ds->ExecuteSQL(sql, nullptr, nullptr);
    }
    for (const auto& [path, layer] : {std::pair{mixed, std::string("mixed")}, {grid, std::string("grid")},
                                      {grid, std::string("grid_view")}}) {
        setenv("PLANATLAS_SPLIT_READ", "0", 1);
        const geo::VectorData one = readWith(false, path, layer);
        setenv("PLANATLAS_SPLIT_READ", "4", 1);  // from 4 features on
        const geo::VectorData two = readWith(false, path, layer);
        unsetenv("PLANATLAS_SPLIT_READ");
        expectSameTables(one.table, two.table, path);
        EXPECT_EQ(one.warnings, two.warnings);
        EXPECT_EQ(one.skippedGeometries, two.skippedGeometries);
        EXPECT_EQ(one.otherKindParts, two.otherKindParts);
    }
    EXPECT_EQ(readWith(false, grid, "grid").table.featureCount(), 3000u - 273u);
    EXPECT_EQ(readWith(false, grid, "grid_view").table.featureCount(), 3000u - 273u);
}

namespace {

// Reads with the direct GeoPackage reader first (as the app does); GDAL's Arrow stream off, so that a layer the
// direct reader leaves is read by the loop.
geo::VectorData readDirectFirst(const std::string& path, const std::string& layer, const geo::SourceOptions& options = {}) {
    CPLSetThreadLocalConfigOption("PLANATLAS_ARROW_READ", "NO");
    geo::VectorData d = geo::readVectorLayer(path, layer, nullptr, options);
    CPLSetThreadLocalConfigOption("PLANATLAS_ARROW_READ", nullptr);
    return d;
}

// Whether the direct reader takes the layer: the features it read, or nothing.
std::optional<size_t> directRows(const std::string& path, const std::string& layerName) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    OGRLayer* layer = ds ? ds->GetLayerByName(layerName.c_str()) : nullptr;
    if (!layer) return std::nullopt;
    geo::VectorData out;
    std::vector<OGRFieldType> types;
    for (int i = 0; i < layer->GetLayerDefn()->GetFieldCount(); ++i) {
        const OGRFieldDefn* f = layer->GetLayerDefn()->GetFieldDefn(i);
        types.push_back(f->GetType());
        out.table.columns.emplace_back(f->GetNameRef(), f->GetType() == OFTReal ? geo::ColumnType::Real
                                                        : f->GetType() == OFTInteger || f->GetType() == OFTInteger64
                                                            ? geo::ColumnType::Integer
                                                            : geo::ColumnType::Text);
    }
    return geo::readGpkgDirect(path, *layer, types, layer->GetFeatureCount(FALSE), out, nullptr);
}

void expectSameData(const geo::VectorData& loop, const geo::VectorData& direct, const std::string& what) {
    expectSameTables(loop.table, direct.table, what);
    EXPECT_EQ(loop.warnings, direct.warnings) << what;
    EXPECT_EQ(loop.skippedGeometries, direct.skippedGeometries) << what;
    EXPECT_EQ(loop.otherKindParts, direct.otherKindParts) << what;
    EXPECT_EQ(loop.crs.definition(), direct.crs.definition()) << what;
    EXPECT_EQ(loop.repairedVertices.vertices, direct.repairedVertices.vertices) << what;
    // A box the direct reader kept of the vertices as it read them is their extent, to the bit.
    if (direct.readBounds) {
        const geo::BBox e = loop.table.extent(), b = *direct.readBounds;
        EXPECT_TRUE((e.empty() && b.empty()) ||
                    (e.minX == b.minX && e.minY == b.minY && e.maxX == b.maxX && e.maxY == b.maxY))
            << what;
    }
}

void runSql(const std::string& path, const std::string& sql) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    CPLErrorReset();
    ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    ASSERT_LT(CPLGetLastErrorType(), CE_Failure) << sql << ": " << CPLGetLastErrorMsg();
}

}  // namespace

// A GeoPackage table read straight from SQLite (source/gpkg_direct, #10) is the feature loop's table, byte for
// byte: every geometry kind, empty and null geometries, a mixed collection, Z and ZM, int64, booleans, reals, nulls
// and Chinese text; fids with gaps, read in one go and in two halves by two threads; big-endian WKB; the first
// features only (a preview). What it does not read exactly as GDAL would (a date field, a value stored as another
// type, a blob it cannot decode, a view) it leaves to GDAL, whose read is then the app's.
TEST(GpkgDirect, ReadsTheFeatureLoopsTableOrLeavesTheLayerToGdal) {
    auto dir = test::scratchDir("gpkg_direct");
    const std::string mixed = writeMixed("GPKG", dir + "/mixed.gpkg", true, false);
    ASSERT_EQ(directRows(mixed, "mixed"), 12u);
    expectSameData(readWith(false, mixed, "mixed"), readDirectFirst(mixed, "mixed"), "mixed");
    setenv("PLANATLAS_SPLIT_READ", "4", 1);  // two halves from 4 features on
    ASSERT_EQ(directRows(mixed, "mixed"), 12u);
    expectSameData(readWith(false, mixed, "mixed"), readDirectFirst(mixed, "mixed"), "mixed, two halves");
    unsetenv("PLANATLAS_SPLIT_READ");
    geo::SourceOptions head;
    head.featureLimit = 5;
    expectSameData(readWith(false, mixed, "mixed", head), readDirectFirst(mixed, "mixed", head), "mixed, first 5");
    EXPECT_EQ(readDirectFirst(mixed, "mixed", head).table.featureCount(), 5u);

    // Fids with gaps, big-endian WKB (a point and a polygon, as another writer might store them), two halves.
    const std::string grid = dir + "/grid.gpkg";
    {
        GDALDatasetUniquePtr ds(
            GetGDALDriverManager()->GetDriverByName("GPKG")->Create(grid.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4547);
        OGRLayer* layer = ds->CreateLayer("grid", &srs, wkbUnknown, nullptr);
        OGRFieldDefn name("name", OFTString), n("n", OFTInteger);
        ASSERT_EQ(layer->CreateField(&name), OGRERR_NONE);
        ASSERT_EQ(layer->CreateField(&n), OGRERR_NONE);
        ASSERT_EQ(layer->StartTransaction(), OGRERR_NONE);
        for (int i = 0; i < 1000; ++i) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            if (i % 7) f->SetField(0, ("地块 " + std::to_string(i)).c_str());
            f->SetField(1, i * 3);
            const double x = 500000 + (i % 40) * 10, y = 2500000 + (i / 40) * 10;
            const std::string ring = std::to_string(x) + " " + std::to_string(y) + "," + std::to_string(x + 8) + " " +
                                     std::to_string(y) + "," + std::to_string(x + 8) + " " + std::to_string(y + 5) +
                                     "," + std::to_string(x) + " " + std::to_string(y);
            f->SetGeometryDirectly(geometry(("POLYGON ((" + ring + "))").c_str()));
            ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
        for (GIntBig fid = 1; fid <= 1000; fid += 11) ASSERT_EQ(layer->DeleteFeature(fid), OGRERR_NONE);
        ASSERT_EQ(layer->CommitTransaction(), OGRERR_NONE);
    }
    // GP, version 0, flags 0 (big-endian header, no envelope), srs 4547; WKB 00 (big-endian), type 1, x, y.
    runSql(grid, "UPDATE grid SET geom = CAST(X'47500000000011C3' || X'0000000001' || X'411E848000000000' || "
                 "X'4143125000000000' AS BLOB) WHERE fid = 3");
    // ... a polygon of one ring of 4 points, stored as text (what || makes of blobs; GDAL reads its bytes).
    runSql(grid, "UPDATE grid SET geom = X'47500000000011C3' || X'0000000003' || X'00000001' || X'00000004' || "
                 "X'411E848000000000' || X'4143125000000000' || X'411E849000000000' || X'4143125000000000' || "
                 "X'411E849000000000' || X'4143126000000000' || X'411E848000000000' || X'4143125000000000' "
                 "WHERE fid = 4");
    ASSERT_EQ(directRows(grid, "grid"), 1000u - 91u);
    const geo::VectorData loop = readWith(false, grid, "grid");
    EXPECT_EQ(loop.table.kinds[1], geo::GeomKind::Point);  // fid 3 (fid 1 is gone)
    EXPECT_EQ(loop.table.kinds[2], geo::GeomKind::Polygon);
    expectSameData(loop, readDirectFirst(grid, "grid"), "grid");
    EXPECT_TRUE(readDirectFirst(grid, "grid").readBounds) << "every vertex seen, all usable";
    setenv("PLANATLAS_SPLIT_READ", "4", 1);
    expectSameData(loop, readDirectFirst(grid, "grid"), "grid, two halves");
    EXPECT_TRUE(readDirectFirst(grid, "grid").readBounds) << "two halves";
    unsetenv("PLANATLAS_SPLIT_READ");
    // A vertex at 9e307: no box from the reader, and the vertex dropped as the loop's read drops it.
    const std::string absurd = dir + "/absurd.gpkg";
    fs::copy_file(grid, absurd, fs::copy_options::overwrite_existing);
    runSql(absurd, "UPDATE grid SET geom = CAST(X'47500000000011C3' || X'0000000001' || X'7FE0000000000000' || "
                   "X'4143125000000000' AS BLOB) WHERE fid = 6");
    const geo::VectorData absurdDirect = readDirectFirst(absurd, "grid");
    EXPECT_FALSE(absurdDirect.readBounds);
    EXPECT_EQ(absurdDirect.repairedVertices.vertices, 1u);
    expectSameData(readWith(false, absurd, "grid"), absurdDirect, "a vertex at 9e307");

    // Rows that GDAL's scan gives in another order than the fids' (found by review): a fid that is not the rowid
    // (INTEGER PRIMARY KEY DESC) is left to GDAL; a table SQLite reads through a covering index (a wide column GDAL
    // does not show, an index on the others) is read in one go, in that order, not split.
    const std::string desc = dir + "/desc.gpkg";
    fs::copy_file(grid, desc, fs::copy_options::overwrite_existing);
    runSql(desc, "CREATE TABLE d (fid INTEGER PRIMARY KEY DESC, geom POINT, v TEXT)");
    runSql(desc, "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('d', 'features', 'd', 4547)");
    runSql(desc, "INSERT INTO gpkg_geometry_columns VALUES ('d', 'geom', 'POINT', 4547, 0, 0)");
    for (int fid : {5, 1, 9, 3, 7, 2, 8})
        runSql(desc, "INSERT INTO d (fid, geom, v) VALUES (" + std::to_string(fid) + ", (SELECT geom FROM grid WHERE fid = 3), 'v" +
                         std::to_string(fid) + "')");
    EXPECT_FALSE(directRows(desc, "d"));
    const geo::VectorData descLoop = readWith(false, desc, "d");
    ASSERT_EQ(descLoop.table.featureCount(), 7u);
    EXPECT_EQ(descLoop.table.fids[0], 5);
    setenv("PLANATLAS_SPLIT_READ", "2", 1);
    expectSameData(descLoop, readDirectFirst(desc, "d"), "INTEGER PRIMARY KEY DESC, two halves");
    const std::string covered = dir + "/covered.gpkg";
    fs::copy_file(grid, covered, fs::copy_options::overwrite_existing);
    runSql(covered, "ALTER TABLE grid ADD COLUMN wide POINT");  // a second geometry column: GDAL 3.6 hides it
    runSql(covered, "UPDATE grid SET wide = zeroblob(2000)");
    runSql(covered, "CREATE INDEX cover ON grid (name, n, geom)");
    runSql(covered, "ANALYZE");
    const geo::VectorData coveredLoop = readWith(false, covered, "grid");
    ASSERT_EQ(coveredLoop.table.featureCount(), 909u);
    ASSERT_EQ(directRows(covered, "grid"), 909u);
    expectSameData(coveredLoop, readDirectFirst(covered, "grid"), "a covering index, two halves asked for");
    unsetenv("PLANATLAS_SPLIT_READ");

    // Left to GDAL: a date field; a text in an INTEGER column; a blob it cannot decode (a curve, bytes that run out).
    const std::string dated = writeMixed("GPKG", dir + "/dated.gpkg", true, true);
    EXPECT_FALSE(directRows(dated, "mixed")) << "GDAL reformats dates";
    expectSameData(readWith(false, dated, "mixed"), readDirectFirst(dated, "mixed"), "dated");
    for (const char* sql : {"UPDATE grid SET n = 'abc' WHERE fid = 500",
                            "UPDATE grid SET n = 7, geom = X'47500001E6100000' || X'0108000000' || X'00000000' "
                            "WHERE fid = 500",  // an empty circular string
                            "UPDATE grid SET geom = X'47500001E6100000' || X'0103000000' || X'01000000' || "
                            "X'05000000' || X'0000000000000000' WHERE fid = 500"}) {  // a ring cut short
        const std::string file = dir + "/left.gpkg";
        fs::copy_file(grid, file, fs::copy_options::overwrite_existing);
        runSql(file, sql);
        EXPECT_FALSE(directRows(file, "grid")) << sql;
        CPLPushErrorHandler(CPLQuietErrorHandler);
        const geo::VectorData gdal = readWith(false, file, "grid"), app = readDirectFirst(file, "grid");
        CPLPopErrorHandler();
        expectSameData(gdal, app, sql);
    }
}

// A FlatGeobuf file whose damaged geometry GDAL 3.6's Arrow stream gives a negative length (the fuzzer's find,
// kept in its corpus): the batch is not trusted for it, the loop reads the file, and both reads give the same table
// or the same error.
TEST(ArrowReader, ANegativeGeometryLengthGoesToTheLoop) {
    std::ifstream in(test::sourceDir() + "/tests/fuzz/corpus/vector/regress_fgb_negative_wkb_length", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 1u);
    auto dir = test::scratchDir("arrow_negative_length");
    const std::string path = dir + "/damaged.fgb";
    std::ofstream(path, std::ios::binary) << bytes.substr(1);  // the first byte is the fuzzer's mode
    auto read = [&](bool arrow, std::string& error) {
        geo::VectorData d;
        CPLPushErrorHandler(CPLQuietErrorHandler);
        try {
            d = readWith(arrow, path, "");
        } catch (const geo::Error& e) {
            error = e.what();
        }
        CPLPopErrorHandler();
        return d;
    };
    std::string loopError, arrowError;
    const geo::VectorData loop = read(false, loopError), arrow = read(true, arrowError);
    EXPECT_EQ(loopError, arrowError);
    EXPECT_FALSE(arrowReads(path, "t")) << "the stream's batch holds a negative length";
    expectSameTables(loop.table, arrow.table, "a damaged FlatGeobuf");
    EXPECT_EQ(loop.skippedGeometries, arrow.skippedGeometries);
}

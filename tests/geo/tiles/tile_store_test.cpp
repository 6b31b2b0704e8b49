// Tile files: MBTiles written by MBTilesWriter and read back by TileFile and by GDAL, GeoPackage tile pyramids
// made by GDAL read through TileFile, and files that are not tile files.
#include "support/test_support.hpp"
#include "tiles/tile_store.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"

namespace {

constexpr double kHalf = 20037508.342789244;

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("tile_store") {}
};

// A w x h PNG filled with one colour, encoded by GDAL.
std::vector<uint8_t> solidPng(uint8_t r, uint8_t g, uint8_t b, int size = 256) {
    GDALAllRegister();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    GDALDatasetUniquePtr ds(mem->Create("", size, size, 3, GDT_Byte, nullptr));
    uint8_t rgb[3] = {r, g, b};
    for (int i = 0; i < 3; ++i) ds->GetRasterBand(i + 1)->Fill(rgb[i]);
    std::string name = "/vsimem/tile_store_test_" + std::to_string(r) + "_" + std::to_string(g) + ".png";
    GDALDatasetUniquePtr out(png->CreateCopy(name.c_str(), ds.get(), FALSE, nullptr, nullptr, nullptr));
    out.reset();
    vsi_l_offset n = 0;
    GByte* bytes = VSIGetMemFileBuffer(name.c_str(), &n, TRUE);
    std::vector<uint8_t> v(bytes, bytes + n);
    CPLFree(bytes);
    return v;
}

int rawTileRow(const std::string& path, int z, int x) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT tile_row FROM tiles WHERE zoom_level = ? AND tile_column = ?", -1, &s, nullptr);
    sqlite3_bind_int(s, 1, z);
    sqlite3_bind_int(s, 2, x);
    int row = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return row;
}

}  // namespace

TEST(TileStore, MBTilesWriterRowsAreTmsAndReadBackAsXyz) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    std::string path = dir.file("area.mbtiles");
    std::vector<uint8_t> red = solidPng(255, 0, 0), blue = solidPng(0, 0, 255);
    {
        geo::MBTilesWriter w(path);
        w.put({0, 0, 0}, blue);
        w.put({1, 1, 0}, red);  // north-east quarter
        w.put({2, 1, 0}, red);  // top row
        w.setMetadata({{"name", "area"}, {"format", "png"}, {"minzoom", "0"}, {"maxzoom", "2"}});
    }
    EXPECT_EQ(rawTileRow(path, 2, 1), 3);  // TMS: counted from the bottom
    EXPECT_EQ(rawTileRow(path, 1, 1), 1);

    auto f = geo::TileFile::open(path);
    EXPECT_EQ(f->grid().crs, "EPSG:3857");
    EXPECT_EQ(f->grid().maxLevel(), 2);
    EXPECT_EQ(f->grid().minLevel, 0);
    EXPECT_EQ(f->grid().tileWidth, 256);
    EXPECT_EQ(f->metadata().at("name"), "area");
    auto t = f->read({2, 1, 0});
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(*t, red);
    EXPECT_EQ(f->read({0, 0, 0}).value_or(std::vector<uint8_t>{}), blue);
    EXPECT_FALSE(f->read({2, 1, 3}).has_value());
    EXPECT_FALSE(f->read({3, 0, 0}).has_value());  // deeper than the file
    EXPECT_FALSE(f->read({2, 4, 0}).has_value());  // outside the matrix

    // Reopening keeps the tiles (resume) and replaces metadata rows.
    {
        geo::MBTilesWriter w(path);
        EXPECT_TRUE(w.has({2, 1, 0}));
        EXPECT_FALSE(w.has({2, 1, 3}));
        w.setMetadata({{"name", "renamed"}});
    }
    f = geo::TileFile::open(path);
    EXPECT_EQ(f->metadata().at("name"), "renamed");
    EXPECT_EQ(f->metadata().count("format"), 1u);
}

TEST(TileStore, GdalReadsTheWrittenMBTiles) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    std::string path = dir.file("ne.mbtiles");
    {
        geo::MBTilesWriter w(path);
        std::vector<uint8_t> red = solidPng(255, 0, 0);
        w.put({0, 0, 0}, solidPng(0, 0, 255));
        w.put({1, 1, 0}, red);
        w.setMetadata({{"name", "ne"},
                       {"format", "png"},
                       {"bounds", "0,0,180,85.0511287798066"},
                       {"minzoom", "0"},
                       {"maxzoom", "1"},
                       {"type", "baselayer"},
                       {"version", "1.3"}});
    }
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    ASSERT_TRUE(ds) << CPLGetLastErrorMsg();
    EXPECT_STREQ(ds->GetDriver()->GetDescription(), "MBTiles");
    double gt[6];
    ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
    // The north-east quarter of the world at zoom 1: one 256-pixel tile.
    EXPECT_NEAR(gt[0], 0.0, 1.0);
    EXPECT_NEAR(gt[3], kHalf, 1.0);
    EXPECT_NEAR(gt[1], kHalf / 256, 1e-3);
    EXPECT_NEAR(gt[5], -kHalf / 256, 1e-3);
    EXPECT_EQ(ds->GetRasterXSize(), 256);
    EXPECT_EQ(ds->GetRasterYSize(), 256);
    uint8_t px[4] = {};
    for (int b = 0; b < 3; ++b)
        ASSERT_EQ(ds->GetRasterBand(b + 1)->RasterIO(GF_Read, 128, 128, 1, 1, &px[b], 1, 1, GDT_Byte, 0, 0), CE_None);
    EXPECT_EQ(px[0], 255);  // the red tile, at the right place
    EXPECT_EQ(px[2], 0);
}

TEST(TileStore, RetinaTilesGiveA512PixelGrid) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    std::string path = dir.file("retina.mbtiles");
    {
        geo::MBTilesWriter w(path);
        w.put({1, 0, 1}, solidPng(10, 20, 30, 512));
    }
    auto f = geo::TileFile::open(path);
    EXPECT_EQ(f->grid().tileWidth, 512);
    EXPECT_EQ(f->grid().minLevel, 1);  // from the tiles: no metadata
    EXPECT_EQ(f->grid().maxLevel(), 1);
    EXPECT_TRUE(f->read({1, 0, 1}).has_value());
}

TEST(TileStore, GeoPackageTilesMadeByGdal) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    GDALAllRegister();
    // A 512 x 512 raster in Web Mercator around 10 km a side, tiled by GDAL's GeoPackage driver on the
    // GoogleMapsCompatible scheme, with one overview level.
    std::string path = dir.file("plan.gpkg");
    double res = 20.0, x0 = 12950000.0, y0 = 4860000.0;
    {
        GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
        GDALDatasetUniquePtr src(mem->Create("", 512, 512, 3, GDT_Byte, nullptr));
        double gt[6] = {x0, res, 0, y0, 0, -res};
        src->SetGeoTransform(gt);
        OGRSpatialReference srs;
        srs.importFromEPSG(3857);
        src->SetSpatialRef(&srs);
        for (int b = 1; b <= 3; ++b) src->GetRasterBand(b)->Fill(b == 2 ? 200 : 40);
        const char* options[] = {"TILING_SCHEME=GoogleMapsCompatible", "TILE_FORMAT=PNG", "RASTER_TABLE=plan", nullptr};
        GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
        GDALDatasetUniquePtr out(
            gpkg->CreateCopy(path.c_str(), src.get(), FALSE, const_cast<char**>(options), nullptr, nullptr));
        ASSERT_TRUE(out) << CPLGetLastErrorMsg();
        int factor = 2;
        ASSERT_EQ(out->BuildOverviews("NEAREST", 1, &factor, 0, nullptr, nullptr, nullptr), CE_None);
    }
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    double gt[6];
    ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);

    auto f = geo::TileFile::open(path);
    const geo::TileGrid& g = f->grid();
    EXPECT_EQ(g.crs, "EPSG:3857");
    EXPECT_EQ(g.tileWidth, 256);
    EXPECT_EQ(g.minLevel, 0);
    // GDAL writes the scheme's matrices from zoom 0 to the raster's: level index == zoom here.
    ASSERT_GE(g.levels.size(), 2u);
    EXPECT_EQ(f->metadata().at("identifier"), "plan");
    for (size_t z = 0; z < g.levels.size(); ++z) {
        EXPECT_EQ(g.levels[z].id, std::to_string(z));
        EXPECT_EQ(g.levels[z].matrixWidth, 1 << z);
        EXPECT_NEAR(g.levels[z].originX, -kHalf, 1.0);
        EXPECT_NEAR(g.levels[z].originY, kHalf, 1.0);
        EXPECT_NEAR(g.levels[z].resolution * 256 * g.levels[z].matrixWidth, 2 * kHalf, 1.0);
    }
    // The finest level is the raster's own resolution.
    const int last = g.maxLevel();
    EXPECT_NEAR(g.levels.back().resolution, gt[1], gt[1] * 1e-9);

    // The tile under the raster's middle is there at the two levels GDAL made; a tile far away is not, nor is
    // any tile of a level GDAL did not fill.
    double cx = x0 + 256 * res, cy = y0 - 256 * res;
    EXPECT_FALSE(f->read({last - 2, 0, 0}).has_value());
    for (int z = last - 1; z <= last; ++z) {
        const geo::TileMatrix& m = g.levels[size_t(z)];
        int x = int(std::floor((cx - m.originX) / (m.resolution * 256)));
        int y = int(std::floor((m.originY - cy) / (m.resolution * 256)));
        auto t = f->read({z, x, y});
        ASSERT_TRUE(t.has_value()) << "level " << z;
        EXPECT_GT(t->size(), 8u);
        EXPECT_FALSE(f->read({z, 0, 0}).has_value());
    }

    // Without the empty matrices the levels start at the first zoom level the file has.
    {
        sqlite3* db = nullptr;
        sqlite3_open(path.c_str(), &db);
        std::string sql = "DELETE FROM gpkg_tile_matrix WHERE zoom_level < " + std::to_string(last - 1);
        ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
    }
    auto trimmed = geo::TileFile::open(path);
    ASSERT_EQ(trimmed->grid().levels.size(), 2u);
    EXPECT_EQ(trimmed->grid().levels[0].id, std::to_string(last - 1));
    for (int z = 0; z < 2; ++z) {
        const geo::TileMatrix& m = trimmed->grid().levels[size_t(z)];
        int x = int(std::floor((cx - m.originX) / (m.resolution * 256)));
        int y = int(std::floor((m.originY - cy) / (m.resolution * 256)));
        EXPECT_EQ(trimmed->read({z, x, y}), f->read({last - 1 + z, x, y})) << "level " << z;
        EXPECT_TRUE(trimmed->read({z, x, y}).has_value());
    }

    try {
        geo::TileFile::open(path, "roads");
        FAIL() << "no such table";
    } catch (const geo::FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("plan"), std::string::npos) << e.what();
    }
}

TEST(TileStore, NotATileFileIsAFormatErrorNamingIt) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    std::string path = dir.file("broken.mbtiles");
    {
        std::ofstream out(path, std::ios::binary);
        out << "this is a text file, not an SQLite database, padded to look like one might......................";
    }
    try {
        geo::TileFile::open(path);
        FAIL() << "opened a text file";
    } catch (const geo::FormatError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }

    // An SQLite database without tiles.
    std::string other = dir.file("other.sqlite");
    sqlite3* db = nullptr;
    sqlite3_open(other.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t (a integer)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    EXPECT_THROW(geo::TileFile::open(other), geo::FormatError);

    EXPECT_THROW(geo::TileFile::open(dir.file("missing.mbtiles")), geo::IoError);
}

// `tiles pack`: a local MBTiles source copied over a lon/lat box and zoom range into a new MBTiles file; counts,
// resume, metadata, cancel, and the refusal of OpenStreetMap's own tile servers.
#include "support/test_support.hpp"
#include "tiles/tile_pack.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "tiles/tile_provider.hpp"
#include "tiles/tile_store.hpp"

namespace {

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("tile_pack") {}
};

std::vector<uint8_t> solidPng(uint8_t v) {
    GDALAllRegister();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    GDALDatasetUniquePtr ds(mem->Create("", 256, 256, 3, GDT_Byte, nullptr));
    for (int i = 1; i <= 3; ++i) ds->GetRasterBand(i)->Fill(v);
    std::string name = "/vsimem/tile_pack_test_" + std::to_string(v) + ".png";
    GDALDatasetUniquePtr out(png->CreateCopy(name.c_str(), ds.get(), FALSE, nullptr, nullptr, nullptr));
    out.reset();
    vsi_l_offset n = 0;
    GByte* bytes = VSIGetMemFileBuffer(name.c_str(), &n, TRUE);
    std::vector<uint8_t> v8(bytes, bytes + n);
    CPLFree(bytes);
    return v8;
}

// XYZ tile column / row of a lon/lat point.
int tileX(double lon, int z) {
    return int(std::floor((lon + 180.0) / 360.0 * (1 << z)));
}
int tileY(double lat, int z) {
    double r = lat * M_PI / 180.0;
    return int(std::floor((1.0 - std::asinh(std::tan(r)) / M_PI) / 2.0 * (1 << z)));
}

// A world source for zooms 0-4 where the tiles of even columns at zoom 4 are missing.
std::string makeSource(const TempDir& dir) {
    std::string path = dir.file("source.mbtiles");
    std::vector<uint8_t> a = solidPng(40), b = solidPng(200);
    geo::MBTilesWriter w(path);
    for (int z = 0; z <= 4; ++z)
        for (int x = 0; x < (1 << z); ++x)
            for (int y = 0; y < (1 << z); ++y)
                if (z < 4 || x % 2 == 1) w.put({z, x, y}, (x + y) % 2 ? a : b);
    w.setMetadata({{"name", "source"},
                   {"format", "png"},
                   {"minzoom", "0"},
                   {"maxzoom", "4"},
                   {"attribution", "Test data (c) Plan Atlas"}});
    return path;
}

std::shared_ptr<geo::TileProvider> openFile(const std::string& path) {
    geo::TileSourceSpec spec;
    spec.kind = geo::TileKind::MBTiles;
    spec.source = path;
    return geo::TileProvider::open(spec, geo::TileEnvironment{});
}

}  // namespace

TEST(TilePack, PacksABoxAndResumes) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    auto provider = openFile(makeSource(dir));

    geo::PackRequest req;
    req.lonLat = {-30.0, -10.0, 60.0, 50.0};
    req.minZoom = 1;
    req.maxZoom = 4;
    req.out = dir.file("out/pack.mbtiles");
    std::filesystem::create_directories(dir.file("out"));
    req.threads = 3;

    int64_t expected = 0, expectedAbsent = 0;
    for (int z = 1; z <= 4; ++z) {
        int x0 = tileX(-30, z), x1 = tileX(60, z), y0 = tileY(50, z), y1 = tileY(-10, z);
        expected += int64_t(x1 - x0 + 1) * (y1 - y0 + 1);
        if (z == 4)
            for (int x = x0; x <= x1; ++x)
                if (x % 2 == 0) expectedAbsent += y1 - y0 + 1;
    }

    geo::PackEstimate est = geo::estimatePack(*provider, req);
    EXPECT_EQ(est.tiles, expected);
    EXPECT_EQ(est.alreadyThere, 0);
    EXPECT_GT(est.bytes, 0);
    EXPECT_LT(est.bytes, expected * 20 * 1024);      // from the sampled tiles, not the 20 KB fallback
    EXPECT_FALSE(std::filesystem::exists(req.out));  // estimating creates nothing

    geo::JobProgress progress;
    geo::PackResult r = geo::packTiles(*provider, req, &progress);
    EXPECT_EQ(r.written, expected - expectedAbsent);
    EXPECT_EQ(r.absent, expectedAbsent);
    EXPECT_EQ(r.kept, 0);
    EXPECT_EQ(r.failed, 0) << r.firstError;
    EXPECT_FLOAT_EQ(progress.fraction(), 1.0f);

    auto out = geo::TileFile::open(req.out);
    const auto& md = out->metadata();
    EXPECT_EQ(md.at("name"), "pack");
    EXPECT_EQ(md.at("format"), "png");
    EXPECT_EQ(md.at("minzoom"), "1");
    EXPECT_EQ(md.at("maxzoom"), "4");
    EXPECT_EQ(md.at("bounds"), "-30,-10,60,50");
    EXPECT_EQ(md.at("attribution"), "Test data (c) Plan Atlas");
    EXPECT_EQ(md.at("type"), "baselayer");
    EXPECT_EQ(md.count("version"), 1u);
    // The same bytes at the same place, and nothing outside the box.
    int z = 3, x = tileX(10, z), y = tileY(20, z);
    EXPECT_EQ(out->read({z, x, y}), provider->fetch({z, x, y}).data);
    EXPECT_FALSE(out->read({3, tileX(-100, 3), y}).has_value());
    EXPECT_FALSE(out->read({0, 0, 0}).has_value());
    out.reset();

    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(req.out.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    EXPECT_TRUE(ds) << CPLGetLastErrorMsg();
    ds.reset();

    // A rerun keeps every tile and fetches nothing new.
    est = geo::estimatePack(*provider, req);
    EXPECT_EQ(est.alreadyThere, r.written);
    geo::PackResult again = geo::packTiles(*provider, req);
    EXPECT_EQ(again.written, 0);
    EXPECT_EQ(again.kept, r.written);
    EXPECT_EQ(again.absent, expectedAbsent);
    EXPECT_EQ(again.failed, 0);

    // Widening the zoom range adds only the new level and widens the metadata.
    req.minZoom = 0;
    geo::PackResult wider = geo::packTiles(*provider, req);
    EXPECT_EQ(wider.written, 1);
    EXPECT_EQ(wider.kept, r.written);
    EXPECT_EQ(geo::TileFile::open(req.out)->metadata().at("minzoom"), "0");
}

TEST(TilePack, CancelStopsAndARerunCompletes) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    auto provider = openFile(makeSource(dir));
    geo::PackRequest req;
    req.lonLat = {-180.0, -85.0, 180.0, 85.0};
    req.minZoom = 0;
    req.maxZoom = 3;
    req.out = dir.file("cancel.mbtiles");
    geo::JobProgress progress;
    progress.cancel();
    EXPECT_THROW(geo::packTiles(*provider, req, &progress), geo::Cancelled);

    geo::PackResult r = geo::packTiles(*provider, req);
    EXPECT_EQ(r.written + r.kept, 1 + 4 + 16 + 64);
    EXPECT_EQ(r.failed, 0);
    EXPECT_EQ(geo::TileFile::open(req.out)->grid().maxLevel(), 3);
}

TEST(TilePack, BadRequestsAndUnwritableOutput) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    auto provider = openFile(makeSource(dir));
    geo::PackRequest req;
    req.lonLat = {0.0, 0.0, 10.0, 10.0};
    req.minZoom = 6;
    req.maxZoom = 8;  // the source stops at 4
    req.out = dir.file("x.mbtiles");
    EXPECT_THROW(geo::estimatePack(*provider, req), geo::Error);
    req.minZoom = 2;
    req.maxZoom = 1;
    EXPECT_THROW(geo::packTiles(*provider, req), geo::Error);

    req.minZoom = req.maxZoom = 1;
    req.out = dir.file("no/such/folder/x.mbtiles");
    EXPECT_THROW(geo::packTiles(*provider, req), geo::IoError);
}

TEST(TilePack, OpenStreetMapTileServersAreRefused) {
    geo::TileSourceSpec spec;
    spec.kind = geo::TileKind::Xyz;
    for (const char* url : {"https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
                            "https://b.tile.openstreetmap.org/{z}/{x}/{y}.png"}) {
        spec.source = url;
        spec.options.subdomains = "abc";
        auto osm = geo::TileProvider::open(spec, geo::TileEnvironment{});
        try {
            geo::checkBulkDownloadAllowed(*osm);
            ADD_FAILURE() << url << " allowed";
        } catch (const geo::Error& e) {
            std::string m = e.what();
            EXPECT_NE(m.find("https://operations.osmfoundation.org/policies/tiles/"), std::string::npos) << m;
            EXPECT_NE(m.find("MBTiles"), std::string::npos) << m;
        }
        geo::PackRequest req;
        req.lonLat = {0.0, 0.0, 1.0, 1.0};
        req.out = "/nonexistent/never-written.mbtiles";
        EXPECT_THROW(geo::packTiles(*osm, req), geo::Error);
    }
    spec.source = "https://tiles.example.test/openstreetmap.org/{z}/{x}/{y}.png";
    EXPECT_NO_THROW(geo::checkBulkDownloadAllowed(*geo::TileProvider::open(spec, geo::TileEnvironment{})));
    spec.source = "https://nottile.openstreetmap.org.example.test/{z}/{x}/{y}.png";
    EXPECT_NO_THROW(geo::checkBulkDownloadAllowed(*geo::TileProvider::open(spec, geo::TileEnvironment{})));

    TempDir dir;
    ASSERT_TRUE(dir.ok());
    EXPECT_NO_THROW(geo::checkBulkDownloadAllowed(*openFile(makeSource(dir))));
}

// Tile basemaps on the GPU (app/render/tile_layer): ancestors stand in while tiles load, the texture budget holds
// while panning, and headless outputs draw every tile they prefetched. Tiles come from a local MBTiles file whose
// levels have distinct solid colours, so what is drawn says which level it came from.
#include <gtest/gtest.h>

#include <gdal.h>
#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "gl/gl_support.hpp"
#include "render/map_renderer.hpp"
#include "render/tile_layer.hpp"
#include "tiles/tile_provider.hpp"
#include "tiles/tile_store.hpp"

namespace fs = std::filesystem;

namespace {

const uint8_t kLevelColour[7][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {200, 0, 0}, {0, 180, 0}, {0, 0, 220}, {220, 200, 0}};

std::vector<uint8_t> solidPng(const uint8_t rgb[3]) {
    GDALAllRegister();
    GDALDatasetH mem = GDALCreate(GDALGetDriverByName("MEM"), "", 256, 256, 3, GDT_Byte, nullptr);
    for (int b = 0; b < 3; ++b) GDALFillRaster(GDALGetRasterBand(mem, b + 1), rgb[b], 0);
    const std::string name = "/vsimem/tiles_gltest_" + std::to_string(rgb[0]) + "_" + std::to_string(rgb[1]) + ".png";
    GDALClose(GDALCreateCopy(GDALGetDriverByName("PNG"), name.c_str(), mem, FALSE, nullptr, nullptr, nullptr));
    GDALClose(mem);
    vsi_l_offset size = 0;
    GByte* data = VSIGetMemFileBuffer(name.c_str(), &size, TRUE);
    std::vector<uint8_t> out(data, data + size);
    CPLFree(data);
    return out;
}

// Web Mercator tile of (lon, lat) at z.
geo::TileKey tileAt(double lon, double lat, int z) {
    double n = std::ldexp(1.0, z), r = lat * M_PI / 180.0;
    return {z, int((lon + 180.0) / 360.0 * n), int((1.0 - std::asinh(std::tan(r)) / M_PI) / 2.0 * n)};
}

class TileLayerGl : public ::testing::Test {
protected:
    void SetUp() override {
        test::useGlContext();
        renderer_ = std::make_unique<app::render::MapRenderer>();
        dir_ = fs::temp_directory_path() / ("tiles_gltest_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        path_ = (dir_ / "levels.mbtiles").string();
        {
            geo::MBTilesWriter w(path_);
            for (int z = 3; z <= 6; ++z) {
                std::vector<uint8_t> png = solidPng(kLevelColour[z]);
                geo::TileKey a = tileAt(100.0, 40.0, z), b = tileAt(179.0, 5.0, z);
                for (int y = a.y; y <= b.y; ++y)
                    for (int x = a.x; x <= b.x; ++x) w.put({z, x, y}, png);
            }
            w.setMetadata({{"name", "levels"}, {"format", "png"}, {"minzoom", "3"}, {"maxzoom", "6"},
                           {"bounds", "100,5,179,40"}});
        }
        geo::TileSourceSpec spec;
        spec.kind = geo::TileKind::MBTiles;
        spec.source = path_;
        provider_ = geo::TileProvider::open(spec, geo::TileEnvironment{});
    }
    void TearDown() override { fs::remove_all(dir_); }

    // A `side` x `side` view centred on 114E 22N whose resolution picks level z.
    geo::View viewAtLevel(int z, int side = 256) const {
        geo::View v;
        v.width = v.height = side;
        const double half = 20037508.342789244;
        v.resolution = 2 * half / (256.0 * std::ldexp(1.0, z));
        v.centerX = 114.0 * half / 180.0;
        v.centerY = std::log(std::tan(M_PI / 4 + 22.0 * M_PI / 360.0)) * half / M_PI;
        return v;
    }
    std::vector<uint8_t> draw(const std::shared_ptr<app::render::GpuTileLayer>& layer, const geo::View& v) {
        app::render::DrawItem item;
        item.tiles = layer;
        return renderer_->renderImage(v, {item}, {255, 255, 255, 255}, 1.0f, 2048);
    }
    // prepare() until every tile of `v` is on the GPU and faded in.
    void settle(app::render::GpuTileLayer& layer, const geo::View& v) {
        auto start = std::chrono::steady_clock::now();
        auto alias = std::shared_ptr<app::render::GpuTileLayer>(&layer, [](auto*) {});
        do {  // frames as the viewer draws them: prepare, then draw (fade-ins end on drawn frames)
            layer.prepare(v, 1000.0);
            draw(alias, v);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            ASSERT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60)) << "tiles never arrived";
        } while (layer.pendingTiles() > 0 || layer.animating());
    }
    static std::array<int, 3> centre(const std::vector<uint8_t>& rgba) {
        size_t i = (128 * 256 + 128) * 4;
        return {rgba[i], rgba[i + 1], rgba[i + 2]};
    }
    static std::array<int, 3> colour(int z) { return {kLevelColour[z][0], kLevelColour[z][1], kLevelColour[z][2]}; }

    fs::path dir_;
    std::string path_;
    std::shared_ptr<geo::TileProvider> provider_;
    std::unique_ptr<app::render::MapRenderer> renderer_;
};

TEST_F(TileLayerGl, LevelFollowsTheOutputResolution) {
    auto layer = std::make_shared<app::render::GpuTileLayer>(provider_, geo::Crs::fromUser("EPSG:3857"), false);
    for (int z = 3; z <= 6; ++z) {
        settle(*layer, viewAtLevel(z));
        EXPECT_EQ(layer->level(), z);
        EXPECT_EQ(centre(draw(layer, viewAtLevel(z))), colour(z)) << "level " << z;
    }
}

TEST_F(TileLayerGl, AnAncestorStandsInWhileTilesLoad) {
    auto layer = std::make_shared<app::render::GpuTileLayer>(provider_, geo::Crs::fromUser("EPSG:3857"), false);
    settle(*layer, viewAtLevel(4));
    // Zoomed in two levels: the level-6 tiles are only requested by this prepare (uploads come in later ones), so
    // the frame right after it shows the level-4 parent, not a blank map.
    layer->prepare(viewAtLevel(6), 1000.0);
    EXPECT_GT(layer->pendingTiles(), 0u);
    EXPECT_EQ(centre(draw(layer, viewAtLevel(6))), colour(4));
    settle(*layer, viewAtLevel(6));
    EXPECT_EQ(centre(draw(layer, viewAtLevel(6))), colour(6));
}

TEST_F(TileLayerGl, ChildrenStandInWhenZoomingOut) {
    auto layer = std::make_shared<app::render::GpuTileLayer>(provider_, geo::Crs::fromUser("EPSG:3857"), false);
    settle(*layer, viewAtLevel(6, 1024));  // every child of the level-5 tiles of the smaller view below
    layer->prepare(viewAtLevel(5), 1000.0);
    EXPECT_EQ(centre(draw(layer, viewAtLevel(5))), colour(6));
}

TEST_F(TileLayerGl, TheTextureBudgetHoldsWhilePanning) {
    auto layer = std::make_shared<app::render::GpuTileLayer>(provider_, geo::Crs::fromUser("EPSG:3857"), false);
    const size_t tileBytes = 256 * 256 * 4;
    layer->setGpuBudget(6 * tileBytes);
    size_t most = 0;
    geo::View v = viewAtLevel(6);
    for (int step = 0; step < 10; ++step) {  // a pan across 10 tile widths of level 6
        v.centerX += 256 * v.resolution;
        settle(*layer, v);
        most = std::max(most, layer->residentBytes());
        EXPECT_EQ(centre(draw(layer, v)), colour(6)) << "step " << step;
    }
    // The budget, plus what one frame needs (a 256-px view touches at most 4 tiles) and their meshes.
    EXPECT_LE(most, 6 * tileBytes + 4 * tileBytes + 64 * 1024);
}

TEST_F(TileLayerGl, HeadlessOutputsPrefetchAndDrawEveryTile) {
    auto screen = std::make_shared<app::render::GpuTileLayer>(provider_, geo::Crs::fromUser("EPSG:3857"), false);
    std::vector<app::render::DrawItem> items(1);
    items[0].tiles = screen;
    std::vector<std::string> warnings;
    app::render::prepareTilesForOutput(items, viewAtLevel(5), false, warnings);
    EXPECT_TRUE(warnings.empty());
    EXPECT_NE(items[0].tiles, screen);  // the output's own layer; the screen's keeps its state
    EXPECT_EQ(screen->residentTiles(), 0u);
    std::vector<uint8_t> rgba = renderer_->renderImage(viewAtLevel(5), items, {255, 255, 255, 255}, 1.0f, 128);
    for (int y = 0; y < 256; y += 17)
        for (int x = 0; x < 256; x += 17) {
            size_t i = (size_t(y) * 256 + size_t(x)) * 4;
            ASSERT_EQ((std::array<int, 3>{rgba[i], rgba[i + 1], rgba[i + 2]}), colour(5)) << x << "," << y;
        }
}

TEST_F(TileLayerGl, HeadlessOutputsFailOnTilesOutsideTheFileOnlyAsAbsent) {
    // A view where the file has no tiles: absent, not missing (a file cannot fail a fetch); said in a warning.
    geo::View v = viewAtLevel(5);
    v.centerX = -v.centerX;  // 114 W: outside the file's tiles
    std::vector<app::render::DrawItem> items(1);
    items[0].tiles = std::make_shared<app::render::GpuTileLayer>(provider_, geo::Crs::fromUser("EPSG:3857"), false);
    std::vector<std::string> warnings;
    app::render::prepareTilesForOutput(items, v, false, warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("no tiles in this area"), std::string::npos) << warnings[0];
}

}  // namespace

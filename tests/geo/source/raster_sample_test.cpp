// Large rasters without overviews (#13, #10): a 200000 x 200000 sparse GeoTIFF (made here, ~7 MB) is read whole in
// bounded time, drawn where its data is, and says how to make it sharp; a small raster still takes the plain warp,
// and a tight budget makes the sample coarser, not the read longer. (No timed assertions: the ctest TIMEOUT of
// this binary's tests is what fails a return to minutes.)
#include <gtest/gtest.h>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "core/error.hpp"
#include "crs/crs.hpp"
#include "source/gdal_handles.hpp"
#include "source/raster_sample.hpp"
#include "source/raster_source.hpp"
#include "support/test_support.hpp"

namespace {

constexpr int kSide = 200000;
// EPSG:4547 (CGCS2000 / 3-degree GK CM 114E), 1 m pixels: x 400000..600000, y 2400000..2600000.
constexpr double kMinX = 400000, kMaxY = 2600000;

// A tiled, sparse RGB GeoTIFF of kSide x kSide pixels with nodata 0, holding data only in the squares given
// (x, y, side in pixels, colour): the rest of the file is its tile index.
std::string makeSparse(const std::string& dir, const std::vector<std::array<int, 6>>& squares) {
    geo::ensureGdal();
    const std::string path = dir + "/sparse.tif";
    CPLStringList opts;
    for (const char* o : {"TILED=YES", "SPARSE_OK=YES", "COMPRESS=DEFLATE", "BIGTIFF=YES", "BLOCKXSIZE=256",
                          "BLOCKYSIZE=256"})
        opts.AddString(o);
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(gtiff->Create(path.c_str(), kSide, kSide, 3, GDT_Byte, opts.List()));
    EXPECT_TRUE(ds);
    double gt[6] = {kMinX, 1, 0, kMaxY, 0, -1};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(4547);
    ds->SetSpatialRef(&srs);
    for (int b = 1; b <= 3; ++b) ds->GetRasterBand(b)->SetNoDataValue(0);
    for (const auto& q : squares) {
        const int side = q[2];
        std::vector<uint8_t> px(size_t(side) * side);
        for (int b = 0; b < 3; ++b) {
            std::fill(px.begin(), px.end(), uint8_t(q[3 + b]));
            EXPECT_EQ(ds->GetRasterBand(b + 1)->RasterIO(GF_Write, q[0], q[1], side, side, px.data(), side, side, GDT_Byte,
                                                         0, 0, nullptr),
                      CE_None);
        }
    }
    return path;
}

std::string scratchForThisTest() {
    return test::scratchDir(std::string("raster_sample_") +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
}

const uint8_t* pixel(const geo::RasterImage& img, int x, int y) { return &img.rgba[(size_t(y) * img.width + x) * 4]; }

TEST(LargeRaster, SparseTwoHundredThousandSquareIsSampledAndDrawn) {
    const std::string dir = scratchForThisTest();
    // A red square of 4000 px centred at (100000, 100000) and a blue one of 2048 px near the top-left corner.
    const std::string path = makeSparse(dir, {{98000, 98000, 4000, 220, 30, 30}, {20000, 20000, 2048, 30, 30, 220}});
    const geo::Crs crs = geo::Crs::fromUser("EPSG:4547");
    geo::JobProgress progress;
    const geo::RasterImage img = geo::readRaster(path, crs, geo::BBox{}, 1000, 1000, &progress);
    ASSERT_EQ(img.width, 1000);
    ASSERT_EQ(img.height, 1000);
    EXPECT_TRUE(img.sampled);
    ASSERT_FALSE(img.warnings.empty());
    const std::string& w = img.warnings.back();
    EXPECT_NE(w.find("200000x200000"), std::string::npos) << w;
    EXPECT_NE(w.find("gdaladdo"), std::string::npos) << w;
    EXPECT_NE(w.find("SPARSE_OK_OVERVIEW"), std::string::npos) << "a sparse file's overviews must stay sparse: " << w;
    // 200 m an output pixel: the red square covers pixels 490..510, the blue one 100..110.
    const uint8_t* red = pixel(img, 500, 500);
    EXPECT_GT(red[0], 180);
    EXPECT_LT(red[2], 80);
    EXPECT_EQ(red[3], 255);
    const uint8_t* blue = pixel(img, 105, 105);
    EXPECT_GT(blue[2], 180);
    EXPECT_EQ(blue[3], 255);
    // Elsewhere nodata: transparent.
    EXPECT_EQ(pixel(img, 300, 700)[3], 0);
    EXPECT_EQ(pixel(img, 900, 100)[3], 0);
    // The coloured pixels are where the squares are, and nowhere else.
    size_t redPixels = 0, bluePixels = 0, other = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            const uint8_t* p = pixel(img, x, y);
            if (p[3] < 128) continue;
            if (p[0] > 150 && p[2] < 100) ++redPixels;
            else if (p[2] > 150 && p[0] < 100) ++bluePixels;
            else ++other;
        }
    EXPECT_NEAR(double(redPixels), 400, 80);   // 20 x 20
    EXPECT_NEAR(double(bluePixels), 100, 40);  // about 10 x 10
    EXPECT_LT(other, 200u) << "edge pixels only";
}

TEST(LargeRaster, ZoomedWindowOfTheSparseRasterIsRead) {
    const std::string dir = scratchForThisTest();
    const std::string path = makeSparse(dir, {{98000, 98000, 4000, 220, 30, 30}});
    const geo::Crs crs = geo::Crs::fromUser("EPSG:4547");
    // A 6000 m window around the red square's top-left corner, at 10 m a pixel: a plain warp (36 Mpx).
    geo::BBox window;
    window.add(kMinX + 95000, kMaxY - 101000);
    window.add(kMinX + 101000, kMaxY - 95000);
    const geo::RasterImage img = geo::readRaster(path, crs, window, 600, 600, nullptr);
    EXPECT_FALSE(img.sampled);
    ASSERT_EQ(img.width, 600);
    // The square starts 3000 m into the window: pixel 300.
    EXPECT_EQ(pixel(img, 295, 400)[3], 0);
    EXPECT_EQ(pixel(img, 400, 295)[3], 0);
    EXPECT_GT(pixel(img, 305, 305)[0], 180);
    EXPECT_EQ(pixel(img, 305, 305)[3], 255);
}

TEST(LargeRaster, SmallRasterTakesThePlainWarp) {
    const std::string dir = scratchForThisTest();
    geo::ensureGdal();
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(gtiff->Create((dir + "/small.tif").c_str(), 500, 400, 1, GDT_Byte, nullptr));
    double gt[6] = {kMinX, 2, 0, kMaxY, 0, -2};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(4547);
    ds->SetSpatialRef(&srs);
    ds.reset();
    std::string err;
    auto opened = geo::openDataset(dir + "/small.tif", GDAL_OF_RASTER, nullptr, err);
    ASSERT_TRUE(opened) << err;
    EXPECT_FALSE(geo::planSample(*opened, {0, 0, 500, 400}, 50, 40, nullptr));
    const geo::RasterImage img = geo::readRaster(dir + "/small.tif", geo::Crs::fromUser("EPSG:4547"), {}, 250, 200);
    EXPECT_FALSE(img.sampled);
    EXPECT_TRUE(img.warnings.empty());
    EXPECT_NEAR(img.sourceResolution, 2.0, 1e-9);
}

// A tight budget: the grid gets coarser (and says so) until the data blocks it touches fit; empty blocks are
// never counted.
TEST(LargeRaster, BudgetMakesTheSampleCoarserNotTheReadLonger) {
    const std::string dir = scratchForThisTest();
    const std::string path = makeSparse(dir, {{0, 0, 8192, 200, 200, 200}});  // 32 x 32 blocks of data
    std::string err;
    auto ds = geo::openDataset(path, GDAL_OF_RASTER, nullptr, err);
    ASSERT_TRUE(ds) << err;
    geo::ReadBudget budget;
    budget.directPixels = 1e6;
    budget.samplePixels = 64 * 65536.0;  // 64 blocks
    auto plan = geo::planSample(*ds, {0, 0, kSide, kSide}, 2000, 2000, nullptr, budget);
    ASSERT_TRUE(plan);
    EXPECT_TRUE(plan->reduced);
    EXPECT_LE(plan->decodedPixels, budget.samplePixels);
    EXPECT_GT(plan->dataBlocks, 0u);
    EXPECT_LE(plan->dataBlocks, 64u);
    EXPECT_LT(plan->gridWidth, 4000);
    // Without the tight budget, every data block the 4000-wide grid touches is read: all 1024 of them.
    budget.samplePixels = geo::kSampleDecodePixels;
    auto full = geo::planSample(*ds, {0, 0, kSide, kSide}, 2000, 2000, nullptr, budget);
    ASSERT_TRUE(full);
    EXPECT_FALSE(full->reduced);
    EXPECT_EQ(full->gridWidth, 4000);
    EXPECT_EQ(full->dataBlocks, 32u * 32u);
    auto sample = geo::readSample(*ds, {0, 0, kSide, kSide}, *plan, path, nullptr);
    ASSERT_TRUE(sample && sample->dataset);
    EXPECT_EQ(sample->dataset->GetRasterXSize(), plan->gridWidth);
    // The grey corner is in the sample, at its top left.
    uint8_t v = 0;
    ASSERT_EQ(sample->dataset->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, 1, 1, &v, 1, 1, GDT_Byte, 0, 0, nullptr), CE_None);
    EXPECT_EQ(v, 200);
}

TEST(LargeRaster, CancelStopsTheSample) {
    const std::string dir = scratchForThisTest();
    const std::string path = makeSparse(dir, {{98000, 98000, 4000, 220, 30, 30}});
    geo::JobProgress progress;
    progress.cancel();
    EXPECT_THROW(geo::readRaster(path, geo::Crs::fromUser("EPSG:4547"), geo::BBox{}, 1000, 1000, &progress),
                 geo::Cancelled);
}

}  // namespace

// Rasters in `planatlas render` and `export` (#9, #10, #13), the real binary end to end:
// - an export reads each tile's window at the output's resolution, so an export at the raster's own resolution
//   reproduces its pixels (compared with GDAL reading / warping the same window on the same grid), not an
//   upsampled overview;
// - a 200000 x 200000 sparse GeoTIFF without overviews renders (bounded sample, a message suggesting gdaladdo)
//   instead of reading for minutes; the ctest TIMEOUT is what fails a regression (no timed assertion here).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include "export/image_writer.hpp"
#include "project/project.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

int runBinary(const std::string& args, const std::string& log, std::string* err = nullptr) {
    const std::string cmd = std::string(PLANATLAS_BINARY) + " " + args + " 2>" + log;
    const int status = std::system(cmd.c_str());
    if (err) {
        std::ifstream in(log);
        *err = std::string((std::istreambuf_iterator<char>(in)), {});
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// EPSG:4547, 1 m pixels from (kX0, kY0) at the top left.
constexpr double kX0 = 500000, kY0 = 2520000;

GDALDatasetUniquePtr createTiff(const std::string& path, int w, int h, int bands, std::vector<const char*> options) {
    geo::ensureGdal();
    CPLStringList opts;
    for (const char* o : options) opts.AddString(o);
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(gtiff->Create(path.c_str(), w, h, bands, GDT_Byte, opts.List()));
    double gt[6] = {kX0, 1, 0, kY0, 0, -1};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(4547);
    ds->SetSpatialRef(&srs);
    return ds;
}

// 6000 x 6000 grey pixels without overviews: a one-pixel checkerboard over a coarse pattern, so any resampling
// (an overview, a shifted grid) shows.
std::string makeFineRaster(const std::string& dir) {
    const std::string path = dir + "/fine.tif";
    const int n = 6000;
    GDALDatasetUniquePtr ds = createTiff(path, n, n, 1, {"TILED=YES", "COMPRESS=DEFLATE"});
    std::vector<uint8_t> rows(size_t(n) * 500);
    for (int y0 = 0; y0 < n; y0 += 500) {
        for (int y = 0; y < 500; ++y)
            for (int x = 0; x < n; ++x)
                rows[size_t(y) * n + x] = uint8_t(((x + y0 + y) % 2) * 150 + (x / 100) % 50 + ((y0 + y) / 100) % 50);
        EXPECT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, y0, n, 500, rows.data(), n, 500, GDT_Byte, 0, 0, nullptr),
                  CE_None);
    }
    return path;
}

std::string rasterProject(const std::string& dir, const std::string& raster, const std::string& crs) {
    geo::Project p;
    p.title = "raster";
    p.displayCrs = crs;
    geo::ProjectLayer l;
    l.name = "fine";
    l.source = raster;
    l.layer = "raster";
    p.layers.push_back(l);
    const std::string path = dir + "/raster.atlas.json";
    geo::saveProject(p, path);
    return path;
}

// Band 1 of `ds` (grey) against the red channel of the export, over the export's pixels.
struct Difference {
    double mean = 0;
    double within2 = 0;  // share of pixels within 2 levels
    double within16 = 0;
};
Difference compare(GDALDataset& reference, const std::vector<uint8_t>& rgba, int w, int h) {
    std::vector<uint8_t> ref(size_t(w) * h);
    EXPECT_EQ(reference.GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w, h, ref.data(), w, h, GDT_Byte, 0, 0, nullptr),
              CE_None);
    Difference d;
    for (size_t i = 0; i < ref.size(); ++i) {
        const int diff = std::abs(int(ref[i]) - int(rgba[4 * i]));
        d.mean += diff;
        d.within2 += diff <= 2;
        d.within16 += diff <= 16;
    }
    d.mean /= double(ref.size());
    d.within2 /= double(ref.size());
    d.within16 /= double(ref.size());
    return d;
}

// At the raster's own resolution and grid, in its CRS: the export is the raster's pixels (4 tiles of 2048 px, so
// tile seams are covered too). Before per-tile reads it showed a 4096 px overview of the 6000 px raster, scaled
// back up: the checkerboard was gone.
TEST(ExportRaster, AtTheRastersResolutionTheExportIsItsPixels) {
    const std::string dir = test::scratchDir("export_raster_native");
    const std::string raster = makeFineRaster(dir);
    const std::string project = rasterProject(dir, raster, "EPSG:4547");
    // 3000 x 2000 m from (kX0 + 1500, kY0 - 2500): whole source pixels.
    char bbox[160];
    std::snprintf(bbox, sizeof bbox, "%.0f,%.0f,%.0f,%.0f", kX0 + 1500, kY0 - 4500, kX0 + 4500, kY0 - 2500);
    std::string err;
    ASSERT_EQ(runBinary("export --project " + project + " --bbox " + bbox + " --size 3000x2000 --no-decorations --out " +
                            dir + "/e.tif",
                        dir + "/../export_raster_native.txt", &err),
              0)
        << err;
    int w = 0, h = 0;
    const std::vector<uint8_t> out = geo::readImageRgba(dir + "/e.tif", w, h);
    ASSERT_EQ(w, 3000);
    ASSERT_EQ(h, 2000);
    // The same window of the source, as gdal_translate -srcwin 1500 2500 3000 2000 gives it.
    std::string openErr;
    auto src = geo::openDataset(raster, GDAL_OF_RASTER, nullptr, openErr);
    ASSERT_TRUE(src) << openErr;
    CPLStringList args;
    for (const char* a : {"-of", "MEM", "-srcwin", "1500", "2500", "3000", "2000"}) args.AddString(a);
    GDALTranslateOptions* opts = GDALTranslateOptionsNew(args.List(), nullptr);
    GDALDatasetUniquePtr ref(GDALDataset::FromHandle(GDALTranslate("", GDALDataset::ToHandle(src.get()), opts, nullptr)));
    GDALTranslateOptionsFree(opts);
    ASSERT_TRUE(ref);
    const Difference d = compare(*ref, out, w, h);
    EXPECT_LT(d.mean, 1.0);
    EXPECT_GT(d.within2, 0.99) << "mean difference " << d.mean;
}

// Reprojected (EPSG:3857): the export equals gdalwarp of the raster on the export's own grid (bilinear).
TEST(ExportRaster, ReprojectedExportEqualsGdalwarpOnTheSameGrid) {
    const std::string dir = test::scratchDir("export_raster_warped");
    const std::string raster = makeFineRaster(dir);
    const std::string project = rasterProject(dir, raster, "EPSG:3857");
    char bbox[160];
    std::snprintf(bbox, sizeof bbox, "%.0f,%.0f,%.0f,%.0f", kX0 + 1500, kY0 - 4500, kX0 + 4500, kY0 - 2500);
    std::string err;
    ASSERT_EQ(runBinary("export --project " + project + " --bbox " + bbox +
                            " --bbox-crs EPSG:4547 --size 2600x1800 --no-decorations --out " + dir + "/e.tif",
                        dir + "/../export_raster_warped.txt", &err),
              0)
        << err;
    int w = 0, h = 0;
    const std::vector<uint8_t> out = geo::readImageRgba(dir + "/e.tif", w, h);
    std::string openErr;
    auto exported = geo::openDataset(dir + "/e.tif", GDAL_OF_RASTER, nullptr, openErr);
    ASSERT_TRUE(exported) << openErr;
    double gt[6];
    ASSERT_EQ(exported->GetGeoTransform(gt), CE_None);
    auto src = geo::openDataset(raster, GDAL_OF_RASTER, nullptr, openErr);
    ASSERT_TRUE(src) << openErr;
    CPLStringList args;
    for (const char* a : {"-of", "MEM", "-r", "bilinear", "-t_srs", "EPSG:3857", "-te"}) args.AddString(a);
    for (double v : {gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3]}) args.AddString(CPLSPrintf("%.17g", v));
    args.AddString("-ts");
    args.AddString(CPLSPrintf("%d", w));
    args.AddString(CPLSPrintf("%d", h));
    GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(args.List(), nullptr);
    GDALDatasetH in = GDALDataset::ToHandle(src.get());
    GDALDatasetUniquePtr ref(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &in, opts, nullptr)));
    GDALWarpAppOptionsFree(opts);
    ASSERT_TRUE(ref);
    const Difference d = compare(*ref, out, w, h);
    // GDAL's approximate transformer (1/8 px) is fitted per warp chunk, and the export warps per tile: on a
    // one-pixel checkerboard that moves a few values by a few levels. An overview scaled up moves most of them
    // (mean 9.6, 22 % within 2 levels before per-tile reads).
    EXPECT_LT(d.mean, 1.5);
    EXPECT_GT(d.within2, 0.9) << "mean difference " << d.mean;
    EXPECT_GT(d.within16, 0.995) << "mean difference " << d.mean;
    std::printf("reprojected export vs gdalwarp: mean %.2f, %.1f %% within 2, %.2f %% within 16 levels\n", d.mean,
                100 * d.within2, 100 * d.within16);
}

// The sparse 200000 x 200000 GeoTIFF without overviews: `render` of the whole finishes, draws the data where it
// is and says how to make it sharp.
TEST(ExportRaster, SparseTwoHundredThousandSquareRenders) {
    const std::string dir = test::scratchDir("export_raster_sparse");
    const std::string path = dir + "/sparse.tif";
    {
        GDALDatasetUniquePtr ds = createTiff(path, 200000, 200000, 3,
                                             {"TILED=YES", "SPARSE_OK=YES", "COMPRESS=DEFLATE", "BIGTIFF=YES"});
        for (int b = 1; b <= 3; ++b) ds->GetRasterBand(b)->SetNoDataValue(0);
        // A red square of 5000 px at the centre.
        std::vector<uint8_t> px(size_t(5000) * 5000);
        for (int b = 1; b <= 3; ++b) {
            std::fill(px.begin(), px.end(), b == 1 ? 230 : 20);
            ASSERT_EQ(ds->GetRasterBand(b)->RasterIO(GF_Write, 97500, 97500, 5000, 5000, px.data(), 5000, 5000, GDT_Byte,
                                                     0, 0, nullptr),
                      CE_None);
        }
    }
    EXPECT_LT(fs::file_size(path), 20u << 20) << "the test file should stay sparse";
    std::string err;
    ASSERT_EQ(runBinary("render " + path + " --size 800x800 --out " + dir + "/r.png",
                        dir + "/../export_raster_sparse.txt", &err),
              0)
        << err;
    EXPECT_NE(err.find("gdaladdo"), std::string::npos) << err;
    int w = 0, h = 0;
    const std::vector<uint8_t> img = geo::readImageRgba(dir + "/r.png", w, h);
    ASSERT_EQ(w, 800);
    // The view fits the raster with a 2 % margin: the square, 2.5 % of it, is about 20 px at the centre.
    const uint8_t* centre = &img[(size_t(400) * w + 400) * 4];
    EXPECT_GT(centre[0], 180);
    EXPECT_LT(centre[1], 80);
    size_t red = 0;
    for (size_t i = 0; i < size_t(w) * h; ++i) red += img[4 * i] > 150 && img[4 * i + 1] < 100;
    EXPECT_GT(red, 250u);
    EXPECT_LT(red, 600u);
}

}  // namespace

#include "source/raster_source.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <cpl_string.h>
#include <gdal_utils.h>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"
#include "source/raster_sample.hpp"
#include "source/gdal_messages.hpp"

namespace geo {

namespace {

// A raster without a CRS (a PNG/JPEG with only a world file) is taken as EPSG:4326 when its extent fits
// longitude/latitude, like vector files without a .prj; otherwise it is an error.
Crs rasterCrs(GDALDataset& ds, const std::string& path, const BBox& extent, std::vector<std::string>* warnings) {
    const OGRSpatialReference* srs = ds.GetSpatialRef();
    if (!srs) {
        bool lonLat = !extent.empty() && extent.minX >= -180.0001 && extent.maxX <= 180.0001 && extent.minY >= -90.0001 &&
                      extent.maxY <= 90.0001;
        if (!lonLat)
            throw CrsError(path, "", "the raster has no CRS (no .prj or embedded georeferencing) and is not in lon/lat");
        if (warnings)
            warnings->push_back(std::filesystem::path(path).filename().string() +
                                ": no CRS in the file; assumed EPSG:4326 (WGS 84 longitude/latitude)");
        return Crs::wgs84();
    }
    return crsFromSpatialRef(*srs);
}

GDALDatasetUniquePtr openRaster(const std::string& path) {
    std::error_code ec;
    if (path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(path, ec)) throw IoError(path, "", "file not found");
    std::string err;
    auto ds = openDataset(path, GDAL_OF_RASTER, nullptr, err);
    if (!ds) throw FormatError(path, "", err);
    if (ds->GetRasterCount() == 0) throw FormatError(path, "", "the file has no raster band");
    return ds;
}

}  // namespace

RasterInfo inspectRaster(const std::string& path) {
    auto ds = openRaster(path);
    RasterInfo info;
    info.width = ds->GetRasterXSize();
    info.height = ds->GetRasterYSize();
    info.bands = ds->GetRasterCount();
    info.overviews = ds->GetRasterBand(1)->GetOverviewCount();
    double gt[6];
    if (ds->GetGeoTransform(gt) != CE_None)
        throw CrsError(path, "", "the raster has no geotransform (no world file or embedded georeferencing)");
    for (int cx : {0, info.width})
        for (int cy : {0, info.height}) info.extent.add(gt[0] + cx * gt[1] + cy * gt[2], gt[3] + cx * gt[4] + cy * gt[5]);
    info.crs = rasterCrs(*ds, path, info.extent, &info.warnings);
    return info;
}

namespace {

// The steps of readRaster.

struct PixelSize {
    int width, height;
};

// The window's aspect within maxWidth x maxHeight. No point in warping to more pixels than the source has (twice,
// to keep detail across the rotation/shear of a reprojection).
PixelSize fitSize(const BBox& win, const RasterInfo& info, int maxWidth, int maxHeight) {
    const int sourceMax = 2 * std::max(info.width, info.height);
    maxWidth = std::min(maxWidth, sourceMax);
    maxHeight = std::min(maxHeight, sourceMax);
    double aspect = win.width() / win.height();
    int w = maxWidth, h = static_cast<int>(std::lround(maxWidth / aspect));
    if (h > maxHeight) {
        h = maxHeight;
        w = static_cast<int>(std::lround(maxHeight * aspect));
    }
    return {std::max(1, w), std::max(1, h)};
}

// gdalwarp's arguments: into memory, bilinear, with an alpha band that marks where the source has no data.
CPLStringList warpArguments(const Crs& display, const RasterInfo& info, bool hasSrs, const BBox& win, PixelSize size) {
    CPLStringList args;
    for (const char* a : {"-of", "MEM", "-r", "bilinear", "-dstalpha", "-t_srs"}) args.AddString(a);
    args.AddString(display.definition().c_str());
    if (!hasSrs) {  // assumed lon/lat (see rasterCrs)
        args.AddString("-s_srs");
        args.AddString(info.crs.definition().c_str());
    }
    args.AddString("-te");
    for (double v : {win.minX, win.minY, win.maxX, win.maxY}) args.AddString(CPLSPrintf("%.17g", v));
    args.AddString("-ts");
    args.AddString(CPLSPrintf("%d", size.width));
    args.AddString(CPLSPrintf("%d", size.height));
    return args;
}

GDALDatasetUniquePtr warpToDisplay(GDALDataset& ds, CPLStringList& args, const std::string& path,
                                   JobProgress* progress) {
    GDALWarpAppOptions* opts = GDALWarpAppOptionsNew(args.List(), nullptr);
    if (progress) GDALWarpAppOptionsSetProgress(opts, gdalProgress, progress);
    GDALDatasetH src = GDALDataset::ToHandle(&ds);
    int usageError = 0;
    CPLErrorReset();
    GDALDatasetUniquePtr warped(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &src, opts, &usageError)));
    GDALWarpAppOptionsFree(opts);
    if (progress && progress->cancelled()) throw Cancelled();
    if (!warped) throw FormatError(path, "", lastGdalError("could not warp the raster"));
    return warped;
}

void readBand(GDALDataset& warped, int band, std::vector<float>& buf, PixelSize size, const std::string& path) {
    const int w = size.width, h = size.height;
    if (warped.GetRasterBand(band)->RasterIO(GF_Read, 0, 0, w, h, buf.data(), w, h, GDT_Float32, 0, 0) != CE_None)
        throw FormatError(path, "", lastGdalError("could not read raster band"));
}

// Palette entries are RGBA already; an index with no entry stays opaque white.
void applyPalette(const GDALColorTable& palette, const std::vector<float>& buf, std::vector<uint8_t>& rgba) {
    for (size_t i = 0; i < buf.size(); ++i) {
        const GDALColorEntry* e = palette.GetColorEntry(int(buf[i]));
        if (e) {
            rgba[4 * i] = uint8_t(e->c1), rgba[4 * i + 1] = uint8_t(e->c2);
            rgba[4 * i + 2] = uint8_t(e->c3), rgba[4 * i + 3] = uint8_t(e->c4);
        }
    }
}

// Stretches [lo, hi] to 0..255 into one channel, or into all three (grey) when `channel` is negative.
void stretchBand(const std::vector<float>& buf, float lo, float hi, int channel, std::vector<uint8_t>& rgba) {
    for (size_t i = 0; i < buf.size(); ++i) {
        float v = std::clamp((buf[i] - lo) / (hi - lo) * 255.0f, 0.0f, 255.0f);
        uint8_t u = uint8_t(std::lround(v));
        if (channel < 0) {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = u;
        } else {
            rgba[4 * i + channel] = u;
        }
    }
}

// Fills the colour channels from the first three warped bands (GDALWarp's alpha band comes last). Byte and paletted
// data are taken as they are; other types are stretched from their minimum to their maximum, since they have no
// natural display range.
void fillColour(GDALDataset& warped, GDALRasterBand& source, PixelSize size, const std::string& path,
                std::vector<float>& buf, std::vector<uint8_t>& rgba) {
    const int colorBands = warped.GetRasterCount() - 1;
    const GDALColorTable* palette = source.GetColorTable();
    const bool byteData = source.GetRasterDataType() == GDT_Byte;
    for (int b = 1; b <= std::min(colorBands, 3); ++b) {
        readBand(warped, b, buf, size, path);
        if (palette && colorBands == 1) {
            applyPalette(*palette, buf, rgba);
            continue;
        }
        float lo = 0, hi = 255;
        if (!byteData && !palette) {
            double mm[2];
            warped.GetRasterBand(b)->ComputeRasterMinMax(FALSE, mm);
            lo = float(mm[0]);
            hi = float(mm[1] > mm[0] ? mm[1] : mm[0] + 1);
        }
        stretchBand(buf, lo, hi, colorBands < 3 ? -1 : b - 1, rgba);
    }
}

// Lowers each pixel's alpha to the band's value.
void applyAlpha(const std::vector<float>& buf, std::vector<uint8_t>& rgba) {
    for (size_t i = 0; i < buf.size(); ++i)
        rgba[4 * i + 3] = uint8_t(std::min<float>(rgba[4 * i + 3], std::clamp(buf[i], 0.0f, 255.0f)));
}

}  // namespace

namespace {

// What a sampled read says once per raster: which sample stood for it, and how to make it cheap and sharp.
std::string sampleWarning(const std::string& path, const RasterInfo& info, const SamplePlan& plan) {
    const std::string name = std::filesystem::path(path).filename().string();
    std::string text = name + ": " + std::to_string(info.width) + "x" + std::to_string(info.height) + " px with " +
                       (info.overviews ? "too few overviews" : "no overviews") + ", shown from a " +
                       std::to_string(plan.gridWidth) + "x" + std::to_string(plan.gridHeight) + " sample";
    if (plan.reduced) text += " coarser than the view, to keep the read short";
    // A sparse file's overviews stay sparse (and small) only when asked to.
    const char* sparse = plan.emptyBlocks ? "--config SPARSE_OK_OVERVIEW ON " : "";
    return text + "; build overviews for full detail: gdaladdo -r average --config COMPRESS_OVERVIEW DEFLATE " +
           sparse + path;
}

}  // namespace

RasterImage rasterFootprint(const std::string& path, const Crs& display) {
    GdalMessageScope gdal;  // GDAL's complaints about the file: one warning naming it (errors become the exception)
    RasterInfo info = inspectRaster(path);
    RasterImage img;
    img.extent = transformBox(info.extent, Transformer(info.crs, display));
    if (img.extent.empty() || img.extent.width() <= 0 || img.extent.height() <= 0)
        throw CrsError(path, "", "raster extent does not transform");
    img.width = img.height = 1;
    img.rgba = {0, 0, 0, 0};
    img.sourceResolution = img.extent.width() / std::max(1, info.width);
    img.warnings = info.warnings;
    if (gdal.count()) img.warnings.push_back(std::filesystem::path(path).filename().string() + ": GDAL: " + gdal.summary());
    return img;
}

RasterImage readRaster(const std::string& path, const Crs& display, const BBox& window, int maxWidth, int maxHeight,
                       JobProgress* progress) {
    GdalMessageScope gdal;  // GDAL's complaints about the file: one warning naming it (errors become the exception)
    RasterInfo info = inspectRaster(path);
    auto ds = openRaster(path);
    BBox full = transformBox(info.extent, Transformer(info.crs, display));
    BBox win = window.empty() ? full : window;
    if (win.empty() || win.width() <= 0 || win.height() <= 0) throw CrsError(path, "", "raster extent does not transform");
    const PixelSize size = fitSize(win, info, maxWidth, maxHeight);
    CPLStringList args = warpArguments(display, info, ds->GetSpatialRef() != nullptr, win, size);

    // Large decimation without overviews: warp from a bounded sample instead of letting the warp read the source.
    RasterImage img;
    BBox covered;  // the window's part on the raster, in the display CRS
    covered.add(std::max(win.minX, full.minX), std::max(win.minY, full.minY));
    covered.add(std::min(win.maxX, full.maxX), std::min(win.maxY, full.maxY));
    std::unique_ptr<RasterSample> sample;
    if (!covered.empty() && covered.width() > 0 && covered.height() > 0) {
        const SourceWindow sw = sourceWindowOf(*ds, transformBox(covered, Transformer(display, info.crs)));
        const double outW = size.width * covered.width() / win.width(), outH = size.height * covered.height() / win.height();
        if (std::optional<SamplePlan> plan = planSample(*ds, sw, outW, outH, progress)) {
            sample = readSample(*ds, sw, *plan, path, progress);
            img.sampled = true;
            img.warnings.push_back(sampleWarning(path, info, *plan));
        }
    }
    GDALDatasetUniquePtr warped = warpToDisplay(sample ? *sample->dataset : *ds, args, path, progress);

    img.width = size.width;
    img.height = size.height;
    img.extent = win;
    img.sourceResolution = full.width() / std::max(1, info.width);
    img.warnings.insert(img.warnings.begin(), info.warnings.begin(), info.warnings.end());
    img.rgba.assign(size_t(size.width) * size.height * 4, 255);
    std::vector<float> buf(size_t(size.width) * size.height);
    fillColour(*warped, *ds->GetRasterBand(1), size, path, buf, img.rgba);
    const int bands = warped->GetRasterCount();  // source bands + alpha
    const int colorBands = bands - 1;
    readBand(*warped, bands, buf, size, path);  // the alpha band GDALWarp added: 0 outside the source
    applyAlpha(buf, img.rgba);
    if (colorBands >= 4) {  // the source's fourth band: its own alpha
        readBand(*warped, 4, buf, size, path);
        applyAlpha(buf, img.rgba);
    }
    if (gdal.count()) img.warnings.push_back(std::filesystem::path(path).filename().string() + ": GDAL: " + gdal.summary());
    return img;
}

}  // namespace geo

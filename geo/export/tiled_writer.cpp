#include "export/tiled_writer.hpp"

#include <cstdio>
#include <filesystem>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "core/error.hpp"
#include "export/limits.hpp"
#include "export/page.hpp"
#include "source/gdal_handles.hpp"

namespace geo {

TiledImageWriter::TiledImageWriter(const std::string& outPath, ExportFormat format, int width, int height,
                                   const std::array<double, 6>& gt, const Crs& crs, double dpi)
    : out_(outPath), format_(format), width_(width), height_(height), gt_(gt), crs_(crs), dpi_(dpi) {
    checkOutputSize(width, height, out_);
    checkGeoTransform(gt, width, height, crs, out_);
    ensureGdal();
    removeStalePartials(out_);
    tmp_ = std::make_unique<PartialFile>(partialPath(out_, ".tif"));
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    CPLStringList opts;
    opts.AddNameValue("TILED", "YES");
    opts.AddNameValue("COMPRESS", "DEFLATE");
    // Fast DEFLATE on every core: a map's flat colours compress nearly as well at level 1 (4096^2 of 1M buildings:
    // +5 % bytes) in a third of level 6's time, which was a sixth of the whole export.
    opts.AddNameValue("ZLEVEL", "1");
    opts.AddNameValue("NUM_THREADS", "ALL_CPUS");
    opts.AddNameValue("BIGTIFF", "IF_SAFER");
    opts.AddNameValue("ALPHA", "YES");
    opts.AddNameValue("PHOTOMETRIC", "RGB");
    CPLErrorReset();
    ds_ = gtiff ? gtiff->Create(tmp_->path().c_str(), width, height, 4, GDT_Byte, opts.List()) : nullptr;
    if (!ds_) {
        std::string cause = lastGdalError("cannot create the output file");
        tmp_.reset();
        throw IoError(out_, "", cause);
    }
    // A map written without its georeference would look fine and be silently wrong, so either fails the export.
    auto discard = [this] {
        GDALClose(GDALDataset::ToHandle(ds_));
        ds_ = nullptr;
        tmp_.reset();
    };
    CPLErrorReset();
    if (ds_->SetGeoTransform(gt_.data()) != CE_None) {
        std::string cause = lastGdalError("GDAL refused the geotransform");
        discard();
        throw IoError(out_, "", "cannot write the georeference: " + cause);
    }
    OGRSpatialReference srs;
    CPLErrorReset();
    if (!crs.valid() || srs.SetFromUserInput(crs.definition().c_str()) != OGRERR_NONE ||
        ds_->SetSpatialRef(&srs) != CE_None) {
        std::string cause = crs.valid() ? lastGdalError("GDAL does not accept '" + crs.definition() + "'")
                                        : std::string("no CRS given");
        discard();
        throw CrsError(out_, "", "cannot write the CRS into the file: " + cause);
    }
}

TiledImageWriter::~TiledImageWriter() {
    if (ds_) {
        GDALClose(GDALDataset::ToHandle(ds_));
        ds_ = nullptr;
    }
    tmp_.reset();  // an unfinished export leaves nothing behind
}

void TiledImageWriter::writeTile(int x, int y, int w, int h, const std::vector<uint8_t>& rgba) {
    if (ds_->RasterIO(GF_Write, x, y, w, h, const_cast<uint8_t*>(rgba.data()), w, h, GDT_Byte, 4, nullptr, 4,
                      4 * static_cast<GSpacing>(w), 1, nullptr) != CE_None)
        throw IoError(out_, "", lastGdalError("cannot write pixels (disk full?)"));
    // Write the finished blocks out now: GDAL's block cache would otherwise hold up to 5 % of RAM of them.
    CPLErrorReset();
    ds_->FlushCache(false);
    if (CPLGetLastErrorType() >= CE_Failure) throw IoError(out_, "", lastGdalError("cannot write pixels (disk full?)"));
}

void TiledImageWriter::finish() {
    GDALClose(GDALDataset::ToHandle(ds_));
    ds_ = nullptr;
    std::error_code ec;
    if (format_ == ExportFormat::GeoTiff) {
        std::filesystem::rename(tmp_->path(), out_, ec);
        if (ec) throw IoError(out_, "", "cannot write: " + ec.message());
        tmp_->keep();
        return;
    }
    std::string err;
    auto src = openDataset(tmp_->path(), GDAL_OF_RASTER, nullptr, err);
    if (!src) throw IoError(out_, "", err);
    const char* driver = format_ == ExportFormat::Png ? "PNG" : "PDF";
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver);
    CPLStringList opts;
    if (format_ == ExportFormat::Pdf) {
        opts.AddNameValue("DPI", CPLSPrintf("%g", dpi_));
        opts.AddNameValue("GEO_ENCODING", "ISO32000");
    } else {
        opts.AddNameValue("ZLEVEL", "3");
    }
    PartialFile partial(partialPath(out_, ""));
    PartialFile partialAux(partial.path() + ".aux.xml");  // GDAL's PAM sidecar, should the driver write one
    CPLErrorReset();
    GDALDatasetUniquePtr dst(
        drv ? drv->CreateCopy(partial.path().c_str(), src.get(), FALSE, opts.List(), nullptr, nullptr) : nullptr);
    src.reset();
    tmp_.reset();
    if (!dst) throw IoError(out_, "", lastGdalError(std::string("GDAL cannot write ") + driver));
    dst.reset();
    std::filesystem::rename(partial.path(), out_, ec);
    if (ec) throw IoError(out_, "", "cannot write: " + ec.message());
    partial.keep();
    if (format_ == ExportFormat::Png) {
        std::filesystem::path p(out_);
        writeWorldFile(p.replace_extension(".pgw").string(), gt_);
        writePrj(std::filesystem::path(out_).replace_extension(".prj").string(), crs_);
    }
}

}  // namespace geo

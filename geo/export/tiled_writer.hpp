#pragma once
// Streams an RGBA map image, tile by tile, into a georeferenced file through GDAL, so exports of any size use
// bounded memory: tiles go into a tiled GeoTIFF (the GeoTIFF output itself, or a temporary one that GDAL's PNG
// and PDF drivers then copy from, row by row).
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crs/crs.hpp"
#include "export/partial_files.hpp"

class GDALDataset;

namespace geo {

enum class ExportFormat { Png, GeoTiff, Pdf };

class TiledImageWriter {
public:
    // Throws LimitError for a size past export/limits.hpp, CrsError for a geotransform that is no georeference
    // (checkGeoTransform) or a `crs` that is invalid or that GDAL cannot write (an export is never written without
    // its CRS), IoError when the file cannot be created (bad directory, disk full, no driver). Nothing is left
    // behind. The temporaries ("<out>.<pid>.part.tif", "<out>.<pid>.part") are removed on failure, when the writer
    // is dropped unfinished, and on SIGINT/SIGTERM/SIGHUP (export/partial_files.hpp); stale ones of `outPath` left
    // by dead processes are removed when a writer starts.
    TiledImageWriter(const std::string& outPath, ExportFormat format, int width, int height,
                     const std::array<double, 6>& geoTransform, const Crs& crs, double dpi);
    ~TiledImageWriter();
    void writeTile(int x, int y, int w, int h, const std::vector<uint8_t>& rgba);
    // Finishes the output (and world file + .prj for PNG). Until then nothing exists at outPath. Throws IoError.
    void finish();

private:
    std::string out_;
    std::unique_ptr<PartialFile> tmp_;
    ExportFormat format_;
    int width_, height_;
    std::array<double, 6> gt_;
    Crs crs_;
    double dpi_;
    GDALDataset* ds_ = nullptr;
};

}  // namespace geo

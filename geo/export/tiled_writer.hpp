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

class GDALDataset;

namespace geo {

enum class ExportFormat { Png, GeoTiff, Pdf };

class TiledImageWriter {
public:
    // Throws IoError when the file cannot be created (bad directory, disk full, no driver) and CrsError when `crs`
    // is invalid or GDAL cannot write it: an export is never written without its CRS. Nothing is left behind.
    TiledImageWriter(const std::string& outPath, ExportFormat format, int width, int height,
                     const std::array<double, 6>& geoTransform, const Crs& crs, double dpi);
    ~TiledImageWriter();
    void writeTile(int x, int y, int w, int h, const std::vector<uint8_t>& rgba);
    // Finishes the output (and world file + .prj for PNG). Until then nothing exists at outPath. Throws IoError.
    void finish();

private:
    std::string out_, tmp_;
    ExportFormat format_;
    int width_, height_;
    std::array<double, 6> gt_;
    Crs crs_;
    double dpi_;
    GDALDataset* ds_ = nullptr;
};

}  // namespace geo

#pragma once
// Raster sources (GeoTIFF/COG, PNG/JPEG with a world file, GeoPackage tiles): warped into the display CRS and
// read as an RGBA image at the resolution asked for. GDAL picks the source overview that fits that resolution,
// so a whole 20000 px image shown in a 1000 px window reads a small overview, not the full image.
#include <cstdint>
#include <string>
#include <vector>

#include "core/bbox.hpp"
#include "core/job.hpp"
#include "crs/crs.hpp"

namespace geo {

struct RasterInfo {
    int width = 0, height = 0, bands = 0, overviews = 0;
    Crs crs;
    BBox extent;  // in the raster's CRS
    std::vector<std::string> warnings;
};

RasterInfo inspectRaster(const std::string& path);

struct RasterImage {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;  // top row first
    BBox extent;                // in the display CRS
    std::vector<std::string> warnings;
};

// Reads `window` (display CRS; empty = the whole raster) at most maxWidth x maxHeight pixels, keeping the
// aspect of the window. Throws IoError/FormatError/CrsError; Cancelled when the job is cancelled.
RasterImage readRaster(const std::string& path, const Crs& display, const BBox& window, int maxWidth, int maxHeight,
                       JobProgress* progress = nullptr);

}  // namespace geo

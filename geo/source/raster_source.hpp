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
    double sourceResolution = 0;  // display units per source pixel (about: across the whole raster)
    bool sampled = false;         // read from a bounded sample (raster_sample.hpp), not the full data
    std::vector<std::string> warnings;
};

// The raster's whole extent in the display CRS as a 1x1 transparent image, from its header alone (no pixel is
// read): for callers that read only the windows they draw (`render`, `export`). Throws like inspectRaster, and
// CrsError when the extent does not transform.
RasterImage rasterFootprint(const std::string& path, const Crs& display);

// Reads `window` (display CRS; empty = the whole raster) at most maxWidth x maxHeight pixels, keeping the
// aspect of the window. Throws IoError/FormatError/CrsError; Cancelled when the job is cancelled.
// Bounded cost: a window whose plain warp would read more than kDirectReadPixels source pixels (a huge raster
// without overviews, seen whole) is drawn from a bounded sample instead (raster_sample.hpp); the image is then
// `sampled` and a warning names the sample and suggests `gdaladdo`. `progress` gets the stage, the fraction
// and the cancel.
RasterImage readRaster(const std::string& path, const Crs& display, const BBox& window, int maxWidth, int maxHeight,
                       JobProgress* progress = nullptr);

}  // namespace geo

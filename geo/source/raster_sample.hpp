#pragma once
// Reading a raster at a much coarser resolution than it has, in bounded time, when it lacks the overviews that
// would make that cheap (a 200000 x 200000 GeoTIFF without overviews: a warp would read all 40 gigapixels).
//
// planSample() decides, before any pixel is read, whether a plain warp of the window stays within
// kDirectReadPixels source pixels (at the overview level GDAL will use); when it does not, the window is read as
// a nearest-neighbour sample instead: a grid of about twice the output's resolution, taken from the coarsest
// overview still finer than that grid (or the full resolution), from which GDAL then warps. Only blocks that
// hold data are decoded (sparse GeoTIFF blocks are skipped by asking the driver's data coverage), and the grid
// is made coarser until the blocks to decode total at most kSampleDecodePixels, so the cost is bounded whatever
// the size of the file; the result then says it was reduced, and a message suggests building overviews.
#include <memory>
#include <optional>
#include <vector>

#include <gdal_priv.h>

#include "core/bbox.hpp"
#include "core/job.hpp"

namespace geo {

// Source pixels a plain warp may read (about 5-15 s on a slow machine); above, the window is sampled.
constexpr double kDirectReadPixels = 256e6;
// Pixels of the non-empty blocks a sample may decode (decoding only, no resampling: about as long).
constexpr double kSampleDecodePixels = 512e6;
// Cells of a sample grid (its memory: this many pixels per band): twice the output's resolution up to this.
constexpr double kMaxSampleCells = 32e6;

// The two bounds (tests pass smaller ones).
struct ReadBudget {
    double directPixels = kDirectReadPixels;
    double samplePixels = kSampleDecodePixels;
};

// A window of the source in full-resolution pixels.
struct SourceWindow {
    int x = 0, y = 0, width = 0, height = 0;
    bool empty() const { return width <= 0 || height <= 0; }
};

// The full-resolution pixels of `ds` under `box` (in the raster's own CRS), one pixel of margin, clipped to the
// raster; empty when they do not meet. Uses the inverse geotransform (rotation included).
SourceWindow sourceWindowOf(GDALDataset& ds, const BBox& box);

struct SamplePlan {
    int level = -1;                   // overview index the sample reads (-1: full resolution)
    int gridWidth = 0, gridHeight = 0;  // sample size
    bool reduced = false;             // coarser than twice the output's resolution, to stay within the budget
    double decodedPixels = 0;         // pixels of the blocks to decode
    size_t dataBlocks = 0, emptyBlocks = 0;  // blocks the grid touches, with data / sparse (skipped)
    // Per block of the level's window, row-major: 1 when it holds data. (Internal to readSample.)
    int blockX0 = 0, blockY0 = 0, blockCols = 0, blockRows = 0;
    std::vector<uint8_t> hasData;
};

// nullopt when a plain warp of `window` into outWidth x outHeight output pixels (the pixels that cover the
// window) reads at most budget.directPixels; else the sample to read instead, decoding at most
// budget.samplePixels (unless even a 16 x 16 grid needs more). Checks `progress` for cancel while it
// surveys the blocks (Cancelled).
std::optional<SamplePlan> planSample(GDALDataset& ds, const SourceWindow& window, double outWidth, double outHeight,
                                     JobProgress* progress, const ReadBudget& budget = {});

// A sample: a MEM dataset over pixel buffers it does not own (declared first, so they outlive it).
struct RasterSample {
    std::vector<std::vector<uint8_t>> pixels;  // per band
    GDALDatasetUniquePtr dataset;
};

// The planned sample of `window` as a MEM dataset in the source's CRS: same bands, data type, nodata, colour
// tables and colour interpretation (alpha stays alpha); blocks without data read as GDAL reads them (nodata, or
// 0). Throws FormatError naming `path` when a block cannot be read, Cancelled when `progress` is cancelled.
std::unique_ptr<RasterSample> readSample(GDALDataset& ds, const SourceWindow& window, const SamplePlan& plan,
                                         const std::string& path, JobProgress* progress);

}  // namespace geo

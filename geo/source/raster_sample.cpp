#include "source/raster_sample.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"

namespace geo {

namespace {

// One resolution of the raster: the dataset's bands, or their overview `index`.
struct Level {
    std::vector<GDALRasterBand*> bands;
    int width = 0, height = 0;
    int blockWidth = 0, blockHeight = 0;
    double factorX = 1, factorY = 1;  // full-resolution pixels per pixel of this level
};

Level levelOf(GDALDataset& ds, int index) {
    Level l;
    for (int b = 1; b <= ds.GetRasterCount(); ++b) {
        GDALRasterBand* band = ds.GetRasterBand(b);
        l.bands.push_back(index < 0 ? band : band->GetOverview(index));
    }
    if (l.bands.empty() || std::find(l.bands.begin(), l.bands.end(), nullptr) != l.bands.end()) return Level{};
    l.width = l.bands[0]->GetXSize();
    l.height = l.bands[0]->GetYSize();
    l.bands[0]->GetBlockSize(&l.blockWidth, &l.blockHeight);
    l.blockWidth = std::max(1, l.blockWidth);
    l.blockHeight = std::max(1, l.blockHeight);
    l.factorX = double(ds.GetRasterXSize()) / l.width;
    l.factorY = double(ds.GetRasterYSize()) / l.height;
    return l;
}

// The window in the level's pixels (outward).
SourceWindow levelWindow(const Level& l, const SourceWindow& w) {
    SourceWindow r;
    r.x = std::clamp(static_cast<int>(std::floor(w.x / l.factorX)), 0, l.width);
    r.y = std::clamp(static_cast<int>(std::floor(w.y / l.factorY)), 0, l.height);
    r.width = std::clamp(static_cast<int>(std::ceil((w.x + w.width) / l.factorX)), 0, l.width) - r.x;
    r.height = std::clamp(static_cast<int>(std::ceil((w.y + w.height) / l.factorY)), 0, l.height) - r.y;
    return r;
}

// Level pixel of sample i of n across [start, start + size): the centre of its cell.
int samplePixel(int start, int size, int n, int i) {
    return start + std::min(size - 1, static_cast<int>(std::floor((i + 0.5) * size / n)));
}

// Marks the blocks [bx0, bx1) x [by0, by1) that hold data, asking the driver about whole rectangles first and
// splitting only the mixed ones, so a mostly empty file costs about its data, not its size.
class CoverageSurvey {
public:
    CoverageSurvey(const Level& l, SamplePlan& plan, JobProgress* progress) : l_(l), plan_(plan), progress_(progress) {}

    void survey(int bx0, int by0, int bx1, int by1) {
        if (progress_ && ++calls_ % 256 == 0) progress_->throwIfCancelled();
        const int x = bx0 * l_.blockWidth, y = by0 * l_.blockHeight;
        const int w = std::min(bx1 * l_.blockWidth, l_.width) - x, h = std::min(by1 * l_.blockHeight, l_.height) - y;
        int flags = 0;
        for (GDALRasterBand* b : l_.bands) flags |= b->GetDataCoverageStatus(x, y, w, h, 0, nullptr);
        const bool unknown = flags & GDAL_DATA_COVERAGE_STATUS_UNIMPLEMENTED;
        if (!unknown && flags == GDAL_DATA_COVERAGE_STATUS_EMPTY) return;
        const bool whole = unknown || flags == GDAL_DATA_COVERAGE_STATUS_DATA;
        if (whole || (bx1 - bx0 == 1 && by1 - by0 == 1)) {
            for (int by = by0; by < by1; ++by)
                for (int bx = bx0; bx < bx1; ++bx)
                    plan_.hasData[size_t(by - plan_.blockY0) * plan_.blockCols + (bx - plan_.blockX0)] = 1;
            return;
        }
        if (bx1 - bx0 >= by1 - by0) {
            const int mid = (bx0 + bx1) / 2;
            survey(bx0, by0, mid, by1);
            survey(mid, by0, bx1, by1);
        } else {
            const int mid = (by0 + by1) / 2;
            survey(bx0, by0, bx1, mid);
            survey(bx0, mid, bx1, by1);
        }
    }

private:
    const Level& l_;
    SamplePlan& plan_;
    JobProgress* progress_;
    size_t calls_ = 0;
};

// The blocks (indices) and, per block, the range of samples [first, last) that fall in it, along one axis.
struct AxisBlocks {
    std::vector<int> block, first, last;
};

AxisBlocks axisBlocks(int start, int size, int n, int blockSize) {
    AxisBlocks a;
    for (int i = 0; i < n; ++i) {
        const int b = samplePixel(start, size, n, i) / blockSize;
        if (a.block.empty() || a.block.back() != b) {
            a.block.push_back(b);
            a.first.push_back(i);
            a.last.push_back(i);
        }
        a.last.back() = i + 1;
    }
    return a;
}

// Counts the blocks the plan's grid touches and the pixels it would decode.
void countBlocks(const Level& l, const SourceWindow& lw, SamplePlan& plan) {
    const AxisBlocks xs = axisBlocks(lw.x, lw.width, plan.gridWidth, l.blockWidth);
    const AxisBlocks ys = axisBlocks(lw.y, lw.height, plan.gridHeight, l.blockHeight);
    plan.decodedPixels = 0;
    plan.dataBlocks = plan.emptyBlocks = 0;
    for (int by : ys.block)
        for (int bx : xs.block) {
            if (!plan.hasData[size_t(by - plan.blockY0) * plan.blockCols + (bx - plan.blockX0)]) {
                ++plan.emptyBlocks;
                continue;
            }
            ++plan.dataBlocks;
            const int w = std::min(l.blockWidth, l.width - bx * l.blockWidth);
            const int h = std::min(l.blockHeight, l.height - by * l.blockHeight);
            plan.decodedPixels += double(w) * h;
        }
}

}  // namespace

SourceWindow sourceWindowOf(GDALDataset& ds, const BBox& box) {
    double gt[6], inv[6];
    if (box.empty() || ds.GetGeoTransform(gt) != CE_None || !GDALInvGeoTransform(gt, inv)) return {};
    double minPx = INFINITY, minPy = INFINITY, maxPx = -INFINITY, maxPy = -INFINITY;
    for (double x : {box.minX, box.maxX})
        for (double y : {box.minY, box.maxY}) {
            const double px = inv[0] + x * inv[1] + y * inv[2], py = inv[3] + x * inv[4] + y * inv[5];
            minPx = std::min(minPx, px), maxPx = std::max(maxPx, px);
            minPy = std::min(minPy, py), maxPy = std::max(maxPy, py);
        }
    if (!(std::isfinite(minPx) && std::isfinite(maxPx) && std::isfinite(minPy) && std::isfinite(maxPy))) return {};
    const double w = ds.GetRasterXSize(), h = ds.GetRasterYSize();
    SourceWindow r;
    r.x = static_cast<int>(std::clamp(std::floor(minPx) - 1, 0.0, w));
    r.y = static_cast<int>(std::clamp(std::floor(minPy) - 1, 0.0, h));
    r.width = static_cast<int>(std::clamp(std::ceil(maxPx) + 1, 0.0, w)) - r.x;
    r.height = static_cast<int>(std::clamp(std::ceil(maxPy) + 1, 0.0, h)) - r.y;
    return r;
}

std::optional<SamplePlan> planSample(GDALDataset& ds, const SourceWindow& window, double outWidth, double outHeight,
                                     JobProgress* progress, const ReadBudget& budget) {
    if (window.empty() || ds.GetRasterCount() == 0) return std::nullopt;
    outWidth = std::max(1.0, outWidth);
    outHeight = std::max(1.0, outHeight);
    // The overview a warp would read: the coarsest still at least as fine as the output.
    const double decimation = std::min(window.width / outWidth, window.height / outHeight);
    GDALRasterBand* first = ds.GetRasterBand(1);
    double warpFactor = 1;
    for (int i = 0; i < first->GetOverviewCount(); ++i) {
        GDALRasterBand* o = first->GetOverview(i);
        const double f = o ? double(ds.GetRasterXSize()) / o->GetXSize() : 0;
        if (f <= decimation * 1.2 && f > warpFactor) warpFactor = f;
    }
    if (double(window.width) * window.height / (warpFactor * warpFactor) <= budget.directPixels) return std::nullopt;

    // Twice the output's resolution (less for outputs over kMaxSampleCells / 4 pixels), from the coarsest level
    // still at least that fine.
    SamplePlan plan;
    const double cells = std::min(1.0, std::sqrt(kMaxSampleCells / (4 * outWidth * outHeight)));
    const int wantW = static_cast<int>(std::min<double>(window.width, std::ceil(2 * cells * outWidth)));
    const int wantH = static_cast<int>(std::min<double>(window.height, std::ceil(2 * cells * outHeight)));
    for (int i = 0; i < first->GetOverviewCount(); ++i) {
        Level l = levelOf(ds, i);
        if (l.bands.empty()) continue;
        SourceWindow lw = levelWindow(l, window);
        if (lw.width >= wantW && lw.height >= wantH &&
            (plan.level < 0 || l.width < levelOf(ds, plan.level).width))
            plan.level = i;
    }
    const Level l = levelOf(ds, plan.level);
    if (l.bands.empty()) return std::nullopt;
    const SourceWindow lw = levelWindow(l, window);
    if (lw.empty()) return std::nullopt;
    plan.gridWidth = std::max(1, std::min(wantW, lw.width));
    plan.gridHeight = std::max(1, std::min(wantH, lw.height));
    plan.blockX0 = lw.x / l.blockWidth;
    plan.blockY0 = lw.y / l.blockHeight;
    plan.blockCols = (lw.x + lw.width - 1) / l.blockWidth - plan.blockX0 + 1;
    plan.blockRows = (lw.y + lw.height - 1) / l.blockHeight - plan.blockY0 + 1;
    plan.hasData.assign(size_t(plan.blockCols) * plan.blockRows, 0);
    if (progress) progress->set(0.0f, "surveying blocks");
    CoverageSurvey(l, plan, progress)
        .survey(plan.blockX0, plan.blockY0, plan.blockX0 + plan.blockCols, plan.blockY0 + plan.blockRows);
    countBlocks(l, lw, plan);
    // Coarser until the blocks with data to decode fit the budget (the grid then touches fewer of them).
    while (plan.decodedPixels > budget.samplePixels && (plan.gridWidth > 16 || plan.gridHeight > 16)) {
        const double shrink = std::max(0.5, 0.95 * std::sqrt(budget.samplePixels / plan.decodedPixels));
        plan.gridWidth = std::max(1, static_cast<int>(plan.gridWidth * shrink));
        plan.gridHeight = std::max(1, static_cast<int>(plan.gridHeight * shrink));
        plan.reduced = true;
        countBlocks(l, lw, plan);
    }
    return plan;
}

std::unique_ptr<RasterSample> readSample(GDALDataset& ds, const SourceWindow& window, const SamplePlan& plan,
                                         const std::string& path, JobProgress* progress) {
    const Level l = levelOf(ds, plan.level);
    const SourceWindow lw = levelWindow(l, window);
    const int gw = plan.gridWidth, gh = plan.gridHeight;
    GDALDataType type = GDT_Byte;
    for (size_t b = 0; b < l.bands.size(); ++b)
        type = b == 0 ? l.bands[b]->GetRasterDataType() : GDALDataTypeUnion(type, l.bands[b]->GetRasterDataType());
    const int bytes = GDALGetDataTypeSizeBytes(type);
    auto sample = std::make_unique<RasterSample>();

    // Each band's grid starts as GDAL reads a block without data: the nodata value, else 0.
    std::vector<std::vector<uint8_t>>& grids = sample->pixels;
    grids.resize(l.bands.size());
    for (size_t b = 0; b < l.bands.size(); ++b) {
        grids[b].assign(size_t(gw) * gh * bytes, 0);
        int hasNoData = 0;
        const double noData = ds.GetRasterBand(int(b) + 1)->GetNoDataValue(&hasNoData);
        if (hasNoData && noData != 0)
            GDALCopyWords64(&noData, GDT_Float64, 0, grids[b].data(), type, bytes, GPtrDiff_t(gw) * gh);
    }
    const AxisBlocks xs = axisBlocks(lw.x, lw.width, gw, l.blockWidth);
    const AxisBlocks ys = axisBlocks(lw.y, lw.height, gh, l.blockHeight);
    std::vector<uint8_t> tmp;
    size_t done = 0;
    for (size_t yb = 0; yb < ys.block.size(); ++yb)
        for (size_t xb = 0; xb < xs.block.size(); ++xb) {
            if (!plan.hasData[size_t(ys.block[yb] - plan.blockY0) * plan.blockCols + (xs.block[xb] - plan.blockX0)])
                continue;
            if (progress) {
                progress->throwIfCancelled();
                progress->set(float(++done) / float(std::max<size_t>(1, plan.dataBlocks)), "sampling");
            }
            // The part of the block between its first and last sample.
            const int x0 = samplePixel(lw.x, lw.width, gw, xs.first[xb]);
            const int x1 = samplePixel(lw.x, lw.width, gw, xs.last[xb] - 1) + 1;
            const int y0 = samplePixel(lw.y, lw.height, gh, ys.first[yb]);
            const int y1 = samplePixel(lw.y, lw.height, gh, ys.last[yb] - 1) + 1;
            const int rw = x1 - x0, rh = y1 - y0;
            tmp.resize(size_t(rw) * rh * bytes);
            for (size_t b = 0; b < l.bands.size(); ++b) {
                if (l.bands[b]->RasterIO(GF_Read, x0, y0, rw, rh, tmp.data(), rw, rh, type, 0, 0, nullptr) != CE_None)
                    throw FormatError(path, "", lastGdalError("cannot read a block of the raster"));
                for (int j = ys.first[yb]; j < ys.last[yb]; ++j) {
                    const int sy = samplePixel(lw.y, lw.height, gh, j) - y0;
                    for (int i = xs.first[xb]; i < xs.last[xb]; ++i) {
                        const int sx = samplePixel(lw.x, lw.width, gw, i) - x0;
                        std::memcpy(&grids[b][(size_t(j) * gw + i) * bytes], &tmp[(size_t(sy) * rw + sx) * bytes], bytes);
                    }
                }
            }
        }

    // The MEM dataset reads the grids in place (no second copy of a sample that may be hundreds of MB).
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr out(mem ? mem->Create("", gw, gh, 0, type, nullptr) : nullptr);
    if (!out) throw FormatError(path, "", "GDAL has no MEM driver");
    for (size_t b = 0; b < l.bands.size(); ++b) {
        char pointer[64];
        std::snprintf(pointer, sizeof pointer, "DATAPOINTER=%p", static_cast<void*>(grids[b].data()));
        char* options[] = {pointer, nullptr};
        if (out->AddBand(type, options) != CE_None)
            throw FormatError(path, "", lastGdalError("cannot hold the raster sample"));
        GDALRasterBand* src = ds.GetRasterBand(int(b) + 1);
        GDALRasterBand* dst = out->GetRasterBand(int(b) + 1);
        int hasNoData = 0;
        const double noData = src->GetNoDataValue(&hasNoData);
        if (hasNoData) dst->SetNoDataValue(noData);
        if (const GDALColorTable* palette = src->GetColorTable()) dst->SetColorTable(const_cast<GDALColorTable*>(palette));
        dst->SetColorInterpretation(src->GetColorInterpretation());
    }
    // Sample cell (i, j) covers the level's pixels [lw.x + i * lw.width / gw, ...): in full-resolution pixels,
    // scaled by the level's factor.
    double gt[6];
    ds.GetGeoTransform(gt);
    const double x0 = lw.x * l.factorX, y0 = lw.y * l.factorY;
    const double sx = lw.width * l.factorX / gw, sy = lw.height * l.factorY / gh;
    double sampleGt[6] = {gt[0] + x0 * gt[1] + y0 * gt[2], gt[1] * sx, gt[2] * sy,
                          gt[3] + x0 * gt[4] + y0 * gt[5], gt[4] * sx, gt[5] * sy};
    out->SetGeoTransform(sampleGt);
    if (const OGRSpatialReference* srs = ds.GetSpatialRef()) out->SetSpatialRef(srs);
    sample->dataset = std::move(out);
    return sample;
}

}  // namespace geo

#include "render/paint_source.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <system_error>
#include <thread>

namespace app::render {

PaintSource::PaintSource(std::shared_ptr<const geo::VectorLayerData> data, geo::Crs display,
                         std::vector<uint8_t> spotlight, std::shared_ptr<const std::vector<double>> xy)
    : data_(std::move(data)), display_(std::move(display)), spotlight_(std::move(spotlight)), given_(std::move(xy)) {
    // The table's own vertices given (a paint-only load that made no copy): as if none were, so that they are read
    // as they are or through the grid, whichever the two CRSs need.
    if (given_ && given_->data() == data_->source.table.xy.data()) given_.reset();
    if (given_) known_ = 0;
}

void PaintSource::planLocked() const {
    if (planned_ || given_) return;
    auto exact = std::make_unique<geo::Transformer>(data_->source.crs, display_);  // throws geo::CrsError
    if (!exact->identity()) {
        // reprojectLayer's grid: the same extent and tolerance, so the same bits as its copy.
        auto grid = std::make_unique<geo::GridTransformer>(*exact, data_->source.vertexExtent(), display_.isGeographic());
        if (grid->usesGrid() && geo::paintThroughGrid()) grid_ = std::move(grid);
        exact_ = std::move(exact);
    }
    planned_ = true;
    known_ = exact_ && !grid_ ? 1 : 0;
}

geo::PaintVertices PaintSource::vertices() const {
    if (given_) return given_->data();
    std::lock_guard<std::mutex> lock(mutex_);
    planLocked();
    const double* own = data_->source.table.xy.data();
    if (!exact_) return own;
    if (grid_) return {own, grid_.get()};
    if (!copied_) {
        xy_ = geo::reprojectLayer(*data_, display_, nullptr).xy;
        copied_ = true;
    }
    return xy_.data();
}

bool PaintSource::needsCopy() const {
    if (given_) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    planLocked();
    return exact_ && !grid_;
}

namespace {
constexpr size_t kPartsABand = 1'000'000;  // features (about as many parts), for a layer painted without strips
// Strips of 64 rows that a vertex's part meets on average (PaintParts::stripsAVertex) past which bands of 128 rows
// repeat more outline work than they save (1M buildings: ~1.3).
constexpr double kLargePartStrips = 4.0;
}  // namespace

int paintThreads() {
    static const int n = [] {
        if (const char* env = std::getenv("PLANATLAS_PAINT_THREADS")) {
            const int v = std::atoi(env);
            if (v >= 1 && v <= 16) return v;
        }
        return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
    }();
    return n;
}

void paintInBands(std::vector<geo::PaintImage>& bandImages, std::vector<geo::PaintScratchPtr>& scratches, int w,
                  int h, const geo::View& view, const PaintSource& source, const geo::Style& style,
                  const geo::PaintOptions& options, const std::function<void(const geo::PaintImage&)>& painted) {
    // Bands of 128-255 rows, taken in turn by the threads: one band of dense streets and one of sea take what they
    // take, and no thread waits on the other's half. That needs the parts' strips (PaintParts), so that a band
    // looks only at the parts near its rows; without them (the window's layer images, a layer too tall for strips)
    // every band looks at every part: then a band a thread. 1M buildings at 4096 px: bands of 128 rows beat 64
    // (more parts across two bands) and 256 or 512 (less even).
    // A band holds its parts' boxes and pixels while it paints (~100 bytes a part): without strips, a layer of
    // millions of features is split in more bands, a million or so each, so that a thread's working memory stays
    // ~100 MB (10M buildings in a window's image: 10 bands, each culling them all, ~0.2 s a band; counted on the
    // whole layer, not on what the view holds, so a close view of it pays the same culls).
    const bool strips = options.parts && !options.parts->stripBegin.empty();
    const int byParts = static_cast<int>(std::min<size_t>(64, (source.table().featureCount() + kPartsABand - 1) / kPartsABand));
    // A layer whose vertices' parts meet many strips each (a coastline, a district's outline: each band a part
    // reaches goes through all its vertices) is painted in a band a thread: a 1M-vertex coastline at 1024 px took
    // eight times its outline's offsets in bands of 128 rows.
    const bool fewLargeParts = strips && options.parts->stripsAVertex > kLargePartStrips;
    const int bands = strips && !fewLargeParts
                          ? std::max(1, h / 128)
                          : std::clamp(std::max(std::min(h / 128, paintThreads()), byParts), 1, std::max(1, h / 16));
    const int threads = std::min(paintThreads(), bands);
    bandImages.resize(size_t(bands));
    while (scratches.size() < size_t(threads)) scratches.push_back(geo::makePaintScratch());
    for (geo::PaintScratchPtr& s : scratches)
        if (!s) s = geo::makePaintScratch();
    const geo::PaintVertices xy = source.vertices();  // (a copy made here, once, where no grid holds)
    std::vector<std::exception_ptr> failures(static_cast<size_t>(bands));
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    auto work = [&](int thread) {
        for (int b; !failed.load() && (b = next.fetch_add(1)) < bands;) {
            try {
                const int y0 = h * b / bands, y1 = h * (b + 1) / bands;
                geo::PaintImage& image = bandImages[size_t(b)];
                image.reset(w, y1 - y0, y0);
                geo::PaintOptions own = options;
                own.scratch = scratches[size_t(thread)].get();
                geo::paintVectorLayer(image, view, source.table(), xy, style, own);
                if (painted) painted(image);
            } catch (...) {
                failures[size_t(b)] = std::current_exception();
                failed = true;
                try {
                    scratches[size_t(thread)] = geo::makePaintScratch();  // stopped half-way, it may not be clean
                } catch (...) {
                    scratches[size_t(thread)].reset();  // (made anew by the next call's resize above)
                }
            }
        }
    };
    {
        std::vector<std::thread> workers;
        workers.reserve(size_t(threads));
        for (int t = 1; t < threads; ++t) {
            try {
                workers.emplace_back(work, t);
            } catch (const std::system_error&) {  // no thread to be had: the others take its bands
                break;
            }
        }
        work(0);
        for (std::thread& t : workers) t.join();
    }
    for (const std::exception_ptr& e : failures)
        if (e) std::rethrow_exception(e);
}

std::shared_ptr<const geo::PaintParts> PaintSource::parts(double resolution) const {
    const geo::PaintVertices xy = vertices();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!parts_ || parts_->resolution != resolution) parts_ = geo::indexPaintParts(table(), xy, resolution);
    return parts_;
}

}  // namespace app::render

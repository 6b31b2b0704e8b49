#include "render/paint_source.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <system_error>
#include <thread>

namespace app::render {

PaintSource::PaintSource(std::shared_ptr<const geo::VectorLayerData> data, geo::Crs display,
                         std::vector<uint8_t> spotlight, std::shared_ptr<const std::vector<double>> xy)
    : data_(std::move(data)), display_(std::move(display)), spotlight_(std::move(spotlight)), given_(std::move(xy)) {}

const double* PaintSource::displayXy() const {
    if (given_) return given_->data();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!made_) {
        identity_ = geo::Transformer(data_->source.crs, display_).identity();
        if (!identity_) xy_ = geo::reprojectLayer(*data_, display_, nullptr).xy;
        made_ = true;
    }
    return identity_ ? data_->source.table.xy.data() : xy_.data();
}

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
                  const geo::PaintOptions& options) {
    const int bands = std::clamp(h / 128, 1, paintThreads());
    bandImages.resize(size_t(bands));
    while (scratches.size() < size_t(bands)) scratches.push_back(geo::makePaintScratch());
    const double* xy = source.displayXy();  // reprojected here, once, if it must be
    std::vector<std::exception_ptr> failures(static_cast<size_t>(bands));
    auto paintBand = [&](int b) {
        try {
            const int y0 = h * b / bands, y1 = h * (b + 1) / bands;
            geo::PaintImage& image = bandImages[size_t(b)];
            image.reset(w, y1 - y0, y0);
            geo::PaintOptions own = options;
            own.scratch = scratches[size_t(b)].get();
            geo::paintVectorLayer(image, view, source.table(), xy, style, own);
        } catch (...) {
            failures[size_t(b)] = std::current_exception();
            scratches[size_t(b)] = geo::makePaintScratch();  // stopped half-way, it may not be clean
        }
    };
    {
        std::vector<std::thread> workers;
        workers.reserve(size_t(bands));
        for (int b = 1; b < bands; ++b) {
            try {
                workers.emplace_back(paintBand, b);
            } catch (const std::system_error&) {  // no thread to be had: this one paints the band
                paintBand(b);
            }
        }
        paintBand(0);
        for (std::thread& t : workers) t.join();
    }
    for (const std::exception_ptr& e : failures)
        if (e) std::rethrow_exception(e);
}

std::shared_ptr<const geo::PaintParts> PaintSource::parts(double resolution) const {
    const double* xy = displayXy();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!parts_ || parts_->resolution != resolution) parts_ = geo::indexPaintParts(table(), xy, resolution);
    return parts_;
}

}  // namespace app::render

#include "render/paint_source.hpp"

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

std::shared_ptr<const geo::PaintParts> PaintSource::parts(double resolution) const {
    const double* xy = displayXy();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!parts_ || parts_->resolution != resolution) parts_ = geo::indexPaintParts(table(), xy, resolution);
    return parts_;
}

}  // namespace app::render

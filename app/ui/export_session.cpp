#include "ui/export_session.hpp"

#include "export/page.hpp"

namespace app::ui {

ExportSession::ExportSession(render::MapRenderer& renderer, const std::vector<std::unique_ptr<render::LayerSlot>>& slots,
                             const geo::View& view, const geo::Crs& crs, const std::string& title,
                             const std::string& path, geo::ExportFormat format, double dpi, bool decorations)
    : renderer_(renderer),
      items_(render::drawItems(slots)),
      view_(view),
      ratio_(static_cast<float>(dpi / geo::kScreenDpi)),
      decorations_(decorations),
      path_(path) {
    std::vector<std::unique_ptr<render::LayerSlot>>& mutableSlots =
        const_cast<std::vector<std::unique_ptr<render::LayerSlot>>&>(slots);  // label anchors are cached in slots
    plan_ = renderer_.planLabels(view_, render::collectLabels(mutableSlots, view_, crs), ratio_);
    if (decorations_) overlay_ = render::decorations(title, slots, view_, crs, ratio_, renderer_.labels());
    writer_ = std::make_unique<geo::TiledImageWriter>(path, format, view.width, view.height, geo::geoTransform(view), crs, dpi);
    total_ = size_t((view.width + kTile - 1) / kTile) * size_t((view.height + kTile - 1) / kTile);
}

bool ExportSession::step() {
    if (nextY_ >= view_.height) return false;
    const int tw = std::min(kTile, view_.width - nextX_), th = std::min(kTile, view_.height - nextY_);
    const geo::View part = render::MapRenderer::tileView(view_, nextX_, nextY_, tw, th);
    target_.ensure(tw, th, 4);
    renderer_.render(target_, part, items_, {214, 230, 242, 255}, ratio_, &plan_, nextX_, nextY_);
    if (decorations_) renderer_.labels().drawOverlay(overlay_, tw, th, nextX_, nextY_);
    std::vector<uint8_t> pixels;
    target_.readPixels(pixels);
    writer_->writeTile(nextX_, nextY_, tw, th, pixels);
    ++done_;
    nextX_ += kTile;
    if (nextX_ >= view_.width) {
        nextX_ = 0;
        nextY_ += kTile;
    }
    return nextY_ < view_.height;
}

void ExportSession::finish() { writer_->finish(); }

}  // namespace app::ui

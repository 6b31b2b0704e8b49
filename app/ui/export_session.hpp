#pragma once
// An export started from the UI: rendered one tile per frame on the main thread (which owns GL), streamed to
// the output file, with progress and cancel; the UI keeps drawing between tiles.
#include <memory>
#include <string>

#include "export/tiled_writer.hpp"
#include "render/decorations.hpp"
#include "render/map_renderer.hpp"

namespace app::ui {

class ExportSession {
public:
    // Throws geo::Error when the output cannot be created.
    ExportSession(render::MapRenderer& renderer, const std::vector<std::unique_ptr<render::LayerSlot>>& slots,
                  const geo::View& view, const geo::Crs& crs, const std::string& title, const std::string& path,
                  geo::ExportFormat format, double dpi, bool decorations);
    // Renders the next tile; returns false when every tile is done (then call finish()).
    bool step();
    void finish();  // writes the final file; throws geo::Error
    float progress() const { return total_ ? float(done_) / float(total_) : 1.0f; }
    const std::string& path() const { return path_; }
    size_t droppedLabels() const { return plan_.dropped(); }

private:
    static constexpr int kTile = 1024;  // small enough that one tile keeps a frame short
    render::MapRenderer& renderer_;
    std::vector<render::DrawItem> items_;
    geo::View view_;
    float ratio_;
    render::LabelPlan plan_;
    render::Overlay overlay_;
    bool decorations_;
    std::string path_;
    std::unique_ptr<geo::TiledImageWriter> writer_;
    render::RenderTarget target_;
    int nextX_ = 0, nextY_ = 0;
    size_t done_ = 0, total_ = 0;
};

}  // namespace app::ui

#pragma once
// Progressive antialiasing for the window (#10): once a view has settled, it is redrawn supersampled, as every
// export draws it, a few tiles a frame so input is never held up, into an image shown when complete. The tiles are
// pixel windows of the one view (MapRenderer::tileView) with the labels planned once for the whole view, so the
// finished image is the export's picture of that view: what you see is what you export.
#include <array>
#include <chrono>
#include <functional>
#include <utility>
#include <vector>

#include "render/map_renderer.hpp"

namespace app::render {

class ProgressiveFrame {
public:
    // Output pixels a side. A step draws one tile at least, so a tile must fit in a frame: 1M buildings at 1:5000
    // (bench_load images, 2026-12-06), 256-px tiles gave steps of up to 18-25 ms, 128-px ones 12.3 ms at most, in the
    // same 0.14 s for the whole view.
    static constexpr int kTile = 128;
    // What the window gives a settled view's refinement each frame (the viewer; bench_load's images mode). A step
    // draws one tile at least, and stops when another like the last would pass the budget, so the slowest step
    // overshoots it by a tile's misestimate: 12 ms keeps 1:5000's steps under 16 ms.
    static constexpr std::chrono::milliseconds kWindowStepBudget{12};

    explicit ProgressiveFrame(int tile = kTile) : tileSize_(tile) {}
    // What a tile's view costs to draw (e.g. primitives): a tile over `maxCost` is split in four, down to kMinTile
    // px, so no one step draws much more than that. Set before start(); dropped when complete or cancelled.
    static constexpr int kMinTile = 4;
    void setCostLimit(std::function<size_t(const geo::View&)> cost, size_t maxCost) {
        cost_ = std::move(cost);
        maxCost_ = maxCost;
    }

    // Starts over for `view` (drops any unfinished work). The items share their layers' GPU objects.
    void start(const geo::View& view, std::vector<DrawItem> items, LabelPlan labels, geo::Rgba background,
               float pixelRatio);
    // Drops the work and the image (the view changed and will not be refined).
    void cancel();
    // Draws tiles while the next one (costing what the last did) fits in `budget` (at least one). True once the
    // image is complete.
    bool step(MapRenderer& renderer, std::chrono::steady_clock::duration budget);
    bool pending() const { return !pending_.empty(); }
    bool complete() const { return complete_; }
    // The image (single-sample, the view's size, premultiplied): complete when complete(), and from the first
    // step() on, the tiles drawn so far over the background (LayerImage shows a layer filling in).
    const RenderTarget& image() const { return image_; }
    bool started() const { return started_; }
    const geo::View& view() const { return view_; }
    // How long the last tile took to draw (0 before the first).
    std::chrono::steady_clock::duration lastTile() const { return lastTile_; }

private:
    geo::View view_;
    std::vector<DrawItem> items_;
    LabelPlan labels_;
    geo::Rgba background_{};
    float pixelRatio_ = 1;
    std::vector<std::array<int, 3>> pending_;  // tiles' top-left corners and sizes, the next at the back
    RenderTarget image_, tile_;
    int tileSize_ = kTile;
    std::function<size_t(const geo::View&)> cost_;
    size_t maxCost_ = 0;
    bool complete_ = false;
    bool started_ = false;  // the image exists and is cleared
    std::chrono::steady_clock::duration lastTile_{};
};

}  // namespace app::render

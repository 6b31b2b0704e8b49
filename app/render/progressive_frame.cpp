#include "render/progressive_frame.hpp"

#include <algorithm>

namespace app::render {

void ProgressiveFrame::start(const geo::View& view, std::vector<DrawItem> items, LabelPlan labels,
                             geo::Rgba background, float pixelRatio) {
    view_ = view;
    items_ = std::move(items);
    labels_ = std::move(labels);
    background_ = background;
    pixelRatio_ = pixelRatio;
    complete_ = false;
    started_ = false;
    lastTile_ = {};
    pending_.clear();
    for (int y = 0; y < view.height; y += tileSize_)
        for (int x = 0; x < view.width; x += tileSize_) pending_.push_back({x, y, tileSize_});
    std::reverse(pending_.begin(), pending_.end());  // taken from the back: top-left first
}

void ProgressiveFrame::cancel() {
    pending_.clear();
    items_.clear();  // do not keep dropped layers' GPU objects alive
    cost_ = nullptr;
    complete_ = false;
    started_ = false;
}

bool ProgressiveFrame::step(MapRenderer& renderer, std::chrono::steady_clock::duration budget) {
    if (pending_.empty()) return complete_;
    const auto begin = std::chrono::steady_clock::now();
    image_.ensure(view_.width, view_.height, 1);
    if (!started_) {  // tiles not drawn yet show the background, not what the texture held before
        image_.bindForDrawing();
        const float a = background_.a / 255.f;
        glClearColor(background_.r / 255.f * a, background_.g / 255.f * a, background_.b / 255.f * a, a);
        glClear(GL_COLOR_BUFFER_BIT);
        started_ = true;
    }
    const int screen = renderer.supersample();
    renderer.setSupersample(renderer.outputSupersample());
    while (!pending_.empty()) {
        const auto tileBegin = std::chrono::steady_clock::now();
        const auto [x, y, size] = pending_.back();
        pending_.pop_back();
        const int w = std::min(size, view_.width - x), h = std::min(size, view_.height - y);
        if (cost_ && size > kMinTile && cost_(MapRenderer::tileView(view_, x, y, w, h)) > maxCost_) {
            const int half = (size + 1) / 2;  // four quarters (the last ones may overhang), the top-left one next
            for (auto [dx, dy] : {std::pair{half, half}, {0, half}, {half, 0}, {0, 0}})
                if (x + dx < view_.width && y + dy < view_.height) pending_.push_back({x + dx, y + dy, half});
            continue;
        }
        tile_.ensure(w, h, 1);
        renderer.render(tile_, MapRenderer::tileView(view_, x, y, w, h), items_, background_, pixelRatio_, &labels_,
                        x, y);
        tile_.copyTo(image_, x, view_.height - y - h);  // GL rows count from the bottom
        glFinish();  // the driver may defer the work: count it against this step's budget, not the next frame's
        // Stop when another tile like this one would overrun the budget.
        const auto now = std::chrono::steady_clock::now();
        lastTile_ = now - tileBegin;
        if (now - begin + lastTile_ >= budget) break;
    }
    renderer.setSupersample(screen);
    if (pending_.empty()) {
        complete_ = true;
        items_.clear();
        cost_ = nullptr;
    }
    return complete_;
}

}  // namespace app::render

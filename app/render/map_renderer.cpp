#include "render/map_renderer.hpp"

#include <algorithm>
#include <cmath>

namespace app::render {

namespace {
constexpr int kSamples = 4;

void setBaseState() {
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glEnable(GL_BLEND);
    glEnable(GL_MULTISAMPLE);
    glBlendEquation(GL_FUNC_ADD);
    // Straight-alpha sources into a premultiplied target.
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
}
// Clips drawing to the item's side of the swipe divider (the whole target when it has no side).
void clipToSide(const DrawItem& item, const geo::View& view, int width, int height) {
    if (item.swipeSide == 0) {
        glDisable(GL_SCISSOR_TEST);
        return;
    }
    int x = static_cast<int>(std::lround(std::clamp(view.worldToScreenX(item.swipeWorldX), 0.0, double(width))));
    glEnable(GL_SCISSOR_TEST);
    if (item.swipeSide < 0) glScissor(0, 0, x, height);
    else glScissor(x, 0, width - x, height);
}
}  // namespace

void applySwipe(std::vector<DrawItem>& items, const geo::Project& project, const geo::Swipe& swipe, double dividerWorldX) {
    for (DrawItem& item : items) {
        item.swipeSide = 0;
        const geo::ProjectLayer* l = project.findLayer(item.layer);
        if (!swipe.enabled || !l) continue;
        auto named = [&](const std::vector<std::string>& names) {
            return std::find(names.begin(), names.end(), l->name) != names.end();
        };
        if (named(swipe.left)) item.swipeSide = -1;
        else if (named(swipe.right)) item.swipeSide = 1;
        item.swipeWorldX = dividerWorldX;
    }
}

MapRenderer::MapRenderer() : programs_(std::make_unique<Programs>()) {}

void MapRenderer::drawItem(const DrawItem& item, const DrawParams& params) const {
    if (item.vector) item.vector->draw(*programs_, params, item.style);
    if (item.raster) {
        glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        item.raster->draw(*programs_, params);
        if (item.rasterDetail) item.rasterDetail->draw(*programs_, params);
    }
    if (item.tiles) {
        glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        item.tiles->draw(*programs_, params);
    }
}

LabelPlan MapRenderer::planLabels(const geo::View& view, std::vector<LabelRequest> requests, float pixelRatio) {
    if (!labels_) labels_ = std::make_unique<LabelRenderer>();
    return labels_->plan(view, std::move(requests), pixelRatio);
}

void MapRenderer::render(RenderTarget& target, const geo::View& view, const std::vector<DrawItem>& items,
                         geo::Rgba background, float pixelRatio, const LabelPlan* labels, double labelOffsetX,
                         double labelOffsetY) {
    DrawParams params{&view, pixelRatio};
    target.bindForDrawing();
    setBaseState();
    float a = background.a / 255.f;
    glClearColor(background.r / 255.f * a, background.g / 255.f * a, background.b / 255.f * a, a);
    glClear(GL_COLOR_BUFFER_BIT);
    for (const DrawItem& item : items) {
        if (item.opacity <= 0.0f) continue;
        if (item.opacity >= 1.0f) {
            clipToSide(item, view, target.width(), target.height());
            drawItem(item, params);
            glDisable(GL_SCISSOR_TEST);
            continue;
        }
        scratch_.ensure(target.width(), target.height(), kSamples);
        scratch_.bindForDrawing();
        glClearColor(0, 0, 0, 0);
        glClear(GL_COLOR_BUFFER_BIT);
        drawItem(item, params);
        scratch_.resolve();
        target.bindForDrawing();
        clipToSide(item, view, target.width(), target.height());
        glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        programs_->composite.use();
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, scratch_.texture());
        glUniform1i(programs_->composite.uniform("u_layer"), 0);
        glUniform1f(programs_->composite.uniform("u_opacity"), item.opacity);
        glBindVertexArray(programs_->emptyVao.id());
        glDrawArrays(GL_TRIANGLES, 0, 3);
        glBindVertexArray(0);
        setBaseState();
    }
    if (labels && labels_) labels_->draw(*labels, target.width(), target.height(), labelOffsetX, labelOffsetY);
}

void MapRenderer::drawHighlight(const geo::View& view, const GpuVectorLayer& layer, size_t feature,
                                const Highlight& look, float pixelRatio) {
    DrawParams params{&view, pixelRatio};
    setBaseState();
    layer.drawFeature(*programs_, params, feature, look);
}

geo::View MapRenderer::tileView(const geo::View& full, int x, int y, int w, int h) {
    geo::View part = full;
    part.width = w;
    part.height = h;
    part.centerX = full.screenToWorldX(x + 0.5 * w);
    part.centerY = full.screenToWorldY(y + 0.5 * h);
    return part;
}

LabelRenderer& MapRenderer::labels() {
    if (!labels_) labels_ = std::make_unique<LabelRenderer>();
    return *labels_;
}

void MapRenderer::renderTiles(const geo::View& view, const std::vector<DrawItem>& items, geo::Rgba background,
                              float pixelRatio, int tile, const LabelPlan& plan, const Overlay* overlay,
                              const TileSink& sink) {
    RenderTarget target;
    std::vector<uint8_t> pixels;
    for (int ty = 0; ty < view.height; ty += tile) {
        for (int tx = 0; tx < view.width; tx += tile) {
            const int tw = std::min(tile, view.width - tx), th = std::min(tile, view.height - ty);
            renderTile(target, view, items, background, pixelRatio, plan, overlay, tx, ty, tw, th, pixels);
            sink(tx, ty, tw, th, pixels);
        }
    }
}

void MapRenderer::renderTile(RenderTarget& target, const geo::View& view, const std::vector<DrawItem>& items,
                             geo::Rgba background, float pixelRatio, const LabelPlan& plan, const Overlay* overlay,
                             int x, int y, int w, int h, std::vector<uint8_t>& pixels) {
    target.ensure(w, h, kSamples);
    render(target, tileView(view, x, y, w, h), items, background, pixelRatio, &plan, x, y);
    if (overlay) labels().drawOverlay(*overlay, w, h, x, y);
    target.readPixels(pixels);
}

std::vector<uint8_t> MapRenderer::renderImage(const geo::View& view, const std::vector<DrawItem>& items,
                                              geo::Rgba background, float pixelRatio, int tile,
                                              std::vector<LabelRequest> labels, LabelPlan* planOut,
                                              const Overlay* overlay) {
    std::vector<uint8_t> image(size_t(view.width) * view.height * 4);
    // Labels are placed once for the whole image, then each tile draws its window of that placement.
    LabelPlan plan = planLabels(view, std::move(labels), pixelRatio);
    renderTiles(view, items, background, pixelRatio, tile, plan, overlay,
                [&](int tx, int ty, int tw, int th, const std::vector<uint8_t>& pixels) {
                    for (int y = 0; y < th; ++y)
                        std::copy_n(&pixels[size_t(y) * tw * 4], size_t(tw) * 4,
                                    &image[(size_t(ty + y) * view.width + tx) * 4]);
                });
    if (planOut) *planOut = std::move(plan);
    return image;
}

}  // namespace app::render

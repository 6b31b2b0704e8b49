#include "render/map_renderer.hpp"

#include "render/layer_image.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <system_error>
#include <thread>

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

MapRenderer::MapRenderer() : programs_(std::make_unique<Programs>()) {
    // PLANATLAS_SUPERSAMPLE=1..8 overrides the outputs' supersampling: for benchmarks (1 = 4x multisampling only,
    // the look before #10).
    if (const char* env = std::getenv("PLANATLAS_SUPERSAMPLE")) {
        const int f = std::atoi(env);
        if (f >= 1 && f <= kMaxSupersample) outputSupersample_ = f;
    }
    outputPainter_ = defaultOutputPainter();
}

OutputPainter defaultOutputPainter() {
    const char* env = std::getenv("PLANATLAS_PAINTER");
    return env && std::string_view(env) == "gpu" ? OutputPainter::Gpu : OutputPainter::Cpu;
}

void MapRenderer::drawItem(const DrawItem& item, const DrawParams& params) const {
    if (item.image) item.image->draw(*programs_, *params.view);
    else if (item.vector) item.vector->draw(*programs_, params, item.style);
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

void MapRenderer::setSupersample(int factor) { supersample_ = std::clamp(factor, 1, kMaxSupersample); }

// One layer into `target` (bound, base state set). A layer with opacity < 1 goes through `scratch` first.
void MapRenderer::drawLayer(RenderTarget& target, RenderTarget& scratch, int scratchSamples, const DrawItem& item,
                            const DrawParams& params) {
    const geo::View& view = *params.view;
    if (item.opacity >= 1.0f) {
        clipToSide(item, view, target.width(), target.height());
        drawItem(item, params);
        glDisable(GL_SCISSOR_TEST);
        return;
    }
    scratch.ensure(target.width(), target.height(), scratchSamples);
    scratch.bindForDrawing();
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    drawItem(item, params);
    scratch.resolve();
    target.bindForDrawing();
    clipToSide(item, view, target.width(), target.height());
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    programs_->composite.use();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, scratch.texture());
    glUniform1i(programs_->composite.uniform("u_layer"), 0);
    glUniform1f(programs_->composite.uniform("u_opacity"), item.opacity);
    glBindVertexArray(programs_->emptyVao.id());
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    setBaseState();
}

// A run of vector layers, supersampled: drawn at supersample_ x supersample_ samples per pixel into a transparent
// offscreen image (one sample each, on a regular grid whose middle sample is the pixel centre), box-filtered down
// and composited over `target`. "Over" is associative, so the run composited at once equals the layers drawn one by
// one. The offscreen image covers windows of at most kSupersampleSide samples a side, all of one size (the last
// ones overhang the target's edge and are clipped), so memory stays bounded and nothing is reallocated per frame.
void MapRenderer::drawSupersampled(RenderTarget& target, const geo::View& view, const DrawItem* begin,
                                   const DrawItem* end, float pixelRatio) {
    const int s = supersample_, width = target.width(), height = target.height();
    const int maxWindow = std::max(1, kSupersampleSide / s);
    const int nx = (width + maxWindow - 1) / maxWindow, ny = (height + maxWindow - 1) / maxWindow;
    const int ww = (width + nx - 1) / nx, wh = (height + ny - 1) / ny;
    super_.ensure(ww * s, wh * s, 1);
    for (int y0 = 0; y0 < height; y0 += wh) {
        for (int x0 = 0; x0 < width; x0 += ww) {
            geo::View window = tileView(view, x0, y0, ww, wh);
            window.width *= s;
            window.height *= s;
            window.resolution /= s;
            const DrawParams params{&window, pixelRatio * float(s), float(s)};
            super_.bindForDrawing();
            setBaseState();
            glClearColor(0, 0, 0, 0);
            glClear(GL_COLOR_BUFFER_BIT);
            for (const DrawItem* item = begin; item != end; ++item)
                if (item->opacity > 0.0f) drawLayer(super_, superScratch_, 1, *item, params);
            target.bindForDrawing();
            const int glY = height - y0 - wh;  // GL counts rows from the bottom
            glViewport(x0, glY, ww, wh);
            glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
            const gl::Program& p = programs_->downsample;
            p.use();
            glActiveTexture(GL_TEXTURE0);
            glBindTexture(GL_TEXTURE_2D, super_.texture());
            glUniform1i(p.uniform("u_layer"), 0);
            glUniform1i(p.uniform("u_factor"), s);
            glUniform2i(p.uniform("u_origin"), x0, glY);
            glBindVertexArray(programs_->emptyVao.id());
            glDrawArrays(GL_TRIANGLES, 0, 3);
            glBindVertexArray(0);
        }
    }
    target.bindForDrawing();
    setBaseState();
}


void MapRenderer::paintItem(const geo::View& view, const DrawItem& item, float pixelRatio,
                            const std::function<void(const geo::PaintImage&)>& painted) {
    geo::PaintOptions options;
    options.pixelRatio = pixelRatio;
    options.minDotPixels = 1.0f / float(std::max(1, supersample_));  // the GL dots' smallest: one sample
    // ... and their coverage: those samples (parity at the half-covered threshold); unsupersampled, exact area (one
    // sample a pixel would make dots jump by whole pixels as the map pans).
    options.dotSamples = supersample_ > 1 ? supersample_ : 0;
    options.spotlight = item.paint->spotlight();
    // Its parts found and ordered once for every tile and band of the output.
    const std::shared_ptr<const geo::PaintParts> parts = item.paint->parts(view.resolution);
    options.parts = parts.get();
    paintInBands(paintBands_, paintScratches_, view.width, view.height, view, *item.paint, item.style, options, painted);
}

void MapRenderer::drawPainted(RenderTarget& target, const geo::View& view, const DrawItem& item, float pixelRatio) {
    const int w = target.width(), h = target.height();
    paintItem(view, item, pixelRatio);
    const int bands = static_cast<int>(paintBands_.size());
    // GL counts rows from the bottom.
    const size_t row = size_t(w) * 4;
    paintRows_.resize(row * size_t(h));
    for (int b = 0; b < bands; ++b) {
        const geo::PaintImage& image = paintBands_[size_t(b)];
        for (int y = 0; y < image.height; ++y)
            std::copy_n(&image.rgba[size_t(y) * row], row, &paintRows_[size_t(h - 1 - (image.originY + y)) * row]);
    }
    if (!paintTexture_) paintTexture_ = gl::makeTexture();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, paintTexture_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, paintRows_.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    target.bindForDrawing();
    clipToSide(item, view, w, h);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // premultiplied
    programs_->composite.use();
    glUniform1i(programs_->composite.uniform("u_layer"), 0);
    glUniform1f(programs_->composite.uniform("u_opacity"), item.opacity);
    glBindVertexArray(programs_->emptyVao.id());
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glDisable(GL_SCISSOR_TEST);
    setBaseState();
}

namespace {
// A float in [0, 1] as GL stores it in an 8-bit normalized channel (rounded to nearest).
uint8_t toUnorm8(float v) { return static_cast<uint8_t>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f); }
// x * y / 255 rounded to nearest, for x, y in 0..255 (exact).
uint32_t mul255(uint32_t x, uint32_t y) {
    const uint32_t t = x * y + 128;
    return (t + (t >> 8)) >> 8;
}
}  // namespace

bool MapRenderer::composableOnCpu(const std::vector<DrawItem>& items, const LabelPlan& plan, const Overlay* overlay) const {
    if (!composeOnCpu_ || overlay || !plan.placed.empty() || outputPainter_ != OutputPainter::Cpu ||
        outputSupersample_ <= 1)
        return false;
    return std::all_of(items.begin(), items.end(), [](const DrawItem& item) {
        // (A layer on one side of a swipe stays GL's: llvmpipe's scissor lets some of the column left of the
        // divider through, where multisampled.)
        return item.opacity <= 0.0f || (item.paint && !item.image && !item.raster && !item.tiles && item.swipeSide == 0);
    });
}

void MapRenderer::composeTileOnCpu(const geo::View& view, const std::vector<DrawItem>& items, geo::Rgba background,
                                   float pixelRatio, std::vector<uint8_t>& pixels) {
    const int w = view.width, h = view.height;
    const size_t row = size_t(w) * 4;
    pixels.resize(row * size_t(h));
    // Premultiplied while composing, as the GL target holds it: the clear colour first.
    const float a = background.a / 255.0f;
    const uint8_t clear[4] = {toUnorm8(background.r / 255.0f * a), toUnorm8(background.g / 255.0f * a),
                              toUnorm8(background.b / 255.0f * a), toUnorm8(a)};
    for (size_t i = 0; i < pixels.size(); i += 4) std::copy_n(clear, 4, &pixels[i]);
    size_t last = items.size();
    for (size_t i = 0; i < items.size(); ++i)
        if (items[i].opacity > 0.0f) last = i;
    // Straight alpha, as RenderTarget::readPixels gives it.
    auto unpremultiply = [&](uint8_t* px, size_t n) {
        for (size_t i = 0; i < n; i += 4) {
            const uint32_t alpha = px[i + 3];
            if (alpha == 255 || alpha == 0) continue;
            for (int c = 0; c < 3; ++c) px[i + c] = static_cast<uint8_t>(std::min<uint32_t>(255, px[i + c] * 255u / alpha));
        }
    };
    if (last == items.size()) unpremultiply(pixels.data(), pixels.size());
    for (size_t i = 0; i < items.size(); ++i) {
        const DrawItem& item = items[i];
        if (item.opacity <= 0.0f) continue;
        // The composite shader's texel times the opacity, stored to 8 bits, then blended (ONE, ONE_MINUS_SRC_ALPHA)
        // in 8-bit fixed point, rounded to nearest: llvmpipe's RGBA8 blending gives the same, or a level off (rarely
        // two) in about 1 channel value of 5000 (PaintedOutput.ComposedOnTheCpuAsTheGlCompositeComposesIt). Each
        // band as soon as it is painted, on its painting thread (bands are distinct rows).
        const bool whole = item.opacity >= 1.0f, lastItem = i == last;
        const float opacity = item.opacity;
        paintItem(view, item, pixelRatio, [&, whole, lastItem, opacity](const geo::PaintImage& band) {
            uint8_t* rows = &pixels[size_t(band.originY) * row];
            const size_t n = size_t(band.height) * row;
            for (size_t k = 0; k < n; k += 4) {
                const uint8_t* sp = &band.rgba[k];
                uint8_t* dp = rows + k;
                uint32_t s[4] = {sp[0], sp[1], sp[2], sp[3]};
                if (whole && s[3] == 255) {
                    std::copy_n(sp, 4, dp);
                    continue;
                }
                if (!whole)
                    for (uint32_t& c : s) c = toUnorm8(c / 255.0f * opacity);
                if ((s[0] | s[1] | s[2] | s[3]) == 0) continue;
                const uint32_t keep = 255 - s[3];
                for (int c = 0; c < 4; ++c) dp[c] = static_cast<uint8_t>(std::min<uint32_t>(255, s[c] + mul255(dp[c], keep)));
            }
            if (lastItem) unpremultiply(rows, n);
        });
    }
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
    // Vector layers are supersampled (when asked); rasters and tile basemaps are images already resampled to the
    // output grid and are drawn directly.
    auto supersampled = [this](const DrawItem& item) {
        return supersample_ > 1 && item.vector && !item.image && !item.raster && !item.tiles;
    };
    // Outputs paint what the CPU painter can draw (exact coverage, no per-sample cost).
    auto painted = [this](const DrawItem& item) {
        return item.paint && !item.image && !item.raster && !item.tiles &&
               ((output_ && outputPainter_ == OutputPainter::Cpu && supersample_ > 1) || !item.vector);
    };
    for (size_t i = 0; i < items.size();) {
        if (painted(items[i])) {
            if (items[i].opacity > 0.0f) drawPainted(target, view, items[i], pixelRatio);
            ++i;
            continue;
        }
        if (supersampled(items[i])) {
            size_t j = i;
            while (j < items.size() && supersampled(items[j]) && !painted(items[j])) ++j;
            drawSupersampled(target, view, items.data() + i, items.data() + j, pixelRatio);
            i = j;
            continue;
        }
        if (items[i].opacity > 0.0f) drawLayer(target, scratch_, kSamples, items[i], params);
        ++i;
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
    if (composableOnCpu(items, plan, overlay)) {
        const int screen = supersample_;
        supersample_ = outputSupersample_;
        try {
            composeTileOnCpu(tileView(view, x, y, w, h), items, background, pixelRatio, pixels);
        } catch (...) {
            supersample_ = screen;
            throw;
        }
        supersample_ = screen;
        return;
    }
    target.ensure(w, h, kSamples);
    // Every output (render, export, per-layer images) is drawn at the output supersampling, whatever the screen uses.
    const int screen = supersample_;
    supersample_ = outputSupersample_;
    output_ = true;
    try {
        render(target, tileView(view, x, y, w, h), items, background, pixelRatio, &plan, x, y);
    } catch (...) {
        supersample_ = screen;
        output_ = false;
        throw;
    }
    supersample_ = screen;
    output_ = false;
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

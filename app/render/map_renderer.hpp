#pragma once
// Draws a stack of layers for a view into a framebuffer. Shared by the window and the headless render/export
// paths, so what the screen shows is what a PNG gets. Sets every piece of GL state it relies on.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "project/project.hpp"
#include "render/gpu_layer.hpp"
#include "render/labels.hpp"
#include "paint/vector_paint.hpp"
#include "render/paint_source.hpp"
#include "render/programs.hpp"
#include "render/render_target.hpp"
#include "render/tile_layer.hpp"

namespace app::render {

class LayerImage;

// One layer to draw. It shares ownership of its GPU objects and copies its style, so a list of items stays valid
// however long it is kept (an export across frames) while the scene replaces or drops the layer.
struct DrawItem {
    std::shared_ptr<const GpuVectorLayer> vector;
    std::shared_ptr<const GpuRasterLayer> raster;
    std::shared_ptr<const GpuRasterLayer> rasterDetail;  // sharper window over `raster` for the current view
    geo::Style style;
    float opacity = 1.0f;
    geo::LayerId layer = 0;
    // Swipe comparison: -1 drawn only left of the divider at world x `swipeWorldX` (display CRS), +1 only right of
    // it, 0 everywhere. A world position, so every tile of an export clips at the same place.
    int swipeSide = 0;
    double swipeWorldX = 0;
    std::shared_ptr<GpuTileLayer> tiles;  // a tile basemap (loads what a headless draw needs: not const)
    // The window only: draw `vector` from this image of it (LayerImageCache; heavy layers).
    std::shared_ptr<const LayerImage> image;
    // Set when the CPU painter can draw the layer (geo::canPaint): outputs paint it instead of supersampling it.
    std::shared_ptr<const PaintSource> paint;
};

// Marks the items of the layers named in `swipe.left` / `swipe.right` (when it is enabled) to draw on one side of
// the divider at world x `dividerWorldX`.
void applySwipe(std::vector<DrawItem>& items, const geo::Project& project, const geo::Swipe& swipe, double dividerWorldX);

// Antialiasing. In every output (render, export) the vector layers the CPU painter can draw are painted with exact
// coverage (OutputPainter); the rest are drawn at kOutputSupersample x kOutputSupersample samples a pixel (25: 26
// coverage levels) on a regular grid whose middle sample is the pixel centre. Either way a pixel is at least half
// covered when its centre is inside a straight edge (up to corners), the rule gdal_rasterize burns by. The window
// draws on the GPU: at the target's 4x multisampling while the view moves and, when the viewer asks
// (setSupersample), supersampled like an export once it settles (the parity tests hold the painter to it).
constexpr int kOutputSupersample = 5;
constexpr int kMaxSupersample = 8;
constexpr int kSupersampleSide = 2560;  // the supersampled window's side in samples (26 MB of RGBA)

// How outputs (render, export, per-layer images) draw the vector layers the CPU painter can draw (DrawItem::paint):
// painted with exact coverage on the CPU (the default), or supersampled on the GPU like the rest. The window always
// draws on the GPU; the parity test holds the two to the same picture. PLANATLAS_PAINTER=gpu sets the default to GPU.
enum class OutputPainter { Cpu, Gpu };
OutputPainter defaultOutputPainter();

class MapRenderer {
public:
    MapRenderer();
    // Samples per pixel along each axis for vector layers in render() (1: the target's own multisampling only).
    // renderTile/renderTiles/renderImage always use kOutputSupersample (or PLANATLAS_SUPERSAMPLE, for benchmarks).
    void setSupersample(int factor);
    int supersample() const { return supersample_; }
    int outputSupersample() const { return outputSupersample_; }
    void setOutputPainter(OutputPainter p) { outputPainter_ = p; }
    OutputPainter outputPainter() const { return outputPainter_; }
    // Clears `target` to `background` and draws `items` bottom to top. Layers with opacity < 1 are drawn into a
    // scratch target first and composited, so overlapping features inside one layer do not darken each other.
    void render(RenderTarget& target, const geo::View& view, const std::vector<DrawItem>& items,
                geo::Rgba background, float pixelRatio, const LabelPlan* labels = nullptr, double labelOffsetX = 0,
                double labelOffsetY = 0);
    // Measures and places labels for a view (see LabelRenderer::plan).
    LabelPlan planLabels(const geo::View& view, std::vector<LabelRequest> requests, float pixelRatio);
    // Draws one feature of `layer` (its own triangles and outline, no copy) in `color` over whatever the bound
    // framebuffer holds (no clear): hover and selection highlights.
    void drawHighlight(const geo::View& view, const GpuVectorLayer& layer, size_t feature, const Highlight& look,
                       float pixelRatio);
    // Renders a width x height image of `view` in tiles of at most `tile` pixels a side and returns RGBA rows,
    // top first (straight alpha). Memory for GL targets stays bounded by the tile size; every tile is the exact
    // pixel window of one large render (same resolution, integer offsets), so seams do not show.
    std::vector<uint8_t> renderImage(const geo::View& view, const std::vector<DrawItem>& items, geo::Rgba background,
                                     float pixelRatio, int tile = 2048, std::vector<LabelRequest> labels = {},
                                     LabelPlan* planOut = nullptr, const Overlay* overlay = nullptr);
    // The same, handing each finished tile to `sink(x, y, w, h, rgba)` instead of keeping the image: memory
    // stays bounded by the tile size whatever the output size. `overlay` (export decorations) is drawn last.
    using TileSink = std::function<void(int, int, int, int, const std::vector<uint8_t>&)>;
    void renderTiles(const geo::View& view, const std::vector<DrawItem>& items, geo::Rgba background, float pixelRatio,
                     int tile, const LabelPlan& labels, const Overlay* overlay, const TileSink& sink);
    // One tile of renderTiles: the pixel window (x, y, w, h) of `view` into `target`, read back into `pixels`
    // (RGBA rows, top first). For callers that spread the tiles over time (File > Export, one per frame).
    void renderTile(RenderTarget& target, const geo::View& view, const std::vector<DrawItem>& items,
                    geo::Rgba background, float pixelRatio, const LabelPlan& labels, const Overlay* overlay, int x,
                    int y, int w, int h, std::vector<uint8_t>& pixels);
    LabelRenderer& labels();
    // Whether renderTile composes a tile whose items are all painted (no label, no overlay, no swipe side) on the
    // CPU: the GL composite's pixels (to within a level or two) without its upload, multisampled target and read back (on
    // by default; off for the test that holds the two together).
    void setComposeOnCpu(bool on) { composeOnCpu_ = on; }
    // The view of the pixel window (x, y, w, h) of `full`: same resolution, centre from the full pixel grid in
    // doubles, so tiles line up exactly.
    static geo::View tileView(const geo::View& full, int x, int y, int w, int h);
    const Programs& programs() const { return *programs_; }

private:
    void drawItem(const DrawItem& item, const DrawParams& params) const;
    void drawLayer(RenderTarget& target, RenderTarget& scratch, int scratchSamples, const DrawItem& item,
                   const DrawParams& params);
    void drawSupersampled(RenderTarget& target, const geo::View& view, const DrawItem* begin, const DrawItem* end,
                          float pixelRatio);
    // An item painted on the CPU (DrawItem::paint) into paintBands_ (its view's pixels).
    void paintItem(const geo::View& view, const DrawItem& item, float pixelRatio,
                   const std::function<void(const geo::PaintImage&)>& painted = nullptr);
    // ... and into a texture, composited over `target` (bound).
    void drawPainted(RenderTarget& target, const geo::View& view, const DrawItem& item, float pixelRatio);
    bool composableOnCpu(const std::vector<DrawItem>& items, const LabelPlan& plan, const Overlay* overlay) const;
    // The tile (`view`: its own pixels) composed on the CPU: background, then each painted item over it.
    void composeTileOnCpu(const geo::View& view, const std::vector<DrawItem>& items, geo::Rgba background,
                          float pixelRatio, std::vector<uint8_t>& pixels);
    std::unique_ptr<Programs> programs_;
    std::unique_ptr<LabelRenderer> labels_;
    RenderTarget scratch_, super_, superScratch_;
    int supersample_ = 1;
    int outputSupersample_ = kOutputSupersample;
    OutputPainter outputPainter_ = OutputPainter::Cpu;
    bool output_ = false;  // inside renderTile: an output, not the window
    bool composeOnCpu_ = true;
    gl::Texture paintTexture_;
    std::vector<geo::PaintImage> paintBands_;           // one per painting thread
    std::vector<geo::PaintScratchPtr> paintScratches_;  // likewise
    std::vector<uint8_t> paintRows_;
};

}  // namespace app::render

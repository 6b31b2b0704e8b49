#pragma once
// The CPU painter: a vector layer's polygons and lines drawn with exact-area coverage (geo/paint/coverage.hpp) into
// an RGBA image. Outputs (render, export) paint the layers it can draw with it instead of supersampling them on the
// GPU: a software rasterizer pays per sample and per primitive, this pays per edge and per covered pixel.
//
// It draws what the GL layers draw (app/render/gpu_layer.hpp), so the window and an export show the same map (a
// parity test holds the two to the same image):
// - parts (a polygon with its holes, or a line) at least `dotPixels` wide: fills first (non-zero rule), then
//   outlines as capsules `strokeWidth * pixelRatio` wide (round joins and caps), each pass over all features; a
//   join whose mitre point lies within 0.21 px of its arc meets there (a 1 px outline's right angles: 0.05 px^2
//   more than the round join, and a third of the outline's edges for a rectangle);
// - smaller parts: one square dot each, their size wide (at least a sample), centred on their box, in the fill
//   colour (the stroke colour when the layer has no polygon or no fill), after both passes; covered by exact area
//   or by the GL backend's samples (PaintOptions::dotSamples).
// A pass in one opaque colour is painted as one shape, the union of its parts (no seam where parts meet inside a
// pixel, as GL's samples give); translucent or per-feature colours blend part by part (overlaps darken, as in GL).
// An opaque fill and an opaque outline, one colour each, are one pass: the fill is what the outline's inner offset
// covers, so a pixel split between the two shows both in proportion and nothing under them (as GL's samples show
// it; blending the outline over the fill let the background through there), and the fill costs no edges of its own.
// Colours come from geo::featurePaint; layers with point symbols, hatching or dashed outlines are the GL
// backend's (canPaint). Differences that remain: GL blends a translucent stroke's segments one by one, so its
// joins' inner corners are darker there; overlapping parts of different colours stack in the Z order of their
// positions (8-pixel blocks), where the GL layers stack them in the Z order of their cells; and where a part's
// shapes overlap inside a pixel (a stroke cut at a fold, parts that overlap), their areas add up (clamped to the
// pixel) where GL's samples count them once.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "crs/crs.hpp"
#include "store/feature_table.hpp"
#include "style/style.hpp"
#include "view/view.hpp"

namespace geo {

// An image with premultiplied alpha, rows top first: rows originY .. originY + height - 1 of the view's frame (a band
// of it, for painting bands on several threads; 0 and the view's height for all of it).
struct PaintImage {
    int width = 0, height = 0, originY = 0;
    std::vector<uint8_t> rgba;
    void reset(int w, int h, int firstRow = 0);  // transparent
};

// Working memory paintVectorLayer keeps between calls (export tiles): without it every call allocates its own.
struct PaintScratch;
struct PaintScratchDeleter {
    void operator()(PaintScratch* p) const;
};
using PaintScratchPtr = std::unique_ptr<PaintScratch, PaintScratchDeleter>;
PaintScratchPtr makePaintScratch();

struct PaintOptions {
    float pixelRatio = 1.0f;   // multiplies the stroke width (export DPI / 96)
    float dotPixels = 3.0f;    // parts smaller than this are drawn as dots
    // The smallest dot's side (the GL backend's one sample at 5x5 supersampling): smaller parts draw a dot this wide
    // with their alpha scaled by size / minDotPixels (at least a quarter).
    float minDotPixels = 0.2f;
    // Dots are tiny squares whose half-covered pixels flip with a tenth of a pixel, so they are sampled as the GL
    // backend samples them: an N x N grid of points per pixel (N = dotSamples, the outputs' supersampling; the
    // middle one at the pixel centre), a sample covered when it lies inside the square. 0: exact area instead.
    int dotSamples = 0;
    std::vector<uint8_t> spotlight;  // see geo::featurePaint
    PaintScratch* scratch = nullptr;  // reused working memory (one thread at a time)
    // Set (by another thread) to stop painting early: the image is then incomplete, to be thrown away.
    const std::atomic<bool>* cancel = nullptr;
    // The table's parts found and ordered once (indexPaintParts) for the view's resolution; else (or made for
    // another resolution) each call finds and orders them itself.
    const struct PaintParts* parts = nullptr;
};

// The parts of a table as the painter meets them (boxes in the CRS of the vertices given, kinds, where their
// vertices are), in the order it draws them: the Z order of their centres' blocks of 8 pixels at `resolution`, then
// the table's. An export paints the same table at the same resolution for every tile and band, on several threads:
// made once and passed in PaintOptions::parts, each call only culls (1M buildings: ~0.1 s a call). Immutable.
struct PaintPart {
    uint32_t part, feature, v0, vertices, r0, rings;
    double minX, minY, maxX, maxY;  // of its finite vertices
    uint32_t order;                 // the Z-order code of its centre's block
    bool finite, polygon;
};
struct PaintParts {
    double resolution = 0;
    bool polygons = false;  // the table has polygon features
    // (Its elements are left uninitialized when it is sized: indexPaintParts writes each one.)
    template <class T>
    struct Uninitialized : std::allocator<T> {
        Uninitialized() = default;
        template <class U>
        Uninitialized(const Uninitialized<U>&) noexcept {}
        template <class U>
        struct rebind {
            using other = Uninitialized<U>;
        };
        template <class U, class... Args>
        void construct(U* p, Args&&... args) {
            if constexpr (sizeof...(Args) == 0) ::new (static_cast<void*>(p)) U;
            else ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
        }
    };
    std::vector<PaintPart, Uninitialized<PaintPart>> parts;
    // The parts by rows, so that a band of an output looks at the parts that may reach it, not at all of them:
    // strips of kPaintStripRows pixel rows on a grid fixed to the map (strip k holds world y in
    // [-(k + 1) h, -k h], h = stripHeight), strip k's parts at stripParts[stripBegin[k - firstStrip]] up to
    // stripBegin[k - firstStrip + 1] (indices into `parts`, ascending). A part meeting more than kPaintStripsAPart
    // strips is in `tall` instead, looked at by every band. No strips (stripBegin empty) when the layer is taller
    // than kPaintMaxStrips of them: then every band looks at every part.
    double stripHeight = 0;
    int64_t firstStrip = 0;
    std::vector<uint32_t> stripBegin, stripParts, tall;
    // How many strips a vertex's part meets, on average over the vertices (a tall part: all the layer's strips).
    // Every band a part reaches goes through all its vertices (its outline's offsets): a layer of few large parts
    // (a coastline) is painted in fewer, taller bands (app/render/paint_source.cpp).
    double stripsAVertex = 1.0;
};
// The table's vertices in the display CRS, as the painter reads them (the table's indexing): `xy` as they are, or
// `xy` through `grid` (a GridTransformer made on the table's vertex extent, so that every finite vertex is on it):
// the copy reprojectLayer would make, made per vertex as it is read (the same bits), without its memory.
struct PaintVertices {
    const double* xy = nullptr;
    const GridTransformer* grid = nullptr;
    PaintVertices(const double* xy_) : xy(xy_) {}  // NOLINT: a plain array is what most callers have
    PaintVertices(const double* xy_, const GridTransformer* grid_) : xy(xy_), grid(grid_) {}
    // Vertex v; +inf where it is not on the grid (as a vertex that did not transform).
    void at(size_t v, double& x, double& y) const {
        x = xy[2 * v];
        y = xy[2 * v + 1];
        if (grid && !grid->onGrid(x, y)) x = y = HUGE_VAL;
    }
};

constexpr int kPaintStripRows = 64;
constexpr int64_t kPaintStripsAPart = 64;
constexpr int64_t kPaintMaxStrips = int64_t(1) << 22;
std::shared_ptr<const PaintParts> indexPaintParts(const FeatureTable& table, const PaintVertices& xy, double resolution);

// True when paintVectorLayer draws everything `style` asks of `table`: no point features, no hatching, no
// per-feature symbols, no dashes.
bool canPaint(const Style& style, const FeatureTable& table);
// The table's half of canPaint: no point features (a style without per-feature symbols can then be painted).
bool canPaintTable(const FeatureTable& table);

// Draws the features over `image`, whose frame is `view` (image.width pixels wide; its rows are the image's band of
// the view's). A band paints exactly as the same rows of the whole would: pixel coordinates come from the view. `xy` holds the
// table's vertices in the view's CRS (same indexing; non-finite where a vertex did not transform: parts touching
// one draw only their outline's finite segments and no fill).
void paintVectorLayer(PaintImage& image, const View& view, const FeatureTable& table, const PaintVertices& xy,
                      const Style& style, const PaintOptions& options = {});

}  // namespace geo

#pragma once
// GPU buffers of one layer in one display CRS, built once per load / CRS change; a frame only issues draw calls.
// Positions are uploaded as floats relative to the layer's origin (its display-extent centre, a double).
//
// Level of detail and culling: the layer's parts (a polygon with its holes, or a line) are bucketed into cells (the
// leaves of a quadtree over the layer, at most 128 part centres each), and inside each cell sorted by size, largest
// first; triangles and line strips are
// stored in that order. A frame draws, for every visible cell, the prefix of parts at least kDotPixels wide as
// full geometry and the rest as one dot each (a part a few pixels wide reads as a blob of its colour either way,
// and llvmpipe pays per primitive). Culling and LOD cost a binary search per cell, no per-frame geometry work.
#include <memory>
#include <vector>

#include "gl/gl_objects.hpp"
#include "gl/upload_context.hpp"
#include "layer/vector_layer.hpp"
#include "source/raster_source.hpp"
#include "style/style.hpp"
#include "view/view.hpp"

namespace app::render {

struct Programs;

constexpr uint32_t kPrimitiveRestart = 0xFFFFFFFFu;
// Strokes up to this many pixels wide are drawn as GL lines (fast); wider ones as antialiased capsules.
constexpr float kHairlinePixels = 1.5f;
// Parts smaller than this (in pixels) are drawn as dots.
constexpr float kDotPixels = 3.0f;

// Pixel sizes (stroke width, point size) are multiplied by `pixelRatio` (HiDPI, or export DPI / 96).
struct DrawParams {
    const geo::View* view = nullptr;
    float pixelRatio = 1.0f;  // pixel sizes (strokes, symbols, hatching) are multiplied by this
    // Samples per output pixel along each axis when the view is a supersampled copy of the output (see
    // MapRenderer::setSupersample): level-of-detail choices (parts drawn as dots) stay in output pixels.
    float supersample = 1.0f;
};

// How a highlighted feature looks (hover, selection): outline `widthPx` wide in `color`, and a translucent fill
// of the same colour when `fill`.
struct Highlight {
    geo::Rgba color{255, 196, 0, 255};
    float widthPx = 3.0f;
    bool fill = false;
};

struct LodCell {
    geo::BBox box;               // display-CRS bounds of the cell's parts
    uint32_t rankBegin = 0, rankEnd = 0;
};

// Everything a vector layer's GPU buffers hold, prepared on a worker thread (no GL calls).
struct VectorStaging {
    double originX = 0, originY = 0;
    geo::BBox extent;
    std::vector<float> positions;      // per source vertex, relative to the origin
    std::vector<uint8_t> validity;     // 1 when a segment joins vertex i and i+1 (capsule strokes)
    std::vector<uint32_t> triangles;   // parts in rank order
    std::vector<uint32_t> strips;      // line-strip indices per ring, parts in rank order, restart between rings
    std::vector<uint32_t> rankTriangleStart, rankStripStart;  // per rank, plus one final entry
    std::vector<float> rankSize;       // part size (display units), descending inside each cell
    std::vector<float> dots;           // per rank: centre x, y (relative to the origin), size
    std::vector<uint32_t> rankFeature; // feature of each rank (dot colours, highlights)
    std::vector<uint32_t> rankVertices;  // per rank: first vertex, end vertex (capsule strokes, highlights)
    std::vector<LodCell> cells;
    std::vector<uint32_t> pointVertex;  // which vertex each point symbol is
    std::vector<uint32_t> featureRankStart, featureRanks;  // ranks of each feature (CSR), for highlights
    std::vector<uint32_t> featurePointStart;               // point instances of each feature (CSR over pointVertex)
    bool hasLines = false;
};
// `threads`: 0 for as many as the layer's size is worth (two from 100k parts), else that many (tests).
VectorStaging stageVector(const geo::VectorLayerData& data, const geo::DisplayGeometry& geometry, int threads = 0);

// The bulk of a vector layer's GPU data: positions, validity, triangle and strip indices, dots and point
// positions, in buffers (which contexts share; vertex arrays they are not). Made by uploadGeometry on any thread
// with a GL context current that shares objects with the drawing context; GpuVectorLayer takes the buffers over.
struct GpuGeometry {
    gl::Buffer positions, validity, indices, strips, dots, pointPositions;
    size_t vertexCount = 0, bytes = 0;
    // The context it was made in, when that is an upload context: buffers never taken over are deleted there (the
    // thread that drops them may have no context current).
    gl::UploadContext* madeIn = nullptr;
    GpuGeometry() = default;
    GpuGeometry(GpuGeometry&&) = default;
    GpuGeometry& operator=(GpuGeometry&&) = delete;
    ~GpuGeometry();
};
// Uploads the staging's geometry into new buffers on the calling thread's current context.
GpuGeometry uploadGeometry(const VectorStaging& staging);
// The same through `context` (any thread; the GL work is finished when it returns), then releases those CPU arrays
// of `staging` (what GpuVectorLayer still needs of it, ranks and cells, stays).
std::unique_ptr<GpuGeometry> uploadGeometry(VectorStaging& staging, gl::UploadContext& context);

class GpuVectorLayer {
public:
    // Uploads the staging's geometry and takes over its rank, cell and feature arrays.
    GpuVectorLayer(VectorStaging&& staging, const geo::VectorLayerData& data, const geo::Style& style);
    // Takes over buffers uploaded beforehand (uploadGeometry, on a worker's upload context): only the vertex arrays
    // and the colours are made here, on the main thread.
    GpuVectorLayer(VectorStaging&& staging, GpuGeometry&& geometry, const geo::VectorLayerData& data,
                   const geo::Style& style);
    // Rebuilds only the per-vertex colours (categorized styles, spotlight, timeline); positions stay. `spotlight`,
    // when not empty, has one byte per feature: 2 shown, 1 dimmed (a slide's "others dimmed"), 0 hidden (outside
    // the timeline).
    void updateStyle(const geo::VectorLayerData& data, const geo::Style& style,
                     const std::vector<uint8_t>& spotlight = {});
    void draw(const Programs& programs, const DrawParams& params, const geo::Style& style) const;
    // Draws one feature from these same buffers (no copy, no re-tessellation) as a highlight.
    void drawFeature(const Programs& programs, const DrawParams& params, size_t feature, const Highlight& look) const;
    size_t gpuBytes() const { return gpuBytes_; }
    const geo::BBox& extent() const { return extent_; }
    // Primitives (triangles, outline segments, dots, point symbols) a draw of `view` issues: what a software
    // rasterizer pays per frame (LayerImageCache draws a layer from an image above a threshold).
    // `points`: count the point symbols too (drawn whatever the view: they are not culled).
    size_t visiblePrimitives(const geo::View& view, float supersample = 1.0f, bool points = true) const;
    size_t pointCount() const { return pointCount_; }
    // Changes whenever updateStyle rebuilds the colours (the same object can look different).
    uint64_t styleVersion() const { return styleVersion_; }

private:
    struct Ranges {
        std::vector<GLsizei> triCounts, stripCounts, dotCounts;
        std::vector<const void*> triOffsets, stripOffsets;
        std::vector<GLint> dotFirsts;
        std::vector<GLint> capsuleFirsts;  // capsule strokes: six vertices per segment
        std::vector<GLsizei> capsuleCounts;
    };
    // `dashes`: dash the segments of features whose symbology has geo::kDashedOutline (the style's dashField).
    void drawCapsules(const Programs& programs, const DrawParams& params, geo::Rgba color, float widthPx,
                      bool perVertexColor, bool dashes, const std::vector<GLint>& firsts,
                      const std::vector<GLsizei>& counts) const;
    void setVertexAttributesForStyle() const;
    void uploadFillColors(const geo::FeatureTable& t, const std::vector<geo::Rgba>& featureColors);
    void uploadStrokeColors(const geo::FeatureTable& t, const std::vector<geo::Rgba>& strokePerFeature);
    void makeVertexArrays();
    void drawFills(const Programs& programs, const DrawParams& params, const geo::Style& style, const Ranges& r) const;
    void drawHairlines(const Programs& programs, const DrawParams& params, const geo::Style& style,
                       const Ranges& r) const;
    void drawDots(const Programs& programs, const DrawParams& params, const geo::Style& style, const Ranges& r) const;
    void drawPoints(const Programs& programs, const DrawParams& params, const geo::Style& style) const;
    // `supersample`: the view's pixels per output pixel along an axis (DrawParams::supersample). `padPixels`: how
    // far past its parts' bounds a cell draws (half a stroke's width and its antialiasing), in the view's pixels,
    // so a stroke reaching into the view from a cell outside it is drawn (no seams between tiles).
    void visibleRanges(const geo::View& view, float supersample, Ranges& out, double padPixels = 0) const;
    void updateSymbology(const geo::FeatureTable& table, const geo::Style& style);

    double originX_ = 0, originY_ = 0;
    geo::BBox extent_;
    gl::Buffer positions_, validity_, strips_, indices_, colors_, symbology_, dots_, dotColors_, pointPositions_,
        pointColors_, pointSymbology_, strokeColors_;
    // Buffer textures for the capsule pass: over positions_, validity_, the stroke colours and symbology_.
    gl::Texture positionsTex_, validityTex_, strokeColorsTex_, symbologyTex_;
    gl::VertexArray fillVao_, lineVao_, stripVao_, dotVao_, pointVao_;
    size_t vertexCount_ = 0, pointCount_ = 0;
    bool hasLines_ = false, perFeatureColor_ = false, perFeatureSymbology_ = false, perFeatureStroke_ = false;
    bool dashes_ = false;  // some feature has a dashed outline: strokes go through the capsule pass at any width
    std::vector<uint32_t> pointVertex_;
    std::vector<uint32_t> rankTriangleStart_, rankStripStart_, rankFeature_, rankVertices_;
    std::vector<uint32_t> featureRankStart_, featureRanks_;  // ranks of each feature (CSR)
    std::vector<uint32_t> featurePointStart_;                // point instances of each feature (CSR over pointVertex_)
    std::vector<float> rankSize_;
    std::vector<LodCell> cells_;
    size_t gpuBytes_ = 0;
    uint64_t styleVersion_ = 0;
};

class GpuRasterLayer {
public:
    explicit GpuRasterLayer(const geo::RasterImage& image);
    void draw(const Programs& programs, const DrawParams& params) const;
    const geo::BBox& extent() const { return extent_; }

private:
    geo::BBox extent_;
    gl::Texture texture_;
    gl::Buffer quad_;
    gl::VertexArray vao_;
};

}  // namespace app::render

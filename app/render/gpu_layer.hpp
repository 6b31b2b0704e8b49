#pragma once
// GPU buffers of one layer in one display CRS, built once per load / CRS change; a frame only issues draw calls.
// Positions are uploaded as floats relative to the layer's origin (its display-extent centre, a double).
#include <memory>
#include <vector>

#include "gl/gl_objects.hpp"
#include "layer/vector_layer.hpp"
#include "source/raster_source.hpp"
#include "style/style.hpp"
#include "view/view.hpp"

namespace app::render {

struct Programs;

constexpr uint32_t kPrimitiveRestart = 0xFFFFFFFFu;
// Strokes up to this many pixels wide are drawn as GL lines (fast); wider ones as antialiased capsules.
constexpr float kHairlinePixels = 1.5f;

// Pixel sizes (stroke width, point size) are multiplied by `pixelRatio` (HiDPI, or export DPI / 96).
struct DrawParams {
    const geo::View* view = nullptr;
    float pixelRatio = 1.0f;
};

// Everything a vector layer's GPU buffers hold, prepared on a worker thread (no GL calls).
struct VectorStaging {
    double originX = 0, originY = 0;
    geo::BBox extent;
    std::vector<float> positions;   // per source vertex, relative to the origin
    std::vector<uint8_t> validity;  // 1 when a segment joins vertex i and i+1
    std::vector<uint32_t> strips;   // line-strip indices per ring, kPrimitiveRestart between rings
    std::vector<uint32_t> triangles;  // filtered copy, only when some vertices failed to transform
    bool filteredTriangles = false;
    std::vector<uint32_t> pointVertex;  // which vertex each point instance is
    bool hasLines = false;
};
VectorStaging stageVector(const geo::VectorLayerData& data, const geo::DisplayGeometry& geometry);

class GpuVectorLayer {
public:
    GpuVectorLayer(const VectorStaging& staging, const geo::VectorLayerData& data, const geo::Style& style);
    // Rebuilds only the per-vertex colours (categorized styles); positions stay.
    void updateStyle(const geo::VectorLayerData& data, const geo::Style& style);
    void draw(const Programs& programs, const DrawParams& params, const geo::Style& style) const;
    size_t gpuBytes() const { return gpuBytes_; }
    const geo::BBox& extent() const { return extent_; }

private:
    double originX_ = 0, originY_ = 0;
    geo::BBox extent_;
    gl::Buffer positions_, validity_, strips_, indices_, colors_, pointPositions_, pointColors_;
    gl::Texture positionsTex_, validityTex_;  // buffer textures over positions_ and validity_ for the line pass
    gl::VertexArray fillVao_, lineVao_, stripVao_, pointVao_;
    size_t vertexCount_ = 0, indexCount_ = 0, pointCount_ = 0, stripCount_ = 0;
    bool hasLines_ = false, perFeatureColor_ = false;
    std::vector<uint32_t> pointVertex_;  // which vertex each point instance is
    size_t gpuBytes_ = 0;
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

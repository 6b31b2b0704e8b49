// GpuVectorLayer: per-feature colours, strokes, patterns and symbols (categorized styles, spotlight, dashes).
#include <algorithm>

#include "render/gpu_layer.hpp"
#include "render/programs.hpp"

namespace app::render {

namespace {
// Spreads one value per feature over that feature's vertices.
template <typename T>
std::vector<T> perVertex(const geo::FeatureTable& t, const std::vector<T>& perFeature, size_t vertexCount) {
    std::vector<T> out(vertexCount);
    for (size_t f = 0; f < t.featureCount(); ++f) {
        uint32_t p0 = t.partBegin(f), p1 = t.partEnd(f);
        if (p0 == p1) continue;
        uint32_t v0 = t.vertexBegin(t.ringBegin(p0)), v1 = t.vertexEnd(t.ringEnd(p1 - 1) - 1);
        std::fill(out.begin() + v0, out.begin() + v1, perFeature[f]);
    }
    return out;
}
}  // namespace

void GpuVectorLayer::updateStyle(const geo::VectorLayerData& data, const geo::Style& style,
                                 const std::vector<uint8_t>& spotlight) {
    ++styleVersion_;
    const geo::FeatureTable& t = data.source.table;
    updateSymbology(t, style);
    const geo::FeaturePaint paint = geo::featurePaint(style, t, spotlight);
    perFeatureColor_ = paint.perFeatureFill;
    colors_.reset();
    pointColors_.reset();
    dotColors_.reset();
    strokeColors_.reset();
    strokeColorsTex_.reset();
    perFeatureStroke_ = false;
    auto useConstant = [](GLuint vao, GLuint attribute) {
        if (!vao) return;
        glBindVertexArray(vao);
        glDisableVertexAttribArray(attribute);
    };
    if (!perFeatureColor_) {
        // Constant attribute (white) so the tint uniform alone sets the colour.
        useConstant(fillVao_.id(), 1);
        useConstant(stripVao_.id(), 1);
        useConstant(dotVao_.id(), 1);
        useConstant(pointVao_.id(), 2);
        glBindVertexArray(0);
        return;
    }
    uploadFillColors(t, paint.fill);
    perFeatureStroke_ = paint.perFeatureStroke;
    if (perFeatureStroke_) uploadStrokeColors(t, paint.stroke);
    glBindVertexArray(0);
}

// Fill colours per vertex (fills), per rank (dots) and per point symbol.
void GpuVectorLayer::uploadFillColors(const geo::FeatureTable& t, const std::vector<geo::Rgba>& featureColors) {
    std::vector<geo::Rgba> vertexColors = perVertex(t, featureColors, vertexCount_);
    glBindVertexArray(fillVao_.id());
    colors_ = gl::uploadBuffer(GL_ARRAY_BUFFER, vertexColors.data(), vertexColors.size() * 4);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);
    std::vector<geo::Rgba> dc(rankFeature_.size());
    for (size_t i = 0; i < dc.size(); ++i) dc[i] = featureColors[rankFeature_[i]];
    glBindVertexArray(dotVao_.id());
    dotColors_ = gl::uploadBuffer(GL_ARRAY_BUFFER, dc.data(), dc.size() * 4);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);
    if (pointCount_) {
        std::vector<geo::Rgba> pc(pointCount_);
        for (size_t i = 0; i < pointCount_; ++i) pc[i] = vertexColors[pointVertex_[i]];
        glBindVertexArray(pointVao_.id());
        pointColors_ = gl::uploadBuffer(GL_ARRAY_BUFFER, pc.data(), pc.size() * 4);
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);
        glVertexAttribDivisor(2, 1);
    }
}

// Stroke colours per vertex: an attribute for hairlines, a buffer texture for capsules.
void GpuVectorLayer::uploadStrokeColors(const geo::FeatureTable& t, const std::vector<geo::Rgba>& strokePerFeature) {
    std::vector<geo::Rgba> strokeVertex = perVertex(t, strokePerFeature, vertexCount_);
    strokeColors_ = gl::uploadBuffer(GL_ARRAY_BUFFER, strokeVertex.data(), strokeVertex.size() * 4);
    strokeColorsTex_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_BUFFER, strokeColorsTex_.id());
    glTexBuffer(GL_TEXTURE_BUFFER, GL_RGBA8, strokeColors_.id());
    glBindTexture(GL_TEXTURE_BUFFER, 0);
    glBindVertexArray(stripVao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, strokeColors_.id());
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);
}

void GpuVectorLayer::updateSymbology(const geo::FeatureTable& t, const geo::Style& style) {
    symbologyTex_.reset();
    symbology_.reset();
    pointSymbology_.reset();
    dashes_ = false;
    perFeatureSymbology_ = geo::hasPerFeatureSymbology(style);
    if (!perFeatureSymbology_) return;
    const std::vector<uint8_t> featureBytes = geo::featureSymbology(style, t);
    std::vector<uint8_t> vertexBytes = perVertex(t, featureBytes, vertexCount_);
    glBindVertexArray(fillVao_.id());
    symbology_ = gl::uploadBuffer(GL_ARRAY_BUFFER, vertexBytes.data(), vertexBytes.size());
    dashes_ = std::any_of(featureBytes.begin(), featureBytes.end(), [](uint8_t b) { return b & geo::kDashedOutline; });
    if (dashes_ && vertexCount_) {
        symbologyTex_ = gl::makeTexture();
        glBindTexture(GL_TEXTURE_BUFFER, symbologyTex_.id());
        glTexBuffer(GL_TEXTURE_BUFFER, GL_R8UI, symbology_.id());
        glBindTexture(GL_TEXTURE_BUFFER, 0);
    }
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 1, GL_UNSIGNED_BYTE, GL_FALSE, 0, nullptr);
    if (pointCount_) {
        std::vector<uint8_t> pb(pointCount_);
        for (size_t i = 0; i < pointCount_; ++i) pb[i] = vertexBytes[pointVertex_[i]];
        glBindVertexArray(pointVao_.id());
        pointSymbology_ = gl::uploadBuffer(GL_ARRAY_BUFFER, pb.data(), pb.size());
        glEnableVertexAttribArray(3);
        glVertexAttribPointer(3, 1, GL_UNSIGNED_BYTE, GL_FALSE, 0, nullptr);
        glVertexAttribDivisor(3, 1);
    }
    glBindVertexArray(0);
}

}  // namespace app::render

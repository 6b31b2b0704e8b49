// GpuVectorLayer: one feature drawn from the layer's own buffers (hover and selection highlights), and the
// index of which ranks and point instances make each feature.
#include "render/gpu_layer.hpp"
#include "render/programs.hpp"

namespace app::render {

// Per-feature colour and symbology arrays are enabled in the VAOs only when the style has them; a highlight
// switches them off for a constant colour and puts them back with this.
void GpuVectorLayer::setVertexAttributesForStyle() const {
    glBindVertexArray(fillVao_.id());
    if (perFeatureColor_) glEnableVertexAttribArray(1);
    if (perFeatureSymbology_) glEnableVertexAttribArray(2);
    if (pointCount_) {
        glBindVertexArray(pointVao_.id());
        glBindBuffer(GL_ARRAY_BUFFER, pointPositions_.id());
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        if (perFeatureColor_) glEnableVertexAttribArray(2);
        if (perFeatureSymbology_) glEnableVertexAttribArray(3);
    }
    glBindVertexArray(0);
}

void GpuVectorLayer::drawFeature(const Programs& programs, const DrawParams& params, size_t feature,
                                 const Highlight& look) const {
    if (feature + 1 >= featureRankStart_.size()) return;
    const geo::View& v = *params.view;
    std::vector<GLsizei> triCounts, capsuleCounts;
    std::vector<const void*> triOffsets;
    std::vector<GLint> capsuleFirsts;
    for (uint32_t k = featureRankStart_[feature]; k < featureRankStart_[feature + 1]; ++k) {
        const uint32_t r = featureRanks_[k];
        if (rankTriangleStart_[r + 1] > rankTriangleStart_[r]) {
            triCounts.push_back(static_cast<GLsizei>(rankTriangleStart_[r + 1] - rankTriangleStart_[r]));
            triOffsets.push_back(reinterpret_cast<const void*>(uintptr_t(rankTriangleStart_[r]) * sizeof(uint32_t)));
        }
        const uint32_t v0 = rankVertices_[2 * r], v1 = rankVertices_[2 * r + 1];
        if (v1 >= v0 + 2) {
            capsuleFirsts.push_back(static_cast<GLint>(6 * v0));
            capsuleCounts.push_back(static_cast<GLsizei>(6 * (v1 - v0 - 1)));
        }
    }
    const geo::Rgba translucent{look.color.r, look.color.g, look.color.b, 70};
    if (look.fill && !triCounts.empty()) {
        const gl::Program& p = programs.fill;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_tint"), translucent);
        glUniform1f(p.uniform("u_pixelRatio"), params.pixelRatio);
        glBindVertexArray(fillVao_.id());
        glDisableVertexAttribArray(1);
        glVertexAttrib4f(1, 1, 1, 1, 1);
        glDisableVertexAttribArray(2);
        glVertexAttrib1f(2, 0.0f);
        glMultiDrawElements(GL_TRIANGLES, triCounts.data(), GL_UNSIGNED_INT, triOffsets.data(),
                            static_cast<GLsizei>(triCounts.size()));
    }
    if (!capsuleCounts.empty())
        drawCapsules(programs, params, look.color, look.widthPx * params.pixelRatio, false, false, capsuleFirsts,
                     capsuleCounts);
    if (pointCount_ && feature + 1 < featurePointStart_.size()) {
        const gl::Program& p = programs.point;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_tint"), look.fill ? translucent : geo::Rgba{0, 0, 0, 0});
        setColor(p.uniform("u_stroke"), look.color);
        glUniform1f(p.uniform("u_radius"), 9.0f * params.pixelRatio);
        glUniform1f(p.uniform("u_strokeWidth"), 0.5f * look.widthPx * params.pixelRatio);
        glBindVertexArray(pointVao_.id());
        bindCorners(programs);
        glDisableVertexAttribArray(2);
        glVertexAttrib4f(2, 1, 1, 1, 1);
        glDisableVertexAttribArray(3);
        glVertexAttrib1f(3, 0.0f);
        glBindBuffer(GL_ARRAY_BUFFER, pointPositions_.id());
        for (uint32_t i = featurePointStart_[feature]; i < featurePointStart_[feature + 1]; ++i) {
            // GL 3.3 has no base instance: point the instanced attribute at this instance.
            glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 0, reinterpret_cast<const void*>(uintptr_t(i) * 8));
            glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, 1);
        }
    }
    setVertexAttributesForStyle();
}

}  // namespace app::render

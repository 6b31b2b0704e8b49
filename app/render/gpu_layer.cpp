#include "render/gpu_layer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "render/programs.hpp"

namespace app::render {

void setViewUniforms(const gl::Program& p, const geo::View& v, double originX, double originY) {
    float offX = static_cast<float>(originX - v.centerX), offY = static_cast<float>(originY - v.centerY);
    glUniform2f(p.uniform("u_offset"), offX, offY);
    glUniform2f(p.uniform("u_scale"),
                static_cast<float>(2.0 / (v.resolution * v.width)),
                static_cast<float>(2.0 / (v.resolution * v.height)));
    glUniform1f(p.uniform("u_pixelsPerUnit"), static_cast<float>(1.0 / v.resolution));
    glUniform2f(p.uniform("u_halfViewport"), 0.5f * v.width, 0.5f * v.height);
}

void setColor(GLint loc, geo::Rgba c) { glUniform4f(loc, c.r / 255.f, c.g / 255.f, c.b / 255.f, c.a / 255.f); }

void bindCorners(const Programs& programs) {
    glBindBuffer(GL_ARRAY_BUFFER, programs.corners.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glVertexAttribDivisor(0, 0);
}

Programs::Programs() {
    const float corners[] = {-1, -1, 1, -1, -1, 1, 1, 1};
    this->corners = gl::uploadBuffer(GL_ARRAY_BUFFER, corners, sizeof corners);
    emptyVao = gl::makeVertexArray();
}

namespace {
// Buffers are typeless in GL: the copy-write target uploads any of them without touching a vertex array's state
// (an upload context has no vertex array bound).
gl::Buffer upload(const void* data, size_t bytes) { return gl::uploadBuffer(GL_COPY_WRITE_BUFFER, data, bytes); }

template <typename T>
void release(std::vector<T>& v) {
    std::vector<T>().swap(v);
}
}  // namespace

GpuGeometry::~GpuGeometry() {
    const bool owns = positions || validity || indices || strips || dots || pointPositions;
    if (owns && madeIn) madeIn->runShared([this] {
        positions.reset();
        validity.reset();
        indices.reset();
        strips.reset();
        dots.reset();
        pointPositions.reset();
    });
}

GpuGeometry uploadGeometry(const VectorStaging& st) {
    GpuGeometry g;
    const std::vector<float>& pos = st.positions;
    g.vertexCount = st.validity.size();
    g.positions = upload(pos.data(), pos.size() * sizeof(float));
    g.validity = upload(st.validity.data(), st.validity.size());
    g.indices = upload(st.triangles.data(), st.triangles.size() * sizeof(uint32_t));
    g.strips = upload(st.strips.data(), st.strips.size() * sizeof(uint32_t));
    g.dots = upload(st.dots.data(), st.dots.size() * sizeof(float));
    g.bytes = pos.size() * sizeof(float) + st.validity.size() +
              (st.triangles.size() + st.strips.size()) * sizeof(uint32_t) + st.dots.size() * sizeof(float);
    if (!st.pointVertex.empty()) {
        std::vector<float> pp(2 * st.pointVertex.size());
        for (size_t i = 0; i < st.pointVertex.size(); ++i) {
            pp[2 * i] = pos[2 * st.pointVertex[i]];
            pp[2 * i + 1] = pos[2 * st.pointVertex[i] + 1];
        }
        g.pointPositions = upload(pp.data(), pp.size() * sizeof(float));
        g.bytes += pp.size() * sizeof(float);
    }
    glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
    return g;
}

std::unique_ptr<GpuGeometry> uploadGeometry(VectorStaging& staging, gl::UploadContext& context) {
    std::unique_ptr<GpuGeometry> g;
    context.run([&] { g = std::make_unique<GpuGeometry>(uploadGeometry(staging)); });
    g->madeIn = &context;
    // Uploaded: the CPU copies go now (what a layer holds until the main thread adopts it is its GPU data).
    release(staging.positions);
    release(staging.validity);
    release(staging.triangles);
    release(staging.strips);
    release(staging.dots);
    return g;
}

GpuVectorLayer::GpuVectorLayer(VectorStaging&& st, const geo::VectorLayerData& data, const geo::Style& style)
    : GpuVectorLayer(std::move(st), uploadGeometry(st), data, style) {}  // uploaded before anything is moved

GpuVectorLayer::GpuVectorLayer(VectorStaging&& st, GpuGeometry&& g, const geo::VectorLayerData& data,
                               const geo::Style& style)
    : originX_(st.originX),
      originY_(st.originY),
      extent_(st.extent),
      pointVertex_(std::move(st.pointVertex)),
      rankTriangleStart_(std::move(st.rankTriangleStart)),
      rankStripStart_(std::move(st.rankStripStart)),
      rankFeature_(std::move(st.rankFeature)),
      rankVertices_(std::move(st.rankVertices)),
      featureRankStart_(std::move(st.featureRankStart)),
      featureRanks_(std::move(st.featureRanks)),
      featurePointStart_(std::move(st.featurePointStart)),
      rankSize_(std::move(st.rankSize)),
      cells_(std::move(st.cells)) {
    vertexCount_ = g.vertexCount;
    pointCount_ = pointVertex_.size();
    hasLines_ = st.hasLines;
    positions_ = std::move(g.positions);
    validity_ = std::move(g.validity);
    indices_ = std::move(g.indices);
    strips_ = std::move(g.strips);
    dots_ = std::move(g.dots);
    pointPositions_ = std::move(g.pointPositions);
    gpuBytes_ = g.bytes;
    makeVertexArrays();
    glBindVertexArray(0);
    updateStyle(data, style);
}

void GpuVectorLayer::makeVertexArrays() {
    fillVao_ = gl::makeVertexArray();
    glBindVertexArray(fillVao_.id());
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, indices_.id());
    glBindBuffer(GL_ARRAY_BUFFER, positions_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);

    stripVao_ = gl::makeVertexArray();
    glBindVertexArray(stripVao_.id());
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, strips_.id());
    glBindBuffer(GL_ARRAY_BUFFER, positions_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);

    dotVao_ = gl::makeVertexArray();
    glBindVertexArray(dotVao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, dots_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 0, nullptr);

    // The capsule pass reads positions and validity through buffer textures (see shaders/line.vert).
    lineVao_ = gl::makeVertexArray();
    positionsTex_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_BUFFER, positionsTex_.id());
    glTexBuffer(GL_TEXTURE_BUFFER, GL_RG32F, positions_.id());
    validityTex_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_BUFFER, validityTex_.id());
    glTexBuffer(GL_TEXTURE_BUFFER, GL_R8UI, validity_.id());
    glBindTexture(GL_TEXTURE_BUFFER, 0);

    if (pointCount_) {
        pointVao_ = gl::makeVertexArray();
        glBindVertexArray(pointVao_.id());
        glBindBuffer(GL_ARRAY_BUFFER, pointPositions_.id());
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        glVertexAttribDivisor(1, 1);
    }
}

void GpuVectorLayer::visibleRanges(const geo::View& view, float supersample, Ranges& out, double padPixels) const {
    geo::BBox visible = view.extent();
    const double pad = padPixels * view.resolution;
    visible.add(visible.minX - pad, visible.minY - pad);
    visible.add(visible.maxX + pad, visible.maxY + pad);
    const float threshold = static_cast<float>(kDotPixels * view.resolution * std::max(1.0f, supersample));
    auto append = [](std::vector<GLsizei>& counts, std::vector<const void*>& offsets, uint32_t begin, uint32_t end) {
        if (end <= begin) return;
        // GL takes byte offsets into the index buffer as pointers; the arithmetic stays on integers (an offset
        // added to the null pointer of the first cell is undefined behaviour).
        const uintptr_t at = uintptr_t{begin} * sizeof(uint32_t);
        if (!counts.empty() &&
            reinterpret_cast<uintptr_t>(offsets.back()) + uintptr_t(counts.back()) * sizeof(uint32_t) == at) {
            counts.back() += static_cast<GLsizei>(end - begin);  // contiguous with the previous cell: merge
            return;
        }
        counts.push_back(static_cast<GLsizei>(end - begin));
        offsets.push_back(reinterpret_cast<const void*>(at));
    };
    for (const LodCell& c : cells_) {
        if (!c.box.intersects(visible)) continue;
        const float* sizes = rankSize_.data();
        const float* split = std::partition_point(sizes + c.rankBegin, sizes + c.rankEnd,
                                                  [threshold](float s) { return s >= threshold; });
        uint32_t big = static_cast<uint32_t>(split - sizes);
        append(out.triCounts, out.triOffsets, rankTriangleStart_[c.rankBegin], rankTriangleStart_[big]);
        append(out.stripCounts, out.stripOffsets, rankStripStart_[c.rankBegin], rankStripStart_[big]);
        for (uint32_t r = c.rankBegin; r < big; ++r) {
            const uint32_t v0 = rankVertices_[2 * r], v1 = rankVertices_[2 * r + 1];
            if (v1 < v0 + 2) continue;
            const GLint first = static_cast<GLint>(6 * v0);
            const GLsizei count = static_cast<GLsizei>(6 * (v1 - v0 - 1));
            const GLint end = out.capsuleFirsts.empty() ? -1 : out.capsuleFirsts.back() + out.capsuleCounts.back();
            if (end >= 0 && first >= end && first <= end + 6) {
                // The next part in vertex order: one range (the segment between them is invalid, drawn as nothing).
                out.capsuleCounts.back() = first + count - out.capsuleFirsts.back();
            } else {
                out.capsuleFirsts.push_back(first);
                out.capsuleCounts.push_back(count);
            }
        }
        if (big < c.rankEnd) {
            if (!out.dotFirsts.empty() && uint32_t(out.dotFirsts.back() + out.dotCounts.back()) == big) {
                out.dotCounts.back() += static_cast<GLsizei>(c.rankEnd - big);
            } else {
                out.dotFirsts.push_back(static_cast<GLint>(big));
                out.dotCounts.push_back(static_cast<GLsizei>(c.rankEnd - big));
            }
        }
    }
}

size_t GpuVectorLayer::visiblePrimitives(const geo::View& view, float supersample, bool points) const {
    // visibleRanges' choices, counted per cell (no range lists: this runs every frame the map changes).
    const geo::BBox visible = view.extent();
    const float threshold = static_cast<float>(kDotPixels * view.resolution * std::max(1.0f, supersample));
    size_t n = points ? pointCount_ : 0;
    for (const LodCell& c : cells_) {
        if (!c.box.intersects(visible)) continue;
        const float* sizes = rankSize_.data();
        const uint32_t big = static_cast<uint32_t>(
            std::partition_point(sizes + c.rankBegin, sizes + c.rankEnd, [threshold](float s) { return s >= threshold; }) -
            sizes);
        n += (rankTriangleStart_[big] - rankTriangleStart_[c.rankBegin]) / 3;  // triangles
        n += rankStripStart_[big] - rankStripStart_[c.rankBegin];  // outline segments (near enough: restarts)
        n += c.rankEnd - big;                                      // dots
    }
    return n;
}

void GpuVectorLayer::draw(const Programs& programs, const DrawParams& params, const geo::Style& style) const {
    Ranges ranges;
    // Strokes reach half their width (plus a pixel of antialiasing) past their parts; dots are at most kDotPixels.
    const double pad = std::max<double>(style.strokeEnabled ? 0.5 * style.strokeWidth * params.pixelRatio + 1.0 : 0.0,
                                        kDotPixels * std::max(1.0f, params.supersample)) + 1.0;
    visibleRanges(*params.view, params.supersample, ranges, pad);
    if (style.fillEnabled && !ranges.triCounts.empty()) drawFills(programs, params, style, ranges);
    const float widthPx = style.strokeWidth * params.pixelRatio;
    if (hasLines_ && style.strokeEnabled && widthPx > 0) {
        if (widthPx <= kHairlinePixels && !dashes_) {
            if (!ranges.stripCounts.empty()) drawHairlines(programs, params, style, ranges);
        } else if (!ranges.capsuleCounts.empty()) {
            // Wide (or dashed) strokes: only the parts large enough to see, in the visible cells (the same LOD as
            // fills).
            drawCapsules(programs, params, style.stroke, widthPx, perFeatureStroke_, dashes_, ranges.capsuleFirsts,
                         ranges.capsuleCounts);
        }
    }
    if (!ranges.dotCounts.empty() && (style.fillEnabled || style.strokeEnabled)) drawDots(programs, params, style, ranges);
    if (pointCount_) drawPoints(programs, params, style);
    glBindVertexArray(0);
}

void GpuVectorLayer::drawFills(const Programs& programs, const DrawParams& params, const geo::Style& style,
                               const Ranges& ranges) const {
    const gl::Program& p = programs.fill;
    p.use();
    setViewUniforms(p, *params.view, originX_, originY_);
    setColor(p.uniform("u_tint"), perFeatureColor_ ? geo::Rgba{255, 255, 255, style.fill.a} : style.fill);
    glUniform1f(p.uniform("u_pixelRatio"), params.pixelRatio);
    // The layer origin's (x + y) in pixels, modulo each pattern's spacing (see shaders/fill.frag).
    const double diagonal = (originX_ + originY_) / params.view->resolution;
    glUniform2f(p.uniform("u_hatchPhase"), static_cast<float>(std::fmod(diagonal, 9.0 * params.pixelRatio)),
                static_cast<float>(std::fmod(diagonal, 5.0 * params.pixelRatio)));
    glBindVertexArray(fillVao_.id());
    if (!perFeatureColor_) glVertexAttrib4f(1, 1, 1, 1, 1);
    if (!perFeatureSymbology_) {
        glDisableVertexAttribArray(2);
        glVertexAttrib1f(2, 0.0f);
    }
    glMultiDrawElements(GL_TRIANGLES, ranges.triCounts.data(), GL_UNSIGNED_INT, ranges.triOffsets.data(),
                        static_cast<GLsizei>(ranges.triCounts.size()));
}

void GpuVectorLayer::drawHairlines(const Programs& programs, const DrawParams& params, const geo::Style& style,
                                   const Ranges& ranges) const {
    // A sub-pixel width becomes coverage (alpha), as a rasterizer with exact coverage would.
    const float widthPx = style.strokeWidth * params.pixelRatio;
    const gl::Program& p = programs.thinLine;
    p.use();
    setViewUniforms(p, *params.view, originX_, originY_);
    geo::Rgba c = perFeatureStroke_ ? geo::Rgba{255, 255, 255, 255} : style.stroke;
    c.a = static_cast<uint8_t>((perFeatureStroke_ ? 255 : style.stroke.a) * std::min(1.0f, widthPx));
    setColor(p.uniform("u_color"), c);
    glEnable(GL_PRIMITIVE_RESTART);
    glPrimitiveRestartIndex(kPrimitiveRestart);
    glBindVertexArray(stripVao_.id());
    if (!perFeatureStroke_) {
        glDisableVertexAttribArray(1);
        glVertexAttrib4f(1, 1, 1, 1, 1);
    }
    glMultiDrawElements(GL_LINE_STRIP, ranges.stripCounts.data(), GL_UNSIGNED_INT, ranges.stripOffsets.data(),
                        static_cast<GLsizei>(ranges.stripCounts.size()));
    glDisable(GL_PRIMITIVE_RESTART);
}

void GpuVectorLayer::drawDots(const Programs& programs, const DrawParams& params, const geo::Style& style,
                              const Ranges& ranges) const {
    // Polygons too small to see as shapes: their fill colour (or stroke colour when unfilled, and for lines).
    const bool useFill = style.fillEnabled && !rankTriangleStart_.empty() && rankTriangleStart_.back() > 0;
    const gl::Program& p = programs.dot;
    p.use();
    setViewUniforms(p, *params.view, originX_, originY_);
    glUniform1f(p.uniform("u_maxSize"), kDotPixels * params.pixelRatio);
    geo::Rgba tint = useFill ? (perFeatureColor_ ? geo::Rgba{255, 255, 255, style.fill.a} : style.fill) : style.stroke;
    setColor(p.uniform("u_tint"), tint);
    glEnable(GL_PROGRAM_POINT_SIZE);
    glBindVertexArray(dotVao_.id());
    if (!perFeatureColor_ || !useFill) {
        glDisableVertexAttribArray(1);
        glVertexAttrib4f(1, 1, 1, 1, 1);
    }
    glMultiDrawArrays(GL_POINTS, ranges.dotFirsts.data(), ranges.dotCounts.data(),
                      static_cast<GLsizei>(ranges.dotCounts.size()));
    if (perFeatureColor_) glEnableVertexAttribArray(1);
    glDisable(GL_PROGRAM_POINT_SIZE);
}

void GpuVectorLayer::drawPoints(const Programs& programs, const DrawParams& params, const geo::Style& style) const {
    const gl::Program& p = programs.point;
    p.use();
    setViewUniforms(p, *params.view, originX_, originY_);
    setColor(p.uniform("u_tint"), perFeatureColor_ ? geo::Rgba{255, 255, 255, 255} : style.fill);
    setColor(p.uniform("u_stroke"), style.strokeEnabled ? style.stroke : geo::Rgba{0, 0, 0, 0});
    glUniform1f(p.uniform("u_radius"), 0.5f * style.pointSize * params.pixelRatio);
    glUniform1f(p.uniform("u_strokeWidth"), style.strokeEnabled ? std::max(1.0f, params.pixelRatio) : 0.0f);
    glBindVertexArray(pointVao_.id());
    bindCorners(programs);
    if (!perFeatureColor_) glVertexAttrib4f(2, 1, 1, 1, 1);
    if (!perFeatureSymbology_) {
        glDisableVertexAttribArray(3);
        glVertexAttrib1f(3, 0.0f);
    }
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(pointCount_));
}

void GpuVectorLayer::drawCapsules(const Programs& programs, const DrawParams& params, geo::Rgba color, float widthPx,
                                  bool perVertexColor, bool dashes, const std::vector<GLint>& firsts,
                                  const std::vector<GLsizei>& counts) const {
    const gl::Program& p = programs.line;
    p.use();
    setViewUniforms(p, *params.view, originX_, originY_);
    setColor(p.uniform("u_color"), color);
    glUniform1f(p.uniform("u_halfWidth"), 0.5f * widthPx);
    glUniform1f(p.uniform("u_feather"), params.supersample > 1.0f ? 0.0f : 1.0f);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_BUFFER, positionsTex_.id());
    glUniform1i(p.uniform("u_positions"), 0);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_BUFFER, validityTex_.id());
    glUniform1i(p.uniform("u_valid"), 1);
    glUniform1i(p.uniform("u_perVertexColor"), perVertexColor ? 1 : 0);
    if (perVertexColor) {
        glActiveTexture(GL_TEXTURE2);
        glBindTexture(GL_TEXTURE_BUFFER, strokeColorsTex_.id());
        glUniform1i(p.uniform("u_strokeColors"), 2);
    }
    // Its own unit even when unused: two sampler types on one unit make the draw call fail.
    glUniform1i(p.uniform("u_symbology"), 3);
    glUniform1i(p.uniform("u_dashes"), dashes && symbologyTex_ ? 1 : 0);
    if (dashes && symbologyTex_) {
        glActiveTexture(GL_TEXTURE3);
        glBindTexture(GL_TEXTURE_BUFFER, symbologyTex_.id());
    }
    glBindVertexArray(lineVao_.id());
    glMultiDrawArrays(GL_TRIANGLES, firsts.data(), counts.data(), static_cast<GLsizei>(counts.size()));
    glActiveTexture(GL_TEXTURE0);
}

}  // namespace app::render

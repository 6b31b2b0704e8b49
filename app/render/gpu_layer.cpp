#include "render/gpu_layer.hpp"

#include <cmath>

#include "render/programs.hpp"

namespace app::render {

namespace {

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

}  // namespace

Programs::Programs() {
    const float corners[] = {-1, -1, 1, -1, -1, 1, 1, 1};
    this->corners = gl::uploadBuffer(GL_ARRAY_BUFFER, corners, sizeof corners);
    emptyVao = gl::makeVertexArray();
}

VectorStaging stageVector(const geo::VectorLayerData& data, const geo::DisplayGeometry& geometry) {
    const geo::FeatureTable& t = data.source.table;
    VectorStaging st;
    st.extent = geometry.extent;
    st.originX = st.extent.empty() ? 0 : st.extent.centerX();
    st.originY = st.extent.empty() ? 0 : st.extent.centerY();
    const size_t n = t.vertexCount();
    st.positions.resize(2 * n);
    st.validity.assign(n, 0);
    const double* xy = geometry.xy.data();
    for (size_t i = 0; i < n; ++i) {
        bool ok = std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1]);
        st.positions[2 * i] = ok ? static_cast<float>(xy[2 * i] - st.originX) : 0.0f;
        st.positions[2 * i + 1] = ok ? static_cast<float>(xy[2 * i + 1] - st.originY) : 0.0f;
    }
    for (size_t f = 0; f < t.featureCount(); ++f) {
        geo::GeomKind k = t.kinds[f];
        if (k == geo::GeomKind::None) continue;
        for (uint32_t part = t.partBegin(f); part < t.partEnd(f); ++part)
            for (uint32_t r = t.ringBegin(part); r < t.ringEnd(part); ++r) {
                uint32_t v0 = t.vertexBegin(r), v1 = t.vertexEnd(r);
                if (k == geo::GeomKind::Point) {
                    for (uint32_t v = v0; v < v1; ++v)
                        if (std::isfinite(xy[2 * v])) st.pointVertex.push_back(v);
                    continue;
                }
                st.hasLines = true;
                for (uint32_t v = v0; v + 1 < v1; ++v)
                    st.validity[v] = std::isfinite(xy[2 * v]) && std::isfinite(xy[2 * v + 2]);
                for (uint32_t v = v0; v < v1; ++v) {
                    if (std::isfinite(xy[2 * v]))
                        st.strips.push_back(v);
                    else if (!st.strips.empty() && st.strips.back() != kPrimitiveRestart)
                        st.strips.push_back(kPrimitiveRestart);
                }
                if (!st.strips.empty() && st.strips.back() != kPrimitiveRestart) st.strips.push_back(kPrimitiveRestart);
            }
    }
    if (geometry.failedVertices) {
        // Triangles touching a vertex that did not transform are dropped.
        st.filteredTriangles = true;
        for (size_t i = 0; i + 2 < data.triangles.size(); i += 3) {
            const uint32_t* tr = &data.triangles[i];
            if (std::isfinite(xy[2 * tr[0]]) && std::isfinite(xy[2 * tr[1]]) && std::isfinite(xy[2 * tr[2]]))
                st.triangles.insert(st.triangles.end(), tr, tr + 3);
        }
    }
    return st;
}

GpuVectorLayer::GpuVectorLayer(const VectorStaging& st, const geo::VectorLayerData& data, const geo::Style& style)
    : originX_(st.originX), originY_(st.originY), extent_(st.extent), pointVertex_(st.pointVertex) {
    vertexCount_ = st.validity.size();
    pointCount_ = pointVertex_.size();
    hasLines_ = st.hasLines;
    const std::vector<float>& pos = st.positions;
    positions_ = gl::uploadBuffer(GL_ARRAY_BUFFER, pos.data(), pos.size() * sizeof(float));
    validity_ = gl::uploadBuffer(GL_ARRAY_BUFFER, st.validity.data(), st.validity.size());
    gpuBytes_ = pos.size() * sizeof(float) + st.validity.size();
    const std::vector<uint32_t>* useTris = st.filteredTriangles ? &st.triangles : &data.triangles;
    indexCount_ = useTris->size();

    fillVao_ = gl::makeVertexArray();
    glBindVertexArray(fillVao_.id());
    indices_ = gl::uploadBuffer(GL_ELEMENT_ARRAY_BUFFER, useTris->data(), useTris->size() * sizeof(uint32_t));
    gpuBytes_ += useTris->size() * sizeof(uint32_t);
    glBindBuffer(GL_ARRAY_BUFFER, positions_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);

    stripCount_ = st.strips.size();
    stripVao_ = gl::makeVertexArray();
    glBindVertexArray(stripVao_.id());
    strips_ = gl::uploadBuffer(GL_ELEMENT_ARRAY_BUFFER, st.strips.data(), st.strips.size() * sizeof(uint32_t));
    gpuBytes_ += st.strips.size() * sizeof(uint32_t);
    glBindBuffer(GL_ARRAY_BUFFER, positions_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glBindVertexArray(0);

    // The line pass reads positions and validity through buffer textures (see shaders/line.vert).
    lineVao_ = gl::makeVertexArray();
    positionsTex_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_BUFFER, positionsTex_.id());
    glTexBuffer(GL_TEXTURE_BUFFER, GL_RG32F, positions_.id());
    validityTex_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_BUFFER, validityTex_.id());
    glTexBuffer(GL_TEXTURE_BUFFER, GL_R8UI, validity_.id());
    glBindTexture(GL_TEXTURE_BUFFER, 0);

    if (pointCount_) {
        std::vector<float> pp(2 * pointCount_);
        for (size_t i = 0; i < pointCount_; ++i) {
            pp[2 * i] = pos[2 * pointVertex_[i]];
            pp[2 * i + 1] = pos[2 * pointVertex_[i] + 1];
        }
        pointVao_ = gl::makeVertexArray();
        glBindVertexArray(pointVao_.id());
        pointPositions_ = gl::uploadBuffer(GL_ARRAY_BUFFER, pp.data(), pp.size() * sizeof(float));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        glVertexAttribDivisor(1, 1);
        gpuBytes_ += pp.size() * sizeof(float);
    }
    glBindVertexArray(0);
    updateStyle(data, style);
}

void GpuVectorLayer::updateStyle(const geo::VectorLayerData& data, const geo::Style& style) {
    const geo::FeatureTable& t = data.source.table;
    perFeatureColor_ = !style.categoryField.empty() && !style.categories.empty();
    colors_.reset();
    pointColors_.reset();
    if (!perFeatureColor_) {
        // Constant attribute (white) so the tint uniform alone sets the colour.
        for (GLuint vao : {fillVao_.id(), pointVao_.id()}) {
            if (!vao) continue;
            glBindVertexArray(vao);
            glDisableVertexAttribArray(vao == fillVao_.id() ? 1 : 2);
        }
        glBindVertexArray(0);
        return;
    }
    std::vector<geo::Rgba> featureColors = geo::featureColors(style, t);
    std::vector<geo::Rgba> vertexColors(vertexCount_);
    for (size_t f = 0; f < t.featureCount(); ++f) {
        uint32_t p0 = t.partBegin(f), p1 = t.partEnd(f);
        if (p0 == p1) continue;
        uint32_t v0 = t.vertexBegin(t.ringBegin(p0)), v1 = t.vertexEnd(t.ringEnd(p1 - 1) - 1);
        for (uint32_t v = v0; v < v1; ++v) vertexColors[v] = featureColors[f];
    }
    glBindVertexArray(fillVao_.id());
    colors_ = gl::uploadBuffer(GL_ARRAY_BUFFER, vertexColors.data(), vertexColors.size() * 4);
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
    glBindVertexArray(0);
}

void GpuVectorLayer::draw(const Programs& programs, const DrawParams& params, const geo::Style& style) const {
    const geo::View& v = *params.view;
    geo::Rgba white{255, 255, 255, 255};
    if (indexCount_ && style.fillEnabled) {
        const gl::Program& p = programs.fill;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_tint"), perFeatureColor_ ? geo::Rgba{255, 255, 255, style.fill.a} : style.fill);
        glBindVertexArray(fillVao_.id());
        if (!perFeatureColor_) glVertexAttrib4f(1, 1, 1, 1, 1);
        glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(indexCount_), GL_UNSIGNED_INT, nullptr);
    }
    const float widthPx = style.strokeWidth * params.pixelRatio;
    if (hasLines_ && style.strokeEnabled && stripCount_ && widthPx > 0 && widthPx <= kHairlinePixels) {
        // Hairlines: a sub-pixel width becomes coverage (alpha), as a rasterizer with exact coverage would.
        const gl::Program& p = programs.thinLine;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        geo::Rgba c = style.stroke;
        c.a = static_cast<uint8_t>(c.a * std::min(1.0f, widthPx));
        setColor(p.uniform("u_color"), c);
        glEnable(GL_PRIMITIVE_RESTART);
        glPrimitiveRestartIndex(kPrimitiveRestart);
        glBindVertexArray(stripVao_.id());
        glDrawElements(GL_LINE_STRIP, static_cast<GLsizei>(stripCount_), GL_UNSIGNED_INT, nullptr);
        glDisable(GL_PRIMITIVE_RESTART);
    } else if (hasLines_ && style.strokeEnabled && vertexCount_ > 1 && widthPx > 0) {
        const gl::Program& p = programs.line;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_color"), style.stroke);
        glUniform1f(p.uniform("u_halfWidth"), 0.5f * style.strokeWidth * params.pixelRatio);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_BUFFER, positionsTex_.id());
        glUniform1i(p.uniform("u_positions"), 0);
        glActiveTexture(GL_TEXTURE1);
        glBindTexture(GL_TEXTURE_BUFFER, validityTex_.id());
        glUniform1i(p.uniform("u_valid"), 1);
        glBindVertexArray(lineVao_.id());
        glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(6 * (vertexCount_ - 1)));
        glActiveTexture(GL_TEXTURE0);
    }
    if (pointCount_) {
        const gl::Program& p = programs.point;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_tint"), perFeatureColor_ ? white : style.fill);
        setColor(p.uniform("u_stroke"), style.strokeEnabled ? style.stroke : geo::Rgba{0, 0, 0, 0});
        glUniform1f(p.uniform("u_radius"), 0.5f * style.pointSize * params.pixelRatio);
        glUniform1f(p.uniform("u_strokeWidth"), style.strokeEnabled ? std::max(1.0f, params.pixelRatio) : 0.0f);
        glUniform1i(p.uniform("u_shape"), 0);
        glBindVertexArray(pointVao_.id());
        bindCorners(programs);
        if (!perFeatureColor_) glVertexAttrib4f(2, 1, 1, 1, 1);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(pointCount_));
    }
    glBindVertexArray(0);
}

GpuRasterLayer::GpuRasterLayer(const geo::RasterImage& image) : extent_(image.extent) {
    texture_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 image.rgba.data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    float hw = static_cast<float>(0.5 * extent_.width()), hh = static_cast<float>(0.5 * extent_.height());
    // Image row 0 is the top (north) edge.
    const float quad[] = {-hw, -hh, 0, 1, hw, -hh, 1, 1, -hw, hh, 0, 0, hw, hh, 1, 0};
    vao_ = gl::makeVertexArray();
    glBindVertexArray(vao_.id());
    quad_ = gl::uploadBuffer(GL_ARRAY_BUFFER, quad, sizeof quad);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), reinterpret_cast<const void*>(8));
    glBindVertexArray(0);
}

void GpuRasterLayer::draw(const Programs& programs, const DrawParams& params) const {
    const gl::Program& p = programs.raster;
    p.use();
    setViewUniforms(p, *params.view, extent_.centerX(), extent_.centerY());
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glUniform1i(p.uniform("u_image"), 0);
    glBindVertexArray(vao_.id());
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

}  // namespace app::render

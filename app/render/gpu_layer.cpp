#include "render/gpu_layer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

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

namespace {

struct PartInfo {
    uint32_t part, feature;
    geo::BBox box;
};

bool finiteAt(const std::vector<double>& xy, uint32_t v) { return std::isfinite(xy[2 * v]); }

// Buckets parts into a grid by their centre, then orders each cell by size, largest first (one 64-bit key per
// part: cell in the high half, inverted size bits in the low half; positive floats order like their bits).
std::vector<uint32_t> orderParts(const std::vector<PartInfo>& parts, const geo::BBox& extent,
                                 std::vector<uint16_t>& cellOf) {
    const int grid = std::clamp(static_cast<int>(std::sqrt(parts.size() / 256.0)), 1, 64);
    const double cw = extent.width() > 0 ? extent.width() / grid : 1, ch = extent.height() > 0 ? extent.height() / grid : 1;
    cellOf.resize(parts.size());
    std::vector<std::pair<uint64_t, uint32_t>> keys(parts.size());
    for (size_t i = 0; i < parts.size(); ++i) {
        int cx = std::clamp(static_cast<int>((parts[i].box.centerX() - extent.minX) / cw), 0, grid - 1);
        int cy = std::clamp(static_cast<int>((parts[i].box.centerY() - extent.minY) / ch), 0, grid - 1);
        cellOf[i] = static_cast<uint16_t>(cy * grid + cx);
        float size = static_cast<float>(std::max(parts[i].box.width(), parts[i].box.height()));
        uint32_t bits = 0;
        std::memcpy(&bits, &size, sizeof bits);
        keys[i] = {(uint64_t(cellOf[i]) << 32) | (0xFFFFFFFFu - bits), static_cast<uint32_t>(i)};
    }
    std::sort(keys.begin(), keys.end());
    std::vector<uint32_t> order(parts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = keys[i].second;
    return order;
}

}  // namespace

VectorStaging stageVector(const geo::VectorLayerData& data, const geo::DisplayGeometry& geometry) {
    const geo::FeatureTable& t = data.source.table;
    const std::vector<double>& xy = geometry.xy;
    VectorStaging st;
    st.extent = geometry.extent;
    st.originX = st.extent.empty() ? 0 : st.extent.centerX();
    st.originY = st.extent.empty() ? 0 : st.extent.centerY();
    const size_t n = t.vertexCount();
    st.positions.resize(2 * n);
    st.validity.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
        bool ok = std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1]);
        st.positions[2 * i] = ok ? static_cast<float>(xy[2 * i] - st.originX) : 0.0f;
        st.positions[2 * i + 1] = ok ? static_cast<float>(xy[2 * i + 1] - st.originY) : 0.0f;
    }

    std::vector<PartInfo> parts;
    parts.reserve(t.partCount());
    for (size_t f = 0; f < t.featureCount(); ++f) {
        geo::GeomKind k = t.kinds[f];
        for (uint32_t part = t.partBegin(f); part < t.partEnd(f); ++part) {
            uint32_t v0 = t.vertexBegin(t.ringBegin(part)), v1 = t.vertexEnd(t.ringEnd(part) - 1);
            if (k == geo::GeomKind::Point) {
                for (uint32_t v = v0; v < v1; ++v)
                    if (finiteAt(xy, v)) st.pointVertex.push_back(v);
                continue;
            }
            if (k == geo::GeomKind::None) continue;
            st.hasLines = true;
            PartInfo info{part, static_cast<uint32_t>(f), {}};
            for (uint32_t r = t.ringBegin(part); r < t.ringEnd(part); ++r)
                for (uint32_t v = t.vertexBegin(r); v + 1 < t.vertexEnd(r); ++v)
                    st.validity[v] = finiteAt(xy, v) && finiteAt(xy, v + 1);
            for (uint32_t v = v0; v < v1; ++v)
                if (finiteAt(xy, v)) info.box.add(xy[2 * v], xy[2 * v + 1]);
            if (!info.box.empty()) parts.push_back(info);
        }
    }

    std::vector<uint16_t> cellOf;
    std::vector<uint32_t> order = orderParts(parts, st.extent, cellOf);
    // The common case, every vertex transformed, copies whole runs instead of checking each index.
    const bool allFinite = geometry.failedVertices == 0;
    st.triangles.reserve(data.triangles.size());
    st.strips.reserve(n + t.ringCount());
    st.rankTriangleStart.reserve(parts.size() + 1);
    st.rankStripStart.reserve(parts.size() + 1);
    st.rankSize.reserve(parts.size());
    st.dots.reserve(3 * parts.size());
    st.rankFeature.reserve(parts.size());
    for (size_t rank = 0; rank < order.size(); ++rank) {
        const PartInfo& p = parts[order[rank]];
        st.rankTriangleStart.push_back(static_cast<uint32_t>(st.triangles.size()));
        st.rankStripStart.push_back(static_cast<uint32_t>(st.strips.size()));
        uint32_t t0 = p.part ? data.partTriangleEnds[p.part - 1] : 0, t1 = data.partTriangleEnds[p.part];
        if (allFinite) {
            st.triangles.insert(st.triangles.end(), data.triangles.begin() + t0, data.triangles.begin() + t1);
        } else {
        for (uint32_t k = t0; k + 3 <= t1; k += 3) {
            const uint32_t* tri = &data.triangles[k];
            if (allFinite || (finiteAt(xy, tri[0]) && finiteAt(xy, tri[1]) && finiteAt(xy, tri[2])))
                st.triangles.insert(st.triangles.end(), tri, tri + 3);
        }
        }
        for (uint32_t r = t.ringBegin(p.part); r < t.ringEnd(p.part); ++r) {
            if (allFinite) {
                for (uint32_t v = t.vertexBegin(r); v < t.vertexEnd(r); ++v) st.strips.push_back(v);
                st.strips.push_back(kPrimitiveRestart);
                continue;
            }
            for (uint32_t v = t.vertexBegin(r); v < t.vertexEnd(r); ++v) {
                if (finiteAt(xy, v))
                    st.strips.push_back(v);
                else if (!st.strips.empty() && st.strips.back() != kPrimitiveRestart)
                    st.strips.push_back(kPrimitiveRestart);
            }
            if (!st.strips.empty() && st.strips.back() != kPrimitiveRestart) st.strips.push_back(kPrimitiveRestart);
        }
        float size = static_cast<float>(std::max(p.box.width(), p.box.height()));
        st.rankSize.push_back(size);
        st.dots.insert(st.dots.end(),
                       {static_cast<float>(p.box.centerX() - st.originX), static_cast<float>(p.box.centerY() - st.originY),
                        size});
        st.rankFeature.push_back(p.feature);
        uint16_t cell = cellOf[order[rank]];
        if (st.cells.empty() || rank == 0 || cellOf[order[rank - 1]] != cell)
            st.cells.push_back({{}, static_cast<uint32_t>(rank), static_cast<uint32_t>(rank)});
        st.cells.back().rankEnd = static_cast<uint32_t>(rank + 1);
        st.cells.back().box.add(p.box);
    }
    st.rankTriangleStart.push_back(static_cast<uint32_t>(st.triangles.size()));
    st.rankStripStart.push_back(static_cast<uint32_t>(st.strips.size()));
    return st;
}

GpuVectorLayer::GpuVectorLayer(const VectorStaging& st, const geo::VectorLayerData& data, const geo::Style& style)
    : originX_(st.originX),
      originY_(st.originY),
      extent_(st.extent),
      pointVertex_(st.pointVertex),
      rankTriangleStart_(st.rankTriangleStart),
      rankStripStart_(st.rankStripStart),
      rankFeature_(st.rankFeature),
      rankSize_(st.rankSize),
      cells_(st.cells) {
    vertexCount_ = st.validity.size();
    pointCount_ = pointVertex_.size();
    hasLines_ = st.hasLines;
    const std::vector<float>& pos = st.positions;
    positions_ = gl::uploadBuffer(GL_ARRAY_BUFFER, pos.data(), pos.size() * sizeof(float));
    validity_ = gl::uploadBuffer(GL_ARRAY_BUFFER, st.validity.data(), st.validity.size());
    gpuBytes_ = pos.size() * sizeof(float) + st.validity.size();

    fillVao_ = gl::makeVertexArray();
    glBindVertexArray(fillVao_.id());
    indices_ = gl::uploadBuffer(GL_ELEMENT_ARRAY_BUFFER, st.triangles.data(), st.triangles.size() * sizeof(uint32_t));
    gpuBytes_ += st.triangles.size() * sizeof(uint32_t);
    glBindBuffer(GL_ARRAY_BUFFER, positions_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);

    stripVao_ = gl::makeVertexArray();
    glBindVertexArray(stripVao_.id());
    strips_ = gl::uploadBuffer(GL_ELEMENT_ARRAY_BUFFER, st.strips.data(), st.strips.size() * sizeof(uint32_t));
    gpuBytes_ += st.strips.size() * sizeof(uint32_t);
    glBindBuffer(GL_ARRAY_BUFFER, positions_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);

    dotVao_ = gl::makeVertexArray();
    glBindVertexArray(dotVao_.id());
    dots_ = gl::uploadBuffer(GL_ARRAY_BUFFER, st.dots.data(), st.dots.size() * sizeof(float));
    gpuBytes_ += st.dots.size() * sizeof(float);
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
    const geo::FeatureTable& t = data.source.table;
    updateSymbology(t, style);
    const bool spot = spotlight.size() == t.featureCount() && !spotlight.empty();
    constexpr float kDimmed = 0.15f;
    auto dim = [&](geo::Rgba c, size_t f) {
        if (spot && !spotlight[f]) c.a = static_cast<uint8_t>(c.a * kDimmed);
        return c;
    };
    perFeatureColor_ = (!style.categoryField.empty() && !style.categories.empty()) || spot;
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
    std::vector<geo::Rgba> featureColors = geo::featureColors(style, t);
    std::vector<geo::Rgba> lineColors = featureColors;  // before dimming: the line strokes dim on their own
    for (size_t f = 0; f < featureColors.size(); ++f) featureColors[f] = dim(featureColors[f], f);
    std::vector<geo::Rgba> vertexColors = perVertex(t, featureColors, vertexCount_);
    glBindVertexArray(fillVao_.id());
    colors_ = gl::uploadBuffer(GL_ARRAY_BUFFER, vertexColors.data(), vertexColors.size() * 4);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);
    // Line features take their category colour as stroke; polygon outlines keep the style's stroke.
    // With a spotlight, every outline dims with its feature.
    std::vector<geo::Rgba> strokePerFeature(t.featureCount(), style.stroke);
    perFeatureStroke_ = spot;
    for (size_t f = 0; f < t.featureCount(); ++f) {
        if (t.kinds[f] == geo::GeomKind::Line && !style.categoryField.empty()) {
            strokePerFeature[f] = lineColors[f];
            strokePerFeature[f].a = style.stroke.a;
            perFeatureStroke_ = true;
        }
        strokePerFeature[f] = dim(strokePerFeature[f], f);
    }
    if (perFeatureStroke_) {
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
    glBindVertexArray(0);
}

void GpuVectorLayer::updateSymbology(const geo::FeatureTable& t, const geo::Style& style) {
    symbology_.reset();
    pointSymbology_.reset();
    perFeatureSymbology_ = geo::hasPerFeatureSymbology(style);
    if (!perFeatureSymbology_) return;
    std::vector<uint8_t> vertexBytes = perVertex(t, geo::featureSymbology(style, t), vertexCount_);
    glBindVertexArray(fillVao_.id());
    symbology_ = gl::uploadBuffer(GL_ARRAY_BUFFER, vertexBytes.data(), vertexBytes.size());
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

void GpuVectorLayer::visibleRanges(const geo::View& view, float /*pixelRatio*/, Ranges& out) const {
    const geo::BBox visible = view.extent();
    const float threshold = static_cast<float>(kDotPixels * view.resolution);
    auto append = [](std::vector<GLsizei>& counts, std::vector<const void*>& offsets, uint32_t begin, uint32_t end) {
        if (end <= begin) return;
        const auto* at = reinterpret_cast<const char*>(static_cast<uintptr_t>(begin) * sizeof(uint32_t));
        if (!counts.empty() && static_cast<const char*>(offsets.back()) + counts.back() * sizeof(uint32_t) == at) {
            counts.back() += static_cast<GLsizei>(end - begin);  // contiguous with the previous cell: merge
            return;
        }
        counts.push_back(static_cast<GLsizei>(end - begin));
        offsets.push_back(at);
    };
    for (const LodCell& c : cells_) {
        if (!c.box.intersects(visible)) continue;
        const float* sizes = rankSize_.data();
        const float* split = std::partition_point(sizes + c.rankBegin, sizes + c.rankEnd,
                                                  [threshold](float s) { return s >= threshold; });
        uint32_t big = static_cast<uint32_t>(split - sizes);
        append(out.triCounts, out.triOffsets, rankTriangleStart_[c.rankBegin], rankTriangleStart_[big]);
        append(out.stripCounts, out.stripOffsets, rankStripStart_[c.rankBegin], rankStripStart_[big]);
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

void GpuVectorLayer::draw(const Programs& programs, const DrawParams& params, const geo::Style& style) const {
    const geo::View& v = *params.view;
    geo::Rgba white{255, 255, 255, 255};
    Ranges ranges;
    visibleRanges(v, params.pixelRatio, ranges);
    const bool fills = style.fillEnabled && !ranges.triCounts.empty();
    if (fills) {
        const gl::Program& p = programs.fill;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_tint"), perFeatureColor_ ? geo::Rgba{255, 255, 255, style.fill.a} : style.fill);
        glUniform1f(p.uniform("u_pixelRatio"), params.pixelRatio);
        glBindVertexArray(fillVao_.id());
        if (!perFeatureColor_) glVertexAttrib4f(1, 1, 1, 1, 1);
        if (!perFeatureSymbology_) {
            glDisableVertexAttribArray(2);
            glVertexAttrib1f(2, 0.0f);
        }
        glMultiDrawElements(GL_TRIANGLES, ranges.triCounts.data(), GL_UNSIGNED_INT, ranges.triOffsets.data(),
                            static_cast<GLsizei>(ranges.triCounts.size()));
    }
    const float widthPx = style.strokeWidth * params.pixelRatio;
    if (hasLines_ && style.strokeEnabled && !ranges.stripCounts.empty() && widthPx > 0 && widthPx <= kHairlinePixels) {
        // Hairlines: a sub-pixel width becomes coverage (alpha), as a rasterizer with exact coverage would.
        const gl::Program& p = programs.thinLine;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        geo::Rgba c = perFeatureStroke_ ? geo::Rgba{255, 255, 255, 255} : style.stroke;
        c.a = static_cast<uint8_t>(255 * std::min(1.0f, widthPx));
        if (!perFeatureStroke_) c.a = static_cast<uint8_t>(style.stroke.a * std::min(1.0f, widthPx));
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
    } else if (hasLines_ && style.strokeEnabled && vertexCount_ > 1 && widthPx > kHairlinePixels) {
        const gl::Program& p = programs.line;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_color"), style.stroke);
        glUniform1f(p.uniform("u_halfWidth"), 0.5f * widthPx);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_BUFFER, positionsTex_.id());
        glUniform1i(p.uniform("u_positions"), 0);
        glActiveTexture(GL_TEXTURE1);
        glBindTexture(GL_TEXTURE_BUFFER, validityTex_.id());
        glUniform1i(p.uniform("u_valid"), 1);
        glUniform1i(p.uniform("u_perVertexColor"), perFeatureStroke_ ? 1 : 0);
        if (perFeatureStroke_) {
            glActiveTexture(GL_TEXTURE2);
            glBindTexture(GL_TEXTURE_BUFFER, strokeColorsTex_.id());
            glUniform1i(p.uniform("u_strokeColors"), 2);
        }
        glBindVertexArray(lineVao_.id());
        glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(6 * (vertexCount_ - 1)));
        glActiveTexture(GL_TEXTURE0);
    }
    if (!ranges.dotCounts.empty() && (style.fillEnabled || style.strokeEnabled)) {
        // Polygons too small to see as shapes: their fill colour (or stroke colour when unfilled, and for lines).
        const bool useFill = style.fillEnabled && !rankTriangleStart_.empty() && rankTriangleStart_.back() > 0;
        const gl::Program& p = programs.dot;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
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
    if (pointCount_) {
        const gl::Program& p = programs.point;
        p.use();
        setViewUniforms(p, v, originX_, originY_);
        setColor(p.uniform("u_tint"), perFeatureColor_ ? white : style.fill);
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

#include "render/labels.hpp"

#include <algorithm>
#include <cfloat>

#include "platform/fonts.hpp"
#include "store/feature_table.hpp"

namespace app::render {

namespace {
}  // namespace

void LabelRenderer::submit(const std::vector<TextVertex>& v, int targetWidth, int targetHeight) {
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    program_.use();
    glUniform2f(program_.uniform("u_viewport"), static_cast<float>(targetWidth), static_cast<float>(targetHeight));
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glUniform1i(program_.uniform("u_atlas"), 0);
    glBindVertexArray(vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, vertices_.id());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(v.size() * sizeof(TextVertex)), v.data(), GL_STREAM_DRAW);
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(v.size()));
    glBindVertexArray(0);
}

LabelRenderer::LabelRenderer() {
    vao_ = gl::makeVertexArray();
    vertices_ = gl::makeBuffer();
    glBindVertexArray(vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, vertices_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(TextVertex), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(TextVertex), reinterpret_cast<const void*>(8));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(TextVertex), reinterpret_cast<const void*>(16));
    glBindVertexArray(0);
}

LabelRenderer::~LabelRenderer() = default;

bool LabelRenderer::ensureFont(const std::vector<LabelRequest>& requests, float pixelSize) {
    std::vector<uint32_t> cps = codepoints_;
    for (const auto& r : requests) geo::appendCodepoints(r.text, cps);
    std::sort(cps.begin(), cps.end());
    cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
    if (font_ && cps == codepoints_ && pixelSize == fontPx_) return true;
    codepoints_ = cps;
    fontPx_ = pixelSize;
    atlas_.Clear();
    font_ = nullptr;
    auto file = platform::findCjkFont();
    if (!file) return false;
    ImFontGlyphRangesBuilder b;
    b.AddChar(0x20);
    platform::addCodepoints(b, codepoints_);
    ranges_.clear();
    b.BuildRanges(&ranges_);
    ImFontConfig cfg;
    cfg.FontNo = file->index;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    font_ = atlas_.AddFontFromFileTTF(file->path.c_str(), pixelSize, &cfg, ranges_.Data);
    if (!font_ || !atlas_.Build()) {
        font_ = nullptr;
        return false;
    }
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas_.GetTexDataAsAlpha8(&pixels, &w, &h);
    texture_ = gl::makeTexture();
    glBindTexture(GL_TEXTURE_2D, texture_.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    return true;
}

bool LabelRenderer::prepare(const std::vector<std::string>& texts, float pixelRatio) {
    std::vector<LabelRequest> requests;
    for (const auto& t : texts) requests.push_back(LabelRequest{t});
    return ensureFont(requests, kLabelFontPx * pixelRatio);
}

std::array<float, 2> LabelRenderer::measure(const std::string& text, float scale) const {
    if (!font_) return {0, 0};
    ImVec2 s = font_->CalcTextSizeA(font_->FontSize * scale, FLT_MAX, 0.0f, text.c_str());
    return {s.x, s.y};
}

void LabelRenderer::drawOverlay(const Overlay& overlay, int targetWidth, int targetHeight, double offsetX, double offsetY) {
    for (const Overlay& b : overlay.below) drawOverlay(b, targetWidth, targetHeight, offsetX, offsetY);
    if (!font_) return;
    std::vector<TextVertex> v;
    const ImVec2 white = atlas_.TexUvWhitePixel;
    auto quad = [&](float x0, float y0, float x1, float y1, const uint8_t* c, float u0, float v0, float u1, float v1) {
        TextVertex q[6] = {{x0, y0, u0, v0, c[0], c[1], c[2], c[3]}, {x1, y0, u1, v0, c[0], c[1], c[2], c[3]},
                           {x1, y1, u1, v1, c[0], c[1], c[2], c[3]}, {x0, y0, u0, v0, c[0], c[1], c[2], c[3]},
                           {x1, y1, u1, v1, c[0], c[1], c[2], c[3]}, {x0, y1, u0, v1, c[0], c[1], c[2], c[3]}};
        v.insert(v.end(), q, q + 6);
    };
    const float ox = static_cast<float>(offsetX), oy = static_cast<float>(offsetY);
    for (const auto& r : overlay.rects) quad(r.x0 - ox, r.y0 - oy, r.x1 - ox, r.y1 - oy, r.rgba, white.x, white.y, white.x, white.y);
    for (const auto& t : overlay.triangles)
        for (int k = 0; k < 3; ++k)
            v.push_back({t.x[k] - ox, t.y[k] - oy, white.x, white.y, t.rgba[0], t.rgba[1], t.rgba[2], t.rgba[3]});
    for (const auto& t : overlay.texts) {
        std::vector<uint32_t> cps;
        geo::appendCodepoints(t.text, cps);
        float pen = t.x - ox;
        for (uint32_t c : cps) {
            if (c > 0xFFFF) continue;
            const ImFontGlyph* g = font_->FindGlyph(static_cast<ImWchar>(c));
            if (!g) continue;
            quad(pen + g->X0 * t.scale, t.y - oy + g->Y0 * t.scale, pen + g->X1 * t.scale, t.y - oy + g->Y1 * t.scale,
                 t.rgba, g->U0, g->V0, g->U1, g->V1);
            pen += g->AdvanceX * t.scale;
        }
    }
    submit(v, targetWidth, targetHeight);
}

LabelPlan LabelRenderer::plan(const geo::View& view, std::vector<LabelRequest> requests, float pixelRatio) {
    LabelPlan p;
    p.pixelRatio = pixelRatio;
    p.requests = std::move(requests);
    if (p.requests.empty() || !ensureFont(p.requests, kLabelFontPx * pixelRatio)) return p;
    std::vector<geo::LabelCandidate> candidates;
    candidates.reserve(p.requests.size());
    for (const auto& r : p.requests) {
        ImVec2 size = font_->CalcTextSizeA(font_->FontSize, FLT_MAX, 0.0f, r.text.c_str());
        geo::LabelCandidate c;
        c.x = view.worldToScreenX(r.worldX);
        c.y = view.worldToScreenY(r.worldY);
        c.width = size.x + 2 * kLabelHaloPx * pixelRatio;
        c.height = size.y;
        c.priority = r.priority;
        c.anchor = r.anchor;
        c.offset = r.offsetPx * pixelRatio;
        c.layer = r.layer;
        c.feature = r.feature;
        candidates.push_back(c);
    }
    p.placed = geo::placeLabels(candidates, view.width, view.height, 3.0f * pixelRatio);
    return p;
}

void LabelRenderer::draw(const LabelPlan& plan, int targetWidth, int targetHeight, double offsetX, double offsetY) {
    if (!font_ || plan.placed.empty()) return;
    std::vector<TextVertex> v;
    const float halo = kLabelHaloPx * plan.pixelRatio;
    auto emit = [&](const std::string& text, float x, float y, const uint8_t (&rgba)[4]) {
        std::vector<uint32_t> cps;
        geo::appendCodepoints(text, cps);
        float pen = x;
        for (uint32_t c : cps) {
            if (c > 0xFFFF) continue;
            const ImFontGlyph* g = font_->FindGlyph(static_cast<ImWchar>(c));
            if (!g) continue;
            float x0 = pen + g->X0, y0 = y + g->Y0, x1 = pen + g->X1, y1 = y + g->Y1;
            TextVertex q[6] = {{x0, y0, g->U0, g->V0, rgba[0], rgba[1], rgba[2], rgba[3]},
                               {x1, y0, g->U1, g->V0, rgba[0], rgba[1], rgba[2], rgba[3]},
                               {x1, y1, g->U1, g->V1, rgba[0], rgba[1], rgba[2], rgba[3]},
                               {x0, y0, g->U0, g->V0, rgba[0], rgba[1], rgba[2], rgba[3]},
                               {x1, y1, g->U1, g->V1, rgba[0], rgba[1], rgba[2], rgba[3]},
                               {x0, y1, g->U0, g->V1, rgba[0], rgba[1], rgba[2], rgba[3]}};
            v.insert(v.end(), q, q + 6);
            pen += g->AdvanceX;
        }
    };
    static constexpr uint8_t kHalo[4] = {255, 255, 255, 235};
    static constexpr uint8_t kText[4] = {31, 41, 55, 255};
    const float offsets[8][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-0.7f, -0.7f}, {0.7f, -0.7f}, {-0.7f, 0.7f}, {0.7f, 0.7f}};
    for (const auto& pl : plan.placed) {
        float x = static_cast<float>(pl.x - offsetX) + halo, y = static_cast<float>(pl.y - offsetY);
        for (const auto& o : offsets) emit(plan.requests[pl.candidate].text, x + o[0] * halo, y + o[1] * halo, kHalo);
    }
    for (const auto& pl : plan.placed)
        emit(plan.requests[pl.candidate].text, static_cast<float>(pl.x - offsetX) + halo, static_cast<float>(pl.y - offsetY),
             kText);
    submit(v, targetWidth, targetHeight);
}

}  // namespace app::render

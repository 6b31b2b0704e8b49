#include "render/markup_shapes.hpp"

#include <cmath>

#include "core/error.hpp"
#include "store/feature_table.hpp"
#include "tessellate/tessellate.hpp"

namespace app::render {

namespace {
std::vector<uint32_t> triangulate(const std::vector<float>& xy) {
    geo::FeatureTable t;
    t.beginFeature(0, geo::GeomKind::Polygon);
    for (size_t i = 0; i + 1 < xy.size(); i += 2) t.addVertex(xy[i], xy[i + 1]);
    t.endRing();
    t.endPart();
    t.endFeature();
    geo::TessStats stats;
    return geo::tessellatePolygons(t, stats);
}
}  // namespace

std::vector<MarkupShape> markupShapes(const std::vector<geo::MarkupItem>& items, const geo::View& view,
                                      const geo::Transformer& toDisplay, float ratio) {
    using K = geo::MarkupKind;
    std::vector<MarkupShape> out;
    for (const auto& item : items) {
        std::vector<double> p = item.lonLat;
        const size_t n = p.size() / 2;
        if (n == 0 || toDisplay.transform(p.data(), n) != n) continue;
        MarkupShape s;
        s.kind = item.kind;
        s.text = item.text;
        s.color = {item.color[0], item.color[1], item.color[2], item.color[3]};
        s.widthPx = item.width * ratio;
        s.xy.reserve(2 * n);
        double cx = 0, cy = 0;
        for (size_t i = 0; i < n; ++i) {
            float x = static_cast<float>(view.worldToScreenX(p[2 * i])), y = static_cast<float>(view.worldToScreenY(p[2 * i + 1]));
            s.xy.push_back(x);
            s.xy.push_back(y);
            cx += x;
            cy += y;
        }
        if (!std::isfinite(cx) || !std::isfinite(cy)) continue;
        s.textX = s.xy[2 * n - 2];
        s.textY = s.xy[2 * n - 1];
        if ((item.kind == K::Polygon || item.kind == K::MeasureArea) && n >= 3) {
            s.fill = triangulate(s.xy);
            s.textX = static_cast<float>(cx / n);
            s.textY = static_cast<float>(cy / n);
        }
        if (item.kind == K::Arrow && n >= 2) {
            float hx = s.xy[2 * n - 2], hy = s.xy[2 * n - 1], tx = s.xy[2 * n - 4], ty = s.xy[2 * n - 3];
            float dx = hx - tx, dy = hy - ty, len = std::hypot(dx, dy);
            if (len > 0) {
                dx /= len;
                dy /= len;
                const float size = std::max(10.0f * ratio, 4.0f * s.widthPx);
                float bx = hx - dx * size, by = hy - dy * size;
                float arrow[6] = {hx, hy, bx - dy * size * 0.5f, by + dx * size * 0.5f, bx + dy * size * 0.5f,
                                  by - dx * size * 0.5f};
                std::copy(arrow, arrow + 6, s.arrow);
                // The shaft ends at the head's base, so a wide line does not poke through the point.
                s.xy[2 * n - 2] = bx;
                s.xy[2 * n - 1] = by;
            }
        }
        if (item.kind == K::Text) s.widthPx = item.width * ratio;  // the text size
        out.push_back(std::move(s));
    }
    return out;
}

Overlay markupOverlay(const std::vector<MarkupShape>& shapes, LabelRenderer& text, float ratio) {
    using K = geo::MarkupKind;
    Overlay o;
    std::vector<std::string> strings;
    for (const auto& s : shapes)
        if (!s.text.empty()) strings.push_back(s.text);
    if (!strings.empty() && !text.prepare(strings, ratio))
        throw geo::IoError("", "", "no font for the markup text (install fonts-noto-cjk)");
    auto rgba = [](geo::Rgba c, float alpha = 1.0f) {
        return std::array<uint8_t, 4>{c.r, c.g, c.b, static_cast<uint8_t>(c.a * alpha)};
    };
    auto tri = [&](float x0, float y0, float x1, float y1, float x2, float y2, std::array<uint8_t, 4> c) {
        Overlay::Triangle t{{x0, x1, x2}, {y0, y1, y2}, {c[0], c[1], c[2], c[3]}};
        o.triangles.push_back(t);
    };
    for (const auto& s : shapes) {
        const size_t n = s.xy.size() / 2;
        for (size_t i = 0; i + 2 < s.fill.size(); i += 3) {
            const uint32_t a = s.fill[i], b = s.fill[i + 1], c = s.fill[i + 2];
            tri(s.xy[2 * a], s.xy[2 * a + 1], s.xy[2 * b], s.xy[2 * b + 1], s.xy[2 * c], s.xy[2 * c + 1], rgba(s.color, 0.3f));
        }
        if (s.kind != K::Text && n >= 2) {
            const bool closed = s.kind == K::Polygon || s.kind == K::MeasureArea;
            const float h = 0.5f * s.widthPx;
            for (size_t i = 0; i + 1 < n + (closed ? 1 : 0); ++i) {
                const size_t j = (i + 1) % n;
                float x0 = s.xy[2 * i], y0 = s.xy[2 * i + 1], x1 = s.xy[2 * j], y1 = s.xy[2 * j + 1];
                float dx = x1 - x0, dy = y1 - y0, len = std::hypot(dx, dy);
                if (len <= 0) continue;
                dx = dx / len * h;
                dy = dy / len * h;
                // Extended by half the width at both ends: square joins with no gaps at the bends.
                x0 -= dx, y0 -= dy, x1 += dx, y1 += dy;
                tri(x0 - dy, y0 + dx, x1 - dy, y1 + dx, x1 + dy, y1 - dx, rgba(s.color));
                tri(x0 - dy, y0 + dx, x1 + dy, y1 - dx, x0 + dy, y0 - dx, rgba(s.color));
            }
        }
        if (s.kind == K::Arrow && (s.arrow[0] != 0 || s.arrow[1] != 0))
            tri(s.arrow[0], s.arrow[1], s.arrow[2], s.arrow[3], s.arrow[4], s.arrow[5], rgba(s.color));
        if (!s.text.empty()) {
            const float scale = s.kind == K::Text ? s.widthPx / (kLabelFontPx * ratio) : 1.0f;
            auto size = text.measure(s.text, scale);
            const float pad = 3.0f * ratio;
            float x = s.textX + (s.kind == K::Text ? 0.0f : pad), y = s.textY - (s.kind == K::Text ? 0.0f : size[1] + pad);
            o.rects.push_back({x - pad, y - pad, x + size[0] + pad, y + size[1] + pad, {255, 255, 255, 220}});
            Overlay::Text t;
            t.text = s.text;
            t.x = x;
            t.y = y;
            t.scale = scale;
            auto c = s.kind == K::Text ? rgba(s.color) : std::array<uint8_t, 4>{17, 24, 39, 255};
            std::copy(c.begin(), c.end(), t.rgba);
            o.texts.push_back(t);
        }
    }
    return o;
}

}  // namespace app::render

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {
ImU32 toImColor(geo::Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }
}  // namespace

void legendSwatch(geo::Rgba fill, geo::Rgba stroke, geo::Symbol symbol, geo::Pattern pattern, bool line) {
    const float s = ImGui::GetTextLineHeight();
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 a(p.x + 1, p.y + 1), b(p.x + s - 1, p.y + s - 1), c((a.x + b.x) / 2, (a.y + b.y) / 2);
    if (line) {
        dl->AddLine(ImVec2(a.x, c.y), ImVec2(b.x, c.y), toImColor(fill), 3.0f);
    } else if (symbol == geo::Symbol::Triangle) {
        dl->AddTriangleFilled(ImVec2(c.x, a.y), ImVec2(b.x, b.y), ImVec2(a.x, b.y), toImColor(fill));
        dl->AddTriangle(ImVec2(c.x, a.y), ImVec2(b.x, b.y), ImVec2(a.x, b.y), toImColor(stroke));
    } else if (symbol == geo::Symbol::Diamond) {
        dl->AddQuadFilled(ImVec2(c.x, a.y), ImVec2(b.x, c.y), ImVec2(c.x, b.y), ImVec2(a.x, c.y), toImColor(fill));
        dl->AddQuad(ImVec2(c.x, a.y), ImVec2(b.x, c.y), ImVec2(c.x, b.y), ImVec2(a.x, c.y), toImColor(stroke));
    } else if (symbol == geo::Symbol::Circle && pattern == geo::Pattern::Solid) {
        dl->AddCircleFilled(c, (b.x - a.x) / 2, toImColor(fill));
        dl->AddCircle(c, (b.x - a.x) / 2, toImColor(stroke));
    } else {
        geo::Rgba f = fill;
        if (pattern != geo::Pattern::Solid) f.a = static_cast<uint8_t>(f.a * 0.3f);
        dl->AddRectFilled(a, b, toImColor(f));
        if (pattern != geo::Pattern::Solid) {
            float step = pattern == geo::Pattern::Hatched ? 5.0f : 3.0f;
            dl->PushClipRect(a, b, true);
            for (float x = a.x - s; x < b.x; x += step) dl->AddLine(ImVec2(x, b.y), ImVec2(x + s, a.y), toImColor(fill));
            dl->PopClipRect();
        }
        dl->AddRect(a, b, toImColor(stroke));
    }
    ImGui::Dummy(ImVec2(s, s));
    ImGui::SameLine();
}

namespace {

// An outline swatch, dashed or solid, the way the map draws the outlines of that location accuracy.
void outlineSwatch(geo::Rgba stroke, bool dashed) {
    const float s = ImGui::GetTextLineHeight();
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 a(p.x + 2, p.y + 2), b(p.x + s - 2, p.y + s - 2);
    const ImU32 c = toImColor(stroke);
    if (!dashed) {
        dl->AddRect(a, b, c, 0.0f, 0, 2.0f);
    } else {
        const float dash = 3.0f, gap = 2.5f;
        auto dashedLine = [&](ImVec2 from, ImVec2 to) {
            const float len = std::hypot(to.x - from.x, to.y - from.y);
            for (float t = 0; t < len; t += dash + gap) {
                const float t1 = std::min(len, t + dash);
                dl->AddLine(ImVec2(from.x + (to.x - from.x) * t / len, from.y + (to.y - from.y) * t / len),
                            ImVec2(from.x + (to.x - from.x) * t1 / len, from.y + (to.y - from.y) * t1 / len), c, 2.0f);
            }
        };
        dashedLine(a, ImVec2(b.x, a.y));
        dashedLine(ImVec2(b.x, a.y), b);
        dashedLine(b, ImVec2(a.x, b.y));
        dashedLine(ImVec2(a.x, b.y), a);
    }
    ImGui::Dummy(ImVec2(s, s));
    ImGui::SameLine();
}

}  // namespace

// Which outlines are dashed: for a plan-project catalog every location accuracy in order (so the legend says
// what solid means too), otherwise the dashed values only.
void dashLegend(const geo::Style& st, bool catalog) {
    if (!geo::hasDashes(st)) return;
    auto dashed = [&](const std::string& v) {
        return std::find(st.dashValues.begin(), st.dashValues.end(), v) != st.dashValues.end();
    };
    const bool accuracy = catalog && st.dashField == "location_accuracy";
    ImGui::TextDisabled("%s", accuracy ? tr("Location accuracy") : st.dashField.c_str());
    for (const auto& v : accuracy ? geo::locationAccuracies() : st.dashValues) {
        outlineSwatch(st.stroke, dashed(v));
        ImGui::Text("%s%s", v.c_str(), dashed(v) ? tr(" (dashed: illustrative shape)") : "");
    }
}

void drawLegendPanel(UiState&, const PanelContext& ctx) {
    for (size_t k = ctx.project.layers.size(); k-- > 0;) {
        const geo::ProjectLayer& l = ctx.project.layers[k];
        const render::SceneLayer* s = ctx.scene.find(l.id);
        if (!s || !l.visible || s->status != render::LoadStatus::Ready) continue;
        const geo::Style& st = l.style;
        const bool lineLayer = s->vectorData && s->vectorData->source.table.uniformKind() == geo::GeomKind::Line;
        if (st.categoryField.empty() || st.categories.empty()) {
            legendSwatch(lineLayer || !st.fillEnabled ? st.stroke : st.fill, st.stroke, geo::Symbol::Square,
                         geo::Pattern::Solid, lineLayer || !st.fillEnabled);
            ImGui::TextUnformatted(l.name.c_str());
            ImGui::Indent();
            dashLegend(st, s->catalog);
            ImGui::Unindent();
            continue;
        }
        ImGui::TextUnformatted(l.name.c_str());
        ImGui::Indent();
        for (const auto& c : st.categories) {
            legendSwatch(c.color, st.stroke, c.symbol, geo::Pattern::Solid, false);
            ImGui::TextUnformatted(c.value.empty() ? tr("(empty)") : c.value.c_str());
        }
        for (const auto& p : st.patterns) {
            legendSwatch(geo::Rgba{90, 90, 90, 255}, st.stroke, geo::Symbol::Square, p.pattern, false);
            ImGui::Text("%s: %s", st.patternField.c_str(), p.value.c_str());
        }
        dashLegend(st, s->catalog);
        ImGui::Unindent();
    }
}

}  // namespace app::ui

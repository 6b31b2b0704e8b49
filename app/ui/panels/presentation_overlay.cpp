#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "render/decorations.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {

void panel(ImDrawList* dl, ImVec2 a, ImVec2 b) {
    dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 215), 6.0f);
}

// Title (>= 36 px) and caption (>= 24 px) at scale 1, readable from the back of a meeting room.
void drawSlideText(ImDrawList* dl, const geo::Slide& slide, ImFont* title, ImFont* caption, float margin) {
    ImGuiIO& io = ImGui::GetIO();
    const float wrap = io.DisplaySize.x * 0.45f;
    float titlePx = title->FontSize * io.FontGlobalScale, captionPx = caption->FontSize * io.FontGlobalScale;
    ImVec2 ts = title->CalcTextSizeA(titlePx, FLT_MAX, wrap, slide.title.c_str());
    ImVec2 cs = caption->CalcTextSizeA(captionPx, FLT_MAX, wrap, slide.caption.c_str());
    float w = std::max(ts.x, cs.x) + 2 * 16, h = ts.y + cs.y + 3 * 12;
    panel(dl, ImVec2(margin, margin), ImVec2(margin + w, margin + h));
    dl->AddText(title, titlePx, ImVec2(margin + 16, margin + 12), IM_COL32(17, 24, 39, 255), slide.title.c_str(),
                nullptr, wrap);
    dl->AddText(caption, captionPx, ImVec2(margin + 16, margin + 24 + ts.y), IM_COL32(55, 65, 81, 255),
                slide.caption.c_str(), nullptr, wrap);
}

// Scale bar, bottom left, correct at the centre of the map.
void drawScaleBar(ImDrawList* dl, double metersPerPixel, float margin) {
    ImGuiIO& io = ImGui::GetIO();
    double meters = render::niceLength(metersPerPixel * 160);
    float len = static_cast<float>(meters / metersPerPixel);
    char text[32];
    if (meters >= 1000)
        std::snprintf(text, sizeof text, "%g km", meters / 1000);
    else
        std::snprintf(text, sizeof text, "%g m", meters);
    ImVec2 base(margin + 12, io.DisplaySize.y - margin - 12);
    panel(dl, ImVec2(margin, base.y - 40), ImVec2(margin + len + 24 + 60, base.y + 12));
    dl->AddRectFilled(ImVec2(base.x, base.y - 8), ImVec2(base.x + len, base.y), IM_COL32(17, 24, 39, 255));
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 1.3f, ImVec2(base.x, base.y - 32), IM_COL32(17, 24, 39, 255),
                text);
}

// Legend of the visible layers, bottom right above the slide counter at height `above`.
void drawLegend(const PanelContext& ctx, float margin, float above) {
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - margin, above), ImGuiCond_Always, ImVec2(1, 1));
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                             ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs;
    if (ImGui::Begin("##presentLegend", nullptr, flags)) {
        for (size_t k = ctx.project.layers.size(); k-- > 0;) {
            const geo::ProjectLayer& l = ctx.project.layers[k];
            const render::SceneLayer* s = ctx.scene.find(l.id);
            if (!s || !l.visible || s->status != render::LoadStatus::Ready) continue;
            const geo::Style& st = l.style;
            if (!st.categories.empty()) {
                for (const auto& c : st.categories) {
                    legendSwatch(c.color, st.stroke, c.symbol, geo::Pattern::Solid, false);
                    ImGui::TextUnformatted(c.value.c_str());
                }
            } else {
                legendSwatch(st.fillEnabled ? st.fill : st.stroke, st.stroke, geo::Symbol::Square, geo::Pattern::Solid,
                             !st.fillEnabled);
                ImGui::TextUnformatted(l.name.c_str());
            }
            dashLegend(st, s->catalog);
        }
    }
    ImGui::End();
}

}  // namespace

void drawPresentationOverlay(UiState& state, const PresentInfo& info, const PanelContext& ctx) {
    ImGuiIO& io = ImGui::GetIO();
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    ImFont* caption = io.Fonts->Fonts.Size > 2 ? io.Fonts->Fonts[1] : ImGui::GetFont();
    ImFont* title = io.Fonts->Fonts.Size > 2 ? io.Fonts->Fonts[2] : ImGui::GetFont();
    const float margin = 24;
    if (info.slide) drawSlideText(dl, *info.slide, title, caption, margin);
    // Slide counter, bottom right.
    char counter[32];
    std::snprintf(counter, sizeof counter, "%zu / %zu", info.index + 1, info.count);
    float captionPx = caption->FontSize * io.FontGlobalScale;
    ImVec2 csz = caption->CalcTextSizeA(captionPx, FLT_MAX, 0, counter);
    ImVec2 cpos(io.DisplaySize.x - margin - csz.x - 12, io.DisplaySize.y - margin - csz.y - 8);
    panel(dl, ImVec2(cpos.x - 12, cpos.y - 8), ImVec2(cpos.x + csz.x + 12, cpos.y + csz.y + 8));
    dl->AddText(caption, captionPx, cpos, IM_COL32(17, 24, 39, 255), counter);

    if (info.metersPerPixel > 0) drawScaleBar(dl, info.metersPerPixel, margin);
    drawLegend(ctx, margin, cpos.y - 20);

    // Laser pointer: hold L.
    if (state.laser && ImGui::IsMousePosValid()) {
        ImVec2 m = io.MousePos;
        for (int r = 22; r > 6; r -= 4) dl->AddCircleFilled(m, static_cast<float>(r), IM_COL32(255, 40, 40, 28));
        dl->AddCircleFilled(m, 6.0f, IM_COL32(255, 30, 30, 255));
    }
}

}  // namespace app::ui

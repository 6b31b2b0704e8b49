// The viewer: the map tools — the tool bar and Tools menu, measure (geodesic and planar), markup (freehand, arrow,
// polygon, text), the drag and click handling they share with selection, and drawing all of it over the map.
// Every result that stays is a project command (undoable, saved): kept measurements and notes are markup.
// Selection is in viewer_selection.cpp, swipe and timeline in viewer_compare.cpp, the conflict check in
// viewer_conflicts.cpp, control points in viewer_control_points.cpp.
#include "ui/viewer_internal.hpp"

#include "analysis/measure.hpp"
#include "analysis/selection.hpp"
#include "markup/markup_store.hpp"
#include "render/markup_shapes.hpp"

namespace app::ui::detail {

namespace {
bool isMarkupTool(Tool t) { return t == Tool::Freehand || t == Tool::Arrow || t == Tool::Polygon || t == Tool::Text; }
// Tools placed vertex by vertex with clicks (a drag still pans the map).
bool clickTool(Tool t) { return t == Tool::MeasureLine || t == Tool::MeasureArea || t == Tool::Polygon; }
// Tools that draw with a drag (the map does not pan under them).
bool dragTool(Tool t) { return t == Tool::SelectRect || t == Tool::SelectLasso || t == Tool::Freehand || t == Tool::Arrow; }

ImU32 imColor(geo::Rgba c, float alpha = 1.0f) {
    return IM_COL32(c.r, c.g, c.b, static_cast<int>(c.a * alpha));
}

struct ToolInfo {
    Tool tool;
    const char* label;
};
const std::vector<ToolInfo>& toolList() {
    static const std::vector<ToolInfo> kTools = {
        {Tool::Navigate, "Pan"},           {Tool::MeasureLine, "Distance"}, {Tool::MeasureArea, "Area"},
        {Tool::SelectRect, "Select box"},  {Tool::SelectLasso, "Lasso"},    {Tool::Freehand, "Pen"},
        {Tool::Arrow, "Arrow"},            {Tool::Polygon, "Shape"},        {Tool::Text, "Note"},
    };
    return kTools;
}
}  // namespace

void Viewer::setTool(Tool tool) {
    state_.tools.tool = tool;
    state_.tools.points.clear();
    state_.tools.finished = false;
    state_.tools.textPending = false;
}

bool Viewer::toolWantsDrag() const { return swipeDragging_ || dragTool(state_.tools.tool); }

// The nearest vertex of a visible vector feature within 10 pixels of (mx, my) (framebuffer pixels of the map),
// in the display CRS.
bool Viewer::snapToVertex(double mx, double my, double& wx, double& wy) const {
    const float ratio = pixelRatio();
    const double reach = 10.0 * ratio;
    const auto& layers = doc_.project().layers;
    for (size_t k = layers.size(); k-- > 0;) {
        const render::SceneLayer* s = doc_.scene().find(layers[k].id);
        if (!s || !s->vectorData) continue;
        auto f = doc_.scene().pick(*s, layers[k], view_, doc_.displayCrs(), mx, my, reach);
        if (!f || !s->toSource) continue;
        const geo::FeatureTable& t = s->vectorData->source.table;
        const uint32_t p0 = t.partBegin(*f), p1 = t.partEnd(*f);
        if (p0 == p1) continue;
        const uint32_t v0 = t.vertexBegin(t.ringBegin(p0)), v1 = t.vertexEnd(t.ringEnd(p1 - 1) - 1);
        if (v1 - v0 > 200000) continue;  // a coastline: not worth snapping to
        std::vector<double> xy(t.xy.begin() + 2 * v0, t.xy.begin() + 2 * v1);
        s->toSource->inverse(xy.data(), v1 - v0);  // layer CRS -> display CRS
        double best = reach * reach;
        bool found = false;
        for (size_t i = 0; i < xy.size(); i += 2) {
            const double dx = view_.worldToScreenX(xy[i]) - mx, dy = view_.worldToScreenY(xy[i + 1]) - my;
            if (dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                wx = xy[i];
                wy = xy[i + 1];
                found = true;
            }
        }
        if (found) return true;
    }
    return false;
}

// Left-button work of the active tool; called every frame from handleInput while the mouse is over the map.
void Viewer::handleTool(double mx, double my) {
    ImGuiIO& io = ImGui::GetIO();
    ToolState& t = state_.tools;
    if (t.tool == Tool::Navigate || io.WantCaptureMouse) return;
    double wx = view_.screenToWorldX(mx), wy = view_.screenToWorldY(my);
    const bool snapped = (clickTool(t.tool)) && snapToVertex(mx, my, wx, wy);
    snapX_ = snapped ? wx : NAN;
    snapY_ = wy;
    const bool click = ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f;
    if (clickTool(t.tool)) {
        if (click) {
            if (t.finished) {
                t.points.clear();
                t.finished = false;
            }
            t.points.push_back(wx);
            t.points.push_back(wy);
        }
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Right) && t.points.size() >= 2 && !t.finished) {
            t.points.resize(t.points.size() - 2);  // take back the last vertex
        }
        if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false))
            finishShape();
        return;
    }
    if (t.tool == Tool::Text) {
        if (click) {
            t.textPending = true;
            t.textX = wx;
            t.textY = wy;
            t.text[0] = 0;
        }
        return;
    }
    // Drag tools: the shape grows while the button is down and is finished on release.
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        t.points = {wx, wy};
        t.finished = false;
    } else if (ImGui::IsMouseDown(ImGuiMouseButton_Left) && !t.points.empty()) {
        const double lx = t.points[t.points.size() - 2], ly = t.points.back();
        const bool farEnough = std::hypot(view_.worldToScreenX(lx) - mx, view_.worldToScreenY(ly) - my) >= 2.0 * pixelRatio();
        if (t.tool == Tool::SelectRect || t.tool == Tool::Arrow) {
            t.points.resize(2);
            t.points.push_back(wx);
            t.points.push_back(wy);
        } else if (farEnough) {
            t.points.push_back(wx);
            t.points.push_back(wy);
        }
    } else if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && t.points.size() >= 4) {
        finishShape();
    }
}

std::vector<double> Viewer::toLonLat(const std::vector<double>& displayXY) const {
    std::vector<double> p = displayXY;
    toWgs84_->transform(p.data(), p.size() / 2);
    return p;
}

geo::MarkupItem Viewer::newMarkup(geo::MarkupKind kind, std::vector<double> lonLat) const {
    geo::MarkupItem m;
    m.kind = kind;
    m.lonLat = std::move(lonLat);
    for (int i = 0; i < 4; ++i) m.color[i] = static_cast<uint8_t>(std::lround(std::clamp(state_.tools.color[i], 0.0f, 1.0f) * 255));
    m.width = state_.tools.width;
    m.author = geo::osUserName();
    m.created = geo::isoNowUtc();
    return m;
}

// The text a measurement shows: geodesic first, the planar EPSG:4547 figure beside it.
std::string Viewer::measureText(bool area) const {
    const std::vector<double> ll = toLonLat(state_.tools.points);
    const bool zh = language() == Language::Chinese;
    if (area) {
        geo::AreaMeasure m = measurer_->ring(ll.data(), ll.size() / 2);
        return geo::formatArea(m.geodesicM2, zh);
    }
    geo::LengthMeasure m = measurer_->line(ll.data(), ll.size() / 2);
    return geo::formatLength(m.geodesicM, zh);
}

void Viewer::finishShape() {
    ToolState& t = state_.tools;
    // A double click adds its point twice (two releases): drop vertices within 3 px of the one before.
    std::vector<double> clean;
    for (size_t i = 0; i + 1 < t.points.size(); i += 2) {
        if (!clean.empty() && std::hypot(view_.worldToScreenX(clean[clean.size() - 2]) - view_.worldToScreenX(t.points[i]),
                                         view_.worldToScreenY(clean.back()) - view_.worldToScreenY(t.points[i + 1])) < 3.0)
            continue;
        clean.push_back(t.points[i]);
        clean.push_back(t.points[i + 1]);
    }
    t.points = clean;
    const size_t n = t.points.size() / 2;
    switch (t.tool) {
        case Tool::MeasureLine: t.finished = n >= 2; break;
        case Tool::MeasureArea: t.finished = n >= 3; break;
        case Tool::Polygon:
            if (n >= 3) doc_.apply(geo::cmd::addMarkup(newMarkup(geo::MarkupKind::Polygon, toLonLat(t.points))));
            t.points.clear();
            break;
        case Tool::Freehand:
            if (n >= 2) doc_.apply(geo::cmd::addMarkup(newMarkup(geo::MarkupKind::Freehand, toLonLat(t.points))));
            t.points.clear();
            break;
        case Tool::Arrow:
            if (n >= 2) doc_.apply(geo::cmd::addMarkup(newMarkup(geo::MarkupKind::Arrow, toLonLat(t.points))));
            t.points.clear();
            break;
        case Tool::SelectRect: {
            geo::BBox box;
            box.add(t.points[0], t.points[1]);
            box.add(t.points[2], t.points[3]);
            std::vector<double> ring = {box.minX, box.minY, box.maxX, box.minY, box.maxX, box.maxY, box.minX, box.maxY};
            selectWith(ring);
            t.points.clear();
            break;
        }
        case Tool::SelectLasso:
            if (n >= 3) selectWith(t.points);
            t.points.clear();
            break;
        default: break;
    }
}

// Markup, the shape being drawn, the snap mark and the swipe divider, over the map (under the panels).
void Viewer::drawMapOverlay() {
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float ratio = pixelRatio();
    const ImVec2 origin(mapArea_.x, mapArea_.y);
    auto toScreen = [&](double x, double y) {
        return ImVec2(origin.x + static_cast<float>(view_.worldToScreenX(x)) / ratio,
                      origin.y + static_cast<float>(view_.worldToScreenY(y)) / ratio);
    };
    dl->PushClipRect(origin, ImVec2(origin.x + mapArea_.w, origin.y + mapArea_.h), true);
    // Kept markup, as exports draw it (render/markup_shapes).
    const auto shapes = render::markupShapes(doc_.project().markup, view_, *fromWgs84_, ratio);
    for (const auto& s : shapes) {
        std::vector<ImVec2> p;
        for (size_t i = 0; i + 1 < s.xy.size(); i += 2) p.emplace_back(origin.x + s.xy[i] / ratio, origin.y + s.xy[i + 1] / ratio);
        for (size_t i = 0; i + 2 < s.fill.size(); i += 3)
            dl->AddTriangleFilled(p[s.fill[i]], p[s.fill[i + 1]], p[s.fill[i + 2]], imColor(s.color, 0.3f));
        const bool closed = s.kind == geo::MarkupKind::Polygon || s.kind == geo::MarkupKind::MeasureArea;
        if (s.kind != geo::MarkupKind::Text && p.size() >= 2)
            dl->AddPolyline(p.data(), static_cast<int>(p.size()), imColor(s.color), closed ? ImDrawFlags_Closed : 0,
                            s.widthPx / ratio);
        if (s.kind == geo::MarkupKind::Arrow)
            dl->AddTriangleFilled(ImVec2(origin.x + s.arrow[0] / ratio, origin.y + s.arrow[1] / ratio),
                                  ImVec2(origin.x + s.arrow[2] / ratio, origin.y + s.arrow[3] / ratio),
                                  ImVec2(origin.x + s.arrow[4] / ratio, origin.y + s.arrow[5] / ratio), imColor(s.color));
        if (!s.text.empty()) {
            const bool note = s.kind == geo::MarkupKind::Text;
            const float size = note ? s.widthPx / ratio : ImGui::GetFontSize();
            const ImVec2 extent = ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, s.text.c_str());
            const float pad = 3.0f;
            ImVec2 at(origin.x + s.textX / ratio + (note ? 0 : pad), origin.y + s.textY / ratio - (note ? 0 : extent.y + pad));
            dl->AddRectFilled(ImVec2(at.x - pad, at.y - pad), ImVec2(at.x + extent.x + pad, at.y + extent.y + pad),
                              IM_COL32(255, 255, 255, 220), 2.0f);
            dl->AddText(ImGui::GetFont(), size, at, note ? imColor(s.color) : IM_COL32(17, 24, 39, 255), s.text.c_str());
        }
    }
    // The shape in progress, with a rubber band to the cursor for click tools.
    const ToolState& t = state_.tools;
    const ImU32 ink = ImGui::ColorConvertFloat4ToU32(ImVec4(t.color[0], t.color[1], t.color[2], t.color[3]));
    const ImU32 measureInk = IM_COL32(37, 99, 235, 255), selectInk = IM_COL32(0, 150, 255, 255);
    if (!t.points.empty()) {
        std::vector<ImVec2> p;
        for (size_t i = 0; i + 1 < t.points.size(); i += 2) p.push_back(toScreen(t.points[i], t.points[i + 1]));
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        if (clickTool(t.tool) && !t.finished && mapArea_.contains(mouse.x, mouse.y))
            p.push_back(std::isnan(snapX_) ? mouse : toScreen(snapX_, snapY_));
        const bool measuring = t.tool == Tool::MeasureLine || t.tool == Tool::MeasureArea;
        const bool selecting = t.tool == Tool::SelectRect || t.tool == Tool::SelectLasso;
        const ImU32 c = measuring ? measureInk : selecting ? selectInk : ink;
        if (t.tool == Tool::SelectRect && p.size() >= 2) {
            dl->AddRectFilled(p[0], p[1], IM_COL32(0, 150, 255, 40));
            dl->AddRect(p[0], p[1], c, 0.0f, 0, 1.5f);
        } else if (p.size() >= 2) {
            const bool closed = t.tool == Tool::MeasureArea || t.tool == Tool::Polygon || t.tool == Tool::SelectLasso;
            if (closed && p.size() >= 3) dl->AddConvexPolyFilled(p.data(), static_cast<int>(p.size()), (c & 0x00FFFFFF) | 0x28000000);
            dl->AddPolyline(p.data(), static_cast<int>(p.size()), c, closed ? ImDrawFlags_Closed : 0,
                            measuring || selecting ? 2.0f : t.width);
        }
        for (const ImVec2& q : p) dl->AddCircleFilled(q, measuring ? 3.5f : 0.0f, c);
        if (measuring && p.size() >= 2) {
            const std::string text = measureText(t.tool == Tool::MeasureArea);
            ImVec2 at(p.back().x + 10, p.back().y - ImGui::GetFontSize() - 6);
            ImVec2 size = ImGui::CalcTextSize(text.c_str());
            dl->AddRectFilled(ImVec2(at.x - 4, at.y - 2), ImVec2(at.x + size.x + 4, at.y + size.y + 2), IM_COL32(255, 255, 255, 235), 3.0f);
            dl->AddText(at, IM_COL32(17, 24, 39, 255), text.c_str());
        }
    }
    if (!std::isnan(snapX_) && clickTool(t.tool)) {
        ImVec2 q = toScreen(snapX_, snapY_);
        dl->AddRect(ImVec2(q.x - 5, q.y - 5), ImVec2(q.x + 5, q.y + 5), IM_COL32(255, 0, 255, 255), 0.0f, 0, 2.0f);
    }
    if (t.tool == Tool::Text && t.textPending) dl->AddCircleFilled(toScreen(t.textX, t.textY), 4.0f, ink);
    // The swipe divider with its handle.
    if (const geo::Swipe* sw = activeSwipe(); sw && sw->enabled) {
        const float x = origin.x + static_cast<float>(swipePosition()) * mapArea_.w;
        dl->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + mapArea_.h), IM_COL32(31, 41, 55, 160), 5.0f);
        dl->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + mapArea_.h), IM_COL32(255, 255, 255, 255), 3.0f);
        const ImVec2 c(x, origin.y + 0.5f * mapArea_.h);
        dl->AddCircleFilled(c, 14.0f, IM_COL32(255, 255, 255, 255));
        dl->AddCircle(c, 14.0f, IM_COL32(31, 41, 55, 200), 0, 2.0f);
        dl->AddTriangleFilled(ImVec2(c.x - 10, c.y), ImVec2(c.x - 4, c.y - 6), ImVec2(c.x - 4, c.y + 6), IM_COL32(31, 41, 55, 255));
        dl->AddTriangleFilled(ImVec2(c.x + 10, c.y), ImVec2(c.x + 4, c.y + 6), ImVec2(c.x + 4, c.y - 6), IM_COL32(31, 41, 55, 255));
    }
    dl->PopClipRect();
}

void Viewer::drawToolsMenu() {
    if (!ImGui::BeginMenu(menuLabel("Tools").c_str())) return;
    for (const auto& info : toolList())
        if (ImGui::MenuItem(menuLabel(info.label).c_str(), nullptr, state_.tools.tool == info.tool)) setTool(info.tool);
    ImGui::Separator();
    if (ImGui::MenuItem(menuLabel("Selection statistics").c_str(), nullptr, state_.selection.show)) state_.selection.show = !state_.selection.show;
    if (ImGui::MenuItem(menuLabel("Conflict check...").c_str(), nullptr, state_.showConflicts)) state_.showConflicts = !state_.showConflicts;
    if (ImGui::MenuItem(menuLabel("Swipe compare...").c_str(), nullptr, state_.showSwipe)) state_.showSwipe = !state_.showSwipe;
    if (ImGui::MenuItem(menuLabel("Timeline").c_str(), nullptr, state_.showTimeline)) state_.showTimeline = !state_.showTimeline;
    ImGui::Separator();
    if (ImGui::MenuItem(menuLabel("Clear markup").c_str(), nullptr, false, !doc_.project().markup.empty()))
        doc_.apply(geo::cmd::clearMarkup());
    ImGui::EndMenu();
}

// A row of tool buttons over the map's top-left corner (also while presenting: markup in meetings).
void Viewer::drawToolbar() {
    ImGui::SetNextWindowPos(ImVec2(mapArea_.x + 8, mapArea_.y + 8));
    ImGui::SetNextWindowBgAlpha(0.9f);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                   ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove;
    if (!ImGui::Begin("##tools", nullptr, flags)) {
        ImGui::End();
        return;
    }
    ToolState& t = state_.tools;
    bool first = true;
    for (const auto& info : toolList()) {
        if (!first) ImGui::SameLine(0, 2);
        first = false;
        const bool on = t.tool == info.tool;
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(menuLabel(info.label).c_str())) setTool(info.tool);
        if (on) ImGui::PopStyleColor();
    }
    if (isMarkupTool(t.tool)) {
        ImGui::SameLine(0, 12);
        ImGui::ColorEdit4("##ink", t.color, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_AlphaBar);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(90);
        if (t.tool == Tool::Text) ImGui::SliderFloat("##size", &t.textSize, 10.0f, 48.0f, "%.0f px");
        else ImGui::SliderFloat("##width", &t.width, 1.0f, 12.0f, "%.0f px");
    }
    const char* hint = nullptr;
    switch (t.tool) {
        case Tool::MeasureLine:
        case Tool::MeasureArea:
        case Tool::Polygon: hint = "click to add points (snaps to vertices), double-click or Enter to finish, right-click undoes a point"; break;
        case Tool::SelectRect:
        case Tool::SelectLasso: hint = "drag on the map; the selection goes to the layer picked in Layers, else the projects"; break;
        case Tool::Freehand:
        case Tool::Arrow: hint = "drag on the map to draw"; break;
        case Tool::Text: hint = "click on the map to place a note"; break;
        default: break;
    }
    if (hint) ImGui::TextDisabled("%s", tr(hint));
    ImGui::End();
}

// The finished measurement: both figures, copy, keep as markup.
void Viewer::drawMeasureWindow() {
    ToolState& t = state_.tools;
    if (!(t.tool == Tool::MeasureLine || t.tool == Tool::MeasureArea) || !t.finished) return;
    const bool area = t.tool == Tool::MeasureArea;
    const bool zh = language() == Language::Chinese;
    const std::vector<double> ll = toLonLat(t.points);
    std::string geodesic, planar, perimeter;
    if (area) {
        geo::AreaMeasure m = measurer_->ring(ll.data(), ll.size() / 2);
        geodesic = geo::formatArea(m.geodesicM2, zh);
        planar = geo::formatArea(m.planarM2, zh);
        perimeter = geo::formatLength(m.geodesicPerimeterM, zh) + " / " + geo::formatLength(m.planarPerimeterM, zh);
    } else {
        geo::LengthMeasure m = measurer_->line(ll.data(), ll.size() / 2);
        geodesic = geo::formatLength(m.geodesicM, zh);
        planar = geo::formatLength(m.planarM, zh);
    }
    ImGui::SetNextWindowPos(ImVec2(mapArea_.x + 8, mapArea_.y + 56), ImGuiCond_Appearing);
    bool open = true;
    if (!ImGui::Begin(menuLabel("Measurement").c_str(), &open, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    ImGui::Text("%s  %s", tr("Geodesic (CGCS2000 ellipsoid)"), geodesic.c_str());
    ImGui::Text("%s  %s", tr("Planar (EPSG:4547)"), planar.c_str());
    if (area) ImGui::Text("%s  %s", tr("Perimeter (geodesic / planar)"), perimeter.c_str());
    if (ImGui::Button(tr("Copy"))) {
        std::string text = std::string(tr("Geodesic (CGCS2000 ellipsoid)")) + " " + geodesic + "\n" + tr("Planar (EPSG:4547)") + " " + planar;
        if (area) text += std::string("\n") + tr("Perimeter (geodesic / planar)") + " " + perimeter;
        ImGui::SetClipboardText(text.c_str());
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("Keep on the map"))) {
        geo::MarkupItem m = newMarkup(area ? geo::MarkupKind::MeasureArea : geo::MarkupKind::MeasureLine, ll);
        m.text = geodesic;
        m.color = {37, 99, 235, 255};
        m.width = 2.5f;
        doc_.apply(geo::cmd::addMarkup(m));
        t.points.clear();
        t.finished = false;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("Clear")) || !open) {
        t.points.clear();
        t.finished = false;
    }
    ImGui::End();
}

// The text tool's note editor, beside the clicked point.
void Viewer::drawNoteEditor() {
    ToolState& t = state_.tools;
    if (t.tool != Tool::Text || !t.textPending) return;
    const float ratio = pixelRatio();
    ImGui::SetNextWindowPos(ImVec2(mapArea_.x + static_cast<float>(view_.worldToScreenX(t.textX)) / ratio + 12,
                                   mapArea_.y + static_cast<float>(view_.worldToScreenY(t.textY)) / ratio),
                            ImGuiCond_Appearing);
    if (!ImGui::Begin(menuLabel("Note").c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputTextMultiline("##note", t.text.data(), t.text.size(), ImVec2(320, 80),
                                                 ImGuiInputTextFlags_CtrlEnterForNewLine | ImGuiInputTextFlags_EnterReturnsTrue);
    if ((enter || ImGui::Button(tr("Add"))) && t.text[0]) {
        geo::MarkupItem m = newMarkup(geo::MarkupKind::Text, toLonLat({t.textX, t.textY}));
        m.text = t.text.data();
        m.width = t.textSize;
        fonts_.addText(m.text);
        doc_.apply(geo::cmd::addMarkup(m));
        t.textPending = false;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("Cancel"))) t.textPending = false;
    ImGui::End();
}

}  // namespace app::ui::detail

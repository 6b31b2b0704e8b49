// The viewer: planning tools on the map — measure (geodesic and planar), markup (freehand, arrow, polygon, text),
// selection by rectangle or lasso with statistics, the swipe divider and the timeline bar. Every result that
// stays is a project command (undoable, saved): kept measurements and notes are markup, the swipe and timeline
// are project settings. The conflict check is in viewer_conflicts.cpp.
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

// The layer selections go to: the one picked in the layers panel when it is a loaded vector layer, else the
// plan-project catalog, else the topmost visible vector layer.
geo::LayerId Viewer::selectionTarget() const {
    const auto& project = doc_.project();
    auto usable = [&](geo::LayerId id) {
        const render::SceneLayer* s = doc_.scene().find(id);
        const geo::ProjectLayer* l = project.findLayer(id);
        return s && l && l->visible && s->vectorData && s->readyIn(doc_.displayCrs());
    };
    if (state_.selectedLayer && usable(state_.selectedLayer)) return state_.selectedLayer;
    if (const render::SceneLayer* c = doc_.scene().catalogLayer(project); c && usable(c->id)) return c->id;
    for (size_t k = project.layers.size(); k-- > 0;)
        if (usable(project.layers[k].id)) return project.layers[k].id;
    return 0;
}

void Viewer::selectWith(const std::vector<double>& displayRing) {
    SelectionSet& sel = state_.selection;
    const geo::LayerId id = selectionTarget();
    const render::SceneLayer* s = doc_.scene().find(id);
    if (!s) {
        doc_.report(Message::Warning, "nothing to select from: no visible vector layer is loaded");
        return;
    }
    std::vector<double> ring = displayRing;
    geo::Transformer toLayer(doc_.displayCrs(), s->vectorData->source.crs);
    if (toLayer.transform(ring.data(), ring.size() / 2) != ring.size() / 2) {
        doc_.report(Message::Warning, "the selection shape does not transform into the layer's CRS");
        return;
    }
    std::vector<uint32_t> rows = geo::selectByPolygon(s->vectorData->source.table, ring);
    std::erase_if(rows, [&](uint32_t r) { return doc_.scene().hiddenByTimeline(*s, r); });
    sel.layer = id;
    sel.revision = s->contentRevision;
    sel.rows = std::move(rows);
    sel.show = true;
}

// The info card's measures of the selected feature: area and perimeter, or length, geodesic and planar.
void Viewer::measureSelected() {
    if (state_.measured == state_.selected) return;
    state_.measured = state_.selected;
    state_.selectedMeasure.clear();
    const render::SceneLayer* s = state_.selected.valid() ? doc_.scene().find(state_.selected.layer) : nullptr;
    if (!s || !s->vectorData) return;
    const bool zh = language() == Language::Chinese;
    try {
        auto m = measurer_->feature(s->vectorData->source.table, static_cast<size_t>(state_.selected.feature),
                                    s->vectorData->source.crs);
        if (m.kind == geo::GeomKind::Polygon) {
            state_.selectedMeasure = {
                tr("Area / perimeter"),
                std::string(tr("geodesic")) + ": " + geo::formatArea(m.area.geodesicM2, zh) + " / " +
                    geo::formatLength(m.area.geodesicPerimeterM, zh),
                std::string(tr("planar EPSG:4547")) + ": " + geo::formatArea(m.area.planarM2, zh) + " / " +
                    geo::formatLength(m.area.planarPerimeterM, zh)};
        } else if (m.kind == geo::GeomKind::Line) {
            state_.selectedMeasure = {tr("Length"),
                                      std::string(tr("geodesic")) + ": " + geo::formatLength(m.length.geodesicM, zh),
                                      std::string(tr("planar EPSG:4547")) + ": " + geo::formatLength(m.length.planarM, zh)};
        }
    } catch (const geo::Error& e) {
        state_.selectedMeasure = {e.what()};
    }
}

// Drops a selection whose layer is gone or was reloaded (row numbers may have changed).
void Viewer::validateSelectionSet() {
    SelectionSet& sel = state_.selection;
    if (!sel.layer) return;
    const render::SceneLayer* s = doc_.scene().find(sel.layer);
    if (!s || !s->vectorData || s->contentRevision != sel.revision) {
        sel.rows.clear();
        sel.layer = 0;
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

// The swipe in effect: the current slide's while presenting, else the project's.
const geo::Swipe* Viewer::activeSwipe() const {
    const geo::Project& p = doc_.project();
    if (state_.presenting) {
        size_t i = state_.deck.index();
        return i < p.slides.size() ? &p.slides[i].swipe : nullptr;
    }
    return &p.swipe;
}

double Viewer::swipePosition() const {
    const geo::Swipe* s = activeSwipe();
    if (state_.presenting && state_.presentSwipe >= 0) return state_.presentSwipe;
    return s ? s->position : 0.5;
}

// Dragging the divider: a project change (one undo step per drag) outside presentations, a passing one inside.
void Viewer::handleSwipeDrag() {
    const geo::Swipe* sw = activeSwipe();
    ImGuiIO& io = ImGui::GetIO();
    if (!sw || !sw->enabled) {
        swipeDragging_ = false;
        return;
    }
    const float x = mapArea_.x + static_cast<float>(swipePosition()) * mapArea_.w;
    const bool near = std::fabs(io.MousePos.x - x) < 8.0f && mapArea_.contains(io.MousePos.x, io.MousePos.y);
    if (near || swipeDragging_) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (!io.WantCaptureMouse && near && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) swipeDragging_ = true;
    if (!swipeDragging_) return;
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        swipeDragging_ = false;
        return;
    }
    const double pos = std::clamp((io.MousePos.x - mapArea_.x) / std::max(1.0f, mapArea_.w), 0.0f, 1.0f);
    if (pos == swipePosition()) return;
    if (state_.presenting) {
        state_.presentSwipe = pos;
    } else {
        geo::Swipe next = *sw;
        next.position = pos;
        doc_.apply(geo::cmd::setSwipe(next));
    }
    mapDirty_ = true;
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

// Count and areas of the selection, by category and plan section; export to GeoPackage or CSV.
void Viewer::drawSelectionWindow() {
    SelectionSet& sel = state_.selection;
    if (!sel.show) return;
    ImGui::SetNextWindowSize(ImVec2(380, 0), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(menuLabel("Selection").c_str(), &sel.show, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    const render::SceneLayer* s = sel.layer ? doc_.scene().find(sel.layer) : nullptr;
    const geo::ProjectLayer* l = sel.layer ? doc_.project().findLayer(sel.layer) : nullptr;
    if (!s || !l || !s->vectorData) {
        ImGui::TextWrapped("%s", tr("Nothing selected. Use Select box or Lasso on the map."));
        ImGui::End();
        return;
    }
    const bool zh = language() == Language::Chinese;
    if (selectionStatsRevision_ != sel.revision || selectionStatsRows_ != sel.rows) {
        selectionStats_ = geo::selectionStats(s->vectorData->source.table, s->vectorData->source.crs, sel.rows);
        selectionStatsRows_ = sel.rows;
        selectionStatsRevision_ = sel.revision;
    }
    const geo::SelectionStats& st = selectionStats_;
    ImGui::TextUnformatted(trf("%zu features selected in %s", st.count, l->name.c_str()).c_str());
    if (st.polygons) ImGui::Text("%s %s", tr("Area (planar EPSG:4547):"), geo::formatArea(st.areaM2, zh).c_str());
    if (st.lines) ImGui::Text("%s %s", tr("Length (planar EPSG:4547):"), geo::formatLength(st.lengthM, zh).c_str());
    if (!st.byCategory.empty() && ImGui::CollapsingHeader(tr("By category"), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const auto& [name, v] : st.byCategory)
            ImGui::BulletText("%s: %zu · %s", name.c_str(), v.first, geo::formatArea(v.second, zh).c_str());
    }
    if (!st.bySection.empty() && ImGui::CollapsingHeader(tr("By plan section"), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const auto& [section, v] : st.bySection) {
            const char* title = "";
            for (const auto& sec : geo::planSections())
                if (sec.number == section) title = zh ? sec.zh : sec.en;
            ImGui::BulletText("%d %s: %zu · %s", section, title, v.first, geo::formatArea(v.second, zh).c_str());
        }
    }
    ImGui::Separator();
    if (!sel.exportPath[0]) {
        std::string base = (std::filesystem::path(settings_.defaultExportFolder.empty() ? "." : settings_.defaultExportFolder) / "selection.gpkg").string();
        std::snprintf(sel.exportPath.data(), sel.exportPath.size(), "%s", base.c_str());
    }
    ImGui::SetNextItemWidth(-80);
    ImGui::InputText("##selpath", sel.exportPath.data(), sel.exportPath.size());
    ImGui::SameLine();
    if (ImGui::Button(tr("Export")) && !sel.rows.empty()) {
        try {
            geo::writeSelection(sel.exportPath.data(), l->name, s->vectorData->source.table, s->vectorData->source.crs, sel.rows);
            doc_.report(Message::Info, trf("wrote %zu features to %s", sel.rows.size(), sel.exportPath.data()));
        } catch (const geo::Error& e) {
            doc_.report(Message::Error, e.what());
            state_.showMessages = true;
        }
    }
    ImGui::TextDisabled("%s", tr(".gpkg keeps the layer's CRS; .csv writes WKT in WGS84"));
    if (ImGui::Button(tr("Clear selection"))) {
        sel.rows.clear();
        sel.layer = 0;
    }
    ImGui::End();
}

// Which layers go on which side of the divider.
void Viewer::drawSwipeWindow() {
    if (!state_.showSwipe) return;
    ImGui::SetNextWindowSize(ImVec2(360, 0), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(menuLabel("Swipe compare").c_str(), &state_.showSwipe, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    geo::Swipe sw = doc_.project().swipe;
    bool changed = ImGui::Checkbox(tr("Show the divider"), &sw.enabled);
    float pos = static_cast<float>(sw.position);
    if (ImGui::SliderFloat(tr("Position"), &pos, 0.0f, 1.0f, "%.2f")) {
        sw.position = pos;
        changed = true;
    }
    ImGui::TextDisabled("%s", tr("Each layer: left only, both sides, or right only"));
    if (ImGui::BeginTable("##swipe", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        for (const auto& l : doc_.project().layers) {
            auto has = [](const std::vector<std::string>& v, const std::string& n) { return std::find(v.begin(), v.end(), n) != v.end(); };
            int side = has(sw.left, l.name) ? -1 : has(sw.right, l.name) ? 1 : 0;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(l.name.c_str());
            ImGui::PushID(static_cast<int>(l.id));
            int before = side;
            ImGui::TableNextColumn();
            ImGui::RadioButton(tr("Left"), &side, -1);
            ImGui::TableNextColumn();
            ImGui::RadioButton(tr("Both"), &side, 0);
            ImGui::TableNextColumn();
            ImGui::RadioButton(tr("Right"), &side, 1);
            ImGui::PopID();
            if (side != before) {
                std::erase(sw.left, l.name);
                std::erase(sw.right, l.name);
                if (side < 0) sw.left.push_back(l.name);
                if (side > 0) sw.right.push_back(l.name);
                changed = true;
            }
        }
        ImGui::EndTable();
    }
    if (changed) {
        doc_.apply(geo::cmd::setSwipe(sw));
        mapDirty_ = true;
    }
    ImGui::End();
}

// The timeline bar over the map's bottom edge: year and phase of the plan projects, and play.
void Viewer::drawTimelineBar() {
    const render::SceneLayer* catalog = doc_.scene().catalogLayer(doc_.project());
    const bool presentingPlay = state_.presenting && state_.timelinePlaying;
    if ((!state_.showTimeline && !presentingPlay) || !catalog) return;
    const auto [minYear, maxYear] = geo::planYearRange(catalog->vectorData->source.table, catalog->catalogColumns);
    const auto& statuses = geo::catalogStatuses();
    ImGui::SetNextWindowPos(ImVec2(mapArea_.x + 0.5f * mapArea_.w, mapArea_.y + mapArea_.h - 12), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
    ImGui::SetNextWindowBgAlpha(0.92f);
    if (!ImGui::Begin("##timeline", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove)) {
        ImGui::End();
        return;
    }
    geo::Timeline tl = doc_.project().timeline;
    bool changed = ImGui::Checkbox(tr("Timeline"), &tl.enabled);
    ImGui::SameLine();
    int year = tl.year > 0 ? tl.year : maxYear;
    ImGui::SetNextItemWidth(140);
    if (minYear > 0 && minYear < maxYear) {
        if (ImGui::SliderInt(tr("up to year"), &year, minYear, maxYear)) {
            tl.year = year;
            tl.enabled = changed = true;
        }
    } else {
        ImGui::Text("%s %d", tr("plan year"), maxYear);
    }
    ImGui::SameLine();
    int phase = 0;
    for (size_t i = 0; i < statuses.size(); ++i)
        if (statuses[i] == tl.phase) phase = static_cast<int>(i) + 1;
    if (state_.timelinePlaying) phase = state_.timelinePlayPhase;
    const char* phaseName = phase == 0 ? tr("all phases") : statuses[static_cast<size_t>(phase) - 1].c_str();
    ImGui::SetNextItemWidth(220);
    if (ImGui::SliderInt(tr("phase"), &phase, 0, static_cast<int>(statuses.size()), phaseName)) {
        tl.phase = phase == 0 ? std::string() : statuses[static_cast<size_t>(phase) - 1];
        tl.enabled = changed = true;
        state_.timelinePlaying = false;
    }
    ImGui::SameLine();
    if (!state_.timelinePlaying) {
        if (ImGui::Button(tr("Play"))) {
            state_.timelinePlaying = true;
            state_.timelinePlayPhase = 1;
            state_.timelineNextStep = glfwGetTime() + 1.5;
        }
    } else if (ImGui::Button(tr("Stop"))) {
        state_.timelinePlaying = false;
    }
    if (changed) doc_.apply(geo::cmd::setTimeline(tl));
    ImGui::End();
}

// Play steps through the phases (planned → operating) as a passing view, not a project change.
void Viewer::stepTimelinePlay() {
    if (!state_.timelinePlaying) {
        if (timelinePreview_) {
            timelinePreview_ = false;
            if (state_.presenting && state_.deck.index() < doc_.project().slides.size())
                doc_.setTimelineOverride(geo::timelineFor(doc_.project(), &doc_.project().slides[state_.deck.index()]));
            else doc_.setTimelineOverride(std::nullopt);
        }
        return;
    }
    const auto& statuses = geo::catalogStatuses();
    if (glfwGetTime() >= state_.timelineNextStep) {
        if (timelinePreview_) ++state_.timelinePlayPhase;
        state_.timelineNextStep = glfwGetTime() + 1.5;
        if (state_.timelinePlayPhase > static_cast<int>(statuses.size())) {
            state_.timelinePlaying = false;
            return;
        }
    }
    geo::Timeline t = doc_.project().timeline;
    t.enabled = true;
    t.phase = statuses[static_cast<size_t>(std::max(1, state_.timelinePlayPhase)) - 1];
    doc_.setTimelineOverride(t);
    timelinePreview_ = true;
}

}  // namespace app::ui::detail

namespace app::ui::detail {

// Places a CAD drawing by control points: pairs of drawing and map coordinates (map in the CRS given under Source
// options), a similarity fit with each point's residual in metres, applied as a layer command (reloads it).
// A map point can be taken from the map: "Pick" then click (snapped to vertices of other layers).
void Viewer::drawControlPointsWindow() {
    const geo::LayerId id = state_.controlPointsFor;
    const geo::ProjectLayer* layer = id ? doc_.project().findLayer(id) : nullptr;
    if (!layer) {
        state_.controlPointsFor = 0;
        return;
    }
    bool open = true;
    ImGui::SetNextWindowSize(ImVec2(560, 0), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(menuLabel("Control points").c_str(), &open, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    ImGui::TextWrapped("%s", trf("%s: drawing coordinates -> map coordinates in %s", layer->name.c_str(),
                                 layer->options.crs.empty() ? state_.optCrs.data() : layer->options.crs.c_str()).c_str());
    std::string mapCrsText = state_.optCrs[0] ? std::string(state_.optCrs.data()) : layer->options.crs;
    auto& pts = state_.controlPoints;
    int remove = -1;
    if (ImGui::BeginTable("##cp", 6, ImGuiTableFlags_SizingStretchSame)) {
        ImGui::TableSetupColumn(tr("drawing x"));
        ImGui::TableSetupColumn(tr("drawing y"));
        ImGui::TableSetupColumn(tr("map x"));
        ImGui::TableSetupColumn(tr("map y"));
        ImGui::TableSetupColumn(tr("residual"));
        ImGui::TableSetupColumn("");
        ImGui::TableHeadersRow();
        for (size_t i = 0; i < pts.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            for (int k = 0; k < 4; ++k) {
                ImGui::TableNextColumn();
                ImGui::SetNextItemWidth(-1);
                ImGui::PushID(k);
                ImGui::InputDouble("##v", &pts[i][static_cast<size_t>(k)], 0, 0, "%.3f");
                ImGui::PopID();
            }
            ImGui::TableNextColumn();
            if (controlFit_ && i < controlFit_->residuals.size()) ImGui::Text("%.3f m", controlFit_->residuals[i].metres);
            ImGui::TableNextColumn();
            if (ImGui::SmallButton(tr("Pick"))) pickControlPoint_ = static_cast<int>(i);
            ImGui::SameLine();
            if (ImGui::SmallButton("x")) remove = static_cast<int>(i);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (remove >= 0) pts.erase(pts.begin() + remove);
    if (ImGui::SmallButton(tr("Add a point"))) pts.push_back({0, 0, 0, 0});
    // The fit, live: residuals in metres, scale and rotation.
    std::vector<geo::ControlPoint> cps;
    for (const auto& p : pts) cps.push_back({p[0], p[1], p[2], p[3]});
    controlFit_.reset();
    std::string problem;
    try {
        if (mapCrsText.empty()) throw geo::CrsError("", "", "give the map CRS under Source options first");
        controlFit_ = geo::fitSimilarity(cps, geo::Crs::fromUser(mapCrsText));
    } catch (const geo::Error& e) {
        problem = e.what();
    }
    if (controlFit_)
        ImGui::TextUnformatted(trf("scale %.6f, rotation %.3f°, RMS %.3f m, max %.3f m", controlFit_->transform.scale(),
                                   controlFit_->transform.rotationDegrees(), controlFit_->rmsMetres, controlFit_->maxMetres)
                                   .c_str());
    else if (!problem.empty())
        ImGui::TextColored(ImVec4(0.8f, 0.2f, 0.2f, 1), "%s", problem.c_str());
    ImGui::BeginDisabled(!controlFit_);
    if (ImGui::Button(tr("Place the drawing"))) {
        geo::SourceOptions o = layer->options;
        o.crs = mapCrsText;
        o.controlPoints = cps;
        doc_.apply(geo::cmd::setLayerOptions(id, o));
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tr("Remove the placement")) && !layer->options.controlPoints.empty()) {
        geo::SourceOptions o = layer->options;
        o.controlPoints.clear();
        doc_.apply(geo::cmd::setLayerOptions(id, o));
    }
    if (pickControlPoint_ >= 0) ImGui::TextDisabled("%s", tr("click the map point (snaps to vertices)"));
    ImGui::End();
    if (!open) state_.controlPointsFor = 0;
}

// "Pick": the next click on the map fills that control point's map coordinates (in the map CRS), snapped.
void Viewer::pickControlPoint(double mx, double my) {
    if (pickControlPoint_ < 0 || static_cast<size_t>(pickControlPoint_) >= state_.controlPoints.size()) {
        pickControlPoint_ = -1;
        return;
    }
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantCaptureMouse || !ImGui::IsMouseReleased(ImGuiMouseButton_Left) ||
        io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] >= 16.0f)
        return;
    double wx = view_.screenToWorldX(mx), wy = view_.screenToWorldY(my);
    snapToVertex(mx, my, wx, wy);
    const geo::ProjectLayer* layer = doc_.project().findLayer(state_.controlPointsFor);
    const std::string crs = state_.optCrs[0] ? std::string(state_.optCrs.data()) : layer ? layer->options.crs : "";
    try {
        double p[2] = {wx, wy};
        geo::Transformer(doc_.displayCrs(), geo::Crs::fromUser(crs)).transform(p, 1);
        auto& cp = state_.controlPoints[static_cast<size_t>(pickControlPoint_)];
        cp[2] = p[0];
        cp[3] = p[1];
    } catch (const geo::Error& e) {
        doc_.report(Message::Error, e.what());
    }
    pickControlPoint_ = -1;
}

}  // namespace app::ui::detail

// The viewer: placing a CAD drawing by control points.
#include "ui/viewer_internal.hpp"

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

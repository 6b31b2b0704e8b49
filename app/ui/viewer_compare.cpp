// The viewer: comparing — the swipe divider (which layers go on which side, dragging it) and the timeline bar
// (plan year and phase of the projects, play).
#include "ui/viewer_internal.hpp"

namespace app::ui::detail {

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

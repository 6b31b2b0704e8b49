#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {

// Up / Down / Delete buttons for row `i` of `count`: 0 none, -1 / +1 move, 2 delete.
int rowButtons(size_t i, size_t count) {
    int asked = 0;
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Up")) && i > 0) asked = -1;
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Down")) && i + 1 < count) asked = +1;
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Delete"))) asked = 2;
    return asked;
}

void drawBookmarks(UiState& state, const std::vector<geo::Bookmark>& bookmarks, Actions& actions) {
    ImGui::SetNextItemWidth(-90);
    ImGui::InputTextWithHint("##bm", tr("name of the current view"), state.bookmarkName.data(), state.bookmarkName.size());
    ImGui::SameLine();
    if (ImGui::Button(tr("Add view"))) actions.addBookmark = true;
    for (size_t i = 0; i < bookmarks.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::SmallButton(tr("Go"))) actions.gotoBookmark = i;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
        std::string name = bookmarks[i].name;
        if (ImGui::InputText("##name", &name)) actions.commands.push_back(geo::cmd::renameBookmark(i, name));
        ImGui::SameLine();
        ImGui::TextDisabled("1:%.0f", bookmarks[i].view.scale);
        int asked = rowButtons(i, bookmarks.size());
        if (asked == 2) actions.commands.push_back(geo::cmd::removeBookmark(i));
        else if (asked) actions.commands.push_back(geo::cmd::moveBookmark(i, asked));
        ImGui::PopID();
    }
}

void drawSlideEditor(size_t i, const geo::Slide& slide, const geo::Project& project, Actions& actions) {
    ImGui::Indent();
    geo::Slide edited = slide;
    bool changed = ImGui::InputText(tr("Title"), &edited.title);
    changed |= ImGui::InputTextMultiline(tr("Caption"), &edited.caption, ImVec2(-1, ImGui::GetTextLineHeight() * 4));
    // The phase the slide fixes on the timeline, and its swipe comparison.
    const auto& statuses = geo::catalogStatuses();
    int phase = 0;
    for (size_t k = 0; k < statuses.size(); ++k)
        if (statuses[k] == edited.phase) phase = static_cast<int>(k) + 1;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::BeginCombo(tr("Phase"), phase ? statuses[static_cast<size_t>(phase) - 1].c_str() : tr("all phases"))) {
        if (ImGui::Selectable(tr("all phases"), phase == 0)) edited.phase.clear(), changed = true;
        for (const auto& st : statuses)
            if (ImGui::Selectable(st.c_str(), st == edited.phase)) edited.phase = st, changed = true;
        ImGui::EndCombo();
    }
    changed |= ImGui::Checkbox(tr("Swipe"), &edited.swipe.enabled);
    if (edited.swipe.enabled) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", trf("%zu left, %zu right", edited.swipe.left.size(), edited.swipe.right.size()).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Use the map's"))) edited.swipe = project.swipe, edited.swipe.enabled = changed = true;
    }
    if (changed) actions.commands.push_back(geo::cmd::setSlide(i, std::move(edited)));
    ImGui::TextDisabled("%s", trf("%zu spotlighted, fits %zu projects", slide.highlight.size(), slide.fitProjects.size()).c_str());
    ImGui::Unindent();
}

// The language of generated slides is the project's (bilingual by default, for meetings with both).
void drawStoryLanguage(const geo::Project& project, Actions& actions) {
    const char* names[] = {tr("Both languages"), "简体中文", "English"};
    const char* codes[] = {"", "zh", "en"};
    int current = project.language == "zh" ? 1 : project.language == "en" ? 2 : 0;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::Combo(tr("Story language"), &current, names, 3))
        actions.commands.push_back(geo::cmd::setStoryLanguage(codes[current]));
}

void drawSlides(UiState& state, const geo::Project& project, bool hasCatalog, Actions& actions) {
    const std::vector<geo::Slide>& slides = project.slides;
    if (ImGui::Button(tr("Add from current view"))) actions.addSlide = true;
    ImGui::SameLine();
    if (!hasCatalog) ImGui::BeginDisabled();
    if (ImGui::Button(tr("Generate story"))) actions.generateStory = true;
    if (!hasCatalog) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tr("Present (F5)"))) actions.startPresentation = true;
    for (size_t i = 0; i < slides.size(); ++i) {
        ImGui::PushID(static_cast<int>(1000 + i));
        char label[48];
        std::snprintf(label, sizeof label, "%zu", i + 1);
        if (ImGui::SmallButton(label)) actions.gotoSlide = i;
        ImGui::SameLine();
        bool editing = state.editingSlide == static_cast<int>(i);
        if (ImGui::Selectable(slides[i].title.empty() ? tr("(untitled)") : slides[i].title.c_str(), editing, 0,
                              ImVec2(ImGui::GetFontSize() * 11, 0)))
            state.editingSlide = editing ? -1 : static_cast<int>(i);
        int asked = rowButtons(i, slides.size());
        if (asked == 2) {
            actions.commands.push_back(geo::cmd::removeSlide(i));
            state.editingSlide = -1;
        } else if (asked) {
            actions.commands.push_back(geo::cmd::moveSlide(i, asked));
        }
        ImGui::SameLine();
        if (ImGui::SmallButton(tr("Copy"))) actions.commands.push_back(geo::cmd::duplicateSlide(i));
        if (editing) drawSlideEditor(i, slides[i], project, actions);
        ImGui::PopID();
    }
}

}  // namespace

void drawSlidesPanel(UiState& state, const PanelContext& ctx, Actions& actions) {
    if (ImGui::CollapsingHeader(tr("Bookmarks"), ImGuiTreeNodeFlags_DefaultOpen))
        drawBookmarks(state, ctx.project.bookmarks, actions);
    if (ImGui::CollapsingHeader(tr("Slides"), ImGuiTreeNodeFlags_DefaultOpen)) {
        drawStoryLanguage(ctx.project, actions);
        drawSlides(state, ctx.project, ctx.scene.catalogLayer(ctx.project) != nullptr, actions);
    }
}

}  // namespace app::ui

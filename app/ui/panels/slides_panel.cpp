#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {

// Up / Down / Delete buttons for row `i` of `count`; returns the move or removal asked for.
void rowButtons(size_t i, size_t count, std::optional<std::pair<size_t, int>>& move, std::optional<size_t>& remove) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Up") && i > 0) move = {{i, -1}};
    ImGui::SameLine();
    if (ImGui::SmallButton("Down") && i + 1 < count) move = {{i, +1}};
    ImGui::SameLine();
    if (ImGui::SmallButton("Delete")) remove = i;
}

}  // namespace

void drawSlidesPanel(UiState& state, std::vector<geo::Bookmark>& bookmarks, std::vector<geo::Slide>& slides,
                     bool hasCatalog, Actions& actions) {
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - 420, io.DisplaySize.y * 0.45f), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(410, io.DisplaySize.y * 0.45f), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("演示 Bookmarks & slides", &state.showSlides)) {
        ImGui::End();
        return;
    }
    if (ImGui::CollapsingHeader("书签 Bookmarks", ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::SetNextItemWidth(-90);
        ImGui::InputTextWithHint("##bm", "name of the current view", state.bookmarkName.data(), state.bookmarkName.size());
        ImGui::SameLine();
        if (ImGui::Button("Add view")) actions.addBookmark = true;
        for (size_t i = 0; i < bookmarks.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::SmallButton("Go")) actions.gotoBookmark = i;
            ImGui::SameLine();
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
            ImGui::InputText("##name", &bookmarks[i].name);  // rename in place
            ImGui::SameLine();
            ImGui::TextDisabled("1:%.0f", bookmarks[i].view.scale);
            rowButtons(i, bookmarks.size(), actions.moveBookmark, actions.removeBookmark);
            ImGui::PopID();
        }
    }
    if (ImGui::CollapsingHeader("幻灯片 Slides", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (ImGui::Button("Add from current view")) actions.addSlide = true;
        ImGui::SameLine();
        if (!hasCatalog) ImGui::BeginDisabled();
        if (ImGui::Button("Generate story")) actions.generateStory = true;
        if (!hasCatalog) ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("Present (F5)")) actions.startPresentation = true;
        for (size_t i = 0; i < slides.size(); ++i) {
            ImGui::PushID(static_cast<int>(1000 + i));
            char label[48];
            std::snprintf(label, sizeof label, "%zu", i + 1);
            if (ImGui::SmallButton(label)) actions.gotoSlide = i;
            ImGui::SameLine();
            bool editing = state.editingSlide == static_cast<int>(i);
            if (ImGui::Selectable(slides[i].title.empty() ? "(untitled)" : slides[i].title.c_str(), editing,
                                  0, ImVec2(ImGui::GetFontSize() * 11, 0)))
                state.editingSlide = editing ? -1 : static_cast<int>(i);
            rowButtons(i, slides.size(), actions.moveSlide, actions.removeSlide);
            ImGui::SameLine();
            if (ImGui::SmallButton("Copy")) actions.duplicateSlide = i;
            if (editing) {
                ImGui::Indent();
                ImGui::InputText("Title", &slides[i].title);
                ImGui::InputTextMultiline("Caption", &slides[i].caption, ImVec2(-1, ImGui::GetTextLineHeight() * 4));
                ImGui::TextDisabled("%zu spotlighted, fits %zu projects", slides[i].highlight.size(),
                                    slides[i].fitProjects.size());
                ImGui::Unindent();
            }
            ImGui::PopID();
        }
    }
    ImGui::End();
}

}  // namespace app::ui

// The left sidebar (Layers, Projects, Slides) and the right inspector (Info, Legend): fixed to the window's
// sides, resizable by a splitter, collapsible to a strip with one button.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <utility>

#include "ui/i18n.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

namespace {

constexpr ImGuiWindowFlags kDocked = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                                     ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;

// A tab whose selection the layout can force once (after a map selection, a View menu choice).
bool tab(const char* label, const char* id, bool force) {
    std::string name = std::string(label) + "###" + id;
    return ImGui::BeginTabItem(name.c_str(), nullptr, force ? ImGuiTabItemFlags_SetSelected : 0);
}

// A thin strip beside a sidebar's edge; dragging it changes `width` (by +dx on the left side, -dx on the right).
void splitter(const char* id, float x, float top, float height, float& width, float sign) {
    ImGui::SetNextWindowPos(ImVec2(x, top));
    ImGui::SetNextWindowSize(ImVec2(SidebarLayout::kSplitter, height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(id, nullptr, kDocked | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
    ImGui::InvisibleButton("##drag", ImVec2(SidebarLayout::kSplitter, height));
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (ImGui::IsItemActive()) width += sign * ImGui::GetIO().MouseDelta.x;
    ImGui::End();
    ImGui::PopStyleVar();
}

// The strip a collapsed sidebar leaves, with the button that opens it again.
void collapsedStrip(const char* id, float x, float top, float height, bool& open) {
    ImGui::SetNextWindowPos(ImVec2(x, top));
    ImGui::SetNextWindowSize(ImVec2(SidebarLayout::kCollapsedWidth, height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(2, 4));
    ImGui::Begin(id, nullptr, kDocked | ImGuiWindowFlags_NoScrollbar);
    if (ImGui::ArrowButton("##open", x == 0 ? ImGuiDir_Right : ImGuiDir_Left)) open = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Show the sidebar"));
    ImGui::End();
    ImGui::PopStyleVar();
}

void drawLeft(UiState& state, const PanelContext& ctx, Actions& actions, float top, float height) {
    SidebarLayout& l = state.layout;
    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(l.leftWidth, height));
    ImGui::Begin("##left", nullptr, kDocked);
    if (ImGui::BeginTabBar("##lefttabs")) {
        const bool force = std::exchange(l.selectLeftTab, false);
        if (tab(tr("Layers"), "layers", force && l.leftTab == LeftTab::Layers)) {
            l.leftTab = LeftTab::Layers;
            drawLayersPanel(state, ctx, actions);
            ImGui::EndTabItem();
        }
        if (tab(tr("Projects"), "projects", force && l.leftTab == LeftTab::Projects)) {
            l.leftTab = LeftTab::Projects;
            drawProjectsPanel(state, ctx, actions);
            ImGui::EndTabItem();
        }
        if (tab(tr("Slides"), "slides", force && l.leftTab == LeftTab::Slides)) {
            l.leftTab = LeftTab::Slides;
            drawSlidesPanel(state, ctx, actions);
            ImGui::EndTabItem();
        }
        if (ImGui::TabItemButton("<", ImGuiTabItemFlags_Trailing)) l.leftOpen = false;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Hide the sidebar"));
        ImGui::EndTabBar();
    }
    ImGui::End();
}

void drawRight(UiState& state, const PanelContext& ctx, Actions& actions, float x, float top, float height) {
    SidebarLayout& l = state.layout;
    ImGui::SetNextWindowPos(ImVec2(x, top));
    ImGui::SetNextWindowSize(ImVec2(l.rightWidth, height));
    ImGui::Begin("##right", nullptr, kDocked);
    if (ImGui::BeginTabBar("##righttabs")) {
        const bool force = std::exchange(l.selectRightTab, false);
        if (ImGui::TabItemButton(">", ImGuiTabItemFlags_Leading)) l.rightOpen = false;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Hide the sidebar"));
        if (tab(tr("Info"), "info", force && l.rightTab == RightTab::Info)) {
            l.rightTab = RightTab::Info;
            drawInfoCard(state, ctx, actions);
            ImGui::EndTabItem();
        }
        if (tab(tr("Legend"), "legend", force && l.rightTab == RightTab::Legend)) {
            l.rightTab = RightTab::Legend;
            drawLegendPanel(state, ctx);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
}

}  // namespace

void drawSidebars(UiState& state, const PanelContext& ctx, Actions& actions, float top, float bottom) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    SidebarLayout& l = state.layout;
    clampLayout(l, display.x);
    const float height = std::max(1.0f, display.y - top - bottom);
    if (l.leftOpen) {
        drawLeft(state, ctx, actions, top, height);
        splitter("##leftsplit", l.leftWidth - SidebarLayout::kSplitter / 2, top, height, l.leftWidth, +1);
    } else {
        collapsedStrip("##leftstrip", 0, top, height, l.leftOpen);
    }
    if (l.rightOpen) {
        const float x = display.x - l.rightWidth;
        drawRight(state, ctx, actions, x, top, height);
        splitter("##rightsplit", x - SidebarLayout::kSplitter / 2, top, height, l.rightWidth, -1);
    } else {
        collapsedStrip("##rightstrip", display.x - SidebarLayout::kCollapsedWidth, top, height, l.rightOpen);
    }
}

}  // namespace app::ui

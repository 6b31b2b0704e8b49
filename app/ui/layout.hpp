#pragma once
// The window layout: a left sidebar (Layers, Projects, Slides), a right inspector (Info, Legend), each resizable
// and collapsible, and the map in between, between the menu bar and the status bar. Plain data and maths (no
// ImGui), in logical pixels; the map area decides the map's viewport, so nothing of the map hides under a panel.
namespace app::ui {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    bool contains(float px, float py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

enum class LeftTab { Layers = 0, Projects = 1, Slides = 2 };
enum class RightTab { Info = 0, Legend = 1 };

struct SidebarLayout {
    // Defaults leave the map over 70 % of a 1600x1000 window (240 + 160 of 1600 px wide).
    float leftWidth = 240, rightWidth = 160;
    bool leftOpen = true, rightOpen = true;
    LeftTab leftTab = LeftTab::Layers;
    RightTab rightTab = RightTab::Legend;
    bool selectLeftTab = false, selectRightTab = true;  // one-shot: make leftTab / rightTab the open tab
    static constexpr float kCollapsedWidth = 22, kMinWidth = 140, kSplitter = 6;
};

// Width the sidebars actually take (collapsed ones keep a strip with their open button).
float leftExtent(const SidebarLayout& l);
float rightExtent(const SidebarLayout& l);
// The map's area in a display of `width` x `height` with `top` (menu) and `bottom` (status bar) taken; the whole
// display when `presenting`.
Rect mapArea(const SidebarLayout& l, float width, float height, float top, float bottom, bool presenting);
// Keeps both sidebars at least kMinWidth and the map at least a third of the width.
void clampLayout(SidebarLayout& l, float width);

}  // namespace app::ui

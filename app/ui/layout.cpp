#include "ui/layout.hpp"

#include <algorithm>

namespace app::ui {

float leftExtent(const SidebarLayout& l) { return l.leftOpen ? l.leftWidth : SidebarLayout::kCollapsedWidth; }
float rightExtent(const SidebarLayout& l) { return l.rightOpen ? l.rightWidth : SidebarLayout::kCollapsedWidth; }

Rect mapArea(const SidebarLayout& l, float width, float height, float top, float bottom, bool presenting) {
    if (presenting) return {0, 0, width, height};
    const float x = leftExtent(l), w = std::max(1.0f, width - x - rightExtent(l));
    return {x, top, w, std::max(1.0f, height - top - bottom)};
}

void clampLayout(SidebarLayout& l, float width) {
    const float maxTotal = std::max(2 * SidebarLayout::kMinWidth, width * 2 / 3);
    l.leftWidth = std::max(SidebarLayout::kMinWidth, l.leftWidth);
    l.rightWidth = std::max(SidebarLayout::kMinWidth, l.rightWidth);
    if (l.leftWidth + l.rightWidth > maxTotal) {
        const float scale = maxTotal / (l.leftWidth + l.rightWidth);
        l.leftWidth *= scale;
        l.rightWidth *= scale;
    }
}

}  // namespace app::ui

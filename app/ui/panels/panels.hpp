#pragma once
// Panels: functions over plain state that queue actions (STYLE.md principle 8).
#include <memory>
#include <vector>

#include "render/layer_slot.hpp"
#include "ui/document.hpp"
#include "ui/ui_state.hpp"

namespace app::ui {

using Slots = std::vector<std::unique_ptr<render::LayerSlot>>;

void drawLayersPanel(UiState& state, Slots& layers, Actions& actions);
void drawStatusBar(UiState& state, const Slots& layers, const geo::Crs& displayCrs, Actions& actions);
void drawMessagesPanel(UiState& state, std::deque<Message>& messages);

}  // namespace app::ui

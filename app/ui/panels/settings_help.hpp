#pragma once
// The settings window and the Help windows (Shortcuts, About): functions over plain state, like the other panels.
#include "platform/settings.hpp"
#include "ui/panels/panels.hpp"

namespace app::ui {

// Language, UI scale, basemap keys, cache size, default export folder and dpi. Edits a draft in `state`; Apply
// queues Actions::applySettings (the viewer saves the file and applies the scale).
void drawSettingsWindow(UiState& state, const platform::Settings& current, Actions& actions);
// Every key of the viewer and of presentation mode (F1).
void drawShortcutsWindow(UiState& state);
// Version, the open project's data credits, and the licences of the bundled data.
void drawAboutWindow(UiState& state, const PanelContext& ctx);

}  // namespace app::ui

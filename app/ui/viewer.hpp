#pragma once
namespace app::ui {
// The interactive viewer: a GLFW window with the map and ImGui panels. Returns the process exit code.
int runViewer(int argc, char** argv);
}  // namespace app::ui

#pragma once
namespace app::cli {
// `planatlas render ...`: headless render through EGL to a PNG. Returns the process exit code.
int runRender(int argc, char** argv);
}  // namespace app::cli

#pragma once
#include <string>

namespace app::platform {

// The assets/ folder, found relative to the executable (never the working directory), so the build tree and an
// install both work: <exe dir>/assets (build tree: app/CMakeLists.txt copies assets/ beside the binary), then
// <exe dir>/../share/planatlas/assets (`cmake --install`, the .deb). When neither holds the bundled project, the
// first candidate is returned so that the error names a real place to look.
std::string assetDir();
std::string defaultProjectPath();

}  // namespace app::platform

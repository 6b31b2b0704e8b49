#pragma once
#include <string>

namespace app::platform {

// The assets/ folder, found relative to the executable (never the working directory): <exe dir>/assets,
// then <exe dir>/../share/planatlas/assets.
std::string assetDir();
std::string defaultProjectPath();

}  // namespace app::platform

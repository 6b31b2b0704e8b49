#include "platform/paths.hpp"

#include <filesystem>

namespace fs = std::filesystem;

namespace app::platform {

namespace {

constexpr const char* kMarker = "pingshan2024.atlas.json";

}  // namespace

std::string assetDir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    // Without /proc there is no reliable way to find the executable; an empty folder makes the missing-file error
    // name "/pingshan2024.atlas.json" rather than silently reading whatever the working directory holds.
    if (ec || exe.empty()) return {};
    fs::path dir = exe.parent_path();
    const fs::path candidates[] = {dir / "assets", dir / ".." / "share" / "planatlas" / "assets"};
    for (const fs::path& candidate : candidates)
        if (fs::exists(candidate / kMarker, ec)) return candidate.lexically_normal().string();
    return candidates[0].lexically_normal().string();
}

std::string defaultProjectPath() { return assetDir() + "/" + kMarker; }

}  // namespace app::platform

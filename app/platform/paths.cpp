#include "platform/paths.hpp"

#include <filesystem>

namespace fs = std::filesystem;

namespace app::platform {

std::string assetDir() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    fs::path dir = ec ? fs::current_path() : exe.parent_path();
    for (fs::path candidate : {dir / "assets", dir / ".." / "share" / "planatlas" / "assets"})
        if (fs::exists(candidate / "pingshan2024.atlas.json", ec)) return candidate.lexically_normal().string();
    return (dir / "assets").string();
}

std::string defaultProjectPath() { return assetDir() + "/pingshan2024.atlas.json"; }

}  // namespace app::platform

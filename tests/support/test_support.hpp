#pragma once
// Helpers shared by the test programs: a scratch directory per test binary, file writers, repo paths.
#include <filesystem>
#include <fstream>
#include <string>

#include <stdlib.h>

#ifndef PLANATLAS_SOURCE_DIR
#error "PLANATLAS_SOURCE_DIR must be defined by CMake"
#endif

namespace test {

// Bounds on memory and time are multiplied by this in sanitized builds (PLANATLAS_SANITIZE; cmake/Sanitize.cmake):
// instrumented code keeps shadow memory and quarantined blocks and runs slower, while the bound still catches a
// change in kind (a whole image held instead of tiles).
#ifdef PLANATLAS_SANITIZED
inline constexpr long kSanitizerFactor = PLANATLAS_SANITIZED;
#else
inline constexpr long kSanitizerFactor = 1;
#endif

inline std::string sourceDir() { return PLANATLAS_SOURCE_DIR; }
inline std::string assetPath(const std::string& name) { return sourceDir() + "/assets/" + name; }
inline std::string dataPath(const std::string& name) { return sourceDir() + "/tests/data/" + name; }

// A fresh directory under the system temp dir, removed and re-created for each call with the same name.
inline std::string scratchDir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("planatlas_test_" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

// A unique folder under the system temp dir (mkdtemp: parallel runs never share one), removed with everything in it
// when the object goes. ok() is false when it could not be made.
class TempDir {
public:
    explicit TempDir(const std::string& prefix) {
        std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
        path_ = mkdtemp(tmpl.data()) ? tmpl : "";
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    bool ok() const { return !path_.empty(); }

private:
    std::string path_;
};

inline void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

}  // namespace test

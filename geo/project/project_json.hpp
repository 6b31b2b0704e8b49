#pragma once
// Shared by the project file's reader (project.cpp) and writer (project_write.cpp); internal to geo/project.
#include <string>

namespace geo {

// A tile source given as a URL (XYZ or WMTS): kept as written, its keys redacted when saved.
inline bool isUrl(const std::string& p) {
    return p.rfind("http://", 0) == 0 || p.rfind("https://", 0) == 0 || p.rfind("WMTS:", 0) == 0 ||
           p.rfind("wmts:", 0) == 0;
}

}  // namespace geo

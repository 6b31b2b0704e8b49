#pragma once
// Writing rendered RGBA images through GDAL's drivers.
#include <cstdint>
#include <string>
#include <vector>

namespace geo {

// Writes a PNG (RGBA, top row first) via a temporary file renamed into place ("<path>.<pid>.part.png", removed
// on failure and on SIGINT/SIGTERM; export/partial_files.hpp). Throws LimitError for a size past
// export/limits.hpp, IoError when it cannot be written.
void writePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba);

// Reads any GDAL-readable image into RGBA8 (grey and RGB expanded, alpha 255 when absent). Throws IoError.
std::vector<uint8_t> readImageRgba(const std::string& path, int& width, int& height);

}  // namespace geo

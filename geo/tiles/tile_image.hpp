#pragma once
// Decoding an encoded tile (PNG, JPEG, WebP, anything GDAL's drivers read from memory) to RGBA.
#include <cstdint>
#include <string>
#include <vector>

namespace geo {

struct TileImage {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;  // top row first, straight alpha
};

// Throws FormatError ("truncated or damaged PNG" ...) when the bytes do not decode to a whole image.
TileImage decodeTileImage(const std::vector<uint8_t>& bytes);
// "png", "jpg", "webp" from the magic bytes; "" when unknown.
std::string tileImageFormat(const std::vector<uint8_t>& bytes);

}  // namespace geo

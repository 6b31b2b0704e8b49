#pragma once
// The Z-order (Morton) code of two 16-bit values: their bits interleaved, x in the even bits. Ordering things by it
// keeps neighbours in space near each other in memory (level-of-detail cells, the CPU painter's drawing order).
#include <cstdint>

namespace geo {

inline uint32_t morton(uint32_t x, uint32_t y) {
    auto spread = [](uint32_t v) {
        v &= 0xFFFF;
        v = (v | (v << 8)) & 0x00FF00FF;
        v = (v | (v << 4)) & 0x0F0F0F0F;
        v = (v | (v << 2)) & 0x33333333;
        v = (v | (v << 1)) & 0x55555555;
        return v;
    };
    return spread(x) | (spread(y) << 1);
}

}  // namespace geo

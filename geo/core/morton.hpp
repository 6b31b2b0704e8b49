#pragma once
// The Z-order (Morton) code of two 16-bit values: their bits interleaved, x in the even bits. Ordering things by it
// keeps neighbours in space near each other in memory (level-of-detail cells, the CPU painter's drawing order).
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

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

// Sorts (key, index) pairs whose indices ascend as given (things numbered in order, keyed by their Morton codes)
// into (key, index) order: what std::sort gives them, by a stable radix sort on the key (4 passes of 8 bits, which
// skip a byte every key shares): 1M pairs in ~15 ms instead of ~90 ms. `scratch` is working memory.
inline void sortByKey(std::vector<std::pair<uint32_t, uint32_t>>& v, std::vector<std::pair<uint32_t, uint32_t>>& scratch) {
    if (v.size() < 256) {  // (an insertion sort, as stable)
        for (std::size_t i = 1; i < v.size(); ++i)
            for (std::size_t j = i; j > 0 && v[j].first < v[j - 1].first; --j) std::swap(v[j], v[j - 1]);
        return;
    }
    scratch.resize(v.size());
    for (int shift = 0; shift < 32; shift += 8) {
        std::size_t count[257] = {};
        for (const auto& p : v) ++count[((p.first >> shift) & 0xFF) + 1];
        if (count[((v[0].first >> shift) & 0xFF) + 1] == v.size()) continue;  // one byte for all
        for (int b = 0; b < 256; ++b) count[b + 1] += count[b];
        for (const auto& p : v) scratch[count[(p.first >> shift) & 0xFF]++] = p;
        v.swap(scratch);
    }
}

}  // namespace geo

// The Z order's sort (geo/core/morton.hpp): the radix sort gives what std::sort gives the (key, index) pairs.
#include "core/morton.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

TEST(Morton, SortByKeyIsStdSortOfTheKeyIndexPairs) {
    std::mt19937 rng(42);
    for (size_t n : {0u, 1u, 2u, 255u, 256u, 1000u, 100000u}) {
        for (uint32_t mask : {0xFFFFFFFFu, 0x0000000Fu, 0x00FF00FFu, 0xFF000000u}) {  // (few keys; bytes all share)
            std::vector<std::pair<uint32_t, uint32_t>> v(n), scratch;
            for (size_t i = 0; i < n; ++i) v[i] = {static_cast<uint32_t>(rng()) & mask, static_cast<uint32_t>(i)};
            std::vector<std::pair<uint32_t, uint32_t>> expected = v;
            std::sort(expected.begin(), expected.end());
            geo::sortByKey(v, scratch);
            EXPECT_EQ(v, expected) << n << " pairs, keys masked " << mask;
        }
    }
    EXPECT_EQ(geo::morton(0xFFFF, 0), 0x55555555u);
    EXPECT_EQ(geo::morton(0, 0xFFFF), 0xAAAAAAAAu);
    EXPECT_EQ(geo::morton(3, 1), 0b0111u);
}

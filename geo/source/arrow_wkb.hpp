#pragma once
// The WKB of GDAL's Arrow streams decoded into the table (source/arrow_reader.cpp's batches; internal to geo/source):
// the same parts, rings and kinds as vector_source.cpp's appendGeometry makes from OGR geometries, read straight
// from the bytes.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "store/feature_table.hpp"

namespace geo::arrow_detail {

// Thrown while decoding when the stream holds something the feature loop would read differently; caught at the
// top, where the whole layer goes back to the loop.
struct Unsupported {};

class WkbCursor {
public:
    WkbCursor(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}
    size_t otherKindParts = 0;  // collection parts read past: another kind than the feature's (counted, reported)

    void require(size_t n) const {
        if (static_cast<size_t>(end_ - p_) < n) throw Unsupported();  // truncated
    }
    uint8_t byte() {
        require(1);
        return *p_++;
    }
    uint32_t u32() {
        require(4);
        uint32_t v;
        std::memcpy(&v, p_, 4);
        p_ += 4;
        return swap ? __builtin_bswap32(v) : v;
    }
    double f64At(size_t i) const {
        uint64_t v;
        std::memcpy(&v, p_ + 8 * i, 8);
        if (swap) v = __builtin_bswap64(v);
        return std::bit_cast<double>(v);
    }
    void skip(size_t n) {
        require(n);
        p_ += n;
    }
    const uint8_t* at() const { return p_; }
    void rewind(const uint8_t* p) { p_ = p; }

    bool swap = false;
    int depth = 0;  // collections entered

private:
    const uint8_t* p_;
    const uint8_t* end_;
};

// Appends the geometry at `c` to `t`: the kind written (None for an empty one). Throws Unsupported for what the loop
// must read (curves, surfaces, bytes that run out, nesting too deep).
GeomKind appendWkb(WkbCursor& c, FeatureTable& t);

}  // namespace geo::arrow_detail

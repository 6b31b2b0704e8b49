#include "source/gpkg_wkb.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace geo {

namespace {

// Standard (ISO) WKB, bounds-checked: anything it does not know, or bytes that run out, make `bad`.
class Wkb {
public:
    Wkb(const uint8_t* p, const uint8_t* end) : p_(p), end_(end) {}
    bool bad() const { return bad_; }

    // One geometry into `t`, as vector_source.cpp's appendGeometry reads GDAL's: the kind written (None for an empty
    // or unusable one), parts of a collection unlike its first usable part counted in `otherKind`.
    GeomKind append(FeatureTable& t, size_t& otherKind, int depth = 0) {
        Header h;
        if (!header(h, depth)) return GeomKind::None;
        switch (h.base) {
            case 1: {  // point
                double x, y;
                if (!point(h, x, y)) return GeomKind::None;
                if (std::isnan(x) && std::isnan(y)) return GeomKind::None;  // POINT EMPTY
                t.addVertex(x, y);
                t.endRing();
                t.endPart();
                return GeomKind::Point;
            }
            case 2: {  // line string
                const uint32_t n = count(8 * h.dims);
                if (bad_ || n == 0) return GeomKind::None;
                ring(h, n, t);
                t.endPart();
                return GeomKind::Line;
            }
            case 3: {  // polygon: nothing without its shell (an empty shell makes the polygon empty, or unusable)
                const uint32_t rings = count(4);
                if (bad_) return GeomKind::None;
                const uint8_t* start = p_;
                bool shell = false;
                if (rings > 0) {
                    const uint32_t n = count(8 * h.dims);
                    if (bad_) return GeomKind::None;
                    shell = n > 0;
                    p_ = start;
                }
                if (!shell) {
                    for (uint32_t r = 0; r < rings && !bad_; ++r) skipPoints(h, count(8 * h.dims));
                    return GeomKind::None;
                }
                for (uint32_t r = 0; r < rings && !bad_; ++r) ring(h, count(8 * h.dims), t);
                if (bad_) return GeomKind::None;
                t.endPart();
                return GeomKind::Polygon;
            }
            case 4:
            case 5:
            case 6:
            case 7: {  // multi point, line, polygon; collection
                const uint32_t n = count(5);
                GeomKind k = GeomKind::None;
                for (uint32_t i = 0; i < n && !bad_; ++i) {
                    const uint32_t sub = peekBase();
                    // A multi holds its own kind only (GDAL refuses the blob otherwise).
                    if (bad_ || (h.base != 7 && sub != h.base - 3)) {
                        bad_ = true;
                        break;
                    }
                    if (k != GeomKind::None && kindOf(sub) != k) {
                        bool empty = true;
                        skip(empty, depth + 1);
                        otherKind += !empty;
                        continue;
                    }
                    const GeomKind s = append(t, otherKind, depth + 1);
                    if (k == GeomKind::None) k = s;
                }
                return bad_ ? GeomKind::None : k;
            }
            default:
                bad_ = true;
                return GeomKind::None;
        }
    }

private:
    struct Header {
        bool little = true;
        uint32_t base = 0;  // 1..7
        int dims = 2;
    };
    const uint8_t* p_;
    const uint8_t* end_;
    bool bad_ = false;
    bool little_ = true;  // of the geometry being read

    bool has(size_t n) {
        if (size_t(end_ - p_) < n) bad_ = true;
        return !bad_;
    }
    uint32_t u32() {
        if (!has(4)) return 0;
        uint32_t v;
        std::memcpy(&v, p_, 4);
        p_ += 4;
        return little_ ? v : __builtin_bswap32(v);
    }
    double f64() {
        uint64_t v;
        std::memcpy(&v, p_, 8);
        p_ += 8;
        if (!little_) v = __builtin_bswap64(v);
        double d;
        std::memcpy(&d, &v, 8);
        return d;
    }
    // A count of items of at least `itemBytes` each, which must fit in what is left.
    uint32_t count(size_t itemBytes) {
        const uint32_t n = u32();
        if (!bad_ && size_t(end_ - p_) / itemBytes < n) bad_ = true;
        return bad_ ? 0 : n;
    }
    static uint32_t baseOf(uint32_t type) { return type % 1000; }
    static GeomKind kindOf(uint32_t base) {
        return base == 1 || base == 4 ? GeomKind::Point
               : base == 2 || base == 5 ? GeomKind::Line
               : base == 3 || base == 6 ? GeomKind::Polygon
                                        : GeomKind::None;
    }
    bool header(Header& h, int depth) {
        if (depth > 8 || !has(5)) return bad_ = true, false;
        const uint8_t order = *p_++;
        if (order > 1) return bad_ = true, false;
        little_ = order == 1;
        h.little = little_;
        const uint32_t type = u32();
        // ISO codes only: 1..7, +1000 Z, +2000 M, +3000 ZM (curves, EWKB flags and the rest are GDAL's).
        if (bad_ || type >= 4000 || baseOf(type) < 1 || baseOf(type) > 7) return bad_ = true, false;
        h.base = baseOf(type);
        h.dims = 2 + (type / 1000 == 1 || type / 1000 == 2) + 2 * (type / 1000 == 3);
        return true;
    }
    // The next geometry's type, not read.
    uint32_t peekBase() {
        if (!has(5)) return 0;
        const bool le = p_[0] == 1;
        uint32_t v;
        std::memcpy(&v, p_ + 1, 4);
        if (!le) v = __builtin_bswap32(v);
        return v < 4000 ? baseOf(v) : 0;
    }
    bool point(const Header& h, double& x, double& y) {
        if (!has(8 * size_t(h.dims))) return false;
        little_ = h.little;
        x = f64();
        y = f64();
        p_ += 8 * (h.dims - 2);
        return true;
    }
    void ring(const Header& h, uint32_t n, FeatureTable& t) {
        if (bad_) return;
        little_ = h.little;
        const size_t at = t.xy.size();
        if (t.xy.capacity() < at + 2 * size_t(n)) t.xy.reserve(std::max(2 * t.xy.capacity(), at + 2 * size_t(n)));
        t.xy.resize(at + 2 * size_t(n));
        double* out = t.xy.data() + at;  // (past the end for an empty ring: nothing is written)
        if (h.dims == 2 && little_ && std::endian::native == std::endian::little) {
            std::memcpy(out, p_, 16 * size_t(n));
            p_ += 16 * size_t(n);
        } else {
            for (uint32_t i = 0; i < n; ++i) {
                out[2 * i] = f64();
                out[2 * i + 1] = f64();
                p_ += 8 * (h.dims - 2);
            }
        }
        t.endRing();
    }
    void skipPoints(const Header& h, uint32_t n) {
        if (!bad_) p_ += 8 * size_t(h.dims) * n;
    }
    // Past one geometry, finding whether it is empty.
    void skip(bool& empty, int depth) {
        Header h;
        if (!header(h, depth)) return;
        if (h.base == 1) {
            double x, y;
            if (point(h, x, y) && !(std::isnan(x) && std::isnan(y))) empty = false;
            return;
        }
        if (h.base == 2) {
            const uint32_t n = count(8 * h.dims);
            empty &= n == 0;
            skipPoints(h, n);
            return;
        }
        const uint32_t n = count(h.base == 3 ? 4 : 5);
        for (uint32_t i = 0; i < n && !bad_; ++i) {
            if (h.base == 3) {
                const uint32_t m = count(8 * h.dims);
                empty &= m == 0;
                skipPoints(h, m);
            } else {
                skip(empty, depth + 1);
            }
        }
    }
};

// The WKB inside a GeoPackage geometry blob (after its header and envelope), or null when the blob is not one
// (extended types, an unknown version or envelope).
const uint8_t* wkbOf(const uint8_t* blob, size_t size) {
    if (size < 8 || blob[0] != 'G' || blob[1] != 'P' || blob[2] != 0) return nullptr;
    const uint8_t flags = blob[3];
    if (flags & 0x20) return nullptr;  // extended GeoPackage geometry
    static constexpr size_t kEnvelope[] = {0, 32, 48, 48, 64};
    const unsigned envelope = (flags >> 1) & 7;
    if (envelope > 4 || size < 8 + kEnvelope[envelope]) return nullptr;
    return blob + 8 + kEnvelope[envelope];
}

}  // namespace

std::optional<GeomKind> appendGpkgGeometry(const uint8_t* blob, size_t size, FeatureTable& t, size_t& otherKind) {
    const uint8_t* wkb = wkbOf(blob, size);
    if (!wkb) return std::nullopt;
    Wkb reader(wkb, blob + size);
    const size_t parts = t.partCount();
    const GeomKind k = reader.append(t, otherKind);
    if (reader.bad() || (k == GeomKind::None && t.partCount() != parts)) return std::nullopt;
    return k;
}

}  // namespace geo

#include "source/arrow_wkb.hpp"

#include <cmath>

namespace geo::arrow_detail {

namespace {

struct WkbType {
    uint32_t base;  // 1 Point .. 7 GeometryCollection, 8.. curves and surfaces
    int dims;       // doubles per vertex
};

// ISO codes (1000 Z, 2000 M, 3000 ZM) and the EWKB flags (Z, M, SRID) that PostGIS-made files may hold.
WkbType readHeader(WkbCursor& c) {
    const uint8_t order = c.byte();
    if (order > 1) throw Unsupported();
    c.swap = (order == 1) != (std::endian::native == std::endian::little);
    uint32_t code = c.u32();
    int dims = 2 + ((code & 0x80000000u) ? 1 : 0) + ((code & 0x40000000u) ? 1 : 0);
    if (code & 0x20000000u) c.u32();  // SRID
    code &= 0x0FFFFFFFu;
    if (code >= 1000 && code < 4000) {
        dims = code >= 3000 ? 4 : 3;
        code %= 1000;
    }
    return {code, dims};
}

// As vector_source.cpp's kindOf, by WKB code.
GeomKind kindOfCode(uint32_t base) {
    switch (base) {
        case 1:
        case 4:
            return GeomKind::Point;
        case 2:
        case 5:
        case 8:
        case 9:
        case 11:
            return GeomKind::Line;
        case 3:
        case 6:
        case 10:
        case 12:
        case 15:
        case 16:
        case 17:
            return GeomKind::Polygon;
        default:
            return GeomKind::None;
    }
}

// One ring or line string of `n` vertices: x and y appended, Z and M dropped, then the ring closed.
void appendRing(WkbCursor& c, uint32_t n, int dims, FeatureTable& t) {
    const size_t bytes = size_t(n) * size_t(dims) * 8;
    c.require(bytes);
    const size_t at = t.xy.size();
    t.xy.resize(at + 2 * size_t(n));
    double* out = t.xy.data() + at;
    if (dims == 2 && !c.swap) {
        std::memcpy(out, c.at(), bytes);
    } else {
        for (size_t i = 0; i < n; ++i) {
            out[2 * i] = c.f64At(i * dims);
            out[2 * i + 1] = c.f64At(i * dims + 1);
        }
    }
    c.skip(bytes);
    t.endRing();
}

// An empty polygon or one with an empty shell gives nothing (the loop: IsEmpty, or no usable exterior ring).
GeomKind appendPolygon(WkbCursor& c, int dims, FeatureTable& t) {
    const uint32_t rings = c.u32();
    if (rings == 0) return GeomKind::None;
    const uint32_t shell = c.u32();
    if (shell == 0) {
        c.skip(size_t(shell) * dims * 8);
        for (uint32_t r = 1; r < rings; ++r) c.skip(size_t(c.u32()) * dims * 8);
        return GeomKind::None;
    }
    appendRing(c, shell, dims, t);
    for (uint32_t r = 1; r < rings; ++r) appendRing(c, c.u32(), dims, t);
    t.endPart();
    return GeomKind::Polygon;
}

// Collections nest at most this deep, as in OGR's WKB reader (which the feature loop uses): decoding recurses
// once per level, and a blob of nothing but nested collection headers would otherwise overflow the stack.
constexpr int kMaxWkbDepth = 32;

// A feature has one kind: the parts matching its first usable part are kept, the others read past.
GeomKind appendCollection(WkbCursor& c, FeatureTable& t) {
    if (++c.depth > kMaxWkbDepth) throw Unsupported();  // the loop then refuses the geometry with GDAL's message
    const uint32_t parts = c.u32();
    const bool swap = c.swap;
    GeomKind k = GeomKind::None;
    for (uint32_t i = 0; i < parts; ++i) {
        const uint8_t* start = c.at();
        const GeomKind partKind = kindOfCode(readHeader(c).base);
        c.rewind(start);
        if (k != GeomKind::None && partKind != k) {
            const size_t xy = t.xy.size(), rings = t.ringEnds.size(), partsBefore = t.partEnds.size();
            appendWkb(c, t);
            c.otherKindParts += t.partEnds.size() > partsBefore;
            t.xy.resize(xy);
            t.ringEnds.resize(rings);
            t.partEnds.resize(partsBefore);
        } else {
            const GeomKind s = appendWkb(c, t);
            if (k == GeomKind::None) k = s;
        }
        c.swap = swap;
    }
    --c.depth;
    return k;
}

}  // namespace

GeomKind appendWkb(WkbCursor& c, FeatureTable& t) {
    const WkbType type = readHeader(c);
    switch (type.base) {
        case 1: {
            c.require(size_t(type.dims) * 8);
            const double x = c.f64At(0), y = c.f64At(1);
            c.skip(size_t(type.dims) * 8);
            if (std::isnan(x) && std::isnan(y)) return GeomKind::None;  // POINT EMPTY
            t.addVertex(x, y);
            t.endRing();
            t.endPart();
            return GeomKind::Point;
        }
        case 2: {
            const uint32_t n = c.u32();
            if (n == 0) return GeomKind::None;
            appendRing(c, n, type.dims, t);
            t.endPart();
            return GeomKind::Line;
        }
        case 3:
            return appendPolygon(c, type.dims, t);
        case 4:
        case 5:
        case 6:
        case 7:
            return appendCollection(c, t);
        default:
            throw Unsupported();  // curves, surfaces, TINs: the loop linearises them through OGR
    }
}

}  // namespace geo::arrow_detail

// The tessellator (geo/tessellate) on arbitrary polygons: parts of a shell and holes, any orientation, closed
// or not, with duplicate, collinear, crossing or non-finite vertices. It never crashes or hangs, and its output
// is whole triangles indexing only the vertices of the part they fill.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <limits>

#include "fuzz_support.hpp"
#include "store/feature_table.hpp"
#include "tessellate/tessellate.hpp"

namespace {

// Coordinates on a small grid make coincident and collinear vertices common; raw doubles bring NaN, infinities,
// 1e300 and denormals.
double coordinate(FuzzedDataProvider& in, int mode) {
    switch (mode) {
        case 0:
            return in.ConsumeIntegralInRange<int>(-8, 8);
        case 1:
            return in.ConsumeIntegral<int16_t>() / 16.0;
        case 2:
            return 2.5e6 + in.ConsumeIntegral<int16_t>() * 1e-3;  // a CGCS2000 northing: large and close together
        default: {
            const double special[] = {0.0, -0.0, 1e300, -1e300, std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::denorm_min(),
                                      1.0};
            return in.ConsumeBool() ? in.ConsumeFloatingPoint<double>() : special[in.ConsumeIntegralInRange(0, 7)];
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    const int mode = in.ConsumeIntegralInRange(0, 3);
    geo::FeatureTable t;
    const int features = in.ConsumeIntegralInRange(1, 4);
    for (int f = 0; f < features && in.remaining_bytes() > 0; ++f) {
        const auto kind = in.ConsumeIntegralInRange(0, 7) == 0 ? geo::GeomKind::Line : geo::GeomKind::Polygon;
        t.beginFeature(f, kind);
        const int parts = in.ConsumeIntegralInRange(0, 3);
        for (int p = 0; p < parts; ++p) {
            const int rings = in.ConsumeIntegralInRange(0, 12);
            for (int r = 0; r < rings; ++r) {
                const int vertices = in.ConsumeIntegralInRange(0, 96);
                const bool close = in.ConsumeBool();
                const size_t first = t.vertexCount();
                for (int v = 0; v < vertices; ++v) t.addVertex(coordinate(in, mode), coordinate(in, mode));
                if (close && t.vertexCount() > first) t.addVertex(t.xy[2 * first], t.xy[2 * first + 1]);
                t.endRing();
            }
            t.endPart();
        }
        t.endFeature();
    }

    geo::TessStats stats;
    std::vector<uint32_t> partEnds;
    const std::vector<uint32_t> triangles = geo::tessellatePolygons(t, stats, &partEnds);
    FUZZ_CHECK(triangles.size() % 3 == 0);
    FUZZ_CHECK(partEnds.size() == t.partCount());
    FUZZ_CHECK(stats.skipped <= stats.polygons && stats.forced <= stats.polygons);
    size_t begin = 0;
    for (size_t f = 0; f < t.featureCount(); ++f) {
        for (uint32_t part = t.partBegin(f); part < t.partEnd(f); ++part) {
            const size_t end = partEnds[part];
            FUZZ_CHECK(begin <= end && end <= triangles.size() && (end - begin) % 3 == 0);
            if (t.kinds[f] != geo::GeomKind::Polygon) FUZZ_CHECK(begin == end);
            // A part's triangles index its own vertices, never those of another part.
            const uint32_t firstVertex = t.ringBegin(part) < t.ringEnd(part) ? t.vertexBegin(t.ringBegin(part)) : 0;
            const uint32_t endVertex = t.ringBegin(part) < t.ringEnd(part) ? t.vertexEnd(t.ringEnd(part) - 1) : 0;
            for (size_t i = begin; i < end; ++i) FUZZ_CHECK(triangles[i] >= firstVertex && triangles[i] < endVertex);
            begin = end;
        }
    }
    return 0;
}

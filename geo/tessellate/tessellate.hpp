#pragma once
// Polygon triangulation by ear clipping with hole bridging, over the columnar store's flat coordinates.
//
// Contract: rings go in (first the shell, then holes, any orientation, closed or not); triangle indices come
// out, indexing the caller's vertex array (so one tessellation serves every display CRS). Nothing is capped: every
// hole is cut out. The time is O(n log n) for valid input (a z-order index limits each ear test to the points near
// the ear; holes are bridged through a strip index of edges), and every part has a work budget, so hostile input
// finishes in bounded time too (drawn approximately and counted in `forced`).
//
// Bad input draws what it can and is counted, never a crash: non-finite vertices are left out, repeated vertices
// merged, rings with fewer than three distinct points or no area dropped. Invalid rings (self-intersecting, a hole
// crossing the shell) are repaired (local crossings cut off, the ring split along a diagonal) and, where that does
// not get through, clipped without the ear test. A part counts as `forced` when that last resort was needed or when
// its triangles' area differs from its rings' area (shell minus bridged holes): that is how a self-intersection
// shows (a bow-tie's lobes cancel in the signed area). The check is linear, not a pairwise edge test, so a
// self-intersecting ring whose triangles happen to add up exactly goes uncounted.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/job.hpp"
#include "store/feature_table.hpp"

namespace geo {

namespace tess {
class Clipper;
}

struct TessStats {
    size_t polygons = 0;           // polygon parts seen
    size_t skipped = 0;            // parts that produced no triangles (no drawable shell)
    size_t forced = 0;             // parts drawn approximately (invalid rings): last-resort clipping or area mismatch
    size_t holesDropped = 0;       // holes with area that could not be cut out (outside their shell): drawn filled
    size_t ringsDropped = 0;       // rings (shells or holes) with fewer than 3 distinct finite points or no area
    size_t nonFiniteVertices = 0;  // NaN or infinite vertices left out of their ring
    size_t repeatedVertices = 0;   // consecutive repeats merged (harmless; not worth a warning)

    TessStats& operator+=(const TessStats& o);
};

// The warnings a layer shows for these counts (empty when nothing was dropped or repaired).
std::vector<std::string> tessWarnings(const TessStats& stats);

class Tessellator {
public:
    using Rings = std::vector<std::pair<uint32_t, uint32_t>>;

    Tessellator();
    ~Tessellator();
    Tessellator(const Tessellator&) = delete;
    Tessellator& operator=(const Tessellator&) = delete;

    // Polled every few thousand units of work (vertices visited); once it returns true, triangulate throws
    // geo::Cancelled. The triangles already appended to `out` by that call are then incomplete.
    void setCancelCheck(std::function<bool()> check) { cancel_ = std::move(check); }

    // rings: [first vertex, end vertex) pairs into xy (interleaved doubles); the first ring is the shell.
    // Appends triangles (3 indices each) to `out`. Returns false when the part was skipped.
    bool triangulate(const double* xy, const Rings& rings, std::vector<uint32_t>& out, TessStats& stats);

private:
    std::unique_ptr<tess::Clipper> clipper_;  // scratch kept between parts, so small parts allocate nothing
    std::vector<int> ringFirst_;
    std::function<bool()> cancel_;
};

// Triangulates every polygon part of a table. Returns triangle indices into table.xy. When `partEnds` is given
// it receives, for every part of the table (polygon or not), the end of that part's indices in the result.
// With `progress`, reports the fraction of vertices done and throws geo::Cancelled once the job is cancelled
// (polled inside large polygons too).
std::vector<uint32_t> tessellatePolygons(const FeatureTable& table,
                                         TessStats& stats,
                                         std::vector<uint32_t>* partEnds = nullptr,
                                         JobProgress* progress = nullptr);

}  // namespace geo

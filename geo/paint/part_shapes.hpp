#pragma once
// Shapes the CPU painter adds to a coverage mask for one part (geo/paint/vector_paint.cpp): its fill, and its
// outline as the area between the path's two offsets (round outer joins and caps, mitred inner joins; a path whose
// offset would fold over itself is cut there into pieces). Pixel coordinates; internal to geo/paint.
#include <cstdint>
#include <vector>

#include "paint/coverage.hpp"

namespace geo {

// A part's vertices in pixels (x right, y down) and its ring ends, both numbered from the part's first vertex: read
// from buffers laid out in drawing order (a million small parts read from the table in Z order miss the cache on
// every lookup).
struct PixelVertices {
    const double* xy = nullptr;
    const uint32_t* ends = nullptr;
    uint32_t rings = 0;
    double x(uint32_t v) const { return xy[2 * v]; }
    double y(uint32_t v) const { return xy[2 * v + 1]; }
    uint32_t ringBegin(uint32_t k) const { return k ? ends[k - 1] : 0; }
    uint32_t ringEnd(uint32_t k) const { return ends[k]; }
};

// Reused between parts (no allocation per part).
struct StrokeScratch {
    std::vector<double> p, dirs, lengths, left, right, rl, rr, pts;
    std::vector<double> spikes, chain;
    std::vector<size_t> cuts, spikeEnds;
};

// True when every ring of the part has at most kSimpleRingCheck vertices and no two of its edges cross or touch
// (other than neighbours at their shared vertex). Such a part's fill and outline wind positively everywhere, so it
// can share a coverage mask with other parts; a ring that crosses itself (a bowtie's lobes wind opposite ways)
// would subtract from the parts under it there. Longer rings are not checked (false): the check is O(n^2). Nor are
// coordinates past 1e12 px, where its products lose the precision to tell.
constexpr uint32_t kSimpleRingCheck = 24;
bool ringsAreSimple(const PixelVertices& part);

// The part's fill: outer ring counted positive, holes negative, whatever their stored orientation.
void addFill(CoverageMask& mask, const PixelVertices& part);
// The union of capsules hw around every finite segment of the part's rings (see the file comment).
// With `fillInside`, for a filled part whose fill and outline are painted together (opaque, CoverageMask::
// sweepWithInner): the outline's outer offset goes to `mask` and its inner one to `fillInside` (the fill that shows
// inside the stroke), for a part of one ring whose offsets do not fold; any other part's band goes to `mask` and its
// fill to both. Either way `mask` minus `fillInside` is the stroke, `fillInside` what the fill shows (and costs no
// edges of its own, where the offsets do not fold).
void addOutline(CoverageMask& mask, StrokeScratch& scratch, const PixelVertices& part, double hw,
                CoverageMask* fillInside = nullptr);

}  // namespace geo

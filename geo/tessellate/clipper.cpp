// The linked-list operations and predicates shared by the tessellator's steps, and its work accounting.
#include "tessellate/clipper.hpp"

#include <algorithm>
#include <cmath>

namespace geo::tess {

namespace {
// Cancel polls and budget checks every this many units of work.
constexpr uint64_t kPollInterval = 4096;
// Work budget of one part: what bounds the time of hostile input, which then gets the last resort. Valid input
// needs 15-300 units per vertex in large rings (the most for long slivers and rows of holes), up to n^2 in small
// rings, whose walk can take n turns (a small spiral); the budget leaves room several times that.
constexpr uint64_t kBudgetPerVertex = 2048;
constexpr uint64_t kBudgetBase = 4096;
constexpr uint64_t kSmallPart = 64;

uint64_t budgetFor(uint64_t vertices) {
    return kBudgetBase + (vertices <= kSmallPart ? vertices * vertices * vertices : kBudgetPerVertex * vertices);
}

int sign(double v) {
    return (v > 0) - (v < 0);
}
}  // namespace

void Clipper::begin(std::vector<uint32_t>& out,
                    TessStats& stats,
                    size_t vertices,
                    const std::function<bool()>* cancel) {
    nodes_.clear();
    out_ = &out;
    stats_ = &stats;
    cancel_ = cancel;
    area2Sum_ = 0;
    maxAbs_ = 0;
    ringAreas_.clear();
    forced_ = false;
    zActive_ = false;
    overBudget_ = false;
    budget_ = work_ + budgetFor(vertices);
    charge(vertices);
}

void Clipper::poll() {
    nextPoll_ = work_ + kPollInterval;
    if (cancel_ && *cancel_ && (*cancel_)()) throw Cancelled();
    if (work_ > budget_) overBudget_ = true;
}

// Joins a and b by a double edge, splitting the ring in two (or, for a hole, joining two rings into one).
// a now runs to b; the copy of a carries on to a's old successor, and the copy of b comes back to it.
// Returns the copy of b, a node of the other ring.
int Clipper::split(int a, int b) {
    const int a2 = static_cast<int>(nodes_.size());
    const int b2 = a2 + 1;
    nodes_.push_back(nodes_[a]);
    nodes_.push_back(nodes_[b]);
    const int an = nodes_[a].next, bp = nodes_[b].prev;
    nodes_[a].next = b;
    nodes_[b].prev = a;
    nodes_[a2].next = an;
    nodes_[an].prev = a2;
    nodes_[b2].next = a2;
    nodes_[a2].prev = b2;
    nodes_[bp].next = b2;
    nodes_[b2].prev = bp;
    return b2;
}

// True when the direction from node a to (bx, by) starts inside the polygon, i.e. within a's interior angle.
bool Clipper::locallyInside(int a, double bx, double by) const {
    const Node& v = nodes_[a];
    const Node& p = nodes_[v.prev];
    const Node& n = nodes_[v.next];
    const double toNext = cross(v.x, v.y, n.x, n.y, bx, by);     // >= 0: left of v -> next
    const double toPrev = cross(v.x, v.y, p.x, p.y, bx, by);     // <= 0: right of v -> prev
    if (cross(p, v, n) >= 0) return toNext >= 0 && toPrev <= 0;  // convex: inside both edges' half-planes
    return toNext >= 0 || toPrev <= 0;                           // reflex: outside the exterior wedge
}

// Segments p1q1 and p2q2 share a point (touching counts).
bool Clipper::segmentsCross(const Node& p1, const Node& q1, const Node& p2, const Node& q2) const {
    const int o1 = sign(cross(p1, q1, p2)), o2 = sign(cross(p1, q1, q2));
    const int o3 = sign(cross(p2, q2, p1)), o4 = sign(cross(p2, q2, q1));
    if (o1 != o2 && o3 != o4) return true;
    auto onSegment = [](const Node& p, const Node& q, const Node& r) {  // r on pq, given the three are collinear
        return r.x <= std::max(p.x, q.x) && r.x >= std::min(p.x, q.x) && r.y <= std::max(p.y, q.y) &&
               r.y >= std::min(p.y, q.y);
    };
    return (o1 == 0 && onSegment(p1, q1, p2)) || (o2 == 0 && onSegment(p1, q1, q2)) ||
           (o3 == 0 && onSegment(p2, q2, p1)) || (o4 == 0 && onSegment(p2, q2, q1));
}

}  // namespace geo::tess

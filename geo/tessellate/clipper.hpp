#pragma once
// Internal to geo/tessellate (include tessellate.hpp instead): the state one part's triangulation works on.
//
// Rings are circular doubly linked lists over one node array. Outer rings run counter-clockwise, holes clockwise
// (y up). Bridging a hole and splitting a ring add copies of vertices (same input index), so one position may
// appear several times in a ring. The steps, in order, each in its own file:
//   rings.cpp   addRing: input ring -> linked ring (non-finite and repeated vertices out, orientation fixed)
//   holes.cpp   bridgeHoles: every hole joined to the outer ring by a double edge, found through a strip index
//   ear_clip.cpp clipPart: z-order indexed ear clipping, then repairs (filter, cure, split) and the last resort
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "tessellate/tessellate.hpp"

namespace geo::tess {

struct Node {
    double x, y;
    uint32_t index;      // the input vertex this node stands for
    uint32_t z;          // Morton code of the quantised position, for the ear test's index
    int32_t prev, next;  // ring neighbours
    int32_t zpos;        // its entry in the z-order list of the ring being clipped
    uint32_t stamp;      // bumped whenever its ear test must be redone; kRemoved once clipped
    int32_t waitHead;    // the vertices whose ear test it blocked (entries in Clipper::waits_), -1 for none
};

constexpr uint32_t kRemoved = 0xFFFFFFFFu;

// The z-order index of the ring being clipped: its nodes sorted by z, so that the ear test reads memory in order.
struct ZEntry {
    double x, y;
    uint32_t z;
    int32_t node;
};

// Morton code of a quantised position: x in the even bits, y in the odd bits.
uint32_t zInterleave(uint32_t x, uint32_t y);

// The smallest Morton code above z whose position lies in the box with corner codes zmin and zmax (z itself
// outside the box); 0 when there is none. Tropf and Herzog's BIGMIN: it lets a walk along the z curve jump over
// the stretches that leave the box instead of visiting them.
uint32_t zBigMin(uint32_t z, uint32_t zmin, uint32_t zmax);

// Twice the signed area of abc: > 0 when counter-clockwise.
inline double cross(double ax, double ay, double bx, double by, double cx, double cy) {
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}
inline double cross(const Node& a, const Node& b, const Node& c) {
    return cross(a.x, a.y, b.x, b.y, c.x, c.y);
}
inline bool samePos(const Node& a, const Node& b) {
    return a.x == b.x && a.y == b.y;
}

// p inside or on the edge of the counter-clockwise triangle abc.
inline bool inTriangle(const Node& a, const Node& b, const Node& c, double px, double py) {
    return cross(a.x, a.y, b.x, b.y, px, py) >= 0 && cross(b.x, b.y, c.x, c.y, px, py) >= 0 &&
           cross(c.x, c.y, a.x, a.y, px, py) >= 0;
}

class Clipper {
public:
    // Starts a part: triangles go to `out`, counts to `stats`; `vertices` sizes the part's work budget.
    void begin(std::vector<uint32_t>& out, TessStats& stats, size_t vertices, const std::function<bool()>* cancel);

    // rings.cpp. Appends one ring, its coordinates multiplied by `scale`; returns its first node, or -1 when it
    // was dropped (counted).
    int addRing(const double* xy, uint32_t begin, uint32_t end, bool clockwise, double scale);
    // After the rings went in with scale 1: the power of two to add them again with so that the part's cross
    // products stay finite and normal, or 1 (sane input).
    double rescale() const;
    // Twice the area of the outer ring after bridging: the shell's minus the bridged holes'.
    double outerArea2() const;

    // holes.cpp. ringFirst: the first node of each ring, shell first; nodes of ring r run up to ringFirst[r + 1].
    void bridgeHoles(const std::vector<int>& ringFirst);

    // ear_clip.cpp. Triangulates the (bridged) ring through `outer`.
    void clipPart(int outer);

    double trianglesArea2() const { return area2Sum_; }
    bool forced() const { return forced_; }

private:
    // Linked-list operations (the hot ones inline, below; the rest in clipper.cpp).
    void remove(int n);
    int split(int a, int b);
    bool locallyInside(int a, double bx, double by) const;
    bool segmentsCross(const Node& p1, const Node& q1, const Node& p2, const Node& q2) const;
    void emit(int a, int b, int c);
    void charge(uint64_t units) {
        work_ += units;
        if (work_ >= nextPoll_) poll();
    }
    void poll();

    // Hole bridging (holes.cpp).
    void buildStrips(size_t holes);
    size_t stripOf(double y) const;
    int findBridge(int hole);
    int copyFacing(int original, double x, double y) const;
    void addBridge(int a, int b);

    // Ear clipping (ear_clip.cpp).
    void computeZ();
    uint32_t zOf(double x, double y) const;
    void linkZ(int start);
    void clipRing(int ear);
    void clipSmall(int ear, int count);
    bool nextPass(int& ear, int& count, int& pass);
    int earTest(int ear, int pass, int& blocker) const;
    int reflexInside(int ear) const;
    int reflexInsideScan(int ear) const;
    void refill(int start);
    void touch(int v);
    void release(int blocker);
    uint32_t zLive(uint32_t k) const;
    uint32_t zSeekForward(uint32_t from, uint32_t z) const;
    uint32_t zSeekBack(uint32_t from, uint32_t z) const;
    int filter(int start, int& count);
    int cure(int start, int& count);
    bool findDiagonal(int start, int count, int& a, int& b);
    bool validDiagonal(int a, int b);

    std::vector<Node> nodes_;
    std::vector<ZEntry> zs_;
    mutable std::vector<uint32_t> zskip_;  // union-find over zs_: the first live entry at or after each
    std::vector<uint32_t>* out_ = nullptr;
    TessStats* stats_ = nullptr;
    const std::function<bool()>* cancel_ = nullptr;
    double area2Sum_ = 0;
    double maxAbs_ = 0;              // largest finite coordinate added (as scaled)
    std::vector<double> ringAreas_;  // twice the area of each ring added
    bool forced_ = false;
    bool zActive_ = false;  // the current ring's z links are valid (remove() keeps them so)
    mutable uint64_t work_ = 0;
    uint64_t nextPoll_ = 0, budget_ = 0;
    bool overBudget_ = false;
    double zMinX_ = 0, zMinY_ = 0, zInv_ = 0;

    // Scratch, kept between parts.
    std::vector<uint64_t> keys_, keysTmp_;
    std::vector<int> stack_;
    // Ear candidates: (vertex, its stamp when queued); an entry whose stamp is out of date is skipped.
    std::vector<std::pair<int32_t, uint32_t>> queue_;
    size_t queueHead_ = 0;
    struct Wait {
        int32_t vertex;
        uint32_t stamp;
        int32_t next;
    };
    std::vector<Wait> waits_;
    // Hole bridging: strips of y over the part; edges and vertices of the input rings by strip; bridges by strip.
    std::vector<int32_t> ringOf_, edgeTo_, origin_, nextCopy_;
    std::vector<char> active_;
    std::vector<uint32_t> edgeStart_, edges_, vertexStart_, vertices_;
    std::vector<std::vector<int32_t>> bridgeStrips_;
    std::vector<std::pair<int32_t, int32_t>> bridges_;
    size_t strips_ = 1;
    double stripY0_ = 0, stripInv_ = 0;
};

inline void Clipper::remove(int n) {
    Node& p = nodes_[n];
    p.stamp = kRemoved;
    nodes_[p.prev].next = p.next;
    nodes_[p.next].prev = p.prev;
    if (zActive_) zskip_[p.zpos] = p.zpos + 1;
}

// A zero-area triangle is not emitted: the ring shrinks either way.
inline void Clipper::emit(int a, int b, int c) {
    const double area2 = cross(nodes_[a], nodes_[b], nodes_[c]);
    if (area2 == 0) return;
    area2Sum_ += std::abs(area2);
    out_->push_back(nodes_[a].index);
    out_->push_back(nodes_[b].index);
    out_->push_back(nodes_[c].index);
}

}  // namespace geo::tess

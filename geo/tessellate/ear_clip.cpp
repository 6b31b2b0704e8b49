// Ear clipping. An ear test must know that no reflex vertex lies inside the candidate triangle; rings above
// kZThreshold vertices keep their nodes in an array sorted by Morton code (z-order), so the test visits only the
// codes of the triangle's bounding box (jumping over the stretches of the curve that leave it) instead of the
// whole ring.
//
// Rings up to kZThreshold vertices are walked around, each test a scan of the ring: cheapest at that size. In larger
// rings candidates come from a queue, not from walking the ring: at first every vertex in ring order; after an ear is
// clipped, its two neighbours (their angles changed) and every vertex whose test failed on a reflex vertex that the
// clip removed or changed. A vertex waits on the reflex vertex that blocked it, so each test is redone only when
// its answer can have changed: the work is linear in the tests that succeed, even where ears appear at one place
// at a time (a long band eaten from its ends, a spiral), which a walk around the ring makes quadratic. A queued
// neighbour goes to the back, so the first round clips every other vertex, which gives fewer slivers than fans.
//
// When the queue runs dry with more than a triangle left (no ear: invalid input), the ring moves to the next pass:
// filter (drop repeated and collinear vertices), cure (cut off local self-intersections, a->b crossing c->d with
// b, c adjacent), split (cut the ring along a valid diagonal and clip both halves afresh), then the last resort
// (clip convex vertices without the test, then any vertex), which marks the part as forced. A part past its work
// budget goes to the last resort at once, so the time stays bounded for any input.
#include <algorithm>
#include <cmath>

#include "tessellate/clipper.hpp"

namespace geo::tess {

namespace {
constexpr int kZThreshold = 64;
constexpr int kDiagonalTries = 256;
enum Pass { kNormal, kFiltered, kCured, kConvexOnly, kAny };

uint32_t spread16(uint32_t v) {  // bit i of v to bit 2i
    v = (v | (v << 8)) & 0x00FF00FFu;
    v = (v | (v << 4)) & 0x0F0F0F0Fu;
    v = (v | (v << 2)) & 0x33333333u;
    v = (v | (v << 1)) & 0x55555555u;
    return v;
}

constexpr uint32_t kXBits = 0x55555555u, kYBits = 0xAAAAAAAAu;

bool inZBox(uint32_t z, uint32_t zmin, uint32_t zmax) {
    // Masked to one dimension, Morton codes compare like that coordinate.
    return (z & kXBits) >= (zmin & kXBits) && (z & kXBits) <= (zmax & kXBits) && (z & kYBits) >= (zmin & kYBits) &&
           (z & kYBits) <= (zmax & kYBits);
}

uint32_t quantise(double v) {
    if (!(v > 0)) return 0;
    return v < 65535.0 ? static_cast<uint32_t>(v) : 65535u;
}

// Sorts by the high 32 bits (the z code), stably, in four byte-wide passes.
void radixSortHigh(std::vector<uint64_t>& keys, std::vector<uint64_t>& tmp) {
    tmp.resize(keys.size());
    for (int shift = 32; shift < 64; shift += 8) {
        size_t count[257] = {};
        for (uint64_t k : keys) ++count[((k >> shift) & 0xFF) + 1];
        for (int b = 0; b < 256; ++b) count[b + 1] += count[b];
        for (uint64_t k : keys) tmp[count[(k >> shift) & 0xFF]++] = k;
        keys.swap(tmp);
    }
}
}  // namespace

uint32_t zInterleave(uint32_t x, uint32_t y) {
    return spread16(x) | (spread16(y) << 1);
}

uint32_t zBigMin(uint32_t z, uint32_t zmin, uint32_t zmax) {
    // From the top bit down, follow z into the half of the box it lies in; when the box spans both halves and z
    // is in the lower one, the upper half's lowest code is the best answer so far.
    uint32_t best = 0;
    for (int bit = 31; bit >= 0; --bit) {
        const uint32_t mask = 1u << bit;
        const uint32_t below = (bit & 1 ? kYBits : kXBits) & (mask - 1);  // lower bits of the same dimension
        const bool zb = z & mask, lo = zmin & mask, hi = zmax & mask;
        if (zb == lo && lo == hi) continue;
        if (!zb && lo) return zmin;  // the whole box is above z
        if (zb && !hi) return best;  // the whole box is below z
        if (!zb) {                   // box spans the bit, z in the lower half
            best = (zmin & ~below) | mask;
            zmax = (zmax & ~mask) | below;
        } else {  // z in the upper half
            zmin = (zmin & ~below) | mask;
        }
    }
    return best;
}

void Clipper::computeZ() {
    double x0 = nodes_[0].x, y0 = nodes_[0].y, x1 = x0, y1 = y0;
    for (const Node& p : nodes_) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
    }
    zMinX_ = x0;
    zMinY_ = y0;
    const double size = std::max(x1 - x0, y1 - y0);
    zInv_ = size > 0 ? 65535.0 / size : 0;
    for (Node& p : nodes_) p.z = zOf(p.x, p.y);
    charge(nodes_.size());
}

uint32_t Clipper::zOf(double x, double y) const {
    return zInterleave(quantise((x - zMinX_) * zInv_), quantise((y - zMinY_) * zInv_));
}

void Clipper::linkZ(int start) {
    keys_.clear();
    int p = start;
    do {
        keys_.push_back((uint64_t{nodes_[p].z} << 32) | static_cast<uint32_t>(p));
        p = nodes_[p].next;
    } while (p != start);
    if (keys_.size() < 2048)
        std::sort(keys_.begin(), keys_.end());
    else
        radixSortHigh(keys_, keysTmp_);
    const auto m = static_cast<uint32_t>(keys_.size());
    zs_.resize(m);
    zskip_.resize(m + 1);
    for (uint32_t k = 0; k < m; ++k) {
        const int id = static_cast<int>(keys_[k] & 0xFFFFFFFFu);
        Node& v = nodes_[id];
        v.zpos = static_cast<int32_t>(k);
        zs_[k] = {v.x, v.y, v.z, id};
        zskip_[k] = k;
    }
    zskip_[m] = m;  // sentinel
    charge(2 * keys_.size());
}

uint32_t Clipper::zLive(uint32_t k) const {
    while (zskip_[k] != k) {
        zskip_[k] = zskip_[zskip_[k]];  // path halving
        k = zskip_[k];
    }
    return k;
}

// The first entry at or after `from` with a code >= z (live or not; zs_.size() when none), by galloping search.
uint32_t Clipper::zSeekForward(uint32_t from, uint32_t z) const {
    const auto m = static_cast<uint32_t>(zs_.size());
    auto less = [](const ZEntry& e, uint32_t v) { return e.z < v; };
    uint32_t lo = from, step = 1;
    while (lo < m && zs_[lo].z < z) {
        const uint32_t hi = std::min(m, lo + step);
        if (hi == m || zs_[hi].z >= z)
            return static_cast<uint32_t>(std::lower_bound(zs_.begin() + lo + 1, zs_.begin() + hi, z, less) -
                                         zs_.begin());
        lo = hi;
        step *= 2;
    }
    return lo;
}

// The first entry with a code >= z, galloping back from `from`, whose code is >= z.
uint32_t Clipper::zSeekBack(uint32_t from, uint32_t z) const {
    auto less = [](const ZEntry& e, uint32_t v) { return e.z < v; };
    uint32_t hi = from, step = 1;
    while (hi > 0 && zs_[hi - 1].z >= z) {
        const uint32_t lo = hi > step ? hi - step : 0;
        if (lo == 0 || zs_[lo].z < z)
            return static_cast<uint32_t>(std::lower_bound(zs_.begin() + lo, zs_.begin() + hi, z, less) - zs_.begin());
        hi = lo;
        step *= 2;
    }
    return hi;
}

// A reflex vertex inside the (convex) ear prev-ear-next, or -1 when there is none (rings with a z index). Vertices at
// the tip's position (copies of prev, from bridges) do not count; a reflex copy of the ear or of next does: the ear
// would wrap around a hole.
int Clipper::reflexInside(int ear) const {
    const Node& b = nodes_[ear];
    const int ia = b.prev, ic = b.next;
    const Node &a = nodes_[ia], &c = nodes_[ic];
    const double minX = std::min({a.x, b.x, c.x}), maxX = std::max({a.x, b.x, c.x});
    const double minY = std::min({a.y, b.y, c.y}), maxY = std::max({a.y, b.y, c.y});
    auto blocks = [&](int i, double x, double y) {
        return x >= minX && x <= maxX && y >= minY && y <= maxY && i != ia && i != ic && i != ear &&
               !(x == a.x && y == a.y) && inTriangle(a, b, c, x, y) &&
               cross(nodes_[nodes_[i].prev], nodes_[i], nodes_[nodes_[i].next]) <= 0;
    };
    uint64_t visited = 0;
    // Walk the live entries from the box's lowest code to its highest, jumping over codes outside the box.
    const uint32_t zlo = zOf(minX, minY), zhi = zOf(maxX, maxY);
    const auto m = static_cast<uint32_t>(zs_.size());
    int blocker = -1;
    for (uint32_t k = zLive(zSeekBack(static_cast<uint32_t>(b.zpos), zlo)); blocker < 0 && k < m; ++visited) {
        const ZEntry& e = zs_[k];
        if (e.z > zhi) break;
        if (inZBox(e.z, zlo, zhi)) {
            if (blocks(e.node, e.x, e.y)) blocker = e.node;
            k = zLive(k + 1);
        } else {
            const uint32_t next = zBigMin(e.z, zlo, zhi);
            if (next <= e.z) break;
            k = zLive(zSeekForward(k + 1, next));
        }
    }
    work_ += visited;
    return blocker;
}

// reflexInside for small rings: a scan of the ring.
int Clipper::reflexInsideScan(int ear) const {
    const Node& b = nodes_[ear];
    const int ia = b.prev;
    const Node &a = nodes_[ia], &c = nodes_[b.next];
    const double minX = std::min(a.x, std::min(b.x, c.x)), maxX = std::max(a.x, std::max(b.x, c.x));
    const double minY = std::min(a.y, std::min(b.y, c.y)), maxY = std::max(a.y, std::max(b.y, c.y));
    uint64_t visited = 0;
    int found = -1;
    for (int p = c.next; p != ia; p = nodes_[p].next) {
        ++visited;
        const Node& v = nodes_[p];
        if (v.x < minX || v.x > maxX || v.y < minY || v.y > maxY || (v.x == a.x && v.y == a.y)) continue;
        if (inTriangle(a, b, c, v.x, v.y) && cross(nodes_[v.prev], v, nodes_[v.next]) <= 0) {
            found = p;
            break;
        }
    }
    work_ += visited;
    return found;
}

// 1: an ear. 0: not convex (retested when a neighbour changes). 2: blocked by `blocker`.
int Clipper::earTest(int ear, int pass, int& blocker) const {
    if (pass == kAny) return 1;
    const Node& b = nodes_[ear];
    if (cross(nodes_[b.prev], b, nodes_[b.next]) <= 0) return 0;  // reflex or straight
    if (pass == kConvexOnly) return 1;
    blocker = zActive_ ? reflexInside(ear) : reflexInsideScan(ear);
    return blocker < 0 ? 1 : 2;
}

// Drops vertices that repeat their successor or lie on the line through their neighbours (spikes included).
int Clipper::filter(int start, int& count) {
    int p = start;
    int sinceChange = 0;
    uint64_t steps = 0;
    while (count > 3 && sinceChange <= count) {
        const Node& v = nodes_[p];
        ++steps;
        if (samePos(v, nodes_[v.next]) || cross(nodes_[v.prev], v, nodes_[v.next]) == 0) {
            const int prev = v.prev;
            remove(p);
            --count;
            p = prev;
            sinceChange = 0;
        } else {
            p = v.next;
            ++sinceChange;
        }
    }
    charge(steps);
    return p;
}

// Where edge a->p crosses edge n->b (p, n adjacent), the little loop p-n is twisted: emit a-p-b and drop p, n.
int Clipper::cure(int start, int& count) {
    int p = start;
    uint64_t steps = 0;
    do {
        ++steps;
        const int a = nodes_[p].prev, n = nodes_[p].next, b = nodes_[n].next;
        if (count > 3 && !samePos(nodes_[a], nodes_[b]) && segmentsCross(nodes_[a], nodes_[p], nodes_[n], nodes_[b]) &&
            locallyInside(a, nodes_[b].x, nodes_[b].y) && locallyInside(b, nodes_[a].x, nodes_[a].y)) {
            emit(a, p, b);
            remove(p);
            remove(n);
            count -= 2;
            p = start = b;
        }
        p = nodes_[p].next;
    } while (p != start && count > 2);
    charge(steps);
    return count > 3 ? filter(p, count) : p;
}

// A diagonal a-b lies inside the ring and crosses none of its edges.
bool Clipper::validDiagonal(int a, int b) {
    const Node &na = nodes_[a], &nb = nodes_[b];
    if (na.index == nb.index || samePos(na, nb)) return false;
    if (!locallyInside(a, nb.x, nb.y) || !locallyInside(b, na.x, na.y)) return false;
    const double mx = (na.x + nb.x) / 2, my = (na.y + nb.y) / 2;
    bool inside = false;
    uint64_t steps = 0;
    int p = a;
    do {
        const Node &u = nodes_[p], &v = nodes_[u.next];
        ++steps;
        if ((u.y > my) != (v.y > my) && mx < (v.x - u.x) * (my - u.y) / (v.y - u.y) + u.x) inside = !inside;
        if (u.index != na.index && u.index != nb.index && v.index != na.index && v.index != nb.index &&
            segmentsCross(u, v, na, nb)) {
            charge(steps);
            return false;
        }
        p = u.next;
    } while (p != a);
    charge(steps);
    return inside;
}

// A valid diagonal to split the ring along. Repairable rings have one among the first tries; the cap keeps hostile
// rings (each try costs a turn of the ring) from spending their whole budget here.
bool Clipper::findDiagonal(int start, int count, int& a, int& b) {
    if (count < 4) return false;
    int tries = kDiagonalTries;
    a = start;
    do {
        for (b = nodes_[nodes_[a].next].next; b != nodes_[a].prev; b = nodes_[b].next) {
            if (validDiagonal(a, b)) return true;
            if (overBudget_ || --tries == 0) return false;
        }
        a = nodes_[a].next;
    } while (a != start);
    return false;
}

void Clipper::touch(int v) {
    queue_.push_back({v, ++nodes_[v].stamp});
}

void Clipper::release(int blocker) {
    for (int32_t w = nodes_[blocker].waitHead; w >= 0; w = waits_[w].next)
        if (nodes_[waits_[w].vertex].stamp == waits_[w].stamp) touch(waits_[w].vertex);
    nodes_[blocker].waitHead = -1;
}

// Queues every vertex of the ring through `start`, in ring order, and forgets all waits.
void Clipper::refill(int start) {
    queue_.clear();
    queueHead_ = 0;
    waits_.clear();
    int p = start;
    do {
        nodes_[p].waitHead = -1;
        touch(p);
        p = nodes_[p].next;
    } while (p != start);
    charge(queue_.size());
}

// After a turn without an ear: moves the ring to the next pass. Returns false when it split the ring instead (both
// halves pushed on stack_, to be clipped afresh).
bool Clipper::nextPass(int& ear, int& count, int& pass) {
    if (pass == kNormal) {
        ear = filter(ear, count);
        pass = kFiltered;
    } else if (pass == kFiltered) {
        ear = cure(ear, count);
        pass = kCured;
    } else if (pass == kCured) {
        int a, b;
        if (findDiagonal(ear, count, a, b)) {
            const int c = split(a, b);
            stack_.push_back(a);
            stack_.push_back(c);
            return false;
        }
        pass = kConvexOnly;
        forced_ = true;
    } else {
        pass = kAny;
    }
    return true;
}

// Rings of up to kZThreshold vertices: a walk around the ring, each test a scan of it. Cheaper than the queue at
// this size, and a quadratic number of tests stays small.
void Clipper::clipSmall(int ear, int count) {
    zActive_ = false;
    int pass = kNormal;
    int stop = ear;
    while (count > 3) {
        if (++work_ >= nextPoll_) poll();
        if (overBudget_ && pass < kConvexOnly) {
            pass = kConvexOnly;
            forced_ = true;
        }
        const int prev = nodes_[ear].prev, next = nodes_[ear].next;
        int blocker = -1;
        if (earTest(ear, pass, blocker) == 1) {
            emit(prev, ear, next);
            remove(ear);
            --count;
            ear = nodes_[next].next;  // skipping a vertex gives fewer sliver triangles
            stop = ear;
            continue;
        }
        ear = next;
        if (ear != stop) continue;
        if (!nextPass(ear, count, pass)) return;
        stop = ear;
    }
    if (count == 3) emit(nodes_[ear].prev, ear, nodes_[ear].next);
}

void Clipper::clipRing(int ear) {
    int count = 0;
    for (int p = ear;;) {
        ++count;
        p = nodes_[p].next;
        if (p == ear) break;
    }
    charge(count);
    if (count <= kZThreshold) return clipSmall(ear, count);
    // Straight and repeated vertices are never ears but would block their neighbours' tests: out first.
    zActive_ = false;
    ear = filter(ear, count);
    zActive_ = count > kZThreshold;
    if (zActive_) linkZ(ear);
    int pass = kNormal;
    refill(ear);
    while (count > 3) {
        if (++work_ >= nextPoll_) poll();
        if (overBudget_ && pass < kConvexOnly) {
            pass = kConvexOnly;
            forced_ = true;
            refill(ear);
        }
        if (queueHead_ == queue_.size()) {  // no ear left for this pass
            if (!nextPass(ear, count, pass)) return;
            if (count > 3) refill(ear);
            continue;
        }
        const auto [v, stamp] = queue_[queueHead_++];
        if (nodes_[v].stamp != stamp) continue;  // clipped, or queued again since
        ear = v;
        int blocker = -1;
        const int verdict = earTest(v, pass, blocker);
        if (verdict == 2) {
            waits_.push_back({v, stamp, nodes_[blocker].waitHead});
            nodes_[blocker].waitHead = static_cast<int32_t>(waits_.size() - 1);
            continue;
        }
        if (verdict == 0) continue;
        const int a = nodes_[v].prev, c = nodes_[v].next;
        emit(a, v, c);
        remove(v);
        --count;
        release(v);
        touch(a);
        touch(c);
        release(a);
        release(c);
        ear = c;
    }
    if (count == 3) emit(nodes_[ear].prev, ear, nodes_[ear].next);
}

void Clipper::clipPart(int outer) {
    if (static_cast<int>(nodes_.size()) > kZThreshold) computeZ();
    stack_.clear();
    stack_.push_back(outer);
    while (!stack_.empty()) {
        const int ring = stack_.back();
        stack_.pop_back();
        clipRing(ring);
    }
    zActive_ = false;
}

}  // namespace geo::tess

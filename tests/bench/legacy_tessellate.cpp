// REFERENCE ONLY, for bench_tessellate: the tessellator as it was before #10/#13 (geo/tessellate at 68f4bde),
// moved into namespace `legacy` so the benchmark can time the old quadratic ear test against the new one on the
// same fixtures. Not used by the program; do not fix or extend it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "store/feature_table.hpp"

namespace legacy {

struct TessStats {
    size_t polygons = 0;
    size_t skipped = 0;
    size_t forced = 0;
    size_t holesDropped = 0;
};

constexpr size_t kMaxHoles = 1000;

class Tessellator {
public:
    bool triangulate(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings,
                     std::vector<uint32_t>& out, TessStats& stats);

private:
    struct Node {
        double x, y;
        uint32_t index;
        int prev, next;
    };
    int addShell(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings);
    int addHoles(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings, int outer,
                 TessStats& stats);
    double ringArea2(int start, int& count) const;
    int clipEars(int ear, int count, std::vector<uint32_t>& out, double& trianglesArea2);
    int addRing(const double* xy, uint32_t begin, uint32_t end, bool clockwise);
    int insertAfter(int after, double x, double y, uint32_t index);
    void unlink(int n);
    int eliminateHoles(int outer, std::vector<int>& holes);
    int findBridge(int hole, int outer) const;
    int splitPolygon(int a, int b);
    bool isEar(int ear, int pass) const;
    int removeDegenerate(int start, int& count);
    double cross(int a, int b, int c) const;
    bool pointInTriangle(const Node& a, const Node& b, const Node& c, const Node& p) const;
    std::vector<Node> nodes_;
};

std::vector<uint32_t> tessellatePolygons(const geo::FeatureTable& table, TessStats& stats);

namespace {

double ringSignedArea(const double* xy, uint32_t begin, uint32_t end) {
    double a = 0;
    if (end - begin < 3) return 0;
    // Relative to the first vertex, so large projected coordinates keep their precision.
    double ox = xy[2 * begin], oy = xy[2 * begin + 1];
    for (uint32_t i = begin, j = end - 1; i < end; j = i++)
        a += (xy[2 * j] - ox) * (xy[2 * i + 1] - oy) - (xy[2 * i] - ox) * (xy[2 * j + 1] - oy);
    return 0.5 * a;
}

// True when some vertex lies off the line through the first two distinct vertices (the ring encloses area,
// even if its signed area cancels out, as in a bow-tie).
bool hasArea(const double* xy, uint32_t begin, uint32_t end) {
    if (end - begin < 3) return false;
    double ax = xy[2 * begin], ay = xy[2 * begin + 1];
    uint32_t i = begin + 1;
    while (i < end && xy[2 * i] == ax && xy[2 * i + 1] == ay) ++i;
    if (i >= end) return false;
    double bx = xy[2 * i] - ax, by = xy[2 * i + 1] - ay;
    for (uint32_t k = i + 1; k < end; ++k)
        if (bx * (xy[2 * k + 1] - ay) - by * (xy[2 * k] - ax) != 0) return true;
    return false;
}

// Relative difference between the triangles' area and the bridged ring's beyond which a part counts as forced;
// rounding alone stays many orders of magnitude below it.
constexpr double kAreaTolerance = 1e-7;

bool finiteRing(const double* xy, uint32_t begin, uint32_t end) {
    for (uint32_t i = begin; i < end; ++i)
        if (!std::isfinite(xy[2 * i]) || !std::isfinite(xy[2 * i + 1])) return false;
    return true;
}

}  // namespace

double Tessellator::cross(int a, int b, int c) const {
    const Node &A = nodes_[a], &B = nodes_[b], &C = nodes_[c];
    return (B.x - A.x) * (C.y - A.y) - (B.y - A.y) * (C.x - A.x);
}

bool Tessellator::pointInTriangle(const Node& a, const Node& b, const Node& c, const Node& p) const {
    // Counter-clockwise triangle abc: p inside or on an edge.
    auto side = [](const Node& u, const Node& v, const Node& w) {
        return (v.x - u.x) * (w.y - u.y) - (v.y - u.y) * (w.x - u.x);
    };
    return side(a, b, p) >= 0 && side(b, c, p) >= 0 && side(c, a, p) >= 0;
}

int Tessellator::insertAfter(int after, double x, double y, uint32_t index) {
    int id = static_cast<int>(nodes_.size());
    nodes_.push_back({x, y, index, id, id});
    if (after >= 0) {
        Node& n = nodes_[id];
        n.prev = after;
        n.next = nodes_[after].next;
        nodes_[nodes_[after].next].prev = id;
        nodes_[after].next = id;
    }
    return id;
}

void Tessellator::unlink(int n) {
    nodes_[nodes_[n].prev].next = nodes_[n].next;
    nodes_[nodes_[n].next].prev = nodes_[n].prev;
}

// Builds a circular list for one ring in the wanted orientation, dropping consecutive duplicates and the
// closing vertex. Returns -1 when fewer than three vertices remain.
int Tessellator::addRing(const double* xy, uint32_t begin, uint32_t end, bool clockwise) {
    double area = ringSignedArea(xy, begin, end);
    bool reverse = (area > 0) == clockwise;
    int last = -1;
    int count = 0;
    auto push = [&](uint32_t i) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (last >= 0 && nodes_[last].x == x && nodes_[last].y == y) return;
        last = insertAfter(last, x, y, i);
        ++count;
    };
    if (!reverse)
        for (uint32_t i = begin; i < end; ++i) push(i);
    else
        for (uint32_t i = end; i-- > begin;) push(i);
    if (last >= 0) {
        int first = nodes_[last].next;
        if (first != last && nodes_[first].x == nodes_[last].x && nodes_[first].y == nodes_[last].y) {
            int prev = nodes_[last].prev;
            unlink(last);
            last = prev;
            --count;
        }
    }
    return count >= 3 ? last : -1;
}

// Splits the ring into two by joining a and b with a double edge; returns the copy of b on the new side.
int Tessellator::splitPolygon(int a, int b) {
    int a2 = static_cast<int>(nodes_.size());
    nodes_.push_back(nodes_[a]);
    int b2 = static_cast<int>(nodes_.size());
    nodes_.push_back(nodes_[b]);
    int an = nodes_[a].next, bp = nodes_[b].prev;
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

// Finds an outer vertex visible from the hole's leftmost vertex (ray cast to the left, then the reflex vertex
// with the smallest angle inside the candidate triangle).
int Tessellator::findBridge(int hole, int outer) const {
    const Node& h = nodes_[hole];
    double qx = -std::numeric_limits<double>::infinity();
    int candidate = -1;
    int p = outer;
    do {
        const Node& a = nodes_[p];
        const Node& b = nodes_[a.next];
        if (h.y <= a.y && h.y >= b.y && b.y != a.y) {
            double x = a.x + (h.y - a.y) * (b.x - a.x) / (b.y - a.y);
            if (x <= h.x && x > qx) {
                qx = x;
                candidate = a.x < b.x ? p : a.next;
                if (x == h.x) return candidate;  // the hole touches the outer edge
            }
        }
        p = a.next;
    } while (p != outer);
    if (candidate < 0) return -1;

    // Vertices inside the triangle (hole, ray hit, candidate) could block the bridge; take the one with the
    // smallest angle to the ray.
    const Node& c = nodes_[candidate];
    int best = candidate;
    double bestTan = std::numeric_limits<double>::infinity();
    const Node A = h, B = Node{qx, h.y, 0, 0, 0}, C = c;
    p = candidate;
    do {
        const Node& n = nodes_[p];
        if (h.x >= n.x && n.x >= c.x && h.x != n.x) {
            bool inside = pointInTriangle(A, B, C, n) || pointInTriangle(A, C, B, n);
            if (inside) {
                double tan = std::abs(h.y - n.y) / (h.x - n.x);
                bool reflexOrOnRay = cross(n.prev, p, n.next) < 0;
                if (reflexOrOnRay && (tan < bestTan || (tan == bestTan && n.x > nodes_[best].x))) {
                    best = p;
                    bestTan = tan;
                }
            }
        }
        p = n.next;
    } while (p != candidate);
    return best;
}

int Tessellator::eliminateHoles(int outer, std::vector<int>& holes) {
    std::vector<int> leftmost;
    leftmost.reserve(holes.size());
    for (int h : holes) {
        int best = h, p = h;
        do {
            const Node& n = nodes_[p];
            if (n.x < nodes_[best].x || (n.x == nodes_[best].x && n.y < nodes_[best].y)) best = p;
            p = n.next;
        } while (p != h);
        leftmost.push_back(best);
    }
    std::sort(leftmost.begin(), leftmost.end(), [&](int a, int b) { return nodes_[a].x < nodes_[b].x; });
    for (int h : leftmost) {
        int bridge = findBridge(h, outer);
        if (bridge < 0) continue;  // hole outside the shell: ignore it
        splitPolygon(bridge, h);
    }
    return outer;
}

bool Tessellator::isEar(int ear, int pass) const {
    const Node& e = nodes_[ear];
    int a = e.prev, c = e.next;
    double area = cross(a, ear, c);
    if (pass >= 3) return true;
    if (area <= 0) return false;  // reflex or collinear
    if (pass >= 2) return true;
    const Node &A = nodes_[a], &B = e, &C = nodes_[c];
    double minX = std::min({A.x, B.x, C.x}), maxX = std::max({A.x, B.x, C.x});
    double minY = std::min({A.y, B.y, C.y}), maxY = std::max({A.y, B.y, C.y});
    for (int p = nodes_[c].next; p != a; p = nodes_[p].next) {
        const Node& n = nodes_[p];
        if (n.x < minX || n.x > maxX || n.y < minY || n.y > maxY) continue;
        // Only copies of A are let through, as in earcut: a copy of B or C (a hole touching the shell, a bridge
        // end) that is reflex means the ear would wrap around a hole, which once drew such holes filled.
        if (n.x == A.x && n.y == A.y) continue;
        if (pointInTriangle(A, B, C, n) && cross(n.prev, p, n.next) <= 0) return false;
    }
    return true;
}

// Drops duplicate and collinear vertices; keeps `count` in step. Returns a node still in the ring.
int Tessellator::removeDegenerate(int start, int& count) {
    int p = start;
    int sinceChange = 0;
    while (count > 3 && sinceChange <= count) {
        const Node& n = nodes_[p];
        const Node& nx = nodes_[n.next];
        bool dup = n.x == nx.x && n.y == nx.y;
        if (dup || cross(n.prev, p, n.next) == 0) {
            int prev = n.prev;
            unlink(p);
            --count;
            p = prev;
            sinceChange = 0;
        } else {
            p = n.next;
            ++sinceChange;
        }
    }
    return p;
}

// The shell's ring, or -1 when it cannot enclose any area (then the part is skipped).
int Tessellator::addShell(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings) {
    if (rings.empty() || !finiteRing(xy, rings[0].first, rings[0].second) ||
        !hasArea(xy, rings[0].first, rings[0].second))
        return -1;
    return addRing(xy, rings[0].first, rings[0].second, false);
}

// Bridges the holes into the shell's ring. Beyond kMaxHoles the smallest are dropped, so that pathological input
// (eliminateHoles is quadratic in the number of holes) stays bounded.
int Tessellator::addHoles(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings, int outer,
                          TessStats& stats) {
    std::vector<std::pair<double, size_t>> holeOrder;
    for (size_t r = 1; r < rings.size(); ++r) {
        if (!finiteRing(xy, rings[r].first, rings[r].second)) continue;
        if (!hasArea(xy, rings[r].first, rings[r].second)) continue;
        holeOrder.push_back({std::abs(ringSignedArea(xy, rings[r].first, rings[r].second)), r});
    }
    if (holeOrder.size() > kMaxHoles) {
        std::sort(holeOrder.begin(), holeOrder.end(), [](auto& a, auto& b) { return a.first > b.first; });
        stats.holesDropped += holeOrder.size() - kMaxHoles;
        holeOrder.resize(kMaxHoles);
    }
    std::vector<int> holes;
    for (auto& [area, r] : holeOrder) {
        int h = addRing(xy, rings[r].first, rings[r].second, true);
        if (h >= 0) holes.push_back(h);
    }
    if (!holes.empty()) outer = eliminateHoles(outer, holes);
    return outer;
}

// Twice the signed area of the ring through `start`, relative to one vertex for precision; `count` receives its
// vertex count. After bridging that is the shell's area minus the bridged holes'.
double Tessellator::ringArea2(int start, int& count) const {
    count = 0;
    double area2 = 0;
    const double ox = nodes_[start].x, oy = nodes_[start].y;
    int p = start;
    do {
        const Node& n = nodes_[p];
        const Node& nx = nodes_[n.next];
        area2 += (n.x - ox) * (nx.y - oy) - (nx.x - ox) * (n.y - oy);
        ++count;
        p = n.next;
    } while (p != start);
    return area2;
}

// Clips ears off the ring of `count` vertices until one triangle is left. Sets trianglesArea2 to twice the area the
// triangles cover (overlaps counted twice). Returns the pass reached: 2 or more means the test had to be relaxed.
int Tessellator::clipEars(int ear, int count, std::vector<uint32_t>& out, double& trianglesArea2) {
    double area2Sum = 0;  // summed here, not through the reference, so that it can stay in a register
    // A lambda, not a member, so that it is inlined: it runs once per triangle. A zero-area ear is clipped without
    // a triangle, so the ring shrinks either way.
    auto emitTriangle = [&](int a, int b, int c) {
        if (double area2 = cross(a, b, c); area2 != 0) {
            area2Sum += std::abs(area2);
            out.push_back(nodes_[a].index);
            out.push_back(nodes_[b].index);
            out.push_back(nodes_[c].index);
        }
    };
    int pass = 0;
    int stop = ear;
    while (count > 3) {
        int prev = nodes_[ear].prev, next = nodes_[ear].next;
        if (isEar(ear, pass)) {
            emitTriangle(prev, ear, next);
            unlink(ear);
            --count;
            ear = nodes_[next].next;  // skipping the next vertex gives fewer sliver triangles
            stop = ear;
            continue;
        }
        ear = next;
        if (ear == stop) {
            // A whole turn without an ear: clean up, then relax the test step by step (invalid input).
            ++pass;
            if (pass == 1) ear = removeDegenerate(ear, count);
            stop = ear;
        }
    }
    if (count == 3) emitTriangle(nodes_[ear].prev, ear, nodes_[ear].next);
    trianglesArea2 = area2Sum;
    return pass;
}

bool Tessellator::triangulate(const double* xy, const std::vector<std::pair<uint32_t, uint32_t>>& rings,
                              std::vector<uint32_t>& out, TessStats& stats) {
    ++stats.polygons;
    nodes_.clear();
    int outer = addShell(xy, rings);
    if (outer < 0) {
        ++stats.skipped;
        return false;
    }
    outer = addHoles(xy, rings, outer, stats);
    int count = 0;
    const double bridgedArea2 = ringArea2(outer, count);

    const size_t before = out.size();
    double trianglesArea2;
    const int pass = clipEars(outer, count, out, trianglesArea2);
    // Clipping a valid ring removes only counter-clockwise ears, whose areas add up to the ring's exactly. A
    // self-intersecting ring (whose lobes' signed areas cancel) leaves clockwise or overlapping triangles behind,
    // so the areas disagree; that is checked in linear time, with no pairwise edge test.
    bool areaMismatch = std::abs(trianglesArea2 - bridgedArea2) > kAreaTolerance * trianglesArea2;
    if (pass >= 2 || areaMismatch) ++stats.forced;
    if (out.size() == before) {
        ++stats.skipped;
        return false;
    }
    return true;
}

std::vector<uint32_t> tessellatePolygons(const geo::FeatureTable& table, TessStats& stats) {
    std::vector<uint32_t>* partEnds = nullptr;
    std::vector<uint32_t> out;
    if (partEnds) {
        partEnds->clear();
        partEnds->reserve(table.partCount());
    }
    out.reserve(table.vertexCount() * 3);
    Tessellator tess;
    std::vector<std::pair<uint32_t, uint32_t>> rings;
    for (size_t f = 0; f < table.featureCount(); ++f) {
        const bool polygon = table.kinds[f] == geo::GeomKind::Polygon;
        for (uint32_t part = table.partBegin(f); part < table.partEnd(f); ++part) {
            if (polygon) {
                rings.clear();
                for (uint32_t r = table.ringBegin(part); r < table.ringEnd(part); ++r)
                    rings.push_back({table.vertexBegin(r), table.vertexEnd(r)});
                tess.triangulate(table.xy.data(), rings, out, stats);
            }
            if (partEnds) partEnds->push_back(static_cast<uint32_t>(out.size()));
        }
    }
    return out;
}

}  // namespace legacy

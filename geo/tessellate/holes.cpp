// Hole bridging: every hole joins the outer ring through a double edge from its leftmost vertex to a visible
// vertex of the outer ring (which grows by the holes already joined), holes taken from left to right.
//
// The bridge is found as in Eberly's "Triangulation by Ear Clipping": cast a ray to the left from the hole's
// leftmost vertex H, take the nearest edge it hits and that edge's far end M; if reflex vertices lie inside the
// triangle (H, hit, M), the one at the smallest angle to the ray is visible instead. A linear scan of the ring
// for each hole would make this O(holes x vertices); here both queries go through strips of y: the edges whose
// y range meets a strip (the ray needs one strip) and the vertices in it (the triangle needs the strips of its
// y range). Rings join the outer ring as they are bridged, so the index marks rings active instead of changing,
// and records the bridges, which a later ray may hit, separately.
#include <algorithm>
#include <cmath>
#include <limits>

#include "tessellate/clipper.hpp"

namespace geo::tess {

namespace {
// Index entries allowed per vertex: long edges span many strips, so pathological rings (a comb of tall teeth)
// get fewer, fuller strips instead of a quadratic index.
constexpr size_t kEntriesPerVertex = 16;
}  // namespace

size_t Clipper::stripOf(double y) const {
    const double t = (y - stripY0_) * stripInv_;
    if (!(t > 0)) return 0;
    return t < static_cast<double>(strips_ - 1) ? static_cast<size_t>(t) : strips_ - 1;
}

void Clipper::buildStrips(size_t holes) {
    const size_t n = nodes_.size();
    double y0 = std::numeric_limits<double>::infinity(), y1 = -y0;
    for (const Node& p : nodes_) {
        y0 = std::min(y0, p.y);
        y1 = std::max(y1, p.y);
    }
    stripY0_ = y0;
    // A few strips per hole keep each hole's queries short; more than n / 4 would be mostly empty.
    strips_ = std::clamp<size_t>(4 * holes, 1, std::max<size_t>(1, n / 4));
    size_t entries = 0;
    for (;;) {
        stripInv_ = y1 > y0 ? static_cast<double>(strips_) / (y1 - y0) : 0;
        entries = 0;
        for (size_t i = 0; i < n; ++i) {
            const double ya = nodes_[i].y, yb = nodes_[edgeTo_[i]].y;
            if (ya != yb) entries += stripOf(std::max(ya, yb)) - stripOf(std::min(ya, yb)) + 1;
        }
        if (entries <= kEntriesPerVertex * n + 1024 || strips_ == 1) break;
        strips_ = std::max<size_t>(1, strips_ / 4);
    }
    charge(n + entries);

    // Edges by strip (horizontal edges are never hit by the horizontal ray), then vertices by strip.
    edgeStart_.assign(strips_ + 1, 0);
    vertexStart_.assign(strips_ + 1, 0);
    for (size_t i = 0; i < n; ++i) {
        const double ya = nodes_[i].y, yb = nodes_[edgeTo_[i]].y;
        if (ya != yb)
            for (size_t s = stripOf(std::min(ya, yb)), e = stripOf(std::max(ya, yb)); s <= e; ++s) ++edgeStart_[s + 1];
        ++vertexStart_[stripOf(ya) + 1];
    }
    for (size_t s = 0; s < strips_; ++s) {
        edgeStart_[s + 1] += edgeStart_[s];
        vertexStart_[s + 1] += vertexStart_[s];
    }
    edges_.resize(entries);
    vertices_.resize(n);
    std::vector<uint32_t> edgeFill(edgeStart_.begin(), edgeStart_.end() - 1);
    std::vector<uint32_t> vertexFill(vertexStart_.begin(), vertexStart_.end() - 1);
    for (size_t i = 0; i < n; ++i) {
        const double ya = nodes_[i].y, yb = nodes_[edgeTo_[i]].y;
        if (ya != yb)
            for (size_t s = stripOf(std::min(ya, yb)), e = stripOf(std::max(ya, yb)); s <= e; ++s)
                edges_[edgeFill[s]++] = static_cast<uint32_t>(i);
        vertices_[vertexFill[stripOf(ya)]++] = static_cast<uint32_t>(i);
    }
    bridgeStrips_.assign(strips_, {});
    bridges_.clear();
}

// The copy of an input ring's vertex (itself or a copy made by an earlier bridge) whose interior angle contains
// the direction to (x, y); the vertex itself when none does (invalid input).
int Clipper::copyFacing(int original, double x, double y) const {
    for (int c = original; c >= 0; c = nextCopy_[c])
        if (locallyInside(c, x, y)) return c;
    return original;
}

int Clipper::findBridge(int hole) {
    const double hx = nodes_[hole].x, hy = nodes_[hole].y;
    // The ray: the nearest edge to the left crossing y = hy. The outer ring is counter-clockwise (a joined hole
    // clockwise), so seen from inside, the nearest edge to the left runs downwards; when it runs upwards, the hole
    // lies outside (at a tie, as where the ray meets a vertex or a bridge, the downward edge counts).
    double qx = -std::numeric_limits<double>::infinity();
    int m = -1;
    bool down = false;
    auto consider = [&](int a, int b) {
        const Node &pa = nodes_[a], &pb = nodes_[b];
        if (pa.y == pb.y || hy > std::max(pa.y, pb.y) || hy < std::min(pa.y, pb.y)) return;
        const double x = pa.x + (hy - pa.y) * (pb.x - pa.x) / (pb.y - pa.y);
        const bool edgeDown = pb.y < pa.y;
        if (x <= hx && (x > qx || (x == qx && edgeDown && !down))) {
            qx = x;
            m = pa.x < pb.x ? a : b;
            down = edgeDown;
        }
    };
    const size_t s = stripOf(hy);
    for (uint32_t k = edgeStart_[s]; k < edgeStart_[s + 1]; ++k) {
        const int e = static_cast<int>(edges_[k]);
        if (active_[ringOf_[e]]) consider(e, edgeTo_[e]);
    }
    for (int32_t b : bridgeStrips_[s]) {
        consider(bridges_[b].first, bridges_[b].second);
        consider(bridges_[b].second, bridges_[b].first);
    }
    charge(edgeStart_[s + 1] - edgeStart_[s] + bridgeStrips_[s].size());
    if (m < 0 || !down) return -1;               // outside the outer ring
    if (qx == hx) return copyFacing(m, hx, hy);  // the hole touches that edge

    // Vertices inside the triangle (H, hit, M) may block the view of M: take the one at the smallest angle to the
    // ray (ties: the nearer), in the copy whose interior angle faces H. M itself is inside too.
    const double mx = nodes_[m].x, my = nodes_[m].y;
    const double ylo = std::min(hy, my), yhi = std::max(hy, my);
    const Node h{hx, hy, 0, 0, 0, 0, 0, 0, -1}, q{qx, hy, 0, 0, 0, 0, 0, 0, -1}, mm = nodes_[m];
    int best = copyFacing(m, hx, hy);
    double bestTan = std::numeric_limits<double>::infinity();
    for (size_t t = stripOf(ylo), te = stripOf(yhi); t <= te; ++t) {
        charge(vertexStart_[t + 1] - vertexStart_[t]);
        for (uint32_t k = vertexStart_[t]; k < vertexStart_[t + 1]; ++k) {
            const int v = static_cast<int>(vertices_[k]);
            const Node& p = nodes_[v];
            if (!(p.x >= mx && p.x < hx && p.y >= ylo && p.y <= yhi) || !active_[ringOf_[v]]) continue;
            if (!inTriangle(h, q, mm, p.x, p.y) && !inTriangle(h, mm, q, p.x, p.y)) continue;
            const double tan = std::abs(hy - p.y) / (hx - p.x);
            if (tan > bestTan || (tan == bestTan && p.x <= nodes_[best].x)) continue;
            for (int c = v; c >= 0; c = nextCopy_[c])
                if (locallyInside(c, hx, hy)) {
                    best = c;
                    bestTan = tan;
                    break;
                }
        }
    }
    return best;
}

void Clipper::addBridge(int a, int b) {
    const double ya = nodes_[a].y, yb = nodes_[b].y;
    if (ya == yb) return;  // the ray never hits a horizontal edge
    const auto id = static_cast<int32_t>(bridges_.size());
    bridges_.push_back({origin_[a], origin_[b]});
    for (size_t s = stripOf(std::min(ya, yb)), e = stripOf(std::max(ya, yb)); s <= e; ++s)
        bridgeStrips_[s].push_back(id);
}

void Clipper::bridgeHoles(const std::vector<int>& ringFirst) {
    const int n = static_cast<int>(nodes_.size());
    const size_t rings = ringFirst.size();
    ringOf_.resize(n);
    edgeTo_.resize(n);
    origin_.resize(n);
    nextCopy_.assign(n, -1);
    active_.assign(rings, 0);
    active_[0] = 1;
    std::vector<int> leftmost(rings - 1);
    for (size_t r = 0; r < rings; ++r) {
        const int first = ringFirst[r], end = r + 1 < rings ? ringFirst[r + 1] : n;
        int left = first;
        for (int i = first; i < end; ++i) {
            ringOf_[i] = static_cast<int32_t>(r);
            edgeTo_[i] = nodes_[i].next;
            origin_[i] = i;
            const Node &p = nodes_[i], &l = nodes_[left];
            if (p.x < l.x || (p.x == l.x && p.y < l.y)) left = i;
        }
        if (r > 0) leftmost[r - 1] = left;
    }
    std::sort(leftmost.begin(), leftmost.end(), [&](int a, int b) {
        const Node &p = nodes_[a], &q = nodes_[b];
        return p.x < q.x || (p.x == q.x && (p.y < q.y || (p.y == q.y && a < b)));
    });
    buildStrips(rings - 1);

    for (int hole : leftmost) {
        const int bridge = findBridge(hole);
        if (bridge < 0) {
            ++stats_->holesDropped;  // outside the shell
            continue;
        }
        split(bridge, hole);
        // The two copies split() appended.
        for (int c : {bridge, hole}) {
            const int o = origin_[c];
            const int copy = static_cast<int>(origin_.size());
            origin_.push_back(o);
            nextCopy_.push_back(nextCopy_[o]);
            nextCopy_[o] = copy;
        }
        addBridge(bridge, hole);
        active_[ringOf_[hole]] = 1;
    }
}

}  // namespace geo::tess

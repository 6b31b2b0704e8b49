#include "paint/part_shapes.hpp"

#include <algorithm>
#include <cmath>

namespace geo {

namespace {

constexpr double kPi = 3.14159265358979323846;
// How far a round join's or cap's chords may fall inside its arc, in pixels.
constexpr double kArcTolerance = 0.05;


// The largest angle one chord of an arc of radius r may span.
double arcStep(double r) { return std::max(1e-3, 2.0 * std::acos(std::max(-1.0, 1.0 - kArcTolerance / std::max(r, 1e-9)))); }

// The arc around (cx, cy) of radius r from angle a0 turning by `turn` (signed), as points after the first.
void appendArc(std::vector<double>& pts, double cx, double cy, double r, double a0, double turn) {
    const double maxStep = arcStep(r);
    const int steps = std::clamp(static_cast<int>(std::ceil(std::abs(turn) / maxStep)), 1, 64);
    for (int i = 1; i <= steps; ++i) {
        const double a = a0 + turn * i / steps;
        pts.push_back(cx + r * std::cos(a));
        pts.push_back(cy + r * std::sin(a));
    }
}

// How finely round joins of radius hw are drawn: the largest angle one chord may span, and the cosines of one and
// two such angles (a turn is compared by its cosine: no trigonometry in the common case).
struct JoinSteps {
    double step, cos1, cos2;
    explicit JoinSteps(double hw) : step(arcStep(hw)), cos1(std::cos(step)), cos2(std::cos(std::min(2.0 * step, kPi))) {}
};

// A round join on its outer side, from the unit normal n0 to n1, for a turn whose sine and cosine are `cross` and
// `dot`: the first point, then one or two chords when the turn is small enough, else the arc.
void appendJoin(std::vector<double>& pts, double cx, double cy, double hw, double n0x, double n0y, double n1x,
                double n1y, double cross, double dot, const JoinSteps& steps) {
    pts.push_back(cx + hw * n0x);
    pts.push_back(cy + hw * n0y);
    const double mx = n0x + n1x, my = n0y + n1y, len = std::sqrt(mx * mx + my * my);
    // (A U-turn's normals cancel: no midpoint, the arc instead, at any width.)
    if (dot < steps.cos2 || len < 1e-9) {
        appendArc(pts, cx, cy, hw, std::atan2(n0y, n0x), std::atan2(cross, dot));
        return;
    }
    if (dot < steps.cos1) {
        pts.push_back(cx + hw * mx / len);
        pts.push_back(cy + hw * my / len);
    }
    pts.push_back(cx + hw * n1x);
    pts.push_back(cy + hw * n1y);
}

// The offset of a polyline (m points, `dirs` the unit directions of its segments, cyclic when closed) by hw on side
// s (+1: left of the direction, -1: right), appended to `out`: round joins where the path turns away from that side,
// the offset lines' intersection (mitre) where it turns towards it. `retreat` gets, per vertex, how far a mitre
// reaches back along its segments (0 elsewhere). False when a mitre would be unbounded (the path folds back).
bool sideOffset(std::vector<double>& out, std::vector<double>& retreat, const std::vector<double>& p,
                const std::vector<double>& dirs, bool closed, int s, double hw, const JoinSteps& steps) {
    const size_t m = p.size() / 2;
    retreat.assign(m, 0.0);
    for (size_t i = 0; i < m; ++i) {
        const bool hasIn = closed || i > 0, hasOut = closed || i + 1 < m;
        const size_t in = (i + m - 1) % m, o = i;  // segment indices (closed: m segments; open: m - 1)
        const double px = p[2 * i], py = p[2 * i + 1];
        if (!hasIn || !hasOut) {
            const size_t seg = hasOut ? o : in;
            out.push_back(px - s * hw * dirs[2 * seg + 1]);
            out.push_back(py + s * hw * dirs[2 * seg]);
            continue;
        }
        const double ix = dirs[2 * in], iy = dirs[2 * in + 1], ox = dirs[2 * o], oy = dirs[2 * o + 1];
        const double cross = ix * oy - iy * ox, dot = ix * ox + iy * oy;
        const double n0x = -s * iy, n0y = s * ix, n1x = -s * oy, n1y = s * ox;
        if (std::abs(cross) < 1e-12 && dot > 0) {
            out.push_back(px + hw * n0x);
            out.push_back(py + hw * n0y);
            continue;
        }
        if (s * cross < 0 || (cross == 0 && s < 0)) {  // the outer side of this join (a U-turn: the right): round
            appendJoin(out, px, py, hw, n0x, n0y, n1x, n1y, cross, dot, steps);
        } else {  // the inner side: the offset lines meet
            if (1.0 + dot < 1e-6) return false;
            out.push_back(px + hw * (n0x + n1x) / (1.0 + dot));
            out.push_back(py + hw * (n0y + n1y) / (1.0 + dot));
            retreat[i] = hw * std::abs(cross) / (1.0 + dot);
        }
    }
    return true;
}

// Adds the closed polygon through `pts` (x, y pairs), forwards or backwards.
void addContour(CoverageMask& mask, const std::vector<double>& pts, bool forward) {
    const size_t n = pts.size() / 2;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        if (forward) mask.addEdge(pts[2 * j], pts[2 * j + 1], pts[2 * i], pts[2 * i + 1]);
        else mask.addEdge(pts[2 * i], pts[2 * i + 1], pts[2 * j], pts[2 * j + 1]);
    }
}

// A ring's or line's stroke as the area between its two offsets (closed: the outer offset one way and the inner one
// the other; open: one contour, left side out, a round cap, right side back, a round cap), so no pixel counts twice.
// False when an offset would fold over itself (a mitre reaching past its segment: a part narrower than the stroke,
// or a hairpin), or the path has a non-finite vertex: then the caller adds capsules.

bool addStrokeByOffsets(CoverageMask& mask, StrokeScratch& scratch, const PixelVertices& sxy, uint32_t v0, uint32_t v1, double hw,
                        const JoinSteps& steps, bool closedRing) {
    std::vector<double>& p = scratch.p;
    std::vector<double>& dirs = scratch.dirs;
    std::vector<double>& lengths = scratch.lengths;
    p.clear();
    dirs.clear();
    lengths.clear();
    for (uint32_t v = v0; v < v1; ++v) {
        const double x = sxy.x(v), y = sxy.y(v);
        if (!std::isfinite(x) || !std::isfinite(y)) return false;
        if (!p.empty() && std::abs(x - p[p.size() - 2]) < 1e-9 && std::abs(y - p.back()) < 1e-9) continue;
        p.push_back(x);
        p.push_back(y);
    }
    if (closedRing && p.size() >= 4 && std::abs(p[0] - p[p.size() - 2]) < 1e-9 && std::abs(p[1] - p.back()) < 1e-9) {
        p.pop_back();
        p.pop_back();
    }
    const size_t m = p.size() / 2;
    if (m < (closedRing ? 3u : 2u)) return false;
    const size_t segments = closedRing ? m : m - 1;
    for (size_t i = 0; i < segments; ++i) {
        const size_t j = (i + 1) % m;
        const double dx = p[2 * j] - p[2 * i], dy = p[2 * j + 1] - p[2 * i + 1], len = std::sqrt(dx * dx + dy * dy);
        dirs.push_back(dx / len);
        dirs.push_back(dy / len);
        lengths.push_back(len);
    }
    std::vector<double>& left = scratch.left;
    std::vector<double>& right = scratch.right;
    std::vector<double>& rl = scratch.rl;
    std::vector<double>& rr = scratch.rr;
    left.clear();
    right.clear();
    if (!sideOffset(left, rl, p, dirs, closedRing, 1, hw, steps) ||
        !sideOffset(right, rr, p, dirs, closedRing, -1, hw, steps))
        return false;
    for (size_t i = 0; i < segments; ++i) {
        const size_t j = (i + 1) % m;
        if (rl[i] + rl[j] > lengths[i] || rr[i] + rr[j] > lengths[i]) return false;
    }
    if (closedRing) {
        // Left side backwards, right side forwards: the band comes out with the sign of addPositivePolygon's pieces,
        // whichever way the ring runs, so a ring drawn this way and one drawn as capsules add up in one mask.
        addContour(mask, left, false);
        addContour(mask, right, true);
        return true;
    }
    // Open: left side, the end cap (turning clockwise through the direction of travel), right side back, the start cap.
    std::vector<double>& contour = left;
    const double ex = p[2 * (m - 1)], ey = p[2 * (m - 1) + 1];
    const double ea = std::atan2(dirs[2 * (m - 2)], -dirs[2 * (m - 2) + 1]);  // the left normal's angle
    appendArc(contour, ex, ey, hw, ea, -kPi);
    for (size_t i = m; i-- > 0;) {
        contour.push_back(right[2 * i]);
        contour.push_back(right[2 * i + 1]);
    }
    const double sa = std::atan2(-dirs[0], dirs[1]);  // the right normal's angle at the start
    appendArc(contour, p[0], p[1], hw, sa, -kPi);
    addContour(mask, contour, false);  // the same sign as addPositivePolygon's pieces (see above)
    return true;
}

}  // namespace

// The union of capsules `halfWidth` around every finite segment of the part's rings: between the rings' offsets
// where they are well formed (addStrokeByOffsets), else as positive pieces: a rectangle per segment, the outer
// wedge of every join (a pie slice), half a disc at every free end (a join's inner corner then counts twice).
void addOutline(CoverageMask& mask, StrokeScratch& scratch, const PixelVertices& sxy,
                double hw) {
    std::vector<double>& pts = scratch.pts;
    const JoinSteps steps(hw);
    for (uint32_t r = 0; r < sxy.rings; ++r) {
        const uint32_t v0 = sxy.ringBegin(r), v1 = sxy.ringEnd(r);
        if (v1 < v0 + 2) continue;
        auto finite = [&](uint32_t v) { return std::isfinite(sxy.x(v)) && std::isfinite(sxy.y(v)); };
        // Unit direction of segment v -> v + 1, or false when it is not drawn.
        auto direction = [&](uint32_t v, double& dx, double& dy) {
            if (v < v0 || v + 1 >= v1 || !finite(v) || !finite(v + 1)) return false;
            dx = sxy.x(v + 1) - sxy.x(v);
            dy = sxy.y(v + 1) - sxy.y(v);
            const double len = std::hypot(dx, dy);
            if (len < 1e-9) return false;
            dx /= len;
            dy /= len;
            return true;
        };
        const bool closed = v1 >= v0 + 4 && sxy.x(v0) == sxy.x(v1 - 1) && sxy.y(v0) == sxy.y(v1 - 1);
        if (addStrokeByOffsets(mask, scratch, sxy, v0, v1, hw, steps, closed)) continue;
        for (uint32_t v = v0; v + 1 < v1; ++v) {
            double dx, dy;
            if (!direction(v, dx, dy)) continue;
            const double nx = -dy * hw, ny = dx * hw;
            const double ax = sxy.x(v), ay = sxy.y(v), bx = sxy.x(v + 1), by = sxy.y(v + 1);
            const double rect[8] = {ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny};
            mask.addPositivePolygon(rect, 4);
        }
        for (uint32_t v = v0; v < v1; ++v) {
            if (!finite(v)) continue;
            double ix = 0, iy = 0, ox = 0, oy = 0;
            // The segment ending at v (for a closed ring's first vertex, its last segment) and the one starting there.
            bool in = v > v0 ? direction(v - 1, ix, iy) : (closed && direction(v1 - 2, ix, iy));
            bool out = direction(v, ox, oy);
            if (closed && v == v1 - 1) continue;  // the first vertex again: its join is made there
            const double cx = sxy.x(v), cy = sxy.y(v);
            pts.assign({cx, cy});
            if (in && out) {
                const double cross = ix * oy - iy * ox, dot = ix * ox + iy * oy;
                const double turn = std::atan2(cross, dot);  // signed turning angle
                if (std::abs(turn) < 1e-6) continue;
                // The outer side is the one the path turns away from: its normals sweep the wedge.
                const double side = turn > 0 ? 1.0 : -1.0;
                appendJoin(pts, cx, cy, hw, side * iy, -side * ix, side * oy, -side * ox, cross, dot, steps);
            } else if (in || out) {
                // A free end: half a disc facing away from the segment.
                const double fx = in ? ix : -ox, fy = in ? iy : -oy;
                const double a0 = std::atan2(fy, fx) - 0.5 * kPi;
                pts.push_back(cx + hw * std::cos(a0));
                pts.push_back(cy + hw * std::sin(a0));
                appendArc(pts, cx, cy, hw, a0, kPi);
            } else {
                continue;
            }
            mask.addPositivePolygon(pts.data(), static_cast<int>(pts.size() / 2));
        }
    }
}

// The part's fill: outer ring counted positive, holes negative, whatever their stored orientation.
void addFill(CoverageMask& mask, const PixelVertices& sxy) {
    for (uint32_t r = 0; r < sxy.rings; ++r) {
        const uint32_t v0 = sxy.ringBegin(r), v1 = sxy.ringEnd(r);
        if (v1 < v0 + 3) continue;
        double area = 0;
        for (uint32_t i = v0, j = v1 - 1; i < v1; j = i++)
            area += sxy.x(j) * sxy.y(i) - sxy.x(i) * sxy.y(j);
        if (area == 0) continue;
        const bool forward = (area > 0) == (r == 0);
        for (uint32_t i = v0, j = v1 - 1; i < v1; j = i++) {
            if (forward) mask.addEdge(sxy.x(j), sxy.y(j), sxy.x(i), sxy.y(i));
            else mask.addEdge(sxy.x(i), sxy.y(i), sxy.x(j), sxy.y(j));
        }
    }
}

}  // namespace geo

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
// A stroke's outline may also meet at a join's mitre point instead of its arc where the mitre reaches at most
// kMitreTolerance past the arc: hw (1 / cos(turn / 2) - 1), so a turn whose cosine is at least `mitreDot`. For a
// 1 px stroke that is up to a right angle, 0.05 px^2 more than the round join's area (4 edges fewer a rectangle).
constexpr double kMitreTolerance = 0.21;
struct JoinSteps {
    double step, cos1, cos2, mitreDot;
    explicit JoinSteps(double hw)
        : step(arcStep(hw)), cos1(std::cos(step)), cos2(std::cos(std::min(2.0 * step, kPi))),
          mitreDot(2.0 / ((1.0 + kMitreTolerance / std::max(hw, 1e-9)) * (1.0 + kMitreTolerance / std::max(hw, 1e-9))) - 1.0) {}
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
// reaches back along its segments (0 elsewhere; infinite where the path folds straight back on this side).
void sideOffset(std::vector<double>& out, std::vector<double>& retreat, const std::vector<double>& p,
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
            if (dot >= steps.mitreDot) {  // the mitre point: close enough to the arc
                out.push_back(px + hw * (n0x + n1x) / (1.0 + dot));
                out.push_back(py + hw * (n0y + n1y) / (1.0 + dot));
                continue;
            }
            appendJoin(out, px, py, hw, n0x, n0y, n1x, n1y, cross, dot, steps);
        } else {  // the inner side: the offset lines meet
            if (1.0 + dot < 1e-6) {  // no mitre: a U-turn
                retreat[i] = INFINITY;
                out.push_back(px);
                out.push_back(py);
                continue;
            }
            out.push_back(px + hw * (n0x + n1x) / (1.0 + dot));
            out.push_back(py + hw * (n0y + n1y) / (1.0 + dot));
            retreat[i] = hw * std::abs(cross) / (1.0 + dot);
        }
    }
}

// Adds the closed polygon through `pts` (x, y pairs), forwards or backwards.
void addContour(CoverageMask& mask, const std::vector<double>& pts, bool forward) {
    const size_t n = pts.size() / 2;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        if (forward) mask.addEdge(pts[2 * j], pts[2 * j + 1], pts[2 * i], pts[2 * i + 1]);
        else mask.addEdge(pts[2 * i], pts[2 * i + 1], pts[2 * j], pts[2 * j + 1]);
    }
}

// The outer wedge of the join at (cx, cy) between unit directions (ix, iy) in and (ox, oy) out (a U-turn: half a
// disc), as a positive piece.
void addJoinWedge(CoverageMask& mask, std::vector<double>& pts, double cx, double cy, double ix, double iy, double ox,
                  double oy, double hw, const JoinSteps& steps) {
    const double cross = ix * oy - iy * ox, dot = ix * ox + iy * oy;
    if (std::abs(cross) < 1e-12 && dot > 0) return;  // straight on
    // The outer side is the one the path turns away from; a U-turn (cross +-0) turns as atan2 (in appendJoin) says.
    const double side = std::signbit(cross) ? -1.0 : 1.0;
    pts.assign({cx, cy});
    appendJoin(pts, cx, cy, hw, side * iy, -side * ix, side * oy, -side * ox, cross, dot, steps);
    mask.addPositivePolygon(pts.data(), static_cast<int>(pts.size() / 2));
}

// A ring's or line's stroke (points `p`, repeats removed) as the area between its two offsets (closed: the outer
// offset one way and the inner one the other; open: one contour, left side out, the end, right side back, the
// start), so no pixel counts twice. Open paths end in round caps, or flat (`butt`) where a piece of a path that was
// cut ends. Where an offset would fold over itself (a mitre reaching past its segment: a part narrower than the
// stroke, a hairpin), the path is cut at both joins of that segment into open pieces with flat ends, and each such
// join gets its outer wedge as a separate piece: there, and only there, the pieces' inner corners count twice.
constexpr size_t kMaxSimplified = 10000;

// The polyline (closed: back to its first point) without the points that stray less than `tolerance` from the
// line between the points kept around them (Douglas-Peucker), into `out`.
void simplifyPath(const std::vector<double>& p, bool closed, double tolerance, std::vector<double>& out) {
    const size_t m = p.size() / 2, n = closed ? m + 1 : m;
    auto X = [&](size_t i) { return p[2 * (i % m)]; };
    auto Y = [&](size_t i) { return p[2 * (i % m) + 1]; };
    std::vector<char> keep(n, 0);
    keep[0] = keep[n - 1] = 1;
    std::vector<std::pair<size_t, size_t>> stack{{0, n - 1}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        if (b <= a + 1) continue;
        const double dx = X(b) - X(a), dy = Y(b) - Y(a), len2 = dx * dx + dy * dy;
        size_t worst = a;
        double worstD = -1;
        for (size_t i = a + 1; i < b; ++i) {
            const double ex = X(i) - X(a), ey = Y(i) - Y(a);
            double d2;
            if (len2 <= 0) {
                d2 = ex * ex + ey * ey;
            } else {  // to the segment (a closed ring's chord from a point to itself has none)
                const double t = std::clamp((ex * dx + ey * dy) / len2, 0.0, 1.0);
                const double fx = ex - t * dx, fy = ey - t * dy;
                d2 = fx * fx + fy * fy;
            }
            if (d2 > worstD) worstD = d2, worst = i;
        }
        if (worstD > tolerance * tolerance) {
            keep[worst] = 1;
            stack.push_back({a, worst});
            stack.push_back({worst, b});
        }
    }
    out.clear();
    for (size_t i = 0; i < (closed ? m : n); ++i)
        if (keep[i]) out.insert(out.end(), {X(i), Y(i)});
}

//
// With `inner` (a closed ring): the outer offset goes to `mask` and the inner one to `inner`, both as positive pieces
// (the stroke is then mask minus inner, and inner what a fill shows inside the stroke); true when that was done.
// False when the ring was cut at a fold: its pieces went to `mask` alone, as without `inner`.
bool strokeByOffsets(CoverageMask& mask, StrokeScratch& scratch, const std::vector<double>& p, double hw,
                     const JoinSteps& steps, bool closedRing, bool buttStart, bool buttEnd, bool simplified = false,
                     CoverageMask* inner = nullptr) {
    const size_t m = p.size() / 2;
    if (m < 2 || (closedRing && m < 3)) return false;
    std::vector<double>& dirs = scratch.dirs;
    std::vector<double>& lengths = scratch.lengths;
    dirs.clear();
    lengths.clear();
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
    sideOffset(left, rl, p, dirs, closedRing, 1, hw, steps);
    sideOffset(right, rr, p, dirs, closedRing, -1, hw, steps);
    std::vector<size_t>& cuts = scratch.cuts;
    cuts.clear();
    for (size_t i = 0; i < segments; ++i) {
        const size_t j = (i + 1) % m;
        if (rl[i] + rl[j] > lengths[i] || rr[i] + rr[j] > lengths[i]) {
            if (closedRing || i > 0) cuts.push_back(i);
            if (closedRing || j + 1 < m) cuts.push_back(j);
        }
    }
    if (!cuts.empty() && !simplified && m <= kMaxSimplified) {
        // Folds come mostly from wiggles far smaller than a pixel (a detailed line seen from afar), where a stroke
        // cut into pieces would count their overlaps twice: first, the path without the wiggles under a tenth of
        // a pixel (half a sample of the GL backend's 5 x 5). Not for longer paths: Douglas-Peucker is quadratic at
        // worst (a spiral), and 10k points are at most a few milliseconds of it.
        std::vector<double> simple;
        simplifyPath(p, closedRing, 0.1, simple);
        if (simple.size() < p.size() && simple.size() / 2 >= (closedRing ? 3u : 2u)) {
            return strokeByOffsets(mask, scratch, simple, hw, steps, closedRing, buttStart, buttEnd, true, inner);
        }
    }
    if (!cuts.empty()) {
        // (Found in order, each fold's two joins, but for a closed ring's last segment, whose second join is the
        // first vertex: to the front. A path of many folds is thousands of cuts, and a large part is stroked once
        // a band.)
        if (cuts.size() > 1 && cuts.back() < cuts[cuts.size() - 2]) std::rotate(cuts.begin(), cuts.end() - 1, cuts.end());
        if (!std::is_sorted(cuts.begin(), cuts.end())) std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        // This call's scratch is reused by the pieces', so what it needs is copied first.
        const std::vector<double> whole = p, wholeDirs = dirs;
        const std::vector<size_t> at = cuts;
        std::vector<double> piece, wedge;
        for (size_t c : at) {  // the joins at the cuts
            const size_t in = (c + m - 1) % m;
            addJoinWedge(mask, wedge, whole[2 * c], whole[2 * c + 1], wholeDirs[2 * in], wholeDirs[2 * in + 1],
                         wholeDirs[2 * c], wholeDirs[2 * c + 1], hw, steps);
        }
        auto draw = [&](size_t from, size_t count, bool butt0, bool butt1) {  // vertex `from` and `count` after it
            piece.clear();
            for (size_t k = 0; k <= count; ++k) {
                piece.push_back(whole[2 * ((from + k) % m)]);
                piece.push_back(whole[2 * ((from + k) % m) + 1]);
            }
            strokeByOffsets(mask, scratch, piece, hw, steps, false, butt0, butt1, true);
        };
        if (closedRing) {
            for (size_t k = 0; k < at.size(); ++k)
                draw(at[k], at.size() == 1 ? m : (at[(k + 1) % at.size()] + m - at[k]) % m, true, true);
        } else {
            size_t from = 0;
            for (size_t c : at) {
                draw(from, c - from, from == 0 ? buttStart : true, true);
                from = c;
            }
            draw(from, m - 1 - from, true, buttEnd);
        }
        return false;
    }
    if (closedRing && inner) {
        // The outer offset is the one enclosing more area (the inner one runs inside the ring, hw from it).
        auto area = [](const std::vector<double>& c) {
            double a = 0;
            for (size_t i = 0, n = c.size() / 2, j = n - 1; i < n; j = i++) a += c[2 * j] * c[2 * i + 1] - c[2 * i] * c[2 * j + 1];
            return std::abs(a);
        };
        const bool leftOut = area(left) >= area(right);
        const std::vector<double>& out = leftOut ? left : right;
        const std::vector<double>& in = leftOut ? right : left;
        mask.addPositivePolygon(out.data(), static_cast<int>(out.size() / 2));
        inner->addPositivePolygon(in.data(), static_cast<int>(in.size() / 2));
        return true;
    }
    if (closedRing) {
        // Left side backwards, right side forwards: the band comes out with the sign of addPositivePolygon's pieces,
        // whichever way the ring runs, so a ring drawn this way and one drawn as capsules add up in one mask.
        addContour(mask, left, false);
        addContour(mask, right, true);
        return false;
    }
    // Open: left side, the end (a cap turning clockwise through the direction of travel), right side back, the start.
    std::vector<double>& contour = left;
    const double ex = p[2 * (m - 1)], ey = p[2 * (m - 1) + 1];
    const double ea = std::atan2(dirs[2 * (m - 2)], -dirs[2 * (m - 2) + 1]);  // the left normal's angle
    if (!buttEnd) appendArc(contour, ex, ey, hw, ea, -kPi);
    for (size_t i = right.size() / 2; i-- > 0;) {  // every point of it: its round joins add points
        contour.push_back(right[2 * i]);
        contour.push_back(right[2 * i + 1]);
    }
    const double sa = std::atan2(-dirs[0], dirs[1]);  // the right normal's angle at the start
    if (!buttStart) appendArc(contour, p[0], p[1], hw, sa, -kPi);
    addContour(mask, contour, false);  // the same sign as addPositivePolygon's pieces (see above)
    return false;
}

// The ring's or line's points without repeats (nor a closed ring's closing one) into scratch.p, and its stroke.
// A path that goes back along itself (a spike out and back, common where polygons were stitched from lines) is
// drawn once along there: the retraced points are taken out of the path and their chain drawn on its own, as an
// open path (the two would otherwise add up to twice the coverage at the stroke's edges).
// False when a vertex is not finite or too few points are left: the caller draws its finite segments as capsules.
// With `inner`, `split` tells whether the ring's offsets went to `mask` and `inner` apart (strokeByOffsets).
bool addStrokeByOffsets(CoverageMask& mask, StrokeScratch& scratch, const PixelVertices& sxy, uint32_t v0, uint32_t v1,
                        double hw, const JoinSteps& steps, bool closedRing, CoverageMask* inner = nullptr,
                        bool* split = nullptr) {
    std::vector<double>& p = scratch.p;
    std::vector<double>& spikes = scratch.spikes;  // chains of retraced points, apex first
    std::vector<size_t>& spikeEnds = scratch.spikeEnds;
    p.clear();
    spikes.clear();
    spikeEnds.clear();
    auto same = [](double ax, double ay, double bx, double by) {
        return std::abs(ax - bx) < 1e-9 && std::abs(ay - by) < 1e-9;
    };
    bool chainOpen = false;
    auto endChain = [&] {
        if (chainOpen) spikeEnds.push_back(spikes.size());
        chainOpen = false;
    };
    auto push = [&](double x, double y) {
        const size_t n = p.size() / 2;
        if (n && same(p[2 * n - 2], p[2 * n - 1], x, y)) return;
        if (n >= 2 && same(p[2 * n - 4], p[2 * n - 3], x, y)) {  // back along the last segment
            if (!chainOpen) spikes.insert(spikes.end(), {p[2 * n - 2], p[2 * n - 1]});
            chainOpen = true;
            spikes.insert(spikes.end(), {x, y});
            p.resize(p.size() - 2);  // the path is at (x, y) again
            return;
        }
        endChain();
        p.push_back(x);
        p.push_back(y);
    };
    for (uint32_t v = v0; v < v1; ++v) {
        const double x = sxy.x(v), y = sxy.y(v);
        if (!std::isfinite(x) || !std::isfinite(y)) return false;
        push(x, y);
    }
    if (closedRing && p.size() >= 2) {
        push(p[0], p[1]);  // closed (a repeat when the ring stores its closing point)
        endChain();
        // A spike at the ring's first point: the ring starts and ends going along it.
        while (p.size() >= 8 && same(p[2], p[3], p[p.size() - 4], p[p.size() - 3])) {
            if (!chainOpen) spikes.insert(spikes.end(), {p[0], p[1]});
            chainOpen = true;
            spikes.insert(spikes.end(), {p[2], p[3]});
            p.erase(p.begin(), p.begin() + 2);
            p.resize(p.size() - 2);
        }
        endChain();
        p.resize(p.size() - 2);  // the closing point
    }
    endChain();
    const size_t m = p.size() / 2;
    if (m < (closedRing ? 3u : 2u) && spikeEnds.empty()) return false;
    if (m >= (closedRing ? 3u : 2u)) {
        const bool apart = strokeByOffsets(mask, scratch, p, hw, steps, closedRing, false, false, false,
                                           closedRing ? inner : nullptr);
        if (split) *split = apart;
    }
    std::vector<double>& chain = scratch.chain;
    for (size_t k = 0, from = 0; k < spikeEnds.size(); from = spikeEnds[k++]) {
        chain.assign(spikes.begin() + std::ptrdiff_t(from), spikes.begin() + std::ptrdiff_t(spikeEnds[k]));
        strokeByOffsets(mask, scratch, chain, hw, steps, false, false, false);
    }
    return true;
}

}  // namespace

// The union of capsules `halfWidth` around every finite segment of the part's rings: between the rings' offsets
// (addStrokeByOffsets: retraced spikes drawn once, sub-pixel wiggles simplified away, and the path cut at the
// folds that remain), or, for a ring with a vertex that did not transform, as positive pieces: a rectangle per
// finite segment, the outer wedge of every join (a pie slice), half a disc at every free end (a join's inner corner
// then counts twice).
void addOutline(CoverageMask& mask, StrokeScratch& scratch, const PixelVertices& sxy, double hw,
                CoverageMask* fillInside) {
    std::vector<double>& pts = scratch.pts;
    // (Made once for a width: an output's parts share one, and its trigonometry costs more than a small part.)
    thread_local double stepsFor = -1.0;
    thread_local JoinSteps steps(1.0);
    if (hw != stepsFor) {
        steps = JoinSteps(hw);
        stepsFor = hw;
    }
    bool apart = fillInside && sxy.rings == 1;  // the ring's offsets to mask and fillInside apart so far
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
        bool split = false;
        if (addStrokeByOffsets(mask, scratch, sxy, v0, v1, hw, steps, closed, apart ? fillInside : nullptr, &split)) {
            apart = apart && split;
            continue;
        }
        apart = false;
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
    if (fillInside && !apart) {  // mask holds the band: the fill goes to both
        addFill(mask, sxy);
        addFill(*fillInside, sxy);
    }
}

}  // namespace geo

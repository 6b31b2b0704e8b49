// The fill side of part_shapes.hpp: the simple-ring check and the fill's edges.
#include <algorithm>
#include <cmath>

#include "paint/part_shapes.hpp"

namespace geo {

// The part's fill: outer ring counted positive, holes negative, whatever their stored orientation.
namespace {
double cross(double ax, double ay, double bx, double by, double cx, double cy) {
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}
// Closed segments pq and rs share a point (crossing, touching or overlapping).
bool segmentsMeet(const double* p, const double* q, const double* r, const double* s) {
    const double d1 = cross(r[0], r[1], s[0], s[1], p[0], p[1]), d2 = cross(r[0], r[1], s[0], s[1], q[0], q[1]);
    const double d3 = cross(p[0], p[1], q[0], q[1], r[0], r[1]), d4 = cross(p[0], p[1], q[0], q[1], s[0], s[1]);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    auto within = [](const double* a, const double* b, const double* c) {  // c on segment ab, given collinear
        return std::min(a[0], b[0]) <= c[0] && c[0] <= std::max(a[0], b[0]) && std::min(a[1], b[1]) <= c[1] &&
               c[1] <= std::max(a[1], b[1]);
    };
    return (d1 == 0 && within(r, s, p)) || (d2 == 0 && within(r, s, q)) || (d3 == 0 && within(p, q, r)) ||
           (d4 == 0 && within(p, q, s));
}
}  // namespace

// A ring (m >= 3 points, no repeats) that turns the same way at every vertex, strictly, and round once: convex, so
// simple. Round once: its edges' x components change sign twice going round (k times round: 2k times).
bool convexRing(const double* pts, size_t m) {
    int turns = 0, signChanges = 0, lastSign = 0, firstSign = 0;
    for (size_t i = 0; i < m; ++i) {
        const size_t j = (i + 1) % m, k = (i + 2) % m;
        const double ax = pts[2 * j] - pts[2 * i], ay = pts[2 * j + 1] - pts[2 * i + 1];
        const double bx = pts[2 * k] - pts[2 * j], by = pts[2 * k + 1] - pts[2 * j + 1];
        const double c = ax * by - ay * bx;
        const int turn = c > 0 ? 1 : c < 0 ? -1 : 0;
        if (turn == 0 || (turns && turn != turns)) return false;
        turns = turn;
        const int sign = ax > 0 ? 1 : ax < 0 ? -1 : 0;
        if (sign == 0) continue;
        if (!firstSign) firstSign = sign;
        if (lastSign && sign != lastSign) ++signChanges;
        lastSign = sign;
    }
    if (lastSign && firstSign && lastSign != firstSign) ++signChanges;  // round the closing vertex
    return signChanges == 2;
}

bool ringsAreSimple(const PixelVertices& sxy) {
    double pts[2 * kSimpleRingCheck];
    for (uint32_t r = 0; r < sxy.rings; ++r) {
        const uint32_t v0 = sxy.ringBegin(r), v1 = sxy.ringEnd(r);
        if (v1 - v0 > kSimpleRingCheck) return false;
        // The ring without repeated points (nor its closing one).
        size_t n = 0;
        for (uint32_t v = v0; v < v1; ++v) {
            const double x = sxy.x(v), y = sxy.y(v);
            if (!(std::abs(x) <= 1e12 && std::abs(y) <= 1e12)) return false;  // NaN too
            if (n && pts[n - 2] == x && pts[n - 1] == y) continue;
            pts[n++] = x;
            pts[n++] = y;
        }
        while (n > 2 && pts[0] == pts[n - 2] && pts[1] == pts[n - 1]) n -= 2;
        const size_t m = n / 2;
        if (m < 3) continue;
        if (convexRing(pts, m)) continue;
        for (size_t i = 0; i < m; ++i)
            for (size_t j = i + 2; j < m; ++j) {
                if (i == 0 && j == m - 1) continue;  // neighbours across the ring's closing vertex
                if (segmentsMeet(&pts[2 * i], &pts[2 * ((i + 1) % m)], &pts[2 * j], &pts[2 * ((j + 1) % m)]))
                    return false;
            }
    }
    return true;
}

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

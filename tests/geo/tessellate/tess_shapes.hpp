#pragma once
// Polygon fixtures for the tessellator's tests and its benchmark (tests/bench/bench_tessellate.cpp): generated,
// deterministic, and simple (non-self-intersecting) by construction unless the name says otherwise.
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "store/feature_table.hpp"

namespace tess_shapes {

using Ring = std::vector<std::pair<double, double>>;
using Polygon = std::vector<Ring>;  // shell first, then holes

inline geo::FeatureTable tableOf(const std::vector<Polygon>& parts) {
    geo::FeatureTable t;
    t.beginFeature(1, geo::GeomKind::Polygon);
    for (const Polygon& poly : parts) {
        for (const Ring& r : poly) {
            for (auto [x, y] : r) t.addVertex(x, y);
            t.endRing();
        }
        t.endPart();
    }
    t.endFeature();
    return t;
}

inline double ringArea(const Ring& r) {
    double a = 0;
    if (r.empty()) return 0;
    const double ox = r[0].first, oy = r[0].second;
    for (size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
        a += (r[j].first - ox) * (r[i].second - oy) - (r[i].first - ox) * (r[j].second - oy);
    return std::abs(a) / 2;
}

inline double polygonArea(const Polygon& p) {
    double a = p.empty() ? 0 : ringArea(p[0]);
    for (size_t i = 1; i < p.size(); ++i) a -= ringArea(p[i]);
    return a;
}

inline size_t vertexCount(const Polygon& p) {
    size_t n = 0;
    for (const Ring& r : p) n += r.size();
    return n;
}

// A circle of n vertices (convex).
inline Ring circle(size_t n, double cx = 0, double cy = 0, double radius = 1, bool clockwise = false) {
    Ring r;
    r.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const double a = 2 * M_PI * static_cast<double>(i) / static_cast<double>(n) * (clockwise ? -1 : 1);
        r.push_back({cx + radius * std::cos(a), cy + radius * std::sin(a)});
    }
    return r;
}

// A star-shaped ring of n vertices whose radius wanders with detail at every scale, like a coastline: octaves of
// random sines whose amplitude falls with their wavelength, plus jitter of the order of the vertex spacing. Many
// reflex vertices, no overhangs; simple because the angle only increases.
inline Ring noisyStar(size_t n, uint32_t seed = 1, double radius = 1000) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    constexpr int kOctaves = 16;
    double phase[kOctaves], amp[kOctaves];
    for (int k = 0; k < kOctaves; ++k) {
        phase[k] = 2 * M_PI * u(rng);
        amp[k] = 0.2 * std::pow(2.0, -0.75 * (k + 1));  // coastline-like roughness: amplitude ~ wavelength^0.75
    }
    const double spacing = 2 * M_PI / static_cast<double>(n);
    Ring r;
    r.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const double a = spacing * static_cast<double>(i);
        double f = 1;
        for (int k = 0; k < kOctaves; ++k) {
            const double freq = static_cast<double>(2 << k);
            if (freq * 4 > static_cast<double>(n)) break;  // finer than the vertices can show
            f += amp[k] * std::sin(freq * a + phase[k]);
        }
        f += 2 * spacing * (u(rng) - 0.5);
        r.push_back({radius * f * std::cos(a), radius * f * std::sin(a)});
    }
    return r;
}

// The quadratic Koch island (Minkowski sausage) at `level`: 4 * 8^level vertices on a grid, a simple fractal ring
// with nested bays and long collinear runs, the closest generated stand-in for a coastline (level 6: 1048576).
inline Ring kochIsland(int level, double size = 1000) {
    Ring r = {{0, 0}, {size, 0}, {size, size}, {0, size}};
    for (int l = 0; l < level; ++l) {
        Ring next;
        next.reserve(r.size() * 8);
        for (size_t i = 0; i < r.size(); ++i) {
            auto [px, py] = r[i];
            auto [qx, qy] = r[(i + 1) % r.size()];
            const double dx = (qx - px) / 4, dy = (qy - py) / 4, nx = -dy, ny = dx;
            const double steps[8][2] = {{1, 0}, {1, 1}, {2, 1}, {2, 0}, {2, -1}, {3, -1}, {3, 0}, {4, 0}};
            next.push_back({px, py});
            for (int s = 0; s < 7; ++s)
                next.push_back({px + steps[s][0] * dx + steps[s][1] * nx, py + steps[s][0] * dy + steps[s][1] * ny});
        }
        r = std::move(next);
    }
    return r;
}

// A comb: a spine along the bottom and `teeth` tall teeth (every tooth's sides are long reflex-heavy runs).
inline Ring comb(size_t teeth, double toothHeight = 100) {
    Ring r = {{0, 0}, {static_cast<double>(2 * teeth), 0}};
    for (size_t t = teeth; t-- > 0;) {
        const double x = static_cast<double>(2 * t);
        r.push_back({x + 1, 1 + toothHeight});
        r.push_back({x, 1 + toothHeight});
        if (t > 0) {
            r.push_back({x, 1});
            r.push_back({x - 1, 1});
        }
    }
    return r;
}

// A thick spiral of `turns` turns with `perTurn` vertices per turn on each side.
inline Ring spiral(double turns, size_t perTurn) {
    const size_t n = static_cast<size_t>(turns * static_cast<double>(perTurn));
    Ring outer, inner;
    for (size_t i = 0; i <= n; ++i) {
        const double a = 2 * M_PI * static_cast<double>(i) / static_cast<double>(perTurn);
        const double rad = 10 + 10 * a / (2 * M_PI);
        outer.push_back({(rad + 4) * std::cos(a), (rad + 4) * std::sin(a)});
        inner.push_back({rad * std::cos(a), rad * std::sin(a)});
    }
    Ring r(outer.begin(), outer.end());
    r.insert(r.end(), inner.rbegin(), inner.rend());
    return r;
}

// A square shell of side `cols` x `rows` units with one small square hole (side 0.5) per unit cell.
inline Polygon gridOfHoles(size_t cols, size_t rows) {
    Polygon p;
    const double w = static_cast<double>(cols), h = static_cast<double>(rows);
    p.push_back({{0, 0}, {w, 0}, {w, h}, {0, h}});
    for (size_t j = 0; j < rows; ++j)
        for (size_t i = 0; i < cols; ++i) {
            const double x = static_cast<double>(i) + 0.25, y = static_cast<double>(j) + 0.25;
            p.push_back({{x, y}, {x + 0.5, y}, {x + 0.5, y + 0.5}, {x, y + 0.5}});
        }
    return p;
}

// A noisy star shell of `shellVertices` with `holes` round holes of `holeVertices` each, on a grid inside it:
// the same shape at any size, for the scaling benchmark.
inline Polygon starWithHoles(size_t shellVertices, size_t holes, size_t holeVertices) {
    Polygon p = {noisyStar(shellVertices, 7, 1000)};
    const size_t side = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(holes))));
    const double cell = 600.0 / static_cast<double>(side);  // holes within 425 of the centre: inside the star
    for (size_t k = 0; k < holes; ++k) {
        const double cx = -300 + cell * (static_cast<double>(k % side) + 0.5);
        const double cy = -300 + cell * (static_cast<double>(k / side) + 0.5);
        p.push_back(circle(holeVertices, cx, cy, cell * 0.3, true));
    }
    return p;
}

}  // namespace tess_shapes

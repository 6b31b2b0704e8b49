#include "paint/vector_paint.hpp"

#include <algorithm>
#include <functional>
#include <cmath>

#include "paint/coverage.hpp"

namespace geo {

// Working types of the painter (in PaintScratch, so not in the anonymous namespace).
struct PartBox {
    uint32_t part, feature;
    float minX, minY, maxX, maxY;  // pixels
    bool finite;
    bool polygon;
    uint32_t v0, vertices, r0, rings;  // its vertices and rings in the table
    size_t pixels = 0;                 // where its vertices start in the pixel buffer (x, y pairs)
    size_t ringsAt = 0;                // where its ring ends (relative to v0) start in the ring buffer
};

// Reused between parts (no allocation per part).
struct StrokeScratch {
    std::vector<double> p, dirs, lengths, left, right, rl, rr, pts;
};

namespace {

constexpr double kPi = 3.14159265358979323846;
// How far a round join's or cap's chords may fall inside its arc, in pixels.
constexpr double kArcTolerance = 0.05;

// A premultiplied colour in 0..255 floats.
struct Paint {
    float r = 0, g = 0, b = 0, a = 0;
};
Paint premultiplied(Rgba c, float alphaScale = 1.0f) {
    const float a = c.a / 255.0f * alphaScale;
    return {c.r * a, c.g * a, c.b * a, a * 255.0f};
}

// Source over, with the source scaled by coverage.
void blendRun(PaintImage& image, int y, int x, int n, const float* coverage, const Paint& p) {
    if (p.a <= 0) return;
    uint8_t* px = &image.rgba[(size_t(y) * size_t(image.width) + size_t(x)) * 4];
    const float alpha = p.a / 255.0f;
    const bool opaque = p.a >= 255.0f;
    const uint8_t solid[4] = {static_cast<uint8_t>(p.r + 0.5f), static_cast<uint8_t>(p.g + 0.5f),
                              static_cast<uint8_t>(p.b + 0.5f), 255};
    for (int i = 0; i < n; ++i, px += 4) {
        const float c = coverage[i];
        if (c <= 0.0f) continue;
        if (opaque && c >= 1.0f) {
            std::copy_n(solid, 4, px);
            continue;
        }
        const float keep = 1.0f - alpha * c;
        px[0] = static_cast<uint8_t>(p.r * c + px[0] * keep + 0.5f);
        px[1] = static_cast<uint8_t>(p.g * c + px[1] * keep + 0.5f);
        px[2] = static_cast<uint8_t>(p.b * c + px[2] * keep + 0.5f);
        px[3] = static_cast<uint8_t>(p.a * c + px[3] * keep + 0.5f);
    }
}


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

// The arc around (cx, cy) of radius r from angle a0 turning by `turn` (signed), as points after the first.
// The largest angle one chord of an arc of radius r may span.
double arcStep(double r) { return std::max(1e-3, 2.0 * std::acos(std::max(-1.0, 1.0 - kArcTolerance / std::max(r, 1e-9)))); }

void appendArc(std::vector<double>& pts, double cx, double cy, double r, double a0, double turn) {
    const double maxStep = arcStep(r);
    const int steps = std::clamp(static_cast<int>(std::ceil(std::abs(turn) / maxStep)), 1, 64);
    for (int i = 1; i <= steps; ++i) {
        const double a = a0 + turn * i / steps;
        pts.push_back(cx + r * std::cos(a));
        pts.push_back(cy + r * std::sin(a));
    }
}

// The offset of a polyline (m points, `dirs` the unit directions of its segments, cyclic when closed) by hw on side
// s (+1: left of the direction, -1: right), appended to `out`: round joins where the path turns away from that side,
// the offset lines' intersection (mitre) where it turns towards it. `retreat` gets, per vertex, how far a mitre
// reaches back along its segments (0 elsewhere). False when a mitre would be unbounded (the path folds back).
bool sideOffset(std::vector<double>& out, std::vector<double>& retreat, const std::vector<double>& p,
                const std::vector<double>& dirs, bool closed, int s, double hw, double joinStep) {
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
        const double turn = std::atan2(cross, dot);
        if (s * turn < 0) {  // the outer side of this join: round
            out.push_back(px + hw * n0x);
            out.push_back(py + hw * n0y);
            if (std::abs(turn) <= 2.0 * joinStep) {
                if (std::abs(turn) > joinStep) {
                    const double mx = n0x + n1x, my = n0y + n1y, len = std::hypot(mx, my);
                    out.push_back(px + hw * mx / len);
                    out.push_back(py + hw * my / len);
                }
                out.push_back(px + hw * n1x);
                out.push_back(py + hw * n1y);
            } else {
                appendArc(out, px, py, hw, std::atan2(n0y, n0x), turn);
            }
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
                        double joinStep, bool closedRing) {
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
        const double dx = p[2 * j] - p[2 * i], dy = p[2 * j + 1] - p[2 * i + 1], len = std::hypot(dx, dy);
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
    if (!sideOffset(left, rl, p, dirs, closedRing, 1, hw, joinStep) ||
        !sideOffset(right, rr, p, dirs, closedRing, -1, hw, joinStep))
        return false;
    for (size_t i = 0; i < segments; ++i) {
        const size_t j = (i + 1) % m;
        if (rl[i] + rl[j] > lengths[i] || rr[i] + rr[j] > lengths[i]) return false;
    }
    if (closedRing) {
        addContour(mask, left, true);
        addContour(mask, right, false);
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
    addContour(mask, contour, true);
    return true;
}

// The union of capsules `halfWidth` around every finite segment of the part's rings: between the rings' offsets
// where they are well formed (addStrokeByOffsets), else as positive pieces: a rectangle per segment, the outer
// wedge of every join (a pie slice), half a disc at every free end (a join's inner corner then counts twice).
void addOutline(CoverageMask& mask, StrokeScratch& scratch, const PixelVertices& sxy,
                double hw) {
    std::vector<double>& pts = scratch.pts;
    const double joinStep = arcStep(hw);
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
        if (addStrokeByOffsets(mask, scratch, sxy, v0, v1, hw, joinStep, closed)) continue;
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
                const double n0x = side * iy, n0y = -side * ix, n1x = side * oy, n1y = -side * ox;
                pts.push_back(cx + hw * n0x);
                pts.push_back(cy + hw * n0y);
                if (std::abs(turn) <= 2.0 * joinStep) {
                    // One or two chords (the common case: no trigonometry).
                    if (std::abs(turn) > joinStep) {
                        const double mx = n0x + n1x, my = n0y + n1y, len = std::hypot(mx, my);
                        pts.push_back(cx + hw * mx / len);
                        pts.push_back(cy + hw * my / len);
                    }
                    pts.push_back(cx + hw * n1x);
                    pts.push_back(cy + hw * n1y);
                } else {
                    appendArc(pts, cx, cy, hw, std::atan2(n0y, n0x), turn);
                }
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

// The mask's window for a pixel box grown by `pad`, clipped to the image; false when nothing is left.
bool beginWindow(CoverageMask& mask, const PaintImage& image, const PartBox& b, double pad) {
    // Clamped before the casts: a part's box may reach far past the image.
    const int x0 = static_cast<int>(std::max(0.0, std::floor(b.minX - pad)));
    const int y0 = static_cast<int>(std::max(0.0, std::floor(b.minY - pad)));
    const int x1 = static_cast<int>(std::min(double(image.width), std::ceil(b.maxX + pad)));
    const int y1 = static_cast<int>(std::min(double(image.height), std::ceil(b.maxY + pad)));
    if (x1 <= x0 || y1 <= y0) return false;
    mask.begin(x0, y0, x1 - x0, y1 - y0);
    return true;
}

// An axis-aligned square's exact coverage, composited.
void paintDot(PaintImage& image, double cx, double cy, double side, const Paint& p) {
    const double h = 0.5 * side;
    const double x0 = cx - h, x1 = cx + h, y0 = cy - h, y1 = cy + h;
    const int ix0 = std::max(0, static_cast<int>(std::floor(x0))), ix1 = std::min(image.width, static_cast<int>(std::ceil(x1)));
    const int iy0 = std::max(0, static_cast<int>(std::floor(y0))), iy1 = std::min(image.height, static_cast<int>(std::ceil(y1)));
    if (ix1 <= ix0 || iy1 <= iy0) return;
    float row[8];
    const int n = ix1 - ix0;
    if (n > 8) return;  // dots are at most a few pixels wide
    for (int y = iy0; y < iy1; ++y) {
        const double cyv = std::min(y1, y + 1.0) - std::max(y0, double(y));
        for (int x = ix0; x < ix1; ++x)
            row[x - ix0] = static_cast<float>(cyv * (std::min(x1, x + 1.0) - std::max(x0, double(x))));
        blendRun(image, y, ix0, n, row, p);
    }
}

}  // namespace

struct PaintScratch {
    std::vector<PartBox> big, small, sorted;
    std::vector<std::pair<uint32_t, uint32_t>> keys;
    std::vector<uint32_t> order;
    std::vector<double> pixels;
    std::vector<uint32_t> ringEnds;
    CoverageMask mask;
    StrokeScratch stroke;
};

PaintScratchPtr makePaintScratch() { return PaintScratchPtr(new PaintScratch); }
void PaintScratchDeleter::operator()(PaintScratch* p) const { delete p; }

void PaintImage::reset(int w, int h) {
    width = w;
    height = h;
    rgba.assign(size_t(w) * size_t(h) * 4, 0);
}

bool canPaint(const Style& style, const FeatureTable& table) {
    if (hasPerFeatureSymbology(style)) return false;
    return std::none_of(table.kinds.begin(), table.kinds.end(), [](GeomKind k) { return k == GeomKind::Point; });
}

void paintVectorLayer(PaintImage& image, const View& view, const FeatureTable& t, const double* xy,
                      const Style& style, const PaintOptions& options) {
    if (!style.fillEnabled && !style.strokeEnabled) return;
    const float widthPx = style.strokeWidth * options.pixelRatio;
    const bool strokes = style.strokeEnabled && widthPx > 0;
    const double hw = 0.5 * widthPx;
    const double pad = std::max<double>(strokes ? hw + 1.0 : 1.0, options.dotPixels);
    PaintScratch own;
    PaintScratch& scratch = options.scratch ? *options.scratch : own;
    std::vector<PartBox>& big = scratch.big;
    std::vector<PartBox>& small = scratch.small;
    big.clear();
    small.clear();
    bool polygons = false;
    for (size_t f = 0; f < t.featureCount(); ++f) {
        const GeomKind k = t.kinds[f];
        if (k != GeomKind::Polygon && k != GeomKind::Line) continue;
        polygons |= k == GeomKind::Polygon;
        for (uint32_t part = t.partBegin(f); part < t.partEnd(f); ++part) {
            const uint32_t r0 = t.ringBegin(part), r1 = t.ringEnd(part);
            const uint32_t v0 = t.vertexBegin(r0), v1 = t.vertexEnd(r1 - 1);
            PartBox b{part, static_cast<uint32_t>(f), INFINITY, INFINITY, -INFINITY, -INFINITY, true,
                      k == GeomKind::Polygon, v0, v1 - v0, r0, r1 - r0};
            double minX = INFINITY, minY = INFINITY, maxX = -INFINITY, maxY = -INFINITY;
            for (uint32_t v = v0; v < v1; ++v) {
                const double x = xy[2 * v], y = xy[2 * v + 1];
                if (!std::isfinite(x) || !std::isfinite(y)) {
                    b.finite = false;
                    continue;
                }
                minX = std::min(minX, x);
                maxX = std::max(maxX, x);
                minY = std::min(minY, y);
                maxY = std::max(maxY, y);
            }
            if (minX > maxX) continue;
            // Pixels (y down); far-away parts are culled before float precision matters.
            // As floats (clamped first: a float cannot hold every finite double).
            auto f = [](double v) { return static_cast<float>(std::clamp(v, -1e30, 1e30)); };
            b.minX = f(view.worldToScreenX(minX));
            b.maxX = f(view.worldToScreenX(maxX));
            b.minY = f(view.worldToScreenY(maxY));
            b.maxY = f(view.worldToScreenY(minY));
            if (b.maxX < -pad || b.minX > image.width + pad || b.maxY < -pad || b.minY > image.height + pad) continue;
            (std::max(b.maxX - b.minX, b.maxY - b.minY) >= options.dotPixels ? big : small).push_back(b);
        }
    }
    // Parts in Z order of their position (blocks of 8 pixels), not the table's: consecutive parts then blend into
    // the same cache lines of the image, which for a million small parts is most of the time painting takes.
    // Overlapping parts of different colours stack in this order (the GL layers stack them in their cells' Z order).
    auto zOrder = [&](std::vector<PartBox>& parts) {
        auto spread = [](uint32_t v) {
            v &= 0xFFFF;
            v = (v | (v << 8)) & 0x00FF00FF;
            v = (v | (v << 4)) & 0x0F0F0F0F;
            v = (v | (v << 2)) & 0x33333333;
            v = (v | (v << 1)) & 0x55555555;
            return v;
        };
        std::vector<std::pair<uint32_t, uint32_t>>& keys = scratch.keys;
        keys.resize(parts.size());
        for (size_t i = 0; i < parts.size(); ++i) {
            const PartBox& b = parts[i];
            const auto cell = [](float v) { return static_cast<uint32_t>(std::clamp(v / 8.0f + 16.0f, 0.0f, 65535.0f)); };
            keys[i] = {spread(cell(0.5f * (b.minX + b.maxX))) | (spread(cell(0.5f * (b.minY + b.maxY))) << 1),
                       static_cast<uint32_t>(i)};
        }
        std::sort(keys.begin(), keys.end());
        std::vector<uint32_t>& order = scratch.order;
        order.resize(parts.size());
        for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].second;
        return std::cref(order);
    };
    // The big parts' vertices in pixels, laid out in Z order so both passes read them in sequence; filled in table
    // order, so the world coordinates are read in sequence too.
    std::vector<double>& pixels = scratch.pixels;
    {
        const std::vector<uint32_t>& order = zOrder(big);
        std::vector<PartBox>& sorted = scratch.sorted;
        sorted.resize(big.size());
        size_t at = 0, ringsAt = 0;
        for (size_t k = 0; k < order.size(); ++k) {
            PartBox& b = big[order[k]];
            b.pixels = at;
            b.ringsAt = ringsAt;
            at += 2 * size_t(b.vertices);
            ringsAt += b.rings;
            sorted[k] = b;
        }
        pixels.resize(at);
        scratch.ringEnds.resize(ringsAt);
        for (const PartBox& b : big) {  // table order
            double* out = &pixels[b.pixels];
            for (uint32_t v = b.v0; v < b.v0 + b.vertices; ++v) {
                *out++ = view.worldToScreenX(xy[2 * v]);
                *out++ = view.worldToScreenY(xy[2 * v + 1]);
            }
            for (uint32_t r = 0; r < b.rings; ++r) scratch.ringEnds[b.ringsAt + r] = t.vertexEnd(b.r0 + r) - b.v0;
        }
        std::swap(big, sorted);
        const std::vector<uint32_t>& dots = zOrder(small);
        std::vector<PartBox>& sortedDots = scratch.sorted;
        sortedDots.resize(small.size());
        for (size_t k = 0; k < dots.size(); ++k) sortedDots[k] = small[dots[k]];
        std::swap(small, sortedDots);
    }
    auto verticesOf = [&](const PartBox& b) {
        return PixelVertices{pixels.data() + b.pixels, scratch.ringEnds.data() + b.ringsAt, b.rings};
    };
    const FeaturePaint fp = featurePaint(style, t, options.spotlight);
    // Per-feature fills are tinted by the fill's alpha once more, as the GL layers draw them (geo::featurePaint).
    const float fillTint = fp.perFeatureFill ? style.fill.a / 255.0f : 1.0f;
    auto fillPaint = [&](uint32_t f) {
        return fp.perFeatureFill ? premultiplied(fp.fill[f], fillTint) : premultiplied(style.fill);
    };
    CoverageMask& mask = scratch.mask;
    if (style.fillEnabled) {
        for (const PartBox& b : big) {
            if (!b.finite || !b.polygon || !beginWindow(mask, image, b, 1.0)) continue;
            addFill(mask, verticesOf(b));
            const Paint p = fillPaint(b.feature);
            mask.sweep([&](int y, int x, int len, const float* c) { blendRun(image, y, x, len, c, p); });
        }
    }
    if (strokes) {
        const Paint constant = premultiplied(style.stroke);
        for (const PartBox& b : big) {
            if (!beginWindow(mask, image, b, hw + 1.0)) continue;
            addOutline(mask, scratch.stroke, verticesOf(b), hw);
            const Paint p = fp.perFeatureStroke ? premultiplied(fp.stroke[b.feature]) : constant;
            mask.sweep([&](int y, int x, int len, const float* c) { blendRun(image, y, x, len, c, p); });
        }
    }
    // Dots: the fill colour when the layer has polygons to fill, else the stroke's (constant, as the GL dots).
    const bool useFill = style.fillEnabled && polygons;
    const Paint strokeDot = premultiplied(style.stroke);
    for (const PartBox& b : small) {
        const double size = std::max(b.maxX - b.minX, b.maxY - b.minY);
        const double fade = std::clamp(size / options.minDotPixels, 0.25, 1.0);
        Paint p = useFill ? fillPaint(b.feature) : strokeDot;
        p.r *= float(fade);
        p.g *= float(fade);
        p.b *= float(fade);
        p.a *= float(fade);
        paintDot(image, 0.5 * (b.minX + b.maxX), 0.5 * (b.minY + b.maxY), std::max<double>(size, options.minDotPixels), p);
    }
}

}  // namespace geo

#include "paint/vector_paint.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>

#include "paint/coverage.hpp"
#include "paint/paint_parts.hpp"
#include "paint/part_shapes.hpp"

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
    uint32_t order = 0;                // drawing order: the Z-order code of its centre's 8-pixel block
    bool shared = false;               // in the pass's shared mask
    int8_t simple = -1;                // ringsAreSimple (-1: not asked yet)
};

namespace {

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
    uint8_t* px = &image.rgba[(size_t(y - image.originY) * size_t(image.width) + size_t(x)) * 4];
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

// An opaque stroke and fill together: `stroke` of the stroke's colour, `fill` of the fill's, the rest of the pixel
// (1 - stroke - fill) kept (CoverageMask::sweepWithInner).
void blendStrokeOverFill(PaintImage& image, int y, int x, int n, const float* stroke, const float* fill,
                         const Paint& s, const Paint& f) {
    uint8_t* px = &image.rgba[(size_t(y - image.originY) * size_t(image.width) + size_t(x)) * 4];
    const uint8_t solidS[4] = {static_cast<uint8_t>(s.r + 0.5f), static_cast<uint8_t>(s.g + 0.5f),
                               static_cast<uint8_t>(s.b + 0.5f), 255};
    const uint8_t solidF[4] = {static_cast<uint8_t>(f.r + 0.5f), static_cast<uint8_t>(f.g + 0.5f),
                               static_cast<uint8_t>(f.b + 0.5f), 255};
    for (int i = 0; i < n; ++i, px += 4) {
        const float cs = stroke[i], cf = fill[i];
        if (cs >= 1.0f) {
            std::copy_n(solidS, 4, px);
            continue;
        }
        if (cf >= 1.0f) {
            std::copy_n(solidF, 4, px);
            continue;
        }
        const float keep = std::max(0.0f, 1.0f - cs - cf);
        px[0] = static_cast<uint8_t>(s.r * cs + f.r * cf + px[0] * keep + 0.5f);
        px[1] = static_cast<uint8_t>(s.g * cs + f.g * cf + px[1] * keep + 0.5f);
        px[2] = static_cast<uint8_t>(s.b * cs + f.b * cf + px[2] * keep + 0.5f);
        px[3] = static_cast<uint8_t>(255.0f * (cs + cf) + px[3] * keep + 0.5f);
    }
}

// The mask's window for a pixel box grown by `pad`, clipped to the image; false when nothing is left.
bool beginWindow(CoverageMask& mask, const PaintImage& image, const PartBox& b, double pad) {
    // Clamped before the casts: a part's box may reach far past the image.
    const int x0 = static_cast<int>(std::max(0.0, std::floor(b.minX - pad)));
    const int y0 = static_cast<int>(std::max(double(image.originY), std::floor(b.minY - pad)));
    const int x1 = static_cast<int>(std::min(double(image.width), std::ceil(b.maxX + pad)));
    const int y1 = static_cast<int>(std::min(double(image.originY + image.height), std::ceil(b.maxY + pad)));
    if (x1 <= x0 || y1 <= y0) return false;
    mask.begin(x0, y0, x1 - x0, y1 - y0);
    return true;
}

// The share of pixel [i, i + 1) that [a, b) covers along one axis: exact, or the share of the pixel's `samples`
// sample positions (k + 0.5) / samples that fall in [a, b).
double axisCover(int i, double a, double b, int samples) {
    if (samples <= 0) return std::max(0.0, std::min(b, i + 1.0) - std::max(a, double(i)));
    const double n = samples;
    // Samples k with a <= (k + 0.5) / n < b: k from ceil(a n - 0.5) to ceil(b n - 0.5) - 1.
    const double k0 = std::max(std::ceil(a * n - 0.5), i * n), k1 = std::min(std::ceil(b * n - 0.5), (i + 1) * n);
    return std::max(0.0, k1 - k0) / n;
}

// An axis-aligned square's coverage (exact, or sampled: axisCover), composited.
void paintDot(PaintImage& image, double cx, double cy, double side, int samples, const Paint& p) {
    const double h = 0.5 * side;
    const double x0 = cx - h, x1 = cx + h, y0 = cy - h, y1 = cy + h;
    const int ix0 = std::max(0, static_cast<int>(std::floor(x0))), ix1 = std::min(image.width, static_cast<int>(std::ceil(x1)));
    const int iy0 = std::max(image.originY, static_cast<int>(std::floor(y0)));
    const int iy1 = std::min(image.originY + image.height, static_cast<int>(std::ceil(y1)));
    if (ix1 <= ix0 || iy1 <= iy0) return;
    float row[8];
    const int n = ix1 - ix0;
    if (n > 8) return;  // dots are at most a few pixels wide
    for (int y = iy0; y < iy1; ++y) {
        const double cyv = axisCover(y, y0, y1, samples);
        if (cyv <= 0.0) continue;
        for (int x = ix0; x < ix1; ++x) row[x - ix0] = static_cast<float>(cyv * axisCover(x, x0, x1, samples));
        blendRun(image, y, ix0, n, row, p);
    }
}

// Counts the samples (n x n a pixel, the middle one at its centre when n is odd) that an axis-aligned square
// covers, up to twice, in `samples`: one word per pixel of the rows top .. top + height - 1, bit j * n + i of its
// low half set for the sample in column i and row j once covered, of its high half once covered twice. Pixels that
// had none are added to `touched` (their index in `samples`).
void addDotSamples(std::vector<uint64_t>& samples, std::vector<uint32_t>& touched, int width, int top, int height,
                   double cx, double cy, double side, int n) {
    const double h = 0.5 * side;
    // Samples k (across the frame) with a <= (k + 0.5) / n < b, clamped to pixels [p0, p1).
    auto range = [n](double a, double b, int p0, int p1, int& k0, int& k1) {
        k0 = static_cast<int>(std::clamp(std::ceil(a * n - 0.5), double(p0) * n, double(p1) * n));
        k1 = static_cast<int>(std::clamp(std::ceil(b * n - 0.5), double(p0) * n, double(p1) * n));
    };
    int kx0, kx1, ky0, ky1;
    range(cx - h, cx + h, 0, width, kx0, kx1);
    range(cy - h, cy + h, top, top + height, ky0, ky1);
    if (kx1 <= kx0 || ky1 <= ky0) return;
    for (int py = ky0 / n; py * n < ky1; ++py) {
        const int r0 = std::max(ky0, py * n) - py * n, r1 = std::min(ky1, (py + 1) * n) - py * n;
        for (int px = kx0 / n; px * n < kx1; ++px) {
            const int c0 = std::max(kx0, px * n) - px * n, c1 = std::min(kx1, (px + 1) * n) - px * n;
            const uint32_t cols = ((1u << c1) - 1u) & ~((1u << c0) - 1u);
            uint32_t bits = 0;
            for (int r = r0; r < r1; ++r) bits |= cols << (r * n);
            const uint32_t at = uint32_t(py - top) * uint32_t(width) + uint32_t(px);
            uint64_t& word = samples[at];
            if (!word) touched.push_back(at);
            word |= (word & bits) << 32 | bits;
        }
    }
}

}  // namespace

struct PaintScratch {
    std::vector<PartBox> big, small, sorted;
    std::vector<std::pair<uint32_t, uint32_t>> keys, radix;
    std::vector<uint32_t> order;
    std::vector<double> pixels;
    std::vector<uint32_t> ringEnds;
    CoverageMask mask, inner;  // inner: the fill inside the outlines, painted with them (sweepWithInner)
    StrokeScratch stroke;
    std::vector<uint64_t> samples;  // dots' covered samples per pixel (addDotSamples; all zero between uses)
    std::vector<uint32_t> touched;  // pixels with samples set
    std::vector<uint64_t> seen;     // a bit per part of a PaintParts (all zero between uses)
};

PaintScratchPtr makePaintScratch() { return PaintScratchPtr(new PaintScratch); }
void PaintScratchDeleter::operator()(PaintScratch* p) const { delete p; }

void PaintImage::reset(int w, int h, int firstRow) {
    width = w;
    height = h;
    originY = firstRow;
    rgba.assign(size_t(w) * size_t(h) * 4, 0);
}

bool canPaintTable(const FeatureTable& table) {
    return std::none_of(table.kinds.begin(), table.kinds.end(), [](GeomKind k) { return k == GeomKind::Point; });
}

bool canPaint(const Style& style, const FeatureTable& table) { return !hasPerFeatureSymbology(style) && canPaintTable(table); }

using paint_parts::anyPolygon;
using paint_parts::forEachPart;

void paintVectorLayer(PaintImage& image, const View& view, const FeatureTable& t, const PaintVertices& xy,
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
    const PaintParts* index = options.parts && options.parts->resolution == view.resolution ? options.parts : nullptr;
    const bool polygons = index ? index->polygons : anyPolygon(t);
    // A part's box in pixels (y down), as floats (clamped first: a float cannot hold every finite double); far-away
    // parts are culled before float precision matters. Parts past the image (and what may reach into it) are left.
    auto place = [&](const PaintPart& p) {
        auto toFloat = [](double v) { return static_cast<float>(std::clamp(v, -1e30, 1e30)); };
        PartBox b{p.part, p.feature, toFloat(view.worldToScreenX(p.minX)), toFloat(view.worldToScreenY(p.maxY)),
                  toFloat(view.worldToScreenX(p.maxX)), toFloat(view.worldToScreenY(p.minY)), p.finite, p.polygon,
                  p.v0, p.vertices, p.r0, p.rings};
        if (b.maxX < -pad || b.minX > image.width + pad || b.maxY < image.originY - pad ||
            b.minY > image.originY + image.height + pad)
            return;
        b.order = p.order;
        (std::max(b.maxX - b.minX, b.maxY - b.minY) >= options.dotPixels ? big : small).push_back(b);
    };
    std::vector<double>& pixels = scratch.pixels;
    auto fillPixels = [&](const PartBox& b) {
        double* out = &pixels[b.pixels];
        if (xy.grid) {
            for (uint32_t v = b.v0; v < b.v0 + b.vertices; ++v) {
                double x, y;
                xy.at(v, x, y);
                *out++ = view.worldToScreenX(x);
                *out++ = view.worldToScreenY(y);
            }
        } else {
            for (uint32_t v = b.v0; v < b.v0 + b.vertices; ++v) {
                *out++ = view.worldToScreenX(xy.xy[2 * v]);
                *out++ = view.worldToScreenY(xy.xy[2 * v + 1]);
            }
        }
        for (uint32_t r = 0; r < b.rings; ++r) scratch.ringEnds[b.ringsAt + r] = t.vertexEnd(b.r0 + r) - b.v0;
    };
    if (index && !index->stripBegin.empty()) {
        // The parts in the strips the band's rows (and the pad round them) reach, each once, in drawing order: marked
        // in a bit set of the parts, read back in order (and cleared).
        const double top = view.screenToWorldY(image.originY - pad - 1.0);
        const double bottom = view.screenToWorldY(image.originY + image.height + pad + 1.0);
        const double h = index->stripHeight;
        const int64_t last = index->firstStrip + static_cast<int64_t>(index->stripBegin.size()) - 2;
        auto strip = [&](double y) {
            return std::clamp(static_cast<int64_t>(std::floor(std::clamp(-y / h, -1e15, 1e15))), index->firstStrip - 1,
                              last + 1);
        };
        std::vector<uint64_t>& seen = scratch.seen;
        if (seen.size() < (index->parts.size() + 63) / 64) seen.assign((index->parts.size() + 63) / 64, 0);
        auto mark = [&](uint32_t i) { seen[i >> 6] |= uint64_t(1) << (i & 63); };
        for (int64_t k = std::max(strip(top), index->firstStrip); k <= std::min(strip(bottom), last); ++k) {
            const size_t at = size_t(k - index->firstStrip);
            for (uint32_t j = index->stripBegin[at]; j < index->stripBegin[at + 1]; ++j) mark(index->stripParts[j]);
        }
        for (uint32_t i : index->tall) mark(i);
        for (size_t w = 0; w < (index->parts.size() + 63) / 64; ++w) {
            for (uint64_t bits = seen[w]; bits; bits &= bits - 1)
                place(index->parts[w * 64 + size_t(__builtin_ctzll(bits))]);
            seen[w] = 0;
        }
    } else if (index) {
        for (const PaintPart& p : index->parts) place(p);
    }
    if (index) {
        // In drawing order already: the culled parts keep it, and their vertices are laid out in it.
        size_t at = 0, ringsAt = 0;
        for (PartBox& b : big) {
            b.pixels = at;
            b.ringsAt = ringsAt;
            at += 2 * size_t(b.vertices);
            ringsAt += b.rings;
        }
        pixels.resize(at);
        scratch.ringEnds.resize(ringsAt);
        for (const PartBox& b : big) fillPixels(b);
    } else {
        forEachPart(t, xy, view.resolution, place);
        // Parts in Z order of their position (blocks of 8 pixels), not the table's: consecutive parts then blend
        // into the same cache lines of the image, which for a million small parts is most of the time painting
        // takes. Overlapping parts of different colours stack in this order (the GL layers stack them in their
        // cells' Z order).
        auto zOrder = [&](std::vector<PartBox>& parts) {
            std::vector<std::pair<uint32_t, uint32_t>>& keys = scratch.keys;
            keys.resize(parts.size());
            for (size_t i = 0; i < parts.size(); ++i) keys[i] = {parts[i].order, static_cast<uint32_t>(i)};
            sortByKey(keys, scratch.radix);
            std::vector<uint32_t>& order = scratch.order;
            order.resize(parts.size());
            for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].second;
            return std::cref(order);
        };
        // The big parts' vertices in pixels, laid out in Z order so both passes read them in sequence; filled in
        // table order, so the world coordinates are read in sequence too.
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
        for (const PartBox& b : big) fillPixels(b);  // table order
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
    // One colour, opaque: the pass is one shape, the union of its parts (each pixel's summed area, clamped to 1),
    // blended once. That is what the GL layers' samples give (an opaque sample covered twice is covered once), and
    // parts that share a pixel side by side cover it together: no seam where they meet, which blending them one by
    // one leaves (two halves blend to 3/4). It is also a blend per pixel instead of one per part and pixel. Only
    // parts that wind positively everywhere share the mask (ringsAreSimple; fills without holes, which might lie
    // outside their shell); the others, and translucent or per-feature colours, blend part by part, as GL does
    // (translucent overlaps darken).
    // PaintOptions::cancel, looked at every 1024 parts; once set, every loop stops (masks still swept clean).
    bool stopped = false;
    size_t polls = 0;
    auto stopping = [&] {
        if (!stopped && options.cancel && (++polls & 1023) == 0) stopped = options.cancel->load(std::memory_order_relaxed);
        return stopped;
    };
    auto byPart = [&](const PartBox& b, double pad, auto&& add, const Paint& p) {
        if (stopping() || !beginWindow(mask, image, b, pad)) return;
        add(b);
        mask.sweep([&](int y, int x, int len, const float* c) { blendRun(image, y, x, len, c, p); });
    };
    // The parts `include` takes: those `sharable` that wind positively everywhere into one mask, blended once; the
    // rest part by part.
    // Far-away coordinates (past 1e9 px) stay out of the shared mask: their offsets' arithmetic loses precision.
    auto near = [](const PartBox& b) { return b.minX > -1e9f && b.maxX < 1e9f && b.minY > -1e9f && b.maxY < 1e9f; };
    auto simple = [&](PartBox& b) {
        if (b.simple < 0) b.simple = ringsAreSimple(verticesOf(b)) ? 1 : 0;
        return b.simple == 1;
    };
    auto shared = [&](auto&& include, auto&& sharable, double pad, auto&& add, const Paint& p) {
        mask.begin(0, image.originY, image.width, image.height);
        for (PartBox& b : big) {
            b.shared = !stopping() && include(b) && sharable(b) && near(b) && (!b.polygon || simple(b));
            if (b.shared) add(b);
        }
        mask.sweep([&](int y, int x, int len, const float* c) { blendRun(image, y, x, len, c, p); });
        for (const PartBox& b : big)
            if (!b.shared && include(b)) byPart(b, pad, add, p);
    };
    auto polygon = [](const PartBox& b) { return b.finite && b.polygon; };
    // An opaque fill and outline of one colour each: painted together in one pass. A part of one ring, simple, gives
    // its outline's outer offset to `mask` and the inner one to `inner`; the fill is what `inner` covers and the
    // stroke leaves, so a pixel split between them shows both, nothing of what is under them (blending the stroke
    // over the fill let ~6 % of the background through where the fill's edge and the stroke's inner edge share a
    // pixel), and the fill costs no edges of its own. Other parts' fills are blended part by part first; their
    // outlines join the pass (or, far away or crossing themselves, are blended part by part after it).
    const bool together = style.fillEnabled && strokes && !fp.perFeatureFill && !fp.perFeatureStroke &&
                          style.fill.a == 255 && style.stroke.a == 255;
    if (together) {
        const Paint fill = premultiplied(style.fill), stroke = premultiplied(style.stroke);
        auto sharesFill = [&](PartBox& b) { return polygon(b) && b.rings == 1 && near(b) && simple(b); };
        for (PartBox& b : big)
            if (polygon(b) && !sharesFill(b)) byPart(b, 1.0, [&](const PartBox& p) { addFill(mask, verticesOf(p)); }, fill);
        CoverageMask& inner = scratch.inner;
        mask.begin(0, image.originY, image.width, image.height);
        inner.begin(0, image.originY, image.width, image.height);
        for (PartBox& b : big) {
            b.shared = !stopping() && near(b) && (!b.polygon || simple(b));
            if (b.shared) addOutline(mask, scratch.stroke, verticesOf(b), hw, sharesFill(b) ? &inner : nullptr);
        }
        mask.sweepWithInner(inner, [&](int y, int x, int len, const float* s, const float* f) {
            blendStrokeOverFill(image, y, x, len, s, f, stroke, fill);
        });
        for (const PartBox& b : big)
            if (!b.shared) byPart(b, hw + 1.0, [&](const PartBox& p) { addOutline(mask, scratch.stroke, verticesOf(p), hw); }, stroke);
    }
    if (style.fillEnabled && !together) {
        auto add = [&](const PartBox& b) { addFill(mask, verticesOf(b)); };
        if (!fp.perFeatureFill && style.fill.a == 255) {
            shared(polygon, [](const PartBox& b) { return b.rings == 1; }, 1.0, add, premultiplied(style.fill));
        } else {
            for (const PartBox& b : big)
                if (polygon(b)) byPart(b, 1.0, add, fillPaint(b.feature));
        }
    }
    if (strokes && !together) {
        const Paint constant = premultiplied(style.stroke);
        auto add = [&](const PartBox& b) { addOutline(mask, scratch.stroke, verticesOf(b), hw); };
        auto all = [](const PartBox&) { return true; };
        if (!fp.perFeatureStroke && style.stroke.a == 255) {
            shared(all, all, hw + 1.0, add, constant);  // a line's band winds positively whatever its path
        } else {
            for (const PartBox& b : big)
                byPart(b, hw + 1.0, add, fp.perFeatureStroke ? premultiplied(fp.stroke[b.feature]) : constant);
        }
    }
    // Dots: the fill colour when the layer has polygons to fill, else the stroke's (constant, as the GL dots).
    const bool useFill = style.fillEnabled && polygons;
    const Paint strokeDot = premultiplied(style.stroke);
    // One colour, sampled on at most 5 x 5 samples a pixel (32 bits): the dots are counted sample by sample, as the
    // GL points cover them, and blended once a pixel (a sample covered twice blended twice; more often, as twice).
    // Blending dot by dot instead treats their coverage as unrelated: two dots on the same half of a pixel would
    // blend to 3/4 instead of 1/2, and in a field of dots about a pixel wide that moves many pixels across the
    // half-covered threshold.
    const int n = options.dotSamples;
    const bool perFeature = useFill && fp.perFeatureFill;
    const Paint dotPaint = useFill ? (perFeature ? Paint{} : premultiplied(style.fill)) : strokeDot;
    const bool unionDots = n >= 1 && n <= 5 && !perFeature && dotPaint.a > 0.0f && !small.empty();
    std::vector<uint64_t>& samples = scratch.samples;
    std::vector<uint32_t>& touched = scratch.touched;
    if (unionDots && samples.size() < size_t(image.width) * size_t(image.height))
        samples.assign(size_t(image.width) * size_t(image.height), 0);
    touched.clear();
    for (const PartBox& b : small) {
        if (stopping()) break;  // the samples set so far are still cleared below
        const double size = std::max(b.maxX - b.minX, b.maxY - b.minY);
        const double fade = std::clamp(size / options.minDotPixels, 0.25, 1.0);
        const double cx = 0.5 * (b.minX + b.maxX), cy = 0.5 * (b.minY + b.maxY);
        const double side = std::max<double>(size, options.minDotPixels);
        if (unionDots && fade >= 1.0) {
            addDotSamples(samples, touched, image.width, image.originY, image.height, cx, cy, side, n);
            continue;
        }
        Paint p = useFill ? fillPaint(b.feature) : strokeDot;
        p.r *= float(fade);
        p.g *= float(fade);
        p.b *= float(fade);
        p.a *= float(fade);
        paintDot(image, cx, cy, side, n, p);
    }
    // A sample covered k times keeps (1 - a)^k of what was under it; blendRun keeps 1 - a c.
    const double a = dotPaint.a / 255.0;
    const double once = 1.0 / double(n * n), twice = (1.0 - (1.0 - a) * (1.0 - a)) / a / double(n * n);
    for (uint32_t at : touched) {
        const uint64_t word = samples[at];
        const int covered = __builtin_popcount(uint32_t(word)), again = __builtin_popcount(uint32_t(word >> 32));
        const float c = static_cast<float>((covered - again) * once + again * twice);
        samples[at] = 0;
        blendRun(image, image.originY + int(at / uint32_t(image.width)), int(at % uint32_t(image.width)), 1, &c,
                 dotPaint);
    }
}

}  // namespace geo

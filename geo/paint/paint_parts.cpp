#include <exception>
#include <system_error>
#include <thread>

#include "paint/paint_parts.hpp"

namespace geo {

using paint_parts::anyPolygon;
using paint_parts::forEachPart;

namespace {
constexpr size_t kTwoThreadIndex = 100000;  // features
// Runs work(0) .. work(threads - 1), each but the first on a thread of its own (on this one when none is to be had);
// rethrows the first failure once all have stopped.
template <class Work>
void inThreads(int threads, Work&& work) {
    std::vector<std::exception_ptr> failures(static_cast<size_t>(threads));
    auto run = [&](int k) {
        try {
            work(k);
        } catch (...) {
            failures[size_t(k)] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    workers.reserve(size_t(threads));  // (before any runs: a reallocation failing then would leave one joinable)
    for (int k = 1; k < threads; ++k) {
        try {
            workers.emplace_back(run, k);
        } catch (const std::system_error&) {
            run(k);
        }
    }
    run(0);
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : failures)
        if (e) std::rethrow_exception(e);
}
}  // namespace

std::shared_ptr<const PaintParts> indexPaintParts(const FeatureTable& t, const PaintVertices& xy, double resolution) {
    auto out = std::make_shared<PaintParts>();
    out->resolution = resolution;
    out->polygons = anyPolygon(t);
    // A large table by two threads: each finds the parts of half the features, then gathers half of the order.
    const size_t features = t.featureCount();
    const int threads = features >= kTwoThreadIndex ? 2 : 1;
    std::vector<PaintPart> found[2];
    inThreads(threads, [&](int h) {
        const size_t f0 = features * size_t(h) / size_t(threads), f1 = features * size_t(h + 1) / size_t(threads);
        if (f1 > f0) found[h].reserve(t.partEnd(f1 - 1) - t.partBegin(f0));
        forEachPart(t, xy, resolution, [&](const PaintPart& p) { found[h].push_back(p); }, f0, f1);
    });
    const size_t first = found[0].size(), total = first + found[1].size();
    std::vector<std::pair<uint32_t, uint32_t>> keys(total), scratch;
    for (size_t i = 0; i < total; ++i)
        keys[i] = {(i < first ? found[0][i] : found[1][i - first]).order, static_cast<uint32_t>(i)};
    sortByKey(keys, scratch);
    out->parts.resize(total);
    // Gathered in the sorted order, each part's strips found meanwhile (strip0, and how many more: `tall` past
    // kPaintStripsAPart), and the strips' range of each half.
    const double h = kPaintStripRows * resolution;
    auto strip = [h](double y) { return static_cast<int64_t>(std::floor(std::clamp(-y / h, -1e15, 1e15))); };
    std::vector<int64_t> strip0(total);
    std::vector<uint8_t> more(total);
    constexpr uint8_t kTall = 255;
    static_assert(kPaintStripsAPart < kTall);
    int64_t lo[2] = {INT64_MAX, INT64_MAX}, hi[2] = {INT64_MIN, INT64_MIN};
    double vertices[2] = {0, 0}, stripVertices[2] = {0, 0}, tallVertices[2] = {0, 0};
    inThreads(threads, [&](int half) {
        for (size_t i = total * size_t(half) / size_t(threads); i < total * size_t(half + 1) / size_t(threads); ++i) {
            const uint32_t k = keys[i].second;
            const PaintPart& p = out->parts[i] = k < first ? found[0][k] : found[1][k - first];
            const int64_t s0 = strip(p.maxY), s1 = strip(p.minY);
            strip0[i] = s0;
            vertices[half] += p.vertices;
            if (s1 - s0 >= kPaintStripsAPart) {
                more[i] = kTall;
                tallVertices[half] += p.vertices;
                continue;
            }
            stripVertices[half] += double(p.vertices) * double(s1 - s0 + 1);
            more[i] = static_cast<uint8_t>(s1 - s0);
            lo[half] = std::min(lo[half], s0);
            hi[half] = std::max(hi[half], s1);
        }
    });
    // The strips: counted, then listed (in the parts' order).
    const int64_t first0 = std::min(lo[0], lo[1]), last0 = std::max(hi[0], hi[1]);
    if (first0 > last0 || last0 - first0 >= kPaintMaxStrips) return out;
    out->stripHeight = h;
    out->firstStrip = first0;
    if (vertices[0] + vertices[1] > 0)
        out->stripsAVertex = (stripVertices[0] + stripVertices[1] + double(last0 - first0 + 1) * (tallVertices[0] + tallVertices[1])) /
                             (vertices[0] + vertices[1]);
    std::vector<uint32_t>& begin = out->stripBegin;
    begin.assign(size_t(last0 - first0 + 2), 0);
    for (size_t i = 0; i < total; ++i) {
        if (more[i] == kTall) continue;
        for (int64_t k = strip0[i]; k <= strip0[i] + more[i]; ++k) ++begin[size_t(k - first0 + 1)];
    }
    for (size_t k = 1; k < begin.size(); ++k) begin[k] += begin[k - 1];
    out->stripParts.resize(begin.back());
    std::vector<uint32_t> at(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < total; ++i) {
        if (more[i] == kTall) {
            out->tall.push_back(static_cast<uint32_t>(i));
            continue;
        }
        for (int64_t k = strip0[i]; k <= strip0[i] + more[i]; ++k)
            out->stripParts[at[size_t(k - first0)]++] = static_cast<uint32_t>(i);
    }
    return out;
}

}  // namespace geo

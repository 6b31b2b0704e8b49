// Staging a vector layer for the GPU on a worker thread: float positions, parts ranked for level of detail.
#include "render/gpu_layer.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <system_error>
#include <thread>

#include "core/morton.hpp"

namespace app::render {

namespace {

struct PartInfo {
    uint32_t part, feature;
    geo::BBox box;
};

bool finiteAt(const std::vector<double>& xy, uint32_t v) { return std::isfinite(xy[2 * v]); }

// Parts a cell holds at most (unless they share a centre at the finest level): the unit of culling. A frame, or a
// tile of a layer image, draws every part of each cell it touches, so dense clusters need small cells.
constexpr size_t kCellParts = 128;
// Layers of more parts are staged by two threads (stageVector).
constexpr size_t kParallelStageParts = 100000;


// Orders parts into cells, the leaves of a quadtree over the layer's extent split until a leaf holds at most
// kCellParts part centres, so cells are small where parts are dense and large where they are sparse; inside each
// cell, parts are sorted by size, largest first. `cellOf` receives each part's cell (numbered in Z order).
std::vector<uint32_t> orderParts(const std::vector<PartInfo>& parts, const geo::BBox& extent,
                                 std::vector<uint32_t>& cellOf) {
    const double w = extent.width() > 0 ? extent.width() : 1, h = extent.height() > 0 ? extent.height() : 1;
    std::vector<std::pair<uint32_t, uint32_t>> byCode(parts.size());  // Morton code of the centre, part
    for (size_t i = 0; i < parts.size(); ++i) {
        auto q = [](double t) { return static_cast<uint32_t>(std::clamp(t, 0.0, 1.0) * 65535.0); };
        byCode[i] = {geo::morton(q((parts[i].box.centerX() - extent.minX) / w), q((parts[i].box.centerY() - extent.minY) / h)),
                     static_cast<uint32_t>(i)};
    }
    std::vector<std::pair<uint32_t, uint32_t>> scratch;
    geo::sortByKey(byCode, scratch);
    // Leaves: runs of the sorted codes sharing a prefix of 2 * level bits.
    cellOf.resize(parts.size());
    uint32_t cells = 0;
    auto split = [&](auto&& self, size_t begin, size_t end, int level) -> void {
        if (end - begin <= kCellParts || level == 16) {
            for (size_t i = begin; i < end; ++i) cellOf[byCode[i].second] = cells;
            ++cells;
            return;
        }
        const int shift = 2 * (15 - level);  // the two bits that pick the child at this level
        size_t at = begin;
        for (uint32_t child = 0; child < 4 && at < end; ++child) {
            const uint32_t prefix = (byCode[at].first >> shift) & 3u;
            if (prefix != child) continue;
            const uint64_t limit = (uint64_t(byCode[at].first >> shift) + 1) << shift;  // the next child's first code
            const size_t next =
                limit > UINT32_MAX
                    ? end
                    : static_cast<size_t>(std::lower_bound(byCode.begin() + at, byCode.begin() + end,
                                                           std::pair<uint32_t, uint32_t>{uint32_t(limit), 0}) -
                                          byCode.begin());
            self(self, at, next, level + 1);
            at = next;
        }
    };
    if (!parts.empty()) split(split, 0, parts.size(), 0);
    // Cells are runs of the Z order: sort each run by size, largest first.
    std::vector<uint32_t> order(parts.size());
    std::vector<float> sizes(parts.size());
    for (size_t i = 0; i < parts.size(); ++i) {
        order[i] = byCode[i].second;
        sizes[i] = static_cast<float>(std::max(parts[i].box.width(), parts[i].box.height()));
    }
    for (size_t begin = 0; begin < order.size();) {
        size_t end = begin + 1;
        while (end < order.size() && cellOf[order[end]] == cellOf[order[begin]]) ++end;
        std::sort(order.begin() + begin, order.begin() + end,
                  [&](uint32_t a, uint32_t b) { return sizes[a] > sizes[b] || (sizes[a] == sizes[b] && a < b); });
        begin = end;
    }
    return order;
}

// Float positions relative to the layer origin; non-finite (untransformed) vertices become 0 and are never used.
void stagePositions(const std::vector<double>& xy, size_t n, VectorStaging& st) {
    st.positions.resize(2 * n);
    st.validity.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
        bool ok = std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1]);
        st.positions[2 * i] = ok ? static_cast<float>(xy[2 * i] - st.originX) : 0.0f;
        st.positions[2 * i + 1] = ok ? static_cast<float>(xy[2 * i + 1] - st.originY) : 0.0f;
    }
}

// Every line or polygon part with its display box; point vertices go to st.pointVertex; segment validity is set.
std::vector<PartInfo> collectParts(const geo::FeatureTable& t, const std::vector<double>& xy, VectorStaging& st) {
    std::vector<PartInfo> parts;
    parts.reserve(t.partCount());
    for (size_t f = 0; f < t.featureCount(); ++f) {
        geo::GeomKind k = t.kinds[f];
        for (uint32_t part = t.partBegin(f); part < t.partEnd(f); ++part) {
            uint32_t v0 = t.vertexBegin(t.ringBegin(part)), v1 = t.vertexEnd(t.ringEnd(part) - 1);
            if (k == geo::GeomKind::Point) {
                for (uint32_t v = v0; v < v1; ++v)
                    if (finiteAt(xy, v)) st.pointVertex.push_back(v);
                continue;
            }
            if (k == geo::GeomKind::None) continue;
            st.hasLines = true;
            PartInfo info{part, static_cast<uint32_t>(f), {}};
            for (uint32_t r = t.ringBegin(part); r < t.ringEnd(part); ++r)
                for (uint32_t v = t.vertexBegin(r); v + 1 < t.vertexEnd(r); ++v)
                    st.validity[v] = finiteAt(xy, v) && finiteAt(xy, v + 1);
            for (uint32_t v = v0; v < v1; ++v)
                if (finiteAt(xy, v)) info.box.add(xy[2 * v], xy[2 * v + 1]);
            if (!info.box.empty()) parts.push_back(info);
        }
    }
    return parts;
}

// The part's triangles and line strips (restart between rings), skipping what touches an untransformed vertex.
// The common case, every vertex transformed, copies whole runs instead of checking each index.
void appendGeometry(const geo::VectorLayerData& data, const std::vector<double>& xy, bool allFinite, uint32_t part,
                    VectorStaging& st) {
    const geo::FeatureTable& t = data.source.table;
    uint32_t t0 = part ? data.partTriangleEnds[part - 1] : 0, t1 = data.partTriangleEnds[part];
    if (allFinite) {
        st.triangles.insert(st.triangles.end(), data.triangles.begin() + t0, data.triangles.begin() + t1);
    } else {
        for (uint32_t k = t0; k + 3 <= t1; k += 3) {
            const uint32_t* tri = &data.triangles[k];
            if (finiteAt(xy, tri[0]) && finiteAt(xy, tri[1]) && finiteAt(xy, tri[2]))
                st.triangles.insert(st.triangles.end(), tri, tri + 3);
        }
    }
    for (uint32_t r = t.ringBegin(part); r < t.ringEnd(part); ++r) {
        if (allFinite) {
            for (uint32_t v = t.vertexBegin(r); v < t.vertexEnd(r); ++v) st.strips.push_back(v);
            st.strips.push_back(kPrimitiveRestart);
            continue;
        }
        for (uint32_t v = t.vertexBegin(r); v < t.vertexEnd(r); ++v) {
            if (finiteAt(xy, v))
                st.strips.push_back(v);
            else if (!st.strips.empty() && st.strips.back() != kPrimitiveRestart)
                st.strips.push_back(kPrimitiveRestart);
        }
        if (!st.strips.empty() && st.strips.back() != kPrimitiveRestart) st.strips.push_back(kPrimitiveRestart);
    }
}

}  // namespace

namespace {
// Which ranks and point instances belong to each feature (counting sort), for highlights.
void indexFeatures(const geo::FeatureTable& table, VectorStaging& st) {
    const size_t features = table.featureCount();
    st.featureRankStart.assign(features + 1, 0);
    for (uint32_t f : st.rankFeature) ++st.featureRankStart[f + 1];
    for (size_t f = 0; f < features; ++f) st.featureRankStart[f + 1] += st.featureRankStart[f];
    st.featureRanks.resize(st.rankFeature.size());
    std::vector<uint32_t> fill(st.featureRankStart.begin(), st.featureRankStart.end() - 1);
    for (uint32_t r = 0; r < st.rankFeature.size(); ++r) st.featureRanks[fill[st.rankFeature[r]]++] = r;
    st.featurePointStart.assign(features + 1, 0);
    size_t instance = 0;
    for (size_t f = 0; f < features; ++f) {
        const uint32_t end =
            table.partBegin(f) == table.partEnd(f) ? 0 : table.vertexEnd(table.ringEnd(table.partEnd(f) - 1) - 1);
        while (instance < st.pointVertex.size() && st.pointVertex[instance] < end) ++instance;
        st.featurePointStart[f + 1] = static_cast<uint32_t>(instance);
    }
}
}  // namespace

VectorStaging stageVector(const geo::VectorLayerData& data, const geo::DisplayGeometry& geometry, int threads) {
    const geo::FeatureTable& t = data.source.table;
    const std::vector<double>& xy = geometry.xy;
    VectorStaging st;
    st.extent = geometry.extent;
    st.originX = st.extent.empty() ? 0 : st.extent.centerX();
    st.originY = st.extent.empty() ? 0 : st.extent.centerY();
    stagePositions(xy, t.vertexCount(), st);
    const std::vector<PartInfo> parts = collectParts(t, xy, st);
    std::vector<uint32_t> cellOf;
    const std::vector<uint32_t> order = orderParts(parts, st.extent, cellOf);
    const bool allFinite = geometry.failedVertices == 0;
    // The ranks [begin, end) appended to `out` (its offsets counted from `out`'s own start).
    auto fill = [&](size_t begin, size_t end, VectorStaging& out) {
        const size_t n = end - begin;
        out.rankTriangleStart.reserve(n + 1);
        out.rankStripStart.reserve(n + 1);
        out.rankSize.reserve(n);
        out.dots.reserve(3 * n);
        out.rankFeature.reserve(n);
        out.rankVertices.reserve(2 * n);
        for (size_t rank = begin; rank < end; ++rank) {
            const PartInfo& p = parts[order[rank]];
            out.rankTriangleStart.push_back(static_cast<uint32_t>(out.triangles.size()));
            out.rankStripStart.push_back(static_cast<uint32_t>(out.strips.size()));
            appendGeometry(data, xy, allFinite, p.part, out);
            float size = static_cast<float>(std::max(p.box.width(), p.box.height()));
            out.rankSize.push_back(size);
            out.dots.insert(out.dots.end(), {static_cast<float>(p.box.centerX() - st.originX),
                                             static_cast<float>(p.box.centerY() - st.originY), size});
            out.rankFeature.push_back(p.feature);
            out.rankVertices.insert(out.rankVertices.end(),
                                    {t.vertexBegin(t.ringBegin(p.part)), t.vertexEnd(t.ringEnd(p.part) - 1)});
            const uint32_t cell = cellOf[order[rank]];
            if (out.cells.empty() || cellOf[order[rank - 1]] != cell)
                out.cells.push_back({{}, static_cast<uint32_t>(rank), static_cast<uint32_t>(rank)});
            out.cells.back().rankEnd = static_cast<uint32_t>(rank + 1);
            out.cells.back().box.add(p.box);
        }
    };
    // A large layer's ranks in two halves on two threads (split between cells), the second appended to the first:
    // the same arrays. Reading the parts in rank order is mostly waiting for memory, which two threads overlap.
    size_t mid = order.size();
    if (threads == 0) threads = order.size() >= kParallelStageParts ? 2 : 1;
    if (threads > 1 && order.size() >= 2) {
        mid = order.size() / 2;
        while (mid < order.size() && cellOf[order[mid]] == cellOf[order[mid - 1]]) ++mid;
    }
    VectorStaging second;
    std::exception_ptr secondFailed;  // (out of memory: the load fails, as it would on one thread)
    std::thread worker;
    if (mid < order.size()) {
        try {
            worker = std::thread([&] {
                try {
                    fill(mid, order.size(), second);
                } catch (...) {
                    secondFailed = std::current_exception();
                }
            });
        } catch (const std::system_error&) {
            mid = order.size();  // no thread to be had: all here
        }
    }
    try {
        const bool whole = mid == order.size();
        st.triangles.reserve(whole ? data.triangles.size() : data.triangles.size() / 2 + 1024);
        st.strips.reserve(whole ? t.vertexCount() + t.ringCount() : (t.vertexCount() + t.ringCount()) / 2 + 1024);
        fill(0, mid, st);
    } catch (...) {
        if (worker.joinable()) worker.join();
        throw;
    }
    if (worker.joinable()) {
        worker.join();
        if (secondFailed) std::rethrow_exception(secondFailed);
        const auto triangles = static_cast<uint32_t>(st.triangles.size()), strips = static_cast<uint32_t>(st.strips.size());
        for (uint32_t& s : second.rankTriangleStart) s += triangles;
        for (uint32_t& s : second.rankStripStart) s += strips;
        auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
        append(st.triangles, second.triangles);
        append(st.strips, second.strips);
        append(st.rankTriangleStart, second.rankTriangleStart);
        append(st.rankStripStart, second.rankStripStart);
        append(st.rankSize, second.rankSize);
        append(st.dots, second.dots);
        append(st.rankFeature, second.rankFeature);
        append(st.rankVertices, second.rankVertices);
        append(st.cells, second.cells);
    }
    st.rankTriangleStart.push_back(static_cast<uint32_t>(st.triangles.size()));
    st.rankStripStart.push_back(static_cast<uint32_t>(st.strips.size()));
    indexFeatures(t, st);
    return st;
}

}  // namespace app::render

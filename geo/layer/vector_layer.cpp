#include "layer/vector_layer.hpp"

#include <cstdlib>
#include <string>

#include <chrono>
#include <cmath>
#include <system_error>
#include <thread>

#include "paint/vector_paint.hpp"

namespace geo {

namespace {
constexpr size_t kParallelIndexVertices = 100000;

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

std::shared_ptr<VectorLayerData> loadVectorLayer(const std::string& path, const std::string& layer,
                                                 JobProgress* progress, LoadTimings* timings,
                                                 const SourceOptions& options, Triangles triangles,
                                                 const WhileTessellating& alongside) {
    auto out = std::make_shared<VectorLayerData>();
    auto t0 = std::chrono::steady_clock::now();
    out->source = readVectorLayer(path, layer, progress, options);
    if (timings) timings->readSeconds = secondsSince(t0);
    if (progress) progress->throwIfCancelled();
    out->tessellated = triangles == Triangles::Always || !canPaintTable(out->source.table);
    // A large layer is indexed, or `alongside` done, on a second thread while it is tessellated (1M buildings: a
    // 0.15 s reprojection or a 0.12 s index beside 0.2 s; with `alongside` the index is left to first use). A
    // failure there (out of memory) is left for index() to meet again on first use.
    std::thread indexing;
    struct Join {
        std::thread& t;
        ~Join() {
            if (t.joinable()) t.join();
        }
    } join{indexing};
    if (triangles == Triangles::Always && out->tessellated && out->source.table.vertexCount() >= kParallelIndexVertices) {
        try {
            indexing = std::thread([data = out.get(), &alongside] {
                if (alongside) {  // (the index is then left to first use, or to the caller's background work)
                    alongside(*data);
                    return;
                }
                try {
                    data->index();
                } catch (...) {
                }
            });
        } catch (const std::system_error&) {  // no thread to be had: indexed below
        }
    }
    if (out->tessellated) {
        if (progress) progress->set(0.0f, "tessellating");
        t0 = std::chrono::steady_clock::now();
        out->triangles = tessellatePolygons(out->source.table, out->tess, &out->partTriangleEnds, progress);
        out->triangles.shrink_to_fit();
        if (timings) timings->tessellateSeconds = secondsSince(t0);
    }
    const bool alongsideDone = indexing.joinable() && alongside;
    if (indexing.joinable()) indexing.join();
    if (triangles == Triangles::Always && !alongsideDone) {
        if (progress) progress->set(0.0f, "indexing");
        out->index();  // (done by the thread above, unless that failed)
    }
    for (std::string& w : tessWarnings(out->tess)) out->source.warnings.push_back(std::move(w));
    return out;
}

DisplayGeometry sourceGeometry(const VectorLayerData& data, const Crs& display) {
    DisplayGeometry g;
    g.crs = display;
    g.extent = data.source.vertexExtent();
    g.sourceXy = true;
    return g;
}

bool paintThroughGrid() {
    static const bool on = [] {
        const char* v = std::getenv("PLANATLAS_PAINT_GRID");
        return !(v && std::string(v) == "0");
    }();
    return on;
}

std::optional<DisplayGeometry> gridGeometry(const VectorLayerData& data, const Crs& display) {
    if (!paintThroughGrid()) return std::nullopt;
    Transformer exact(data.source.crs, display);
    GridTransformer grid(exact, data.source.vertexExtent(), display.isGeographic());  // reprojectLayer's
    if (!grid.usesGrid()) return std::nullopt;
    DisplayGeometry g;
    g.crs = display;
    g.sourceXy = true;
    const std::vector<double>& xy = data.source.table.xy;
    for (size_t i = 0; i < xy.size(); i += 2) {
        double x = xy[i], y = xy[i + 1];
        if (grid.onGrid(x, y)) g.extent.add(x, y);
        else ++g.failedVertices;
    }
    return g;
}

DisplayGeometry reprojectLayer(const VectorLayerData& data, const Crs& display, JobProgress* progress,
                               LoadTimings* timings) {
    auto t0 = std::chrono::steady_clock::now();
    DisplayGeometry g;
    g.crs = display;
    Transformer exact(data.source.crs, display);
    GridTransformer tr(exact, data.source.vertexExtent(), display.isGeographic());
    const auto& src = data.source.table.xy;
    g.xy = src;
    const size_t n = g.xy.size() / 2;
    constexpr size_t kChunk = 1 << 16;
    if (progress) progress->set(0.0f, "reprojecting");
    size_t ok = 0;
    for (size_t i = 0; i < n; i += kChunk) {
        size_t m = std::min(kChunk, n - i);
        ok += tr.transform(g.xy.data() + 2 * i, m);
        if (progress) {
            progress->throwIfCancelled();
            progress->set(static_cast<float>(i + m) / static_cast<float>(n));
        }
    }
    g.failedVertices = n - ok;
    for (size_t i = 0; i < n; ++i)
        if (std::isfinite(g.xy[2 * i])) g.extent.add(g.xy[2 * i], g.xy[2 * i + 1]);
    if (timings) timings->reprojectSeconds = secondsSince(t0);
    return g;
}

}  // namespace geo

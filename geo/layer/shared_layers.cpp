#include "layer/shared_layers.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <unordered_map>

#include "core/error.hpp"
#include "source/postgis.hpp"

namespace geo {

namespace {

using DataPtr = std::shared_ptr<VectorLayerData>;

struct Entry {
    std::weak_ptr<VectorLayerData> data;
    std::shared_future<DataPtr> pending;  // valid while the first reader is loading
};

struct Registry {
    std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    size_t pruneAt = 64;
};

Registry& registry() {
    static Registry r;
    return r;
}

// Everything that makes two reads the same: the source, the options, and the file's size and modification time.
std::string keyOf(const std::string& path, const std::string& layer, const SourceOptions& o) {
    std::string k;
    auto add = [&k](const std::string& s) {
        k += std::to_string(s.size());
        k += ':';
        k += s;
    };
    auto num = [&k](double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%.17g,", v);
        k += b;
    };
    add(path);
    add(layer);
    add(o.crs);
    add(o.datum);
    add(o.xField);
    add(o.yField);
    for (const ControlPoint& c : o.controlPoints)
        for (double v : {c.drawingX, c.drawingY, c.mapX, c.mapY}) num(v);
    k += '|';
    for (double v : {o.filter.minX, o.filter.minY, o.filter.maxX, o.filter.maxY, o.simplifyTolerance}) num(v);
    k += "limit " + std::to_string(o.featureLimit) + '|';  // a preview is not the whole layer
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec) k += "s" + std::to_string(size);
    const auto time = std::filesystem::last_write_time(path, ec);
    if (!ec) k += "t" + std::to_string(time.time_since_epoch().count());
    return k;
}

void pruneLocked(Registry& r) {
    if (r.entries.size() < r.pruneAt) return;
    for (auto it = r.entries.begin(); it != r.entries.end();)
        it = !it->second.pending.valid() && it->second.data.expired() ? r.entries.erase(it) : std::next(it);
    r.pruneAt = std::max<size_t>(64, 2 * r.entries.size());
}

// Waits for another thread's read of the same source, still answering cancel.
DataPtr waitFor(const std::shared_future<DataPtr>& pending, JobProgress* progress) {
    while (pending.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready)
        if (progress) progress->throwIfCancelled();
    return pending.get();
}

}  // namespace

std::shared_ptr<VectorLayerData> loadSharedVectorLayer(const std::string& path, const std::string& layer,
                                                       JobProgress* progress, LoadTimings* timings,
                                                       const SourceOptions& options, Triangles triangles,
                                                       const WhileTessellating& alongside) {
    if (isDatabaseSource(path)) return loadVectorLayer(path, layer, progress, timings, options, triangles, alongside);
    const std::string key = keyOf(path, layer, options) + (triangles == Triangles::Always ? "" : "|unless paintable");
    Registry& r = registry();
    std::promise<DataPtr> promise;
    std::shared_future<DataPtr> pending;
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        Entry& e = r.entries[key];
        if (DataPtr d = e.data.lock()) return d;
        if (e.pending.valid()) {
            pending = e.pending;
        } else {
            e.pending = promise.get_future().share();
            pruneLocked(r);
        }
    }
    if (pending.valid()) {
        try {
            return waitFor(pending, progress);
        } catch (const Cancelled&) {
            if (progress && progress->cancelled()) throw;
            // The first reader was cancelled, not this one: read for ourselves.
            return loadVectorLayer(path, layer, progress, timings, options, triangles, alongside);
        }
    }
    try {
        DataPtr d = loadVectorLayer(path, layer, progress, timings, options, triangles, alongside);
        {
            std::lock_guard<std::mutex> lock(r.mutex);
            Entry& e = r.entries[key];
            e.data = d;
            e.pending = {};
        }
        promise.set_value(d);
        return d;
    } catch (...) {
        {
            std::lock_guard<std::mutex> lock(r.mutex);
            r.entries.erase(key);  // a failed read is not remembered: Retry reads the file again
        }
        promise.set_exception(std::current_exception());
        throw;
    }
}

std::vector<SourceLayerInfo> listLayersShared(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || isDatabaseSource(path)) return listLayers(path);
    const auto time = std::filesystem::last_write_time(path, ec);
    if (ec) return listLayers(path);
    const std::string key = path + '\n' + std::to_string(size) + '\n' + std::to_string(time.time_since_epoch().count());
    static std::mutex mutex;
    static std::unordered_map<std::string, std::vector<SourceLayerInfo>> listed;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = listed.find(key); it != listed.end()) return it->second;
    }
    std::vector<SourceLayerInfo> layers = listLayers(path);  // throws: nothing remembered
    std::lock_guard<std::mutex> lock(mutex);
    if (listed.size() >= 1024) listed.clear();  // a cache: forgetting costs a re-listing, nothing else
    listed[key] = layers;
    return layers;
}

size_t sharedVectorLayerCount() {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    size_t n = 0;
    for (const auto& [key, e] : r.entries) n += !e.data.expired();
    return n;
}

}  // namespace geo

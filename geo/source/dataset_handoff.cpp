#include "source/dataset_handoff.hpp"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <system_error>
#include <utility>

namespace geo {

namespace {

struct Kept {
    std::string path;
    std::filesystem::file_time_type modified;
    uintmax_t size = 0;
    GDALDatasetUniquePtr ds;
};

std::mutex mutex;
Kept kept;  // guarded by mutex
std::atomic<size_t> taken{0};

// Drivers that read the whole file when it is opened (not those that read features on demand, which reopen cheaply).
bool parsesOnOpen(GDALDataset& ds) {
    const char* name = ds.GetDriver() ? ds.GetDriver()->GetDescription() : "";
    for (std::string_view d : {"GeoJSON", "GeoJSONSeq", "ESRIJSON", "TopoJSON", "KML", "LIBKML", "GML"})
        if (d == name) return true;
    return false;
}

bool stamp(const std::string& path, std::filesystem::file_time_type& modified, uintmax_t& size) {
    std::error_code e1, e2;
    modified = std::filesystem::last_write_time(path, e1);
    size = std::filesystem::file_size(path, e2);
    return !e1 && !e2;
}

}  // namespace

void offerListedDataset(const std::string& path, GDALDatasetUniquePtr ds) {
    Kept next;
    if (ds && parsesOnOpen(*ds) && stamp(path, next.modified, next.size)) {
        next.path = path;
        next.ds = std::move(ds);
    }
    Kept old;
    {
        std::lock_guard<std::mutex> lock(mutex);
        old = std::exchange(kept, std::move(next));
    }
    // (`old` and an unkept `ds` close here, outside the lock.)
}

GDALDatasetUniquePtr takeListedDataset(const std::string& path) {
    Kept mine;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (!kept.ds) return nullptr;
        mine = std::exchange(kept, Kept{});
    }
    std::filesystem::file_time_type modified;
    uintmax_t size = 0;
    if (mine.path != path || !stamp(path, modified, size) || modified != mine.modified || size != mine.size)
        return nullptr;  // (another file's, or this one changed since: closed here)
    ++taken;
    return std::move(mine.ds);
}

size_t listedDatasetsTaken() { return taken.load(); }

}  // namespace geo

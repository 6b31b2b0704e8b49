#include "source/gdal_handles.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "crs/crs.hpp"
#include "source/gdal_messages.hpp"
#include "source/remote_source.hpp"

namespace geo {

void ensureGdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        installGdalMessageHandler();  // GDAL's messages as ours, attributed to the file (source/gdal_messages.hpp)
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
    });
}

std::string lastGdalError(const std::string& fallback) {
    const char* msg = CPLGetLastErrorMsg();
    if (msg && *msg) return msg;
    return fallback;
}

GDALDatasetUniquePtr openDataset(const std::string& path, unsigned flags, char** openOptions, std::string& error) {
    ensureGdal();
    CPLErrorReset();
    // A failed open's message becomes `error`; what GDAL says opening a file that opens goes to the caller's scope
    // (the reader reports it naming the file), or nowhere.
    GdalMessageScope opening;
    NetworkOpenScope network(path);
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), flags | GDAL_OF_VERBOSE_ERROR, nullptr, openOptions, nullptr));
    error = ds ? std::string() : lastGdalError("not a recognised GIS file");
    if (ds) opening.passOn();
    return ds;
}

Crs crsFromSpatialRef(const OGRSpatialReference& srs) {
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth && code && EQUAL(auth, "EPSG")) return Crs::fromUser(std::string("EPSG:") + code);
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
    srs.exportToWkt(&wkt, opts);
    std::string w = wkt ? wkt : "";
    CPLFree(wkt);
    return Crs::fromUser(w);
}

TempSibling::TempSibling(const std::string& target) : target_(target) {
    static std::atomic<unsigned> counter{0};
    std::filesystem::path t(target);
    const std::string name = temporaryPrefix(t.stem().string()) + std::to_string(::getpid()) + "-" +
                             std::to_string(counter.fetch_add(1)) + t.extension().string();
    path_ = (t.parent_path() / name).string();
    // What a killed writer of this target left (its process is gone): this name's pattern with another pid.
    removeStaleTemporaries(t.has_parent_path() ? t.parent_path().string() : ".", t.stem().string());
    removeAll();
}

TempSibling::~TempSibling() {
    if (!committed_) removeAll();
}

void TempSibling::commit() {
    std::error_code ec;
    std::filesystem::rename(path_, target_, ec);
    if (ec) throw IoError(target_, "", "cannot replace the file: " + ec.message());
    committed_ = true;
}

void TempSibling::removeAll() {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix, ec);
}

}  // namespace geo

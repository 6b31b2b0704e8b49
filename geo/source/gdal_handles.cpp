#include "source/gdal_handles.hpp"

#include <mutex>

#include "source/remote_source.hpp"

namespace geo {

void ensureGdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
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
    CPLPushErrorHandler(CPLQuietErrorHandler);
    NetworkOpenScope network(path);
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), flags | GDAL_OF_VERBOSE_ERROR, nullptr, openOptions, nullptr));
    error = ds ? std::string() : lastGdalError("not a recognised GIS file");
    CPLPopErrorHandler();
    return ds;
}

}  // namespace geo

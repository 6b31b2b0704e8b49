#include "source/gdal_handles.hpp"

#include "crs/crs.hpp"

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

}  // namespace geo

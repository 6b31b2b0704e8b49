#include "source/remote_source.hpp"

#include <cpl_conv.h>

#include <array>
#include <filesystem>
#include <string_view>

#include "source/source_crs.hpp"

namespace geo {

bool isNetworkPath(const std::string& path) {
    static constexpr std::array<std::string_view, 10> kPrefixes = {"/vsicurl/",
                                                                   "/vsicurl_streaming/",
                                                                   "/vsis3/",
                                                                   "/vsis3_streaming/",
                                                                   "/vsigs/",
                                                                   "/vsiaz/",
                                                                   "/vsiadls/",
                                                                   "/vsioss/",
                                                                   "/vsiswift/",
                                                                   "/vsiwebhdfs/"};
    if (path.rfind("/vsi", 0) != 0) return false;
    for (std::string_view p : kPrefixes)
        if (path.find(p) != std::string::npos) return true;
    return false;
}

namespace {

constexpr const char* kReaddirOption = "GDAL_DISABLE_READDIR_ON_OPEN";

bool selfContained(const std::string& path) {
    std::string ext = std::filesystem::path(path.substr(0, path.find('?'))).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* e : {".tif", ".tiff", ".fgb", ".gpkg", ".geojson", ".json", ".kmz"})
        if (ext == e) return true;
    return false;
}

}  // namespace

NetworkOpenScope::NetworkOpenScope(const std::string& path) {
    if (!isNetworkPath(path) || !selfContained(path) || CPLGetConfigOption(kReaddirOption, nullptr)) return;
    active_ = true;
    CPLSetThreadLocalConfigOption(kReaddirOption, "EMPTY_DIR");
}

NetworkOpenScope::~NetworkOpenScope() {
    if (active_) CPLSetThreadLocalConfigOption(kReaddirOption, nullptr);
}

BBox viewFilter(const std::string& source,
                const std::string& layer,
                const SourceOptions& options,
                const BBox& viewExtent,
                const Crs& viewCrs,
                double margin) {
    if (!options.controlPoints.empty() || viewExtent.empty()) return {};
    const Crs sourceCrs = options.crs.empty() ? declaredCrs(source, layer) : Crs::fromUser(options.crs);
    BBox box = viewExtent;
    const double dx = margin * box.width(), dy = margin * box.height();
    box = {box.minX - dx, box.minY - dy, box.maxX + dx, box.maxY + dy};
    if (options.datum == "gcj02") {
        const Crs wgs84 = Crs::wgs84();
        BBox lonLat = transformBox(box, Transformer(viewCrs, wgs84));
        if (lonLat.empty()) return {};
        lonLat = {lonLat.minX - 0.01, lonLat.minY - 0.01, lonLat.maxX + 0.01, lonLat.maxY + 0.01};
        return transformBox(lonLat, Transformer(wgs84, sourceCrs));
    }
    return transformBox(box, Transformer(viewCrs, sourceCrs));
}

}  // namespace geo

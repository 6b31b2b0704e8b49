#include "export/page.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include <ogr_spatialref.h>

#include "core/error.hpp"
#include "export/limits.hpp"

namespace geo {

std::optional<std::array<int, 2>> paperPixels(const std::string& paper, double dpi, bool landscape) {
    static const std::map<std::string, std::array<double, 2>> kMillimetres = {
        {"A0", {841, 1189}}, {"A1", {594, 841}}, {"A2", {420, 594}}, {"A3", {297, 420}}, {"A4", {210, 297}}};
    auto it = kMillimetres.find(paper);
    if (it == kMillimetres.end() || !(dpi > 0 && dpi <= 1e5)) return std::nullopt;  // (ints stay in range)
    int w = static_cast<int>(std::lround(it->second[0] / 25.4 * dpi));
    int h = static_cast<int>(std::lround(it->second[1] / 25.4 * dpi));
    if (landscape) std::swap(w, h);
    return std::array<int, 2>{w, h};
}

std::array<double, 6> geoTransform(const View& view) {
    BBox e = view.extent();
    return {e.minX, view.resolution, 0.0, e.maxY, 0.0, -view.resolution};
}

void writeWorldFile(const std::string& path, const std::array<double, 6>& gt) {
    // The origin and pixel size alone (no CRS or size here): finite, positive, within the projected bound.
    if (auto problem = geoTransformProblem(gt, 0, 0, Crs()))
        throw CrsError(path, "", "no world file written: " + *problem);
    std::ofstream out(path);
    if (!out) throw IoError(path, "", "cannot write the world file");
    char buf[512];
    // Lines: x size, rotation, rotation, -y size, x and y of the centre of the upper-left pixel.
    std::snprintf(buf, sizeof buf, "%.12f\n%.12f\n%.12f\n%.12f\n%.12f\n%.12f\n", gt[1], gt[4], gt[2], gt[5],
                  gt[0] + 0.5 * gt[1] + 0.5 * gt[2], gt[3] + 0.5 * gt[4] + 0.5 * gt[5]);
    out << buf;
    if (!out) throw IoError(path, "", "cannot write the world file");
}

void writePrj(const std::string& path, const Crs& crs) {
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(crs.definition().c_str()) != OGRERR_NONE) throw CrsError(path, "", "cannot describe " + crs.id());
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    std::ofstream out(path);
    out << (wkt ? wkt : "");
    CPLFree(wkt);
    if (!out) throw IoError(path, "", "cannot write the .prj");
}

}  // namespace geo

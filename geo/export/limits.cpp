#include "export/limits.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"

namespace geo {

std::optional<std::string> outputSizeProblem(long long width, long long height) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height) + " px";
    if (width < 1 || height < 1) return size + " is impossible: each side at least 1 px";
    if (width > kMaxOutputSide || height > kMaxOutputSide)
        return size + " is too large: each side at most " + std::to_string(kMaxOutputSide) + " px";
    if (double(width) * double(height) > kMaxOutputPixels) {
        char buf[160];
        std::snprintf(buf, sizeof buf, " is too large: %.0f megapixels, at most %.0f (e.g. A0 at 800 dpi)",
                      double(width) * double(height) / 1e6, kMaxOutputPixels / 1e6);
        return size + buf;
    }
    return std::nullopt;
}

void checkOutputSize(long long width, long long height, const std::string& path) {
    if (auto problem = outputSizeProblem(width, height)) throw LimitError(path, "", "output " + *problem);
}

std::optional<std::string> geoTransformProblem(const std::array<double, 6>& gt, int width, int height, const Crs& crs) {
    for (double v : gt)
        if (!std::isfinite(v)) return std::string("the map frame has a non-finite coordinate or pixel size");
    const double limit = crs.isGeographic() ? 1e4 : 1e10;
    const char* unit = crs.isGeographic() ? "degrees" : "CRS units";
    char buf[200];
    const double px = std::hypot(gt[1], gt[4]), py = std::hypot(gt[2], gt[5]);
    if (!(px >= 1e-9 && py >= 1e-9)) {
        std::snprintf(buf, sizeof buf, "the pixel size %.3g x %.3g %s is not positive or too small to write", px, py,
                      unit);
        return std::string(buf);
    }
    for (int cx : {0, width})
        for (int cy : {0, height}) {
            const double x = gt[0] + cx * gt[1] + cy * gt[2], y = gt[3] + cx * gt[4] + cy * gt[5];
            if (!(std::abs(x) <= limit && std::abs(y) <= limit)) {
                std::snprintf(buf, sizeof buf, "the map frame reaches %.3g, %.3g, beyond +/-%.0e %s", x, y, limit, unit);
                return std::string(buf) + (crs.id().empty() ? "" : " of " + crs.id());
            }
        }
    return std::nullopt;
}

void checkGeoTransform(const std::array<double, 6>& gt, int width, int height, const Crs& crs,
                       const std::string& path) {
    if (auto problem = geoTransformProblem(gt, width, height, crs))
        throw CrsError(path, "", "cannot georeference the output: " + *problem +
                                     " (are the data's coordinates in the CRS they claim?)");
}

}  // namespace geo

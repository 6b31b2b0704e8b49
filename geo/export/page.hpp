#pragma once
// Export page maths: paper sizes, the map frame for a view at a DPI, georeferencing of the output.
#include <array>
#include <optional>
#include <string>

#include "core/bbox.hpp"
#include "crs/crs.hpp"
#include "view/view.hpp"

namespace geo {

// Pixel size of a paper (ISO 216 A0-A4) at `dpi`; portrait unless `landscape`. nullopt for an unknown name or a
// dpi outside (0, 1e5]. Not checked against the output limits: callers pass it to checkOutputSize.
std::optional<std::array<int, 2>> paperPixels(const std::string& paper, double dpi, bool landscape);

// The reference screen DPI: line widths, symbols and labels are defined in pixels at this DPI and scaled by
// dpi / kScreenDpi in exports, so a larger output shows the same map at a higher pixel density.
constexpr double kScreenDpi = 96.0;

// GDAL geotransform of a view's pixel grid: [minX, res, 0, maxY, 0, -res].
std::array<double, 6> geoTransform(const View& view);

// Writes an ESRI world file (.pgw/.tfw style: pixel-centre origin) and a .prj (WKT) next to `imagePath`.
// Throws IoError; writeWorldFile throws CrsError, writing nothing, for a geotransform with non-finite, zero or
// absurd numbers (export/limits.hpp).
void writeWorldFile(const std::string& worldPath, const std::array<double, 6>& gt);
void writePrj(const std::string& prjPath, const Crs& crs);

}  // namespace geo

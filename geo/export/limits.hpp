#pragma once
// The one check every output goes through before anything is drawn or written: its size in pixels (--size,
// --paper x --dpi, bookmarks, slides, per-layer images, the viewer's Export dialog) and its georeference (the
// numbers that go into GeoTIFF tags, world files, .prj and the provenance sidecar).
#include <array>
#include <optional>
#include <string>

#include "crs/crs.hpp"

namespace geo {

// Each side of an output at most this many pixels, and at most kMaxOutputPixels in all: an A0 sheet at 800 dpi
// (26490 x 37449) fits; A0 at 2400 dpi (79465 x 112346) does not. Beyond that an export would run for hours.
constexpr long long kMaxOutputSide = 65536;
constexpr double kMaxOutputPixels = 1.0e9;

// Why `width` x `height` cannot be written (one line naming the size and the limit), or nullopt when it can.
std::optional<std::string> outputSizeProblem(long long width, long long height);
// Throws LimitError (naming `path`) when outputSizeProblem says no.
void checkOutputSize(long long width, long long height, const std::string& path = "");

// Why a north-up geotransform [minX, res, 0, maxY, 0, -res] of a width x height image in `crs` is not a
// georeference worth writing, or nullopt: every number finite, the pixel size positive (>= 1e-9 CRS units) and
// every corner within 1e4 units of the origin for a geographic CRS (degrees) or 1e10 for a projected one (metres
// or feet: 250 times round the Earth). A map frame computed from coordinates like 1e300 fails here, so world files
// and sidecars never carry such numbers.
std::optional<std::string> geoTransformProblem(const std::array<double, 6>& gt, int width, int height, const Crs& crs);
// Throws CrsError (naming `path`) when geoTransformProblem says no.
void checkGeoTransform(const std::array<double, 6>& gt, int width, int height, const Crs& crs,
                       const std::string& path = "");

}  // namespace geo

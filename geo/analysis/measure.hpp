#pragma once
// Measurement of paths, rings and features, two ways side by side:
//   geodesic  on the CGCS2000 ellipsoid (a = 6378137 m, f = 1/298.257222101) with PROJ's geodesic routines
//             (geodesic.h, Karney's algorithms: exact to nanometres for lengths, to ~0.1 m² for city areas);
//   planar    in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E), the grid Shenzhen's planners measure in.
// Near 114E the two agree to a few parts in 10^5; they part further from the central meridian (scale error).
//
// A Measurer owns a PROJ context through its Transformers, so use one per thread (see crs/crs.hpp).
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "crs/crs.hpp"
#include "store/feature_table.hpp"

namespace geo {

constexpr double kSquareMetresPerMu = 2000.0 / 3.0;  // 1 亩 (mu)
constexpr double kSquareMetresPerHectare = 10000.0;  // 1 公顷 (ha)

// CGCS2000's ellipsoid. GRS80 differs from it only in f (1/298.257222100882711...), i.e. by ~1e-11 relative.
constexpr double kCgcs2000A = 6378137.0;
constexpr double kCgcs2000F = 1.0 / 298.257222101;

struct LengthMeasure {
    double geodesicM = 0, planarM = 0;
};
struct AreaMeasure {
    double geodesicM2 = 0, planarM2 = 0, geodesicPerimeterM = 0, planarPerimeterM = 0;
};

class Measurer {
public:
    // Throws CrsError when PROJ lacks EPSG:4547.
    Measurer();
    ~Measurer();
    Measurer(Measurer&&) noexcept;
    Measurer& operator=(Measurer&&) noexcept;

    // A path of `points` WGS84 lon/lat pairs; fewer than two points measure 0. Points that cannot be projected
    // (outside EPSG:4547's domain of validity is fine; non-finite input is not) make the planar length NaN.
    LengthMeasure line(const double* lonLat, size_t points) const;
    // One ring of WGS84 lon/lat pairs, open or closed (a repeated first point is ignored), either orientation;
    // areas are positive, perimeters include the closing edge. Fewer than three distinct points give zeros.
    AreaMeasure ring(const double* lonLat, size_t points) const;

    // A feature of a table whose coordinates are in `tableCrs`. Polygons fill `area`: per part the shell minus
    // its holes, parts summed (parts are assumed not to overlap, as valid multipolygons don't); the perimeter
    // counts every ring, holes included. Lines fill `length`, parts summed. Points and features without geometry
    // give zeros. Throws CrsError when `tableCrs` cannot be transformed to WGS84; the Transformer is cached per
    // CRS, so measuring many features of one table is cheap.
    struct FeatureMeasure {
        GeomKind kind = GeomKind::None;
        LengthMeasure length;
        AreaMeasure area;
    };
    FeatureMeasure feature(const FeatureTable& table, size_t feature, const Crs& tableCrs) const;

private:
    const Transformer& toWgs84(const Crs& crs) const;
    // lon/lat → EPSG:4547 (copy), used for the planar side.
    std::vector<double> project(const double* lonLat, size_t points) const;

    struct Geodesic;
    std::unique_ptr<Geodesic> geod_;  // struct geod_geodesic, kept out of this header
    Crs planarCrs_;
    Transformer toPlanar_;
    mutable std::vector<std::pair<std::string, std::unique_ptr<Transformer>>> toWgs84_;  // per table CRS
};

// Display strings; metric symbols (m, km, m²) are the same in both languages, as in Chinese planning documents,
// and `zh` names the hectare and the mu (公顷, 亩 instead of ha, mu).
//   formatLength: below 100 m one decimal ("85.3 m"), below 1000 m whole metres ("850 m"), above 2 decimal km
//                 with thousands separators ("1.23 km", "1,234.57 km").
//   formatArea:   whole m² with thousands separators (one decimal below 100 m²), 2 decimal hectares, 1 decimal mu:
//                 "12,345 m² · 1.23 ha · 18.5 mu" / "12,345 m² · 1.23 公顷 · 18.5 亩".
// Non-finite values print as "–".
std::string formatLength(double metres, bool zh);
std::string formatArea(double squareMetres, bool zh);
// `value` with `decimals` decimals and a comma every three integer digits: 12345.678, 1 → "12,345.7".
std::string groupThousands(double value, int decimals);

}  // namespace geo

#include "analysis/measure.hpp"

#include <geodesic.h>

#include <cmath>
#include <cstdio>
#include <limits>

namespace geo {

struct Measurer::Geodesic {
    geod_geodesic g;
};

namespace {

// Number of points of a ring once a repeated closing point is dropped.
size_t openCount(const double* xy, size_t points) {
    if (points >= 2 && xy[0] == xy[2 * (points - 1)] && xy[1] == xy[2 * (points - 1) + 1]) return points - 1;
    return points;
}

double planarPath(const double* xy, size_t points, bool closed) {
    double sum = 0;
    for (size_t i = 1; i < points; ++i) sum += std::hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    if (closed && points > 2) sum += std::hypot(xy[0] - xy[2 * points - 2], xy[1] - xy[2 * points - 1]);
    return sum;
}

// Shoelace with coordinates relative to the first vertex: EPSG:4547 northings are ~2.5e6 m, and products of
// such numbers would lose the centimetres a small parcel's area depends on.
double planarArea(const double* xy, size_t points) {
    if (points < 3) return 0;
    double twice = 0;
    const double x0 = xy[0], y0 = xy[1];
    for (size_t i = 1; i + 1 < points; ++i)
        twice += (xy[2 * i] - x0) * (xy[2 * i + 3] - y0) - (xy[2 * i + 2] - x0) * (xy[2 * i + 1] - y0);
    return std::fabs(twice) / 2;
}

double geodesicPath(const geod_geodesic& g, const double* lonLat, size_t points) {
    double sum = 0;
    for (size_t i = 1; i < points; ++i) {
        double s12 = 0;
        geod_inverse(
            &g, lonLat[2 * i - 1], lonLat[2 * i - 2], lonLat[2 * i + 1], lonLat[2 * i], &s12, nullptr, nullptr);
        sum += s12;
    }
    return sum;
}

}  // namespace

Measurer::Measurer()
    : geod_(std::make_unique<Geodesic>()), planarCrs_(Crs::fromUser("EPSG:4547")), toPlanar_(Crs::wgs84(), planarCrs_) {
    geod_init(&geod_->g, kCgcs2000A, kCgcs2000F);
}
Measurer::~Measurer() = default;
Measurer::Measurer(Measurer&&) noexcept = default;
Measurer& Measurer::operator=(Measurer&&) noexcept = default;

std::vector<double> Measurer::project(const double* lonLat, size_t points) const {
    std::vector<double> xy(lonLat, lonLat + 2 * points);
    if (toPlanar_.transform(xy.data(), points) != points)
        xy.assign(2 * points, std::numeric_limits<double>::quiet_NaN());
    return xy;
}

LengthMeasure Measurer::line(const double* lonLat, size_t points) const {
    LengthMeasure m;
    if (points < 2) return m;
    m.geodesicM = geodesicPath(geod_->g, lonLat, points);
    std::vector<double> xy = project(lonLat, points);
    m.planarM = planarPath(xy.data(), points, false);
    return m;
}

AreaMeasure Measurer::ring(const double* lonLat, size_t points) const {
    AreaMeasure m;
    points = openCount(lonLat, points);
    if (points < 3) return m;
    // geod_polygonarea takes separate latitude and longitude arrays; it closes the ring itself.
    std::vector<double> lats(points), lons(points);
    for (size_t i = 0; i < points; ++i) {
        lons[i] = lonLat[2 * i];
        lats[i] = lonLat[2 * i + 1];
    }
    double area = 0, perimeter = 0;
    geod_polygonarea(&geod_->g, lats.data(), lons.data(), static_cast<int>(points), &area, &perimeter);
    m.geodesicM2 = std::fabs(area);
    m.geodesicPerimeterM = perimeter;
    std::vector<double> xy = project(lonLat, points);
    m.planarM2 = planarArea(xy.data(), points);
    m.planarPerimeterM = planarPath(xy.data(), points, true);
    return m;
}

const Transformer& Measurer::toWgs84(const Crs& crs) const {
    for (const auto& [definition, t] : toWgs84_)
        if (definition == crs.definition()) return *t;
    toWgs84_.emplace_back(crs.definition(), std::make_unique<Transformer>(crs, Crs::wgs84()));
    return *toWgs84_.back().second;
}

Measurer::FeatureMeasure Measurer::feature(const FeatureTable& table, size_t feature, const Crs& tableCrs) const {
    FeatureMeasure out;
    out.kind = table.kinds[feature];
    if (out.kind != GeomKind::Line && out.kind != GeomKind::Polygon) return out;
    const Transformer& t = toWgs84(tableCrs);
    std::vector<double> lonLat;
    for (uint32_t part = table.partBegin(feature); part < table.partEnd(feature); ++part) {
        for (uint32_t r = table.ringBegin(part); r < table.ringEnd(part); ++r) {
            const uint32_t v0 = table.vertexBegin(r), n = table.vertexEnd(r) - v0;
            lonLat.assign(table.xy.begin() + 2 * v0, table.xy.begin() + 2 * (v0 + n));
            if (t.transform(lonLat.data(), n) != n) lonLat.assign(2 * n, std::numeric_limits<double>::quiet_NaN());
            if (out.kind == GeomKind::Line) {
                LengthMeasure l = line(lonLat.data(), n);
                out.length.geodesicM += l.geodesicM;
                out.length.planarM += l.planarM;
                continue;
            }
            AreaMeasure a = ring(lonLat.data(), n);
            // The projected table's own coordinates are exact; going through lon/lat would add PROJ round trips.
            if (tableCrs.epsg() == 4547) {
                const double* xy = table.xy.data() + 2 * v0;
                const size_t open = openCount(xy, n);
                a.planarM2 = planarArea(xy, open);
                a.planarPerimeterM = planarPath(xy, open, true);
            }
            const double sign = r == table.ringBegin(part) ? 1.0 : -1.0;  // shell first, then holes
            out.area.geodesicM2 += sign * a.geodesicM2;
            out.area.planarM2 += sign * a.planarM2;
            out.area.geodesicPerimeterM += a.geodesicPerimeterM;
            out.area.planarPerimeterM += a.planarPerimeterM;
        }
    }
    return out;
}

std::string groupThousands(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
    std::string digits(buf);
    size_t dot = digits.find('.');
    size_t intEnd = dot == std::string::npos ? digits.size() : dot;
    std::string out;
    for (size_t i = 0; i < intEnd; ++i) {
        if (i > 0 && (intEnd - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    out += digits.substr(intEnd);
    // "-0" is not worth showing: only a value that rounds to something non-zero keeps its sign.
    if (value < 0 && out.find_first_not_of("0.,") != std::string::npos) out.insert(out.begin(), '-');
    return out;
}

std::string formatLength(double metres, bool /*zh: the symbols m and km are used in both languages*/) {
    if (!std::isfinite(metres)) return "–";
    const double a = std::fabs(metres);
    if (a < 100) return groupThousands(metres, 1) + " m";
    if (std::round(a) < 1000) return groupThousands(metres, 0) + " m";
    return groupThousands(metres / 1000.0, 2) + " km";
}

std::string formatArea(double squareMetres, bool zh) {
    if (!std::isfinite(squareMetres)) return "–";
    std::string s = groupThousands(squareMetres, std::fabs(squareMetres) < 100 ? 1 : 0) + " m² · ";
    s += groupThousands(squareMetres / kSquareMetresPerHectare, 2) + (zh ? " 公顷 · " : " ha · ");
    s += groupThousands(squareMetres / kSquareMetresPerMu, 1) + (zh ? " 亩" : " mu");
    return s;
}

}  // namespace geo

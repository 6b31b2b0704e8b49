#include "crs/gcj02.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"
#include "source/vector_source.hpp"

namespace geo {

namespace {
constexpr double kA = 6378245.0;                  // the Krasovsky 1940 semi-major axis the formula uses
constexpr double kEe = 0.00669342162296594323;    // its first eccentricity squared
constexpr double kPi = std::numbers::pi;

bool outOfChina(double lon, double lat) { return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271); }

double shiftLat(double x, double y) {
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return r;
}

double shiftLon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return r;
}
}  // namespace

void wgs84ToGcj02(double lon, double lat, double& outLon, double& outLat) {
    if (!std::isfinite(lon) || !std::isfinite(lat) || outOfChina(lon, lat)) {
        outLon = lon;
        outLat = lat;
        return;
    }
    double dLat = shiftLat(lon - 105.0, lat - 35.0);
    double dLon = shiftLon(lon - 105.0, lat - 35.0);
    const double radLat = lat / 180.0 * kPi;
    double magic = std::sin(radLat);
    magic = 1.0 - kEe * magic * magic;
    const double sqrtMagic = std::sqrt(magic);
    dLat = (dLat * 180.0) / ((kA * (1.0 - kEe)) / (magic * sqrtMagic) * kPi);
    dLon = (dLon * 180.0) / (kA / sqrtMagic * std::cos(radLat) * kPi);
    outLon = lon + dLon;
    outLat = lat + dLat;
}

void gcj02ToWgs84(double lon, double lat, double& outLon, double& outLat) {
    // Fixed point: find w with forward(w) = g. The offset changes by ~1e-5 per degree, so each step gains ~5 digits.
    double wLon = lon, wLat = lat;
    for (int i = 0; i < 30; ++i) {
        double gLon = 0, gLat = 0;
        wgs84ToGcj02(wLon, wLat, gLon, gLat);
        const double eLon = gLon - lon, eLat = gLat - lat;
        wLon -= eLon;
        wLat -= eLat;
        if (std::fabs(eLon) < 1e-10 && std::fabs(eLat) < 1e-10) break;
    }
    outLon = wLon;
    outLat = wLat;
}

void gcj02ToWgs84(double* lonLat, size_t count) {
    for (size_t i = 0; i < count; ++i) gcj02ToWgs84(lonLat[2 * i], lonLat[2 * i + 1], lonLat[2 * i], lonLat[2 * i + 1]);
}

void convertFromGcj02(VectorData& data) {
    const Crs wgs = Crs::wgs84();
    std::vector<double>& xy = data.table.xy;
    const size_t n = xy.size() / 2;
    if (!(data.crs == wgs)) {
        Transformer toLonLat(data.crs, wgs);
        if (toLonLat.transform(xy.data(), n) != n)
            data.warnings.push_back("some vertices could not be taken to longitude/latitude for the GCJ-02 correction");
        data.crs = wgs;
    }
    gcj02ToWgs84(xy.data(), n);
    // Declared and converted: the reader's "GCJ-02 will sit 600 m off" warning no longer holds.
    std::erase_if(data.warnings, [](const std::string& w) { return w.find("GCJ-02 web-map datum") != std::string::npos; });
}

}  // namespace geo

// The GCJ-02 datum conversion (geo/crs/gcj02): any double pair converts without trouble (non-finite stays
// non-finite, finite stays finite), and inside China the iterated inverse undoes the forward formula to the
// documented 1e-10 degree (checked at 1e-9).
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "crs/gcj02.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    double lon, lat;
    if (in.ConsumeBool()) {
        lon = in.ConsumeFloatingPoint<double>();
        lat = in.ConsumeFloatingPoint<double>();
    } else {
        // Spread over the GCJ-02 box (72.004..137.8347 E, 0.8293..55.8271 N) and a margin around it.
        lon = in.ConsumeFloatingPointInRange(70.0, 140.0);
        lat = in.ConsumeFloatingPointInRange(-1.0, 58.0);
    }
    const bool finite = std::isfinite(lon) && std::isfinite(lat);

    double gLon, gLat, wLon, wLat;
    geo::wgs84ToGcj02(lon, lat, gLon, gLat);
    geo::gcj02ToWgs84(lon, lat, wLon, wLat);
    if (finite) FUZZ_CHECK(std::isfinite(gLon) && std::isfinite(gLat) && std::isfinite(wLon) && std::isfinite(wLat));

    // Well inside the box (the offset is under 0.01 degree), forward then inverse is the identity.
    if (lon > 72.2 && lon < 137.6 && lat > 1.0 && lat < 55.6) {
        double backLon, backLat;
        geo::gcj02ToWgs84(gLon, gLat, backLon, backLat);
        FUZZ_CHECK(std::fabs(backLon - lon) < 1e-9 && std::fabs(backLat - lat) < 1e-9);
    }
    // The in-place array form agrees with the pairwise one.
    double xy[2] = {lon, lat};
    geo::gcj02ToWgs84(xy, 1);
    FUZZ_CHECK((std::isnan(wLon) && std::isnan(xy[0])) || xy[0] == wLon);
    FUZZ_CHECK((std::isnan(wLat) && std::isnan(xy[1])) || xy[1] == wLat);
    return 0;
}

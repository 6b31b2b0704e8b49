// Spreadsheet coordinate detection (geo/source/table_points): coordinate cells (decimal and degrees-minutes-
// seconds), header names, and whole sheets turned into points, either built directly (numeric, text and null
// cells as GDAL's CSV/XLSX/ODS drivers give them) or read from the bytes as a CSV through GDAL. The first byte
// picks the mode.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "source/table_points.hpp"
#include "source/vector_source.hpp"

namespace {

// Names a sheet may give its columns, so detection is reached without the fuzzer guessing UTF-8 headers.
const char* const kHeaders[] = {"经度", "纬度", "lon", "lat", "X坐标", "Y坐标", "东经(°)", "北纬（°）", "x", "y",
                                "Longitude [deg]", "name", "Field1", "Field2", "Field3", "easting", "northing"};
// CRSs a layer may assign: none, geographic, projected (CGCS2000 / 3-degree GK CM 114E, Web Mercator), bad.
const char* const kCrs[] = {"", "", "EPSG:4326", "EPSG:4547", "EPSG:3857", "not a crs"};
const char* const kDrivers[] = {"CSV", "XLSX", "ODS", "GPKG"};

void cell(FuzzedDataProvider& in) {
    const std::string text = in.ConsumeRemainingBytesAsString();
    if (auto v = geo::parseCoordinate(text)) FUZZ_CHECK(std::isfinite(*v));
    (void)geo::isCoordinateName(text, true);
    (void)geo::isCoordinateName(text, false);
}

// The checks after pointsFromCoordinateColumns: still one row per feature, and every point it made is finite
// (and longitude/latitude when the CRS is geographic).
void checkPoints(const geo::VectorData& d, bool geographic) {
    const geo::FeatureTable& t = d.table;
    FUZZ_CHECK(t.kinds.size() == t.featureCount() && t.fids.size() == t.featureCount());
    for (const auto& c : t.columns) FUZZ_CHECK(c.size() == t.featureCount());
    FUZZ_CHECK(t.xy.size() == 2 * t.ringCount());
    for (size_t f = 0; f < t.featureCount(); ++f) {
        const uint32_t parts = t.partEnd(f) - t.partBegin(f);
        FUZZ_CHECK(parts == (t.kinds[f] == geo::GeomKind::Point ? 1u : 0u));
    }
    for (size_t i = 0; i < t.vertexCount(); ++i) {
        const double x = t.xy[2 * i], y = t.xy[2 * i + 1];
        FUZZ_CHECK(std::isfinite(x) && std::isfinite(y));
        if (geographic) FUZZ_CHECK(x >= -180 && x <= 180 && y >= -90 && y <= 90);
    }
}

geo::SourceOptions options(FuzzedDataProvider& in, bool& geographic) {
    geo::SourceOptions o;
    const int crs = in.ConsumeIntegralInRange(0, 5);
    o.crs = kCrs[crs];
    geographic = crs < 3;
    if (in.ConsumeIntegralInRange(0, 3) == 0) o.xField = kHeaders[in.ConsumeIntegralInRange(0, 16)];
    if (in.ConsumeIntegralInRange(0, 3) == 0) o.yField = kHeaders[in.ConsumeIntegralInRange(0, 16)];
    return o;
}

std::string header(FuzzedDataProvider& in) {
    return in.ConsumeBool() ? std::string(kHeaders[in.ConsumeIntegralInRange(0, 16)]) : in.ConsumeRandomLengthString(12);
}

void sheet(FuzzedDataProvider& in) {
    bool geographic = true;
    const geo::SourceOptions o = options(in, geographic);
    geo::VectorData d;
    d.path = "/fuzz/sheet";
    d.driver = kDrivers[in.ConsumeIntegralInRange(0, 3)];
    geo::FeatureTable& t = d.table;
    const int columns = in.ConsumeIntegralInRange(0, 4);
    for (int c = 0; c < columns; ++c)
        t.columns.emplace_back(header(in), static_cast<geo::ColumnType>(in.ConsumeIntegralInRange(0, 2)));
    const size_t rows = in.ConsumeIntegralInRange(0, 32);
    for (size_t r = 0; r < rows; ++r) {
        t.beginFeature(static_cast<int64_t>(r), geo::GeomKind::None);
        t.endFeature();
        for (auto& c : t.columns) {
            const int what = in.ConsumeIntegralInRange(0, 7);
            if (what == 0) {
                c.pushNull();
            } else if (c.type == geo::ColumnType::Integer) {
                c.pushInteger(what == 1 ? in.ConsumeIntegral<int64_t>() : in.ConsumeIntegralInRange<int64_t>(-200, 200));
            } else if (c.type == geo::ColumnType::Real) {
                c.pushReal(what == 1 ? in.ConsumeFloatingPoint<double>() : in.ConsumeFloatingPointInRange(-200.0, 200.0));
            } else {
                c.pushText(what == 1 ? header(in) : in.ConsumeRandomLengthString(24));
            }
        }
    }
    try {
        geo::pointsFromCoordinateColumns(d, o);
    } catch (const geo::Error&) {
        return;  // a named column missing, or projected numbers without a CRS: a clear error
    }
    checkPoints(d, geographic);
}

// The bytes as a CSV file, read the way a layer reads it: a table or an error, never a crash.
void csv(FuzzedDataProvider& in) {
    bool geographic = true;
    const geo::SourceOptions o = options(in, geographic);
    const std::string text = in.ConsumeRemainingBytesAsString();
    fuzz::MemFile file("/vsimem/fuzz_table_points/in.csv", text.data(), text.size());
    try {
        (void)geo::readVectorLayer(file.path(), "", nullptr, o);  // a WKT column makes it a layer with geometry
    } catch (const geo::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::initGdal();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t mode = data[0] % 3;
    FuzzedDataProvider in(data + 1, size - 1);
    if (mode == 0)
        cell(in);
    else if (mode == 1)
        sheet(in);
    else
        csv(in);
    return 0;
}

// Style and colour parsing (geo/style, geo/layer/source_style): "#RRGGBB[AA]" colours, the per-feature colours
// and symbology of a categorized style over arbitrary attribute values, and the styles a KML file carries.
// The first byte picks the mode.
#include <fuzzer/FuzzedDataProvider.h>

#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include <ogrsf_frmts.h>

#include "fuzz_support.hpp"
#include "layer/source_style.hpp"
#include "style/style.hpp"

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A colour parses to the value its hex digits say, and prints back to the same digits.
void colors(const std::string& text) {
    const auto c = geo::parseColor(text);
    if (!c) return;
    const std::string hex = geo::toHex(*c);
    FUZZ_CHECK(geo::parseColor(hex) == c);
    // "#rrggbbff" prints as "#rrggbb": opaque is the default.
    FUZZ_CHECK(lower(text) == hex || lower(text) == hex + "ff");
}

void symbology(FuzzedDataProvider& in) {
    geo::FeatureTable t;
    const int columns = in.ConsumeIntegralInRange(0, 3);
    for (int c = 0; c < columns; ++c) {
        const auto type = static_cast<geo::ColumnType>(in.ConsumeIntegralInRange(0, 2));
        t.columns.emplace_back(in.ConsumeRandomLengthString(8), type);
    }
    const size_t rows = in.ConsumeIntegralInRange(0, 64);
    for (size_t r = 0; r < rows; ++r) {
        t.beginFeature(static_cast<int64_t>(r), geo::GeomKind::None);
        t.endFeature();
        for (auto& c : t.columns) {
            if (in.ConsumeBool()) {
                c.pushNull();
            } else if (c.type == geo::ColumnType::Integer) {
                c.pushInteger(in.ConsumeIntegral<int64_t>());
            } else if (c.type == geo::ColumnType::Real) {
                c.pushReal(in.ConsumeFloatingPoint<double>());
            } else {
                c.pushText(in.ConsumeRandomLengthString(12));
            }
        }
    }
    geo::Style s = geo::defaultStyle(in.ConsumeIntegral<size_t>());
    const std::string field = in.ConsumeRandomLengthString(8);
    if (in.ConsumeBool()) {
        geo::categorize(s, t, field);
        FUZZ_CHECK(s.categories.size() <= 64);
    } else {
        s.categoryField = field;
        const int n = in.ConsumeIntegralInRange(0, 8);
        for (int i = 0; i < n; ++i)
            s.categories.push_back({in.ConsumeRandomLengthString(12),
                                    geo::Rgba{in.ConsumeIntegral<uint8_t>(), in.ConsumeIntegral<uint8_t>(),
                                              in.ConsumeIntegral<uint8_t>(), in.ConsumeIntegral<uint8_t>()},
                                    static_cast<geo::Symbol>(in.ConsumeIntegralInRange(0, 3))});
    }
    s.patternField = in.ConsumeRandomLengthString(8);
    const int patterns = in.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < patterns; ++i)
        s.patterns.push_back({in.ConsumeRandomLengthString(12), static_cast<geo::Pattern>(in.ConsumeIntegralInRange(0, 2))});
    s.dashField = in.ConsumeRandomLengthString(8);
    const int dashes = in.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < dashes; ++i) s.dashValues.push_back(in.ConsumeRandomLengthString(12));

    FUZZ_CHECK(geo::featureColors(s, t).size() == t.featureCount());
    const auto sym = geo::featureSymbology(s, t);
    FUZZ_CHECK(sym.size() == t.featureCount());
    for (uint8_t v : sym) {
        FUZZ_CHECK((v & 0x07) <= static_cast<uint8_t>(geo::Pattern::DenseHatched));
        FUZZ_CHECK((v >> 4) <= static_cast<uint8_t>(geo::Symbol::Diamond));
    }
    (void)geo::hasPerFeatureSymbology(s);
}

// The style a KML carries: whatever the file says, the result is a usable style.
void kml(const uint8_t* data, size_t size) {
    fuzz::MemFile file("/vsimem/fuzz_style/in.kml", data, size);
    geo::Style s;
    geo::applyKmlStyle(s, file.path(), "");
    // applyKmlStyle looks a layer up by name: try the first one's name too.
    std::string err;
    auto ds = geo::openDataset(file.path(), GDAL_OF_VECTOR, nullptr, err);
    if (ds && ds->GetLayerCount() > 0) {
        const std::string name = ds->GetLayer(0)->GetName();
        ds.reset();
        geo::applyKmlStyle(s, file.path(), name);
    }
    FUZZ_CHECK(s.strokeWidth > 0 && std::isfinite(s.strokeWidth));
    FUZZ_CHECK(s.pointSize > 0 && std::isfinite(s.pointSize));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::initGdal();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t mode = data[0] % 3;
    ++data, --size;
    if (mode == 0) {
        colors(std::string(reinterpret_cast<const char*>(data), size));
    } else if (mode == 1) {
        FuzzedDataProvider in(data, size);
        symbology(in);
    } else {
        kml(data, size);
    }
    return 0;
}

// The style a KML file carries (geo/layer/source_style): widths the renderer cannot draw keep the default
// (found by fuzz_style, tests/fuzz: <width>1e300</width> became an infinite stroke width).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "layer/source_style.hpp"
#include "support/test_support.hpp"

namespace {

std::string kmlWithLineWidth(const std::string& width) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>lines</name>
<Placemark><name>b</name><Style><LineStyle><color>ff0000ff</color><width>)" +
           width + R"(</width></LineStyle></Style>
<LineString><coordinates>114.3,22.7 114.35,22.69</coordinates></LineString></Placemark>
</Folder></Document></kml>)";
}

geo::Style styleOf(const std::string& dir, const std::string& width) {
    const std::string path = dir + "/w.kml";
    test::writeText(path, kmlWithLineWidth(width));
    geo::Style s;
    geo::applyKmlStyle(s, path, "lines");
    return s;
}

TEST(SourceStyle, KmlLineWidthsTheRendererCannotDrawKeepTheDefault) {
    const std::string dir = test::scratchDir("source_style_widths");
    const float defaultWidth = geo::Style{}.strokeWidth;
    for (const char* width : {"1e300", "1e39", "inf", "nan", "5000", "-3", "0"}) {
        geo::Style s = styleOf(dir, width);
        EXPECT_EQ(s.strokeWidth, defaultWidth) << width;
        EXPECT_EQ(s.stroke, (geo::Rgba{255, 0, 0, 255})) << width;  // the colour still applies
    }
    EXPECT_FLOAT_EQ(styleOf(dir, "2.5").strokeWidth, 2.5f);
    EXPECT_FLOAT_EQ(styleOf(dir, "1000").strokeWidth, 1000.0f);
}

}  // namespace

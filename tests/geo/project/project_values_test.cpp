// Values in project files that would not survive a save (found by fuzz_project, tests/fuzz, whose check is that a
// parsed project saves to text that reads back equal): numbers a field cannot hold are a FormatError naming the
// field, never a value that saves as null (an infinite float) or an int cast by undefined behaviour; style lists
// without their field are dropped on reading as the save drops them.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "project/project.hpp"

namespace {

std::string parseError(const std::string& text) {
    try {
        geo::parseProject(text, "/projects", "p.atlas.json");
    } catch (const geo::FormatError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ProjectValues, NumbersOutOfTheFieldsRangeAreFormatErrors) {
    // A float field given 1e300 became +inf, which the save wrote as null and the next open refused.
    EXPECT_EQ(parseError(R"({"version":1,"layers":[{"source":"a.shp","opacity":1e300}]})"),
              "p.atlas.json: layers[0].opacity is out of range");
    EXPECT_EQ(parseError(R"({"version":1,"layers":[{"source":"a.shp","style":{"strokeWidth":-1e39}}]})"),
              "p.atlas.json: layers[0].style.strokeWidth is out of range");
    // A number past the largest double: the JSON library's out_of_range exception escaped parseProject.
    EXPECT_EQ(parseError(R"({"version":1,"view":{"lon":1e400}})"),
              "p.atlas.json: not valid JSON: [json.exception.out_of_range.406] number overflow parsing '1e400'");
    EXPECT_EQ(parseError(R"({"version":1,"layers":[{"source":"a.shp","minScale":1e308}]})"), "no error");
    // Int fields: a double past INT_MAX (undefined behaviour to cast) or an integer that would wrap.
    EXPECT_EQ(parseError(R"({"version":1e300})"), "p.atlas.json: project.version is out of range");
    EXPECT_EQ(parseError(R"({"version":1,"timeline":{"year":4294969320}})"),
              "p.atlas.json: project.timeline.year is out of range");
    EXPECT_EQ(parseError(R"({"version":1,"timeline":{"year":-9223372036854775808}})"),
              "p.atlas.json: project.timeline.year is out of range");
}

TEST(ProjectValues, NumbersWithinRangeStillParseAndSaveToAFileThatReadsBack) {
    const std::string text =
        R"({"version":1.0,"view":{"lon":-1.7e308,"lat":5e-324,"scale":0},"timeline":{"year":2147483647},
            "layers":[{"source":"a.shp","opacity":0.25,"style":{"strokeWidth":3.4e38,"pointSize":0}}]})";
    geo::Project p = geo::parseProject(text, "/projects", "p.atlas.json");
    EXPECT_EQ(p.timeline.year, 2147483647);
    EXPECT_FLOAT_EQ(p.layers[0].style.strokeWidth, 3.4e38f);
    EXPECT_EQ(geo::parseProject(geo::serializeProject(p, "/projects"), "/projects", "saved.atlas.json"), p);
}

TEST(ProjectValues, StyleListsWithoutTheirFieldReadAsTheSaveWritesThem) {
    // Categories, patterns and dash values apply through their field; the save writes them only with it.
    const std::string text = R"({"version":1,"layers":[{"source":"a.shp","style":{
        "categories":[{"value":"v","color":"#000000"}],"patterns":[{"value":"v","pattern":"hatched"}],
        "dashValues":["schematic"]}}]})";
    geo::Project p = geo::parseProject(text, "/projects", "p.atlas.json");
    EXPECT_TRUE(p.layers[0].style.categories.empty());
    EXPECT_TRUE(p.layers[0].style.patterns.empty());
    EXPECT_TRUE(p.layers[0].style.dashValues.empty());
    EXPECT_EQ(geo::parseProject(geo::serializeProject(p, "/projects"), "/projects", "saved.atlas.json"), p);
    // With their fields they stay.
    const std::string withFields = R"({"version":1,"layers":[{"source":"a.shp","style":{
        "categoryField":"k","categories":[{"value":"v","color":"#000000"}],
        "patternField":"k","patterns":[{"value":"v","pattern":"hatched"}],
        "dashField":"k","dashValues":["schematic"]}}]})";
    geo::Project q = geo::parseProject(withFields, "/projects", "p.atlas.json");
    EXPECT_EQ(q.layers[0].style.categories.size(), 1u);
    EXPECT_EQ(q.layers[0].style.patterns.size(), 1u);
    EXPECT_EQ(q.layers[0].style.dashValues.size(), 1u);
    EXPECT_EQ(geo::parseProject(geo::serializeProject(q, "/projects"), "/projects", "saved.atlas.json"), q);
}

TEST(ProjectValues, AbsoluteSourcePathsReadBackAsSaved) {
    // "a//b" and "a/./b" were kept as written, then saved relative to the project and read back normalized.
    const std::string text = R"({"version":1,"layers":[{"source":"/data//plans/./zones.gpkg"},
        {"source":"/vwicurl/http://127.0.0.1:1/x.fgb"},{"source":"/vsicurl/http://127.0.0.1:1/x.fgb"}]})";
    geo::Project p = geo::parseProject(text, "/projects", "p.atlas.json");
    EXPECT_EQ(p.layers[0].source, "/data/plans/zones.gpkg");
    EXPECT_EQ(p.layers[1].source, "/vwicurl/http:/127.0.0.1:1/x.fgb");
    EXPECT_EQ(p.layers[2].source, "/vsicurl/http://127.0.0.1:1/x.fgb");  // GDAL's virtual paths stay as written
    EXPECT_EQ(geo::parseProject(geo::serializeProject(p, "/projects"), "/projects", "saved.atlas.json"), p);
}

}  // namespace

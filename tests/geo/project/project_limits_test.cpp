// Project files too large or too deeply nested are refused before parsing (issue #13: a 50 MB file of nested
// arrays took 2-3.9 GB and up to 13 s before it was refused).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "core/error.hpp"
#include "project/project.hpp"
#include "project/project_limits.hpp"
#include "support/test_support.hpp"

namespace {

std::string nested(int depth) {
    return R"({"version":1,"layers":[],"x":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
}

std::string limitMessage(const std::string& text, const std::string& path = "p.atlas.json") {
    try {
        geo::parseProject(text, "/tmp", path);
    } catch (const geo::LimitError& e) {
        return e.what();
    } catch (const geo::Error& e) {
        return std::string("other error: ") + e.what();
    }
    return "accepted";
}

}  // namespace

TEST(ProjectLimits, NestingDeeperThan64IsRefusedNamingTheFile) {
    EXPECT_EQ(limitMessage(nested(62)), "accepted");  // 62 arrays inside the top-level object: 63 levels
    EXPECT_EQ(limitMessage(nested(63)), "accepted");
    const std::string m = limitMessage(nested(64));
    EXPECT_EQ(m.rfind("p.atlas.json: JSON nested deeper than 64 levels", 0), 0u) << m;
    EXPECT_NE(limitMessage(nested(100000)).find("nested deeper than 64"), std::string::npos);
}

TEST(ProjectLimits, BracketsInsideStringsDoNotCount) {
    const std::string deepString = R"({"version":1,"title":")" + std::string(500, '[') + R"(\"{{{","layers":[]})";
    EXPECT_EQ(limitMessage(deepString), "accepted");
    EXPECT_EQ(geo::parseProject(deepString, "/tmp", "p").title, std::string(500, '[') + "\"{{{");
}

TEST(ProjectLimits, FilesOver16MBAreRefusedBeforeTheyAreRead) {
    std::string big = R"({"version":1,"layers":[],"padding":")" + std::string(geo::kMaxProjectBytes, ' ') + "\"}";
    EXPECT_NE(limitMessage(big).find("project files over 16 MB are refused"), std::string::npos);
    const std::string dir = test::scratchDir("project_limits");
    const std::string path = dir + "/huge.atlas.json";
    {
        std::ofstream out(path, std::ios::binary);
        out << R"({"version":1,"layers":[],"x":)";
        out << std::string(30u << 20, '[');  // 30 MB of nesting, as the issue's probe
    }
    try {
        geo::loadProject(path);
        FAIL() << "a 30 MB project was accepted";
    } catch (const geo::LimitError& e) {
        EXPECT_NE(std::string(e.what()).find("huge.atlas.json: the project file is 30.0 MB"), std::string::npos)
            << e.what();
    }
}

TEST(ProjectLimits, AnUnknownDisplayCrsNamesTheProjectFile) {
    try {
        geo::parseProject(R"({"version":1,"crs":"EPSG:999999","layers":[]})", "/tmp", "plan.atlas.json");
        FAIL() << "accepted";
    } catch (const geo::FormatError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("plan.atlas.json: project.crs: ", 0), 0u) << e.what();
    }
}

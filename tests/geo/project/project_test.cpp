// Project files: round trip, relative paths, malformed and future files, atomic saves, bookmarks and slides.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "project/project.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

geo::Project sample(const std::string& dir) {
    geo::Project p;
    p.title = "坪山区 2024";
    p.displayCrs = "EPSG:4547";
    p.view = {114.35, 22.7, 25000};
    geo::ProjectLayer l;
    l.name = "碧岭北";
    l.source = dir + "/data/zones.gpkg";
    l.layer = "zones";
    l.visible = false;
    l.opacity = 0.5f;
    l.attribution = "© OpenStreetMap contributors";
    l.style.fill = {1, 2, 3, 200};
    l.style.strokeWidth = 2.5f;
    l.style.categoryField = "category";
    l.style.categories = {{"industrial park", {10, 20, 30, 255}}};
    l.style.dashField = "location_accuracy";
    l.style.dashValues = {"schematic"};
    p.layers.push_back(l);
    return p;
}

TEST(Project, RoundTripKeepsEveryField) {
    auto dir = test::scratchDir("project_rt");
    geo::Project p = sample(dir);
    geo::assignLayerIds(p);  // ids are not in the file: a loaded project numbers its layers 1..n
    geo::saveProject(p, dir + "/a.atlas.json");
    geo::Project q = geo::loadProject(dir + "/a.atlas.json");
    EXPECT_EQ(q.title, p.title);
    EXPECT_EQ(q.displayCrs, p.displayCrs);
    EXPECT_EQ(q.view, p.view);
    ASSERT_EQ(q.layers.size(), 1u);
    EXPECT_EQ(q.layers[0].source, p.layers[0].source);
    EXPECT_EQ(q.layers[0].style, p.layers[0].style);
    EXPECT_EQ(q, p);
    // Stored relative to the project file.
    std::ifstream in(dir + "/a.atlas.json");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("\"data/zones.gpkg\""), std::string::npos);
}

TEST(Project, MalformedFilesAreFormatErrors) {
    auto dir = test::scratchDir("project_bad");
    auto expectError = [&](const std::string& text, const std::string& fragment) {
        test::writeText(dir + "/p.atlas.json", text);
        try {
            geo::loadProject(dir + "/p.atlas.json");
            ADD_FAILURE() << "no error for " << text;
        } catch (const geo::FormatError& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("p.atlas.json"), std::string::npos);
        }
    };
    expectError("{not json", "not valid JSON");
    expectError("[]", "object");
    expectError(R"({"layers": []})", "version");
    expectError(R"({"version": 99})", "newer");
    expectError(R"({"version": 1, "layers": [{"source": 3}]})", "wrong type");
    expectError(R"({"version": 1, "layers": [{}]})", "source");
    expectError(R"({"version": 1, "layers": [{"source": "a.shp", "style": {"fill": "red"}}]})", "colour");
    EXPECT_THROW(geo::loadProject(dir + "/missing.atlas.json"), geo::IoError);
}

TEST(Project, FailedSaveLeavesTheOldFileIntact) {
    auto dir = test::scratchDir("project_atomic");
    std::string path = dir + "/p.atlas.json";
    geo::saveProject(sample(dir), path);
    std::ifstream in(path);
    std::string before((std::istreambuf_iterator<char>(in)), {});
    // Make the temporary file impossible to create: a directory stands where it would go.
    fs::create_directory(path + ".tmp");
    geo::Project changed = sample(dir);
    changed.title = "changed";
    EXPECT_THROW(geo::saveProject(changed, path), geo::IoError);
    std::ifstream again(path);
    std::string after((std::istreambuf_iterator<char>(again)), {});
    EXPECT_EQ(before, after);
}

TEST(Project, BundledDefaultProjectLoadsAndItsSourcesExist) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    EXPECT_FALSE(p.layers.empty());
    for (const auto& l : p.layers) {
        EXPECT_TRUE(fs::exists(l.source)) << l.source;
        EXPECT_FALSE(l.attribution.empty()) << l.name;
    }
}

TEST(Project, BookmarksAndSlidesRoundTrip) {
    auto dir = test::scratchDir("project_slides");
    geo::Project p;
    p.title = "t";
    p.bookmarks = {{"坪山中心", {114.35, 22.70, 5000}, "EPSG:4547"}};
    geo::Slide s;
    s.title = "马峦山";
    s.caption = "第一行\nsecond line";
    s.view = {114.36, 22.65, 20000};
    s.fitProjects = {"C06"};
    s.visibleLayers = {"陆地 Land"};
    s.highlight = {"C06", "C07"};
    p.slides = {s, geo::Slide{}};
    geo::saveProject(p, dir + "/p.atlas.json");
    geo::Project q = geo::loadProject(dir + "/p.atlas.json");
    EXPECT_EQ(q.bookmarks, p.bookmarks);
    EXPECT_EQ(q.slides, p.slides);
}

}  // namespace

namespace {

TEST(Project, ScaleRangeRoundTripsAndDecidesVisibility) {
    auto dir = test::scratchDir("project_scale_range");
    geo::Project p;
    geo::ProjectLayer l;
    l.name = "stations";
    l.source = dir + "/s.gpkg";
    l.maxScale = 60000;
    p.layers.push_back(l);
    geo::assignLayerIds(p);
    geo::saveProject(p, dir + "/p.atlas.json");
    geo::Project q = geo::loadProject(dir + "/p.atlas.json");
    EXPECT_EQ(q.layers[0].maxScale, 60000);
    EXPECT_EQ(q.layers[0].minScale, 0);
    EXPECT_TRUE(q.layers[0].visibleAtScale(5000));
    EXPECT_TRUE(q.layers[0].visibleAtScale(60000));
    EXPECT_FALSE(q.layers[0].visibleAtScale(100000));  // the district overview
    EXPECT_TRUE(q.layers[0].visibleAtScale(0));         // no scale known: drawn
    q.layers[0].minScale = 2000;
    EXPECT_FALSE(q.layers[0].visibleAtScale(1000));
    test::writeText(dir + "/bad.atlas.json",
                    R"({"version": 1, "layers": [{"name": "x", "source": "s.gpkg", "minScale": 9000, "maxScale": 100}]})");
    EXPECT_THROW(geo::loadProject(dir + "/bad.atlas.json"), geo::FormatError);
}

TEST(Project, BundledStationsAreHiddenAtTheDistrictOverview) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    const auto it = std::find_if(p.layers.begin(), p.layers.end(),
                                 [](const geo::ProjectLayer& l) { return l.source.find("rail_stations") != std::string::npos; });
    ASSERT_NE(it, p.layers.end());
    EXPECT_FALSE(it->visibleAtScale(100000));
    EXPECT_TRUE(it->visibleAtScale(25000));
}

}  // namespace

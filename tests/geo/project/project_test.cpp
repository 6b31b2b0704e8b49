// Project files: round trip, relative paths, malformed and future files, atomic saves, bookmarks and slides.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "tiles/tile_source.hpp"
#include "core/error.hpp"
#include "project/history.hpp"
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
    // A write that fails part-way (as on a full disk; permissions would not stop root): a file size limit below
    // the project's size makes write() fail with EFBIG.
    geo::Project changed = sample(dir);
    changed.title = "changed";
    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 16;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    EXPECT_THROW(geo::saveProject(changed, path), geo::IoError);
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previousHandler);
    for (const auto& e : fs::directory_iterator(dir))  // the temporary is gone with the failure
        EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
    std::ifstream again(path);
    std::string after((std::istreambuf_iterator<char>(again)), {});
    EXPECT_EQ(before, after);
}

TEST(Project, BundledDefaultProjectLoadsAndItsSourcesExist) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    EXPECT_FALSE(p.layers.empty());
    for (const auto& l : p.layers) {
        if (!geo::isTileSourceString(l.source)) EXPECT_TRUE(fs::exists(l.source)) << l.source;  // basemaps are URLs
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

namespace {

// Swipe, timeline, a slide's phase and swipe, and the markup (in its own GeoPackage beside the project) survive a
// save and a load; undo of a markup command restores the list.
TEST(Project, SwipeTimelineAndMarkupRoundTrip) {
    auto dir = test::scratchDir("project_workbench");
    geo::Project p = sample(dir);
    p.swipe = {true, 0.3, {"碧岭北"}, {}};
    p.timeline = {true, 2024, "under construction"};
    geo::Slide s;
    s.title = "施工中";
    s.phase = "preparing";
    s.swipe = {true, 0.7, {}, {"碧岭北"}};
    p.slides.push_back(s);
    geo::MarkupItem note;
    note.kind = geo::MarkupKind::Text;
    note.lonLat = {114.35, 22.70};
    note.text = "马峦山 入口 需复核";
    note.color = {10, 20, 30, 200};
    note.width = 20;
    note.author = "planner";
    note.created = "2026-12-03T10:00:00Z";
    geo::MarkupItem arrow = note;
    arrow.kind = geo::MarkupKind::Arrow;
    arrow.lonLat = {114.30, 22.68, 114.33, 22.69};
    arrow.text.clear();
    p.markup = {note, arrow};
    geo::assignLayerIds(p);
    const std::string path = dir + "/plan.atlas.json";
    geo::saveProject(p, path);
    EXPECT_EQ(geo::markupPathFor(path), dir + "/plan.markup.gpkg");
    EXPECT_TRUE(fs::exists(dir + "/plan.markup.gpkg"));
    geo::Project q = geo::loadProject(path);
    EXPECT_EQ(q.swipe, p.swipe);
    EXPECT_EQ(q.timeline, p.timeline);
    ASSERT_EQ(q.slides.size(), 1u);
    EXPECT_EQ(q.slides[0].phase, "preparing");
    EXPECT_EQ(q.slides[0].swipe, s.swipe);
    EXPECT_EQ(q.markup, p.markup);
    EXPECT_EQ(q, p);
    // Deleting every note empties the markup file rather than letting old notes come back.
    q.markup.clear();
    geo::saveProject(q, path);
    EXPECT_TRUE(geo::loadProject(path).markup.empty());
    // What a slide shows.
    EXPECT_EQ(geo::timelineFor(p, &p.slides[0]), (geo::Timeline{true, 0, "preparing"}));
    EXPECT_EQ(geo::timelineFor(p, nullptr), p.timeline);
    EXPECT_EQ(geo::swipeFor(p, &p.slides[0]).position, 0.7);
    // A slide's swipe switched off keeps its divider and sides through a save.
    p.slides[0].swipe.enabled = false;
    geo::saveProject(p, path);
    EXPECT_EQ(geo::loadProject(path).slides.at(0).swipe, (geo::Swipe{false, 0.7, {}, {"碧岭北"}}));
}

TEST(Project, BadSwipeTimelineAndMarkupAreFormatErrors) {
    auto dir = test::scratchDir("project_workbench_bad");
    auto bad = [&](const std::string& extra) {
        std::string text = R"({"version": 1, "layers": [], )" + extra + "}";
        EXPECT_THROW(geo::parseProject(text, dir, "p.atlas.json"), geo::FormatError) << extra;
    };
    bad(R"("swipe": {"position": 1.5})");
    bad(R"("swipe": [])");
    bad(R"("timeline": {"phase": "demolished"})");
    bad(R"("slides": [{"title": "x", "phase": "soon"}])");
    // A project naming a markup file that is not there says so, naming the file.
    std::ofstream(dir + "/m.atlas.json") << R"({"version": 1, "layers": [], "markup": "gone.markup.gpkg"})";
    try {
        geo::loadProject(dir + "/m.atlas.json");
        ADD_FAILURE() << "loaded a project whose markup file is missing";
    } catch (const geo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("gone.markup.gpkg"), std::string::npos) << e.what();
    }
}

}  // namespace

namespace {

// A layer's read options (assigned CRS, GCJ-02 datum, spreadsheet columns, CAD control points) are kept by the
// project file; the viewer's database filter is not.
TEST(Project, SourceOptionsRoundTripButNotTheViewFilter) {
    auto dir = test::scratchDir("project_source_options");
    geo::Project p = sample(dir);
    geo::SourceOptions& o = p.layers[0].options;
    o.crs = "+proj=tmerc +lat_0=0 +lon_0=114.1 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs";
    o.datum = "gcj02";
    o.xField = "经度";
    o.yField = "纬度";
    o.controlPoints = {{10, 20, 530000, 2510000}, {110, 20, 530100, 2510000}};
    geo::assignLayerIds(p);
    geo::saveProject(p, dir + "/o.atlas.json");
    geo::Project q = geo::loadProject(dir + "/o.atlas.json");
    EXPECT_EQ(q.layers[0].options, o);
    // The filter is the viewer's: a command never puts it into the project.
    geo::SourceOptions withFilter = o;
    withFilter.filter.add(1, 2);
    withFilter.filter.add(3, 4);
    withFilter.simplifyTolerance = 5;
    geo::History h(q);
    ASSERT_TRUE(h.apply(geo::cmd::setLayerOptions(q.layers[0].id, withFilter)) || h.project().layers[0].options == o);
    EXPECT_TRUE(h.project().layers[0].options.filter.empty());
    EXPECT_EQ(h.project().layers[0].options.simplifyTolerance, 0);
    auto bad = [&](const std::string& layer) {
        std::string text = R"({"version": 1, "layers": [)" + layer + "]}";
        EXPECT_THROW(geo::parseProject(text, dir, "p.atlas.json"), geo::FormatError) << layer;
    };
    bad(R"({"source": "a.dxf", "datum": "bd09"})");
    bad(R"({"source": "a.dxf", "controlPoints": [[1, 2, 3, 4], [5, 6, 7, 8]]})");  // no "crs" to place into
    bad(R"({"source": "a.dxf", "crs": "EPSG:4547", "controlPoints": [[1, 2, 3]]})");
}

}  // namespace

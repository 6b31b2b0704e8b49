// Where a project reaches: network sources and their hosts, local files outside the project's folder, the
// grouping the viewer's prompt and the commands' stderr lines use, and a markup sidecar that may not reach out.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "project/project.hpp"
#include "project/reach.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

geo::ProjectLayer layer(const std::string& name, const std::string& source) {
    geo::ProjectLayer l;
    l.name = name;
    l.source = source;
    return l;
}

bool mentions(const std::vector<std::string>& list, const std::string& text) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

}  // namespace

TEST(Reach, NetworkSourcesAreTold) {
    for (const char* s : {"/vsicurl/https://data.example.com/a.tif", "/vsicurl_streaming/http://h/a.geojson",
                          "/vsizip//vsicurl/https://h/a.zip/x.shp", "/vsis3/bucket/a.tif",
                          "https://tile.example.com/{z}/{x}/{y}.png", "WMS:https://wms.example.com/?LAYERS=a",
                          "PG:dbname=plan host=/run/postgresql", "pg:service=planning", "MySQL:plan,host=db.example",
                          "/vsicurl?use_head=no&url=https%3A%2F%2Fenc.example.com%2Fa.tif"})
        EXPECT_TRUE(geo::isNetworkSource(s)) << s;
    for (const char* s : {"/data/zones.gpkg", "zones.shp", "/vsizip//data/a.zip/x.shp", "/vsimem/x.geojson",
                          "/data/http_mirror/a.gpkg", "GPKG:/data/a.gpkg:table"})
        EXPECT_FALSE(geo::isNetworkSource(s)) << s;
}

TEST(Reach, HostsAreNamedWithTheirPortAndNoSecret) {
    using V = std::vector<std::string>;
    EXPECT_EQ(geo::sourceHosts("/vsicurl/http://127.0.0.1:8080/a.fgb"), V{"127.0.0.1:8080"});
    EXPECT_EQ(geo::sourceHosts("/vsicurl/https://Data.Example.com/a.tif"), V{"data.example.com:443"});
    EXPECT_EQ(geo::sourceHosts("https://user:secret@tiles.example.com/{z}/{x}/{y}.png"), V{"tiles.example.com:443"});
    EXPECT_EQ(geo::sourceHosts("/vsicurl?url=https%3A%2F%2Fenc.example.com%3A9443%2Fa.tif"), V{"enc.example.com:9443"});
    EXPECT_EQ(geo::sourceHosts("http://[::1]:8000/a.tif"), V{"[::1]:8000"});
    EXPECT_EQ(geo::sourceHosts("/vsis3/bucket/key.tif"), V{"s3.amazonaws.com:443"});
    EXPECT_EQ(geo::sourceHosts("PG:dbname=plan host=db.example port=5433 password=secret"), V{"db.example:5433"});
    EXPECT_EQ(geo::sourceHosts("PG:host=/run/postgresql dbname=plan"), V{"/run/postgresql:5432"});
    EXPECT_EQ(geo::sourceHosts("PG:service=planning"), V{"service planning"});
    EXPECT_EQ(geo::sourceHosts("PG:postgresql://planner:secret@h2/plan"), V{"h2:5432"});
    EXPECT_EQ(geo::sourceHosts("PG:password='a b' host=h1,h2 dbname=x"), (V{"h1:5432", "h2:5432"}));
    EXPECT_EQ(geo::sourceHosts("MySQL:plan,host=DB.example,user=u,password=secret"), V{"db.example"});
    EXPECT_TRUE(geo::sourceHosts("/data/a.gpkg").empty());
    for (const char* s : {"PG:dbname=plan host=db.example port=5433 password=secret",
                          "PG:postgresql://planner:secret@h2/plan", "https://user:secret@tiles.example.com/a.png",
                          "MySQL:plan,host=db,user=u,password=secret"})
        EXPECT_FALSE(mentions(geo::sourceHosts(s), "secret")) << s;
}

TEST(Reach, LocalFilesBehindArchivesAndDriverPrefixes) {
    auto dir = test::scratchDir("reach_local");
    test::writeText(dir + "/a.zip", "PK");
    EXPECT_EQ(geo::localFileOf("/vsizip/" + dir + "/a.zip/inner/x.shp"), dir + "/a.zip");
    EXPECT_EQ(geo::localFileOf("/vsizip/{" + dir + "/a.zip}/x.shp"), dir + "/a.zip");
    EXPECT_EQ(geo::localFileOf("GPKG:/data/a.gpkg:table"), "/data/a.gpkg");
    EXPECT_EQ(geo::localFileOf("data/../zones.gpkg", "/work/plan"), "/work/plan/zones.gpkg");
    EXPECT_EQ(geo::localFileOf("/vsimem/x.geojson"), "");
    EXPECT_EQ(geo::localFileOf("/vsicurl/https://h/a.tif"), "");
}

TEST(Reach, InsideTheFolderFollowsLinks) {
    auto dir = test::scratchDir("reach_inside");
    auto other = test::scratchDir("reach_inside_other");
    fs::create_directories(dir + "/plan/data");
    test::writeText(dir + "/plan/data/a.gpkg", "");
    test::writeText(other + "/secret.gpkg", "");
    fs::create_symlink(other + "/secret.gpkg", dir + "/plan/data/link.gpkg");
    EXPECT_TRUE(geo::isInsideFolder(dir + "/plan/data/a.gpkg", dir + "/plan"));
    EXPECT_TRUE(geo::isInsideFolder(dir + "/plan/data/not_yet.gpkg", dir + "/plan"));
    EXPECT_FALSE(geo::isInsideFolder(dir + "/plan/../a.gpkg", dir + "/plan"));
    EXPECT_FALSE(geo::isInsideFolder(dir + "/planning/a.gpkg", dir + "/plan"));  // a prefix is not a parent
    EXPECT_FALSE(geo::isInsideFolder(dir + "/plan/data/link.gpkg", dir + "/plan"));
    EXPECT_FALSE(geo::isInsideFolder("/etc/passwd", dir + "/plan"));
}

TEST(Reach, ProjectReachGroupsByHostAndFile) {
    auto dir = test::scratchDir("reach_project");
    geo::Project p;
    p.layers = {layer("zones", dir + "/zones.gpkg"),
                layer("roads", "/vsicurl/http://127.0.0.1:8080/roads.fgb"),
                layer("dem", "/vsicurl/http://127.0.0.1:8080/dem.tif"),
                layer("db", "PG:host=db.example dbname=plan password=secret"),
                layer("outside", "/srv/shared/parcels.shp"),
                layer("outside again", "/srv/shared/parcels.shp")};
    const auto reach = geo::projectReach(p, dir + "/plan.atlas.json");
    ASSERT_EQ(reach.size(), 3u);
    EXPECT_EQ(reach[0], (geo::ReachTarget{geo::ReachTarget::Network, "127.0.0.1:8080", {"roads", "dem"}}));
    EXPECT_EQ(reach[1], (geo::ReachTarget{geo::ReachTarget::Network, "db.example:5432", {"db"}}));
    EXPECT_EQ(reach[2],
              (geo::ReachTarget{geo::ReachTarget::OutsideFolder, "/srv/shared/parcels.shp", {"outside", "outside again"}}));
    EXPECT_EQ(geo::networkReach(reach).size(), 2u);
    EXPECT_EQ(geo::describeReach(geo::networkReach(reach)),
              "127.0.0.1:8080 (layers roads, dem)\ndb.example:5432 (layer db)");
    // Layers named on the command line (no project file): only the network counts.
    EXPECT_EQ(geo::projectReach(p, "").size(), 2u);
}

TEST(Reach, DescriptionFilesThatFetchOrPointOutside) {
    auto dir = test::scratchDir("reach_vrt");
    fs::create_directories(dir + "/plan");
    test::writeText(dir + "/plan/tiles.xml",
                    "<GDAL_WMS><Service name=\"TMS\"><ServerUrl>https://tile.example.org/${z}/${x}/${y}.png"
                    "</ServerUrl></Service></GDAL_WMS>");
    test::writeText(dir + "/plan/mosaic.vrt",
                    "<VRTDataset><VRTRasterBand><SimpleSource><SourceFilename relativeToVRT=\"1\">../outside.tif"
                    "</SourceFilename></SimpleSource></VRTRasterBand></VRTDataset>");
    test::writeText(dir + "/plan/inside.vrt",
                    "<VRTDataset><SimpleSource><SourceFilename relativeToVRT=\"1\">data/a.tif</SourceFilename>"
                    "</SimpleSource></VRTDataset>");
    geo::Project p;
    p.layers = {layer("tiles", dir + "/plan/tiles.xml"), layer("mosaic", dir + "/plan/mosaic.vrt"),
                layer("inside", dir + "/plan/inside.vrt")};
    const auto reach = geo::projectReach(p, dir + "/plan/p.atlas.json");
    ASSERT_EQ(reach.size(), 2u);
    EXPECT_EQ(reach[0].where, "tile.example.org:443");
    EXPECT_EQ(reach[1].kind, geo::ReachTarget::OutsideFolder);
    EXPECT_EQ(reach[1].where, dir + "/outside.tif");
    EXPECT_EQ(reach[1].layers, std::vector<std::string>{"mosaic"});
}

TEST(Reach, BundledProjectReachesNothing) {
    const std::string path = test::assetPath("pingshan2024.atlas.json");
    EXPECT_TRUE(geo::projectReach(geo::loadProject(path), path).empty());
}

TEST(Reach, FingerprintFollowsTheTargetsNotTheLayerNames) {
    geo::Project p;
    p.layers = {layer("a", "/vsicurl/http://127.0.0.1:1/a.tif"), layer("b", "/srv/b.gpkg")};
    const std::string before = geo::reachFingerprint(geo::projectReach(p, "/work/p.atlas.json"));
    EXPECT_EQ(before.size(), 16u);
    p.layers[0].name = "renamed";
    EXPECT_EQ(geo::reachFingerprint(geo::projectReach(p, "/work/p.atlas.json")), before);
    p.layers.push_back(layer("c", "/vsicurl/http://127.0.0.2:1/c.tif"));
    EXPECT_NE(geo::reachFingerprint(geo::projectReach(p, "/work/p.atlas.json")), before);
}

TEST(Reach, MarkupSidecarMustStayInTheProjectFolder) {
    auto dir = test::scratchDir("reach_markup");
    for (const char* markup : {"/vsicurl/http://127.0.0.1:9/m.gpkg", "../elsewhere.markup.gpkg", "/etc/m.gpkg",
                               "PG:dbname=x password=secret"}) {
        test::writeText(dir + "/m.atlas.json",
                        std::string(R"({"version": 1, "layers": [], "markup": ")") + markup + "\"}");
        try {
            geo::loadProject(dir + "/m.atlas.json");
            ADD_FAILURE() << markup << " was accepted";
        } catch (const geo::FormatError& e) {
            EXPECT_NE(std::string(e.what()).find("project's folder"), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
        }
    }
}

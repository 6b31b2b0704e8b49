// Tile layers in project files: the "tiles" object parsed into the layer's options (bad values named), saved and
// read back equal; keys never written (project file, recovery sidecar); URL sources never made relative paths.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.hpp"
#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "project/project.hpp"
#include "project/recovery.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kSecret = "SECRETTK0123456789abcdef";
const std::string kTianditu =
    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
    "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=";

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("tile_project") {}
};

std::string readAll(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string projectWith(const std::string& layers) {
    return R"({"version": 1, "title": "basemaps", "crs": "EPSG:4547", "layers": [)" + layers + "]}";
}

// The error parsing `layers` gives ("" when it parses).
std::string parseError(const std::string& layers) {
    try {
        geo::parseProject(projectWith(layers), "/projects/pingshan", "test.atlas.json");
    } catch (const geo::FormatError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(TileProject, TilesObjectParsesIntoTheLayerOptions) {
    const std::string text = projectWith(R"(
        {"name": "roads", "source": "data/roads.gpkg"},
        {"name": "AMap", "source": "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}",
         "visible": false,
         "tiles": {"minZoom": 3, "maxZoom": 18, "tileSize": 512, "subdomains": "1234", "datum": "gcj02",
                   "attribution": "(c) AutoNavi"}},
        {"name": "WMTS", "source": "WMTS:https://wmts.example.org/service",
         "tiles": {"layer": "vec", "style": "default", "matrixSet": "c", "format": "image/png"}},
        {"name": "offline", "source": "basemaps/pingshan.mbtiles"}
    )");
    geo::Project p = geo::parseProject(text, "/projects/pingshan", "test.atlas.json");
    ASSERT_EQ(p.layers.size(), 4u);
    EXPECT_EQ(p.layers[0].options.tiles, geo::TileOptions{});  // layers without "tiles" keep the defaults

    const geo::ProjectLayer& amap = p.layers[1];
    EXPECT_EQ(amap.source, "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}");
    EXPECT_EQ(amap.options.tiles.minZoom, 3);
    EXPECT_EQ(amap.options.tiles.maxZoom, 18);
    EXPECT_EQ(amap.options.tiles.tileSize, 512);
    EXPECT_EQ(amap.options.tiles.subdomains, "1234");
    EXPECT_EQ(amap.options.datum, "gcj02");
    EXPECT_EQ(amap.attribution, "(c) AutoNavi");
    EXPECT_TRUE(geo::isTileLayer(amap));
    geo::TileSourceSpec spec = geo::tileSpecOf(amap);
    EXPECT_EQ(spec.kind, geo::TileKind::Xyz);
    EXPECT_TRUE(spec.gcj02);
    EXPECT_EQ(spec.options, amap.options.tiles);

    const geo::ProjectLayer& wmts = p.layers[2];
    EXPECT_EQ(wmts.source, "WMTS:https://wmts.example.org/service");
    EXPECT_EQ(wmts.options.tiles.layer, "vec");
    EXPECT_EQ(wmts.options.tiles.style, "default");
    EXPECT_EQ(wmts.options.tiles.matrixSet, "c");
    EXPECT_EQ(wmts.options.tiles.format, "image/png");
    EXPECT_EQ(wmts.options.tiles.maxZoom, 19);
    EXPECT_EQ(geo::tileSpecOf(wmts).kind, geo::TileKind::Wmts);

    // A tile file is a path like any other: relative to the project folder.
    EXPECT_EQ(p.layers[3].source, "/projects/pingshan/basemaps/pingshan.mbtiles");
    EXPECT_EQ(geo::tileSpecOf(p.layers[3]).kind, geo::TileKind::MBTiles);

    // The layer's own attribution wins over the tiles object's.
    geo::Project q = geo::parseProject(
        projectWith(
            R"({"source": "https://h/{z}/{x}/{y}.png", "attribution": "mine", "tiles": {"attribution": "theirs"}})"),
        "/p",
        "t");
    EXPECT_EQ(q.layers[0].attribution, "mine");
}

TEST(TileProject, BadTileValuesNameTheLayer) {
    const std::string first = R"({"source": "data/roads.gpkg"}, )";
    struct Case {
        const char* tiles;
        const char* says;
    } cases[] = {
        {R"("tiles": 5)", "layers[1].tiles must be an object"},
        {R"("tiles": ["maxZoom"])", "layers[1].tiles must be an object"},
        {R"("tiles": {"tileSize": 300})", "layers[1].tiles.tileSize"},
        {R"("tiles": {"maxZoom": 31})", "layers[1].tiles"},
        {R"("tiles": {"minZoom": -1})", "layers[1].tiles"},
        {R"("tiles": {"minZoom": 12, "maxZoom": 10})", "layers[1].tiles"},
        {R"("tiles": {"maxZoom": "18"})", "layers[1].tiles.maxZoom"},
        {R"("tiles": {"maxZoom": 1e300})", "layers[1].tiles.maxZoom"},
        {R"("tiles": {"subdomains": 3})", "layers[1].tiles.subdomains"},
        {R"("tiles": {"datum": "bd09"})", "layers[1].tiles.datum"},
        {R"("tiles": {"attribution": false})", "layers[1].tiles.attribution"},
    };
    for (const Case& c : cases) {
        std::string err = parseError(first + R"({"source": "https://h/{z}/{x}/{y}.png", )" + c.tiles + "}");
        EXPECT_NE(err.find(c.says), std::string::npos) << c.tiles << " -> '" << err << "'";
        EXPECT_NE(err.find("test.atlas.json"), std::string::npos) << err;
    }
    EXPECT_EQ(parseError(first + R"({"source": "https://h/{z}/{x}/{y}.png", "tiles": {}})"), "");
    EXPECT_EQ(parseError(first + R"({"source": "https://h/{z}/{x}/{y}.png", "tiles": {"datum": "wgs84"}})"), "");
}

TEST(TileProject, SavesAndReadsBackEqual) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    geo::Project p;
    p.title = "basemaps";
    p.displayCrs = "EPSG:4547";
    geo::ProjectLayer amap;
    amap.name = "AMap";
    amap.source = "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}";
    amap.options.datum = "gcj02";
    amap.options.tiles.minZoom = 3;
    amap.options.tiles.maxZoom = 18;
    amap.options.tiles.tileSize = 512;
    amap.options.tiles.subdomains = "1234";
    amap.attribution = "(c) AutoNavi";
    amap.visible = false;
    p.layers.push_back(amap);
    geo::ProjectLayer wmts;
    wmts.name = "Tianditu imagery";
    wmts.source = "https://t0.tianditu.gov.cn/img_c/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&tk={key}";
    wmts.options.tiles.layer = "img";
    wmts.options.tiles.style = "default";
    wmts.options.tiles.matrixSet = "c";
    wmts.options.tiles.format = "tiles";
    p.layers.push_back(wmts);
    geo::ProjectLayer file;
    file.name = "meeting";
    file.source = dir.file("basemaps/pingshan.mbtiles");
    p.layers.push_back(file);
    geo::ProjectLayer plain;  // a template with every option at its default
    plain.name = "OSM";
    plain.source = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    plain.attribution = "(c) OpenStreetMap contributors";
    p.layers.push_back(plain);
    geo::assignLayerIds(p);

    const std::string path = dir.file("basemaps.atlas.json");
    geo::saveProject(p, path);
    geo::Project q = geo::loadProject(path);
    EXPECT_EQ(q.layers, p.layers);
    EXPECT_EQ(q, p);
    // Saved again, the same text.
    geo::saveProject(q, dir.file("again.atlas.json"));
    EXPECT_EQ(readAll(dir.file("again.atlas.json")), readAll(path));

    const std::string text = readAll(path);
    EXPECT_NE(text.find("\"tiles\""), std::string::npos);
    EXPECT_NE(text.find("\"basemaps/pingshan.mbtiles\""), std::string::npos);  // a file: relative
    // URLs exactly as given: not made relative to the project folder, not normalised.
    EXPECT_NE(text.find("\"https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}\""),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\""), std::string::npos) << text;
    EXPECT_EQ(text.find("../"), std::string::npos) << text;
    // Only what differs from the defaults is written: the OSM layer has no "tiles" object.
    EXPECT_EQ(q.layers[3].options.tiles, geo::TileOptions{});
    size_t tilesObjects = 0;
    for (size_t at = text.find("\"tiles\":"); at != std::string::npos; at = text.find("\"tiles\":", at + 1))
        ++tilesObjects;
    EXPECT_EQ(tilesObjects, 2u) << text;
}

TEST(TileProject, LiteralKeysAreNeverWritten) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    // Pasted from the provider's page with the key in it, in any case, among other parameters; the name left to
    // default (derived from the source).
    const std::string layers = R"({"source": ")" + kTianditu + kSecret + R"("},
        {"name": "mapbox", "source": "https://api.example.com/v4/{z}/{x}/{y}.png?ACCESS_TOKEN=)" +
                               kSecret +
                               R"(&fresh=true"},
        {"name": "wmts", "source": "WMTS:https://wmts.example.org/service?key=)" +
                               kSecret + R"("},
        {"source": "https://tiles.example.org/{z}/{x}/{y}?apikey=)" +
                               kSecret + R"("})";
    geo::Project p = geo::parseProject(projectWith(layers), dir.path(), "k.atlas.json");
    ASSERT_EQ(p.layers.size(), 4u);
    // In memory the source is as given: the provider uses it.
    EXPECT_NE(p.layers[0].source.find(kSecret), std::string::npos);
    EXPECT_EQ(geo::tileSpecOf(p.layers[0]).kind, geo::TileKind::Xyz);
    for (const geo::ProjectLayer& l : p.layers) EXPECT_EQ(l.name.find(kSecret), std::string::npos) << l.name;

    const std::string path = dir.file("k.atlas.json");
    geo::saveProject(p, path);
    const std::string text = readAll(path);
    EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
    EXPECT_NE(text.find("&tk={key}"), std::string::npos) << text;
    EXPECT_NE(text.find("ACCESS_TOKEN={key}&fresh=true"), std::string::npos) << text;
    EXPECT_NE(text.find("service?key={key}"), std::string::npos) << text;
    geo::Project q = geo::loadProject(path);
    EXPECT_EQ(q.layers[0].source, kTianditu + "{key}");

    // Nor in text made without a project folder (the viewer's snapshot, the recovery sidecar).
    EXPECT_EQ(geo::serializeProject(p, "").find(kSecret), std::string::npos);
    const std::string recovery =
        geo::writeRecovery(dir.file("recovery"), p, path, geo::RecoveryOwner{1, "x"}, 1700000000);
    EXPECT_EQ(readAll(recovery).find(kSecret), std::string::npos) << readAll(recovery);
    // Nor anywhere else in the folder.
    for (const auto& e : fs::recursive_directory_iterator(dir.path()))
        if (e.is_regular_file()) EXPECT_EQ(readAll(e.path().string()).find(kSecret), std::string::npos) << e.path();
}

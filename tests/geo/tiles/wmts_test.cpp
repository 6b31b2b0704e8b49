// WMTS capabilities: hand-written documents in tests/geo/tiles/data (a RESTful Web Mercator service and a KVP one
// laid out like Tianditu's vec_c / vec_w), parsed into layers and grids, and the tile URL template of a choice.
#include "tiles/wmts.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace {

std::string readData(const std::string& name) {
    std::ifstream in(std::string(PLANATLAS_SOURCE_DIR) + "/tests/geo/tiles/data/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

constexpr double kMercatorRes0 = 156543.03392804097;  // 2 pi 6378137 / 256

const geo::WmtsMatrixSet* findSet(const geo::WmtsCapabilities& caps, const std::string& id) {
    for (const auto& s : caps.matrixSets)
        if (s.id == id) return &s;
    return nullptr;
}

}  // namespace

TEST(WmtsCapabilities, RestServiceLayersStylesAndSets) {
    geo::WmtsCapabilities caps = geo::parseWmtsCapabilities(readData("wmts_rest_3857.xml"));
    EXPECT_EQ(caps.title, "Test REST tiles");
    EXPECT_EQ(caps.getTileKvpUrl, "");
    ASSERT_EQ(caps.layers.size(), 2u);
    const geo::WmtsLayer& roads = caps.layers[0];
    EXPECT_EQ(roads.id, "plan:roads");
    EXPECT_EQ(roads.title, "Roads");
    // The default style comes first whatever its place in the document.
    ASSERT_EQ(roads.styles.size(), 2u);
    EXPECT_EQ(roads.styles[0], "day");
    EXPECT_EQ(roads.styles[1], "night");
    EXPECT_EQ(roads.formats, (std::vector<std::string>{"image/png", "image/jpeg"}));
    EXPECT_EQ(roads.matrixSets, (std::vector<std::string>{"WorldCRS84", "GoogleMaps"}));
    EXPECT_NE(roads.resourceUrl.find("{TileMatrix}"), std::string::npos);
    EXPECT_DOUBLE_EQ(roads.wgs84Bounds.minX, 73.5);
    EXPECT_DOUBLE_EQ(roads.wgs84Bounds.minY, 18.0);
    EXPECT_DOUBLE_EQ(roads.wgs84Bounds.maxX, 135.1);
    EXPECT_DOUBLE_EQ(roads.wgs84Bounds.maxY, 53.6);
    EXPECT_TRUE(caps.layers[1].wgs84Bounds.empty());

    const geo::WmtsMatrixSet* gm = findSet(caps, "GoogleMaps");
    ASSERT_NE(gm, nullptr);
    EXPECT_EQ(gm->crs, "EPSG:3857");
    EXPECT_EQ(gm->grid.crs, "EPSG:3857");
    EXPECT_EQ(gm->grid.tileWidth, 256);
    EXPECT_EQ(gm->grid.minLevel, 0);
    ASSERT_EQ(gm->grid.levels.size(), 4u);
    for (int z = 0; z < 4; ++z) {
        const geo::TileMatrix& m = gm->grid.levels[z];
        EXPECT_EQ(m.id, "GoogleMaps:" + std::to_string(z));
        EXPECT_NEAR(m.resolution, kMercatorRes0 / (1 << z), 1e-6);
        EXPECT_EQ(m.matrixWidth, 1 << z);
        EXPECT_EQ(m.matrixHeight, 1 << z);
        EXPECT_NEAR(m.originX, -20037508.342789244, 1e-6);
        EXPECT_NEAR(m.originY, 20037508.342789244, 1e-6);
    }

    // EPSG:4326 given as an http URI; its TopLeftCorner is latitude first and comes back as x = lon, y = lat.
    const geo::WmtsMatrixSet* wgs = findSet(caps, "WorldCRS84");
    ASSERT_NE(wgs, nullptr);
    EXPECT_EQ(wgs->crs, "EPSG:4326");
    ASSERT_EQ(wgs->grid.levels.size(), 2u);
    EXPECT_DOUBLE_EQ(wgs->grid.levels[0].originX, -180.0);
    EXPECT_DOUBLE_EQ(wgs->grid.levels[0].originY, 90.0);
    EXPECT_NEAR(wgs->grid.levels[0].resolution, 0.703125, 1e-12);
    EXPECT_EQ(wgs->grid.levels[0].matrixWidth, 2);
    EXPECT_EQ(wgs->grid.levels[0].matrixHeight, 1);
}

TEST(WmtsCapabilities, KvpGeographicServiceLikeTianditu) {
    geo::WmtsCapabilities caps = geo::parseWmtsCapabilities(readData("wmts_kvp_vec.xml"));
    // The GetTile operation's Get, not GetCapabilities'.
    EXPECT_EQ(caps.getTileKvpUrl, "http://127.0.0.1/vec/wmts?tk=abc123");
    ASSERT_EQ(caps.layers.size(), 1u);
    EXPECT_EQ(caps.layers[0].id, "vec");
    EXPECT_EQ(caps.layers[0].styles, std::vector<std::string>{"default"});
    EXPECT_EQ(caps.layers[0].formats, std::vector<std::string>{"tiles"});
    EXPECT_EQ(caps.layers[0].resourceUrl, "");

    const geo::WmtsMatrixSet* c = findSet(caps, "c");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->crs, "EPSG:4490");
    ASSERT_EQ(c->grid.levels.size(), 3u);
    for (int i = 0; i < 3; ++i) {
        const geo::TileMatrix& m = c->grid.levels[i];
        EXPECT_EQ(m.id, std::to_string(i + 1));
        EXPECT_NEAR(m.resolution, 0.703125 / (1 << i), 1e-12);
        EXPECT_EQ(m.matrixWidth, 2 << i);
        EXPECT_EQ(m.matrixHeight, 1 << i);
        EXPECT_DOUBLE_EQ(m.originX, -180.0);
        EXPECT_DOUBLE_EQ(m.originY, 90.0);
    }
    // The whole matrix covers the world.
    EXPECT_NEAR(c->grid.levels[0].resolution * 256 * c->grid.levels[0].matrixWidth, 360.0, 1e-9);

    // EPSG::900913 is Web Mercator; the set starts at matrix "1" (2 x 2 tiles).
    const geo::WmtsMatrixSet* w = findSet(caps, "w");
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->crs, "EPSG:3857");
    ASSERT_EQ(w->grid.levels.size(), 3u);
    EXPECT_EQ(w->grid.levels[0].id, "1");
    EXPECT_EQ(w->grid.levels[0].matrixWidth, 2);
    EXPECT_NEAR(w->grid.levels[0].resolution, kMercatorRes0 / 2, 1e-6);
}

TEST(WmtsChoose, RestTemplateDefaultsPreferWebMercator) {
    geo::WmtsCapabilities caps = geo::parseWmtsCapabilities(readData("wmts_rest_3857.xml"));
    geo::WmtsChoice choice = geo::chooseWmts(caps, geo::TileOptions{});
    EXPECT_EQ(choice.layer, "plan:roads");
    EXPECT_EQ(choice.style, "day");
    EXPECT_EQ(choice.matrixSet, "GoogleMaps");  // linked second, but in EPSG:3857
    EXPECT_EQ(choice.format, "image/png");
    EXPECT_EQ(choice.grid.crs, "EPSG:3857");
    EXPECT_EQ(choice.grid.levels.size(), 4u);
    EXPECT_EQ(choice.urlTemplate,
              "http://127.0.0.1/wmts/plan:roads/day/GoogleMaps/{TileMatrix}/{TileRow}/{TileCol}.png");

    geo::TileOptions o;
    o.layer = "plan:roads";
    o.style = "night";
    o.matrixSet = "WorldCRS84";
    choice = geo::chooseWmts(caps, o);
    EXPECT_EQ(choice.grid.crs, "EPSG:4326");
    EXPECT_EQ(choice.urlTemplate,
              "http://127.0.0.1/wmts/plan:roads/night/WorldCRS84/{TileMatrix}/{TileRow}/{TileCol}.png");
}

TEST(WmtsChoose, RestTemplateDimensionsTakeTheirDefault) {
    geo::WmtsCapabilities caps = geo::parseWmtsCapabilities(readData("wmts_rest_3857.xml"));
    geo::TileOptions o;
    o.layer = "plan:parcels";
    EXPECT_EQ(geo::chooseWmts(caps, o).urlTemplate,
              "http://127.0.0.1/wmts/plan:parcels/default/2024-05-01/GoogleMaps/{TileMatrix}/{TileRow}/{TileCol}.png");
}

TEST(WmtsChoose, KvpTemplateKeepsTheEndpointQuery) {
    geo::WmtsCapabilities caps = geo::parseWmtsCapabilities(readData("wmts_kvp_vec.xml"));
    geo::WmtsChoice w = geo::chooseWmts(caps, geo::TileOptions{});
    EXPECT_EQ(w.matrixSet, "w");
    EXPECT_EQ(w.format, "tiles");
    EXPECT_EQ(w.urlTemplate,
              "http://127.0.0.1/vec/wmts?tk=abc123&SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
              "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}");

    geo::TileOptions o;
    o.matrixSet = "c";
    geo::WmtsChoice c = geo::chooseWmts(caps, o);
    EXPECT_EQ(c.grid.crs, "EPSG:4490");
    EXPECT_DOUBLE_EQ(c.grid.levels[0].originX, -180.0);
    EXPECT_NE(c.urlTemplate.find("&TILEMATRIXSET=c&"), std::string::npos);
}

TEST(WmtsChoose, UnknownNamesListWhatExists) {
    geo::WmtsCapabilities caps = geo::parseWmtsCapabilities(readData("wmts_rest_3857.xml"));
    auto messageOf = [&](const geo::TileOptions& o) {
        try {
            geo::chooseWmts(caps, o);
        } catch (const geo::FormatError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    geo::TileOptions o;
    o.layer = "plan:rivers";
    std::string m = messageOf(o);
    EXPECT_NE(m.find("plan:rivers"), std::string::npos) << m;
    EXPECT_NE(m.find("plan:parcels"), std::string::npos) << m;

    o = {};
    o.style = "sepia";
    m = messageOf(o);
    EXPECT_NE(m.find("sepia"), std::string::npos) << m;
    EXPECT_NE(m.find("night"), std::string::npos) << m;

    o = {};
    o.layer = "plan:parcels";
    o.matrixSet = "WorldCRS84";  // defined, but not linked to this layer
    m = messageOf(o);
    EXPECT_NE(m.find("WorldCRS84"), std::string::npos) << m;
    EXPECT_NE(m.find("GoogleMaps"), std::string::npos) << m;

    o = {};
    o.format = "image/webp";
    m = messageOf(o);
    EXPECT_NE(m.find("image/jpeg"), std::string::npos) << m;
}

TEST(WmtsCapabilities, BadDocumentsSayWhatIsWrong) {
    auto messageOf = [](const std::string& xml) {
        try {
            geo::parseWmtsCapabilities(xml);
        } catch (const geo::FormatError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(messageOf("this is not xml <").find("not an XML"), std::string::npos);
    EXPECT_NE(messageOf("<WMS_Capabilities version=\"1.3.0\"/>").find("not a WMTS"), std::string::npos);
    EXPECT_NE(messageOf("<ows:ExceptionReport xmlns:ows=\"http://www.opengis.net/ows/1.1\"><ows:Exception>"
                        "<ows:ExceptionText>invalid key</ows:ExceptionText></ows:Exception></ows:ExceptionReport>")
                  .find("invalid key"),
              std::string::npos);

    std::string noScale = readData("wmts_kvp_vec.xml");
    size_t at = noScale.find("<ScaleDenominator>");
    noScale.replace(at, noScale.find("</ScaleDenominator>") - at + 19, "");
    std::string m = messageOf(noScale);
    EXPECT_NE(m.find("ScaleDenominator"), std::string::npos) << m;
    EXPECT_NE(m.find("'1'"), std::string::npos) << m;
}

TEST(WmtsCapabilitiesUrl, PrefixAndKvpRequest) {
    EXPECT_EQ(geo::wmtsCapabilitiesUrl("WMTS:https://example.test/wmts/1.0.0/WMTSCapabilities.xml"),
              "https://example.test/wmts/1.0.0/WMTSCapabilities.xml");
    EXPECT_EQ(geo::wmtsCapabilitiesUrl("https://example.test/vec_c/wmts?tk={key}"),
              "https://example.test/vec_c/wmts?tk={key}&SERVICE=WMTS&REQUEST=GetCapabilities");
    EXPECT_EQ(geo::wmtsCapabilitiesUrl("wmts:https://example.test/wmts"),
              "https://example.test/wmts?SERVICE=WMTS&REQUEST=GetCapabilities");
    EXPECT_EQ(geo::wmtsCapabilitiesUrl("https://example.test/wmts?service=WMTS&request=GetCapabilities"),
              "https://example.test/wmts?service=WMTS&request=GetCapabilities");
    EXPECT_EQ(geo::wmtsCapabilitiesUrl("https://example.test/wmts?SERVICE=WMTS"),
              "https://example.test/wmts?SERVICE=WMTS&REQUEST=GetCapabilities");
}

// Tile source strings: URL templates ({z} {x} {y} {-y} {s} {r} {key}, WMTS REST names), which strings name tile
// sources (and of which kind), keys redacted from URLs, URL hosts, GeoPackage tile tables.
#include "support/test_support.hpp"
#include "tiles/tile_source.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "layer/layer_content.hpp"

using geo::TileKey;
using geo::TileOptions;

namespace {

const std::string kTianditu =
    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
    "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}";

TileOptions options(const std::string& subdomains = "", int tileSize = 256) {
    TileOptions o;
    o.subdomains = subdomains;
    o.tileSize = tileSize;
    return o;
}

geo::TileKind kindOf(const std::string& source, const std::string& layer = "") {
    geo::ProjectLayer l;
    l.source = source;
    l.layer = layer;
    return geo::tileSpecOf(l).kind;
}

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("tile_source") {}
};

}  // namespace

TEST(TileSource, ExpandsXyzTemplates) {
    const TileKey k{5, 3, 4};
    EXPECT_EQ(geo::expandTileUrl("https://tile.example.org/{z}/{x}/{y}.png", k, options(), ""),
              "https://tile.example.org/5/3/4.png");
    // TMS rows count from the bottom: 2^5 - 1 - 4.
    EXPECT_EQ(geo::expandTileUrl("https://tms.example.org/{z}/{x}/{-y}.png", k, options(), ""),
              "https://tms.example.org/5/3/27.png");
    EXPECT_EQ(geo::expandTileUrl("http://h/{z}/{x}/{-y}", {0, 0, 0}, options(), ""), "http://h/0/0/0");
    // {s} picks a subdomain by x + y: (3 + 4) % 3 = 1 -> "b"; neighbours spread over the others.
    EXPECT_EQ(geo::expandTileUrl("https://{s}.tile.example.org/{z}/{x}/{y}.png", k, options("abc"), ""),
              "https://b.tile.example.org/5/3/4.png");
    EXPECT_EQ(geo::expandTileUrl("https://{s}.tile.example.org/{z}/{x}/{y}.png", {5, 4, 4}, options("abc"), ""),
              "https://c.tile.example.org/5/4/4.png");
    EXPECT_EQ(geo::expandTileUrl("https://t{s}.example.cn/{z}/{x}/{y}", {5, 8, 0}, options("01234567"), ""),
              "https://t0.example.cn/5/8/0");
    // {r}: "@2x" for retina (512-px) tiles, nothing otherwise.
    EXPECT_EQ(geo::expandTileUrl("https://h/{z}/{x}/{y}{r}.png", k, options("", 512), ""), "https://h/5/3/4@2x.png");
    EXPECT_EQ(geo::expandTileUrl("https://h/{z}/{x}/{y}{r}.png", k, options("", 256), ""), "https://h/5/3/4.png");
    // {key}: the key given, wherever it is; every placeholder may repeat.
    EXPECT_EQ(geo::expandTileUrl("https://h/{z}/{x}/{y}.png?tk={key}&z={z}", k, options(), "K123"),
              "https://h/5/3/4.png?tk=K123&z=5");
    EXPECT_EQ(geo::expandTileUrl("https://h/{z}/{x}/{y}.png?tk={key}", k, options(), ""), "https://h/5/3/4.png?tk=");
    // The Tianditu KVP template: a plain XYZ template with {s} and {key}.
    EXPECT_EQ(geo::expandTileUrl(kTianditu, {14, 13397, 7131}, options("01234567"), "abc"),
              "https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
              "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX=14&TILEROW=7131&TILECOL=13397&tk=abc");
    // Deep levels.
    EXPECT_EQ(geo::expandTileUrl("https://h/{z}/{x}/{y}", {22, 3428000, 1825000}, options(), ""),
              "https://h/22/3428000/1825000");
}

TEST(TileSource, ExpandsWmtsRestTemplates) {
    const std::string tmpl =
        "https://wmts.example.org/vec/default/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png";
    // {TileMatrix} is the level's identifier, not its index; rows and columns from the top-left.
    EXPECT_EQ(geo::expandTileUrl(tmpl, {7, 100, 50}, options(), "", "EPSG:3857:7"),
              "https://wmts.example.org/vec/default/{TileMatrixSet}/EPSG:3857:7/50/100.png");
    // Without an identifier the index stands in, and {z} takes the identifier when there is one.
    EXPECT_EQ(geo::expandTileUrl("https://h/{TileMatrix}/{TileRow}/{TileCol}", {3, 1, 2}, options(), ""),
              "https://h/3/2/1");
    EXPECT_EQ(geo::expandTileUrl("https://h/{z}/{x}/{y}", {3, 1, 2}, options(), "", "L03"), "https://h/L03/1/2");
}

TEST(TileSource, RecognisesTileSourceStrings) {
    const char* yes[] = {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://{s}.tile.example.org/{z}/{x}/{y}{r}.png",
        "http://127.0.0.1:8000/tms/{z}/{x}/{-y}.png",
        "HTTPS://TILES.EXAMPLE.ORG/{Z}/{X}/{Y}.PNG",
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "WMTS:https://wmts.example.org/service",
        "wmts:https://wmts.example.org/service?layer=x",
        "https://t0.tianditu.gov.cn/vec_c/wmts?SERVICE=WMTS&REQUEST=GetCapabilities",
        "https://wmts.example.org/1.0.0/WMTSCapabilities.xml",
        "/data/basemaps/pingshan.mbtiles",
        "pingshan.MBTILES",
        kTianditu.c_str(),
    };
    for (const char* s : yes) EXPECT_TRUE(geo::isTileSourceString(s)) << s;
    const char* no[] = {
        "",
        "roads.shp",
        "/data/pingshan.gpkg",  // a GeoPackage may hold tiles, but that takes reading it (isGpkgTiles)
        "https://example.org/data/roads.geojson",
        "https://example.org/{z}/{x}.png",    // no row
        "https://example.org/{x}/{y}.png",    // no level
        "https://example.org/tiles.mbtiles",  // a remote MBTiles is not read as tiles
        "PG:dbname=plans host=db",
        "/vsicurl/https://example.org/dem.tif",
        "https://example.org/wms?SERVICE=WMS&REQUEST=GetMap",
        "notes about WMTSCapabilities.xml",  // not a URL
    };
    for (const char* s : no) EXPECT_FALSE(geo::isTileSourceString(s)) << s;
}

TEST(TileSource, LayerKindOfASourceString) {
    EXPECT_EQ(kindOf("https://tile.example.org/{z}/{x}/{y}.png"), geo::TileKind::Xyz);
    EXPECT_EQ(kindOf("https://tile.example.org/{z}/{x}/{-y}.png"), geo::TileKind::Xyz);
    // A GetTile KVP template names SERVICE=WMTS but is a template, not a capabilities URL.
    EXPECT_EQ(kindOf(kTianditu), geo::TileKind::Xyz);
    EXPECT_EQ(kindOf("https://t0.tianditu.gov.cn/img_c/wmts?service=wmts&request=GetTile&tilematrix={z}&tilerow={y}"
                     "&tilecol={x}&tk={key}"),
              geo::TileKind::Xyz);
    EXPECT_EQ(kindOf("https://t0.tianditu.gov.cn/vec_c/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&tk={key}"),
              geo::TileKind::Wmts);
    EXPECT_EQ(kindOf("WMTS:https://wmts.example.org/service"), geo::TileKind::Wmts);
    EXPECT_EQ(kindOf("https://wmts.example.org/1.0.0/WMTSCapabilities.xml"), geo::TileKind::Wmts);
    EXPECT_EQ(kindOf("/data/pingshan.mbtiles"), geo::TileKind::MBTiles);
    geo::ProjectLayer gpkg;
    gpkg.source = "/data/basemap.gpkg";
    gpkg.layer = "imagery";
    EXPECT_EQ(geo::tileSpecOf(gpkg).kind, geo::TileKind::GpkgTiles);
    EXPECT_EQ(geo::tileSpecOf(gpkg).table, "imagery");
    // The layer's options and datum travel with the spec.
    geo::ProjectLayer amap;
    amap.source = "https://webrd01.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}";
    amap.options.datum = "gcj02";
    amap.options.tiles.maxZoom = 18;
    geo::TileSourceSpec spec = geo::tileSpecOf(amap);
    EXPECT_TRUE(spec.gcj02);
    EXPECT_EQ(spec.options.maxZoom, 18);
    EXPECT_EQ(spec.source, amap.source);
    amap.options.datum = "wgs84";
    EXPECT_FALSE(geo::tileSpecOf(amap).gcj02);
}

TEST(TileSource, RedactsKeys) {
    using geo::redactTileUrl;
    EXPECT_EQ(redactTileUrl("https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&tk=0123456789abcdef"),
              "https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&tk={key}");
    EXPECT_EQ(redactTileUrl("https://h/{z}/{x}/{y}.png?key=SECRET"), "https://h/{z}/{x}/{y}.png?key={key}");
    EXPECT_EQ(redactTileUrl("https://api.example.com/v4/{z}/{x}/{y}.png?access_token=pk.eyJ1Ijoi.abc-_~"),
              "https://api.example.com/v4/{z}/{x}/{y}.png?access_token={key}");
    EXPECT_EQ(redactTileUrl("https://h/a?apikey=S1&api_key=S2&token=S3"),
              "https://h/a?apikey={key}&api_key={key}&token={key}");
    // Parameter names in any case; the key parameter anywhere among others, which are kept as they are.
    EXPECT_EQ(redactTileUrl("https://h/wmts?SERVICE=WMTS&TK=SECRET&LAYER=vec"),
              "https://h/wmts?SERVICE=WMTS&TK={key}&LAYER=vec");
    EXPECT_EQ(redactTileUrl("https://h/a?Key=SECRET&x=1&Access_Token=OTHER&y=2"),
              "https://h/a?Key={key}&x=1&Access_Token={key}&y=2");
    // Already redacted, an empty key, a template's {key}: unchanged.
    EXPECT_EQ(redactTileUrl("https://h/a?tk={key}"), "https://h/a?tk={key}");
    EXPECT_EQ(redactTileUrl("https://h/a?tk="), "https://h/a?tk={key}");
    // Names that merely end in a key parameter's name are not keys.
    EXPECT_EQ(redactTileUrl("https://h/a?monkey=1&stk=2&layer=tk"), "https://h/a?monkey=1&stk=2&layer=tk");
    // No query: nothing to redact; files stay as they are.
    EXPECT_EQ(redactTileUrl("https://h/{z}/{x}/{y}.png"), "https://h/{z}/{x}/{y}.png");
    EXPECT_EQ(redactTileUrl("/data/tk=1.mbtiles"), "/data/tk=1.mbtiles");
    EXPECT_EQ(redactTileUrl(""), "");
    // Trailing '&' and empty parameters survive.
    EXPECT_EQ(redactTileUrl("https://h/a?&tk=S&"), "https://h/a?&tk={key}&");
    // A redacted URL never holds the key.
    std::string r = redactTileUrl("https://h/a?x=tk&tk=SECRETSECRET&key=SECRETSECRET");
    EXPECT_EQ(r.find("SECRET"), std::string::npos) << r;
}

TEST(TileSource, UrlHost) {
    EXPECT_EQ(geo::urlHost("https://T0.Tianditu.gov.cn/vec_w/wmts?tk=1"), "t0.tianditu.gov.cn");
    EXPECT_EQ(geo::urlHost("http://127.0.0.1:8123/{z}/{x}/{y}.png"), "127.0.0.1");
    EXPECT_EQ(geo::urlHost("https://user:pass@tiles.example.org:8443/a"), "tiles.example.org");
    EXPECT_EQ(geo::urlHost("https://tiles.example.org?x=1"), "tiles.example.org");
    EXPECT_EQ(geo::urlHost("https://tiles.example.org#frag"), "tiles.example.org");
    EXPECT_EQ(geo::urlHost("https://tiles.example.org"), "tiles.example.org");
    EXPECT_EQ(geo::urlHost("http://[::1]:8080/a"), "[::1]");
    EXPECT_EQ(geo::urlHost("/data/pingshan.mbtiles"), "");
    EXPECT_EQ(geo::urlHost("pingshan.mbtiles"), "");
    EXPECT_EQ(geo::urlHost(""), "");
}

TEST(TileSource, GeoPackageTileTables) {
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    GDALAllRegister();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
    ASSERT_NE(gpkg, nullptr);
    GDALDatasetUniquePtr src(mem->Create("", 64, 64, 3, GDT_Byte, nullptr));
    double gt[6] = {12700000, 10, 0, 2600000, 0, -10};
    src->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(3857);
    src->SetSpatialRef(&srs);
    for (int b = 1; b <= 3; ++b) src->GetRasterBand(b)->Fill(100 + b);
    const std::string path = dir.file("tiles.gpkg");
    const char* opts[] = {"RASTER_TABLE=imagery", nullptr};
    GDALDatasetUniquePtr out(
        gpkg->CreateCopy(path.c_str(), src.get(), FALSE, const_cast<char**>(opts), nullptr, nullptr));
    ASSERT_NE(out, nullptr);
    out.reset();

    EXPECT_TRUE(geo::isGpkgTiles(path, ""));
    EXPECT_TRUE(geo::isGpkgTiles(path, "imagery"));
    EXPECT_FALSE(geo::isGpkgTiles(path, "roads"));
    EXPECT_FALSE(geo::isGpkgTiles(dir.file("missing.gpkg"), ""));
    EXPECT_FALSE(std::filesystem::exists(dir.file("missing.gpkg")));  // looking does not create it
    std::ofstream(dir.file("text.gpkg")) << "not a database";
    EXPECT_FALSE(geo::isGpkgTiles(dir.file("text.gpkg"), ""));
    EXPECT_FALSE(geo::isGpkgTiles(dir.file("tiles.mbtiles"), ""));

    geo::ProjectLayer l;
    l.source = path;
    l.layer = "imagery";
    EXPECT_TRUE(geo::isTileLayer(l));
    EXPECT_EQ(geo::tileSpecOf(l).kind, geo::TileKind::GpkgTiles);
}

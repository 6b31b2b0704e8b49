// PG: sources against a real PostgreSQL + PostGIS server (#11). Run by tests/app/postgis_test.sh, which starts a
// throwaway server, loads the same tables into it and into a GeoPackage, and passes them here:
//   PLANATLAS_PG          PG:host=SOCKETDIR port=PORT dbname=plan user=postgres
//   PLANATLAS_PG_GPKG     the GeoPackage with the same layers (grid, projects)
//   PLANATLAS_PG_PLANNER  the same database as a role with a password, which $PGPASSFILE holds
//   PLANATLAS_PG_SERVICE  a service name in $PGSERVICEFILE
//   PLANATLAS_PG_DOWN=1   the server has been stopped: only the PostGisDown tests run
// The grid: 40 x 40 cells of 80 m x 80 m on a 100 m pitch from (530000, 2510000) in EPSG:4547, fid = 1 + i*40 + j
// for column i, row j; "dense" is one 33-vertex circle per cell, made on the server.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "source/postgis.hpp"
#include "source/vector_source.hpp"

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

bool serverDown() {
    return env("PLANATLAS_PG_DOWN") == "1";
}

class PostGisServer : public ::testing::Test {
protected:
    void SetUp() override {
        if (env("PLANATLAS_PG").empty() || serverDown()) GTEST_SKIP() << "run by tests/app/postgis_test.sh";
        pg = env("PLANATLAS_PG");
        gpkg = env("PLANATLAS_PG_GPKG");
    }
    std::string pg, gpkg;
};

constexpr double kX0 = 530000, kY0 = 2510000, kPitch = 100, kCell = 80;

geo::SourceOptions boxed(double minX, double minY, double maxX, double maxY, double tolerance = 0) {
    geo::SourceOptions o;
    o.filter = {minX, minY, maxX, maxY};
    o.simplifyTolerance = tolerance;
    return o;
}

std::set<int64_t> fidSet(const geo::FeatureTable& t) {
    return {t.fids.begin(), t.fids.end()};
}

bool contains(const std::vector<geo::SourceLayerInfo>& layers, const std::string& name) {
    return std::any_of(layers.begin(), layers.end(), [&](const auto& l) { return l.name == name; });
}

TEST_F(PostGisServer, ListsTablesAndViewsWithGeometry) {
    const auto layers = geo::listLayers(pg);
    EXPECT_TRUE(contains(layers, "grid"));
    EXPECT_TRUE(contains(layers, "projects"));
    EXPECT_TRUE(contains(layers, "dense"));
    EXPECT_TRUE(contains(layers, "grid_view")) << "a plain view";
    EXPECT_TRUE(contains(layers, "grid_centres")) << "a view with a computed geometry column";
    EXPECT_TRUE(contains(layers, "planning.zones")) << "a table in another schema";
    EXPECT_FALSE(contains(layers, "notes")) << "a table without geometry is no map layer";
    EXPECT_FALSE(contains(layers, "spatial_ref_sys"));
}

TEST_F(PostGisServer, ReadsTheSameFeaturesAsTheGeoPackage) {
    for (const char* name : {"grid", "projects"}) {
        SCOPED_TRACE(name);
        const geo::VectorData a = geo::readVectorLayer(pg, name);
        const geo::VectorData b = geo::readVectorLayer(gpkg, name);
        EXPECT_EQ(a.layerName, name);
        EXPECT_EQ(a.driver, "PostgreSQL");
        EXPECT_EQ(a.crs.id(), b.crs.id());
        ASSERT_EQ(a.table.featureCount(), b.table.featureCount());
        EXPECT_EQ(a.rowsFetched, a.table.featureCount());
        EXPECT_EQ(b.rowsFetched, 0u);
        EXPECT_EQ(a.table.fids, b.table.fids);
        EXPECT_EQ(a.table.kinds, b.table.kinds);
        EXPECT_EQ(a.table.featureEnds, b.table.featureEnds);
        EXPECT_EQ(a.table.ringEnds, b.table.ringEnds);
        ASSERT_EQ(a.table.xy.size(), b.table.xy.size());
        for (size_t i = 0; i < a.table.xy.size(); ++i) ASSERT_NEAR(a.table.xy[i], b.table.xy[i], 1e-9) << i;
        ASSERT_EQ(a.table.columns.size(), b.table.columns.size());
        for (size_t c = 0; c < a.table.columns.size(); ++c) {
            EXPECT_EQ(a.table.columns[c].name, b.table.columns[c].name);
            for (size_t r = 0; r < a.table.featureCount(); ++r)
                ASSERT_EQ(a.table.columns[c].display(r), b.table.columns[c].display(r)) << a.table.columns[c].name;
        }
        EXPECT_EQ(a.path.find("password"), std::string::npos);
    }
}

TEST_F(PostGisServer, FarAwayBoxFetchesNoRows) {
    const geo::VectorData far = geo::readVectorLayer(pg, "grid", nullptr, boxed(100000, 100000, 101000, 101000));
    EXPECT_EQ(far.rowsFetched, 0u);
    EXPECT_EQ(far.table.featureCount(), 0u);
    const geo::VectorData simplified =
        geo::readVectorLayer(pg, "grid", nullptr, boxed(100000, 100000, 101000, 101000, 5.0));
    EXPECT_EQ(simplified.rowsFetched, 0u);
}

TEST_F(PostGisServer, SmallBoxFetchesOnlyTheRowsInside) {
    // Columns 3..5, rows 7..8, with the box's edges inside cells (no touching-edge ambiguity).
    const geo::SourceOptions o = boxed(kX0 + 310, kY0 + 710, kX0 + 550, kY0 + 850);
    const geo::VectorData a = geo::readVectorLayer(pg, "grid", nullptr, o);
    std::set<int64_t> want;
    for (int i = 3; i <= 5; ++i)
        for (int j = 7; j <= 8; ++j) want.insert(1 + i * 40 + j);
    EXPECT_EQ(a.rowsFetched, 6u);
    EXPECT_EQ(fidSet(a.table), want);
    for (size_t f = 0; f < a.table.featureCount(); ++f) EXPECT_TRUE(a.table.featureBox(f).intersects(o.filter));
    // The GeoPackage with the same filter (its R-tree, then OGR's exact test) agrees.
    EXPECT_EQ(fidSet(geo::readVectorLayer(gpkg, "grid", nullptr, o).table), want);
    // Through a view, and with the server simplifying: the same rows.
    EXPECT_EQ(fidSet(geo::readVectorLayer(pg, "grid_view", nullptr, o).table), want);
    const geo::VectorData s = geo::readVectorLayer(
        pg, "grid", nullptr, boxed(o.filter.minX, o.filter.minY, o.filter.maxX, o.filter.maxY, 1.0));
    EXPECT_EQ(s.rowsFetched, 6u);
    EXPECT_EQ(fidSet(s.table), want);
}

TEST_F(PostGisServer, ServerSimplifiesWithTheSameColumnsAndIds) {
    const geo::VectorData plain = geo::readVectorLayer(pg, "dense");
    geo::SourceOptions o;
    o.simplifyTolerance = 10;  // metres; the circles have a 30 m radius
    const geo::VectorData simple = geo::readVectorLayer(pg, "dense", nullptr, o);
    ASSERT_EQ(plain.table.featureCount(), 1600u);
    EXPECT_EQ(simple.rowsFetched, 1600u);
    EXPECT_EQ(simple.layerName, "dense");
    EXPECT_EQ(simple.crs.id(), plain.crs.id());
    EXPECT_EQ(simple.table.fids, plain.table.fids);
    ASSERT_EQ(simple.table.columns.size(), plain.table.columns.size());
    for (size_t c = 0; c < plain.table.columns.size(); ++c) {
        EXPECT_EQ(simple.table.columns[c].name, plain.table.columns[c].name);
        EXPECT_EQ(simple.table.columns[c].type, plain.table.columns[c].type);
        for (size_t r = 0; r < plain.table.featureCount(); r += 97)
            EXPECT_EQ(simple.table.columns[c].display(r), plain.table.columns[c].display(r));
    }
    EXPECT_EQ(plain.table.vertexCount(), 1600u * 33);
    EXPECT_LT(simple.table.vertexCount() * 3, plain.table.vertexCount()) << "the server did not simplify";
    // Every simplified polygon stays a polygon (topology preserved, nothing collapsed).
    for (size_t f = 0; f < simple.table.featureCount(); ++f) {
        ASSERT_EQ(simple.table.kinds[f], geo::GeomKind::Polygon);
        const geo::BBox a = simple.table.featureBox(f), b = plain.table.featureBox(f);
        EXPECT_NEAR(a.centerX(), b.centerX(), 10.0);
        EXPECT_NEAR(a.centerY(), b.centerY(), 10.0);
    }
}

TEST_F(PostGisServer, ReadsViewsAndSchemaQualifiedTables) {
    const geo::VectorData v = geo::readVectorLayer(pg, "grid_view");
    EXPECT_EQ(v.table.featureCount(), 1600u);
    EXPECT_EQ(v.table.fids, geo::readVectorLayer(pg, "grid").table.fids) << "the view's fid column is its key";
    EXPECT_EQ(v.table.columnIndex("fid"), -1);
    const geo::VectorData c = geo::readVectorLayer(pg, "grid_centres");
    EXPECT_EQ(c.table.featureCount(), 1600u);
    EXPECT_EQ(c.table.uniformKind(), geo::GeomKind::Point);
    EXPECT_EQ(c.crs.id(), "EPSG:4547");
    const geo::VectorData q = geo::readVectorLayer(pg, "public.grid");
    EXPECT_EQ(q.table.featureCount(), 1600u);
    const geo::VectorData z = geo::readVectorLayer(pg, "planning.zones");
    EXPECT_EQ(z.table.featureCount(), 2u);
    geo::SourceOptions o;
    o.simplifyTolerance = 1;
    EXPECT_EQ(geo::readVectorLayer(pg, "planning.zones", nullptr, o).table.featureCount(), 2u);
    EXPECT_EQ(geo::readVectorLayer(pg, "grid_centres", nullptr, o).table.featureCount(), 1600u);
}

TEST_F(PostGisServer, MissingTableIsAnIoErrorWithoutThePassword) {
    try {
        geo::readVectorLayer(pg + " password=secret", "no_such_table");
        FAIL() << "read a table that is not there";
    } catch (const geo::IoError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("no such table or view"), std::string::npos) << what;
        EXPECT_NE(what.find("no_such_table"), std::string::npos) << what;
        EXPECT_EQ(what.find("secret"), std::string::npos) << what;
    }
    EXPECT_THROW(geo::readVectorLayer(pg, "notes"), geo::IoError);  // no geometry column
}

TEST_F(PostGisServer, WrongPasswordIsAnIoErrorWithoutThePassword) {
    const std::string planner = env("PLANATLAS_PG_PLANNER");
    ASSERT_FALSE(planner.empty());
    for (const std::string& src : {planner + " password=wrong-secret", planner + " password='wrong secret'"}) {
        try {
            geo::readVectorLayer(src, "grid");
            FAIL() << "logged in with a wrong password";
        } catch (const geo::IoError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("password authentication failed"), std::string::npos) << what;
            EXPECT_EQ(what.find("secret"), std::string::npos) << what;
        }
    }
}

TEST_F(PostGisServer, PasswordComesFromPgpass) {
    const std::string planner = env("PLANATLAS_PG_PLANNER");  // no password: libpq finds it in $PGPASSFILE
    ASSERT_FALSE(planner.empty());
    EXPECT_EQ(geo::readVectorLayer(planner, "grid").table.featureCount(), 1600u);
}

TEST_F(PostGisServer, ServiceFromPgServiceFile) {
    const std::string service = "PG:service=" + env("PLANATLAS_PG_SERVICE");
    EXPECT_TRUE(contains(geo::listLayers(service), "grid"));
    EXPECT_EQ(geo::readVectorLayer(service, "grid", nullptr, boxed(kX0, kY0, kX0 + 50, kY0 + 50)).rowsFetched, 1u);
}

// After `pg_ctl stop -m immediate`: the database layer fails with the cause, the file layer still loads.
TEST(PostGisDown, ReadFailsClearlyAndTheGeoPackageStillLoads) {
    if (!serverDown()) GTEST_SKIP() << "run by tests/app/postgis_test.sh with the server stopped";
    const geo::Crs display = geo::Crs::fromUser("EPSG:3857");
    geo::ProjectLayer db, file;
    db.source = env("PLANATLAS_PG") + " password=secret";
    db.layer = "grid";
    file.source = env("PLANATLAS_PG_GPKG");
    file.layer = "grid";
    try {
        geo::loadLayerContent(db, display, nullptr);
        FAIL() << "read from a stopped server";
    } catch (const geo::IoError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("cannot connect to the database"), std::string::npos) << what;
        EXPECT_NE(what.find("dbname=plan"), std::string::npos) << what;
        EXPECT_EQ(what.find("secret"), std::string::npos) << what;
    }
    const geo::LayerContent ok = geo::loadLayerContent(file, display, nullptr);
    ASSERT_TRUE(ok.isVector());
    EXPECT_EQ(std::get<geo::VectorContent>(ok.value).data->source.table.featureCount(), 1600u);
}

}  // namespace

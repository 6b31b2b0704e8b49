// The conflict lens on shapes with analytically known overlaps, built directly in EPSG:4547 so every expected
// area is exact: squares, a multipolygon, a hole, a self-intersecting bowtie on each side, constraint polygons
// overlapping each other, non-polygons, cancel; and the report files.
#include "analysis/overlap.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/measure.hpp"
#include "analysis/report.hpp"
#include "source/vector_source.hpp"

namespace fs = std::filesystem;

namespace {

// Local coordinates (metres) are offset to a spot on the central meridian near Pingshan.
constexpr double kX0 = 500000, kY0 = 2510000;

struct Builder {
    geo::FeatureTable t;
    Builder() {
        t.columns.emplace_back("id", geo::ColumnType::Text);
        t.columns.emplace_back("name_zh", geo::ColumnType::Text);
    }
    void begin(const std::string& id, geo::GeomKind kind) {
        t.beginFeature(static_cast<int64_t>(t.featureCount()) + 100, kind);
        t.columns[0].pushText(id);
        t.columns[1].pushText("项目" + id);
    }
    void ring(std::initializer_list<std::pair<double, double>> pts) {
        for (auto [x, y] : pts) t.addVertex(kX0 + x, kY0 + y);
        t.endRing();
    }
    void rect(double x0, double y0, double x1, double y1) { ring({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}); }
    void rectPolygon(const std::string& id, double x0, double y0, double x1, double y1) {
        begin(id, geo::GeomKind::Polygon);
        rect(x0, y0, x1, y1);
        t.endPart();
        t.endFeature();
    }
};

const geo::Crs& crs4547() {
    static const geo::Crs c = geo::Crs::fromUser("EPSG:4547");
    return c;
}

// Subject: 0 a 100 m square; 1 two squares (10000 + 2500); 2 a square with a 20 m hole (9600);
// 3 a bowtie (two triangles of 2500 once made valid); 4 a line and 5 a point (skipped).
geo::FeatureTable subjectTable() {
    Builder b;
    b.rectPolygon("A", 0, 0, 100, 100);
    b.begin("B", geo::GeomKind::Polygon);
    b.rect(200, 0, 300, 100);
    b.t.endPart();
    b.rect(400, 0, 450, 50);
    b.t.endPart();
    b.t.endFeature();
    b.begin("C", geo::GeomKind::Polygon);
    b.rect(0, 200, 100, 300);
    b.ring({{40, 240}, {40, 260}, {60, 260}, {60, 240}, {40, 240}});
    b.t.endPart();
    b.t.endFeature();
    b.begin("D", geo::GeomKind::Polygon);
    b.ring({{0, 400}, {100, 500}, {100, 400}, {0, 500}, {0, 400}});
    b.t.endPart();
    b.t.endFeature();
    b.begin("L", geo::GeomKind::Line);
    b.ring({{0, 0}, {100, 100}});
    b.t.endPart();
    b.t.endFeature();
    b.begin("P", geo::GeomKind::Point);
    b.ring({{50, 50}});
    b.t.endPart();
    b.t.endFeature();
    return b.t;
}

// "eco": two rectangles overlapping each other over A (union over A: 50 x 50 + 60 x 30 - 30 x 30 = 3400, not
// 2500 + 1800), one
// across both parts of B (2500 + 625), one over C's hole (1600 - 400), the lower half of D (1250 + 1250).
geo::FeatureTable ecoTable() {
    Builder b;
    b.rectPolygon("e1", 50, -50, 150, 50);
    b.rectPolygon("e2", 20, -50, 80, 30);
    b.rectPolygon("e3", 250, 25, 425, 75);
    b.rectPolygon("e4", 30, 230, 70, 270);
    b.rectPolygon("e5", 0, 400, 100, 450);
    return b.t;
}

// "farm": an invalid bowtie over A (its two side triangles: 5000), a multipolygon covering C whole, a line.
geo::FeatureTable farmTable() {
    Builder b;
    b.begin("f1", geo::GeomKind::Polygon);
    b.ring({{0, 0}, {100, 100}, {100, 0}, {0, 100}, {0, 0}});
    b.t.endPart();
    b.t.endFeature();
    b.begin("f2", geo::GeomKind::Polygon);
    b.rect(-10, 190, 110, 310);
    b.t.endPart();
    b.rect(1000, 1000, 1010, 1010);
    b.t.endPart();
    b.t.endFeature();
    b.begin("f3", geo::GeomKind::Line);
    b.ring({{0, 0}, {300, 300}});
    b.t.endPart();
    b.t.endFeature();
    return b.t;
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

TEST(Overlap, AreasOfSquaresMultipolygonsHolesAndBowties) {
    const geo::FeatureTable subject = subjectTable(), eco = ecoTable(), farm = farmTable();
    geo::OverlapResult r =
        geo::computeOverlap(subject, crs4547(), {{"eco", &eco, crs4547()}, {"farm", &farm, crs4547()}});
    ASSERT_EQ(r.constraints, (std::vector<std::string>{"eco", "farm"}));
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_EQ(r.skippedNonPolygon, 2u);
    EXPECT_EQ(r.repairedSubject, 1u);
    EXPECT_EQ(r.repairedConstraint, 1u);
    EXPECT_EQ(r.untransformable, 0u);

    struct Expect {
        size_t feature;
        const char* id;
        double area, eco, farm;
    };
    const Expect expected[] = {
        {0, "A", 10000, 3400, 5000}, {1, "B", 12500, 3125, 0}, {2, "C", 9600, 1200, 9600}, {3, "D", 5000, 2500, 0}};
    for (size_t i = 0; i < 4; ++i) {
        const geo::OverlapRow& row = r.rows[i];
        SCOPED_TRACE(expected[i].id);
        EXPECT_EQ(row.feature, expected[i].feature);
        EXPECT_EQ(row.id, expected[i].id);
        EXPECT_EQ(row.nameZh, std::string("项目") + expected[i].id);
        EXPECT_NEAR(row.areaM2, expected[i].area, 1e-6);
        ASSERT_EQ(row.overlapM2.size(), 2u);
        EXPECT_NEAR(row.overlapM2[0], expected[i].eco, 1e-6);
        EXPECT_NEAR(row.overlapM2[1], expected[i].farm, 1e-6);
        EXPECT_NEAR(row.overlapPct[0], 100 * expected[i].eco / expected[i].area, 1e-9);
        EXPECT_NEAR(row.overlapPct[1], 100 * expected[i].farm / expected[i].area, 1e-9);
    }
}

TEST(Overlap, OverlapPolygonsInLonLatForTheMap) {
    const geo::FeatureTable subject = subjectTable(), eco = ecoTable(), farm = farmTable();
    geo::OverlapResult r =
        geo::computeOverlap(subject, crs4547(), {{"eco", &eco, crs4547()}, {"farm", &farm, crs4547()}});
    const geo::FeatureTable& o = r.overlaps;
    // Non-empty pairs: A-eco, A-farm, B-eco, C-eco, C-farm, D-eco.
    ASSERT_EQ(o.featureCount(), 6u);
    ASSERT_EQ(o.columnIndex("feature"), 0);
    ASSERT_EQ(o.columnIndex("constraint"), 1);
    const int64_t pairs[6][2] = {{0, 0}, {0, 1}, {1, 0}, {2, 0}, {2, 1}, {3, 0}};
    const double areas[6] = {3400, 5000, 3125, 1200, 9600, 2500};
    geo::Measurer m;
    for (size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(o.columns[0].integer(i), pairs[i][0]);
        EXPECT_EQ(o.columns[1].integer(i), pairs[i][1]);
        EXPECT_EQ(o.kinds[i], geo::GeomKind::Polygon);
        // Back through lon/lat to EPSG:4547: the same area to well under a square centimetre.
        EXPECT_NEAR(m.feature(o, i, geo::Crs::wgs84()).area.planarM2, areas[i], 0.01) << i;
    }
    geo::BBox box = o.featureBox(0);  // in lon/lat near 114E, 22.7N
    EXPECT_NEAR(box.centerX(), 114.0, 0.01);
    EXPECT_NEAR(box.centerY(), 22.68, 0.05);
    EXPECT_EQ(o.partCount() >= 7, true);  // B-eco has two parts, D-eco two triangles
}

TEST(Overlap, SubjectInLonLatAgainstProjectedConstraint) {
    // The same square A given in WGS84: its edges are straight in lon/lat rather than in the grid, which moves
    // the area by far less than 0.01 %.
    const geo::FeatureTable eco = ecoTable();
    geo::FeatureTable a = subjectTable();
    geo::Transformer(crs4547(), geo::Crs::wgs84()).transform(a.xy.data(), a.vertexCount());
    geo::OverlapResult r = geo::computeOverlap(a, geo::Crs::wgs84(), {{"eco", &eco, crs4547()}});
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_NEAR(r.rows[0].areaM2, 10000, 1.0);
    EXPECT_NEAR(r.rows[0].overlapM2[0], 3400, 0.35);
    EXPECT_NEAR(r.rows[1].overlapM2[0], 3125, 0.3);
}

TEST(Overlap, NoConstraintsAndEmptySubject) {
    const geo::FeatureTable subject = subjectTable();
    geo::OverlapResult r = geo::computeOverlap(subject, crs4547(), {});
    ASSERT_EQ(r.rows.size(), 4u);
    EXPECT_TRUE(r.rows[0].overlapM2.empty());
    EXPECT_NEAR(r.rows[2].areaM2, 9600, 1e-6);
    geo::OverlapResult e = geo::computeOverlap(geo::FeatureTable{}, crs4547(), {});
    EXPECT_TRUE(e.rows.empty());
    EXPECT_EQ(e.overlaps.featureCount(), 0u);
}

TEST(Overlap, CancelStopsAndProgressEnds) {
    const geo::FeatureTable subject = subjectTable(), eco = ecoTable();
    geo::JobProgress cancelled;
    cancelled.cancel();
    EXPECT_THROW(geo::computeOverlap(subject, crs4547(), {{"eco", &eco, crs4547()}}, &cancelled), geo::Cancelled);
    geo::JobProgress progress;
    geo::computeOverlap(subject, crs4547(), {{"eco", &eco, crs4547()}}, &progress);
    EXPECT_FLOAT_EQ(progress.fraction(), 1.0f);
}

TEST(OverlapReport, ColumnNames) {
    EXPECT_EQ(geo::overlapColumnNames({"eco"}),
              (std::vector<std::string>{"id", "name_zh", "area_m2", "overlap_m2", "overlap_pct"}));
    EXPECT_EQ(geo::overlapColumnNames({"生态 控制线", "farm", "farm"}),
              (std::vector<std::string>{"id",
                                        "name_zh",
                                        "area_m2",
                                        "overlap_m2_生态_控制线",
                                        "overlap_pct_生态_控制线",
                                        "overlap_m2_farm",
                                        "overlap_pct_farm",
                                        "overlap_m2_farm_2",
                                        "overlap_pct_farm_2"}));
}

TEST(OverlapReport, CsvQuotedAndAtomic) {
    geo::OverlapResult r;
    r.constraints = {"eco", "farm"};
    r.rows.push_back({0, "N01", "坪山, \"中心\"", 12345.6789, {100.5, 0}, {0.814, 0}});
    const fs::path dir = fs::path(testing::TempDir()) / "overlap_report_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string csv = (dir / "r.csv").string();
    geo::writeOverlapReport(r, csv);
    EXPECT_EQ(slurp(csv),
              "id,name_zh,area_m2,overlap_m2_eco,overlap_pct_eco,overlap_m2_farm,overlap_pct_farm\r\n"
              "N01,\"坪山, \"\"中心\"\"\",12345.679,100.500,0.8140,0.000,0.0000\r\n");
    EXPECT_THROW(geo::writeOverlapReport(r, (dir / "r.txt").string()), geo::Error);
    EXPECT_THROW(geo::writeOverlapReport(r, (dir / "missing" / "r.csv").string()), geo::IoError);
    // A folder where the file should go: the rename fails, and the temporary is gone.
    fs::create_directories(dir / "taken.csv");
    EXPECT_THROW(geo::writeOverlapReport(r, (dir / "taken.csv").string()), geo::IoError);
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
    EXPECT_EQ(files, 1u);  // r.csv only
}

TEST(OverlapReport, XlsxHasTypedColumns) {
    const geo::FeatureTable subject = subjectTable(), eco = ecoTable();
    geo::OverlapResult r = geo::computeOverlap(subject, crs4547(), {{"eco", &eco, crs4547()}});
    const fs::path dir = fs::path(testing::TempDir()) / "overlap_xlsx_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string xlsx = (dir / "r.xlsx").string();
    geo::writeOverlapReport(r, xlsx);
    ASSERT_TRUE(fs::exists(xlsx));
    // Read back through GDAL: one row per subject polygon, numbers as numbers.
    geo::VectorData d = geo::readVectorLayer(xlsx, "overlap");
    ASSERT_EQ(d.table.featureCount(), 4u);
    const int area = d.table.columnIndex("area_m2"), overlap = d.table.columnIndex("overlap_m2");
    ASSERT_GE(area, 0);
    ASSERT_GE(overlap, 0);
    // GDAL's reader calls a column of whole numbers Integer; either way the cells are numbers, not text.
    EXPECT_NE(d.table.columns[area].type, geo::ColumnType::Text);
    EXPECT_EQ(d.table.columns[d.table.columnIndex("overlap_pct")].type, geo::ColumnType::Real);
    EXPECT_NEAR(d.table.columns[area].number(1), 12500, 1e-6);
    EXPECT_NEAR(d.table.columns[overlap].number(2), 1200, 1e-6);
    EXPECT_EQ(d.table.columns[d.table.columnIndex("name_zh")].text(0), "项目A");
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
    EXPECT_EQ(files, 1u);
}

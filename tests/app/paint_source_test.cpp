// What the CPU painter paints from (app/render/paint_source.hpp): the table's own vertices when they are in the
// display CRS, the table's read through reprojectLayer's grid of PROJ results in another (the same pixels as its
// copy, without the copy), and a copy only where no grid holds. The window paints layers over its vertex limit only
// without a copy.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>

#include "layer/vector_layer.hpp"
#include "render/paint_source.hpp"

namespace {

void addRing(geo::FeatureTable& t, int64_t fid, std::initializer_list<double> ring) {
    t.beginFeature(fid, geo::GeomKind::Polygon);
    const double* p = ring.begin();
    for (size_t i = 0; i < ring.size(); i += 2) t.addVertex(p[i], p[i + 1]);
    t.endRing();
    t.endPart();
    t.endFeature();
}

std::shared_ptr<geo::VectorLayerData> square(const char* crs) {
    auto data = std::make_shared<geo::VectorLayerData>();
    data->source.crs = geo::Crs::fromUser(crs);
    addRing(data->source.table, 0, {114.0, 22.5, 114.1, 22.5, 114.1, 22.6, 114.0, 22.6, 114.0, 22.5});
    return data;
}

// Small buildings in lon/lat over Pingshan, some rotated, some crossing themselves, a line or two, and one vertex
// that is not finite.
std::shared_ptr<geo::VectorLayerData> buildings() {
    auto data = std::make_shared<geo::VectorLayerData>();
    data->source.crs = geo::Crs::fromUser("EPSG:4326");
    geo::FeatureTable& t = data->source.table;
    uint32_t seed = 7;
    auto next = [&] { return (seed = seed * 1664525u + 1013904223u) / 4294967296.0; };
    for (int i = 0; i < 3000; ++i) {
        const double x = 114.28 + 0.17 * next(), y = 22.62 + 0.16 * next();
        const double w = 0.0001 + 0.0008 * next(), h = 0.0001 + 0.0006 * next(), a = 3.0 * next();
        const double c = std::cos(a), s = std::sin(a);
        auto px = [&](double u, double v) { return x + u * c - v * s; };
        auto py = [&](double u, double v) { return y + u * s + v * c; };
        if (i % 97 == 0) {  // a bowtie
            addRing(t, i, {px(0, 0), py(0, 0), px(w, h), py(w, h), px(w, 0), py(w, 0), px(0, h), py(0, h), px(0, 0),
                           py(0, 0)});
        } else if (i % 89 == 0) {
            t.beginFeature(i, geo::GeomKind::Line);
            t.addVertex(px(0, 0), py(0, 0));
            t.addVertex(px(10 * w, 0), py(10 * w, 0));
            t.addVertex(px(10 * w, 10 * h), py(10 * w, 10 * h));
            t.endRing();
            t.endPart();
            t.endFeature();
        } else {
            addRing(t, i, {px(0, 0), py(0, 0), px(w, 0), py(w, 0), px(w, h), py(w, h), px(0, h), py(0, h), px(0, 0),
                           py(0, 0)});
        }
    }
    addRing(t, 9999, {114.3, 22.7, NAN, 22.7, 114.31, 22.71, 114.3, 22.7});
    return data;
}

std::vector<uint8_t> paint(const app::render::PaintSource& source, const geo::View& view, bool indexed) {
    geo::Style style;
    style.fill = {200, 150, 110, 200};
    style.strokeEnabled = true;
    style.stroke = {80, 60, 40, 255};
    style.strokeWidth = 1.5f;
    geo::PaintOptions options;
    std::shared_ptr<const geo::PaintParts> parts;
    if (indexed) options.parts = (parts = source.parts(view.resolution)).get();
    std::vector<geo::PaintImage> bands;
    std::vector<geo::PaintScratchPtr> scratches;
    app::render::paintInBands(bands, scratches, view.width, view.height, view, source, style, options);
    std::vector<uint8_t> out;
    for (const geo::PaintImage& b : bands) out.insert(out.end(), b.rgba.begin(), b.rgba.end());
    return out;
}

}  // namespace

TEST(PaintSource, PaintsTheTablesOwnVerticesOrThemThroughAGridOfProjResults) {
    auto data = square("EPSG:4326");
    const app::render::PaintSource same(data, geo::Crs::fromUser("EPSG:4326"), {});
    EXPECT_FALSE(same.needsCopy());
    EXPECT_EQ(same.vertices().xy, data->source.table.xy.data());
    EXPECT_EQ(same.vertices().grid, nullptr);

    const app::render::PaintSource other(data, geo::Crs::fromUser("EPSG:3857"), {});
    EXPECT_FALSE(other.needsCopy()) << "a city's extent: the grid holds";
    const geo::PaintVertices v = other.vertices();
    EXPECT_EQ(v.xy, data->source.table.xy.data()) << "no copy";
    ASSERT_NE(v.grid, nullptr);
    const geo::DisplayGeometry copy = geo::reprojectLayer(*data, geo::Crs::fromUser("EPSG:3857"), nullptr);
    for (size_t i = 0; i < data->source.table.vertexCount(); ++i) {
        double x, y;
        v.at(i, x, y);
        EXPECT_EQ(std::memcmp(&x, &copy.xy[2 * i], sizeof x), 0) << "vertex " << i << ": the copy's bits";
        EXPECT_EQ(std::memcmp(&y, &copy.xy[2 * i + 1], sizeof y), 0) << "vertex " << i;
    }
    double x, y;
    v.at(0, x, y);
    EXPECT_NEAR(x, 12690421.95, 0.01);  // 114 degrees east in Web Mercator metres

    auto given = std::make_shared<const std::vector<double>>(data->source.table.xy);
    const app::render::PaintSource reprojected(data, geo::Crs::fromUser("EPSG:3857"), {}, given);
    EXPECT_EQ(reprojected.knownNeedsCopy(), std::optional<bool>(false)) << "known at once";
    EXPECT_FALSE(reprojected.needsCopy()) << "vertices given by the load: nothing more is made";
    EXPECT_EQ(reprojected.vertices().xy, given->data());
    EXPECT_EQ(reprojected.vertices().grid, nullptr);
}

TEST(PaintSource, ALayerOverMostOfTheGlobeNeedsACopy) {
    auto data = std::make_shared<geo::VectorLayerData>();
    data->source.crs = geo::Crs::fromUser("EPSG:4326");
    addRing(data->source.table, 0, {-179.0, -84.0, 179.0, -84.0, 179.0, 84.0, -179.0, 84.0, -179.0, -84.0});
    const app::render::PaintSource source(data, geo::Crs::fromUser("EPSG:3857"), {});
    EXPECT_FALSE(source.knownNeedsCopy()) << "not found yet: no PROJ work where the window asks";
    EXPECT_TRUE(source.needsCopy()) << "Mercator's y over 168 degrees of latitude: no 512-cell grid holds to 1 mm";
    EXPECT_EQ(source.knownNeedsCopy(), std::optional<bool>(true));
    const geo::PaintVertices v = source.vertices();
    EXPECT_NE(v.xy, data->source.table.xy.data());
    EXPECT_EQ(v.grid, nullptr);
    EXPECT_NEAR(v.xy[1], -18807214.10, 0.01);  // 84 degrees south: a ln tan(45 + 42 degrees)
}

// Painted through the grid, the layer is the copy's picture byte for byte: whole, in bands, with the parts index.
TEST(PaintSource, ThroughTheGridThePixelsAreTheCopys) {
    auto data = buildings();
    const geo::Crs mercator = geo::Crs::fromUser("EPSG:3857");
    auto copy = std::make_shared<const std::vector<double>>(geo::reprojectLayer(*data, mercator, nullptr).xy);
    const app::render::PaintSource grid(data, mercator, {}), copied(data, mercator, {}, copy);
    ASSERT_NE(grid.vertices().grid, nullptr);
    geo::BBox box;
    for (size_t i = 0; i < copy->size(); i += 2)
        if (std::isfinite((*copy)[i])) box.add((*copy)[i], (*copy)[i + 1]);
    for (double zoom : {1.0, 8.0, 40.0}) {
        geo::View view;
        view.width = 640;
        view.height = 520;
        view.resolution = box.width() / view.width / zoom;
        view.centerX = 0.5 * (box.minX + box.maxX);
        view.centerY = 0.5 * (box.minY + box.maxY);
        for (bool indexed : {false, true}) {
            const std::vector<uint8_t> a = paint(grid, view, indexed), b = paint(copied, view, indexed);
            ASSERT_EQ(a.size(), b.size());
            size_t inked = 0;
            for (size_t i = 3; i < a.size(); i += 4) inked += a[i] != 0;
            EXPECT_GT(inked, a.size() / 4 / 100) << "zoom " << zoom;
            EXPECT_TRUE(a == b) << "zoom " << zoom << (indexed ? ", indexed" : "");
        }
    }
}

// A paint-only load in another CRS keeps no copy where the grid holds: gridGeometry gives reprojectLayer's extent
// and failed vertices, and the table's own vertices given to a PaintSource are read through the grid.
TEST(PaintSource, APaintOnlyLoadThroughTheGridHasTheCopysExtentAndNoCopy) {
    auto data = buildings();
    const geo::Crs mercator = geo::Crs::fromUser("EPSG:3857");
    const std::optional<geo::DisplayGeometry> g = geo::gridGeometry(*data, mercator);
    ASSERT_TRUE(g);
    const geo::DisplayGeometry copy = geo::reprojectLayer(*data, mercator, nullptr);
    EXPECT_TRUE(g->sourceXy);
    EXPECT_TRUE(g->xy.empty());
    EXPECT_EQ(g->failedVertices, copy.failedVertices);
    EXPECT_EQ(g->failedVertices, 1u) << "the vertex that is not finite";
    EXPECT_EQ(g->extent.minX, copy.extent.minX);
    EXPECT_EQ(g->extent.maxX, copy.extent.maxX);
    EXPECT_EQ(g->extent.minY, copy.extent.minY);
    EXPECT_EQ(g->extent.maxY, copy.extent.maxY);

    const auto own = std::shared_ptr<const std::vector<double>>(data, &data->source.table.xy);
    const app::render::PaintSource source(data, mercator, {}, own);
    EXPECT_FALSE(source.needsCopy());
    EXPECT_NE(source.vertices().grid, nullptr) << "the table's own vertices, given, are read through the grid";
    const app::render::PaintSource same(data, geo::Crs::fromUser("EPSG:4326"), {}, own);
    EXPECT_EQ(same.vertices().grid, nullptr);
    EXPECT_EQ(same.vertices().xy, data->source.table.xy.data());

    auto globe = std::make_shared<geo::VectorLayerData>();
    globe->source.crs = geo::Crs::fromUser("EPSG:4326");
    addRing(globe->source.table, 0, {-179.0, -84.0, 179.0, -84.0, 179.0, 84.0, -179.0, 84.0, -179.0, -84.0});
    EXPECT_FALSE(geo::gridGeometry(*globe, mercator)) << "no grid holds: the load makes its copy";
}

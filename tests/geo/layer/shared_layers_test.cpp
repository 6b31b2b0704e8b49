// One read per source and options, however many layers show it (issue #13: 10000 layers on one file read it 10000
// times, 88 s and 1.26 GB).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "layer/layer_content.hpp"
#include "layer/shared_layers.hpp"
#include "style/style.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

std::string writeSquare(const std::string& dir, const std::string& name, double x) {
    const std::string path = dir + "/" + name;
    test::writeText(path, R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},
        "geometry":{"type":"Polygon","coordinates":[[[)" + std::to_string(x) + R"(,22.7],[114.4,22.7],[114.4,22.8],[)" +
                              std::to_string(x) + R"(,22.7]]]}}]})");
    return path;
}

}  // namespace

TEST(SharedLayers, TheSameSourceAndOptionsShareOneRead) {
    const std::string dir = test::scratchDir("shared_layers_same");
    const std::string path = writeSquare(dir, "a.geojson", 114.3);
    auto first = geo::loadSharedVectorLayer(path, "", nullptr);
    auto second = geo::loadSharedVectorLayer(path, "", nullptr);
    EXPECT_EQ(first, second);
    geo::SourceOptions assigned;
    assigned.crs = "EPSG:4490";
    auto other = geo::loadSharedVectorLayer(path, "", nullptr, nullptr, assigned);
    EXPECT_NE(other, first);  // another CRS assigned: another read
    EXPECT_EQ(other->source.crs.id(), "EPSG:4490");
    EXPECT_EQ(geo::loadSharedVectorLayer(path, "", nullptr, nullptr, assigned), other);
}

TEST(SharedLayers, AFileChangedOnDiskIsReadAnew) {
    const std::string dir = test::scratchDir("shared_layers_changed");
    const std::string path = writeSquare(dir, "b.geojson", 114.3);
    auto before = geo::loadSharedVectorLayer(path, "", nullptr);
    writeSquare(dir, "b.geojson", 114.25);
    fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(5));
    auto after = geo::loadSharedVectorLayer(path, "", nullptr);
    EXPECT_NE(before, after);
    EXPECT_DOUBLE_EQ(after->source.table.extent().minX, 114.25);
    EXPECT_DOUBLE_EQ(before->source.table.extent().minX, 114.3);  // what a layer holds is never changed under it
}

TEST(SharedLayers, ConcurrentLoadsReadOnceAndReleasedDataIsFreed) {
    const std::string dir = test::scratchDir("shared_layers_threads");
    const std::string path = writeSquare(dir, "c.geojson", 114.3);
    const size_t liveBefore = geo::sharedVectorLayerCount();
    std::vector<std::shared_ptr<geo::VectorLayerData>> got(8);
    {
        std::vector<std::thread> threads;
        for (size_t i = 0; i < got.size(); ++i)
            threads.emplace_back([&, i] { got[i] = geo::loadSharedVectorLayer(path, "", nullptr); });
        for (auto& t : threads) t.join();
    }
    for (const auto& g : got) EXPECT_EQ(g, got[0]);
    EXPECT_EQ(geo::sharedVectorLayerCount(), liveBefore + 1);
    got.clear();
    EXPECT_EQ(geo::sharedVectorLayerCount(), liveBefore);  // held weakly: gone with its last layer
}

TEST(SharedLayers, AFailedReadIsNotRememberedAndFailsEveryWaiter) {
    const std::string dir = test::scratchDir("shared_layers_failed");
    const std::string path = dir + "/d.geojson";
    test::writeText(path, "{\"type\":\"FeatureCollection\",\"features\":[{");
    EXPECT_THROW(geo::loadSharedVectorLayer(path, "", nullptr), geo::Error);
    writeSquare(dir, "d.geojson", 114.3);
    fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(5));
    EXPECT_EQ(geo::loadSharedVectorLayer(path, "", nullptr)->source.table.featureCount(), 1u);
}

// `render` and `export` paint every layer they can (#10): such a load needs no triangles, and tessellating 1M
// buildings took 0.2 s of a 4 s export. A load that skips them is an entry of its own (the viewer's load of the
// same file still tessellates), and a table with points, or a style the painter cannot draw, is tessellated anyway.
TEST(SharedLayers, ALoadForThePainterSkipsTheTrianglesOnlyWhereThePainterDraws) {
    const std::string dir = test::scratchDir("shared_layers_paint");
    const std::string path = writeSquare(dir, "a.geojson", 114.3);
    auto painted = geo::loadSharedVectorLayer(path, "", nullptr, nullptr, {}, geo::Triangles::UnlessPaintable);
    EXPECT_FALSE(painted->tessellated);
    EXPECT_TRUE(painted->triangles.empty());
    EXPECT_EQ(painted->source.table.featureCount(), 1u);
    auto drawn = geo::loadSharedVectorLayer(path, "", nullptr);
    EXPECT_NE(drawn, painted);
    EXPECT_TRUE(drawn->tessellated);
    EXPECT_EQ(drawn->triangles.size(), 3u);
    EXPECT_EQ(geo::loadSharedVectorLayer(path, "", nullptr, nullptr, {}, geo::Triangles::UnlessPaintable), painted);

    const std::string points = dir + "/p.geojson";
    test::writeText(points, R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.3,22.7]}},
        {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[114.3,22.7],[114.4,22.7],[114.4,22.8],[114.3,22.7]]]}}]})");
    auto mixed = geo::loadSharedVectorLayer(points, "", nullptr, nullptr, {}, geo::Triangles::UnlessPaintable);
    EXPECT_TRUE(mixed->tessellated) << "points are drawn by the GPU layers, and the polygons with them";
    EXPECT_EQ(mixed->triangles.size(), 3u);

    // Through a project layer: paint-only, unless its style has what the painter cannot draw (dashes).
    geo::ProjectLayer layer;
    layer.source = path;
    const geo::Crs display = geo::Crs::fromUser("EPSG:4326");
    auto dataOf = [&](const geo::LayerContent& c) { return std::get<geo::VectorContent>(c.value).data; };
    EXPECT_FALSE(dataOf(geo::loadLayerContent(layer, display, nullptr, geo::RasterLoad::Overview, true))->tessellated);
    EXPECT_TRUE(dataOf(geo::loadLayerContent(layer, display, nullptr))->tessellated);
    layer.style.dashField = "n";
    layer.style.dashValues = {"1"};
    ASSERT_TRUE(geo::hasPerFeatureSymbology(layer.style));
    EXPECT_TRUE(dataOf(geo::loadLayerContent(layer, display, nullptr, geo::RasterLoad::Overview, true))->tessellated);
}

// A large layer is indexed and reprojected on a second thread while it is tessellated (#10): the same index, the
// same display vertices as done one after the other, whichever load asks.
TEST(SharedLayers, ALargeLayerIndexedAndReprojectedWhileTessellatedIsTheSame) {
    const std::string dir = test::scratchDir("shared_layers_large");
    const std::string path = dir + "/grid.geojson";
    std::string json = R"({"type":"FeatureCollection","features":[)";
    for (int i = 0; i < 25000; ++i) {  // 125k vertices: past the threshold
        const double x = 114.2 + (i % 200) * 0.001, y = 22.6 + (i / 200) * 0.001;
        char f[320];
        std::snprintf(f, sizeof f,
                      R"(%s{"type":"Feature","properties":{"n":%d},"geometry":{"type":"Polygon","coordinates":)"
                      R"([[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}})",
                      i ? "," : "", i, x, y, x + 0.0008, y, x + 0.0008, y + 0.0006, x, y + 0.0006, x, y);
        json += f;
    }
    test::writeText(path, json + "]}");
    geo::ProjectLayer layer;
    layer.source = path;
    const geo::Crs display = geo::Crs::fromUser("EPSG:4547");
    const geo::LayerContent content = geo::loadLayerContent(layer, display, nullptr);
    const auto& vc = std::get<geo::VectorContent>(content.value);
    ASSERT_GE(vc.data->source.table.vertexCount(), 100000u);
    EXPECT_EQ(vc.data->triangles.size(), 25000u * 2 * 3);
    const geo::DisplayGeometry serial = geo::reprojectLayer(*vc.data, display, nullptr);
    EXPECT_EQ(vc.geometry.xy, serial.xy);
    EXPECT_EQ(vc.geometry.failedVertices, 0u);
    EXPECT_DOUBLE_EQ(vc.geometry.extent.minX, serial.extent.minX);
    EXPECT_GT(content.timings.reprojectSeconds, 0.0);
    const geo::FeatureIndex fresh(vc.data->source.table);
    for (size_t f = 0; f < vc.data->source.table.featureCount(); f += 997) {
        EXPECT_DOUBLE_EQ(vc.data->index().box(f).minX, fresh.box(f).minX);
        EXPECT_DOUBLE_EQ(vc.data->index().box(f).maxY, fresh.box(f).maxY);
    }
    EXPECT_EQ(vc.data->index().query(fresh.box(123)), fresh.query(fresh.box(123)));
    // A second layer of the same source finds it shared, and reprojects it itself.
    const geo::LayerContent again = geo::loadLayerContent(layer, geo::Crs::fromUser("EPSG:3857"), nullptr);
    EXPECT_EQ(std::get<geo::VectorContent>(again.value).data, vc.data);
    EXPECT_EQ(std::get<geo::VectorContent>(again.value).geometry.xy,
              geo::reprojectLayer(*vc.data, geo::Crs::fromUser("EPSG:3857"), nullptr).xy);
}

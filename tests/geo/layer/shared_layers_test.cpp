// One read per source and options, however many layers show it (issue #13: 10000 layers on one file read it 10000
// times, 88 s and 1.26 GB).
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "layer/shared_layers.hpp"
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

// TileCache: round trips, absent tiles, damaged files, the size cap (least recently used go first), sources kept
// apart, and source ids that never hold the source's text.
#include "tiles/tile_cache.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/error.hpp"

namespace fs = std::filesystem;
using geo::CachedTile;
using geo::TileCache;
using geo::TileKey;

namespace {

CachedTile tileOf(const std::string& bytes, const std::string& etag = "") {
    CachedTile t;
    t.data.assign(bytes.begin(), bytes.end());
    t.etag = etag;
    t.fetchedAt = 1700000000;
    return t;
}

std::vector<fs::path> tileFiles(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().extension() == ".tile") out.push_back(e.path());
    }
    return out;
}

}  // namespace

class TileCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/planatlas-tilecache-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        scratch_ = tmpl;
        dir_ = (scratch_ / "tiles").string();
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(scratch_, ec);
    }
    fs::path scratch_;
    std::string dir_;
};

TEST_F(TileCacheTest, RoundTrip) {
    TileCache cache(dir_, 1 << 20);
    EXPECT_TRUE(fs::is_directory(dir_));
    const std::string id = geo::tileSourceId("https://tile.example.org/{z}/{x}/{y}.png");
    CachedTile t = tileOf(std::string("\x89PNG\r\n\x1a\n\0\xff binary", 18), "\"abc\"");
    t.lastModified = "Wed, 21 Oct 2015 07:28:00 GMT";
    t.expiresAt = 1700000600;
    cache.put(id, {3, 4, 5}, t);

    const std::optional<CachedTile> got = cache.get(id, {3, 4, 5});
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->data, t.data);
    EXPECT_FALSE(got->absent);
    EXPECT_EQ(got->etag, "\"abc\"");
    EXPECT_EQ(got->lastModified, t.lastModified);
    EXPECT_EQ(got->fetchedAt, 1700000000);
    EXPECT_EQ(got->expiresAt, 1700000600);

    // Replacing keeps one entry with the new content.
    cache.put(id, {3, 4, 5}, tileOf("newer"));
    EXPECT_EQ(cache.get(id, {3, 4, 5})->data, tileOf("newer").data);
    EXPECT_EQ(tileFiles(dir_).size(), 1u);
}

TEST_F(TileCacheTest, MissingAndAbsentEntries) {
    TileCache cache(dir_, 1 << 20);
    const std::string id = geo::tileSourceId("src");
    EXPECT_FALSE(cache.get(id, {0, 0, 0}).has_value());

    CachedTile none;
    none.absent = true;
    none.fetchedAt = 1700000000;
    cache.put(id, {2, 1, 1}, none);
    const std::optional<CachedTile> got = cache.get(id, {2, 1, 1});
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(got->absent);
    EXPECT_TRUE(got->data.empty());
    EXPECT_FALSE(cache.get(id, {2, 1, 0}).has_value());
    EXPECT_FALSE(cache.get(id, {1, 1, 1}).has_value());
}

TEST_F(TileCacheTest, DamagedFilesReadAsAbsent) {
    TileCache cache(dir_, 1 << 20);
    const std::string id = geo::tileSourceId("src");
    for (int y = 0; y < 4; ++y) cache.put(id, {1, 0, y}, tileOf(std::string(500, char('a' + y)), "\"e\""));
    std::vector<fs::path> files = tileFiles(dir_);
    ASSERT_EQ(files.size(), 4u);
    std::sort(files.begin(), files.end());  // .../0.tile .. 3.tile

    fs::resize_file(files[0], fs::file_size(files[0]) / 2);  // short
    {
        std::fstream f(files[1], std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(300);
        f.put('#');  // one byte changed in the image
    }
    std::ofstream(files[2], std::ios::trunc).close();  // empty
    EXPECT_FALSE(cache.get(id, {1, 0, 0}).has_value());
    EXPECT_FALSE(cache.get(id, {1, 0, 1}).has_value());
    EXPECT_FALSE(cache.get(id, {1, 0, 2}).has_value());
    EXPECT_TRUE(cache.get(id, {1, 0, 3}).has_value());

    // A damaged entry can be written again.
    cache.put(id, {1, 0, 0}, tileOf("fresh"));
    EXPECT_EQ(cache.get(id, {1, 0, 0})->data, tileOf("fresh").data);
}

TEST_F(TileCacheTest, EvictionKeepsTheMostRecentlyUsed) {
    const std::string id = geo::tileSourceId("src");
    const std::string image(1000, 'x');
    uint64_t perTile = 0;
    {
        TileCache probe((scratch_ / "probe").string(), 1 << 20);
        probe.put(id, {0, 0, 0}, tileOf(image));
        perTile = probe.sizeBytes();
    }
    ASSERT_GT(perTile, 1000u);
    TileCache cache(dir_, perTile * 5);  // room for five
    for (int x = 0; x < 5; ++x) cache.put(id, {4, x, 0}, tileOf(image));
    EXPECT_EQ(cache.sizeBytes(), perTile * 5);
    ASSERT_TRUE(cache.get(id, {4, 0, 0}).has_value());  // used: now the most recent
    cache.put(id, {4, 5, 0}, tileOf(image));            // past the cap: evicts down to 90 %

    EXPECT_LE(cache.sizeBytes(), perTile * 5 * 9 / 10);
    EXPECT_TRUE(cache.get(id, {4, 0, 0}).has_value());
    EXPECT_TRUE(cache.get(id, {4, 5, 0}).has_value());
    EXPECT_TRUE(cache.get(id, {4, 4, 0}).has_value());
    EXPECT_FALSE(cache.get(id, {4, 1, 0}).has_value());  // the least recently used
    EXPECT_FALSE(cache.get(id, {4, 2, 0}).has_value());
    EXPECT_EQ(tileFiles(dir_).size() * perTile, cache.sizeBytes());
}

TEST_F(TileCacheTest, SizeIsCountedFromDiskAndEvictToCapShrinksIt) {
    const std::string image(2000, 'y');
    uint64_t before = 0;
    {
        TileCache cache(dir_, 1 << 20);
        for (int i = 0; i < 10; ++i) cache.put(geo::tileSourceId(i % 2 ? "a" : "b"), {5, i, i}, tileOf(image));
        before = cache.sizeBytes();
    }
    EXPECT_GT(before, 10u * 2000u);
    TileCache again(dir_, 1 << 20);
    EXPECT_EQ(again.sizeBytes(), before);
    again.evictToCap();  // under the cap: nothing goes
    EXPECT_EQ(tileFiles(dir_).size(), 10u);

    TileCache smaller(dir_, before / 2);
    smaller.evictToCap();
    EXPECT_LE(smaller.sizeBytes(), before / 2);
    EXPECT_GT(smaller.sizeBytes(), 0u);
    EXPECT_LT(tileFiles(dir_).size(), 10u);
}

TEST_F(TileCacheTest, SourcesDoNotCollide) {
    TileCache cache(dir_, 1 << 20);
    const std::string a = geo::tileSourceId("https://a.example.org/{z}/{x}/{y}.png");
    const std::string b = geo::tileSourceId("https://b.example.org/{z}/{x}/{y}.png");
    const std::string b2 = geo::tileSourceId("https://b.example.org/{z}/{x}/{y}.png", "512");
    EXPECT_NE(a, b);
    EXPECT_NE(b, b2);
    cache.put(a, {1, 1, 1}, tileOf("from a"));
    cache.put(b, {1, 1, 1}, tileOf("from b"));
    EXPECT_EQ(cache.get(a, {1, 1, 1})->data, tileOf("from a").data);
    EXPECT_EQ(cache.get(b, {1, 1, 1})->data, tileOf("from b").data);
    EXPECT_FALSE(cache.get(b2, {1, 1, 1}).has_value());
}

TEST_F(TileCacheTest, SourceIdIsStableHexWithoutTheSourceText) {
    const std::string source = "https://t0.tianditu.gov.cn/img_w/wmts?tk={key}&layer=img";
    const std::string id = geo::tileSourceId(source, "EPSG:3857");
    EXPECT_EQ(id, geo::tileSourceId(source, "EPSG:3857"));
    EXPECT_NE(id, geo::tileSourceId(source, "EPSG:4490"));
    ASSERT_EQ(id.size(), 16u);
    for (char c : id) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c))) << id;
    EXPECT_EQ(id.find("tianditu"), std::string::npos);
    EXPECT_EQ(id.find("key"), std::string::npos);
    EXPECT_NE(geo::tileSourceId(""), geo::tileSourceId("", "x"));

    TileCache cache(dir_, 1 << 20);
    cache.put(id, {0, 0, 0}, tileOf("t"));
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
        EXPECT_EQ(e.path().string().find("tianditu"), std::string::npos) << e.path();
    }
}

TEST_F(TileCacheTest, Freshness) {
    CachedTile t;
    t.fetchedAt = 1000;
    t.expiresAt = 1060;
    EXPECT_TRUE(t.fresh(1059));
    EXPECT_FALSE(t.fresh(1060));
    t.expiresAt = 0;
    EXPECT_TRUE(t.fresh(1000 + geo::kDefaultTileFreshness - 1));
    EXPECT_FALSE(t.fresh(1000 + geo::kDefaultTileFreshness));
}

TEST_F(TileCacheTest, DefaultDirFollowsXdgThenHome) {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    const std::string savedXdg = xdg ? xdg : "", savedHome = home ? home : "";
    ::setenv("XDG_CACHE_HOME", "/x/cache", 1);
    EXPECT_EQ(geo::defaultTileCacheDir(), "/x/cache/planatlas/tiles");
    ::unsetenv("XDG_CACHE_HOME");
    ::setenv("HOME", "/home/planner", 1);
    EXPECT_EQ(geo::defaultTileCacheDir(), "/home/planner/.cache/planatlas/tiles");
    if (xdg) ::setenv("XDG_CACHE_HOME", savedXdg.c_str(), 1);
    if (home)
        ::setenv("HOME", savedHome.c_str(), 1);
    else
        ::unsetenv("HOME");
}

TEST_F(TileCacheTest, UncreatableFolderThrowsIoError) {
    const fs::path file = scratch_ / "a-file";
    std::ofstream(file) << "x";
    EXPECT_THROW(TileCache((file / "tiles").string(), 1 << 20), geo::IoError);
}

TEST_F(TileCacheTest, DeadWritersTemporariesAreSwept) {
    const std::string id = geo::tileSourceId("src");
    {
        TileCache cache(dir_, 1 << 20);
        cache.put(id, {0, 0, 0}, tileOf("t"));
    }
    const fs::path folder = tileFiles(dir_).at(0).parent_path();
    const fs::path leftover = folder / ".1.tile.tmp-2147483646-0";  // no such process
    std::ofstream(leftover) << std::string(100, 'z');
    TileCache cache(dir_, 1 << 20);
    EXPECT_EQ(cache.sizeBytes(), fs::file_size(tileFiles(dir_).at(0)));
    EXPECT_FALSE(fs::exists(leftover));
    EXPECT_FALSE(cache.get(id, {0, 0, 1}).has_value());
}

TEST_F(TileCacheTest, ThreadsShareOneCache) {
    const std::string image(3000, 'q');
    uint64_t perTile = 0;
    {
        TileCache probe((scratch_ / "probe").string(), 1 << 20);
        probe.put("p", {0, 0, 0}, tileOf(image));
        perTile = probe.sizeBytes();
    }
    TileCache cache(dir_, perTile * 40);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            const std::string id = geo::tileSourceId("src" + std::to_string(t % 2));
            for (int i = 0; i < 20; ++i) {
                cache.put(id, {6, t, i}, tileOf(image));
                cache.get(id, {6, t, i / 2});
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_LE(cache.sizeBytes(), perTile * 40);
    EXPECT_EQ(tileFiles(dir_).size() * perTile, cache.sizeBytes());
    EXPECT_GT(tileFiles(dir_).size(), 0u);
}

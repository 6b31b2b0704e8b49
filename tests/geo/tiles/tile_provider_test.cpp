// TileProvider against tests/app/tile_server.py on 127.0.0.1 with a scratch disk cache: fetched tiles cached and
// served from the cache, revalidation (304), the server stopped (stale copies, "offline (cached)", messages naming
// the URL without its key), 404 remembered as absent, non-images, keys (needed, sent, and written nowhere; a WMTS
// key given on the capabilities URL only), offline mode, MBTiles files. Also decodeTileImage on PNGs (RGBA, RGB,
// paletted, gray), JPEG and damaged bytes.
#include "tiles/tile_provider.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "core/error.hpp"
#include "tiles/tile_image.hpp"
#include "tiles/tile_store.hpp"

extern char** environ;

namespace fs = std::filesystem;
using geo::TileFetch;
using geo::TileKey;
using geo::TileProvider;
using geo::TileStatus;

namespace {

const std::string kSecret = "SECRETKEY0123456789";

// Encodes a MEM dataset with GDAL's `driver` ("PNG", "JPEG") and returns the file's bytes.
std::vector<uint8_t> encode(GDALDataset* ds, const char* driver) {
    GDALAllRegister();
    static int counter = 0;
    std::string name = "/vsimem/tile_provider_test_" + std::to_string(counter++) + (driver[0] == 'P' ? ".png" : ".jpg");
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(driver);
    GDALDatasetUniquePtr out(d->CreateCopy(name.c_str(), ds, FALSE, nullptr, nullptr, nullptr));
    out.reset();
    vsi_l_offset n = 0;
    GByte* bytes = VSIGetMemFileBuffer(name.c_str(), &n, TRUE);
    std::vector<uint8_t> v(bytes, bytes + n);
    CPLFree(bytes);
    return v;
}

GDALDatasetUniquePtr memory(int w, int h, int bands) {
    GDALAllRegister();
    return GDALDatasetUniquePtr(
        GetGDALDriverManager()->GetDriverByName("MEM")->Create("", w, h, bands, GDT_Byte, nullptr));
}

std::vector<uint8_t> solidPng(uint8_t r, uint8_t g, uint8_t b, int size = 256) {
    GDALDatasetUniquePtr ds = memory(size, size, 3);
    ds->GetRasterBand(1)->Fill(r);
    ds->GetRasterBand(2)->Fill(g);
    ds->GetRasterBand(3)->Fill(b);
    return encode(ds.get(), "PNG");
}

void writeFile(const fs::path& p, const std::vector<uint8_t>& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const uint8_t* pixel(const geo::TileImage& img, int x, int y) {
    return &img.rgba[(size_t(y) * size_t(img.width) + size_t(x)) * 4];
}

// The folder name the cache gives a template source (tile_cache.hpp: a hash of the redacted template, with the
// tile size as variant), so that a test can age an entry.
std::string cacheIdOf(const std::string& tmpl, int tileSize = 256) {
    return geo::tileSourceId(geo::redactTileUrl(tmpl), std::to_string(tileSize));
}

// tests/app/tile_server.py on a port the system picks.
class TileServer {
public:
    bool start(const fs::path& root, const fs::path& scratch) {
        portFile_ = scratch / ("port" + std::to_string(++starts_));
        log_ = scratch / "server.log";
        const std::string script = std::string(PLANATLAS_SOURCE_DIR) + "/tests/app/tile_server.py";
        std::vector<std::string> args = {"python3",
                                         script,
                                         "--root",
                                         root.string(),
                                         "--port",
                                         "0",
                                         "--port-file",
                                         portFile_.string(),
                                         "--log",
                                         log_.string()};
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (::posix_spawnp(&pid_, "python3", nullptr, nullptr, argv.data(), environ) != 0) {
            pid_ = -1;
            error_ = "cannot start python3";
            return false;
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < until) {
            std::ifstream in(portFile_);
            if (in >> port_ && port_ > 0) return true;
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                error_ = "tile_server.py exited";
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        error_ = "tile_server.py wrote no port within 60 s";
        return false;
    }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        bool gone = false;
        for (int i = 0; i < 400 && !gone; ++i) {
            gone = ::waitpid(pid_, &status, WNOHANG) == pid_;
            if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (!gone) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
        pid_ = -1;
    }
    ~TileServer() { stop(); }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::string& error() const { return error_; }
    std::string log() const { return readAll(log_); }
    // The log once it holds `needle` (the server writes a request's line after answering it, so a client may be
    // done before its line is there), or as it is after 10 s.
    std::string logWith(const std::string& needle) const {
        for (int i = 0; i < 200; ++i) {
            std::string text = log();
            if (text.find(needle) != std::string::npos) return text;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return log();
    }
    // Requests the server has counted for `path` (without the query).
    int count(const std::string& path) const {
        geo::HttpClient client("test");
        geo::HttpRequest r;
        r.url = base() + "/count";
        r.timeoutSeconds = 60;
        r.connectTimeoutSeconds = 30;
        geo::HttpResponse resp = client.get(r);
        std::string body(resp.body.begin(), resp.body.end());
        std::string needle = "\"" + path + "\": ";
        size_t p = body.find(needle);
        if (!resp.ok()) return -1;
        return p == std::string::npos ? 0 : std::atoi(body.c_str() + p + needle.size());
    }

private:
    pid_t pid_ = -1;
    int port_ = 0, starts_ = 0;
    fs::path portFile_, log_;
    std::string error_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Decoding

TEST(TileProviderImage, DecodesPngKinds) {
    // RGBA with a pattern: the top-left quarter differs.
    GDALDatasetUniquePtr rgba = memory(64, 32, 4);
    const uint8_t fill[4] = {10, 20, 30, 128};
    for (int b = 0; b < 4; ++b) rgba->GetRasterBand(b + 1)->Fill(fill[b]);
    std::vector<uint8_t> corner(16 * 8, 250);
    ASSERT_EQ(rgba->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 16, 8, corner.data(), 16, 8, GDT_Byte, 0, 0, nullptr),
              CE_None);
    std::vector<uint8_t> png = encode(rgba.get(), "PNG");
    EXPECT_EQ(geo::tileImageFormat(png), "png");
    geo::TileImage img = geo::decodeTileImage(png);
    ASSERT_EQ(img.width, 64);
    ASSERT_EQ(img.height, 32);
    ASSERT_EQ(img.rgba.size(), 64u * 32 * 4);
    EXPECT_EQ(std::vector<uint8_t>(pixel(img, 63, 31), pixel(img, 63, 31) + 4),
              (std::vector<uint8_t>{10, 20, 30, 128}));
    EXPECT_EQ(std::vector<uint8_t>(pixel(img, 0, 0), pixel(img, 0, 0) + 4), (std::vector<uint8_t>{250, 20, 30, 128}));
    EXPECT_EQ(pixel(img, 16, 0)[0], 10);  // the top row first
    EXPECT_EQ(pixel(img, 0, 8)[0], 10);

    // RGB: opaque.
    geo::TileImage rgb = geo::decodeTileImage(solidPng(200, 100, 50, 256));
    ASSERT_EQ(rgb.width, 256);
    EXPECT_EQ(std::vector<uint8_t>(pixel(rgb, 128, 200), pixel(rgb, 128, 200) + 4),
              (std::vector<uint8_t>{200, 100, 50, 255}));

    // Paletted, with a transparent entry: the top half entry 0 (red), the bottom half entry 1 (clear blue).
    GDALDatasetUniquePtr pal = memory(32, 32, 1);
    GDALColorTable ct;
    GDALColorEntry red{255, 0, 0, 255}, clear{0, 0, 255, 0}, green{0, 255, 0, 255};
    ct.SetColorEntry(0, &red);
    ct.SetColorEntry(1, &clear);
    ct.SetColorEntry(2, &green);
    pal->GetRasterBand(1)->SetColorTable(&ct);
    pal->GetRasterBand(1)->Fill(0);
    std::vector<uint8_t> ones(32 * 16, 1);
    ASSERT_EQ(pal->GetRasterBand(1)->RasterIO(GF_Write, 0, 16, 32, 16, ones.data(), 32, 16, GDT_Byte, 0, 0, nullptr),
              CE_None);
    geo::TileImage p = geo::decodeTileImage(encode(pal.get(), "PNG"));
    ASSERT_EQ(p.width, 32);
    EXPECT_EQ(std::vector<uint8_t>(pixel(p, 5, 5), pixel(p, 5, 5) + 4), (std::vector<uint8_t>{255, 0, 0, 255}));
    EXPECT_EQ(pixel(p, 5, 20)[3], 0);

    // Gray: the value in all three channels.
    GDALDatasetUniquePtr gray = memory(16, 16, 1);
    gray->GetRasterBand(1)->Fill(77);
    geo::TileImage g = geo::decodeTileImage(encode(gray.get(), "PNG"));
    EXPECT_EQ(std::vector<uint8_t>(pixel(g, 3, 3), pixel(g, 3, 3) + 4), (std::vector<uint8_t>{77, 77, 77, 255}));
    // Gray + alpha.
    GDALDatasetUniquePtr ga = memory(16, 16, 2);
    ga->GetRasterBand(1)->Fill(90);
    ga->GetRasterBand(2)->Fill(40);
    geo::TileImage gai = geo::decodeTileImage(encode(ga.get(), "PNG"));
    EXPECT_EQ(std::vector<uint8_t>(pixel(gai, 3, 3), pixel(gai, 3, 3) + 4), (std::vector<uint8_t>{90, 90, 90, 40}));
}

TEST(TileProviderImage, DecodesJpeg) {
    GDALDatasetUniquePtr ds = memory(256, 256, 3);
    ds->GetRasterBand(1)->Fill(200);
    ds->GetRasterBand(2)->Fill(100);
    ds->GetRasterBand(3)->Fill(50);
    std::vector<uint8_t> jpg = encode(ds.get(), "JPEG");
    EXPECT_EQ(geo::tileImageFormat(jpg), "jpg");
    geo::TileImage img = geo::decodeTileImage(jpg);
    ASSERT_EQ(img.width, 256);
    ASSERT_EQ(img.height, 256);
    const uint8_t* px = pixel(img, 100, 100);
    EXPECT_NEAR(px[0], 200, 4);
    EXPECT_NEAR(px[1], 100, 4);
    EXPECT_NEAR(px[2], 50, 4);
    EXPECT_EQ(px[3], 255);
}

TEST(TileProviderImage, DamagedBytesAreFormatErrors) {
    // A noisy image, so that its compressed data is long and half of it is clearly not the whole picture.
    GDALDatasetUniquePtr ds = memory(256, 256, 3);
    std::vector<uint8_t> noise(256 * 256);
    uint32_t s = 12345;
    for (uint8_t& v : noise) v = uint8_t((s = s * 1103515245 + 12345) >> 16);
    for (int b = 1; b <= 3; ++b)
        ASSERT_EQ(
            ds->GetRasterBand(b)->RasterIO(GF_Write, 0, 0, 256, 256, noise.data(), 256, 256, GDT_Byte, 0, 0, nullptr),
            CE_None);
    std::vector<uint8_t> png = encode(ds.get(), "PNG");
    ASSERT_GT(png.size(), 10000u);
    EXPECT_NO_THROW(geo::decodeTileImage(png));
    for (size_t keep : {png.size() / 2, png.size() - 20, size_t(100), size_t(40)}) {
        std::vector<uint8_t> cut(png.begin(), png.begin() + std::ptrdiff_t(keep));
        try {
            geo::decodeTileImage(cut);
            ADD_FAILURE() << "a PNG cut to " << keep << " bytes decoded";
        } catch (const geo::FormatError& e) {
            EXPECT_NE(std::string(e.what()).find("PNG"), std::string::npos) << e.what();
        }
    }
    std::string html = "<html><body>Invalid key</body></html>";
    EXPECT_THROW(geo::decodeTileImage(std::vector<uint8_t>(html.begin(), html.end())), geo::FormatError);
    EXPECT_THROW(geo::decodeTileImage({}), geo::FormatError);
    // The PNG signature followed by garbage.
    std::vector<uint8_t> fake(png.begin(), png.begin() + 8);
    fake.resize(500, 0x5a);
    EXPECT_THROW(geo::decodeTileImage(fake), geo::FormatError);
    std::vector<uint8_t> fakeJpeg = {0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    EXPECT_THROW(geo::decodeTileImage(fakeJpeg), geo::FormatError);
}

TEST(TileProviderImage, FormatFromMagicBytes) {
    auto bytes = [](const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); };
    EXPECT_EQ(geo::tileImageFormat(bytes(std::string("\x89PNG\r\n\x1a\n....", 12))), "png");
    EXPECT_EQ(geo::tileImageFormat(bytes("\xFF\xD8\xFF\xE0")), "jpg");
    EXPECT_EQ(geo::tileImageFormat(bytes("RIFF\x10\x00\x00\x00WEBPVP8 ")), "");  // embedded NUL: cut short
    EXPECT_EQ(geo::tileImageFormat(bytes(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16))), "webp");
    EXPECT_EQ(geo::tileImageFormat(bytes("GIF89a....")), "gif");
    EXPECT_EQ(geo::tileImageFormat(bytes("<html>")), "");
    EXPECT_EQ(geo::tileImageFormat({}), "");
}

// ---------------------------------------------------------------------------------------------------------------
// Over the loopback server

class TileProviderTest : public ::testing::Test {
protected:
    void SetUp() override {
        ::setenv("no_proxy", "127.0.0.1,localhost", 1);
        ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
        char tmpl[] = "/tmp/planatlas-tileprovider-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        scratch_ = tmpl;
        root_ = scratch_ / "root";
        // Zooms 0-2, one colour per tile, except 2/3/3 (the server answers 404 there).
        for (int z = 0; z <= 2; ++z)
            for (int x = 0; x < (1 << z); ++x)
                for (int y = 0; y < (1 << z); ++y)
                    if (!(z == 2 && x == 3 && y == 3)) {
                        std::vector<uint8_t> png = solidPng(uint8_t(40 * z), uint8_t(60 * x), uint8_t(60 * y), 64);
                        tiles_[z * 100 + x * 10 + y] = png;
                        writeFile(
                            root_ / "tiles" / std::to_string(z) / std::to_string(x) / (std::to_string(y) + ".png"),
                            png);
                    }
        std::string html = "<html><body>Your key is not valid for this service</body></html>";
        writeFile(root_ / "text" / "1" / "0" / "0.png", std::vector<uint8_t>(html.begin(), html.end()));
        ASSERT_TRUE(server_.start(root_, scratch_)) << server_.error();
        env_.http = std::make_shared<geo::HttpClient>(geo::planAtlasUserAgent());
        env_.cache = std::make_shared<geo::TileCache>((scratch_ / "cache").string(), 64 << 20);
    }
    void TearDown() override {
        server_.stop();
        std::error_code ec;
        fs::remove_all(scratch_, ec);
    }

    std::string tmpl(const std::string& prefix = "/tiles", const std::string& query = "") const {
        return server_.base() + prefix + "/{z}/{x}/{y}.png" + query;
    }
    std::shared_ptr<TileProvider> open(const std::string& source, const geo::TileEnvironment& env, int maxZoom = 2) {
        geo::TileSourceSpec spec;
        spec.kind = geo::TileKind::Xyz;
        spec.source = source;
        spec.options.maxZoom = maxZoom;
        return TileProvider::open(spec, env);
    }
    const std::vector<uint8_t>& tile(int z, int x, int y) { return tiles_[z * 100 + x * 10 + y]; }
    // Ages a cached entry (keeping its validators) so that the next fetch must ask the server again.
    void makeStale(const std::string& source, const TileKey& k) {
        std::optional<geo::CachedTile> t = env_.cache->get(cacheIdOf(source), k);
        ASSERT_TRUE(t.has_value()) << "the tile is not in the cache under the id tile_cache.hpp describes";
        t->fetchedAt -= 3600;
        t->expiresAt = t->fetchedAt + 1;
        env_.cache->put(cacheIdOf(source), k, *t);
        ASSERT_FALSE(env_.cache->get(cacheIdOf(source), k)->fresh(std::time(nullptr)));
    }
    // Every byte of every file (and every name) under the cache folder.
    std::string cacheBytes() const {
        std::string all;
        for (const auto& e : fs::recursive_directory_iterator(scratch_ / "cache")) {
            all += e.path().string() + "\n";
            if (e.is_regular_file()) all += readAll(e.path());
        }
        return all;
    }

    fs::path scratch_, root_;
    TileServer server_;
    geo::TileEnvironment env_;
    std::map<int, std::vector<uint8_t>> tiles_;
};

TEST_F(TileProviderTest, FetchesCachesAndServesFromTheCache) {
    auto p = open(tmpl(), env_);
    EXPECT_TRUE(p->remote());
    EXPECT_EQ(p->displayName(), tmpl());
    EXPECT_EQ(p->grid().maxLevel(), 2);
    TileFetch f = p->fetch({1, 0, 1});
    ASSERT_EQ(f.status, TileStatus::Ok) << f.error;
    EXPECT_FALSE(f.fromCache);
    EXPECT_EQ(f.data, tile(1, 0, 1));
    geo::TileImage img = geo::decodeTileImage(f.data);
    EXPECT_EQ(img.width, 64);
    EXPECT_EQ(pixel(img, 10, 10)[0], 40);
    EXPECT_EQ(pixel(img, 10, 10)[2], 60);
    EXPECT_EQ(server_.count("/tiles/1/0/1.png"), 1);

    // Again: from the cache, the server not asked.
    TileFetch again = p->fetch({1, 0, 1});
    ASSERT_EQ(again.status, TileStatus::Ok);
    EXPECT_TRUE(again.fromCache);
    EXPECT_EQ(again.data, tile(1, 0, 1));
    EXPECT_EQ(server_.count("/tiles/1/0/1.png"), 1);
    geo::TileStats s = p->stats();
    EXPECT_EQ(s.network, 1u);
    EXPECT_EQ(s.cacheHits, 1u);
    EXPECT_FALSE(s.lastNetworkFailed);

    // A second provider of the same source (another layer, or the next run) shares the cache.
    auto p2 = open(tmpl(), env_);
    EXPECT_TRUE(p2->cached({1, 0, 1}).fromCache);
    EXPECT_EQ(p2->fetch({1, 0, 1}).data, tile(1, 0, 1));
    EXPECT_EQ(server_.count("/tiles/1/0/1.png"), 1);
    // cached() never goes to the network.
    TileFetch notThere = p2->cached({2, 1, 1});
    EXPECT_EQ(notThere.status, TileStatus::Missing);
    EXPECT_EQ(server_.count("/tiles/2/1/1.png"), 0);
    // Levels outside the source's range are absent, without asking.
    EXPECT_EQ(p->fetch({3, 0, 0}).status, TileStatus::Absent);
    EXPECT_EQ(server_.count("/tiles/3/0/0.png"), 0);
    // The server saw our User-Agent.
    EXPECT_NE(server_.logWith(geo::planAtlasUserAgent()).find(geo::planAtlasUserAgent()), std::string::npos);
}

TEST_F(TileProviderTest, StaleEntryIsRevalidatedWithNotModified) {
    auto p = open(tmpl(), env_);
    ASSERT_EQ(p->fetch({2, 1, 2}).status, TileStatus::Ok);
    makeStale(tmpl(), {2, 1, 2});
    TileFetch f = p->fetch({2, 1, 2});
    ASSERT_EQ(f.status, TileStatus::Ok) << f.error;
    EXPECT_EQ(f.data, tile(2, 1, 2));
    EXPECT_EQ(server_.count("/tiles/2/1/2.png"), 2);
    EXPECT_NE(server_.logWith("/tiles/2/1/2.png 304").find("/tiles/2/1/2.png 304"), std::string::npos) << server_.log();
    // Fresh again: the next fetch stays local.
    EXPECT_TRUE(p->fetch({2, 1, 2}).fromCache);
    EXPECT_EQ(server_.count("/tiles/2/1/2.png"), 2);
    EXPECT_EQ(p->stats().network, 2u);
}

TEST_F(TileProviderTest, ServerStoppedServesStaleCopiesAndNamesTheUrl) {
    geo::TileEnvironment env = env_;
    env.keyFor = [](const std::string& host) { return host == "127.0.0.1" ? kSecret : std::string(); };
    const std::string source = tmpl("/tiles", "?tk={key}");
    auto p = open(source, env);
    ASSERT_EQ(p->fetch({1, 1, 0}).status, TileStatus::Ok);
    makeStale(source, {1, 1, 0});
    const std::string base = server_.base();
    server_.stop();

    // The stale copy draws, and the provider knows the network failed ("offline (cached)").
    TileFetch f = p->fetch({1, 1, 0});
    ASSERT_EQ(f.status, TileStatus::Ok) << f.error;
    EXPECT_TRUE(f.fromCache);
    EXPECT_EQ(f.data, tile(1, 1, 0));
    EXPECT_TRUE(p->stats().lastNetworkFailed);
    EXPECT_NE(p->stats().lastError.find("127.0.0.1"), std::string::npos) << p->stats().lastError;

    // Nothing cached: Missing, with a message naming the tile's URL with the key redacted.
    TileFetch m = p->fetch({2, 0, 0});
    EXPECT_EQ(m.status, TileStatus::Missing);
    EXPECT_NE(m.error.find(base + "/tiles/2/0/0.png?tk={key}"), std::string::npos) << m.error;
    EXPECT_EQ(m.error.find(kSecret), std::string::npos) << m.error;
    EXPECT_NE(m.error.find("refused"), std::string::npos) << m.error;
    EXPECT_EQ(p->stats().lastError.find(kSecret), std::string::npos);
    EXPECT_GE(p->stats().failed, 1u);
    // cached() has the stale copy too.
    EXPECT_EQ(p->cached({1, 1, 0}).status, TileStatus::Ok);
}

TEST_F(TileProviderTest, NotFoundIsAbsentAndRemembered) {
    auto p = open(tmpl(), env_);
    TileFetch f = p->fetch({2, 3, 3});
    EXPECT_EQ(f.status, TileStatus::Absent);
    EXPECT_TRUE(f.data.empty());
    EXPECT_EQ(p->stats().absent, 1u);
    EXPECT_FALSE(p->stats().lastNetworkFailed);
    TileFetch again = p->fetch({2, 3, 3});
    EXPECT_EQ(again.status, TileStatus::Absent);
    EXPECT_TRUE(again.fromCache);
    EXPECT_EQ(server_.count("/tiles/2/3/3.png"), 1);
    EXPECT_EQ(p->cached({2, 3, 3}).status, TileStatus::Absent);
}

TEST_F(TileProviderTest, ErrorsAndNonImagesAreMissingWithAMessage) {
    auto text = open(tmpl("/text"), env_);
    TileFetch f = text->fetch({1, 0, 0});
    EXPECT_EQ(f.status, TileStatus::Missing);
    EXPECT_NE(f.error.find("not an image"), std::string::npos) << f.error;
    EXPECT_NE(f.error.find(server_.base() + "/text/1/0/0.png"), std::string::npos) << f.error;
    EXPECT_EQ(text->stats().failed, 1u);
    EXPECT_FALSE(text->cached({1, 0, 0}).status == TileStatus::Ok);  // never cached as a tile

    auto broken = open(tmpl("/status/500/tiles"), env_);
    TileFetch e = broken->fetch({0, 0, 0});
    EXPECT_EQ(e.status, TileStatus::Missing);
    EXPECT_NE(e.error.find("500"), std::string::npos) << e.error;
    EXPECT_NE(e.error.find("/status/500/tiles/0/0/0.png"), std::string::npos) << e.error;
    EXPECT_TRUE(broken->stats().lastNetworkFailed);
}

TEST_F(TileProviderTest, TemplateWithKeyNeedsOne) {
    const std::string source = tmpl("/tiles", "?tk={key}");
    for (bool withLookup : {false, true}) {
        geo::TileEnvironment env = env_;
        if (withLookup) env.keyFor = [](const std::string&) { return std::string(); };
        auto p = open(source, env);
        TileFetch f = p->fetch({1, 0, 0});
        EXPECT_EQ(f.status, TileStatus::Missing);
        EXPECT_NE(f.error.find("planatlas tiles key 127.0.0.1"), std::string::npos) << f.error;
    }
    EXPECT_EQ(server_.count("/tiles/1/0/0.png"), 0);  // nothing was sent without the key
    // The host named is the one a key is kept under, without the template's {s}.
    geo::TileSourceSpec spec;
    spec.kind = geo::TileKind::Xyz;
    spec.source = "https://t{s}.tianditu.example/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}";
    spec.options.subdomains = "01234567";
    TileFetch f = TileProvider::open(spec, env_)->fetch({3, 1, 1});
    EXPECT_EQ(f.status, TileStatus::Missing);
    EXPECT_NE(f.error.find("`planatlas tiles key tianditu.example KEY`"), std::string::npos) << f.error;
}

TEST_F(TileProviderTest, KeyReachesTheServerOnly) {
    geo::TileEnvironment env = env_;
    env.keyFor = [](const std::string& host) { return host == "127.0.0.1" ? kSecret : std::string(); };
    const std::string source = tmpl("/tiles", "?tk={key}&layer=vec");
    auto p = open(source, env);
    EXPECT_EQ(p->displayName(), source);
    EXPECT_EQ(p->displayName().find(kSecret), std::string::npos);
    for (TileKey k : {TileKey{0, 0, 0}, TileKey{1, 0, 0}, TileKey{2, 3, 3}}) p->fetch(k);
    EXPECT_EQ(p->fetch({1, 0, 0}).data, tile(1, 0, 0));
    const std::string sent = "/tiles/1/0/0.png?tk=" + kSecret + "&layer=vec";
    EXPECT_NE(server_.logWith(sent).find(sent), std::string::npos) << server_.log();
    // A literal key in the source (pasted from a provider's page) is redacted too.
    auto literal = open(tmpl("/tiles", "?tk=" + kSecret), env_);
    EXPECT_EQ(literal->displayName().find(kSecret), std::string::npos);
    EXPECT_EQ(literal->fetch({2, 0, 1}).status, TileStatus::Ok);
    // Failures name the URL without the key.
    auto failing = open(tmpl("/status/500/tiles", "?tk={key}"), env);
    TileFetch e = failing->fetch({0, 0, 0});
    EXPECT_EQ(e.status, TileStatus::Missing);
    EXPECT_EQ(e.error.find(kSecret), std::string::npos) << e.error;
    EXPECT_NE(e.error.find("tk={key}"), std::string::npos) << e.error;
    auto failingLiteral = open(tmpl("/status/500/tiles", "?tk=" + kSecret), env_);
    TileFetch e2 = failingLiteral->fetch({0, 0, 0});
    EXPECT_EQ(e2.error.find(kSecret), std::string::npos) << e2.error;
    EXPECT_EQ(failingLiteral->stats().lastError.find(kSecret), std::string::npos);
    // Nothing under the cache folder holds the key: not a name, not a byte.
    std::string disk = cacheBytes();
    EXPECT_FALSE(disk.empty());
    EXPECT_EQ(disk.find(kSecret), std::string::npos);
}

// Tianditu-style WMTS: the key is on the capabilities URL only, the service's tile URLs do not carry it; the tiles
// need it all the same, and it is written nowhere (names, messages, the cached capabilities).
TEST_F(TileProviderTest, WmtsKeyOnTheCapabilitiesUrlGoesOnTileRequests) {
    const std::string key = "SECRET42";
    // A REST capabilities document over tiles/ (Web Mercator, levels 0-2); its ResourceURL has no key.
    std::string matrices;
    for (int z = 0; z <= 2; ++z) {
        std::ostringstream m;
        m.precision(17);
        m << "<TileMatrix><ows:Identifier>" << z << "</ows:Identifier><ScaleDenominator>"
          << 559082264.0287178 / double(1 << z)
          << "</ScaleDenominator><TopLeftCorner>-20037508.342789244 20037508.342789244</TopLeftCorner>"
             "<TileWidth>64</TileWidth><TileHeight>64</TileHeight><MatrixWidth>"
          << (1 << z) << "</MatrixWidth><MatrixHeight>" << (1 << z) << "</MatrixHeight></TileMatrix>";
        matrices += m.str();
    }
    const std::string caps =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Capabilities xmlns=\"http://www.opengis.net/wmts/1.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\" "
        "version=\"1.0.0\"><ows:ServiceIdentification><ows:Title>keyed test</ows:Title>"
        "<ows:ServiceType>OGC WMTS</ows:ServiceType><ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion>"
        "</ows:ServiceIdentification><Contents><Layer><ows:Title>Tiles</ows:Title><ows:Identifier>vec</ows:Identifier>"
        "<Style isDefault=\"true\"><ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format>"
        "<TileMatrixSetLink><TileMatrixSet>w</TileMatrixSet></TileMatrixSetLink>"
        "<ResourceURL format=\"image/png\" resourceType=\"tile\" template=\"" +
        server_.base() +
        "/tiles/{TileMatrix}/{TileCol}/{TileRow}.png\"/></Layer>"
        "<TileMatrixSet><ows:Identifier>w</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857"
        "</ows:SupportedCRS>" +
        matrices + "</TileMatrixSet></Contents></Capabilities>\n";
    writeFile(root_ / "caps.xml", std::vector<uint8_t>(caps.begin(), caps.end()));

    geo::TileEnvironment env = env_;
    env.keyFor = [&](const std::string& host) { return host == "127.0.0.1" ? key : std::string(); };
    geo::TileSourceSpec spec;
    spec.kind = geo::TileKind::Wmts;
    spec.source = "WMTS:" + server_.base() + "/caps.xml?tk={key}";
    std::shared_ptr<TileProvider> p = TileProvider::open(spec, env);
    EXPECT_EQ(p->displayName().find(key), std::string::npos) << p->displayName();
    EXPECT_NE(p->displayName().find("127.0.0.1"), std::string::npos) << p->displayName();
    TileFetch f = p->fetch({1, 0, 1});
    ASSERT_EQ(f.status, TileStatus::Ok) << f.error;
    EXPECT_EQ(f.data, tile(1, 0, 1));
    const std::string log = server_.logWith("/tiles/1/0/1.png?tk=" + key);
    EXPECT_NE(log.find("/caps.xml?tk=" + key), std::string::npos) << log;
    EXPECT_NE(log.find("/tiles/1/0/1.png?tk=" + key), std::string::npos) << log;

    // A failing tile request names the URL without the key.
    TileFetch missing = p->fetch({2, 3, 3});  // 404 on the server: absent, no error
    EXPECT_EQ(missing.status, TileStatus::Absent);
    server_.stop();
    TileFetch e = p->fetch({2, 0, 0});
    EXPECT_EQ(e.status, TileStatus::Missing);
    EXPECT_FALSE(e.error.empty());
    EXPECT_EQ(e.error.find(key), std::string::npos) << e.error;
    EXPECT_EQ(p->stats().lastError.find(key), std::string::npos) << p->stats().lastError;

    // The cached capabilities (and everything else under the cache folder) do not hold the key.
    std::string disk = cacheBytes();
    EXPECT_NE(disk.find("keyed test"), std::string::npos) << "the capabilities are not in the cache";
    EXPECT_EQ(disk.find(key), std::string::npos);
}

TEST_F(TileProviderTest, OfflineUsesTheCacheOnly) {
    auto online = open(tmpl(), env_);
    ASSERT_EQ(online->fetch({1, 1, 1}).status, TileStatus::Ok);
    makeStale(tmpl(), {1, 1, 1});  // even a stale copy is used, without asking
    geo::TileEnvironment env = env_;
    env.offline = true;
    auto p = open(tmpl(), env);
    TileFetch f = p->fetch({1, 1, 1});
    EXPECT_EQ(f.status, TileStatus::Ok);
    EXPECT_TRUE(f.fromCache);
    EXPECT_EQ(f.data, tile(1, 1, 1));
    TileFetch m = p->fetch({2, 2, 2});
    EXPECT_EQ(m.status, TileStatus::Missing);
    EXPECT_NE(m.error.find("offline"), std::string::npos) << m.error;
    EXPECT_EQ(server_.count("/tiles/1/1/1.png"), 1);
    EXPECT_EQ(server_.count("/tiles/2/2/2.png"), 0);
    // No HTTP client at all behaves the same.
    geo::TileEnvironment none = env_;
    none.http.reset();
    EXPECT_EQ(open(tmpl(), none)->fetch({2, 2, 2}).status, TileStatus::Missing);
    EXPECT_EQ(open(tmpl(), none)->fetch({1, 1, 1}).status, TileStatus::Ok);
}

TEST_F(TileProviderTest, OpenChecksTheTemplateOptions) {
    auto expectFormatError = [&](geo::TileSourceSpec spec, const std::string& says) {
        try {
            TileProvider::open(spec, env_);
            ADD_FAILURE() << "opened " << spec.source;
        } catch (const geo::FormatError& e) {
            EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << e.what();
        }
    };
    geo::TileSourceSpec spec;
    spec.kind = geo::TileKind::Xyz;
    spec.source = "https://tiles.example.org/{z}/{x}/{y}.png?tk=" + kSecret;
    geo::TileSourceSpec bad = spec;
    bad.options.tileSize = 300;
    expectFormatError(bad, "tile size 300");
    bad = spec;
    bad.options.minZoom = 10;
    bad.options.maxZoom = 5;
    expectFormatError(bad, "zoom");
    bad = spec;
    bad.options.maxZoom = 31;
    expectFormatError(bad, "zoom");
    bad = spec;
    bad.source = "https://{s}.tiles.example.org/{z}/{x}/{y}.png";
    expectFormatError(bad, "subdomains");
    bad = spec;
    bad.kind = geo::TileKind::None;
    EXPECT_THROW(TileProvider::open(bad, env_), geo::FormatError);
    // Opening a template asks nothing of the network.
    geo::TileSourceSpec ok = spec;
    ok.source = tmpl();
    ok.options.minZoom = 1;
    auto p = TileProvider::open(ok, env_);
    EXPECT_EQ(p->grid().minLevel, 1);
    EXPECT_EQ(p->fetch({0, 0, 0}).status, TileStatus::Absent);  // below the first level served
    EXPECT_EQ(server_.count("/tiles/0/0/0.png"), 0);
}

TEST(TileProviderFile, ReadsMBTiles) {
    char tmpl[] = "/tmp/planatlas-tileprovider-mbtiles-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    const fs::path dir = tmpl;
    const std::string path = (dir / "pingshan.mbtiles").string();
    {
        geo::MBTilesWriter w(path);
        for (int z = 0; z <= 2; ++z)
            for (int x = 0; x < (1 << z); ++x)
                for (int y = 0; y < (1 << z); ++y)
                    if (!(z == 2 && x == 0 && y == 3))
                        w.put({z, x, y}, solidPng(uint8_t(z * 50), uint8_t(x * 60), uint8_t(y * 60), 32));
        w.setMetadata({{"name", "pingshan"},
                       {"format", "png"},
                       {"minzoom", "0"},
                       {"maxzoom", "2"},
                       {"attribution", "(c) Test tiles"}});
    }
    geo::TileSourceSpec spec;
    spec.kind = geo::TileKind::MBTiles;
    spec.source = path;
    geo::TileEnvironment env;  // no network, no cache: the file is enough
    env.offline = true;
    auto p = TileProvider::open(spec, env);
    EXPECT_FALSE(p->remote());
    EXPECT_EQ(p->displayName(), path);
    EXPECT_EQ(p->attribution(), "(c) Test tiles");
    EXPECT_EQ(p->grid().maxLevel(), 2);
    EXPECT_EQ(p->grid().crs, "EPSG:3857");
    TileFetch f = p->fetch({2, 1, 3});  // rows from the top here, whatever the file stores
    ASSERT_EQ(f.status, TileStatus::Ok) << f.error;
    geo::TileImage img = geo::decodeTileImage(f.data);
    EXPECT_EQ(pixel(img, 1, 1)[0], 100);
    EXPECT_EQ(pixel(img, 1, 1)[1], 60);
    EXPECT_EQ(pixel(img, 1, 1)[2], 180);
    EXPECT_EQ(p->fetch({2, 0, 3}).status, TileStatus::Absent);
    EXPECT_EQ(p->fetch({3, 0, 0}).status, TileStatus::Absent);
    EXPECT_EQ(p->cached({1, 1, 0}).status, TileStatus::Ok);
    EXPECT_EQ(p->stats().failed, 0u);
    p.reset();

    // A file that is not there: an error naming it.
    spec.source = (dir / "missing.mbtiles").string();
    try {
        TileProvider::open(spec, env);
        ADD_FAILURE() << "opened a missing file";
    } catch (const geo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.mbtiles"), std::string::npos) << e.what();
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

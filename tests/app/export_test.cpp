// `planatlas export` end to end: georeferencing read back with GDAL, batches, per-layer stacks, a very large
// export in bounded memory, argument errors. Runs the real binary (headless EGL).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <thread>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include "crs/crs.hpp"
#include "export/image_writer.hpp"
#include "project/project.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

// stderr of the current test's runs, one file per test, so tests running in parallel (ctest -j) do not share it.
std::string logPathForThisTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "." + info->name();
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.') ch = '_';
    return (fs::temp_directory_path() / ("planatlas_export_test_" + name + ".log")).string();
}

int run(const std::string& args, std::string* err = nullptr) {
    const std::string log = logPathForThisTest();
    std::string cmd = std::string(PLANATLAS_BINARY) + " export " + args + " 2>" + log;
    int status = std::system(cmd.c_str());
    if (err) {
        std::ifstream in(log);
        *err = std::string((std::istreambuf_iterator<char>(in)), {});
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Case {
    const char* format;
    const char* crs;
};

// Shown by GoogleTest for GetParam() and used in the test names: "tif EPSG:4547" and tif_4547.
void PrintTo(const Case& c, std::ostream* os) { *os << c.format << " " << c.crs; }
std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    return std::string(info.param.format) + "_" + std::string(info.param.crs).substr(5);
}

class Georeferencing : public ::testing::TestWithParam<Case> {};

TEST_P(Georeferencing, ReadBackDescribesTheMapFrameWithinHalfAPixel) {
    Case c = GetParam();
    auto dir = test::scratchDir(std::string("georef_") + c.format + c.crs[5]);
    std::string out = dir + "/m." + c.format;
    // A bbox in lon/lat; the output is 400x300, so the frame is that bbox fitted to 4:3 around its centre.
    const double lon0 = 114.30, lat0 = 22.66, lon1 = 114.40, lat1 = 22.74;
    char bbox[128];
    std::snprintf(bbox, sizeof bbox, "%.2f,%.2f,%.2f,%.2f", lon0, lat0, lon1, lat1);
    std::string err;
    ASSERT_EQ(run(std::string("--size 400x300 --bbox ") + bbox + " --bbox-crs EPSG:4326 --crs " + c.crs + " --out " + out,
                  &err),
              0)
        << err;
    geo::ensureGdal();
    std::string openErr;
    auto ds = geo::openDataset(out, GDAL_OF_RASTER, nullptr, openErr);
    ASSERT_TRUE(ds) << openErr;
    ASSERT_EQ(ds->GetRasterXSize(), 400);
    ASSERT_EQ(ds->GetRasterYSize(), 300);
    double gt[6];
    ASSERT_EQ(ds->GetGeoTransform(gt), CE_None) << c.format << " has no georeferencing";
    EXPECT_NEAR(gt[2], 0, 1e-9);
    EXPECT_NEAR(gt[4], 0, 1e-9);
    // Independent expectation: the requested box in the output CRS, fitted (aspect kept) around its centre.
    geo::BBox want = geo::transformBox(
        [&] {
            geo::BBox b;
            b.add(lon0, lat0);
            b.add(lon1, lat1);
            return b;
        }(),
        geo::Transformer(geo::Crs::wgs84(), geo::Crs::fromUser(c.crs)));
    double res = std::max(want.width() / 400, want.height() / 300);
    EXPECT_NEAR(gt[1], res, res * 1e-6);
    EXPECT_NEAR(-gt[5], res, res * 1e-6);
    double minX = gt[0], maxY = gt[3], maxX = gt[0] + 400 * gt[1], minY = gt[3] + 300 * gt[5];
    EXPECT_NEAR(0.5 * (minX + maxX), want.centerX(), 0.5 * res);
    EXPECT_NEAR(0.5 * (minY + maxY), want.centerY(), 0.5 * res);
    EXPECT_LE(minX, want.minX + 0.5 * res);
    EXPECT_GE(maxX, want.maxX - 0.5 * res);
    if (std::string(c.format) != "png") {  // PNG carries its CRS in the .prj beside it
        const OGRSpatialReference* srs = ds->GetSpatialRef();
        ASSERT_TRUE(srs);
        EXPECT_STREQ(srs->GetAuthorityCode(nullptr), std::string(c.crs).substr(5).c_str());
    } else {
        EXPECT_TRUE(fs::exists(dir + "/m.pgw"));
        EXPECT_TRUE(fs::exists(dir + "/m.prj"));
    }
    EXPECT_TRUE(fs::exists(dir + "/m.json"));  // provenance
}

INSTANTIATE_TEST_SUITE_P(Formats,
                         Georeferencing,
                         ::testing::Values(Case{"png", "EPSG:3857"}, Case{"png", "EPSG:4547"}, Case{"tif", "EPSG:3857"},
                                           Case{"tif", "EPSG:4547"}, Case{"pdf", "EPSG:3857"}, Case{"pdf", "EPSG:4547"}),
                         caseName);

TEST(Export, BatchOfTheBundledStoryWritesOneFilePerSlide) {
    auto dir = test::scratchDir("export_slides");
    std::string err;
    ASSERT_EQ(run("--slides all --size 320x240 --out " + dir + "/story", &err), 0) << err;
    size_t pngs = 0, sidecars = 0;
    for (const auto& e : fs::directory_iterator(dir + "/story")) {
        pngs += e.path().extension() == ".png";
        sidecars += e.path().extension() == ".json";
    }
    EXPECT_EQ(pngs, 10u);
    EXPECT_EQ(sidecars, 10u);
    std::ifstream in(dir + "/story/slide_02.json");
    auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j["crs"], "EPSG:3857");
    EXPECT_FALSE(j["layers"].empty());
    EXPECT_TRUE(j["layers"][0].contains("modified_unix"));
}

TEST(Export, PerLayerStackAddsUpToTheComposite) {
    auto dir = test::scratchDir("export_stack");
    std::string bbox = "--bbox 114.30,22.66,114.42,22.76 --bbox-crs EPSG:4326 --size 360x300";
    std::string err;
    ASSERT_EQ(run(bbox + " --per-layer --out " + dir + "/layers", &err), 0) << err;
    ASSERT_EQ(run(bbox + " --no-decorations --out " + dir + "/all.png", &err), 0) << err;
    int w = 0, h = 0;
    auto composite = geo::readImageRgba(dir + "/all.png", w, h);
    std::vector<fs::path> layers;
    for (const auto& e : fs::directory_iterator(dir + "/layers"))
        if (e.path().extension() == ".png") layers.push_back(e.path());
    std::sort(layers.begin(), layers.end());
    ASSERT_GE(layers.size(), 5u);
    // "over" compositing of the transparent layers, bottom first, onto the export background.
    std::vector<double> acc(size_t(w) * h * 3);
    for (size_t i = 0; i < acc.size(); i += 3) acc[i] = 214, acc[i + 1] = 230, acc[i + 2] = 242;
    for (const auto& p : layers) {
        int lw = 0, lh = 0;
        auto l = geo::readImageRgba(p.string(), lw, lh);
        ASSERT_EQ(lw, w);
        ASSERT_EQ(lh, h);
        for (size_t px = 0; px < size_t(w) * h; ++px) {
            double a = l[4 * px + 3] / 255.0;
            for (int c = 0; c < 3; ++c) acc[3 * px + c] = l[4 * px + c] * a + acc[3 * px + c] * (1 - a);
        }
    }
    size_t off = 0;
    for (size_t px = 0; px < size_t(w) * h; ++px)
        for (int c = 0; c < 3; ++c) off += std::abs(acc[3 * px + c] - composite[4 * px + c]) > 24;
    EXPECT_LT(off, size_t(w) * h * 3 / 200) << "the stack differs from the composite in more than 0.5 % of values";
}

// The credits line of an export is made of the drawn layers' `attribution` (the strings themselves are checked
// in open_data_test): with only the credits decoration, taking any one credit out of the bundled project changes
// the picture, and the same project gives the same picture.
TEST(Export, EveryBundledCreditIsDrawnOnTheCreditsLine) {
    auto dir = test::scratchDir("export_credits");
    const geo::Project bundled = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    const std::string view =
        " --bbox 114.30,22.66,114.42,22.76 --bbox-crs EPSG:4326 --size 1400x200 --decorations credits";
    auto exportOf = [&](const geo::Project& p, const std::string& name, int& w, int& h) {
        const std::string base = dir + "/" + name;
        geo::saveProject(p, base + ".atlas.json");
        std::string err;
        EXPECT_EQ(run("--project " + base + ".atlas.json" + view + " --out " + base + ".png", &err), 0) << err;
        return geo::readImageRgba(base + ".png", w, h);
    };
    auto differing = [](const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
        size_t n = 0;
        for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += std::abs(int(a[i]) - int(b[i])) > 40;
        return n;
    };
    int w = 0, h = 0;
    const auto all = exportOf(bundled, "all", w, h);
    ASSERT_EQ(w, 1400);
    EXPECT_EQ(differing(exportOf(bundled, "again", w, h), all), 0u);
    std::set<std::string> credits;
    for (const auto& l : bundled.layers)
        if (l.visible) credits.insert(l.attribution);  // the basemaps start off: their credits show when shown
    ASSERT_GE(credits.size(), 4u);  // OSM, the AMap outlines, GeoNames, the catalog
    size_t k = 0;
    for (const auto& credit : credits) {
        geo::Project without = bundled;
        for (auto& l : without.layers)
            if (l.attribution == credit) l.attribution.clear();
        auto img = exportOf(without, "without_" + std::to_string(k++), w, h);
        EXPECT_GT(differing(img, all), 50u) << "the export's credits line does not show: " << credit;
    }
}

// Outlines of features whose dashField value is listed are dashed in exports (the screen's renderer), at a
// capsule width and at a hairline width; the others stay solid.
TEST(Export, DashedOutlinesForTheDashValuesOnly) {
    auto dir = test::scratchDir("export_dashes");
    // Two squares side by side: schematic (left) and surveyed (right).
    test::writeText(dir + "/squares.geojson", R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"acc": "schematic"}, "geometry": {"type": "Polygon",
         "coordinates": [[[114.30, 22.65], [114.34, 22.65], [114.34, 22.75], [114.30, 22.75], [114.30, 22.65]]]}},
        {"type": "Feature", "properties": {"acc": "surveyed"}, "geometry": {"type": "Polygon",
         "coordinates": [[[114.36, 22.65], [114.40, 22.65], [114.40, 22.75], [114.36, 22.75], [114.36, 22.65]]]}}]})");
    for (float width : {3.0f, 1.0f}) {
        geo::Project p;
        p.title = "dashes";
        p.displayCrs = "EPSG:4326";
        geo::ProjectLayer l;
        l.name = "squares";
        l.source = dir + "/squares.geojson";
        l.style.fillEnabled = false;
        l.style.stroke = {0, 0, 0, 255};
        l.style.strokeWidth = width;
        l.style.dashField = "acc";
        l.style.dashValues = {"schematic"};
        p.layers.push_back(l);
        geo::saveProject(p, dir + "/p.atlas.json");
        std::string err;
        // 0.0004 degrees a pixel, the squares' top edges on row 50.
        ASSERT_EQ(run("--project " + dir + "/p.atlas.json --bbox 114.28,22.63,114.42,22.77 --bbox-crs EPSG:4326 "
                      "--size 350x350 --no-decorations --out " + dir + "/d.png",
                      &err),
                  0)
            << err;
        int w = 0, h = 0;
        auto img = geo::readImageRgba(dir + "/d.png", w, h);
        ASSERT_EQ(w, 350);
        // Runs of dark pixels along each square's top edge (the darkest row near row 50).
        auto runs = [&](int x0, int x1) {
            size_t best = 0, bestRuns = 0;
            for (int y = 45; y <= 55; ++y) {
                size_t dark = 0, n = 0;
                bool in = false;
                for (int x = x0; x < x1; ++x) {
                    const uint8_t* px = &img[(size_t(y) * w + x) * 4];
                    bool d = px[0] + px[1] + px[2] < 600;  // clearly darker than the background (686)
                    dark += d;
                    n += d && !in;
                    in = d;
                }
                if (dark > best) best = dark, bestRuns = n;
            }
            return bestRuns;
        };
        // Inside the corners: x 55..145 (schematic), 205..295 (surveyed).
        EXPECT_GE(runs(55, 145), 5u) << "schematic outline not dashed at " << width << " px";
        EXPECT_EQ(runs(205, 295), 1u) << "surveyed outline not solid at " << width << " px";
    }
}

TEST(Export, TwentyThousandPixelsSquareInBoundedMemory) {
    auto dir = test::scratchDir("export_huge");
    std::string log = dir + "/time.txt";
    // At the outputs' 5x5 supersampling this export draws 10 billion samples (~4.5 min on 2 vCPUs); 2x2 still goes
    // through the same supersampled windows (memory bounded by the window, not the output) in about a fifth.
    std::string cmd = "PLANATLAS_SUPERSAMPLE=2 /usr/bin/time -f %M -o " + log + " " + PLANATLAS_BINARY +
                      " export --size 20000x20000 --format tif --no-decorations --bbox 114.26,22.62,114.45,22.79 "
                      "--bbox-crs EPSG:4326 --out " + dir + "/huge.tif 2>" + dir + "/err.txt";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(log);
    long kib = 0;
    in >> kib;
    // The RGBA image alone would be 1.6 GB; tiles keep the process far below that.
    EXPECT_GT(kib, 0);
    EXPECT_LT(kib, 600L * 1024 * test::kSanitizerFactor) << "peak RSS " << kib / 1024 << " MiB";
    geo::ensureGdal();
    std::string err;
    auto ds = geo::openDataset(dir + "/huge.tif", GDAL_OF_RASTER, nullptr, err);
    ASSERT_TRUE(ds) << err;
    EXPECT_EQ(ds->GetRasterXSize(), 20000);
    // No tile is missing or blank: sample the centre of every 2048-pixel tile (each is sea, land or data).
    for (int ty = 0; ty < 20000; ty += 2048)
        for (int tx = 0; tx < 20000; tx += 2048) {
            uint8_t alpha = 0;
            ASSERT_EQ(ds->GetRasterBand(4)->RasterIO(GF_Read, std::min(tx + 1024, 19999), std::min(ty + 1024, 19999), 1,
                                                     1, &alpha, 1, 1, GDT_Byte, 0, 0),
                      CE_None);
            EXPECT_EQ(alpha, 255) << "tile at " << tx << "," << ty;
        }
    std::printf("20000x20000 export: peak RSS %ld MiB\n", kib / 1024);
}

TEST(Export, ArgumentErrorsExitTwoAndWriteNothing) {
    auto dir = test::scratchDir("export_args");
    std::string err;
    EXPECT_EQ(run("--size 100x100", &err), 2);
    EXPECT_NE(err.find("--out"), std::string::npos);
    EXPECT_EQ(run("--out " + dir + "/a.png", &err), 2);
    EXPECT_EQ(run("--size 10x10 --paper A4 --out " + dir + "/a.png", &err), 2);
    EXPECT_EQ(run("--paper B7 --dpi 300 --out " + dir + "/a.png", &err), 2);
    EXPECT_EQ(run("--size 10x10 --format gif --out " + dir + "/a.gif", &err), 2);
    EXPECT_EQ(run("--size 10x10 --slide 99 --out " + dir + "/a.png", &err), 2);
    EXPECT_EQ(run("--size 10x10 --bookmark nope --out " + dir + "/a.png", &err), 1);
    EXPECT_EQ(run("--size 10x10 --per-layer --format tif --out " + dir + "/l", &err), 2);
    EXPECT_EQ(run("--size 10x10 --out /nonexistent/dir/a.png", &err), 1);
    EXPECT_EQ(run("--size 10x10 --decorations title,compass --out " + dir + "/a.png", &err), 2);
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST(Export, PaperSizeAtDpiGivesThePixelSize) {
    auto dir = test::scratchDir("export_paper");
    std::string err;
    ASSERT_EQ(run("--paper A4 --dpi 50 --orientation landscape --no-decorations --out " + dir + "/a4.png", &err), 0) << err;
    int w = 0, h = 0;
    geo::readImageRgba(dir + "/a4.png", w, h);
    EXPECT_EQ(w, 585);  // 297 mm at 50 dpi
    EXPECT_EQ(h, 413);  // 210 mm
}

// Every route to an output size passes the one limit (geo/export/limits.hpp): --size, --paper x --dpi, and the
// batches (bookmarks, slides, per-layer), each refused as a usage error before any work, nothing written.
TEST(Export, EveryRouteToAnOutputSizeGoesThroughTheLimit) {
    auto dir = test::scratchDir("export_limits");
    struct Route {
        std::string args, says;
    };
    const std::vector<Route> routes = {
        {"--paper A0 --dpi 2400 --out " + dir + "/a0.tif", "--paper A0 at 2400 dpi"},
        {"--paper A0 --dpi 2400 --orientation landscape --bookmarks all --out " + dir + "/b", "--paper A0"},
        {"--paper A1 --dpi 2400 --bookmark 马峦山 --out " + dir + "/m.png", "--paper A1"},
        {"--size 70000x100 --slides all --out " + dir + "/s", "each side at most 65536"},
        {"--size 40000x40000 --slide 2 --out " + dir + "/s2.png", "megapixels"},
        {"--size 40000x40000 --per-layer --out " + dir + "/l", "megapixels"},
        {"--size 0x100 --out " + dir + "/z.png", "0x100"},
    };
    for (const auto& r : routes) {
        std::string err;
        EXPECT_EQ(run(r.args, &err), 2) << r.args << ": " << err;
        EXPECT_NE(err.find(r.says), std::string::npos) << r.args << ": " << err;
        EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << "one line: " << err;
    }
    EXPECT_TRUE(fs::is_empty(dir));
    // `render` holds its image in memory: the same limit first, then its own smaller one.
    const std::string render = std::string(PLANATLAS_BINARY) + " render --size 70000x10 --out " + dir + "/r.png 2>" +
                               dir + "/../export_limits_render.txt";
    const int status = std::system(render.c_str());
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2);
    EXPECT_TRUE(fs::is_empty(dir));
}

// World files, .prj and sidecars never carry non-finite or absurd numbers: a frame at 1e300 (what a layer whose
// coordinates are all ~1e300 gives as its extent) fails the export with one clear line and writes nothing.
TEST(Export, AbsurdCoordinatesGiveNoWorldFile) {
    auto dir = test::scratchDir("export_absurd");
    test::writeText(dir + "/far.geojson", R"({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
         "coordinates": [[[1e300, 1e300], [2e300, 1e300], [2e300, 2e300], [1e300, 1e300]]]}}]})");
    geo::Project p;
    p.title = "far";
    p.displayCrs = "EPSG:4326";
    geo::ProjectLayer l;
    l.name = "far";
    l.source = dir + "/far.geojson";
    p.layers.push_back(l);
    geo::saveProject(p, dir + "/far.atlas.json");
    const std::string project = "--project " + dir + "/far.atlas.json --size 200x100 --no-decorations ";
    std::string err;
    // The writer's own defence, whatever the input side makes of such data: a frame asked for at 1e300.
    EXPECT_EQ(run(project + "--bbox 1e300,1e300,2e300,2e300 --out " + dir + "/out/box.png", &err), 1) << err;
    const size_t at = err.find("cannot georeference");
    ASSERT_NE(at, std::string::npos) << err;
    const size_t lineStart = err.rfind('\n', at) == std::string::npos ? 0 : err.rfind('\n', at) + 1;
    EXPECT_LT(err.find('\n', at) - lineStart, 400u) << "one short line, not 300-digit numbers: " << err;
    EXPECT_FALSE(fs::exists(dir + "/out"));
    fs::create_directories(dir + "/out");
    EXPECT_EQ(run(project + "--bbox 1e300,1e300,2e300,2e300 --out " + dir + "/out/box.png", &err), 1) << err;
    EXPECT_TRUE(fs::is_empty(dir + "/out")) << "a partial file, image, world file or sidecar was left";
    // The frame from the data itself: refused (or, once such coordinates are dropped on reading, nothing to draw);
    // never a world file of 300-digit numbers.
    const int rc = run(project + "--out " + dir + "/out/data.png", &err);
    if (rc == 0) {
        std::ifstream world(dir + "/out/data.pgw");
        for (double v; world >> v;) EXPECT_TRUE(std::isfinite(v) && std::abs(v) < 1e10) << v;
    } else {
        EXPECT_TRUE(fs::is_empty(dir + "/out")) << err;
        size_t run = 0, longest = 0;
        for (char c : err) longest = std::max(longest, run = std::isdigit(static_cast<unsigned char>(c)) ? run + 1 : 0);
        EXPECT_LT(longest, 20u) << "no 300-digit numbers in messages either: " << err;
    }
}

std::vector<std::string> partFilesIn(const std::string& dir) {
    std::vector<std::string> parts;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().find(".part") != std::string::npos) parts.push_back(it->path().string());
    return parts;
}

// An export stopped by SIGTERM or SIGINT (kill, Ctrl+C) removes its temporary tile file and still ends as that
// signal says (a non-zero exit).
TEST(Export, StoppedExportLeavesNoPartFile) {
    for (int sig : {SIGTERM, SIGINT}) {
        auto dir = test::scratchDir("export_stopped_" + std::to_string(sig));
        const std::string out = dir + "/big.tif", log = dir + "/../export_stopped_" + std::to_string(sig) + ".txt";
        pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            std::freopen(log.c_str(), "w", stderr);
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            execl(PLANATLAS_BINARY, PLANATLAS_BINARY, "export", "--size", "16000x16000", "--format", "tif",
                  "--no-decorations", "--bbox", "114.26,22.62,114.45,22.79", "--bbox-crs", "EPSG:4326", "--out",
                  out.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        // Wait until the export is writing (its part file exists), then stop it.
        bool writing = false;
        for (int i = 0; i < 1200 && !writing; ++i) {
            writing = !partFilesIn(dir).empty();
            if (!writing) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        int status = 0;
        if (!writing) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            FAIL() << "the export never started writing (signal " << sig << ")";
        }
        ASSERT_EQ(kill(child, sig), 0);
        ASSERT_EQ(waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "status " << status << " for signal " << sig;
        EXPECT_TRUE(partFilesIn(dir).empty()) << partFilesIn(dir).front();
        EXPECT_FALSE(fs::exists(out));
    }
}

// What a process killed with SIGKILL (no handler runs) left for this output is removed by the next export of it;
// another output's temporaries are left alone.
TEST(Export, StalePartFilesOfTheOutputAreRemoved) {
    auto dir = test::scratchDir("export_stale");
    for (const char* name : {"map.png.99999999.part.tif", "map.png.99999999.part", "map.png.part.tif"})
        test::writeText(dir + "/" + name, "left by a killed export");
    test::writeText(dir + "/other.png.99999999.part.tif", "not this output's");
    std::string err;
    ASSERT_EQ(run("--size 64x48 --no-decorations --out " + dir + "/map.png", &err), 0) << err;
    EXPECT_TRUE(fs::exists(dir + "/map.png"));
    EXPECT_EQ(partFilesIn(dir), std::vector<std::string>{dir + "/other.png.99999999.part.tif"});
}

// Two layers covering the frame, red and blue, in a project of their own (`swipe` and `markup` as given).
std::string swipeProject(const std::string& dir, const geo::Swipe& swipe, const std::vector<geo::MarkupItem>& markup = {}) {
    test::writeText(dir + "/red.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Polygon","coordinates":[[[114.2,22.6],[114.5,22.6],[114.5,22.8],[114.2,22.8],[114.2,22.6]]]}}]})");
    test::writeText(dir + "/blue.geojson", R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Polygon","coordinates":[[[114.2,22.6],[114.5,22.6],[114.5,22.8],[114.2,22.8],[114.2,22.6]]]}}]})");
    geo::Project p;
    p.displayCrs = "EPSG:3857";
    for (auto [name, color] : {std::pair{"imagery", geo::Rgba{220, 30, 30, 255}}, std::pair{"plan", geo::Rgba{30, 30, 220, 255}}}) {
        geo::ProjectLayer l;
        l.name = name;
        l.source = dir + (std::string(name) == "imagery" ? "/red.geojson" : "/blue.geojson");
        l.style.fill = color;
        l.style.strokeEnabled = false;
        p.layers.push_back(l);
    }
    p.swipe = swipe;
    p.markup = markup;
    geo::assignLayerIds(p);
    const std::string path = dir + "/swipe.atlas.json";
    geo::saveProject(p, path);
    return path;
}

const char* kSwipeView = " --bbox 114.3,22.65,114.4,22.75 --bbox-crs EPSG:4326 --size 300x200 --no-decorations";

// `render --swipe` and `export --swipe`: left of the divider the left layers, right of it the right ones: the
// still equals the two single-layer images cut at the divider (a few columns at the divider line excepted).
TEST(Export, SwipeStillIsTheTwoHalfImages) {
    auto dir = test::scratchDir("export_swipe");
    const std::string project = swipeProject(dir, {true, 0.4, {"imagery"}, {"plan"}});
    std::string err;
    int w = 0, h = 0;
    ASSERT_EQ(run("--project " + project + kSwipeView + " --out " + dir + "/swipe.png", &err), 0) << err;
    ASSERT_EQ(run("--project " + project + kSwipeView + " --swipe 0.7 --out " + dir + "/moved.png", &err), 0) << err;
    // The references: each layer alone, from the same project without a swipe.
    const std::string plain = swipeProject(test::scratchDir("export_swipe_plain"), {});
    ASSERT_EQ(run("--project " + plain + kSwipeView + " --layers imagery --out " + dir + "/left.png", &err), 0) << err;
    ASSERT_EQ(run("--project " + plain + kSwipeView + " --layers plan --out " + dir + "/right.png", &err), 0) << err;
    const auto left = geo::readImageRgba(dir + "/left.png", w, h);
    const auto right = geo::readImageRgba(dir + "/right.png", w, h);
    for (auto [file, at] : {std::pair{"swipe.png", 0.4}, std::pair{"moved.png", 0.7}}) {
        const auto still = geo::readImageRgba(dir + "/" + file, w, h);
        ASSERT_EQ(w, 300);
        const int divider = static_cast<int>(std::lround(at * w));
        size_t off = 0, compared = 0;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                if (std::abs(x - divider) <= 3) continue;
                const auto& ref = x < divider ? left : right;
                const size_t i = (size_t(y) * w + x) * 4;
                ++compared;
                for (int c = 0; c < 3; ++c) off += std::abs(int(still[i + c]) - int(ref[i + c])) > 8;
            }
        EXPECT_EQ(off, 0u) << file << ": " << compared << " pixels compared";
        // Red on the left, blue on the right: the two halves are not the same picture.
        const size_t l = (size_t(h / 2) * w + divider / 2) * 4, r = (size_t(h / 2) * w + (divider + w) / 2) * 4;
        EXPECT_GT(still[l], 150);
        EXPECT_GT(still[r + 2], 150);
    }
    // The same with `render`, the headless PNG command.
    const std::string render = std::string(PLANATLAS_BINARY) + " render --project " + project +
                               " --bbox 114.3,22.65,114.4,22.75 --bbox-crs EPSG:4326 --size 300x200 --swipe 0.5 --out " +
                               dir + "/render.png 2>/dev/null";
    ASSERT_EQ(std::system(render.c_str()), 0);
    const auto still = geo::readImageRgba(dir + "/render.png", w, h);
    EXPECT_GT(still[(size_t(100) * w + 60) * 4], 150);           // red, left
    EXPECT_GT(still[(size_t(100) * w + 240) * 4 + 2], 150);      // blue, right
    EXPECT_LT(still[(size_t(100) * w + 240) * 4], 100);
    // A swipe naming no layer, or an unknown one, is a usage error.
    EXPECT_EQ(run("--project " + project + kSwipeView + " --swipe 1.5 --out " + dir + "/bad.png", &err), 2);
    EXPECT_EQ(run("--project " + project + kSwipeView + " --swipe 0.5 --swipe-left roads --out " + dir + "/bad.png", &err), 2);
    EXPECT_NE(err.find("roads"), std::string::npos) << err;
}

// Markup saved with the project is drawn in exports where it lies, in its colour.
TEST(Export, MarkupIsDrawnWhereItLies) {
    auto dir = test::scratchDir("export_markup");
    geo::MarkupItem line;
    line.kind = geo::MarkupKind::Freehand;
    line.lonLat = {114.31, 22.70, 114.39, 22.70};  // across the middle
    line.color = {20, 200, 20, 255};
    line.width = 6;
    geo::MarkupItem note;
    note.kind = geo::MarkupKind::Text;
    note.lonLat = {114.32, 22.73};
    note.text = "需复核";
    note.color = {0, 0, 0, 255};
    note.width = 20;
    const std::string project = swipeProject(dir, {}, {line, note});
    std::string err;
    ASSERT_EQ(run("--project " + project + kSwipeView + " --layers imagery --out " + dir + "/m.png", &err), 0) << err;
    int w = 0, h = 0;
    const auto img = geo::readImageRgba(dir + "/m.png", w, h);
    auto green = [&](int x, int y) {
        const uint8_t* p = &img[(size_t(y) * w + x) * 4];
        return p[1] > 150 && p[0] < 100;
    };
    // The line runs along the middle row (22.70 is the frame's centre), 0.08 of the frame's 0.1 degree height
    // long in longitude (the 3:2 frame is wider than the bbox): about 150 pixels.
    size_t onLine = 0;
    for (int x = 0; x < w; ++x) onLine += green(x, h / 2) || green(x, h / 2 - 1) || green(x, h / 2 + 1);
    EXPECT_GT(onLine, 130u);
    EXPECT_LT(onLine, 170u);
    size_t elsewhere = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) elsewhere += std::abs(y - h / 2) > 8 && green(x, y);
    EXPECT_EQ(elsewhere, 0u);
    // The note: dark text on a white box near its point (x = 60, y above the centre).
    size_t white = 0, dark = 0;
    for (int y = 10; y < 80; ++y)
        for (int x = 50; x < 160; ++x) {
            const uint8_t* p = &img[(size_t(y) * w + x) * 4];
            white += p[0] > 235 && p[1] > 200 && p[2] > 200;  // the note's box (a little translucent)
            dark += p[0] < 110 && p[1] < 110 && p[2] < 110;
        }
    EXPECT_GT(white, 200u);
    EXPECT_GT(dark, 20u);
}

}  // namespace


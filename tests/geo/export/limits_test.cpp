// The one output check (export/limits.hpp) and the partial-file registry (export/partial_files.hpp): sizes past the
// limits and absurd georeferences are refused before anything is written; temporaries never outlive their export,
// not even one stopped by SIGTERM or SIGINT.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "export/limits.hpp"
#include "export/page.hpp"
#include "export/partial_files.hpp"
#include "export/tiled_writer.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

std::string scratchForThisTest() {
    return test::scratchDir(std::string("limits_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
}

const std::array<double, 6> kGood = {538000.0, 2.0, 0.0, 2512000.0, 0.0, -2.0};

TEST(OutputLimits, SidesAndTotalPixels) {
    EXPECT_FALSE(geo::outputSizeProblem(1, 1));
    EXPECT_FALSE(geo::outputSizeProblem(65536, 10));
    EXPECT_FALSE(geo::outputSizeProblem(20000, 20000));
    EXPECT_TRUE(geo::outputSizeProblem(65537, 10));
    EXPECT_TRUE(geo::outputSizeProblem(10, 0));
    EXPECT_TRUE(geo::outputSizeProblem(-5, 10));
    auto big = geo::outputSizeProblem(40000, 40000);  // each side allowed, 1600 megapixels not
    ASSERT_TRUE(big);
    EXPECT_NE(big->find("40000x40000"), std::string::npos) << *big;
    EXPECT_NE(big->find("megapixels"), std::string::npos) << *big;
    EXPECT_THROW(geo::checkOutputSize(100000, 1, "x.png"), geo::LimitError);
}

TEST(OutputLimits, PaperAtDpiGoesThroughTheSameCheck) {
    auto a0at2400 = geo::paperPixels("A0", 2400, false);
    ASSERT_TRUE(a0at2400);
    EXPECT_EQ((*a0at2400)[0], 79465);  // 841 mm
    EXPECT_EQ((*a0at2400)[1], 112346);  // 1189 mm
    EXPECT_TRUE(geo::outputSizeProblem((*a0at2400)[0], (*a0at2400)[1]));
    auto a0at800 = geo::paperPixels("A0", 800, false);
    ASSERT_TRUE(a0at800);
    EXPECT_FALSE(geo::outputSizeProblem((*a0at800)[0], (*a0at800)[1]));
    EXPECT_FALSE(geo::paperPixels("A0", 1e12, false)) << "a dpi that overflows int is no paper size";
}

TEST(GeoTransformCheck, FiniteSaneNumbersOnly) {
    const geo::Crs projected = geo::Crs::fromUser("EPSG:4547"), lonLat = geo::Crs::wgs84();
    EXPECT_FALSE(geo::geoTransformProblem(kGood, 1000, 1000, projected));
    EXPECT_FALSE(geo::geoTransformProblem({113.9, 1e-5, 0, 22.8, 0, -1e-5}, 4000, 3000, lonLat));
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(geo::geoTransformProblem({nan, 1, 0, 0, 0, -1}, 10, 10, projected));
    EXPECT_TRUE(geo::geoTransformProblem({0, inf, 0, 0, 0, -1}, 10, 10, projected));
    EXPECT_TRUE(geo::geoTransformProblem({1e300, 1e290, 0, 1e300, 0, -1e290}, 10, 10, lonLat));
    EXPECT_TRUE(geo::geoTransformProblem({0, 0, 0, 0, 0, -1}, 10, 10, projected)) << "zero pixel size";
    EXPECT_TRUE(geo::geoTransformProblem({0, 1e-300, 0, 0, 0, -1e-300}, 10, 10, projected)) << "denormal pixels";
    EXPECT_TRUE(geo::geoTransformProblem({100, 10, 0, 50, 0, -10}, 2000, 10, lonLat)) << "20000 degrees wide";
    auto p = geo::geoTransformProblem({1e300, 1e290, 0, 1e300, 0, -1e290}, 10, 10, lonLat);
    EXPECT_LT(p->size(), 200u) << "one short line, not 300-digit numbers: " << *p;
}

TEST(GeoTransformCheck, WorldFileOfAbsurdNumbersIsNotWritten) {
    const std::string dir = scratchForThisTest();
    EXPECT_THROW(geo::writeWorldFile(dir + "/m.pgw", {1e300, 1e290, 0, 1e300, 0, -1e290}), geo::CrsError);
    EXPECT_THROW(geo::writeWorldFile(dir + "/m.pgw", {0, std::nan(""), 0, 0, 0, -1}), geo::CrsError);
    EXPECT_TRUE(fs::is_empty(dir));
    geo::writeWorldFile(dir + "/ok.pgw", kGood);
    EXPECT_TRUE(fs::exists(dir + "/ok.pgw"));
}

TEST(GeoTransformCheck, WriterRefusesAbsurdFramesAndSizesAndLeavesNothing) {
    const std::string dir = scratchForThisTest();
    for (auto format : {geo::ExportFormat::GeoTiff, geo::ExportFormat::Png}) {
        EXPECT_THROW(geo::TiledImageWriter(dir + "/m.tif", format, 10, 10, {1e300, 1e290, 0, 1e300, 0, -1e290},
                                           geo::Crs::wgs84(), 96),
                     geo::CrsError);
        EXPECT_THROW(
            geo::TiledImageWriter(dir + "/m.tif", format, 70000, 10, kGood, geo::Crs::fromUser("EPSG:4547"), 96),
            geo::LimitError);
    }
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST(PartialFiles, NamedForTheOutputAndThisProcess) {
    const std::string p = geo::partialPath("/tmp/x/map.png", ".tif");
    EXPECT_EQ(p, "/tmp/x/map.png." + std::to_string(getpid()) + ".part.tif");
}

TEST(PartialFiles, RemovedUnlessKept) {
    const std::string dir = scratchForThisTest();
    {
        geo::PartialFile f(dir + "/a.part");
        test::writeText(f.path(), "x");
    }
    EXPECT_FALSE(fs::exists(dir + "/a.part"));
    {
        geo::PartialFile f(dir + "/b.part");
        test::writeText(f.path(), "x");
        fs::rename(f.path(), dir + "/b.png");
        f.keep();
        test::writeText(dir + "/b.part", "a new file of that name is not ours any more");
    }
    EXPECT_TRUE(fs::exists(dir + "/b.part"));
}

TEST(PartialFiles, StaleOnesOfThisOutputOnlyAreSwept) {
    const std::string dir = scratchForThisTest();
    const std::string out = dir + "/map.png";
    const std::string live = std::to_string(getpid());
    for (const char* name : {"map.png.99999999.part.tif", "map.png.99999999.part", "map.png.part.tif", "map.png.part",
                             "map.png.99999999.part.aux.xml"})
        test::writeText(dir + "/" + name, "stale");
    for (std::string name : {std::string("map.png.") + live + ".part.tif", std::string("other.png.99999999.part.tif"),
                             std::string("map.png.partition"), std::string("map.png.1234"), std::string("map.png")})
        test::writeText(dir + "/" + name, "keep");
    geo::removeStalePartials(out);
    std::set<std::string> left;
    for (const auto& e : fs::directory_iterator(dir)) left.insert(e.path().filename().string());
    EXPECT_EQ(left, (std::set<std::string>{"map.png." + live + ".part.tif", "other.png.99999999.part.tif",
                                           "map.png.partition", "map.png.1234", "map.png"}));
}

// The handler itself, in a child process: the registered file goes, the signal still ends the process.
TEST(PartialFiles, RemovedWhenTheProcessIsStoppedBySignal) {
    const std::string dir = scratchForThisTest();
    for (int sig : {SIGTERM, SIGINT}) {
        const std::string path = dir + "/out.png." + std::to_string(sig) + ".part.tif";
        pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            signal(sig, SIG_DFL);  // whatever the test runner had; ours is put back in front by the registration
            geo::PartialFile f(path);
            test::writeText(path, "half a map");
            raise(sig);
            _exit(0);  // not reached
        }
        int status = 0;
        ASSERT_EQ(waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "signal " << sig << " status " << status;
        EXPECT_FALSE(fs::exists(path)) << "signal " << sig;
    }
}

}  // namespace

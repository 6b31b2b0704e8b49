// A save killed with SIGKILL at a random point leaves the previous complete project or the new complete one, never
// a truncated or mixed file, and no temporary that could pass for the project. project_save_loop saves version
// after version until it is killed; this test kills it PLANATLAS_KILL_ITERATIONS times (default 200) after a
// random delay and reads what is on disk each time.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "core/error.hpp"
#include "project/project.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace {

constexpr size_t kLayers = 400, kNotes = 30;  // as project_save_loop writes them

// N from "N-i" names, or -1 when the list is not all of one version.
long versionOf(const std::vector<std::string>& names) {
    long version = -1;
    for (const auto& name : names) {
        const long v = std::strtol(name.c_str(), nullptr, 10);
        if (name.find('-') == std::string::npos || (version >= 0 && v != version)) return -1;
        version = v;
    }
    return version;
}

pid_t startSaver(const std::string& dir, long first) {
    std::string program = PROJECT_SAVE_LOOP, firstText = std::to_string(first);
    std::string dirText = dir;
    char* argv[] = {program.data(), dirText.data(), firstText.data(), nullptr};
    pid_t pid = 0;
    if (posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv, environ) != 0) return -1;
    return pid;
}

}  // namespace

TEST(SaveKill, KilledSavesLeaveACompleteProject) {
    const auto dir = test::scratchDir("save_kill");
    const std::string path = dir + "/plan.atlas.json";
    const char* env = std::getenv("PLANATLAS_KILL_ITERATIONS");
    const int iterations = env ? std::atoi(env) : 200;
    const unsigned seed = std::random_device{}();
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> delayMs(40, 250);  // the saver needs ~100 ms to start, ~40 ms a save
    long onDisk = -1;  // the version the file holds; -1 before the first complete save
    int midWrite = 0, advanced = 0, maxStrays = 0;
    for (int i = 0; i < iterations; ++i) {
        const long first = onDisk + 1;
        const pid_t child = startSaver(dir, first);
        ASSERT_GT(child, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(random)));
        ASSERT_EQ(::kill(child, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the saver stopped on its own, status " << status;
        // Temporaries beside the project: hidden, never named like a project or its sidecar.
        int strays = 0;
        for (const auto& e : fs::directory_iterator(dir)) {
            const std::string name = e.path().filename().string();
            if (name == "plan.atlas.json" || name == "plan.markup.gpkg") continue;
            ++strays;
            const bool temporary = name.rfind(".plan.atlas.json.tmp-", 0) == 0 || name.rfind(".plan.markup.tmp-", 0) == 0;
            EXPECT_TRUE(temporary) << "iteration " << i << ": unexpected file " << name;
        }
        midWrite += strays > 0;
        maxStrays = std::max(maxStrays, strays);
        if (!fs::exists(path)) {
            ASSERT_EQ(onDisk, -1) << "iteration " << i << ": the project file vanished";
            continue;
        }
        geo::Project p;
        try {
            p = geo::loadProject(path);  // with its markup sidecar
        } catch (const geo::Error& e) {
            FAIL() << "iteration " << i << ": the file does not load: " << e.what();
        }
        std::vector<std::string> layerNames, notes;
        for (const auto& l : p.layers) layerNames.push_back(l.name);
        for (const auto& m : p.markup) notes.push_back(m.text);
        ASSERT_EQ(layerNames.size(), kLayers) << "iteration " << i;
        ASSERT_EQ(notes.size(), kNotes) << "iteration " << i;
        const long version = versionOf(layerNames), markupVersion = versionOf(notes);
        ASSERT_GE(version, 0) << "iteration " << i << ": layers of different versions in one file";
        ASSERT_EQ(p.title, "version " + std::to_string(version)) << "iteration " << i;
        // The previous version, or one the killed saver wrote completely.
        ASSERT_TRUE(version == onDisk || version >= first) << "iteration " << i << ": version " << version;
        // The sidecar is written first: the project's version, or the next one when the kill fell between them.
        ASSERT_TRUE(markupVersion == version || markupVersion == version + 1)
            << "iteration " << i << ": markup of version " << markupVersion << " with project version " << version;
        advanced += version != onDisk;
        onDisk = version;
    }
    std::printf("kill -9 during saves: %d iterations, %d killed with a temporary on disk, %d advanced the file, "
                "at most %d temporaries left at once\n",
                iterations, midWrite, advanced, maxStrays);
    // The kills must land inside saves and between them, or the test proves nothing.
    EXPECT_GE(midWrite, iterations / 10);
    EXPECT_GE(advanced, iterations / 10);
    // Temporaries of killed savers do not pile up: each save sweeps those whose process is gone.
    EXPECT_LE(maxStrays, 8);
    geo::Project last = geo::loadProject(path);
    geo::saveProject(last, path);
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        EXPECT_TRUE(name == "plan.atlas.json" || name == "plan.markup.gpkg") << "left behind: " << name;
    }
}

// A save killed with SIGKILL at a random point leaves the previous complete project or the new complete one, never
// a truncated or mixed file, and no temporary that could pass for the project. project_save_loop saves version
// after version, writing a byte after each completed save; this test kills it PLANATLAS_KILL_ITERATIONS times
// (default 200) at a random moment of its save loop and reads what is on disk each time. The bytes say which
// version was the last complete one, so the file must hold exactly that version or the one being saved.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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
using Clock = std::chrono::steady_clock;

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

// The saver, its stdout a pipe: one byte per completed save.
struct Saver {
    pid_t pid = -1;
    int out = -1;
};

Saver startSaver(const std::string& dir, long first) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string program = PROJECT_SAVE_LOOP, firstText = std::to_string(first), dirText = dir;
    char* argv[] = {program.data(), dirText.data(), firstText.data(), nullptr};
    Saver s;
    if (posix_spawn(&s.pid, program.c_str(), &actions, nullptr, argv, environ) != 0) s.pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    s.out = fds[0];
    return s;
}

// Waits (at most a minute: a machine under load) for the next completed save; false when none came.
bool awaitSave(int fd) {
    pollfd p{fd, POLLIN, 0};
    char byte = 0;
    return ::poll(&p, 1, 60000) == 1 && ::read(fd, &byte, 1) == 1;
}

// The saves completed that were not read yet (the saver is dead: the pipe ends).
long drain(int fd) {
    long n = 0;
    char buffer[256];
    for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) n += got;
    return n;
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
    long onDisk = -1;  // the version the file holds
    double saveSeconds = 0;  // one save, measured on the first saver
    int midWrite = 0, maxStrays = 0;
    for (int i = 0; i < iterations; ++i) {
        const long first = onDisk + 1;
        Saver saver = startSaver(dir, first);
        ASSERT_GT(saver.pid, 0);
        // Once the saver is in its loop (one save done), kill it at a random moment of the next save or two.
        ASSERT_TRUE(awaitSave(saver.out)) << "iteration " << i << ": the saver never saved";
        long completed = 1;
        if (i == 0) {
            const auto t0 = Clock::now();
            ASSERT_TRUE(awaitSave(saver.out) && awaitSave(saver.out));
            completed += 2;
            saveSeconds = std::chrono::duration<double>(Clock::now() - t0).count() / 2;
        }
        std::uniform_real_distribution<double> delay(0.0, 1.5 * saveSeconds);
        std::this_thread::sleep_for(std::chrono::duration<double>(delay(random)));
        ASSERT_EQ(::kill(saver.pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(saver.pid, &status, 0), saver.pid);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the saver stopped on its own, status " << status;
        completed += drain(saver.out);
        ::close(saver.out);
        const long lastComplete = first + completed - 1;
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
        // The last save reported complete, or the next one when the kill fell after its rename (before its byte).
        ASSERT_TRUE(version == lastComplete || version == lastComplete + 1)
            << "iteration " << i << ": version " << version << ", last complete " << lastComplete;
        // The sidecar is written first: the project's version, or the next one when the kill fell between them.
        ASSERT_TRUE(markupVersion == version || markupVersion == version + 1)
            << "iteration " << i << ": markup of version " << markupVersion << " with project version " << version;
        onDisk = version;
    }
    std::printf("kill -9 during saves: %d iterations (one save %.1f ms), %d killed with a temporary on disk, "
                "at most %d temporaries left at once\n",
                iterations, saveSeconds * 1000, midWrite, maxStrays);
    // Most kills land inside a save (the loop does little else), or the test proves little.
    EXPECT_GE(midWrite, iterations / 10);
    // Temporaries of killed savers do not pile up: each save sweeps those whose process is gone.
    EXPECT_LE(maxStrays, 8);
    geo::Project last = geo::loadProject(path);
    geo::saveProject(last, path);
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        EXPECT_TRUE(name == "plan.atlas.json" || name == "plan.markup.gpkg") << "left behind: " << name;
    }
}

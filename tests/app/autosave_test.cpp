// The viewer's autosave without a window: once per interval, only with unsaved changes, removed when clean or
// forgotten, never replacing another session's file, and a killed session's file found as an orphan.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "support/test_support.hpp"
#include "ui/autosave.hpp"

namespace fs = std::filesystem;
using app::ui::Autosave;

namespace {

geo::Project sample(const std::string& title) {
    geo::Project p;
    p.title = title;
    geo::ProjectLayer l;
    l.name = "zones";
    l.source = "/data/zones.gpkg";
    p.layers.push_back(l);
    geo::assignLayerIds(p);
    return p;
}

// A process that has exited (and been reaped): its pid names nobody, as after a kill -9.
geo::RecoveryOwner deadOwner() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    ::waitpid(pid, nullptr, 0);
    return {static_cast<long>(pid), "gone"};
}

}  // namespace

TEST(Autosave, WritesOncePerIntervalOnlyWithUnsavedChanges) {
    const auto dir = test::scratchDir("autosave_interval");
    Autosave a(dir + "/state", 30);
    const std::string project = dir + "/plan.atlas.json", file = geo::recoveryFileFor(a.dir(), project);
    EXPECT_FALSE(a.due(0));  // the first interval starts now
    EXPECT_FALSE(a.due(29));
    ASSERT_TRUE(a.due(30));
    EXPECT_FALSE(a.save(false, sample("v1"), "k1", project));  // clean: nothing to keep
    EXPECT_FALSE(fs::exists(file));
    EXPECT_FALSE(a.due(45));
    ASSERT_TRUE(a.due(61));
    EXPECT_EQ(a.save(true, sample("v1"), "k1", project), file);
    EXPECT_EQ(geo::readRecovery(file).title, "v1");
    EXPECT_FALSE(a.save(true, sample("v1"), "k1", project));  // unchanged since the last write
    EXPECT_EQ(a.save(true, sample("v2"), "k2", project), file);
    EXPECT_EQ(geo::readRecovery(file).title, "v2");
    EXPECT_EQ(a.writes(), 2u);
    a.save(false, sample("v2"), "k2", project);  // undone back to the saved state
    EXPECT_FALSE(fs::exists(file));
    EXPECT_EQ(a.save(true, sample("v3"), "k3", project), file);
    a.forget(project);  // saved, or the changes discarded at the prompt
    EXPECT_FALSE(fs::exists(file));
    EXPECT_FALSE(Autosave(dir + "/off", 0).due(1e9));  // interval 0: off
}

TEST(Autosave, ThisProcessIsRunningAKilledOneIsAnOrphan) {
    const auto dir = test::scratchDir("autosave_orphans");
    const std::string state = dir + "/state";
    EXPECT_TRUE(Autosave::running(Autosave::self()));
    EXPECT_FALSE(Autosave::self().start.empty());
    EXPECT_FALSE(Autosave::running({Autosave::self().pid, "another start"}));  // the pid reused by someone else
    const geo::RecoveryOwner dead = deadOwner();
    EXPECT_FALSE(Autosave::running(dead));
    geo::writeRecovery(state, sample("crashed"), dir + "/crashed.atlas.json", dead, 100);
    geo::writeRecovery(state, sample("live"), dir + "/live.atlas.json", Autosave::self(), 200);
    Autosave a(state, 30);
    const auto orphans = a.orphans();
    ASSERT_EQ(orphans.size(), 1u);
    EXPECT_EQ(orphans[0].title, "crashed");
    EXPECT_EQ(orphans[0].projectPath, dir + "/crashed.atlas.json");
}

TEST(Autosave, NeverReplacesAFileItDidNotWriteUntilAdopted) {
    const auto dir = test::scratchDir("autosave_foreign");
    const std::string state = dir + "/state", project = dir + "/plan.atlas.json";
    const std::string file = geo::writeRecovery(state, sample("before the crash"), project, deadOwner(), 100);
    Autosave a(state, 30);
    a.due(0);
    ASSERT_TRUE(a.due(30));
    EXPECT_FALSE(a.save(true, sample("this session"), "k", project));  // the orphan has not been answered
    a.forget(project);
    EXPECT_EQ(geo::readRecovery(file).title, "before the crash");
    a.save(false, sample("this session"), "k", project);
    EXPECT_TRUE(fs::exists(file));  // a clean session does not remove another's file either
    a.adopt(file);  // restored: this session carries it on
    EXPECT_EQ(a.save(true, sample("this session"), "k", project), file);
    EXPECT_EQ(geo::readRecovery(file).title, "this session");
    EXPECT_TRUE(a.orphans().empty());
    a.forget(project);
    EXPECT_FALSE(fs::exists(file));
}

TEST(Autosave, AFailedWriteIsReportedOnce) {
    const auto dir = test::scratchDir("autosave_fail");
    test::writeText(dir + "/state", "a file where the folder should be");
    Autosave a(dir + "/state", 30);
    std::string error;
    EXPECT_FALSE(a.save(true, sample("x"), "k1", dir + "/p.atlas.json", &error));
    EXPECT_FALSE(error.empty());
    error.clear();
    EXPECT_FALSE(a.save(true, sample("x"), "k2", dir + "/p.atlas.json", &error));
    EXPECT_TRUE(error.empty());  // the same cause: not reported again
}

TEST(Autosave, RecoverPicksTheNewestOrphanOrTheNamedProject) {
    const auto dir = test::scratchDir("autosave_pick");
    const std::string state = dir + "/state";
    EXPECT_THROW(app::ui::recoveryToRestore(state, ""), geo::IoError);  // nothing at all
    geo::writeRecovery(state, sample("old"), dir + "/old.atlas.json", deadOwner(), 100);
    geo::writeRecovery(state, sample("new"), dir + "/new.atlas.json", deadOwner(), 200);
    geo::writeRecovery(state, sample("open"), dir + "/open.atlas.json", Autosave::self(), 300);  // newest, but live
    EXPECT_EQ(app::ui::recoveryToRestore(state, "").title, "new");
    EXPECT_EQ(app::ui::recoveryToRestore(state, dir + "/old.atlas.json").title, "old");
    EXPECT_THROW(app::ui::recoveryToRestore(state, dir + "/open.atlas.json"), geo::IoError);  // another session's
    EXPECT_THROW(app::ui::recoveryToRestore(state, dir + "/never.atlas.json"), geo::IoError);
}

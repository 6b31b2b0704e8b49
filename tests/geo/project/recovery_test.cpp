// The recovery store: what autosave writes (project, markup, owner), private modes, one file per project path,
// listing that skips temporaries and damaged files, and no database password in a recovery file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "project/recovery.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

geo::Project sample(const std::string& dir) {
    geo::Project p;
    p.title = "坪山 恢复测试";
    p.displayCrs = "EPSG:4547";
    p.view = {114.35, 22.7, 25000};
    geo::ProjectLayer l;
    l.name = "碧岭北";
    l.source = dir + "/data/zones.gpkg";
    l.opacity = 0.25f;
    p.layers.push_back(l);
    p.bookmarks = {{"before the crash", {114.3, 22.6, 5000}, "EPSG:4547"}};
    geo::MarkupItem note;
    note.kind = geo::MarkupKind::Text;
    note.lonLat = {114.35, 22.71};
    note.text = "崩溃前的批注";
    note.width = 20;
    note.author = "planner";
    note.created = "2026-12-03T18:55:00Z";
    geo::MarkupItem stroke;
    stroke.lonLat = {114.3, 22.6, 114.31, 22.61, 114.32, 22.6};
    stroke.color = {1, 2, 3, 200};
    p.markup = {note, stroke};
    geo::assignLayerIds(p);
    return p;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST(Recovery, RoundTripKeepsProjectAndMarkup) {
    auto dir = test::scratchDir("recovery_rt");
    const geo::Project p = sample(dir);
    const std::string file =
        geo::writeRecovery(dir + "/state/planatlas", p, dir + "/plan.atlas.json", {4242, "99"}, 1760000000);
    geo::RecoveryEntry e;
    const geo::Project q = geo::readRecovery(file, &e);
    EXPECT_EQ(q, p);  // markup (inline, not a sidecar) and every project field
    EXPECT_EQ(e.projectPath, dir + "/plan.atlas.json");
    EXPECT_EQ(e.title, p.title);
    EXPECT_EQ(e.savedAt, 1760000000);
    EXPECT_EQ(e.owner, (geo::RecoveryOwner{4242, "99"}));
    EXPECT_EQ(e.layers, 1u);
    EXPECT_EQ(e.markup, 2u);
    EXPECT_FALSE(fs::exists(dir + "/plan.markup.gpkg"));  // recovery writes nothing beside the project
}

TEST(Recovery, FolderAndFileArePrivate) {
    auto dir = test::scratchDir("recovery_modes");
    const std::string state = dir + "/fresh/state/planatlas";
    const std::string file = geo::writeRecovery(state, sample(dir), dir + "/p.atlas.json", {1, ""}, 1);
    struct stat st {};
    ASSERT_EQ(::stat(state.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat((dir + "/fresh/state").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // A folder made by someone less careful is tightened.
    ::chmod(state.c_str(), 0755);
    geo::writeRecovery(state, sample(dir), dir + "/p.atlas.json", {1, ""}, 2);
    ASSERT_EQ(::stat(state.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(Recovery, OneFilePerProjectPath) {
    auto dir = test::scratchDir("recovery_keys");
    const std::string state = dir + "/state";
    const std::string a = geo::recoveryFileFor(state, dir + "/a.atlas.json");
    EXPECT_EQ(geo::recoveryFileFor(state, dir + "/sub/../a.atlas.json"), a);
    EXPECT_NE(geo::recoveryFileFor(state, dir + "/b.atlas.json"), a);
    EXPECT_EQ(fs::path(geo::recoveryFileFor(state, "")).filename(), "untitled.recovery.json");
    EXPECT_EQ(fs::path(a).filename().string().size(), 16 + std::string(".recovery.json").size());
    geo::writeRecovery(state, sample(dir), dir + "/a.atlas.json", {1, ""}, 10);
    geo::writeRecovery(state, sample(dir), dir + "/a.atlas.json", {1, ""}, 20);  // replaces, not adds
    geo::writeRecovery(state, sample(dir), "", {1, ""}, 15);
    const auto list = geo::listRecoveries(state);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].file, a);  // newest first
    EXPECT_EQ(list[0].savedAt, 20);
    EXPECT_EQ(list[1].projectPath, "");
}

TEST(Recovery, ListingSkipsTemporariesAndNamesDamagedFiles) {
    auto dir = test::scratchDir("recovery_list");
    const std::string state = dir + "/state";
    const std::string good = geo::writeRecovery(state, sample(dir), dir + "/a.atlas.json", {1, ""}, 10);
    // What an interrupted write leaves, and files that are not ours.
    test::writeText(state + "/." + fs::path(good).filename().string() + ".tmp-99999-0", readAll(good).substr(0, 40));
    test::writeText(state + "/broken.recovery.json", "{\"planatlas_recovery\": 1, \"proj");
    test::writeText(state + "/other.recovery.json", "{\"hello\": 1}");
    test::writeText(state + "/notes.txt", "x");
    std::vector<std::string> problems;
    const auto list = geo::listRecoveries(state, &problems);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].file, good);
    EXPECT_EQ(problems.size(), 2u);
    EXPECT_THROW(geo::readRecovery(state + "/broken.recovery.json"), geo::FormatError);
    EXPECT_THROW(geo::readRecovery(state + "/missing.recovery.json"), geo::IoError);
    EXPECT_TRUE(geo::listRecoveries(dir + "/no_such_folder").empty());
    geo::removeRecovery(good);
    geo::removeRecovery(good);  // twice is fine
    EXPECT_TRUE(geo::listRecoveries(state).empty());
}

TEST(Recovery, NoDatabasePasswordInTheFile) {
    auto dir = test::scratchDir("recovery_secret");
    geo::Project p = sample(dir);
    for (const char* source : {"PG:host=db.example dbname=plan user=u password=s3cr3t-one",
                               "PG:dbname=plan sslpassword='s3cr3t two'",
                               "PG:postgresql://planner:s3cr3t-three@db.example/plan?password=s3cr3t-four"}) {
        geo::ProjectLayer l;
        l.name = "db";
        l.source = source;
        l.layer = "public.zones";
        p.layers.push_back(l);
    }
    const std::string file = geo::writeRecovery(dir + "/state", p, dir + "/p.atlas.json", {1, ""}, 1);
    const std::string text = readAll(file);
    EXPECT_EQ(text.find("s3cr3t"), std::string::npos) << text;
    EXPECT_NE(text.find("db.example"), std::string::npos);  // the connection itself is kept
    const geo::Project q = geo::readRecovery(file);
    EXPECT_EQ(q.layers.size(), 4u);
}

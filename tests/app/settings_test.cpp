// The user's settings: JSON in $XDG_CONFIG_HOME/planatlas, mode 0600, a bad file reported and replaced by
// defaults (never a crash), the language from the locale, the recent-projects list.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "platform/settings.hpp"

namespace fs = std::filesystem;
using app::platform::Settings;

namespace {

// Each test gets its own XDG_CONFIG_HOME (and HOME), restored afterwards.
class SettingsFile : public ::testing::Test {
protected:
    void SetUp() override {
        save("XDG_CONFIG_HOME", oldXdg_);
        save("HOME", oldHome_);
        save("XDG_STATE_HOME", oldState_);
        dir_ = fs::temp_directory_path() / ("planatlas_settings_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        ::setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
        ::setenv("HOME", (dir_ / "home").c_str(), 1);
    }
    void TearDown() override {
        restore("XDG_CONFIG_HOME", oldXdg_);
        restore("HOME", oldHome_);
        restore("XDG_STATE_HOME", oldState_);
        fs::remove_all(dir_);
    }
    static void save(const char* name, std::optional<std::string>& out) {
        if (const char* v = std::getenv(name)) out = v;
    }
    static void restore(const char* name, const std::optional<std::string>& v) {
        if (v) ::setenv(name, v->c_str(), 1);
        else ::unsetenv(name);
    }
    static void write(const std::string& path, const std::string& text) {
        fs::create_directories(fs::path(path).parent_path());
        std::ofstream(path, std::ios::binary) << text;
    }
    static Settings sample() {
        Settings s;
        s.language = "zh";
        s.uiScale = 1.5f;
        s.basemapKeys = {{"tianditu", "abc123"}, {"amap", "k\"ey with quote"}};
        s.cacheSizeMiB = 2048;
        s.defaultExportFolder = "/tmp/导出";
        s.defaultExportDpi = 600;
        s.recentProjects = {"/a/one.atlas.json", "/b/two.atlas.json"};
        s.lastFolder = "/b";
        s.leftSidebarWidth = 310;
        s.rightSidebarOpen = false;
        s.reachDecisions = {{"/a/one.atlas.json", {"0123456789abcdef", true}}, {"/c/汇报.atlas.json", {"fedc", false}}};
        return s;
    }
    fs::path dir_;
    std::optional<std::string> oldXdg_, oldHome_, oldState_;
};

TEST_F(SettingsFile, LivesInXdgConfigHomeElseHomeConfig) {
    EXPECT_EQ(app::platform::settingsPath(), (dir_ / "config" / "planatlas" / "settings.json").string());
    ::unsetenv("XDG_CONFIG_HOME");
    EXPECT_EQ(app::platform::settingsPath(), (dir_ / "home" / ".config" / "planatlas" / "settings.json").string());
    ::setenv("XDG_CONFIG_HOME", "relative/dir", 1);  // invalid by the XDG spec: ignored
    EXPECT_EQ(app::platform::configDir(), (dir_ / "home" / ".config" / "planatlas").string());
}

TEST_F(SettingsFile, StateLivesInXdgStateHomeElseHomeLocalState) {
    ::setenv("XDG_STATE_HOME", (dir_ / "state").c_str(), 1);
    EXPECT_EQ(app::platform::stateDir(), (dir_ / "state" / "planatlas").string());
    ::setenv("XDG_STATE_HOME", "relative/dir", 1);  // invalid by the XDG spec: ignored
    EXPECT_EQ(app::platform::stateDir(), (dir_ / "home" / ".local" / "state" / "planatlas").string());
    ::unsetenv("XDG_STATE_HOME");
    EXPECT_EQ(app::platform::stateDir(), (dir_ / "home" / ".local" / "state" / "planatlas").string());
}

TEST_F(SettingsFile, RoundTripCreatesTheFolderWithMode0600) {
    const std::string path = app::platform::settingsPath();
    ASSERT_FALSE(fs::exists(fs::path(path).parent_path()));
    app::platform::saveSettings(sample(), path);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto loaded = app::platform::loadSettings(path);
    EXPECT_TRUE(loaded.existed);
    EXPECT_EQ(loaded.message, "");
    EXPECT_FALSE(loaded.corrupt);
    EXPECT_EQ(loaded.settings, sample());
    // No temporary file left beside it.
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(fs::path(path).parent_path())) files += e.is_regular_file();
    EXPECT_EQ(files, 1u);
}

TEST_F(SettingsFile, AnExistingWiderFileBecomes0600) {
    const std::string path = app::platform::settingsPath();
    write(path, "{}");
    ::chmod(path.c_str(), 0644);
    app::platform::saveSettings(sample(), path);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SettingsFile, AbsentFileGivesDefaultsWithoutMessage) {
    auto loaded = app::platform::loadSettings(app::platform::settingsPath());
    EXPECT_FALSE(loaded.existed);
    EXPECT_EQ(loaded.message, "");
    EXPECT_EQ(loaded.settings, Settings{});
}

TEST_F(SettingsFile, CorruptFileGivesDefaultsAndAMessage) {
    const std::string path = app::platform::settingsPath();
    for (const char* text : {"{\"language\": \"zh\", ", "", "\x01\x02garbage", "[1, 2, 3]", "42", "null"}) {
        write(path, text);
        auto loaded = app::platform::loadSettings(path);
        EXPECT_TRUE(loaded.existed) << text;
        EXPECT_TRUE(loaded.corrupt) << text;
        EXPECT_NE(loaded.message.find(path), std::string::npos) << loaded.message;
        EXPECT_NE(loaded.message.find("default"), std::string::npos) << loaded.message;
        EXPECT_EQ(loaded.settings, Settings{}) << text;
    }
    // A folder where the file should be: reported, not a crash.
    fs::remove(path);
    fs::create_directories(path);
    auto loaded = app::platform::loadSettings(path);
    EXPECT_TRUE(loaded.corrupt);
    EXPECT_FALSE(loaded.message.empty());
}

TEST_F(SettingsFile, WrongTypesFallBackPerValueAndAreNamed) {
    std::string message;
    Settings s = app::platform::settingsFromJson(R"({
        "language": 7, "ui_scale": "big", "basemap_keys": {"ok": "k1", "bad": 3}, "cache_size_mib": 1.5,
        "default_export_folder": ["x"], "default_export_dpi": "300", "recent_projects": "one.atlas.json",
        "last_folder": "/kept", "unknown_key": true})",
                                                 message);
    Settings defaults;
    EXPECT_EQ(s.language, defaults.language);
    EXPECT_EQ(s.uiScale, defaults.uiScale);
    EXPECT_EQ(s.basemapKeys, (std::map<std::string, std::string>{{"ok", "k1"}}));
    EXPECT_EQ(s.cacheSizeMiB, defaults.cacheSizeMiB);
    EXPECT_EQ(s.defaultExportFolder, defaults.defaultExportFolder);
    EXPECT_EQ(s.defaultExportDpi, defaults.defaultExportDpi);
    EXPECT_TRUE(s.recentProjects.empty());
    EXPECT_EQ(s.lastFolder, "/kept");  // the good values stay
    for (const char* key : {"language", "ui_scale", "\"bad\"", "cache_size_mib", "default_export_folder",
                            "default_export_dpi", "recent_projects"})
        EXPECT_NE(message.find(key), std::string::npos) << key << " not named in: " << message;

    // Out of range values too.
    s = app::platform::settingsFromJson(
        R"({"language": "fr", "ui_scale": 99, "cache_size_mib": -5, "default_export_dpi": 1})", message);
    EXPECT_EQ(s, defaults);
    EXPECT_NE(message.find("fr"), std::string::npos);

    // A file of wrong types loads (reported), never throws.
    const std::string path = app::platform::settingsPath();
    write(path, R"({"ui_scale": {}, "recent_projects": [1, null, "/p/x.atlas.json"]})");
    auto loaded = app::platform::loadSettings(path);
    EXPECT_FALSE(loaded.corrupt);
    EXPECT_FALSE(loaded.message.empty());
    EXPECT_EQ(loaded.settings.recentProjects, std::vector<std::string>{"/p/x.atlas.json"});
}

TEST_F(SettingsFile, AFailedSaveThrowsAndLeavesNothingBehind) {
    // The config folder cannot be made (a file is in its way).
    write((dir_ / "config").string(), "not a folder");
    EXPECT_THROW(app::platform::saveSettings(sample(), app::platform::settingsPath()), std::exception);
    // The rename cannot happen (a folder has the file's name): no temporary file is left.
    fs::path blocked = dir_ / "elsewhere" / "settings.json";
    fs::create_directories(blocked);
    EXPECT_THROW(app::platform::saveSettings(sample(), blocked.string()), std::exception);
    size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(blocked.parent_path())) ++entries;
    EXPECT_EQ(entries, 1u);
}

TEST(SettingsLanguage, DefaultFromTheLocale) {
    using app::platform::languageFromLocale;
    EXPECT_EQ(languageFromLocale(nullptr, nullptr, "zh_CN.UTF-8"), "zh");
    EXPECT_EQ(languageFromLocale(nullptr, nullptr, "zh_TW.UTF-8"), "zh");
    EXPECT_EQ(languageFromLocale(nullptr, nullptr, "en_US.UTF-8"), "en");
    EXPECT_EQ(languageFromLocale(nullptr, nullptr, "C"), "en");
    EXPECT_EQ(languageFromLocale(nullptr, nullptr, nullptr), "en");
    EXPECT_EQ(languageFromLocale("", "", ""), "en");
    // LC_ALL overrides LC_MESSAGES, which overrides LANG.
    EXPECT_EQ(languageFromLocale("en_GB.UTF-8", "zh_CN.UTF-8", "zh_CN.UTF-8"), "en");
    EXPECT_EQ(languageFromLocale(nullptr, "zh_CN.UTF-8", "en_US.UTF-8"), "zh");
    EXPECT_EQ(languageFromLocale("", "en_US.UTF-8", "zh_CN.UTF-8"), "en");

    Settings s;
    s.language = "en";
    EXPECT_EQ(app::platform::effectiveLanguage(s), "en");
    s.language = "zh";
    EXPECT_EQ(app::platform::effectiveLanguage(s), "zh");
}

TEST(SettingsLayout, BadSidebarValuesKeepTheirDefaults) {
    std::string message;
    auto s = app::platform::settingsFromJson(
        R"({"left_sidebar": {"width": 5, "open": "yes"}, "right_sidebar": {"width": 420, "open": false}})", message);
    EXPECT_EQ(s.leftSidebarWidth, 0);  // too narrow: the default
    EXPECT_TRUE(s.leftSidebarOpen);
    EXPECT_EQ(s.rightSidebarWidth, 420);
    EXPECT_FALSE(s.rightSidebarOpen);
    EXPECT_NE(message.find("left_sidebar.width"), std::string::npos);
    EXPECT_NE(message.find("left_sidebar.open"), std::string::npos);
    app::platform::settingsFromJson(R"({"left_sidebar": 3})", message);
    EXPECT_NE(message.find("left_sidebar"), std::string::npos);
}

TEST(SettingsRecent, MostRecentFirstDeduplicatedAndCapped) {
    Settings s;
    for (int i = 0; i < 15; ++i) app::platform::addRecentProject(s, "/p/" + std::to_string(i) + ".atlas.json");
    ASSERT_EQ(s.recentProjects.size(), Settings::kMaxRecent);
    EXPECT_EQ(s.recentProjects.front(), "/p/14.atlas.json");
    EXPECT_EQ(s.recentProjects.back(), "/p/5.atlas.json");
    app::platform::addRecentProject(s, "/p/10.atlas.json");  // again: moves to the front, once
    EXPECT_EQ(s.recentProjects.front(), "/p/10.atlas.json");
    EXPECT_EQ(std::count(s.recentProjects.begin(), s.recentProjects.end(), "/p/10.atlas.json"), 1);
    EXPECT_EQ(s.recentProjects.size(), Settings::kMaxRecent);
    app::platform::addRecentProject(s, "/p/./sub/../10.atlas.json");  // the same file, spelled differently
    EXPECT_EQ(std::count(s.recentProjects.begin(), s.recentProjects.end(), "/p/10.atlas.json"), 1);
    app::platform::addRecentProject(s, "relative.atlas.json");  // made absolute
    EXPECT_EQ(s.recentProjects.front(), (fs::current_path() / "relative.atlas.json").string());

    // A file with duplicates and too many entries is cleaned when read.
    std::string json = R"({"recent_projects": [)";
    for (int i = 0; i < 14; ++i) json += "\"/q/" + std::to_string(i % 12) + ".atlas.json\",";
    json += R"("/q/0.atlas.json"]})";
    std::string message;
    Settings r = app::platform::settingsFromJson(json, message);
    EXPECT_EQ(message, "");
    ASSERT_EQ(r.recentProjects.size(), Settings::kMaxRecent);
    EXPECT_EQ(r.recentProjects[0], "/q/0.atlas.json");
    EXPECT_EQ(r.recentProjects[1], "/q/1.atlas.json");
}

TEST(SettingsReach, DecisionsPerProjectFileAndFingerprint) {
    Settings s;
    app::platform::rememberReachDecision(s, "/p/./plan.atlas.json", "aaaa", true);
    const auto* d = app::platform::reachDecision(s, "/p/plan.atlas.json", "aaaa");
    ASSERT_NE(d, nullptr);
    EXPECT_TRUE(d->allow);
    EXPECT_EQ(app::platform::reachDecision(s, "/p/plan.atlas.json", "bbbb"), nullptr);  // reaches elsewhere now
    EXPECT_EQ(app::platform::reachDecision(s, "/p/other.atlas.json", "aaaa"), nullptr);
    app::platform::rememberReachDecision(s, "/p/plan.atlas.json", "bbbb", false);  // replaced, not added
    EXPECT_EQ(s.reachDecisions.size(), 1u);
    EXPECT_FALSE(app::platform::reachDecision(s, "/p/plan.atlas.json", "bbbb")->allow);
    // Capped: decisions for project files that are gone make room first; the new one always stays.
    for (size_t i = 0; i < Settings::kMaxReachDecisions + 20; ++i)
        app::platform::rememberReachDecision(s, "/gone/" + std::to_string(i) + ".atlas.json", "f", true);
    EXPECT_EQ(s.reachDecisions.size(), Settings::kMaxReachDecisions);
    EXPECT_NE(app::platform::reachDecision(s, "/gone/" + std::to_string(Settings::kMaxReachDecisions + 19) + ".atlas.json", "f"),
              nullptr);
    // A damaged entry is dropped (that project asks again) and named.
    std::string message;
    Settings r = app::platform::settingsFromJson(
        R"({"reach_decisions": {"/a.atlas.json": {"fingerprint": "x", "allow": true}, "/b.atlas.json": {"allow": 1}}})",
        message);
    EXPECT_EQ(r.reachDecisions.size(), 1u);
    EXPECT_NE(message.find("reach_decisions"), std::string::npos);
}

}  // namespace

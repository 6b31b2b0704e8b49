#pragma once
// The user's settings: one JSON file, $XDG_CONFIG_HOME/planatlas/settings.json (~/.config/planatlas when
// XDG_CONFIG_HOME is unset or not absolute, as the XDG Base Directory spec says), mode 0600 because it may hold
// basemap keys. Settings are not part of a project and are not undoable: the viewer changes them directly.
//
// A bad file never stops the program: unreadable JSON gives the defaults, a value of the wrong type or out of
// range gives that value's default, and each case comes back as a message for the user.
#include <map>
#include <string>
#include <vector>

namespace app::platform {

struct Settings {
    static constexpr size_t kMaxRecent = 10;
    static constexpr float kMinUiScale = 0.5f, kMaxUiScale = 4.0f;
    static constexpr int kMinDpi = 50, kMaxDpi = 2400;

    std::string language;                           // "zh", "en"; "" = from the locale
    float uiScale = 0;                              // 0 = automatic (from the monitor), else 0.5 to 4
    std::map<std::string, std::string> basemapKeys;  // basemap name -> access key
    int cacheSizeMiB = 512;                         // tile and raster cache on disk
    std::string defaultExportFolder;                // "" = the last folder
    int defaultExportDpi = 300;
    std::vector<std::string> recentProjects;  // most recent first, at most kMaxRecent, no duplicates
    std::string lastFolder;                   // the folder of the last file chosen in a dialog
    // The window layout: sidebar widths in logical pixels (0 = the default) and whether each is open.
    float leftSidebarWidth = 0, rightSidebarWidth = 0;
    bool leftSidebarOpen = true, rightSidebarOpen = true;
    // The answer to "this project reaches beyond its folder" per project file (absolute path): for the list of
    // places it had then (geo::reachFingerprint), so a project edited to reach somewhere new asks again.
    struct ReachDecision {
        std::string fingerprint;
        bool allow = false;
        bool operator==(const ReachDecision&) const = default;
    };
    static constexpr size_t kMaxReachDecisions = 200;
    std::map<std::string, ReachDecision> reachDecisions;

    bool operator==(const Settings&) const = default;
};

// $XDG_CONFIG_HOME/planatlas (or ~/.config/planatlas): settings.json and the window layout (imgui.ini).
std::string configDir();
// $XDG_STATE_HOME/planatlas (or ~/.local/state/planatlas): the autosave's recovery files (geo/project/recovery.hpp).
std::string stateDir();
std::string settingsPath();  // configDir() + "/settings.json"

// JSON text of the settings, and back. fromJson never throws: problems go to `message` (empty when none), one
// sentence per problem, and the values they concern keep their defaults. `unusable` (optional) is set when the
// text is not a JSON object at all, so nothing in it could be used.
std::string settingsToJson(const Settings& s);
Settings settingsFromJson(const std::string& text, std::string& message, bool* unusable = nullptr);

struct LoadedSettings {
    Settings settings;
    std::string message;  // empty when the file was fine (or absent)
    bool existed = false;
    bool corrupt = false;  // the file could not be used at all (kept beside as settings.json.bad)
};
// Reads the file; absent → defaults and no message. Never throws.
LoadedSettings loadSettings(const std::string& path);
// Writes atomically (a temporary file with mode 0600 in the same folder, then rename), creating the folder.
// Throws geo::IoError.
void saveSettings(const Settings& s, const std::string& path);

// "zh" when the first set of LC_ALL, LC_MESSAGES, LANG starts with "zh" (zh_CN.UTF-8, zh_TW, zh), else "en".
std::string languageFromLocale(const char* lcAll, const char* lcMessages, const char* lang);
std::string languageFromEnvironment();  // the same, from this process's environment
// The language the UI uses: the setting, or the locale's when the setting is empty.
std::string effectiveLanguage(const Settings& s);

// Puts `path` (made absolute) first in the recent list, removing an older entry for it, keeping kMaxRecent.
void addRecentProject(Settings& s, const std::string& path);
// Remembers the reach decision for `projectPath` (made absolute); past kMaxReachDecisions, decisions for project
// files that no longer exist are dropped first, then the oldest by name order.
void rememberReachDecision(Settings& s, const std::string& projectPath, const std::string& fingerprint, bool allow);
// The decision remembered for `projectPath` with this fingerprint, or null.
const Settings::ReachDecision* reachDecision(const Settings& s, const std::string& projectPath, const std::string& fingerprint);

}  // namespace app::platform

#include "platform/settings.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace app::platform {

namespace {

using json = nlohmann::json;
using ordered = nlohmann::ordered_json;

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

void note(std::string& message, const std::string& sentence) {
    if (!message.empty()) message += " ";
    message += sentence;
}

// Reads one member when it has the expected type; otherwise keeps the default and says so.
template <typename T, typename Check>
void read(const json& j, const char* key, T& out, Check isType, const char* typeName, std::string& message) {
    auto it = j.find(key);
    if (it == j.end()) return;
    if (!isType(*it)) {
        note(message, std::string("\"") + key + "\" should be " + typeName + "; using the default.");
        return;
    }
    out = it->template get<T>();
}

}  // namespace

std::string configDir() {
    // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
    if (const char* x = env("XDG_CONFIG_HOME"); x && x[0] == '/') return std::string(x) + "/planatlas";
    if (const char* home = env("HOME")) return std::string(home) + "/.config/planatlas";
    return (fs::temp_directory_path() / "planatlas-config").string();  // no HOME at all: never the working folder
}

std::string settingsPath() { return configDir() + "/settings.json"; }

std::string stateDir() {
    if (const char* x = env("XDG_STATE_HOME"); x && x[0] == '/') return std::string(x) + "/planatlas";
    if (const char* home = env("HOME")) return std::string(home) + "/.local/state/planatlas";
    return (fs::temp_directory_path() / ("planatlas-state-" + std::to_string(::getuid()))).string();
}

std::string settingsToJson(const Settings& s) {
    ordered j;
    j["language"] = s.language;
    j["ui_scale"] = s.uiScale;
    j["basemap_keys"] = s.basemapKeys;
    j["cache_size_mib"] = s.cacheSizeMiB;
    j["default_export_folder"] = s.defaultExportFolder;
    j["default_export_dpi"] = s.defaultExportDpi;
    j["recent_projects"] = s.recentProjects;
    j["last_folder"] = s.lastFolder;
    j["left_sidebar"] = {{"width", s.leftSidebarWidth}, {"open", s.leftSidebarOpen}};
    j["right_sidebar"] = {{"width", s.rightSidebarWidth}, {"open", s.rightSidebarOpen}};
    ordered reach = ordered::object();
    for (const auto& [path, d] : s.reachDecisions) reach[path] = {{"fingerprint", d.fingerprint}, {"allow", d.allow}};
    j["reach_decisions"] = reach;
    return j.dump(2) + "\n";
}

namespace {
// {"width": logical pixels (0 = default, else 100..4000), "open": bool}; a bad part keeps its default.
void readSidebar(const json& j, const char* key, float& width, bool& open, std::string& message) {
    auto it = j.find(key);
    if (it == j.end()) return;
    if (!it->is_object()) {
        note(message, std::string("\"") + key + "\" should be {\"width\": number, \"open\": true|false}; ignored.");
        return;
    }
    if (auto w = it->find("width"); w != it->end()) {
        if (w->is_number() && std::isfinite(w->get<double>()) &&
            (w->get<double>() == 0 || (w->get<double>() >= 100 && w->get<double>() <= 4000)))
            width = w->get<float>();
        else
            note(message, std::string("\"") + key + ".width\" should be 0 or 100 to 4000; using the default.");
    }
    if (auto o = it->find("open"); o != it->end()) {
        if (o->is_boolean()) open = o->get<bool>();
        else note(message, std::string("\"") + key + ".open\" should be true or false; using true.");
    }
}
}  // namespace

Settings settingsFromJson(const std::string& text, std::string& message, bool* unusable) {
    Settings s;
    message.clear();
    if (unusable) *unusable = false;
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        message = j.is_discarded() ? "not valid JSON; using the default settings."
                                   : "not a JSON object; using the default settings.";
        if (unusable) *unusable = true;
        return s;
    }
    const auto isString = [](const json& v) { return v.is_string(); };
    const auto isNumber = [](const json& v) { return v.is_number(); };
    const auto isInteger = [](const json& v) { return v.is_number_integer(); };

    read(j, "language", s.language, isString, "\"zh\", \"en\" or \"\"", message);
    if (s.language != "" && s.language != "zh" && s.language != "en") {
        note(message, "unknown language \"" + s.language + "\"; using the locale's.");
        s.language.clear();
    }
    read(j, "ui_scale", s.uiScale, isNumber, "a number", message);
    if (!std::isfinite(s.uiScale) || (s.uiScale != 0 && (s.uiScale < Settings::kMinUiScale || s.uiScale > Settings::kMaxUiScale))) {
        note(message, "\"ui_scale\" should be 0 (automatic) or 0.5 to 4; using automatic.");
        s.uiScale = 0;
    }
    if (auto it = j.find("basemap_keys"); it != j.end()) {
        if (!it->is_object()) {
            note(message, "\"basemap_keys\" should be an object of name: key strings; ignored.");
        } else {
            for (auto& [name, key] : it->items()) {
                if (key.is_string()) s.basemapKeys[name] = key.get<std::string>();
                else note(message, "basemap key \"" + name + "\" is not a string; ignored.");
            }
        }
    }
    read(j, "cache_size_mib", s.cacheSizeMiB, isInteger, "a whole number of MiB", message);
    if (s.cacheSizeMiB < 0) {
        note(message, "\"cache_size_mib\" is negative; using the default.");
        s.cacheSizeMiB = Settings{}.cacheSizeMiB;
    }
    read(j, "default_export_folder", s.defaultExportFolder, isString, "a path", message);
    read(j, "default_export_dpi", s.defaultExportDpi, isInteger, "a whole number", message);
    if (s.defaultExportDpi < Settings::kMinDpi || s.defaultExportDpi > Settings::kMaxDpi) {
        note(message, "\"default_export_dpi\" should be 50 to 2400; using the default.");
        s.defaultExportDpi = Settings{}.defaultExportDpi;
    }
    if (auto it = j.find("recent_projects"); it != j.end()) {
        if (!it->is_array()) {
            note(message, "\"recent_projects\" should be a list of paths; ignored.");
        } else {
            std::vector<std::string> paths;
            for (const auto& p : *it)
                if (p.is_string() && !p.get<std::string>().empty()) paths.push_back(p.get<std::string>());
            // Oldest first so that the first entry ends up first again, duplicates folded, capped.
            for (auto p = paths.rbegin(); p != paths.rend(); ++p) addRecentProject(s, *p);
        }
    }
    read(j, "last_folder", s.lastFolder, isString, "a path", message);
    readSidebar(j, "left_sidebar", s.leftSidebarWidth, s.leftSidebarOpen, message);
    readSidebar(j, "right_sidebar", s.rightSidebarWidth, s.rightSidebarOpen, message);
    if (auto it = j.find("reach_decisions"); it != j.end()) {
        bool bad = !it->is_object();
        if (!bad) {
            for (auto& [path, d] : it->items()) {
                if (!d.is_object() || !d.contains("fingerprint") || !d["fingerprint"].is_string() ||
                    !d.contains("allow") || !d["allow"].is_boolean()) {
                    bad = true;  // that project asks again
                    continue;
                }
                if (s.reachDecisions.size() < Settings::kMaxReachDecisions)
                    s.reachDecisions[path] = {d["fingerprint"].get<std::string>(), d["allow"].get<bool>()};
            }
        }
        if (bad) note(message, "\"reach_decisions\" has entries that are not {\"fingerprint\", \"allow\"}; those projects ask again.");
    }
    return s;
}

LoadedSettings loadSettings(const std::string& path) {
    LoadedSettings out;
    std::error_code ec;
    if (!fs::exists(path, ec)) return out;
    out.existed = true;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (fs::is_regular_file(path, ec) && in) text << in.rdbuf();
    if (!fs::is_regular_file(path, ec) || !in || in.bad()) {
        out.corrupt = true;
        out.message = path + ": cannot read the settings (not a readable file); using the default settings.";
        return out;
    }
    std::string message;
    out.settings = settingsFromJson(text.str(), message, &out.corrupt);
    if (!message.empty()) out.message = path + ": " + message;
    return out;
}

void saveSettings(const Settings& s, const std::string& path) {
    fs::path target(path);
    std::error_code ec;
    if (target.has_parent_path()) {
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw geo::IoError(path, "", "cannot create the folder: " + ec.message());
    }
    // Not geo::writeFileAtomically: the temporary file must be 0600 from its creation (it may hold keys).
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw geo::IoError(path, "", std::string("cannot write the settings: ") + std::strerror(errno));
    const std::string text = settingsToJson(s);
    bool ok = ::fchmod(fd, 0600) == 0;  // O_CREAT's mode does not apply when the file was already there
    for (size_t done = 0; ok && done < text.size();) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<size_t>(n);
    }
    ok = ::fsync(fd) == 0 && ok;
    int err = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        if (ok) err = errno;
        ::unlink(tmp.c_str());
        throw geo::IoError(path, "", std::string("cannot write the settings (") + std::strerror(err) +
                                         "); the previous file is unchanged");
    }
}

std::string languageFromLocale(const char* lcAll, const char* lcMessages, const char* lang) {
    for (const char* v : {lcAll, lcMessages, lang})
        if (v && *v) return std::strncmp(v, "zh", 2) == 0 ? "zh" : "en";
    return "en";
}

std::string languageFromEnvironment() {
    return languageFromLocale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG"));
}

std::string effectiveLanguage(const Settings& s) {
    return s.language.empty() ? languageFromEnvironment() : s.language;
}

void addRecentProject(Settings& s, const std::string& path) {
    if (path.empty()) return;
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(path), ec);
    std::string p = ec ? path : abs.lexically_normal().string();
    auto& r = s.recentProjects;
    r.erase(std::remove(r.begin(), r.end(), p), r.end());
    r.insert(r.begin(), p);
    if (r.size() > Settings::kMaxRecent) r.resize(Settings::kMaxRecent);
}

}  // namespace app::platform

namespace app::platform {

namespace {
std::string absolutePath(const std::string& path) {
    std::error_code ec;
    fs::path abs = fs::absolute(fs::path(path), ec);
    return ec ? path : abs.lexically_normal().string();
}
}  // namespace

void rememberReachDecision(Settings& s, const std::string& projectPath, const std::string& fingerprint, bool allow) {
    auto& all = s.reachDecisions;
    const std::string key = absolutePath(projectPath);
    all[key] = {fingerprint, allow};
    std::error_code ec;
    for (auto it = all.begin(); all.size() > Settings::kMaxReachDecisions && it != all.end();)
        it = it->first == key || fs::exists(it->first, ec) ? std::next(it) : all.erase(it);
    for (auto it = all.begin(); all.size() > Settings::kMaxReachDecisions && it != all.end();)
        it = it->first == key ? std::next(it) : all.erase(it);
}

const Settings::ReachDecision* reachDecision(const Settings& s, const std::string& projectPath, const std::string& fingerprint) {
    auto it = s.reachDecisions.find(absolutePath(projectPath));
    return it != s.reachDecisions.end() && it->second.fingerprint == fingerprint ? &it->second : nullptr;
}

}  // namespace app::platform

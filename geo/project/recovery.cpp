#include "project/recovery.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using ordered = nlohmann::ordered_json;

namespace geo {

namespace {

constexpr int kRecoveryVersion = 1;
constexpr const char* kSuffix = ".recovery.json";
// A recovery file is the project plus its markup; far beyond any real one, and bounded so a stray huge file in the
// folder cannot stall the start.
constexpr uintmax_t kMaxRecoveryBytes = 256u << 20;

std::string keyFor(const std::string& projectPath) {
    if (projectPath.empty()) return "untitled";
    const std::string abs = fs::absolute(fs::path(projectPath)).lexically_normal().string();
    uint64_t h = 1469598103934665603ull;  // FNV-1a: the same key in every build and on every machine
    for (unsigned char c : abs) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

// The folder and any missing parent, each made 0700 (the XDG spec asks this of $XDG_STATE_HOME).
void makePrivateFolder(const std::string& dir) {
    std::error_code ec;
    fs::path built;
    for (const auto& part : fs::path(dir)) {
        built /= part;
        if (fs::is_directory(built, ec)) continue;
        if (::mkdir(built.c_str(), 0700) != 0 && !fs::is_directory(built, ec))
            throw IoError(dir, "", "cannot create the recovery folder " + built.string());
    }
    ::chmod(dir.c_str(), 0700);  // an existing folder made by someone less careful
}

ordered markupToJson(const std::vector<MarkupItem>& items) {
    ordered out = ordered::array();
    for (const auto& m : items)
        out.push_back({{"kind", markupKindName(m.kind)},
                       {"lonLat", m.lonLat},
                       {"text", m.text},
                       {"color", m.color},
                       {"width", m.width},
                       {"author", m.author},
                       {"created", m.created}});
    return out;
}

std::vector<MarkupItem> markupFromJson(const json& j, const std::string& file) {
    std::vector<MarkupItem> items;
    if (!j.is_array()) throw FormatError(file, "", "\"markup\" is not a list");
    for (const auto& m : j) {
        MarkupItem item;
        try {
            if (!parseMarkupKind(m.at("kind").get<std::string>(), item.kind))
                throw FormatError(file, "", "unknown markup kind " + m.at("kind").dump());
            item.lonLat = m.at("lonLat").get<std::vector<double>>();
            item.text = m.at("text").get<std::string>();
            item.color = m.at("color").get<std::array<uint8_t, 4>>();
            item.width = m.at("width").get<float>();
            item.author = m.value("author", std::string());
            item.created = m.value("created", std::string());
        } catch (const json::exception& e) {
            throw FormatError(file, "", std::string("a markup item is malformed: ") + e.what());
        }
        if (item.lonLat.size() % 2 != 0 ||
            !std::all_of(item.lonLat.begin(), item.lonLat.end(), [](double v) { return std::isfinite(v); }))
            throw FormatError(file, "", "a markup item has broken coordinates");
        items.push_back(std::move(item));
    }
    return items;
}

json readJson(const std::string& file) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(file, ec);
    if (ec) throw IoError(file, "", "cannot read the recovery file: " + ec.message());
    if (size > kMaxRecoveryBytes) throw FormatError(file, "", "too large for a recovery file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError(file, "", "cannot read the recovery file");
    std::stringstream text;
    text << in.rdbuf();
    json j = json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("planatlas_recovery", 0) != kRecoveryVersion ||
        !j.contains("project") || !j["project"].is_object())
        throw FormatError(file, "", "not a Plan Atlas recovery file (or a damaged one)");
    return j;
}

RecoveryEntry entryOf(const json& j, const std::string& file) {
    RecoveryEntry e;
    e.file = file;
    try {
        e.projectPath = j.value("project_path", std::string());
        e.savedAt = j.value("saved_at", int64_t{0});
        if (j.contains("owner")) {
            e.owner.pid = j["owner"].value("pid", 0L);
            e.owner.start = j["owner"].value("start", std::string());
        }
        e.title = j["project"].value("title", std::string());
        if (j["project"].contains("layers") && j["project"]["layers"].is_array()) e.layers = j["project"]["layers"].size();
        if (j.contains("markup") && j["markup"].is_array()) e.markup = j["markup"].size();
    } catch (const json::exception& ex) {
        throw FormatError(file, "", std::string("damaged recovery file: ") + ex.what());
    }
    return e;
}

}  // namespace

std::string recoveryFileFor(const std::string& dir, const std::string& projectPath) {
    return (fs::path(dir) / (keyFor(projectPath) + kSuffix)).string();
}

std::string writeRecovery(const std::string& dir,
                          const Project& project,
                          const std::string& projectPath,
                          const RecoveryOwner& owner,
                          int64_t savedAt) {
    makePrivateFolder(dir);
    Project p = project;
    std::vector<MarkupItem> markup = std::move(p.markup);
    p.markup.clear();
    ordered j;
    j["planatlas_recovery"] = kRecoveryVersion;
    j["project_path"] = projectPath.empty() ? std::string()
                                            : fs::absolute(fs::path(projectPath)).lexically_normal().string();
    j["saved_at"] = savedAt;
    j["owner"] = {{"pid", owner.pid}, {"start", owner.start}};
    // As the project file has it, with absolute sources (no base folder) and no database password.
    j["project"] = ordered::parse(serializeProject(p, ""));
    j["markup"] = markupToJson(markup);
    const std::string file = recoveryFileFor(dir, projectPath);
    replaceFileAtomically(file, j.dump(1) + "\n", 0600);
    return file;
}

std::vector<RecoveryEntry> listRecoveries(const std::string& dir, std::vector<std::string>* problems) {
    std::vector<RecoveryEntry> out;
    std::error_code ec;
    const std::string suffix = kSuffix;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        // Only finished files: a temporary of an interrupted write is ".<name>.tmp-<pid>-<n>".
        if (name.empty() || name[0] == '.' || name.size() <= suffix.size() ||
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        try {
            out.push_back(entryOf(readJson(it->path().string()), it->path().string()));
        } catch (const Error& e) {
            if (problems) problems->push_back(e.what());
        }
    }
    std::sort(out.begin(), out.end(), [](const RecoveryEntry& a, const RecoveryEntry& b) {
        return a.savedAt != b.savedAt ? a.savedAt > b.savedAt : a.file < b.file;
    });
    return out;
}

Project readRecovery(const std::string& file, RecoveryEntry* entry) {
    json j = readJson(file);
    RecoveryEntry e = entryOf(j, file);
    json project = j["project"];
    project.erase("markup");
    Project p = parseProject(project.dump(), "", file);
    if (j.contains("markup")) p.markup = markupFromJson(j["markup"], file);
    if (entry) *entry = std::move(e);
    return p;
}

void removeRecovery(const std::string& file) {
    std::error_code ec;
    fs::remove(file, ec);
}

}  // namespace geo

#include "ui/autosave.hpp"

#include "core/atomic_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace app::ui {

namespace {

std::string firstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Field 22 of /proc/PID/stat (the start time in clock ticks since boot), with this boot's id: a pid reused after
// a restart or by a later process has another identity. Empty when /proc is not there.
std::string processStart(long pid) {
    const std::string stat = firstLine("/proc/" + std::to_string(pid) + "/stat");
    const size_t comm = stat.rfind(')');  // the command name may hold spaces and parentheses
    if (comm == std::string::npos) return {};
    std::istringstream fields(stat.substr(comm + 1));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i == 22) return firstLine("/proc/sys/kernel/random/boot_id") + ":" + field;
    }
    return {};
}

}  // namespace

Autosave::Autosave(std::string dir, double intervalSeconds) : dir_(std::move(dir)), interval_(intervalSeconds) {}

geo::RecoveryOwner Autosave::self() {
    const long pid = static_cast<long>(::getpid());
    return {pid, processStart(pid)};
}

bool Autosave::running(const geo::RecoveryOwner& owner) {
    if (owner.pid <= 0) return false;
    if (!fs::exists("/proc/self/stat")) return geo::processRuns(owner.pid);
    const std::string start = processStart(owner.pid);
    return !start.empty() && (owner.start.empty() || start == owner.start);
}

bool Autosave::ours(const std::string& file) const {
    return std::find(written_.begin(), written_.end(), file) != written_.end() ||
           std::find(adopted_.begin(), adopted_.end(), file) != adopted_.end();
}

bool Autosave::due(double nowSeconds) {
    if (interval_ <= 0) return false;
    if (lastTick_ < 0) lastTick_ = nowSeconds;  // the first interval starts with the session
    if (nowSeconds - lastTick_ < interval_) return false;
    lastTick_ = nowSeconds;
    return true;
}

std::optional<std::string> Autosave::save(bool dirty,
                                          const geo::Project& project,
                                          const std::string& stateKey,
                                          const std::string& path,
                                          std::string* error) {
    const std::string file = geo::recoveryFileFor(dir_, path);
    std::error_code ec;
    if (!dirty) {
        if (ours(file)) geo::removeRecovery(file);
        lastKey_.clear();
        return std::nullopt;
    }
    if (stateKey == lastKey_ && file == lastFile_ && fs::exists(file, ec)) return std::nullopt;
    if (!ours(file) && fs::exists(file, ec)) {
        // Another running viewer's, or an orphan nobody has answered yet: not ours to replace. A damaged file
        // offers nothing and is replaced.
        try {
            geo::RecoveryEntry entry;
            geo::readRecovery(file, &entry);
            return std::nullopt;
        } catch (const geo::Error&) {
        }
    }
    try {
        geo::writeRecovery(dir_, project, path, self(), static_cast<int64_t>(std::time(nullptr)));
    } catch (const geo::Error& e) {
        if (error && lastError_ != e.what()) *error = e.what();
        lastError_ = e.what();
        return std::nullopt;
    }
    lastError_.clear();
    if (!ours(file)) written_.push_back(file);
    lastKey_ = stateKey;
    lastFile_ = file;
    ++writes_;
    return file;
}

void Autosave::forget(const std::string& path) {
    const std::string file = geo::recoveryFileFor(dir_, path);
    if (!ours(file)) return;
    geo::removeRecovery(file);
    written_.erase(std::remove(written_.begin(), written_.end(), file), written_.end());
    adopted_.erase(std::remove(adopted_.begin(), adopted_.end(), file), adopted_.end());
    if (lastFile_ == file) lastKey_.clear();
}

void Autosave::adopt(const std::string& file) {
    if (!ours(file)) adopted_.push_back(file);
}

std::vector<geo::RecoveryEntry> Autosave::orphans(std::vector<std::string>* problems) const {
    std::vector<geo::RecoveryEntry> out;
    for (auto& e : geo::listRecoveries(dir_, problems))
        if (!ours(e.file) && !running(e.owner)) out.push_back(std::move(e));
    return out;
}

geo::RecoveryEntry recoveryToRestore(const std::string& dir, const std::string& projectPath) {
    const std::string wanted = projectPath.empty() ? std::string() : geo::recoveryFileFor(dir, projectPath);
    for (const auto& e : geo::listRecoveries(dir)) {
        if (!wanted.empty() && e.file != wanted) continue;
        if (!Autosave::running(e.owner)) return e;
        if (!wanted.empty())
            throw geo::IoError(e.file, "", "in use by a running Plan Atlas (pid " + std::to_string(e.owner.pid) + ")");
    }
    throw geo::IoError(dir, "", "no recovery file to restore" + (wanted.empty() ? std::string() : " for " + projectPath) +
                                    " (planatlas --recover --list lists them)");
}

double autosaveInterval() {
    if (const char* v = std::getenv("PLANATLAS_AUTOSAVE_SECONDS"); v && *v) {
        char* end = nullptr;
        const double s = std::strtod(v, &end);
        if (*end == '\0' && s >= 0 && s < 1e6) return s;
    }
    return Autosave::kDefaultInterval;
}

std::string localTimeText(int64_t unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm local{};
    localtime_r(&t, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
    return text;
}

int printRecoveries(const std::string& dir) {
    std::vector<std::string> problems;
    const auto entries = geo::listRecoveries(dir, &problems);
    for (const auto& p : problems) std::fprintf(stderr, "planatlas: warning: %s\n", p.c_str());
    if (entries.empty()) std::fprintf(stderr, "planatlas: no recovery files in %s\n", dir.c_str());
    for (const auto& e : entries)
        std::printf("%s\t%s\t%s\t%s\t%s\n", localTimeText(e.savedAt).c_str(),
                    e.projectPath.empty() ? "untitled" : e.projectPath.c_str(),
                    Autosave::running(e.owner) ? "running" : "recoverable", e.title.c_str(), e.file.c_str());
    return 0;
}

}  // namespace app::ui

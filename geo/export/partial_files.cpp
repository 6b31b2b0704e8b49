#include "export/partial_files.hpp"

#include "core/atomic_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>

namespace geo {

namespace {

// The registry is a fixed array the handler can walk without allocating or locking: a slot is free (0), being
// filled (1) or holds a path to unlink (2).
constexpr int kSlots = 64;
constexpr size_t kPathMax = 4096;
struct Slot {
    std::atomic<int> state{0};
    char path[kPathMax];
};
Slot g_slots[kSlots];

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];
std::mutex g_installMutex;

void onSignal(int sig) {
    const int saved = errno;
    for (Slot& s : g_slots)
        if (s.state.load() == 2) unlink(s.path);
    // Then what the signal did before (terminate, for the default): restore that and send it again; it is
    // delivered when this handler returns.
    for (int i = 0; i < 3; ++i)
        if (kSignals[i] == sig) sigaction(sig, &g_previous[i], nullptr);
    errno = saved;
    raise(sig);
}

// Checked at every registration, not once: whoever reset a disposition since (or a signal already handled)
// gets ours back in front of theirs.
void installHandlers() {
    std::lock_guard<std::mutex> lock(g_installMutex);
    for (int i = 0; i < 3; ++i) {
        struct sigaction current {};
        sigaction(kSignals[i], nullptr, &current);
        const bool function = current.sa_flags & SA_SIGINFO;
        if (!function && current.sa_handler == onSignal) continue;                  // ours already
        if (!function && current.sa_handler == SIG_IGN) continue;                   // e.g. nohup, a background job
        struct sigaction ours {};
        ours.sa_handler = onSignal;
        sigemptyset(&ours.sa_mask);
        for (int s : kSignals) sigaddset(&ours.sa_mask, s);  // one handler at a time
        ours.sa_flags = 0;
        sigaction(kSignals[i], &ours, &g_previous[i]);
    }
}

}  // namespace

std::string partialPath(const std::string& output, const std::string& suffix) {
    return output + "." + std::to_string(::getpid()) + ".part" + suffix;
}

void removeStalePartials(const std::string& output) {
    namespace fs = std::filesystem;
    const fs::path out(output);
    const std::string name = out.filename().string();
    const fs::path folder = out.has_parent_path() ? out.parent_path() : fs::path(".");
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string f = it->path().filename().string();
        if (f.size() <= name.size() + 1 || f.compare(0, name.size() + 1, name + ".") != 0) continue;
        const std::string rest = f.substr(name.size() + 1);  // "<pid>.part..." or "part..."
        auto isPart = [](const std::string& tail) { return tail == "part" || tail.rfind("part.", 0) == 0; };
        bool stale = isPart(rest);
        if (!stale) {
            size_t digits = 0;
            while (digits < rest.size() && digits < 10 && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
            stale = digits > 0 && digits < rest.size() && rest[digits] == '.' && isPart(rest.substr(digits + 1)) &&
                    !processRuns(std::stol(rest.substr(0, digits)));
        }
        std::error_code rm;
        if (stale && it->is_regular_file(rm)) fs::remove(it->path(), rm);
    }
}

PartialFile::PartialFile(std::string path) : path_(std::move(path)) {
    if (path_.size() >= kPathMax) return;
    installHandlers();
    for (int i = 0; i < kSlots; ++i) {
        int expected = 0;
        if (!g_slots[i].state.compare_exchange_strong(expected, 1)) continue;
        std::memcpy(g_slots[i].path, path_.c_str(), path_.size() + 1);
        g_slots[i].state.store(2);
        slot_ = i;
        return;
    }
}

PartialFile::~PartialFile() {
    if (slot_ >= 0) g_slots[slot_].state.store(0);
    if (!keep_) std::remove(path_.c_str());
}

void PartialFile::keep() {
    keep_ = true;
    if (slot_ >= 0) g_slots[slot_].state.store(0);
    slot_ = -1;
}

}  // namespace geo

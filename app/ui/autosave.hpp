#pragma once
// The viewer's autosave: while the project has unsaved changes, its state goes to a recovery file every interval
// (30 s; geo/project/recovery.hpp is the store, in platform::stateDir()). A save, an answered unsaved-changes
// prompt or a clean exit removes the file; a crash or a kill leaves it, and the next start finds it as an orphan
// (its writer no longer runs) and offers it back (viewer_recovery.cpp). No ImGui here: the tests drive it too.
//
// A file this session did not write is never replaced or removed, unless the session adopted it (restored it):
// another running viewer's file, or an orphan not yet answered, stays as it is. Main thread only.
#include <optional>
#include <string>
#include <vector>

#include "project/recovery.hpp"

namespace app::ui {

class Autosave {
public:
    static constexpr double kDefaultInterval = 30.0;

    // `intervalSeconds` <= 0 disables writing (orphans are still found).
    Autosave(std::string dir, double intervalSeconds);
    const std::string& dir() const { return dir_; }
    double interval() const { return interval_; }

    // This process, as recovery files name their writer (pid and start time).
    static geo::RecoveryOwner self();
    // True while the process that wrote a recovery file still runs (a pid reused by another process is not it).
    static bool running(const geo::RecoveryOwner& owner);

    // True once per interval (the first interval starts with the first call): time to call save().
    bool due(double nowSeconds);
    // When `dirty`, writes `project` (with its view) as the recovery of `path`, unless nothing changed since the
    // last write (`stateKey` compares) or the file is not this session's to replace; when clean, removes this
    // session's file for `path`. Returns the file when it wrote one; a failed write is reported in *error (once
    // per cause, so a full disk is not reported every interval).
    std::optional<std::string> save(bool dirty,
                                    const geo::Project& project,
                                    const std::string& stateKey,
                                    const std::string& path,
                                    std::string* error = nullptr);
    // The changes of `path` were saved or deliberately left: removes this session's (or an adopted) file for it.
    void forget(const std::string& path);
    // A restored recovery file: this session now replaces and removes it as its own.
    void adopt(const std::string& file);
    // Recovery files whose writer no longer runs, newest first; unreadable ones are named in *problems.
    std::vector<geo::RecoveryEntry> orphans(std::vector<std::string>* problems = nullptr) const;
    // How many files this session has written (tests).
    size_t writes() const { return writes_; }

private:
    bool ours(const std::string& file) const;

    std::string dir_;
    double interval_;
    double lastTick_ = -1;
    std::string lastKey_, lastFile_, lastError_;
    std::vector<std::string> written_, adopted_;
    size_t writes_ = 0;
};

// The interval the viewer uses: $PLANATLAS_AUTOSAVE_SECONDS when set to a number (tests; 0 turns autosave off),
// else Autosave::kDefaultInterval.
double autosaveInterval();

// What `planatlas --recover` opens: the newest recovery file whose writer no longer runs, or the file of
// `projectPath` when given. Throws IoError when there is none, or when that project's writer still runs.
geo::RecoveryEntry recoveryToRestore(const std::string& dir, const std::string& projectPath);

// "2026-12-03 18:55:00" in local time.
std::string localTimeText(int64_t unixSeconds);

// `planatlas --recover --list`: one line per recovery file, newest first, tab-separated: the time, the project
// file (or "untitled"), "running" or "recoverable", the title, then the recovery file. Returns the exit code.
int printRecoveries(const std::string& dir);

}  // namespace app::ui

#pragma once
// Recovery files: the unsaved state of an open project, written by the viewer's autosave so that a crash or a kill
// loses at most the last interval of work (app/ui/autosave.hpp decides when; this is the store).
//
// One file per project path in a private folder ($XDG_STATE_HOME/planatlas, mode 0700): "<key>.recovery.json",
// the key being 16 hex digits of a hash of the project's absolute path, or "untitled" for a project never saved.
// The file (mode 0600, replaced atomically: core/atomic_file.hpp) holds the project as its file would (sources
// absolute, database passwords taken out as in every project file), its markup inline (the .markup.gpkg sidecar
// is not written until a real save), the project path, the time, and the writing process (pid and start time),
// so that a file whose writer still runs is not offered for recovery.
#include <cstdint>
#include <string>
#include <vector>

#include "project/project.hpp"

namespace geo {

// Who wrote a recovery file: a process id and an identity that tells a reused pid apart (its start time).
struct RecoveryOwner {
    long pid = 0;
    std::string start;
    bool operator==(const RecoveryOwner&) const = default;
};

struct RecoveryEntry {
    std::string file;         // the recovery file itself
    std::string projectPath;  // the project file it belongs to; "" = untitled
    std::string title;        // the project's title
    int64_t savedAt = 0;      // Unix seconds
    RecoveryOwner owner;
    size_t layers = 0, markup = 0;
};

// "<dir>/<key>.recovery.json" for `projectPath` (made absolute; "" = untitled).
std::string recoveryFileFor(const std::string& dir, const std::string& projectPath);

// Creates `dir` (missing parents too) with mode 0700 and writes the project's recovery file there, atomically,
// mode 0600. Returns the file. Throws IoError.
std::string writeRecovery(const std::string& dir,
                          const Project& project,
                          const std::string& projectPath,
                          const RecoveryOwner& owner,
                          int64_t savedAt);

// The recovery files in `dir`, newest first (temporaries of an interrupted write are never listed). A file that
// cannot be read is left out and named in *problems (when given). A missing folder has none.
std::vector<RecoveryEntry> listRecoveries(const std::string& dir, std::vector<std::string>* problems = nullptr);

// The project a recovery file holds (markup included; layer ids 1..n), and its entry. Throws IoError or
// FormatError naming the file.
Project readRecovery(const std::string& file, RecoveryEntry* entry = nullptr);

// Removes the file; a missing file is fine. Never throws.
void removeRecovery(const std::string& file);

}  // namespace geo

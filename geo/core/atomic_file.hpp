#pragma once
// Files replaced whole or not at all. The content goes to a temporary file beside the target (same folder, so the
// rename is atomic), created exclusively with a name unique to this process and write (".<name>.tmp-<pid>-<n>"),
// flushed to disk (fsync), then renamed over the target, and the folder flushed. A process killed at any point
// (kill -9, a crash, a power cut after the fsync) leaves the previous file or the new one, never a mix; two
// processes saving the same file never write into one temporary. A killed writer leaves its temporary behind:
// hidden, never named like the target (no ".atlas.json" ending), and swept by the next write of that target once
// its process is gone.
#include <string>
#include <sys/types.h>

namespace geo {

// Writes `content` to `path` atomically, the file getting permission bits `mode` (umask applies). Throws IoError
// naming `path` and the cause; the previous file is then unchanged and the temporary removed.
void replaceFileAtomically(const std::string& path, const std::string& content, mode_t mode = 0644);

// The temporary-file prefix used for `base` (a file name or stem): ".<base>.tmp-".
std::string temporaryPrefix(const std::string& base);

// Removes files in `folder` named temporaryPrefix(base) + "<pid>-..." (and anything after) whose process no longer
// runs: what a killed writer left. Files of live processes (this one included) are left alone. Never throws.
void removeStaleTemporaries(const std::string& folder, const std::string& base);

// Whether process `pid` still runs (it exists, even if owned by another user); false for pid <= 0. The one test
// behind every sweep of what dead writers left (temporaries, export part files, recovery files).
bool processRuns(long pid);

}  // namespace geo

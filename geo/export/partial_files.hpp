#pragma once
// Temporary files of outputs being written ("<output>.<pid>.part<suffix>"), so that no export leaves one behind:
// removed when the write fails or is abandoned (RAII), when the process is stopped by SIGINT, SIGTERM or SIGHUP
// (a signal handler unlinks every registered path, then lets the signal do what it did before), and, when a
// process died without either (kill -9, a crash, a power cut), by the next write of the same output.
#include <string>

namespace geo {

// The temporary path of `output` for this process: "<output>.<pid>.part<suffix>" (suffix such as ".tif").
std::string partialPath(const std::string& output, const std::string& suffix);

// Removes what earlier, dead processes left while writing `output`: "<output>.<pid>.part*" whose pid no longer
// runs, and "<output>.part*" (the unqualified names of earlier versions). Files of running processes (this one
// included) and of other outputs are left alone. Never throws.
void removeStalePartials(const std::string& output);

// Registers `path` for removal on SIGINT/SIGTERM/SIGHUP while the object lives; the destructor removes the file
// unless keep() was called (after it was renamed into place). Each registration puts the handlers back in front
// of whatever is installed then (chained: the previous disposition runs after); a signal that is ignored stays
// ignored. At most 64 paths are registered at once (more are still
// removed by the destructor). Not copyable.
class PartialFile {
public:
    explicit PartialFile(std::string path);
    ~PartialFile();
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;
    const std::string& path() const { return path_; }
    // The file now is the output (renamed into place): do not remove it.
    void keep();

private:
    std::string path_;
    int slot_ = -1;
    bool keep_ = false;
};

}  // namespace geo

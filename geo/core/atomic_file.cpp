#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

bool writeAll(int fd, const std::string& content) {
    for (size_t done = 0; done < content.size();) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

// The rename itself is only durable once the folder's entry is on disk.
void syncFolder(const fs::path& folder) {
    const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

bool processRuns(long pid) {
    if (pid <= 0 || pid > 0x7fffffffL) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::string temporaryPrefix(const std::string& base) { return "." + base + ".tmp-"; }

void replaceFileAtomically(const std::string& path, const std::string& content, mode_t mode) {
    static std::atomic<unsigned> counter{0};
    const fs::path target(path);
    const fs::path folder = target.parent_path();
    const std::string name = target.filename().string();
    removeStaleTemporaries(folder.empty() ? "." : folder.string(), name);
    const fs::path tmp = folder / (temporaryPrefix(name) + std::to_string(::getpid()) + "-" +
                                   std::to_string(counter.fetch_add(1)));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw IoError(path, "", std::string("cannot write (") + std::strerror(errno) + ")");
    bool ok = writeAll(fd, content);
    int err = errno;
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        err = errno;
    }
    if (::close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        throw IoError(path, "", std::string("write failed (") + std::strerror(err) + "); the previous file is unchanged");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        err = errno;
        ::unlink(tmp.c_str());
        throw IoError(path, "", std::string("cannot replace the file: ") + std::strerror(err));
    }
    syncFolder(folder);
}

void removeStaleTemporaries(const std::string& folder, const std::string& base) {
    const std::string prefix = temporaryPrefix(base);
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        const char* digits = name.c_str() + prefix.size();
        char* after = nullptr;
        const long pid = std::strtol(digits, &after, 10);
        if (after == digits || *after != '-' || pid <= 0 || processRuns(pid)) continue;
        std::error_code ignored;
        fs::remove(it->path(), ignored);
    }
}

}  // namespace geo

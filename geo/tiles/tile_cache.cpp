#include "tiles/tile_cache.hpp"

// Layout: <dir>/<sourceId>/<z>/<x>/<y>.tile, each file
//   "PATILE1\n"  magic
//   u8           absent (1: the server had no tile)
//   i64 i64      fetchedAt, expiresAt (unix seconds)
//   u32 + bytes  etag
//   u32 + bytes  lastModified
//   u64 + bytes  the encoded image
//   u64          FNV-1a 64 of everything before it
// all little-endian. A file whose lengths, size or checksum disagree reads as absent and is removed.
//
// Recency is the file's modification time: put() stamps it and get() refreshes it, with a clock that never repeats
// within the process, so eviction order is exact even when the file system's clock is coarse.
//
// Writes go to a hidden temporary beside the tile (core/atomic_file.hpp's naming, so a killed writer's leftovers
// are recognised and swept by the next size count) and are renamed over it. No fsync: a cache entry cut short by a
// power cut fails its checksum and is fetched again, and syncing every tile would slow drawing down.
// put() never throws: a cache that cannot be written (disk full, read-only) costs refetching, not the tile.
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

constexpr char kMagic[8] = {'P', 'A', 'T', 'I', 'L', 'E', '1', '\n'};
constexpr uint32_t kMaxTextLength = 64 * 1024;
constexpr const char* kSuffix = ".tile";

uint64_t fnv1a(const void* data, size_t n, uint64_t h = 1469598103934665603ull) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

void putU(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

struct Reader {
    const unsigned char* p;
    size_t left;
    bool ok = true;
    uint64_t u(int bytes) {
        if (!ok || left < size_t(bytes)) {
            ok = false;
            return 0;
        }
        uint64_t v = 0;
        for (int i = 0; i < bytes; ++i) v |= uint64_t(p[i]) << (8 * i);
        p += bytes;
        left -= size_t(bytes);
        return v;
    }
    const unsigned char* take(uint64_t n) {
        if (!ok || left < n) {
            ok = false;
            return nullptr;
        }
        const unsigned char* at = p;
        p += n;
        left -= size_t(n);
        return at;
    }
};

std::string clean(const std::string& s) {
    std::string out = s.substr(0, kMaxTextLength);
    for (char& c : out) {
        if (c == '\r' || c == '\n' || c == '\0') c = ' ';
    }
    return out;
}

std::string encode(const CachedTile& t) {
    const std::string etag = clean(t.etag), modified = clean(t.lastModified);
    std::string out(kMagic, sizeof kMagic);
    out.reserve(64 + etag.size() + modified.size() + t.data.size());
    putU(out, t.absent ? 1 : 0, 1);
    putU(out, uint64_t(t.fetchedAt), 8);
    putU(out, uint64_t(t.expiresAt), 8);
    putU(out, etag.size(), 4);
    out += etag;
    putU(out, modified.size(), 4);
    out += modified;
    putU(out, t.data.size(), 8);
    out.append(reinterpret_cast<const char*>(t.data.data()), t.data.size());
    putU(out, fnv1a(out.data(), out.size()), 8);
    return out;
}

std::optional<CachedTile> decode(const std::string& bytes) {
    if (bytes.size() < sizeof kMagic + 8 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
    const size_t body = bytes.size() - 8;
    Reader check{reinterpret_cast<const unsigned char*>(bytes.data()) + body, 8};
    if (check.u(8) != fnv1a(bytes.data(), body)) return std::nullopt;
    Reader r{reinterpret_cast<const unsigned char*>(bytes.data()) + sizeof kMagic, body - sizeof kMagic};
    CachedTile t;
    const uint64_t absent = r.u(1);
    t.absent = absent == 1;
    t.fetchedAt = int64_t(r.u(8));
    t.expiresAt = int64_t(r.u(8));
    const uint64_t etagLength = r.u(4);
    if (etagLength > kMaxTextLength) return std::nullopt;
    if (const unsigned char* s = r.take(etagLength)) t.etag.assign(reinterpret_cast<const char*>(s), etagLength);
    const uint64_t modifiedLength = r.u(4);
    if (modifiedLength > kMaxTextLength) return std::nullopt;
    if (const unsigned char* s = r.take(modifiedLength)) {
        t.lastModified.assign(reinterpret_cast<const char*>(s), modifiedLength);
    }
    const uint64_t size = r.u(8);
    const unsigned char* data = r.take(size);
    if (!r.ok || r.left != 0 || absent > 1) return std::nullopt;
    t.data.assign(data, data + size);
    return t;
}

// A modification time later than any this process handed out before.
fs::file_time_type nextStamp() {
    static std::atomic<int64_t> last{0};
    int64_t now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(fs::file_time_type::clock::now().time_since_epoch())
            .count();
    int64_t seen = last.load();
    while (true) {
        const int64_t stamp = std::max(now, seen + 1);
        if (last.compare_exchange_weak(seen, stamp)) {
            now = stamp;
            break;
        }
    }
    return fs::file_time_type(std::chrono::duration_cast<fs::file_time_type::duration>(std::chrono::nanoseconds(now)));
}

bool isTile(const fs::path& p) {
    const std::string name = p.filename().string();
    return name.size() > std::strlen(kSuffix) && name[0] != '.' &&
           name.compare(name.size() - std::strlen(kSuffix), std::string::npos, kSuffix) == 0;
}

// A temporary of a writer that is gone (".<y>.tile.tmp-<pid>-<n>").
bool staleTemporary(const fs::path& p) {
    const std::string name = p.filename().string();
    const size_t at = name.find(".tmp-");
    if (name.empty() || name[0] != '.' || at == std::string::npos) return false;
    const char* digits = name.c_str() + at + 5;
    char* after = nullptr;
    const long pid = std::strtol(digits, &after, 10);
    return after != digits && *after == '-' && !processRuns(pid);
}

bool readFile(const std::string& path, std::string& out, struct stat& st) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (ok) {
        out.resize(size_t(st.st_size));
        size_t done = 0;
        while (done < out.size()) {
            const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += size_t(n);
        }
        out.resize(done);
    }
    ::close(fd);
    return ok;
}

// 0 or the errno that stopped the write (the temporary is then gone).
int writeFile(const std::string& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return errno;
    int err = 0;
    for (size_t done = 0; err == 0 && done < content.size();) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            err = n < 0 ? errno : EIO;
        else
            done += size_t(n);
    }
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) ::unlink(path.c_str());
    return err;
}

struct Entry {
    fs::file_time_type used;
    uint64_t size;
    fs::path path;
};

// Every tile file under `dir`, sweeping dead writers' temporaries on the way.
std::vector<Entry> walk(const std::string& dir) {
    std::vector<Entry> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code e;
        if (!it->is_regular_file(e)) continue;
        if (isTile(it->path())) {
            const uint64_t size = it->file_size(e);
            if (e) continue;
            const fs::file_time_type used = it->last_write_time(e);
            if (e) continue;
            out.push_back({used, size, it->path()});
        } else if (staleTemporary(it->path())) {
            fs::remove(it->path(), e);
        }
    }
    return out;
}

std::string safeComponent(const std::string& s) {
    std::string out = s.empty() ? std::string("_") : s;
    for (char& c : out) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    }
    return out;
}

uint64_t total(const std::vector<Entry>& entries) {
    uint64_t sum = 0;
    for (const Entry& e : entries) sum += e.size;
    return sum;
}

// Removes the least recently used tiles under `dir` until `size` (recounted) is at most 90 % of `cap`; nothing when
// the folder holds no more than `cap`.
void evict(const std::string& dir, uint64_t cap, uint64_t& size) {
    std::vector<Entry> entries = walk(dir);
    size = total(entries);
    if (size <= cap) return;
    const uint64_t target = cap - cap / 10;
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.used != b.used ? a.used < b.used : a.path < b.path;
    });
    for (const Entry& e : entries) {
        if (size <= target) break;
        std::error_code ec;
        if (!fs::remove(e.path, ec)) continue;
        size -= std::min(size, e.size);
        // Emptied <x> and <z> folders go too (remove() leaves a folder that still holds something).
        fs::remove(e.path.parent_path(), ec);
        fs::remove(e.path.parent_path().parent_path(), ec);
    }
}

}  // namespace

bool CachedTile::fresh(int64_t now) const {
    return expiresAt > 0 ? now < expiresAt : now < fetchedAt + kDefaultTileFreshness;
}

TileCache::TileCache(std::string dir, uint64_t capBytes) : dir_(std::move(dir)), cap_(capBytes) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec || !fs::is_directory(dir_, ec)) {
        throw IoError(
            dir_, "", "cannot create the tile cache folder" + (ec ? " (" + ec.message() + ")" : std::string()));
    }
}

std::string TileCache::pathOf(const std::string& sourceId, const TileKey& k) const {
    return (fs::path(dir_) / safeComponent(sourceId) / std::to_string(k.z) / std::to_string(k.x) /
            (std::to_string(k.y) + kSuffix))
        .string();
}

std::optional<CachedTile> TileCache::get(const std::string& sourceId, const TileKey& k) {
    const std::string path = pathOf(sourceId, k);
    std::string bytes;
    struct stat st {};
    if (!readFile(path, bytes, st)) return std::nullopt;
    std::optional<CachedTile> tile = decode(bytes);
    if (!tile) {
        // Damaged: drop it, unless a writer replaced it since it was read.
        std::lock_guard<std::mutex> lock(mutex_);
        struct stat now {};
        if (::stat(path.c_str(), &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev &&
            ::unlink(path.c_str()) == 0 && counted_) {
            size_ -= std::min<uint64_t>(size_, uint64_t(now.st_size));
        }
        return std::nullopt;
    }
    std::error_code ec;
    fs::last_write_time(path, nextStamp(), ec);
    return tile;
}

void TileCache::put(const std::string& sourceId, const TileKey& k, const CachedTile& t) {
    static std::atomic<unsigned> counter{0};
    const std::string content = encode(t);
    const fs::path path = pathOf(sourceId, k);
    const fs::path tmp = path.parent_path() / (temporaryPrefix(path.filename().string()) + std::to_string(::getpid()) +
                                               "-" + std::to_string(counter.fetch_add(1)));
    int err = ENOENT;
    for (int attempt = 0; attempt < 2 && err == ENOENT; ++attempt) {  // eviction may remove an emptied folder
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        err = writeFile(tmp.string(), content);
    }
    if (err != 0) return;

    std::lock_guard<std::mutex> lock(mutex_);
    if (!counted_) {
        size_ = total(walk(dir_));
        counted_ = true;
    }
    struct stat old {};
    const uint64_t replaced = ::stat(path.c_str(), &old) == 0 ? uint64_t(old.st_size) : 0;
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return;
    }
    size_ = size_ - std::min(size_, replaced) + content.size();
    std::error_code ec;
    fs::last_write_time(path, nextStamp(), ec);
    if (size_ > cap_) evict(dir_, cap_, size_);
}

uint64_t TileCache::sizeBytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!counted_) {
        size_ = total(walk(dir_));
        counted_ = true;
    }
    return size_;
}

void TileCache::evictToCap() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (counted_ && size_ <= cap_) return;
    evict(dir_, cap_, size_);
    counted_ = true;
}

std::string tileSourceId(const std::string& redactedSource, const std::string& variant) {
    const std::string text = redactedSource + "\n" + variant;
    const uint64_t h = fnv1a(text.data(), text.size());
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string defaultTileCacheDir() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && xdg[0] == '/') return (fs::path(xdg) / "planatlas" / "tiles").string();
    const char* home = std::getenv("HOME");
    std::string base = home && *home ? home : "";
    if (base.empty()) {
        if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) base = pw->pw_dir;
    }
    if (base.empty()) return (fs::temp_directory_path() / "planatlas-tiles").string();
    return (fs::path(base) / ".cache" / "planatlas" / "tiles").string();
}

}  // namespace geo

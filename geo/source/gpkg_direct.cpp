#include "source/gpkg_direct.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <new>
#include <system_error>
#include <thread>
#include <cmath>

#include <cpl_conv.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "source/gpkg_wkb.hpp"
#include "store/table_repair.hpp"
#include "source/split_read.hpp"

namespace geo {

std::string sqlIdentifier(const std::string& name) {
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

namespace {

std::string quoted(const std::string& name) { return sqlIdentifier(name); }

struct Db {
    sqlite3* db = nullptr;
    ~Db() { sqlite3_close(db); }
};
struct Stmt {
    sqlite3_stmt* s = nullptr;
    ~Stmt() { sqlite3_finalize(s); }
};

bool openReadOnly(const std::string& path, Db& db) {
    return sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK;
}

bool prepare(Db& db, const std::string& sql, Stmt& st) {
    return sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st.s, nullptr) == SQLITE_OK;
}

// How a field is read: as GDAL's GeoPackage driver reads it, from the storage classes it accepts.
enum class Read { Integer32, Integer64, Real, Text };

struct Half {
    FeatureTable table;
    BBox bounds;           // of the vertices read, while all are usable (VectorData::readBounds)
    long long reserveRows = 0;  // rows to make room for, once the first rows tell how large a row is
    uintmax_t fileBytes = 0;    // the file's size: no more room than it could fill
    bool unusable = false;  // a vertex not finite, or past kAbsurdCoordinate
    size_t skipped = 0, otherKind = 0, rows = 0;
    bool ok = false;
    std::exception_ptr error;
};

class Reader {
public:
    Reader(std::string path, std::string sql, std::vector<Read> reads, std::atomic<bool>& stop)
        : path_(std::move(path)), sql_(std::move(sql)), reads_(std::move(reads)), stop_(stop) {}

    // Rows with fid in [lo, hi] (all when lo > hi) into `half`; false when the layer is not one to read so.
    void run(Half& half, long long lo, long long hi, size_t limit, long long expected, JobProgress* progress) {
        try {
            half.ok = read(half, lo, hi, limit, expected, progress);
        } catch (...) {
            half.error = std::current_exception();
        }
        if (!half.ok) stop_.store(true);
    }

private:
    std::string path_, sql_;
    std::vector<Read> reads_;
    std::atomic<bool>& stop_;

    bool read(Half& half, long long lo, long long hi, size_t limit, long long expected, JobProgress* progress) {
        Db db;
        Stmt st;
        if (!openReadOnly(path_, db) || !prepare(db, sql_, st)) return false;
        int bind = 1;
        if (lo <= hi) {
            sqlite3_bind_int64(st.s, bind++, lo);
            sqlite3_bind_int64(st.s, bind++, hi);
        }
        if (limit) sqlite3_bind_int64(st.s, bind++, static_cast<sqlite3_int64>(limit));
        FeatureTable& t = half.table;
        constexpr size_t kMax = std::numeric_limits<uint32_t>::max();
        int rc;
        size_t n = 0;
        while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
            if (sqlite3_column_type(st.s, 0) != SQLITE_INTEGER) return false;
            const int64_t fid = sqlite3_column_int64(st.s, 0);
            GeomKind k = GeomKind::None;
            // (A blob, or a text holding its bytes, as `x'..' || x'..'` makes: GDAL reads both.)
            const int geomType = sqlite3_column_type(st.s, 1);
            if (geomType == SQLITE_BLOB || geomType == SQLITE_TEXT) {
                const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(st.s, 1));
                const size_t before = t.xy.size();
                const std::optional<GeomKind> kind =
                    appendGpkgGeometry(blob, size_t(sqlite3_column_bytes(st.s, 1)), t, half.otherKind);
                if (!kind) return false;
                k = *kind;
                // The box of what was just written, while it is in the cache (NaN fails every comparison).
                int bad = 0;
                for (size_t i = before; i < t.xy.size(); i += 2) {
                    const double x = t.xy[i], y = t.xy[i + 1];
                    bad |= int(!(std::fabs(x) <= kAbsurdCoordinate)) | int(!(std::fabs(y) <= kAbsurdCoordinate));
                    half.bounds.minX = std::min(half.bounds.minX, x);
                    half.bounds.maxX = std::max(half.bounds.maxX, x);
                    half.bounds.minY = std::min(half.bounds.minY, y);
                    half.bounds.maxY = std::max(half.bounds.maxY, y);
                }
                half.unusable |= bad != 0;
            } else if (geomType != SQLITE_NULL) {
                return false;
            }
            if (k == GeomKind::None) ++half.skipped;
            t.beginFeature(fid, k);
            t.endFeature();
            if (t.vertexCount() > kMax || t.ringCount() > kMax || t.partCount() > kMax) return false;  // GDAL's read says so
            for (size_t i = 0; i < reads_.size(); ++i) {
                const int c = static_cast<int>(i) + 2;
                const int type = sqlite3_column_type(st.s, c);
                Column& col = t.columns[i];
                if (type == SQLITE_NULL) {
                    col.pushNull();
                    continue;
                }
                switch (reads_[i]) {
                    case Read::Integer32:
                        if (type != SQLITE_INTEGER) return false;
                        col.pushInteger(sqlite3_column_int(st.s, c));
                        break;
                    case Read::Integer64:
                        if (type != SQLITE_INTEGER) return false;
                        col.pushInteger(sqlite3_column_int64(st.s, c));
                        break;
                    case Read::Real:
                        if (type != SQLITE_FLOAT && type != SQLITE_INTEGER) return false;
                        col.pushReal(sqlite3_column_double(st.s, c));
                        break;
                    case Read::Text: {
                        if (type != SQLITE_TEXT) return false;
                        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.s, c));
                        // (GDAL's strings end at a NUL byte.)
                        col.pushText(text ? std::string_view(text) : std::string_view());
                        break;
                    }
                }
            }
            if ((++n & 4095) == 0) {
                // Room for the rows to come, by what the first rows hold (fewer copies as the arrays grow).
                if (n == 4096 && half.reserveRows > 4096) {
                    // (A count the file claims is taken up to what reserveFeatures takes of one; and no more
                    // room than the file could fill, a coordinate being 8 bytes of it, whatever its first rows
                    // hold. Room that cannot be had is left to growth.)
                    const double more = 1.1 * double(std::min<long long>(half.reserveRows, FeatureTable::kMaxReservedFeatures)) / double(n);
                    const double fileBytes = double(half.fileBytes);
                    try {
                        t.xy.reserve(size_t(std::min(double(t.xy.size()) * more, fileBytes / 8.0)));
                        t.ringEnds.reserve(size_t(std::min(double(t.ringEnds.size()) * more, fileBytes / 4.0)));
                        t.partEnds.reserve(size_t(std::min(double(t.partEnds.size()) * more, fileBytes / 4.0)));
                    } catch (const std::bad_alloc&) {
                    }
                }
                if (stop_.load(std::memory_order_relaxed)) return false;
                if (progress) {
                    progress->throwIfCancelled();
                    if (expected > 0) progress->set(std::min(1.0f, static_cast<float>(n) / static_cast<float>(expected)));
                }
            }
        }
        if (rc != SQLITE_DONE) return false;  // GDAL's read says what is wrong with the file
        half.rows = n;
        return true;
    }
};

// Whether `table` is a table whose fid is its rowid (its INTEGER PRIMARY KEY, with no index of its own:
// `INTEGER PRIMARY KEY DESC` is not the rowid, and NULL fids would fall outside any fid range; a view's order and
// NULL fids are its own), so a read of it comes in fid order; `plainScan` says whether `select` (a read of all of
// it) is a plain scan of the table: SQLite may read through a covering index instead, in that index's order, which
// fid ranges would not give.
bool rowidTable(Db& db, const std::string& table, const std::string& fid, const std::string& select, bool& plainScan) {
    Stmt kind;
    if (!prepare(db, "SELECT type FROM sqlite_master WHERE name = ?1", kind)) return false;
    sqlite3_bind_text(kind.s, 1, table.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(kind.s) != SQLITE_ROW || !sqlite3_column_text(kind.s, 0) ||
        std::strcmp(reinterpret_cast<const char*>(sqlite3_column_text(kind.s, 0)), "table") != 0)
        return false;
    Stmt info;
    if (!prepare(db, "PRAGMA table_info(" + quoted(table) + ")", info)) return false;
    int keys = 0;
    bool fidKey = false;
    while (sqlite3_step(info.s) == SQLITE_ROW) {
        if (sqlite3_column_int(info.s, 5) == 0) continue;
        ++keys;
        const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(info.s, 1));
        const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(info.s, 2));
        fidKey = name && type && fid == name && sqlite3_stricmp(type, "INTEGER") == 0;
    }
    if (keys != 1 || !fidKey) return false;
    Stmt indexes;
    if (!prepare(db, "PRAGMA index_list(" + quoted(table) + ")", indexes)) return false;
    while (sqlite3_step(indexes.s) == SQLITE_ROW) {
        const auto* origin = reinterpret_cast<const char*>(sqlite3_column_text(indexes.s, 3));
        if (origin && std::strcmp(origin, "pk") == 0) return false;  // (a WITHOUT ROWID table too)
    }
    plainScan = false;
    Stmt plan;
    if (prepare(db, "EXPLAIN QUERY PLAN " + select, plan)) {
        int steps = 0;
        while (sqlite3_step(plan.s) == SQLITE_ROW) {
            const auto* detail = reinterpret_cast<const char*>(sqlite3_column_text(plan.s, 3));
            const std::string d = detail ? detail : "";
            plainScan = ++steps == 1 && (d == "SCAN " + table || d == "SCAN TABLE " + table);
        }
    }
    return true;
}

// SELECT fid, geometry, every field FROM table: the columns GDAL's loop reads.
std::string selectAll(OGRLayer& layer) {
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    std::string sql = "SELECT " + quoted(layer.GetFIDColumn()) + ", " + quoted(defn->GetGeomFieldDefn(0)->GetNameRef());
    for (int i = 0; i < defn->GetFieldCount(); ++i) sql += ", " + quoted(defn->GetFieldDefn(i)->GetNameRef());
    return sql + " FROM " + quoted(layer.GetName());
}

bool enabled() {
    if (const char* env = std::getenv("PLANATLAS_GPKG_DIRECT"))
        if (!CPLTestBool(env)) return false;
    return CPLTestBool(CPLGetConfigOption("PLANATLAS_GPKG_DIRECT", "YES"));
}

}  // namespace

bool gpkgReadsInFidOrder(const std::string& path, OGRLayer& layer) {
    std::error_code ec;
    if (path.rfind("/vsi", 0) == 0 || !std::filesystem::is_regular_file(path, ec)) return false;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    const char* fid = layer.GetFIDColumn();
    if (!defn || defn->GetGeomFieldCount() != 1 || !fid || !*fid) return false;
    Db db;
    bool plainScan = false;
    return openReadOnly(path, db) && rowidTable(db, layer.GetName(), fid, selectAll(layer), plainScan) && plainScan;
}

std::optional<size_t> readGpkgDirect(const std::string& path, OGRLayer& layer, const std::vector<OGRFieldType>& types,
                                     long long total, VectorData& out, JobProgress* progress, size_t limit) {
    if (!enabled()) return std::nullopt;
    std::error_code ec;
    if (path.rfind("/vsi", 0) == 0 || !std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    const char* fidName = layer.GetFIDColumn();
    if (!defn || defn->GetGeomFieldCount() != 1 || !fidName || !*fidName ||
        static_cast<size_t>(defn->GetFieldCount()) != types.size() || out.table.columns.size() != types.size())
        return std::nullopt;
    const std::string table = layer.GetName(), fid = fidName, geom = defn->GetGeomFieldDefn(0)->GetNameRef();
    std::vector<Read> reads;
    std::string sql = "SELECT " + quoted(fid) + ", " + quoted(geom);
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* f = defn->GetFieldDefn(i);
        switch (f->GetType()) {  // (dates and times: GDAL reformats them; binary and lists: not text as stored)
            case OFTInteger: reads.push_back(Read::Integer32); break;
            case OFTInteger64: reads.push_back(Read::Integer64); break;
            case OFTReal: reads.push_back(Read::Real); break;
            case OFTString: reads.push_back(Read::Text); break;
            default: return std::nullopt;
        }
        sql += ", " + quoted(f->GetNameRef());
    }
    sql += " FROM " + quoted(table);
    long long lo = 1, hi = 0;
    {
        Db db;
        bool plainScan = false;
        if (!openReadOnly(path, db) || !rowidTable(db, table, fid, sql, plainScan)) return std::nullopt;
        long long threshold = kSplitReadFeatures;
        if (const char* env = std::getenv("PLANATLAS_SPLIT_READ")) threshold = std::atoll(env);
        if (!limit && plainScan && threshold > 0 && total >= threshold) {
            Stmt range;
            if (!prepare(db, "SELECT MIN(" + quoted(fid) + "), MAX(" + quoted(fid) + ") FROM " + quoted(table), range) ||
                sqlite3_step(range.s) != SQLITE_ROW)
                return std::nullopt;
            if (sqlite3_column_type(range.s, 0) == SQLITE_INTEGER) {
                lo = sqlite3_column_int64(range.s, 0);
                hi = sqlite3_column_int64(range.s, 1);
            }
        }
    }
    std::atomic<bool> stop{false};
    const bool split = hi > lo && uint64_t(hi) - uint64_t(lo) >= 2;
    std::vector<Half> halves(split ? 2 : 1);
    std::error_code sizeError;
    const uintmax_t fileBytes = std::filesystem::file_size(path, sizeError);
    for (Half& h : halves) h.fileBytes = sizeError ? 0 : fileBytes;
    for (Half& h : halves)
        for (const Column& c : out.table.columns) h.table.columns.emplace_back(c.name, c.type);
    if (!split) {
        halves[0].table.reserveFeatures(limit ? std::min<long long>(total, static_cast<long long>(limit)) : total);
        halves[0].reserveRows = limit ? std::min<long long>(total, static_cast<long long>(limit)) : total;
        Reader reader(path, sql + (limit ? " LIMIT ?1" : ""), reads, stop);
        reader.run(halves[0], 1, 0, limit, total, progress);
    } else {
        const long long mid = lo + static_cast<long long>((uint64_t(hi) - uint64_t(lo)) / 2);
        const std::string ranged = sql + " WHERE " + quoted(fid) + " >= ?1 AND " + quoted(fid) + " <= ?2";
        for (Half& h : halves) h.table.reserveFeatures(total / 2 + 1);
        halves[0].reserveRows = total;  // the second half is appended to it
        halves[1].reserveRows = total / 2 + 1;
        Reader first(path, ranged, reads, stop), second(path, ranged, reads, stop);
        std::thread worker;
        try {
            worker = std::thread([&] { second.run(halves[1], mid + 1, hi, 0, total / 2, progress); });
        } catch (const std::system_error&) {
            return std::nullopt;
        }
        first.run(halves[0], lo, mid, 0, total / 2, progress);
        worker.join();
    }
    for (Half& h : halves)
        if (h.error) std::rethrow_exception(h.error);  // Cancelled
    for (Half& h : halves)
        if (!h.ok) return std::nullopt;
    if (split) {
        constexpr size_t kMax = std::numeric_limits<uint32_t>::max();
        const FeatureTable& a = halves[0].table;
        const FeatureTable& b = halves[1].table;
        if (a.vertexCount() + b.vertexCount() > kMax || a.ringCount() + b.ringCount() > kMax ||
            a.partCount() + b.partCount() > kMax)
            return std::nullopt;
        halves[0].table.append(halves[1].table);
    }
    out.table = std::move(halves[0].table);
    out.readBounds.reset();
    if (std::none_of(halves.begin(), halves.end(), [](const Half& h) { return h.unusable; })) {
        BBox b;
        for (const Half& h : halves) b.add(h.bounds);
        out.readBounds = b;
    }
    size_t rows = 0;
    for (const Half& h : halves) {
        out.skippedGeometries += h.skipped;
        out.otherKindParts += h.otherKind;
        rows += h.rows;
    }
    return rows;
}

}  // namespace geo

#include "tiles/tile_store.hpp"

// [SECTION] SQLite helpers
// [SECTION] TileFile: MBTiles
// [SECTION] TileFile: GeoPackage tiles
// [SECTION] TileFile
// [SECTION] MBTilesWriter

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"

namespace geo {

namespace {

// [SECTION] SQLite helpers

struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Prepares `sql`; nullptr (and `error` set) when SQLite refuses it (a missing table, not a database...).
Stmt prepare(sqlite3* db, const std::string& sql, std::string* error = nullptr) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        if (error) *error = sqlite3_errmsg(db);
        sqlite3_finalize(s);
        return nullptr;
    }
    return Stmt(s);
}

std::string columnText(sqlite3_stmt* s, int i) {
    const unsigned char* t = sqlite3_column_text(s, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}

std::string quoteIdentifier(const std::string& name) {
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

bool hasTable(sqlite3* db, const std::string& name) {
    Stmt s = prepare(db, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?");
    if (!s) return false;
    sqlite3_bind_text(s.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
    return sqlite3_step(s.get()) == SQLITE_ROW;
}

// Width of a PNG, JPEG or WebP image from its header; 0 when unknown.
int encodedImageWidth(const uint8_t* p, size_t n) {
    if (n >= 24 && p[0] == 0x89 && p[1] == 'P' && p[2] == 'N' && p[3] == 'G')
        return (p[16] << 24) | (p[17] << 16) | (p[18] << 8) | p[19];
    if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8) {
        size_t i = 2;
        while (i + 9 < n) {
            if (p[i] != 0xFF) return 0;
            uint8_t marker = p[i + 1];
            if (marker == 0xFF) {
                ++i;
                continue;
            }
            size_t len = (size_t(p[i + 2]) << 8) | p[i + 3];
            bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) return (p[i + 7] << 8) | p[i + 8];
            i += 2 + len;
        }
        return 0;
    }
    if (n >= 30 && std::equal(p, p + 4, "RIFF") && std::equal(p + 8, p + 12, "WEBP")) {
        if (std::equal(p + 12, p + 16, "VP8 ")) return ((p[26] | (p[27] << 8)) & 0x3FFF);
        if (std::equal(p + 12, p + 16, "VP8L")) return 1 + (p[21] | ((p[22] & 0x3F) << 8));
        if (std::equal(p + 12, p + 16, "VP8X")) return 1 + (p[24] | (p[25] << 8) | (p[26] << 16));
    }
    return 0;
}

int toInt(const std::string& s, int fallback) {
    if (s.empty()) return fallback;
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    return end && *end == '\0' ? static_cast<int>(v) : fallback;
}

}  // namespace

// [SECTION] TileFile: MBTiles

namespace {

struct Opened {
    TileGrid grid;
    std::map<std::string, std::string> metadata;
    std::string table;
    bool tms = false;
    int zoomOffset = 0;
};

Opened openMBTiles(sqlite3* db, const std::string& path) {
    Opened o;
    o.table = "tiles";
    o.tms = true;
    if (hasTable(db, "metadata")) {
        if (Stmt s = prepare(db, "SELECT name, value FROM metadata"))
            while (sqlite3_step(s.get()) == SQLITE_ROW) o.metadata[columnText(s.get(), 0)] = columnText(s.get(), 1);
    }
    auto meta = [&](const char* key) {
        auto it = o.metadata.find(key);
        return it == o.metadata.end() ? std::string() : it->second;
    };
    if (meta("scheme") == "xyz") o.tms = false;  // not in the spec, but some writers say so
    int minZoom = toInt(meta("minzoom"), -1), maxZoom = toInt(meta("maxzoom"), -1);
    if (minZoom < 0 || maxZoom < minZoom || maxZoom > 30) {
        std::string error;
        Stmt s = prepare(db, "SELECT min(zoom_level), max(zoom_level) FROM tiles", &error);
        if (!s) throw FormatError(path, "", "not a readable MBTiles file (" + error + ")");
        minZoom = maxZoom = 0;
        if (sqlite3_step(s.get()) == SQLITE_ROW && sqlite3_column_type(s.get(), 0) != SQLITE_NULL) {
            minZoom = sqlite3_column_int(s.get(), 0);
            maxZoom = sqlite3_column_int(s.get(), 1);
        }
        if (minZoom < 0 || maxZoom > 30)
            throw FormatError(
                path,
                "",
                "zoom levels " + std::to_string(minZoom) + ".." + std::to_string(maxZoom) + " are outside 0..30");
    }
    // 512-pixel (retina) tiles cover the same ground as 256-pixel ones: the grid needs their size.
    int tileSize = toInt(meta("tilesize"), 0);
    if (tileSize <= 0) {
        tileSize = 256;
        if (Stmt s = prepare(db, "SELECT tile_data FROM tiles WHERE zoom_level = ? LIMIT 1")) {
            sqlite3_bind_int(s.get(), 1, maxZoom);
            if (sqlite3_step(s.get()) == SQLITE_ROW) {
                int w = encodedImageWidth(static_cast<const uint8_t*>(sqlite3_column_blob(s.get(), 0)),
                                          size_t(sqlite3_column_bytes(s.get(), 0)));
                if (w == 512) tileSize = 512;
            }
        }
    }
    o.grid = webMercatorGrid(minZoom, maxZoom, tileSize);
    return o;
}

// [SECTION] TileFile: GeoPackage tiles

Opened openGpkgTiles(sqlite3* db, const std::string& path, const std::string& wanted) {
    Opened o;
    std::vector<std::string> tables;
    std::string identifier, description;
    {
        Stmt s = prepare(db,
                         "SELECT table_name, identifier, description FROM gpkg_contents WHERE data_type = 'tiles' "
                         "ORDER BY rowid");
        if (!s) throw FormatError(path, "", "not a readable GeoPackage (no gpkg_contents table)");
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            std::string name = columnText(s.get(), 0);
            tables.push_back(name);
            if (o.table.empty() && (wanted.empty() || name == wanted)) {
                o.table = name;
                identifier = columnText(s.get(), 1);
                description = columnText(s.get(), 2);
            }
        }
    }
    if (tables.empty()) throw FormatError(path, wanted, "the GeoPackage has no tiles table");
    if (o.table.empty()) {
        std::string list;
        for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
        throw FormatError(path, wanted, "no such tiles table in the GeoPackage (tiles tables: " + list + ")");
    }
    if (!identifier.empty()) o.metadata["identifier"] = identifier;
    if (!description.empty()) o.metadata["description"] = description;

    Stmt set = prepare(db,
                       "SELECT s.organization, s.organization_coordsys_id, s.definition, m.srs_id, m.min_x, m.max_y "
                       "FROM gpkg_tile_matrix_set m LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = m.srs_id "
                       "WHERE m.table_name = ?");
    if (!set) throw FormatError(path, o.table, "the GeoPackage has no gpkg_tile_matrix_set table");
    sqlite3_bind_text(set.get(), 1, o.table.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(set.get()) != SQLITE_ROW)
        throw FormatError(path, o.table, "the tiles table has no row in gpkg_tile_matrix_set");
    std::string organization = columnText(set.get(), 0);
    int code = sqlite3_column_int(set.get(), 1);
    std::string definition = columnText(set.get(), 2);
    int srsId = sqlite3_column_int(set.get(), 3);
    double originX = sqlite3_column_double(set.get(), 4), originY = sqlite3_column_double(set.get(), 5);
    std::string org = organization;
    std::transform(org.begin(), org.end(), org.begin(), [](unsigned char c) { return std::toupper(c); });
    if (org == "EPSG" && code > 0)
        o.grid.crs = "EPSG:" + std::to_string(code);
    else if (!definition.empty() && definition != "undefined")
        o.grid.crs = definition;
    else
        o.grid.crs = "EPSG:" + std::to_string(srsId);

    Stmt m = prepare(db,
                     "SELECT zoom_level, matrix_width, matrix_height, tile_width, tile_height, pixel_x_size "
                     "FROM gpkg_tile_matrix WHERE table_name = ? ORDER BY zoom_level");
    if (!m) throw FormatError(path, o.table, "the GeoPackage has no gpkg_tile_matrix table");
    sqlite3_bind_text(m.get(), 1, o.table.c_str(), -1, SQLITE_TRANSIENT);
    int lastZoom = 0;
    while (sqlite3_step(m.get()) == SQLITE_ROW) {
        int zoom = sqlite3_column_int(m.get(), 0);
        TileMatrix level;
        level.id = std::to_string(zoom);
        level.matrixWidth = sqlite3_column_int(m.get(), 1);
        level.matrixHeight = sqlite3_column_int(m.get(), 2);
        level.resolution = sqlite3_column_double(m.get(), 5);
        level.originX = originX;
        level.originY = originY;
        if (level.matrixWidth < 1 || level.matrixHeight < 1 || !(level.resolution > 0))
            throw FormatError(path, o.table, "gpkg_tile_matrix zoom level " + level.id + " has no valid size");
        if (o.grid.levels.empty()) {
            o.zoomOffset = zoom;
            o.grid.tileWidth = sqlite3_column_int(m.get(), 3);
            o.grid.tileHeight = sqlite3_column_int(m.get(), 4);
        } else {
            // Levels are indexed by zoom_level - the first; a gap gets a level of its own that the file has no
            // tiles for (each missing level halves the one above, as GeoPackage's zoom levels usually do).
            while (++lastZoom < zoom) {
                TileMatrix gap = o.grid.levels.back();
                gap.id = std::to_string(lastZoom);
                gap.resolution /= 2;
                gap.matrixWidth *= 2;
                gap.matrixHeight *= 2;
                o.grid.levels.push_back(gap);
            }
        }
        lastZoom = zoom;
        o.grid.levels.push_back(level);
    }
    if (o.grid.levels.empty())
        throw FormatError(path, o.table, "the tiles table has no zoom level in gpkg_tile_matrix");
    o.grid.minLevel = 0;
    return o;
}

}  // namespace

// [SECTION] TileFile

std::unique_ptr<TileFile> TileFile::open(const std::string& path, const std::string& table) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw IoError(path, "", "no such file");
    std::unique_ptr<TileFile> f(new TileFile());
    int rc = sqlite3_open_v2(path.c_str(), &f->db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = f->db_ ? sqlite3_errmsg(f->db_) : sqlite3_errstr(rc);
        throw IoError(path, "", "cannot open the tile file (" + why + ")");
    }
    sqlite3_busy_timeout(f->db_, 5000);
    std::string error;
    Stmt probe = prepare(f->db_, "SELECT count(*) FROM sqlite_master", &error);
    if (!probe || sqlite3_step(probe.get()) != SQLITE_ROW) {
        if (error.empty()) error = sqlite3_errmsg(f->db_);
        throw FormatError(path, "", "not an MBTiles or GeoPackage file (not an SQLite database: " + error + ")");
    }
    probe.reset();
    Opened o;
    if (hasTable(f->db_, "gpkg_contents"))
        o = openGpkgTiles(f->db_, path, table);
    else if (hasTable(f->db_, "tiles"))
        o = openMBTiles(f->db_, path);
    else
        throw FormatError(path, "", "not an MBTiles or GeoPackage file (no tiles table, no gpkg_contents)");
    f->grid_ = std::move(o.grid);
    f->metadata_ = std::move(o.metadata);
    f->table_ = std::move(o.table);
    f->tms_ = o.tms;
    f->zoomOffset_ = o.zoomOffset;
    return f;
}

TileFile::~TileFile() {
    sqlite3_close_v2(db_);
}

std::optional<std::vector<uint8_t>> TileFile::read(const TileKey& k) const {
    if (k.z < 0 || k.z > grid_.maxLevel() || k.x < 0 || k.y < 0) return std::nullopt;
    const TileMatrix& m = grid_.levels[k.z];
    if (k.x >= m.matrixWidth || k.y >= m.matrixHeight) return std::nullopt;
    int zoom = k.z + zoomOffset_;
    int row = k.y;
    if (tms_) row = (1 << k.z) - 1 - k.y;
    std::lock_guard<std::mutex> lock(mutex_);
    Stmt s = prepare(db_,
                     "SELECT tile_data FROM " + quoteIdentifier(table_) +
                         " WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?");
    if (!s) return std::nullopt;
    sqlite3_bind_int(s.get(), 1, zoom);
    sqlite3_bind_int(s.get(), 2, k.x);
    sqlite3_bind_int(s.get(), 3, row);
    if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s.get(), 0));
    int n = sqlite3_column_bytes(s.get(), 0);
    if (!p || n <= 0) return std::nullopt;
    return std::vector<uint8_t>(p, p + n);
}

std::string TileFile::attribution() const {
    auto it = metadata_.find("attribution");
    return it == metadata_.end() ? std::string() : it->second;
}

// [SECTION] MBTilesWriter

namespace {

constexpr int kBatch = 256;  // puts per transaction

void exec(sqlite3* db, const char* sql, const char* what) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string why = err ? err : sqlite3_errmsg(db);
        sqlite3_free(err);
        throw IoError(sqlite3_db_filename(db, "main") ? sqlite3_db_filename(db, "main") : "",
                      "",
                      std::string(what) + " (" + why + ")");
    }
}

}  // namespace

MBTilesWriter::MBTilesWriter(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw IoError(path, "", "cannot create the MBTiles file (" + why + ")");
    }
    sqlite3_busy_timeout(db_, 5000);
    try {
        // A rollback journal, not WAL: the file is one file when the pack ends, readable from read-only media.
        exec(db_, "PRAGMA journal_mode=DELETE", "not an MBTiles file that can be written");
        exec(db_, "PRAGMA synchronous=NORMAL", "cannot set up the MBTiles file");
        exec(db_,
             "CREATE TABLE IF NOT EXISTS metadata (name text, value text);"
             "CREATE TABLE IF NOT EXISTS tiles (zoom_level integer, tile_column integer, tile_row integer, "
             "tile_data blob);"
             "CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row);",
             "cannot create the MBTiles tables");
    } catch (...) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

MBTilesWriter::~MBTilesWriter() {
    try {
        commit();
    } catch (...) {
        // A destructor cannot report; the last batch is rolled back by SQLite and a rerun fetches it again.
    }
    sqlite3_close_v2(db_);
}

bool MBTilesWriter::has(const TileKey& k) const {
    Stmt s = prepare(db_, "SELECT 1 FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?");
    if (!s) return false;
    sqlite3_bind_int(s.get(), 1, k.z);
    sqlite3_bind_int(s.get(), 2, k.x);
    sqlite3_bind_int(s.get(), 3, (1 << k.z) - 1 - k.y);
    return sqlite3_step(s.get()) == SQLITE_ROW;
}

void MBTilesWriter::put(const TileKey& k, const std::vector<uint8_t>& data) {
    if (pending_ == 0) exec(db_, "BEGIN", "cannot write to the MBTiles file");
    std::string error;
    Stmt s = prepare(
        db_, "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)", &error);
    if (!s) throw IoError(sqlite3_db_filename(db_, "main"), "", "cannot write a tile (" + error + ")");
    sqlite3_bind_int(s.get(), 1, k.z);
    sqlite3_bind_int(s.get(), 2, k.x);
    sqlite3_bind_int(s.get(), 3, (1 << k.z) - 1 - k.y);
    sqlite3_bind_blob(s.get(), 4, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(s.get()) != SQLITE_DONE)
        throw IoError(
            sqlite3_db_filename(db_, "main"), "", std::string("cannot write a tile (") + sqlite3_errmsg(db_) + ")");
    if (++pending_ >= kBatch) commit();
}

void MBTilesWriter::setMetadata(const std::map<std::string, std::string>& m) {
    for (const auto& [name, value] : m) {
        Stmt del = prepare(db_, "DELETE FROM metadata WHERE name = ?");
        Stmt ins = prepare(db_, "INSERT INTO metadata (name, value) VALUES (?, ?)");
        if (!del || !ins)
            throw IoError(sqlite3_db_filename(db_, "main"),
                          "",
                          std::string("cannot write the metadata (") + sqlite3_errmsg(db_) + ")");
        sqlite3_bind_text(del.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.get(), 2, value.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(del.get()) != SQLITE_DONE || sqlite3_step(ins.get()) != SQLITE_DONE)
            throw IoError(sqlite3_db_filename(db_, "main"),
                          "",
                          std::string("cannot write the metadata (") + sqlite3_errmsg(db_) + ")");
    }
}

void MBTilesWriter::commit() {
    if (pending_ == 0) return;
    pending_ = 0;
    exec(db_, "COMMIT", "cannot write to the MBTiles file");
}

}  // namespace geo

#pragma once
// Local tile files through SQLite: MBTiles 1.3 (read and write; TMS rows in the file, XYZ rows here) and
// GeoPackage tile pyramids (read). Thread-safe for reads (one connection per call or a mutex).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tiles/tile_grid.hpp"

struct sqlite3;

namespace geo {

class TileFile {
public:
    // Opens an MBTiles or a GeoPackage (its tiles table `table`, "" = the first) read-only. Throws IoError /
    // FormatError naming the file and what is wrong.
    static std::unique_ptr<TileFile> open(const std::string& path, const std::string& table = "");
    ~TileFile();
    const TileGrid& grid() const { return grid_; }
    // MBTiles metadata (name, format, bounds, minzoom, maxzoom, attribution...); GeoPackage: identifier,
    // description from gpkg_contents.
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    // Encoded tile at (z, x, y) with y from the top; nullopt when the file has none.
    std::optional<std::vector<uint8_t>> read(const TileKey& k) const;
    std::string attribution() const;

private:
    TileFile() = default;
    sqlite3* db_ = nullptr;
    std::string table_;  // "tiles" (MBTiles) or the gpkg table
    bool tms_ = false;   // MBTiles: rows counted from the bottom
    int zoomOffset_ = 0; // level index -> zoom_level in the file
    TileGrid grid_;
    std::map<std::string, std::string> metadata_;
    mutable std::mutex mutex_;
};

// Writes an MBTiles file (resumable: reopening an existing file keeps its tiles). Not thread-safe: one writer.
class MBTilesWriter {
public:
    // Creates or reopens `path`; throws IoError.
    explicit MBTilesWriter(const std::string& path);
    ~MBTilesWriter();
    bool has(const TileKey& k) const;  // y from the top (XYZ)
    void put(const TileKey& k, const std::vector<uint8_t>& data);
    // Sets (replaces) metadata rows: name, format (png|jpg|webp), bounds "minlon,minlat,maxlon,maxlat",
    // minzoom, maxzoom, attribution, type=baselayer, version.
    void setMetadata(const std::map<std::string, std::string>& m);
    // Commits the pending batch (also done every few hundred puts and by the destructor).
    void commit();

private:
    sqlite3* db_ = nullptr;
    int pending_ = 0;
};

}  // namespace geo

#include "source/shapefile_check.hpp"

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

// The sibling of `p` with extension `ext` (".dbf") in lower or upper case; empty when neither exists.
fs::path sibling(const fs::path& p, std::string ext) {
    std::error_code ec;
    fs::path lower = p;
    lower.replace_extension(ext);
    if (fs::exists(lower, ec)) return lower;
    for (auto& ch : ext) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    fs::path upper = p;
    upper.replace_extension(ext);
    if (fs::exists(upper, ec)) return upper;
    return {};
}

uint32_t le32(const unsigned char* b) {
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}
uint16_t le16(const unsigned char* b) { return static_cast<uint16_t>(b[0] | b[1] << 8); }

}  // namespace

std::string dbfDamage(const std::string& shpPath) {
    const fs::path dbf = sibling(fs::path(shpPath), ".dbf");
    if (dbf.empty()) return "";
    const std::string name = dbf.filename().string();
    const std::string tail = "; drawn without attributes";
    std::error_code ec;
    const uintmax_t size = fs::file_size(dbf, ec);
    if (ec) return name + " (the attribute table) cannot be read: " + ec.message() + tail;
    if (size == 0) return name + " (the attribute table) is empty" + tail;
    unsigned char h[32] = {};
    std::ifstream in(dbf, std::ios::binary);
    in.read(reinterpret_cast<char*>(h), sizeof h);
    if (size < sizeof h || !in)
        return name + " (the attribute table) is cut short: " + std::to_string(size) +
               " bytes, less than its 32-byte header" + tail;
    const uint32_t records = le32(h + 4);
    const uint16_t headerBytes = le16(h + 8), recordBytes = le16(h + 10);
    // The header is 32 bytes, 32 per field, and a terminator; a record is a deletion flag and the fields.
    if (headerBytes < 33 || headerBytes > size || recordBytes == 0)
        return name + " (the attribute table) has a damaged header (header " + std::to_string(headerBytes) +
               " bytes, records " + std::to_string(recordBytes) + " bytes, file " + std::to_string(size) + " bytes)" +
               tail;
    const uintmax_t held = (size - headerBytes) / recordBytes;
    if (records > held)
        return name + " (the attribute table) claims " + std::to_string(records) + " records but holds " +
               std::to_string(held) + tail;
    return "";
}

ShapeWithoutDbf::ShapeWithoutDbf(const std::string& shpPath) {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "planatlas-shp-XXXXXX").string();
    if (ec || !::mkdtemp(pattern.data())) throw IoError(shpPath, "", "cannot make a temporary folder to read it");
    dir_ = pattern;
    try {
        const fs::path shp = fs::absolute(fs::path(shpPath));
        for (const char* ext : {".shp", ".shx", ".prj", ".cpg"}) {
            const fs::path from = sibling(shp, ext);
            if (from.empty()) continue;
            const fs::path to = fs::path(dir_) / from.filename();
            fs::create_symlink(from, to);
            if (std::string(ext) == ".shp") path_ = to.string();
        }
        if (path_.empty()) path_ = (fs::path(dir_) / shp.filename()).string();
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(dir_, ec);
        throw IoError(shpPath, "", std::string("cannot link the Shapefile's parts to read it: ") + e.what());
    }
}

ShapeWithoutDbf::~ShapeWithoutDbf() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

}  // namespace geo

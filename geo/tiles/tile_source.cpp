#include "tiles/tile_source.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>

namespace geo {

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

}  // namespace

bool isTileSourceString(const std::string& source) {
    std::string l = lower(source);
    if (l.rfind("wmts:", 0) == 0) return true;
    bool url = l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0;
    if (url && (l.find("service=wmts") != std::string::npos || l.find("wmtscapabilities.xml") != std::string::npos))
        return true;
    if (l.find("{z}") != std::string::npos && l.find("{x}") != std::string::npos &&
        (l.find("{y}") != std::string::npos || l.find("{-y}") != std::string::npos))
        return true;
    return !url && endsWith(l, ".mbtiles");
}

bool isGpkgTiles(const std::string& path, const std::string& table) {
    if (!endsWith(lower(path), ".gpkg")) return false;
    sqlite3* db = nullptr;
    bool found = false;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        const char* sql = "SELECT table_name FROM gpkg_contents WHERE data_type = 'tiles'";
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                const unsigned char* name = sqlite3_column_text(st, 0);
                if (table.empty() || (name && table == reinterpret_cast<const char*>(name))) {
                    found = true;
                    break;
                }
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return found;
}

std::string expandTileUrl(const std::string& tmpl, const TileKey& k, const TileOptions& o, const std::string& key,
                          const std::string& matrixId) {
    std::string u = tmpl;
    std::string z = matrixId.empty() ? std::to_string(k.z) : matrixId;
    replaceAll(u, "{z}", z);
    replaceAll(u, "{x}", std::to_string(k.x));
    replaceAll(u, "{y}", std::to_string(k.y));
    if (u.find("{-y}") != std::string::npos) replaceAll(u, "{-y}", std::to_string((1 << k.z) - 1 - k.y));
    replaceAll(u, "{TileMatrix}", z);
    replaceAll(u, "{TileRow}", std::to_string(k.y));
    replaceAll(u, "{TileCol}", std::to_string(k.x));
    if (u.find("{s}") != std::string::npos) {
        std::string s;
        if (!o.subdomains.empty()) s = std::string(1, o.subdomains[size_t(k.x + k.y) % o.subdomains.size()]);
        replaceAll(u, "{s}", s);
    }
    replaceAll(u, "{r}", o.tileSize >= 512 ? "@2x" : "");
    replaceAll(u, "{key}", key);
    return u;
}

std::string redactTileUrl(const std::string& url) {
    std::string out = url;
    static const char* names[] = {"tk=", "key=", "access_token=", "apikey=", "api_key=", "token="};
    size_t q = out.find('?');
    if (q == std::string::npos) return out;
    size_t p = q + 1;
    while (p < out.size()) {
        size_t end = out.find('&', p);
        if (end == std::string::npos) end = out.size();
        std::string param = lower(out.substr(p, end - p));
        for (const char* n : names) {
            size_t len = std::char_traits<char>::length(n);
            if (param.compare(0, len, n) == 0) {
                out.replace(p + len, end - p - len, "{key}");
                end = p + len + 5;
                break;
            }
        }
        p = end + 1;
    }
    return out;
}

std::string tileUrlKey(const std::string& url) {
    std::string redacted = redactTileUrl(url);
    // Both strings agree up to the first "{key}"; the key is what the original has there, up to the next '&'.
    size_t at = redacted.find("{key}");
    if (at == std::string::npos || url.compare(at, 5, "{key}") == 0) return "";
    size_t end = url.find_first_of("&#", at);
    return url.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::string urlHost(const std::string& url) {
    size_t s = url.find("://");
    if (s == std::string::npos) return "";
    size_t start = s + 3;
    size_t end = url.find_first_of("/?#", start);
    std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    size_t at = host.rfind('@');
    if (at != std::string::npos) host = host.substr(at + 1);
    if (!host.empty() && host[0] == '[') {
        size_t close = host.find(']');
        return host.substr(0, close == std::string::npos ? host.size() : close + 1);
    }
    size_t colon = host.find(':');
    return lower(colon == std::string::npos ? host : host.substr(0, colon));
}

}  // namespace geo

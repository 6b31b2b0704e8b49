#include "project/reach.hpp"
#include "tiles/tile_source.hpp"

#include <cpl_conv.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

#include "source/postgis.hpp"
#include "source/remote_source.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

// A description file bigger than this is read only this far for URLs (VRTs and tile-service XML are small).
constexpr size_t kMaxScannedBytes = 4 << 20;
// A VRT naming a VRT naming a VRT: followed this deep.
constexpr int kMaxDepth = 3;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void addOnce(std::vector<std::string>& list, const std::string& item) {
    if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

std::string config(const char* key, const char* fallback) {
    const char* v = CPLGetConfigOption(key, nullptr);
    return v && *v ? std::string(v) : std::string(fallback);
}

// "host:port" of the URL whose authority starts at text[at] (just after "://").
std::string authorityHost(const std::string& text, size_t at, const std::string& scheme) {
    size_t end = at;
    while (end < text.size() && !std::strchr("/?#\"'<> \t\r\n\\", text[end])) ++end;
    std::string authority = text.substr(at, end - at);
    if (size_t userinfo = authority.rfind('@'); userinfo != std::string::npos) authority.erase(0, userinfo + 1);
    if (authority.empty()) return {};
    const size_t bracket = authority.rfind(']');
    const size_t colon = authority.rfind(':');
    const bool hasPort = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
    if (hasPort) return lower(authority);
    const char* port = scheme == "https" ? "443" : scheme == "http" ? "80" : scheme == "ftps" ? "990" : "21";
    return lower(authority) + ":" + port;
}

// Every URL host in `text`, also URL-encoded ones ("url=https%3A%2F%2Fhost%2F..." in /vsicurl?...).
void scanUrls(const std::string& text, std::vector<std::string>& hosts) {
    static const std::regex kUrl(R"(\b(https?|ftps?)(://|%3a%2f%2f))", std::regex::icase);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kUrl); it != std::sregex_iterator(); ++it) {
        const size_t at = static_cast<size_t>(it->position(0) + it->length(0));
        if (lower((*it)[2].str()) == "://") {
            addOnce(hosts, authorityHost(text, at, lower((*it)[1].str())));
            continue;
        }
        // Encoded: the authority ends at the next encoded '/' ("%2F"); "%3A" is its port's colon.
        std::string rest = text.substr(at);
        rest = rest.substr(0, lower(rest).find("%2f"));
        std::string decoded;
        for (size_t i = 0; i < rest.size(); ++i) {
            if (rest[i] == '%' && i + 2 < rest.size() && std::isxdigit(static_cast<unsigned char>(rest[i + 1])) &&
                std::isxdigit(static_cast<unsigned char>(rest[i + 2]))) {
                decoded += static_cast<char>(std::stoi(rest.substr(i + 1, 2), nullptr, 16));
                i += 2;
            } else {
                decoded += rest[i];
            }
        }
        addOnce(hosts, authorityHost(decoded + "/", 0, lower((*it)[1].str())));
    }
}

// The cloud stores' endpoints, as GDAL's configuration names them (or its default).
void scanCloudStores(const std::string& text, std::vector<std::string>& hosts) {
    auto withPort = [](std::string host) {
        if (size_t s = host.find("://"); s != std::string::npos) host.erase(0, s + 3);
        host = host.substr(0, host.find('/'));
        return host.find(':') == std::string::npos ? lower(host) + ":443" : lower(host);
    };
    if (text.find("/vsis3") != std::string::npos) addOnce(hosts, withPort(config("AWS_S3_ENDPOINT", "s3.amazonaws.com")));
    if (text.find("/vsigs") != std::string::npos) addOnce(hosts, "storage.googleapis.com:443");
    if (text.find("/vsiaz") != std::string::npos)
        addOnce(hosts, withPort(config("AZURE_STORAGE_ACCOUNT", "*") + ".blob.core.windows.net"));
    if (text.find("/vsiadls") != std::string::npos)
        addOnce(hosts, withPort(config("AZURE_STORAGE_ACCOUNT", "*") + ".dfs.core.windows.net"));
    if (text.find("/vsioss") != std::string::npos) addOnce(hosts, withPort(config("OSS_ENDPOINT", "oss-us-east-1.aliyuncs.com")));
    if (text.find("/vsiswift") != std::string::npos) {
        std::vector<std::string> swift;
        scanUrls(config("SWIFT_STORAGE_URL", ""), swift);
        addOnce(hosts, swift.empty() ? std::string("OpenStack Swift (SWIFT_STORAGE_URL)") : swift.front());
    }
}

// A libpq keyword's value in "key=value key='v a l'" text, or "".
std::string pgValue(const std::string& conninfo, const std::string& key) {
    static const std::regex kPair(R"((?:^|[\s:])([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']*))");
    for (auto it = std::sregex_iterator(conninfo.begin(), conninfo.end(), kPair); it != std::sregex_iterator(); ++it) {
        if (lower((*it)[1].str()) != key) continue;
        std::string v = (*it)[2].str();
        if (v.size() >= 2 && v.front() == '\'') v = v.substr(1, v.size() - 2);
        return v;
    }
    return {};
}

std::vector<std::string> databaseHosts(const std::string& source) {
    const std::string conninfo = redactConnection(source.substr(3));
    std::vector<std::string> hosts;
    static const std::regex kUri(R"(postgres(?:ql)?://(?:[^@/\s]*@)?([^/?\s]*))", std::regex::icase);
    std::smatch m;
    if (std::regex_search(conninfo, m, kUri)) {
        std::string authority = m[1].str();
        if (authority.empty()) return {"PostgreSQL default server (PGHOST or the local socket)"};
        for (size_t start = 0; start <= authority.size();) {  // host1:5432,host2:5433
            const size_t comma = std::min(authority.find(',', start), authority.size());
            std::string h = authority.substr(start, comma - start);
            addOnce(hosts, h.find(':') == std::string::npos ? lower(h) + ":5432" : lower(h));
            start = comma + 1;
        }
        return hosts;
    }
    std::string host = pgValue(conninfo, "host");
    if (host.empty()) host = pgValue(conninfo, "hostaddr");
    const std::string port = pgValue(conninfo, "port");
    const std::string service = pgValue(conninfo, "service");
    if (host.empty() && !service.empty()) return {"service " + service};
    if (host.empty()) return {"PostgreSQL default server (PGHOST or the local socket)"};
    for (size_t start = 0; start <= host.size();) {
        const size_t comma = std::min(host.find(',', start), host.size());
        addOnce(hosts, lower(host.substr(start, comma - start)) + ":" + (port.empty() ? "5432" : port));
        start = comma + 1;
    }
    return hosts;
}

// Other database servers GDAL connects to by a "DRIVER:" connection string: the host or server it names.
bool otherDatabaseHosts(const std::string& source, std::vector<std::string>& hosts) {
    static const std::regex kDriver(R"(^(MySQL|MSSQL|OCI|ODBC|MongoDBv3|MongoDB|HANA|SDE|IDB):)", std::regex::icase);
    std::smatch m;
    if (!std::regex_search(source, m, kDriver)) return false;
    static const std::regex kHost(R"((?:^|[\s,;:])(?:host|server|hostname)\s*=\s*([^\s,;']+))", std::regex::icase);
    std::smatch h;
    addOnce(hosts, std::regex_search(source, h, kHost) ? lower(h[1].str()) : m[1].str() + " server");
    return true;
}

bool hasDescriptionExtension(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    return ext == ".vrt" || ext == ".xml";
}

std::string readHead(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::string text(kMaxScannedBytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    return text;
}

struct SourceReach {
    std::vector<std::string> hosts;
    std::vector<std::string> files;  // local files read (absolute)
};

void analyse(const std::string& source, const std::string& baseDir, int depth, SourceReach& out);

// The files a VRT (raster or OGR) names, relative ones taken from the VRT's folder; each analysed in turn.
void analyseDescription(const std::string& file, int depth, SourceReach& out) {
    const std::string text = readHead(file);
    scanUrls(text, out.hosts);
    scanCloudStores(text, out.hosts);
    static const std::regex kSource(R"(<(SourceFilename|SrcDataSource|SourceDataset)([^>]*)>\s*([^<]*?)\s*</\1>)",
                                    std::regex::icase);
    const std::string folder = fs::path(file).parent_path().string();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kSource); it != std::sregex_iterator(); ++it) {
        const std::string attributes = lower((*it)[2].str());
        const bool relative = attributes.find("relativetovrt=\"1\"") != std::string::npos ||
                              attributes.find("relativetovrt='1'") != std::string::npos;
        std::string named = (*it)[3].str();
        if (named.empty()) continue;
        if (!relative && !fs::path(named).is_absolute() && named.rfind("/vsi", 0) != 0 && !isDatabaseSource(named))
            named = (fs::current_path() / named).string();  // GDAL takes it from the working folder
        analyse(named, folder, depth + 1, out);
    }
}

void analyse(const std::string& source, const std::string& baseDir, int depth, SourceReach& out) {
    if (source.empty() || depth > kMaxDepth) return;
    if (isDatabaseSource(source)) {
        for (const auto& h : databaseHosts(source)) addOnce(out.hosts, h);
        return;
    }
    if (otherDatabaseHosts(source, out.hosts)) return;
    const size_t before = out.hosts.size();
    scanUrls(source, out.hosts);
    if (isNetworkPath(source)) scanCloudStores(source, out.hosts);
    if (out.hosts.size() > before || isNetworkPath(source)) return;
    const std::string file = localFileOf(source, baseDir);
    if (file.empty()) return;
    addOnce(out.files, file);
    std::error_code ec;
    if (hasDescriptionExtension(file) && fs::is_regular_file(file, ec)) analyseDescription(file, depth, out);
}

uint64_t fnv1a(const std::string& text) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace

bool isNetworkSource(const std::string& source) { return !sourceHosts(source).empty(); }

std::vector<std::string> sourceHosts(const std::string& source) {
    SourceReach r;
    analyse(source, "", 0, r);
    if (r.hosts.empty() && (isNetworkPath(source) || isDatabaseSource(source))) r.hosts.push_back(redactConnection(source));
    return r.hosts;
}

std::string localFileOf(const std::string& source, const std::string& baseDir) {
    if (source.empty() || isDatabaseSource(source) || isNetworkPath(source)) return {};
    std::string path = source;
    if (path.rfind("/vsimem/", 0) == 0) return {};
    static const char* kArchives[] = {"/vsizip/", "/vsigzip/", "/vsitar/", "/vsi7z/", "/vsirar/"};
    bool archive = false;
    for (const char* prefix : kArchives) {
        const std::string p = prefix;
        if (path.rfind(p, 0) != 0) continue;
        path.erase(0, p.size());
        archive = true;
        break;
    }
    if (archive) {
        if (!path.empty() && path.front() == '{') {
            path = path.substr(1, path.find('}') - 1);  // {/data/a.zip}/inner
        } else {
            // The archive is the first prefix of the path that is a file: /data/a.zip/inner/x.shp -> /data/a.zip.
            std::error_code ec;
            for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
                const std::string head = path.substr(0, slash);
                if (fs::is_regular_file(head.front() == '/' ? head : (fs::path(baseDir) / head).string(), ec)) {
                    path = head;
                    break;
                }
            }
        }
    } else if (path.rfind("/vsisubfile/", 0) == 0 && path.find(',') != std::string::npos) {
        path = path.substr(path.find(',') + 1);
    } else if (path.rfind("/vsi", 0) != 0) {
        // "GPKG:/data/x.gpkg:table", NETCDF:"a.nc":var: a driver prefix before the file.
        static const std::regex kDriverPrefix(R"(^[A-Za-z][A-Za-z0-9_]+:\"?([^\":]+))");
        std::smatch m;
        if (!fs::exists(fs::path(baseDir) / path) && std::regex_search(path, m, kDriverPrefix)) path = m[1].str();
    }
    fs::path p(path);
    if (p.is_relative() && path.rfind("/vsi", 0) != 0) p = (baseDir.empty() ? fs::current_path() : fs::path(baseDir)) / p;
    return p.lexically_normal().string();
}

bool isInsideFolder(const std::string& path, const std::string& folder) {
    if (path.empty() || folder.empty()) return false;
    std::error_code ec1, ec2;
    const fs::path file = fs::weakly_canonical(fs::absolute(path), ec1);
    const fs::path dir = fs::weakly_canonical(fs::absolute(folder), ec2);
    if (ec1 || ec2) return false;
    const fs::path rel = file.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

std::vector<ReachTarget> projectReach(const Project& project, const std::string& projectPath) {
    std::vector<ReachTarget> network, outside;
    auto add = [](std::vector<ReachTarget>& list, ReachTarget::Kind kind, const std::string& where,
                  const std::string& layer) {
        auto it = std::find_if(list.begin(), list.end(), [&](const ReachTarget& t) { return t.where == where; });
        if (it == list.end()) it = list.insert(list.end(), ReachTarget{kind, where, {}});
        addOnce(it->layers, layer);
    };
    std::string folder;
    if (!projectPath.empty()) folder = fs::absolute(fs::path(projectPath)).lexically_normal().parent_path().string();
    for (const auto& l : project.layers) {
        // A basemap that is off contacts nothing until the user turns it on (the bundled project lists some).
        if (!l.visible && isTileSourceString(l.source)) continue;
        SourceReach r;
        analyse(l.source, folder, 0, r);
        for (const auto& h : r.hosts) add(network, ReachTarget::Network, h, l.name);
        if (folder.empty()) continue;
        for (const auto& f : r.files)
            if (!isInsideFolder(f, folder)) add(outside, ReachTarget::OutsideFolder, f, l.name);
    }
    network.insert(network.end(), outside.begin(), outside.end());
    return network;
}

std::vector<ReachTarget> networkReach(const std::vector<ReachTarget>& reach) {
    std::vector<ReachTarget> out;
    for (const auto& t : reach)
        if (t.kind == ReachTarget::Network) out.push_back(t);
    return out;
}

std::string describeReach(const std::vector<ReachTarget>& reach) {
    std::string out;
    for (const auto& t : reach) {
        if (!out.empty()) out += "\n";
        out += t.where + " (" + (t.layers.size() == 1 ? "layer " : "layers ");
        for (size_t i = 0; i < t.layers.size(); ++i) out += (i ? ", " : "") + t.layers[i];
        out += ")";
    }
    return out;
}

std::string reachFingerprint(const std::vector<ReachTarget>& reach) {
    std::vector<std::string> keys;
    for (const auto& t : reach) keys.push_back((t.kind == ReachTarget::Network ? "n:" : "f:") + t.where);
    std::sort(keys.begin(), keys.end());
    std::string all;
    for (const auto& k : keys) all += k + '\n';
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(all)));
    return hex;
}

}  // namespace geo

#pragma once
// Where a project reaches: the hosts its layers contact and the local files outside its own folder tree. A
// project received by mail can name any source, so the viewer lists these and asks before reading them, the
// commands name every host they contact, and --offline refuses network sources (app/cli/reach_check.hpp).
//
// Network sources: GDAL's network file systems (/vsicurl/, /vsis3/, ... see isNetworkPath), URLs (http, https,
// ftp; also inside GDAL connection strings such as "WMS:https://..." and tile URL templates with {z}/{x}/{y}),
// database connections ("PG:..."), and local GDAL description files (.vrt, .xml: VRT, WMS/TMS tile services) whose
// text names a URL. Passwords never appear in anything these functions return (geo::redactConnection).
//
// Limits: a local file format that fetches on its own without naming a URL in a .vrt or .xml (none of GDAL's
// drivers this project reads do) would not be seen; a PG: source's host is what the connection string says
// (a pg_service.conf entry is named by its service).
#include <string>
#include <vector>

#include "project/project.hpp"

namespace geo {

// True when reading `source` contacts a server.
bool isNetworkSource(const std::string& source);

// The servers reading `source` contacts, as "host:port" (URLs: the scheme's port when none is given; PG: 5432
// or the given port; "/run/postgresql:5432" for a local socket; "service NAME" for a pg_service.conf entry; the
// cloud store's endpoint for /vsis3/ and the like). Empty for a local source.
std::vector<std::string> sourceHosts(const std::string& source);

// The local file `source` reads (absolute, lexically normal; archives: /vsizip/a.zip/x.shp -> a.zip), or "" for a
// network or in-memory source. Relative sources are taken from `baseDir`.
std::string localFileOf(const std::string& source, const std::string& baseDir = "");

// True when `path` is `folder` or lies under it, after resolving symbolic links (a link in the folder to /etc is
// outside).
bool isInsideFolder(const std::string& path, const std::string& folder);

struct ReachTarget {
    enum Kind { Network, OutsideFolder } kind = Network;
    std::string where;                // Network: a host as sourceHosts() names it; OutsideFolder: the file
    std::vector<std::string> layers;  // names of the layers that read it, in project order
    bool operator==(const ReachTarget&) const = default;
};

// Every host the project's layers contact and every local file outside the folder of `projectPath` that they
// read, each once (network first, then files, each in project order). Nothing is outside for an empty
// projectPath (layers given on the command line, not by a project file).
std::vector<ReachTarget> projectReach(const Project& project, const std::string& projectPath);

// The network targets of `reach` only.
std::vector<ReachTarget> networkReach(const std::vector<ReachTarget>& reach);

// "host (layer A, layer B)" lines, one per target, for messages.
std::string describeReach(const std::vector<ReachTarget>& reach);

// A short stable digest of the list (16 hex digits): a decision remembered for one list is not taken for another
// (a project edited to reach somewhere new asks again).
std::string reachFingerprint(const std::vector<ReachTarget>& reach);

}  // namespace geo

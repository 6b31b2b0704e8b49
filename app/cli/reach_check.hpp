#pragma once
// The commands' side of where a project reaches (geo/project/reach.hpp): before any layer is read, every host
// the layers will contact is named on stderr, one line per host ("planatlas: contacting host 127.0.0.1:8080
// (layer roads)"); with --offline nothing is contacted and the command stops with one line naming the network
// sources (exit code 1). Local files outside the project's folder are read without a word: the command line
// names the project, and the viewer is where a received project is first opened and asked about.
#include <stdexcept>
#include <string>

#include "project/project.hpp"

namespace app::cli {

// A project (or command-line layer) that needs the network while --offline is set.
class OfflineRefusal : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The one-line refusal for the network targets of `project`, or "" when it reads none.
std::string offlineRefusal(const geo::Project& project);

// Throws OfflineRefusal when `offline` and the project reads network sources; otherwise prints the hosts.
void announceReach(const geo::Project& project, bool offline);

}  // namespace app::cli

// project_save_loop DIR FIRST_VERSION: saves DIR/plan.atlas.json (with its markup sidecar) as version FIRST_VERSION,
// FIRST_VERSION + 1, ... until killed, writing one byte to stdout after each completed save. Every name in version
// N carries N, so a reader can tell a whole version from a mix of two. Used only by save_kill_test.cpp, which kills
// it with SIGKILL at random points and counts the bytes to know which versions were complete.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "project/project.hpp"

namespace {

constexpr int kLayers = 400;  // ~120 KB of JSON: the write takes long enough to be hit
constexpr int kNotes = 30;

geo::Project version(long n) {
    geo::Project p;
    p.title = "version " + std::to_string(n);
    for (int i = 0; i < kLayers; ++i) {
        geo::ProjectLayer l;
        l.name = std::to_string(n) + "-" + std::to_string(i);
        l.source = "data/layer_" + std::to_string(i) + ".geojson";
        l.attribution = "坪山 " + std::to_string(n);
        p.layers.push_back(l);
    }
    for (int j = 0; j < kNotes; ++j) {
        geo::MarkupItem m;
        m.kind = geo::MarkupKind::Text;
        m.lonLat = {114.3 + j * 0.001, 22.7};
        m.text = std::to_string(n) + "-" + std::to_string(j);
        p.markup.push_back(m);
    }
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: project_save_loop DIR FIRST_VERSION\n");
        return 2;
    }
    const std::string path = std::string(argv[1]) + "/plan.atlas.json";
    for (long n = std::strtol(argv[2], nullptr, 10);; ++n) {
        geo::saveProject(version(n), path);
        if (::write(1, "s", 1) != 1) return 1;  // the reader is gone
    }
}

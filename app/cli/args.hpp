#pragma once
// Small helpers for the command line: options are "--name value" pairs, the rest positional.
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/bbox.hpp"
#include "project/project.hpp"

namespace app::cli {

// A command-line mistake: printed as one line, exit code 2.
class UsageError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    Args(int argc, char** argv, int first);
    // The value of --name (consumed); nullopt when absent. Throws UsageError when the value is missing.
    std::optional<std::string> take(const std::string& name);
    bool flag(const std::string& name);
    // Everything not consumed; throws UsageError for an unknown --option.
    std::vector<std::string> rest() const;

private:
    std::vector<std::string> items_;
    std::vector<bool> used_;
};

// Runs a subcommand body and turns its exceptions into the CLI contract: a one-line message on stderr and exit
// code 2 for a UsageError, 1 for anything else (geo::Error messages already name the file and the cause).
template <typename Body>
int runCommand(const char* name, Body body) {
    try {
        return body();
    } catch (const UsageError& e) {
        std::fprintf(stderr, "planatlas %s: %s (see planatlas --help)\n", name, e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "planatlas %s: error: %s\n", name, e.what());
        return 1;
    }
}

geo::BBox parseBBox(const std::string& text);

// --swipe X (the divider at X, 0..1 of the width from the left) with --swipe-left NAMES / --swipe-right NAMES
// (comma-separated layer names); without those, the project's own swipe layers.
struct SwipeOption {
    double position = 0.5;
    std::optional<std::string> left, right;
};
std::optional<SwipeOption> takeSwipe(Args& args);
// The swipe to draw: the option applied to `base` (the project's or a slide's). Throws UsageError for unknown
// layer names or when no layer is on either side.
geo::Swipe resolveSwipe(const SwipeOption& option, const geo::Project& project, geo::Swipe base);
// "WxH" into width and height; throws UsageError when malformed or past the output limits (checkSize).
void parseSize(const std::string& text, int& width, int& height);
// Throws UsageError, starting with `route` (e.g. "--paper A0 --dpi 2400"), when width x height is past the
// output limits of geo/export/limits.hpp: the one check of every output size.
void checkSize(long long width, long long height, const std::string& route);

}  // namespace app::cli

#pragma once
// Typed errors thrown by geo/. Every error names the file (and layer, when known) and the cause, so that the
// job boundary can show it to the user unchanged. Callers catch geo::Error; nothing in geo/ swallows them.
#include <stdexcept>
#include <string>

namespace geo {

class Error : public std::runtime_error {
public:
    Error(std::string path_, std::string layer_, const std::string& cause)
        : std::runtime_error(compose(path_, layer_, cause)), path(std::move(path_)), layer(std::move(layer_)) {}
    std::string path;
    std::string layer;

private:
    static std::string compose(const std::string& path, const std::string& layer, const std::string& cause) {
        std::string s;
        if (!path.empty()) s += path;
        if (!layer.empty()) s += (s.empty() ? "" : " ") + std::string("[") + layer + "]";
        if (!s.empty()) s += ": ";
        return s + cause;
    }
};

// The file cannot be read: missing, unreadable, truncated, a sidecar missing.
class IoError : public Error {
    using Error::Error;
};
// The file was read but its content is not what it should be (corrupt, unsupported, schema mismatch).
class FormatError : public Error {
    using Error::Error;
};
// A coordinate reference system is unknown, missing or cannot be transformed.
class CrsError : public Error {
    using Error::Error;
};
// A resource limit would be passed (an output too large to write in bounded time and memory, an input too large to
// read safely): refused before the work starts.
class LimitError : public Error {
    using Error::Error;
};
// The user cancelled a job; not an error to show, only to stop on.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace geo

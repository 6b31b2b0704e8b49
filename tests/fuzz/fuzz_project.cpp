// The project file parser (geo/project): any bytes either parse or raise a geo::Error (FormatError, or LimitError
// for a file too large or too deeply nested), and a parsed project
// saves to text that reads back to the same project (and saves again to the same text).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "project/project.hpp"
#include "source/postgis.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string base = "/fuzz/projects";
    geo::Project p;
    try {
        p = geo::parseProject(text, base, "fuzz.atlas.json");
    } catch (const geo::Error&) {
        return 0;
    }
    // Saved and read back, the project is the one parsed (ids are not saved; both get 1..n), except that a
    // database connection is saved without its password.
    const std::string saved = geo::serializeProject(p, base);
    geo::Project again;
    try {
        again = geo::parseProject(saved, base, "saved.atlas.json");
    } catch (const geo::Error& e) {
        std::fprintf(stderr, "a saved project does not read back: %s\n%s\n", e.what(), saved.c_str());
        std::abort();
    }
    for (auto& l : p.layers)
        if (geo::isDatabaseSource(l.source)) l.source = geo::redactConnection(l.source);
    FUZZ_CHECK(again == p);
    FUZZ_CHECK(geo::serializeProject(again, base) == saved);
    return 0;
}

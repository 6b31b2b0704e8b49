#include "project/markup.hpp"

#include <iterator>

namespace geo {

namespace {

// Indexed by MarkupKind; these names are stored in files (project and markup layer), so they never change.
constexpr const char* kKindNames[] = {"freehand", "arrow", "polygon", "text", "measure_line", "measure_area"};

}  // namespace

const char* markupKindName(MarkupKind kind) {
    const auto i = static_cast<size_t>(kind);
    return i < std::size(kKindNames) ? kKindNames[i] : "freehand";
}

bool parseMarkupKind(const std::string& name, MarkupKind& out) {
    for (size_t i = 0; i < std::size(kKindNames); ++i) {
        if (name == kKindNames[i]) {
            out = static_cast<MarkupKind>(i);
            return true;
        }
    }
    return false;
}

}  // namespace geo

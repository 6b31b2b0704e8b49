#include "project/project_limits.hpp"

#include <cstdio>
#include <filesystem>

#include "core/error.hpp"

namespace geo {

namespace {

LimitError tooLarge(const std::string& path, double bytes) {
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MB", bytes / (1 << 20));
    return LimitError(path, "",
                      std::string("the project file is ") + size + "; project files over " +
                          std::to_string(kMaxProjectBytes >> 20) +
                          " MB are refused (a project names its data files, it does not hold them)");
}

}  // namespace

void checkProjectText(std::string_view text, const std::string& path) {
    if (text.size() > kMaxProjectBytes) throw tooLarge(path, double(text.size()));
    int depth = 0;
    bool inString = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxProjectDepth)
                throw LimitError(path, "",
                                 "JSON nested deeper than " + std::to_string(kMaxProjectDepth) + " levels (at byte " +
                                     std::to_string(i) + "); refused before parsing");
        } else if (c == ']' || c == '}') {
            --depth;  // unbalanced text is the parser's to report
        }
    }
}

void checkProjectFileSize(const std::string& path) {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxProjectBytes) throw tooLarge(path, double(size));
}

}  // namespace geo

#pragma once
// Bounds on a project file, checked before it is parsed: a project names its data, it does not hold it, so a huge
// or deeply nested file is hostile or broken, and parsing it whole would cost gigabytes and seconds first.
#include <cstddef>
#include <string>
#include <string_view>

namespace geo {

constexpr size_t kMaxProjectBytes = 16u << 20;  // 16 MB: ~100x the largest real project seen
constexpr int kMaxProjectDepth = 64;            // real projects nest 6 deep

// Throws LimitError naming `path` when `text` is over kMaxProjectBytes or nests arrays/objects deeper than
// kMaxProjectDepth. One pass, no allocation.
void checkProjectText(std::string_view text, const std::string& path);
// Throws LimitError when the file at `path` is over kMaxProjectBytes (before it is read).
void checkProjectFileSize(const std::string& path);

}  // namespace geo

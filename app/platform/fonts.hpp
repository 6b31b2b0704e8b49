#pragma once
// CJK-capable fonts for ImGui. Debian's ImGui 1.86 ships no glyph range that covers the district's own name
// (坪, 峦 are missing from GetGlyphRangesChineseSimplifiedCommon), so the atlas is built from the code points
// the app actually shows: its UI strings plus every text value of the loaded data.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

namespace app::platform {

struct FontFile {
    std::string path;
    int index = 0;  // face inside a .ttc collection
};

// A font with Simplified Chinese coverage (Noto Sans CJK SC, WenQuanYi Micro Hei, ...) found through
// fontconfig; nullopt when none is installed.
std::optional<FontFile> findCjkFont();

// Adds code points to a glyph-range builder; ImGui 1.86's ImWchar is 16-bit, so those above U+FFFF are skipped.
void addCodepoints(ImFontGlyphRangesBuilder& builder, const std::vector<uint32_t>& codepoints);

// The UI's own strings with non-ASCII characters (menus, panels), so the atlas covers them. A test scans app/
// for non-ASCII text and fails when a character is missing here.
const std::vector<std::string>& uiStrings();

class FontAtlasBuilder {
public:
    void addCodepoints(const std::vector<uint32_t>& cps);
    void addText(const std::string& utf8);
    // Rebuilds `atlas` with the collected glyphs at `pixelSize` (Fonts[0]) and, for presentations, at
    // kCaptionScale and kTitleScale times that (Fonts[1], Fonts[2]). Returns false (and a message) when no CJK
    // font exists; the atlas then holds ImGui's default font only.
    bool build(ImFontAtlas& atlas, float pixelSize, std::string& message);
    static constexpr float kCaptionScale = 26.0f / 16.0f;  // 26 px captions, 38 px titles at scale 1
    static constexpr float kTitleScale = 38.0f / 16.0f;
    bool dirty() const { return dirty_; }
    void invalidate() { dirty_ = true; }  // rebuild at the next chance (a new size)

private:
    std::vector<uint32_t> codepoints_;
    ImVector<ImWchar> ranges_;  // must outlive the atlas build
    bool dirty_ = true;
};

}  // namespace app::platform

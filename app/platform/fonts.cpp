#include "platform/fonts.hpp"

#include <fontconfig/fontconfig.h>

#include <algorithm>

#include "catalog/catalog.hpp"
#include "store/feature_table.hpp"

namespace app::platform {

std::optional<FontFile> findCjkFont() {
    if (!FcInit()) return std::nullopt;
    std::optional<FontFile> result;
    for (const char* family : {"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "sans-serif"}) {
        FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(family));
        FcPatternAddString(pat, FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
        FcConfigSubstitute(nullptr, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res = FcResultNoMatch;
        FcPattern* match = FcFontMatch(nullptr, pat, &res);
        FcPatternDestroy(pat);
        if (!match) continue;
        FcChar8* file = nullptr;
        int index = 0;
        FcCharSet* cs = nullptr;
        bool ok = FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
                  FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) == FcResultMatch && FcCharSetHasChar(cs, 0x576A) &&
                  FcCharSetHasChar(cs, 0x5CE6);  // 坪, 峦
        FcPatternGetInteger(match, FC_INDEX, 0, &index);
        if (ok) result = FontFile{reinterpret_cast<const char*>(file), index};
        FcPatternDestroy(match);
        if (result) break;
    }
    return result;
}

void addCodepoints(ImFontGlyphRangesBuilder& builder, const std::vector<uint32_t>& codepoints) {
    for (uint32_t cp : codepoints)
        if (cp > 0 && cp <= 0xFFFF) builder.AddChar(static_cast<ImWchar>(cp));
}

const std::vector<std::string>& uiStrings() {
    static const std::vector<std::string> kStrings = {
        "图层 Layers", "消息 Messages", "地图 Map", "文件 File", "视图 View", "编辑 Edit", "坪山区", "马峦山", "碧岭北", "沙田二期",
        "太阳村", "添加 Add", "移除 Remove", "缩放至 Zoom to", "样式 Style", "加载中 Loading", "失败 Failed",
        "经纬度", "比例尺", "显示坐标系", "全部 All", "取消 Cancel", "— – · × ° ’ “ ” … > → ² ¹", "项目 Projects",
        "图例 Legend", "信息 Info", "属性表 Attributes", "搜索 search name / 名称 / id", "篇章 Sections", "类别 Category",
        "状态 Status", "演示 Bookmarks & slides", "书签 Bookmarks", "幻灯片 Slides", "导出 Export",
        "位置精度 location accuracy",
        "简体中文 ← ↑ ↓",  // settings (language), Help > Shortcuts
    };
    return kStrings;
}

void FontAtlasBuilder::addCodepoints(const std::vector<uint32_t>& cps) {
    size_t before = codepoints_.size();
    codepoints_.insert(codepoints_.end(), cps.begin(), cps.end());
    std::sort(codepoints_.begin(), codepoints_.end());
    codepoints_.erase(std::unique(codepoints_.begin(), codepoints_.end()), codepoints_.end());
    if (codepoints_.size() != before) dirty_ = true;
}

void FontAtlasBuilder::addText(const std::string& utf8) {
    std::vector<uint32_t> cps;
    geo::appendCodepoints(utf8, cps);
    addCodepoints(cps);
}

bool FontAtlasBuilder::build(ImFontAtlas& atlas, float pixelSize, std::string& message) {
    dirty_ = false;
    atlas.Clear();
    auto font = findCjkFont();
    if (!font) {
        atlas.AddFontDefault();
        message = "no CJK font found (install fonts-noto-cjk): Chinese text will not display";
        return false;
    }
    ImFontGlyphRangesBuilder b;
    static const ImWchar kBase[] = {0x0020, 0x00FF, 0x2000, 0x206F, 0x2190, 0x21FF, 0x3000, 0x303F, 0xFF00, 0xFFEF, 0};
    b.AddRanges(kBase);
    for (const auto& s : uiStrings()) b.AddText(s.c_str());
    for (const auto& sec : geo::planSections()) b.AddText(sec.zh);  // listed even when no data names them
    platform::addCodepoints(b, codepoints_);
    ranges_.clear();
    b.BuildRanges(&ranges_);
    ImFontConfig cfg;
    cfg.FontNo = font->index;
    cfg.OversampleH = 1;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    for (float scale : {1.0f, kCaptionScale, kTitleScale}) {
        if (!atlas.AddFontFromFileTTF(font->path.c_str(), pixelSize * scale, &cfg, ranges_.Data)) {
            atlas.Clear();
            atlas.AddFontDefault();
            message = "cannot load font " + font->path;
            return false;
        }
    }
    atlas.Build();
    return true;
}

}  // namespace app::platform

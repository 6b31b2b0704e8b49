// The font atlas covers every character the app shows: UI strings and every text value of the bundled data.
#include <gtest/gtest.h>

#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tiles/tile_source.hpp"
#include "catalog/catalog.hpp"

#include "platform/fonts.hpp"
#include "project/project.hpp"
#include "source/vector_source.hpp"
#include "store/feature_table.hpp"
#include "support/test_support.hpp"
#include "ui/i18n.hpp"

namespace {

class FontAtlas : public ::testing::Test {
protected:
    void SetUp() override { ImGui::CreateContext(); }
    void TearDown() override { ImGui::DestroyContext(); }
};

TEST_F(FontAtlas, CjkFontIsInstalledAndHasTheDistrictName) {
    auto font = app::platform::findCjkFont();
    ASSERT_TRUE(font) << "no CJK font: install fonts-noto-cjk";
}

TEST_F(FontAtlas, EveryCharacterOfTheBundledDataHasAGlyph) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    std::vector<uint32_t> all;
    app::platform::FontAtlasBuilder builder;
    geo::appendCodepoints(p.title, all);
    for (const auto& l : p.layers) {
        geo::appendCodepoints(l.name + l.attribution, all);
        if (l.layer == "raster" || geo::isTileSourceString(l.source)) continue;  // basemaps: names and credits only
        auto d = geo::readVectorLayer(l.source, l.layer);
        auto cps = geo::collectCodepoints(d.table);
        all.insert(all.end(), cps.begin(), cps.end());
    }
    for (const auto& s : app::platform::uiStrings()) geo::appendCodepoints(s, all);
    for (const auto& s : app::ui::allTranslations()) geo::appendCodepoints(s, all);  // the Chinese UI
    builder.addCodepoints(all);
    std::string message;
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    ASSERT_TRUE(builder.build(atlas, 16.0f, message)) << message;
    ImFont* font = atlas.Fonts[0];
    size_t missing = 0;
    for (uint32_t cp : all) {
        if (cp < 0x20 || cp > 0xFFFF) continue;
        if (!font->FindGlyphNoFallback(static_cast<ImWchar>(cp))) {
            ++missing;
            ADD_FAILURE() << "no glyph for U+" << std::hex << cp;
        }
    }
    EXPECT_EQ(missing, 0u);
    EXPECT_TRUE(font->FindGlyphNoFallback(0x576A));  // 坪
    EXPECT_TRUE(font->FindGlyphNoFallback(0x5CE6));  // 峦
    // The stock range really lacks them: that is why the atlas is built from the data.
    bool stockHasPing = false;
    for (const ImWchar* r = atlas.GetGlyphRangesChineseSimplifiedCommon(); r[0]; r += 2)
        stockHasPing |= r[0] <= 0x576A && 0x576A <= r[1];
    EXPECT_FALSE(stockHasPing);
}

TEST_F(FontAtlas, EveryNonAsciiCharacterInTheUiSourcesIsCovered) {
    // The atlas is built from uiStrings(): a label added to a panel without updating that list would be tofu.
    std::vector<uint32_t> listed;
    for (const auto& s : app::platform::uiStrings()) geo::appendCodepoints(s, listed);
    for (const auto& sec : geo::planSections()) geo::appendCodepoints(sec.zh, listed);
    for (const auto& t : app::ui::allTranslations()) geo::appendCodepoints(t, listed);
    std::sort(listed.begin(), listed.end());
    size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(test::sourceDir() + "/app")) {
        if (entry.path().extension() != ".cpp") continue;
        ++files;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        std::vector<uint32_t> cps;
        geo::appendCodepoints(text, cps);
        for (uint32_t cp : cps)
            if (cp > 0x7F && !std::binary_search(listed.begin(), listed.end(), cp))
                ADD_FAILURE() << entry.path().filename() << ": U+" << std::hex << cp
                              << " is in neither uiStrings() nor the translation table";
    }
    EXPECT_GT(files, 10u);
}

}  // namespace

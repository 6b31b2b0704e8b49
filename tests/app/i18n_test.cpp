// The UI language: one table, every UI string translated, no doubled "中文 English" labels.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "support/test_support.hpp"
#include "ui/i18n.hpp"
#include "ui/layout.hpp"

namespace {

using app::ui::Language;

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Source files of the UI (the table itself excluded), comments removed.
std::vector<std::pair<std::string, std::string>> uiSources() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(test::sourceDir() + "/app")) {
        if (e.path().extension() != ".cpp" || e.path().filename() == "i18n.cpp") continue;
        std::string text = readFile(e.path());
        text = std::regex_replace(text, std::regex("//[^\\n]*"), "");
        text = std::regex_replace(text, std::regex("\"\\s+\""), "");  // "a" "b" is one literal
        out.emplace_back(std::filesystem::relative(e.path(), test::sourceDir()).string(), text);
    }
    return out;
}

TEST(Language, EveryTrLiteralHasAChineseText) {
    const std::regex call(R"re((?:\btr|\btrf|menuLabel)\("((?:[^"\\]|\\.)*)")re");
    size_t literals = 0;
    for (const auto& [name, text] : uiSources())
        for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it) {
            ++literals;
            EXPECT_TRUE(app::ui::hasTranslation((*it)[1].str())) << name << ": no Chinese for \"" << (*it)[1] << '"';
        }
    EXPECT_GT(literals, 80u);
}

TEST(Language, EveryUiTextConstantHasAChineseText) {
    // Panels keep some of their text in constants (constexpr const char* kName = "..."), passed through tr().
    const std::regex constant(R"re(constexpr const char\* (k\w+) = "((?:[^"\\]|\\.)*)")re");
    for (const auto& [name, text] : uiSources()) {
        if (name.rfind("app/ui/", 0) != 0) continue;  // other constants are paths and names, not UI text
        for (auto it = std::sregex_iterator(text.begin(), text.end(), constant); it != std::sregex_iterator(); ++it) {
            const std::string id = (*it)[1], value = (*it)[2];
            if (id == "kChinese" || id == "kEnglish") continue;  // language names stay in their own language
            EXPECT_TRUE(app::ui::hasTranslation(value)) << name << ": " << id << " = \"" << value << '"';
        }
    }
}

TEST(Language, NoLabelIsDoubledInTwoLanguages) {
    // A literal with Chinese characters and an English word ("图层 Layers") shows both languages at once.
    const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
    const std::regex cjk("[\\xE4-\\xE9][\\x80-\\xBF][\\x80-\\xBF]");
    const std::regex word("[A-Za-z]{3,}");
    for (const auto& [name, text] : uiSources()) {
        if (name.find("fonts") != std::string::npos) continue;  // the glyph list, not UI text
        for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it) {
            const std::string s = (*it)[1];
            EXPECT_FALSE(std::regex_search(s, cjk) && std::regex_search(s, word)) << name << ": \"" << s << '"';
        }
    }
}

TEST(Language, TrFollowsTheLanguage) {
    app::ui::setLanguage(Language::English);
    EXPECT_STREQ(app::ui::tr("Layers"), "Layers");
    app::ui::setLanguage(Language::Chinese);
    EXPECT_STREQ(app::ui::tr("Layers"), "图层");
    EXPECT_EQ(app::ui::trf("%zu of %zu projects", size_t(3), size_t(67)), "3 / 67 个项目");
    EXPECT_STREQ(app::ui::tr("not in the table"), "not in the table");
    app::ui::setLanguage(Language::English);
}

TEST(Language, DefaultComesFromTheLocale) {
    auto with = [](const char* lcAll, const char* lang) {
        if (lcAll) setenv("LC_ALL", lcAll, 1); else unsetenv("LC_ALL");
        unsetenv("LC_MESSAGES");
        if (lang) setenv("LANG", lang, 1); else unsetenv("LANG");
        return app::ui::languageFromLocale();
    };
    EXPECT_EQ(with(nullptr, "zh_CN.UTF-8"), Language::Chinese);
    EXPECT_EQ(with(nullptr, "en_US.UTF-8"), Language::English);
    EXPECT_EQ(with("zh_TW.UTF-8", "en_US.UTF-8"), Language::Chinese);
    EXPECT_EQ(with("C.UTF-8", "zh_CN.UTF-8"), Language::English);
    EXPECT_EQ(with(nullptr, nullptr), Language::English);
}

TEST(Layout, DefaultLeavesTheMapSeventyPercentOfA1600x1000Window) {
    // ImGui 1.86 light style at the viewer's 16 px font: menu bar 22 px, status bar 30 px.
    app::ui::SidebarLayout layout;
    const auto map = app::ui::mapArea(layout, 1600, 1000, 22, 30, false);
    EXPECT_GE(map.w * map.h / (1600.0 * 1000.0), 0.70);
    EXPECT_EQ(map.x, layout.leftWidth);
    EXPECT_EQ(map.y, 22);
    const auto presenting = app::ui::mapArea(layout, 1600, 1000, 22, 30, true);
    EXPECT_EQ(presenting.w, 1600);
    EXPECT_EQ(presenting.h, 1000);
    layout.leftOpen = layout.rightOpen = false;  // collapsed to strips
    EXPECT_GT(app::ui::mapArea(layout, 1600, 1000, 22, 30, false).w, 1550);
}

TEST(Layout, SidebarsNeverSqueezeTheMapBelowAThird) {
    app::ui::SidebarLayout layout;
    layout.leftWidth = 900;
    layout.rightWidth = 900;
    app::ui::clampLayout(layout, 1600);
    EXPECT_GE(1600 - layout.leftWidth - layout.rightWidth, 1600 / 3.0 - 1);
    layout.leftWidth = 10;
    app::ui::clampLayout(layout, 1600);
    EXPECT_GE(layout.leftWidth, app::ui::SidebarLayout::kMinWidth);
}

}  // namespace

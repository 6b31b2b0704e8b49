// Story generation from the catalog and the slide-navigation state machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "present/story.hpp"
#include "project/project.hpp"
#include "source/vector_source.hpp"
#include "support/test_support.hpp"

namespace {

TEST(Story, TitleThenNineSectionsThenDossiers) {
    auto d = geo::readVectorLayer(test::assetPath("pingshan2024_projects.gpkg"), "projects");
    auto c = geo::validateCatalog(d.table);
    auto slides = geo::generateStory(d.table, c, {"N01", "C06", "nope"});
    ASSERT_EQ(slides.size(), 1u + 9u + 2u);  // unknown ids are skipped
    EXPECT_NE(slides[0].title.find("坪山区"), std::string::npos);
    EXPECT_GT(slides[0].fitProjects.size(), 50u);
    for (int s = 1; s <= 9; ++s) EXPECT_FALSE(slides[s].fitProjects.empty()) << "every slide has somewhere to look";
    EXPECT_NE(slides[1].title.find("经济发展"), std::string::npos);
    EXPECT_TRUE(slides[9].highlight.empty());  // governance: no sites, but the slide exists
    EXPECT_NE(slides[9].caption.find("No mapped sites"), std::string::npos);
    // Section 5 spotlights the external paired-assistance points but fits only Pingshan.
    EXPECT_GT(slides[5].highlight.size(), slides[5].fitProjects.size());
    EXPECT_EQ(slides[10].highlight, std::vector<std::string>{"N01"});
    EXPECT_EQ(slides[10].title, "碧岭北土地整备");
    EXPECT_NE(slides[10].caption.find('\n'), std::string::npos);
}

TEST(Story, BundledProjectShipsTheGeneratedStory) {
    auto d = geo::readVectorLayer(test::assetPath("pingshan2024_projects.gpkg"), "projects");
    auto slides = geo::generateStory(d.table, geo::validateCatalog(d.table));
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    EXPECT_EQ(p.slides, slides) << "regenerate with: planatlas story --project assets/pingshan2024.atlas.json";
}

TEST(SlideDeck, NavigationClampsAtTheEnds) {
    geo::SlideDeck deck(3);
    EXPECT_EQ(deck.index(), 0u);
    EXPECT_FALSE(deck.previous());
    EXPECT_TRUE(deck.next());
    EXPECT_TRUE(deck.next());
    EXPECT_FALSE(deck.next());  // a clicker pressed once too often stays on the last slide
    EXPECT_EQ(deck.index(), 2u);
    EXPECT_TRUE(deck.first());
    EXPECT_FALSE(deck.first());
    EXPECT_TRUE(deck.last());
    EXPECT_FALSE(deck.goTo(7));
    deck.resize(1);
    EXPECT_EQ(deck.index(), 0u);
    geo::SlideDeck empty;
    EXPECT_FALSE(empty.next());
    EXPECT_FALSE(empty.last());
}

}  // namespace

namespace {

// The story follows the project's language: one language each, both (the default) for bilingual meetings.
TEST(Story, FollowsTheProjectLanguage) {
    geo::Project p = geo::loadProject(test::assetPath("pingshan2024.atlas.json"));
    const geo::ProjectLayer* catalog = nullptr;
    for (const auto& l : p.layers)
        if (l.source.find("pingshan2024_projects") != std::string::npos) catalog = &l;
    ASSERT_NE(catalog, nullptr);
    auto d = geo::readVectorLayer(catalog->source, catalog->layer);
    auto c = geo::validateCatalog(d.table);
    auto zh = geo::generateStory(d.table, c, {"N01"}, "zh");
    auto en = geo::generateStory(d.table, c, {"N01"}, "en");
    auto both = geo::generateStory(d.table, c, {"N01"}, "");
    ASSERT_EQ(zh.size(), both.size());
    ASSERT_EQ(en.size(), both.size());
    auto hasCjk = [](const std::string& s) {
        std::vector<uint32_t> cps;
        geo::appendCodepoints(s, cps);
        return std::any_of(cps.begin(), cps.end(), [](uint32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; });
    };
    auto hasLatinWord = [](const std::string& s) {
        for (size_t i = 0; i + 3 <= s.size(); ++i)
            if (std::isalpha(static_cast<unsigned char>(s[i])) && std::isalpha(static_cast<unsigned char>(s[i + 1])) &&
                std::isalpha(static_cast<unsigned char>(s[i + 2])))
                return true;
        return false;
    };
    for (size_t i = 0; i + 1 < both.size(); ++i) {  // title and section slides (the dossier quotes catalog values)
        EXPECT_FALSE(hasCjk(en[i].title)) << en[i].title;  // captions quote name_en, which may hold a 云巴
        EXPECT_EQ(en[i].caption.find("项目"), std::string::npos) << en[i].caption;
        EXPECT_EQ(en[i].caption.find("篇章"), std::string::npos) << en[i].caption;
        EXPECT_FALSE(hasLatinWord(zh[i].title)) << zh[i].title;
        EXPECT_TRUE(hasCjk(both[i].title) && hasLatinWord(both[i].title)) << both[i].title;
        EXPECT_EQ(zh[i].highlight, en[i].highlight);  // the same projects, only the words differ
        EXPECT_EQ(zh[i].fitProjects, both[i].fitProjects);
    }
    EXPECT_EQ(en.back().title, "Biling North land consolidation zone");
    EXPECT_EQ(zh.back().title, "碧岭北土地整备");
}

TEST(Story, LanguageRoundTripsInTheProjectFile) {
    auto dir = test::scratchDir("story_language");
    geo::Project p;
    p.language = "en";
    geo::saveProject(p, dir + "/p.atlas.json");
    EXPECT_EQ(geo::loadProject(dir + "/p.atlas.json").language, "en");
    test::writeText(dir + "/bad.atlas.json", R"({"version": 1, "language": "fr"})");
    EXPECT_THROW(geo::loadProject(dir + "/bad.atlas.json"), geo::FormatError);
}

}  // namespace

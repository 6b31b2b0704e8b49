// Story generation from the catalog and the slide-navigation state machine.
#include <gtest/gtest.h>

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

// Project commands and their undo/redo history.
#include <gtest/gtest.h>

#include <filesystem>

#include "project/history.hpp"
#include "support/test_support.hpp"

namespace {

geo::ProjectLayer layer(geo::LayerId id, const std::string& name) {
    geo::ProjectLayer l;
    l.id = id;
    l.name = name;
    l.source = "/data/" + name + ".gpkg";
    return l;
}

geo::Project sample() {
    geo::Project p;
    p.title = "坪山";
    p.layers = {layer(1, "land"), layer(2, "roads"), layer(3, "projects")};
    p.bookmarks = {{"坪山中心", {114.35, 22.69, 10000}, "EPSG:3857"}, {"马峦山", {114.31, 22.64, 25000}, "EPSG:4547"}};
    p.slides.resize(3);
    for (size_t i = 0; i < 3; ++i) p.slides[i].title = "slide " + std::to_string(i + 1);
    geo::MarkupItem a;
    a.kind = geo::MarkupKind::Freehand;
    a.lonLat = {114.3, 22.7, 114.31, 22.71};
    geo::MarkupItem b = a;
    b.kind = geo::MarkupKind::Text;
    b.lonLat = {114.32, 22.72};
    b.text = "需复核";
    p.markup = {a, b};
    return p;
}

std::vector<std::string> names(const geo::Project& p) {
    std::vector<std::string> out;
    for (const auto& l : p.layers) out.push_back(l.name);
    return out;
}

// Each command: applying it changes what it says, undo restores the value exactly, redo makes it again.
struct CommandCase {
    const char* name;
    geo::Command command;
    std::function<bool(const geo::Project&)> changed;
};

std::vector<CommandCase> commandCases() {
    geo::Style red;
    red.fill = {255, 0, 0, 255};
    return {
        {"addLayers", geo::cmd::addLayers({layer(9, "new")}), [](auto& p) { return p.layers.size() == 4 && p.layers[3].id == 9; }},
        {"removeLayer", geo::cmd::removeLayer(2), [](auto& p) { return names(p) == std::vector<std::string>{"land", "projects"}; }},
        {"moveLayerUp", geo::cmd::moveLayer(1, +1), [](auto& p) { return names(p) == std::vector<std::string>{"roads", "land", "projects"}; }},
        {"moveLayerDown", geo::cmd::moveLayer(3, -2), [](auto& p) { return names(p) == std::vector<std::string>{"projects", "land", "roads"}; }},
        {"setLayerVisible", geo::cmd::setLayerVisible(2, false), [](auto& p) { return !p.layers[1].visible; }},
        {"setLayerOpacity", geo::cmd::setLayerOpacity(3, 0.25f), [](auto& p) { return p.layers[2].opacity == 0.25f; }},
        {"setLayerStyle", geo::cmd::setLayerStyle(1, red), [red](auto& p) { return p.layers[0].style == red; }},
        {"setLayerSource", geo::cmd::setLayerSource(2, "/moved/roads.gpkg"), [](auto& p) { return p.layers[1].source == "/moved/roads.gpkg"; }},
        {"showOnlyLayers", geo::cmd::showOnlyLayers({"roads"}), [](auto& p) { return !p.layers[0].visible && p.layers[1].visible && !p.layers[2].visible; }},
        {"setDisplayCrs", geo::cmd::setDisplayCrs("EPSG:4547"), [](auto& p) { return p.displayCrs == "EPSG:4547"; }},
        {"addBookmark", geo::cmd::addBookmark({"new", {1, 2, 3}, "EPSG:4326"}), [](auto& p) { return p.bookmarks.size() == 3; }},
        {"renameBookmark", geo::cmd::renameBookmark(1, "马峦山 north"), [](auto& p) { return p.bookmarks[1].name == "马峦山 north"; }},
        {"removeBookmark", geo::cmd::removeBookmark(0), [](auto& p) { return p.bookmarks.size() == 1 && p.bookmarks[0].name == "马峦山"; }},
        {"moveBookmark", geo::cmd::moveBookmark(0, +1), [](auto& p) { return p.bookmarks[0].name == "马峦山"; }},
        {"addSlide", geo::cmd::addSlide(geo::Slide{"four"}), [](auto& p) { return p.slides.size() == 4 && p.slides[3].title == "four"; }},
        {"setSlide", geo::cmd::setSlide(1, geo::Slide{"edited", "说明"}), [](auto& p) { return p.slides[1].caption == "说明"; }},
        {"removeSlide", geo::cmd::removeSlide(0), [](auto& p) { return p.slides.size() == 2 && p.slides[0].title == "slide 2"; }},
        {"moveSlide", geo::cmd::moveSlide(2, -2), [](auto& p) { return p.slides[0].title == "slide 3"; }},
        {"duplicateSlide", geo::cmd::duplicateSlide(1), [](auto& p) { return p.slides.size() == 4 && p.slides[2].title == "slide 2"; }},
        {"setSlides", geo::cmd::setSlides({geo::Slide{"only"}}), [](auto& p) { return p.slides.size() == 1; }},
        {"setTitle", geo::cmd::setTitle("Pingshan 2025"), [](auto& p) { return p.title == "Pingshan 2025"; }},
        {"setSwipe", geo::cmd::setSwipe({true, 0.4, {"land"}, {"projects"}}), [](auto& p) { return p.swipe.enabled && p.swipe.left == std::vector<std::string>{"land"}; }},
        {"setTimeline", geo::cmd::setTimeline({true, 2024, "planned"}), [](auto& p) { return p.timeline.phase == "planned"; }},
        {"addMarkup", geo::cmd::addMarkup(geo::MarkupItem{geo::MarkupKind::Arrow, {114.3, 22.7, 114.4, 22.8}}), [](auto& p) { return p.markup.size() == 3 && p.markup[2].kind == geo::MarkupKind::Arrow; }},
        {"removeMarkup", geo::cmd::removeMarkup(0), [](auto& p) { return p.markup.size() == 1 && p.markup[0].text == "需复核"; }},
        {"clearMarkup", geo::cmd::clearMarkup(), [](auto& p) { return p.markup.empty(); }},
        {"setLayerOptions", geo::cmd::setLayerOptions(2, geo::SourceOptions{"EPSG:4547", "gcj02"}), [](auto& p) { return p.layers[1].options.crs == "EPSG:4547"; }},
    };
}

class Commands : public ::testing::TestWithParam<size_t> {};

TEST_P(Commands, ApplyUndoRedoRoundTrip) {
    const CommandCase c = commandCases()[GetParam()];
    const geo::Project before = sample();
    geo::History h(before);
    ASSERT_TRUE(h.apply(c.command)) << c.name << " changed nothing";
    EXPECT_TRUE(c.changed(h.project())) << c.name;
    const geo::Project after = h.project();
    ASSERT_TRUE(h.undo());
    EXPECT_EQ(h.project(), before);
    ASSERT_TRUE(h.redo());
    EXPECT_EQ(h.project(), after);
    EXPECT_FALSE(h.canRedo());
}

INSTANTIATE_TEST_SUITE_P(AllCommands, Commands, ::testing::Range<size_t>(0, commandCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                             return std::string(commandCases()[info.param].name);
                         });

TEST(History, CommandThatChangesNothingIsNotRecorded) {
    geo::History h(sample());
    const uint64_t revision = h.revision();
    EXPECT_FALSE(h.apply(geo::cmd::removeLayer(42)));        // no such layer
    EXPECT_FALSE(h.apply(geo::cmd::moveLayer(3, +1)));       // already on top
    EXPECT_FALSE(h.apply(geo::cmd::setLayerVisible(1, true)));  // already visible
    EXPECT_FALSE(h.apply(geo::cmd::removeSlide(7)));
    EXPECT_FALSE(h.canUndo());
    EXPECT_EQ(h.revision(), revision);
}

TEST(History, DraggingASliderIsOneUndoStepUntilTheGestureEnds) {
    geo::History h(sample());
    for (float o : {0.9f, 0.7f, 0.5f, 0.3f}) ASSERT_TRUE(h.apply(geo::cmd::setLayerOpacity(2, o)));
    h.endGesture();
    ASSERT_TRUE(h.apply(geo::cmd::setLayerOpacity(2, 0.1f)));
    EXPECT_EQ(h.project().layers[1].opacity, 0.1f);
    ASSERT_TRUE(h.undo());
    EXPECT_EQ(h.project().layers[1].opacity, 0.3f);  // the second drag
    ASSERT_TRUE(h.undo());
    EXPECT_EQ(h.project().layers[1].opacity, 1.0f);  // the whole first drag
    EXPECT_FALSE(h.canUndo());
}

TEST(History, DraggingTheSwipeDividerIsOneStep) {
    geo::History h(sample());
    for (double x : {0.2, 0.3, 0.4, 0.5}) h.apply(geo::cmd::setSwipe({true, x, {"land"}, {}}));
    h.endGesture();
    EXPECT_EQ(h.project().swipe.position, 0.5);
    ASSERT_TRUE(h.undo());
    EXPECT_FALSE(h.project().swipe.enabled);
    EXPECT_FALSE(h.canUndo());
    EXPECT_EQ(h.project().markup.size(), 2u);
}

TEST(History, DifferentCommandsDoNotMerge) {
    geo::History h(sample());
    h.apply(geo::cmd::setLayerOpacity(2, 0.5f));
    h.apply(geo::cmd::setLayerOpacity(3, 0.5f));  // another layer: another key
    h.apply(geo::cmd::setLayerVisible(1, false));
    int steps = 0;
    while (h.undo()) ++steps;
    EXPECT_EQ(steps, 3);
    EXPECT_EQ(h.project(), sample());
}

TEST(History, NewCommandAfterUndoDropsTheRedoBranch) {
    geo::History h(sample());
    h.apply(geo::cmd::removeLayer(1));
    h.undo();
    ASSERT_TRUE(h.canRedo());
    h.apply(geo::cmd::setTitle("other"));
    EXPECT_FALSE(h.canRedo());
    EXPECT_EQ(h.project().layers.size(), 3u);
}

TEST(History, UndoRestoresLayerIdsAndOrder) {
    geo::History h(sample());
    h.apply(geo::cmd::removeLayer(2));
    h.apply(geo::cmd::moveLayer(3, -1));
    h.undo();
    h.undo();
    ASSERT_EQ(h.project().layers.size(), 3u);
    EXPECT_EQ(h.project().layers[1].id, 2u);
    EXPECT_EQ(h.project().layerIndex(3), 2);
}

TEST(History, ResetForgetsEverything) {
    geo::History h(sample());
    h.apply(geo::cmd::setTitle("x"));
    const uint64_t revision = h.revision();
    h.reset(geo::Project{});
    EXPECT_FALSE(h.canUndo());
    EXPECT_GT(h.revision(), revision);
    EXPECT_TRUE(h.project().layers.empty());
}

TEST(History, KeepsAtMostMaxSteps) {
    geo::History h(sample(), 5);
    for (int i = 0; i < 8; ++i) {
        h.apply(geo::cmd::setTitle("t" + std::to_string(i)));
        h.endGesture();  // separate edits, not one drag
    }
    int steps = 0;
    while (h.undo()) ++steps;
    EXPECT_EQ(steps, 5);
    EXPECT_EQ(h.project().title, "t2");
}

TEST(History, EditedProjectSavesAndLoadsEqual) {
    geo::History h(sample());
    h.apply(geo::cmd::setLayerOpacity(2, 0.4f));
    h.apply(geo::cmd::moveLayer(1, +2));
    h.apply(geo::cmd::addBookmark({"南布", {114.33, 22.70, 8000}, "EPSG:4547"}));
    h.apply(geo::cmd::setSlide(0, geo::Slide{"标题", "两行\n说明", {114.3, 22.7, 5000}, {"N01"}, {"land"}, {"N01"}}));
    std::string path = test::scratchDir("history_save") + "/edited.atlas.json";
    geo::saveProject(h.project(), path);
    geo::Project loaded = geo::loadProject(path);
    // Ids are an in-memory identity (1..n on load); everything else comes back as it was.
    geo::Project expected = h.project();
    for (size_t i = 0; i < expected.layers.size(); ++i) expected.layers[i].id = loaded.layers[i].id;
    EXPECT_EQ(loaded, expected);
}

TEST(Project, AssignLayerIdsKeepsExistingAndFillsZeros) {
    geo::Project p;
    p.layers = {layer(0, "a"), layer(7, "b"), layer(0, "c")};
    geo::assignLayerIds(p);
    EXPECT_EQ(p.layers[0].id, 8u);
    EXPECT_EQ(p.layers[1].id, 7u);
    EXPECT_EQ(p.layers[2].id, 9u);
}

}  // namespace

// Style helpers: colour parsing, categories and the per-feature colours they give.
#include <gtest/gtest.h>

#include <string>

#include "store/feature_table.hpp"
#include "style/style.hpp"

namespace {

// One point feature per value of a text column "kind".
geo::FeatureTable pointsWithKinds(const std::vector<std::string>& kinds) {
    geo::FeatureTable t;
    t.columns.emplace_back("kind", geo::ColumnType::Text);
    for (size_t i = 0; i < kinds.size(); ++i) {
        t.beginFeature(static_cast<int64_t>(i), geo::GeomKind::Point);
        t.addVertex(double(i), 0);
        t.endRing();
        t.endPart();
        t.endFeature();
        if (kinds[i].empty())
            t.columns[0].pushNull();
        else
            t.columns[0].pushText(kinds[i]);
    }
    return t;
}

TEST(Style, ParseColors) {
    EXPECT_EQ(geo::parseColor("#ff8000"), (geo::Rgba{255, 128, 0, 255}));
    EXPECT_EQ(geo::parseColor("#FF800080"), (geo::Rgba{255, 128, 0, 128}));
    EXPECT_FALSE(geo::parseColor("red"));
    EXPECT_FALSE(geo::parseColor("#12345"));
    EXPECT_FALSE(geo::parseColor("#gg0000"));
    EXPECT_EQ(geo::toHex({1, 2, 3, 255}), "#010203");
}

TEST(Style, CategorizedColorsPerDistinctValue) {
    auto t = pointsWithKinds({"坪山", ""});
    geo::Style s;
    geo::categorize(s, t, "kind");
    ASSERT_EQ(s.categories.size(), 2u);  // "" and 坪山
    auto colors = geo::featureColors(s, t);
    ASSERT_EQ(colors.size(), 2u);
    EXPECT_NE(colors[0], colors[1]);
}

TEST(Style, PastSixtyFourValuesFeaturesKeepTheFillAndNoOtherCategoryIsMade) {
    std::vector<std::string> kinds;
    for (int i = 0; i < 70; ++i) kinds.push_back("v" + std::to_string(100 + i));  // byte order = numeric order
    auto t = pointsWithKinds(kinds);
    geo::Style s;
    s.fill = {1, 2, 3, 200};
    geo::categorize(s, t, "kind");
    ASSERT_EQ(s.categories.size(), 64u);
    EXPECT_EQ(s.categories.front().value, "v100");
    EXPECT_EQ(s.categories.back().value, "v163");
    for (const auto& c : s.categories) EXPECT_NE(c.value, "other");
    auto colors = geo::featureColors(s, t);
    EXPECT_EQ(colors[63], (geo::Rgba{s.categories[63].color.r, s.categories[63].color.g, s.categories[63].color.b, 200}));
    for (size_t i = 64; i < 70; ++i) EXPECT_EQ(colors[i], s.fill) << kinds[i];
}

TEST(Style, UnknownFieldMakesNoCategories) {
    auto t = pointsWithKinds({"a", "b"});
    geo::Style s;
    geo::categorize(s, t, "missing");
    EXPECT_EQ(s.categoryField, "missing");
    EXPECT_TRUE(s.categories.empty());
    for (const auto& c : geo::featureColors(s, t)) EXPECT_EQ(c, s.fill);
}

TEST(Style, DashedOutlineBitForTheDashValuesOnly) {
    geo::FeatureTable t = pointsWithKinds({"schematic", "anchored", "", "schematic"});
    geo::Style s;
    s.patternField = "kind";
    s.patterns = {{"anchored", geo::Pattern::DenseHatched}};
    EXPECT_FALSE(geo::hasDashes(s));
    s.dashField = "kind";
    s.dashValues = {"schematic"};
    EXPECT_TRUE(geo::hasDashes(s));
    EXPECT_TRUE(geo::hasPerFeatureSymbology(s));
    auto b = geo::featureSymbology(s, t);
    ASSERT_EQ(b.size(), 4u);
    EXPECT_EQ(b[0], geo::kDashedOutline);
    EXPECT_EQ(b[1], static_cast<uint8_t>(geo::Pattern::DenseHatched));  // pattern bits untouched, not dashed
    EXPECT_EQ(b[2], 0);                                                   // null: solid
    EXPECT_EQ(b[3], geo::kDashedOutline);
    s.dashField = "no such field";
    EXPECT_EQ(geo::featureSymbology(s, t)[0], 0);
}

}  // namespace

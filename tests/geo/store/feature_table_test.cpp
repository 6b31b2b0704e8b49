// The columnar store: offsets, typed columns, code points.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "store/feature_table.hpp"

namespace {

geo::FeatureTable twoFeatures() {
    geo::FeatureTable t;
    t.columns.emplace_back("name", geo::ColumnType::Text);
    t.columns.emplace_back("height", geo::ColumnType::Real);
    t.beginFeature(10, geo::GeomKind::Point);
    t.addVertex(1, 2);
    t.endRing();
    t.endPart();
    t.endFeature();
    t.columns[0].pushText("坪山");
    t.columns[1].pushReal(12.5);
    t.beginFeature(11, geo::GeomKind::Line);
    t.addVertex(0, 0);
    t.addVertex(5, 5);
    t.endRing();
    t.endPart();
    t.endFeature();
    t.columns[0].pushNull();
    t.columns[1].pushNull();
    return t;
}

TEST(FeatureTable, OffsetsAndBoxes) {
    auto t = twoFeatures();
    EXPECT_EQ(t.featureCount(), 2u);
    EXPECT_EQ(t.vertexCount(), 3u);
    EXPECT_EQ(t.vertexBegin(t.ringBegin(t.partBegin(1))), 1u);
    geo::BBox b = t.featureBox(1);
    EXPECT_EQ(b.maxX, 5);
    EXPECT_EQ(t.extent().minX, 0);
    EXPECT_EQ(t.uniformKind(), geo::GeomKind::None);  // mixed
}

TEST(FeatureTable, TypedColumnsAndNulls) {
    auto t = twoFeatures();
    EXPECT_EQ(t.columns[0].text(0), "坪山");
    EXPECT_TRUE(t.columns[0].isNull(1));
    EXPECT_EQ(t.columns[0].display(1), "");
    EXPECT_EQ(t.columns[1].display(0), "12.5");
    EXPECT_TRUE(std::isnan(t.columns[1].number(1)));
}

TEST(FeatureTable, CodepointsCoverNamesAndValues) {
    auto t = twoFeatures();
    auto cps = geo::collectCodepoints(t);
    EXPECT_TRUE(std::binary_search(cps.begin(), cps.end(), 0x576Au));  // 坪
    EXPECT_TRUE(std::binary_search(cps.begin(), cps.end(), uint32_t('h')));  // from "height"
}

}  // namespace

// Found by fuzz_vector (tests/fuzz): readers reserved rows for the feature count a file's header claims, and a
// 1.6 KB FlatGeobuf claiming 2^31 features asked for 32 GB. The reservation is capped; rows past it still fit.
TEST(FeatureTable, ReservesAtMostTheCapWhateverTheCountClaims) {
    geo::FeatureTable t;
    t.reserveFeatures(std::numeric_limits<int64_t>::max());
    EXPECT_EQ(t.fids.capacity(), size_t(geo::FeatureTable::kMaxReservedFeatures));
    EXPECT_LE(t.featureEnds.capacity(), size_t(geo::FeatureTable::kMaxReservedFeatures));
    geo::FeatureTable small;
    small.reserveFeatures(-1);
    EXPECT_EQ(small.fids.capacity(), 0u);
    small.reserveFeatures(10);
    EXPECT_GE(small.fids.capacity(), 10u);
    EXPECT_LT(small.fids.capacity(), 1000u);
}


// Label placement: no overlaps, priority wins, deterministic, inside the viewport.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "labels/labels.hpp"

namespace {

bool overlap(const geo::PlacedLabel& a, const geo::LabelCandidate& ca, const geo::PlacedLabel& b,
             const geo::LabelCandidate& cb) {
    return a.x < b.x + cb.width && b.x < a.x + ca.width && a.y < b.y + cb.height && b.y < a.y + ca.height;
}

std::vector<geo::LabelCandidate> crowd(int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> x(0, 800), y(0, 600), w(30, 140);
    std::vector<geo::LabelCandidate> c;
    for (int i = 0; i < n; ++i) {
        geo::LabelCandidate l;
        l.x = x(rng);
        l.y = y(rng);
        l.width = static_cast<float>(w(rng));
        l.height = 16;
        l.priority = (i * 37) % 11;
        l.anchor = i % 3 == 0 ? geo::LabelAnchor::Area : geo::LabelAnchor::Point;
        l.offset = 5;
        l.feature = static_cast<uint32_t>(i);
        c.push_back(l);
    }
    return c;
}

TEST(Labels, PlacedLabelsNeverOverlapAndStayInside) {
    auto c = crowd(400, 7);
    auto placed = geo::placeLabels(c, 800, 600, 2);
    ASSERT_GT(placed.size(), 40u);
    ASSERT_LT(placed.size(), c.size());  // the crowd does not fit: some were dropped
    for (size_t i = 0; i < placed.size(); ++i) {
        const auto& ci = c[placed[i].candidate];
        EXPECT_GE(placed[i].x, 0);
        EXPECT_GE(placed[i].y, 0);
        EXPECT_LE(placed[i].x + ci.width, 800);
        EXPECT_LE(placed[i].y + ci.height, 600);
        for (size_t j = i + 1; j < placed.size(); ++j)
            EXPECT_FALSE(overlap(placed[i], ci, placed[j], c[placed[j].candidate])) << i << " " << j;
    }
}

TEST(Labels, HigherPriorityWinsAConflict) {
    geo::LabelCandidate a, b;
    a.x = b.x = 400;
    a.y = b.y = 300;
    a.width = b.width = 100;
    a.height = b.height = 20;
    a.anchor = b.anchor = geo::LabelAnchor::Area;
    a.priority = 1;
    b.priority = 5;  // selected or larger
    b.feature = 1;
    auto placed = geo::placeLabels({a, b}, 800, 600, 2);
    ASSERT_GE(placed.size(), 1u);
    EXPECT_EQ(placed[0].candidate, 1u);
}

// What was placed, independent of input order: (layer, feature) -> top-left corner, sorted.
std::vector<std::tuple<uint32_t, uint32_t, double, double>> placementByFeature(
    const std::vector<geo::LabelCandidate>& c, const std::vector<geo::PlacedLabel>& placed) {
    std::vector<std::tuple<uint32_t, uint32_t, double, double>> out;
    for (const auto& p : placed) out.emplace_back(c[p.candidate].layer, c[p.candidate].feature, p.x, p.y);
    std::sort(out.begin(), out.end());
    return out;
}

TEST(Labels, SameRequestsInAnyOrderGiveTheSamePlacement) {
    // Equal priorities and a crowd that does not fit, so which label wins a conflict decides the result: only the
    // (layer, feature) tie-break keeps it from depending on the order the requests arrive in.
    auto c = crowd(300, 3);
    for (size_t i = 0; i < c.size(); ++i) {
        c[i].priority = 1;
        c[i].layer = static_cast<uint32_t>(i % 2);
    }
    const auto reference = placementByFeature(c, geo::placeLabels(c, 800, 600, 2));
    ASSERT_LT(reference.size(), c.size());

    std::mt19937 rng(11);
    for (int round = 0; round < 5; ++round) {
        auto shuffled = c;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        EXPECT_EQ(placementByFeature(shuffled, geo::placeLabels(shuffled, 800, 600, 2)), reference) << round;

        // The same shuffle placed first-come-first-served (priority by arrival) gives another result, so the
        // comparison above would catch an order-dependent placement.
        for (size_t i = 0; i < shuffled.size(); ++i) shuffled[i].priority = double(shuffled.size() - i);
        EXPECT_NE(placementByFeature(shuffled, geo::placeLabels(shuffled, 800, 600, 2)), reference) << round;
    }
}

TEST(Labels, AnchorsForEachKind) {
    geo::FeatureTable t;
    t.beginFeature(0, geo::GeomKind::Line);
    t.addVertex(0, 0);
    t.addVertex(10, 0);
    t.addVertex(10, 30);
    t.endRing();
    t.endPart();
    t.endFeature();
    t.beginFeature(1, geo::GeomKind::Polygon);
    for (auto [x, y] : {std::pair{0.0, 0.0}, {4.0, 0.0}, {4.0, 2.0}, {0.0, 2.0}, {0.0, 0.0}}) t.addVertex(x, y);
    t.endRing();
    t.endPart();
    t.endFeature();
    std::vector<geo::LabelAnchor> kinds;
    auto a = geo::labelAnchors(t, kinds);
    EXPECT_EQ(kinds[0], geo::LabelAnchor::Line);
    EXPECT_DOUBLE_EQ(a[0], 10);  // halfway along 40 units: 10 along the second segment
    EXPECT_DOUBLE_EQ(a[1], 10);
    EXPECT_EQ(kinds[1], geo::LabelAnchor::Area);
    EXPECT_DOUBLE_EQ(a[2], 2);
    EXPECT_DOUBLE_EQ(a[3], 1);
}

}  // namespace

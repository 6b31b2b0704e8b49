// Navigation and command-line parsing, without a window.
#include <gtest/gtest.h>

#include "cli/args.hpp"
#include "ui/navigation.hpp"

namespace {

geo::View base() {
    geo::View v;
    v.width = 1000;
    v.height = 800;
    v.centerX = 12700000;
    v.centerY = 2590000;
    v.resolution = 10;
    return v;
}

TEST(Navigation, DragPansByPixels) {
    geo::View v = base();
    app::ui::NavInput in;
    in.dragDX = 100;
    in.dragDY = -50;
    EXPECT_TRUE(app::ui::applyNavigation(v, in));
    EXPECT_DOUBLE_EQ(v.centerX, 12700000 - 1000);
    EXPECT_DOUBLE_EQ(v.centerY, 2590000 - 500);
}

TEST(Navigation, WheelZoomsAboutTheCursor) {
    geo::View v = base();
    app::ui::NavInput in;
    in.mouseX = 100;
    in.mouseY = 700;
    in.wheel = 2;
    double wx = v.screenToWorldX(100), wy = v.screenToWorldY(700);
    app::ui::applyNavigation(v, in);
    EXPECT_NEAR(v.resolution, 10 / (1.25 * 1.25), 1e-9);
    EXPECT_NEAR(v.screenToWorldX(100), wx, 1e-6);
    EXPECT_NEAR(v.screenToWorldY(700), wy, 1e-6);
}

TEST(Navigation, KeysPanAndZoom) {
    geo::View v = base();
    app::ui::NavInput in;
    in.right = true;
    app::ui::applyNavigation(v, in);
    EXPECT_DOUBLE_EQ(v.centerX, 12700000 + 0.1 * 1000 * 10);
    app::ui::NavInput z;
    z.zoomIn = true;
    app::ui::applyNavigation(v, z);
    EXPECT_DOUBLE_EQ(v.resolution, 5);
    app::ui::NavInput none;
    EXPECT_FALSE(app::ui::applyNavigation(v, none));
}

TEST(Args, ParsesAndRejects) {
    using app::cli::UsageError;
    geo::BBox b = app::cli::parseBBox("114.2,22.6,114.5,22.8");
    EXPECT_DOUBLE_EQ(b.minX, 114.2);
    EXPECT_DOUBLE_EQ(b.maxY, 22.8);
    EXPECT_THROW(app::cli::parseBBox("1,2,3"), UsageError);
    EXPECT_THROW(app::cli::parseBBox("3,2,1,4"), UsageError);
    EXPECT_THROW(app::cli::parseBBox("a,b,c,d"), UsageError);
    int w = 0, h = 0;
    app::cli::parseSize("4096x2048", w, h);
    EXPECT_EQ(w, 4096);
    EXPECT_EQ(h, 2048);
    EXPECT_THROW(app::cli::parseSize("0x10", w, h), UsageError);
    EXPECT_THROW(app::cli::parseSize("10", w, h), UsageError);
    EXPECT_THROW(app::cli::parseSize("100000x10", w, h), UsageError);
}

}  // namespace

// TileGrid: tile extents against the Web Mercator formulas, the tiles covering a box (edges exactly on tile
// boundaries, clamping), the level for an output resolution, retina and geographic (CGCS2000) grids, quadtrees.
#include "tiles/tile_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <unordered_set>

using geo::BBox;
using geo::TileGrid;
using geo::TileKey;
using geo::TileRange;

namespace {

constexpr double kR = 6378137.0;  // WGS84 semi-major axis, the sphere of Web Mercator

// Lon/lat of the top-left corner of XYZ tile (z, x, y): the slippy-map formulas.
double tileLon(int x, int z) {
    return x / std::pow(2.0, z) * 360.0 - 180.0;
}
double tileLat(int y, int z) {
    return std::atan(std::sinh(M_PI * (1.0 - 2.0 * y / std::pow(2.0, z)))) * 180.0 / M_PI;
}
double mercX(double lon) {
    return kR * lon * M_PI / 180.0;
}
double mercY(double lat) {
    return kR * std::log(std::tan(M_PI / 4.0 + lat * M_PI / 360.0));
}

BBox box(double minX, double minY, double maxX, double maxY) {
    BBox b;
    b.add(minX, minY);
    b.add(maxX, maxY);
    return b;
}

void expectRange(const TileRange& r, int z, int x0, int y0, int x1, int y1) {
    EXPECT_EQ(r.z, z);
    EXPECT_EQ(r.x0, x0);
    EXPECT_EQ(r.y0, y0);
    EXPECT_EQ(r.x1, x1);
    EXPECT_EQ(r.y1, y1);
}

}  // namespace

TEST(TileGrid, WebMercatorTileBoundsMatchTheSlippyMapFormulas) {
    TileGrid g = geo::webMercatorGrid(0, 19);
    EXPECT_EQ(g.crs, "EPSG:3857");
    EXPECT_EQ(g.maxLevel(), 19);
    EXPECT_EQ(g.minLevel, 0);
    EXPECT_EQ(g.tileWidth, 256);
    EXPECT_NEAR(g.levels[0].resolution, 156543.03392804097, 1e-6);  // the well-known zoom 0 metres per pixel
    EXPECT_EQ(g.levels[5].matrixWidth, 32);
    EXPECT_EQ(g.levels[5].matrixHeight, 32);
    EXPECT_EQ(g.levels[12].id, "12");

    const TileKey keys[] = {
        {0, 0, 0}, {1, 1, 0}, {3, 5, 2}, {12, 3349, 1782}, {15, 26792, 14261}, {19, 428678, 228184}};
    for (const TileKey& k : keys) {
        SCOPED_TRACE(std::to_string(k.z) + "/" + std::to_string(k.x) + "/" + std::to_string(k.y));
        BBox b = g.tileBounds(k);
        // Tolerance: far below a pixel at zoom 19 (0.3 m); the formulas' own rounding near the poles is larger than
        // 1e-9 m, hence not exact equality.
        const double tol = 1e-6;
        EXPECT_NEAR(b.minX, mercX(tileLon(k.x, k.z)), tol);
        EXPECT_NEAR(b.maxX, mercX(tileLon(k.x + 1, k.z)), tol);
        EXPECT_NEAR(b.maxY, mercY(tileLat(k.y, k.z)), 1e-3);
        EXPECT_NEAR(b.minY, mercY(tileLat(k.y + 1, k.z)), 1e-3);
        EXPECT_NEAR(b.width(), 2 * M_PI * kR / std::pow(2.0, k.z), tol);
        EXPECT_NEAR(b.height(), b.width(), tol);
    }
    // Pingshan (114.35E 22.7N) lies in tile 15/26792/14261.
    BBox ping = g.tileBounds({15, 26792, 14261});
    EXPECT_TRUE(ping.contains(mercX(114.35), mercY(22.7)));

    // The whole level is the square world; keys outside the levels give empty boxes.
    BBox world = g.levelBounds(4);
    EXPECT_NEAR(world.minX, -M_PI * kR, 1e-6);
    EXPECT_NEAR(world.maxX, M_PI * kR, 1e-6);
    EXPECT_NEAR(world.minY, -M_PI * kR, 1e-6);
    EXPECT_NEAR(world.maxY, M_PI * kR, 1e-6);
    EXPECT_TRUE(g.tileBounds({20, 0, 0}).empty());
    EXPECT_TRUE(g.tileBounds({-1, 0, 0}).empty());
    EXPECT_TRUE(g.levelBounds(20).empty());
}

TEST(TileGrid, CoveringATileItselfGivesExactlyThatTile) {
    TileGrid g = geo::webMercatorGrid(0, 22);
    // Every tile of the low levels and a spread of deep ones: boxes ending exactly on tile edges pull in no neighbour.
    for (int z = 0; z <= 6; ++z)
        for (int x = 0; x < (1 << z); ++x)
            for (int y = 0; y < (1 << z); ++y) {
                TileRange r = g.tilesCovering(g.tileBounds({z, x, y}), z);
                ASSERT_EQ(r.count(), 1) << z << "/" << x << "/" << y << " -> " << r.x0 << ".." << r.x1 << ", " << r.y0
                                        << ".." << r.y1;
                ASSERT_EQ(r.x0, x);
                ASSERT_EQ(r.y0, y);
            }
    for (int z = 7; z <= 22; ++z)
        for (int i = 0; i < 50; ++i) {
            int n = 1 << z;
            int x = int((int64_t(i) * 7919 * 104729) % n), y = int((int64_t(i) * 15485863 + 3) % n);
            TileRange r = g.tilesCovering(g.tileBounds({z, x, y}), z);
            ASSERT_EQ(r.count(), 1) << z << "/" << x << "/" << y << " -> " << r.x0 << ".." << r.x1 << ", " << r.y0
                                    << ".." << r.y1;
            ASSERT_EQ(r.x0, x);
            ASSERT_EQ(r.y0, y);
        }
}

TEST(TileGrid, CoveringBoxesOnTileEdgesAndClamping) {
    TileGrid g = geo::webMercatorGrid(0, 19);
    // A box running exactly from the left edge of column 2 to the right edge of column 4, rows 1-3 (zoom 3).
    BBox a = g.tileBounds({3, 2, 1}), b = g.tileBounds({3, 4, 3});
    expectRange(g.tilesCovering(box(a.minX, b.minY, b.maxX, a.maxY), 3), 3, 2, 1, 4, 3);
    // Past an edge by a fraction of a pixel takes the next tile in.
    const double hair = 1000.0;  // 1 km: a twentieth of a zoom 3 pixel (a zoom 3 tile is ~5000 km)
    expectRange(g.tilesCovering(box(a.minX - hair, b.minY, b.maxX + hair, a.maxY), 3), 3, 1, 1, 5, 3);
    expectRange(g.tilesCovering(box(a.minX, b.minY - hair, b.maxX, a.maxY + hair), 3), 3, 2, 0, 4, 4);
    // Inside one tile.
    BBox t = g.tileBounds({10, 836, 445});
    expectRange(g.tilesCovering(box(t.minX + 10, t.minY + 10, t.maxX - 10, t.maxY - 10), 10), 10, 836, 445, 836, 445);

    // A point (or a line) exactly on an edge: one tile, not none.
    TileRange point = g.tilesCovering(box(b.minX, b.maxY, b.minX, b.maxY), 3);
    EXPECT_EQ(point.count(), 1);
    EXPECT_EQ(g.tilesCovering(box(a.minX, a.minY + 10, a.minX, a.maxY - 10), 3).count(), 1);

    // Larger than the world: clamped to the matrix.
    const double big = 1e8;
    expectRange(g.tilesCovering(box(-big, -big, big, big), 2), 2, 0, 0, 3, 3);
    // Partly outside on the left and top.
    expectRange(g.tilesCovering(box(-big, a.minY, a.maxX, big), 3), 3, 0, 0, 2, 1);
    // Wholly outside the world, an empty box, or a level the grid has not: nothing.
    EXPECT_TRUE(g.tilesCovering(box(2.1e7, 0, 2.2e7, 1e6), 3).empty());
    EXPECT_TRUE(g.tilesCovering(BBox{}, 3).empty());
    EXPECT_EQ(g.tilesCovering(BBox{}, 3).count(), 0);
    EXPECT_TRUE(g.tilesCovering(box(0, 0, 1, 1), 25).empty());
    EXPECT_TRUE(g.tilesCovering(box(0, 0, 1, 1), -1).empty());
    // The whole world at zoom 5: 32 x 32.
    EXPECT_EQ(g.tilesCovering(g.levelBounds(5), 5).count(), 1024);
}

TEST(TileGrid, LevelForNeverUpsamplesMoreThanTheLimit) {
    TileGrid g = geo::webMercatorGrid(0, 19);
    int previous = -1;
    // From coarser than zoom 0 to finer than zoom 19, in steps of about 3 %: deeper outputs never get coarser tiles.
    for (double upp = 4e5; upp > 0.05; upp /= 1.03) {
        int z = g.levelFor(upp);
        ASSERT_GE(z, 0);
        ASSERT_LE(z, 19);
        ASSERT_GE(z, previous) << upp;
        previous = z;
        if (g.levels[size_t(z)].resolution > upp * 1.25) {
            // Only when even the finest level is too coarse.
            EXPECT_EQ(z, g.maxLevel()) << upp;
        }
        if (z > 0) {
            // The coarsest such level: the one above would upsample more than 1.25x.
            EXPECT_GT(g.levels[size_t(z - 1)].resolution, upp * 1.25) << upp;
        }
    }
    EXPECT_EQ(previous, 19);
    // Exactly a level's resolution gives that level; a little finer than 1.25x its resolution still does, beyond
    // that the next one.
    const double r14 = g.levels[14].resolution;
    EXPECT_EQ(g.levelFor(r14), 14);
    EXPECT_EQ(g.levelFor(r14 / 1.2), 14);
    EXPECT_EQ(g.levelFor(r14 / 1.3), 15);
    EXPECT_EQ(g.levelFor(r14 * 1.5), 14);  // zoom 13 would upsample 1.33x
    // A stricter limit: no upsampling at all.
    EXPECT_EQ(g.levelFor(r14 / 1.1, 1.0), 15);
    // An A0 sheet at 300 dpi over 2 km (~0.06 m per pixel) asks for deeper tiles than a 1000-px screen over it.
    EXPECT_GT(g.levelFor(2000.0 / 9933.0), g.levelFor(2000.0 / 1000.0));
}

TEST(TileGrid, LevelForClampsToTheServedLevels) {
    TileGrid g = geo::webMercatorGrid(3, 12);
    EXPECT_EQ(g.minLevel, 3);
    EXPECT_EQ(g.levelFor(1e9), 3);    // the world on a stamp: the first served level
    EXPECT_EQ(g.levelFor(1e-3), 12);  // finer than the source goes: its finest level
    EXPECT_EQ(g.levelFor(0.0), 12);   // no usable resolution: the finest
    EXPECT_EQ(g.levelFor(-5.0), 12);
    EXPECT_EQ(g.levelFor(std::nan("")), 12);
    TileGrid none;
    EXPECT_EQ(none.levelFor(10.0), -1);
    // Out-of-range arguments to the grid builder are clamped.
    TileGrid odd = geo::webMercatorGrid(25, 40);
    EXPECT_EQ(odd.maxLevel(), 30);
    EXPECT_EQ(odd.minLevel, 25);
}

TEST(TileGrid, RetinaTilesCoverTheSameGroundWithTwiceThePixels) {
    TileGrid g256 = geo::webMercatorGrid(0, 19), g512 = geo::webMercatorGrid(0, 19, 512);
    EXPECT_EQ(g512.tileWidth, 512);
    EXPECT_EQ(g512.tileHeight, 512);
    for (int z : {0, 7, 15}) {
        EXPECT_DOUBLE_EQ(g512.levels[size_t(z)].resolution * 2, g256.levels[size_t(z)].resolution);
        BBox a = g256.tileBounds({z, 3 % (1 << z), 1 % (1 << z)}), b = g512.tileBounds({z, 3 % (1 << z), 1 % (1 << z)});
        EXPECT_NEAR(a.minX, b.minX, 1e-6);
        EXPECT_NEAR(a.maxX, b.maxX, 1e-6);
        EXPECT_NEAR(a.minY, b.minY, 1e-6);
        EXPECT_NEAR(a.maxY, b.maxY, 1e-6);
    }
    // For the same output the 512-px grid needs one level less.
    for (double upp : {1000.0, 10.0, 0.5}) EXPECT_EQ(g512.levelFor(upp) + 1, g256.levelFor(upp)) << upp;
}

TEST(TileGrid, GeographicGridLevelOneIsTwoTilesOfHalfTheWorld) {
    TileGrid g = geo::geographicGrid("EPSG:4490", 0, 18);
    EXPECT_EQ(g.crs, "EPSG:4490");
    EXPECT_EQ(g.minLevel, 1);  // Tianditu's "_c" starts at level 1
    EXPECT_EQ(g.maxLevel(), 18);
    const geo::TileMatrix& m1 = g.levels[1];
    EXPECT_EQ(m1.matrixWidth, 2);
    EXPECT_EQ(m1.matrixHeight, 1);
    EXPECT_DOUBLE_EQ(m1.resolution, 0.703125);
    EXPECT_DOUBLE_EQ(m1.originX, -180);
    EXPECT_DOUBLE_EQ(m1.originY, 90);
    BBox west = g.tileBounds({1, 0, 0}), east = g.tileBounds({1, 1, 0});
    EXPECT_DOUBLE_EQ(west.minX, -180);
    EXPECT_DOUBLE_EQ(west.maxX, 0);
    EXPECT_DOUBLE_EQ(west.minY, -90);
    EXPECT_DOUBLE_EQ(west.maxY, 90);
    EXPECT_DOUBLE_EQ(east.minX, 0);
    EXPECT_DOUBLE_EQ(east.maxX, 180);
    BBox all = g.levelBounds(1);
    EXPECT_DOUBLE_EQ(all.minX, -180);
    EXPECT_DOUBLE_EQ(all.maxX, 180);
    EXPECT_DOUBLE_EQ(all.minY, -90);
    EXPECT_DOUBLE_EQ(all.maxY, 90);
    // Level z: 2^z x 2^(z-1) tiles, each halving the resolution.
    for (int z = 2; z <= 18; ++z) {
        EXPECT_EQ(g.levels[size_t(z)].matrixWidth, 1 << z);
        EXPECT_EQ(g.levels[size_t(z)].matrixHeight, 1 << (z - 1));
        EXPECT_DOUBLE_EQ(g.levels[size_t(z)].resolution, 0.703125 / (1 << (z - 1)));
    }
    // Pingshan at level 14 (a Tianditu tile with 114.35E 22.7N): column floor((114.35 + 180) / 360 * 2^14).
    TileRange r = g.tilesCovering(box(114.35, 22.7, 114.35 + 1e-9, 22.7 + 1e-9), 14);
    EXPECT_EQ(r.count(), 1);
    EXPECT_EQ(r.x0, int(std::floor((114.35 + 180) / 360 * (1 << 14))));
    EXPECT_EQ(r.y0, int(std::floor((90 - 22.7) / 180 * (1 << 13))));
    EXPECT_EQ(g.tilesCovering(g.levelBounds(3), 3).count(), 8 * 4);
    // The level never goes above the first served one, even for a whole-world output.
    EXPECT_EQ(g.levelFor(10.0), 1);
    // 512-px tiles: level 1 at half the degrees per pixel.
    EXPECT_DOUBLE_EQ(geo::geographicGrid("EPSG:4326", 1, 5, 512).levels[1].resolution, 0.3515625);
}

TEST(TileGrid, QuadtreeLevels) {
    TileGrid g = geo::webMercatorGrid(0, 10);
    for (int z = 0; z < 10; ++z) EXPECT_TRUE(g.quadtree(z)) << z;
    EXPECT_FALSE(g.quadtree(10));  // no level below the last
    EXPECT_FALSE(g.quadtree(-1));
    TileGrid geog = geo::geographicGrid("EPSG:4490", 1, 8);
    for (int z = 1; z < 8; ++z) EXPECT_TRUE(geog.quadtree(z)) << z;

    // A national grid whose levels are not halvings, or whose origin moves, is not a quadtree there.
    TileGrid n;
    n.crs = "EPSG:4547";
    for (double res : {100.0, 50.0, 20.0, 10.0}) {
        geo::TileMatrix m;
        m.resolution = res;
        m.matrixWidth = m.matrixHeight = 4;
        m.originX = 300000;
        m.originY = 2600000;
        n.levels.push_back(m);
    }
    n.levels[3].originX += 5000;
    EXPECT_TRUE(n.quadtree(0));
    EXPECT_FALSE(n.quadtree(1));  // 50 -> 20
    EXPECT_FALSE(n.quadtree(2));  // 20 -> 10 but the origin moved
}

TEST(TileGrid, KeysParentsAndRanges) {
    TileKey k{5, 13, 22};
    EXPECT_EQ(k.parent(), (TileKey{4, 6, 11}));
    EXPECT_EQ(k.parent().parent(), (TileKey{3, 3, 5}));
    EXPECT_TRUE((TileKey{1, 9, 9}) < (TileKey{2, 0, 0}));
    EXPECT_TRUE((TileKey{2, 0, 9}) < (TileKey{2, 1, 0}));
    EXPECT_FALSE(k < k);
    // Keys that differ in one coordinate hash apart.
    std::unordered_set<size_t> hashes;
    geo::TileKeyHash h;
    for (int z = 0; z < 4; ++z)
        for (int x = 0; x < 8; ++x)
            for (int y = 0; y < 8; ++y) hashes.insert(h({z, x, y}));
    EXPECT_EQ(hashes.size(), 4u * 8 * 8);

    TileRange r{3, 2, 1, 4, 3};
    EXPECT_FALSE(r.empty());
    EXPECT_EQ(r.count(), 9);
    EXPECT_TRUE(TileRange{}.empty());
    EXPECT_EQ(TileRange{}.count(), 0);
    // Counts of deep levels do not overflow 32 bits.
    TileRange deep{20, 0, 0, (1 << 20) - 1, (1 << 20) - 1};
    EXPECT_EQ(deep.count(), int64_t(1) << 40);
}

// TileWarp: tiles as plain quads in their own CRS; warped through PROJ into EPSG:4326 and EPSG:4547 (mesh corners
// where PROJ puts the tile's corners); GCJ-02 sources moved onto WGS84 by the ~600 m Pingshan offset; toGrid as the
// inverse of the mesh; meshes made on many threads at once.
#include "tiles/tile_warp.hpp"

#include <gtest/gtest.h>
#include <proj.h>

#include <cmath>
#include <thread>

#include "core/error.hpp"
#include "crs/gcj02.hpp"

using geo::BBox;
using geo::Crs;
using geo::TileKey;
using geo::TileMesh;
using geo::TileWarp;

namespace {

constexpr double kR = 6378137.0;
// Pingshan (114.35E 22.7N) at zoom 15, and a coarser tile around it.
constexpr TileKey kPingshan15{15, 26792, 14261};
constexpr TileKey kPingshan12{12, 3349, 1782};

double lonOfX(double x) {
    return x / kR * 180.0 / M_PI;
}
double latOfY(double y) {
    return std::atan(std::sinh(y / kR)) * 180.0 / M_PI;
}
double xOfLon(double lon) {
    return kR * lon * M_PI / 180.0;
}
double yOfLat(double lat) {
    return kR * std::log(std::tan(M_PI / 4.0 + lat * M_PI / 360.0));
}

// Metres between two lon/lat points (haversine on the WGS84 semi-major sphere; fine for a ~600 m offset).
double metres(double lon1, double lat1, double lon2, double lat2) {
    double p1 = lat1 * M_PI / 180, p2 = lat2 * M_PI / 180, dp = p2 - p1, dl = (lon2 - lon1) * M_PI / 180;
    double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2 * kR * std::asin(std::sqrt(a));
}

// Vertex i, j (column, row) of an n x n mesh in display coordinates.
struct Vertex {
    double x, y, u, v;
};
Vertex vertex(const TileMesh& m, int n, int i, int j) {
    size_t p = size_t(j) * size_t(n + 1) + size_t(i);
    const float* v = &m.vertices[p * 4];
    return {m.originX + v[0], m.originY + v[1], v[2], v[3]};
}

// The tile's corner (ci, cj in {0, 1}, column and row) in the grid CRS.
void corner(const BBox& b, int ci, int cj, double& x, double& y) {
    x = ci ? b.maxX : b.minX;
    y = cj ? b.minY : b.maxY;
}

// PROJ itself, straight from the C API (lon/lat and east/north order), as the reference.
class ProjRef {
public:
    ProjRef(const char* from, const char* to) {
        ctx_ = proj_context_create();
        PJ* op = proj_create_crs_to_crs(ctx_, from, to, nullptr);
        pj_ = op ? proj_normalize_for_visualization(ctx_, op) : nullptr;
        proj_destroy(op);
    }
    ~ProjRef() {
        proj_destroy(pj_);
        proj_context_destroy(ctx_);
    }
    bool ok() const { return pj_ != nullptr; }
    void apply(double x, double y, double& ox, double& oy) const {
        PJ_COORD c = proj_coord(x, y, 0, 0);
        PJ_COORD r = proj_trans(pj_, PJ_FWD, c);
        ox = r.xy.x;
        oy = r.xy.y;
    }

private:
    PJ_CONTEXT* ctx_ = nullptr;
    PJ* pj_ = nullptr;
};

// Checks the four corners and the centre vertex of an n x n mesh against `expect` applied to the grid points.
template <typename F>
void expectMeshAt(const TileMesh& m, int n, const BBox& tile, double tol, F expect) {
    ASSERT_EQ(m.vertices.size(), size_t((n + 1) * (n + 1) * 4));
    ASSERT_EQ(m.indices.size(), size_t(n * n * 6));
    for (int cj = 0; cj <= 1; ++cj)
        for (int ci = 0; ci <= 1; ++ci) {
            double gx, gy, ex, ey;
            corner(tile, ci, cj, gx, gy);
            expect(gx, gy, ex, ey);
            Vertex v = vertex(m, n, ci * n, cj * n);
            EXPECT_NEAR(v.x, ex, tol) << "corner " << ci << "," << cj;
            EXPECT_NEAR(v.y, ey, tol) << "corner " << ci << "," << cj;
            EXPECT_FLOAT_EQ(v.u, float(ci));
            EXPECT_FLOAT_EQ(v.v, float(cj));  // v = 0 on the tile's top row
        }
    if (n < 2) return;
    double ex, ey;
    expect(tile.centerX(), tile.centerY(), ex, ey);
    Vertex c = vertex(m, n, n / 2, n / 2);
    EXPECT_NEAR(c.x, ex, tol) << "centre";
    EXPECT_NEAR(c.y, ey, tol) << "centre";
    EXPECT_FLOAT_EQ(c.u, 0.5f);
    EXPECT_FLOAT_EQ(c.v, 0.5f);
}

}  // namespace

TEST(TileWarp, SameCrsIsOnePlainQuad) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    TileWarp w(g, Crs::fromUser("EPSG:3857"), false);
    EXPECT_TRUE(w.plain());
    BBox tile = g.tileBounds(kPingshan15);
    TileMesh m = w.mesh(kPingshan15);  // n is ignored for plain tiles
    ASSERT_EQ(m.vertices.size(), 16u);
    ASSERT_EQ(m.indices.size(), 6u);
    EXPECT_FALSE(m.empty());
    expectMeshAt(m, 1, tile, 1e-3, [](double x, double y, double& ox, double& oy) {
        ox = x;
        oy = y;
    });
    EXPECT_NEAR(m.bounds.minX, tile.minX, 1e-6);
    EXPECT_NEAR(m.bounds.maxY, tile.maxY, 1e-6);
    // The origin sits inside the tile: float offsets stay small at 2.5e6 m northings too.
    EXPECT_TRUE(tile.contains(m.originX, m.originY));
    // Boxes go through unchanged; one grid unit per display unit.
    BBox view{tile.minX, tile.minY, tile.maxX, tile.maxY};
    BBox back = w.toGrid(view);
    EXPECT_DOUBLE_EQ(back.minX, view.minX);
    EXPECT_DOUBLE_EQ(back.maxY, view.maxY);
    EXPECT_DOUBLE_EQ(w.gridUnitsPerDisplayUnit(view), 1.0);
    // The same CRS spelt otherwise is still plain.
    EXPECT_TRUE(TileWarp(g, Crs::fromUser("epsg:3857"), false).plain());
    // Tiles outside the grid have no mesh.
    EXPECT_TRUE(w.mesh({25, 0, 0}).empty());
    EXPECT_TRUE(w.mesh({-1, 0, 0}).empty());
}

TEST(TileWarp, ToWgs84CornersAreTheInverseMercator) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    TileWarp w(g, Crs::fromUser("EPSG:4326"), false);
    EXPECT_FALSE(w.plain());
    for (TileKey k : {kPingshan15, kPingshan12, TileKey{2, 1, 1}}) {
        SCOPED_TRACE(std::to_string(k.z));
        const int n = 16;
        TileMesh m = w.mesh(k, n);
        // Float offsets from the mesh origin: ~1e-7 degree on a tile tens of degrees wide.
        const double tol = k.z < 5 ? 1e-5 : 1e-7;
        expectMeshAt(m, n, g.tileBounds(k), tol, [](double x, double y, double& lon, double& lat) {
            lon = lonOfX(x);
            lat = latOfY(y);
        });
        // Within a column the longitude is constant (meridians stay straight in lon/lat).
        EXPECT_NEAR(vertex(m, n, 3, 0).x, vertex(m, n, 3, n).x, 1e-7);
    }
    // PROJ's own answer agrees as well.
    ProjRef ref("EPSG:3857", "EPSG:4326");
    ASSERT_TRUE(ref.ok());
    expectMeshAt(
        w.mesh(kPingshan15, 8), 8, g.tileBounds(kPingshan15), 1e-7, [&](double x, double y, double& ox, double& oy) {
            ref.apply(x, y, ox, oy);
        });
    // A tile of the far north still gives a mesh (latitudes below 85.06).
    TileMesh north = w.mesh({3, 2, 0}, 4);
    EXPECT_FALSE(north.empty());
    EXPECT_NEAR(north.bounds.maxY, 85.0511287798, 1e-6);
}

TEST(TileWarp, ToCgcs2000GaussKrugerCornersMatchProj) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    TileWarp w(g, Crs::fromUser("EPSG:4547"), false);
    EXPECT_FALSE(w.plain());
    ProjRef ref("EPSG:3857", "EPSG:4547");
    ASSERT_TRUE(ref.ok());
    for (TileKey k : {kPingshan15, kPingshan12}) {
        SCOPED_TRACE(std::to_string(k.z));
        // 1 mm: the float offsets from the mesh origin at ~2.5e6 m northings are far finer than that.
        expectMeshAt(w.mesh(k, 16), 16, g.tileBounds(k), 1e-3, [&](double x, double y, double& ox, double& oy) {
            ref.apply(x, y, ox, oy);
        });
    }
    TileMesh m = w.mesh(kPingshan15, 16);
    // 4547 is in metres on the ground; a zoom 15 Web Mercator tile at 22.7N is ~1223 m * cos(22.7) a side.
    const double side = 2 * M_PI * kR / (1 << 15) * std::cos(22.7 * M_PI / 180);
    EXPECT_NEAR(m.bounds.width(), side, 0.02 * side);
    EXPECT_NEAR(m.bounds.height(), side, 0.02 * side);
    EXPECT_GT(m.bounds.minY, 2.4e6);
    // Grid metres per display metre: the Mercator scale factor sec(lat), within the tile's spread.
    EXPECT_NEAR(w.gridUnitsPerDisplayUnit(m.bounds), 1.0 / std::cos(22.7 * M_PI / 180), 0.01);
}

TEST(TileWarp, ToGridInvertsTheMesh) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    for (const char* crs : {"EPSG:4547", "EPSG:4326"}) {
        SCOPED_TRACE(crs);
        const bool degrees = std::string(crs) == "EPSG:4326";
        TileWarp w(g, Crs::fromUser(crs), false);
        const int n = 16;
        TileMesh m = w.mesh(kPingshan15, n);
        BBox tile = g.tileBounds(kPingshan15);
        const double d = degrees ? 1e-8 : 1e-3;  // a tiny box around a vertex
        for (int j = 0; j <= n; j += 4)
            for (int i = 0; i <= n; i += 4) {
                Vertex v = vertex(m, n, i, j);
                BBox g0 = w.toGrid(BBox{v.x - d, v.y - d, v.x + d, v.y + d});
                ASSERT_FALSE(g0.empty());
                // The grid point the vertex came from, within a centimetre.
                EXPECT_NEAR(g0.centerX(), tile.minX + tile.width() * i / n, 0.01) << i << "," << j;
                EXPECT_NEAR(g0.centerY(), tile.maxY - tile.height() * j / n, 0.01) << i << "," << j;
            }
        // The mesh's bounds come back covering the tile, and not much more.
        BBox back = w.toGrid(m.bounds);
        EXPECT_LE(back.minX, tile.minX + 0.01);
        EXPECT_LE(back.minY, tile.minY + 0.01);
        EXPECT_GE(back.maxX, tile.maxX - 0.01);
        EXPECT_GE(back.maxY, tile.maxY - 0.01);
        EXPECT_LT(back.width(), tile.width() * 1.05);
        EXPECT_LT(back.height(), tile.height() * 1.05);
        // The view's box in the grid covers exactly the tile when it is the tile's own mesh.
        geo::TileRange r = g.tilesCovering(w.toGrid(BBox{m.bounds.centerX() - (degrees ? 1e-5 : 1.0),
                                                         m.bounds.centerY() - (degrees ? 1e-5 : 1.0),
                                                         m.bounds.centerX() + (degrees ? 1e-5 : 1.0),
                                                         m.bounds.centerY() + (degrees ? 1e-5 : 1.0)}),
                                           15);
        EXPECT_EQ(r.count(), 1);
        EXPECT_EQ(r.x0, kPingshan15.x);
        EXPECT_EQ(r.y0, kPingshan15.y);
    }
    EXPECT_TRUE(TileWarp(g, Crs::fromUser("EPSG:4326"), false).toGrid(BBox{}).empty());
}

TEST(TileWarp, Gcj02TilesLandOnWgs84) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    // A GCJ-02 source (AMap) in a lon/lat display: each grid point's GCJ-02 lon/lat, converted to WGS84.
    TileWarp w(g, Crs::fromUser("EPSG:4326"), true);
    EXPECT_FALSE(w.plain());
    const int n = 16;
    TileMesh m = w.mesh(kPingshan15, n);
    BBox tile = g.tileBounds(kPingshan15);
    expectMeshAt(m, n, tile, 1e-7, [](double x, double y, double& lon, double& lat) {
        geo::gcj02ToWgs84(lonOfX(x), latOfY(y), lon, lat);
    });
    for (int cj = 0; cj <= 1; ++cj)
        for (int ci = 0; ci <= 1; ++ci) {
            double gx, gy;
            corner(tile, ci, cj, gx, gy);
            Vertex v = vertex(m, n, ci * n, cj * n);
            // Shifted by the GCJ-02 offset over Pingshan: some 500-600 m (GCJ-02 lies east and south of WGS84
            // there, so the WGS84 place of a GCJ-02 point is west and north of it)
            double shift = metres(lonOfX(gx), latOfY(gy), v.x, v.y);
            EXPECT_GT(shift, 450);
            EXPECT_LT(shift, 700);
            EXPECT_LT(v.x, lonOfX(gx));
            EXPECT_GT(v.y, latOfY(gy));
            // and the forward formula takes the WGS84 vertex back onto the GCJ-02 grid point (to ~1 mm).
            double glon, glat;
            geo::wgs84ToGcj02(v.x, v.y, glon, glat);
            EXPECT_NEAR(glon, lonOfX(gx), 1e-8);
            EXPECT_NEAR(glat, latOfY(gy), 1e-8);
        }

    // Drawn in Web Mercator itself, the same tile is no longer a plain quad: it moves by the same offset.
    TileWarp w3857(g, Crs::fromUser("EPSG:3857"), true);
    EXPECT_FALSE(w3857.plain());
    TileMesh m3 = w3857.mesh(kPingshan15, n);
    expectMeshAt(m3, n, tile, 1e-3, [](double x, double y, double& ox, double& oy) {
        double lon, lat;
        geo::gcj02ToWgs84(lonOfX(x), latOfY(y), lon, lat);
        ox = xOfLon(lon);
        oy = yOfLat(lat);
    });
    // In EPSG:4547 too (metres on the ground, the offset ~550 m).
    TileWarp w4547(g, Crs::fromUser("EPSG:4547"), true);
    TileWarp plain4547(g, Crs::fromUser("EPSG:4547"), false);
    Vertex a = vertex(w4547.mesh(kPingshan15, n), n, 0, 0), b = vertex(plain4547.mesh(kPingshan15, n), n, 0, 0);
    double moved = std::hypot(a.x - b.x, a.y - b.y);
    EXPECT_GT(moved, 450);
    EXPECT_LT(moved, 700);

    // toGrid goes back through GCJ-02: a WGS84 vertex's box finds its GCJ-02 grid point.
    for (int j = 0; j <= n; j += 8)
        for (int i = 0; i <= n; i += 8) {
            Vertex v = vertex(m, n, i, j);
            BBox back = w.toGrid(BBox{v.x - 1e-8, v.y - 1e-8, v.x + 1e-8, v.y + 1e-8});
            EXPECT_NEAR(back.centerX(), tile.minX + tile.width() * i / n, 0.02);
            EXPECT_NEAR(back.centerY(), tile.maxY - tile.height() * j / n, 0.02);
        }
    // A WGS84 view box over the tile's mesh asks for the GCJ-02 tile itself.
    BBox probe{
        m.bounds.centerX() - 1e-5, m.bounds.centerY() - 1e-5, m.bounds.centerX() + 1e-5, m.bounds.centerY() + 1e-5};
    geo::TileRange r = g.tilesCovering(w.toGrid(probe), 15);
    EXPECT_EQ(r.count(), 1);
    EXPECT_EQ(r.x0, kPingshan15.x);
    EXPECT_EQ(r.y0, kPingshan15.y);
}

TEST(TileWarp, Gcj02OutsideChinaIsUnchanged) {
    // As published, the GCJ-02 offset only applies inside China: a tile over Paris lands where a WGS84 one does.
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    TileWarp gcj(g, Crs::fromUser("EPSG:4326"), true), wgs(g, Crs::fromUser("EPSG:4326"), false);
    TileKey paris{12, 2074, 1408};
    TileMesh a = gcj.mesh(paris, 4), b = wgs.mesh(paris, 4);
    for (int p = 0; p < 25; ++p) {
        Vertex va = vertex(a, 4, p % 5, p / 5), vb = vertex(b, 4, p % 5, p / 5);
        EXPECT_NEAR(va.x, vb.x, 1e-9);
        EXPECT_NEAR(va.y, vb.y, 1e-9);
    }
}

TEST(TileWarp, GeographicGridIntoWebMercatorAndGaussKruger) {
    // Tianditu's CGCS2000 "_c" tiles drawn in EPSG:3857 / EPSG:4547.
    geo::TileGrid g = geo::geographicGrid("EPSG:4490", 1, 18);
    TileKey k{14, int(std::floor((114.35 + 180) / 360 * (1 << 14))), int(std::floor((90 - 22.7) / 180 * (1 << 13)))};
    BBox tile = g.tileBounds(k);
    ASSERT_TRUE(tile.contains(114.35, 22.7));
    for (const char* crs : {"EPSG:3857", "EPSG:4547"}) {
        SCOPED_TRACE(crs);
        ProjRef ref("EPSG:4490", crs);
        ASSERT_TRUE(ref.ok());
        TileWarp w(g, Crs::fromUser(crs), false);
        expectMeshAt(w.mesh(k, 16), 16, tile, 1e-3, [&](double x, double y, double& ox, double& oy) {
            ref.apply(x, y, ox, oy);
        });
    }
}

TEST(TileWarp, UnknownCrsThrows) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    g.crs = "EPSG:999999";
    EXPECT_THROW(TileWarp(g, Crs::fromUser("EPSG:4326"), false), geo::CrsError);
}

TEST(TileWarp, MeshesOnManyThreadsAgree) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    TileWarp w(g, Crs::fromUser("EPSG:4547"), true);
    std::vector<TileKey> keys;
    for (int dx = 0; dx < 4; ++dx)
        for (int dy = 0; dy < 4; ++dy) keys.push_back({15, kPingshan15.x + dx, kPingshan15.y + dy});
    std::vector<TileMesh> serial;
    for (const TileKey& k : keys) serial.push_back(w.mesh(k, 8));
    std::vector<std::vector<TileMesh>> parallel(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int rep = 0; rep < 3; ++rep)
                for (const TileKey& k : keys) parallel[size_t(t)].push_back(w.mesh(k, 8));
        });
    for (auto& t : threads) t.join();
    for (const auto& list : parallel) {
        ASSERT_EQ(list.size(), keys.size() * 3);
        for (size_t i = 0; i < list.size(); ++i) {
            EXPECT_EQ(list[i].vertices, serial[i % keys.size()].vertices);
            EXPECT_EQ(list[i].indices, serial[i % keys.size()].indices);
        }
    }
}

// The mesh is as dense as the warp bends: a city tile into the local Gauss-Kruger CRS needs a cell or a few
// (every extra triangle costs on llvmpipe), a quarter of the globe into EPSG:4326 needs the densest mesh; and the
// chosen mesh is within a tenth of a tile pixel of the true warp at its cells' centres.
TEST(TileWarp, MeshDensityFollowsTheCurvature) {
    geo::TileGrid g = geo::webMercatorGrid(0, 19);
    TileWarp gk(g, Crs::fromUser("EPSG:4547"), false);
    EXPECT_LE(gk.density(kPingshan15), 2);
    EXPECT_EQ(gk.mesh(kPingshan15).vertices.size(), size_t((gk.density(kPingshan15) + 1) * (gk.density(kPingshan15) + 1) * 4));
    TileWarp ll(g, Crs::fromUser("EPSG:4326"), false);
    EXPECT_EQ(ll.density({1, 1, 0}), 16);
    const geo::TileKey k{12, 3348, 1782};  // Pingshan at zoom 12
    const int n = ll.density(k);
    TileMesh m = ll.mesh(k, n);
    BBox tile = g.tileBounds(k);
    geo::Transformer t(Crs::fromUser("EPSG:3857"), Crs::fromUser("EPSG:4326"));
    const double pixel = m.bounds.height() / 256.0;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            double xy[2] = {tile.minX + tile.width() * (i + 0.5) / n, tile.maxY - tile.height() * (j + 0.5) / n};
            t.transform(xy, 1);
            auto v = [&](int a, int b, int c) { return double(m.vertices[size_t((b * (n + 1) + a) * 4 + c)]); };
            double my = 0.25 * (v(i, j, 1) + v(i + 1, j, 1) + v(i, j + 1, 1) + v(i + 1, j + 1, 1)) + m.originY;
            EXPECT_LT(std::abs(my - xy[1]), 0.1 * pixel + 1e-9) << i << "," << j;
        }
}

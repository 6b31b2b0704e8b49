#pragma once
// Coordinate reference systems and batch transformation through PROJ.
//
// A Crs is a plain value (its definition text plus facts read once from PROJ), safe to copy between threads.
// A Transformer owns its own PJ_CONTEXT, so each thread makes its own Transformer ("one threading context per
// thread", PROJ quickstart). Axis order is always normalised for visualisation: x = easting/longitude,
// y = northing/latitude, whatever the authority says (EPSG:4326 and EPSG:4547 are lat/lon and northing-first).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <proj.h>

#include "core/bbox.hpp"

namespace geo {

struct PjContextDeleter {
    void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct PjDeleter {
    void operator()(PJ* p) const { proj_destroy(p); }
};
using PjContextPtr = std::unique_ptr<PJ_CONTEXT, PjContextDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

class Crs {
public:
    Crs() = default;
    // "EPSG:3857", "epsg:4547", a PROJ string or WKT. Throws CrsError naming `definition` if PROJ cannot parse it.
    static Crs fromUser(const std::string& definition);
    static Crs wgs84() { return fromUser("EPSG:4326"); }

    bool valid() const { return !definition_.empty(); }
    const std::string& definition() const { return definition_; }
    // "EPSG:4547" when the CRS has an EPSG identifier, otherwise the CRS name.
    const std::string& id() const { return id_; }
    const std::string& name() const { return name_; }
    bool isGeographic() const { return geographic_; }
    int epsg() const { return epsg_; }
    bool operator==(const Crs& o) const { return definition_ == o.definition_; }

private:
    std::string definition_;
    std::string id_;
    std::string name_;
    bool geographic_ = false;
    int epsg_ = 0;
};

class Transformer {
public:
    // Throws CrsError when no operation exists between the two.
    Transformer(const Crs& from, const Crs& to);
    Transformer(Transformer&&) noexcept = default;
    Transformer& operator=(Transformer&&) noexcept = default;

    // Transforms `count` interleaved x,y pairs in place. Points that cannot be transformed become +inf;
    // returns how many did.
    size_t transform(double* xy, size_t count) const;
    size_t inverse(double* xy, size_t count) const;
    bool identity() const { return !pj_; }
    // True when PROJ had no real datum transformation and fell back to a "ballpark" one.
    bool ballpark() const { return ballpark_; }

private:
    size_t run(PJ_DIRECTION dir, double* xy, size_t count) const;
    PjContextPtr ctx_;
    PjPtr pj_;
    bool ballpark_ = false;
};

// Transforms a bbox by sampling its edges (21 points a side), for extents across CRSs. Samples that fail to
// transform are skipped; an empty box, or one whose samples all fail, gives an empty box.
BBox transformBox(const BBox& box, const Transformer& t);

// Ground distance in metres between two WGS84 lon/lat points: the haversine formula on a sphere with the IUGG
// mean radius (no ellipsoid, no Vincenty); errors under 0.5 %, enough for a scale bar and 1:N display.
double groundDistanceMeters(double lon0, double lat0, double lon1, double lat1);

}  // namespace geo

namespace geo {

// Batch transformation through a grid of exact PROJ results, interpolated bilinearly in between, in the
// spirit of GDAL's approximate transformer: PROJ's per-point cost (~180 ns here) dominates loading large
// layers, while the mapping between two CRSs is smooth over a city. The grid is checked at every cell centre
// against PROJ; if any cell is off by more than `tolerance` (target units) the grid is refined, and if it is
// still off at the finest level, or a grid node fails to transform, the exact path is used for the whole batch.
class GridTransformer {
public:
    // `extent` is the source-CRS box the points lie in; `tolerance` in target units (0 = choose: 1 mm for
    // projected targets, 1e-8 degree for geographic ones).
    GridTransformer(const Transformer& exact, const BBox& extent, bool targetGeographic, double tolerance = 0);
    // Transforms in place like Transformer::transform; returns how many points transformed.
    size_t transform(double* xy, size_t count) const;
    bool usesGrid() const { return !nodes_.empty(); }
    // One point through the grid alone, as transform() takes it there: false (the point left as it was) outside the
    // grid, for a non-finite point or when there is no grid. Const and without PROJ, so threads may share it.
    bool onGrid(double& x, double& y) const {
        double fx = (x - extent_.minX) * sx_, fy = (y - extent_.minY) * sy_;
        if (!(fx >= 0 && fy >= 0 && fx <= edge_ && fy <= edge_)) return false;
        // (The extent's own edge can land a rounding past n: it is on the grid.)
        const int i = std::min(static_cast<int>(fx), n_ - 1), j = std::min(static_cast<int>(fy), n_ - 1);
        const double u = std::min(fx - i, 1.0), v = std::min(fy - j, 1.0);
        const double* a = &nodes_[2 * (size_t(j) * size_t(n_ + 1) + size_t(i))];
        const double* b = a + 2;
        const double* c = a + 2 * (n_ + 1);
        const double* d = c + 2;
        x = (1 - v) * ((1 - u) * a[0] + u * b[0]) + v * ((1 - u) * c[0] + u * d[0]);
        y = (1 - v) * ((1 - u) * a[1] + u * b[1]) + v * ((1 - u) * c[1] + u * d[1]);
        return true;
    }
    int cells() const { return n_; }
    double maxError() const { return maxError_; }

private:
    const Transformer& exact_;
    BBox extent_;
    int n_ = 0;                 // cells per side
    double sx_ = 0, sy_ = 0;    // cells per source unit
    double edge_ = -1;          // n, and a rounding more (-1: no grid)
    std::vector<double> nodes_;  // (n+1)^2 target x,y
    double maxError_ = 0;
};

}  // namespace geo

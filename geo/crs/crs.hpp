#pragma once
// Coordinate reference systems and batch transformation through PROJ.
//
// A Crs is a plain value (its definition text plus facts read once from PROJ), safe to copy between threads.
// A Transformer owns its own PJ_CONTEXT, so each thread makes its own Transformer ("one threading context per
// thread", PROJ quickstart). Axis order is always normalised for visualisation: x = easting/longitude,
// y = northing/latitude, whatever the authority says (EPSG:4326 and EPSG:4547 are lat/lon and northing-first).
#include <memory>
#include <string>

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

// Ground distance in metres between two WGS84 lon/lat points (Vincenty-free spherical approximation with the
// WGS84 mean radius; errors under 0.5 %, enough for a scale bar and 1:N display).
// Transforms a bbox by sampling its edges (21 points a side), for extents across CRSs.
BBox transformBox(const BBox& box, const Transformer& t);

double groundDistanceMeters(double lon0, double lat0, double lon1, double lat1);

}  // namespace geo

#pragma once
// Placing a CAD drawing on the map by control points: a 2-D similarity (Helmert: one scale, one rotation, a
// translation; 4 parameters) fitted by least squares to two or more drawing -> map pairs.
//
// The fit runs in metres. For a projected map CRS that is the CRS itself (map units converted to metres for the
// residuals); for a geographic one (lon/lat) it is a local transverse Mercator (scale 1) on the CRS's ellipsoid,
// centred on the control points, where a drawing's metres stay metres (a similarity straight into degrees would
// stretch east-west by 1/cos(latitude)).
#include <vector>

#include "crs/crs.hpp"
#include "source/source_options.hpp"
#include "store/feature_table.hpp"

namespace geo {

struct VectorData;

// fit = [a -b; b a] * drawing + [tx; ty], with a = scale * cos(rotation), b = scale * sin(rotation).
struct Similarity {
    double a = 1, b = 0, tx = 0, ty = 0;

    double scale() const;
    // Counter-clockwise rotation from drawing to map axes, in degrees (-180, 180].
    double rotationDegrees() const;
    void apply(double& x, double& y) const {
        const double x0 = x;
        x = a * x0 - b * y + tx;
        y = b * x0 + a * y + ty;
    }
    // The map -> drawing transform. Requires scale() > 0.
    Similarity inverse() const;
};

// One control point's misfit: fitted position minus the given map position, in metres (east, north).
struct ControlPointResidual {
    double east = 0, north = 0;
    double metres = 0;  // the length of (east, north)
};

struct ControlPointFit {
    // drawing -> map units (projected map CRS) or -> local transverse Mercator metres (geographic map CRS).
    Similarity transform;
    // Geographic map CRS: the local frame's centre (the control points' mean), in map lon/lat.
    bool localFrame = false;
    double frameLon = 0, frameLat = 0;
    std::vector<ControlPointResidual> residuals;  // one per control point, in the given order
    double rmsMetres = 0;                         // sqrt(mean of residual metres squared)
    double maxMetres = 0;
};

// Fits drawing -> map from `points` (map coordinates in `mapCrs`, x = easting/longitude). Two pairs give an
// exact fit; more give least squares with residuals. Throws CrsError when there are fewer than two pairs, a
// value is not finite, the drawing points (or the map points) all coincide, or `mapCrs` is invalid.
ControlPointFit fitSimilarity(const std::vector<ControlPoint>& points, const Crs& mapCrs);

// Transforms every vertex of `table` in place (its extent changes; its topology does not).
void applySimilarity(FeatureTable& table, const Similarity& s);

// Drawing coordinates -> map coordinates in `mapCrs` (the CRS given to fitSimilarity), `count` x,y pairs in place.
void placePoints(const ControlPointFit& fit, const Crs& mapCrs, double* xy, size_t count);

// Residuals above this (RMS, metres) make placeByControlPoints warn.
constexpr double kControlPointWarnMetres = 1.0;

// What readVectorLayer does with options.controlPoints: fits, moves every vertex of data.table into
// options.crs (through the local frame when that is geographic) and sets data.crs = options.crs; adds a warning
// naming the RMS when it exceeds kControlPointWarnMetres. Returns the fit. Throws CrsError naming data.path when
// options.crs is empty or the fit fails.
ControlPointFit placeByControlPoints(VectorData& data, const SourceOptions& options);

}  // namespace geo

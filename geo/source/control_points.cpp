#include "source/control_points.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>


#include "core/error.hpp"
#include "source/vector_source.hpp"

namespace geo {

double Similarity::scale() const { return std::hypot(a, b); }

double Similarity::rotationDegrees() const { return std::atan2(b, a) * 180.0 / M_PI; }

Similarity Similarity::inverse() const {
    // drawing = R^-1 (fit - t), and R^-1 = [a b; -b a] / (a^2 + b^2).
    const double d = a * a + b * b;
    Similarity inv;
    inv.a = a / d;
    inv.b = -b / d;
    inv.tx = -(inv.a * tx - inv.b * ty);
    inv.ty = -(inv.b * tx + inv.a * ty);
    return inv;
}

namespace {

// The horizontal, unbound part of a CRS: what its axes and ellipsoid are read from.
PjPtr horizontalCrs(PJ_CONTEXT* ctx, const Crs& crs) {
    PjPtr pj(proj_create(ctx, crs.definition().c_str()));
    if (pj && proj_get_type(pj.get()) == PJ_TYPE_BOUND_CRS) pj.reset(proj_get_source_crs(ctx, pj.get()));
    if (pj && proj_get_type(pj.get()) == PJ_TYPE_COMPOUND_CRS) pj.reset(proj_crs_get_sub_crs(ctx, pj.get(), 0));
    if (!pj) throw CrsError("", "", "cannot read the map CRS '" + crs.id() + "' for control points");
    return pj;
}

// The conversion factor of a CRS's first axis: to metres (projected) or to radians (geographic).
double axisUnitFactor(PJ_CONTEXT* ctx, PJ* crs, double fallback) {
    PjPtr cs(proj_crs_get_coordinate_system(ctx, crs));
    double factor = 0;
    if (!cs || !proj_cs_get_axis_info(ctx, cs.get(), 0, nullptr, nullptr, nullptr, &factor, nullptr, nullptr, nullptr))
        return fallback;
    return factor > 0 ? factor : fallback;
}

double metresPerUnit(const Crs& crs) {
    PjContextPtr ctx(proj_context_create());
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    PjPtr h = horizontalCrs(ctx.get(), crs);
    return axisUnitFactor(ctx.get(), h.get(), 1.0);
}

// A transverse Mercator (scale 1 at its central meridian, no false origin) on the ellipsoid of a geographic CRS,
// centred on lon0/lat0: within a city its scale error is under 1e-6, so its metres are ground metres. Built as a
// bare PROJ operation (no CRS objects, no database look-up: a fit stays fast enough to redo while the user
// edits the points); map coordinates are in the CRS's own angular unit, x = longitude.
class LocalFrame {
public:
    LocalFrame(const Crs& geographic, double lon0, double lat0) : ctx_(proj_context_create()) {
        proj_log_level(ctx_.get(), PJ_LOG_NONE);
        PjPtr h = horizontalCrs(ctx_.get(), geographic);
        toRadians_ = axisUnitFactor(ctx_.get(), h.get(), M_PI / 180.0);
        PjPtr ellipsoid(proj_get_ellipsoid(ctx_.get(), h.get()));
        double a = 0, b = 0, invFlattening = 0;
        int computed = 0;
        if (!ellipsoid ||
            !proj_ellipsoid_get_parameters(ctx_.get(), ellipsoid.get(), &a, &b, &computed, &invFlattening))
            throw CrsError("", "", "cannot read the ellipsoid of '" + geographic.id() + "' for control points");
        char def[256];
        std::snprintf(def,
                      sizeof def,
                      "+proj=tmerc +lat_0=%.12f +lon_0=%.12f +k=1 +x_0=0 +y_0=0 +a=%.6f +b=%.6f",
                      lat0 * toRadians_ * 180.0 / M_PI,
                      lon0 * toRadians_ * 180.0 / M_PI,
                      a,
                      b);
        op_.reset(proj_create(ctx_.get(), def));
        if (!op_) throw CrsError("", "", "cannot make a local metric frame for '" + geographic.id() + "'");
    }
    // Map lon/lat -> frame metres; false when a point does not project.
    bool forward(double* xy, size_t count) const { return run(PJ_FWD, xy, count); }
    bool inverse(double* xy, size_t count) const { return run(PJ_INV, xy, count); }

private:
    bool run(PJ_DIRECTION dir, double* xy, size_t count) const {
        if (dir == PJ_FWD)
            for (size_t i = 0; i < 2 * count; ++i) xy[i] *= toRadians_;
        proj_trans_generic(op_.get(), dir, xy, 2 * sizeof(double), count, xy + 1, 2 * sizeof(double), count,
                           nullptr, 0, 0, nullptr, 0, 0);
        bool ok = true;
        for (size_t i = 0; i < 2 * count; ++i) ok = ok && std::isfinite(xy[i]);
        if (dir == PJ_INV)
            for (size_t i = 0; i < 2 * count; ++i) xy[i] /= toRadians_;
        return ok;
    }
    PjContextPtr ctx_;
    PjPtr op_;
    double toRadians_ = M_PI / 180.0;
};

// Least squares on centred coordinates: with u, v (drawing) and U, V (map) relative to their means,
// a = sum(uU + vV) / sum(u^2 + v^2) and b = sum(uV - vU) / sum(u^2 + v^2). Spread below 1e-9 of the coordinates'
// size is rounding noise, not two distinct points.
Similarity leastSquares(const std::vector<ControlPoint>& points, const std::vector<double>& mapXy) {
    const size_t n = points.size();
    double dx = 0, dy = 0, mx = 0, my = 0, drawingSize = 1, mapSize = 1;
    for (size_t i = 0; i < n; ++i) {
        dx += points[i].drawingX / n, dy += points[i].drawingY / n;
        mx += mapXy[2 * i] / n, my += mapXy[2 * i + 1] / n;
        drawingSize = std::max({drawingSize, std::abs(points[i].drawingX), std::abs(points[i].drawingY)});
        mapSize = std::max({mapSize, std::abs(mapXy[2 * i]), std::abs(mapXy[2 * i + 1])});
    }
    double suu = 0, sUU = 0, sa = 0, sb = 0;
    for (size_t i = 0; i < n; ++i) {
        const double u = points[i].drawingX - dx, v = points[i].drawingY - dy;
        const double U = mapXy[2 * i] - mx, V = mapXy[2 * i + 1] - my;
        suu += u * u + v * v;
        sUU += U * U + V * V;
        sa += u * U + v * V;
        sb += u * V - v * U;
    }
    if (std::sqrt(suu / n) <= 1e-9 * drawingSize)
        throw CrsError("", "", "control points: the drawing points all coincide; pick points far apart");
    if (std::sqrt(sUU / n) <= 1e-9 * mapSize)
        throw CrsError("", "", "control points: the map points all coincide; pick points far apart");
    Similarity s;
    s.a = sa / suu;
    s.b = sb / suu;
    s.tx = mx - (s.a * dx - s.b * dy);
    s.ty = my - (s.b * dx + s.a * dy);
    return s;
}

std::string formatMetres(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, m < 10 ? "%.2f m" : "%.1f m", m);
    return buf;
}

}  // namespace

ControlPointFit fitSimilarity(const std::vector<ControlPoint>& points, const Crs& mapCrs) {
    const size_t n = points.size();
    if (n < 2)
        throw CrsError("", "", "control points: " + std::to_string(n) + " pair" + (n == 1 ? "" : "s") +
                                   " given; placing a drawing needs at least 2 (drawing -> map)");
    if (!mapCrs.valid()) throw CrsError("", "", "control points need the map CRS (\"crs\")");
    for (size_t i = 0; i < n; ++i) {
        const ControlPoint& p = points[i];
        if (!std::isfinite(p.drawingX) || !std::isfinite(p.drawingY) || !std::isfinite(p.mapX) ||
            !std::isfinite(p.mapY))
            throw CrsError("", "", "control point " + std::to_string(i + 1) + " has a value that is not a number");
    }

    ControlPointFit fit;
    std::vector<double> mapXy(2 * n);
    for (size_t i = 0; i < n; ++i) {
        mapXy[2 * i] = points[i].mapX;
        mapXy[2 * i + 1] = points[i].mapY;
    }
    double metresPerMapUnit = 1;
    if (mapCrs.isGeographic()) {
        for (const ControlPoint& p : points) fit.frameLon += p.mapX / n, fit.frameLat += p.mapY / n;
        fit.localFrame = true;
        if (!LocalFrame(mapCrs, fit.frameLon, fit.frameLat).forward(mapXy.data(), n))
            throw CrsError("", "", "control points: a map point is not a valid longitude/latitude in " + mapCrs.id());
    } else {
        metresPerMapUnit = metresPerUnit(mapCrs);
    }

    fit.transform = leastSquares(points, mapXy);
    const Similarity& s = fit.transform;
    double sumSq = 0;
    for (size_t i = 0; i < n; ++i) {
        double x = points[i].drawingX, y = points[i].drawingY;
        s.apply(x, y);
        ControlPointResidual r;
        r.east = (x - mapXy[2 * i]) * metresPerMapUnit;
        r.north = (y - mapXy[2 * i + 1]) * metresPerMapUnit;
        r.metres = std::hypot(r.east, r.north);
        sumSq += r.metres * r.metres;
        fit.maxMetres = std::max(fit.maxMetres, r.metres);
        fit.residuals.push_back(r);
    }
    fit.rmsMetres = std::sqrt(sumSq / n);
    return fit;
}

void applySimilarity(FeatureTable& table, const Similarity& s) {
    for (size_t i = 0; i + 1 < table.xy.size(); i += 2) s.apply(table.xy[i], table.xy[i + 1]);
}

void placePoints(const ControlPointFit& fit, const Crs& mapCrs, double* xy, size_t count) {
    for (size_t i = 0; i < count; ++i) fit.transform.apply(xy[2 * i], xy[2 * i + 1]);
    if (fit.localFrame) LocalFrame(mapCrs, fit.frameLon, fit.frameLat).inverse(xy, count);
}

ControlPointFit placeByControlPoints(VectorData& data, const SourceOptions& options) {
    const std::string file = std::filesystem::path(data.path).filename().string();
    if (options.crs.empty())
        throw CrsError(data.path, data.layerName, "control points need the map CRS: set the layer's \"crs\"");
    ControlPointFit fit;
    Crs mapCrs;
    try {
        mapCrs = data.crs.valid() ? data.crs : Crs::fromUser(options.crs);
        fit = fitSimilarity(options.controlPoints, mapCrs);
    } catch (const CrsError& e) {
        throw CrsError(data.path, data.layerName, e.what());
    }
    placePoints(fit, mapCrs, data.table.xy.data(), data.table.vertexCount());
    data.crs = mapCrs;
    if (fit.rmsMetres > kControlPointWarnMetres) {
        size_t worst = 0;
        for (size_t i = 1; i < fit.residuals.size(); ++i)
            if (fit.residuals[i].metres > fit.residuals[worst].metres) worst = i;
        data.warnings.push_back(file + ": the control points fit with an RMS residual of " +
                                formatMetres(fit.rmsMetres) + " (point " + std::to_string(worst + 1) + ": " +
                                formatMetres(fit.residuals[worst].metres) + "); check the pairs");
    }
    return fit;
}

}  // namespace geo

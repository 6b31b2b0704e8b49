#include "crs/crs.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/error.hpp"

namespace geo {

namespace {

std::string projErrorText(PJ_CONTEXT* ctx) {
    int err = proj_context_errno(ctx);
    const char* txt = err ? proj_context_errno_string(ctx, err) : nullptr;
    return txt ? txt : "unknown PROJ error";
}

}  // namespace

Crs Crs::fromUser(const std::string& definition) {
    if (definition.empty()) throw CrsError("", "", "empty CRS definition");
    PjContextPtr ctx(proj_context_create());
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    PjPtr pj(proj_create(ctx.get(), definition.c_str()));
    if (!pj) throw CrsError("", "", "unknown CRS '" + definition + "' (" + projErrorText(ctx.get()) + ")");
    auto isCrsType = [](PJ_TYPE t) {
        return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS || t == PJ_TYPE_PROJECTED_CRS ||
               t == PJ_TYPE_COMPOUND_CRS || t == PJ_TYPE_GEOCENTRIC_CRS || t == PJ_TYPE_BOUND_CRS ||
               t == PJ_TYPE_OTHER_CRS || t == PJ_TYPE_ENGINEERING_CRS || t == PJ_TYPE_GEOGRAPHIC_CRS;
    };
    PJ_TYPE t = proj_get_type(pj.get());
    // "+proj=tmerc ... +no_defs", as users and older tools write a CRS, is an operation to PROJ; with
    // "+type=crs" it is the CRS they mean.
    std::string stored = definition;
    if (!isCrsType(t) && definition.find("+proj=") != std::string::npos &&
        definition.find("+type=crs") == std::string::npos) {
        PjPtr asCrs(proj_create(ctx.get(), (definition + " +type=crs").c_str()));
        if (asCrs && isCrsType(proj_get_type(asCrs.get()))) {
            stored = definition + " +type=crs";
            pj = std::move(asCrs);
            t = proj_get_type(pj.get());
        }
    }
    bool isCrs = isCrsType(t);
    if (!isCrs) throw CrsError("", "", "'" + definition + "' is not a coordinate reference system");
    Crs c;
    c.definition_ = stored;
    const char* name = proj_get_name(pj.get());
    c.name_ = name ? name : definition;
    c.geographic_ = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS || t == PJ_TYPE_GEOGRAPHIC_CRS;
    if (t == PJ_TYPE_BOUND_CRS) {
        PjPtr base(proj_get_source_crs(ctx.get(), pj.get()));
        if (base) {
            PJ_TYPE bt = proj_get_type(base.get());
            c.geographic_ = bt == PJ_TYPE_GEOGRAPHIC_2D_CRS || bt == PJ_TYPE_GEOGRAPHIC_3D_CRS;
        }
    }
    const char* auth = proj_get_id_auth_name(pj.get(), 0);
    const char* code = proj_get_id_code(pj.get(), 0);
    if (!auth || !code) {
        // WKT without an ID: ask PROJ whether it is identical to a registered CRS.
        int* confidence = nullptr;
        PJ_OBJ_LIST* matches = proj_identify(ctx.get(), pj.get(), "EPSG", nullptr, &confidence);
        if (matches) {
            if (proj_list_get_count(matches) > 0 && confidence && confidence[0] >= 90) {
                PjPtr best(proj_list_get(ctx.get(), matches, 0));
                const char* bc = best ? proj_get_id_code(best.get(), 0) : nullptr;
                if (bc) c.epsg_ = std::atoi(bc);
            }
            proj_list_destroy(matches);
        }
        proj_int_list_destroy(confidence);
    } else if (std::strcmp(auth, "EPSG") == 0) {
        c.epsg_ = std::atoi(code);
    }
    c.id_ = c.epsg_ ? "EPSG:" + std::to_string(c.epsg_) : c.name_;
    return c;
}

Transformer::Transformer(const Crs& from, const Crs& to) {
    if (!from.valid() || !to.valid()) throw CrsError("", "", "missing CRS for transformation");
    if (from.definition() == to.definition()) return;  // identity
    ctx_.reset(proj_context_create());
    proj_log_level(ctx_.get(), PJ_LOG_NONE);
    PjPtr src(proj_create(ctx_.get(), from.definition().c_str()));
    PjPtr dst(proj_create(ctx_.get(), to.definition().c_str()));
    if (!src || !dst) throw CrsError("", "", "cannot create CRS (" + projErrorText(ctx_.get()) + ")");
    PjPtr op(proj_create_crs_to_crs_from_pj(ctx_.get(), src.get(), dst.get(), nullptr, nullptr));
    if (!op)
        throw CrsError("",
                       "",
                       "no transformation from " + from.id() + " to " + to.id() + " (" + projErrorText(ctx_.get()) +
                           ")");
    pj_.reset(proj_normalize_for_visualization(ctx_.get(), op.get()));
    if (!pj_) throw CrsError("", "", "cannot normalise axis order from " + from.id() + " to " + to.id());
    ballpark_ = proj_coordoperation_has_ballpark_transformation(ctx_.get(), op.get()) != 0;
}

size_t Transformer::run(PJ_DIRECTION dir, double* xy, size_t count) const {
    if (!pj_ || count == 0) return count;
    proj_trans_generic(pj_.get(), dir, xy, 2 * sizeof(double), count, xy + 1, 2 * sizeof(double), count, nullptr, 0, 0,
                       nullptr, 0, 0);
    size_t ok = 0;
    for (size_t i = 0; i < count; ++i) {
        double& x = xy[2 * i];
        double& y = xy[2 * i + 1];
        if (std::isfinite(x) && std::isfinite(y) && x != HUGE_VAL) {
            ++ok;
        } else {
            x = y = std::numeric_limits<double>::infinity();
        }
    }
    return ok;
}

size_t Transformer::transform(double* xy, size_t count) const { return run(PJ_FWD, xy, count); }
size_t Transformer::inverse(double* xy, size_t count) const { return run(PJ_INV, xy, count); }

double groundDistanceMeters(double lon0, double lat0, double lon1, double lat1) {
    constexpr double kRadius = 6371008.8;  // IUGG mean Earth radius
    constexpr double kDeg = M_PI / 180.0;
    double p0 = lat0 * kDeg, p1 = lat1 * kDeg;
    double dp = p1 - p0, dl = (lon1 - lon0) * kDeg;
    double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p0) * std::cos(p1) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2 * kRadius * std::asin(std::min(1.0, std::sqrt(a)));
}

BBox transformBox(const BBox& box, const Transformer& t) {
    if (box.empty()) return box;
    constexpr int kSteps = 20;
    std::vector<double> pts;
    for (int i = 0; i <= kSteps; ++i) {
        double fx = box.minX + box.width() * i / kSteps;
        double fy = box.minY + box.height() * i / kSteps;
        pts.insert(pts.end(), {fx, box.minY, fx, box.maxY, box.minX, fy, box.maxX, fy});
    }
    t.transform(pts.data(), pts.size() / 2);
    BBox out;
    for (size_t i = 0; i < pts.size(); i += 2)
        if (std::isfinite(pts[i])) out.add(pts[i], pts[i + 1]);
    return out;
}

}  // namespace geo

namespace geo {

GridTransformer::GridTransformer(const Transformer& exact, const BBox& extent, bool targetGeographic,
                                 double tolerance)
    : exact_(exact), extent_(extent) {
    if (exact.identity() || extent.empty() || !(extent.width() > 0) || !(extent.height() > 0)) return;
    if (tolerance <= 0) tolerance = targetGeographic ? 1e-8 : 1e-3;
    for (int n : {32, 128, 512}) {
        std::vector<double> nodes;
        nodes.reserve(size_t(n + 1) * (n + 1) * 2);
        for (int j = 0; j <= n; ++j)
            for (int i = 0; i <= n; ++i) {
                nodes.push_back(extent.minX + extent.width() * i / n);
                nodes.push_back(extent.minY + extent.height() * j / n);
            }
        if (exact.transform(nodes.data(), nodes.size() / 2) != nodes.size() / 2) return;  // exact path
        // Check every cell centre against PROJ.
        std::vector<double> centres;
        centres.reserve(size_t(n) * n * 2);
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                centres.push_back(extent.minX + extent.width() * (i + 0.5) / n);
                centres.push_back(extent.minY + extent.height() * (j + 0.5) / n);
            }
        if (exact.transform(centres.data(), centres.size() / 2) != centres.size() / 2) return;
        double worst = 0;
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) {
                const double* a = &nodes[2 * (size_t(j) * (n + 1) + i)];
                const double* b = a + 2;
                const double* c = a + 2 * (n + 1);
                const double* d = c + 2;
                double ix = 0.25 * (a[0] + b[0] + c[0] + d[0]), iy = 0.25 * (a[1] + b[1] + c[1] + d[1]);
                const double* e = &centres[2 * (size_t(j) * n + i)];
                worst = std::max(worst, std::max(std::abs(ix - e[0]), std::abs(iy - e[1])));
            }
        if (worst <= tolerance) {
            n_ = n;
            sx_ = n / extent.width();
            sy_ = n / extent.height();
            edge_ = n * (1 + 1e-12);
            nodes_ = std::move(nodes);
            maxError_ = worst;
            return;
        }
    }
}

size_t GridTransformer::transform(double* xy, size_t count) const {
    if (nodes_.empty()) return exact_.transform(xy, count);
    size_t ok = 0;
    for (size_t k = 0; k < count; ++k) {
        double& x = xy[2 * k];
        double& y = xy[2 * k + 1];
        ok += onGrid(x, y) || exact_.transform(&x, 1);  // outside the grid (or NaN): exact
    }
    return ok;
}

}  // namespace geo

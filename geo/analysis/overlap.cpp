// The conflict lens on GEOS's reentrant C API.
// [SECTION] RAII for the GEOS context, geometries, prepared geometries and STR trees
// [SECTION] FeatureTable <-> GEOS (in EPSG:4547), make-valid, polygonal parts
// [SECTION] computeOverlap
#include "analysis/overlap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

namespace geo {

namespace {

// [SECTION] RAII
// Owns a GEOS context and keeps its last error message. Not movable: GEOS holds a pointer to it.
class GeosContext {
public:
    GeosContext() : h_(GEOS_init_r()) {
        GEOSContext_setErrorMessageHandler_r(h_, &onError, this);
        GEOSContext_setNoticeMessageHandler_r(h_, &onNotice, nullptr);
    }
    ~GeosContext() { GEOS_finish_r(h_); }
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
    GEOSContextHandle_t get() const { return h_; }
    std::string lastError() const { return error_.empty() ? "unknown GEOS error" : error_; }

private:
    static void onError(const char* message, void* self) { static_cast<GeosContext*>(self)->error_ = message; }
    static void onNotice(const char*, void*) {}  // notices (e.g. "Self-intersection at ...") are not errors
    GEOSContextHandle_t h_;
    std::string error_;
};

struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* p) const { GEOSPreparedGeom_destroy_r(ctx, p); }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

struct TreeDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSSTRtree* t) const { GEOSSTRtree_destroy_r(ctx, t); }
};
using TreePtr = std::unique_ptr<GEOSSTRtree, TreeDeleter>;

// [SECTION] FeatureTable <-> GEOS
class Geos {
public:
    GEOSContextHandle_t ctx() const { return context_.get(); }
    GeomPtr own(GEOSGeometry* g) const { return GeomPtr(g, GeomDeleter{ctx()}); }

    // Throws Error naming the layer and feature with GEOS's message when `g` is null (a GEOS exception).
    GeomPtr check(GEOSGeometry* g, const std::string& layer, size_t feature) const {
        if (!g)
            throw Error("", layer, "GEOS failed on feature " + std::to_string(feature) + ": " + context_.lastError());
        return own(g);
    }

    GeomPtr emptyPolygon() const { return own(GEOSGeom_createEmptyPolygon_r(ctx())); }

    // One ring from x,y pairs (closed here when the source leaves it open); null when degenerate or not finite.
    GeomPtr ring(const double* xy, size_t n) const {
        std::vector<double> buf(xy, xy + 2 * n);
        for (double v : buf)
            if (!std::isfinite(v)) return own(nullptr);
        if (n > 0 && (buf[0] != buf[2 * n - 2] || buf[1] != buf[2 * n - 1])) {
            buf.push_back(xy[0]);
            buf.push_back(xy[1]);
        }
        const size_t points = buf.size() / 2;
        if (points < 4) return own(nullptr);
        GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx(), buf.data(), static_cast<unsigned>(points), 0, 0);
        if (!seq) return own(nullptr);
        return own(GEOSGeom_createLinearRing_r(ctx(), seq));  // takes the sequence
    }

    // The polygon feature `f` of `table`, whose vertices `xy` (the feature's own, already in EPSG:4547) start at
    // the feature's first vertex. Parts with a degenerate shell are dropped, as are degenerate holes.
    GeomPtr polygon(const FeatureTable& table, size_t f, const std::vector<double>& xy) const {
        const uint32_t v0 = table.vertexBegin(table.ringBegin(table.partBegin(f)));
        std::vector<GEOSGeometry*> parts;
        for (uint32_t p = table.partBegin(f); p < table.partEnd(f); ++p) {
            GeomPtr shell;
            std::vector<GeomPtr> holes;
            for (uint32_t r = table.ringBegin(p); r < table.ringEnd(p); ++r) {
                GeomPtr g =
                    ring(xy.data() + 2 * (table.vertexBegin(r) - v0), table.vertexEnd(r) - table.vertexBegin(r));
                if (r == table.ringBegin(p))
                    shell = std::move(g);
                else if (g)
                    holes.push_back(std::move(g));
            }
            if (!shell) continue;
            std::vector<GEOSGeometry*> rawHoles;
            for (auto& h : holes) rawHoles.push_back(h.release());
            GEOSGeometry* poly = GEOSGeom_createPolygon_r(
                ctx(), shell.release(), rawHoles.data(), static_cast<unsigned>(rawHoles.size()));
            if (poly) parts.push_back(poly);
        }
        if (parts.empty()) return emptyPolygon();
        if (parts.size() == 1) return own(parts[0]);
        return own(
            GEOSGeom_createCollection_r(ctx(), GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size())));
    }

    // The polygons of `g` (a polygon, a multipolygon, or a collection such as make-valid or an intersection
    // returns, whose lines and points have no area) as one polygon or multipolygon.
    GeomPtr polygonal(GeomPtr g) const {
        const int type = GEOSGeomTypeId_r(ctx(), g.get());
        if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return g;
        std::vector<GEOSGeometry*> polys;
        collectPolygons(g.get(), polys);
        if (polys.empty()) return emptyPolygon();
        if (polys.size() == 1) return own(polys[0]);
        return own(
            GEOSGeom_createCollection_r(ctx(), GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size())));
    }

    // `g` itself when valid, otherwise its make-valid repair (counted in `repaired`), polygons only.
    GeomPtr valid(GeomPtr g, size_t& repaired, const std::string& layer, size_t feature) const {
        if (GEOSisEmpty_r(ctx(), g.get()) == 1 || GEOSisValid_r(ctx(), g.get()) == 1) return g;
        ++repaired;
        return polygonal(check(GEOSMakeValid_r(ctx(), g.get()), layer, feature));
    }

    double area(const GEOSGeometry* g) const {
        double a = 0;
        return GEOSArea_r(ctx(), g, &a) ? a : 0.0;
    }

    // Appends the polygons of `g` (EPSG:4547) to `out` as one feature, in WGS84 through `toWgs84`.
    void append(const GEOSGeometry* g, const Transformer& toWgs84, FeatureTable& out) const {
        std::vector<const GEOSGeometry*> polys;
        const int n = GEOSGetNumGeometries_r(ctx(), g);
        for (int i = 0; i < n; ++i) polys.push_back(GEOSGetGeometryN_r(ctx(), g, i));
        for (const GEOSGeometry* poly : polys) {
            if (GEOSisEmpty_r(ctx(), poly) == 1) continue;
            appendRing(GEOSGetExteriorRing_r(ctx(), poly), toWgs84, out);
            const int holes = GEOSGetNumInteriorRings_r(ctx(), poly);
            for (int h = 0; h < holes; ++h) appendRing(GEOSGetInteriorRingN_r(ctx(), poly, h), toWgs84, out);
            out.endPart();
        }
    }

private:
    void collectPolygons(const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) const {
        const int type = GEOSGeomTypeId_r(ctx(), g);
        if (type == GEOS_POLYGON) {
            if (GEOSisEmpty_r(ctx(), g) != 1) out.push_back(GEOSGeom_clone_r(ctx(), g));
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            const int n = GEOSGetNumGeometries_r(ctx(), g);
            for (int i = 0; i < n; ++i) collectPolygons(GEOSGetGeometryN_r(ctx(), g, i), out);
        }
    }

    void appendRing(const GEOSGeometry* ring, const Transformer& toWgs84, FeatureTable& out) const {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx(), ring);
        unsigned size = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(ctx(), seq, &size) || size == 0) return;
        std::vector<double> xy(2 * size);
        GEOSCoordSeq_copyToBuffer_r(ctx(), seq, xy.data(), 0, 0);
        toWgs84.transform(xy.data(), size);
        for (unsigned i = 0; i < size; ++i) out.addVertex(xy[2 * i], xy[2 * i + 1]);
        out.endRing();
    }

    GeosContext context_;
};

// The vertices of feature `f` transformed by `t`; false when one of them could not be.
bool featureVertices(const FeatureTable& table, size_t f, const Transformer& t, std::vector<double>& xy) {
    xy.clear();
    if (table.partBegin(f) == table.partEnd(f)) return true;
    const uint32_t r0 = table.ringBegin(table.partBegin(f)), r1 = table.ringEnd(table.partEnd(f) - 1);
    if (r0 == r1) return true;
    const uint32_t v0 = table.vertexBegin(r0), v1 = table.vertexEnd(r1 - 1);
    xy.assign(table.xy.begin() + 2 * v0, table.xy.begin() + 2 * v1);
    return t.transform(xy.data(), v1 - v0) == v1 - v0;
}

std::string cellText(const FeatureTable& table, const char* column, size_t row) {
    const int c = table.columnIndex(column);
    if (c < 0 || table.columns[c].isNull(row)) return "";
    return table.columns[c].display(row);
}

struct ConstraintIndex {
    std::vector<GeomPtr> geoms;
    TreePtr tree;
};

void collectItem(void* item, void* userdata) {
    static_cast<std::vector<size_t>*>(userdata)->push_back(reinterpret_cast<uintptr_t>(item));
}

}  // namespace

// [SECTION] computeOverlap
OverlapResult computeOverlap(const FeatureTable& subject,
                             const Crs& subjectCrs,
                             const std::vector<OverlapInput>& constraints,
                             JobProgress* progress) {
    const Crs planar = Crs::fromUser("EPSG:4547");
    const Transformer toWgs84(planar, Crs::wgs84());
    Geos geos;
    OverlapResult result;
    result.overlaps.columns.emplace_back("feature", ColumnType::Integer);
    result.overlaps.columns.emplace_back("constraint", ColumnType::Integer);
    std::vector<double> xy;

    size_t constraintFeatures = 0, constraintDone = 0;
    for (const OverlapInput& in : constraints) constraintFeatures += in.table ? in.table->featureCount() : 0;
    const double prepareShare = constraintFeatures ? 0.2 : 0.0;  // of the progress bar
    std::vector<ConstraintIndex> indexes;
    for (const OverlapInput& in : constraints) {
        result.constraints.push_back(in.name);
        ConstraintIndex index;
        index.tree = TreePtr(GEOSSTRtree_create_r(geos.ctx(), 10), TreeDeleter{geos.ctx()});
        if (in.table) {
            const Transformer toPlanar(in.crs, planar);
            for (size_t f = 0; f < in.table->featureCount(); ++f, ++constraintDone) {
                if (progress && f % 256 == 0) {
                    progress->throwIfCancelled();
                    progress->set(static_cast<float>(prepareShare * constraintDone / constraintFeatures),
                                  "overlap: indexing constraints");
                }
                if (in.table->kinds[f] != GeomKind::Polygon) continue;
                if (!featureVertices(*in.table, f, toPlanar, xy)) {
                    ++result.untransformable;
                    continue;
                }
                GeomPtr g = geos.valid(geos.polygon(*in.table, f, xy), result.repairedConstraint, in.name, f);
                if (GEOSisEmpty_r(geos.ctx(), g.get()) == 1) continue;
                GEOSSTRtree_insert_r(geos.ctx(),
                                     index.tree.get(),
                                     g.get(),
                                     reinterpret_cast<void*>(static_cast<uintptr_t>(index.geoms.size())));
                index.geoms.push_back(std::move(g));
            }
        }
        indexes.push_back(std::move(index));
    }

    const Transformer subjectToPlanar(subjectCrs, planar);
    const size_t n = subject.featureCount();
    std::vector<size_t> candidates;
    for (size_t f = 0; f < n; ++f) {
        if (progress) {
            progress->throwIfCancelled();
            progress->set(static_cast<float>(prepareShare + (1 - prepareShare) * f / n), "overlap: intersecting");
        }
        if (subject.kinds[f] != GeomKind::Polygon) {
            ++result.skippedNonPolygon;
            continue;
        }
        OverlapRow row;
        row.feature = f;
        row.id = cellText(subject, "id", f);
        if (subject.columnIndex("id") < 0 || row.id.empty()) row.id = std::to_string(subject.fids[f]);
        row.nameZh = cellText(subject, "name_zh", f);
        row.overlapM2.assign(constraints.size(), 0.0);
        row.overlapPct.assign(constraints.size(), 0.0);
        GeomPtr s = geos.emptyPolygon();
        if (featureVertices(subject, f, subjectToPlanar, xy))
            s = geos.valid(geos.polygon(subject, f, xy), result.repairedSubject, "subject", f);
        else
            ++result.untransformable;
        row.areaM2 = geos.area(s.get());
        if (GEOSisEmpty_r(geos.ctx(), s.get()) == 1) {
            result.rows.push_back(std::move(row));
            continue;
        }
        PreparedPtr prepared(GEOSPrepare_r(geos.ctx(), s.get()), PreparedDeleter{geos.ctx()});
        for (size_t c = 0; c < indexes.size(); ++c) {
            candidates.clear();
            GEOSSTRtree_query_r(geos.ctx(), indexes[c].tree.get(), s.get(), &collectItem, &candidates);
            std::sort(candidates.begin(), candidates.end());  // the same union whatever the tree's order
            std::vector<GeomPtr> pieces;
            for (size_t i : candidates) {
                const GEOSGeometry* k = indexes[c].geoms[i].get();
                if (GEOSPreparedIntersects_r(geos.ctx(), prepared.get(), k) != 1) continue;
                if (GEOSPreparedCoveredBy_r(geos.ctx(), prepared.get(), k) == 1) {  // all of it: nothing to add
                    pieces.clear();
                    pieces.push_back(geos.own(GEOSGeom_clone_r(geos.ctx(), s.get())));
                    break;
                }
                GEOSGeometry* cut = GEOSPreparedContainsProperly_r(geos.ctx(), prepared.get(), k) == 1
                                        ? GEOSGeom_clone_r(geos.ctx(), k)
                                        : GEOSIntersection_r(geos.ctx(), s.get(), k);
                // A robustness failure on nearly coincident edges: retry snapped to a millimetre grid.
                if (!cut) cut = GEOSIntersectionPrec_r(geos.ctx(), s.get(), k, 1e-3);
                GeomPtr piece = geos.polygonal(geos.check(cut, constraints[c].name, f));
                if (GEOSisEmpty_r(geos.ctx(), piece.get()) != 1) pieces.push_back(std::move(piece));
            }
            if (pieces.empty()) continue;
            GeomPtr overlap;
            if (pieces.size() == 1) {
                overlap = std::move(pieces[0]);
            } else {  // constraint polygons may overlap each other: union the pieces so none is counted twice
                std::vector<GEOSGeometry*> raw;
                for (auto& p : pieces) raw.push_back(p.release());
                GeomPtr all = geos.own(GEOSGeom_createCollection_r(
                    geos.ctx(), GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())));
                GEOSGeometry* merged = GEOSUnaryUnion_r(geos.ctx(), all.get());
                if (!merged) merged = GEOSUnaryUnionPrec_r(geos.ctx(), all.get(), 1e-3);
                overlap = geos.polygonal(geos.check(merged, constraints[c].name, f));
            }
            row.overlapM2[c] = geos.area(overlap.get());
            row.overlapPct[c] = row.areaM2 > 0 ? 100.0 * row.overlapM2[c] / row.areaM2 : 0.0;
            if (row.overlapM2[c] <= 0) continue;
            result.overlaps.beginFeature(static_cast<int64_t>(result.overlaps.featureCount()), GeomKind::Polygon);
            geos.append(overlap.get(), toWgs84, result.overlaps);
            result.overlaps.endFeature();
            result.overlaps.columns[0].pushInteger(static_cast<int64_t>(f));
            result.overlaps.columns[1].pushInteger(static_cast<int64_t>(c));
        }
        result.rows.push_back(std::move(row));
    }
    if (progress) progress->set(1.0f, "overlap: done");
    return result;
}

}  // namespace geo

#pragma once
// The conflict lens (冲突检测): how much of each polygon of a subject layer (the plan projects) lies in each
// constraint layer (ecological control line, basic farmland, industrial block line, flood zones, ...).
//
// Computed with GEOS (reentrant C API, one context per call, so calls on different threads are independent) in
// EPSG:4547, where areas are planar square metres of the planning grid. Invalid polygons on either side are
// repaired with GEOSMakeValid (the "linework" method, GDAL's default too) and counted; a self-intersecting
// bowtie becomes its two triangles. Overlapping polygons within one constraint layer are not double counted:
// the pieces of the subject they cover are unioned before measuring.
#include <cstddef>
#include <string>
#include <vector>

#include "core/job.hpp"
#include "crs/crs.hpp"
#include "store/feature_table.hpp"

namespace geo {

// A constraint layer: `name` is used in report column names; `table` must outlive the call. Its points and
// lines are ignored.
struct OverlapInput {
    std::string name;
    const FeatureTable* table = nullptr;
    Crs crs;
};

struct OverlapRow {
    size_t feature = 0;              // row in the subject table
    std::string id, nameZh;          // columns "id" / "name_zh" when present (any type, as text), else fid / ""
    double areaM2 = 0;               // planar area in EPSG:4547, after make-valid
    std::vector<double> overlapM2;   // one per constraint, planar EPSG:4547, overlaps within a layer counted once
    std::vector<double> overlapPct;  // 100 * overlap / area (0 when the area is 0)
};

struct OverlapResult {
    std::vector<std::string> constraints;  // names, in input order
    std::vector<OverlapRow> rows;          // one per polygon feature of the subject, in table order
    // The overlapping parts as polygons in WGS84 lon/lat (x = lon), one feature per (subject row, constraint)
    // pair with a non-empty overlap, with columns "feature" (Integer, subject row) and "constraint" (Integer,
    // index into `constraints`). fid = the feature's index in this table.
    FeatureTable overlaps;
    size_t repairedSubject = 0, repairedConstraint = 0;  // invalid geometries made valid
    size_t skippedNonPolygon = 0;                        // subject features that are not polygons (or have none)
    size_t untransformable = 0;  // features, either side, with vertices PROJ could not take to EPSG:4547 (dropped)
};

// Throws CrsError when a CRS cannot be transformed to EPSG:4547, Error when GEOS fails on a geometry (naming the
// layer and the feature), Cancelled when `progress` (may be null) is cancelled; progress runs 0..1.
OverlapResult computeOverlap(const FeatureTable& subject,
                             const Crs& subjectCrs,
                             const std::vector<OverlapInput>& constraints,
                             JobProgress* progress = nullptr);

}  // namespace geo

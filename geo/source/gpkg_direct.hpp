#pragma once
// A GeoPackage feature table read straight from SQLite (#10): one prepared SELECT of the fid, the geometry blob and
// the fields, each blob's GeoPackage header skipped and its WKB decoded into the table in place. GDAL's feature
// loop builds an OGRFeature and an OGRGeometry per row, and on GDAL 3.6 its Arrow stream does not take every table
// (a BOOLEAN field, say); this is most of opening a large layer: 1M buildings 1.15 s -> see tests/bench/README.md.
//
// It gives exactly the loop's table (same fids, order, kinds, parts, rings, vertices, values; skipped and
// other-kind counts), or nothing: a layer it cannot read so is left to GDAL whole, before or after trying:
//   - not a local file, not a table (a view's order and NULL fids are its own), no integer fid primary key;
//   - a field GDAL reads otherwise than as stored (dates and times, which GDAL reformats; binary; lists);
//   - a value whose storage class is not the field's (SQLite is dynamically typed: a text in an INTEGER column);
//   - a blob that is not a GeoPackage blob of standard WKB points, lines, polygons, their multis and collections
//     (curves, extended types, malformed bytes: GDAL decides what those are, and says so).
// Tables of kSplitReadFeatures features or more are read by two threads, half of the fid range each.
// PLANATLAS_GPKG_DIRECT=NO (a GDAL config option or the environment) turns it off.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <ogrsf_frmts.h>

#include "core/job.hpp"
#include "source/vector_source.hpp"

namespace geo {

// An SQL identifier in double quotes (quotes inside doubled).
std::string sqlIdentifier(const std::string& name);

// True when GDAL's read of `layer` of the local GeoPackage `path` gives its rows in fid order and any fid range of it
// is a range scan giving them in that order: a table whose fid is its rowid, read by a plain scan (not a view, not
// `INTEGER PRIMARY KEY DESC`, not through a covering index). Only then may a read be split by fid ranges.
bool gpkgReadsInFidOrder(const std::string& path, OGRLayer& layer);

// Reads `layer` of the GeoPackage file `path` into out.table (whose columns, one per field of `types`, are already
// there, empty), with out.skippedGeometries and out.otherKindParts. `total` is the claimed feature count (progress,
// the split); `limit` > 0 reads only the first `limit` features. Returns the features read, or nothing with `out`
// untouched. Throws Cancelled.
std::optional<size_t> readGpkgDirect(const std::string& path, OGRLayer& layer, const std::vector<OGRFieldType>& types,
                                     long long total, VectorData& out, JobProgress* progress, size_t limit = 0);

}  // namespace geo

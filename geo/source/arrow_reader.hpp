#pragma once
// Reading a vector layer through GDAL's Arrow C stream (OGR_L_GetArrowStream, RFC 86) into the columnar store.
//
// Used where the driver says the stream is fast (OLCFastGetArrowStream: GeoPackage, FlatGeobuf in GDAL 3.6);
// every other layer goes through readVectorLayer's feature loop. The result is the same table the loop makes:
// the same fids, kinds, parts, rings and vertices (WKB decoded here, Z and M dropped), the same column values
// and nulls. Anything this reader does not reproduce exactly — curve geometries, date-times, times, lists,
// binary or float32 attributes, dictionary columns — makes it decline, and the caller reads with the loop. So do
// the stream bugs of the GDAL running: booleans before 3.8.3, spatial filters before 3.8, over 125 columns before
// 3.8.1.
//
// The CPL config option PLANATLAS_ARROW_READ=NO turns it off (tests and benchmarks compare both paths).
#include <ogr_core.h>

#include <cstddef>
#include <optional>

#include "core/job.hpp"
#include "source/vector_source.hpp"

class OGRLayer;

namespace geo {

// Appends every feature of `layer` (its spatial filter applied) to out.table, whose columns must be the layer's
// fields in order, still empty, as readVectorLayer's addColumns made them; counts features without a drawable
// geometry in out.skippedGeometries. Returns the number of features read, or nullopt — with `out` untouched and
// the layer's reading reset — when the layer should be read by the feature loop instead. A stream that fails
// part way stops there with the error left in CPLGetLastErrorMsg(), like the loop. Throws Cancelled.
// `limit` > 0: stop after the batch that reaches it.
std::optional<size_t> readFeaturesArrow(OGRLayer& layer, GIntBig total, VectorData& out, JobProgress* progress,
                                        size_t limit = 0);

}  // namespace geo

#pragma once
// GeoPackage geometry blobs decoded straight into the columnar store (#10, for source/gpkg_direct): the blob's
// GeoPackage header and envelope skipped, its standard (ISO) WKB read in place. It decodes points, lines, polygons,
// their multis and collections, in 2D, Z, M and ZM, in either byte order, exactly as vector_source.cpp's
// appendGeometry reads GDAL's geometries of them (what is empty, what a collection keeps). Anything else (curves,
// extended GeoPackage types, EWKB codes, bytes that run out, nesting past 8) is refused, for GDAL to decide.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "store/feature_table.hpp"

namespace geo {

// Appends the geometry of the GeoPackage blob `blob` (`size` bytes) to `t`: the kind written (None for an empty or
// unusable one: nothing is appended), parts of a collection unlike its first usable part counted in `otherKind`.
// Nothing when the blob is not one it decodes; `t` may then hold part of it (the caller discards the table).
std::optional<GeomKind> appendGpkgGeometry(const uint8_t* blob, size_t size, FeatureTable& t, size_t& otherKind);

}  // namespace geo

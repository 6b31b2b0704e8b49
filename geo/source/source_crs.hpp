#pragma once
// The CRS a vector layer's source declares, read without reading its features (a database layer is read per
// view, and the view's box must be put into the layer's CRS before the first read).
#include <string>

#include "crs/crs.hpp"

namespace geo {

// The layer's declared CRS (EPSG code when it has one), or WGS84 when it declares none. Throws FormatError when
// the source or layer cannot be opened.
Crs declaredCrs(const std::string& source, const std::string& layer);

}  // namespace geo

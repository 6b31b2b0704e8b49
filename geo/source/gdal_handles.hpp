#pragma once
// RAII for GDAL objects used by geo/source. Datasets are opened non-shared so each owner closes its own.
#include <memory>
#include <string>

#include <cpl_error.h>
#include <gdal_priv.h>

namespace geo {

// Opens a dataset with GDAL_OF_VERBOSE_ERROR; returns null and leaves GDAL's message in `error`.
GDALDatasetUniquePtr openDataset(const std::string& path, unsigned flags, char** openOptions, std::string& error);

// The last GDAL error message, or `fallback` when GDAL said nothing.
std::string lastGdalError(const std::string& fallback);

// Registers GDAL drivers once, thread-safe.
void ensureGdal();

class Crs;
// The CRS an OGR spatial reference describes: "EPSG:N" when it carries an EPSG identifier, else its WKT2.
// Throws CrsError when PROJ cannot use it.
Crs crsFromSpatialRef(const OGRSpatialReference& srs);

}  // namespace geo

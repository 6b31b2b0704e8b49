#pragma once
// RAII for GDAL objects used by geo/source. Datasets are opened non-shared so each owner closes its own.
#include <memory>
#include <string>

#include <cpl_error.h>
#include <gdal_priv.h>

namespace geo {

// Opens a dataset with GDAL_OF_VERBOSE_ERROR; returns null and leaves GDAL's message in `error`. Nothing reaches
// stderr: the warnings of an open that worked go to the caller's GdalMessageScope, if any (gdal_messages.hpp).
GDALDatasetUniquePtr openDataset(const std::string& path, unsigned flags, char** openOptions, std::string& error);

// The last GDAL error message, or `fallback` when GDAL said nothing.
std::string lastGdalError(const std::string& fallback);

// Registers GDAL drivers once, thread-safe.
void ensureGdal();

// While alive, GDAL's messages stay off stderr (the caller turns them into exceptions); the last error is reset.
struct QuietGdalErrors {
    QuietGdalErrors() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~QuietGdalErrors() { CPLPopErrorHandler(); }
    QuietGdalErrors(const QuietGdalErrors&) = delete;
    QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
};

// A temporary file beside `target` (same folder, hence same file system, so the rename is atomic) with the same
// extension, which GDAL's drivers go by. Removed with SQLite's sidecars (-journal, -wal, -shm) unless commit()
// renamed it over the target: a GDAL write that fails leaves the old file and nothing else. Temporaries of the
// same target left by a killed process (core/atomic_file.hpp's naming) are swept when a new one is made.
class TempSibling {
public:
    explicit TempSibling(const std::string& target);
    ~TempSibling();
    TempSibling(const TempSibling&) = delete;
    TempSibling& operator=(const TempSibling&) = delete;
    const std::string& path() const { return path_; }
    // Renames the temporary over the target; throws IoError when that fails.
    void commit();

private:
    void removeAll();
    std::string target_;
    std::string path_;
    bool committed_ = false;
};

class Crs;
// The CRS an OGR spatial reference describes: "EPSG:N" when it carries an EPSG identifier, else its WKT2.
// Throws CrsError when PROJ cannot use it.
Crs crsFromSpatialRef(const OGRSpatialReference& srs);

}  // namespace geo

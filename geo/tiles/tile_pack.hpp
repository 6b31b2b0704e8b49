#pragma once
// `planatlas tiles pack`: copies a tile source's tiles over a lon/lat box and zoom range into an MBTiles file
// for offline use (a meeting room without network). Resumable: tiles already in the file are kept.
#include <atomic>
#include <cstdint>
#include <string>

#include "core/bbox.hpp"
#include "core/job.hpp"

namespace geo {

class TileProvider;

struct PackRequest {
    BBox lonLat;          // WGS84 box
    int minZoom = 0, maxZoom = 0;  // levels of the provider's grid (XYZ: zooms)
    std::string out;      // *.mbtiles
    std::string name;     // metadata name ("" = the output file's stem)
    std::string attribution;  // metadata attribution ("" = the provider's own, e.g. a source MBTiles')
    int threads = 4;      // concurrent fetches
};

struct PackEstimate {
    int64_t tiles = 0;         // tiles in the box over the zoom range
    int64_t alreadyThere = 0;  // in an existing output (resume)
    int64_t bytes = 0;         // estimated size of the file when done
};

struct PackResult {
    int64_t written = 0, kept = 0, absent = 0, failed = 0;
    std::string firstError;
};

// Throws Error (message says why) when the source's terms forbid bulk download: OpenStreetMap's own tile servers
// (tile.openstreetmap.org; https://operations.osmfoundation.org/policies/tiles/), and any source whose host is in
// the same list.
void checkBulkDownloadAllowed(const TileProvider& provider);
// Counts the tiles (and those already in `request.out`), estimating bytes from a few sample tiles.
PackEstimate estimatePack(TileProvider& provider, const PackRequest& request);
// Fetches every tile into the file (progress: fraction of tiles; cancel stops after the batch in flight, the file
// stays valid and a rerun resumes). Writes the MBTiles metadata (name, format, bounds, minzoom, maxzoom,
// attribution, type, version). Throws IoError when the file cannot be written; a pack with failed tiles returns
// them counted (the caller decides the exit status).
PackResult packTiles(TileProvider& provider, const PackRequest& request, JobProgress* progress = nullptr);

}  // namespace geo

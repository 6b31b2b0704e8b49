#pragma once
// The dataset a layer listing opened, kept for the read that follows it. Formats such as GeoJSON, KML and GML are
// parsed whole when GDAL opens them (a 5.7 MB GeoJSON ring of 200k vertices: ~0.35 s), and listing a file's layers
// (layersFromSource: `render FILE`, the viewer's Add layer) is followed at once by reading one: the read takes the
// listing's dataset instead of parsing the file again. One dataset is kept, for a file whose size and modification
// time are still those it was opened with; a read of any source, or the next listing, drops it.
#include <string>

#include <gdal_priv.h>

namespace geo {

// Keeps `ds`, opened for `path` by a listing, when its driver is one that parses the whole file on open; else drops it.
void offerListedDataset(const std::string& path, GDALDatasetUniquePtr ds);
// The kept dataset when it is `path`'s and the file is unchanged since; null otherwise. Either way nothing is kept
// after this call.
GDALDatasetUniquePtr takeListedDataset(const std::string& path);
// How many reads took a listing's dataset (tests).
size_t listedDatasetsTaken();

}  // namespace geo

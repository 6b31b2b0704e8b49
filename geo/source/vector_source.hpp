#pragma once
// Reading GDAL vector sources into the columnar store.
//
// Any OGR driver works; the ones tested are GeoPackage, GeoJSON, Shapefile (UTF-8, or GBK/GB18030 with or
// without a .cpg), FlatGeobuf, KML/KMZ (each folder a layer), Esri File Geodatabase folders (.gdb), CSV with a WKT
// column, and CSV/XLSX/ODS sheets with coordinate columns (source/table_points.hpp). Every error is a geo::Error
// naming the file, the layer and GDAL's own message.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/job.hpp"
#include "crs/crs.hpp"
#include "source/source_options.hpp"
#include "store/feature_table.hpp"
#include "store/table_repair.hpp"

namespace geo {

struct SourceLayerInfo {
    std::string name;
    bool raster = false;
    long long featureCount = -1;
};

// The layers of a file: every vector layer, then one "raster" entry when it has raster bands.
std::vector<SourceLayerInfo> listLayers(const std::string& path);

struct LoadTimings {
    double readSeconds = 0;
    double reprojectSeconds = 0;
    double tessellateSeconds = 0;
};

struct VectorData {
    std::string path;
    std::string layerName;
    std::string driver;
    Crs crs;
    FeatureTable table;
    std::vector<std::string> warnings;  // shown to the user; loading still succeeded
    size_t skippedGeometries = 0;       // unsupported or empty geometries
    VertexRepair repairedVertices;      // NaN, infinite or absurd vertices removed (store/table_repair.hpp)
    // The box of every vertex of `table`, when its reader saw them all as it read them and all were finite and under
    // kAbsurdCoordinate (no pass over the vertices is then needed to find the extent or unusable vertices); unset
    // otherwise, and by anything that changes the vertices after. Use vertexExtent().
    std::optional<BBox> readBounds;
    BBox vertexExtent() const { return readBounds ? *readBounds : table.extent(); }
    size_t otherKindParts = 0;          // parts of a mixed collection unlike the feature's first part, not kept
    size_t rowsFetched = 0;             // database sources: the rows the server sent for this read; 0 for files
};

// Reads one vector layer ("" = the first), as `options` say (assigned CRS, GCJ-02 datum, spreadsheet columns,
// CAD control points, a database filter). Throws IoError / FormatError / CrsError; Cancelled on cancel.
VectorData readVectorLayer(const std::string& path, const std::string& layer, JobProgress* progress = nullptr,
                           const SourceOptions& options = {});

// The number of features of a vector file's layer when the format keeps it (GeoPackage, Shapefile, FlatGeobuf:
// no feature is read); 0 for other formats, databases, or a file that cannot be opened.
uint64_t quickFeatureCount(const std::string& path, const std::string& layer);

// True when `s` is well-formed UTF-8.
bool isValidUtf8(std::string_view s);

// Decides whether the text of a file without a declared encoding is GBK/GB18030 rather than UTF-8: any value
// that is not valid UTF-8, or non-ASCII text made only of 2-byte UTF-8 sequences (GBK's byte pairs often
// happen to be valid 2-byte UTF-8, e.g. 坪山 = C6BA C9BD, while Chinese in UTF-8 always takes 3 bytes).
// Files in Greek or Cyrillic without a .cpg would be misread; add a .cpg for those.
class EncodingSniffer {
public:
    void add(std::string_view value);
    bool looksLikeGbk() const { return invalid_ > 0 || (twoByte_ > 0 && longer_ == 0); }

private:
    size_t invalid_ = 0, twoByte_ = 0, longer_ = 0;
};

}  // namespace geo

#pragma once
// Sources read over the network through GDAL's virtual file systems (/vsicurl/ and the cloud stores): a
// Cloud-Optimized GeoTIFF or a FlatGeobuf with its spatial index is read by HTTP range requests, and only what a
// view needs is fetched. What readers and commands do differently for such a path is here.
#include <string>

#include "core/bbox.hpp"
#include "crs/crs.hpp"
#include "source/source_options.hpp"

namespace geo {

// True for a path GDAL reads over the network: /vsicurl/, /vsicurl_streaming/, /vsis3/, /vsigs/, /vsiaz/,
// /vsiadls/, /vsioss/, /vsiswift/, /vsiwebhdfs/, also inside /vsizip/ and the like.
bool isNetworkPath(const std::string& path);

// The longest side of the whole-extent picture of a network raster: a small overview rather than up to
// kRasterMaxPixels of the full raster; a zoomed-in view reads its own window at screen resolution.
constexpr int kNetworkRasterMaxPixels = 1024;

// While alive, this thread's GDAL opens a self-contained network file (.tif, .fgb, .gpkg, .geojson, ...) without
// listing its folder or probing for sidecars (.aux.xml, .ovr, .msk): each probe is an HTTP request. Formats that
// need sidecars (Shapefile, world files) and local paths are left alone, and so is a value the user set.
class NetworkOpenScope {
public:
    explicit NetworkOpenScope(const std::string& path);
    ~NetworkOpenScope();
    NetworkOpenScope(const NetworkOpenScope&) = delete;
    NetworkOpenScope& operator=(const NetworkOpenScope&) = delete;

private:
    bool active_ = false;
};

// The spatial filter (SourceOptions::filter) that reads only the view `viewExtent` (in `viewCrs`) of a layer:
// the box grown by `margin` of its size on each side (strokes and labels across the edge), in the layer's CRS —
// the assigned options.crs, else the one the source declares (opening it). A GCJ-02 layer's box grows 0.01° more
// (its offset from WGS84). Empty, meaning read everything, for a drawing placed by control points or a box that
// does not transform. Throws FormatError when the source cannot be opened, CrsError for a bad assigned CRS.
BBox viewFilter(const std::string& source,
                const std::string& layer,
                const SourceOptions& options,
                const BBox& viewExtent,
                const Crs& viewCrs,
                double margin = 0.1);

}  // namespace geo

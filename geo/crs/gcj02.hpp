#pragma once
// GCJ-02, the obfuscated datum Chinese web maps (AMap/Gaode, Tencent, Tianditu's commercial sources) publish in:
// WGS84 moved by a smooth, deliberately undocumented offset of ~600 m over Shenzhen (see ../shared/data/README.md,
// "The datum finding"). PROJ cannot convert it. The forward formula (WGS84 -> GCJ-02) is the widely published one
// (e.g. the MIT-licensed "eviltransform" and "coordtransform" projects; written out here from its constants); its
// inverse has no closed form and is solved by fixed-point iteration to 1e-10 degree (about 0.01 mm). As published,
// points outside a rough China bounding box are left unchanged.
//
// The legal caveat: maps published in mainland China are expected in GCJ-02 (or approved); this conversion exists
// to align data technically on screen and in analysis, not to publish corrected maps.
#include <cstddef>

namespace geo {

struct VectorData;

// WGS84 lon/lat -> GCJ-02 lon/lat.
void wgs84ToGcj02(double lon, double lat, double& outLon, double& outLat);
// GCJ-02 lon/lat -> WGS84 lon/lat (iterated inverse; converges in a handful of steps).
void gcj02ToWgs84(double lon, double lat, double& outLon, double& outLat);
// Converts `count` interleaved lon/lat pairs in place from GCJ-02 to WGS84.
void gcj02ToWgs84(double* lonLat, size_t count);
// A layer read in GCJ-02 (geographic or projected, e.g. a GCJ "Web Mercator" export): every vertex converted to
// WGS84 lon/lat, and its CRS becomes EPSG:4326. Throws CrsError when its CRS cannot reach lon/lat.
void convertFromGcj02(VectorData& data);

}  // namespace geo

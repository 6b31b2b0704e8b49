#include "source/source_crs.hpp"

#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"
#include "source/postgis.hpp"

namespace geo {

Crs declaredCrs(const std::string& source, const std::string& layer) {
    std::string err;
    auto ds = openDataset(source, GDAL_OF_VECTOR, nullptr, err);
    if (!ds) throw FormatError(redactConnection(source), layer, redactConnection(err));
    OGRLayer* l = layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer.c_str());
    if (!l) throw FormatError(redactConnection(source), layer, "no such layer");
    const OGRSpatialReference* srs = l->GetSpatialRef();
    if (!srs) return Crs::wgs84();
    return crsFromSpatialRef(*srs);
}

}  // namespace geo

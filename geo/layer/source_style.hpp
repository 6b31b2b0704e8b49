#pragma once
// The style a source carries itself, as the starting style of a new layer: KML/KMZ styles (a folder's first
// styled placemark, shared <Style> elements resolved) map onto the layer's stroke, fill and point colours.
#include <string>

#include "style/style.hpp"

namespace geo {

// True for .kml and .kmz paths.
bool isKmlPath(const std::string& path);

// Sets `style`'s stroke colour and width (LineStyle), fill (PolyStyle) and point colour (IconStyle) from the
// first styled feature of `layer` in the KML/KMZ at `path` (GDAL's OGR style strings); leaves the rest as it is.
// Never throws: a file without styles, or one GDAL cannot open, keeps `style` unchanged.
void applyKmlStyle(Style& style, const std::string& path, const std::string& layer);

}  // namespace geo

#pragma once
// CAD drawings as layer sources: DXF through GDAL's DXF driver, DWG through GDAL's CAD driver (libopencad).
//
// DXF (any version): one layer, "entities", with the CAD layer of each entity in the "Layer" field and the
// contents of TEXT/MTEXT (formatting codes removed) in "Text"; blocks are exploded into their entities, one
// feature each; text is recoded to UTF-8 from the header's $DWGCODEPAGE (ANSI_936 = GBK, for Chinese drawings
// saved before AutoCAD 2007; later DXFs are UTF-8).
// DWG: only R2000 (AC1015, AutoCAD 2000-2002) is readable by the libopencad in GDAL 3.6; one layer per CAD layer,
// text in "text". Any other DWG version is refused with a FormatError that names it and says how to convert.
// A CAD file has no CRS: the project assigns one ("crs") or places the drawing by control points.
#include <string>
#include <string_view>
#include <vector>

#include "source/gdal_handles.hpp"
#include "store/feature_table.hpp"

namespace geo {

// True for a .dxf or .dwg path (any case).
bool isCadPath(const std::string& path);
// True for GDAL's "DXF" and "CAD" drivers.
bool isCadDriver(std::string_view driver);
// The field holding TEXT/MTEXT contents: "Text" for a .dxf, "text" for a .dwg (CAD driver), "" for other paths.
std::string cadTextField(const std::string& path);

// For a .dwg: throws FormatError unless the file is a DWG that GDAL's CAD driver reads (R2000). Other paths: no-op.
void checkCadVersion(const std::string& path);

// Opens a DXF or DWG for reading with blocks exploded, each entity of an inserted block its own feature (GDAL
// would otherwise merge a block's lines into one multi-geometry). Throws like checkCadVersion, or FormatError
// with GDAL's message.
GDALDatasetUniquePtr openCadDataset(const std::string& path, const std::string& layerName);

// CAD has no polygon entity for a closed outline: a closed polyline is an area. Turns each line feature whose
// parts are all closed rings (last vertex = first, at least 3 distinct vertices, non-zero area) into a polygon
// with those rings as shells. Open lines and degenerate rings stay lines. Returns how many features changed.
size_t closedLinesToPolygons(FeatureTable& table);

// The distinct values of a DXF's "Layer" field, sorted (empty for other files), for a categorized style.
std::vector<std::string> cadLayerNames(const std::string& path);

}  // namespace geo

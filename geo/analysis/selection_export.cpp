// Writing a selection out: a GeoPackage layer in the table's CRS or a CSV with WGS84 WKT (analysis/selection.hpp).
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <memory>
#include <set>

#include "analysis/selection.hpp"
#include "core/error.hpp"
#include "source/gdal_handles.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

std::string lowerAscii(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

// Attribute names, unique ignoring case (SQLite's rule) and clear of the names the format keeps for itself.
std::vector<std::string> fieldNames(const FeatureTable& t, std::initializer_list<const char*> reserved) {
    std::set<std::string> taken;
    for (const char* r : reserved) taken.insert(lowerAscii(r));
    std::vector<std::string> names;
    for (const Column& c : t.columns) {
        const std::string base = c.name.empty() ? "field" : c.name;
        std::string name = base;
        for (int k = 2; taken.count(lowerAscii(name)); ++k) name = base + "_" + std::to_string(k);
        taken.insert(lowerAscii(name));
        names.push_back(name);
    }
    return names;
}

// Vertex v of the table is at xy[2 * (v - base)]: the table's own array (base 0) or a transformed copy of one
// feature's vertices.
struct VertexSource {
    const double* xy;
    uint32_t base;
    double x(uint32_t v) const { return xy[2 * (v - base)]; }
    double y(uint32_t v) const { return xy[2 * (v - base) + 1]; }
};

std::unique_ptr<OGRLineString> makeCurve(const VertexSource& src, uint32_t v0, uint32_t v1, bool ring) {
    std::unique_ptr<OGRLineString> c;
    if (ring)
        c = std::make_unique<OGRLinearRing>();
    else
        c = std::make_unique<OGRLineString>();
    const uint32_t n = v1 - v0;
    const bool close = ring && n > 0 && (src.x(v0) != src.x(v1 - 1) || src.y(v0) != src.y(v1 - 1));
    c->setNumPoints(static_cast<int>(n + (close ? 1 : 0)), FALSE);
    for (uint32_t i = 0; i < n; ++i) c->setPoint(static_cast<int>(i), src.x(v0 + i), src.y(v0 + i));
    if (close) c->setPoint(static_cast<int>(n), src.x(v0), src.y(v0));
    return c;
}

std::unique_ptr<OGRGeometry> makePart(const FeatureTable& t, GeomKind kind, uint32_t part, const VertexSource& src) {
    const uint32_t r0 = t.ringBegin(part), r1 = t.ringEnd(part);
    if (r0 == r1) return nullptr;
    if (kind == GeomKind::Point) {
        const uint32_t v = t.vertexBegin(r0);
        return v < t.vertexEnd(r0) ? std::make_unique<OGRPoint>(src.x(v), src.y(v)) : nullptr;
    }
    if (kind == GeomKind::Line) return makeCurve(src, t.vertexBegin(r0), t.vertexEnd(r0), false);
    auto poly = std::make_unique<OGRPolygon>();
    for (uint32_t r = r0; r < r1; ++r)
        poly->addRingDirectly(
            static_cast<OGRLinearRing*>(makeCurve(src, t.vertexBegin(r), t.vertexEnd(r), true).release()));
    return poly;
}

// The feature's geometry: single when it has one part, multi otherwise; null without geometry.
std::unique_ptr<OGRGeometry> makeGeometry(const FeatureTable& t, size_t f, const VertexSource& src) {
    const GeomKind kind = t.kinds[f];
    const uint32_t p0 = t.partBegin(f), p1 = t.partEnd(f);
    if (kind == GeomKind::None || p0 == p1) return nullptr;
    if (p1 - p0 == 1) return makePart(t, kind, p0, src);
    std::unique_ptr<OGRGeometryCollection> multi;
    if (kind == GeomKind::Point)
        multi = std::make_unique<OGRMultiPoint>();
    else if (kind == GeomKind::Line)
        multi = std::make_unique<OGRMultiLineString>();
    else
        multi = std::make_unique<OGRMultiPolygon>();
    for (uint32_t p = p0; p < p1; ++p)
        if (auto g = makePart(t, kind, p, src)) multi->addGeometryDirectly(g.release());
    return multi;
}

// The GeoPackage layer's declared type: the rows' common kind (multi if any row has several parts), else generic.
OGRwkbGeometryType layerType(const FeatureTable& t, const std::vector<uint32_t>& rows) {
    GeomKind kind = GeomKind::None;
    bool multi = false, mixed = false;
    for (uint32_t r : rows) {
        if (r >= t.featureCount() || t.kinds[r] == GeomKind::None) continue;
        if (kind != GeomKind::None && t.kinds[r] != kind) mixed = true;
        kind = t.kinds[r];
        multi = multi || t.partEnd(r) - t.partBegin(r) > 1;
    }
    if (mixed || kind == GeomKind::None) return wkbUnknown;
    if (kind == GeomKind::Point) return multi ? wkbMultiPoint : wkbPoint;
    if (kind == GeomKind::Line) return multi ? wkbMultiLineString : wkbLineString;
    return multi ? wkbMultiPolygon : wkbPolygon;
}

struct ExportTarget {
    std::string path;  // what the user asked for, for messages
    std::string file;  // the temporary actually written
    std::string layerName;
    bool csv = false;
};

void setAttributes(OGRFeature& feat, const FeatureTable& t, size_t row) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
        const Column& c = t.columns[i];
        const int field = static_cast<int>(i);
        if (c.isNull(row))
            feat.SetFieldNull(field);
        else if (c.type == ColumnType::Integer)
            feat.SetField(field, static_cast<GIntBig>(c.integer(row)));
        else if (c.type == ColumnType::Real)
            feat.SetField(field, c.real(row));
        else
            feat.SetField(field, std::string(c.text(row)).c_str());
    }
}

// The feature's geometry in WGS84 lon/lat for the CSV's WKT column.
std::unique_ptr<OGRGeometry> lonLatGeometry(const FeatureTable& t,
                                            size_t f,
                                            const Transformer& toWgs84,
                                            const ExportTarget& target,
                                            std::vector<double>& buffer) {
    if (t.kinds[f] == GeomKind::None || t.partBegin(f) == t.partEnd(f)) return nullptr;
    const uint32_t v0 = t.vertexBegin(t.ringBegin(t.partBegin(f)));
    const uint32_t v1 = t.vertexEnd(t.ringEnd(t.partEnd(f) - 1) - 1);
    buffer.assign(t.xy.begin() + 2 * v0, t.xy.begin() + 2 * v1);
    if (toWgs84.transform(buffer.data(), v1 - v0) != v1 - v0)
        throw CrsError(target.path,
                       target.layerName,
                       "feature " + std::to_string(t.fids[f]) + " cannot be transformed to WGS84 longitude/latitude");
    return makeGeometry(t, f, VertexSource{buffer.data(), v0});
}

OGRLayer* createLayer(GDALDataset& ds,
                      const ExportTarget& target,
                      const FeatureTable& t,
                      const Crs& crs,
                      const std::vector<uint32_t>& rows) {
    CPLStringList options;
    OGRSpatialReference srs;
    OGRSpatialReference* layerSrs = nullptr;  // GDAL 3.6 takes it non-const
    if (target.csv) {
        options.AddNameValue("GEOMETRY", "AS_WKT");
        options.AddNameValue("WRITE_BOM", "YES");
    } else {
        options.AddNameValue("FID", "fid");
        options.AddNameValue("GEOMETRY_NAME", "geom");
        if (crs.valid()) {
            if (srs.SetFromUserInput(crs.definition().c_str()) != OGRERR_NONE)
                throw CrsError(target.path, target.layerName, "GDAL cannot read the CRS " + crs.id());
            srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            layerSrs = &srs;
        }
    }
    OGRLayer* layer = ds.CreateLayer(
        target.layerName.c_str(), layerSrs, target.csv ? wkbUnknown : layerType(t, rows), options.List());
    if (!layer) throw IoError(target.path, target.layerName, lastGdalError("cannot create the layer"));
    const std::vector<std::string> names = target.csv ? fieldNames(t, {"WKT"}) : fieldNames(t, {"fid", "geom"});
    for (size_t i = 0; i < t.columns.size(); ++i) {
        const ColumnType type = t.columns[i].type;
        OGRFieldDefn fd(names[i].c_str(),
                        type == ColumnType::Integer ? OFTInteger64
                        : type == ColumnType::Real  ? OFTReal
                                                    : OFTString);
        if (layer->CreateField(&fd) != OGRERR_NONE)
            throw IoError(target.path, target.layerName, lastGdalError("cannot create the field " + names[i]));
    }
    return layer;
}

void writeRows(const ExportTarget& target, const FeatureTable& t, const Crs& crs, const std::vector<uint32_t>& rows) {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(target.csv ? "CSV" : "GPKG");
    if (!driver)
        throw IoError(
            target.path, "", "GDAL was built without the " + std::string(target.csv ? "CSV" : "GPKG") + " driver");
    std::unique_ptr<Transformer> toWgs84;
    if (target.csv) {
        if (!crs.valid())
            throw CrsError(target.path, target.layerName, "the layer has no CRS, so no WGS84 coordinates");
        toWgs84 = std::make_unique<Transformer>(crs, Crs::wgs84());
    }
    GDALDatasetUniquePtr ds(driver->Create(target.file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw IoError(target.path, "", "cannot write: " + lastGdalError("cannot create " + target.file));
    OGRLayer* layer = createLayer(*ds, target, t, crs, rows);
    const bool transaction = !target.csv && ds->StartTransaction() == OGRERR_NONE;
    std::vector<double> buffer;
    for (uint32_t row : rows) {
        if (row >= t.featureCount()) continue;
        OGRFeatureUniquePtr feat(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        setAttributes(*feat, t, row);
        auto g = toWgs84 ? lonLatGeometry(t, row, *toWgs84, target, buffer)
                         : makeGeometry(t, row, VertexSource{t.xy.data(), 0});
        if (g) feat->SetGeometryDirectly(g.release());
        if (layer->CreateFeature(feat.get()) != OGRERR_NONE)
            throw IoError(
                target.path, target.layerName, lastGdalError("cannot write feature " + std::to_string(t.fids[row])));
    }
    if (transaction && ds->CommitTransaction() != OGRERR_NONE)
        throw IoError(target.path, target.layerName, lastGdalError("cannot write"));
    CPLErrorReset();
    ds.reset();  // closes: the last pages or lines are written here
    if (CPLGetLastErrorType() >= CE_Failure)
        throw IoError(target.path, "", "cannot write: " + lastGdalError("close failed"));
}

}  // namespace

void writeSelection(const std::string& path,
                    const std::string& layerName,
                    const FeatureTable& table,
                    const Crs& tableCrs,
                    const std::vector<uint32_t>& rows) {
    const std::string ext = lowerAscii(fs::path(path).extension().string());
    if (ext != ".gpkg" && ext != ".csv")
        throw Error(path, "", "unknown export format \"" + ext + "\"; use .gpkg (GeoPackage) or .csv");
    fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw IoError(path, "", "cannot write: the folder " + parent.string() + " does not exist");
    ensureGdal();
    TempSibling tmp(path);
    {
        QuietGdalErrors quiet;
        ExportTarget target{
            path, tmp.path(), layerName.empty() ? fs::path(path).stem().string() : layerName, ext == ".csv"};
        writeRows(target, table, tableCrs, rows);
    }
    tmp.commit();
}

}  // namespace geo

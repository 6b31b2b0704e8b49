#include "source/vector_source.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>

#include <cpl_string.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "source/arrow_reader.hpp"
#include "source/cad.hpp"
#include "source/control_points.hpp"
#include "source/dataset_handoff.hpp"
#include "crs/gcj02.hpp"
#include "source/gdal_handles.hpp"
#include "source/gdal_messages.hpp"
#include "source/gpkg_direct.hpp"
#include "source/shapefile_check.hpp"
#include "source/split_read.hpp"
#include "store/table_repair.hpp"
#include "source/table_points.hpp"
#include "source/postgis.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

bool existsAnyCase(const fs::path& base, const char* ext) {
    fs::path lower = base, upper = base;
    lower.replace_extension(ext);
    std::string up(ext);
    for (auto& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    upper.replace_extension(up);
    return fs::exists(lower) || fs::exists(upper);
}

std::string lowerExt(const std::string& path) {
    std::string e = fs::path(path).extension().string();
    for (auto& ch : e) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return e;
}

void checkReadable(const std::string& path) {
    if (path.rfind("/vsi", 0) == 0) return;  // GDAL virtual file systems: let GDAL judge
    std::error_code ec;
    if (!fs::exists(path, ec)) throw IoError(path, "", "file not found");
    if (lowerExt(path) == ".shp") {
        fs::path p(path);
        if (!existsAnyCase(p, ".shx"))
            throw IoError(path, "", "missing sidecar file " + p.stem().string() + ".shx (the shape index)");
        if (!existsAnyCase(p, ".dbf"))
            throw IoError(path, "", "missing sidecar file " + p.stem().string() + ".dbf (the attribute table)");
    }
}

// Shapefiles without a .cpg carry no trustworthy encoding; Chinese ones are nearly always GBK/GB18030, which
// GDAL would misread as Latin-1. Read raw bytes instead and decide for the whole file (EncodingSniffer).
bool wantsRawShapefileStrings(const std::string& path) {
    std::string e = lowerExt(path);
    if (e != ".shp" && e != ".dbf") return false;
    return !existsAnyCase(fs::path(path), ".cpg");
}

std::string fromGb18030(const std::string& raw) {
    char* utf8 = CPLRecode(raw.c_str(), "GB18030", CPL_ENC_UTF8);
    std::string out = utf8 ? utf8 : raw;
    CPLFree(utf8);
    return out;
}

Column recodeColumn(const Column& c) {
    Column out(fromGb18030(c.name), c.type);
    for (size_t r = 0; r < c.size(); ++r) {
        if (c.isNull(r))
            out.pushNull();
        else if (c.type == ColumnType::Text)
            out.pushText(fromGb18030(std::string(c.text(r))));
        else if (c.type == ColumnType::Integer)
            out.pushInteger(c.integer(r));
        else
            out.pushReal(c.real(r));
    }
    return out;
}

GeomKind kindOf(OGRwkbGeometryType t) {
    switch (wkbFlatten(t)) {
        case wkbPoint:
        case wkbMultiPoint:
            return GeomKind::Point;
        case wkbLineString:
        case wkbMultiLineString:
        case wkbCircularString:
        case wkbCompoundCurve:
        case wkbMultiCurve:
            return GeomKind::Line;
        case wkbPolygon:
        case wkbMultiPolygon:
        case wkbCurvePolygon:
        case wkbMultiSurface:
        case wkbTriangle:
        case wkbPolyhedralSurface:
        case wkbTIN:
            return GeomKind::Polygon;
        default:
            return GeomKind::None;
    }
}

void addCurve(const OGRSimpleCurve& c, FeatureTable& t) {
    const int n = c.getNumPoints();
    const size_t at = t.xy.size();
    if (t.xy.capacity() < at + 2 * size_t(n)) t.xy.reserve(std::max(2 * t.xy.capacity(), at + 2 * size_t(n)));
    t.xy.resize(at + 2 * size_t(n));
    if (n) c.getPoints(&t.xy[at], 2 * sizeof(double), &t.xy[at + 1], 2 * sizeof(double));  // strided bulk copy
    t.endRing();
}

// Appends one geometry's parts. Returns the kind written (None when nothing usable was there). Parts of a collection
// unlike its first usable part are counted in `otherKind`.
GeomKind appendGeometry(const OGRGeometry* g, FeatureTable& t, size_t& otherKind) {
    if (!g || g->IsEmpty()) return GeomKind::None;
    OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
    switch (type) {
        case wkbPoint: {
            auto* p = g->toPoint();
            t.addVertex(p->getX(), p->getY());
            t.endRing();
            t.endPart();
            return GeomKind::Point;
        }
        case wkbLineString: {
            addCurve(*g->toLineString(), t);
            t.endPart();
            return GeomKind::Line;
        }
        case wkbPolygon: {
            auto* poly = g->toPolygon();
            if (!poly->getExteriorRing() || poly->getExteriorRing()->IsEmpty()) return GeomKind::None;
            addCurve(*poly->getExteriorRing(), t);
            for (int i = 0; i < poly->getNumInteriorRings(); ++i) addCurve(*poly->getInteriorRing(i), t);
            t.endPart();
            return GeomKind::Polygon;
        }
        case wkbMultiPoint:
        case wkbMultiLineString:
        case wkbMultiPolygon:
        case wkbGeometryCollection: {
            GeomKind k = GeomKind::None;
            for (const OGRGeometry* sub : *g->toGeometryCollection()) {
                // A feature has one kind: take the parts matching its first usable part.
                if (k != GeomKind::None && kindOf(sub->getGeometryType()) != k) {
                    otherKind += !sub->IsEmpty();
                    continue;
                }
                GeomKind s = appendGeometry(sub, t, otherKind);
                if (k == GeomKind::None) k = s;
            }
            return k;
        }
        default: {
            if (kindOf(type) == GeomKind::None) return GeomKind::None;
            std::unique_ptr<OGRGeometry> linear(g->getLinearGeometry());
            return linear ? appendGeometry(linear.get(), t, otherKind) : GeomKind::None;
        }
    }
}

// `srs` is the layer's (null when none could be read); `trouble` is what GDAL said reading it.
Crs layerCrs(OGRLayer* layer, const OGRSpatialReference* srs, const std::string& trouble, const BBox& extent,
             const std::string& path, std::vector<std::string>& warnings) {
    if (!srs) {
        bool lonLat = !extent.empty() && extent.minX >= -180.0001 && extent.maxX <= 180.0001 &&
                      extent.minY >= -90.0001 && extent.maxY <= 90.0001;
        const std::string none = trouble.empty() ? "no CRS in the file" : "the file's CRS could not be read (" + trouble + ")";
        if (extent.empty() || lonLat) {
            warnings.push_back(fs::path(path).filename().string() + ": " + none +
                               "; assumed EPSG:4326 (WGS 84 longitude/latitude)");
            return Crs::wgs84();
        }
        throw CrsError(path,
                       layer->GetName(),
                       none + " and the coordinates are not longitude/latitude; set the layer's \"crs\" "
                       "in the project (an EPSG code, WKT or PROJ string), place a CAD drawing by \"controlPoints\", "
                       "or add a .prj");
    }
    try {
        Crs c = crsFromSpatialRef(*srs);
        if (c.name().find("GCJ") != std::string::npos || c.name().find("gcj") != std::string::npos)
            warnings.push_back(fs::path(path).filename().string() + ": CRS '" + c.name() +
                               "' is the GCJ-02 web-map datum, which PROJ cannot convert; it will sit about 600 m "
                               "off WGS84 data unless the layer declares \"datum\": \"gcj02\" (the GCJ-02 box)");
        return c;
    } catch (const CrsError& e) {
        throw CrsError(path, layer->GetName(), e.what());
    }
}

}  // namespace

std::vector<SourceLayerInfo> listLayers(const std::string& path) {
    if (isDatabaseSource(path)) return listDatabaseLayers(path);
    checkReadable(path);
    checkCadVersion(path);
    GdalMessageScope quiet;  // what GDAL says about the file is reported when a layer is read, naming it
    std::string err;
    auto ds = openDataset(path, GDAL_OF_VECTOR | GDAL_OF_RASTER, nullptr, err);
    if (!ds) throw FormatError(path, "", err);
    std::vector<SourceLayerInfo> out;
    for (OGRLayer* l : ds->GetLayers()) out.push_back({l->GetName(), false, l->GetFeatureCount(FALSE)});
    if (ds->GetRasterCount() > 0) out.push_back({"raster", true, -1});
    if (out.empty()) throw FormatError(path, "", "the file has no vector layer and no raster band");
    // For the read that follows (a GeoJSON is not parsed twice), unless GDAL said something opening it: the read
    // opens it again to report that, naming the layer.
    offerListedDataset(path, quiet.count() == 0 ? std::move(ds) : nullptr);
    return out;
}

namespace {

// The steps of readVectorLayer.

// Opens `path`; messages name `shown` (the user's file when `path` is a stand-in for it).
GDALDatasetUniquePtr openVectorDataset(const std::string& path, const std::string& layerName, bool raw,
                                       const std::string& shown) {
    if (isCadPath(path)) return openCadDataset(path, layerName);
    // The dataset a listing of this file just opened, when it was parsed whole then (opened with no options, as
    // here but for raw strings and CSV's).
    if (GDALDatasetUniquePtr listed = takeListedDataset(path); listed && !raw && lowerExt(path) != ".csv") return listed;
    CPLStringList options;
    if (raw) options.AddNameValue("ENCODING", "");
    if (lowerExt(path) == ".csv") {
        options.AddNameValue("GEOM_POSSIBLE_NAMES", "WKT,wkt,geometry,geom");
        options.AddNameValue("KEEP_GEOM_COLUMNS", "NO");
    }
    std::string err;
    auto ds = openDataset(path, GDAL_OF_VECTOR, options.List(), err);
    if (!ds) throw FormatError(shown, layerName, err);
    return ds;
}

// One column per field; returns the OGR field types, which decide how each value is read. The names go to the
// sniffer too: they are in the file's encoding like the values, and are recoded with them.
std::vector<OGRFieldType> addColumns(OGRFeatureDefn& defn, FeatureTable& t, EncodingSniffer* sniffer) {
    const int fieldCount = defn.GetFieldCount();
    std::vector<OGRFieldType> types;
    for (int i = 0; i < fieldCount; ++i) {
        OGRFieldDefn* fd = defn.GetFieldDefn(i);
        OGRFieldType ft = fd->GetType();
        types.push_back(ft);
        ColumnType ct = (ft == OFTInteger || ft == OFTInteger64) ? ColumnType::Integer
                        : ft == OFTReal                            ? ColumnType::Real
                                                                   : ColumnType::Text;
        t.columns.emplace_back(fd->GetNameRef(), ct);
        if (sniffer) sniffer->add(fd->GetNameRef());
    }
    return types;
}

// Rings and vertices are estimated from the first features and grown geometrically after that.
void reserveRows(FeatureTable& t, GIntBig total) {
    t.reserveFeatures(total);  // capped: the count is the file's claim
}

void appendAttributes(OGRFeature& f, const std::vector<OGRFieldType>& types, FeatureTable& t,
                      EncodingSniffer* sniffer) {
    for (int i = 0; i < static_cast<int>(types.size()); ++i) {
        Column& c = t.columns[i];
        if (!f.IsFieldSetAndNotNull(i)) {
            c.pushNull();
        } else if (types[i] == OFTInteger || types[i] == OFTInteger64) {
            c.pushInteger(f.GetFieldAsInteger64(i));
        } else if (types[i] == OFTReal) {
            c.pushReal(f.GetFieldAsDouble(i));
        } else {
            const char* text = f.GetFieldAsString(i);
            if (sniffer) sniffer->add(text);
            c.pushText(text);
        }
    }
}

// The table's offsets are 32-bit (STYLE.md, principle 4): a layer past them is refused, never wrapped around.
void checkTableSize(const FeatureTable& t, const std::string& path, const std::string& layer) {
    constexpr size_t kMax = std::numeric_limits<uint32_t>::max();
    if (t.vertexCount() > kMax || t.ringCount() > kMax || t.partCount() > kMax)
        throw LimitError(path, layer, "more than 4294967295 vertices, rings or parts in one layer; split the layer");
}

// Reads every feature into out.table; returns how many were read. Cancellation and progress are checked every
// 4096 features, which keeps their cost out of the per-feature loop.
size_t readFeatures(OGRLayer& layer, const std::vector<OGRFieldType>& types, GIntBig total, VectorData& out,
                    EncodingSniffer* sniffer, JobProgress* progress, size_t limit) {
    FeatureTable& t = out.table;
    size_t n = 0;
    for (OGRFeatureUniquePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        GeomKind k = appendGeometry(f->GetGeometryRef(), t, out.otherKindParts);
        if (k == GeomKind::None) ++out.skippedGeometries;
        t.beginFeature(f->GetFID(), k);
        t.endFeature();
        checkTableSize(t, out.path, out.layerName);
        appendAttributes(*f, types, t, sniffer);
        if (++n == limit) break;
        if ((n & 4095) == 0 && progress) {
            progress->throwIfCancelled();
            if (total > 0) progress->set(static_cast<float>(n) / static_cast<float>(total));
        }
    }
    return n;
}

}  // namespace

namespace {
VectorData readOpenLayer(GDALDataset* ds, OGRLayer* layer, const std::string& path, const std::string& layerName,
                         bool raw, JobProgress* progress, const SourceOptions& options);
}  // namespace

uint64_t quickFeatureCount(const std::string& path, const std::string& layerName) {
    if (isDatabaseSource(path) || isCadPath(path)) return 0;
    try {
        GdalMessageScope quiet;  // the read that follows says what is wrong with the file
        // Only formats that keep the count (others parse the whole file to count it, or to open it at all: a
        // preview of those would cost a full read more, not save one), told by the driver before anything is opened.
        GDALDriverH identified = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr);
        const std::string driver = identified ? GDALGetDescription(identified) : "";
        if (driver != "GPKG" && driver != "ESRI Shapefile" && driver != "FlatGeobuf") return 0;
        auto ds = openVectorDataset(path, layerName, false, path);
        OGRLayer* layer = layerName.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layerName.c_str());
        const GIntBig n = layer ? layer->GetFeatureCount(FALSE) : -1;
        return n > 0 ? static_cast<uint64_t>(n) : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

VectorData readVectorLayer(const std::string& path, const std::string& layerName, JobProgress* progress,
                           const SourceOptions& options) {
    if (isDatabaseSource(path)) return readDatabaseLayer(path, layerName, progress, options, readOpenLayer);
    checkReadable(path);
    bool raw = wantsRawShapefileStrings(path);
    // A Shapefile whose .dbf is damaged is read from its .shp alone, and says why it has no attributes: GDAL would
    // read it without a word, as a layer with no fields or no features.
    const std::string dbf = lowerExt(path) == ".shp" ? dbfDamage(path) : "";
    std::optional<ShapeWithoutDbf> bare;
    if (!dbf.empty()) bare.emplace(path);
    GdalMessageScope gdal;  // opening and finding the layer (a GeoPackage's CRS table, say): warnings naming the file
    auto ds = openVectorDataset(bare ? bare->path() : path, layerName, raw, path);
    OGRLayer* layer = layerName.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layerName.c_str());
    if (!layer)
        throw FormatError(path, layerName, layerName.empty() ? "the file has no vector layer" : "no such layer");
    // Only what the view needs: a database or an indexed remote file (FlatGeobuf over /vsicurl/) reads just that.
    if (!options.filter.empty())
        layer->SetSpatialFilterRect(options.filter.minX, options.filter.minY, options.filter.maxX, options.filter.maxY);
    VectorData out = readOpenLayer(ds.get(), layer, path, layerName, raw, progress, options);
    const std::string file = fs::path(path).filename().string();
    if (gdal.count()) out.warnings.insert(out.warnings.begin(), file + ": GDAL: " + gdal.summary());
    if (!dbf.empty()) out.warnings.insert(out.warnings.begin(), dbf);
    return out;
}

namespace {

// Removes the vertices no map can draw, adding to the layer's count of them.
void dropUnusable(VectorData& out, bool geographic) {
    if (const auto& b = out.readBounds) {  // seen by the reader: nothing to look for, unless past lon/lat's bounds
        const double limitX = geographic ? 540.0 : kAbsurdCoordinate, limitY = geographic ? 90.0 + 1e-9 : kAbsurdCoordinate;
        if (b->empty() || (std::max(-b->minX, b->maxX) <= limitX && std::max(-b->minY, b->maxY) <= limitY)) return;
    }
    const VertexRepair r = dropUnusableVertices(out.table, geographic);
    if (r.vertices) out.readBounds.reset();
    out.repairedVertices.vertices += r.vertices;
    out.repairedVertices.features += r.features;
    out.repairedVertices.emptied += r.emptied;
}

// Everything after opening: columns, features, CRS, datum. `path` is what messages show (for a database source,
// the connection without its password).
VectorData readOpenLayer(GDALDataset* ds, OGRLayer* layer, const std::string& path,
                         [[maybe_unused]] const std::string& layerName, bool raw, JobProgress* progress,
                         const SourceOptions& options) {
    VectorData out;
    out.path = path;
    out.layerName = layer->GetName();
    out.driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    const std::string file = fs::path(path).filename().string();
    GdalMessageScope gdal;  // what GDAL says while the layer is read is reported once, naming the file
    // The CRS (a .prj, a GeoPackage's CRS table), the fields and the count are read before the features, so that
    // what GDAL says about them is not taken for a failed read.
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    FeatureTable& t = out.table;
    EncodingSniffer sniffer;
    EncodingSniffer* rawSniffer = raw ? &sniffer : nullptr;  // only raw strings have an encoding to guess
    const std::vector<OGRFieldType> types = addColumns(*layer->GetLayerDefn(), t, rawSniffer);
    const size_t limit = options.featureLimit;
    GIntBig total = layer->GetFeatureCount(FALSE);
    if (limit && total > 0) total = std::min<GIntBig>(total, static_cast<GIntBig>(limit));
    reserveRows(t, total);
    const std::string setupTrouble = gdal.summary();
    const bool setupFailed = gdal.failed();  // (GDAL may then read the layer otherwise, or not at all)
    if (srs && !setupTrouble.empty()) out.warnings.push_back(file + ": GDAL: " + setupTrouble);
    gdal.clear();
    if (progress) progress->set(0.0f, "reading");
    layer->ResetReading();
    CPLErrorReset();
    // A GeoPackage table straight from SQLite where it reads exactly as the loop would (source/gpkg_direct.hpp).
    std::optional<size_t> direct;
    if (!raw && !setupFailed && options.filter.empty() && out.driver == "GPKG")
        direct = readGpkgDirect(path, *layer, types, total, out, progress, limit);
    // GDAL's Arrow stream where the driver has a fast one; raw strings (GBK sniffing) need the feature loop.
    std::optional<size_t> arrowRows;
    if (!direct && !raw) {
        GdalMessageScope attempt;  // what a stream the loop then replaces said is not the read's
        arrowRows = readFeaturesArrow(*layer, total, out, progress, limit);
        if (arrowRows) gdal.merge(attempt);
    }
    // A large GeoPackage read through the loop: two threads, a half each.
    std::optional<size_t> halves;
    if (!direct && !arrowRows && !raw && !limit && options.filter.empty())
        halves = readInHalves(
            *ds, *layer, total, out, file,
            [&](OGRLayer& l, VectorData& into) {
                return readFeatures(l, types, std::max<GIntBig>(1, total / 2), into, nullptr, progress, 0);
            },
            [&] { return openVectorDataset(path, out.layerName, false, path); });
    const size_t n = direct      ? *direct
                     : arrowRows ? *arrowRows
                     : halves    ? *halves
                               : readFeatures(*layer, types, total, out, rawSniffer, progress, limit);
    checkTableSize(t, path, out.layerName);
    // Only an error raised while reading counts, and the read "stopped early" only when features are missing.
    if (gdal.failed() && n == 0)
        throw FormatError(path, out.layerName, lastGdalError(gdal.summary()));
    if (gdal.failed() && total > 0 && static_cast<GIntBig>(n) < total)
        out.warnings.push_back(file + ": read stopped early after " + std::to_string(n) + " of " +
                               std::to_string(total) + " features: " + gdal.summary());
    else if (gdal.failed())
        out.warnings.push_back(file + ": " + std::to_string(n) + " features read, with errors: " + gdal.summary());
    else if (gdal.count())
        out.warnings.push_back(file + ": GDAL: " + gdal.summary());
    gdal.clear();
    if (raw && sniffer.looksLikeGbk())
        for (Column& c : t.columns) c = recodeColumn(c);
    // [hook: spreadsheet coordinate columns -> points, before the CRS is decided]
    const bool table = layer->GetLayerDefn()->GetGeomFieldCount() == 0;
    if (table) {
        out.readBounds.reset();
        pointsFromCoordinateColumns(out, options);
    }  // its own warning lists the rows without a point
    if (!options.crs.empty()) {
        try {
            out.crs = Crs::fromUser(options.crs);  // assigned in the project: wins over the file's
        } catch (const CrsError& e) {
            throw CrsError(path, out.layerName, std::string("the layer's \"crs\": ") + e.what());
        }
    } else {
        dropUnusable(out, false);  // NaN or 1e300 would make any extent, hence the lon/lat guess, meaningless
        out.crs = layerCrs(layer, srs, setupTrouble, out.vertexExtent(), path, out.warnings);
    }
    // [hook: CAD control points (Helmert placement into options.crs)]
    if (isCadDriver(out.driver) || !options.controlPoints.empty() || !options.datum.empty()) out.readBounds.reset();
    if (isCadDriver(out.driver)) closedLinesToPolygons(t);
    if (!options.controlPoints.empty()) placeByControlPoints(out, options);
    if (options.datum == "gcj02") convertFromGcj02(out);
    else if (!options.datum.empty() && options.datum != "wgs84")
        throw FormatError(path, out.layerName, "unknown \"datum\" '" + options.datum + "' (use \"gcj02\")");
    dropUnusable(out, out.crs.isGeographic());
    if (out.skippedGeometries && !table)
        out.warnings.push_back(file + ": " + std::to_string(out.skippedGeometries) +
                               " features without a drawable geometry");
    if (out.otherKindParts)
        out.warnings.push_back(file + ": " + std::to_string(out.otherKindParts) +
                               " parts of mixed geometry collections not drawn (a feature draws one kind: that of its "
                               "first part)");
    if (out.repairedVertices.vertices)
        out.warnings.push_back(file + ": " + describe(out.repairedVertices, out.crs.isGeographic()));
    if (gdal.count()) out.warnings.push_back(file + ": GDAL: " + gdal.summary());
    if (progress) progress->set(1.0f);
    return out;
}

}  // namespace

}  // namespace geo

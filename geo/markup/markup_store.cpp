#include "markup/markup_store.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

constexpr const char* kLayerName = "markup";

void checkFolderExists(const std::string& path) {
    fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw IoError(path, "", "cannot write: the folder " + parent.string() + " does not exist");
}

std::string formatColor(const std::array<uint8_t, 4>& c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X%02X", c[0], c[1], c[2], c[3]);
    return buf;
}

int hexDigit(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

// "#RRGGBBAA" or "#RRGGBB" (opaque).
bool parseColor(const std::string& s, std::array<uint8_t, 4>& out) {
    if ((s.size() != 9 && s.size() != 7) || s[0] != '#') return false;
    std::array<uint8_t, 4> c{0, 0, 0, 255};
    for (size_t i = 0; i + 1 < s.size(); i += 2) {
        int hi = hexDigit(s[i + 1]), lo = hexDigit(s[i + 2]);
        if (hi < 0 || lo < 0) return false;
        c[i / 2] = static_cast<uint8_t>(hi * 16 + lo);
    }
    out = c;
    return true;
}

bool isAreaKind(MarkupKind k) {
    return k == MarkupKind::Polygon || k == MarkupKind::MeasureArea;
}

// The item's geometry, or null when it has no coordinates.
std::unique_ptr<OGRGeometry> toGeometry(const MarkupItem& item) {
    const size_t n = item.lonLat.size() / 2;
    if (n == 0) return nullptr;
    const double* p = item.lonLat.data();
    if (item.kind == MarkupKind::Text) return std::make_unique<OGRPoint>(p[0], p[1]);
    std::unique_ptr<OGRLineString> line;
    if (isAreaKind(item.kind))
        line = std::make_unique<OGRLinearRing>();
    else
        line = std::make_unique<OGRLineString>();
    line->setNumPoints(static_cast<int>(n + (isAreaKind(item.kind) ? 1 : 0)), FALSE);
    for (size_t i = 0; i < n; ++i) line->setPoint(static_cast<int>(i), p[2 * i], p[2 * i + 1]);
    if (!isAreaKind(item.kind)) return line;
    line->setPoint(static_cast<int>(n), p[0], p[1]);  // closed on disk, as GeoPackage readers expect
    auto poly = std::make_unique<OGRPolygon>();
    poly->addRingDirectly(static_cast<OGRLinearRing*>(line.release()));
    return poly;
}

void appendCurve(const OGRSimpleCurve& c, bool dropClosing, std::vector<double>& out) {
    int n = c.getNumPoints();
    if (dropClosing && n > 1 && c.getX(0) == c.getX(n - 1) && c.getY(0) == c.getY(n - 1)) --n;
    for (int i = 0; i < n; ++i) {
        out.push_back(c.getX(i));
        out.push_back(c.getY(i));
    }
}

// The vertices of a stored geometry as MarkupItem keeps them: a polygon's shell without the closing vertex. Foreign
// files may hold multi-geometries or curves: their first non-empty part is taken, curves linearised.
void flattenGeometry(const OGRGeometry* g, std::vector<double>& out) {
    if (!g || g->IsEmpty()) return;
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPoint:
            out.push_back(g->toPoint()->getX());
            out.push_back(g->toPoint()->getY());
            return;
        case wkbLineString:
            appendCurve(*g->toLineString(), false, out);
            return;
        case wkbPolygon:
            if (const OGRLinearRing* shell = g->toPolygon()->getExteriorRing()) appendCurve(*shell, true, out);
            return;
        case wkbMultiPoint:
        case wkbMultiLineString:
        case wkbMultiPolygon:
        case wkbGeometryCollection:
            for (const OGRGeometry* sub : *g->toGeometryCollection()) {
                flattenGeometry(sub, out);
                if (!out.empty()) return;
            }
            return;
        default: {
            std::unique_ptr<OGRGeometry> linear(g->getLinearGeometry());
            if (linear && wkbFlatten(linear->getGeometryType()) != wkbFlatten(g->getGeometryType()))
                flattenGeometry(linear.get(), out);
            return;
        }
    }
}

void createFields(OGRLayer& layer, const std::string& path) {
    struct FieldSpec {
        const char* name;
        OGRFieldType type;
    };
    for (FieldSpec f : {FieldSpec{"kind", OFTString},
                        FieldSpec{"text", OFTString},
                        FieldSpec{"color", OFTString},
                        FieldSpec{"width", OFTReal},
                        FieldSpec{"author", OFTString},
                        FieldSpec{"created", OFTString}}) {
        OGRFieldDefn fd(f.name, f.type);
        if (layer.CreateField(&fd) != OGRERR_NONE)
            throw IoError(path, kLayerName, lastGdalError(std::string("cannot create the field ") + f.name));
    }
}

void writeItem(OGRLayer& layer, const MarkupItem& item, size_t index, const std::string& path) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer.GetLayerDefn()));
    f->SetField("kind", markupKindName(item.kind));
    f->SetField("text", item.text.c_str());
    f->SetField("color", formatColor(item.color).c_str());
    f->SetField("width", static_cast<double>(item.width));
    f->SetField("author", item.author.c_str());
    f->SetField("created", item.created.c_str());
    if (auto g = toGeometry(item)) f->SetGeometryDirectly(g.release());
    if (layer.CreateFeature(f.get()) != OGRERR_NONE)
        throw IoError(path, kLayerName, lastGdalError("cannot write item " + std::to_string(index)));
}

void writeMarkupFile(const std::string& file, const std::string& path, const std::vector<MarkupItem>& items) {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw IoError(path, "", "GDAL was built without the GeoPackage driver");
    GDALDatasetUniquePtr ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw IoError(path, "", "cannot write: " + lastGdalError("cannot create " + file));
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer(kLayerName, &wgs84, wkbUnknown, nullptr);
    if (!layer) throw IoError(path, kLayerName, lastGdalError("cannot create the layer"));
    createFields(*layer, path);
    if (ds->StartTransaction() != OGRERR_NONE) throw IoError(path, kLayerName, lastGdalError("cannot write"));
    for (size_t i = 0; i < items.size(); ++i) writeItem(*layer, items[i], i, path);
    if (ds->CommitTransaction() != OGRERR_NONE) throw IoError(path, kLayerName, lastGdalError("cannot write"));
    CPLErrorReset();
    ds.reset();  // closes: SQLite writes its last pages here
    if (CPLGetLastErrorType() >= CE_Failure) throw IoError(path, "", "cannot write: " + lastGdalError("close failed"));
}

std::string fieldText(OGRFeature& f, int field) {
    return field >= 0 && f.IsFieldSetAndNotNull(field) ? std::string(f.GetFieldAsString(field)) : std::string();
}

struct MarkupFields {
    int kind = -1, text = -1, color = -1, width = -1, author = -1, created = -1;
};

MarkupItem readItem(OGRFeature& f, const MarkupFields& fl, const std::string& path) {
    const std::string where = "feature " + std::to_string(f.GetFID()) + ": ";
    MarkupItem item;
    const std::string kind = fieldText(f, fl.kind);
    if (!parseMarkupKind(kind, item.kind)) throw FormatError(path, kLayerName, where + "unknown kind \"" + kind + "\"");
    item.text = fieldText(f, fl.text);
    const std::string color = fieldText(f, fl.color);
    if (!color.empty() && !parseColor(color, item.color))
        throw FormatError(path, kLayerName, where + "bad colour \"" + color + "\" (expected #RRGGBBAA)");
    if (fl.width >= 0 && f.IsFieldSetAndNotNull(fl.width))
        item.width = static_cast<float>(f.GetFieldAsDouble(fl.width));
    item.author = fieldText(f, fl.author);
    item.created = fieldText(f, fl.created);
    flattenGeometry(f.GetGeometryRef(), item.lonLat);
    return item;
}

}  // namespace

void saveMarkup(const std::string& path, const std::vector<MarkupItem>& items) {
    ensureGdal();
    checkFolderExists(path);
    TempSibling tmp(path);
    {
        QuietGdalErrors quiet;
        writeMarkupFile(tmp.path(), path, items);
    }
    tmp.commit();
}

std::vector<MarkupItem> loadMarkup(const std::string& path, size_t* skipped) {
    ensureGdal();
    std::error_code ec;
    if (!fs::exists(path, ec)) throw IoError(path, "", "file not found");
    if (!std::ifstream(path, std::ios::binary)) throw IoError(path, "", "cannot open the file for reading");
    QuietGdalErrors quiet;
    const char* const drivers[] = {"GPKG", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR, drivers));
    if (!ds) throw FormatError(path, "", "not a GeoPackage: " + lastGdalError("unrecognised content"));
    OGRLayer* layer = ds->GetLayerByName(kLayerName);
    if (!layer) throw FormatError(path, "", "not a markup file: it has no layer named \"markup\"");
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    MarkupFields fl{defn->GetFieldIndex("kind"),
                    defn->GetFieldIndex("text"),
                    defn->GetFieldIndex("color"),
                    defn->GetFieldIndex("width"),
                    defn->GetFieldIndex("author"),
                    defn->GetFieldIndex("created")};
    if (fl.kind < 0) throw FormatError(path, kLayerName, "not a markup layer: it has no \"kind\" field");
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    if (srs && !srs->IsGeographic())
        throw FormatError(path, kLayerName, "the markup layer is not in longitude/latitude (EPSG:4326)");

    std::vector<MarkupItem> items;
    size_t empty = 0;
    layer->ResetReading();
    CPLErrorReset();
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        MarkupItem item = readItem(*f, fl, path);
        if (item.lonLat.empty()) {
            ++empty;
            continue;
        }
        items.push_back(std::move(item));
    }
    if (CPLGetLastErrorType() >= CE_Failure)
        throw FormatError(path, kLayerName, "read stopped early: " + lastGdalError("unknown error"));
    if (skipped) *skipped = empty;
    return items;
}

std::string osUserName() {
    long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buf(size > 0 ? static_cast<size_t>(size) : 16384);
    passwd pw{};
    passwd* found = nullptr;
    if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found && found->pw_name &&
        *found->pw_name)
        return found->pw_name;
    if (const char* user = std::getenv("USER"); user && *user) return user;
    return "unknown";
}

std::string isoNowUtc() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

}  // namespace geo

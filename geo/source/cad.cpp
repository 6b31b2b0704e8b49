#include "source/cad.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include <cpl_conv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"

namespace geo {

namespace {

std::string lowerExtension(const std::string& path) {
    std::string e = std::filesystem::path(path).extension().string();
    for (auto& ch : e) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return e;
}

// Sets a GDAL config option for this thread only, for the lifetime of the scope: other threads open their own
// files with their own settings.
class ThreadConfigScope {
public:
    ThreadConfigScope(const char* key, const char* value) : key_(key) {
        const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
        hadOld_ = old != nullptr;
        if (old) old_ = old;
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ThreadConfigScope() { CPLSetThreadLocalConfigOption(key_, hadOld_ ? old_.c_str() : nullptr); }
    ThreadConfigScope(const ThreadConfigScope&) = delete;
    ThreadConfigScope& operator=(const ThreadConfigScope&) = delete;

private:
    const char* key_;
    std::string old_;
    bool hadOld_ = false;
};

// The AutoCAD release that writes a DWG version tag.
std::string dwgRelease(const std::string& tag) {
    static const struct {
        const char* tag;
        const char* release;
    } kReleases[] = {{"AC1009", "R11/R12"},
                     {"AC1012", "R13"},
                     {"AC1014", "R14"},
                     {"AC1015", "2000-2002"},
                     {"AC1018", "2004-2006"},
                     {"AC1021", "2007-2009"},
                     {"AC1024", "2010-2012"},
                     {"AC1027", "2013-2017"},
                     {"AC1032", "2018 or later"}};
    for (const auto& r : kReleases)
        if (tag == r.tag) return r.release;
    return "unknown";
}

// Shoelace relative to the first vertex: drawings in survey coordinates (x ~ 5e5, y ~ 2.5e6) would otherwise
// lose a small ring's area to cancellation.
double ringArea(const FeatureTable& t, uint32_t ring) {
    const uint32_t b = t.vertexBegin(ring), e = t.vertexEnd(ring);
    const double x0 = t.xy[2 * b], y0 = t.xy[2 * b + 1];
    double twice = 0;
    for (uint32_t i = b; i + 1 < e; ++i)
        twice += (t.xy[2 * i] - x0) * (t.xy[2 * i + 3] - y0) - (t.xy[2 * i + 2] - x0) * (t.xy[2 * i + 1] - y0);
    return twice / 2;
}

// Closed (last = first), at least 3 distinct vertices, and enclosing an area that is not rounding noise.
bool isAreaRing(const FeatureTable& t, uint32_t ring) {
    const uint32_t b = t.vertexBegin(ring), e = t.vertexEnd(ring);
    if (e - b < 4) return false;
    if (t.xy[2 * b] != t.xy[2 * (e - 1)] || t.xy[2 * b + 1] != t.xy[2 * (e - 1) + 1]) return false;
    double minX = t.xy[2 * b], maxX = minX, minY = t.xy[2 * b + 1], maxY = minY;
    for (uint32_t i = b; i < e; ++i) {
        minX = std::min(minX, t.xy[2 * i]), maxX = std::max(maxX, t.xy[2 * i]);
        minY = std::min(minY, t.xy[2 * i + 1]), maxY = std::max(maxY, t.xy[2 * i + 1]);
    }
    return maxX > minX && maxY > minY && std::abs(ringArea(t, ring)) > 1e-9 * (maxX - minX) * (maxY - minY);
}

}  // namespace

bool isCadPath(const std::string& path) {
    const std::string e = lowerExtension(path);
    return e == ".dxf" || e == ".dwg";
}

bool isCadDriver(std::string_view driver) { return driver == "DXF" || driver == "CAD"; }

std::string cadTextField(const std::string& path) {
    const std::string e = lowerExtension(path);
    return e == ".dxf" ? "Text" : e == ".dwg" ? "text" : "";
}

void checkCadVersion(const std::string& path) {
    if (lowerExtension(path) != ".dwg") return;
    std::ifstream in(path, std::ios::binary);
    char head[6] = {};
    if (!in.read(head, sizeof head) || std::strncmp(head, "AC", 2) != 0)
        throw FormatError(path, "", "not a DWG file (no AutoCAD version tag at its start)");
    const std::string tag(head, sizeof head);
    if (tag == "AC1015") return;
    throw FormatError(path,
                      "",
                      "DWG version " + tag + " (AutoCAD " + dwgRelease(tag) +
                          ") cannot be read: GDAL's CAD driver reads only DWG R2000 (AC1015). Save the drawing as "
                          "DXF (any version) or as DWG 2000 in the CAD program, then add that file");
}

GDALDatasetUniquePtr openCadDataset(const std::string& path, const std::string& layerName) {
    checkCadVersion(path);
    ThreadConfigScope inlineBlocks("DXF_INLINE_BLOCKS", "TRUE");
    ThreadConfigScope separateEntities("DXF_MERGE_BLOCK_GEOMETRIES", "FALSE");
    std::string err;
    auto ds = openDataset(path, GDAL_OF_VECTOR, nullptr, err);
    if (!ds) throw FormatError(path, layerName, err);
    return ds;
}

size_t closedLinesToPolygons(FeatureTable& t) {
    size_t changed = 0;
    for (size_t f = 0; f < t.featureCount(); ++f) {
        if (t.kinds[f] != GeomKind::Line || t.partBegin(f) == t.partEnd(f)) continue;
        bool allClosed = true;
        for (uint32_t p = t.partBegin(f); p < t.partEnd(f) && allClosed; ++p)
            for (uint32_t r = t.ringBegin(p); r < t.ringEnd(p) && allClosed; ++r) allClosed = isAreaRing(t, r);
        if (!allClosed) continue;
        // A line part is one ring, so each part is already a polygon with one shell.
        t.kinds[f] = GeomKind::Polygon;
        ++changed;
    }
    return changed;
}

std::vector<std::string> cadLayerNames(const std::string& path) {
    if (lowerExtension(path) != ".dxf") return {};
    auto ds = openCadDataset(path, "");
    OGRLayer* layer = ds->GetLayerCount() > 0 ? ds->GetLayer(0) : nullptr;
    if (!layer) return {};
    const int field = layer->GetLayerDefn()->GetFieldIndex("Layer");
    if (field < 0) return {};
    std::set<std::string> names;
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()))
        if (f->IsFieldSetAndNotNull(field)) names.insert(f->GetFieldAsString(field));
    return {names.begin(), names.end()};
}

}  // namespace geo

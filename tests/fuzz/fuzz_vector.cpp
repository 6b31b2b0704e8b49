// Vector ingestion (geo/source, geo/layer): bytes as a GeoJSON file, as WKB geometries or raw GeoPackage
// geometry blobs in a GeoPackage, or as a FlatGeobuf file, read through GDAL's /vsimem/ into the FeatureTable
// (GeoPackage and FlatGeobuf by the Arrow stream and WKB decoder, or by the feature loop), then tessellated,
// indexed and reprojected as a layer is for display. The first byte picks the format and the reading path; with
// bit 4 a GeoPackage is also written to a local file and read by the direct reader against GDAL's loop.
#include <fuzzer/FuzzedDataProvider.h>

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "crs/crs.hpp"
#include "fuzz_support.hpp"
#include "layer/vector_layer.hpp"
#include "source/vector_source.hpp"

namespace {

// A GeoPackage with one layer "t" (a text and an integer field, EPSG:4326, no spatial index, so no triggers
// parse the blobs on insert) and no features, as bytes; each input gets a copy with its blobs inserted.
std::vector<GByte> makeTemplate() {
    const char* path = "/vsimem/fuzz_vector/template.gpkg";
    {
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
        GDALDatasetUniquePtr ds(drv->Create(path, 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        const char* options[] = {"SPATIAL_INDEX=NO", nullptr};
        OGRLayer* layer = ds->CreateLayer("t", &srs, wkbUnknown, const_cast<char**>(options));
        OGRFieldDefn name("name", OFTString), value("value", OFTInteger);
        layer->CreateField(&name);
        layer->CreateField(&value);
    }
    vsi_l_offset length = 0;
    GByte* bytes = VSIGetMemFileBuffer(path, &length, FALSE);
    std::vector<GByte> out(bytes, bytes + length);
    VSIUnlink(path);
    return out;
}

const std::vector<GByte>& gpkgTemplate() {
    static const std::vector<GByte> bytes = makeTemplate();
    return bytes;
}

std::string hex(const std::string& bytes) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// Adds features holding `blobs` as their geometry to a copy of the template at `path`, each as given (`wrap`
// false) or behind a standard GeoPackage header (little-endian, no envelope, srs 4326) when they are plain WKB.
bool writeGeoPackage(const std::string& path, const std::vector<std::string>& blobs, bool wrap) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    if (!ds) return false;
    const std::string header = wrap ? std::string("GP\0\x01\xE6\x10\0\0", 8) : std::string();
    for (size_t i = 0; i < blobs.size(); ++i) {
        const std::string sql = "INSERT INTO t (geom, name, value) VALUES (X'" + hex(header + blobs[i]) + "', 'f" +
                                std::to_string(i) + "', " + std::to_string(i) + ")";
        ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    }
    return true;
}

// Loads the layer as the viewer does and checks what the store promises: ends that nest, a kind per feature,
// triangles indexing real vertices; then reprojects it for display.
void load(const std::string& path) {
    std::shared_ptr<geo::VectorLayerData> layer;
    try {
        layer = geo::loadVectorLayer(path, "", nullptr);
    } catch (const geo::Error&) {
        return;  // a clear error
    }
    const geo::FeatureTable& t = layer->source.table;
    FUZZ_CHECK(t.xy.size() % 2 == 0);
    FUZZ_CHECK(t.kinds.size() == t.featureCount() && t.fids.size() == t.featureCount());
    for (const auto& c : t.columns) FUZZ_CHECK(c.size() == t.featureCount());
    for (size_t i = 1; i < t.ringEnds.size(); ++i) FUZZ_CHECK(t.ringEnds[i - 1] <= t.ringEnds[i]);
    for (size_t i = 1; i < t.partEnds.size(); ++i) FUZZ_CHECK(t.partEnds[i - 1] <= t.partEnds[i]);
    for (size_t i = 1; i < t.featureEnds.size(); ++i) FUZZ_CHECK(t.featureEnds[i - 1] <= t.featureEnds[i]);
    FUZZ_CHECK(t.ringEnds.empty() || t.ringEnds.back() == t.vertexCount());
    FUZZ_CHECK(t.partEnds.empty() || t.partEnds.back() == t.ringCount());
    FUZZ_CHECK(t.featureEnds.empty() || t.featureEnds.back() == t.partCount());
    for (size_t f = 0; f < t.featureCount(); ++f)
        FUZZ_CHECK((t.partEnd(f) > t.partBegin(f)) == (t.kinds[f] != geo::GeomKind::None));
    FUZZ_CHECK(layer->partTriangleEnds.size() == t.partCount());
    for (uint32_t i : layer->triangles) FUZZ_CHECK(i < t.vertexCount());
    try {
        geo::DisplayGeometry g = geo::reprojectLayer(*layer, geo::Crs::fromUser("EPSG:3857"), nullptr);
        FUZZ_CHECK(g.xy.size() == t.xy.size() && g.failedVertices <= t.vertexCount());
    } catch (const geo::CrsError&) {
    }
}

// The direct GeoPackage read (source/gpkg_direct, local files only) against GDAL's feature loop of the same file:
// the same table, or the same error.
void compareDirect(const std::string& memPath) {
    vsi_l_offset length = 0;
    GByte* bytes = VSIGetMemFileBuffer(memPath.c_str(), &length, FALSE);
    if (!bytes) return;
    static const std::string path = "/tmp/planatlas_fuzz_vector_" + std::to_string(::getpid()) + ".gpkg";
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (!f) return;
        std::fwrite(bytes, 1, size_t(length), f);
        std::fclose(f);
    }
    auto read = [&](const char* direct, std::string& error) {
        CPLSetConfigOption("PLANATLAS_GPKG_DIRECT", direct);
        geo::VectorData d;
        try {
            d = geo::readVectorLayer(path, "", nullptr);
        } catch (const geo::Error& e) {
            error = e.what();
        }
        CPLSetConfigOption("PLANATLAS_GPKG_DIRECT", nullptr);
        return d;
    };
    std::string loopError, directError;
    const geo::VectorData loop = read("NO", loopError), direct = read("YES", directError);
    std::remove(path.c_str());
    FUZZ_CHECK(loopError.empty() == directError.empty());
    if (!loopError.empty()) return;
    const geo::FeatureTable &a = loop.table, &b = direct.table;
    FUZZ_CHECK(a.fids == b.fids && a.kinds == b.kinds && a.featureEnds == b.featureEnds && a.partEnds == b.partEnds &&
               a.ringEnds == b.ringEnds && a.xy.size() == b.xy.size());
    FUZZ_CHECK(a.xy.empty() || std::memcmp(a.xy.data(), b.xy.data(), a.xy.size() * sizeof(double)) == 0);
    FUZZ_CHECK(a.columns.size() == b.columns.size());
    for (size_t c = 0; c < a.columns.size(); ++c)
        for (size_t r = 0; r < a.featureCount(); ++r) FUZZ_CHECK(a.columns[c].display(r) == b.columns[c].display(r));
    FUZZ_CHECK(loop.skippedGeometries == direct.skippedGeometries && loop.otherKindParts == direct.otherKindParts);
    FUZZ_CHECK(loop.warnings == direct.warnings);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::initGdal();
    gpkgTemplate();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t mode = data[0];
    // Bit 3: the feature loop instead of the Arrow stream, for the formats that have one.
    CPLSetConfigOption("PLANATLAS_ARROW_READ", (mode & 8) ? "NO" : "YES");
    switch (mode % 4) {
        case 0: {
            fuzz::MemFile file("/vsimem/fuzz_vector/in.geojson", data + 1, size - 1);
            load(file.path());
            break;
        }
        case 1:
        case 2: {
            // Up to four geometries, each a length-prefixed piece of the input.
            FuzzedDataProvider in(data + 1, size - 1);
            std::vector<std::string> blobs;
            while (in.remaining_bytes() > 0 && blobs.size() < 4) blobs.push_back(in.ConsumeRandomLengthString());
            const std::vector<GByte>& tpl = gpkgTemplate();
            fuzz::MemFile file("/vsimem/fuzz_vector/in.gpkg", tpl.data(), tpl.size());
            if (writeGeoPackage(file.path(), blobs, mode % 4 == 1)) {
                load(file.path());
                if (mode & 16) compareDirect(file.path());  // bit 4: the direct read against the loop
            }
            break;
        }
        default: {
            fuzz::MemFile file("/vsimem/fuzz_vector/in.fgb", data + 1, size - 1);
            load(file.path());
            break;
        }
    }
    return 0;
}

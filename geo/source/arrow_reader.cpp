#include "source/arrow_reader.hpp"

// [SECTION] handles for the Arrow C data interface
// [SECTION] the plan: which stream column feeds which table column
// [SECTION] one batch
// [SECTION] readFeaturesArrow

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_time.h>
#include <gdal.h>
#include <ogr_recordbatch.h>
#include <ogrsf_frmts.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

#include "source/arrow_wkb.hpp"

namespace geo {

namespace {

using arrow_detail::appendWkb;
using arrow_detail::Unsupported;
using arrow_detail::WkbCursor;

// [SECTION] handles for the Arrow C data interface: each struct is released once, by its owner.

struct StreamHandle {
    ArrowArrayStream s{};
    StreamHandle() = default;
    StreamHandle(const StreamHandle&) = delete;
    StreamHandle& operator=(const StreamHandle&) = delete;
    ~StreamHandle() {
        if (s.release) s.release(&s);
    }
};

struct SchemaHandle {
    ArrowSchema s{};
    SchemaHandle() = default;
    SchemaHandle(const SchemaHandle&) = delete;
    SchemaHandle& operator=(const SchemaHandle&) = delete;
    ~SchemaHandle() {
        if (s.release) s.release(&s);
    }
};

struct ArrayHandle {
    ArrowArray a{};
    ArrayHandle() = default;
    ArrayHandle(const ArrayHandle&) = delete;
    ArrayHandle& operator=(const ArrayHandle&) = delete;
    ~ArrayHandle() {
        if (a.release) a.release(&a);
    }
};

// [SECTION] the plan

// How a stream column is stored (Arrow format strings: "c" "s" "i" "l" "b" "g" "u" "U" "tdD").
enum class Storage { Int8, Int16, Int32, Int64, Bool, Float64, Utf8, LargeUtf8, Date32 };

struct ColumnPlan {
    int child;  // index among the batch's children
    Storage storage;
};

struct Plan {
    int fidChild = -1;
    int geomChild = -1;  // -1: the layer has no geometry field
    bool largeGeom = false;
    std::vector<ColumnPlan> columns;  // one per table column, in order
    int64_t children = 0;
};

// The storages whose values the loop's reading reproduces exactly, and the column type each becomes (as
// addColumns maps OGR field types). Float32 is left out: the loop reads the driver's double, the stream a float.
std::optional<Storage> storageOf(std::string_view format, ColumnType& type) {
    struct Entry {
        std::string_view format;
        Storage storage;
        ColumnType type;
    };
    static constexpr Entry kEntries[] = {
        {"c", Storage::Int8, ColumnType::Integer},
        {"s", Storage::Int16, ColumnType::Integer},
        {"i", Storage::Int32, ColumnType::Integer},
        {"l", Storage::Int64, ColumnType::Integer},
        {"b", Storage::Bool, ColumnType::Integer},
        {"g", Storage::Float64, ColumnType::Real},
        {"u", Storage::Utf8, ColumnType::Text},
        {"U", Storage::LargeUtf8, ColumnType::Text},
        {"tdD", Storage::Date32, ColumnType::Text},
    };
    for (const Entry& e : kEntries)
        if (e.format == format) {
            type = e.type;
            return e.storage;
        }
    return std::nullopt;
}

// The GDAL running (not the one compiled against), for the stream bugs fixed since 3.6.
bool gdalAtLeast(int major, int minor, int rev) {
    return std::atoi(GDALVersionInfo("VERSION_NUM")) >= GDAL_COMPUTE_VERSION(major, minor, rev);
}

// GDAL lays the stream out as [FID] + the fields in order + the geometry fields. Anything else, or a column
// this reader cannot reproduce, gives nullopt.
std::optional<Plan> planColumns(const ArrowSchema& schema, OGRLayer& layer, const FeatureTable& t) {
    OGRFeatureDefn& defn = *layer.GetLayerDefn();
    const int fields = defn.GetFieldCount(), geoms = defn.GetGeomFieldCount();
    if (fields != static_cast<int>(t.columns.size())) return std::nullopt;
    if (fields > 125 && !gdalAtLeast(3, 8, 1)) return std::nullopt;  // GeoPackage: wrong columns (GDAL #8757)
    if (schema.n_children != 1 + fields + geoms) return std::nullopt;
    const std::string fidName = *layer.GetFIDColumn() ? layer.GetFIDColumn() : "OGC_FID";
    const ArrowSchema& fid = *schema.children[0];
    if (fid.name != fidName || std::string_view(fid.format) != "l" || fid.dictionary) return std::nullopt;
    Plan plan;
    plan.fidChild = 0;
    plan.children = schema.n_children;
    for (int i = 0; i < fields; ++i) {
        const ArrowSchema& c = *schema.children[1 + i];
        ColumnType type;
        std::optional<Storage> storage = storageOf(c.format, type);
        if (!storage || c.dictionary || t.columns[i].name != c.name || t.columns[i].type != type) return std::nullopt;
        if (*storage == Storage::Bool && !gdalAtLeast(3, 8, 3)) return std::nullopt;  // wrong bits (GDAL #8998)
        plan.columns.push_back({1 + i, *storage});
    }
    if (geoms > 0) {
        const ArrowSchema& g = *schema.children[1 + fields];
        std::string_view f = g.format;
        if ((f != "z" && f != "Z") || g.dictionary) return std::nullopt;
        plan.geomChild = 1 + fields;
        plan.largeGeom = f == "Z";
    }
    return plan;
}

// [SECTION] one batch

bool isValid(const ArrowArray& a, int64_t row) {
    const auto* bits = static_cast<const uint8_t*>(a.buffers[0]);
    if (!bits) return true;
    const int64_t i = a.offset + row;
    return (bits[i >> 3] >> (i & 7)) & 1;
}

template <typename T>
T valueAt(const ArrowArray& a, int64_t row) {
    return static_cast<const T*>(a.buffers[1])[a.offset + row];
}

// Bytes of row `row` of a utf8 / binary column (int32 offsets) or a large one (int64 offsets).
template <typename Offset>
std::string_view bytesAt(const ArrowArray& a, int64_t row) {
    const auto* offsets = static_cast<const Offset*>(a.buffers[1]) + a.offset + row;
    const auto* data = static_cast<const char*>(a.buffers[2]);
    return std::string_view(data + offsets[0], static_cast<size_t>(offsets[1] - offsets[0]));
}

// The lengths in a batch come from the file: GDAL 3.6's FlatGeobuf stream gives a damaged geometry a negative
// length. Offsets that go back, or a child shorter than the batch, send the file to the feature loop, which reports
// such geometries. (A batch of no bytes may come without a data buffer: the C Data Interface allows it.)
template <typename Offset>
void checkOffsets(const ArrowArray& a, int64_t rows) {
    if (a.length < rows || a.offset < 0 || !a.buffers[1]) throw Unsupported();
    const auto* offsets = static_cast<const Offset*>(a.buffers[1]) + a.offset;
    if (offsets[0] < 0) throw Unsupported();
    for (int64_t r = 0; r < rows; ++r)
        if (offsets[r + 1] < offsets[r]) throw Unsupported();
    if (offsets[rows] > offsets[0] && !a.buffers[2]) throw Unsupported();
}

// As OGRFeature::GetFieldAsString writes an OFTDate.
std::string dateText(int32_t days) {
    struct tm civil {};
    CPLUnixTimeToYMDHMS(static_cast<GIntBig>(days) * 86400, &civil);
    return CPLSPrintf("%04d/%02d/%02d", civil.tm_year + 1900, civil.tm_mon + 1, civil.tm_mday);
}

void appendColumn(const ArrowArray& a, Storage storage, int64_t rows, Column& c) {
    if (a.length < rows) throw Unsupported();
    if (storage == Storage::Utf8) checkOffsets<int32_t>(a, rows);
    if (storage == Storage::LargeUtf8) checkOffsets<int64_t>(a, rows);
    for (int64_t r = 0; r < rows; ++r) {
        if (!isValid(a, r)) {
            c.pushNull();
            continue;
        }
        switch (storage) {
            case Storage::Int8:
                c.pushInteger(valueAt<int8_t>(a, r));
                break;
            case Storage::Int16:
                c.pushInteger(valueAt<int16_t>(a, r));
                break;
            case Storage::Int32:
                c.pushInteger(valueAt<int32_t>(a, r));
                break;
            case Storage::Int64:
                c.pushInteger(valueAt<int64_t>(a, r));
                break;
            case Storage::Bool: {
                const int64_t i = a.offset + r;
                c.pushInteger((static_cast<const uint8_t*>(a.buffers[1])[i >> 3] >> (i & 7)) & 1);
                break;
            }
            case Storage::Float64:
                c.pushReal(valueAt<double>(a, r));
                break;
            case Storage::Utf8:
                c.pushText(bytesAt<int32_t>(a, r));
                break;
            case Storage::LargeUtf8:
                c.pushText(bytesAt<int64_t>(a, r));
                break;
            case Storage::Date32:
                c.pushText(dateText(valueAt<int32_t>(a, r)));
                break;
        }
    }
}

// Appends one record batch; returns the number of features without a drawable geometry.
size_t appendBatch(const ArrowArray& batch, const Plan& plan, FeatureTable& t, size_t& otherKindParts) {
    if (batch.n_children != plan.children || batch.offset != 0) throw Unsupported();
    const int64_t rows = batch.length;
    const ArrowArray& fid = *batch.children[plan.fidChild];
    const ArrowArray* geom = plan.geomChild >= 0 ? batch.children[plan.geomChild] : nullptr;
    if (fid.length < rows) throw Unsupported();
    if (geom && plan.largeGeom) checkOffsets<int64_t>(*geom, rows);
    if (geom && !plan.largeGeom) checkOffsets<int32_t>(*geom, rows);
    size_t skipped = 0;
    for (int64_t r = 0; r < rows; ++r) {
        GeomKind k = GeomKind::None;
        if (geom && isValid(*geom, r)) {
            std::string_view wkb = plan.largeGeom ? bytesAt<int64_t>(*geom, r) : bytesAt<int32_t>(*geom, r);
            WkbCursor c(reinterpret_cast<const uint8_t*>(wkb.data()), wkb.size());
            if (!wkb.empty()) k = appendWkb(c, t);
            otherKindParts += c.otherKindParts;
        }
        if (k == GeomKind::None) ++skipped;
        t.beginFeature(isValid(fid, r) ? valueAt<int64_t>(fid, r) : OGRNullFID, k);
        t.endFeature();
    }
    for (size_t i = 0; i < plan.columns.size(); ++i)
        appendColumn(*batch.children[plan.columns[i].child], plan.columns[i].storage, rows, t.columns[i]);
    return skipped;
}

}  // namespace

// [SECTION] readFeaturesArrow

namespace {

// Reads the whole stream into `t`; nullopt when the plan or a geometry is something the loop must read.
std::optional<size_t> readStream(OGRLayer& layer, GIntBig total, FeatureTable& t, size_t& skipped,
                                 size_t& otherKindParts, JobProgress* progress, size_t limit) {
    StreamHandle stream;  // released before the layer is used again
    CPLStringList options;
    options.AddNameValue("INCLUDE_FID", "YES");
    SchemaHandle schema;
    if (!layer.GetArrowStream(&stream.s, options.List()) || stream.s.get_schema(&stream.s, &schema.s) != 0)
        return std::nullopt;
    const std::optional<Plan> plan = planColumns(schema.s, layer, t);
    if (!plan) return std::nullopt;
    t.reserveFeatures(total);  // capped: the count is the file's claim
    size_t n = 0;
    try {
        for (;;) {
            ArrayHandle batch;
            if (stream.s.get_next(&stream.s, &batch.a) != 0) {
                const char* why = stream.s.get_last_error ? stream.s.get_last_error(&stream.s) : nullptr;
                CPLError(CE_Failure, CPLE_AppDefined, "%s", why && *why ? why : "the Arrow stream failed");
                return n;
            }
            // The end of the stream; an empty FlatGeobuf sends empty batches for ever (GDAL #8509).
            if (!batch.a.release || batch.a.length == 0) return n;
            skipped += appendBatch(batch.a, *plan, t, otherKindParts);
            n += static_cast<size_t>(batch.a.length);
            if (limit && n >= limit) return n;
            if (progress) {
                progress->throwIfCancelled();
                if (total > 0) progress->set(static_cast<float>(n) / static_cast<float>(total));
            }
        }
    } catch (const Unsupported&) {
        return std::nullopt;
    }
}

}  // namespace

std::optional<size_t> readFeaturesArrow(OGRLayer& layer, GIntBig total, VectorData& out, JobProgress* progress,
                                        size_t limit) {
    if (!CPLTestBool(CPLGetConfigOption("PLANATLAS_ARROW_READ", "YES"))) return std::nullopt;
    if (!layer.TestCapability(OLCFastGetArrowStream)) return std::nullopt;
    // Before 3.8 the fast streams kept every feature whose box meets the filter, the loop only those that do.
    if (layer.GetSpatialFilter() && !gdalAtLeast(3, 8, 0)) return std::nullopt;  // GDAL #8347
    FeatureTable t;
    t.columns = out.table.columns;  // the names and types, no rows yet
    size_t skipped = 0, otherKindParts = 0;
    const std::optional<size_t> n = readStream(layer, total, t, skipped, otherKindParts, progress, limit);
    if (!n) {
        layer.ResetReading();
        CPLErrorReset();  // what went wrong here is not the loop's error
        return std::nullopt;
    }
    out.table = std::move(t);
    out.skippedGeometries += skipped;
    out.otherKindParts += otherKindParts;
    return n;
}

}  // namespace geo

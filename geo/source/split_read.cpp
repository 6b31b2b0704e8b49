#include "source/split_read.hpp"

#include <cstdlib>
#include <exception>
#include <limits>
#include <thread>

#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "source/gdal_messages.hpp"
#include "source/gpkg_direct.hpp"

namespace geo {

namespace {
std::string quoted(const std::string& name) { return sqlIdentifier(name); }
}  // namespace

std::optional<size_t> readInHalves(GDALDataset& ds, OGRLayer& layer, long long total, VectorData& out,
                                   const std::string& file, const std::function<size_t(OGRLayer&, VectorData&)>& readAll,
                                   const std::function<GDALDatasetUniquePtr()>& reopen) {
    long long threshold = kSplitReadFeatures;
    if (const char* env = std::getenv("PLANATLAS_SPLIT_READ")) {  // 0: never; N: from N features (tests)
        threshold = std::atoll(env);
        if (threshold <= 0) return std::nullopt;
    }
    const std::string driver = ds.GetDriver() ? ds.GetDriver()->GetDescription() : "";
    const std::string fidColumn = layer.GetFIDColumn() ? layer.GetFIDColumn() : "";
    if (driver != "GPKG" || fidColumn.empty() || total < threshold) return std::nullopt;
    const std::string fid = quoted(fidColumn);
    // Only a table read in fid order (gpkgReadsInFidOrder): a view's "fid" may be NULL (a LEFT JOIN's rows would
    // match neither half) or ordered otherwise (the halves would change the order), and each half would run the
    // whole view anyway; a table's fid may not be its rowid, or SQLite may read it through a covering index.
    long long lo = 0, hi = 0;
    GDALDatasetUniquePtr other;
    {
        GdalMessageScope quiet;  // what happens here only decides whether to split
        const std::string name = layer.GetName();
        if (!gpkgReadsInFidOrder(out.path, layer)) return std::nullopt;
        // Where the fids run (they need not start at 1 nor be dense).
        const std::string sql = "SELECT MIN(" + fid + "), MAX(" + fid + ") FROM " + quoted(name);
        OGRLayer* range = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (!range) return std::nullopt;
        OGRFeatureUniquePtr row(range->GetNextFeature());
        const bool ok = row && row->IsFieldSetAndNotNull(0) && row->IsFieldSetAndNotNull(1);
        if (ok) {
            lo = row->GetFieldAsInteger64(0);
            hi = row->GetFieldAsInteger64(1);
        }
        row.reset();
        ds.ReleaseResultSet(range);
        if (!ok || hi <= lo || uint64_t(hi) - uint64_t(lo) < 2) return std::nullopt;
        // The second connection, opened here: a file that cannot be opened again (replaced meanwhile, out of file
        // handles) is read in one go, and what opening it says was said by the first open already.
        try {
            other = reopen();
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (!other || !other->GetLayerByName(out.layerName.c_str())) return std::nullopt;
    }
    const std::string mid = std::to_string(lo + static_cast<long long>((uint64_t(hi) - uint64_t(lo)) / 2) + 1);

    VectorData second;
    second.path = out.path;
    second.layerName = out.layerName;
    for (const Column& c : out.table.columns) second.table.columns.emplace_back(c.name, c.type);
    std::exception_ptr secondError;
    std::string secondTrouble;
    bool secondFailed = false;
    size_t secondRows = 0;
    std::thread worker([&] {
        try {
            GdalMessageScope gdal;  // this thread's: what GDAL says here is reported below
            OGRLayer* half = other->GetLayerByName(out.layerName.c_str());
            if (half->SetAttributeFilter((fid + " >= " + mid).c_str()) != OGRERR_NONE)
                throw FormatError(out.path, out.layerName, "cannot read the layer's second half: " + gdal.summary());
            secondRows = readAll(*half, second);
            secondFailed = gdal.failed();
            secondTrouble = gdal.summary();
        } catch (...) {
            secondError = std::current_exception();
        }
    });
    size_t firstRows = 0;
    std::exception_ptr firstError;
    try {
        if (layer.SetAttributeFilter((fid + " < " + mid).c_str()) != OGRERR_NONE)
            throw FormatError(out.path, out.layerName, "cannot read the layer's first half");
        firstRows = readAll(layer, out);
    } catch (...) {
        firstError = std::current_exception();
    }
    worker.join();
    layer.SetAttributeFilter(nullptr);
    if (firstError) std::rethrow_exception(firstError);  // e.g. Cancelled
    if (secondError) std::rethrow_exception(secondError);
    // The table's offsets are 32-bit: two halves that fit alone may not together.
    constexpr size_t kMax = std::numeric_limits<uint32_t>::max();
    const FeatureTable& a = out.table;
    const FeatureTable& b = second.table;
    if (a.vertexCount() + b.vertexCount() > kMax || a.ringCount() + b.ringCount() > kMax ||
        a.partCount() + b.partCount() > kMax)
        throw LimitError(out.path, out.layerName, "more than 4294967295 vertices, rings or parts in one layer; split the layer");
    out.table.append(second.table);
    out.skippedGeometries += second.skippedGeometries;
    out.otherKindParts += second.otherKindParts;
    if (secondFailed)
        out.warnings.push_back(file + ": " + std::to_string(secondRows) + " features of the layer's second half read, "
                               "with errors: " + secondTrouble);
    else if (!secondTrouble.empty())
        out.warnings.push_back(file + ": GDAL: " + secondTrouble);
    return firstRows + secondRows;
}

}  // namespace geo

#include "analysis/report.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"

namespace fs = std::filesystem;

namespace geo {

namespace {

std::string number(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void writeCsv(const OverlapResult& r,
              const std::vector<std::string>& columns,
              const std::string& tmp,
              const std::string& path) {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw IoError(path, "", std::string("cannot create a file in its folder: ") + std::strerror(errno));
    for (size_t i = 0; i < columns.size(); ++i) f << (i ? "," : "") << csvField(columns[i]);
    f << "\r\n";
    for (const OverlapRow& row : r.rows) {
        f << csvField(row.id) << ',' << csvField(row.nameZh) << ',' << number(row.areaM2, 3);
        for (size_t c = 0; c < r.constraints.size(); ++c)
            f << ',' << number(row.overlapM2[c], 3) << ',' << number(row.overlapPct[c], 4);
        f << "\r\n";
    }
    f.close();
    if (!f) throw IoError(path, "", "write failed (disk full?)");
}

void writeXlsx(const OverlapResult& r,
               const std::vector<std::string>& columns,
               const std::string& tmp,
               const std::string& path) {
    ensureGdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("XLSX");
    if (!driver) throw IoError(path, "", "GDAL has no XLSX driver");
    CPLErrorReset();
    GDALDatasetUniquePtr ds(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw IoError(path, "", lastGdalError("cannot create the workbook"));
    OGRLayer* layer = ds->CreateLayer("overlap", nullptr, wkbNone, nullptr);
    if (!layer) throw IoError(path, "overlap", lastGdalError("cannot create the sheet"));
    for (size_t i = 0; i < columns.size(); ++i) {
        OGRFieldDefn field(columns[i].c_str(), i < 2 ? OFTString : OFTReal);
        if (layer->CreateField(&field) != OGRERR_NONE)
            throw IoError(path, "overlap", lastGdalError("cannot create column " + columns[i]));
    }
    for (const OverlapRow& row : r.rows) {
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        feature->SetField(0, row.id.c_str());
        feature->SetField(1, row.nameZh.c_str());
        feature->SetField(2, row.areaM2);
        for (size_t c = 0; c < r.constraints.size(); ++c) {
            feature->SetField(static_cast<int>(3 + 2 * c), row.overlapM2[c]);
            feature->SetField(static_cast<int>(4 + 2 * c), row.overlapPct[c]);
        }
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
            throw IoError(path, "overlap", lastGdalError("cannot write row " + row.id));
    }
    CPLErrorReset();
    ds.reset();  // the XLSX driver writes the workbook on close
    if (CPLGetLastErrorType() >= CE_Failure || !fs::exists(tmp))
        throw IoError(path, "", lastGdalError("cannot write the workbook"));
}

}  // namespace

std::string columnSafeName(const std::string& layer) {
    std::string out;
    for (unsigned char c : layer) {
        const bool keep =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
        out += keep ? static_cast<char>(c) : '_';
    }
    return out.empty() ? "layer" : out;
}

std::vector<std::string> overlapColumnNames(const std::vector<std::string>& constraints) {
    std::vector<std::string> columns = {"id", "name_zh", "area_m2"};
    if (constraints.size() == 1) {
        columns.push_back("overlap_m2");
        columns.push_back("overlap_pct");
        return columns;
    }
    std::vector<std::string> used;
    for (const std::string& name : constraints) {
        std::string base = columnSafeName(name), safe = base;
        for (int k = 2; std::find(used.begin(), used.end(), safe) != used.end(); ++k)
            safe = base + "_" + std::to_string(k);
        used.push_back(safe);
        columns.push_back("overlap_m2_" + safe);
        columns.push_back("overlap_pct_" + safe);
    }
    return columns;
}

void writeOverlapReport(const OverlapResult& result, const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(
        ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext != ".csv" && ext != ".xlsx")
        throw Error(path, "", "unknown report format '" + ext + "': the file name must end in .csv or .xlsx");
    const std::vector<std::string> columns = overlapColumnNames(result.constraints);
    // A temporary beside the target with its extension (GDAL sees a workbook), renamed over it when complete.
    TempSibling tmp(path);
    if (ext == ".csv")
        writeCsv(result, columns, tmp.path(), path);
    else
        writeXlsx(result, columns, tmp.path(), path);
    tmp.commit();
}

}  // namespace geo

#include "export/image_writer.hpp"

#include <cstdio>
#include <filesystem>

#include <gdal_priv.h>

#include "core/error.hpp"
#include "export/limits.hpp"
#include "export/partial_files.hpp"
#include "source/gdal_handles.hpp"

namespace geo {

void writePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba) {
    checkOutputSize(width, height, path);
    ensureGdal();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    if (!mem || !png) throw IoError(path, "", "GDAL has no PNG driver");
    GDALDatasetUniquePtr ds(mem->Create("", width, height, 4, GDT_Byte, nullptr));
    if (!ds) throw IoError(path, "", "out of memory for a " + std::to_string(width) + "x" + std::to_string(height) + " image");
    if (ds->RasterIO(GF_Write, 0, 0, width, height, const_cast<uint8_t*>(rgba.data()), width, height, GDT_Byte, 4,
                     nullptr, 4, 4 * width, 1, nullptr) != CE_None)
        throw IoError(path, "", lastGdalError("cannot fill image"));
    removeStalePartials(path);
    PartialFile tmp(partialPath(path, ".png"));
    PartialFile tmpAux(tmp.path() + ".aux.xml");
    CPLErrorReset();
    // zlib level 3: within a few percent of the default's size, several times faster on large maps.
    const char* options[] = {"ZLEVEL=3", nullptr};
    GDALDatasetUniquePtr out(
        png->CreateCopy(tmp.path().c_str(), ds.get(), FALSE, const_cast<char**>(options), nullptr, nullptr));
    if (!out) throw IoError(path, "", lastGdalError("cannot write the PNG"));
    out.reset();
    std::error_code ec;
    std::filesystem::rename(tmp.path(), path, ec);
    if (ec) throw IoError(path, "", "cannot write: " + ec.message());
    tmp.keep();
}

std::vector<uint8_t> readImageRgba(const std::string& path, int& width, int& height) {
    std::string err;
    auto ds = openDataset(path, GDAL_OF_RASTER, nullptr, err);
    if (!ds) throw IoError(path, "", err);
    width = ds->GetRasterXSize();
    height = ds->GetRasterYSize();
    int bands = ds->GetRasterCount();
    std::vector<uint8_t> out(size_t(width) * height * 4, 255);
    std::vector<uint8_t> band(size_t(width) * height);
    for (int c = 0; c < 4; ++c) {
        int src = bands >= 3 ? c + 1 : (c < 3 ? 1 : (bands == 2 ? 2 : 0));
        if (src == 0 || src > bands) continue;
        if (ds->GetRasterBand(src)->RasterIO(GF_Read, 0, 0, width, height, band.data(), width, height, GDT_Byte, 0,
                                             0) != CE_None)
            throw IoError(path, "", lastGdalError("cannot read pixels"));
        for (size_t i = 0; i < band.size(); ++i) out[4 * i + c] = band[i];
    }
    return out;
}

}  // namespace geo

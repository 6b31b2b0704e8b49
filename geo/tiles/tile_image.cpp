#include "tiles/tile_image.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include <atomic>
#include <cstring>

#include "core/error.hpp"
#include "source/gdal_handles.hpp"

namespace geo {

std::string tileImageFormat(const std::vector<uint8_t>& b) {
    if (b.size() >= 8 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0) return "png";
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "jpg";
    if (b.size() >= 12 && std::memcmp(b.data(), "RIFF", 4) == 0 && std::memcmp(b.data() + 8, "WEBP", 4) == 0)
        return "webp";
    if (b.size() >= 6 && (std::memcmp(b.data(), "GIF87a", 6) == 0 || std::memcmp(b.data(), "GIF89a", 6) == 0))
        return "gif";
    return "";
}

TileImage decodeTileImage(const std::vector<uint8_t>& bytes) {
    std::string format = tileImageFormat(bytes);
    if (format.empty())
        throw FormatError("", "", bytes.empty() ? "empty tile" : "tile is not a PNG, JPEG, WebP or GIF image");
    ensureGdal();
    static std::atomic<uint64_t> counter{0};
    std::string name = "/vsimem/planatlas_tile_" + std::to_string(counter.fetch_add(1)) + "." + format;
    // GDAL reads the caller's bytes in place (no copy, not taken over).
    VSILFILE* f = VSIFileFromMemBuffer(name.c_str(), const_cast<GByte*>(bytes.data()), bytes.size(), FALSE);
    if (!f) throw FormatError("", "", "cannot hold the tile in memory");
    VSIFCloseL(f);
    struct Cleanup {
        std::string n;
        ~Cleanup() { VSIUnlink(n.c_str()); }
    } cleanup{name};
    CPLPushErrorHandler(CPLQuietErrorHandler);
    struct Pop {
        ~Pop() { CPLPopErrorHandler(); }
    } pop;
    CPLErrorReset();
    const char* drivers[] = {"PNG", "JPEG", "WEBP", "GIF", nullptr};
    GDALDatasetH ds = GDALOpenEx(name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, drivers, nullptr, nullptr);
    std::string damaged = "truncated or damaged " + std::string(format == "jpg" ? "JPEG" : format == "png" ? "PNG" : format == "webp" ? "WebP" : "GIF") + " tile";
    if (!ds) throw FormatError("", "", damaged);
    struct Close {
        GDALDatasetH d;
        ~Close() { GDALClose(d); }
    } close{ds};
    TileImage img;
    img.width = GDALGetRasterXSize(ds);
    img.height = GDALGetRasterYSize(ds);
    int bands = GDALGetRasterCount(ds);
    if (img.width <= 0 || img.height <= 0 || img.width > 4096 || img.height > 4096 || bands < 1)
        throw FormatError("", "", "tile has an unusable size");
    size_t n = size_t(img.width) * size_t(img.height);
    img.rgba.assign(n * 4, 255);
    std::vector<uint8_t> plane(n);
    auto read = [&](int band) {
        if (GDALRasterIO(GDALGetRasterBand(ds, band), GF_Read, 0, 0, img.width, img.height, plane.data(), img.width,
                         img.height, GDT_Byte, 0, 0) != CE_None)
            throw FormatError("", "", damaged);
    };
    GDALRasterBandH b1 = GDALGetRasterBand(ds, 1);
    GDALColorTableH ct = GDALGetRasterColorTable(b1);
    if (ct && bands == 1) {
        read(1);
        int entries = GDALGetColorEntryCount(ct);
        int nodata = 0;
        double nd = GDALGetRasterNoDataValue(b1, &nodata);
        for (size_t i = 0; i < n; ++i) {
            int v = plane[i];
            uint8_t* px = &img.rgba[i * 4];
            if (v < entries) {
                const GDALColorEntry* e = GDALGetColorEntry(ct, v);
                px[0] = uint8_t(e->c1), px[1] = uint8_t(e->c2), px[2] = uint8_t(e->c3), px[3] = uint8_t(e->c4);
            }
            if (nodata && v == int(nd)) px[3] = 0;
        }
        return img;
    }
    // Gray, gray + alpha, RGB, RGBA.
    int colour = bands >= 3 ? 3 : 1;
    for (int c = 0; c < colour; ++c) {
        read(c + 1);
        for (size_t i = 0; i < n; ++i) {
            if (colour == 1) {
                img.rgba[i * 4] = img.rgba[i * 4 + 1] = img.rgba[i * 4 + 2] = plane[i];
            } else {
                img.rgba[i * 4 + size_t(c)] = plane[i];
            }
        }
    }
    if (bands == 2 || bands >= 4) {
        read(bands == 2 ? 2 : 4);
        for (size_t i = 0; i < n; ++i) img.rgba[i * 4 + 3] = plane[i];
    }
    return img;
}

}  // namespace geo

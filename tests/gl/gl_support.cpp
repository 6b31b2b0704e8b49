#include "gl/gl_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include <gdal_utils.h>

#include <cpl_string.h>

#include "layer/vector_layer.hpp"
#include "platform/egl_context.hpp"
#include "render/map_renderer.hpp"
#include "source/gdal_handles.hpp"
#include "support/test_support.hpp"

namespace test {

namespace {
app::platform::EglContext& context() {
    static app::platform::EglContext ctx;
    return ctx;
}
}  // namespace

void useGlContext() { context(); }

app::gl::UploadContext& uploadContext() {
    static std::unique_ptr<app::gl::UploadContext> upload = context().makeUploadContext();  // goes before context()
    return *upload;
}

std::unique_ptr<LoadedScene> loadScene(const std::vector<geo::ProjectLayer>& layers, const std::string& crs,
                                       bool expectAllLoad) {
    context();
    auto loaded = std::make_unique<LoadedScene>();
    loaded->project.layers = layers;
    for (auto& l : loaded->project.layers) l.id = 0;
    geo::assignLayerIds(loaded->project);
    loaded->crs = geo::Crs::fromUser(crs);
    auto failures = loaded->scene.updateSync(loaded->project, loaded->crs);
    if (expectAllLoad) EXPECT_TRUE(failures.empty()) << (failures.empty() ? "" : failures[0]);
    return loaded;
}

geo::View fitLayerView(const std::string& path, const std::string& layer, const std::string& crs, int width,
                       int height) {
    auto data = geo::loadVectorLayer(path, layer, nullptr);
    auto g = geo::reprojectLayer(*data, geo::Crs::fromUser(crs), nullptr);
    geo::View v;
    v.width = width;
    v.height = height;
    v.fit(g.extent, 0.02);
    return v;
}

std::vector<uint8_t> renderLayers(const std::vector<geo::ProjectLayer>& layers, const std::string& crs,
                                  const geo::View& view, geo::Rgba background) {
    auto loaded = loadScene(layers, crs);
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    target.ensure(view.width, view.height, 4);
    renderer.render(target, view, loaded->drawItems(), background, 1.0f);
    std::vector<uint8_t> rgba;
    target.readPixels(rgba);
    return rgba;
}

std::vector<uint8_t> renderLayersImage(const std::vector<geo::ProjectLayer>& layers, const std::string& crs,
                                       const geo::View& view, int tile) {
    auto loaded = loadScene(layers, crs);
    app::render::MapRenderer renderer;
    return renderer.renderImage(view, loaded->drawItems(), {255, 255, 255, 255}, 1.0f, tile);
}

std::vector<uint8_t> rasterizeReference(const std::string& path, const std::string& layer, const std::string& crs,
                                        const geo::View& view) {
    geo::ensureGdal();
    std::string err;
    auto src = geo::openDataset(path, GDAL_OF_VECTOR, nullptr, err);
    EXPECT_TRUE(src) << err;
    // Reproject into the view CRS first, as a user of gdal_rasterize would with ogr2ogr -t_srs.
    CPLStringList vt;
    for (const char* a : {"-f", "Memory", "-t_srs", crs.c_str(), layer.c_str()}) vt.AddString(a);
    GDALVectorTranslateOptions* vto = GDALVectorTranslateOptionsNew(vt.List(), nullptr);
    GDALDatasetH srcH = GDALDataset::ToHandle(src.get());
    GDALDatasetUniquePtr mem(GDALDataset::FromHandle(GDALVectorTranslate("", nullptr, 1, &srcH, vto, nullptr)));
    GDALVectorTranslateOptionsFree(vto);
    EXPECT_TRUE(mem);
    geo::BBox e = view.extent();
    CPLStringList ra;
    for (const char* a : {"-of", "MEM", "-burn", "255", "-ot", "Byte", "-l", layer.c_str(), "-te"}) ra.AddString(a);
    for (double v : {e.minX, e.minY, e.maxX, e.maxY}) ra.AddString(CPLSPrintf("%.17g", v));
    ra.AddString("-ts");
    ra.AddString(CPLSPrintf("%d", view.width));
    ra.AddString(CPLSPrintf("%d", view.height));
    GDALRasterizeOptions* ro = GDALRasterizeOptionsNew(ra.List(), nullptr);
    int usageError = 0;
    GDALDatasetUniquePtr out(
        GDALDataset::FromHandle(GDALRasterize("", nullptr, GDALDataset::ToHandle(mem.get()), ro, &usageError)));
    GDALRasterizeOptionsFree(ro);
    std::vector<uint8_t> bytes(size_t(view.width) * view.height);
    EXPECT_TRUE(out) << CPLGetLastErrorMsg();
    if (out)
        EXPECT_EQ(out->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, view.width, view.height, bytes.data(), view.width,
                                                  view.height, GDT_Byte, 0, 0),
                  CE_None);
    return bytes;
}

double iou(const std::vector<bool>& a, const std::vector<bool>& b) {
    size_t inter = 0, uni = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
        inter += a[i] && b[i];
        uni += a[i] || b[i];
    }
    return uni ? double(inter) / double(uni) : 1.0;
}

std::vector<bool> darkMask(const std::vector<uint8_t>& rgba) {
    std::vector<bool> m(rgba.size() / 4);
    for (size_t i = 0; i < m.size(); ++i) m[i] = rgba[4 * i] < 128;
    return m;
}

std::vector<bool> burnMask(const std::vector<uint8_t>& bytes) {
    std::vector<bool> m(bytes.size());
    for (size_t i = 0; i < m.size(); ++i) m[i] = bytes[i] >= 128;
    return m;
}

geo::ProjectLayer fillOnlyLayer(const std::string& path, const std::string& layer) {
    geo::ProjectLayer l;
    l.source = path;
    l.layer = layer;
    l.name = layer;
    l.style.fill = {0, 0, 0, 255};
    l.style.fillEnabled = true;
    l.style.strokeEnabled = false;
    return l;
}

ImageDifference compareImages(const std::vector<uint8_t>& actual, const std::vector<uint8_t>& reference) {
    EXPECT_EQ(actual.size(), reference.size()) << "images of different sizes";
    ImageDifference d;
    const size_t n = std::min(actual.size(), reference.size());
    double sum = 0;
    for (size_t i = 0; i + 3 < n; i += 4) {
        int m = 0;
        for (int c = 0; c < 3; ++c) m = std::max(m, std::abs(int(actual[i + c]) - int(reference[i + c])));
        d.clearlyDiffering += m > ImageDifference::kClearChannelDifference;
        sum += m;
        ++d.pixels;
    }
    d.meanChannelDifference = d.pixels ? sum / double(d.pixels) : 0;
    return d;
}

}  // namespace test

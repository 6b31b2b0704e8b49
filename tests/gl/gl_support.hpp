#pragma once
// Helpers for GL tests: a headless EGL context for the whole test program, rendering layers to RGBA, and
// gdal_rasterize (GDALRasterize, the same code as the command) of the same layer on the same grid.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "project/project.hpp"
#include "render/scene.hpp"
#include "view/view.hpp"

namespace test {

// Makes the test program's headless EGL context current (once).
void useGlContext();
// A second context sharing the test program's objects, for uploads on other threads (made once).
app::gl::UploadContext& uploadContext();

// A project of `layers` (ids assigned) with its scene loaded in `crs` (GL context made current first).
struct LoadedScene {
    geo::Project project;
    geo::Crs crs;
    app::render::Scene scene;
    std::vector<app::render::DrawItem> drawItems() const { return scene.drawItems(project, crs); }
};
std::unique_ptr<LoadedScene> loadScene(const std::vector<geo::ProjectLayer>& layers, const std::string& crs,
                                       bool expectAllLoad = true);

// A width x height view fitting the extent of `layer` of `path` reprojected into `crs` (2 % margin).
geo::View fitLayerView(const std::string& path, const std::string& layer, const std::string& crs, int width,
                       int height);

// Renders `layers` in `crs` for `view` through the same renderer as the viewer and `planatlas render`.
std::vector<uint8_t> renderLayers(const std::vector<geo::ProjectLayer>& layers, const std::string& crs,
                                  const geo::View& view, geo::Rgba background = {255, 255, 255, 255});

// The same through MapRenderer::renderImage with tiles of `tile` pixels.
std::vector<uint8_t> renderLayersImage(const std::vector<geo::ProjectLayer>& layers, const std::string& crs,
                                       const geo::View& view, int tile);

// Burns `layer` of `path` into a width x height byte grid over view.extent() in `crs` (reprojected first when
// the layer is in another CRS). 255 = covered.
std::vector<uint8_t> rasterizeReference(const std::string& path, const std::string& layer, const std::string& crs,
                                        const geo::View& view);

// Intersection over union of two coverage masks.
double iou(const std::vector<bool>& a, const std::vector<bool>& b);
std::vector<bool> darkMask(const std::vector<uint8_t>& rgba);  // red channel < 128
std::vector<bool> burnMask(const std::vector<uint8_t>& bytes);  // value >= 128

// A fill-only black style, for comparisons with rasterization.
geo::ProjectLayer fillOnlyLayer(const std::string& path, const std::string& layer);

// How an RGBA image differs from a reference of the same size (alpha ignored), judged by the tolerance of the
// reference-image tests: antialiasing and glyph rasterization may differ slightly between Mesa builds, but a
// moved layer, a lost label or a changed colour changes far more than 0.5 % of the pixels.
struct ImageDifference {
    static constexpr int kClearChannelDifference = 48;  // a pixel "clearly differs" above this in any channel
    size_t pixels = 0;
    size_t clearlyDiffering = 0;
    double meanChannelDifference = 0;  // mean over pixels of the largest channel difference
    bool tooManyClearlyDiffering() const { return clearlyDiffering >= pixels / 200; }
    bool meanTooHigh() const { return meanChannelDifference >= 2.0; }
    bool withinTolerance() const { return !tooManyClearlyDiffering() && !meanTooHigh(); }
};
// The one comparison used by the reference tests (and by the test that proves it catches a shift).
ImageDifference compareImages(const std::vector<uint8_t>& actual, const std::vector<uint8_t>& reference);

}  // namespace test

#include "cli/render_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>


#include "cli/args.hpp"
#include "cli/layer_report.hpp"
#include "cli/progress.hpp"
#include "cli/reach_check.hpp"
#include "core/error.hpp"
#include "export/image_writer.hpp"
#include "layer/layer_content.hpp"
#include "platform/egl_context.hpp"
#include "platform/paths.hpp"
#include "render/scene.hpp"
#include "render/map_renderer.hpp"
#include "render/markup_shapes.hpp"
#include "source/remote_source.hpp"

namespace app::cli {

namespace {

struct StyleOverrides {
    std::optional<geo::Rgba> fill, stroke;
    bool noStroke = false;
    std::optional<float> strokeWidth;
};

std::optional<geo::Rgba> colorOption(Args& args, const char* name, bool* none = nullptr) {
    auto v = args.take(name);
    if (!v) return std::nullopt;
    if (none && *v == "none") {
        *none = true;
        return std::nullopt;
    }
    auto c = geo::parseColor(*v);
    if (!c) throw UsageError(std::string(name) + " must be a colour like '#RRGGBB', not '" + *v + "'");
    return c;
}

void applyOverrides(geo::Style& s, const StyleOverrides& o) {
    if (o.fill) {
        s.fill = *o.fill;
        s.fillEnabled = true;
        s.categoryField.clear();
        s.categories.clear();
    }
    if (o.stroke) {
        s.stroke = *o.stroke;
        s.strokeEnabled = true;
    }
    if (o.noStroke) s.strokeEnabled = false;
    if (o.strokeWidth) s.strokeWidth = *o.strokeWidth;
}

// Rasters: the scene loaded only their footprints; each is read here, once, for the output's window at the
// output's resolution (GDAL picks the overview that fits the map scale; a huge raster without overviews is
// sampled in bounded time, see geo/source/raster_sample.hpp), with progress on stderr when that takes a while.
void readRasterWindows(const geo::Project& project, render::Scene& scene, const geo::View& view,
                       const geo::Crs& display) {
    for (const auto& l : project.layers) {
        render::SceneLayer* s = scene.find(l.id);
        if (!s || !scene.wantsRasterDetail(*s, l, view, display)) continue;
        geo::BBox e = view.extent(), w;
        w.add(std::max(e.minX, s->displayExtent.minX), std::max(e.minY, s->displayExtent.minY));
        w.add(std::min(e.maxX, s->displayExtent.maxX), std::min(e.maxY, s->displayExtent.maxY));
        if (w.empty() || w.width() <= 0 || w.height() <= 0) continue;
        int pw = static_cast<int>(std::ceil(w.width() / view.resolution));
        int ph = static_cast<int>(std::ceil(w.height() / view.resolution));
        StderrProgress progress("planatlas render", "reading " + l.name);
        geo::RasterImage image = geo::readRaster(l.source, display, w, pw, ph, &progress.job());
        for (const auto& warning : image.warnings)  // (the footprint's were printed with the load)
            if (std::find(s->warnings.begin(), s->warnings.end(), warning) == s->warnings.end())
                std::fprintf(stderr, "planatlas render: warning: %s\n", warning.c_str());
        s->detail.gpu = std::make_shared<render::GpuRasterLayer>(image);
    }
}

struct RenderOptions {
    std::optional<std::string> projectPath, bbox, bboxCrs, crs;
    std::string out;
    int width = 1024, height = 768;
    StyleOverrides overrides;
    geo::Rgba background{255, 255, 255, 255};
    bool timings = false;
    bool offline = false;  // --offline: refuse network sources
    bool allowMissingTiles = false;
    std::vector<std::string> layerPaths;
    std::optional<SwipeOption> swipe;
};

RenderOptions parseRenderOptions(int argc, char** argv) {
    Args args(argc, argv, 2);
    RenderOptions o;
    o.projectPath = args.take("--project");
    auto out = args.take("--out");
    if (auto s = args.take("--size")) parseSize(*s, o.width, o.height);
    o.bbox = args.take("--bbox");
    o.bboxCrs = args.take("--bbox-crs");
    o.crs = args.take("--crs");
    o.overrides.fill = colorOption(args, "--fill");
    o.overrides.stroke = colorOption(args, "--stroke", &o.overrides.noStroke);
    if (auto w = args.take("--stroke-width")) {
        char* end = nullptr;
        float v = std::strtof(w->c_str(), &end);
        if (*end || !(v >= 0 && v <= 1000)) throw UsageError("--stroke-width must be a number of pixels 0..1000");
        o.overrides.strokeWidth = v;
    }
    if (auto b = colorOption(args, "--background")) o.background = *b;
    o.timings = args.flag("--timings");
    o.offline = args.flag("--offline");
    o.allowMissingTiles = args.flag("--allow-missing-tiles");
    o.swipe = takeSwipe(args);
    o.layerPaths = args.rest();
    if (!out) throw UsageError("--out OUT.png is required");
    o.out = *out;
    // The whole image is held in memory before it is encoded (tiles bound the GL side only); larger images are
    // what `planatlas export` streams.
    constexpr double kMaxPixels = 16384.0 * 16384.0;
    if (double(o.width) * o.height > kMaxPixels)
        throw UsageError("--size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                         " is too large for render (at most 16384x16384 pixels; planatlas export streams any size)");
    if (o.bboxCrs && !o.bbox) throw UsageError("--bbox-crs needs --bbox");
    return o;
}

// The view --bbox asks for (fitted to the output's aspect), or nullopt without --bbox.
std::optional<geo::View> bboxView(const RenderOptions& o, const geo::Crs& display) {
    if (!o.bbox) return std::nullopt;
    geo::View view;
    view.width = o.width;
    view.height = o.height;
    geo::BBox b = parseBBox(*o.bbox);
    geo::Crs bc = o.bboxCrs ? geo::Crs::fromUser(*o.bboxCrs) : display;
    geo::BBox box = geo::transformBox(b, geo::Transformer(bc, display));
    if (box.empty()) throw geo::CrsError("", "", "--bbox does not transform into " + display.id());
    view.fit(box, 0.0);
    return view;
}

// Network sources (/vsicurl/ ...) read only what the picture shows: the view, in each layer's CRS, becomes the
// layer's spatial filter, and a FlatGeobuf's index then fetches just those features. Local files are read whole.
void filterNetworkLayers(geo::Project& project, const RenderOptions& o) {
    const geo::Crs display = geo::Crs::fromUser(o.crs ? *o.crs : project.displayCrs);
    const std::optional<geo::View> view = bboxView(o, display);
    if (!view) return;
    for (auto& l : project.layers)
        if (geo::isNetworkPath(l.source) && !geo::isRasterLayer(l))
            l.options.filter = geo::viewFilter(l.source, l.layer, l.options, view->extent(), display);
}

// The project to draw: --project (or the bundled one when no layer is named), plus the named layers.
geo::Project renderProject(const RenderOptions& o) {
    geo::Project project;
    if (o.projectPath || o.layerPaths.empty())
        project = geo::loadProject(o.projectPath ? *o.projectPath : platform::defaultProjectPath());
    for (const auto& p : o.layerPaths)
        for (auto& l : geo::layersFromSource(p, project.layers.size())) project.layers.push_back(l);
    geo::assignLayerIds(project);
    for (auto& l : project.layers) applyOverrides(l.style, o.overrides);
    announceReach(project, o.offline);  // before anything is read: filterNetworkLayers opens network sources
    filterNetworkLayers(project, o);
    return project;
}

geo::View renderFrame(const RenderOptions& o, const geo::Project& project, const render::Scene& scene,
                      const geo::Crs& display) {
    if (std::optional<geo::View> view = bboxView(o, display)) return *view;
    geo::View view;
    view.width = o.width;
    view.height = o.height;
    geo::BBox all = scene.combinedExtent(project, display, true);
    if (all.empty()) throw geo::FormatError("", "", "nothing to draw: no visible layer has any feature");
    view.fit(all, 0.02);
    return view;
}

}  // namespace

int runRender(int argc, char** argv) {
    return runCommand("render", [&]() -> int {
        const RenderOptions o = parseRenderOptions(argc, argv);
        auto t0 = std::chrono::steady_clock::now();
        auto lap = [&](const char* stage) {
            if (!o.timings) return;
            auto now = std::chrono::steady_clock::now();
            std::fprintf(stderr, "planatlas render: %-8s %.3f s\n", stage, std::chrono::duration<double>(now - t0).count());
            t0 = now;
        };
        if (o.bbox) parseBBox(*o.bbox);  // a malformed --bbox is a usage error before any work
        const geo::Project project = renderProject(o);
        const geo::Crs display = geo::Crs::fromUser(o.crs ? *o.crs : project.displayCrs);
        platform::EglContext context;
        lap("setup");
        render::Scene scene;
        scene.setTimeline(project.timeline);
        scene.setRasterLoad(geo::RasterLoad::Footprint);  // rasters: only the window drawn is read (below)
        // Layers the CPU painter draws need no GPU geometry (PLANATLAS_PAINTER=gpu: every layer on the GPU).
        scene.setPaintOnly(render::defaultOutputPainter() == render::OutputPainter::Cpu);
        std::vector<std::string> failures;
        {
            StderrProgress progress("planatlas render", "loading layers");
            failures = scene.updateSync(project, display, &progress.job());
        }
        lap("load");
        // Nothing at all to draw is an error, in one line that carries the layers' warnings (cli/layer_report.hpp).
        const std::optional<std::string> nothing = failures.empty() ? nothingToDraw(project, scene) : std::nullopt;
        if (nothing) throw geo::FormatError("", "", *nothing);
        printLayerWarnings("render", scene);
        for (const auto& f : failures) std::fprintf(stderr, "planatlas render: error: %s\n", f.c_str());
        if (!failures.empty()) return 1;
        const geo::View view = renderFrame(o, project, scene, display);
        if (o.bbox) warnOutsideView("render", project, scene, view);
        readRasterWindows(project, scene, view, display);
        lap("rasters");
        render::MapRenderer renderer;
        render::LabelPlan labels;
        const double scale = geo::scaleDenominator(view, geo::Transformer(display, geo::Crs::wgs84()));
        std::vector<render::DrawItem> items = scene.drawItems(project, display, scale);
        {
            std::vector<std::string> tileWarnings;
            StderrProgress progress("planatlas render", "fetching tiles");
            render::prepareTilesForOutput(items, view, o.allowMissingTiles, tileWarnings, &progress.job());
            for (const auto& w : tileWarnings) std::fprintf(stderr, "planatlas render: warning: %s\n", w.c_str());
        }
        lap("tiles");
        // Markup and the swipe divider go over the map, as on screen and in exports.
        render::Overlay overlay;
        if (!project.markup.empty())
            overlay = render::markupOverlay(
                render::markupShapes(project.markup, view, geo::Transformer(geo::Crs::wgs84(), display), 1.0f),
                renderer.labels(), 1.0f);
        const geo::Swipe swipe = o.swipe ? resolveSwipe(*o.swipe, project, project.swipe) : project.swipe;
        if (swipe.enabled) {
            const double x = swipe.position * view.width;
            render::applySwipe(items, project, swipe, view.screenToWorldX(x));
            overlay.rects.push_back({float(x) - 1.5f, 0.0f, float(x) + 1.5f, float(view.height), {255, 255, 255, 255}});
        }
        if (!overlay.rects.empty() && !renderer.labels().prepare({}, 1.0f))  // the overlay draws with the atlas's white texel
            throw geo::IoError("", "", "no font for the map overlay (install fonts-noto-cjk)");
        std::vector<uint8_t> rgba =
            renderer.renderImage(view, items, o.background, 1.0f, 2048,
                                 scene.collectLabels(project, view, display, 0, -1, scale), &labels, &overlay);
        if (o.timings)
            std::fprintf(stderr, "planatlas render: labels   %zu placed, %zu left out (no room)\n", labels.placed.size(),
                         labels.dropped());
        lap("draw");
        geo::writePng(o.out, o.width, o.height, rgba);
        lap("png");
        return 0;
    });
}

}  // namespace app::cli

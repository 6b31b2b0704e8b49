// `planatlas export`: arguments → the list of maps → each map's frame → the export pipeline
// (render/export_pipeline: composition, tiles, writer, sidecar), the same one File > Export uses.
// [SECTION] Arguments
// [SECTION] The list of maps (bookmarks, slides, bbox, saved view)
// [SECTION] The frame of each map, and writing it
#include "cli/export_command.hpp"

#include <algorithm>
#include <optional>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <sstream>

#include "cli/args.hpp"
#include "cli/progress.hpp"
#include "cli/reach_check.hpp"
#include "core/error.hpp"
#include "export/page.hpp"
#include "project/history.hpp"
#include "platform/egl_context.hpp"
#include "platform/paths.hpp"
#include "render/composition.hpp"
#include "render/export_pipeline.hpp"
#include "render/map_renderer.hpp"

namespace fs = std::filesystem;

namespace app::cli {

namespace {

constexpr int kTile = 2048;

struct MapJob {
    std::string name;    // file stem in batch mode
    std::string title;   // decoration title
    geo::ProjectView view;
    geo::BBox fit;       // display CRS; used instead of `view` when not empty
    const geo::Slide* slide = nullptr;
};

struct ExportOptions {
    std::string projectPath, out, format, crs;
    std::optional<std::string> bookmark, slide, bbox, bboxCrs, layers;
    bool slides = false, bookmarks = false, perLayer = false, decorate = true;
    bool offline = false;  // --offline: refuse network sources
    bool allowMissingTiles = false;
    render::DecorationSet decorations;
    double dpi = geo::kScreenDpi;
    int width = 0, height = 0;
    std::optional<SwipeOption> swipe;
    bool batch() const { return slides || bookmarks || perLayer; }
};

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string twoDigits(size_t n) {
    char b[32];
    std::snprintf(b, sizeof b, "%02zu", n);
    return b;
}

// [SECTION] Arguments
ExportOptions parseExportOptions(int argc, char** argv) {
    Args args(argc, argv, 2);
    ExportOptions o;
    auto projectPath = args.take("--project");
    o.bookmark = args.take("--bookmark");
    o.slide = args.take("--slide");
    auto slides = args.take("--slides");
    auto bookmarks = args.take("--bookmarks");
    o.bbox = args.take("--bbox");
    o.bboxCrs = args.take("--bbox-crs");
    auto crsText = args.take("--crs");
    auto sizeText = args.take("--size");
    auto paper = args.take("--paper");
    auto dpiText = args.take("--dpi");
    auto orientation = args.take("--orientation");
    auto formatText = args.take("--format");
    auto out = args.take("--out");
    o.layers = args.take("--layers");
    o.perLayer = args.flag("--per-layer");
    o.offline = args.flag("--offline");
    o.allowMissingTiles = args.flag("--allow-missing-tiles");
    const bool noDecorations = args.flag("--no-decorations");
    auto decorationList = args.take("--decorations");
    if (decorationList && !render::parseDecorations(*decorationList, o.decorations))
        throw UsageError("--decorations takes a list of title,legend,scalebar,north,credits,date,crs");
    if (noDecorations) o.decorations = render::DecorationSet::none();
    o.decorate = !noDecorations;
    o.swipe = takeSwipe(args);
    args.rest();

    if (!out) throw UsageError("--out is required");
    o.out = *out;
    if (sizeText && paper) throw UsageError("--size and --paper exclude each other");
    if (!sizeText && !paper) throw UsageError("give --size WxH or --paper A4|A3|A2|A1|A0 --dpi N");
    int views = !!o.bookmark + !!o.slide + !!slides + !!bookmarks + !!o.bbox;
    if (views > 1) throw UsageError("give one of --bookmark, --slide, --slides all, --bookmarks all, --bbox");
    if (slides && *slides != "all") throw UsageError("--slides takes 'all'");
    if (bookmarks && *bookmarks != "all") throw UsageError("--bookmarks takes 'all'");
    o.slides = slides.has_value();
    o.bookmarks = bookmarks.has_value();
    if (orientation && *orientation != "landscape" && *orientation != "portrait")
        throw UsageError("--orientation is landscape or portrait");
    if (dpiText) {
        char* end = nullptr;
        o.dpi = std::strtod(dpiText->c_str(), &end);
        if (*end || !(o.dpi >= 10 && o.dpi <= 2400)) throw UsageError("--dpi must be a number 10..2400");
    }
    if (sizeText) parseSize(*sizeText, o.width, o.height);
    if (paper) {
        auto px = geo::paperPixels(*paper, o.dpi, orientation && *orientation == "landscape");
        if (!px) throw UsageError("--paper must be A0, A1, A2, A3 or A4");
        checkSize((*px)[0], (*px)[1], "--paper " + *paper + " at " + std::to_string(std::lround(o.dpi)) + " dpi");
        o.width = (*px)[0];
        o.height = (*px)[1];
    }
    o.format = formatText.value_or("");
    if (o.format.empty()) {
        std::string ext = fs::path(o.out).extension().string();
        o.format = ext == ".tif" || ext == ".tiff" ? "tif" : ext == ".pdf" ? "pdf" : "png";
    }
    if (o.format != "png" && o.format != "tif" && o.format != "pdf") throw UsageError("--format is png, tif or pdf");
    if (o.perLayer && o.format != "png") throw UsageError("--per-layer writes transparent PNGs: use --format png");
    if (o.bboxCrs && !o.bbox) throw UsageError("--bbox-crs needs --bbox");
    o.projectPath = projectPath.value_or(platform::defaultProjectPath());
    o.crs = crsText.value_or("");
    return o;
}

// [SECTION] The list of maps
std::vector<MapJob> listMaps(const ExportOptions& o, const geo::Project& project, const geo::Crs& crs) {
    std::vector<MapJob> jobs;
    if (o.bookmark) {
        for (const auto& b : project.bookmarks)
            if (b.name == *o.bookmark) jobs.push_back({"map", b.name, b.view, {}, nullptr});
        if (jobs.empty()) throw geo::FormatError(o.projectPath, "", "no bookmark named '" + *o.bookmark + "'");
    } else if (o.bookmarks) {
        for (size_t i = 0; i < project.bookmarks.size(); ++i)
            jobs.push_back({"bookmark_" + twoDigits(i + 1), project.bookmarks[i].name, project.bookmarks[i].view, {}, nullptr});
        if (jobs.empty()) throw geo::FormatError(o.projectPath, "", "the project has no bookmarks");
    } else if (o.slide || o.slides) {
        size_t first = 0, last = project.slides.size();
        if (o.slide) {
            char* end = nullptr;
            long n = std::strtol(o.slide->c_str(), &end, 10);
            if (*end || n < 1 || static_cast<size_t>(n) > project.slides.size())
                throw UsageError("--slide must be 1.." + std::to_string(project.slides.size()));
            first = static_cast<size_t>(n - 1);
            last = first + 1;
        }
        for (size_t i = first; i < last; ++i)
            jobs.push_back({"slide_" + twoDigits(i + 1), project.slides[i].title, project.slides[i].view, {},
                            &project.slides[i]});
        if (jobs.empty()) throw geo::FormatError(o.projectPath, "", "the project has no slides");
    } else if (o.bbox) {
        geo::BBox b = parseBBox(*o.bbox);
        geo::Crs bc = o.bboxCrs ? geo::Crs::fromUser(*o.bboxCrs) : crs;
        jobs.push_back({"map", project.title, {}, geo::transformBox(b, geo::Transformer(bc, crs)), nullptr});
    } else {
        jobs.push_back({"map", project.title, project.view, {}, nullptr});
    }
    return jobs;
}

// [SECTION] The frame of each map: the same map at any pixel density (a pixel is 0.0254/dpi m on paper).
geo::View frameOf(const MapJob& job, const ExportOptions& o, const geo::Project& project, const render::Scene& scene,
                  const geo::Crs& crs) {
    geo::View base;
    base.width = o.width;
    base.height = o.height;
    const double pixelMeters = 0.0254 / o.dpi;
    if (job.slide)
        if (auto v = render::frameForSlide(base, *job.slide, project, scene, crs, pixelMeters)) return *v;
    if (!job.fit.empty() && (job.fit.width() > 0 || job.fit.height() > 0)) {
        base.fit(job.fit, 0.0);
        return base;
    }
    if (job.view.scale <= 0 && job.fit.empty()) {
        base.fit(scene.combinedExtent(project, crs, true), 0.02);
        return base;
    }
    geo::ProjectView pv = job.view;
    if (pv.scale <= 0) pv.scale = 5000;
    if (!job.fit.empty()) {  // a point box: centre there at 1:5000
        double c[2] = {job.fit.centerX(), job.fit.centerY()};
        geo::Transformer(crs, geo::Crs::wgs84()).transform(c, 1);
        pv.lon = c[0];
        pv.lat = c[1];
    }
    return render::frameForView(base, pv, crs, pixelMeters);
}

// Every tile, then the file; a long export says how far it is on stderr.
void runWithProgress(render::ExportJob& job) {
    StderrProgress progress("planatlas export", "writing " + job.path());
    while (job.step()) progress.job().set(job.progress());
    progress.job().set(1.0f, "finishing the file");
    job.finish();
}

// Writes one map (or, with --per-layer, one transparent image per drawn layer); returns the files written.
size_t exportMap(const MapJob& job, const ExportOptions& o, const geo::Project& project, render::Scene& scene,
                 const geo::Crs& crs, render::MapRenderer& renderer) {
    geo::Project shown = project;
    if (job.slide) {  // the slide's layers and spotlight, as in the presentation
        geo::cmd::showOnlyLayers(job.slide->visibleLayers).apply(shown);
        scene.setSpotlight(job.slide->highlight);
    }
    scene.setTimeline(geo::timelineFor(project, job.slide));  // the slide's phase, or the project's timeline
    scene.updateSync(shown, crs);
    render::ExportSpec spec;
    spec.format = o.format == "tif" ? geo::ExportFormat::GeoTiff
                  : o.format == "pdf" ? geo::ExportFormat::Pdf
                                      : geo::ExportFormat::Png;
    spec.view = frameOf(job, o, shown, scene, crs);
    spec.crs = crs;
    spec.dpi = o.dpi;
    spec.title = job.title;
    spec.decorations = o.decorations;
    spec.projectPath = o.projectPath;
    spec.tileSize = kTile;
    spec.allowMissingTiles = o.allowMissingTiles;
    spec.swipe = o.swipe ? resolveSwipe(*o.swipe, project, geo::swipeFor(project, job.slide))
                         : geo::swipeFor(project, job.slide);
    const std::string ext = "." + o.format;
    if (!o.perLayer) {
        spec.path = o.batch() ? (fs::path(o.out) / (job.name + ext)).string() : o.out;
        render::ExportJob exportJob(renderer, shown, scene, spec);
        for (const auto& w : exportJob.warnings()) std::fprintf(stderr, "planatlas export: warning: %s\n", w.c_str());
        runWithProgress(exportJob);
        if (exportJob.droppedLabels())
            std::fprintf(stderr, "planatlas export: %s: %zu of %zu labels left out for lack of room\n",
                         spec.path.c_str(), exportJob.droppedLabels(), exportJob.labelRequests());
        return 1;
    }
    size_t written = 0;
    spec.decorations = render::DecorationSet::none();
    spec.background = geo::Rgba{0, 0, 0, 0};
    const double scale = geo::scaleDenominator(spec.view, geo::Transformer(crs, geo::Crs::wgs84()), 0.0254 / o.dpi);
    for (size_t i = 0; i < shown.layers.size(); ++i) {
        const render::SceneLayer* s = scene.find(shown.layers[i].id);
        if (!shown.layers[i].visible || !shown.layers[i].visibleAtScale(scale) || !s || !s->readyIn(crs)) continue;
        spec.onlyLayer = static_cast<int>(i);
        spec.path = (fs::path(o.out) / (job.name + "_layer_" + twoDigits(i + 1) + ext)).string();
        render::ExportJob layerJob(renderer, shown, scene, spec);
        for (const auto& w : layerJob.warnings()) std::fprintf(stderr, "planatlas export: warning: %s\n", w.c_str());
        runWithProgress(layerJob);
        ++written;
    }
    return written;
}

}  // namespace

int runExport(int argc, char** argv) {
    return runCommand("export", [&]() -> int {
        const ExportOptions o = parseExportOptions(argc, argv);
        geo::Project project = geo::loadProject(o.projectPath);
        std::string crsDefinition = o.crs.empty() ? project.displayCrs : o.crs;
        if (o.bookmark && o.crs.empty())  // a bookmark carries its display CRS
            for (const auto& b : project.bookmarks)
                if (b.name == *o.bookmark && !b.crs.empty()) crsDefinition = b.crs;
        const geo::Crs crs = geo::Crs::fromUser(crsDefinition);
        if (o.batch()) {
            std::error_code ec;
            fs::create_directories(o.out, ec);
            if (ec || !fs::is_directory(o.out)) throw geo::IoError(o.out, "", "cannot create the output directory");
        }
        const std::vector<MapJob> jobs = listMaps(o, project, crs);
        if (o.layers) {
            std::vector<std::string> only = splitList(*o.layers);
            for (const auto& name : only)
                if (std::none_of(project.layers.begin(), project.layers.end(), [&](auto& l) { return l.name == name; }))
                    throw UsageError("--layers: no layer named '" + name + "'");
            for (auto& l : project.layers) l.visible = std::find(only.begin(), only.end(), l.name) != only.end();
        }

        announceReach(project, o.offline);
        platform::EglContext context;
        render::Scene scene;
        scene.setTimeline(project.timeline);
        // Layers the CPU painter draws need no GPU geometry (PLANATLAS_PAINTER=gpu: every layer on the GPU).
        scene.setPaintOnly(render::defaultOutputPainter() == render::OutputPainter::Cpu);
        std::vector<std::string> failures;
        {
            StderrProgress progress("planatlas export", "loading layers");
            failures = scene.updateSync(project, crs, &progress.job());
        }
        std::set<std::string> said;  // (a source shown by several layers warns once)
        for (const auto& s : scene.layers())
            for (const auto& w : s->warnings)
                if (said.insert(w).second) std::fprintf(stderr, "planatlas export: warning: %s\n", w.c_str());
        for (const auto& f : failures) std::fprintf(stderr, "planatlas export: error: %s\n", f.c_str());
        if (!failures.empty()) {
            std::fprintf(stderr, "planatlas export: nothing written: %zu layer(s) could not be drawn\n", failures.size());
            return 1;
        }
        render::MapRenderer renderer;
        size_t written = 0;
        for (const MapJob& job : jobs) written += exportMap(job, o, project, scene, crs, renderer);
        std::fprintf(stderr, "planatlas export: %zu file(s) written\n", written);
        return 0;
    });
}

}  // namespace app::cli

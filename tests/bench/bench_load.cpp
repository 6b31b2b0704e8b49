// Open-to-first-frame benchmark for a large vector layer, next to a GDAL-only reference in the same program.
//
//   bench_load ref  FILE [LAYER]   iterate every feature with GDAL's C++ API (geometry + fields), nothing else
//   bench_load ours FILE [LAYER]   read -> tessellate -> reproject (EPSG:3857) -> stage -> upload -> first frame,
//                                  then frame times at full extent and at 1:5000 (EGL, llvmpipe)
//   bench_load bg   - [SAMPLES]    frame times of the bundled base map alone (MSAA samples, default 4)
//   bench_load bg   FILE [LAYER]   load FILE in a worker thread while the main thread keeps drawing frames of the
//                                  bundled base map; reports the longest frame, including the upload frame
//   bench_load images FILE [LAYER] the window's path for a heavy layer (render::LayerImageCache, #10): frames while
//                                  the layer's image is drawn, then full-extent and 1:5000 frames, against direct
//                                  full-extent frames in the same process
//   bench_load bgimages FILE [LAYER]  bg, with the window's layer images: frames during the load, the upload frame,
//                                  and frames until the new layer's image is complete
//   bench_load preview FILE [LAYER] the viewer's document opening FILE: until its preview (first 100k features)
//                                  shows, the first frame with it, and until the whole layer replaces it
//   bench_load read FILE [LAYER] [RUNS]  readVectorLayer through the feature loop and through GDAL's Arrow stream,
//                                  alternating in this one process; medians of RUNS (default 3) and their ratio
// Each run prints one line "key=value ..." and peak RSS; tests/bench/run_bench.sh repeats runs and takes medians.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

#include <epoxy/gl.h>
#include <gdal_priv.h>
#include <cpl_conv.h>
#include <ogrsf_frmts.h>

#include "layer/layer_content.hpp"
#include "paint/vector_paint.hpp"
#include "platform/egl_context.hpp"
#include "platform/paths.hpp"
#include "platform/thread_priority.hpp"
#include "render/scene.hpp"
#include "render/layer_image.hpp"
#include "render/progressive_frame.hpp"
#include "render/map_renderer.hpp"
#include "source/gdal_handles.hpp"
#include "source/vector_source.hpp"
#include "ui/document.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double peakRssMiB() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0;
}

double currentRssMiB() {
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return resident * 4096.0 / (1024 * 1024);
}

int runReference(const std::string& path, const std::string& layerName) {
    auto t0 = Clock::now();
    std::string err;
    auto ds = geo::openDataset(path, GDAL_OF_VECTOR, nullptr, err);
    if (!ds) return std::fprintf(stderr, "%s\n", err.c_str()), 1;
    OGRLayer* layer = layerName.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layerName.c_str());
    size_t features = 0, points = 0, fields = 0;
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++features;
        if (const OGRGeometry* g = f->GetGeometryRef())
            if (wkbFlatten(g->getGeometryType()) == wkbPolygon)
                for (const OGRLinearRing* r : *g->toPolygon()) points += r->getNumPoints();
        for (int i = 0; i < f->GetFieldCount(); ++i) fields += f->IsFieldSetAndNotNull(i);
    }
    std::printf("mode=ref seconds=%.3f features=%zu points=%zu fields=%zu peak_rss_mib=%.0f\n", since(t0), features,
                points, fields, peakRssMiB());
    return 0;
}

double frameSeconds(app::render::MapRenderer& r, app::render::RenderTarget& t, const geo::View& v,
                    const std::vector<app::render::DrawItem>& items) {
    auto t0 = Clock::now();
    r.render(t, v, items, {255, 255, 255, 255}, 1.0f);
    t.resolve();
    glFinish();
    return since(t0);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// The benchmarked layer (fill and outline) as the only layer of a project.
geo::Project benchProject(const std::string& path, const std::string& layerName) {
    geo::ProjectLayer pl;
    pl.source = path;
    pl.layer = layerName;
    pl.style.fill = {200, 150, 100, 255};
    pl.style.stroke = {80, 60, 40, 255};
    pl.id = 1;
    geo::Project project;
    project.layers = {pl};
    return project;
}

// The benchmark's window: 1280x800 fitted to `extent`.
geo::View benchView(const geo::BBox& extent) {
    geo::View v;
    v.width = 1280;
    v.height = 800;
    v.fit(extent);
    return v;
}

int runOurs(const std::string& path, const std::string& layerName) {
    app::platform::EglContext ctx;
    auto t0 = Clock::now();
    const geo::Crs display = geo::Crs::fromUser("EPSG:3857");
    const geo::Project project = benchProject(path, layerName);
    const geo::ProjectLayer& pl = project.layers[0];
    app::render::Scene scene;
    scene.reconcile(project);
    app::render::SceneLayer& slot = *scene.find(1);
    app::render::LoadedLayer loaded = app::render::loadLayer(pl, display, nullptr);
    double loadSeconds = since(t0);
    double rssLoaded = currentRssMiB(), peakLoaded = peakRssMiB();
    scene.adopt(slot, std::move(loaded), pl, display);
    glFinish();  // count the upload, not just its queuing
    double rssUploaded = currentRssMiB();
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    geo::View v = benchView(slot.displayExtent);
    target.ensure(v.width, v.height, 4);
    std::vector<app::render::DrawItem> items = scene.drawItems(project, display);
    double first = frameSeconds(renderer, target, v, items);
    std::printf("mode=ours_memory rss_after_load=%.0f peak_after_load=%.0f rss_after_upload=%.0f "
                "rss_after_first_frame=%.0f peak_after_first_frame=%.0f\n",
                rssLoaded, peakLoaded, rssUploaded, currentRssMiB(), peakRssMiB());
    double total = since(t0);
    std::vector<double> full, zoomed;
    for (int i = 0; i < 5; ++i) full.push_back(frameSeconds(renderer, target, v, items));
    // Where the frame time goes: fill only, stroke only, and without multisampling.
    geo::Style fillOnly = pl.style, strokeOnly = pl.style;
    fillOnly.strokeEnabled = false;
    strokeOnly.fillEnabled = false;
    std::vector<app::render::DrawItem> fillItems{{slot.gpuVector, nullptr, nullptr, fillOnly, 1.0f}};
    std::vector<app::render::DrawItem> strokeItems{{slot.gpuVector, nullptr, nullptr, strokeOnly, 1.0f}};
    double fillFrame = frameSeconds(renderer, target, v, fillItems);
    double strokeFrame = frameSeconds(renderer, target, v, strokeItems);
    app::render::RenderTarget single;
    single.ensure(v.width, v.height, 1);
    double noMsaaFrame = frameSeconds(renderer, single, v, items);
    double emptyFrame = frameSeconds(renderer, target, v, {});
    std::printf("mode=ours_breakdown fill_only=%.3f stroke_only=%.3f no_msaa=%.3f empty=%.3f\n", fillFrame, strokeFrame,
                noMsaaFrame, emptyFrame);
    geo::Transformer toWgs(display, geo::Crs::wgs84());
    geo::setScale(v, toWgs, 5000);
    for (int i = 0; i < 5; ++i) zoomed.push_back(frameSeconds(renderer, target, v, items));
    const auto& t = slot.vectorData->source.table;
    std::printf(
        "mode=ours total_to_first_frame=%.3f read=%.3f tessellate=%.3f reproject=%.3f stage=%.3f upload=%.3f "
        "first_frame=%.3f frame_full_median=%.3f frame_1to5000_median=%.3f features=%zu vertices=%zu "
        "triangles=%zu skipped=%zu forced=%zu peak_rss_mib=%.0f\n",
        total, slot.timings.readSeconds, slot.timings.tessellateSeconds, slot.timings.reprojectSeconds,
        slot.stageSeconds, slot.uploadSeconds, first, median(full), median(zoomed), t.featureCount(), t.vertexCount(),
        slot.vectorData->triangles.size() / 3, slot.vectorData->tess.skipped, slot.vectorData->tess.forced,
        peakRssMiB());
    (void)loadSeconds;
    return 0;
}

// One frame of the window's path (Viewer::redrawMap): when the view moved or an image asked for it last frame, the
// images applied to the items and the quick frame drawn (the target's multisampling); then pending layer-image
// tiles in what is left of the frame (LayerImageCache::budget); all finished.
// One frame of the window (Viewer::redrawMap's order): the map redrawn when it moved (or an image step asked), then
// image tiles in what is left of the frame, which began at `start` (before adopting a layer, when one was).
double windowFrame(app::render::LayerImageCache& cache, app::render::MapRenderer& r, app::render::RenderTarget& t,
                   const geo::View& v, std::vector<app::render::DrawItem> items, geo::Rgba background,
                   bool moved = true, Clock::time_point start = Clock::now()) {
    static bool asked = false;  // the last step asked for a redraw (Viewer::mapDirty_)
    if (moved || asked) {
        cache.apply(items, v, 1.0f);
        r.render(t, v, items, background, 1.0f);
        t.resolve();
        glFinish();
    }
    asked = cache.step(r, Clock::now() - start);
    glFinish();
    return since(start);
}

double maxOf(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

int runImages(const std::string& path, const std::string& layerName) {
    app::platform::EglContext ctx;
    const geo::Crs display = geo::Crs::fromUser("EPSG:3857");
    const geo::Project project = benchProject(path, layerName);
    const geo::ProjectLayer& pl = project.layers[0];
    app::render::Scene scene;
    scene.reconcile(project);
    app::render::SceneLayer& slot = *scene.find(1);
    scene.adopt(slot, app::render::loadLayer(pl, display, nullptr), pl, display);
    glFinish();
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    geo::View v = benchView(slot.displayExtent);
    target.ensure(v.width, v.height, 4);
    const geo::Rgba white{255, 255, 255, 255};
    const auto items = scene.drawItems(project, display);
    std::vector<double> direct;
    for (int i = 0; i < 3; ++i) direct.push_back(frameSeconds(renderer, target, v, items));
    const size_t primitives = slot.gpuVector->visiblePrimitives(v);

    app::render::LayerImageCache cache;
    std::vector<double> filling;
    auto t0 = Clock::now();
    do filling.push_back(windowFrame(cache, renderer, target, v, items, white, filling.empty()));
    while (cache.pending());
    filling.push_back(windowFrame(cache, renderer, target, v, items, white, false));  // shows the complete image
    const double complete = since(t0);
    std::vector<double> full;  // panning 2 px a frame, inside the image's margin
    for (int i = 0; i < 9; ++i) {
        v.panPixels(2, 0);
        full.push_back(windowFrame(cache, renderer, target, v, items, white));
    }
    std::vector<double> zoomed;
    geo::Transformer toWgs(display, geo::Crs::wgs84());
    geo::setScale(v, toWgs, 5000);
    for (int i = 0; i < 5; ++i) {
        v.panPixels(2, 0);
        zoomed.push_back(windowFrame(cache, renderer, target, v, items, white));
    }
    // While the view moves the window draws without multisampling (Viewer::redrawMap).
    std::vector<double> zoomedMoving;
    app::render::RenderTarget single;
    single.ensure(v.width, v.height, 1);
    for (int i = 0; i < 5; ++i) {
        v.panPixels(2, 0);
        zoomedMoving.push_back(windowFrame(cache, renderer, single, v, items, white));
    }
    const size_t primitives5000 = slot.gpuVector->visiblePrimitives(v);
    // The settled 1:5000 view refined as the window does (kTile-px tiles at 5x5 supersampling, kWindowStepBudget of
    // them a frame; the moving frame shows meanwhile): the slowest step and the time until complete.
    for (int tile : {app::render::ProgressiveFrame::kTile, 256}) {  // (the window's, and the size it had before)
        app::render::ProgressiveFrame refine(tile);
        std::vector<double> steps;
        auto r0 = Clock::now();
        refine.start(v, items, {}, white, 1.0f);
        bool done = false;
        while (!done) {
            auto s0 = Clock::now();
            done = refine.step(renderer, app::render::ProgressiveFrame::kWindowStepBudget);
            steps.push_back(since(s0));
        }
        std::printf("mode=images_refine_1to5000 tile=%d steps=%zu step_max=%.4f step_median=%.4f seconds=%.3f\n", tile,
                    steps.size(), maxOf(steps), median(steps), since(r0));
    }
    std::printf("mode=images_fill_frames");
    for (double f : filling) std::printf(" %.0f", f * 1000);
    std::printf("\n");
    std::printf("mode=images primitives_full_extent=%zu threshold=%zu direct_full_median=%.3f image_frames=%zu "
                "image_frame_max=%.4f image_frame_median=%.4f image_complete_seconds=%.3f full_with_image_median=%.4f "
                "full_over_direct=%.3f frame_1to5000_median=%.4f frame_1to5000_moving_median=%.4f primitives_1to5000=%zu pending_after=%d peak_rss_mib=%.0f\n",
                primitives, app::render::LayerImageCache::threshold(), median(direct), filling.size(), maxOf(filling),
                median(filling), complete, median(full), median(full) / median(direct), median(zoomed),
                median(zoomedMoving), primitives5000, int(cache.pending()), peakRssMiB());
    return 0;
}

int runBackground(const std::string& path, const std::string& layerName, bool images = false) {
    app::platform::EglContext ctx;
    geo::Project base = geo::loadProject(app::platform::defaultProjectPath());
    geo::Crs display = geo::Crs::fromUser("EPSG:3857");
    app::render::Scene scene;
    scene.updateSync(base, display);
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    geo::View v;
    v.width = 1280;
    v.height = 800;
    v.fit(scene.combinedExtent(base, display, true));
    // bgimages draws as the window does while the view moves: no multisampling.
    target.ensure(v.width, v.height, images ? 1 : layerName.empty() ? 4 : std::atoi(layerName.c_str()));

    geo::ProjectLayer pl;
    pl.source = path;
    pl.layer = layerName;
    if (path == "-") {  // base map only: frame times without a background load
        std::vector<double> frames;
        for (int i = 0; i < 20; ++i) {
            auto f0 = Clock::now();
            v.panPixels(1, 0);
            renderer.render(target, v, scene.drawItems(base, display), {214, 230, 242, 255}, 1.0f);
            target.resolve();
            glFinish();
            frames.push_back(since(f0));
        }
        std::printf("mode=base frame_median=%.4f\n", median(frames));
        return 0;
    }
    if (images) {  // the window's first settled view, refined (supersampled) before the user opens a file
        app::render::ProgressiveFrame refine;
        refine.start(v, scene.drawItems(base, display), {}, {214, 230, 242, 255}, 1.0f);
        while (!refine.step(renderer, std::chrono::seconds(1))) {
        }
    }
    std::atomic<bool> done{false};
    app::render::LoadedLayer loaded;
    // As the viewer's workers do: the worker uploads the layer through a shared context (PLANATLAS_WORKER_UPLOADS=0:
    // the main thread uploads it as it adopts it, the old way).
    const char* uploadsEnv = std::getenv("PLANATLAS_WORKER_UPLOADS");
    std::unique_ptr<app::gl::UploadContext> uploads;
    if (!uploadsEnv || std::string(uploadsEnv) != "0") uploads = ctx.makeUploadContext();
    app::platform::setBackgroundThreadsYield(std::getenv("BENCH_YIELD") == nullptr || std::string(std::getenv("BENCH_YIELD")) != "0");
    std::thread worker([&] {
        app::platform::lowerThisThreadsPriority();  // as the viewer's workers (BENCH_YIELD=0: not)
        loaded = app::render::loadLayer(pl, display, nullptr);
        if (uploads) app::render::preUpload(loaded, *uploads);
        done = true;
    });
    auto t0 = Clock::now();
    std::vector<double> frames;
    double uploadFrame = 0;
    app::render::LayerImageCache cache;
    double adoptSeconds = 0;
    while (images) {  // the window's path: frames during the load, the upload frame, frames until the image is done
        auto f0 = Clock::now();
        const bool adoptNow = done.load();
        if (adoptNow) {
            worker.join();
            base.layers.push_back(pl);
            geo::assignLayerIds(base);
            scene.reconcile(base);
            scene.adopt(*scene.find(base.layers.back().id), std::move(loaded), base.layers.back(), display);
            glFinish();
            adoptSeconds = since(f0);
        }
        v.panPixels(frames.size() % 200 < 100 ? 1 : -1, 0);
        frames.push_back(
            windowFrame(cache, renderer, target, v, scene.drawItems(base, display), {214, 230, 242, 255}, true, f0));
        if (!adoptNow) continue;
        uploadFrame = frames.back();
        const double loadSeconds = since(t0);
        const size_t during = frames.size() - 1;
        auto i0 = Clock::now();
        std::vector<double> after;
        do {
            v.panPixels(frames.size() % 200 < 100 ? 1 : -1, 0);
            after.push_back(windowFrame(cache, renderer, target, v, scene.drawItems(base, display),
                                        {214, 230, 242, 255}));
        } while (cache.pending());
        double worst = 0;
        for (size_t i = 0; i < during; ++i) worst = std::max(worst, frames[i]);
        std::printf("mode=bgimages_after_upload_frames");
        for (double f : after) std::printf(" %.0f", f * 1000);
        std::printf("\n");
        std::printf("mode=bgimages load_seconds=%.3f frames=%zu frame_median=%.4f frame_max_during_load=%.4f "
                    "upload_frame=%.4f adopt=%.4f frames_until_image=%zu frame_max_until_image=%.4f image_seconds=%.3f "
                    "peak_rss_mib=%.0f worker_uploads=%d\n",
                    loadSeconds, during, median(frames), worst, uploadFrame, adoptSeconds, after.size(), maxOf(after), since(i0),
                    peakRssMiB(), uploads ? 1 : 0);
        return 0;
    }
    while (true) {
        auto f0 = Clock::now();
        bool adoptNow = done.load();
        if (adoptNow) {
            worker.join();
            geo::ProjectLayer added = pl;
            base.layers.push_back(added);
            geo::assignLayerIds(base);
            scene.reconcile(base);
            scene.adopt(*scene.find(base.layers.back().id), std::move(loaded), base.layers.back(), display);
        }
        v.panPixels(frames.size() % 200 < 100 ? 1 : -1, 0);  // a moving view: every frame really redraws
        renderer.render(target, v, scene.drawItems(base, display), {214, 230, 242, 255}, 1.0f);
        target.resolve();
        glFinish();
        double dt = since(f0);
        frames.push_back(dt);
        if (adoptNow) {
            uploadFrame = dt;
            break;
        }
    }
    double worst = 0;
    for (size_t i = 0; i + 1 < frames.size(); ++i) worst = std::max(worst, frames[i]);
    std::printf("mode=bg load_seconds=%.3f frames=%zu frame_median=%.4f frame_max_during_load=%.4f "
                "upload_frame=%.4f peak_rss_mib=%.0f worker_uploads=%d\n",
                since(t0), frames.size(), median(frames), worst, uploadFrame, peakRssMiB(), uploads ? 1 : 0);
    return 0;
}

// The two read paths of readVectorLayer (PLANATLAS_ARROW_READ switches), alternated so that both see the same
// page cache; each run's table is checked against the first.
int runRead(const std::string& path, const std::string& layerName, int runs) {
    std::vector<double> loop, arrow;
    size_t features = 0, vertices = 0;
    for (int i = 0; i < runs; ++i)
        for (bool useArrow : {false, true}) {
            CPLSetConfigOption("PLANATLAS_ARROW_READ", useArrow ? "YES" : "NO");
            auto t0 = Clock::now();
            geo::VectorData d = geo::readVectorLayer(path, layerName);
            (useArrow ? arrow : loop).push_back(since(t0));
            if (features && (d.table.featureCount() != features || d.table.vertexCount() != vertices))
                return std::fprintf(stderr, "bench_load: the two paths read different tables\n"), 1;
            features = d.table.featureCount();
            vertices = d.table.vertexCount();
        }
    CPLSetConfigOption("PLANATLAS_ARROW_READ", nullptr);
    auto list = [](const std::vector<double>& v) {
        std::string s;
        for (double x : v) s += (s.empty() ? "" : ",") + std::to_string(x).substr(0, 5);
        return s;
    };
    std::printf("mode=read features=%zu vertices=%zu loop_median=%.3f arrow_median=%.3f loop_over_arrow=%.2f "
                "loop_runs=%s arrow_runs=%s peak_rss_mib=%.0f\n",
                features, vertices, median(loop), median(arrow), median(loop) / median(arrow), list(loop).c_str(),
                list(arrow).c_str(), peakRssMiB());
    return 0;
}

// The CPU painter alone (geo/paint), as `export` runs it on one thread: the layer read once, then RUNS times its
// 4096x4096 picture of the box 114.28,22.62,114.45,22.78 (EPSG:4326, the export benchmark's) in four tiles of 2048,
// fill #c8966e and a 1 px outline #503c28; the parts indexed once a run. Prints the runs, their median and a hash of
// the pixels (to check that a change leaves the image as it was). BENCH_TILE (and BENCH_TILE_H) paint it in tiles of
// another size.
int runPaint(const std::string& path, const std::string& layerName, int runs) {
    const geo::VectorData d = geo::readVectorLayer(path, layerName);
    geo::View view;
    view.width = view.height = 4096;
    view.centerX = 0.5 * (114.28 + 114.45);
    view.centerY = 0.5 * (22.62 + 22.78);
    view.resolution = std::max((114.45 - 114.28) / 4096.0, (22.78 - 22.62) / 4096.0);
    geo::Style style;
    style.fill = {0xc8, 0x96, 0x6e, 0xff};
    style.stroke = {0x50, 0x3c, 0x28, 0xff};
    if (const char* only = std::getenv("BENCH_PAINT_ONLY")) {  // fill | stroke: that pass alone
        style.fillEnabled = std::string(only) == "fill";
        style.strokeEnabled = std::string(only) == "stroke";
    }
    const double* xy = d.table.xy.data();
    geo::PaintScratchPtr scratch = geo::makePaintScratch();
    std::vector<double> times;
    uint64_t hash = 1469598103934665603ull;
    for (int run = 0; run < runs; ++run) {
        hash = 1469598103934665603ull;
        auto t0 = Clock::now();
        const auto parts = geo::indexPaintParts(d.table, xy, view.resolution);
        geo::PaintOptions options;
        options.dotSamples = 5;
        options.scratch = scratch.get();
        options.parts = parts.get();
        const int T = std::clamp(std::getenv("BENCH_TILE") ? std::atoi(std::getenv("BENCH_TILE")) : 2048, 1, 4096);
        const int TH = std::clamp(std::getenv("BENCH_TILE_H") ? std::atoi(std::getenv("BENCH_TILE_H")) : T, 1, 4096);
        for (int ty = 0; ty < 4096 / TH; ++ty)
            for (int tx = 0; tx < 4096 / T; ++tx) {
                geo::View tile = app::render::MapRenderer::tileView(view, tx * T, ty * TH, T, TH);
                geo::PaintImage image;
                image.reset(T, TH);
                geo::paintVectorLayer(image, tile, d.table, xy, style, options);
                for (uint8_t v : image.rgba) hash = (hash ^ v) * 1099511628211ull;
            }
        times.push_back(since(t0));
    }
    std::string list;
    for (double t : times) list += (list.empty() ? "" : ",") + std::to_string(t).substr(0, 5);
    std::printf("mode=paint features=%zu median=%.3f runs=%s image_hash=%016llx peak_rss_mib=%.0f\n",
                d.table.featureCount(), median(times), list.c_str(), static_cast<unsigned long long>(hash),
                peakRssMiB());
    return 0;
}

}  // namespace

// The viewer's document opening FILE alone (EPSG:3857), workers uploading through a shared context: seconds until
// its preview (the first 100k features of a file of 16 MiB and more, SourceOptions::featureLimit) is adopted, the
// first window frame with it, and until the whole layer replaces it.
int runPreview(const std::string& path, const std::string& layerName) {
    app::platform::EglContext ctx;
    std::unique_ptr<app::gl::UploadContext> uploads = ctx.makeUploadContext();
    geo::Project project = benchProject(path, layerName);
    // BENCH_DISPLAY_CRS: another display CRS (the file's own: the window's image painted from its vertices).
    project.displayCrs = std::getenv("BENCH_DISPLAY_CRS") ? std::getenv("BENCH_DISPLAY_CRS") : "EPSG:3857";
    project.layers[0].id = 0;
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    app::render::LayerImageCache cache;
    double previewSeconds = -1, firstFrame = 0, fullSeconds = 0, shownSeconds = 0, wholeShown = 0;
    double loadedRss = 0, loadedPeak = 0;  // once loaded: resident, and the peak so far
    std::string stages;  // each preview stage: its features @ seconds until adopted
    size_t stageFeatures = 0;
    size_t previewFeatures = 0;
    {
        app::ui::WorkerPool pool(2);
        app::ui::Document doc(pool);
        doc.setUploadContext(uploads.get());
        const auto t0 = Clock::now();
        doc.open(project, "");
        const geo::LayerId id = doc.project().layers[0].id;
        while (doc.loading() > 0 || pool.pending() > 0) {
            pool.pump();
            doc.update();
            const app::render::SceneLayer* s = doc.scene().find(id);
            if (s && s->partial && s->vectorData && s->vectorData->source.table.featureCount() != stageFeatures) {
                stageFeatures = s->vectorData->source.table.featureCount();
                stages += " " + std::to_string(stageFeatures) + "@" + std::to_string(since(t0));
            }
            if (previewSeconds < 0 && s && s->readyIn(doc.displayCrs())) {
                previewSeconds = since(t0);
                previewFeatures = s->vectorData->source.table.featureCount();
                geo::View v = benchView(s->displayExtent);
                target.ensure(v.width, v.height, 1);
                const auto f0 = Clock::now();
                const auto items = doc.scene().drawItems(doc.project(), doc.displayCrs());
                windowFrame(cache, renderer, target, v, items, {255, 255, 255, 255}, true, f0);
                firstFrame = since(f0);
                // A heavy layer's frames draw its image (GPU tiles, or a painting on the cache's thread): the
                // preview is all there once the image is complete.
                while (cache.pending()) windowFrame(cache, renderer, target, v, items, {255, 255, 255, 255}, false);
                shownSeconds = since(t0);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        fullSeconds = since(t0);
        loadedRss = currentRssMiB();
        loadedPeak = peakRssMiB();
        // The whole layer on the map: its image (or direct draw) complete.
        if (const app::render::SceneLayer* s = doc.scene().find(id)) {
            geo::View v = benchView(s->displayExtent);
            target.ensure(v.width, v.height, 1);
            const auto items = doc.scene().drawItems(doc.project(), doc.displayCrs());
            windowFrame(cache, renderer, target, v, items, {255, 255, 255, 255}, true);
            while (cache.pending()) windowFrame(cache, renderer, target, v, items, {255, 255, 255, 255}, false);
        }
        wholeShown = since(t0);
        cache.clear();
    }
    std::printf("mode=preview preview_seconds=%.3f preview_features=%zu first_frame=%.4f to_first_frame=%.3f "
                "to_preview_shown=%.3f full_seconds=%.3f to_whole_shown=%.3f loaded_rss_mib=%.0f loaded_peak_mib=%.0f "
                "peak_rss_mib=%.0f\n",
                previewSeconds, previewFeatures, firstFrame, previewSeconds + firstFrame, shownSeconds, fullSeconds,
                wholeShown, loadedRss, loadedPeak, peakRssMiB());
    std::printf("mode=preview_stages%s\n", stages.c_str());
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_load ref|ours|bg|images|bgimages FILE [LAYER] | bench_load read|paint FILE [LAYER] [RUNS]\n");
        return 2;
    }
    std::string mode = argv[1], path = argv[2], layer = argc > 3 ? argv[3] : "";
    geo::ensureGdal();
    try {
        if (mode == "ref") return runReference(path, layer);
        if (mode == "ours") return runOurs(path, layer);
        if (mode == "bg") return runBackground(path, layer);
        if (mode == "bgimages") return runBackground(path, layer, true);
        if (mode == "images") return runImages(path, layer);
        if (mode == "preview") return runPreview(path, layer);
        if (mode == "paint") return runPaint(path, layer, argc > 4 ? std::max(1, std::atoi(argv[4])) : 3);
        if (mode == "read") return runRead(path, layer, argc > 4 ? std::max(1, std::atoi(argv[4])) : 3);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_load: %s\n", e.what());
        return 1;
    }
    return 2;
}

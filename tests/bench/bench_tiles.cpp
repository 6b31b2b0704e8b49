// Tile basemaps on the viewer's path (#9): GpuTileLayer::prepare(view) + MapRenderer::render + resolve + glFinish,
// once a frame, on a headless EGL context, against an XYZ source (tests/bench/run_tiles_bench.sh serves one on
// loopback).
//
//   bench_tiles TEMPLATE CACHE_ROOT [RUNS] [BUDGET_MIB]
//
// Per run (each in a fresh cache folder CACHE_ROOT/runN) it prints one "key=value ..." line per case:
//   cold       time to a full screen of tiles (1280x800, EPSG:3857, zoom 15 over Pingshan) from an empty cache:
//              full_ms when every tile of the view is on the GPU (pendingTiles() == 0), settled_ms when the
//              fade-ins are done too (!animating()), the frames drawn until then (4x multisampled, as a still view),
//              and steady_ms, the median of 15 redraws of the settled view (single-sampled)
//   warm       the same with a new layer and provider over the cache the cold case filled, server up
//   offline    the same with TileEnvironment::offline (the cache only)
//   warm_4547  the warm case in EPSG:4547 (the same tiles warped through meshes)
//   pan        a scripted path of 300 frames (pans of 40 px a frame, zooms of 2^(1/10) a frame, zooms 13-16) over
//   pan_4547   the pyramid while its tiles are fetched (fresh cache), in EPSG:3857 and in EPSG:4547; frames paced
//              at 60 Hz like a vsynced window, single-sampled as the viewer draws a moving view. Per-frame ms of
//              prepare + render + glFinish: median, p95, max, frames over 50 ms, prepare() alone; the peak of
//              residentBytes() under setGpuBudget(BUDGET_MIB, default 64), the tiles loaded and those read back
//              from the disk cache (dropped by the GPU LRU, or revisited)
//   pan_tight  the EPSG:3857 path with a quarter of the budget
// Every line ends with the process's peak RSS so far (getrusage ru_maxrss). BENCH_TILES_FRAMES=1 also prints
// every frame of the paths (lines starting with '#').
#include <epoxy/gl.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "crs/crs.hpp"
#include "platform/egl_context.hpp"
#include "render/map_renderer.hpp"
#include "render/tile_layer.hpp"
#include "tiles/http_client.hpp"
#include "tiles/tile_cache.hpp"
#include "tiles/tile_provider.hpp"
#include "view/view.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace render = app::render;

constexpr int kWidth = 1280, kHeight = 800;
constexpr double kLon = 114.35, kLat = 22.70;                              // centre of the pyramid
constexpr geo::BBox kPyramid{114.25, 22.60, 114.45, 22.80};                 // lon/lat extent of its tiles
constexpr double kZ0Resolution = 2 * 20037508.342789244 / 256;             // EPSG:3857 m per pixel at zoom 0
constexpr double kFullScreenTimeoutSeconds = 60;

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double peakRssMiB() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;  // KiB on Linux
}

double mib(size_t bytes) { return double(bytes) / double(1 << 20); }

// What every case needs: the GL objects of one frame and the source's description.
struct Bench {
    std::string tmpl;
    std::string cacheRoot;
    size_t budgetBytes = size_t(64) << 20;
    render::MapRenderer renderer;
    render::RenderTarget target;
    geo::TileSourceSpec spec;
    std::shared_ptr<geo::HttpClient> http;
};

struct Layer {
    std::shared_ptr<geo::TileProvider> provider;
    std::shared_ptr<render::GpuTileLayer> tiles;
};

Layer openLayer(Bench& b, const std::string& cacheDir, bool offline, const geo::Crs& display) {
    geo::TileEnvironment env;
    env.http = b.http;
    env.cache = std::make_shared<geo::TileCache>(cacheDir, geo::kDefaultTileCacheBytes);
    env.offline = offline;
    geo::setTileEnvironment(env);
    Layer l;
    l.provider = geo::TileProvider::open(b.spec, env);
    l.tiles = std::make_shared<render::GpuTileLayer>(l.provider, display, false);
    l.tiles->setGpuBudget(b.budgetBytes);
    return l;
}

// One frame as the viewer draws it: prepare (requests, uploads within its budget), render, resolve, finish.
// `prepareMs` gets the share of prepare() alone.
double frame(Bench& b, Layer& l, const geo::View& view, int samples, double* prepareMs = nullptr) {
    const auto t0 = Clock::now();
    l.tiles->prepare(view);
    if (prepareMs) *prepareMs = msSince(t0);
    b.target.ensure(view.width, view.height, samples);
    render::DrawItem item;
    item.tiles = l.tiles;
    b.renderer.render(b.target, view, {item}, {200, 220, 235, 255}, 1.0f);
    b.target.resolve();
    glFinish();
    return msSince(t0);
}

geo::View startView(const geo::Crs& display, int zoom) {
    geo::View v;
    v.width = kWidth;
    v.height = kHeight;
    double xy[2] = {kLon, kLat};
    geo::Transformer(geo::Crs::wgs84(), display).transform(xy, 1);
    v.centerX = xy[0];
    v.centerY = xy[1];
    v.resolution = kZ0Resolution / std::pow(2.0, zoom);
    // The same ground resolution in a CRS in metres (EPSG:3857 stretches by 1/cos(lat)).
    if (display.epsg() != 3857) v.resolution *= std::cos(kLat * M_PI / 180.0);
    return v;
}

// Frames of a still view until every tile is on the GPU and then until nothing animates.
void fullScreen(Bench& b, const char* label, int run, const std::string& cacheDir, bool offline,
                const std::string& crs = "EPSG:3857") {
    const geo::Crs display = geo::Crs::fromUser(crs);
    Layer l = openLayer(b, cacheDir, offline, display);
    const geo::View view = startView(display, 15);
    const auto t0 = Clock::now();
    double fullMs = -1;
    int frames = 0, framesFull = 0;
    for (;;) {
        frame(b, l, view, 4);
        ++frames;
        if (fullMs < 0 && l.tiles->pendingTiles() == 0) {
            fullMs = msSince(t0);
            framesFull = frames;
        }
        if (fullMs >= 0 && !l.tiles->animating()) break;
        if (msSince(t0) > kFullScreenTimeoutSeconds * 1000) break;
    }
    const double settledMs = msSince(t0);
    // The cost of drawing the settled view (nothing to load or fade), single-sampled as a moving view is drawn.
    std::vector<double> steady;
    for (int i = 0; i < 15; ++i) steady.push_back(frame(b, l, view, 1));
    std::sort(steady.begin(), steady.end());
    const geo::TileStats s = l.provider->stats();
    std::printf(
        "case=%s crs=%s run=%d full_ms=%.1f settled_ms=%.1f frames_full=%d frames=%d steady_ms=%.1f level=%d "
        "tiles=%zu network=%llu cache_hits=%llu failed=%llu complete=%d rss_mib=%.0f\n",
        label,
        crs.c_str(),
        run,
        fullMs,
        settledMs,
        framesFull,
        frames,
        steady[steady.size() / 2],
        l.tiles->level(),
        l.tiles->residentTiles(),
        (unsigned long long)s.network,
        (unsigned long long)s.cacheHits,
        (unsigned long long)s.failed,
        fullMs >= 0 ? 1 : 0,
        peakRssMiB());
    std::fflush(stdout);
}

// The scripted path: (frames, pan dx, pan dy in pixels a frame, zoom factor a frame). Starts at zoom 14; pans
// bounce off the pyramid's edges so that every frame shows tiles.
struct Step {
    int frames;
    double dx, dy, zoom;
};
const std::vector<Step> kPath = {
    {50, -40, 0, 1},                     // east at zoom 14
    {20, 0, 0, std::pow(2.0, 0.1)},      // in to 16
    {50, 0, 40, 1},                      // north at 16
    {30, 0, 0, std::pow(2.0, -0.1)},     // out to 13
    {50, 40, 0, 1},                      // west at 13
    {20, 0, 0, std::pow(2.0, 0.1)},      // in to 15
    {50, -28, -28, 1},                   // south-east at 15
    {30, 0, 0, std::pow(2.0, 0.05)},     // in to 16.5 (past the pyramid's deepest level: upsampled)
};

void panZoom(Bench& b, const char* label, int run, const std::string& crs, const std::string& cacheDir,
            size_t budgetBytes) {
    const geo::Crs display = geo::Crs::fromUser(crs);
    Layer l = openLayer(b, cacheDir, false, display);
    l.tiles->setGpuBudget(budgetBytes);
    geo::View view = startView(display, 14);
    const geo::BBox box = geo::transformBox(kPyramid, geo::Transformer(geo::Crs::wgs84(), display));
    const auto period = std::chrono::microseconds(16667);
    std::vector<double> ms, prep;
    std::vector<int> levels;
    std::vector<size_t> resident;
    size_t peakBytes = 0, peakTiles = 0;
    int waiting = 0, minLevel = 99, maxLevel = -1;
    auto next = Clock::now();
    for (const Step& s : kPath) {
        double dx = s.dx, dy = s.dy;
        for (int f = 0; f < s.frames; ++f) {
            std::this_thread::sleep_until(next);
            next = std::max(next + period, Clock::now());
            if (s.zoom != 1) view.zoomAbout(s.zoom, 0.5 * view.width, 0.5 * view.height);
            view.panPixels(dx, dy);  // dx < 0 moves the view east, dy > 0 north
            // Bounce: turn back when the centre has left the pyramid.
            if ((view.centerX > box.maxX && dx < 0) || (view.centerX < box.minX && dx > 0)) dx = -dx;
            if ((view.centerY > box.maxY && dy > 0) || (view.centerY < box.minY && dy < 0)) dy = -dy;
            double prepMs = 0;
            ms.push_back(frame(b, l, view, 1, &prepMs));
            prep.push_back(prepMs);
            levels.push_back(l.tiles->level());
            resident.push_back(l.tiles->residentTiles());
            peakBytes = std::max(peakBytes, l.tiles->residentBytes());
            peakTiles = std::max(peakTiles, l.tiles->residentTiles());
            if (l.tiles->pendingTiles() > 0) ++waiting;
            minLevel = std::min(minLevel, l.tiles->level());
            maxLevel = std::max(maxLevel, l.tiles->level());
        }
    }
    auto pct = [](std::vector<double> v, double p) {
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, size_t(std::ceil(p * double(v.size()))) - 1)];
    };
    const int over50 = int(std::count_if(ms.begin(), ms.end(), [](double v) { return v > 50; }));
    const size_t worst = size_t(std::max_element(ms.begin(), ms.end()) - ms.begin());
    const geo::TileStats st = l.provider->stats();
    const uint64_t loaded = st.network + st.cacheHits;
    std::printf(
        "case=%s crs=%s run=%d frames=%zu median_ms=%.1f p95_ms=%.1f max_ms=%.1f max_frame=%zu over50=%d "
        "prepare_p95_ms=%.1f prepare_max_ms=%.1f waiting_frames=%d levels=%d-%d tiles_loaded=%llu reloaded=%llu "
        "tiles_mib=%.0f peak_gpu_mib=%.1f peak_tiles=%zu "
        "budget_mib=%.0f failed=%llu rss_mib=%.0f\n",
        label,
        crs.c_str(),
        run,
        ms.size(),
        pct(ms, 0.5),
        pct(ms, 0.95),
        ms[worst],
        worst,
        over50,
        pct(prep, 0.95),
        pct(prep, 1.0),
        waiting,
        minLevel,
        maxLevel,
        (unsigned long long)loaded,
        (unsigned long long)st.cacheHits,
        mib(size_t(loaded) * 256 * 256 * 4),
        mib(peakBytes),
        peakTiles,
        mib(budgetBytes),
        (unsigned long long)st.failed,
        peakRssMiB());
    if (const char* all = std::getenv("BENCH_TILES_FRAMES"); all && *all == '1') {
        std::printf("# frames of %s run %d: frame ms / prepare ms / level / resident tiles\n", label, run);
        for (size_t i = 0; i < ms.size(); ++i)
            std::printf("# %zu %.1f %.1f %d %zu\n", i, ms[i], prep[i], levels[i], resident[i]);
    }
    std::fflush(stdout);
}

// Lets fetches of a layer just dropped finish before the next case starts (they are not cancelled).
void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(500)); }

int run(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_tiles TEMPLATE CACHE_ROOT [RUNS] [BUDGET_MIB]\n");
        return 2;
    }
    app::platform::EglContext ctx;
    Bench b;
    b.tmpl = argv[1];
    b.cacheRoot = argv[2];
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
    if (argc > 4) b.budgetBytes = size_t(std::max(1, std::atoi(argv[4]))) << 20;
    b.spec.kind = geo::TileKind::Xyz;
    b.spec.source = b.tmpl;
    b.spec.options.maxZoom = 16;
    std::printf("# renderer: %s\n", ctx.renderer().c_str());
    {  // shaders compiled and the context's first-frame costs paid before anything is timed
        b.target.ensure(kWidth, kHeight, 4);
        b.renderer.render(b.target, startView(geo::Crs::fromUser("EPSG:3857"), 15), {}, {0, 0, 0, 255}, 1.0f);
        glFinish();
    }
    for (int r = 1; r <= runs; ++r) {
        const std::string dir = b.cacheRoot + "/run" + std::to_string(r);
        std::filesystem::remove_all(dir);
        b.http = std::make_shared<geo::HttpClient>(geo::planAtlasUserAgent());  // no connection kept from before
        fullScreen(b, "cold", r, dir + "/still", false);
        settle();
        fullScreen(b, "warm", r, dir + "/still", false);
        fullScreen(b, "offline", r, dir + "/still", true);
        fullScreen(b, "warm_4547", r, dir + "/still", false, "EPSG:4547");
        settle();
        panZoom(b, "pan", r, "EPSG:3857", dir + "/pan", b.budgetBytes);
        settle();
        panZoom(b, "pan_4547", r, "EPSG:4547", dir + "/pan_4547", b.budgetBytes);
        settle();
        // A quarter of the budget: about what two levels of a screen need, so the LRU works hard.
        panZoom(b, "pan_tight", r, "EPSG:3857", dir + "/pan_tight", b.budgetBytes / 4);
        settle();
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_tiles: %s\n", e.what());
        return 1;
    }
}

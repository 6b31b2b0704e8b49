// Time to first frame for one view of a big layer, read the way the viewer reads a view (#11): the view's box in
// the source CRS as SourceOptions::filter, and for database sources a simplification tolerance of half a pixel.
//
//   bench_postgis SOURCE LAYER SOURCE_CRS MINLON,MINLAT,MAXLON,MAXLAT full|5000 [TOLERANCE_PX]
//
// The view is 1280x800 in EPSG:3857: the whole box ("full") or 1:5000 at its centre. TOLERANCE_PX (default 0.5;
// 0 = none) is only passed to PG: sources. Prints one line "key=value ...": seconds from nothing to the first
// frame on screen (read, tessellate, reproject, stage, upload, draw), the read alone, and the rows fetched.
// tests/bench/run_postgis_bench.sh runs it against PostGIS and a GeoPackage and takes medians.
#include <epoxy/gl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"
#include "crs/crs.hpp"
#include "platform/egl_context.hpp"
#include "render/map_renderer.hpp"
#include "render/scene.hpp"
#include "source/postgis.hpp"
#include "view/view.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

geo::BBox parseBox(const std::string& text) {
    std::stringstream ss(text);
    double v[4];
    char comma;
    ss >> v[0] >> comma >> v[1] >> comma >> v[2] >> comma >> v[3];
    if (!ss) throw geo::FormatError("", "", "box must be MINLON,MINLAT,MAXLON,MAXLAT");
    return {v[0], v[1], v[2], v[3]};
}

int run(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(
            stderr,
            "usage: bench_postgis SOURCE LAYER SOURCE_CRS MINLON,MINLAT,MAXLON,MAXLAT full|5000 [TOLERANCE_PX]\n");
        return 2;
    }
    const std::string source = argv[1], layer = argv[2], zoom = argv[5];
    const geo::Crs sourceCrs = geo::Crs::fromUser(argv[3]);
    const double tolerancePx = argc > 6 ? std::atof(argv[6]) : 0.5;
    const geo::Crs display = geo::Crs::fromUser("EPSG:3857");
    const geo::Transformer toWgs(display, geo::Crs::wgs84());

    app::platform::EglContext ctx;
    const auto t0 = Clock::now();
    geo::View view;
    view.width = 1280;
    view.height = 800;
    view.fit(geo::transformBox(parseBox(argv[4]), geo::Transformer(geo::Crs::wgs84(), display)), 0.0);
    if (zoom == "5000") geo::setScale(view, toWgs, 5000);

    geo::ProjectLayer pl;
    pl.id = 1;
    pl.source = source;
    pl.layer = layer;
    pl.style.fill = {200, 150, 100, 255};
    pl.style.stroke = {80, 60, 40, 255};
    const geo::BBox inSource = geo::transformBox(view.extent(), geo::Transformer(display, sourceCrs));
    if (zoom != "full") pl.options.filter = inSource;  // full extent: every row, as the viewer reads it
    if (geo::isDatabaseSource(source) && tolerancePx > 0)
        pl.options.simplifyTolerance = tolerancePx * inSource.width() / view.width;
    geo::Project project;
    project.layers = {pl};

    app::render::Scene scene;
    scene.reconcile(project);
    app::render::SceneLayer& slot = *scene.find(1);
    scene.adopt(slot, app::render::loadLayer(pl, display, nullptr), pl, display);
    app::render::MapRenderer renderer;
    app::render::RenderTarget target;
    target.ensure(view.width, view.height, 4);
    renderer.render(target, view, scene.drawItems(project, display), {255, 255, 255, 255}, 1.0f);
    target.resolve();
    glFinish();
    const double firstFrame = since(t0);
    const auto& data = slot.vectorData->source;
    std::printf(
        "source=%s zoom=%s first_frame=%.3f read=%.3f tessellate=%.3f rows_fetched=%zu features=%zu "
        "vertices=%zu tolerance=%.3g\n",
        geo::isDatabaseSource(source) ? "postgis" : "gpkg",
        zoom.c_str(),
        firstFrame,
        slot.timings.readSeconds,
        slot.timings.tessellateSeconds,
        geo::isDatabaseSource(source) ? data.rowsFetched : data.table.featureCount(),
        data.table.featureCount(),
        data.table.vertexCount(),
        pl.options.simplifyTolerance);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_postgis: %s\n", e.what());
        return 1;
    }
}

#include "render/export_pipeline.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "export/limits.hpp"
#include "export/page.hpp"
#include "render/markup_shapes.hpp"
#include "project/project.hpp"
#include "source/postgis.hpp"

namespace fs = std::filesystem;

namespace app::render {

namespace {
long long modifiedUnix(const std::string& path) {
    std::error_code ec;
    auto t = fs::last_write_time(path, ec);
    if (ec) return 0;
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::file_clock::to_sys(t).time_since_epoch())
        .count();
}
}  // namespace

ExportJob::ExportJob(MapRenderer& renderer, const geo::Project& project, const Scene& scene, ExportSpec spec)
    : renderer_(renderer), spec_(std::move(spec)) {
    // The limits every route to an export passes (the CLI checks its sizes earlier, for a usage error): before
    // labels are placed or anything drawn.
    geo::checkOutputSize(spec_.view.width, spec_.view.height, spec_.path);
    geo::checkGeoTransform(geo::geoTransform(spec_.view), spec_.view.width, spec_.view.height, spec_.crs, spec_.path);
    const float ratio = static_cast<float>(spec_.dpi / geo::kScreenDpi);
    const geo::View& view = spec_.view;
    // Labels are placed once for the composite; a per-layer image keeps its own layer's labels at the same
    // places, so a stack of per-layer images adds up to the composite.
    // The scale on paper (a pixel is 0.0254/dpi m): the same 1:N the screen showed for the same map.
    const double scale = geo::scaleDenominator(view, geo::Transformer(spec_.crs, geo::Crs::wgs84()), 0.0254 / spec_.dpi);
    plan_ = renderer_.planLabels(view, scene.collectLabels(project, view, spec_.crs, 0, -1, scale), ratio);
    if (spec_.onlyLayer >= 0) {
        std::vector<geo::PlacedLabel> own;
        for (const auto& p : plan_.placed)
            if (static_cast<int>(plan_.requests[p.candidate].layer) == spec_.onlyLayer) own.push_back(p);
        plan_.placed = std::move(own);
        const geo::ProjectLayer& l = project.layers.at(static_cast<size_t>(spec_.onlyLayer));
        const SceneLayer* s = scene.find(l.id);
        if (s && s->readyIn(spec_.crs) && l.visibleAtScale(scale)) items_.push_back(scene.drawItem(*s, l));
    } else {
        items_ = scene.drawItems(project, spec_.crs, scale);
    }
    // Basemap tiles at the output's resolution, fetched before anything is drawn (an export never shows a
    // silently blank basemap).
    prepareTilesForOutput(items_, view, spec_.allowMissingTiles, warnings_);
    if (spec_.onlyLayer < 0 && !(spec_.decorations == DecorationSet::none())) {
        overlay_ = decorations(spec_.title, project, scene, view, spec_.crs, ratio, renderer_.labels(), spec_.decorations);
        hasOverlay_ = true;
    }
    if (spec_.onlyLayer < 0) {
        Overlay notes;
        if (spec_.markup && !project.markup.empty())
            notes = markupOverlay(markupShapes(project.markup, view, geo::Transformer(geo::Crs::wgs84(), spec_.crs), ratio),
                                  renderer_.labels(), ratio);
        if (spec_.swipe.enabled) {
            const double x = spec_.swipe.position * view.width;
            applySwipe(items_, project, spec_.swipe, view.screenToWorldX(x));
            const float fx = static_cast<float>(x), w = 1.5f * ratio;
            notes.rects.push_back({fx - w - ratio, 0.0f, fx + w + ratio, float(view.height), {31, 41, 55, 160}});
            notes.rects.push_back({fx - w, 0.0f, fx + w, float(view.height), {255, 255, 255, 255}});
        }
        if (!notes.rects.empty() || !notes.triangles.empty() || !notes.texts.empty()) {
            if (!renderer_.labels().prepare({}, ratio))  // the overlay draws with the font atlas's white texel
                throw geo::IoError("", "", "no font for the map overlay (install fonts-noto-cjk)");
            if (hasOverlay_) overlay_.below.push_back(std::move(notes));
            else overlay_ = std::move(notes);
            hasOverlay_ = true;
        }
    }
    credits_ = creditsText(project, scene, spec_.crs);
    for (size_t i = 0; i < project.layers.size(); ++i) {
        const geo::ProjectLayer& l = project.layers[i];
        const bool drawn = (spec_.onlyLayer >= 0 ? static_cast<int>(i) == spec_.onlyLayer : l.visible) &&
                           l.visibleAtScale(scale);
        if (drawn) provenance_.push_back({l.name, geo::redactConnection(l.source), l.layer, modifiedUnix(l.source)});
    }
    for (size_t i = 0; i < items_.size(); ++i) {
        const SceneLayer* s = items_[i].raster ? scene.find(items_[i].layer) : nullptr;
        const geo::ProjectLayer* l = s ? project.findLayer(items_[i].layer) : nullptr;
        // Anything coarser than the output's pixels (or the source's own, when they are coarser) is read anew:
        // print has no "close enough" (the viewer's 1.5x leeway would blur a 1-px line).
        const double wanted = std::max(view.resolution, s ? s->rasterSourceResolution : 0.0);
        if (l && s->rasterResolution > 1.01 * wanted) tileRasters_.push_back({i, l->source, s->displayExtent});
    }
    writer_ = std::make_unique<geo::TiledImageWriter>(spec_.path, spec_.format, view.width, view.height,
                                                      geo::geoTransform(view), spec_.crs, spec_.dpi);
    const int t = spec_.tileSize;
    total_ = size_t((view.width + t - 1) / t) * size_t((view.height + t - 1) / t);
}

ExportJob::~ExportJob() {
    if (writing_.joinable()) writing_.join();
}

void ExportJob::waitForWrite() {
    if (writing_.joinable()) writing_.join();
    if (writeError_) std::rethrow_exception(std::exchange(writeError_, nullptr));
}

bool ExportJob::step() {
    const geo::View& view = spec_.view;
    const int tile = spec_.tileSize;
    if (nextY_ >= view.height) return false;
    const int tw = std::min(tile, view.width - nextX_), th = std::min(tile, view.height - nextY_);
    const float ratio = static_cast<float>(spec_.dpi / geo::kScreenDpi);
    std::vector<uint8_t> pixels;
    std::vector<DrawItem> tileItems = items_;
    // (GDAL reads the rasters here: not while the writer's thread has GDAL write the last tile.)
    if (!tileRasters_.empty()) waitForWrite();
    readTileRasters(nextX_, nextY_, tw, th, tileItems);
    renderer_.renderTile(target_, view, tileItems, spec_.background, ratio, plan_, hasOverlay_ ? &overlay_ : nullptr,
                         nextX_, nextY_, tw, th, pixels);
    waitForWrite();
    writePixels_ = std::move(pixels);
    const int x = nextX_, y = nextY_;
    try {
        writing_ = std::thread([this, x, y, tw, th] {
            try {
                writer_->writeTile(x, y, tw, th, writePixels_);
            } catch (...) {
                writeError_ = std::current_exception();
            }
        });
    } catch (const std::system_error&) {  // no thread to be had: written here
        writer_->writeTile(x, y, tw, th, writePixels_);
    }
    ++done_;
    nextX_ += tile;
    if (nextX_ >= view.width) {
        nextX_ = 0;
        nextY_ += tile;
    }
    return nextY_ < view.height;
}

// The tile's pixels (and two more each side, so bilinear sampling at its edges matches the next tile's), on the
// output's own pixel grid: the texels land on the output pixels one to one.
void ExportJob::readTileRasters(int x, int y, int w, int h, std::vector<DrawItem>& items) const {
    const geo::View& view = spec_.view;
    const geo::BBox e = view.extent();
    const double res = view.resolution;
    constexpr int kMargin = 2;
    for (const TileRaster& r : tileRasters_) {
        // Whole output pixels of the tile (with margin) that meet the raster.
        const int x0 = std::max(x - kMargin, static_cast<int>(std::floor((r.extent.minX - e.minX) / res)));
        const int x1 = std::min(x + w + kMargin, static_cast<int>(std::ceil((r.extent.maxX - e.minX) / res)));
        const int y0 = std::max(y - kMargin, static_cast<int>(std::floor((e.maxY - r.extent.maxY) / res)));
        const int y1 = std::min(y + h + kMargin, static_cast<int>(std::ceil((e.maxY - r.extent.minY) / res)));
        if (x1 <= x0 || y1 <= y0) continue;
        geo::BBox window;
        window.add(e.minX + x0 * res, e.maxY - y1 * res);
        window.add(e.minX + x1 * res, e.maxY - y0 * res);
        const geo::RasterImage image = geo::readRaster(r.source, spec_.crs, window, x1 - x0, y1 - y0, nullptr);
        items[r.item].raster = std::make_shared<GpuRasterLayer>(image);
        items[r.item].rasterDetail.reset();
    }
}

void ExportJob::finish() {
    waitForWrite();
    writePixels_ = {};
    writer_->finish();
    geo::writeFileAtomically(fs::path(spec_.path).replace_extension(".json").string(), provenanceJson(spec_, provenance_, credits_));
}

void ExportJob::run() {
    while (step()) {
    }
    finish();
}

std::string provenanceJson(const ExportSpec& spec, const std::vector<ProvenanceLayer>& layers, const std::string& credits) {
    const geo::BBox e = spec.view.extent();
    nlohmann::ordered_json side = {{"file", fs::path(spec.path).filename().string()},
                                   {"project", spec.projectPath.empty() ? "" : fs::absolute(spec.projectPath).string()},
                                   {"crs", spec.crs.id()},
                                   {"size", {spec.view.width, spec.view.height}},
                                   {"dpi", spec.dpi},
                                   {"extent", {e.minX, e.minY, e.maxX, e.maxY}},
                                   {"credits", credits},
                                   {"planatlas_version", PLANATLAS_VERSION}};
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& l : layers)
        list.push_back({{"name", l.name},
                        {"source", geo::redactConnection(l.source)},  // a PG: source never carries its password
                        {"layer", l.layer},
                        {"modified_unix", l.modifiedUnix}});
    side["layers"] = list;
    return side.dump(2) + "\n";
}

}  // namespace app::render

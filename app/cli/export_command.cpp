// [SECTION] Arguments and the list of maps to export
// [SECTION] Decorations (title, legend, scale bar, north arrow, credits, date, CRS)
// [SECTION] Rendering each map in tiles into the output file, with a provenance sidecar
#include "cli/export_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "export/page.hpp"
#include "export/tiled_writer.hpp"
#include "platform/egl_context.hpp"
#include "platform/paths.hpp"
#include "render/layer_slot.hpp"
#include "render/decorations.hpp"
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

}  // namespace

int runExport(int argc, char** argv) {
    return runCommand("export", [&]() -> int {
        Args args(argc, argv, 2);
        auto projectPath = args.take("--project");
        auto bookmark = args.take("--bookmark");
        auto slide = args.take("--slide");
        auto slides = args.take("--slides");
        auto bookmarks = args.take("--bookmarks");
        auto bboxText = args.take("--bbox");
        auto bboxCrsText = args.take("--bbox-crs");
        auto crsText = args.take("--crs");
        auto sizeText = args.take("--size");
        auto paper = args.take("--paper");
        auto dpiText = args.take("--dpi");
        auto orientation = args.take("--orientation");
        auto formatText = args.take("--format");
        auto out = args.take("--out");
        auto layerList = args.take("--layers");
        bool perLayer = args.flag("--per-layer");
        bool noDecorations = args.flag("--no-decorations");
        auto decorationList = args.take("--decorations");
        render::DecorationSet decorationSet;
        if (decorationList && !render::parseDecorations(*decorationList, decorationSet))
            throw UsageError("--decorations takes a list of title,legend,scalebar,north,credits,date,crs");
        if (noDecorations) decorationSet = render::DecorationSet::none();
        args.rest();

        if (!out) throw UsageError("--out is required");
        if (sizeText && paper) throw UsageError("--size and --paper exclude each other");
        if (!sizeText && !paper) throw UsageError("give --size WxH or --paper A4|A3|A2|A1|A0 --dpi N");
        int views = !!bookmark + !!slide + !!slides + !!bookmarks + !!bboxText;
        if (views > 1) throw UsageError("give one of --bookmark, --slide, --slides all, --bookmarks all, --bbox");
        if (slides && *slides != "all") throw UsageError("--slides takes 'all'");
        if (bookmarks && *bookmarks != "all") throw UsageError("--bookmarks takes 'all'");
        if (orientation && *orientation != "landscape" && *orientation != "portrait")
            throw UsageError("--orientation is landscape or portrait");
        double dpi = geo::kScreenDpi;
        if (dpiText) {
            char* end = nullptr;
            dpi = std::strtod(dpiText->c_str(), &end);
            if (*end || !(dpi >= 10 && dpi <= 2400)) throw UsageError("--dpi must be a number 10..2400");
        }
        int width = 0, height = 0;
        if (sizeText) parseSize(*sizeText, width, height);
        if (paper) {
            auto px = geo::paperPixels(*paper, dpi, orientation && *orientation == "landscape");
            if (!px) throw UsageError("--paper must be A0, A1, A2, A3 or A4");
            width = (*px)[0];
            height = (*px)[1];
        }
        std::string format = formatText.value_or("");
        if (format.empty()) {
            std::string ext = fs::path(*out).extension().string();
            format = ext == ".tif" || ext == ".tiff" ? "tif" : ext == ".pdf" ? "pdf" : "png";
        }
        if (format != "png" && format != "tif" && format != "pdf") throw UsageError("--format is png, tif or pdf");
        const bool batch = slides || bookmarks || perLayer;
        if (perLayer && format != "png") throw UsageError("--per-layer writes transparent PNGs: use --format png");
        if (bboxCrsText && !bboxText) throw UsageError("--bbox-crs needs --bbox");

        const std::string path = projectPath.value_or(platform::defaultProjectPath());
        geo::Project project = geo::loadProject(path);
        std::string crsDefinition = crsText ? *crsText : project.displayCrs;
        if (bookmark && !crsText)  // a bookmark carries its display CRS
            for (const auto& b : project.bookmarks)
                if (b.name == *bookmark && !b.crs.empty()) crsDefinition = b.crs;
        geo::Crs crs = geo::Crs::fromUser(crsDefinition);
        if (batch) {
            std::error_code ec;
            fs::create_directories(*out, ec);
            if (ec || !fs::is_directory(*out)) throw geo::IoError(*out, "", "cannot create the output directory");
        }

        // [SECTION] the list of maps
        std::vector<MapJob> jobs;
        auto findBookmark = [&](const std::string& name) -> const geo::Bookmark& {
            for (const auto& b : project.bookmarks)
                if (b.name == name) return b;
            throw geo::FormatError(path, "", "no bookmark named '" + name + "'");
        };
        if (bookmark) {
            const auto& b = findBookmark(*bookmark);
            jobs.push_back({"map", b.name, b.view, {}, nullptr});
        } else if (bookmarks) {
            for (size_t i = 0; i < project.bookmarks.size(); ++i)
                jobs.push_back({"bookmark_" + twoDigits(i + 1), project.bookmarks[i].name, project.bookmarks[i].view, {}, nullptr});
            if (jobs.empty()) throw geo::FormatError(path, "", "the project has no bookmarks");
        } else if (slide || slides) {
            size_t first = 0, last = project.slides.size();
            if (slide) {
                char* end = nullptr;
                long n = std::strtol(slide->c_str(), &end, 10);
                if (*end || n < 1 || static_cast<size_t>(n) > project.slides.size())
                    throw UsageError("--slide must be 1.." + std::to_string(project.slides.size()));
                first = static_cast<size_t>(n - 1);
                last = first + 1;
            }
            for (size_t i = first; i < last; ++i)
                jobs.push_back({"slide_" + twoDigits(i + 1), project.slides[i].title, project.slides[i].view, {},
                                &project.slides[i]});
            if (jobs.empty()) throw geo::FormatError(path, "", "the project has no slides");
        } else if (bboxText) {
            geo::BBox b = parseBBox(*bboxText);
            geo::Crs bc = bboxCrsText ? geo::Crs::fromUser(*bboxCrsText) : crs;
            MapJob j{"map", project.title, {}, geo::transformBox(b, geo::Transformer(bc, crs)), nullptr};
            jobs.push_back(j);
        } else {
            jobs.push_back({"map", project.title, project.view, {}, nullptr});
        }

        platform::EglContext context;
        std::vector<std::unique_ptr<render::LayerSlot>> slots;
        std::vector<std::string> only = layerList ? splitList(*layerList) : std::vector<std::string>{};
        for (auto& l : project.layers) {
            auto s = std::make_unique<render::LayerSlot>();
            s->config = l;
            if (!only.empty()) s->config.visible = std::find(only.begin(), only.end(), l.name) != only.end();
            slots.push_back(std::move(s));
        }
        for (const auto& name : only)
            if (std::none_of(project.layers.begin(), project.layers.end(), [&](auto& l) { return l.name == name; }))
                throw UsageError("--layers: no layer named '" + name + "'");
        auto failures = render::loadAllSync(slots, crs);
        for (const auto& f : failures) std::fprintf(stderr, "planatlas export: error: %s\n", f.c_str());
        if (!failures.empty()) {
            std::fprintf(stderr, "planatlas export: nothing written: %zu layer(s) could not be drawn\n", failures.size());
            return 1;
        }

        render::MapRenderer renderer;
        const float ratio = static_cast<float>(dpi / geo::kScreenDpi);
        geo::Transformer toWgs(crs, geo::Crs::wgs84());
        geo::Transformer fromWgs(geo::Crs::wgs84(), crs);
        const geo::ExportFormat fmt = format == "tif" ? geo::ExportFormat::GeoTiff
                                      : format == "pdf" ? geo::ExportFormat::Pdf
                                                        : geo::ExportFormat::Png;
        size_t written = 0;
        for (const MapJob& job : jobs) {
            // [SECTION] the map frame: the same map at any pixel density
            int catalog = -1;
            for (size_t i = 0; i < slots.size(); ++i)
                if (slots[i]->catalog) catalog = static_cast<int>(i);
            geo::BBox fit = job.fit;
            if (job.slide) {
                for (auto& s : slots)
                    if (!job.slide->visibleLayers.empty())
                        s->config.visible = std::find(job.slide->visibleLayers.begin(), job.slide->visibleLayers.end(),
                                                      s->config.name) != job.slide->visibleLayers.end();
                if (catalog >= 0) {
                    slots[catalog]->spotlightProjects(job.slide->highlight);
                    geo::BBox b = slots[catalog]->projectsBox(job.slide->fitProjects);
                    if (!b.empty()) fit = geo::transformBox(b, geo::Transformer(slots[catalog]->vectorData->source.crs, crs));
                }
            }
            geo::View view;
            view.width = width;
            view.height = height;
            if (!fit.empty() && (fit.width() > 0 || fit.height() > 0)) {
                view.fit(fit, job.slide ? 0.12 : 0.0);
            } else {
                double c[2] = {job.view.lon, job.view.lat};
                if (!fit.empty()) c[0] = fit.centerX(), c[1] = fit.centerY();
                else fromWgs.transform(c, 1);
                view.centerX = c[0];
                view.centerY = c[1];
                view.resolution = 1;
                double scale = job.view.scale > 0 ? job.view.scale : 5000;
                // Scale 1:N on paper at `dpi`: a pixel is 0.0254/dpi m on paper, N times that on the ground.
                geo::setScale(view, toWgs, scale, 0.0254 / dpi);
                geo::setScale(view, toWgs, scale, 0.0254 / dpi);
            }
            if (job.view.scale <= 0 && fit.empty()) {
                view.fit(render::combinedExtent(slots, true), 0.02);
            }

            // Labels are placed once for the composite; a per-layer image keeps its own layer's labels at the
            // same places, so the stack adds up to the composite.
            const render::LabelPlan composite = renderer.planLabels(view, render::collectLabels(slots, view, crs), ratio);
            auto renderOne = [&](const std::string& file, const std::vector<render::DrawItem>& items, geo::Rgba bg,
                                 int onlyLayer, bool withDecorations) {
                render::LabelPlan plan = composite;
                if (onlyLayer >= 0) {
                    plan.placed.clear();
                    for (const auto& p : composite.placed)
                        if (static_cast<int>(composite.requests[p.candidate].layer) == onlyLayer) plan.placed.push_back(p);
                }
                render::Overlay overlay;
                if (withDecorations) overlay = render::decorations(job.title, slots, view, crs, ratio, renderer.labels(), decorationSet);
                geo::TiledImageWriter writer(file, fmt, width, height, geo::geoTransform(view), crs, dpi);
                renderer.renderTiles(view, items, bg, ratio, kTile, plan, withDecorations ? &overlay : nullptr,
                                     [&](int x, int y, int w, int h, const std::vector<uint8_t>& px) {
                                         writer.writeTile(x, y, w, h, px);
                                     });
                writer.finish();
                if (onlyLayer < 0 && plan.dropped())
                    std::fprintf(stderr, "planatlas export: %s: %zu of %zu labels left out for lack of room\n",
                                 file.c_str(), plan.dropped(), plan.requests.size());
                // Provenance sidecar: where the picture came from.
                nlohmann::ordered_json side = {{"file", fs::path(file).filename().string()},
                                               {"project", fs::absolute(path).string()},
                                               {"crs", crs.id()},
                                               {"size", {width, height}},
                                               {"dpi", dpi},
                                               {"extent", {view.extent().minX, view.extent().minY, view.extent().maxX, view.extent().maxY}},
                                               {"planatlas_version", PLANATLAS_VERSION}};
                nlohmann::ordered_json layers = nlohmann::ordered_json::array();
                for (const auto& s : slots) {
                    if (!s->config.visible) continue;
                    std::error_code ec;
                    auto t = fs::last_write_time(s->config.source, ec);
                    long long mtime = ec ? 0
                                         : std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::file_clock::to_sys(t).time_since_epoch())
                                               .count();
                    layers.push_back({{"name", s->config.name}, {"source", s->config.source}, {"layer", s->config.layer},
                                      {"modified_unix", mtime}});
                }
                side["layers"] = layers;
                geo::writeFileAtomically(fs::path(file).replace_extension(".json").string(), side.dump(2) + "\n");
                ++written;
            };

            const std::string ext = format == "tif" ? ".tif" : format == "pdf" ? ".pdf" : ".png";
            if (perLayer) {
                for (size_t i = 0; i < slots.size(); ++i) {
                    if (!slots[i]->drawable()) continue;
                    std::string file = (fs::path(*out) / (job.name + "_layer_" + twoDigits(i + 1) + ext)).string();
                    renderOne(file, {slots[i]->drawItem()}, geo::Rgba{0, 0, 0, 0}, static_cast<int>(i), false);
                }
            } else {
                std::string file = batch ? (fs::path(*out) / (job.name + ext)).string() : *out;
                renderOne(file, render::drawItems(slots), geo::Rgba{214, 230, 242, 255}, -1, !noDecorations);
            }
        }
        std::fprintf(stderr, "planatlas export: %zu file(s) written\n", written);
        return 0;
    });
}

}  // namespace app::cli

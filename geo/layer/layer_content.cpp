#include <filesystem>
#include <optional>
#include <cctype>
#include "layer/layer_content.hpp"

#include "core/error.hpp"
#include "source/remote_source.hpp"
#include "source/postgis.hpp"
#include "layer/shared_layers.hpp"
#include "paint/vector_paint.hpp"
#include "layer/source_style.hpp"
#include "source/cad.hpp"
#include "style/style.hpp"

namespace geo {

bool isRasterLayer(const ProjectLayer& layer) {
    if (layer.layer == "raster") return true;
    if (!layer.layer.empty()) return false;
    auto layers = listLayersShared(layer.source);  // once per file, however many layers name it
    return layers.size() == 1 && layers[0].raster;
}

bool isTileLayer(const ProjectLayer& layer) {
    if (isTileSourceString(layer.source)) return true;
    return layer.layer != "raster" && !layer.layer.empty() && isGpkgTiles(layer.source, layer.layer);
}

TileSourceSpec tileSpecOf(const ProjectLayer& layer) {
    TileSourceSpec spec;
    spec.source = layer.source;
    spec.options = layer.options.tiles;
    spec.gcj02 = layer.options.datum == "gcj02";
    std::string l = layer.source;
    for (char& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
    auto ends = [&](const char* suf) {
        std::string s(suf);
        return l.size() >= s.size() && l.compare(l.size() - s.size(), s.size(), s) == 0;
    };
    bool url = l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0;
    // A template first: a WMTS GetTile template (Tianditu's "...wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIX={z}
    // &TILEROW={y}&TILECOL={x}") names SERVICE=WMTS too, but is fetched tile by tile, not read as capabilities.
    bool xyz = l.find("{z}") != std::string::npos && l.find("{x}") != std::string::npos &&
               (l.find("{y}") != std::string::npos || l.find("{-y}") != std::string::npos);
    if (url && xyz)
        spec.kind = TileKind::Xyz;
    else if (l.rfind("wmts:", 0) == 0 ||
             (url && (l.find("service=wmts") != std::string::npos || l.find("wmtscapabilities.xml") != std::string::npos)))
        spec.kind = TileKind::Wmts;
    else if (!url && ends(".mbtiles"))
        spec.kind = TileKind::MBTiles;
    else if (!url && ends(".gpkg")) {
        spec.kind = TileKind::GpkgTiles;
        spec.table = layer.layer;
    } else
        spec.kind = TileKind::Xyz;
    return spec;
}

LayerContent loadLayerContent(const ProjectLayer& layer, const Crs& display, JobProgress* progress,
                              RasterLoad rasters, bool paintOnly) {
    LayerContent out;
    if (isTileLayer(layer)) {
        TileSourceSpec spec = tileSpecOf(layer);
        if (progress) progress->set(0.0f, "opening tile source");
        TileContent tc;
        tc.provider = TileProvider::open(spec, tileEnvironment(), progress ? progress->cancelFlag() : nullptr);
        tc.gcj02 = spec.gcj02;
        out.value = std::move(tc);
        return out;
    }
    if (isRasterLayer(layer)) {
        // Over the network, an overview: the view's window is read at screen resolution when zoomed in.
        const int side = isNetworkPath(layer.source) ? kNetworkRasterMaxPixels : kRasterMaxPixels;
        RasterImage image = rasters == RasterLoad::Footprint
                                ? rasterFootprint(layer.source, display)
                                : readRaster(layer.source, display, BBox{}, side, side, progress);
        out.warnings = image.warnings;
        out.value = std::move(image);
        return out;
    }
    VectorContent vc;
    // One read per source and options, however many layers show it (layer/shared_layers.hpp).
    // (Per-feature symbols are never painted, whatever the table: then the triangles are always needed.)
    const Triangles triangles =
        paintOnly && !hasPerFeatureSymbology(layer.style) ? Triangles::UnlessPaintable : Triangles::Always;
    // Reprojected while it is tessellated, where the load does both (a failure is met again below, and reported).
    std::optional<DisplayGeometry> early;
    LoadTimings earlyTimings;
    auto reproject = [&](const VectorLayerData& d) {
        try {
            early = reprojectLayer(d, display, nullptr, &earlyTimings);
        } catch (...) {
        }
    };
    vc.data = loadSharedVectorLayer(layer.source, layer.layer, progress, &out.timings, layer.options, triangles, reproject);
    try {
        if (early) {
            vc.geometry = std::move(*early);
            out.timings.reprojectSeconds = earlyTimings.reprojectSeconds;
        } else if (paintOnly && canPaint(layer.style, vc.data->source.table) &&
                   Transformer(vc.data->source.crs, display).identity()) {
            vc.geometry = sourceGeometry(*vc.data, display);  // the painter reads the table's own vertices
        } else if (std::optional<DisplayGeometry> g;
                   paintOnly && canPaint(layer.style, vc.data->source.table) && (g = gridGeometry(*vc.data, display))) {
            vc.geometry = std::move(*g);  // the painter reads them through the reprojection's grid
        } else {
            vc.geometry = reprojectLayer(*vc.data, display, progress, &out.timings);
        }
    } catch (const CrsError& e) {
        throw CrsError(redactConnection(layer.source), vc.data->source.layerName, e.what());
    }
    out.warnings = vc.data->source.warnings;
    if (vc.geometry.failedVertices)
        out.warnings.push_back(std::to_string(vc.geometry.failedVertices) + " vertices could not be transformed to " +
                               display.id() + " and are not drawn");
    out.value = std::move(vc);
    return out;
}

}  // namespace geo

namespace geo {
namespace {
// A drawing's CAD layers told apart by colour (DXF: one GDAL layer with a "Layer" field; DWG: one GDAL layer per
// CAD layer, already coloured apart), and its TEXT/MTEXT as labels.
void styleCadLayer(Style& style, const std::string& path) {
    style.labelField = cadTextField(path);
    std::vector<std::string> layers = cadLayerNames(path);
    if (layers.empty()) return;
    FeatureTable names;
    names.columns.emplace_back("Layer", ColumnType::Text);
    for (const std::string& n : layers) names.columns[0].pushText(n);
    categorize(style, names, "Layer");
}
}  // namespace

std::vector<ProjectLayer> layersFromSource(const std::string& pathSpec, size_t firstIndex) {
    if (isTileSourceString(pathSpec)) {
        // One basemap layer, named by its host or file; opened (and checked) when it loads.
        ProjectLayer l;
        l.source = pathSpec;
        std::string host = urlHost(pathSpec.rfind("WMTS:", 0) == 0 || pathSpec.rfind("wmts:", 0) == 0 ? pathSpec.substr(5) : pathSpec);
        l.name = host.empty() ? std::filesystem::path(pathSpec).stem().string() : host;
        (void)firstIndex;
        return {l};
    }
    std::string path = pathSpec, only;
    size_t at = pathSpec.rfind('@');
    if (at != std::string::npos && at > 0 && pathSpec.find('/', at) == std::string::npos) {
        path = pathSpec.substr(0, at);
        only = pathSpec.substr(at + 1);
    }
    std::vector<ProjectLayer> out;
    for (const SourceLayerInfo& info : listLayers(path)) {
        if (!only.empty() && info.name != only) continue;
        ProjectLayer l;
        l.source = path;
        l.layer = info.name;
        size_t slash = path.find_last_of('/');
        std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
        l.name = info.raster ? file : info.name;
        l.style = defaultStyle(firstIndex + out.size());
        if (!info.raster && isCadPath(path)) styleCadLayer(l.style, path);
        if (!info.raster && isKmlPath(path)) applyKmlStyle(l.style, path, info.name);
        out.push_back(l);
    }
    if (out.empty())
        throw FormatError(redactConnection(path),
                          only,
                          isDatabaseSource(path) ? "no such table or view with geometry in the database"
                                                 : "no such layer in the file");
    return out;
}
}  // namespace geo

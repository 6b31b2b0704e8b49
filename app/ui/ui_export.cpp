#include "ui/ui_export.hpp"

#include <algorithm>
#include <filesystem>

#include "export/page.hpp"

namespace app::ui {

int exportFormatOf(const UiExportSettings& s) {
    const std::string ext = std::filesystem::path(s.path).extension().string();
    if (ext == ".tif" || ext == ".tiff") return 1;
    if (ext == ".pdf") return 2;
    if (ext == ".png") return 0;
    return s.format;
}

render::ExportSpec exportSpecForScreen(const Document& doc, const geo::View& screen, float pixelRatio,
                                       const UiExportSettings& settings) {
    render::ExportSpec spec;
    spec.view = screen;
    spec.view.width = settings.width;
    spec.view.height = settings.height;
    spec.view.fit(screen.extent(), 0.0);
    spec.dpi = geo::kScreenDpi * std::max(1.0, double(spec.view.width) / std::max(1, screen.width)) * pixelRatio;
    const int format = exportFormatOf(settings);
    spec.format = format == 1 ? geo::ExportFormat::GeoTiff : format == 2 ? geo::ExportFormat::Pdf : geo::ExportFormat::Png;
    spec.path = settings.path;
    spec.crs = doc.displayCrs();
    spec.title = doc.project().title;
    spec.decorations = settings.decorations ? render::DecorationSet{} : render::DecorationSet::none();
    spec.projectPath = doc.path();
    spec.tileSize = 1024;  // small enough that one tile keeps a frame short
    return spec;
}

}  // namespace app::ui

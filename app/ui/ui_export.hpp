#pragma once
// File > Export: the settings of the export dialog turned into the export pipeline's spec (no window needed, so
// tests check that the UI writes what `planatlas export` writes for the same frame).
#include <string>

#include "render/export_pipeline.hpp"
#include "ui/document.hpp"

namespace app::ui {

struct UiExportSettings {
    std::string path;
    int format = 0;  // radio buttons: png, tif, pdf; the file name's extension wins when it names a format
    int width = 3840, height = 2160;
    bool decorations = true;
};

// The format the dialog will write: from the extension when it names one, else the radio button.
int exportFormatOf(const UiExportSettings& s);

// The current view `screen` (framebuffer pixels, `pixelRatio` on HiDPI) at the dialog's size: the same map at a
// higher pixel density (dpi grows with the size), with the project's title, CRS, path and decorations.
render::ExportSpec exportSpecForScreen(const Document& doc, const geo::View& screen, float pixelRatio,
                                       const UiExportSettings& settings);

}  // namespace app::ui

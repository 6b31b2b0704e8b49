#pragma once
namespace app::cli {
// `planatlas export ...`: headless, tiled, georeferenced snapshot export (PNG + world file, GeoTIFF, PDF), single
// views or batches of slides/bookmarks, per-layer stacks, decorations. Returns the process exit code.
int runExport(int argc, char** argv);
}  // namespace app::cli

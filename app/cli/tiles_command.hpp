#pragma once
namespace app::cli {
// `planatlas tiles pack|key ...`: offline basemap packs (MBTiles) and basemap access keys. Returns the exit code.
int runTiles(int argc, char** argv);
}  // namespace app::cli

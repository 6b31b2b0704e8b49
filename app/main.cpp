// planatlas: the viewer (default), `render` (headless PNG). See README.md for the commands.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cli/render_command.hpp"
#include "cli/tiles_command.hpp"
#include "cli/story_command.hpp"
#include "cli/export_command.hpp"
#include "cli/analyze_command.hpp"
#include "ui/viewer.hpp"

namespace {

constexpr const char* kHelp = R"(Plan Atlas - a map viewer for Pingshan's plan projects

usage:
  planatlas --version | --help
  planatlas [FILE.atlas.json | --project FILE.atlas.json] [LAYER ...] [--select PROJECT_ID] [--frames N]
            [--screenshot OUT.png] [--present-demo] [--export FILE] [--tools-demo OUT.atlas.json]
      Opens the viewer (default: the bundled Pingshan project). A lone FILE.atlas.json (what the desktop entry
      passes for a double-clicked project) is the same as --project FILE.atlas.json. LAYER is any GDAL file;
      PATH@NAME picks one layer of a multi-layer file. --select flies to a catalog project (e.g. N01) and opens
      its card.
      --frames N quits after N frames once loading is done (smoke tests); --screenshot saves the last one;
      --present-demo enters presentation mode, steps through every slide and leaves (smoke tests);
      --export FILE.tif|png|pdf runs File > Export map on the opening view (smoke tests).
      --tools-demo OUT.atlas.json drives the planning tools (measure, markup, lasso, swipe, timeline, conflict
      check) and saves the project there (smoke tests).
      --autosave-demo wait|exit, --recovery-answer restore|discard, --reach-answer allow|deny, --save-as FILE:
      an unsaved edit autosaved, the recovery and reach prompts answered, the project saved at the end (smoke
      tests).
      Keys: F5 present, Esc leave / clear selection, arrows and +/- navigate, Home zoom to all, Ctrl+S save.
      Unsaved changes are autosaved every 30 s to $XDG_STATE_HOME/planatlas (~/.local/state/planatlas); after a
      crash the next start offers to restore them.
  planatlas --recover [--project FILE.atlas.json] | planatlas --recover --list
      Opens the newest autosaved recovery (of FILE when given) in the viewer; --list prints the recovery files
      (time, project, running|recoverable, title, file) and exits.
  --offline (viewer, render, export, analyze): refuse every network source (/vsicurl/, http(s), PG:, tile URLs)
      with an error naming them, before anything is contacted. Without it, render/export/analyze name on stderr
      each host they contact, and the viewer asks before opening a project that reaches the network or files
      outside its folder.
  planatlas render [--project FILE] [LAYER ...] --out OUT.png [--size WxH] [--bbox minx,miny,maxx,maxy]
                   [--bbox-crs EPSG:N] [--crs EPSG:N] [--fill '#RRGGBB'] [--stroke '#RRGGBB'|none]
                   [--stroke-width PX] [--background '#RRGGBB'] [--timings] [--allow-missing-tiles]
      Renders headless (EGL, no X server) to a PNG. --bbox is in --bbox-crs (default: the display CRS) and
      defaults to all layers' extent; --crs is the display CRS (default: the project's, else EPSG:3857).
      LAYER may be a tile basemap: an XYZ/TMS URL template ('https://host/{z}/{x}/{y}.png', {-y} {s} {r}
      {key}), WMTS:CAPABILITIES-URL, or FILE.mbtiles. Tiles come at the output's resolution from the cache in
      $XDG_CACHE_HOME/planatlas/tiles or the network; tiles that can be neither fetched nor found in the cache
      are an error (exit 1) unless --allow-missing-tiles (export takes it too). --offline: cached tiles only.

  planatlas story --project FILE [--dossiers ID,ID,...] [--language zh|en|both] [--out FILE]
      Generates slides from the project's plan-project catalog (a title slide, one per plan section, one dossier
      per listed project) in the project's language (--language sets it: zh, en or both) and saves them into
      the project (atomically; --out writes elsewhere).

  planatlas export --project FILE [--bookmark NAME | --slide N | --slides all | --bookmarks all |
                   --bbox minx,miny,maxx,maxy [--bbox-crs EPSG:N]] [--crs EPSG:N]
                   (--size WxH [--dpi N] | --paper A4|A3|A2|A1|A0 --dpi N [--orientation landscape])
                   [--format png|tif|pdf] --out PATH [--layers a,b,c] [--per-layer] [--no-decorations]
                   [--decorations title,legend,scalebar,north,credits,date,crs]
      Georeferenced snapshot (PNG + .pgw/.prj, GeoTIFF, PDF), rendered in tiles so any size fits in memory.
      Without a view option: the project's saved view. --slides all, --bookmarks all, --per-layer: --out is a
      directory (numbered files, a provenance .json beside each).

  planatlas tiles pack (SOURCE | --project FILE [--layer NAME]) --bbox minlon,minlat,maxlon,maxlat --zooms Z0-Z1
                   --out FILE.mbtiles [--name NAME]
      Packs a basemap's tiles into an MBTiles file for offline use (prints the count and size first, resumes an
      interrupted pack). Refuses sources whose terms forbid bulk download (OpenStreetMap's tile servers).
  planatlas tiles key HOST KEY | tiles key --remove HOST | tiles key --list
      Keeps a basemap access key (e.g. Tianditu's tk) for HOST and its subdomains in the user's settings
      (mode 0600); templates say {key} where it goes. Keys never enter project files or exports.

  planatlas analyze overlap --project FILE [--layer NAME] --against FILE[@LAYER] [--against ...]
                            --out REPORT.csv|xlsx
      Conflict lens: for each polygon of the project layer NAME (default: the plan-project catalog), its area and
      its overlap (m², %) with each constraint layer, planar in EPSG:4547 (CGCS2000 / 3-degree GK CM 114E).
      Invalid polygons are repaired (make-valid) and counted; overlapping constraint polygons count once.
      Columns: id,name_zh,area_m2,overlap_m2,overlap_pct (with several --against, one overlap_m2_<layer>,
      overlap_pct_<layer> pair each; <layer> is LAYER or the file name without extension).

exit codes: 0 success, 1 error (unreadable data, bad CRS, failed write), 2 bad arguments
)";

char kProjectFlag[] = "--project";  // not const: runViewer takes char**, as main does

bool endsWith(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// The viewer's arguments with a lone positional project file turned into --project FILE: the desktop entry runs
// `planatlas %f`, which must also work when started from the menu with no file (then %f expands to nothing).
std::vector<char*> viewerArgs(int argc, char** argv) {
    std::vector<char*> out(argv, argv + argc);
    int projectAt = -1;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--project" || a.rfind("--project=", 0) == 0) return out;
        if (a == "--frames" || a == "--screenshot" || a == "--select" || a == "--export" || a == "--tools-demo" ||
            a == "--save-as" || a == "--recovery-answer" || a == "--reach-answer" || a == "--autosave-demo") {
            ++i;  // an option's value is not the project, even when it names an .atlas.json (--tools-demo saves there)
            continue;
        }
        if (endsWith(a, ".atlas.json") && a[0] != '-') {
            if (projectAt >= 0) return out;  // two project files: leave it to the viewer to report
            projectAt = i;
        }
    }
    if (projectAt < 0) return out;
    out.erase(out.begin() + projectAt);
    out.insert(out.begin() + 1, {kProjectFlag, argv[projectAt]});
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("planatlas %s\n", PLANATLAS_VERSION);
        return 0;
    }
    if (argc > 1 && std::strcmp(argv[1], "render") == 0) return app::cli::runRender(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "story") == 0) return app::cli::runStory(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "export") == 0) return app::cli::runExport(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "analyze") == 0) return app::cli::runAnalyze(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "tiles") == 0) return app::cli::runTiles(argc, argv);
    std::vector<char*> args = viewerArgs(argc, argv);
    args.push_back(nullptr);  // argv[argc] is a null pointer, as for main's own argv
    return app::ui::runViewer(static_cast<int>(args.size()) - 1, args.data());
}

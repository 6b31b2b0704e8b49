#!/usr/bin/env bash
# Starts the real viewer under Xvfb on the default project plus one extra layer, runs frames until every layer
# has loaded, saves a screenshot and exits; then checks the screenshot shows the map (Pingshan's outline colour).
# Usage: gui_smoke.sh PLANATLAS_BINARY SCRATCH_DIR EXTRA_LAYER
set -eu
bin=$1
dir=$2
extra=$3
rm -rf "$dir" && mkdir -p "$dir"
export XDG_CONFIG_HOME="$dir/config"  # the viewer writes its settings there, not in the tester's ~/.config
# The window opens at the layout's design size, 1600x1000; the default layout, in Chinese and in English.
LANG=zh_CN.UTF-8 xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" --frames 60 --screenshot "$dir/shot.png" "$extra" 2>"$dir/err"
LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" --frames 30 --screenshot "$dir/english.png" 2>>"$dir/err"
# Selecting a project from the command line flies to it and draws the selection overlay (#0096ff).
xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" --frames 30 --select N01 --screenshot "$dir/select.png" 2>>"$dir/err"
# Presentation mode: enter (F5's path), step through every slide, leave (Esc's path), exit 0. The screenshot is
# taken on slide 2: full screen, panels and status bar hidden.
xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --frames 10 --present-demo --screenshot "$dir/present.png" 2>>"$dir/err"
# Export from the UI (File > Export map): tiled one tile per frame, georeferenced GeoTIFF.
xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --frames 5 --export "$dir/ui_export.tif" 2>>"$dir/err"
gdalinfo "$dir/ui_export.tif" | grep -q "Size is 2600, 1400" || { echo "UI export missing or wrong size"; exit 1; }
gdalinfo "$dir/ui_export.tif" | grep -q "Pseudo-Mercator" || { echo "UI export not georeferenced"; exit 1; }
# The UI export goes through the same pipeline as `planatlas export`: it writes the provenance sidecar too.
grep -q '"layers"' "$dir/ui_export.json" || { echo "UI export wrote no provenance sidecar"; exit 1; }
# The planning tools through their own code paths (measure kept as markup, a note, a freehand stroke, a lasso
# selection, swipe, timeline, the conflict check against the district outline shown on the map), then saved.
mkdir -p "$dir/tools"
xvfb-run -a -s "-screen 0 1600x1000x24" "$bin" --frames 10 --tools-demo "$dir/tools/plan.atlas.json" \
  --screenshot "$dir/tools.png" >"$dir/tools.out" 2>>"$dir/err" || { echo "tools demo failed:"; cat "$dir/tools.out"; exit 1; }
cat "$dir/tools.out"
grep -q "tools-demo: markup 3, selected [1-9]" "$dir/tools.out" || { echo "tools demo: no markup or selection"; exit 1; }
ogrinfo -so "$dir/tools/plan.markup.gpkg" markup | grep -q "Feature Count: 3" || { echo "markup layer not saved"; exit 1; }
grep -q '"swipe"' "$dir/tools/plan.atlas.json" && grep -q '"under construction"' "$dir/tools/plan.atlas.json" ||
  { echo "swipe or timeline not saved"; exit 1; }
ls "$dir"/tools/conflicts-*.gpkg >/dev/null || { echo "conflict layer not written beside the project"; exit 1; }
if [ -s "$dir/err" ]; then echo "stderr not empty:"; cat "$dir/err"; exit 1; fi
/usr/bin/python3 - "$dir/shot.png" "$dir/select.png" "$dir/present.png" "$dir/english.png" <<'PY'
import sys
from osgeo import gdal
import numpy as np
def rgb(path):
    ds = gdal.Open(path)
    return [ds.GetRasterBand(i).ReadAsArray().astype(int) for i in (1, 2, 3)]
# The map gets at least 70 % of the window: what is not panel grey (ImGui's window background, #f0f0f0) nor the
# menu bar's rows.
for path in (sys.argv[1], sys.argv[4]):
    r, g, b = rgb(path)
    assert r.shape == (1000, 1600), "the window is not 1600x1000: %s" % (r.shape,)
    panel = (abs(r - 240) < 3) & (abs(g - 240) < 3) & (abs(b - 240) < 3)
    panel[:24, :] = True
    print(path, "map share", 1 - panel.mean())
    assert 1 - panel.mean() >= 0.70, "the panels take more than 30 % of the window"
# The language shows in the sidebar: the Chinese and English sidebars differ, the maps do not.
zh, en = rgb(sys.argv[1]), rgb(sys.argv[4])
left = sum((abs(a[30:300, :230] - c[30:300, :230]) > 40).sum() for a, c in zip(zh, en))
print("sidebar pixels that differ between the languages", left)
assert left > 500, "the sidebar looks the same in Chinese and English"
ds = gdal.Open(sys.argv[1])
assert ds is not None, "no screenshot"
r, g, b = (ds.GetRasterBand(i).ReadAsArray() for i in (1, 2, 3))
# Pingshan's outline is #c2410c; the sea background is #d6e6f2.
outline = ((abs(r.astype(int) - 0xc2) < 20) & (abs(g.astype(int) - 0x41) < 20) & (abs(b.astype(int) - 0x0c) < 20)).sum()
sea = ((r == 0xd6) & (g == 0xe6) & (b == 0xf2)).sum()
print("outline px", outline, "sea px", sea)
assert outline > 500, "Pingshan's outline is not on screen"
assert sea > 300, "no sea background"
ds = gdal.Open(sys.argv[2])
r, g, b = (ds.GetRasterBand(i).ReadAsArray().astype(int) for i in (1, 2, 3))
selection = ((abs(r - 0) < 25) & (abs(g - 150) < 25) & (abs(b - 255) < 25)).sum()
print("selection outline px", selection)
assert selection > 200, "the selected project is not highlighted"
def bottom_row_ui(path):
    ds = gdal.Open(path)
    r, g, b = (ds.GetRasterBand(i).ReadAsArray().astype(int) for i in (1, 2, 3))
    row = slice(ds.RasterYSize - 6, ds.RasterYSize - 4)
    ui = (abs(r[row] - 240) < 4) & (abs(g[row] - 240) < 4) & (abs(b[row] - 240) < 4)
    return ui.mean()
print("status bar share: normal", bottom_row_ui(sys.argv[1]), "presenting", bottom_row_ui(sys.argv[3]))
assert bottom_row_ui(sys.argv[1]) > 0.5, "the status bar is missing in normal mode"
assert bottom_row_ui(sys.argv[3]) < 0.2, "the status bar shows in presentation mode"
PY
echo "1 passed, 0 failed"

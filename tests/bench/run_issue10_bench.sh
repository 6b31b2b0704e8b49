#!/usr/bin/env bash
# Every row of issue #10's table, each beside its reference tool run in the same script (medians of RUNS runs):
#   1. edges: covered pixels vs gdal_rasterize's pixel-centre rule at 1.5 m/px (run_aa_bench.sh, coverage part)
#   2. export: 1M buildings -> 4096x4096 GeoTIFF, fill + 1 px outline, vs gdal_rasterize (run_export_bench.sh)
#   3. interactive: full-extent and 1:5000 frames of 1M buildings, from the window's layer image (bench_load images)
#   4. open: 1M buildings to the first frame vs GDAL's own feature loop of the file, alternating (bench_load preview
#      without the preview, and bench_load ref), peak memory
#   5. tessellation: one ring of 2k-200k vertices, 200k + 400 holes vs 2k + 4, a 1M-vertex coastline
#      (run_tessellate_bench.sh)
#   6. a 200000x200000 GeoTIFF without overviews: time to the first picture vs gdalwarp (run_raster_bench.sh)
#   7. scale (SCALE=1 only, ~2 min and 8 GiB a run): 10M buildings opening in stages, in EPSG:3857 and EPSG:4326
# Usage: tests/bench/run_issue10_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_bench}
runs=${3:-3}
bench="$build/tests/bench/bench_load"
mkdir -p "$data"
f="$data/buildings_1000000.gpkg"
[ -s "$f" ] || python3 "$root/../shared/tools/make_buildings.py" --count 1000000 --out "$f"

row() { printf '\n== %s\n' "$1"; }
median() { /usr/bin/python3 -c 'import statistics, sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"; }
field() { grep -o "$1=[0-9.]*" | head -1 | cut -d= -f2; }  # field KEY < line

row "1. edges: IoU of pixels at least half covered vs gdal_rasterize's pixel-centre rule"
bash "$here/run_aa_bench.sh" "$build" "$data" 0 1000000 | grep -iE "iou|levels" || true

row "2. export of 1M buildings at 4096x4096 vs gdal_rasterize (fill only)"
bash "$here/run_export_bench.sh" "$build" "$data" "$runs" | grep -E "buildings_1M|gdal_rasterize|1M export"

row "3. frames of 1M buildings from the window's layer image (target: full extent <= 100 ms, 1:5000 <= 16 ms)"
"$bench" images "$f" 2>&1 | grep -E "^mode=" || true

row "4. open 1M buildings to the first frame vs GDAL's feature loop (target <= 2x, peak < 1 GiB)"
ours=() ref=() peak=()
for _ in $(seq "$runs"); do
  ref+=("$("$bench" ref "$f" 2>&1 | grep '^mode=ref' | field seconds)")
  line=$(PLANATLAS_PREVIEW_FEATURES=0 "$bench" preview "$f" 2>&1 | grep '^mode=preview ')
  ours+=("$(echo "$line" | field to_first_frame)")
  peak+=("$(echo "$line" | field peak_rss_mib)")
done
echo "first frame ${ours[*]} s (median $(median "${ours[@]}")); GDAL loop ${ref[*]} s (median $(median "${ref[@]}"))"
/usr/bin/python3 -c 'import sys; print(f"ratio of medians {float(sys.argv[1]) / float(sys.argv[2]):.2f}x")' \
  "$(median "${ours[@]}")" "$(median "${ref[@]}")"
echo "peak RSS ${peak[*]} MiB"

row "5. tessellation (target: 200k + 400 holes <= 3x 2k + 4 holes; 1M-vertex coastline < 1 s)"
bash "$here/run_tessellate_bench.sh" "$build" /tmp/planatlas_tess_bench "$runs" | tail -n 25

row "6. 200000x200000 GeoTIFF without overviews (target: first picture <= 5 s)"
bash "$here/run_raster_bench.sh" "$build" "$runs" "" 60 | tail -n 8  # gdalwarp cut at 60 s

if [ "${SCALE:-0}" = 1 ]; then
  row "7. 10M buildings opening in stages (target: first frame while the rest loads, < 8 GiB)"
  f10="$data/buildings_10000000.gpkg"
  [ -s "$f10" ] || python3 "$root/../shared/tools/make_buildings.py" --count 10000000 --out "$f10"
  for crs in EPSG:3857 EPSG:4326; do
    echo "display $crs:"
    BENCH_DISPLAY_CRS=$crs "$bench" preview "$f10" 2>&1 | grep -E '^mode=preview'
  done
fi

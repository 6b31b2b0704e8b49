#!/usr/bin/env bash
# Antialiasing (#10): edge quality and what the supersampling costs, in one script.
#  1. Covered pixels vs gdal_rasterize's pixel-centre rule: `planatlas render` of 1.5 km squares of the
#     synthetic buildings (make_buildings.py) at 1.5 m/px (1024x1024, EPSG:4547, black fill, no outline) against
#     `gdal_rasterize` of the same polygons on the same grid; a pixel is covered when its red channel is < 128
#     (at least half covered). IoU and the number of distinct edge levels, with the outputs' 5x5 supersampling
#     (the default) and with PLANATLAS_SUPERSAMPLE=1 (4x multisampling only, the look before #10).
#  2. Whole-process time of `planatlas render` (fill + 1 px outline), supersampled vs not, alternating runs:
#     the bundled Pingshan project at 1280x800, and N buildings at 4096x4096 with gdal_rasterize (fill only) of the
#     same grid as the reference.
# Medians of RUNS runs (RUNS=0: the coverage part only).
# Usage: tests/bench/run_aa_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS] [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_bench}
runs=${3:-3}
n=${4:-1000000}
bin="$build/app/planatlas"
mkdir -p "$data"
src="$data/buildings_$n.gpkg"
[ -s "$src" ] || python3 "$root/../shared/tools/make_buildings.py" --count "$n" --out "$src"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Three 1.5 km squares (centroids counted on a 1.5 km grid in EPSG:4547, every 10th feature), at the 50th, 75th
# and 90th percentile of density: the generator's clusters overlap, so denser squares are mostly interior.
mapfile -t windows < <(/usr/bin/python3 - "$src" <<'PY'
import collections, sys
from osgeo import ogr, osr
ogr.UseExceptions()
ds = ogr.Open(sys.argv[1]); lyr = ds.GetLayer(0)
src = lyr.GetSpatialRef(); dst = osr.SpatialReference(); dst.ImportFromEPSG(4547)
for s in (src, dst): s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
ct = osr.CoordinateTransformation(src, dst)
cells = collections.Counter()
for i, f in enumerate(lyr):
    if i % 10: continue
    e = f.GetGeometryRef().GetEnvelope()
    x, y, _ = ct.TransformPoint((e[0] + e[1]) / 2, (e[2] + e[3]) / 2)
    cells[(int(x // 1536), int(y // 1536))] += 1
ranked = sorted(cells.items(), key=lambda kv: kv[1])
for p in (50, 75, 90):
    (cx, cy), _ = ranked[int(p / 100 * (len(ranked) - 1))]
    print(p, cx * 1536, cy * 1536, cx * 1536 + 1536, cy * 1536 + 1536)
PY
)
for w in "${windows[@]}"; do
  read -r pct x0 y0 x1 y1 <<<"$w"
  ogr2ogr -f GPKG -t_srs EPSG:4547 -spat "$x0" "$y0" "$x1" "$y1" -spat_srs EPSG:4547 "$out/w$pct.gpkg" "$src" buildings
  gdal_rasterize -q -burn 255 -ot Byte -te "$x0" "$y0" "$x1" "$y1" -ts 1024 1024 -l buildings "$out/w$pct.gpkg" "$out/ref$pct.tif"
  for ss in 5 1; do
    PLANATLAS_SUPERSAMPLE=$ss "$bin" render "$out/w$pct.gpkg" --out "$out/aa${pct}_$ss.png" --size 1024x1024 \
      --crs EPSG:4547 --bbox "$x0,$y0,$x1,$y1" --bbox-crs EPSG:4547 --fill '#000000' --stroke none \
      --background '#ffffff' >/dev/null 2>&1
  done
done
/usr/bin/python3 - "$out" <<'PY'
import sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
d = sys.argv[1]
for pct in (50, 75, 90):
    ref = gdal.Open(f"{d}/ref{pct}.tif").ReadAsArray() >= 128
    row = []
    for ss in (5, 1):
        ds = gdal.Open(f"{d}/aa{pct}_{ss}.png")  # kept: a band outliving its dataset crashes the bindings
        red = ds.GetRasterBand(1).ReadAsArray()
        ours = red < 128
        iou = (ours & ref).sum() / (ours | ref).sum()
        levels = len(np.unique(red[(red > 0) & (red < 255)])) + 2
        row.append(f"{iou:.4f} ({levels} levels)")
    print(f"coverage vs gdal_rasterize, {pct}th-percentile square ({ref.mean() * 100:.0f} % covered): "
          f"IoU 5x5 supersampling {row[0]}, 4x MSAA {row[1]}")
PY

measure() {  # label command... : one timed whole process, appended to the log
  local label=$1
  shift
  /usr/bin/time -f "$label %e %M" -a -o "$out/times" "$@" >/dev/null 2>&1
}
project="$root/assets/pingshan2024.atlas.json"
for i in $(seq "$runs"); do
  for ss in 5 1; do
    measure "bundled_ss$ss" env PLANATLAS_SUPERSAMPLE=$ss "$bin" render --project "$project" --out "$out/p.png" --size 1280x800
    measure "buildings_ss$ss" env PLANATLAS_SUPERSAMPLE=$ss "$bin" render "$src" --out "$out/b.png" --size 4096x4096 \
      --crs EPSG:4326 --fill '#c8966e' --stroke '#503c28'
  done
  measure rasterize gdal_rasterize -q -burn 255 -ot Byte -ts 4096 4096 -l buildings "$src" "$out/r.tif"
done
[ "$runs" -gt 0 ] || exit 0
/usr/bin/python3 - "$out/times" "$n" <<'PY'
import collections, statistics, sys
t = collections.defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 3 and parts[0][0].isalpha():
        t[parts[0]].append((float(parts[1]), int(parts[2]) / 1024))
def med(k, i=0): return statistics.median(v[i] for v in t[k]) if t[k] else float("nan")
print(f"bundled project 1280x800: supersampled {med('bundled_ss5'):.2f} s, 4x MSAA {med('bundled_ss1'):.2f} s "
      f"({med('bundled_ss5') / med('bundled_ss1'):.2f}x)")
print(f"{sys.argv[2]} buildings 4096x4096 fill+outline: supersampled {med('buildings_ss5'):.2f} s "
      f"({med('buildings_ss5', 1):.0f} MiB), 4x MSAA {med('buildings_ss1'):.2f} s ({med('buildings_ss1', 1):.0f} MiB), "
      f"gdal_rasterize (fill only) {med('rasterize'):.2f} s ({med('rasterize', 1):.0f} MiB): "
      f"{med('buildings_ss5') / med('rasterize'):.1f}x / {med('buildings_ss1') / med('rasterize'):.1f}x the reference")
PY

#!/usr/bin/env bash
# Large rasters without overviews (#10, #13): time to the first picture of a 200000x200000 sparse GeoTIFF (~7 MB,
# a 5000 px square of data at its centre), made here with gdal_create and the GDAL Python bindings.
#   render_1024   `planatlas render FILE --size 1024x1024` (footprint, then one window at the output's resolution)
#   export_1024   `planatlas export` of the same at 1024x1024: the whole-raster overview read as the viewer's first
#                 picture reads it (4096 px a side), then the tiles
#   gdalwarp_1024 gdalwarp of the whole raster to 1024x1024 (the read the old path did), for reference
# Wall time and peak RSS of each whole process (GNU time), medians of RUNS runs; each run is cut at LIMIT seconds
# (shown as ">LIMIT"). OLD_BIN, when given, is timed the same way (e.g. a build from before the change).
# Usage: tests/bench/run_raster_bench.sh [BUILD_DIR] [RUNS] [OLD_BIN] [LIMIT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
runs=${2:-3}
old=${3:-}
limit=${4:-300}
bin="$build/app/planatlas"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
f="$out/sparse.tif"
gdal_create -q -of GTiff -outsize 200000 200000 -bands 3 -ot Byte -a_nodata 0 -a_srs EPSG:4547 \
  -a_ullr 400000 2600000 600000 2400000 -co TILED=YES -co SPARSE_OK=YES -co COMPRESS=DEFLATE -co BIGTIFF=YES "$f"
/usr/bin/python3 - "$f" <<'PY'
import sys
from osgeo import gdal
ds = gdal.Open(sys.argv[1], gdal.GA_Update)
for b, v in ((1, 230), (2, 20), (3, 20)):
    ds.GetRasterBand(b).WriteRaster(97500, 97500, 5000, 5000, bytes([v]) * (5000 * 5000))
ds = None
PY
echo "test file: $(du -h --apparent-size "$f" | cut -f1) (200000x200000, no overviews)"
cat >"$out/p.atlas.json" <<JSON
{"version":1,"title":"sparse","crs":"EPSG:4547","layers":[{"name":"sparse","source":"$f","layer":"raster"}]}
JSON
measure() {  # label command...
  local label=$1
  shift
  for i in $(seq "$runs"); do
    if /usr/bin/time -f "%e %M" -o "$out/t" timeout "$limit" "$@" >/dev/null 2>&1; then
      echo "$label $(cat "$out/t")"
    else
      echo "$label $limit 0 cut"
    fi
  done
}
{
  measure render_1024 "$bin" render "$f" --size 1024x1024 --out "$out/r.png"
  measure export_1024 "$bin" export --project "$out/p.atlas.json" --size 1024x1024 --no-decorations --out "$out/e.png"
  if [ -n "$old" ]; then
    measure old_render_1024 "$old" render "$f" --size 1024x1024 --out "$out/r0.png"
    measure old_export_1024 "$old" export --project "$out/p.atlas.json" --size 1024x1024 --no-decorations \
      --out "$out/e0.png"
  fi
  measure gdalwarp_1024 gdalwarp -q -overwrite -r bilinear -ts 1024 1024 "$f" "$out/w.tif"
} >"$out/log" 2>&1
python3 - "$out/log" "$limit" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    rows.setdefault(parts[0], []).append((float(parts[1]), int(parts[2]), len(parts) > 3))
for k, v in rows.items():
    s = statistics.median(x for x, _, _ in v)
    cut = any(c for _, _, c in v)
    shown = f">{sys.argv[2]}" if cut and s >= float(sys.argv[2]) else f"{s:.2f}"
    print(f"{k:18} {shown:>8} s  peak {statistics.median(m for _, m, _ in v) / 1024:6.0f} MiB")
PY

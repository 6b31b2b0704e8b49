#!/usr/bin/env bash
# Reproduces the issue #5 export benchmark: the bundled project at 1920x1080, 8K and A0@300 dpi, and 1M
# synthetic buildings at 4096x4096 (CPU painter, the default; and PLANATLAS_PAINTER=gpu, the GPU's 5x5
# supersampling, #10) next to gdal_rasterize of the same polygons on the same grid. Wall time and peak RSS of each
# whole process (GNU time), medians of RUNS runs.
# Usage: tests/bench/run_export_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS]   (run_bench.sh makes the 1M file)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_bench}
runs=${3:-3}
bin="$build/app/planatlas"
f="$data/buildings_1000000.gpkg"
[ -s "$f" ] || python3 "$root/../shared/tools/make_buildings.py" --count 1000000 --out "$f"
out=$(mktemp -d)
cat >"$out/b1m.atlas.json" <<JSON
{"version":1,"title":"1M synthetic buildings","crs":"EPSG:4326","view":{"lon":114.365,"lat":22.70,"scale":0},
 "layers":[{"name":"buildings","source":"$f","layer":"buildings","style":{"fill":"#c8966e","stroke":"#503c28"}}]}
JSON
measure() {  # label command...
  local label=$1
  shift
  for i in $(seq "$runs"); do /usr/bin/time -f "%e %M" -o "$out/t" "$@" >/dev/null 2>&1; echo "$label $(cat "$out/t")"; done
}
{
  measure "default_1920x1080" "$bin" export --size 1920x1080 --format tif --out "$out/a.tif"
  measure "default_8K" "$bin" export --size 7680x4320 --format tif --out "$out/b.tif"
  measure "default_A0_300dpi" "$bin" export --paper A0 --dpi 300 --format tif --out "$out/c.tif"
  measure "buildings_1M_4096" "$bin" export --project "$out/b1m.atlas.json" --bbox 114.28,22.62,114.45,22.78 \
    --size 4096x4096 --no-decorations --format tif --out "$out/d.tif"
  PLANATLAS_PAINTER=gpu measure "buildings_1M_4096_gpu" "$bin" export --project "$out/b1m.atlas.json" \
    --bbox 114.28,22.62,114.45,22.78 --size 4096x4096 --no-decorations --format tif --out "$out/d2.tif"
  measure "gdal_rasterize_1M_4096" gdal_rasterize -q -burn 255 -ot Byte -te 114.28 22.62 114.45 22.78 -ts 4096 4096 \
    -l buildings "$f" "$out/e.tif"
} >"$out/log"
python3 - "$out/log" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    k, s, kib = line.split()
    rows.setdefault(k, []).append((float(s), int(kib)))
for k, v in rows.items():
    print(f"{k:24} {statistics.median(s for s, _ in v):6.2f} s  peak {statistics.median(m for _, m in v) / 1024:6.0f} MiB")
e, g = rows["buildings_1M_4096"], rows["gdal_rasterize_1M_4096"]
print(f"1M export / gdal_rasterize: {statistics.median(s for s, _ in e) / statistics.median(s for s, _ in g):.2f}x")
r = rows["buildings_1M_4096_gpu"]
print(f"1M export, GPU supersampling (PLANATLAS_PAINTER=gpu) / gdal_rasterize: "
      f"{statistics.median(s for s, _ in r) / statistics.median(s for s, _ in g):.1f}x")
PY
rm -rf "$out"

#!/usr/bin/env bash
# Tessellation (#10, #13): bench_tessellate (the function alone, beside the old implementation), then whole-process
# `planatlas render` of one polygon per file: a 2k and a 200k-vertex ring, 2k vertices + 4 holes vs 200k + 400 holes
# (the #10 target: at most 3x), a 1M-vertex coastline and 5000 holes; each as GeoJSON (make_tess_data.py) and as
# GeoPackage (ogr2ogr). Medians of RUNS runs: wall and user seconds, peak RSS.
# Usage: tests/bench/run_tessellate_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_tess_bench}
runs=${3:-3}
python3 "$root/tests/bench/make_tess_data.py" "$data" >/dev/null
for f in "$data"/*.geojson; do
  [ -s "${f%.geojson}.gpkg" ] || ogr2ogr -f GPKG "${f%.geojson}.gpkg" "$f" -nln shape
done
"$build/tests/bench/bench_tessellate" "$runs"
planatlas="$build/app/planatlas"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
declare -A wall
for ext in geojson gpkg; do
  for name in ring_2k ring_200k holes_2k holes_200k coast_1m holes_5000; do
    f="$data/$name.$ext"
    : >"$out/times"
    for ((i = 0; i < runs; i++)); do
      /usr/bin/time -f "%e %U %M" -o "$out/t" "$planatlas" render "$f" --out "$out/x.png" --size 1024x1024 \
        --fill '#c8966e' --stroke '#503c28' 2>"$out/err" >/dev/null
      cat "$out/t" >>"$out/times"
    done
    w=$(awk '{print $1}' "$out/times" | median)
    u=$(awk '{print $2}' "$out/times" | median)
    m=$(awk '{print $3}' "$out/times" | median)
    wall[$name.$ext]=$w
    warn=$(grep -c warning "$out/err" || true)
    printf 'render %-19s wall=%-6s user=%-6s peak_rss_mib=%-5d warnings=%s\n' "$name.$ext" "$w" "$u" $((m / 1024)) "$warn"
  done
  awk -v a="${wall[ring_2k.$ext]}" -v b="${wall[ring_200k.$ext]}" -v e=$ext \
    'BEGIN {printf "render ratio (%s) ring 200k / 2k: %.2f\n", e, b / a}'
  awk -v a="${wall[holes_2k.$ext]}" -v b="${wall[holes_200k.$ext]}" -v e=$ext \
    'BEGIN {printf "render ratio (%s) 200k + 400 holes / 2k + 4 holes: %.2f (target <= 3)\n", e, b / a}'
done

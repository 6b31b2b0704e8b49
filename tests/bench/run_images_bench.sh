#!/usr/bin/env bash
# Heavy layers in the window (#10): render::LayerImageCache against drawing the geometry every frame.
#   bench_load images:   N buildings fitted in a 1280x800 view (EGL, llvmpipe), in one process: the direct
#                        full-extent frame (4x MSAA, what the window drew before), the frames while the layer's image
#                        is drawn (64-px tiles at 5x5 supersampling, 25 ms of them a frame), the time until it is
#                        complete, then full-extent frames drawn from it (panning 2 px a frame) and 1:5000 frames,
#                        and the settled 1:5000 view's refinement as the window runs it (16 ms of 5x5 tiles a frame).
#   bench_load bgimages: N buildings loaded by a worker while the main thread draws the bundled base map with a
#                        moving view, then until the new layer's image is complete; and `bg`, the same without images.
#                        The worker uploads the layer through a shared context (the viewer's way); the reference line
#                        (worker_uploads=0) has the main thread upload it in the adopting frame, as before.
# Medians of RUNS runs of each line's figures.
# Usage: tests/bench/run_images_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS] [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_bench}
runs=${3:-3}
n=${4:-1000000}
bench="$build/tests/bench/bench_load"
mkdir -p "$data"
src="$data/buildings_$n.gpkg"
[ -s "$src" ] || python3 "$root/../shared/tools/make_buildings.py" --count "$n" --out "$src"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for ((i = 0; i < runs; ++i)); do
  "$bench" images "$src" >"$out/run"
  grep '^mode=images ' "$out/run" >>"$out/images"
  grep '^mode=images_refine_1to5000 ' "$out/run" >>"$out/refine"
  "$bench" bgimages "$src" | grep '^mode=bgimages ' >>"$out/bgimages"
  PLANATLAS_WORKER_UPLOADS=0 "$bench" bgimages "$src" | grep '^mode=bgimages ' >>"$out/bgimages_main_upload"
  "$bench" bg "$src" | grep '^mode=bg ' >>"$out/bg"
done

# The median of each key=value figure over the runs.
medians() {
  python3 - "$1" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1])]
out = []
for k in rows[0]:
    try:
        vals = [float(r[k]) for r in rows]
        out.append(f"{k}={statistics.median(vals):g}")
    except ValueError:
        out.append(f"{k}={rows[0][k]}")
print(" ".join(out))
PY
}
echo "# $n buildings, medians of $runs runs ($(date -u +%FT%TZ))"
medians "$out/images"
medians "$out/refine"
medians "$out/bgimages"
medians "$out/bgimages_main_upload"
medians "$out/bg"

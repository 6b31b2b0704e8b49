#!/usr/bin/env bash
# Reproduces the issue #2 benchmark: open-to-first-frame vs a GDAL-only iteration (same program, alternating
# runs), peak memory, frame times, frames during a background load, and `planatlas render` at 4096x4096 vs
# gdal_rasterize on the same grid. Prints medians of RUNS runs and the ratios.
# Usage: tests/bench/run_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_bench}
runs=${3:-3}
tools=$root/../shared/tools
mkdir -p "$data"
for n in 100000 1000000; do
  f="$data/buildings_$n.gpkg"
  [ -s "$f" ] || python3 "$tools/make_buildings.py" --count "$n" --out "$f"
done
bench="$build/tests/bench/bench_load"
planatlas="$build/app/planatlas"
log="$data/bench.log"
: >"$log"
for n in 100000 1000000; do
  f="$data/buildings_$n.gpkg"
  for i in $(seq "$runs"); do
    echo "n=$n $("$bench" ref "$f")" >>"$log"
    echo "n=$n $("$bench" ours "$f" | grep '^mode=ours ' )" >>"$log"
  done
  echo "n=$n $("$bench" bg "$f")" >>"$log"
done
f="$data/buildings_1000000.gpkg"
for i in $(seq "$runs"); do
  /usr/bin/time -f "n=1000000 mode=render seconds=%e peak_rss_mib=%M" "$planatlas" render "$f" --out "$data/r.png" \
    --size 4096x4096 --crs EPSG:4326 --fill '#c8966e' --stroke '#503c28' 2>>"$log" >/dev/null || true
  /usr/bin/time -f "n=1000000 mode=rasterize seconds=%e peak_rss_mib=%M" gdal_rasterize -q -burn 255 -ot Byte \
    -ts 4096 4096 -l buildings "$f" "$data/r.tif" 2>>"$log"
done
grep -v warning "$log" >"$log.clean"
/usr/bin/python3 - "$log.clean" <<'PY'
import re, statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if "mode=" in line]
def med(n, mode, key, scale=1.0):
    v = [float(r[key]) * scale for r in rows if r["n"] == n and r["mode"] == mode and key in r]
    return statistics.median(v) if v else float("nan")
for n in ("100000", "1000000"):
    ref = med(n, "ref", "seconds"); ours = med(n, "ours", "total_to_first_frame")
    print(f"{int(n):>8} polygons: GDAL-only iteration {ref:.2f} s | open-to-first-frame {ours:.2f} s "
          f"(read {med(n,'ours','read'):.2f}, tessellate {med(n,'ours','tessellate'):.2f}, "
          f"reproject {med(n,'ours','reproject'):.2f}, stage {med(n,'ours','stage'):.2f}, upload {med(n,'ours','upload'):.2f}, "
          f"first frame {med(n,'ours','first_frame'):.2f}) = {ours/ref:.1f}x the reference")
    print(f"{'':>18}frame at full extent {med(n,'ours','frame_full_median')*1000:.0f} ms, at 1:5000 "
          f"{med(n,'ours','frame_1to5000_median')*1000:.0f} ms; peak RSS {med(n,'ours','peak_rss_mib'):.0f} MiB "
          f"(1280x800, llvmpipe)")
    print(f"{'':>18}background load: median frame {med(n,'bg','frame_median')*1000:.0f} ms, worst frame during the load "
          f"{med(n,'bg','frame_max_during_load')*1000:.0f} ms, the frame that uploads {med(n,'bg','upload_frame')*1000:.0f} ms")
r = med("1000000", "render", "seconds"); g = med("1000000", "rasterize", "seconds")
print(f"render 1M at 4096x4096 (fill+outline, whole process) {r:.2f} s, peak {med('1000000','render','peak_rss_mib')/1024:.0f} MiB | "
      f"gdal_rasterize {g:.2f} s, peak {med('1000000','rasterize','peak_rss_mib')/1024:.0f} MiB | ratio {r/g:.1f}x")
PY

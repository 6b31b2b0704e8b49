#!/usr/bin/env bash
# The issue #9 benchmark: tile basemaps from a loopback server (tests/app/tile_server.py) over a generated XYZ
# pyramid of Pingshan (lon 114.25-114.45, lat 22.60-22.80, zooms 10-16, ~2000 tiles made with gdal2tiles.py),
# drawn by bench_tiles through the viewer's path (GpuTileLayer::prepare + MapRenderer::render + glFinish) on EGL:
#   cold / warm / offline   time to a full screen of tiles (1280x800) from an empty disk cache, from the cache
#   warm_4547               with the server up, offline from the cache, and warm in EPSG:4547
#   pan / pan_4547          300 frames of panning (40 px a frame) and zooming across the pyramid while its tiles
#                           are fetched (cold cache), in EPSG:3857 and in EPSG:4547 (tiles warped through meshes):
#                           per-frame time, frames over 50 ms, peak GPU bytes under a 64 MiB texture budget
#   pan_tight               the EPSG:3857 path under a 16 MiB budget (the LRU under pressure)
# Every answer of the server is delayed by LATENCY seconds (its /slow/ prefix) to stand in for a real network.
# Medians of RUNS runs (each run in a fresh cache folder); peak RSS is the process's (getrusage). Not part of ctest.
# Usage: tests/bench/run_tiles_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS] [LATENCY]
#   BUILD_DIR built with the target bench_tiles; DATA_DIR keeps the pyramid between runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_tiles_bench}
runs=${3:-3}
latency=${4:-0.05}
bench=$build/tests/bench/bench_tiles
[ -x "$bench" ] || { echo "no $bench: build the target bench_tiles" >&2; exit 1; }
pyramid=$data/pyramid_10_16
if [ ! -d "$pyramid" ]; then  # made under a temporary name, renamed when complete
    mkdir -p "$data"
    t0=$SECONDS
    # A 4096 px square of coloured blocks (16 px) crossed by dark lines at irregular spacings: tiles that
    # compress like a street map's (tens of kB), not like noise or a flat colour.
    /usr/bin/python3 - "$data/pingshan.tif" <<'PY'
import sys
import numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()
n = 4096
rng = np.random.default_rng(9)
palette = np.array([(232, 226, 208), (200, 222, 180), (170, 200, 230), (245, 240, 225), (220, 200, 170),
                    (250, 250, 250), (190, 190, 190)], dtype=np.uint8)
blocks = np.kron(rng.integers(0, len(palette), (n // 16, n // 16)), np.ones((16, 16), dtype=np.int64))
img = palette[blocks]  # (n, n, 3)
for axis in (0, 1):
    pos = int(rng.integers(5, 40))
    while pos < n - 3:
        width = int(rng.integers(1, 4))
        if axis == 0:
            img[:, pos:pos + width] = 60
        else:
            img[pos:pos + width, :] = 60
        pos += int(rng.integers(17, 98))
ds = gdal.GetDriverByName("GTiff").Create(sys.argv[1], n, n, 3, gdal.GDT_Byte, options=["TILED=YES"])
ds.SetGeoTransform((114.25, 0.2 / n, 0.0, 22.80, 0.0, -0.2 / n))
srs = osr.SpatialReference()
srs.ImportFromEPSG(4326)
ds.SetProjection(srs.ExportToWkt())
for b in range(3):
    ds.GetRasterBand(b + 1).WriteArray(img[:, :, b])
ds = None
PY
    rm -rf "$pyramid.tmp"
    gdal2tiles.py --xyz -q -z 10-16 -w none -r near --processes=2 "$data/pingshan.tif" "$pyramid.tmp"
    mv "$pyramid.tmp" "$pyramid"
    echo "pyramid: $(find "$pyramid" -name '*.png' | wc -l) tiles, $(du -sh "$pyramid" | cut -f1), made in $((SECONDS - t0)) s"
fi
out=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$out"
}
trap cleanup EXIT
/usr/bin/python3 "$root/tests/app/tile_server.py" --root "$pyramid" --port 0 --port-file "$out/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$out/port" ] && break; sleep 0.1; done
[ -s "$out/port" ] || { echo "the tile server did not start" >&2; exit 1; }
port=$(cat "$out/port")
template="http://127.0.0.1:$port/slow/$latency/{z}/{x}/{y}.png"
[ "$latency" = 0 ] && template="http://127.0.0.1:$port/{z}/{x}/{y}.png"
cmd=("$bench" "$template" "$out/cache" "$runs" 64)
echo "command: ${cmd[*]}"
"${cmd[@]}" | tee "$out/log"
/usr/bin/python3 - "$out/log" "$runs" "$latency" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if line.startswith("case=")]
def med(case, key):
    v = [float(r[key]) for r in rows if r["case"] == case]
    return statistics.median(v) if v else float("nan")
def most(case, key):
    return max((float(r[key]) for r in rows if r["case"] == case), default=float("nan"))
print(f"\nmedians of {sys.argv[2]} runs; server latency {float(sys.argv[3]) * 1000:.0f} ms a tile; 1280x800 on "
      "llvmpipe")
print(f"{'full screen of tiles (zoom 15)':<40} {'full ms':>8} {'settled ms':>10} {'frames':>7} {'tiles':>6} "
      f"{'network':>8} {'cached':>7} {'steady frame':>13}")
names = {"cold": "cold cache (server), EPSG:3857", "warm": "warm cache (server up), EPSG:3857",
         "offline": "warm cache, offline, EPSG:3857", "warm_4547": "warm cache (server up), EPSG:4547"}
for case in ("cold", "warm", "offline", "warm_4547"):
    print(f"{names[case]:<40} {med(case, 'full_ms'):>8.0f} {med(case, 'settled_ms'):>10.0f} "
          f"{med(case, 'frames_full'):>7.0f} {med(case, 'tiles'):>6.0f} {med(case, 'network'):>8.0f} "
          f"{med(case, 'cache_hits'):>7.0f} {med(case, 'steady_ms'):>10.1f} ms")
print(f"\n{'300 frames panning + zooming, cold cache':<40} {'median':>7} {'p95':>6} {'max':>6} {'>50ms':>6} "
      f"{'prep max':>8} {'waiting':>8} {'loaded':>7} {'reloaded':>8} {'peak GPU':>9} {'budget':>7}")
for case, name in (("pan", "EPSG:3857 (tiles drawn as they are)"), ("pan_4547", "EPSG:4547 (tiles warped by meshes)"),
                   ("pan_tight", "EPSG:3857, a quarter of the budget")):
    print(f"{name:<40} {med(case, 'median_ms'):>5.1f}ms {med(case, 'p95_ms'):>4.1f}ms {med(case, 'max_ms'):>4.0f}ms "
          f"{med(case, 'over50'):>6.0f} {med(case, 'prepare_max_ms'):>6.1f}ms {med(case, 'waiting_frames'):>8.0f} "
          f"{med(case, 'tiles_loaded'):>7.0f} {med(case, 'reloaded'):>8.0f} {most(case, 'peak_gpu_mib'):>6.1f}MiB "
          f"{med(case, 'budget_mib'):>4.0f}MiB")
print("(steady frame: the settled view redrawn, single-sampled; prep max: the slowest prepare() of the path; waiting:"
      " frames with tiles still missing; loaded: tiles fetched or read from the disk cache during the path, "
      f"~{med('pan', 'tiles_mib'):.0f} MiB of textures in EPSG:3857; reloaded: of those, read back from the disk cache"
      " after the GPU LRU dropped them or on a revisit; peak GPU: the most residentBytes() after any frame of any run)")
print(f"process peak RSS (all cases, ru_maxrss): {max(float(r['rss_mib']) for r in rows):.0f} MiB")
over = sum(int(r["over50"]) for r in rows if "over50" in r)
print(f"frames over 50 ms, all runs and paths: {over} of {sum(int(r['frames']) for r in rows if 'over50' in r)}")
PY

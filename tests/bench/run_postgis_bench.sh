#!/usr/bin/env bash
# The issue #11 benchmark: 1M synthetic building footprints (/work/shared/tools/make_buildings.py, EPSG:4326) in
# PostGIS and in a GeoPackage. Time to first frame (1280x800, EPSG:3857) at full extent and at 1:5000, read the
# way the viewer reads a view (bench_postgis: the view's box as the filter; PostGIS also simplifying to half a
# pixel on the server), and the rows fetched for the 1:5000 view. Medians of RUNS runs. Not part of ctest.
# Starts its own throwaway server (tests/app/postgis_server.sh) and removes it at the end.
# Usage: tests/bench/run_postgis_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS] [COUNT]
#   BUILD_DIR must be configured with -DPLANATLAS_BUILD_BENCH=ON (target bench_postgis).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_bench}
runs=${3:-3}
count=${4:-1000000}
bench=$build/tests/bench/bench_postgis
tools=$root/../shared/tools
box=114.28,22.62,114.45,22.78  # make_buildings.py's default extent
[ -x "$bench" ] || { echo "no $bench: configure with -DPLANATLAS_BUILD_BENCH=ON and build bench_postgis" >&2; exit 1; }
mkdir -p "$data"
gpkg=$data/buildings_$count.gpkg
[ -s "$gpkg" ] || python3 "$tools/make_buildings.py" --count "$count" --out "$gpkg"
# shellcheck source=../app/postgis_server.sh
. "$root/tests/app/postgis_server.sh"
trap pg_stop EXIT
pg_start
t0=$SECONDS
ogr2ogr -f PostgreSQL PG:"$PG_CONN" "$gpkg" buildings -lco FID=fid -lco GEOMETRY_NAME=geom -preserve_fid \
    -gt 65536 --config PG_USE_COPY YES
pg_sql -c "ANALYZE buildings"
echo "loaded $count rows into PostGIS in $((SECONDS - t0)) s (ogr2ogr with COPY, then the GiST index)"
log=$data/postgis_bench.log
: >"$log"
for i in $(seq "$runs"); do
    for zoom in full 5000; do
        "$bench" "$gpkg" buildings EPSG:4326 "$box" "$zoom" >>"$log"
        "$bench" "PG:$PG_CONN" buildings EPSG:4326 "$box" "$zoom" >>"$log"
        "$bench" "PG:$PG_CONN" buildings EPSG:4326 "$box" "$zoom" 0 | sed 's/source=postgis/source=postgis_plain/' >>"$log"
    done
done
/usr/bin/python3 - "$log" "$count" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split()) for line in open(sys.argv[1]) if line.startswith("source=")]
def med(src, zoom, key):
    v = [float(r[key]) for r in rows if r["source"] == src and r["zoom"] == zoom]
    return statistics.median(v) if v else float("nan")
print(f"{int(sys.argv[2]):,} polygons, medians of {len(rows) // 6} runs "
      "(first frame = read + tessellate + reproject + upload + draw)")
print(f"{'source':<34} {'view':<6} {'first frame s':>13} {'read s':>8} {'rows fetched':>13} {'vertices':>10}")
names = {"gpkg": "GeoPackage (R-tree filter)", "postgis": "PostGIS (bbox + 0.5 px simplify)",
         "postgis_plain": "PostGIS (bbox, no simplify)"}
for zoom in ("full", "5000"):
    for src in ("gpkg", "postgis", "postgis_plain"):
        print(f"{names[src]:<34} {'1:5000' if zoom == '5000' else 'full':<6} {med(src, zoom, 'first_frame'):>13.3f} "
              f"{med(src, zoom, 'read'):>8.3f} {med(src, zoom, 'rows_fetched'):>13,.0f} {med(src, zoom, 'vertices'):>10,.0f}")
PY

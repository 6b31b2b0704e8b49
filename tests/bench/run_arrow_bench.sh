#!/usr/bin/env bash
# Reading a large GeoPackage through the feature loop vs GDAL's Arrow stream (#11): readVectorLayer both ways,
# alternating in one process, medians of RUNS. Two files: the generator's layer as it is, whose boolean column
# sends GDAL < 3.8.3 back to the loop (its streams set wrong bits, GDAL #8998), so both paths read the same way
# there; and the same layer without that column, read through the stream.
# Data: ../shared/tools/make_buildings.py (synthetic, deterministic).
# Usage: tests/bench/run_arrow_bench.sh [BUILD_DIR] [DATA_DIR] [RUNS] [COUNT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
data=${2:-/tmp/planatlas_bench}
runs=${3:-3}
count=${4:-1000000}
mkdir -p "$data"
f="$data/buildings_$count.gpkg"
g="$data/buildings_${count}_nobool.gpkg"
[ -s "$f" ] || /usr/bin/python3 "$root/../shared/tools/make_buildings.py" --count "$count" --out "$f"
[ -s "$g" ] || ogr2ogr -f GPKG "$g" "$f" buildings -select id,name,height,category,defect
echo "gdal $(gdal-config --version), $count polygons"
echo "with the boolean column:    $("$build/tests/bench/bench_load" read "$f" buildings "$runs")"
echo "without the boolean column: $("$build/tests/bench/bench_load" read "$g" buildings "$runs")"

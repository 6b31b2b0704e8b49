#!/usr/bin/env bash
# Cloud-optimized sources over HTTP (#11): a Cloud-Optimized GeoTIFF and a FlatGeobuf with its spatial index,
# served by a loopback server that honours Range (range_server.py), rendered through /vsicurl/ for a small view.
# Each render succeeds, draws something, equals the render of the local file, and fetches a small part of the file
# (bytes counted by the server). A missing file (404) and a server that is down exit 1 naming the URL.
# Usage: vsicurl_test.sh PLANATLAS_BINARY SCRATCH_DIR SOURCE_DIR
set -u
bin=$1
dir=$2
src=$3
py=/usr/bin/python3  # Debian's, with python3-gdal
max_share=${VSICURL_MAX_SHARE:-0.15}
mkdir -p "$dir"
find "$dir" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +
data=$dir/data
mkdir -p "$data"
fail=0
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# Data, made once per scratch folder by make_http_data.py (deterministic): 50k building footprints as an indexed
# FlatGeobuf, and an 8000x8000 RGB raster with grain (compresses like imagery) as a JPEG COG with overviews.
if [ ! -s "$data/buildings.fgb" ] || [ ! -s "$data/image_cog.tif" ]; then
    "$py" "$src/tests/app/make_http_data.py" "$data" || exit 1
    gdal_translate -q -of COG -co COMPRESS=JPEG "$data/image.tif" "$data/image_cog.tif" || exit 1
    rm -f "$data/image.tif"
fi

start_server() {  # sets port and server_pid
    : >"$dir/port"
    "$py" "$src/tests/app/range_server.py" "$data" "$dir/served.json" >"$dir/port" &
    server_pid=$!
    for _ in $(seq 50); do
        [ -s "$dir/port" ] && break
        sleep 0.1
    done
    port=$(head -1 "$dir/port")
    [ -n "$port" ] || { echo "FAIL: the range server did not start"; exit 1; }
}
stop_server() { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; }
trap stop_server EXIT
served() {  # bytes sent so far for /NAME
    "$py" -c 'import json,sys
try: print(json.load(open(sys.argv[1])).get("/" + sys.argv[2], {}).get("bytes", 0))
except FileNotFoundError: print(0)' "$dir/served.json" "$1"
}
requests() {
    "$py" -c 'import json,sys
try: print(json.load(open(sys.argv[1])).get("/" + sys.argv[2], {}).get("requests", 0))
except FileNotFoundError: print(0)' "$dir/served.json" "$1"
}

# Compares two renders: identical, or close: features (non-background pixels) overlap with IoU >= 0.99 and 99 % of
# the pixels are within 8 levels on every channel (resampling). The remote one must draw on 2 % of the pixels.
compare() {  # name local.png remote.png
    "$py" - "$@" <<'PY'
import sys
from osgeo import gdal
name, a, b = sys.argv[1:4]
def pixels(path):
    ds = gdal.Open(path)
    return ds.RasterXSize, ds.RasterYSize, ds.ReadRaster(band_list=[1, 2, 3])
wa, ha, pa = pixels(a)
wb, hb, pb = pixels(b)
assert (wa, ha) == (wb, hb), "%s: sizes differ" % name
n = wa * ha
def drawn(p):  # the background is white
    return {i for i in range(n) if p[i] != 255 or p[n + i] != 255 or p[2 * n + i] != 255}
da, db = drawn(pa), drawn(pb)
share = len(db) / n
iou = 1.0 if pa == pb else len(da & db) / max(1, len(da | db))
close = sum(1 for i in range(n) if max(abs(pa[k * n + i] - pb[k * n + i]) for k in range(3)) <= 8) / n
print("%s: %s, drawn %.1f %% of the pixels, IoU %.4f, %.2f %% within 8 levels"
      % (name, "identical" if pa == pb else "differs", 100 * share, iou, 100 * close))
assert share >= 0.02, "%s: the remote render draws (almost) nothing" % name
assert iou >= 0.99 and close >= 0.99, "%s: the remote render differs from the local one" % name
PY
}

start_server
url=/vsicurl/http://127.0.0.1:$port
check_remote() {  # name file bbox [render options...]
    local name=$1 file=$2 bbox=$3
    shift 3
    "$bin" render --out "$dir/$name.local.png" --size 512x512 --bbox "$bbox" --bbox-crs EPSG:4326 "$@" \
        "$data/$file" 2>"$dir/$name.local.err" || { bad "$name: local render"; cat "$dir/$name.local.err"; return; }
    local before reqs0
    before=$(served "$file")
    reqs0=$(requests "$file")
    "$bin" render --out "$dir/$name.remote.png" --size 512x512 --bbox "$bbox" --bbox-crs EPSG:4326 "$@" \
        "$url/$file" 2>"$dir/$name.remote.err" || { bad "$name: remote render"; cat "$dir/$name.remote.err"; return; }
    local fetched size reqs
    fetched=$(($(served "$file") - before))
    reqs=$(($(requests "$file") - reqs0))
    size=$(stat -c %s "$data/$file")
    "$py" -c "import sys; s=$fetched/$size; print('$name: fetched %d of %d bytes (%.2f %%) in %d requests' % ($fetched, $size, 100*s, $reqs)); sys.exit(0 if 0 < s < $max_share else 1)" ||
        bad "$name: fetched too much (or nothing)"
    compare "$name" "$dir/$name.local.png" "$dir/$name.remote.png" || bad "$name: images"
}

# Small views at 512x512, 1/17 of the extent across: over dense footprints (about 1900 of the 50000, spread over
# 1.6 MB of the file in index order, which GDAL's read-ahead fetches), and over the raster where the local and the
# remote render both read the view's window at screen resolution (readRasterWindows).
bbox=114.335,22.755,114.345,22.765
check_remote fgb buildings.fgb $bbox --fill '#c8966e' --stroke '#503c28'
check_remote cog image_cog.tif 114.355,22.695,114.365,22.705

# A project layer with a remote source reads only the view too.
cat >"$dir/remote.atlas.json" <<EOF
{"version": 1, "crs": "EPSG:3857",
 "layers": [{"name": "buildings", "source": "$url/buildings.fgb",
             "style": {"fill": "#c8966e", "stroke": "#503c28", "fillEnabled": true, "strokeEnabled": true}}]}
EOF
before=$(served buildings.fgb)
if "$bin" render --project "$dir/remote.atlas.json" --out "$dir/project.png" --size 512x512 --bbox "$bbox" \
    --bbox-crs EPSG:4326 2>"$dir/project.err"; then
    fetched=$(($(served buildings.fgb) - before))
    echo "project: fetched $fetched bytes"
    [ "$fetched" -lt $(($(stat -c %s "$data/buildings.fgb") * 15 / 100)) ] || bad "project: fetched $fetched bytes"
    compare project "$dir/fgb.local.png" "$dir/project.png" || bad "project: image"
else
    bad "project render"
    cat "$dir/project.err"
fi

# Errors: exit 1, one clear message naming the URL, no crash.
expect_error() {  # name url
    "$bin" render --out "$dir/err.png" --size 64x64 "$2" >/dev/null 2>"$dir/$1.err"
    local rc=$?
    if [ "$rc" -ne 1 ] || ! grep -qF "$2" "$dir/$1.err"; then
        bad "$1: rc=$rc (want 1), stderr:"
        cat "$dir/$1.err"
    else
        echo "ok   $1: $(head -1 "$dir/$1.err")"
    fi
}
expect_error "404" "$url/missing.fgb"
# Opening a remote file lists no folder and probes for no sidecar (.aux.xml, .msk, ...): one request each.
"$py" -c 'import json,sys
asked = sorted(set(json.load(open(sys.argv[1]))) - {"_all", "/buildings.fgb", "/image_cog.tif", "/missing.fgb"})
print("other paths requested:", asked or "none")
sys.exit(1 if asked else 0)' "$dir/served.json" || bad "requests for other paths than the files"
stop_server
trap - EXIT
expect_error "server down" "$url/buildings.fgb"

[ "$fail" -eq 0 ] || { echo "$fail failure(s)"; exit 1; }
echo "vsicurl: all checks passed"

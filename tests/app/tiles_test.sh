#!/usr/bin/env bash
# Tile basemaps end to end (#9), on loopback only: a synthetic raster over Pingshan and its XYZ pyramids (WGS84 and
# GCJ-02, tiles/make_pyramids.py) served by tile_server.py, drawn by `planatlas render` / `export` / `tiles pack`.
#   a  alignment: the tiles rendered in EPSG:3857, EPSG:4547 and EPSG:4326 (and exported in EPSG:4547) land on
#      gdalwarp of the source raster onto the same grid (shift <= 1 px, small mean difference; tiles/compare.py)
#   b  cached tiles render with the server stopped (also --offline), equal to the online render; --offline with an
#      empty cache fails naming the source
#   c  tiles pack -> MBTiles (GDAL reads it and its metadata) -> render --offline with an empty cache equals the
#      online render; a second pack resumes (fetches nothing)
#   d  the GCJ-02 pyramid declared "datum": "gcj02" lands on the WGS84 one within 1 px (and, undeclared, does not)
#   e  tiles neither fetchable nor cached: exit 1 naming the source; --allow-missing-tiles draws without them
#   f  `tiles key`: the key is sent to the server, kept in a mode-600 config file, and written nowhere else
#      (project file, export outputs and sidecars, a pack's MBTiles, cache, messages)
#   g  HTTP 500, a truncated PNG: exit 1 with a message; 404 (no tile there): no crash, and a view across the
#      pyramid's edge draws the tiles that exist; a slow server: drawn
#   i  WMTS (REST capabilities): the Web Mercator set equals the XYZ render; an EPSG:4490 geographic matrix set
#      (Tianditu's "c" layout) aligns with gdalwarp in EPSG:4547 and EPSG:3857
#   h  tiles pack refuses OpenStreetMap's tile servers (their usage policy) without any network connection
#   v  the viewer (Xvfb) on a project whose first layer is the XYZ basemap: the screenshot's map shows the
#      pyramid's colours (colour histogram against `planatlas render` of the same extent), the server saw tile
#      requests with the PlanAtlas User-Agent; with the server stopped and an empty cache it starts and quits (exit 0)
# Usage: tiles_test.sh PLANATLAS_BINARY SCRATCH_DIR
set -euo pipefail
bin=$1
scratch=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=/usr/bin/python3  # Debian's, with python3-gdal and numpy
cmp_py=$here/tiles/compare.py
mkdir -p "$scratch"
tmp=$(mktemp -d "$scratch/run.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
ok() { echo "ok   $*"; }
show() { sed 's/^/    | /' "$1" | head -20; }

# The data is made once per scratch folder (deterministic) and again when the generator changes.
data=$scratch/data
if [ ! -s "$data/pyramids.json" ] || [ "$here/tiles/make_pyramids.py" -nt "$data/pyramids.json" ]; then
    rm -rf "$data"
    "$py" "$here/tiles/make_pyramids.py" "$data"
fi

# Every planatlas run gets its own settings, state and (unless the caller says) cache folders under $tmp.
export XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/share HOME=$tmp/home
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME" "$HOME"
fresh_cache() { mktemp -d "$tmp/cache.XXXXXX"; }
cache=$(fresh_cache)

start_server() {  # sets port and server_pid
    rm -f "$tmp/port"
    "$py" "$here/tile_server.py" --root "$data" --port 0 --port-file "$tmp/port" --log "$tmp/server.log" \
        2>>"$tmp/server.err" &
    server_pid=$!
    for _ in $(seq 100); do
        [ -s "$tmp/port" ] && break
        sleep 0.1
    done
    port=$(head -1 "$tmp/port" 2>/dev/null || true)
    [ -n "$port" ] || { echo "FAIL: the tile server did not start"; show "$tmp/server.err"; exit 1; }
}
stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}
tile_fetches() { cat "$tmp/server.log" 2>/dev/null | grep -c ' /xyz/.* 200 ' || true; }  # tiles sent whole

# run NAME CACHE_DIR planatlas-args...: runs planatlas with that cache; sets rc; stdout/stderr in $tmp/NAME.out/.err
run() {
    local name=$1 cdir=$2
    shift 2
    rc=0
    XDG_CACHE_HOME=$cdir "$bin" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
}
# expect_ok NAME: the last run exited 0 and wrote $tmp/NAME.png
expect_ok() {
    if [ "$rc" -ne 0 ] || [ ! -s "$tmp/$1.png" ]; then
        bad "$1: exit $rc (want 0 and a PNG), stderr:"; show "$tmp/$1.err"; return 1
    fi
}
# compare LABEL A B thresholds...: tiles/compare.py, its JSON in $tmp/cmpN.json
ncmp=0
compare() {
    local name=$1 a=$2 b=$3
    shift 3
    [ -s "$a" ] && [ -s "$b" ] || { echo "skip $name: no $([ -s "$a" ] && echo "$b" || echo "$a")"; return 0; }
    ncmp=$((ncmp + 1))
    if "$py" "$cmp_py" "$a" "$b" "$@" >"$tmp/cmp$ncmp.json"; then
        ok "$name: $(summary "$tmp/cmp$ncmp.json")"
    else
        bad "$name: $(summary "$tmp/cmp$ncmp.json") [$tmp/cmp$ncmp.json]"
    fi
}
summary() {
    "$py" -c 'import json,sys
r = json.load(open(sys.argv[1]))
if "error" in r: print(r["error"]); sys.exit()
print(("identical, " if r["identical"] else "") + "shift %.2f px (%.2f, %.2f)%s, mean difference %.2f, opaque %.3f, std %.0f/%.0f%s" % (r["shift_px"],
      r["shift_x"], r["shift_y"], " AT LIMIT" if r["at_limit"] else "", -1 if r["mean_abs_diff"] is None else r["mean_abs_diff"], r["opaque_both"],
      r["std_a"], r["std_b"], "; " + "; ".join(r["failed"]) if r["failed"] else ""))' "$1"
}

start_server
base=http://127.0.0.1:$port
xyz="$base/xyz/{z}/{x}/{y}.png"
gcj="$base/gcj/{z}/{x}/{y}.png"

# The view: 512 px over ~3 km around lon 114.34, lat 22.69 (inside the raster; ground resolution ~5.5 m, so
# zoom 15 tiles, the pyramid's deepest, or 14), given in the display CRS itself so that the render's extent is
# exactly the box gdalwarp gets with -te.
size=512
center_in() { echo "114.34 22.69" | gdaltransform -s_srs EPSG:4326 -t_srs "$1" -output_xy; }
box_in() {  # CRS HALF_WIDTH -> minx,miny,maxx,maxy
    local cx cy
    read -r cx cy < <(center_in "$1")
    "$py" -c "import sys; c=[float(v) for v in sys.argv[1:4]]; print('%.9f,%.9f,%.9f,%.9f' % (c[0]-c[2], c[1]-c[2], c[0]+c[2], c[1]+c[2]))" "$cx" "$cy" "$2"
}
box3857=$(box_in EPSG:3857 1536)
box4547=$(box_in EPSG:4547 1536)
box4326=$(box_in EPSG:4326 0.015)

# --- a: alignment with gdalwarp of the source raster --------------------------------------------------------------
for crs in EPSG:3857 EPSG:4547 EPSG:4326; do
    n=${crs#EPSG:}
    box=box$n
    box=${!box}
    run "a_$n" "$cache" render "$xyz" --out "$tmp/a_$n.png" --size ${size}x$size --crs "$crs" --bbox "$box" \
        --bbox-crs "$crs" --background '#ff00ff'
    expect_ok "a_$n" || continue
    gdalwarp -q -overwrite -t_srs "$crs" -te ${box//,/ } -ts $size $size -r bilinear "$data/wgs84.tif" "$tmp/ref_$n.tif"
    compare "a: XYZ in $crs vs gdalwarp" "$tmp/ref_$n.tif" "$tmp/a_$n.png" --max-shift 1 --max-mean-diff 12 \
        --min-opaque 0.95 --min-std 20
done
grep -q ' /xyz/15/' "$tmp/server.log" && ! grep -q ' /xyz/1[6-9]/' "$tmp/server.log" ||
    bad "a: ~5.5 m pixels should draw zoom-15 tiles (4.4 m), none deeper: $(grep -o ' /xyz/[0-9]*/' "$tmp/server.log" | sort | uniq -c | tr '\n' ' ')"

# export (streamed in tiles, no decorations) of a project tile layer lands on gdalwarp of the grid its world file
# gives.
cat >"$tmp/plain.atlas.json" <<EOF
{"version": 1, "title": "tiles test", "crs": "EPSG:4547",
 "layers": [{"name": "basemap", "source": "$xyz", "visible": true, "tiles": {"attribution": "Test tiles"}}]}
EOF
mkdir -p "$tmp/exp4547"
run a_export "$cache" export --project "$tmp/plain.atlas.json" --crs EPSG:4547 --bbox "$box4547" --bbox-crs EPSG:4547 \
    --size 600x400 --no-decorations --out "$tmp/exp4547/out.png"
if [ "$rc" -ne 0 ] || [ ! -s "$tmp/exp4547/out.pgw" ]; then
    bad "a: export in EPSG:4547: exit $rc, no world file? stderr:"; show "$tmp/a_export.err"
else
    te=$("$py" -c 'import sys
a, d, b, e, c, f = (float(v) for v in open(sys.argv[1]).read().split())
w, h = int(sys.argv[2]), int(sys.argv[3])
x0, y1 = c - a / 2, f - e / 2
print(x0, y1 + e * h, x0 + a * w, y1)' "$tmp/exp4547/out.pgw" 600 400)
    gdalwarp -q -overwrite -t_srs EPSG:4547 -te $te -ts 600 400 -r bilinear "$data/wgs84.tif" "$tmp/ref_exp.tif"
    compare "a: export in EPSG:4547 vs gdalwarp of its world file's grid" "$tmp/ref_exp.tif" "$tmp/exp4547/out.png" \
        --max-shift 1 --max-mean-diff 12 --min-opaque 0.95 --min-std 20
fi
cached=$(find "$cache/planatlas/tiles" -type f 2>/dev/null | wc -l || true)
[ "$cached" -gt 0 ] && ok "a: $cached files in \$XDG_CACHE_HOME/planatlas/tiles" ||
    bad "a: nothing in \$XDG_CACHE_HOME/planatlas/tiles after online renders ($(find "$cache" | head -5 | tr '\n' ' '))"
grep -q ' PlanAtlas/' "$tmp/server.log" || bad "a: no request with a PlanAtlas/VERSION User-Agent: $(head -1 "$tmp/server.log")"

# --- i: WMTS (REST), Web Mercator and the CGCS2000 geographic matrix set ----------------------------------------
# The capabilities name this run's port, so they are written per run (into the served folder, removed at exit).
wmts_caps() {  # FILE: a REST WMTS over xyz/ (GoogleMapsCompatible) and geo/ (EPSG:4490 geographic levels 1-15)
    "$py" - "$1" "$base" <<'PY'
import math
import sys
out, base = sys.argv[1:3]
matrix = ("<TileMatrix><ows:Identifier>%d</ows:Identifier><ScaleDenominator>%.10f</ScaleDenominator>"
          "<TopLeftCorner>%s</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>"
          "<MatrixWidth>%d</MatrixWidth><MatrixHeight>%d</MatrixHeight></TileMatrix>")
# Scale denominators as OGC 07-057r7 defines them: 0.28 mm pixels; degrees as 2 pi 6378137 / 360 m.
merc = "".join(matrix % (z, 559082264.0287178 / 2 ** z, "-20037508.342789244 20037508.342789244", 2 ** z, 2 ** z)
               for z in range(0, 16))
geo = "".join(matrix % (z, 360.0 / 2 ** z / 256 * 6378137 * math.pi / 180 / 0.00028, "90 -180", 2 ** z,
                        2 ** (z - 1)) for z in range(1, 16))
layer = ('<Layer><ows:Title>%s</ows:Title><ows:Identifier>%s</ows:Identifier><Style isDefault="true">'
         '<ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format><TileMatrixSetLink>'
         '<TileMatrixSet>%s</TileMatrixSet></TileMatrixSetLink><ResourceURL format="image/png" resourceType="tile" '
         'template="%s"/></Layer>')
doc = ('<?xml version="1.0" encoding="UTF-8"?>\n<Capabilities xmlns="http://www.opengis.net/wmts/1.0" '
       'xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">'
       '<ows:ServiceIdentification><ows:Title>tiles test</ows:Title><ows:ServiceType>OGC WMTS</ows:ServiceType>'
       '<ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion></ows:ServiceIdentification><Contents>'
       + layer % ("Mercator", "merc", "GoogleMapsCompatible", base + "/xyz/{TileMatrix}/{TileCol}/{TileRow}.png")
       + layer % ("Geographic", "geo", "c", base + "/geo/{TileMatrix}/{TileRow}/{TileCol}.png")
       + "<TileMatrixSet><ows:Identifier>GoogleMapsCompatible</ows:Identifier>"
       "<ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>" + merc + "</TileMatrixSet>"
       "<TileMatrixSet><ows:Identifier>c</ows:Identifier>"
       "<ows:SupportedCRS>urn:ogc:def:crs:EPSG::4490</ows:SupportedCRS>" + geo + "</TileMatrixSet>"
       "</Contents></Capabilities>\n")
with open(out, "w") as f:
    f.write(doc)
PY
}
wmts_file=wmts-$$.xml
wmts_caps "$data/$wmts_file"
trap 'rm -f "$data/$wmts_file"; cleanup' EXIT
wmts_project() {  # FILE LAYER
    cat >"$1" <<EOF
{"version": 1, "title": "tiles test (WMTS)", "crs": "EPSG:3857",
 "layers": [{"name": "wmts", "source": "WMTS:$base/$wmts_file", "visible": true, "opacity": 1.0,
             "tiles": {"layer": "$2", "attribution": "Test tiles"}}]}
EOF
}
run i_wmts_cli "$cache" render "WMTS:$base/$wmts_file" --out "$tmp/i_wmts_cli.png" --size ${size}x$size \
    --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857 --background '#ff00ff'
expect_ok i_wmts_cli && compare "i: WMTS (first layer, Web Mercator) vs XYZ" "$tmp/a_3857.png" "$tmp/i_wmts_cli.png" \
    --max-shift 0.25 --max-mean-diff 2 --min-opaque 0.95 --min-std 20
wmts_project "$tmp/wmts_geo.atlas.json" geo
for crs in EPSG:4547 EPSG:3857; do
    n=${crs#EPSG:}
    box=box$n
    box=${!box}
    run "i_geo_$n" "$cache" render --project "$tmp/wmts_geo.atlas.json" --out "$tmp/i_geo_$n.png" \
        --size ${size}x$size --crs "$crs" --bbox "$box" --bbox-crs "$crs" --background '#ff00ff'
    expect_ok "i_geo_$n" && compare "i: WMTS EPSG:4490 geographic matrices in $crs vs gdalwarp" "$tmp/ref_$n.tif" \
        "$tmp/i_geo_$n.png" --max-shift 1 --max-mean-diff 12 --min-opaque 0.95 --min-std 20
done

# --- d: GCJ-02 pyramid declared gcj02 -----------------------------------------------------------------------------
project_json() {  # FILE SOURCE DATUM
    cat >"$1" <<EOF
{"version": 1, "title": "tiles test", "crs": "EPSG:3857",
 "view": {"lon": 114.34, "lat": 22.69, "scale": 25000.0},
 "layers": [{"name": "basemap", "source": "$2", "visible": true, "opacity": 1.0,
             "tiles": {"maxZoom": 15, "tileSize": 256, "datum": "$3", "attribution": "Test tiles"}}]}
EOF
}
project_json "$tmp/gcj.atlas.json" "$gcj" gcj02
run d_gcj "$cache" render --project "$tmp/gcj.atlas.json" --out "$tmp/d_gcj.png" --size ${size}x$size \
    --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857 --background '#ff00ff'
if expect_ok d_gcj; then
    compare "d: GCJ-02 pyramid declared gcj02 vs the WGS84 one" "$tmp/a_3857.png" "$tmp/d_gcj.png" --max-shift 1 \
        --max-mean-diff 12 --min-opaque 0.95 --min-std 20
    compare "d: GCJ-02 pyramid declared gcj02 vs gdalwarp" "$tmp/ref_3857.tif" "$tmp/d_gcj.png" --max-shift 1 \
        --max-mean-diff 12 --min-opaque 0.95 --min-std 20
fi
# The same pyramid not declared (a plain template) sits ~600 m (~100 px) off: the comparison can see a datum error.
run d_plain "$cache" render "$gcj" --out "$tmp/d_plain.png" --size ${size}x$size --crs EPSG:3857 \
    --bbox "$box3857" --bbox-crs EPSG:3857
if expect_ok d_plain; then
    if "$py" "$cmp_py" "$tmp/a_3857.png" "$tmp/d_plain.png" --max-shift 1 >"$tmp/d_plain.cmp"; then
        bad "d: the undeclared GCJ-02 pyramid matches the WGS84 one: $(summary "$tmp/d_plain.cmp")"
    else
        ok "d: undeclared GCJ-02 pyramid is off, as it should be"
    fi
fi

# --- c: pack -> MBTiles -> render offline -------------------------------------------------------------------------
# The first pack from a project layer (its attribution goes into the metadata), the second from the bare template.
packbox=114.32,22.67,114.36,22.71
project_json "$tmp/pack.atlas.json" "$xyz" wgs84
run c_pack "$cache" tiles pack --project "$tmp/pack.atlas.json" --layer basemap --bbox $packbox --zooms 13-15 \
    --out "$tmp/pack.mbtiles"
if [ "$rc" -ne 0 ] || [ ! -s "$tmp/pack.mbtiles" ]; then
    bad "c: tiles pack: exit $rc, stdout/stderr:"; show "$tmp/c_pack.out"; show "$tmp/c_pack.err"
else
    ok "c: tiles pack: $(cat "$tmp/c_pack.out" "$tmp/c_pack.err" | tr '\r' '\n' | grep -v '^\s*$\|contacting' | sed -n '1p;$p' | tr '\n' ' ')"
    grep -qiE '[0-9]+ tiles' "$tmp/c_pack.out" "$tmp/c_pack.err" || bad "c: tiles pack printed no tile count"
    grep -qiE '[0-9.]+ *([kM]i?B|bytes)' "$tmp/c_pack.out" "$tmp/c_pack.err" || bad "c: tiles pack printed no size estimate"
    if gdalinfo "$tmp/pack.mbtiles" >"$tmp/c_gdalinfo.txt" 2>&1; then
        for item in name format bounds minzoom maxzoom attribution; do
            grep -qi "^ *$item=" "$tmp/c_gdalinfo.txt" || bad "c: gdalinfo shows no '$item' metadata"
        done
        grep -q "^ *attribution=Test tiles" "$tmp/c_gdalinfo.txt" || bad "c: the MBTiles' attribution is not the layer's"
        grep -qi "^ *minzoom=13" "$tmp/c_gdalinfo.txt" && grep -qi "^ *maxzoom=15" "$tmp/c_gdalinfo.txt" ||
            bad "c: MBTiles zooms are not 13-15: $(grep -i zoom= "$tmp/c_gdalinfo.txt" | tr '\n' ' ')"
        ok "c: gdalinfo reads the MBTiles ($(grep -i '^Size is' "$tmp/c_gdalinfo.txt"))"
    else
        bad "c: gdalinfo cannot read the MBTiles:"; show "$tmp/c_gdalinfo.txt"
    fi
    before=$(tile_fetches)
    run c_pack2 "$cache" tiles pack "$xyz" --bbox $packbox --zooms 13-15 --out "$tmp/pack.mbtiles"
    after=$(tile_fetches)
    if [ "$rc" -ne 0 ]; then
        bad "c: second tiles pack: exit $rc:"; show "$tmp/c_pack2.out"; show "$tmp/c_pack2.err"
    elif [ "$after" -gt $((before + 4)) ]; then  # the estimate may sample up to 4 tiles; the pack fetches none
        bad "c: second tiles pack fetched $((after - before)) tiles again (want at most the 4 size samples: resume)"
    elif ! grep -qiE '(^|[^0-9])0 (new|written|fetched)' "$tmp/c_pack2.out" "$tmp/c_pack2.err"; then
        bad "c: second tiles pack does not say it kept the tiles:"; show "$tmp/c_pack2.out"
    else
        ok "c: second tiles pack resumed: $(cat "$tmp/c_pack2.out" "$tmp/c_pack2.err" | tr '\r' '\n' | grep -v '^\s*$' | tail -1)"
    fi
    run c_offline "$(fresh_cache)" render "$tmp/pack.mbtiles" --offline --out "$tmp/c_offline.png" \
        --size ${size}x$size --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857 --background '#ff00ff'
    expect_ok c_offline &&
        compare "c: MBTiles offline vs online" "$tmp/a_3857.png" "$tmp/c_offline.png" --max-shift 0.25 \
            --max-mean-diff 2 --min-opaque 0.95 --min-std 20
fi

# --- g: HTTP errors (fresh caches: nothing to fall back on) -------------------------------------------------------
for fault in status/500 truncated; do
    name=g_${fault//\//_}
    want=127.0.0.1
    [ "$fault" = truncated ] || want=500
    run "$name" "$(fresh_cache)" render "$base/$fault/xyz/{z}/{x}/{y}.png" --out "$tmp/$name.png" \
        --size 256x256 --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857
    if [ "$rc" -eq 1 ] && grep -q "127.0.0.1" "$tmp/$name.err" && grep -q "$want" "$tmp/$name.err"; then
        ok "$fault: exit 1: $(head -c 300 "$tmp/$name.err" | tr '\n' ' ')"
    else
        bad "$fault: exit $rc (want 1 and a message naming the source and '$want'), stderr:"; show "$tmp/$name.err"
    fi
done
run g_404 "$(fresh_cache)" render "$base/status/404/xyz/{z}/{x}/{y}.png" --out "$tmp/g_404.png" --size 256x256 \
    --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857
if [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && [ -s "$tmp/g_404.err" ]; }; then
    ok "status/404: exit $rc: $(head -c 300 "$tmp/g_404.err" | tr '\n' ' ')"
else
    bad "status/404: exit $rc (want 0, or 1 with a message), stderr:"; show "$tmp/g_404.err"
fi
# A view across the pyramid's east edge: the tiles beyond it are not on the server (404), the others draw.
edge=114.37,22.68,114.39,22.70
run g_edge "$(fresh_cache)" render "$xyz" --out "$tmp/g_edge.png" --size 256x256 --crs EPSG:3857 --bbox "$edge" \
    --bbox-crs EPSG:4326 --background '#ff00ff'
if expect_ok g_edge; then
    "$py" -c 'import sys
from osgeo import gdal
a = gdal.Open(sys.argv[1]).ReadAsArray()
bg = ((a[0] == 255) & (a[1] == 0) & (a[2] == 255)).mean()
print("%.2f of the picture is background" % bg)
sys.exit(0 if 0.2 < bg < 0.8 else 1)' "$tmp/g_edge.png" >"$tmp/g_edge.txt" &&
        ok "g: view across the pyramid's edge (404 beyond it): exit 0, $(cat "$tmp/g_edge.txt")" ||
        bad "g: view across the pyramid's edge: $(cat "$tmp/g_edge.txt") (want the tiles drawn west of lon 114.38)"
fi
run g_slow "$(fresh_cache)" render "$base/slow/1/xyz/{z}/{x}/{y}.png" --out "$tmp/g_slow.png" --size ${size}x$size \
    --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857 --background '#ff00ff'
expect_ok g_slow && compare "slow/1: a slow server's tiles vs online" "$tmp/a_3857.png" "$tmp/g_slow.png" \
    --max-shift 0.25 --max-mean-diff 2 --min-opaque 0.95

# --- f: the key ---------------------------------------------------------------------------------------------------
run f_key "$cache" tiles key 127.0.0.1 SECRETKEY123
if [ "$rc" -ne 0 ]; then
    bad "f: tiles key: exit $rc:"; show "$tmp/f_key.err"
else
    keyfiles=$(grep -rl SECRETKEY123 "$XDG_CONFIG_HOME" || true)
    if [ -z "$keyfiles" ]; then
        bad "f: the key is in no file under \$XDG_CONFIG_HOME"
    else
        for f in $keyfiles; do
            case $f in "$XDG_CONFIG_HOME"/planatlas/*) ;; *) bad "f: key stored outside \$XDG_CONFIG_HOME/planatlas: $f" ;; esac
            [ "$(stat -c %a "$f")" = 600 ] && ok "f: key in ${f#"$tmp"/} (mode 600)" ||
                bad "f: $f holds the key with mode $(stat -c %a "$f") (want 600)"
        done
    fi
fi
keycache=$(fresh_cache)
project_json "$tmp/key.atlas.json" "$base/xyz/{z}/{x}/{y}.png?tk={key}" wgs84
cp "$tmp/key.atlas.json" "$tmp/key.atlas.json.orig"
run f_render "$keycache" render --project "$tmp/key.atlas.json" --out "$tmp/f_render.png" --size ${size}x$size \
    --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857 --background '#ff00ff'
expect_ok f_render && compare "f: keyed template vs online" "$tmp/a_3857.png" "$tmp/f_render.png" \
    --max-shift 0.25 --max-mean-diff 2 --min-opaque 0.95
mkdir -p "$tmp/export"
run f_export "$keycache" export --project "$tmp/key.atlas.json" --bbox 114.33,22.68,114.35,22.70 --bbox-crs EPSG:4326 \
    --size 400x400 --out "$tmp/export/out.png"
if [ "$rc" -ne 0 ] || [ ! -s "$tmp/export/out.png" ]; then
    bad "f: export: exit $rc, stderr:"; show "$tmp/f_export.err"
else
    for side in out.pgw out.prj out.json; do [ -s "$tmp/export/$side" ] || bad "f: export wrote no $side ($(ls "$tmp/export" | tr '\n' ' '))"; done
    grep -q "Test tiles" "$tmp/export/out.json" || bad "f: the provenance sidecar lacks the layer's attribution"
fi
run f_pack "$keycache" tiles pack --project "$tmp/key.atlas.json" --layer basemap --bbox 114.335,22.685,114.345,22.695 \
    --zooms 14-14 --out "$tmp/export/key.mbtiles"
[ "$rc" -eq 0 ] && [ -s "$tmp/export/key.mbtiles" ] || { bad "f: tiles pack of the keyed layer: exit $rc:"; show "$tmp/f_pack.err"; }
grep -q 'tk=SECRETKEY123' "$tmp/server.log" && ok "f: the server received the key" ||
    bad "f: the key was never sent (server log: $(grep -m1 'tk=' "$tmp/server.log" || echo 'no tk= request'))"
leaks=$(grep -rl SECRETKEY123 "$tmp/key.atlas.json" "$tmp/export" "$keycache" "$cache" "$XDG_STATE_HOME" \
    "$tmp"/f_*.out "$tmp"/f_*.err 2>/dev/null || true)
[ -z "$leaks" ] && ok "f: the key is in no project file, export, sidecar, cache or message" ||
    bad "f: the key leaked into: $leaks"
cmp -s "$tmp/key.atlas.json" "$tmp/key.atlas.json.orig" || bad "f: render/export rewrote the project file"

# --- h: tiles pack refuses OpenStreetMap's servers, without any connection ----------------------------------------
osm='https://tile.openstreetmap.org/{z}/{x}/{y}.png'
if unshare -rn true 2>/dev/null; then
    nonet=(unshare -rn)
else  # no user namespaces: a dead proxy catches any attempt (libcurl honours it)
    nonet=(env https_proxy=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9)
fi
rc=0
XDG_CACHE_HOME=$cache "${nonet[@]}" "$bin" tiles pack "$osm" --bbox 114.33,22.68,114.35,22.70 --zooms 12-13 \
    --out "$tmp/osm.mbtiles" >"$tmp/h.out" 2>"$tmp/h.err" || rc=$?
if [ "$rc" -eq 1 ] && grep -qi "polic" "$tmp/h.err"; then
    ok "h: OSM pack refused: $(head -c 300 "$tmp/h.err" | tr '\n' ' ')"
else
    bad "h: OSM pack: exit $rc (want 1 and a message about the tile usage policy), stderr:"; show "$tmp/h.err"
fi
[ ! -s "$tmp/osm.mbtiles" ] || bad "h: a refused pack left $tmp/osm.mbtiles"

# --- v: the viewer with the basemap (Xvfb), the server up ------------------------------------------------------
# The project's view: 1:15000 at lon 114.34, lat 22.69 (zoom-15 tiles). The 400x400 px centre of the window lies
# in the map (the panels are at the sides) and covers 400 x 4.2 m on the ground; its colours (the picture's flat
# blocks, quantised to 8 levels a channel) are compared with `planatlas render` of that box.
viewer_ok=0
if command -v xvfb-run >/dev/null; then
    viewer_ok=1
    cat >"$tmp/viewer.atlas.json" <<EOF
{"version": 1, "title": "tiles test (viewer)", "crs": "EPSG:3857",
 "view": {"lon": 114.34, "lat": 22.69, "scale": 15000.0},
 "layers": [{"name": "basemap", "source": "$xyz", "visible": true, "opacity": 1.0,
             "tiles": {"maxZoom": 15, "attribution": "Test tiles"}}]}
EOF
fi
# viewer NAME CACHE_DIR: the viewer on viewer.atlas.json (the reach prompt answered Allow), a screenshot after 20
# frames once everything has loaded; sets rc (124: it hung); stdout/stderr in $tmp/NAME.out/.err
viewer() {
    rc=0
    XDG_CACHE_HOME=$2 timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --project "$tmp/viewer.atlas.json" \
        --frames 20 --reach-answer allow --screenshot "$tmp/$1.png" >"$tmp/$1.out" 2>"$tmp/$1.err" || rc=$?
}
# basemap_share SHOT: how much of the reference render's colour histogram the screenshot's centre shares (0-1)
basemap_share() {
    "$py" - "$tmp/v_ref.png" "$1" <<'PY'
import sys
from osgeo import gdal
import numpy as np
def hist(path, crop):
    a = gdal.Open(path).ReadAsArray()[:3].astype(int)
    if crop:
        h, w = a.shape[1:]
        a = a[:, h // 2 - 200:h // 2 + 200, w // 2 - 200:w // 2 + 200]
    q = (a[0] >> 5) * 64 + (a[1] >> 5) * 8 + (a[2] >> 5)
    n = np.bincount(q.ravel(), minlength=512).astype(float)
    return n / n.sum()
print("%.2f" % np.minimum(hist(sys.argv[1], False), hist(sys.argv[2], True)).sum())
PY
}
if [ "$viewer_ok" -eq 1 ]; then
    run v_ref "$cache" render "$xyz" --out "$tmp/v_ref.png" --size 400x400 --crs EPSG:3857 \
        --bbox "$(box_in EPSG:3857 910)" --bbox-crs EPSG:3857  # 200 px x 4.2 m / cos(22.69 deg)
    expect_ok v_ref || viewer_ok=0
fi
if [ "$viewer_ok" -eq 1 ]; then
    logged=$(wc -l <"$tmp/server.log")
    viewer v_online "$(fresh_cache)"
    if [ "$rc" -ne 0 ] || [ ! -s "$tmp/v_online.png" ]; then
        bad "v: viewer with the basemap: exit $rc (want 0 and a screenshot; 124: hung), stdout/stderr:"
        show "$tmp/v_online.out"; show "$tmp/v_online.err"
    else
        share=$(basemap_share "$tmp/v_online.png")
        "$py" -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.6 else 1)' "$share" &&
            ok "v: the viewer's map shows the basemap (colours shared with the render: $share)" ||
            bad "v: the viewer's map does not look like the basemap (colours shared with the render: $share, want >= 0.6)"
        [ ! -s "$tmp/v_online.err" ] || { bad "v: the viewer wrote to stderr:"; show "$tmp/v_online.err"; }
    fi
    requests=$(tail -n +$((logged + 1)) "$tmp/server.log" | grep -c ' /xyz/.* PlanAtlas/' || true)
    [ "$requests" -gt 0 ] && ok "v: the viewer fetched $requests tiles with the PlanAtlas User-Agent" ||
        bad "v: no tile request from the viewer with a PlanAtlas/VERSION User-Agent: $(tail -n +$((logged + 1)) "$tmp/server.log" | head -3 | tr '\n' ' ')"
else
    echo "skip v: no xvfb-run, or no reference render"
fi

# --- b: cached tiles with the server stopped; e: neither fetchable nor cached -------------------------------------
stop_server
run b_cached "$cache" render "$xyz" --out "$tmp/b_cached.png" --size ${size}x$size --crs EPSG:3857 \
    --bbox "$box3857" --bbox-crs EPSG:3857 --background '#ff00ff'
if expect_ok b_cached; then
    compare "b: cached, server stopped vs online" "$tmp/a_3857.png" "$tmp/b_cached.png" --max-shift 0.25 \
        --max-mean-diff 2 --min-opaque 0.95 --min-std 20
    [ ! -s "$tmp/b_cached.err" ] || echo "     stderr: $(head -c 300 "$tmp/b_cached.err" | tr '\n' ' ')"
fi
run b_offline "$cache" render "$xyz" --offline --out "$tmp/b_offline.png" --size ${size}x$size --crs EPSG:3857 \
    --bbox "$box3857" --bbox-crs EPSG:3857 --background '#ff00ff'
expect_ok b_offline && compare "b: --offline from the cache vs online" "$tmp/a_3857.png" "$tmp/b_offline.png" \
    --max-shift 0.25 --max-mean-diff 2 --min-opaque 0.95 --min-std 20
run b_offline_empty "$(fresh_cache)" render "$xyz" --offline --out "$tmp/b_offline_empty.png" --size 256x256 \
    --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857
if [ "$rc" -eq 1 ] && grep -q "127.0.0.1:$port" "$tmp/b_offline_empty.err"; then
    ok "b: --offline, empty cache: exit 1: $(head -c 300 "$tmp/b_offline_empty.err" | tr '\n' ' ')"
else
    bad "b: --offline, empty cache: exit $rc (want 1 naming the source), stderr:"; show "$tmp/b_offline_empty.err"
fi
run e_missing "$(fresh_cache)" render "$xyz" --out "$tmp/e_missing.png" --size 256x256 --crs EPSG:3857 \
    --bbox "$box3857" --bbox-crs EPSG:3857
if [ "$rc" -eq 1 ] && grep -q "127.0.0.1:$port" "$tmp/e_missing.err"; then
    ok "e: missing tiles: exit 1: $(head -c 300 "$tmp/e_missing.err" | tr '\n' ' ')"
else
    bad "e: missing tiles: exit $rc (want 1 naming 127.0.0.1:$port), stderr:"; show "$tmp/e_missing.err"
fi
[ ! -e "$tmp/e_missing.png" ] || bad "e: a failed render left its PNG"
run e_allow "$(fresh_cache)" render "$xyz" --allow-missing-tiles --out "$tmp/e_allow.png" --size 256x256 \
    --crs EPSG:3857 --bbox "$box3857" --bbox-crs EPSG:3857
expect_ok e_allow && ok "e: --allow-missing-tiles: exit 0: $(head -c 200 "$tmp/e_allow.err" | tr '\n' ' ')"

# --- v: the viewer with the server stopped and an empty cache: starts, draws no basemap, quits --------------------
if [ "$viewer_ok" -eq 1 ]; then
    viewer v_offline "$(fresh_cache)"
    if [ "$rc" -ne 0 ]; then
        bad "v: viewer, server stopped: exit $rc (want 0; 124: hung), stdout/stderr:"
        show "$tmp/v_offline.out"; show "$tmp/v_offline.err"
    else
        share=$([ -s "$tmp/v_offline.png" ] && basemap_share "$tmp/v_offline.png" || echo none)
        ok "v: viewer, server stopped, empty cache: exit 0 (colours shared with the render: $share)"
        [ "$share" != none ] && "$py" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 0.3 else 1)' "$share" ||
            bad "v: viewer, server stopped, empty cache: no screenshot, or it shows the basemap ($share)"
        # The failure named: the viewer reports a failing basemap as an error (Messages window, and stderr).
        if grep -q "127.0.0.1:$port" "$tmp/v_offline.err" "$tmp/v_offline.out"; then
            ok "v: the viewer names the failure: $(grep -h "127.0.0.1:$port" "$tmp/v_offline.err" "$tmp/v_offline.out" | head -1)"
        else
            bad "v: the viewer's messages do not name the failing source 127.0.0.1:$port"
            show "$tmp/v_offline.err"
        fi
    fi
fi

if [ "$fail" -ne 0 ]; then
    echo "$fail check(s) failed (files kept in $scratch/failed)"
    rm -rf "$scratch/failed" && cp -r "$tmp" "$scratch/failed"
    exit 1
fi
echo "all tile checks passed"

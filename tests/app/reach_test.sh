#!/usr/bin/env bash
# Where a project may reach (#13), end to end. A project with a layer served over HTTP by a loopback server
# (/vsicurl/http://127.0.0.1:PORT/...) and one with a layer outside its folder:
#   - render/export/analyze name each host they contact on stderr, one line per host; the bundled project none;
#   - --offline refuses network sources with one line naming them (exit 1), and the server sees no request;
#   - the viewer asks once (the reach prompt): "Open without them" leaves the layer unread and the server
#     untouched, the answer is remembered per project file in settings.json and not asked again; Allow reads it;
#   - the viewer with --offline refuses such a project (exit 1).
# Usage: reach_test.sh PLANATLAS_BINARY SCRATCH_DIR SOURCE_DIR
set -u
bin=$1
dir=$2
src=$3
py=/usr/bin/python3
rm -rf "$dir" && mkdir -p "$dir/served" "$dir/plan" "$dir/elsewhere" "$dir/local"
export XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
fail=0
pass=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
xvfb() { xvfb-run -a -s "-screen 0 1280x800x24" "$@"; }
district=$src/assets/pingshan_district_wgs84.geojson

ogr2ogr -q -f FlatGeobuf "$dir/served/district.fgb" "$district" || exit 1
"$py" "$src/tests/app/range_server.py" "$dir/served" "$dir/served.json" >"$dir/port" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
port=$(head -1 "$dir/port")
[ -n "$port" ] || { echo "FAIL: the range server did not start"; exit 1; }
requests() { "$py" -c 'import json,sys
try: print(json.load(open(sys.argv[1])).get("_all", {}).get("requests", 0))
except FileNotFoundError: print(0)' "$dir/served.json"; }
host="127.0.0.1:$port"

cp "$district" "$dir/plan/"
cp "$district" "$dir/elsewhere/outside.geojson"
cat >"$dir/plan/net.atlas.json" <<JSON
{"version": 1, "title": "network", "crs": "EPSG:3857",
 "layers": [{"name": "local", "source": "pingshan_district_wgs84.geojson"},
            {"name": "remote", "source": "/vsicurl/http://$host/district.fgb"}]}
JSON
cat >"$dir/plan/outside.atlas.json" <<JSON
{"version": 1, "title": "outside", "crs": "EPSG:3857",
 "layers": [{"name": "local", "source": "pingshan_district_wgs84.geojson"},
            {"name": "outside", "source": "../elsewhere/outside.geojson"}]}
JSON

# The commands: one line per contacted host; --offline refuses before any request.
"$bin" render --project "$dir/plan/net.atlas.json" --out "$dir/net.png" --size 200x150 2>"$dir/render.err"
rc=$?
[ "$rc" -eq 0 ] && [ "$(grep -c 'contacting host' "$dir/render.err")" -eq 1 ] &&
    grep -qx "planatlas: contacting host $host (layer remote)" "$dir/render.err" && ok "render names the host: $(cat "$dir/render.err")" ||
    { bad "render (rc $rc)"; cat "$dir/render.err"; }
[ "$(requests)" -gt 0 ] && ok "and reads it ($(requests) requests)" || bad "render did not read the remote layer"
before=$(requests)
"$bin" render --project "$dir/plan/net.atlas.json" --out "$dir/offline.png" --offline 2>"$dir/offline.err"
rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$dir/offline.err")" -eq 1 ] && grep -q -- "--offline: refusing network sources: $host (layer remote)" "$dir/offline.err" &&
    [ ! -e "$dir/offline.png" ] && ok "render --offline: exit 1, $(cat "$dir/offline.err")" || { bad "render --offline (rc $rc)"; cat "$dir/offline.err"; }
"$bin" export --project "$dir/plan/net.atlas.json" --size 200x150 --out "$dir/offline.tif" --offline 2>"$dir/export_offline.err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "refusing network sources: $host (layer remote)" "$dir/export_offline.err" && [ ! -e "$dir/offline.tif" ] &&
    ok "export --offline: exit 1" || { bad "export --offline (rc $rc)"; cat "$dir/export_offline.err"; }
"$bin" analyze overlap --project "$src/assets/pingshan2024.atlas.json" --against "/vsicurl/http://$host/district.fgb" \
    --out "$dir/overlap.csv" --offline 2>"$dir/analyze_offline.err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "refusing network sources: $host" "$dir/analyze_offline.err" && [ ! -e "$dir/overlap.csv" ] &&
    ok "analyze --offline: exit 1" || { bad "analyze --offline (rc $rc)"; cat "$dir/analyze_offline.err"; }
[ "$(requests)" -eq "$before" ] && ok "--offline: the server saw no request" || bad "--offline contacted the server"
"$bin" export --project "$dir/plan/net.atlas.json" --size 200x150 --out "$dir/net.tif" 2>"$dir/export.err"
grep -q "^planatlas: contacting host $host (layer remote)$" "$dir/export.err" && ok "export names the host" ||
    { bad "export did not name the host"; cat "$dir/export.err"; }
"$bin" render --out "$dir/bundled.png" --size 200x150 2>"$dir/bundled.err"
[ $? -eq 0 ] && ! grep -q "contacting" "$dir/bundled.err" && ok "the bundled project: no host named" ||
    { bad "bundled render"; cat "$dir/bundled.err"; }

# The viewer: asked once per project file, the answer remembered.
before=$(requests)
xvfb "$bin" --project "$dir/plan/net.atlas.json" --frames 5 --reach-answer deny >"$dir/deny.out" 2>"$dir/deny.err"
rc=$?
[ "$rc" -eq 0 ] && grep -qx "reach asked: 1 place(s): $host (layer remote)" "$dir/deny.out" &&
    grep -qx "reach: 1 place(s), 1 layer(s) not read" "$dir/deny.out" && ok "viewer asks; 'Open without them' leaves the layer unread" ||
    { bad "viewer deny (rc $rc)"; cat "$dir/deny.out" "$dir/deny.err"; }
[ "$(requests)" -eq "$before" ] && ok "refused: the server saw no request" || bad "refused, yet the server was contacted"
grep -q "\"$dir/plan/net.atlas.json\"" "$dir/config/planatlas/settings.json" && ok "the answer is in settings.json" ||
    bad "no reach decision in settings.json"
xvfb "$bin" --project "$dir/plan/net.atlas.json" --frames 5 >"$dir/again.out" 2>"$dir/again.err"
! grep -q "reach asked" "$dir/again.out" && grep -qx "reach: 1 place(s), 1 layer(s) not read" "$dir/again.out" &&
    [ "$(requests)" -eq "$before" ] && ok "remembered: not asked again, still unread" || { bad "not remembered"; cat "$dir/again.out"; }
xvfb "$bin" --project "$dir/plan/outside.atlas.json" --frames 5 --reach-answer allow >"$dir/allow.out" 2>"$dir/allow.err"
grep -qx "reach asked: 1 place(s): $dir/elsewhere/outside.geojson (layer outside)" "$dir/allow.out" &&
    grep -qx "reach: 1 place(s), 0 layer(s) not read" "$dir/allow.out" && ok "a file outside the folder: asked, Allow reads it" ||
    { bad "viewer allow"; cat "$dir/allow.out" "$dir/allow.err"; }
xvfb "$bin" --project "$dir/plan/outside.atlas.json" --frames 5 >"$dir/allowed.out" 2>"$dir/allowed.err"
! grep -q "reach asked" "$dir/allowed.out" && grep -qx "reach: 1 place(s), 0 layer(s) not read" "$dir/allowed.out" &&
    ok "Allow remembered" || { bad "Allow not remembered"; cat "$dir/allowed.out"; }
xvfb "$bin" --frames 5 >"$dir/bundled_viewer.out" 2>"$dir/bundled_viewer.err"
! grep -q "reach" "$dir/bundled_viewer.out" && ok "the bundled project asks nothing" || bad "the bundled project asked"
xvfb "$bin" --project "$dir/plan/net.atlas.json" --frames 5 --offline >"$dir/viewer_offline.out" 2>"$dir/viewer_offline.err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "refusing network sources: $host (layer remote)" "$dir/viewer_offline.err" &&
    ok "viewer --offline: exit 1 naming the host" || { bad "viewer --offline (rc $rc)"; cat "$dir/viewer_offline.err"; }
for f in deny again allow allowed bundled_viewer; do
    [ -s "$dir/$f.err" ] && { bad "stderr of $f not empty:"; cat "$dir/$f.err"; }
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# Command-line behaviour of `planatlas render` and the viewer without a display: exit codes and one-line errors.
# Usage: cli_test.sh PLANATLAS_BINARY SCRATCH_DIR
set -u
bin=$1
dir=$2
rm -rf "$dir" && mkdir -p "$dir"
pass=0
fail=0
check() {  # name expected_rc stderr_fragment command...
    local name=$1 want=$2 frag=$3
    shift 3
    "$@" >"$dir/out" 2>"$dir/err"
    local rc=$?
    if [ "$rc" -ne "$want" ] || { [ -n "$frag" ] && ! grep -q -- "$frag" "$dir/err"; }; then
        echo "FAIL $name: rc=$rc (want $want), stderr:"; cat "$dir/err"
        fail=$((fail + 1))
    else
        echo "ok   $name"
        pass=$((pass + 1))
    fi
}
check "missing --out" 2 "--out" "$bin" render
check "bad size" 2 "impossible" "$bin" render --out "$dir/a.png" --size 0x10
check "bad bbox" 2 "bbox" "$bin" render --out "$dir/a.png" --bbox 1,2,3
check "bad colour" 2 "colour" "$bin" render --out "$dir/a.png" --fill red
check "unknown option" 2 "unknown option" "$bin" render --out "$dir/a.png" --frobnicate 1
check "unreadable layer" 1 "nope.gpkg" "$bin" render --out "$dir/a.png" "$dir/nope.gpkg"
echo '{"type":"FeatureCollection","features":[{"type":"Fe' >"$dir/broken.geojson"
check "corrupt layer" 1 "broken.geojson" "$bin" render --out "$dir/a.png" "$dir/broken.geojson"
check "unknown crs" 1 "EPSG:999999" "$bin" render --out "$dir/a.png" --crs EPSG:999999
check "bad project" 1 "not valid JSON" "$bin" render --project "$dir/broken.geojson" --out "$dir/a.png"
check "size over render's limit" 2 "too large" "$bin" render --out "$dir/a.png" --size 60000x60000
check "unwritable output" 1 "a.png" "$bin" render --out "$dir/no/such/dir/a.png" --size 64x64
[ ! -e "$dir/a.png" ] || { echo "FAIL: a failed render left $dir/a.png"; fail=$((fail + 1)); }
check "default project renders" 0 "" "$bin" render --out "$dir/ok.png" --size 320x240
[ -s "$dir/ok.png" ] || { echo "FAIL: no PNG written"; fail=$((fail + 1)); }
env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --frames 1 >"$dir/out" 2>"$dir/err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$dir/err")" -eq 1 ] && grep -q "planatlas render" "$dir/err" && grep -q xvfb-run "$dir/err"; then
    echo "ok   no display: one line pointing to render and xvfb-run"; pass=$((pass + 1))
else
    echo "FAIL no display: rc=$rc"; cat "$dir/err"; fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

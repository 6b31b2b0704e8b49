#!/usr/bin/env bash
# Privacy (#13): opening the bundled project, or any project without network layers, makes no network connection.
# Each run happens in a network namespace with no interfaces (unshare -rn) under strace, which records every
# connect/sendto/sendmsg: success, and no AF_INET or AF_INET6 address in any of them (AF_UNIX for fontconfig and
# the X server is fine). A control run with a network layer shows that such an attempt is seen, and that --offline
# stops it before it is made.
# Usage: privacy_test.sh PLANATLAS_BINARY SCRATCH_DIR SOURCE_DIR   (exit 77 = skipped: no user namespaces)
set -u
bin=$1
dir=$2
src=$3
rm -rf "$dir" && mkdir -p "$dir/plan"
export XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
if ! unshare -rn true 2>/dev/null; then
    echo "SKIP: unshare -rn does not work here (user namespaces disabled)"
    exit 77
fi
command -v strace >/dev/null || { echo "FAIL: strace is missing (.ci/deps installs it)"; exit 1; }
# In a sanitized build LeakSanitizer cannot run under ptrace (it would fail every run): no leak check here; the
# same paths are leak-checked by the tests that do not trace them.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fail=0
pass=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
traced() {  # name command...: run in an empty network namespace, every network syscall in $dir/name.trace
    local name=$1
    shift
    unshare -rn strace -f -qq -e trace=connect,sendto,sendmsg -o "$dir/$name.trace" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
}
inet() { grep -E 'AF_INET6?\b' "$dir/$1.trace"; }

cp "$src/assets/pingshan_district_wgs84.geojson" "$src/assets/shenzhen_districts.gpkg" "$dir/plan/"
cat >"$dir/plan/local.atlas.json" <<'JSON'
{"version": 1, "title": "local", "crs": "EPSG:4547",
 "layers": [{"name": "districts", "source": "shenzhen_districts.gpkg"},
            {"name": "district", "source": "pingshan_district_wgs84.geojson"}]}
JSON
cat >"$dir/plan/remote.atlas.json" <<'JSON'
{"version": 1, "title": "remote", "crs": "EPSG:3857",
 "layers": [{"name": "remote", "source": "/vsicurl/http://127.0.0.1:9/nothing.fgb"}]}
JSON

traced bundled "$bin" render --out "$dir/bundled.png" --size 400x300
rc=$?
[ "$rc" -eq 0 ] && [ -s "$dir/bundled.png" ] && [ -z "$(inet bundled)" ] &&
    ok "render of the bundled project in an empty network namespace: no AF_INET/AF_INET6 ($(wc -l <"$dir/bundled.trace") traced calls)" ||
    { bad "bundled render (rc $rc)"; inet bundled; cat "$dir/bundled.err"; }
traced local "$bin" render --project "$dir/plan/local.atlas.json" --out "$dir/local.png" --size 400x300
rc=$?
[ "$rc" -eq 0 ] && [ -s "$dir/local.png" ] && [ -z "$(inet local)" ] && ok "render of a local project: no AF_INET/AF_INET6" ||
    { bad "local render (rc $rc)"; inet local; cat "$dir/local.err"; }
traced export "$bin" export --project "$dir/plan/local.atlas.json" --size 400x300 --out "$dir/local.tif"
rc=$?
[ "$rc" -eq 0 ] && [ -z "$(inet export)" ] && ok "export of a local project: no AF_INET/AF_INET6" ||
    { bad "local export (rc $rc)"; inet export; cat "$dir/export.err"; }
# The viewer under Xvfb in the same namespace (X over its unix socket).
unshare -rn xvfb-run -a -s "-screen 0 1280x800x24" strace -f -qq -e trace=connect,sendto,sendmsg -o "$dir/viewer.trace" \
    "$bin" --frames 10 --screenshot "$dir/viewer.png" >"$dir/viewer.out" 2>"$dir/viewer.err"
rc=$?
[ "$rc" -eq 0 ] && [ -s "$dir/viewer.png" ] && [ -z "$(inet viewer)" ] &&
    ok "the viewer on the bundled project: no AF_INET/AF_INET6 ($(grep -c AF_UNIX "$dir/viewer.trace") AF_UNIX calls)" ||
    { bad "viewer (rc $rc)"; inet viewer; cat "$dir/viewer.err"; }

# Controls: a network layer is seen trying (and failing: no interfaces); --offline stops it before any attempt.
traced remote "$bin" render --project "$dir/plan/remote.atlas.json" --out "$dir/remote.png"
[ -n "$(inet remote)" ] && grep -q "contacting host 127.0.0.1:9 (layer remote)" "$dir/remote.err" &&
    ok "control: a network layer's attempt is seen ($(inet remote | head -1 | cut -c1-90))" ||
    { bad "control: no AF_INET attempt seen for a network layer"; cat "$dir/remote.err"; }
traced offline "$bin" render --project "$dir/plan/remote.atlas.json" --out "$dir/offline.png" --offline
rc=$?
[ "$rc" -eq 1 ] && [ -z "$(inet offline)" ] && grep -q "refusing network sources: 127.0.0.1:9 (layer remote)" "$dir/offline.err" &&
    ok "--offline: refused by name, no attempt" || { bad "--offline (rc $rc)"; inet offline; cat "$dir/offline.err"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

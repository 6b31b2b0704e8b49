#!/usr/bin/env bash
# The installed tree: `cmake --install` into a temporary prefix, then the installed binary, started from an
# unrelated folder, finds its assets beside itself (../share/planatlas/assets), renders the bundled project and
# reports its version; the desktop entry's command opens a project file; the desktop files are where the
# freedesktop specs look for them.
# Usage: install_test.sh BUILD_DIR EXPECTED_VERSION
set -u
build=$1
version=$2
prefix=$(mktemp -d "${TMPDIR:-/tmp}/planatlas-install.XXXXXX")
elsewhere=$(mktemp -d "${TMPDIR:-/tmp}/planatlas-cwd.XXXXXX")
trap 'rm -rf "$prefix" "$elsewhere"' EXIT
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

if ! cmake --install "$build" --prefix "$prefix" >"$elsewhere/install.log" 2>&1; then
    cat "$elsewhere/install.log"
    echo "FAIL cmake --install"
    exit 1
fi
ok "cmake --install into $prefix"
bin=$prefix/bin/planatlas
for f in bin/planatlas share/planatlas/assets/pingshan2024.atlas.json share/applications/planatlas.desktop \
    share/mime/packages/planatlas.xml share/icons/hicolor/scalable/apps/planatlas.svg; do
    [ -s "$prefix/$f" ] && ok "installed $f" || bad "missing $f"
done
[ -x "$bin" ] || bad "bin/planatlas is not executable"
[ ! -e "$prefix/share/planatlas/assets/desktop" ] && ok "desktop files not duplicated among the assets" ||
    bad "share/planatlas/assets/desktop installed"
# Each PNG icon is a real PNG of its size (the signature, then the IHDR chunk's width and height).
png_size() {
    /usr/bin/python3 - "$1" 2>/dev/null <<'PY'
import struct, sys
head = open(sys.argv[1], "rb").read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n"
print("%dx%d" % struct.unpack(">II", head[16:24]))
PY
}
for size in 16 32 48 64 128 256; do
    png=$prefix/share/icons/hicolor/${size}x${size}/apps/planatlas.png
    dims=$(png_size "$png")
    [ "$dims" = "${size}x${size}" ] && ok "icon ${size}px" || bad "icon ${size}px: '$dims' ($png)"
done

# Everything below runs in an empty folder: nothing may come from the working directory or the build tree.
cd "$elsewhere" || exit 1
out=$("$bin" --version 2>&1)
rc=$?
[ "$rc" -eq 0 ] && [ "$out" = "planatlas $version" ] && ok "--version: $out" || bad "--version: rc=$rc '$out'"
"$bin" --help | grep -q -- "--version" && ok "--help mentions --version" || bad "--help does not mention --version"

if "$bin" render --out "$elsewhere/map.png" --size 320x240 >"$elsewhere/out" 2>"$elsewhere/err"; then
    ok "installed render exits 0"
else
    bad "installed render failed:"; cat "$elsewhere/err"
fi
if /usr/bin/python3 - "$elsewhere/map.png" <<'PY'; then
import sys
from osgeo import gdal
import numpy as np
ds = gdal.Open(sys.argv[1])
assert ds is not None, "no PNG written"
assert (ds.RasterXSize, ds.RasterYSize) == (320, 240), (ds.RasterXSize, ds.RasterYSize)
rgb = np.dstack([ds.GetRasterBand(i).ReadAsArray() for i in (1, 2, 3)]).reshape(-1, 3)
colours = len(np.unique(rgb, axis=0))
print("distinct colours", colours)
assert colours > 20, "the map is (nearly) one colour: no layers drawn"
PY
    ok "the rendered PNG shows a map"
else
    bad "the rendered PNG is missing or blank"
fi

# The desktop entry's command line with a double-clicked project (%f) and from the menu (%f expands to nothing).
# Without a display the viewer loads the project first, then stops with its one-line "no display" message.
exec_line=$(sed -n 's/^Exec=//p' "$prefix/share/applications/planatlas.desktop")
project=$prefix/share/planatlas/assets/pingshan2024.atlas.json
run_entry() {  # file-or-empty: runs the Exec line, with the installed binary, as a launcher would
    local cmd=${exec_line//%f/$1}
    cmd=${cmd/#planatlas/$bin}
    env -u DISPLAY -u WAYLAND_DISPLAY $cmd >"$elsewhere/out" 2>"$elsewhere/err"
}
run_entry "$project"
[ $? -eq 1 ] && grep -q "no display" "$elsewhere/err" && ok "Exec with a project file loads it" ||
    { bad "Exec with a project file:"; cat "$elsewhere/err"; }
run_entry ""
[ $? -eq 1 ] && grep -q "no display" "$elsewhere/err" && ok "Exec from the menu (no file) loads the default" ||
    { bad "Exec without a file:"; cat "$elsewhere/err"; }
run_entry "$elsewhere/missing.atlas.json"
[ $? -eq 1 ] && grep -q "missing.atlas.json" "$elsewhere/err" && ok "Exec opens the given file as the project" ||
    { bad "Exec with a missing project did not name it:"; cat "$elsewhere/err"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

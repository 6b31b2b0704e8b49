#!/usr/bin/env bash
# The desktop integration files in assets/desktop/: the entry passes desktop-file-validate, the MIME package is
# well-formed and compiles with update-mime-database into a glob for *.atlas.json, and the entry declares that type.
# Usage: desktop_test.sh DESKTOP_DIR
set -u
dir=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/planatlas-mime.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

if out=$(desktop-file-validate "$dir/planatlas.desktop" 2>&1) && [ -z "$out" ]; then
    ok "desktop-file-validate planatlas.desktop"
else
    bad "desktop-file-validate planatlas.desktop:"; echo "$out"
fi
grep -qx 'MimeType=application/x-planatlas-project;' "$dir/planatlas.desktop" && ok "the entry opens projects" ||
    bad "the entry does not declare application/x-planatlas-project"
grep -qx 'Icon=planatlas' "$dir/planatlas.desktop" && ok "the entry names the installed icon" ||
    bad "Icon is not planatlas"

if command -v xmllint >/dev/null; then
    xmllint --noout "$dir/planatlas.xml" && ok "xmllint planatlas.xml" || bad "planatlas.xml is not well-formed"
    xmllint --noout "$dir/planatlas.svg" && ok "xmllint planatlas.svg" || bad "planatlas.svg is not well-formed"
fi
mkdir -p "$work/packages"
cp "$dir/planatlas.xml" "$work/packages/"
if update-mime-database "$work" >"$work/log" 2>&1 && ! grep -qi -e error -e warning "$work/log"; then
    ok "update-mime-database"
else
    bad "update-mime-database:"; cat "$work/log"
fi
grep -qx 'application/x-planatlas-project:\*\.atlas\.json' <(cut -d: -f2- "$work/globs2") &&
    ok "glob *.atlas.json -> application/x-planatlas-project" || { bad "no glob for *.atlas.json"; cat "$work/globs2"; }
grep -qx 'application/x-planatlas-project application/json' "$work/subclasses" && ok "a subclass of JSON" ||
    bad "not a subclass of application/json"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

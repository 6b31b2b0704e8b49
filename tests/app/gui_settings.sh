#!/usr/bin/env bash
# The viewer's settings under Xvfb (no session D-Bus, so no portal: the file dialogs are the typed-path fields,
# which app_tests' FileDialogs tests check): settings.json is written in $XDG_CONFIG_HOME/planatlas (else
# ~/.config/planatlas) with mode 600, never in the working folder; opening a project puts it in the recent list;
# a corrupt settings file is reported (a warning, not an error), kept as settings.json.bad and replaced by the
# defaults. Nothing else on stderr.
# Usage: gui_settings.sh PLANATLAS_BINARY SCRATCH_DIR PROJECT
set -eu
bin=$(realpath "$1")
dir=$2
project=$(realpath "$3")
rm -rf "$dir" && mkdir -p "$dir/work" "$dir/config" "$dir/home" "$dir/runtime"
chmod 700 "$dir/runtime"
# No bus: what Xvfb in CI has (an empty runtime folder has no systemd user bus either).
run() {
  (cd "$dir/work" && env -u DBUS_SESSION_BUS_ADDRESS -u PLANATLAS_NO_PORTAL "$@" XDG_RUNTIME_DIR="$dir/runtime" \
     xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --frames 3 --project "$project")
}
mode() { stat -c %a "$1"; }
fail() { echo "FAIL: $*"; exit 1; }

run XDG_CONFIG_HOME="$dir/config" HOME="$dir/home" 2>"$dir/err1"
[ -s "$dir/err1" ] && { cat "$dir/err1"; fail "stderr not empty"; }
settings="$dir/config/planatlas/settings.json"
[ -f "$settings" ] || fail "no $settings"
[ "$(mode "$settings")" = 600 ] || fail "settings.json has mode $(mode "$settings"), not 600"
[ -z "$(ls -A "$dir/work")" ] || fail "the working folder got files: $(ls -A "$dir/work")"
[ ! -e "$dir/home/.config" ] || fail "wrote to ~/.config although XDG_CONFIG_HOME is set"
/usr/bin/python3 - "$settings" "$project" <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1]))
for key in ("language", "ui_scale", "basemap_keys", "cache_size_mib", "default_export_folder", "default_export_dpi",
            "recent_projects", "last_folder"):
    assert key in s, key
assert s["recent_projects"] == [sys.argv[2]], s["recent_projects"]
assert s["last_folder"] == os.path.dirname(sys.argv[2]), s["last_folder"]
PY

# A corrupt file: reported on stderr as a warning, kept beside, replaced by the defaults.
printf '{"language": "zh", "ui_scale": ' >"$settings"
run XDG_CONFIG_HOME="$dir/config" HOME="$dir/home" 2>"$dir/err2"
grep -q "planatlas: warning: settings: .*settings.json: not valid JSON" "$dir/err2" || { cat "$dir/err2"; fail "corrupt settings not reported"; }
grep -v "planatlas: warning: settings:" "$dir/err2" && fail "more than the settings warning on stderr"
[ -f "$settings.bad" ] || fail "the corrupt file was not kept as settings.json.bad"
[ "$(mode "$settings")" = 600 ] || fail "repaired settings.json has mode $(mode "$settings")"
/usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["ui_scale"] == 0 and s["language"] == "", s' "$settings"

# Without XDG_CONFIG_HOME: ~/.config/planatlas.
run -u XDG_CONFIG_HOME HOME="$dir/home" 2>"$dir/err3"
[ -s "$dir/err3" ] && { cat "$dir/err3"; fail "stderr not empty (HOME fallback)"; }
[ "$(mode "$dir/home/.config/planatlas/settings.json")" = 600 ] || fail "no ~/.config/planatlas/settings.json (600)"
[ -z "$(ls -A "$dir/work")" ] || fail "the working folder got files: $(ls -A "$dir/work")"
echo "1 passed, 0 failed"

#!/usr/bin/env bash
# Autosave and recovery in the real viewer under Xvfb (#13). A session edits a project (a bookmark and a note,
# unsaved), autosaves it (interval 1 s here, 30 s by default) and is killed with SIGKILL; then:
#   - the recovery file is in $XDG_STATE_HOME/planatlas (folder 0700, file 0600), the project file untouched, and
#     `planatlas --recover --list` lists it as recoverable;
#   - the next start offers it (Restore) and the restored changes save into the project and its markup sidecar;
#   - `planatlas --recover` opens it from the command line;
#   - Discard removes it and leaves the project as it was;
#   - a session that exits cleanly leaves no recovery file.
# Usage: recovery_test.sh PLANATLAS_BINARY SCRATCH_DIR SOURCE_DIR
set -u
bin=$1
dir=$2
src=$3
rm -rf "$dir" && mkdir -p "$dir/plan"
export XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
state=$dir/state/planatlas
project=$dir/plan/plan.atlas.json
fail=0
pass=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
xvfb() { xvfb-run -a -s "-screen 0 1280x800x24" "$@"; }

cp "$src/assets/pingshan_district_wgs84.geojson" "$dir/plan/"
cat >"$project" <<'JSON'
{"version": 1, "title": "recovery test", "crs": "EPSG:3857",
 "layers": [{"name": "district", "source": "pingshan_district_wgs84.geojson"}]}
JSON
cp "$project" "$dir/original.atlas.json"

# A session that edits, autosaves and is killed (-9) once its recovery file is written.
killed_session() {  # name
    PLANATLAS_AUTOSAVE_SECONDS=1 xvfb "$bin" --project "$project" --frames 1 --autosave-demo wait \
        >"$dir/$1.out" 2>"$dir/$1.err" &
    local runner=$! pid=""
    for _ in $(seq 240); do
        pid=$(sed -n 's/^autosave-demo: wrote .* (pid \([0-9]*\))$/\1/p' "$dir/$1.out")
        [ -n "$pid" ] && break
        sleep 0.25
    done
    if [ -z "$pid" ]; then
        bad "$1: the session never autosaved"; cat "$dir/$1.out" "$dir/$1.err"
        kill "$runner" 2>/dev/null; wait "$runner" 2>/dev/null
        return 1
    fi
    kill -9 "$pid"
    wait "$runner" 2>/dev/null
    return 0
}
recovery_files() { find "$state" -maxdepth 1 -name '*.recovery.json' 2>/dev/null | wc -l; }

# 1. Killed: the file is there, private, listed; the project file is as it was.
if killed_session first; then
    file=$(find "$state" -maxdepth 1 -name '*.recovery.json' | head -1)
    [ -n "$file" ] && ok "a killed session leaves its recovery file" || bad "no recovery file after the kill"
    [ "$(stat -c %a "$state")" = 700 ] && [ "$(stat -c %a "$file")" = 600 ] && ok "recovery folder 0700, file 0600" ||
        bad "modes: folder $(stat -c %a "$state"), file $(stat -c %a "$file")"
    grep -q '"autosave-demo"' "$file" && grep -q '碧岭北' "$file" && ok "the unsaved bookmark and note are in it" ||
        bad "the recovery file lacks the edits"
    cmp -s "$project" "$dir/original.atlas.json" && [ ! -e "$dir/plan/plan.markup.gpkg" ] &&
        ok "the project file and its folder are untouched" || bad "the killed session changed the project folder"
    "$bin" --recover --list >"$dir/list.out" 2>"$dir/list.err"
    [ "$(wc -l <"$dir/list.out")" -eq 1 ] && grep -q "	$project	recoverable	recovery test	" "$dir/list.out" &&
        ok "--recover --list names it: $(cut -f1-3 "$dir/list.out")" || { bad "--recover --list"; cat "$dir/list.out" "$dir/list.err"; }
    ls -A "$state" | grep -q '\.tmp-' && bad "a temporary file is left in the state folder" || ok "no temporary left"
fi

# 2. The next start offers it; Restore brings the changes back, and they save into the project and its sidecar.
xvfb "$bin" --project "$project" --frames 5 --recovery-answer restore --save-as "$project" >"$dir/restore.out" 2>"$dir/restore.err"
rc=$?
grep -q "^recovery offered: $project saved at " "$dir/restore.out" && ok "offered at the next start: $(head -1 "$dir/restore.out")" ||
    { bad "not offered (rc $rc)"; cat "$dir/restore.out" "$dir/restore.err"; }
[ "$rc" -eq 0 ] && grep -q '"autosave-demo"' "$project" && ok "Restore: the bookmark is back and saved" ||
    { bad "Restore did not bring the bookmark back (rc $rc)"; cat "$dir/restore.err"; }
[ "$(ogrinfo -ro -q "$dir/plan/plan.markup.gpkg" -sql "SELECT count(*) AS n FROM markup WHERE text = '碧岭北'" 2>/dev/null |
    sed -n 's/.*n (Integer) = //p')" = 1 ] && ok "Restore: the note is back and saved in plan.markup.gpkg" ||
    bad "Restore did not bring the note back into the markup sidecar"
[ "$(recovery_files)" -eq 0 ] && ok "saved: the recovery file is gone" || bad "the recovery file outlived the save"

# 3. planatlas --recover opens it from the command line.
if killed_session second; then
    xvfb "$bin" --recover --frames 5 --save-as "$dir/recovered.atlas.json" >"$dir/recover.out" 2>"$dir/recover.err"
    rc=$?
    [ "$rc" -eq 0 ] && [ "$(grep -o '"autosave-demo"' "$dir/recovered.atlas.json" | wc -l)" -eq 2 ] &&
        ok "--recover opened the second session's changes (two demo bookmarks)" ||
        { bad "--recover (rc $rc)"; cat "$dir/recover.out" "$dir/recover.err"; }
    grep -q "restoring the unsaved changes of $project" "$dir/recover.err" && ok "--recover says what it restores" ||
        bad "--recover said nothing on stderr"
    "$bin" --recover --frames 1 >"$dir/none.out" 2>"$dir/none.err"
    rc=$?
    [ "$rc" -eq 1 ] && grep -q "no recovery file to restore" "$dir/none.err" && ok "--recover with nothing to restore: exit 1" ||
        { bad "--recover with nothing: rc $rc"; cat "$dir/none.err"; }
fi

# 4. Discard removes the file and leaves the project as it was.
cp "$project" "$dir/before_discard.atlas.json"
if killed_session third; then
    xvfb "$bin" --project "$project" --frames 5 --recovery-answer discard >"$dir/discard.out" 2>"$dir/discard.err"
    grep -q "^recovery offered: $project" "$dir/discard.out" && [ "$(recovery_files)" -eq 0 ] &&
        cmp -s "$project" "$dir/before_discard.atlas.json" && ok "Discard: the file is gone, the project unchanged" ||
        { bad "Discard"; cat "$dir/discard.out" "$dir/discard.err"; }
fi

# 5. A session that exits cleanly (its changes discarded) leaves nothing to recover.
PLANATLAS_AUTOSAVE_SECONDS=1 xvfb "$bin" --project "$project" --frames 1 --autosave-demo exit >"$dir/clean.out" 2>"$dir/clean.err"
rc=$?
grep -q "^autosave-demo: wrote" "$dir/clean.out" && [ "$rc" -eq 0 ] && [ "$(recovery_files)" -eq 0 ] &&
    ok "a clean exit removes the session's recovery file" || { bad "clean exit (rc $rc)"; cat "$dir/clean.out" "$dir/clean.err"; }

for f in "$dir"/*.err; do
    case $f in */list.err | */none.err | */recover.err) continue ;; esac
    # xvfb-run reports the -9 of a killed session ("Killed", and at times its own cleanup): not ours.
    grep -qvE '^(Killed|xvfb-run: .*)$' "$f" && { bad "stderr of $(basename "$f" .err) not empty:"; cat "$f"; }
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

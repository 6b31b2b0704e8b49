#!/usr/bin/env bash
# `planatlas analyze overlap` end to end (#12): fixtures with a multipolygon, a hole and self-intersecting
# polygons on both sides; every row of the CSV and XLSX reports checked against OGR's own geometry methods
# (analyze_check.py) within 0.5 %; exit codes, messages, no temporary left by a failed write; the bundled project
# against a constraint made here.
# Usage: analyze_test.sh PLANATLAS_BINARY SCRATCH_DIR SOURCE_DIR
set -u
bin=$1
dir=$2
src=$3
py=/usr/bin/python3  # Debian's, with python3-gdal; a python3 earlier on PATH may lack the bindings
helper=$(dirname "$0")/analyze_check.py
rm -rf "$dir" && mkdir -p "$dir"
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() {  # name expected_rc stderr_fragment command...
    local name=$1 want=$2 frag=$3
    shift 3
    "$@" >"$dir/out" 2>"$dir/err"
    local rc=$?
    if [ "$rc" -ne "$want" ] || ! grep -q -- "$frag" "$dir/err"; then
        bad "$name: rc=$rc (want $want), stderr:"; cat "$dir/err"
    else
        ok "$name"
    fi
}

"$py" "$helper" make "$dir" || { echo "FAIL: fixtures"; exit 1; }
project=$dir/subject.atlas.json

# Arguments.
check "no analysis" 2 "usage: planatlas analyze overlap" "$bin" analyze
check "unknown analysis" 2 "unknown analysis 'frobnicate'" "$bin" analyze frobnicate
check "missing --against" 2 "--against" "$bin" analyze overlap --project "$project" --out "$dir/r.csv"
check "missing --out" 2 "--out" "$bin" analyze overlap --project "$project" --against "$dir/eco.gpkg"
check "bad --out extension" 2 ".csv or .xlsx" "$bin" analyze overlap --project "$project" --against "$dir/eco.gpkg" --out "$dir/r.txt"
check "unknown option" 2 "unknown option" "$bin" analyze overlap --project "$project" --against "$dir/eco.gpkg" --out "$dir/r.csv" --frob 1
# Data errors name the file.
check "missing --against file" 1 "nope.gpkg" "$bin" analyze overlap --project "$project" --layer plan --against "$dir/nope.gpkg" --out "$dir/r.csv"
check "missing layer in --against" 1 "nolayer" "$bin" analyze overlap --project "$project" --layer plan --against "$dir/farm.gpkg@nolayer" --out "$dir/r.csv"
check "unknown --layer" 1 "no layer of that name" "$bin" analyze overlap --project "$project" --layer nope --against "$dir/eco.gpkg" --out "$dir/r.csv"
check "no catalog in the project" 1 "catalog" "$bin" analyze overlap --project "$project" --against "$dir/eco.gpkg" --out "$dir/r.csv"
[ ! -e "$dir/r.csv" ] || bad "a failed run left $dir/r.csv"
# A failed write: the report's path is a folder, so the final rename fails; nothing else is left behind.
mkdir -p "$dir/taken.csv"
before=$(ls -A "$dir" | sort)
check "unwritable report" 1 "taken.csv" "$bin" analyze overlap --project "$project" --layer plan --against "$dir/eco.gpkg" --out "$dir/taken.csv"
[ "$(ls -A "$dir" | sort)" = "$before" ] && [ -z "$(ls -A "$dir/taken.csv")" ] && ok "no temporary left by the failed write" \
    || { bad "temporary left:"; ls -A "$dir"; }
check "missing report folder" 1 "no/such" "$bin" analyze overlap --project "$project" --layer plan --against "$dir/eco.gpkg" --out "$dir/no/such/r.csv"

# One constraint: overlap_m2, overlap_pct.
check "one constraint to CSV" 0 "5 polygon features of plan against 1 constraint" \
    "$bin" analyze overlap --project "$project" --layer plan --against "$dir/eco.gpkg" --out "$dir/one.csv"
grep -q "repaired 1 subject and 0 constraint" "$dir/err" && grep -q "skipped 2 non-polygons" "$dir/err" \
    && ok "summary counts repairs and skips" || { bad "summary:"; cat "$dir/err"; }
[ "$(head -1 "$dir/one.csv" | tr -d '\r')" = "id,name_zh,area_m2,overlap_m2,overlap_pct" ] && ok "one-constraint header" \
    || bad "header: $(head -1 "$dir/one.csv")"
"$py" "$helper" check "$dir/one.csv" "$dir/subject.gpkg@projects" "$dir/eco.gpkg" && ok "CSV rows match OGR" || bad "CSV rows"

# Two constraints (one of them a named layer of a two-layer file, in another CRS, with an invalid polygon).
check "two constraints to CSV" 0 "repaired 1 subject and 1 constraint" \
    "$bin" analyze overlap --project "$project" --layer plan --against "$dir/eco.gpkg" --against "$dir/farm.gpkg@farmland" --out "$dir/two.csv"
[ "$(head -1 "$dir/two.csv" | tr -d '\r')" = "id,name_zh,area_m2,overlap_m2_eco,overlap_pct_eco,overlap_m2_farmland,overlap_pct_farmland" ] \
    && ok "per-layer header" || bad "header: $(head -1 "$dir/two.csv")"
"$py" "$helper" check "$dir/two.csv" "$dir/subject.gpkg@projects" "$dir/eco.gpkg" "$dir/farm.gpkg@farmland" \
    && ok "two-constraint CSV rows match OGR" || bad "two-constraint CSV rows"
# The analytic values too: A overlaps eco by 2500 + 1800 - 900 = 3400 m² (two overlapping rectangles, their common
# part counted once) and farm by 5000 (an invalid bowtie, its two triangles).
grep -q '^A,方块,10000\.[0-9]*,3400\.[0-9]*,34\.[0-9]*,5000\.[0-9]*,50\.' "$dir/two.csv" && ok "square A: 34 % eco, 50 % farm" \
    || { bad "row A:"; grep '^A,' "$dir/two.csv"; }

check "two constraints to XLSX" 0 "wrote $dir/two.xlsx" \
    "$bin" analyze overlap --project "$project" --layer plan --against "$dir/eco.gpkg" --against "$dir/farm.gpkg@farmland" --out "$dir/two.xlsx"
ogrinfo -ro -al -q "$dir/two.xlsx" >"$dir/xlsx.txt" 2>&1 && [ "$(grep -c 'OGRFeature(overlap)' "$dir/xlsx.txt")" -eq 5 ] \
    && ok "ogrinfo opens the XLSX: 5 rows" || { bad "ogrinfo on XLSX:"; head -20 "$dir/xlsx.txt"; }
"$py" "$helper" check "$dir/two.xlsx" "$dir/subject.gpkg@projects" "$dir/eco.gpkg" "$dir/farm.gpkg@farmland" \
    && ok "XLSX rows match OGR (numeric columns)" || bad "XLSX rows"

# The bundled project: its plan-project catalog by default, against a zone made here.
"$py" "$helper" constraint "$dir"
check "bundled project" 0 "polygon features of .*against 1 constraint" \
    "$bin" analyze overlap --project "$src/assets/pingshan2024.atlas.json" --against "$dir/pingshan_zone.gpkg" --out "$dir/pingshan.csv"
"$py" "$helper" check "$dir/pingshan.csv" "$src/assets/pingshan2024_projects.gpkg@projects" "$dir/pingshan_zone.gpkg" \
    && ok "bundled project rows match OGR" || bad "bundled project rows"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

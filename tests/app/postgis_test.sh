#!/usr/bin/env bash
# PostGIS layer sources against a real server (#11). Starts a throwaway PostgreSQL 15 + PostGIS (initdb in a
# mktemp folder under /tmp, unix socket only; stopped and removed on exit), loads a grid of 1600 polygons and the
# bundled projects from a GeoPackage made here with ogr2ogr, adds a view, a view with a computed geometry, a
# table in another schema, a table without geometry and a role with a password. Then:
#   - postgis_gtest (geo level): listing, reads equal to the GeoPackage's, bbox filters (a far view fetches 0
#     rows, a small one only the rows inside), server-side simplification, errors without the password,
#     ~/.pgpass ($PGPASSFILE) and pg_service.conf ($PGSERVICEFILE);
#   - `planatlas render` of the PG layers and of the same GeoPackage layers: IoU >= 0.98 of covered pixels;
#   - a source with password=secret: rendered and exported, "secret" in no output, sidecar or message;
#   - the server killed (pg_ctl stop -m immediate): the PG layer fails naming the cause, the GeoPackage layer of
#     the same project still loads; restarted, the next read reconnects.
# Usage: postgis_test.sh PLANATLAS_BINARY POSTGIS_GTEST SCRATCH_DIR SOURCE_DIR
set -u
bin=$1
gtest=$2
dir=$3
src=$4
py=/usr/bin/python3  # Debian's, with python3-gdal and python3-numpy
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=postgis_server.sh
. "$here/postgis_server.sh"
rm -rf "$dir" && mkdir -p "$dir"
trap pg_stop EXIT
trap 'exit 130' INT TERM
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() {  # name expected_rc stderr_fragment command...
    local name=$1 want=$2 frag=$3
    shift 3
    "$@" >"$dir/out" 2>"$dir/err"
    local rc=$?
    if [ "$rc" -ne "$want" ] || { [ -n "$frag" ] && ! grep -q -- "$frag" "$dir/err"; }; then
        bad "$name: rc=$rc (want $want), stderr:"
        cat "$dir/err"
    else
        ok "$name"
    fi
}
no_secret() {  # name files...: "secret" appears in none of them
    local name=$1
    shift
    if grep -l "secret" "$@" 2>/dev/null; then bad "$name: the password was written"; else ok "$name"; fi
}

pg_start || { echo "FAIL: could not start PostgreSQL + PostGIS"; exit 1; }
echo "server: socket $PG_DIR/.s.PGSQL.$PG_PORT"

# Fixtures: one GeoPackage, copied into the server with ogr2ogr (keeping the FIDs as the key "fid").
"$py" "$here/postgis_check.py" grid "$dir/plan.gpkg" 40 || { echo "FAIL: grid fixture"; exit 1; }
ogr2ogr -update "$dir/plan.gpkg" "$src/assets/pingshan2024_projects.gpkg" projects -preserve_fid ||
    { echo "FAIL: projects fixture"; exit 1; }
ogr2ogr -f PostgreSQL PG:"$PG_CONN" "$dir/plan.gpkg" -lco FID=fid -lco GEOMETRY_NAME=geom -preserve_fid ||
    { echo "FAIL: ogr2ogr into PostGIS"; exit 1; }
pg_sql <<'SQL' || { echo "FAIL: SQL fixtures"; exit 1; }
CREATE TABLE dense AS
  SELECT fid, name, category, ST_Buffer(ST_Centroid(geom), 30, 8)::geometry(Polygon, 4547) AS geom FROM grid ORDER BY fid;
ALTER TABLE dense ADD PRIMARY KEY (fid);
CREATE INDEX ON dense USING gist (geom);
CREATE VIEW grid_view AS SELECT * FROM grid;
CREATE VIEW grid_centres AS SELECT fid, name, ST_Centroid(geom) AS geom FROM grid;
CREATE SCHEMA planning;
CREATE TABLE planning.zones (id serial PRIMARY KEY, name text, geom geometry(Polygon, 4547));
INSERT INTO planning.zones (name, geom) VALUES
  ('north', ST_MakeEnvelope(530000, 2512000, 532000, 2514000, 4547)),
  ('south', ST_MakeEnvelope(530000, 2510000, 532000, 2512000, 4547));
CREATE TABLE notes (id serial PRIMARY KEY, body text);
CREATE ROLE planner LOGIN PASSWORD 'planner-pw';
GRANT USAGE ON SCHEMA planning TO planner;
GRANT SELECT ON ALL TABLES IN SCHEMA public, planning TO planner;
ANALYZE;
SQL
# Credentials and services the way users keep them: a password file and a service file, never the project.
printf '*:%s:plan:planner:planner-pw\n' "$PG_PORT" >"$dir/pgpass"
chmod 600 "$dir/pgpass"
printf '[plan_test]\nhost=%s\nport=%s\ndbname=plan\nuser=postgres\n' "$PG_DIR" "$PG_PORT" >"$dir/pg_service.conf"
export PGPASSFILE=$dir/pgpass PGSERVICEFILE=$dir/pg_service.conf
pg="PG:$PG_CONN"
export PLANATLAS_PG=$pg PLANATLAS_PG_GPKG=$dir/plan.gpkg PLANATLAS_PG_SERVICE=plan_test
export PLANATLAS_PG_PLANNER="PG:host=$PG_DIR port=$PG_PORT dbname=plan user=planner"

# Geo level.
if "$gtest" --gtest_filter='PostGisServer.*' >"$dir/gtest.log" 2>&1 && ! grep -q '\[  SKIPPED \]' "$dir/gtest.log"; then
    ok "geo reads: $(grep -c '\[       OK \]' "$dir/gtest.log") postgis_gtest cases"
else
    bad "postgis_gtest:"
    cat "$dir/gtest.log"
fi

# Renders: the PG layers and the GeoPackage layers give the same pixels.
project() {  # FILE GRID_SOURCE PROJECTS_SOURCE
    cat >"$1" <<EOF
{"version": 1, "title": "PostGIS test", "crs": "EPSG:4547",
 "layers": [
  {"name": "grid", "source": "$2", "layer": "grid",
   "style": {"fill": "#9ecae1", "stroke": "#08519c", "fillEnabled": true, "strokeEnabled": true, "strokeWidth": 1.0,
             "categoryField": "category",
             "categories": [{"value": "居住 residential", "color": "#fdae6b"}, {"value": "绿地 green", "color": "#a1d99b"}]}},
  {"name": "projects", "source": "$3", "layer": "projects",
   "style": {"fill": "#fb6a4a", "stroke": "#67000d", "fillEnabled": true, "strokeEnabled": true, "strokeWidth": 1.5}}]}
EOF
}
project "$dir/pg.atlas.json" "$pg" "$pg"
project "$dir/gpkg.atlas.json" "$dir/plan.gpkg" "$dir/plan.gpkg"
for view in grid:529900,2509900,534100,2514100 centre:531000,2511000,532000,2512000 full:; do
    name=${view%%:*}
    bbox=${view#*:}
    args=(--size 640x640 --crs EPSG:4547)
    [ -n "$bbox" ] && args+=(--bbox "$bbox")
    check "render PG layers ($name)" 0 "" "$bin" render --project "$dir/pg.atlas.json" --out "$dir/pg-$name.png" "${args[@]}"
    check "render GeoPackage layers ($name)" 0 "" "$bin" render --project "$dir/gpkg.atlas.json" --out "$dir/gpkg-$name.png" "${args[@]}"
    if "$py" "$here/postgis_check.py" iou "$dir/pg-$name.png" "$dir/gpkg-$name.png" 0.98 >"$dir/iou" 2>&1; then
        ok "same pixels ($name): $(cat "$dir/iou")"
    else
        bad "pixels differ ($name): $(cat "$dir/iou")"
    fi
done
check "render PG:...@grid on the command line" 0 "" "$bin" render "$pg@grid" --out "$dir/cli.png" --size 200x200

# A password typed into the source is used, and written nowhere.
project "$dir/withpw.atlas.json" "$pg password=secret" "$dir/plan.gpkg"
check "render with password=secret" 0 "" "$bin" render --project "$dir/withpw.atlas.json" --out "$dir/withpw.png" --size 300x300
cp "$dir/err" "$dir/withpw-render.err"
check "export with password=secret" 0 "" "$bin" export --project "$dir/withpw.atlas.json" --out "$dir/withpw-export.png" --size 300x300
cp "$dir/err" "$dir/withpw-export.err"
[ -f "$dir/withpw-export.json" ] && grep -q "dbname=plan" "$dir/withpw-export.json" && ok "export sidecar names the database" \
    || bad "export sidecar: $(cat "$dir/withpw-export.json" 2>/dev/null)"
no_secret "no password in the export sidecar, outputs or messages" "$dir/withpw-export.json" "$dir/withpw-render.err" \
    "$dir/withpw-export.err" "$dir/withpw.png" "$dir/withpw-export.png"
check "wrong password: an error naming the database, not the password" 1 "password authentication failed" \
    "$bin" render "PG:host=$PG_DIR port=$PG_PORT dbname=plan user=planner password=wrong-secret@grid" --out "$dir/x.png"
no_secret "no password in the authentication error" "$dir/err"
check "missing table: an error naming it, not the password" 1 "no such table or view" \
    "$bin" render "$pg password=secret@no_such_table" --out "$dir/x.png"
no_secret "no password in the missing-table error" "$dir/err"

# The server dies: the PG layer fails with the cause, the GeoPackage layer of the same project still loads.
project "$dir/mixed.atlas.json" "$pg password=secret" "$dir/plan.gpkg"
pg_kill
check "server down: render names the cause" 1 "cannot connect to the database" \
    "$bin" render --project "$dir/mixed.atlas.json" --out "$dir/down.png" --size 200x200
grep -q "dbname=plan" "$dir/err" && ok "server down: the message names the database" || bad "message: $(cat "$dir/err")"
no_secret "server down: no password in the message" "$dir/err"
if PLANATLAS_PG_DOWN=1 "$gtest" --gtest_filter='PostGisDown.*' >"$dir/gtest-down.log" 2>&1 &&
    ! grep -q '\[  SKIPPED \]' "$dir/gtest-down.log"; then
    ok "server down: the PG layer is an IoError, the GeoPackage layer loads"
else
    bad "postgis_gtest (server down):"
    cat "$dir/gtest-down.log"
fi
pg_restart || bad "restart the server"
check "server back: the next read reconnects" 0 "" "$bin" render --project "$dir/mixed.atlas.json" --out "$dir/back.png" --size 200x200

echo "postgis: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

# A throwaway PostgreSQL 15 + PostGIS server for the PostGIS test and benchmark (#11). Sourced, not run.
#
#   pg_start    initdb into a new mktemp -d folder under /tmp (owned by the postgres user when we are root:
#               initdb refuses to run as root, and that user cannot enter /root), then a server on a unix socket
#               in that folder only (no TCP), on a free port; creates database "plan" with PostGIS. Sets PG_DIR,
#               PG_PORT, PG_CONN (libpq keywords for user postgres, without the PG: prefix).
#   pg_kill     stops the server at once (pg_ctl stop -m immediate), as a crash would.
#   pg_restart  starts the stopped server again on the same socket.
#   pg_stop     stops the server and removes the folder; safe to call twice (use it in a trap).
#   pg_sql      runs SQL in database "plan" as postgres (psql -v ON_ERROR_STOP=1).
# Binaries: Debian's postgresql-15 and postgresql-15-postgis-3 (.ci/deps).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_PORT=
PG_CONN=

pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_server() {  # pg_server start|stop
    local opts="-k $PG_DIR -p $PG_PORT -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    opts="$opts -c synchronous_commit=off -c max_connections=40"
    if [ "$1" = start ]; then
        pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -o "$opts" start >/dev/null
    else
        pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
    fi
}

pg_start() {
    if [ ! -x "$PG_BIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
        echo "postgis: no PostgreSQL 15 + PostGIS (apt-get install postgresql-15 postgresql-15-postgis-3)" >&2
        return 1
    fi
    PG_DIR=$(mktemp -d /tmp/planatlas-pg.XXXXXX) || return 1
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; fi
    chmod 700 "$PG_DIR"
    PG_PORT=$(pg_free_port)
    if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 \
        >"$PG_DIR/initdb.log" 2>&1; then
        cat "$PG_DIR/initdb.log" >&2
        return 1
    fi
    # One role logs in with a password (scram), to test authentication and ~/.pgpass; everyone else is trusted.
    printf 'local all planner scram-sha-256\nlocal all all trust\n' >"$PG_DIR/data/pg_hba.conf"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR/data/pg_hba.conf"; fi
    if ! pg_server start; then
        cat "$PG_DIR/server.log" >&2
        return 1
    fi
    PG_CONN="host=$PG_DIR port=$PG_PORT dbname=plan user=postgres"
    "$PG_BIN/psql" -X -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE plan" >/dev/null &&
        pg_sql -c "CREATE EXTENSION postgis" >/dev/null
}

pg_sql() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d plan "$@"
}

pg_kill() { pg_server stop; }

pg_restart() { pg_server start; }

pg_stop() {
    [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ] || return 0
    pg_server stop
    rm -rf "$PG_DIR"
    PG_DIR=
}

# Sourced by the test, demo and bench scripts: a throwaway PostgreSQL 15
# cluster owned by the postgres user (initdb refuses root), in a fresh temp
# directory, listening only on a Unix socket in that directory.
#   cluster_start [extra postgres -c options...]; then psql via $PGHOST/$PGPORT;
#   cluster_stop is registered on exit.

export PG_BIN=$(/usr/lib/postgresql/15/bin/pg_config --bindir 2>/dev/null || pg_config --bindir)

as_postgres() {
  # from / : the caller's directory may be closed to the postgres user
  if [ "$(id -un)" = postgres ]; then "$@"; else (cd / && runuser -u postgres -- "$@"); fi
}

cluster_start() {
  CLUSTER_DIR=$(as_postgres mktemp -d -t attendance-pg.XXXXXX)
  export PGHOST="$CLUSTER_DIR" PGPORT=${PGPORT:-54329} PGUSER=postgres PGDATABASE=postgres
  as_postgres "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # the server's zone (what "today" is judged in) fixed, so tests hold on any machine
  local opts="-c listen_addresses='' -c unix_socket_directories='$CLUSTER_DIR' -c port=$PGPORT -c fsync=off -c log_timezone=UTC"
  for o in "$@"; do opts="$opts -c $o"; done
  # RUST_BACKTRACE set on purpose: the tests show no backtrace reaches a client even then;
  # CLUSTER_ENV: more of the server's environment (scripts/test-dates.sh)
  # shellcheck disable=SC2086
  as_postgres env RUST_BACKTRACE=1 ${CLUSTER_ENV:-} "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -o "$opts" -w start >/dev/null
  trap cluster_stop EXIT
}

cluster_stop() {
  if [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR/data" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$CLUSTER_DIR"
  fi
}

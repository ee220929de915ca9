#!/usr/bin/env bash
# Builds the extension and installs it into the system PostgreSQL 15.
# PROFILE=release for benchmarks; the default dev build compiles faster.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
flags=()
[ "${PROFILE:-dev}" = release ] && flags+=(--release)
log=$(mktemp)
if ! cargo pgrx install --package attendance --pg-config "$PG_CONFIG" "${flags[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-extension: cargo pgrx install failed" >&2
  exit 1
fi
grep -E 'Installing|Finished' "$log" | tail -2 || true
rm -f "$log"
# Earlier releases' frozen install scripts and the upgrade scripts from them,
# so that CREATE EXTENSION ... VERSION and ALTER EXTENSION ... UPDATE work.
cp sql/versions/*.sql "$("$PG_CONFIG" --sharedir)/extension/"

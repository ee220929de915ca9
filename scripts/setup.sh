#!/usr/bin/env bash
# Installs what building and testing the extension needs, on an empty Debian
# machine, and skips what is already there: PostgreSQL 15 with its server
# headers and pg_cron (the scheduler test), clang for bindgen, sudo,
# libfaketime (the date sweep, scripts/test-dates.sh), psycopg 3 for the system python3 (the BI client test and the data
# dictionary), the pinned cargo-pgrx, and pgrx's config
# pointing at the system PostgreSQL (pgrx never downloads PostgreSQL here).
set -euo pipefail

PGRX_VERSION=0.18.1
export DEBIAN_FRONTEND=noninteractive

need_apt=()
for pkg in postgresql-15 postgresql-server-dev-15 postgresql-15-cron libclang-dev clang sudo python3-psycopg libfaketime; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)

if ! cargo pgrx --version 2>/dev/null | grep -q " ${PGRX_VERSION}\$"; then
  echo "setup: installing cargo-pgrx ${PGRX_VERSION} (about 5 minutes)"
  cargo install cargo-pgrx --version "=${PGRX_VERSION}" --locked --quiet
fi

PGRX_HOME=${PGRX_HOME:-$HOME/.pgrx}
if ! grep -qs "^pg15 = \"$PG_CONFIG\"" "$PGRX_HOME/config.toml"; then
  echo "setup: cargo pgrx init --pg15 $PG_CONFIG"
  cargo pgrx init --pg15 "$PG_CONFIG" >/dev/null
fi
echo "setup: ready ($(cargo pgrx --version), $("$PG_CONFIG" --version))"

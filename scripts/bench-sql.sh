#!/usr/bin/env bash
# SQL benchmarks against a generated company in a throwaway cluster, with a
# release build of the extension. Usage: ./scripts/bench-sql.sh [scope]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
PROFILE=release ./scripts/install-extension.sh
. scripts/cluster.sh
cluster_start shared_buffers=1GB
# pgbench (benches/sql/punches.sql) is beside psql
export PATH="$PG_BIN:$PATH"
# The load average before and after: on a shared machine it explains most
# of the spread between runs.
for b in "${@:-scope}"; do
  echo "== benches/sql/$b.sql (load:$(uptime | sed 's/.*load average://'))"
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -f "benches/sql/$b.sql"
  echo "== done (load:$(uptime | sed 's/.*load average://'))"
done

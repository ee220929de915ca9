#!/usr/bin/env bash
# pg_dump of a database with the extension, its configuration and data
# restores into a fresh database with every table of the extension intact.
# Run by scripts/test.sh against its throwaway cluster ($PG_BIN, $PGHOST, $PGPORT).
set -euo pipefail
cd "$(dirname "$0")/../.."
psql() { PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c "DROP DATABASE IF EXISTS dump_source" -c "DROP DATABASE IF EXISTS dump_target" \
     -c "CREATE DATABASE dump_source" -c "CREATE DATABASE dump_target"
psql -d dump_source -f scripts/demo.sql >/dev/null
dump=$(mktemp)
"$PG_BIN/pg_dump" -Fc -d dump_source -f "$dump" 2>/dev/null
# Triggers stay off while rows come back as they were (the org tree refers to
# itself, and day results must not be re-derived half-way through the load).
PGOPTIONS="-c session_replication_role=replica" "$PG_BIN/pg_restore" --exit-on-error -d dump_target "$dump"
rm -f "$dump"
# One fingerprint per table: its row count and the md5 of its rows in order.
fingerprint() {
  local db=$1 tab
  for tab in $(psql -d "$db" -At -c "SELECT relname FROM pg_class WHERE relnamespace = 'attendance'::regnamespace AND relkind = 'r' ORDER BY 1"); do
    echo "$tab $(psql -d "$db" -At -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM attendance.$tab t")"
  done
}
src=$(fingerprint dump_source)
dst=$(fingerprint dump_target)
tables=$(echo "$src" | wc -l)
rows=$(echo "$src" | awk '{s += $2} END {print s}')
empty=$(echo "$src" | awk '$2 == 0' | wc -l)
# The restored database works: scope decisions and triggers keeping results current.
works=$(psql -d dump_target -At -c "
  INSERT INTO attendance.punch (employee_id, at) VALUES (2001, '2026-11-24 09:00+09');
  SELECT attendance.att_can_access(9001, 1001, '2026-11-05', '2026-11-20') = 'full'
     AND (SELECT status FROM attendance.day_record WHERE employee_id = 2001 AND day = '2026-11-24') IS NOT NULL
     AND (SELECT count(*) FROM attendance.punch WHERE employee_id = 2001 AND at = '2026-11-24 09:00+09') = 1")
if [ "$src" = "$dst" ] && [ "$rows" -gt 0 ] && [ "$works" = t ]; then
  echo "dump_restore ... ok ($tables tables, $rows rows identical after pg_dump and pg_restore; $empty tables empty in the demo)"
else
  echo "dump_restore ... FAILED"
  diff <(echo "$src") <(echo "$dst") || true
  echo "restored database works: $works"
  exit 1
fi

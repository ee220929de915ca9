#!/usr/bin/env bash
# The upgrade path: the first release (0.1.0, its install script frozen in
# sql/versions) is installed with data in place, then ALTER EXTENSION
# attendance UPDATE brings it to the current version. Checks that the
# upgraded extension has exactly the objects of a fresh install (every
# function, table, column, constraint, index, trigger, policy, view, type,
# comment and privilege), that no row was lost or changed, and that the
# upgraded database evaluates and refreshes as a fresh one does.
# Run by scripts/test.sh against its throwaway cluster ($PG_BIN, $PGHOST, $PGPORT).
set -euo pipefail
cd "$(dirname "$0")/../.."
psql() { PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
current=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
psql -d postgres -c "DROP DATABASE IF EXISTS upgrade_old" -c "DROP DATABASE IF EXISTS upgrade_fresh" \
     -c "CREATE DATABASE upgrade_old" -c "CREATE DATABASE upgrade_fresh"
psql -d upgrade_old -c "CREATE EXTENSION attendance VERSION '0.1.0' CASCADE"
# The demo company, loaded by release 0.1.0's own functions and triggers.
psql -d upgrade_old -f scripts/demo.sql >/dev/null
# Every table's rows as count and checksum, over the columns named in $2
# ("table:col,col;..."; default: all columns): a release may add columns,
# and the rows must still hold what they held.
columns() {
  psql -d "$1" -At -c "
    SELECT string_agg(c.relname || ':' || (SELECT string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum)
                                              FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), ';')
      FROM pg_class c WHERE c.relnamespace = 'attendance'::regnamespace AND c.relkind = 'r'"
}
fingerprint() {
  psql -d "$1" -At -v cols="${2:-$(columns "$1")}" <<'SQL'
    SELECT string_agg(relname || ' ' || n, E'\n' ORDER BY relname) FROM (
      SELECT v.relname, (xpath('/row/c/text()', query_to_xml(format(
               'SELECT count(*) || '' '' || md5(coalesce(string_agg(row(%1$s)::text, ''|'' ORDER BY row(%1$s)::text), '''')) AS c FROM attendance.%2$I t',
               v.cols, v.relname), false, true, '')))[1]::text AS n
        FROM (SELECT split_part(x, ':', 1) AS relname, split_part(x, ':', 2) AS cols
                FROM unnest(string_to_array(:'cols', ';')) AS x) v
       WHERE v.relname <> 'refresh_lock') x
SQL
}
old_columns=$(columns upgrade_old)
before=$(fingerprint upgrade_old "$old_columns")
psql -d upgrade_old -c "ALTER EXTENSION attendance UPDATE"
# What the demo grants on views release 0.1.0 did not have yet.
psql -d upgrade_old -c "GRANT SELECT ON attendance.att_monthly_grid, attendance.period_record TO demo_sato, demo_kimura"
version=$(psql -d upgrade_old -At -c "SELECT extversion FROM pg_extension WHERE extname = 'attendance'")
# The rows of every table that was there must be as before, over the
# columns it had (tables a release adds may be filled by its script).
after=$(fingerprint upgrade_old "$old_columns")
# The same demo in a fresh install, so that both hold its grants and settings.
psql -d upgrade_fresh -c "CREATE EXTENSION attendance CASCADE"
psql -d upgrade_fresh -f scripts/demo.sql >/dev/null
upgraded=$(psql -d upgrade_old -At -f tests/upgrade/objects.sql)
fresh=$(psql -d upgrade_fresh -At -f tests/upgrade/objects.sql)
objects=$(echo "$fresh" | grep -c '^member ' || true)
# After the upgrade: the stored days are what the new engine computes (the
# columns a release added were filled by its script), the new batch form
# agrees with the per-employee form, and a punch still refreshes.
works=$(psql -d upgrade_old -At -c "
  SELECT NOT EXISTS (SELECT 1 FROM attendance._att_days_now d
                       JOIN attendance.att_evaluate_all('[2026-10-01,2026-12-31]') f USING (employee_id, day)
                      WHERE (d.rule_id, d.status, d.check_in, d.check_out, d.late_minutes, d.early_minutes, d.absent_minutes,
                             d.work_minutes, d.overtime_minutes, d.leave_minutes, d.reasons, d.org_id, d.company_id,
                             d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.trip_minutes, d.attended_minutes)
                            IS DISTINCT FROM
                            (f.rule_id, f.status, f.check_in, f.check_out, f.late_minutes, f.early_minutes, f.absent_minutes,
                             f.work_minutes, f.overtime_minutes, f.leave_minutes, f.reasons, f.org_id, f.company_id,
                             f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.trip_minutes, f.attended_minutes))
     AND NOT EXISTS (SELECT * FROM attendance.att_evaluate_all('[2026-11-01,2026-11-30]')
                     EXCEPT ALL
                     SELECT r.* FROM attendance.employee e, attendance.att_evaluate(e.employee_id, '[2026-11-01,2026-11-30]') r);
  INSERT INTO attendance.punch (employee_id, at) VALUES (2001, '2026-11-24 09:00+09');
  SELECT (SELECT status FROM attendance.day_record WHERE employee_id = 2001 AND day = '2026-11-24') IS NOT NULL" | tr '\n' ' ')
if [ "$version" = "$current" ] && [ "$upgraded" = "$fresh" ] && [ "$before" = "$after" ] && [ "$works" = "t t " ]; then
  echo "upgrade ... ok (0.1.0 -> $version with $(echo "$before" | awk '{s += $2} END {print s}') rows in place: $objects objects as a fresh install, rows unchanged, evaluation and refresh work)"
else
  echo "upgrade ... FAILED (version $version, expected $current; works: $works)"
  diff <(echo "$fresh") <(echo "$upgraded") | head -40 || true
  diff <(echo "$before") <(echo "$after") || true
  exit 1
fi

# The ERP's own tables under scope policies (att_enable_scope_policies, all
# three kinds of key and day) in the previous release: after the upgrade
# their policies are what a fresh install makes for them.
previous=$(ls sql/versions | sed -n "s/^attendance--\([0-9.]*\)--$current\.sql$/\1/p")
erp_tables="
CREATE SCHEMA erp;
CREATE TABLE erp.by_text (employee text, day date);
CREATE TABLE erp.by_uuid (employee uuid, at timestamptz);
CREATE TABLE erp.by_int (employee integer, at timestamp);
SELECT attendance.att_enable_scope_policies('erp.by_text', 'employee', 'day');
SELECT attendance.att_enable_scope_policies('erp.by_uuid', 'employee', 'at');
SELECT attendance.att_enable_scope_policies('erp.by_int', 'employee', 'at');"
policies="SELECT polrelid::regclass, polname, polcmd, polroles::regrole[], pg_get_expr(polqual, polrelid) FROM pg_policy ORDER BY 1::text"
psql -d postgres -c "DROP DATABASE IF EXISTS upgrade_erp_old" -c "DROP DATABASE IF EXISTS upgrade_erp_fresh" \
     -c "CREATE DATABASE upgrade_erp_old" -c "CREATE DATABASE upgrade_erp_fresh"
psql -d upgrade_erp_old -c "CREATE EXTENSION attendance VERSION '$previous' CASCADE" -c "$erp_tables" >/dev/null
psql -d upgrade_erp_old -c "ALTER EXTENSION attendance UPDATE"
psql -d upgrade_erp_fresh -c "CREATE EXTENSION attendance CASCADE" -c "$erp_tables" >/dev/null
upgraded_policies=$(psql -d upgrade_erp_old -At -c "$policies")
fresh_policies=$(psql -d upgrade_erp_fresh -At -c "$policies")
if [ "$upgraded_policies" = "$fresh_policies" ] && [ "$(echo "$fresh_policies" | grep -c '^erp\.')" = 3 ]; then
  echo "upgrade of ERP tables' scope policies ... ok ($previous -> $current: $(echo "$fresh_policies" | wc -l) policies as a fresh install makes them)"
else
  echo "upgrade of ERP tables' scope policies ... FAILED ($previous -> $current)"
  diff <(echo "$fresh_policies") <(echo "$upgraded_policies") || true
  exit 1
fi

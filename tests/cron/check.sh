#!/usr/bin/env bash
# Days become final as time passes, with nobody calling anything: a
# throwaway cluster with pg_cron preloaded runs att_finalize() every minute
# (README: "Keeping days final"), on a company whose days were never
# evaluated. Passes when the job has run and every past day of the employee
# is stored and judged (none pending), and today is stored too.
# Uses the real clock. Run by scripts/test.sh; needs postgresql-15-cron.
set -euo pipefail
cd "$(dirname "$0")/../.."
unset PGHOST PGPORT
. scripts/cluster.sh
# background workers: the cluster listens on a private socket only, where pg_cron's
# own libpq connections (to localhost by default) would not reach it
PGPORT=54330 cluster_start shared_preload_libraries=pg_cron cron.database_name=cron_check cron.use_background_workers=on
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d cron_check "$@"; }
"$PG_BIN/psql" -X -q -d postgres -c "CREATE DATABASE cron_check"
psql >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION attendance CASCADE;
CREATE EXTENSION pg_cron;
SET search_path = attendance, public;
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co');
INSERT INTO employee VALUES (1, 'staff');
INSERT INTO rule (rule_id, name) VALUES (1, 'every day');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2020-01-01', '{"name": "every day", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "day"}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 1);
-- loaded with triggers off, as a bulk load from an ERP would be: nothing is evaluated yet
SET session_replication_role = replica;
INSERT INTO membership (employee_id, org_id, period) VALUES (1, 1, daterange(attendance.att_today() - 5, NULL));
RESET session_replication_role;
SELECT cron.schedule('attendance-finalize', '* * * * *', 'SELECT attendance.att_finalize()');
SQL
before=$(psql -At -c "SELECT count(*) FROM attendance.day_record")
# pg_cron starts jobs at the turn of each minute
for _ in $(seq 1 80); do
  ran=$(psql -At -c "SELECT count(*) FROM cron.job_run_details WHERE status = 'succeeded'")
  [ "$ran" -gt 0 ] && break
  sleep 1
done
result=$(psql -At -c "
  SELECT count(*) FILTER (WHERE day < attendance.att_today() AND status <> 'pending') || ' ' ||
         count(*) FILTER (WHERE day = attendance.att_today())
    FROM attendance.day_record WHERE employee_id = 1 AND day >= attendance.att_today() - 5")
failed=$(psql -At -c "SELECT count(*) FROM cron.job_run_details WHERE status <> 'succeeded'")
if [ "$before" = 0 ] && [ "$ran" -gt 0 ] && [ "$result" = "5 1" ] && [ "$failed" = 0 ]; then
  echo "cron_finalize ... ok (pg_cron ran att_finalize $ran time(s): 5 past days judged and today stored, from none)"
else
  echo "cron_finalize ... FAILED (stored before: $before, runs: $ran, failed runs: $failed, past days judged and today: $result)"
  psql -c "SELECT status, return_message FROM cron.job_run_details" || true
  exit 1
fi

-- Punches kept current under load (issue 15): pgbench inserts punches one
-- transaction each into a generated company whose month is stored, first
-- with the triggers skipped (the bare insert), then kept current by one
-- client and by four clients on two threads (lunch-time punches, which
-- seldom change a stored day), then check-ins into the next month, stored
-- without punches (each changes its day and its period's sums); then every
-- day the load touched is compared with a fresh evaluation (a lost update
-- would leave a stale day behind).
--   ./scripts/bench-sql.sh punches          (BENCH_EMPLOYEES, BENCH_SECONDS)
\set ON_ERROR_STOP on
\if :{?mode}
\else
\getenv mode BENCH_MODE
\endif
\if :{?mode}
\else
\set mode simple
\endif
\if :{?seconds}
\else
\getenv seconds BENCH_SECONDS
\endif
\if :{?seconds}
\else
\set seconds 20
\endif
\ir company.sql
SET search_path = attendance, public;
SELECT employees, month, month::date - date '2000-01-01' AS first FROM bench.setting \gset
SELECT att_refresh_org(1, daterange(:'month'::date, (:'month'::date + interval '1 month')::date)) AS stored_days;
VACUUM ANALYZE;
SELECT coalesce(max(punch_id), 0) AS first_new_punch FROM punch \gset
-- pgbench connects where this script does
\setenv PGDATABASE :DBNAME
CREATE TEMP TABLE result (n serial, what text, clients int, punches bigint, per_second numeric, ms_per_punch numeric, errors bigint);
-- what pgbench printed (on one line), as a row of result; an aborted client counts as an error
CREATE FUNCTION pg_temp.record_run(what text, clients int, printed text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO result (what, clients, punches, per_second, errors)
  SELECT what, clients, (regexp_match(printed, 'actually processed: (\d+)'))[1]::bigint,
         (regexp_match(printed, 'tps = ([0-9.]+)'))[1]::numeric,
         coalesce((regexp_match(printed, 'failed transactions: (\d+)'))[1]::bigint, 0) + (printed ~ 'aborted')::int
$$;

-- the bare insert: triggers skipped (a superuser's session_replication_role), then removed
\setenv PGOPTIONS '-c session_replication_role=replica'
\set out `pgbench -n -f benches/sql/punch.pgbench -D employees=:employees -D first=:first -T :seconds -c 1 2>&1 | tr '\n' ' '`
\setenv PGOPTIONS
SELECT pg_temp.record_run('bare insert, triggers skipped', 1, :'out') AS recorded \gset
SET session_replication_role = replica;
DELETE FROM punch WHERE punch_id > :first_new_punch;
RESET session_replication_role;
-- the bare inserts' dead rows vacuumed away, not left in the index the
-- kept-current steps read (and not to autovacuum in the middle of them)
VACUUM ANALYZE punch;

\set out `pgbench -n -f benches/sql/punch.pgbench -D employees=:employees -D first=:first -T :seconds -c 1 2>&1 | tr '\n' ' '`
SELECT pg_temp.record_run('kept current', 1, :'out') AS recorded \gset
\set out `pgbench -n -f benches/sql/punch.pgbench -D employees=:employees -D first=:first -T :seconds -c 4 -j 2 2>&1 | tr '\n' ' '`
SELECT pg_temp.record_run('kept current', 4, :'out') AS recorded \gset
-- the next month stored (no punches: absent days), then check-ins into it
SELECT (:'month'::date + interval '1 month')::date - date '2000-01-01' AS next_first \gset
SELECT att_refresh_org(1, daterange((:'month'::date + interval '1 month')::date, (:'month'::date + interval '2 months')::date)) AS next_month_stored_days;
VACUUM ANALYZE day_record;
SELECT coalesce(max(punch_id), 0) AS first_check_in FROM punch \gset
\set out `pgbench -n -f benches/sql/punch_check_in.pgbench -D employees=:employees -D first=:next_first -T :seconds -c 1 2>&1 | tr '\n' ' '`
SELECT pg_temp.record_run('kept current, check-ins', 1, :'out') AS recorded \gset
-- how many of them changed a stored day (a check-in): days of the next month with one
SELECT (SELECT count(*) FROM punch WHERE punch_id > :first_check_in) AS check_ins,
       (SELECT count(*) FROM day_record
         WHERE day >= (:'month'::date + interval '1 month')::date AND day < (:'month'::date + interval '2 months')::date
           AND EXISTS (SELECT FROM unnest(check_in) AS c(at) WHERE c.at IS NOT NULL)) AS next_month_days_checked_in;
UPDATE result SET ms_per_punch = round(1000 * clients / per_second, 3), per_second = round(per_second);

-- The lost-update check: every day of every employee punched during the
-- load, both months, stored against evaluated now.
SELECT count(*) AS punches_kept FROM punch WHERE punch_id > :first_new_punch;
WITH touched AS (SELECT array_agg(DISTINCT employee_id) AS ids FROM punch WHERE punch_id > :first_new_punch),
     fresh AS (SELECT f.* FROM touched, att_evaluate(touched.ids, daterange(:'month'::date, (:'month'::date + interval '2 months')::date)) f)
SELECT count(*) AS employee_days_checked,
       count(*) FILTER (WHERE d.employee_id IS NULL
                           OR (f.status, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.check_in, f.check_out, f.reasons)
                              IS DISTINCT FROM
                              (d.status, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.check_in, d.check_out, d.reasons)) AS stale_days
  FROM fresh f LEFT JOIN _att_days_now d ON d.employee_id = f.employee_id AND d.day = f.day;

SELECT what, clients, punches, per_second, ms_per_punch, errors FROM result ORDER BY n;
SELECT round((SELECT ms_per_punch FROM result WHERE what = 'kept current' AND clients = 1)
           - (SELECT ms_per_punch FROM result WHERE what LIKE 'bare%'), 3) AS kept_minus_bare_ms, 0.5 AS target_ms,
       round((SELECT ms_per_punch FROM result WHERE what = 'kept current, check-ins')
           - (SELECT ms_per_punch FROM result WHERE what LIKE 'bare%'), 3) AS check_in_minus_bare_ms,
       (SELECT per_second FROM result WHERE clients = 4) AS four_clients_per_second, 3000 AS target_per_second;

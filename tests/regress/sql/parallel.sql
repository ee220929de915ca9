-- Evaluation and refresh at company scale (issue 15): more employees than a
-- batch (256) are split into parts that PostgreSQL runs as a Parallel
-- Append, att_evaluate_all is sixteen parts of the id range, and a refresh
-- compares each batch with the days it has stored and hands on only the
-- days that differ. Whether the parts run in parallel workers or not, every
-- employee-day comes out once with the same figures, and a refresh writes
-- exactly the days whose figures changed.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
\set employees 700
\set mode mixed
\set month 2026-10-01
\set ECHO none
\i benches/sql/company.sql
\set ECHO all
SET search_path = attendance, public;
SET attendance.clock = '2026-11-10 12:00+00';
SET max_parallel_workers_per_gather = 2;

-- 1. att_evaluate_all: planned as a Parallel Append under a Gather, and the
--    same days with workers and without.
EXPLAIN (COSTS OFF) SELECT status, count(*) FROM att_evaluate_all('[2026-10-01,2026-11-01)') GROUP BY 1;
-- (a digest of every figure of the days, in a fixed order)
SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) AS with_workers
  FROM att_evaluate_all('[2026-10-01,2026-11-01)') r \gset
SET max_parallel_workers_per_gather = 0;
SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) AS without_workers
  FROM att_evaluate_all('[2026-10-01,2026-11-01)') r \gset
SET max_parallel_workers_per_gather = 2;
SELECT :'with_workers' = :'without_workers' AS same_days,
       split_part(:'with_workers', ' ', 1)::int = (SELECT count(*) FROM employee) * 31 AS every_employee_day_once;

-- The clock (a superuser's setting) reaches the parallel workers: days
-- after it are pending there too.
SET attendance.clock = '2026-10-14 03:00+00';
SELECT count(*) FILTER (WHERE status = 'pending') AS pending_with_workers FROM att_evaluate_all('[2026-10-13,2026-10-16)') \gset
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FILTER (WHERE status = 'pending') AS pending_without FROM att_evaluate_all('[2026-10-13,2026-10-16)') \gset
SET max_parallel_workers_per_gather = 2;
SET attendance.clock = '2026-11-10 12:00+00';
SELECT :pending_with_workers = :pending_without AS same_pending_days, :pending_with_workers > 0 AS some_pending;

-- 2. att_evaluate over an array (repeats and NULLs ignored, ids unordered)
--    in parts, against one call per employee, and against the same batches
--    read by SQL. The loader reads the tables through their indexes itself
--    (src/probe.rs) unless row-level security applies to the caller: the
--    company's hr, as a login under the scope policies of schedule and
--    day_record that show it every employee, takes the SQL reads. The
--    punches vacuumed first, so that the direct reads take them from the
--    index entries of all-visible pages, as an index-only scan does.
VACUUM (FREEZE, ANALYZE) attendance.punch;
SELECT relallvisible > 0 AND relallvisible = relpages AS punches_all_visible FROM pg_class WHERE oid = 'attendance.punch'::regclass;
SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) AS in_parts
  FROM att_evaluate(ARRAY(SELECT employee_id FROM employee ORDER BY employee_id DESC) || ARRAY[NULL, 5, 5]::bigint[],
                    '[2026-10-10,2026-10-20)') r \gset
SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) AS one_by_one
  FROM employee e, LATERAL att_evaluate(e.employee_id, '[2026-10-10,2026-10-20)') r \gset
SELECT :'in_parts' = :'one_by_one' AS parts_cover_every_employee_once;
DROP ROLE IF EXISTS regress_par_hr;
CREATE ROLE regress_par_hr;
INSERT INTO login_employee VALUES ('regress_par_hr', :employees + 2);
GRANT USAGE ON SCHEMA attendance TO regress_par_hr;
GRANT SELECT ON ALL TABLES IN SCHEMA attendance TO regress_par_hr;
SET ROLE regress_par_hr;
SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) AS read_by_sql
  FROM att_evaluate(ARRAY(SELECT employee_id FROM employee ORDER BY employee_id), '[2026-10-10,2026-10-20)') r \gset
RESET ROLE;
DELETE FROM login_employee WHERE role_name = 'regress_par_hr';
REVOKE ALL ON ALL TABLES IN SCHEMA attendance FROM regress_par_hr;
REVOKE USAGE ON SCHEMA attendance FROM regress_par_hr;
DROP ROLE regress_par_hr;
SELECT :'in_parts' = :'read_by_sql' AS direct_reads_read_what_sql_reads;

-- 3. A refresh writes every day once, then nothing; a figure changed behind
--    its back (punches removed with the triggers skipped, a stored figure
--    edited) is found and written again, and only that.
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') > 0 AS first_refresh_writes;
SELECT count(*) = (SELECT count(*) FROM employee) * 31 AS every_day_stored_once
  FROM day_record WHERE day >= '2026-10-01' AND day < '2026-11-01';
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') AS unchanged_refresh_writes;
SELECT count(*) AS changed_days_handed_on
  FROM _att_evaluate_batches(ARRAY(SELECT employee_id FROM employee), '[2026-10-01,2026-11-01)', true);
SET session_replication_role = replica;
DELETE FROM punch WHERE employee_id = 42 AND at >= '2026-10-13 16:00+00' AND at < '2026-10-14 16:00+00';
SET session_replication_role = origin;
UPDATE day_record SET late_minutes = late_minutes + 1 WHERE employee_id = 600 AND day = '2026-10-20';
SELECT employee_id, day FROM _att_evaluate_batches(ARRAY(SELECT employee_id FROM employee), '[2026-10-01,2026-11-01)', true)
 ORDER BY 1, 2;
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') AS refresh_writes_the_changed_days;
SELECT count(*) AS stale_days
  FROM day_record d JOIN att_evaluate_all('[2026-10-01,2026-11-01)') f USING (employee_id, day)
 WHERE to_jsonb(d) - 'evaluated_at' <> to_jsonb(f);

-- 4. As an ordinary login and with bad input: the refresh's comparison is
--    not for logins, and a part that does not exist is a clear error.
\set VERBOSITY terse
\set ON_ERROR_STOP off
DROP ROLE IF EXISTS regress_par_login;
CREATE ROLE regress_par_login;
GRANT USAGE ON SCHEMA attendance TO regress_par_login;
SET ROLE regress_par_login;
SELECT count(*) FROM attendance._att_evaluate_batches(ARRAY(SELECT generate_series(1, 300))::bigint[], '[2026-10-01,2026-10-03)', true);
SELECT count(*) FROM attendance._att_evaluate_changes(ARRAY[1]::bigint[], '2026-10-01', '2026-10-02');
-- the Citus paths (citus.sql) give nothing on a single node, whoever asks
SELECT count(*) AS on_workers FROM attendance._att_evaluate_on_workers(ARRAY[1, NULL]::bigint[], '[2026-10-01,2026-10-03)');
SELECT count(*) AS on_a_shard FROM attendance._att_evaluate_shard(1, NULL, '[2026-10-01,2026-10-03)');
SELECT count(*) AS anchors FROM attendance.shard_anchor;
RESET ROLE;
REVOKE USAGE ON SCHEMA attendance FROM regress_par_login;
DROP ROLE regress_par_login;
SELECT _att_part_ids(0, 0);
SELECT _att_part_ids(16, 16);
SELECT _att_part_ids(16, -1);
SELECT _att_part_ids(NULL, 3) IS NULL AS null_part;
SELECT count(*) FROM _att_evaluate_batches(NULL, '[2026-10-01,2026-10-03)', false);

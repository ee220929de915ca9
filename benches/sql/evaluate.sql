-- SQL benchmark of day evaluation on the simple company of company.sql:
-- evaluation alone, materialising into day_record and keeping it current
-- punch by punch, two hand-written references (PL/pgSQL per day and one
-- set-based query) compared row by row with the engine, the BI view under
-- an admin's scope, and the scope functions per row against their set form.
-- Run: ./scripts/bench-sql.sh evaluate            (10,000 employees)
--      BENCH_EMPLOYEES=100000 ./scripts/bench-sql.sh evaluate
-- or psql -v employees=1000 -f benches/sql/evaluate.sql on a scratch database
-- (it recreates the extension there); -v inserts=N changes the number of
-- punches inserted one by one in c (default 10,000).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- JIT compilation would add a second or so of compile time to whichever
-- query the planner happens to cost high; it is off for every query alike.
SET jit = off;

\if :{?employees}
\else
\getenv employees BENCH_EMPLOYEES
\endif
\if :{?employees}
\else
\set employees 10000
\endif
\if :{?inserts}
\else
\set inserts 10000
\endif
\set mode simple
\ir company.sql
\ir reference.sql
SELECT days, lower(days) AS first_day, upper(days) AS end_day, company, admin, hr,
       (SELECT count(*) FROM attendance.employee) * (upper(days) - lower(days)) AS employee_days
  FROM bench.setting \gset
-- Set hint bits and the visibility map once, so no timed query pays for it.
VACUUM ANALYZE;

-- =====================================================================
-- THE EVALUATION QUERY: every employee-day of a range, as the engine
-- judges it. Used by b (evaluation only) and d (row-by-row comparison).
-- Swap the body here; while attendance.att_evaluate_all(days daterange)
-- exists it is used, otherwise att_evaluate once per employee.
-- (LANGUAGE sql, STABLE, not STRICT: the planner inlines it.)
SELECT to_regprocedure('attendance.att_evaluate_all(daterange)') IS NOT NULL AS have_evaluate_all \gset
\if :have_evaluate_all
-- PARALLEL SAFE as att_evaluate_all is: the planner judges an inlined
-- function by its caller's marking, and an unmarked one is unsafe.
CREATE FUNCTION bench.evaluate(days daterange) RETURNS SETOF attendance.day_result
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT * FROM attendance.att_evaluate_all(days)
$$;
\set evaluation_query 'attendance.att_evaluate_all(days)'
\else
CREATE FUNCTION bench.evaluate(days daterange) RETURNS SETOF attendance.day_result
LANGUAGE sql STABLE AS $$
  SELECT r.* FROM attendance.employee e CROSS JOIN LATERAL attendance.att_evaluate(e.employee_id, days) r
$$;
\set evaluation_query 'employee x LATERAL att_evaluate(employee, days)'
\endif
-- =====================================================================

CREATE TEMP TABLE result (n serial, section text, what text, rows bigint, seconds numeric);
CREATE PROCEDURE pg_temp.took(section text, what text, rows bigint, t0 timestamptz)
LANGUAGE sql AS $$
  INSERT INTO result (section, what, rows, seconds)
  VALUES (section, what, rows, extract(epoch FROM clock_timestamp() - t0))
$$;

-- A warm-up: load the library and parse the rule in this backend.
SELECT count(*) AS warm FROM bench.evaluate(daterange(:'first_day', :'first_day'::date + 1)) \gset

-- b. Evaluation only: every employee-day of the month streamed into an
--    aggregate, three times, counted with the median: a run this short
--    (a tenth of a second at 10,000 employees) moves by a third when a
--    parallel worker starts late or a checkpoint runs beside it, where
--    the references' seconds-long runs even such moments out.
CREATE TEMP TABLE evaluation_run (seconds numeric);
\ir evaluate_round.sql
\ir evaluate_round.sql
\ir evaluate_round.sql
INSERT INTO result (section, what, rows, seconds)
SELECT 'b', 'evaluation only (' || :'evaluation_query' || '), median of 3', :ours_rows,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)
  FROM evaluation_run;
-- The same through the function scan that stores every row first (the
-- streaming node off; since 0.28.0, whose warm-up above defined the setting).
SELECT current_setting('attendance.stream_evaluation', true) IS NOT NULL AS have_stream \gset
\if :have_stream
SET attendance.stream_evaluation = off;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late FROM bench.evaluate(:'days') \gset stored_
CALL pg_temp.took('b', 'evaluation only, through the function scan (attendance.stream_evaluation off)', :stored_rows, :'t0');
RESET attendance.stream_evaluation;
\endif

-- d. The references on the same data, streamed the same way.
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(r.late_minutes) AS late, sum(r.early_minutes) AS early, sum(r.absent_minutes) AS absent
  FROM attendance.employee e
 CROSS JOIN generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
 CROSS JOIN LATERAL bench.simple_day(e.employee_id, :'first_day'::date + i) r \gset plpgsql_
CALL pg_temp.took('d', 'reference: PL/pgSQL function once per employee-day', :plpgsql_rows, :'t0');

SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late, sum(early_minutes) AS early, sum(absent_minutes) AS absent
  FROM bench.simple_days(:'days') \gset setbased_
CALL pg_temp.took('d', 'reference: one set-based query', :setbased_rows, :'t0');

-- att_evaluate_day against the PL/pgSQL function, both once per row: over
-- every employee up to 10,000, over the first 10,000 beyond that.
SELECT :employees > 10000 AS sampled \gset
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(r.late_minutes) AS late
  FROM attendance.employee e
 CROSS JOIN generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
 CROSS JOIN LATERAL attendance.att_evaluate_day(e.employee_id, :'first_day'::date + i) r
 WHERE NOT :'sampled'::boolean OR e.employee_id <= 10000 \gset perrow_
CALL pg_temp.took('d', 'att_evaluate_day once per employee-day', :perrow_rows, :'t0');
\if :sampled
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(r.late_minutes) AS late
  FROM attendance.employee e
 CROSS JOIN generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
 CROSS JOIN LATERAL bench.simple_day(e.employee_id, :'first_day'::date + i) r
 WHERE e.employee_id <= 10000 \gset perrow_plpgsql_
CALL pg_temp.took('d', 'reference: PL/pgSQL function once per employee-day, first 10,000 employees', :perrow_plpgsql_rows, :'t0');
\endif
-- The same per-row calls in the other join order, days outside and
-- employees inside (a planner picks it for some query forms), for 200
-- employees: every call changes employee.
SET join_collapse_limit = 1;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(r.late_minutes) AS late
  FROM generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
 CROSS JOIN (SELECT employee_id FROM attendance.employee ORDER BY employee_id LIMIT 200) e
 CROSS JOIN LATERAL attendance.att_evaluate_day(e.employee_id, :'first_day'::date + i) r \gset daysouter_
CALL pg_temp.took('d', 'att_evaluate_day once per employee-day, days outside, 200 employees', :daysouter_rows, :'t0');
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(r.late_minutes) AS late
  FROM generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
 CROSS JOIN (SELECT employee_id FROM attendance.employee ORDER BY employee_id LIMIT 200) e
 CROSS JOIN LATERAL bench.simple_day(e.employee_id, :'first_day'::date + i) r \gset daysouter_plpgsql_
CALL pg_temp.took('d', 'reference: PL/pgSQL function, days outside, 200 employees', :daysouter_plpgsql_rows, :'t0');
RESET join_collapse_limit;

-- d. Row by row: the engine's figures against both references.
CREATE TEMP TABLE ours AS SELECT * FROM bench.evaluate(:'days');

-- b. Where the evaluation's time goes: the same query in one process, and
-- the same rows handed back by a PL/pgSQL RETURN QUERY over a table that
-- holds them (one process too: a temporary table is the leader's). The
-- second is what PostgreSQL alone takes to return the rows from a
-- set-returning function into the aggregate, with nothing judged or read:
-- the floor under any engine behind such a function.
CREATE FUNCTION pg_temp.handed_back() RETURNS SETOF attendance.day_result
LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY SELECT * FROM ours; END $$;
SELECT count(*) AS warm FROM pg_temp.handed_back() \gset
SET max_parallel_workers_per_gather = 0;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late FROM bench.evaluate(:'days') \gset one_process_
CALL pg_temp.took('b', 'evaluation only, one process', :one_process_rows, :'t0');
RESET max_parallel_workers_per_gather;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late, sum(early_minutes) AS early, sum(absent_minutes) AS absent
  FROM pg_temp.handed_back() \gset handed_
CALL pg_temp.took('b', 'the same rows handed back by a function (RETURN QUERY from a table, one process)', :handed_rows, :'t0');
CREATE TEMP TABLE ref_set AS SELECT * FROM bench.simple_days(:'days');
CREATE TEMP TABLE ref_plpgsql AS
SELECT e.employee_id, :'first_day'::date + i AS day, r.*
  FROM attendance.employee e
 CROSS JOIN generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
 CROSS JOIN LATERAL bench.simple_day(e.employee_id, :'first_day'::date + i) r;
CREATE TEMP TABLE agreement AS
SELECT 'PL/pgSQL reference' AS reference, count(*) AS employee_days,
       count(*) FILTER (WHERE o.employee_id IS NULL OR r.employee_id IS NULL) AS missing_rows,
       count(*) FILTER (WHERE (o.late_minutes, o.early_minutes, o.absent_minutes)
                              IS DISTINCT FROM (r.late_minutes, r.early_minutes, r.absent_minutes)) AS mismatches,
       count(*) FILTER (WHERE o.status IS DISTINCT FROM r.status) AS status_differs
  FROM ours o FULL JOIN ref_plpgsql r ON r.employee_id = o.employee_id AND r.day = o.day
UNION ALL
SELECT 'set-based reference', count(*),
       count(*) FILTER (WHERE o.employee_id IS NULL OR r.employee_id IS NULL),
       count(*) FILTER (WHERE (o.late_minutes, o.early_minutes, o.absent_minutes)
                              IS DISTINCT FROM (r.late_minutes, r.early_minutes, r.absent_minutes)),
       count(*) FILTER (WHERE o.status IS DISTINCT FROM r.status)
  FROM ours o FULL JOIN ref_set r ON r.employee_id = o.employee_id AND r.day = o.day;

-- c. Materialising the month into day_record (empty before), then again with
-- nothing changed; the set-based reference's upsert of the same rows into its
-- own indexed table, empty and then unchanged.
SELECT clock_timestamp() AS t0 \gset
SELECT attendance.att_refresh_org(:company, :'days') AS written \gset refresh_
CALL pg_temp.took('c', 'att_refresh_org: the month into an empty day_record', :refresh_written, :'t0');

SELECT clock_timestamp() AS t0 \gset
SELECT attendance.att_refresh_org(:company, :'days') AS written \gset rerefresh_
CALL pg_temp.took('c', 'att_refresh_org again, nothing changed (' || :rerefresh_written || ' written)', :ours_rows, :'t0');

SELECT clock_timestamp() AS t0 \gset
WITH w AS (
  INSERT INTO bench.ref_result AS t (employee_id, day, late_minutes, early_minutes, absent_minutes, status)
  SELECT * FROM bench.simple_days(:'days')
  ON CONFLICT (employee_id, day) DO UPDATE
    SET late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes,
        absent_minutes = excluded.absent_minutes, status = excluded.status, evaluated_at = now()
    WHERE (t.late_minutes, t.early_minutes, t.absent_minutes, t.status)
          IS DISTINCT FROM (excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.status)
  RETURNING 1)
SELECT count(*) AS written FROM w \gset upsert_
CALL pg_temp.took('c', 'reference upsert: the month into an empty indexed table', :upsert_written, :'t0');

SELECT clock_timestamp() AS t0 \gset
WITH w AS (
  INSERT INTO bench.ref_result AS t (employee_id, day, late_minutes, early_minutes, absent_minutes, status)
  SELECT * FROM bench.simple_days(:'days')
  ON CONFLICT (employee_id, day) DO UPDATE
    SET late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes,
        absent_minutes = excluded.absent_minutes, status = excluded.status, evaluated_at = now()
    WHERE (t.late_minutes, t.early_minutes, t.absent_minutes, t.status)
          IS DISTINCT FROM (excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.status)
  RETURNING 1)
SELECT count(*) AS written FROM w \gset reupsert_
CALL pg_temp.took('c', 'reference upsert again, nothing changed (' || :reupsert_written || ' written)', :setbased_rows, :'t0');

-- c. :inserts punches (10,000), one INSERT statement (and transaction) each, as they
-- arrive from devices: a lunch-time punch on a weekday of the month for
-- employees spread over the company. First with the triggers skipped (the
-- bare cost of the insert, each committed too; then deleted, triggers
-- still skipped), then with day_record kept current.
CREATE TEMP TABLE new_punch AS
SELECT i, 1 + (i * 7919) % :employees AS employee_id,
       ((w.day + time '12:30') + make_interval(secs => i % 600)) AT TIME ZONE 'Asia/Shanghai' AS at
  FROM generate_series(1, :inserts) i
 CROSS JOIN LATERAL (
   SELECT d::date AS day
     FROM generate_series(:'first_day'::date, :'end_day'::date - 1, interval '1 day') d
    WHERE extract(isodow FROM d) <= 5
    ORDER BY d OFFSET i % 20 LIMIT 1) w;

SELECT coalesce(max(punch_id), 0) AS before_bare FROM attendance.punch \gset
SET session_replication_role = replica;
SELECT clock_timestamp() AS t0 \gset
SELECT format('INSERT INTO attendance.punch (employee_id, at) VALUES (%s, %L)', employee_id, at) FROM new_punch ORDER BY i \gexec
SELECT clock_timestamp() - :'t0'::timestamptz AS took \gset bare_
DELETE FROM attendance.punch WHERE punch_id > :before_bare;
RESET session_replication_role;
CALL pg_temp.took('c', 'insert ' || :inserts || ' punches one statement each, triggers skipped', :inserts, clock_timestamp() - :'bare_took'::interval);

SELECT clock_timestamp() AS t0 \gset
SELECT format('INSERT INTO attendance.punch (employee_id, at) VALUES (%s, %L)', employee_id, at) FROM new_punch ORDER BY i \gexec
CALL pg_temp.took('c', 'insert ' || :inserts || ' punches one statement each, day_record kept current', :inserts, :'t0');

-- day_record is current: it holds exactly what the engine says now.
SELECT count(*) AS stale
  FROM bench.evaluate(:'days') f
  LEFT JOIN attendance._att_days_now d ON d.employee_id = f.employee_id AND d.day = f.day
 WHERE (f.status, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.check_in, f.check_out, f.reasons)
       IS DISTINCT FROM (d.status, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.check_in, d.check_out, d.reasons) \gset day_record_

-- The month just written, with the statistics autovacuum gives it within a
-- minute of a load, before any BI tool reads it: section e compares what
-- the scope costs, not a plan made on the statistics of the empty table.
-- (Whenever autovacuum had not got there yet, the hr's read was planned on
-- 953 estimated rows as a nested loop of 310,062 probes of employee and
-- took 2.2-2.4x the unscoped read, whose plan kept its hash join.)
ANALYZE attendance.day_record;

-- e. The daily BI view over the month: unscoped (superuser), then as the
-- login of the company's hr (scope: everyone, so the same rows) and of the
-- admin of half the departments.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_hr') THEN CREATE ROLE bench_hr LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_admin') THEN CREATE ROLE bench_admin LOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA attendance TO bench_hr, bench_admin;
GRANT SELECT ON attendance.att_daily, attendance.day_record, attendance.employee TO bench_hr, bench_admin;
INSERT INTO attendance.login_employee VALUES ('bench_hr', :hr), ('bench_admin', :admin);

SELECT count(*) AS warm FROM attendance.att_daily WHERE day >= :'first_day' AND day < :'end_day' \gset

-- Each login's first query computes its scope, which the backend keeps
-- for its later transactions while the tree, memberships and grants stay
-- as they are: the first query is timed on its own. Then the unscoped and
-- the scoped read alternate, five of each, and each counts with its
-- median: a single pair of reads differs by more than the scope costs when
-- the host takes CPU time from this machine.
SET ROLE bench_hr;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows FROM attendance.att_daily WHERE day >= :'first_day' AND day < :'end_day' \gset first_hr_
RESET ROLE;
CALL pg_temp.took('e', 'att_daily, the month, as the hr: the first query (its scope computed)', :first_hr_rows, :'t0');
CREATE TEMP TABLE daily_read (kind text, rows bigint, seconds numeric);
\ir daily_round.sql
\ir daily_round.sql
\ir daily_round.sql
\ir daily_round.sql
\ir daily_round.sql
INSERT INTO result (section, what, rows, seconds)
SELECT 'e', CASE kind WHEN 'unscoped' THEN 'att_daily, the month, unscoped (superuser), median of 5'
                      ELSE 'att_daily, the month, as the hr of the company (all rows), median of 5' END,
       max(rows), percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)
  FROM daily_read GROUP BY kind ORDER BY kind DESC;

SET ROLE bench_admin;
SELECT count(*) AS warm FROM attendance.att_daily WHERE day >= :'first_day' AND day < :'end_day' \gset
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS rows, sum(late_minutes) AS late FROM attendance.att_daily
 WHERE day >= :'first_day' AND day < :'end_day' \gset scan_admin_
RESET ROLE;
CALL pg_temp.took('e', 'att_daily, the month, as the admin of half the departments', :scan_admin_rows, :'t0');

-- f. The admin's scope over the month's employee-days (as of today), as in
-- benches/sql/scope.sql: att_can_access once per row, then att_scope joined.
-- The admin's own days are left out: att_can_access gives an employee view
-- on their own days (self service), att_scope lists admin scope only.
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS in_scope
  FROM attendance.employee e
 CROSS JOIN generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
 WHERE e.employee_id <> :admin
   AND attendance.att_can_access(:admin, e.employee_id, :'first_day'::date + i) <> 'none' \gset per_row_
CALL pg_temp.took('f', 'att_can_access once per employee-day', :employee_days - (:'end_day'::date - :'first_day'::date), :'t0');

SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS in_scope
  FROM attendance.employee e
 CROSS JOIN generate_series(0, :'end_day'::date - :'first_day'::date - 1) i
  JOIN attendance.att_scope(:admin, :'days') s ON s.employee_id = e.employee_id AND s.days @> (:'first_day'::date + i)
 WHERE e.employee_id <> :admin \gset set_form_
CALL pg_temp.took('f', 'att_scope joined, one call per query', :employee_days - (:'end_day'::date - :'first_day'::date), :'t0');

-- The tables.
\echo
\echo 'Day evaluation, simple company:' :employees 'employees (+ 2 admins),' :employee_days 'employee-days, month' :days
\echo 'Evaluation query:' :evaluation_query
\echo 'rows: employee-days (punches for the inserts); per_second: rows per second'
SELECT section AS s, what, rows, round(seconds, 3) AS seconds, round(rows / nullif(seconds, 0)) AS per_second
  FROM result ORDER BY section, n;

\echo 'Row-by-row agreement with the engine on late, early and absent minutes (mismatches must be 0)'
SELECT * FROM agreement;
SELECT :ours_late = :plpgsql_late AND :ours_late = :setbased_late AND :ours_absent = :plpgsql_absent
       AND :ours_absent = :setbased_absent AND :ours_early = :plpgsql_early AND :ours_early = :setbased_early
       AND :one_process_late = :ours_late AND :handed_late = :ours_late AND :handed_absent = :ours_absent AS timed_sums_agree,
       :day_record_stale AS day_record_rows_not_current,
       :scan_rows = :scan_hr_rows AS hr_sees_every_row,
       :per_row_in_scope = :set_form_in_scope AS scope_forms_agree;

\echo 'Ratios and targets (2 cores)'
WITH t AS (SELECT what, seconds FROM result),
s AS (
  SELECT (SELECT seconds FROM t WHERE what LIKE 'evaluation only (%') AS ours,
         (SELECT seconds FROM t WHERE what = 'reference: PL/pgSQL function once per employee-day') AS plpgsql,
         (SELECT seconds FROM t WHERE what LIKE 'reference: one set-based%') AS setbased,
         (SELECT seconds FROM t WHERE what = 'att_evaluate_day once per employee-day') AS per_row,
         -- beyond 10,000 employees the per-row calls are timed on the first
         -- 10,000, and so is the reference they are compared with
         coalesce((SELECT seconds FROM t WHERE what LIKE 'reference: PL/pgSQL function once per employee-day, first 10,000%'),
                  (SELECT seconds FROM t WHERE what = 'reference: PL/pgSQL function once per employee-day')) AS plpgsql_per_row,
         (SELECT seconds FROM t WHERE what LIKE 'att_refresh_org: the month%') AS refresh,
         (SELECT seconds FROM t WHERE what LIKE 'reference upsert: the month%') AS upsert,
         (SELECT seconds FROM t WHERE what LIKE 'att_refresh_org again%') AS rerefresh,
         (SELECT seconds FROM t WHERE what LIKE 'reference upsert again%') AS reupsert,
         (SELECT seconds FROM t WHERE what LIKE 'insert % punches%triggers skipped') AS bare_insert,
         (SELECT seconds FROM t WHERE what LIKE 'insert % punches%kept current') AS kept_insert,
         (SELECT seconds FROM t WHERE what LIKE 'att_daily%unscoped%') AS unscoped,
         (SELECT seconds FROM t WHERE what LIKE 'att_daily%hr of the company%') AS scoped,
         (SELECT seconds FROM t WHERE what LIKE 'att_can_access once%') AS can_access,
         (SELECT seconds FROM t WHERE what LIKE 'att_scope joined%') AS scope,
         (SELECT seconds FROM t WHERE what = 'evaluation only, one process') AS one_process,
         (SELECT seconds FROM t WHERE what LIKE 'evaluation only, through the function scan%') AS stored,
         (SELECT seconds FROM t WHERE what LIKE 'the same rows handed back%') AS handed)
SELECT m.measure, m.value, m.target,
       CASE WHEN m.ok IS NULL THEN '' WHEN m.ok THEN 'met' ELSE 'NOT met' END AS result
  FROM s CROSS JOIN LATERAL (VALUES
    ('evaluation vs PL/pgSQL reference (x faster)', round(s.plpgsql / s.ours, 2), '>= 20', s.plpgsql / s.ours >= 20),
    ('evaluation vs set-based reference (x faster)', round(s.setbased / s.ours, 2), '>= 3', s.setbased / s.ours >= 3),
    ('att_evaluate_day per row / PL/pgSQL per row (time)', round(s.per_row / s.plpgsql_per_row, 2), '<= 1', s.per_row <= s.plpgsql_per_row),
    ('re-materialising / reference upsert (time)', round(s.refresh / s.upsert, 2), '<= 1.1', s.refresh / s.upsert <= 1.1),
    ('same, nothing changed / reference upsert into the empty table (time)', round(s.rerefresh / s.upsert, 2), '< 0.3', s.rerefresh / s.upsert < 0.3),
    ('one punch kept current: ms per insert', round(s.kept_insert * 1000 / :inserts, 3), '', NULL),
    ('one punch: incremental re-evaluation, ms (minus the bare insert)', round((s.kept_insert - s.bare_insert) * 1000 / :inserts, 3), '<= 0.5', (s.kept_insert - s.bare_insert) * 1000 / :inserts <= 0.5),
    ('att_daily scoped (hr, all rows) / unscoped (time)', round(s.scoped / s.unscoped, 2), '<= 1.2', s.scoped / s.unscoped <= 1.2),
    ('att_scope joined vs att_can_access per row (x faster)', round(s.can_access / s.scope, 2), '', NULL),
    ('evaluation in one process / the rows handed back (time)', round(s.one_process / s.handed, 2), '', NULL),
    ('evaluation through the function scan / streamed (time)', round(s.stored / s.ours, 2), '', NULL),
    ('PL/pgSQL reference / the rows handed back in one process (x)', round(s.plpgsql / s.handed, 2), '', NULL)
  ) m(measure, value, target, ok);

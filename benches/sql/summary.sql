-- What a BI tool's closing-period reports cost once a year of days is
-- stored (issue 13): the summary of one closing period for a whole company,
-- as a superuser and as a BI login under row-level security, the monthly
-- grid and a department total from it, and one employee's days.
--   ./scripts/bench-sql.sh summary                 (10,000 employees, a year)
--   BENCH_EMPLOYEES=1000 ./scripts/bench-sql.sh summary
-- or psql -v employees=1000 -f benches/sql/summary.sql on a scratch database
-- (it recreates the extension there and connects again as the BI login,
-- so the server must let that login in without a password).
-- psql variables (environment variables in brackets):
--   employees (BENCH_EMPLOYEES) default 10000; mode (BENCH_MODE) default
--   mixed; month (BENCH_MONTH) the first stored month, default 2025-12-01;
--   months (BENCH_MONTHS) default 12; period, the closing period timed,
--   default the last stored month; runs, runs of each step, default 3;
--   jit, the jit setting of the timed sessions, default off (as in
--   evaluate.sql: JIT compile time would land on whichever query the
--   planner happens to cost high).
-- Generating and storing the year is timed but not counted: the steps read
-- day_record as it stands after a VACUUM ANALYZE.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT current_user AS superuser \gset

\if :{?mode}
\else
\getenv mode BENCH_MODE
\endif
\if :{?mode}
\else
\set mode mixed
\endif
\if :{?month}
\else
\getenv month BENCH_MONTH
\endif
\if :{?month}
\else
\set month 2025-12-01
\endif
\if :{?months}
\else
\getenv months BENCH_MONTHS
\endif
\if :{?months}
\else
\set months 12
\endif
\if :{?runs}
\else
\set runs 3
\endif
\if :{?jit}
\else
\set jit off
\endif

-- "Now": noon UTC of the day after the stored months, so every day is over
-- (none pending) and the hr grant holds today, whenever this runs; set
-- before the company is generated, since some of its inserts refresh days
-- around today. The BI login gets the same clock through its role, as
-- README says a superuser sets it.
SELECT (date :'month' + :months * interval '1 month')::date || ' 12:00+00' AS clock \gset
SET attendance.clock = :'clock';
SELECT clock_timestamp() AS t_generate \gset
\ir company.sql
SELECT extract(epoch FROM clock_timestamp() - :'t_generate') AS generate_seconds \gset
\if :{?period}
\else
SELECT (month + (months - 1) * interval '1 month')::date AS period FROM bench.setting \gset
\endif
SELECT lower(days) AS first_day, upper(days) AS end_day, company, hr, employees FROM bench.setting \gset

-- Storing the year: att_refresh_org one month at a time, each month its own
-- transaction, as a nightly catch-up would.
\echo 'summary.sql: storing' :months 'months of days for' :employees 'employees (about 60,000 days/s)'
SELECT clock_timestamp() AS t_store \gset
DO $$
DECLARE
  s record;
  m date;
BEGIN
  SELECT * INTO s FROM bench.setting;
  FOR m IN SELECT g::date FROM generate_series(lower(s.days), upper(s.days) - 1, interval '1 month') g LOOP
    PERFORM attendance.att_refresh_org(s.company, daterange(m, (m + interval '1 month')::date));
    COMMIT;
  END LOOP;
END $$;
SELECT extract(epoch FROM clock_timestamp() - :'t_store') AS store_seconds \gset
SELECT clock_timestamp() AS t_vacuum \gset
-- Hint bits, the visibility map and statistics, so no timed query pays for them.
VACUUM ANALYZE;
SELECT extract(epoch FROM clock_timestamp() - :'t_vacuum') AS vacuum_seconds \gset

SELECT count(*) AS stored_days,
       count(*) FILTER (WHERE period_start = :'period') AS period_days,
       count(DISTINCT period_start) AS periods,
       pg_size_pretty(pg_relation_size('attendance.day_record')) AS heap,
       pg_size_pretty(pg_indexes_size('attendance.day_record')) AS indexes,
       pg_size_pretty(pg_total_relation_size('attendance.day_record')) AS total
  FROM attendance.day_record \gset day_record_

-- The hr of the whole company, as company.sql makes it: the BI login is
-- mapped to that employee.
SELECT EXISTS (SELECT 1 FROM attendance.admin_grant
                WHERE admin_id = :hr AND org_id = :company AND kind = 'hr' AND period @> :'end_day'::date) AS hr_of_company \gset
\if :hr_of_company
\else
\echo 'summary.sql: employee' :hr 'holds no hr grant on the company root'
SELECT 1/0 AS no_hr;
\endif

-- The BI login, granted exactly as README's "Who sees what" says.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_bi') THEN CREATE ROLE bench_bi LOGIN; END IF;
END $$;
INSERT INTO attendance.login_employee VALUES ('bench_bi', :hr);
GRANT USAGE ON SCHEMA attendance TO bench_bi;
GRANT SELECT ON attendance.att_daily, attendance.att_anomalies, attendance.att_work_time,
                attendance.att_period_summary, attendance.att_leave_summary, attendance.att_monthly_grid,
                attendance.att_approvals, attendance.att_weekly_overtime, attendance.att_time_off_balance, attendance.day_record, attendance.period_record,
                attendance.employee TO bench_bi;
ALTER ROLE bench_bi SET attendance.clock = :'clock';

-- The timings. Each step runs its query :runs times through EXECUTE, so
-- each run is planned afresh as a client's query is, and commits, so each
-- run is a transaction of its own as a BI client's query is (a login's
-- scope is kept between its transactions, not within one that wrote);
-- the whole row is hashed so every column of the view is computed, not
-- just counted.
CREATE TABLE bench.result (n serial, step text, who text, what text, run int, rows bigint, ms numeric);
CREATE PROCEDURE bench.time_steps(step text, what text, query text, runs int)
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  n bigint;
  hash bigint;
BEGIN
  FOR run IN 1 .. runs LOOP
    t0 := clock_timestamp();
    EXECUTE format('SELECT count(*), sum(hashtext(q::text)) FROM (%s) q', query) INTO n, hash;
    INSERT INTO bench.result (step, who, what, run, rows, ms)
    VALUES (step, current_user, what, run, n, extract(epoch FROM clock_timestamp() - t0) * 1000);
    COMMIT;
  END LOOP;
END $$;
GRANT USAGE ON SCHEMA bench TO bench_bi;
GRANT INSERT ON bench.result TO bench_bi;
GRANT USAGE ON SEQUENCE bench.result_n_seq TO bench_bi;

SELECT :employees / 2 AS one_employee \gset
SELECT format('SELECT * FROM attendance.att_period_summary WHERE period_start = date %L', :'period') AS q_summary,
       format('SELECT * FROM attendance.att_monthly_grid WHERE period_start = date %L', :'period') AS q_grid,
       format('SELECT department, sum(absent_days) FROM attendance.att_monthly_grid WHERE period_start = date %L GROUP BY 1', :'period') AS q_department,
       format('SELECT * FROM attendance.att_daily WHERE employee_id = %s AND period_start = date %L', :one_employee, :'period') AS q_daily \gset

-- 1. As the superuser (no row-level security).
SET jit = :jit;
CALL bench.time_steps('1', 'att_period_summary, one period', :'q_summary', :runs);
\echo
\echo '== EXPLAIN (ANALYZE, BUFFERS) of step 1, as the superuser'
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM attendance.att_period_summary WHERE period_start = :'period';

-- 2-4. As the BI login, in a connection of its own: its session user is the
-- login, as a BI tool's is (a SET ROLE would leave the superuser as session
-- user, which the views' org lookup treats as unscoped).
\c - bench_bi
SET client_min_messages = warning;
SET jit = :jit;
SELECT current_user = 'bench_bi' AND session_user = 'bench_bi' AND attendance.att_current_employee() = :hr AS as_bi_login \gset
\if :as_bi_login
\else
\echo 'summary.sql: the second connection is not the BI login mapped to employee' :hr
SELECT 1/0 AS not_bi_login;
\endif
CALL bench.time_steps('2', 'att_period_summary, one period', :'q_summary', :runs);
CALL bench.time_steps('3a', 'att_monthly_grid, one period', :'q_grid', :runs);
CALL bench.time_steps('3b', 'att_monthly_grid, one period, absent days by department', :'q_department', :runs);
CALL bench.time_steps('4', 'att_daily, one employee over the period', :'q_daily', :runs);
\echo
\echo '== EXPLAIN (ANALYZE, BUFFERS) of step 2, as the BI login (row-level security)'
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM attendance.att_period_summary WHERE period_start = :'period';

\c - :superuser
\echo
\echo 'Closing-period summary,' :mode 'company:' :employees 'employees (+ 2 admins), days stored' :first_day 'to' :end_day '(exclusive)'
\echo 'day_record:' :day_record_stored_days 'rows in' :day_record_periods 'periods, heap' :day_record_heap ', indexes' :day_record_indexes ', total' :day_record_total
\echo 'the period timed:' :period ',' :day_record_period_days 'stored days; BI login bench_bi = employee' :hr '(hr of the company); jit' :jit
SELECT 'generate the company (company.sql)' AS setup, round(:generate_seconds, 1) AS seconds, NULL::numeric AS days_per_second
UNION ALL
SELECT 'store the days: att_refresh_org, a month at a time', round(:store_seconds, 1), round(:day_record_stored_days / :store_seconds)
UNION ALL
SELECT 'VACUUM ANALYZE', round(:vacuum_seconds, 1), NULL;

SELECT step, CASE who WHEN 'bench_bi' THEN 'BI login (RLS)' ELSE who END AS login, what,
       min(rows) AS rows, round(min(ms), 1) AS best_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS median_ms,
       string_agg(round(ms, 1)::text, ' / ' ORDER BY run) AS runs_ms,
       min(rows) = max(rows) AS same_rows
  FROM bench.result
 GROUP BY step, who, what
 ORDER BY min(n);

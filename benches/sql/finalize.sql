-- What keeping results true costs as time passes and inputs change (issue 11):
-- on a generated company (benches/sql/company.sql, simple mode by default),
-- att_finalize's first run (the month), one day falling due for everyone, a
-- company-wide rule change queued as one request and re-evaluated in one
-- batched run, and one employee's transfer refreshed at once.
--   ./scripts/bench-sql.sh finalize            (BENCH_EMPLOYEES=100000 for 100k)
\set ON_ERROR_STOP on
\if :{?mode}
\else
\getenv mode BENCH_MODE
\endif
\if :{?mode}
\else
\set mode simple
\endif
\ir company.sql
SET search_path = attendance, public;
CREATE TEMP TABLE result (n serial, step text, changed bigint, seconds numeric);
-- "Now": the first day after the generated month, 00:30 in Shanghai.
SELECT (month::date + interval '1 month')::date AS next_month FROM bench.setting \gset
SELECT set_config('attendance.clock', (:'next_month'::date + time '00:30')::text || '+08', false) IS NOT NULL AS clock_set;
SELECT count(*) AS queued_by_the_load FROM refresh_request;

SELECT clock_timestamp() AS t0 \gset
SELECT att_finalize() AS n \gset
INSERT INTO result (step, changed, seconds) VALUES ('first run: the month for every employee, and the load''s queue', :n, extract(epoch FROM clock_timestamp() - :'t0'));

SELECT set_config('attendance.clock', (:'next_month'::date + 1 + time '00:30')::text || '+08', false) IS NOT NULL AS clock_set;
SELECT clock_timestamp() AS t0 \gset
SELECT att_finalize() AS n \gset
INSERT INTO result (step, changed, seconds) VALUES ('one day falls due for every employee (' || to_char(:'next_month'::date, 'Dy') || ')', :n, extract(epoch FROM clock_timestamp() - :'t0'));

SELECT clock_timestamp() AS t0 \gset
INSERT INTO rule_version (rule_id, valid_from, config)
SELECT rule_id, :'next_month'::date - 10, jsonb_set(config, '{tolerance}', '{"late_minutes": 10, "early_minutes": 10}')
  FROM rule_version WHERE rule_id = att_rule_for(1, :'next_month'::date - 10) ORDER BY valid_from DESC LIMIT 1;
INSERT INTO result (step, changed, seconds) VALUES ('a company-wide rule version: the insert (queued as ' || (SELECT count(*) FROM refresh_request) || ' request)', 0, extract(epoch FROM clock_timestamp() - :'t0'));
SELECT clock_timestamp() AS t0 \gset
SELECT att_finalize() AS n \gset
INSERT INTO result (step, changed, seconds) VALUES ('... and the run that re-evaluates it (from 10 days back)', :n, extract(epoch FROM clock_timestamp() - :'t0'));

SELECT clock_timestamp() AS t0 \gset
UPDATE membership SET period = daterange(lower(period), :'next_month'::date - 5) WHERE employee_id = 1 AND upper_inf(period);
INSERT INTO membership (employee_id, org_id, period) SELECT 1, org_id, daterange(:'next_month'::date - 5, NULL) FROM org WHERE parent_id = 1 LIMIT 1;
INSERT INTO result (step, changed, seconds) VALUES ('one employee''s transfer, refreshed at once (two statements)', 0, extract(epoch FROM clock_timestamp() - :'t0'));

-- The next day too, last so that the steps before compare with earlier
-- releases: October 2026's next month starts on a Sunday, whose days
-- change nothing; a workday's are all written.
SELECT set_config('attendance.clock', (:'next_month'::date + 2 + time '00:30')::text || '+08', false) IS NOT NULL AS clock_set;
SELECT clock_timestamp() AS t0 \gset
SELECT att_finalize() AS n \gset
INSERT INTO result (step, changed, seconds) VALUES ('the next day falls due (' || to_char(:'next_month'::date + 1, 'Dy') || ')', :n, extract(epoch FROM clock_timestamp() - :'t0'));

-- A workday as it falls due every day once the extension runs: the first
-- run stored each employee's days to nine days on, one employee after the
-- other, so each of those days lies on as many pages as there are
-- employees. From then on a scheduler's runs (every few minutes) first
-- store a day in its first hour, the server's day (UTC here), pending for
-- every employee at once; the runs of the morning find nothing that fell
-- due; the first run after the shift's end (18:00 in Shanghai) writes
-- every employee's day from pending to its figures. The days up to the
-- first day stored so fall due one run each (not timed), then that day's
-- three runs are timed.
SELECT max(day) + 1 AS stored_ahead_to FROM day_record \gset
SELECT format('SELECT set_config(''attendance.clock'', %L, false) IS NOT NULL AS clock_set', (d::date + 1 + time '00:30')::text || '+08'),
       'SELECT att_finalize() >= 0 AS finalized'
  FROM generate_series(:'next_month'::date + 2, :'stored_ahead_to'::date - 1, interval '1 day') AS g(d) \gexec
SELECT set_config('attendance.clock', (:'stored_ahead_to'::date + time '08:30')::text || '+08', false) IS NOT NULL AS clock_set;
SELECT clock_timestamp() AS t0 \gset
SELECT att_finalize() AS n \gset
INSERT INTO result (step, changed, seconds) VALUES ('a new day stored pending in its first hour (' || to_char(:'stored_ahead_to'::date, 'Dy') || ' 08:30)', :n, extract(epoch FROM clock_timestamp() - :'t0'));
SELECT set_config('attendance.clock', (:'stored_ahead_to'::date + time '12:00')::text || '+08', false) IS NOT NULL AS clock_set;
SELECT clock_timestamp() AS t0 \gset
SELECT att_finalize() AS n \gset
INSERT INTO result (step, changed, seconds) VALUES ('a run during that day, no shift ended (12:00)', :n, extract(epoch FROM clock_timestamp() - :'t0'));
SELECT set_config('attendance.clock', (:'stored_ahead_to'::date + time '18:30')::text || '+08', false) IS NOT NULL AS clock_set;
SELECT clock_timestamp() AS t0 \gset
SELECT att_finalize() AS n \gset
INSERT INTO result (step, changed, seconds) VALUES ('that day falls due, stored by its own day''s run (18:30)', :n, extract(epoch FROM clock_timestamp() - :'t0'));

SELECT (SELECT employees FROM bench.setting) AS employees, (SELECT count(*) FROM day_record) AS stored_days;
SELECT n, step, changed, round(seconds, 3) AS seconds FROM result ORDER BY n;

-- The evaluation node (src/scan.rs, since 0.28.0): a call of
-- _att_evaluate_batch alone in its FROM item, reading plain columns, is
-- planned as a Custom Scan that streams the days batch by batch with only
-- the columns read, instead of a function scan that stores every row with
-- all its columns first. Whatever the plan, the days are the same: every
-- column, under conditions, in parallel parts and in several batches,
-- rescanned with a new parameter, cut short by a LIMIT. It checks the
-- caller's right to run the function as a function scan does, gives the
-- function's own errors, and is planned from a session's first query on.
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
SET attendance.clock = '2026-10-14 03:00+00';
SET max_parallel_workers_per_gather = 2;

-- Every column of a day, in a fixed order, as one text (no whole-row
-- reference: that one keeps the function scan, see 4).
CREATE FUNCTION pg_temp.digest(days text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  EXECUTE format($q$
    SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', employee_id, day, rule_id, rule_name, shift, day_kind, status,
             check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes,
             overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id,
             period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes,
             appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown), E'\n'
             ORDER BY employee_id, day))
      FROM %s$q$, days) INTO d;
  RETURN d;
END $$;
-- The plan's node for the evaluation, as EXPLAIN names it.
CREATE FUNCTION pg_temp.nodes(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; found text[] := '{}';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    IF line ~ '(Custom Scan|Function Scan)' THEN
      found := found || regexp_replace(line, '^.*(Custom Scan \(\w+\)|Function Scan on \w+).*$', '\1');
    END IF;
  END LOOP;
  RETURN (SELECT string_agg(DISTINCT f, ', ') FROM unnest(found) f);
END $$;

-- 1. att_evaluate_all: sixteen parts streamed under a Parallel Append, the
--    same days as through the function's result store, with workers and without.
EXPLAIN (COSTS OFF) SELECT status, count(*) FROM att_evaluate_all('[2026-10-01,2026-11-01)') GROUP BY 1;
SELECT pg_temp.digest($$att_evaluate_all('[2026-10-01,2026-11-01)')$$) AS streamed \gset
SET attendance.stream_evaluation = off;
SELECT pg_temp.nodes($$SELECT day FROM att_evaluate_all('[2026-10-01,2026-11-01)')$$) AS off_plans;
SELECT pg_temp.digest($$att_evaluate_all('[2026-10-01,2026-11-01)')$$) AS stored \gset
SET attendance.stream_evaluation = on;
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.digest($$att_evaluate_all('[2026-10-01,2026-11-01)')$$) AS streamed_in_one_process \gset
SET max_parallel_workers_per_gather = 2;
SELECT :'streamed' = :'stored' AS same_days, :'streamed_in_one_process' = :'stored' AS same_days_in_one_process,
       split_part(:'streamed', ' ', 1)::int = (SELECT count(*) FROM employee) * 31 AS every_employee_day_once,
       (SELECT count(*) FROM att_evaluate_all('[2026-10-01,2026-11-01)') WHERE status = 'pending') > 0 AS some_pending;

-- 2. One call over every employee: three batches of at most 256, the ids
--    given by a subquery (a parameter the node reads when it starts).
SELECT pg_temp.nodes($$SELECT day FROM _att_evaluate_batch(ARRAY(SELECT employee_id FROM employee), '2026-10-05', '2026-10-18')$$) AS batch_plan;
SELECT pg_temp.digest($$_att_evaluate_batch(ARRAY(SELECT employee_id FROM employee ORDER BY employee_id DESC) || ARRAY[NULL, 7, 7]::bigint[], '2026-10-05', '2026-10-18')$$) AS streamed \gset
SET attendance.stream_evaluation = off;
SELECT pg_temp.digest($$_att_evaluate_batch(ARRAY(SELECT employee_id FROM employee ORDER BY employee_id DESC) || ARRAY[NULL, 7, 7]::bigint[], '2026-10-05', '2026-10-18')$$) AS stored \gset
SET attendance.stream_evaluation = on;
SELECT :'streamed' = :'stored' AS same_days_in_batches;

-- 3. Conditions on the columns, a few columns, an ordering, a LIMIT.
CREATE TEMP TABLE asked (n int, query text);
INSERT INTO asked VALUES
  (1, $$SELECT count(*)::text FROM att_evaluate_all('[2026-10-01,2026-11-01)') WHERE status = 'late' AND late_minutes > 10$$),
  (2, $$SELECT string_agg(employee_id || ' ' || day || ' ' || absent_minutes, ',' ORDER BY employee_id, day) FROM att_evaluate_all('[2026-10-01,2026-11-01)') WHERE reasons::text LIKE '%absent%' AND employee_id % 50 = 3$$),
  (3, $$SELECT sum(work_minutes)::text FROM att_evaluate_all('[2026-10-01,2026-11-01)') WHERE day_kind <> 'workday' OR check_in[1] IS NULL$$),
  (4, $$SELECT string_agg(employee_id || ' ' || day, ',') FROM (SELECT employee_id, day FROM att_evaluate_all('[2026-10-01,2026-11-01)') ORDER BY late_minutes DESC, employee_id, day LIMIT 7) t$$),
  (5, $$SELECT count(*)::text FROM (SELECT 1 FROM _att_evaluate_batch(ARRAY(SELECT employee_id FROM employee), '2026-10-01', '2026-10-31') LIMIT 3) t$$);
CREATE TEMP TABLE answered (n int, streamed text, stored text, plan text);
DO $$
DECLARE q record; a text; b text;
BEGIN
  FOR q IN SELECT * FROM asked ORDER BY n LOOP
    PERFORM set_config('attendance.stream_evaluation', 'on', true);
    EXECUTE q.query INTO a;
    PERFORM set_config('attendance.stream_evaluation', 'off', true);
    EXECUTE q.query INTO b;
    PERFORM set_config('attendance.stream_evaluation', 'on', true);
    INSERT INTO answered VALUES (q.n, a, b, pg_temp.nodes(q.query));
  END LOOP;
END $$;
SELECT n, streamed = stored AS same, streamed IS NOT NULL AND streamed NOT IN ('0', '') AS answered, plan FROM answered ORDER BY n;
EXPLAIN (COSTS OFF) SELECT employee_id FROM _att_evaluate_batch(ARRAY[1, 2], '2026-10-01', '2026-10-31') WHERE status = 'late';

-- 4. What keeps the function scan: the call's whole row, a LATERAL
--    reference, WITH ORDINALITY. att_evaluate(employee, days), a STRICT
--    function and so not inlined, is a function scan of its own (whose
--    query streams). The whole row of att_evaluate_all is its columns, which
--    stream: the same rows as att_evaluate's.
SELECT pg_temp.nodes($$SELECT r FROM _att_evaluate_batch(ARRAY[5], '2026-10-01', '2026-10-07') r$$) AS whole_row;
SELECT pg_temp.nodes($$SELECT r FROM att_evaluate_all('[2026-10-01,2026-10-08)') r$$) AS whole_row_of_all;
SELECT pg_temp.nodes($$SELECT r.day FROM employee e, LATERAL _att_evaluate_batch(ARRAY[e.employee_id], '2026-10-01', '2026-10-07') r$$) AS lateral_call;
SELECT pg_temp.nodes($$SELECT r.day FROM _att_evaluate_batch(ARRAY[5], '2026-10-01', '2026-10-07') WITH ORDINALITY r$$) AS with_ordinality;
SELECT pg_temp.nodes($$SELECT day FROM att_evaluate(5, '[2026-10-01,2026-10-08)')$$) AS one_employee;
-- a function run with settings of its own (or another user's rights) goes
-- through the function manager, which applies them: never streamed
ALTER FUNCTION _att_evaluate_batch(bigint[], date, date) SET work_mem = '8MB';
SELECT pg_temp.nodes($$SELECT day FROM _att_evaluate_batch(ARRAY[5], '2026-10-01', '2026-10-07')$$) AS with_settings;
ALTER FUNCTION _att_evaluate_batch(bigint[], date, date) RESET work_mem;
SELECT pg_temp.nodes($$SELECT day FROM _att_evaluate_batch(ARRAY[5], '2026-10-01', '2026-10-07')$$) AS without;
SELECT (SELECT string_agg(r::text, E'\n' ORDER BY r.day) FROM att_evaluate_all('[2026-10-01,2026-10-08)') r WHERE r.employee_id = 5)
     = (SELECT string_agg(r::text, E'\n' ORDER BY r.day) FROM att_evaluate(5, '[2026-10-01,2026-10-08)') r) AS whole_rows_alike;

-- 5. Rescanned with a new parameter: a correlated subquery evaluates each
--    employee of the outer query in turn, through the node.
SELECT pg_temp.nodes($$SELECT (SELECT count(*) FROM _att_evaluate_batch(ARRAY[e.employee_id], '2026-10-01', '2026-10-14')) FROM employee e$$) AS subplan;
SELECT string_agg(e.employee_id || ':' || (SELECT sum(late_minutes) + count(*) FROM _att_evaluate_batch(ARRAY[e.employee_id, e.employee_id + 1], '2026-10-01', '2026-10-14')), ',')
    AS streamed FROM (SELECT employee_id FROM employee ORDER BY employee_id LIMIT 12) e \gset
SET attendance.stream_evaluation = off;
SELECT string_agg(e.employee_id || ':' || (SELECT sum(late_minutes) + count(*) FROM _att_evaluate_batch(ARRAY[e.employee_id, e.employee_id + 1], '2026-10-01', '2026-10-14')), ',')
    AS stored FROM (SELECT employee_id FROM employee ORDER BY employee_id LIMIT 12) e \gset
SET attendance.stream_evaluation = on;
SELECT :'streamed' = :'stored' AS same_after_rescans, length(:'streamed') > 40 AS answered;

-- 6. The function's own errors, streamed as stored; nothing for no one.
\set VERBOSITY terse
\set ON_ERROR_STOP off
SELECT count(*) FROM _att_evaluate_batch(ARRAY[1], NULL, '2026-10-02');
SELECT count(*) FROM _att_evaluate_batch(ARRAY[1], '2026-10-02', 'infinity');
SELECT count(*) FROM _att_evaluate_batch(ARRAY[1], '2026-10-05', '2026-10-02');
SELECT count(*) AS for_no_one FROM _att_evaluate_batch(NULL, '2026-10-01', '2026-10-02');
SELECT count(*) AS for_no_one FROM _att_evaluate_batch(ARRAY[NULL]::bigint[], '2026-10-01', '2026-10-02');

-- 7. The caller's right to run the function: a login without EXECUTE on it
--    is refused by the node as by the function scan, also inside an inlined
--    att_evaluate_all, and through a plan made while it had the right.
DROP ROLE IF EXISTS regress_stream_login;
CREATE ROLE regress_stream_login;
GRANT USAGE ON SCHEMA attendance TO regress_stream_login;
GRANT SELECT ON ALL TABLES IN SCHEMA attendance TO regress_stream_login;
REVOKE EXECUTE ON FUNCTION _att_evaluate_batch(bigint[], date, date) FROM PUBLIC;
SET ROLE regress_stream_login;
SELECT count(*) FROM attendance.att_evaluate_all('[2026-10-01,2026-10-03)');
SELECT count(*) FROM attendance._att_evaluate_batch(ARRAY[1], '2026-10-01', '2026-10-02');
SET attendance.stream_evaluation = off;
SELECT count(*) FROM attendance._att_evaluate_batch(ARRAY[1], '2026-10-01', '2026-10-02');
SET attendance.stream_evaluation = on;
RESET ROLE;
GRANT EXECUTE ON FUNCTION _att_evaluate_batch(bigint[], date, date) TO PUBLIC;
SET ROLE regress_stream_login;
PREPARE kept AS SELECT count(*) FROM attendance._att_evaluate_batch(ARRAY[1], '2026-10-01', '2026-10-02');
EXECUTE kept;
RESET ROLE;
REVOKE EXECUTE ON FUNCTION _att_evaluate_batch(bigint[], date, date) FROM PUBLIC;
SET ROLE regress_stream_login;
EXECUTE kept;
RESET ROLE;
DEALLOCATE kept;
GRANT EXECUTE ON FUNCTION _att_evaluate_batch(bigint[], date, date) TO PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA attendance FROM regress_stream_login;
REVOKE USAGE ON SCHEMA attendance FROM regress_stream_login;
DROP ROLE regress_stream_login;
\set ON_ERROR_STOP on

-- 8. A recheck after a concurrent update (EvalPlanQual): a row locked FOR
--    UPDATE whose newer version the query waited for is joined with the
--    evaluation again. A function scan runs its function again there; the
--    node must too, or the waiting query loses the row (it did: the node
--    handed PostgreSQL its empty slot, as a node that pushed a join down).
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE FUNCTION pg_temp.new_session() RETURNS text LANGUAGE sql AS $$
  SELECT format('dbname=%s user=%s host=%s port=%s', current_database(), current_user,
                split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'))
$$;
CREATE TABLE public.stream_locked (id bigint PRIMARY KEY, n int);
INSERT INTO stream_locked VALUES (1, 0), (2, 0);
CREATE FUNCTION pg_temp.locked_rows(stream text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE other_pid int;
BEGIN
  PERFORM dblink_connect('other', pg_temp.new_session());
  SELECT pid INTO other_pid FROM dblink('other', 'SELECT pg_backend_pid()') AS t(pid int);
  PERFORM dblink_exec('other', 'SET attendance.clock = ''2026-10-14 03:00+00''');
  PERFORM dblink_exec('other', format('SET attendance.stream_evaluation = %s', stream));
  UPDATE stream_locked SET n = n + 1 WHERE id = 1;
  -- the other session waits for this transaction's row, then rechecks it
  PERFORM dblink_send_query('other', $q$SELECT t.id || '/' || t.n || '/' || r.day
      FROM stream_locked t JOIN attendance.att_evaluate_all('[2026-10-01,2026-10-04)') r ON r.employee_id = t.id
      ORDER BY t.id, r.day FOR UPDATE OF t$q$);
  -- until it waits for the row's lock
  FOR i IN 1..200 LOOP
    PERFORM pg_stat_clear_snapshot();
    IF EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = other_pid AND wait_event_type = 'Lock') THEN
      RETURN 'waiting';
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN 'never waited';
END $$;
BEGIN;
SELECT pg_temp.locked_rows('on');
COMMIT;
SELECT string_agg(row, ' ') AS streamed FROM dblink_get_result('other') AS t(row text) \gset
SELECT dblink_disconnect('other');
UPDATE public.stream_locked SET n = 0;
BEGIN;
SELECT pg_temp.locked_rows('off');
COMMIT;
SELECT string_agg(row, ' ') AS stored FROM dblink_get_result('other') AS t(row text) \gset
SELECT dblink_disconnect('other');
SELECT :'streamed' AS locked_rows_streamed, :'streamed' = :'stored' AS as_through_the_function_scan;
DROP TABLE public.stream_locked;

-- 9. One employee over a long range is judged a window of days at a time
--    (memory grew with the range: a long one ended the server, out of
--    memory), with the same days as in one pass.
SELECT pg_temp.digest($$_att_evaluate_batch(ARRAY[3, 5, 8], '2026-01-01', '2027-06-30')$$) AS streamed \gset
SET attendance.stream_evaluation = off;
SELECT pg_temp.digest($$_att_evaluate_batch(ARRAY[3, 5, 8], '2026-01-01', '2027-06-30')$$) AS stored \gset
SET attendance.stream_evaluation = on;
SELECT :'streamed' = :'stored' AS same_days_in_windows, split_part(:'streamed', ' ', 1) AS days;

-- 10. A cursor's later batches are judged as its first: by the user and
--     with the clock of the first FETCH, as a function scan judges every
--     row then (a later FETCH after SET ROLE read the schedules as that
--     role, and after a new clock judged the days by it).
DROP ROLE IF EXISTS regress_stream_cursor;
CREATE ROLE regress_stream_cursor;
GRANT USAGE ON SCHEMA attendance TO regress_stream_cursor;
GRANT SELECT ON ALL TABLES IN SCHEMA attendance TO regress_stream_cursor;
INSERT INTO login_employee VALUES ('regress_stream_cursor', 5);
-- (rows taken from a cursor the test declares, as a digest)
CREATE FUNCTION public.stream_take(c refcursor, n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; answer text := ''; i int := 0;
BEGIN
  LOOP
    EXIT WHEN n IS NOT NULL AND i >= n;
    FETCH c INTO r;
    EXIT WHEN NOT FOUND;
    answer := md5(answer || r::text);
    i := i + 1;
  END LOOP;
  RETURN i || ' ' || answer;
END $$;
\set cursor 'DECLARE c CURSOR FOR SELECT employee_id, day, shift, status, late_minutes FROM _att_evaluate_batch(ARRAY(SELECT employee_id FROM employee), ''2026-10-13'', ''2026-10-14'')'
BEGIN;
SET LOCAL attendance.clock = '2026-10-14 03:00+00';
:cursor;
SELECT public.stream_take('c', 1) AS first \gset
SET LOCAL ROLE regress_stream_cursor;
SELECT public.stream_take('c', NULL) AS role_streamed \gset
ROLLBACK;
BEGIN;
SET LOCAL attendance.stream_evaluation = off;
SET LOCAL attendance.clock = '2026-10-14 03:00+00';
:cursor;
SELECT public.stream_take('c', 1) AS first \gset
SET LOCAL ROLE regress_stream_cursor;
SELECT public.stream_take('c', NULL) AS role_stored \gset
ROLLBACK;
BEGIN;
SET LOCAL attendance.clock = '2026-10-14 03:00+00';
:cursor;
SELECT public.stream_take('c', 1) AS first \gset
SET LOCAL attendance.clock = '2026-11-30 12:00+00';
SELECT public.stream_take('c', NULL) AS clock_streamed \gset
ROLLBACK;
BEGIN;
SET LOCAL attendance.stream_evaluation = off;
SET LOCAL attendance.clock = '2026-10-14 03:00+00';
:cursor;
SELECT public.stream_take('c', 1) AS first \gset
SET LOCAL attendance.clock = '2026-11-30 12:00+00';
SELECT public.stream_take('c', NULL) AS clock_stored \gset
ROLLBACK;
SELECT :'role_streamed' = :'role_stored' AS same_after_set_role, :'clock_streamed' = :'clock_stored' AS same_after_a_new_clock,
       split_part(:'role_streamed', ' ', 1) AS rows_after_the_first;
DROP FUNCTION public.stream_take(refcursor, int);
DELETE FROM login_employee WHERE role_name = 'regress_stream_cursor';
REVOKE ALL ON ALL TABLES IN SCHEMA attendance FROM regress_stream_cursor;
REVOKE USAGE ON SCHEMA attendance FROM regress_stream_cursor;
DROP ROLE regress_stream_cursor;

-- 11. EXPLAIN VERBOSE shows the call, as for a function scan.
EXPLAIN (VERBOSE, COSTS OFF) SELECT day FROM _att_evaluate_batch(ARRAY[1, 2], '2026-10-01', '2026-10-31') WHERE late_minutes > 0;

-- 13. The punches of a range of ids are read in one pass over the index
--     while every punch met lies in the days read (as in this company,
--     whose punches begin in October), and id by id from the first that
--     does not: the same days either way. Employees get punches before
--     the days read, after them, both, one exactly at each bound of the
--     read, a voided one; the single employee's call (att_evaluate(id,
--     ...), a batch of one) always reads id by id. A call over ids with
--     gaps passes the others' punches, and after 64 reads id by id.
SET attendance.clock = '2026-12-01 03:00+00';
SELECT min(employee_id) AS lo, max(employee_id) AS hi FROM employee \gset
INSERT INTO punch (employee_id, at)
SELECT e, d + t
  FROM generate_series(:lo + 40, :hi, 97) e, (VALUES (timestamptz '2026-09-14 00:00+00'), ('2026-09-30 12:00+00')) x(d),
       (VALUES (interval '9 hours'), ('17 hours 55 minutes')) y(t);
INSERT INTO punch (employee_id, at)
SELECT e, d + t
  FROM generate_series(:lo + 41, :hi, 89) e, (VALUES (timestamptz '2026-11-16 00:00+00'), ('2026-12-20 00:00+00')) x(d),
       (VALUES (interval '8 hours 50 minutes'), ('18 hours 10 minutes')) y(t);
-- punches at and a second within the edges of what a read of 10-10..10-19 loads
INSERT INTO punch (employee_id, at) VALUES (:lo + 3, '2026-10-08 00:00+00'), (:lo + 3, '2026-10-22 23:59:59+00'),
  (:lo + 5, '2026-10-23 00:00+00'), (:lo + 5, '2026-10-07 23:59:59+00');
INSERT INTO punch_void (employee_id, punch_id, at, voided_by, reason)
SELECT employee_id, punch_id, at, NULL, 'regress: voided' FROM punch
 WHERE employee_id = :lo + 7 AND at BETWEEN '2026-10-12' AND '2026-10-14';
CREATE FUNCTION pg_temp.one_by_one(ids bigint[], days daterange) RETURNS SETOF day_result LANGUAGE sql AS $$
  SELECT r.* FROM unnest(ids) e CROSS JOIN LATERAL attendance.att_evaluate(e, days) r
$$;
SELECT pg_temp.digest($$att_evaluate_all('[2026-10-10,2026-10-20)')$$) = pg_temp.digest($$pg_temp.one_by_one(ARRAY(SELECT employee_id FROM employee), '[2026-10-10,2026-10-20)')$$) AS ten_days_with_histories,
       pg_temp.digest($$att_evaluate_all('[2026-10-01,2026-11-01)')$$) = pg_temp.digest($$pg_temp.one_by_one(ARRAY(SELECT employee_id FROM employee), '[2026-10-01,2026-11-01)')$$) AS the_month,
       pg_temp.digest(format($$att_evaluate(ARRAY(SELECT e FROM generate_series(%s, %s, 2) e), '[2026-10-01,2026-11-01)')$$, :lo, :hi))
         = pg_temp.digest(format($$pg_temp.one_by_one(ARRAY(SELECT e FROM generate_series(%s, %s, 2) e), '[2026-10-01,2026-11-01)')$$, :lo, :hi)) AS every_other_id,
       (SELECT count(*) FROM att_evaluate(ARRAY[:lo + 3, :lo + 5]::bigint[], '[2026-10-10,2026-10-20)') WHERE array_length(check_in, 1) > 0) AS days_of_the_bound_employees;
-- The parts of att_evaluate_all over the whole range of bigint ids: an
-- employee numbered with the largest bigint, and one with the smallest
-- (the last part ended past the largest id, and the width of the range
-- overflowed a bigint: "bigint out of range" since 0.6.0).
INSERT INTO employee (employee_id, display_name) VALUES (9223372036854775807, 'the last id'), (-9223372036854775808, 'the first id');
INSERT INTO membership (employee_id, org_id, kind, period)
SELECT e, (SELECT m.org_id FROM membership m WHERE m.employee_id = :lo AND m.kind = 'primary' ORDER BY m.period DESC LIMIT 1),
       'primary', '[2026-01-01,)'
  FROM (VALUES (9223372036854775807), (-9223372036854775808)) x(e);
SELECT count(*) = (SELECT count(*) * 2 FROM employee) AS every_employee_twice,
       count(*) FILTER (WHERE employee_id IN (9223372036854775807, -9223372036854775808)) AS days_of_the_extreme_ids
  FROM att_evaluate_all('[2026-10-20,2026-10-22)');

-- 12. A session's first query: planning it loads the library (through the
--    function's planner support), so the node is planned from the start;
--    the support also counts the rows of a call with constant arguments.
\c
SET search_path = attendance, public;
EXPLAIN (COSTS OFF) SELECT count(*) FROM att_evaluate_all('[2026-10-01,2026-11-01)');
DO $$
DECLARE plan json;
BEGIN
  EXECUTE $q$EXPLAIN (FORMAT JSON) SELECT day FROM attendance._att_evaluate_batch(ARRAY[1, 2, 3, 3, NULL], '2026-10-01', '2026-10-10')$q$ INTO plan;
  RAISE NOTICE 'estimated rows of 3 employees over 10 days: %', plan -> 0 -> 'Plan' ->> 'Plan Rows';
END $$;


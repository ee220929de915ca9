-- Row-level scope as ordinary roles: an admin's login sees exactly its scope
-- in day_record and the BI views, an employee only their own days, a plain
-- login that sets the acting-employee setting gains nothing, and a trusted
-- application role acts for the employee it names. Dates are relative to
-- today, because the scope of a login is judged as of today.
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
-- "Now" is pinned to the last minute of today (UTC, the test server's zone),
-- so that today's shifts are over whatever the hour the test runs at; the
-- logins get it through the database's setting.
SELECT set_config('attendance.clock', (current_date + time '23:59')::text || '+00', false) IS NOT NULL AS clock_pinned;
\set ECHO none
SELECT format('ALTER DATABASE %I SET attendance.clock = %L', current_database(), current_setting('attendance.clock')) \gexec
\set ECHO all
SET search_path = attendance, public;

DROP ROLE IF EXISTS regress_att_admin, regress_att_hr, regress_att_staff, regress_att_plain, regress_att_server;
CREATE ROLE regress_att_admin LOGIN;
CREATE ROLE regress_att_hr LOGIN;
CREATE ROLE regress_att_staff LOGIN;
CREATE ROLE regress_att_plain LOGIN;
CREATE ROLE regress_att_server LOGIN IN ROLE attendance_app;
GRANT USAGE ON SCHEMA attendance TO regress_att_admin, regress_att_hr, regress_att_staff, regress_att_plain, regress_att_server;
GRANT SELECT ON day_record, period_record, employee, att_daily, att_anomalies, att_work_time, att_period_summary
   TO regress_att_admin, regress_att_hr, regress_att_staff, regress_att_plain, regress_att_server;

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (11, 1, 'Section 11'), (12, 1, 'Section 12'), (21, 1, 'Section 21');
INSERT INTO employee VALUES (301, 'moves 11 to 12 ten days ago'), (302, 'in 21'), (303, 'moves 12 to 11 in three days'),
  (311, 'admin of 11'), (312, 'hr of 12');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (301, 11, daterange(current_date - 90, current_date - 10)), (301, 12, daterange(current_date - 10, current_date + 60)),
  (302, 21, daterange(current_date - 90, current_date + 60)),
  (303, 12, daterange(current_date - 90, current_date + 3)), (303, 11, daterange(current_date + 3, current_date + 60)),
  (311, 11, daterange(current_date - 90, current_date + 60)), (312, 12, daterange(current_date - 90, current_date + 60));
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (311, 11, 'admin', daterange(current_date - 90, NULL)), (312, 12, 'hr', daterange(current_date - 90, NULL));
INSERT INTO login_employee VALUES ('regress_att_admin', 311), ('regress_att_hr', 312), ('regress_att_staff', 301);

INSERT INTO rule (rule_id, name) VALUES (1, 'every day');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2000-01-01', '{"name": "every day", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "day"}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 1);
-- Materialise 100 days of everyone.
SELECT sum(att_refresh(employee_id, daterange(current_date - 70, current_date + 30))) AS days_written FROM employee;

-- What each login should see, decided by att_can_access as of today.
CREATE TABLE public.regress_expected AS
SELECT l.role_name, d.employee_id, d.day
  FROM login_employee l
  JOIN day_record d ON d.employee_id = l.employee_id OR att_can_access(l.employee_id, d.employee_id, d.day) <> 'none';
GRANT SELECT ON public.regress_expected TO PUBLIC;
SELECT role_name, count(DISTINCT employee_id) AS employees FROM public.regress_expected GROUP BY 1 ORDER BY 1;

CREATE FUNCTION public.regress_compare() RETURNS TABLE (login text, visible bigint, missing bigint, extra bigint)
LANGUAGE sql AS $$
  WITH seen AS (SELECT employee_id, day FROM attendance.day_record),
       want AS (SELECT employee_id, day FROM public.regress_expected WHERE role_name = current_user)
  SELECT current_user::text, (SELECT count(*) FROM seen),
         (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM seen) m),
         (SELECT count(*) FROM (SELECT * FROM seen EXCEPT SELECT * FROM want) x)
$$;

-- Each login (a real connection as that role) sees exactly its scope: nothing missing, nothing extra.
-- The period summary works for every login, over the same employees as the daily view.
CREATE FUNCTION public.regress_summary() RETURNS TABLE (login text, summary_employees bigint, same_as_daily boolean)
LANGUAGE sql AS $$
  SELECT current_user::text, (SELECT count(DISTINCT employee_id) FROM attendance.att_period_summary),
         (SELECT array_agg(DISTINCT employee_id ORDER BY employee_id) FROM attendance.att_period_summary)
         IS NOT DISTINCT FROM (SELECT array_agg(DISTINCT employee_id ORDER BY employee_id) FROM attendance.att_daily)
$$;
\c - regress_att_admin
SELECT login, visible > 0 AS sees_rows, missing, extra FROM public.regress_compare();
SELECT employee_id, count(*) > 0 AS has_days FROM attendance.att_daily GROUP BY 1 ORDER BY 1;
SELECT * FROM public.regress_summary();
\c - regress_att_hr
SELECT login, visible > 0 AS sees_rows, missing, extra FROM public.regress_compare();
SELECT * FROM public.regress_summary();
\c - regress_att_staff
SELECT login, visible > 0 AS sees_rows, missing, extra FROM public.regress_compare();
SELECT DISTINCT employee_id FROM attendance.att_daily;
SELECT * FROM public.regress_summary();
\c - regress_att_plain
SELECT * FROM public.regress_summary();

-- A plain login setting the acting employee gains nothing.
\c - regress_att_plain
BEGIN;
SET LOCAL attendance.acting_employee = '311';
SELECT attendance.att_current_employee() AS acting, count(*) AS visible FROM attendance.day_record;
COMMIT;
-- Nor does the admin's own login by naming someone else.
\c - regress_att_staff
SET attendance.acting_employee = '311';
SELECT attendance.att_current_employee() AS acting, count(DISTINCT employee_id) AS employees FROM attendance.day_record;

-- The trusted application role acts for the employee it names, per transaction.
\c - regress_att_server
SELECT attendance.att_current_employee() AS acting_outside_transaction, count(*) AS visible FROM attendance.day_record;
BEGIN;
SET LOCAL attendance.acting_employee = '311';
SELECT attendance.att_current_employee() AS acting, count(*) = (SELECT count(*) FROM public.regress_expected WHERE role_name = 'regress_att_admin') AS same_as_admin_login
  FROM attendance.day_record;
COMMIT;

-- Ordinary logins cannot write day results, and the underlying tables stay closed.
\c - regress_att_admin
UPDATE attendance.day_record SET status = 'normal';
SELECT count(*) FROM attendance.punch;

-- Corrections as real logins obey full, view, closing and hr.
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}', 'DAY', 'g');
END $$;
-- 303 joins Section 11 in three days: full from then on, so the admin may correct;
-- 301 left it ten days ago: view only today.
SELECT pg_temp.outcome($q$SELECT attendance.att_make_up_punch(303, (current_date + 5 + time '18:00') AT TIME ZONE 'UTC', 'forgot')$q$) AS full_day;
SELECT pg_temp.outcome($q$SELECT attendance.att_make_up_punch(301, (current_date + time '18:00') AT TIME ZONE 'UTC', 'forgot')$q$) AS view_day;
\c - regress_att_hr
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}', 'DAY', 'g');
END $$;
-- hr of Section 12 closes today's period there and still corrects 301's closed day.
SELECT attendance.att_close_period(12, current_date, 312) IS NOT NULL AS closed;
SELECT pg_temp.outcome($q$SELECT attendance.att_make_up_punch(301, (current_date + time '18:00') AT TIME ZONE 'UTC', 'forgot')$q$) AS hr_on_closed_day;
\c - regress_att_admin
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}', 'DAY', 'g');
END $$;
SELECT pg_temp.outcome($q$SELECT attendance.att_close_period(12, current_date)$q$) AS admin_closing_foreign_org;
SELECT pg_temp.outcome($q$SELECT attendance.att_close_period(11, current_date, 312)$q$) AS acting_as_someone_else;
SELECT pg_temp.outcome($q$SELECT attendance.att_close_period(11, current_date, as_of => current_date - 365)$q$) AS closing_as_of_the_past;
SELECT pg_temp.outcome($q$SELECT attendance._att_close_period(11, current_date, 311, current_date)$q$) AS internal_function;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SELECT employee_id, actor, reason, before ->> 'status' AS before, after ->> 'status' AS after FROM correction ORDER BY correction_id;
SELECT employee_id, source, recorded_by, reason FROM punch WHERE source = 'make_up' ORDER BY employee_id;

-- A punch inserted in a transaction shows in the daily view in that transaction.
BEGIN;
SELECT status FROM att_daily WHERE employee_id = 302 AND day = current_date;
INSERT INTO punch (employee_id, at) VALUES (302, (current_date + time '09:00') AT TIME ZONE 'UTC');
SELECT status, first_check_in IS NOT NULL AS has_check_in FROM att_daily WHERE employee_id = 302 AND day = current_date;
ROLLBACK;
SELECT status FROM att_daily WHERE employee_id = 302 AND day = current_date;

-- The scope is read once per transaction and kept while the transaction
-- only reads; a write in the transaction (here a grant) is seen by the next
-- statement, and a rolled-back one is gone in the next transaction.
BEGIN;
SET LOCAL attendance.acting_employee = '311';
-- (the spans themselves end at dates relative to today, and their number
-- changes with the month: the second read is compared with the first)
SELECT count(DISTINCT employee_id) AS admin_sees, md5(string_agg(s::text, '|' ORDER BY s::text)) AS spans
  FROM _att_visible_spans() s \gset
SELECT :admin_sees AS admin_sees, count(DISTINCT employee_id) AS admin_sees_again,
       md5(string_agg(s::text, '|' ORDER BY s::text)) = :'spans' AS same_spans
  FROM _att_visible_spans() s;
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (311, 21, 'admin', daterange(current_date - 90, NULL));
SELECT count(DISTINCT employee_id) AS after_grant FROM _att_visible_spans();
SET LOCAL attendance.acting_employee = '312';
SELECT count(DISTINCT employee_id) AS hr_sees FROM _att_visible_spans();
ROLLBACK;
BEGIN;
SET LOCAL attendance.acting_employee = '311';
SELECT count(DISTINCT employee_id) AS after_rollback FROM _att_visible_spans();
COMMIT;

-- Every SECURITY DEFINER function of the extension pins its search_path.
SELECT p.proname, p.proconfig
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'attendance' AND p.prosecdef
 ORDER BY 1;

DROP TABLE public.regress_expected;
DROP FUNCTION public.regress_compare();
DROP FUNCTION public.regress_summary();
DROP OWNED BY regress_att_admin, regress_att_hr, regress_att_staff, regress_att_plain, regress_att_server;
DROP ROLE regress_att_admin, regress_att_hr, regress_att_staff, regress_att_plain, regress_att_server;
\set ECHO none
SELECT format('ALTER DATABASE %I RESET attendance.clock', current_database()) \gexec
\set ECHO all

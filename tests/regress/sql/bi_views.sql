-- The BI views as BI logins see them (issue 13): department and company of
-- each day, local times beside instants, the shift's scheduled start and
-- end, leave by kind and type, half days, day codes, the monthly grid, leave
-- per type and what is left to approve; every view readable by every login
-- README sets up, each seeing its scope only, department totals included.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-27 12:00+00';

-- A company closing on the 25th: its periods run 26th..25th.
INSERT INTO org (org_id, parent_id, name, closing_day) VALUES (1, NULL, 'Sakura', 25);
INSERT INTO org (org_id, parent_id, name) VALUES (10, 1, 'Sales'), (20, 1, 'Plant');
INSERT INTO employee VALUES (1, 'Aiko'), (2, 'Ben'), (3, 'Chie'), (8, 'sales admin'), (9, 'hr');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (1, 10, '[2026-01-01,)'), (3, 20, '[2026-01-01,)'), (8, 10, '[2026-01-01,)'), (9, 1, '[2026-01-01,)'),
  -- Ben moves from Sales to the Plant on 11-16
  (2, 10, '[2026-01-01,2026-11-16)'), (2, 20, '[2026-11-16,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (8, 10, 'admin', '[2026-01-01,)'), (9, 1, 'hr', '[2026-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'Tokyo office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "Tokyo office", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
  "locations": [{"name": "Tokyo office", "lat": 35.6812, "lon": 139.7671, "radius_m": 300}], "time_zone": "Asia/Tokyo"}');
INSERT INTO rule_org VALUES (1, 1);
INSERT INTO holiday (company_id, day, mark, name) VALUES (1, '2026-11-23', 'holiday', 'Labour Thanksgiving');
-- Everyone punches 08:55-18:05 Tokyo on workdays from 11-02 to 11-26, except:
-- (Aiko's punches carry the position of her phone, at the office.)
INSERT INTO punch (employee_id, at, lat, lon)
SELECT e, (d::date + t) AT TIME ZONE 'Asia/Tokyo', CASE WHEN e = 1 THEN 35.6815 END, CASE WHEN e = 1 THEN 139.7668 END
  FROM (VALUES (1), (2), (3)) x(e), generate_series(date '2026-11-02', date '2026-11-26', interval '1 day') d,
       (VALUES (time '08:55'), (time '18:05')) p(t)
 WHERE extract(isodow FROM d) < 6 AND d <> '2026-11-23'
   AND NOT (e = 1 AND d::date IN ('2026-11-10', '2026-11-11', '2026-11-12'))   -- Aiko: leave, half day, absent
   AND NOT (e = 3 AND d::date = '2026-11-13');                                -- Chie: on a business trip
-- Aiko: annual leave all day on 11-10, sick leave in the morning of 11-11
-- (she works the afternoon), nothing on 11-12; Chie: a trip on 11-13, an
-- outing for two hours of 11-17.
INSERT INTO excuse (employee_id, kind, during, leave_type) VALUES
  (1, 'leave', '[2026-11-10 00:00+09,2026-11-11 00:00+09)', 'Annual Leave'),
  (1, 'leave', '[2026-11-11 09:00+09,2026-11-11 12:00+09)', 'Sick Leave'),
  (3, 'business_trip', '[2026-11-13 00:00+09,2026-11-14 00:00+09)', NULL),
  (3, 'outing', '[2026-11-17 14:00+09,2026-11-17 16:00+09)', NULL);
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-11 12:00+09'), (1, '2026-11-11 18:05+09');
SELECT att_finalize() > 0 AS stored;

-- 1. Per day: department and company of that day, local times and the zone,
--    the scheduled start and end, leave by kind and type, the day's code.
SELECT employee_id AS e, day, department, company, period_start, period_end, status, day_code
  FROM att_daily WHERE employee_id = 2 AND day IN ('2026-11-13', '2026-11-16') ORDER BY day;
SELECT day, first_check_in, first_check_in_local, last_check_out_local, time_zone,
       scheduled_start_local, scheduled_end_local, scheduled_start, first_check_in_place, last_check_out_place
  FROM att_daily WHERE employee_id IN (1, 2) AND day = '2026-11-09' ORDER BY employee_id;
SELECT employee_id AS e, day, status, day_code, leave_minutes, leave_type, half_day_leave, trip_minutes, outing_minutes
  FROM att_daily
 WHERE (employee_id = 1 AND day BETWEEN '2026-11-10' AND '2026-11-12') OR (employee_id = 3 AND day IN ('2026-11-13', '2026-11-17'))
 ORDER BY 1, 2;
SELECT day, status, day_code FROM att_daily WHERE employee_id = 1 AND day IN ('2026-11-21', '2026-11-23', '2026-11-27') ORDER BY day;

-- 2. The period summary and the leave summary, by the company's closing period.
SELECT employee_id AS e, period_start, period_end, department, workdays, days_attended, absence_count, leave_days,
       half_day_leaves, leave_hours, trip_hours, outing_hours, holidays, rest_days, pending_days, unmarked_days
  FROM att_period_summary WHERE period_start = '2026-10-26' ORDER BY 1;
SELECT employee_id AS e, period_start, leave_type, full_days, half_days, leave_hours FROM att_leave_summary ORDER BY 1, 3;

-- 3. The monthly grid of a department (the Plant, for the period ending 11-25).
SELECT employee_id AS e, employee_name, department, d01, d02, d03, d09, d12, d15, d18, d19, d21, d22, d28, d29, d30, d31,
       present_days, absent_days, leave_days, on_duty_days, holidays, weekly_offs, unmarked_days
  FROM att_monthly_grid WHERE period_start = '2026-10-26' AND department = 'Plant' ORDER BY 1;

-- 4. As the logins README sets up, granted exactly as it says.
CREATE ROLE regress_bi_admin LOGIN;
CREATE ROLE regress_bi_hr LOGIN;
CREATE ROLE regress_bi_staff LOGIN;
CREATE ROLE regress_bi_nobody LOGIN;
CREATE ROLE regress_bi_app LOGIN IN ROLE attendance_app;
INSERT INTO login_employee VALUES ('regress_bi_admin', 8), ('regress_bi_hr', 9), ('regress_bi_staff', 3);
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['regress_bi_admin', 'regress_bi_hr', 'regress_bi_staff', 'regress_bi_nobody', 'regress_bi_app'] LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA attendance TO %I', r);
    EXECUTE format('GRANT SELECT ON attendance.att_daily, attendance.att_anomalies, attendance.att_work_time,
                    attendance.att_period_summary, attendance.att_leave_summary, attendance.att_monthly_grid,
                    attendance.att_approvals, attendance.att_weekly_overtime, attendance.att_time_off_balance, attendance.day_record, attendance.period_record, attendance.employee TO %I', r);
    EXECUTE format('ALTER ROLE %I SET attendance.clock = %L', r, '2026-11-27 12:00+00');
  END LOOP;
END $$;
CREATE FUNCTION public.bi_seen() RETURNS TABLE (view_name text, employees text, rows_seen bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v text;
BEGIN
  FOREACH v IN ARRAY ARRAY['att_daily', 'att_anomalies', 'att_work_time', 'att_period_summary', 'att_leave_summary', 'att_monthly_grid', 'att_approvals'] LOOP
    view_name := v;
    EXECUTE format('SELECT string_agg(DISTINCT employee_id::text, '','' ORDER BY employee_id::text), count(*) FROM attendance.%I', v)
      INTO employees, rows_seen;
    RETURN NEXT;
  END LOOP;
END $$;
CREATE FUNCTION public.bi_departments() RETURNS TABLE (department text, employees bigint, absent_days bigint, leave_days numeric)
LANGUAGE sql AS $$
  SELECT department, count(DISTINCT employee_id), sum(absent_days), sum(leave_days)
    FROM attendance.att_monthly_grid WHERE period_start = '2026-10-26' GROUP BY department ORDER BY department
$$;
-- 5. Approvals: the sales admin approves two of Aiko's days; the
--    application, acting for Ben, submits his timesheet.
\c - regress_bi_admin
SELECT attendance.att_approve_day(1, '2026-11-02') IS NOT NULL AS approved,
       attendance.att_approve_day(1, '2026-11-04') IS NOT NULL AS approved_too;
\c - regress_bi_app
BEGIN;
SET LOCAL attendance.acting_employee = '2';
SELECT attendance.att_submit_timesheet(2, '2026-11-05') AS submitted;
COMMIT;
\c - postgres
SET datestyle = ISO;
SELECT employee_id AS e, period_start, department, workdays, approved_workdays, unapproved_workdays, timesheet_state
  FROM attendance.att_approvals WHERE period_start = '2026-10-26' ORDER BY 1;
\c - regress_bi_admin
SELECT * FROM public.bi_seen();
-- 6. Department totals within the login's scope only: the sales admin sees
--    Ben, who moved to the Plant on 11-16, through the closing period, and
--    the grid counts him where the period ended for him; Chie is not there.
SELECT * FROM public.bi_departments();
\c - regress_bi_hr
SELECT * FROM public.bi_seen();
SELECT * FROM public.bi_departments();
\c - regress_bi_staff
SELECT * FROM public.bi_seen();
\c - regress_bi_nobody
SELECT * FROM public.bi_seen();
\c - regress_bi_app
BEGIN;
SET LOCAL attendance.acting_employee = '8';
SELECT * FROM public.bi_seen();
COMMIT;
-- 7. What the BI logins are not granted: evaluating and asking about
--    scopes read the inputs with the caller's rights. Each is refused
--    before anything is read with one 42501 that says what was asked and
--    what to use instead (0.28.0 failed with "permission denied for table
--    rule_person" or "admin_grant", an input the login never named).
\c - postgres
CREATE FUNCTION public.bi_try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  message text;
  hint text;
BEGIN
  EXECUTE statement;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
  RETURN SQLSTATE || ': ' || message || CASE WHEN hint <> '' THEN ' (hint: ' || left(hint, 60) || '...)' ELSE '' END;
END $$;
CREATE FUNCTION public.bi_refusals() RETURNS TABLE (call text, answer text)
LANGUAGE sql AS $$
  SELECT c, public.bi_try(c) FROM unnest(ARRAY[
    'SELECT count(*) FROM attendance.att_evaluate_day(3, ''2026-11-09'')',
    'SELECT count(*) FROM attendance.att_evaluate(3, daterange(''2026-11-02'', ''2026-11-07''))',
    'SELECT count(*) FROM attendance.att_evaluate(ARRAY[1, 3]::bigint[], daterange(''2026-11-02'', ''2026-11-07''))',
    'SELECT count(*) FROM attendance.att_evaluate_all(daterange(''2026-11-02'', ''2026-11-07''))',
    'SET LOCAL attendance.stream_evaluation = off; SELECT count(*) FROM attendance.att_evaluate_all(daterange(''2026-11-02'', ''2026-11-07''))',
    'SELECT attendance.att_can_access(8, 1, ''2026-11-09'')',
    'SELECT attendance.att_has_permission(8, 1, ''2026-11-09'', ''view_timesheet'')',
    'SELECT count(*) FROM attendance.att_scope(8, daterange(''2026-11-01'', ''2026-12-01''))']) AS c
$$;
\c - regress_bi_staff
SELECT * FROM public.bi_refusals();
\c - regress_bi_admin
SELECT call, answer FROM public.bi_refusals() WHERE call LIKE '%att_can_access%' OR call LIKE '%att_evaluate_all%';
\c - regress_bi_nobody
SELECT call, answer FROM public.bi_refusals() WHERE call LIKE '%att_evaluate_day%' OR call LIKE '%att_scope%';
-- A role granted the grants alone is answered about an admin who holds
-- none in force (from them alone), and refused, naming the tree, about one
-- who does.
\c - postgres
CREATE ROLE regress_bi_grants LOGIN;
GRANT USAGE ON SCHEMA attendance TO regress_bi_grants;
GRANT SELECT ON attendance.admin_grant TO regress_bi_grants;
\c - regress_bi_grants
SELECT attendance.att_can_access(3, 1, '2026-11-09') AS no_grant, attendance.att_can_access(3, 3, '2026-11-09') AS own_day,
       attendance.att_has_permission(3, 1, '2026-11-09', 'view_timesheet') AS no_permission,
       public.bi_try($$SELECT attendance.att_can_access(8, 1, '2026-11-09')$$) AS an_admin;
-- A role granted the inputs evaluates and computes scopes: the check
-- refuses only what the read would.
\c - postgres
REVOKE ALL ON attendance.admin_grant FROM regress_bi_grants;
REVOKE USAGE ON SCHEMA attendance FROM regress_bi_grants;
DROP ROLE regress_bi_grants;
GRANT SELECT ON attendance.rule_person, attendance.membership, attendance.org_tree, attendance.rule_org,
  attendance.rule_version, attendance.org, attendance.holiday, attendance.schedule, attendance.punch_void,
  attendance.punch, attendance.excuse, attendance.admin_grant TO regress_bi_hr;
\c - regress_bi_hr
SELECT * FROM public.bi_refusals();
\c - postgres
SET search_path = attendance, public;
-- The period sums kept in period_record (summed in Rust) against the SQL
-- aggregate, here with a company closing on the 25th (periods across two
-- months, each ending on the 25th).
WITH k AS (SELECT array_agg(employee_id) AS e, array_agg(period_start) AS p
             FROM (SELECT DISTINCT employee_id, period_start FROM attendance.day_record WHERE period_start IS NOT NULL) x),
     reference AS (SELECT f.* FROM k, attendance._att_period_rows(k.e, k.p) f)
-- (Without the days not over yet, shown_*: the stored row keeps those not
-- over when it was written, the reference those not over now; the two
-- agree at one instant in refresh_trigger.)
SELECT (SELECT count(*) FROM attendance.period_record) AS periods,
       (SELECT count(DISTINCT period_end) FROM attendance.period_record) AS period_ends,
       (SELECT count(*) FROM (SELECT to_jsonb(p) - '{shown_due,shown_day,shown_delta,shown_code}'::text[] FROM attendance.period_record p
                              EXCEPT ALL SELECT to_jsonb(r) - '{shown_due,shown_day,shown_delta,shown_code}'::text[] FROM reference r) a)
     + (SELECT count(*) FROM (SELECT to_jsonb(r) - '{shown_due,shown_day,shown_delta,shown_code}'::text[] FROM reference r
                              EXCEPT ALL SELECT to_jsonb(p) - '{shown_due,shown_day,shown_delta,shown_code}'::text[] FROM attendance.period_record p) b) AS differing;
DROP FUNCTION public.bi_seen();
DROP FUNCTION public.bi_departments();
DROP FUNCTION public.bi_refusals();
DROP FUNCTION public.bi_try(text);
DROP OWNED BY regress_bi_admin, regress_bi_hr, regress_bi_staff, regress_bi_nobody, regress_bi_app;
DROP ROLE regress_bi_admin, regress_bi_hr, regress_bi_staff, regress_bi_nobody, regress_bi_app;
RESET attendance.clock;

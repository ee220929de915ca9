-- What spans more than one day or one punch (issue 14, items 5 and 8-9):
-- limits on make-up punches, weekly quantity overtime, time off in lieu,
-- and the kinds of device a punch comes from. Run as README's logins.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
-- Now is Friday 2026-03-20, noon: every day before it is over.
SET attendance.clock = '2026-03-20 12:00+00';

CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Dept'), (20, 1, 'Other');
INSERT INTO employee VALUES (100, 'staff'), (101, 'other staff'), (200, 'admin of Dept'), (300, 'hr of Co');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (100, 10, '[2026-01-01,)'), (101, 20, '[2026-01-01,)'), (200, 10, '[2026-01-01,)'), (300, 1, '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (200, 10, 'admin', '[2026-01-01,)'), (300, 1, 'hr', '[2026-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'office');
-- 09:00-18:00 with an hour's lunch; overtime from 30 minutes after the end,
-- in 30-minute units, over 8 hours a day and over 40 hours a week (rest
-- days are no overtime of their own, they count toward the week), earned
-- as time off at 150 %; at most two make-up punches a month, within 10 days;
-- a phone's punch counts only with a position inside the office.
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "office", "system": "standard",
  "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00", "breaks": [{"start": "12:00", "end": "13:00"}]}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30,
               "quantity": {"day_over_minutes": 480, "week_over_minutes": 2400},
               "time_off_in_lieu": {"leave_type": "Compensatory Off", "percent": 150}},
  "make_up_punch": {"monthly_limit": 2, "within_days": 10},
  "locations": [{"name": "Office", "lat": 35.68, "lon": 139.76, "radius_m": 300}],
  "position_required_for": ["mobile"],
  "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 1);
-- the rule reaches the whole company: the queued refresh runs now
SELECT att_finalize() > 0 AS finalized;

-- == Make-up punches: two a month, for days at most ten days back.
INSERT INTO punch (employee_id, at, lat, lon) VALUES
  (100, '2026-03-11 08:55+00', 35.68, 139.76), (100, '2026-03-12 08:55+00', 35.68, 139.76),
  (100, '2026-03-13 08:55+00', 35.68, 139.76), (100, '2026-03-05 08:55+00', 35.68, 139.76);
BEGIN;
SET LOCAL attendance.acting_employee = '200';
SELECT pg_temp.outcome($$SELECT att_make_up_punch(100, '2026-03-11 18:00+00', 'forgot')$$) AS first,
       pg_temp.outcome($$SELECT att_make_up_punch(100, '2026-03-12 18:00+00', 'forgot')$$) AS second,
       pg_temp.outcome($$SELECT att_make_up_punch(100, '2026-03-13 18:00+00', 'forgot')$$) AS third;
COMMIT;
-- hr is held to the rule's limit too; a voided make-up punch is given back.
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT pg_temp.outcome($$SELECT att_make_up_punch(100, '2026-03-13 18:00+00', 'forgot')$$) AS hr_third;
SELECT att_void_punch(100, punch_id, 'made for the wrong day') FROM punch WHERE employee_id = 100 AND at = '2026-03-12 18:00+00';
SELECT pg_temp.outcome($$SELECT att_make_up_punch(100, '2026-03-13 18:00+00', 'forgot')$$) AS after_void;
-- 03-05 is fifteen days back: past the window.
SELECT pg_temp.outcome($$SELECT att_make_up_punch(100, '2026-03-05 18:00+00', 'forgot')$$) AS too_late;
COMMIT;
SELECT day, status FROM day_record WHERE employee_id = 100 AND day IN ('2026-03-05', '2026-03-11', '2026-03-12', '2026-03-13') ORDER BY day;
-- The refusal comes after the permission check: Dept's admin may not
-- correct Other's staff, limit or not; a refused punch leaves nothing.
BEGIN;
SET LOCAL attendance.acting_employee = '200';
SELECT pg_temp.outcome($$SELECT att_make_up_punch(101, '2026-03-13 18:00+00', 'not mine')$$) AS other_dept;
COMMIT;
SELECT count(*) FILTER (WHERE source = 'make_up') AS make_up_punches,
       count(*) FILTER (WHERE source = 'make_up' AND NOT EXISTS (SELECT 1 FROM punch_void v WHERE v.employee_id = p.employee_id AND v.punch_id = p.punch_id)) AS standing
  FROM punch p;

-- == A week of long days: Monday 2026-03-02 to Friday 03-06, 08:00-19:00.
-- Each day works its shift (480 minutes without lunch) and 60 minutes
-- after the end; 120 minutes more than 480 in the day (before the start too).
INSERT INTO punch (employee_id, at, lat, lon)
SELECT 100, d + t, 35.68, 139.76
  FROM generate_series(timestamptz '2026-03-02 00:00+00', '2026-03-06 00:00+00', interval '1 day') d,
       (VALUES (interval '8 hours'), (interval '19 hours')) x(t)
 WHERE d <> '2026-03-05 00:00+00';
INSERT INTO punch (employee_id, at, lat, lon) VALUES (100, '2026-03-05 19:00+00', 35.68, 139.76);
-- Saturday: four hours on a rest day.
INSERT INTO punch (employee_id, at, lat, lon) VALUES (100, '2026-03-07 09:00+00', 35.68, 139.76), (100, '2026-03-07 13:00+00', 35.68, 139.76);
SELECT day, day_kind, status, work_minutes, overtime_minutes, overtime_category
  FROM day_record WHERE employee_id = 100 AND day BETWEEN '2026-03-02' AND '2026-03-08' ORDER BY day;
-- 40 regular hours on the workdays (the daily overtime beyond 8 hours each
-- day is already counted) and 4 on Saturday: 4 hours of weekly overtime.
SELECT week_start, week_end, work_minutes, regular_minutes, day_overtime_minutes, week_over_minutes, week_overtime_minutes,
       stored_days, pending_days, complete
  FROM att_weekly_overtime WHERE employee_id = 100 AND week_start = '2026-03-02';
-- The next week, short days: no weekly overtime, and one not over yet
-- (Friday 03-20 is today, its shift still running).
SELECT week_start, regular_minutes, week_overtime_minutes, pending_days, complete
  FROM att_weekly_overtime WHERE employee_id = 100 AND week_start IN ('2026-03-09', '2026-03-16') ORDER BY 1;
-- A rule without a weekly quantity: NULL, not 0.
INSERT INTO rule (rule_id, name) VALUES (2, 'plain');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (2, '2026-01-01', '{"name": "plain", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (20, 2);
SELECT att_finalize() > 0 AS finalized;
INSERT INTO punch (employee_id, at) VALUES (101, '2026-03-02 09:00+00'), (101, '2026-03-02 18:00+00');
SELECT week_start, work_minutes, week_over_minutes, week_overtime_minutes
  FROM att_weekly_overtime WHERE employee_id = 101 AND week_start = '2026-03-02';

-- == Time off in lieu: the week's overtime at 150 %, less leave of that type.
INSERT INTO excuse (employee_id, kind, during, leave_type) VALUES
  (100, 'leave', '[2026-03-16 09:00+00, 2026-03-16 13:00+00)', 'Compensatory Off'),
  (100, 'leave', '[2026-03-17 09:00+00, 2026-03-17 18:00+00)', 'Annual Leave');
SELECT sum(overtime_minutes) AS overtime, sum(overtime_minutes * 150 / 100) AS earned_by_hand FROM day_record WHERE employee_id = 100;
SELECT day, leave_minutes, leave_type FROM day_record WHERE employee_id = 100 AND day IN ('2026-03-16', '2026-03-17') ORDER BY day;
SELECT employee_id, leave_type, earned_minutes, taken_minutes, balance_minutes, balance_hours, through_day FROM att_time_off_balance ORDER BY 1, 2;

-- == Punch kinds: a phone's punch counts only with a position, a
-- terminal's without one; make-up and appeal are never the loader's.
CREATE ROLE regress_ol_erp LOGIN;
GRANT attendance_sync TO regress_ol_erp;
ALTER ROLE regress_ol_erp SET attendance.clock = '2026-03-20 12:00+00';
\c - regress_ol_erp
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT att_sync_punch(100, 'odoo', 'a1:in', '2026-03-18 09:00+00', kind => 'mobile') > 0 AS phone_without_position,
       att_sync_punch(100, 'odoo', 'a1:out', '2026-03-18 18:00+00', 35.68, 139.76, 'mobile') > 0 AS phone_with_position,
       att_sync_punch(100, 'odoo', 'a2:in', '2026-03-19 09:00+00', kind => 'terminal') > 0 AS terminal,
       att_sync_punch(100, 'odoo', 'a2:out', '2026-03-19 18:00+00', kind => 'terminal') > 0 AS terminal_out;
SELECT pg_temp.outcome($$SELECT att_sync_punch(100, 'odoo', 'a3', '2026-03-19 10:00+00', kind => 'make_up')$$) AS claims_make_up,
       pg_temp.outcome($$SELECT att_sync_punch(100, 'odoo', 'a3', '2026-03-19 10:00+00', kind => NULL)$$) AS no_kind;
-- a reload with the same kind changes nothing; another kind is an edit
SELECT att_sync_punch(100, 'odoo', 'a2:in', '2026-03-19 09:00+00', kind => 'terminal')
     = att_sync_punch(100, 'odoo', 'a2:in', '2026-03-19 09:00+00', kind => 'terminal') AS reload_same,
       att_sync_punch(100, 'odoo', 'a2:in', '2026-03-19 09:00+00', kind => 'device')
     <> att_sync_punch(100, 'odoo', 'a2:in', '2026-03-19 09:00+00', kind => 'terminal') AS kind_changed;
-- a direct insert keeps a device kind and cannot claim a make-up punch
INSERT INTO punch (employee_id, at, source, source_system, source_ref) VALUES
  (101, '2026-03-19 09:00+00', 'mobile', 'odoo', 'b1'), (101, '2026-03-19 18:00+00', 'make_up', 'odoo', 'b2');
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT employee_id, source_ref, source, revision FROM punch WHERE source_system = 'odoo' ORDER BY employee_id, source_ref, revision;
SELECT day, status, check_in, check_out, outside_punches, reasons
  FROM day_record WHERE employee_id = 100 AND day IN ('2026-03-18', '2026-03-19') ORDER BY day;

-- == As README's BI logins: each sees its own scope's weeks and balances.
CREATE ROLE regress_ol_admin LOGIN;
CREATE ROLE regress_ol_other LOGIN;
CREATE ROLE regress_ol_nobody LOGIN;
INSERT INTO login_employee VALUES ('regress_ol_admin', 200), ('regress_ol_other', 101);
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['regress_ol_admin', 'regress_ol_other', 'regress_ol_nobody'] LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA attendance TO %I', r);
    EXECUTE format('GRANT SELECT ON attendance.att_daily, attendance.att_anomalies, attendance.att_work_time,
                    attendance.att_period_summary, attendance.att_leave_summary, attendance.att_monthly_grid,
                    attendance.att_approvals, attendance.att_weekly_overtime, attendance.att_time_off_balance,
                    attendance.day_record, attendance.period_record, attendance.employee TO %I', r);
    EXECUTE format('ALTER ROLE %I SET attendance.clock = %L', r, '2026-03-20 12:00+00');
  END LOOP;
END $$;
CREATE FUNCTION public.ol_seen() RETURNS TABLE (login name, weeks text, balances text)
LANGUAGE sql AS $$
  SELECT current_user,
         (SELECT coalesce(string_agg(employee_id || ':' || week_start || ':' || coalesce(week_overtime_minutes::text, '-'), ' ' ORDER BY employee_id, week_start), '')
            FROM attendance.att_weekly_overtime WHERE week_start = '2026-03-02'),
         (SELECT coalesce(string_agg(employee_id || ':' || leave_type || ':' || balance_minutes, ' ' ORDER BY employee_id), '')
            FROM attendance.att_time_off_balance);
$$;
GRANT EXECUTE ON FUNCTION public.ol_seen() TO PUBLIC;
\c - regress_ol_admin
SELECT * FROM public.ol_seen();
\c - regress_ol_other
SELECT * FROM public.ol_seen();
\c - regress_ol_nobody
SELECT * FROM public.ol_seen();
\c - postgres
SET client_min_messages = warning;
DROP FUNCTION public.ol_seen();
DROP OWNED BY regress_ol_admin, regress_ol_other, regress_ol_nobody, regress_ol_erp;
DROP ROLE regress_ol_admin, regress_ol_other, regress_ol_nobody, regress_ol_erp;

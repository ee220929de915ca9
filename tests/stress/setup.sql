-- Stress test data: a company (calendar-month closing periods) with two
-- departments, two staff each, an admin per department and hr of the
-- company; one rule that makes every day a 09:00-18:00 workday in UTC.
-- Punches go to four days around the end of March 2024, so that the
-- refreshes (two days before, eight after a punch) cross the period
-- boundary and the March and April periods can be closed and reopened.
-- All day records of the window are materialised first, and every day is
-- approved with both timesheets, so that closing the company finds nobody
-- to skip until punches withdraw approvals.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Dept A'), (20, 1, 'Dept B');
INSERT INTO employee VALUES (11, 'staff A1'), (12, 'staff A2'), (21, 'staff B1'), (22, 'staff B2'),
  (110, 'admin of A'), (210, 'admin of B'), (300, 'hr of Co');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (11, 10, '[2020-01-01,)'), (12, 10, '[2020-01-01,)'), (21, 20, '[2020-01-01,)'), (22, 20, '[2020-01-01,)'),
  (110, 10, '[2020-01-01,)'), (210, 20, '[2020-01-01,)'), (300, 1, '[2020-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (110, 10, 'admin', '[2020-01-01,)'), (210, 20, 'admin', '[2020-01-01,)'), (300, 1, 'hr', '[2020-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2020-01-01', '{"name": "office", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "day"}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 1);

-- The client's own record of every punch it inserted, written in the same
-- transaction as the punch: what a committed transaction inserted.
CREATE SCHEMA stress;
CREATE TABLE stress.ledger (
  punch_id    bigint NOT NULL,
  employee_id bigint NOT NULL,
  kind        text NOT NULL,
  at          timestamptz NOT NULL
);
-- The window every check looks at: all staff, all days that may hold a day record.
CREATE TABLE stress.window_days AS SELECT daterange('2024-03-20', '2024-04-15') AS days;
CREATE TABLE stress.staff AS SELECT unnest(ARRAY[11, 12, 21, 22, 110, 210, 300]::bigint[]) AS employee_id;

-- Day records that differ from a fresh evaluation of the same snapshot
-- (missing, extra or different rows), over every staff member and day of
-- the window.
CREATE VIEW stress.mismatch AS
WITH fresh AS (
  -- day_result's columns as day_record stores them (since 0.25.0 it has two
  -- more, due_at and shown, which an evaluation leaves NULL)
  SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out,
         f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes,
         f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start,
         f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes,
         f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes
    FROM stress.staff s, stress.window_days w, attendance.att_evaluate(s.employee_id, w.days) f
), stored AS (
  SELECT d.employee_id, d.day, d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out,
         d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes,
         d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start,
         d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes,
         d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes
    -- the days as they show (a day not over yet is stored with its figures once over)
    FROM attendance._att_days_now d JOIN stress.staff s USING (employee_id), stress.window_days w WHERE w.days @> d.day
)
SELECT coalesce(f.employee_id, d.employee_id) AS employee_id, coalesce(f.day, d.day) AS day,
       d.status AS stored_status, f.status AS fresh_status,
       cardinality(array_remove(d.check_in || d.check_out, NULL)) AS stored_punches,
       cardinality(array_remove(f.check_in || f.check_out, NULL)) AS fresh_punches,
       d.reasons AS stored_reasons, f.reasons AS fresh_reasons
  FROM fresh f FULL JOIN stored d ON d.employee_id = f.employee_id AND d.day = f.day
 WHERE f IS DISTINCT FROM d;

-- Current day approvals whose approved figures are not the day's record
-- (a change to the day should have withdrawn them).
CREATE VIEW stress.stale_approval AS
SELECT a.employee_id, a.day, a.approval_id, a.approved_at, a.figures ->> 'status' AS approved_status,
       d.status AS day_status, a.figures -> 'check_in' AS approved_check_in, d.check_in AS day_check_in,
       a.figures -> 'check_out' AS approved_check_out, d.check_out AS day_check_out, d.evaluated_at
  FROM attendance.day_approval a JOIN attendance.day_record d USING (employee_id, day)
 WHERE a.withdrawn_at IS NULL AND jsonb_populate_record(d, a.figures) IS DISTINCT FROM d;

-- What the auditor saw: one row per snapshot it checked during the load.
CREATE TABLE stress.audit (
  at            timestamptz NOT NULL DEFAULT clock_timestamp(),
  bad_rows      bigint NOT NULL,
  sample        text,
  bad_approvals bigint NOT NULL
);

-- Closing and reopening as the single closer of an org does it. The company
-- closes through att_close_org(..., 'skip'), departments through att_close_period.
CREATE FUNCTION stress.close(org bigint, day date) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF org = 1 THEN
    RETURN (SELECT count(*) FROM attendance.att_close_org(org, day, 'skip'));
  END IF;
  PERFORM attendance.att_close_period(org, day);
  RETURN 0;
END $$;
CREATE FUNCTION stress.reopen(org bigint, day date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM attendance.att_reopen_period(org, day);
  -- Reopening keeps the exemptions of the closing it undoes; a second
  -- att_close_org(..., 'skip') of the same period would then fail on them
  -- (23505), so the closer clears them itself.
  DELETE FROM attendance.closing_exemption x
   WHERE x.org_id = org AND x.period = attendance.att_closing_period(org, day);
END $$;

SET attendance.acting_employee = '300';
SELECT count(att_refresh(employee_id, (SELECT days FROM stress.window_days))) AS refreshed FROM stress.staff;
SELECT count(att_approve_day(d.employee_id, d.day)) AS approved_days FROM day_record d WHERE d.employee_id <> 300;
-- Nobody approves their own days: hr's are approved by the approver hr names.
INSERT INTO approver (employee_id, approver_id, period, set_by) VALUES (300, 110, '[2020-01-01,)', 300);
SET attendance.acting_employee = '110';
SELECT count(att_approve_day(d.employee_id, d.day)) AS approved_days FROM day_record d WHERE d.employee_id = 300;
SET attendance.acting_employee = '300';
INSERT INTO timesheet (employee_id, period, state)
SELECT employee_id, p, 'approved' FROM stress.staff, unnest(ARRAY[daterange('2024-03-01', '2024-04-01'), daterange('2024-04-01', '2024-05-01')]) p;
ANALYZE;

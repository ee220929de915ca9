-- The views BI tools read (SPEC.md C) and the scope policies on the
-- extension's tables (SPEC.md D).

SELECT @extschema@.att_enable_scope_policies('@extschema@.day_record');
SELECT @extschema@.att_enable_scope_policies('@extschema@.schedule');
-- a login's scope covers a closing period's days alike: its first day decides
SELECT @extschema@.att_enable_scope_policies('@extschema@.period_record', 'employee_id', 'period_start');

-- The days the asking login may see, as spans per employee (read once per
-- query): what the definer functions below filter by.
CREATE FUNCTION _att_visible_spans() RETURNS TABLE (employee_id bigint, days daterange)
LANGUAGE sql STABLE ROWS 1000
BEGIN ATOMIC
  SELECT v.e, daterange(v.f, v.u)
    FROM @extschema@._att_view_scope() s, unnest(s.employee_ids, s.from_days, s.until_days) AS v(e, f, u);
END;
COMMENT ON FUNCTION _att_visible_spans() IS 'Internal: the asking login''s own days and its view scope as of today, one span per row.';

-- The orgs whose names and closing days the asking login may read: the
-- department and the company of each primary membership on the days it may
-- see, read once per query; BI logins have no access to org or membership.
-- Parallel restricted: the views read it in a CTE, which the query's leader
-- runs, while their scan of the stored days may use parallel workers (left
-- unmarked, it kept every view's query in one process).
CREATE FUNCTION _att_visible_orgs() RETURNS TABLE (org_id bigint, name text, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp ROWS 100
BEGIN ATOMIC
  SELECT o.org_id, o.name, o.closing_day::integer
    FROM @extschema@.org o
   WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      -- kept with the asker's scope between queries (src/access.rs)
      OR o.org_id = ANY ((SELECT @extschema@._att_visible_org_ids())::bigint[]);
END;
COMMENT ON FUNCTION _att_visible_org_ids() IS 'Internal: the ids of the orgs the asking login may name (see _att_visible_orgs), kept with its scope between queries while the tree, the memberships and the grants are unchanged.';
COMMENT ON FUNCTION _att_visible_orgs() IS 'Internal: the orgs (name, closing day) the asking login may name: the departments and companies of the primary memberships on the days it may see; the views name departments and companies with it.';

-- The stored periods as they show now (since 0.25.0): each day not over
-- yet as it shows until it falls due (period_record.shown_*), the rest as
-- stored. A view with the querying role's privileges, as _att_days_now;
-- the adjustment is computed once a row, only for a period with such a day.
CREATE VIEW _att_periods_now WITH (security_invoker = true) AS
SELECT p.employee_id, p.period_start, p.period_end, p.org_id, p.company_id,
       p.stored_days + coalesce(s.c[1], 0) AS stored_days,
       p.workdays + coalesce(s.c[2], 0) AS workdays,
       p.days_attended + coalesce(s.c[3], 0) AS days_attended,
       p.late_count + coalesce(s.c[4], 0) AS late_count,
       p.late_minutes + coalesce(s.c[5], 0) AS late_minutes,
       p.early_count + coalesce(s.c[6], 0) AS early_count,
       p.early_minutes + coalesce(s.c[7], 0) AS early_minutes,
       p.absence_count + coalesce(s.c[8], 0) AS absence_count,
       p.absence_minutes + coalesce(s.c[9], 0) AS absence_minutes,
       p.missing_punches + coalesce(s.c[10], 0) AS missing_punches,
       p.work_minutes + coalesce(s.c[11], 0) AS work_minutes,
       p.overtime_workday_minutes + coalesce(s.c[12], 0) AS overtime_workday_minutes,
       p.overtime_rest_day_minutes + coalesce(s.c[13], 0) AS overtime_rest_day_minutes,
       p.overtime_holiday_minutes + coalesce(s.c[14], 0) AS overtime_holiday_minutes,
       p.leave_minutes + coalesce(s.c[15], 0) AS leave_minutes,
       p.trip_minutes + coalesce(s.c[16], 0) AS trip_minutes,
       p.outing_minutes + coalesce(s.c[17], 0) AS outing_minutes,
       p.appeal_minutes + coalesce(s.c[18], 0) AS appeal_minutes,
       p.full_leave_days + coalesce(s.c[19], 0) AS full_leave_days,
       p.half_day_days + coalesce(s.c[20], 0) AS half_day_days,
       p.half_day_leaves + coalesce(s.c[21], 0) AS half_day_leaves,
       p.present_days + coalesce(s.c[22], 0) AS present_days,
       p.absent_days + coalesce(s.c[23], 0) AS absent_days,
       p.on_duty_days + coalesce(s.c[24], 0) AS on_duty_days,
       p.missing_punch_days + coalesce(s.c[25], 0) AS missing_punch_days,
       p.holidays + coalesce(s.c[26], 0) AS holidays,
       p.rest_days + coalesce(s.c[27], 0) AS rest_days,
       p.pending_days + coalesce(s.c[28], 0) AS pending_days,
       p.unjudged_days + coalesce(s.c[29], 0) AS unjudged_days,
       coalesce(s.codes, p.day_codes) AS day_codes
  FROM @extschema@.period_record p
  LEFT JOIN LATERAL (SELECT @extschema@._att_shown_counts(p.shown_due, p.shown_delta, x.now) AS c,
                            @extschema@._att_shown_codes(p.day_codes, p.shown_due, p.shown_day, p.shown_code, x.now) AS codes
                       FROM (SELECT @extschema@.att_now() AS now) x
                      WHERE p.shown_due IS NOT NULL OFFSET 0) s ON true;
COMMENT ON VIEW _att_periods_now IS 'Internal: period_record (but shown_*) as its days show now: each day not over yet as it shows until it falls due (pending), then with its figures once over. Read by the period views with the asking login''s privileges (period_record''s grants and scope policy).';
GRANT SELECT ON _att_periods_now TO PUBLIC;

-- Views for BI tools: plain types, stable documented columns; they read
-- day_record with the querying role's privileges, so its scope policy
-- applies. Columns are only ever added at the end (CREATE OR REPLACE VIEW).
CREATE VIEW att_daily WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT d.employee_id, e.display_name AS employee_name, d.day, d.rule_name, d.shift, d.day_kind, d.status,
       d.check_in[1] AS first_check_in, d.check_out[array_length(d.check_out, 1)] AS last_check_out,
       d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes,
       d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes,
       array_to_string(d.reasons, '; ') AS reasons, e.employee_key,
       d.org_id AS department_id, dept.name AS department, d.company_id, co.name AS company,
       d.period_start, @extschema@.att_period_end(d.period_start, co.closing_day) AS period_end,
       d.time_zone,
       d.check_in[1] AT TIME ZONE d.time_zone AS first_check_in_local,
       d.check_out[array_length(d.check_out, 1)] AT TIME ZONE d.time_zone AS last_check_out_local,
       d.scheduled_start, d.scheduled_end,
       d.scheduled_start AT TIME ZONE d.time_zone AS scheduled_start_local,
       d.scheduled_end AT TIME ZONE d.time_zone AS scheduled_end_local,
       d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes,
       d.leave_minutes > 0 AND d.leave_minutes < d.scheduled_minutes AS half_day_leave,
       @extschema@.att_day_code(d.status, d.leave_minutes) AS day_code,
       d.check_in_place AS first_check_in_place, d.check_out_place AS last_check_out_place,
       d.attended_minutes
  FROM @extschema@._att_days_now d
  JOIN @extschema@.employee e ON e.employee_id = d.employee_id
  LEFT JOIN orgs dept ON dept.org_id = d.org_id
  LEFT JOIN orgs co ON co.org_id = d.company_id;
COMMENT ON VIEW att_daily IS 'Daily attendance (出勤情况): one row per employee-day, as far as the querying login''s scope reaches, with the department and company of that day.';
COMMENT ON COLUMN att_daily.employee_id IS 'The employee (employee.employee_id, the ERP''s integer key or one assigned here).';
COMMENT ON COLUMN att_daily.employee_name IS 'The employee''s display name.';
COMMENT ON COLUMN att_daily.day IS 'The local day in the rule''s time zone (a night shift belongs to the day it starts).';
COMMENT ON COLUMN att_daily.rule_name IS 'The attendance rule that judged the day (NULL: none applies).';
COMMENT ON COLUMN att_daily.shift IS 'The shift of the day (NULL on rest days and holidays).';
COMMENT ON COLUMN att_daily.status IS 'normal, late, early, late_and_early, half_day (worked less than the rule''s working_hours_thresholds), missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule; pending: a shift period has not ended yet (nothing missing, early or absent until it has); not_employed: no primary membership that day (not a workday).';
COMMENT ON COLUMN att_daily.day_kind IS 'workday, rest, holiday, make_up_workday; NULL when no rule applies or the employee is not employed that day (never a workday).';
COMMENT ON COLUMN att_daily.first_check_in IS 'Check-in of the first period of the shift, an instant (NULL when missing); first_check_in_local is the wall-clock reading.';
COMMENT ON COLUMN att_daily.last_check_out IS 'Check-out of the last period of the shift, an instant (NULL when missing); last_check_out_local is the wall-clock reading.';
COMMENT ON COLUMN att_daily.scheduled_minutes IS 'Minutes the shift asks for (real minutes: a night across a DST change differs).';
COMMENT ON COLUMN att_daily.late_minutes IS 'Late minutes that count (beyond the allowance, after excuses).';
COMMENT ON COLUMN att_daily.early_minutes IS 'Early-leave minutes that count.';
COMMENT ON COLUMN att_daily.absent_minutes IS 'Minutes counted as absence (旷工).';
COMMENT ON COLUMN att_daily.work_minutes IS 'Minutes worked: within the shift on workdays, first to last punch on rest days and holidays.';
COMMENT ON COLUMN att_daily.overtime_minutes IS 'Overtime minutes as the rule counts them.';
COMMENT ON COLUMN att_daily.overtime_category IS 'workday, rest_day or holiday overtime; NULL without overtime.';
COMMENT ON COLUMN att_daily.outside_punches IS 'Punches made outside every allowed location: kept and flagged, not counted.';
COMMENT ON COLUMN att_daily.leave_minutes IS 'Minutes of the shift covered by approved leave (time off).';
COMMENT ON COLUMN att_daily.reasons IS 'Why each figure is what it is, e.g. "late 12 min: in 09:12, start 09:00, allowance 5".';
COMMENT ON COLUMN att_daily.employee_key IS 'The ERP''s own key of the employee when it is text or uuid (employee.employee_key), to join back to the ERP''s tables.';
COMMENT ON COLUMN att_daily.department_id IS 'The org of the employee''s primary membership that day (org.org_id).';
COMMENT ON COLUMN att_daily.department IS 'That org''s name.';
COMMENT ON COLUMN att_daily.company_id IS 'The company above the department in the tree as it stood that day.';
COMMENT ON COLUMN att_daily.company IS 'The company''s name.';
COMMENT ON COLUMN att_daily.period_start IS 'First day of the company''s closing period holding the day (the 26th for a company closing on the 25th).';
COMMENT ON COLUMN att_daily.period_end IS 'Last day of that closing period.';
COMMENT ON COLUMN att_daily.time_zone IS 'The rule''s time zone (IANA name) in which the day and the local times are read.';
COMMENT ON COLUMN att_daily.first_check_in_local IS 'first_check_in as a wall-clock reading in time_zone.';
COMMENT ON COLUMN att_daily.last_check_out_local IS 'last_check_out as a wall-clock reading in time_zone.';
COMMENT ON COLUMN att_daily.scheduled_start IS 'Start of the first shift period as judged (a flex rule may move it), an instant.';
COMMENT ON COLUMN att_daily.scheduled_end IS 'End of the last shift period as judged, an instant.';
COMMENT ON COLUMN att_daily.scheduled_start_local IS 'scheduled_start as a wall-clock reading in time_zone.';
COMMENT ON COLUMN att_daily.scheduled_end_local IS 'scheduled_end as a wall-clock reading in time_zone.';
COMMENT ON COLUMN att_daily.leave_type IS 'The ERP''s leave types covering part of the shift (excuse.leave_type), sorted and comma-separated.';
COMMENT ON COLUMN att_daily.trip_minutes IS 'Minutes of the shift on a business trip (worked elsewhere, not leave).';
COMMENT ON COLUMN att_daily.outing_minutes IS 'Minutes of the shift on an outing (外出).';
COMMENT ON COLUMN att_daily.appeal_minutes IS 'Minutes of the shift covered by approved appeals.';
COMMENT ON COLUMN att_daily.half_day_leave IS 'Leave covers part of the shift, not all of it (half-day leave).';
COMMENT ON COLUMN att_daily.first_check_in_place IS 'The name of the rule''s location within whose radius the first check-in was made (NULL: none, or no coordinates).';
COMMENT ON COLUMN att_daily.last_check_out_place IS 'The name of the rule''s location within whose radius the last check-out was made.';
COMMENT ON COLUMN att_daily.attended_minutes IS 'Minutes present as punched: check-in to check-out, not clipped to the shift, breaks left out (work_minutes counts the shift only).';
COMMENT ON COLUMN att_daily.day_code IS 'The day as one short code (att_day_code): P, HD, L, OD, A, MP, H, WO, -, ?; NULL when not employed.';

CREATE VIEW att_anomalies WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, status, late_minutes, early_minutes, absent_minutes, outside_punches, reasons,
       department_id, department, company_id, company, period_start
  FROM @extschema@.att_daily
 WHERE status IN ('late', 'early', 'late_and_early', 'half_day', 'missing_check_in', 'missing_check_out', 'no_punch', 'absent', 'no_rule')
    OR outside_punches > 0;
COMMENT ON VIEW att_anomalies IS 'Anomalies (异常考勤): late, early, half days by worked hours, missing punches, absences, punches outside the allowed locations, and days that could not be judged because no rule applies (no_rule). Pending and not-employed days are no anomaly.';

CREATE VIEW att_work_time WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, day_kind, scheduled_minutes, work_minutes, overtime_minutes, overtime_category,
       round(work_minutes / 60.0, 2) AS work_hours, round(overtime_minutes / 60.0, 2) AS overtime_hours,
       department_id, department, company_id, company, period_start
  FROM @extschema@.att_daily;
COMMENT ON VIEW att_work_time IS 'Work time (工作时长) per employee-day, in minutes and hours.';
COMMENT ON COLUMN att_work_time.work_hours IS 'work_minutes in hours, to two decimals.';
COMMENT ON COLUMN att_work_time.overtime_hours IS 'overtime_minutes in hours, to two decimals.';

-- Per employee and closing period, from the periods' stored sums
-- (period_record), so one period of a company reads one row per employee.
CREATE VIEW att_period_summary WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT p.employee_id, e.display_name AS employee_name, p.period_start, p.period_end,
       p.workdays, p.days_attended, p.late_count, p.late_minutes, p.early_count, p.early_minutes,
       p.absence_count, p.absence_minutes, p.missing_punches,
       round(p.work_minutes / 60.0, 2) AS work_hours,
       round(p.overtime_workday_minutes / 60.0, 2) AS overtime_hours_workday,
       round(p.overtime_rest_day_minutes / 60.0, 2) AS overtime_hours_rest_day,
       round(p.overtime_holiday_minutes / 60.0, 2) AS overtime_hours_holiday,
       round(p.leave_minutes / 60.0, 2) AS leave_hours,
       e.employee_key,
       p.org_id AS department_id, dept.name AS department, p.company_id, co.name AS company,
       p.full_leave_days + 0.5 * p.half_day_days AS leave_days,
       p.half_day_leaves,
       round(p.trip_minutes / 60.0, 2) AS trip_hours,
       round(p.outing_minutes / 60.0, 2) AS outing_hours,
       round(p.appeal_minutes / 60.0, 2) AS appeal_hours,
       p.holidays, p.rest_days, p.pending_days, p.unjudged_days,
       p.period_end - p.period_start + 1 - p.stored_days AS unmarked_days
  FROM @extschema@._att_periods_now p
  JOIN @extschema@.employee e ON e.employee_id = p.employee_id
  LEFT JOIN orgs dept ON dept.org_id = p.org_id
  LEFT JOIN orgs co ON co.org_id = p.company_id;
COMMENT ON VIEW att_period_summary IS 'Period summary (出勤汇总) per employee and closing period of their company: workdays, days attended, late/early/absence counts and minutes, missing punches, work and overtime hours by category, leave, trips, outings and appeals, and the day codes counted. Days without a primary membership belong to no period. Read from period_record, kept with the stored days: a period of a whole company is one row per employee.';
COMMENT ON COLUMN att_period_summary.employee_id IS 'The employee.';
COMMENT ON COLUMN att_period_summary.employee_name IS 'The employee''s display name.';
COMMENT ON COLUMN att_period_summary.period_start IS 'First day of the closing period (the company''s: the 26th for a company closing on the 25th).';
COMMENT ON COLUMN att_period_summary.period_end IS 'Last day of the closing period.';
COMMENT ON COLUMN att_period_summary.workdays IS 'Stored days that are workdays or make-up workdays (not rest days, holidays, days without a rule or outside employment).';
COMMENT ON COLUMN att_period_summary.days_attended IS 'Workdays with any work minutes.';
COMMENT ON COLUMN att_period_summary.late_count IS 'Days with late minutes that count.';
COMMENT ON COLUMN att_period_summary.late_minutes IS 'Sum of late minutes.';
COMMENT ON COLUMN att_period_summary.early_count IS 'Days with early-leave minutes that count.';
COMMENT ON COLUMN att_period_summary.early_minutes IS 'Sum of early-leave minutes.';
COMMENT ON COLUMN att_period_summary.absence_count IS 'Days with absent minutes (a partial absence counts as a day here).';
COMMENT ON COLUMN att_period_summary.absence_minutes IS 'Sum of absent minutes.';
COMMENT ON COLUMN att_period_summary.missing_punches IS 'Days whose status is missing_check_in or missing_check_out.';
COMMENT ON COLUMN att_period_summary.work_hours IS 'Hours worked.';
COMMENT ON COLUMN att_period_summary.overtime_hours_workday IS 'Overtime hours on workdays.';
COMMENT ON COLUMN att_period_summary.overtime_hours_rest_day IS 'Overtime hours on rest days.';
COMMENT ON COLUMN att_period_summary.overtime_hours_holiday IS 'Overtime hours on holidays.';
COMMENT ON COLUMN att_period_summary.leave_hours IS 'Hours of the shifts covered by approved leave.';
COMMENT ON COLUMN att_period_summary.employee_key IS 'The ERP''s own key of the employee when it is text or uuid (employee.employee_key).';
COMMENT ON COLUMN att_period_summary.department_id IS 'The department on the last stored day of the period (an employee who moved shows where they ended).';
COMMENT ON COLUMN att_period_summary.department IS 'That department''s name.';
COMMENT ON COLUMN att_period_summary.company_id IS 'The company on the last stored day of the period.';
COMMENT ON COLUMN att_period_summary.company IS 'That company''s name.';
COMMENT ON COLUMN att_period_summary.leave_days IS 'Days on leave: whole-shift leave (L) counts 1, half-day leave (HD) 0.5.';
COMMENT ON COLUMN att_period_summary.half_day_leaves IS 'Days with leave for part of the shift.';
COMMENT ON COLUMN att_period_summary.trip_hours IS 'Hours of the shifts on business trips.';
COMMENT ON COLUMN att_period_summary.outing_hours IS 'Hours of the shifts on outings.';
COMMENT ON COLUMN att_period_summary.appeal_hours IS 'Hours of the shifts covered by approved appeals.';
COMMENT ON COLUMN att_period_summary.holidays IS 'Holidays (code H).';
COMMENT ON COLUMN att_period_summary.rest_days IS 'Rest days (code WO).';
COMMENT ON COLUMN att_period_summary.pending_days IS 'Days whose shift has not ended yet.';
COMMENT ON COLUMN att_period_summary.unjudged_days IS 'Days no rule could judge (code ?: no rule, unscheduled, outside the rule''s validity).';
COMMENT ON COLUMN att_period_summary.unmarked_days IS 'Days of the period with no stored day for the employee (not reached yet, or before the first stored day).';

-- Leave per type and period: one row per employee, period and leave type.
CREATE VIEW att_leave_summary WITH (security_invoker = true, security_barrier = true) AS
SELECT d.employee_id, min(d.employee_name) AS employee_name, d.period_start, max(d.period_end) AS period_end,
       coalesce(d.leave_type, '(no type)') AS leave_type,
       count(*) FILTER (WHERE d.day_code = 'L') AS full_days,
       count(*) FILTER (WHERE d.half_day_leave) AS half_days,
       round(sum(d.leave_minutes) / 60.0, 2) AS leave_hours,
       (array_agg(d.department ORDER BY d.day DESC))[1] AS department
  FROM @extschema@.att_daily d
 WHERE d.period_start IS NOT NULL AND d.leave_minutes > 0
 GROUP BY d.employee_id, d.period_start, coalesce(d.leave_type, '(no type)');
COMMENT ON VIEW att_leave_summary IS 'Leave by type (the ERP''s leave types) per employee and closing period: whole days, half days and hours.';
COMMENT ON COLUMN att_leave_summary.employee_id IS 'The employee.';
COMMENT ON COLUMN att_leave_summary.employee_name IS 'The employee''s display name.';
COMMENT ON COLUMN att_leave_summary.period_start IS 'First day of the closing period.';
COMMENT ON COLUMN att_leave_summary.period_end IS 'Last day of the closing period.';
COMMENT ON COLUMN att_leave_summary.leave_type IS 'The leave type; several types on one day are listed together; (no type) for leave loaded without one.';
COMMENT ON COLUMN att_leave_summary.full_days IS 'Days whose whole shift is on leave.';
COMMENT ON COLUMN att_leave_summary.half_days IS 'Days with leave for part of the shift.';
COMMENT ON COLUMN att_leave_summary.leave_hours IS 'Hours of the shifts covered by leave.';
COMMENT ON COLUMN att_leave_summary.department IS 'The department on the last day with this leave in the period.';

-- The monthly sheet: one row per employee and closing period, one column
-- per day of the period (d01 is its first day), each the day's code.
CREATE VIEW att_monthly_grid WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT p.employee_id, e.display_name AS employee_name, p.period_start, p.period_end,
       dept.name AS department, co.name AS company,
       p.day_codes[1] AS d01,
       p.day_codes[2] AS d02,
       p.day_codes[3] AS d03,
       p.day_codes[4] AS d04,
       p.day_codes[5] AS d05,
       p.day_codes[6] AS d06,
       p.day_codes[7] AS d07,
       p.day_codes[8] AS d08,
       p.day_codes[9] AS d09,
       p.day_codes[10] AS d10,
       p.day_codes[11] AS d11,
       p.day_codes[12] AS d12,
       p.day_codes[13] AS d13,
       p.day_codes[14] AS d14,
       p.day_codes[15] AS d15,
       p.day_codes[16] AS d16,
       p.day_codes[17] AS d17,
       p.day_codes[18] AS d18,
       p.day_codes[19] AS d19,
       p.day_codes[20] AS d20,
       p.day_codes[21] AS d21,
       p.day_codes[22] AS d22,
       p.day_codes[23] AS d23,
       p.day_codes[24] AS d24,
       p.day_codes[25] AS d25,
       p.day_codes[26] AS d26,
       p.day_codes[27] AS d27,
       p.day_codes[28] AS d28,
       p.day_codes[29] AS d29,
       p.day_codes[30] AS d30,
       p.day_codes[31] AS d31,
       p.present_days, p.absent_days,
       p.full_leave_days + 0.5 * p.half_day_days AS leave_days,
       p.on_duty_days, p.missing_punch_days, p.holidays, p.rest_days AS weekly_offs,
       p.pending_days + p.unjudged_days + (p.period_end - p.period_start + 1 - p.stored_days) AS unmarked_days
  FROM @extschema@._att_periods_now p
  JOIN @extschema@.employee e ON e.employee_id = p.employee_id
  LEFT JOIN orgs dept ON dept.org_id = p.org_id
  LEFT JOIN orgs co ON co.org_id = p.company_id;
COMMENT ON VIEW att_monthly_grid IS 'The monthly attendance sheet (ERPNext''s Monthly Attendance Sheet, an Excel grid): one row per employee and closing period, columns d01..d31 for the days of the period from its first day, each the day''s code (att_day_code: P present, HD half-day leave, L leave, OD on duty elsewhere, A absent, MP missing punch, H holiday, WO weekly off, - pending, ? not judged; NULL not employed or not stored), then the codes counted.';
COMMENT ON COLUMN att_monthly_grid.employee_id IS 'The employee.';
COMMENT ON COLUMN att_monthly_grid.employee_name IS 'The employee''s display name.';
COMMENT ON COLUMN att_monthly_grid.period_start IS 'First day of the closing period: the day of column d01.';
COMMENT ON COLUMN att_monthly_grid.period_end IS 'Last day of the closing period (columns past it are NULL).';
COMMENT ON COLUMN att_monthly_grid.department IS 'The department on the last stored day of the period.';
COMMENT ON COLUMN att_monthly_grid.company IS 'The company on the last stored day of the period.';
COMMENT ON COLUMN att_monthly_grid.d01 IS 'Code of day 1 of the period (period_start + 0).';
COMMENT ON COLUMN att_monthly_grid.d02 IS 'Code of day 2 of the period (period_start + 1).';
COMMENT ON COLUMN att_monthly_grid.d03 IS 'Code of day 3 of the period (period_start + 2).';
COMMENT ON COLUMN att_monthly_grid.d04 IS 'Code of day 4 of the period (period_start + 3).';
COMMENT ON COLUMN att_monthly_grid.d05 IS 'Code of day 5 of the period (period_start + 4).';
COMMENT ON COLUMN att_monthly_grid.d06 IS 'Code of day 6 of the period (period_start + 5).';
COMMENT ON COLUMN att_monthly_grid.d07 IS 'Code of day 7 of the period (period_start + 6).';
COMMENT ON COLUMN att_monthly_grid.d08 IS 'Code of day 8 of the period (period_start + 7).';
COMMENT ON COLUMN att_monthly_grid.d09 IS 'Code of day 9 of the period (period_start + 8).';
COMMENT ON COLUMN att_monthly_grid.d10 IS 'Code of day 10 of the period (period_start + 9).';
COMMENT ON COLUMN att_monthly_grid.d11 IS 'Code of day 11 of the period (period_start + 10).';
COMMENT ON COLUMN att_monthly_grid.d12 IS 'Code of day 12 of the period (period_start + 11).';
COMMENT ON COLUMN att_monthly_grid.d13 IS 'Code of day 13 of the period (period_start + 12).';
COMMENT ON COLUMN att_monthly_grid.d14 IS 'Code of day 14 of the period (period_start + 13).';
COMMENT ON COLUMN att_monthly_grid.d15 IS 'Code of day 15 of the period (period_start + 14).';
COMMENT ON COLUMN att_monthly_grid.d16 IS 'Code of day 16 of the period (period_start + 15).';
COMMENT ON COLUMN att_monthly_grid.d17 IS 'Code of day 17 of the period (period_start + 16).';
COMMENT ON COLUMN att_monthly_grid.d18 IS 'Code of day 18 of the period (period_start + 17).';
COMMENT ON COLUMN att_monthly_grid.d19 IS 'Code of day 19 of the period (period_start + 18).';
COMMENT ON COLUMN att_monthly_grid.d20 IS 'Code of day 20 of the period (period_start + 19).';
COMMENT ON COLUMN att_monthly_grid.d21 IS 'Code of day 21 of the period (period_start + 20).';
COMMENT ON COLUMN att_monthly_grid.d22 IS 'Code of day 22 of the period (period_start + 21).';
COMMENT ON COLUMN att_monthly_grid.d23 IS 'Code of day 23 of the period (period_start + 22).';
COMMENT ON COLUMN att_monthly_grid.d24 IS 'Code of day 24 of the period (period_start + 23).';
COMMENT ON COLUMN att_monthly_grid.d25 IS 'Code of day 25 of the period (period_start + 24).';
COMMENT ON COLUMN att_monthly_grid.d26 IS 'Code of day 26 of the period (period_start + 25).';
COMMENT ON COLUMN att_monthly_grid.d27 IS 'Code of day 27 of the period (period_start + 26).';
COMMENT ON COLUMN att_monthly_grid.d28 IS 'Code of day 28 of the period (period_start + 27).';
COMMENT ON COLUMN att_monthly_grid.d29 IS 'Code of day 29 of the period (period_start + 28).';
COMMENT ON COLUMN att_monthly_grid.d30 IS 'Code of day 30 of the period (period_start + 29).';
COMMENT ON COLUMN att_monthly_grid.d31 IS 'Code of day 31 of the period (period_start + 30).';
COMMENT ON COLUMN att_monthly_grid.present_days IS 'Days coded P or HD.';
COMMENT ON COLUMN att_monthly_grid.absent_days IS 'Days coded A.';
COMMENT ON COLUMN att_monthly_grid.leave_days IS 'Days coded L, plus half of those coded HD.';
COMMENT ON COLUMN att_monthly_grid.on_duty_days IS 'Days coded OD (business trip, outing or appeal for the whole shift).';
COMMENT ON COLUMN att_monthly_grid.missing_punch_days IS 'Days coded MP.';
COMMENT ON COLUMN att_monthly_grid.holidays IS 'Days coded H.';
COMMENT ON COLUMN att_monthly_grid.weekly_offs IS 'Days coded WO.';
COMMENT ON COLUMN att_monthly_grid.unmarked_days IS 'Days of the period not judged yet: pending (-), not judged (?), or not stored.';

-- The views built on att_daily describe their columns as it does: each
-- column without a comment of its own takes att_daily's.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT v.relname AS view_name, a.attname AS column_name, pg_catalog.col_description(d.oid, da.attnum) AS text
      FROM pg_catalog.pg_class v
      JOIN pg_catalog.pg_attribute a ON a.attrelid = v.oid AND a.attnum > 0
      JOIN pg_catalog.pg_class d ON d.relname = 'att_daily' AND d.relnamespace = v.relnamespace
      JOIN pg_catalog.pg_attribute da ON da.attrelid = d.oid AND da.attname = a.attname
     WHERE v.relnamespace = '@extschema@'::regnamespace AND v.relkind = 'v' AND v.relname <> 'att_daily'
       -- not the internal views (_att_days_now, _att_periods_now): their
       -- columns are day_record's and period_record's, not att_daily's
       AND v.relname NOT LIKE '\_%'
       AND pg_catalog.col_description(v.oid, a.attnum) IS NULL
       AND pg_catalog.col_description(d.oid, da.attnum) IS NOT NULL
  LOOP
    EXECUTE format('COMMENT ON COLUMN @extschema@.%I.%I IS %L', c.view_name, c.column_name, c.text);
  END LOOP;
END $$;

-- The views BI tools read (SPEC.md C) and the scope policies on the
-- extension's tables (SPEC.md D).

SELECT @extschema@.att_enable_scope_policies('@extschema@.day_record');
SELECT @extschema@.att_enable_scope_policies('@extschema@.schedule');

-- Views for BI tools: plain types, stable documented columns; they read
-- day_record with the querying role's privileges, so its scope policy applies.
CREATE VIEW att_daily WITH (security_invoker = true, security_barrier = true) AS
SELECT d.employee_id, e.display_name AS employee_name, d.day, d.rule_name, d.shift, d.day_kind, d.status,
       d.check_in[1] AS first_check_in, d.check_out[array_length(d.check_out, 1)] AS last_check_out,
       d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes,
       d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes,
       array_to_string(d.reasons, '; ') AS reasons, e.employee_key
  FROM @extschema@.day_record d
  JOIN @extschema@.employee e ON e.employee_id = d.employee_id;
COMMENT ON VIEW att_daily IS 'Daily attendance (出勤情况): one row per employee-day, as far as the querying login''s scope reaches.';
COMMENT ON COLUMN att_daily.status IS 'normal, late, early, late_and_early, missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule; pending: a shift period has not ended yet (nothing missing, early or absent until it has); not_employed: no primary membership that day (not a workday).';
COMMENT ON COLUMN att_daily.day_kind IS 'workday, rest, holiday, make_up_workday; NULL when no rule applies or the employee is not employed that day (never a workday).';
COMMENT ON COLUMN att_daily.first_check_in IS 'Check-in of the first period of the shift (NULL when missing).';
COMMENT ON COLUMN att_daily.last_check_out IS 'Check-out of the last period of the shift (NULL when missing).';
COMMENT ON COLUMN att_daily.employee_key IS 'The ERP''s own key of the employee when it is text or uuid (employee.employee_key), to join back to the ERP''s tables.';
COMMENT ON COLUMN att_daily.reasons IS 'Why each figure is what it is, e.g. "late 12 min: in 09:12, start 09:00, allowance 5".';

CREATE VIEW att_anomalies WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, status, late_minutes, early_minutes, absent_minutes, outside_punches, reasons
  FROM @extschema@.att_daily
 WHERE status IN ('late', 'early', 'late_and_early', 'missing_check_in', 'missing_check_out', 'no_punch', 'absent', 'no_rule')
    OR outside_punches > 0;
COMMENT ON VIEW att_anomalies IS 'Anomalies (异常考勤): late, early, missing punches, absences, punches outside the allowed locations, and days that could not be judged because no rule applies (no_rule). Pending and not-employed days are no anomaly.';

CREATE VIEW att_work_time WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, day_kind, scheduled_minutes, work_minutes, overtime_minutes, overtime_category,
       round(work_minutes / 60.0, 2) AS work_hours, round(overtime_minutes / 60.0, 2) AS overtime_hours
  FROM @extschema@.att_daily;
COMMENT ON VIEW att_work_time IS 'Work time (工作时长) per employee-day, in minutes and hours.';

-- The primary memberships the summary groups days by, for the employees the
-- asking login may see (read once per query, as att_can_view reads its
-- scope): BI logins have no access to membership itself.
CREATE FUNCTION _att_primary_periods() RETURNS TABLE (employee_id bigint, period daterange, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000
BEGIN ATOMIC
  SELECT m.employee_id, m.period * t.period, c.closing_day::integer
    FROM @extschema@.membership m
    JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && m.period
    JOIN @extschema@.org c ON c.org_id = t.path[1]
   WHERE m.kind = 'primary'
     AND ((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
          OR m.employee_id IN (SELECT unnest(s.employee_ids) FROM @extschema@._att_view_scope() s));
END;
COMMENT ON FUNCTION _att_primary_periods() IS 'Internal: the primary memberships (period and company closing day) of the employees the asking login may see; att_period_summary groups by them.';

CREATE VIEW att_period_summary WITH (security_invoker = true, security_barrier = true) AS
SELECT d.employee_id, min(d.employee_name) AS employee_name,
       lower(p.period) AS period_start, upper(p.period) - 1 AS period_end,
       count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday')) AS workdays,
       count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday') AND d.work_minutes > 0) AS days_attended,
       count(*) FILTER (WHERE d.late_minutes > 0) AS late_count,
       sum(d.late_minutes) AS late_minutes,
       count(*) FILTER (WHERE d.early_minutes > 0) AS early_count,
       sum(d.early_minutes) AS early_minutes,
       count(*) FILTER (WHERE d.absent_minutes > 0) AS absence_count,
       sum(d.absent_minutes) AS absence_minutes,
       count(*) FILTER (WHERE d.status IN ('missing_check_in', 'missing_check_out')) AS missing_punches,
       round(sum(d.work_minutes) / 60.0, 2) AS work_hours,
       round(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'workday') / 60.0, 2) AS overtime_hours_workday,
       round(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'rest_day') / 60.0, 2) AS overtime_hours_rest_day,
       round(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'holiday') / 60.0, 2) AS overtime_hours_holiday,
       round(sum(d.leave_minutes) / 60.0, 2) AS leave_hours,
       min(d.employee_key) AS employee_key
  FROM @extschema@.att_daily d
  JOIN @extschema@._att_primary_periods() pm ON pm.employee_id = d.employee_id AND pm.period @> d.day
  CROSS JOIN LATERAL (SELECT @extschema@.att_closing_period_for(d.day, pm.closing_day) AS period) p
 GROUP BY d.employee_id, p.period;
COMMENT ON VIEW att_period_summary IS 'Period summary (出勤汇总) per employee and closing period: workdays, days attended, late/early/absence counts and minutes, missing punches, work and overtime hours by category, leave hours.';
COMMENT ON COLUMN att_period_summary.employee_key IS 'The ERP''s own key of the employee when it is text or uuid (employee.employee_key).';

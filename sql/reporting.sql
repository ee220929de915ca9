-- Day results kept current (SPEC.md C) and the views BI tools read.

CREATE TABLE day_record (
  employee_id       bigint NOT NULL REFERENCES employee (employee_id),
  day               date NOT NULL,
  rule_id           bigint,
  rule_name         text,
  shift             text,
  day_kind          text,
  status            text NOT NULL,
  check_in          timestamptz[] NOT NULL,
  check_out         timestamptz[] NOT NULL,
  scheduled_minutes integer NOT NULL,
  late_minutes      integer NOT NULL,
  early_minutes     integer NOT NULL,
  absent_minutes    integer NOT NULL,
  work_minutes      integer NOT NULL,
  overtime_minutes  integer NOT NULL,
  overtime_category text,
  outside_punches   integer NOT NULL,
  reasons           text[] NOT NULL,
  evaluated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (employee_id, day)
);
COMMENT ON TABLE day_record IS 'Materialised day results, kept current by triggers on punch, excuse and schedule; re-evaluate after a rule change with att_refresh.';

CREATE FUNCTION att_refresh(employee bigint, days daterange) RETURNS integer
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  WITH fresh AS (
    SELECT * FROM @extschema@._att_evaluate_days(employee, lower(days), upper(days) - 1)
  ), upserted AS (
    INSERT INTO @extschema@.day_record AS d
      (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes,
       late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category,
       outside_punches, reasons)
    SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out,
           f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes,
           f.overtime_minutes, f.overtime_category, f.outside_punches, f.reasons
      FROM fresh f
    ON CONFLICT (employee_id, day) DO UPDATE
      SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift,
          day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in,
          check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes,
          late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes,
          absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes,
          overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category,
          outside_punches = excluded.outside_punches, reasons = excluded.reasons, evaluated_at = now()
      WHERE (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.late_minutes, d.early_minutes,
             d.absent_minutes, d.work_minutes, d.overtime_minutes, d.reasons)
            IS DISTINCT FROM
            (excluded.rule_id, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out,
             excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes,
             excluded.overtime_minutes, excluded.reasons)
    RETURNING 1
  )
  SELECT count(*)::integer FROM upserted;
END;
COMMENT ON FUNCTION att_refresh(bigint, daterange) IS
  'Re-evaluates an employee''s days over a finite range into day_record (one pass over their rows); returns how many days changed. Use after a rule change, or for an org: SELECT att_refresh(employee_id, range) FROM membership WHERE ...';

CREATE FUNCTION att_refresh_org(org bigint, days daterange) RETURNS integer
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  SELECT coalesce(sum(@extschema@.att_refresh(m.employee_id, days)), 0)::integer
    FROM (SELECT DISTINCT m.employee_id
            FROM @extschema@.membership m JOIN @extschema@.org o ON o.org_id = m.org_id
           WHERE o.path @> ARRAY[org] AND m.period && days) m;
END;
COMMENT ON FUNCTION att_refresh_org(bigint, daterange) IS 'att_refresh for every employee with a membership in the org or below it during the range.';

-- Statement-level triggers: one refresh per employee and statement, over the
-- days a change can reach (a night shift starts the day before; a late
-- departure lets the next workday start late).
CREATE FUNCTION refresh_changed_days() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  -- TG_ARGV[0]: the expression giving each changed row's first and last day.
  span text := TG_ARGV[0];
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('SELECT count(@extschema@.att_refresh(employee_id, daterange(first - 2, last + 8)))
                      FROM (SELECT employee_id, min(f) AS first, max(l) AS last
                              FROM (SELECT employee_id, %s FROM changed_new) x GROUP BY employee_id) c', span);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('SELECT count(@extschema@.att_refresh(employee_id, daterange(first - 2, last + 8)))
                      FROM (SELECT employee_id, min(f) AS first, max(l) AS last
                              FROM (SELECT employee_id, %s FROM changed_old) x GROUP BY employee_id) c', span);
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION refresh_changed_days() IS 'Internal trigger: refreshes day_record for the employee-days a statement changed, once per employee.';

CREATE TRIGGER refresh_on_insert AFTER INSERT ON punch REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('at::date AS f, at::date AS l');
CREATE TRIGGER refresh_on_update AFTER UPDATE ON punch REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('at::date AS f, at::date AS l');
CREATE TRIGGER refresh_on_delete AFTER DELETE ON punch REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('at::date AS f, at::date AS l');
CREATE TRIGGER refresh_on_insert AFTER INSERT ON excuse REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('lower(during)::date AS f, upper(during)::date AS l');
CREATE TRIGGER refresh_on_update AFTER UPDATE ON excuse REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('lower(during)::date AS f, upper(during)::date AS l');
CREATE TRIGGER refresh_on_delete AFTER DELETE ON excuse REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('lower(during)::date AS f, upper(during)::date AS l');
CREATE TRIGGER refresh_on_insert AFTER INSERT ON schedule REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('day AS f, day AS l');
CREATE TRIGGER refresh_on_update AFTER UPDATE ON schedule REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('day AS f, day AS l');
CREATE TRIGGER refresh_on_delete AFTER DELETE ON schedule REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('day AS f, day AS l');

SELECT @extschema@.att_enable_scope_policies('@extschema@.day_record');
SELECT @extschema@.att_enable_scope_policies('@extschema@.schedule');

-- Views for BI tools: plain types, stable documented columns; they read
-- day_record with the querying role's privileges, so its scope policy applies.
CREATE VIEW att_daily WITH (security_invoker = true, security_barrier = true) AS
SELECT d.employee_id, e.display_name AS employee_name, d.day, d.rule_name, d.shift, d.day_kind, d.status,
       d.check_in[1] AS first_check_in, d.check_out[array_length(d.check_out, 1)] AS last_check_out,
       d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes,
       d.overtime_minutes, d.overtime_category, d.outside_punches,
       array_to_string(d.reasons, '; ') AS reasons
  FROM @extschema@.day_record d
  JOIN @extschema@.employee e ON e.employee_id = d.employee_id;
COMMENT ON VIEW att_daily IS 'Daily attendance (出勤情况): one row per employee-day, as far as the querying login''s scope reaches.';
COMMENT ON COLUMN att_daily.status IS 'normal, late, early, late_and_early, missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule';
COMMENT ON COLUMN att_daily.day_kind IS 'workday, rest, holiday, make_up_workday';
COMMENT ON COLUMN att_daily.first_check_in IS 'Check-in of the first period of the shift (NULL when missing).';
COMMENT ON COLUMN att_daily.last_check_out IS 'Check-out of the last period of the shift (NULL when missing).';
COMMENT ON COLUMN att_daily.reasons IS 'Why each figure is what it is, e.g. "late 12 min: in 09:12, start 09:00, allowance 5".';

CREATE VIEW att_anomalies WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, status, late_minutes, early_minutes, absent_minutes, outside_punches, reasons
  FROM @extschema@.att_daily
 WHERE status IN ('late', 'early', 'late_and_early', 'missing_check_in', 'missing_check_out', 'no_punch', 'absent')
    OR outside_punches > 0;
COMMENT ON VIEW att_anomalies IS 'Anomalies (异常考勤): late, early, missing punches, absences and punches outside the allowed locations.';

CREATE VIEW att_work_time WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, day_kind, scheduled_minutes, work_minutes, overtime_minutes, overtime_category,
       round(work_minutes / 60.0, 2) AS work_hours, round(overtime_minutes / 60.0, 2) AS overtime_hours
  FROM @extschema@.att_daily;
COMMENT ON VIEW att_work_time IS 'Work time (工作时长) per employee-day, in minutes and hours.';

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
       round(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'holiday') / 60.0, 2) AS overtime_hours_holiday
  FROM @extschema@.att_daily d
  CROSS JOIN LATERAL (
    SELECT @extschema@.att_closing_period(m.org_id, d.day) AS period
      FROM @extschema@.membership m
     WHERE m.employee_id = d.employee_id AND m.period @> d.day AND m.kind = 'primary') p
 GROUP BY d.employee_id, p.period;
COMMENT ON VIEW att_period_summary IS 'Period summary (出勤汇总) per employee and closing period: workdays, days attended, late/early/absence counts and minutes, missing punches, work and overtime hours by category.';

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
  leave_minutes     integer NOT NULL,
  reasons           text[] NOT NULL,
  evaluated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (employee_id, day)
);
COMMENT ON TABLE day_record IS 'Materialised day results, kept current by triggers on punch, excuse and schedule; re-evaluate after a rule change with att_refresh.';

CREATE TABLE correction (
  employee_id   bigint NOT NULL REFERENCES employee (employee_id),
  correction_id bigint GENERATED ALWAYS AS IDENTITY,
  day           date NOT NULL,
  actor         bigint NOT NULL REFERENCES employee (employee_id),
  at            timestamptz NOT NULL DEFAULT now(),
  reason        text,
  before        jsonb NOT NULL,
  after         jsonb NOT NULL,
  PRIMARY KEY (employee_id, correction_id)
);
COMMENT ON TABLE correction IS 'Every change to a day of a closed period: who (the acting employee, who held the correct permission: hr after closing), when, why (the attendance.reason setting), and the day''s result before and after.';

CREATE FUNCTION att_day_closed(employee bigint, day date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (
    SELECT 1
      FROM @extschema@.membership m
      JOIN @extschema@.org o ON o.org_id = m.org_id
      JOIN @extschema@.closing c ON c.org_id = ANY (o.path) AND c.period @> day
     WHERE m.employee_id = employee AND m.period @> day
       -- a closing that skipped the employee leaves their days open
       AND NOT EXISTS (SELECT 1 FROM @extschema@.closing_exemption x
                        WHERE x.org_id = c.org_id AND x.period = c.period AND x.employee_id = m.employee_id));
END;
COMMENT ON FUNCTION att_day_closed(bigint, date) IS 'Whether the employee''s day lies in a period closed for one of the orgs they belong to that day (or an org above it).';

-- Concurrency: a refresh evaluates with its statement's snapshot, so two
-- transactions refreshing one employee could each miss the other's punch and
-- the later upsert would write a stale day. Refreshes and approvals of an
-- employee therefore take a lock held until commit before they read; the
-- statement after it sees every earlier refresh. Employees share 1024 lock
-- rows (row locks, so a company-wide refresh does not fill the lock table),
-- always taken in bucket order. A closing locks the table itself in EXCLUSIVE
-- mode against the SHARE mode every refresh holds: it waits for refreshes in
-- flight and new ones queue behind it (the lock manager is fair, unlike
-- shared row locks, which would let a stream of refreshes starve it). The
-- table is private to the extension's functions, so no login can take or
-- hold these locks.
CREATE TABLE refresh_lock (bucket integer PRIMARY KEY);
INSERT INTO refresh_lock SELECT generate_series(0, 1023);
COMMENT ON TABLE refresh_lock IS 'Internal: lock rows that serialise refreshes, approvals and closings of the same employees.';

CREATE FUNCTION _att_lock_employees(employees bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  LOCK TABLE @extschema@.refresh_lock IN SHARE MODE;
  PERFORM 1 FROM @extschema@.refresh_lock
    WHERE bucket IN (SELECT hashint8(e) & 1023 FROM unnest(employees) AS e)
    ORDER BY bucket FOR UPDATE;
END $$;
COMMENT ON FUNCTION _att_lock_employees(bigint[]) IS 'Internal: locks the employees'' refresh buckets until commit (see refresh_lock).';

CREATE FUNCTION _att_lock_closing() RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  LOCK TABLE @extschema@.refresh_lock IN EXCLUSIVE MODE;
END $$;
COMMENT ON FUNCTION _att_lock_closing() IS 'Internal: waits for refreshes in flight and holds new ones until commit (see refresh_lock).';
REVOKE EXECUTE ON FUNCTION _att_lock_employees(bigint[]), _att_lock_closing() FROM PUBLIC;

CREATE FUNCTION att_refresh(employees bigint[], days daterange, strict boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.att_current_employee();
  changed integer;
  frozen integer;
  frozen_employees text;
  closed_in_reach boolean := false;
BEGIN
  IF days IS NULL OR lower_inf(days) OR upper_inf(days) THEN
    RAISE EXCEPTION 'att_refresh needs a finite range of days, got %', days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  PERFORM @extschema@._att_lock_employees(employees);
  -- The usual case, no closed day in reach: write what changed and withdraw
  -- the approvals of changed days, in one statement.
  IF EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.period && days) THEN
    -- One probe per employee through membership's primary key: kept from
    -- being turned into a join (OFFSET 0) and off the GiST index (IS TRUE),
    -- either of which a generic plan would scan whole.
    closed_in_reach := EXISTS (
      SELECT 1 FROM unnest(employees) AS e(id)
       WHERE EXISTS (SELECT 1
                       FROM @extschema@.membership m
                       JOIN @extschema@.org o ON o.org_id = m.org_id
                       JOIN @extschema@.closing c ON c.org_id = ANY (o.path) AND c.period && days
                      WHERE m.employee_id = e.id AND (m.period && days) IS TRUE
                     OFFSET 0));
  END IF;
  IF NOT closed_in_reach THEN
    WITH written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons
        FROM @extschema@.att_evaluate(employees, days) f
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, evaluated_at = now()
        WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons)
              IS DISTINCT FROM
              (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons)
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      UPDATE @extschema@.day_approval a SET withdrawn_at = now()
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    SELECT count(*) INTO changed FROM written;
    RETURN changed;
  END IF;
  -- Otherwise judge every change to a closed day.
  WITH fresh AS (
    SELECT * FROM @extschema@.att_evaluate(employees, days)
  ), cmp AS (
    SELECT f.*, d.employee_id IS NOT NULL AS existed,
           to_jsonb(d) - 'evaluated_at' AS before_json,
           (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
            f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
            f.outside_punches, f.leave_minutes, f.reasons)
           IS DISTINCT FROM
           (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
            d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
            d.outside_punches, d.leave_minutes, d.reasons) AS differs
      FROM fresh f
      LEFT JOIN @extschema@.day_record d ON d.employee_id = f.employee_id AND d.day = f.day
  ), judged AS (
    SELECT c.*,
           -- a change to a closed day needs the correct permission (hr after closing)
           c.existed AND c.differs AND @extschema@.att_day_closed(c.employee_id, c.day) AS closed_change
      FROM cmp c WHERE NOT c.existed OR c.differs
  ), allowed AS (
    SELECT j.*, NOT j.closed_change
                OR (actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct')) AS ok
      FROM judged j
  ), logged AS (
    INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
    SELECT a.employee_id, a.day, actor, nullif(current_setting('attendance.reason', true), ''), a.before_json,
           to_jsonb(a) - 'existed' - 'before_json' - 'differs' - 'closed_change' - 'ok'
      FROM allowed a WHERE a.closed_change AND a.ok
    RETURNING 1
  ), written AS (
    INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons)
    SELECT a.employee_id, a.day, a.rule_id, a.rule_name, a.shift, a.day_kind, a.status, a.check_in, a.check_out, a.scheduled_minutes, a.late_minutes, a.early_minutes, a.absent_minutes, a.work_minutes, a.overtime_minutes, a.overtime_category, a.outside_punches, a.leave_minutes, a.reasons FROM allowed a WHERE a.ok
    ON CONFLICT (employee_id, day) DO UPDATE
      SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, evaluated_at = now()
    RETURNING d.employee_id, d.day
  ), withdrawn AS (
    -- a changed day withdraws its approval; the approval stays as history
    UPDATE @extschema@.day_approval a SET withdrawn_at = now()
      FROM written w
     WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
    RETURNING 1
  )
  -- (logged runs whether or not it is read: data-modifying CTEs always complete)
  SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM allowed WHERE NOT ok),
         (SELECT string_agg(DISTINCT a.employee_id::text, ', ') FROM allowed a WHERE NOT a.ok)
    INTO changed, frozen, frozen_employees;
  IF frozen > 0 AND strict THEN
    RAISE EXCEPTION 'change to % day(s) of employee % in a closed period refused', frozen, frozen_employees
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission); or reopen the period.';
  END IF;
  RETURN changed;
END $$;
COMMENT ON FUNCTION att_refresh(bigint[], daterange, boolean) IS
  'Re-evaluates employees'' days over a finite range into day_record in one pass (in batches, see att_evaluate) and returns how many days changed. Days in a closed period stay frozen: a change there is written only when the acting employee holds the correct permission (hr after closing), and is recorded in correction; otherwise it is skipped, or refused (42501) when strict. Use after a rule change; the triggers on punch, excuse and schedule call it strict.';

CREATE FUNCTION att_refresh(employee bigint, days daterange, strict boolean DEFAULT false) RETURNS integer
LANGUAGE sql VOLATILE
BEGIN ATOMIC
  SELECT @extschema@.att_refresh(ARRAY[employee], days, strict);
END;
COMMENT ON FUNCTION att_refresh(bigint, daterange, boolean) IS 'att_refresh for one employee.';

CREATE FUNCTION att_refresh_org(org bigint, days daterange) RETURNS integer
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  SELECT coalesce(@extschema@.att_refresh(array_agg(DISTINCT m.employee_id), days), 0)
    FROM @extschema@.membership m JOIN @extschema@.org o ON o.org_id = m.org_id
   WHERE o.path @> ARRAY[org] AND m.period && days;
END;
COMMENT ON FUNCTION att_refresh_org(bigint, daterange) IS 'att_refresh for every employee with a membership in the org or below it during the range, in one pass.';

-- Statement-level triggers: one refresh per employee and statement, over the
-- days a change can reach (a night shift starts the day before; a late
-- departure lets the next workday start late).
CREATE FUNCTION refresh_changed_days() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
-- Static statements per table (TG_ARGV[0] names the span each trigger
-- refreshes), so their plans are kept; employees in id order, so that
-- concurrent statements take their refresh locks in the same order.
BEGIN
  IF TG_TABLE_NAME IN ('punch', 'punch_void') THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@.att_refresh(c.employee_id, daterange(c.first - 2, c.last + 8), strict => true)
         FROM (SELECT employee_id, min(at)::date AS first, max(at)::date AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@.att_refresh(c.employee_id, daterange(c.first - 2, c.last + 8), strict => true)
         FROM (SELECT employee_id, min(at)::date AS first, max(at)::date AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSIF TG_TABLE_NAME = 'excuse' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@.att_refresh(c.employee_id, daterange(c.first - 2, c.last + 8), strict => true)
         FROM (SELECT employee_id, min(lower(during))::date AS first, max(upper(during))::date AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@.att_refresh(c.employee_id, daterange(c.first - 2, c.last + 8), strict => true)
         FROM (SELECT employee_id, min(lower(during))::date AS first, max(upper(during))::date AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSIF TG_TABLE_NAME = 'schedule' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@.att_refresh(c.employee_id, daterange(c.first - 2, c.last + 8), strict => true)
         FROM (SELECT employee_id, min(day) AS first, max(day) AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@.att_refresh(c.employee_id, daterange(c.first - 2, c.last + 8), strict => true)
         FROM (SELECT employee_id, min(day) AS first, max(day) AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSE
    RAISE EXCEPTION 'refresh_changed_days is not meant for table %', TG_TABLE_NAME USING ERRCODE = 'feature_not_supported';
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

-- Nothing is lost: a punch is never changed or deleted; corrections add
-- make-up punches or void records that keep the original, with who and why.
CREATE TABLE punch_void (
  employee_id bigint NOT NULL,
  punch_id    bigint NOT NULL,
  at          timestamptz NOT NULL,
  voided_by   bigint NOT NULL REFERENCES employee (employee_id),
  voided_at   timestamptz NOT NULL DEFAULT now(),
  reason      text NOT NULL,
  PRIMARY KEY (employee_id, punch_id),
  FOREIGN KEY (employee_id, punch_id) REFERENCES punch (employee_id, punch_id)
);
COMMENT ON TABLE punch_void IS 'Punches set aside by a correction (att_void_punch): the punch stays in punch, evaluation ignores it.';

CREATE FUNCTION punch_is_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'punches are never changed or deleted'
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Correct with att_make_up_punch or att_void_punch: both keep the original and record who and why.';
END $$;
CREATE TRIGGER punch_is_append_only BEFORE UPDATE OR DELETE ON punch
  FOR EACH ROW EXECUTE FUNCTION punch_is_append_only();

CREATE FUNCTION correction_actor(employee bigint, at timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.att_current_employee();
  day date := @extschema@.att_local_day(employee, at);
BEGIN
  IF actor IS NULL OR NOT @extschema@.att_has_permission(actor, employee, day, 'correct') THEN
    RAISE EXCEPTION 'employee % may not correct % of employee %', coalesce(actor::text, '(none)'), day, employee
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Correcting needs full scope on the day, and an hr assignment once its period is closed.';
  END IF;
  RETURN actor;
END $$;
COMMENT ON FUNCTION correction_actor(bigint, timestamptz) IS 'Internal: the acting employee, if allowed to correct the employee''s day at that instant.';

CREATE FUNCTION att_make_up_punch(employee bigint, at timestamptz, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.correction_actor(employee, at);
  id bigint;
BEGIN
  PERFORM set_config('attendance.reason', reason, true);
  INSERT INTO @extschema@.punch (employee_id, at, source, recorded_by, reason)
  VALUES (employee, at, 'make_up', actor, reason) RETURNING punch_id INTO id;
  RETURN id;
END $$;
COMMENT ON FUNCTION att_make_up_punch(bigint, timestamptz, text) IS
  'Adds a make-up punch (补签) for the employee, recorded with the acting employee and the reason. Needs the correct permission on the day (hr once its period is closed); a change to a closed day is also recorded in correction.';

CREATE FUNCTION att_void_punch(employee bigint, punch bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p record;
  actor bigint;
BEGIN
  SELECT * INTO p FROM @extschema@.punch x WHERE x.employee_id = employee AND x.punch_id = punch;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'employee % has no punch %', employee, punch USING ERRCODE = 'no_data_found';
  END IF;
  actor := @extschema@.correction_actor(employee, p.at);
  PERFORM set_config('attendance.reason', reason, true);
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason) VALUES (employee, punch, p.at, actor, reason);
END $$;
COMMENT ON FUNCTION att_void_punch(bigint, bigint, text) IS
  'Sets a punch aside (it stays in punch, evaluation ignores it), recorded with the acting employee and the reason. Same permission as att_make_up_punch.';

CREATE TRIGGER refresh_on_insert AFTER INSERT ON punch_void REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('at::date AS f, at::date AS l');

SELECT @extschema@.att_enable_scope_policies('@extschema@.day_record');
SELECT @extschema@.att_enable_scope_policies('@extschema@.schedule');

-- Views for BI tools: plain types, stable documented columns; they read
-- day_record with the querying role's privileges, so its scope policy applies.
CREATE VIEW att_daily WITH (security_invoker = true, security_barrier = true) AS
SELECT d.employee_id, e.display_name AS employee_name, d.day, d.rule_name, d.shift, d.day_kind, d.status,
       d.check_in[1] AS first_check_in, d.check_out[array_length(d.check_out, 1)] AS last_check_out,
       d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes,
       d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes,
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
       round(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'holiday') / 60.0, 2) AS overtime_hours_holiday,
       round(sum(d.leave_minutes) / 60.0, 2) AS leave_hours
  FROM @extschema@.att_daily d
  CROSS JOIN LATERAL (
    SELECT @extschema@.att_closing_period(m.org_id, d.day) AS period
      FROM @extschema@.membership m
     WHERE m.employee_id = d.employee_id AND m.period @> d.day AND m.kind = 'primary') p
 GROUP BY d.employee_id, p.period;
COMMENT ON VIEW att_period_summary IS 'Period summary (出勤汇总) per employee and closing period: workdays, days attended, late/early/absence counts and minutes, missing punches, work and overtime hours by category, leave hours.';

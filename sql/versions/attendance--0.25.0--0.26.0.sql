-- Upgrade from 0.25.0 (frozen in attendance--0.25.0.sql) to 0.26.0.
-- - A correction at an instant still to come (a make-up punch after now,
--   the void of a punch stored ahead of its own time) changes none of its
--   days as they show now, so the check of the days it changes saw none:
--   an admin could change a day the admin may only view (a night shift's
--   check-out across a transfer; found by an attack review). It is now
--   checked on the days it will change once its time has come
--   (correction_days_ahead, _att_days_at_instant; on Citus every UTC day
--   around the instant).
-- - The library (not this script) stores a day of several periods with
--   what it will be once over as soon as only its last period is left, so
--   a split shift falls due without a write; days stored before keep
--   their form until their inputs or att_finalize write them again.

CREATE FUNCTION _att_days_at_instant(employee bigint, at timestamptz) RETURNS date[]
LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'att_days_at_instant';

COMMENT ON FUNCTION _att_days_at_instant(bigint, timestamptz) IS 'Internal: the employee''s days that the punches at that instant, still to come, will change once it has come; none for an instant not after now.';

CREATE FUNCTION correction_days_ahead(employee bigint, at timestamptz) RETURNS date[]
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF at IS NULL OR at <= @extschema@.att_now() THEN
    RETURN '{}';
  END IF;
  IF @extschema@._att_distributed() THEN
    RETURN ARRAY(SELECT g.d::date FROM generate_series((at AT TIME ZONE 'UTC')::date - 2, (at AT TIME ZONE 'UTC')::date + 1, interval '1 day') AS g(d));
  END IF;
  RETURN @extschema@._att_days_at_instant(employee, at);
END $$;

COMMENT ON FUNCTION correction_days_ahead(bigint, timestamptz) IS 'Internal: the days a correction at an instant still to come will change once it has come (see _att_days_at_instant; on Citus every UTC day around it); none for an instant not after now.';

CREATE FUNCTION correction_check_listed(actor bigint, employee bigint, days date[]) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(days) AS g(d)
              WHERE @extschema@.att_has_permission(actor, employee, g.d, 'correct', @extschema@.att_today()) IS NOT TRUE) THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
END $$;

COMMENT ON FUNCTION correction_check_listed(bigint, bigint, date[]) IS 'Internal: refuses a correction that will change one of the days given that its actor may not correct.';

CREATE OR REPLACE FUNCTION att_make_up_punch(employee bigint, at timestamptz, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.correction_actor(employee, at);
  before jsonb := @extschema@.correction_days(employee, at);
  id bigint;
  -- the refresh the insert triggers records the reason and judges for the
  -- actor; on Citus it runs on a worker, which a SET LOCAL reaches
  old_reason text := @extschema@._att_set_local('attendance.reason', reason);
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', actor::text);
BEGIN
  INSERT INTO @extschema@.punch (employee_id, at, source, recorded_by, reason)
  VALUES (employee, at, 'make_up', actor, reason) RETURNING punch_id INTO id;
  PERFORM @extschema@._att_set_local('attendance.reason', old_reason);
  PERFORM @extschema@._att_set_local('attendance.acting_employee', old_actor);
  PERFORM @extschema@.correction_check_days(actor, employee, before, @extschema@.correction_days(employee, at));
  PERFORM @extschema@.correction_check_listed(actor, employee, @extschema@.correction_days_ahead(employee, at));
  -- the rule's limits, once the actor may correct every day the punch
  -- changed and those days know which one it serves
  PERFORM @extschema@.make_up_limit_check(employee, at);
  RETURN id;
END $$;

COMMENT ON FUNCTION att_make_up_punch(bigint, timestamptz, text) IS
  'Adds a make-up punch (补签) for the employee, recorded with the acting employee and the reason. Needs the correct permission on every day the punch changes (hr once a period is closed), never on one''s own days; a change to a day of a period that is or was closed is also recorded in correction. Every permission refusal is 42501 (a punch at an instant still to come needs the permission on the days it will change once that instant has come); a punch beyond the rule''s make_up_punch limits (monthly_limit per attendance month, within_days after the day) is refused with 23514.';

CREATE OR REPLACE FUNCTION att_void_punch(employee bigint, punch bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p record;
  actor bigint;
  before jsonb;
  ahead date[];
  old_reason text;
  old_actor text;
BEGIN
  SELECT * INTO p FROM @extschema@.punch x WHERE x.employee_id = employee AND x.punch_id = punch;
  -- a punch that does not exist has no instant, and is refused like one the
  -- actor may not touch
  actor := @extschema@.correction_actor(employee, p.at);
  before := @extschema@.correction_days(employee, p.at);
  -- with the punch still in: the days it will change are those its void will
  ahead := @extschema@.correction_days_ahead(employee, p.at);
  old_reason := @extschema@._att_set_local('attendance.reason', reason);
  old_actor := @extschema@._att_set_local('attendance.acting_employee', actor::text);
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason) VALUES (employee, punch, p.at, actor, reason);
  PERFORM @extschema@._att_set_local('attendance.reason', old_reason);
  PERFORM @extschema@._att_set_local('attendance.acting_employee', old_actor);
  PERFORM @extschema@.correction_check_days(actor, employee, before, @extschema@.correction_days(employee, p.at));
  PERFORM @extschema@.correction_check_listed(actor, employee, ahead);
END $$;

REVOKE EXECUTE ON FUNCTION correction_refused(bigint, bigint), correction_actor(bigint, timestamptz), make_up_limit_check(bigint, timestamptz), make_up_day(bigint, timestamptz),
  correction_days(bigint, timestamptz), correction_check_days(bigint, bigint, jsonb, jsonb),
  _att_days_at_instant(bigint, timestamptz), correction_days_ahead(bigint, timestamptz), correction_check_listed(bigint, bigint, date[]) FROM PUBLIC;



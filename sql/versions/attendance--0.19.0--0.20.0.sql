-- Upgrade from 0.19.0 (frozen in attendance--0.19.0.sql) to 0.20.0 (issue
-- 15, found at work on it): a punch stored before its own time is refused
-- only when it will change a closed day once its time comes. 0.19.0
-- refused it when any UTC day from two before it to one after was closed,
-- so that on the first two days after a month was closed a device whose
-- clock ran a second fast, or a sync whose transaction began before its
-- punches, had every punch refused (42501). The refresh trigger now judges
-- the days such punches will change and hands them to
-- _att_refuse_closed_days; _att_refuse_ahead_closed keeps the window for a
-- library before 0.20.0 and for Citus. tests/upgrade checks that an
-- upgraded database has exactly the objects of a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE FUNCTION _att_refuse_closed_days(employee bigint, days date[], actor bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  closed_day date;
BEGIN
  SELECT g.d INTO closed_day
    FROM unnest(days) WITH ORDINALITY AS g(d, n)
   WHERE g.d IS NOT NULL AND @extschema@.att_day_closed(employee, g.d)
   ORDER BY g.n LIMIT 1;
  IF closed_day IS NULL THEN
    RETURN false;
  END IF;
  IF actor IS NOT NULL
     AND @extschema@.att_has_permission(actor, employee, closed_day, 'correct', @extschema@.att_today()) IS TRUE THEN
    RAISE EXCEPTION 'a punch of employee % stored before its own time reaches closed day %', employee, to_char(closed_day, 'YYYY-MM-DD')
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'A closed day takes a correction once its time has come (att_make_up_punch), judged then; or reopen the period.';
  END IF;
  RAISE EXCEPTION 'a punch of employee % stored before its own time reaches closed day %: change to a closed period refused', employee, to_char(closed_day, 'YYYY-MM-DD')
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission), once the punch''s time has come; or reopen the period.';
END $$;
COMMENT ON FUNCTION _att_refuse_closed_days(bigint, date[], bigint) IS 'Internal: refuses (42501, or 55000 for an actor who may correct the day) punches stored before their own time that will change the days given, naming the first of them that is closed; false when none is.';
REVOKE EXECUTE ON FUNCTION _att_refuse_closed_days(bigint, date[], bigint) FROM PUBLIC;
-- The same over every UTC day from two before the punches' first to one
-- after their last, their own last day first: what a library before
-- 0.20.0 asks, and the refresh on Citus.
CREATE OR REPLACE FUNCTION _att_refuse_ahead_closed(employee bigint, first_day date, last_day date, actor bigint) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN @extschema@._att_refuse_closed_days(employee,
  ARRAY(SELECT g.d::date FROM generate_series(first_day - 2, last_day + 1, interval '1 day') AS g(d)
         ORDER BY abs(g.d::date - last_day), g.d), actor);
COMMENT ON FUNCTION _att_refuse_ahead_closed(bigint, date, date, bigint) IS 'Internal: refuses (42501, or 55000 for an actor who may correct the day) punches stored before their own time whose UTC days, from two before to one after, reach a closed day of the employee; false when none does.';
REVOKE EXECUTE ON FUNCTION _att_refuse_ahead_closed(bigint, date, date, bigint) FROM PUBLIC;

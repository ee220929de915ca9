-- Public scope functions (SPEC.md A). Thin SQL wrappers over the Rust entry
-- points (named _att_*), so that the signatures speak the extension's enums
-- and the planner can inline them.

CREATE FUNCTION att_can_access(admin bigint, employee bigint, day date, as_of date DEFAULT current_date)
RETURNS access_level
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@._att_can_access(admin, employee, day, as_of)::@extschema@.access_level;
COMMENT ON FUNCTION att_can_access(bigint, bigint, date, date) IS
  'Scope level of admin over employee''s work day, judged as of as_of (seed 002): full if on that day the employee belongs to an org the admin manages at as_of; else view if the employee belongs to one at as_of, or on some day of the day''s closing period; else none. An employee always has view on their own days.';

CREATE FUNCTION att_has_permission(admin bigint, employee bigint, day date, permission permission, as_of date DEFAULT current_date)
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@._att_has_permission(admin, employee, day, permission::text, as_of);
COMMENT ON FUNCTION att_has_permission(bigint, bigint, date, permission, date) IS
  'Whether admin holds permission on employee''s day as of as_of: view_timesheet needs view; every action needs full; correct on a day whose closing period is closed for the employee''s org needs full through an hr assignment; correct_after_closing is hr only.';

CREATE FUNCTION att_scope(admin bigint, within daterange, as_of date DEFAULT current_date)
RETURNS TABLE (employee_id bigint, days daterange, level access_level)
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 1000
BEGIN ATOMIC
  SELECT s.employee_id, daterange(s.day_from, s.day_to), s.level::@extschema@.access_level
    FROM @extschema@._att_scope(admin, lower(within), upper(within), as_of) AS s;
END;
COMMENT ON FUNCTION att_scope(bigint, daterange, date) IS
  'Set-returning scope: every employee the admin reaches over the finite range within, as runs of days with one level (view or full), judged as of as_of. Join with "s.employee_id = t.employee_id AND s.days @> t.day" instead of calling att_can_access per row.';

CREATE FUNCTION att_closing_period(org bigint, day date)
RETURNS daterange
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT @extschema@.att_closing_period_for(day, c.closing_day)
    FROM @extschema@.org o JOIN @extschema@.org c ON c.org_id = o.path[1]
   WHERE o.org_id = org;
END;
COMMENT ON FUNCTION att_closing_period(bigint, date) IS
  'The closing period (締め期間) of org''s company that holds day: a calendar month, or the 26th..25th style month when the company has closing_day 25.';
COMMENT ON FUNCTION att_closing_period_for(date, integer) IS
  'The closing period holding day for a company closing on closing_day_of_month (1..28; NULL for calendar months).';

-- Closing acts for someone: an ordinary login (or an application acting for
-- an employee) closes as its own employee and as of today; only a superuser
-- session names another actor or date (data loads, tests, replays).
CREATE FUNCTION att_checked_actor(actor bigint, as_of date) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  me bigint := @extschema@.att_current_employee();
BEGIN
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    IF coalesce(actor, me) IS NULL THEN
      RAISE EXCEPTION 'no actor: pass actor, or set attendance.acting_employee' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN coalesce(actor, me);
  END IF;
  IF me IS NULL THEN
    RAISE EXCEPTION 'login % is not mapped to an employee', session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF actor IS DISTINCT FROM NULL AND actor <> me THEN
    RAISE EXCEPTION 'employee % may act only as itself, not as employee %', me, actor USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF as_of <> current_date THEN
    RAISE EXCEPTION 'as_of must be today (%) for this login', current_date USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN me;
END $$;
COMMENT ON FUNCTION att_checked_actor(bigint, date) IS 'Internal: who a closing acts as.';

CREATE FUNCTION att_close_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._att_lock_closing();
  RETURN @extschema@._att_close_period(org, day, @extschema@.att_checked_actor(actor, as_of), as_of);
END $$;
COMMENT ON FUNCTION att_close_period(bigint, date, bigint, date) IS
  'Closes the closing period holding day for org (and so for every org below it; on a company root this is company closing). The actor is the login''s employee (or the employee a trusted application acts for) and needs an admin or hr assignment on org or an ancestor as of today (SQLSTATE 42501 otherwise); closing a closed period raises 55000. Recorded in closing and closing_event.';

CREATE FUNCTION att_reopen_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._att_lock_closing();
  RETURN @extschema@._att_reopen_period(org, day, @extschema@.att_checked_actor(actor, as_of), as_of);
END $$;
COMMENT ON FUNCTION att_reopen_period(bigint, date, bigint, date) IS
  'Reopens a period closed on org itself (a company closing is reopened on the company). Same actor and permission as closing; recorded in closing_event.';

REVOKE EXECUTE ON FUNCTION _att_close_period(bigint, date, bigint, date), _att_reopen_period(bigint, date, bigint, date) FROM PUBLIC;

COMMENT ON FUNCTION _att_can_access(bigint, bigint, date, date) IS 'Internal: use att_can_access.';
COMMENT ON FUNCTION _att_has_permission(bigint, bigint, date, text, date) IS 'Internal: use att_has_permission.';
COMMENT ON FUNCTION _att_scope(bigint, date, date, date) IS 'Internal: use att_scope.';
COMMENT ON FUNCTION _att_close_period(bigint, date, bigint, date) IS 'Internal: use att_close_period.';
COMMENT ON FUNCTION _att_reopen_period(bigint, date, bigint, date) IS 'Internal: use att_reopen_period.';

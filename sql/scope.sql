-- Public scope functions (SPEC.md A). Thin SQL wrappers over the Rust entry
-- points (named _att_*), so that the signatures speak the extension's enums
-- and the planner can inline them.

CREATE FUNCTION att_can_access(admin bigint, employee bigint, day date, as_of date DEFAULT @extschema@.att_today())
RETURNS access_level
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@._att_can_access(admin, employee, day, as_of)::@extschema@.access_level;
COMMENT ON FUNCTION att_can_access(bigint, bigint, date, date) IS
  'Scope level of admin over employee''s work day, judged as of as_of (seed 002): full if on that day the employee belongs to an org the admin manages at as_of; else view if the employee belongs to one at as_of, or on some day of the day''s closing period; else none. An employee always has view on their own days.';

CREATE FUNCTION att_has_permission(admin bigint, employee bigint, day date, permission permission, as_of date DEFAULT @extschema@.att_today())
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@._att_has_permission(admin, employee, day, permission::text, as_of);
COMMENT ON FUNCTION att_has_permission(bigint, bigint, date, permission, date) IS
  'Whether admin holds permission on employee''s day as of as_of: view_timesheet needs view; every action needs full; correct on a day whose closing period is closed for the employee''s org needs full through an hr assignment; correct_after_closing is hr only.';

CREATE FUNCTION att_scope(admin bigint, within daterange, as_of date DEFAULT @extschema@.att_today())
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
    FROM @extschema@.org_tree t JOIN @extschema@.org c ON c.org_id = t.path[1]
   WHERE t.org_id = org AND t.period @> day;
END;
COMMENT ON FUNCTION att_closing_period(bigint, date) IS
  'The closing period (締め期間) of org''s company that holds day: a calendar month, or the 26th..25th style month when the company has closing_day 25.';
COMMENT ON FUNCTION att_closing_period_for(date, integer) IS
  'The closing period holding day for a company closing on closing_day_of_month (1..28; NULL for calendar months).';

-- Closing acts for someone: an ordinary login (or an application acting for
-- an employee) closes as its own employee and as of today; only a superuser
-- session names another actor or date (data loads, tests, replays). The
-- caller is checked before anything is read or locked, and every refusal is
-- the same 42501, so the answer tells nothing about the org or its periods.
CREATE FUNCTION att_checked_actor(actor bigint, as_of date) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  me bigint := @extschema@.att_current_employee();
BEGIN
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    IF coalesce(actor, me) IS NULL THEN
      RAISE EXCEPTION 'no actor: pass actor, or set attendance.acting_employee' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF as_of IS NULL THEN
      RAISE EXCEPTION 'as_of must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    RETURN coalesce(actor, me);
  END IF;
  IF me IS NULL THEN
    RAISE EXCEPTION 'login % is not mapped to an employee', session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF actor IS DISTINCT FROM NULL AND actor <> me THEN
    RAISE EXCEPTION 'employee % may act only as itself, not as employee %', me, actor USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF as_of IS DISTINCT FROM @extschema@.att_today() THEN
    RAISE EXCEPTION 'as_of must be today for this login' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN me;
END $$;
COMMENT ON FUNCTION att_checked_actor(bigint, date) IS 'Internal: who a closing acts as.';

-- Who may close or reopen: an admin or hr assignment on the org or above it
-- as of as_of; reopening a period someone else closed needs hr (seed 002
-- gives changing closed data to hr alone; an admin may undo their own
-- closing). One message for every refusal.
CREATE FUNCTION closing_actor(org bigint, day date, actor bigint, as_of date, reopen boolean) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  me bigint := @extschema@.att_checked_actor(actor, as_of);
BEGIN
  IF org IS NULL OR day IS NULL OR NOT isfinite(day)
     OR @extschema@.att_manages_org(me, org, as_of) IS NOT TRUE
     OR (reopen AND EXISTS (
           SELECT 1 FROM @extschema@.closing c
            WHERE c.org_id = org AND c.period @> day AND c.closed_by <> me)
         AND NOT EXISTS (
           SELECT 1 FROM @extschema@.admin_grant g JOIN @extschema@.org_tree t ON t.path @> ARRAY[g.org_id]
            WHERE g.admin_id = me AND g.kind = 'hr' AND g.period @> as_of AND t.org_id = org AND t.period @> as_of)) THEN
    RAISE EXCEPTION 'employee % may not close or reopen this period of org %', me, org
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Closing needs an admin or hr assignment on the org or above it as of today; reopening a period closed by someone else needs hr.';
  END IF;
  RETURN me;
END $$;
COMMENT ON FUNCTION closing_actor(bigint, date, bigint, date, boolean) IS 'Internal: who a closing or reopening acts as, once they are allowed.';

-- What a closing needs before it reads anything of the period: a
-- transaction that sees what committed before it took the closing's lock
-- (READ COMMITTED; an older snapshot would check and freeze days and
-- approvals as they were before the lock: a refresh and its withdrawn
-- approvals committed meanwhile would go unseen), and a period that has
-- begun (storing a far future period's days made every later change of
-- the org store every day up to it). Then the period's days are stored,
-- judged from the inputs of now, as att_finalize stores them: with no
-- actor, so no closed day is corrected (even by hr's closing) and a change
-- to a day open to the closing is recorded as no one's (the closer did
-- not make it: an input waiting for att_finalize did, on days the closer
-- may have no scope over, a mover's). Returns the members.
CREATE FUNCTION _att_closing_stored(org bigint, p daterange) RETURNS bigint[]
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  members bigint[];
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'closing a period needs a READ COMMITTED transaction'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'With an older snapshot the check and the closing would miss what committed before the closing''s lock: close outside REPEATABLE READ and SERIALIZABLE.';
  END IF;
  IF lower(p) > @extschema@.att_today() THEN
    RAISE EXCEPTION 'period % of org % has not begun', p, org USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  members := coalesce(@extschema@._att_org_members(org, p), '{}');
  PERFORM @extschema@._att_refresh(members, p, NULL, false, '{}'::date[]);
  RETURN members;
END $$;
COMMENT ON FUNCTION _att_closing_stored(bigint, daterange) IS 'Internal: refuses a closing outside READ COMMITTED (0A000) or of a period not begun (55000), then stores the members'' days of the period with no actor (correcting no closed day), and returns the members (att_close_period, att_close_org).';

-- The closing itself, once the days are stored (and checked): the days not
-- over yet that it closes keep what they will be once over, from the
-- inputs they are closed with, and time alone may still make them that
-- (closed_pending.sql). Kept before the closing is recorded, so that days
-- an earlier closing closed keep what it kept: inputs of now may hold
-- changes they refused. On Citus the workers holding the members keep
-- them (the closing's 'close' job, with the period). Who it covers is
-- recorded, so that whether a day is closed never depends on a later
-- membership.
CREATE FUNCTION _att_close_stored(org bigint, day date, me bigint, as_of date, members bigint[]) RETURNS daterange
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p daterange := @extschema@.att_closing_period(org, day);
  gone bigint[];
  cover_employees bigint[];
  cover_days datemultirange[];
BEGIN
  IF @extschema@._att_on_coordinator() THEN
    PERFORM @extschema@._att_refresh_on_workers(members, p, NULL, false, 'close');
  ELSE
    PERFORM @extschema@._att_keep_open_pending(members, p);
  END IF;
  p := @extschema@._att_close_period(org, day, me, as_of);
  -- Whom it covers is its members (since 0.24.0), each on the days of the
  -- period they belong to the org or below it, by the memberships and tree
  -- it sees, while the org's period is this one (since 0.27.0; a closing
  -- again sees them afresh). Someone an
  -- earlier closing of this org and period covered who is no longer a
  -- member (their membership corrected while the period was reopened) is
  -- covered on no day: as a cover alone, it closed their days again,
  -- unchecked. The cover stays: those days were closed once, and every
  -- change to them is still recorded (att_day_ever_closed). Until 0.27.0
  -- such a person was skipped (closing_exemption) as an unapproved
  -- employee is, which left their days open even once the ERP put them
  -- back in the org (an attack review); now a membership of that day
  -- closes them as it closes everyone's. Read first, then written: on
  -- Citus the covers are distributed.
  SELECT array_agg(x.employee_id ORDER BY x.employee_id), array_agg(x.days ORDER BY x.employee_id)
    INTO cover_employees, cover_days
    FROM (SELECT m.employee_id, range_agg(m.period * t.period * p) AS days
            FROM @extschema@.org_tree t
            JOIN @extschema@.membership m ON m.org_id = t.org_id AND m.period && (t.period * p)
            JOIN @extschema@.org co ON co.org_id = t.path[1]
           WHERE t.path @> ARRAY[org] AND t.period && p AND m.employee_id = ANY (members)
             -- only while the org's period is the one closed: under a
             -- company closing on another day its days have other periods
             -- (a tree row lies in one company, whose periods partition time)
             AND @extschema@.att_closing_period_for(lower(m.period * t.period * p), co.closing_day) = p
           GROUP BY m.employee_id) x;
  -- covered before and on no day now (no longer a member, or a member only
  -- while the org's period was another)
  gone := ARRAY(SELECT v.employee_id FROM @extschema@.closing_cover v
                 WHERE v.org_id = org AND v.period = p AND NOT (v.employee_id = ANY (coalesce(cover_employees, '{}'))));
  INSERT INTO @extschema@.closing_cover AS v (employee_id, org_id, period, days)
  SELECT c.e, org, p, c.d
    FROM unnest(coalesce(cover_employees, '{}') || gone,
                coalesce(cover_days, '{}') || array_fill('{}'::datemultirange, ARRAY[cardinality(gone)])) AS c(e, d)
  ON CONFLICT (employee_id, org_id, period) DO UPDATE SET days = excluded.days;
  RETURN p;
END $$;
COMMENT ON FUNCTION _att_close_stored(bigint, date, bigint, date, bigint[]) IS 'Internal: records the closing of the org''s period holding day once its members'' days are stored, keeping what its days not over yet will become and whom it covers (att_close_period, att_close_org).';
REVOKE EXECUTE ON FUNCTION _att_closing_stored(bigint, daterange), _att_close_stored(bigint, date, bigint, date, bigint[]) FROM PUBLIC;

CREATE FUNCTION att_close_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT @extschema@.att_today())
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  me bigint := @extschema@.closing_actor(org, day, actor, as_of, false);
BEGIN
  -- Closing freezes the figures as they are now: every day of the period is
  -- stored first, so whether a day is closed never depends on a stored row.
  PERFORM @extschema@._att_lock_closing();
  RETURN @extschema@._att_close_stored(org, day, me, as_of,
           @extschema@._att_closing_stored(org, @extschema@.att_closing_period(org, day)));
END $$;
COMMENT ON FUNCTION att_close_period(bigint, date, bigint, date) IS
  'Closes the closing period holding day for org (and so for every org below it; on a company root this is company closing), after storing every day of the period as evaluated now; a day not over yet still becomes final as time passes, judged from the inputs it was closed with (closed_pending). The actor is the login''s employee (or the employee a trusted application acts for) and needs an admin or hr assignment on org or an ancestor as of today (SQLSTATE 42501 otherwise, checked before anything is read); closing a closed period or one not begun raises 55000, closing outside READ COMMITTED 0A000. Days another closing keeps closed stay as they were, even for hr. Recorded in closing and closing_event.';

CREATE FUNCTION att_reopen_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT @extschema@.att_today())
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  me bigint := @extschema@.closing_actor(org, day, actor, as_of, true);
  p daterange;
  covered bigint[];
BEGIN
  PERFORM @extschema@._att_lock_closing();
  p := @extschema@._att_reopen_period(org, day, me, as_of);
  -- what changed while the period was closed (inputs, rules, holidays) now
  -- reaches its days, recorded as corrections by whoever reopened it; days
  -- another closing still keeps closed stay as they were (since 0.24.0).
  -- Whom the closing covered too (since 0.27.0): a membership ended or
  -- moved while the period was closed is skipped for the closed days, and
  -- its employee, no longer a member, kept them as closed after the
  -- reopening, for good (a differential review: a leaving date the ERP
  -- synced during the closing left absent days after it).
  -- (read first: on Citus the covers are distributed, and a query of them
  -- inside the refresh's call would nest one distributed query in another)
  covered := ARRAY(SELECT v.employee_id FROM @extschema@.closing_cover v WHERE v.org_id = org AND v.period = p);
  PERFORM @extschema@._att_refresh(
    ARRAY(SELECT DISTINCT e FROM unnest(coalesce(@extschema@._att_org_members(org, p), '{}') || covered) AS e ORDER BY e),
    p, me, false, '{}'::date[]);
  RETURN p;
END $$;
COMMENT ON FUNCTION att_reopen_period(bigint, date, bigint, date) IS
  'Reopens a period closed on org itself (a company closing is reopened on the company): by an hr assignment on org or above it, or by the admin who closed it. What changed while it was closed is then applied to its days. Days of a period that was ever closed stay recorded: every later change to them is written to correction. Recorded in closing_event.';

REVOKE EXECUTE ON FUNCTION _att_close_period(bigint, date, bigint, date), _att_reopen_period(bigint, date, bigint, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION att_checked_actor(bigint, date), closing_actor(bigint, date, bigint, date, boolean) FROM PUBLIC;

COMMENT ON FUNCTION _att_can_access(bigint, bigint, date, date) IS 'Internal: use att_can_access.';
COMMENT ON FUNCTION _att_has_permission(bigint, bigint, date, text, date) IS 'Internal: use att_has_permission.';
COMMENT ON FUNCTION _att_scope(bigint, date, date, date) IS 'Internal: use att_scope.';
COMMENT ON FUNCTION _att_close_period(bigint, date, bigint, date) IS 'Internal: use att_close_period.';
COMMENT ON FUNCTION _att_reopen_period(bigint, date, bigint, date) IS 'Internal: use att_reopen_period.';

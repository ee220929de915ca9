-- Upgrade from 0.2.0 (frozen in attendance--0.2.0.sql) to 0.3.0: today that
-- no login moves, callers checked first, delegations and corrections judged
-- on every day they reach, closing that stores its days (issue 12); pending
-- days, employment, input changes, time-driven finalisation and the ERP's
-- sync role (issue 11).
-- Drafted with scripts/upgrade-draft.py from the two install scripts, then
-- the table changes by hand; tests/upgrade checks that an upgraded database
-- has exactly the objects of a fresh one.

-- == A correction made by no person (a device punch after a reopening).
ALTER TABLE @extschema@.correction ALTER COLUMN actor DROP NOT NULL;

-- == The ERP's row references and leave types (sync), and voids the ERP made.
ALTER TABLE @extschema@.punch ADD COLUMN source_system text, ADD COLUMN source_ref text,
  ADD COLUMN revision integer NOT NULL DEFAULT 0;
ALTER TABLE @extschema@.excuse ADD COLUMN leave_type text, ADD COLUMN source_system text, ADD COLUMN source_ref text;
ALTER TABLE @extschema@.punch_void ALTER COLUMN voided_by DROP NOT NULL;

CREATE UNIQUE INDEX punch_source_ref_idx ON punch (employee_id, source_system, source_ref, revision) WHERE source_ref IS NOT NULL;

COMMENT ON COLUMN punch.source_system IS 'The system a punch was loaded from (e.g. ''odoo'', ''erpnext''); with source_ref, the ERP''s own row.';

COMMENT ON COLUMN punch.source_ref IS 'The ERP''s row reference (its check-in id or name): unique per employee, source and revision, so reloads never double a punch.';

COMMENT ON COLUMN punch.revision IS '0 for a punch as first loaded; an edit of the ERP row voids the current revision and adds the next (att_sync_punch).';

CREATE UNIQUE INDEX excuse_source_ref_idx ON excuse (employee_id, source_system, source_ref) WHERE source_ref IS NOT NULL;

COMMENT ON COLUMN excuse.leave_type IS 'The ERP''s leave type (e.g. ''Annual Leave'', ''Sick Leave''), for kind leave.';

COMMENT ON COLUMN excuse.source_system IS 'The system an excuse was loaded from; with source_ref, the ERP''s own row.';

COMMENT ON COLUMN excuse.source_ref IS 'The ERP''s row reference (its leave request id or name): unique per employee and source, so reloads and upserts never double an excuse.';

CREATE  FUNCTION "_att_clock"() RETURNS TEXT 
STRICT STABLE PARALLEL SAFE 
LANGUAGE c 
AS 'MODULE_PATHNAME', 'att_clock_wrapper';

CREATE FUNCTION att_now() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(@extschema@._att_clock()::timestamptz, pg_catalog.now());

COMMENT ON FUNCTION att_now() IS
  'The instant the extension treats as now: the transaction''s start, or the superuser-only setting attendance.clock (tests and replays).';

CREATE FUNCTION att_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (@extschema@.att_now() AT TIME ZONE pg_catalog.current_setting('log_timezone'))::date;

COMMENT ON FUNCTION att_today() IS
  'Today as the extension judges it: the date of att_now() in the server''s zone (log_timezone), never the session''s TimeZone. The default as_of of every scope function and the "today" of every check.';

COMMENT ON FUNCTION _att_clock() IS 'Internal: the attendance.clock setting, NULL when unset.';

CREATE OR REPLACE FUNCTION att_can_access(admin bigint, employee bigint, day date, as_of date DEFAULT @extschema@.att_today())
RETURNS access_level
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@._att_can_access(admin, employee, day, as_of)::@extschema@.access_level;

CREATE OR REPLACE FUNCTION att_has_permission(admin bigint, employee bigint, day date, permission permission, as_of date DEFAULT @extschema@.att_today())
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@._att_has_permission(admin, employee, day, permission::text, as_of);

CREATE OR REPLACE FUNCTION att_scope(admin bigint, within daterange, as_of date DEFAULT @extschema@.att_today())
RETURNS TABLE (employee_id bigint, days daterange, level access_level)
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 1000
BEGIN ATOMIC
  SELECT s.employee_id, daterange(s.day_from, s.day_to), s.level::@extschema@.access_level
    FROM @extschema@._att_scope(admin, lower(within), upper(within), as_of) AS s;
END;

CREATE OR REPLACE FUNCTION att_checked_actor(actor bigint, as_of date) RETURNS bigint
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
           SELECT 1 FROM @extschema@.admin_grant g JOIN @extschema@.org o ON o.path @> ARRAY[g.org_id]
            WHERE g.admin_id = me AND g.kind = 'hr' AND g.period @> as_of AND o.org_id = org)) THEN
    RAISE EXCEPTION 'employee % may not close or reopen this period of org %', me, org
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Closing needs an admin or hr assignment on the org or above it as of today; reopening a period closed by someone else needs hr.';
  END IF;
  RETURN me;
END $$;

COMMENT ON FUNCTION closing_actor(bigint, date, bigint, date, boolean) IS 'Internal: who a closing or reopening acts as, once they are allowed.';

CREATE OR REPLACE FUNCTION att_close_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT @extschema@.att_today())
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  me bigint := @extschema@.closing_actor(org, day, actor, as_of, false);
  p daterange := @extschema@.att_closing_period(org, day);
BEGIN
  PERFORM @extschema@._att_lock_closing();
  -- Closing freezes the figures as they are now: every day of the period is
  -- stored first, so whether a day is closed never depends on a stored row.
  PERFORM @extschema@._att_refresh(@extschema@._att_org_members(org, p), p, me, false);
  RETURN @extschema@._att_close_period(org, day, me, as_of);
END $$;

COMMENT ON FUNCTION att_close_period(bigint, date, bigint, date) IS
  'Closes the closing period holding day for org (and so for every org below it; on a company root this is company closing), after storing every day of the period as evaluated now. The actor is the login''s employee (or the employee a trusted application acts for) and needs an admin or hr assignment on org or an ancestor as of today (SQLSTATE 42501 otherwise, checked before anything is read); closing a closed period raises 55000. Recorded in closing and closing_event.';

CREATE OR REPLACE FUNCTION att_reopen_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT @extschema@.att_today())
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  me bigint := @extschema@.closing_actor(org, day, actor, as_of, true);
  p daterange;
BEGIN
  PERFORM @extschema@._att_lock_closing();
  p := @extschema@._att_reopen_period(org, day, me, as_of);
  -- what changed while the period was closed (inputs, rules, holidays) now
  -- reaches its days, recorded as corrections by whoever reopened it
  PERFORM @extschema@._att_refresh(@extschema@._att_org_members(org, p), p, me, false);
  RETURN p;
END $$;

COMMENT ON FUNCTION att_reopen_period(bigint, date, bigint, date) IS
  'Reopens a period closed on org itself (a company closing is reopened on the company): by an hr assignment on org or above it, or by the admin who closed it. What changed while it was closed is then applied to its days. Days of a period that was ever closed stay recorded: every later change to them is written to correction. Recorded in closing_event.';

REVOKE EXECUTE ON FUNCTION att_checked_actor(bigint, date), closing_actor(bigint, date, bigint, date, boolean) FROM PUBLIC;

COMMENT ON TABLE correction IS 'Every change to a day of a period that is or ever was closed: who (the acting employee, who held the correct permission: hr while closed), when, why (the attendance.reason setting), and the day''s result before (null: not stored yet) and after.';

COMMENT ON COLUMN correction.actor IS 'The acting employee; NULL for a change no person made (a device punch or a load arriving after the period was reopened).';

CREATE FUNCTION att_day_ever_closed(employee bigint, day date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (
    SELECT 1
      FROM @extschema@.membership m
      JOIN @extschema@.org o ON o.org_id = m.org_id
      JOIN @extschema@.closing_event c ON c.org_id = ANY (o.path) AND c.period @> day AND c.action = 'close'
     WHERE m.employee_id = employee AND m.period @> day);
END;

COMMENT ON FUNCTION att_day_ever_closed(bigint, date) IS 'Whether the employee''s day lies in a period that was ever closed for one of the orgs they belong to that day (or an org above it), reopened since or not: every change to such a day is recorded in correction.';

CREATE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  frozen integer;
  frozen_employees text;
  closed_in_reach boolean := false;
BEGIN
  IF days IS NULL OR isempty(days) OR lower_inf(days) OR upper_inf(days)
     OR NOT isfinite(lower(days)) OR NOT isfinite(upper(days)) THEN
    RAISE EXCEPTION 'att_refresh needs a finite range of days, got %', days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  PERFORM @extschema@._att_lock_employees(employees);
  -- The usual case, no day in reach of a period that is or was closed: write
  -- what changed and withdraw the approvals of changed days, in one statement.
  IF EXISTS (SELECT 1 FROM @extschema@.closing_event c WHERE c.period && days AND c.action = 'close')
     OR EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.period && days) THEN
    -- One probe per employee through membership's primary key: kept from
    -- being turned into a join (OFFSET 0) and off the GiST index (IS TRUE),
    -- either of which a generic plan would scan whole.
    closed_in_reach := EXISTS (
      SELECT 1 FROM unnest(employees) AS e(id)
       WHERE EXISTS (SELECT 1
                       FROM @extschema@.membership m
                       JOIN @extschema@.org o ON o.org_id = m.org_id
                      WHERE m.employee_id = e.id AND (m.period && days) IS TRUE
                        AND (EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.org_id = ANY (o.path) AND c.period && days)
                             OR EXISTS (SELECT 1 FROM @extschema@.closing_event c
                                         WHERE c.org_id = ANY (o.path) AND c.period && days AND c.action = 'close'))
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
  -- Otherwise judge every change to a day of a closed period.
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
           -- a change to a closed day needs the correct permission (hr after
           -- closing); closing stored every day it froze, so a closed day with
           -- no row (a membership loaded after the closing) is written only
           -- with that permission too, and otherwise left out without
           -- refusing the write that reached it; every change to a day of a
           -- period that was ever closed is recorded
           @extschema@.att_day_closed(c.employee_id, c.day) AS closed_change,
           @extschema@.att_day_ever_closed(c.employee_id, c.day) AS logged_change
      FROM cmp c WHERE NOT c.existed OR c.differs
  ), allowed AS (
    SELECT j.*, NOT j.closed_change
                OR (actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE) AS ok
      FROM judged j
  ), logged AS (
    INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
    SELECT a.employee_id, a.day, actor, nullif(current_setting('attendance.reason', true), ''),
           coalesce(a.before_json, 'null'::jsonb),
           to_jsonb(a) - 'existed' - 'before_json' - 'differs' - 'closed_change' - 'logged_change' - 'ok'
      FROM allowed a WHERE a.logged_change AND a.ok
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
  SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM allowed a WHERE NOT a.ok AND a.existed),
         (SELECT string_agg(DISTINCT a.employee_id::text, ', ') FROM allowed a WHERE NOT a.ok AND a.existed)
    INTO changed, frozen, frozen_employees;
  IF frozen > 0 AND strict THEN
    RAISE EXCEPTION 'change to % day(s) of employee % in a closed period refused', frozen, frozen_employees
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission); or reopen the period.';
  END IF;
  RETURN changed;
END $$;

COMMENT ON FUNCTION _att_refresh(bigint[], daterange, bigint, boolean) IS 'Internal: the refresh behind att_refresh, closing and the triggers; callers check who asks.';

REVOKE EXECUTE ON FUNCTION _att_refresh(bigint[], daterange, bigint, boolean) FROM PUBLIC;

CREATE OR REPLACE FUNCTION att_refresh(employees bigint[], days daterange, strict boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.att_current_employee();
BEGIN
  IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    IF actor IS NULL
       OR days IS NULL OR lower_inf(days) OR upper_inf(days) OR NOT isfinite(lower(days)) OR NOT isfinite(upper(days))
       OR EXISTS (SELECT 1 FROM unnest(employees) AS e(id)
                   WHERE e.id IS DISTINCT FROM actor
                     AND e.id NOT IN (SELECT s.employee_id FROM @extschema@.att_scope(actor, days, @extschema@.att_today()) s
                                       WHERE s.level = 'full')) THEN
      RAISE EXCEPTION 'this login may not refresh these employees'' days'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'A login refreshes its own days and those in its full scope; a superuser refreshes any.';
    END IF;
  END IF;
  RETURN @extschema@._att_refresh(employees, days, actor, strict);
END $$;

COMMENT ON FUNCTION att_refresh(bigint[], daterange, boolean) IS
  'Re-evaluates employees'' days over a finite range into day_record in one pass (in batches, see att_evaluate) and returns how many days changed. A superuser session refreshes anyone; a login refreshes its own days and employees in its full scope on some day of the range (42501 otherwise, before anything is locked). Days in a closed period stay frozen: a change there is written only when the acting employee holds the correct permission (hr after closing); otherwise it is skipped, or refused (42501) when strict. Every change to a day of a period that was ever closed is recorded in correction. Use after a rule change; the triggers on punch, excuse and schedule refresh strictly.';

CREATE FUNCTION _att_org_members(org bigint, days daterange) RETURNS bigint[]
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT array_agg(DISTINCT m.employee_id ORDER BY m.employee_id)
    FROM @extschema@.membership m JOIN @extschema@.org o ON o.org_id = m.org_id
   WHERE o.path @> ARRAY[org] AND m.period && days;
END;

COMMENT ON FUNCTION _att_org_members(bigint, daterange) IS 'Internal: the employees with a membership in the org or below it during the days.';

CREATE OR REPLACE FUNCTION att_refresh_org(org bigint, days daterange) RETURNS integer
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  SELECT coalesce(@extschema@.att_refresh(@extschema@._att_org_members(org, days), days), 0);
END;

CREATE OR REPLACE FUNCTION refresh_changed_days() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
-- Static statements per table (TG_ARGV[0] names the span each trigger
-- refreshes), so their plans are kept; employees in id order, so that
-- concurrent statements take their refresh locks in the same order. A
-- definer function: whoever may write the table may refresh what the write
-- touched, and a change it makes to a closed day is judged for the acting
-- employee.
DECLARE
  actor bigint := @extschema@.att_current_employee();
BEGIN
  IF TG_TABLE_NAME IN ('punch', 'punch_void') THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 2, c.last + 8), actor, true)
         FROM (SELECT employee_id, min(at)::date AS first, max(at)::date AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 2, c.last + 8), actor, true)
         FROM (SELECT employee_id, min(at)::date AS first, max(at)::date AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSIF TG_TABLE_NAME = 'excuse' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 2, c.last + 8), actor, true)
         FROM (SELECT employee_id, min(lower(during))::date AS first, max(upper(during))::date AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 2, c.last + 8), actor, true)
         FROM (SELECT employee_id, min(lower(during))::date AS first, max(upper(during))::date AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSIF TG_TABLE_NAME = 'schedule' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 2, c.last + 8), actor, true)
         FROM (SELECT employee_id, min(day) AS first, max(day) AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 2, c.last + 8), actor, true)
         FROM (SELECT employee_id, min(day) AS first, max(day) AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSE
    RAISE EXCEPTION 'refresh_changed_days is not meant for table %', TG_TABLE_NAME USING ERRCODE = 'feature_not_supported';
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION _att_change_horizon() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 62;

COMMENT ON FUNCTION _att_change_horizon() IS 'Internal: days before today that a change to an input re-evaluates at most (about two closing periods).';

CREATE TABLE refresh_request (
  request_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_id  bigint,
  org_id       bigint,
  days         daterange NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT refresh_request_names_whom CHECK ((employee_id IS NULL) <> (org_id IS NULL))
);

COMMENT ON TABLE refresh_request IS 'Changes to inputs waiting to be re-evaluated by att_finalize(): an employee''s days, or every member of an org (and below) over the days. Written by the extension''s triggers.';

CREATE TABLE finalize_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  through   date NOT NULL,
  ran_at    timestamptz NOT NULL
);

COMMENT ON TABLE finalize_state IS 'The last day att_finalize() has stored for every employee, and when it ran.';

CREATE INDEX day_record_pending_idx ON day_record (day) WHERE status = 'pending';

CREATE FUNCTION _att_drain_requests(ids bigint[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  today date := @extschema@.att_today();
  g record;
  changed integer := 0;
BEGIN
  FOR g IN
    WITH req AS (
      DELETE FROM @extschema@.refresh_request r WHERE ids IS NULL OR r.request_id = ANY (ids) RETURNING r.*
    ), clipped AS (
      SELECT r.employee_id, r.org_id, r.days * daterange(today - @extschema@._att_change_horizon(), NULL) AS days
        FROM req r
    ), targets AS (
      SELECT c.employee_id, c.days FROM clipped c WHERE c.employee_id IS NOT NULL AND NOT isempty(c.days)
      UNION
      SELECT m.employee_id, c.days
        FROM clipped c
        JOIN @extschema@.org o ON o.path @> ARRAY[c.org_id]
        JOIN @extschema@.membership m ON m.org_id = o.org_id AND m.period && c.days
       WHERE c.org_id IS NOT NULL AND NOT isempty(c.days)
    ), reach AS (
      -- ahead: the days a punch's refresh stores, or further where days are
      -- stored already (a schedule set weeks ahead)
      SELECT t.employee_id,
             t.days * daterange(NULL, greatest(today + 9, (SELECT max(d.day) + 1 FROM @extschema@.day_record d
                                                            WHERE d.employee_id = t.employee_id))) AS days
        FROM targets t
    ), spans AS (
      SELECT r.employee_id, daterange(min(lower(r.days)), max(upper(r.days))) AS days
        FROM reach r WHERE NOT isempty(r.days) GROUP BY r.employee_id
    )
    SELECT s.days, array_agg(s.employee_id ORDER BY s.employee_id) AS employees
      FROM spans s GROUP BY s.days ORDER BY s.days
  LOOP
    changed := changed + @extschema@._att_refresh(g.employees, g.days, NULL, false);
  END LOOP;
  RETURN changed;
END $$;

COMMENT ON FUNCTION _att_drain_requests(bigint[]) IS 'Internal: re-evaluates the requested changes (all of them when ids is NULL) and removes them from refresh_request.';

CREATE FUNCTION _att_request(employees bigint[], orgs bigint[], spans daterange[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ids bigint[];
BEGIN
  WITH added AS (
    INSERT INTO @extschema@.refresh_request (employee_id, org_id, days)
    SELECT x.e, x.o, x.d FROM unnest(employees, orgs, spans) AS x(e, o, d)
     WHERE x.d IS NOT NULL AND NOT isempty(x.d) AND (x.e IS NOT NULL OR x.o IS NOT NULL)
    RETURNING request_id, employee_id
  )
  SELECT array_agg(request_id) INTO ids FROM added
  HAVING count(*) FILTER (WHERE employee_id IS NULL) = 0 AND count(DISTINCT employee_id) <= 200;
  IF ids IS NOT NULL THEN
    PERFORM @extschema@._att_drain_requests(ids);
  END IF;
END $$;

COMMENT ON FUNCTION _att_request(bigint[], bigint[], daterange[]) IS 'Internal: records what a change reaches; refreshes it at once when it concerns at most 200 employees and no org.';

CREATE FUNCTION request_changed_inputs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rows_ text := CASE TG_OP WHEN 'INSERT' THEN 'changed_new' WHEN 'DELETE' THEN 'changed_old'
                ELSE '(SELECT * FROM changed_new UNION ALL SELECT * FROM changed_old)' END;
  reach text;
  e bigint[];
  o bigint[];
  d daterange[];
BEGIN
  reach := CASE TG_TABLE_NAME
    -- every stored day of the employee: a first membership (or the last one
    -- gone) turns days outside it from judged into not employed and back
    WHEN 'membership' THEN
      'SELECT x.employee_id, NULL::bigint, daterange(NULL, NULL) FROM %s x'
    WHEN 'rule_person' THEN
      'SELECT x.employee_id, NULL::bigint, coalesce(x.validity, daterange(NULL, NULL)) FROM %s x'
    WHEN 'rule_org' THEN
      'SELECT NULL::bigint, x.org_id, daterange(NULL, NULL) FROM %s x'
    -- everyone the rule applies to, from the version's first day
    WHEN 'rule_version' THEN
      'SELECT NULL::bigint, ro.org_id, daterange(x.valid_from, NULL)
         FROM %1$s x JOIN @extschema@.rule_org ro ON ro.rule_id = x.rule_id
       UNION ALL
       SELECT rp.employee_id, NULL, daterange(x.valid_from, NULL) * coalesce(rp.validity, daterange(NULL, NULL))
         FROM %1$s x JOIN @extschema@.rule_person rp ON rp.rule_id = x.rule_id'
    WHEN 'holiday' THEN
      'SELECT NULL::bigint, x.company_id, daterange(x.day - 2, x.day + 9) FROM %s x'
    -- a move changes whose rule and calendar apply below the org
    WHEN 'org' THEN
      'SELECT NULL::bigint, n.org_id, daterange(NULL, NULL)
         FROM changed_new n JOIN changed_old p ON p.org_id = n.org_id
        WHERE n.parent_id IS DISTINCT FROM p.parent_id'
  END;
  IF reach IS NULL THEN
    RAISE EXCEPTION 'request_changed_inputs is not meant for table %', TG_TABLE_NAME USING ERRCODE = 'feature_not_supported';
  END IF;
  EXECUTE format('SELECT array_agg(t.e), array_agg(t.o), array_agg(t.d) FROM (' || reach || ') AS t(e, o, d)', rows_)
    INTO e, o, d;
  IF e IS NOT NULL THEN
    PERFORM @extschema@._att_request(e, o, d);
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION request_changed_inputs() IS 'Internal trigger: records the employee-days a change to an input reaches and refreshes small changes at once.';

CREATE TRIGGER request_on_insert AFTER INSERT ON membership REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_update AFTER UPDATE ON membership REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_delete AFTER DELETE ON membership REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_insert AFTER INSERT ON rule_person REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_update AFTER UPDATE ON rule_person REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_delete AFTER DELETE ON rule_person REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_insert AFTER INSERT ON rule_org REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_update AFTER UPDATE ON rule_org REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_delete AFTER DELETE ON rule_org REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_insert AFTER INSERT ON rule_version REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_update AFTER UPDATE ON rule_version REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_delete AFTER DELETE ON rule_version REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_insert AFTER INSERT ON holiday REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_update AFTER UPDATE ON holiday REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_delete AFTER DELETE ON holiday REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE TRIGGER request_on_update AFTER UPDATE ON org REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

CREATE FUNCTION att_finalize() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today date := @extschema@.att_today();
  since date;
  everyone bigint[];
  stale record;
  changed integer := 0;
BEGIN
  SELECT s.through + 1 INTO since FROM @extschema@.finalize_state s;
  since := coalesce(since, today - 31);
  IF since <= today THEN
    -- employees who can have days: employed then, or named in a rule
    SELECT array_agg(x.employee_id ORDER BY x.employee_id) INTO everyone FROM (
      SELECT m.employee_id FROM @extschema@.membership m WHERE m.kind = 'primary' AND m.period && daterange(since, today, '[]')
      UNION SELECT p.employee_id FROM @extschema@.rule_person p) x;
    changed := changed + coalesce(@extschema@._att_refresh(everyone, daterange(since, today, '[]'), NULL, false), 0);
  END IF;
  -- days still pending from before: night shifts, days stored ahead by a punch
  SELECT array_agg(DISTINCT d.employee_id ORDER BY d.employee_id) AS employees, min(d.day) AS first
    INTO stale FROM @extschema@.day_record d WHERE d.status = 'pending' AND d.day < since;
  IF stale.employees IS NOT NULL THEN
    changed := changed + @extschema@._att_refresh(stale.employees, daterange(stale.first, since), NULL, false);
  END IF;
  changed := changed + @extschema@._att_drain_requests(NULL);
  INSERT INTO @extschema@.finalize_state AS s (through, ran_at) VALUES (greatest(today, since - 1), @extschema@.att_now())
  ON CONFLICT (singleton) DO UPDATE SET through = excluded.through, ran_at = excluded.ran_at;
  RETURN changed;
END $$;

COMMENT ON FUNCTION att_finalize() IS
  'Brings day_record up to date with time and inputs: stores every day from the last run through today for every employed employee (the first run starts 31 days back), re-judges stored days that were pending, and re-evaluates the changes waiting in refresh_request. Returns how many days changed. Run it on a schedule (README: pg_cron, every few minutes); executable by superusers and roles a DBA grants it to.';

REVOKE EXECUTE ON FUNCTION att_finalize() FROM PUBLIC;

REVOKE EXECUTE ON FUNCTION _att_drain_requests(bigint[]), _att_request(bigint[], bigint[], daterange[]) FROM PUBLIC;

COMMENT ON TABLE punch_void IS 'Punches set aside by a correction (att_void_punch) or by the ERP''s edit or deletion of its row (att_sync_punch, att_sync_punch_delete): the punch stays in punch, evaluation ignores it.';

COMMENT ON COLUMN punch_void.voided_by IS 'The employee who corrected; NULL when the ERP''s sync mirrored an edit or deletion.';

CREATE FUNCTION correction_refused(actor bigint, employee bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'employee % may not correct the days of employee %', coalesce(actor::text, '(none)'), coalesce(employee::text, '(none)')
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Correcting needs full scope on every day the change reaches, and an hr assignment once a period is closed; nobody corrects their own days.';
END $$;

COMMENT ON FUNCTION correction_refused(bigint, bigint) IS 'Internal: the one refusal of every correction.';

CREATE OR REPLACE FUNCTION correction_actor(employee bigint, at timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.att_current_employee();
  day date;
BEGIN
  IF actor IS NULL OR employee IS NULL OR actor = employee OR at IS NULL OR NOT isfinite(at) THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
  day := @extschema@.att_local_day(employee, at);
  IF @extschema@.att_has_permission(actor, employee, day, 'correct', @extschema@.att_today()) IS NOT TRUE THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
  RETURN actor;
END $$;

CREATE FUNCTION correction_days(employee bigint, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(jsonb_object_agg(d.day, to_jsonb(d) - 'evaluated_at'), '{}'::jsonb)
    FROM @extschema@.day_record d
   WHERE d.employee_id = employee AND d.day BETWEEN at::date - 3 AND at::date + 9;
END;

COMMENT ON FUNCTION correction_days(bigint, timestamptz) IS 'Internal: the stored days a correction at that instant can reach, by day.';

CREATE FUNCTION correction_check_days(actor bigint, employee bigint, before jsonb, after jsonb) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM (SELECT jsonb_object_keys(before) UNION SELECT jsonb_object_keys(after)) k(day)
              WHERE before -> k.day IS DISTINCT FROM after -> k.day
                AND @extschema@.att_has_permission(actor, employee, k.day::date, 'correct', @extschema@.att_today()) IS NOT TRUE) THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
END $$;

COMMENT ON FUNCTION correction_check_days(bigint, bigint, jsonb, jsonb) IS 'Internal: refuses a correction that changed a day its actor may not correct.';

CREATE OR REPLACE FUNCTION att_make_up_punch(employee bigint, at timestamptz, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.correction_actor(employee, at);
  before jsonb := @extschema@.correction_days(employee, at);
  id bigint;
BEGIN
  PERFORM set_config('attendance.reason', reason, true);
  INSERT INTO @extschema@.punch (employee_id, at, source, recorded_by, reason)
  VALUES (employee, at, 'make_up', actor, reason) RETURNING punch_id INTO id;
  PERFORM @extschema@.correction_check_days(actor, employee, before, @extschema@.correction_days(employee, at));
  RETURN id;
END $$;

COMMENT ON FUNCTION att_make_up_punch(bigint, timestamptz, text) IS
  'Adds a make-up punch (补签) for the employee, recorded with the acting employee and the reason. Needs the correct permission on every day the punch changes (hr once a period is closed), never on one''s own days; a change to a day of a period that is or was closed is also recorded in correction. Every refusal is 42501.';

CREATE OR REPLACE FUNCTION att_void_punch(employee bigint, punch bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.att_current_employee();
  p record;
  before jsonb;
BEGIN
  SELECT * INTO p FROM @extschema@.punch x WHERE x.employee_id = employee AND x.punch_id = punch;
  -- a punch that does not exist is refused like one the actor may not touch
  IF NOT FOUND OR actor IS NULL OR actor = employee
     OR @extschema@.att_has_permission(actor, employee, @extschema@.att_local_day(employee, p.at), 'correct', @extschema@.att_today()) IS NOT TRUE THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
  before := @extschema@.correction_days(employee, p.at);
  PERFORM set_config('attendance.reason', reason, true);
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason) VALUES (employee, punch, p.at, actor, reason);
  PERFORM @extschema@.correction_check_days(actor, employee, before, @extschema@.correction_days(employee, p.at));
END $$;

COMMENT ON FUNCTION att_void_punch(bigint, bigint, text) IS
  'Sets a punch aside (it stays in punch, evaluation ignores it), recorded with the acting employee and the reason. Same permission as att_make_up_punch; an unknown punch is refused like a forbidden one (42501).';

REVOKE EXECUTE ON FUNCTION correction_refused(bigint, bigint), correction_actor(bigint, timestamptz),
  correction_days(bigint, timestamptz), correction_check_days(bigint, bigint, jsonb, jsonb) FROM PUBLIC;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'attendance_sync') THEN
    CREATE ROLE attendance_sync NOLOGIN;
  END IF;
END $$;

GRANT USAGE ON SCHEMA @extschema@ TO attendance_sync;

GRANT SELECT, INSERT, UPDATE, DELETE ON org, employee, membership, rule_person, rule_org, holiday TO attendance_sync;

GRANT SELECT ON rule TO attendance_sync;

GRANT SELECT, INSERT ON punch TO attendance_sync;

GRANT SELECT, INSERT, UPDATE, DELETE ON excuse TO attendance_sync;

CREATE FUNCTION att_is_sync() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN pg_catalog.pg_has_role(session_user, 'attendance_sync', 'USAGE');

COMMENT ON FUNCTION att_is_sync() IS 'Whether the session''s login holds attendance_sync (the ERP''s sync role).';

CREATE FUNCTION sync_refused() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'only the ERP''s sync role (attendance_sync) mirrors ERP rows' USING ERRCODE = 'insufficient_privilege';
END $$;

COMMENT ON FUNCTION sync_refused() IS 'Internal: the refusal of every sync function.';

CREATE FUNCTION att_sync_punch(employee bigint, source_system text, source_ref text, at timestamptz,
                               lat double precision DEFAULT NULL, lon double precision DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  current record;
  id bigint;
BEGIN
  IF NOT @extschema@.att_is_sync() AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    PERFORM @extschema@.sync_refused();
  END IF;
  IF employee IS NULL OR source_system IS NULL OR source_ref IS NULL OR at IS NULL OR NOT isfinite(at) THEN
    RAISE EXCEPTION 'att_sync_punch needs an employee, a source, a reference and a finite instant' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT p.punch_id, p.at, p.lat, p.lon, p.revision, v.punch_id IS NOT NULL AS voided INTO current
    FROM @extschema@.punch p LEFT JOIN @extschema@.punch_void v USING (employee_id, punch_id)
   WHERE p.employee_id = employee AND p.source_system = source_system AND p.source_ref = source_ref
   ORDER BY p.revision DESC LIMIT 1;
  IF FOUND AND NOT current.voided AND (current.at, current.lat, current.lon) IS NOT DISTINCT FROM (at, lat, lon) THEN
    RETURN current.punch_id;  -- already mirrored: a reload changes nothing
  END IF;
  IF FOUND AND NOT current.voided THEN
    INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason)
    VALUES (employee, current.punch_id, current.at, NULL, 'replaced: the ERP changed its row ' || source_ref);
  END IF;
  INSERT INTO @extschema@.punch (employee_id, at, lat, lon, source_system, source_ref, revision)
  VALUES (employee, at, lat, lon, source_system, source_ref, CASE WHEN FOUND THEN current.revision + 1 ELSE 0 END)
  RETURNING punch_id INTO id;
  RETURN id;
END $$;

COMMENT ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision) IS
  'Mirrors the ERP''s check-in row (source_system, source_ref): the first load adds the punch; a reload of the same values changes nothing; an edit voids the current revision (recorded in punch_void, reason and no person) and adds the next. For the sync role (attendance_sync) and superusers; a change that reaches a closed day is refused (42501) and leaves nothing behind.';

CREATE FUNCTION att_sync_punch_delete(employee bigint, source_system text, source_ref text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  current record;
BEGIN
  IF NOT @extschema@.att_is_sync() AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    PERFORM @extschema@.sync_refused();
  END IF;
  SELECT p.punch_id, p.at INTO current
    FROM @extschema@.punch p
   WHERE p.employee_id = employee AND p.source_system = source_system AND p.source_ref = source_ref
     AND NOT EXISTS (SELECT 1 FROM @extschema@.punch_void v WHERE v.employee_id = p.employee_id AND v.punch_id = p.punch_id)
   ORDER BY p.revision DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN false;  -- nothing mirrored, or already deleted: a repeated delete changes nothing
  END IF;
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason)
  VALUES (employee, current.punch_id, current.at, NULL, 'deleted: the ERP removed its row ' || source_ref);
  RETURN true;
END $$;

COMMENT ON FUNCTION att_sync_punch_delete(bigint, text, text) IS
  'Mirrors the deletion of the ERP''s check-in row: the punch is voided (kept, recorded with the reason). Returns false when there was nothing to void. For the sync role and superusers.';

REVOKE EXECUTE ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision),
  att_sync_punch_delete(bigint, text, text), sync_refused() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision),
  att_sync_punch_delete(bigint, text, text) TO attendance_sync;

COMMENT ON COLUMN att_daily.status IS 'normal, late, early, late_and_early, missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule; pending: a shift period has not ended yet (nothing missing, early or absent until it has); not_employed: no primary membership that day (not a workday).';

COMMENT ON COLUMN att_daily.day_kind IS 'workday, rest, holiday, make_up_workday; NULL when no rule applies or the employee is not employed that day (never a workday).';

CREATE OR REPLACE VIEW att_anomalies WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, status, late_minutes, early_minutes, absent_minutes, outside_punches, reasons
  FROM @extschema@.att_daily
 WHERE status IN ('late', 'early', 'late_and_early', 'missing_check_in', 'missing_check_out', 'no_punch', 'absent', 'no_rule')
    OR outside_punches > 0;

COMMENT ON VIEW att_anomalies IS 'Anomalies (异常考勤): late, early, missing punches, absences, punches outside the allowed locations, and days that could not be judged because no rule applies (no_rule). Pending and not-employed days are no anomaly.';

CREATE FUNCTION full_over(actor bigint, employee bigint, period daterange) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(range_agg(m.period) @> full_over.period, false)
    FROM @extschema@.membership m
    JOIN @extschema@.org o ON o.org_id = m.org_id
   WHERE m.employee_id = employee
     AND EXISTS (SELECT 1 FROM @extschema@.admin_grant g
                  WHERE g.admin_id = actor AND g.period @> @extschema@.att_today() AND o.path @> ARRAY[g.org_id]);
END;

COMMENT ON FUNCTION full_over(bigint, bigint, daterange) IS 'Internal: whether the actor has full scope over the employee on every day of the period.';

CREATE OR REPLACE FUNCTION is_approver(actor bigint, employee bigint, day date) RETURNS boolean
LANGUAGE sql STABLE STRICT
BEGIN ATOMIC
  SELECT EXISTS (SELECT 1 FROM @extschema@.approver a
                  WHERE a.employee_id = employee AND a.approver_id = actor AND a.period @> day
                    AND @extschema@.att_has_permission(a.set_by, employee, day, 'set_approver', day));
END;

CREATE OR REPLACE FUNCTION att_set_approver(employee bigint, approver bigint, period daterange) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
BEGIN
  IF employee IS NULL OR approver IS NULL OR period IS NULL OR isempty(period) OR lower_inf(period)
     OR NOT @extschema@.full_over(actor, employee, period) THEN
    PERFORM @extschema@.refuse(format('employee %s may not set the approver of employee %s for %s', actor, employee, period));
  END IF;
  -- the new entry replaces, for its period, whatever entries overlap it
  WITH old AS (
    DELETE FROM @extschema@.approver a WHERE a.employee_id = employee AND a.period && period
    RETURNING a.approver_id, a.period, a.set_by, a.set_at
  )
  INSERT INTO @extschema@.approver (employee_id, approver_id, period, set_by, set_at)
  SELECT employee, o.approver_id, v.piece, o.set_by, o.set_at
    FROM old o,
         LATERAL (VALUES (o.period * daterange(NULL, lower(period))),
                         (CASE WHEN upper_inf(period) THEN 'empty'::daterange
                               ELSE o.period * daterange(upper(period), NULL) END)) AS v(piece)
   WHERE NOT isempty(v.piece);
  INSERT INTO @extschema@.approver (employee_id, approver_id, period, set_by) VALUES (employee, approver, period, actor);
END $$;

COMMENT ON FUNCTION att_set_approver(bigint, bigint, daterange) IS 'Sets the approver of an employee for a period, replacing for that period any approver set before; needs full scope (the set_approver permission) over the employee on every day of the period, open-ended periods included (42501 otherwise). The approver acts on a day only while whoever set the entry had full scope on it.';

CREATE OR REPLACE FUNCTION att_set_proxy(employee bigint, proxy bigint, period daterange) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
BEGIN
  IF employee IS NULL OR proxy IS NULL OR period IS NULL OR isempty(period) OR lower_inf(period)
     OR NOT @extschema@.full_over(actor, employee, period) THEN
    PERFORM @extschema@.refuse(format('employee %s may not set a proxy of employee %s for %s', actor, employee, period));
  END IF;
  INSERT INTO @extschema@.proxy (employee_id, proxy_id, period, set_by) VALUES (employee, proxy, period, actor);
END $$;

COMMENT ON FUNCTION att_set_proxy(bigint, bigint, daterange) IS 'Sets a proxy who may act for the employee during the period; needs full scope (the set_proxy permission) over the employee on every day of the period (42501 otherwise). The proxy acts for a timesheet only while whoever set the entry had full scope on its day.';

CREATE OR REPLACE FUNCTION att_approve_day(employee bigint, day date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
  record_json jsonb;
  id bigint;
BEGIN
  -- nobody approves their own days (seed 002 is silent; separation of duties)
  IF employee IS NULL OR day IS NULL OR actor = employee
     OR NOT (@extschema@.is_approver(actor, employee, day) IS TRUE
             OR @extschema@.att_has_permission(actor, employee, day, 'daily_approval', @extschema@.att_today()) IS TRUE) THEN
    PERFORM @extschema@.refuse(format('employee %s may not approve this day of employee %s', actor, employee));
  END IF;
  -- the figures approved are those no refresh in flight is about to replace
  PERFORM @extschema@._att_lock_employees(ARRAY[employee]);
  SELECT to_jsonb(d) - 'evaluated_at' INTO record_json FROM @extschema@.day_record d WHERE d.employee_id = employee AND d.day = day;
  IF record_json IS NULL THEN
    RAISE EXCEPTION 'day % of employee % has not been evaluated', day, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  UPDATE @extschema@.day_approval a SET withdrawn_at = now()
   WHERE a.employee_id = employee AND a.day = day AND a.withdrawn_at IS NULL;
  INSERT INTO @extschema@.day_approval (employee_id, day, approved_by, figures)
  VALUES (employee, day, actor, record_json) RETURNING approval_id INTO id;
  RETURN id;
END $$;

COMMENT ON FUNCTION att_approve_day(bigint, date) IS 'Approves an employee-day''s planned and actual work (日次承認) with the figures evaluated for it; by the employee''s approver, or an admin with full scope on the day (view scope is refused), never by the employee themselves (42501).';

CREATE OR REPLACE FUNCTION timesheet_step(employee bigint, day date, action text, reason text DEFAULT NULL) RETURNS daterange
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
  org bigint;
  p daterange;
  current_state @extschema@.timesheet_state;
  allowed boolean;
BEGIN
  -- Who asks is decided before anything about the employee is read, and
  -- every refusal is the same: no answer tells employment dates or states.
  IF action = 'submit' THEN
    allowed := actor = employee
               OR EXISTS (SELECT 1 FROM @extschema@.proxy x
                           WHERE x.employee_id = employee AND x.proxy_id = actor AND x.period @> @extschema@.att_today()
                             AND @extschema@.att_has_permission(x.set_by, employee, day, 'set_proxy', day) IS TRUE);
  ELSE
    allowed := actor <> employee
               AND (@extschema@.is_approver(actor, employee, day) IS TRUE
                    OR @extschema@.att_has_permission(actor, employee, day, CASE action WHEN 'approve' THEN 'daily_approval' ELSE 'send_back' END::@extschema@.permission, @extschema@.att_today()) IS TRUE);
  END IF;
  IF allowed IS NOT TRUE THEN
    PERFORM @extschema@.refuse(format('employee %s may not %s the timesheet of employee %s', actor, replace(action, '_', ' '), employee));
  END IF;
  SELECT m.org_id INTO org FROM @extschema@.membership m
   WHERE m.employee_id = employee AND m.period @> day ORDER BY m.kind LIMIT 1;
  IF org IS NULL THEN
    RAISE EXCEPTION 'employee % has no membership on %', employee, day USING ERRCODE = 'no_data_found';
  END IF;
  p := @extschema@.att_closing_period(org, day);
  SELECT t.state INTO current_state FROM @extschema@.timesheet t WHERE t.employee_id = employee AND t.period = p;
  IF action = 'submit' AND current_state IN ('submitted', 'approved') THEN
    RAISE EXCEPTION 'the timesheet % of employee % is already %', p, employee, current_state USING ERRCODE = 'object_not_in_prerequisite_state';
  ELSIF action <> 'submit' AND current_state IS DISTINCT FROM 'submitted' THEN
    RAISE EXCEPTION 'the timesheet % of employee % is not submitted', p, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  INSERT INTO @extschema@.timesheet AS t (employee_id, period, state)
  VALUES (employee, p, CASE action WHEN 'submit' THEN 'submitted' WHEN 'approve' THEN 'approved' ELSE 'sent_back' END::@extschema@.timesheet_state)
  ON CONFLICT (employee_id, period) DO UPDATE SET state = excluded.state, changed_at = now();
  INSERT INTO @extschema@.timesheet_event (employee_id, period, action, actor, reason) VALUES (employee, p, action, actor, reason);
  RETURN p;
END $$;

COMMENT ON FUNCTION att_submit_timesheet(bigint, date) IS 'Submits (提出) the employee''s timesheet of the closing period holding day; by the employee, or a proxy whose period holds today and whose setter had full scope on day. A sent-back timesheet is resubmitted the same way. Anyone else gets 42501, before anything about the employee is read.';

COMMENT ON FUNCTION att_approve_timesheet(bigint, date) IS 'Approves a submitted timesheet; by the approver or an admin with full scope on day, never by the employee themselves (42501, before anything about the employee is read).';

CREATE OR REPLACE FUNCTION att_close_org(org bigint, day date, unapproved text DEFAULT 'report')
RETURNS TABLE (employee_id bigint, problem text, outcome text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  -- the caller first: nothing is read or locked for a login that may not close
  me bigint := @extschema@.closing_actor(org, day, NULL, @extschema@.att_today(), false);
  p daterange := @extschema@.att_closing_period(org, day);
  -- kept in a variable, not a temp table: a caller's own temp table of the
  -- same name (with a trigger) must never run inside this definer function
  blockers jsonb;
BEGIN
  IF unapproved NOT IN ('report', 'skip') THEN
    RAISE EXCEPTION 'unapproved must be report or skip, got %', unapproved USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- no refresh may withdraw an approval between this check and the closing
  PERFORM @extschema@._att_lock_closing();
  SELECT coalesce(jsonb_agg(jsonb_build_object('employee_id', b.employee_id, 'problem', b.problem) ORDER BY b.employee_id), '[]')
    INTO blockers
    FROM (SELECT m.employee_id,
                 concat_ws('; ',
                   CASE WHEN t.state IS DISTINCT FROM 'approved' THEN 'timesheet ' || coalesce(t.state::text, 'not submitted') END,
                   CASE WHEN u.days > 0 THEN u.days || ' workday(s) not approved' END) AS problem
            FROM (SELECT DISTINCT m.employee_id FROM @extschema@.membership m JOIN @extschema@.org o ON o.org_id = m.org_id
                   WHERE o.path @> ARRAY[org] AND m.period && p) m
            LEFT JOIN @extschema@.timesheet t ON t.employee_id = m.employee_id AND t.period = p
            CROSS JOIN LATERAL (
              SELECT count(*) AS days FROM @extschema@.day_record d
               WHERE d.employee_id = m.employee_id AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')
                 AND NOT EXISTS (SELECT 1 FROM @extschema@.day_approval a
                                  WHERE a.employee_id = d.employee_id AND a.day = d.day AND a.withdrawn_at IS NULL)) u
           WHERE t.state IS DISTINCT FROM 'approved' OR u.days > 0) b;
  IF jsonb_array_length(blockers) > 0 AND unapproved = 'report' THEN
    RETURN QUERY SELECT b.employee_id, b.problem, 'not closed'::text
                   FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
    RETURN;
  END IF;
  PERFORM @extschema@.att_close_period(org, day, me);
  INSERT INTO @extschema@.closing_exemption (org_id, period, employee_id)
  SELECT org, p, b.employee_id FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
  RETURN QUERY SELECT b.employee_id, b.problem, 'skipped: days stay open'::text
                 FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
END $$;

CREATE OR REPLACE FUNCTION rule_owner_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint;
  today date;
  entry record;
  owner bigint;
BEGIN
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
     -- the ERP's sync role assigns rules as the ERP does (SPEC.md E); it owns no rule
     OR (TG_TABLE_NAME IN ('rule_person', 'rule_org') AND @extschema@.att_is_sync()) THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  actor := @extschema@.att_current_employee();
  today := @extschema@.att_today();
  FOR entry IN SELECT * FROM (SELECT 'old' AS side, to_jsonb(OLD) AS row WHERE TG_OP <> 'INSERT'
                          UNION ALL SELECT 'new', to_jsonb(NEW) WHERE TG_OP <> 'DELETE') x LOOP
    IF TG_TABLE_NAME = 'rule' THEN
      owner := (entry.row ->> 'owner_org')::bigint;
    ELSE
      SELECT ru.owner_org INTO owner FROM @extschema@.rule ru WHERE ru.rule_id = (entry.row ->> 'rule_id')::bigint;
    END IF;
    IF owner IS NULL OR actor IS NULL OR @extschema@.att_manages_org(actor, owner, today) IS NOT TRUE
       OR (TG_TABLE_NAME = 'rule_org' AND @extschema@.att_manages_org(actor, (entry.row ->> 'org_id')::bigint, today) IS NOT TRUE)
       OR (TG_TABLE_NAME = 'rule_person' AND NOT @extschema@.full_over(actor, (entry.row ->> 'employee_id')::bigint,
                                                   coalesce((entry.row ->> 'validity')::daterange, daterange(today, NULL)))) THEN
      PERFORM @extschema@.refuse(format('rule %s: only admins whose scope covers its owning org, and the people and orgs it is given to, may change or assign it',
                                        coalesce(entry.row ->> 'rule_id', '(new)')));
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

REVOKE EXECUTE ON FUNCTION full_over(bigint, bigint, daterange) FROM PUBLIC;


-- == New tables keep their rows in pg_dump, as every table does.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.finalize_state', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.refresh_request', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.refresh_request_request_id_seq', '');

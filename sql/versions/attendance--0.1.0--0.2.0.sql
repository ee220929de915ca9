-- Upgrade from 0.1.0 (the first release, frozen in attendance--0.1.0.sql) to
-- 0.2.0. Every change to sql/ since 0.1.0 is repeated here; tests/upgrade
-- checks that an upgraded database has exactly the objects of a fresh one.

-- == Punches: the evaluation scan is index-only.
DROP INDEX @extschema@.punch_employee_at_idx;
-- Evaluation reads punches by employee and time with an index-only scan:
-- the index carries every column it needs.
CREATE INDEX punch_employee_at_idx ON punch (employee_id, at) INCLUDE (punch_id, lat, lon, source);

-- == Batch evaluation and the cached per-day function.
CREATE FUNCTION _att_evaluate_batch(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_batch';

CREATE FUNCTION _att_evaluate_day(employee bigint, day date) RETURNS day_result
STABLE STRICT PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_day';

CREATE FUNCTION att_evaluate(employees bigint[], days daterange)
RETURNS SETOF day_result
-- a low estimate on purpose: joined to day_record, index probes per row stay
-- right for a whole company, while a hash join over all of day_record would
-- cost a single employee's refresh a full scan
LANGUAGE sql STABLE PARALLEL SAFE ROWS 31
BEGIN ATOMIC
  -- Batches of 256 employees in id order: each batch is loaded with one
  -- query per table (the punches in one ordered scan) and evaluated in Rust,
  -- so memory is bounded by the batch, not by the company. Not STRICT, so
  -- that the planner inlines it into the calling query.
  SELECT r.*
    FROM (SELECT array_agg(e.id ORDER BY e.id) AS ids
            FROM (SELECT u.id, (row_number() OVER (ORDER BY u.id) - 1) / 256 AS batch
                    FROM (SELECT DISTINCT x AS id FROM unnest(employees) AS x WHERE x IS NOT NULL) u) e
           GROUP BY e.batch) b,
         LATERAL @extschema@._att_evaluate_batch(b.ids, lower(days), upper(days) - 1) r;
END;
COMMENT ON FUNCTION att_evaluate(bigint[], daterange) IS
  'Evaluates many employees'' days over a finite date range in batches: the rows of 256 employees at a time are loaded with one query per table and judged in one pass. The fast way to evaluate a whole org or company; rows come batch by batch.';

CREATE FUNCTION att_evaluate_all(days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
  SELECT r.*
    FROM (SELECT array_agg(e.employee_id ORDER BY e.employee_id) AS ids
            FROM (SELECT employee_id, (row_number() OVER (ORDER BY employee_id) - 1) / 256 AS batch
                    FROM @extschema@.employee) e
           GROUP BY e.batch) b,
         LATERAL @extschema@._att_evaluate_batch(b.ids, lower(days), upper(days) - 1) r;
END;
COMMENT ON FUNCTION att_evaluate_all(daterange) IS
  'Evaluates every employee''s days over a finite date range, as att_evaluate(bigint[], daterange) over all employees.';

CREATE OR REPLACE FUNCTION att_evaluate_day(employee bigint, day date)
RETURNS day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE
-- a plain expression, so the planner inlines it and the engine's per-query
-- cache belongs to the caller's query
RETURN @extschema@._att_evaluate_day(employee, day);
COMMENT ON FUNCTION _att_evaluate_batch(bigint[], date, date) IS 'Internal: use att_evaluate(bigint[], daterange) or att_evaluate_all.';
COMMENT ON FUNCTION _att_evaluate_day(bigint, date) IS 'Internal: use att_evaluate_day.';

-- == Refreshes, approvals and closings of the same employees are serialised.
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

CREATE OR REPLACE FUNCTION att_refresh(employee bigint, days daterange, strict boolean DEFAULT false) RETURNS integer
LANGUAGE sql VOLATILE
BEGIN ATOMIC
  SELECT @extschema@.att_refresh(ARRAY[employee], days, strict);
END;
COMMENT ON FUNCTION att_refresh(bigint, daterange, boolean) IS 'att_refresh for one employee.';

CREATE OR REPLACE FUNCTION att_refresh_org(org bigint, days daterange) RETURNS integer
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  SELECT coalesce(@extschema@.att_refresh(array_agg(DISTINCT m.employee_id), days), 0)
    FROM @extschema@.membership m JOIN @extschema@.org o ON o.org_id = m.org_id
   WHERE o.path @> ARRAY[org] AND m.period && days;
END;
COMMENT ON FUNCTION att_refresh_org(bigint, daterange) IS 'att_refresh for every employee with a membership in the org or below it during the range, in one pass.';

CREATE OR REPLACE FUNCTION refresh_changed_days() RETURNS trigger
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

CREATE OR REPLACE FUNCTION att_close_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._att_lock_closing();
  RETURN @extschema@._att_close_period(org, day, @extschema@.att_checked_actor(actor, as_of), as_of);
END $$;
COMMENT ON FUNCTION att_close_period(bigint, date, bigint, date) IS
  'Closes the closing period holding day for org (and so for every org below it; on a company root this is company closing). The actor is the login''s employee (or the employee a trusted application acts for) and needs an admin or hr assignment on org or an ancestor as of today (SQLSTATE 42501 otherwise); closing a closed period raises 55000. Recorded in closing and closing_event.';

CREATE OR REPLACE FUNCTION att_reopen_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._att_lock_closing();
  RETURN @extschema@._att_reopen_period(org, day, @extschema@.att_checked_actor(actor, as_of), as_of);
END $$;
COMMENT ON FUNCTION att_reopen_period(bigint, date, bigint, date) IS
  'Reopens a period closed on org itself (a company closing is reopened on the company). Same actor and permission as closing; recorded in closing_event.';

CREATE OR REPLACE FUNCTION att_approve_day(employee bigint, day date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
  record_json jsonb;
  id bigint;
BEGIN
  IF NOT (@extschema@.is_approver(actor, employee, day)
          OR @extschema@.att_has_permission(actor, employee, day, 'daily_approval')) THEN
    PERFORM @extschema@.refuse(format('employee %s may not approve %s of employee %s', actor, day, employee));
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
COMMENT ON FUNCTION att_approve_day(bigint, date) IS 'Approves an employee-day''s planned and actual work (日次承認) with the figures evaluated for it; by the employee''s approver, or an admin with full scope on the day (view scope is refused).';

CREATE OR REPLACE FUNCTION att_close_org(org bigint, day date, unapproved text DEFAULT 'report')
RETURNS TABLE (employee_id bigint, problem text, outcome text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
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
  PERFORM @extschema@.att_close_period(org, day);
  INSERT INTO @extschema@.closing_exemption (org_id, period, employee_id)
  SELECT org, p, b.employee_id FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
  RETURN QUERY SELECT b.employee_id, b.problem, 'skipped: days stay open'::text
                 FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
END $$;
COMMENT ON FUNCTION att_close_org(bigint, date, text) IS
  'Closes (締め処理) the org''s closing period holding day, as att_close_period, after checking every employee in it: unapproved = ''report'' lists those whose timesheet is not approved or whose workdays are not all approved and closes nothing while there are any; ''skip'' closes and leaves those employees'' days open (closing_exemption). On the company root this is company closing.';

-- == att_can_view is an invoker function (cheap per row); the scope it reads
-- comes from _att_view_scope, the definer part.
CREATE FUNCTION "_att_view_scope"() RETURNS TABLE (
	"employee_ids" bigint[],
	"from_days" date[],
	"until_days" date[]
)
STRICT STABLE SECURITY DEFINER PARALLEL SAFE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'att_view_scope_wrapper';
CREATE OR REPLACE FUNCTION "att_can_view"("employee" bigint, "day" date) RETURNS bool
STABLE PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_can_view_wrapper';
COMMENT ON FUNCTION _att_view_scope() IS 'Internal: the acting employee''s visible spans as parallel arrays, read once per query by att_can_view.';

-- == att_manages_org is internal to the definer checks.
REVOKE EXECUTE ON FUNCTION att_manages_org(bigint, bigint, date) FROM PUBLIC;

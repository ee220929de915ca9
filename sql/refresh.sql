-- Keeping day_record current (SPEC.md C): who may refresh, the locks that
-- serialise refreshes, the one-pass refresh that guards closed days, and the
-- statement triggers that refresh what a write touched.

-- Concurrency: a refresh evaluates with its statement's snapshot, so two
-- transactions refreshing one employee could each miss the other's punch and
-- the later upsert would write a stale day. Refreshes and approvals of an
-- employee therefore take a lock held until commit before they read; the
-- statement after it sees every earlier refresh. Employees share 256
-- buckets (a company-wide refresh holds at most 256 locks), always taken in
-- bucket order, after a gate every refresh shares and a closing holds
-- exclusively: a closing waits for refreshes in flight and new ones queue
-- behind it (the lock manager is fair). The locks are the lock manager's,
-- under tags of the extension's own that no SQL function can take
-- (src/locks.rs), so no login can take or hold them; they show in pg_locks
-- as advisory locks with objsubid 24948.
-- Returns true, so that PL/pgSQL calls it as an expression (a PERFORM is a
-- statement of its own, with an executor's start and end).
CREATE FUNCTION _att_lock_refreshes(employees bigint[], closing boolean) RETURNS boolean
LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'att_lock_refreshes';
COMMENT ON FUNCTION _att_lock_refreshes(bigint[], boolean) IS 'Internal: on one node, the gate shared and the employees'' buckets until commit, or with closing the gate alone, exclusively (see _att_lock_employees).';

CREATE FUNCTION _att_lock_employees(employees bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  -- On Citus an employee is refreshed on the worker holding it, so its lock
  -- is taken there (refresh_job; citus.sql), in statements with custom plans
  -- (Citus routes by the parameters' values; the SET clause takes this back).
  IF @extschema@._att_distributed() THEN
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  END IF;
  IF @extschema@._att_on_coordinator() THEN
    PERFORM @extschema@._att_refresh_on_workers(employees, 'empty', NULL, false, 'lock');
    RETURN;
  ELSIF @extschema@._att_distributed() THEN
    PERFORM @extschema@._att_lock_on_shards(employees, false);
    RETURN;
  END IF;
  PERFORM @extschema@._att_lock_refreshes(employees, false);
END $$;
COMMENT ON FUNCTION _att_lock_employees(bigint[]) IS 'Internal: locks the employees'' refresh buckets until commit (see _att_lock_refreshes).';

CREATE FUNCTION _att_lock_closing() RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._att_lock_refreshes(NULL, true);
  IF @extschema@._att_on_coordinator() THEN
    -- on Citus the workers' refreshes wait for it shard by shard
    PERFORM @extschema@._att_refresh_on_workers(@extschema@._att_shard_representatives(), 'empty', NULL, false, 'close');
  END IF;
END $$;
COMMENT ON FUNCTION _att_lock_closing() IS 'Internal: waits for refreshes in flight and holds new ones until commit (see _att_lock_refreshes).';
REVOKE EXECUTE ON FUNCTION _att_lock_refreshes(bigint[], boolean), _att_lock_employees(bigint[]), _att_lock_closing() FROM PUBLIC;

-- The write of the days a refresh found changed, in hand (few): a punch's
-- refresh (refresh_changed_days) and a small one of _att_refresh (through
-- _att_store_days). One upsert from the array and nothing else in its plan:
-- a choice between this and the stream of batches below kept the other
-- source's scan in the generic plan, started and never run. The approvals
-- of the days written are withdrawn by a statement of its own, run only
-- when the caller did not rule out a standing approval in reach (most
-- days have none; the trigger looks under the employee's refresh lock,
-- which an approval takes too). Returns how many days were written.
CREATE FUNCTION _att_store_few(few day_result[], approvals boolean) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  at_now timestamptz := now();
  written_employees bigint[];
  written_days date[];
BEGIN
  IF @extschema@._att_distributed() THEN
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  END IF;
  -- the upsert keeps its own check for rows that changed under it
  WITH written AS (
    INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
    SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown
      FROM unnest(few) f
    ON CONFLICT (employee_id, day) DO UPDATE
      SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = at_now
      WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes, d.due_at, d.shown)
            IS DISTINCT FROM
            (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons, excluded.org_id, excluded.company_id, excluded.period_start, excluded.time_zone, excluded.scheduled_start, excluded.scheduled_end, excluded.leave_type, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.check_in_place, excluded.check_out_place, excluded.attended_minutes, excluded.due_at, excluded.shown)
    RETURNING d.employee_id, d.day
  )
  SELECT count(*), array_agg(w.employee_id), array_agg(w.day) INTO changed, written_employees, written_days FROM written w;
  IF changed > 0 AND approvals IS NOT FALSE THEN
    UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
      FROM unnest(written_employees, written_days) AS w(employee_id, day)
     WHERE a.employee_id = ANY (written_employees) AND a.employee_id = w.employee_id AND a.day = w.day
       AND a.withdrawn_at IS NULL;
  END IF;
  RETURN changed;
END $$;
COMMENT ON FUNCTION _att_store_few(day_result[], boolean) IS 'Internal: writes the changed days given (a refresh with no closed day in reach) and, unless approvals is false, withdraws their standing approvals; returns how many days were written.';
REVOKE EXECUTE ON FUNCTION _att_store_few(day_result[], boolean) FROM PUBLIC;

-- The write of a refresh with no closed day in reach (_att_refresh): few,
-- the days that changed (see _att_store_few), or when few is NULL the
-- employees' days over the range, evaluated in batches as they are
-- written. Approvals of the days written are withdrawn. Returns how many
-- days were written.
CREATE FUNCTION _att_store_days(employees bigint[], days daterange, few day_result[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  at_now timestamptz := now();
  distributed boolean := @extschema@._att_distributed();
BEGIN
  IF few IS NOT NULL THEN
    RETURN @extschema@._att_store_few(few, true);
  END IF;
  IF distributed THEN
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  END IF;
  -- The write skips days whose figures did not change before it reaches
  -- them (an upsert would lock, and so write, every row it meets), and
  -- keeps its own check for rows that changed under it.
  WITH written AS (
    INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
    SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown
      -- unchanged days are left alone: compared with the stored rows batch
      -- by batch (one probe per employee), not locked or rewritten
      FROM @extschema@._att_evaluate_batches(employees, days, true) f
    ON CONFLICT (employee_id, day) DO UPDATE
      SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = at_now
      WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes, d.due_at, d.shown)
            IS DISTINCT FROM
            (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons, excluded.org_id, excluded.company_id, excluded.period_start, excluded.time_zone, excluded.scheduled_start, excluded.scheduled_end, excluded.leave_type, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.check_in_place, excluded.check_out_place, excluded.attended_minutes, excluded.due_at, excluded.shown)
    RETURNING d.employee_id, d.day
  ), withdrawn AS (
    UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
      FROM written w
     WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
       AND (NOT distributed OR a.employee_id = ANY (employees))
    RETURNING 1
  )
  SELECT count(*) INTO changed FROM written;
  RETURN changed;
END $$;
COMMENT ON FUNCTION _att_store_days(bigint[], daterange, day_result[]) IS 'Internal: writes the changed days of a refresh with no closed day in reach (given, or evaluated in batches when NULL) and withdraws their approvals; returns how many days were written.';
REVOKE EXECUTE ON FUNCTION _att_store_days(bigint[], daterange, day_result[]) FROM PUBLIC;

-- The refresh itself, for the extension's own callers (the public
-- att_refresh, closing, the triggers), who have checked who asks. actor is
-- the employee a change to a closed day is judged and recorded for.
-- Generic plans: the write's source is a choice on a variable (the days
-- of a punch in hand, or a stream of batches), which a custom plan folds
-- away, so PostgreSQL judged custom plans cheaper and planned the write
-- again whenever it ran (about 0.3 ms a punch that changed a day). Citus
-- takes custom plans back below, as in _att_lock_employees.
-- strict refuses (42501) a change to a closed day the actor may not
-- correct; with own, only one on those days: what the writer's statement
-- itself changes and the days its rows lie on (the refresh trigger judges
-- them, src/own_change.rs).
-- A closed day that another input changed since its closing (a holiday
-- declared, a leaving date entered, a rule version) stays as it was
-- closed without refusing the write whose refresh reached it: until
-- 0.23.0 every punch, leave or schedule reaching it was refused until
-- the period was reopened.
-- own empty: no closed day is the caller's to correct or refuse. A
-- reopening passes it (since 0.24.0): it records what changes on the days
-- it opens in the reopener's name, but leaves every day another closing
-- keeps closed as it was closed, even hr's (a department closed before the
-- company). Closing and its report store with no actor at all.
CREATE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean, own date[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  frozen integer;
  frozen_employees text;
  closed_in_reach boolean := false;
  -- a variable, not now() in the statements: Citus takes no function in an
  -- upsert's SET on a distributed table
  at_now timestamptz := now();
  -- the extension's now: what a day shows is compared as of it
  at_clock timestamptz := @extschema@.att_now();
  distributed boolean;
  stored @extschema@.day_record[];
  few @extschema@.day_result[];
  judged_days jsonb;
  local_days regclass;
  locked boolean;
  -- days stored pending with what they were kept to become (closed_pending.sql)
  kept jsonb;
  kept_employees bigint[];
  kept_days date[];
  writes integer;
  logged integer;
  part bigint[];
  part_frozen integer;
  part_frozen_employees text;
BEGIN
  IF days IS NULL OR isempty(days) OR lower_inf(days) OR upper_inf(days)
     OR NOT isfinite(lower(days)) OR NOT isfinite(upper(days)) THEN
    RAISE EXCEPTION 'att_refresh needs a finite range of days, got %', days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  distributed := @extschema@._att_distributed();
  IF distributed THEN
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  END IF;
  -- On a Citus coordinator the workers refresh their own employees
  -- (citus.sql); own empty travels as a lock job with the days.
  IF distributed AND @extschema@._att_on_coordinator() THEN
    RETURN @extschema@._att_refresh_on_workers(employees, days, actor, strict,
                                               CASE WHEN cardinality(own) = 0 THEN 'lock' ELSE 'refresh' END);
  END IF;
  -- On a Citus worker every statement below names the employees, so that
  -- Citus routes it to this worker's shards of them.
  IF distributed THEN
    PERFORM @extschema@._att_lock_employees(employees);
  ELSE
    locked := @extschema@._att_lock_refreshes(employees, false);
  END IF;
  -- The usual case, no day in reach of a period that is or was closed: write
  -- what changed and withdraw the approvals of changed days, in one statement.
  -- (Periods ending before the days are skipped by the index of their ends;
  -- IS TRUE keeps closing's exclusion index, led by the org, out.)
  IF EXISTS (SELECT 1 FROM @extschema@.closing_event c
              WHERE coalesce(upper(c.period), 'infinity'::date) >= coalesce(lower(days), '-infinity'::date)
                AND c.period && days AND c.action = 'close')
     OR EXISTS (SELECT 1 FROM @extschema@.closing c
                 WHERE coalesce(upper(c.period), 'infinity'::date) >= coalesce(lower(days), '-infinity'::date)
                   AND (c.period && days) IS TRUE) THEN
    -- One probe per employee through membership's primary key: kept from
    -- being turned into a join (OFFSET 0) and off the GiST index (IS TRUE),
    -- either of which a generic plan would scan whole.
    IF distributed THEN
      closed_in_reach := EXISTS (
        SELECT 1 FROM unnest(employees) AS e(id)
         WHERE EXISTS (SELECT 1
                         FROM @extschema@.membership m
                         JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND (t.period && m.period * days) IS TRUE
                        WHERE m.employee_id = e.id AND (m.period && days) IS TRUE
                          AND (EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.org_id = ANY (t.path) AND c.period && days)
                               OR EXISTS (SELECT 1 FROM @extschema@.closing_event c
                                           WHERE c.org_id = ANY (t.path) AND c.period && days AND c.action = 'close'))
                       OFFSET 0))
        OR EXISTS (SELECT 1 FROM @extschema@.closing_cover v WHERE v.employee_id = ANY (employees) AND v.period && days);
    ELSE
    closed_in_reach := EXISTS (
      SELECT 1 FROM unnest(employees) AS e(id)
       WHERE EXISTS (SELECT 1
                       FROM @extschema@.membership m
                       JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND (t.period && m.period * days) IS TRUE
                      WHERE m.employee_id = e.id AND (m.period && days) IS TRUE
                        AND (EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.org_id = ANY (t.path) AND c.period && days)
                             OR EXISTS (SELECT 1 FROM @extschema@.closing_event c
                                         WHERE c.org_id = ANY (t.path) AND c.period && days AND c.action = 'close'))
                     OFFSET 0)
          OR EXISTS (SELECT 1 FROM @extschema@.closing_cover v WHERE v.employee_id = e.id AND (v.period && days) IS TRUE OFFSET 0));
    END IF;
  END IF;
  IF NOT closed_in_reach AND distributed THEN
    local_days := @extschema@._att_local_shard('@extschema@.day_record', employees);
  END IF;
  IF local_days IS NOT NULL THEN
    -- On a Citus worker, the employees' shards here are written directly
    -- (_att_local_shard): the statement below, on the shards.
    EXECUTE format($q$
    WITH written AS (
      INSERT INTO %1$s AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown
        FROM @extschema@._att_evaluate_batches($1, $2, true) f
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = $3
        WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes, d.due_at, d.shown)
              IS DISTINCT FROM
              (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons, excluded.org_id, excluded.company_id, excluded.period_start, excluded.time_zone, excluded.scheduled_start, excluded.scheduled_end, excluded.leave_type, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.check_in_place, excluded.check_out_place, excluded.attended_minutes, excluded.due_at, excluded.shown)
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      UPDATE %2$s a SET withdrawn_at = $3
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    SELECT count(*) FROM written$q$, local_days, @extschema@._att_local_shard('@extschema@.day_approval', employees))
      INTO changed USING employees, days, at_now;
    RETURN changed;
  END IF;
  IF NOT closed_in_reach THEN
    -- A few employee-days (a punch's refresh: one employee, thirteen days)
    -- are evaluated first, and nothing is written when no day changed, as
    -- after most punches: starting the upsert and the period triggers it
    -- fires cost about a tenth of a punch. A larger refresh streams its
    -- days into the upsert instead of holding them.
    IF NOT distributed AND cardinality(employees)::bigint * (upper(days) - lower(days)) <= 4096 THEN
      few := @extschema@._att_changed_days(employees, lower(days), upper(days) - 1);
      IF cardinality(few) = 0 THEN
        RETURN 0;
      END IF;
    END IF;
    RETURN @extschema@._att_store_days(employees, days, few);
  END IF;
  -- Otherwise judge every change to a day of a closed period.
  -- (closed_pending is empty but for days closed before they were over)
  IF EXISTS (SELECT 1 FROM @extschema@.closed_pending c
              WHERE c.employee_id = ANY (employees) AND c.day >= lower(days) AND c.day < upper(days)) THEN
    kept := @extschema@._att_kept_finals(employees, days);
  ELSE
    kept := '{}';
  END IF;
  IF distributed THEN
    -- On Citus in steps, each statement reading or writing the shards of
    -- this worker only: the stored days first, then every change judged in
    -- a query that reads no Citus table, then the writes. (In one statement
    -- Citus would plan the reads and writes in pieces across the nodes.)
    -- The judgement is one node's below, step by step; one node keeps its
    -- single statement, whose join probes day_record's index day by day: a
    -- company's month read into an array or a function's rows first took
    -- 1.4 to 2.5 times as long.
    -- A few thousand employee-days at a time, so that neither the stored
    -- days' array nor the changed days' jsonb nears PostgreSQL's limits
    -- (1 GB, 256 MB) on a shard's reopened month.
    changed := 0;
    frozen := 0;
    FOR part IN
      SELECT array_agg(x.e ORDER BY x.e)
        FROM (SELECT e, (row_number() OVER (ORDER BY e) - 1) / greatest(1, 2048 / (upper(days) - lower(days))) AS g
                FROM unnest(employees) AS e) x
       GROUP BY x.g ORDER BY x.g
    LOOP
      -- (as they show: see _att_day_as_shown)
      stored := ARRAY(SELECT d FROM @extschema@.day_record d
                       WHERE d.employee_id = ANY (part) AND d.day >= lower(days) AND d.day < upper(days));
      WITH fresh AS (
        SELECT * FROM @extschema@._att_evaluate_batches(part, days, true)
      ), cmp AS (
        SELECT f.*, d.employee_id IS NOT NULL AS existed,
               @extschema@._att_day_as_recorded(to_jsonb(r) - 'evaluated_at', at_clock) AS before_json,
               (s.rule_id, s.shift, s.day_kind, s.status, s.check_in, s.check_out, s.scheduled_minutes, s.late_minutes,
                s.early_minutes, s.absent_minutes, s.work_minutes, s.overtime_minutes, s.overtime_category,
                s.outside_punches, s.leave_minutes, s.reasons, s.time_zone, s.scheduled_start, s.scheduled_end, s.leave_type,
                s.trip_minutes, s.outing_minutes, s.appeal_minutes, s.check_in_place, s.check_out_place, s.attended_minutes)
               IS DISTINCT FROM
               (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
                d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
                d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
                d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes) AS figures_differ,
               (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere,
               -- a day not over yet, stored or fresh, compared as stored too: what
               -- it will be once over can change while what it shows does not (an
               -- open day's; a closed day's change is judged as it shows, below)
               (f.due_at > at_clock OR r.due_at > at_clock)
               AND (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
                    f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
                    f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
                    f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown)
                   IS DISTINCT FROM
                   (r.rule_id, r.shift, r.day_kind, r.status, r.check_in, r.check_out, r.scheduled_minutes, r.late_minutes,
                    r.early_minutes, r.absent_minutes, r.work_minutes, r.overtime_minutes, r.overtime_category,
                    r.outside_punches, r.leave_minutes, r.reasons, r.time_zone, r.scheduled_start, r.scheduled_end, r.leave_type,
                    r.trip_minutes, r.outing_minutes, r.appeal_minutes, r.check_in_place, r.check_out_place, r.attended_minutes, r.due_at, r.shown) AS form_differs,
               -- a day stored pending with what it was kept to become
               -- (closed_pending.sql): that, in its stored place, once over
               CASE WHEN d.status = 'pending' THEN kept -> (f.employee_id::text || '/' || to_char(f.day, 'YYYY-MM-DD')) END AS kept_final,
               jsonb_build_object('employee_id', d.employee_id, 'day', d.day, 'rule_name', d.rule_name, 'org_id', d.org_id,
                                  'company_id', d.company_id, 'period_start', d.period_start) AS kept_place
          FROM fresh f
          -- compared as it shows now: a day not over yet is stored with what
          -- it will be once over (day_record.due_at) or without
          CROSS JOIN LATERAL @extschema@._att_shown_at(f, at_clock) AS s
          LEFT JOIN unnest(stored) AS r ON r.employee_id = f.employee_id AND r.day = f.day
          -- (the stored day as it shows: _att_day_as_shown, as Citus takes it)
          LEFT JOIN LATERAL jsonb_populate_record(NULL::@extschema@.day_record,
                                                  @extschema@._att_day_as_shown(to_jsonb(r), at_clock)) AS d ON true
      ), judged AS MATERIALIZED (
        SELECT c.*,
               -- a change to a closed day needs the correct permission (hr after
               -- closing); closing stored every day it froze, so a closed day with
               -- no row (a membership loaded after the closing) is written only
               -- with that permission too, and otherwise left out without
               -- refusing the write that reached it; every change to a day of a
               -- period that was ever closed is recorded
               @extschema@.att_day_closed(c.employee_id, c.day) AS closed_change,
               @extschema@.att_day_ever_closed(c.employee_id, c.day) AS logged_change,
               -- once over as kept, whatever the inputs of now make of the day (a
               -- transfer or rule version the closed day skipped may end it later)
               c.kept_final IS NOT NULL AND (c.kept_final ->> 'happened')::boolean AS kept_due,
               coalesce((c.kept_final ->> 'settled')::boolean, false) AS kept_settled,
               -- the writer's own change to a closed day (own), not another input's:
               -- only it is refused, or written for hr
               own IS NULL OR c.day = ANY (own) AS own_day,
               strict AND (own IS NULL OR c.day = ANY (own)) AS strict_day
          FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere OR c.form_differs
      ), permitted AS MATERIALIZED (
        SELECT j.*, j.closed_change AND j.own_day
                    AND actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE AS may_correct
          FROM judged j
      ), decided AS (
        SELECT p.*, p.closed_change AND p.kept_due AND (p.kept_settled OR (NOT p.strict_day AND NOT p.may_correct)) AS by_time
          FROM permitted p
         -- a closed day keeps the department and period it was closed in: a
         -- later membership or tree change alone is no change to it
         WHERE NOT (p.closed_change AND p.existed AND NOT p.figures_differ)
           -- nor is time's, before the day kept is over
           AND NOT (p.closed_change AND p.kept_settled AND NOT p.kept_due AND NOT p.may_correct)
      ), allowed AS (
        -- what is written: the fresh day, or by time what was kept
        SELECT r.*, d.existed, d.before_json, d.logged_change, d.by_time, d.strict_day,
               NOT d.closed_change OR d.by_time OR d.may_correct AS ok
          FROM decided d
         CROSS JOIN LATERAL jsonb_populate_record(NULL::@extschema@.day_result,
                              CASE WHEN d.by_time THEN (d.kept_final -> 'final') || d.kept_place ELSE to_jsonb(d) END) AS r
      )
      SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.employee_id, a.day), '[]'),
             count(*) FILTER (WHERE a.ok), count(*) FILTER (WHERE a.ok AND a.logged_change),
             count(*) FILTER (WHERE NOT a.ok AND a.existed AND a.strict_day),
             string_agg(DISTINCT a.employee_id::text, ', ') FILTER (WHERE NOT a.ok AND a.existed AND a.strict_day)
        INTO judged_days, writes, logged, part_frozen, part_frozen_employees
        FROM allowed a;
      -- (each step only when it has rows: most punches reaching a closed day
      -- change only their own open day)
      -- time's change to a closed day is no one's: no actor, its own reason
      IF logged > 0 THEN
        INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
        SELECT (a ->> 'employee_id')::bigint, (a ->> 'day')::date,
               CASE WHEN (a ->> 'by_time')::boolean THEN NULL ELSE actor END,
               CASE WHEN (a ->> 'by_time')::boolean THEN 'over after its period was closed: what it was closed to become'
                    ELSE nullif(current_setting('attendance.reason', true), '') END,
               coalesce(a -> 'before_json', 'null'::jsonb),
               -- as it shows now with what it will be once over, as before_json
               @extschema@._att_day_as_recorded(to_jsonb(jsonb_populate_record(NULL::@extschema@.day_result, a)), at_clock)
          FROM jsonb_array_elements(judged_days) AS a WHERE (a ->> 'logged_change')::boolean AND (a ->> 'ok')::boolean;
      END IF;
      IF writes > 0 THEN
        WITH written AS (
          INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
          SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown
            FROM jsonb_array_elements(judged_days) AS a, jsonb_populate_record(NULL::@extschema@.day_result, a) AS f
           WHERE (a ->> 'ok')::boolean
          ON CONFLICT (employee_id, day) DO UPDATE
            SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = at_now
          RETURNING d.employee_id, d.day
        ), withdrawn AS (
          -- a changed day withdraws its approval; the approval stays as history
          UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
            FROM written w
           WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL AND a.employee_id = ANY (part)
          RETURNING 1
        )
        SELECT changed + count(*) INTO changed FROM written;
      END IF;
      frozen := frozen + part_frozen;
      frozen_employees := concat_ws(', ', frozen_employees, part_frozen_employees);
    END LOOP;
  ELSE
    WITH fresh AS (
      SELECT * FROM @extschema@._att_evaluate_batches(employees, days, true)
    ), cmp AS (
      SELECT f.*, d.employee_id IS NOT NULL AS existed,
             @extschema@._att_day_as_recorded(to_jsonb(r) - 'evaluated_at', at_clock) AS before_json,
             (s.rule_id, s.shift, s.day_kind, s.status, s.check_in, s.check_out, s.scheduled_minutes, s.late_minutes,
              s.early_minutes, s.absent_minutes, s.work_minutes, s.overtime_minutes, s.overtime_category,
              s.outside_punches, s.leave_minutes, s.reasons, s.time_zone, s.scheduled_start, s.scheduled_end, s.leave_type,
              s.trip_minutes, s.outing_minutes, s.appeal_minutes, s.check_in_place, s.check_out_place, s.attended_minutes)
             IS DISTINCT FROM
             (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
              d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
              d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
              d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes) AS figures_differ,
             (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere,
             -- a day not over yet, stored or fresh, compared as stored too: what
             -- it will be once over can change while what it shows does not (an
             -- open day's; a closed day's change is judged as it shows, below)
             (f.due_at > at_clock OR r.due_at > at_clock)
             AND (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
                  f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
                  f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
                  f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown)
                 IS DISTINCT FROM
                 (r.rule_id, r.shift, r.day_kind, r.status, r.check_in, r.check_out, r.scheduled_minutes, r.late_minutes,
                  r.early_minutes, r.absent_minutes, r.work_minutes, r.overtime_minutes, r.overtime_category,
                  r.outside_punches, r.leave_minutes, r.reasons, r.time_zone, r.scheduled_start, r.scheduled_end, r.leave_type,
                  r.trip_minutes, r.outing_minutes, r.appeal_minutes, r.check_in_place, r.check_out_place, r.attended_minutes, r.due_at, r.shown) AS form_differs,
             -- a day stored pending with what it was kept to become
             -- (closed_pending.sql): that, in its stored place, once over
             CASE WHEN d.status = 'pending' THEN kept -> (f.employee_id::text || '/' || to_char(f.day, 'YYYY-MM-DD')) END AS kept_final,
             jsonb_build_object('employee_id', d.employee_id, 'day', d.day, 'rule_name', d.rule_name, 'org_id', d.org_id,
                                'company_id', d.company_id, 'period_start', d.period_start) AS kept_place
        FROM fresh f
        -- compared as it shows now (see above)
        CROSS JOIN LATERAL @extschema@._att_shown_at(f, at_clock) AS s
        LEFT JOIN @extschema@._att_days_now d ON d.employee_id = f.employee_id AND d.day = f.day
        -- (and as stored, for the record of a change: _att_day_as_recorded)
        LEFT JOIN @extschema@.day_record r ON r.employee_id = f.employee_id AND r.day = f.day
    ), judged AS MATERIALIZED (
      SELECT c.*,
             -- a change to a closed day needs the correct permission (hr after
             -- closing); closing stored every day it froze, so a closed day with
             -- no row (a membership loaded after the closing) is written only
             -- with that permission too, and otherwise left out without
             -- refusing the write that reached it; every change to a day of a
             -- period that was ever closed is recorded
             @extschema@.att_day_closed(c.employee_id, c.day) AS closed_change,
             @extschema@.att_day_ever_closed(c.employee_id, c.day) AS logged_change,
             -- once over as kept, whatever the inputs of now make of the day (a
             -- transfer or rule version the closed day skipped may end it later)
             c.kept_final IS NOT NULL AND (c.kept_final ->> 'happened')::boolean AS kept_due,
             coalesce((c.kept_final ->> 'settled')::boolean, false) AS kept_settled,
             -- the writer's own change to a closed day (own), not another input's:
             -- only it is refused, or written for hr
             own IS NULL OR c.day = ANY (own) AS own_day,
             strict AND (own IS NULL OR c.day = ANY (own)) AS strict_day
        FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere OR c.form_differs
    ), permitted AS MATERIALIZED (
      SELECT j.*, j.closed_change AND j.own_day
                  AND actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE AS may_correct
        FROM judged j
    ), decided AS (
      SELECT p.*, p.closed_change AND p.kept_due AND (p.kept_settled OR (NOT p.strict_day AND NOT p.may_correct)) AS by_time
        FROM permitted p
       -- a closed day keeps the department and period it was closed in: a
       -- later membership or tree change alone is no change to it
       WHERE NOT (p.closed_change AND p.existed AND NOT p.figures_differ)
         -- nor is time's, before the day kept is over
         AND NOT (p.closed_change AND p.kept_settled AND NOT p.kept_due AND NOT p.may_correct)
    ), allowed AS (
      -- what is written: the fresh day, or by time what was kept
      SELECT r.*, d.existed, d.before_json, d.logged_change, d.by_time, d.strict_day,
             NOT d.closed_change OR d.by_time OR d.may_correct AS ok
        FROM decided d
       CROSS JOIN LATERAL jsonb_populate_record(NULL::@extschema@.day_result,
                            CASE WHEN d.by_time THEN (d.kept_final -> 'final') || d.kept_place ELSE to_jsonb(d) END) AS r
    ), logged AS (
      -- time's change to a closed day is no one's: no actor, its own reason
      INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
      SELECT a.employee_id, a.day, CASE WHEN a.by_time THEN NULL ELSE actor END,
             CASE WHEN a.by_time THEN 'over after its period was closed: what it was closed to become'
                  ELSE nullif(current_setting('attendance.reason', true), '') END,
             coalesce(a.before_json, 'null'::jsonb),
             -- as it shows now with what it will be once over, as before_json
             @extschema@._att_day_as_recorded(to_jsonb(jsonb_populate_record(NULL::@extschema@.day_result, to_jsonb(a))), at_clock)
        FROM allowed a WHERE a.logged_change AND a.ok
      RETURNING 1
    ), written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
      SELECT a.employee_id, a.day, a.rule_id, a.rule_name, a.shift, a.day_kind, a.status, a.check_in, a.check_out, a.scheduled_minutes, a.late_minutes, a.early_minutes, a.absent_minutes, a.work_minutes, a.overtime_minutes, a.overtime_category, a.outside_punches, a.leave_minutes, a.reasons, a.org_id, a.company_id, a.period_start, a.time_zone, a.scheduled_start, a.scheduled_end, a.leave_type, a.trip_minutes, a.outing_minutes, a.appeal_minutes, a.check_in_place, a.check_out_place, a.attended_minutes, a.due_at, a.shown FROM allowed a WHERE a.ok
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = at_now
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      -- a changed day withdraws its approval; the approval stays as history
      UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    -- (logged runs whether or not it is read: data-modifying CTEs always complete)
    SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM allowed a WHERE NOT a.ok AND a.existed AND a.strict_day),
           (SELECT string_agg(DISTINCT a.employee_id::text, ', ') FROM allowed a WHERE NOT a.ok AND a.existed AND a.strict_day)
      INTO changed, frozen, frozen_employees;
  END IF;
  -- Acting for someone who may correct them (hr after closing), the
  -- closed days not over yet are kept again to become what the inputs of
  -- now make them once over: the change may be to what they will be, not
  -- yet to what they show. (With own, only those the statement reached.)
  IF actor IS NOT NULL THEN
    SELECT array_agg(d.employee_id ORDER BY d.employee_id, d.day), array_agg(d.day ORDER BY d.employee_id, d.day)
      INTO kept_employees, kept_days
      FROM @extschema@.day_record d
     WHERE d.employee_id = ANY (employees) AND d.day >= lower(days) AND d.day < upper(days) AND d.status = 'pending'
       AND (own IS NULL OR d.day = ANY (own))
       AND @extschema@.att_day_closed(d.employee_id, d.day)
       AND @extschema@.att_has_permission(actor, d.employee_id, d.day, 'correct', @extschema@.att_today()) IS TRUE;
    IF kept_employees IS NOT NULL THEN
      PERFORM @extschema@._att_keep_closed_pending(kept_employees, kept_days);
    END IF;
  END IF;
  IF frozen > 0 AND strict THEN
    RAISE EXCEPTION 'change to % day(s) of employee % in a closed period refused', frozen, frozen_employees
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission); or reopen the period.';
  END IF;
  RETURN changed;
END $$;
COMMENT ON FUNCTION _att_refresh(bigint[], daterange, bigint, boolean, date[]) IS 'Internal: the refresh behind att_refresh, closing and the triggers; callers check who asks. strict refuses a change to a closed day the actor may not correct; own, when given, limits that to those days (what the writer''s statement changes, and the days its rows lie on).';
REVOKE EXECUTE ON FUNCTION _att_refresh(bigint[], daterange, bigint, boolean, date[]) FROM PUBLIC;

CREATE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean) RETURNS integer
LANGUAGE sql VOLATILE
RETURN @extschema@._att_refresh(employees, days, actor, strict, NULL::date[]);
COMMENT ON FUNCTION _att_refresh(bigint[], daterange, bigint, boolean) IS 'Internal: _att_refresh with strict over every closed day in reach (the callers before 0.23.0 and those with no statement of their own).';
REVOKE EXECUTE ON FUNCTION _att_refresh(bigint[], daterange, bigint, boolean) FROM PUBLIC;

-- Who may ask for a refresh: a superuser session (loads, rule changes), or
-- an acting employee whose full scope reaches every employee named on some
-- day of the range. Checked before any lock is taken; one 42501 for every
-- refusal.
CREATE FUNCTION att_refresh(employees bigint[], days daterange, strict boolean DEFAULT false) RETURNS integer
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
    -- a login's refresh holds the refresh locks: keep it to a year at a time
    IF upper(days) - lower(days) > 366 THEN
      RAISE EXCEPTION 'a login refreshes at most 366 days at a time, got %', upper(days) - lower(days)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END IF;
  RETURN @extschema@._att_refresh(employees, days, actor, strict);
END $$;
COMMENT ON FUNCTION att_refresh(bigint[], daterange, boolean) IS
  'Re-evaluates employees'' days over a finite range into day_record in one pass (in batches, see att_evaluate) and returns how many days changed. A superuser session refreshes anyone; a login refreshes its own days and employees in its full scope on some day of the range (42501 otherwise, before anything is locked). Days in a closed period stay frozen: a change there is written only when the acting employee holds the correct permission (hr after closing); otherwise it is skipped, or refused (42501) when strict. Every change to a day of a period that was ever closed is recorded in correction. Use after a rule change; the triggers on punch, excuse and schedule refresh strictly.';

CREATE FUNCTION att_refresh(employee bigint, days daterange, strict boolean DEFAULT false) RETURNS integer
LANGUAGE sql VOLATILE
BEGIN ATOMIC
  SELECT @extschema@.att_refresh(ARRAY[employee], days, strict);
END;
COMMENT ON FUNCTION att_refresh(bigint, daterange, boolean) IS 'att_refresh for one employee.';

-- Everyone with a membership in the org or below it during the days, in id
-- order: what org-wide refreshes, closings and reopenings reach.
CREATE FUNCTION _att_org_members(org bigint, days daterange) RETURNS bigint[]
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT array_agg(DISTINCT m.employee_id ORDER BY m.employee_id)
    FROM @extschema@.org_tree t JOIN @extschema@.membership m ON m.org_id = t.org_id AND m.period && (t.period * days)
   WHERE t.path @> ARRAY[org] AND t.period && days;
END;
COMMENT ON FUNCTION _att_org_members(bigint, daterange) IS 'Internal: the employees with a membership in the org or below it during the days.';

CREATE FUNCTION att_refresh_org(org bigint, days daterange) RETURNS integer
LANGUAGE sql VOLATILE STRICT
BEGIN ATOMIC
  SELECT coalesce(@extschema@.att_refresh(@extschema@._att_org_members(org, days), days), 0);
END;
COMMENT ON FUNCTION att_refresh_org(bigint, daterange) IS 'att_refresh for every employee with a membership in the org or below it during the range, in one pass.';

-- A punch stored before its own time (a device whose clock runs ahead, a
-- sync whose transaction began before its punches) is left out of every
-- day until its time comes, and a run leaves a closed day as it was
-- closed: one that will change a closed day then is refused at its insert
-- instead, as a change to a closed day is (since 0.19.0). The refresh
-- trigger judges which days it will change (src/ahead.rs, since 0.20.0:
-- its days judged once every punch stored has happened, with the
-- statement's punches and without them) and hands them here; before
-- 0.20.0, and on Citus, every UTC day around it was handed on
-- (_att_refuse_ahead_closed), which refused a device a second fast on the
-- first two days of a month just closed. 42501 for whoever may not correct the day (the sync role,
-- an employee), 55000 for an hr, who corrects it once its time has come.
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
CREATE FUNCTION _att_refuse_ahead_closed(employee bigint, first_day date, last_day date, actor bigint) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN @extschema@._att_refuse_closed_days(employee,
  ARRAY(SELECT g.d::date FROM generate_series(first_day - 2, last_day + 1, interval '1 day') AS g(d)
         ORDER BY abs(g.d::date - last_day), g.d), actor);
COMMENT ON FUNCTION _att_refuse_ahead_closed(bigint, date, date, bigint) IS 'Internal: refuses (42501, or 55000 for an actor who may correct the day) punches stored before their own time whose UTC days, from two before to one after, reach a closed day of the employee; false when none does.';
REVOKE EXECUTE ON FUNCTION _att_refuse_ahead_closed(bigint, date, date, bigint) FROM PUBLIC;

-- Statement-level triggers: one refresh per employee and statement, over the
-- days a change can reach (a night shift starts the day before; a late
-- departure lets the next workday start late).
-- A definer function: whoever may write the table may refresh what the
-- write touched, and a change it makes to a closed day is judged for the
-- acting employee. Its argument names the span of days each table's rows
-- reach: a punch's instant, an excuse's period, a schedule's day. Days are
-- taken in UTC (a session's TimeZone must not move the window): three days
-- before, to cover a zone's day and a night shift, and for an excuse or a
-- schedule eight after; for a punch only the days that can see its
-- instant, to two after it, or to 33 after under leave-late-arrive-late
-- (the furthest a next workday can lie), also when a closing in reach or
-- Citus hands them to _att_refresh (since 0.15.0). In C
-- (src/refresh_trigger.rs): a punch is one row in a statement of its own,
-- and its refresh in PL/pgSQL, three queries over the transition table and
-- a dozen statements each with an executor's start, cost more than
-- evaluating its days.
CREATE FUNCTION refresh_changed_days() RETURNS trigger
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC'
AS 'MODULE_PATHNAME', 'att_refresh_changed_days';
COMMENT ON FUNCTION refresh_changed_days() IS 'Internal trigger: refreshes day_record for the employee-days a statement changed, once per employee.';
REVOKE EXECUTE ON FUNCTION refresh_changed_days() FROM PUBLIC;

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


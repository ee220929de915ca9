-- Upgrade from 0.7.0 (frozen in attendance--0.7.0.sql) to 0.8.0: a BI
-- login's scope kept between transactions while the tree, the memberships
-- and the grants are unchanged, which scope_change and its triggers tell
-- (issue 15).
-- Drafted with scripts/upgrade-draft.py from the two install scripts;
-- tests/upgrade checks that an upgraded database has exactly the objects of
-- a fresh one.

-- On a Citus deployment org, org_tree, membership and admin_grant are
-- reference tables: every node runs this script itself, so Citus is told
-- not to pass its statements on (it would send the whole script), and the
-- new triggers, which do nothing on Citus, go on each node's own tables.
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);
SELECT pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);

CREATE TABLE scope_change (
  change_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  weight    bigint NOT NULL CHECK (weight > 0)
);

COMMENT ON TABLE scope_change IS 'Internal: one row per statement that changed org, org_tree, membership or admin_grant (rows folded now and then, keeping the sum of weights); a cached scope is reused while the sum a transaction sees is the one it was computed under. Read-only for everyone but the extension.';

COMMENT ON COLUMN scope_change.weight IS 'How many changes this row stands for (more than 1 after a fold).';

CREATE FUNCTION _att_fold_scope_changes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RETURN;
  END IF;
  WITH folded AS (
    DELETE FROM @extschema@.scope_change c
     WHERE c.change_id IN (SELECT x.change_id FROM @extschema@.scope_change x FOR UPDATE SKIP LOCKED)
    RETURNING c.weight
  )
  INSERT INTO @extschema@.scope_change (weight)
  SELECT sum(f.weight) FROM folded f HAVING count(*) > 0;
END $$;

COMMENT ON FUNCTION _att_fold_scope_changes() IS 'Internal: folds the rows of scope_change into one, keeping the sum of their weights.';

REVOKE EXECUTE ON FUNCTION _att_fold_scope_changes() FROM PUBLIC;

CREATE FUNCTION note_scope_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  id bigint;
BEGIN
  -- On Citus no scope is kept between transactions (src/kept_scope.rs): these
  -- tables are reference tables there, whose triggers fire on every copy.
  IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO @extschema@.scope_change (weight) VALUES (1) RETURNING change_id INTO id;
  -- now and then, so that reading the sum stays a scan of a few rows
  IF id % 256 = 0 THEN
    PERFORM @extschema@._att_fold_scope_changes();
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION note_scope_change() IS 'Internal trigger: records that a statement changed what scopes are computed from.';

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_tree
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON membership
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_grant
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE  FUNCTION "_att_visible_org_ids"() RETURNS bigint[] 
STRICT STABLE SECURITY DEFINER PARALLEL SAFE 
SET search_path TO pg_catalog, pg_temp
LANGUAGE c 
AS 'MODULE_PATHNAME', 'att_visible_org_ids_wrapper';

CREATE OR REPLACE FUNCTION period_record_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off AS $$
-- Static statements per operation (a transition table exists only for the
-- operations that have one), so their plans are kept for the session: a
-- punch's refresh fires this twice (an upsert's insert and update). Generic
-- plans without sequential scans, as in _att_period_rows.
DECLARE
  employees bigint[];
  periods date[];
  fresh @extschema@.period_record[];
  gone_employees bigint[];
  gone_periods date[];
  target regclass;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(t.employee_id), array_agg(t.period_start) INTO employees, periods
      FROM (SELECT DISTINCT x.employee_id, x.period_start FROM changed_new x WHERE x.period_start IS NOT NULL) t;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(t.employee_id), array_agg(t.period_start) INTO employees, periods
      FROM (SELECT DISTINCT x.employee_id, x.period_start FROM changed_old x WHERE x.period_start IS NOT NULL) t;
  ELSE
    SELECT array_agg(t.employee_id), array_agg(t.period_start) INTO employees, periods
      FROM (SELECT x.employee_id, x.period_start FROM changed_new x WHERE x.period_start IS NOT NULL
            UNION
            SELECT x.employee_id, x.period_start FROM changed_old x WHERE x.period_start IS NOT NULL) t;
  END IF;
  IF employees IS NULL THEN
    RETURN NULL;
  END IF;
  IF @extschema@._att_distributed() THEN
    -- custom plans on Citus, as in _att_period_rows; on a worker the rows
    -- go straight into the shard here (_att_local_shard)
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
    target := @extschema@._att_local_shard('@extschema@.period_record', employees);
  END IF;
  -- Written in place through the primary key (a generic plan cannot turn
  -- an upsert into a scan), a period left unchanged not rewritten; on Citus
  -- the trigger runs on the worker holding the employees.
  fresh := ARRAY(SELECT f FROM @extschema@._att_period_rows(employees, periods) f);
  IF target IS NOT NULL THEN
    EXECUTE format($q$
  INSERT INTO %s AS r SELECT * FROM unnest($1)
    ON CONFLICT (employee_id, period_start) DO UPDATE
      SET (period_end, org_id, company_id, stored_days, workdays, days_attended, late_count, late_minutes, early_count, early_minutes, absence_count, absence_minutes, missing_punches, work_minutes, overtime_workday_minutes, overtime_rest_day_minutes, overtime_holiday_minutes, leave_minutes, trip_minutes, outing_minutes, appeal_minutes, full_leave_days, half_day_days, half_day_leaves, present_days, absent_days, on_duty_days, missing_punch_days, holidays, rest_days, pending_days, unjudged_days, day_codes)
        = (excluded.period_end, excluded.org_id, excluded.company_id, excluded.stored_days, excluded.workdays, excluded.days_attended, excluded.late_count, excluded.late_minutes, excluded.early_count, excluded.early_minutes, excluded.absence_count, excluded.absence_minutes, excluded.missing_punches, excluded.work_minutes, excluded.overtime_workday_minutes, excluded.overtime_rest_day_minutes, excluded.overtime_holiday_minutes, excluded.leave_minutes, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.full_leave_days, excluded.half_day_days, excluded.half_day_leaves, excluded.present_days, excluded.absent_days, excluded.on_duty_days, excluded.missing_punch_days, excluded.holidays, excluded.rest_days, excluded.pending_days, excluded.unjudged_days, excluded.day_codes)
      WHERE r IS DISTINCT FROM excluded;$q$, target) USING fresh;
  ELSE
    INSERT INTO @extschema@.period_record AS r SELECT * FROM unnest(fresh)
    ON CONFLICT (employee_id, period_start) DO UPDATE
      SET (period_end, org_id, company_id, stored_days, workdays, days_attended, late_count, late_minutes, early_count, early_minutes, absence_count, absence_minutes, missing_punches, work_minutes, overtime_workday_minutes, overtime_rest_day_minutes, overtime_holiday_minutes, leave_minutes, trip_minutes, outing_minutes, appeal_minutes, full_leave_days, half_day_days, half_day_leaves, present_days, absent_days, on_duty_days, missing_punch_days, holidays, rest_days, pending_days, unjudged_days, day_codes)
        = (excluded.period_end, excluded.org_id, excluded.company_id, excluded.stored_days, excluded.workdays, excluded.days_attended, excluded.late_count, excluded.late_minutes, excluded.early_count, excluded.early_minutes, excluded.absence_count, excluded.absence_minutes, excluded.missing_punches, excluded.work_minutes, excluded.overtime_workday_minutes, excluded.overtime_rest_day_minutes, excluded.overtime_holiday_minutes, excluded.leave_minutes, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.full_leave_days, excluded.half_day_days, excluded.half_day_leaves, excluded.present_days, excluded.absent_days, excluded.on_duty_days, excluded.missing_punch_days, excluded.holidays, excluded.rest_days, excluded.pending_days, excluded.unjudged_days, excluded.day_codes)
      WHERE r IS DISTINCT FROM excluded;
  END IF;
  -- a period none of whose days is stored any more has no row
  SELECT array_agg(k.employee_id), array_agg(k.period_start) INTO gone_employees, gone_periods
    FROM unnest(employees, periods) AS k(employee_id, period_start)
   WHERE NOT EXISTS (SELECT 1 FROM unnest(fresh) AS f WHERE f.employee_id = k.employee_id AND f.period_start = k.period_start);
  IF gone_employees IS NOT NULL THEN
    DELETE FROM @extschema@.period_record r
     WHERE r.employee_id = ANY (gone_employees)
       AND (r.employee_id, r.period_start) IN (SELECT k.employee_id, k.period_start
                                                 FROM unnest(gone_employees, gone_periods) AS k(employee_id, period_start));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  frozen integer;
  frozen_employees text;
  closed_in_reach boolean := false;
  -- a variable, not now() in the statements: Citus takes no function in an
  -- upsert's SET on a distributed table
  at_now timestamptz := now();
  distributed boolean;
  stored @extschema@.day_record[];
  judged_days jsonb;
  local_days regclass;
BEGIN
  IF days IS NULL OR isempty(days) OR lower_inf(days) OR upper_inf(days)
     OR NOT isfinite(lower(days)) OR NOT isfinite(upper(days)) THEN
    RAISE EXCEPTION 'att_refresh needs a finite range of days, got %', days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  -- On a Citus coordinator the workers refresh their own employees (citus.sql).
  IF @extschema@._att_on_coordinator() THEN
    RETURN @extschema@._att_refresh_on_workers(employees, days, actor, strict);
  END IF;
  -- On a Citus worker every statement below names the employees, so that
  -- Citus routes it to this worker's shards of them.
  distributed := @extschema@._att_distributed();
  PERFORM @extschema@._att_lock_employees(employees);
  -- The usual case, no day in reach of a period that is or was closed: write
  -- what changed and withdraw the approvals of changed days, in one statement.
  IF EXISTS (SELECT 1 FROM @extschema@.closing_event c WHERE c.period && days AND c.action = 'close')
     OR EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.period && days) THEN
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
      INSERT INTO %1$s AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes
        FROM @extschema@._att_evaluate_batches($1, $2, true) f
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, evaluated_at = $3
        WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes)
              IS DISTINCT FROM
              (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons, excluded.org_id, excluded.company_id, excluded.period_start, excluded.time_zone, excluded.scheduled_start, excluded.scheduled_end, excluded.leave_type, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.check_in_place, excluded.check_out_place, excluded.attended_minutes)
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
    -- The write skips days whose figures did not change before it reaches
    -- them (an upsert would lock, and so write, every row it meets), and
    -- keeps its own check for rows that changed under it.
    WITH written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes
        -- unchanged days are left alone: compared with the stored rows batch
        -- by batch (one probe per employee), not locked or rewritten
        FROM @extschema@._att_evaluate_batches(employees, days, true) f
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, evaluated_at = at_now
        WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes)
              IS DISTINCT FROM
              (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons, excluded.org_id, excluded.company_id, excluded.period_start, excluded.time_zone, excluded.scheduled_start, excluded.scheduled_end, excluded.leave_type, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.check_in_place, excluded.check_out_place, excluded.attended_minutes)
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
  END IF;
  -- Otherwise judge every change to a day of a closed period.
  IF distributed THEN
    -- On Citus in steps, each statement reading or writing the shards of
    -- this worker only: the stored days first, then every change judged in
    -- a query that reads no Citus table, then the writes. (In one statement
    -- Citus would plan the reads and writes in pieces across the nodes.)
    stored := ARRAY(SELECT d FROM @extschema@.day_record d
                     WHERE d.employee_id = ANY (employees) AND d.day >= lower(days) AND d.day < upper(days));
    WITH fresh AS (
      SELECT * FROM @extschema@.att_evaluate(employees, days)
    ), cmp AS (
      SELECT f.*, d.employee_id IS NOT NULL AS existed,
             to_jsonb(d) - 'evaluated_at' AS before_json,
             (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
              f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
              f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
              f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes)
             IS DISTINCT FROM
             (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
              d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
              d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
              d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes) AS figures_differ,
             (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere
        FROM fresh f
        LEFT JOIN unnest(stored) AS d ON d.employee_id = f.employee_id AND d.day = f.day
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
        FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere
    ), allowed AS (
      SELECT j.*, NOT j.closed_change
                  OR (actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE) AS ok
        FROM judged j
       -- a closed day keeps the department and period it was closed in: a
       -- later membership or tree change alone is no change to it
       WHERE NOT (j.closed_change AND j.existed AND NOT j.figures_differ)
    )
    SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.employee_id, a.day), '[]') INTO judged_days FROM allowed a;
    INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
    SELECT (a ->> 'employee_id')::bigint, (a ->> 'day')::date, actor, nullif(current_setting('attendance.reason', true), ''),
           coalesce(a -> 'before_json', 'null'::jsonb),
           a - 'existed' - 'before_json' - 'figures_differ' - 'placed_elsewhere' - 'closed_change' - 'logged_change' - 'ok'
      FROM jsonb_array_elements(judged_days) AS a WHERE (a ->> 'logged_change')::boolean AND (a ->> 'ok')::boolean;
    WITH written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes
        FROM jsonb_array_elements(judged_days) AS a, jsonb_populate_record(NULL::@extschema@.day_result, a) AS f
       WHERE (a ->> 'ok')::boolean
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, evaluated_at = at_now
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL AND a.employee_id = ANY (employees)
      RETURNING 1
    )
    SELECT count(*) INTO changed FROM written;
    SELECT count(*), string_agg(DISTINCT a ->> 'employee_id', ', ') INTO frozen, frozen_employees
      FROM jsonb_array_elements(judged_days) AS a WHERE NOT (a ->> 'ok')::boolean AND (a ->> 'existed')::boolean;
  ELSE
    WITH fresh AS (
      SELECT * FROM @extschema@.att_evaluate(employees, days)
    ), cmp AS (
      SELECT f.*, d.employee_id IS NOT NULL AS existed,
             to_jsonb(d) - 'evaluated_at' AS before_json,
             (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
              f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
              f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
              f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes)
             IS DISTINCT FROM
             (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
              d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
              d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
              d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes) AS figures_differ,
             (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere
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
        FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere
    ), allowed AS (
      SELECT j.*, NOT j.closed_change
                  OR (actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE) AS ok
        FROM judged j
       -- a closed day keeps the department and period it was closed in: a
       -- later membership or tree change alone is no change to it
       WHERE NOT (j.closed_change AND j.existed AND NOT j.figures_differ)
    ), logged AS (
      INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
      SELECT a.employee_id, a.day, actor, nullif(current_setting('attendance.reason', true), ''),
             coalesce(a.before_json, 'null'::jsonb),
             to_jsonb(a) - 'existed' - 'before_json' - 'figures_differ' - 'placed_elsewhere' - 'closed_change' - 'logged_change' - 'ok'
        FROM allowed a WHERE a.logged_change AND a.ok
      RETURNING 1
    ), written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes)
      SELECT a.employee_id, a.day, a.rule_id, a.rule_name, a.shift, a.day_kind, a.status, a.check_in, a.check_out, a.scheduled_minutes, a.late_minutes, a.early_minutes, a.absent_minutes, a.work_minutes, a.overtime_minutes, a.overtime_category, a.outside_punches, a.leave_minutes, a.reasons, a.org_id, a.company_id, a.period_start, a.time_zone, a.scheduled_start, a.scheduled_end, a.leave_type, a.trip_minutes, a.outing_minutes, a.appeal_minutes, a.check_in_place, a.check_out_place, a.attended_minutes FROM allowed a WHERE a.ok
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, evaluated_at = at_now
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      -- a changed day withdraws its approval; the approval stays as history
      UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    -- (logged runs whether or not it is read: data-modifying CTEs always complete)
    SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM allowed a WHERE NOT a.ok AND a.existed),
           (SELECT string_agg(DISTINCT a.employee_id::text, ', ') FROM allowed a WHERE NOT a.ok AND a.existed)
      INTO changed, frozen, frozen_employees;
  END IF;
  IF frozen > 0 AND strict THEN
    RAISE EXCEPTION 'change to % day(s) of employee % in a closed period refused', frozen, frozen_employees
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission); or reopen the period.';
  END IF;
  RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION _att_visible_orgs() RETURNS TABLE (org_id bigint, name text, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 100
BEGIN ATOMIC
  SELECT o.org_id, o.name, o.closing_day::integer
    FROM @extschema@.org o
   WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      -- kept with the asker's scope between queries (src/access.rs)
      OR o.org_id = ANY ((SELECT @extschema@._att_visible_org_ids())::bigint[]);
END;

COMMENT ON FUNCTION _att_visible_org_ids() IS 'Internal: the ids of the orgs the asking login may name (see _att_visible_orgs), kept with its scope between queries while the tree, the memberships and the grants are unchanged.';

CREATE FUNCTION _att_local_shard(tab regclass, employees bigint[]) RETURNS regclass
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  shards bigint[];
  local boolean;
BEGIN
  IF NOT @extschema@._att_distributed() OR @extschema@._att_on_coordinator() OR coalesce(cardinality(employees), 0) = 0 THEN
    RETURN NULL;
  END IF;
  -- dynamic: these catalogs and functions exist only with Citus
  EXECUTE 'SELECT array_agg(DISTINCT pg_catalog.get_shard_id_for_distribution_column($1, e)) FROM unnest($2) AS e'
     INTO shards USING tab, employees;
  IF cardinality(shards) <> 1 THEN
    RETURN NULL;
  END IF;
  EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_placement p
                           WHERE p.shardid = $1 AND p.groupid = (SELECT g.groupid FROM pg_catalog.pg_dist_local_group g))'
     INTO local USING shards[1];
  IF NOT local THEN
    RETURN NULL;
  END IF;
  RETURN to_regclass(pg_catalog.shard_name(tab, shards[1]));
END $$;

COMMENT ON FUNCTION _att_local_shard(regclass, bigint[]) IS 'Internal: on a Citus worker, the local shard of a distributed table holding all the given employees (NULL elsewhere).';


-- == pg_dump keeps the new table's rows, as it keeps every table's.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.scope_change', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.scope_change_change_id_seq', '');

-- Upgrade from 0.23.0 (frozen in attendance--0.23.0.sql) to 0.24.0:
-- closing checks the figures it closes, and no closing corrects a closed
-- day.
-- - att_close_org stores and judges the period's days from the inputs of
--   now, checks them, and closes with no refresh after the check (the
--   steps att_close_period shares: _att_closing_stored, _att_close_stored).
--   It read the days as they were stored and the closing's refresh came
--   after, so a change waiting for att_finalize (a rule version, an
--   org-wide holiday) passed the check with its days approved, that
--   refresh withdrew their approvals, and the period closed with figures
--   nobody approved; a workday no run had stored was not counted. A
--   workday not over yet is now a problem of its own ("not over").
-- - Closing refuses a period not begun (55000) and a transaction other
--   than READ COMMITTED (0A000).
-- - An approved timesheet is sent back while no day of its period is
--   closed for the employee (timesheet_step); it could not be redone.
-- - A closing closes its members: closing a reopened period again skips
--   (closing_exemption) anyone an earlier closing covered who is no longer
--   a member; as a cover alone, it closed their days again unchecked.
-- - No closing corrects a closed day: closing and its report store the
--   period's days with no actor (what changes is no one's, as under
--   att_finalize), and reopening passes _att_refresh an empty own (it
--   corrects no day another closing keeps closed); hr's closing of a
--   company rewrote its closed departments' days as hr's corrections. On
--   Citus a lock job with days carries an empty own to the workers.
-- Nothing to do after ALTER EXTENSION attendance UPDATE.
-- tests/upgrade checks that an upgraded database has exactly the objects
-- of a fresh one; tests/citus upgrades a distributed 0.23.0 in place.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE OR REPLACE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean, own date[]) RETURNS integer
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
      stored := ARRAY(SELECT d FROM @extschema@.day_record d
                       WHERE d.employee_id = ANY (part) AND d.day >= lower(days) AND d.day < upper(days));
      WITH fresh AS (
        SELECT * FROM @extschema@.att_evaluate(part, days)
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
               (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere,
               -- a day stored pending with what it was kept to become
               -- (closed_pending.sql): that, in its stored place, once over
               CASE WHEN d.status = 'pending' THEN kept -> (f.employee_id::text || '/' || to_char(f.day, 'YYYY-MM-DD')) END AS kept_final,
               jsonb_build_object('employee_id', d.employee_id, 'day', d.day, 'rule_name', d.rule_name, 'org_id', d.org_id,
                                  'company_id', d.company_id, 'period_start', d.period_start) AS kept_place
          FROM fresh f
          LEFT JOIN unnest(stored) AS d ON d.employee_id = f.employee_id AND d.day = f.day
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
               c.kept_final IS NOT NULL AND c.status <> 'pending' AND (c.kept_final ->> 'happened')::boolean AS kept_due,
               coalesce((c.kept_final ->> 'settled')::boolean, false) AS kept_settled,
               -- the writer's own change to a closed day (own), not another input's:
               -- only it is refused, or written for hr
               own IS NULL OR c.day = ANY (own) AS own_day,
               strict AND (own IS NULL OR c.day = ANY (own)) AS strict_day
          FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere
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
               a - 'existed' - 'before_json' - 'logged_change' - 'by_time' - 'strict_day' - 'ok'
          FROM jsonb_array_elements(judged_days) AS a WHERE (a ->> 'logged_change')::boolean AND (a ->> 'ok')::boolean;
      END IF;
      IF writes > 0 THEN
        WITH written AS (
          INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes)
          SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes
            FROM jsonb_array_elements(judged_days) AS a, jsonb_populate_record(NULL::@extschema@.day_result, a) AS f
           WHERE (a ->> 'ok')::boolean
          ON CONFLICT (employee_id, day) DO UPDATE
            SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, evaluated_at = at_now
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
             (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere,
             -- a day stored pending with what it was kept to become
             -- (closed_pending.sql): that, in its stored place, once over
             CASE WHEN d.status = 'pending' THEN kept -> (f.employee_id::text || '/' || to_char(f.day, 'YYYY-MM-DD')) END AS kept_final,
             jsonb_build_object('employee_id', d.employee_id, 'day', d.day, 'rule_name', d.rule_name, 'org_id', d.org_id,
                                'company_id', d.company_id, 'period_start', d.period_start) AS kept_place
        FROM fresh f
        LEFT JOIN @extschema@.day_record d ON d.employee_id = f.employee_id AND d.day = f.day
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
             c.kept_final IS NOT NULL AND c.status <> 'pending' AND (c.kept_final ->> 'happened')::boolean AS kept_due,
             coalesce((c.kept_final ->> 'settled')::boolean, false) AS kept_settled,
             -- the writer's own change to a closed day (own), not another input's:
             -- only it is refused, or written for hr
             own IS NULL OR c.day = ANY (own) AS own_day,
             strict AND (own IS NULL OR c.day = ANY (own)) AS strict_day
        FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere
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
             to_jsonb(a) - 'existed' - 'before_json' - 'logged_change' - 'by_time' - 'strict_day' - 'ok'
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

CREATE OR REPLACE FUNCTION _att_run_job() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.task = 'close' THEN
    PERFORM @extschema@._att_lock_on_shards(NEW.employees, true);
    -- a closing's job with its period: its days not over yet are kept
    -- (_att_keep_open_pending), here next to their rows
    IF NOT isempty(NEW.days) THEN
      NEW.changed := @extschema@._att_keep_open_pending(NEW.employees, NEW.days);
    END IF;
  ELSIF NEW.task = 'lock' THEN
    PERFORM @extschema@._att_lock_employees(NEW.employees);
    -- a lock job with days: their refresh, correcting no closed day (a
    -- closing's, its report's or a reopening's: _att_refresh, own empty)
    IF NOT isempty(NEW.days) THEN
      NEW.changed := @extschema@._att_refresh(NEW.employees, NEW.days, NEW.actor, NEW.refuse_closed, '{}'::date[]);
    END IF;
  ELSE
    NEW.changed := @extschema@._att_refresh(NEW.employees, NEW.days, NEW.actor, NEW.refuse_closed);
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION _att_run_job() IS 'Internal trigger: runs a refresh or takes the locks sent to this shard (refresh_job), next to the employees'' rows.';

COMMENT ON COLUMN refresh_job.task IS 'refresh: the employees'' days; lock: their refresh locks (an approval reads the day next), and with days (not empty) their refresh with own empty, judging no closed day as the caller''s (_att_refresh: a closing''s, its report''s, a reopening''s, or a trigger''s on a coordinator that holds shards, whose statement changes no closed day); close: the closing lock of their shard (see _att_lock_on_shards), and with a period (days not empty) what their days of it not over yet will become, kept before the closing closes them (_att_keep_open_pending).';

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

CREATE FUNCTION _att_close_stored(org bigint, day date, me bigint, as_of date, members bigint[]) RETURNS daterange
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p daterange := @extschema@.att_closing_period(org, day);
  gone bigint[];
BEGIN
  IF @extschema@._att_on_coordinator() THEN
    PERFORM @extschema@._att_refresh_on_workers(members, p, NULL, false, 'close');
  ELSE
    PERFORM @extschema@._att_keep_open_pending(members, p);
  END IF;
  p := @extschema@._att_close_period(org, day, me, as_of);
  -- Whom it covers is its members (since 0.24.0): someone an earlier
  -- closing of this org and period covered who is no longer a member (their
  -- membership corrected while the period was reopened) is skipped, as an
  -- unapproved employee is: as a cover alone, it closed their days again,
  -- unchecked. The cover stays: those days were closed once, and every
  -- change to them is still recorded (att_day_ever_closed). Read first,
  -- then written: on Citus the covers are distributed and the skips a
  -- table every node holds.
  gone := ARRAY(SELECT v.employee_id FROM @extschema@.closing_cover v
                 WHERE v.org_id = org AND v.period = p AND NOT (v.employee_id = ANY (members)));
  INSERT INTO @extschema@.closing_exemption (org_id, period, employee_id)
  SELECT org, p, g FROM unnest(gone) AS g ON CONFLICT DO NOTHING;
  INSERT INTO @extschema@.closing_cover (employee_id, org_id, period)
  SELECT e, org, p FROM unnest(members) AS e ON CONFLICT DO NOTHING;
  RETURN p;
END $$;
COMMENT ON FUNCTION _att_close_stored(bigint, date, bigint, date, bigint[]) IS 'Internal: records the closing of the org''s period holding day once its members'' days are stored, keeping what its days not over yet will become and whom it covers (att_close_period, att_close_org).';

REVOKE EXECUTE ON FUNCTION _att_closing_stored(bigint, daterange), _att_close_stored(bigint, date, bigint, date, bigint[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION att_close_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT @extschema@.att_today())
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
  -- reaches its days, recorded as corrections by whoever reopened it; days
  -- another closing still keeps closed stay as they were (since 0.24.0)
  PERFORM @extschema@._att_refresh(@extschema@._att_org_members(org, p), p, me, false, '{}'::date[]);
  RETURN p;
END $$;
COMMENT ON FUNCTION att_reopen_period(bigint, date, bigint, date) IS
  'Reopens a period closed on org itself (a company closing is reopened on the company): by an hr assignment on org or above it, or by the admin who closed it. What changed while it was closed is then applied to its days. Days of a period that was ever closed stay recorded: every later change to them is written to correction. Recorded in closing_event.';

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
  members bigint[];
BEGIN
  IF unapproved IS NULL OR unapproved NOT IN ('report', 'skip') THEN
    RAISE EXCEPTION 'unapproved must be report or skip, got %', unapproved USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- No refresh may withdraw an approval between this check and the
  -- closing: the closing's lock holds every refresh until commit, and the
  -- days are checked as the closing closes them (since 0.24.0): stored and
  -- judged from the inputs of now first (_att_closing_stored), and closed
  -- with no refresh after the check. The check read the days as they were
  -- stored and the closing's refresh came after it, so a change waiting
  -- for att_finalize (a rule version, an org-wide holiday) passed it with
  -- its days approved, that refresh withdrew their approvals, and the
  -- period closed with figures nobody approved; a workday no run had
  -- stored was not counted. A workday not over yet cannot be approved as
  -- it will be: it is a problem of its own.
  PERFORM @extschema@._att_lock_closing();
  members := @extschema@._att_closing_stored(org, p);
  IF @extschema@._att_distributed() THEN
    -- On Citus the same in steps: their timesheets and open days each in
    -- one query routed to their shards (Citus plans no per-member subquery
    -- over a distributed table).
    WITH sheets AS MATERIALIZED (
      SELECT t.employee_id, t.state FROM @extschema@.timesheet t WHERE t.employee_id = ANY (members) AND t.period = p
    ), open_days AS MATERIALIZED (
      SELECT d.employee_id,
             count(*) FILTER (WHERE d.status <> 'pending'
                                AND NOT EXISTS (SELECT 1 FROM @extschema@.day_approval a
                                                 WHERE a.employee_id = d.employee_id AND a.day = d.day AND a.withdrawn_at IS NULL)) AS days,
             count(*) FILTER (WHERE d.status = 'pending') AS not_over
        FROM @extschema@.day_record d
       WHERE d.employee_id = ANY (members) AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')
       GROUP BY d.employee_id
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('employee_id', b.employee_id, 'problem', b.problem) ORDER BY b.employee_id), '[]')
      INTO blockers
      FROM (SELECT m.id AS employee_id,
                   concat_ws('; ',
                     CASE WHEN t.state IS DISTINCT FROM 'approved' THEN 'timesheet ' || coalesce(t.state::text, 'not submitted') END,
                     CASE WHEN u.days > 0 THEN u.days || ' workday(s) not approved' END,
                     CASE WHEN u.not_over > 0 THEN u.not_over || ' workday(s) not over' END) AS problem
              FROM unnest(members) AS m(id)
              LEFT JOIN sheets t ON t.employee_id = m.id
              LEFT JOIN open_days u ON u.employee_id = m.id
             WHERE t.state IS DISTINCT FROM 'approved' OR u.days > 0 OR u.not_over > 0) b;
  ELSE
  SELECT coalesce(jsonb_agg(jsonb_build_object('employee_id', b.employee_id, 'problem', b.problem) ORDER BY b.employee_id), '[]')
    INTO blockers
    FROM (SELECT m.employee_id,
                 concat_ws('; ',
                   CASE WHEN t.state IS DISTINCT FROM 'approved' THEN 'timesheet ' || coalesce(t.state::text, 'not submitted') END,
                   CASE WHEN u.days > 0 THEN u.days || ' workday(s) not approved' END,
                   CASE WHEN u.not_over > 0 THEN u.not_over || ' workday(s) not over' END) AS problem
            FROM unnest(members) AS m(employee_id)
            LEFT JOIN @extschema@.timesheet t ON t.employee_id = m.employee_id AND t.period = p
            CROSS JOIN LATERAL (
              SELECT count(*) FILTER (WHERE d.status <> 'pending'
                                        AND NOT EXISTS (SELECT 1 FROM @extschema@.day_approval a
                                                         WHERE a.employee_id = d.employee_id AND a.day = d.day AND a.withdrawn_at IS NULL)) AS days,
                     count(*) FILTER (WHERE d.status = 'pending') AS not_over
                FROM @extschema@.day_record d
               WHERE d.employee_id = m.employee_id AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')) u
           WHERE t.state IS DISTINCT FROM 'approved' OR u.days > 0 OR u.not_over > 0) b;
  END IF;
  IF jsonb_array_length(blockers) > 0 AND unapproved = 'report' THEN
    RETURN QUERY SELECT b.employee_id, b.problem, 'not closed'::text
                   FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
    RETURN;
  END IF;
  PERFORM @extschema@._att_close_stored(org, day, me, @extschema@.att_today(), members);
  INSERT INTO @extschema@.closing_exemption (org_id, period, employee_id)
  SELECT org, p, b.employee_id FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
  RETURN QUERY SELECT b.employee_id, b.problem, 'skipped: days stay open'::text
                 FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
END $$;
COMMENT ON FUNCTION att_close_org(bigint, date, text) IS
  'Closes (締め処理) the org''s closing period holding day, as att_close_period, after checking every employee in it on the period''s days as the closing closes them (stored and judged from the inputs of now first, no refresh after the check): unapproved = ''report'' lists those whose timesheet is not approved, whose workdays are not all approved or not all over (nobody can approve what a day not over will be), and closes nothing while there are any; ''skip'' closes and leaves those employees'' days open (closing_exemption). On the company root this is company closing. Refused as att_close_period is: 55000 for a closed period or one not begun, 0A000 outside READ COMMITTED.';

COMMENT ON TABLE closing_cover IS 'The employees a closing of an org and period covered, recorded when it closed and kept after a reopening: their days of the period stay closed (and ever closed) whatever memberships say later. Closing the period again closes its members then: anyone an earlier closing covered who is no longer a member is skipped (closing_exemption) and stays ever closed (since 0.24.0).';

COMMENT ON TABLE closing_exemption IS 'Employees a closing skipped because their days or timesheet were not approved, or because an earlier closing of the period covered them and they are no longer members of the org (since 0.24.0): their days stay open.';

CREATE OR REPLACE FUNCTION timesheet_step(employee bigint, day date, action text, reason text DEFAULT NULL) RETURNS daterange
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
  org bigint;
  p daterange;
  current_state @extschema@.timesheet_state;
  allowed boolean;
  setters bigint[];
  -- a variable, not now() in the upsert: Citus takes no function in an
  -- upsert's SET on a distributed table
  at_now timestamptz := now();
BEGIN
  -- Who asks is decided before anything about the employee is read, and
  -- every refusal is the same: no answer tells employment dates or states.
  IF action = 'submit' THEN
    -- the setters read first and judged after (see is_approver)
    SELECT array_agg(x.set_by) INTO setters FROM @extschema@.proxy x
     WHERE x.employee_id = employee AND x.proxy_id = actor AND x.period @> @extschema@.att_today();
    allowed := actor = employee
               OR EXISTS (SELECT 1 FROM unnest(setters) AS x(set_by)
                           WHERE @extschema@.att_has_permission(x.set_by, employee, day, 'set_proxy', day) IS TRUE);
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
  ELSIF action = 'send_back' AND current_state = 'approved' THEN
    -- An approved timesheet is sent back while its period is open for the
    -- employee (since 0.24.0): a day approved in it may change afterwards
    -- (a leave synced late, a correction) and its approval is withdrawn,
    -- and until now neither side could redo the timesheet. Once closed,
    -- the period's figures are what the closing checked.
    IF EXISTS (SELECT 1 FROM generate_series(lower(p), upper(p) - 1, interval '1 day') AS d(day)
                WHERE @extschema@.att_day_closed(employee, d.day::date)) THEN
      RAISE EXCEPTION 'the timesheet % of employee % is approved and its period is closed', p, employee
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
  ELSIF action <> 'submit' AND current_state IS DISTINCT FROM 'submitted' THEN
    RAISE EXCEPTION 'the timesheet % of employee % is not submitted', p, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  INSERT INTO @extschema@.timesheet AS t (employee_id, period, state)
  VALUES (employee, p, CASE action WHEN 'submit' THEN 'submitted' WHEN 'approve' THEN 'approved' ELSE 'sent_back' END::@extschema@.timesheet_state)
  ON CONFLICT (employee_id, period) DO UPDATE SET state = excluded.state, changed_at = at_now;
  INSERT INTO @extschema@.timesheet_event (employee_id, period, action, actor, reason) VALUES (employee, p, action, actor, reason);
  RETURN p;
END $$;

COMMENT ON FUNCTION att_send_back_timesheet(bigint, date, text) IS 'Sends a submitted timesheet back (差戻し) with a reason, or an approved one while no day of its period is closed for the employee (55000 once it is); by the approver or an admin holding send_back on day.';

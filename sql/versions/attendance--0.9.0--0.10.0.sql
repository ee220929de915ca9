-- Upgrade from 0.9.0 (frozen in attendance--0.9.0.sql) to 0.10.0 (issue
-- 15): the scope policies read the scope once per query as a value that
-- parallel workers get from their leader; period sums and the punch path's
-- checks move into the library; a refresh that changes no day writes none.
-- Drafted with scripts/upgrade-draft.py from the two install scripts;
-- tests/upgrade checks that an upgraded database has exactly the objects of
-- a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE  FUNCTION "_att_view_scope_value"() RETURNS bytea 
STRICT STABLE SECURITY DEFINER PARALLEL RESTRICTED 
SET search_path TO pg_catalog, pg_temp
LANGUAGE c 
AS 'MODULE_PATHNAME', 'att_view_scope_value_wrapper';

CREATE OR REPLACE FUNCTION att_can_view(employee bigint, day date) RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE COST 100 AS 'MODULE_PATHNAME', 'att_can_view_row';

COMMENT ON FUNCTION _att_view_scope_value() IS 'Internal: the acting employee''s visible spans as one value, which the scope policies read once per query (in the leader, which hands it to parallel workers) and check rows against with _att_scope_allows.';

CREATE FUNCTION _att_scope_allows(scope bytea, employee bigint, day date) RETURNS boolean
LANGUAGE c IMMUTABLE PARALLEL SAFE COST 100 AS 'MODULE_PATHNAME', 'att_scope_allows';

COMMENT ON FUNCTION _att_scope_allows(bytea, bigint, date) IS
  'Internal: whether the day is within the employee''s spans of a scope value (_att_view_scope_value); what the scope policies call per row. An infinite date or a NULL argument is never visible; bytes that are not a scope value are refused (22023).';

CREATE FUNCTION _att_scope_check(tab regclass, arguments text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  distributed boolean := false;
BEGIN
  IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
    -- dynamic: the catalog does not exist on a node without Citus
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = $1)' INTO distributed USING tab;
  END IF;
  IF distributed THEN
    RETURN format('@extschema@.att_can_view(%s)', arguments);
  END IF;
  RETURN format('@extschema@._att_scope_allows((SELECT @extschema@._att_view_scope_value()), %s)', arguments);
END $$;

COMMENT ON FUNCTION _att_scope_check(regclass, text) IS 'Internal: the condition of a scope policy on the table for the arguments given (the employee and the day expression; see att_enable_scope_policies).';

CREATE OR REPLACE FUNCTION att_enable_scope_policies(tab regclass, employee_column name DEFAULT 'employee_id', day_column name DEFAULT 'day')
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  employee_type regtype;
  day_type regtype;
  employee_expr text;
  day_expr text;
BEGIN
  SELECT a.atttypid::regtype INTO employee_type FROM pg_attribute a
   WHERE a.attrelid = tab AND a.attname = employee_column AND a.attnum > 0 AND NOT a.attisdropped;
  SELECT a.atttypid::regtype INTO day_type FROM pg_attribute a
   WHERE a.attrelid = tab AND a.attname = day_column AND a.attnum > 0 AND NOT a.attisdropped;
  IF employee_type IS NULL OR day_type IS NULL THEN
    RAISE EXCEPTION 'table % has no column %', tab, CASE WHEN employee_type IS NULL THEN employee_column ELSE day_column END
      USING ERRCODE = 'undefined_column';
  END IF;
  employee_expr := CASE
    WHEN employee_type IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype) THEN format('%I::bigint', employee_column)
    WHEN employee_type IN ('text'::regtype, 'character varying'::regtype, 'uuid'::regtype, 'character'::regtype)
      THEN format('@extschema@.att_employee_id(%I::text)', employee_column)
  END;
  day_expr := CASE
    WHEN day_type = 'date'::regtype THEN format('%I', day_column)
    WHEN day_type = 'timestamp without time zone'::regtype THEN format('%I::date', day_column)
    WHEN day_type = 'timestamp with time zone'::regtype
      THEN format('@extschema@.att_local_day(%s, %I)', employee_expr, day_column)
  END;
  IF employee_expr IS NULL OR day_expr IS NULL THEN
    RAISE EXCEPTION 'scope policies need an employee column of type integer, bigint, text or uuid and a day column of type date, timestamp or timestamptz; %.% is %, %.% is %',
      tab, employee_column, employee_type, tab, day_column, day_type
      USING ERRCODE = 'datatype_mismatch';
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tab);
  EXECUTE format('DROP POLICY IF EXISTS attendance_scope ON %s', tab);
  EXECUTE format('CREATE POLICY attendance_scope ON %s FOR SELECT USING (%s)',
                 tab, @extschema@._att_scope_check(tab, format('%s, %s', employee_expr, day_expr)));
END $$;

COMMENT ON FUNCTION att_enable_scope_policies(regclass, name, name) IS
  'Enables row-level security on a table with an employee column and a day column (the extension''s or the ERP''s own) and adds a SELECT policy: a role sees the rows of its own employee and of employees in its admin scope. The employee column may be integer, bigint (the employee id), text or uuid (the ERP''s key, employee_key); the day column date, timestamp (its date) or timestamptz (the local day in the employee''s rule zone). Other types are refused with 42804, nothing changed. Writes are not opened by the policy; grant them separately. The policy reads the scope once per query, in parallel queries once in the leader; on a table distributed with Citus (which takes no subquery in a policy) it calls att_can_view instead: distribute an ERP table first, or drop its policy, distribute it and call this again.';

CREATE FUNCTION _att_period_sums(employees bigint[], periods date[]) RETURNS SETOF period_record
LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'att_period_sums';

COMMENT ON FUNCTION _att_period_sums(bigint[], date[]) IS 'Internal: the period_record rows of the (employee, period start) pairs given, from day_record, in order of employee and period start; the same as _att_period_rows.';

REVOKE EXECUTE ON FUNCTION _att_period_sums(bigint[], date[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION _att_period_keep(employees bigint[], periods date[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off AS $$
-- Static statements, so their plans are kept for the session. Generic
-- plans without sequential scans, as in _att_period_rows.
DECLARE
  fresh @extschema@.period_record[];
  gone_employees bigint[];
  gone_periods date[];
  target regclass;
  distributed boolean;
BEGIN
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN;
  END IF;
  distributed := @extschema@._att_distributed();
  IF distributed THEN
    -- custom plans on Citus, as in _att_period_rows; on a worker the rows
    -- go straight into the shard here (_att_local_shard)
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
    target := @extschema@._att_local_shard('@extschema@.period_record', employees);
  END IF;
  -- Written in place through the primary key (a generic plan cannot turn
  -- an upsert into a scan), a period left unchanged not rewritten; on Citus
  -- the trigger runs on the worker holding the employees.
  IF distributed THEN
    fresh := ARRAY(SELECT f FROM @extschema@._att_period_rows(employees, periods) f);
  ELSE
    fresh := ARRAY(SELECT f FROM @extschema@._att_period_sums(employees, periods) f);
  END IF;
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
END $$;

CREATE OR REPLACE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean) RETURNS integer
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
  -- On a Citus coordinator the workers refresh their own employees (citus.sql).
  IF distributed AND @extschema@._att_on_coordinator() THEN
    RETURN @extschema@._att_refresh_on_workers(employees, days, actor, strict);
  END IF;
  -- On a Citus worker every statement below names the employees, so that
  -- Citus routes it to this worker's shards of them.
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
    -- A few employee-days (a punch's refresh: one employee, thirteen days)
    -- are evaluated first, and nothing is written when no day changed, as
    -- after most punches: starting the upsert and the period triggers it
    -- fires cost about a tenth of a punch. A larger refresh streams its
    -- days into the upsert instead of holding them.
    IF NOT distributed AND cardinality(employees)::bigint * (upper(days) - lower(days)) <= 4096 THEN
      few := ARRAY(SELECT f FROM @extschema@._att_evaluate_changes(employees, lower(days), upper(days) - 1) f);
      IF cardinality(few) = 0 THEN
        RETURN 0;
      END IF;
    END IF;
    -- The write skips days whose figures did not change before it reaches
    -- them (an upsert would lock, and so write, every row it meets), and
    -- keeps its own check for rows that changed under it.
    WITH written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes
        -- unchanged days are left alone: compared with the stored rows batch
        -- by batch (one probe per employee), not locked or rewritten
        FROM (SELECT * FROM unnest(few) WHERE few IS NOT NULL
              UNION ALL
              SELECT * FROM @extschema@._att_evaluate_batches(employees, days, true) WHERE few IS NULL) f
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

CREATE FUNCTION _att_current_user_is_superuser() RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'att_current_user_is_superuser';

COMMENT ON FUNCTION _att_current_user_is_superuser() IS 'Internal: whether the role a statement runs as (current_user) is a superuser; asked by the backend rather than by a query of pg_roles, once per punch.';

CREATE OR REPLACE FUNCTION punch_as_recorded() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT @extschema@._att_current_user_is_superuser() THEN
    IF NEW.source IS NULL OR NEW.source NOT IN ('device', 'terminal', 'mobile') THEN
      NEW.source := 'device';
    END IF;
    NEW.recorded_by := NULL;
    NEW.reason := NULL;
    NEW.recorded_at := now();
    NEW.revision := 0;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION _att_visible_orgs() RETURNS TABLE (org_id bigint, name text, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp ROWS 100
BEGIN ATOMIC
  SELECT o.org_id, o.name, o.closing_day::integer
    FROM @extschema@.org o
   WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      -- kept with the asker's scope between queries (src/access.rs)
      OR o.org_id = ANY ((SELECT @extschema@._att_visible_org_ids())::bigint[]);
END;

CREATE OR REPLACE FUNCTION _att_distributed() RETURNS boolean
LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'att_distributed';

CREATE OR REPLACE FUNCTION _att_on_coordinator() RETURNS boolean
LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'att_on_coordinator';

CREATE OR REPLACE FUNCTION att_distribute() RETURNS TABLE (table_name name, spread text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  t record;
  trg record;
  enabled jsonb;
  missing text;
BEGIN
  IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) THEN
    RAISE EXCEPTION 'att_distribute needs a superuser' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'att_distribute needs the citus extension in this database'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Preload citus on every node (shared_preload_libraries = ''citus''), CREATE EXTENSION citus, add the workers with citus_add_node, then call att_distribute().';
  END IF;
  IF @extschema@._att_distributed() THEN
    RAISE EXCEPTION 'the attendance tables are distributed already' USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- the reference tables' AFTER triggers run on the coordinator's copy
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node n WHERE n.groupid = 0 AND n.isactive) THEN
    RAISE EXCEPTION 'the coordinator is not in the Citus metadata'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Run SELECT citus_set_coordinator_host(''<host>'', <port>) on the coordinator first: reference tables need a copy there.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node n WHERE n.groupid <> 0 AND n.isactive AND n.shouldhaveshards) THEN
    RAISE EXCEPTION 'the Citus cluster has no worker to hold shards'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Add the workers with citus_add_node first.';
  END IF;
  SELECT string_agg(c.conrelid::regclass::text || ' -> ' || c.confrelid::regclass::text, ', ') INTO missing
    FROM pg_catalog.pg_constraint c
   WHERE c.contype = 'f' AND c.confrelid IN (SELECT x.oid FROM pg_catalog.pg_class x WHERE x.relnamespace = '@extschema@'::regnamespace)
     AND c.connamespace <> '@extschema@'::regnamespace;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'tables outside the extension reference its tables: %', missing
      USING ERRCODE = 'dependent_objects_still_exist',
            HINT = 'Drop those foreign keys, distribute, then re-create them from Citus tables (or make those tables Citus tables).';
  END IF;

  -- Triggers on distributed tables fire on the shards: the extension's are
  -- written for that (see the notes at the top of this file).
  PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
  -- A reference table referenced from a table that is not distributed yet
  -- would turn that table into a Citus local table, which cannot keep the
  -- extension's identity sequences: the tables are converted in order, and
  -- no table is converted on the side.
  PERFORM pg_catalog.set_config('citus.enable_local_reference_table_foreign_keys', 'off', true);
  -- Rows already loaded are copied into the shards as they are, like a
  -- restore: nothing is re-derived on the way. The shards get the tables'
  -- triggers in the state they are in, and Citus's copy of the rows reaches
  -- no session_replication_role: off while copying, then on everywhere.
  SELECT coalesce(jsonb_agg(jsonb_build_array(g.tgrelid::regclass::text, g.tgname)), '[]') INTO enabled
    FROM pg_catalog.pg_trigger g
   WHERE NOT g.tgisinternal AND g.tgenabled = 'O'
     AND g.tgrelid IN (SELECT format('@extschema@.%I', d.table_name)::regclass FROM @extschema@._att_distribution() d);
  FOR trg IN SELECT x ->> 0 AS rel, x ->> 1 AS name FROM jsonb_array_elements(enabled) x LOOP
    EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', trg.rel, trg.name);
  END LOOP;

  -- Citus takes no subquery in a policy on a distributed table: the scope
  -- policies call att_can_view, which reads the scope once per query on
  -- each node (access.sql, _att_scope_check).
  ALTER POLICY attendance_scope ON @extschema@.day_record USING (@extschema@.att_can_view(employee_id, day));
  ALTER POLICY attendance_scope ON @extschema@.schedule USING (@extschema@.att_can_view(employee_id, day));
  ALTER POLICY attendance_scope ON @extschema@.period_record USING (@extschema@.att_can_view(employee_id, period_start));

  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'everywhere' LOOP
    PERFORM create_reference_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  PERFORM create_distributed_table('@extschema@.day_record', 'employee_id');
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'employee' AND d.table_name <> 'day_record' LOOP
    PERFORM create_distributed_table(format('@extschema@.%I', t.table_name)::regclass, 'employee_id',
                                     colocate_with => '@extschema@.day_record');
  END LOOP;
  -- day_record's employees: on a single node statement triggers keep them
  -- (day_employees.sql), here a foreign key to the reference table does,
  -- added over the shards one connection at a time in this transaction
  PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);
  ALTER TABLE @extschema@.day_record ADD CONSTRAINT day_record_employee_id_fkey
    FOREIGN KEY (employee_id) REFERENCES @extschema@.employee (employee_id);
  -- The coordinator keeps the rows it had only as hidden local data.
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d ORDER BY d.spread, d.table_name LOOP
    PERFORM truncate_local_data_after_distributing_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  FOR trg IN SELECT x ->> 0 AS rel, x ->> 1 AS name FROM jsonb_array_elements(enabled) x LOOP
    EXECUTE format('ALTER TABLE %s ENABLE TRIGGER %I', trg.rel, trg.name);
  END LOOP;

  -- a row in each shard, through which the workers evaluate their own
  INSERT INTO @extschema@.shard_anchor SELECT unnest(@extschema@._att_shard_representatives());

  -- SET LOCAL of the extension's settings (attendance.acting_employee for a
  -- trusted application, attendance.reason, attendance.clock) must reach
  -- the workers, where the triggers read them.
  EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = local', current_database());
  -- A parallel worker on the coordinator cannot take part in a distributed
  -- transaction: att_evaluate_all's parts run in the leader, one after
  -- another, each spread over the shards by Citus.
  -- (the planner judges an inlined function by its own marking, so both)
  ALTER FUNCTION @extschema@.att_evaluate_all(daterange) PARALLEL RESTRICTED;
  ALTER FUNCTION @extschema@._att_part_ids(integer, integer) PARALLEL RESTRICTED;
  RETURN QUERY SELECT d.table_name, d.spread FROM @extschema@._att_distribution() d ORDER BY d.spread, d.table_name;
END $$;



-- == The scope policies made by att_enable_scope_policies, on the
-- extension's tables and the ERP's, take the new form (_att_scope_check):
-- the same arguments, the scope read once per query. On a table Citus
-- distributes they stay as they are (no subquery in a policy there).
DO $$
DECLARE
  p record;
  arguments text;
  condition text;
BEGIN
  FOR p IN SELECT pol.polrelid::regclass AS tab, pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS qual
             FROM pg_catalog.pg_policy pol
            WHERE pol.polname = 'attendance_scope' AND pol.polcmd = 'r' LOOP
    arguments := substring(p.qual FROM '^(?:.*\.)?att_can_view\((.*)\)$');
    condition := @extschema@._att_scope_check(p.tab, arguments);
    IF condition LIKE '%_att_scope_allows(%' THEN
      EXECUTE format('ALTER POLICY attendance_scope ON %s USING (%s)', p.tab, condition);
    END IF;
  END LOOP;
END $$;

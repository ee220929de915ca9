-- Upgrade from 0.5.0 (frozen in attendance--0.5.0.sql) to 0.6.0: evaluation
-- and refresh faster at company scale (issue 15): batches shared among
-- parallel workers, a refresh comparing each batch with its stored days in
-- one probe per employee, finalisation reading what fell due only.
-- Drafted with scripts/upgrade-draft.py from the two install scripts;
-- tests/upgrade checks that an upgraded database has exactly the objects of
-- a fresh one.

CREATE OR REPLACE FUNCTION _att_evaluate_batch(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31 COST 1000000
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_batch';

CREATE FUNCTION _att_evaluate_changes(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31 COST 1000000
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_changes';

COMMENT ON FUNCTION _att_evaluate_changes(bigint[], date, date) IS 'Internal: a batch''s evaluated days that differ from day_record or are not stored (see _att_evaluate_batches).';

REVOKE EXECUTE ON FUNCTION _att_evaluate_changes(bigint[], date, date) FROM PUBLIC;

CREATE FUNCTION _att_evaluate_batches(employees bigint[], days daterange, changes boolean) RETURNS SETOF day_result
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 1000 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  first date := lower(days);
  last date := upper(days) - 1;
  ids bigint[];
  n integer;
  part integer;
BEGIN
  IF coalesce(cardinality(employees), 0) = 0 OR isempty(days) THEN
    RETURN;
  END IF;
  IF cardinality(employees) <= 256 OR @extschema@._att_distributed() THEN
    IF changes THEN
      RETURN QUERY SELECT * FROM @extschema@._att_evaluate_changes(employees, first, last);
    ELSE
      RETURN QUERY SELECT * FROM @extschema@._att_evaluate_batch(employees, first, last);
    END IF;
    RETURN;
  END IF;
  ids := ARRAY(SELECT DISTINCT x FROM unnest(employees) AS x WHERE x IS NOT NULL ORDER BY 1);
  n := cardinality(ids);
  IF n = 0 THEN
    RETURN;
  END IF;
  part := ceil(n / least(16, ceil(n / 256.0)))::integer;
  RETURN QUERY EXECUTE (
    SELECT string_agg(format('SELECT * FROM @extschema@.%I($1[%s:%s], $2, $3)',
                             CASE WHEN changes THEN '_att_evaluate_changes' ELSE '_att_evaluate_batch' END, i, i + part - 1),
                      ' UNION ALL ')
      FROM generate_series(1, n, part) AS i)
    USING ids, first, last;
END $$;

COMMENT ON FUNCTION _att_evaluate_batches(bigint[], daterange, boolean) IS 'Internal: evaluates the employees'' days over a finite range in batches of 256, in parallel when there are several; with changes (the extension''s refresh only), just the days that differ from day_record or are not stored.';

CREATE OR REPLACE FUNCTION att_evaluate(employees bigint[], days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1000
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batches(employees, days, false);
END;

COMMENT ON FUNCTION att_evaluate(bigint[], daterange) IS
  'Evaluates many employees'' days over a finite date range in batches: the rows of 256 employees at a time are loaded with one query per table and judged in one pass, the batches shared among the parallel workers (max_parallel_workers_per_gather). The fast way to evaluate a whole org or company.';

CREATE FUNCTION _att_part_ids(parts integer, part integer) RETURNS bigint[]
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  lo bigint;
  width numeric;
BEGIN
  IF parts < 1 OR part < 0 OR part >= parts THEN
    RAISE EXCEPTION 'part % of % does not exist: parts start at 0 and there is at least one', part, parts
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT min(e.employee_id), max(e.employee_id) - min(e.employee_id) + 1 INTO lo, width FROM @extschema@.employee e;
  RETURN (SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e
           WHERE e.employee_id >= lo + floor(width * part / parts) AND e.employee_id < lo + floor(width * (part + 1) / parts));
END $$;

COMMENT ON FUNCTION _att_part_ids(integer, integer) IS 'Internal: the employees whose ids fall in the part-th of parts equal ranges between the smallest and the largest id, in order (att_evaluate_all).';

CREATE OR REPLACE FUNCTION att_evaluate_all(days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 0), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 1), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 2), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 3), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 4), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 5), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 6), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 7), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 8), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 9), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 10), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 11), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 12), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 13), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 14), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 15), lower(days), upper(days) - 1);
END;

COMMENT ON FUNCTION att_evaluate_all(daterange) IS
  'Evaluates every employee''s days over a finite date range, as att_evaluate(bigint[], daterange) over all employees, in sixteen parts of the id range that parallel workers share (max_parallel_workers_per_gather).';

CREATE OR REPLACE FUNCTION period_record_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
-- Static statements per operation (a transition table exists only for the
-- operations that have one), so their plans are kept for the session: a
-- punch's refresh fires this twice (an upsert's insert and update).
DECLARE
  employees bigint[];
  periods date[];
  distributed boolean;
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
  -- on Citus the trigger runs on the worker holding the employees, and the
  -- filter on them routes the statement to its shard
  distributed := @extschema@._att_distributed();
  DELETE FROM @extschema@.period_record r
   USING unnest(employees, periods) AS k(employee_id, period_start)
   WHERE r.employee_id = k.employee_id AND r.period_start = k.period_start
     AND (NOT distributed OR r.employee_id = ANY (employees));
  INSERT INTO @extschema@.period_record SELECT * FROM @extschema@._att_period_rows(employees, periods);
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

CREATE OR REPLACE FUNCTION att_finalize() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today date := @extschema@.att_today();
  since date;
  everyone bigint[];
  stale record;
  first_pending date;
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
  -- days still pending from before: night shifts, days stored ahead by a
  -- punch. The earliest is read first, from the end of the partial index:
  -- days stored ahead keep a company's pending rows many, and a plan for
  -- "pending before since" alone would read them all, or the whole table.
  SELECT min(d.day) INTO first_pending FROM @extschema@.day_record d WHERE d.status = 'pending';
  IF first_pending < since THEN
    SELECT array_agg(DISTINCT d.employee_id ORDER BY d.employee_id) AS employees, min(d.day) AS first
      INTO stale FROM @extschema@.day_record d
     WHERE d.status = 'pending' AND d.day >= first_pending AND d.day < since;
    IF stale.employees IS NOT NULL THEN
      changed := changed + @extschema@._att_refresh(stale.employees, daterange(stale.first, since), NULL, false);
    END IF;
  END IF;
  changed := changed + @extschema@._att_drain_requests(NULL);
  INSERT INTO @extschema@.finalize_state AS s (through, ran_at) VALUES (greatest(today, since - 1), @extschema@.att_now())
  ON CONFLICT (singleton) DO UPDATE SET through = excluded.through, ran_at = excluded.ran_at;
  RETURN changed;
END $$;

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

  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'everywhere' LOOP
    PERFORM create_reference_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  PERFORM create_distributed_table('@extschema@.day_record', 'employee_id');
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'employee' AND d.table_name <> 'day_record' LOOP
    PERFORM create_distributed_table(format('@extschema@.%I', t.table_name)::regclass, 'employee_id',
                                     colocate_with => '@extschema@.day_record');
  END LOOP;
  -- The coordinator keeps the rows it had only as hidden local data.
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d ORDER BY d.spread, d.table_name LOOP
    PERFORM truncate_local_data_after_distributing_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  FOR trg IN SELECT x ->> 0 AS rel, x ->> 1 AS name FROM jsonb_array_elements(enabled) x LOOP
    EXECUTE format('ALTER TABLE %s ENABLE TRIGGER %I', trg.rel, trg.name);
  END LOOP;

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

COMMENT ON FUNCTION att_distribute() IS
  'Turns this database into a Citus deployment (run once, on the coordinator, as a superuser, after CREATE EXTENSION citus, citus_set_coordinator_host and citus_add_node for each worker): the per-employee tables are distributed by employee_id and colocated with day_record, the tables every node needs (org tree, employees, memberships, grants, rules, holidays, closings) become reference tables, rows already loaded move into the shards as they are, and the database gets citus.propagate_set_commands = local so that SET LOCAL of the extension''s settings reaches the workers; att_evaluate_all''s parts stay out of the coordinator''s parallel workers. Returns each table and how it is spread. 42501 without superuser, 0A000 without Citus, 55000 when already distributed or the cluster is not ready.';


-- == att_evaluate_all reads its employees in parts now (_att_part_ids).
DROP FUNCTION @extschema@._att_employee_ids();

-- == A Citus deployment keeps att_evaluate_all's parts out of the
--    coordinator's parallel workers, as att_distribute() now does.
DO $$
BEGIN
  IF @extschema@._att_distributed() THEN
    ALTER FUNCTION @extschema@.att_evaluate_all(daterange) PARALLEL RESTRICTED;
    ALTER FUNCTION @extschema@._att_part_ids(integer, integer) PARALLEL RESTRICTED;
  END IF;
END $$;

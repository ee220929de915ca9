-- Upgrade from 0.4.0 (frozen in attendance--0.4.0.sql) to 0.5.0: what
-- ERPNext and Odoo users rely on (issue 14): punch sources terminal and
-- mobile, make-up punch limits, weekly quantity overtime and time off in
-- lieu, the minutes present as punched, new rule versions checked for idle
-- settings; scoped reads cheaper (issue 15).
-- Drafted with scripts/upgrade-draft.py from the two install scripts, then
-- the type and table changes and the backfill by hand; tests/upgrade checks
-- that an upgraded database has exactly the objects of a fresh one.

-- == Two device kinds, added after the others as a fresh install has them.
ALTER TYPE @extschema@.punch_source ADD VALUE 'terminal';
ALTER TYPE @extschema@.punch_source ADD VALUE 'mobile';

-- == The ERP says which kind of device took a check-in.
DROP FUNCTION @extschema@.att_sync_punch(bigint, text, text, timestamptz, double precision, double precision);

-- == Each day keeps the minutes present as punched.
ALTER TYPE @extschema@.day_result ADD ATTRIBUTE attended_minutes integer;
ALTER TABLE @extschema@.day_record ADD COLUMN attended_minutes integer NOT NULL DEFAULT 0;

-- == Functions returning day_result whose text did not change: re-created so
--    their stored bodies return the new attribute too.
CREATE OR REPLACE FUNCTION att_evaluate(employee bigint, days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 31
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batch(ARRAY[employee], lower(days), upper(days) - 1) WHERE NOT isempty(days);
END;

CREATE OR REPLACE FUNCTION att_evaluate_day(employee bigint, day date)
RETURNS day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE
-- a plain expression, so the planner inlines it and the engine's per-query
-- cache belongs to the caller's query
RETURN @extschema@._att_evaluate_day(employee, day);

CREATE OR REPLACE FUNCTION att_evaluate(employees bigint[], days daterange)
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

CREATE OR REPLACE FUNCTION att_evaluate_all(days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
  SELECT r.*
    FROM (SELECT array_agg(e.id ORDER BY e.id) AS ids
            FROM (SELECT u.id, (row_number() OVER (ORDER BY u.id) - 1) / 256 AS batch
                    FROM unnest(@extschema@._att_employee_ids()) AS u(id)) e
           GROUP BY e.batch) b,
         LATERAL @extschema@._att_evaluate_batch(b.ids, lower(days), upper(days) - 1) r;
END;

CREATE OR REPLACE FUNCTION att_evaluate_rule(rule jsonb, request jsonb)
RETURNS SETOF day_result
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_request(rule, request);
END;

CREATE OR REPLACE FUNCTION att_evaluate_rule(rule jsonb, day date, punches timestamptz[])
RETURNS day_result
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_request(rule, jsonb_build_object(
    'from', day,
    'punches', coalesce((SELECT jsonb_agg(jsonb_build_object('at', p)) FROM unnest(punches) AS p), '[]'::jsonb)));
END;

COMMENT ON TYPE punch_source IS 'Where a punch came from: a device (unspecified), a fixed terminal (no position expected), a phone (mobile: a position expected), a make-up punch (补签), or an approved appeal (申诉). device, terminal and mobile are real punches: only they trigger leave-late-arrive-late. A rule''s position_required_for names the sources whose punches count only with a position.';

CREATE FUNCTION "att_rule_validate_new"("config" jsonb) RETURNS bool
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_rule_validate_new_wrapper';

COMMENT ON FUNCTION att_rule_validate_new(jsonb) IS 'Validates a rule configuration as a new version must be: everything att_rule_validate checks, and no setting that would silently do nothing (an absence threshold whose situation is off). Raises the error naming the field (22023), else true.';

CREATE FUNCTION rule_version_check_new() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR NEW.created_at >= now() THEN
    PERFORM @extschema@.att_rule_validate_new(NEW.config);
  END IF;
  RETURN NEW;
END $$;

COMMENT ON FUNCTION rule_version_check_new() IS 'Internal trigger: a new or changed rule configuration must pass att_rule_validate_new.';

CREATE TRIGGER rule_version_check_new BEFORE INSERT OR UPDATE OF config ON rule_version
  FOR EACH ROW EXECUTE FUNCTION rule_version_check_new();

COMMENT ON TYPE day_result IS 'One employee-day as the rule engine judges it. check_in/check_out hold one entry per shift period (NULL where missing). day_kind: workday, rest, holiday, make_up_workday. status: normal, late, early, late_and_early, half_day, missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule, pending, not_employed. leave_minutes: the part of the shift covered by approved leave (trip_minutes, outing_minutes, appeal_minutes: by business trips, outings and appeals; leave_type: the ERP''s leave types covering it). reasons explains each figure. org_id, company_id: the primary membership''s org and its company in the tree of that day; period_start: the first day of that company''s closing period holding the day; time_zone: the rule''s zone; scheduled_start/scheduled_end: the start of the first and the end of the last shift period as judged (moved by a flex rule); check_in_place/check_out_place: the rule''s location holding the first check-in and the last check-out; attended_minutes: the minutes present as punched (check-in to check-out, not clipped to the shift, breaks left out).';

COMMENT ON COLUMN day_record.attended_minutes IS 'Minutes present as punched: each period from its check-in to its check-out (the in/out pairs with work_time pairs), not clipped to the shift, breaks left out; on rest days and holidays the minutes worked. What weekly quantity overtime counts.';

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
        FROM @extschema@.att_evaluate(employees, days) f
        -- unchanged days are left alone: read, not locked or rewritten
        LEFT JOIN @extschema@.day_record o ON o.employee_id = f.employee_id AND o.day = f.day
                                          AND (NOT distributed OR o.employee_id = ANY (employees))
       WHERE o.employee_id IS NULL
          OR (o.rule_id, o.rule_name, o.shift, o.day_kind, o.status, o.check_in, o.check_out, o.scheduled_minutes, o.late_minutes, o.early_minutes, o.absent_minutes, o.work_minutes, o.overtime_minutes, o.overtime_category, o.outside_punches, o.leave_minutes, o.reasons, o.org_id, o.company_id, o.period_start, o.time_zone, o.scheduled_start, o.scheduled_end, o.leave_type, o.trip_minutes, o.outing_minutes, o.appeal_minutes, o.check_in_place, o.check_out_place, o.attended_minutes)
             IS DISTINCT FROM
             (f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes)
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

CREATE OR REPLACE FUNCTION punch_as_recorded() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) THEN
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

COMMENT ON FUNCTION punch_as_recorded() IS 'Internal trigger: a punch inserted directly by a login is a real punch (device, terminal or mobile, as the loader says; anything else becomes device) recorded now.';

CREATE FUNCTION make_up_day(employee bigint, at timestamptz) RETURNS date
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN coalesce((SELECT d.day FROM @extschema@.day_record d
                    WHERE d.employee_id = employee
                      AND d.day BETWEEN (at AT TIME ZONE 'UTC')::date - 2 AND (at AT TIME ZONE 'UTC')::date + 1
                      AND at = ANY (d.check_in || d.check_out)
                    ORDER BY d.day LIMIT 1),
                  @extschema@.att_local_day(employee, at));
END $$;

COMMENT ON FUNCTION make_up_day(bigint, timestamptz) IS 'Internal: the day a punch serves (the stored day using it, else its local date).';

CREATE FUNCTION make_up_limit_check(employee bigint, at timestamptz) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  served date := @extschema@.make_up_day(employee, at);
  d record;
  limits jsonb;
  period_end date;
  today date := @extschema@.att_today();
  used integer;
BEGIN
  SELECT r.rule_id, r.rule_name, r.period_start, r.company_id INTO d
    FROM @extschema@.day_record r WHERE r.employee_id = employee AND r.day = served;
  IF NOT FOUND OR d.rule_id IS NULL THEN
    SELECT f.rule_id, f.rule_name, f.period_start, f.company_id INTO d FROM @extschema@.att_evaluate_day(employee, served) f;
  END IF;
  IF d.rule_id IS NULL THEN
    RETURN;
  END IF;
  SELECT v.config -> 'make_up_punch' INTO limits
    FROM @extschema@.rule_version v
   WHERE v.rule_id = d.rule_id AND v.valid_from <= served
   ORDER BY v.valid_from DESC LIMIT 1;
  IF limits IS NULL THEN
    RETURN;
  END IF;
  IF limits ? 'within_days' AND served < today - (limits ->> 'within_days')::integer THEN
    RAISE EXCEPTION 'a make-up punch for % is too late: rule % allows them within % days after the day', served, d.rule_name, limits ->> 'within_days'
      USING ERRCODE = 'check_violation';
  END IF;
  IF limits ? 'within_days' AND served > today THEN
    RAISE EXCEPTION 'a make-up punch for % is too early: rule % allows them for days up to today (%)', served, d.rule_name, today
      USING ERRCODE = 'check_violation';
  END IF;
  IF limits ? 'monthly_limit' THEN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
      RAISE EXCEPTION 'a make-up punch under rule %''s monthly limit needs a READ COMMITTED transaction', d.rule_name
        USING ERRCODE = 'feature_not_supported',
              HINT = 'Counted with an older snapshot, a concurrent correction would go unseen: retry outside REPEATABLE READ and SERIALIZABLE.';
    END IF;
    IF d.period_start IS NULL THEN
      d.period_start := date_trunc('month', served)::date;
    END IF;
    period_end := @extschema@.att_period_end(d.period_start, (SELECT o.closing_day FROM @extschema@.org o WHERE o.org_id = d.company_id));
    -- the days punches serve lie within a day or two of their UTC dates:
    -- read the instants around the month, then keep those serving it
    SELECT count(*) INTO used
      FROM @extschema@.punch p
     WHERE p.employee_id = employee AND p.source = 'make_up'
       AND p.at >= (d.period_start - 2)::timestamp AT TIME ZONE 'UTC' AND p.at < (period_end + 3)::timestamp AT TIME ZONE 'UTC'
       AND NOT EXISTS (SELECT 1 FROM @extschema@.punch_void v WHERE v.employee_id = p.employee_id AND v.punch_id = p.punch_id)
       AND @extschema@.make_up_day(employee, p.at) BETWEEN d.period_start AND period_end;
    -- the new punch is among them
    IF used > (limits ->> 'monthly_limit')::integer THEN
      RAISE EXCEPTION 'employee % has used % of % make-up punches allowed from % to % by rule %',
                      employee, used - 1, limits ->> 'monthly_limit', d.period_start, period_end, d.rule_name
        USING ERRCODE = 'check_violation',
              HINT = 'Voiding a make-up punch of that month gives it back; the limit is the rule''s make_up_punch.monthly_limit.';
    END IF;
  END IF;
END $$;

COMMENT ON FUNCTION make_up_limit_check(bigint, timestamptz) IS 'Internal: refuses a make-up punch beyond the rule''s monthly limit or window (23514), or one counted under an older snapshot (0A000).';

CREATE OR REPLACE FUNCTION att_make_up_punch(employee bigint, at timestamptz, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.correction_actor(employee, at);
  before jsonb := @extschema@.correction_days(employee, at);
  id bigint;
  -- the refresh the insert triggers records the reason and judges for the
  -- actor; on Citus it runs on a worker, which a SET LOCAL reaches
  old_reason text := @extschema@._att_set_local('attendance.reason', reason);
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', actor::text);
BEGIN
  INSERT INTO @extschema@.punch (employee_id, at, source, recorded_by, reason)
  VALUES (employee, at, 'make_up', actor, reason) RETURNING punch_id INTO id;
  PERFORM @extschema@._att_set_local('attendance.reason', old_reason);
  PERFORM @extschema@._att_set_local('attendance.acting_employee', old_actor);
  PERFORM @extschema@.correction_check_days(actor, employee, before, @extschema@.correction_days(employee, at));
  -- the rule's limits, once the actor may correct every day the punch
  -- changed and those days know which one it serves
  PERFORM @extschema@.make_up_limit_check(employee, at);
  RETURN id;
END $$;

COMMENT ON FUNCTION att_make_up_punch(bigint, timestamptz, text) IS
  'Adds a make-up punch (补签) for the employee, recorded with the acting employee and the reason. Needs the correct permission on every day the punch changes (hr once a period is closed), never on one''s own days; a change to a day of a period that is or was closed is also recorded in correction. Every permission refusal is 42501; a punch beyond the rule''s make_up_punch limits (monthly_limit per attendance month, within_days after the day) is refused with 23514.';

REVOKE EXECUTE ON FUNCTION correction_refused(bigint, bigint), correction_actor(bigint, timestamptz), make_up_limit_check(bigint, timestamptz), make_up_day(bigint, timestamptz),
  correction_days(bigint, timestamptz), correction_check_days(bigint, bigint, jsonb, jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION att_sync_punch(employee bigint, source_system text, source_ref text, at timestamptz,
                               lat double precision DEFAULT NULL, lon double precision DEFAULT NULL,
                               kind punch_source DEFAULT 'device') RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  current record;
  id bigint;
  -- the refresh the writes trigger judges for the caller; on Citus it runs
  -- on a worker, which a SET LOCAL reaches
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', @extschema@.att_current_employee()::text);
BEGIN
  IF NOT @extschema@.att_is_sync() AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    PERFORM @extschema@.sync_refused();
  END IF;
  IF employee IS NULL OR source_system IS NULL OR source_ref IS NULL OR at IS NULL OR NOT isfinite(at) THEN
    RAISE EXCEPTION 'att_sync_punch needs an employee, a source, a reference and a finite instant' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF kind IS NULL OR kind NOT IN ('device', 'terminal', 'mobile') THEN
    RAISE EXCEPTION 'an ERP check-in is a device, terminal or mobile punch, not %', coalesce(kind::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Make-up punches and appeals are recorded with att_make_up_punch and the workflows, with who and why.';
  END IF;
  SELECT p.punch_id, p.at, p.lat, p.lon, p.source, p.revision, v.punch_id IS NOT NULL AS voided INTO current
    FROM @extschema@.punch p LEFT JOIN @extschema@.punch_void v USING (employee_id, punch_id)
   WHERE p.employee_id = employee AND p.source_system = source_system AND p.source_ref = source_ref
   ORDER BY p.revision DESC LIMIT 1;
  IF FOUND AND NOT current.voided AND (current.at, current.lat, current.lon, current.source) IS NOT DISTINCT FROM (at, lat, lon, kind) THEN
    RETURN current.punch_id;  -- already mirrored: a reload changes nothing
  END IF;
  IF FOUND AND NOT current.voided THEN
    INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason)
    VALUES (employee, current.punch_id, current.at, NULL, 'replaced: the ERP changed its row ' || source_ref);
  END IF;
  INSERT INTO @extschema@.punch (employee_id, at, lat, lon, source, source_system, source_ref, revision)
  VALUES (employee, at, lat, lon, kind, source_system, source_ref, CASE WHEN FOUND THEN current.revision + 1 ELSE 0 END)
  RETURNING punch_id INTO id;
  RETURN id;
END $$;

COMMENT ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision, punch_source) IS
  'Mirrors the ERP''s check-in row (source_system, source_ref): the first load adds the punch, of the device kind the ERP knows (kind: device, terminal for a fixed kiosk, mobile for a phone app); a reload of the same values changes nothing; an edit voids the current revision (recorded in punch_void, reason and no person) and adds the next. For the sync role (attendance_sync) and superusers; a change that reaches a closed day is refused (42501) and leaves nothing behind.';

REVOKE EXECUTE ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision, punch_source),
  att_sync_punch_delete(bigint, text, text), sync_refused() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision, punch_source),
  att_sync_punch_delete(bigint, text, text) TO attendance_sync;

CREATE OR REPLACE FUNCTION _att_visible_orgs() RETURNS TABLE (org_id bigint, name text, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 100
BEGIN ATOMIC
  SELECT o.org_id, o.name, o.closing_day::integer
    FROM @extschema@.org o
   WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      -- the visible days of each org's members first (one multirange per
      -- org), then each org's places in the tree on those days: a probe of
      -- the tree per org, not per member
      OR o.org_id IN (SELECT x.org_id
                        FROM (SELECT m.org_id, range_agg(m.period * v.days) AS days
                                FROM @extschema@._att_visible_spans() v
                                JOIN @extschema@.membership m ON m.employee_id = v.employee_id AND m.kind = 'primary' AND m.period && v.days
                               GROUP BY m.org_id) seen
                        JOIN @extschema@.org_tree t ON t.org_id = seen.org_id AND t.period && seen.days
                       CROSS JOIN LATERAL unnest(ARRAY[t.org_id, t.path[1]]) AS x(org_id));
END;

CREATE OR REPLACE VIEW att_daily WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT d.employee_id, e.display_name AS employee_name, d.day, d.rule_name, d.shift, d.day_kind, d.status,
       d.check_in[1] AS first_check_in, d.check_out[array_length(d.check_out, 1)] AS last_check_out,
       d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes,
       d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes,
       array_to_string(d.reasons, '; ') AS reasons, e.employee_key,
       d.org_id AS department_id, dept.name AS department, d.company_id, co.name AS company,
       d.period_start, @extschema@.att_period_end(d.period_start, co.closing_day) AS period_end,
       d.time_zone,
       d.check_in[1] AT TIME ZONE d.time_zone AS first_check_in_local,
       d.check_out[array_length(d.check_out, 1)] AT TIME ZONE d.time_zone AS last_check_out_local,
       d.scheduled_start, d.scheduled_end,
       d.scheduled_start AT TIME ZONE d.time_zone AS scheduled_start_local,
       d.scheduled_end AT TIME ZONE d.time_zone AS scheduled_end_local,
       d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes,
       d.leave_minutes > 0 AND d.leave_minutes < d.scheduled_minutes AS half_day_leave,
       @extschema@.att_day_code(d.status, d.leave_minutes) AS day_code,
       d.check_in_place AS first_check_in_place, d.check_out_place AS last_check_out_place,
       d.attended_minutes
  FROM @extschema@.day_record d
  JOIN @extschema@.employee e ON e.employee_id = d.employee_id
  LEFT JOIN orgs dept ON dept.org_id = d.org_id
  LEFT JOIN orgs co ON co.org_id = d.company_id;

COMMENT ON COLUMN att_daily.attended_minutes IS 'Minutes present as punched: check-in to check-out, not clipped to the shift, breaks left out (work_minutes counts the shift only).';

CREATE FUNCTION _att_overtime_setting(rule bigint, day date, shift text) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(v.config -> 'overtime',
                  (SELECT s -> 'overtime' FROM jsonb_array_elements(v.config -> 'shifts') s
                    WHERE s ->> 'name' = shift AND s ? 'overtime'),
                  (SELECT s -> 'overtime' FROM jsonb_array_elements(v.config -> 'shifts') s
                    WHERE shift IS NULL AND (s ->> 'non_workday_default')::boolean AND s ? 'overtime'),
                  (SELECT s -> 'overtime' FROM jsonb_array_elements(v.config -> 'shifts') WITH ORDINALITY AS x(s, n)
                    WHERE shift IS NULL AND s ? 'overtime' ORDER BY n LIMIT 1))
    FROM @extschema@.rule_version v
   WHERE v.rule_id = rule AND v.valid_from <= day
   ORDER BY v.valid_from DESC LIMIT 1;
END;

COMMENT ON FUNCTION _att_overtime_setting(bigint, date, text) IS 'Internal: the overtime settings (JSON) of the rule version in force on the day, for the day''s shift, as the engine chose them.';

CREATE VIEW att_weekly_overtime WITH (security_invoker = true, security_barrier = true) AS
WITH days AS (
  SELECT d.employee_id, d.day, d.rule_id, d.shift, d.status, d.work_minutes, d.overtime_minutes,
         greatest(0, d.attended_minutes + d.trip_minutes + d.outing_minutes + d.appeal_minutes - d.overtime_minutes) AS regular_minutes,
         d.attended_minutes
    FROM @extschema@.day_record d
), weeks AS (
  SELECT d.employee_id, date_trunc('week', d.day)::date AS week_start,
         sum(d.work_minutes)::integer AS work_minutes,
         sum(d.attended_minutes)::integer AS attended_minutes,
         sum(d.regular_minutes)::integer AS regular_minutes,
         sum(d.overtime_minutes)::integer AS day_overtime_minutes,
         count(*)::integer AS stored_days,
         count(*) FILTER (WHERE d.status = 'pending')::integer AS pending_days,
         max(d.day) FILTER (WHERE d.rule_id IS NOT NULL) AS last_judged,
         (array_agg(d.rule_id ORDER BY d.day DESC) FILTER (WHERE d.rule_id IS NOT NULL))[1] AS rule_id,
         (array_agg(d.shift ORDER BY d.day DESC) FILTER (WHERE d.rule_id IS NOT NULL))[1] AS shift
    FROM days d
   GROUP BY d.employee_id, date_trunc('week', d.day)::date
), limits AS (
  SELECT w.*, o.setting, (o.setting #>> '{quantity,week_over_minutes}')::integer AS week_over_minutes,
         greatest(1, coalesce((o.setting ->> 'unit_minutes')::integer, 1)) AS unit
    FROM weeks w
    CROSS JOIN LATERAL (SELECT @extschema@._att_overtime_setting(w.rule_id, w.last_judged, w.shift) AS setting) o
)
SELECT l.employee_id, e.display_name AS employee_name, e.employee_key,
       l.week_start, l.week_start + 6 AS week_end,
       l.work_minutes, l.attended_minutes, l.regular_minutes, l.day_overtime_minutes, l.week_over_minutes,
       -- greatest() skips NULLs: without a weekly threshold the figure is NULL, not 0
       CASE WHEN l.week_over_minutes IS NOT NULL
            THEN greatest(0, l.regular_minutes - l.week_over_minutes) / l.unit * l.unit END AS week_overtime_minutes,
       l.stored_days, l.pending_days,
       l.stored_days = 7 AND l.pending_days = 0 AS complete
  FROM limits l
  JOIN @extschema@.employee e ON e.employee_id = l.employee_id;

COMMENT ON VIEW att_weekly_overtime IS 'Weekly quantity overtime (Odoo''s weekly rule, "over 40 h a week") per employee and ISO week (Monday to Sunday, local days): the week''s regular minutes (present as punched or working elsewhere, not already counted as a day''s overtime) beyond the rule''s overtime.quantity.week_over_minutes, rounded down to the overtime unit. The rule is the one that judged the week''s last judged day. A week still running is provisional (complete false).';

COMMENT ON COLUMN att_weekly_overtime.employee_id IS 'The employee.';

COMMENT ON COLUMN att_weekly_overtime.employee_name IS 'The employee''s display name.';

COMMENT ON COLUMN att_weekly_overtime.employee_key IS 'The ERP''s own key of the employee when it is text or uuid.';

COMMENT ON COLUMN att_weekly_overtime.week_start IS 'The Monday the week starts on.';

COMMENT ON COLUMN att_weekly_overtime.week_end IS 'The Sunday the week ends on.';

COMMENT ON COLUMN att_weekly_overtime.work_minutes IS 'Minutes worked over the week''s stored days (work_minutes: within the shifts on workdays).';

COMMENT ON COLUMN att_weekly_overtime.attended_minutes IS 'Minutes present as punched over the week (check-in to check-out, not clipped to the shifts, breaks left out).';

COMMENT ON COLUMN att_weekly_overtime.regular_minutes IS 'Minutes present or working elsewhere (trips, outings, appeals) that no day counted as overtime: what the weekly threshold is measured against.';

COMMENT ON COLUMN att_weekly_overtime.day_overtime_minutes IS 'Overtime minutes the days already counted (after the end, before the start, daily quantity, rest days and holidays).';

COMMENT ON COLUMN att_weekly_overtime.week_over_minutes IS 'The rule''s weekly threshold; NULL when the rule has no weekly quantity overtime.';

COMMENT ON COLUMN att_weekly_overtime.week_overtime_minutes IS 'Overtime from the weekly threshold: regular_minutes - week_over_minutes when positive, rounded down to the overtime unit; NULL without a weekly threshold. It adds to day_overtime_minutes.';

COMMENT ON COLUMN att_weekly_overtime.stored_days IS 'Days of the week with a stored result.';

COMMENT ON COLUMN att_weekly_overtime.pending_days IS 'Days of the week not over yet.';

COMMENT ON COLUMN att_weekly_overtime.complete IS 'All seven days are stored and over: the figure is final.';

CREATE FUNCTION _att_time_off() RETURNS TABLE (employee_id bigint, leave_type text, earned_minutes bigint,
                                                taken_minutes bigint, through_day date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000 AS $$
#variable_conflict use_column
BEGIN
  IF NOT EXISTS (SELECT 1 FROM @extschema@.rule_version r WHERE jsonb_path_exists(r.config, 'lax $.**.time_off_in_lieu')) THEN
    RETURN;
  END IF;
  RETURN QUERY
  -- the spans read first, once (see _att_day_approvals)
  WITH v AS MATERIALIZED (SELECT s.employee_id, s.days FROM @extschema@._att_visible_spans() s),
  types AS (
    SELECT DISTINCT t ->> 'leave_type' AS leave_type
      FROM @extschema@.rule_version r, jsonb_path_query(r.config, 'lax $.**.time_off_in_lieu') t
  ),
  days AS (
    SELECT d.employee_id, d.day, d.rule_id, d.shift, d.overtime_minutes, d.leave_minutes, d.scheduled_start, d.scheduled_end
      FROM @extschema@.day_record d
     WHERE (d.overtime_minutes > 0 OR d.leave_minutes > 0)
       AND ((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
            OR (d.employee_id, d.day) IN (SELECT v.employee_id, x.day
                                            FROM v
                                            JOIN @extschema@.day_record x ON x.employee_id = v.employee_id AND v.days @> x.day))
  ),
  earned AS (
    SELECT d.employee_id, o.toil ->> 'leave_type' AS leave_type,
           sum(d.overtime_minutes * coalesce((o.toil ->> 'percent')::integer, 100) / 100) AS minutes,
           max(d.day) AS through_day
      FROM days d
      CROSS JOIN LATERAL (SELECT @extschema@._att_overtime_setting(d.rule_id, d.day, d.shift) -> 'time_off_in_lieu' AS toil) o
     WHERE d.overtime_minutes > 0 AND o.toil IS NOT NULL
     GROUP BY d.employee_id, o.toil ->> 'leave_type'
  ),
  taken AS (
    -- the leave of that type inside the shift's span, never more than the
    -- day's leave minutes (which leave breaks out)
    SELECT d.employee_id, x.leave_type, sum(least(d.leave_minutes, x.minutes)) AS minutes, max(d.day) AS through_day
      FROM days d
      CROSS JOIN LATERAL (
        SELECT e.leave_type,
               (sum(extract(epoch FROM upper(e.during * tstzrange(d.scheduled_start, d.scheduled_end))
                                     - lower(e.during * tstzrange(d.scheduled_start, d.scheduled_end)))) / 60)::bigint AS minutes
          FROM @extschema@.excuse e
         WHERE e.employee_id = d.employee_id AND e.kind = 'leave'
           AND e.during && tstzrange(d.scheduled_start, d.scheduled_end)
           AND e.leave_type IN (SELECT t.leave_type FROM types t)
         -- the employee too (one value here): Citus groups a lateral
         -- subquery only by the column it distributes by
         GROUP BY e.employee_id, e.leave_type) x
     WHERE d.leave_minutes > 0 AND d.scheduled_start IS NOT NULL AND d.scheduled_end IS NOT NULL
     GROUP BY d.employee_id, x.leave_type
  )
  SELECT b.employee_id, b.leave_type, sum(b.earned)::bigint, sum(b.taken)::bigint, max(b.through_day)
    FROM (SELECT e.employee_id, e.leave_type, e.minutes AS earned, 0::bigint AS taken, e.through_day FROM earned e
          UNION ALL
          SELECT t.employee_id, t.leave_type, 0::bigint, t.minutes, t.through_day FROM taken t) b
   GROUP BY b.employee_id, b.leave_type;
END $$;

COMMENT ON FUNCTION _att_time_off() IS 'Internal: time off in lieu earned and taken per employee and leave type, over the days the asking login may see.';

CREATE VIEW att_time_off_balance WITH (security_invoker = true, security_barrier = true) AS
SELECT t.employee_id, e.display_name AS employee_name, e.employee_key, t.leave_type,
       t.earned_minutes, t.taken_minutes, t.earned_minutes - t.taken_minutes AS balance_minutes,
       round((t.earned_minutes - t.taken_minutes) / 60.0, 2) AS balance_hours, t.through_day
  FROM @extschema@._att_time_off() t
  JOIN @extschema@.employee e ON e.employee_id = t.employee_id;

COMMENT ON VIEW att_time_off_balance IS 'Time off in lieu (调休) per employee and leave type: overtime converted by the rule''s overtime.time_off_in_lieu (minutes x percent / 100, rounded down per day), less the leave of that type taken inside shifts (at most the day''s leave minutes). Over the stored days the login may see. The ERP approves leave: a negative balance is shown, not refused.';

COMMENT ON COLUMN att_time_off_balance.employee_id IS 'The employee.';

COMMENT ON COLUMN att_time_off_balance.employee_name IS 'The employee''s display name.';

COMMENT ON COLUMN att_time_off_balance.employee_key IS 'The ERP''s own key of the employee when it is text or uuid.';

COMMENT ON COLUMN att_time_off_balance.leave_type IS 'The leave type that draws the balance down (the rule''s time_off_in_lieu.leave_type).';

COMMENT ON COLUMN att_time_off_balance.earned_minutes IS 'Minutes of time off earned from overtime.';

COMMENT ON COLUMN att_time_off_balance.taken_minutes IS 'Minutes of leave of that type taken inside shifts.';

COMMENT ON COLUMN att_time_off_balance.balance_minutes IS 'earned_minutes - taken_minutes.';

COMMENT ON COLUMN att_time_off_balance.balance_hours IS 'The balance in hours, to two decimals.';

COMMENT ON COLUMN att_time_off_balance.through_day IS 'The last stored day counted.';


-- == The days stored so far learn the minutes present: from a fresh
--    evaluation wherever it agrees with every stored figure (so no figure of
--    any day, closed or not, changes), otherwise (a frozen day whose inputs
--    changed since) the minutes worked within the shift, the nearest figure
--    such a day has.
UPDATE @extschema@.day_record SET attended_minutes = work_minutes WHERE work_minutes <> 0;
WITH span AS (
  SELECT employee_id, min(day) AS first, max(day) AS last FROM @extschema@.day_record GROUP BY employee_id
), fresh AS (
  SELECT f.* FROM span s CROSS JOIN LATERAL @extschema@.att_evaluate(s.employee_id, daterange(s.first, s.last, '[]')) f
)
UPDATE @extschema@.day_record d
   SET attended_minutes = f.attended_minutes
  FROM fresh f
 WHERE f.employee_id = d.employee_id AND f.day = d.day AND d.attended_minutes IS DISTINCT FROM f.attended_minutes
   AND (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
        d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
        d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start)
       IS NOT DISTINCT FROM
       (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
        f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
        f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start);

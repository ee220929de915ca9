-- Upgrade from 0.24.0 (frozen in attendance--0.24.0.sql) to 0.25.0 (issue
-- 15): a day falls due without being written.
-- - A day of one shift period not over yet is stored with what it will be
--   once over and the instant it falls due (day_record.due_at), and shows
--   what it shows until then (day_record.shown): the views read the days
--   as they show now (_att_days_now), so a workday falling due for every
--   employee writes nothing, and every report is right at every instant,
--   whether att_finalize has run or not. A day of several periods, or with
--   a punch still to come before a day after its end, is stored as it
--   shows and judged again by att_finalize, as before.
-- - A period keeps its days' figures once over and, for each of its days
--   not over yet, what showing it changes (period_record.shown_*): the
--   period views read it as it shows now (_att_periods_now).
-- - Corrections, the closing checks and the closed-day path of the
--   refresh compare days as they show (_att_shown_at); a closed day not
--   over yet stored with its figures once over needs no closed_pending.
-- - Approving a day not over yet is refused (55000): its figures change
--   once it is over, which no longer writes the day (and so no longer
--   withdrew the approval).
-- The days stored under 0.24.0 keep their form: those pending are judged
-- again by att_finalize when they fall due, as before, and stored the new
-- way by their next refresh. Nothing to do after ALTER EXTENSION attendance
-- UPDATE; on Citus, on the coordinator only (every node runs this script).
-- tests/upgrade checks that an upgraded database has exactly the objects
-- of a fresh one; tests/citus upgrades a distributed 0.24.0 in place.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE TYPE day_shown AS (
  status            text,
  check_in          timestamptz[],
  check_out         timestamptz[],
  late_minutes      integer,
  early_minutes     integer,
  absent_minutes    integer,
  work_minutes      integer,
  overtime_minutes  integer,
  overtime_category text,
  reasons           text[],
  check_in_place    text,
  check_out_place   text,
  attended_minutes  integer
);

COMMENT ON TYPE day_shown IS 'What a stored day shows until it falls due (day_record.due_at): its status (pending) and the figures that differ from the day''s figures once over, as day_result names them.';

ALTER TYPE day_result ADD ATTRIBUTE due_at timestamptz, ADD ATTRIBUTE shown day_shown;
COMMENT ON TYPE day_result IS 'One employee-day as the rule engine judges it. check_in/check_out hold one entry per shift period (NULL where missing). day_kind: workday, rest, holiday, make_up_workday. status: normal, late, early, late_and_early, half_day, missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule, pending, not_employed. leave_minutes: the part of the shift covered by approved leave (trip_minutes, outing_minutes, appeal_minutes: by business trips, outings and appeals; leave_type: the ERP''s leave types covering it). reasons explains each figure. org_id, company_id: the primary membership''s org and its company in the tree of that day; period_start: the first day of that company''s closing period holding the day; time_zone: the rule''s zone; scheduled_start/scheduled_end: the start of the first and the end of the last shift period as judged (moved by a flex rule); check_in_place/check_out_place: the rule''s location holding the first check-in and the last check-out; attended_minutes: the minutes present as punched (check-in to check-out, not clipped to the shift, breaks left out); due_at and shown: set only for a day to be stored that is not over yet (see day_record.due_at), NULL in every evaluation a user reads.';

ALTER TABLE day_record ADD COLUMN due_at timestamptz, ADD COLUMN shown day_shown;
ALTER TABLE period_record ADD COLUMN shown_due timestamptz[], ADD COLUMN shown_day integer[],
  ADD COLUMN shown_delta bigint[], ADD COLUMN shown_code text[];

-- On Citus the rows are in the shards each node holds, which the statements
-- above, not passed on, did not reach: each node adds the columns to its
-- own (a deployment distributed after the upgrade gives its shards the
-- table's columns itself).
DO $$
DECLARE
  p record;
BEGIN
  IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_catalog.set_config('citus.enable_manual_changes_to_shards', 'on', true);
  FOR p IN EXECUTE $q$
    SELECT pg_catalog.shard_name(s.logicalrelid, s.shardid) AS shard, s.logicalrelid = '@extschema@.day_record'::regclass AS days
      FROM pg_catalog.pg_dist_shard s
     WHERE s.logicalrelid IN ('@extschema@.day_record'::regclass, '@extschema@.period_record'::regclass)$q$
  LOOP
    IF pg_catalog.to_regclass(p.shard) IS NULL THEN
      CONTINUE;
    ELSIF p.days THEN
      EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN due_at timestamptz, ADD COLUMN shown @extschema@.day_shown', p.shard);
    ELSE
      EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN shown_due timestamptz[], ADD COLUMN shown_day integer[], '
                                'ADD COLUMN shown_delta bigint[], ADD COLUMN shown_code text[]', p.shard);
    END IF;
  END LOOP;
END $$;

-- The functions whose body reads day_result whole (SELECT *) were
-- expanded to its columns when created: again, with the two it gained.
CREATE OR REPLACE FUNCTION att_evaluate(employee bigint, days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 31
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batch(ARRAY[employee], lower(days), upper(days) - 1) WHERE NOT isempty(days);
END;
CREATE OR REPLACE FUNCTION att_evaluate(employees bigint[], days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1000
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batches(employees, days, false);
END;
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
  SELECT * FROM @extschema@._att_evaluate_batch(@extschema@._att_part_ids(16, 15), lower(days), upper(days) - 1)
  UNION ALL
  SELECT * FROM @extschema@._att_evaluate_on_workers(NULL, days);
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


COMMENT ON COLUMN day_record.status IS 'The day''s status (see att_daily.status); for a day not over yet (due_at after now), the status it will have once over (shown holds what it shows).';

COMMENT ON COLUMN day_record.due_at IS 'NULL: the day''s figures hold now. Otherwise the day (today, of one shift period) is not over yet: its figures here are what it will be from this instant on, ahead of time (no punch yet: absent), and until then it shows shown. The views (att_daily and the rest) choose by att_now(), so the day falls due without being written again (since 0.25.0); a reader of this table should too.';

COMMENT ON COLUMN day_record.shown IS 'What a day not over yet shows until due_at (status pending, the check-in so far, late so far); NULL when due_at is.';

CREATE VIEW _att_days_now WITH (security_invoker = true) AS
SELECT d.employee_id, d.day, d.rule_id, d.rule_name, d.shift, d.day_kind,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).status ELSE d.status END AS status,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_in ELSE d.check_in END AS check_in,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_out ELSE d.check_out END AS check_out,
       d.scheduled_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).late_minutes ELSE d.late_minutes END AS late_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).early_minutes ELSE d.early_minutes END AS early_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).absent_minutes ELSE d.absent_minutes END AS absent_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).work_minutes ELSE d.work_minutes END AS work_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).overtime_minutes ELSE d.overtime_minutes END AS overtime_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).overtime_category ELSE d.overtime_category END AS overtime_category,
       d.outside_punches, d.leave_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).reasons ELSE d.reasons END AS reasons,
       d.evaluated_at, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end,
       d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_in_place ELSE d.check_in_place END AS check_in_place,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_out_place ELSE d.check_out_place END AS check_out_place,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).attended_minutes ELSE d.attended_minutes END AS attended_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN d.due_at END AS due_at
  FROM @extschema@.day_record d;

COMMENT ON VIEW _att_days_now IS 'Internal: day_record (but shown) as the days show now: a day not over yet as it shows until it falls due (pending, the check-in and lateness so far), then with its figures once over, written or not; due_at NULL once they hold. Read by the views with the asking login''s privileges (day_record''s grants and scope policy).';

GRANT SELECT ON _att_days_now TO PUBLIC;

CREATE FUNCTION _att_day_as_shown(d jsonb, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN (d ->> 'due_at')::timestamptz > at THEN d || (d -> 'shown') ELSE d END
       OPERATOR(pg_catalog.-) ARRAY['due_at', 'shown'];

COMMENT ON FUNCTION _att_day_as_shown(jsonb, timestamptz) IS 'Internal: a stored day (to_jsonb of its day_record row) as it shows at the instant given, without due_at and shown.';

CREATE FUNCTION _att_day_as_recorded(d jsonb, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@._att_day_as_shown(d, at)
       OPERATOR(pg_catalog.||) CASE WHEN (d ->> 'due_at')::timestamptz > at
                                    THEN jsonb_build_object('due_at', d -> 'due_at',
                                                            'once_over', d OPERATOR(pg_catalog.-) ARRAY['due_at', 'shown', 'evaluated_at'])
                                    ELSE '{}'::jsonb END;

COMMENT ON FUNCTION _att_day_as_recorded(jsonb, timestamptz) IS 'Internal: a day (to_jsonb of its day_record row or day_result) as a correction records it: as it shows at the instant given, and for a day not over yet its due_at and its figures once over (once_over).';

REVOKE EXECUTE ON FUNCTION _att_day_as_shown(jsonb, timestamptz), _att_day_as_recorded(jsonb, timestamptz) FROM PUBLIC;

CREATE FUNCTION _att_shown_at(r day_result, at timestamptz) RETURNS day_result
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN r.due_at > at
            THEN ROW(r.employee_id, r.day, r.rule_id, r.rule_name, r.shift, r.day_kind, (r.shown).status, (r.shown).check_in, (r.shown).check_out, r.scheduled_minutes, (r.shown).late_minutes, (r.shown).early_minutes, (r.shown).absent_minutes, (r.shown).work_minutes, (r.shown).overtime_minutes, (r.shown).overtime_category, r.outside_punches, r.leave_minutes, (r.shown).reasons, r.org_id, r.company_id, r.period_start, r.time_zone, r.scheduled_start, r.scheduled_end, r.leave_type, r.trip_minutes, r.outing_minutes, r.appeal_minutes, (r.shown).check_in_place, (r.shown).check_out_place, (r.shown).attended_minutes, NULL, NULL)::@extschema@.day_result
            ELSE r END;

COMMENT ON FUNCTION _att_shown_at(day_result, timestamptz) IS 'Internal: an evaluated day as it shows at the instant given: what it shows (shown) until it falls due (due_at), its figures from then on.';

REVOKE EXECUTE ON FUNCTION _att_shown_at(day_result, timestamptz) FROM PUBLIC;

COMMENT ON COLUMN period_record.shown_due IS 'The period''s days not over yet when it was written (since 0.25.0): the counts and day_codes hold their figures once over, and until each falls due (this instant) the reports show it as it shows now (att_period_summary, att_monthly_grid): NULL when there is none.';

COMMENT ON COLUMN period_record.shown_day IS 'The day of the period (1 for period_start) of each element of shown_due.';

COMMENT ON COLUMN period_record.shown_delta IS 'For each element of shown_due, what showing that day changes in the counts: as many values as the counts from stored_days to unjudged_days, one day after the other.';

COMMENT ON COLUMN period_record.shown_code IS 'The code each day of shown_due shows until it falls due (- pending).';

CREATE FUNCTION _att_shown_delta(org_id bigint, company_id bigint, day_kind text, status text, scheduled_minutes integer,
                                 late_minutes integer, early_minutes integer, absent_minutes integer, work_minutes integer,
                                 overtime_minutes integer, overtime_category text, leave_minutes integer, trip_minutes integer,
                                 outing_minutes integer, appeal_minutes integer, due_at timestamptz, shown day_shown) RETURNS bigint[]
LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'att_shown_delta';

COMMENT ON FUNCTION _att_shown_delta(bigint, bigint, text, text, integer, integer, integer, integer, integer, integer, text, integer, integer, integer, integer, timestamptz, day_shown) IS 'Internal: what showing a stored day not over yet (due_at, shown) changes in its period''s counts, in period_record''s order from stored_days; NULL for a day whose figures hold now. Takes the day''s columns one by one (a Citus shard''s rows are of another row type).';

REVOKE EXECUTE ON FUNCTION _att_shown_delta(bigint, bigint, text, text, integer, integer, integer, integer, integer, integer, text, integer, integer, integer, integer, timestamptz, day_shown) FROM PUBLIC;

CREATE FUNCTION _att_shown_counts(shown_due timestamptz[], shown_delta bigint[], at timestamptz) RETURNS bigint[]
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'att_shown_counts';

COMMENT ON FUNCTION _att_shown_counts(timestamptz[], bigint[], timestamptz) IS 'Internal: what a period''s days not over at the instant given add to its counts (period_record.shown_due, shown_delta), in period_record''s order from stored_days; NULL when every one is over.';

CREATE FUNCTION _att_shown_codes(day_codes text[], shown_due timestamptz[], shown_day integer[], shown_code text[], at timestamptz) RETURNS text[]
LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'att_shown_codes';

COMMENT ON FUNCTION _att_shown_codes(text[], timestamptz[], integer[], text[], timestamptz) IS 'Internal: a period''s day codes with each of its days not over at the instant given as it shows (period_record.shown_*).';

CREATE OR REPLACE FUNCTION _att_period_rows(employees bigint[], periods date[]) RETURNS SETOF period_record
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off AS $$
DECLARE
  distributed boolean := @extschema@._att_distributed();
  -- days due by the write show what the counts hold
  at_now timestamptz := @extschema@.att_now();
BEGIN
  IF distributed THEN
    -- Citus routes by the parameters' values: custom plans there (the
    -- function's SET clause takes this back when it returns)
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  END IF;
  RETURN QUERY
  SELECT k.employee_id, k.period_start,
         @extschema@.att_period_end(k.period_start, c.closing_day),
         g.last_place[2], g.last_place[3],
         g.stored_days, g.workdays, g.days_attended, g.late_count, g.late_minutes, g.early_count, g.early_minutes,
         g.absence_count, g.absence_minutes, g.missing_punches, g.work_minutes, g.overtime_workday_minutes,
         g.overtime_rest_day_minutes, g.overtime_holiday_minutes, g.leave_minutes, g.trip_minutes, g.outing_minutes,
         g.appeal_minutes, g.full_leave_days, g.half_day_days, g.half_day_leaves, g.present_days, g.absent_days,
         g.on_duty_days, g.missing_punch_days, g.holidays, g.rest_days, g.pending_days, g.unjudged_days,
         -- the codes by day of the period: position 1 is period_start
         (SELECT array_agg(codes.code ORDER BY n.n)
            FROM generate_series(1, g.last_offset) AS n(n)
            LEFT JOIN unnest(g.offsets, g.codes) AS codes(n, code) ON codes.n = n.n),
         g.shown_due, g.shown_day,
         -- one day's counts after the other (unnest flattens the rows)
         CASE WHEN g.shown_delta IS NOT NULL THEN ARRAY(SELECT unnest(g.shown_delta)) END, g.shown_code
    FROM (SELECT DISTINCT u.employee_id, u.period_start
            FROM unnest(employees, periods) AS u(employee_id, period_start)) k
   CROSS JOIN LATERAL (
          SELECT max(ARRAY[d.day - d.period_start + 1, d.org_id, d.company_id]) AS last_place,
                 max(d.day - d.period_start + 1) AS last_offset,
                 array_agg(d.day - d.period_start + 1) AS offsets, array_agg(x.code) AS codes,
                 count(*) AS stored_days,
                 count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday')) AS workdays,
                 count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday') AND d.work_minutes > 0) AS days_attended,
                 count(*) FILTER (WHERE d.late_minutes > 0) AS late_count, sum(d.late_minutes) AS late_minutes,
                 count(*) FILTER (WHERE d.early_minutes > 0) AS early_count, sum(d.early_minutes) AS early_minutes,
                 count(*) FILTER (WHERE d.absent_minutes > 0) AS absence_count, sum(d.absent_minutes) AS absence_minutes,
                 count(*) FILTER (WHERE d.status IN ('missing_check_in', 'missing_check_out')) AS missing_punches,
                 sum(d.work_minutes) AS work_minutes,
                 coalesce(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'workday'), 0) AS overtime_workday_minutes,
                 coalesce(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'rest_day'), 0) AS overtime_rest_day_minutes,
                 coalesce(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'holiday'), 0) AS overtime_holiday_minutes,
                 sum(d.leave_minutes) AS leave_minutes, sum(d.trip_minutes) AS trip_minutes,
                 sum(d.outing_minutes) AS outing_minutes, sum(d.appeal_minutes) AS appeal_minutes,
                 count(*) FILTER (WHERE x.code = 'L') AS full_leave_days,
                 count(*) FILTER (WHERE x.code = 'HD') AS half_day_days,
                 count(*) FILTER (WHERE d.leave_minutes > 0 AND d.leave_minutes < d.scheduled_minutes) AS half_day_leaves,
                 count(*) FILTER (WHERE x.code IN ('P', 'HD')) AS present_days,
                 count(*) FILTER (WHERE x.code = 'A') AS absent_days,
                 count(*) FILTER (WHERE x.code = 'OD') AS on_duty_days,
                 count(*) FILTER (WHERE x.code = 'MP') AS missing_punch_days,
                 count(*) FILTER (WHERE x.code = 'H') AS holidays,
                 count(*) FILTER (WHERE x.code = 'WO') AS rest_days,
                 count(*) FILTER (WHERE d.status = 'pending') AS pending_days,
                 count(*) FILTER (WHERE x.code = '?') AS unjudged_days,
                 array_agg(d.due_at ORDER BY d.day) FILTER (WHERE d.due_at > at_now) AS shown_due,
                 array_agg(d.day - d.period_start + 1 ORDER BY d.day) FILTER (WHERE d.due_at > at_now) AS shown_day,
                 array_agg(@extschema@._att_shown_delta(d.org_id, d.company_id, d.day_kind, d.status, d.scheduled_minutes, d.late_minutes,
                                                          d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes,
                                                          d.overtime_category, d.leave_minutes, d.trip_minutes, d.outing_minutes,
                                                          d.appeal_minutes, d.due_at, d.shown) ORDER BY d.day) FILTER (WHERE d.due_at > at_now) AS shown_delta,
                 array_agg(@extschema@.att_day_code((d.shown).status, d.leave_minutes) ORDER BY d.day)
                   FILTER (WHERE d.due_at > at_now) AS shown_code
            FROM @extschema@.day_record d
           CROSS JOIN LATERAL (SELECT @extschema@.att_day_code(d.status, d.leave_minutes) AS code) x
           WHERE d.period_start = k.period_start AND d.employee_id = k.employee_id
             AND (NOT distributed OR d.employee_id = ANY (employees))) g
    LEFT JOIN @extschema@.org c ON c.org_id = g.last_place[3]
   -- a period whose days are all gone has no row
   WHERE g.stored_days > 0;
END $$;

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
    fresh := @extschema@._att_period_sums_array(employees, periods);
  END IF;
  IF target IS NOT NULL THEN
    EXECUTE format($q$
  INSERT INTO %s AS r SELECT * FROM unnest($1)
    ON CONFLICT (employee_id, period_start) DO UPDATE
      SET (period_end, org_id, company_id, stored_days, workdays, days_attended, late_count, late_minutes, early_count, early_minutes, absence_count, absence_minutes, missing_punches, work_minutes, overtime_workday_minutes, overtime_rest_day_minutes, overtime_holiday_minutes, leave_minutes, trip_minutes, outing_minutes, appeal_minutes, full_leave_days, half_day_days, half_day_leaves, present_days, absent_days, on_duty_days, missing_punch_days, holidays, rest_days, pending_days, unjudged_days, day_codes, shown_due, shown_day, shown_delta, shown_code)
        = (excluded.period_end, excluded.org_id, excluded.company_id, excluded.stored_days, excluded.workdays, excluded.days_attended, excluded.late_count, excluded.late_minutes, excluded.early_count, excluded.early_minutes, excluded.absence_count, excluded.absence_minutes, excluded.missing_punches, excluded.work_minutes, excluded.overtime_workday_minutes, excluded.overtime_rest_day_minutes, excluded.overtime_holiday_minutes, excluded.leave_minutes, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.full_leave_days, excluded.half_day_days, excluded.half_day_leaves, excluded.present_days, excluded.absent_days, excluded.on_duty_days, excluded.missing_punch_days, excluded.holidays, excluded.rest_days, excluded.pending_days, excluded.unjudged_days, excluded.day_codes, excluded.shown_due, excluded.shown_day, excluded.shown_delta, excluded.shown_code)
      WHERE r IS DISTINCT FROM excluded;$q$, target) USING fresh;
  ELSE
    INSERT INTO @extschema@.period_record AS r SELECT * FROM unnest(fresh)
    ON CONFLICT (employee_id, period_start) DO UPDATE
      SET (period_end, org_id, company_id, stored_days, workdays, days_attended, late_count, late_minutes, early_count, early_minutes, absence_count, absence_minutes, missing_punches, work_minutes, overtime_workday_minutes, overtime_rest_day_minutes, overtime_holiday_minutes, leave_minutes, trip_minutes, outing_minutes, appeal_minutes, full_leave_days, half_day_days, half_day_leaves, present_days, absent_days, on_duty_days, missing_punch_days, holidays, rest_days, pending_days, unjudged_days, day_codes, shown_due, shown_day, shown_delta, shown_code)
        = (excluded.period_end, excluded.org_id, excluded.company_id, excluded.stored_days, excluded.workdays, excluded.days_attended, excluded.late_count, excluded.late_minutes, excluded.early_count, excluded.early_minutes, excluded.absence_count, excluded.absence_minutes, excluded.missing_punches, excluded.work_minutes, excluded.overtime_workday_minutes, excluded.overtime_rest_day_minutes, excluded.overtime_holiday_minutes, excluded.leave_minutes, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.full_leave_days, excluded.half_day_days, excluded.half_day_leaves, excluded.present_days, excluded.absent_days, excluded.on_duty_days, excluded.missing_punch_days, excluded.holidays, excluded.rest_days, excluded.pending_days, excluded.unjudged_days, excluded.day_codes, excluded.shown_due, excluded.shown_day, excluded.shown_delta, excluded.shown_code)
      WHERE r IS DISTINCT FROM excluded;
  END IF;
  -- a period none of whose days is stored any more has no row (one fresh
  -- row per pair found: as many rows as pairs, and none is gone; compared
  -- as expressions, not in a query, since this is most calls)
  IF coalesce(cardinality(fresh), 0) < cardinality(employees) THEN
    SELECT array_agg(k.employee_id), array_agg(k.period_start) INTO gone_employees, gone_periods
      FROM unnest(employees, periods) AS k(employee_id, period_start)
     WHERE NOT EXISTS (SELECT 1 FROM unnest(fresh) AS f WHERE f.employee_id = k.employee_id AND f.period_start = k.period_start);
    IF gone_employees IS NOT NULL THEN
      DELETE FROM @extschema@.period_record r
       WHERE r.employee_id = ANY (gone_employees)
         AND (r.employee_id, r.period_start) IN (SELECT k.employee_id, k.period_start
                                                   FROM unnest(gone_employees, gone_periods) AS k(employee_id, period_start));
    END IF;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION _att_store_few(few day_result[], approvals boolean) RETURNS integer
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

CREATE OR REPLACE FUNCTION _att_store_days(employees bigint[], days daterange, few day_result[]) RETURNS integer
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
               s.status AS status_now,
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
               c.kept_final IS NOT NULL AND c.status_now <> 'pending' AND (c.kept_final ->> 'happened')::boolean AS kept_due,
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
               s.status AS status_now,
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
             c.kept_final IS NOT NULL AND c.status_now <> 'pending' AND (c.kept_final ->> 'happened')::boolean AS kept_due,
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

CREATE OR REPLACE FUNCTION correction_days(employee bigint, at timestamptz) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $$
BEGIN
  -- the days as they show now: a day not over yet stored either way (with
  -- what it will be once over, or without, see day_record.due_at) is the same day
  RETURN (SELECT coalesce(jsonb_object_agg(d.day, @extschema@._att_day_as_shown(to_jsonb(d), @extschema@.att_now()) - 'evaluated_at'), '{}'::jsonb)
            FROM @extschema@.day_record d
           WHERE d.employee_id = employee AND d.day BETWEEN at::date - 4 AND at::date + 10);
END $$;

CREATE OR REPLACE FUNCTION att_finalize() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today date := @extschema@.att_today();
  at_now timestamptz := @extschema@.att_now();
  since date;
  everyone bigint[];
  recent_employees bigint[];
  recent_days daterange;
  span_employees bigint[];
  span_days daterange[];
  waiting_employees bigint[];
  waiting_days daterange[];
  first_pending date;
  last_ran timestamptz;
  changed integer := 0;
BEGIN
  -- on Citus, what a COPY into the tables every node holds left for now
  -- (citus.sql, _att_deferred): new orgs' places first, then their reach
  PERFORM @extschema@._att_deferred_flush(NULL);
  SELECT s.through + 1, s.ran_at INTO since, last_ran FROM @extschema@.finalize_state s;
  since := coalesce(since, today - 31);
  IF since <= today THEN
    -- employees who can have days: employed then, or named in a rule;
    -- after the first run, only those with a day to store: one not stored
    -- yet, or stored as it showed while not over (since 0.25.0, stored again
    -- with what it will be once over); a day stored with its figures, or
    -- with them once over (due_at), changes by no time (its inputs refresh
    -- it as they change, and the punches stored ahead of their time that
    -- came since the run before are found below). One probe per
    -- employee-day. The first run takes everyone: such a punch that came
    -- before it is found by no later run. On Citus every employee, as
    -- before: Citus plans no subquery per employee over its tables (each
    -- statement here is planned only when it runs).
    IF last_ran IS NULL OR @extschema@._att_distributed() THEN
      SELECT array_agg(x.employee_id ORDER BY x.employee_id) INTO everyone FROM (
        SELECT m.employee_id FROM @extschema@.membership m WHERE m.kind = 'primary' AND m.period && daterange(since, today, '[]')
        UNION SELECT p.employee_id FROM @extschema@.rule_person p) x;
    ELSE
      SELECT array_agg(x.employee_id ORDER BY x.employee_id) INTO everyone FROM (
        SELECT m.employee_id FROM @extschema@.membership m WHERE m.kind = 'primary' AND m.period && daterange(since, today, '[]')
        UNION SELECT p.employee_id FROM @extschema@.rule_person p) x
       WHERE EXISTS (SELECT 1 FROM generate_series(since, today, interval '1 day') AS g(d)
                      WHERE NOT EXISTS (SELECT 1 FROM @extschema@.day_record r
                                         WHERE r.employee_id = x.employee_id AND r.day = g.d::date AND r.status <> 'pending'));
    END IF;
    changed := changed + coalesce(@extschema@._att_refresh(everyone, daterange(since, today, '[]'), NULL, false), 0);
  END IF;
  -- Days still pending from before whose time has come (_att_fell_due):
  -- night shifts, days stored ahead, today's days once their shift has
  -- ended. The earliest pending day is read first, from the end of the
  -- partial index, and the scan stops a few days past today (a zone
  -- fourteen hours ahead of the server's): the days stored ahead are many
  -- and none of them can have ended. The recent days, most often every
  -- employee's today, are refreshed as one range; older ones (rare: a
  -- night shift's, a day kept pending by a frozen period) each employee
  -- over their own (below).
  SELECT min(d.day) INTO first_pending FROM @extschema@.day_record d WHERE d.status = 'pending';
  IF first_pending <= today + 3 THEN
    SELECT array_agg(DISTINCT d.employee_id ORDER BY d.employee_id), daterange(min(d.day), max(d.day), '[]')
      INTO recent_employees, recent_days FROM @extschema@.day_record d
     WHERE d.status = 'pending' AND d.day >= greatest(first_pending, today - 3) AND d.day <= today + 3
       AND @extschema@._att_fell_due(d.scheduled_end, d.check_in, at_now);
  END IF;
  -- Beyond the recent days, each employee's span read once: older pending
  -- days whose time has come, and the days of punches stored before their
  -- own time whose time has come since the last run (punch_ahead_idx, from
  -- _att_ahead_overlap() before it: a punch whose transaction was still
  -- open then), from three UTC days before such a punch to two after (a
  -- zone's day, a night shift's, the days that see a punch under most
  -- rules). The first run judges every day it stores at its own now.
  SELECT array_agg(x.employee_id), array_agg(x.days) INTO span_employees, span_days
    FROM (SELECT u.employee_id, daterange(min(lower(u.days)), max(upper(u.days))) AS days
            FROM (SELECT d.employee_id, daterange(d.day, d.day, '[]') AS days
                    FROM @extschema@.day_record d
                   WHERE first_pending < today - 3
                     AND d.status = 'pending' AND d.day >= first_pending AND d.day < today - 3
                     AND @extschema@._att_fell_due(d.scheduled_end, d.check_in, at_now)
                  UNION ALL
                  SELECT p.employee_id, daterange((p.at AT TIME ZONE 'UTC')::date - 3, (p.at AT TIME ZONE 'UTC')::date + 3)
                    FROM @extschema@.punch p
                   WHERE last_ran IS NOT NULL AND p.at > p.recorded_at
                     AND p.at > least(last_ran, at_now) - @extschema@._att_ahead_overlap() AND p.at <= at_now) u
           GROUP BY u.employee_id) x;
  -- and the changes to inputs waiting in refresh_request
  SELECT t.span_employees, t.span_days INTO waiting_employees, waiting_days FROM @extschema@._att_take_requests(NULL) t;
  span_employees := span_employees || waiting_employees;
  span_days := span_days || waiting_days;
  -- Every employee refreshed below is locked at once first, in the locks'
  -- own order (since 0.18.0; with the waiting changes since 0.19.0): the
  -- refreshes run group by group, and locks taken group by group are out
  -- of that order across groups, so that a loader's transaction holding
  -- one employee and waiting for another deadlocked with the run. (The
  -- recent days alone are one group, which locks in order itself.)
  IF span_employees IS NOT NULL THEN
    PERFORM @extschema@._att_lock_employees(coalesce(recent_employees, '{}') || span_employees);
  END IF;
  IF recent_employees IS NOT NULL THEN
    changed := changed + @extschema@._att_refresh(recent_employees, recent_days, NULL, false);
  END IF;
  changed := changed + @extschema@._att_refresh_spans(span_employees, span_days);
  INSERT INTO @extschema@.finalize_state AS s (through, ran_at) VALUES (greatest(today, since - 1), at_now)
  ON CONFLICT (singleton) DO UPDATE SET through = excluded.through, ran_at = excluded.ran_at;
  RETURN changed;
END $$;

CREATE VIEW _att_periods_now WITH (security_invoker = true) AS
SELECT p.employee_id, p.period_start, p.period_end, p.org_id, p.company_id,
       p.stored_days + coalesce(s.c[1], 0) AS stored_days,
       p.workdays + coalesce(s.c[2], 0) AS workdays,
       p.days_attended + coalesce(s.c[3], 0) AS days_attended,
       p.late_count + coalesce(s.c[4], 0) AS late_count,
       p.late_minutes + coalesce(s.c[5], 0) AS late_minutes,
       p.early_count + coalesce(s.c[6], 0) AS early_count,
       p.early_minutes + coalesce(s.c[7], 0) AS early_minutes,
       p.absence_count + coalesce(s.c[8], 0) AS absence_count,
       p.absence_minutes + coalesce(s.c[9], 0) AS absence_minutes,
       p.missing_punches + coalesce(s.c[10], 0) AS missing_punches,
       p.work_minutes + coalesce(s.c[11], 0) AS work_minutes,
       p.overtime_workday_minutes + coalesce(s.c[12], 0) AS overtime_workday_minutes,
       p.overtime_rest_day_minutes + coalesce(s.c[13], 0) AS overtime_rest_day_minutes,
       p.overtime_holiday_minutes + coalesce(s.c[14], 0) AS overtime_holiday_minutes,
       p.leave_minutes + coalesce(s.c[15], 0) AS leave_minutes,
       p.trip_minutes + coalesce(s.c[16], 0) AS trip_minutes,
       p.outing_minutes + coalesce(s.c[17], 0) AS outing_minutes,
       p.appeal_minutes + coalesce(s.c[18], 0) AS appeal_minutes,
       p.full_leave_days + coalesce(s.c[19], 0) AS full_leave_days,
       p.half_day_days + coalesce(s.c[20], 0) AS half_day_days,
       p.half_day_leaves + coalesce(s.c[21], 0) AS half_day_leaves,
       p.present_days + coalesce(s.c[22], 0) AS present_days,
       p.absent_days + coalesce(s.c[23], 0) AS absent_days,
       p.on_duty_days + coalesce(s.c[24], 0) AS on_duty_days,
       p.missing_punch_days + coalesce(s.c[25], 0) AS missing_punch_days,
       p.holidays + coalesce(s.c[26], 0) AS holidays,
       p.rest_days + coalesce(s.c[27], 0) AS rest_days,
       p.pending_days + coalesce(s.c[28], 0) AS pending_days,
       p.unjudged_days + coalesce(s.c[29], 0) AS unjudged_days,
       coalesce(s.codes, p.day_codes) AS day_codes
  FROM @extschema@.period_record p
  LEFT JOIN LATERAL (SELECT @extschema@._att_shown_counts(p.shown_due, p.shown_delta, x.now) AS c,
                            @extschema@._att_shown_codes(p.day_codes, p.shown_due, p.shown_day, p.shown_code, x.now) AS codes
                       FROM (SELECT @extschema@.att_now() AS now) x
                      WHERE p.shown_due IS NOT NULL OFFSET 0) s ON true;

COMMENT ON VIEW _att_periods_now IS 'Internal: period_record (but shown_*) as its days show now: each day not over yet as it shows until it falls due (pending), then with its figures once over. Read by the period views with the asking login''s privileges (period_record''s grants and scope policy).';

GRANT SELECT ON _att_periods_now TO PUBLIC;

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
  FROM @extschema@._att_days_now d
  JOIN @extschema@.employee e ON e.employee_id = d.employee_id
  LEFT JOIN orgs dept ON dept.org_id = d.org_id
  LEFT JOIN orgs co ON co.org_id = d.company_id;

CREATE OR REPLACE VIEW att_period_summary WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT p.employee_id, e.display_name AS employee_name, p.period_start, p.period_end,
       p.workdays, p.days_attended, p.late_count, p.late_minutes, p.early_count, p.early_minutes,
       p.absence_count, p.absence_minutes, p.missing_punches,
       round(p.work_minutes / 60.0, 2) AS work_hours,
       round(p.overtime_workday_minutes / 60.0, 2) AS overtime_hours_workday,
       round(p.overtime_rest_day_minutes / 60.0, 2) AS overtime_hours_rest_day,
       round(p.overtime_holiday_minutes / 60.0, 2) AS overtime_hours_holiday,
       round(p.leave_minutes / 60.0, 2) AS leave_hours,
       e.employee_key,
       p.org_id AS department_id, dept.name AS department, p.company_id, co.name AS company,
       p.full_leave_days + 0.5 * p.half_day_days AS leave_days,
       p.half_day_leaves,
       round(p.trip_minutes / 60.0, 2) AS trip_hours,
       round(p.outing_minutes / 60.0, 2) AS outing_hours,
       round(p.appeal_minutes / 60.0, 2) AS appeal_hours,
       p.holidays, p.rest_days, p.pending_days, p.unjudged_days,
       p.period_end - p.period_start + 1 - p.stored_days AS unmarked_days
  FROM @extschema@._att_periods_now p
  JOIN @extschema@.employee e ON e.employee_id = p.employee_id
  LEFT JOIN orgs dept ON dept.org_id = p.org_id
  LEFT JOIN orgs co ON co.org_id = p.company_id;

CREATE OR REPLACE VIEW att_monthly_grid WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT p.employee_id, e.display_name AS employee_name, p.period_start, p.period_end,
       dept.name AS department, co.name AS company,
       p.day_codes[1] AS d01,
       p.day_codes[2] AS d02,
       p.day_codes[3] AS d03,
       p.day_codes[4] AS d04,
       p.day_codes[5] AS d05,
       p.day_codes[6] AS d06,
       p.day_codes[7] AS d07,
       p.day_codes[8] AS d08,
       p.day_codes[9] AS d09,
       p.day_codes[10] AS d10,
       p.day_codes[11] AS d11,
       p.day_codes[12] AS d12,
       p.day_codes[13] AS d13,
       p.day_codes[14] AS d14,
       p.day_codes[15] AS d15,
       p.day_codes[16] AS d16,
       p.day_codes[17] AS d17,
       p.day_codes[18] AS d18,
       p.day_codes[19] AS d19,
       p.day_codes[20] AS d20,
       p.day_codes[21] AS d21,
       p.day_codes[22] AS d22,
       p.day_codes[23] AS d23,
       p.day_codes[24] AS d24,
       p.day_codes[25] AS d25,
       p.day_codes[26] AS d26,
       p.day_codes[27] AS d27,
       p.day_codes[28] AS d28,
       p.day_codes[29] AS d29,
       p.day_codes[30] AS d30,
       p.day_codes[31] AS d31,
       p.present_days, p.absent_days,
       p.full_leave_days + 0.5 * p.half_day_days AS leave_days,
       p.on_duty_days, p.missing_punch_days, p.holidays, p.rest_days AS weekly_offs,
       p.pending_days + p.unjudged_days + (p.period_end - p.period_start + 1 - p.stored_days) AS unmarked_days
  FROM @extschema@._att_periods_now p
  JOIN @extschema@.employee e ON e.employee_id = p.employee_id
  LEFT JOIN orgs dept ON dept.org_id = p.org_id
  LEFT JOIN orgs co ON co.org_id = p.company_id;

DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT v.relname AS view_name, a.attname AS column_name, pg_catalog.col_description(d.oid, da.attnum) AS text
      FROM pg_catalog.pg_class v
      JOIN pg_catalog.pg_attribute a ON a.attrelid = v.oid AND a.attnum > 0
      JOIN pg_catalog.pg_class d ON d.relname = 'att_daily' AND d.relnamespace = v.relnamespace
      JOIN pg_catalog.pg_attribute da ON da.attrelid = d.oid AND da.attname = a.attname
     WHERE v.relnamespace = '@extschema@'::regnamespace AND v.relkind = 'v' AND v.relname <> 'att_daily'
       -- not the internal views (_att_days_now, _att_periods_now): their
       -- columns are day_record's and period_record's, not att_daily's
       AND v.relname NOT LIKE '\_%'
       AND pg_catalog.col_description(v.oid, a.attnum) IS NULL
       AND pg_catalog.col_description(d.oid, da.attnum) IS NOT NULL
  LOOP
    EXECUTE format('COMMENT ON COLUMN @extschema@.%I.%I IS %L', c.view_name, c.column_name, c.text);
  END LOOP;
END $$;

CREATE OR REPLACE VIEW att_weekly_overtime WITH (security_invoker = true, security_barrier = true) AS
WITH days AS (
  SELECT d.employee_id, d.day, d.rule_id, d.shift, d.status, d.work_minutes, d.overtime_minutes,
         greatest(0, d.attended_minutes + d.trip_minutes + d.outing_minutes + d.appeal_minutes - d.overtime_minutes) AS regular_minutes,
         d.attended_minutes
    FROM @extschema@._att_days_now d
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

CREATE OR REPLACE FUNCTION _att_time_off() RETURNS TABLE (employee_id bigint, leave_type text, earned_minutes bigint,
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
      FROM @extschema@._att_days_now d
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
  SELECT @extschema@._att_day_as_shown(to_jsonb(d), @extschema@.att_now()) - 'evaluated_at' INTO record_json
    FROM @extschema@.day_record d WHERE d.employee_id = employee AND d.day = day;
  IF record_json IS NULL THEN
    RAISE EXCEPTION 'day % of employee % has not been evaluated', day, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- a day not over yet has no figures to approve: they change once it is
  -- over, which since 0.25.0 writes nothing that would withdraw the approval
  IF record_json ->> 'status' = 'pending' THEN
    RAISE EXCEPTION 'day % of employee % is not over yet', day, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  UPDATE @extschema@.day_approval a SET withdrawn_at = now()
   WHERE a.employee_id = employee AND a.day = day AND a.withdrawn_at IS NULL;
  INSERT INTO @extschema@.day_approval (employee_id, day, approved_by, figures)
  VALUES (employee, day, actor, record_json) RETURNING approval_id INTO id;
  RETURN id;
END $$;

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
  now_clock timestamptz := @extschema@.att_now();
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
        -- the days as they show (on Citus not through _att_days_now, whose
        -- query Citus does not plan inside a function)
        FROM (SELECT x.employee_id, x.day, x.day_kind,
                     CASE WHEN x.due_at > now_clock THEN (x.shown).status ELSE x.status END AS status
                FROM @extschema@.day_record x WHERE x.employee_id = ANY (members)) d
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
                FROM @extschema@._att_days_now d
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

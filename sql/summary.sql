-- Per employee and closing period, the stored days summed up (SPEC.md C,
-- issue 13): what a period's report reads, kept by a trigger on day_record
-- so that one period of a whole company is one row per employee rather than
-- an aggregate over every day. A login's scope reaches every day of a
-- closing period alike (SPEC.md A: a managed day anywhere in the period gives
-- view on all of it), so one policy on the period's first day scopes it.

CREATE TABLE period_record (
  employee_id        bigint NOT NULL,
  period_start       date NOT NULL,
  period_end         date,
  org_id             bigint,
  company_id         bigint,
  stored_days        bigint NOT NULL,
  workdays           bigint NOT NULL,
  days_attended      bigint NOT NULL,
  late_count         bigint NOT NULL,
  late_minutes       bigint NOT NULL,
  early_count        bigint NOT NULL,
  early_minutes      bigint NOT NULL,
  absence_count      bigint NOT NULL,
  absence_minutes    bigint NOT NULL,
  missing_punches    bigint NOT NULL,
  work_minutes       bigint NOT NULL,
  overtime_workday_minutes  bigint NOT NULL,
  overtime_rest_day_minutes bigint NOT NULL,
  overtime_holiday_minutes  bigint NOT NULL,
  leave_minutes      bigint NOT NULL,
  trip_minutes       bigint NOT NULL,
  outing_minutes     bigint NOT NULL,
  appeal_minutes     bigint NOT NULL,
  full_leave_days    bigint NOT NULL,
  half_day_days      bigint NOT NULL,
  half_day_leaves    bigint NOT NULL,
  present_days       bigint NOT NULL,
  absent_days        bigint NOT NULL,
  on_duty_days       bigint NOT NULL,
  missing_punch_days bigint NOT NULL,
  holidays           bigint NOT NULL,
  rest_days          bigint NOT NULL,
  pending_days       bigint NOT NULL,
  unjudged_days      bigint NOT NULL,
  day_codes          text[] NOT NULL,
  shown_due          timestamptz[],
  shown_day          integer[],
  shown_delta        bigint[],
  shown_code         text[],
  PRIMARY KEY (employee_id, period_start)
)
-- Room for a period's next version on its page, as for day_record (since
-- 0.16.0): every change to one of its days rewrites it.
WITH (fillfactor = 85);
CREATE INDEX period_record_period_idx ON period_record (period_start, employee_id);
COMMENT ON TABLE period_record IS 'The stored days of each employee and closing period summed up, kept current by a trigger on day_record (closed periods stay as they were closed, as their days do). Read through att_period_summary and att_monthly_grid.';
COMMENT ON COLUMN period_record.period_start IS 'First day of the company''s closing period (day_record.period_start).';
COMMENT ON COLUMN period_record.period_end IS 'Last day of the closing period.';
COMMENT ON COLUMN period_record.org_id IS 'The department on the last stored day of the period.';
COMMENT ON COLUMN period_record.company_id IS 'The company on the last stored day of the period.';
COMMENT ON COLUMN period_record.stored_days IS 'Days of the period stored for the employee.';
COMMENT ON COLUMN period_record.day_codes IS 'The code of each day of the period (att_day_code), the first element for period_start; NULL for a day not stored or not employed.';
COMMENT ON COLUMN period_record.shown_due IS 'The period''s days not over yet when it was written (since 0.25.0): the counts and day_codes hold their figures once over, and until each falls due (this instant) the reports show it as it shows now (att_period_summary, att_monthly_grid): NULL when there is none.';
COMMENT ON COLUMN period_record.shown_day IS 'The day of the period (1 for period_start) of each element of shown_due.';
COMMENT ON COLUMN period_record.shown_delta IS 'For each element of shown_due, what showing that day changes in the counts: as many values as the counts from stored_days to unjudged_days, one day after the other.';
COMMENT ON COLUMN period_record.shown_code IS 'The code each day of shown_due shows until it falls due (- pending).';
COMMENT ON COLUMN period_record.full_leave_days IS 'Days whose whole shift is on leave (code L).';
COMMENT ON COLUMN period_record.half_day_days IS 'Days present for part of the shift with leave for the rest (code HD).';
DO $$
DECLARE
  c text;
BEGIN
  -- the counting columns say what they count in att_period_summary's words
  FOREACH c IN ARRAY ARRAY['workdays', 'days_attended', 'late_count', 'late_minutes', 'early_count', 'early_minutes',
                           'absence_count', 'absence_minutes', 'missing_punches', 'work_minutes',
                           'overtime_workday_minutes', 'overtime_rest_day_minutes', 'overtime_holiday_minutes',
                           'leave_minutes', 'trip_minutes', 'outing_minutes', 'appeal_minutes', 'half_day_leaves',
                           'present_days', 'absent_days', 'on_duty_days', 'missing_punch_days', 'holidays',
                           'rest_days', 'pending_days', 'unjudged_days', 'employee_id'] LOOP
    EXECUTE format('COMMENT ON COLUMN @extschema@.period_record.%I IS %L', c,
                   'Summed over the period''s stored days: see att_period_summary.' || c || ' and att_monthly_grid.');
  END LOOP;
END $$;

-- A day as one short code, as monthly attendance sheets show it.
CREATE FUNCTION att_day_code(status text, leave_minutes integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN status IS NULL OR status = 'not_employed' THEN NULL
  WHEN status = 'pending' THEN '-'
  WHEN status = 'holiday' THEN 'H'
  WHEN status = 'rest' THEN 'WO'
  WHEN status = 'excused' THEN CASE WHEN leave_minutes > 0 THEN 'L' ELSE 'OD' END
  WHEN status IN ('absent', 'no_punch') THEN 'A'
  WHEN status IN ('missing_check_in', 'missing_check_out') THEN 'MP'
  WHEN status = 'half_day' THEN 'HD'
  WHEN status IN ('normal', 'late', 'early', 'late_and_early') THEN CASE WHEN leave_minutes > 0 THEN 'HD' ELSE 'P' END
  ELSE '?'
END;
COMMENT ON FUNCTION att_day_code(text, integer) IS
  'The short code of a day (as ERPNext''s and Excel monthly sheets show it): P present (late or early included), HD half day (present part of the shift with leave for the rest, or status half_day: worked less than the rule''s half-day threshold), L on leave for the whole shift, OD on duty elsewhere for the whole shift (business trip, outing, appeal), A absent, MP a missing check-in or check-out, H holiday, WO weekly off (rest day), - pending (not over yet), ? not judged (no rule, unscheduled, outside the rule''s validity); NULL when not employed.';

-- The last day of the closing period that starts on period_start, for a
-- company closing on closing_day (NULL: calendar months). Plain date
-- arithmetic, total wherever dates are: reports call it per row.
CREATE FUNCTION att_period_end(period_start date, closing_day integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (date_trunc('month', period_start::timestamp) + interval '1 month'
        + CASE WHEN closing_day IS NULL THEN interval '-1 day' ELSE (closing_day - 1) * interval '1 day' END)::date;
COMMENT ON FUNCTION att_period_end(date, integer) IS 'The last day of the closing period starting on period_start for a company closing on closing_day (1..28; NULL for calendar months): the closing day of the next month, or the month''s last day.';

-- What a day not over yet changes in its period's counts while it shows
-- (period_record.shown_delta), and the reports' reading of a period at an
-- instant (since 0.25.0). In Rust (src/period_sums.rs), where the counts
-- are summed: both forms of the sums count a day one way.
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

-- The summary of some employees' periods, from their stored days. The last
-- day's department and company come from one aggregate (the greatest
-- [day, org] pair) rather than a sort per period.
-- One aggregate per period through day_record_period_idx, in a plan kept
-- for the session (a punch sums one period): generic, so that it is not
-- made again for every call, and per period (LATERAL) with sequential scans
-- ruled out, so that a plan made while day_record held a few days still
-- reads the index once it holds millions (nothing plans it again until
-- the table is analyzed).
-- PL/pgSQL, not SQL: Citus plans no SQL-function statement whose parameter
-- picks the shard; on Citus it names the employees to be routed to their
-- shards (the trigger below runs on the worker holding them), with custom
-- plans (Citus routes by value).
CREATE FUNCTION _att_period_rows(employees bigint[], periods date[]) RETURNS SETOF period_record
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
COMMENT ON FUNCTION _att_period_rows(bigint[], date[]) IS 'Internal: the period_record rows of the (employee, period start) pairs given, from day_record.';

-- The same rows summed in Rust (src/period_sums.rs): what the upkeep below
-- uses on a single node, four to five times cheaper than the aggregate above
-- (whose text comparisons were most of a refresh's period upkeep); the
-- aggregate stays the reference the tests hold it to, and Citus's path.
-- Its queries name everything by schema, keep generic plans and probe by
-- key (src/plans.rs), so it needs no SET clauses, which cost a punch's
-- period upkeep three settings made and taken back.
CREATE FUNCTION _att_period_sums(employees bigint[], periods date[]) RETURNS SETOF period_record
LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'att_period_sums';
COMMENT ON FUNCTION _att_period_sums(bigint[], date[]) IS 'Internal: the period_record rows of the (employee, period start) pairs given, from day_record, in order of employee and period start; the same as _att_period_rows.';
REVOKE EXECUTE ON FUNCTION _att_period_sums(bigint[], date[]) FROM PUBLIC;
-- The same rows as one array, for _att_period_keep to take as an
-- expression: a query over the set-returning form is a statement with an
-- executor's start and a result store, twice in a punch that changed a day.
CREATE FUNCTION _att_period_sums_array(employees bigint[], periods date[]) RETURNS period_record[]
LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'att_period_sums_array';
COMMENT ON FUNCTION _att_period_sums_array(bigint[], date[]) IS 'Internal: the rows of _att_period_sums as one array (see _att_period_keep).';
REVOKE EXECUTE ON FUNCTION _att_period_sums_array(bigint[], date[]) FROM PUBLIC;

-- Every statement that writes stored days rewrites the periods it touched,
-- before and after (a day may move to another period): the trigger
-- period_record_keep gathers them in C (summary.rs), where an upsert that
-- touched nothing costs no query, and hands them to _att_period_keep. A
-- row updated with every column the sums read unchanged (a check-in on a
-- day that stays pending) leaves its period as it was, and is not handed on.
CREATE FUNCTION _att_period_keep(employees bigint[], periods date[]) RETURNS void
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
COMMENT ON FUNCTION _att_period_keep(bigint[], date[]) IS 'Internal: writes again the period_record rows of the (employee, period start) pairs given (those whose sums changed), and removes those left without a stored day.';
REVOKE EXECUTE ON FUNCTION _att_period_keep(bigint[], date[]) FROM PUBLIC;
CREATE FUNCTION period_record_keep() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'att_period_record_keep';
COMMENT ON FUNCTION period_record_keep() IS 'Internal trigger: the periods a statement on day_record touched, before and after, handed to _att_period_keep.';
REVOKE EXECUTE ON FUNCTION period_record_keep() FROM PUBLIC;
CREATE TRIGGER period_record_on_insert AFTER INSERT ON day_record REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION period_record_keep();
CREATE TRIGGER period_record_on_update AFTER UPDATE ON day_record REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION period_record_keep();
CREATE TRIGGER period_record_on_delete AFTER DELETE ON day_record REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION period_record_keep();

-- Upgrade from 0.6.0 (frozen in attendance--0.6.0.sql) to 0.7.0: a punch's
-- statements keep generic plans that cannot turn into whole-table scans,
-- period sums upserted in place, the scope policy checked after a query's
-- own day conditions (issue 15); on Citus, evaluation on the workers through
-- shard_anchor, refresh locks in buckets, re-anchoring after a split
-- (issue 16).
-- Drafted with scripts/upgrade-draft.py from the two install scripts;
-- tests/upgrade checks that an upgraded database has exactly the objects of
-- a fresh one.

ALTER FUNCTION att_can_view(bigint, date) COST 100;

CREATE OR REPLACE FUNCTION _att_evaluate_batches(employees bigint[], days daterange, changes boolean) RETURNS SETOF day_result
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
  IF NOT changes AND @extschema@._att_on_coordinator() THEN
    RETURN QUERY SELECT * FROM @extschema@._att_evaluate_on_workers(employees, days);
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

CREATE OR REPLACE FUNCTION _att_part_ids(parts integer, part integer) RETURNS bigint[]
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  lo bigint;
  width numeric;
BEGIN
  IF parts < 1 OR part < 0 OR part >= parts THEN
    RAISE EXCEPTION 'part % of % does not exist: parts start at 0 and there is at least one', part, parts
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- on a Citus coordinator the workers evaluate every employee instead
  -- (att_evaluate_all's last branch)
  IF @extschema@._att_on_coordinator() THEN
    RETURN NULL;
  END IF;
  SELECT min(e.employee_id), max(e.employee_id) - min(e.employee_id) + 1 INTO lo, width FROM @extschema@.employee e;
  RETURN (SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e
           WHERE e.employee_id >= lo + floor(width * part / parts) AND e.employee_id < lo + floor(width * (part + 1) / parts));
END $$;

COMMENT ON FUNCTION _att_part_ids(integer, integer) IS 'Internal: the employees whose ids fall in the part-th of parts equal ranges between the smallest and the largest id, in order (att_evaluate_all); none on a Citus coordinator, where the workers evaluate.';

CREATE FUNCTION _att_evaluate_on_workers(employees bigint[], days daterange) RETURNS SETOF day_result
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1000 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  anchors bigint[];
  anchored bigint;
  shards bigint;
BEGIN
  IF days IS NULL OR isempty(days) OR NOT @extschema@._att_on_coordinator() THEN
    RETURN;
  END IF;
  -- a shard without an anchor (split after att_distribute) would be left
  -- out without a word: refuse instead
  EXECUTE 'SELECT count(*) FROM @extschema@.shard_anchor' INTO anchored;
  EXECUTE 'SELECT count(*) FROM pg_catalog.pg_dist_shard WHERE logicalrelid = ''@extschema@.shard_anchor''::regclass' INTO shards;
  IF anchored < shards THEN
    RAISE EXCEPTION '% of % shards of the attendance tables have an anchor: the others would not be evaluated', anchored, shards
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'After splitting shards, a superuser runs SELECT attendance.att_anchor_shards() on the coordinator.';
  END IF;
  IF employees IS NOT NULL THEN
    -- the shards of the employees named, each by its anchor
    EXECUTE 'SELECT array_agg(a.v) FROM unnest(@extschema@._att_shard_representatives()) AS a(v)
              WHERE pg_catalog.get_shard_id_for_distribution_column(''@extschema@.day_record'', a.v)
                    IN (SELECT pg_catalog.get_shard_id_for_distribution_column(''@extschema@.day_record'', e)
                          FROM unnest($1) AS e WHERE e IS NOT NULL)'
       INTO anchors USING employees;
    IF anchors IS NULL THEN
      RETURN;
    END IF;
  END IF;
  -- literals, not parameters: Citus plans the statement for its values
  RETURN QUERY EXECUTE format(
    'SELECT r.* FROM @extschema@.shard_anchor a
       CROSS JOIN LATERAL @extschema@._att_evaluate_shard(a.employee_id, %L::bigint[], %L::daterange) r
      WHERE %s', employees, days,
    CASE WHEN anchors IS NULL THEN 'true' ELSE format('a.employee_id = ANY (%L::bigint[])', anchors) END);
END $$;

COMMENT ON FUNCTION _att_evaluate_on_workers(bigint[], daterange) IS 'Internal: on a Citus coordinator, evaluates the employees (NULL: all) on the workers holding them, every shard at once; nothing elsewhere.';

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

COMMENT ON FUNCTION att_evaluate_all(daterange) IS
  'Evaluates every employee''s days over a finite date range, as att_evaluate(bigint[], daterange) over all employees, in sixteen parts of the id range that parallel workers share (max_parallel_workers_per_gather); on a Citus coordinator the workers evaluate their shards'' employees, all at once.';

CREATE OR REPLACE FUNCTION _att_period_rows(employees bigint[], periods date[]) RETURNS SETOF period_record
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off AS $$
DECLARE
  distributed boolean := @extschema@._att_distributed();
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
            LEFT JOIN unnest(g.offsets, g.codes) AS codes(n, code) ON codes.n = n.n)
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
                 count(*) FILTER (WHERE x.code = '?') AS unjudged_days
            FROM @extschema@.day_record d
           CROSS JOIN LATERAL (SELECT @extschema@.att_day_code(d.status, d.leave_minutes) AS code) x
           WHERE d.period_start = k.period_start AND d.employee_id = k.employee_id
             AND (NOT distributed OR d.employee_id = ANY (employees))) g
    LEFT JOIN @extschema@.org c ON c.org_id = g.last_place[3]
   -- a period whose days are all gone has no row
   WHERE g.stored_days > 0;
END $$;

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
    -- custom plans on Citus, as in _att_period_rows
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  END IF;
  -- Written in place through the primary key (a generic plan cannot turn
  -- an upsert into a scan), a period left unchanged not rewritten; on Citus
  -- the trigger runs on the worker holding the employees.
  fresh := ARRAY(SELECT f FROM @extschema@._att_period_rows(employees, periods) f);
  INSERT INTO @extschema@.period_record AS r SELECT * FROM unnest(fresh)
  ON CONFLICT (employee_id, period_start) DO UPDATE
    SET (period_end, org_id, company_id, stored_days, workdays, days_attended, late_count, late_minutes, early_count, early_minutes, absence_count, absence_minutes, missing_punches, work_minutes, overtime_workday_minutes, overtime_rest_day_minutes, overtime_holiday_minutes, leave_minutes, trip_minutes, outing_minutes, appeal_minutes, full_leave_days, half_day_days, half_day_leaves, present_days, absent_days, on_duty_days, missing_punch_days, holidays, rest_days, pending_days, unjudged_days, day_codes)
      = (excluded.period_end, excluded.org_id, excluded.company_id, excluded.stored_days, excluded.workdays, excluded.days_attended, excluded.late_count, excluded.late_minutes, excluded.early_count, excluded.early_minutes, excluded.absence_count, excluded.absence_minutes, excluded.missing_punches, excluded.work_minutes, excluded.overtime_workday_minutes, excluded.overtime_rest_day_minutes, excluded.overtime_holiday_minutes, excluded.leave_minutes, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.full_leave_days, excluded.half_day_days, excluded.half_day_leaves, excluded.present_days, excluded.absent_days, excluded.on_duty_days, excluded.missing_punch_days, excluded.holidays, excluded.rest_days, excluded.pending_days, excluded.unjudged_days, excluded.day_codes)
    WHERE r IS DISTINCT FROM excluded;
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

COMMENT ON FUNCTION period_record_keep() IS 'Internal trigger: writes again the period_record rows of the periods a statement on day_record touched (those whose sums changed), and removes those left without a stored day.';

CREATE OR REPLACE FUNCTION _att_lock_employees(employees bigint[]) RETURNS void
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
  LOCK TABLE @extschema@.refresh_lock IN SHARE MODE;
  -- the buckets as one array: a plan kept for the session (a punch locks
  -- one bucket) that reads them through the primary key
  PERFORM 1 FROM @extschema@.refresh_lock
    WHERE bucket = ANY (ARRAY(SELECT DISTINCT (hashint8(e) & 1023)::integer FROM unnest(employees) AS e))
    ORDER BY bucket FOR UPDATE;
END $$;

CREATE OR REPLACE FUNCTION _att_lock_on_shards(employees bigint[], closing boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM CASE WHEN closing THEN pg_catalog.pg_advisory_xact_lock(k.shard, -1)
               ELSE pg_catalog.pg_advisory_xact_lock_shared(k.shard, -1) END
     FROM (SELECT DISTINCT pg_catalog.get_shard_id_for_distribution_column('@extschema@.day_record', e)::integer AS shard
             FROM unnest(employees) AS e) k
    ORDER BY k.shard;
  IF NOT closing THEN
    -- 64 buckets a shard, not a lock per employee: a company-wide refresh
    -- would hold tens of thousands of locks and exhaust the lock table
    PERFORM pg_catalog.pg_advisory_xact_lock(k.shard, k.h)
       FROM (SELECT DISTINCT pg_catalog.get_shard_id_for_distribution_column('@extschema@.day_record', e)::integer AS shard,
                    pg_catalog.hashint8(e) & 63 AS h
               FROM unnest(employees) AS e) k
      ORDER BY k.shard, k.h;
  END IF;
END $$;

CREATE TABLE shard_anchor (employee_id bigint PRIMARY KEY);

COMMENT ON TABLE shard_anchor IS 'Internal: one employee id in each shard of the per-employee tables (not necessarily an employee), written by att_distribute: a query over it runs once in every shard (evaluation on the workers). Empty without Citus.';

COMMENT ON COLUMN shard_anchor.employee_id IS 'An id that falls in the shard.';

GRANT SELECT ON shard_anchor TO PUBLIC;

CREATE FUNCTION _att_evaluate_shard(anchor bigint, employees bigint[], days daterange) RETURNS SETOF day_result
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1000 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  low integer;
  high integer;
  ids bigint[];
  nested text;
BEGIN
  IF anchor IS NULL OR days IS NULL OR isempty(days) OR NOT @extschema@._att_distributed() THEN
    RETURN;
  END IF;
  nested := current_setting('citus.allow_nested_distributed_execution', true);
  PERFORM set_config('citus.allow_nested_distributed_execution', 'on', true);
  -- the shard's range of hash values
  EXECUTE 'SELECT s.shardminvalue::integer, s.shardmaxvalue::integer FROM pg_catalog.pg_dist_shard s
            WHERE s.shardid = pg_catalog.get_shard_id_for_distribution_column(''@extschema@.day_record'', $1)'
     INTO low, high USING anchor;
  IF employees IS NULL THEN
    EXECUTE 'SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e
              WHERE pg_catalog.worker_hash(e.employee_id) BETWEEN $1 AND $2'
       INTO ids USING low, high;
  ELSE
    EXECUTE 'SELECT array_agg(DISTINCT e ORDER BY e) FROM unnest($3) AS e
              WHERE e IS NOT NULL AND pg_catalog.worker_hash(e) BETWEEN $1 AND $2'
       INTO ids USING low, high, employees;
  END IF;
  IF ids IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@._att_evaluate_batches(ids, days, false);
  END IF;
  PERFORM set_config('citus.allow_nested_distributed_execution', coalesce(nested, 'off'), true);
END $$;

COMMENT ON FUNCTION _att_evaluate_shard(bigint, bigint[], daterange) IS 'Internal: on a Citus worker, the days of the employees (NULL: all) that fall in the anchor''s shard (see shard_anchor).';

CREATE FUNCTION att_anchor_shards() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  placed integer;
BEGIN
  IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) THEN
    RAISE EXCEPTION 'att_anchor_shards needs a superuser' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT @extschema@._att_on_coordinator() THEN
    RAISE EXCEPTION 'att_anchor_shards runs on the Citus coordinator of a distributed database'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- counted, not taken from the INSERT: Citus reports the rows it passed on
  placed := -(SELECT count(*) FROM @extschema@.shard_anchor);
  INSERT INTO @extschema@.shard_anchor SELECT unnest(@extschema@._att_shard_representatives()) ON CONFLICT DO NOTHING;
  placed := placed + (SELECT count(*) FROM @extschema@.shard_anchor);
  RETURN placed;
END $$;

COMMENT ON FUNCTION att_anchor_shards() IS 'On a Citus coordinator, as a superuser: gives every shard of the attendance tables an anchor (shard_anchor) and returns how many it placed; run it after splitting shards. 42501 without superuser, 55000 elsewhere.';

REVOKE EXECUTE ON FUNCTION att_anchor_shards() FROM PUBLIC;

CREATE OR REPLACE FUNCTION _att_shard_representatives() RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  shards integer;
  tried bigint := 32;
  reps bigint[];
BEGIN
  EXECUTE 'SELECT count(*) FROM pg_catalog.pg_dist_shard WHERE logicalrelid = $1'
     INTO shards USING '@extschema@.day_record'::regclass;
  -- each id hashed once and placed by the shards' hash ranges
  LOOP
    tried := tried * 8;
    EXECUTE 'SELECT array_agg(r.v ORDER BY r.v)
               FROM (SELECT DISTINCT ON (s.shardid) g.x AS v
                       FROM (SELECT x, pg_catalog.worker_hash(x) AS h FROM generate_series(1::bigint, $2) AS x) g
                       JOIN pg_catalog.pg_dist_shard s
                         ON s.logicalrelid = $1 AND g.h BETWEEN s.shardminvalue::integer AND s.shardmaxvalue::integer
                      ORDER BY s.shardid, g.x) r'
       INTO reps USING '@extschema@.day_record'::regclass, tried;
    EXIT WHEN cardinality(reps) >= shards OR tried >= 1048576;
  END LOOP;
  RETURN reps;
END $$;

CREATE OR REPLACE FUNCTION _att_distribution() RETURNS TABLE (table_name name, spread text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT t, 'employee' FROM unnest(ARRAY['day_record', 'punch', 'punch_void', 'excuse', 'excuse_change', 'schedule',
    'correction', 'closing_cover', 'day_approval', 'timesheet', 'timesheet_event', 'approver', 'proxy', 'period_record',
    'refresh_job', 'shard_anchor']::name[]) AS t
  UNION ALL
  SELECT t, 'everywhere' FROM unnest(ARRAY['employee', 'org', 'org_tree', 'membership', 'admin_grant', 'login_employee',
    'rule', 'rule_version', 'rule_org', 'rule_person', 'holiday', 'closing', 'closing_event', 'closing_exemption',
    'refresh_request', 'finalize_state']::name[]) AS t;
END;

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


-- == pg_dump keeps the new table's rows, as it keeps every table's.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.shard_anchor', '');

-- == A Citus deployment: the workers evaluate their own shards through
--    shard_anchor, as att_distribute() now sets up.
DO $$
BEGIN
  IF @extschema@._att_on_coordinator() THEN
    PERFORM create_distributed_table('@extschema@.shard_anchor', 'employee_id', colocate_with => '@extschema@.day_record');
    INSERT INTO @extschema@.shard_anchor SELECT unnest(@extschema@._att_shard_representatives());
  END IF;
END $$;

-- Day evaluation (SPEC.md C): the per-day function and the range form over
-- the stored rows, the table-free form, and the scope helpers of rules.

-- The engine's entry points (src/calls.rs). _att_evaluate_days and
-- _att_evaluate_json keep their 0.1.0 definitions (RETURNS TABLE, the first
-- 19 columns of day_result); the public functions read the full day_result
-- through _att_evaluate_batch and _att_evaluate_request.
CREATE FUNCTION "_att_evaluate_days"("employee" bigint, "first" date, "last" date) RETURNS TABLE (
	"employee_id" bigint,
	"day" date,
	"rule_id" bigint,
	"rule_name" TEXT,
	"shift" TEXT,
	"day_kind" TEXT,
	"status" TEXT,
	"check_in" timestamp with time zone[],
	"check_out" timestamp with time zone[],
	"scheduled_minutes" INT,
	"late_minutes" INT,
	"early_minutes" INT,
	"absent_minutes" INT,
	"work_minutes" INT,
	"overtime_minutes" INT,
	"overtime_category" TEXT,
	"outside_punches" INT,
	"leave_minutes" INT,
	"reasons" TEXT[]
)
STRICT STABLE PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_days_wrapper';

CREATE FUNCTION "_att_evaluate_json"("rule" jsonb, "request" jsonb) RETURNS TABLE (
	"employee_id" bigint,
	"day" date,
	"rule_id" bigint,
	"rule_name" TEXT,
	"shift" TEXT,
	"day_kind" TEXT,
	"status" TEXT,
	"check_in" timestamp with time zone[],
	"check_out" timestamp with time zone[],
	"scheduled_minutes" INT,
	"late_minutes" INT,
	"early_minutes" INT,
	"absent_minutes" INT,
	"work_minutes" INT,
	"overtime_minutes" INT,
	"overtime_category" TEXT,
	"outside_punches" INT,
	"leave_minutes" INT,
	"reasons" TEXT[]
)
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_json_wrapper';

-- The planner asks it while simplifying a query that calls
-- _att_evaluate_batch: that loads the library, whose planner hook then
-- streams the call's rows (src/scan.rs) from a session's first evaluation on.
CREATE FUNCTION _att_evaluate_batch_support(internal) RETURNS internal
LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'att_evaluate_batch_support';
COMMENT ON FUNCTION _att_evaluate_batch_support(internal) IS 'Internal: the planner support function of _att_evaluate_batch (rows of a call with constant arguments: employees times days).';

CREATE FUNCTION _att_evaluate_batch(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31 COST 1000000
SUPPORT _att_evaluate_batch_support
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_batch';

CREATE FUNCTION _att_evaluate_request(rule jsonb, request jsonb) RETURNS SETOF day_result
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_json_wrapper';

CREATE FUNCTION _att_evaluate_day(employee bigint, day date) RETURNS day_result
STABLE STRICT PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_day';

CREATE FUNCTION att_evaluate(employee bigint, days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 31
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batch(ARRAY[employee], lower(days), upper(days) - 1) WHERE NOT isempty(days);
END;
COMMENT ON FUNCTION att_evaluate(bigint, daterange) IS
  'Evaluates an employee''s days over a finite date range in one pass: rows are loaded once, the rule applying on each day is found by scope precedence, and each day is judged by the rule version in force on it.';

CREATE FUNCTION att_evaluate_day(employee bigint, day date)
RETURNS day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE
-- a plain expression, so the planner inlines it and the engine's per-query
-- cache belongs to the caller's query
RETURN @extschema@._att_evaluate_day(employee, day);
COMMENT ON FUNCTION att_evaluate_day(bigint, date) IS
  'The attendance of one employee-day: rule and shift used, kind of day, check-in and check-out per period, late/early/absent/work/overtime minutes, status and the reasons for each figure.';

-- What a refresh writes: the evaluated days that day_record lacks or holds
-- with other figures (src/stored.rs).
CREATE FUNCTION _att_evaluate_changes(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31 COST 1000000
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_changes';
COMMENT ON FUNCTION _att_evaluate_changes(bigint[], date, date) IS 'Internal: a batch''s evaluated days that differ from day_record or are not stored (see _att_evaluate_batches).';
REVOKE EXECUTE ON FUNCTION _att_evaluate_changes(bigint[], date, date) FROM PUBLIC;
CREATE FUNCTION _att_changed_days(employees bigint[], first date, last date) RETURNS day_result[]
STABLE PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_changed_days';
COMMENT ON FUNCTION _att_changed_days(bigint[], date, date) IS 'Internal: the days _att_evaluate_changes returns, as one array (a punch''s refresh, see _att_refresh).';
REVOKE EXECUTE ON FUNCTION _att_changed_days(bigint[], date, date) FROM PUBLIC;

-- The batch functions load and evaluate 256 employees at a time (one query
-- per table, the punches in one ordered scan; memory bounded by the batch,
-- not by the company). More employees than a batch are split into up to 16
-- parts of consecutive ids, one UNION ALL branch each, which PostgreSQL runs
-- as a Parallel Append: the leader and its parallel workers
-- (max_parallel_workers_per_gather) each take the next part as they finish.
-- The batch functions' COST says a call is worth a worker. On Citus the
-- workers evaluate their own shards' employees (_att_evaluate_on_workers);
-- there the parts run one after another.
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
COMMENT ON FUNCTION _att_evaluate_batches(bigint[], daterange, boolean) IS 'Internal: evaluates the employees'' days over a finite range in batches of 256, in parallel when there are several; with changes (the extension''s refresh only), just the days that differ from day_record or are not stored.';

-- PARALLEL RESTRICTED: kept in the leader, so that its own batches can run
-- in parallel (a query inside a parallel worker cannot start workers).
CREATE FUNCTION att_evaluate(employees bigint[], days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1000
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batches(employees, days, false);
END;
COMMENT ON FUNCTION att_evaluate(bigint[], daterange) IS
  'Evaluates many employees'' days over a finite date range in batches: the rows of 256 employees at a time are loaded with one query per table and judged in one pass, the batches shared among the parallel workers (max_parallel_workers_per_gather). The fast way to evaluate a whole org or company.';

-- The employees of one of several parts of the id range, read by a function
-- of its own: att_evaluate_all is inlined into the calling query, and on
-- Citus a query that did not name a Citus table before inlining cannot name
-- one after.
CREATE FUNCTION _att_part_ids(parts integer, part integer) RETURNS bigint[]
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  lo numeric;
  hi bigint;
  width numeric;
  first_id bigint;
  end_id bigint;
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
  -- the width in numeric: ids from the smallest bigint to the largest
  -- span more than a bigint holds
  SELECT min(e.employee_id), max(e.employee_id) INTO lo, hi FROM @extschema@.employee e;
  width := hi - lo + 1;
  -- the bounds as bigint, so the ids are a range of the primary key (compared
  -- with a numeric, every id of the table was read, for every part); the
  -- last part ends at the largest id, whose successor may not be a bigint
  first_id := (lo + floor(width * part / parts))::bigint;
  IF part = parts - 1 THEN
    RETURN (SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e
             WHERE e.employee_id >= first_id AND e.employee_id <= hi);
  END IF;
  end_id := (lo + floor(width * (part + 1) / parts))::bigint;
  RETURN (SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e
           WHERE e.employee_id >= first_id AND e.employee_id < end_id);
END $$;
COMMENT ON FUNCTION _att_part_ids(integer, integer) IS 'Internal: the employees whose ids fall in the part-th of parts equal ranges between the smallest and the largest id, in order (att_evaluate_all); none on a Citus coordinator, where the workers evaluate.';

-- On a Citus coordinator, the evaluation of employees (NULL: all of them)
-- runs on the workers, next to their rows: one query over shard_anchor, one
-- row in each shard, that Citus sends to every shard at once (or to the
-- shards of the employees named), each calling _att_evaluate_shard there
-- (citus.sql). The coordinator only merges the rows. Elsewhere nothing:
-- att_evaluate_all's other branches evaluate.
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

-- Sixteen parts, one UNION ALL branch each: inlined into the calling query,
-- the planner runs them as a Parallel Append under a Gather, so the caller's
-- own aggregates are computed in the parallel workers too and only their
-- partial results travel to the leader.
CREATE FUNCTION att_evaluate_all(days daterange)
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

CREATE FUNCTION att_evaluate_rule(rule jsonb, request jsonb)
RETURNS SETOF day_result
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_request(rule, request);
END;
COMMENT ON FUNCTION att_evaluate_rule(jsonb, jsonb) IS
  'The table-free form: evaluates a rule (JSON, as stored in rule_version.config) against a request {"from","to","punches":[{"at","lat","lon","source"}],"excuses":[{"kind","from","to"}],"holidays":[{"date","kind"}],"schedule":[{"date","shift"}]}. Needs no tables; the session TimeZone does not matter.';

CREATE FUNCTION att_evaluate_rule(rule jsonb, day date, punches timestamptz[])
RETURNS day_result
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_request(rule, jsonb_build_object(
    'from', day,
    'punches', coalesce((SELECT jsonb_agg(jsonb_build_object('at', p)) FROM unnest(punches) AS p), '[]'::jsonb)));
END;
COMMENT ON FUNCTION att_evaluate_rule(jsonb, date, timestamptz[]) IS
  'The table-free form for one day and plain punches.';

COMMENT ON FUNCTION _att_evaluate_days(bigint, date, date) IS 'Internal: use att_evaluate or att_evaluate_day.';
COMMENT ON FUNCTION _att_evaluate_json(jsonb, jsonb) IS 'Internal: use att_evaluate_rule.';
COMMENT ON FUNCTION _att_evaluate_request(jsonb, jsonb) IS 'Internal: use att_evaluate_rule.';
COMMENT ON FUNCTION _att_evaluate_batch(bigint[], date, date) IS 'Internal: use att_evaluate(bigint[], daterange) or att_evaluate_all.';
COMMENT ON FUNCTION _att_evaluate_day(bigint, date) IS 'Internal: use att_evaluate_day.';
COMMENT ON FUNCTION att_rule_validate(jsonb) IS 'Validates a rule configuration: true, or an error naming the field with a SQLSTATE (22023 out of range, 22P02 malformed, 23P01 overlapping cycles).';
COMMENT ON FUNCTION att_rule_for(bigint, date) IS 'The rule that applies to the employee on the day by scope precedence: a dated person entry covering the day, then an undated person entry, then the nearest org entry, among rules whose validity covers the day; NULL if none.';

-- Adding people to a rule's scope with the seed's two outcomes for conflicts.
CREATE FUNCTION att_rule_add_people(rule bigint, employees bigint[], validity daterange DEFAULT NULL, adjust boolean DEFAULT false)
RETURNS TABLE (employee_id bigint, outcome text, conflicting_rule bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  e bigint;
  c record;
  conflicts int;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM @extschema@.rule r WHERE r.rule_id = rule) THEN
    RAISE EXCEPTION 'unknown rule %', rule USING ERRCODE = 'foreign_key_violation';
  END IF;
  FOREACH e IN ARRAY employees LOOP
    conflicts := 0;
    FOR c IN
      SELECT p.entry_id, p.rule_id, p.validity
        FROM @extschema@.rule_person p
       WHERE p.employee_id = e
         AND CASE WHEN validity IS NULL THEN p.validity IS NULL
                  ELSE p.validity IS NOT NULL AND p.validity && validity END
    LOOP
      conflicts := conflicts + 1;
      employee_id := e; conflicting_rule := c.rule_id;
      IF adjust THEN
        -- 批量调整: move the overlap into this rule, keep the rest of the old entry.
        DELETE FROM @extschema@.rule_person WHERE rule_person.employee_id = e AND entry_id = c.entry_id;
        IF c.validity IS NOT NULL THEN
          IF lower(c.validity) < lower(validity) OR (lower_inf(c.validity) AND NOT lower_inf(validity)) THEN
            INSERT INTO @extschema@.rule_person (employee_id, rule_id, validity)
            VALUES (e, c.rule_id, daterange(lower(c.validity), lower(validity)));
          END IF;
          IF NOT upper_inf(validity) AND (upper_inf(c.validity) OR upper(c.validity) > upper(validity)) THEN
            INSERT INTO @extschema@.rule_person (employee_id, rule_id, validity)
            VALUES (e, c.rule_id, daterange(upper(validity), upper(c.validity)));
          END IF;
        END IF;
        outcome := 'moved';
      ELSE
        outcome := 'skipped';  -- 不调整: only members without conflict are added
      END IF;
      RETURN NEXT;
    END LOOP;
    IF conflicts = 0 OR adjust THEN
      INSERT INTO @extschema@.rule_person (employee_id, rule_id, validity) VALUES (e, rule, validity);
      IF conflicts = 0 THEN
        employee_id := e; outcome := 'added'; conflicting_rule := NULL;
        RETURN NEXT;
      END IF;
    END IF;
  END LOOP;
END $$;
COMMENT ON FUNCTION att_rule_add_people(bigint, bigint[], daterange, boolean) IS
  'Adds employees to a rule''s scope, optionally for a validity period, and reports each: added; skipped (conflicts with another entry and adjust is false: 不调整, only members without conflict are added); moved (adjust is true: 批量调整, the overlapping part of the conflicting entry moves into this rule).';

CREATE FUNCTION att_rule_add_orgs(rule bigint, orgs bigint[], adjust boolean DEFAULT false)
RETURNS TABLE (org_id bigint, outcome text, conflicting_rule bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  o bigint;
  existing bigint;
BEGIN
  FOREACH o IN ARRAY orgs LOOP
    SELECT ro.rule_id INTO existing FROM @extschema@.rule_org ro WHERE ro.org_id = o;
    org_id := o; conflicting_rule := existing;
    IF existing IS NULL THEN
      INSERT INTO @extschema@.rule_org (org_id, rule_id) VALUES (o, rule);
      outcome := 'added';
    ELSIF existing = rule THEN
      outcome := 'unchanged'; conflicting_rule := NULL;
    ELSIF adjust THEN
      UPDATE @extschema@.rule_org SET rule_id = rule WHERE rule_org.org_id = o;
      outcome := 'moved';
    ELSE
      outcome := 'skipped';
    END IF;
    RETURN NEXT;
  END LOOP;
END $$;
COMMENT ON FUNCTION att_rule_add_orgs(bigint, bigint[], boolean) IS
  'Adds orgs to a rule''s scope; an org already in another rule is skipped, or moved here when adjust is true.';

CREATE FUNCTION schedule_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._att_check_schedule(NEW.employee_id, NEW.day, NEW.shift);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION schedule_check() IS 'Internal trigger: the write-time checks of a schedule row (_att_check_schedule).';
REVOKE EXECUTE ON FUNCTION schedule_check() FROM PUBLIC;
CREATE TRIGGER schedule_check BEFORE INSERT OR UPDATE ON schedule
  FOR EACH ROW EXECUTE FUNCTION schedule_check();
COMMENT ON FUNCTION _att_check_schedule(bigint, date, text) IS 'Internal: the write-time checks of a schedule row.';

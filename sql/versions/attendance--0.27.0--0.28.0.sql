-- Upgrade from 0.27.0 (frozen in attendance--0.27.0.sql) to 0.28.0.
-- - _att_evaluate_batch gets a planner support function
--   (_att_evaluate_batch_support): the planner calls it while it
--   simplifies a query that evaluates, which loads the library, whose
--   planner hook then streams the evaluation's rows (a Custom Scan,
--   src/scan.rs) from a session's first evaluation on. It also counts the
--   rows of a call with constant arguments (employees times days).
-- - The library (not this script): a call of _att_evaluate_batch alone in
--   its FROM item, reading plain columns (att_evaluate_all's sixteen
--   parts, att_evaluate over an array), streams its days batch by batch
--   with only the columns read, instead of storing every row first;
--   attendance.stream_evaluation = off keeps the function scan.
-- - _att_part_ids computes its bounds in numeric and ends the last part
--   at the largest id: an employee numbered 9223372036854775807, or ids
--   spanning more than a bigint holds, made att_evaluate_all fail with
--   "bigint out of range" (since 0.6.0).

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE FUNCTION _att_evaluate_batch_support(internal) RETURNS internal
LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'att_evaluate_batch_support';

COMMENT ON FUNCTION _att_evaluate_batch_support(internal) IS 'Internal: the planner support function of _att_evaluate_batch (rows of a call with constant arguments: employees times days).';

CREATE OR REPLACE FUNCTION _att_evaluate_batch(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31 COST 1000000
SUPPORT _att_evaluate_batch_support
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_batch';

CREATE OR REPLACE FUNCTION _att_part_ids(parts integer, part integer) RETURNS bigint[]
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

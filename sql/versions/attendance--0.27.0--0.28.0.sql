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



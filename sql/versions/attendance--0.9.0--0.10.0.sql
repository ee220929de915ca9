-- Upgrade from 0.9.0 (frozen in attendance--0.9.0.sql) to 0.10.0: the row
-- policies' scope check through a lighter entry point (issue 15).
-- Drafted with scripts/upgrade-draft.py from the two install scripts;
-- tests/upgrade checks that an upgraded database has exactly the objects of
-- a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE OR REPLACE FUNCTION att_can_view(employee bigint, day date) RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE COST 100 AS 'MODULE_PATHNAME', 'att_can_view_row';



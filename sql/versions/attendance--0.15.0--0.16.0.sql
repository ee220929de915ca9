-- Upgrade from 0.15.0 (frozen in attendance--0.15.0.sql) to 0.16.0 (issue
-- 15): day_record and period_record leave room on each page for a row's
-- next version (fillfactor 85), so that a day rewritten as it falls due or
-- as punches come, and its period, mostly stay on their page. The setting
-- applies to the pages written from now on; VACUUM FULL of the two tables
-- (an exclusive lock while it runs) applies it to the rows stored so far.
-- tests/upgrade checks that an upgraded database has exactly the objects
-- of a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

ALTER TABLE day_record SET (fillfactor = 85);
ALTER TABLE period_record SET (fillfactor = 85);

-- On Citus the rows are in the shards each node holds (day_record_<shard
-- id>), which the statements above, not passed on, did not reach: each
-- node sets its own (a fresh deployment's att_distribute gives the shards
-- the table's setting itself).
DO $$
DECLARE
  p record;
BEGIN
  IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_catalog.set_config('citus.enable_manual_changes_to_shards', 'on', true);
  FOR p IN EXECUTE $q$
    SELECT pg_catalog.shard_name(s.logicalrelid, s.shardid) AS shard
      FROM pg_catalog.pg_dist_shard s
     WHERE s.logicalrelid IN ('@extschema@.day_record'::regclass, '@extschema@.period_record'::regclass)$q$
  LOOP
    IF pg_catalog.to_regclass(p.shard) IS NOT NULL THEN
      EXECUTE pg_catalog.format('ALTER TABLE %s SET (fillfactor = 85)', p.shard);
    END IF;
  END LOOP;
END $$;

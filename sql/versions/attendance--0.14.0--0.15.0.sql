-- Upgrade from 0.14.0 (frozen in attendance--0.14.0.sql) to 0.15.0 (issue
-- 15): on Citus 13.2 a new root org (a company added after att_distribute)
-- got no place in org_tree, so its members had no calendar, closing period
-- or scope. org_tree_add gathers the places first and writes them from an
-- array, as org_move does. Drafted with scripts/upgrade-draft.py from
-- the two install scripts; tests/upgrade checks that an upgraded database
-- has exactly the objects of a fresh one. (Roots added on Citus before
-- this upgrade keep their missing place: see README, "Deploying on Citus".)

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE OR REPLACE FUNCTION org_tree_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  since daterange := daterange(NEW.parent_since, NULL);
  fresh @extschema@.org_tree[];
BEGIN
  -- on Citus the coordinator's copy of org writes every copy of org_tree
  IF TG_TABLE_NAME <> 'org' AND @extschema@._att_copy_elsewhere(TG_TABLE_NAME, 'org') THEN
    RETURN NULL;
  END IF;
  fresh := ARRAY(SELECT ROW(NEW.org_id, p.period * since, NEW.parent_id, p.path || NEW.org_id)::@extschema@.org_tree
                   FROM @extschema@.org_tree p WHERE p.org_id = NEW.parent_id AND p.period && since);
  IF NEW.parent_id IS NULL OR NEW.parent_since IS NOT NULL THEN
    fresh := fresh || ROW(NEW.org_id, CASE WHEN NEW.parent_id IS NULL THEN daterange(NULL, NULL) ELSE daterange(NULL, NEW.parent_since) END,
                          NULL::bigint, ARRAY[NEW.org_id])::@extschema@.org_tree;
  END IF;
  INSERT INTO @extschema@.org_tree SELECT * FROM unnest(fresh);
  RETURN NULL;
END $$;



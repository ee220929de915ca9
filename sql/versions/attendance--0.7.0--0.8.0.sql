-- Upgrade from 0.7.0 (frozen in attendance--0.7.0.sql) to 0.8.0: a BI
-- login's scope kept between transactions while the tree, the memberships
-- and the grants are unchanged, which scope_change and its triggers tell
-- (issue 15).
-- Drafted with scripts/upgrade-draft.py from the two install scripts;
-- tests/upgrade checks that an upgraded database has exactly the objects of
-- a fresh one.

-- On a Citus deployment org, org_tree, membership and admin_grant are
-- reference tables: every node runs this script itself, so Citus is told
-- not to pass its statements on (it would send the whole script), and the
-- new triggers, which do nothing on Citus, go on each node's own tables.
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);
SELECT pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);

CREATE TABLE scope_change (
  change_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  weight    bigint NOT NULL CHECK (weight > 0)
);

COMMENT ON TABLE scope_change IS 'Internal: one row per statement that changed org, org_tree, membership or admin_grant (rows folded now and then, keeping the sum of weights); a cached scope is reused while the sum a transaction sees is the one it was computed under. Read-only for everyone but the extension.';

COMMENT ON COLUMN scope_change.weight IS 'How many changes this row stands for (more than 1 after a fold).';

CREATE FUNCTION _att_fold_scope_changes() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RETURN;
  END IF;
  WITH folded AS (
    DELETE FROM @extschema@.scope_change c
     WHERE c.change_id IN (SELECT x.change_id FROM @extschema@.scope_change x FOR UPDATE SKIP LOCKED)
    RETURNING c.weight
  )
  INSERT INTO @extschema@.scope_change (weight)
  SELECT sum(f.weight) FROM folded f HAVING count(*) > 0;
END $$;

COMMENT ON FUNCTION _att_fold_scope_changes() IS 'Internal: folds the rows of scope_change into one, keeping the sum of their weights.';

REVOKE EXECUTE ON FUNCTION _att_fold_scope_changes() FROM PUBLIC;

CREATE FUNCTION note_scope_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  id bigint;
BEGIN
  -- On Citus no scope is kept between transactions (src/kept_scope.rs): these
  -- tables are reference tables there, whose triggers fire on every copy.
  IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO @extschema@.scope_change (weight) VALUES (1) RETURNING change_id INTO id;
  -- now and then, so that reading the sum stays a scan of a few rows
  IF id % 256 = 0 THEN
    PERFORM @extschema@._att_fold_scope_changes();
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION note_scope_change() IS 'Internal trigger: records that a statement changed what scopes are computed from.';

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_tree
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON membership
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_grant
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

CREATE  FUNCTION "_att_visible_org_ids"() RETURNS bigint[] 
STRICT STABLE SECURITY DEFINER PARALLEL SAFE 
SET search_path TO pg_catalog, pg_temp
LANGUAGE c 
AS 'MODULE_PATHNAME', 'att_visible_org_ids_wrapper';

CREATE OR REPLACE FUNCTION _att_visible_orgs() RETURNS TABLE (org_id bigint, name text, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 100
BEGIN ATOMIC
  SELECT o.org_id, o.name, o.closing_day::integer
    FROM @extschema@.org o
   WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      -- kept with the asker's scope between queries (src/access.rs)
      OR o.org_id = ANY ((SELECT @extschema@._att_visible_org_ids())::bigint[]);
END;

COMMENT ON FUNCTION _att_visible_org_ids() IS 'Internal: the ids of the orgs the asking login may name (see _att_visible_orgs), kept with its scope between queries while the tree, the memberships and the grants are unchanged.';


-- == pg_dump keeps the new table's rows, as it keeps every table's.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.scope_change', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.scope_change_change_id_seq', '');

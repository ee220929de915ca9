-- The scope's version (issue 15): a BI login's scope is computed from the
-- tree, the memberships and the grants; a backend keeps the last scopes it
-- computed and serves the next transactions from them while none of those
-- tables has changed. Every statement that changes one adds a row here in
-- its own transaction, so what a snapshot sees of this table changes
-- exactly when what it sees of those tables may have: the sum of the
-- weights it sees is the number of committed changes it sees. Snapshots
-- are nested (a later one sees every commit an earlier one saw), so two
-- snapshots that see the same sum see the same changes (src/kept_scope.rs).
-- Rows are folded into one now and then; the fold keeps the sum.

CREATE TABLE scope_change (
  change_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  weight    bigint NOT NULL CHECK (weight > 0)
);
COMMENT ON TABLE scope_change IS 'Internal: one row per statement that changed org, org_tree, membership or admin_grant (rows folded now and then, keeping the sum of weights); a cached scope is reused while the sum a transaction sees is the one it was computed under. Read-only for everyone but the extension.';
COMMENT ON COLUMN scope_change.weight IS 'How many changes this row stands for (more than 1 after a fold).';

-- Folding never waits and never counts a row twice: it takes only rows no
-- one else holds (SKIP LOCKED), and a row another fold deleted meanwhile
-- is skipped, not counted. Only under READ COMMITTED: a REPEATABLE READ
-- transaction that met another fold's deletion would fail to serialize.
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
REVOKE EXECUTE ON FUNCTION note_scope_change() FROM PUBLIC;

CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();
CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_tree
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();
CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON membership
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();
CREATE TRIGGER note_scope_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_grant
  FOR EACH STATEMENT EXECUTE FUNCTION note_scope_change();

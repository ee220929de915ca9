-- Effective-dated reorganisations (SPEC.md A): an org's parent has a period.
-- org.parent_id is the parent from org.parent_since on; org_tree keeps every
-- org's place in the tree for every day, so that a day is judged by the tree
-- as it stood on that day, and a move acts exactly like moving each member
-- on the move's first day. Only the triggers below write org_tree.

CREATE TABLE org_tree (
  org_id    bigint NOT NULL REFERENCES org (org_id) ON DELETE CASCADE,
  period    daterange NOT NULL,
  parent_id bigint REFERENCES org (org_id),
  path      bigint[] NOT NULL,
  PRIMARY KEY (org_id, period),
  CONSTRAINT org_tree_no_overlap EXCLUDE USING gist (org_id WITH =, period WITH &&)
);
CREATE INDEX org_tree_path_idx ON org_tree USING gin (path);
COMMENT ON TABLE org_tree IS 'The tree as it stood on every day: for each org, the periods over which its parent and its path (company first) stay the same; together they cover every day. Maintained from org by triggers; read-only.';
COMMENT ON COLUMN org_tree.period IS 'The days this place in the tree holds.';
COMMENT ON COLUMN org_tree.parent_id IS 'The parent on these days; NULL while the org is a company (root). An org that was ever a parent cannot be deleted (23503): the days below it keep their tree.';
COMMENT ON COLUMN org_tree.path IS 'The org ids from the company down to this org on these days.';

-- Before a row is written: the path after the latest move, computed from
-- the tree rather than taken from the statement, and the first day of a
-- move (today unless the statement dates it). Refuses a cycle on any day.
CREATE FUNCTION org_place() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  parent_path bigint[];
  since date;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.org_id <> OLD.org_id THEN
    RAISE EXCEPTION 'org_id of org % cannot change', OLD.org_id
      USING ERRCODE = 'feature_not_supported';
  END IF;
  -- The closing calendar has no history of its own: once a company has
  -- stored days or closings, changing it would move every past period.
  -- (on Citus the coordinator's copy checks: a worker's copy cannot read
  -- every shard of day_record from its trigger)
  IF TG_OP = 'UPDATE' AND NEW.closing_day IS DISTINCT FROM OLD.closing_day
     AND NOT (TG_TABLE_NAME <> 'org' AND @extschema@._att_copy_elsewhere(TG_TABLE_NAME, 'org'))
     AND (EXISTS (SELECT 1 FROM @extschema@.closing_event c
                   WHERE c.org_id IN (SELECT t.org_id FROM @extschema@.org_tree t WHERE t.path @> ARRAY[NEW.org_id]))
          OR EXISTS (SELECT 1 FROM @extschema@.day_record d WHERE d.company_id = NEW.org_id)) THEN
    RAISE EXCEPTION 'the closing day of company % cannot change: it has stored days or closings', NEW.org_id
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Periods already stored or closed would move. Start a new company (org) for the new calendar and move its departments there from a date.';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id
     AND NEW.parent_since IS NOT DISTINCT FROM OLD.parent_since THEN
    IF NEW.path IS DISTINCT FROM OLD.path THEN
      RAISE EXCEPTION 'org.path is maintained by the extension and cannot be set'
        USING ERRCODE = 'feature_not_supported';
    END IF;
    -- not a move: the path is the tree's (a move above this org changed it)
    NEW.path := coalesce((SELECT t.path FROM @extschema@.org_tree t
                           WHERE t.org_id = NEW.org_id AND upper_inf(t.period)), OLD.path);
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- a new org has its parent from parent_since on (every day if NULL)
    IF NOT isfinite(NEW.parent_since) THEN
      RAISE EXCEPTION 'parent_since of org % must be a finite day or NULL, got %', NEW.org_id, NEW.parent_since
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
  ELSE
    since := CASE WHEN NEW.parent_since IS DISTINCT FROM OLD.parent_since THEN NEW.parent_since
                  ELSE @extschema@.att_today() END;
    IF since IS NULL OR NOT isfinite(since) THEN
      RAISE EXCEPTION 'a move of org % needs a finite first day (parent_since), got %', NEW.org_id, coalesce(since::text, 'NULL')
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    NEW.parent_since := since;
  END IF;
  IF NEW.parent_id IS NULL THEN
    NEW.path := ARRAY[NEW.org_id];
    RETURN NEW;
  END IF;
  SELECT o.path INTO parent_path FROM @extschema@.org o WHERE o.org_id = NEW.parent_id;
  IF parent_path IS NULL THEN
    RAISE EXCEPTION 'parent org % of org % does not exist', NEW.parent_id, NEW.org_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT t.path INTO parent_path FROM @extschema@.org_tree t
     WHERE t.org_id = NEW.parent_id AND t.period && daterange(since, NULL) AND NEW.org_id = ANY (t.path)
     ORDER BY t.period LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'org % cannot be its own ancestor', NEW.org_id
        USING ERRCODE = 'check_violation',
              DETAIL = format('From %s on, the new parent %s lies below org %s (path %s).', since, NEW.parent_id, NEW.org_id, parent_path);
    END IF;
    SELECT o.path INTO parent_path FROM @extschema@.org o WHERE o.org_id = NEW.parent_id;
  END IF;
  NEW.path := parent_path || NEW.org_id;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION org_place() IS 'Internal trigger: computes org.path and the first day of a move, and refuses cycles.';
REVOKE EXECUTE ON FUNCTION org_place() FROM PUBLIC;

-- A new org sits below its parent from parent_since on, following the
-- parent's own places; before that (if dated) it stands alone. The places
-- are gathered first and written from an array, as org_move writes them:
-- on Citus 13.2 one INSERT ... SELECT from org_tree with a UNION ALL of
-- both wrote nothing for a new root (a new company had no place in the
-- tree, so no calendar, closing period or scope; found in 0.15.0).
CREATE FUNCTION _att_org_places(org bigint, parent bigint, parent_since date) RETURNS org_tree[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  since daterange := daterange(parent_since, NULL);
  fresh @extschema@.org_tree[];
BEGIN
  fresh := ARRAY(SELECT ROW(org, p.period * since, parent, p.path || org)::@extschema@.org_tree
                   FROM @extschema@.org_tree p WHERE p.org_id = parent AND p.period && since);
  IF parent IS NULL OR parent_since IS NOT NULL THEN
    fresh := fresh || ROW(org, CASE WHEN parent IS NULL THEN daterange(NULL, NULL) ELSE daterange(NULL, parent_since) END,
                          NULL::bigint, ARRAY[org])::@extschema@.org_tree;
  END IF;
  RETURN fresh;
END $$;
COMMENT ON FUNCTION _att_org_places(bigint, bigint, date) IS 'Internal: the places in the tree of a new org with this parent from parent_since on (see org_tree_add).';
REVOKE EXECUTE ON FUNCTION _att_org_places(bigint, bigint, date) FROM PUBLIC;

-- On Citus the coordinator's copy of org writes every copy of org_tree, at
-- commit (_att_deferred, citus.sql): a COPY or an INSERT ... SELECT into
-- org is still writing the workers' copies when this trigger fires.
CREATE FUNCTION org_tree_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME <> 'org' THEN
    IF NOT @extschema@._att_copy_elsewhere(TG_TABLE_NAME, 'org') THEN
      INSERT INTO @extschema@._att_deferred (org_id, parent_id, parent_since) VALUES (NEW.org_id, NEW.parent_id, NEW.parent_since);
    END IF;
    RETURN NULL;
  END IF;
  INSERT INTO @extschema@.org_tree SELECT * FROM unnest(@extschema@._att_org_places(NEW.org_id, NEW.parent_id, NEW.parent_since));
  RETURN NULL;
END $$;
COMMENT ON FUNCTION org_tree_add() IS 'Internal trigger: records a new org''s place in the tree for every day (on Citus at commit).';
REVOKE EXECUTE ON FUNCTION org_tree_add() FROM PUBLIC;

-- A move: from its first day, the org has the new parent; the days before
-- keep the tree they had. Every place below the org is recomputed from the
-- parents recorded for each period, and the employees below it are queued
-- for re-evaluation from that day. A move that would change a day of a
-- closed period (its rule, calendar, scope or closing) is refused.
CREATE FUNCTION org_move() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  org bigint := NEW.org_id;
  since date := NEW.parent_since;
  blocker record;
  fresh @extschema@.org_tree[];
BEGIN
  -- on Citus the coordinator's copy of org moves every copy of the tree
  IF TG_TABLE_NAME <> 'org' AND @extschema@._att_copy_elsewhere(TG_TABLE_NAME, 'org') THEN
    RETURN NULL;
  END IF;
  -- moves are recomputed from what the tree holds: one at a time
  LOCK TABLE @extschema@.org_tree IN SHARE ROW EXCLUSIVE MODE;
  -- again here: an earlier row of the same statement may have moved the new
  -- parent below this org after org_place looked
  IF EXISTS (SELECT 1 FROM @extschema@.org_tree t
              WHERE t.org_id = NEW.parent_id AND t.period && daterange(since, NULL) AND org = ANY (t.path)) THEN
    RAISE EXCEPTION 'org % cannot be its own ancestor', org
      USING ERRCODE = 'check_violation',
            DETAIL = format('From %s on, the new parent %s lies below org %s.', since, NEW.parent_id, org);
  END IF;
  -- a closed day of anyone below the org (closed through any org's closing
  -- that covered them) would change hands
  SELECT m.employee_id AS org_id, c.period INTO blocker
    FROM @extschema@.org_tree t
    JOIN @extschema@.membership m ON m.org_id = t.org_id AND m.period && t.period
    JOIN @extschema@.closing c ON c.period && (m.period * t.period * daterange(since, NULL))
    JOIN @extschema@.closing_cover v ON v.employee_id = m.employee_id AND v.org_id = c.org_id AND v.period = c.period
     -- on a day the cover holds (since 0.27.0)
     AND v.days && pg_catalog.datemultirange(m.period * t.period * daterange(since, NULL))
   WHERE t.path @> ARRAY[org] AND t.period && daterange(since, NULL)
     AND NOT EXISTS (SELECT 1 FROM @extschema@.closing_exemption x
                      WHERE x.org_id = c.org_id AND x.period = c.period AND x.employee_id = m.employee_id)
   ORDER BY c.period LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'org % cannot move from %: period % of employee % below it is closed', org, since, blocker.period, blocker.org_id
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Date the move (parent_since) after the closed period, or reopen the period first.';
  END IF;
  SELECT c.org_id, c.period INTO blocker
    FROM @extschema@.closing c
   WHERE c.period && daterange(since, NULL)
     AND c.org_id IN (SELECT unnest(t.path) FROM @extschema@.org_tree t
                       WHERE t.period && daterange(since, NULL)
                         AND (t.path @> ARRAY[org] OR t.org_id = NEW.parent_id))
   ORDER BY c.period LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'org % cannot move from %: period % of org % is closed', org, since, blocker.period, blocker.org_id
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Date the move (parent_since) after the closed period, or reopen the period first.';
  END IF;
  DELETE FROM @extschema@.org_tree t WHERE t.org_id = org AND lower(t.period) >= since;
  UPDATE @extschema@.org_tree t SET period = daterange(lower(t.period), since)
   WHERE t.org_id = org AND t.period @> since;
  INSERT INTO @extschema@.org_tree (org_id, period, parent_id, path)
  VALUES (org, daterange(since, NULL), NEW.parent_id, ARRAY[org]);
  -- The places of the org and of everything below it, from the parent each
  -- held over each period: a child's place on a day is its parent's place
  -- that day plus itself.
  WITH RECURSIVE parents AS (
    SELECT t.org_id, t.parent_id, unnest(range_agg(t.period)) AS period
      FROM @extschema@.org_tree t
     WHERE t.org_id = org OR t.path @> ARRAY[org]
     GROUP BY t.org_id, t.parent_id
  ), walk (org_id, parent_id, period, path) AS (
    SELECT h.org_id, h.parent_id, h.period * p.period, p.path || h.org_id
      FROM parents h JOIN @extschema@.org_tree p ON p.org_id = h.parent_id AND p.period && h.period
     WHERE h.org_id = org
    UNION ALL
    SELECT h.org_id, NULL::bigint, h.period, ARRAY[h.org_id]
      FROM parents h WHERE h.org_id = org AND h.parent_id IS NULL
    UNION ALL
    SELECT h.org_id, h.parent_id, h.period * w.period, w.path || h.org_id
      FROM walk w JOIN parents h ON h.parent_id = w.org_id AND h.period && w.period
     WHERE h.org_id <> ALL (w.path)   -- a cycle ends here (the checks above refuse one)
  ), merged AS (
    SELECT w.org_id, unnest(range_agg(w.period)) AS period, w.parent_id, w.path
      FROM walk w GROUP BY w.org_id, w.parent_id, w.path
  )
  SELECT array_agg(ROW(m.org_id, m.period, m.parent_id, m.path)::@extschema@.org_tree) INTO fresh FROM merged m;
  DELETE FROM @extschema@.org_tree t WHERE t.org_id = org OR t.path @> ARRAY[org];
  INSERT INTO @extschema@.org_tree SELECT * FROM unnest(fresh);
  -- org.path of the places below follows the tree (org_place reads it)
  UPDATE @extschema@.org o SET path = o.path
   WHERE o.path @> ARRAY[org] AND o.org_id <> org;
  PERFORM @extschema@._att_request(NULL, ARRAY[org], ARRAY[daterange(since, NULL)]);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION org_move() IS 'Internal trigger: records a move of an org from its first day on, recomputes the tree below it and queues the re-evaluation of its members; refuses a move into a closed period.';
REVOKE EXECUTE ON FUNCTION org_move() FROM PUBLIC;

CREATE TRIGGER org_place BEFORE INSERT OR UPDATE ON org
  FOR EACH ROW EXECUTE FUNCTION org_place();
CREATE TRIGGER org_tree_add AFTER INSERT ON org
  FOR EACH ROW EXECUTE FUNCTION org_tree_add();
CREATE TRIGGER org_move AFTER UPDATE OF parent_id, parent_since ON org
  FOR EACH ROW WHEN (NEW.parent_id IS DISTINCT FROM OLD.parent_id OR NEW.parent_since IS DISTINCT FROM OLD.parent_since)
  EXECUTE FUNCTION org_move();

-- The place of org on day: its path, company first.
CREATE FUNCTION att_org_path(org bigint, day date) RETURNS bigint[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT t.path FROM @extschema@.org_tree t WHERE t.org_id = org AND t.period @> day;
END;
COMMENT ON FUNCTION att_org_path(bigint, date) IS 'The org ids from the company down to org in the tree as it stood on day.';

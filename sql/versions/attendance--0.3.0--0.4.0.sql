-- Upgrade from 0.3.0 (frozen in attendance--0.3.0.sql) to 0.4.0:
-- effective-dated reorganisations (issue 11): org_tree keeps every org's
-- place in the tree for every day, and everything that reads the tree reads
-- the tree of the day it judges; excuse_change keeps every excuse as it was
-- before an edit or a deletion.
-- Drafted with scripts/upgrade-draft.py from the two install scripts, then
-- the table changes by hand; tests/upgrade checks that an upgraded database
-- has exactly the objects of a fresh one.

-- == The path triggers give way to org_tree's (tree.sql); a move no longer
--    goes through the statement trigger of the input tables.
DROP TRIGGER org_path_cascade ON @extschema@.org;
DROP TRIGGER org_path ON @extschema@.org;
DROP TRIGGER request_on_update ON @extschema@.org;
DROP FUNCTION @extschema@.org_cascade_path();
DROP FUNCTION @extschema@.org_maintain_path();
ALTER TABLE @extschema@.org ADD COLUMN parent_since date;

COMMENT ON COLUMN org.parent_id IS 'Parent org from parent_since on (the tree after its latest move); NULL for a company (root). Changing it moves the org (and everything below it) from parent_since, or from today when parent_since is left as it was; the tree of earlier days stays in org_tree.';

COMMENT ON COLUMN org.parent_since IS 'First day of parent_id (NULL: the org has had it since it was created). Set it with parent_id to date a move; a move may not reach into a closed period.';

COMMENT ON COLUMN org.path IS 'Maintained by trigger: the org ids from the company down to this org in the tree after its latest move (org_tree has every day''s). Read-only.';

CREATE TABLE org_tree (
  org_id    bigint NOT NULL REFERENCES org (org_id) ON DELETE CASCADE,
  period    daterange NOT NULL,
  parent_id bigint,
  path      bigint[] NOT NULL,
  PRIMARY KEY (org_id, period),
  CONSTRAINT org_tree_no_overlap EXCLUDE USING gist (org_id WITH =, period WITH &&)
);

CREATE INDEX org_tree_path_idx ON org_tree USING gin (path);

COMMENT ON TABLE org_tree IS 'The tree as it stood on every day: for each org, the periods over which its parent and its path (company first) stay the same; together they cover every day. Maintained from org by triggers; read-only.';

COMMENT ON COLUMN org_tree.period IS 'The days this place in the tree holds.';

COMMENT ON COLUMN org_tree.parent_id IS 'The parent on these days; NULL while the org is a company (root).';

COMMENT ON COLUMN org_tree.path IS 'The org ids from the company down to this org on these days.';

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

CREATE FUNCTION org_tree_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  since daterange := daterange(NEW.parent_since, NULL);
BEGIN
  INSERT INTO @extschema@.org_tree (org_id, period, parent_id, path)
  SELECT NEW.org_id, p.period * since, NEW.parent_id, p.path || NEW.org_id
    FROM @extschema@.org_tree p WHERE p.org_id = NEW.parent_id AND p.period && since
  UNION ALL
  SELECT NEW.org_id, CASE WHEN NEW.parent_id IS NULL THEN daterange(NULL, NULL) ELSE daterange(NULL, NEW.parent_since) END,
         NULL, ARRAY[NEW.org_id]
   WHERE NEW.parent_id IS NULL OR NEW.parent_since IS NOT NULL;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION org_tree_add() IS 'Internal trigger: records a new org''s place in the tree for every day.';

CREATE FUNCTION org_move() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  org bigint := NEW.org_id;
  since date := NEW.parent_since;
  blocker record;
  fresh @extschema@.org_tree[];
BEGIN
  -- moves are recomputed from what the tree holds: one at a time
  LOCK TABLE @extschema@.org_tree IN SHARE ROW EXCLUSIVE MODE;
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

CREATE TRIGGER org_place BEFORE INSERT OR UPDATE ON org
  FOR EACH ROW EXECUTE FUNCTION org_place();

CREATE TRIGGER org_tree_add AFTER INSERT ON org
  FOR EACH ROW EXECUTE FUNCTION org_tree_add();

CREATE TRIGGER org_move AFTER UPDATE OF parent_id, parent_since ON org
  FOR EACH ROW WHEN (NEW.parent_id IS DISTINCT FROM OLD.parent_id OR NEW.parent_since IS DISTINCT FROM OLD.parent_since)
  EXECUTE FUNCTION org_move();

CREATE FUNCTION att_org_path(org bigint, day date) RETURNS bigint[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT t.path FROM @extschema@.org_tree t WHERE t.org_id = org AND t.period @> day;
END;

COMMENT ON FUNCTION att_org_path(bigint, date) IS 'The org ids from the company down to org in the tree as it stood on day.';

CREATE OR REPLACE FUNCTION att_closing_period(org bigint, day date)
RETURNS daterange
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT @extschema@.att_closing_period_for(day, c.closing_day)
    FROM @extschema@.org_tree t JOIN @extschema@.org c ON c.org_id = t.path[1]
   WHERE t.org_id = org AND t.period @> day;
END;

CREATE OR REPLACE FUNCTION closing_actor(org bigint, day date, actor bigint, as_of date, reopen boolean) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  me bigint := @extschema@.att_checked_actor(actor, as_of);
BEGIN
  IF org IS NULL OR day IS NULL OR NOT isfinite(day)
     OR @extschema@.att_manages_org(me, org, as_of) IS NOT TRUE
     OR (reopen AND EXISTS (
           SELECT 1 FROM @extschema@.closing c
            WHERE c.org_id = org AND c.period @> day AND c.closed_by <> me)
         AND NOT EXISTS (
           SELECT 1 FROM @extschema@.admin_grant g JOIN @extschema@.org_tree t ON t.path @> ARRAY[g.org_id]
            WHERE g.admin_id = me AND g.kind = 'hr' AND g.period @> as_of AND t.org_id = org AND t.period @> as_of)) THEN
    RAISE EXCEPTION 'employee % may not close or reopen this period of org %', me, org
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Closing needs an admin or hr assignment on the org or above it as of today; reopening a period closed by someone else needs hr.';
  END IF;
  RETURN me;
END $$;

CREATE OR REPLACE FUNCTION att_day_closed(employee bigint, day date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (
    SELECT 1
      FROM @extschema@.closing c
     WHERE c.period @> day
       AND (EXISTS (SELECT 1 FROM @extschema@.closing_cover v
                     WHERE v.employee_id = employee AND v.org_id = c.org_id AND v.period = c.period)
            OR EXISTS (SELECT 1 FROM @extschema@.membership m
                         JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period @> day
                        WHERE m.employee_id = employee AND m.period @> day AND c.org_id = ANY (t.path)))
       -- a closing that skipped the employee leaves their days open
       AND NOT EXISTS (SELECT 1 FROM @extschema@.closing_exemption x
                        WHERE x.org_id = c.org_id AND x.period = c.period AND x.employee_id = employee));
END;

CREATE OR REPLACE FUNCTION att_day_ever_closed(employee bigint, day date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (SELECT 1 FROM @extschema@.closing_cover v WHERE v.employee_id = employee AND v.period @> day)
      OR EXISTS (
    SELECT 1
      FROM @extschema@.membership m
      JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period @> day
      JOIN @extschema@.closing_event c ON c.org_id = ANY (t.path) AND c.period @> day AND c.action = 'close'
     WHERE m.employee_id = employee AND m.period @> day);
END;

CREATE OR REPLACE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  frozen integer;
  frozen_employees text;
  closed_in_reach boolean := false;
BEGIN
  IF days IS NULL OR isempty(days) OR lower_inf(days) OR upper_inf(days)
     OR NOT isfinite(lower(days)) OR NOT isfinite(upper(days)) THEN
    RAISE EXCEPTION 'att_refresh needs a finite range of days, got %', days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  PERFORM @extschema@._att_lock_employees(employees);
  -- The usual case, no day in reach of a period that is or was closed: write
  -- what changed and withdraw the approvals of changed days, in one statement.
  IF EXISTS (SELECT 1 FROM @extschema@.closing_event c WHERE c.period && days AND c.action = 'close')
     OR EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.period && days) THEN
    -- One probe per employee through membership's primary key: kept from
    -- being turned into a join (OFFSET 0) and off the GiST index (IS TRUE),
    -- either of which a generic plan would scan whole.
    closed_in_reach := EXISTS (
      SELECT 1 FROM unnest(employees) AS e(id)
       WHERE EXISTS (SELECT 1
                       FROM @extschema@.membership m
                       JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND (t.period && m.period * days) IS TRUE
                      WHERE m.employee_id = e.id AND (m.period && days) IS TRUE
                        AND (EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.org_id = ANY (t.path) AND c.period && days)
                             OR EXISTS (SELECT 1 FROM @extschema@.closing_event c
                                         WHERE c.org_id = ANY (t.path) AND c.period && days AND c.action = 'close'))
                     OFFSET 0)
          OR EXISTS (SELECT 1 FROM @extschema@.closing_cover v WHERE v.employee_id = e.id AND (v.period && days) IS TRUE OFFSET 0));
  END IF;
  IF NOT closed_in_reach THEN
    WITH written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons
        FROM @extschema@.att_evaluate(employees, days) f
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, evaluated_at = now()
        WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons)
              IS DISTINCT FROM
              (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons)
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      UPDATE @extschema@.day_approval a SET withdrawn_at = now()
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    SELECT count(*) INTO changed FROM written;
    RETURN changed;
  END IF;
  -- Otherwise judge every change to a day of a closed period.
  WITH fresh AS (
    SELECT * FROM @extschema@.att_evaluate(employees, days)
  ), cmp AS (
    SELECT f.*, d.employee_id IS NOT NULL AS existed,
           to_jsonb(d) - 'evaluated_at' AS before_json,
           (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
            f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
            f.outside_punches, f.leave_minutes, f.reasons)
           IS DISTINCT FROM
           (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
            d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
            d.outside_punches, d.leave_minutes, d.reasons) AS differs
      FROM fresh f
      LEFT JOIN @extschema@.day_record d ON d.employee_id = f.employee_id AND d.day = f.day
  ), judged AS (
    SELECT c.*,
           -- a change to a closed day needs the correct permission (hr after
           -- closing); closing stored every day it froze, so a closed day with
           -- no row (a membership loaded after the closing) is written only
           -- with that permission too, and otherwise left out without
           -- refusing the write that reached it; every change to a day of a
           -- period that was ever closed is recorded
           @extschema@.att_day_closed(c.employee_id, c.day) AS closed_change,
           @extschema@.att_day_ever_closed(c.employee_id, c.day) AS logged_change
      FROM cmp c WHERE NOT c.existed OR c.differs
  ), allowed AS (
    SELECT j.*, NOT j.closed_change
                OR (actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE) AS ok
      FROM judged j
  ), logged AS (
    INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
    SELECT a.employee_id, a.day, actor, nullif(current_setting('attendance.reason', true), ''),
           coalesce(a.before_json, 'null'::jsonb),
           to_jsonb(a) - 'existed' - 'before_json' - 'differs' - 'closed_change' - 'logged_change' - 'ok'
      FROM allowed a WHERE a.logged_change AND a.ok
    RETURNING 1
  ), written AS (
    INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons)
    SELECT a.employee_id, a.day, a.rule_id, a.rule_name, a.shift, a.day_kind, a.status, a.check_in, a.check_out, a.scheduled_minutes, a.late_minutes, a.early_minutes, a.absent_minutes, a.work_minutes, a.overtime_minutes, a.overtime_category, a.outside_punches, a.leave_minutes, a.reasons FROM allowed a WHERE a.ok
    ON CONFLICT (employee_id, day) DO UPDATE
      SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, evaluated_at = now()
    RETURNING d.employee_id, d.day
  ), withdrawn AS (
    -- a changed day withdraws its approval; the approval stays as history
    UPDATE @extschema@.day_approval a SET withdrawn_at = now()
      FROM written w
     WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
    RETURNING 1
  )
  -- (logged runs whether or not it is read: data-modifying CTEs always complete)
  SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM allowed a WHERE NOT a.ok AND a.existed),
         (SELECT string_agg(DISTINCT a.employee_id::text, ', ') FROM allowed a WHERE NOT a.ok AND a.existed)
    INTO changed, frozen, frozen_employees;
  IF frozen > 0 AND strict THEN
    RAISE EXCEPTION 'change to % day(s) of employee % in a closed period refused', frozen, frozen_employees
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission); or reopen the period.';
  END IF;
  RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION _att_org_members(org bigint, days daterange) RETURNS bigint[]
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT array_agg(DISTINCT m.employee_id ORDER BY m.employee_id)
    FROM @extschema@.org_tree t JOIN @extschema@.membership m ON m.org_id = t.org_id AND m.period && (t.period * days)
   WHERE t.path @> ARRAY[org] AND t.period && days;
END;

CREATE TABLE excuse_change (
  employee_id   bigint NOT NULL,
  change_id     bigint GENERATED ALWAYS AS IDENTITY,
  excuse_id     bigint NOT NULL,
  action        text NOT NULL,
  kind          excuse_kind NOT NULL,
  during        tstzrange NOT NULL,
  leave_type    text,
  source_system text,
  source_ref    text,
  changed_at    timestamptz NOT NULL DEFAULT now(),
  changed_by    name NOT NULL,
  PRIMARY KEY (employee_id, change_id),
  CONSTRAINT excuse_change_action CHECK (action IN ('replaced', 'deleted'))
);

COMMENT ON TABLE excuse_change IS 'Every excuse as it was before an update (action replaced) or a deletion (deleted): the ERP''s edits and cancellations of leave, or a DBA''s, kept with when and which login. Written by trigger; read by the DBA.';

COMMENT ON COLUMN excuse_change.changed_by IS 'The login (session user) whose statement changed or deleted the excuse.';

CREATE FUNCTION excuse_keep_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO @extschema@.excuse_change (employee_id, excuse_id, action, kind, during, leave_type, source_system, source_ref, changed_by)
  VALUES (OLD.employee_id, OLD.excuse_id, CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'replaced' END,
          OLD.kind, OLD.during, OLD.leave_type, OLD.source_system, OLD.source_ref, session_user);
  RETURN NULL;
END $$;

COMMENT ON FUNCTION excuse_keep_change() IS 'Internal trigger: records an excuse as it was before an update or deletion.';

CREATE TRIGGER excuse_keep_change AFTER UPDATE ON excuse
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION excuse_keep_change();

CREATE TRIGGER excuse_keep_deletion AFTER DELETE ON excuse
  FOR EACH ROW EXECUTE FUNCTION excuse_keep_change();

CREATE OR REPLACE FUNCTION _att_drain_requests(ids bigint[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  today date := @extschema@.att_today();
  g record;
  changed integer := 0;
BEGIN
  FOR g IN
    WITH req AS (
      DELETE FROM @extschema@.refresh_request r WHERE ids IS NULL OR r.request_id = ANY (ids) RETURNING r.*
    ), clipped AS (
      SELECT r.employee_id, r.org_id, r.days * daterange(today - @extschema@._att_change_horizon(), NULL) AS days
        FROM req r
    ), targets AS (
      SELECT c.employee_id, c.days FROM clipped c WHERE c.employee_id IS NOT NULL AND NOT isempty(c.days)
      UNION
      SELECT m.employee_id, c.days
        FROM clipped c
        JOIN @extschema@.org_tree t ON t.path @> ARRAY[c.org_id] AND t.period && c.days
        JOIN @extschema@.membership m ON m.org_id = t.org_id AND m.period && (c.days * t.period)
       WHERE c.org_id IS NOT NULL AND NOT isempty(c.days)
    ), reach AS (
      -- ahead: the days a punch's refresh stores, or further where days are
      -- stored already (a schedule set weeks ahead)
      SELECT t.employee_id,
             t.days * daterange(NULL, greatest(today + 9, (SELECT max(d.day) + 1 FROM @extschema@.day_record d
                                                            WHERE d.employee_id = t.employee_id))) AS days
        FROM targets t
    ), spans AS (
      SELECT r.employee_id, daterange(min(lower(r.days)), max(upper(r.days))) AS days
        FROM reach r WHERE NOT isempty(r.days) GROUP BY r.employee_id
    )
    SELECT s.days, array_agg(s.employee_id ORDER BY s.employee_id) AS employees
      FROM spans s GROUP BY s.days ORDER BY s.days
  LOOP
    changed := changed + @extschema@._att_refresh(g.employees, g.days, NULL, false);
  END LOOP;
  RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION request_changed_inputs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rows_ text := CASE TG_OP WHEN 'INSERT' THEN 'changed_new' WHEN 'DELETE' THEN 'changed_old'
                ELSE '(SELECT * FROM changed_new UNION ALL SELECT * FROM changed_old)' END;
  reach text;
  e bigint[];
  o bigint[];
  d daterange[];
BEGIN
  reach := CASE TG_TABLE_NAME
    -- every stored day of the employee: a first membership (or the last one
    -- gone) turns days outside it from judged into not employed and back
    WHEN 'membership' THEN
      'SELECT x.employee_id, NULL::bigint, daterange(NULL, NULL) FROM %s x'
    WHEN 'rule_person' THEN
      'SELECT x.employee_id, NULL::bigint, coalesce(x.validity, daterange(NULL, NULL)) FROM %s x'
    WHEN 'rule_org' THEN
      'SELECT NULL::bigint, x.org_id, daterange(NULL, NULL) FROM %s x'
    -- everyone the rule applies to, from the version's first day
    WHEN 'rule_version' THEN
      'SELECT NULL::bigint, ro.org_id, daterange(x.valid_from, NULL)
         FROM %1$s x JOIN @extschema@.rule_org ro ON ro.rule_id = x.rule_id
       UNION ALL
       SELECT rp.employee_id, NULL, daterange(x.valid_from, NULL) * coalesce(rp.validity, daterange(NULL, NULL))
         FROM %1$s x JOIN @extschema@.rule_person rp ON rp.rule_id = x.rule_id'
    WHEN 'holiday' THEN
      'SELECT NULL::bigint, x.company_id, daterange(x.day - 2, x.day + 9) FROM %s x'
  END;
  IF reach IS NULL THEN
    RAISE EXCEPTION 'request_changed_inputs is not meant for table %', TG_TABLE_NAME USING ERRCODE = 'feature_not_supported';
  END IF;
  EXECUTE format('SELECT array_agg(t.e), array_agg(t.o), array_agg(t.d) FROM (' || reach || ') AS t(e, o, d)', rows_)
    INTO e, o, d;
  IF e IS NOT NULL THEN
    PERFORM @extschema@._att_request(e, o, d);
  END IF;
  RETURN NULL;
END $$;

GRANT SELECT ON org_tree TO attendance_sync;

CREATE OR REPLACE FUNCTION _att_primary_periods() RETURNS TABLE (employee_id bigint, period daterange, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000
BEGIN ATOMIC
  SELECT m.employee_id, m.period * t.period, c.closing_day::integer
    FROM @extschema@.membership m
    JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && m.period
    JOIN @extschema@.org c ON c.org_id = t.path[1]
   WHERE m.kind = 'primary'
     AND ((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
          OR m.employee_id IN (SELECT unnest(s.employee_ids) FROM @extschema@._att_view_scope() s));
END;

CREATE OR REPLACE FUNCTION full_over(actor bigint, employee bigint, period daterange) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(range_agg(m.period * t.period) @> full_over.period, false)
    FROM @extschema@.membership m
    JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && m.period
   WHERE m.employee_id = employee
     AND EXISTS (SELECT 1 FROM @extschema@.admin_grant g
                  WHERE g.admin_id = actor AND g.period @> @extschema@.att_today() AND t.path @> ARRAY[g.org_id]);
END;

CREATE OR REPLACE FUNCTION att_close_org(org bigint, day date, unapproved text DEFAULT 'report')
RETURNS TABLE (employee_id bigint, problem text, outcome text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  -- the caller first: nothing is read or locked for a login that may not close
  me bigint := @extschema@.closing_actor(org, day, NULL, @extschema@.att_today(), false);
  p daterange := @extschema@.att_closing_period(org, day);
  -- kept in a variable, not a temp table: a caller's own temp table of the
  -- same name (with a trigger) must never run inside this definer function
  blockers jsonb;
BEGIN
  IF unapproved IS NULL OR unapproved NOT IN ('report', 'skip') THEN
    RAISE EXCEPTION 'unapproved must be report or skip, got %', unapproved USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- no refresh may withdraw an approval between this check and the closing
  PERFORM @extschema@._att_lock_closing();
  SELECT coalesce(jsonb_agg(jsonb_build_object('employee_id', b.employee_id, 'problem', b.problem) ORDER BY b.employee_id), '[]')
    INTO blockers
    FROM (SELECT m.employee_id,
                 concat_ws('; ',
                   CASE WHEN t.state IS DISTINCT FROM 'approved' THEN 'timesheet ' || coalesce(t.state::text, 'not submitted') END,
                   CASE WHEN u.days > 0 THEN u.days || ' workday(s) not approved' END) AS problem
            FROM (SELECT DISTINCT m.employee_id FROM @extschema@.membership m
                    JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && (m.period * p)
                   WHERE t.path @> ARRAY[org] AND m.period && p) m
            LEFT JOIN @extschema@.timesheet t ON t.employee_id = m.employee_id AND t.period = p
            CROSS JOIN LATERAL (
              SELECT count(*) AS days FROM @extschema@.day_record d
               WHERE d.employee_id = m.employee_id AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')
                 AND NOT EXISTS (SELECT 1 FROM @extschema@.day_approval a
                                  WHERE a.employee_id = d.employee_id AND a.day = d.day AND a.withdrawn_at IS NULL)) u
           WHERE t.state IS DISTINCT FROM 'approved' OR u.days > 0) b;
  IF jsonb_array_length(blockers) > 0 AND unapproved = 'report' THEN
    RETURN QUERY SELECT b.employee_id, b.problem, 'not closed'::text
                   FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
    RETURN;
  END IF;
  PERFORM @extschema@.att_close_period(org, day, me);
  INSERT INTO @extschema@.closing_exemption (org_id, period, employee_id)
  SELECT org, p, b.employee_id FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
  RETURN QUERY SELECT b.employee_id, b.problem, 'skipped: days stay open'::text
                 FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
END $$;


-- == The tree so far had no history: every org held its place on every day.
INSERT INTO @extschema@.org_tree (org_id, period, parent_id, path)
SELECT o.org_id, daterange(NULL, NULL), o.parent_id, o.path FROM @extschema@.org o;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.org_tree', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.excuse_change', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.excuse_change_change_id_seq', '');

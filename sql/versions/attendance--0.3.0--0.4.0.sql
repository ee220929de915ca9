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

-- == Each day knows its department, company and closing period, its rule's
--    zone, the shift's scheduled start and end, leave by kind and where the
--    first check-in and last check-out were made (issue 13).
ALTER TYPE @extschema@.day_result ADD ATTRIBUTE org_id bigint, ADD ATTRIBUTE company_id bigint,
  ADD ATTRIBUTE period_start date, ADD ATTRIBUTE time_zone text, ADD ATTRIBUTE scheduled_start timestamptz,
  ADD ATTRIBUTE scheduled_end timestamptz, ADD ATTRIBUTE leave_type text, ADD ATTRIBUTE trip_minutes integer,
  ADD ATTRIBUTE outing_minutes integer, ADD ATTRIBUTE appeal_minutes integer, ADD ATTRIBUTE check_in_place text,
  ADD ATTRIBUTE check_out_place text;
ALTER TABLE @extschema@.day_record ADD COLUMN org_id bigint, ADD COLUMN company_id bigint,
  ADD COLUMN period_start date, ADD COLUMN time_zone text, ADD COLUMN scheduled_start timestamptz,
  ADD COLUMN scheduled_end timestamptz, ADD COLUMN leave_type text,
  ADD COLUMN trip_minutes integer NOT NULL DEFAULT 0, ADD COLUMN outing_minutes integer NOT NULL DEFAULT 0,
  ADD COLUMN appeal_minutes integer NOT NULL DEFAULT 0, ADD COLUMN check_in_place text, ADD COLUMN check_out_place text;

-- == Functions returning day_result whose text did not change: re-created so
--    their stored bodies return the new attributes too.
CREATE OR REPLACE FUNCTION att_evaluate_day(employee bigint, day date)
RETURNS day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE
-- a plain expression, so the planner inlines it and the engine's per-query
-- cache belongs to the caller's query
RETURN @extschema@._att_evaluate_day(employee, day);

CREATE OR REPLACE FUNCTION att_evaluate(employees bigint[], days daterange)
RETURNS SETOF day_result
-- a low estimate on purpose: joined to day_record, index probes per row stay
-- right for a whole company, while a hash join over all of day_record would
-- cost a single employee's refresh a full scan
LANGUAGE sql STABLE PARALLEL SAFE ROWS 31
BEGIN ATOMIC
  -- Batches of 256 employees in id order: each batch is loaded with one
  -- query per table (the punches in one ordered scan) and evaluated in Rust,
  -- so memory is bounded by the batch, not by the company. Not STRICT, so
  -- that the planner inlines it into the calling query.
  SELECT r.*
    FROM (SELECT array_agg(e.id ORDER BY e.id) AS ids
            FROM (SELECT u.id, (row_number() OVER (ORDER BY u.id) - 1) / 256 AS batch
                    FROM (SELECT DISTINCT x AS id FROM unnest(employees) AS x WHERE x IS NOT NULL) u) e
           GROUP BY e.batch) b,
         LATERAL @extschema@._att_evaluate_batch(b.ids, lower(days), upper(days) - 1) r;
END;

COMMENT ON COLUMN org.parent_id IS 'Parent org from parent_since on (the tree after its latest move); NULL for a company (root). Changing it moves the org (and everything below it) from parent_since, or from today when parent_since is left as it was; the tree of earlier days stays in org_tree.';

COMMENT ON COLUMN org.parent_since IS 'First day of parent_id (NULL: the org has had it since it was created). Set it with parent_id to date a move; a move may not reach into a closed period.';

COMMENT ON COLUMN org.path IS 'Maintained by trigger: the org ids from the company down to this org in the tree after its latest move (org_tree has every day''s). Read-only.';

COMMENT ON COLUMN employee.display_name IS 'The employee''s name as reports show it.';

COMMENT ON TYPE day_result IS 'One employee-day as the rule engine judges it. check_in/check_out hold one entry per shift period (NULL where missing). day_kind: workday, rest, holiday, make_up_workday. status: normal, late, early, late_and_early, half_day, missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule, pending, not_employed. leave_minutes: the part of the shift covered by approved leave (trip_minutes, outing_minutes, appeal_minutes: by business trips, outings and appeals; leave_type: the ERP''s leave types covering it). reasons explains each figure. org_id, company_id: the primary membership''s org and its company in the tree of that day; period_start: the first day of that company''s closing period holding the day; time_zone: the rule''s zone; scheduled_start/scheduled_end: the start of the first and the end of the last shift period as judged (moved by a flex rule); check_in_place/check_out_place: the rule''s location holding the first check-in and the last check-out.';

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

CREATE FUNCTION org_tree_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  since daterange := daterange(NEW.parent_since, NULL);
BEGIN
  -- on Citus the coordinator's copy of org writes every copy of org_tree
  IF TG_TABLE_NAME <> 'org' AND @extschema@._att_copy_elsewhere(TG_TABLE_NAME, 'org') THEN
    RETURN NULL;
  END IF;
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

CREATE FUNCTION _att_evaluate_request(rule jsonb, request jsonb) RETURNS SETOF day_result
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_json_wrapper';

CREATE OR REPLACE FUNCTION att_evaluate(employee bigint, days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 31
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_batch(ARRAY[employee], lower(days), upper(days) - 1) WHERE NOT isempty(days);
END;

CREATE FUNCTION _att_employee_ids() RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e);
END $$;

COMMENT ON FUNCTION _att_employee_ids() IS 'Internal: every employee id, in order (att_evaluate_all).';

CREATE OR REPLACE FUNCTION att_evaluate_all(days daterange)
RETURNS SETOF day_result
LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
  SELECT r.*
    FROM (SELECT array_agg(e.id ORDER BY e.id) AS ids
            FROM (SELECT u.id, (row_number() OVER (ORDER BY u.id) - 1) / 256 AS batch
                    FROM unnest(@extschema@._att_employee_ids()) AS u(id)) e
           GROUP BY e.batch) b,
         LATERAL @extschema@._att_evaluate_batch(b.ids, lower(days), upper(days) - 1) r;
END;

CREATE OR REPLACE FUNCTION att_evaluate_rule(rule jsonb, request jsonb)
RETURNS SETOF day_result
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_request(rule, request);
END;

CREATE OR REPLACE FUNCTION att_evaluate_rule(rule jsonb, day date, punches timestamptz[])
RETURNS day_result
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT * FROM @extschema@._att_evaluate_request(rule, jsonb_build_object(
    'from', day,
    'punches', coalesce((SELECT jsonb_agg(jsonb_build_object('at', p)) FROM unnest(punches) AS p), '[]'::jsonb)));
END;

COMMENT ON FUNCTION _att_evaluate_request(jsonb, jsonb) IS 'Internal: use att_evaluate_rule.';

CREATE INDEX day_record_period_idx ON day_record (period_start, employee_id);

COMMENT ON TABLE day_record IS 'Materialised day results (one row per employee-day), kept current by triggers on every input and by att_finalize(); frozen once the day''s period is closed. BI tools read it through the att_ views.';

COMMENT ON COLUMN day_record.employee_id IS 'The employee.';

COMMENT ON COLUMN day_record.day IS 'The local day in the rule''s time zone (a night shift belongs to the day it starts).';

COMMENT ON COLUMN day_record.rule_id IS 'The rule that judged the day (NULL: none applies, or not employed).';

COMMENT ON COLUMN day_record.rule_name IS 'That rule''s name.';

COMMENT ON COLUMN day_record.shift IS 'The shift of the day (NULL on rest days and holidays).';

COMMENT ON COLUMN day_record.day_kind IS 'workday, rest, holiday, make_up_workday; NULL when no rule applies or not employed.';

COMMENT ON COLUMN day_record.status IS 'The day''s status (see att_daily.status).';

COMMENT ON COLUMN day_record.check_in IS 'The check-in used for each shift period, in period order (NULL where missing).';

COMMENT ON COLUMN day_record.check_out IS 'The check-out used for each shift period, in period order (NULL where missing).';

COMMENT ON COLUMN day_record.scheduled_minutes IS 'Minutes the shift asks for.';

COMMENT ON COLUMN day_record.late_minutes IS 'Late minutes that count.';

COMMENT ON COLUMN day_record.early_minutes IS 'Early-leave minutes that count.';

COMMENT ON COLUMN day_record.absent_minutes IS 'Minutes counted as absence.';

COMMENT ON COLUMN day_record.work_minutes IS 'Minutes worked.';

COMMENT ON COLUMN day_record.overtime_minutes IS 'Overtime minutes.';

COMMENT ON COLUMN day_record.overtime_category IS 'workday, rest_day or holiday overtime; NULL without overtime.';

COMMENT ON COLUMN day_record.outside_punches IS 'Punches outside every allowed location (kept, not counted).';

COMMENT ON COLUMN day_record.leave_minutes IS 'Minutes of the shift covered by approved leave.';

COMMENT ON COLUMN day_record.reasons IS 'Why each figure is what it is, one sentence each.';

COMMENT ON COLUMN day_record.evaluated_at IS 'When the day was last written.';

COMMENT ON COLUMN day_record.org_id IS 'The org (department) of the employee''s primary membership that day; NULL without employment data.';

COMMENT ON COLUMN day_record.company_id IS 'The company (root org) above org_id in the tree as it stood that day.';

COMMENT ON COLUMN day_record.period_start IS 'First day of the company''s closing period that holds the day (the 26th for a company closing on the 25th).';

COMMENT ON COLUMN day_record.time_zone IS 'The rule''s time zone (IANA name): local times and the day itself are judged in it.';

COMMENT ON COLUMN day_record.scheduled_start IS 'Start of the first shift period as judged (a flex rule may move it); NULL without a shift.';

COMMENT ON COLUMN day_record.scheduled_end IS 'End of the last shift period as judged; NULL without a shift.';

COMMENT ON COLUMN day_record.leave_type IS 'The ERP''s leave types (excuse.leave_type) covering part of the shift, sorted and comma-separated.';

COMMENT ON COLUMN day_record.trip_minutes IS 'Minutes of the shift covered by business trips (worked elsewhere, not leave).';

COMMENT ON COLUMN day_record.outing_minutes IS 'Minutes of the shift covered by outings (外出).';

COMMENT ON COLUMN day_record.appeal_minutes IS 'Minutes of the shift covered by approved appeals.';

COMMENT ON COLUMN day_record.check_in_place IS 'The rule''s location (by name) within whose radius the first check-in was made; NULL without one or without coordinates.';

COMMENT ON COLUMN day_record.check_out_place IS 'The rule''s location within whose radius the last check-out was made.';

CREATE OR REPLACE FUNCTION att_day_closed(employee bigint, day date) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
BEGIN
  RETURN EXISTS (
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
END $$;

CREATE OR REPLACE FUNCTION att_day_ever_closed(employee bigint, day date) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
BEGIN
  RETURN EXISTS (SELECT 1 FROM @extschema@.closing_cover v WHERE v.employee_id = employee AND v.period @> day)
      OR EXISTS (
    SELECT 1
      FROM @extschema@.membership m
      JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period @> day
      JOIN @extschema@.closing_event c ON c.org_id = ANY (t.path) AND c.period @> day AND c.action = 'close'
     WHERE m.employee_id = employee AND m.period @> day);
END $$;

CREATE TABLE period_record (
  employee_id        bigint NOT NULL,
  period_start       date NOT NULL,
  period_end         date,
  org_id             bigint,
  company_id         bigint,
  stored_days        bigint NOT NULL,
  workdays           bigint NOT NULL,
  days_attended      bigint NOT NULL,
  late_count         bigint NOT NULL,
  late_minutes       bigint NOT NULL,
  early_count        bigint NOT NULL,
  early_minutes      bigint NOT NULL,
  absence_count      bigint NOT NULL,
  absence_minutes    bigint NOT NULL,
  missing_punches    bigint NOT NULL,
  work_minutes       bigint NOT NULL,
  overtime_workday_minutes  bigint NOT NULL,
  overtime_rest_day_minutes bigint NOT NULL,
  overtime_holiday_minutes  bigint NOT NULL,
  leave_minutes      bigint NOT NULL,
  trip_minutes       bigint NOT NULL,
  outing_minutes     bigint NOT NULL,
  appeal_minutes     bigint NOT NULL,
  full_leave_days    bigint NOT NULL,
  half_day_days      bigint NOT NULL,
  half_day_leaves    bigint NOT NULL,
  present_days       bigint NOT NULL,
  absent_days        bigint NOT NULL,
  on_duty_days       bigint NOT NULL,
  missing_punch_days bigint NOT NULL,
  holidays           bigint NOT NULL,
  rest_days          bigint NOT NULL,
  pending_days       bigint NOT NULL,
  unjudged_days      bigint NOT NULL,
  day_codes          text[] NOT NULL,
  PRIMARY KEY (employee_id, period_start)
);

CREATE INDEX period_record_period_idx ON period_record (period_start, employee_id);

COMMENT ON TABLE period_record IS 'The stored days of each employee and closing period summed up, kept current by a trigger on day_record (closed periods stay as they were closed, as their days do). Read through att_period_summary and att_monthly_grid.';

COMMENT ON COLUMN period_record.period_start IS 'First day of the company''s closing period (day_record.period_start).';

COMMENT ON COLUMN period_record.period_end IS 'Last day of the closing period.';

COMMENT ON COLUMN period_record.org_id IS 'The department on the last stored day of the period.';

COMMENT ON COLUMN period_record.company_id IS 'The company on the last stored day of the period.';

COMMENT ON COLUMN period_record.stored_days IS 'Days of the period stored for the employee.';

COMMENT ON COLUMN period_record.day_codes IS 'The code of each day of the period (att_day_code), the first element for period_start; NULL for a day not stored or not employed.';

COMMENT ON COLUMN period_record.full_leave_days IS 'Days whose whole shift is on leave (code L).';

COMMENT ON COLUMN period_record.half_day_days IS 'Days present for part of the shift with leave for the rest (code HD).';

DO $$
DECLARE
  c text;
BEGIN
  -- the counting columns say what they count in att_period_summary's words
  FOREACH c IN ARRAY ARRAY['workdays', 'days_attended', 'late_count', 'late_minutes', 'early_count', 'early_minutes',
                           'absence_count', 'absence_minutes', 'missing_punches', 'work_minutes',
                           'overtime_workday_minutes', 'overtime_rest_day_minutes', 'overtime_holiday_minutes',
                           'leave_minutes', 'trip_minutes', 'outing_minutes', 'appeal_minutes', 'half_day_leaves',
                           'present_days', 'absent_days', 'on_duty_days', 'missing_punch_days', 'holidays',
                           'rest_days', 'pending_days', 'unjudged_days', 'employee_id'] LOOP
    EXECUTE format('COMMENT ON COLUMN @extschema@.period_record.%I IS %L', c,
                   'Summed over the period''s stored days: see att_period_summary.' || c || ' and att_monthly_grid.');
  END LOOP;
END $$;

CREATE FUNCTION att_day_code(status text, leave_minutes integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN status IS NULL OR status = 'not_employed' THEN NULL
  WHEN status = 'pending' THEN '-'
  WHEN status = 'holiday' THEN 'H'
  WHEN status = 'rest' THEN 'WO'
  WHEN status = 'excused' THEN CASE WHEN leave_minutes > 0 THEN 'L' ELSE 'OD' END
  WHEN status IN ('absent', 'no_punch') THEN 'A'
  WHEN status IN ('missing_check_in', 'missing_check_out') THEN 'MP'
  WHEN status = 'half_day' THEN 'HD'
  WHEN status IN ('normal', 'late', 'early', 'late_and_early') THEN CASE WHEN leave_minutes > 0 THEN 'HD' ELSE 'P' END
  ELSE '?'
END;

COMMENT ON FUNCTION att_day_code(text, integer) IS
  'The short code of a day (as ERPNext''s and Excel monthly sheets show it): P present (late or early included), HD half day (present part of the shift with leave for the rest, or status half_day: worked less than the rule''s half-day threshold), L on leave for the whole shift, OD on duty elsewhere for the whole shift (business trip, outing, appeal), A absent, MP a missing check-in or check-out, H holiday, WO weekly off (rest day), - pending (not over yet), ? not judged (no rule, unscheduled, outside the rule''s validity); NULL when not employed.';

CREATE FUNCTION att_period_end(period_start date, closing_day integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (date_trunc('month', period_start) + interval '1 month'
        + CASE WHEN closing_day IS NULL THEN interval '-1 day' ELSE (closing_day - 1) * interval '1 day' END)::date;

COMMENT ON FUNCTION att_period_end(date, integer) IS 'The last day of the closing period starting on period_start for a company closing on closing_day (1..28; NULL for calendar months): the closing day of the next month, or the month''s last day.';

CREATE FUNCTION _att_period_rows(employees bigint[], periods date[]) RETURNS SETOF period_record
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  distributed boolean := @extschema@._att_distributed();
BEGIN
  RETURN QUERY
  SELECT g.employee_id, g.period_start,
         @extschema@.att_period_end(g.period_start, c.closing_day),
         g.last_place[2], g.last_place[3],
         g.stored_days, g.workdays, g.days_attended, g.late_count, g.late_minutes, g.early_count, g.early_minutes,
         g.absence_count, g.absence_minutes, g.missing_punches, g.work_minutes, g.overtime_workday_minutes,
         g.overtime_rest_day_minutes, g.overtime_holiday_minutes, g.leave_minutes, g.trip_minutes, g.outing_minutes,
         g.appeal_minutes, g.full_leave_days, g.half_day_days, g.half_day_leaves, g.present_days, g.absent_days,
         g.on_duty_days, g.missing_punch_days, g.holidays, g.rest_days, g.pending_days, g.unjudged_days,
         -- the codes by day of the period: position 1 is period_start
         (SELECT array_agg(codes.code ORDER BY n.n)
            FROM generate_series(1, g.last_offset) AS n(n)
            LEFT JOIN unnest(g.offsets, g.codes) AS codes(n, code) ON codes.n = n.n)
    FROM (SELECT d.employee_id, d.period_start,
                 max(ARRAY[d.day - d.period_start + 1, d.org_id, d.company_id]) AS last_place,
                 max(d.day - d.period_start + 1) AS last_offset,
                 array_agg(d.day - d.period_start + 1) AS offsets, array_agg(x.code) AS codes,
                 count(*) AS stored_days,
                 count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday')) AS workdays,
                 count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday') AND d.work_minutes > 0) AS days_attended,
                 count(*) FILTER (WHERE d.late_minutes > 0) AS late_count, sum(d.late_minutes) AS late_minutes,
                 count(*) FILTER (WHERE d.early_minutes > 0) AS early_count, sum(d.early_minutes) AS early_minutes,
                 count(*) FILTER (WHERE d.absent_minutes > 0) AS absence_count, sum(d.absent_minutes) AS absence_minutes,
                 count(*) FILTER (WHERE d.status IN ('missing_check_in', 'missing_check_out')) AS missing_punches,
                 sum(d.work_minutes) AS work_minutes,
                 coalesce(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'workday'), 0) AS overtime_workday_minutes,
                 coalesce(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'rest_day'), 0) AS overtime_rest_day_minutes,
                 coalesce(sum(d.overtime_minutes) FILTER (WHERE d.overtime_category = 'holiday'), 0) AS overtime_holiday_minutes,
                 sum(d.leave_minutes) AS leave_minutes, sum(d.trip_minutes) AS trip_minutes,
                 sum(d.outing_minutes) AS outing_minutes, sum(d.appeal_minutes) AS appeal_minutes,
                 count(*) FILTER (WHERE x.code = 'L') AS full_leave_days,
                 count(*) FILTER (WHERE x.code = 'HD') AS half_day_days,
                 count(*) FILTER (WHERE d.leave_minutes > 0 AND d.leave_minutes < d.scheduled_minutes) AS half_day_leaves,
                 count(*) FILTER (WHERE x.code IN ('P', 'HD')) AS present_days,
                 count(*) FILTER (WHERE x.code = 'A') AS absent_days,
                 count(*) FILTER (WHERE x.code = 'OD') AS on_duty_days,
                 count(*) FILTER (WHERE x.code = 'MP') AS missing_punch_days,
                 count(*) FILTER (WHERE x.code = 'H') AS holidays,
                 count(*) FILTER (WHERE x.code = 'WO') AS rest_days,
                 count(*) FILTER (WHERE d.status = 'pending') AS pending_days,
                 count(*) FILTER (WHERE x.code = '?') AS unjudged_days
            FROM unnest(employees, periods) AS k(employee_id, period_start)
            JOIN @extschema@.day_record d ON d.employee_id = k.employee_id AND d.period_start = k.period_start
                                          AND (NOT distributed OR d.employee_id = ANY (employees))
           CROSS JOIN LATERAL (SELECT @extschema@.att_day_code(d.status, d.leave_minutes) AS code) x
           GROUP BY d.employee_id, d.period_start) g
    LEFT JOIN @extschema@.org c ON c.org_id = g.last_place[3];
END $$;

COMMENT ON FUNCTION _att_period_rows(bigint[], date[]) IS 'Internal: the period_record rows of the (employee, period start) pairs given, from day_record.';

CREATE FUNCTION period_record_keep() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  touched text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT employee_id, period_start FROM changed_new'
                             WHEN 'DELETE' THEN 'SELECT employee_id, period_start FROM changed_old'
                  ELSE 'SELECT employee_id, period_start FROM changed_new UNION SELECT employee_id, period_start FROM changed_old' END;
  employees bigint[];
  periods date[];
  distributed boolean := @extschema@._att_distributed();
BEGIN
  EXECUTE 'SELECT array_agg(t.employee_id), array_agg(t.period_start)
             FROM (SELECT DISTINCT x.employee_id, x.period_start FROM (' || touched || ') x
                    WHERE x.period_start IS NOT NULL) t'
    INTO employees, periods;
  IF employees IS NULL THEN
    RETURN NULL;
  END IF;
  -- on Citus the trigger runs on the worker holding the employees, and the
  -- filter on them routes the statement to its shard
  DELETE FROM @extschema@.period_record r
   USING unnest(employees, periods) AS k(employee_id, period_start)
   WHERE r.employee_id = k.employee_id AND r.period_start = k.period_start
     AND (NOT distributed OR r.employee_id = ANY (employees));
  INSERT INTO @extschema@.period_record SELECT * FROM @extschema@._att_period_rows(employees, periods);
  RETURN NULL;
END $$;

COMMENT ON FUNCTION period_record_keep() IS 'Internal trigger: rewrites the period_record rows of the periods a statement on day_record touched.';

CREATE TRIGGER period_record_on_insert AFTER INSERT ON day_record REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION period_record_keep();

CREATE TRIGGER period_record_on_update AFTER UPDATE ON day_record REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION period_record_keep();

CREATE TRIGGER period_record_on_delete AFTER DELETE ON day_record REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION period_record_keep();

CREATE OR REPLACE FUNCTION _att_lock_employees(employees bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- On Citus an employee is refreshed on the worker holding it, so its lock
  -- is taken there (refresh_job; citus.sql).
  IF @extschema@._att_on_coordinator() THEN
    PERFORM @extschema@._att_refresh_on_workers(employees, 'empty', NULL, false, 'lock');
    RETURN;
  ELSIF @extschema@._att_distributed() THEN
    PERFORM @extschema@._att_lock_on_shards(employees, false);
    RETURN;
  END IF;
  LOCK TABLE @extschema@.refresh_lock IN SHARE MODE;
  PERFORM 1 FROM @extschema@.refresh_lock
    WHERE bucket IN (SELECT hashint8(e) & 1023 FROM unnest(employees) AS e)
    ORDER BY bucket FOR UPDATE;
END $$;

CREATE OR REPLACE FUNCTION _att_lock_closing() RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  LOCK TABLE @extschema@.refresh_lock IN EXCLUSIVE MODE;
  IF @extschema@._att_on_coordinator() THEN
    -- on Citus the workers' refreshes wait for it shard by shard
    PERFORM @extschema@._att_refresh_on_workers(@extschema@._att_shard_representatives(), 'empty', NULL, false, 'close');
  END IF;
END $$;

CREATE OR REPLACE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  frozen integer;
  frozen_employees text;
  closed_in_reach boolean := false;
  -- a variable, not now() in the statements: Citus takes no function in an
  -- upsert's SET on a distributed table
  at_now timestamptz := now();
  distributed boolean;
  stored @extschema@.day_record[];
  judged_days jsonb;
BEGIN
  IF days IS NULL OR isempty(days) OR lower_inf(days) OR upper_inf(days)
     OR NOT isfinite(lower(days)) OR NOT isfinite(upper(days)) THEN
    RAISE EXCEPTION 'att_refresh needs a finite range of days, got %', days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  -- On a Citus coordinator the workers refresh their own employees (citus.sql).
  IF @extschema@._att_on_coordinator() THEN
    RETURN @extschema@._att_refresh_on_workers(employees, days, actor, strict);
  END IF;
  -- On a Citus worker every statement below names the employees, so that
  -- Citus routes it to this worker's shards of them.
  distributed := @extschema@._att_distributed();
  PERFORM @extschema@._att_lock_employees(employees);
  -- The usual case, no day in reach of a period that is or was closed: write
  -- what changed and withdraw the approvals of changed days, in one statement.
  IF EXISTS (SELECT 1 FROM @extschema@.closing_event c WHERE c.period && days AND c.action = 'close')
     OR EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.period && days) THEN
    -- One probe per employee through membership's primary key: kept from
    -- being turned into a join (OFFSET 0) and off the GiST index (IS TRUE),
    -- either of which a generic plan would scan whole.
    IF distributed THEN
      closed_in_reach := EXISTS (
        SELECT 1 FROM unnest(employees) AS e(id)
         WHERE EXISTS (SELECT 1
                         FROM @extschema@.membership m
                         JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND (t.period && m.period * days) IS TRUE
                        WHERE m.employee_id = e.id AND (m.period && days) IS TRUE
                          AND (EXISTS (SELECT 1 FROM @extschema@.closing c WHERE c.org_id = ANY (t.path) AND c.period && days)
                               OR EXISTS (SELECT 1 FROM @extschema@.closing_event c
                                           WHERE c.org_id = ANY (t.path) AND c.period && days AND c.action = 'close'))
                       OFFSET 0))
        OR EXISTS (SELECT 1 FROM @extschema@.closing_cover v WHERE v.employee_id = ANY (employees) AND v.period && days);
    ELSE
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
  END IF;
  IF NOT closed_in_reach THEN
    -- The write skips days whose figures did not change before it reaches
    -- them (an upsert would lock, and so write, every row it meets), and
    -- keeps its own check for rows that changed under it.
    WITH written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place
        FROM @extschema@.att_evaluate(employees, days) f
        -- unchanged days are left alone: read, not locked or rewritten
        LEFT JOIN @extschema@.day_record o ON o.employee_id = f.employee_id AND o.day = f.day
                                          AND (NOT distributed OR o.employee_id = ANY (employees))
       WHERE o.employee_id IS NULL
          OR (o.rule_id, o.rule_name, o.shift, o.day_kind, o.status, o.check_in, o.check_out, o.scheduled_minutes, o.late_minutes, o.early_minutes, o.absent_minutes, o.work_minutes, o.overtime_minutes, o.overtime_category, o.outside_punches, o.leave_minutes, o.reasons, o.org_id, o.company_id, o.period_start, o.time_zone, o.scheduled_start, o.scheduled_end, o.leave_type, o.trip_minutes, o.outing_minutes, o.appeal_minutes, o.check_in_place, o.check_out_place)
             IS DISTINCT FROM
             (f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place)
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, evaluated_at = at_now
        WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place)
              IS DISTINCT FROM
              (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons, excluded.org_id, excluded.company_id, excluded.period_start, excluded.time_zone, excluded.scheduled_start, excluded.scheduled_end, excluded.leave_type, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.check_in_place, excluded.check_out_place)
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
         AND (NOT distributed OR a.employee_id = ANY (employees))
      RETURNING 1
    )
    SELECT count(*) INTO changed FROM written;
    RETURN changed;
  END IF;
  -- Otherwise judge every change to a day of a closed period.
  IF distributed THEN
    -- On Citus in steps, each statement reading or writing the shards of
    -- this worker only: the stored days first, then every change judged in
    -- a query that reads no Citus table, then the writes. (In one statement
    -- Citus would plan the reads and writes in pieces across the nodes.)
    stored := ARRAY(SELECT d FROM @extschema@.day_record d
                     WHERE d.employee_id = ANY (employees) AND d.day >= lower(days) AND d.day < upper(days));
    WITH fresh AS (
      SELECT * FROM @extschema@.att_evaluate(employees, days)
    ), cmp AS (
      SELECT f.*, d.employee_id IS NOT NULL AS existed,
             to_jsonb(d) - 'evaluated_at' AS before_json,
             (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
              f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
              f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
              f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place)
             IS DISTINCT FROM
             (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
              d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
              d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
              d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place) AS figures_differ,
             (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere
        FROM fresh f
        LEFT JOIN unnest(stored) AS d ON d.employee_id = f.employee_id AND d.day = f.day
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
        FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere
    ), allowed AS (
      SELECT j.*, NOT j.closed_change
                  OR (actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE) AS ok
        FROM judged j
       -- a closed day keeps the department and period it was closed in: a
       -- later membership or tree change alone is no change to it
       WHERE NOT (j.closed_change AND j.existed AND NOT j.figures_differ)
    )
    SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.employee_id, a.day), '[]') INTO judged_days FROM allowed a;
    INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
    SELECT (a ->> 'employee_id')::bigint, (a ->> 'day')::date, actor, nullif(current_setting('attendance.reason', true), ''),
           coalesce(a -> 'before_json', 'null'::jsonb),
           a - 'existed' - 'before_json' - 'figures_differ' - 'placed_elsewhere' - 'closed_change' - 'logged_change' - 'ok'
      FROM jsonb_array_elements(judged_days) AS a WHERE (a ->> 'logged_change')::boolean AND (a ->> 'ok')::boolean;
    WITH written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place
        FROM jsonb_array_elements(judged_days) AS a, jsonb_populate_record(NULL::@extschema@.day_result, a) AS f
       WHERE (a ->> 'ok')::boolean
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, evaluated_at = at_now
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL AND a.employee_id = ANY (employees)
      RETURNING 1
    )
    SELECT count(*) INTO changed FROM written;
    SELECT count(*), string_agg(DISTINCT a ->> 'employee_id', ', ') INTO frozen, frozen_employees
      FROM jsonb_array_elements(judged_days) AS a WHERE NOT (a ->> 'ok')::boolean AND (a ->> 'existed')::boolean;
  ELSE
    WITH fresh AS (
      SELECT * FROM @extschema@.att_evaluate(employees, days)
    ), cmp AS (
      SELECT f.*, d.employee_id IS NOT NULL AS existed,
             to_jsonb(d) - 'evaluated_at' AS before_json,
             (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
              f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
              f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
              f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place)
             IS DISTINCT FROM
             (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
              d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
              d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
              d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place) AS figures_differ,
             (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere
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
        FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere
    ), allowed AS (
      SELECT j.*, NOT j.closed_change
                  OR (actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE) AS ok
        FROM judged j
       -- a closed day keeps the department and period it was closed in: a
       -- later membership or tree change alone is no change to it
       WHERE NOT (j.closed_change AND j.existed AND NOT j.figures_differ)
    ), logged AS (
      INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
      SELECT a.employee_id, a.day, actor, nullif(current_setting('attendance.reason', true), ''),
             coalesce(a.before_json, 'null'::jsonb),
             to_jsonb(a) - 'existed' - 'before_json' - 'figures_differ' - 'placed_elsewhere' - 'closed_change' - 'logged_change' - 'ok'
        FROM allowed a WHERE a.logged_change AND a.ok
      RETURNING 1
    ), written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place)
      SELECT a.employee_id, a.day, a.rule_id, a.rule_name, a.shift, a.day_kind, a.status, a.check_in, a.check_out, a.scheduled_minutes, a.late_minutes, a.early_minutes, a.absent_minutes, a.work_minutes, a.overtime_minutes, a.overtime_category, a.outside_punches, a.leave_minutes, a.reasons, a.org_id, a.company_id, a.period_start, a.time_zone, a.scheduled_start, a.scheduled_end, a.leave_type, a.trip_minutes, a.outing_minutes, a.appeal_minutes, a.check_in_place, a.check_out_place FROM allowed a WHERE a.ok
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, evaluated_at = at_now
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      -- a changed day withdraws its approval; the approval stays as history
      UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    -- (logged runs whether or not it is read: data-modifying CTEs always complete)
    SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM allowed a WHERE NOT a.ok AND a.existed),
           (SELECT string_agg(DISTINCT a.employee_id::text, ', ') FROM allowed a WHERE NOT a.ok AND a.existed)
      INTO changed, frozen, frozen_employees;
  END IF;
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

CREATE OR REPLACE FUNCTION refresh_changed_days() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $$
-- Static statements per table (TG_ARGV[0] names the span each trigger
-- refreshes), so their plans are kept; employees in id order, so that
-- concurrent statements take their refresh locks in the same order. A
-- definer function: whoever may write the table may refresh what the write
-- touched, and a change it makes to a closed day is judged for the acting
-- employee. Days are taken in UTC (a session's TimeZone must not move the
-- window): three days before, to cover a zone's day and a night shift, and
-- nine after, for leave-late-arrive-late.
DECLARE
  actor bigint := @extschema@.att_current_employee();
  -- on Citus the trigger fires on the shard (punch_102025)
  tab name := CASE WHEN TG_TABLE_NAME IN ('punch', 'punch_void', 'excuse', 'schedule') THEN TG_TABLE_NAME
                   ELSE @extschema@._att_table_of(TG_TABLE_NAME) END;
BEGIN
  IF tab IN ('punch', 'punch_void') THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 3, c.last + 9), actor, true)
         FROM (SELECT employee_id, min(at)::date AS first, max(at)::date AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 3, c.last + 9), actor, true)
         FROM (SELECT employee_id, min(at)::date AS first, max(at)::date AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSIF tab = 'excuse' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 3, c.last + 9), actor, true)
         FROM (SELECT employee_id, min(lower(during))::date AS first, max(upper(during))::date AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 3, c.last + 9), actor, true)
         FROM (SELECT employee_id, min(lower(during))::date AS first, max(upper(during))::date AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSIF tab = 'schedule' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 3, c.last + 9), actor, true)
         FROM (SELECT employee_id, min(day) AS first, max(day) AS last
                 FROM changed_new GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM @extschema@._att_refresh(ARRAY[c.employee_id], daterange(c.first - 3, c.last + 9), actor, true)
         FROM (SELECT employee_id, min(day) AS first, max(day) AS last
                 FROM changed_old GROUP BY employee_id ORDER BY employee_id) c;
    END IF;
  ELSE
    RAISE EXCEPTION 'refresh_changed_days is not meant for table %', TG_TABLE_NAME USING ERRCODE = 'feature_not_supported';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION _att_drain_requests(ids bigint[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  today date := @extschema@.att_today();
  g record;
  changed integer := 0;
  target_employees bigint[];
  target_days daterange[];
BEGIN
  IF @extschema@._att_distributed() THEN
    -- On Citus day_record is distributed, and Citus plans no subquery per
    -- row over it next to these CTEs: the same in two steps, the stored
    -- days' ends read in one routed query.
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
    )
    SELECT array_agg(t.employee_id), array_agg(t.days) INTO target_employees, target_days FROM targets t;
    FOR g IN
      WITH stored AS MATERIALIZED (
        SELECT d.employee_id, max(d.day) + 1 AS after
          FROM @extschema@.day_record d WHERE d.employee_id = ANY (target_employees) GROUP BY d.employee_id
      ), reach AS (
        SELECT t.employee_id, t.days * daterange(NULL, greatest(today + 9, s.after)) AS days
          FROM unnest(target_employees, target_days) AS t(employee_id, days)
          LEFT JOIN stored s ON s.employee_id = t.employee_id
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
  END IF;
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
  changed jsonb;
  -- on Citus these are reference tables: the trigger fires on every node's
  -- copy (holiday_102013), and the coordinator's records the change
  tab name := CASE WHEN TG_TABLE_NAME IN ('membership', 'rule_person', 'rule_org', 'rule_version', 'holiday') THEN TG_TABLE_NAME
                   ELSE @extschema@._att_table_of(TG_TABLE_NAME) END;
BEGIN
  IF tab <> TG_TABLE_NAME AND @extschema@._att_copy_elsewhere(TG_TABLE_NAME, tab) THEN
    RETURN NULL;
  END IF;
  reach := CASE tab
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
  IF tab <> TG_TABLE_NAME THEN
    -- On Citus the changed rows are taken out of the transition tables
    -- first: Citus plans no query that joins one to its tables.
    EXECUTE format('SELECT jsonb_agg(to_jsonb(x)) FROM %s x', rows_) INTO changed;
    rows_ := format('jsonb_populate_recordset(NULL::@extschema@.%I, $1)', tab);
  END IF;
  EXECUTE format('SELECT array_agg(t.e), array_agg(t.o), array_agg(t.d) FROM (' || reach || ') AS t(e, o, d)', rows_)
    INTO e, o, d USING changed;
  IF e IS NOT NULL THEN
    PERFORM @extschema@._att_request(e, o, d);
  END IF;
  RETURN NULL;
END $$;

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
  -- a searched CASE: Citus, routing the insert, misreads CASE TG_OP WHEN ...
  INSERT INTO @extschema@.excuse_change (employee_id, excuse_id, action, kind, during, leave_type, source_system, source_ref, changed_by)
  VALUES (OLD.employee_id, OLD.excuse_id, CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'replaced' END,
          OLD.kind, OLD.during, OLD.leave_type, OLD.source_system, OLD.source_ref, session_user);
  RETURN NULL;
END $$;

COMMENT ON FUNCTION excuse_keep_change() IS 'Internal trigger: records an excuse as it was before an update or deletion.';

CREATE TRIGGER excuse_keep_change AFTER UPDATE ON excuse
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION excuse_keep_change();

CREATE TRIGGER excuse_keep_deletion AFTER DELETE ON excuse
  FOR EACH ROW EXECUTE FUNCTION excuse_keep_change();

CREATE OR REPLACE FUNCTION correction_days(employee bigint, at timestamptz) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $$
BEGIN
  RETURN (SELECT coalesce(jsonb_object_agg(d.day, to_jsonb(d) - 'evaluated_at'), '{}'::jsonb)
            FROM @extschema@.day_record d
           WHERE d.employee_id = employee AND d.day BETWEEN at::date - 4 AND at::date + 10);
END $$;

CREATE OR REPLACE FUNCTION att_make_up_punch(employee bigint, at timestamptz, reason text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.correction_actor(employee, at);
  before jsonb := @extschema@.correction_days(employee, at);
  id bigint;
  -- the refresh the insert triggers records the reason and judges for the
  -- actor; on Citus it runs on a worker, which a SET LOCAL reaches
  old_reason text := @extschema@._att_set_local('attendance.reason', reason);
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', actor::text);
BEGIN
  INSERT INTO @extschema@.punch (employee_id, at, source, recorded_by, reason)
  VALUES (employee, at, 'make_up', actor, reason) RETURNING punch_id INTO id;
  PERFORM @extschema@._att_set_local('attendance.reason', old_reason);
  PERFORM @extschema@._att_set_local('attendance.acting_employee', old_actor);
  PERFORM @extschema@.correction_check_days(actor, employee, before, @extschema@.correction_days(employee, at));
  RETURN id;
END $$;

CREATE OR REPLACE FUNCTION att_void_punch(employee bigint, punch bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p record;
  actor bigint;
  before jsonb;
  old_reason text;
  old_actor text;
BEGIN
  SELECT * INTO p FROM @extschema@.punch x WHERE x.employee_id = employee AND x.punch_id = punch;
  -- a punch that does not exist has no instant, and is refused like one the
  -- actor may not touch
  actor := @extschema@.correction_actor(employee, p.at);
  before := @extschema@.correction_days(employee, p.at);
  old_reason := @extschema@._att_set_local('attendance.reason', reason);
  old_actor := @extschema@._att_set_local('attendance.acting_employee', actor::text);
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason) VALUES (employee, punch, p.at, actor, reason);
  PERFORM @extschema@._att_set_local('attendance.reason', old_reason);
  PERFORM @extschema@._att_set_local('attendance.acting_employee', old_actor);
  PERFORM @extschema@.correction_check_days(actor, employee, before, @extschema@.correction_days(employee, p.at));
END $$;

GRANT SELECT ON org_tree TO attendance_sync;

CREATE OR REPLACE FUNCTION att_sync_punch(employee bigint, source_system text, source_ref text, at timestamptz,
                               lat double precision DEFAULT NULL, lon double precision DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  current record;
  id bigint;
  -- the refresh the writes trigger judges for the caller; on Citus it runs
  -- on a worker, which a SET LOCAL reaches
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', @extschema@.att_current_employee()::text);
BEGIN
  IF NOT @extschema@.att_is_sync() AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    PERFORM @extschema@.sync_refused();
  END IF;
  IF employee IS NULL OR source_system IS NULL OR source_ref IS NULL OR at IS NULL OR NOT isfinite(at) THEN
    RAISE EXCEPTION 'att_sync_punch needs an employee, a source, a reference and a finite instant' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT p.punch_id, p.at, p.lat, p.lon, p.revision, v.punch_id IS NOT NULL AS voided INTO current
    FROM @extschema@.punch p LEFT JOIN @extschema@.punch_void v USING (employee_id, punch_id)
   WHERE p.employee_id = employee AND p.source_system = source_system AND p.source_ref = source_ref
   ORDER BY p.revision DESC LIMIT 1;
  IF FOUND AND NOT current.voided AND (current.at, current.lat, current.lon) IS NOT DISTINCT FROM (at, lat, lon) THEN
    RETURN current.punch_id;  -- already mirrored: a reload changes nothing
  END IF;
  IF FOUND AND NOT current.voided THEN
    INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason)
    VALUES (employee, current.punch_id, current.at, NULL, 'replaced: the ERP changed its row ' || source_ref);
  END IF;
  INSERT INTO @extschema@.punch (employee_id, at, lat, lon, source_system, source_ref, revision)
  VALUES (employee, at, lat, lon, source_system, source_ref, CASE WHEN FOUND THEN current.revision + 1 ELSE 0 END)
  RETURNING punch_id INTO id;
  RETURN id;
END $$;

CREATE OR REPLACE FUNCTION att_sync_punch_delete(employee bigint, source_system text, source_ref text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  current record;
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', @extschema@.att_current_employee()::text);
BEGIN
  IF NOT @extschema@.att_is_sync() AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    PERFORM @extschema@.sync_refused();
  END IF;
  SELECT p.punch_id, p.at INTO current
    FROM @extschema@.punch p
   WHERE p.employee_id = employee AND p.source_system = source_system AND p.source_ref = source_ref
     AND NOT EXISTS (SELECT 1 FROM @extschema@.punch_void v WHERE v.employee_id = p.employee_id AND v.punch_id = p.punch_id)
   ORDER BY p.revision DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN false;  -- nothing mirrored, or already deleted: a repeated delete changes nothing
  END IF;
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason)
  VALUES (employee, current.punch_id, current.at, NULL, 'deleted: the ERP removed its row ' || source_ref);
  RETURN true;
END $$;

SELECT @extschema@.att_enable_scope_policies('@extschema@.period_record', 'employee_id', 'period_start');

CREATE FUNCTION _att_visible_spans() RETURNS TABLE (employee_id bigint, days daterange)
LANGUAGE sql STABLE ROWS 1000
BEGIN ATOMIC
  SELECT v.e, daterange(v.f, v.u)
    FROM @extschema@._att_view_scope() s, unnest(s.employee_ids, s.from_days, s.until_days) AS v(e, f, u);
END;

COMMENT ON FUNCTION _att_visible_spans() IS 'Internal: the asking login''s own days and its view scope as of today, one span per row.';

CREATE FUNCTION _att_visible_orgs() RETURNS TABLE (org_id bigint, name text, closing_day integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 100
BEGIN ATOMIC
  SELECT o.org_id, o.name, o.closing_day::integer
    FROM @extschema@.org o
   WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      OR o.org_id IN (SELECT x.org_id
                        FROM @extschema@._att_visible_spans() v
                        JOIN @extschema@.membership m ON m.employee_id = v.employee_id AND m.kind = 'primary' AND m.period && v.days
                        JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && (m.period * v.days)
                       CROSS JOIN LATERAL unnest(ARRAY[t.org_id, t.path[1]]) AS x(org_id));
END;

COMMENT ON FUNCTION _att_visible_orgs() IS 'Internal: the orgs (name, closing day) the asking login may name: the departments and companies of the primary memberships on the days it may see; the views name departments and companies with it.';

CREATE OR REPLACE VIEW att_daily WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT d.employee_id, e.display_name AS employee_name, d.day, d.rule_name, d.shift, d.day_kind, d.status,
       d.check_in[1] AS first_check_in, d.check_out[array_length(d.check_out, 1)] AS last_check_out,
       d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes,
       d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes,
       array_to_string(d.reasons, '; ') AS reasons, e.employee_key,
       d.org_id AS department_id, dept.name AS department, d.company_id, co.name AS company,
       d.period_start, @extschema@.att_period_end(d.period_start, co.closing_day) AS period_end,
       d.time_zone,
       d.check_in[1] AT TIME ZONE d.time_zone AS first_check_in_local,
       d.check_out[array_length(d.check_out, 1)] AT TIME ZONE d.time_zone AS last_check_out_local,
       d.scheduled_start, d.scheduled_end,
       d.scheduled_start AT TIME ZONE d.time_zone AS scheduled_start_local,
       d.scheduled_end AT TIME ZONE d.time_zone AS scheduled_end_local,
       d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes,
       d.leave_minutes > 0 AND d.leave_minutes < d.scheduled_minutes AS half_day_leave,
       @extschema@.att_day_code(d.status, d.leave_minutes) AS day_code,
       d.check_in_place AS first_check_in_place, d.check_out_place AS last_check_out_place
  FROM @extschema@.day_record d
  JOIN @extschema@.employee e ON e.employee_id = d.employee_id
  LEFT JOIN orgs dept ON dept.org_id = d.org_id
  LEFT JOIN orgs co ON co.org_id = d.company_id;

COMMENT ON VIEW att_daily IS 'Daily attendance (出勤情况): one row per employee-day, as far as the querying login''s scope reaches, with the department and company of that day.';

COMMENT ON COLUMN att_daily.employee_id IS 'The employee (employee.employee_id, the ERP''s integer key or one assigned here).';

COMMENT ON COLUMN att_daily.employee_name IS 'The employee''s display name.';

COMMENT ON COLUMN att_daily.day IS 'The local day in the rule''s time zone (a night shift belongs to the day it starts).';

COMMENT ON COLUMN att_daily.rule_name IS 'The attendance rule that judged the day (NULL: none applies).';

COMMENT ON COLUMN att_daily.shift IS 'The shift of the day (NULL on rest days and holidays).';

COMMENT ON COLUMN att_daily.status IS 'normal, late, early, late_and_early, half_day (worked less than the rule''s working_hours_thresholds), missing_check_in, missing_check_out, no_punch, absent, excused, rest, holiday, unscheduled, not_in_validity, no_rule; pending: a shift period has not ended yet (nothing missing, early or absent until it has); not_employed: no primary membership that day (not a workday).';

COMMENT ON COLUMN att_daily.first_check_in IS 'Check-in of the first period of the shift, an instant (NULL when missing); first_check_in_local is the wall-clock reading.';

COMMENT ON COLUMN att_daily.last_check_out IS 'Check-out of the last period of the shift, an instant (NULL when missing); last_check_out_local is the wall-clock reading.';

COMMENT ON COLUMN att_daily.scheduled_minutes IS 'Minutes the shift asks for (real minutes: a night across a DST change differs).';

COMMENT ON COLUMN att_daily.late_minutes IS 'Late minutes that count (beyond the allowance, after excuses).';

COMMENT ON COLUMN att_daily.early_minutes IS 'Early-leave minutes that count.';

COMMENT ON COLUMN att_daily.absent_minutes IS 'Minutes counted as absence (旷工).';

COMMENT ON COLUMN att_daily.work_minutes IS 'Minutes worked: within the shift on workdays, first to last punch on rest days and holidays.';

COMMENT ON COLUMN att_daily.overtime_minutes IS 'Overtime minutes as the rule counts them.';

COMMENT ON COLUMN att_daily.overtime_category IS 'workday, rest_day or holiday overtime; NULL without overtime.';

COMMENT ON COLUMN att_daily.outside_punches IS 'Punches made outside every allowed location: kept and flagged, not counted.';

COMMENT ON COLUMN att_daily.leave_minutes IS 'Minutes of the shift covered by approved leave (time off).';

COMMENT ON COLUMN att_daily.department_id IS 'The org of the employee''s primary membership that day (org.org_id).';

COMMENT ON COLUMN att_daily.department IS 'That org''s name.';

COMMENT ON COLUMN att_daily.company_id IS 'The company above the department in the tree as it stood that day.';

COMMENT ON COLUMN att_daily.company IS 'The company''s name.';

COMMENT ON COLUMN att_daily.period_start IS 'First day of the company''s closing period holding the day (the 26th for a company closing on the 25th).';

COMMENT ON COLUMN att_daily.period_end IS 'Last day of that closing period.';

COMMENT ON COLUMN att_daily.time_zone IS 'The rule''s time zone (IANA name) in which the day and the local times are read.';

COMMENT ON COLUMN att_daily.first_check_in_local IS 'first_check_in as a wall-clock reading in time_zone.';

COMMENT ON COLUMN att_daily.last_check_out_local IS 'last_check_out as a wall-clock reading in time_zone.';

COMMENT ON COLUMN att_daily.scheduled_start IS 'Start of the first shift period as judged (a flex rule may move it), an instant.';

COMMENT ON COLUMN att_daily.scheduled_end IS 'End of the last shift period as judged, an instant.';

COMMENT ON COLUMN att_daily.scheduled_start_local IS 'scheduled_start as a wall-clock reading in time_zone.';

COMMENT ON COLUMN att_daily.scheduled_end_local IS 'scheduled_end as a wall-clock reading in time_zone.';

COMMENT ON COLUMN att_daily.leave_type IS 'The ERP''s leave types covering part of the shift (excuse.leave_type), sorted and comma-separated.';

COMMENT ON COLUMN att_daily.trip_minutes IS 'Minutes of the shift on a business trip (worked elsewhere, not leave).';

COMMENT ON COLUMN att_daily.outing_minutes IS 'Minutes of the shift on an outing (外出).';

COMMENT ON COLUMN att_daily.appeal_minutes IS 'Minutes of the shift covered by approved appeals.';

COMMENT ON COLUMN att_daily.half_day_leave IS 'Leave covers part of the shift, not all of it (half-day leave).';

COMMENT ON COLUMN att_daily.first_check_in_place IS 'The name of the rule''s location within whose radius the first check-in was made (NULL: none, or no coordinates).';

COMMENT ON COLUMN att_daily.last_check_out_place IS 'The name of the rule''s location within whose radius the last check-out was made.';

COMMENT ON COLUMN att_daily.day_code IS 'The day as one short code (att_day_code): P, HD, L, OD, A, MP, H, WO, -, ?; NULL when not employed.';

CREATE OR REPLACE VIEW att_anomalies WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, status, late_minutes, early_minutes, absent_minutes, outside_punches, reasons,
       department_id, department, company_id, company, period_start
  FROM @extschema@.att_daily
 WHERE status IN ('late', 'early', 'late_and_early', 'half_day', 'missing_check_in', 'missing_check_out', 'no_punch', 'absent', 'no_rule')
    OR outside_punches > 0;

COMMENT ON VIEW att_anomalies IS 'Anomalies (异常考勤): late, early, half days by worked hours, missing punches, absences, punches outside the allowed locations, and days that could not be judged because no rule applies (no_rule). Pending and not-employed days are no anomaly.';

CREATE OR REPLACE VIEW att_work_time WITH (security_invoker = true, security_barrier = true) AS
SELECT employee_id, employee_name, day, day_kind, scheduled_minutes, work_minutes, overtime_minutes, overtime_category,
       round(work_minutes / 60.0, 2) AS work_hours, round(overtime_minutes / 60.0, 2) AS overtime_hours,
       department_id, department, company_id, company, period_start
  FROM @extschema@.att_daily;

COMMENT ON COLUMN att_work_time.work_hours IS 'work_minutes in hours, to two decimals.';

COMMENT ON COLUMN att_work_time.overtime_hours IS 'overtime_minutes in hours, to two decimals.';

CREATE OR REPLACE VIEW att_period_summary WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT p.employee_id, e.display_name AS employee_name, p.period_start, p.period_end,
       p.workdays, p.days_attended, p.late_count, p.late_minutes, p.early_count, p.early_minutes,
       p.absence_count, p.absence_minutes, p.missing_punches,
       round(p.work_minutes / 60.0, 2) AS work_hours,
       round(p.overtime_workday_minutes / 60.0, 2) AS overtime_hours_workday,
       round(p.overtime_rest_day_minutes / 60.0, 2) AS overtime_hours_rest_day,
       round(p.overtime_holiday_minutes / 60.0, 2) AS overtime_hours_holiday,
       round(p.leave_minutes / 60.0, 2) AS leave_hours,
       e.employee_key,
       p.org_id AS department_id, dept.name AS department, p.company_id, co.name AS company,
       p.full_leave_days + 0.5 * p.half_day_days AS leave_days,
       p.half_day_leaves,
       round(p.trip_minutes / 60.0, 2) AS trip_hours,
       round(p.outing_minutes / 60.0, 2) AS outing_hours,
       round(p.appeal_minutes / 60.0, 2) AS appeal_hours,
       p.holidays, p.rest_days, p.pending_days, p.unjudged_days,
       p.period_end - p.period_start + 1 - p.stored_days AS unmarked_days
  FROM @extschema@.period_record p
  JOIN @extschema@.employee e ON e.employee_id = p.employee_id
  LEFT JOIN orgs dept ON dept.org_id = p.org_id
  LEFT JOIN orgs co ON co.org_id = p.company_id;

COMMENT ON VIEW att_period_summary IS 'Period summary (出勤汇总) per employee and closing period of their company: workdays, days attended, late/early/absence counts and minutes, missing punches, work and overtime hours by category, leave, trips, outings and appeals, and the day codes counted. Days without a primary membership belong to no period. Read from period_record, kept with the stored days: a period of a whole company is one row per employee.';

COMMENT ON COLUMN att_period_summary.employee_id IS 'The employee.';

COMMENT ON COLUMN att_period_summary.employee_name IS 'The employee''s display name.';

COMMENT ON COLUMN att_period_summary.period_start IS 'First day of the closing period (the company''s: the 26th for a company closing on the 25th).';

COMMENT ON COLUMN att_period_summary.period_end IS 'Last day of the closing period.';

COMMENT ON COLUMN att_period_summary.workdays IS 'Stored days that are workdays or make-up workdays (not rest days, holidays, days without a rule or outside employment).';

COMMENT ON COLUMN att_period_summary.days_attended IS 'Workdays with any work minutes.';

COMMENT ON COLUMN att_period_summary.late_count IS 'Days with late minutes that count.';

COMMENT ON COLUMN att_period_summary.late_minutes IS 'Sum of late minutes.';

COMMENT ON COLUMN att_period_summary.early_count IS 'Days with early-leave minutes that count.';

COMMENT ON COLUMN att_period_summary.early_minutes IS 'Sum of early-leave minutes.';

COMMENT ON COLUMN att_period_summary.absence_count IS 'Days with absent minutes (a partial absence counts as a day here).';

COMMENT ON COLUMN att_period_summary.absence_minutes IS 'Sum of absent minutes.';

COMMENT ON COLUMN att_period_summary.missing_punches IS 'Days whose status is missing_check_in or missing_check_out.';

COMMENT ON COLUMN att_period_summary.work_hours IS 'Hours worked.';

COMMENT ON COLUMN att_period_summary.overtime_hours_workday IS 'Overtime hours on workdays.';

COMMENT ON COLUMN att_period_summary.overtime_hours_rest_day IS 'Overtime hours on rest days.';

COMMENT ON COLUMN att_period_summary.overtime_hours_holiday IS 'Overtime hours on holidays.';

COMMENT ON COLUMN att_period_summary.leave_hours IS 'Hours of the shifts covered by approved leave.';

COMMENT ON COLUMN att_period_summary.department_id IS 'The department on the last stored day of the period (an employee who moved shows where they ended).';

COMMENT ON COLUMN att_period_summary.department IS 'That department''s name.';

COMMENT ON COLUMN att_period_summary.company_id IS 'The company on the last stored day of the period.';

COMMENT ON COLUMN att_period_summary.company IS 'That company''s name.';

COMMENT ON COLUMN att_period_summary.leave_days IS 'Days on leave: whole-shift leave (L) counts 1, half-day leave (HD) 0.5.';

COMMENT ON COLUMN att_period_summary.half_day_leaves IS 'Days with leave for part of the shift.';

COMMENT ON COLUMN att_period_summary.trip_hours IS 'Hours of the shifts on business trips.';

COMMENT ON COLUMN att_period_summary.outing_hours IS 'Hours of the shifts on outings.';

COMMENT ON COLUMN att_period_summary.appeal_hours IS 'Hours of the shifts covered by approved appeals.';

COMMENT ON COLUMN att_period_summary.holidays IS 'Holidays (code H).';

COMMENT ON COLUMN att_period_summary.rest_days IS 'Rest days (code WO).';

COMMENT ON COLUMN att_period_summary.pending_days IS 'Days whose shift has not ended yet.';

COMMENT ON COLUMN att_period_summary.unjudged_days IS 'Days no rule could judge (code ?: no rule, unscheduled, outside the rule''s validity).';

COMMENT ON COLUMN att_period_summary.unmarked_days IS 'Days of the period with no stored day for the employee (not reached yet, or before the first stored day).';

CREATE VIEW att_leave_summary WITH (security_invoker = true, security_barrier = true) AS
SELECT d.employee_id, min(d.employee_name) AS employee_name, d.period_start, max(d.period_end) AS period_end,
       coalesce(d.leave_type, '(no type)') AS leave_type,
       count(*) FILTER (WHERE d.day_code = 'L') AS full_days,
       count(*) FILTER (WHERE d.half_day_leave) AS half_days,
       round(sum(d.leave_minutes) / 60.0, 2) AS leave_hours,
       (array_agg(d.department ORDER BY d.day DESC))[1] AS department
  FROM @extschema@.att_daily d
 WHERE d.period_start IS NOT NULL AND d.leave_minutes > 0
 GROUP BY d.employee_id, d.period_start, coalesce(d.leave_type, '(no type)');

COMMENT ON VIEW att_leave_summary IS 'Leave by type (the ERP''s leave types) per employee and closing period: whole days, half days and hours.';

COMMENT ON COLUMN att_leave_summary.employee_id IS 'The employee.';

COMMENT ON COLUMN att_leave_summary.employee_name IS 'The employee''s display name.';

COMMENT ON COLUMN att_leave_summary.period_start IS 'First day of the closing period.';

COMMENT ON COLUMN att_leave_summary.period_end IS 'Last day of the closing period.';

COMMENT ON COLUMN att_leave_summary.leave_type IS 'The leave type; several types on one day are listed together; (no type) for leave loaded without one.';

COMMENT ON COLUMN att_leave_summary.full_days IS 'Days whose whole shift is on leave.';

COMMENT ON COLUMN att_leave_summary.half_days IS 'Days with leave for part of the shift.';

COMMENT ON COLUMN att_leave_summary.leave_hours IS 'Hours of the shifts covered by leave.';

COMMENT ON COLUMN att_leave_summary.department IS 'The department on the last day with this leave in the period.';

CREATE VIEW att_monthly_grid WITH (security_invoker = true, security_barrier = true) AS
WITH orgs AS (SELECT * FROM @extschema@._att_visible_orgs())
SELECT p.employee_id, e.display_name AS employee_name, p.period_start, p.period_end,
       dept.name AS department, co.name AS company,
       p.day_codes[1] AS d01,
       p.day_codes[2] AS d02,
       p.day_codes[3] AS d03,
       p.day_codes[4] AS d04,
       p.day_codes[5] AS d05,
       p.day_codes[6] AS d06,
       p.day_codes[7] AS d07,
       p.day_codes[8] AS d08,
       p.day_codes[9] AS d09,
       p.day_codes[10] AS d10,
       p.day_codes[11] AS d11,
       p.day_codes[12] AS d12,
       p.day_codes[13] AS d13,
       p.day_codes[14] AS d14,
       p.day_codes[15] AS d15,
       p.day_codes[16] AS d16,
       p.day_codes[17] AS d17,
       p.day_codes[18] AS d18,
       p.day_codes[19] AS d19,
       p.day_codes[20] AS d20,
       p.day_codes[21] AS d21,
       p.day_codes[22] AS d22,
       p.day_codes[23] AS d23,
       p.day_codes[24] AS d24,
       p.day_codes[25] AS d25,
       p.day_codes[26] AS d26,
       p.day_codes[27] AS d27,
       p.day_codes[28] AS d28,
       p.day_codes[29] AS d29,
       p.day_codes[30] AS d30,
       p.day_codes[31] AS d31,
       p.present_days, p.absent_days,
       p.full_leave_days + 0.5 * p.half_day_days AS leave_days,
       p.on_duty_days, p.missing_punch_days, p.holidays, p.rest_days AS weekly_offs,
       p.pending_days + p.unjudged_days + (p.period_end - p.period_start + 1 - p.stored_days) AS unmarked_days
  FROM @extschema@.period_record p
  JOIN @extschema@.employee e ON e.employee_id = p.employee_id
  LEFT JOIN orgs dept ON dept.org_id = p.org_id
  LEFT JOIN orgs co ON co.org_id = p.company_id;

COMMENT ON VIEW att_monthly_grid IS 'The monthly attendance sheet (ERPNext''s Monthly Attendance Sheet, an Excel grid): one row per employee and closing period, columns d01..d31 for the days of the period from its first day, each the day''s code (att_day_code: P present, HD half-day leave, L leave, OD on duty elsewhere, A absent, MP missing punch, H holiday, WO weekly off, - pending, ? not judged; NULL not employed or not stored), then the codes counted.';

COMMENT ON COLUMN att_monthly_grid.employee_id IS 'The employee.';

COMMENT ON COLUMN att_monthly_grid.employee_name IS 'The employee''s display name.';

COMMENT ON COLUMN att_monthly_grid.period_start IS 'First day of the closing period: the day of column d01.';

COMMENT ON COLUMN att_monthly_grid.period_end IS 'Last day of the closing period (columns past it are NULL).';

COMMENT ON COLUMN att_monthly_grid.department IS 'The department on the last stored day of the period.';

COMMENT ON COLUMN att_monthly_grid.company IS 'The company on the last stored day of the period.';

COMMENT ON COLUMN att_monthly_grid.d01 IS 'Code of day 1 of the period (period_start + 0).';

COMMENT ON COLUMN att_monthly_grid.d02 IS 'Code of day 2 of the period (period_start + 1).';

COMMENT ON COLUMN att_monthly_grid.d03 IS 'Code of day 3 of the period (period_start + 2).';

COMMENT ON COLUMN att_monthly_grid.d04 IS 'Code of day 4 of the period (period_start + 3).';

COMMENT ON COLUMN att_monthly_grid.d05 IS 'Code of day 5 of the period (period_start + 4).';

COMMENT ON COLUMN att_monthly_grid.d06 IS 'Code of day 6 of the period (period_start + 5).';

COMMENT ON COLUMN att_monthly_grid.d07 IS 'Code of day 7 of the period (period_start + 6).';

COMMENT ON COLUMN att_monthly_grid.d08 IS 'Code of day 8 of the period (period_start + 7).';

COMMENT ON COLUMN att_monthly_grid.d09 IS 'Code of day 9 of the period (period_start + 8).';

COMMENT ON COLUMN att_monthly_grid.d10 IS 'Code of day 10 of the period (period_start + 9).';

COMMENT ON COLUMN att_monthly_grid.d11 IS 'Code of day 11 of the period (period_start + 10).';

COMMENT ON COLUMN att_monthly_grid.d12 IS 'Code of day 12 of the period (period_start + 11).';

COMMENT ON COLUMN att_monthly_grid.d13 IS 'Code of day 13 of the period (period_start + 12).';

COMMENT ON COLUMN att_monthly_grid.d14 IS 'Code of day 14 of the period (period_start + 13).';

COMMENT ON COLUMN att_monthly_grid.d15 IS 'Code of day 15 of the period (period_start + 14).';

COMMENT ON COLUMN att_monthly_grid.d16 IS 'Code of day 16 of the period (period_start + 15).';

COMMENT ON COLUMN att_monthly_grid.d17 IS 'Code of day 17 of the period (period_start + 16).';

COMMENT ON COLUMN att_monthly_grid.d18 IS 'Code of day 18 of the period (period_start + 17).';

COMMENT ON COLUMN att_monthly_grid.d19 IS 'Code of day 19 of the period (period_start + 18).';

COMMENT ON COLUMN att_monthly_grid.d20 IS 'Code of day 20 of the period (period_start + 19).';

COMMENT ON COLUMN att_monthly_grid.d21 IS 'Code of day 21 of the period (period_start + 20).';

COMMENT ON COLUMN att_monthly_grid.d22 IS 'Code of day 22 of the period (period_start + 21).';

COMMENT ON COLUMN att_monthly_grid.d23 IS 'Code of day 23 of the period (period_start + 22).';

COMMENT ON COLUMN att_monthly_grid.d24 IS 'Code of day 24 of the period (period_start + 23).';

COMMENT ON COLUMN att_monthly_grid.d25 IS 'Code of day 25 of the period (period_start + 24).';

COMMENT ON COLUMN att_monthly_grid.d26 IS 'Code of day 26 of the period (period_start + 25).';

COMMENT ON COLUMN att_monthly_grid.d27 IS 'Code of day 27 of the period (period_start + 26).';

COMMENT ON COLUMN att_monthly_grid.d28 IS 'Code of day 28 of the period (period_start + 27).';

COMMENT ON COLUMN att_monthly_grid.d29 IS 'Code of day 29 of the period (period_start + 28).';

COMMENT ON COLUMN att_monthly_grid.d30 IS 'Code of day 30 of the period (period_start + 29).';

COMMENT ON COLUMN att_monthly_grid.d31 IS 'Code of day 31 of the period (period_start + 30).';

COMMENT ON COLUMN att_monthly_grid.present_days IS 'Days coded P or HD.';

COMMENT ON COLUMN att_monthly_grid.absent_days IS 'Days coded A.';

COMMENT ON COLUMN att_monthly_grid.leave_days IS 'Days coded L, plus half of those coded HD.';

COMMENT ON COLUMN att_monthly_grid.on_duty_days IS 'Days coded OD (business trip, outing or appeal for the whole shift).';

COMMENT ON COLUMN att_monthly_grid.missing_punch_days IS 'Days coded MP.';

COMMENT ON COLUMN att_monthly_grid.holidays IS 'Days coded H.';

COMMENT ON COLUMN att_monthly_grid.weekly_offs IS 'Days coded WO.';

COMMENT ON COLUMN att_monthly_grid.unmarked_days IS 'Days of the period not judged yet: pending (-), not judged (?), or not stored.';

DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT v.relname AS view_name, a.attname AS column_name, pg_catalog.col_description(d.oid, da.attnum) AS text
      FROM pg_catalog.pg_class v
      JOIN pg_catalog.pg_attribute a ON a.attrelid = v.oid AND a.attnum > 0
      JOIN pg_catalog.pg_class d ON d.relname = 'att_daily' AND d.relnamespace = v.relnamespace
      JOIN pg_catalog.pg_attribute da ON da.attrelid = d.oid AND da.attname = a.attname
     WHERE v.relnamespace = '@extschema@'::regnamespace AND v.relkind = 'v' AND v.relname <> 'att_daily'
       AND pg_catalog.col_description(v.oid, a.attnum) IS NULL
       AND pg_catalog.col_description(d.oid, da.attnum) IS NOT NULL
  LOOP
    EXECUTE format('COMMENT ON COLUMN @extschema@.%I.%I IS %L', c.view_name, c.column_name, c.text);
  END LOOP;
END $$;

CREATE FUNCTION _att_distributed() RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  found boolean;
BEGIN
  IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
    RETURN false;
  END IF;
  -- dynamic: the catalog does not exist on a node without Citus
  EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = $1)'
     INTO found USING '@extschema@.day_record'::regclass;
  RETURN found;
END $$;

COMMENT ON FUNCTION _att_distributed() IS 'Internal: whether the extension''s tables are distributed with Citus in this database (att_distribute).';

CREATE FUNCTION _att_on_coordinator() RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  grp integer;
BEGIN
  IF NOT @extschema@._att_distributed() THEN
    RETURN false;
  END IF;
  EXECUTE 'SELECT groupid FROM pg_catalog.pg_dist_local_group' INTO grp;
  RETURN grp = 0;
END $$;

COMMENT ON FUNCTION _att_on_coordinator() IS 'Internal: whether this node is the Citus coordinator of a distributed database (refreshes asked for here run on the workers).';

CREATE FUNCTION _att_table_of(fired_on name) RETURNS name
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  logical name;
BEGIN
  IF fired_on ~ '_[0-9]+$' AND to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL THEN
    EXECUTE 'SELECT c.relname FROM pg_catalog.pg_dist_shard s JOIN pg_catalog.pg_class c ON c.oid = s.logicalrelid
              WHERE s.shardid = $1 AND c.relnamespace = ''@extschema@''::regnamespace AND c.relname || ''_'' || s.shardid = $2'
       INTO logical USING substring(fired_on FROM '_([0-9]+)$')::bigint, fired_on;
  END IF;
  RETURN coalesce(logical, fired_on);
END $$;

COMMENT ON FUNCTION _att_table_of(name) IS 'Internal: the extension''s table a trigger fired for, given the name it fired on, also on a Citus shard or a node''s copy of a reference table (punch_102025 is punch).';

CREATE FUNCTION _att_copy_elsewhere(fired_on name, tab name) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN fired_on <> tab AND NOT @extschema@._att_on_coordinator();
END $$;

COMMENT ON FUNCTION _att_copy_elsewhere(name, name) IS 'Internal: whether a trigger fired on a Citus worker''s copy of a reference table (its AFTER work is done once, on the coordinator''s copy).';

CREATE FUNCTION _att_set_local(setting text, value text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  before text := pg_catalog.current_setting(setting, true);
BEGIN
  IF setting NOT IN ('attendance.reason', 'attendance.acting_employee') THEN
    RAISE EXCEPTION '_att_set_local does not set %', setting USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- from inside a query: Citus sends a SET LOCAL on to the workers only
  -- when it runs within a function a query called
  PERFORM 1 FROM (SELECT @extschema@._att_set_local_statement(setting, value)) AS x;
  RETURN before;
END $$;

COMMENT ON FUNCTION _att_set_local(text, text) IS 'Internal: sets attendance.reason or attendance.acting_employee for the rest of the calling function (SET LOCAL, which Citus also sends to the workers) and returns the value before.';

REVOKE EXECUTE ON FUNCTION _att_set_local(text, text) FROM PUBLIC;

CREATE FUNCTION _att_set_local_statement(setting text, value text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE pg_catalog.format('SET LOCAL %s = %L', setting, coalesce(value, ''));
END $$;

COMMENT ON FUNCTION _att_set_local_statement(text, text) IS 'Internal: the SET LOCAL statement of _att_set_local.';

REVOKE EXECUTE ON FUNCTION _att_set_local_statement(text, text) FROM PUBLIC;

CREATE TABLE refresh_job (
  employee_id bigint NOT NULL,
  employees   bigint[] NOT NULL,
  task        text NOT NULL DEFAULT 'refresh',
  days        daterange NOT NULL,
  actor       bigint,
  refuse_closed boolean NOT NULL,
  changed     integer,
  CONSTRAINT refresh_job_task CHECK (task IN ('refresh', 'lock', 'close'))
);

COMMENT ON TABLE refresh_job IS 'Internal: refreshes and refresh locks sent from the Citus coordinator to the workers, one row per shard, handled by the trigger on the shard and removed by the sender in the same call. Always empty outside it; unused without Citus.';

COMMENT ON COLUMN refresh_job.employee_id IS 'The first of the employees: Citus routes the row by it to their shard.';

COMMENT ON COLUMN refresh_job.employees IS 'The employees of one shard the task is for.';

COMMENT ON COLUMN refresh_job.task IS 'refresh: the employees'' days; lock: only their refresh locks (an approval reads the day next); close: the closing lock of their shard (see _att_lock_on_shards).';

COMMENT ON COLUMN refresh_job.refuse_closed IS 'Refuse a change to a closed day the actor may not correct (the strict of att_refresh), rather than skip it.';

COMMENT ON COLUMN refresh_job.changed IS 'How many days the refresh changed.';

CREATE FUNCTION _att_lock_on_shards(employees bigint[], closing boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM CASE WHEN closing THEN pg_catalog.pg_advisory_xact_lock(k.shard, -1)
               ELSE pg_catalog.pg_advisory_xact_lock_shared(k.shard, -1) END
     FROM (SELECT DISTINCT pg_catalog.get_shard_id_for_distribution_column('@extschema@.day_record', e)::integer AS shard
             FROM unnest(employees) AS e) k
    ORDER BY k.shard;
  IF NOT closing THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(k.shard, k.h)
       FROM (SELECT DISTINCT pg_catalog.get_shard_id_for_distribution_column('@extschema@.day_record', e)::integer AS shard,
                    pg_catalog.hashint8(e) & 2147483647 AS h
               FROM unnest(employees) AS e) k
      ORDER BY k.shard, k.h;
  END IF;
END $$;

COMMENT ON FUNCTION _att_lock_on_shards(bigint[], boolean) IS 'Internal: on a Citus worker, the refresh locks of employees (or, closing, the closing lock of their shards), advisory and keyed by shard.';

REVOKE EXECUTE ON FUNCTION _att_lock_on_shards(bigint[], boolean) FROM PUBLIC;

CREATE FUNCTION _att_run_job() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.task = 'close' THEN
    PERFORM @extschema@._att_lock_on_shards(NEW.employees, true);
  ELSIF NEW.task = 'lock' THEN
    PERFORM @extschema@._att_lock_employees(NEW.employees);
  ELSE
    NEW.changed := @extschema@._att_refresh(NEW.employees, NEW.days, NEW.actor, NEW.refuse_closed);
  END IF;
  RETURN NEW;
END $$;

COMMENT ON FUNCTION _att_run_job() IS 'Internal trigger: runs a refresh or takes the locks sent to this shard (refresh_job), next to the employees'' rows.';

CREATE TRIGGER run_job BEFORE INSERT ON refresh_job
  FOR EACH ROW EXECUTE FUNCTION _att_run_job();

CREATE FUNCTION _att_refresh_on_workers(employees bigint[], days daterange, actor bigint, strict boolean, task text DEFAULT 'refresh')
RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  rows_ text;
  keys bigint[];
  changed integer;
BEGIN
  IF task <> 'close' THEN
    LOCK TABLE @extschema@.refresh_lock IN SHARE MODE;
  END IF;
  SELECT string_agg(format('(%s, %L, %L, %L, %s, %L)', b.ids[1], b.ids, task, days, coalesce(actor::text, 'NULL'), strict), ', '
                    ORDER BY b.ids[1]),
         array_agg(b.ids[1])
    INTO rows_, keys
    FROM (SELECT array_agg(e ORDER BY e) AS ids
            FROM (SELECT DISTINCT e FROM unnest(employees) AS e WHERE e IS NOT NULL) x
           GROUP BY pg_catalog.get_shard_id_for_distribution_column('@extschema@.refresh_job', x.e)) b;
  IF rows_ IS NULL THEN
    RETURN 0;
  END IF;
  EXECUTE 'INSERT INTO @extschema@.refresh_job (employee_id, employees, task, days, actor, refuse_closed) VALUES ' || rows_;
  WITH done AS (
    DELETE FROM @extschema@.refresh_job j WHERE j.employee_id = ANY (keys) RETURNING j.changed
  )
  SELECT coalesce(sum(d.changed), 0) INTO changed FROM done d;
  RETURN changed;
END $$;

COMMENT ON FUNCTION _att_refresh_on_workers(bigint[], daterange, bigint, boolean, text) IS 'Internal: on the Citus coordinator, runs a refresh of employees (or takes their refresh or closing locks) on the workers holding them, a shard at a time in parallel, and returns how many days changed.';

REVOKE EXECUTE ON FUNCTION _att_refresh_on_workers(bigint[], daterange, bigint, boolean, text) FROM PUBLIC;

CREATE FUNCTION _att_shard_representatives() RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  shards integer;
  tried bigint := 0;
  reps bigint[];
BEGIN
  EXECUTE 'SELECT count(*) FROM pg_catalog.pg_dist_shard WHERE logicalrelid = $1'
     INTO shards USING '@extschema@.day_record'::regclass;
  LOOP
    tried := tried + 4096;
    SELECT array_agg(r.v ORDER BY r.v) INTO reps
      FROM (SELECT DISTINCT ON (s.shard) s.v
              FROM (SELECT x AS v, pg_catalog.get_shard_id_for_distribution_column('@extschema@.day_record', x) AS shard
                      FROM generate_series(1::bigint, tried) AS x) s
             ORDER BY s.shard, s.v) r;
    EXIT WHEN cardinality(reps) >= shards OR tried >= 1048576;
  END LOOP;
  RETURN reps;
END $$;

COMMENT ON FUNCTION _att_shard_representatives() IS 'Internal: an employee id that falls in each shard of day_record (for locks sent to every shard).';

CREATE FUNCTION _att_distribution() RETURNS TABLE (table_name name, spread text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT t, 'employee' FROM unnest(ARRAY['day_record', 'punch', 'punch_void', 'excuse', 'excuse_change', 'schedule',
    'correction', 'closing_cover', 'day_approval', 'timesheet', 'timesheet_event', 'approver', 'proxy', 'period_record',
    'refresh_job']::name[]) AS t
  UNION ALL
  SELECT t, 'everywhere' FROM unnest(ARRAY['employee', 'org', 'org_tree', 'membership', 'admin_grant', 'login_employee',
    'rule', 'rule_version', 'rule_org', 'rule_person', 'holiday', 'closing', 'closing_event', 'closing_exemption',
    'refresh_request', 'finalize_state']::name[]) AS t;
END;

COMMENT ON FUNCTION _att_distribution() IS 'Internal: how att_distribute spreads each table: by employee (distributed by employee_id, colocated with day_record) or everywhere (a reference table).';

CREATE FUNCTION att_distribute() RETURNS TABLE (table_name name, spread text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  t record;
  trg record;
  enabled jsonb;
  missing text;
BEGIN
  IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) THEN
    RAISE EXCEPTION 'att_distribute needs a superuser' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'att_distribute needs the citus extension in this database'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Preload citus on every node (shared_preload_libraries = ''citus''), CREATE EXTENSION citus, add the workers with citus_add_node, then call att_distribute().';
  END IF;
  IF @extschema@._att_distributed() THEN
    RAISE EXCEPTION 'the attendance tables are distributed already' USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- the reference tables' AFTER triggers run on the coordinator's copy
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node n WHERE n.groupid = 0 AND n.isactive) THEN
    RAISE EXCEPTION 'the coordinator is not in the Citus metadata'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Run SELECT citus_set_coordinator_host(''<host>'', <port>) on the coordinator first: reference tables need a copy there.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node n WHERE n.groupid <> 0 AND n.isactive AND n.shouldhaveshards) THEN
    RAISE EXCEPTION 'the Citus cluster has no worker to hold shards'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Add the workers with citus_add_node first.';
  END IF;
  SELECT string_agg(c.conrelid::regclass::text || ' -> ' || c.confrelid::regclass::text, ', ') INTO missing
    FROM pg_catalog.pg_constraint c
   WHERE c.contype = 'f' AND c.confrelid IN (SELECT x.oid FROM pg_catalog.pg_class x WHERE x.relnamespace = '@extschema@'::regnamespace)
     AND c.connamespace <> '@extschema@'::regnamespace;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'tables outside the extension reference its tables: %', missing
      USING ERRCODE = 'dependent_objects_still_exist',
            HINT = 'Drop those foreign keys, distribute, then re-create them from Citus tables (or make those tables Citus tables).';
  END IF;

  -- Triggers on distributed tables fire on the shards: the extension's are
  -- written for that (see the notes at the top of this file).
  PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
  -- A reference table referenced from a table that is not distributed yet
  -- would turn that table into a Citus local table, which cannot keep the
  -- extension's identity sequences: the tables are converted in order, and
  -- no table is converted on the side.
  PERFORM pg_catalog.set_config('citus.enable_local_reference_table_foreign_keys', 'off', true);
  -- Rows already loaded are copied into the shards as they are, like a
  -- restore: nothing is re-derived on the way. The shards get the tables'
  -- triggers in the state they are in, and Citus's copy of the rows reaches
  -- no session_replication_role: off while copying, then on everywhere.
  SELECT coalesce(jsonb_agg(jsonb_build_array(g.tgrelid::regclass::text, g.tgname)), '[]') INTO enabled
    FROM pg_catalog.pg_trigger g
   WHERE NOT g.tgisinternal AND g.tgenabled = 'O'
     AND g.tgrelid IN (SELECT format('@extschema@.%I', d.table_name)::regclass FROM @extschema@._att_distribution() d);
  FOR trg IN SELECT x ->> 0 AS rel, x ->> 1 AS name FROM jsonb_array_elements(enabled) x LOOP
    EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', trg.rel, trg.name);
  END LOOP;

  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'everywhere' LOOP
    PERFORM create_reference_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  PERFORM create_distributed_table('@extschema@.day_record', 'employee_id');
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'employee' AND d.table_name <> 'day_record' LOOP
    PERFORM create_distributed_table(format('@extschema@.%I', t.table_name)::regclass, 'employee_id',
                                     colocate_with => '@extschema@.day_record');
  END LOOP;
  -- The coordinator keeps the rows it had only as hidden local data.
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d ORDER BY d.spread, d.table_name LOOP
    PERFORM truncate_local_data_after_distributing_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  FOR trg IN SELECT x ->> 0 AS rel, x ->> 1 AS name FROM jsonb_array_elements(enabled) x LOOP
    EXECUTE format('ALTER TABLE %s ENABLE TRIGGER %I', trg.rel, trg.name);
  END LOOP;

  -- SET LOCAL of the extension's settings (attendance.acting_employee for a
  -- trusted application, attendance.reason, attendance.clock) must reach
  -- the workers, where the triggers read them.
  EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = local', current_database());
  RETURN QUERY SELECT d.table_name, d.spread FROM @extschema@._att_distribution() d ORDER BY d.spread, d.table_name;
END $$;

COMMENT ON FUNCTION att_distribute() IS
  'Turns this database into a Citus deployment (run once, on the coordinator, as a superuser, after CREATE EXTENSION citus, citus_set_coordinator_host and citus_add_node for each worker): the per-employee tables are distributed by employee_id and colocated with day_record, the tables every node needs (org tree, employees, memberships, grants, rules, holidays, closings) become reference tables, rows already loaded move into the shards as they are, and the database gets citus.propagate_set_commands = local so that SET LOCAL of the extension''s settings reaches the workers. Returns each table and how it is spread. 42501 without superuser, 0A000 without Citus, 55000 when already distributed or the cluster is not ready.';

REVOKE EXECUTE ON FUNCTION att_distribute() FROM PUBLIC;

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

CREATE OR REPLACE FUNCTION is_approver(actor bigint, employee bigint, day date) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT AS $$
#variable_conflict use_variable
DECLARE
  setters bigint[];
BEGIN
  SELECT array_agg(a.set_by) INTO setters FROM @extschema@.approver a
   WHERE a.employee_id = employee AND a.approver_id = actor AND a.period @> day;
  RETURN EXISTS (SELECT 1 FROM unnest(setters) AS s(set_by)
                  WHERE @extschema@.att_has_permission(s.set_by, employee, day, 'set_approver', day));
END $$;

CREATE OR REPLACE FUNCTION timesheet_step(employee bigint, day date, action text, reason text DEFAULT NULL) RETURNS daterange
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
  org bigint;
  p daterange;
  current_state @extschema@.timesheet_state;
  allowed boolean;
  setters bigint[];
  -- a variable, not now() in the upsert: Citus takes no function in an
  -- upsert's SET on a distributed table
  at_now timestamptz := now();
BEGIN
  -- Who asks is decided before anything about the employee is read, and
  -- every refusal is the same: no answer tells employment dates or states.
  IF action = 'submit' THEN
    -- the setters read first and judged after (see is_approver)
    SELECT array_agg(x.set_by) INTO setters FROM @extschema@.proxy x
     WHERE x.employee_id = employee AND x.proxy_id = actor AND x.period @> @extschema@.att_today();
    allowed := actor = employee
               OR EXISTS (SELECT 1 FROM unnest(setters) AS x(set_by)
                           WHERE @extschema@.att_has_permission(x.set_by, employee, day, 'set_proxy', day) IS TRUE);
  ELSE
    allowed := actor <> employee
               AND (@extschema@.is_approver(actor, employee, day) IS TRUE
                    OR @extschema@.att_has_permission(actor, employee, day, CASE action WHEN 'approve' THEN 'daily_approval' ELSE 'send_back' END::@extschema@.permission, @extschema@.att_today()) IS TRUE);
  END IF;
  IF allowed IS NOT TRUE THEN
    PERFORM @extschema@.refuse(format('employee %s may not %s the timesheet of employee %s', actor, replace(action, '_', ' '), employee));
  END IF;
  SELECT m.org_id INTO org FROM @extschema@.membership m
   WHERE m.employee_id = employee AND m.period @> day ORDER BY m.kind LIMIT 1;
  IF org IS NULL THEN
    RAISE EXCEPTION 'employee % has no membership on %', employee, day USING ERRCODE = 'no_data_found';
  END IF;
  p := @extschema@.att_closing_period(org, day);
  SELECT t.state INTO current_state FROM @extschema@.timesheet t WHERE t.employee_id = employee AND t.period = p;
  IF action = 'submit' AND current_state IN ('submitted', 'approved') THEN
    RAISE EXCEPTION 'the timesheet % of employee % is already %', p, employee, current_state USING ERRCODE = 'object_not_in_prerequisite_state';
  ELSIF action <> 'submit' AND current_state IS DISTINCT FROM 'submitted' THEN
    RAISE EXCEPTION 'the timesheet % of employee % is not submitted', p, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  INSERT INTO @extschema@.timesheet AS t (employee_id, period, state)
  VALUES (employee, p, CASE action WHEN 'submit' THEN 'submitted' WHEN 'approve' THEN 'approved' ELSE 'sent_back' END::@extschema@.timesheet_state)
  ON CONFLICT (employee_id, period) DO UPDATE SET state = excluded.state, changed_at = at_now;
  INSERT INTO @extschema@.timesheet_event (employee_id, period, action, actor, reason) VALUES (employee, p, action, actor, reason);
  RETURN p;
END $$;

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
  members bigint[];
BEGIN
  IF unapproved IS NULL OR unapproved NOT IN ('report', 'skip') THEN
    RAISE EXCEPTION 'unapproved must be report or skip, got %', unapproved USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- no refresh may withdraw an approval between this check and the closing
  PERFORM @extschema@._att_lock_closing();
  IF @extschema@._att_distributed() THEN
    -- On Citus the same in steps: the members first, then their timesheets
    -- and unapproved days each in one query routed to their shards (Citus
    -- plans no per-member subquery over a distributed table).
    members := ARRAY(SELECT DISTINCT m.employee_id FROM @extschema@.membership m
                       JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && (m.period * p)
                      WHERE t.path @> ARRAY[org] AND m.period && p ORDER BY 1);
    WITH sheets AS MATERIALIZED (
      SELECT t.employee_id, t.state FROM @extschema@.timesheet t WHERE t.employee_id = ANY (members) AND t.period = p
    ), open_days AS MATERIALIZED (
      SELECT d.employee_id, count(*) AS days FROM @extschema@.day_record d
       WHERE d.employee_id = ANY (members) AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')
         AND NOT EXISTS (SELECT 1 FROM @extschema@.day_approval a
                          WHERE a.employee_id = d.employee_id AND a.day = d.day AND a.withdrawn_at IS NULL)
       GROUP BY d.employee_id
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('employee_id', b.employee_id, 'problem', b.problem) ORDER BY b.employee_id), '[]')
      INTO blockers
      FROM (SELECT m.id AS employee_id,
                   concat_ws('; ',
                     CASE WHEN t.state IS DISTINCT FROM 'approved' THEN 'timesheet ' || coalesce(t.state::text, 'not submitted') END,
                     CASE WHEN u.days > 0 THEN u.days || ' workday(s) not approved' END) AS problem
              FROM unnest(members) AS m(id)
              LEFT JOIN sheets t ON t.employee_id = m.id
              LEFT JOIN open_days u ON u.employee_id = m.id
             WHERE t.state IS DISTINCT FROM 'approved' OR u.days > 0) b;
  ELSE
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
  END IF;
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

CREATE OR REPLACE FUNCTION rule_owner_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint;
  today date;
  entry record;
  owner bigint;
  -- on Citus these are reference tables: the trigger fires on every node's
  -- copy (rule_102010), and the coordinator's judges the change
  tab name := CASE WHEN TG_TABLE_NAME IN ('rule', 'rule_version', 'rule_person', 'rule_org') THEN TG_TABLE_NAME
                   ELSE @extschema@._att_table_of(TG_TABLE_NAME) END;
BEGIN
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
     OR (tab <> TG_TABLE_NAME AND @extschema@._att_copy_elsewhere(TG_TABLE_NAME, tab)) THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  -- The ERP's sync role assigns rules as the ERP does (SPEC.md E), and
  -- writes the rules that mirror the ERP's calendars (erp_managed), no other.
  IF @extschema@.att_is_sync() THEN
    IF tab IN ('rule_person', 'rule_org')
       OR NOT EXISTS (
         SELECT 1 FROM (SELECT to_jsonb(OLD) AS row WHERE TG_OP <> 'INSERT' UNION ALL SELECT to_jsonb(NEW) WHERE TG_OP <> 'DELETE') x
          WHERE CASE tab
                  WHEN 'rule' THEN (x.row ->> 'erp_managed')::boolean IS NOT TRUE OR x.row ->> 'owner_org' IS NOT NULL
                  ELSE NOT EXISTS (SELECT 1 FROM @extschema@.rule ru WHERE ru.rule_id = (x.row ->> 'rule_id')::bigint AND ru.erp_managed)
                END) THEN
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    PERFORM @extschema@.refuse('the sync role changes only the rules that mirror the ERP''s calendars (erp_managed)');
  END IF;
  actor := @extschema@.att_current_employee();
  today := @extschema@.att_today();
  FOR entry IN SELECT * FROM (SELECT 'old' AS side, to_jsonb(OLD) AS row WHERE TG_OP <> 'INSERT'
                          UNION ALL SELECT 'new', to_jsonb(NEW) WHERE TG_OP <> 'DELETE') x LOOP
    IF tab = 'rule' THEN
      owner := (entry.row ->> 'owner_org')::bigint;
    ELSE
      SELECT ru.owner_org INTO owner FROM @extschema@.rule ru WHERE ru.rule_id = (entry.row ->> 'rule_id')::bigint;
    END IF;
    IF owner IS NULL OR actor IS NULL OR @extschema@.att_manages_org(actor, owner, today) IS NOT TRUE
       OR (tab = 'rule_org' AND @extschema@.att_manages_org(actor, (entry.row ->> 'org_id')::bigint, today) IS NOT TRUE)
       OR (tab = 'rule_person' AND NOT @extschema@.full_over(actor, (entry.row ->> 'employee_id')::bigint,
                                                   coalesce((entry.row ->> 'validity')::daterange, daterange(today, NULL)))) THEN
      PERFORM @extschema@.refuse(format('rule %s: only admins whose scope covers its owning org, and the people and orgs it is given to, may change or assign it',
                                        coalesce(entry.row ->> 'rule_id', '(new)')));
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE FUNCTION _att_day_approvals() RETURNS TABLE (employee_id bigint, day date, approved_by bigint, approved_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000
BEGIN ATOMIC
  -- the spans read first, once (materialized): on Citus a query over a
  -- distributed table cannot call a function as a table on the shards
  WITH v AS MATERIALIZED (SELECT s.employee_id, s.days FROM @extschema@._att_visible_spans() s)
  SELECT a.employee_id, a.day, a.approved_by, a.approved_at
    FROM @extschema@.day_approval a
   WHERE a.withdrawn_at IS NULL
     AND ((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
          OR (a.employee_id, a.day) IN (SELECT v.employee_id, d.day
                                          FROM v
                                          JOIN @extschema@.day_approval d ON d.employee_id = v.employee_id AND v.days @> d.day));
END;

COMMENT ON FUNCTION _att_day_approvals() IS 'Internal: the standing day approvals of the days the asking login may see.';

CREATE FUNCTION _att_timesheets() RETURNS TABLE (employee_id bigint, period daterange, state text, changed_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000
BEGIN ATOMIC
  -- the spans read first, once (see _att_day_approvals)
  WITH v AS MATERIALIZED (SELECT s.employee_id, s.days FROM @extschema@._att_visible_spans() s)
  SELECT t.employee_id, t.period, t.state::text, t.changed_at
    FROM @extschema@.timesheet t
   WHERE (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
      OR EXISTS (SELECT 1 FROM v WHERE v.employee_id = t.employee_id AND v.days && t.period);
END;

COMMENT ON FUNCTION _att_timesheets() IS 'Internal: the timesheet states of the periods the asking login may see a day of.';

CREATE VIEW att_approvals WITH (security_invoker = true, security_barrier = true) AS
SELECT d.employee_id, min(d.employee_name) AS employee_name, d.period_start, max(d.period_end) AS period_end,
       (array_agg(d.department ORDER BY d.day DESC))[1] AS department,
       count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday')) AS workdays,
       count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday') AND a.day IS NOT NULL) AS approved_workdays,
       count(*) FILTER (WHERE d.day_kind IN ('workday', 'make_up_workday') AND a.day IS NULL AND d.status <> 'pending') AS unapproved_workdays,
       max(a.approved_at) AS last_approved_at,
       coalesce(min(t.state), 'not_submitted') AS timesheet_state,
       max(t.changed_at) AS timesheet_changed_at
  FROM @extschema@.att_daily d
  LEFT JOIN @extschema@._att_day_approvals() a ON a.employee_id = d.employee_id AND a.day = d.day
  LEFT JOIN @extschema@._att_timesheets() t ON t.employee_id = d.employee_id AND t.period @> d.day
 WHERE d.period_start IS NOT NULL
 GROUP BY d.employee_id, d.period_start;

COMMENT ON VIEW att_approvals IS 'What is left to approve (日次承認, 勤務表): per employee and closing period, workdays approved and not, and the timesheet''s state.';

COMMENT ON COLUMN att_approvals.employee_id IS 'The employee.';

COMMENT ON COLUMN att_approvals.employee_name IS 'The employee''s display name.';

COMMENT ON COLUMN att_approvals.period_start IS 'First day of the closing period.';

COMMENT ON COLUMN att_approvals.period_end IS 'Last day of the closing period.';

COMMENT ON COLUMN att_approvals.department IS 'The department on the last stored day of the period.';

COMMENT ON COLUMN att_approvals.workdays IS 'Stored workdays and make-up workdays of the period.';

COMMENT ON COLUMN att_approvals.approved_workdays IS 'Workdays with a standing daily approval (a later change to the day withdraws it).';

COMMENT ON COLUMN att_approvals.unapproved_workdays IS 'Workdays that are over and not approved: what closing with unapproved => report lists.';

COMMENT ON COLUMN att_approvals.last_approved_at IS 'When the latest standing approval of the period was given.';

COMMENT ON COLUMN att_approvals.timesheet_state IS 'not_submitted, submitted, approved or sent_back.';

COMMENT ON COLUMN att_approvals.timesheet_changed_at IS 'When the timesheet''s state last changed.';

-- CHANGED type day_result: write the ALTER by hand

-- == The tree so far had no history: every org held its place on every day.
INSERT INTO @extschema@.org_tree (org_id, period, parent_id, path)
SELECT o.org_id, daterange(NULL, NULL), o.parent_id, o.path FROM @extschema@.org o;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.org_tree', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.excuse_change', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.excuse_change_change_id_seq', '');

-- == The period summary reads the stored closing period now.
DROP FUNCTION @extschema@._att_primary_periods();

-- == The days stored so far learn their new columns: from a fresh evaluation
--    wherever it agrees with every stored figure (so no figure of any day,
--    closed or not, changes), and otherwise (a frozen day whose inputs
--    changed since) their department, company and period from the
--    memberships and the tree of that day.
WITH span AS (
  SELECT employee_id, min(day) AS first, max(day) AS last FROM @extschema@.day_record GROUP BY employee_id
), fresh AS (
  SELECT f.* FROM span s CROSS JOIN LATERAL @extschema@.att_evaluate(s.employee_id, daterange(s.first, s.last, '[]')) f
)
UPDATE @extschema@.day_record d
   SET org_id = f.org_id, company_id = f.company_id, period_start = f.period_start, time_zone = f.time_zone,
       scheduled_start = f.scheduled_start, scheduled_end = f.scheduled_end, leave_type = f.leave_type,
       trip_minutes = f.trip_minutes, outing_minutes = f.outing_minutes, appeal_minutes = f.appeal_minutes,
       check_in_place = f.check_in_place, check_out_place = f.check_out_place
  FROM fresh f
 WHERE f.employee_id = d.employee_id AND f.day = d.day
   AND (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
        d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
        d.outside_punches, d.leave_minutes, d.reasons)
       IS NOT DISTINCT FROM
       (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
        f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
        f.outside_punches, f.leave_minutes, f.reasons);
UPDATE @extschema@.day_record d
   SET org_id = p.org_id, company_id = p.path[1],
       period_start = lower(@extschema@.att_closing_period_for(d.day, c.closing_day))
  FROM @extschema@.membership m
  JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && m.period
  CROSS JOIN LATERAL (SELECT t.org_id, t.path) p
  JOIN @extschema@.org c ON c.org_id = p.path[1]
 WHERE d.org_id IS NULL AND m.employee_id = d.employee_id AND m.kind = 'primary'
   AND m.period @> d.day AND t.period @> d.day;

-- == Each period's sums, from its stored days (the updates above kept them
--    through the trigger already; this makes sure of every period).
DELETE FROM @extschema@.period_record;
INSERT INTO @extschema@.period_record
SELECT f.* FROM (SELECT array_agg(employee_id) AS e, array_agg(period_start) AS p
                   FROM (SELECT DISTINCT employee_id, period_start FROM @extschema@.day_record
                          WHERE period_start IS NOT NULL) x) k
 CROSS JOIN LATERAL @extschema@._att_period_rows(k.e, k.p) f;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.period_record', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.refresh_job', '');

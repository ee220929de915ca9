-- Upgrade from 0.14.0 (frozen in attendance--0.14.0.sql) to 0.15.0 (issue
-- 15): on Citus 13.2 a new root org (a company added after att_distribute)
-- got no place in org_tree, so its members had no calendar, closing period
-- or scope. org_tree_add gathers the places first and writes them from an
-- array, as org_move does. And a holiday's queued refresh reaches the next
-- workday, up to 33 days on, once a rule has leave-late-arrive-late
-- (request_changed_inputs). Drafted with scripts/upgrade-draft.py from
-- the two install scripts; tests/upgrade checks that an upgraded database
-- has exactly the objects of a fresh one. (Roots added on Citus before
-- this upgrade keep their missing place: see README, "Upgrading".)

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
    -- the day, a night shift's next one, and the next workday, which
    -- leave-late-arrive-late judges by this day's departure: past a run of
    -- holidays and rest days, up to 31 days on when a rule has it (since
    -- 0.15.0; a bridging day added before a holiday week left the workday
    -- after the week as it was)
    WHEN 'holiday' THEN
      format('SELECT NULL::bigint, x.company_id, daterange(x.day - 2, x.day + %s) FROM %%s x',
             CASE WHEN EXISTS (SELECT 1 FROM @extschema@.rule_version v
                                WHERE jsonb_typeof(v.config #> '{flex,leave_late_arrive_late}') = 'object')
                  THEN 34 ELSE 9 END)
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



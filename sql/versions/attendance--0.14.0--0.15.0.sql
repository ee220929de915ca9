-- Upgrade from 0.14.0 (frozen in attendance--0.14.0.sql) to 0.15.0 (issue
-- 15). On Citus 13.2 a new root org (a company added after att_distribute)
-- got no place in org_tree, so its members had no calendar, closing period
-- or scope; and a COPY or an INSERT ... SELECT into org, membership,
-- rule_person, rule_org, rule_version or holiday failed, their triggers
-- writing other reference tables while Citus still wrote the table's
-- copies. org_tree_add gathers the places first (_att_org_places) and, as
-- request_changed_inputs, leaves on Citus what it writes elsewhere in
-- _att_deferred, written at commit (a COPY's by att_finalize). And a
-- holiday's queued refresh reaches the next workday, up to 33 days on, once
-- a rule has leave-late-arrive-late. Drafted with scripts/upgrade-draft.py
-- from the two install scripts; tests/upgrade checks that an upgraded
-- database has exactly the objects of a fresh one. (Roots added on Citus
-- before this upgrade keep their missing place: see README, "Upgrading".)

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

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

CREATE OR REPLACE FUNCTION org_tree_add() RETURNS trigger
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
  IF e IS NOT NULL AND tab <> TG_TABLE_NAME THEN
    -- On Citus recorded at commit (_att_deferred, citus.sql): a COPY or an
    -- INSERT ... SELECT is still writing the workers' copies now.
    INSERT INTO @extschema@._att_deferred (employees, orgs, spans) VALUES (e, o, d);
  ELSIF e IS NOT NULL THEN
    PERFORM @extschema@._att_request(e, o, d);
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION request_changed_inputs() IS 'Internal trigger: records the employee-days a change to an input reaches and refreshes small changes at once (on Citus at commit).';

CREATE OR REPLACE FUNCTION att_finalize() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today date := @extschema@.att_today();
  since date;
  everyone bigint[];
  stale record;
  first_pending date;
  changed integer := 0;
BEGIN
  -- on Citus, what a COPY into the tables every node holds left for now
  -- (citus.sql, _att_deferred): new orgs' places first, then their reach
  PERFORM @extschema@._att_deferred_flush(NULL);
  SELECT s.through + 1 INTO since FROM @extschema@.finalize_state s;
  since := coalesce(since, today - 31);
  IF since <= today THEN
    -- employees who can have days: employed then, or named in a rule
    SELECT array_agg(x.employee_id ORDER BY x.employee_id) INTO everyone FROM (
      SELECT m.employee_id FROM @extschema@.membership m WHERE m.kind = 'primary' AND m.period && daterange(since, today, '[]')
      UNION SELECT p.employee_id FROM @extschema@.rule_person p) x;
    changed := changed + coalesce(@extschema@._att_refresh(everyone, daterange(since, today, '[]'), NULL, false), 0);
  END IF;
  -- days still pending from before: night shifts, days stored ahead by a
  -- punch. The earliest is read first, from the end of the partial index:
  -- days stored ahead keep a company's pending rows many, and a plan for
  -- "pending before since" alone would read them all, or the whole table.
  SELECT min(d.day) INTO first_pending FROM @extschema@.day_record d WHERE d.status = 'pending';
  IF first_pending < since THEN
    SELECT array_agg(DISTINCT d.employee_id ORDER BY d.employee_id) AS employees, min(d.day) AS first
      INTO stale FROM @extschema@.day_record d
     WHERE d.status = 'pending' AND d.day >= first_pending AND d.day < since;
    IF stale.employees IS NOT NULL THEN
      changed := changed + @extschema@._att_refresh(stale.employees, daterange(stale.first, since), NULL, false);
    END IF;
  END IF;
  changed := changed + @extschema@._att_drain_requests(NULL);
  INSERT INTO @extschema@.finalize_state AS s (through, ran_at) VALUES (greatest(today, since - 1), @extschema@.att_now())
  ON CONFLICT (singleton) DO UPDATE SET through = excluded.through, ran_at = excluded.ran_at;
  RETURN changed;
END $$;

CREATE TABLE _att_deferred (
  deferred_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id       bigint,
  parent_id    bigint,
  parent_since date,
  employees    bigint[],
  orgs         bigint[],
  spans        daterange[],
  CONSTRAINT _att_deferred_one_kind CHECK ((org_id IS NULL) <> (spans IS NULL))
);

COMMENT ON TABLE _att_deferred IS 'Internal: on Citus, a new org''s place in the tree (org_id, parent_id, parent_since) or a change''s reach (employees, orgs, spans, as _att_request takes them), written at commit by _att_deferred_write. Local to each node, never distributed.';

REVOKE ALL ON _att_deferred FROM PUBLIC;

CREATE FUNCTION _att_deferred_flush(only_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  d record;
BEGIN
  FOR d IN SELECT * FROM @extschema@._att_deferred x WHERE only_id IS NULL OR x.deferred_id = only_id ORDER BY x.deferred_id LOOP
    DELETE FROM @extschema@._att_deferred x WHERE x.deferred_id = d.deferred_id;
    CONTINUE WHEN NOT FOUND;
    IF only_id IS NULL THEN
      BEGIN
        PERFORM @extschema@._att_deferred_apply(d.org_id, d.parent_id, d.parent_since, d.employees, d.orgs, d.spans);
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'attendance: a deferred change (note %) was not written: %', d.deferred_id, SQLERRM;
      END;
    ELSE
      PERFORM @extschema@._att_deferred_apply(d.org_id, d.parent_id, d.parent_since, d.employees, d.orgs, d.spans);
    END IF;
  END LOOP;
END $$;

COMMENT ON FUNCTION _att_deferred_flush(bigint) IS 'Internal: writes what _att_deferred noted, the one note given or all of them in order, and removes it; with all of them (att_finalize), a note that fails is dropped with a warning.';

REVOKE EXECUTE ON FUNCTION _att_deferred_flush(bigint) FROM PUBLIC;

CREATE FUNCTION _att_deferred_apply(org bigint, parent bigint, parent_since date, employees bigint[], orgs bigint[], spans daterange[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  fresh @extschema@.org_tree[];
BEGIN
  IF org IS NULL THEN
    PERFORM @extschema@._att_request(employees, orgs, spans);
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.org o WHERE o.org_id = org) THEN
    RETURN;
  END IF;
  -- gathered first and written from an array (see org_tree_add)
  fresh := ARRAY(
    SELECT ROW(f.org_id, piece, f.parent_id, f.path)::@extschema@.org_tree
      FROM unnest(@extschema@._att_org_places(org, parent, parent_since)) f
     CROSS JOIN LATERAL unnest(datemultirange(f.period)
                               - coalesce((SELECT range_agg(t.period) FROM @extschema@.org_tree t WHERE t.org_id = org),
                                          '{}'::datemultirange)) AS piece);
  INSERT INTO @extschema@.org_tree SELECT * FROM unnest(fresh);
END $$;

COMMENT ON FUNCTION _att_deferred_apply(bigint, bigint, date, bigint[], bigint[], daterange[]) IS 'Internal: writes one note of _att_deferred: a new org''s places not covered yet (none once the org is gone), or a change''s reach into refresh_request.';

REVOKE EXECUTE ON FUNCTION _att_deferred_apply(bigint, bigint, date, bigint[], bigint[], daterange[]) FROM PUBLIC;

CREATE FUNCTION _att_deferred_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF current_setting('application_name', true) LIKE 'citus\_internal%'
     OR EXISTS (SELECT 1 FROM @extschema@._att_deferred x WHERE x.deferred_id < NEW.deferred_id) THEN
    RETURN NULL;
  END IF;
  PERFORM @extschema@._att_deferred_flush(NEW.deferred_id);
  RETURN NULL;
END $$;

COMMENT ON FUNCTION _att_deferred_write() IS 'Internal trigger: at commit, writes a note of _att_deferred (see _att_deferred_flush) unless an older one waits; a COPY''s notes, taken on a connection of Citus''s own, and those behind them wait for att_finalize.';

REVOKE EXECUTE ON FUNCTION _att_deferred_write() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER _att_deferred_write AFTER INSERT ON _att_deferred
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION _att_deferred_write();

-- pg_dump keeps the new table as the extension's data, as every other
SELECT pg_catalog.pg_extension_config_dump('@extschema@._att_deferred', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@._att_deferred_deferred_id_seq', '');

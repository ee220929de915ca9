-- Scale-out on Citus (issue 16): att_distribute() turns a database with the
-- extension into a Citus deployment, and the helpers below let every entry
-- point work the same on one node and on a cluster.
--
-- Where things run on a cluster. Citus fires a table's triggers on its
-- shards: for a distributed table on the worker that holds the shard, for a
-- reference table on every node's copy (the coordinator's last: Citus
-- writes the workers' copies first). So:
-- - the per-employee tables are distributed by employee_id in one
--   colocation group: every row of an employee, and the employee's
--   day_record, lives on one worker, and the triggers of punch, punch_void,
--   excuse and schedule refresh the employee's days there, reading the
--   reference tables from that worker's own copy;
-- - everything the scope of an admin needs (org, org_tree, employee,
--   membership, admin_grant, login_employee) and everything a rule needs
--   (rule, rule_version, rule_org, rule_person, holiday) is a reference
--   table, on every node: the row-level policies of day_record run on the
--   workers and need an admin's whole scope there;
-- - a refresh asked for on the coordinator (att_refresh, att_refresh_org,
--   att_finalize, closing, the queued input changes) is sent to the
--   workers as rows of refresh_job, one per shard, whose trigger refreshes
--   that shard's employees next to their rows, all shards at once, inside
--   the caller's transaction;
-- - the AFTER triggers of the reference tables (the org tree, the queue of
--   input changes) and the checks of rule_owner_check run on the
--   coordinator's copy only; what those triggers write is noted and
--   written through Citus to every copy at commit (_att_deferred below); a
--   BEFORE trigger that computes the row (org_place) runs on every copy,
--   each reading its own node's copies;
-- - an evaluation asked for on the coordinator (att_evaluate_all,
--   att_evaluate over employees) is one query over shard_anchor that Citus
--   runs in every shard at once, each shard evaluating its own employees;
-- - what else only reads (att_evaluate_day, the scope functions, the
--   workflow's checks) runs on the coordinator and reads the shards through
--   Citus.

-- Whether this database's tables are distributed with Citus (att_distribute
-- ran), and whether this node is where clients connect: the Citus
-- coordinator of a distributed database, whose refreshes are sent to the
-- workers. Asked several times per punch and refresh, so in the library
-- (src/citus.rs): without Citus one catalog lookup and no query.
CREATE FUNCTION _att_distributed() RETURNS boolean
LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'att_distributed';
COMMENT ON FUNCTION _att_distributed() IS 'Internal: whether the extension''s tables are distributed with Citus in this database (att_distribute).';

CREATE FUNCTION _att_on_coordinator() RETURNS boolean
LANGUAGE c STABLE AS 'MODULE_PATHNAME', 'att_on_coordinator';
COMMENT ON FUNCTION _att_on_coordinator() IS 'Internal: whether this node is the Citus coordinator of a distributed database (refreshes asked for here run on the workers).';

-- The table a trigger fired for, from the name it fired on (TG_TABLE_NAME).
-- On a Citus node a trigger fires on a shard or on a node's copy of a
-- reference table, named after its table with the shard's id
-- (punch_102025); Citus's shard catalog says which table it is. (Citus
-- hides shards from pg_class: the name comes from the trigger.)
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

-- Whether a trigger fired on a Citus worker's copy of a reference table
-- (fired_on is not the table's own name, and this is not the coordinator):
-- there the AFTER triggers leave the work to the coordinator's copy, which
-- writes every copy in one transaction; doing it on every copy would do it
-- once per node.
CREATE FUNCTION _att_copy_elsewhere(fired_on name, tab name) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN fired_on <> tab AND NOT @extschema@._att_on_coordinator();
END $$;
COMMENT ON FUNCTION _att_copy_elsewhere(name, name) IS 'Internal: whether a trigger fired on a Citus worker''s copy of a reference table (its AFTER work is done once, on the coordinator''s copy).';

-- Sets one of the extension's settings for the rest of the caller (the
-- caller's SET clause ends it) and returns what it was. A SET LOCAL, not
-- set_config(): on Citus the triggers that read these settings run on the
-- workers, which Citus reaches with SET LOCAL only. No SET clause here, or
-- the setting would end with this function.
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

-- Refreshes asked for on the coordinator run on the workers: one row per
-- shard is written here, holding that shard's employees, routed by Citus
-- to the worker holding the shard, where the trigger below refreshes them
-- next to their rows and notes how many days changed; the caller reads the
-- counts and removes the rows. Citus writes the rows of one statement to
-- all shards at once, so the workers refresh in parallel, each shard in its
-- own backend. Nothing stays in the table after the call that wrote it.
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
COMMENT ON COLUMN refresh_job.task IS 'refresh: the employees'' days; lock: their refresh locks (an approval reads the day next), and with days (not empty) their refresh with own empty, judging no closed day as the caller''s (_att_refresh: a closing''s, its report''s, a reopening''s, or a trigger''s on a coordinator that holds shards, whose statement changes no closed day); close: the closing lock of their shard (see _att_lock_on_shards), and with a period (days not empty) what their days of it not over yet will become, kept before the closing closes them (_att_keep_open_pending).';
COMMENT ON COLUMN refresh_job.refuse_closed IS 'Refuse a change to a closed day the actor may not correct (the strict of att_refresh), rather than skip it.';
COMMENT ON COLUMN refresh_job.changed IS 'How many days the refresh changed.';

-- The shard of a distributed table that holds all these employees, when it
-- is placed on this node (a Citus worker): a refresh running on the worker
-- writes its days there directly, as Citus itself would, without Citus
-- planning the write again (an INSERT ... SELECT from a function is not
-- pushed down: its rows would go through intermediate results and a query
-- deparsed per shard). NULL anywhere else: on one node, on the coordinator,
-- for employees of several shards, or for a shard whose active placement is
-- elsewhere (a moved shard's old table stays behind until Citus cleans up).
CREATE FUNCTION _att_local_shard(tab regclass, employees bigint[]) RETURNS regclass
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  shards bigint[];
  local boolean;
BEGIN
  IF NOT @extschema@._att_distributed() OR @extschema@._att_on_coordinator() OR coalesce(cardinality(employees), 0) = 0 THEN
    RETURN NULL;
  END IF;
  -- dynamic: these catalogs and functions exist only with Citus
  EXECUTE 'SELECT array_agg(DISTINCT pg_catalog.get_shard_id_for_distribution_column($1, e)) FROM unnest($2) AS e'
     INTO shards USING tab, employees;
  IF cardinality(shards) <> 1 THEN
    RETURN NULL;
  END IF;
  EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_placement p
                           WHERE p.shardid = $1 AND p.groupid = (SELECT g.groupid FROM pg_catalog.pg_dist_local_group g))'
     INTO local USING shards[1];
  IF NOT local THEN
    RETURN NULL;
  END IF;
  RETURN to_regclass(pg_catalog.shard_name(tab, shards[1]));
END $$;
COMMENT ON FUNCTION _att_local_shard(regclass, bigint[]) IS 'Internal: on a Citus worker, the local shard of a distributed table holding all the given employees (NULL elsewhere).';

-- Refresh locks on a Citus worker. A statement of the coordinator runs on a
-- worker in several backends at once, one per shard, all in the same
-- distributed transaction, which would wait for each other's row and table
-- locks; Citus sends everything a transaction does to one shard through one
-- backend. So the locks are advisory and keyed by the employee's shard: a
-- closing holds each shard's key (its id and -1) exclusively, a refresh
-- shares it, and an employee's refreshes and approvals serialise on its
-- shard and one of 64 buckets of the employee's hash. (Single node:
-- _att_lock_refreshes.)
CREATE FUNCTION _att_lock_on_shards(employees bigint[], closing boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM CASE WHEN closing THEN pg_catalog.pg_advisory_xact_lock(k.shard, -1)
               ELSE pg_catalog.pg_advisory_xact_lock_shared(k.shard, -1) END
     FROM (SELECT DISTINCT pg_catalog.get_shard_id_for_distribution_column('@extschema@.day_record', e)::integer AS shard
             FROM unnest(employees) AS e) k
    ORDER BY k.shard;
  IF NOT closing THEN
    -- 64 buckets a shard, not a lock per employee: a company-wide refresh
    -- would hold tens of thousands of locks and exhaust the lock table
    PERFORM pg_catalog.pg_advisory_xact_lock(k.shard, k.h)
       FROM (SELECT DISTINCT pg_catalog.get_shard_id_for_distribution_column('@extschema@.day_record', e)::integer AS shard,
                    pg_catalog.hashint8(e) & 63 AS h
               FROM unnest(employees) AS e) k
      ORDER BY k.shard, k.h;
  END IF;
END $$;
COMMENT ON FUNCTION _att_lock_on_shards(bigint[], boolean) IS 'Internal: on a Citus worker, the refresh locks of employees (or, closing, the closing lock of their shards), advisory and keyed by shard.';
REVOKE EXECUTE ON FUNCTION _att_lock_on_shards(bigint[], boolean) FROM PUBLIC;

-- Not a definer function: only the extension's definer functions write
-- refresh_job, so Citus reaches the workers as the extension's owner.
-- Before the row is written, so that the row carries the count back.
CREATE FUNCTION _att_run_job() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.task = 'close' THEN
    PERFORM @extschema@._att_lock_on_shards(NEW.employees, true);
    -- a closing's job with its period: its days not over yet are kept
    -- (_att_keep_open_pending), here next to their rows
    IF NOT isempty(NEW.days) THEN
      NEW.changed := @extschema@._att_keep_open_pending(NEW.employees, NEW.days);
    END IF;
  ELSIF NEW.task = 'lock' THEN
    PERFORM @extschema@._att_lock_employees(NEW.employees);
    -- a lock job with days: their refresh, correcting no closed day (a
    -- closing's, its report's or a reopening's: _att_refresh, own empty)
    IF NOT isempty(NEW.days) THEN
      NEW.changed := @extschema@._att_refresh(NEW.employees, NEW.days, NEW.actor, NEW.refuse_closed, '{}'::date[]);
    END IF;
  ELSE
    NEW.changed := @extschema@._att_refresh(NEW.employees, NEW.days, NEW.actor, NEW.refuse_closed);
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION _att_run_job() IS 'Internal trigger: runs a refresh or takes the locks sent to this shard (refresh_job), next to the employees'' rows.';
REVOKE EXECUTE ON FUNCTION _att_run_job() FROM PUBLIC;
CREATE TRIGGER run_job BEFORE INSERT ON refresh_job
  FOR EACH ROW EXECUTE FUNCTION _att_run_job();

-- The coordinator's side: the employees grouped by shard, one row each,
-- written in one multi-row INSERT (Citus runs its shards' inserts in
-- parallel; an INSERT ... SELECT would pass through the coordinator and end
-- the shards' writes one after another), then read back and removed. The
-- coordinator's own refresh gate orders what it sends (a closing holds it
-- exclusively), so that a closing and a refresh sent from here never wait
-- for each other shard by shard.
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
    PERFORM @extschema@._att_lock_refreshes(NULL, false);
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

-- What the triggers of the reference tables write to other reference
-- tables, on Citus written at commit. Citus fires the trigger of the
-- coordinator's copy of a table while a COPY or an INSERT ... SELECT into
-- it is still writing the workers' copies, over connections that no other
-- statement may use until it ends ("modifications were made over a
-- connection that cannot be used at this time"; before 0.15.0 such loads
-- failed). So the coordinator's copy notes here, in a table of its own, a
-- new org's place (org_tree_add) or a change's reach
-- (request_changed_inputs), and a deferred trigger writes it when the
-- transaction commits, in the order noted: parents before children as they
-- were inserted, an org before the memberships in it (a COPY's at the next
-- att_finalize). Until then the tree lacks the new orgs and the days are
-- not refreshed. Empty without Citus.
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

-- Writes what was noted, in order (all of it, or one note), each note once
-- however many runs meet it. A new org gets the places of its note that
-- no place covers yet (a move in the same transaction wrote its later
-- days), and none once deleted. A note that cannot be written is dropped
-- with a warning by att_finalize, so that it cannot hold up every later run.
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

-- At commit, each note in turn, while no older note waits: a COPY's rows
-- reach the coordinator's copy through a connection of Citus's own
-- (application_name citus_internal ...), where no distributed statement
-- may run, and its notes wait for att_finalize; later notes wait behind
-- them (a department after the company a COPY brought, memberships after
-- their org).
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

-- Evaluation on the workers (_att_evaluate_on_workers, evaluate.sql): a
-- query over shard_anchor, which holds one row in each shard, is sent by
-- Citus to every shard at once, and calls _att_evaluate_shard there for the
-- employees of that shard.
CREATE TABLE shard_anchor (employee_id bigint PRIMARY KEY);
COMMENT ON TABLE shard_anchor IS 'Internal: one employee id in each shard of the per-employee tables (not necessarily an employee), written by att_distribute: a query over it runs once in every shard (evaluation on the workers). Empty without Citus.';
COMMENT ON COLUMN shard_anchor.employee_id IS 'An id that falls in the shard.';
-- it holds nothing but ids that pick shards
GRANT SELECT ON shard_anchor TO PUBLIC;

-- On the worker holding the anchor's shard: the days of the employees of
-- that shard (of those named; NULL: every employee), read next to their
-- rows. The batches read the per-employee tables through Citus, which
-- routes them to this node's own shards; Citus allows such reads inside its
-- query on a shard only when asked to (nested execution).
CREATE FUNCTION _att_evaluate_shard(anchor bigint, employees bigint[], days daterange) RETURNS SETOF day_result
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1000 SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  low integer;
  high integer;
  ids bigint[];
  nested text;
BEGIN
  IF anchor IS NULL OR days IS NULL OR isempty(days) OR NOT @extschema@._att_distributed() THEN
    RETURN;
  END IF;
  nested := current_setting('citus.allow_nested_distributed_execution', true);
  PERFORM set_config('citus.allow_nested_distributed_execution', 'on', true);
  -- the shard's range of hash values
  EXECUTE 'SELECT s.shardminvalue::integer, s.shardmaxvalue::integer FROM pg_catalog.pg_dist_shard s
            WHERE s.shardid = pg_catalog.get_shard_id_for_distribution_column(''@extschema@.day_record'', $1)'
     INTO low, high USING anchor;
  IF employees IS NULL THEN
    EXECUTE 'SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e
              WHERE pg_catalog.worker_hash(e.employee_id) BETWEEN $1 AND $2'
       INTO ids USING low, high;
  ELSE
    EXECUTE 'SELECT array_agg(DISTINCT e ORDER BY e) FROM unnest($3) AS e
              WHERE e IS NOT NULL AND pg_catalog.worker_hash(e) BETWEEN $1 AND $2'
       INTO ids USING low, high, employees;
  END IF;
  IF ids IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@._att_evaluate_batches(ids, days, false);
  END IF;
  PERFORM set_config('citus.allow_nested_distributed_execution', coalesce(nested, 'off'), true);
END $$;
COMMENT ON FUNCTION _att_evaluate_shard(bigint, bigint[], daterange) IS 'Internal: on a Citus worker, the days of the employees (NULL: all) that fall in the anchor''s shard (see shard_anchor).';

-- After a shard is split, the new shard has no anchor: a superuser gives
-- it one here (the evaluation refuses to run until every shard has one).
CREATE FUNCTION att_anchor_shards() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  placed integer;
BEGIN
  IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) THEN
    RAISE EXCEPTION 'att_anchor_shards needs a superuser' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT @extschema@._att_on_coordinator() THEN
    RAISE EXCEPTION 'att_anchor_shards runs on the Citus coordinator of a distributed database'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- counted, not taken from the INSERT: Citus reports the rows it passed on
  placed := -(SELECT count(*) FROM @extschema@.shard_anchor);
  INSERT INTO @extschema@.shard_anchor SELECT unnest(@extschema@._att_shard_representatives()) ON CONFLICT DO NOTHING;
  placed := placed + (SELECT count(*) FROM @extschema@.shard_anchor);
  RETURN placed;
END $$;
COMMENT ON FUNCTION att_anchor_shards() IS 'On a Citus coordinator, as a superuser: gives every shard of the attendance tables an anchor (shard_anchor) and returns how many it placed; run it after splitting shards. 42501 without superuser, 55000 elsewhere.';
REVOKE EXECUTE ON FUNCTION att_anchor_shards() FROM PUBLIC;

-- One employee id in each shard of day_record: a closing sends its lock to
-- every shard through them. Ids are tried in order until every shard has one.
CREATE FUNCTION _att_shard_representatives() RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  shards integer;
  tried bigint := 32;
  reps bigint[];
BEGIN
  EXECUTE 'SELECT count(*) FROM pg_catalog.pg_dist_shard WHERE logicalrelid = $1'
     INTO shards USING '@extschema@.day_record'::regclass;
  -- each id hashed once and placed by the shards' hash ranges
  LOOP
    tried := tried * 8;
    EXECUTE 'SELECT array_agg(r.v ORDER BY r.v)
               FROM (SELECT DISTINCT ON (s.shardid) g.x AS v
                       FROM (SELECT x, pg_catalog.worker_hash(x) AS h FROM generate_series(1::bigint, $2) AS x) g
                       JOIN pg_catalog.pg_dist_shard s
                         ON s.logicalrelid = $1 AND g.h BETWEEN s.shardminvalue::integer AND s.shardmaxvalue::integer
                      ORDER BY s.shardid, g.x) r'
       INTO reps USING '@extschema@.day_record'::regclass, tried;
    EXIT WHEN cardinality(reps) >= shards OR tried >= 1048576;
  END LOOP;
  RETURN reps;
END $$;
COMMENT ON FUNCTION _att_shard_representatives() IS 'Internal: an employee id that falls in each shard of day_record (for locks sent to every shard).';

-- The tables by how they are spread. Per employee: everything keyed by
-- employee first that only the employee's own refresh, corrections and
-- workflow read, distributed and colocated with day_record. Everywhere:
-- what an admin's scope, a rule's reach or the org tree needs for any
-- employee, and the small tables written by closing and the scheduler.
-- The refresh locks are each node's own: the coordinator's gate orders the
-- refreshes and closings it sends, the workers lock by shard
-- (_att_lock_on_shards).
CREATE FUNCTION _att_distribution() RETURNS TABLE (table_name name, spread text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT t, 'employee' FROM unnest(ARRAY['day_record', 'punch', 'punch_void', 'excuse', 'excuse_change', 'schedule',
    'correction', 'closing_cover', 'day_approval', 'timesheet', 'timesheet_event', 'approver', 'proxy', 'period_record',
    'refresh_job', 'shard_anchor', 'closed_pending']::name[]) AS t
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

  -- Citus takes no subquery in a policy on a distributed table: the scope
  -- policies call att_can_view, which reads the scope once per query on
  -- each node (access.sql, _att_scope_check).
  ALTER POLICY attendance_scope ON @extschema@.day_record USING (@extschema@.att_can_view(employee_id, day));
  ALTER POLICY attendance_scope ON @extschema@.schedule USING (@extschema@.att_can_view(employee_id, day));
  ALTER POLICY attendance_scope ON @extschema@.period_record USING (@extschema@.att_can_view(employee_id, period_start));

  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'everywhere' LOOP
    PERFORM create_reference_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  PERFORM create_distributed_table('@extschema@.day_record', 'employee_id');
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d WHERE d.spread = 'employee' AND d.table_name <> 'day_record' LOOP
    PERFORM create_distributed_table(format('@extschema@.%I', t.table_name)::regclass, 'employee_id',
                                     colocate_with => '@extschema@.day_record');
  END LOOP;
  -- day_record's employees: on a single node statement triggers keep them
  -- (day_employees.sql), here a foreign key to the reference table does,
  -- added over the shards one connection at a time in this transaction
  PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);
  ALTER TABLE @extschema@.day_record ADD CONSTRAINT day_record_employee_id_fkey
    FOREIGN KEY (employee_id) REFERENCES @extschema@.employee (employee_id);
  -- The coordinator keeps the rows it had only as hidden local data.
  FOR t IN SELECT d.table_name FROM @extschema@._att_distribution() d ORDER BY d.spread, d.table_name LOOP
    PERFORM truncate_local_data_after_distributing_table(format('@extschema@.%I', t.table_name)::regclass);
  END LOOP;
  FOR trg IN SELECT x ->> 0 AS rel, x ->> 1 AS name FROM jsonb_array_elements(enabled) x LOOP
    EXECUTE format('ALTER TABLE %s ENABLE TRIGGER %I', trg.rel, trg.name);
  END LOOP;

  -- a row in each shard, through which the workers evaluate their own
  INSERT INTO @extschema@.shard_anchor SELECT unnest(@extschema@._att_shard_representatives());

  -- SET LOCAL of the extension's settings (attendance.acting_employee for a
  -- trusted application, attendance.reason, attendance.clock) must reach
  -- the workers, where the triggers read them.
  EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = local', current_database());
  -- A parallel worker on the coordinator cannot take part in a distributed
  -- transaction: att_evaluate_all's parts run in the leader, one after
  -- another, each spread over the shards by Citus.
  -- (the planner judges an inlined function by its own marking, so both)
  ALTER FUNCTION @extschema@.att_evaluate_all(daterange) PARALLEL RESTRICTED;
  ALTER FUNCTION @extschema@._att_part_ids(integer, integer) PARALLEL RESTRICTED;
  RETURN QUERY SELECT d.table_name, d.spread FROM @extschema@._att_distribution() d ORDER BY d.spread, d.table_name;
END $$;
COMMENT ON FUNCTION att_distribute() IS
  'Turns this database into a Citus deployment (run once, on the coordinator, as a superuser, after CREATE EXTENSION citus, citus_set_coordinator_host and citus_add_node for each worker): the per-employee tables are distributed by employee_id and colocated with day_record, the tables every node needs (org tree, employees, memberships, grants, rules, holidays, closings) become reference tables, rows already loaded move into the shards as they are, and the database gets citus.propagate_set_commands = local so that SET LOCAL of the extension''s settings reaches the workers; att_evaluate_all''s parts stay out of the coordinator''s parallel workers. Returns each table and how it is spread. 42501 without superuser, 0A000 without Citus, 55000 when already distributed or the cluster is not ready.';
REVOKE EXECUTE ON FUNCTION att_distribute() FROM PUBLIC;

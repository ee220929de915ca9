-- Upgrade from 0.17.0 (frozen in attendance--0.17.0.sql) to 0.18.0 (issue
-- 15): a punch stored before its own time (a device whose clock runs ahead
-- of the server's, a sync whose transaction began before the punches it
-- carries) shows on its day once that time has come. The refresh at insert
-- judges a punch's days at the server's now and leaves out a punch that has
-- not happened yet; since 0.17.0 a run judges a pending day again only once
-- its shift has ended, so such a punch showed at the day's next refresh,
-- often its end. att_finalize now reads these punches from a partial index
-- of their own (punch_ahead_idx) and judges their days again once their
-- time has come. The scope policies' row checks get a planner support
-- function (_att_scope_support) that estimates them to keep every row: a
-- function call is otherwise taken to keep a third, and on statistics not
-- yet current a scoped read was planned as a nested loop where the
-- unscoped one kept its hash join. tests/upgrade checks that an upgraded
-- database has exactly the objects of a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE FUNCTION _att_scope_support(internal) RETURNS internal
LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'att_scope_support';

COMMENT ON FUNCTION _att_scope_support(internal) IS 'Internal: the planner support function of the scope policies'' row checks (_att_scope_allows, att_can_view): they are estimated to keep every row.';

CREATE OR REPLACE FUNCTION att_can_view(employee bigint, day date) RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE COST 100 SUPPORT _att_scope_support AS 'MODULE_PATHNAME', 'att_can_view_row';

CREATE OR REPLACE FUNCTION _att_scope_allows(scope bytea, employee bigint, day date) RETURNS boolean
LANGUAGE c IMMUTABLE PARALLEL SAFE COST 100 SUPPORT _att_scope_support AS 'MODULE_PATHNAME', 'att_scope_allows';

CREATE INDEX punch_ahead_idx ON punch (at) WHERE at > recorded_at;

COMMENT ON INDEX punch_ahead_idx IS 'Punches stored before their own time (at after recorded_at): att_finalize judges their days again once that time has come (0.18.0).';

CREATE FUNCTION _att_ahead_overlap() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN interval '15 minutes';

COMMENT ON FUNCTION _att_ahead_overlap() IS 'Internal: how far before its last run att_finalize looks for punches stored ahead of their time whose time has come (a transaction open that long past a punch''s time).';

CREATE OR REPLACE FUNCTION att_finalize() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today date := @extschema@.att_today();
  at_now timestamptz := @extschema@.att_now();
  since date;
  everyone bigint[];
  stale record;
  recent_employees bigint[];
  recent_days daterange;
  span_employees bigint[];
  span_days daterange[];
  first_pending date;
  last_ran timestamptz;
  changed integer := 0;
BEGIN
  -- on Citus, what a COPY into the tables every node holds left for now
  -- (citus.sql, _att_deferred): new orgs' places first, then their reach
  PERFORM @extschema@._att_deferred_flush(NULL);
  SELECT s.through + 1, s.ran_at INTO since, last_ran FROM @extschema@.finalize_state s;
  since := coalesce(since, today - 31);
  IF since <= today THEN
    -- employees who can have days: employed then, or named in a rule
    SELECT array_agg(x.employee_id ORDER BY x.employee_id) INTO everyone FROM (
      SELECT m.employee_id FROM @extschema@.membership m WHERE m.kind = 'primary' AND m.period && daterange(since, today, '[]')
      UNION SELECT p.employee_id FROM @extschema@.rule_person p) x;
    changed := changed + coalesce(@extschema@._att_refresh(everyone, daterange(since, today, '[]'), NULL, false), 0);
  END IF;
  -- Days still pending from before whose time has come (_att_fell_due):
  -- night shifts, days stored ahead, today's days once their shift has
  -- ended. The earliest pending day is read first, from the end of the
  -- partial index, and the scan stops a few days past today (a zone
  -- fourteen hours ahead of the server's): the days stored ahead are many
  -- and none of them can have ended. The recent days, most often every
  -- employee's today, are refreshed as one range; older ones (rare: a
  -- night shift's, a day kept pending by a frozen period) each employee
  -- over their own (below).
  SELECT min(d.day) INTO first_pending FROM @extschema@.day_record d WHERE d.status = 'pending';
  IF first_pending <= today + 3 THEN
    SELECT array_agg(DISTINCT d.employee_id ORDER BY d.employee_id), daterange(min(d.day), max(d.day), '[]')
      INTO recent_employees, recent_days FROM @extschema@.day_record d
     WHERE d.status = 'pending' AND d.day >= greatest(first_pending, today - 3) AND d.day <= today + 3
       AND @extschema@._att_fell_due(d.scheduled_end, d.check_in, at_now);
  END IF;
  -- Beyond the recent days, each employee's span read once: older pending
  -- days whose time has come, and the days of punches stored before their
  -- own time whose time has come since the last run (punch_ahead_idx, from
  -- _att_ahead_overlap() before it: a punch whose transaction was still
  -- open then), from three UTC days before such a punch to two after (a
  -- zone's day, a night shift's, the days that see a punch under most
  -- rules). The first run judges every day it stores at its own now.
  SELECT array_agg(x.employee_id), array_agg(x.days) INTO span_employees, span_days
    FROM (SELECT u.employee_id, daterange(min(lower(u.days)), max(upper(u.days))) AS days
            FROM (SELECT d.employee_id, daterange(d.day, d.day, '[]') AS days
                    FROM @extschema@.day_record d
                   WHERE first_pending < today - 3
                     AND d.status = 'pending' AND d.day >= first_pending AND d.day < today - 3
                     AND @extschema@._att_fell_due(d.scheduled_end, d.check_in, at_now)
                  UNION ALL
                  SELECT p.employee_id, daterange((p.at AT TIME ZONE 'UTC')::date - 3, (p.at AT TIME ZONE 'UTC')::date + 3)
                    FROM @extschema@.punch p
                   WHERE last_ran IS NOT NULL AND p.at > p.recorded_at
                     AND p.at > least(last_ran, at_now) - @extschema@._att_ahead_overlap() AND p.at <= at_now) u
           GROUP BY u.employee_id) x;
  -- Every employee refreshed below is locked at once first, in the locks'
  -- own order (since 0.18.0): the refreshes run group by group, and locks
  -- taken group by group are out of that order across groups, so that a
  -- loader's transaction holding one employee and waiting for another
  -- deadlocked with the run. (The recent days alone are one group, which
  -- locks in order itself.)
  IF span_employees IS NOT NULL THEN
    PERFORM @extschema@._att_lock_employees(coalesce(recent_employees, '{}') || span_employees);
  END IF;
  IF recent_employees IS NOT NULL THEN
    changed := changed + @extschema@._att_refresh(recent_employees, recent_days, NULL, false);
  END IF;
  -- the spans grouped by range, so that one employee's does not stretch
  -- everyone's
  IF span_employees IS NOT NULL THEN
    FOR stale IN
      SELECT s.days, array_agg(s.employee_id ORDER BY s.employee_id) AS employees
        FROM unnest(span_employees, span_days) AS s(employee_id, days)
       GROUP BY s.days ORDER BY s.days
    LOOP
      changed := changed + @extschema@._att_refresh(stale.employees, stale.days, NULL, false);
    END LOOP;
  END IF;
  changed := changed + @extschema@._att_drain_requests(NULL);
  INSERT INTO @extschema@.finalize_state AS s (through, ran_at) VALUES (greatest(today, since - 1), at_now)
  ON CONFLICT (singleton) DO UPDATE SET through = excluded.through, ran_at = excluded.ran_at;
  RETURN changed;
END $$;

COMMENT ON FUNCTION att_finalize() IS
  'Brings day_record up to date with time and inputs: stores every day from the last run through today for every employed employee (the first run starts 31 days back), re-judges stored days that were pending, the days of punches stored before their own time once that time has come, and re-evaluates the changes waiting in refresh_request. Returns how many days changed. Run it on a schedule (README: pg_cron, every few minutes); executable by superusers and roles a DBA grants it to.';



-- On Citus punch is distributed: its rows are in the shards each node holds
-- (punch_<shard id>), which the index above, not passed on, did not reach.
-- Each node indexes the shards it holds, named as Citus names a shard's
-- index (a fresh deployment's att_distribute has Citus copy the index).
DO $$
DECLARE
  p record;
BEGIN
  IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_catalog.set_config('citus.enable_manual_changes_to_shards', 'on', true);
  FOR p IN EXECUTE $q$
    SELECT pg_catalog.shard_name(s.logicalrelid, s.shardid) AS shard, 'punch_ahead_idx_' || s.shardid AS index_name
      FROM pg_catalog.pg_dist_shard s
     WHERE s.logicalrelid = '@extschema@.punch'::regclass$q$
  LOOP
    IF pg_catalog.to_regclass(p.shard) IS NOT NULL THEN
      EXECUTE pg_catalog.format('CREATE INDEX IF NOT EXISTS %I ON %s (at) WHERE at > recorded_at', p.index_name, p.shard);
    END IF;
  END LOOP;
END $$;

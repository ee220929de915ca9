-- Upgrade from 0.16.0 (frozen in attendance--0.16.0.sql) to 0.17.0 (issue
-- 15): att_finalize judges again only the pending days whose time has
-- come. A day of one shift period that has not ended cannot change by time
-- alone (its punches and inputs refresh it as they come), so a run before
-- any shift ends touches nothing and locks no one; until now every run
-- re-judged every pending day, every employee's today on every run of the
-- day. Only functions change: no table, no index, nothing on Citus
-- shards. tests/upgrade checks that an upgraded database has exactly the
-- objects of a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE FUNCTION _att_fell_due(scheduled_end timestamptz, check_in timestamptz[], at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN scheduled_end <= at OR scheduled_end IS NULL OR cardinality(check_in) IS DISTINCT FROM 1;

COMMENT ON FUNCTION _att_fell_due(timestamptz, timestamptz[], timestamptz) IS 'Internal: whether att_finalize judges a pending day again at the instant given: its one shift period has ended (scheduled_end), or it has several (check_in holds one entry a period).';

CREATE OR REPLACE FUNCTION att_finalize() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today date := @extschema@.att_today();
  at_now timestamptz := @extschema@.att_now();
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
  -- Days still pending from before whose time has come (_att_fell_due):
  -- night shifts, days stored ahead, today's days once their shift has
  -- ended. The earliest pending day is read first, from the end of the
  -- partial index, and the scan stops a few days past today (a zone
  -- fourteen hours ahead of the server's): the days stored ahead are many
  -- and none of them can have ended. The recent days, most often every
  -- employee's today, are refreshed as one range; older ones (rare: a
  -- night shift's, a day kept pending by a frozen period) each employee
  -- over their own, so that one of them does not stretch everyone's.
  SELECT min(d.day) INTO first_pending FROM @extschema@.day_record d WHERE d.status = 'pending';
  IF first_pending <= today + 3 THEN
    SELECT array_agg(DISTINCT d.employee_id ORDER BY d.employee_id) AS employees, daterange(min(d.day), max(d.day), '[]') AS days
      INTO stale FROM @extschema@.day_record d
     WHERE d.status = 'pending' AND d.day >= greatest(first_pending, today - 3) AND d.day <= today + 3
       AND @extschema@._att_fell_due(d.scheduled_end, d.check_in, at_now);
    IF stale.employees IS NOT NULL THEN
      changed := changed + @extschema@._att_refresh(stale.employees, stale.days, NULL, false);
    END IF;
  END IF;
  IF first_pending < today - 3 THEN
    FOR stale IN
      SELECT s.days, array_agg(s.employee_id ORDER BY s.employee_id) AS employees
        FROM (SELECT d.employee_id, daterange(min(d.day), max(d.day), '[]') AS days
                FROM @extschema@.day_record d
               WHERE d.status = 'pending' AND d.day >= first_pending AND d.day < today - 3
                 AND @extschema@._att_fell_due(d.scheduled_end, d.check_in, at_now)
               GROUP BY d.employee_id) s
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



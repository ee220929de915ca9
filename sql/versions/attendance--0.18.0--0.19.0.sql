-- Upgrade from 0.18.0 (frozen in attendance--0.18.0.sql) to 0.19.0 (issue
-- 15): changes to inputs that a refresh drains in several groups (dated
-- rule entries, an org-wide change reaching employees over different days)
-- lock every employee at once first, in the locks' own order, as
-- att_finalize has since 0.18.0; locked group by group, a loader's
-- transaction holding one employee and waiting for another deadlocked with
-- the drain. att_finalize takes the waiting changes before it locks, so
-- that they are locked with everything else it refreshes. A punch stored
-- before its own time whose days are closed is refused at once
-- (_att_refuse_ahead_closed, called by the refresh trigger): it was taken
-- and never shown. tests/upgrade checks that an upgraded database has
-- exactly the objects of a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

CREATE FUNCTION _att_take_requests(ids bigint[], OUT span_employees bigint[], OUT span_days daterange[])
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  today date := @extschema@.att_today();
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
    WITH stored AS MATERIALIZED (
      SELECT d.employee_id, max(d.day) + 1 AS after
        FROM @extschema@.day_record d WHERE d.employee_id = ANY (target_employees) GROUP BY d.employee_id
    ), reach AS (
      SELECT t.employee_id, t.days * daterange(NULL, greatest(today + 9, s.after)) AS days
        FROM unnest(target_employees, target_days) AS t(employee_id, days)
        LEFT JOIN stored s ON s.employee_id = t.employee_id
    )
    SELECT array_agg(s.employee_id), array_agg(s.days) INTO span_employees, span_days
      FROM (SELECT r.employee_id, daterange(min(lower(r.days)), max(upper(r.days))) AS days
              FROM reach r WHERE NOT isempty(r.days) GROUP BY r.employee_id) s;
  ELSE
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
    )
    SELECT array_agg(s.employee_id), array_agg(s.days) INTO span_employees, span_days
      FROM (SELECT r.employee_id, daterange(min(lower(r.days)), max(upper(r.days))) AS days
              FROM reach r WHERE NOT isempty(r.days) GROUP BY r.employee_id) s;
  END IF;
END $$;
COMMENT ON FUNCTION _att_take_requests(bigint[]) IS 'Internal: removes the requested changes (all of them when ids is NULL) from refresh_request and returns the employees they reach with one span of days each.';

CREATE FUNCTION _att_refresh_spans(employees bigint[], days daterange[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  g record;
  changed integer := 0;
BEGIN
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  IF (SELECT count(DISTINCT d) > 1 FROM unnest(days) AS d) THEN
    PERFORM @extschema@._att_lock_employees(employees);
  END IF;
  FOR g IN
    SELECT s.days, array_agg(DISTINCT s.employee_id ORDER BY s.employee_id) AS employees
      FROM unnest(employees, days) AS s(employee_id, days)
     WHERE s.employee_id IS NOT NULL AND s.days IS NOT NULL
     GROUP BY s.days ORDER BY s.days
  LOOP
    changed := changed + @extschema@._att_refresh(g.employees, g.days, NULL, false);
  END LOOP;
  RETURN changed;
END $$;
COMMENT ON FUNCTION _att_refresh_spans(bigint[], daterange[]) IS 'Internal: refreshes each employee over the span of days paired with it, grouped by span, the employees of several groups locked at once first; returns how many days changed.';

CREATE OR REPLACE FUNCTION _att_drain_requests(ids bigint[]) RETURNS integer
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
RETURN (SELECT @extschema@._att_refresh_spans(t.span_employees, t.span_days) FROM @extschema@._att_take_requests(ids) t);
COMMENT ON FUNCTION _att_drain_requests(bigint[]) IS 'Internal: re-evaluates the requested changes (all of them when ids is NULL) and removes them from refresh_request.';

CREATE OR REPLACE FUNCTION att_finalize() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today date := @extschema@.att_today();
  at_now timestamptz := @extschema@.att_now();
  since date;
  everyone bigint[];
  recent_employees bigint[];
  recent_days daterange;
  span_employees bigint[];
  span_days daterange[];
  waiting_employees bigint[];
  waiting_days daterange[];
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
  -- and the changes to inputs waiting in refresh_request
  SELECT t.span_employees, t.span_days INTO waiting_employees, waiting_days FROM @extschema@._att_take_requests(NULL) t;
  span_employees := span_employees || waiting_employees;
  span_days := span_days || waiting_days;
  -- Every employee refreshed below is locked at once first, in the locks'
  -- own order (since 0.18.0; with the waiting changes since 0.19.0): the
  -- refreshes run group by group, and locks taken group by group are out
  -- of that order across groups, so that a loader's transaction holding
  -- one employee and waiting for another deadlocked with the run. (The
  -- recent days alone are one group, which locks in order itself.)
  IF span_employees IS NOT NULL THEN
    PERFORM @extschema@._att_lock_employees(coalesce(recent_employees, '{}') || span_employees);
  END IF;
  IF recent_employees IS NOT NULL THEN
    changed := changed + @extschema@._att_refresh(recent_employees, recent_days, NULL, false);
  END IF;
  changed := changed + @extschema@._att_refresh_spans(span_employees, span_days);
  INSERT INTO @extschema@.finalize_state AS s (through, ran_at) VALUES (greatest(today, since - 1), at_now)
  ON CONFLICT (singleton) DO UPDATE SET through = excluded.through, ran_at = excluded.ran_at;
  RETURN changed;
END $$;
COMMENT ON FUNCTION att_finalize() IS
  'Brings day_record up to date with time and inputs: stores every day from the last run through today for every employed employee (the first run starts 31 days back), re-judges stored days that were pending, the days of punches stored before their own time once that time has come, and re-evaluates the changes waiting in refresh_request. Returns how many days changed. Run it on a schedule (README: pg_cron, every few minutes); executable by superusers and roles a DBA grants it to.';

REVOKE EXECUTE ON FUNCTION _att_take_requests(bigint[]), _att_refresh_spans(bigint[], daterange[]) FROM PUBLIC;

CREATE FUNCTION _att_refuse_ahead_closed(employee bigint, first_day date, last_day date, actor bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  closed_day date;
BEGIN
  SELECT g.d::date INTO closed_day
    FROM generate_series(first_day - 2, last_day + 1, interval '1 day') AS g(d)
   WHERE @extschema@.att_day_closed(employee, g.d::date)
   -- the punches' own last day first
   ORDER BY abs(g.d::date - last_day), g.d LIMIT 1;
  IF closed_day IS NULL THEN
    RETURN false;
  END IF;
  IF actor IS NOT NULL
     AND @extschema@.att_has_permission(actor, employee, closed_day, 'correct', @extschema@.att_today()) IS TRUE THEN
    RAISE EXCEPTION 'a punch of employee % stored before its own time reaches closed day %', employee, to_char(closed_day, 'YYYY-MM-DD')
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'A closed day takes a correction once its time has come (att_make_up_punch), judged then; or reopen the period.';
  END IF;
  RAISE EXCEPTION 'a punch of employee % stored before its own time reaches closed day %: change to a closed period refused', employee, to_char(closed_day, 'YYYY-MM-DD')
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission), once the punch''s time has come; or reopen the period.';
END $$;
COMMENT ON FUNCTION _att_refuse_ahead_closed(bigint, date, date, bigint) IS 'Internal: refuses (42501, or 55000 for an actor who may correct the day) punches stored before their own time whose UTC days, from two before to one after, reach a closed day of the employee; false when none does.';
REVOKE EXECUTE ON FUNCTION _att_refuse_ahead_closed(bigint, date, date, bigint) FROM PUBLIC;

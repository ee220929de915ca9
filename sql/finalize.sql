-- Results that follow time and every input (SPEC.md C, issue 11): days
-- become final as time passes, and changes to memberships, rule
-- assignments, rule versions, holidays and the org tree re-evaluate the
-- employee-days they reach. Per-employee changes of a small statement are
-- refreshed at once; anything else waits in refresh_request for
-- att_finalize(), which a scheduler runs (README: pg_cron), so that a
-- company-wide change is one batched refresh, not a trigger storm.

-- How far back a change reaches when its own start is older or open: about
-- two closing periods. Older days are usually closed; att_refresh re-judges
-- any range on request.
CREATE FUNCTION _att_change_horizon() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 62;
COMMENT ON FUNCTION _att_change_horizon() IS 'Internal: days before today that a change to an input re-evaluates at most (about two closing periods).';

CREATE TABLE refresh_request (
  request_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_id  bigint,
  org_id       bigint,
  days         daterange NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT refresh_request_names_whom CHECK ((employee_id IS NULL) <> (org_id IS NULL))
);
COMMENT ON TABLE refresh_request IS 'Changes to inputs waiting to be re-evaluated by att_finalize(): an employee''s days, or every member of an org (and below) over the days. Written by the extension''s triggers.';

CREATE TABLE finalize_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  through   date NOT NULL,
  ran_at    timestamptz NOT NULL
);
COMMENT ON TABLE finalize_state IS 'The last day att_finalize() has stored for every employee, and when it ran.';

-- Pending days by day, then start: att_finalize reads the earliest, and
-- of the recent days only those begun (since 0.27.0, with scheduled_start:
-- a week stored ahead for every employee, none of it begun, was read and
-- judged on every run, 50-80 ms at 10,000 employees).
CREATE INDEX day_record_pending_idx ON day_record (day, scheduled_start) WHERE status = 'pending';
COMMENT ON INDEX day_record_pending_idx IS 'Pending days by day and scheduled start: att_finalize reads the earliest, and of the recent days only those begun (0.27.0).';

-- Punches stored before their own time: a device whose clock runs ahead of
-- the server's, or a sync whose transaction began before the punches it
-- carries (recorded_at is the transaction's start). The refresh at insert
-- judged the punch's days at the server's now and left the punch out, as
-- everything that has not happened yet; att_finalize judges them again
-- once its time has come. Few punches are stored so,
-- so the index is small and costs an ordinary punch nothing but the test
-- of its predicate.
CREATE INDEX punch_ahead_idx ON punch (at) WHERE at > recorded_at;
COMMENT ON INDEX punch_ahead_idx IS 'Punches stored before their own time (at after recorded_at): att_finalize judges their days again once that time has come (0.18.0).';

-- Takes requests out of refresh_request as what they reach: each
-- request's employees, their days clipped to the change horizon behind and
-- to the days that can be stored ahead, one span an employee. The caller
-- refreshes them (_att_refresh_spans), after locking them with whatever
-- else it refreshes (att_finalize).
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

-- Refreshes employees' spans grouped by range, so that one employee's
-- span does not stretch everyone's. Spans of several ranges are refreshed
-- group by group: every employee is locked at once first, in the locks'
-- own order (since 0.19.0), as att_finalize does; locked group by group, a
-- loader's transaction holding one employee and waiting for another
-- deadlocked with the refresh.
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

-- Turns requests into refreshes, grouped by range so that an org-wide
-- change is a few batched refreshes.
CREATE FUNCTION _att_drain_requests(ids bigint[]) RETURNS integer
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
RETURN (SELECT @extschema@._att_refresh_spans(t.span_employees, t.span_days) FROM @extschema@._att_take_requests(ids) t);
COMMENT ON FUNCTION _att_drain_requests(bigint[]) IS 'Internal: re-evaluates the requested changes (all of them when ids is NULL) and removes them from refresh_request.';

-- A statement that touched few employees is refreshed at once; a bulk
-- load leaves its requests to att_finalize().
CREATE FUNCTION _att_request(employees bigint[], orgs bigint[], spans daterange[]) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ids bigint[];
BEGIN
  WITH added AS (
    INSERT INTO @extschema@.refresh_request (employee_id, org_id, days)
    SELECT x.e, x.o, x.d FROM unnest(employees, orgs, spans) AS x(e, o, d)
     WHERE x.d IS NOT NULL AND NOT isempty(x.d) AND (x.e IS NOT NULL OR x.o IS NOT NULL)
    RETURNING request_id, employee_id
  )
  SELECT array_agg(request_id) INTO ids FROM added
  HAVING count(*) FILTER (WHERE employee_id IS NULL) = 0 AND count(DISTINCT employee_id) <= 200;
  IF ids IS NOT NULL THEN
    PERFORM @extschema@._att_drain_requests(ids);
  END IF;
END $$;
COMMENT ON FUNCTION _att_request(bigint[], bigint[], daterange[]) IS 'Internal: records what a change reaches; refreshes it at once when it concerns at most 200 employees and no org.';

-- One trigger function for every input table: what each change reaches.
-- The rows come from the statement's transition tables, old and new alike
-- (an update can move a row out of one scope and into another); the query
-- is built per operation because a transition table exists only for the
-- operations that have it.
CREATE FUNCTION request_changed_inputs() RETURNS trigger
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
REVOKE EXECUTE ON FUNCTION request_changed_inputs() FROM PUBLIC;

CREATE TRIGGER request_on_insert AFTER INSERT ON membership REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_update AFTER UPDATE ON membership REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_delete AFTER DELETE ON membership REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_insert AFTER INSERT ON rule_person REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_update AFTER UPDATE ON rule_person REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_delete AFTER DELETE ON rule_person REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_insert AFTER INSERT ON rule_org REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_update AFTER UPDATE ON rule_org REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_delete AFTER DELETE ON rule_org REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_insert AFTER INSERT ON rule_version REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_update AFTER UPDATE ON rule_version REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_delete AFTER DELETE ON rule_version REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_insert AFTER INSERT ON holiday REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_update AFTER UPDATE ON holiday REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();
CREATE TRIGGER request_on_delete AFTER DELETE ON holiday REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION request_changed_inputs();

-- Whether a pending day's time has come: a day of one shift period once
-- its end (scheduled_end) has passed. Such a day cannot change by time
-- alone before (its punches and inputs refresh it as they come), so a run
-- before any shift ends touches nothing and locks no one; until 0.17.0
-- every run re-judged every pending day, every employee's today. A day of
-- several periods is judged again on every run once it has begun
-- (scheduled_start): one of its periods may have ended, and keeps its
-- figures from then on. Until 0.26.0 it was judged again on every run
-- from the moment it was stored: the days stored ahead by a change of
-- rules, a week of every employee's, were all judged on every run (0.38 s
-- a run at 10,000 employees of split shifts, nothing written).
CREATE FUNCTION _att_fell_due(scheduled_start timestamptz, scheduled_end timestamptz, check_in timestamptz[], at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN scheduled_end <= at OR scheduled_end IS NULL
    OR (cardinality(check_in) IS DISTINCT FROM 1 AND (scheduled_start IS NULL OR scheduled_start <= at));
COMMENT ON FUNCTION _att_fell_due(timestamptz, timestamptz, timestamptz[], timestamptz) IS 'Internal: whether att_finalize judges a pending day again at the instant given: its one shift period has ended (scheduled_end), or it has several (check_in holds one entry a period) and has begun (scheduled_start).';

-- How long after its own time a punch stored ahead of it is still looked
-- for: a run reads the punches whose time came since its last run, and
-- this much before, so that a punch whose transaction was still open
-- during that run (a sync that began before the punches it carries) is
-- found by a later one.
CREATE FUNCTION _att_ahead_overlap() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN interval '15 minutes';
COMMENT ON FUNCTION _att_ahead_overlap() IS 'Internal: how far before its last run att_finalize looks for punches stored ahead of their time whose time has come (a transaction open that long past a punch''s time).';

-- Time: every day that fell due since the last run is stored, every
-- pending day whose shift has ended since is judged, and waiting input
-- changes are re-evaluated. Only those days are touched.
CREATE FUNCTION att_finalize() RETURNS integer
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
    -- employees who can have days: employed then, or named in a rule;
    -- after the first run, only those with a day to store: one not stored
    -- yet, or stored as it showed while not over (since 0.25.0, stored again
    -- with what it will be once over); a day stored with its figures, or
    -- with them once over (due_at), changes by no time (its inputs refresh
    -- it as they change, and the punches stored ahead of their time that
    -- came since the run before are found below). One probe per
    -- employee-day. The first run takes everyone: such a punch that came
    -- before it is found by no later run. On Citus every employee, as
    -- before: Citus plans no subquery per employee over its tables (each
    -- statement here is planned only when it runs).
    IF last_ran IS NULL OR @extschema@._att_distributed() THEN
      SELECT array_agg(x.employee_id ORDER BY x.employee_id) INTO everyone FROM (
        SELECT m.employee_id FROM @extschema@.membership m WHERE m.kind = 'primary' AND m.period && daterange(since, today, '[]')
        UNION SELECT p.employee_id FROM @extschema@.rule_person p) x;
    ELSE
      SELECT array_agg(x.employee_id ORDER BY x.employee_id) INTO everyone FROM (
        SELECT m.employee_id FROM @extschema@.membership m WHERE m.kind = 'primary' AND m.period && daterange(since, today, '[]')
        UNION SELECT p.employee_id FROM @extschema@.rule_person p) x
       WHERE EXISTS (SELECT 1 FROM generate_series(since, today, interval '1 day') AS g(d)
                      WHERE NOT EXISTS (SELECT 1 FROM @extschema@.day_record r
                                         WHERE r.employee_id = x.employee_id AND r.day = g.d::date AND r.status <> 'pending'));
    END IF;
    changed := changed + coalesce(@extschema@._att_refresh(everyone, daterange(since, today, '[]'), NULL, false), 0);
  END IF;
  -- Days still pending from before whose time has come (_att_fell_due):
  -- night shifts, days stored ahead, today's days once their shift has
  -- ended. The earliest pending day is read first, from the end of the
  -- partial index, and the scan stops a few days past today (a zone
  -- fourteen hours ahead of the server's) and skips the days not begun:
  -- the days stored ahead are many and none of them can have ended. The recent days, most often every
  -- employee's today, are refreshed as one range; older ones (rare: a
  -- night shift's, a day kept pending by a frozen period) each employee
  -- over their own (below).
  SELECT min(d.day) INTO first_pending FROM @extschema@.day_record d WHERE d.status = 'pending';
  IF first_pending <= today + 3 THEN
    -- a day falls due no sooner than it begins, so the index skips the
    -- days stored ahead by their start (a day without periods has none)
    SELECT array_agg(DISTINCT x.employee_id ORDER BY x.employee_id), daterange(min(x.day), max(x.day), '[]')
      INTO recent_employees, recent_days
      FROM (SELECT d.employee_id, d.day FROM @extschema@.day_record d
             WHERE d.status = 'pending' AND d.day >= greatest(first_pending, today - 3) AND d.day <= today + 3
               AND d.scheduled_start <= at_now
               AND @extschema@._att_fell_due(d.scheduled_start, d.scheduled_end, d.check_in, at_now)
            UNION ALL
            SELECT d.employee_id, d.day FROM @extschema@.day_record d
             WHERE d.status = 'pending' AND d.day >= greatest(first_pending, today - 3) AND d.day <= today + 3
               AND d.scheduled_start IS NULL) x;
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
                     AND @extschema@._att_fell_due(d.scheduled_start, d.scheduled_end, d.check_in, at_now)
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
REVOKE EXECUTE ON FUNCTION att_finalize() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _att_drain_requests(bigint[]), _att_take_requests(bigint[]), _att_refresh_spans(bigint[], daterange[]),
  _att_request(bigint[], bigint[], daterange[]) FROM PUBLIC;

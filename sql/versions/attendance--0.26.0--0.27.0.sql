-- Upgrade from 0.26.0 (frozen in attendance--0.26.0.sql) to 0.27.0.
-- - A correction (att_make_up_punch, att_void_punch) is checked on the
--   days it changes as the engine judges them, with and without the
--   punches at its instant, as they show now and once every punch stored
--   has happened, each day with the later start its previous workday
--   earns (correction_days_judged, _att_days_at_instant). 0.26.0 compared
--   the stored days and looked the next workday up by the voided day's
--   rule, which an attack review got past four ways (a stored day not yet
--   judged since its check-out came; the void of a late check-out still
--   to come; the next workday under another rule; a make-up check-out
--   after the real one, then the real one voided). On Citus the worker
--   holding the employee judges them (_att_days_at_instant_shard), and
--   correction_check_next_workday is dropped.
-- - A day closed before it was over falls due when its shift as kept
--   ends, whatever the inputs of now make of it (_att_refresh's closed
--   path): a transfer or rule version the closed day skipped kept it
--   pending until the shift it gave ended (differential review).
-- - Reopening a period refreshes every employee the closing covered
--   (closing_cover), not only its members of now: a leaving date synced
--   while it was closed left the leaver's days as closed, for good.
-- - A closing covers an employee on the days they belong to the org it
--   closes (closing_cover.days), not the whole period: a department moved
--   to another company mid-period had its later days closed by its old
--   company's closing (differential review). Covers recorded before hold
--   the whole period, as they did.
-- - att_finalize skips the pending days not begun among the recent days
--   (day_record_pending_idx by day and scheduled_start): a week stored
--   ahead for every employee was read and judged on every run.
-- - The library (not this script): a day not over yet reads "on time"
--   for a check-in before where its lateness starts.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

DROP INDEX day_record_pending_idx;
CREATE INDEX day_record_pending_idx ON day_record (day, scheduled_start) WHERE status = 'pending';

-- A closing's cover holds the days it covers; those recorded before cover
-- the whole period, as they did. On Citus closing_cover is distributed
-- (unless distributed before it was, when it is a plain table on each
-- node): each node changes the shards it holds.
ALTER TABLE closing_cover ADD COLUMN days datemultirange;
DO $$
DECLARE
  s record;
  spread boolean := false;
BEGIN
  IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = ''@extschema@.closing_cover''::regclass)'
       INTO spread;
  END IF;
  IF NOT spread THEN
    UPDATE @extschema@.closing_cover SET days = pg_catalog.datemultirange(period);
    RETURN;
  END IF;
  PERFORM pg_catalog.set_config('citus.enable_manual_changes_to_shards', 'on', true);
  FOR s IN EXECUTE $q$
    SELECT pg_catalog.shard_name(s.logicalrelid, s.shardid) AS shard
      FROM pg_catalog.pg_dist_shard s
     WHERE s.logicalrelid = '@extschema@.closing_cover'::regclass$q$
  LOOP
    IF pg_catalog.to_regclass(s.shard) IS NOT NULL THEN
      EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN days pg_catalog.datemultirange', s.shard);
      EXECUTE pg_catalog.format('UPDATE %s SET days = pg_catalog.datemultirange(period)', s.shard);
      EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN days SET NOT NULL', s.shard);
    END IF;
  END LOOP;
END $$;
ALTER TABLE closing_cover ALTER COLUMN days SET NOT NULL;

COMMENT ON TABLE closing_exemption IS 'Employees a closing skipped because their days or timesheet were not approved: their days stay open. (From 0.24.0 to 0.26.0 also those an earlier closing of the period covered who were no longer members of the org; since 0.27.0 their cover holds no day instead.)';

CREATE OR REPLACE FUNCTION org_move() RETURNS trigger
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

CREATE OR REPLACE FUNCTION _att_close_stored(org bigint, day date, me bigint, as_of date, members bigint[]) RETURNS daterange
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p daterange := @extschema@.att_closing_period(org, day);
  gone bigint[];
  cover_employees bigint[];
  cover_days datemultirange[];
BEGIN
  IF @extschema@._att_on_coordinator() THEN
    PERFORM @extschema@._att_refresh_on_workers(members, p, NULL, false, 'close');
  ELSE
    PERFORM @extschema@._att_keep_open_pending(members, p);
  END IF;
  p := @extschema@._att_close_period(org, day, me, as_of);
  -- Whom it covers is its members (since 0.24.0), each on the days of the
  -- period they belong to the org or below it, by the memberships and tree
  -- it sees, while the org's period is this one (since 0.27.0; a closing
  -- again sees them afresh). Someone an
  -- earlier closing of this org and period covered who is no longer a
  -- member (their membership corrected while the period was reopened) is
  -- covered on no day: as a cover alone, it closed their days again,
  -- unchecked. The cover stays: those days were closed once, and every
  -- change to them is still recorded (att_day_ever_closed). Until 0.27.0
  -- such a person was skipped (closing_exemption) as an unapproved
  -- employee is, which left their days open even once the ERP put them
  -- back in the org (an attack review); now a membership of that day
  -- closes them as it closes everyone's. Read first, then written: on
  -- Citus the covers are distributed.
  SELECT array_agg(x.employee_id ORDER BY x.employee_id), array_agg(x.days ORDER BY x.employee_id)
    INTO cover_employees, cover_days
    FROM (SELECT m.employee_id, range_agg(m.period * t.period * p) AS days
            FROM @extschema@.org_tree t
            JOIN @extschema@.membership m ON m.org_id = t.org_id AND m.period && (t.period * p)
            JOIN @extschema@.org co ON co.org_id = t.path[1]
           WHERE t.path @> ARRAY[org] AND t.period && p AND m.employee_id = ANY (members)
             -- only while the org's period is the one closed: under a
             -- company closing on another day its days have other periods
             -- (a tree row lies in one company, whose periods partition time)
             AND @extschema@.att_closing_period_for(lower(m.period * t.period * p), co.closing_day) = p
           GROUP BY m.employee_id) x;
  -- covered before and on no day now (no longer a member, or a member only
  -- while the org's period was another)
  gone := ARRAY(SELECT v.employee_id FROM @extschema@.closing_cover v
                 WHERE v.org_id = org AND v.period = p AND NOT (v.employee_id = ANY (coalesce(cover_employees, '{}'))));
  INSERT INTO @extschema@.closing_cover AS v (employee_id, org_id, period, days)
  SELECT c.e, org, p, c.d
    FROM unnest(coalesce(cover_employees, '{}') || gone,
                coalesce(cover_days, '{}') || array_fill('{}'::datemultirange, ARRAY[cardinality(gone)])) AS c(e, d)
  ON CONFLICT (employee_id, org_id, period) DO UPDATE SET days = excluded.days;
  RETURN p;
END $$;

CREATE OR REPLACE FUNCTION att_reopen_period(org bigint, day date, actor bigint DEFAULT NULL, as_of date DEFAULT @extschema@.att_today())
RETURNS daterange
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  me bigint := @extschema@.closing_actor(org, day, actor, as_of, true);
  p daterange;
  covered bigint[];
BEGIN
  PERFORM @extschema@._att_lock_closing();
  p := @extschema@._att_reopen_period(org, day, me, as_of);
  -- what changed while the period was closed (inputs, rules, holidays) now
  -- reaches its days, recorded as corrections by whoever reopened it; days
  -- another closing still keeps closed stay as they were (since 0.24.0).
  -- Whom the closing covered too (since 0.27.0): a membership ended or
  -- moved while the period was closed is skipped for the closed days, and
  -- its employee, no longer a member, kept them as closed after the
  -- reopening, for good (a differential review: a leaving date the ERP
  -- synced during the closing left absent days after it).
  -- (read first: on Citus the covers are distributed, and a query of them
  -- inside the refresh's call would nest one distributed query in another)
  covered := ARRAY(SELECT v.employee_id FROM @extschema@.closing_cover v WHERE v.org_id = org AND v.period = p);
  PERFORM @extschema@._att_refresh(
    ARRAY(SELECT DISTINCT e FROM unnest(coalesce(@extschema@._att_org_members(org, p), '{}') || covered) AS e ORDER BY e),
    p, me, false, '{}'::date[]);
  RETURN p;
END $$;

COMMENT ON TABLE closing_cover IS 'The employees a closing of an org and period covered, recorded when it closed and kept after a reopening: their days of the period stay closed (and ever closed) whatever memberships say later. Closing the period again closes its members then, on the days it sees: anyone an earlier closing covered who is no longer a member is covered on no day and stays ever closed (since 0.27.0; from 0.24.0 skipped in closing_exemption).';

COMMENT ON COLUMN closing_cover.days IS 'The days of the period the closing closed for the employee: those they belonged to the org or below it, by the memberships and tree the latest closing of the period saw (none for someone no longer a member then); covers recorded before 0.27.0 hold the whole period. Every day of the period stays ever closed (att_day_ever_closed).';

CREATE OR REPLACE FUNCTION att_day_closed(employee bigint, day date) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
BEGIN
  RETURN EXISTS (
    SELECT 1
      FROM @extschema@.closing c
     WHERE c.period @> day
       AND (EXISTS (SELECT 1 FROM @extschema@.closing_cover v
                     WHERE v.employee_id = employee AND v.org_id = c.org_id AND v.period = c.period AND v.days @> day)
            -- (that day the org's period is the one closed: an org moved to
            -- a company closing on another day has other periods)
            OR EXISTS (SELECT 1 FROM @extschema@.membership m
                         JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period @> day
                         JOIN @extschema@.org co ON co.org_id = t.path[1]
                        WHERE m.employee_id = employee AND m.period @> day AND c.org_id = ANY (t.path)
                          AND @extschema@.att_closing_period_for(day, co.closing_day) = c.period))
       -- a closing that skipped the employee leaves their days open
       AND NOT EXISTS (SELECT 1 FROM @extschema@.closing_exemption x
                        WHERE x.org_id = c.org_id AND x.period = c.period AND x.employee_id = employee));
END $$;

COMMENT ON FUNCTION att_day_closed(bigint, date) IS 'Whether the employee''s day lies in a closed period: one the closing covered them in on that day (closing_cover), or one closed for an org they belong to that day (or an org above it) whose period that day it is; not when the closing skipped them.';

CREATE OR REPLACE FUNCTION _att_refresh(employees bigint[], days daterange, actor bigint, strict boolean, own date[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_variable
DECLARE
  changed integer;
  frozen integer;
  frozen_employees text;
  closed_in_reach boolean := false;
  -- a variable, not now() in the statements: Citus takes no function in an
  -- upsert's SET on a distributed table
  at_now timestamptz := now();
  -- the extension's now: what a day shows is compared as of it
  at_clock timestamptz := @extschema@.att_now();
  distributed boolean;
  stored @extschema@.day_record[];
  few @extschema@.day_result[];
  judged_days jsonb;
  local_days regclass;
  locked boolean;
  -- days stored pending with what they were kept to become (closed_pending.sql)
  kept jsonb;
  kept_employees bigint[];
  kept_days date[];
  writes integer;
  logged integer;
  part bigint[];
  part_frozen integer;
  part_frozen_employees text;
BEGIN
  IF days IS NULL OR isempty(days) OR lower_inf(days) OR upper_inf(days)
     OR NOT isfinite(lower(days)) OR NOT isfinite(upper(days)) THEN
    RAISE EXCEPTION 'att_refresh needs a finite range of days, got %', days USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN 0;
  END IF;
  distributed := @extschema@._att_distributed();
  IF distributed THEN
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
  END IF;
  -- On a Citus coordinator the workers refresh their own employees
  -- (citus.sql); own empty travels as a lock job with the days.
  IF distributed AND @extschema@._att_on_coordinator() THEN
    RETURN @extschema@._att_refresh_on_workers(employees, days, actor, strict,
                                               CASE WHEN cardinality(own) = 0 THEN 'lock' ELSE 'refresh' END);
  END IF;
  -- On a Citus worker every statement below names the employees, so that
  -- Citus routes it to this worker's shards of them.
  IF distributed THEN
    PERFORM @extschema@._att_lock_employees(employees);
  ELSE
    locked := @extschema@._att_lock_refreshes(employees, false);
  END IF;
  -- The usual case, no day in reach of a period that is or was closed: write
  -- what changed and withdraw the approvals of changed days, in one statement.
  -- (Periods ending before the days are skipped by the index of their ends;
  -- IS TRUE keeps closing's exclusion index, led by the org, out.)
  IF EXISTS (SELECT 1 FROM @extschema@.closing_event c
              WHERE coalesce(upper(c.period), 'infinity'::date) >= coalesce(lower(days), '-infinity'::date)
                AND c.period && days AND c.action = 'close')
     OR EXISTS (SELECT 1 FROM @extschema@.closing c
                 WHERE coalesce(upper(c.period), 'infinity'::date) >= coalesce(lower(days), '-infinity'::date)
                   AND (c.period && days) IS TRUE) THEN
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
  IF NOT closed_in_reach AND distributed THEN
    local_days := @extschema@._att_local_shard('@extschema@.day_record', employees);
  END IF;
  IF local_days IS NOT NULL THEN
    -- On a Citus worker, the employees' shards here are written directly
    -- (_att_local_shard): the statement below, on the shards.
    EXECUTE format($q$
    WITH written AS (
      INSERT INTO %1$s AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
      SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown
        FROM @extschema@._att_evaluate_batches($1, $2, true) f
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = $3
        WHERE (d.rule_id, d.rule_name, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category, d.outside_punches, d.leave_minutes, d.reasons, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes, d.due_at, d.shown)
              IS DISTINCT FROM
              (excluded.rule_id, excluded.rule_name, excluded.shift, excluded.day_kind, excluded.status, excluded.check_in, excluded.check_out, excluded.scheduled_minutes, excluded.late_minutes, excluded.early_minutes, excluded.absent_minutes, excluded.work_minutes, excluded.overtime_minutes, excluded.overtime_category, excluded.outside_punches, excluded.leave_minutes, excluded.reasons, excluded.org_id, excluded.company_id, excluded.period_start, excluded.time_zone, excluded.scheduled_start, excluded.scheduled_end, excluded.leave_type, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.check_in_place, excluded.check_out_place, excluded.attended_minutes, excluded.due_at, excluded.shown)
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      UPDATE %2$s a SET withdrawn_at = $3
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    SELECT count(*) FROM written$q$, local_days, @extschema@._att_local_shard('@extschema@.day_approval', employees))
      INTO changed USING employees, days, at_now;
    RETURN changed;
  END IF;
  IF NOT closed_in_reach THEN
    -- A few employee-days (a punch's refresh: one employee, thirteen days)
    -- are evaluated first, and nothing is written when no day changed, as
    -- after most punches: starting the upsert and the period triggers it
    -- fires cost about a tenth of a punch. A larger refresh streams its
    -- days into the upsert instead of holding them.
    IF NOT distributed AND cardinality(employees)::bigint * (upper(days) - lower(days)) <= 4096 THEN
      few := @extschema@._att_changed_days(employees, lower(days), upper(days) - 1);
      IF cardinality(few) = 0 THEN
        RETURN 0;
      END IF;
    END IF;
    RETURN @extschema@._att_store_days(employees, days, few);
  END IF;
  -- Otherwise judge every change to a day of a closed period.
  -- (closed_pending is empty but for days closed before they were over)
  IF EXISTS (SELECT 1 FROM @extschema@.closed_pending c
              WHERE c.employee_id = ANY (employees) AND c.day >= lower(days) AND c.day < upper(days)) THEN
    kept := @extschema@._att_kept_finals(employees, days);
  ELSE
    kept := '{}';
  END IF;
  IF distributed THEN
    -- On Citus in steps, each statement reading or writing the shards of
    -- this worker only: the stored days first, then every change judged in
    -- a query that reads no Citus table, then the writes. (In one statement
    -- Citus would plan the reads and writes in pieces across the nodes.)
    -- The judgement is one node's below, step by step; one node keeps its
    -- single statement, whose join probes day_record's index day by day: a
    -- company's month read into an array or a function's rows first took
    -- 1.4 to 2.5 times as long.
    -- A few thousand employee-days at a time, so that neither the stored
    -- days' array nor the changed days' jsonb nears PostgreSQL's limits
    -- (1 GB, 256 MB) on a shard's reopened month.
    changed := 0;
    frozen := 0;
    FOR part IN
      SELECT array_agg(x.e ORDER BY x.e)
        FROM (SELECT e, (row_number() OVER (ORDER BY e) - 1) / greatest(1, 2048 / (upper(days) - lower(days))) AS g
                FROM unnest(employees) AS e) x
       GROUP BY x.g ORDER BY x.g
    LOOP
      -- (as they show: see _att_day_as_shown)
      stored := ARRAY(SELECT d FROM @extschema@.day_record d
                       WHERE d.employee_id = ANY (part) AND d.day >= lower(days) AND d.day < upper(days));
      WITH fresh AS (
        SELECT * FROM @extschema@._att_evaluate_batches(part, days, true)
      ), cmp AS (
        SELECT f.*, d.employee_id IS NOT NULL AS existed,
               @extschema@._att_day_as_recorded(to_jsonb(r) - 'evaluated_at', at_clock) AS before_json,
               (s.rule_id, s.shift, s.day_kind, s.status, s.check_in, s.check_out, s.scheduled_minutes, s.late_minutes,
                s.early_minutes, s.absent_minutes, s.work_minutes, s.overtime_minutes, s.overtime_category,
                s.outside_punches, s.leave_minutes, s.reasons, s.time_zone, s.scheduled_start, s.scheduled_end, s.leave_type,
                s.trip_minutes, s.outing_minutes, s.appeal_minutes, s.check_in_place, s.check_out_place, s.attended_minutes)
               IS DISTINCT FROM
               (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
                d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
                d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
                d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes) AS figures_differ,
               (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere,
               -- a day not over yet, stored or fresh, compared as stored too: what
               -- it will be once over can change while what it shows does not (an
               -- open day's; a closed day's change is judged as it shows, below)
               (f.due_at > at_clock OR r.due_at > at_clock)
               AND (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
                    f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
                    f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
                    f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown)
                   IS DISTINCT FROM
                   (r.rule_id, r.shift, r.day_kind, r.status, r.check_in, r.check_out, r.scheduled_minutes, r.late_minutes,
                    r.early_minutes, r.absent_minutes, r.work_minutes, r.overtime_minutes, r.overtime_category,
                    r.outside_punches, r.leave_minutes, r.reasons, r.time_zone, r.scheduled_start, r.scheduled_end, r.leave_type,
                    r.trip_minutes, r.outing_minutes, r.appeal_minutes, r.check_in_place, r.check_out_place, r.attended_minutes, r.due_at, r.shown) AS form_differs,
               -- a day stored pending with what it was kept to become
               -- (closed_pending.sql): that, in its stored place, once over
               CASE WHEN d.status = 'pending' THEN kept -> (f.employee_id::text || '/' || to_char(f.day, 'YYYY-MM-DD')) END AS kept_final,
               jsonb_build_object('employee_id', d.employee_id, 'day', d.day, 'rule_name', d.rule_name, 'org_id', d.org_id,
                                  'company_id', d.company_id, 'period_start', d.period_start) AS kept_place
          FROM fresh f
          -- compared as it shows now: a day not over yet is stored with what
          -- it will be once over (day_record.due_at) or without
          CROSS JOIN LATERAL @extschema@._att_shown_at(f, at_clock) AS s
          LEFT JOIN unnest(stored) AS r ON r.employee_id = f.employee_id AND r.day = f.day
          -- (the stored day as it shows: _att_day_as_shown, as Citus takes it)
          LEFT JOIN LATERAL jsonb_populate_record(NULL::@extschema@.day_record,
                                                  @extschema@._att_day_as_shown(to_jsonb(r), at_clock)) AS d ON true
      ), judged AS MATERIALIZED (
        SELECT c.*,
               -- a change to a closed day needs the correct permission (hr after
               -- closing); closing stored every day it froze, so a closed day with
               -- no row (a membership loaded after the closing) is written only
               -- with that permission too, and otherwise left out without
               -- refusing the write that reached it; every change to a day of a
               -- period that was ever closed is recorded
               @extschema@.att_day_closed(c.employee_id, c.day) AS closed_change,
               @extschema@.att_day_ever_closed(c.employee_id, c.day) AS logged_change,
               -- once over as kept, whatever the inputs of now make of the day (a
               -- transfer or rule version the closed day skipped may end it later)
               c.kept_final IS NOT NULL AND (c.kept_final ->> 'happened')::boolean AS kept_due,
               coalesce((c.kept_final ->> 'settled')::boolean, false) AS kept_settled,
               -- the writer's own change to a closed day (own), not another input's:
               -- only it is refused, or written for hr
               own IS NULL OR c.day = ANY (own) AS own_day,
               strict AND (own IS NULL OR c.day = ANY (own)) AS strict_day
          FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere OR c.form_differs
      ), permitted AS MATERIALIZED (
        SELECT j.*, j.closed_change AND j.own_day
                    AND actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE AS may_correct
          FROM judged j
      ), decided AS (
        SELECT p.*, p.closed_change AND p.kept_due AND (p.kept_settled OR (NOT p.strict_day AND NOT p.may_correct)) AS by_time
          FROM permitted p
         -- a closed day keeps the department and period it was closed in: a
         -- later membership or tree change alone is no change to it
         WHERE NOT (p.closed_change AND p.existed AND NOT p.figures_differ)
           -- nor is time's, before the day kept is over
           AND NOT (p.closed_change AND p.kept_settled AND NOT p.kept_due AND NOT p.may_correct)
      ), allowed AS (
        -- what is written: the fresh day, or by time what was kept
        SELECT r.*, d.existed, d.before_json, d.logged_change, d.by_time, d.strict_day,
               NOT d.closed_change OR d.by_time OR d.may_correct AS ok
          FROM decided d
         CROSS JOIN LATERAL jsonb_populate_record(NULL::@extschema@.day_result,
                              CASE WHEN d.by_time THEN (d.kept_final -> 'final') || d.kept_place ELSE to_jsonb(d) END) AS r
      )
      SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.employee_id, a.day), '[]'),
             count(*) FILTER (WHERE a.ok), count(*) FILTER (WHERE a.ok AND a.logged_change),
             count(*) FILTER (WHERE NOT a.ok AND a.existed AND a.strict_day),
             string_agg(DISTINCT a.employee_id::text, ', ') FILTER (WHERE NOT a.ok AND a.existed AND a.strict_day)
        INTO judged_days, writes, logged, part_frozen, part_frozen_employees
        FROM allowed a;
      -- (each step only when it has rows: most punches reaching a closed day
      -- change only their own open day)
      -- time's change to a closed day is no one's: no actor, its own reason
      IF logged > 0 THEN
        INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
        SELECT (a ->> 'employee_id')::bigint, (a ->> 'day')::date,
               CASE WHEN (a ->> 'by_time')::boolean THEN NULL ELSE actor END,
               CASE WHEN (a ->> 'by_time')::boolean THEN 'over after its period was closed: what it was closed to become'
                    ELSE nullif(current_setting('attendance.reason', true), '') END,
               coalesce(a -> 'before_json', 'null'::jsonb),
               -- as it shows now with what it will be once over, as before_json
               @extschema@._att_day_as_recorded(to_jsonb(jsonb_populate_record(NULL::@extschema@.day_result, a)), at_clock)
          FROM jsonb_array_elements(judged_days) AS a WHERE (a ->> 'logged_change')::boolean AND (a ->> 'ok')::boolean;
      END IF;
      IF writes > 0 THEN
        WITH written AS (
          INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
          SELECT f.employee_id, f.day, f.rule_id, f.rule_name, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category, f.outside_punches, f.leave_minutes, f.reasons, f.org_id, f.company_id, f.period_start, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type, f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown
            FROM jsonb_array_elements(judged_days) AS a, jsonb_populate_record(NULL::@extschema@.day_result, a) AS f
           WHERE (a ->> 'ok')::boolean
          ON CONFLICT (employee_id, day) DO UPDATE
            SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = at_now
          RETURNING d.employee_id, d.day
        ), withdrawn AS (
          -- a changed day withdraws its approval; the approval stays as history
          UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
            FROM written w
           WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL AND a.employee_id = ANY (part)
          RETURNING 1
        )
        SELECT changed + count(*) INTO changed FROM written;
      END IF;
      frozen := frozen + part_frozen;
      frozen_employees := concat_ws(', ', frozen_employees, part_frozen_employees);
    END LOOP;
  ELSE
    WITH fresh AS (
      SELECT * FROM @extschema@._att_evaluate_batches(employees, days, true)
    ), cmp AS (
      SELECT f.*, d.employee_id IS NOT NULL AS existed,
             @extschema@._att_day_as_recorded(to_jsonb(r) - 'evaluated_at', at_clock) AS before_json,
             (s.rule_id, s.shift, s.day_kind, s.status, s.check_in, s.check_out, s.scheduled_minutes, s.late_minutes,
              s.early_minutes, s.absent_minutes, s.work_minutes, s.overtime_minutes, s.overtime_category,
              s.outside_punches, s.leave_minutes, s.reasons, s.time_zone, s.scheduled_start, s.scheduled_end, s.leave_type,
              s.trip_minutes, s.outing_minutes, s.appeal_minutes, s.check_in_place, s.check_out_place, s.attended_minutes)
             IS DISTINCT FROM
             (d.rule_id, d.shift, d.day_kind, d.status, d.check_in, d.check_out, d.scheduled_minutes, d.late_minutes,
              d.early_minutes, d.absent_minutes, d.work_minutes, d.overtime_minutes, d.overtime_category,
              d.outside_punches, d.leave_minutes, d.reasons, d.time_zone, d.scheduled_start, d.scheduled_end, d.leave_type,
              d.trip_minutes, d.outing_minutes, d.appeal_minutes, d.check_in_place, d.check_out_place, d.attended_minutes) AS figures_differ,
             (f.org_id, f.company_id, f.period_start) IS DISTINCT FROM (d.org_id, d.company_id, d.period_start) AS placed_elsewhere,
             -- a day not over yet, stored or fresh, compared as stored too: what
             -- it will be once over can change while what it shows does not (an
             -- open day's; a closed day's change is judged as it shows, below)
             (f.due_at > at_clock OR r.due_at > at_clock)
             AND (f.rule_id, f.shift, f.day_kind, f.status, f.check_in, f.check_out, f.scheduled_minutes, f.late_minutes,
                  f.early_minutes, f.absent_minutes, f.work_minutes, f.overtime_minutes, f.overtime_category,
                  f.outside_punches, f.leave_minutes, f.reasons, f.time_zone, f.scheduled_start, f.scheduled_end, f.leave_type,
                  f.trip_minutes, f.outing_minutes, f.appeal_minutes, f.check_in_place, f.check_out_place, f.attended_minutes, f.due_at, f.shown)
                 IS DISTINCT FROM
                 (r.rule_id, r.shift, r.day_kind, r.status, r.check_in, r.check_out, r.scheduled_minutes, r.late_minutes,
                  r.early_minutes, r.absent_minutes, r.work_minutes, r.overtime_minutes, r.overtime_category,
                  r.outside_punches, r.leave_minutes, r.reasons, r.time_zone, r.scheduled_start, r.scheduled_end, r.leave_type,
                  r.trip_minutes, r.outing_minutes, r.appeal_minutes, r.check_in_place, r.check_out_place, r.attended_minutes, r.due_at, r.shown) AS form_differs,
             -- a day stored pending with what it was kept to become
             -- (closed_pending.sql): that, in its stored place, once over
             CASE WHEN d.status = 'pending' THEN kept -> (f.employee_id::text || '/' || to_char(f.day, 'YYYY-MM-DD')) END AS kept_final,
             jsonb_build_object('employee_id', d.employee_id, 'day', d.day, 'rule_name', d.rule_name, 'org_id', d.org_id,
                                'company_id', d.company_id, 'period_start', d.period_start) AS kept_place
        FROM fresh f
        -- compared as it shows now (see above)
        CROSS JOIN LATERAL @extschema@._att_shown_at(f, at_clock) AS s
        LEFT JOIN @extschema@._att_days_now d ON d.employee_id = f.employee_id AND d.day = f.day
        -- (and as stored, for the record of a change: _att_day_as_recorded)
        LEFT JOIN @extschema@.day_record r ON r.employee_id = f.employee_id AND r.day = f.day
    ), judged AS MATERIALIZED (
      SELECT c.*,
             -- a change to a closed day needs the correct permission (hr after
             -- closing); closing stored every day it froze, so a closed day with
             -- no row (a membership loaded after the closing) is written only
             -- with that permission too, and otherwise left out without
             -- refusing the write that reached it; every change to a day of a
             -- period that was ever closed is recorded
             @extschema@.att_day_closed(c.employee_id, c.day) AS closed_change,
             @extschema@.att_day_ever_closed(c.employee_id, c.day) AS logged_change,
             -- once over as kept, whatever the inputs of now make of the day (a
             -- transfer or rule version the closed day skipped may end it later)
             c.kept_final IS NOT NULL AND (c.kept_final ->> 'happened')::boolean AS kept_due,
             coalesce((c.kept_final ->> 'settled')::boolean, false) AS kept_settled,
             -- the writer's own change to a closed day (own), not another input's:
             -- only it is refused, or written for hr
             own IS NULL OR c.day = ANY (own) AS own_day,
             strict AND (own IS NULL OR c.day = ANY (own)) AS strict_day
        FROM cmp c WHERE NOT c.existed OR c.figures_differ OR c.placed_elsewhere OR c.form_differs
    ), permitted AS MATERIALIZED (
      SELECT j.*, j.closed_change AND j.own_day
                  AND actor IS NOT NULL AND @extschema@.att_has_permission(actor, j.employee_id, j.day, 'correct', @extschema@.att_today()) IS TRUE AS may_correct
        FROM judged j
    ), decided AS (
      SELECT p.*, p.closed_change AND p.kept_due AND (p.kept_settled OR (NOT p.strict_day AND NOT p.may_correct)) AS by_time
        FROM permitted p
       -- a closed day keeps the department and period it was closed in: a
       -- later membership or tree change alone is no change to it
       WHERE NOT (p.closed_change AND p.existed AND NOT p.figures_differ)
         -- nor is time's, before the day kept is over
         AND NOT (p.closed_change AND p.kept_settled AND NOT p.kept_due AND NOT p.may_correct)
    ), allowed AS (
      -- what is written: the fresh day, or by time what was kept
      SELECT r.*, d.existed, d.before_json, d.logged_change, d.by_time, d.strict_day,
             NOT d.closed_change OR d.by_time OR d.may_correct AS ok
        FROM decided d
       CROSS JOIN LATERAL jsonb_populate_record(NULL::@extschema@.day_result,
                            CASE WHEN d.by_time THEN (d.kept_final -> 'final') || d.kept_place ELSE to_jsonb(d) END) AS r
    ), logged AS (
      -- time's change to a closed day is no one's: no actor, its own reason
      INSERT INTO @extschema@.correction (employee_id, day, actor, reason, before, after)
      SELECT a.employee_id, a.day, CASE WHEN a.by_time THEN NULL ELSE actor END,
             CASE WHEN a.by_time THEN 'over after its period was closed: what it was closed to become'
                  ELSE nullif(current_setting('attendance.reason', true), '') END,
             coalesce(a.before_json, 'null'::jsonb),
             -- as it shows now with what it will be once over, as before_json
             @extschema@._att_day_as_recorded(to_jsonb(jsonb_populate_record(NULL::@extschema@.day_result, to_jsonb(a))), at_clock)
        FROM allowed a WHERE a.logged_change AND a.ok
      RETURNING 1
    ), written AS (
      INSERT INTO @extschema@.day_record AS d (employee_id, day, rule_id, rule_name, shift, day_kind, status, check_in, check_out, scheduled_minutes, late_minutes, early_minutes, absent_minutes, work_minutes, overtime_minutes, overtime_category, outside_punches, leave_minutes, reasons, org_id, company_id, period_start, time_zone, scheduled_start, scheduled_end, leave_type, trip_minutes, outing_minutes, appeal_minutes, check_in_place, check_out_place, attended_minutes, due_at, shown)
      SELECT a.employee_id, a.day, a.rule_id, a.rule_name, a.shift, a.day_kind, a.status, a.check_in, a.check_out, a.scheduled_minutes, a.late_minutes, a.early_minutes, a.absent_minutes, a.work_minutes, a.overtime_minutes, a.overtime_category, a.outside_punches, a.leave_minutes, a.reasons, a.org_id, a.company_id, a.period_start, a.time_zone, a.scheduled_start, a.scheduled_end, a.leave_type, a.trip_minutes, a.outing_minutes, a.appeal_minutes, a.check_in_place, a.check_out_place, a.attended_minutes, a.due_at, a.shown FROM allowed a WHERE a.ok
      ON CONFLICT (employee_id, day) DO UPDATE
        SET rule_id = excluded.rule_id, rule_name = excluded.rule_name, shift = excluded.shift, day_kind = excluded.day_kind, status = excluded.status, check_in = excluded.check_in, check_out = excluded.check_out, scheduled_minutes = excluded.scheduled_minutes, late_minutes = excluded.late_minutes, early_minutes = excluded.early_minutes, absent_minutes = excluded.absent_minutes, work_minutes = excluded.work_minutes, overtime_minutes = excluded.overtime_minutes, overtime_category = excluded.overtime_category, outside_punches = excluded.outside_punches, leave_minutes = excluded.leave_minutes, reasons = excluded.reasons, org_id = excluded.org_id, company_id = excluded.company_id, period_start = excluded.period_start, time_zone = excluded.time_zone, scheduled_start = excluded.scheduled_start, scheduled_end = excluded.scheduled_end, leave_type = excluded.leave_type, trip_minutes = excluded.trip_minutes, outing_minutes = excluded.outing_minutes, appeal_minutes = excluded.appeal_minutes, check_in_place = excluded.check_in_place, check_out_place = excluded.check_out_place, attended_minutes = excluded.attended_minutes, due_at = excluded.due_at, shown = excluded.shown, evaluated_at = at_now
      RETURNING d.employee_id, d.day
    ), withdrawn AS (
      -- a changed day withdraws its approval; the approval stays as history
      UPDATE @extschema@.day_approval a SET withdrawn_at = at_now
        FROM written w
       WHERE a.employee_id = w.employee_id AND a.day = w.day AND a.withdrawn_at IS NULL
      RETURNING 1
    )
    -- (logged runs whether or not it is read: data-modifying CTEs always complete)
    SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM allowed a WHERE NOT a.ok AND a.existed AND a.strict_day),
           (SELECT string_agg(DISTINCT a.employee_id::text, ', ') FROM allowed a WHERE NOT a.ok AND a.existed AND a.strict_day)
      INTO changed, frozen, frozen_employees;
  END IF;
  -- Acting for someone who may correct them (hr after closing), the
  -- closed days not over yet are kept again to become what the inputs of
  -- now make them once over: the change may be to what they will be, not
  -- yet to what they show. (With own, only those the statement reached.)
  IF actor IS NOT NULL THEN
    SELECT array_agg(d.employee_id ORDER BY d.employee_id, d.day), array_agg(d.day ORDER BY d.employee_id, d.day)
      INTO kept_employees, kept_days
      FROM @extschema@.day_record d
     WHERE d.employee_id = ANY (employees) AND d.day >= lower(days) AND d.day < upper(days) AND d.status = 'pending'
       AND (own IS NULL OR d.day = ANY (own))
       AND @extschema@.att_day_closed(d.employee_id, d.day)
       AND @extschema@.att_has_permission(actor, d.employee_id, d.day, 'correct', @extschema@.att_today()) IS TRUE;
    IF kept_employees IS NOT NULL THEN
      PERFORM @extschema@._att_keep_closed_pending(kept_employees, kept_days);
    END IF;
  END IF;
  IF frozen > 0 AND strict THEN
    RAISE EXCEPTION 'change to % day(s) of employee % in a closed period refused', frozen, frozen_employees
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Only an hr assignment corrects days after closing (the acting employee needs the correct permission); or reopen the period.';
  END IF;
  RETURN changed;
END $$;

COMMENT ON INDEX day_record_pending_idx IS 'Pending days by day and scheduled start: att_finalize reads the earliest, and of the recent days only those begun (0.27.0).';

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

COMMENT ON FUNCTION _att_days_at_instant(bigint, timestamptz) IS 'Internal: the employee''s days that the punches at that instant change, judged with and without them as they show now and once every punch stored has happened (each day with the later start its previous workday earns).';

CREATE FUNCTION _att_days_at_instant_shard(anchor bigint, employee bigint, at timestamptz) RETURNS date[]
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  nested text := current_setting('citus.allow_nested_distributed_execution', true);
  days date[];
BEGIN
  PERFORM set_config('citus.allow_nested_distributed_execution', 'on', true);
  days := @extschema@._att_days_at_instant(employee, at);
  PERFORM set_config('citus.allow_nested_distributed_execution', coalesce(nested, 'off'), true);
  RETURN days;
END $$;

COMMENT ON FUNCTION _att_days_at_instant_shard(bigint, bigint, timestamptz) IS 'Internal: on a Citus worker, _att_days_at_instant for an employee of the anchor''s shard (see shard_anchor).';

CREATE FUNCTION correction_days_judged(employee bigint, at timestamptz) RETURNS date[]
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  anchor bigint;
  days date[];
BEGIN
  IF employee IS NULL OR at IS NULL THEN
    RETURN '{}';
  END IF;
  IF NOT @extschema@._att_on_coordinator() THEN
    RETURN @extschema@._att_days_at_instant(employee, at);
  END IF;
  -- the representative id of the employee's shard, and its anchor row
  EXECUTE 'SELECT a.v FROM unnest(@extschema@._att_shard_representatives()) AS a(v)
            WHERE pg_catalog.get_shard_id_for_distribution_column(''@extschema@.day_record'', a.v)
                  = pg_catalog.get_shard_id_for_distribution_column(''@extschema@.day_record'', $1)
            LIMIT 1'
     INTO anchor USING employee;
  IF anchor IS NOT NULL THEN
    -- literals, not parameters: Citus plans the statement for its values
    EXECUTE pg_catalog.format('SELECT @extschema@._att_days_at_instant_shard(a.employee_id, %s, %L::timestamptz)
                                 FROM @extschema@.shard_anchor a WHERE a.employee_id = %s', employee, at, anchor)
       INTO days;
  END IF;
  -- a shard without an anchor (split after att_distribute) cannot be
  -- judged: refused as evaluation is
  IF days IS NULL THEN
    RAISE EXCEPTION 'the shard of employee % has no anchor: its corrections cannot be judged', employee
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'After splitting shards, a superuser runs SELECT attendance.att_anchor_shards() on the coordinator.';
  END IF;
  RETURN days;
END $$;

COMMENT ON FUNCTION correction_days_judged(bigint, timestamptz) IS 'Internal: the days a correction at that instant changes, as the engine judges them (_att_days_at_instant; on Citus on the worker holding the employee).';

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
  PERFORM @extschema@.correction_check_listed(actor, employee, @extschema@.correction_days_judged(employee, at));
  -- the rule's limits, once the actor may correct every day the punch
  -- changed and those days know which one it serves
  PERFORM @extschema@.make_up_limit_check(employee, at);
  RETURN id;
END $$;

CREATE OR REPLACE FUNCTION att_void_punch(employee bigint, punch bigint, reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p record;
  actor bigint;
  before jsonb;
  after jsonb;
  judged date[];
  old_reason text;
  old_actor text;
BEGIN
  SELECT * INTO p FROM @extschema@.punch x WHERE x.employee_id = employee AND x.punch_id = punch;
  -- a punch that does not exist has no instant, and is refused like one the
  -- actor may not touch
  actor := @extschema@.correction_actor(employee, p.at);
  before := @extschema@.correction_days(employee, p.at);
  -- with the punch still in: the days it changes are those its void will
  judged := @extschema@.correction_days_judged(employee, p.at);
  old_reason := @extschema@._att_set_local('attendance.reason', reason);
  old_actor := @extschema@._att_set_local('attendance.acting_employee', actor::text);
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason) VALUES (employee, punch, p.at, actor, reason);
  PERFORM @extschema@._att_set_local('attendance.reason', old_reason);
  PERFORM @extschema@._att_set_local('attendance.acting_employee', old_actor);
  after := @extschema@.correction_days(employee, p.at);
  PERFORM @extschema@.correction_check_days(actor, employee, before, after);
  PERFORM @extschema@.correction_check_listed(actor, employee, judged);
END $$;

REVOKE EXECUTE ON FUNCTION correction_refused(bigint, bigint), correction_actor(bigint, timestamptz), make_up_limit_check(bigint, timestamptz), make_up_day(bigint, timestamptz),
  correction_days(bigint, timestamptz), correction_check_days(bigint, bigint, jsonb, jsonb),
  _att_days_at_instant(bigint, timestamptz), _att_days_at_instant_shard(bigint, bigint, timestamptz), correction_days_judged(bigint, timestamptz),
  correction_check_listed(bigint, bigint, date[]) FROM PUBLIC;


-- correction_days_ahead judged only an instant still to come; its
-- successor, correction_days_judged, judges every correction
DROP FUNCTION correction_days_ahead(bigint, timestamptz);

-- On Citus day_record is distributed: its rows are in the shards each
-- node holds (day_record_<shard id>), whose pending index the statements
-- above, not passed on, did not change. Each node changes the shards it
-- holds, named as Citus names a shard's index (a fresh deployment's
-- att_distribute has Citus copy the index).
DO $$
DECLARE
  s record;
BEGIN
  IF pg_catalog.to_regclass('pg_catalog.pg_dist_shard') IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_catalog.set_config('citus.enable_manual_changes_to_shards', 'on', true);
  FOR s IN EXECUTE $q$
    SELECT pg_catalog.shard_name(s.logicalrelid, s.shardid) AS shard, 'day_record_pending_idx_' || s.shardid AS index_name
      FROM pg_catalog.pg_dist_shard s
     WHERE s.logicalrelid = '@extschema@.day_record'::regclass$q$
  LOOP
    IF pg_catalog.to_regclass(s.shard) IS NOT NULL THEN
      EXECUTE pg_catalog.format('DROP INDEX IF EXISTS @extschema@.%I', s.index_name);
      EXECUTE pg_catalog.format('CREATE INDEX %I ON %s (day, scheduled_start) WHERE status = ''pending''', s.index_name, s.shard);
    END IF;
  END LOOP;
END $$;

-- correction_check_next_workday looked the later start up by the stored
-- days and the voided day's rule; correction_days_judged judges it, on
-- Citus too
DROP FUNCTION correction_check_next_workday(bigint, bigint, jsonb, jsonb);

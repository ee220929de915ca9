-- Upgrade from 0.23.0 (frozen in attendance--0.23.0.sql) to 0.24.0:
-- att_close_org checks the period's days as the closing will close them.
-- It stores and judges them from the inputs of now first, as
-- att_close_period does before it records the closing. Until now it read
-- the days as they were stored: a change waiting for att_finalize (a rule
-- version, an org-wide holiday) passed the check with its days approved,
-- the closing's own refresh then withdrew those approvals, and the period
-- closed with figures nobody approved; a workday no run had stored was not
-- counted. A workday not over yet is no longer counted as unapproved.
-- Nothing to do after ALTER EXTENSION attendance UPDATE.
-- tests/upgrade checks that an upgraded database has exactly the objects
-- of a fresh one; tests/citus upgrades a distributed 0.23.0 in place.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script).
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);

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
  -- The days are checked as the closing will close them (since 0.24.0):
  -- stored and judged from the inputs of now first, as att_close_period
  -- does before it records the closing (its own refresh then finds nothing
  -- to change). Checked on the days as they were stored, a change waiting
  -- for att_finalize (a rule version, an org-wide holiday) passed the
  -- check with its days approved, the closing's refresh withdrew those
  -- approvals, and the period closed with figures nobody approved; a
  -- workday no run had stored yet was not counted at all.
  members := coalesce(@extschema@._att_org_members(org, p), '{}');
  PERFORM @extschema@._att_refresh(members, p, me, false);
  IF @extschema@._att_distributed() THEN
    -- On Citus the same in steps: their timesheets and unapproved days
    -- each in one query routed to their shards (Citus plans no per-member
    -- subquery over a distributed table).
    WITH sheets AS MATERIALIZED (
      SELECT t.employee_id, t.state FROM @extschema@.timesheet t WHERE t.employee_id = ANY (members) AND t.period = p
    ), open_days AS MATERIALIZED (
      SELECT d.employee_id, count(*) AS days FROM @extschema@.day_record d
       WHERE d.employee_id = ANY (members) AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')
         AND d.status <> 'pending'
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
            FROM unnest(members) AS m(employee_id)
            LEFT JOIN @extschema@.timesheet t ON t.employee_id = m.employee_id AND t.period = p
            CROSS JOIN LATERAL (
              SELECT count(*) AS days FROM @extschema@.day_record d
               WHERE d.employee_id = m.employee_id AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')
                 AND d.status <> 'pending'
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
COMMENT ON FUNCTION att_close_org(bigint, date, text) IS
  'Closes (締め処理) the org''s closing period holding day, as att_close_period, after checking every employee in it on the period''s days as the closing will close them (stored and judged from the inputs of now first): unapproved = ''report'' lists those whose timesheet is not approved or whose workdays are not all approved (a workday not over yet is not counted: nobody can approve what it will be) and closes nothing while there are any; ''skip'' closes and leaves those employees'' days open (closing_exemption). On the company root this is company closing.';

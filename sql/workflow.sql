-- The workflows the permissions guard (SPEC.md A, seed 002): approvers and
-- proxies, daily approval, timesheets with send-back, closing that skips or
-- reports unapproved employees, and decentralised rule ownership. Every
-- action is one SECURITY DEFINER function acting as att_current_employee().

CREATE TYPE timesheet_state AS ENUM ('submitted', 'approved', 'sent_back');
COMMENT ON TYPE timesheet_state IS 'submitted (提出), approved (承認), sent_back (差戻し).';

CREATE TABLE approver (
  employee_id bigint NOT NULL REFERENCES employee (employee_id),
  entry_id    bigint GENERATED ALWAYS AS IDENTITY,
  approver_id bigint NOT NULL REFERENCES employee (employee_id),
  period      daterange NOT NULL,
  set_by      bigint NOT NULL REFERENCES employee (employee_id),
  set_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (employee_id, entry_id),
  CONSTRAINT approver_one_at_a_time EXCLUDE USING gist (employee_id WITH =, period WITH &&),
  CONSTRAINT approver_period_has_start CHECK (NOT isempty(period) AND NOT lower_inf(period))
);
COMMENT ON TABLE approver IS 'The approver (承認者) of an employee''s days and timesheets, effective-dated; one at a time.';

CREATE TABLE proxy (
  employee_id bigint NOT NULL REFERENCES employee (employee_id),
  entry_id    bigint GENERATED ALWAYS AS IDENTITY,
  proxy_id    bigint NOT NULL REFERENCES employee (employee_id),
  period      daterange NOT NULL,
  set_by      bigint NOT NULL REFERENCES employee (employee_id),
  set_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (employee_id, entry_id),
  CONSTRAINT proxy_no_duplicate EXCLUDE USING gist (employee_id WITH =, proxy_id WITH =, period WITH &&),
  CONSTRAINT proxy_period_has_start CHECK (NOT isempty(period) AND NOT lower_inf(period))
);
COMMENT ON TABLE proxy IS 'Proxies (代理者) who may act for an employee (submit their timesheet) while the period holds today.';

CREATE TABLE day_approval (
  employee_id  bigint NOT NULL REFERENCES employee (employee_id),
  approval_id  bigint GENERATED ALWAYS AS IDENTITY,
  day          date NOT NULL,
  approved_by  bigint NOT NULL REFERENCES employee (employee_id),
  approved_at  timestamptz NOT NULL DEFAULT now(),
  figures      jsonb NOT NULL,
  withdrawn_at timestamptz,
  PRIMARY KEY (employee_id, approval_id)
);
CREATE UNIQUE INDEX day_approval_current ON day_approval (employee_id, day) WHERE withdrawn_at IS NULL;
COMMENT ON TABLE day_approval IS 'Daily approvals (日次承認) with the evaluated figures approved; a later change to the day withdraws the approval (withdrawn_at) and keeps it as history.';

CREATE TABLE timesheet (
  employee_id bigint NOT NULL REFERENCES employee (employee_id),
  period      daterange NOT NULL,
  state       timesheet_state NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (employee_id, period)
);
COMMENT ON TABLE timesheet IS 'An employee''s timesheet (勤務表) per closing period and its current state.';

CREATE TABLE timesheet_event (
  employee_id bigint NOT NULL REFERENCES employee (employee_id),
  event_id    bigint GENERATED ALWAYS AS IDENTITY,
  period      daterange NOT NULL,
  action      text NOT NULL CHECK (action IN ('submit', 'approve', 'send_back')),
  actor       bigint NOT NULL REFERENCES employee (employee_id),
  at          timestamptz NOT NULL DEFAULT now(),
  reason      text,
  PRIMARY KEY (employee_id, event_id)
);
COMMENT ON TABLE timesheet_event IS 'Every step of every timesheet: who, when, and the reason of a send-back.';

-- The acting employee, or an error: every workflow action needs one.
CREATE FUNCTION workflow_actor() RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  me bigint := @extschema@.att_current_employee();
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'no acting employee: map the login in login_employee, or act through attendance_app'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN me;
END $$;

CREATE FUNCTION refuse(what text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '%', what USING ERRCODE = 'insufficient_privilege';
END $$;

-- Whether the actor's full scope covers the employee on every day of the
-- period (open-ended periods included): what a delegation the actor sets
-- must lie within. Full on a day = a membership that day in an org the
-- actor manages as of today (SPEC.md A, rule 1).
CREATE FUNCTION full_over(actor bigint, employee bigint, period daterange) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(range_agg(m.period * t.period) @> full_over.period, false)
    FROM @extschema@.membership m
    JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period && m.period
   WHERE m.employee_id = employee
     AND EXISTS (SELECT 1 FROM @extschema@.admin_grant g
                  WHERE g.admin_id = actor AND g.period @> @extschema@.att_today() AND t.path @> ARRAY[g.org_id]);
END;
COMMENT ON FUNCTION full_over(bigint, bigint, daterange) IS 'Internal: whether the actor has full scope over the employee on every day of the period.';

-- An approver acts on a day only while the entry holds it and whoever set
-- the entry had full scope over the employee on that day (judged as of that
-- day): a delegation never outlives its setter's scope.
-- PL/pgSQL, not SQL: Citus plans no SQL-function statement whose parameter
-- picks the shard. The setters are read first and judged after: on Citus a
-- query on approver runs on a worker, where no further query may start.
CREATE FUNCTION is_approver(actor bigint, employee bigint, day date) RETURNS boolean
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

CREATE FUNCTION att_set_approver(employee bigint, approver bigint, period daterange) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
BEGIN
  IF employee IS NULL OR approver IS NULL OR period IS NULL OR isempty(period) OR lower_inf(period)
     OR NOT @extschema@.full_over(actor, employee, period) THEN
    PERFORM @extschema@.refuse(format('employee %s may not set the approver of employee %s for %s', actor, employee, period));
  END IF;
  -- the new entry replaces, for its period, whatever entries overlap it
  WITH old AS (
    DELETE FROM @extschema@.approver a WHERE a.employee_id = employee AND a.period && period
    RETURNING a.approver_id, a.period, a.set_by, a.set_at
  )
  INSERT INTO @extschema@.approver (employee_id, approver_id, period, set_by, set_at)
  SELECT employee, o.approver_id, v.piece, o.set_by, o.set_at
    FROM old o,
         LATERAL (VALUES (o.period * daterange(NULL, lower(period))),
                         (CASE WHEN upper_inf(period) THEN 'empty'::daterange
                               ELSE o.period * daterange(upper(period), NULL) END)) AS v(piece)
   WHERE NOT isempty(v.piece);
  INSERT INTO @extschema@.approver (employee_id, approver_id, period, set_by) VALUES (employee, approver, period, actor);
END $$;
COMMENT ON FUNCTION att_set_approver(bigint, bigint, daterange) IS 'Sets the approver of an employee for a period, replacing for that period any approver set before; needs full scope (the set_approver permission) over the employee on every day of the period, open-ended periods included (42501 otherwise). The approver acts on a day only while whoever set the entry had full scope on it.';

CREATE FUNCTION att_set_proxy(employee bigint, proxy bigint, period daterange) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
BEGIN
  IF employee IS NULL OR proxy IS NULL OR period IS NULL OR isempty(period) OR lower_inf(period)
     OR NOT @extschema@.full_over(actor, employee, period) THEN
    PERFORM @extschema@.refuse(format('employee %s may not set a proxy of employee %s for %s', actor, employee, period));
  END IF;
  INSERT INTO @extschema@.proxy (employee_id, proxy_id, period, set_by) VALUES (employee, proxy, period, actor);
END $$;
COMMENT ON FUNCTION att_set_proxy(bigint, bigint, daterange) IS 'Sets a proxy who may act for the employee during the period; needs full scope (the set_proxy permission) over the employee on every day of the period (42501 otherwise). The proxy acts for a timesheet only while whoever set the entry had full scope on its day.';

CREATE FUNCTION att_approve_day(employee bigint, day date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  actor bigint := @extschema@.workflow_actor();
  record_json jsonb;
  id bigint;
BEGIN
  -- nobody approves their own days (seed 002 is silent; separation of duties)
  IF employee IS NULL OR day IS NULL OR actor = employee
     OR NOT (@extschema@.is_approver(actor, employee, day) IS TRUE
             OR @extschema@.att_has_permission(actor, employee, day, 'daily_approval', @extschema@.att_today()) IS TRUE) THEN
    PERFORM @extschema@.refuse(format('employee %s may not approve this day of employee %s', actor, employee));
  END IF;
  -- the figures approved are those no refresh in flight is about to replace
  PERFORM @extschema@._att_lock_employees(ARRAY[employee]);
  SELECT @extschema@._att_day_as_shown(to_jsonb(d), @extschema@.att_now()) - 'evaluated_at' INTO record_json
    FROM @extschema@.day_record d WHERE d.employee_id = employee AND d.day = day;
  IF record_json IS NULL THEN
    RAISE EXCEPTION 'day % of employee % has not been evaluated', day, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- a day not over yet has no figures to approve: they change once it is
  -- over, which since 0.25.0 writes nothing that would withdraw the approval
  IF record_json ->> 'status' = 'pending' THEN
    RAISE EXCEPTION 'day % of employee % is not over yet', day, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  UPDATE @extschema@.day_approval a SET withdrawn_at = now()
   WHERE a.employee_id = employee AND a.day = day AND a.withdrawn_at IS NULL;
  INSERT INTO @extschema@.day_approval (employee_id, day, approved_by, figures)
  VALUES (employee, day, actor, record_json) RETURNING approval_id INTO id;
  RETURN id;
END $$;
COMMENT ON FUNCTION att_approve_day(bigint, date) IS 'Approves an employee-day''s planned and actual work (日次承認) with the figures evaluated for it; by the employee''s approver, or an admin with full scope on the day (view scope is refused), never by the employee themselves (42501).';

CREATE FUNCTION timesheet_step(employee bigint, day date, action text, reason text DEFAULT NULL) RETURNS daterange
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
  ELSIF action = 'send_back' AND current_state = 'approved' THEN
    -- An approved timesheet is sent back while its period is open for the
    -- employee (since 0.24.0): a day approved in it may change afterwards
    -- (a leave synced late, a correction) and its approval is withdrawn,
    -- and until now neither side could redo the timesheet. Once closed,
    -- the period's figures are what the closing checked.
    IF EXISTS (SELECT 1 FROM generate_series(lower(p), upper(p) - 1, interval '1 day') AS d(day)
                WHERE @extschema@.att_day_closed(employee, d.day::date)) THEN
      RAISE EXCEPTION 'the timesheet % of employee % is approved and its period is closed', p, employee
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
  ELSIF action <> 'submit' AND current_state IS DISTINCT FROM 'submitted' THEN
    RAISE EXCEPTION 'the timesheet % of employee % is not submitted', p, employee USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  INSERT INTO @extschema@.timesheet AS t (employee_id, period, state)
  VALUES (employee, p, CASE action WHEN 'submit' THEN 'submitted' WHEN 'approve' THEN 'approved' ELSE 'sent_back' END::@extschema@.timesheet_state)
  ON CONFLICT (employee_id, period) DO UPDATE SET state = excluded.state, changed_at = at_now;
  INSERT INTO @extschema@.timesheet_event (employee_id, period, action, actor, reason) VALUES (employee, p, action, actor, reason);
  RETURN p;
END $$;

CREATE FUNCTION att_submit_timesheet(employee bigint, day date) RETURNS daterange
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN @extschema@.timesheet_step(employee, day, 'submit');
COMMENT ON FUNCTION att_submit_timesheet(bigint, date) IS 'Submits (提出) the employee''s timesheet of the closing period holding day; by the employee, or a proxy whose period holds today and whose setter had full scope on day. A sent-back timesheet is resubmitted the same way. Anyone else gets 42501, before anything about the employee is read.';

CREATE FUNCTION att_approve_timesheet(employee bigint, day date) RETURNS daterange
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN @extschema@.timesheet_step(employee, day, 'approve');
COMMENT ON FUNCTION att_approve_timesheet(bigint, date) IS 'Approves a submitted timesheet; by the approver or an admin with full scope on day, never by the employee themselves (42501, before anything about the employee is read).';

CREATE FUNCTION att_send_back_timesheet(employee bigint, day date, reason text) RETURNS daterange
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN @extschema@.timesheet_step(employee, day, 'send_back', reason);
COMMENT ON FUNCTION att_send_back_timesheet(bigint, date, text) IS 'Sends a submitted timesheet back (差戻し) with a reason, or an approved one while no day of its period is closed for the employee (55000 once it is); by the approver or an admin holding send_back on day.';

-- Closing an org with the check Japanese systems make first.
CREATE FUNCTION att_close_org(org bigint, day date, unapproved text DEFAULT 'report')
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
  now_clock timestamptz := @extschema@.att_now();
BEGIN
  IF unapproved IS NULL OR unapproved NOT IN ('report', 'skip') THEN
    RAISE EXCEPTION 'unapproved must be report or skip, got %', unapproved USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- No refresh may withdraw an approval between this check and the
  -- closing: the closing's lock holds every refresh until commit, and the
  -- days are checked as the closing closes them (since 0.24.0): stored and
  -- judged from the inputs of now first (_att_closing_stored), and closed
  -- with no refresh after the check. The check read the days as they were
  -- stored and the closing's refresh came after it, so a change waiting
  -- for att_finalize (a rule version, an org-wide holiday) passed it with
  -- its days approved, that refresh withdrew their approvals, and the
  -- period closed with figures nobody approved; a workday no run had
  -- stored was not counted. A workday not over yet cannot be approved as
  -- it will be: it is a problem of its own.
  PERFORM @extschema@._att_lock_closing();
  members := @extschema@._att_closing_stored(org, p);
  IF @extschema@._att_distributed() THEN
    -- On Citus the same in steps: their timesheets and open days each in
    -- one query routed to their shards (Citus plans no per-member subquery
    -- over a distributed table).
    WITH sheets AS MATERIALIZED (
      SELECT t.employee_id, t.state FROM @extschema@.timesheet t WHERE t.employee_id = ANY (members) AND t.period = p
    ), open_days AS MATERIALIZED (
      SELECT d.employee_id,
             count(*) FILTER (WHERE d.status <> 'pending'
                                AND NOT EXISTS (SELECT 1 FROM @extschema@.day_approval a
                                                 WHERE a.employee_id = d.employee_id AND a.day = d.day AND a.withdrawn_at IS NULL)) AS days,
             count(*) FILTER (WHERE d.status = 'pending') AS not_over
        -- the days as they show (on Citus not through _att_days_now, whose
        -- query Citus does not plan inside a function)
        FROM (SELECT x.employee_id, x.day, x.day_kind,
                     CASE WHEN x.due_at > now_clock THEN (x.shown).status ELSE x.status END AS status
                FROM @extschema@.day_record x WHERE x.employee_id = ANY (members)) d
       WHERE d.employee_id = ANY (members) AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')
       GROUP BY d.employee_id
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('employee_id', b.employee_id, 'problem', b.problem) ORDER BY b.employee_id), '[]')
      INTO blockers
      FROM (SELECT m.id AS employee_id,
                   concat_ws('; ',
                     CASE WHEN t.state IS DISTINCT FROM 'approved' THEN 'timesheet ' || coalesce(t.state::text, 'not submitted') END,
                     CASE WHEN u.days > 0 THEN u.days || ' workday(s) not approved' END,
                     CASE WHEN u.not_over > 0 THEN u.not_over || ' workday(s) not over' END) AS problem
              FROM unnest(members) AS m(id)
              LEFT JOIN sheets t ON t.employee_id = m.id
              LEFT JOIN open_days u ON u.employee_id = m.id
             WHERE t.state IS DISTINCT FROM 'approved' OR u.days > 0 OR u.not_over > 0) b;
  ELSE
  SELECT coalesce(jsonb_agg(jsonb_build_object('employee_id', b.employee_id, 'problem', b.problem) ORDER BY b.employee_id), '[]')
    INTO blockers
    FROM (SELECT m.employee_id,
                 concat_ws('; ',
                   CASE WHEN t.state IS DISTINCT FROM 'approved' THEN 'timesheet ' || coalesce(t.state::text, 'not submitted') END,
                   CASE WHEN u.days > 0 THEN u.days || ' workday(s) not approved' END,
                   CASE WHEN u.not_over > 0 THEN u.not_over || ' workday(s) not over' END) AS problem
            FROM unnest(members) AS m(employee_id)
            LEFT JOIN @extschema@.timesheet t ON t.employee_id = m.employee_id AND t.period = p
            CROSS JOIN LATERAL (
              SELECT count(*) FILTER (WHERE d.status <> 'pending'
                                        AND NOT EXISTS (SELECT 1 FROM @extschema@.day_approval a
                                                         WHERE a.employee_id = d.employee_id AND a.day = d.day AND a.withdrawn_at IS NULL)) AS days,
                     count(*) FILTER (WHERE d.status = 'pending') AS not_over
                FROM @extschema@._att_days_now d
               WHERE d.employee_id = m.employee_id AND p @> d.day AND d.day_kind IN ('workday', 'make_up_workday')) u
           WHERE t.state IS DISTINCT FROM 'approved' OR u.days > 0 OR u.not_over > 0) b;
  END IF;
  IF jsonb_array_length(blockers) > 0 AND unapproved = 'report' THEN
    RETURN QUERY SELECT b.employee_id, b.problem, 'not closed'::text
                   FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
    RETURN;
  END IF;
  PERFORM @extschema@._att_close_stored(org, day, me, @extschema@.att_today(), members);
  INSERT INTO @extschema@.closing_exemption (org_id, period, employee_id)
  SELECT org, p, b.employee_id FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
  RETURN QUERY SELECT b.employee_id, b.problem, 'skipped: days stay open'::text
                 FROM jsonb_to_recordset(blockers) AS b(employee_id bigint, problem text);
END $$;
COMMENT ON FUNCTION att_close_org(bigint, date, text) IS
  'Closes (締め処理) the org''s closing period holding day, as att_close_period, after checking every employee in it on the period''s days as the closing closes them (stored and judged from the inputs of now first, no refresh after the check): unapproved = ''report'' lists those whose timesheet is not approved, whose workdays are not all approved or not all over (nobody can approve what a day not over will be), and closes nothing while there are any; ''skip'' closes and leaves those employees'' days open (closing_exemption). On the company root this is company closing. Refused as att_close_period is: 55000 for a closed period or one not begun, 0A000 outside READ COMMITTED.';

-- Decentralised rule ownership (分权): rules of an org are managed only by
-- admins whose scope covers it; rules without an owner only by superusers.
-- Both the old and the new row are judged: an UPDATE can move a row out of
-- someone else's rule as well as into one's own. Giving a rule to people
-- or orgs needs scope over them too: full over the person for the entry's
-- validity (from today on when undated), an assignment on the org.
CREATE FUNCTION rule_owner_check() RETURNS trigger
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
COMMENT ON FUNCTION rule_owner_check() IS 'Internal trigger: refuses a change to a rule, its versions or its assignments by a login whose scope does not cover the rule''s owning org and the people and orgs it is given to.';
REVOKE EXECUTE ON FUNCTION rule_owner_check() FROM PUBLIC;
CREATE TRIGGER rule_owner_check BEFORE INSERT OR UPDATE OR DELETE ON rule FOR EACH ROW EXECUTE FUNCTION rule_owner_check();
CREATE TRIGGER rule_owner_check BEFORE INSERT OR UPDATE OR DELETE ON rule_version FOR EACH ROW EXECUTE FUNCTION rule_owner_check();
CREATE TRIGGER rule_owner_check BEFORE INSERT OR UPDATE OR DELETE ON rule_person FOR EACH ROW EXECUTE FUNCTION rule_owner_check();
CREATE TRIGGER rule_owner_check BEFORE INSERT OR UPDATE OR DELETE ON rule_org FOR EACH ROW EXECUTE FUNCTION rule_owner_check();
COMMENT ON FUNCTION att_manages_org(bigint, bigint, date) IS 'Whether the employee holds an admin or hr assignment on the org or an ancestor as of the date: who may close the org and own its rules.';
-- Internal to the definer checks: it would tell any login who administers what.
REVOKE EXECUTE ON FUNCTION att_manages_org(bigint, bigint, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION full_over(bigint, bigint, daterange) FROM PUBLIC;

-- pg_dump keeps the extension's data: every table and identity sequence is
-- registered as configuration. Restore with session_replication_role = replica so
-- the rows come back as they were, not re-derived on the way in.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS rel FROM pg_catalog.pg_class c
            WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind IN ('r', 'S')
            ORDER BY c.relkind DESC LOOP
    PERFORM pg_catalog.pg_extension_config_dump(r.rel, '');
  END LOOP;
END $$;

-- The workflow's state for BI (reporting.sql has the other views).
-- Day approvals and timesheet states of the employees the asking login may
-- see (read once per query): BI logins have no access to the workflow tables.
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

-- Corrections (SPEC.md A permissions, C): punches are append-only; make-up
-- punches and void records add rows with who and why.

-- Nothing is lost: a punch is never changed or deleted; corrections add
-- make-up punches or void records that keep the original, with who and why.
CREATE TABLE punch_void (
  employee_id bigint NOT NULL,
  punch_id    bigint NOT NULL,
  at          timestamptz NOT NULL,
  voided_by   bigint REFERENCES employee (employee_id),
  voided_at   timestamptz NOT NULL DEFAULT now(),
  reason      text NOT NULL,
  PRIMARY KEY (employee_id, punch_id),
  FOREIGN KEY (employee_id, punch_id) REFERENCES punch (employee_id, punch_id)
);
COMMENT ON TABLE punch_void IS 'Punches set aside by a correction (att_void_punch) or by the ERP''s edit or deletion of its row (att_sync_punch, att_sync_punch_delete): the punch stays in punch, evaluation ignores it.';
COMMENT ON COLUMN punch_void.voided_by IS 'The employee who corrected; NULL when the ERP''s sync mirrored an edit or deletion.';

CREATE FUNCTION punch_is_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'punches are never changed or deleted'
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Correct with att_make_up_punch or att_void_punch: both keep the original and record who and why.';
END $$;
COMMENT ON FUNCTION punch_is_append_only() IS 'Internal trigger: refuses every update and deletion of a punch (correct with att_make_up_punch or att_void_punch).';
REVOKE EXECUTE ON FUNCTION punch_is_append_only() FROM PUBLIC;
CREATE TRIGGER punch_is_append_only BEFORE UPDATE OR DELETE ON punch
  FOR EACH ROW EXECUTE FUNCTION punch_is_append_only();

-- Leave is the ERP's to change (an edited or cancelled leave request), so
-- excuses are updated and deleted in place; what they held is never lost:
-- every change keeps the row as it was, when, and by which login, so a
-- mirrored edit is a recorded replacement and a cancellation a recorded
-- void, as for punches.
CREATE TABLE excuse_change (
  employee_id   bigint NOT NULL,
  change_id     bigint GENERATED ALWAYS AS IDENTITY,
  excuse_id     bigint NOT NULL,
  action        text NOT NULL,
  kind          excuse_kind NOT NULL,
  during        tstzrange NOT NULL,
  leave_type    text,
  source_system text,
  source_ref    text,
  changed_at    timestamptz NOT NULL DEFAULT now(),
  changed_by    name NOT NULL,
  PRIMARY KEY (employee_id, change_id),
  CONSTRAINT excuse_change_action CHECK (action IN ('replaced', 'deleted'))
);
COMMENT ON TABLE excuse_change IS 'Every excuse as it was before an update (action replaced) or a deletion (deleted): the ERP''s edits and cancellations of leave, or a DBA''s, kept with when and which login. Written by trigger; read by the DBA.';
COMMENT ON COLUMN excuse_change.changed_by IS 'The login (session user) whose statement changed or deleted the excuse.';

CREATE FUNCTION excuse_keep_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- a searched CASE: Citus, routing the insert, misreads CASE TG_OP WHEN ...
  INSERT INTO @extschema@.excuse_change (employee_id, excuse_id, action, kind, during, leave_type, source_system, source_ref, changed_by)
  VALUES (OLD.employee_id, OLD.excuse_id, CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'replaced' END,
          OLD.kind, OLD.during, OLD.leave_type, OLD.source_system, OLD.source_ref, session_user);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION excuse_keep_change() IS 'Internal trigger: records an excuse as it was before an update or deletion.';
REVOKE EXECUTE ON FUNCTION excuse_keep_change() FROM PUBLIC;
CREATE TRIGGER excuse_keep_change AFTER UPDATE ON excuse
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION excuse_keep_change();
CREATE TRIGGER excuse_keep_deletion AFTER DELETE ON excuse
  FOR EACH ROW EXECUTE FUNCTION excuse_keep_change();

-- Who recorded a punch, from where and why is the extension's to say: only
-- its own functions (running as its owner, a superuser) record make-up
-- punches, appeals, revisions and reasons. A login's direct insert is a
-- real punch recorded now, whatever it supplies; the loader may say which
-- kind of device took it (device, terminal or mobile).
CREATE FUNCTION _att_current_user_is_superuser() RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'att_current_user_is_superuser';
COMMENT ON FUNCTION _att_current_user_is_superuser() IS 'Internal: whether the role a statement runs as (current_user) is a superuser; asked by the backend rather than by a query of pg_roles, once per punch.';

CREATE FUNCTION punch_as_recorded() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT @extschema@._att_current_user_is_superuser() THEN
    IF NEW.source IS NULL OR NEW.source NOT IN ('device', 'terminal', 'mobile') THEN
      NEW.source := 'device';
    END IF;
    NEW.recorded_by := NULL;
    NEW.reason := NULL;
    NEW.recorded_at := now();
    NEW.revision := 0;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION punch_as_recorded() IS 'Internal trigger: a punch inserted directly by a login is a real punch (device, terminal or mobile, as the loader says; anything else becomes device) recorded now.';
REVOKE EXECUTE ON FUNCTION punch_as_recorded() FROM PUBLIC;
CREATE TRIGGER punch_as_recorded BEFORE INSERT ON punch
  FOR EACH ROW EXECUTE FUNCTION punch_as_recorded();

-- A correction acts as the acting employee and needs the correct permission
-- on every day it changes, not only on the day of the punch: a punch early
-- on one day can be the check-out of the day before. Nobody corrects their
-- own days (seed 002 is silent; separation of duties, as approval). Every
-- refusal is the same 42501, whether the punch exists or not.
CREATE FUNCTION correction_refused(actor bigint, employee bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'employee % may not correct the days of employee %', coalesce(actor::text, '(none)'), coalesce(employee::text, '(none)')
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Correcting needs full scope on every day the change reaches, and an hr assignment once a period is closed; nobody corrects their own days.';
END $$;
COMMENT ON FUNCTION correction_refused(bigint, bigint) IS 'Internal: the one refusal of every correction.';

CREATE FUNCTION correction_actor(employee bigint, at timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  actor bigint := @extschema@.att_current_employee();
  day date;
BEGIN
  IF actor IS NULL OR employee IS NULL OR actor = employee OR at IS NULL OR NOT isfinite(at) THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
  day := @extschema@.att_local_day(employee, at);
  IF @extschema@.att_has_permission(actor, employee, day, 'correct', @extschema@.att_today()) IS NOT TRUE THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
  RETURN actor;
END $$;
COMMENT ON FUNCTION correction_actor(bigint, timestamptz) IS 'Internal: the acting employee, if allowed to correct the employee''s day at that instant.';

-- The stored days a correction can reach (the triggers refresh from three
-- days before to nine after, in UTC), to find the days it changed.
-- PL/pgSQL, not SQL: Citus plans no SQL-function statement whose parameter
-- picks the shard.
CREATE FUNCTION correction_days(employee bigint, at timestamptz) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $$
BEGIN
  -- the days as they show now: a day not over yet stored either way (with
  -- what it will be once over, or without, see day_record.due_at) is the same day
  RETURN (SELECT coalesce(jsonb_object_agg(d.day, @extschema@._att_day_as_shown(to_jsonb(d), @extschema@.att_now()) - 'evaluated_at'), '{}'::jsonb)
            FROM @extschema@.day_record d
           WHERE d.employee_id = employee AND d.day BETWEEN at::date - 4 AND at::date + 10);
END $$;
COMMENT ON FUNCTION correction_days(bigint, timestamptz) IS 'Internal: the stored days a correction at that instant can reach, by day.';

-- The one permission check of a correction: the correct permission on
-- every day it changes (hr once a period is closed).
CREATE FUNCTION correction_check_listed(actor bigint, employee bigint, days date[]) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(days) AS g(d)
              WHERE @extschema@.att_has_permission(actor, employee, g.d, 'correct', @extschema@.att_today()) IS NOT TRUE) THEN
    PERFORM @extschema@.correction_refused(actor, employee);
  END IF;
END $$;
COMMENT ON FUNCTION correction_check_listed(bigint, bigint, date[]) IS 'Internal: refuses a correction that changes, or will change, one of the days given that its actor may not correct (42501).';

CREATE FUNCTION correction_check_days(actor bigint, employee bigint, before jsonb, after jsonb) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@.correction_check_listed(actor, employee,
    ARRAY(SELECT k.day::date FROM (SELECT jsonb_object_keys(before) UNION SELECT jsonb_object_keys(after)) k(day)
           WHERE before -> k.day IS DISTINCT FROM after -> k.day));
END $$;
COMMENT ON FUNCTION correction_check_days(bigint, bigint, jsonb, jsonb) IS 'Internal: refuses a correction that changed a day its actor may not correct.';

-- The days a correction changes as the engine judges them: with and
-- without the punches at its instant, as they show now and once every
-- punch stored has happened, each day with the later start its previous
-- workday earns (since 0.27.0). Until then only an instant still to come
-- was judged so (0.26.0), and the rest compared the days as stored, which
-- an attack review got past four ways: a stored day not judged since its
-- check-out came (recorded after the shift's end, stored at the next run)
-- showed no change when the admin voided it; a void of a late check-out
-- still to come changed the next workday only once its check-in came; the
-- later start was looked up in the voided day's rule, not the next
-- workday's; and a make-up check-out after the real one left the stored
-- day alike while the void of the real one took the later start away.
-- On Citus the coordinator holds no punches to judge: the worker holding
-- the employee's shard judges them, reached through the shard's anchor as
-- evaluation is (_att_days_at_instant_shard).
CREATE FUNCTION _att_days_at_instant(employee bigint, at timestamptz) RETURNS date[]
LANGUAGE c VOLATILE STRICT AS 'MODULE_PATHNAME', 'att_days_at_instant';
COMMENT ON FUNCTION _att_days_at_instant(bigint, timestamptz) IS 'Internal: the employee''s days that the punches at that instant change, judged with and without them as they show now and once every punch stored has happened (each day with the later start its previous workday earns).';

-- On the worker holding the anchor's shard, which the employee's is: the
-- judgement reads the per-employee tables through Citus, which routes them
-- to this node's own shards; Citus allows such reads inside its query on a
-- shard only when asked to (nested execution).
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

-- The day a punch serves: the stored day that uses it as a check-in or a
-- check-out (a night shift's check-out serves the day the shift began),
-- else its local date. PL/pgSQL, not SQL: Citus plans no SQL-function
-- statement whose parameter picks the shard.
CREATE FUNCTION make_up_day(employee bigint, at timestamptz) RETURNS date
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN coalesce((SELECT d.day FROM @extschema@.day_record d
                    WHERE d.employee_id = employee
                      AND d.day BETWEEN (at AT TIME ZONE 'UTC')::date - 2 AND (at AT TIME ZONE 'UTC')::date + 1
                      AND at = ANY (d.check_in || d.check_out)
                    ORDER BY d.day LIMIT 1),
                  @extschema@.att_local_day(employee, at));
END $$;
COMMENT ON FUNCTION make_up_day(bigint, timestamptz) IS 'Internal: the day a punch serves (the stored day using it, else its local date).';

-- The rule's make-up limits (make_up_punch in the rule, as Feishu, WeCom
-- and DingTalk have them): at most monthly_limit make-up punches per
-- employee in the attendance month of the day each serves (the company's
-- closing period, a calendar month without one), and only for a day from
-- within_days days ago up to today. Judged once the punch is in and its
-- days refreshed, by the rule in force on the day it serves; voided make-up
-- punches are given back. The insert's refresh holds the employee's lock
-- until commit, so under READ COMMITTED a second correction waits and then
-- counts the first; a snapshot taken earlier (REPEATABLE READ,
-- SERIALIZABLE) would not see it, so a limited make-up punch is refused
-- there.
CREATE FUNCTION make_up_limit_check(employee bigint, at timestamptz) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  served date := @extschema@.make_up_day(employee, at);
  d record;
  limits jsonb;
  period_end date;
  today date := @extschema@.att_today();
  used integer;
BEGIN
  SELECT r.rule_id, r.rule_name, r.period_start, r.company_id INTO d
    FROM @extschema@.day_record r WHERE r.employee_id = employee AND r.day = served;
  IF NOT FOUND OR d.rule_id IS NULL THEN
    SELECT f.rule_id, f.rule_name, f.period_start, f.company_id INTO d FROM @extschema@.att_evaluate_day(employee, served) f;
  END IF;
  IF d.rule_id IS NULL THEN
    RETURN;
  END IF;
  SELECT v.config -> 'make_up_punch' INTO limits
    FROM @extschema@.rule_version v
   WHERE v.rule_id = d.rule_id AND v.valid_from <= served
   ORDER BY v.valid_from DESC LIMIT 1;
  IF limits IS NULL THEN
    RETURN;
  END IF;
  IF limits ? 'within_days' AND served < today - (limits ->> 'within_days')::integer THEN
    RAISE EXCEPTION 'a make-up punch for % is too late: rule % allows them within % days after the day', served, d.rule_name, limits ->> 'within_days'
      USING ERRCODE = 'check_violation';
  END IF;
  IF limits ? 'within_days' AND served > today THEN
    RAISE EXCEPTION 'a make-up punch for % is too early: rule % allows them for days up to today (%)', served, d.rule_name, today
      USING ERRCODE = 'check_violation';
  END IF;
  IF limits ? 'monthly_limit' THEN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
      RAISE EXCEPTION 'a make-up punch under rule %''s monthly limit needs a READ COMMITTED transaction', d.rule_name
        USING ERRCODE = 'feature_not_supported',
              HINT = 'Counted with an older snapshot, a concurrent correction would go unseen: retry outside REPEATABLE READ and SERIALIZABLE.';
    END IF;
    IF d.period_start IS NULL THEN
      d.period_start := date_trunc('month', served)::date;
    END IF;
    period_end := @extschema@.att_period_end(d.period_start, (SELECT o.closing_day FROM @extschema@.org o WHERE o.org_id = d.company_id));
    -- the days punches serve lie within a day or two of their UTC dates:
    -- read the instants around the month, then keep those serving it
    SELECT count(*) INTO used
      FROM @extschema@.punch p
     WHERE p.employee_id = employee AND p.source = 'make_up'
       AND p.at >= (d.period_start - 2)::timestamp AT TIME ZONE 'UTC' AND p.at < (period_end + 3)::timestamp AT TIME ZONE 'UTC'
       AND NOT EXISTS (SELECT 1 FROM @extschema@.punch_void v WHERE v.employee_id = p.employee_id AND v.punch_id = p.punch_id)
       AND @extschema@.make_up_day(employee, p.at) BETWEEN d.period_start AND period_end;
    -- the new punch is among them
    IF used > (limits ->> 'monthly_limit')::integer THEN
      RAISE EXCEPTION 'employee % has used % of % make-up punches allowed from % to % by rule %',
                      employee, used - 1, limits ->> 'monthly_limit', d.period_start, period_end, d.rule_name
        USING ERRCODE = 'check_violation',
              HINT = 'Voiding a make-up punch of that month gives it back; the limit is the rule''s make_up_punch.monthly_limit.';
    END IF;
  END IF;
END $$;
COMMENT ON FUNCTION make_up_limit_check(bigint, timestamptz) IS 'Internal: refuses a make-up punch beyond the rule''s monthly limit or window (23514), or one counted under an older snapshot (0A000).';

CREATE FUNCTION att_make_up_punch(employee bigint, at timestamptz, reason text) RETURNS bigint
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
COMMENT ON FUNCTION att_make_up_punch(bigint, timestamptz, text) IS
  'Adds a make-up punch (补签) for the employee, recorded with the acting employee and the reason. Needs the correct permission on every day the punch changes (hr once a period is closed), never on one''s own days; a change to a day of a period that is or was closed is also recorded in correction. Every permission refusal is 42501 (a punch at an instant still to come needs the permission on the days it will change once that instant has come); a punch beyond the rule''s make_up_punch limits (monthly_limit per attendance month, within_days after the day) is refused with 23514.';

CREATE FUNCTION att_void_punch(employee bigint, punch bigint, reason text) RETURNS void
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
COMMENT ON FUNCTION att_void_punch(bigint, bigint, text) IS
  'Sets a punch aside (it stays in punch, evaluation ignores it), recorded with the acting employee and the reason. Same permission as att_make_up_punch; an unknown punch is refused like a forbidden one (42501).';

CREATE TRIGGER refresh_on_insert AFTER INSERT ON punch_void REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_changed_days('at::date AS f, at::date AS l');


REVOKE EXECUTE ON FUNCTION correction_refused(bigint, bigint), correction_actor(bigint, timestamptz), make_up_limit_check(bigint, timestamptz), make_up_day(bigint, timestamptz),
  correction_days(bigint, timestamptz), correction_check_days(bigint, bigint, jsonb, jsonb),
  _att_days_at_instant(bigint, timestamptz), _att_days_at_instant_shard(bigint, bigint, timestamptz), correction_days_judged(bigint, timestamptz),
  correction_check_listed(bigint, bigint, date[]) FROM PUBLIC;

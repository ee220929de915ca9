-- Upgrade from 0.8.0 (frozen in attendance--0.8.0.sql) to 0.9.0: day_record's
-- employees kept by statement triggers instead of a foreign key checked per
-- row (issue 15: a quarter of a company's refresh).
-- Drafted with scripts/upgrade-draft.py from the two install scripts;
-- tests/upgrade checks that an upgraded database has exactly the objects of
-- a fresh one.

-- On a Citus deployment every node runs this script itself, so Citus is
-- told not to pass its statements on (it would send the whole script); the
-- new triggers, which stand aside on Citus, go on each node's own tables.
SELECT pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);
SELECT pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);

CREATE  FUNCTION "_att_employee_with_days"(
	"employees" bigint[] 
) RETURNS bigint 
STRICT VOLATILE SECURITY DEFINER 
SET search_path TO pg_catalog, pg_temp
LANGUAGE c 
AS 'MODULE_PATHNAME', 'employee_with_days_wrapper';

CREATE OR REPLACE FUNCTION _att_part_ids(parts integer, part integer) RETURNS bigint[]
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  lo bigint;
  width numeric;
  first_id bigint;
  end_id bigint;
BEGIN
  IF parts < 1 OR part < 0 OR part >= parts THEN
    RAISE EXCEPTION 'part % of % does not exist: parts start at 0 and there is at least one', part, parts
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- on a Citus coordinator the workers evaluate every employee instead
  -- (att_evaluate_all's last branch)
  IF @extschema@._att_on_coordinator() THEN
    RETURN NULL;
  END IF;
  SELECT min(e.employee_id), max(e.employee_id) - min(e.employee_id) + 1 INTO lo, width FROM @extschema@.employee e;
  -- the bounds as bigint, so the ids are a range of the primary key (compared
  -- with a numeric, every id of the table was read, for every part)
  first_id := lo + floor(width * part / parts)::bigint;
  end_id := lo + floor(width * (part + 1) / parts)::bigint;
  RETURN (SELECT array_agg(e.employee_id ORDER BY e.employee_id) FROM @extschema@.employee e
           WHERE e.employee_id >= first_id AND e.employee_id < end_id);
END $$;

CREATE OR REPLACE FUNCTION att_period_end(period_start date, closing_day integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (date_trunc('month', period_start::timestamp) + interval '1 month'
        + CASE WHEN closing_day IS NULL THEN interval '-1 day' ELSE (closing_day - 1) * interval '1 day' END)::date;

CREATE FUNCTION _att_period_keep(employees bigint[], periods date[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off AS $$
-- Static statements, so their plans are kept for the session. Generic
-- plans without sequential scans, as in _att_period_rows.
DECLARE
  fresh @extschema@.period_record[];
  gone_employees bigint[];
  gone_periods date[];
  target regclass;
BEGIN
  IF employees IS NULL OR cardinality(employees) = 0 THEN
    RETURN;
  END IF;
  IF @extschema@._att_distributed() THEN
    -- custom plans on Citus, as in _att_period_rows; on a worker the rows
    -- go straight into the shard here (_att_local_shard)
    PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
    target := @extschema@._att_local_shard('@extschema@.period_record', employees);
  END IF;
  -- Written in place through the primary key (a generic plan cannot turn
  -- an upsert into a scan), a period left unchanged not rewritten; on Citus
  -- the trigger runs on the worker holding the employees.
  fresh := ARRAY(SELECT f FROM @extschema@._att_period_rows(employees, periods) f);
  IF target IS NOT NULL THEN
    EXECUTE format($q$
  INSERT INTO %s AS r SELECT * FROM unnest($1)
    ON CONFLICT (employee_id, period_start) DO UPDATE
      SET (period_end, org_id, company_id, stored_days, workdays, days_attended, late_count, late_minutes, early_count, early_minutes, absence_count, absence_minutes, missing_punches, work_minutes, overtime_workday_minutes, overtime_rest_day_minutes, overtime_holiday_minutes, leave_minutes, trip_minutes, outing_minutes, appeal_minutes, full_leave_days, half_day_days, half_day_leaves, present_days, absent_days, on_duty_days, missing_punch_days, holidays, rest_days, pending_days, unjudged_days, day_codes)
        = (excluded.period_end, excluded.org_id, excluded.company_id, excluded.stored_days, excluded.workdays, excluded.days_attended, excluded.late_count, excluded.late_minutes, excluded.early_count, excluded.early_minutes, excluded.absence_count, excluded.absence_minutes, excluded.missing_punches, excluded.work_minutes, excluded.overtime_workday_minutes, excluded.overtime_rest_day_minutes, excluded.overtime_holiday_minutes, excluded.leave_minutes, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.full_leave_days, excluded.half_day_days, excluded.half_day_leaves, excluded.present_days, excluded.absent_days, excluded.on_duty_days, excluded.missing_punch_days, excluded.holidays, excluded.rest_days, excluded.pending_days, excluded.unjudged_days, excluded.day_codes)
      WHERE r IS DISTINCT FROM excluded;$q$, target) USING fresh;
  ELSE
    INSERT INTO @extschema@.period_record AS r SELECT * FROM unnest(fresh)
    ON CONFLICT (employee_id, period_start) DO UPDATE
      SET (period_end, org_id, company_id, stored_days, workdays, days_attended, late_count, late_minutes, early_count, early_minutes, absence_count, absence_minutes, missing_punches, work_minutes, overtime_workday_minutes, overtime_rest_day_minutes, overtime_holiday_minutes, leave_minutes, trip_minutes, outing_minutes, appeal_minutes, full_leave_days, half_day_days, half_day_leaves, present_days, absent_days, on_duty_days, missing_punch_days, holidays, rest_days, pending_days, unjudged_days, day_codes)
        = (excluded.period_end, excluded.org_id, excluded.company_id, excluded.stored_days, excluded.workdays, excluded.days_attended, excluded.late_count, excluded.late_minutes, excluded.early_count, excluded.early_minutes, excluded.absence_count, excluded.absence_minutes, excluded.missing_punches, excluded.work_minutes, excluded.overtime_workday_minutes, excluded.overtime_rest_day_minutes, excluded.overtime_holiday_minutes, excluded.leave_minutes, excluded.trip_minutes, excluded.outing_minutes, excluded.appeal_minutes, excluded.full_leave_days, excluded.half_day_days, excluded.half_day_leaves, excluded.present_days, excluded.absent_days, excluded.on_duty_days, excluded.missing_punch_days, excluded.holidays, excluded.rest_days, excluded.pending_days, excluded.unjudged_days, excluded.day_codes)
      WHERE r IS DISTINCT FROM excluded;
  END IF;
  -- a period none of whose days is stored any more has no row
  SELECT array_agg(k.employee_id), array_agg(k.period_start) INTO gone_employees, gone_periods
    FROM unnest(employees, periods) AS k(employee_id, period_start)
   WHERE NOT EXISTS (SELECT 1 FROM unnest(fresh) AS f WHERE f.employee_id = k.employee_id AND f.period_start = k.period_start);
  IF gone_employees IS NOT NULL THEN
    DELETE FROM @extschema@.period_record r
     WHERE r.employee_id = ANY (gone_employees)
       AND (r.employee_id, r.period_start) IN (SELECT k.employee_id, k.period_start
                                                 FROM unnest(gone_employees, gone_periods) AS k(employee_id, period_start));
  END IF;
END $$;

COMMENT ON FUNCTION _att_period_keep(bigint[], date[]) IS 'Internal: writes again the period_record rows of the (employee, period start) pairs given (those whose sums changed), and removes those left without a stored day.';

REVOKE EXECUTE ON FUNCTION _att_period_keep(bigint[], date[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION period_record_keep() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'att_period_record_keep';

COMMENT ON FUNCTION period_record_keep() IS 'Internal trigger: the periods a statement on day_record touched, before and after, handed to _att_period_keep.';

CREATE OR REPLACE FUNCTION att_distribute() RETURNS TABLE (table_name name, spread text)
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

CREATE FUNCTION _att_day_employees_exist() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'att_day_employees_exist';

COMMENT ON FUNCTION _att_day_employees_exist() IS 'Internal trigger: the employees of the days a statement stored exist, and stay until it commits (locked FOR KEY SHARE, as a foreign key''s check locks them); 23503 otherwise.';

CREATE TRIGGER day_record_employees AFTER INSERT ON day_record REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION _att_day_employees_exist();

CREATE TRIGGER day_record_employee_moved AFTER UPDATE OF employee_id ON day_record
  FOR EACH ROW WHEN (OLD.employee_id IS DISTINCT FROM NEW.employee_id) EXECUTE FUNCTION _att_day_employees_exist();

CREATE FUNCTION _att_employee_days_kept() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  gone bigint[];
  kept bigint;
BEGIN
  IF @extschema@._att_distributed() THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    gone := ARRAY(SELECT o.employee_id FROM gone_old o);
  ELSE
    gone := ARRAY(SELECT o.employee_id FROM gone_old o
                   WHERE NOT EXISTS (SELECT 1 FROM gone_new n WHERE n.employee_id = o.employee_id));
  END IF;
  IF cardinality(gone) = 0 THEN
    RETURN NULL;
  END IF;
  kept := @extschema@._att_employee_with_days(gone);
  IF kept IS NOT NULL THEN
    RAISE EXCEPTION 'employee % has stored days in day_record', kept
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'An employee who leaves keeps their days: end their membership instead of deleting them.';
  END IF;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION _att_employee_days_kept() IS 'Internal trigger: refuses (23503) to delete or renumber employees who have stored days, reading them with the latest snapshot (_att_employee_with_days).';

CREATE TRIGGER employee_days_kept_on_delete AFTER DELETE ON employee REFERENCING OLD TABLE AS gone_old
  FOR EACH STATEMENT EXECUTE FUNCTION _att_employee_days_kept();

CREATE TRIGGER employee_days_kept_on_update AFTER UPDATE ON employee REFERENCING OLD TABLE AS gone_old NEW TABLE AS gone_new
  FOR EACH STATEMENT EXECUTE FUNCTION _att_employee_days_kept();

REVOKE EXECUTE ON FUNCTION _att_day_employees_exist(), _att_employee_days_kept(), _att_employee_with_days(bigint[]) FROM PUBLIC;

COMMENT ON FUNCTION _att_employee_with_days(bigint[]) IS 'Internal: one of the employees that has days in day_record, read with the latest snapshot (as a foreign key''s check reads), or NULL.';


-- == day_record: the per-row foreign key gives way to the triggers above,
-- except on Citus, where att_distribute keeps it (day_employees.sql).
DO $$
BEGIN
  IF NOT @extschema@._att_distributed() THEN
    ALTER TABLE @extschema@.day_record DROP CONSTRAINT day_record_employee_id_fkey;
  END IF;
END $$;

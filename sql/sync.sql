-- Living beside an ERP (SPEC.md E): a sync role that loads and changes what
-- the ERP owns without being a superuser or acting as a person, and
-- idempotent mirroring of the ERP's check-ins and leave. The sync role
-- cannot grant admin scope (no writes on admin_grant or login_employee) and
-- cannot change closed days: a write that would is refused with 42501 by
-- the refresh it triggers, and nothing of it stays.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'attendance_sync') THEN
    CREATE ROLE attendance_sync NOLOGIN;
  END IF;
END $$;

GRANT USAGE ON SCHEMA @extschema@ TO attendance_sync;
GRANT SELECT, INSERT, UPDATE, DELETE ON org, employee, membership, rule_person, rule_org, holiday TO attendance_sync;
GRANT SELECT ON org_tree TO attendance_sync;
-- rules only as the ERP's working calendars (erp_managed; see rule_owner_check)
GRANT SELECT, INSERT, UPDATE ON rule TO attendance_sync;
GRANT SELECT, INSERT, UPDATE, DELETE ON rule_version TO attendance_sync;
GRANT SELECT, INSERT ON punch TO attendance_sync;
GRANT SELECT, INSERT, UPDATE, DELETE ON excuse TO attendance_sync;

-- Whether the asking login (or the role it set) holds the sync role.
CREATE FUNCTION att_is_sync() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
RETURN pg_catalog.pg_has_role(session_user, 'attendance_sync', 'USAGE');
COMMENT ON FUNCTION att_is_sync() IS 'Whether the session''s login holds attendance_sync (the ERP''s sync role).';

CREATE FUNCTION sync_refused() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'only the ERP''s sync role (attendance_sync) mirrors ERP rows' USING ERRCODE = 'insufficient_privilege';
END $$;
COMMENT ON FUNCTION sync_refused() IS 'Internal: the refusal of every sync function.';

CREATE FUNCTION att_sync_punch(employee bigint, source_system text, source_ref text, at timestamptz,
                               lat double precision DEFAULT NULL, lon double precision DEFAULT NULL,
                               kind punch_source DEFAULT 'device') RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  current record;
  id bigint;
  -- the refresh the writes trigger judges for the caller; on Citus it runs
  -- on a worker, which a SET LOCAL reaches
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', @extschema@.att_current_employee()::text);
BEGIN
  IF NOT @extschema@.att_is_sync() AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    PERFORM @extschema@.sync_refused();
  END IF;
  IF employee IS NULL OR source_system IS NULL OR source_ref IS NULL OR at IS NULL OR NOT isfinite(at) THEN
    RAISE EXCEPTION 'att_sync_punch needs an employee, a source, a reference and a finite instant' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF kind IS NULL OR kind NOT IN ('device', 'terminal', 'mobile') THEN
    RAISE EXCEPTION 'an ERP check-in is a device, terminal or mobile punch, not %', coalesce(kind::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Make-up punches and appeals are recorded with att_make_up_punch and the workflows, with who and why.';
  END IF;
  SELECT p.punch_id, p.at, p.lat, p.lon, p.source, p.revision, v.punch_id IS NOT NULL AS voided INTO current
    FROM @extschema@.punch p LEFT JOIN @extschema@.punch_void v USING (employee_id, punch_id)
   WHERE p.employee_id = employee AND p.source_system = source_system AND p.source_ref = source_ref
   ORDER BY p.revision DESC LIMIT 1;
  IF FOUND AND NOT current.voided AND (current.at, current.lat, current.lon, current.source) IS NOT DISTINCT FROM (at, lat, lon, kind) THEN
    RETURN current.punch_id;  -- already mirrored: a reload changes nothing
  END IF;
  IF FOUND AND NOT current.voided THEN
    INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason)
    VALUES (employee, current.punch_id, current.at, NULL, 'replaced: the ERP changed its row ' || source_ref);
  END IF;
  INSERT INTO @extschema@.punch (employee_id, at, lat, lon, source, source_system, source_ref, revision)
  VALUES (employee, at, lat, lon, kind, source_system, source_ref, CASE WHEN FOUND THEN current.revision + 1 ELSE 0 END)
  RETURNING punch_id INTO id;
  RETURN id;
END $$;
COMMENT ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision, punch_source) IS
  'Mirrors the ERP''s check-in row (source_system, source_ref): the first load adds the punch, of the device kind the ERP knows (kind: device, terminal for a fixed kiosk, mobile for a phone app); a reload of the same values changes nothing; an edit voids the current revision (recorded in punch_void, reason and no person) and adds the next. For the sync role (attendance_sync) and superusers; a change that reaches a closed day is refused (42501) and leaves nothing behind.';

CREATE FUNCTION att_sync_punch_delete(employee bigint, source_system text, source_ref text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  current record;
  old_actor text := @extschema@._att_set_local('attendance.acting_employee', @extschema@.att_current_employee()::text);
BEGIN
  IF NOT @extschema@.att_is_sync() AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    PERFORM @extschema@.sync_refused();
  END IF;
  SELECT p.punch_id, p.at INTO current
    FROM @extschema@.punch p
   WHERE p.employee_id = employee AND p.source_system = source_system AND p.source_ref = source_ref
     AND NOT EXISTS (SELECT 1 FROM @extschema@.punch_void v WHERE v.employee_id = p.employee_id AND v.punch_id = p.punch_id)
   ORDER BY p.revision DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN false;  -- nothing mirrored, or already deleted: a repeated delete changes nothing
  END IF;
  INSERT INTO @extschema@.punch_void (employee_id, punch_id, at, voided_by, reason)
  VALUES (employee, current.punch_id, current.at, NULL, 'deleted: the ERP removed its row ' || source_ref);
  RETURN true;
END $$;
COMMENT ON FUNCTION att_sync_punch_delete(bigint, text, text) IS
  'Mirrors the deletion of the ERP''s check-in row: the punch is voided (kept, recorded with the reason). Returns false when there was nothing to void. For the sync role and superusers.';

REVOKE EXECUTE ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision, punch_source),
  att_sync_punch_delete(bigint, text, text), sync_refused() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION att_sync_punch(bigint, text, text, timestamptz, double precision, double precision, punch_source),
  att_sync_punch_delete(bigint, text, text) TO attendance_sync;

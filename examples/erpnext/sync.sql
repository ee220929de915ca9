-- ERPNext -> attendance: everything an integrator writes. Run once as a
-- superuser in the ERPNext database after CREATE EXTENSION attendance, then
-- GRANT attendance_sync TO the ERPNext login. Every ERPNext key is text:
-- employees go in by employee_key, orgs by (doctype, name), and the
-- extension numbers them. Times are local to the site's zone (System Settings).
CREATE FUNCTION erpnext.att_zone() RETURNS text LANGUAGE sql STABLE
RETURN coalesce((SELECT value FROM erpnext."tabSingles" WHERE doctype = 'System Settings' AND field = 'time_zone'), 'UTC');
CREATE FUNCTION erpnext.att_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'tabCompany' THEN
    INSERT INTO attendance.org (org_source, org_key, name) VALUES ('tabCompany', NEW.name, NEW.name)
    ON CONFLICT (org_source, org_key) DO NOTHING;
  ELSE
    INSERT INTO attendance.org (org_source, org_key, name, parent_id)
    VALUES ('tabDepartment', NEW.name, NEW.department_name,
            coalesce(attendance.att_org_id('tabDepartment', NEW.parent_department), attendance.att_org_id('tabCompany', NEW.company)))
    ON CONFLICT (org_source, org_key) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id;
  END IF;
  RETURN NULL;
END $$;
-- A shift type's rule (erp_managed), Monday to Friday; a change is a new version from today.
CREATE FUNCTION erpnext.att_shift() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO attendance.rule (name, erp_managed) VALUES ('erpnext shift ' || NEW.name, true) ON CONFLICT (name) DO NOTHING;
  INSERT INTO attendance.rule_version (rule_id, valid_from, config)
  SELECT r.rule_id, CASE WHEN EXISTS (SELECT 1 FROM attendance.rule_version v WHERE v.rule_id = r.rule_id) THEN attendance.att_today() ELSE '2000-01-01' END,
         jsonb_build_object('name', NEW.name, 'system', 'standard', 'punch_mode', 'fixed', 'time_zone', erpnext.att_zone(),
           'shifts', jsonb_build_array(jsonb_build_object('name', 'shift', 'periods', jsonb_build_array(jsonb_build_object(
             'start', to_char(NEW.start_time, 'HH24:MI'), 'end', to_char(NEW.end_time, 'HH24:MI'))))),
           'standard', jsonb_build_object('workdays', jsonb_build_array(1, 2, 3, 4, 5), 'shift', 'shift'))
    FROM attendance.rule r WHERE r.name = 'erpnext shift ' || NEW.name
  ON CONFLICT (rule_id, valid_from) DO UPDATE SET config = excluded.config;
  RETURN NULL;
END $$;
-- Hires, transfers, shift changes and leavers (effective today).
CREATE FUNCTION erpnext.att_employee() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := attendance.att_today();
  ends date := coalesce(NEW.relieving_date + 1, CASE WHEN NEW.status = 'Left' THEN today END);
  start date := CASE WHEN TG_OP = 'INSERT' THEN NEW.date_of_joining ELSE today END;
  e bigint;
BEGIN
  INSERT INTO attendance.employee (employee_key, display_name) VALUES (NEW.name, NEW.employee_name)
  ON CONFLICT (employee_key) DO UPDATE SET display_name = excluded.display_name RETURNING employee_id INTO e;
  IF TG_OP = 'UPDATE' AND NEW.department IS DISTINCT FROM OLD.department THEN
    UPDATE attendance.membership SET period = daterange(lower(period), today) WHERE employee_id = e AND period @> today AND lower(period) < today;
    DELETE FROM attendance.membership WHERE employee_id = e AND lower(period) >= today;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE attendance.membership SET period = daterange(lower(period), ends)
     WHERE employee_id = e AND upper(period) IS DISTINCT FROM ends
       AND lower(period) = (SELECT max(lower(m.period)) FROM attendance.membership m WHERE m.employee_id = e);
  END IF;
  IF (TG_OP = 'INSERT' OR NEW.department IS DISTINCT FROM OLD.department) AND NEW.department IS NOT NULL THEN
    INSERT INTO attendance.membership (employee_id, org_id, period)
    VALUES (e, attendance.att_org_id('tabDepartment', NEW.department), daterange(start, ends));
  END IF;
  IF TG_OP = 'INSERT' OR NEW.default_shift IS DISTINCT FROM OLD.default_shift THEN
    UPDATE attendance.rule_person SET validity = daterange(lower(validity), start) WHERE employee_id = e AND validity @> start AND lower(validity) < start;
    DELETE FROM attendance.rule_person WHERE employee_id = e AND lower(validity) >= start;
    INSERT INTO attendance.rule_person (employee_id, rule_id, validity)
    SELECT e, r.rule_id, daterange(start, NULL) FROM attendance.rule r WHERE r.name = 'erpnext shift ' || NEW.default_shift;
  END IF;
  RETURN NULL;
END $$;
-- Check-ins by their ERPNext name: loaded, edited, deleted.
CREATE FUNCTION erpnext.att_checkin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM attendance.att_sync_punch_delete(attendance.att_employee_id(OLD.employee), 'erpnext', OLD.name);
  ELSE
    PERFORM attendance.att_sync_punch(attendance.att_employee_id(NEW.employee), 'erpnext', NEW.name, NEW."time" AT TIME ZONE erpnext.att_zone());
  END IF;
  RETURN NULL;
END $$;
-- Approved, submitted leave is an excuse with its type (a half day: the
-- morning); cancelled or rejected leave is none.
CREATE FUNCTION erpnext.att_leave() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  z text := erpnext.att_zone();
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM attendance.excuse WHERE employee_id = attendance.att_employee_id(OLD.employee) AND source_system = 'erpnext' AND source_ref = OLD.name;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'Approved' AND NEW.docstatus = 1 THEN
    INSERT INTO attendance.excuse (employee_id, kind, during, leave_type, source_system, source_ref)
    VALUES (attendance.att_employee_id(NEW.employee), 'leave',
            CASE WHEN NEW.half_day = 1 THEN tstzrange(NEW.half_day_date::timestamp AT TIME ZONE z, (NEW.half_day_date + time '12:00') AT TIME ZONE z)
                 ELSE tstzrange(NEW.from_date::timestamp AT TIME ZONE z, (NEW.to_date + 1)::timestamp AT TIME ZONE z) END,
            NEW.leave_type, 'erpnext', NEW.name);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON erpnext."tabCompany" FOR EACH ROW EXECUTE FUNCTION erpnext.att_org();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON erpnext."tabDepartment" FOR EACH ROW EXECUTE FUNCTION erpnext.att_org();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON erpnext."tabShift Type" FOR EACH ROW EXECUTE FUNCTION erpnext.att_shift();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON erpnext."tabEmployee" FOR EACH ROW EXECUTE FUNCTION erpnext.att_employee();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE OR DELETE ON erpnext."tabEmployee Checkin" FOR EACH ROW EXECUTE FUNCTION erpnext.att_checkin();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE OR DELETE ON erpnext."tabLeave Application" FOR EACH ROW EXECUTE FUNCTION erpnext.att_leave();

-- Odoo 17 -> attendance: everything an integrator writes. Run once as a
-- superuser in the Odoo database after CREATE EXTENSION attendance, then
-- GRANT attendance_sync TO the Odoo login. Odoo's ids are integers: employees
-- keep them; companies and departments share numbers, so orgs are keyed by
-- (table, id). Working calendars become rules (one period from the first
-- start to the last end: until rules have breaks, lunch is inside it).
CREATE FUNCTION odoo.att_company() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO attendance.org (org_source, org_key, name) VALUES ('res.company', NEW.id, NEW.name)
  ON CONFLICT (org_source, org_key) DO UPDATE SET name = excluded.name;
  RETURN NULL;
END $$;
CREATE FUNCTION odoo.att_department() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO attendance.org (org_source, org_key, name, parent_id)
  VALUES ('hr.department', NEW.id, NEW.name ->> 'en_US', coalesce(attendance.att_org_id('hr.department', NEW.parent_id::text),
                                                                  attendance.att_org_id('res.company', NEW.company_id::text)))
  ON CONFLICT (org_source, org_key) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id;
  RETURN NULL;
END $$;
-- A calendar's rule (erp_managed: the sync role's to write): each weekday
-- its own shift, from its first start to its last end (until rules have
-- breaks, lunch lies inside it); a change is a new version from today, and
-- the lines of one transaction make one version.
CREATE FUNCTION odoo.att_calendar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cal integer;
  c record;
BEGIN
  IF TG_TABLE_NAME = 'resource_calendar' THEN cal := NEW.id; ELSE cal := coalesce(NEW.calendar_id, OLD.calendar_id); END IF;
  SELECT k.id, k.name, k.tz, jsonb_agg(DISTINCT jsonb_build_object('name', x.s || '-' || x.e,
           'periods', jsonb_build_array(jsonb_build_object('start', x.s, 'end', x.e)))) AS shifts,
         jsonb_object_agg((ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])[x.d + 1], x.s || '-' || x.e) AS days
    INTO c FROM odoo.resource_calendar k
    JOIN (SELECT a.calendar_id, a.dayofweek::int AS d, to_char(make_interval(secs => min(a.hour_from) * 3600), 'HH24:MI') AS s,
                 to_char(make_interval(secs => max(a.hour_to) * 3600), 'HH24:MI') AS e
            FROM odoo.resource_calendar_attendance a WHERE a.day_period <> 'lunch' GROUP BY 1, 2) x ON x.calendar_id = k.id
   WHERE k.id = cal GROUP BY k.id;
  IF NOT FOUND THEN RETURN NULL; END IF;
  INSERT INTO attendance.rule (rule_id, name, erp_managed) VALUES (c.id, 'odoo calendar ' || c.id, true) ON CONFLICT DO NOTHING;
  INSERT INTO attendance.rule_version (rule_id, valid_from, config)
  VALUES (c.id, coalesce((SELECT max(v.valid_from) FROM attendance.rule_version v WHERE v.rule_id = c.id AND v.created_at = now()),
                         CASE WHEN EXISTS (SELECT 1 FROM attendance.rule_version v WHERE v.rule_id = c.id) THEN attendance.att_today() ELSE '2000-01-01' END),
          jsonb_build_object('name', c.name, 'system', 'flexible', 'punch_mode', 'fixed', 'time_zone', c.tz,
                             'shifts', c.shifts, 'flexible', jsonb_build_object('days', c.days)))
  ON CONFLICT (rule_id, valid_from) DO UPDATE SET config = excluded.config;
  RETURN NULL;
END $$;
-- Hires, transfers, calendar changes and departures (effective today).
CREATE FUNCTION odoo.att_employee() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := attendance.att_today();
  ends date := coalesce(NEW.departure_date + 1, CASE WHEN NEW.active THEN NULL ELSE today END);
  start date := today;
BEGIN
  INSERT INTO attendance.employee (employee_id, display_name) VALUES (NEW.id, NEW.name)
  ON CONFLICT (employee_id) DO UPDATE SET display_name = excluded.display_name;
  IF TG_OP = 'INSERT' THEN
    start := NEW.create_date::date;
  ELSIF NEW.department_id IS DISTINCT FROM OLD.department_id THEN
    UPDATE attendance.membership SET period = daterange(lower(period), today)
     WHERE employee_id = NEW.id AND kind = 'primary' AND period @> today AND lower(period) < today;
    DELETE FROM attendance.membership WHERE employee_id = NEW.id AND kind = 'primary' AND lower(period) >= today;
  ELSE
    UPDATE attendance.membership SET period = daterange(lower(period), ends)
     WHERE employee_id = NEW.id AND kind = 'primary' AND upper(period) IS DISTINCT FROM ends
       AND lower(period) = (SELECT max(lower(m.period)) FROM attendance.membership m WHERE m.employee_id = NEW.id AND m.kind = 'primary');
  END IF;
  IF (TG_OP = 'INSERT' OR NEW.department_id IS DISTINCT FROM OLD.department_id) AND NEW.department_id IS NOT NULL THEN
    INSERT INTO attendance.membership (employee_id, org_id, period)
    VALUES (NEW.id, attendance.att_org_id('hr.department', NEW.department_id::text), daterange(start, ends));
  END IF;
  IF TG_OP = 'INSERT' OR NEW.resource_calendar_id IS DISTINCT FROM OLD.resource_calendar_id THEN
    UPDATE attendance.rule_person SET validity = daterange(lower(validity), start)
     WHERE employee_id = NEW.id AND validity @> start AND lower(validity) < start;
    DELETE FROM attendance.rule_person WHERE employee_id = NEW.id AND lower(validity) >= start;
    INSERT INTO attendance.rule_person (employee_id, rule_id, validity)
    SELECT NEW.id, NEW.resource_calendar_id, daterange(start, NULL) WHERE NEW.resource_calendar_id IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
-- Check-ins and check-outs: loaded, edited and deleted by Odoo's row id.
CREATE FUNCTION odoo.att_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF TG_OP = 'DELETE' OR NEW.check_out IS NULL THEN
      PERFORM attendance.att_sync_punch_delete(OLD.employee_id, 'odoo', 'hr.attendance,' || OLD.id || ':out');
    END IF;
    IF TG_OP = 'DELETE' THEN
      PERFORM attendance.att_sync_punch_delete(OLD.employee_id, 'odoo', 'hr.attendance,' || OLD.id || ':in');
      RETURN NULL;
    END IF;
  END IF;
  PERFORM attendance.att_sync_punch(NEW.employee_id, 'odoo', 'hr.attendance,' || NEW.id || ':in', NEW.check_in AT TIME ZONE 'UTC');
  IF NEW.check_out IS NOT NULL THEN
    PERFORM attendance.att_sync_punch(NEW.employee_id, 'odoo', 'hr.attendance,' || NEW.id || ':out', NEW.check_out AT TIME ZONE 'UTC');
  END IF;
  RETURN NULL;
END $$;
-- Approved leave is an excuse with its type; refused, cancelled or deleted leave is none.
CREATE FUNCTION odoo.att_leave() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM attendance.excuse WHERE employee_id = OLD.employee_id AND source_system = 'odoo' AND source_ref = 'hr.leave,' || OLD.id
     AND (TG_OP = 'DELETE' OR NEW.state <> 'validate' OR NEW.employee_id IS DISTINCT FROM OLD.employee_id);
  IF TG_OP <> 'DELETE' AND NEW.state = 'validate' THEN
    INSERT INTO attendance.excuse (employee_id, kind, during, leave_type, source_system, source_ref)
    SELECT NEW.employee_id, 'leave', tstzrange(NEW.date_from AT TIME ZONE 'UTC', NEW.date_to AT TIME ZONE 'UTC'), t.name ->> 'en_US', 'odoo', 'hr.leave,' || NEW.id
      FROM odoo.hr_leave_type t WHERE t.id = NEW.holiday_status_id
    ON CONFLICT (employee_id, source_system, source_ref) WHERE source_ref IS NOT NULL
    DO UPDATE SET during = excluded.during, leave_type = excluded.leave_type;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON odoo.res_company FOR EACH ROW EXECUTE FUNCTION odoo.att_company();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON odoo.hr_department FOR EACH ROW EXECUTE FUNCTION odoo.att_department();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON odoo.resource_calendar FOR EACH ROW EXECUTE FUNCTION odoo.att_calendar();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE OR DELETE ON odoo.resource_calendar_attendance FOR EACH ROW EXECUTE FUNCTION odoo.att_calendar();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE ON odoo.hr_employee FOR EACH ROW EXECUTE FUNCTION odoo.att_employee();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE OR DELETE ON odoo.hr_attendance FOR EACH ROW EXECUTE FUNCTION odoo.att_attendance();
CREATE TRIGGER attendance_sync AFTER INSERT OR UPDATE OR DELETE ON odoo.hr_leave FOR EACH ROW EXECUTE FUNCTION odoo.att_leave();

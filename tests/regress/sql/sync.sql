-- The ERP's sync role (SPEC.md E, issue 11): loads and changes what the ERP
-- owns as a real login granted attendance_sync, without superuser rights and
-- without acting as a person; reloads never double a row; an edit or a
-- deletion of a check-in is mirrored as a recorded replacement or void;
-- leave types travel with excuses; closed days and admin scope stay out of
-- its reach.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-30 12:00+00';
DROP ROLE IF EXISTS regress_sync_erp;
CREATE ROLE regress_sync_erp LOGIN;
GRANT attendance_sync TO regress_sync_erp;
ALTER ROLE regress_sync_erp SET attendance.clock = '2026-11-30 12:00+00';

CREATE FUNCTION public.sync_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE stmt;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN 'ok: ' || n || ' row(s)';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

INSERT INTO rule (rule_id, name) VALUES (1, 'office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "office", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}');

\c - regress_sync_erp
-- The ERP's nightly load: its departments, people, assignments and rule assignment.
INSERT INTO attendance.org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Sales');
INSERT INTO attendance.employee VALUES (101, 'Aiko'), (102, 'Ben');
INSERT INTO attendance.membership (employee_id, org_id, period) VALUES (101, 10, '[2026-10-01,)'), (102, 10, '[2026-10-01,)');
INSERT INTO attendance.rule_org (org_id, rule_id) VALUES (10, 1);
-- Check-ins with the ERP's row ids, loaded twice: nothing doubles.
SELECT attendance.att_sync_punch(101, 'odoo', 'hr.attendance,7:in', '2026-11-24 09:05+00') > 0 AS loaded;
SELECT attendance.att_sync_punch(101, 'odoo', 'hr.attendance,7:out', '2026-11-24 18:00+00') > 0 AS loaded;
SELECT attendance.att_sync_punch(101, 'odoo', 'hr.attendance,7:in', '2026-11-24 09:05+00') > 0 AS reloaded;
INSERT INTO attendance.punch (employee_id, at, source_system, source_ref) VALUES
  (102, '2026-11-24 09:00+00', 'odoo', 'hr.attendance,8:in'), (102, '2026-11-24 18:00+00', 'odoo', 'hr.attendance,8:out')
ON CONFLICT DO NOTHING;
INSERT INTO attendance.punch (employee_id, at, source_system, source_ref) VALUES
  (102, '2026-11-24 09:00+00', 'odoo', 'hr.attendance,8:in'), (102, '2026-11-24 18:00+00', 'odoo', 'hr.attendance,8:out')
ON CONFLICT DO NOTHING;
-- Leave with its type, upserted by the ERP's id: a reload changes nothing,
-- an edit changes the row.
INSERT INTO attendance.excuse (employee_id, kind, during, leave_type, source_system, source_ref) VALUES
  (102, 'leave', '[2026-11-25 09:00+00,2026-11-25 13:00+00)', 'Annual Leave', 'odoo', 'hr.leave,3')
ON CONFLICT (employee_id, source_system, source_ref) WHERE source_ref IS NOT NULL
DO UPDATE SET kind = excluded.kind, during = excluded.during, leave_type = excluded.leave_type;
INSERT INTO attendance.excuse (employee_id, kind, during, leave_type, source_system, source_ref) VALUES
  (102, 'leave', '[2026-11-25 09:00+00,2026-11-25 18:00+00)', 'Sick Leave', 'odoo', 'hr.leave,3')
ON CONFLICT (employee_id, source_system, source_ref) WHERE source_ref IS NOT NULL
DO UPDATE SET kind = excluded.kind, during = excluded.during, leave_type = excluded.leave_type;
-- reloaded unchanged
INSERT INTO attendance.excuse (employee_id, kind, during, leave_type, source_system, source_ref) VALUES
  (102, 'leave', '[2026-11-25 09:00+00,2026-11-25 18:00+00)', 'Sick Leave', 'odoo', 'hr.leave,3')
ON CONFLICT (employee_id, source_system, source_ref) WHERE source_ref IS NOT NULL
DO UPDATE SET kind = excluded.kind, during = excluded.during, leave_type = excluded.leave_type;
\c - postgres
SET attendance.clock = '2026-11-30 12:00+00';
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT employee_id, count(*) AS punches FROM punch GROUP BY 1 ORDER BY 1;
SELECT employee_id, leave_type, during FROM excuse;
SELECT day, status, late_minutes, leave_minutes FROM day_record WHERE employee_id IN (101, 102) AND day IN ('2026-11-24', '2026-11-25') ORDER BY employee_id, day;

\c - regress_sync_erp
-- The ERP corrects Aiko's check-in to 08:59: mirrored as a replacement.
SELECT attendance.att_sync_punch(101, 'odoo', 'hr.attendance,7:in', '2026-11-24 08:59+00') > 0 AS replaced;
-- Ben's check-out is deleted in the ERP: mirrored as a void; deleting again changes nothing.
SELECT attendance.att_sync_punch_delete(102, 'odoo', 'hr.attendance,8:out') AS voided,
       attendance.att_sync_punch_delete(102, 'odoo', 'hr.attendance,8:out') AS voided_again;
-- Leave cancelled in the ERP.
DELETE FROM attendance.excuse WHERE employee_id = 102 AND source_system = 'odoo' AND source_ref = 'hr.leave,3';
\c - postgres
SET attendance.clock = '2026-11-30 12:00+00';
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT p.employee_id, p.at, p.revision, v.voided_by, v.reason
  FROM punch p LEFT JOIN punch_void v USING (employee_id, punch_id) ORDER BY p.employee_id, p.at, p.revision;
-- The leave's edit and its cancellation are recorded (the reload that
-- changed nothing is not): each with the row as it was and the login.
SELECT employee_id, action, kind, during, leave_type, source_ref, changed_by FROM excuse_change ORDER BY change_id;
SELECT day, status, late_minutes, leave_minutes FROM day_record WHERE employee_id IN (101, 102) AND day IN ('2026-11-24', '2026-11-25') ORDER BY employee_id, day;

-- hr closes November (hr 900 of the company).
INSERT INTO employee VALUES (900, 'hr');
INSERT INTO membership (employee_id, org_id, period) VALUES (900, 1, '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (900, 1, 'hr', '[2026-01-01,)');
SELECT att_close_period(1, '2026-11-24', 900) AS closed;

\c - regress_sync_erp
-- What the sync role cannot do: change a closed day, grant scope, map a login,
-- act as a person, write results.
SELECT public.sync_try($$SELECT attendance.att_sync_punch(101, 'odoo', 'hr.attendance,7:in', '2026-11-24 09:30+00')$$) AS edit_closed_day;
SELECT public.sync_try($$INSERT INTO attendance.punch (employee_id, at) VALUES (102, '2026-11-24 18:05+00')$$) AS punch_into_closed_day;
SELECT public.sync_try($$INSERT INTO attendance.admin_grant (admin_id, org_id, kind, period) VALUES (101, 1, 'hr', '[2026-01-01,)')$$) AS grant_scope;
SELECT public.sync_try($$INSERT INTO attendance.login_employee VALUES ('regress_sync_erp', 900)$$) AS map_login;
SELECT public.sync_try($$SELECT attendance.att_make_up_punch(101, '2026-11-24 12:00+00', 'x')$$) AS make_up;
SELECT public.sync_try($$UPDATE attendance.day_record SET status = 'normal'$$) AS write_results;
SELECT public.sync_try($$UPDATE attendance.punch SET at = at + interval '1 hour'$$) AS rewrite_punches;
\c - postgres
SET attendance.clock = '2026-11-30 12:00+00';
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT count(*) AS punches, count(*) FILTER (WHERE at = '2026-11-24 09:30+00') AS closed_day_edits FROM punch;
SELECT count(*) AS grants FROM admin_grant;
-- An ordinary login without the role cannot mirror anything.
DROP ROLE IF EXISTS regress_sync_other;
CREATE ROLE regress_sync_other LOGIN;
GRANT USAGE ON SCHEMA attendance TO regress_sync_other;
\c - regress_sync_other
SELECT public.sync_try($$SELECT attendance.att_sync_punch(101, 'odoo', 'x', '2026-11-26 09:00+00')$$) AS not_the_sync_role;
\c - postgres
DROP FUNCTION public.sync_try(text);
DROP OWNED BY regress_sync_erp, regress_sync_other;
DROP ROLE regress_sync_erp, regress_sync_other;

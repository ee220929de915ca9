-- examples/odoo wired to Odoo 17's own tables: the ERP's ordinary writes,
-- made as the Odoo database user (granted attendance_sync, no superuser),
-- flow into attendance, and the reports are right. "Now" moves with the
-- superuser-only clock, set for the Odoo login as a DBA would for a replay.
-- (Paths are relative to the repository root, where scripts/test.sh runs.)
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
DROP SCHEMA IF EXISTS odoo CASCADE;
CREATE EXTENSION attendance CASCADE;
\i examples/odoo/schema.sql
\i examples/odoo/sync.sql
DROP ROLE IF EXISTS regress_odoo;
CREATE ROLE regress_odoo LOGIN;
GRANT attendance_sync TO regress_odoo;
GRANT USAGE ON SCHEMA odoo TO regress_odoo;
GRANT ALL ON ALL TABLES IN SCHEMA odoo TO regress_odoo;
GRANT ALL ON ALL SEQUENCES IN SCHEMA odoo TO regress_odoo;
-- Monday 2026-11-02, 07:00 UTC
ALTER ROLE regress_odoo SET attendance.clock = '2026-11-02 07:00+00';

\c - regress_odoo
SET search_path = odoo;
INSERT INTO res_company (id, name) VALUES (1, 'Odoo Demo SA'), (2, 'Odoo Demo Inc');
INSERT INTO hr_department (id, name, company_id, parent_id) VALUES
  (1, '{"en_US": "Administration"}', 1, NULL), (2, '{"en_US": "Sales"}', 1, NULL),
  (3, '{"en_US": "Production"}', 2, NULL), (4, '{"en_US": "Warehouse"}', 2, 3);
INSERT INTO resource_calendar (id, name, tz, hours_per_day) VALUES (1, 'Standard 40 hours/week', 'Europe/Brussels', 8);
INSERT INTO resource_calendar_attendance (calendar_id, dayofweek, hour_from, hour_to, day_period)
SELECT 1, d::text, h.f, h.t, h.p FROM generate_series(0, 4) d,
  (VALUES (8.0, 12.0, 'morning'), (12.0, 13.0, 'lunch'), (13.0, 17.0, 'afternoon')) h(f, t, p);
INSERT INTO hr_leave_type (id, name) VALUES (1, '{"en_US": "Paid Time Off"}'), (2, '{"en_US": "Sick Time Off"}');
-- Hires on the 2nd (company 1 and department 1 share the number 1).
INSERT INTO hr_employee (id, name, company_id, department_id, resource_calendar_id, create_date) VALUES
  (11, 'Ann (Sales)', 1, 2, 1, '2026-11-02 06:00'), (12, 'Bob (Administration)', 1, 1, 1, '2026-11-02 06:00'),
  (13, 'Cem (Warehouse)', 2, 4, 1, '2026-11-02 06:00');
-- Kiosk check-ins of the first week (Brussels is UTC+1).
INSERT INTO hr_attendance (employee_id, check_in, check_out)
SELECT e, d + time '06:58' + make_interval(mins => e - 11 + CASE WHEN e = 12 AND d = '2026-11-04' THEN 40 ELSE 0 END), d + time '16:02'
  FROM unnest(ARRAY[11, 12, 13]) e, generate_series(date '2026-11-02', date '2026-11-06', interval '1 day') d
 WHERE NOT (e = 13 AND d = '2026-11-05');
-- Ann asks for Thursday afternoon off: first to approve, then approved, then cancelled.
INSERT INTO hr_leave (id, employee_id, holiday_status_id, date_from, date_to, state) VALUES (1, 11, 1, '2026-11-05 12:00', '2026-11-05 16:00', 'confirm');
UPDATE hr_leave SET state = 'validate' WHERE id = 1;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT o.org_source, o.org_key, o.name, p.name AS parent FROM org o LEFT JOIN org p ON p.org_id = o.parent_id ORDER BY o.org_source, o.org_key;
SELECT employee_id, leave_type, during FROM excuse;

-- A week later (Monday the 9th, 07:00 UTC), as the ERP goes on.
ALTER ROLE regress_odoo SET attendance.clock = '2026-11-09 07:00+00';
\c - regress_odoo
SET search_path = odoo;
UPDATE hr_leave SET state = 'cancel' WHERE id = 1;                   -- the leave is cancelled after all
UPDATE hr_attendance SET check_in = '2026-11-04 07:00'                -- Bob's late Wednesday was a kiosk error
 WHERE employee_id = 12 AND check_in::date = '2026-11-04';
INSERT INTO hr_attendance (employee_id, check_in, check_out) VALUES (13, '2026-11-05 07:00', '2026-11-05 16:00');  -- Cem's forgotten Thursday
UPDATE hr_employee SET department_id = 2 WHERE id = 12;               -- Bob moves to Sales today
UPDATE hr_department SET parent_id = 1 WHERE id = 3;                  -- Production (and the Warehouse) under Administration
UPDATE resource_calendar_attendance SET hour_to = 16.0 WHERE day_period = 'afternoon' AND dayofweek = '4';  -- Fridays end at 16:00 from today
INSERT INTO hr_employee (id, name, company_id, department_id, resource_calendar_id, create_date)
VALUES (14, 'Dee (hired today)', 1, 2, 1, '2026-11-09 06:00');
UPDATE hr_employee SET departure_date = '2026-11-06', active = false WHERE id = 13;  -- Cem left on Friday the 6th
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SET attendance.clock = '2026-11-09 07:00+00';
SELECT att_finalize() >= 0 AS finalized;   -- what a pg_cron job does

-- The reports: the first week day by day, and November so far.
SELECT employee_id AS e, day, status, late_minutes AS late, leave_minutes AS leave, work_minutes AS work
  FROM att_daily WHERE day BETWEEN '2026-11-02' AND '2026-11-09' AND employee_id IN (11, 12, 13, 14)
   AND (status <> 'normal' OR day IN ('2026-11-04', '2026-11-05', '2026-11-09'))
 ORDER BY employee_id, day;
SELECT employee_id, workdays, days_attended, late_count, absence_count, missing_punches, work_hours
  FROM att_period_summary WHERE period_start = '2026-11-01' ORDER BY employee_id;
-- Bob's memberships and every rule version, as the ERP's writes left them.
SELECT m.employee_id, o.name AS org, m.period FROM membership m JOIN org o USING (org_id) WHERE employee_id IN (12, 13, 14) ORDER BY 1, m.period;
SELECT rule_id, valid_from, config #> '{flexible,days}' AS days FROM rule_version ORDER BY 1, 2;
-- Each punch with its Odoo row and revision: nothing doubled, the edit recorded.
SELECT count(*) AS punches, count(DISTINCT (employee_id, source_ref, revision)) AS distinct_refs,
       count(*) FILTER (WHERE revision > 0) AS edits, (SELECT count(*) FROM punch_void) AS voids FROM punch;
\c - postgres
-- The cancelled leave is recorded as it was; Production moved from the 9th, its earlier days keep their tree.
SELECT action, leave_type, during, changed_by FROM attendance.excuse_change ORDER BY change_id;
SELECT o.name, t.period, t.path FROM attendance.org_tree t JOIN attendance.org o USING (org_id)
 WHERE o.org_source = 'hr.department' AND o.org_key = '3' ORDER BY t.period;
DROP SCHEMA odoo CASCADE;
DROP OWNED BY regress_odoo;
DROP ROLE regress_odoo;

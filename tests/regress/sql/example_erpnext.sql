-- examples/erpnext wired to ERPNext's own tables, whose keys are all text:
-- the ERP's ordinary writes, made as the ERPNext database user (granted
-- attendance_sync, no superuser), flow into attendance, and the reports,
-- joined back to ERPNext's tables by its own keys, are right.
-- (Paths are relative to the repository root, where scripts/test.sh runs.)
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
DROP SCHEMA IF EXISTS erpnext CASCADE;
CREATE EXTENSION attendance CASCADE;
\i examples/erpnext/schema.sql
\i examples/erpnext/sync.sql
DROP ROLE IF EXISTS regress_erpnext;
CREATE ROLE regress_erpnext LOGIN;
GRANT attendance_sync TO regress_erpnext;
GRANT USAGE ON SCHEMA erpnext TO regress_erpnext;
GRANT ALL ON ALL TABLES IN SCHEMA erpnext TO regress_erpnext;
-- Monday 2026-11-02, 08:00 in Kolkata
ALTER ROLE regress_erpnext SET attendance.clock = '2026-11-02 08:00+05:30';

\c - regress_erpnext
SET search_path = erpnext;
INSERT INTO "tabSingles" VALUES ('System Settings', 'time_zone', 'Asia/Kolkata');
INSERT INTO "tabCompany" VALUES ('Acme India', 'Acme India');
INSERT INTO "tabDepartment" VALUES ('All Departments', 'All Departments', NULL, NULL, 1),
  ('Sales - AI', 'Sales', 'Acme India', 'All Departments', 0), ('Support - AI', 'Support', 'Acme India', 'All Departments', 0);
INSERT INTO "tabShift Type" VALUES ('Day Shift', '09:00', '18:00'), ('Early Shift', '07:00', '16:00');
INSERT INTO "tabEmployee" (name, employee_name, company, department, default_shift, date_of_joining) VALUES
  ('HR-EMP-00001', 'Asha', 'Acme India', 'Sales - AI', 'Day Shift', '2026-11-02'),
  ('HR-EMP-00002', 'Ravi', 'Acme India', 'Sales - AI', 'Day Shift', '2026-11-02'),
  ('HR-EMP-00003', 'Meena', 'Acme India', 'Support - AI', 'Early Shift', '2026-11-02');
INSERT INTO "tabEmployee Checkin" (name, employee, "time", log_type)
SELECT format('EMP-CKIN-11-2026-%s-%s', e, to_char(d, 'YYYY-MM-DD')), e, d + CASE WHEN e = 'HR-EMP-00003' THEN time '06:55' ELSE time '08:55' END
         + CASE WHEN e = 'HR-EMP-00002' AND d = '2026-11-03' THEN interval '50 minutes' ELSE interval '0' END, 'IN'
  FROM unnest(ARRAY['HR-EMP-00001', 'HR-EMP-00002', 'HR-EMP-00003']) e, generate_series(date '2026-11-02', date '2026-11-06', interval '1 day') d
UNION ALL
SELECT format('EMP-CKOUT-11-2026-%s-%s', e, to_char(d, 'YYYY-MM-DD')), e, d + CASE WHEN e = 'HR-EMP-00003' THEN time '16:05' ELSE time '18:05' END, 'OUT'
  FROM unnest(ARRAY['HR-EMP-00001', 'HR-EMP-00002', 'HR-EMP-00003']) e, generate_series(date '2026-11-02', date '2026-11-06', interval '1 day') d
 WHERE NOT (e = 'HR-EMP-00001' AND d = '2026-11-05');
-- Asha takes Thursday off (approved, submitted) and Meena a half day on Friday.
INSERT INTO "tabLeave Application" VALUES
  ('HR-LAP-2026-00001', 'HR-EMP-00001', 'Casual Leave', '2026-11-05', '2026-11-05', 0, NULL, 'Open', 0),
  ('HR-LAP-2026-00002', 'HR-EMP-00003', 'Sick Leave', '2026-11-06', '2026-11-06', 1, '2026-11-06', 'Open', 0);
UPDATE "tabLeave Application" SET status = 'Approved', docstatus = 1;

-- A week later: the ERP goes on.
\c - postgres
ALTER ROLE regress_erpnext SET attendance.clock = '2026-11-09 08:00+05:30';
\c - regress_erpnext
SET search_path = erpnext;
UPDATE "tabEmployee Checkin" SET "time" = '2026-11-03 08:58' WHERE name = 'EMP-CKIN-11-2026-HR-EMP-00002-2026-11-03';  -- a wrong kiosk time fixed
UPDATE "tabLeave Application" SET status = 'Cancelled', docstatus = 2 WHERE name = 'HR-LAP-2026-00002';                  -- Meena's half day cancelled
UPDATE "tabEmployee" SET department = 'Support - AI' WHERE name = 'HR-EMP-00002';                                        -- Ravi moves to Support today
UPDATE "tabDepartment" SET parent_department = 'Sales - AI' WHERE name = 'Support - AI';                                 -- Support reports to Sales
UPDATE "tabShift Type" SET end_time = '17:30' WHERE name = 'Day Shift';                                                   -- the day shift ends at 17:30 from today
INSERT INTO "tabEmployee" (name, employee_name, company, department, default_shift, date_of_joining)
VALUES ('HR-EMP-00004', 'Kiran', 'Acme India', 'Sales - AI', 'Day Shift', '2026-11-09');                                 -- a hire today
UPDATE "tabEmployee" SET relieving_date = '2026-11-06', status = 'Left' WHERE name = 'HR-EMP-00003';                    -- Meena left on Friday
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SET attendance.clock = '2026-11-09 08:00+05:30';
SELECT att_finalize() >= 0 AS finalized;   -- what a pg_cron job does

-- The reports, joined back to ERPNext by its own keys.
SELECT e.employee_name, d.day, d.status, d.late_minutes AS late, d.leave_minutes AS leave, d.work_minutes AS work
  FROM att_daily d JOIN erpnext."tabEmployee" e ON e.name = d.employee_key
 WHERE d.day BETWEEN '2026-11-02' AND '2026-11-09' AND (d.status NOT IN ('normal', 'rest') OR d.day IN ('2026-11-03', '2026-11-06'))
 ORDER BY e.name, d.day;
SELECT e.employee_name, s.workdays, s.days_attended, s.late_count, s.absence_count, s.leave_hours
  FROM att_period_summary s JOIN erpnext."tabEmployee" e ON e.name = s.employee_key WHERE s.period_start = '2026-11-01' ORDER BY e.name;
SELECT x.employee_key, o.org_key AS department, m.period FROM membership m JOIN employee x USING (employee_id) JOIN org o USING (org_id) ORDER BY 1, m.period;
SELECT o.org_key, p.org_key AS parent FROM org o LEFT JOIN org p ON p.org_id = o.parent_id ORDER BY o.org_id;
SELECT r.name, v.valid_from, v.config #> '{shifts,0,periods,0}' AS period FROM rule_version v JOIN rule r USING (rule_id) ORDER BY 1, 2;
SELECT count(*) AS punches, count(*) FILTER (WHERE revision > 0) AS edits, (SELECT count(*) FROM punch_void) AS voids,
       (SELECT count(*) FROM excuse) AS excuses FROM punch;
\c - postgres
SELECT action, leave_type, changed_by FROM attendance.excuse_change ORDER BY change_id;
DROP SCHEMA erpnext CASCADE;
DROP OWNED BY regress_erpnext;
DROP ROLE regress_erpnext;

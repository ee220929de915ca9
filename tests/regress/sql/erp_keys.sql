-- Any key type (issue 11): employees keyed by the ERP's text or uuid keys,
-- companies and departments from separate ERP tables sharing numbers, and
-- scope policies on ERP tables whose employee column is integer, bigint,
-- text or uuid and whose day column is date, timestamp or timestamptz.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-30 12:00+00';

-- An ERPNext-like schema: text keys everywhere.
CREATE SCHEMA erp;
CREATE TABLE erp."tabCompany" (name text PRIMARY KEY);
CREATE TABLE erp."tabDepartment" (name text PRIMARY KEY, company text, parent_department text);
CREATE TABLE erp."tabEmployee" (name text PRIMARY KEY, employee_name text, department text, date_of_joining date);
INSERT INTO erp."tabCompany" VALUES ('Acme');
INSERT INTO erp."tabDepartment" VALUES ('All Departments', 'Acme', NULL), ('Sales - A', 'Acme', 'All Departments');
INSERT INTO erp."tabEmployee" VALUES ('HR-EMP-00001', 'Aiko', 'Sales - A', '2026-01-05'), ('HR-EMP-00002', 'Ben', 'Sales - A', '2026-03-01'),
  ('HR-EMP-00003', 'Kim (hr)', 'All Departments', '2025-01-01');
-- Loaded as an integrator would, with no key map of their own: the ERP's keys go in as they are.
INSERT INTO org (org_source, org_key, name) SELECT 'tabCompany', name, name FROM erp."tabCompany";
INSERT INTO org (org_source, org_key, name, parent_id)
SELECT 'tabDepartment', d.name, d.name, coalesce(att_org_id('tabDepartment', d.parent_department), att_org_id('tabCompany', d.company))
  FROM erp."tabDepartment" d ORDER BY d.parent_department NULLS FIRST;
INSERT INTO employee (employee_key, display_name) SELECT name, employee_name FROM erp."tabEmployee";
INSERT INTO membership (employee_id, org_id, period)
SELECT att_employee_id(e.name), att_org_id('tabDepartment', e.department), daterange(e.date_of_joining, NULL) FROM erp."tabEmployee" e;
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (att_employee_id('HR-EMP-00003'), att_org_id('tabCompany', 'Acme'), 'hr', '[2025-01-01,)');
SELECT o.org_source, o.org_key, p.org_key AS parent_key FROM org o LEFT JOIN org p ON p.org_id = o.parent_id ORDER BY o.org_id;
SELECT count(*) AS employees, count(DISTINCT employee_id) AS distinct_ids FROM employee;

-- An Odoo-like company and department with the same id (1) coexist.
INSERT INTO org (org_source, org_key, name) VALUES ('res.company', '1', 'Odoo Co');
INSERT INTO org (org_source, org_key, name, parent_id) VALUES ('hr.department', '1', 'Odoo Administration', att_org_id('res.company', '1'));
SELECT org_source, org_key, name FROM org WHERE org_key = '1' ORDER BY org_source;

-- A rule and a check-in through the ERP's keys; the views carry the key back.
INSERT INTO rule (rule_id, name) VALUES (1, 'office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "office", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}');
INSERT INTO rule_org (org_id, rule_id) VALUES (att_org_id('tabCompany', 'Acme'), 1);
SELECT att_finalize() >= 0 AS finalized;  -- an org's new rule waits for the next run
CREATE TABLE erp."tabEmployee Checkin" (name text PRIMARY KEY, employee text, "time" timestamp, log_type text);
INSERT INTO erp."tabEmployee Checkin" VALUES ('EMP-CKIN-1', 'HR-EMP-00001', '2026-11-24 09:07', 'IN'),
  ('EMP-CKIN-2', 'HR-EMP-00001', '2026-11-24 18:02', 'OUT'), ('EMP-CKIN-3', 'HR-EMP-00002', '2026-11-24 09:00', 'IN');
INSERT INTO punch (employee_id, at, source_system, source_ref)
SELECT att_employee_id(c.employee), c."time" AT TIME ZONE 'UTC', 'erpnext', c.name FROM erp."tabEmployee Checkin" c ON CONFLICT DO NOTHING;
SELECT employee_key, day, status, late_minutes FROM att_daily WHERE day = '2026-11-24' ORDER BY employee_key;

-- Scope policies on ERP tables of every key and day type, read by the logins.
CREATE TABLE erp.by_text (employee text, day date, note text);
CREATE TABLE erp.by_uuid (employee uuid, at timestamptz, note text);
CREATE TABLE erp.by_int (employee integer, at timestamp, note text);
INSERT INTO employee (employee_key, display_name) VALUES ('5d1f0b7e-9a43-4f38-9d2a-3c0b2a1e7f10', 'Uma (uuid key)');
INSERT INTO membership (employee_id, org_id, period) VALUES (att_employee_id('5d1f0b7e-9a43-4f38-9d2a-3c0b2a1e7f10'), att_org_id('tabDepartment', 'Sales - A'), '[2026-01-01,)');
INSERT INTO erp.by_text VALUES ('HR-EMP-00001', '2026-11-24', 'Aiko'), ('HR-EMP-00002', '2026-11-24', 'Ben'), ('HR-EMP-99999', '2026-11-24', 'unknown');
INSERT INTO erp.by_uuid VALUES ('5d1f0b7e-9a43-4f38-9d2a-3c0b2a1e7f10', '2026-11-24 23:30+00', 'Uma');
INSERT INTO erp.by_int SELECT att_employee_id('HR-EMP-00002'), '2026-11-24 10:00', 'Ben by id';
SELECT att_enable_scope_policies('erp.by_text', 'employee', 'day');
SELECT att_enable_scope_policies('erp.by_uuid', 'employee', 'at');
SELECT att_enable_scope_policies('erp.by_int', 'employee', 'at');
SELECT polrelid::regclass, pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polrelid::regclass::text LIKE 'erp.%' ORDER BY 1;
CREATE TABLE erp.bad (employee numeric, day date);
SELECT att_enable_scope_policies('erp.bad', 'employee', 'day');
SELECT relrowsecurity FROM pg_class WHERE oid = 'erp.bad'::regclass;

DROP ROLE IF EXISTS regress_keys_aiko, regress_keys_hr;
CREATE ROLE regress_keys_aiko LOGIN;
CREATE ROLE regress_keys_hr LOGIN;
GRANT USAGE ON SCHEMA attendance, erp TO regress_keys_aiko, regress_keys_hr;
GRANT SELECT ON attendance.employee, erp.by_text, erp.by_uuid, erp.by_int TO regress_keys_aiko, regress_keys_hr;
INSERT INTO login_employee VALUES ('regress_keys_aiko', att_employee_id('HR-EMP-00001')), ('regress_keys_hr', att_employee_id('HR-EMP-00003'));
ALTER ROLE regress_keys_aiko SET attendance.clock = '2026-11-30 12:00+00';
ALTER ROLE regress_keys_hr SET attendance.clock = '2026-11-30 12:00+00';
\c - regress_keys_aiko
SELECT 'aiko' AS login, (SELECT array_agg(note ORDER BY note) FROM erp.by_text) AS text_rows,
       (SELECT count(*) FROM erp.by_uuid) AS uuid_rows, (SELECT count(*) FROM erp.by_int) AS int_rows;
\c - regress_keys_hr
SELECT 'hr' AS login, (SELECT array_agg(note ORDER BY note) FROM erp.by_text) AS text_rows,
       (SELECT array_agg(note) FROM erp.by_uuid) AS uuid_rows, (SELECT array_agg(note) FROM erp.by_int) AS int_rows;
\c - postgres
DROP SCHEMA erp CASCADE;
DROP OWNED BY regress_keys_aiko, regress_keys_hr;
DROP ROLE regress_keys_aiko, regress_keys_hr;

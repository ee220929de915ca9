-- Days not over yet beside a closed period (since 0.26.0, a differential
-- review). A refresh whose days reach a closed period judges every change
-- there on its own path, which compared days only as they show now. A day
-- not over yet is stored with what it will be once over (due_at), so a
-- change to that alone, with what the day shows now unchanged, was not
-- written: the open day kept its old figures once over, and no run looked
-- at it again (1). Nor was a day stored ahead as it showed stored again
-- with its figures once over by the run of its first hour, when another
-- company's closed period was among the run's days (2). An open day is now
-- compared as stored too; a closed day's change is judged as it shows.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;

-- 1. Monday 2 November, 10:00 in Shanghai: the day is stored with what it
--    will be once over (absent 540) and due_at 18:00; October is closed.
--    hr turns absenteeism off from 26 October: the closed days stay as
--    closed, and the open day of 2 November follows the new version.
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-10-28 02:00+00';
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co');
INSERT INTO employee VALUES (1, 'office'), (99, 'hr');
INSERT INTO rule (rule_id, name) VALUES (1, 'office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "office", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
  "time_zone": "Asia/Shanghai"}');
INSERT INTO membership (employee_id, org_id, period) VALUES (1, 1, '[2026-10-01,)'), (99, 1, '[2026-10-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (99, 1, 'hr', '[2026-01-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (1, 1);
SELECT att_finalize() >= 0 AS first_run;
SET attendance.clock = '2026-11-02 02:00+00';
SELECT att_finalize() >= 0 AS ran;
SELECT att_close_period(1, '2026-10-15', 99) AS october_closed;
SELECT status, due_at AT TIME ZONE 'Asia/Shanghai' AS due_local, absent_minutes FROM day_record WHERE employee_id = 1 AND day = '2026-11-02';
INSERT INTO rule_version (rule_id, valid_from, config)
SELECT 1, '2026-10-26', jsonb_set(config, '{absenteeism,enabled}', 'false') FROM rule_version WHERE rule_id = 1;
SET attendance.clock = '2026-11-02 02:05+00';
SELECT att_finalize() AS changed;
SELECT status, absent_minutes FROM day_record WHERE employee_id = 1 AND day = '2026-11-02';
-- 18:30 in Shanghai, and again the next morning: runs after the shift
SET attendance.clock = '2026-11-02 10:30+00';
SELECT att_finalize() AS changed;
SET attendance.clock = '2026-11-03 02:00+00';
SELECT att_finalize() >= 0 AS ran;
SELECT 'att_daily' AS src, status, absent_minutes, reasons FROM att_daily WHERE employee_id = 1 AND day = '2026-11-02'
UNION ALL SELECT 'att_evaluate', status, absent_minutes, array_to_string(reasons, '; ') FROM att_evaluate(1, '[2026-11-02,2026-11-02]');
SELECT absence_count, absence_minutes FROM att_period_summary WHERE employee_id = 1 AND period_start = '2026-11-01';

-- 2. A hire in company A from Monday: the day is stored ahead as it shows.
--    Company B closes its November early. Monday's first-hour run stores
--    the day again with what it will be once over, and at 18:30, with no
--    run since, it shows absent.
DROP EXTENSION attendance CASCADE;
-- (a new session: the library keeps the extension's plans per session)
\c -
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-10-30 04:00+00';   -- Friday, 12:00 in Shanghai
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co A'), (2, NULL, 'Co B');
INSERT INTO employee VALUES (1, 'A office'), (2, 'B office'), (99, 'hr');
INSERT INTO rule (rule_id, name) VALUES (1, 'office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "office", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
  "time_zone": "Asia/Shanghai"}');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (99, 1, 'hr', '[2026-01-01,)'), (99, 2, 'hr', '[2026-01-01,)');
INSERT INTO membership (employee_id, org_id, period) VALUES (2, 2, '[2026-10-01,)'), (99, 1, '[2026-10-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (1, 1), (2, 1);
SELECT att_finalize() >= 0 AS first_run;
INSERT INTO membership (employee_id, org_id, period) VALUES (1, 1, '[2026-11-02,)');
SELECT day, status, due_at FROM day_record WHERE employee_id = 1 AND day = '2026-11-02';
SET attendance.clock = '2026-11-01 04:00+00';
SELECT att_finalize() >= 0 AS ran;
SELECT att_close_period(2, '2026-11-01', 99) AS co_b_closed;
SET attendance.clock = '2026-11-02 00:05+00';
SELECT att_finalize() AS changed;
SELECT day, status, due_at FROM day_record WHERE employee_id = 1 AND day = '2026-11-02';
SET attendance.clock = '2026-11-02 10:30+00';
SELECT 'att_daily' AS src, status, absent_minutes FROM att_daily WHERE employee_id = 1 AND day = '2026-11-02'
UNION ALL SELECT 'att_evaluate', status, absent_minutes FROM att_evaluate(1, '[2026-11-02,2026-11-02]');
SELECT pending_days, absence_count FROM att_period_summary WHERE employee_id = 1 AND period_start = '2026-11-01';

DROP EXTENSION attendance CASCADE;

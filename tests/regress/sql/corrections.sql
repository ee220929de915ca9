-- Day results kept current, frozen once closed, and corrections that add
-- records and keep the originals. Acting employees are set the way a trusted
-- application sets them (the test runs as a superuser, which is trusted).
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Dept');
INSERT INTO employee VALUES (100, 'staff'), (200, 'admin of Dept'), (300, 'hr of Co');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (100, 10, '[2015-01-01,)'), (200, 10, '[2015-01-01,)'), (300, 1, '[2015-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (200, 10, 'admin', '[2015-01-01,)'), (300, 1, 'hr', '[2015-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2015-01-01', '{"name": "office", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 1);

-- Inserting punches keeps day_record current, one refresh per employee and statement.
INSERT INTO punch (employee_id, at) VALUES
  (100, '2015-02-10 09:00+00'), (100, '2015-03-10 09:00+00'), (100, '2015-02-11 09:00+00'), (100, '2015-02-11 18:00+00');
SELECT day, status, work_minutes FROM day_record WHERE employee_id = 100 AND day IN ('2015-02-10', '2015-02-11', '2015-03-10') ORDER BY day;

-- February closes for Dept.
BEGIN;
SET LOCAL attendance.acting_employee = '200';
SELECT att_close_period(10, '2015-02-10', 200, '2015-03-01') AS closed;
COMMIT;

-- The admin may not correct a closed day; a direct insert is refused too.
BEGIN;
SET LOCAL attendance.acting_employee = '200';
SELECT pg_temp.outcome($$SELECT att_make_up_punch(100, '2015-02-10 18:00+00', 'forgot to punch out')$$) AS admin_after_closing;
COMMIT;
SELECT pg_temp.outcome($$INSERT INTO punch (employee_id, at) VALUES (100, '2015-02-10 18:00+00')$$) AS direct_insert_into_closed_day;
SELECT count(*) AS punches, count(*) FILTER (WHERE source = 'make_up') AS make_up FROM punch;

-- hr corrects it: the make-up punch is added, the day re-evaluated, and the change recorded.
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT att_make_up_punch(100, '2015-02-10 18:00+00', 'forgot to punch out') > 0 AS added;
COMMIT;
SELECT day, status, work_minutes FROM day_record WHERE employee_id = 100 AND day = '2015-02-10';
SELECT employee_id, day, actor, reason, before ->> 'status' AS before, after ->> 'status' AS after FROM correction ORDER BY correction_id;
SELECT at, source, recorded_by, reason FROM punch WHERE source = 'make_up';

-- An open day: the admin corrects without a correction record.
BEGIN;
SET LOCAL attendance.acting_employee = '200';
SELECT att_make_up_punch(100, '2015-03-10 18:00+00', 'forgot to punch out') > 0 AS added;
COMMIT;
SELECT day, status FROM day_record WHERE employee_id = 100 AND day = '2015-03-10';
SELECT count(*) AS corrections FROM correction;

-- Nothing is lost: punches are never changed or deleted; voiding keeps the original.
SELECT pg_temp.outcome($$UPDATE punch SET at = at + interval '1 hour' WHERE employee_id = 100$$) AS update_punch;
SELECT pg_temp.outcome($$DELETE FROM punch WHERE employee_id = 100$$) AS delete_punch;
BEGIN;
SET LOCAL attendance.acting_employee = '300';
SELECT att_void_punch(100, punch_id, 'clocked in twice by mistake')
  FROM punch WHERE employee_id = 100 AND at = '2015-02-11 18:00+00';
COMMIT;
SELECT p.at, v.voided_by, v.reason FROM punch p JOIN punch_void v USING (employee_id, punch_id);
SELECT day, status FROM day_record WHERE employee_id = 100 AND day = '2015-02-11';
SELECT day, actor, reason, before ->> 'status' AS before, after ->> 'status' AS after FROM correction ORDER BY correction_id;

-- No actor at all (a plain superuser session) cannot correct either.
SELECT pg_temp.outcome($$SELECT att_make_up_punch(100, '2015-03-11 09:00+00', 'no actor')$$) AS without_actor;

-- A rule change: re-evaluation leaves closed days frozen and updates the open ones.
UPDATE rule_version SET config = jsonb_set(config, '{standard,workdays}', '[1, 2, 3, 4]') WHERE rule_id = 1;
SELECT att_refresh(100, '[2015-02-01,2015-03-31]') AS changed_days;
SELECT day, to_char(day, 'Dy') AS dow, day_kind, status FROM day_record
 WHERE employee_id = 100 AND day IN ('2015-02-13', '2015-03-13') ORDER BY day;
-- Strict (as the triggers call it), the same change is refused.
SELECT pg_temp.outcome($$SELECT att_refresh(100, '[2015-02-01,2015-02-28]', strict => true)$$) AS strict_refresh;

-- A correction at an instant still to come (since 0.26.0, attack review).
-- A correction is checked on every day it changes, as those days show
-- now; a punch whose time has not come changes none of them before it
-- comes. So until 0.26.0 an admin could make up, or void, a punch after
-- now that would change, once its time came, a day the admin may only
-- view: here a night shift's check-out, which belongs to the day before,
-- across a transfer. Now a make-up punch or a void at an instant after
-- att_now() is refused (55000) for everyone, and the same correction once
-- its time has come is checked on the days it changes.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regress_ahead_admin') THEN CREATE ROLE regress_ahead_admin LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regress_ahead_hr') THEN CREATE ROLE regress_ahead_hr LOGIN; END IF;
END $$;
CREATE FUNCTION public.ahead_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
GRANT EXECUTE ON FUNCTION public.ahead_try(text) TO PUBLIC;
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Plant'), (20, 1, 'Warehouse');
INSERT INTO employee VALUES (41, 'admin of the Plant'), (42, 'night worker'), (43, 'hr');
INSERT INTO rule (rule_id, name) VALUES (1, 'night');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "night", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "night"},
    "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
    "time_zone": "UTC"}');
-- 42 works in the Warehouse until Tuesday 8 December and in the Plant from Wednesday
INSERT INTO membership (employee_id, org_id, period) VALUES
  (41, 1, '[2026-11-01,)'), (43, 1, '[2026-11-01,)'), (42, 20, '[2026-11-01,2026-12-08]'), (42, 10, '[2026-12-09,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (42, 1);
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (41, 10, 'admin', '[2026-11-01,)'), (43, 1, 'hr', '[2026-11-01,)');
INSERT INTO login_employee VALUES ('regress_ahead_admin', 41), ('regress_ahead_hr', 43);
GRANT USAGE ON SCHEMA attendance TO regress_ahead_admin, regress_ahead_hr;
GRANT SELECT ON attendance.att_daily, attendance.employee TO regress_ahead_admin, regress_ahead_hr;
-- Tuesday's night shift, 22:00 to 06:00: 42 checks in at 21:55
SET attendance.clock = '2026-12-08 21:55+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (42, '2026-12-08 21:55+00', '2026-12-08 21:55+00');
-- the device's check-out of 06:45 comes early, stored ahead at 05:30
SET attendance.clock = '2026-12-09 05:30+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (42, '2026-12-09 06:45+00', '2026-12-09 05:30+00');
SELECT att_finalize() >= 0 AS ran;
SELECT punch_id AS ahead_id FROM punch WHERE employee_id = 42 AND at = '2026-12-09 06:45+00' \gset
-- the admin may view Tuesday, correct from Wednesday on
SELECT d::date AS day, att_can_access(41, 42, d::date, '2026-12-09') AS scope,
       att_has_permission(41, 42, d::date, 'correct', '2026-12-09') AS may_correct
  FROM unnest(ARRAY['2026-12-08', '2026-12-09']::date[]) d;

-- 1. 05:30, as the admin: a make-up check-out of 04:00 changes Tuesday
--    and is refused (42501), as before. One of 06:45, still to come,
--    changes Tuesday once its time has come: taken until 0.26.0, refused
--    now; so is the void of the device's check-out still to come.
ALTER ROLE regress_ahead_admin SET attendance.clock = '2026-12-09 05:30+00';
\c - regress_ahead_admin
SELECT public.ahead_try($$SELECT attendance.att_make_up_punch(42, '2026-12-09 04:00+00', 'left early')$$) AS make_up_past;
SELECT public.ahead_try($$SELECT attendance.att_make_up_punch(42, '2026-12-09 06:45+00', 'stayed late')$$) AS make_up_to_come;
SELECT public.ahead_try(format('SELECT attendance.att_void_punch(42, %s, %L)', :ahead_id, 'wrong')) AS void_to_come;
\c - postgres
SET search_path = attendance, public;
SET TimeZone = 'UTC';
SET datestyle = ISO;
SELECT count(*) AS make_up_punches FROM punch WHERE employee_id = 42 AND source = 'make_up';
SELECT count(*) AS voids FROM punch_void WHERE employee_id = 42;

-- 2. 07:00, the check-out's time has come: it is Tuesday's. The admin's
--    void of it changes Tuesday and is refused (42501), as before; hr's
--    is taken.
ALTER ROLE regress_ahead_admin SET attendance.clock = '2026-12-09 07:00+00';
ALTER ROLE regress_ahead_hr SET attendance.clock = '2026-12-09 07:00+00';
SET attendance.clock = '2026-12-09 07:00+00';
SELECT att_finalize() >= 0 AS ran;
SELECT day, status, last_check_out FROM att_daily WHERE employee_id = 42 AND day = '2026-12-08';
\c - regress_ahead_admin
SELECT public.ahead_try(format('SELECT attendance.att_void_punch(42, %s, %L)', :ahead_id, 'wrong')) AS void_come;
\c - regress_ahead_hr
SELECT public.ahead_try(format('SELECT attendance.att_void_punch(42, %s, %L)', :ahead_id, 'wrong')) AS hr_void_come;

-- 3. A correction still to come that changes only days its actor may
--    correct is taken: Wednesday night's check-in of 21:58, made up at
--    07:00 by the admin, whose full scope Wednesday is.
\c - regress_ahead_admin
SELECT public.ahead_try($$SELECT attendance.att_make_up_punch(42, '2026-12-09 21:58+00', 'badge forgotten')$$) AS make_up_own_scope;
\c - postgres
SET search_path = attendance, public;
SET TimeZone = 'UTC';
SET datestyle = ISO;
SET attendance.clock = '2026-12-09 07:00+00';
SELECT day, status, last_check_out FROM att_daily WHERE employee_id = 42 AND day = '2026-12-08';
SELECT voided_by, reason FROM punch_void WHERE employee_id = 42;
SELECT at, recorded_by FROM punch WHERE employee_id = 42 AND source = 'make_up';
SET attendance.clock = '2026-12-10 07:00+00';
SELECT att_finalize() >= 0 AS ran;
SELECT day, status, first_check_in FROM att_daily WHERE employee_id = 42 AND day = '2026-12-09';

ALTER ROLE regress_ahead_admin RESET attendance.clock;
ALTER ROLE regress_ahead_hr RESET attendance.clock;
DROP FUNCTION public.ahead_try(text);
DROP OWNED BY regress_ahead_admin, regress_ahead_hr;
DROP ROLE regress_ahead_admin, regress_ahead_hr;

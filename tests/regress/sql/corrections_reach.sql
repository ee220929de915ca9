-- Corrections reaching days beyond the ones they show on (since 0.26.0,
-- an attack review). A day's late real check-out earns the next workday a
-- later start (flex.leave_late_arrive_late), which that workday shows only
-- once its own check-in comes. An admin who may correct Wednesday but only
-- view Thursday (a transfer) voided Wednesday's check-out of 21:00 at
-- 21:30: taken until 0.26.0, and Thursday counted 50 minutes late; now the
-- void needs the correct permission on the next workday too. 52, whose
-- check-out stays, is the control.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regress_reach_admin') THEN CREATE ROLE regress_reach_admin LOGIN; END IF;
END $$;
CREATE FUNCTION public.reach_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN EXECUTE stmt; RETURN 'ok';
EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM; END $$;
GRANT EXECUTE ON FUNCTION public.reach_try(text) TO PUBLIC;
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Plant'), (20, 1, 'Warehouse');
INSERT INTO employee VALUES (41, 'admin of the Plant'), (42, 'worker'), (52, 'control worker');
INSERT INTO rule (rule_id, name) VALUES (1, 'office, leave late');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "office, leave late", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 120, "may_arrive_late_minutes": 60}]}},
     "time_zone": "UTC"}');
-- 42 (and the control 52) work in the Plant until Wednesday 9 December, in the Warehouse from Thursday
INSERT INTO membership (employee_id, org_id, period) VALUES
  (41, 1, '[2026-11-01,)'),
  (42, 10, '[2026-11-01,2026-12-09]'), (42, 20, '[2026-12-10,)'),
  (52, 10, '[2026-11-01,2026-12-09]'), (52, 20, '[2026-12-10,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (42, 1), (52, 1);
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (41, 10, 'admin', '[2026-11-01,)');
INSERT INTO login_employee VALUES ('regress_reach_admin', 41);
GRANT USAGE ON SCHEMA attendance TO regress_reach_admin;
-- Wednesday: in at 08:55, out (device) at 21:00, three hours after the end
SET attendance.clock = '2026-12-09 21:30+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES
  (42, '2026-12-09 08:55+00', '2026-12-09 08:55+00'), (42, '2026-12-09 21:00+00', '2026-12-09 21:00+00'),
  (52, '2026-12-09 08:55+00', '2026-12-09 08:55+00'), (52, '2026-12-09 21:00+00', '2026-12-09 21:00+00');
SELECT punch_id AS late_out FROM punch WHERE employee_id = 42 AND at = '2026-12-09 21:00+00' \gset
-- the admin may correct Wednesday, not Thursday
SELECT d AS day, att_can_access(41, 42, d, '2026-12-09') AS scope,
       att_has_permission(41, 42, d, 'correct', '2026-12-09') AS may_correct
  FROM unnest(ARRAY['2026-12-09', '2026-12-10']::date[]) d;
SELECT employee_id, day, status, late_minutes FROM day_record WHERE employee_id IN (42, 52) AND day = '2026-12-10' ORDER BY 1;
-- 21:30 Wednesday, the admin voids Wednesday's late check-out of 42
ALTER ROLE regress_reach_admin SET attendance.clock = '2026-12-09 21:30+00';
\c - regress_reach_admin
SELECT public.reach_try(format('SELECT attendance.att_void_punch(42, %s, %L)', :late_out, 'wrong')) AS void_wednesday;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT employee_id, day, status, late_minutes FROM day_record WHERE employee_id IN (42, 52) AND day = '2026-12-10' ORDER BY 1;
-- Thursday, both arrive at 09:50
SET attendance.clock = '2026-12-10 09:50+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (42, '2026-12-10 09:50+00', '2026-12-10 09:50+00'), (52, '2026-12-10 09:50+00', '2026-12-10 09:50+00');
SET attendance.clock = '2026-12-10 18:05+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (42, '2026-12-10 18:05+00', '2026-12-10 18:05+00'), (52, '2026-12-10 18:05+00', '2026-12-10 18:05+00');
SELECT att_finalize() >= 0 AS ran;
-- Thursday, a day the admin may only view: 42 late 50 (the admin's void), 52 not late
SELECT employee_id, day, status, late_minutes FROM day_record WHERE employee_id IN (42, 52) AND day = '2026-12-10' ORDER BY 1;
-- the same void of 52's check-out once Thursday's check-in has come: refused
ALTER ROLE regress_reach_admin SET attendance.clock = '2026-12-10 18:10+00';
SELECT punch_id AS late_out52 FROM punch WHERE employee_id = 52 AND at = '2026-12-09 21:00+00' \gset
\c - regress_reach_admin
SELECT public.reach_try(format('SELECT attendance.att_void_punch(52, %s, %L)', :late_out52, 'wrong')) AS void_after_thursday_began;
\c - postgres
SET search_path = attendance, public;
SELECT employee_id, voided_by FROM punch_void ORDER BY 1;
ALTER ROLE regress_reach_admin RESET attendance.clock;
DROP FUNCTION public.reach_try(text);
DROP OWNED BY regress_reach_admin;
DROP ROLE regress_reach_admin;
DROP EXTENSION attendance CASCADE;

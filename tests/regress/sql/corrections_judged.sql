-- A correction is checked on the days it changes as the engine judges
-- them, before and after, now and once every punch stored has happened
-- (since 0.27.0; an attack review of 0.26.0 found four ways past the
-- checks that compared stored days). Admin 41 may correct the Plant's
-- days; each worker moves between the Plant and the Warehouse, so one of
-- the days a correction reaches is only viewable. Every one of these was
-- taken under 0.26.0.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regress_judged_admin') THEN CREATE ROLE regress_judged_admin LOGIN; END IF;
END $$;
CREATE FUNCTION public.judged_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN EXECUTE stmt; RETURN 'ok';
EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM; END $$;
GRANT EXECUTE ON FUNCTION public.judged_try(text) TO PUBLIC;
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Plant'), (20, 1, 'Warehouse');
INSERT INTO employee VALUES (41, 'admin of the Plant'), (43, 'moves to the leave-late rule'), (44, 'check-out stored ahead'),
  (45, 'make-up then void'), (46, 'night worker'), (47, 'stays in the Plant');
INSERT INTO rule (rule_id, name) VALUES (1, 'office, leave late'), (2, 'plant office'), (3, 'warehouse, leave late'), (4, 'night');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "office, leave late", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 120, "may_arrive_late_minutes": 60}]}},
     "time_zone": "UTC"}'),
  (2, '2026-01-01', '{"name": "plant office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}'),
  (3, '2026-01-01', '{"name": "warehouse, leave late", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 120, "may_arrive_late_minutes": 60}]}},
     "time_zone": "UTC"}'),
  (4, '2026-01-01', '{"name": "night", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "night"},
     "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
     "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (10, 2), (20, 3);
-- 43, 44 and 45 work in the Plant until Wednesday 9 December and in the
-- Warehouse from Thursday; 46 the other way, from Wednesday; 47 stays
INSERT INTO membership (employee_id, org_id, period) VALUES
  (41, 1, '[2026-11-01,)'),
  (43, 10, '[2026-11-01,2026-12-09]'), (43, 20, '[2026-12-10,)'),
  (44, 10, '[2026-11-01,2026-12-09]'), (44, 20, '[2026-12-10,)'),
  (45, 10, '[2026-11-01,2026-12-09]'), (45, 20, '[2026-12-10,)'),
  (46, 20, '[2026-11-01,2026-12-08]'), (46, 10, '[2026-12-09,)'),
  (47, 10, '[2026-11-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (44, 1), (45, 1), (46, 4), (47, 1);
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (41, 10, 'admin', '[2026-11-01,)');
INSERT INTO login_employee VALUES ('regress_judged_admin', 41);
GRANT USAGE ON SCHEMA attendance TO regress_judged_admin;
SELECT e AS employee, d AS day, att_has_permission(41, e, d, 'correct', '2026-12-09') AS may_correct
  FROM unnest(ARRAY[43, 46]) e CROSS JOIN unnest(ARRAY['2026-12-08', '2026-12-09', '2026-12-10']::date[]) d ORDER BY 1, 2;

-- 1. A stored day not yet judged again hides the void's change. 46's
-- night shift of Tuesday (Warehouse, only viewable) gets its check-out of
-- 06:45 recorded at 06:10, after the shift's end; at 06:50, before the
-- next run stores it, the admin voids it: Tuesday would lose its check-out.
SET attendance.clock = '2026-12-08 21:55+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (46, '2026-12-08 21:55+00', '2026-12-08 21:55+00');
SET attendance.clock = '2026-12-09 06:10+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (46, '2026-12-09 06:45+00', '2026-12-09 06:10+00');
SELECT att_finalize() >= 0 AS ran;
SELECT day, status, check_out FROM day_record WHERE employee_id = 46 AND day = '2026-12-08';
SELECT punch_id AS night_out FROM punch WHERE employee_id = 46 AND at = '2026-12-09 06:45+00' \gset
ALTER ROLE regress_judged_admin SET attendance.clock = '2026-12-09 06:50+00';
\c - regress_judged_admin
SELECT public.judged_try(format('SELECT attendance.att_void_punch(46, %s, %L)', :night_out, 'wrong')) AS void_stale_day;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';

-- 2. A void of a late check-out still to come: 44's device sends
-- Wednesday's check-out of 21:00 at 20:30; at 20:45 the admin voids it.
-- Thursday (Warehouse) would lose the later start it earns.
SET attendance.clock = '2026-12-09 20:30+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES
  (44, '2026-12-09 08:55+00', '2026-12-09 08:55+00'), (44, '2026-12-09 21:00+00', '2026-12-09 20:30+00');
SELECT punch_id AS ahead_out FROM punch WHERE employee_id = 44 AND at = '2026-12-09 21:00+00' \gset
ALTER ROLE regress_judged_admin SET attendance.clock = '2026-12-09 20:45+00';
\c - regress_judged_admin
SELECT public.judged_try(format('SELECT attendance.att_void_punch(44, %s, %L)', :ahead_out, 'wrong')) AS void_to_come;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';

-- 3. The later start comes from the next workday's own rule: 43 is under
-- the Plant's rule (no leave-late) on Wednesday and the Warehouse's (with
-- it) on Thursday. 4. A make-up check-out after the real one leaves the
-- day's check-out as it was, and a void of the real one then changes
-- only what Thursday earns (make-up punches earn nothing). 47, who stays
-- in the Plant, is the control: the same void is taken.
SET attendance.clock = '2026-12-09 21:30+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES
  (43, '2026-12-09 08:55+00', '2026-12-09 08:55+00'), (43, '2026-12-09 21:00+00', '2026-12-09 21:00+00'),
  (45, '2026-12-09 08:55+00', '2026-12-09 08:55+00'), (45, '2026-12-09 21:00+00', '2026-12-09 21:00+00'),
  (47, '2026-12-09 08:55+00', '2026-12-09 08:55+00'), (47, '2026-12-09 21:00+00', '2026-12-09 21:00+00');
SELECT max(punch_id) FILTER (WHERE employee_id = 43) AS out_43, max(punch_id) FILTER (WHERE employee_id = 45) AS out_45,
       max(punch_id) FILTER (WHERE employee_id = 47) AS out_47
  FROM punch WHERE at = '2026-12-09 21:00+00' \gset
ALTER ROLE regress_judged_admin SET attendance.clock = '2026-12-09 21:30+00';
\c - regress_judged_admin
SELECT public.judged_try(format('SELECT attendance.att_void_punch(43, %s, %L)', :out_43, 'wrong')) AS void_other_rule;
SELECT public.judged_try($$SELECT attendance.att_make_up_punch(45, '2026-12-09 21:15+00', 'badge failed')$$) AS make_up_after;
SELECT public.judged_try(format('SELECT attendance.att_void_punch(45, %s, %L)', :out_45, 'wrong')) AS void_under_make_up;
SELECT public.judged_try(format('SELECT attendance.att_void_punch(47, %s, %L)', :out_47, 'wrong')) AS void_in_scope;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
-- only the control's void and the make-up punch were taken
SELECT employee_id, voided_by FROM punch_void ORDER BY 1;
SELECT employee_id, source FROM punch WHERE source = 'make_up' ORDER BY 1;

-- Thursday: each arrives at 09:50, leaves at 19:05. Everyone whose late
-- check-out stands is not late; 47, whose void was taken, is.
SET attendance.clock = '2026-12-10 09:50+00';
INSERT INTO punch (employee_id, at, recorded_at)
SELECT e, '2026-12-10 09:50+00', '2026-12-10 09:50+00' FROM unnest(ARRAY[43, 44, 45, 47]) e;
SET attendance.clock = '2026-12-10 19:05+00';
INSERT INTO punch (employee_id, at, recorded_at)
SELECT e, '2026-12-10 19:05+00', '2026-12-10 19:05+00' FROM unnest(ARRAY[43, 44, 45, 47]) e;
SELECT att_finalize() >= 0 AS ran;
SELECT employee_id, day, status, late_minutes FROM day_record WHERE employee_id IN (43, 44, 45, 47) AND day = '2026-12-10' ORDER BY 1;
SELECT day, status, check_out FROM day_record WHERE employee_id = 46 AND day = '2026-12-08';

ALTER ROLE regress_judged_admin RESET attendance.clock;
DROP FUNCTION public.judged_try(text);
DROP EXTENSION attendance CASCADE;
DROP OWNED BY regress_judged_admin;
DROP ROLE regress_judged_admin;

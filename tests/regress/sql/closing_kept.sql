-- Closed periods in an ERP's ordinary life (since 0.27.0; a differential
-- review of 0.26.0 against fresh evaluation over simulated time).
-- 1. A day closed before it is over falls due when its shift as kept ends
--    (README, "Time"), whatever the inputs of now make of it: a rule
--    version the closed day skips moved the shift to 14:00-22:00, and
--    until 0.27.0 the day showed pending until 22:00, not from 17:00.
-- 2. Reopening a period applies what changed while it was closed to every
--    employee the closing covered: a leaving date the ERP synced during
--    the closing was skipped for the closed days, and until 0.27.0 the
--    employee, no longer a member, kept them (absent) after reopening.
-- 3. A closing covers an employee on the days they belong to the org it
--    closes, by the memberships and tree it sees: a department moved to
--    another company from the 6th (a move entered before the closing) had
--    its days from the 6th closed by its old company's closing until
--    0.27.0, and the ERP's punches on them were refused (42501).
-- 4. Closing a reopened period again covers the days it sees, not those
--    an earlier closing saw: a move the ERP entered while the period was
--    reopened left the mover's later days closed by the company they left
--    (an attack review of 0.27.0's first version, which added the days).
-- 5. Someone a closing covered who is no longer a member when it closes
--    again is covered on no day, no longer skipped (closing_exemption):
--    put back in the org by the ERP, their closed days were open to the
--    sync role's punches (the same review; so since 0.24.0).
-- 6. A department's own closing covers its days while its period is the
--    one closed: a department moved from ACME NY to ACME SH had its days
--    under SH closed by NY's hr closing it (a review of the fifth commit).
-- 7. A move is refused for a closed day from its first day on, and a
--    cover holds only its days: NY's closing refused moving the moved
--    department again inside SH (the same review).
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regress_kept_sync') THEN CREATE ROLE regress_kept_sync LOGIN; END IF;
END $$;
GRANT attendance_sync TO regress_kept_sync;
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Dept'), (2, NULL, 'Other co'), (20, 2, 'Office');
INSERT INTO employee VALUES (1, 'worker'), (2, 'leaver'), (99, 'hr'), (98, 'hr of the other company');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (99, 1, '[2026-01-01,)'), (1, 10, '[2026-10-01,)'), (98, 2, '[2026-01-01,)'), (2, 20, '[2026-10-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (99, 1, 'hr', '[2026-01-01,)'), (98, 2, 'hr', '[2026-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'day');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "day", "system": "standard", "punch_mode": "fixed",
   "shifts": [{"name": "d", "periods": [{"start": "09:00", "end": "17:00"}]}], "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "d"},
   "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (10, 1), (20, 1);

-- 1. Monday 9 November at noon; a tolerance version from the 9th stores
-- the days ahead, then hr closes November and the ERP moves the shift
SET attendance.clock = '2026-11-09 12:00+00';
SELECT att_finalize() >= 0 AS stored;
INSERT INTO rule_version (rule_id, valid_from, config)
SELECT 1, '2026-11-09', jsonb_set(config, '{tolerance}', '{"late_minutes": 10, "early_minutes": 0}') FROM rule_version WHERE rule_id = 1;
SELECT att_finalize() >= 0 AS refreshed;
SELECT att_close_period(1, '2026-11-09', 99) AS closed;
INSERT INTO rule_version (rule_id, valid_from, config)
SELECT 1, '2026-11-09', jsonb_set(config, '{shifts,0,periods,0}', '{"start": "14:00", "end": "22:00"}')
  FROM rule_version WHERE rule_id = 1 AND valid_from = '2026-01-01'
ON CONFLICT (rule_id, valid_from) DO UPDATE SET config = excluded.config;
SELECT att_finalize() >= 0 AS ran;
SET attendance.clock = '2026-11-10 00:30+00';
SELECT att_finalize() >= 0 AS first_hour_run;
-- Tuesday 20:00: the shift as kept ended at 17:00; the day is what was kept
SET attendance.clock = '2026-11-10 20:00+00';
SELECT att_finalize() AS changed;
SELECT d.day, d.status, d.absent_minutes, (SELECT c.final ->> 'status' FROM closed_pending c WHERE c.employee_id = 1 AND c.day = d.day) AS kept
  FROM att_daily d WHERE d.employee_id = 1 AND d.day BETWEEN '2026-11-09' AND '2026-11-11' ORDER BY d.day;
SELECT day, before ->> 'status' AS before, after ->> 'status' AS after, actor IS NULL AS by_time FROM correction WHERE employee_id = 1 ORDER BY day;

-- 2. The other company's hr closes November on Thursday 5th; the ERP's
-- sync then enters 2's leaving date, 31 October; hr reopens the period
SET attendance.clock = '2026-11-05 12:00+00';
SELECT att_finalize() >= 0 AS stored;
SELECT att_close_period(2, '2026-11-03', 98) AS closed;
\c - regress_kept_sync
SET search_path = attendance, public;
SET TimeZone = 'UTC';
UPDATE attendance.membership SET period = '[2026-10-01,2026-11-01)' WHERE employee_id = 2;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SET attendance.clock = '2026-11-05 12:00+00';
-- closed: the leaving date is skipped for the closed days
SELECT day, status, absent_minutes FROM att_daily WHERE employee_id = 2 AND day BETWEEN '2026-11-02' AND '2026-11-03' ORDER BY day;
SELECT att_reopen_period(2, '2026-11-03', 98) AS reopened;
SELECT att_finalize() >= 0 AS finalized;
-- reopened: not employed from 1 November, as a fresh evaluation says
SELECT d.day, d.status, d.absent_minutes, f.status AS fresh
  FROM att_daily d CROSS JOIN LATERAL att_evaluate_day(2, d.day) f
 WHERE d.employee_id = 2 AND d.day BETWEEN '2026-10-30' AND '2026-11-05' ORDER BY d.day;

-- 3. ACME NY's department 40 moves to ACME SH from Friday 6 November (a
-- move entered on the 3rd); then NY's hr closes NY's November
SET attendance.clock = '2026-11-03 15:00+00';
INSERT INTO org (org_id, parent_id, name, closing_day) VALUES (3, NULL, 'ACME NY', NULL), (4, NULL, 'ACME SH', 25);
INSERT INTO org (org_id, parent_id, name) VALUES (40, 3, 'Rota');
INSERT INTO employee VALUES (3, 'rota worker'), (97, 'hr of ACME NY');
INSERT INTO membership (employee_id, org_id, period) VALUES (97, 3, '[2026-01-01,)'), (3, 40, '[2026-10-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (97, 3, 'hr', '[2026-01-01,)');
INSERT INTO rule_org VALUES (40, 1);
UPDATE org SET parent_id = 4, parent_since = '2026-11-06' WHERE org_id = 40;
SELECT att_finalize() >= 0 AS stored;
SELECT att_close_period(3, '2026-11-02', 97) AS closed_ny;
-- closed through Thursday 5th, NY's; open from Friday, SH's
SELECT g::date AS day, f.company_id AS company, att_day_closed(3, g::date) AS closed, att_day_ever_closed(3, g::date) AS ever_closed
  FROM generate_series(date '2026-11-04', date '2026-11-09', interval '1 day') g
 CROSS JOIN LATERAL att_evaluate_day(3, g::date) f ORDER BY 1;
SELECT employee_id, org_id, period, days FROM closing_cover WHERE employee_id = 3;
-- Monday 9th: the ERP's check-in is taken
SET attendance.clock = '2026-11-09 16:00+00';
ALTER ROLE regress_kept_sync SET attendance.clock = '2026-11-09 16:00+00';
\c - regress_kept_sync
SELECT attendance.att_sync_punch(3, 'erp', 'c1', '2026-11-09 09:00+00') IS NOT NULL AS synced;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT employee_id, day, status, company_id, check_in FROM att_daily WHERE employee_id = 3 AND day = '2026-11-09';
ALTER ROLE regress_kept_sync RESET attendance.clock;

-- 4. and 5. Co 5 closes November, then reopens it; the ERP moves 5 to
-- Other co 6 from the 6th and 6 out of Co 5 for November; hr closes again
SET attendance.clock = '2026-11-12 12:00+00';
INSERT INTO org (org_id, parent_id, name) VALUES (5, NULL, 'Co 5'), (6, NULL, 'Other co 6');
INSERT INTO org (org_id, parent_id, name) VALUES (50, 5, 'Dept 50'), (60, 6, 'Office 60');
INSERT INTO employee VALUES (5, 'moves while reopened'), (6, 'leaves and comes back'), (95, 'hr of Co 5');
INSERT INTO membership (employee_id, org_id, period) VALUES (95, 5, '[2026-01-01,)'), (5, 50, '[2026-10-01,)'), (6, 50, '[2026-10-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (95, 5, 'hr', '[2026-01-01,)');
INSERT INTO rule_org VALUES (50, 1), (60, 1);
SELECT att_finalize() >= 0 AS stored;
SELECT att_close_period(5, '2026-11-02', 95) AS closed;
SELECT att_reopen_period(5, '2026-11-02', 95) AS reopened;
ALTER ROLE regress_kept_sync SET attendance.clock = '2026-11-12 12:00+00';
\c - regress_kept_sync
SET TimeZone = 'UTC';
BEGIN;
UPDATE attendance.membership SET period = '[2026-10-01,2026-11-06)' WHERE employee_id = 5;
INSERT INTO attendance.membership (employee_id, org_id, period) VALUES (5, 60, '[2026-11-06,)');
UPDATE attendance.membership SET period = '[2026-10-01,2026-11-01)' WHERE employee_id = 6;
INSERT INTO attendance.membership (employee_id, org_id, period) VALUES (6, 60, '[2026-11-01,2026-12-01)'), (6, 50, '[2026-12-01,)');
COMMIT;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SET attendance.clock = '2026-11-12 12:00+00';
SELECT att_close_period(5, '2026-11-02', 95) AS closed_again;
SELECT employee_id, days FROM closing_cover WHERE org_id = 5 ORDER BY employee_id;
SELECT count(*) AS skipped FROM closing_exemption WHERE org_id = 5;
SELECT e AS employee, g::date AS day, att_day_closed(e, g::date) AS closed, att_day_ever_closed(e, g::date) AS ever_closed
  FROM unnest(ARRAY[5, 6]) e CROSS JOIN generate_series(date '2026-11-05', date '2026-11-06', interval '1 day') g ORDER BY 1, 2;
-- the ERP's check-in of 5 on the 9th, Other co's day, is taken; then the
-- ERP puts 6 back in Co 5 for November, whose closed days are hers again:
-- her check-in on the 9th is refused
\c - regress_kept_sync
SET TimeZone = 'UTC';
SELECT attendance.att_sync_punch(5, 'erp', 'c5', '2026-11-09 09:00+00') IS NOT NULL AS synced_5;
BEGIN;
DELETE FROM attendance.membership WHERE employee_id = 6 AND org_id = 60;
UPDATE attendance.membership SET period = '[2026-10-01,2026-12-01)' WHERE employee_id = 6 AND org_id = 50 AND lower(period) = '2026-10-01';
COMMIT;
SELECT attendance.att_sync_punch(6, 'erp', 'c6', '2026-11-09 09:00+00') IS NOT NULL AS synced_6;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT employee_id, count(*) AS punches FROM punch WHERE employee_id IN (5, 6) GROUP BY 1 ORDER BY 1;
SELECT att_day_closed(6, '2026-11-09') AS closed_6;
ALTER ROLE regress_kept_sync RESET attendance.clock;

-- 6. Rota 2 moves from ACME LA (calendar months) to ACME TK (26th-25th)
-- from the 6th (entered on the 3rd); LA's hr closes Rota 2's November,
-- LA's calendar month. From the 6th its days have TK's period, which
-- nobody closed.
SET attendance.clock = '2026-11-03 15:00+00';
INSERT INTO org (org_id, parent_id, name, closing_day) VALUES (8, NULL, 'ACME LA', NULL), (9, NULL, 'ACME TK', 25);
INSERT INTO org (org_id, parent_id, name) VALUES (80, 8, 'Rota 2'), (41, 4, 'SH ops');
INSERT INTO employee VALUES (7, 'Rota 2 worker');
INSERT INTO membership (employee_id, org_id, period) VALUES (7, 80, '[2026-10-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (97, 8, 'hr', '[2026-01-01,)');
INSERT INTO rule_org VALUES (80, 1), (41, 1);
UPDATE org SET parent_id = 9, parent_since = '2026-11-06' WHERE org_id = 80;
SELECT att_refresh(ARRAY[7], '[2026-11-01,2026-11-13)') >= 0 AS stored;
SELECT att_close_period(80, '2026-11-02', 97) AS closed_rota_2;
SELECT employee_id, days FROM closing_cover WHERE employee_id = 7;
SELECT att_day_closed(7, '2026-11-05') AS nov_5, att_day_closed(7, '2026-11-09') AS nov_9;
-- 7. On the 16th the ERP moves Rota (40, whose worker NY's closing covers
-- until the 5th) under SH ops from the 20th; and syncs Rota 2's check-in
ALTER ROLE regress_kept_sync SET attendance.clock = '2026-11-16 12:00+00';
\c - regress_kept_sync
SET TimeZone = 'UTC';
UPDATE attendance.org SET parent_id = 41, parent_since = '2026-11-20' WHERE org_id = 40;
SELECT attendance.att_sync_punch(7, 'erp', 'c7', '2026-11-09 09:00+00') IS NOT NULL AS synced_7;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT org_id, period, parent_id FROM org_tree WHERE org_id = 40 ORDER BY period;
SELECT count(*) AS punches_of_7 FROM punch WHERE employee_id = 7;
ALTER ROLE regress_kept_sync RESET attendance.clock;

DROP EXTENSION attendance CASCADE;
DROP OWNED BY regress_kept_sync;
DROP ROLE regress_kept_sync;

-- Days that fall due without being written (since 0.25.0, issue 15): a day
-- of one shift period not over yet is stored with what it will be once
-- over and the instant it falls due (day_record.due_at), and shows what it
-- shows until then (shown). Its period keeps its figures once over and
-- shows the day as it shows until then (period_record.shown_*). The views
-- read them by the clock, so nothing is written when the day falls due,
-- and a report is right at every instant, with or without att_finalize.
-- A day of two periods before its last, or one with a punch still to
-- come, is stored as it shows and judged again by att_finalize, as before;
-- once only its last period is left, a day of two periods falls due too.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
-- Tuesday 2026-12-08, 09:10 in Shanghai.
SET attendance.clock = '2026-12-08 09:10+08';

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co');
INSERT INTO employee VALUES (41, 'on time'), (42, 'late'), (43, 'split shift'), (44, 'fast device');
INSERT INTO rule (rule_id, name) VALUES (1, 'office'), (2, 'split');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "office", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
    "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
    "time_zone": "Asia/Shanghai"}'),
  (2, '2026-01-01', '{"name": "split", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "split", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "split"},
    "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
    "time_zone": "Asia/Shanghai"}');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (41, 1, '[2026-11-01,)'), (42, 1, '[2026-11-01,)'), (43, 1, '[2026-11-01,)'), (44, 1, '[2026-11-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (41, 1), (42, 1), (43, 2), (44, 1);
INSERT INTO punch (employee_id, at, recorded_at) VALUES
  (41, '2026-12-08 08:55+08', '2026-12-08 08:55+08'), (43, '2026-12-08 08:58+08', '2026-12-08 08:58+08');
-- 44's device runs ahead: its check-in of 09:12 is stored at 09:10
INSERT INTO punch (employee_id, at, recorded_at) VALUES (44, '2026-12-08 09:12+08', '2026-12-08 09:10+08');
SELECT att_finalize() >= 0 AS ran;

-- 1. At 09:10 the stored row of 41 and 42 holds the day once over (41 will
--    miss the check-out, 42 be absent) and the instant it falls due; it
--    shows pending until then. 43's day of two periods and 44's, whose
--    check-in is still to come, are stored as they show.
SELECT employee_id, status, due_at AT TIME ZONE 'Asia/Shanghai' AS due_local, (shown).status AS shows,
       (shown).reasons AS shown_reasons
  FROM day_record WHERE day = '2026-12-08' ORDER BY employee_id;
SELECT employee_id, status, late_minutes, absent_minutes, reasons, day_code FROM att_daily WHERE day = '2026-12-08' ORDER BY employee_id;
SELECT employee_id, pending_days, absence_count, absence_minutes, missing_punches FROM att_period_summary
 WHERE period_start = '2026-12-01' ORDER BY employee_id;
SELECT employee_id, d07, d08 FROM att_monthly_grid WHERE period_start = '2026-12-01' ORDER BY employee_id;
-- the period's sums in Rust and the SQL aggregate agree, the days not over yet included
WITH k AS (SELECT array_agg(employee_id) AS e, array_agg(period_start) AS p FROM period_record),
     fresh AS (SELECT f.* FROM k, _att_period_rows(k.e, k.p) f)
SELECT (SELECT count(*) FROM (SELECT * FROM period_record EXCEPT ALL SELECT * FROM fresh) a)
     + (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT ALL SELECT * FROM period_record) b) AS differing,
       (SELECT count(*) FROM period_record WHERE shown_due IS NOT NULL) AS periods_with_days_not_over;

-- 2. 42 checks in late: the day shows late so far, and what it will be
--    once over changes with it (late, and the check-out missing).
SET attendance.clock = '2026-12-08 09:40+08';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (42, '2026-12-08 09:40+08', '2026-12-08 09:40+08');
SELECT status, late_minutes, reasons FROM att_daily WHERE employee_id = 42 AND day = '2026-12-08';
SELECT status, late_minutes, due_at AT TIME ZONE 'Asia/Shanghai' AS due_local FROM day_record WHERE employee_id = 42 AND day = '2026-12-08';
-- a day not over yet has nothing to approve (0.24.0 took it, and the
-- approval stood until the day was written again)
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (41, 1, 'admin', '[2026-01-01,)');
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
BEGIN;
SET LOCAL attendance.acting_employee = '41';
SELECT pg_temp.try($$SELECT attendance.att_approve_day(42, '2026-12-08')$$) AS approve_not_over;
COMMIT;

-- 2b. 12:05: 43's morning is over without a check-out, and its figures
--    stand from 12:00. The run judges its day of two periods again and,
--    with only its last period left, stores it with what it will be once
--    over (no check-out in the morning, none in the afternoon) and the
--    instant it falls due; until then it shows the morning judged and the
--    afternoon pending (before, it was stored as it showed and written again
--    at 18:00).
SET attendance.clock = '2026-12-08 12:05+08';
SELECT att_finalize() >= 0 AS ran;
SELECT status, due_at AT TIME ZONE 'Asia/Shanghai' AS due_local, (shown).status AS shows,
       (shown).absent_minutes AS absent_so_far, (shown).reasons AS shown_reasons
  FROM day_record WHERE employee_id = 43 AND day = '2026-12-08';
SELECT status, absent_minutes, reasons FROM att_daily WHERE employee_id = 43 AND day = '2026-12-08';

-- 3. 18:30, no att_finalize: every report shows the day over. The rows of
--    41, 42, 43 and 44 are the rows stored before, not written again
--    (44's since the run of 12:05, which its check-in had come before).
SELECT xmin::text AS version FROM day_record WHERE employee_id = 41 AND day = '2026-12-08' \gset v_
SELECT xmin::text AS version FROM day_record WHERE employee_id = 43 AND day = '2026-12-08' \gset v43_
SELECT xmin::text AS version FROM day_record WHERE employee_id = 44 AND day = '2026-12-08' \gset v44_
SET attendance.clock = '2026-12-08 18:30+08';
SELECT employee_id, status, late_minutes, absent_minutes, day_code FROM att_daily WHERE day = '2026-12-08' ORDER BY employee_id;
SELECT employee_id, pending_days, absence_count, late_count, missing_punches FROM att_period_summary
 WHERE period_start = '2026-12-01' ORDER BY employee_id;
SELECT employee_id, d08 FROM att_monthly_grid WHERE period_start = '2026-12-01' ORDER BY employee_id;
SELECT count(*) AS anomalies_of_the_8th FROM att_anomalies WHERE day = '2026-12-08';
-- and the run after the shift writes none of them
SELECT att_finalize() AS changed;
SELECT employee_id, status, due_at IS NULL AS holds_now FROM day_record WHERE day = '2026-12-08' ORDER BY employee_id;
SELECT xmin::text = :'v_version' AS row_41_not_written FROM day_record WHERE employee_id = 41 AND day = '2026-12-08';
SELECT xmin::text = :'v44_version' AS row_44_not_written FROM day_record WHERE employee_id = 44 AND day = '2026-12-08';
SELECT xmin::text = :'v43_version' AS row_43_not_written FROM day_record WHERE employee_id = 43 AND day = '2026-12-08';
BEGIN;
SET LOCAL attendance.acting_employee = '41';
SELECT pg_temp.try($$SELECT attendance.att_approve_day(42, '2026-12-08') > 0$$) AS approve_once_over;
COMMIT;

-- 4. A BI login reads the days as they show, within its scope: Wednesday
--    09:30, the login of 42 (no scope of its own) sees its own day pending.
SET attendance.clock = '2026-12-09 09:30+08';
SELECT att_finalize() >= 0 AS stored;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'regress_due_bi') THEN CREATE ROLE regress_due_bi LOGIN; END IF;
END $$;
INSERT INTO login_employee VALUES ('regress_due_bi', 42);
GRANT USAGE ON SCHEMA attendance TO regress_due_bi;
GRANT SELECT ON attendance.att_daily, attendance.att_period_summary, attendance.att_monthly_grid,
                attendance.day_record, attendance.period_record, attendance.employee TO regress_due_bi;
ALTER ROLE regress_due_bi SET attendance.clock = '2026-12-09 09:30+08';
\c - regress_due_bi
SELECT employee_id, day, status FROM attendance.att_daily WHERE day >= '2026-12-08' ORDER BY 1, 2;
SELECT employee_id, pending_days, d08, d09 FROM attendance.att_monthly_grid JOIN attendance.att_period_summary USING (employee_id, period_start)
 WHERE period_start = '2026-12-01';
SELECT count(DISTINCT employee_id) AS employees_seen FROM attendance.day_record;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 5. An approval given once the day is over stands through the next
--    refresh that reaches the day (the next morning's check-in): the day
--    stored with due_at is the day a fresh evaluation gives, not written
--    again. (The first version of 0.25.0 wrote it again, due_at cleared,
--    and withdrew the approval.)
SET attendance.clock = '2026-12-09 08:50+08';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (42, '2026-12-09 08:50+08', '2026-12-09 08:50+08');
SELECT day, withdrawn_at IS NULL AS stands FROM day_approval WHERE employee_id = 42 ORDER BY day;

-- 6. A day whose check-out the rule assumes after its end
--    (auto_check_out_minutes) shows "the check-out assumed ... has not come
--    yet" between its end and then: it is stored as it shows and judged
--    again by att_finalize, as a fresh evaluation shows it.
INSERT INTO employee VALUES (45, 'forgets to punch out');
INSERT INTO rule (rule_id, name) VALUES (3, 'assumed check-out');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (3, '2026-01-01', '{"name": "assumed check-out", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "auto_check_out_minutes": 570,
    "time_zone": "Asia/Shanghai"}');
INSERT INTO membership (employee_id, org_id, period) VALUES (45, 1, '[2026-11-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (45, 3);
INSERT INTO punch (employee_id, at, recorded_at) VALUES (45, '2026-12-09 08:50+08', '2026-12-09 08:50+08');
SELECT due_at IS NULL AS stored_as_it_shows FROM day_record WHERE employee_id = 45 AND day = '2026-12-09';
SET attendance.clock = '2026-12-09 18:10+08';
SELECT att_finalize() >= 0 AS ran;
SELECT d.reasons = array_to_string(f.reasons, '; ') AS as_evaluated, d.reasons
  FROM att_daily d, att_evaluate(ARRAY[45]::bigint[], '[2026-12-09,2026-12-09]') f
 WHERE d.employee_id = 45 AND d.day = '2026-12-09';

-- 7. hr's correction of a closed day not over yet records what it changes
--    in the day once over (correction.after.once_over), though the day
--    shows pending before and after: the closing on the 31st at 10:00,
--    41's make-up check-out of 10:30 at 11:00 makes the day early once over.
SET attendance.clock = '2026-12-31 08:55+08';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (41, '2026-12-31 08:55+08', '2026-12-31 08:55+08');
SET attendance.clock = '2026-12-31 10:00+08';
SELECT att_finalize() >= 0 AS ran;
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (44, 1, 'hr', '[2026-01-01,)');
SELECT att_close_period(1, '2026-12-31', 44) IS NOT NULL AS december_closed;
SET attendance.clock = '2026-12-31 11:00+08';
BEGIN;
SET LOCAL attendance.acting_employee = '44';
SELECT att_make_up_punch(41, '2026-12-31 10:30+08', 'left early, badge forgotten') > 0 AS made_up;
COMMIT;
SELECT actor, before ->> 'status' AS shows_before, after ->> 'status' AS shows_after,
       before #>> '{once_over,status}' AS once_over_before, after #>> '{once_over,status}' AS once_over_after,
       after #>> '{once_over,early_minutes}' AS early_once_over
  FROM correction WHERE employee_id = 41 AND day = '2026-12-31';

-- 8. The period views' helpers refuse what no period_record row holds.
SELECT pg_temp.try($$SELECT attendance._att_shown_counts(ARRAY['infinity'::timestamptz, 'infinity'],
                                                           array_fill(9223372036854775807::bigint, ARRAY[58]), '-infinity')$$) AS overflowing;
SELECT pg_temp.try($$SELECT attendance._att_shown_codes('{A,B,C}', ARRAY['infinity'::timestamptz, 'infinity'], ARRAY[1], ARRAY['-', '-'], now())$$) AS uneven;
SELECT pg_temp.try($$SELECT attendance._att_shown_codes('{{A,B},{C,D}}', ARRAY['infinity'::timestamptz], ARRAY[1], ARRAY['-'], now())$$) AS two_dimensional;
SELECT attendance._att_shown_codes('{A,B,C}', ARRAY['infinity'::timestamptz, '-infinity'], ARRAY[1, 2], ARRAY['-', '-'], now()) AS as_shown;

-- 9. The first run of att_finalize stores every employee's days, even one
--    whose days are all stored already: 46's Saturday, stored as a rest day
--    when its check-out of 08:10 was stored ahead at 08:01, is judged with
--    it (12 minutes worked). Runs after the first find such punches from
--    the run before; the first has none before it. (A review found the
--    first version of 0.25.0's run skip 46, stored work 0 for good.)
INSERT INTO employee VALUES (46, 'history loaded');
INSERT INTO membership (employee_id, org_id, period) VALUES (46, 1, '[2027-01-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (46, 1);
SET attendance.clock = '2027-02-13 08:01+08';
INSERT INTO punch (employee_id, at, recorded_at) VALUES
  (46, '2027-02-13 07:58+08', '2027-02-13 07:58+08'), (46, '2027-02-13 08:10+08', '2027-02-13 08:01+08');
SELECT att_refresh(ARRAY[46::bigint], daterange('2027-01-01', '2027-02-13', '[]')) > 0 AS history_stored;
DELETE FROM finalize_state;   -- a new installation's first run
SET attendance.clock = '2027-02-13 09:00+08';
SELECT att_finalize() > 0 AS first_run;
SELECT d.status, d.work_minutes AS stored, f.work_minutes AS evaluated
  FROM _att_days_now d, att_evaluate(ARRAY[46::bigint], '[2027-02-13,2027-02-13]') f
 WHERE d.employee_id = 46 AND d.day = '2027-02-13';

-- 10. A day not over yet is late so far from where the engine measures
--     lateness: a flexible shift (check in from 07:00 to 10:00) checked in
--     at 08:25 is on time, at 10:20 late 20 so far (a differential review
--     found every check-in after 07:00 shown late, from 07:00, until 0.26.0).
INSERT INTO employee VALUES (47, 'flexible hours, on time'), (48, 'flexible hours, late');
INSERT INTO rule (rule_id, name) VALUES (6, 'flex hours');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (6, '2026-01-01', '{"name": "flex hours", "system": "standard", "punch_mode": "flexible",
  "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "07:00", "latest_check_in": "10:00"}}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "flex"}, "time_zone": "Asia/Shanghai"}');
INSERT INTO membership (employee_id, org_id, period) VALUES (47, 1, '[2027-02-01,)'), (48, 1, '[2027-02-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (47, 6), (48, 6);
SET attendance.clock = '2027-02-15 10:30+08';
INSERT INTO punch (employee_id, at, recorded_at) VALUES
  (47, '2027-02-15 08:25+08', '2027-02-15 08:25+08'), (48, '2027-02-15 10:20+08', '2027-02-15 10:20+08');
SELECT employee_id, status, late_minutes, reasons FROM att_daily WHERE day = '2027-02-15' AND employee_id IN (47, 48) ORDER BY 1;
SELECT employee_id, late_count, late_minutes, pending_days FROM att_period_summary
 WHERE period_start = '2027-02-01' AND employee_id IN (47, 48) ORDER BY 1;

-- 11. A day of two periods is judged again by every run once it has
--     begun, not before: 43's days stored ahead (the 16th and 17th) and
--     its today, not begun at 08:20, take no run's refresh. Until 0.26.0
--     every run judged every such day from the moment it was stored.
SET attendance.clock = '2027-02-16 08:10+08';
SELECT att_finalize() > 0 AS stored_the_new_day;
SELECT att_refresh(ARRAY[43::bigint], daterange('2027-02-17', '2027-02-17', '[]')) > 0 AS stored_ahead;
SELECT day, status, cardinality(check_in) AS periods FROM day_record WHERE employee_id = 43 AND day IN ('2027-02-16', '2027-02-17') ORDER BY day;
CREATE TEMP VIEW refresh_calls AS
  SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_xact_user_functions
   WHERE schemaname = 'attendance' AND funcname = '_att_refresh';
SET track_functions = 'all';
SET attendance.clock = '2027-02-16 08:20+08';
BEGIN;
SELECT n AS calls_before FROM refresh_calls \gset
SELECT att_finalize() AS changed;
SELECT n - :calls_before AS refreshes_before_it_begins FROM refresh_calls;
COMMIT;
-- once begun, and its first period over, it is judged again and stored
-- with what it will be once over
SET attendance.clock = '2027-02-16 12:05+08';
BEGIN;
SELECT n AS calls_before FROM refresh_calls \gset
SELECT att_finalize() > 0 AS judged_again;
SELECT n - :calls_before AS refreshes_once_begun FROM refresh_calls;
COMMIT;
RESET track_functions;
SELECT day, status, due_at AT TIME ZONE 'Asia/Shanghai' AS due_local FROM day_record WHERE employee_id = 43 AND day = '2027-02-16';

DROP OWNED BY regress_due_bi;
DROP ROLE regress_due_bi;

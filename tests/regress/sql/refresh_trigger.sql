-- The refresh trigger of punch, punch_void, excuse and schedule
-- (refresh_changed_days, in C since 0.12.0): after every kind of statement
-- the stored days equal a fresh evaluation, the window of days is taken in
-- UTC whatever the session's TimeZone, a statement over several employees
-- refreshes each, a row that reaches no finite day is refused with a clear
-- error and nothing stored, and the function refuses a table it is not
-- meant for.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-30 12:00+00';

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co');
INSERT INTO employee VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO rule (rule_id, name) VALUES (1, 'office'), (2, 'shifts');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}},
     "time_zone": "Asia/Tokyo"}'),
  (2, '2026-01-01', '{"name": "shifts", "system": "scheduled", "punch_mode": "fixed",
     "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
     "scheduled": {"modify_history": true}, "time_zone": "Asia/Tokyo"}');
INSERT INTO membership (employee_id, org_id, period) VALUES (1, 1, '[2026-01-01,)'), (2, 1, '[2026-01-01,)'), (3, 1, '[2026-01-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (1, 1), (2, 1), (3, 2);

-- Stored days that differ from a fresh evaluation of November, and stored
-- periods whose sums differ from those of their stored days (0 is right).
CREATE FUNCTION pg_temp.stale() RETURNS bigint LANGUAGE sql AS $$
  SELECT (SELECT count(*) FROM attendance.att_evaluate(ARRAY[1, 2, 3]::bigint[], '[2026-11-01,2026-11-30]') f
            LEFT JOIN attendance._att_days_now d USING (employee_id, day)
           WHERE d.employee_id IS NULL
              OR (f.status, f.check_in, f.check_out, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes,
                  f.leave_minutes, f.reasons, f.shift)
                 IS DISTINCT FROM
                 (d.status, d.check_in, d.check_out, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes,
                  d.leave_minutes, d.reasons, d.shift))
       + (WITH k AS (SELECT array_agg(employee_id) AS e, array_agg(period_start) AS p
                       FROM (SELECT DISTINCT employee_id, period_start FROM attendance.day_record) x),
               fresh AS (SELECT f.* FROM k, attendance._att_period_rows(k.e, k.p) f)
          SELECT count(*) FROM ((SELECT * FROM attendance.period_record EXCEPT SELECT * FROM fresh)
                                UNION ALL (SELECT * FROM fresh EXCEPT SELECT * FROM attendance.period_record)) x)
$$;
SELECT att_refresh(ARRAY[1, 2, 3]::bigint[], '[2026-11-01,2026-11-30]') >= 0 AS refreshed, pg_temp.stale();

-- 1. One statement, three employees, days apart: each employee's days are
--    refreshed (Tokyo 08:55 is 23:55 UTC the day before: the window is the
--    UTC day's, and reaches the Tokyo day).
INSERT INTO punch (employee_id, at) VALUES
  (1, '2026-11-16 08:55+09'), (1, '2026-11-16 18:05+09'),
  (2, '2026-11-02 09:20+09'), (2, '2026-11-20 18:00+09'),
  (3, '2026-11-10 21:50+09'), (3, '2026-11-11 06:10+09');
SELECT employee_id, day, status, late_minutes AS late, work_minutes AS work
  FROM day_record WHERE (employee_id, day) IN ((1, '2026-11-16'), (2, '2026-11-02'), (2, '2026-11-20')) ORDER BY 1, 2;
SELECT pg_temp.stale();

-- 2. The session's TimeZone does not move the window: a punch at 23:30 in
--    Kiritimati (UTC+14) is 09:30 UTC, a Tokyo 18:30 check-out.
SET TimeZone = 'Pacific/Kiritimati';
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-17 23:30'), (1, '2026-11-17 10:55');
SET TimeZone = 'UTC';
SELECT day, status, check_in, check_out FROM day_record WHERE employee_id = 1 AND day = '2026-11-17';
SELECT pg_temp.stale();

-- 3. Excuses, inserted, moved and deleted: the days of the old period and
--    of the new one are refreshed.
INSERT INTO excuse (employee_id, kind, during) VALUES (2, 'leave', '[2026-11-04 09:00+09,2026-11-05 18:00+09)');
SELECT day, status, leave_minutes FROM day_record WHERE employee_id = 2 AND day BETWEEN '2026-11-04' AND '2026-11-05' ORDER BY day;
UPDATE excuse SET during = '[2026-11-25 09:00+09,2026-11-25 18:00+09)' WHERE employee_id = 2;
SELECT day, status, leave_minutes FROM day_record WHERE employee_id = 2 AND day IN ('2026-11-04', '2026-11-05', '2026-11-25') ORDER BY day;
SELECT pg_temp.stale();
DELETE FROM excuse WHERE employee_id = 2;
SELECT day, status, leave_minutes FROM day_record WHERE employee_id = 2 AND day = '2026-11-25';
SELECT pg_temp.stale();

-- 4. Schedules: a night shift scheduled after the punches came in, then
--    taken back.
INSERT INTO schedule (employee_id, day, shift) VALUES (3, '2026-11-10', 'night'), (3, '2026-11-12', 'night');
SELECT day, status, shift, work_minutes FROM day_record WHERE employee_id = 3 AND day IN ('2026-11-10', '2026-11-12') ORDER BY day;
DELETE FROM schedule WHERE employee_id = 3 AND day = '2026-11-12';
SELECT day, status, shift FROM day_record WHERE employee_id = 3 AND day = '2026-11-12';
SELECT pg_temp.stale();

-- 5. A punch moved by a DBA (punches are append-only: the guard is turned
--    off for it): the day it left and the day it reached.
ALTER TABLE punch DISABLE TRIGGER punch_is_append_only;
UPDATE punch SET at = '2026-11-27 18:05+09' WHERE employee_id = 1 AND at = '2026-11-16 18:05+09';
ALTER TABLE punch ENABLE TRIGGER punch_is_append_only;
SELECT day, status, check_out FROM day_record WHERE employee_id = 1 AND day IN ('2026-11-16', '2026-11-27') ORDER BY day;
SELECT pg_temp.stale();

-- 6. A voided punch (written as att_void_punch writes it): its day is
--    judged without it.
INSERT INTO punch_void (employee_id, punch_id, at, reason)
SELECT employee_id, punch_id, at, 'wrong badge' FROM punch WHERE employee_id = 2 AND at = '2026-11-02 09:20+09';
SELECT day, status FROM day_record WHERE employee_id = 2 AND day = '2026-11-02';
SELECT pg_temp.stale();

-- 7. A row that reaches no finite day is refused, and nothing is stored.
SELECT count(*) AS punches_before FROM punch \gset
INSERT INTO punch (employee_id, at) VALUES (1, 'infinity');
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-18 09:00+09'), (2, '-infinity');
INSERT INTO excuse (employee_id, kind, during) VALUES (1, 'leave', tstzrange('2026-11-18 09:00+09', 'infinity'));
SELECT (SELECT count(*) FROM punch) - :punches_before AS punches_added, (SELECT count(*) FROM excuse) AS excuses,
       (SELECT status FROM day_record WHERE employee_id = 1 AND day = '2026-11-18') AS day_18;

-- 8. Not meant for other tables, nor for another span.
CREATE TABLE public.other (employee_id bigint, at timestamptz);
CREATE TRIGGER refresh AFTER INSERT ON public.other REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION attendance.refresh_changed_days();
INSERT INTO public.other VALUES (1, now());
CREATE TRIGGER refresh_other_span AFTER INSERT ON punch REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION attendance.refresh_changed_days('recorded_at::date AS f, recorded_at::date AS l');
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-18 09:00+09');
DROP TRIGGER refresh_other_span ON punch;
-- and no caller outside a trigger
SELECT attendance.refresh_changed_days();
DROP TABLE public.other;
SELECT pg_temp.stale();

-- 9. Trigger functions fire for whoever writes their table, with no
--    EXECUTE check; EXECUTE is asked only of who creates a trigger. A login
--    with USAGE on the schema attaches none of the extension's to a table
--    of its own (refresh_changed_days there would hold the refresh locks of
--    any employees it names, excuse_keep_change would forge excuse
--    history), and its own punch still fires them.
DROP ROLE IF EXISTS regress_rt_login;
CREATE ROLE regress_rt_login LOGIN;
GRANT USAGE ON SCHEMA attendance TO regress_rt_login;
GRANT CREATE ON SCHEMA public TO regress_rt_login;
GRANT INSERT ON punch TO regress_rt_login;
INSERT INTO login_employee VALUES ('regress_rt_login', 2);
CREATE TEMP TABLE rt_outcome (fn text, outcome text);
GRANT ALL ON rt_outcome TO regress_rt_login;
SET ROLE regress_rt_login;
CREATE TABLE public.rt_mine (employee_id bigint, at timestamptz);
DO $$
DECLARE
  f regproc;
BEGIN
  FOR f IN SELECT p.oid::regproc FROM pg_proc p
            WHERE p.pronamespace = 'attendance'::regnamespace AND p.prorettype = 'trigger'::regtype ORDER BY 1::text LOOP
    BEGIN
      EXECUTE format('CREATE TRIGGER rt AFTER INSERT ON public.rt_mine REFERENCING NEW TABLE AS changed_new
                        FOR EACH STATEMENT EXECUTE FUNCTION %s(%L)', f, 'at::date AS f, at::date AS l');
      EXECUTE 'DROP TRIGGER rt ON public.rt_mine';
      INSERT INTO rt_outcome VALUES (f::text, 'created');
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO rt_outcome VALUES (f::text, SQLSTATE);
    END;
  END LOOP;
END $$;
SELECT outcome, count(*) AS trigger_functions, string_agg(fn, ', ' ORDER BY fn) FILTER (WHERE outcome <> '42501') AS attachable
  FROM rt_outcome GROUP BY outcome;
INSERT INTO attendance.punch (employee_id, at) VALUES (2, '2026-11-24 09:00+09');
RESET ROLE;
SELECT day, status, check_in FROM day_record WHERE employee_id = 2 AND day = '2026-11-24';
DROP TABLE public.rt_mine;
DELETE FROM login_employee WHERE role_name = 'regress_rt_login';
REVOKE ALL ON SCHEMA attendance FROM regress_rt_login;
REVOKE ALL ON SCHEMA public FROM regress_rt_login;
REVOKE ALL ON punch FROM regress_rt_login;
DROP OWNED BY regress_rt_login;
DROP ROLE regress_rt_login;
SELECT pg_temp.stale();

-- 10. Approvals (since 0.13.0 the trigger withdraws them in a statement of
--     its own, run only when it finds a standing approval in the window):
--     a punch that changes an approved day withdraws that approval; one in
--     the window on a day the punch did not change, or outside the window,
--     stands; the days are written either way.
INSERT INTO day_approval (employee_id, day, approved_by, figures) VALUES
  (1, '2026-11-19', 2, '{}'), (2, '2026-11-26', 1, '{}'), (2, '2026-11-06', 1, '{}');
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-19 09:10+09');
INSERT INTO punch (employee_id, at) VALUES (2, '2026-11-27 09:10+09');
SELECT employee_id, day, withdrawn_at IS NOT NULL AS withdrawn FROM day_approval ORDER BY employee_id, day;
SELECT employee_id, day, status, check_in FROM day_record WHERE (employee_id, day) IN ((1, '2026-11-19'), (2, '2026-11-27')) ORDER BY 1;
SELECT pg_temp.stale();

-- 11. A day rewritten without a change its period's sums read (since
--     0.13.0 such a row's period is not summed again): an earlier check-in
--     on a day already complete changes its check-in only, and its period
--     is left alone; a check-in that makes a day late sums it again.
--     (_att_period_keep's calls during the insert, counted within its
--     transaction, where no statistics are flushed.)
SET track_functions = 'all';
CREATE FUNCTION pg_temp.period_upkeeps() RETURNS bigint LANGUAGE sql AS $$
  SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE schemaname = 'attendance' AND funcname = '_att_period_keep'
$$;
BEGIN;
SELECT pg_temp.period_upkeeps() AS before \gset
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-25 08:55+09'), (1, '2026-11-25 18:05+09');
SELECT day, status, late_minutes AS late, work_minutes AS work, check_in, pg_temp.period_upkeeps() - :before AS period_upkeeps
  FROM day_record WHERE employee_id = 1 AND day = '2026-11-25';
COMMIT;
BEGIN;
SELECT pg_temp.period_upkeeps() AS before \gset
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-25 08:50+09');
SELECT day, status, late_minutes AS late, work_minutes AS work, check_in, pg_temp.period_upkeeps() - :before AS period_upkeeps
  FROM day_record WHERE employee_id = 1 AND day = '2026-11-25';
COMMIT;
SELECT pg_temp.stale();
BEGIN;
SELECT pg_temp.period_upkeeps() AS before \gset
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-24 09:40+09'), (1, '2026-11-24 18:00+09');
SELECT day, status, late_minutes AS late, pg_temp.period_upkeeps() - :before AS period_upkeeps
  FROM day_record WHERE employee_id = 1 AND day = '2026-11-24';
COMMIT;
RESET track_functions;
SELECT pg_temp.stale();

-- 12. A punch's refresh judges only the days that can see its instant
--     (since 0.14.0): from three days before its UTC day to two after, or,
--     when a rule has leave-late-arrive-late, whose departure lets the next
--     workday start late, to the furthest day that can be that next
--     workday (31 days of holidays and rest later). Employees 4 (office)
--     and 5 (office with leave-late-arrive-late) have nothing stored yet:
--     one punch on Friday 13 November stores those days and no others.
INSERT INTO employee VALUES (4, 'd'), (5, 'e');
INSERT INTO rule (rule_id, name) VALUES (3, 'office, leave late');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (3, '2026-01-01', '{"name": "office, leave late", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 120, "may_arrive_late_minutes": 60}]}},
     "time_zone": "Asia/Tokyo"}');
INSERT INTO membership (employee_id, org_id, period) VALUES (4, 1, '[2026-01-01,)'), (5, 1, '[2026-01-01,)');
INSERT INTO rule_person (employee_id, rule_id) VALUES (4, 1), (5, 3);
-- (the memberships stored their days at once: taken away again)
DELETE FROM day_record WHERE employee_id IN (4, 5);
INSERT INTO punch (employee_id, at) VALUES (4, '2026-11-13 09:00+09');
INSERT INTO punch (employee_id, at) VALUES (5, '2026-11-13 09:00+09');
SELECT employee_id, min(day) AS first_stored, max(day) AS last_stored, count(*) AS days
  FROM day_record WHERE employee_id IN (4, 5) GROUP BY 1 ORDER BY 1;
--     Employee 5 arrives 40 minutes late on Monday 16 November; leaving at
--     20:30 on the Friday before (11:30 UTC, three UTC days earlier) makes
--     that arrival on time (the day moves with it: 09:40 to 18:40), and
--     the Monday is judged again.
INSERT INTO punch (employee_id, at) VALUES (5, '2026-11-16 09:40+09'), (5, '2026-11-16 19:00+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-16';
INSERT INTO punch (employee_id, at) VALUES (5, '2026-11-13 20:30+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-16';
--     After a week of holidays the next workday is ten days later, beyond
--     the eight days a punch's refresh reached before 0.14.0: Monday 23
--     November follows Friday the 13th. Voiding Friday's late departure
--     (written as att_void_punch writes it) makes that Monday's 09:40
--     arrival late, and a later departure punched again excuses it.
INSERT INTO holiday (company_id, day, mark)
SELECT 1, d::date, 'holiday' FROM generate_series(date '2026-11-16', date '2026-11-20', interval '1 day') d;
SELECT att_refresh(5, '[2026-11-01,2026-11-30]') >= 0 AS refreshed;
INSERT INTO punch (employee_id, at) VALUES (5, '2026-11-23 09:40+09'), (5, '2026-11-23 19:00+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-23';
INSERT INTO punch_void (employee_id, punch_id, at, reason)
SELECT employee_id, punch_id, at, 'left at 18:00' FROM punch WHERE employee_id = 5 AND at = '2026-11-13 20:30+09';
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-23';
INSERT INTO punch (employee_id, at) VALUES (5, '2026-11-13 20:45+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-23';
SELECT count(*) AS stale_days
  FROM att_evaluate(ARRAY[4, 5]::bigint[], '[2026-11-01,2026-11-30]') f
  JOIN day_record d USING (employee_id, day)
 WHERE (f.status, f.check_in, f.check_out, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes)
       IS DISTINCT FROM (d.status, d.check_in, d.check_out, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes);

-- 13. The same reach when a period in it is or was closed, where the
--     refresh judges each day for the acting employee (_att_refresh,
--     counted below): it took the eight days after a punch before 0.15.0.
--     December was closed once and reopened, so a refresh that reaches it
--     goes there. Voiding Friday's 20:45 departure makes Monday 23 late
--     again, and a departure at 20:50 excuses it. (Excuses and schedules
--     reach no next workday: only a real punch earns the late start, and a
--     scheduled rule takes no flex settings.)
INSERT INTO closing_event (org_id, period, action, actor) VALUES
  (1, '[2026-12-01,2027-01-01)', 'close', 5), (1, '[2026-12-01,2027-01-01)', 'reopen', 5);
--     (Calls counted as differences within a transaction: the view also
--     holds the session's calls not yet reported.)
SET track_functions = 'pl';
CREATE FUNCTION pg_temp.refreshes() RETURNS bigint LANGUAGE sql AS
  $$ SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = '_att_refresh' $$;
BEGIN;
SELECT pg_temp.refreshes() AS before \gset
INSERT INTO punch_void (employee_id, punch_id, at, reason)
SELECT employee_id, punch_id, at, 'left at 18:00' FROM punch WHERE employee_id = 5 AND at = '2026-11-13 20:45+09';
SELECT pg_temp.refreshes() - :before AS through_att_refresh;
COMMIT;
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-23';
INSERT INTO punch (employee_id, at) VALUES (5, '2026-11-13 20:50+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-23';
--     The closing is asked about over the days judged, no further: a
--     punch on Friday 27 November (00:00 UTC) reaches December for
--     employee 5 only, and only employee 5's refresh is handed on.
BEGIN;
SELECT pg_temp.refreshes() AS before \gset
INSERT INTO punch (employee_id, at) VALUES (4, '2026-11-27 09:00+09');
SELECT pg_temp.refreshes() - :before AS handed_on_for_4;
INSERT INTO punch (employee_id, at) VALUES (5, '2026-11-27 09:00+09');
SELECT pg_temp.refreshes() - :before AS handed_on_for_4_and_5;
COMMIT;
RESET track_functions;
SELECT count(*) AS stale_days
  FROM att_evaluate(ARRAY[4, 5]::bigint[], '[2026-11-01,2026-11-30]') f
  JOIN day_record d USING (employee_id, day)
 WHERE (f.status, f.check_in, f.check_out, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes)
       IS DISTINCT FROM (d.status, d.check_in, d.check_out, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes);

-- 14. A holiday reaches the next workday too (since 0.15.0): once a rule
--     has leave-late-arrive-late, a holiday's queued refresh runs to 33 days
--     after it. Friday 13 November made a bridging holiday before the week
--     of holidays: Monday 23 now follows Thursday 12, when employee 5 did
--     not work late, and is late again (it stayed normal with the nine days
--     a holiday reached before).
--     (The queue is drained first: the week's own request reaches Monday 23.)
SELECT _att_drain_requests(NULL) >= 0 AS drained_before;
INSERT INTO holiday (company_id, day, mark) VALUES (1, '2026-11-13', 'holiday');
SELECT days FROM refresh_request WHERE org_id = 1 ORDER BY request_id DESC LIMIT 1;
SELECT _att_drain_requests(NULL) >= 0 AS drained;
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 5 AND day = '2026-11-23';
SELECT count(*) AS stale_days
  FROM att_evaluate(ARRAY[4, 5]::bigint[], '[2026-11-01,2026-11-30]') f
  JOIN day_record d USING (employee_id, day)
 WHERE (f.status, f.check_in, f.check_out, f.late_minutes, f.early_minutes, f.absent_minutes, f.work_minutes)
       IS DISTINCT FROM (d.status, d.check_in, d.check_out, d.late_minutes, d.early_minutes, d.absent_minutes, d.work_minutes);

-- 15. A period whose days are replaced in place (the same day, period,
--     department and company) is kept by difference: its stored sums and
--     codes, less the days before, plus the days after (a pending day
--     judged once its shift is over, a punch's day). It is
--     summed again from its days when the stored period does not hold a
--     replaced day as it was: here Thursday 26 was made a rest day in it
--     behind the extension's back, and the punches of that day set it right
--     (kept by difference, its sums would stay wrong).
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 1 AND day = '2026-11-26';
UPDATE period_record SET day_codes[26] = 'WO', absent_days = absent_days - 1, rest_days = rest_days + 1 WHERE employee_id = 1 AND period_start = '2026-11-01';
SELECT pg_temp.stale() AS tampered;
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-26 08:55+09'), (1, '2026-11-26 18:05+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 1 AND day = '2026-11-26';
SELECT day_codes[26] AS code, pg_temp.stale() AS summed_again
  FROM period_record WHERE employee_id = 1 AND period_start = '2026-11-01';
--     A day moved to another department is not in place: the period's
--     department is its last day's, and it is summed again.
INSERT INTO org (org_id, parent_id, name) VALUES (2, 1, 'Dept');
UPDATE membership SET period = '[2026-01-01,2026-11-30)' WHERE employee_id = 1;
INSERT INTO membership (employee_id, org_id, period) VALUES (1, 2, '[2026-11-30,)');
SELECT org_id, day_codes[30] AS code, pg_temp.stale() AS stale
  FROM period_record WHERE employee_id = 1 AND period_start = '2026-11-01';
--     One statement that inserts a day of a period and changes another in
--     place (same code, other minutes): the period comes out as summed
--     from its days (the insert's period is summed again after the
--     update's difference).
DELETE FROM day_record WHERE employee_id = 1 AND day = '2026-11-25';
INSERT INTO punch (employee_id, at) VALUES (1, '2026-11-24 09:20+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 1 AND day IN ('2026-11-24', '2026-11-25') ORDER BY day;
SELECT late_minutes, pg_temp.stale() AS stale FROM period_record WHERE employee_id = 1 AND period_start = '2026-11-01';
--     One query whose triggers sum a period again with a rewritten day and
--     then meet the same day's difference: a writable CTE's UPDATE fires
--     after the main DELETE, and a MERGE fires its DELETE before its
--     UPDATE. A period row this transaction wrote is summed from its days,
--     not kept by difference (the day's five minutes counted once). Then a
--     refresh puts the month back.
WITH changed AS (UPDATE day_record SET late_minutes = late_minutes + 5
                  WHERE employee_id = 1 AND day = '2026-11-24' RETURNING day)
DELETE FROM day_record WHERE employee_id = 1 AND day = '2026-11-02';
SELECT p.late_minutes - d.late AS late_off, p.stored_days - d.days AS days_off
  FROM period_record p,
       (SELECT sum(late_minutes) AS late, count(*) AS days FROM day_record
         WHERE employee_id = 1 AND period_start = '2026-11-01') d
 WHERE p.employee_id = 1 AND p.period_start = '2026-11-01';
MERGE INTO day_record d USING (VALUES ('2026-11-03'::date, true), ('2026-11-24'::date, false)) AS s(day, gone)
   ON d.employee_id = 1 AND d.day = s.day
 WHEN MATCHED AND s.gone THEN DELETE
 WHEN MATCHED THEN UPDATE SET late_minutes = d.late_minutes + 5;
SELECT p.late_minutes - d.late AS late_off, p.stored_days - d.days AS days_off
  FROM period_record p,
       (SELECT sum(late_minutes) AS late, count(*) AS days FROM day_record
         WHERE employee_id = 1 AND period_start = '2026-11-01') d
 WHERE p.employee_id = 1 AND p.period_start = '2026-11-01';
SELECT att_refresh(ARRAY[1]::bigint[], '[2026-11-01,2026-11-30]') >= 0 AS refreshed, pg_temp.stale();
--     A day added after its period's last stored day is kept by difference
--     too (since 0.17.0: a day stored in its first hour, for every
--     employee at once): the counts and codes run on to it, and the
--     period's department is the new last day's (Monday 30, in Dept since
--     the move above).
DELETE FROM day_record WHERE employee_id = 1 AND day >= '2026-11-28';
SELECT org_id, cardinality(day_codes) AS coded_to, pg_temp.stale() AS stale
  FROM period_record WHERE employee_id = 1 AND period_start = '2026-11-01';
SELECT att_refresh(ARRAY[1]::bigint[], '[2026-11-28,2026-11-30]') AS stored;
SELECT org_id, cardinality(day_codes) AS coded_to, day_codes[28:30] AS codes, pg_temp.stale() AS stale
  FROM period_record WHERE employee_id = 1 AND period_start = '2026-11-01';

-- Attacks on the write paths (SECURITY DEFINER functions, workflows, rule
-- ownership, triggers) as ordinary logins: an admin of one org, another
-- org's admin, hr, an ex-admin and a future admin, a plain employee, a login
-- mapped to no employee, and the trusted application role. One section per
-- cause of issue 12; each shows the outcome of the attack (the SQLSTATE) and
-- then, as the superuser, that what must not happen did not happen.
--   1. "Today" is the company's date: the login's TimeZone moves no scope.
--   2. Functions check the caller first; refusals are one uniform 42501, no oracle.
--   3. Delegations (approver, proxy) stay within the setter's full scope, judged per day used.
--   4. A write is judged on every day it changes (a night shift's make-up punch).
--   5. Only hr reopens a period hr closed; a change to a day of a once-closed period is a correction.
--   6. Rule ownership is judged on the old and the new row, and on the people and orgs assigned.
--   7. Refresh and closing check the caller before locking; NULL arguments are refused.
--   8. A closed day is closed whether or not it was ever evaluated.
--   9. Extreme and NULL arguments get a SQLSTATE, never a panic (XX000) or a backtrace.
--   Also: an admin neither approves nor corrects their own days.
-- "Now" is the superuser-only setting attendance.clock: 2026-12-01 03:00 UTC,
-- set for every login below and in every superuser session.
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;

DROP ROLE IF EXISTS regress_atkw_admin, regress_atkw_eng, regress_atkw_hr, regress_atkw_exadmin,
  regress_atkw_newadmin, regress_atkw_staff, regress_atkw_nobody, regress_atkw_app;
CREATE ROLE regress_atkw_admin LOGIN;     -- 9001, admin of Sales
CREATE ROLE regress_atkw_eng LOGIN;       -- 9002, admin of Engineering
CREATE ROLE regress_atkw_hr LOGIN;        -- 9003, hr of the company
CREATE ROLE regress_atkw_exadmin LOGIN;   -- 9004, admin of the Shop until 2026-11-30
CREATE ROLE regress_atkw_newadmin LOGIN;  -- 9005, admin of the Shop from 2026-12-02
CREATE ROLE regress_atkw_staff LOGIN;     -- 2001, a plain employee of Sales
CREATE ROLE regress_atkw_nobody LOGIN;    -- mapped to no employee
CREATE ROLE regress_atkw_app LOGIN IN ROLE attendance_app;
-- README "Who sees what", and the rule tables for decentralised ownership as in the workflow test.
GRANT USAGE ON SCHEMA attendance TO regress_atkw_admin, regress_atkw_eng, regress_atkw_hr, regress_atkw_exadmin,
  regress_atkw_newadmin, regress_atkw_staff, regress_atkw_nobody, regress_atkw_app;
GRANT SELECT ON att_daily, att_anomalies, att_work_time, att_period_summary, day_record, employee
  TO regress_atkw_admin, regress_atkw_eng, regress_atkw_hr, regress_atkw_exadmin,
     regress_atkw_newadmin, regress_atkw_staff, regress_atkw_nobody, regress_atkw_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON rule, rule_version, rule_person, rule_org TO regress_atkw_admin, regress_atkw_eng;
GRANT INSERT ON punch TO regress_atkw_app;
ALTER ROLE regress_atkw_admin SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkw_eng SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkw_hr SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkw_exadmin SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkw_newadmin SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkw_staff SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkw_nobody SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkw_app SET attendance.clock = '2026-12-01 03:00+00';

-- The company closes at month end. Sales, Engineering and a Shop.
INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Sales'), (20, 1, 'Engineering'), (40, 1, 'Shop');
INSERT INTO employee VALUES
  (9001, 'Sato, admin of Sales'), (9002, 'Endo, admin of Engineering'), (9003, 'Kimura, hr'),
  (9004, 'Ono, admin of the Shop until 11-30'), (9005, 'Nishi, admin of the Shop from 12-02'),
  (2001, 'Aiko, Sales'), (2002, 'Chie, Sales'), (2003, 'Ben, Sales, moves to Engineering on 11-16'),
  (2004, 'Cal, Sales until 11-15, then Engineering'), (2005, 'Dee, Engineering until 11-25, then Sales; nights'),
  (2006, 'Eve, Sales, no punch in September'), (2007, 'Fay, Sales from 06-01'),
  (3001, 'Gen, Engineering'), (3002, 'Hana, Engineering'), (4001, 'Ivo, Shop'), (4002, 'Jun, Shop');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (9001, 10, '[2026-01-01,)'), (9002, 20, '[2026-01-01,)'), (9003, 1, '[2026-01-01,)'),
  (9004, 1, '[2026-01-01,)'), (9005, 1, '[2026-01-01,)'),
  (2001, 10, '[2026-01-01,)'), (2002, 10, '[2026-01-01,)'), (2003, 10, '[2026-01-01,)'),
  (2004, 10, '[2026-01-01,2026-11-16)'), (2004, 20, '[2026-11-16,)'),
  (2005, 20, '[2026-01-01,2026-11-26)'), (2005, 10, '[2026-11-26,)'),
  (2006, 10, '[2026-01-01,)'), (2007, 10, '[2026-06-01,)'),
  (3001, 20, '[2026-01-01,)'), (3002, 20, '[2026-01-01,)'), (4001, 40, '[2026-01-01,)'), (4002, 40, '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (9001, 10, 'admin', '[2026-01-01,)'), (9002, 20, 'admin', '[2026-01-01,)'), (9003, 1, 'hr', '[2026-01-01,)'),
  (9004, 40, 'admin', '[2026-01-01,2026-12-01)'), (9005, 40, 'admin', '[2026-12-02,)');
INSERT INTO login_employee VALUES ('regress_atkw_admin', 9001), ('regress_atkw_eng', 9002), ('regress_atkw_hr', 9003),
  ('regress_atkw_exadmin', 9004), ('regress_atkw_newadmin', 9005), ('regress_atkw_staff', 2001);

-- Sales and Engineering own their rules; the company rule and Dee's night rule have no owner.
INSERT INTO rule (rule_id, name, owner_org) VALUES (1, 'Sales office', 10), (2, 'Engineering office', 20),
  (3, 'Company standard', NULL), (4, 'Nights', NULL);
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "Sales office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "day"}, "time_zone": "UTC"}'),
  (2, '2026-02-01', '{"name": "Engineering office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "day"}, "time_zone": "UTC"}'),
  (3, '2026-01-01', '{"name": "Company standard", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "day"}, "time_zone": "UTC"}'),
  (4, '2026-01-01', '{"name": "Nights", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "night"}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 3), (10, 1), (20, 2);
INSERT INTO rule_person (employee_id, rule_id) VALUES (2005, 4);

INSERT INTO punch (employee_id, at) VALUES
  (2002, '2026-10-15 09:00+00'),                                 -- forgot to check out (5)
  (2002, '2026-11-20 09:00+00'), (2002, '2026-11-20 18:00+00'),  -- punch ids a colleague probes (2)
  (2003, '2026-11-20 09:00+00'), (2003, '2026-11-20 18:00+00'),  -- Ben after his move (3)
  (2005, '2026-11-25 22:00+00'),                                 -- Dee's night, no check-out (4)
  (9001, '2026-11-20 09:00+00'),                                 -- the admin's own day
  (3001, '2026-11-20 09:00+00'), (3001, '2026-11-20 18:00+00'),
  (3002, '2026-11-20 09:00+00'), (3002, '2026-11-20 18:00+00'),
  (4001, '2026-11-19 09:00+00'), (4001, '2026-11-20 09:00+00'), (4001, '2026-11-20 18:00+00'),
  (4002, '2026-11-19 09:00+00'), (4002, '2026-11-20 09:00+00'), (4002, '2026-11-20 18:00+00');
-- October and November evaluated for everyone but Eve, whose days are never evaluated.
SELECT att_refresh(ARRAY(SELECT employee_id FROM employee WHERE employee_id <> 2006), '[2026-10-01,2026-12-01)') > 0 AS evaluated;
-- Hana has submitted her November timesheet; Gen has not.
INSERT INTO timesheet (employee_id, period, state) VALUES (3002, '[2026-11-01,2026-12-01)', 'submitted');
-- Ids the attackers name.
CREATE TABLE public.atkw_ids AS
SELECT (SELECT punch_id FROM punch WHERE employee_id = 2002 AND at = '2026-11-20 09:00+00') AS colleague_punch,
       999999999::bigint AS missing_punch;
GRANT SELECT ON public.atkw_ids TO PUBLIC;

-- Runs a statement: 'ok: ' and its first value (or the rows it changed), or
-- the SQLSTATE and message, dates masked.
CREATE FUNCTION public.atkw_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v text;
  n bigint;
BEGIN
  IF stmt ~* '^\s*(select|with|values)' THEN
    EXECUTE stmt INTO v;
    RETURN 'ok: ' || coalesce(v, 'NULL');
  END IF;
  EXECUTE stmt;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN 'ok: ' || n || ' row(s)';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}', 'DAY', 'g');
END $$;
-- The same comparison with every number masked: do two answers tell anything apart?
CREATE FUNCTION public.atkw_same(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
RETURN regexp_replace(a, '\d+', 'N', 'g') = regexp_replace(b, '\d+', 'N', 'g');
-- For bad arguments: 'ok' or the SQLSTATE; the message too when it is an internal error.
CREATE FUNCTION public.atkw_state(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || CASE WHEN SQLSTATE = 'XX000' OR SQLERRM ~* 'panic|overflow|unwrap|backtrace|\.rs:'
                          THEN ': ' || SQLERRM ELSE '' END;
END $$;

-- 1. "Today" does not move with the login's TimeZone. Ono's grant ended on
--    11-30, Nishi's starts on 12-02; a zone far west or east of the server's
--    gives neither of them the Shop.
\c - regress_atkw_exadmin
SET TimeZone = 'Etc/GMT+12';
SELECT count(DISTINCT employee_id) FILTER (WHERE employee_id <> 9004) AS others_in_day_record FROM attendance.day_record;
SELECT count(DISTINCT employee_id) FILTER (WHERE employee_id <> 9004) AS others_in_att_daily FROM attendance.att_daily;
SELECT public.atkw_try($$SELECT attendance.att_approve_day(4001, '2026-11-20') IS NOT NULL$$) AS ex_admin_approves_day;
SELECT public.atkw_try($$SELECT attendance.att_make_up_punch(4001, '2026-11-19 18:00+00', 'forgot') IS NOT NULL$$) AS ex_admin_makes_up_punch;
SELECT public.atkw_try($$SELECT attendance.att_close_period(40, '2026-10-15')$$) AS ex_admin_closes_october;
\c - regress_atkw_newadmin
SET TimeZone = 'Etc/GMT-14';
SELECT count(DISTINCT employee_id) FILTER (WHERE employee_id <> 9005) AS others_in_day_record FROM attendance.day_record;
SELECT count(DISTINCT employee_id) FILTER (WHERE employee_id <> 9005) AS others_in_att_daily FROM attendance.att_daily;
SELECT public.atkw_try($$SELECT attendance.att_approve_day(4002, '2026-11-20') IS NOT NULL$$) AS future_admin_approves_day;
SELECT public.atkw_try($$SELECT attendance.att_make_up_punch(4002, '2026-11-19 18:00+00', 'forgot') IS NOT NULL$$) AS future_admin_makes_up_punch;
SELECT public.atkw_try($$SELECT attendance.att_close_period(40, '2026-09-15')$$) AS future_admin_closes_september;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET datestyle = ISO;
SET search_path = attendance, public;
SELECT (SELECT count(*) FROM day_approval WHERE employee_id IN (4001, 4002)) AS shop_approvals,
       (SELECT count(*) FROM punch WHERE employee_id IN (4001, 4002) AND source = 'make_up') AS shop_make_up_punches,
       (SELECT count(*) FROM closing WHERE org_id = 40) AS shop_closings;

-- 2. The caller is checked first, and a refusal tells nothing about the target.
\c - regress_atkw_nobody
SELECT public.atkw_try($$SELECT count(*) FROM attendance.att_close_org(10, '2026-11-20', 'report')$$) AS unmapped_close_org_report;
\c - regress_atkw_staff
SELECT public.atkw_try($$SELECT count(*) FROM attendance.att_close_org(10, '2026-11-20', 'report')$$) AS staff_close_org_report;
-- Submitting for someone else: the answer must not bisect Fay's start date (06-01).
SELECT before_employment, while_employed, public.atkw_same(before_employment, while_employed) AS same_answer
  FROM (SELECT public.atkw_try($$SELECT attendance.att_submit_timesheet(2007, '2026-05-15')$$) AS before_employment,
               public.atkw_try($$SELECT attendance.att_submit_timesheet(2007, '2026-11-10')$$) AS while_employed) s;
-- Voiding a colleague's punch: an existing punch id and a missing one get the same answer.
SELECT existing_punch, missing_punch, public.atkw_same(existing_punch, missing_punch) AS same_answer
  FROM (SELECT public.atkw_try(format('SELECT attendance.att_void_punch(2002, %s, %L)', colleague_punch, 'probe')) AS existing_punch,
               public.atkw_try(format('SELECT attendance.att_void_punch(2002, %s, %L)', missing_punch, 'probe')) AS missing_punch
          FROM public.atkw_ids) s;
\c - regress_atkw_admin
-- Engineering's Gen has not submitted, Hana has: the same refusal for both.
SELECT not_submitted, submitted, public.atkw_same(not_submitted, submitted) AS same_answer
  FROM (SELECT public.atkw_try($$SELECT attendance.att_approve_timesheet(3001, '2026-11-20')$$) AS not_submitted,
               public.atkw_try($$SELECT attendance.att_approve_timesheet(3002, '2026-11-20')$$) AS submitted) s;
SELECT not_submitted, submitted, public.atkw_same(not_submitted, submitted) AS same_answer
  FROM (SELECT public.atkw_try($$SELECT attendance.att_send_back_timesheet(3001, '2026-11-20', 'x')$$) AS not_submitted,
               public.atkw_try($$SELECT attendance.att_send_back_timesheet(3002, '2026-11-20', 'x')$$) AS submitted) s;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET datestyle = ISO;
SET search_path = attendance, public;
SELECT employee_id, period, state FROM timesheet ORDER BY 1;
SELECT count(*) AS voids FROM punch_void;
SELECT count(*) AS closings FROM closing;

-- 3. Delegations stay within the setter's full scope. Cal's move to
--    Engineering on 11-16 is recorded: an open-ended delegation from 11-01
--    reaches beyond Sato's scope.
\c - regress_atkw_admin
SELECT public.atkw_try($$SELECT attendance.att_set_approver(2004, 9001, '[2026-11-01,)')$$) AS approver_beyond_scope;
SELECT public.atkw_try($$SELECT attendance.att_set_proxy(2004, 9001, '[2026-11-01,)')$$) AS proxy_beyond_scope;
-- Ben is in Sales until further notice: Sato names himself approver and proxy, within his scope.
SELECT public.atkw_try($$SELECT attendance.att_set_approver(2003, 9001, '[2026-11-01,)')$$) AS approver_within_scope;
SELECT public.atkw_try($$SELECT attendance.att_set_proxy(2003, 9001, '[2026-11-01,)')$$) AS proxy_within_scope;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET datestyle = ISO;
SET search_path = attendance, public;
-- Then Ben's move to Engineering on 11-16 is recorded.
UPDATE membership SET period = '[2026-01-01,2026-11-16)' WHERE employee_id = 2003 AND org_id = 10;
INSERT INTO membership (employee_id, org_id, period) VALUES (2003, 20, '[2026-11-16,)');
-- Each use is judged on the day it acts on: 11-20 is after the move.
\c - regress_atkw_admin
SELECT public.atkw_try($$SELECT attendance.att_submit_timesheet(2003, '2026-11-20')$$) AS proxy_submits_after_move;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
-- (Ben submits it himself, so that a send-back has something to act on.)
INSERT INTO timesheet (employee_id, period, state) VALUES (2003, '[2026-11-01,2026-12-01)', 'submitted') ON CONFLICT DO NOTHING;
\c - regress_atkw_admin
SELECT public.atkw_try($$SELECT attendance.att_send_back_timesheet(2003, '2026-11-20', 'x')$$) AS approver_sends_back_after_move;
SELECT public.atkw_try($$SELECT attendance.att_approve_day(2003, '2026-11-20') IS NOT NULL$$) AS approver_approves_after_move;
-- Engineering's admin names Ben's approver from the move on: the old entry gives way.
\c - regress_atkw_eng
SELECT public.atkw_try($$SELECT attendance.att_set_approver(2003, 9002, '[2026-11-16,)')$$) AS new_admin_sets_approver;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET datestyle = ISO;
SET search_path = attendance, public;
SELECT employee_id, approver_id, period, set_by FROM approver ORDER BY employee_id, lower(period);
SELECT employee_id, proxy_id, period, set_by FROM proxy ORDER BY employee_id, lower(period);
SELECT employee_id, action, actor FROM timesheet_event WHERE employee_id IN (2003, 2004) ORDER BY event_id;
SELECT count(*) AS approvals_of_ben FROM day_approval WHERE employee_id = 2003;

-- 4. A write is judged on every day it changes. Dee joined Sales on 11-26:
--    Sato has view on her 11-25 and full on her 11-26. A make-up punch at
--    11-26 06:00 is the check-out of her 11-25 night shift.
SELECT status FROM day_record WHERE employee_id = 2005 AND day = '2026-11-25';
\c - regress_atkw_admin
SELECT public.atkw_try($$SELECT attendance.att_make_up_punch(2005, '2026-11-26 06:00+00', 'end of night') IS NOT NULL$$) AS changes_a_view_day;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT status, work_minutes FROM day_record WHERE employee_id = 2005 AND day = '2026-11-25';
SELECT count(*) AS dee_make_up_punches FROM punch WHERE employee_id = 2005 AND source = 'make_up';

-- 5. Reopening: hr closes Sales' October; the admin may neither correct it
--    nor reopen it. Once hr reopens it, the admin's correction is recorded.
--    (hr also closes Sales' September for 8, before Eve has any punch.)
\c - regress_atkw_hr
SELECT public.atkw_try($$SELECT attendance.att_close_period(10, '2026-10-15')$$) AS hr_closes_october;
SELECT public.atkw_try($$SELECT attendance.att_close_period(10, '2026-09-15')$$) AS hr_closes_september;
\c - regress_atkw_admin
SELECT public.atkw_try($$SELECT attendance.att_make_up_punch(2002, '2026-10-15 18:00+00', 'forgot') IS NOT NULL$$) AS admin_corrects_closed_day;
SELECT public.atkw_try($$SELECT attendance.att_reopen_period(10, '2026-10-15')$$) AS admin_reopens_hr_closing;
\c - regress_atkw_hr
SELECT public.atkw_try($$SELECT attendance.att_reopen_period(10, '2026-10-15')$$) AS hr_reopens;
\c - regress_atkw_admin
SELECT public.atkw_try($$SELECT attendance.att_make_up_punch(2002, '2026-10-15 18:00+00', 'forgot') IS NOT NULL$$) AS admin_corrects_reopened_day;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET datestyle = ISO;
SET search_path = attendance, public;
SELECT org_id, period, action, actor FROM closing_event ORDER BY event_id;
SELECT employee_id, day, actor, reason, before ->> 'status' AS status_before, after ->> 'status' AS status_after
  FROM correction WHERE employee_id = 2002 ORDER BY correction_id;

-- 6. Rule ownership: Sato owns Sales' rule 1, and nothing of Engineering.
\c - regress_atkw_admin
SELECT public.atkw_try($$UPDATE attendance.rule_org SET rule_id = 1 WHERE org_id = 20$$) AS takes_engineering_org;
SELECT public.atkw_try($$UPDATE attendance.rule_version SET rule_id = 1 WHERE rule_id = 2$$) AS takes_engineering_version;
SELECT public.atkw_try($$SELECT count(*) FROM attendance.att_rule_add_people(1, ARRAY[3001]::bigint[])$$) AS adds_engineer_to_own_rule;
SELECT public.atkw_try($$INSERT INTO attendance.rule_person (employee_id, rule_id) VALUES (3002, 1)$$) AS inserts_engineer_into_own_rule;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET datestyle = ISO;
SET search_path = attendance, public;
SELECT org_id, rule_id FROM rule_org ORDER BY 1;
SELECT rule_id, valid_from FROM rule_version ORDER BY 1, 2;
SELECT employee_id, rule_id, validity FROM rule_person ORDER BY 1;

-- 7. Refresh and closing check the caller before they lock or write.
\c - regress_atkw_nobody
BEGIN;
SELECT public.atkw_try($$SELECT attendance.att_refresh(ARRAY[2001, 2002]::bigint[], '[2027-01-01,2027-01-08)')$$) AS unmapped_refreshes;
SELECT public.atkw_try($$SELECT attendance.att_close_period(10, '2026-11-20', NULL, NULL)$$) AS unmapped_closes_null_as_of;
SELECT count(*) > 0 AS holds_refresh_locks FROM pg_locks
 WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 24948;
COMMIT;
\c - regress_atkw_staff
BEGIN;
SELECT public.atkw_try($$SELECT attendance.att_refresh(ARRAY[2002, 2007]::bigint[], '[2027-01-08,2027-01-15)')$$) AS staff_refreshes_colleagues;
SELECT public.atkw_try($$SELECT attendance.att_close_period(10, '2026-11-20', NULL, NULL)$$) AS staff_closes_null_as_of;
SELECT count(*) > 0 AS holds_refresh_locks FROM pg_locks
 WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND objsubid = 24948;
COMMIT;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT count(*) AS rows_written_in_january FROM day_record WHERE day >= '2027-01-01';
SELECT count(*) AS closings_of_november FROM closing WHERE period @> '2026-11-20'::date;

-- 8. Eve's September is closed and was never evaluated: the application,
--    acting as Eve, inserts a day's punches into it.
\c - regress_atkw_app
BEGIN;
SET LOCAL attendance.acting_employee = '2006';
SELECT public.atkw_try($$INSERT INTO attendance.punch (employee_id, at) VALUES (2006, '2026-09-15 09:00+00'), (2006, '2026-09-15 18:00+00')$$) AS app_punches_into_closed_day;
COMMIT;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT count(*) FILTER (WHERE status = 'normal') AS normal_days,
       (SELECT count(*) FROM punch WHERE employee_id = 2006) AS eve_punches,
       (SELECT count(*) FROM correction WHERE employee_id = 2006) AS eve_corrections
  FROM day_record WHERE employee_id = 2006 AND day = '2026-09-15';

-- Also: an admin neither approves nor corrects their own days.
\c - regress_atkw_admin
SELECT public.atkw_try($$SELECT attendance.att_approve_day(9001, '2026-11-20') IS NOT NULL$$) AS approves_own_day;
SELECT public.atkw_try($$SELECT attendance.att_make_up_punch(9001, '2026-11-20 18:00+00', 'me') IS NOT NULL$$) AS corrects_own_day;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT (SELECT count(*) FROM day_approval WHERE employee_id = 9001) AS own_approvals,
       (SELECT count(*) FROM punch WHERE employee_id = 9001 AND source = 'make_up') AS own_make_up_punches;

-- 9. Extreme and NULL arguments: a SQLSTATE each, never an internal error.
--    Each probe runs in its own subtransaction and keeps whatever it did.
CREATE TABLE public.atkw_probe (n serial, who text, call text, outcome text);
GRANT SELECT, UPDATE ON public.atkw_probe TO PUBLIC;
CREATE FUNCTION public.atkw_run(caller text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT n, call FROM public.atkw_probe WHERE who = caller ORDER BY n LOOP
    UPDATE public.atkw_probe SET outcome = public.atkw_state(r.call) WHERE n = r.n;
  END LOOP;
END $$;
INSERT INTO public.atkw_probe (who, call) VALUES
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[2026-11-01,infinity)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[-infinity,2026-12-01)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '(,)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, 'empty')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[2026-11-01,294276-12-31)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9003, '[4713-01-01 BC,2026-12-01)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9003, '[294276-01-01,294276-12-31)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[2026-11-01,2026-12-01)', 'infinity')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[2026-11-01,2026-12-01)', '294276-12-31')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[2026-11-01,2026-12-01)', '4713-01-01 BC')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9223372036854775807, '[2026-11-01,2026-12-01)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(-9223372036854775808, '[2026-11-01,2026-12-01)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(NULL, '[2026-11-01,2026-12-01)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, NULL)$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[2026-11-01,2026-12-01)', NULL)$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, 'infinity')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '-infinity')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '4713-01-01 BC')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '2026-11-20', 'infinity')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '2026-11-20', '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '2026-11-20', '4713-01-01 BC')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '294276-12-31', '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_can_access(9003, 2001, '4713-01-01 BC', '4713-01-01 BC')$$),
  ('superuser', $$SELECT attendance.att_can_access(9223372036854775807, -9223372036854775808, '2026-11-20')$$),
  ('superuser', $$SELECT attendance.att_can_access(NULL, 2001, '2026-11-20')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, NULL)$$),
  ('superuser', $$SELECT attendance.att_has_permission(9001, 2001, 'infinity', 'correct')$$),
  ('superuser', $$SELECT attendance.att_has_permission(9001, 2001, '294276-12-31', 'correct')$$),
  ('superuser', $$SELECT attendance.att_has_permission(9001, 2001, '4713-01-01 BC', 'correct')$$),
  ('superuser', $$SELECT attendance.att_has_permission(9001, 2001, '2026-11-20', 'correct', '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_has_permission(9003, 2001, '294276-12-31', 'correct', '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_has_permission(9003, 2001, '4713-01-01 BC', 'correct_after_closing', '4713-01-01 BC')$$),
  ('superuser', $$SELECT attendance.att_has_permission(9001, 2001, '2026-11-20', NULL)$$),
  ('superuser', $$SELECT attendance.att_has_permission(9223372036854775807, 2001, '2026-11-20', 'correct')$$),
  ('superuser', $$SELECT attendance.att_closing_period(10, 'infinity')$$),
  ('superuser', $$SELECT attendance.att_closing_period(10, '-infinity')$$),
  ('superuser', $$SELECT attendance.att_closing_period(10, '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_closing_period(10, '4713-01-01 BC')$$),
  ('superuser', $$SELECT attendance.att_closing_period(9223372036854775807, '2026-11-20')$$),
  ('superuser', $$SELECT attendance.att_closing_period(NULL, '2026-11-20')$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('294276-12-31', NULL)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('294276-12-31', 25)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('294276-12-26', 25)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('4713-01-01 BC', NULL)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('4713-01-01 BC', 25)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('infinity', 25)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('2026-11-20', 0)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('2026-11-20', 29)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('2026-11-20', 2147483647)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('2026-11-20', -2147483648)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for(NULL, 25)$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(2001, 'infinity')).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(2001, '-infinity')).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(2001, '294276-12-31')).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(2001, '4713-01-01 BC')).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(9223372036854775807, '2026-11-20')).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(-1, '2026-11-20')).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(NULL, '2026-11-20')).status$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(2001, '[294276-12-01,294276-12-31]')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(2001, '[4713-01-01 BC,4713-01-31 BC]')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(2001, '[2026-11-01,infinity)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(2001, '(,)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(2001, 'empty')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(2001, '[2026-11-01,2027-11-01)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(ARRAY[2001, 9223372036854775807, -9223372036854775808, NULL]::bigint[], '[2026-11-01,2026-11-03)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(ARRAY[2001]::bigint[], '[294276-12-01,294276-12-31]')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(ARRAY[2001]::bigint[], '[4713-01-01 BC,4713-01-31 BC]')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(ARRAY[2001]::bigint[], '[-infinity,2026-11-01)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(ARRAY[2001]::bigint[], NULL)$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(NULL::bigint[], '[2026-11-01,2026-11-03)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate_all('[294276-12-30,294276-12-31]')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate_all('[4713-01-01 BC,4713-01-02 BC]')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate_all('[2026-11-01,infinity)')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], '[294276-12-01,294276-12-31]')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], '[4713-01-01 BC,4713-01-31 BC]')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], '[2026-11-01,infinity)')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], NULL)$$),
  ('superuser', $$SELECT attendance.att_refresh(NULL::bigint[], '[2026-11-01,2026-11-03)')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[NULL]::bigint[], '[2026-11-01,2026-11-03)')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[9223372036854775807]::bigint[], '[2026-11-01,2026-11-03)')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[-1]::bigint[], '[2026-11-01,2026-11-03)')$$),
  ('superuser', $$SELECT attendance.att_refresh(2001::bigint, '[294276-12-01,294276-12-31]')$$),
  ('superuser', $$SELECT attendance.att_refresh_org(10, '[294276-12-01,294276-12-31]')$$),
  ('superuser', $$SELECT attendance.att_refresh_org(10, '[4713-01-01 BC,4713-01-31 BC]')$$),
  ('superuser', $$SELECT attendance.att_local_day(2001, 'infinity')$$),
  ('superuser', $$SELECT attendance.att_local_day(2001, '-infinity')$$),
  ('superuser', $$SELECT attendance.att_local_day(2001, '294276-12-31 00:00+00')$$),
  ('superuser', $$SELECT attendance.att_local_day(2001, '4713-01-01 00:00+00 BC')$$),
  ('superuser', $$SELECT attendance.att_rule_for(2001, 'infinity')$$),
  ('superuser', $$SELECT attendance.att_rule_for(2001, '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_rule_for(2001, '4713-01-01 BC')$$),
  ('superuser', $$SELECT (attendance.att_evaluate_rule((SELECT config FROM attendance.rule_version WHERE rule_id = 3), '294276-12-31', ARRAY['294276-12-31 09:00+00']::timestamptz[])).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_rule((SELECT config FROM attendance.rule_version WHERE rule_id = 3), '4713-01-01 BC', ARRAY['4713-01-01 09:00+00 BC']::timestamptz[])).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_rule((SELECT config FROM attendance.rule_version WHERE rule_id = 3), 'infinity', ARRAY['infinity']::timestamptz[])).status$$),
  ('superuser', $$SELECT (attendance.att_evaluate_rule((SELECT config FROM attendance.rule_version WHERE rule_id = 3), '2026-11-20', ARRAY['infinity', '-infinity']::timestamptz[])).status$$),
  ('superuser', $$SELECT attendance.att_can_view(2001, 'infinity')$$),
  ('superuser', $$SELECT attendance.att_can_view(2001, '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_close_period(10, '294276-12-31', 9003)$$),
  ('superuser', $$SELECT attendance.att_close_period(10, '4713-01-01 BC', 9003)$$),
  ('superuser', $$SELECT attendance.att_close_period(10, 'infinity', 9003)$$),
  ('superuser', $$SELECT attendance.att_close_period(10, '2026-11-20', 9003, 'infinity')$$),
  ('superuser', $$SELECT attendance.att_close_period(10, '2026-11-20', 9003, '294276-12-31')$$),
  ('superuser', $$SELECT attendance.att_close_period(10, '2026-11-20', 9003, NULL)$$),
  ('superuser', $$SELECT attendance.att_close_period(9223372036854775807, '2026-11-20', 9003)$$),
  ('superuser', $$SELECT attendance.att_close_period(10, '2026-11-20', 9223372036854775807)$$),
  ('superuser', $$SELECT attendance.att_reopen_period(10, '294276-12-31', 9003)$$),
  ('superuser', $$SELECT attendance.att_reopen_period(10, '4713-01-01 BC', 9003)$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_close_org(10, '294276-12-31')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_close_org(10, '4713-01-01 BC')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_close_org(10, NULL)$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_close_org(NULL, '2026-11-20')$$),
  ('superuser', $$SELECT attendance.att_manages_org(9001, 10, 'infinity')$$),
  ('superuser', $$SELECT attendance.att_manages_org(9001, 10, '294276-12-31')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_rule_add_people(1, ARRAY[2001]::bigint[], '[294276-12-01,294276-12-31]')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_rule_add_people(1, NULL)$$),
  -- chrono's last dates, inside PostgreSQL's range
  ('superuser', $$SELECT attendance.att_closing_period_for('262142-12-31', NULL)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('262142-12-31', 25)$$),
  ('superuser', $$SELECT attendance.att_closing_period_for('262143-01-01', NULL)$$),
  ('superuser', $$SELECT attendance.att_closing_period(10, '262142-12-31')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '262142-12-31')$$),
  ('superuser', $$SELECT attendance.att_can_access(9001, 2001, '2026-11-20', '262142-12-31')$$),
  ('superuser', $$SELECT attendance.att_has_permission(9003, 2001, '262142-12-31', 'correct')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[262142-12-01,262142-12-31)')$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_scope(9001, '[2026-11-01,2026-12-01)', '262142-12-31')$$),
  ('superuser', $$SELECT (attendance.att_evaluate_day(2001, '262142-12-31')).status$$),
  ('superuser', $$SELECT count(*) FROM attendance.att_evaluate(2001, '[262142-12-01,262142-12-31]')$$),
  ('superuser', $$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], '[262142-12-25,262142-12-31]')$$),
  ('superuser', $$SELECT attendance.att_local_day(2001, '262142-12-31 12:00+00')$$),
  ('superuser', $$SELECT attendance.att_rule_for(2001, '262142-12-31')$$),
  ('superuser', $$SELECT attendance.att_close_period(10, '262142-12-31', 9003)$$),
  -- as the admin of Sales: corrections and workflows at the edges of time
  ('admin', $$SELECT attendance.att_make_up_punch(2001, 'infinity', 'x')$$),
  ('admin', $$SELECT attendance.att_make_up_punch(2001, '-infinity', 'x')$$),
  ('admin', $$SELECT attendance.att_make_up_punch(2001, '294276-12-31 00:00+00', 'x')$$),
  ('admin', $$SELECT attendance.att_make_up_punch(2001, '4713-01-01 00:00+00 BC', 'x')$$),
  ('admin', $$SELECT attendance.att_make_up_punch(2001, '262142-12-31 12:00+00', 'x')$$),
  ('admin', $$SELECT attendance.att_make_up_punch(2001, NULL, 'x')$$),
  ('admin', $$SELECT attendance.att_make_up_punch(NULL, '2026-11-20 18:00+00', 'x')$$),
  ('admin', $$SELECT attendance.att_void_punch(2002, NULL, 'x')$$),
  ('admin', $$SELECT attendance.att_void_punch(2002, 9223372036854775807, 'x')$$),
  ('admin', $$SELECT attendance.att_void_punch(NULL, 1, 'x')$$),
  ('admin', $$SELECT attendance.att_approve_day(2001, 'infinity')$$),
  ('admin', $$SELECT attendance.att_approve_day(2001, '294276-12-31')$$),
  ('admin', $$SELECT attendance.att_approve_day(2001, '4713-01-01 BC')$$),
  ('admin', $$SELECT attendance.att_approve_day(2001, NULL)$$),
  ('admin', $$SELECT attendance.att_approve_day(NULL, '2026-11-20')$$),
  ('admin', $$SELECT attendance.att_set_approver(2001, 9001, '[294276-12-01,)')$$),
  ('admin', $$SELECT attendance.att_set_approver(2001, 9001, '[2026-12-01,infinity)')$$),
  ('admin', $$SELECT attendance.att_set_approver(2001, 9001, '[262142-12-01,)')$$),
  ('admin', $$SELECT attendance.att_approve_day(2001, '262142-12-31')$$),
  ('admin', $$SELECT attendance.att_set_approver(2001, 9001, NULL)$$),
  ('admin', $$SELECT attendance.att_set_approver(2001, NULL, '[2026-12-01,2026-12-31)')$$),
  ('admin', $$SELECT attendance.att_set_proxy(2001, 9001, '[4713-01-01 BC,2026-12-31)')$$),
  ('admin', $$SELECT attendance.att_set_proxy(2001, 9001, '[-infinity,2026-12-31)')$$),
  ('admin', $$SELECT attendance.att_approve_timesheet(2001, 'infinity')$$),
  ('admin', $$SELECT attendance.att_send_back_timesheet(2001, '294276-12-31', 'x')$$),
  ('admin', $$SELECT attendance.att_send_back_timesheet(2001, NULL, 'x')$$),
  ('admin', $$SELECT count(*) FROM attendance.att_close_org(10, '294276-12-31')$$),
  ('admin', $$SELECT count(*) FROM attendance.att_close_org(10, 'infinity')$$),
  ('admin', $$SELECT attendance.att_close_period(10, '294276-12-31')$$),
  ('admin', $$SELECT attendance.att_close_period(10, '4713-01-01 BC')$$),
  ('admin', $$SELECT attendance.att_close_period(10, 'infinity')$$),
  ('admin', $$SELECT attendance.att_close_period(10, NULL)$$),
  ('admin', $$SELECT attendance.att_reopen_period(10, 'infinity')$$),
  ('admin', $$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], '[294276-12-01,294276-12-31]')$$),
  ('admin', $$SELECT count(*) FROM attendance.att_scope(9001, '[294276-12-01,294276-12-31]')$$),
  -- as a plain employee: their own timesheet and day
  ('staff', $$SELECT attendance.att_submit_timesheet(2001, 'infinity')$$),
  ('staff', $$SELECT attendance.att_submit_timesheet(2001, '-infinity')$$),
  ('staff', $$SELECT attendance.att_submit_timesheet(2001, '294276-12-31')$$),
  ('staff', $$SELECT attendance.att_submit_timesheet(2001, '4713-01-01 BC')$$),
  ('staff', $$SELECT attendance.att_submit_timesheet(2001, '262142-12-31')$$),
  ('staff', $$SELECT attendance.att_submit_timesheet(2001, NULL)$$),
  ('staff', $$SELECT attendance.att_submit_timesheet(NULL, '2026-11-20')$$),
  ('staff', $$SELECT attendance.att_make_up_punch(2001, 'infinity', 'x')$$),
  ('staff', $$SELECT attendance.att_close_period(10, 'infinity', NULL, NULL)$$),
  ('staff', $$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], '[294276-12-01,294276-12-31]')$$);
SELECT public.atkw_run('superuser');
\c - regress_atkw_admin
SELECT public.atkw_run('admin');
\c - regress_atkw_staff
SELECT public.atkw_run('staff');
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT n, who, call, outcome FROM public.atkw_probe ORDER BY n;
SELECT count(*) FILTER (WHERE outcome LIKE 'XX000%' OR outcome LIKE '%:%') AS internal_errors FROM public.atkw_probe;
-- A make-up punch at an infinite instant never passes the permission check.
SELECT who, call, outcome ~ '^(22008|42501)' AS refused FROM public.atkw_probe
 WHERE call LIKE '%att_make_up_punch(2001, %infinity%' ORDER BY n;
SELECT count(*) AS punches_at_infinity FROM punch WHERE NOT isfinite(at);

-- 9b. The test cluster runs with RUST_BACKTRACE=1 (scripts/cluster.sh): an
--     error raised inside the library's own query (the unmapped login reads
--     no base table) carries no backtrace and no build path in its DETAIL.
GRANT USAGE ON SCHEMA attendance TO regress_atkw_nobody;
\c - regress_atkw_nobody
SELECT * FROM attendance._att_scope(9001, '2026-11-01', '2026-12-01', '2026-11-20');
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;

DROP TABLE public.atkw_ids, public.atkw_probe;
DROP FUNCTION public.atkw_try(text), public.atkw_same(text, text), public.atkw_state(text), public.atkw_run(text);
DROP OWNED BY regress_atkw_admin, regress_atkw_eng, regress_atkw_hr, regress_atkw_exadmin,
  regress_atkw_newadmin, regress_atkw_staff, regress_atkw_nobody, regress_atkw_app;
DROP ROLE regress_atkw_admin, regress_atkw_eng, regress_atkw_hr, regress_atkw_exadmin,
  regress_atkw_newadmin, regress_atkw_staff, regress_atkw_nobody, regress_atkw_app;
RESET attendance.clock;

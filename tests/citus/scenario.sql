-- Every entry point once, run unchanged on a single node and on a Citus
-- cluster (tests/citus/check.sh): the outputs must be identical. The company
-- comes from benches/sql/company.sql (October 2026); "now" is the servers'
-- attendance.clock, 2026-11-03 12:00 UTC, so October is over and the logins
-- act as of 2026-11-03. Rows are printed without what Citus numbers or
-- stamps differently (identity values drawn on the workers, the instants
-- of writes).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SET search_path = attendance, public;
SELECT employees AS n, admin, hr FROM bench.setting \gset

-- A statement's SQLSTATE instead of its error (the message names the node on Citus).
CREATE FUNCTION public.citus_check_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
GRANT EXECUTE ON FUNCTION public.citus_check_try(text) TO PUBLIC;
-- The stored days, whole: count and digest (evaluated_at is when, not what).
CREATE VIEW public.citus_check_days AS
SELECT count(*) AS days, md5(string_agg((to_jsonb(d) - 'evaluated_at')::text, '|' ORDER BY d.employee_id, d.day)) AS digest
  FROM attendance.day_record d;

\echo == 1 evaluation
SELECT status, count(*), sum(late_minutes) AS late, sum(absent_minutes) AS absent, sum(work_minutes) AS work
  FROM att_evaluate_all('[2026-10-01,2026-11-01)') GROUP BY status ORDER BY status;
SELECT md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day))
  FROM att_evaluate(ARRAY[1, 2, 60, 160, 210, 260, :n + 1], '[2026-09-28,2026-11-05)') r;
SELECT (att_evaluate_day(5, '2026-10-05')).*;
SELECT att_rule_for(260, '2026-10-05') AS rule_260, att_local_day(160, '2026-10-05 23:30+00') AS local_day_160;

\echo == 2 refresh
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') AS org_refreshed;
SELECT att_refresh(ARRAY[1, 60, 61], '[2026-09-25,2026-10-05)') AS refreshed;
SELECT att_refresh(ARRAY[1, 60, 61], '[2026-09-25,2026-10-05)') AS again;
SELECT att_refresh(5, '[2026-10-01,2026-10-08)') AS one;
SELECT * FROM public.citus_check_days;

\echo == 3 inputs through their triggers
INSERT INTO punch (employee_id, at) VALUES
  (1, '2026-10-06 08:40+08'), (60, '2026-10-06 17:10+08'), (160, '2026-10-07 21:58+08'), (260, '2026-10-08 07:55+09');
INSERT INTO excuse (employee_id, kind, during, leave_type) VALUES
  (2, 'leave', '[2026-10-12 09:00+08,2026-10-12 13:00+08)', 'Annual Leave'),
  (61, 'business_trip', '[2026-10-13 00:00+08,2026-10-15 00:00+08)', NULL),
  (62, 'leave', '[2026-10-14 09:00+08,2026-10-14 18:00+08)', 'Sick Leave');
UPDATE excuse SET during = '[2026-10-12 09:00+08,2026-10-12 18:00+08)' WHERE employee_id = 2 AND leave_type = 'Annual Leave'
   AND during = '[2026-10-12 09:00+08,2026-10-12 13:00+08)';
DELETE FROM excuse WHERE employee_id = 62 AND leave_type = 'Sick Leave' AND lower(during) = '2026-10-14 09:00+08';
SELECT employee_id, action, kind, during, leave_type, changed_by FROM excuse_change ORDER BY employee_id, action, during;
-- the Shop rota (teams 4 and 10) is scheduled: a night for one, a rest day for another
INSERT INTO schedule (employee_id, day, shift) VALUES (210, '2026-11-10', 'night'), (211, '2026-11-10', NULL)
  ON CONFLICT (employee_id, day) DO UPDATE SET shift = excluded.shift;
UPDATE schedule SET shift = 'late' WHERE employee_id = 212 AND day = '2026-10-20';
SELECT public.citus_check_try($$INSERT INTO attendance.schedule VALUES (213, '2026-10-21', 'brunch')$$) AS unknown_shift;
SELECT public.citus_check_try($$UPDATE attendance.punch SET reason = 'moved' WHERE employee_id = 1$$) AS punch_changed;
SELECT * FROM public.citus_check_days;

\echo == 4 time
SELECT att_finalize() AS finalized;
SELECT att_finalize() AS again;
SELECT through FROM finalize_state;
SELECT status, count(*) FROM day_record GROUP BY status ORDER BY status;
SELECT * FROM public.citus_check_days;

\echo == 5 scope
SELECT e, d, att_can_access(:admin, e, d) AS level, att_has_permission(:admin, e, d, 'correct') AS correct,
       att_can_access(:hr, e, d) AS hr_level, att_has_permission(:hr, e, d, 'correct_after_closing') AS hr_after
  FROM (VALUES (1, date '2026-10-05'), (60, date '2026-10-05'), (520, date '2026-10-05'), (:n + 1, date '2026-11-01')) x(e, d)
 ORDER BY e;
SELECT level, count(*), md5(string_agg(employee_id || ':' || days, ',' ORDER BY employee_id, days))
  FROM att_scope(:admin, '[2026-10-01,2026-11-01)') GROUP BY level ORDER BY level;
SELECT count(*) AS hr_scope FROM att_scope(:hr, '[2026-10-01,2026-11-01)');
SELECT att_closing_period(10001, '2026-10-20') AS period, att_org_path(10001, '2026-10-20') AS path;

\echo == 6 workflow
-- Logins: the admin of the even departments, hr, a team lead, staff.
INSERT INTO login_employee VALUES ('citus_check_admin', :admin), ('citus_check_hr', :hr), ('citus_check_lead', 3), ('citus_check_staff', 5);
\c - citus_check_admin
SELECT attendance.att_set_approver(5, 3, '[2026-10-01,)');
SELECT attendance.att_set_proxy(6, 4, '[2026-11-01,2026-12-01)');
SELECT public.citus_check_try($$SELECT attendance.att_set_approver(600, 3, '[2026-10-01,)')$$) AS outside_scope;
SELECT attendance.att_approve_day(6, '2026-10-05') IS NOT NULL AS approved_6;
\c - citus_check_lead
SELECT attendance.att_approve_day(5, '2026-10-06') IS NOT NULL AS approved_by_approver;
SELECT public.citus_check_try($$SELECT attendance.att_approve_day(3, '2026-10-06')$$) AS own_day;
\c - citus_check_staff
SELECT attendance.att_submit_timesheet(5, '2026-10-10') AS submitted;
\c - citus_check_admin
SELECT attendance.att_send_back_timesheet(5, '2026-10-10', 'late on 10-06: add the reason') AS sent_back;
\c - citus_check_staff
SELECT attendance.att_submit_timesheet(5, '2026-10-10') AS resubmitted;
\c - citus_check_lead
SELECT attendance.att_approve_timesheet(5, '2026-10-10') AS approved;
\c - citus_check_admin
SELECT outcome, count(*) FROM attendance.att_close_org(100, '2026-10-15', 'report') GROUP BY outcome;
SELECT attendance.att_close_period(100, '2026-10-15') AS closed;
\c - citus_check_hr
SELECT outcome, count(*) FROM attendance.att_close_org(101, '2026-10-15', 'skip') GROUP BY outcome;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT org_id, period, closed_by FROM closing ORDER BY org_id, period;
SELECT count(*) AS exempted FROM closing_exemption;
SELECT count(*) AS covered, min(employee_id), max(employee_id) FROM closing_cover;
SELECT employee_id, period, state FROM timesheet ORDER BY employee_id, period;
SELECT employee_id, period, action, actor, reason FROM timesheet_event ORDER BY employee_id, action, actor;
SELECT employee_id, day, approved_by, withdrawn_at IS NULL AS standing FROM day_approval ORDER BY employee_id, day, approved_by;
-- a device punch into a closed day is refused, nothing of it stays
SELECT public.citus_check_try($$INSERT INTO attendance.punch (employee_id, at) VALUES (5, '2026-10-20 18:05+08')$$) AS into_closed_day;
SELECT count(*) AS punches_of_5 FROM punch WHERE employee_id = 5;
SELECT min(punch_id) AS late_in_of_6 FROM punch WHERE employee_id = 6 AND at >= '2026-10-30 00:00+08' AND at < '2026-10-31 00:00+08' \gset
\c - citus_check_admin
SELECT public.citus_check_try($$SELECT attendance.att_make_up_punch(5, '2026-10-20 18:05+08', 'forgot')$$) AS admin_after_closing;
\c - citus_check_hr
SELECT attendance.att_make_up_punch(5, '2026-10-20 18:05+08', 'forgot to punch out') IS NOT NULL AS hr_made_up;
SELECT attendance.att_void_punch(6, :late_in_of_6, 'punched on the wrong day') AS hr_voided;
-- hr's report on the whole company (other teams' timesheets are open, so
-- it closes nothing), hr's closing of it skipping them, and hr's reopening
-- of it correct no day that the closings of teams 100 and 101 keep closed
-- (since 0.24.0; the reopening's refresh, with an empty own, travels on
-- Citus as a lock job with days): a holiday declared for October 21st
-- waits for att_finalize, and their 21st stays as it was closed.
\c - postgres
INSERT INTO attendance.holiday (company_id, day, mark, name) VALUES (1, '2026-10-21', 'holiday', 'declared after closing');
\c - citus_check_hr
SELECT outcome, count(*) FROM attendance.att_close_org(1, '2026-10-15', 'report') GROUP BY outcome;
SELECT outcome, count(*) FROM attendance.att_close_org(1, '2026-10-15', 'skip') GROUP BY outcome;
SELECT attendance.att_reopen_period(1, '2026-10-15') AS company_reopened;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT actor IS NULL AS no_ones, count(*) AS corrected_21st FROM correction WHERE day = '2026-10-21' GROUP BY 1 ORDER BY 1;
SELECT count(*) AS holidays_21st FROM day_record WHERE day = '2026-10-21' AND status = 'holiday';
SELECT employee_id, day, actor, reason, before ->> 'status' AS before, after ->> 'status' AS after
  FROM correction ORDER BY employee_id, day, reason, actor, before::text, after::text;
SELECT employee_id, at, voided_by, reason FROM punch_void ORDER BY employee_id, at;
SELECT employee_id, day, approved_by, withdrawn_at IS NULL AS standing FROM day_approval ORDER BY employee_id, day, approved_by;
\c - citus_check_admin
SELECT attendance.att_reopen_period(100, '2026-10-15') AS reopened;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT org_id, period, action, actor FROM closing_event ORDER BY event_id;
SELECT * FROM public.citus_check_days;

\echo == 7 inputs that reach many days
-- a transfer (at once), a rule version and a holiday (queued), a dated move of a team
UPDATE membership SET period = daterange(lower(period), '2026-10-20') WHERE employee_id = 7 AND kind = 'primary';
INSERT INTO membership (employee_id, org_id, period) VALUES (7, 10100, '[2026-10-20,)');
INSERT INTO rule_version (rule_id, valid_from, config)
SELECT rule_id, '2026-10-26', jsonb_set(config, '{tolerance,late_minutes}', '15') FROM rule_version WHERE rule_id = 2 AND valid_from = '2026-01-01';
INSERT INTO holiday (company_id, day, mark, name) VALUES (1, '2026-10-28', 'holiday', 'a new holiday');
SELECT public.citus_check_try($$UPDATE attendance.org SET parent_id = 101, parent_since = '2026-10-26' WHERE org_id = 10002$$) AS into_closed_period;
UPDATE org SET parent_id = 101, parent_since = '2026-11-02' WHERE org_id = 10002;
SELECT employee_id, org_id, days FROM refresh_request ORDER BY request_id;
SELECT org_id, period, parent_id, path FROM org_tree WHERE org_id IN (10002, 10001) ORDER BY org_id, period;
SELECT att_finalize() AS finalized;
SELECT count(*) AS waiting FROM refresh_request;
SELECT * FROM public.citus_check_days;
INSERT INTO rule (rule_id, name) VALUES (7, 'Named');
-- with overtime kept as time off and a weekly threshold, for the views of section 8
INSERT INTO rule_version SELECT 7, valid_from, config || '{"name": "Named", "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30,
  "quantity": {"week_over_minutes": 2400}, "time_off_in_lieu": {"leave_type": "Annual Leave", "percent": 150}}}' FROM rule_version WHERE rule_id = 1;
SELECT * FROM att_rule_add_people(7, ARRAY[8, 9], '[2026-10-20,2026-10-27)');
SELECT * FROM att_rule_add_orgs(7, ARRAY[10003]);
SELECT att_finalize() AS finalized;
SELECT * FROM public.citus_check_days;

\echo == 8 a scoped BI login
INSERT INTO login_employee VALUES ('citus_check_bi', :admin);
GRANT USAGE ON SCHEMA attendance TO citus_check_bi;
-- (on Citus one statement per kind of table: a distributed and a reference
-- table in one GRANT are refused)
GRANT SELECT ON attendance.att_daily, attendance.att_anomalies, attendance.att_period_summary, attendance.att_monthly_grid,
                attendance.att_approvals, attendance.att_weekly_overtime, attendance.att_time_off_balance TO citus_check_bi;
GRANT SELECT ON attendance.day_record, attendance.period_record TO citus_check_bi;
GRANT SELECT ON attendance.employee TO citus_check_bi;
\c - citus_check_bi
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT count(*), count(DISTINCT employee_id), md5(string_agg(to_jsonb(d)::text, '|' ORDER BY employee_id, day))
  FROM attendance.att_daily d;
SELECT department, count(*), sum(late_minutes) FROM attendance.att_daily GROUP BY department ORDER BY department;
SELECT md5(string_agg(to_jsonb(s)::text, '|' ORDER BY employee_id, period_start)) FROM attendance.att_period_summary s;
SELECT md5(string_agg(to_jsonb(g)::text, '|' ORDER BY employee_id, period_start)) FROM attendance.att_monthly_grid g;
SELECT md5(string_agg((to_jsonb(a) - 'last_approved_at' - 'timesheet_changed_at')::text, '|' ORDER BY employee_id, period_start)),
       count(last_approved_at), count(timesheet_changed_at)
  FROM attendance.att_approvals a;
SELECT count(*) FROM attendance.att_anomalies;
SELECT count(*), md5(string_agg(to_jsonb(w)::text, '|' ORDER BY employee_id, week_start)) FROM attendance.att_weekly_overtime w;
SELECT count(*), md5(string_agg(to_jsonb(t)::text, '|' ORDER BY employee_id, leave_type)) FROM attendance.att_time_off_balance t;
SELECT count(*) AS own_rows FROM attendance.day_record;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';

\echo == 9 the sync of the ERP
SELECT att_sync_punch(8, 'erp', 'r1', '2026-10-14 09:01+08') = att_sync_punch(8, 'erp', 'r1', '2026-10-14 09:01+08') AS reload_same;
SELECT att_sync_punch(8, 'erp', 'r1', '2026-10-14 09:11+08') IS NOT NULL AS edited;
SELECT att_sync_punch_delete(8, 'erp', 'r1') AS deleted, att_sync_punch_delete(8, 'erp', 'r1') AS again;
SELECT att_sync_punch(8, 'erp', 'r2', '2026-10-15 09:03+08', kind => 'mobile') IS NOT NULL AS phone,
       att_sync_punch(8, 'erp', 'r3', '2026-10-15 18:03+08', kind => 'terminal') IS NOT NULL AS kiosk;
SELECT employee_id, at, source_ref, revision FROM punch WHERE source_ref IS NOT NULL ORDER BY revision;
SELECT * FROM public.citus_check_days;

\echo == 9b leave late, arrive late after a holiday week
-- A departure's refresh reaches the next workday, ten days later after a
-- week of holidays: on Citus every punch's refresh is handed to
-- _att_refresh, which took eight days after a punch before 0.15.0.
INSERT INTO org (org_id, parent_id, name) VALUES (990000, NULL, 'Late leavers');
INSERT INTO employee VALUES (990001, 'late leaver');
INSERT INTO rule (rule_id, name) VALUES (990, 'office, leave late');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (990, '2026-01-01', '{"name": "office, leave late", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 120, "may_arrive_late_minutes": 60}]}},
     "time_zone": "Asia/Tokyo"}');
INSERT INTO rule_person (employee_id, rule_id) VALUES (990001, 990);
INSERT INTO membership (employee_id, org_id, period) VALUES (990001, 990000, '[2026-01-01,)');
-- (a VALUES list: INSERT ... SELECT into holiday fails on Citus 13.2.2,
-- "modifications were made over a connection that cannot be used")
INSERT INTO holiday (company_id, day, mark) VALUES
  (990000, '2026-10-12', 'holiday'), (990000, '2026-10-13', 'holiday'), (990000, '2026-10-14', 'holiday'),
  (990000, '2026-10-15', 'holiday'), (990000, '2026-10-16', 'holiday');
SELECT att_finalize() >= 0 AS finalized;
INSERT INTO punch (employee_id, at) VALUES (990001, '2026-10-09 09:00+09'), (990001, '2026-10-09 20:30+09');
INSERT INTO punch (employee_id, at) VALUES (990001, '2026-10-19 09:40+09'), (990001, '2026-10-19 19:00+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 990001 AND day = '2026-10-19';
-- (both nodes missing what is checked would print the same: the scenario
-- stops instead; here the holidays make the Friday the previous workday)
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM attendance.day_record WHERE employee_id = 990001 AND day = '2026-10-19' AND late_minutes = 0) THEN
    RAISE EXCEPTION 'the late departure before the holidays did not excuse the workday after them';
  END IF;
END $$;
INSERT INTO punch_void (employee_id, punch_id, at, reason)
SELECT employee_id, punch_id, at, 'left at 18:00' FROM punch WHERE employee_id = 990001 AND at = '2026-10-09 20:30+09';
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 990001 AND day = '2026-10-19';
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM attendance.day_record WHERE employee_id = 990001 AND day = '2026-10-19' AND late_minutes = 40) THEN
    RAISE EXCEPTION 'the workday after the holidays was not judged again after the void';
  END IF;
END $$;
INSERT INTO punch (employee_id, at) VALUES (990001, '2026-10-09 20:45+09');
SELECT day, status, late_minutes AS late FROM day_record WHERE employee_id = 990001 AND day = '2026-10-19';
SELECT * FROM public.citus_check_days;

\echo == 9c bulk loads: COPY and INSERT ... SELECT into the tables every node holds
-- (on Citus 13.2 they failed before 0.15.0: what their triggers write
-- elsewhere is now written at commit, see _att_deferred)
INSERT INTO org (org_id, parent_id, name)
SELECT o, CASE WHEN o = 980000 THEN NULL ELSE 980000 END, 'bulk ' || o FROM generate_series(980000, 980003) o ORDER BY o;
INSERT INTO employee SELECT e, 'bulk ' || e FROM generate_series(980001, 980012) e;
INSERT INTO membership (employee_id, org_id, period)
SELECT e, 980001 + e % 3, '[2026-10-01,)' FROM generate_series(980001, 980010) e;
COPY membership (employee_id, org_id, period) FROM STDIN;
980011	980002	[2026-10-01,)
980012	980003	[2026-10-01,)
\.
INSERT INTO holiday (company_id, day, mark)
SELECT 980000, d::date, 'holiday' FROM generate_series(date '2026-10-26', date '2026-10-27', interval '1 day') d;
INSERT INTO rule_person (employee_id, rule_id) SELECT e, 990 FROM generate_series(980001, 980002) e;
-- a company by COPY (on Citus placed by att_finalize), then a department
-- below it and a member of that in later statements (which wait for it);
-- and a department added and moved in one transaction
COPY org (org_id, parent_id, name) FROM STDIN;
980100	\N	bulk company
\.
INSERT INTO org (org_id, parent_id, name) VALUES (980101, 980100, 'its department');
INSERT INTO employee VALUES (980110, 'in the copied company');
INSERT INTO membership (employee_id, org_id, period) SELECT 980110, 980101, '[2026-10-01,)';
BEGIN;
INSERT INTO org (org_id, parent_id, name) VALUES (980102, 980000, 'moved at once');
UPDATE org SET parent_id = 980001, parent_since = '2026-10-20' WHERE org_id = 980102;
COMMIT;
SELECT att_finalize() >= 0 AS finalized;
SELECT count(*) AS waiting FROM refresh_request;
SELECT org_id, period, parent_id, path FROM org_tree WHERE org_id BETWEEN 980000 AND 980102 ORDER BY 1, 2;
SELECT count(*), count(*) FILTER (WHERE day_kind = 'holiday') AS holidays, count(*) FILTER (WHERE company_id IN (980000, 980100)) AS placed,
       md5(string_agg((to_jsonb(d) - 'evaluated_at')::text, '|' ORDER BY employee_id, day))
  FROM day_record d WHERE employee_id BETWEEN 980001 AND 980110;
SELECT * FROM public.citus_check_days;

\echo == 9d time passes: six days on, the days that fell due are judged
-- since 0.17.0 a run re-judges only the pending days whose time has come:
-- the recent ones as one range, older ones each employee over their own.
-- The clock reaches the workers' connections as a SET LOCAL.
SELECT count(*) AS pending_before_the_recent_days FROM _att_days_now WHERE status = 'pending' AND day < '2026-11-06';
SET citus.propagate_set_commands = 'local';
BEGIN;
SET LOCAL attendance.clock = '2026-11-09 12:00+00';
SELECT att_finalize() >= 0 AS finalized;
COMMIT;
RESET citus.propagate_set_commands;
SELECT count(*) AS pending_and_over FROM _att_days_now WHERE status = 'pending' AND scheduled_end <= '2026-11-09 12:00+00';
SELECT status, count(*) FROM day_record GROUP BY status ORDER BY status;
SELECT * FROM public.citus_check_days;

\echo == 9e a punch stored before its own time shows once that time has come
-- since 0.18.0 (punch_ahead_idx): a device ten minutes ahead of the server
SET citus.propagate_set_commands = 'local';
BEGIN;
SET LOCAL attendance.clock = '2026-11-10 02:10+00';
SELECT att_finalize() >= 0 AS finalized;
INSERT INTO punch (employee_id, at, recorded_at) VALUES (1, '2026-11-10 02:20+00', '2026-11-10 02:10+00');
COMMIT;
SELECT status, check_in FROM day_record WHERE employee_id = 1 AND day = '2026-11-10';
BEGIN;
SET LOCAL attendance.clock = '2026-11-10 02:25+00';
SELECT att_finalize() > 0 AS judged_again;
COMMIT;
RESET citus.propagate_set_commands;
SELECT status, check_in FROM day_record WHERE employee_id = 1 AND day = '2026-11-10';
SELECT * FROM public.citus_check_days;

\echo == 9f a day not over when its period was closed still becomes final
-- since 0.21.0 on one node and 0.22.0 on Citus (closed_pending.sql):
-- team 10001's November (employees 51-100) is closed at 10:00 on Monday
-- the 30th (Shanghai), while the 30th is pending; hr makes up a check-in
-- for one of them at 11:00; the next morning a check-in is taken and the
-- 30th becomes what it was closed (or, for hr's, kept again) to become.
-- Until 0.21.0 (on Citus until 0.22.0) the check-in was refused (42501)
-- and the 30th stayed pending.
-- Since 0.25.0 the 30th of one shift period is stored with what it will be
-- once over (day_record.due_at): it falls due without a write, closed or
-- not, and needs nothing kept in closed_pending; hr's correction stores it
-- so too, on the worker. The days are read as they show (_att_days_now).
-- A day stored as it shows is still kept in closed_pending: employee 75's
-- check-out of 17:55, stored ahead of its time at 09:55 (a device's clock
-- running ahead), keeps its 30th stored as it shows when the closing comes.
SET citus.propagate_set_commands = 'local';
BEGIN;
SET LOCAL attendance.clock = '2026-11-30 01:55+00';
INSERT INTO punch (employee_id, at, recorded_at) VALUES (75, '2026-11-30 09:55+00', '2026-11-30 01:55+00');
COMMIT;
SELECT status, due_at IS NULL AS as_it_shows FROM day_record WHERE employee_id = 75 AND day = '2026-11-30';
BEGIN;
SET LOCAL attendance.clock = '2026-11-30 02:00+00';
SELECT attendance.att_close_period(10001, '2026-11-15', :admin, '2026-11-30') AS closed;
COMMIT;
SELECT min(d.employee_id) AS pending_30 FROM _att_days_now d
 WHERE d.day = '2026-11-30' AND d.status = 'pending'
   AND d.employee_id IN (SELECT v.employee_id FROM closing_cover v WHERE v.org_id = 10001 AND v.period @> date '2026-11-30') \gset
SELECT max(d.employee_id) AS made_up_30 FROM _att_days_now d
 WHERE d.day = '2026-11-30' AND d.status = 'pending'
   AND d.employee_id IN (SELECT v.employee_id FROM closing_cover v WHERE v.org_id = 10001 AND v.period @> date '2026-11-30') \gset
SELECT count(*) AS kept, count(DISTINCT employee_id) AS employees, min(day), max(day) FROM closed_pending;
SELECT status, count(*) FROM day_record
 WHERE day = '2026-11-30' AND employee_id IN (SELECT v.employee_id FROM closing_cover v WHERE v.org_id = 10001 AND v.period @> date '2026-11-30')
 GROUP BY status ORDER BY status;
-- at 11:00 hr makes up a check-in of 09:00 for another of them: the
-- closed day shows it at once and is kept again to become what it makes
-- it once over (a refresh acting for hr, on Citus on the worker)
BEGIN;
SET LOCAL attendance.clock = '2026-11-30 03:00+00';
-- (a superuser session acts for hr as the trusted application does)
SET LOCAL attendance.acting_employee = :hr;
SELECT attendance.att_make_up_punch(:made_up_30, '2026-11-30 01:00+00', 'forgot to punch in') IS NOT NULL AS hr_made_up;
COMMIT;
SELECT employee_id, day, status, check_in FROM day_record WHERE employee_id = :made_up_30 AND day = '2026-11-30';
SELECT employee_id, day, final ->> 'status' AS kept_status, final -> 'check_in' AS kept_check_in FROM closed_pending WHERE employee_id = :made_up_30;
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 00:55+00';
SELECT public.citus_check_try(format($$INSERT INTO attendance.punch (employee_id, at) VALUES (%s, '2026-12-01 00:54+00')$$, :pending_30)) AS next_morning_check_in;
COMMIT;
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 01:00+00';
SELECT att_finalize() >= 0 AS finalized;
COMMIT;
RESET citus.propagate_set_commands;
SELECT count(*) AS punches_1201 FROM punch WHERE employee_id = :pending_30 AND at >= '2026-12-01 00:00+00';
SELECT status, count(*) FROM day_record
 WHERE day = '2026-11-30' AND employee_id IN (SELECT v.employee_id FROM closing_cover v WHERE v.org_id = 10001 AND v.period @> date '2026-11-30')
 GROUP BY status ORDER BY status;
SELECT reason, actor, count(*) FROM correction WHERE day = '2026-11-30' GROUP BY reason, actor ORDER BY reason;
SELECT status, check_out, due_at FROM day_record WHERE employee_id = 75 AND day = '2026-11-30';
SELECT * FROM public.citus_check_days;

\echo == 9g a closed day another input changed takes later writes that do not change it
-- since 0.23.0: a holiday for the 30th declared on December 1st, after
-- team 10001's November was closed, is queued and skipped for its closed
-- days; the next morning's check-in of one of them, whose refresh reaches
-- the 30th, is taken (on Citus judged on the worker, with the statement's
-- punch and without it); a check-out of the 30th synced late for the one
-- hr made up a check-in for is still refused. Until 0.23.0 the check-in
-- was refused too (42501).
SET citus.propagate_set_commands = 'local';
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 02:00+00';
INSERT INTO holiday (company_id, day, mark, name) VALUES (1, '2026-11-30', 'holiday', 'declared after closing');
COMMIT;
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 02:05+00';
SELECT att_finalize() >= 0 AS finalized;
COMMIT;
BEGIN;
SET LOCAL attendance.clock = '2026-12-02 00:55+00';
SELECT public.citus_check_try(format($$INSERT INTO attendance.punch (employee_id, at) VALUES (%s, '2026-12-02 00:54+00')$$, :pending_30)) AS check_in_after_a_holiday_for_a_closed_day;
SELECT public.citus_check_try(format($$INSERT INTO attendance.punch (employee_id, at) VALUES (%s, '2026-11-30 10:05+00')$$, :made_up_30)) AS late_check_out_of_closed_day;
COMMIT;
RESET citus.propagate_set_commands;
SELECT count(*) AS punches_1202 FROM punch WHERE employee_id = :pending_30 AND at >= '2026-12-02 00:00+00';
SELECT count(*) AS punches_of_the_30th FROM punch WHERE employee_id = :made_up_30 AND at >= '2026-11-30 00:00+00' AND at < '2026-12-01 00:00+00';
SELECT employee_id = :pending_30 AS checked_in_on_the_2nd, status, day_kind FROM day_record
 WHERE employee_id IN (:pending_30, :made_up_30) AND day = '2026-11-30' ORDER BY employee_id;
SELECT * FROM public.citus_check_days;

\echo == 9h a correction is judged on the days it changes, next to the employee's rows
-- since 0.27.0: the Plant's admin voids Monday's late check-out of an
-- employee who moves to the Warehouse on Tuesday, under a rule whose
-- leave-late-arrive-late gives Tuesday a later start for it (Monday's
-- rule has none). Tuesday, which the admin may only view, shows that
-- nowhere before its check-in. Until 0.27.0 Citus kept 0.26.0's checks
-- (the stored days, the voided day's rule) and took the void; now the
-- worker holding the employee judges the days, as one node does.
INSERT INTO org (org_id, parent_id, name) VALUES (990100, NULL, '9h Co');
INSERT INTO org (org_id, parent_id, name) VALUES (990101, 990100, '9h Plant'), (990102, 990100, '9h Warehouse');
INSERT INTO employee VALUES (990111, 'moves to the Warehouse on Tuesday');
INSERT INTO rule_org VALUES (990101, 1), (990102, 990);
INSERT INTO membership (employee_id, org_id, period) VALUES
  (990111, 990101, '[2026-10-01,2026-11-03)'), (990111, 990102, '[2026-11-03,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (:admin, 990101, 'admin', '[2026-01-01,)');
INSERT INTO punch (employee_id, at) VALUES (990111, '2026-11-02 09:00+08'), (990111, '2026-11-02 21:00+08');
SELECT punch_id AS late_out_9h FROM punch WHERE employee_id = 990111 AND at = '2026-11-02 21:00+08' \gset
SELECT att_has_permission(:admin, 990111, '2026-11-02', 'correct') AS may_correct_monday,
       att_has_permission(:admin, 990111, '2026-11-03', 'correct') AS may_correct_tuesday;
\c - citus_check_admin
SELECT public.citus_check_try(format('SELECT attendance.att_void_punch(990111, %s, %L)', :late_out_9h, 'wrong')) AS void_before_a_move;
\c - postgres
SET search_path = attendance, public;
SET datestyle = ISO;
SET TimeZone = 'UTC';
SELECT count(*) AS voided_9h FROM punch_void WHERE employee_id = 990111;

\echo == 10 every table
SELECT 'punch' AS t, count(*), md5(string_agg((to_jsonb(x) - 'recorded_at')::text, '|' ORDER BY employee_id, punch_id)) FROM punch x
UNION ALL SELECT 'excuse', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY employee_id, excuse_id)) FROM excuse x
UNION ALL SELECT 'schedule', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY employee_id, day)) FROM schedule x
UNION ALL SELECT 'membership', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY employee_id, membership_id)) FROM membership x
UNION ALL SELECT 'org_tree', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY org_id, period)) FROM org_tree x
UNION ALL SELECT 'org', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY org_id)) FROM org x
UNION ALL SELECT 'rule_person', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY employee_id, entry_id)) FROM rule_person x
UNION ALL SELECT 'closed_pending', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY employee_id, day)) FROM closed_pending x
UNION ALL SELECT 'closing_cover', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY employee_id, org_id, period)) FROM closing_cover x
UNION ALL SELECT 'correction', count(*), md5(string_agg((to_jsonb(x) - 'correction_id' - 'at')::text, '|' ORDER BY (to_jsonb(x) - 'correction_id' - 'at')::text)) FROM correction x
UNION ALL SELECT 'period_record', count(*), md5(string_agg(to_jsonb(x)::text, '|' ORDER BY employee_id, period_start)) FROM period_record x
UNION ALL SELECT 'day_approval', count(*), md5(string_agg((to_jsonb(x) - 'approval_id' - 'approved_at' - 'withdrawn_at')::text, '|' ORDER BY employee_id, day, approved_by)) FROM day_approval x
UNION ALL SELECT 'refresh_job', count(*), NULL FROM refresh_job
ORDER BY 1;

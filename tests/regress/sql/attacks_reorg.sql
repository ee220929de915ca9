-- Attacks on reorganisations (sql/tree.sql), the BI definer functions
-- (_att_visible_orgs, _att_day_approvals, _att_timesheets) and the excuse
-- history (excuse_change), as real logins granted as README says: the ERP's
-- sync login (granted attendance_sync), an admin, an hr, a plain employee, a
-- login mapped to no one, and the application role acting with
-- SET LOCAL attendance.acting_employee.
--   a. The sync role moves orgs into closed periods, with bad first days,
--      a company under another org, cycles (on some days, in one statement),
--      org.path, and deletes a historical parent.
--   b. Whether a move changes anyone's scope over days of a closed period.
--   c. "Today" of a move without parent_since is the server's, not the session's.
--   d. Plain, BI and application logins write nothing on org or org_tree.
--   e. The definer functions, called directly, must reveal no more than the views.
--   f. excuse_change cannot be forged or erased; changed_by is the login.
--   g. Every BI view shows each login its scope only, department names included.
-- Every attack shows its outcome (SQLSTATE or ok), then, as the superuser,
-- that nothing it must not change changed. A test marked "Was a hole"
-- showed an attack that worked before its fix (see the closing note).
-- "Now" is the superuser-only attendance.clock, 2026-12-01 10:30 UTC (the
-- server's zone is UTC, so today is 12-01), set for every login.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';

DROP ROLE IF EXISTS regress_atkg_erp, regress_atkg_admin, regress_atkg_hr, regress_atkg_staff,
  regress_atkg_nobody, regress_atkg_app;
CREATE ROLE regress_atkg_erp LOGIN;      -- the ERP's login
CREATE ROLE regress_atkg_admin LOGIN;    -- 9001, admin of Sales
CREATE ROLE regress_atkg_hr LOGIN;       -- 9003, hr of Co and of Sister Co
CREATE ROLE regress_atkg_staff LOGIN;    -- 2001, a plain employee of Sales
CREATE ROLE regress_atkg_nobody LOGIN;   -- mapped to no employee
CREATE ROLE regress_atkg_app LOGIN IN ROLE attendance_app;
-- README "Feeding it from an ERP": the sync role; "Who sees what": the BI logins.
GRANT attendance_sync TO regress_atkg_erp;
GRANT USAGE ON SCHEMA attendance TO regress_atkg_admin, regress_atkg_hr, regress_atkg_staff, regress_atkg_nobody, regress_atkg_app;
GRANT SELECT ON attendance.att_daily, attendance.att_anomalies, attendance.att_work_time,
                attendance.att_period_summary, attendance.att_leave_summary, attendance.att_monthly_grid,
                attendance.att_approvals, attendance.att_weekly_overtime, attendance.att_time_off_balance, attendance.day_record, attendance.period_record, attendance.employee
   TO regress_atkg_admin, regress_atkg_hr, regress_atkg_staff, regress_atkg_nobody, regress_atkg_app;
ALTER ROLE regress_atkg_erp SET attendance.clock = '2026-12-01 10:30+00';
ALTER ROLE regress_atkg_admin SET attendance.clock = '2026-12-01 10:30+00';
ALTER ROLE regress_atkg_hr SET attendance.clock = '2026-12-01 10:30+00';
ALTER ROLE regress_atkg_staff SET attendance.clock = '2026-12-01 10:30+00';
ALTER ROLE regress_atkg_nobody SET attendance.clock = '2026-12-01 10:30+00';
ALTER ROLE regress_atkg_app SET attendance.clock = '2026-12-01 10:30+00';
-- bounds the temporary files of a4's runaway statements
ALTER ROLE regress_atkg_erp SET temp_file_limit = '10MB';

-- Runs a statement: 'ok: n row(s)', or its SQLSTATE and message (a
-- statement_timeout included).
CREATE FUNCTION public.atkg_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE stmt;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN 'ok: ' || n || ' row(s)';
EXCEPTION
  WHEN query_canceled THEN RETURN SQLSTATE || ': ' || SQLERRM;
  WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
GRANT EXECUTE ON FUNCTION public.atkg_try(text) TO PUBLIC;
-- What a refused move must leave as it was (read by the superuser).
CREATE FUNCTION public.atkg_state() RETURNS text LANGUAGE sql SET datestyle = 'ISO' SET TimeZone = 'UTC' AS $$
  SELECT concat_ws(' ',
    (SELECT md5(string_agg(o::text, ',' ORDER BY o.org_id)) FROM attendance.org o),
    (SELECT md5(string_agg(t::text, ',' ORDER BY t.org_id, t.period)) FROM attendance.org_tree t),
    (SELECT md5(string_agg(d::text, ',' ORDER BY d.employee_id, d.day)) FROM attendance.day_record d),
    (SELECT count(*) FROM attendance.correction), (SELECT count(*) FROM attendance.refresh_request),
    (SELECT md5(string_agg(c::text, ',' ORDER BY c.org_id, c.period)) FROM attendance.closing c))
$$;
CREATE TABLE public.atkg_saved (label text PRIMARY KEY, state text);

-- Co closes at month end: Sales; the Plant with its Line and Packing;
-- Projects; a Task Force; Audit; orgs without members for the tree attacks.
-- Sister Co closes on the 25th. Old Co (closing on the 20th) was the Lab's
-- company until 06-01; the Lab is under Projects since.
INSERT INTO org (org_id, parent_id, name, closing_day) VALUES
  (1, NULL, 'Co', NULL), (2, NULL, 'Sister Co', 25), (4, NULL, 'Old Co', 20);
INSERT INTO org (org_id, parent_id, name) VALUES
  (10, 1, 'Sales'), (20, 1, 'Plant'), (21, 20, 'Line'), (22, 20, 'Packing'), (30, 1, 'Projects'),
  (60, 1, 'Task Force'), (61, 1, 'Audit'), (25, 2, 'Sister Dept'), (41, 4, 'Lab'),
  (70, 1, 'X'), (71, 1, 'Y'), (72, 71, 'Z'), (73, 1, 'P'), (74, 1, 'Q'), (75, 1, 'T'), (76, 1, 'F');
UPDATE org SET parent_id = 30, parent_since = '2026-06-01' WHERE org_id = 41;
INSERT INTO employee VALUES
  (9001, 'Sato, admin of Sales'), (9002, 'Endo, admin of the Plant'), (9003, 'Kimura, hr'),
  (9004, 'Ono, admin of Projects'), (9006, 'Lee, admin of the Lab'),
  (2001, 'Aiko, Sales'), (2002, 'Chie, Sales, also in Audit'), (2003, 'Ben, Sales, Task Force from 12-01'),
  (2004, 'Cal, Sales, also on the Line'), (2005, 'Dee, Sales, on the Line from 11-16'),
  (2006, 'Eve, Packing'), (2501, 'Ivy, Sister Dept'), (4101, 'Lou, Lab');
INSERT INTO membership (employee_id, org_id, kind, period) VALUES
  (9001, 10, 'primary', '[2026-01-01,)'), (9002, 20, 'primary', '[2026-01-01,)'), (9003, 1, 'primary', '[2026-01-01,)'),
  (9004, 30, 'primary', '[2026-01-01,)'), (9006, 41, 'primary', '[2026-01-01,)'),
  (2001, 10, 'primary', '[2026-01-01,)'),
  (2002, 10, 'primary', '[2026-01-01,)'), (2002, 61, 'concurrent', '[2026-01-01,)'),
  (2003, 10, 'primary', '[2026-01-01,2026-12-01)'), (2003, 60, 'primary', '[2026-12-01,)'),
  (2004, 10, 'primary', '[2026-01-01,)'), (2004, 21, 'concurrent', '[2026-01-01,)'),
  (2005, 10, 'primary', '[2026-01-01,2026-11-16)'), (2005, 21, 'primary', '[2026-11-16,)'),
  (2006, 22, 'primary', '[2026-01-01,)'), (2501, 25, 'primary', '[2026-01-01,)'), (4101, 41, 'primary', '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (9001, 10, 'admin', '[2026-01-01,)'), (9002, 20, 'admin', '[2026-01-01,)'), (9003, 1, 'hr', '[2026-01-01,)'),
  (9003, 2, 'hr', '[2026-01-01,)'), (9004, 30, 'admin', '[2026-01-01,)'), (9006, 41, 'admin', '[2026-01-01,)');
INSERT INTO login_employee VALUES ('regress_atkg_admin', 9001), ('regress_atkg_hr', 9003), ('regress_atkg_staff', 2001);
INSERT INTO rule (rule_id, name) VALUES (1, 'office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "office", "system": "standard",
  "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 1), (2, 1), (41, 1);
INSERT INTO punch (employee_id, at)
SELECT e, d + t FROM (VALUES (2001), (2002), (2003), (2004), (2005), (2006)) x(e),
       generate_series(date '2026-10-26', date '2026-12-01', interval '1 day') d, (VALUES (time '09:05'), (time '18:00')) p(t)
 WHERE extract(isodow FROM d) < 6 AND d + t < '2026-12-01 10:30';
INSERT INTO excuse (employee_id, kind, during, leave_type) VALUES
  (2001, 'leave', '[2026-11-11 00:00+00,2026-11-12 00:00+00)', 'Annual Leave'),
  (2002, 'leave', '[2026-11-12 00:00+00,2026-11-13 00:00+00)', 'Annual Leave'),
  (2006, 'leave', '[2026-11-12 00:00+00,2026-11-13 00:00+00)', 'Sick Leave');
SELECT att_finalize() >= 0 AS finalized;
-- hr closes the Plant's October, Sales' November and Sister Co's period 10-26..11-25.
SELECT att_close_period(20, '2026-10-15', 9003) AS plant_october, att_close_period(10, '2026-11-10', 9003) AS sales_november,
       att_close_period(2, '2026-11-10', 9003) AS sister_period;
-- Approvals and timesheets: hr approves Aiko's 11-27 and Ben's 12-01 (Ben is in
-- the Task Force since 12-01), the latter once it is over (a day not over yet
-- has nothing to approve, since 0.25.0); Aiko and Ben submit their December
-- timesheets.
SET attendance.acting_employee = '9003';
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 18:30+00';
SELECT att_approve_day(2001, '2026-11-27') > 0 AS approved, att_approve_day(2003, '2026-12-01') > 0 AS approved;
COMMIT;
SET attendance.acting_employee = '2001';
SELECT att_submit_timesheet(2001, '2026-12-01') AS submitted;
SET attendance.acting_employee = '2003';
SELECT att_submit_timesheet(2003, '2026-12-01') AS submitted;
RESET attendance.acting_employee;
INSERT INTO public.atkg_saved VALUES ('start', public.atkg_state());

-- a. Moves by the sync role.
-- a1. Into a closed period: the Line from 10-20 under Projects (the Plant's
--     October is closed), the Line re-dated under its own parent, Projects
--     under the Plant from 10-20 (closed in the new tree), the Line from the
--     first day of the calendar, Sales from the last day of its closed
--     November, Packing through an upsert. All 55000, nothing changed (checked
--     after a7).
\c - regress_atkg_erp
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 30, parent_since = '2026-10-20' WHERE org_id = 21$$),
  ($$UPDATE attendance.org SET parent_since = '2026-10-20' WHERE org_id = 21$$),
  ($$UPDATE attendance.org SET parent_id = 20, parent_since = '2026-10-20' WHERE org_id = 30$$),
  ($$UPDATE attendance.org SET parent_id = 30, parent_since = '4713-01-01 BC' WHERE org_id = 21$$),
  -- Sales' November is closed: no first day inside it
  ($$UPDATE attendance.org SET parent_id = 30, parent_since = '2026-11-30' WHERE org_id = 10$$),
  -- in an upsert, as README's sync trigger writes
  ($$INSERT INTO attendance.org (org_id, parent_id, name, parent_since) VALUES (22, 30, 'Packing', '2026-10-31')
     ON CONFLICT (org_id) DO UPDATE SET parent_id = excluded.parent_id, parent_since = excluded.parent_since$$)) v(s);
-- a2. First days that are not finite days: 22023.
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 10, parent_since = NULL WHERE org_id = 41$$),
  ($$UPDATE attendance.org SET parent_since = NULL WHERE org_id = 41$$),
  ($$UPDATE attendance.org SET parent_id = 30, parent_since = 'infinity' WHERE org_id = 76$$),
  ($$UPDATE attendance.org SET parent_id = 30, parent_since = '-infinity' WHERE org_id = 76$$),
  ($$INSERT INTO attendance.org (org_id, parent_id, name, parent_since) VALUES (77, 1, 'G', 'infinity')$$)) v(s);
-- a3. Cycles: an org under itself or under its child, and on some days only
--     (Z goes under X from 2027-01-01, in a transaction rolled back after:
--     Y may go under Z only from then, X never under Z from then on).
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 70 WHERE org_id = 70$$),
  ($$UPDATE attendance.org SET parent_id = 72 WHERE org_id = 71$$),
  -- org_id, org.path: not the statement's to set (0A000)
  ($$UPDATE attendance.org SET org_id = 79 WHERE org_id = 76$$),
  ($$UPDATE attendance.org SET path = '{1,10,21}' WHERE org_id = 21$$),
  ($$UPDATE attendance.org SET path = '{21}', name = 'Line' WHERE org_id = 21$$)) v(s);
BEGIN;
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 70, parent_since = '2027-01-01' WHERE org_id = 72$$),
  ($$UPDATE attendance.org SET parent_id = 72, parent_since = '2026-12-15' WHERE org_id = 71$$),
  ($$UPDATE attendance.org SET parent_id = 72, parent_since = '4713-01-01 BC' WHERE org_id = 71$$),
  ($$UPDATE attendance.org SET parent_id = 72, parent_since = '2027-02-01' WHERE org_id = 70$$),
  ($$UPDATE attendance.org SET parent_id = 72, parent_since = '2027-01-01' WHERE org_id = 71$$)) v(s);
SELECT org_id, period, parent_id, path FROM attendance.org_tree WHERE org_id IN (70, 71, 72) ORDER BY org_id, period;
ROLLBACK;
-- a4. A cycle made by two rows of one statement.
-- Was a hole (two moves in one statement that together make a cycle ran
--     without end): org_move checks the new parent's places again after
--     the earlier rows' moves, and the recomputation stops at a cycle.
--     Now 23514 and nothing changes.
SET statement_timeout = '60s';
SELECT public.atkg_try($$UPDATE attendance.org SET parent_id = CASE org_id WHEN 73 THEN 74 ELSE 73 END WHERE org_id IN (73, 74)$$) AS two_row_cycle;
SELECT public.atkg_try($$INSERT INTO attendance.org (org_id, parent_id, name) VALUES (73, 74, 'P'), (74, 73, 'Q')
                         ON CONFLICT (org_id) DO UPDATE SET parent_id = excluded.parent_id$$) AS upsert_cycle;
RESET statement_timeout;
-- a5. The tree through a trigger of the login's own: the same refusals.
CREATE TEMP TABLE t (x int);
CREATE FUNCTION pg_temp.f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE attendance.org SET path = '{1,30,21}' WHERE org_id = 21;
  RETURN NULL;
END $$;
CREATE TRIGGER t AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.f();
SELECT public.atkg_try($$INSERT INTO t VALUES (1)$$) AS path_from_own_trigger;
CREATE OR REPLACE FUNCTION pg_temp.f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE attendance.org SET parent_id = 30, parent_since = '2026-10-20' WHERE org_id = 21;
  RETURN NULL;
END $$;
SELECT public.atkg_try($$INSERT INTO t VALUES (1)$$) AS closed_move_from_own_trigger;
-- a6. org_tree is read-only, org is never truncated, and the definer
--     triggers cannot be called: 42501 (0A000 for the trigger function).
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$INSERT INTO attendance.org_tree VALUES (21, '[2026-10-01,2026-10-02)', 30, '{1,30,21}')$$),
  ($$UPDATE attendance.org_tree SET path = '{1,30,21}' WHERE org_id = 21$$),
  ($$DELETE FROM attendance.org_tree WHERE org_id = 21$$),
  ($$TRUNCATE attendance.org_tree$$),
  ($$TRUNCATE attendance.org CASCADE$$),
  ($$SELECT attendance.org_move()$$),
  ($$ALTER TABLE attendance.org DISABLE TRIGGER org_move$$),
  ($$SET session_replication_role = replica$$)) v(s);
-- a7. Deleting orgs that are parents today (the Plant, Projects), and a
--     parent that does not exist: 23503.
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$DELETE FROM attendance.org WHERE org_id = 20$$),
  ($$DELETE FROM attendance.org WHERE org_id = 30$$),
  ($$UPDATE attendance.org SET parent_id = 999, parent_since = '2026-12-10' WHERE org_id = 76$$),
  ($$INSERT INTO attendance.org (org_id, parent_id, name, parent_since) VALUES (77, 999, 'G', '2026-12-10')$$)) v(s);
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
-- Everything refused above left org, org_tree, day_record, correction,
-- refresh_request and closing as they were.
SELECT org_id, period, parent_id, path FROM org_tree WHERE org_id IN (10, 21, 22, 30, 70, 71, 72, 73, 74) ORDER BY org_id, period;
SELECT org_id, parent_id, parent_since, path FROM org WHERE org_id IN (10, 21, 22, 30, 41, 70, 71, 72, 73, 74, 76) ORDER BY org_id;
SELECT count(*) AS corrections, (SELECT count(*) FROM org WHERE org_id IN (77, 79)) AS new_orgs FROM correction;
SELECT public.atkg_state() = (SELECT state FROM public.atkg_saved WHERE label = 'start') AS unchanged;

-- a8. A first day far in the past or the future, with no closed period on
--     the chain: allowed (a dated move); today's tree stays for a far future one.
\c - regress_atkg_erp
SELECT public.atkg_try($$UPDATE attendance.org SET parent_id = 30, parent_since = '4713-01-01 BC' WHERE org_id = 76$$) AS far_past,
       public.atkg_try($$UPDATE attendance.org SET parent_id = 1, parent_since = '5874897-12-31' WHERE org_id = 76$$) AS far_future;
SELECT period, parent_id, path FROM attendance.org_tree WHERE org_id = 76 ORDER BY period;
SELECT attendance.att_org_path(76, '2026-12-01') AS today, attendance.att_org_path(76, '5874897-12-31') AS last_day;

-- a9. A company moved under another org.
-- Was a hole (a company moved under another org, or its closing day
--     changed, moved every earlier period, closed ones included): the
--     closing day of a company with stored days or closings cannot change
--     (55000), so neither can it move under another org.
BEGIN;
SELECT attendance.att_closing_period(25, '2026-11-20') AS sister_period_of_nov_20_before;
SELECT public.atkg_try($$UPDATE attendance.org SET parent_id = 1 WHERE org_id = 2$$) AS company_keeps_closing_day,
       public.atkg_try($$UPDATE attendance.org SET parent_id = 1, closing_day = NULL WHERE org_id = 2$$) AS company_moves;
SELECT attendance.att_closing_period(25, '2026-11-20') AS sister_period_of_nov_20_after,
       attendance.att_closing_period(25, '2026-10-27') AS sister_period_of_oct_27_after;
ROLLBACK;
BEGIN;
SELECT attendance.att_closing_period(10, '2026-11-20') AS sales_period_of_nov_20_before;
SELECT public.atkg_try($$UPDATE attendance.org SET closing_day = 15 WHERE org_id = 1$$) AS closing_day_changed;
SELECT attendance.att_closing_period(10, '2026-11-20') AS sales_period_of_nov_20_after;
ROLLBACK;

-- a10. Closing a period from before a move between companies.
-- Was a hole (closing a period of the Lab from before it changed company
--     closed today's company's period, not the one stored): the period
--     closed is the one of the company the org belonged to on that day.
\c - regress_atkg_hr
SELECT public.atkg_try($$SELECT attendance.att_close_period(41, '2026-03-10')$$) AS close_lab_march;
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
SELECT att_closing_period(41, '2026-03-10') AS lab_period_of_mar_10, (SELECT period FROM closing WHERE org_id = 41) AS closed,
       att_day_closed(4101, '2026-02-25') AS feb_25_closed, att_day_closed(4101, '2026-03-25') AS mar_25_closed,
       (SELECT count(*) FROM day_record WHERE employee_id = 4101 AND day BETWEEN '2026-03-21' AND '2026-03-31') AS mar_21_31_stored;

-- a11. Deleting an org that is a parent in the tree's history.
-- Was a hole (deleting Old Co, a parent in the Lab's history, left the
--     Lab's earlier days under an org that no longer exists): org_tree's
--     parent references org, so the delete is refused (23503) and the id
--     cannot be taken again.
SELECT att_can_access(9006, 4101, '2026-03-10') AS lab_admin_on_mar_10, att_closing_period(41, '2026-03-10') AS lab_period;
\c - regress_atkg_erp
SELECT public.atkg_try($$DELETE FROM attendance.org WHERE org_id = 4$$) AS delete_historical_company;
SELECT period, parent_id, path FROM attendance.org_tree WHERE org_id = 41 ORDER BY period;
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
SELECT att_can_access(9006, 4101, '2026-03-10') AS lab_admin_on_mar_10, att_closing_period(41, '2026-03-10') AS lab_period,
       (SELECT count(*) FROM org WHERE org_id = 4) AS old_co_rows, att_org_path(41, '2026-03-10') AS lab_path_on_mar_10;
\c - regress_atkg_erp
SELECT public.atkg_try($$INSERT INTO attendance.org (org_id, parent_id, name) VALUES (4, 10, 'Sales Annex')$$) AS id_taken_again;
SELECT attendance.att_org_path(4, '2026-03-10') AS annex_path, attendance.att_org_path(41, '2026-03-10') AS lab_path,
       attendance.att_closing_period(41, '2026-03-10') AS lab_period;

-- b. Scope over closed days.
-- b1. Packing moves under Projects from today (the Plant's October is
--     closed, November and December are open). For every admin, Eve's every
--     day of the closed October, and as-of dates before and after the move,
--     the level is the same before and after the move but where the spec
--     says otherwise: judged as of the move's first day or later, Projects'
--     admin views Eve's past days (SPEC.md A rule 2, as if Eve had moved).
--     No full level changes; nothing judged as of a day before the move does.
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
CREATE TABLE public.atkg_grid AS
SELECT a AS admin, d::date AS day, t AS as_of, attendance.att_can_access(a, 2006, d::date, t) AS level
  FROM unnest(ARRAY[9001, 9002, 9003, 9004]::bigint[]) a,
       generate_series(date '2026-10-01', date '2026-10-31', interval '1 day') d,
       unnest(ARRAY[date '2026-11-15', date '2026-11-30', date '2026-12-01', date '2026-12-10']) t;
\c - regress_atkg_erp
SELECT public.atkg_try($$UPDATE attendance.org SET parent_id = 30 WHERE org_id = 22$$) AS packing_moves_today;
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
SELECT parent_since FROM org WHERE org_id = 22;
SELECT g.admin, g.as_of, g.level AS before, att_can_access(g.admin, 2006, g.day, g.as_of) AS after, count(*) AS days
  FROM public.atkg_grid g
 GROUP BY 1, 2, 3, 4 HAVING bool_or(g.level IS DISTINCT FROM att_can_access(g.admin, 2006, g.day, g.as_of))
 ORDER BY 1, 2;
SELECT count(*) AS full_levels_changed FROM public.atkg_grid g
 WHERE (g.level = 'full') <> (attendance.att_can_access(g.admin, 2006, g.day, g.as_of) = 'full');
DROP TABLE public.atkg_grid;

-- b2. A move that reaches people whose days another org's closing closed.
-- Was a hole (the Line's move from 11-16 handed Cal's and Dee's closed
--     November days, closed by Sales' closing, to Projects' admin): a move
--     is refused (55000) when anyone below the org has a closed day from
--     its first day on, whichever org's closing closed it. (Since 0.27.0
--     Sales' closing covers Dee on her days in Sales only: her days on the
--     Line from 11-16 are the Plant's, whose November is open.)
SELECT e AS employee, att_day_closed(e, '2026-11-20') AS closed,
       att_can_access(9002, e, '2026-11-20') AS plant_admin, att_can_access(9004, e, '2026-11-20') AS projects_admin
  FROM unnest(ARRAY[2004, 2005]::bigint[]) e ORDER BY e;
\c - regress_atkg_app
BEGIN;
SET LOCAL attendance.acting_employee = '9004';
SELECT public.atkg_try($$SELECT attendance.att_approve_day(2004, '2026-11-20')$$) AS projects_admin_approves_before;
COMMIT;
\c - regress_atkg_erp
SELECT public.atkg_try($$UPDATE attendance.org SET parent_id = 30, parent_since = '2026-11-16' WHERE org_id = 21$$) AS line_moves_from_nov_16;
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
SELECT e AS employee, att_day_closed(e, '2026-11-20') AS closed,
       att_can_access(9002, e, '2026-11-20') AS plant_admin, att_can_access(9004, e, '2026-11-20') AS projects_admin
  FROM unnest(ARRAY[2004, 2005]::bigint[]) e ORDER BY e;
\c - regress_atkg_app
BEGIN;
SET LOCAL attendance.acting_employee = '9004';
SELECT public.atkg_try($$SELECT attendance.att_approve_day(2004, '2026-11-20')$$) AS projects_admin_approves_after;
COMMIT;
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
SELECT employee_id, day, approved_by FROM day_approval WHERE employee_id = 2004 AND withdrawn_at IS NULL;
SELECT att_finalize() >= 0 AS finalized;
SELECT count(*) AS corrections FROM correction;

-- b3. Not a hole, the spec's closing-period rule: Sister Dept moves from
--     Sister Co (closing on the 25th; 10-26..11-25 closed) to Projects (Co,
--     calendar months) from 11-26, the first day after the closed period.
--     Projects' admin gains no full level on a closed day, but views Ivy's
--     11-01..11-25, closed, even judged as of 11-20, before the move: in
--     Co's months, 11-20 shares a closing period with Ivy's days under
--     Projects (SPEC.md A rule 3), exactly as if Ivy had moved.
SELECT d AS day, att_day_closed(2501, d) AS closed, att_can_access(9004, 2501, d, '2026-11-20') AS projects_admin_as_of_nov_20
  FROM unnest(ARRAY[date '2026-10-30', date '2026-11-20', date '2026-11-27']) d ORDER BY d;
\c - regress_atkg_erp
SELECT public.atkg_try($$UPDATE attendance.org SET parent_id = 30, parent_since = '2026-11-26' WHERE org_id = 25$$) AS sister_dept_moves;
\c - postgres
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:30+00';
SELECT d AS day, att_day_closed(2501, d) AS closed, att_can_access(9004, 2501, d, '2026-11-20') AS projects_admin_as_of_nov_20
  FROM unnest(ARRAY[date '2026-10-30', date '2026-11-20', date '2026-11-27']) d ORDER BY d;

-- c. "Today" of a move without parent_since is att_today(), the server's
--    date (12-01), never the session's: at 10:30 UTC it is already 12-02 at
--    UTC+14 and still 11-30 at UTC-12. Nor can the login move the clock or
--    the server's zone.
\c - regress_atkg_erp
SET TimeZone = 'Etc/GMT-14';
SELECT (attendance.att_now() AT TIME ZONE current_setting('TimeZone'))::date AS session_date,
       public.atkg_try($$UPDATE attendance.org SET parent_id = 30 WHERE org_id = 75$$) AS move;
SELECT parent_since FROM attendance.org WHERE org_id = 75;
SET TimeZone = 'Etc/GMT+12';
BEGIN;
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT (attendance.att_now() AT TIME ZONE current_setting('TimeZone'))::date AS session_date,
       public.atkg_try($$UPDATE attendance.org SET parent_id = 1 WHERE org_id = 75$$) AS move_back;
COMMIT;
SELECT parent_since FROM attendance.org WHERE org_id = 75;
SELECT period, parent_id FROM attendance.org_tree WHERE org_id = 75 ORDER BY period;
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$SET attendance.clock = '2026-12-02 10:30+00'$$),
  ($$SET log_timezone = 'Etc/GMT-14'$$),
  ($$ALTER ROLE regress_atkg_erp SET attendance.clock = '2026-12-02 10:30+00'$$)) v(s);

-- d. No plain, BI or application login writes org or org_tree: 42501.
\c - regress_atkg_admin
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 10 WHERE org_id = 21$$),
  ($$INSERT INTO attendance.org (org_id, parent_id, name) VALUES (90, 10, 'mine')$$),
  ($$DELETE FROM attendance.org WHERE org_id = 76$$),
  ($$INSERT INTO attendance.org_tree VALUES (21, '[2027-01-01,)', 10, '{1,10,21}')$$),
  ($$UPDATE attendance.org_tree SET path = '{1,10,21}' WHERE org_id = 21$$),
  ($$DELETE FROM attendance.org_tree$$),
  ($$SELECT count(*) FROM attendance.org$$),
  ($$SELECT count(*) FROM attendance.org_tree$$)) v(s);
\c - regress_atkg_hr
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 10 WHERE org_id = 21$$),
  ($$UPDATE attendance.org_tree SET parent_id = 10 WHERE org_id = 21$$),
  ($$TRUNCATE attendance.org_tree$$)) v(s);
\c - regress_atkg_staff
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 10 WHERE org_id = 21$$),
  ($$INSERT INTO attendance.org_tree VALUES (21, '[2027-01-01,)', 10, '{1,10,21}')$$)) v(s);
\c - regress_atkg_nobody
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET name = 'x' WHERE org_id = 21$$),
  ($$DELETE FROM attendance.org_tree$$)) v(s);
\c - regress_atkg_app
BEGIN;
SET LOCAL attendance.acting_employee = '9003';
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$UPDATE attendance.org SET parent_id = 10 WHERE org_id = 21$$),
  ($$INSERT INTO attendance.org_tree VALUES (21, '[2027-01-01,)', 10, '{1,10,21}')$$),
  ($$SELECT attendance.att_org_path(21, '2026-12-01')$$)) v(s);
COMMIT;
\c - postgres
SET search_path = attendance, public;
SELECT count(*) AS orgs, (SELECT count(*) FROM org_tree) AS places FROM org;

-- e. The definer functions behind the views, called directly. What each
--    returns is compared with what the views show the same login: an
--    approval of a day att_daily does not show, a timesheet of a period in
--    which att_daily shows no day of the employee, an org name that no row
--    of att_daily names. Sato (admin of Sales) sees Ben until 11-30 and Chie
--    (also in Audit), Aiko herself only, the unmapped login nothing.
-- e1. The admin of Sales.
-- Was a hole (the definer functions behind att_approvals and the org
--     names filtered by employee, not by visible day: Sato learned of Ben's
--     December approval and timesheet and of departments no view showed
--     him): they now filter by the days the login may see, and name only
--     the departments and companies of those days.
CREATE FUNCTION public.atkg_leaks() RETURNS TABLE (approvals_leaked text, timesheets_leaked text, org_names_not_in_views text,
                                                   approvals bigint, timesheets bigint, orgs bigint)
LANGUAGE sql AS $$
  SELECT (SELECT string_agg(a.employee_id || ' ' || a.day || ' by ' || a.approved_by, ', ' ORDER BY a.employee_id, a.day)
            FROM attendance._att_day_approvals() a
           WHERE NOT EXISTS (SELECT 1 FROM attendance.att_daily d WHERE d.employee_id = a.employee_id AND d.day = a.day)),
         (SELECT string_agg(t.employee_id || ' ' || t.period || ' ' || t.state, ', ' ORDER BY t.employee_id, t.period)
            FROM attendance._att_timesheets() t
           WHERE NOT EXISTS (SELECT 1 FROM attendance.att_daily d WHERE d.employee_id = t.employee_id AND t.period @> d.day)),
         (SELECT string_agg(o.name, ', ' ORDER BY o.name)
            FROM attendance._att_visible_orgs() o
           WHERE o.name NOT IN (SELECT d.department FROM attendance.att_daily d WHERE d.department IS NOT NULL
                                UNION SELECT d.company FROM attendance.att_daily d WHERE d.company IS NOT NULL)),
         (SELECT count(*) FROM attendance._att_day_approvals()), (SELECT count(*) FROM attendance._att_timesheets()),
         (SELECT count(*) FROM attendance._att_visible_orgs())
$$;
GRANT EXECUTE ON FUNCTION public.atkg_leaks() TO PUBLIC;
\c - regress_atkg_admin
SELECT * FROM public.atkg_leaks();
-- the same with settings a plain login might try, and with arguments
SET attendance.acting_employee = '9003';
SET attendance.as_of = '2026-11-30';
SELECT * FROM public.atkg_leaks();
RESET attendance.acting_employee;
RESET attendance.as_of;
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$SELECT * FROM attendance._att_visible_orgs(NULL)$$),
  ($$SELECT * FROM attendance._att_day_approvals(9003)$$),
  ($$SELECT * FROM attendance._att_timesheets(NULL::bigint, NULL::daterange)$$),
  ($$SELECT * FROM attendance._att_view_scope(NULL)$$)) v(s);
-- e2. hr sees the whole of Co and Sister Co: nothing hidden to leak.
\c - regress_atkg_hr
SELECT * FROM public.atkg_leaks();
-- e3. Aiko: her own approval and timesheet, her own orgs; setting the
--     acting employee changes nothing for a plain login.
\c - regress_atkg_staff
SELECT * FROM public.atkg_leaks();
SELECT employee_id, day, approved_by FROM attendance._att_day_approvals();
SELECT employee_id, period, state FROM attendance._att_timesheets();
SELECT name FROM attendance._att_visible_orgs() ORDER BY name;
SET attendance.acting_employee = '9003';
SELECT count(*) AS approvals, (SELECT count(*) FROM attendance._att_timesheets()) AS timesheets,
       (SELECT count(*) FROM attendance._att_visible_orgs()) AS orgs FROM attendance._att_day_approvals();
RESET attendance.acting_employee;
-- e4. The unmapped login: nothing, whatever it sets.
\c - regress_atkg_nobody
SELECT * FROM public.atkg_leaks();
SET attendance.acting_employee = '9003';
SELECT * FROM public.atkg_leaks();
RESET attendance.acting_employee;
-- e5. The application role: nothing without an acting employee, the acting
--     employee's scope with one (Sato's: the same leak as e1), nothing for
--     an employee that does not exist, and a refusal for one that is not a number.
\c - regress_atkg_app
SELECT * FROM public.atkg_leaks();
BEGIN;
SET LOCAL attendance.acting_employee = '9001';
SELECT * FROM public.atkg_leaks();
COMMIT;
BEGIN;
SET LOCAL attendance.acting_employee = '-1';
SELECT * FROM public.atkg_leaks();
COMMIT;
BEGIN;
SET LOCAL attendance.acting_employee = '99999999999999999999';
SELECT public.atkg_try($$SELECT * FROM attendance._att_day_approvals()$$) AS acting_overflows;
COMMIT;
BEGIN;
SET LOCAL attendance.acting_employee = '2001 OR true';
SELECT public.atkg_try($$SELECT * FROM attendance._att_visible_orgs()$$) AS acting_not_a_number;
COMMIT;

-- f. excuse_change: no login writes it, and a change records its own login.
\c - regress_atkg_erp
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$INSERT INTO attendance.excuse_change (employee_id, excuse_id, action, kind, during, changed_by)
     VALUES (2001, 1, 'deleted', 'leave', '[2026-11-02,2026-11-03)', 'regress_atkg_hr')$$),
  ($$UPDATE attendance.excuse_change SET changed_by = 'regress_atkg_hr'$$),
  ($$DELETE FROM attendance.excuse_change$$),
  ($$TRUNCATE attendance.excuse_change$$),
  ($$SELECT count(*) FROM attendance.excuse_change$$),
  ($$ALTER TABLE attendance.excuse DISABLE TRIGGER excuse_keep_change$$),
  ($$SET SESSION AUTHORIZATION regress_atkg_hr$$),
  ($$SET ROLE regress_atkg_hr$$),
  ($$SELECT attendance.excuse_keep_change()$$)) v(s);
-- Leave for Aiko in December, edited as another role the login holds, an
-- update that changes nothing, and a cancellation: each change is recorded
-- with the session's login.
INSERT INTO attendance.excuse (employee_id, kind, during, leave_type, source_system, source_ref)
VALUES (2001, 'leave', '[2026-12-03 00:00+00,2026-12-04 00:00+00)', 'Annual Leave', 'erp', 'leave-1');
SET ROLE attendance_sync;
UPDATE attendance.excuse SET leave_type = 'Sick Leave' WHERE source_ref = 'leave-1';
RESET ROLE;
UPDATE attendance.excuse SET kind = kind, leave_type = leave_type WHERE source_ref = 'leave-1';
BEGIN;
SET LOCAL attendance.acting_employee = '9003';
DELETE FROM attendance.excuse WHERE source_ref = 'leave-1';
COMMIT;
\c - regress_atkg_admin
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$SELECT count(*) FROM attendance.excuse_change$$),
  ($$INSERT INTO attendance.excuse_change (employee_id, excuse_id, action, kind, during, changed_by)
     VALUES (2001, 1, 'deleted', 'leave', '[2026-11-02,2026-11-03)', 'regress_atkg_hr')$$),
  ($$UPDATE attendance.excuse SET leave_type = 'x'$$),
  ($$DELETE FROM attendance.excuse$$)) v(s);
\c - regress_atkg_app
SELECT s AS attack, public.atkg_try(s) AS outcome FROM (VALUES
  ($$DELETE FROM attendance.excuse_change$$),
  ($$UPDATE attendance.excuse SET leave_type = 'x'$$)) v(s);
\c - postgres
SET search_path = attendance, public;
SELECT employee_id, action, kind, leave_type, source_ref, changed_by FROM excuse_change ORDER BY change_id;

-- g. Every BI view as every login, against the scope the superuser computes
--    with att_can_access as of today: no row outside it, none missing; the
--    period views' rows are employee-periods with a visible day; every
--    department and company name shown is that of a visible day.
SET attendance.clock = '2026-12-01 10:30+00';
SELECT att_finalize() >= 0 AS finalized;
CREATE TABLE public.atkg_expected AS
SELECT l.login, d.employee_id, d.day, d.period_start, dept.name AS department, co.name AS company
  FROM (VALUES ('regress_atkg_admin', 9001), ('regress_atkg_hr', 9003), ('regress_atkg_staff', 2001),
               ('regress_atkg_app', 9001)) l(login, me)
  JOIN day_record d ON att_can_access(l.me, d.employee_id, d.day) <> 'none'
  LEFT JOIN org dept ON dept.org_id = d.org_id
  LEFT JOIN org co ON co.org_id = d.company_id;
GRANT SELECT ON public.atkg_expected TO PUBLIC;
CREATE FUNCTION public.atkg_views() RETURNS TABLE (view text, rows_shown bigint, outside_scope bigint, missing bigint)
LANGUAGE sql AS $$
  WITH e AS (SELECT * FROM public.atkg_expected WHERE login = current_user),
       daily AS (SELECT employee_id, day, department, company FROM attendance.att_daily),
       periods AS (SELECT DISTINCT employee_id, period_start FROM e WHERE period_start IS NOT NULL),
       names AS (SELECT department AS name FROM e UNION SELECT company FROM e)
  SELECT 'att_daily', (SELECT count(*) FROM daily),
         (SELECT count(*) FROM daily d WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.employee_id = d.employee_id AND e.day = d.day)),
         (SELECT count(*) FROM e WHERE NOT EXISTS (SELECT 1 FROM daily d WHERE e.employee_id = d.employee_id AND e.day = d.day))
  UNION ALL
  SELECT 'att_anomalies', (SELECT count(*) FROM attendance.att_anomalies),
         (SELECT count(*) FROM attendance.att_anomalies a WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.employee_id = a.employee_id AND e.day = a.day)), NULL
  UNION ALL
  SELECT 'att_work_time', (SELECT count(*) FROM attendance.att_work_time),
         (SELECT count(*) FROM attendance.att_work_time a WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.employee_id = a.employee_id AND e.day = a.day)), NULL
  UNION ALL
  SELECT 'att_period_summary', (SELECT count(*) FROM attendance.att_period_summary),
         (SELECT count(*) FROM attendance.att_period_summary a WHERE (a.employee_id, a.period_start) NOT IN (SELECT * FROM periods)),
         (SELECT count(*) FROM periods p WHERE NOT EXISTS (SELECT 1 FROM attendance.att_period_summary a WHERE (a.employee_id, a.period_start) = (p.employee_id, p.period_start)))
  UNION ALL
  SELECT 'att_monthly_grid', (SELECT count(*) FROM attendance.att_monthly_grid),
         (SELECT count(*) FROM attendance.att_monthly_grid a WHERE (a.employee_id, a.period_start) NOT IN (SELECT * FROM periods)),
         (SELECT count(*) FROM periods p WHERE NOT EXISTS (SELECT 1 FROM attendance.att_monthly_grid a WHERE (a.employee_id, a.period_start) = (p.employee_id, p.period_start)))
  UNION ALL
  SELECT 'att_weekly_overtime', (SELECT count(*) FROM attendance.att_weekly_overtime),
         (SELECT count(*) FROM attendance.att_weekly_overtime a
           WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.employee_id = a.employee_id AND e.day BETWEEN a.week_start AND a.week_end)), NULL
  UNION ALL
  SELECT 'att_time_off_balance', (SELECT count(*) FROM attendance.att_time_off_balance),
         (SELECT count(*) FROM attendance.att_time_off_balance a WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.employee_id = a.employee_id)), NULL
  UNION ALL
  SELECT 'att_leave_summary', (SELECT count(*) FROM attendance.att_leave_summary),
         (SELECT count(*) FROM attendance.att_leave_summary a WHERE (a.employee_id, a.period_start) NOT IN (SELECT * FROM periods)), NULL
  UNION ALL
  SELECT 'att_approvals', (SELECT count(*) FROM attendance.att_approvals),
         (SELECT count(*) FROM attendance.att_approvals a WHERE (a.employee_id, a.period_start) NOT IN (SELECT * FROM periods)),
         (SELECT count(*) FROM periods p WHERE NOT EXISTS (SELECT 1 FROM attendance.att_approvals a WHERE (a.employee_id, a.period_start) = (p.employee_id, p.period_start)))
  UNION ALL
  SELECT 'names', (SELECT count(*) FROM (SELECT department FROM daily UNION SELECT company FROM daily
                                         UNION SELECT department FROM attendance.att_monthly_grid UNION SELECT company FROM attendance.att_monthly_grid
                                         UNION SELECT department FROM attendance.att_leave_summary UNION SELECT department FROM attendance.att_approvals
                                         UNION SELECT department FROM attendance.att_period_summary UNION SELECT company FROM attendance.att_period_summary) n(name)
                   WHERE n.name IS NOT NULL),
         (SELECT count(*) FROM (SELECT department FROM daily UNION SELECT company FROM daily
                                UNION SELECT department FROM attendance.att_monthly_grid UNION SELECT company FROM attendance.att_monthly_grid
                                UNION SELECT department FROM attendance.att_leave_summary UNION SELECT department FROM attendance.att_approvals
                                UNION SELECT department FROM attendance.att_period_summary UNION SELECT company FROM attendance.att_period_summary) n(name)
           WHERE n.name IS NOT NULL AND n.name NOT IN (SELECT name FROM names WHERE name IS NOT NULL)), NULL
$$;
GRANT EXECUTE ON FUNCTION public.atkg_views() TO PUBLIC;
\c - regress_atkg_admin
SELECT * FROM public.atkg_views();
SELECT DISTINCT department, company FROM attendance.att_monthly_grid ORDER BY 1, 2;
SELECT employee_id, period_start, approved_workdays, timesheet_state FROM attendance.att_approvals ORDER BY 1, 2;
\c - regress_atkg_hr
SELECT * FROM public.atkg_views();
\c - regress_atkg_staff
SELECT * FROM public.atkg_views();
SELECT employee_id, period_start, leave_type, full_days FROM attendance.att_leave_summary ORDER BY 2, 3;
\c - regress_atkg_nobody
SELECT * FROM public.atkg_views();
SET attendance.acting_employee = '9003';
SELECT count(*) AS daily, (SELECT count(*) FROM attendance.att_monthly_grid) AS grid,
       (SELECT count(*) FROM attendance.att_approvals) AS approvals FROM attendance.att_daily;
\c - regress_atkg_app
SELECT count(*) AS daily_without_acting FROM attendance.att_daily;
BEGIN;
SET LOCAL attendance.acting_employee = '9001';
SELECT * FROM public.atkg_views();
COMMIT;

\c - postgres
DROP TABLE public.atkg_expected, public.atkg_saved;
DROP FUNCTION public.atkg_try(text), public.atkg_state(), public.atkg_leaks(), public.atkg_views();
DROP OWNED BY regress_atkg_erp, regress_atkg_admin, regress_atkg_hr, regress_atkg_staff, regress_atkg_nobody, regress_atkg_app;
DROP ROLE regress_atkg_erp, regress_atkg_admin, regress_atkg_hr, regress_atkg_staff, regress_atkg_nobody, regress_atkg_app;

-- Attacks on release 0.5.0's new code (sql/overtime.sql, the make-up
-- limits and punch kinds of sql/corrections.sql and sql/sync.sql, the strict
-- check of new rule versions, the backend's scope cache of src/access.rs,
-- the rewritten _att_visible_orgs), as real logins granted as README says:
-- the ERP's sync login (granted attendance_sync), an admin, an hr, a plain
-- employee, a login mapped to no one, and the application role acting
-- with SET LOCAL attendance.acting_employee; two more sessions (dblink) for
-- what happens between transactions.
--   a. _att_overtime_setting called directly: other rules, guessed shift
--      names and days, NULLs and extremes.
--   b. att_weekly_overtime, att_time_off_balance and _att_time_off() against
--      att_can_access, with settings a login controls (acting employee,
--      as-of day, the clock, a zone 167 hours east, pg_temp functions
--      named like the scope's on search_path).
--   c. _att_visible_orgs names what the query before the rewrite named.
--   d. Make-up limits: other actors, voiding, NULLs and extremes, the zone,
--      days to come, a night shift across the month's end, concurrency.
--   e. Punch kinds and recorders forged by the sync role; punch ids.
--   f. The strict check of new rule versions and its reload exemption.
--   g. The scope cache: revocations by other sessions, REPEATABLE READ,
--      ROLLBACK TO SAVEPOINT, exception blocks, cursors, SET ROLE,
--      definer functions of other roles, acting settings within a
--      statement.
-- Every attack shows its outcome (SQLSTATE or ok). "Finding" marks an
-- attack that works: "fixed" ones show the fixed behaviour (the report
-- has before and after), "reported" ones show the attack working.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
CREATE EXTENSION IF NOT EXISTS dblink;
SET search_path = attendance, public;
-- Now is Wednesday 2026-11-25, 12:00 UTC (the server's zone is UTC).
SET attendance.clock = '2026-11-25 12:00+00';

DROP ROLE IF EXISTS regress_atkl_erp, regress_atkl_admin, regress_atkl_hr, regress_atkl_staff,
  regress_atkl_nobody, regress_atkl_app;
CREATE ROLE regress_atkl_erp LOGIN;      -- the ERP's login
CREATE ROLE regress_atkl_admin LOGIN;    -- 9001, admin of Sales
CREATE ROLE regress_atkl_hr LOGIN;       -- 9003, hr of Co
CREATE ROLE regress_atkl_staff LOGIN;    -- 2001, a plain employee of Sales
CREATE ROLE regress_atkl_nobody LOGIN;   -- mapped to no employee
CREATE ROLE regress_atkl_app LOGIN IN ROLE attendance_app;
GRANT attendance_sync TO regress_atkl_erp;
GRANT USAGE ON SCHEMA attendance TO regress_atkl_admin, regress_atkl_hr, regress_atkl_staff, regress_atkl_nobody, regress_atkl_app;
GRANT SELECT ON attendance.att_daily, attendance.att_anomalies, attendance.att_work_time,
                attendance.att_period_summary, attendance.att_leave_summary, attendance.att_monthly_grid,
                attendance.att_approvals, attendance.att_weekly_overtime, attendance.att_time_off_balance,
                attendance.day_record, attendance.period_record, attendance.employee
   TO regress_atkl_admin, regress_atkl_hr, regress_atkl_staff, regress_atkl_nobody, regress_atkl_app;
ALTER ROLE regress_atkl_erp SET attendance.clock = '2026-11-25 12:00+00';
ALTER ROLE regress_atkl_admin SET attendance.clock = '2026-11-25 12:00+00';
ALTER ROLE regress_atkl_hr SET attendance.clock = '2026-11-25 12:00+00';
ALTER ROLE regress_atkl_staff SET attendance.clock = '2026-11-25 12:00+00';
ALTER ROLE regress_atkl_nobody SET attendance.clock = '2026-11-25 12:00+00';
ALTER ROLE regress_atkl_app SET attendance.clock = '2026-11-25 12:00+00';

-- Each session (psql keeps the variable across \c) sets ISO dates and UTC
-- and defines the same helper: an attack's outcome, 'ok' or its SQLSTATE
-- and message.
\set outcome 'SET datestyle = ISO; SET TimeZone = ''UTC''; CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $f$ BEGIN EXECUTE stmt; RETURN ''ok''; EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || '': '' || SQLERRM; END $f$;'
:outcome

-- Co (calendar months): Sales, the Plant with its Line. Sister Co closes on
-- the 25th. Dee moves from Sales to the Line on Wednesday 11-18.
INSERT INTO org (org_id, parent_id, name, closing_day) VALUES (1, NULL, 'Co', NULL), (2, NULL, 'Sister Co', 25);
INSERT INTO org (org_id, parent_id, name) VALUES (10, 1, 'Sales'), (20, 1, 'Plant'), (21, 20, 'Line'), (25, 2, 'Sister Dept');
INSERT INTO employee VALUES
  (9001, 'Sato, admin of Sales'), (9002, 'Endo, admin of the Plant'), (9003, 'Kimura, hr of Co'),
  (2001, 'Aiko, Sales'), (2002, 'Chie, Sales'), (2005, 'Dee, Sales, on the Line from 11-18'),
  (2006, 'Eve, Plant'), (2501, 'Ivy, Sister Dept');
INSERT INTO membership (employee_id, org_id, kind, period) VALUES
  (9001, 10, 'primary', '[2026-01-01,)'), (9002, 20, 'primary', '[2026-01-01,)'), (9003, 1, 'primary', '[2026-01-01,)'),
  (2001, 10, 'primary', '[2026-01-01,)'), (2002, 10, 'primary', '[2026-01-01,)'),
  (2005, 10, 'primary', '[2026-01-01,2026-11-18)'), (2005, 21, 'primary', '[2026-11-18,)'),
  (2006, 20, 'primary', '[2026-01-01,)'), (2501, 25, 'primary', '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (9001, 10, 'admin', '[2026-01-01,)'), (9002, 20, 'admin', '[2026-01-01,)'), (9003, 1, 'hr', '[2026-01-01,)');
INSERT INTO login_employee VALUES ('regress_atkl_admin', 9001), ('regress_atkl_hr', 9003), ('regress_atkl_staff', 2001);

-- The office (Co): 09:00-18:00, overtime in 30-minute units over 40 hours
-- a week, earned as time off at 150 %; two make-up punches a month, within
-- ten days. The Plant: no rule-wide overtime, a day shift without and a
-- "night" shift with its own (a secret shift name, beside secret
-- locations); one make-up punch a month, within forty days; its overtime
-- changed on 11-16.
-- Sister Co: a time-off type of its own. Rule 4 applies to no one.
INSERT INTO rule (rule_id, name) VALUES (1, 'office'), (2, 'plant'), (3, 'sister'), (4, 'unused');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{"name": "office", "system": "standard",
  "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00", "breaks": [{"start": "12:00", "end": "13:00"}]}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30,
               "quantity": {"week_over_minutes": 2400},
               "time_off_in_lieu": {"leave_type": "Compensatory Off", "percent": 150}},
  "make_up_punch": {"monthly_limit": 2, "within_days": 10},
  "time_zone": "UTC"}'),
  (2, '2026-01-01', '{"name": "plant", "system": "scheduled", "punch_mode": "fixed",
  "shifts": [{"name": "early", "periods": [{"start": "06:00", "end": "14:00"}]},
             {"name": "night", "periods": [{"start": "22:00", "end": "06:00"}],
              "overtime": {"min_minutes_after_end": 0, "unit_minutes": 15, "time_off_in_lieu": {"leave_type": "Plant TOIL", "percent": 200}}}],
  "scheduled": {"modify_history": true},
  "make_up_punch": {"monthly_limit": 1, "within_days": 40},
  "locations": [{"name": "Secret Lab B", "lat": 35.0, "lon": 139.0, "radius_m": 50}],
  "time_zone": "UTC"}'),
  (2, '2026-11-16', '{"name": "plant", "system": "scheduled", "punch_mode": "fixed",
  "shifts": [{"name": "early", "periods": [{"start": "06:00", "end": "14:00"}]},
             {"name": "night", "periods": [{"start": "22:00", "end": "06:00"}],
              "overtime": {"min_minutes_after_end": 0, "unit_minutes": 15, "time_off_in_lieu": {"leave_type": "Plant TOIL", "percent": 100}}}],
  "scheduled": {"modify_history": true},
  "make_up_punch": {"monthly_limit": 1, "within_days": 40},
  "locations": [{"name": "Secret Lab B", "lat": 35.0, "lon": 139.0, "radius_m": 50}],
  "time_zone": "UTC"}'),
  (3, '2026-01-01', '{"name": "sister", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "17:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "overtime": {"min_minutes_after_end": 0, "unit_minutes": 1, "time_off_in_lieu": {"leave_type": "Sister TOIL"}},
  "time_zone": "UTC"}'),
  (4, '2026-01-01', '{"name": "unused", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "17:00"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
  "overtime": {"unit_minutes": 60, "quantity": {"week_over_minutes": 60}}, "time_zone": "UTC"}');
INSERT INTO rule_org VALUES (1, 1), (20, 2), (21, 1), (2, 3);
-- The Plant works nights, Monday to Friday, and Saturday 10-31.
INSERT INTO schedule (employee_id, day, shift)
SELECT 2006, d, CASE WHEN extract(isodow FROM d) < 6 OR d = '2026-10-31' THEN 'night' END
  FROM generate_series(date '2026-10-26', date '2026-11-30', interval '1 day') d;
-- Office days 08:00-19:30 (the Line keeps the office rule); Plant nights
-- 21:00-08:00; Sister days 09:00-19:00.
INSERT INTO punch (employee_id, at)
SELECT e, d + t FROM (VALUES (2001), (2002), (2005)) x(e),
       generate_series(date '2026-11-02', date '2026-11-24', interval '1 day') d, (VALUES (time '08:00'), (time '19:30')) p(t)
 WHERE extract(isodow FROM d) < 6;
INSERT INTO punch (employee_id, at)
SELECT 2006, d + t FROM generate_series(date '2026-11-02', date '2026-11-24', interval '1 day') d,
       (VALUES (interval '21 hours'), (interval '32 hours')) p(t)
 WHERE extract(isodow FROM d) < 6;
INSERT INTO punch (employee_id, at)
SELECT 2501, d + t FROM generate_series(date '2026-11-02', date '2026-11-24', interval '1 day') d, (VALUES (time '09:00'), (time '19:00')) p(t)
 WHERE extract(isodow FROM d) < 6;
-- Time off taken: Aiko on 11-20 afternoon, Eve on the night of 11-19, Ivy on 11-23.
INSERT INTO excuse (employee_id, kind, during, leave_type) VALUES
  (2001, 'leave', '[2026-11-20 13:00+00,2026-11-20 18:00+00)', 'Compensatory Off'),
  (2006, 'leave', '[2026-11-19 22:00+00,2026-11-20 06:00+00)', 'Plant TOIL'),
  (2501, 'leave', '[2026-11-23 09:00+00,2026-11-23 17:00+00)', 'Sister TOIL');
-- The Line moves under Sister Co from Monday 11-23 (a dated move): the
-- department names of Dee's days change company.
UPDATE org SET parent_id = 2, parent_since = '2026-11-23' WHERE org_id = 21;
SELECT att_finalize() >= 0 AS finalized;
SELECT employee_id, count(*) AS days, sum(overtime_minutes) AS overtime, sum(leave_minutes) AS leave
  FROM day_record GROUP BY 1 ORDER BY 1;

-- What each login may see, judged by att_can_access as of today (definer
-- helpers of the superuser, answering for the asking login), and the
-- weekly figures and time-off balances over exactly those days.
CREATE FUNCTION public.atkl_expected_days() RETURNS TABLE (employee_id bigint, day date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT d.employee_id, d.day FROM attendance.day_record d
   WHERE d.employee_id = attendance.att_current_employee()
      OR attendance.att_can_access(attendance.att_current_employee(), d.employee_id, d.day) <> 'none'
$$;
CREATE FUNCTION public.atkl_expected_weeks() RETURNS TABLE (employee_id bigint, week_start date, stored_days bigint, regular_minutes bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT d.employee_id, date_trunc('week', d.day)::date, count(*),
         sum(greatest(0, d.attended_minutes + d.trip_minutes + d.outing_minutes + d.appeal_minutes - d.overtime_minutes))
    FROM attendance.day_record d JOIN public.atkl_expected_days() x USING (employee_id, day)
   GROUP BY 1, 2
$$;
CREATE FUNCTION public.atkl_expected_time_off() RETURNS TABLE (employee_id bigint, leave_type text, earned bigint, taken bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH days AS (SELECT d.* FROM attendance.day_record d JOIN public.atkl_expected_days() x USING (employee_id, day)),
  earned AS (
    SELECT d.employee_id, t.toil ->> 'leave_type' AS leave_type, sum(d.overtime_minutes * coalesce((t.toil ->> 'percent')::integer, 100) / 100) AS m
      FROM days d CROSS JOIN LATERAL (SELECT attendance._att_overtime_setting(d.rule_id, d.day, d.shift) -> 'time_off_in_lieu' AS toil) t
     WHERE d.overtime_minutes > 0 AND t.toil IS NOT NULL GROUP BY 1, 2),
  taken AS (
    SELECT d.employee_id, x.leave_type, sum(least(d.leave_minutes, x.m)) AS m
      FROM days d CROSS JOIN LATERAL (
        SELECT e.leave_type, (sum(extract(epoch FROM upper(e.during * tstzrange(d.scheduled_start, d.scheduled_end))
                                              - lower(e.during * tstzrange(d.scheduled_start, d.scheduled_end)))) / 60)::bigint AS m
          FROM attendance.excuse e
         WHERE e.employee_id = d.employee_id AND e.kind = 'leave' AND e.during && tstzrange(d.scheduled_start, d.scheduled_end)
           AND e.leave_type IN (SELECT t ->> 'leave_type' FROM attendance.rule_version r, jsonb_path_query(r.config, 'lax $.**.time_off_in_lieu') t)
         GROUP BY e.leave_type) x
     WHERE d.leave_minutes > 0 AND d.scheduled_start IS NOT NULL AND d.scheduled_end IS NOT NULL GROUP BY 1, 2)
  SELECT coalesce(e.employee_id, t.employee_id), coalesce(e.leave_type, t.leave_type), coalesce(e.m, 0), coalesce(t.m, 0)
    FROM earned e FULL JOIN taken t ON t.employee_id = e.employee_id AND t.leave_type = e.leave_type
$$;
-- Read as the login: what each view shows against what it should.
CREATE FUNCTION public.atkl_views() RETURNS TABLE (source text, rows_shown bigint, wrong bigint, missing bigint)
LANGUAGE sql AS $$
  SELECT 'day_record', (SELECT count(*) FROM attendance.day_record),
         (SELECT count(*) FROM attendance.day_record d WHERE (d.employee_id, d.day) NOT IN (SELECT * FROM public.atkl_expected_days())),
         (SELECT count(*) FROM public.atkl_expected_days() x WHERE (x.employee_id, x.day) NOT IN (SELECT employee_id, day FROM attendance.day_record))
  UNION ALL
  SELECT 'att_weekly_overtime', (SELECT count(*) FROM attendance.att_weekly_overtime),
         (SELECT count(*) FROM attendance.att_weekly_overtime w
           WHERE (w.employee_id, w.week_start, w.stored_days, w.regular_minutes) NOT IN (SELECT * FROM public.atkl_expected_weeks())),
         (SELECT count(*) FROM public.atkl_expected_weeks() x
           WHERE (x.employee_id, x.week_start) NOT IN (SELECT employee_id, week_start FROM attendance.att_weekly_overtime))
  UNION ALL
  SELECT 'att_time_off_balance', (SELECT count(*) FROM attendance.att_time_off_balance),
         (SELECT count(*) FROM attendance.att_time_off_balance b
           WHERE (b.employee_id, b.leave_type, b.earned_minutes, b.taken_minutes) NOT IN (SELECT * FROM public.atkl_expected_time_off())),
         (SELECT count(*) FROM public.atkl_expected_time_off() x
           WHERE (x.employee_id, x.leave_type) NOT IN (SELECT employee_id, leave_type FROM attendance.att_time_off_balance))
  UNION ALL
  SELECT '_att_time_off()', (SELECT count(*) FROM attendance._att_time_off()),
         (SELECT count(*) FROM attendance._att_time_off() b
           WHERE (b.employee_id, b.leave_type, b.earned_minutes, b.taken_minutes) NOT IN (SELECT * FROM public.atkl_expected_time_off())),
         (SELECT count(*) FROM public.atkl_expected_time_off() x
           WHERE (x.employee_id, x.leave_type) NOT IN (SELECT employee_id, leave_type FROM attendance._att_time_off()))
$$;
-- The orgs _att_visible_orgs named before 0.5.0 (one tree probe per member
-- and span), against the rewrite (one multirange per org): read as the login.
CREATE FUNCTION public.atkl_orgs_compared() RETURNS TABLE (named bigint, only_before bigint, only_now bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH before AS (
    SELECT o.org_id FROM attendance.org o
     WHERE o.org_id IN (SELECT x.org_id
                          FROM attendance._att_visible_spans() v
                          JOIN attendance.membership m ON m.employee_id = v.employee_id AND m.kind = 'primary' AND m.period && v.days
                          JOIN attendance.org_tree t ON t.org_id = m.org_id AND t.period && (m.period * v.days)
                         CROSS JOIN LATERAL unnest(ARRAY[t.org_id, t.path[1]]) AS x(org_id))),
  now AS (SELECT org_id FROM attendance._att_visible_orgs())
  SELECT (SELECT count(*) FROM now), (SELECT count(*) FROM before WHERE org_id NOT IN (SELECT org_id FROM now)),
         (SELECT count(*) FROM now WHERE org_id NOT IN (SELECT org_id FROM before))
$$;
-- What a refused write must leave as it was (read by the superuser).
CREATE FUNCTION public.atkl_state() RETURNS text LANGUAGE sql SET datestyle = 'ISO' SET TimeZone = 'UTC' AS $$
  SELECT concat_ws(' ',
    (SELECT md5(string_agg(p::text, ',' ORDER BY p.employee_id, p.punch_id)) FROM attendance.punch p),
    (SELECT md5(string_agg(v::text, ',' ORDER BY v.employee_id, v.punch_id)) FROM attendance.punch_void v),
    (SELECT md5(string_agg(d::text, ',' ORDER BY d.employee_id, d.day)) FROM attendance.day_record d),
    (SELECT md5(string_agg(r::text, ',' ORDER BY r.rule_id, r.valid_from)) FROM attendance.rule_version r))
$$;
GRANT EXECUTE ON FUNCTION public.atkl_views(), public.atkl_orgs_compared(), public.atkl_expected_days(),
  public.atkl_expected_weeks(), public.atkl_expected_time_off() TO PUBLIC;
-- Standing make-up punches per employee and attendance month.
CREATE FUNCTION public.atkl_make_ups() RETURNS TABLE (employee_id bigint, month date, standing bigint, voided bigint)
LANGUAGE sql SET TimeZone = 'UTC' AS $$
  SELECT p.employee_id, date_trunc('month', p.at)::date,
         count(*) FILTER (WHERE v.punch_id IS NULL), count(*) FILTER (WHERE v.punch_id IS NOT NULL)
    FROM attendance.punch p LEFT JOIN attendance.punch_void v USING (employee_id, punch_id)
   WHERE p.source = 'make_up' GROUP BY 1, 2 ORDER BY 1, 2
$$;
-- Two more sessions, for what happens between transactions: dblink as the
-- logins (the socket and port are the server's own).
CREATE FUNCTION public.atkl_connect(name text, login text) RETURNS text LANGUAGE sql AS $$
  SELECT dblink_connect(name, format('dbname=%s user=%s host=%s port=%s', current_database(), login,
                                     split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port')))
$$;
CREATE TABLE public.atkl_saved (label text PRIMARY KEY, state text);

-- a. _att_overtime_setting: a definer function every login may call.
\c - regress_atkl_staff
:outcome
-- a1. The overtime settings of rules that judged none of Aiko's days (she
--     is on the office rule): the documented, accepted disclosure.
SELECT r AS rule_id, attendance._att_overtime_setting(r, '2026-11-20', NULL) AS overtime FROM generate_series(1, 5) r;
-- a2. Finding (low, reported): it also answers questions beyond overtime
--     settings, of any rule: which shift names a rule has (those with
--     overtime of their own: the Plant's "night"), whether the rule has
--     rule-wide overtime, and the days its versions begin (the first on
--     01-01, a change on 11-16).
SELECT s AS shift_guess, attendance._att_overtime_setting(2, '2026-11-20', s) IS NOT NULL AS has_that_shift
  FROM unnest(ARRAY['day', 'early', 'late', 'night', 'Night']) s;
SELECT d AS day, attendance._att_overtime_setting(2, d, 'night') #>> '{time_off_in_lieu,percent}' AS toil_percent
  FROM unnest(ARRAY['2025-12-31', '2026-01-01', '2026-11-15', '2026-11-16']::date[]) d;
-- a3. NULLs and extremes: NULL, never an error.
SELECT pg_temp.outcome($$SELECT attendance._att_overtime_setting(NULL, NULL, NULL)$$) AS nulls,
       pg_temp.outcome($$SELECT attendance._att_overtime_setting(9223372036854775807, 'infinity', repeat('x', 100000))$$) AS huge,
       pg_temp.outcome($$SELECT attendance._att_overtime_setting(-9223372036854775808, '-infinity', '')$$) AS tiny,
       attendance._att_overtime_setting(2, 'infinity', 'night') IS NOT NULL AS infinity_is_the_latest,
       attendance._att_overtime_setting(2, '-infinity', 'night') IS NULL AS minus_infinity_none;
\c - regress_atkl_nobody
:outcome
SELECT count(*) FILTER (WHERE attendance._att_overtime_setting(r, '2026-11-20', NULL) IS NOT NULL) AS rules_answered_for_no_one
  FROM generate_series(1, 5) r;

-- b. att_weekly_overtime, att_time_off_balance and _att_time_off() show
--    each login exactly the days att_can_access gives it: rows shown, rows
--    whose figures differ from the figures of those days (or lie outside
--    them), rows missing. Then with settings a login controls.
\c - regress_atkl_admin
:outcome
SELECT * FROM public.atkl_views();
SELECT employee_id, leave_type, earned_minutes, taken_minutes, through_day FROM attendance.att_time_off_balance ORDER BY 1, 2;
-- b1. The acting employee and as-of date (ignored for a plain login), the
--     superuser's clock (refused), the zone (167 hours east), a search_path
--     with a pg_temp function named like the scope's.
SET attendance.acting_employee = '9003';
SET attendance.as_of = '2026-01-01';
SELECT pg_temp.outcome($$SET attendance.clock = '2027-01-01 00:00+00'$$) AS clock;
SET TimeZone = 'XXX-167';
CREATE FUNCTION pg_temp._att_visible_spans() RETURNS TABLE (employee_id bigint, days daterange)
LANGUAGE sql AS $$ SELECT employee_id, daterange(NULL, NULL) FROM attendance.employee $$;
CREATE FUNCTION pg_temp._att_view_scope() RETURNS TABLE (employee_ids bigint[], from_days date[], until_days date[])
LANGUAGE sql AS $$ SELECT array_agg(employee_id), array_agg(NULL::date), array_agg(NULL::date) FROM attendance.employee $$;
SET search_path = pg_temp, attendance, public;
SELECT * FROM public.atkl_views();
RESET ALL;
\c - regress_atkl_hr
:outcome
SELECT * FROM public.atkl_views();
SELECT employee_id, leave_type, earned_minutes, taken_minutes, through_day FROM attendance.att_time_off_balance ORDER BY 1, 2;
\c - regress_atkl_staff
:outcome
SELECT * FROM public.atkl_views();
SET attendance.acting_employee = '9003';
SELECT * FROM public.atkl_views();
\c - regress_atkl_nobody
:outcome
SELECT * FROM public.atkl_views();
SET attendance.acting_employee = '9003';
SET attendance.as_of = '2026-11-20';
SELECT * FROM public.atkl_views();
-- b2. The application: the acting employee's scope, nothing without one or
--     for an id no one has, a refusal for one that is not a number.
\c - regress_atkl_app
:outcome
SELECT * FROM public.atkl_views();
BEGIN;
SET LOCAL attendance.acting_employee = '9002';
SELECT * FROM public.atkl_views();
SET LOCAL attendance.acting_employee = '9223372036854775807';
SELECT * FROM public.atkl_views();
COMMIT;
BEGIN;
SET LOCAL attendance.acting_employee = 'all';
SELECT pg_temp.outcome($$SELECT count(*) FROM attendance.att_weekly_overtime$$) AS weekly,
       pg_temp.outcome($$SELECT count(*) FROM attendance.att_time_off_balance$$) AS time_off;
COMMIT;

-- c. _att_visible_orgs, rewritten with one multirange per org, names
--    exactly the orgs the former query named: for every login, and for the
--    application acting as each employee as of several days (the Line is
--    under Sister Co from 11-23; Dee in it from 11-18).
\c - regress_atkl_admin
:outcome
SELECT 'admin' AS login, * FROM public.atkl_orgs_compared();
\c - regress_atkl_hr
:outcome
SELECT 'hr' AS login, * FROM public.atkl_orgs_compared();
\c - regress_atkl_staff
:outcome
SELECT 'staff' AS login, * FROM public.atkl_orgs_compared();
\c - regress_atkl_nobody
:outcome
SELECT 'nobody' AS login, * FROM public.atkl_orgs_compared();
\c - regress_atkl_app
:outcome
CREATE FUNCTION pg_temp.orgs_as(actor bigint, as_of date) RETURNS TABLE (named bigint, only_before bigint, only_now bigint)
LANGUAGE sql AS $$
  SELECT set_config('attendance.acting_employee', actor::text, true), set_config('attendance.as_of', coalesce(to_char(as_of, 'YYYY-MM-DD'), ''), true);
  SELECT * FROM public.atkl_orgs_compared();
$$;
BEGIN;
SELECT a AS acting, count(*) AS as_of_days, min(o.named) AS fewest_named, max(o.named) AS most_named,
       sum(o.only_before) AS only_before, sum(o.only_now) AS only_now
  FROM unnest(ARRAY[9001, 9002, 9003, 2001, 2005, 2006, 2501]) a,
       unnest(ARRAY[NULL, '2025-06-01', '2026-11-17', '2026-11-20', '2026-11-23', '2026-11-30', '2026-12-31']::date[]) d,
       pg_temp.orgs_as(a, d) o
 GROUP BY a ORDER BY a;
COMMIT;

-- d. Make-up punch limits (the office: two a month within ten days; the
--    Plant: one a month within forty days). Today is 11-25.
\c - regress_atkl_admin
:outcome
SET search_path = attendance;
-- d1. Sato makes up two of Aiko's punches; the third is refused.
SELECT pg_temp.outcome($$SELECT att_make_up_punch(2001, '2026-11-16 12:00+00', 'forgot')$$) AS first,
       pg_temp.outcome($$SELECT att_make_up_punch(2001, '2026-11-17 12:00+00', 'forgot')$$) AS second,
       pg_temp.outcome($$SELECT att_make_up_punch(2001, '2026-11-18 12:00+00', 'forgot')$$) AS third;
-- d2. Another actor is held to the same count: hr, the application acting
--     as hr; Aiko herself (no one corrects their own days), Aiko for Chie,
--     the unmapped login: 42501 before any count.
\c - regress_atkl_hr
:outcome
SELECT pg_temp.outcome($$SELECT attendance.att_make_up_punch(2001, '2026-11-18 12:00+00', 'hr tries')$$) AS hr;
\c - regress_atkl_app
:outcome
BEGIN;
SET LOCAL attendance.acting_employee = '9003';
SELECT pg_temp.outcome($$SELECT attendance.att_make_up_punch(2001, '2026-11-18 12:00+00', 'app as hr')$$) AS app_as_hr;
SET LOCAL attendance.acting_employee = '2001';
SELECT pg_temp.outcome($$SELECT attendance.att_make_up_punch(2001, '2026-11-18 12:00+00', 'my own')$$) AS app_as_aiko;
-- the application's as-of date moves no window: 11-14 is eleven days
-- before today, whatever the day scope is judged as of
SET LOCAL attendance.acting_employee = '9003';
SET LOCAL attendance.as_of = '2026-11-10';
SELECT pg_temp.outcome($$SELECT attendance.att_make_up_punch(2002, '2026-11-14 12:00+00', 'as of 11-10')$$) AS app_as_of;
COMMIT;
\c - regress_atkl_staff
:outcome
SELECT pg_temp.outcome($$SELECT attendance.att_make_up_punch(2001, '2026-11-18 12:00+00', 'my own')$$) AS own,
       pg_temp.outcome($$SELECT attendance.att_make_up_punch(2002, '2026-11-18 12:00+00', 'a colleague')$$) AS colleague;
\c - regress_atkl_nobody
:outcome
SELECT pg_temp.outcome($$SELECT attendance.att_make_up_punch(2001, '2026-11-18 12:00+00', 'anyone')$$) AS nobody;
-- d3. Voiding gives one back, no more: after a void one more is allowed,
--     the next refused; voiding a device punch gives nothing back, voiding
--     twice fails. (BI logins cannot read punch: the ids come from the
--     superuser, as an application would show them.)
\c - postgres
:outcome
SELECT punch_id AS made_up_1116 FROM attendance.punch WHERE employee_id = 2001 AND at = '2026-11-16 12:00+00' AND source = 'make_up' \gset
SELECT punch_id AS device_1120 FROM attendance.punch WHERE employee_id = 2001 AND at = '2026-11-20 08:00+00' \gset
\c - regress_atkl_admin
:outcome
SET search_path = attendance;
SELECT pg_temp.outcome(format('SELECT att_void_punch(2001, %s, %L)', :made_up_1116, 'wrong day')) AS void_make_up;
SELECT pg_temp.outcome($$SELECT att_make_up_punch(2001, '2026-11-19 12:00+00', 'forgot')$$) AS after_void,
       pg_temp.outcome($$SELECT att_make_up_punch(2001, '2026-11-20 12:00+00', 'forgot')$$) AS next;
SELECT pg_temp.outcome(format('SELECT att_void_punch(2001, %s, %L)', :device_1120, 'duplicate')) AS void_device;
SELECT pg_temp.outcome($$SELECT att_make_up_punch(2001, '2026-11-20 12:00+00', 'forgot')$$) AS after_device_void;
SELECT pg_temp.outcome(format('SELECT att_void_punch(2001, %s, %L)', :made_up_1116, 'again')) AS void_twice;
-- d4. NULLs, extremes, other people's ids, the internal check.
SELECT pg_temp.outcome($$SELECT att_make_up_punch(NULL, '2026-11-20 12:00+00', 'x')$$) AS null_employee,
       pg_temp.outcome($$SELECT att_make_up_punch(2002, NULL, 'x')$$) AS null_at,
       pg_temp.outcome($$SELECT att_make_up_punch(2002, 'infinity', 'x')$$) AS infinite,
       pg_temp.outcome($$SELECT att_make_up_punch(2002, '294276-12-31 23:59:59+00', 'x')$$) AS last_instant,
       pg_temp.outcome($$SELECT att_make_up_punch(2002, '4713-11-24 00:00+00 BC', 'x')$$) AS first_instant;
SELECT pg_temp.outcome($$SELECT att_make_up_punch(9223372036854775807, '2026-11-20 12:00+00', 'x')$$) AS huge_id,
       pg_temp.outcome($$SELECT att_make_up_punch(2006, '2026-11-20 12:00+00', 'x')$$) AS plant,
       pg_temp.outcome($$SELECT att_make_up_punch(2501, '2026-11-20 12:00+00', 'x')$$) AS sister,
       pg_temp.outcome($$SELECT make_up_limit_check(2002, '2026-11-20 12:00+00')$$) AS internal,
       pg_temp.outcome($$SELECT att_make_up_punch(2002, '2026-11-14 12:00+00', 'x')$$) AS eleven_days_back;
-- d5. The session's zone moves no count: at 167 hours east, still two.
SET TimeZone = 'XXX-167';
SELECT pg_temp.outcome($$SELECT att_make_up_punch(2001, '2026-11-21 12:00+00', 'forgot')$$) AS far_east;
RESET TimeZone;
-- d6. Finding, fixed: make-up punches for days still to come. The window
--     bounded only how late a make-up punch comes; one for tomorrow or next
--     June was accepted (and counted in that month). Now a rule with a
--     window takes make-up punches for days up to today only (23514).
SELECT pg_temp.outcome($$SELECT att_make_up_punch(2002, '2026-11-26 09:00+00', 'in advance')$$) AS tomorrow,
       pg_temp.outcome($$SELECT att_make_up_punch(2002, '2027-06-01 09:00+00', 'in advance')$$) AS next_june;
-- d7. Finding, fixed: a night shift across the month's end. Eve's night
--     of Saturday 10-31 (22:00-06:00) ends on 11-01: the make-up check-out
--     was counted in November (the instant's date), so 10-31 was made whole
--     by two make-up punches under October's limit of one, and November's
--     one was gone before November had one of its own. A make-up punch now
--     counts for the day it serves (10-31): the check-out is refused, and
--     November's check-in is allowed.
\c - regress_atkl_hr
:outcome
SET search_path = attendance;
SELECT pg_temp.outcome($$SELECT att_make_up_punch(2006, '2026-10-31 22:00+00', 'forgot')$$) AS oct_31_in,
       pg_temp.outcome($$SELECT att_make_up_punch(2006, '2026-10-30 22:00+00', 'forgot')$$) AS oct_30_in,
       pg_temp.outcome($$SELECT att_make_up_punch(2006, '2026-11-01 06:00+00', 'forgot')$$) AS oct_31_out,
       pg_temp.outcome($$SELECT att_make_up_punch(2006, '2026-11-03 22:00+00', 'forgot')$$) AS nov_03_in;
\c - postgres
:outcome
SET client_min_messages = warning;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-25 12:00+00';
SELECT day, check_in, check_out, status FROM day_record WHERE employee_id = 2006 AND day IN ('2026-10-30', '2026-10-31') ORDER BY day;
SELECT p.at, d.day AS counted_for_day FROM punch p
  JOIN day_record d ON d.employee_id = p.employee_id AND p.at = ANY (d.check_in || d.check_out)
 WHERE p.employee_id = 2006 AND p.source = 'make_up' ORDER BY p.at;
-- d8. Concurrency. Two sessions of Sato (read committed): the second
--     waits for the first's lock and is refused once it commits. Chie has
--     one of her two November make-up punches left when they start.
SELECT public.atkl_connect('s1', 'regress_atkl_admin') AS s1, public.atkl_connect('s2', 'regress_atkl_admin') AS s2;
SELECT id > 0 AS first_of_two FROM dblink('s1', $$SELECT attendance.att_make_up_punch(2002, '2026-11-16 12:00+00', 'first of two')$$) AS t(id bigint);
SELECT * FROM public.atkl_make_ups() WHERE employee_id = 2002;
SELECT dblink_exec('s1', 'BEGIN') AS s1_begin;
SELECT id > 0 AS s1_ok FROM dblink('s1', $$SELECT attendance.att_make_up_punch(2002, '2026-11-17 12:00+00', 's1')$$) AS t(id bigint);
SELECT dblink_send_query('s2', $$SELECT attendance.att_make_up_punch(2002, '2026-11-18 12:00+00', 's2')$$) AS s2_sent;
DO $$
BEGIN
  FOR i IN 1..200 LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity WHERE usename = 'regress_atkl_admin' AND wait_event_type = 'Lock');
    PERFORM pg_sleep(0.05);
  END LOOP;
END $$;
SELECT count(*) AS s2_waits FROM pg_stat_activity WHERE usename = 'regress_atkl_admin' AND wait_event_type = 'Lock';
SELECT dblink_exec('s1', 'COMMIT') AS s1_commit;
SELECT count(*) AS s2_rows FROM dblink_get_result('s2', false) AS t(id bigint);
SELECT regexp_replace(dblink_error_message('s2'), E'\n.*', '', 's') AS s2_error;
SELECT count(*) AS s2_done FROM dblink_get_result('s2', false) AS t(id bigint);
SELECT * FROM public.atkl_make_ups() WHERE employee_id = 2002;
-- Finding, fixed: under REPEATABLE READ the count was read with the
-- transaction's snapshot: s2 took its snapshot, s1 took the last make-up
-- punch and committed, s2 took one more, three under a limit of two. A
-- make-up punch under a monthly limit now needs READ COMMITTED (0A000).
SELECT punch_id AS made_up_1117 FROM punch WHERE employee_id = 2002 AND at = '2026-11-17 12:00+00' AND source = 'make_up' \gset
SELECT * FROM dblink('s1', format('SELECT attendance.att_void_punch(2002, %s, %L) IS NULL', :made_up_1117, 'give one back')) AS t(s1_voided boolean);
SELECT dblink_exec('s2', 'BEGIN ISOLATION LEVEL REPEATABLE READ') AS s2_begin;
SELECT * FROM dblink('s2', 'SELECT count(*) FROM attendance.att_daily') AS t(days_read bigint);
SELECT id > 0 AS s1_ok FROM dblink('s1', $$SELECT attendance.att_make_up_punch(2002, '2026-11-19 12:00+00', 's1')$$) AS t(id bigint);
SELECT * FROM public.atkl_make_ups() WHERE employee_id = 2002;
SELECT id > 0 AS s2_third_ok FROM dblink('s2', $$SELECT attendance.att_make_up_punch(2002, '2026-11-20 12:00+00', 's2')$$) AS t(id bigint);
SELECT dblink_exec('s2', 'COMMIT') AS s2_commit;
SELECT * FROM public.atkl_make_ups() WHERE employee_id = 2002;
SELECT dblink_disconnect('s1'), dblink_disconnect('s2');

-- e. Punch sources. The sync role's direct inserts keep device, terminal
--    or mobile and nothing else; who recorded, why, when and the revision
--    are never the loader's (punch_as_recorded).
\c - regress_atkl_erp
:outcome
SET search_path = attendance;
-- e1. Direct inserts claiming a make-up punch, an appeal, the default, a
--     terminal and a phone, with a recorder, a reason, a recording time and
--     a revision; and COPY.
BEGIN;
INSERT INTO punch (employee_id, at, source, recorded_by, reason, recorded_at, revision, source_system, source_ref) VALUES
  (2002, '2026-11-10 12:01+00', 'make_up', 9003, 'forged', '2026-11-10 12:01+00', 7, 'erp', 'e1-1'),
  (2002, '2026-11-10 12:02+00', 'appeal', 9001, 'forged', '2026-01-01 00:00+00', -1, 'erp', 'e1-2'),
  (2002, '2026-11-10 12:03+00', DEFAULT, NULL, NULL, DEFAULT, DEFAULT, 'erp', 'e1-3'),
  (2002, '2026-11-10 12:04+00', 'terminal', 9003, 'kiosk', 'infinity', 3, 'erp', 'e1-4'),
  (2002, '2026-11-10 12:05+00', 'mobile', NULL, NULL, '-infinity', 0, 'erp', 'e1-5');
COPY punch (employee_id, at, source, recorded_by, reason, source_system, source_ref) FROM stdin;
2002	2026-11-10 12:06+00	make_up	9003	forged by copy	erp	e1-6
2002	2026-11-10 12:07+00	appeal	9001	forged by copy	erp	e1-7
\.
SELECT source_ref, source, recorded_by, reason, recorded_at = now() AS recorded_now, revision
  FROM punch WHERE source_ref LIKE 'e1-%' ORDER BY source_ref;
COMMIT;
-- e2. att_sync_punch refuses the kinds that are not the loader's (22023),
--     also for a reload of a row already loaded as a device punch.
SELECT pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2', '2026-11-10 12:10+00', NULL, NULL, 'make_up')$$) AS make_up,
       pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2', '2026-11-10 12:10+00', NULL, NULL, 'appeal')$$) AS appeal,
       pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2', '2026-11-10 12:10+00', NULL, NULL, NULL)$$) AS null_kind;
SELECT pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2', '2026-11-10 12:10+00')$$) AS device,
       pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2', '2026-11-10 12:10+00', NULL, NULL, 'make_up')$$) AS reload_as_make_up,
       pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2', '2026-11-10 12:10+00', NULL, NULL, 'mobile')$$) AS reload_as_mobile;
SELECT revision, source FROM punch WHERE source_ref = 'e2' ORDER BY revision;
-- NULLs, an infinite instant, an employee no one is, the last instant.
SELECT pg_temp.outcome($$SELECT att_sync_punch(NULL, 'erp', 'e2n', '2026-11-10 12:10+00')$$) AS null_employee,
       pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2n', 'infinity')$$) AS infinite,
       pg_temp.outcome($$SELECT att_sync_punch(9223372036854775807, 'erp', 'e2n', '2026-11-10 12:10+00')$$) AS no_one,
       pg_temp.outcome($$SELECT att_sync_punch(2002, 'erp', 'e2n', '294276-12-31 23:59:59+00')$$) AS last_instant;
-- e3. Finding (low, reported): the sync role picks punch ids
--     (OVERRIDING SYSTEM VALUE) and takes the next ones of Dee's: the make-up
--     punch hr then adds for her fails on the key (23505), as would any
--     punch of hers, until the identity passes the ids taken.
SELECT max(punch_id) + 1 AS next_id FROM punch \gset
INSERT INTO punch (employee_id, punch_id, at) OVERRIDING SYSTEM VALUE
SELECT 2005, g, '2026-11-10 12:30+00' FROM generate_series(:next_id, :next_id + 2) g;
\c - regress_atkl_hr
:outcome
SELECT pg_temp.outcome($$SELECT attendance.att_make_up_punch(2005, '2026-11-16 12:00+00', 'forgot')$$) AS hr_make_up;
-- e4. No BI or application login inserts punches (42501).
\c - regress_atkl_admin
:outcome
SELECT pg_temp.outcome($$INSERT INTO attendance.punch (employee_id, at) VALUES (2001, '2026-11-10 12:00+00')$$) AS admin;
\c - regress_atkl_app
:outcome
BEGIN;
SET LOCAL attendance.acting_employee = '9003';
SELECT pg_temp.outcome($$INSERT INTO attendance.punch (employee_id, at) VALUES (2001, '2026-11-10 12:00+00')$$) AS app;
COMMIT;

-- f. New rule versions refuse idle absence thresholds (rule_version_check_new);
--    a row with an earlier created_at is taken as a reload and skips that.
--    Not a hole: what gets through is a setting evaluation never reads.
\c - regress_atkl_erp
:outcome
SET search_path = attendance;
INSERT INTO rule (rule_id, name, erp_managed) VALUES (5, 'erp calendar', true);
\set idle '{"name": "erp calendar", "system": "standard", "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "17:00"}]}], "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "absenteeism": {"enabled": true, "late_over_minutes": 30, "unit_minutes": 30, "situations": {"no_punch_all_day": true}}, "time_zone": "UTC"}'
\set plain '{"name": "erp calendar", "system": "standard", "punch_mode": "fixed", "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "17:00"}]}], "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}}, "time_zone": "UTC"}'
-- f1. Now, a moment ago, the beginning of time, the end of time, NULL.
SELECT pg_temp.outcome(format('INSERT INTO rule_version (rule_id, valid_from, config) VALUES (5, %L, %L)', '2026-01-01', :'idle')) AS now,
       pg_temp.outcome(format('INSERT INTO rule_version (rule_id, valid_from, config, created_at) VALUES (5, %L, %L, %L)', '2026-02-01', :'idle', 'infinity')) AS later,
       pg_temp.outcome(format('INSERT INTO rule_version (rule_id, valid_from, config, created_at) VALUES (5, %L, %L, NULL)', '2026-03-01', :'idle')) AS null_time;
SELECT pg_temp.outcome(format('INSERT INTO rule_version (rule_id, valid_from, config, created_at) VALUES (5, %L, %L, %L)', '2026-04-01', :'idle', '-infinity')) AS reload_from_ever,
       pg_temp.outcome(format('INSERT INTO rule_version (rule_id, valid_from, config, created_at) VALUES (5, %L, %L, now() - interval %L)', '2026-05-01', :'idle', '1 microsecond')) AS reload_a_moment_ago;
-- f2. A changed configuration is checked whatever created_at says; created_at
--     itself is the loader's to set (an audit time it may backdate).
SELECT pg_temp.outcome(format('UPDATE rule_version SET config = %L, created_at = %L WHERE rule_id = 5 AND valid_from = %L', :'idle', '-infinity', '2026-04-01')) AS update_config,
       pg_temp.outcome(format('UPDATE rule_version SET created_at = %L WHERE rule_id = 5 AND valid_from = %L', '2000-01-01', '2026-05-01')) AS update_time,
       pg_temp.outcome(format('INSERT INTO rule_version (rule_id, valid_from, config, created_at) VALUES (5, %L, %L, %L) ON CONFLICT (rule_id, valid_from) DO UPDATE SET config = excluded.config', '2026-04-01', :'idle', '-infinity')) AS upsert;
-- f3. What got through judges every day as the version without it does
--     (days late, absent, on time, without punches).
SELECT count(*) AS days_compared, count(*) FILTER (WHERE a IS DISTINCT FROM b) AS days_that_differ
  FROM (VALUES ('2026-11-16'::date, ARRAY['2026-11-16 09:45+00', '2026-11-16 17:00+00']::timestamptz[]),
               ('2026-11-17', ARRAY['2026-11-17 10:30+00', '2026-11-17 16:00+00']::timestamptz[]),
               ('2026-11-18', ARRAY['2026-11-18 08:59+00', '2026-11-18 17:01+00']::timestamptz[]),
               ('2026-11-19', ARRAY['2026-11-19 11:00+00']::timestamptz[]),
               ('2026-11-20', ARRAY[]::timestamptz[]),
               ('2026-11-21', ARRAY[]::timestamptz[])) x(day, punches),
       LATERAL (SELECT md5(string_agg(r::text, ',')) FROM att_evaluate_rule(:'idle'::jsonb, x.day, x.punches) r) a0(a),
       LATERAL (SELECT md5(string_agg(r::text, ',')) FROM att_evaluate_rule(:'plain'::jsonb, x.day, x.punches) r) b0(b);
-- f4. BI and application logins write no rule version (42501).
\c - regress_atkl_admin
:outcome
SELECT pg_temp.outcome(format('INSERT INTO attendance.rule_version (rule_id, valid_from, config, created_at) VALUES (1, %L, %L, %L)', '2026-12-01', :'plain', '-infinity')) AS admin;
-- f5. The validator itself, called directly: NULL, a nested document, a big one.
SELECT attendance.att_rule_validate_new(NULL) IS NULL AS null_is_null,
       pg_temp.outcome(format('SELECT attendance.att_rule_validate_new(%L)', repeat('[', 10000) || repeat(']', 10000))) AS nested,
       pg_temp.outcome(format('SELECT attendance.att_rule_validate_new(%L)', jsonb_build_object('name', repeat('x', 1000000)))) AS big;

-- g. The scope cache (_att_view_scope keeps the last scope it computed in
--    the backend). Each read must be the scope the reading statement would
--    compute: never one computed before a change it can see, nor another
--    asker's.
\c - postgres
:outcome
SET client_min_messages = warning;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-25 12:00+00';
-- g1. Finding, fixed: a grant revoked (and a punch added) by another
--     session while Sato's read-committed transaction is open. Each of his
--     statements sees the revocation (a policy on a later statement reads
--     the tables afresh); the cache served the scope of his first statement
--     for the whole transaction, new rows of Sales included.
SELECT public.atkl_connect('sato', 'regress_atkl_admin') AS sato;
SELECT dblink_exec('sato', 'BEGIN') AS sato_begin;
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id), count(*) FROM attendance.att_daily') AS t(employees bigint, days bigint);
DELETE FROM admin_grant WHERE admin_id = 9001;
INSERT INTO punch (employee_id, at) VALUES (2002, '2026-11-25 08:00+00');
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id), count(*) FROM attendance.att_daily') AS t(employees bigint, days bigint);
SELECT * FROM dblink('sato', $$SELECT count(*) FROM attendance.att_daily WHERE employee_id = 2002 AND day = '2026-11-25' AND first_check_in IS NOT NULL$$) AS t(new_punch_seen bigint);
SELECT * FROM dblink('sato', 'SELECT count(*) FROM attendance.att_weekly_overtime WHERE employee_id <> 9001') AS t(others_weeks bigint);
SELECT * FROM dblink('sato', 'SELECT count(*) FROM attendance.att_time_off_balance') AS t(balances bigint);
SELECT dblink_exec('sato', 'COMMIT') AS sato_commit;
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id), count(*) FROM attendance.att_daily') AS t(employees bigint, days bigint);
-- the grant given back: the same transaction sees it again at once
SELECT dblink_exec('sato', 'BEGIN') AS sato_begin;
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id) FROM attendance.att_daily') AS t(employees bigint);
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (9001, 10, 'admin', '[2026-01-01,)');
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id) FROM attendance.att_daily') AS t(employees bigint);
SELECT dblink_exec('sato', 'COMMIT') AS sato_commit;
-- g2. Under REPEATABLE READ his transaction keeps its snapshot, and the
--     scope it read with it: a revocation after the snapshot is not seen,
--     as by any of his statements.
SELECT dblink_exec('sato', 'BEGIN ISOLATION LEVEL REPEATABLE READ') AS sato_begin;
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id) FROM attendance.att_daily') AS t(employees bigint);
DELETE FROM admin_grant WHERE admin_id = 9001;
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id) FROM attendance.att_daily') AS t(employees bigint);
SELECT dblink_exec('sato', 'COMMIT') AS sato_commit;
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (9001, 10, 'admin', '[2026-01-01,)');
SELECT dblink_disconnect('sato');
-- g3. Finding, fixed: ROLLBACK TO SAVEPOINT after a write. The HR
--     application (here the superuser) grants Sato the Plant in a
--     savepoint, reads as him, rolls the savepoint back: the grant is gone,
--     the cache still gave the Plant (the command id does not go back).
BEGIN;
SET LOCAL attendance.acting_employee = '9001';
SELECT count(DISTINCT employee_id) AS before_grant FROM _att_visible_spans();
SAVEPOINT grant_plant;
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (9001, 20, 'admin', '[2026-01-01,)');
SELECT count(DISTINCT employee_id) AS with_grant FROM _att_visible_spans();
ROLLBACK TO SAVEPOINT grant_plant;
SELECT count(*) AS plant_grants FROM admin_grant WHERE admin_id = 9001 AND org_id = 20;
SELECT count(DISTINCT employee_id) AS after_rollback_to FROM _att_visible_spans();
SET LOCAL ROLE regress_atkl_admin;
SELECT count(*) AS eve_days_read FROM attendance.att_daily WHERE employee_id = 2006;
COMMIT;
-- the same with the exception block of a function (a subtransaction too)
BEGIN;
SET LOCAL attendance.acting_employee = '9001';
DO $$
DECLARE n bigint;
BEGIN
  BEGIN
    INSERT INTO attendance.admin_grant (admin_id, org_id, kind, period) VALUES (9001, 20, 'admin', '[2026-01-01,)');
    SELECT count(DISTINCT employee_id) INTO n FROM attendance._att_visible_spans();
    RAISE EXCEPTION 'undo the grant (% seen)', n;
  EXCEPTION WHEN raise_exception THEN
    NULL;
  END;
END $$;
SELECT count(DISTINCT employee_id) AS after_exception FROM _att_visible_spans();
COMMIT;
-- g4. Finding, fixed: a cursor Sato opened before a revocation by another
--     session. Its fetch reads with the cursor's snapshot (the grant still
--     there, rightly for the cursor); the cache gave that scope to his
--     statements after it, which see the revocation.
SELECT public.atkl_connect('sato', 'regress_atkl_admin') AS sato;
SELECT dblink_exec('sato', 'BEGIN') AS sato_begin;
SELECT dblink_exec('sato', 'DECLARE before_revoke CURSOR FOR SELECT count(DISTINCT employee_id) FROM attendance.att_daily') AS sato_declare;
DELETE FROM admin_grant WHERE admin_id = 9001;
SELECT * FROM dblink('sato', 'FETCH before_revoke') AS t(cursor_employees bigint);
SELECT * FROM dblink('sato', 'SELECT count(DISTINCT employee_id) FROM attendance.att_daily') AS t(employees_after_fetch bigint);
SELECT dblink_exec('sato', 'COMMIT') AS sato_commit;
SELECT dblink_disconnect('sato');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (9001, 10, 'admin', '[2026-01-01,)');
INSERT INTO public.atkl_saved VALUES ('after g4', public.atkl_state());
-- In the transaction that revokes, a cursor declared before the revocation
-- reads the scope with its own snapshot, as in g4 and as PostgreSQL's own
-- policies read their tables (the scope policy computes the scope as a
-- value of the cursor's query): its fetch still shows what the login saw
-- when it was declared; the next statement sees the revocation.
BEGIN;
SET LOCAL ROLE regress_atkl_admin;
DECLARE before_revoke CURSOR FOR SELECT count(DISTINCT employee_id) FROM attendance.att_daily;
RESET ROLE;
DELETE FROM admin_grant WHERE admin_id = 9001;
SET LOCAL ROLE regress_atkl_admin;
FETCH before_revoke;
SELECT count(DISTINCT employee_id) AS after_fetch FROM attendance.att_daily;
ROLLBACK;
-- g5. A grant revoked in the same transaction: seen by the next statement.
BEGIN;
SET LOCAL ROLE regress_atkl_admin;
SELECT count(DISTINCT employee_id) AS before_revoke FROM attendance.att_daily;
RESET ROLE;
DELETE FROM admin_grant WHERE admin_id = 9001;
SET LOCAL ROLE regress_atkl_admin;
SELECT count(DISTINCT employee_id) AS after_revoke FROM attendance.att_daily;
ROLLBACK;
-- g6. SET ROLE within a transaction: each role its own scope.
BEGIN;
SET LOCAL ROLE regress_atkl_admin;
SELECT 'admin' AS role, count(DISTINCT employee_id) AS employees, count(*) AS days FROM attendance.att_daily;
SET LOCAL ROLE regress_atkl_staff;
SELECT 'staff' AS role, count(DISTINCT employee_id) AS employees, count(*) AS days FROM attendance.att_daily;
SET LOCAL ROLE regress_atkl_hr;
SELECT 'hr' AS role, count(DISTINCT employee_id) AS employees, count(*) AS days FROM attendance.att_daily;
SET LOCAL ROLE regress_atkl_nobody;
SELECT 'nobody' AS role, count(DISTINCT employee_id) AS employees, count(*) AS days FROM attendance.att_daily;
SET LOCAL ROLE regress_atkl_admin;
SELECT 'admin' AS role, count(DISTINCT employee_id) AS employees, count(*) AS days FROM attendance.att_daily;
COMMIT;
-- g7. A definer function of another role, in one statement with the
--     asker's own read: the asker's scope in both (the asker is the
--     session's role, whoever owns the function), Aiko's for Aiko, Kimura's
--     for Kimura.
CREATE FUNCTION public.atkl_hr_counts() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT count(DISTINCT employee_id) FROM attendance.att_daily $$;
ALTER FUNCTION public.atkl_hr_counts() OWNER TO regress_atkl_hr;
CREATE FUNCTION public.atkl_staff_counts() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT count(DISTINCT employee_id) FROM attendance.att_daily $$;
ALTER FUNCTION public.atkl_staff_counts() OWNER TO regress_atkl_staff;
GRANT EXECUTE ON FUNCTION public.atkl_hr_counts(), public.atkl_staff_counts() TO PUBLIC;
\c - regress_atkl_staff
:outcome
SELECT (SELECT count(DISTINCT employee_id) FROM attendance.att_daily) AS own, public.atkl_hr_counts() AS in_hr_function,
       (SELECT count(DISTINCT employee_id) FROM attendance.att_daily) AS own_again;
\c - regress_atkl_hr
:outcome
SELECT public.atkl_staff_counts() AS in_staff_function, (SELECT count(DISTINCT employee_id) FROM attendance.att_daily) AS own,
       public.atkl_staff_counts() AS in_staff_function_again;
-- g8. A plain login's acting-employee and as-of settings, set after a read
--     in the same transaction (LOCAL), in a function's SET clause, mid-statement:
--     ignored.
\c - regress_atkl_staff
:outcome
BEGIN;
SELECT count(DISTINCT employee_id) AS own FROM attendance.att_daily;
SET LOCAL attendance.acting_employee = '9003';
SET LOCAL attendance.as_of = '2026-01-01';
SELECT count(DISTINCT employee_id) AS after_set_local FROM attendance.att_daily;
SELECT count(DISTINCT employee_id) AS mid_statement FROM attendance.att_daily
 WHERE set_config('attendance.acting_employee', '9003', true) IS NOT NULL;
SELECT count(DISTINCT employee_id) AS after FROM attendance._att_visible_spans();
COMMIT;
-- g9. The application changing its acting employee within a transaction
--     and within one statement (a function acting for hr, then for Sato
--     again): each read is the scope of whom it acts for.
\c - regress_atkl_app
:outcome
CREATE FUNCTION pg_temp.as_hr() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  PERFORM set_config('attendance.acting_employee', '9003', true);
  SELECT count(DISTINCT employee_id) INTO n FROM attendance.att_daily;
  PERFORM set_config('attendance.acting_employee', '9001', true);
  RETURN n;
END $$;
BEGIN;
SET LOCAL attendance.acting_employee = '9001';
SELECT count(DISTINCT employee_id) AS as_sato FROM attendance.att_daily;
SET LOCAL attendance.acting_employee = '2001';
SELECT count(DISTINCT employee_id) AS as_aiko FROM attendance.att_daily;
SET LOCAL attendance.acting_employee = '9001';
SELECT (SELECT count(DISTINCT employee_id) FROM attendance.att_daily) AS as_sato, pg_temp.as_hr() AS as_kimura,
       (SELECT count(DISTINCT employee_id) FROM attendance.att_daily) AS as_sato_again,
       (SELECT count(*) FROM attendance.att_time_off_balance) AS sato_balances;
SET LOCAL attendance.as_of = '2025-06-01';
SELECT count(DISTINCT employee_id) AS as_sato_in_2025 FROM attendance.att_daily;
RESET attendance.as_of;
SET LOCAL attendance.acting_employee = '';
SELECT count(*) AS as_no_one FROM attendance.att_daily;
COMMIT;

\c - postgres
:outcome
SET client_min_messages = warning;
SET search_path = attendance, public;
-- g5 to g9 changed no punch, void, day or rule version (they wrote only
-- in transactions rolled back).
SELECT label, state = public.atkl_state() AS unchanged FROM public.atkl_saved WHERE label = 'after g4';
SELECT * FROM public.atkl_make_ups();

-- h. The refresh locks are out of a login's reach. Staff holds, in a
--    session of her own, every advisory lock whose keys spell what the
--    refresh locks' tags hold (0x61747464 and each of the 256 buckets and
--    the gate, -1), in both the bigint and the two-integer form; a punch
--    the superuser records in this session still goes through at once
--    (lock_timeout 2 s), and the locks its refresh holds are its own kind
--    (objsubid 24948; the advisory functions mark theirs 1 or 2). She may
--    not call the lock function.
SELECT public.atkl_connect('h1', 'regress_atkl_staff');
SELECT held FROM dblink('h1', $$SELECT count(pg_advisory_lock(1635021924, k)) + count(pg_advisory_lock((1635021924::bigint << 32) | (k::bigint & 4294967295)))
                                 FROM generate_series(-1, 255) k$$) AS t(held bigint);
BEGIN;
SET LOCAL lock_timeout = '2s';
INSERT INTO punch (employee_id, at) VALUES (2002, '2026-12-14 09:03+00');
SELECT count(*) > 0 AS refresh_locks_held, min(objsubid) AS kind FROM pg_locks
 WHERE pid = pg_backend_pid() AND locktype = 'advisory';
SELECT count(*) AS staff_holds, array_agg(DISTINCT objsubid ORDER BY objsubid) AS kinds FROM pg_locks
 WHERE pid <> pg_backend_pid() AND locktype = 'advisory' AND granted;
ROLLBACK;
SELECT dblink_disconnect('h1');
\c - regress_atkl_staff
:outcome
SELECT pg_temp.outcome($$SELECT attendance._att_lock_refreshes(ARRAY[2002]::bigint[], false)$$) AS staff_locks;
\c - postgres
:outcome
SET search_path = attendance, public;

-- i. Evaluation reads the rule and punch tables as its caller (the
--    loader's direct index reads serve only a caller who may read a table
--    whole). Staff, granted as README says, is refused for her own days and
--    another's alike; granted SELECT on every table, under a policy that
--    shows her only her own punches, she evaluates a colleague's day
--    without his punches, one by one and in a batch.
\c - regress_atkl_staff
:outcome
SELECT pg_temp.outcome($$SELECT count(*) FROM attendance.att_evaluate_day(2001, '2026-11-16')$$) AS own_day,
       pg_temp.outcome($$SELECT count(*) FROM attendance.att_evaluate_day(2002, '2026-11-16')$$) AS colleagues_day,
       pg_temp.outcome($$SELECT count(*) FROM attendance.att_evaluate(ARRAY[2002, 2003]::bigint[], '[2026-11-16,2026-11-17)')$$) AS batch;
\c - postgres
:outcome
SET search_path = attendance, public;
CREATE TEMP TABLE atkl_days AS
  SELECT employee_id, day, check_in FROM day_record
   WHERE employee_id = 2002 AND day BETWEEN '2026-11-02' AND '2026-11-20' AND check_in IS NOT NULL AND cardinality(check_in) > 0;
GRANT SELECT ON atkl_days TO regress_atkl_staff;
SELECT count(*) > 0 AS colleague_has_punched_days FROM atkl_days;
BEGIN;
GRANT SELECT ON ALL TABLES IN SCHEMA attendance TO regress_atkl_staff;
CREATE POLICY atkl_own ON punch USING (employee_id = 2001);
ALTER TABLE punch ENABLE ROW LEVEL SECURITY;
SELECT count(*) AS days, count(*) FILTER (WHERE e.check_in <> '{}' AND e.check_in IS DISTINCT FROM ARRAY[NULL]::timestamptz[]) AS with_punches_as_superuser
  FROM atkl_days k, LATERAL attendance.att_evaluate_day(k.employee_id, k.day) e;
SET LOCAL ROLE regress_atkl_staff;
SELECT count(*) AS days, count(*) FILTER (WHERE e.check_in <> '{}' AND e.check_in IS DISTINCT FROM ARRAY[NULL]::timestamptz[]) AS with_punches_seen
  FROM atkl_days k, LATERAL attendance.att_evaluate_day(k.employee_id, k.day) e;
SELECT count(*) FILTER (WHERE e.check_in <> '{}' AND e.check_in IS DISTINCT FROM ARRAY[NULL]::timestamptz[]) AS with_punches_seen_in_a_batch
  FROM attendance.att_evaluate(ARRAY[2002]::bigint[], '[2026-11-02,2026-11-21)') e JOIN atkl_days k USING (employee_id, day);
ROLLBACK;
DROP TABLE atkl_days;

-- Findings: a2 (the overtime settings function answers about shift names
-- and version dates of any rule: documented); e3 (the sync role takes
-- punch ids: open); fixed: d6 (make-up punches for days to come), d7 (a
-- night shift's make-up check-out counted in the next month), d8
-- (REPEATABLE READ passed the make-up limit), g1, g3, g4 (the scope cache
-- served a scope computed before a change the statement sees: the cache
-- key is the statement's snapshot and subtransaction).
DROP TABLE public.atkl_saved;
DROP FUNCTION public.atkl_views(), public.atkl_orgs_compared(), public.atkl_expected_days(), public.atkl_expected_weeks(),
  public.atkl_expected_time_off(), public.atkl_state(), public.atkl_make_ups(), public.atkl_connect(text, text),
  public.atkl_hr_counts(), public.atkl_staff_counts();
DROP EXTENSION dblink;
DROP OWNED BY regress_atkl_erp, regress_atkl_admin, regress_atkl_hr, regress_atkl_staff, regress_atkl_nobody, regress_atkl_app;
DROP ROLE regress_atkl_erp, regress_atkl_admin, regress_atkl_hr, regress_atkl_staff, regress_atkl_nobody, regress_atkl_app;

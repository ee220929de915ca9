-- A synthetic company for the SQL benchmarks: an org tree, employees, rules,
-- a month of punches with realistic noise, leave, holidays and schedules,
-- generated set-based (INSERT ... SELECT generate_series) and deterministic
-- (every choice is a hash of the employee and the day).
--
-- Recreates the extension in the current database, so run it on a scratch
-- database only:
--   psql -v employees=10000 -v mode=simple -f benches/sql/company.sql
-- psql variables (or the environment variables in brackets when the psql
-- variable is not set):
--   employees  (BENCH_EMPLOYEES)  number of employees, default 10000
--   mode       (BENCH_MODE)       simple (default 'mixed'):
--     mixed:  company > departments > teams; six rules covering the four
--             systems (standard, flexible, odd/even week, scheduled) and
--             both punch modes, one of them versioned mid-month and some
--             employees named individually; lateness, early leave, missing
--             punches, night shifts, overtime, rest-day work, leave and
--             business trips, two public holidays and a make-up Saturday,
--             a rota for the scheduled employees;
--     simple: the same org tree, every employee under one rule (standard,
--             09:00-18:00 Asia/Shanghai, allowance 5 min, late or early over
--             60 min absent in 30-minute steps, a missing punch absent), no
--             holidays, no leave, punches on the weekdays of the month with
--             noise (benches/sql/reference.sql re-implements this rule).
--   month      (BENCH_MONTH)      first day of the month, default 2026-10-01
--   months     (BENCH_MONTHS)     months generated from month on, default 1
--                                  (the first month is the same as with 1;
--                                  the holidays stay in the first month)
--   version                         the release to install (default the
--                                  current one; tests/citus upgrades an
--                                  earlier one in place)
--
-- What it leaves behind:
--   org 1 is the company; departments 100 + d; teams 10000 + 100 * d + t;
--   employees 1 .. :employees, each with a primary membership in a team from
--   2026-01-01 on, or from month on when it is earlier (the grants and rule
--   versions start then too); employee :employees + 1 is admin of the even
--   departments, employee :employees + 2 is hr of the whole company (both
--   are members of the company root, so they are employees with their own
--   days too); bench.setting holds the parameters (employees, mode, month,
--   days: every generated day, company, admin, hr, months) for the scripts
--   that load this one.
-- Punches, excuses and schedules are loaded with session_replication_role =
-- replica, as a restore does: nothing is evaluated while loading, and
-- day_record stays empty (materialise with attendance.att_refresh_org).

\set ON_ERROR_STOP on
SET client_min_messages = warning;

\if :{?employees}
\else
\getenv employees BENCH_EMPLOYEES
\endif
\if :{?employees}
\else
\set employees 10000
\endif
\if :{?mode}
\else
\getenv mode BENCH_MODE
\endif
\if :{?mode}
\else
\set mode mixed
\endif
\if :{?month}
\else
\getenv month BENCH_MONTH
\endif
\if :{?month}
\else
\set month 2026-10-01
\endif
\if :{?months}
\else
\getenv months BENCH_MONTHS
\endif
\if :{?months}
\else
\set months 1
\endif
-- since: when employment, grants and rules begin; until: the end (exclusive)
-- of the generated days; month_index numbers months so each draws anew.
SELECT least(date :'month', date '2026-01-01') AS since,
       (date :'month' + :months * interval '1 month')::date AS until,
       extract(year FROM date :'month')::int * 12 + extract(month FROM date :'month')::int AS month_index \gset
SELECT :'mode' IN ('mixed', 'simple') AS mode_ok \gset
\if :mode_ok
\else
\echo 'company.sql: mode must be mixed or simple, got' :'mode'
SELECT 1/0 AS bad_mode;
\endif

DROP EXTENSION IF EXISTS attendance CASCADE;
\if :{?version}
CREATE EXTENSION attendance VERSION :'version' CASCADE;
\else
CREATE EXTENSION attendance CASCADE;
\endif
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

CREATE TABLE bench.setting AS
SELECT :employees::int AS employees, :'mode'::text AS mode, date :'month' AS month,
       daterange(date :'month', date :'until') AS days,
       1::bigint AS company, :employees::bigint + 1 AS admin, :employees::bigint + 2 AS hr,
       :months::int AS months;

-- The org tree: teams of 50, ten teams to a department.
SELECT ceil(:employees / 50.0)::int AS teams, ceil(ceil(:employees / 50.0) / 10.0)::int AS departments \gset
INSERT INTO attendance.org (org_id, parent_id, name) VALUES (1, NULL, 'Bench Co');
INSERT INTO attendance.org (org_id, parent_id, name)
SELECT 100 + d, 1, 'department ' || d FROM generate_series(0, :departments - 1) d;
INSERT INTO attendance.org (org_id, parent_id, name)
SELECT 10000 + 100 * (t / 10) + t % 10, 100 + t / 10, 'team ' || t / 10 || '.' || t % 10
  FROM generate_series(0, :teams - 1) t;

-- Employee e works in team (e - 1) / 50.
CREATE FUNCTION bench.team_of(e bigint) RETURNS bigint LANGUAGE sql IMMUTABLE
RETURN 10000 + 100 * (((e - 1) / 50) / 10) + ((e - 1) / 50) % 10;
CREATE FUNCTION bench.team_index(e bigint) RETURNS int LANGUAGE sql IMMUTABLE
RETURN ((e - 1) / 50)::int;
-- Draw n (0..2) for employee e on day d, in 0 .. modulus - 1; the draws
-- of the first month are those of a one-month company.
CREATE FUNCTION bench.draw(e bigint, d date, n int, modulus int) RETURNS int LANGUAGE sql IMMUTABLE
RETURN abs(mod(hashint8extended(e * 64 + extract(day FROM d)::int,
                                3 * (extract(year FROM d)::int * 12 + extract(month FROM d)::int - :month_index) + n), modulus))::int;

SET session_replication_role = replica;   -- loading: no triggers, no per-row checks
INSERT INTO attendance.employee
SELECT e, 'employee ' || e FROM generate_series(1, :employees) e;
INSERT INTO attendance.employee VALUES (:employees + 1, 'bench admin (even departments)'), (:employees + 2, 'bench hr (company)');
INSERT INTO attendance.membership (employee_id, org_id, period)
SELECT e, bench.team_of(e), daterange(:'since', NULL) FROM generate_series(1, :employees) e;
INSERT INTO attendance.membership (employee_id, org_id, period)
VALUES (:employees + 1, 1, daterange(:'since', NULL)), (:employees + 2, 1, daterange(:'since', NULL));
SET session_replication_role = origin;
INSERT INTO attendance.admin_grant (admin_id, org_id, kind, period)
SELECT :employees + 1, 100 + d, 'admin', daterange(:'since', NULL) FROM generate_series(0, :departments - 1, 2) d;
INSERT INTO attendance.admin_grant (admin_id, org_id, kind, period) VALUES (:employees + 2, 1, 'hr', daterange(:'since', NULL));

-- The simple rule, used by both modes (the whole company in simple mode).
INSERT INTO attendance.rule (rule_id, name) VALUES (1, 'Simple');
INSERT INTO attendance.rule_version (rule_id, valid_from, config) VALUES (1, :'since', '{
  "name": "Simple", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
  "tolerance": {"late_minutes": 5, "early_minutes": 5},
  "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
    "situations": {"no_punch_all_day": true, "missing_check_in": true, "missing_check_out": true,
                   "late_beyond": true, "early_beyond": true}},
  "time_zone": "Asia/Shanghai"}');
INSERT INTO attendance.rule_org (org_id, rule_id) VALUES (1, 1);

SELECT :'mode' = 'simple' AS simple \gset

\if :simple
-- ---------------------------------------------------------------- simple --
-- One draw per employee-day decides the day (h, 0..999); two more give
-- minutes and seconds. Weekdays: 1.5% no punch, 2% only a check-in, 0.5%
-- only an afternoon punch, 10% late 1..120 min, 5% early 1..120 min, 1.5%
-- late and early, 2% a third punch at lunch, 0.5% a check-out after
-- midnight (some after 01:30, where the next day's punches begin), 1% edge
-- cases at the allowance and absence thresholds, the rest on time give or
-- take; 1% of Saturdays worked.
CREATE TEMP TABLE plan AS
SELECT e::bigint AS e, d::date AS day, extract(isodow FROM d)::int AS dow,
       bench.draw(e, d::date, 0, 1000) AS h,
       bench.draw(e, d::date, 1, 1000000) AS m,
       bench.draw(e, d::date, 2, 1000000) AS m2
  FROM generate_series(1, :employees) e,
       generate_series(date :'month', date :'until' - 1, interval '1 day') d;

SET session_replication_role = replica;
INSERT INTO attendance.punch (employee_id, at)
SELECT p.e, (p.day + v.t) AT TIME ZONE 'Asia/Shanghai'
  FROM plan p
 CROSS JOIN LATERAL (
   SELECT CASE
            WHEN p.h < 35 OR p.h BETWEEN 140 AND 189 OR p.h BETWEEN 205 AND 229 OR p.h >= 240
              THEN interval '08:15' + make_interval(mins => p.m % 50, secs => p.m2 % 60)
            WHEN p.h BETWEEN 40 AND 139 THEN interval '09:00' + make_interval(mins => 1 + p.m % 120, secs => p.m2 % 60)
            WHEN p.h BETWEEN 190 AND 204 THEN interval '09:00' + make_interval(mins => 1 + p.m % 40, secs => p.m2 % 60)
          END AS t_in,
          CASE
            WHEN p.h BETWEEN 35 AND 39 THEN interval '18:00' + make_interval(mins => p.m % 30)
            WHEN p.h BETWEEN 140 AND 189 THEN interval '18:00' - make_interval(mins => 1 + p.m % 120, secs => p.m2 % 60)
            WHEN p.h BETWEEN 190 AND 204 THEN interval '18:00' - make_interval(mins => 1 + p.m2 % 90, secs => p.m % 60)
            WHEN p.h BETWEEN 225 AND 229 THEN interval '24 hours' + make_interval(mins => p.m % 100, secs => p.m2 % 60)
            WHEN p.h BETWEEN 40 AND 139 OR p.h BETWEEN 205 AND 224 OR p.h >= 240
              THEN interval '18:00' + make_interval(mins => p.m2 % 90, secs => p.m % 60)
          END AS t_out
 ) x
 CROSS JOIN LATERAL (VALUES
   (x.t_in), (x.t_out),
   (CASE WHEN p.h BETWEEN 205 AND 224 THEN interval '12:00' + make_interval(mins => p.m % 60) END),
   -- edge cases: in exactly at or around the allowance (09:05:59, 09:06) and the
   -- absence threshold (10:00:59, 10:01), out the same way (17:54:01, 17:54,
   -- 16:59:01, 16:59), two identical punches, both punches before the start
   (CASE p.h - 230 WHEN 0 THEN interval '09:05:59' WHEN 1 THEN interval '09:06' WHEN 2 THEN interval '10:00:59'
                   WHEN 3 THEN interval '10:01' WHEN 4 THEN interval '08:59:59' WHEN 5 THEN interval '08:59'
                   WHEN 6 THEN interval '08:50' WHEN 7 THEN interval '08:40' WHEN 8 THEN interval '09:20'
                   WHEN 9 THEN interval '07:10' END),
   (CASE p.h - 230 WHEN 0 THEN interval '18:00' WHEN 1 THEN interval '18:00' WHEN 2 THEN interval '18:00'
                   WHEN 3 THEN interval '18:00' WHEN 4 THEN interval '17:54:01' WHEN 5 THEN interval '17:54'
                   WHEN 6 THEN interval '16:59:01' WHEN 7 THEN interval '16:59' WHEN 8 THEN interval '09:20'
                   WHEN 9 THEN interval '07:55' END)
 ) v(t)
 WHERE p.dow <= 5 AND p.h >= 15 AND v.t IS NOT NULL
UNION ALL
SELECT p.e, (p.day + v.t) AT TIME ZONE 'Asia/Shanghai'
  FROM plan p CROSS JOIN LATERAL (VALUES (interval '10:00' + make_interval(mins => p.m % 30)),
                                         (interval '15:00' + make_interval(mins => p.m2 % 30))) v(t)
 WHERE p.dow = 6 AND p.h < 10;
SET session_replication_role = origin;

\else
-- ----------------------------------------------------------------- mixed --
-- Teams take rules in turn (t % 6): 0 the simple rule, 1 Office, 2 Engineering,
-- 3 Plant nights, 4 Shop rota, 5 Field staff.
INSERT INTO attendance.rule (rule_id, name) VALUES
  (2, 'Office'), (3, 'Engineering'), (4, 'Plant nights'), (5, 'Shop rota'), (6, 'Field staff');
INSERT INTO attendance.rule_version (rule_id, valid_from, config) VALUES
  (2, :'since', '{"name": "Office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "tolerance": {"late_minutes": 5, "early_minutes": 5},
     "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
       "situations": {"no_punch_all_day": true, "late_beyond": true, "early_beyond": true}},
     "flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30}},
     "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true},
     "locations": [{"name": "HQ", "lat": 31.2304, "lon": 121.4737, "radius_m": 300}],
     "time_zone": "Asia/Shanghai"}'),
  -- from mid-month the office allows 10 minutes
  (2, (date :'month' + 14), '{"name": "Office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "tolerance": {"late_minutes": 10, "early_minutes": 10},
     "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
       "situations": {"no_punch_all_day": true, "late_beyond": true, "early_beyond": true}},
     "flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30}},
     "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true},
     "locations": [{"name": "HQ", "lat": 31.2304, "lon": 121.4737, "radius_m": 300}],
     "time_zone": "Asia/Shanghai"}'),
  (3, :'since', '{"name": "Engineering", "system": "flexible", "punch_mode": "fixed",
     "shifts": [{"name": "long", "periods": [{"start": "09:30", "end": "12:00"}, {"start": "13:00", "end": "18:30"}]},
                {"name": "short", "periods": [{"start": "09:30", "end": "15:30"}], "non_workday_default": true}],
     "flexible": {"days": {"mon": "long", "tue": "long", "wed": "long", "thu": "long", "fri": "short"}},
     "sign_out": true,
     "tolerance": {"late_minutes": 10, "early_minutes": 0},
     "flex": {"late_arrive_late_leave": {"mode": "elastic", "minutes": 30},
              "leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 120, "may_arrive_late_minutes": 60}]}},
     "time_zone": "Asia/Shanghai"}'),
  (4, :'since', '{"name": "Plant nights", "system": "odd_even_week", "punch_mode": "fixed",
     "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
     "odd_even_week": {"odd": {"mon": "night", "tue": "night", "wed": "night", "thu": "night", "fri": "night", "sat": "night"},
                       "even": {"mon": "night", "tue": "night", "wed": "night", "thu": "night", "fri": "night"}},
     "tolerance": {"late_minutes": 3, "early_minutes": 3},
     "absenteeism": {"enabled": true, "situations": {"no_punch_all_day": true, "missing_check_out": true}},
     "overtime": {"min_minutes_after_end": 15, "unit_minutes": 15, "count_rest_days": true, "count_holidays": true},
     "time_zone": "Asia/Shanghai"}'),
  (5, :'since', '{"name": "Shop rota", "system": "scheduled", "punch_mode": "fixed",
     "shifts": [{"name": "early", "periods": [{"start": "07:00", "end": "15:00"}]},
                {"name": "late", "periods": [{"start": "13:00", "end": "21:00"}]},
                {"name": "night", "periods": [{"start": "21:00", "end": "05:00"}]}],
     "scheduled": {"allow_unscheduled_punch": true, "modify_history": true},
     "absenteeism": {"enabled": true, "situations": {"no_punch_all_day": true}},
     "time_zone": "Asia/Shanghai"}'),
  (6, :'since', '{"name": "Field staff", "system": "standard", "punch_mode": "flexible",
     "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "07:30", "latest_check_in": "10:00"}}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "flex"},
     "tolerance": {"late_minutes": 15, "early_minutes": 15},
     "absenteeism": {"enabled": true, "late_over_minutes": 120, "early_over_minutes": 120, "unit_minutes": 60,
       "situations": {"no_punch_all_day": true, "missing_check_in": true, "missing_check_out": true,
                      "late_beyond": true, "early_beyond": true}},
     "overtime": {"min_minutes_after_end": 60, "unit_minutes": 30},
     "time_zone": "Asia/Tokyo"}');
INSERT INTO attendance.rule_org (org_id, rule_id)
SELECT 10000 + 100 * (t / 10) + t % 10, 1 + t % 6 FROM generate_series(0, :teams - 1) t WHERE t % 6 <> 0;
-- Every 97th employee of the Office teams is named individually in the
-- simple rule (a person entry wins over the org entry).
INSERT INTO attendance.rule_person (employee_id, rule_id)
SELECT e, 1 FROM generate_series(1, :employees) e WHERE bench.team_index(e) % 6 = 1 AND e % 97 = 0;

-- Two public holidays and a make-up Saturday (the second Saturday).
INSERT INTO attendance.holiday (company_id, day, mark, name)
SELECT 1, d, 'holiday', 'public holiday'
  FROM generate_series(date :'month', date :'month' + 6, interval '1 day') g(d)
 WHERE extract(isodow FROM d) <= 5 ORDER BY d LIMIT 2;
INSERT INTO attendance.holiday (company_id, day, mark, name)
SELECT 1, d, 'make_up_workday', 'make-up Saturday'
  FROM generate_series(date :'month' + 7, date :'month' + 13, interval '1 day') g(d)
 WHERE extract(isodow FROM d) = 6;

-- Every employee-day with what the employee's rule asks of it: kind (the
-- rule), whether it is a workday, the local start and the length of the
-- shift, the zone; the person entries of the simple rule count as kind 0.
CREATE TEMP TABLE plan AS
WITH base AS (
  SELECT e::bigint AS e, d::date AS day, extract(isodow FROM d)::int AS dow, extract(week FROM d)::int AS week,
         CASE WHEN bench.team_index(e) % 6 = 1 AND e % 97 = 0 THEN 0 ELSE bench.team_index(e) % 6 END AS kind,
         bench.draw(e, d::date, 0, 1000) AS h,
         bench.draw(e, d::date, 1, 1000000) AS m,
         bench.draw(e, d::date, 2, 1000000) AS m2,
         hol.mark
    FROM generate_series(1, :employees) e
   CROSS JOIN generate_series(date :'month', date :'until' - 1, interval '1 day') d
    LEFT JOIN attendance.holiday hol ON hol.company_id = 1 AND hol.day = d::date
)
SELECT b.*,
       CASE
         WHEN b.kind = 4 THEN (b.e + b.week + b.dow) % 7 NOT IN (0, 1)                    -- the rota: five days in seven
         WHEN b.mark = 'holiday' THEN false
         WHEN b.mark = 'make_up_workday' THEN true
         WHEN b.kind = 3 THEN b.dow <= 5 OR (b.dow = 6 AND b.week % 2 = 1)                 -- odd weeks add Saturday nights
         ELSE b.dow <= 5
       END AS works,
       CASE
         WHEN b.kind = 2 THEN interval '09:30'
         WHEN b.kind = 3 AND b.mark = 'make_up_workday' THEN interval '09:00'           -- no non-workday shift: 09:00-18:00
         WHEN b.kind = 3 THEN interval '22:00'
         WHEN b.kind = 4 THEN (ARRAY[interval '07:00', interval '13:00', interval '21:00'])[1 + (b.e / 7 + b.week) % 3]
         WHEN b.kind = 5 THEN interval '07:30' + make_interval(mins => b.m % 150)       -- flexible check-in 07:30..09:59
         ELSE interval '09:00'
       END AS start_at,
       CASE
         WHEN b.kind = 2 AND (b.dow = 5 OR b.mark = 'make_up_workday') THEN interval '6 hours'
         WHEN b.kind = 2 THEN interval '9 hours'
         WHEN b.kind = 3 AND b.mark = 'make_up_workday' THEN interval '9 hours'
         WHEN b.kind IN (3, 4, 5) THEN interval '8 hours'
         ELSE interval '9 hours'
       END AS length,
       CASE b.kind WHEN 5 THEN 'Asia/Tokyo' ELSE 'Asia/Shanghai' END AS tz
  FROM base b;

SET session_replication_role = replica;
-- The rota, a month ahead of the punches.
INSERT INTO attendance.schedule (employee_id, day, shift)
SELECT e, day, CASE WHEN works THEN (ARRAY['early', 'late', 'night'])[1 + (e / 7 + week) % 3] END
  FROM plan WHERE kind = 4;

-- Leave: 3% half a day from the start, 1% a whole day; 0.5% a business trip.
INSERT INTO attendance.excuse (employee_id, kind, during)
SELECT e, CASE WHEN h BETWEEN 250 AND 254 THEN 'business_trip' ELSE 'leave' END::attendance.excuse_kind,
       tstzrange((day + start_at) AT TIME ZONE tz,
                 (day + start_at + CASE WHEN h BETWEEN 210 AND 239 THEN length / 2 ELSE length END) AT TIME ZONE tz)
  FROM plan WHERE works AND h BETWEEN 210 AND 254;

-- Punches. On a workday: 1.5% none, 2.5% only a check-in, 1% only a
-- check-out, 10% late 1..120 min, 6% early 1..120 min, half-day leave
-- arriving after it, 10% overtime; Engineering punches at lunch too; the
-- rest on time give or take; 1% of Office days punched away from HQ. 1% of
-- days off worked for a few hours.
INSERT INTO attendance.punch (employee_id, at, lat, lon)
SELECT p.e, (p.day + v.t) AT TIME ZONE p.tz,
       -- the Office counts punches within 300 m of HQ; 1% are made 1.1 km away
       CASE WHEN p.kind = 1 THEN 31.2304 + CASE WHEN p.h BETWEEN 880 AND 889 THEN 0.01 ELSE (p.m % 20) * 0.0001 END END,
       CASE WHEN p.kind = 1 THEN 121.4737 END
  FROM plan p
 CROSS JOIN LATERAL (
   SELECT CASE
            WHEN p.h BETWEEN 40 AND 49 OR p.h BETWEEN 240 AND 254 THEN NULL
            WHEN p.h BETWEEN 50 AND 149 THEN make_interval(mins => 1 + p.m % 120, secs => p.m2 % 60)
            WHEN p.h BETWEEN 210 AND 239 THEN p.length / 2 - make_interval(mins => p.m % 10)
            WHEN p.kind = 5 THEN make_interval(secs => p.m2 % 60)
            ELSE make_interval(mins => -(p.m % 40), secs => p.m2 % 60)
          END AS d_in,
          CASE
            WHEN p.h BETWEEN 15 AND 39 OR p.h BETWEEN 240 AND 254 THEN NULL
            WHEN p.h BETWEEN 150 AND 209 THEN p.length - make_interval(mins => 1 + p.m % 120, secs => p.m2 % 60)
            WHEN p.h >= 900 THEN p.length + make_interval(mins => 30 + p.m % 150)
            ELSE p.length + make_interval(mins => p.m2 % 20, secs => p.m % 60)
          END AS d_out
 ) x
 CROSS JOIN LATERAL (VALUES
   (p.start_at + x.d_in), (p.start_at + x.d_out),
   -- Engineering's lunch break 12:00-13:00 on long days
   (CASE WHEN p.kind = 2 AND p.length = interval '9 hours' AND p.h NOT BETWEEN 210 AND 254
         THEN interval '12:00' + make_interval(mins => p.m % 8) END),
   (CASE WHEN p.kind = 2 AND p.length = interval '9 hours' AND p.h NOT BETWEEN 210 AND 254
         THEN interval '12:55' + make_interval(mins => p.m2 % 15) END)
 ) v(t)
 WHERE p.works AND p.h >= 15 AND v.t IS NOT NULL
UNION ALL
SELECT p.e, (p.day + v.t) AT TIME ZONE p.tz, NULL, NULL
  FROM plan p CROSS JOIN LATERAL (VALUES (interval '10:00' + make_interval(mins => p.m % 30)),
                                         (interval '14:00' + make_interval(mins => p.m2 % 120))) v(t)
 WHERE NOT p.works AND p.h < 10 AND p.kind <> 3;
SET session_replication_role = origin;
\endif

DROP TABLE plan;
ANALYZE;
SELECT s.mode, s.employees, s.days AS month,
       (SELECT count(*) FROM attendance.org) AS orgs,
       (SELECT count(*) FROM attendance.rule) AS rules,
       (SELECT count(*) FROM attendance.punch) AS punches,
       (SELECT count(*) FROM attendance.excuse) AS excuses,
       (SELECT count(*) FROM attendance.schedule) AS schedule_days,
       (SELECT count(*) FROM attendance.holiday) AS calendar_days
  FROM bench.setting s \gset company_
\echo 'company:' :company_mode 'mode,' :company_employees 'employees,' :company_orgs 'orgs,' :company_rules 'rule(s),' :company_punches 'punches,' :company_excuses 'excuses,' :company_schedule_days 'schedule days,' :company_calendar_days 'calendar days, month' :company_month

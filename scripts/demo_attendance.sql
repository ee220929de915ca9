-- Part two of the demo: a month of attendance for 240 more employees under
-- every rule system, evaluated and kept current by the extension, read
-- through the BI views under two admins' scopes. Loaded by demo.sql.

INSERT INTO org (org_id, parent_id, name) VALUES (30, 1, 'Plant'), (40, 1, 'Shop');

-- Holidays of the period 10-26..11-25: Culture Day, Labour Thanksgiving, and a make-up Saturday.
INSERT INTO holiday (company_id, day, mark, name) VALUES
  (1, '2026-11-03', 'holiday', 'Culture Day'), (1, '2026-11-23', 'holiday', 'Labour Thanksgiving Day'),
  (1, '2026-11-07', 'make_up_workday', 'make-up Saturday');

INSERT INTO rule (rule_id, name) VALUES (1, 'Office'), (2, 'Engineering'), (3, 'Plant nights'), (4, 'Shop rota');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "Office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
     "tolerance": {"late_minutes": 5, "early_minutes": 5},
     "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
       "situations": {"no_punch_all_day": true, "missing_check_in": false, "missing_check_out": false, "late_beyond": true, "early_beyond": true}},
     "flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30}},
     "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true},
     "locations": [{"name": "Head office", "lat": 35.6812, "lon": 139.7671, "radius_m": 300}],
     "time_zone": "Asia/Tokyo"}'),
  (2, '2026-01-01', '{"name": "Engineering", "system": "flexible", "punch_mode": "fixed",
     "shifts": [{"name": "long", "periods": [{"start": "10:00", "end": "19:00"}]},
                {"name": "short", "periods": [{"start": "10:00", "end": "16:00"}], "non_workday_default": true}],
     "flexible": {"days": {"mon": "long", "tue": "long", "wed": "long", "thu": "long", "fri": "short"}},
     "tolerance": {"late_minutes": 10}, "time_zone": "Asia/Tokyo"}'),
  (3, '2026-01-01', '{"name": "Plant nights", "system": "odd_even_week", "punch_mode": "fixed",
     "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
     "odd_even_week": {"odd": {"mon": "night", "tue": "night", "wed": "night", "thu": "night", "fri": "night", "sat": "night"},
                       "even": {"mon": "night", "tue": "night", "wed": "night", "thu": "night", "fri": "night"}},
     "overtime": {"min_minutes_after_end": 15, "unit_minutes": 15, "count_rest_days": true, "count_holidays": true},
     "time_zone": "Asia/Tokyo"}'),
  (4, '2026-01-01', '{"name": "Shop rota", "system": "scheduled", "punch_mode": "fixed",
     "shifts": [{"name": "early", "periods": [{"start": "07:00", "end": "15:00"}]},
                {"name": "late", "periods": [{"start": "13:00", "end": "21:00"}]}],
     "scheduled": {"modify_history": true}, "time_zone": "Asia/Tokyo"}');
INSERT INTO rule_org (org_id, rule_id) VALUES (10, 1), (20, 2), (30, 3), (40, 4);

-- 240 employees: 80 in Sales (Tokyo and Osaka), 60 in Engineering, 50 at the
-- Plant on nights, 50 in the Shop on a rota.
INSERT INTO employee SELECT e, 'employee ' || e FROM generate_series(2001, 2240) e;
INSERT INTO membership (employee_id, org_id, period)
SELECT e, CASE WHEN e <= 2080 THEN 11 + e % 2 WHEN e <= 2140 THEN 20 WHEN e <= 2190 THEN 30 ELSE 40 END, '[2026-04-01,)'
  FROM generate_series(2001, 2240) e;
INSERT INTO schedule (employee_id, day, shift)
SELECT e, d::date, CASE WHEN (e + extract(week FROM d)::int) % 2 = 0 THEN 'early' ELSE 'late' END
  FROM generate_series(2191, 2240) e, generate_series(date '2026-10-26', date '2026-11-25', interval '1 day') d
 WHERE extract(isodow FROM d) <> 7;

-- A month of punches with realistic noise, decided by a hash so every run is the same:
-- 2% no punch, 3% a forgotten check-out, 8% late by 5..64 min, 3% leaving early,
-- 3% half a day of leave, the rest on time give or take, some overtime.
CREATE TEMP TABLE plan AS
SELECT e, d::date AS day, abs(hashtext(e || '/' || d)) % 1000 AS h,
       CASE WHEN e <= 2080 THEN time '09:00' WHEN e <= 2140 THEN time '10:00' WHEN e <= 2190 THEN time '22:00'
            WHEN (e + extract(week FROM d)::int) % 2 = 0 THEN time '07:00' ELSE time '13:00' END AS start_at,
       CASE WHEN e <= 2080 THEN interval '9 hours'
            WHEN e <= 2140 THEN CASE WHEN extract(isodow FROM d) = 5 THEN interval '6 hours' ELSE interval '9 hours' END
            ELSE interval '8 hours' END AS length
  FROM generate_series(2001, 2240) e, generate_series(date '2026-10-26', date '2026-11-25', interval '1 day') d
 WHERE (extract(isodow FROM d) <= 5 OR d = '2026-11-07'
        OR (e BETWEEN 2141 AND 2190 AND extract(isodow FROM d) = 6 AND extract(week FROM d)::int % 2 = 1)
        OR (e > 2190 AND extract(isodow FROM d) <> 7))
   AND (d NOT IN ('2026-11-03', '2026-11-23') OR e > 2190);
INSERT INTO excuse (employee_id, kind, during)
SELECT e, 'leave', tstzrange((day + start_at) AT TIME ZONE 'Asia/Tokyo', (day + start_at + interval '4 hours') AT TIME ZONE 'Asia/Tokyo')
  FROM plan WHERE h BETWEEN 200 AND 229;
INSERT INTO punch (employee_id, at, lat, lon)
SELECT e, (day + start_at + CASE WHEN h BETWEEN 50 AND 129 THEN make_interval(mins => 5 + h % 60)
                                 WHEN h BETWEEN 200 AND 229 THEN interval '4 hours'
                                 ELSE make_interval(mins => -(h % 12)) END) AT TIME ZONE 'Asia/Tokyo',
       35.6812 + (h % 7) * 0.0001, 139.7671
  FROM plan WHERE h >= 20
UNION ALL
SELECT e, (day + start_at + length + CASE WHEN h BETWEEN 130 AND 159 THEN make_interval(mins => -(10 + h % 50))
                                          WHEN h > 900 THEN make_interval(mins => 40 + h % 90)
                                          ELSE make_interval(mins => h % 9) END) AT TIME ZONE 'Asia/Tokyo',
       35.6812, 139.7671
  FROM plan WHERE h >= 50;

-- Everyone's month, evaluated once more in one pass per employee (the
-- triggers already did it as the rows arrived; this also fills rest days).
SELECT sum(att_refresh(employee_id, '[2026-10-26,2026-11-25]')) >= 0 AS refreshed
  FROM employee WHERE employee_id BETWEEN 2001 AND 2240;

\echo
\echo 'Monthly summary by org, closing period 2026-10-26 .. 2026-11-25'
SELECT o.name AS org, count(*) AS employees, sum(s.workdays) AS workdays, sum(s.days_attended) AS attended,
       sum(s.late_count) AS late, sum(s.late_minutes) AS late_min, sum(s.early_count) AS early,
       sum(s.absence_count) AS absences, sum(s.absence_minutes) AS absent_min, sum(s.missing_punches) AS missing,
       sum(s.work_hours) AS work_hours,
       sum(coalesce(s.overtime_hours_workday, 0) + coalesce(s.overtime_hours_rest_day, 0) + coalesce(s.overtime_hours_holiday, 0)) AS overtime_hours,
       sum(s.leave_hours) AS leave_hours
  FROM att_period_summary s
  JOIN membership m ON m.employee_id = s.employee_id AND m.period @> s.period_end
  JOIN org o ON o.org_id = m.org_id
 WHERE s.period_start = '2026-10-26' AND s.employee_id BETWEEN 2001 AND 2240
 GROUP BY o.org_id, o.name ORDER BY o.org_id;

\echo 'Anomalies of 2026-11-10 (first 12)'
SELECT employee_id, day, status, late_minutes AS late, early_minutes AS early, absent_minutes AS absent, reasons
  FROM att_anomalies WHERE day = '2026-11-10' ORDER BY employee_id LIMIT 12;

\echo 'The night shift and the make-up Saturday'
SELECT employee_id, day, day_kind, shift, status, work_minutes AS work, overtime_minutes AS overtime
  FROM att_daily WHERE (employee_id = 2141 AND day BETWEEN '2026-11-09' AND '2026-11-10')
                    OR (employee_id = 2001 AND day = '2026-11-07')
 ORDER BY employee_id, day;

-- Two admins' logins run the same daily query; row-level security gives each its scope.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_sato') THEN CREATE ROLE demo_sato LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_kimura') THEN CREATE ROLE demo_kimura LOGIN; END IF;
END $$;
GRANT USAGE ON SCHEMA attendance TO demo_sato, demo_kimura;
GRANT SELECT ON att_daily, day_record, employee TO demo_sato, demo_kimura;
-- (the upgrade test loads this demo into release 0.1.0, which had no monthly sheet)
SELECT to_regclass('attendance.att_monthly_grid') IS NOT NULL AS has_grid \gset
\if :has_grid
GRANT SELECT ON att_monthly_grid, period_record TO demo_sato, demo_kimura;
\endif
INSERT INTO login_employee VALUES ('demo_sato', 9001), ('demo_kimura', 9002) ON CONFLICT DO NOTHING;

\echo 'The same daily query for 2026-11-10, logged in as Sato (admin of Sales) and as Kimura (hr of the company)'
SET ROLE demo_sato;
SELECT current_user AS login, count(*) AS employees_visible, count(*) FILTER (WHERE status <> 'normal') AS not_normal,
       min(employee_id) AS first_id, max(employee_id) AS last_id
  FROM attendance.att_daily WHERE day = '2026-11-10';
RESET ROLE;
SET ROLE demo_kimura;
SELECT current_user AS login, count(*) AS employees_visible, count(*) FILTER (WHERE status <> 'normal') AS not_normal,
       min(employee_id) AS first_id, max(employee_id) AS last_id
  FROM attendance.att_daily WHERE day = '2026-11-10';
RESET ROLE;

\if :has_grid
\echo 'The monthly sheet of Sales Tokyo for the period 10-26..11-25 (d01 = 10-26), as Sato sees it: P present, HD half-day leave, L leave, OD on duty elsewhere, A absent, MP missing punch, H holiday, WO weekly off'
SET ROLE demo_sato;
SELECT employee_id AS id, left(employee_name, 12) AS name,
       concat_ws(' ', d01, d02, d03, d04, d05, d06, d07, d08, d09, d10, d11, d12, d13, d14, d15, d16,
                      d17, d18, d19, d20, d21, d22, d23, d24, d25, d26, d27, d28, d29, d30, d31) AS days,
       present_days AS p, absent_days AS a, leave_days AS l, holidays AS h, weekly_offs AS wo
  FROM attendance.att_monthly_grid WHERE period_start = '2026-10-26' AND department = 'Sales Tokyo'
 ORDER BY employee_id LIMIT 8;
SELECT department, count(*) AS employees, sum(present_days) AS present, sum(absent_days) AS absent, sum(leave_days) AS leave
  FROM attendance.att_monthly_grid WHERE period_start = '2026-10-26' GROUP BY 1 ORDER BY 1;
RESET ROLE;
\endif

\echo 'Workflows: an approval, a send-back, and a closing that reports, then skips, the unapproved'
SET ROLE demo_sato;
SELECT attendance.att_approve_day(2004, '2026-11-10') > 0 AS sato_approves_2004_on_11_10;
RESET ROLE;
BEGIN;
SET LOCAL attendance.acting_employee = '2004';  -- the HR app acting for employee 2004
SELECT attendance.att_submit_timesheet(2004, '2026-11-10') AS submitted_period;
COMMIT;
SET ROLE demo_sato;
SELECT attendance.att_send_back_timesheet(2004, '2026-11-10', 'late on 11-10: add the reason') AS sent_back_period;
SELECT outcome, count(*) AS employees FROM attendance.att_close_org(10, '2026-11-20', 'report') GROUP BY 1;
SELECT outcome, count(*) AS employees FROM attendance.att_close_org(10, '2026-11-20', 'skip') GROUP BY 1;
RESET ROLE;
SELECT employee_id, action, actor, reason FROM timesheet_event ORDER BY event_id;

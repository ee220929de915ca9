-- The demo company: an org tree, memberships with a transfer, two admins,
-- a closed period; then what each admin may do with several employees' days.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS attendance CASCADE;
SET search_path = attendance, public;

INSERT INTO org (org_id, parent_id, name, closing_day) VALUES
  (1,  NULL, 'Sakura Trading', 25),
  (10, 1,    'Sales', NULL),
  (11, 10,   'Sales Tokyo', NULL),
  (12, 10,   'Sales Osaka', NULL),
  (20, 1,    'Engineering', NULL);

INSERT INTO employee VALUES
  (1001, 'Aiko (Sales Tokyo)'),
  (1002, 'Ben (Osaka, moved to Engineering on 11-11)'),
  (1003, 'Chen (Engineering, helps Tokyo in November)'),
  (1004, 'Dana (Engineering)'),
  (9001, 'Sato: admin of Sales'),
  (9002, 'Kimura: hr of the company');

INSERT INTO membership (employee_id, org_id, kind, period) VALUES
  (1001, 11, 'primary',    '[2026-04-01,)'),
  (1002, 12, 'primary',    '[2026-04-01,2026-11-10]'),
  (1002, 20, 'primary',    '[2026-11-11,)'),
  (1003, 20, 'primary',    '[2026-04-01,)'),
  (1003, 11, 'concurrent', '[2026-11-01,2026-11-30]'),
  (1004, 20, 'primary',    '[2026-04-01,)'),
  (9001, 10, 'primary',    '[2026-04-01,)'),
  (9002, 1,  'primary',    '[2026-04-01,)');

INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (9001, 10, 'admin', '[2026-04-01,)'),
  (9002, 1,  'hr',    '[2026-04-01,)');

-- Sales closes the period 09-26..10-25.
SELECT att_close_period(10, '2026-10-20', 9001, '2026-10-26') AS "Sales closed";

\echo
\echo 'What each admin may do, judged as of 2026-11-20 (closing day: the 25th)'
SELECT a.display_name AS admin, e.display_name AS employee, d::date AS day,
       att_can_access(a.employee_id, e.employee_id, d::date, '2026-11-20') AS scope,
       CASE WHEN att_has_permission(a.employee_id, e.employee_id, d::date, 'daily_approval', '2026-11-20') THEN 'yes' ELSE '-' END AS approve,
       CASE WHEN att_has_permission(a.employee_id, e.employee_id, d::date, 'correct', '2026-11-20') THEN 'yes' ELSE '-' END AS correct
  FROM employee a
  CROSS JOIN employee e
  CROSS JOIN unnest(ARRAY['2026-10-20', '2026-11-05', '2026-11-20']::date[]) d
 WHERE a.employee_id IN (9001, 9002) AND e.employee_id BETWEEN 1001 AND 1004
 ORDER BY a.employee_id, e.employee_id, d;

\echo 'Everyone Sato reaches in November, as runs of days (att_scope)'
SELECT s.employee_id, e.display_name AS employee, s.days, s.level
  FROM att_scope(9001, '[2026-11-01,2026-12-01)', '2026-11-20') s
  JOIN employee e USING (employee_id)
 ORDER BY s.employee_id, lower(s.days);

\ir demo_attendance.sql

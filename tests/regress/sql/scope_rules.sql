-- Scope beyond the seed's tables: sub-org inheritance, concurrent memberships,
-- a closing day of the 25th, hr versus admin correction after closing,
-- reopening, company closing, and self access.
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

INSERT INTO org (org_id, parent_id, name, closing_day) VALUES
  (1, NULL, 'Calendar Co', NULL), (10, 1, 'Sales', NULL), (11, 10, 'Sales East', NULL), (12, 10, 'Sales West', NULL),
  (13, 1, 'Plant', NULL),
  (2, NULL, 'Twenty-Fifth Co', 25), (20, 2, 'Lab', NULL);
SELECT org_id, parent_id, path FROM org ORDER BY org_id;

INSERT INTO employee VALUES
  (500, 'east staff'), (501, 'west staff, concurrent in east'), (502, 'plant staff'),
  (601, 'lab staff moving to plant'),
  (700, 'admin of Sales'), (701, 'admin of Sales East'), (702, 'hr of Calendar Co'), (703, 'admin of Lab');

INSERT INTO membership (employee_id, org_id, kind, period) VALUES
  (500, 11, 'primary', '[2015-01-01,)'),
  (501, 12, 'primary', '[2015-01-01,)'),
  (501, 11, 'concurrent', '[2015-02-01,2015-02-15]'),
  (502, 13, 'primary', '[2015-01-01,)'),
  (601, 20, 'primary', '[2015-01-01,2015-02-10]'),
  (601, 13, 'primary', '[2015-02-11,)'),
  (700, 10, 'primary', '[2015-01-01,)'),
  (701, 11, 'primary', '[2015-01-01,)');

INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (700, 10, 'admin', '[2015-01-01,)'),
  (701, 11, 'admin', '[2015-01-01,)'),
  (702, 1, 'hr', '[2015-01-01,)'),
  (703, 20, 'admin', '[2015-01-01,)');

-- Sub-org inheritance: an assignment on Sales reaches Sales East and West, not Plant.
SELECT e.employee_id, e.display_name,
       att_can_access(700, e.employee_id, '2015-01-15', '2015-01-15') AS sales_admin,
       att_can_access(701, e.employee_id, '2015-01-15', '2015-01-15') AS east_admin,
       att_can_access(702, e.employee_id, '2015-01-15', '2015-01-15') AS company_hr
  FROM employee e WHERE e.employee_id IN (500, 501, 502) ORDER BY 1;

-- Concurrent membership: East's admin has full on the days 501 is concurrently
-- in East (02-01..02-15), view on the rest of February (same closing period),
-- and none in January and March.
SELECT d::date AS day, att_can_access(701, 501, d::date, '2015-04-01') AS east_admin_on_501
  FROM unnest(ARRAY['2015-01-31', '2015-02-01', '2015-02-15', '2015-02-16', '2015-02-28', '2015-03-01']::date[]) d;

-- Closing day 25: Twenty-Fifth Co's periods run 26th..25th.
SELECT att_closing_period(20, '2015-02-25') AS feb_25, att_closing_period(20, '2015-02-26') AS feb_26,
       att_closing_period(11, '2015-02-26') AS calendar_feb_26,
       att_closing_period_for('2015-12-31', 25) AS year_end;
-- 601 left the Lab after 02-10: the Lab's admin (as of March) still views days of
-- the period 01-26..02-25, but not 02-26 on, which a calendar month would show.
SELECT d::date AS day, att_can_access(703, 601, d::date, '2015-03-01') AS lab_admin
  FROM unnest(ARRAY['2015-01-25', '2015-02-10', '2015-02-11', '2015-02-25', '2015-02-26']::date[]) d;

-- Self access: an employee always views their own days, but acts only with scope.
SELECT att_can_access(502, 502, '2015-01-15') AS self_without_scope,
       att_has_permission(502, 502, '2015-01-15', 'view_timesheet') AS self_view,
       att_has_permission(502, 502, '2015-01-15', 'daily_approval') AS self_approve,
       att_can_access(701, 701, '2015-01-15', '2015-01-15') AS admin_in_own_org;

-- Permissions by level: a view-level admin only views.
SELECT p AS permission,
       att_has_permission(700, 500, '2015-01-15', p, '2015-01-15') AS full_admin,
       att_has_permission(702, 500, '2015-01-15', p, '2015-01-15') AS full_hr,
       att_has_permission(701, 501, '2015-02-20', p, '2015-04-01') AS view_only
  FROM unnest(enum_range(NULL::permission)) p;

-- Closing: Sales East's admin may not close Sales (above it); Sales' admin may.
SELECT att_close_period(10, '2015-02-10', 701, '2015-03-01');
SELECT att_close_period(10, '2015-02-10', 700, '2015-03-01') AS closed;
SELECT att_close_period(10, '2015-02-27', 700, '2015-03-01');
SELECT org_id, period, closed_by FROM closing ORDER BY org_id, period;

-- After closing: admin may no longer correct February in Sales East; hr may.
SELECT d::date AS day,
       att_has_permission(700, 500, d::date, 'correct', '2015-03-01') AS admin_correct,
       att_has_permission(700, 500, d::date, 'correct_after_closing', '2015-03-01') AS admin_always,
       att_has_permission(702, 500, d::date, 'correct', '2015-03-01') AS hr_correct,
       att_has_permission(702, 500, d::date, 'correct_after_closing', '2015-03-01') AS hr_always,
       att_has_permission(700, 500, d::date, 'daily_approval', '2015-03-01') AS admin_approve
  FROM unnest(ARRAY['2015-01-31', '2015-02-10', '2015-03-01']::date[]) d;
-- Plant is not under Sales: its February stays open.
SELECT att_has_permission(702, 502, '2015-02-10', 'correct', '2015-03-01') AS hr_plant,
       att_has_permission(702, 502, '2015-02-10', 'correct_after_closing', '2015-03-01') AS hr_plant_always;

-- Reopening restores the admin's correction; reopening twice is refused.
SELECT att_reopen_period(10, '2015-02-01', 700, '2015-03-01') AS reopened;
SELECT att_has_permission(700, 500, '2015-02-10', 'correct', '2015-03-01') AS admin_correct_after_reopen;
SELECT att_reopen_period(10, '2015-02-01', 700, '2015-03-01');

-- Company closing: hr of the company closes March for every org under it.
SELECT att_close_period(1, '2015-03-31', 702, '2015-04-01') AS company_closed;
SELECT att_has_permission(700, 500, '2015-03-10', 'correct', '2015-04-01') AS admin_east,
       att_has_permission(702, 502, '2015-03-10', 'correct', '2015-04-01') AS hr_plant;
-- The Lab belongs to the other company: untouched.
SELECT att_has_permission(703, 601, '2015-02-10', 'correct', '2015-02-11') AS lab_admin_correct;

SELECT org_id, period, action, actor FROM closing_event ORDER BY event_id;
SELECT count(*) FILTER (WHERE closed_at IS NOT NULL) AS with_time FROM closing;

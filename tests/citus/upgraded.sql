-- A distributed database upgraded in place (tests/citus/check.sh): the
-- previous release installed, its company distributed, then ALTER
-- EXTENSION attendance UPDATE on the coordinator. Run on it and on a fresh
-- single-node database of the current release with the same company; the
-- outputs must be identical.
\set ON_ERROR_STOP on
SET datestyle = ISO;
SET search_path = attendance, public;
\echo == 12 after an upgrade in place
-- (the days as they show: a day not over yet stored under the previous
-- release shows as one stored by this one, with or without what it will
-- be once over, day_record.due_at)
SELECT extversion FROM pg_extension WHERE extname = 'attendance';
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') >= 0 AS refreshed;
SELECT count(*), md5(string_agg((to_jsonb(r) - '{evaluated_at,due_at,shown}'::text[])::text, '|' ORDER BY r.employee_id, r.day)) FROM _att_days_now r;
-- a punch, a leave and a membership change through their triggers
INSERT INTO punch (employee_id, at) VALUES (1, '2026-10-05 13:45+00'), (9, '2026-10-06 01:05+00');
INSERT INTO excuse (employee_id, kind, during) VALUES (17, 'leave', '[2026-10-07 00:00+00,2026-10-08 00:00+00)');
UPDATE membership SET period = daterange(lower(period), '2026-10-16') WHERE employee_id = 25;
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (25, 100, 'admin', '[2026-10-01,)');
SELECT count(*), md5(string_agg((to_jsonb(r) - '{evaluated_at,due_at,shown}'::text[])::text, '|' ORDER BY r.employee_id, r.day)) FROM _att_days_now r;
SELECT count(*), md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) FROM att_evaluate_all('[2026-10-01,2026-11-01)') r;
-- a company added after the upgrade has its place in the tree (0.15.0:
-- on Citus a new root had none), and so do departments below it, one
-- placed there from a day on (alone before it)
INSERT INTO org (org_id, parent_id, name) VALUES (990000, NULL, 'Added later');
INSERT INTO org (org_id, parent_id, name) VALUES (990010, 990000, 'Its department');
INSERT INTO org (org_id, parent_id, parent_since, name) VALUES (990020, 990000, '2026-10-15', 'A department from 10-15');
SELECT org_id, period, parent_id, path FROM org_tree WHERE org_id >= 990000 ORDER BY org_id, period;
-- a scoped login on the coordinator: the company's admin of its even departments
SELECT max(employee_id) - 1 AS admin FROM employee \gset
INSERT INTO login_employee VALUES ('citus_check_admin', :admin);
GRANT USAGE ON SCHEMA attendance TO citus_check_admin;
GRANT SELECT ON day_record TO citus_check_admin;
SET ROLE citus_check_admin;
SELECT count(*) AS visible_days FROM day_record;
RESET ROLE;
-- a period closed before its last day is over (0.22.0 on Citus): team
-- 10001's November closed at 10:00 on the 30th (Shanghai), the next
-- morning's check-in taken and the 30th final
SET citus.propagate_set_commands = 'local';
BEGIN;
SET LOCAL attendance.clock = '2026-11-30 02:00+00';
SELECT att_close_period(10001, '2026-11-15', :admin, '2026-11-30') AS closed;
COMMIT;
SELECT count(*) AS kept FROM closed_pending;
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 00:55+00';
INSERT INTO punch (employee_id, at) VALUES (51, '2026-12-01 00:54+00');
COMMIT;
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 01:00+00';
SELECT att_finalize() >= 0 AS finalized;
COMMIT;
SELECT status, count(*) FROM day_record WHERE day = '2026-11-30' AND employee_id BETWEEN 51 AND 100 GROUP BY status ORDER BY status;
-- read as of the scenario's last instant: the days a run then wrote are
-- final whether they were stored pending (under the previous release) or
-- with what they became once over, which read at an earlier instant shows
-- them pending again (time goes back only in a test)
BEGIN;
SET LOCAL attendance.clock = '2026-12-01 01:00+00';
SELECT count(*), md5(string_agg((to_jsonb(r) - '{evaluated_at,due_at,shown}'::text[])::text, '|' ORDER BY r.employee_id, r.day)) FROM _att_days_now r;
COMMIT;
RESET citus.propagate_set_commands;

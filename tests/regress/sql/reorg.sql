-- Effective-dated reorganisations (issue 11, SPEC.md A): an org's parent has
-- a period; a day is judged by the tree as it stood on that day, so moving a
-- department acts like moving each member on the move's first day, the
-- days before keep their tree, and no move reaches into a closed period.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 10:00+00';
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

INSERT INTO org (org_id, parent_id, name) VALUES
  (1, NULL, 'Co'), (2, 1, 'Administration'), (3, 1, 'Production'), (4, 3, 'Warehouse'),
  (8, 2, 'Archive'), (9, 1, 'Projects');
INSERT INTO employee VALUES (5, 'admin of Administration'), (6, 'admin of Production'), (9, 'hr'),
  (21, 'in Production'), (23, 'in the Warehouse'), (28, 'in the Archive');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (5, 2, '[2026-01-01,)'), (6, 3, '[2026-01-01,)'), (9, 1, '[2026-01-01,)'),
  (21, 3, '[2026-01-01,)'), (23, 4, '[2026-01-01,)'), (28, 8, '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (5, 2, 'admin', '[2026-01-01,)'), (6, 3, 'admin', '[2026-01-01,)'), (9, 1, 'hr', '[2026-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'office'), (2, 'admin hours');
INSERT INTO rule_version (rule_id, valid_from, config)
SELECT r, '2026-01-01', format('{"name": "%s", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "%s", "end": "%s"}]}],
  "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}', n, s, e)::jsonb
  FROM (VALUES (1, 'office', '09:00', '18:00'), (2, 'admin hours', '08:00', '17:00')) v(r, n, s, e);
INSERT INTO rule_org VALUES (3, 1), (2, 2), (9, 1);
INSERT INTO punch (employee_id, at)
SELECT e, d + t FROM (VALUES (21), (23), (28)) x(e),
       generate_series(date '2026-11-02', date '2026-11-30', interval '1 day') d,
       (VALUES (time '09:30'), (time '18:00')) p(t)
 WHERE extract(isodow FROM d) < 6;
SELECT att_finalize() > 0 AS finalized;

-- Production's November is closed.
SELECT att_close_period(3, '2026-11-10', 6) AS closed;
SELECT att_can_access(6, 23, '2026-11-10', '2026-11-10') AS production_admin_on_nov_10,
       att_day_closed(23, '2026-11-10') AS warehouse_day_closed;

-- 1. The Warehouse moves under Administration, from today (the ERP's plain update).
UPDATE org SET parent_id = 2 WHERE org_id = 4;
SELECT org_id, parent_id, parent_since, path FROM org WHERE org_id = 4;
SELECT org_id, period, parent_id, path FROM org_tree WHERE org_id = 4 ORDER BY period;
SELECT att_org_path(4, '2026-11-10') AS on_nov_10, att_org_path(4, '2026-12-01') AS from_dec_1;
-- November keeps its tree: the same scope, the same closing, the same refusal
-- of a correction for the Warehouse employee as for a Production employee.
SELECT att_can_access(6, 23, '2026-11-10', '2026-11-10') AS production_admin_on_nov_10,
       att_can_access(5, 23, '2026-11-10', '2026-11-10') AS administration_admin_on_nov_10,
       att_day_closed(23, '2026-11-10') AS warehouse_day_closed,
       att_has_permission(6, 23, '2026-11-10', 'correct', '2026-11-10') AS correct_warehouse,
       att_has_permission(6, 21, '2026-11-10', 'correct', '2026-11-10') AS correct_production;
-- From the move on, the Warehouse is Administration's, as if its members had moved.
SELECT att_can_access(5, 23, '2026-12-02', '2026-12-02') AS administration_admin_dec_2,
       att_can_access(6, 23, '2026-12-02', '2026-12-02') AS production_admin_dec_2,
       att_can_access(6, 23, '2026-11-30', '2026-12-02') AS production_admin_nov_30;
SELECT employee_id, days, level FROM att_scope(6, '[2026-11-01,2026-12-31)', '2026-12-02') WHERE employee_id = 23;
SELECT employee_id, days, level FROM att_scope(5, '[2026-11-01,2026-12-31)', '2026-12-02') WHERE employee_id = 23;
-- Rules follow the tree of each day: November keeps Production's office hours.
SELECT day, rule_name, status, late_minutes FROM att_evaluate(23, '[2026-11-30,2026-12-01]') ORDER BY day;
SELECT day, rule_name, late_minutes FROM day_record WHERE employee_id = 23 AND day = '2026-11-10';
-- A change to the closed day is still refused and recorded nowhere.
SELECT pg_temp.outcome($$INSERT INTO attendance.punch (employee_id, at) VALUES (23, '2026-11-10 08:00+00')$$) AS punch_on_closed_day;
SELECT count(*) AS corrections FROM correction WHERE employee_id = 23;

-- 2. A move dated into the closed period is refused; nothing changes.
SELECT pg_temp.outcome($$UPDATE attendance.org SET parent_id = 3, parent_since = '2026-11-15' WHERE org_id = 4$$) AS into_closed;
SELECT org_id, parent_id, parent_since FROM org WHERE org_id = 4;
SELECT count(*) AS warehouse_places FROM org_tree WHERE org_id = 4;
-- Bad first days.
SELECT pg_temp.outcome($$UPDATE attendance.org SET parent_since = NULL WHERE org_id = 4$$) AS no_first_day;
SELECT pg_temp.outcome($$UPDATE attendance.org SET parent_id = 9, parent_since = 'infinity' WHERE org_id = 8$$) AS infinite_first_day;
SELECT pg_temp.outcome($$INSERT INTO attendance.org (org_id, parent_id, name, parent_since) VALUES (99, 1, 'x', '-infinity')$$) AS infinite_since_on_insert;
-- A new org may be dated too: alone before its first day under the parent.
INSERT INTO org (org_id, parent_id, name, parent_since) VALUES (7, 3, 'Lab', '2026-12-07');
SELECT org_id, period, parent_id, path FROM org_tree WHERE org_id = 7 ORDER BY period;

-- 3. A move dated in the past, in open periods: the Archive goes to Projects
--    from 11-16. Its member's days from then on are re-evaluated under the
--    new parent's rule; the days before keep Administration's.
UPDATE org SET parent_id = 9, parent_since = '2026-11-16' WHERE org_id = 8;
SELECT count(*) > 0 AS queued FROM refresh_request;
SELECT att_finalize() > 0 AS finalized;
SELECT day, rule_name, late_minutes FROM day_record WHERE employee_id = 28 AND day IN ('2026-11-13', '2026-11-16') ORDER BY day;
SELECT att_can_access(5, 28, '2026-11-13', '2026-11-13') AS before_move, att_can_access(5, 28, '2026-11-16', '2026-11-16') AS after_move;

-- 4. Cycles are judged day by day: Projects may go under the Archive only
--    from a day on which the Archive is no longer under Projects.
UPDATE org SET parent_id = 2, parent_since = '2026-11-25' WHERE org_id = 8;
SELECT pg_temp.outcome($$UPDATE attendance.org SET parent_id = 8, parent_since = '2026-11-20' WHERE org_id = 9$$) AS cycle_from_nov_20;
SELECT pg_temp.outcome($$UPDATE attendance.org SET parent_id = 8, parent_since = '2026-11-25' WHERE org_id = 9$$) AS from_nov_25;
SELECT org_id, period, parent_id, path FROM org_tree WHERE org_id IN (8, 9) ORDER BY org_id, period;

-- 5. Closing follows the tree of the closed days: closing Administration's
--    November covers the Archive's member on the days the Archive was
--    Administration's (until the 16th and from the 25th; since 0.27.0, as
--    SPEC A has it: a day is closed when the period is closed for the
--    employee's org that day; until then a closing covered a person's
--    whole period, and the 20th, Projects', was closed too). The
--    Warehouse, Administration's only from December, is not covered by it
--    (its November is closed through Production).
SELECT att_close_period(2, '2026-11-10', 5) AS closed;
SELECT att_day_closed(28, '2026-11-13') AS nov_13, att_day_closed(28, '2026-11-20') AS nov_20,
       att_day_closed(28, '2026-11-26') AS nov_26;
SELECT employee_id, org_id, period, days FROM closing_cover WHERE employee_id IN (23, 28) ORDER BY employee_id, org_id;

-- Every stored day that is not closed equals a fresh evaluation.
SELECT att_finalize() >= 0 AS finalized;
SELECT count(*) AS stale_days
  FROM _att_days_now d JOIN LATERAL att_evaluate(d.employee_id, daterange(d.day, d.day, '[]')) f ON true
 WHERE NOT att_day_closed(d.employee_id, d.day)
   AND (d.rule_id, d.status, d.late_minutes, d.absent_minutes, d.reasons) IS DISTINCT FROM (f.rule_id, f.status, f.late_minutes, f.absent_minutes, f.reasons);
RESET attendance.clock;

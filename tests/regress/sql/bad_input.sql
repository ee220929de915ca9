-- Bad input gets a clear error with a proper SQLSTATE and changes nothing.
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

-- Runs a statement; reports its SQLSTATE and message instead of failing.
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Dept'), (11, 10, 'Section');
INSERT INTO employee VALUES (100, 'staff'), (200, 'admin');
INSERT INTO membership (employee_id, org_id, period) VALUES (100, 11, '[2015-01-01,2015-06-30]');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (200, 10, 'admin', '[2015-01-01,)');

CREATE TEMP VIEW state AS
SELECT (SELECT count(*) FROM org) AS orgs, (SELECT count(*) FROM membership) AS memberships,
       (SELECT count(*) FROM admin_grant) AS grants, (SELECT count(*) FROM closing) AS closings,
       (SELECT string_agg(org_id || ':' || path::text, ' ' ORDER BY org_id) FROM org) AS paths;
SELECT * FROM state;

SELECT pg_temp.outcome($$INSERT INTO membership (employee_id, org_id, period) VALUES (100, 10, '[2015-08-01,2015-07-01]')$$) AS end_before_start;
SELECT pg_temp.outcome($$INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (200, 10, 'hr', '[2015-08-01,2015-08-01)')$$) AS empty_period;
SELECT pg_temp.outcome($$INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (200, 10, 'hr', '(,2015-08-01)')$$) AS no_start;
SELECT pg_temp.outcome($$UPDATE org SET parent_id = 11 WHERE org_id = 10$$) AS own_ancestor;
SELECT pg_temp.outcome($$UPDATE org SET parent_id = 10 WHERE org_id = 10$$) AS own_parent;
SELECT pg_temp.outcome($$UPDATE org SET path = '{11}' WHERE org_id = 11$$) AS set_path;
SELECT pg_temp.outcome($$INSERT INTO membership (employee_id, org_id, period) VALUES (100, 10, '[2015-06-01,2015-12-31]')$$) AS overlapping_primary;
SELECT pg_temp.outcome($$INSERT INTO membership (employee_id, org_id, kind, period) VALUES (100, 10, 'concurrent', '[2015-06-01,2015-12-31]')$$) AS overlapping_concurrent_ok;
SELECT pg_temp.outcome($$INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (200, 99, 'admin', '[2015-01-01,)')$$) AS unknown_org;
SELECT pg_temp.outcome($$INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (999, 10, 'admin', '[2015-01-01,)')$$) AS unknown_admin;
SELECT pg_temp.outcome($$INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (200, 10, 'boss', '[2015-01-01,)')$$) AS unknown_kind;
SELECT pg_temp.outcome($$SELECT att_has_permission(200, 100, '2015-01-10', 'approve_everything')$$) AS unknown_permission;
SELECT pg_temp.outcome($$SELECT att_has_permission(200, 100, '2015-01-10', 'correct', 'infinity')$$) AS infinite_as_of;
SELECT pg_temp.outcome($$INSERT INTO org (org_id, parent_id, name, closing_day) VALUES (2, NULL, 'Late Co', 31)$$) AS closing_day_31;
SELECT pg_temp.outcome($$UPDATE org SET closing_day = 25 WHERE org_id = 10$$) AS closing_day_on_dept;
SELECT pg_temp.outcome($$INSERT INTO org (org_id, parent_id, name) VALUES (12, 77, 'Orphan')$$) AS unknown_parent;
SELECT pg_temp.outcome($$SELECT * FROM att_scope(200, '[2015-01-01,)')$$) AS unbounded_scope;
SELECT pg_temp.outcome($$SELECT att_close_period(99, '2015-01-10', 200)$$) AS close_unknown_org;
SELECT pg_temp.outcome($$SELECT att_close_period(1, '2015-01-10', 200, '2015-02-01')$$) AS close_above_scope;
SELECT pg_temp.outcome($$SELECT att_reopen_period(10, '2015-01-10', 200, '2015-02-01')$$) AS reopen_open_period;
SELECT pg_temp.outcome($$DELETE FROM org WHERE org_id = 10$$) AS delete_org_with_children;

-- Nothing above changed any row except the allowed concurrent membership.
SELECT * FROM state;

-- Moving a subtree rewrites the paths below it; the tree stays consistent.
INSERT INTO org (org_id, parent_id, name) VALUES (20, 1, 'Other Dept');
UPDATE org SET parent_id = 20 WHERE org_id = 10;
SELECT org_id, parent_id, path FROM org ORDER BY org_id;

-- Attacks on row-level scope by ordinary logins; each check shows the
-- attack did not work (issue 5, first part).
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

DROP ROLE IF EXISTS regress_atk_admin, regress_atk_staff;
CREATE ROLE regress_atk_admin LOGIN;
CREATE ROLE regress_atk_staff LOGIN;
GRANT USAGE ON SCHEMA attendance TO regress_atk_admin, regress_atk_staff;
GRANT SELECT ON day_record, att_daily, employee TO regress_atk_admin, regress_atk_staff;
CREATE SCHEMA regress_atk_own AUTHORIZATION regress_atk_staff;

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'A'), (20, 1, 'B');
INSERT INTO employee VALUES (1, 'admin of A'), (2, 'in A'), (3, 'in B');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (1, 10, daterange(current_date - 30, NULL)), (2, 10, daterange(current_date - 30, NULL)), (3, 20, daterange(current_date - 30, NULL));
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (1, 10, 'admin', daterange(current_date - 30, NULL));
INSERT INTO login_employee VALUES ('regress_atk_admin', 1), ('regress_atk_staff', 2);
SELECT sum(att_refresh(e, daterange(current_date - 10, current_date + 1))) AS days FROM unnest(ARRAY[1, 2, 3]) e;

\c - regress_atk_admin
-- 1. A predicate of the login's own that records every row it is shown sees
--    only rows the policy lets through: policies run before non-leakproof quals.
CREATE TEMP TABLE peeked (employee_id bigint);
CREATE FUNCTION pg_temp.peek(e bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO peeked VALUES (e);
  RETURN true;
END $$;
SELECT count(*) AS rows_returned FROM attendance.day_record WHERE pg_temp.peek(employee_id);
SELECT DISTINCT employee_id AS peeked_employee FROM peeked ORDER BY 1;
-- 2. Raising an error with the row in it leaks nothing either.
CREATE FUNCTION pg_temp.shout(e bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF e = 3 THEN RAISE EXCEPTION 'saw employee 3'; END IF;
  RETURN true;
END $$;
SELECT count(*) AS rows_returned FROM attendance.day_record WHERE pg_temp.shout(employee_id);

-- 3. Shadowing the acting-employee function through search_path changes nothing:
--    PostgreSQL never looks up functions in pg_temp unqualified, and the
--    policy calls the extension's functions by schema.
CREATE FUNCTION pg_temp.att_current_employee() RETURNS bigint LANGUAGE sql AS $$ SELECT 3::bigint $$;
SET search_path = pg_temp, attendance, public;
SELECT attendance.att_current_employee() AS acting, array_agg(DISTINCT employee_id ORDER BY employee_id) AS visible FROM attendance.day_record;
RESET search_path;

-- 4. A temp table with a trigger, named like something a SECURITY DEFINER
--    function might use, never runs with the definer's rights.
CREATE TEMP TABLE close_blockers (employee_id bigint, problem text);
CREATE TEMP TABLE escalated (who text);
CREATE FUNCTION pg_temp.grab() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO escalated VALUES (current_user);
  RETURN NEW;
END $$;
CREATE TRIGGER grab BEFORE INSERT OR DELETE ON close_blockers FOR EACH ROW EXECUTE FUNCTION pg_temp.grab();
SELECT count(*) AS listed FROM attendance.att_close_org(10, current_date, 'report');
SELECT count(*) AS escalations FROM escalated;

-- 5. Reading the tables around the views, and writing into the extension's schema, are refused.
SELECT count(*) FROM attendance.punch;
SELECT count(*) FROM attendance.membership;
SELECT count(*) FROM attendance.correction;
UPDATE attendance.day_record SET status = 'normal';
CREATE TABLE attendance.mine (x int);
CREATE FUNCTION attendance.att_can_view(bigint, date) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;

\c - regress_atk_staff
-- 6. An employee sees their own days only, whatever they set.
SET attendance.acting_employee = '1';
SET attendance.as_of = '2000-01-01';
SELECT array_agg(DISTINCT employee_id) AS visible FROM attendance.day_record;
-- 7. Who administers which org is not for the asking, nor are the refresh locks.
SELECT attendance.att_manages_org(1, 10);
SELECT attendance._att_lock_closing();
SELECT attendance._att_lock_refreshes(NULL, true);
SELECT attendance._att_lock_refreshes(ARRAY[1, 2], false);
-- 8. The scope value the policies read: asked for directly it holds the
--    asker's own spans only; a value of one's own making is the caller's
--    business (the policies compute theirs), bytes that are no scope value
--    are refused (22023), missing arguments see nothing, and a staff member
--    with parallel workers still sees their own days only.
SELECT s.employee_id, s.days FROM attendance._att_visible_spans() s;
SELECT length(attendance._att_view_scope_value()) AS value_bytes;
SELECT attendance._att_scope_allows(attendance._att_view_scope_value(), 2, '2026-10-05') AS own_day,
       attendance._att_scope_allows(attendance._att_view_scope_value(), 1, '2026-10-05') AS someone_elses;
SELECT attendance._att_scope_allows('\x00'::bytea, 2, '2026-10-05');
SELECT attendance._att_scope_allows('atv1 and more'::bytea, 2, '2026-10-05');
SELECT attendance._att_scope_allows(NULL, 2, '2026-10-05') AS no_scope, attendance._att_scope_allows(attendance._att_view_scope_value(), NULL, '2026-10-05') AS no_one,
       attendance._att_scope_allows(attendance._att_view_scope_value(), 2, NULL) AS no_day;
BEGIN;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT array_agg(DISTINCT employee_id) AS visible_in_parallel FROM attendance.day_record;
COMMIT;
-- 9. att_can_view is an invoker function: a search_path that shadows what
--    its queries call (here to_regprocedure, which its check of the
--    installed release called unqualified) changes nothing; before, it
--    sent the check down a path for release 0.1.0 that ran as the login.
CREATE FUNCTION regress_atk_own.to_regprocedure(text) RETURNS regprocedure LANGUAGE sql AS 'SELECT NULL::regprocedure';
SET search_path = regress_atk_own, pg_catalog;
SELECT attendance.att_can_view(2, '2026-10-05') AS own_day, attendance.att_can_view(1, '2026-10-05') AS someone_elses;
RESET search_path;

\c - postgres
DROP OWNED BY regress_atk_admin, regress_atk_staff;
DROP ROLE regress_atk_admin, regress_atk_staff;

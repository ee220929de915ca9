-- Scopes kept between transactions (issue 15): a BI login's scope is
-- computed once and reused by its later transactions while nothing it is
-- computed from has changed; any committed change to the tree, the
-- memberships or the grants, by any session, the clock, or the asking
-- transaction's own writes make it computed again; and every answer equals
-- what the same login sees in a new session.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
\set employees 550
\set mode simple
\set month 2026-10-01
\set ECHO none
\i benches/sql/company.sql
\set ECHO all
\set ON_ERROR_STOP 0
SET search_path = attendance, public;
SET attendance.clock = '2026-11-10 12:00+00';
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') > 15000 AS month_stored;
CREATE EXTENSION IF NOT EXISTS dblink;

-- The company's hr (552), the admin of its even departments (551: department
-- 100, employees 1-500; department 101 holds 501-550), granted
-- as README tells a DBA; and the application role acting for either.
DROP ROLE IF EXISTS regress_kept_hr;
DROP ROLE IF EXISTS regress_kept_admin;
DROP ROLE IF EXISTS regress_kept_app;
CREATE ROLE regress_kept_hr LOGIN;
ALTER ROLE regress_kept_hr SET attendance.clock = '2026-11-10 12:00+00';
CREATE ROLE regress_kept_admin;
CREATE ROLE regress_kept_app IN ROLE attendance_app;
GRANT USAGE ON SCHEMA attendance TO regress_kept_hr, regress_kept_admin, regress_kept_app;
GRANT SELECT ON day_record TO regress_kept_hr, regress_kept_admin, regress_kept_app;
GRANT SELECT ON att_daily, employee TO regress_kept_hr;
INSERT INTO login_employee VALUES ('regress_kept_hr', 552), ('regress_kept_admin', 551);

-- Whether a transaction computed its scope: its reads of admin_grant, the
-- first table a scope reads (the statistics of the transactions before are
-- flushed first, or this view would count them too).
CREATE FUNCTION pg_temp.scope_computed() RETURNS boolean LANGUAGE sql AS $$
  SELECT coalesce(sum(seq_scan + idx_scan), 0) > 0 FROM pg_stat_xact_user_tables
   WHERE relid = 'attendance.admin_grant'::regclass
$$;
CREATE FUNCTION pg_temp.new_session() RETURNS text LANGUAGE sql AS $$
  SELECT format('dbname=%s user=%s host=%s port=%s', current_database(), current_user,
                split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'))
$$;
-- What the same login sees in a new session at the same clock: its scope
-- computed afresh.
CREATE FUNCTION pg_temp.fresh_count(login text, acting text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM dblink_connect('fresh', pg_temp.new_session());
  PERFORM dblink_exec('fresh', format('SET attendance.clock = %L', current_setting('attendance.clock')));
  PERFORM dblink_exec('fresh', format('SET ROLE %I', login));
  IF acting IS NOT NULL THEN
    PERFORM dblink_exec('fresh', format('SET attendance.acting_employee = %L', acting));
  END IF;
  SELECT c INTO n FROM dblink('fresh', 'SELECT count(*) FROM attendance.day_record') AS t(c bigint);
  PERFORM dblink_disconnect('fresh');
  RETURN n;
END $$;
-- One transaction of a login (or of the application acting for an
-- employee): the rows it sees, whether a new session sees the same, and
-- whether it computed its scope.
CREATE FUNCTION pg_temp.ask(login text, acting text DEFAULT NULL)
RETURNS TABLE (rows_seen bigint, as_a_new_session boolean, computed boolean) LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', login);
  IF acting IS NOT NULL THEN
    PERFORM set_config('attendance.acting_employee', acting, true);
  END IF;
  SELECT count(*) INTO n FROM attendance.day_record;
  RESET ROLE;
  RETURN QUERY SELECT n, n = pg_temp.fresh_count(login, acting), pg_temp.scope_computed();
END $$;
-- Another session, for changes committed elsewhere, at the same clock (the
-- refreshes its changes make store days up to its today).
SELECT dblink_connect('other', pg_temp.new_session()) AS other;
SELECT dblink_exec('other', format('SET attendance.clock = %L', current_setting('attendance.clock')));
-- The hr logged in as itself, as a BI tool's pooled connection is (a SET
-- ROLE would leave a superuser as the session user, whom the views name
-- every org for): att_daily's days with their department and company
-- names, in one of its transactions, against a new connection's; and
-- whether that transaction computed anything.
CREATE FUNCTION pg_temp.login_session(login text) RETURNS text LANGUAGE sql AS $$
  SELECT format('dbname=%s user=%s host=%s port=%s', current_database(), login,
                split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'))
$$;
CREATE FUNCTION pg_temp.named_days(conn text) RETURNS text LANGUAGE sql AS $$
  SELECT d FROM dblink(conn, $q$SELECT count(*) || ' ' || md5(string_agg(concat_ws(',', employee_id, day, department_id, department, company, period_end), '|' ORDER BY employee_id, day)) FROM attendance.att_daily$q$) AS t(d text)
$$;
CREATE FUNCTION pg_temp.ask_bi() RETURNS TABLE (named_days bigint, as_a_new_session boolean, computed boolean) LANGUAGE plpgsql AS $$
DECLARE
  seen text;
  fresh text;
BEGIN
  PERFORM * FROM dblink('bi', 'SELECT pg_stat_force_next_flush()') AS t(x text);
  PERFORM dblink_exec('bi', 'BEGIN');
  seen := pg_temp.named_days('bi');
  SELECT c INTO computed FROM dblink('bi', $q$SELECT coalesce(sum(seq_scan + idx_scan), 0) > 0 FROM pg_stat_xact_user_tables
                                                WHERE relname IN ('admin_grant', 'membership')$q$) AS t(c boolean);
  PERFORM dblink_exec('bi', 'COMMIT');
  PERFORM dblink_connect('fresh_bi', pg_temp.login_session('regress_kept_hr'));
  fresh := pg_temp.named_days('fresh_bi');
  PERFORM dblink_disconnect('fresh_bi');
  RETURN QUERY SELECT split_part(seen, ' ', 1)::bigint, seen = fresh, computed;
END $$;
SELECT dblink_connect('bi', pg_temp.login_session('regress_kept_hr')) AS bi;

-- 1. The first transaction computes the scope; the next ones reuse it.
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');

SELECT * FROM pg_temp.ask_bi();
SELECT * FROM pg_temp.ask_bi();

-- 2. Another session gives the admin department 101 (50 employees more),
--    then takes it back.
SELECT dblink_exec('other', $$INSERT INTO attendance.admin_grant (admin_id, org_id, kind, period)
                              VALUES (551, 101, 'admin', '[2026-01-01,)')$$);
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT dblink_exec('other', $$DELETE FROM attendance.admin_grant WHERE admin_id = 551 AND org_id = 101$$);
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');

-- 3. Another session moves employee 1 from department 100 to department
--    101 on 2026-10-16.
SELECT dblink_exec('other', $$UPDATE attendance.membership SET period = '[2026-01-01,2026-10-16)' WHERE employee_id = 1;
                              INSERT INTO attendance.membership (employee_id, org_id, period) VALUES (1, 10100, '[2026-10-16,)')$$);
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT * FROM pg_temp.ask_bi();

-- 4. Another session moves team 10000 (employees 2-50) under department
--    101 from 2026-10-20.
SELECT dblink_exec('other', $$UPDATE attendance.org SET parent_id = 101, parent_since = '2026-10-20' WHERE org_id = 10000$$);
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');
SELECT * FROM pg_temp.ask_bi();
SELECT * FROM pg_temp.ask_bi();
-- and renames the department it moved to (the orgs a login may name are
-- kept with its scope; a change to org is a change to both)
SELECT dblink_exec('other', $$UPDATE attendance.org SET name = 'department one' WHERE org_id = 101$$);
SELECT * FROM pg_temp.ask_bi();

-- 5. A change still uncommitted elsewhere is not seen, and the scope
--    computed without it is not reused once it commits.
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT dblink_exec('other', 'BEGIN');
SELECT dblink_exec('other', $$DELETE FROM attendance.admin_grant WHERE admin_id = 551$$);
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT dblink_exec('other', 'COMMIT');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT dblink_exec('other', $$INSERT INTO attendance.admin_grant (admin_id, org_id, kind, period)
                              VALUES (551, 100, 'admin', '[2026-01-01,)')$$);

-- 6. The clock: the scope is judged as of today, so a new day computes it.
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');
SET attendance.clock = '2026-11-11 12:00+00';
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');

-- 7. A transaction that changed the grants itself sees its change; after
--    its rollback nobody does.
BEGIN;
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (551, 1, 'hr', '[2026-01-01,)');
SET LOCAL ROLE regress_kept_admin;
SELECT count(*) AS rows_seen_inside FROM day_record;
RESET ROLE;
SELECT count(*) AS rows_seen_as_hr FROM day_record;
ROLLBACK;
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_admin');

-- 8. The application role acting for one employee, then another, then the
--    first again: each sees their own scope.
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_app', '551');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_app', '552');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_app', '551');

-- 9. Many changes are folded into a few rows; the sum counts every one,
--    and a scope computed after the fold is kept.
SELECT sum(weight) AS changes_before FROM scope_change \gset
DO $$ BEGIN FOR i IN 1..300 LOOP UPDATE attendance.admin_grant SET period = period WHERE false; END LOOP; END $$;
SELECT sum(weight) - :changes_before AS changes_counted, count(*) < 256 AS folded FROM scope_change;
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');
SELECT pg_stat_force_next_flush() \gset
SELECT * FROM pg_temp.ask('regress_kept_hr');

-- 10. Logins cannot write the changes' table, fold it, or call the trigger.
SET ROLE regress_kept_hr;
\set VERBOSITY sqlstate
INSERT INTO scope_change (weight) VALUES (1);
SELECT count(*) FROM scope_change;
TRUNCATE scope_change;
SELECT _att_fold_scope_changes();
\set VERBOSITY default
RESET ROLE;

SELECT dblink_disconnect('other');
SELECT dblink_disconnect('bi');
DELETE FROM login_employee WHERE role_name LIKE 'regress_kept_%';
REVOKE ALL ON day_record FROM regress_kept_hr, regress_kept_admin, regress_kept_app;
REVOKE ALL ON att_daily, employee FROM regress_kept_hr;
ALTER ROLE regress_kept_hr RESET attendance.clock;
REVOKE USAGE ON SCHEMA attendance FROM regress_kept_hr, regress_kept_admin, regress_kept_app;
DROP ROLE regress_kept_hr;
DROP ROLE regress_kept_admin;
DROP ROLE regress_kept_app;
RESET attendance.clock;

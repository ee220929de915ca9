-- day_record's employees (issue 15): kept by statement triggers instead of
-- a foreign key checked per row, with the foreign key's guarantees. A
-- stored day names an existing employee; the employee stays locked until
-- the writer commits; an employee with stored days is neither deleted nor
-- renumbered, also when the days were committed after the deleting
-- transaction's REPEATABLE READ snapshot was taken.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
\set employees 20
\set mode simple
\set month 2026-10-01
\set ECHO none
\i benches/sql/company.sql
\set ECHO all
SET search_path = attendance, public;
SET attendance.clock = '2026-11-10 12:00+00';
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FUNCTION pg_temp.new_session() RETURNS text LANGUAGE sql AS $$
  SELECT format('dbname=%s user=%s host=%s port=%s', current_database(), current_user,
                split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'))
$$;
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') AS stored;
-- No foreign key is checked per stored row any more.
SELECT count(*) AS day_record_foreign_keys FROM pg_constraint
 WHERE conrelid = 'day_record'::regclass AND contype = 'f';

-- 1. Days of an employee who does not exist are refused, and nothing is
-- written: by a refresh, by a direct insert, by moving a day to another id.
SELECT pg_temp.outcome($$SELECT att_refresh(ARRAY[99999::bigint], '[2026-10-01,2026-10-03)')$$) AS refresh_unknown,
       pg_temp.outcome($$SELECT att_refresh(ARRAY[1, 99999, 2]::bigint[], '[2026-10-01,2026-10-03)')$$) AS refresh_mixed,
       pg_temp.outcome($$INSERT INTO day_record
                         SELECT (jsonb_populate_record(NULL::day_record, to_jsonb(d) || '{"employee_id": 99998}')).*
                           FROM day_record d WHERE employee_id = 3 AND day = '2026-10-06'$$) AS insert_unknown,
       pg_temp.outcome($$UPDATE day_record SET employee_id = 99997 WHERE employee_id = 3 AND day = '2026-10-05'$$) AS move_to_unknown;
SELECT count(*) AS days_of_unknown FROM day_record WHERE employee_id > 9000;
-- A day moved to an existing employee (a superuser's repair) passes.
SELECT pg_temp.outcome($$UPDATE day_record SET employee_id = 4, day = '2026-12-31' WHERE employee_id = 3 AND day = '2026-10-05'$$) AS move_to_known;
DELETE FROM day_record WHERE employee_id = 4 AND day = '2026-12-31';

-- 2. An employee with stored days is not deleted or renumbered; without
-- them, it is. (Employees 900-903 have no membership or punch, so only
-- their days hold them.)
INSERT INTO employee (employee_id, display_name) VALUES (900, 'leaver'), (901, 'racer'), (902, 'waiter'), (903, 'unseen');
SELECT att_refresh(ARRAY[900]::bigint[], '[2026-10-01,2026-10-03)') AS leaver_days;
SELECT pg_temp.outcome($$DELETE FROM employee WHERE employee_id = 900$$) AS delete_with_days,
       pg_temp.outcome($$UPDATE employee SET employee_id = 909 WHERE employee_id = 900$$) AS renumber_with_days,
       pg_temp.outcome($$UPDATE employee SET display_name = 'leaver, renamed' WHERE employee_id = 900$$) AS rename;
DELETE FROM day_record WHERE employee_id = 900;
SELECT pg_temp.outcome($$UPDATE employee SET employee_id = 909 WHERE employee_id = 900$$) AS renumber_without_days,
       pg_temp.outcome($$DELETE FROM employee WHERE employee_id = 909$$) AS delete_without_days;

-- 3. The writer holds its employees until it commits: another session's
-- refresh of 901 is open, and deleting 901 waits for it (here: gives up
-- after the lock timeout), then is refused once the days are committed.
SELECT dblink_connect('other', pg_temp.new_session()) AS other;
SELECT dblink_exec('other', $$SET attendance.clock = '2026-11-10 12:00+00'$$);
SELECT dblink_exec('other', 'BEGIN');
SELECT * FROM dblink('other', $$SELECT attendance.att_refresh(ARRAY[901]::bigint[], '[2026-10-01,2026-10-03)')$$) AS t(written integer);
SET lock_timeout = '300ms';
SELECT pg_temp.outcome($$DELETE FROM employee WHERE employee_id = 901$$) AS delete_while_refreshing;
RESET lock_timeout;
SELECT dblink_exec('other', 'COMMIT');
SELECT pg_temp.outcome($$DELETE FROM employee WHERE employee_id = 901$$) AS delete_after_commit;

-- 4. REPEATABLE READ: the deleting transaction's snapshot is taken before
-- the other session stores 902's days and commits; its delete is still
-- refused, since the check reads the latest committed days, as a foreign
-- key's does.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS days_of_902_in_snapshot FROM day_record WHERE employee_id = 902;
SELECT * FROM dblink('other', $$SELECT attendance.att_refresh(ARRAY[902]::bigint[], '[2026-10-01,2026-10-03)')$$) AS t(written integer);
SELECT pg_temp.outcome($$DELETE FROM employee WHERE employee_id = 902$$) AS delete_under_old_snapshot;
ROLLBACK;
-- The other way round: a refresh waiting for a delete that commits finds
-- the employee gone (23503), and stores nothing.
BEGIN;
DELETE FROM employee WHERE employee_id = 903;
SELECT dblink_send_query('other', $$SELECT attendance.att_refresh(ARRAY[903]::bigint[], '[2026-10-01,2026-10-03)')$$) AS sent;
SELECT pg_sleep(0.3);
COMMIT;
SELECT pg_temp.outcome($$SELECT * FROM dblink_get_result('other') AS t(written integer)$$) AS refresh_after_delete;
SELECT count(*) AS days_of_903 FROM day_record WHERE employee_id = 903;
SELECT dblink_disconnect('other');

-- 5. Logins cannot call the check, nor the period sums' writer that the
-- period trigger (an invoker) calls.
DROP ROLE IF EXISTS regress_day_employees_login;
CREATE ROLE regress_day_employees_login;
GRANT USAGE ON SCHEMA attendance TO regress_day_employees_login;
SET ROLE regress_day_employees_login;
SELECT pg_temp.outcome($$SELECT attendance._att_employee_with_days(ARRAY[1]::bigint[])$$) AS check_as_login,
       pg_temp.outcome($$SELECT attendance._att_period_keep(ARRAY[1]::bigint[], ARRAY['2026-10-01']::date[])$$) AS period_sums_as_login;
RESET ROLE;
REVOKE USAGE ON SCHEMA attendance FROM regress_day_employees_login;
DROP ROLE regress_day_employees_login;

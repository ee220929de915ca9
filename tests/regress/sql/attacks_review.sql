-- Attacks found by reviewing the write paths after issue 12's fixes, as
-- ordinary logins: the sync role, an admin, a plain employee.
--   a. The sync role shrinks a membership across a closed period: the closed
--      days must stay as they were (a day closed once stays closed whatever
--      the memberships say later).
--   b. A session TimeZone far from UTC must not move the refresh window of a
--      write (closed days) or the days a correction is judged on.
--   c. Direct inserts cannot forge who recorded a punch, its source or when.
--   d. org.path cannot be set, not even from a trigger of the login's own.
--   e. att_refresh over an enormous range is refused for a login, and a
--      superuser's can be cancelled.
--   f. att_close_org with a NULL choice closes nothing.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-12-01 03:00+00';
DROP ROLE IF EXISTS regress_atkr_erp, regress_atkr_admin, regress_atkr_staff;
CREATE ROLE regress_atkr_erp LOGIN;      -- the ERP's login, granted attendance_sync
CREATE ROLE regress_atkr_admin LOGIN;    -- 9001, admin of Sales
CREATE ROLE regress_atkr_staff LOGIN;    -- 2001, in Sales
GRANT attendance_sync TO regress_atkr_erp;
GRANT USAGE ON SCHEMA attendance TO regress_atkr_admin, regress_atkr_staff;
GRANT SELECT ON day_record, att_daily, employee TO regress_atkr_admin, regress_atkr_staff;
ALTER ROLE regress_atkr_erp SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkr_admin SET attendance.clock = '2026-12-01 03:00+00';
ALTER ROLE regress_atkr_staff SET attendance.clock = '2026-12-01 03:00+00';

CREATE FUNCTION public.atkr_try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE stmt;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN 'ok: ' || n || ' row(s)';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '\d{4}-\d{2}-\d{2}', 'DAY', 'g');
END $$;
GRANT EXECUTE ON FUNCTION public.atkr_try(text) TO PUBLIC;

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'Sales'), (20, 1, 'Plant');
INSERT INTO employee VALUES (2001, 'staff'), (2002, 'staff 2'), (3002, 'moves from Plant to Sales on 11-27'),
  (9001, 'admin of Sales'), (9003, 'hr');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (2001, 10, '[2026-01-01,)'), (2002, 10, '[2026-01-01,)'), (3002, 20, '[2026-01-01,2026-11-27)'), (3002, 10, '[2026-11-27,)'),
  (9001, 10, '[2026-01-01,)'), (9003, 1, '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (9001, 10, 'admin', '[2026-01-01,)'), (9003, 1, 'hr', '[2026-01-01,)');
INSERT INTO login_employee VALUES ('regress_atkr_admin', 9001), ('regress_atkr_staff', 2001);
INSERT INTO rule (rule_id, name) VALUES (1, 'office'), (2, 'nights');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "office", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
    "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}}, "time_zone": "Asia/Tokyo"}'),
  (2, '2026-01-01', '{"name": "nights", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "n", "periods": [{"start": "22:00", "end": "06:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "n"}, "time_zone": "Asia/Tokyo"}');
INSERT INTO rule_org VALUES (10, 1), (20, 2);
INSERT INTO punch (employee_id, at) VALUES (3002, '2026-11-26 22:00+09');   -- 3002's night of the 26th, no check-out
-- hr closes Sales' October; it was stored when it closed.
SELECT att_close_period(10, '2026-10-15', 9003) AS closed;
SELECT count(*) AS closed_days_stored, count(*) FILTER (WHERE status = 'absent') AS absent
  FROM day_record WHERE employee_id = 2002 AND day BETWEEN '2026-10-01' AND '2026-10-31';

-- a. The ERP ends 2002's membership before October: the closed days stay.
\c - regress_atkr_erp
SELECT public.atkr_try($$UPDATE attendance.membership SET period = '[2026-01-01,2026-10-01)' WHERE employee_id = 2002$$) AS shrink_membership;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT count(*) FILTER (WHERE status = 'absent') AS absent_still, count(*) FILTER (WHERE status = 'not_employed') AS rewritten,
       (SELECT count(*) FROM correction) AS corrections, att_day_closed(2002, '2026-10-15') AS still_closed
  FROM day_record WHERE employee_id = 2002 AND day BETWEEN '2026-10-01' AND '2026-10-31';

-- b. A zone 150 hours east moves neither a punch's refresh window nor the
--    days a correction is judged on.
\c - regress_atkr_erp
SET TimeZone = '<+150>-150';
SELECT public.atkr_try($$INSERT INTO attendance.punch (employee_id, at) VALUES (2001, '2026-10-20 09:00+09')$$) AS punch_into_closed_day;
SELECT public.atkr_try($$SELECT attendance.att_sync_punch(2001, 'erp', 'x1', '2026-10-21 09:00+09')$$) AS sync_into_closed_day;
\c - regress_atkr_admin
SET TimeZone = '<+150>-150';
-- the admin has view on 3002's 11-26 (Plant) and full on 11-27 (Sales): a
-- check-out at 06:00 on the 27th ends the night of the 26th
SELECT public.atkr_try($$SELECT attendance.att_make_up_punch(3002, '2026-11-27 06:00+09', 'x')$$) AS changes_a_view_day;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT count(*) AS punches_in_closed_october FROM punch WHERE employee_id = 2001 AND at < '2026-11-01';
SELECT status FROM day_record WHERE employee_id = 3002 AND day = '2026-11-26';

-- c. A direct insert cannot pass as a make-up punch by hr, backdated.
\c - regress_atkr_erp
SELECT public.atkr_try($$INSERT INTO attendance.punch (employee_id, at, source, recorded_by, reason, recorded_at, revision)
                         VALUES (2001, '2026-11-30 18:05+09', 'make_up', 9003, 'forged', '2020-01-01', 7)$$) AS forged_make_up;
\c - postgres
SET search_path = attendance, public;
SELECT source, recorded_by, reason, recorded_at > '2026-01-01' AS recorded_now, revision FROM punch WHERE at = '2026-11-30 18:05+09';

-- d. A trigger of the login's own cannot set org.path.
\c - regress_atkr_erp
CREATE TEMP TABLE t (x int);
CREATE FUNCTION pg_temp.f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE attendance.org SET path = '{1,10,20}' WHERE org_id = 20;
  RETURN NULL;
END $$;
CREATE TRIGGER t AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.f();
SELECT public.atkr_try($$INSERT INTO t VALUES (1)$$) AS forge_path;
SELECT public.atkr_try($$UPDATE attendance.org SET path = '{1,10,20}' WHERE org_id = 20$$) AS set_path;
\c - postgres
SET attendance.clock = '2026-12-01 03:00+00';
SET search_path = attendance, public;
SELECT org_id, path FROM org ORDER BY org_id;
SELECT att_can_access(9001, 3002, '2026-11-20') AS admin_on_plant_day;

-- e. A login's refresh over centuries is refused at once.
\c - regress_atkr_staff
SELECT public.atkr_try($$SELECT attendance.att_refresh(ARRAY[2001]::bigint[], '[1000-01-01,9999-12-31)')$$) AS refresh_centuries;
\c - postgres
-- ... and a superuser's long refresh can be cancelled (statement_timeout).
SET statement_timeout = '1s';
DO $$
BEGIN
  PERFORM attendance.att_refresh(ARRAY[2001]::bigint[], '[1000-01-01,9999-12-31)');
EXCEPTION WHEN query_canceled THEN
  RAISE WARNING 'the refresh over centuries was cancelled';
END $$;
RESET statement_timeout;
-- f. A NULL choice of what to do with the unapproved is refused.
\c - regress_atkr_admin
SELECT public.atkr_try($$SELECT count(*) FROM attendance.att_close_org(10, '2026-11-20', NULL)$$) AS close_org_null;
\c - postgres
SET search_path = attendance, public;
SELECT count(*) AS november_closings FROM closing WHERE period @> date '2026-11-20';

DROP FUNCTION public.atkr_try(text);
DROP OWNED BY regress_atkr_erp, regress_atkr_admin, regress_atkr_staff;
DROP ROLE regress_atkr_erp, regress_atkr_admin, regress_atkr_staff;

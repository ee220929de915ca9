-- After the shard group of employee 1 moved to the other worker (Citus's
-- rebalancer moves shards this way; tests/citus/check.sh moves it on the
-- distributed database only): the same evaluation, punches kept current on
-- the new worker, and a company-wide refresh, on both databases.
\set ON_ERROR_STOP on
SET datestyle = ISO;
SET search_path = attendance, public;
\echo == 11 after a shard move
SELECT count(*), md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) FROM att_evaluate_all('[2026-10-01,2026-11-01)') r;
SELECT md5(string_agg(r::text, '|' ORDER BY r.employee_id, r.day)) FROM att_evaluate(ARRAY[1, 9, 17], '[2026-10-01,2026-11-01)') r;
SELECT public.citus_check_try($$INSERT INTO attendance.punch (employee_id, at) VALUES (1, '2026-11-02 13:40+00'), (9, '2026-11-02 13:41+00')$$) AS punched;
SELECT * FROM public.citus_check_days;
SELECT att_refresh_org(1, '[2026-10-01,2026-11-01)') >= 0 AS refreshed;
SELECT * FROM public.citus_check_days;
SELECT count(*) AS jobs_left FROM refresh_job;

-- SQL benchmark of the scope functions on a generated company: counting 1M
-- (employee, day) pairs under an admin's scope, one att_can_access call per
-- row against one att_scope call joined to the pairs.
-- Run: ./scripts/bench-sql.sh scope
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS attendance CASCADE;
SET search_path = attendance, public;

-- 10,000 employees in 200 sections under 20 departments; a two-year history
-- with a transfer every 4 months; the admin manages half the departments.
INSERT INTO org (org_id, parent_id, name, closing_day) VALUES (1, NULL, 'Bench Co', 25);
INSERT INTO org (org_id, parent_id, name) SELECT 100 + d, 1, 'dept ' || d FROM generate_series(0, 19) d;
INSERT INTO org (org_id, parent_id, name)
SELECT 1000 + d * 100 + s, 100 + d, 'section ' || d || '.' || s FROM generate_series(0, 19) d, generate_series(0, 9) s;
INSERT INTO employee SELECT e, 'employee ' || e FROM generate_series(1, 10000) e;
INSERT INTO employee VALUES (99999, 'bench admin');
INSERT INTO membership (employee_id, org_id, period)
SELECT e, 1000 + ((e * 7 + k * 13) % 20) * 100 + (e + k) % 10,
       daterange(date '2024-01-01' + k * 120, date '2024-01-01' + (k + 1) * 120)
  FROM generate_series(1, 10000) e, generate_series(0, 5) k;
INSERT INTO admin_grant (admin_id, org_id, kind, period)
SELECT 99999, 100 + d, 'admin', '[2024-01-01,)' FROM generate_series(0, 9) d;
ANALYZE;

CREATE TEMP TABLE result (method text, pairs bigint, in_scope bigint, seconds numeric);

DO $$
DECLARE
  t0 timestamptz; n bigint; total bigint := 10000 * 100;
BEGIN
  t0 := clock_timestamp();
  SELECT count(*) INTO n
    FROM attendance.employee e CROSS JOIN generate_series(date '2024-09-01', date '2024-12-09', interval '1 day') d
   WHERE e.employee_id <= 10000
     AND attendance.att_can_access(99999, e.employee_id, d::date, date '2024-11-15') <> 'none';
  INSERT INTO result VALUES ('att_can_access, one call per row', total, n, extract(epoch FROM clock_timestamp() - t0));

  t0 := clock_timestamp();
  SELECT count(*) INTO n
    FROM attendance.employee e CROSS JOIN generate_series(date '2024-09-01', date '2024-12-09', interval '1 day') d
    JOIN attendance.att_scope(99999, daterange('2024-09-01', '2024-12-10'), date '2024-11-15') s
      ON s.employee_id = e.employee_id AND s.days @> d::date
   WHERE e.employee_id <= 10000;
  INSERT INTO result VALUES ('att_scope joined, one call per query', total, n, extract(epoch FROM clock_timestamp() - t0));
END $$;

SELECT method, pairs, in_scope, round(seconds, 3) AS seconds, round(pairs / seconds) AS pairs_per_second
  FROM result;
SELECT round(max(seconds) FILTER (WHERE method LIKE 'att_can_access%') / max(seconds) FILTER (WHERE method LIKE 'att_scope%'), 1) AS set_form_speedup,
       count(DISTINCT in_scope) = 1 AS same_count
  FROM result;

-- The scope oracle through SQL (issue 5, part 2): random org trees,
-- membership histories and grants are loaded into real tables; att_can_access
-- and att_scope must agree with a brute-force oracle written in SQL straight
-- from SPEC.md A on every probed (admin, employee, day, as-of date).
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SELECT setseed(0.4242);

-- 300 worlds; world w uses org ids and employee ids w*100 + k.
CREATE TEMP TABLE world AS SELECT w, 2 + floor(random() * 6)::int AS orgs FROM generate_series(1, 300) w;
CREATE TEMP TABLE org_plan AS
SELECT w.w, k, w.w * 100 + k AS org_id,
       CASE WHEN k = 1 OR random() < 0.2 THEN NULL ELSE w.w * 100 + 1 + floor(random() * (k - 1))::int END AS parent_id,
       CASE WHEN random() < 0.5 THEN NULL ELSE 1 + floor(random() * 28)::int END AS closing_day
  FROM world w, generate_series(1, w.orgs) k;
INSERT INTO org (org_id, parent_id, name, closing_day)
SELECT org_id, parent_id, 'org ' || org_id, CASE WHEN parent_id IS NULL THEN closing_day END FROM org_plan ORDER BY w, k;
-- One admin (w*100+1) and one employee (w*100+2) per world.
INSERT INTO employee SELECT w * 100 + e, 'e' FROM world, generate_series(1, 2) e;
CREATE FUNCTION pg_temp.random_period() RETURNS daterange LANGUAGE sql VOLATILE AS $$
  SELECT daterange(s, CASE WHEN random() < 0.2 THEN NULL ELSE s + 1 + floor(random() * 70)::int END)
    FROM (SELECT date '2015-01-01' + floor(random() * 150)::int AS s) x
$$;
-- Memberships in distinct orgs (concurrent, so they may overlap in time) and grants on distinct orgs.
INSERT INTO membership (employee_id, org_id, kind, period)
SELECT w.w * 100 + 2, o.org_id, 'concurrent', pg_temp.random_period()
  FROM world w JOIN LATERAL (SELECT org_id FROM org_plan p WHERE p.w = w.w ORDER BY random() LIMIT 1 + floor(random() * 3)::int) o ON true;
INSERT INTO admin_grant (admin_id, org_id, kind, period)
SELECT w.w * 100 + 1, o.org_id, CASE WHEN random() < 0.5 THEN 'admin' ELSE 'hr' END::admin_kind, pg_temp.random_period()
  FROM world w JOIN LATERAL (SELECT org_id FROM org_plan p WHERE p.w = w.w ORDER BY random() LIMIT 1 + floor(random() * 2)::int) o ON true;

-- The oracle, from the definitions: managed orgs top-down, closing periods by walking days.
CREATE FUNCTION pg_temp.managed(admin bigint, t date) RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
  WITH RECURSIVE down AS (
    SELECT g.org_id FROM attendance.admin_grant g WHERE g.admin_id = admin AND g.period @> t
    UNION
    SELECT o.org_id FROM attendance.org o JOIN down ON o.parent_id = down.org_id)
  SELECT org_id FROM down
$$;
CREATE FUNCTION pg_temp.period_key(x date, closing int) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN closing IS NULL OR extract(day FROM x) <= closing THEN date_trunc('month', x)::date
              ELSE (date_trunc('month', x) + interval '1 month')::date END
$$;
CREATE FUNCTION pg_temp.company_closing(org bigint) RETURNS int LANGUAGE sql STABLE AS $$
  WITH RECURSIVE up AS (
    SELECT o.org_id, o.parent_id, o.closing_day FROM attendance.org o WHERE o.org_id = org
    UNION ALL
    SELECT p.org_id, p.parent_id, p.closing_day FROM attendance.org p JOIN up ON p.org_id = up.parent_id)
  SELECT closing_day FROM up WHERE parent_id IS NULL
$$;
CREATE FUNCTION pg_temp.oracle(admin bigint, employee bigint, d date, t date) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM attendance.membership m WHERE m.employee_id = employee AND m.period @> d
                   AND m.org_id IN (SELECT pg_temp.managed(admin, t))) THEN 'full'
    WHEN EXISTS (SELECT 1 FROM attendance.membership m WHERE m.employee_id = employee AND m.period @> t
                   AND m.org_id IN (SELECT pg_temp.managed(admin, t))) THEN 'view'
    WHEN EXISTS (SELECT 1 FROM attendance.membership m
                  CROSS JOIN LATERAL (SELECT pg_temp.company_closing(m.org_id) AS c) company
                  CROSS JOIN LATERAL generate_series(d - 40, d + 40, interval '1 day') x
                  WHERE m.employee_id = employee AND m.org_id IN (SELECT pg_temp.managed(admin, t))
                    AND pg_temp.period_key(x::date, company.c) = pg_temp.period_key(d, company.c)
                    AND m.period @> x::date) THEN 'view'
    ELSE 'none' END
$$;

-- 20 random (day, as-of) probes per world.
CREATE TEMP TABLE probe AS
SELECT w * 100 + 1 AS admin, w * 100 + 2 AS employee,
       date '2015-01-01' + floor(random() * 150)::int AS d, date '2015-01-01' + floor(random() * 150)::int AS t
  FROM world, generate_series(1, 20);
CREATE TEMP TABLE judged AS
SELECT p.*, pg_temp.oracle(p.admin, p.employee, p.d, p.t) AS want,
       att_can_access(p.admin, p.employee, p.d, p.t)::text AS got,
       coalesce((SELECT s.level::text FROM att_scope(p.admin, daterange(p.d, p.d + 1), p.t) s
                  WHERE s.employee_id = p.employee AND s.days @> p.d), 'none') AS got_set
  FROM probe p;

SELECT count(*) AS probes,
       count(*) FILTER (WHERE got <> want) AS att_can_access_disagrees,
       count(*) FILTER (WHERE got_set <> want) AS att_scope_disagrees,
       count(DISTINCT want) AS levels_reached
  FROM judged;
SELECT want, count(*) > 100 AS well_covered FROM judged GROUP BY 1 ORDER BY 1;

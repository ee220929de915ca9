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

-- Part 2: reorganisations (SPEC.md A). Random dated moves in every world,
-- applied in a random order (a later one may rewrite the days of an earlier
-- one); a move that would make a cycle on some day is refused and changes
-- nothing. The oracle places each org on each day from the moves as
-- applied, independently of org_tree: on day x an org's parent is that of
-- the last applied move dated x or before, else its first parent.
SELECT setseed(0.777);
CREATE TEMP TABLE move_plan (seq serial, org_id bigint, parent_id bigint, since date);
CREATE TEMP TABLE move_tally (applied int DEFAULT 0, refused int DEFAULT 0);
INSERT INTO move_tally DEFAULT VALUES;
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT p.org_id,
                  CASE WHEN random() < 0.15 THEN NULL
                       ELSE (SELECT q.org_id FROM org_plan q WHERE q.w = p.w AND q.org_id <> p.org_id ORDER BY random() LIMIT 1) END AS parent,
                  date '2015-01-01' + floor(random() * 150)::int AS since
             FROM org_plan p, generate_series(1, 2) n WHERE random() < 0.4 ORDER BY random()
  LOOP
    BEGIN
      UPDATE attendance.org SET parent_id = r.parent, parent_since = r.since WHERE org_id = r.org_id;
      INSERT INTO move_plan (org_id, parent_id, since) VALUES (r.org_id, r.parent, r.since);
      UPDATE move_tally SET applied = applied + 1;
    EXCEPTION WHEN check_violation THEN
      -- a cycle on some day, or a company (with a closing day) put below another
      UPDATE move_tally SET refused = refused + 1;
    END;
  END LOOP;
END $$;
SELECT applied > 300 AS many_moves, refused > 10 AS some_refused FROM move_tally;
CREATE INDEX ON move_plan (org_id, since);
CREATE TEMP TABLE oday AS SELECT x::date FROM generate_series(date '2014-11-20', date '2015-07-15', interval '1 day') x;
CREATE TEMP TABLE placed AS
SELECT p.org_id::bigint AS org_id, d.x, CASE WHEN m.seq IS NULL THEN p.parent_id ELSE m.parent_id END::bigint AS parent_id
  FROM org_plan p CROSS JOIN oday d
  LEFT JOIN LATERAL (SELECT mp.seq, mp.parent_id FROM move_plan mp
                      WHERE mp.org_id = p.org_id AND mp.since <= d.x ORDER BY mp.seq DESC LIMIT 1) m ON true;
CREATE INDEX ON placed (org_id, x);
-- Every org's ancestors (itself included) on every day, and its company's closing day.
CREATE TEMP TABLE chain AS
WITH RECURSIVE up AS (
  SELECT org_id, x, org_id AS anc, parent_id AS next FROM placed
  UNION ALL
  SELECT u.org_id, u.x, u.next, p.parent_id FROM up u JOIN placed p ON p.org_id = u.next AND p.x = u.x
)
SELECT u.org_id, u.x, u.anc, CASE WHEN u.next IS NULL THEN o.closing_day END AS company_closing
  FROM up u JOIN attendance.org o ON o.org_id = u.anc;
CREATE INDEX ON chain (org_id, x);
CREATE FUNCTION pg_temp.managed_on(admin bigint, t date, org bigint, x date) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM chain c JOIN attendance.admin_grant g ON g.org_id = c.anc
                  WHERE c.org_id = org AND c.x = managed_on.x AND g.admin_id = admin AND g.period @> t)
$$;
CREATE FUNCTION pg_temp.oracle_dated(admin bigint, employee bigint, d date, t date) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM attendance.membership m WHERE m.employee_id = employee AND m.period @> d
                   AND pg_temp.managed_on(admin, t, m.org_id, d)) THEN 'full'
    WHEN EXISTS (SELECT 1 FROM attendance.membership m WHERE m.employee_id = employee AND m.period @> t
                   AND pg_temp.managed_on(admin, t, m.org_id, t)) THEN 'view'
    WHEN EXISTS (SELECT 1 FROM attendance.membership m
                  CROSS JOIN LATERAL (SELECT g::date AS day FROM generate_series(d - 40, d + 40, interval '1 day') g) x
                  CROSS JOIN LATERAL (SELECT max(c.company_closing) AS c FROM chain c
                                       WHERE c.org_id = m.org_id AND c.x = x.day) company
                  WHERE m.employee_id = employee AND m.period @> x.day
                    AND pg_temp.managed_on(admin, t, m.org_id, x.day)
                    AND pg_temp.period_key(x.day, company.c) = pg_temp.period_key(d, company.c)) THEN 'view'
    ELSE 'none' END
$$;
CREATE TEMP TABLE judged_dated AS
SELECT p.*, pg_temp.oracle_dated(p.admin, p.employee, p.d, p.t) AS want,
       att_can_access(p.admin, p.employee, p.d, p.t)::text AS got,
       coalesce((SELECT s.level::text FROM att_scope(p.admin, daterange(p.d, p.d + 1), p.t) s
                  WHERE s.employee_id = p.employee AND s.days @> p.d), 'none') AS got_set
  FROM probe p;
SELECT count(*) AS probes,
       count(*) FILTER (WHERE got <> want) AS att_can_access_disagrees,
       count(*) FILTER (WHERE got_set <> want) AS att_scope_disagrees,
       count(*) FILTER (WHERE want <> j.was) AS moves_changed_the_answer
  FROM judged_dated JOIN (SELECT admin, employee, d, t, want AS was FROM judged) j USING (admin, employee, d, t);
SELECT * FROM judged_dated WHERE got <> want OR got_set <> want ORDER BY admin, d, t LIMIT 5;

-- Seed 002, 5.1.4: the three acceptance scenarios, every cell, for every
-- current date of each table and every work day of each column.
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

INSERT INTO org (org_id, parent_id, name) VALUES
  (1, NULL, 'サンプル会社'), (11, 1, 'サンプル課11'), (12, 1, 'サンプル課12'), (21, 1, 'サンプル課21');

-- Scenario ① staff moving each month; ② admin changes on 02/21; ③ user moves on 02/21.
INSERT INTO employee VALUES
  (101, 'ユーザ01 ①'), (111, '管理者11 ①'), (112, '管理者12 ①'), (121, '管理者21 ①'),
  (201, 'ユーザ01 ②'), (211, '管理者11 ②'),
  (301, 'ユーザ01 ③'), (311, '管理者11 ③');

INSERT INTO membership (employee_id, org_id, period) VALUES
  (101, 11, '[2015-01-01,2015-01-31]'), (101, 12, '[2015-02-01,2015-02-28]'), (101, 21, '[2015-03-01,2015-03-31]'),
  (201, 11, '[2015-01-01,2015-03-31]'),
  (301, 11, '[2015-01-01,2015-02-20]'), (301, 12, '[2015-02-21,2015-03-31]');

INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (111, 11, 'admin', '[2015-01-01,2015-03-31]'),
  (112, 12, 'admin', '[2015-01-01,2015-03-31]'),
  (121, 21, 'admin', '[2015-01-01,2015-03-31]'),
  (211, 11, 'admin', '[2015-01-01,2015-02-20]'), (211, 12, 'admin', '[2015-02-21,2015-03-31]'),
  (311, 11, 'admin', '[2015-01-01,2015-03-31]');

-- The seed's tables, transcribed: one row per (current-date range, admin), one
-- symbol per column of work days.
CREATE TEMP TABLE seed_row (scenario int, employee bigint, admin bigint, now daterange, expected text[]);
CREATE TEMP TABLE seed_column (scenario int, col int, days daterange);
INSERT INTO seed_column VALUES
  (1, 1, '[2015-01-01,2015-01-31]'), (1, 2, '[2015-02-01,2015-02-28]'), (1, 3, '[2015-03-01,2015-03-31]'),
  (2, 1, '[2015-01-01,2015-01-31]'), (2, 2, '[2015-02-01,2015-02-20]'), (2, 3, '[2015-02-21,2015-02-28]'), (2, 4, '[2015-03-01,2015-03-31]'),
  (3, 1, '[2015-01-01,2015-01-31]'), (3, 2, '[2015-02-01,2015-02-20]'), (3, 3, '[2015-02-21,2015-02-28]'), (3, 4, '[2015-03-01,2015-03-31]');
INSERT INTO seed_row VALUES
  (1, 101, 111, '[2015-01-01,2015-01-31]', '{○,△,△}'),
  (1, 101, 112, '[2015-01-01,2015-01-31]', '{×,○,×}'),
  (1, 101, 121, '[2015-01-01,2015-01-31]', '{×,×,○}'),
  (1, 101, 111, '[2015-02-01,2015-02-28]', '{○,×,×}'),
  (1, 101, 112, '[2015-02-01,2015-02-28]', '{△,○,△}'),
  (1, 101, 121, '[2015-02-01,2015-02-28]', '{×,×,○}'),
  (1, 101, 111, '[2015-03-01,2015-03-31]', '{○,×,×}'),
  (1, 101, 112, '[2015-03-01,2015-03-31]', '{×,○,×}'),
  (1, 101, 121, '[2015-03-01,2015-03-31]', '{△,△,○}'),
  (2, 201, 211, '[2015-01-01,2015-01-31]', '{○,○,○,○}'),
  (2, 201, 211, '[2015-02-01,2015-02-20]', '{○,○,○,○}'),
  (2, 201, 211, '[2015-02-21,2015-02-28]', '{×,×,×,×}'),
  (2, 201, 211, '[2015-03-01,2015-03-31]', '{×,×,×,×}'),
  (3, 301, 311, '[2015-01-01,2015-01-31]', '{○,○,△,△}'),
  (3, 301, 311, '[2015-02-01,2015-02-20]', '{○,○,△,△}'),
  (3, 301, 311, '[2015-02-21,2015-02-28]', '{○,○,△,×}'),
  (3, 301, 311, '[2015-03-01,2015-03-31]', '{○,○,△,×}');

CREATE TEMP VIEW seed_probe AS
SELECT r.scenario, r.employee, r.admin, r.now, c.col, r.expected[c.col] AS expected, t::date AS t, d::date AS d,
       CASE att_can_access(r.admin, r.employee, d::date, t::date)
         WHEN 'full' THEN '○' WHEN 'view' THEN '△' ELSE '×' END AS got
  FROM seed_row r
  JOIN seed_column c USING (scenario)
  CROSS JOIN LATERAL generate_series(lower(r.now), upper(r.now) - 1, interval '1 day') AS t
  CROSS JOIN LATERAL generate_series(lower(c.days), upper(c.days) - 1, interval '1 day') AS d;

-- The tables as printed: every symbol must equal the seed's, for all its dates.
SELECT scenario AS "#", e.display_name AS "管理者", lower(now) || ' ~ ' || (upper(now) - 1) AS "現在日付",
       string_agg(expected, ' ' ORDER BY col) AS seed,
       string_agg(cell, ' ' ORDER BY col) AS got
  FROM (SELECT scenario, admin, now, col, expected, string_agg(DISTINCT got, '/') AS cell
          FROM seed_probe GROUP BY scenario, admin, now, col, expected) per_cell
  JOIN employee e ON e.employee_id = admin
 GROUP BY scenario, e.display_name, now
 ORDER BY scenario, lower(now), e.display_name;

SELECT count(*) AS probes, count(*) FILTER (WHERE got <> expected) AS mismatches,
       count(DISTINCT (scenario, admin, now, col)) AS cells
  FROM seed_probe;

-- The set-returning form agrees with att_can_access on every probe.
SELECT count(*) AS probes,
       count(*) FILTER (WHERE coalesce(s.level, 'none') <> att_can_access(p.admin, p.employee, p.d, p.t)) AS disagreements
  FROM seed_probe p
  LEFT JOIN LATERAL (
    SELECT s.level FROM att_scope(p.admin, '[2015-01-01,2015-04-01)', p.t) s
     WHERE s.employee_id = p.employee AND s.days @> p.d) s ON true
 WHERE p.t IN ('2015-01-15', '2015-02-10', '2015-02-25', '2015-03-20');

-- Seed 002 through row-level security: for every cell of the three
-- scenarios, every current date and every day, an admin sees a day in the
-- daily view exactly when the seed gives ○ or △. The login is a trusted
-- application role acting for each admin as of each current date (a BI
-- login sees its scope as of today; access_rls tests those logins).
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

INSERT INTO org (org_id, parent_id, name) VALUES
  (1, NULL, 'サンプル会社'), (11, 1, 'サンプル課11'), (12, 1, 'サンプル課12'), (21, 1, 'サンプル課21');
INSERT INTO employee VALUES
  (101, 'ユーザ01 ①'), (111, '管理者11 ①'), (112, '管理者12 ①'), (121, '管理者21 ①'),
  (201, 'ユーザ01 ②'), (211, '管理者11 ②'), (301, 'ユーザ01 ③'), (311, '管理者11 ③');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (101, 11, '[2015-01-01,2015-01-31]'), (101, 12, '[2015-02-01,2015-02-28]'), (101, 21, '[2015-03-01,2015-03-31]'),
  (201, 11, '[2015-01-01,2015-03-31]'),
  (301, 11, '[2015-01-01,2015-02-20]'), (301, 12, '[2015-02-21,2015-03-31]');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES
  (111, 11, 'admin', '[2015-01-01,2015-03-31]'), (112, 12, 'admin', '[2015-01-01,2015-03-31]'),
  (121, 21, 'admin', '[2015-01-01,2015-03-31]'),
  (211, 11, 'admin', '[2015-01-01,2015-02-20]'), (211, 12, 'admin', '[2015-02-21,2015-03-31]'),
  (311, 11, 'admin', '[2015-01-01,2015-03-31]');
SELECT sum(att_refresh(e, '[2015-01-01,2015-03-31]')) AS days FROM unnest(ARRAY[101, 201, 301]) e;

DROP ROLE IF EXISTS regress_att_seed_app;
CREATE ROLE regress_att_seed_app LOGIN IN ROLE attendance_app;
GRANT USAGE ON SCHEMA attendance TO regress_att_seed_app;
GRANT SELECT ON att_daily, day_record, employee TO regress_att_seed_app;

\c - regress_att_seed_app
SET datestyle = ISO;
CREATE TEMP TABLE seed_row (scenario int, employee bigint, admin bigint, now daterange, expected text[]);
CREATE TEMP TABLE seed_column (scenario int, col int, days daterange);
INSERT INTO seed_column VALUES
  (1, 1, '[2015-01-01,2015-01-31]'), (1, 2, '[2015-02-01,2015-02-28]'), (1, 3, '[2015-03-01,2015-03-31]'),
  (2, 1, '[2015-01-01,2015-01-31]'), (2, 2, '[2015-02-01,2015-02-20]'), (2, 3, '[2015-02-21,2015-02-28]'), (2, 4, '[2015-03-01,2015-03-31]'),
  (3, 1, '[2015-01-01,2015-01-31]'), (3, 2, '[2015-02-01,2015-02-20]'), (3, 3, '[2015-02-21,2015-02-28]'), (3, 4, '[2015-03-01,2015-03-31]');
INSERT INTO seed_row VALUES
  (1, 101, 111, '[2015-01-01,2015-01-31]', '{○,△,△}'), (1, 101, 112, '[2015-01-01,2015-01-31]', '{×,○,×}'),
  (1, 101, 121, '[2015-01-01,2015-01-31]', '{×,×,○}'), (1, 101, 111, '[2015-02-01,2015-02-28]', '{○,×,×}'),
  (1, 101, 112, '[2015-02-01,2015-02-28]', '{△,○,△}'), (1, 101, 121, '[2015-02-01,2015-02-28]', '{×,×,○}'),
  (1, 101, 111, '[2015-03-01,2015-03-31]', '{○,×,×}'), (1, 101, 112, '[2015-03-01,2015-03-31]', '{×,○,×}'),
  (1, 101, 121, '[2015-03-01,2015-03-31]', '{△,△,○}'),
  (2, 201, 211, '[2015-01-01,2015-01-31]', '{○,○,○,○}'), (2, 201, 211, '[2015-02-01,2015-02-20]', '{○,○,○,○}'),
  (2, 201, 211, '[2015-02-21,2015-02-28]', '{×,×,×,×}'), (2, 201, 211, '[2015-03-01,2015-03-31]', '{×,×,×,×}'),
  (3, 301, 311, '[2015-01-01,2015-01-31]', '{○,○,△,△}'), (3, 301, 311, '[2015-02-01,2015-02-20]', '{○,○,△,△}'),
  (3, 301, 311, '[2015-02-21,2015-02-28]', '{○,○,△,×}'), (3, 301, 311, '[2015-03-01,2015-03-31]', '{○,○,△,×}');

-- For every admin and current date: what the daily view shows of the seed's user.
CREATE TEMP TABLE seen (scenario int, admin bigint, t date, day date);
DO $$
DECLARE
  r record;
  t date;
BEGIN
  FOR r IN SELECT * FROM seed_row LOOP
    FOR t IN SELECT generate_series(lower(r.now), upper(r.now) - 1, interval '1 day')::date LOOP
      PERFORM set_config('attendance.acting_employee', r.admin::text, true);
      PERFORM set_config('attendance.as_of', t::text, true);
      INSERT INTO seen SELECT r.scenario, r.admin, t, d.day FROM attendance.att_daily d WHERE d.employee_id = r.employee;
    END LOOP;
  END LOOP;
END $$;

CREATE INDEX ON seen (scenario, admin, t, day);
ANALYZE seen;

CREATE TEMP VIEW probe AS
SELECT r.scenario, r.admin, r.now, c.col, r.expected[c.col] AS expected,
       EXISTS (SELECT 1 FROM seen s WHERE s.scenario = r.scenario AND s.admin = r.admin AND s.t = t.t AND s.day = d.d) AS visible
  FROM seed_row r JOIN seed_column c USING (scenario),
       LATERAL generate_series(lower(r.now), upper(r.now) - 1, interval '1 day') AS t(t),
       LATERAL generate_series(lower(c.days), upper(c.days) - 1, interval '1 day') AS d(d);

-- Visible (○ or △) or hidden (×), per cell, for all its dates: V or -.
SELECT scenario AS "#", admin, lower(now) || ' ~ ' || (upper(now) - 1) AS "現在日付",
       string_agg(expected, ' ' ORDER BY col) AS seed,
       string_agg(cell, ' ' ORDER BY col) AS seen
  FROM (SELECT scenario, admin, now, col, expected,
               string_agg(DISTINCT CASE WHEN visible THEN 'V' ELSE '-' END, '/') AS cell
          FROM probe GROUP BY scenario, admin, now, col, expected) per_cell
 GROUP BY scenario, admin, now
 ORDER BY scenario, lower(now), admin;

SELECT count(*) AS probes, count(*) FILTER (WHERE visible <> (expected <> '×')) AS mismatches FROM probe;

\c - postgres
DROP OWNED BY regress_att_seed_app;
DROP ROLE regress_att_seed_app;

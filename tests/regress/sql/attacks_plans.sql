-- The engine's kept plans and the session's search_path (checked while
-- making the evaluation's plans generic). The evaluation keeps its prepared
-- queries for the backend's life, and the same plans serve a login's own
-- call (invoker) and the definer refresh a trigger runs in that session. A
-- login with CREATE on a schema of its own puts a function named like one
-- those queries call (unnest) ahead of pg_catalog, has the plans prepared
-- under that path by its own call, then inserts a punch. The refresh never
-- runs the login's function: PostgreSQL analyzes a kept plan again whenever
-- the search_path differs from the one it was made under, and the definer
-- refresh pins its own. (The login's own call does run it, with the login's
-- own privileges, as any function it calls would.)
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-10 12:00+00';

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co');
INSERT INTO employee VALUES (1, 'worker');
INSERT INTO membership (employee_id, org_id, period) VALUES (1, 1, '[2026-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'Office');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2026-01-01', '{
  "name": "Office", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
  "time_zone": "UTC"}');
INSERT INTO rule_org (org_id, rule_id) VALUES (1, 1);

DROP ROLE IF EXISTS regress_atk_plans;
CREATE ROLE regress_atk_plans LOGIN;
CREATE SCHEMA regress_atk AUTHORIZATION regress_atk_plans;
GRANT USAGE ON SCHEMA attendance TO regress_atk_plans;
GRANT SELECT ON ALL TABLES IN SCHEMA attendance TO regress_atk_plans;
GRANT INSERT ON punch TO regress_atk_plans;
CREATE TABLE public.regress_atk_seen (who text);
GRANT INSERT ON public.regress_atk_seen TO regress_atk_plans;

\c - regress_atk_plans
SET attendance.clock = '2026-11-10 12:00+00';
-- An unnest of its own that records whose privileges it runs with.
CREATE FUNCTION regress_atk.unnest(bigint[]) RETURNS SETOF bigint LANGUAGE sql AS $$
  INSERT INTO public.regress_atk_seen VALUES (current_user);
  SELECT x FROM pg_catalog.unnest($1) AS x;
$$;
SET search_path = regress_atk, pg_catalog, attendance;
-- The login's own call prepares the engine's plans in this backend ...
SELECT status FROM attendance.att_evaluate_day(1, '2026-11-02');
-- ... and the refresh of its punch runs as the extension's owner.
INSERT INTO attendance.punch (employee_id, at) VALUES (1, '2026-11-03 08:55+00');
RESET search_path;
\c - postgres
SET datestyle = ISO;
SET TimeZone = 'UTC';
SET search_path = attendance, public;
-- Whose privileges the login's function ran with: its own only.
SELECT count(*) > 0 AS ran_in_its_own_call, count(*) FILTER (WHERE who <> 'regress_atk_plans') AS ran_as_another_role
  FROM public.regress_atk_seen;
-- The refresh happened all the same.
SELECT day, status, check_in FROM day_record WHERE employee_id = 1 AND day = '2026-11-03';
DROP TABLE public.regress_atk_seen;
DROP SCHEMA regress_atk CASCADE;

-- Fuzzed inputs through SQL (issue 5, part 1). Seeded with setseed(), so
-- every run sees the same inputs.
--  1. Arbitrary JSON, and random mutations of valid rules and requests,
--     through att_rule_validate and att_evaluate_rule: every rejection has a
--     documented SQLSTATE (never XX000, what a Rust panic becomes) and a
--     message naming a field.
--  2. Random valid rules of all four systems and both punch modes with
--     random punches, excuses, holidays and schedules: late, early and
--     absent minutes never exceed the scheduled minutes, work and overtime
--     are never negative, and the table-free form with the punches in two
--     orders, and the tables with the same punches inserted in two orders
--     for two employees, all give the same days under several session
--     TimeZone settings.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SELECT setseed(0.2026);

-- Random helpers.
CREATE FUNCTION pg_temp.r(lo int, hi int) RETURNS int LANGUAGE sql VOLATILE AS $$
  SELECT lo + floor(random() * (hi - lo + 1))::int
$$;
CREATE FUNCTION pg_temp.pick(a anyarray) RETURNS anyelement LANGUAGE sql VOLATILE AS $$
  SELECT a[1 + floor(random() * cardinality(a))::int]
$$;
CREATE FUNCTION pg_temp.hhmm(m int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT lpad(((m % 1440 + 1440) % 1440 / 60)::text, 2, '0') || ':' || lpad(((m % 1440 + 1440) % 1440 % 60)::text, 2, '0')
$$;

-- The documented SQLSTATEs of a rejected rule or request.
CREATE TEMP TABLE expected_state (state text PRIMARY KEY, meaning text);
INSERT INTO expected_state VALUES ('22P02', 'malformed JSON'), ('22023', 'out of range or not allowed'),
  ('22007', 'bad date or time'), ('23P01', 'overlap'), ('42704', 'unknown shift'), ('42710', 'duplicate shift');

-- Interesting leaves: wrong types, out-of-range and huge numbers (all of
-- them within what a double holds: larger ones are tried at the end), bad
-- clock times, dates, zones and names.
CREATE TEMP TABLE leaf (v jsonb);
INSERT INTO leaf SELECT unnest(ARRAY[
  'null', 'true', 'false', '0', '-1', '1', '7', '8', '120', '121', '241', '721', '1440', '1441', '0.5', '-0.0',
  '9223372036854775807', '9223372036854775808', '-9223372036854775809', '18446744073709551616', '1e20', '1e300',
  '-1e300', '1e-300', '""', '" "', '"24:00"', '"23:60"', '"-01:00"', '"9:00"', '"09:00:00"', '"0900"',
  '"2026-02-29"', '"2026-13-01"', '"+262144-01-01"', '"02-30"', '"02-29"', '"Mars/Olympus_Mons"', '"utc"',
  '"Etc/GMT+14"', '"Asia/Shanghai "', '"mon"', '"funday"', '"standard"', '"flexible"', '"odd_even_week"',
  '"scheduled"', '"fixed"', '"elastic"', '"s0"', '"ghost"', '"holiday"', '"make_up_workday"', '"leave"',
  '"device"', '"2026-03-02T09:00:00+08:00"', '"9999-12-31T23:59:59Z"', '"日本語"', '[]', '{}']::jsonb[]);
CREATE TEMP TABLE field (k text);
INSERT INTO field SELECT unnest(ARRAY['name', 'system', 'punch_mode', 'shifts', 'standard', 'flexible',
  'odd_even_week', 'scheduled', 'sign_out', 'tolerance', 'absenteeism', 'flex', 'overtime', 'locations',
  'time_zone', 'validity', 'periods', 'start', 'end', 'work_minutes', 'workdays', 'shift', 'days', 'tiers',
  'radius_m', 'yearly', 'range', 'from', 'to', 'punches', 'at', 'extra']);

CREATE FUNCTION pg_temp.random_json(depth int) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  kind int := floor(random() * CASE WHEN depth <= 0 THEN 3 ELSE 5 END);
BEGIN
  IF kind < 3 THEN
    RETURN (SELECT v FROM leaf ORDER BY random() LIMIT 1);
  ELSIF kind = 3 THEN
    RETURN (SELECT coalesce(jsonb_agg(pg_temp.random_json(depth - 1)), '[]') FROM generate_series(1, pg_temp.r(0, 4)));
  ELSE
    RETURN (SELECT coalesce(jsonb_object_agg(k, pg_temp.random_json(depth - 1)), '{}')
              FROM (SELECT k FROM field ORDER BY random() LIMIT pg_temp.r(0, 5)) f);
  END IF;
END $$;

-- Random valid rules: all four systems, fixed and flexible punch modes,
-- several periods (over midnight too), tolerances, stepped absence, flex
-- rules, overtime, locations, time zones with DST and odd offsets, validity.
CREATE FUNCTION pg_temp.overtime() RETURNS jsonb LANGUAGE sql VOLATILE AS $$
  SELECT jsonb_build_object('min_minutes_after_end', pg_temp.pick(ARRAY[0, 15, 30, 120]),
    'unit_minutes', pg_temp.pick(ARRAY[1, 15, 30, 60]), 'count_rest_days', random() < 0.5, 'count_holidays', random() < 0.5)
$$;
CREATE FUNCTION pg_temp.week(n int) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
  SELECT coalesce(jsonb_object_agg(CASE WHEN random() < 0.5 THEN k ELSE d::text END,
                                   CASE WHEN random() < 0.8 THEN to_jsonb('s' || pg_temp.r(0, n - 1)) ELSE 'null' END), '{}')
    FROM unnest(ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) WITH ORDINALITY w(k, d)
   WHERE random() < 0.75
$$;
CREATE FUNCTION pg_temp.valid_rule() RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  sys text := pg_temp.pick(ARRAY['standard', 'flexible', 'odd_even_week', 'scheduled']);
  flexible boolean := random() < 0.35;
  n int := pg_temp.r(1, 3);
  rule_overtime boolean := random() < 0.35;
  shifts jsonb := '[]';
  periods jsonb;
  s jsonb;
  rule jsonb;
  flex jsonb;
  first int; st int; len int; e int; l int;
BEGIN
  FOR i IN 0 .. n - 1 LOOP
    IF flexible THEN
      e := pg_temp.r(0, 1439);
      l := least(e + pg_temp.pick(ARRAY[0, 1, 30, 120, 600]), 1439);
      s := jsonb_build_object('name', 's' || i, 'flexible', jsonb_build_object(
             'work_minutes', greatest(1, least(pg_temp.pick(ARRAY[1, 60, 240, 480, 600, 1440]), 1440 - (l - e))),
             'earliest_check_in', pg_temp.hhmm(e), 'latest_check_in', pg_temp.hhmm(l)));
    ELSE
      first := pg_temp.r(0, 1439);
      st := first;
      periods := '[]';
      FOR k IN 1 .. pg_temp.r(1, 4) LOOP
        len := pg_temp.pick(ARRAY[1, 30, 60, 180, 240, 480, 720, 1439]);
        EXIT WHEN st + len - first > 1440;
        periods := periods || jsonb_build_array(jsonb_build_object('start', pg_temp.hhmm(st), 'end', pg_temp.hhmm(st + len)));
        st := st + len + pg_temp.pick(ARRAY[0, 15, 60, 120]);
      END LOOP;
      IF periods = '[]' THEN
        periods := jsonb_build_array(jsonb_build_object('start', pg_temp.hhmm(first), 'end', pg_temp.hhmm(first + 60)));
      END IF;
      s := jsonb_build_object('name', 's' || i, 'periods', periods);
    END IF;
    IF NOT rule_overtime AND random() < 0.25 THEN
      s := s || jsonb_build_object('overtime', pg_temp.overtime());
    END IF;
    shifts := shifts || jsonb_build_array(s);
  END LOOP;
  IF random() < 0.3 THEN
    shifts := jsonb_set(shifts, ARRAY[pg_temp.r(0, n - 1)::text, 'non_workday_default'], 'true');
  END IF;
  rule := jsonb_build_object('name', 'fuzz', 'system', sys, 'punch_mode', CASE WHEN flexible THEN 'flexible' ELSE 'fixed' END,
    'shifts', shifts, 'sign_out', random() < 0.5,
    'time_zone', pg_temp.pick(ARRAY['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe',
                                    'Pacific/Chatham', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'America/St_Johns', 'UTC']));
  IF sys = 'standard' THEN
    rule := rule || jsonb_build_object('standard', jsonb_build_object(
      'workdays', (SELECT coalesce(jsonb_agg(CASE WHEN random() < 0.5 THEN to_jsonb(d) ELSE to_jsonb(k) END ORDER BY d), '[]')
                     FROM unnest(ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) WITH ORDINALITY w(k, d)
                    WHERE random() < 0.7),
      'shift', 's' || pg_temp.r(0, n - 1)));
  ELSIF sys = 'flexible' THEN
    rule := rule || jsonb_build_object('flexible', jsonb_build_object('days', pg_temp.week(n)));
  ELSIF sys = 'odd_even_week' THEN
    rule := rule || jsonb_build_object('odd_even_week', jsonb_build_object('odd', pg_temp.week(n), 'even', pg_temp.week(n)));
    IF random() < 0.5 THEN
      rule := jsonb_set(rule, '{odd_even_week,anchor_week}', to_jsonb(pg_temp.pick(ARRAY['2026-01-07', '2026-03-08'])));
    END IF;
  ELSE
    -- modify_history: the schedules below are for past days.
    rule := rule || jsonb_build_object('scheduled', jsonb_build_object('allow_unscheduled_punch', random() < 0.5,
      'self_select_when_unscheduled', random() < 0.5, 'modify_history', true));
  END IF;
  IF sys <> 'scheduled' AND random() < 0.6 THEN
    rule := rule || jsonb_build_object('tolerance', jsonb_build_object(
      'late_minutes', pg_temp.pick(ARRAY[0, 5, 30, 120]), 'early_minutes', pg_temp.pick(ARRAY[0, 5, 60, 120])));
  END IF;
  IF random() < 0.6 THEN
    rule := rule || jsonb_build_object('absenteeism', jsonb_build_object(
      'enabled', random() < 0.85, 'late_over_minutes', pg_temp.pick(ARRAY[0, 30, 60, 240]),
      'early_over_minutes', pg_temp.pick(ARRAY[0, 30, 60, 240]), 'unit_minutes', pg_temp.pick(ARRAY[1, 30, 60, 90]),
      'situations', jsonb_build_object('no_punch_all_day', random() < 0.5, 'missing_check_in', random() < 0.5,
        'missing_check_out', random() < 0.5, 'late_beyond', random() < 0.5, 'early_beyond', random() < 0.5)));
    -- a threshold whose situation is off does nothing, and new rule versions
    -- refuse it: drop it after the draws, so every day is judged as before
    IF NOT (rule #>> '{absenteeism,situations,late_beyond}')::boolean THEN
      rule := rule #- '{absenteeism,late_over_minutes}';
    END IF;
    IF NOT (rule #>> '{absenteeism,situations,early_beyond}')::boolean THEN
      rule := rule #- '{absenteeism,early_over_minutes}';
    END IF;
  END IF;
  IF sys <> 'scheduled' AND NOT flexible AND random() < 0.6 THEN
    flex := '{}';
    IF random() < 0.6 THEN
      flex := flex || jsonb_build_object('early_arrive_early_leave', jsonb_build_object(
        'mode', pg_temp.pick(ARRAY['fixed', 'elastic']), 'minutes', pg_temp.pick(ARRAY[1, 30, 60, 240])));
    END IF;
    IF random() < 0.6 THEN
      flex := flex || jsonb_build_object('late_arrive_late_leave', jsonb_build_object(
        'mode', pg_temp.pick(ARRAY['fixed', 'elastic']), 'minutes', pg_temp.pick(ARRAY[1, 30, 60, 240])));
    END IF;
    IF random() < 0.6 THEN
      flex := flex || jsonb_build_object('leave_late_arrive_late', jsonb_build_object(
        'mode', pg_temp.pick(ARRAY['fixed', 'elastic']),
        'tiers', (SELECT jsonb_agg(jsonb_build_object('left_after_minutes', pg_temp.r(1, 720),
                                                      'may_arrive_late_minutes', pg_temp.r(1, 240)))
                    FROM generate_series(1, pg_temp.r(1, 5)))));
    END IF;
    rule := rule || jsonb_build_object('flex', flex);
  END IF;
  IF rule_overtime THEN
    rule := rule || jsonb_build_object('overtime', pg_temp.overtime());
  END IF;
  IF random() < 0.3 THEN
    rule := rule || jsonb_build_object('locations', jsonb_build_array(jsonb_build_object(
      'name', 'HQ', 'lat', 31.0, 'lon', 121.0, 'radius_m', pg_temp.pick(ARRAY[0, 50, 300.5]))));
  END IF;
  CASE floor(random() * 6)::int
    WHEN 0 THEN rule := rule || '{"validity": {"yearly": [{"from": "11-01", "to": "03-15"}, {"from": "04-01", "to": "04-30"}]}}';
    WHEN 1 THEN rule := rule || '{"validity": {"range": {"from": "2026-03-04", "to": "2026-10-25"}}}';
    ELSE NULL;
  END CASE;
  RETURN rule;
END $$;

-- One random mutation somewhere in a document: a missing field or element,
-- a wrong type, an interesting leaf, an unknown field, a repeated element
-- (duplicate shifts, too many tiers, overlapping cycles), nesting (kept
-- below serde_json's recursion limit of 128, see the end), overlapping
-- periods, overlapping validity, a bad location.
CREATE FUNCTION pg_temp.mutate(doc jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  p text[];
  target jsonb;
  kind int := floor(random() * 10);
BEGIN
  WITH RECURSIVE t(path, v) AS (
    SELECT '{}'::text[], doc
    UNION ALL
    SELECT t.path || e.k, e.v FROM t, LATERAL (
      SELECT key AS k, value AS v FROM jsonb_each(CASE WHEN jsonb_typeof(t.v) = 'object' THEN t.v END)
      UNION ALL
      SELECT (o - 1)::text, value FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.v) = 'array' THEN t.v END) WITH ORDINALITY a(value, o)) e)
  SELECT path, v INTO p, target FROM t ORDER BY random() LIMIT 1;
  IF cardinality(p) = 0 AND kind < 6 THEN
    kind := 6;
  END IF;
  CASE kind
    WHEN 0, 1 THEN RETURN doc #- p;
    WHEN 2 THEN RETURN jsonb_set(doc, p, pg_temp.random_json(2));
    WHEN 3, 4 THEN RETURN jsonb_set(doc, p, (SELECT v FROM leaf ORDER BY random() LIMIT 1));
    WHEN 5 THEN
      IF jsonb_typeof(target) = 'array' AND jsonb_array_length(target) > 0 THEN
        RETURN jsonb_set(doc, p, target || (SELECT jsonb_agg(target -> 0) FROM generate_series(1, pg_temp.r(1, 5))));
      END IF;
      RETURN jsonb_set(doc, p, target || jsonb_build_object('extra', 1));
    WHEN 6 THEN
      IF jsonb_typeof(target) = 'object' THEN
        RETURN jsonb_set(doc, p, target || jsonb_build_object(pg_temp.pick(ARRAY['nmae', 'extra', 'Start', 'radius']), 1));
      END IF;
      RETURN doc || '{"unexpected": true}';
    WHEN 7 THEN
      FOR i IN 1 .. pg_temp.pick(ARRAY[1, 2, 10, 50]) LOOP
        target := CASE WHEN random() < 0.5 THEN jsonb_build_array(target) ELSE jsonb_build_object('name', target) END;
      END LOOP;
      RETURN CASE WHEN cardinality(p) = 0 THEN doc ELSE jsonb_set(doc, p, target) END;
    WHEN 8 THEN
      RETURN jsonb_set(doc, '{shifts,0,periods}', (SELECT jsonb_agg(jsonb_build_object(
        'start', pg_temp.hhmm(pg_temp.r(0, 1439)), 'end', pg_temp.hhmm(pg_temp.r(0, 1439)))) FROM generate_series(1, pg_temp.r(1, 7))));
    ELSE
      IF random() < 0.5 THEN
        RETURN doc || jsonb_build_object('validity', jsonb_build_object('yearly', (SELECT jsonb_agg(jsonb_build_object(
          'from', to_char(pg_temp.r(1, 12), 'FM00') || '-' || to_char(pg_temp.r(1, 31), 'FM00'),
          'to', to_char(pg_temp.r(1, 12), 'FM00') || '-' || to_char(pg_temp.r(1, 31), 'FM00'))) FROM generate_series(1, pg_temp.r(1, 3)))));
      END IF;
      RETURN doc || jsonb_build_object('locations', jsonb_build_array(jsonb_build_object('name', 'L',
        'lat', pg_temp.pick(ARRAY[90, -90, 90.5, 0]), 'lon', pg_temp.pick(ARRAY[180, -180, 180.5, 0]),
        'radius_m', pg_temp.pick(ARRAY[-1, -0.0, 0, 1e300, -1e300]))));
  END CASE;
EXCEPTION WHEN invalid_parameter_value OR invalid_text_representation THEN
  RETURN doc;  -- jsonb_set through an array by a key, or into a scalar: the document stays
END $$;

-- A valid request for a rule: days around DST switches of both hemispheres.
CREATE FUNCTION pg_temp.simple_request() RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  d date := pg_temp.pick(ARRAY[date '2026-03-06', '2026-03-27', '2026-04-03', '2026-10-23']) + pg_temp.r(0, 5);
  midnight timestamptz := d::timestamp AT TIME ZONE 'UTC';
BEGIN
  RETURN jsonb_build_object('from', d, 'to', d + pg_temp.r(0, 3), 'punches',
           (SELECT coalesce(jsonb_agg(jsonb_build_object('at', midnight + make_interval(mins => pg_temp.r(-600, 2400) + 0 * g))), '[]')
              FROM generate_series(1, pg_temp.r(0, 6)) g),
           'holidays', jsonb_build_array(jsonb_build_object('date', d + 1, 'kind', 'holiday')),
           'excuses', jsonb_build_array(jsonb_build_object('kind', 'leave', 'from', midnight + interval '10 hours',
                                                           'to', midnight + interval '11.5 hours')));
END $$;

-- Runs the fuzzed inputs; every outcome is recorded.
CREATE TEMP TABLE outcome (input text, state text, message text);
CREATE TEMP TABLE fuzz_day (input text, r day_result);
DO $$
DECLARE
  doc jsonb;
  rule jsonb;
  request jsonb;
  st text;
  msg text;
BEGIN
  -- Arbitrary JSON.
  FOR i IN 1 .. 1000 LOOP
    doc := CASE WHEN random() < 0.5 THEN pg_temp.random_json(4)
                ELSE (SELECT coalesce(jsonb_object_agg(k, pg_temp.random_json(2)), '{}') FROM field WHERE random() < 0.5) END;
    BEGIN
      PERFORM att_rule_validate(doc);
      INSERT INTO outcome VALUES ('arbitrary', 'ok', NULL);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      INSERT INTO outcome VALUES ('arbitrary', st, msg);
    END;
  END LOOP;
  -- Mutated valid rules; those still valid are evaluated.
  FOR i IN 1 .. 2000 LOOP
    doc := pg_temp.valid_rule();
    FOR j IN 1 .. pg_temp.r(1, 2) LOOP
      doc := pg_temp.mutate(doc);
    END LOOP;
    BEGIN
      PERFORM att_rule_validate(doc);
      INSERT INTO outcome VALUES ('mutated rule', 'ok', NULL);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      INSERT INTO outcome VALUES ('mutated rule', st, msg);
      CONTINUE;
    END;
    -- Still valid: an unusual rule, evaluated on a valid request.
    BEGIN
      INSERT INTO fuzz_day SELECT 'mutated rule', r FROM att_evaluate_rule(doc, pg_temp.simple_request()) r;
      INSERT INTO outcome VALUES ('mutated rule, evaluated', 'ok', NULL);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      INSERT INTO outcome VALUES ('mutated rule, evaluated', st, msg);
    END;
  END LOOP;
  -- Mutated requests against valid rules.
  FOR i IN 1 .. 1000 LOOP
    rule := pg_temp.valid_rule();
    request := pg_temp.simple_request();
    FOR j IN 1 .. pg_temp.r(1, 2) LOOP
      request := pg_temp.mutate(request);
    END LOOP;
    BEGIN
      INSERT INTO fuzz_day SELECT 'mutated request', r FROM att_evaluate_rule(rule, request) r;
      INSERT INTO outcome VALUES ('mutated request', 'ok', NULL);
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      INSERT INTO outcome VALUES ('mutated request', st, msg);
    END;
  END LOOP;
END $$;

-- The tally: how many inputs ended in which SQLSTATE.
SELECT input, sum(n) AS inputs, coalesce(sum(n) FILTER (WHERE state = 'ok'), 0) AS accepted,
       string_agg(state || ' x' || n, ', ' ORDER BY state) FILTER (WHERE state <> 'ok') AS rejected_by_sqlstate
  FROM (SELECT input, state, count(*) AS n FROM outcome GROUP BY 1, 2) o
 GROUP BY input ORDER BY input;
-- Violations: a SQLSTATE outside the documented set (XX000 is a panic), or
-- a message that does not name a field before its colon.
SELECT count(*) AS violations FROM outcome o
 WHERE o.state <> 'ok' AND (o.state NOT IN (SELECT state FROM expected_state) OR o.message !~ '^\S[^:]*: .');
SELECT input, state, message FROM outcome o
 WHERE o.state <> 'ok' AND (o.state NOT IN (SELECT state FROM expected_state) OR o.message !~ '^\S[^:]*: .')
 LIMIT 5;
-- The days of rules and requests that survived their mutations keep the invariants.
SELECT count(*) AS fuzzed_days_evaluated,
       count(*) FILTER (WHERE (r).late_minutes NOT BETWEEN 0 AND (r).scheduled_minutes
                           OR (r).early_minutes NOT BETWEEN 0 AND (r).scheduled_minutes
                           OR (r).absent_minutes NOT BETWEEN 0 AND (r).scheduled_minutes
                           OR (r).late_minutes + (r).early_minutes + (r).absent_minutes > (r).scheduled_minutes
                           OR (r).work_minutes < 0 OR (r).overtime_minutes < 0) AS violations
  FROM fuzz_day;

-- Random valid rules with random punches, evaluated through the table-free
-- form and through the tables. Case c: company org c, rule c on the org,
-- employees 10c+1 and 10c+2 with the same punches, excuses, holidays and
-- schedule; the punches inserted in time order for the first and in random
-- order for the second.
CREATE TEMP TABLE fz_case AS
SELECT c, rule, d AS first_day, d + pg_temp.r(0, 5) AS last_day
  FROM (SELECT c, pg_temp.valid_rule() AS rule,
               pg_temp.pick(ARRAY[date '2026-03-02', '2026-03-26', '2026-04-01', '2026-10-22']) + pg_temp.r(0, 10) AS d
          FROM generate_series(1, 300) c) x;
-- Punches from the day before the first to two days after the last (UTC),
-- some on whole minutes, some sharing an instant with another punch but not
-- its source or position.
CREATE TEMP TABLE fz_punch (c int, seq int, at timestamptz, lat float8, lon float8, source punch_source, shuffle float8);
DO $$
DECLARE
  k fz_case;
  t timestamptz;
  n int;
BEGIN
  FOR k IN SELECT * FROM fz_case ORDER BY c LOOP
    n := 0;
    FOR i IN 1 .. pg_temp.r(0, 5 * (k.last_day - k.first_day + 1)) LOOP
      n := n + 1;
      IF n > 1 AND random() < 0.25 THEN
        SELECT p.at INTO t FROM fz_punch p WHERE p.c = k.c ORDER BY random() LIMIT 1;
      ELSE
        t := (k.first_day + pg_temp.r(-1, k.last_day - k.first_day + 1))::timestamp AT TIME ZONE 'UTC'
             + make_interval(secs => pg_temp.r(0, 86399));
        IF random() < 0.6 THEN
          t := date_trunc('minute', t);
        END IF;
      END IF;
      INSERT INTO fz_punch SELECT k.c, n, t,
        CASE WHEN random() < 0.3 THEN 31.0 + pg_temp.r(-60, 60) * 1e-4 END, NULL,
        pg_temp.pick(ARRAY['device', 'device', 'make_up', 'appeal']::punch_source[]), random();
    END LOOP;
  END LOOP;
END $$;
UPDATE fz_punch SET lon = 121.0 WHERE lat IS NOT NULL;
CREATE TEMP TABLE fz_excuse AS
SELECT c, pg_temp.pick(ARRAY['leave', 'business_trip', 'outing', 'appeal']::excuse_kind[]) AS kind,
       tstzrange(s, s + make_interval(mins => pg_temp.r(1, 900))) AS during
  FROM (SELECT c, (first_day + pg_temp.r(0, last_day - first_day))::timestamp AT TIME ZONE 'UTC'
                  + make_interval(mins => pg_temp.r(-600, 1800)) AS s
          FROM fz_case, generate_series(1, 2) WHERE random() < 0.4) x;
CREATE TEMP TABLE fz_holiday AS
SELECT c, day::date, CASE WHEN random() < 0.5 THEN 'holiday' ELSE 'make_up_workday' END::calendar_mark AS mark
  FROM fz_case, generate_series(first_day - 2, last_day, interval '1 day') day WHERE random() < 0.2;
CREATE TEMP TABLE fz_schedule AS
SELECT c, day::date, CASE WHEN random() < 0.25 THEN NULL ELSE 's' || pg_temp.r(0, jsonb_array_length(rule -> 'shifts') - 1) END AS shift
  FROM fz_case, generate_series(first_day - 2, last_day, interval '1 day') day
 WHERE rule ->> 'system' = 'scheduled' AND random() < 0.8;

INSERT INTO org (org_id, parent_id, name) SELECT c, NULL, 'fuzz company ' || c FROM fz_case;
INSERT INTO employee SELECT 10 * c + e, 'fuzz ' || c || '/' || e FROM fz_case, generate_series(1, 2) e;
INSERT INTO membership (employee_id, org_id, period) SELECT 10 * c + e, c, '[2026-01-01,)' FROM fz_case, generate_series(1, 2) e;
INSERT INTO rule (rule_id, name) SELECT c, 'fuzz rule ' || c FROM fz_case;
INSERT INTO rule_version (rule_id, valid_from, config) SELECT c, '2026-01-01', rule FROM fz_case;
INSERT INTO rule_org (org_id, rule_id) SELECT c, c FROM fz_case;
INSERT INTO holiday (company_id, day, mark) SELECT c, day, mark FROM fz_holiday;
-- Schedules only go on days the rule is in force (its validity); the
-- table-free requests get the same rows.
DELETE FROM fz_schedule s WHERE att_rule_for(10 * s.c + 1, s.day) IS NULL;
INSERT INTO schedule (employee_id, day, shift) SELECT 10 * c + e, day, shift FROM fz_schedule, generate_series(1, 2) e;
INSERT INTO excuse (employee_id, kind, during) SELECT 10 * c + e, kind, during FROM fz_excuse, generate_series(1, 2) e;
INSERT INTO punch (employee_id, at, lat, lon, source) SELECT 10 * c + 1, at, lat, lon, source FROM fz_punch ORDER BY c, at, seq;
INSERT INTO punch (employee_id, at, lat, lon, source) SELECT 10 * c + 2, at, lat, lon, source FROM fz_punch ORDER BY shuffle;
SELECT (SELECT count(*) FROM fz_case) AS rules, (SELECT sum(last_day - first_day + 1) FROM fz_case) AS days,
       (SELECT count(*) FROM fz_punch) AS punches, (SELECT count(*) FROM fz_excuse) AS excuses,
       (SELECT count(*) FROM fz_holiday) AS holidays, (SELECT count(*) FROM fz_schedule) AS schedule_rows,
       (SELECT count(DISTINCT (rule ->> 'system', rule ->> 'punch_mode')) FROM fz_case) AS system_and_mode_pairs;

-- The request of case c, built now: its instants are written in the
-- session TimeZone. Punches in time order, or shuffled.
CREATE FUNCTION pg_temp.request(k int, shuffled boolean) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('from', x.first_day, 'to', x.last_day,
    'punches', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', p.at, 'lat', p.lat, 'lon', p.lon, 'source', p.source)
                                          ORDER BY CASE WHEN shuffled THEN p.shuffle ELSE p.seq END), '[]')
                  FROM fz_punch p WHERE p.c = k),
    'excuses', (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', e.kind, 'from', lower(e.during), 'to', upper(e.during))), '[]')
                  FROM fz_excuse e WHERE e.c = k),
    'holidays', (SELECT coalesce(jsonb_agg(jsonb_build_object('date', h.day, 'kind', h.mark)), '[]') FROM fz_holiday h WHERE h.c = k),
    'schedule', (SELECT coalesce(jsonb_agg(jsonb_build_object('date', s.day, 'shift', s.shift)), '[]') FROM fz_schedule s WHERE s.c = k))
  FROM fz_case x WHERE x.c = k
$$;
-- Every day of every case by one path: the columns that must agree
-- (employee_id and rule_id differ between the paths by design). Days
-- outside the rule's validity are left out: by design the table-free form
-- says not_in_validity there and the tables no_rule (a rule only applies
-- where its validity covers the day); a day in force that the tables miss
-- still counts as a difference.
CREATE FUNCTION pg_temp.days(path text)
RETURNS TABLE (c int, day date, rule_name text, shift text, day_kind text, status text, check_in timestamptz[],
               check_out timestamptz[], scheduled int, late int, early int, absent int, work int, overtime int,
               overtime_category text, outside_punches int, leave_minutes int, reasons text[])
LANGUAGE sql STABLE AS $$
  SELECT x.c, r.day, r.rule_name, r.shift, r.day_kind, r.status, r.check_in, r.check_out, r.scheduled_minutes,
         r.late_minutes, r.early_minutes, r.absent_minutes, r.work_minutes, r.overtime_minutes, r.overtime_category,
         r.outside_punches, r.leave_minutes, r.reasons
    FROM fz_case x, LATERAL (
      SELECT * FROM attendance.att_evaluate_rule(x.rule, pg_temp.request(x.c, path = 'table-free, shuffled')) WHERE path LIKE 'table-free%'
      UNION ALL
      SELECT * FROM attendance.att_evaluate(10 * x.c + CASE WHEN path = 'tables, inserted in time order' THEN 1 ELSE 2 END,
                                            daterange(x.first_day, x.last_day, '[]')) WHERE path LIKE 'tables%') r
   WHERE r.status NOT IN ('not_in_validity', 'no_rule')
$$;

-- The baseline: the table-free form in time order, session TimeZone UTC.
CREATE TEMP TABLE baseline AS SELECT * FROM pg_temp.days('table-free, in time order');
SELECT count(*) AS days, count(DISTINCT c) AS rules,
       count(*) FILTER (WHERE late NOT BETWEEN 0 AND scheduled OR early NOT BETWEEN 0 AND scheduled
                           OR absent NOT BETWEEN 0 AND scheduled OR late + early + absent > scheduled
                           OR work < 0 OR overtime < 0) AS invariant_violations
  FROM baseline;
-- The outcomes reached, so that the comparisons below compare something.
SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) AS statuses
  FROM (SELECT status, count(*) AS n FROM baseline GROUP BY status) s;

-- Each path under each session TimeZone against the baseline.
CREATE TEMP TABLE comparison (time_zone text, path text, days bigint, differing_days bigint);
CREATE FUNCTION pg_temp.compare(tz text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  path text;
BEGIN
  PERFORM set_config('TimeZone', tz, true);
  FOREACH path IN ARRAY ARRAY['table-free, in time order', 'table-free, shuffled', 'tables, inserted in time order',
                              'tables, inserted shuffled'] LOOP
    CREATE TEMP TABLE candidate AS SELECT * FROM pg_temp.days(path);
    INSERT INTO comparison
    SELECT tz, path, (SELECT count(*) FROM candidate),
           (SELECT count(*) FROM ((SELECT * FROM candidate EXCEPT ALL SELECT * FROM baseline)
                                  UNION ALL (SELECT * FROM baseline EXCEPT ALL SELECT * FROM candidate)) d);
    DROP TABLE candidate;
  END LOOP;
END $$;
SELECT count(*) AS time_zones
  FROM (SELECT pg_temp.compare(tz) FROM unnest(ARRAY['UTC', 'PST8PDT', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati']) tz) x;
SELECT current_setting('TimeZone') AS time_zone_after;
SELECT * FROM comparison ORDER BY time_zone, path;
SELECT sum(days) AS days_compared, sum(differing_days) AS violations FROM comparison;

-- Inputs jsonb holds but serde_json cannot (a number beyond a double,
-- nesting of 128 levels and more) once panicked in pgrx's JsonB conversion
-- and came out as XX000. The engine now reads its jsonb arguments as text:
-- each must be a clean 22P02.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT input, pg_temp.sqlstate_of(stmt) AS sqlstate
  FROM (VALUES
    ('rule with 1e400', $$SELECT att_rule_validate('{"name": 1e400}')$$),
    ('rule nested 128 deep', format('SELECT att_rule_validate(%L)', '{"name": ' || repeat('[', 127) || repeat(']', 127) || '}')),
    ('request with 1e400', $$SELECT * FROM att_evaluate_rule((SELECT rule FROM fz_case WHERE c = 1), '{"from": "2026-03-02", "punches": [{"at": "2026-03-02T09:00:00Z", "lat": 1e400, "lon": 0}]}')$$),
    ('rule_version insert with 1e400', $$INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, '2027-01-01', '{"name": 1e400}')$$)) t(input, stmt);

-- Rules stored in tables: versions, scope precedence, conflicts, holiday
-- calendars, schedules, excuses, locations, time zones, validity, and the
-- write-time validation of every setting.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

CREATE FUNCTION pg_temp.outcome(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

INSERT INTO org (org_id, parent_id, name) VALUES
  (1, NULL, 'Group'), (10, 1, 'Shanghai office'), (11, 10, 'Shanghai night team'), (20, 1, 'New York');
INSERT INTO employee VALUES
  (101, 'office'), (102, 'office, personally on winter hours'), (201, 'night team'),
  (301, 'New York night'), (501, 'scheduled'), (601, 'claimed twice');
INSERT INTO membership (employee_id, org_id, period) VALUES
  (101, 10, '[2026-01-01,)'), (102, 10, '[2026-01-01,)'), (201, 11, '[2026-01-01,)'),
  (301, 20, '[2026-01-01,)'), (501, 10, '[2026-01-01,)'), (601, 10, '[2026-01-01,)');

INSERT INTO rule (rule_id, name) VALUES (1, 'Shanghai office'), (2, 'Shanghai night'), (3, 'New York night'),
  (4, 'Winter hours'), (5, 'Shop floor rota');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "Shanghai office", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
     "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
     "tolerance": {"late_minutes": 5, "early_minutes": 5},
     "locations": [{"name": "HQ", "lat": 31.2304, "lon": 121.4737, "radius_m": 200}],
     "time_zone": "Asia/Shanghai"}'),
  (2, '2026-01-01', '{"name": "Shanghai night", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "night"}, "time_zone": "Asia/Shanghai"}'),
  (3, '2026-01-01', '{"name": "New York night", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "night"}, "time_zone": "America/New_York"}'),
  (4, '2026-01-01', '{"name": "Winter hours", "system": "standard", "punch_mode": "fixed",
     "shifts": [{"name": "winter", "periods": [{"start": "09:30", "end": "17:30"}]}],
     "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "winter"}, "time_zone": "Asia/Shanghai",
     "validity": {"yearly": [{"from": "11-01", "to": "03-31"}]}}'),
  (5, '2026-01-01', '{"name": "Shop floor rota", "system": "scheduled", "punch_mode": "fixed",
     "shifts": [{"name": "early", "periods": [{"start": "06:00", "end": "14:00"}]},
                {"name": "late", "periods": [{"start": "14:00", "end": "22:00"}]}],
     "scheduled": {"allow_unscheduled_punch": true}, "time_zone": "Asia/Shanghai"}');
INSERT INTO rule_org (org_id, rule_id) VALUES (10, 1), (11, 2);
INSERT INTO rule_person (employee_id, rule_id, validity) VALUES
  (102, 4, NULL), (301, 3, NULL),
  (501, 5, '[2026-03-01,2026-03-31]'), (501, 5, '[2099-01-01,2099-12-31]');

-- Precedence: person before org, the nearest org, dated before undated, and
-- only rules whose own validity covers the day.
SELECT e.employee_id, e.display_name, d::date AS day, r.name AS rule
  FROM employee e
  CROSS JOIN unnest(ARRAY['2026-01-15', '2026-06-01', '2026-03-10']::date[]) d
  LEFT JOIN rule r ON r.rule_id = att_rule_for(e.employee_id, d::date)
 WHERE e.employee_id <> 601
 ORDER BY 1, 3;

-- Two rules claiming one person on one day are refused.
SELECT pg_temp.outcome($$INSERT INTO rule_person (employee_id, rule_id) VALUES (102, 1)$$) AS second_undated_entry;
SELECT pg_temp.outcome($$INSERT INTO rule_person (employee_id, rule_id, validity) VALUES (501, 1, '[2026-03-15,2026-04-15]')$$) AS overlapping_dated_entry;
-- Adding scope with conflicts: report them; 不调整 adds only the others ...
SELECT * FROM att_rule_add_people(1, ARRAY[601, 501], '[2026-03-20,2026-04-10]') ORDER BY 1;
SELECT employee_id, rule_id, validity FROM rule_person WHERE employee_id IN (501, 601) ORDER BY 1, 3;
-- ... 批量调整 moves the conflicting part into this rule and keeps the rest.
SELECT * FROM att_rule_add_people(1, ARRAY[501], '[2026-03-20,2026-04-10]', adjust => true) ORDER BY 1;
SELECT employee_id, rule_id, validity FROM rule_person WHERE employee_id = 501 ORDER BY 3;
SELECT * FROM att_rule_add_orgs(4, ARRAY[10, 20]) ORDER BY 1;
DELETE FROM rule_org WHERE rule_id = 4;

-- Punches of the office employee (local clock times in Shanghai).
INSERT INTO punch (employee_id, at, lat, lon) VALUES
  (101, '2026-03-02 08:58+08', 31.2304, 121.4737), (101, '2026-03-02 18:02+08', 31.2304, 121.4737),
  -- late 3 min: within the allowance of version 1, late under version 2
  (101, '2026-03-10 09:03+08', NULL, NULL), (101, '2026-03-10 18:00+08', NULL, NULL),
  (101, '2026-03-17 09:03+08', NULL, NULL), (101, '2026-03-17 18:00+08', NULL, NULL),
  -- leave covers the first hour
  (101, '2026-03-03 10:00+08', NULL, NULL), (101, '2026-03-03 18:00+08', NULL, NULL),
  -- one metre outside the 200 m radius (201 m north), then 199 m north
  (101, '2026-03-04 08:55+08', 31.232207633931086, 121.4737), (101, '2026-03-04 18:00+08', 31.23218964752381, 121.4737),
  -- the make-up workday (Saturday) and the holiday
  (101, '2026-10-10 09:00+08', NULL, NULL), (101, '2026-10-10 18:00+08', NULL, NULL),
  (101, '2026-10-01 09:00+08', NULL, NULL), (101, '2026-10-01 12:00+08', NULL, NULL);
INSERT INTO excuse (employee_id, kind, during) VALUES (101, 'leave', '[2026-03-03 09:00+08,2026-03-03 10:00+08)');
INSERT INTO holiday (company_id, day, mark, name) VALUES
  (1, '2026-10-01', 'holiday', 'National Day'), (1, '2026-10-10', 'make_up_workday', 'make-up for National Day');
-- The rule changes mid-month: from 03-16 no late allowance. Earlier days keep version 1.
INSERT INTO rule_version (rule_id, valid_from, config)
SELECT 1, '2026-03-16', config || '{"tolerance": {"late_minutes": 0, "early_minutes": 0}}' FROM rule_version WHERE rule_id = 1;

SELECT day, day_kind, status, late_minutes AS late, early_minutes AS early, work_minutes AS work,
       leave_minutes AS leave, outside_punches AS outside, array_to_string(reasons, '; ') AS reasons
  FROM att_evaluate(101, '[2026-03-02,2026-03-04]')
UNION ALL
SELECT day, day_kind, status, late_minutes, early_minutes, work_minutes, leave_minutes, outside_punches, array_to_string(reasons, '; ')
  FROM (SELECT (att_evaluate_day(101, d)).* FROM unnest(ARRAY['2026-03-10', '2026-03-17', '2026-10-01', '2026-10-10', '2026-10-11']::date[]) d) x
 ORDER BY day;

-- Night shifts across midnight belong to the day they start. Shanghai, and
-- New York on both daylight-saving switch nights of 2026 (7 and 9 real hours).
INSERT INTO punch (employee_id, at) VALUES
  (201, '2026-03-02 21:58+08'), (201, '2026-03-03 06:02+08'),
  (301, '2026-03-07 21:55 America/New_York'), (301, '2026-03-08 06:00 America/New_York'),
  (301, '2026-10-31 22:00 America/New_York'), (301, '2026-11-01 06:05 America/New_York'),
  (301, '2026-11-02 22:00 America/New_York'), (301, '2026-11-03 06:00 America/New_York');
SELECT r.employee_id, r.day, r.status, r.scheduled_minutes AS scheduled, r.work_minutes AS work,
       r.check_in[1] AS check_in, r.check_out[1] AS check_out
  FROM (VALUES (201, date '2026-03-02'), (301, '2026-03-07'), (301, '2026-10-31'), (301, '2026-11-02')) t(e, d),
       LATERAL att_evaluate_day(t.e, t.d) r
 ORDER BY 1, 2;

-- The session's TimeZone changes nothing.
CREATE TEMP TABLE in_utc AS
  SELECT r.* FROM employee e, LATERAL att_evaluate(e.employee_id, '[2026-03-01,2026-03-31]') r;
SET TimeZone = 'Pacific/Auckland';
SELECT count(*) AS days, count(*) FILTER (WHERE r IS DISTINCT FROM u) AS differ
  FROM in_utc u
  JOIN LATERAL att_evaluate_day(u.employee_id, u.day) r ON true;
SET TimeZone = 'UTC';

-- Schedules: only inside the person's validity in a scheduled rule, only
-- existing shifts, only future days unless modify_history is on.
SELECT pg_temp.outcome($$INSERT INTO schedule (employee_id, day, shift) VALUES (501, '2099-06-01', 'early')$$) AS future_day;
SELECT pg_temp.outcome($$INSERT INTO schedule (employee_id, day, shift) VALUES (501, '2099-06-02', 'brunch')$$) AS unknown_shift;
SELECT pg_temp.outcome($$INSERT INTO schedule (employee_id, day, shift) VALUES (501, '2098-06-01', 'early')$$) AS outside_validity;
SELECT pg_temp.outcome($$INSERT INTO schedule (employee_id, day, shift) VALUES (101, '2099-06-01', 'early')$$) AS not_scheduled_rule;
SELECT pg_temp.outcome($$INSERT INTO schedule (employee_id, day, shift) VALUES (501, '2026-03-10', 'late')$$) AS past_day;
UPDATE rule_version SET config = jsonb_set(config, '{scheduled,modify_history}', 'true') WHERE rule_id = 5;
SELECT pg_temp.outcome($$INSERT INTO schedule (employee_id, day, shift) VALUES (501, '2026-03-10', 'late')$$) AS past_day_with_history;
INSERT INTO punch (employee_id, at) VALUES (501, '2026-03-10 14:07+08'), (501, '2026-03-10 22:00+08'),
  (501, '2026-03-11 09:00+08'), (501, '2026-03-11 17:00+08');
SELECT day, shift, day_kind, status, late_minutes AS late, work_minutes AS work
  FROM att_evaluate(501, '[2026-03-10,2026-03-12)') ORDER BY day;

-- Write-time validation: each bad setting is refused with its field and SQLSTATE.
CREATE TEMP TABLE good AS SELECT config FROM rule_version WHERE rule_id = 1 AND valid_from = '2026-01-01';
SELECT bad.what, pg_temp.outcome(format('INSERT INTO rule_version (rule_id, valid_from, config) VALUES (1, %L, %L)', '2027-01-01', g.config || bad.patch)) AS outcome
  FROM good g, (VALUES
    ('tolerance 121', '{"tolerance": {"late_minutes": 121}}'::jsonb),
    ('tolerance 120', '{"tolerance": {"late_minutes": 120}}'),
    ('unknown time zone', '{"time_zone": "Asia/Atlantis"}'),
    ('negative radius', '{"locations": [{"name": "HQ", "lat": 31.2, "lon": 121.4, "radius_m": -1}]}'),
    ('overlapping cycles', '{"validity": {"yearly": [{"from": "11-01", "to": "03-31"}, {"from": "03-01", "to": "10-31"}]}}'),
    ('validity end before start', '{"validity": {"range": {"from": "2026-06-30", "to": "2026-01-01"}}}'),
    ('six leave-late tiers', '{"flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [
        {"left_after_minutes": 10, "may_arrive_late_minutes": 5}, {"left_after_minutes": 20, "may_arrive_late_minutes": 10},
        {"left_after_minutes": 30, "may_arrive_late_minutes": 15}, {"left_after_minutes": 40, "may_arrive_late_minutes": 20},
        {"left_after_minutes": 50, "may_arrive_late_minutes": 25}, {"left_after_minutes": 60, "may_arrive_late_minutes": 30}]}}}'),
    ('unknown setting', '{"tolerence": {"late_minutes": 5}}'),
    ('unknown shift', '{"standard": {"workdays": [1], "shift": "graveyard"}}')
  ) AS bad(what, patch)
 ORDER BY 1;
SELECT count(*) AS versions_of_rule_1 FROM rule_version WHERE rule_id = 1;

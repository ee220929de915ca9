-- The four systems, both punch modes and overtime, through the table-free
-- form. 2026-03-02 is a Monday of ISO week 10 (even); 2026-03-09 is in week 11.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

-- Punches as local clock times in Shanghai, one {day: [times]} object per request.
CREATE FUNCTION pg_temp.request(first date, last date, punches jsonb, holidays jsonb DEFAULT '[]') RETURNS jsonb
LANGUAGE sql AS $$
  SELECT jsonb_build_object('from', first, 'to', last, 'holidays', holidays, 'punches',
    coalesce((SELECT jsonb_agg(jsonb_build_object('at', (d.key || ' ' || t || '+08')::timestamptz))
                FROM jsonb_each(punches) d, jsonb_array_elements_text(d.value) t), '[]'::jsonb))
$$;

-- Flexible system (灵活): Monday 09:00-18:00, Saturday a half day, Sunday rest;
-- a make-up workday on Sunday uses the shift marked non_workday_default.
CREATE TEMP TABLE flexible AS SELECT '{
  "name": "flexible week", "system": "flexible", "punch_mode": "fixed",
  "shifts": [{"name": "full", "periods": [{"start": "09:00", "end": "18:00"}]},
             {"name": "half", "periods": [{"start": "09:00", "end": "12:00"}], "non_workday_default": true}],
  "flexible": {"days": {"mon": "full", "tue": "full", "wed": "full", "thu": "full", "fri": "full", "sat": "half", "sun": null}},
  "time_zone": "Asia/Shanghai"}'::jsonb AS rule;
SELECT r.day, to_char(r.day, 'Dy') AS dow, r.day_kind, r.shift, r.status, r.scheduled_minutes AS scheduled, r.work_minutes AS work
  FROM flexible f, att_evaluate_rule(f.rule, pg_temp.request('2026-03-06', '2026-03-08',
        '{"2026-03-06": ["09:00", "18:00"], "2026-03-07": ["09:00", "12:00"], "2026-03-08": ["09:00", "12:00"]}',
        '[{"date": "2026-03-08", "kind": "make_up_workday"}]')) r
 ORDER BY r.day;
-- Without a marked shift the make-up day is 09:00-18:00.
SELECT r.day, r.day_kind, r.status, r.scheduled_minutes AS scheduled, r.early_minutes AS early
  FROM flexible f, att_evaluate_rule(f.rule #- '{shifts,1,non_workday_default}', pg_temp.request('2026-03-08', '2026-03-08',
        '{"2026-03-08": ["09:00", "12:00"]}', '[{"date": "2026-03-08", "kind": "make_up_workday"}]')) r;

-- Odd/even weeks (单双周): Saturdays are worked in odd ISO weeks only.
SELECT r.day, extract(week FROM r.day) AS iso_week, r.day_kind, r.status
  FROM att_evaluate_rule('{
    "name": "alternate saturdays", "system": "odd_even_week", "punch_mode": "fixed",
    "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
    "odd_even_week": {"odd": {"mon": "day", "tue": "day", "wed": "day", "thu": "day", "fri": "day", "sat": "day"},
                      "even": {"mon": "day", "tue": "day", "wed": "day", "thu": "day", "fri": "day"}},
    "time_zone": "Asia/Shanghai"}', pg_temp.request('2026-03-07', '2026-03-14',
      '{"2026-03-07": ["09:00", "18:00"], "2026-03-14": ["09:00", "18:00"]}')) r
 WHERE extract(isodow FROM r.day) = 6
 ORDER BY r.day;

-- Flexible punch mode (弹性): 8 hours, check-in between 08:00 and 10:00;
-- check-out is due at check-in plus 8 hours.
SELECT t.example, r.status, r.late_minutes AS late, r.early_minutes AS early, r.work_minutes AS work
  FROM (VALUES ('in 08:30, out 16:30', '["08:30", "16:30"]'::jsonb),
               ('in 07:30 counts from 08:00, out 16:00', '["07:30", "16:00"]'),
               ('in 09:45, out 17:30: early 15', '["09:45", "17:30"]'),
               ('in 10:20: late 20, out 18:20', '["10:20", "18:20"]')) t(example, punches),
       LATERAL att_evaluate_rule('{
         "name": "flex hours", "system": "standard", "punch_mode": "flexible",
         "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "08:00", "latest_check_in": "10:00"}}],
         "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "flex"}, "time_zone": "Asia/Shanghai"}',
         pg_temp.request('2026-03-02', '2026-03-02', jsonb_build_object('2026-03-02', t.punches))) r
 ORDER BY 1;

-- Overtime: counts 30 min after the end, rounded down to 30-minute units;
-- rest-day and holiday work are categories of their own.
SELECT r.day, r.day_kind, r.overtime_minutes AS overtime, r.overtime_category AS category,
       array_to_string(r.reasons, '; ') AS reasons
  FROM att_evaluate_rule('{
    "name": "with overtime", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
    "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true},
    "time_zone": "Asia/Shanghai"}', pg_temp.request('2026-03-02', '2026-03-07',
      '{"2026-03-02": ["09:00", "18:29"], "2026-03-03": ["09:00", "19:59"], "2026-03-04": ["09:00", "20:00"],
        "2026-03-05": ["09:00", "18:00"], "2026-03-06": ["10:00", "16:00"], "2026-03-07": ["10:00", "15:10"]}',
      '[{"date": "2026-03-06", "kind": "holiday"}]')) r
 ORDER BY r.day;

-- Overtime set per shift applies when the rule has none of its own.
SELECT r.day, r.overtime_minutes AS overtime, r.overtime_category AS category
  FROM att_evaluate_rule('{
    "name": "shift overtime", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}],
                "overtime": {"min_minutes_after_end": 0, "unit_minutes": 15, "count_rest_days": false, "count_holidays": false}}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "Asia/Shanghai"}',
    pg_temp.request('2026-03-06', '2026-03-07', '{"2026-03-06": ["09:00", "18:44"], "2026-03-07": ["10:00", "15:00"]}')) r
 ORDER BY r.day;

-- A shift of two periods: every period needs its punches.
SELECT r.status, r.check_in, r.check_out, array_to_string(r.reasons, '; ') AS reasons
  FROM att_evaluate_rule('{
    "name": "split", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "split", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "split"}, "time_zone": "Asia/Shanghai"}',
    pg_temp.request('2026-03-02', '2026-03-02', '{"2026-03-02": ["08:55", "12:01", "13:10"]}')) r;

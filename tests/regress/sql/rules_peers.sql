-- What ERPNext and Odoo users rely on (issue 14), through SQL: the issue's
-- own examples, judged by att_evaluate_rule, and a half day by worked hours
-- as the reports show it (status half_day, day code HD).
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

-- Odoo's default calendar: one check-in and one check-out around a lunch break.
SELECT status, scheduled_minutes, work_minutes, late_minutes, absent_minutes
  FROM att_evaluate_rule('{"name": "odoo", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "17:00", "breaks": [{"start": "12:00", "end": "13:00"}]}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}',
    '2026-03-02', ARRAY['2026-03-02 07:58+00', '2026-03-02 17:02+00']::timestamptz[]);

-- ERPNext's windows: punches 09:00, 12:00, 12:25, 18:00 on 09:00-12:00 and 13:00-18:00.
SELECT status, late_minutes, early_minutes, check_in, check_out
  FROM att_evaluate_rule('{"name": "erpnext", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "split", "periods": [{"start": "09:00", "end": "12:00", "check_out_window_minutes": 20},
                                             {"start": "13:00", "end": "18:00", "check_in_window_minutes": 40}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "split"}, "time_zone": "UTC"}',
    '2026-03-02', ARRAY['2026-03-02 09:00+00', '2026-03-02 12:00+00', '2026-03-02 12:25+00', '2026-03-02 18:00+00']::timestamptz[]);

-- Work time from in/out pairs against first-to-last.
SELECT w.mode, r.work_minutes
  FROM (VALUES ('first_last'), ('pairs')) w(mode),
       LATERAL att_evaluate_rule(format('{"name": "pairs", "system": "standard", "punch_mode": "fixed", "work_time": "%s",
         "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
         "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"}, "time_zone": "UTC"}', w.mode)::jsonb,
         '2026-03-02', ARRAY['2026-03-02 10:00+00', '2026-03-02 11:30+00', '2026-03-02 12:00+00', '2026-03-02 15:00+00', '2026-03-02 16:30+00']::timestamptz[]) r
 ORDER BY 1;

-- Overtime before the start counts only when the rule says so.
SELECT c.counts, r.overtime_minutes
  FROM (VALUES (false), (true)) c(counts),
       LATERAL att_evaluate_rule(format('{"name": "ot", "system": "standard", "punch_mode": "fixed",
         "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "17:00"}]}],
         "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
         "overtime": {"min_minutes_after_end": 0, "unit_minutes": 1, "count_before_start": %s}, "time_zone": "UTC"}', c.counts::text)::jsonb,
         '2026-03-02', ARRAY['2026-03-02 07:00+00', '2026-03-02 18:00+00']::timestamptz[]) r
 ORDER BY 1;

-- Half day and absence by worked hours, and the day codes reports show.
SELECT p.punches, r.status, r.work_minutes, r.absent_minutes, att_day_code(r.status, r.leave_minutes) AS code
  FROM (VALUES ('08:00-16:00'), ('08:00-11:30'), ('08:00-08:45')) p(punches),
       LATERAL att_evaluate_rule('{"name": "hours", "system": "standard", "punch_mode": "fixed",
         "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "16:00"}]}],
         "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
         "working_hours_thresholds": {"half_day_below_minutes": 240, "absent_below_minutes": 60}, "time_zone": "UTC"}',
         '2026-03-02', ARRAY[('2026-03-02 ' || split_part(p.punches, '-', 1) || '+00')::timestamptz,
                             ('2026-03-02 ' || split_part(p.punches, '-', 2) || '+00')::timestamptz]) r
 ORDER BY 1 DESC;

-- Bad values are refused with the field's path, nothing stored.
SELECT att_rule_validate('{"name": "bad", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "17:00", "breaks": [{"start": "07:00", "end": "09:00"}]}]}],
  "standard": {"workdays": [1], "shift": "day"}, "time_zone": "UTC"}');

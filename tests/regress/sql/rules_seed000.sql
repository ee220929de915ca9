-- Seed 000 (基本规则): every worked example, through SQL, with the
-- table-free form att_evaluate_rule. Shift 09:00-18:00 in Asia/Shanghai;
-- 2026-03-02 is a Monday.
SET client_min_messages = warning;
SET datestyle = ISO;
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;

CREATE TEMP TABLE base AS SELECT '{
  "name": "office", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
  "time_zone": "Asia/Shanghai"}'::jsonb AS rule;

-- One case per worked example: settings added to the base rule, the day's
-- punches as local clock times, and what the seed says must come out.
CREATE TEMP TABLE seed_case (
  section text, example text, settings jsonb, punches text[], want_status text,
  want_late int, want_early int, want_absent int);
INSERT INTO seed_case VALUES
  -- 早到早走 fixed: arriving 30 min early allows leaving 30 min early.
  ('早到早走 fixed 30', 'in 08:29, out 17:30', '{"flex": {"early_arrive_early_leave": {"mode": "fixed", "minutes": 30}}}', '{08:29,17:30}', 'normal', 0, 0, 0),
  ('早到早走 fixed 30', 'in 08:30, out 17:30', '{"flex": {"early_arrive_early_leave": {"mode": "fixed", "minutes": 30}}}', '{08:30,17:30}', 'normal', 0, 0, 0),
  ('早到早走 fixed 30', 'in 08:31, out 17:30: not early enough', '{"flex": {"early_arrive_early_leave": {"mode": "fixed", "minutes": 30}}}', '{08:31,17:30}', 'early', 0, 30, 0),
  -- 早到早走 elastic: arriving k <= 30 early allows leaving k early.
  ('早到早走 elastic 30', 'in 08:40, out 17:40', '{"flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30}}}', '{08:40,17:40}', 'normal', 0, 0, 0),
  ('早到早走 elastic 30', 'in 08:40, out 17:35', '{"flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30}}}', '{08:40,17:35}', 'early', 0, 5, 0),
  ('早到早走 elastic 30', 'in 08:00, out 17:30: capped at 30', '{"flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30}}}', '{08:00,17:30}', 'normal', 0, 0, 0),
  -- 晚到晚走 fixed: arriving up to 30 late is not late, but the end moves to 18:30.
  ('晚到晚走 fixed 30', 'in 09:20, out 18:30', '{"flex": {"late_arrive_late_leave": {"mode": "fixed", "minutes": 30}}}', '{09:20,18:30}', 'normal', 0, 0, 0),
  ('晚到晚走 fixed 30', 'in 09:20, out 18:20', '{"flex": {"late_arrive_late_leave": {"mode": "fixed", "minutes": 30}}}', '{09:20,18:20}', 'early', 0, 10, 0),
  ('晚到晚走 fixed 30', 'in 09:31, out 18:30', '{"flex": {"late_arrive_late_leave": {"mode": "fixed", "minutes": 30}}}', '{09:31,18:30}', 'late', 31, 0, 0),
  -- 晚到晚走 elastic: every minute late must be worked at the end.
  ('晚到晚走 elastic 30', 'in 09:20, out 18:20', '{"flex": {"late_arrive_late_leave": {"mode": "elastic", "minutes": 30}}}', '{09:20,18:20}', 'normal', 0, 0, 0),
  ('晚到晚走 elastic 30', 'in 09:20, out 18:10', '{"flex": {"late_arrive_late_leave": {"mode": "elastic", "minutes": 30}}}', '{09:20,18:10}', 'early', 0, 10, 0),
  -- 允许迟到/早退: within the allowance nothing counts; beyond it, minutes count from the start (6, not 1).
  ('allowance 5/5', 'in 09:05, out 17:55', '{"tolerance": {"late_minutes": 5, "early_minutes": 5}}', '{09:05,17:55}', 'normal', 0, 0, 0),
  ('allowance 5/5', 'in 09:06, out 18:00', '{"tolerance": {"late_minutes": 5, "early_minutes": 5}}', '{09:06,18:00}', 'late', 6, 0, 0),
  -- 旷工 stepped: late over 60 counts as absent instead, rounded up to 30-minute steps.
  ('旷工 N=60 U=30', 'late 60: late, not absent', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true, "early_beyond": true}}}', '{10:00,18:00}', 'late', 60, 0, 0),
  ('旷工 N=60 U=30', 'late 61: 90 absent', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true, "early_beyond": true}}}', '{10:01,18:00}', 'absent', 0, 0, 90),
  ('旷工 N=60 U=30', 'late 90: 90 absent', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true, "early_beyond": true}}}', '{10:30,18:00}', 'absent', 0, 0, 90),
  ('旷工 N=60 U=30', 'late 91: 120 absent', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true, "early_beyond": true}}}', '{10:31,18:00}', 'absent', 0, 0, 120),
  ('旷工 N=60 U=30', 'early 61: 90 absent', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true, "early_beyond": true}}}', '{09:00,16:59}', 'absent', 0, 0, 90),
  ('旷工 N=60 U=30', 'early 91: 120 absent', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true, "early_beyond": true}}}', '{09:00,16:29}', 'absent', 0, 0, 120),
  -- The five absent situations.
  ('旷工 situations', 'no punch all day', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"no_punch_all_day": true}}}', '{}', 'absent', 0, 0, 540),
  ('旷工 situations', 'no punch, situation off', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"missing_check_in": true}}}', '{}', 'no_punch', 0, 0, 0),
  ('旷工 situations', 'missing check-out', '{"absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"missing_check_out": true}}}', '{09:00}', 'absent', 0, 0, 540),
  ('旷工 situations', 'missing check-in (sign-out on)', '{"sign_out": true, "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"missing_check_in": true}}}', '{18:00}', 'absent', 0, 0, 540),
  -- 签退设置: a lone punch after the middle of the period.
  -- a check-out at 17:00 leaves 60 early; a check-in at 17:00 is 480 late.
  ('签退设置', 'sign-out on: lone 17:00 is a check-out', '{"sign_out": true}', '{17:00}', 'missing_check_in', 0, 60, 0),
  ('签退设置', 'sign-out off: lone 17:00 is a check-in', '{}', '{17:00}', 'missing_check_out', 480, 0, 0);

SELECT c.section, c.example, r.status, r.late_minutes AS late, r.early_minutes AS early, r.absent_minutes AS absent,
       (r.status, r.late_minutes, r.early_minutes, r.absent_minutes)
         = (c.want_status, c.want_late, c.want_early, c.want_absent) AS as_seed
  FROM seed_case c, base b,
       LATERAL att_evaluate_rule(b.rule || c.settings, date '2026-03-02',
         ARRAY(SELECT ('2026-03-02 ' || p || '+08')::timestamptz FROM unnest(c.punches) p)) r
 ORDER BY c.section, c.example;

-- Reasons say why each figure is what it is.
SELECT unnest(r.reasons) AS reason
  FROM base b, att_evaluate_rule(b.rule || '{"tolerance": {"late_minutes": 5}, "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true}}}',
                                 date '2026-03-02', ARRAY['2026-03-02 10:01+08', '2026-03-02 18:00+08']::timestamptz[]) r;

-- 晚走晚到 (leave late, arrive late next day), fixed: left 18:30 on Monday, so
-- Tuesday may start 09:30 but must end 18:30; elastic: 20 min later in, 20 min later out.
CREATE TEMP TABLE llal AS SELECT * FROM (VALUES
  ('fixed', 'Mon out 18:30; Tue in 09:30, out 18:30', '{09:00,18:30}'::text[], '{09:30,18:30}'::text[], 'normal', 0, 0),
  ('fixed', 'Mon out 18:30; Tue in 09:30, out 18:00', '{09:00,18:30}', '{09:30,18:00}', 'early', 0, 30),
  ('fixed', 'Mon out 18:29; Tue in 09:30: late',       '{09:00,18:29}', '{09:30,18:30}', 'late', 30, 0),
  ('elastic', 'Mon out 18:30; Tue in 09:20, out 18:20', '{09:00,18:30}', '{09:20,18:20}', 'normal', 0, 0),
  ('elastic', 'Mon out 18:30; Tue in 09:20, out 18:10', '{09:00,18:30}', '{09:20,18:10}', 'early', 0, 10),
  ('elastic', 'Mon out 18:30; Tue in 09:40: late',      '{09:00,18:30}', '{09:40,18:40}', 'late', 40, 0)
) AS t(mode, example, monday, tuesday, want_status, want_late, want_early);

SELECT l.mode, l.example, r.status, r.late_minutes AS late, r.early_minutes AS early,
       (r.status, r.late_minutes, r.early_minutes) = (l.want_status, l.want_late, l.want_early) AS as_seed
  FROM llal l, base b,
       LATERAL att_evaluate_rule(
         b.rule || jsonb_build_object('flex', jsonb_build_object('leave_late_arrive_late',
           jsonb_build_object('mode', l.mode, 'tiers', '[{"left_after_minutes": 30, "may_arrive_late_minutes": 30}]'::jsonb))),
         jsonb_build_object('from', '2026-03-02', 'to', '2026-03-03', 'punches',
           (SELECT jsonb_agg(jsonb_build_object('at', (d || ' ' || p || '+08')::timestamptz))
              FROM (SELECT '2026-03-02' AS d, unnest(l.monday) AS p
                    UNION ALL SELECT '2026-03-03', unnest(l.tuesday)) x))) r
 WHERE r.day = '2026-03-03'
 ORDER BY l.mode DESC, l.example;

-- Only real punches trigger it: leave until 18:30 on Monday does not.
SELECT r.status, r.late_minutes AS late
  FROM base b,
       att_evaluate_rule(b.rule || '{"flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 30, "may_arrive_late_minutes": 30}]}}}',
         '{"from": "2026-03-02", "to": "2026-03-03",
           "punches": [{"at": "2026-03-02T09:00:00+08:00"}, {"at": "2026-03-02T16:00:00+08:00"},
                       {"at": "2026-03-03T09:30:00+08:00"}, {"at": "2026-03-03T18:30:00+08:00"}],
           "excuses": [{"kind": "leave", "from": "2026-03-02T16:00:00+08:00", "to": "2026-03-02T18:30:00+08:00"}]}') r
 WHERE r.day = '2026-03-03';

-- The best matching tier wins (up to five tiers).
SELECT t.monday_out, r.status, r.late_minutes AS late
  FROM base b, (VALUES ('18:30'), ('19:00'), ('20:00')) t(monday_out),
       LATERAL att_evaluate_rule(b.rule || '{"flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [
            {"left_after_minutes": 30, "may_arrive_late_minutes": 15},
            {"left_after_minutes": 60, "may_arrive_late_minutes": 30},
            {"left_after_minutes": 120, "may_arrive_late_minutes": 60}]}}}',
         jsonb_build_object('from', '2026-03-02', 'to', '2026-03-03', 'punches', jsonb_build_array(
           jsonb_build_object('at', '2026-03-02 09:00+08'::timestamptz),
           jsonb_build_object('at', ('2026-03-02 ' || t.monday_out || '+08')::timestamptz),
           jsonb_build_object('at', '2026-03-03 09:30+08'::timestamptz),
           jsonb_build_object('at', '2026-03-03 19:00+08'::timestamptz)))) r
 WHERE r.day = '2026-03-03'
 ORDER BY 1;

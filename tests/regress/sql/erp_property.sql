-- A property of the refresh design (issue 11): after any sequence of the
-- ERP's ordinary writes, interleaved with the clock moving forward and
-- att_finalize() running, every stored day that is not closed equals a
-- fresh evaluation, and no day that has not happened or lies outside
-- employment carries a judgement. Random but seeded (setseed), so the
-- output is stable; 6 employees, 3 departments, 300 steps.
SET client_min_messages = warning;
SET datestyle = ISO;
SET TimeZone = 'UTC';
DROP EXTENSION IF EXISTS attendance CASCADE;
CREATE EXTENSION attendance CASCADE;
SET search_path = attendance, public;
SET attendance.clock = '2026-11-02 00:00+00';

INSERT INTO org (org_id, parent_id, name) VALUES (1, NULL, 'Co'), (10, 1, 'A'), (20, 1, 'B'), (30, 1, 'C');
INSERT INTO employee SELECT e, 'staff ' || e FROM generate_series(1, 6) e;
INSERT INTO employee VALUES (99, 'hr');
INSERT INTO membership (employee_id, org_id, period) VALUES (99, 1, '[2026-01-01,)');
INSERT INTO admin_grant (admin_id, org_id, kind, period) VALUES (99, 1, 'hr', '[2026-01-01,)');
INSERT INTO rule (rule_id, name) VALUES (1, 'day'), (2, 'late');
INSERT INTO rule_version (rule_id, valid_from, config) VALUES
  (1, '2026-01-01', '{"name": "day", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "d", "periods": [{"start": "09:00", "end": "18:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "d"},
    "absenteeism": {"enabled": true, "unit_minutes": 30, "situations": {"no_punch_all_day": true}}, "time_zone": "UTC"}'),
  (2, '2026-01-01', '{"name": "late", "system": "standard", "punch_mode": "fixed",
    "shifts": [{"name": "n", "periods": [{"start": "20:00", "end": "04:00"}]}],
    "standard": {"workdays": [1, 2, 3, 4, 5, 6], "shift": "n"}, "time_zone": "Asia/Tokyo"}');
INSERT INTO rule_org VALUES (10, 1), (20, 2);

-- Every stored day that is not closed, against a fresh evaluation of the
-- same days in one batch.
CREATE FUNCTION public.prop_violations() RETURNS TABLE (stale bigint, judged_ahead bigint) LANGUAGE sql AS $$
  SELECT count(*) FILTER (WHERE (d.rule_id, d.day_kind, d.status, d.check_in, d.check_out, d.late_minutes, d.early_minutes,
                                 d.absent_minutes, d.work_minutes, d.overtime_minutes, d.leave_minutes, d.reasons)
                                IS DISTINCT FROM
                                (f.rule_id, f.day_kind, f.status, f.check_in, f.check_out, f.late_minutes, f.early_minutes,
                                 f.absent_minutes, f.work_minutes, f.overtime_minutes, f.leave_minutes, f.reasons)),
         count(*) FILTER (WHERE d.day > attendance.att_today() AND (d.absent_minutes > 0 OR d.early_minutes > 0
                                 OR d.status IN ('absent', 'no_punch', 'missing_check_in', 'missing_check_out', 'early')))
    FROM attendance._att_days_now d
    LEFT JOIN attendance.att_evaluate(ARRAY(SELECT employee_id FROM attendance.employee),
                                      (SELECT daterange(min(day), max(day), '[]') FROM attendance.day_record)) f
           USING (employee_id, day)
   WHERE NOT attendance.att_day_closed(d.employee_id, d.day)
$$;

CREATE TABLE public.prop_log (step int, op text, stale bigint, judged_ahead bigint);
SELECT setseed(0.42);
DO $$
DECLARE
  now_ timestamptz := '2026-11-02 00:00+00';
  op text;
  e bigint;
  d date;
  v record;
BEGIN
  FOR step IN 1..300 LOOP
    e := 1 + floor(random() * 6)::int;
    d := date '2026-11-01' + floor(random() * 30)::int;
    op := (ARRAY['punch', 'punch', 'punch', 'excuse', 'unexcuse', 'hire', 'move', 'leave', 'person', 'unperson',
                 'version', 'holiday', 'unholiday', 'reorg', 'clock', 'clock', 'close', 'reopen'])[1 + floor(random() * 18)::int];
    BEGIN
      CASE op
      WHEN 'punch' THEN
        INSERT INTO attendance.punch (employee_id, at) VALUES (e, d + make_interval(mins => floor(random() * 1440)::int));
      WHEN 'excuse' THEN
        INSERT INTO attendance.excuse (employee_id, kind, during)
        VALUES (e, 'leave', tstzrange(d + time '09:00', d + time '13:00'));
      WHEN 'unexcuse' THEN
        DELETE FROM attendance.excuse WHERE excuse_id = (SELECT min(excuse_id) FROM attendance.excuse WHERE employee_id = e);
      WHEN 'hire' THEN
        IF NOT EXISTS (SELECT 1 FROM attendance.membership m WHERE m.employee_id = e) THEN
          INSERT INTO attendance.membership (employee_id, org_id, period)
          VALUES (e, (ARRAY[10, 20, 30])[1 + floor(random() * 3)::int], daterange(d, NULL));
        END IF;
      WHEN 'move' THEN
        SELECT * INTO v FROM attendance.membership m WHERE m.employee_id = e AND upper_inf(m.period) AND lower(m.period) < d;
        IF FOUND THEN
          UPDATE attendance.membership SET period = daterange(lower(period), d) WHERE employee_id = e AND membership_id = v.membership_id;
          INSERT INTO attendance.membership (employee_id, org_id, period)
          VALUES (e, CASE v.org_id WHEN 10 THEN 20 WHEN 20 THEN 30 ELSE 10 END, daterange(d, NULL));
        END IF;
      WHEN 'leave' THEN
        UPDATE attendance.membership SET period = daterange(lower(period), d)
         WHERE employee_id = e AND upper_inf(period) AND lower(period) < d;
      WHEN 'person' THEN
        IF NOT EXISTS (SELECT 1 FROM attendance.rule_person p WHERE p.employee_id = e) THEN
          INSERT INTO attendance.rule_person (employee_id, rule_id, validity) VALUES (e, 2, daterange(d, d + 7));
        END IF;
      WHEN 'unperson' THEN
        DELETE FROM attendance.rule_person WHERE employee_id = e;
      WHEN 'version' THEN
        INSERT INTO attendance.rule_version (rule_id, valid_from, config)
        SELECT 1, d, jsonb_set(config, '{shifts,0,periods,0,start}', to_jsonb(lpad((8 + floor(random() * 3))::int::text, 2, '0') || ':00'))
          FROM attendance.rule_version WHERE rule_id = 1 ORDER BY valid_from LIMIT 1
        ON CONFLICT (rule_id, valid_from) DO UPDATE SET config = excluded.config;
      WHEN 'holiday' THEN
        INSERT INTO attendance.holiday (company_id, day, mark) VALUES (1, d, 'holiday') ON CONFLICT DO NOTHING;
      WHEN 'unholiday' THEN
        DELETE FROM attendance.holiday WHERE company_id = 1 AND day = d;
      WHEN 'reorg' THEN
        -- half of the moves from today, half dated (past or future)
        UPDATE attendance.org SET parent_id = CASE parent_id WHEN 1 THEN 10 ELSE 1 END,
                                  parent_since = CASE WHEN random() < 0.5 THEN d ELSE parent_since END
         WHERE org_id = 30;
      WHEN 'clock' THEN
        now_ := now_ + make_interval(hours => floor(random() * 30)::int);
        PERFORM set_config('attendance.clock', now_::text, false);
      WHEN 'close' THEN
        PERFORM attendance.att_close_period(1, d, 99);
      WHEN 'reopen' THEN
        PERFORM attendance.att_reopen_period(1, d, 99);
      END CASE;
    EXCEPTION WHEN others THEN
      -- refused writes (closed days, overlapping memberships, a closed or open
      -- period) change nothing; the property must hold all the same
      op := op || ' refused (' || SQLSTATE || ')';
    END;
    PERFORM attendance.att_finalize();
    INSERT INTO public.prop_log SELECT step, op, x.stale, x.judged_ahead FROM public.prop_violations() x;
  END LOOP;
END $$;

-- What ran, and the steps that broke the property (none).
SELECT split_part(op, ' ', 1) AS op, count(*) AS steps, count(*) FILTER (WHERE op LIKE '%refused%') AS refused
  FROM public.prop_log GROUP BY 1 ORDER BY 1;
SELECT count(*) AS steps, count(*) FILTER (WHERE stale > 0 OR judged_ahead > 0) AS violating_steps FROM public.prop_log;
SELECT * FROM public.prop_log WHERE stale > 0 OR judged_ahead > 0 ORDER BY step LIMIT 5;
SELECT count(*) > 100 AS many_days_stored, count(DISTINCT status) >= 5 AS varied FROM day_record;
-- every period's stored sums equal the sums of its stored days (the days
-- not over yet aside, shown_*: a row keeps those not over when it was
-- written, the sums of now those not over now)
WITH k AS (SELECT array_agg(employee_id) AS e, array_agg(period_start) AS p
             FROM (SELECT DISTINCT employee_id, period_start FROM day_record WHERE period_start IS NOT NULL) x),
     fresh AS (SELECT to_jsonb(f) - '{shown_due,shown_day,shown_delta,shown_code}'::text[] AS j FROM k, attendance._att_period_rows(k.e, k.p) f),
     kept AS (SELECT to_jsonb(p) - '{shown_due,shown_day,shown_delta,shown_code}'::text[] AS j FROM period_record p)
SELECT (SELECT count(*) FROM period_record) > 5 AS many_periods,
       (SELECT count(*) FROM (SELECT j FROM kept EXCEPT SELECT j FROM fresh) a)
     + (SELECT count(*) FROM (SELECT j FROM fresh EXCEPT SELECT j FROM kept) b) AS stale_periods;
-- the moved department went back and forth on dated days
SELECT count(*) >= 3 AS reorganised_often FROM org_tree WHERE org_id = 30;
DROP TABLE public.prop_log;
DROP FUNCTION public.prop_violations();
RESET attendance.clock;

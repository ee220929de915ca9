-- Overtime over more than one day (issue 14): the weekly quantity rule
-- (overtime.quantity.week_over_minutes) and time off in lieu
-- (overtime.time_off_in_lieu). A day's own overtime is judged by the engine;
-- these figures sum stored days, so they are views over day_record and stay
-- current with it.

-- The overtime settings the engine used for a stored day: the rule-wide
-- overtime, else the day's shift's, else (a rest day or holiday, no shift)
-- the non-workday default shift's, else the first shift that has one
-- (crates/rules/src/rule.rs, overtime_for and overtime_off_duty). A definer:
-- BI logins read day_record, not rule_version; this reveals only a rule's
-- overtime settings, never its locations or scope.
CREATE FUNCTION _att_overtime_setting(rule bigint, day date, shift text) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(v.config -> 'overtime',
                  (SELECT s -> 'overtime' FROM jsonb_array_elements(v.config -> 'shifts') s
                    WHERE s ->> 'name' = shift AND s ? 'overtime'),
                  (SELECT s -> 'overtime' FROM jsonb_array_elements(v.config -> 'shifts') s
                    WHERE shift IS NULL AND (s ->> 'non_workday_default')::boolean AND s ? 'overtime'),
                  (SELECT s -> 'overtime' FROM jsonb_array_elements(v.config -> 'shifts') WITH ORDINALITY AS x(s, n)
                    WHERE shift IS NULL AND s ? 'overtime' ORDER BY n LIMIT 1))
    FROM @extschema@.rule_version v
   WHERE v.rule_id = rule AND v.valid_from <= day
   ORDER BY v.valid_from DESC LIMIT 1;
END;
COMMENT ON FUNCTION _att_overtime_setting(bigint, date, text) IS 'Internal: the overtime settings (JSON) of the rule version in force on the day, for the day''s shift, as the engine chose them.';

-- Weeks run Monday to Sunday (ISO) over the employee's local days. A week
-- counts each day's regular minutes: the minutes present as punched
-- (attended_minutes, before the start and after the end included) and the
-- minutes worked elsewhere (business trips, outings, approved appeals), less
-- what the day already counted as overtime, so no minute is overtime twice.
-- Leave is not presence and counts for nothing.
CREATE VIEW att_weekly_overtime WITH (security_invoker = true, security_barrier = true) AS
WITH days AS (
  SELECT d.employee_id, d.day, d.rule_id, d.shift, d.status, d.work_minutes, d.overtime_minutes,
         greatest(0, d.attended_minutes + d.trip_minutes + d.outing_minutes + d.appeal_minutes - d.overtime_minutes) AS regular_minutes,
         d.attended_minutes
    FROM @extschema@._att_days_now d
), weeks AS (
  SELECT d.employee_id, date_trunc('week', d.day)::date AS week_start,
         sum(d.work_minutes)::integer AS work_minutes,
         sum(d.attended_minutes)::integer AS attended_minutes,
         sum(d.regular_minutes)::integer AS regular_minutes,
         sum(d.overtime_minutes)::integer AS day_overtime_minutes,
         count(*)::integer AS stored_days,
         count(*) FILTER (WHERE d.status = 'pending')::integer AS pending_days,
         max(d.day) FILTER (WHERE d.rule_id IS NOT NULL) AS last_judged,
         (array_agg(d.rule_id ORDER BY d.day DESC) FILTER (WHERE d.rule_id IS NOT NULL))[1] AS rule_id,
         (array_agg(d.shift ORDER BY d.day DESC) FILTER (WHERE d.rule_id IS NOT NULL))[1] AS shift
    FROM days d
   GROUP BY d.employee_id, date_trunc('week', d.day)::date
), limits AS (
  SELECT w.*, o.setting, (o.setting #>> '{quantity,week_over_minutes}')::integer AS week_over_minutes,
         greatest(1, coalesce((o.setting ->> 'unit_minutes')::integer, 1)) AS unit
    FROM weeks w
    CROSS JOIN LATERAL (SELECT @extschema@._att_overtime_setting(w.rule_id, w.last_judged, w.shift) AS setting) o
)
SELECT l.employee_id, e.display_name AS employee_name, e.employee_key,
       l.week_start, l.week_start + 6 AS week_end,
       l.work_minutes, l.attended_minutes, l.regular_minutes, l.day_overtime_minutes, l.week_over_minutes,
       -- greatest() skips NULLs: without a weekly threshold the figure is NULL, not 0
       CASE WHEN l.week_over_minutes IS NOT NULL
            THEN greatest(0, l.regular_minutes - l.week_over_minutes) / l.unit * l.unit END AS week_overtime_minutes,
       l.stored_days, l.pending_days,
       l.stored_days = 7 AND l.pending_days = 0 AS complete
  FROM limits l
  JOIN @extschema@.employee e ON e.employee_id = l.employee_id;
COMMENT ON VIEW att_weekly_overtime IS 'Weekly quantity overtime (Odoo''s weekly rule, "over 40 h a week") per employee and ISO week (Monday to Sunday, local days): the week''s regular minutes (present as punched or working elsewhere, not already counted as a day''s overtime) beyond the rule''s overtime.quantity.week_over_minutes, rounded down to the overtime unit. The rule is the one that judged the week''s last judged day. A week still running is provisional (complete false).';
COMMENT ON COLUMN att_weekly_overtime.employee_id IS 'The employee.';
COMMENT ON COLUMN att_weekly_overtime.employee_name IS 'The employee''s display name.';
COMMENT ON COLUMN att_weekly_overtime.employee_key IS 'The ERP''s own key of the employee when it is text or uuid.';
COMMENT ON COLUMN att_weekly_overtime.week_start IS 'The Monday the week starts on.';
COMMENT ON COLUMN att_weekly_overtime.week_end IS 'The Sunday the week ends on.';
COMMENT ON COLUMN att_weekly_overtime.work_minutes IS 'Minutes worked over the week''s stored days (work_minutes: within the shifts on workdays).';
COMMENT ON COLUMN att_weekly_overtime.attended_minutes IS 'Minutes present as punched over the week (check-in to check-out, not clipped to the shifts, breaks left out).';
COMMENT ON COLUMN att_weekly_overtime.regular_minutes IS 'Minutes present or working elsewhere (trips, outings, appeals) that no day counted as overtime: what the weekly threshold is measured against.';
COMMENT ON COLUMN att_weekly_overtime.day_overtime_minutes IS 'Overtime minutes the days already counted (after the end, before the start, daily quantity, rest days and holidays).';
COMMENT ON COLUMN att_weekly_overtime.week_over_minutes IS 'The rule''s weekly threshold; NULL when the rule has no weekly quantity overtime.';
COMMENT ON COLUMN att_weekly_overtime.week_overtime_minutes IS 'Overtime from the weekly threshold: regular_minutes - week_over_minutes when positive, rounded down to the overtime unit; NULL without a weekly threshold. It adds to day_overtime_minutes.';
COMMENT ON COLUMN att_weekly_overtime.stored_days IS 'Days of the week with a stored result.';
COMMENT ON COLUMN att_weekly_overtime.pending_days IS 'Days of the week not over yet.';
COMMENT ON COLUMN att_weekly_overtime.complete IS 'All seven days are stored and over: the figure is final.';

-- Earned and taken time off in lieu of the days the asking login may see.
-- A definer: the leave taken is read from excuse, which BI logins cannot
-- read; rows are kept to the login's visible days as the views' policies
-- would keep them. PL/pgSQL, to skip the scan when no rule keeps overtime as
-- time off; earned and taken are added up rather than outer-joined, which
-- Citus cannot plan beside the superuser test.
CREATE FUNCTION _att_time_off() RETURNS TABLE (employee_id bigint, leave_type text, earned_minutes bigint,
                                                taken_minutes bigint, through_day date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp ROWS 1000 AS $$
#variable_conflict use_column
BEGIN
  IF NOT EXISTS (SELECT 1 FROM @extschema@.rule_version r WHERE jsonb_path_exists(r.config, 'lax $.**.time_off_in_lieu')) THEN
    RETURN;
  END IF;
  RETURN QUERY
  -- the spans read first, once (see _att_day_approvals)
  WITH v AS MATERIALIZED (SELECT s.employee_id, s.days FROM @extschema@._att_visible_spans() s),
  types AS (
    SELECT DISTINCT t ->> 'leave_type' AS leave_type
      FROM @extschema@.rule_version r, jsonb_path_query(r.config, 'lax $.**.time_off_in_lieu') t
  ),
  days AS (
    SELECT d.employee_id, d.day, d.rule_id, d.shift, d.overtime_minutes, d.leave_minutes, d.scheduled_start, d.scheduled_end
      FROM @extschema@._att_days_now d
     WHERE (d.overtime_minutes > 0 OR d.leave_minutes > 0)
       AND ((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)
            OR (d.employee_id, d.day) IN (SELECT v.employee_id, x.day
                                            FROM v
                                            JOIN @extschema@.day_record x ON x.employee_id = v.employee_id AND v.days @> x.day))
  ),
  earned AS (
    SELECT d.employee_id, o.toil ->> 'leave_type' AS leave_type,
           sum(d.overtime_minutes * coalesce((o.toil ->> 'percent')::integer, 100) / 100) AS minutes,
           max(d.day) AS through_day
      FROM days d
      CROSS JOIN LATERAL (SELECT @extschema@._att_overtime_setting(d.rule_id, d.day, d.shift) -> 'time_off_in_lieu' AS toil) o
     WHERE d.overtime_minutes > 0 AND o.toil IS NOT NULL
     GROUP BY d.employee_id, o.toil ->> 'leave_type'
  ),
  taken AS (
    -- the leave of that type inside the shift's span, never more than the
    -- day's leave minutes (which leave breaks out)
    SELECT d.employee_id, x.leave_type, sum(least(d.leave_minutes, x.minutes)) AS minutes, max(d.day) AS through_day
      FROM days d
      CROSS JOIN LATERAL (
        SELECT e.leave_type,
               (sum(extract(epoch FROM upper(e.during * tstzrange(d.scheduled_start, d.scheduled_end))
                                     - lower(e.during * tstzrange(d.scheduled_start, d.scheduled_end)))) / 60)::bigint AS minutes
          FROM @extschema@.excuse e
         WHERE e.employee_id = d.employee_id AND e.kind = 'leave'
           AND e.during && tstzrange(d.scheduled_start, d.scheduled_end)
           AND e.leave_type IN (SELECT t.leave_type FROM types t)
         -- the employee too (one value here): Citus groups a lateral
         -- subquery only by the column it distributes by
         GROUP BY e.employee_id, e.leave_type) x
     WHERE d.leave_minutes > 0 AND d.scheduled_start IS NOT NULL AND d.scheduled_end IS NOT NULL
     GROUP BY d.employee_id, x.leave_type
  )
  SELECT b.employee_id, b.leave_type, sum(b.earned)::bigint, sum(b.taken)::bigint, max(b.through_day)
    FROM (SELECT e.employee_id, e.leave_type, e.minutes AS earned, 0::bigint AS taken, e.through_day FROM earned e
          UNION ALL
          SELECT t.employee_id, t.leave_type, 0::bigint, t.minutes, t.through_day FROM taken t) b
   GROUP BY b.employee_id, b.leave_type;
END $$;
COMMENT ON FUNCTION _att_time_off() IS 'Internal: time off in lieu earned and taken per employee and leave type, over the days the asking login may see.';

CREATE VIEW att_time_off_balance WITH (security_invoker = true, security_barrier = true) AS
SELECT t.employee_id, e.display_name AS employee_name, e.employee_key, t.leave_type,
       t.earned_minutes, t.taken_minutes, t.earned_minutes - t.taken_minutes AS balance_minutes,
       round((t.earned_minutes - t.taken_minutes) / 60.0, 2) AS balance_hours, t.through_day
  FROM @extschema@._att_time_off() t
  JOIN @extschema@.employee e ON e.employee_id = t.employee_id;
COMMENT ON VIEW att_time_off_balance IS 'Time off in lieu (调休) per employee and leave type: overtime converted by the rule''s overtime.time_off_in_lieu (minutes x percent / 100, rounded down per day), less the leave of that type taken inside shifts (at most the day''s leave minutes). Over the stored days the login may see. The ERP approves leave: a negative balance is shown, not refused.';
COMMENT ON COLUMN att_time_off_balance.employee_id IS 'The employee.';
COMMENT ON COLUMN att_time_off_balance.employee_name IS 'The employee''s display name.';
COMMENT ON COLUMN att_time_off_balance.employee_key IS 'The ERP''s own key of the employee when it is text or uuid.';
COMMENT ON COLUMN att_time_off_balance.leave_type IS 'The leave type that draws the balance down (the rule''s time_off_in_lieu.leave_type).';
COMMENT ON COLUMN att_time_off_balance.earned_minutes IS 'Minutes of time off earned from overtime.';
COMMENT ON COLUMN att_time_off_balance.taken_minutes IS 'Minutes of leave of that type taken inside shifts.';
COMMENT ON COLUMN att_time_off_balance.balance_minutes IS 'earned_minutes - taken_minutes.';
COMMENT ON COLUMN att_time_off_balance.balance_hours IS 'The balance in hours, to two decimals.';
COMMENT ON COLUMN att_time_off_balance.through_day IS 'The last stored day counted.';


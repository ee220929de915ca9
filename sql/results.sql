-- Stored day results (SPEC.md C) and the record of every change to a closed
-- day. How they are kept current is in refresh.sql; the views are in
-- reporting.sql.

CREATE TABLE day_record (
  employee_id       bigint NOT NULL,
  day               date NOT NULL,
  rule_id           bigint,
  rule_name         text,
  shift             text,
  day_kind          text,
  status            text NOT NULL,
  check_in          timestamptz[] NOT NULL,
  check_out         timestamptz[] NOT NULL,
  scheduled_minutes integer NOT NULL,
  late_minutes      integer NOT NULL,
  early_minutes     integer NOT NULL,
  absent_minutes    integer NOT NULL,
  work_minutes      integer NOT NULL,
  overtime_minutes  integer NOT NULL,
  overtime_category text,
  outside_punches   integer NOT NULL,
  leave_minutes     integer NOT NULL,
  reasons           text[] NOT NULL,
  evaluated_at      timestamptz NOT NULL DEFAULT now(),
  org_id            bigint,
  company_id        bigint,
  period_start      date,
  time_zone         text,
  scheduled_start   timestamptz,
  scheduled_end     timestamptz,
  leave_type        text,
  trip_minutes      integer NOT NULL DEFAULT 0,
  outing_minutes    integer NOT NULL DEFAULT 0,
  appeal_minutes    integer NOT NULL DEFAULT 0,
  check_in_place    text,
  check_out_place   text,
  attended_minutes  integer NOT NULL DEFAULT 0,
  due_at            timestamptz,
  shown             day_shown,
  PRIMARY KEY (employee_id, day)
)
-- Room on each page for a day's next version (since 0.16.0): a stored day
-- is rewritten as it falls due and as punches come, and a version that
-- stays on its page needs no new page, and none of the indexes' entries
-- when no indexed column changed.
WITH (fillfactor = 85);
-- One closing period's days, for reports by period.
CREATE INDEX day_record_period_idx ON day_record (period_start, employee_id);
COMMENT ON TABLE day_record IS 'Materialised day results (one row per employee-day), kept current by triggers on every input and by att_finalize(); frozen once the day''s period is closed. BI tools read it through the att_ views.';
COMMENT ON COLUMN day_record.employee_id IS 'The employee.';
COMMENT ON COLUMN day_record.day IS 'The local day in the rule''s time zone (a night shift belongs to the day it starts).';
COMMENT ON COLUMN day_record.rule_id IS 'The rule that judged the day (NULL: none applies, or not employed).';
COMMENT ON COLUMN day_record.rule_name IS 'That rule''s name.';
COMMENT ON COLUMN day_record.shift IS 'The shift of the day (NULL on rest days and holidays).';
COMMENT ON COLUMN day_record.day_kind IS 'workday, rest, holiday, make_up_workday; NULL when no rule applies or not employed.';
COMMENT ON COLUMN day_record.status IS 'The day''s status (see att_daily.status); for a day not over yet (due_at after now), the status it will have once over (shown holds what it shows).';
COMMENT ON COLUMN day_record.check_in IS 'The check-in used for each shift period, in period order (NULL where missing).';
COMMENT ON COLUMN day_record.check_out IS 'The check-out used for each shift period, in period order (NULL where missing).';
COMMENT ON COLUMN day_record.scheduled_minutes IS 'Minutes the shift asks for.';
COMMENT ON COLUMN day_record.late_minutes IS 'Late minutes that count.';
COMMENT ON COLUMN day_record.early_minutes IS 'Early-leave minutes that count.';
COMMENT ON COLUMN day_record.absent_minutes IS 'Minutes counted as absence.';
COMMENT ON COLUMN day_record.work_minutes IS 'Minutes worked.';
COMMENT ON COLUMN day_record.overtime_minutes IS 'Overtime minutes.';
COMMENT ON COLUMN day_record.overtime_category IS 'workday, rest_day or holiday overtime; NULL without overtime.';
COMMENT ON COLUMN day_record.outside_punches IS 'Punches outside every allowed location (kept, not counted).';
COMMENT ON COLUMN day_record.leave_minutes IS 'Minutes of the shift covered by approved leave.';
COMMENT ON COLUMN day_record.reasons IS 'Why each figure is what it is, one sentence each.';
COMMENT ON COLUMN day_record.evaluated_at IS 'When the day was last written.';
COMMENT ON COLUMN day_record.org_id IS 'The org (department) of the employee''s primary membership that day; NULL without employment data.';
COMMENT ON COLUMN day_record.company_id IS 'The company (root org) above org_id in the tree as it stood that day.';
COMMENT ON COLUMN day_record.period_start IS 'First day of the company''s closing period that holds the day (the 26th for a company closing on the 25th).';
COMMENT ON COLUMN day_record.time_zone IS 'The rule''s time zone (IANA name): local times and the day itself are judged in it.';
COMMENT ON COLUMN day_record.scheduled_start IS 'Start of the first shift period as judged (a flex rule may move it); NULL without a shift.';
COMMENT ON COLUMN day_record.scheduled_end IS 'End of the last shift period as judged; NULL without a shift.';
COMMENT ON COLUMN day_record.leave_type IS 'The ERP''s leave types (excuse.leave_type) covering part of the shift, sorted and comma-separated.';
COMMENT ON COLUMN day_record.trip_minutes IS 'Minutes of the shift covered by business trips (worked elsewhere, not leave).';
COMMENT ON COLUMN day_record.outing_minutes IS 'Minutes of the shift covered by outings (外出).';
COMMENT ON COLUMN day_record.appeal_minutes IS 'Minutes of the shift covered by approved appeals.';
COMMENT ON COLUMN day_record.check_in_place IS 'The rule''s location (by name) within whose radius the first check-in was made; NULL without one or without coordinates.';
COMMENT ON COLUMN day_record.check_out_place IS 'The rule''s location within whose radius the last check-out was made.';
COMMENT ON COLUMN day_record.due_at IS 'NULL: the day''s figures hold now. Otherwise the day (today, of one shift period) is not over yet: its figures here are what it will be from this instant on, ahead of time (no punch yet: absent), and until then it shows shown. The views (att_daily and the rest) choose by att_now(), so the day falls due without being written again (since 0.25.0); a reader of this table should too.';
COMMENT ON COLUMN day_record.shown IS 'What a day not over yet shows until due_at (status pending, the check-in so far, late so far); NULL when due_at is.';
COMMENT ON COLUMN day_record.attended_minutes IS 'Minutes present as punched: each period from its check-in to its check-out (the in/out pairs with work_time pairs), not clipped to the shift, breaks left out; on rest days and holidays the minutes worked. What weekly quantity overtime counts.';

-- The stored days as they show now (since 0.25.0): a day not over yet
-- holds its figures once over and shows what it shows until it falls due
-- (day_record.due_at), so no write is needed when it does. What the views
-- read. Internal (its columns are day_record's, not plain types). With the
-- querying role's privileges (day_record's grants and scope policy apply),
-- so its own SELECT is granted to everyone. A view, not a SQL function:
-- Citus plans no function's query over its tables with parameters.
-- att_now() is read once a query.
CREATE VIEW _att_days_now WITH (security_invoker = true) AS
SELECT d.employee_id, d.day, d.rule_id, d.rule_name, d.shift, d.day_kind,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).status ELSE d.status END AS status,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_in ELSE d.check_in END AS check_in,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_out ELSE d.check_out END AS check_out,
       d.scheduled_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).late_minutes ELSE d.late_minutes END AS late_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).early_minutes ELSE d.early_minutes END AS early_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).absent_minutes ELSE d.absent_minutes END AS absent_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).work_minutes ELSE d.work_minutes END AS work_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).overtime_minutes ELSE d.overtime_minutes END AS overtime_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).overtime_category ELSE d.overtime_category END AS overtime_category,
       d.outside_punches, d.leave_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).reasons ELSE d.reasons END AS reasons,
       d.evaluated_at, d.org_id, d.company_id, d.period_start, d.time_zone, d.scheduled_start, d.scheduled_end,
       d.leave_type, d.trip_minutes, d.outing_minutes, d.appeal_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_in_place ELSE d.check_in_place END AS check_in_place,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).check_out_place ELSE d.check_out_place END AS check_out_place,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN (d.shown).attended_minutes ELSE d.attended_minutes END AS attended_minutes,
       CASE WHEN d.due_at > (SELECT @extschema@.att_now()) THEN d.due_at END AS due_at
  FROM @extschema@.day_record d;
COMMENT ON VIEW _att_days_now IS 'Internal: day_record (but shown) as the days show now: a day not over yet as it shows until it falls due (pending, the check-in and lateness so far), then with its figures once over, written or not; due_at NULL once they hold. Read by the views with the asking login''s privileges (day_record''s grants and scope policy).';
GRANT SELECT ON _att_days_now TO PUBLIC;

-- A stored day (as jsonb: to_jsonb of a day_record row) as it shows at an
-- instant: shown names the columns it replaces. For the definer functions
-- that read one day (an approval, a correction): on Citus a query with
-- parameters may not go through _att_days_now, and a shard's row is of
-- another row type.
CREATE FUNCTION _att_day_as_shown(d jsonb, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN (d ->> 'due_at')::timestamptz > at THEN d || (d -> 'shown') ELSE d END
       OPERATOR(pg_catalog.-) ARRAY['due_at', 'shown'];
COMMENT ON FUNCTION _att_day_as_shown(jsonb, timestamptz) IS 'Internal: a stored day (to_jsonb of its day_record row) as it shows at the instant given, without due_at and shown.';

-- What the record of a change to a day (correction.before and after) holds:
-- the day as it shows, and for a day not over yet also the instant it
-- falls due and its figures once over, which a change may alter alone
-- (hr's correction of a closed day on its last morning).
CREATE FUNCTION _att_day_as_recorded(d jsonb, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN @extschema@._att_day_as_shown(d, at)
       OPERATOR(pg_catalog.||) CASE WHEN (d ->> 'due_at')::timestamptz > at
                                    THEN jsonb_build_object('due_at', d -> 'due_at',
                                                            'once_over', d OPERATOR(pg_catalog.-) ARRAY['due_at', 'shown', 'evaluated_at'])
                                    ELSE '{}'::jsonb END;
COMMENT ON FUNCTION _att_day_as_recorded(jsonb, timestamptz) IS 'Internal: a day (to_jsonb of its day_record row or day_result) as a correction records it: as it shows at the instant given, and for a day not over yet its due_at and its figures once over (once_over).';
REVOKE EXECUTE ON FUNCTION _att_day_as_shown(jsonb, timestamptz), _att_day_as_recorded(jsonb, timestamptz) FROM PUBLIC;

-- A day to be stored (day_result) as it shows at an instant: what the
-- refresh compares with a closed day as it shows (_att_days_now).
CREATE FUNCTION _att_shown_at(r day_result, at timestamptz) RETURNS day_result
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN r.due_at > at
            THEN ROW(r.employee_id, r.day, r.rule_id, r.rule_name, r.shift, r.day_kind, (r.shown).status, (r.shown).check_in, (r.shown).check_out, r.scheduled_minutes, (r.shown).late_minutes, (r.shown).early_minutes, (r.shown).absent_minutes, (r.shown).work_minutes, (r.shown).overtime_minutes, (r.shown).overtime_category, r.outside_punches, r.leave_minutes, (r.shown).reasons, r.org_id, r.company_id, r.period_start, r.time_zone, r.scheduled_start, r.scheduled_end, r.leave_type, r.trip_minutes, r.outing_minutes, r.appeal_minutes, (r.shown).check_in_place, (r.shown).check_out_place, (r.shown).attended_minutes, NULL, NULL)::@extschema@.day_result
            ELSE r END;
COMMENT ON FUNCTION _att_shown_at(day_result, timestamptz) IS 'Internal: an evaluated day as it shows at the instant given: what it shows (shown) until it falls due (due_at), its figures from then on.';
REVOKE EXECUTE ON FUNCTION _att_shown_at(day_result, timestamptz) FROM PUBLIC;

CREATE TABLE correction (
  employee_id   bigint NOT NULL REFERENCES employee (employee_id),
  correction_id bigint GENERATED ALWAYS AS IDENTITY,
  day           date NOT NULL,
  actor         bigint REFERENCES employee (employee_id),
  at            timestamptz NOT NULL DEFAULT now(),
  reason        text,
  before        jsonb NOT NULL,
  after         jsonb NOT NULL,
  PRIMARY KEY (employee_id, correction_id)
);
COMMENT ON TABLE correction IS 'Every change to a day of a period that is or ever was closed: who (the acting employee, who held the correct permission: hr while closed), when, why (the attendance.reason setting), and the day''s result before (null: not stored yet) and after.';
COMMENT ON COLUMN correction.actor IS 'The acting employee; NULL for a change no person made (a device punch or a load arriving after the period was reopened).';

-- Who a closing covered, recorded when it closed: whether a day is closed
-- must not change when a membership or the tree changes afterwards. And
-- on which days (since 0.27.0): those of the period they belonged to the
-- org, or below it, by the memberships and tree the closing saw. Until
-- then a cover held the whole period, so a department moved to another
-- company from the 6th, a move entered before the closing, had its days
-- from the 6th closed by its old company's closing, and the ERP's punches
-- on them refused (a differential review).
CREATE TABLE closing_cover (
  employee_id bigint NOT NULL,
  org_id      bigint NOT NULL,
  period      daterange NOT NULL,
  days        datemultirange NOT NULL,
  PRIMARY KEY (employee_id, org_id, period)
);
COMMENT ON TABLE closing_cover IS 'The employees a closing of an org and period covered, recorded when it closed and kept after a reopening: their days of the period stay closed (and ever closed) whatever memberships say later. Closing the period again closes its members then, on the days it sees: anyone an earlier closing covered who is no longer a member is covered on no day and stays ever closed (since 0.27.0; from 0.24.0 skipped in closing_exemption).';
COMMENT ON COLUMN closing_cover.days IS 'The days of the period the closing closed for the employee: those they belonged to the org or below it, by the memberships and tree the latest closing of the period saw (none for someone no longer a member then); covers recorded before 0.27.0 hold the whole period. Every day of the period stays ever closed (att_day_ever_closed).';

-- PL/pgSQL, not SQL (here and below): Citus plans no SQL-function
-- statement whose parameter picks the shard.
CREATE FUNCTION att_day_closed(employee bigint, day date) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
BEGIN
  RETURN EXISTS (
    SELECT 1
      FROM @extschema@.closing c
     WHERE c.period @> day
       AND (EXISTS (SELECT 1 FROM @extschema@.closing_cover v
                     WHERE v.employee_id = employee AND v.org_id = c.org_id AND v.period = c.period AND v.days @> day)
            -- (that day the org's period is the one closed: an org moved to
            -- a company closing on another day has other periods)
            OR EXISTS (SELECT 1 FROM @extschema@.membership m
                         JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period @> day
                         JOIN @extschema@.org co ON co.org_id = t.path[1]
                        WHERE m.employee_id = employee AND m.period @> day AND c.org_id = ANY (t.path)
                          AND @extschema@.att_closing_period_for(day, co.closing_day) = c.period))
       -- a closing that skipped the employee leaves their days open
       AND NOT EXISTS (SELECT 1 FROM @extschema@.closing_exemption x
                        WHERE x.org_id = c.org_id AND x.period = c.period AND x.employee_id = employee));
END $$;
COMMENT ON FUNCTION att_day_closed(bigint, date) IS 'Whether the employee''s day lies in a closed period: one the closing covered them in on that day (closing_cover), or one closed for an org they belong to that day (or an org above it) whose period that day it is; not when the closing skipped them.';


CREATE FUNCTION att_day_ever_closed(employee bigint, day date) RETURNS boolean
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
BEGIN
  RETURN EXISTS (SELECT 1 FROM @extschema@.closing_cover v WHERE v.employee_id = employee AND v.period @> day)
      OR EXISTS (
    SELECT 1
      FROM @extschema@.membership m
      JOIN @extschema@.org_tree t ON t.org_id = m.org_id AND t.period @> day
      JOIN @extschema@.closing_event c ON c.org_id = ANY (t.path) AND c.period @> day AND c.action = 'close'
     WHERE m.employee_id = employee AND m.period @> day);
END $$;
COMMENT ON FUNCTION att_day_ever_closed(bigint, date) IS 'Whether the employee''s day lies in a period that was ever closed for them (closing_cover) or for one of the orgs they belong to that day (or an org above it), reopened since or not: every change to such a day is recorded in correction.';

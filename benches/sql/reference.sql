-- Two references for the simple rule of benches/sql/company.sql (mode
-- simple), written the way a DBA would without the extension:
--   bench.simple_day(employee, day): PL/pgSQL, called once per employee-day;
--   bench.simple_days(days):         one set-based query over a range.
-- Both give late, early and absent minutes and a status, and agree row by
-- row with attendance.att_evaluate on the simple company (benches/sql/
-- evaluate.sql counts the mismatches). Loaded after company.sql (schema bench).
--
-- The rule: standard system, Monday to Friday 09:00-18:00 Asia/Shanghai,
-- allowance 5 minutes late and 5 early, late or early more than 60 minutes
-- counts as absent in 30-minute steps, no punch and a missing punch count as
-- absent. The simple company has no holidays, leave, locations or voided
-- punches, so neither reference looks at them.
--
-- How the extension judges it, and so these references:
--   * a day owns the punches from 01:30 that day to 01:30 the next (local):
--     half the 15-hour off-duty gap either side of 09:00-18:00, so a
--     check-out at 00:40 still belongs to the day before; the first punch is
--     the check-in, the last the check-out;
--   * Saturday and Sunday are rest days: nothing late, early or absent;
--   * no punch: absent 540; one punch: a check-in without check-out (sign-out
--     is off), absent 540, nothing late or early;
--   * late = whole minutes from 09:00 to the check-in (punches to the whole
--     second first), at most 540; early = whole minutes from the check-out to
--     18:00, at most what lateness left of the 540;
--   * within the allowance (<= 5) a figure is 0, beyond it the full minutes;
--   * more than 60 becomes absent, rounded up to a multiple of 30, and the
--     late (early) figure is then 0;
--   * absent is capped at 540 minus the late and early minutes kept;
--   * status: absent if absent > 0, else late_and_early, late, early, normal.

CREATE FUNCTION bench.simple_day(employee bigint, day date,
                                 OUT late_minutes integer, OUT early_minutes integer,
                                 OUT absent_minutes integer, OUT status text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  shift_start timestamptz := (day + time '09:00') AT TIME ZONE 'Asia/Shanghai';
  shift_end   timestamptz := (day + time '18:00') AT TIME ZONE 'Asia/Shanghai';
  punches     integer;
  first_at    timestamptz;
  last_at     timestamptz;
  late_secs   integer;
  early_secs  integer;
  absent      integer := 0;
BEGIN
  late_minutes := 0; early_minutes := 0; absent_minutes := 0;
  IF extract(isodow FROM day) > 5 THEN
    status := 'rest';
    RETURN;
  END IF;
  SELECT count(*), min(p.at), max(p.at) INTO punches, first_at, last_at
    FROM attendance.punch p
   WHERE p.employee_id = employee
     AND p.at >= shift_start - interval '7 hours 30 minutes'
     AND p.at < shift_end + interval '7 hours 30 minutes';
  IF punches < 2 THEN             -- no punch all day, or no check-out
    absent_minutes := 540;
    status := 'absent';
    RETURN;
  END IF;
  late_secs := least(greatest(extract(epoch FROM date_trunc('second', first_at) - shift_start), 0), 32400);
  early_secs := least(greatest(extract(epoch FROM shift_end - date_trunc('second', last_at)), 0), 32400 - late_secs);
  late_minutes := late_secs / 60;
  early_minutes := early_secs / 60;
  IF late_minutes <= 5 THEN
    late_minutes := 0;
  ELSIF late_minutes > 60 THEN
    absent := absent + (late_minutes + 29) / 30 * 30;
    late_minutes := 0;
  END IF;
  IF early_minutes <= 5 THEN
    early_minutes := 0;
  ELSIF early_minutes > 60 THEN
    absent := absent + (early_minutes + 29) / 30 * 30;
    early_minutes := 0;
  END IF;
  absent_minutes := greatest(least(absent, 540 - late_minutes - early_minutes), 0);
  status := CASE WHEN absent_minutes > 0 THEN 'absent'
                 WHEN late_minutes > 0 AND early_minutes > 0 THEN 'late_and_early'
                 WHEN late_minutes > 0 THEN 'late'
                 WHEN early_minutes > 0 THEN 'early'
                 ELSE 'normal' END;
END $$;

-- Set-based: punches grouped by employee and local day (shifted by 01:30,
-- see above), joined to every employee-day of the range, then arithmetic.
-- LANGUAGE sql, STABLE and not STRICT, so the planner inlines it.
CREATE FUNCTION bench.simple_days(days daterange)
RETURNS TABLE (employee_id bigint, day date, late_minutes integer, early_minutes integer,
               absent_minutes integer, status text)
LANGUAGE sql STABLE AS $$
  WITH per_day AS (
    SELECT p.employee_id, (p.at AT TIME ZONE 'Asia/Shanghai' - interval '1 hour 30 minutes')::date AS day,
           count(*) AS punches,
           floor(date_part('epoch', min(p.at)))::bigint AS first_at,
           floor(date_part('epoch', max(p.at)))::bigint AS last_at
      FROM attendance.punch p
     WHERE p.at >= (lower(days) + time '01:30') AT TIME ZONE 'Asia/Shanghai'
       AND p.at < (upper(days) + time '01:30') AT TIME ZONE 'Asia/Shanghai'
     GROUP BY 1, 2
  ), secs AS (
    SELECT e.employee_id, g.day, extract(isodow FROM g.day) > 5 AS rest, coalesce(d.punches, 0) AS punches,
           least(greatest(d.first_at - g.start_at, 0), 32400) AS late_secs,
           d.last_at, g.start_at + 32400 AS end_at
      FROM attendance.employee e
     CROSS JOIN (SELECT lower(days) + i AS day,
                        date_part('epoch', (lower(days) + i + time '09:00') AT TIME ZONE 'Asia/Shanghai')::bigint AS start_at
                   FROM generate_series(0, upper(days) - lower(days) - 1) i) g
      LEFT JOIN per_day d ON d.employee_id = e.employee_id AND d.day = g.day
  ), minutes AS (
    SELECT employee_id, day, rest, punches,
           late_secs / 60 AS late,
           least(greatest(end_at - last_at, 0), 32400 - late_secs) / 60 AS early
      FROM secs
  ), judged AS (
    SELECT employee_id, day, rest, punches,
           CASE WHEN late BETWEEN 6 AND 60 THEN late ELSE 0 END AS late_kept,
           CASE WHEN early BETWEEN 6 AND 60 THEN early ELSE 0 END AS early_kept,
           CASE WHEN late > 60 THEN (late + 29) / 30 * 30 ELSE 0 END
             + CASE WHEN early > 60 THEN (early + 29) / 30 * 30 ELSE 0 END AS absent
      FROM minutes
  )
  SELECT employee_id, day,
         CASE WHEN rest OR punches < 2 THEN 0 ELSE late_kept END::integer,
         CASE WHEN rest OR punches < 2 THEN 0 ELSE early_kept END::integer,
         CASE WHEN rest THEN 0 WHEN punches < 2 THEN 540
              ELSE greatest(least(absent, 540 - late_kept - early_kept), 0) END::integer,
         CASE WHEN rest THEN 'rest'
              WHEN punches < 2 OR absent > 0 THEN 'absent'
              WHEN late_kept > 0 AND early_kept > 0 THEN 'late_and_early'
              WHEN late_kept > 0 THEN 'late'
              WHEN early_kept > 0 THEN 'early'
              ELSE 'normal' END
    FROM judged
$$;

-- The reference's own results table, indexed like day_record, for the
-- upsert that evaluate.sql compares with re-materialising day_record.
CREATE TABLE bench.ref_result (
  employee_id    bigint NOT NULL,
  day            date NOT NULL,
  late_minutes   integer NOT NULL,
  early_minutes  integer NOT NULL,
  absent_minutes integer NOT NULL,
  status         text NOT NULL,
  evaluated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (employee_id, day)
);

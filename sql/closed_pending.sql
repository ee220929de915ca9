-- Days that were not over when their period was closed (since 0.21.0).
-- Closing freezes a period's inputs, not time: such a day still becomes
-- final once it is over, judged from the inputs it was closed with. Until
-- 0.20.0 a closed day was frozen as it was stored, so a day closed pending
-- (December closed on the 31st, or on New Year's morning before the 31st
-- was over) stayed pending for good, and for the days its refresh reached
-- every punch of every employee working that day was refused (42501), as
-- time's change to the closed day looked like the punch's.
--
-- What the day will be once over is kept when it is closed pending (by
-- the closing that closes it, and again by a refresh acting for hr). Once
-- it is over (its shift as kept has ended and every check-in and
-- check-out kept has happened, whatever the inputs of now make of the day:
-- until 0.27.0 they had to judge it over too, so a transfer or rule
-- version the closed day skipped kept it pending until the shift it gave
-- ended; a differential review), a refresh writes what was kept, keeping its department and
-- period, without anyone's permission, and records it in correction with
-- no actor: a refresh that refuses nothing (att_finalize) whatever the
-- inputs of now say, since a closed day takes none of their changes; a
-- strict one (a trigger's) only when the day judged as once over from the
-- inputs of now is still what was kept, as otherwise the statement itself
-- may be what changed it. Until it is over such a day waits, neither
-- written nor refused. Any other change is a change to a closed day, as
-- before.

CREATE TABLE closed_pending (
  employee_id bigint NOT NULL,
  day         date NOT NULL,
  final       jsonb NOT NULL,
  PRIMARY KEY (employee_id, day)
);
COMMENT ON TABLE closed_pending IS 'Days of a closed period that were not over when closed (kept by the closing that closed them, and again by a refresh acting for someone who may correct them, hr after closing): their figures as they will be once over, judged from the inputs of then (_att_final_figures). A refresh lets time alone turn the stored day into a pending day or into these figures, without anyone''s permission, and records it in correction.';
COMMENT ON COLUMN closed_pending.final IS 'The day''s figures once over, as _att_final_figures gives them.';

-- What of a day's result (as jsonb) a closed day keeps: everything but
-- who and when it is and where it is placed (a closed day keeps the
-- department and period it was closed in), as the refresh compares them.
CREATE FUNCTION _att_final_figures(r jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN r OPERATOR(pg_catalog.-) ARRAY['employee_id', 'day', 'rule_name', 'org_id', 'company_id', 'period_start', 'evaluated_at'];
COMMENT ON FUNCTION _att_final_figures(jsonb) IS 'Internal: the figures of a day result (as jsonb) a closed day keeps: all but the employee, the day, the rule''s name and the placement.';
REVOKE EXECUTE ON FUNCTION _att_final_figures(jsonb) FROM PUBLIC;

CREATE FUNCTION _att_evaluate_final(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31 COST 1000000
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_final';
COMMENT ON FUNCTION _att_evaluate_final(bigint[], date, date) IS 'Internal: the employees'' days as they will be once every one of them is over and every punch stored has happened, judged from the inputs of now.';
REVOKE EXECUTE ON FUNCTION _att_evaluate_final(bigint[], date, date) FROM PUBLIC;

-- Keeps what the days given (employees[i], days[i]), stored closed and
-- pending, will be once over. Called when they are closed so: by the
-- closing that closes them, and by a refresh acting for someone who may
-- correct them (hr after closing).
CREATE FUNCTION _att_keep_closed_pending(employees bigint[], days date[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $$
#variable_conflict use_variable
DECLARE
  kept integer;
  spread boolean;
BEGIN
  -- On a Citus database distributed before 0.21.0 and upgraded in place,
  -- closed_pending is a plain table on each node until a DBA distributes
  -- it (README, Upgrading): nothing is kept, and such a day stays as it
  -- was closed, as before 0.22.0 on Citus.
  IF @extschema@._att_distributed() THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = ''@extschema@.closed_pending''::regclass)'
       INTO spread;
    IF NOT spread THEN
      RETURN 0;
    END IF;
  END IF;
  WITH asked AS MATERIALIZED (
    SELECT DISTINCT a.employee_id, a.day FROM unnest(employees, days) AS a(employee_id, day)
     WHERE a.employee_id IS NOT NULL AND a.day IS NOT NULL AND isfinite(a.day)
  ), spans AS (
    SELECT a.employee_id, min(a.day) AS first, max(a.day) AS last FROM asked a GROUP BY a.employee_id
  )
  INSERT INTO @extschema@.closed_pending AS c (employee_id, day, final)
  SELECT f.employee_id, f.day, @extschema@._att_final_figures(to_jsonb(f))
    FROM spans s
   CROSS JOIN LATERAL @extschema@._att_evaluate_final(ARRAY[s.employee_id], s.first, s.last) f
   WHERE (f.employee_id, f.day) IN (SELECT a.employee_id, a.day FROM asked a)
  ON CONFLICT (employee_id, day) DO UPDATE SET final = excluded.final;
  GET DIAGNOSTICS kept = ROW_COUNT;
  RETURN kept;
END $$;
COMMENT ON FUNCTION _att_keep_closed_pending(bigint[], date[]) IS 'Internal: keeps in closed_pending what the days given (pairs of the two arrays), stored closed and pending, will be once over.';
REVOKE EXECUTE ON FUNCTION _att_keep_closed_pending(bigint[], date[]) FROM PUBLIC;

-- Keeps what the employees' days of a period that are stored pending and
-- not closed yet will be once over: called by a closing just before it
-- closes them (on Citus by the worker holding the employees, sent the
-- closing's 'close' job with the period), so that days an earlier closing
-- closed keep what it kept (inputs of now may hold changes they refused).
CREATE FUNCTION _att_keep_open_pending(employees bigint[], days daterange) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  open_employees bigint[];
  open_days date[];
BEGIN
  IF employees IS NULL OR days IS NULL OR isempty(days) OR lower_inf(days) OR upper_inf(days) THEN
    RETURN 0;
  END IF;
  SELECT array_agg(d.employee_id ORDER BY d.employee_id, d.day), array_agg(d.day ORDER BY d.employee_id, d.day)
    INTO open_employees, open_days
    FROM @extschema@.day_record d
   WHERE d.employee_id = ANY (employees) AND d.day >= lower(days) AND d.day < upper(days) AND d.status = 'pending'
     AND NOT @extschema@.att_day_closed(d.employee_id, d.day);
  IF open_employees IS NULL THEN
    RETURN 0;
  END IF;
  RETURN @extschema@._att_keep_closed_pending(open_employees, open_days);
END $$;
COMMENT ON FUNCTION _att_keep_open_pending(bigint[], daterange) IS 'Internal: before a closing closes them, keeps in closed_pending what the employees'' days of the range stored pending and not closed yet will be once over; returns how many.';
REVOKE EXECUTE ON FUNCTION _att_keep_open_pending(bigint[], daterange) FROM PUBLIC;

-- The employees' days over the range stored pending with what they were
-- kept to become: a jsonb object from 'employee/day' to {final: the
-- figures kept, settled: whether the day judged as once over from the
-- inputs of now is still that (nothing but time has changed it), happened:
-- whether the shift those figures judge has ended and every check-in and
-- check-out in them has happened (a change the closed day skipped, a
-- holiday, may end today's judgement early)}. The figures are built and
-- compared as text in UTC, whatever the session's TimeZone (until a
-- review of the first version, a closing in a Shanghai session kept
-- figures that a trigger, judging in UTC, never found settled). (Whether
-- the day is closed the refresh judges.)
CREATE FUNCTION _att_kept_finals(employees bigint[], days daterange) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $$
#variable_conflict use_variable
DECLARE
  found jsonb;
  at_now timestamptz := @extschema@.att_now();
BEGIN
  WITH kept AS MATERIALIZED (
    SELECT c.employee_id, c.day, c.final
      FROM @extschema@.closed_pending c
      JOIN @extschema@.day_record d ON d.employee_id = c.employee_id AND d.day = c.day
     WHERE c.employee_id = ANY (employees) AND c.day >= lower(days) AND c.day < upper(days) AND d.status = 'pending'
  ), spans AS (
    SELECT k.employee_id, min(k.day) AS first, max(k.day) AS last FROM kept k GROUP BY k.employee_id
  ), now_final AS (
    SELECT f.employee_id, f.day, @extschema@._att_final_figures(to_jsonb(f)) AS figures
      FROM spans s
     CROSS JOIN LATERAL @extschema@._att_evaluate_final(ARRAY[s.employee_id], s.first, s.last) f
  )
  SELECT coalesce(jsonb_object_agg(k.employee_id::text || '/' || to_char(k.day, 'YYYY-MM-DD'),
           jsonb_build_object(
             'final', k.final,
             'settled', n.figures IS NOT DISTINCT FROM k.final,
             'happened', coalesce((k.final ->> 'scheduled_end')::timestamptz <= at_now, true) AND NOT EXISTS (
               SELECT 1 FROM jsonb_array_elements_text(coalesce(k.final -> 'check_in', '[]') || coalesce(k.final -> 'check_out', '[]')) AS t(at)
                WHERE t.at IS NOT NULL AND t.at::timestamptz > at_now))), '{}'::jsonb)
    INTO found
    FROM kept k
    LEFT JOIN now_final n ON n.employee_id = k.employee_id AND n.day = k.day;
  RETURN found;
END $$;
COMMENT ON FUNCTION _att_kept_finals(bigint[], daterange) IS 'Internal: the employees'' days over the range stored pending with figures kept in closed_pending: keys employee/day, values {final, settled (judged as once over from the inputs of now they are still those figures), happened (the shift they judge has ended and every check-in and check-out in them has happened)}.';
REVOKE EXECUTE ON FUNCTION _att_kept_finals(bigint[], daterange) FROM PUBLIC;

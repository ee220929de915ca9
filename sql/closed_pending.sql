-- Days that were not over when their period was closed (since 0.21.0).
-- Closing freezes a period's inputs, not time: such a day still becomes
-- final once it is over, judged from the inputs it was closed with. Until
-- 0.20.0 a closed day was frozen as it was stored, so a day closed pending
-- (December closed on the 31st, or on New Year's morning before the 31st
-- was over) stayed pending for good, and for the days its refresh reached
-- every punch of every employee working that day was refused (42501), as
-- time's change to the closed day looked like the punch's.
--
-- What the day will be once over is kept when it is stored closed and
-- pending (closing, or hr correcting it); a refresh that finds the day
-- changed lets the change through without anyone's permission when the
-- day, judged as once over from the inputs of now, is still that, and
-- records it in correction with no actor. Any other change is a change to
-- a closed day, as before.

CREATE TABLE closed_pending (
  employee_id bigint NOT NULL,
  day         date NOT NULL,
  final       jsonb NOT NULL,
  PRIMARY KEY (employee_id, day)
);
COMMENT ON TABLE closed_pending IS 'Days of a closed period that were not over when stored closed (by the closing, or by hr correcting a closed day): their figures as they will be once over, judged from the inputs of then (_att_final_figures). A refresh lets time alone turn the stored day into these figures, without anyone''s permission, and records it in correction; kept for a day until it is stored closed and pending again.';
COMMENT ON COLUMN closed_pending.final IS 'The day''s figures once over, as _att_final_figures gives them.';

-- What of a day's result a closed day keeps: everything but who and when
-- it is and where it is placed (a closed day keeps the department and
-- period it was closed in), as the refresh compares them.
CREATE FUNCTION _att_final_figures(r day_result) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.to_jsonb(r) OPERATOR(pg_catalog.-) ARRAY['employee_id', 'day', 'rule_name', 'org_id', 'company_id', 'period_start'];
COMMENT ON FUNCTION _att_final_figures(day_result) IS 'Internal: the figures of a day result a closed day keeps (all but the employee, the day, the rule''s name and the placement), as jsonb.';
REVOKE EXECUTE ON FUNCTION _att_final_figures(day_result) FROM PUBLIC;

CREATE FUNCTION _att_evaluate_final(employees bigint[], first date, last date) RETURNS SETOF day_result
STABLE PARALLEL SAFE ROWS 31 COST 1000000
LANGUAGE c AS 'MODULE_PATHNAME', 'att_evaluate_final';
COMMENT ON FUNCTION _att_evaluate_final(bigint[], date, date) IS 'Internal: the employees'' days as they will be once every one of them is over and every punch stored has happened, judged from the inputs of now.';
REVOKE EXECUTE ON FUNCTION _att_evaluate_final(bigint[], date, date) FROM PUBLIC;

-- Keeps what the days given (employees[i], days[i]), stored closed and
-- pending, will be once over. Called when they are stored so: by the
-- closing, and by a refresh that wrote them with hr's permission.
CREATE FUNCTION _att_keep_closed_pending(employees bigint[], days date[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  kept integer;
BEGIN
  WITH asked AS MATERIALIZED (
    SELECT DISTINCT a.employee_id, a.day FROM unnest(employees, days) AS a(employee_id, day)
     WHERE a.employee_id IS NOT NULL AND a.day IS NOT NULL AND isfinite(a.day)
  ), spans AS (
    SELECT a.employee_id, min(a.day) AS first, max(a.day) AS last FROM asked a GROUP BY a.employee_id
  )
  INSERT INTO @extschema@.closed_pending AS c (employee_id, day, final)
  SELECT f.employee_id, f.day, @extschema@._att_final_figures(f)
    FROM spans s
   CROSS JOIN LATERAL @extschema@._att_evaluate_final(ARRAY[s.employee_id], s.first, s.last) f
   WHERE (f.employee_id, f.day) IN (SELECT a.employee_id, a.day FROM asked a)
  ON CONFLICT (employee_id, day) DO UPDATE SET final = excluded.final;
  GET DIAGNOSTICS kept = ROW_COUNT;
  RETURN kept;
END $$;
COMMENT ON FUNCTION _att_keep_closed_pending(bigint[], date[]) IS 'Internal: keeps in closed_pending what the days given (pairs of the two arrays), stored closed and pending, will be once over.';
REVOKE EXECUTE ON FUNCTION _att_keep_closed_pending(bigint[], date[]) FROM PUBLIC;

-- Which of the employees' days over the range, stored pending and closed
-- with their figures once over kept, will still be those figures with the
-- inputs of now: the days time alone may change. A jsonb object keyed
-- 'employee/day'.
CREATE FUNCTION _att_settled_by_time(employees bigint[], days daterange) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  settled jsonb;
BEGIN
  WITH kept AS MATERIALIZED (
    SELECT c.employee_id, c.day, c.final
      FROM @extschema@.closed_pending c
      JOIN @extschema@.day_record d ON d.employee_id = c.employee_id AND d.day = c.day
     WHERE c.employee_id = ANY (employees) AND c.day >= lower(days) AND c.day < upper(days) AND d.status = 'pending'
  ), spans AS (
    SELECT k.employee_id, min(k.day) AS first, max(k.day) AS last FROM kept k GROUP BY k.employee_id
  )
  SELECT coalesce(jsonb_object_agg(f.employee_id::text || '/' || to_char(f.day, 'YYYY-MM-DD'), true), '{}'::jsonb) INTO settled
    FROM spans s
   CROSS JOIN LATERAL @extschema@._att_evaluate_final(ARRAY[s.employee_id], s.first, s.last) f
    JOIN kept k ON k.employee_id = f.employee_id AND k.day = f.day
   WHERE k.final = @extschema@._att_final_figures(f);
  RETURN settled;
END $$;
COMMENT ON FUNCTION _att_settled_by_time(bigint[], daterange) IS 'Internal: the employees'' closed days over the range, stored pending, that judged as once over from the inputs of now are what closed_pending kept for them (keys employee/day): time alone may change them.';
REVOKE EXECUTE ON FUNCTION _att_settled_by_time(bigint[], daterange) FROM PUBLIC;

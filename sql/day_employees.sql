-- day_record's employees, kept as a foreign key to employee keeps them but
-- checked once per statement: the per-row check of a foreign key was a
-- quarter of a company's refresh (310,062 days written: 2.0 s of 7.7 s).
-- The same guarantees: a stored day names an existing employee, whose row
-- is locked FOR KEY SHARE until the writing transaction ends (so no one
-- deletes it meanwhile), and an employee with stored days cannot be
-- deleted or renumbered (23503). On Citus att_distribute adds the foreign
-- key itself (day_record is distributed, employee a reference table) and
-- these triggers stand aside.

-- In C (integrity.rs): it runs after every upsert of a punch's refresh,
-- which mostly inserts no day, and sees an empty statement without a query.
-- An invoker: the extension's own functions write day_record.
CREATE FUNCTION _att_day_employees_exist() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'att_day_employees_exist';
COMMENT ON FUNCTION _att_day_employees_exist() IS 'Internal trigger: the employees of the days a statement stored exist, and stay until it commits (locked FOR KEY SHARE, as a foreign key''s check locks them); 23503 otherwise.';
CREATE TRIGGER day_record_employees AFTER INSERT ON day_record REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION _att_day_employees_exist();
-- the extension never moves a day to another employee: free for its upserts
CREATE TRIGGER day_record_employee_moved AFTER UPDATE OF employee_id ON day_record
  FOR EACH ROW WHEN (OLD.employee_id IS DISTINCT FROM NEW.employee_id) EXECUTE FUNCTION _att_day_employees_exist();

CREATE FUNCTION _att_employee_days_kept() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  gone bigint[];
  kept bigint;
BEGIN
  IF @extschema@._att_distributed() THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    gone := ARRAY(SELECT o.employee_id FROM gone_old o);
  ELSE
    gone := ARRAY(SELECT o.employee_id FROM gone_old o
                   WHERE NOT EXISTS (SELECT 1 FROM gone_new n WHERE n.employee_id = o.employee_id));
  END IF;
  IF cardinality(gone) = 0 THEN
    RETURN NULL;
  END IF;
  kept := @extschema@._att_employee_with_days(gone);
  IF kept IS NOT NULL THEN
    RAISE EXCEPTION 'employee % has stored days in day_record', kept
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'An employee who leaves keeps their days: end their membership instead of deleting them.';
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION _att_employee_days_kept() IS 'Internal trigger: refuses (23503) to delete or renumber employees who have stored days, reading them with the latest snapshot (_att_employee_with_days).';
CREATE TRIGGER employee_days_kept_on_delete AFTER DELETE ON employee REFERENCING OLD TABLE AS gone_old
  FOR EACH STATEMENT EXECUTE FUNCTION _att_employee_days_kept();
CREATE TRIGGER employee_days_kept_on_update AFTER UPDATE ON employee REFERENCING OLD TABLE AS gone_old NEW TABLE AS gone_new
  FOR EACH STATEMENT EXECUTE FUNCTION _att_employee_days_kept();

REVOKE EXECUTE ON FUNCTION _att_day_employees_exist(), _att_employee_days_kept(), _att_employee_with_days(bigint[]) FROM PUBLIC;
COMMENT ON FUNCTION _att_employee_with_days(bigint[]) IS 'Internal: one of the employees that has days in day_record, read with the latest snapshot (as a foreign key''s check reads), or NULL.';

-- Access control (SPEC.md D): which employee a database login is, the
-- trusted application role, and scope policies for the extension's tables
-- and the ERP's own.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'attendance_app') THEN
    CREATE ROLE attendance_app NOLOGIN;
  END IF;
END $$;

CREATE TABLE login_employee (
  role_name   text PRIMARY KEY,
  employee_id bigint NOT NULL REFERENCES employee (employee_id)
);
COMMENT ON TABLE login_employee IS 'Which employee a database login (role) is. A BI tool logged in as that role sees that employee''s scope.';

COMMENT ON FUNCTION att_current_employee() IS
  'The employee the current request acts as: the value of attendance.acting_employee when the login or its current role is a member of attendance_app (an application server acting for its users, set per transaction with SET LOCAL); otherwise the login_employee mapping of the current role, then of the login. An ordinary login that sets attendance.acting_employee gains nothing.';
COMMENT ON FUNCTION att_can_view(bigint, date) IS
  'Whether the acting employee may see this employee''s day: their own days, and days in view or full scope as of today. For row-level policies: the scope is computed once per query, each row is a lookup.';
COMMENT ON FUNCTION _att_view_scope() IS 'Internal: the acting employee''s visible spans as parallel arrays, read once per query by att_can_view.';

CREATE FUNCTION att_enable_scope_policies(tab regclass, employee_column name DEFAULT 'employee_id', day_column name DEFAULT 'day')
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tab);
  EXECUTE format('DROP POLICY IF EXISTS attendance_scope ON %s', tab);
  EXECUTE format('CREATE POLICY attendance_scope ON %s FOR SELECT USING (@extschema@.att_can_view(%I, %I))',
                 tab, employee_column, day_column);
END $$;
COMMENT ON FUNCTION att_enable_scope_policies(regclass, name, name) IS
  'Enables row-level security on a table with an employee column and a day column (the extension''s or the ERP''s own) and adds a SELECT policy: a role sees the rows of its own employee and of employees in its admin scope. Writes are not opened by the policy; grant them separately.';

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
-- The same check through an entry point without pgrx's per-call wrapping
-- (src/access.rs): a policy calls it once per row. The names and markings
-- are the generated declaration's, which releases up to 0.9.0 use. A row's
-- scope check costs more than comparing its day: with this cost the
-- planner checks a query's own cheap conditions first (a month's rows out
-- of years of them), not the policy on every row of the table.
-- The planner takes a policy's row check to keep every row
-- (src/scope_estimate.rs): a function call is otherwise taken to keep a
-- third, and on statistics not yet current (a month just loaded) a scoped
-- read was planned as a nested loop where the unscoped one kept its hash
-- join (since 0.18.0).
CREATE FUNCTION _att_scope_support(internal) RETURNS internal
LANGUAGE c STRICT AS 'MODULE_PATHNAME', 'att_scope_support';
COMMENT ON FUNCTION _att_scope_support(internal) IS 'Internal: the planner support function of the scope policies'' row checks (_att_scope_allows, att_can_view): they are estimated to keep every row.';
CREATE OR REPLACE FUNCTION att_can_view(employee bigint, day date) RETURNS boolean
LANGUAGE c STABLE PARALLEL SAFE COST 100 SUPPORT _att_scope_support AS 'MODULE_PATHNAME', 'att_can_view_row';
COMMENT ON FUNCTION att_can_view(bigint, date) IS
  'Whether the acting employee may see this employee''s day: their own days, and days in view or full scope as of today. For row-level policies: the scope is computed once per query, each row is a lookup.';
COMMENT ON FUNCTION _att_view_scope() IS 'Internal: the acting employee''s visible spans as parallel arrays, read once per query by att_can_view.';
COMMENT ON FUNCTION _att_view_scope_value() IS 'Internal: the acting employee''s visible spans as one value, which the scope policies read once per query (in the leader, which hands it to parallel workers) and check rows against with _att_scope_allows.';

-- The per-row check of the scope policies: a pure function of the scope
-- value the query computed once, so its parallel workers check rows
-- against the leader's scope instead of computing their own.
CREATE FUNCTION _att_scope_allows(scope bytea, employee bigint, day date) RETURNS boolean
LANGUAGE c IMMUTABLE PARALLEL SAFE COST 100 SUPPORT _att_scope_support AS 'MODULE_PATHNAME', 'att_scope_allows';
COMMENT ON FUNCTION _att_scope_allows(bytea, bigint, date) IS
  'Internal: whether the day is within the employee''s spans of a scope value (_att_view_scope_value); what the scope policies call per row. An infinite date or a NULL argument is never visible; bytes that are not a scope value are refused (22023).';

-- A scope policy's condition: the scope read once per query as a value
-- ((SELECT ...): the leader computes it and hands it to parallel workers),
-- each row checked against it. Citus takes no subquery in a policy on a
-- distributed table, so there the policy calls att_can_view, which reads
-- the scope once per query on each node.
CREATE FUNCTION _att_scope_check(tab regclass, arguments text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  distributed boolean := false;
BEGIN
  IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
    -- dynamic: the catalog does not exist on a node without Citus
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = $1)' INTO distributed USING tab;
  END IF;
  IF distributed THEN
    RETURN format('@extschema@.att_can_view(%s)', arguments);
  END IF;
  RETURN format('@extschema@._att_scope_allows((SELECT @extschema@._att_view_scope_value()), %s)', arguments);
END $$;
COMMENT ON FUNCTION _att_scope_check(regclass, text) IS 'Internal: the condition of a scope policy on the table for the arguments given (the employee and the day expression; see att_enable_scope_policies).';

-- The policy's expression follows the table's column types: an employee
-- given as an integer is the employee id, as text or uuid the ERP's key
-- (att_employee_id); a day given as a date is the day, as a timestamp its
-- date, as a timestamptz the employee's local day in their rule's zone.
CREATE FUNCTION att_enable_scope_policies(tab regclass, employee_column name DEFAULT 'employee_id', day_column name DEFAULT 'day')
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  employee_type regtype;
  day_type regtype;
  employee_expr text;
  day_expr text;
BEGIN
  SELECT a.atttypid::regtype INTO employee_type FROM pg_attribute a
   WHERE a.attrelid = tab AND a.attname = employee_column AND a.attnum > 0 AND NOT a.attisdropped;
  SELECT a.atttypid::regtype INTO day_type FROM pg_attribute a
   WHERE a.attrelid = tab AND a.attname = day_column AND a.attnum > 0 AND NOT a.attisdropped;
  IF employee_type IS NULL OR day_type IS NULL THEN
    RAISE EXCEPTION 'table % has no column %', tab, CASE WHEN employee_type IS NULL THEN employee_column ELSE day_column END
      USING ERRCODE = 'undefined_column';
  END IF;
  employee_expr := CASE
    WHEN employee_type IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype) THEN format('%I::bigint', employee_column)
    WHEN employee_type IN ('text'::regtype, 'character varying'::regtype, 'uuid'::regtype, 'character'::regtype)
      THEN format('@extschema@.att_employee_id(%I::text)', employee_column)
  END;
  day_expr := CASE
    WHEN day_type = 'date'::regtype THEN format('%I', day_column)
    WHEN day_type = 'timestamp without time zone'::regtype THEN format('%I::date', day_column)
    WHEN day_type = 'timestamp with time zone'::regtype
      THEN format('@extschema@.att_local_day(%s, %I)', employee_expr, day_column)
  END;
  IF employee_expr IS NULL OR day_expr IS NULL THEN
    RAISE EXCEPTION 'scope policies need an employee column of type integer, bigint, text or uuid and a day column of type date, timestamp or timestamptz; %.% is %, %.% is %',
      tab, employee_column, employee_type, tab, day_column, day_type
      USING ERRCODE = 'datatype_mismatch';
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tab);
  EXECUTE format('DROP POLICY IF EXISTS attendance_scope ON %s', tab);
  EXECUTE format('CREATE POLICY attendance_scope ON %s FOR SELECT USING (%s)',
                 tab, @extschema@._att_scope_check(tab, format('%s, %s', employee_expr, day_expr)));
END $$;
COMMENT ON FUNCTION att_enable_scope_policies(regclass, name, name) IS
  'Enables row-level security on a table with an employee column and a day column (the extension''s or the ERP''s own) and adds a SELECT policy: a role sees the rows of its own employee and of employees in its admin scope. The employee column may be integer, bigint (the employee id), text or uuid (the ERP''s key, employee_key); the day column date, timestamp (its date) or timestamptz (the local day in the employee''s rule zone). Other types are refused with 42804, nothing changed. Writes are not opened by the policy; grant them separately. The policy reads the scope once per query, in parallel queries once in the leader; on a table distributed with Citus (which takes no subquery in a policy) it calls att_can_view instead: distribute an ERP table first, or drop its policy, distribute it and call this again.';

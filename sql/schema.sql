-- The scope model of SPEC.md section A: org tree, effective-dated memberships,
-- admin assignments and closing state. Keys are the ERP's own ids; every
-- per-employee table is keyed by employee first so it can be distributed by
-- employee. Periods are daterange values: inclusive start, open end allowed.

CREATE TYPE access_level AS ENUM ('none', 'view', 'full');
COMMENT ON TYPE access_level IS
  'How far an admin''s scope reaches over an employee''s day: none (×), view (△: view only), full (○: view, approve, correct). Ordered: none < view < full.';

CREATE TYPE admin_kind AS ENUM ('admin', 'hr');
COMMENT ON TYPE admin_kind IS
  'Kind of admin assignment: admin (管理者権限) or hr (人事権限); only hr may correct days after closing.';

CREATE TYPE membership_kind AS ENUM ('primary', 'concurrent');
COMMENT ON TYPE membership_kind IS
  'primary: the employee''s main affiliation (at most one at a time); concurrent: a second, part-time identity (兼務).';

CREATE TYPE permission AS ENUM (
  'view_timesheet', 'set_proxy', 'set_approver', 'daily_approval',
  'closing', 'send_back', 'correct', 'correct_after_closing');
COMMENT ON TYPE permission IS
  'The eight org-admin permissions of seed 002 (5.1.3). correct_after_closing (勤務データ訂正(常時)) is held by hr only.';

CREATE TYPE closing_action AS ENUM ('close', 'reopen');
COMMENT ON TYPE closing_action IS 'What a closing event did.';

CREATE TABLE org (
  org_id      bigint PRIMARY KEY,
  parent_id   bigint REFERENCES org (org_id),
  name        text NOT NULL,
  closing_day smallint,
  path        bigint[] NOT NULL,
  CONSTRAINT closing_day_in_range CHECK (closing_day BETWEEN 1 AND 28),
  CONSTRAINT closing_day_only_on_company CHECK (parent_id IS NULL OR closing_day IS NULL)
);
CREATE INDEX org_path_idx ON org USING gin (path);
COMMENT ON TABLE org IS 'Org units in a tree; a root is a company. org_id is the ERP''s own department key.';
COMMENT ON COLUMN org.parent_id IS 'Parent org; NULL for a company (root).';
COMMENT ON COLUMN org.closing_day IS 'Companies only: closing periods end on this day (1..28), e.g. 25 gives periods 26th..25th; NULL closes at month end.';
COMMENT ON COLUMN org.path IS 'Maintained by trigger: the org ids from the company down to this org. Read-only.';

CREATE FUNCTION org_maintain_path() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  parent_path bigint[];
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.org_id <> OLD.org_id THEN
    RAISE EXCEPTION 'org_id of org % cannot change', OLD.org_id
      USING ERRCODE = 'feature_not_supported';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id THEN
    -- Only the cascade below rewrites paths without moving the org itself.
    IF NEW.path IS DISTINCT FROM OLD.path AND pg_trigger_depth() < 2 THEN
      RAISE EXCEPTION 'org.path is maintained by the extension and cannot be set'
        USING ERRCODE = 'feature_not_supported';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.parent_id IS NULL THEN
    NEW.path := ARRAY[NEW.org_id];
  ELSE
    SELECT o.path INTO parent_path FROM @extschema@.org o WHERE o.org_id = NEW.parent_id;
    IF parent_path IS NULL THEN
      RAISE EXCEPTION 'parent org % of org % does not exist', NEW.parent_id, NEW.org_id
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NEW.org_id = ANY (parent_path) THEN
      RAISE EXCEPTION 'org % cannot be its own ancestor', NEW.org_id
        USING ERRCODE = 'check_violation',
              DETAIL = format('The new parent %s lies below org %s (path %s).', NEW.parent_id, NEW.org_id, parent_path);
    END IF;
    NEW.path := parent_path || NEW.org_id;
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION org_cascade_path() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- Descendants keep their own parent; only the part of their path above the moved org changes.
  UPDATE @extschema@.org d
     SET path = NEW.path || d.path[array_position(d.path, NEW.org_id) + 1 :]
   WHERE d.path @> ARRAY[NEW.org_id] AND d.org_id <> NEW.org_id;
  RETURN NULL;
END $$;

CREATE TRIGGER org_path BEFORE INSERT OR UPDATE ON org
  FOR EACH ROW EXECUTE FUNCTION org_maintain_path();
CREATE TRIGGER org_path_cascade AFTER UPDATE OF parent_id ON org
  FOR EACH ROW WHEN (NEW.parent_id IS DISTINCT FROM OLD.parent_id)
  EXECUTE FUNCTION org_cascade_path();

CREATE TABLE employee (
  employee_id  bigint PRIMARY KEY,
  display_name text NOT NULL
);
COMMENT ON TABLE employee IS 'Employees, keyed by the ERP''s own employee id (sync from the ERP; see README).';

CREATE TABLE membership (
  employee_id   bigint NOT NULL REFERENCES employee (employee_id),
  membership_id bigint GENERATED ALWAYS AS IDENTITY,
  org_id        bigint NOT NULL REFERENCES org (org_id),
  kind          membership_kind NOT NULL DEFAULT 'primary',
  period        daterange NOT NULL,
  PRIMARY KEY (employee_id, membership_id),
  CONSTRAINT membership_period_has_start CHECK (NOT isempty(period) AND NOT lower_inf(period)),
  CONSTRAINT membership_one_primary_at_a_time
    EXCLUDE USING gist (employee_id WITH =, period WITH &&) WHERE (kind = 'primary'),
  CONSTRAINT membership_once_per_org
    EXCLUDE USING gist (employee_id WITH =, org_id WITH =, period WITH &&)
);
CREATE INDEX membership_org_idx ON membership (org_id);
COMMENT ON TABLE membership IS 'Effective-dated membership of an employee in an org (所属). At most one primary membership at a time; concurrent ones may overlap it.';
COMMENT ON COLUMN membership.period IS 'Days of the membership: [start, end) with end open for "until further notice".';

CREATE TABLE admin_grant (
  admin_id bigint NOT NULL REFERENCES employee (employee_id),
  grant_id bigint GENERATED ALWAYS AS IDENTITY,
  org_id   bigint NOT NULL REFERENCES org (org_id),
  kind     admin_kind NOT NULL,
  period   daterange NOT NULL,
  PRIMARY KEY (admin_id, grant_id),
  CONSTRAINT admin_grant_period_has_start CHECK (NOT isempty(period) AND NOT lower_inf(period)),
  CONSTRAINT admin_grant_no_duplicate
    EXCLUDE USING gist (admin_id WITH =, org_id WITH =, kind WITH =, period WITH &&)
);
CREATE INDEX admin_grant_org_idx ON admin_grant (org_id);
COMMENT ON TABLE admin_grant IS 'Org-admin assignments (組織管理者): the admin manages the org and its descendants while the period holds the as-of date.';

CREATE TABLE closing (
  org_id    bigint NOT NULL REFERENCES org (org_id),
  period    daterange NOT NULL,
  closed_at timestamptz NOT NULL DEFAULT now(),
  closed_by bigint NOT NULL REFERENCES employee (employee_id),
  PRIMARY KEY (org_id, period),
  CONSTRAINT closing_periods_do_not_overlap EXCLUDE USING gist (org_id WITH =, period WITH &&)
);
COMMENT ON TABLE closing IS 'Closed periods (締め) per org; closing a company root closes every org under it. Write through att_close_period / att_reopen_period.';

CREATE TABLE closing_event (
  event_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id    bigint NOT NULL REFERENCES org (org_id),
  period    daterange NOT NULL,
  action    closing_action NOT NULL,
  actor     bigint NOT NULL REFERENCES employee (employee_id),
  at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE closing_event IS 'History of closings and reopenings: who, when, which org and period. Never updated.';

CREATE TABLE closing_exemption (
  org_id      bigint NOT NULL REFERENCES org (org_id),
  period      daterange NOT NULL,
  employee_id bigint NOT NULL REFERENCES employee (employee_id),
  PRIMARY KEY (org_id, period, employee_id)
);
COMMENT ON TABLE closing_exemption IS 'Employees a closing skipped because their days or timesheet were not approved: their days stay open.';

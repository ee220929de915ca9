-- The Odoo 17 tables the attendance sync reads, reduced to the columns it
-- uses, with Odoo's own names and types (so the sync runs unchanged against a
-- real Odoo database). Only for the tests: a real Odoo database has these.
CREATE SCHEMA IF NOT EXISTS odoo;
SET search_path = odoo, public;

CREATE TABLE res_company (
  id   serial PRIMARY KEY,
  name varchar NOT NULL
);
CREATE TABLE resource_calendar (
  id            serial PRIMARY KEY,
  name          varchar NOT NULL,
  tz            varchar NOT NULL,
  hours_per_day double precision
);
CREATE TABLE resource_calendar_attendance (
  id          serial PRIMARY KEY,
  calendar_id integer NOT NULL REFERENCES resource_calendar (id) ON DELETE CASCADE,
  dayofweek   varchar NOT NULL,          -- '0' Monday .. '6' Sunday
  hour_from   double precision NOT NULL,
  hour_to     double precision NOT NULL,
  day_period  varchar NOT NULL           -- 'morning', 'afternoon', 'lunch'
);
CREATE TABLE hr_department (
  id         serial PRIMARY KEY,
  name       jsonb NOT NULL,             -- translated: {"en_US": "Sales"}
  company_id integer REFERENCES res_company (id),
  parent_id  integer REFERENCES hr_department (id),
  active     boolean DEFAULT true
);
CREATE TABLE hr_employee (
  id                   serial PRIMARY KEY,
  name                 varchar NOT NULL,
  company_id           integer NOT NULL REFERENCES res_company (id),
  department_id        integer REFERENCES hr_department (id),
  resource_calendar_id integer REFERENCES resource_calendar (id),
  active               boolean DEFAULT true,
  departure_date       date,
  create_date          timestamp DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE hr_attendance (
  id          serial PRIMARY KEY,
  employee_id integer NOT NULL REFERENCES hr_employee (id),
  check_in    timestamp NOT NULL,        -- UTC, without zone, as Odoo stores it
  check_out   timestamp
);
CREATE TABLE hr_leave_type (
  id   serial PRIMARY KEY,
  name jsonb NOT NULL
);
CREATE TABLE hr_leave (
  id                serial PRIMARY KEY,
  employee_id       integer REFERENCES hr_employee (id),
  holiday_status_id integer NOT NULL REFERENCES hr_leave_type (id),
  date_from         timestamp NOT NULL,  -- UTC
  date_to           timestamp NOT NULL,
  state             varchar NOT NULL     -- draft, confirm, validate1, validate, refuse, cancel
);
RESET search_path;

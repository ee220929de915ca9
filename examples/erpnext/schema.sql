-- The ERPNext (Frappe HRMS) tables the attendance sync reads, reduced to the
-- columns it uses, with ERPNext's own names and types. Only for the tests:
-- a real ERPNext database (on PostgreSQL) has these. Every key is text.
CREATE SCHEMA IF NOT EXISTS erpnext;
SET search_path = erpnext, public;

CREATE TABLE "tabSingles" (doctype varchar(140), field varchar(140), value text);
CREATE TABLE "tabCompany" (name varchar(140) PRIMARY KEY, company_name varchar(140));
CREATE TABLE "tabDepartment" (
  name              varchar(140) PRIMARY KEY,
  department_name   varchar(140),
  company           varchar(140),
  parent_department varchar(140),
  is_group          smallint DEFAULT 0
);
CREATE TABLE "tabShift Type" (
  name       varchar(140) PRIMARY KEY,
  start_time time,
  end_time   time
);
CREATE TABLE "tabEmployee" (
  name            varchar(140) PRIMARY KEY,   -- HR-EMP-00001
  employee_name   varchar(140),
  company         varchar(140),
  department      varchar(140),
  default_shift   varchar(140),
  date_of_joining date,
  relieving_date  date,
  status          varchar(140) DEFAULT 'Active'
);
CREATE TABLE "tabEmployee Checkin" (
  name     varchar(140) PRIMARY KEY,          -- EMP-CKIN-11-2026-000001
  employee varchar(140),
  "time"   timestamp,                         -- local time of the site's time zone
  log_type varchar(140)                       -- IN / OUT
);
CREATE TABLE "tabLeave Application" (
  name          varchar(140) PRIMARY KEY,     -- HR-LAP-2026-00001
  employee      varchar(140),
  leave_type    varchar(140),
  from_date     date,
  to_date       date,
  half_day      smallint DEFAULT 0,
  half_day_date date,
  status        varchar(140),                 -- Open, Approved, Rejected, Cancelled
  docstatus     smallint DEFAULT 0            -- 0 draft, 1 submitted, 2 cancelled
);
RESET search_path;

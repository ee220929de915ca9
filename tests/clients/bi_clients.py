#!/usr/bin/env python3
"""BI reporting as a real BI login sees it (issue 13), through psycopg 3.

For each login given on the command line, on its own connection:

- reflects the catalog as a BI tool does (information_schema.columns with
  col_description): every view in schema attendance is listed (but the
  internal ones, named with a leading underscore), and every
  column has a plain built-in type and a comment;
- reads every listed view and the tables README grants, in binary, and
  finds only rows in the login's scope; att_daily and day_record hold
  exactly the scope a superuser computes with att_can_access;
- runs a manager's monthly reports with server-side parameters, prepared
  and in binary, and checks them against each other and the superuser's.

A login is given as LOGIN (its employee is its login_employee mapping, if
any) or LOGIN=ID,ID...: an attendance_app login that acts for each ID in
turn with SET LOCAL attendance.acting_employee, on one connection, then in a
transaction acting for no one. Prints every difference and exits 1, or
prints one line of figures.
"""
import argparse
import contextlib
import datetime
import sys

import psycopg
from psycopg import sql

SCHEMA = "attendance"
TABLES = ("day_record", "period_record", "employee")  # README grants these to BI logins besides the views

REFLECT = """
SELECT c.table_name, c.column_name, c.data_type,
       c.udt_schema = 'pg_catalog' AND c.domain_name IS NULL
         AND c.data_type NOT IN ('ARRAY', 'USER-DEFINED') AS plain,
       col_description((quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass,
                       c.ordinal_position::int) AS comment
  FROM information_schema.columns c
  JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
 WHERE c.table_schema = %s AND ((t.table_type = 'VIEW' AND c.table_name NOT LIKE '\\_%%') OR c.table_name = ANY (%s))
   AND has_table_privilege(quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), 'SELECT')
 ORDER BY c.table_name, c.ordinal_position
"""
SUMMARY = """
SELECT employee_id, workdays, absence_count, late_minutes
  FROM attendance.att_period_summary WHERE period_start = %s ORDER BY employee_id
"""
ABSENCES_PER_DAY = """
SELECT day, count(*) FILTER (WHERE status = 'absent'), count(*) FILTER (WHERE absent_minutes > 0),
       coalesce(sum(absent_minutes), 0)
  FROM attendance.att_daily WHERE day BETWEEN %s AND %s GROUP BY day ORDER BY day
"""
SUMMARY_TOTALS = """
SELECT count(DISTINCT employee_id), coalesce(sum(workdays), 0)::bigint, coalesce(sum(absence_count), 0)::bigint,
       coalesce(sum(late_minutes), 0)::bigint
  FROM attendance.att_period_summary WHERE period_start = %s
"""
DAILY_TOTALS = """
SELECT count(DISTINCT employee_id), count(*) FILTER (WHERE absent_minutes > 0), coalesce(sum(late_minutes), 0)
  FROM attendance.att_daily WHERE day BETWEEN %s AND %s
"""
SCOPE = """
SELECT employee_id, day, status, absent_minutes FROM attendance.day_record
 WHERE employee_id = %(e)s OR attendance.att_can_access(%(e)s, employee_id, day, attendance.att_today()) <> 'none'
"""


class Session:
    """A login's connection, acting for one employee (or as its mapping)."""

    def __init__(self, conn, login, acting):
        self.conn, self.login, self.acting = conn, login, acting
        self.queries = 0

    @property
    def name(self):
        if self.acting == "":
            return f"{self.login} acting for no one"
        return self.login if self.acting is None else f"{self.login} as {self.acting}"

    @contextlib.contextmanager
    def transaction(self):
        with self.conn.transaction():
            if self.acting:
                # SET takes no bind parameters: the id goes in as a quoted literal.
                self.conn.execute(sql.SQL("SET LOCAL attendance.acting_employee = {}").format(sql.Literal(self.acting)))
            yield

    def rows(self, query, params=None, *, binary=False, prepare=None):
        self.queries += 1
        with self.conn.cursor(binary=binary) as cur:
            cur.execute(query, params, prepare=prepare)
            return cur.fetchall(), [d.name for d in cur.description]


class Checker:
    def __init__(self, args):
        self.args = args
        self.problems = []
        self.su = psycopg.connect(dbname=args.dbname, autocommit=True)
        self.su_queries = 0
        self.all_views = {r[0] for r in self.su_rows(
            # the BI views; internal ones (_att_days_now) hold the tables' own types
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'v' AND relname NOT LIKE '\\_%%'",
            [SCHEMA])}
        # Column findings are the catalog's, not a login's: reported once, in catalog order.
        self.missing_comments = {}  # (view, column) -> None
        self.not_plain = {}  # (view, column) -> type
        self.figures = {}  # session name -> figures for the summary line

    def fail(self, session, message):
        self.problems.append(f"{session.name}: {message}")

    def su_rows(self, query, params=None):
        self.su_queries += 1
        return self.su.execute(query, params).fetchall()

    def employee_of(self, session):
        if session.acting is not None:
            return int(session.acting) if session.acting else None
        row = self.su_rows("SELECT employee_id FROM attendance.login_employee WHERE role_name = %s", [session.login])
        return row[0][0] if row else None

    def expected(self, session):
        """{(employee, day): (status, absent_minutes)} of the login's scope, as a superuser sees it."""
        employee = self.employee_of(session)
        if employee is None:
            return {}
        return {(e, d): (s, a) for e, d, s, a in self.su_rows(SCOPE, {"e": employee})}

    def run(self, session):
        want = self.expected(session)
        employee = self.employee_of(session)
        if employee is not None and not want:
            self.fail(session, f"employee {employee} has no day in the superuser's scope: "
                               "the demo or the clock changed?")
        for name, check in (("catalog", self.reflect), ("scope", self.scope), ("reports", self.reports)):
            try:
                with session.transaction():
                    check(session, want)
            except psycopg.Error as e:
                self.fail(session, f"{name}: {e.sqlstate} {e}".strip())

    def reflect(self, session, want):
        rows, _ = session.rows(REFLECT, [SCHEMA, list(TABLES)])
        views = {r[0] for r in rows} - set(TABLES)
        if views != self.all_views:
            self.fail(session, f"views listed {sorted(views)}, schema {SCHEMA} has {sorted(self.all_views)}")
        # every column a BI login reads is described; views hold plain types
        # only (the tables keep arrays, which the views flatten)
        for view, column, data_type, plain, comment in rows:
            if not plain and view not in TABLES:
                self.not_plain[(view, column)] = data_type
            if not (comment or "").strip():
                self.missing_comments[(view, column)] = None

    def scope(self, session, want):
        pairs = set(want)
        employees = {e for e, _ in pairs}
        for obj in sorted(self.all_views) + list(TABLES):
            try:
                # A savepoint each: one object's error must not hide the others'.
                with session.conn.transaction():
                    # Every column decoded in binary, as a driver asking for binary results does.
                    rows, names = session.rows(sql.SQL("SELECT * FROM {}").format(sql.Identifier(SCHEMA, obj)),
                                               binary=True)
            except psycopg.Error as e:
                self.fail(session, f"{obj}: {e.sqlstate} {e}".strip())
                continue
            # employee has no scope policy: every BI login reads every employee's name.
            if obj == "employee" or "employee_id" not in names:
                continue
            ids = [r[names.index("employee_id")] for r in rows]
            if "day" in names:
                seen = {(e, r[names.index("day")]) for e, r in zip(ids, rows)}
                if obj in ("att_daily", "day_record"):
                    if obj == "att_daily":
                        self.figures.setdefault(session.name, {})["rows"] = len(rows)
                    if len(rows) != len(want) or seen != pairs:
                        self.fail(session, f"{obj}: {len(rows)} rows, scope has {len(want)}; "
                                           f"missing {sample(pairs - seen)}, outside scope {sample(seen - pairs)}")
                elif not seen <= pairs:
                    self.fail(session, f"{obj}: rows outside scope {sample(seen - pairs)}")
            elif not set(ids) <= employees:
                self.fail(session, f"{obj}: employees outside scope {sample(set(ids) - employees)}")
        employee = self.employee_of(session)
        administers = self.su_rows("SELECT 1 FROM attendance.admin_grant WHERE admin_id = %s", [employee])
        if employee is not None and not administers and employees != {employee}:
            self.fail(session, f"administers no one, yet its scope holds employees {sample(employees)}")

    def reports(self, session, want):
        start, end = self.args.period
        runs = []
        # Named prepared statements with text results, then unnamed ones with
        # binary results: the two ways drivers send parameters to the server.
        for how in ({"prepare": True}, {"binary": True, "prepare": False}):
            runs.append((session.rows(SUMMARY, [start], **how)[0],
                         session.rows(ABSENCES_PER_DAY, [start, end], **how)[0],
                         session.rows(SUMMARY_TOTALS, [start], **how)[0][0]))
        if runs[0] != runs[1]:
            self.fail(session, "reports differ between the prepared text cursor and the binary cursor")
        summary, per_day, totals = runs[0]
        prepared = session.rows("SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql")[0][0][0]
        if prepared < 3:
            self.fail(session, f"{prepared} statements prepared on the server, expected the 3 reports")

        # The totals are the sum of the login's rows, and agree with its daily view.
        by_rows = (len(summary), *(sum(r[i] for r in summary) for i in (1, 2, 3)))
        if tuple(totals) != by_rows:
            self.fail(session, f"period totals {tuple(totals)} differ from the sum of its rows {by_rows}")
        daily = tuple(session.rows(DAILY_TOTALS, [start, end], prepare=True)[0][0])
        from_summary = (totals[0], totals[2], totals[3])
        if from_summary != daily:
            self.fail(session, f"period summary's (employees, absences, late minutes) {from_summary} "
                               f"differ from att_daily's {daily}")

        # Absences per day, as the superuser counts them over the login's scope.
        expect = {}
        for (_, day), (status, absent) in want.items():
            if start <= day <= end:
                n = expect.setdefault(day, [day, 0, 0, 0])
                n[1] += status == "absent"
                n[2] += absent > 0
                n[3] += absent
        expect = [tuple(v) for _, v in sorted(expect.items())]
        got = [tuple(r) for r in per_day]
        if got != expect:
            self.fail(session, "absences per day (day, absent, with absent minutes, minutes) differ from the "
                               f"superuser's over its scope: login {sample(set(got) - set(expect))}; "
                               f"superuser {sample(set(expect) - set(got))}")
        self.figures.setdefault(session.name, {}).update(employees=totals[0], absences=totals[2])


def sample(items, n=5):
    """The first n of a set of rows, readable: (1001, 2026-09-26), ... and 12 more."""
    items = sorted(items)
    shown = [f"({', '.join(map(str, i))})" if isinstance(i, tuple) else str(i) for i in items[:n]]
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(shown) + more if items else "none"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dbname", required=True)
    p.add_argument("--period", nargs=2, type=datetime.date.fromisoformat, required=True, metavar=("START", "END"),
                   help="one closing period: its first and last day")
    p.add_argument("logins", nargs="+", metavar="LOGIN[=ID,ID...]")
    args = p.parse_args()

    checker = Checker(args)
    sessions = []
    for spec in args.logins:
        login, _, ids = spec.partition("=")
        conn = psycopg.connect(dbname=args.dbname, user=login, autocommit=True)
        for acting in (ids.split(",") + [""]) if ids else [None]:
            sessions.append(Session(conn, login, acting))
    for s in sessions:
        checker.run(s)

    if checker.not_plain:
        checker.problems.append("view columns whose type is not a plain built-in type: " + ", ".join(
            f"{view}.{column} ({t})" for (view, column), t in checker.not_plain.items()))
    if checker.missing_comments:
        by_view = {}
        for view, column in checker.missing_comments:
            by_view.setdefault(view, []).append(column)
        checker.problems.append(f"{len(checker.missing_comments)} columns have no comment:\n" + "\n".join(
            f"  {view}: {', '.join(columns)}" for view, columns in by_view.items()))
    queries = checker.su_queries + sum(s.queries for s in sessions)
    seen = ", ".join(f"{s.name} {checker.figures.get(s.name, {}).get('rows', '?')}"
                     f"/{checker.figures.get(s.name, {}).get('employees', '?')}"
                     f"/{checker.figures.get(s.name, {}).get('absences', '?')}" for s in sessions)
    # The figures also on failure: they show how far each login got.
    print("\n".join(checker.problems + [
        f"{len(args.logins)} logins, {len(sessions)} sessions, {len(checker.all_views)} views; att_daily rows"
        f"/employees/absences in {args.period[0]}..{args.period[1]}: {seen}; {queries} queries"]))
    sys.exit(1 if checker.problems else 0)


if __name__ == "__main__":
    main()

//! SQL entry points of the scope model (SPEC.md A). Each loads the rows the
//! decision needs with one prepared query and hands them to `attendance_scope`.
//! The public, documented SQL functions are thin wrappers in `sql/scope.sql`.

use attendance_scope::{
    access_placed, can_close, permits, scope_runs, Access, AdminKind, ClosingDay, Grant, ManagedMembership, OrgTree,
    Period, Permission, PlacedMembership, ScopeError,
};
use std::collections::HashMap;

use chrono::NaiveDate;
use pgrx::datum::{Date, Range, RangeBound};
use pgrx::prelude::*;
use pgrx::spi::SpiClient;

use crate::dates::{self, period};
use crate::errors::{self, raise};
use crate::plans::each_row;

const DATEOID: PgBuiltInOids = PgBuiltInOids::DATEOID;
const INT8OID: PgBuiltInOids = PgBuiltInOids::INT8OID;

/// Every membership of employee $1, in pieces over which its org's place in
/// the tree stays the same: the path (company first) and the company's
/// closing day of those days.
const MEMBERSHIPS_OF_EMPLOYEE: &str = "
SELECT lower(m.period * t.period), upper(m.period * t.period), t.path, c.closing_day::int4
  FROM attendance.membership m
  JOIN attendance.org_tree t ON t.org_id = m.org_id AND t.period && m.period
  JOIN attendance.org c ON c.org_id = t.path[1]
 WHERE m.employee_id = $1";
const MEMBERSHIPS_OF_EMPLOYEE_UNDATED: &str = "
SELECT lower(m.period), upper(m.period), o.path, c.closing_day::int4
  FROM attendance.membership m
  JOIN attendance.org o ON o.org_id = m.org_id
  JOIN attendance.org c ON c.org_id = o.path[1]
 WHERE m.employee_id = $1";

/// Is day $2 of employee $1 in a closed period? (`att_day_closed`, which
/// also reads who each closing covered.)
const DAY_CLOSED: &str = "SELECT attendance.att_day_closed($1, $2)";

/// Every membership in orgs admin $1 manages as of $2, ordered by employee.
/// With a window [$3, $4) only those that can matter for it: a membership
/// holding $2 reaches every day, others reach at most a closing period
/// (31 days) past their bounds.
/// Memberships come in pieces, one per place of their org in the tree: on
/// each day an org is managed if it lay below a granted org on that day.
// The places in the tree are judged first (a few hundred rows, each with its
// company's closing day and whether any grant reaching it is hr), and only
// then joined to their memberships: an hr of a whole company reaches every
// membership, and per membership work was most of a BI query's scope. A
// membership meets each place of its org once (an org's places never
// overlap), so no grouping is needed after the join.
const MANAGED_BY_ADMIN: &str = "
SELECT m.employee_id, lower(m.period * r.period), upper(m.period * r.period), r.closing_day, r.via_hr
  FROM (SELECT t.org_id, t.period, c.closing_day::int4 AS closing_day, bool_or(g.kind = 'hr') AS via_hr
          FROM attendance.admin_grant g
          JOIN attendance.org_tree t ON t.path @> ARRAY[g.org_id]
          JOIN attendance.org c ON c.org_id = t.path[1]
         WHERE g.admin_id = $1 AND g.period @> $2
         GROUP BY t.org_id, t.period, c.closing_day) r
  JOIN attendance.membership m ON m.org_id = r.org_id AND m.period && r.period
 WHERE $3 IS NULL OR (m.period * r.period) @> $2 OR (m.period * r.period) && daterange($3 - 31, $4 + 31)
 ORDER BY m.employee_id";
const MANAGED_BY_ADMIN_UNDATED: &str = "
SELECT m.employee_id, lower(m.period), upper(m.period), c.closing_day::int4, bool_or(g.kind = 'hr')
  FROM attendance.admin_grant g
  JOIN attendance.org o ON o.path @> ARRAY[g.org_id]
  JOIN attendance.membership m ON m.org_id = o.org_id
  JOIN attendance.org c ON c.org_id = o.path[1]
 WHERE g.admin_id = $1 AND g.period @> $2
   AND ($3 IS NULL OR m.period @> $2 OR m.period && daterange($3 - 31, $4 + 31))
 GROUP BY m.employee_id, m.membership_id, m.period, c.closing_day
 ORDER BY m.employee_id";

/// The chain from org $1 up to its company in the tree as it stood on $2.
const ORG_CHAIN: &str = "
SELECT p.org_id, lag(p.org_id) OVER (ORDER BY p.n), c.closing_day::int4
  FROM attendance.org_tree t
 CROSS JOIN LATERAL unnest(t.path) WITH ORDINALITY AS p(org_id, n)
  JOIN attendance.org c ON c.org_id = p.org_id
 WHERE t.org_id = $1 AND t.period @> $2";
const ORG_CHAIN_UNDATED: &str = "
SELECT a.org_id, a.parent_id, a.closing_day::int4
  FROM attendance.org o
  JOIN attendance.org a ON a.org_id = ANY (o.path)
 WHERE o.org_id = $1 AND $2 IS NOT NULL";

/// Admin $1's assignments.
const GRANTS_OF_ADMIN: &str = "
SELECT org_id, kind = 'hr', lower(period), upper(period)
  FROM attendance.admin_grant WHERE admin_id = $1";

/// What a scope is computed from, read with the caller's rights: the
/// grants first (an admin with none in force is answered from them alone).
const SCOPE_INPUTS: &[&std::ffi::CStr] = &[c"admin_grant", c"org_tree", c"org", c"membership"];

/// Refuses a scope question, before it reads `tables`, when the caller may
/// not read one of them.
fn refuse_unreadable(tables: &[&std::ffi::CStr]) {
    crate::probe::refuse_unreadable(
        tables,
        "compute admin scopes",
        "att_can_access, att_has_permission and att_scope read the grants, the org tree and the memberships with the caller's rights.",
        "A login's own scope already applies to the report views (att_daily and the others) without these functions; a role that asks about scopes needs SELECT on attendance.admin_grant, org_tree, org and membership.",
    );
}

pub fn closing_day(day: Option<i32>) -> ClosingDay {
    ClosingDay::new(day).unwrap_or_else(|e| errors::scope(e))
}

/// Rows a per-row call reuses for the rest of its query: the admin's
/// assignments and the placed memberships of the employees seen so far. Kept
/// in the call site's `fn_extra`, so it lives exactly as long as one execution
/// of the calling query, whose snapshot a STABLE function shares: nothing can
/// change under it.
#[derive(Default)]
struct QueryCache {
    grants: Option<(i64, Vec<Grant>)>,
    memberships: HashMap<i64, Vec<PlacedMembership>>,
    dated: Option<bool>,
    /// Whether the caller's right to read the memberships was checked.
    memberships_checked: bool,
}

/// Bounds the per-query membership cache (about 100 bytes an employee).
const CACHED_EMPLOYEES: usize = 100_000;

impl QueryCache {
    fn grants(&mut self, client: &SpiClient<'_>, admin: i64) -> &[Grant] {
        if self.grants.as_ref().is_none_or(|(a, _)| *a != admin) {
            refuse_unreadable(&SCOPE_INPUTS[..1]);
            self.grants = Some((admin, grants_of(client, admin)));
        }
        &self.grants.as_ref().expect("just loaded").1
    }
}

/// The chain from `org` up to its company in the tree as it stood on `t`
/// (empty if the org does not exist).
fn chain_as_of(client: &SpiClient<'_>, org: i64, t: Date) -> OrgTree {
    let mut tree = OrgTree::new();
    let sql = crate::release::pick(client, ORG_CHAIN, ORG_CHAIN_UNDATED);
    each_row(client, sql, &[INT8OID, DATEOID], &[org.into(), t.into()], |row| {
        let id: i64 = row.get(1).ok().flatten().unwrap_or_default();
        tree.insert(id, row.get(2).ok().flatten(), closing_day(row.get(3).ok().flatten()));
    });
    tree
}

fn grants_of(client: &SpiClient<'_>, admin: i64) -> Vec<Grant> {
    let mut grants = Vec::new();
    each_row(client, GRANTS_OF_ADMIN, &[INT8OID], &[admin.into()], |row| {
        grants.push(Grant {
            org: row.get(1).ok().flatten().unwrap_or_default(),
            kind: if row.get::<bool>(2).ok().flatten().unwrap_or(false) { AdminKind::Hr } else { AdminKind::Admin },
            period: period(row.get(3).ok().flatten(), row.get(4).ok().flatten()),
        })
    });
    grants
}

fn memberships_of(client: &SpiClient<'_>, employee: i64, dated: bool) -> Vec<PlacedMembership> {
    let sql = if dated { MEMBERSHIPS_OF_EMPLOYEE } else { MEMBERSHIPS_OF_EMPLOYEE_UNDATED };
    let mut memberships = Vec::new();
    each_row(client, sql, &[INT8OID], &[employee.into()], |row| {
        let mut chain: Vec<i64> = row.get::<Vec<i64>>(3).ok().flatten().unwrap_or_default();
        chain.reverse();
        memberships.push(PlacedMembership {
            period: period(row.get(1).ok().flatten(), row.get(2).ok().flatten()),
            chain,
            closing: closing_day(row.get(4).ok().flatten()),
        })
    });
    memberships
}

fn access_of(
    fcinfo: pg_sys::FunctionCallInfo,
    client: &SpiClient<'_>,
    admin: i64,
    employee: i64,
    day: Date,
    as_of: Date,
) -> Access {
    let (d, t) = (dates::arg(day, "day"), dates::arg(as_of, "as_of"));
    // SAFETY: fcinfo is the live call's; the cache is allocated in its fn_mcxt.
    let mut cache = unsafe { pgrx::fcinfo::pg_func_extra(fcinfo, QueryCache::default) };
    let grants = cache.grants(client, admin);
    // Most (admin, employee) pairs of a large query are decided here without a query.
    if !grants.iter().any(|g| g.period.contains(t)) {
        return Access::NONE.with_self(admin == employee);
    }
    if !cache.memberships.contains_key(&employee) {
        if cache.memberships.len() >= CACHED_EMPLOYEES {
            cache.memberships.clear();
        }
        let dated = *cache.dated.get_or_insert_with(|| crate::release::is_current(client));
        if !cache.memberships_checked {
            refuse_unreadable(&SCOPE_INPUTS[1..]);
            cache.memberships_checked = true;
        }
        let memberships = memberships_of(client, employee, dated);
        cache.memberships.insert(employee, memberships);
    }
    let QueryCache { grants, memberships, .. } = &*cache;
    let grants = &grants.as_ref().expect("loaded above").1;
    access_placed(grants, &memberships[&employee], d, t).with_self(admin == employee)
}

fn day_closed(client: &SpiClient<'_>, employee: i64, day: Date) -> bool {
    let mut closed = false;
    each_row(client, DAY_CLOSED, &[INT8OID, DATEOID], &[employee.into(), day.into()], |row| {
        closed = row.get::<bool>(1).ok().flatten().unwrap_or(false);
    });
    closed
}

/// The scope level label (`none`, `view`, `full`); see `att_can_access`.
#[pg_extern(stable, strict, parallel_safe, name = "_att_can_access")]
fn att_can_access_label(
    admin: i64,
    employee: i64,
    day: Date,
    as_of: Date,
    fcinfo: pg_sys::FunctionCallInfo,
) -> &'static str {
    Spi::connect(|client| access_of(fcinfo, client, admin, employee, day, as_of).level.label())
}

/// Does the admin hold `permission` on the employee's day? See `att_has_permission`.
#[pg_extern(stable, strict, parallel_safe, name = "_att_has_permission")]
fn att_has_permission_text(
    admin: i64,
    employee: i64,
    day: Date,
    permission: &str,
    as_of: Date,
    fcinfo: pg_sys::FunctionCallInfo,
) -> bool {
    let permission: Permission = permission.parse().unwrap_or_else(|e| errors::scope(e));
    Spi::connect(|client| {
        let access = access_of(fcinfo, client, admin, employee, day, as_of);
        // Closing state only matters to corrections; skip the query otherwise.
        let closed = permission == Permission::Correct
            && access.level > attendance_scope::Level::View
            && !access.hr_full
            && day_closed(client, employee, day);
        permits(permission, access, closed)
    })
}

/// The memberships in orgs `admin` manages as of `as_of`, by employee, in
/// employee order; `window` narrows them to those that matter for its days.
pub fn managed_by_admin(
    client: &SpiClient<'_>,
    admin: i64,
    as_of: Date,
    window: Option<(Date, Date)>,
) -> Vec<(i64, ManagedMembership)> {
    let (first, end) = (window.map(|w| w.0), window.map(|w| w.1));
    let sql = crate::release::pick(client, MANAGED_BY_ADMIN, MANAGED_BY_ADMIN_UNDATED);
    // Read column by column from the tuples: an hr of a whole company reaches
    // a row per membership, and pgrx's row wrapper was a fifth of the scope.
    let mut rows = Vec::new();
    crate::plans::each_tuple(
        sql,
        &[INT8OID, DATEOID, DATEOID, DATEOID],
        &[admin.into(), as_of.into(), first.into(), end.into()],
        |desc, tuple| {
            // SAFETY: the tuple and its descriptor come from SPI_tuptable; the
            // columns are int8, date, date, int4 and bool, all by value.
            let column = |n| unsafe { crate::plans::column(desc, tuple, n) };
            let date = |n| column(n).map(|d| unsafe { Date::from_pg_epoch_days(d.value() as i32) });
            let Some(employee) = column(1).map(|d| d.value() as i64) else { return };
            let managed = ManagedMembership {
                period: period(date(2), date(3)),
                closing: closing_day(column(4).map(|d| d.value() as i32)),
                via_hr: column(5).is_some_and(|d| d.value() != 0),
            };
            rows.push((employee, managed));
        },
    );
    rows
}

/// Every (employee, run of days, level) an admin reaches in [first, end).
#[pg_extern(stable, parallel_safe, name = "_att_scope")]
fn att_scope_runs(
    admin: Option<i64>,
    first: Option<Date>,
    end: Option<Date>,
    as_of: Option<Date>,
) -> TableIterator<
    'static,
    (name!(employee_id, i64), name!(day_from, Date), name!(day_to, Date), name!(level, &'static str)),
> {
    let (Some(first), Some(end)) = (first, end) else {
        errors::scope(ScopeError::UnboundedRange);
    };
    let (Some(admin), Some(as_of)) = (admin, as_of) else {
        raise(PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED, "att_scope needs an admin and an as_of date");
    };
    let (first_d, end_d, t) =
        (dates::arg(first, "lower(within)"), dates::arg(end, "upper(within)"), dates::arg(as_of, "as_of"));
    refuse_unreadable(SCOPE_INPUTS);
    let rows = Spi::connect(|client| managed_by_admin(client, admin, as_of, Some((first, end))));
    let mut out = Vec::new();
    for chunk in rows.chunk_by(|a, b| a.0 == b.0) {
        let managed: Vec<ManagedMembership> = chunk.iter().map(|(_, m)| *m).collect();
        for run in scope_runs(&managed, first_d, end_d, t) {
            out.push((chunk[0].0, dates::to_pg(run.start), dates::to_pg(run.end), run.access.level.label()));
        }
    }
    TableIterator::new(out)
}

/// The closing period of a company with this closing day (NULL: month end) that holds `day`.
/// Not STRICT (a NULL closing day means calendar months), so a NULL day gives NULL here.
#[pg_extern(immutable, parallel_safe, name = "att_closing_period_for")]
fn att_closing_period_for(day: Option<Date>, closing_day_of_month: Option<i32>) -> Option<Range<Date>> {
    let d = dates::arg(day?, "day");
    let p = self::closing_day(closing_day_of_month).period_containing(d);
    let (start, end) = bounded(p);
    Some(Range::new(RangeBound::Inclusive(start), RangeBound::Exclusive(end)))
}

/// A closing period's bounds, or 22008 at the ends of the calendar, where
/// a month has no end.
fn bounded(p: Period) -> (Date, Date) {
    match (p.start, p.end) {
        (Some(start), Some(end)) => (dates::to_pg(start), dates::to_pg(end)),
        _ => raise(
            PgSqlErrorCode::ERRCODE_DATETIME_FIELD_OVERFLOW,
            "the day is too far from today to lie in a closing period",
        ),
    }
}

/// Loads the org's chain and the actor's grants, and refuses unless the actor
/// may close the org: judged on the tree as of `as_of`.
fn check_closing_permission(client: &SpiClient<'_>, org: i64, actor: i64, as_of: Date) {
    let t: NaiveDate = dates::arg(as_of, "as_of");
    let tree = chain_as_of(client, org, as_of);
    if !tree.contains(org) {
        raise(PgSqlErrorCode::ERRCODE_FOREIGN_KEY_VIOLATION, &format!("unknown org {org}"));
    }
    let grants = grants_of(client, actor);
    if !can_close(&tree, &grants, org, t) {
        raise(
            PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            &format!(
                "employee {actor} may not close or reopen org {org}: no admin assignment on it or above it as of {t}"
            ),
        );
    }
}

/// Closes (`reopen = false`) or reopens the closing period holding `day` for `org`.
fn set_closed(org: i64, day: Date, actor: i64, as_of: Date, reopen: bool) -> Range<Date> {
    let d = dates::arg(day, "day");
    Spi::connect_mut(|client| {
        check_closing_permission(client, org, actor, as_of);
        // the period is the one of the company the org belonged to on that
        // day (a department may have changed company since)
        let closing = chain_as_of(client, org, day).closing_of(org);
        let (start, end) = bounded(closing.period_containing(d));
        let args = [org.into(), start.into(), end.into(), actor.into()];
        let changed = if reopen {
            "DELETE FROM attendance.closing WHERE org_id = $1 AND period = daterange($2, $3) RETURNING 1"
        } else {
            "INSERT INTO attendance.closing (org_id, period, closed_by) VALUES ($1, daterange($2, $3), $4)
             ON CONFLICT DO NOTHING RETURNING 1"
        };
        let done = client.update(changed, None, &args).unwrap_or_else(|e| errors::spi(e)).len();
        if done == 0 {
            let state = if reopen { "is not closed" } else { "is already closed" };
            raise(
                PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                &format!("period [{start}, {end}) of org {org} {state}"),
            );
        }
        if reopen {
            // A reopened period starts afresh: a later closing decides its own exemptions.
            client
                .update(
                    "DELETE FROM attendance.closing_exemption WHERE org_id = $1 AND period = daterange($2, $3)",
                    None,
                    &[org.into(), start.into(), end.into()],
                )
                .unwrap_or_else(|e| errors::spi(e));
        }
        let action = if reopen { "reopen" } else { "close" };
        client
            .update(
                "INSERT INTO attendance.closing_event (org_id, period, action, actor)
                 VALUES ($1, daterange($2, $3), $5::attendance.closing_action, $4)",
                None,
                &[org.into(), start.into(), end.into(), actor.into(), action.into()],
            )
            .unwrap_or_else(|e| errors::spi(e));
        Range::new(RangeBound::Inclusive(start), RangeBound::Exclusive(end))
    })
}

/// See `att_close_period` in sql/scope.sql.
#[pg_extern(volatile, strict, name = "_att_close_period")]
fn att_close_period(org: i64, day: Date, actor: i64, as_of: Date) -> Range<Date> {
    set_closed(org, day, actor, as_of, false)
}

/// See `att_reopen_period` in sql/scope.sql.
#[pg_extern(volatile, strict, name = "_att_reopen_period")]
fn att_reopen_period(org: i64, day: Date, actor: i64, as_of: Date) -> Range<Date> {
    set_closed(org, day, actor, as_of, true)
}

/// Does the employee hold an admin or hr assignment on the org or above it
/// as of the date? (What closing an org and owning its rules need.)
#[pg_extern(stable, strict, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn att_manages_org(actor: i64, org: i64, as_of: default!(Date, "CURRENT_DATE")) -> bool {
    let t = dates::arg(as_of, "as_of");
    Spi::connect(|client| {
        let tree = chain_as_of(client, org, as_of);
        tree.contains(org) && can_close(&tree, &grants_of(client, actor), org, t)
    })
}

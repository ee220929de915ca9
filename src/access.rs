//! Who is asking (SPEC.md D): the database login's employee, or the employee
//! a trusted application role acts for; and the row checks that row-level
//! policies call. Both work inside SECURITY DEFINER functions: the asking
//! role is PostgreSQL's outer user (the login or the role it SET ROLE to),
//! which a definer function does not change.

use std::collections::HashMap;
use std::ffi::CStr;

use attendance_scope::visible::{self, VisibleSpan};
use attendance_scope::{scope_spans, ManagedMembership, Span};
use chrono::NaiveDate;
use pgrx::datum::Date;
use pgrx::prelude::*;
use pgrx::spi::SpiClient;

use crate::dates;
use crate::errors;
use crate::ids::IdMap;
use crate::kept_scope;
use crate::plans::each_row;

/// The role an application server must belong to before the acting-employee
/// setting is believed.
const APP_ROLE: &CStr = c"attendance_app";
/// The per-transaction setting an application sets (`SET LOCAL`).
const ACTING_SETTING: &CStr = c"attendance.acting_employee";
/// The date scope is judged as of, for a trusted application replaying a past view.
const AS_OF_SETTING: &CStr = c"attendance.as_of";

const LOGIN_EMPLOYEE: &str = "SELECT employee_id FROM attendance.login_employee WHERE role_name = $1";

fn role_name(oid: pg_sys::Oid) -> Option<String> {
    // SAFETY: noerr = true returns NULL for a dropped role instead of raising.
    let name = unsafe { pg_sys::GetUserNameFromId(oid, true) };
    (!name.is_null()).then(|| unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned())
}

/// Is either the login or the outer role a member of the application role?
fn trusted_application() -> bool {
    // SAFETY: plain catalog lookups; missing_ok avoids an error when the role is absent.
    unsafe {
        let app = pg_sys::get_role_oid(APP_ROLE.as_ptr(), true);
        app != pg_sys::InvalidOid
            && (pg_sys::has_privs_of_role(pg_sys::GetOuterUserId(), app)
                || pg_sys::has_privs_of_role(pg_sys::GetSessionUserId(), app))
    }
}

fn setting(name: &CStr) -> Option<String> {
    // SAFETY: missing_ok = true returns NULL for an unset placeholder.
    let value = unsafe { pg_sys::GetConfigOption(name.as_ptr(), true, false) };
    if value.is_null() {
        return None;
    }
    let text = unsafe { CStr::from_ptr(value) }.to_string_lossy().trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The employee the current request acts as, if any.
pub fn acting_employee(client: &SpiClient<'_>) -> Option<i64> {
    if trusted_application() {
        if let Some(text) = setting(ACTING_SETTING) {
            return Some(text.parse().unwrap_or_else(|_| {
                errors::raise(
                    PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
                    &format!("attendance.acting_employee must be an employee id, got \"{text}\""),
                )
            }));
        }
    }
    // An ordinary login's own setting is ignored: only its role mapping counts.
    // SAFETY: plain reads of the backend's user ids.
    let (outer, session) = unsafe { (pg_sys::GetOuterUserId(), pg_sys::GetSessionUserId()) };
    // the login itself is asked once when it is also the current role
    let roles = if outer == session { vec![outer] } else { vec![outer, session] };
    roles.into_iter().filter_map(role_name).find_map(|name| {
        let mut employee = None;
        each_row(client, LOGIN_EMPLOYEE, &[PgBuiltInOids::TEXTOID], &[name.into()], |row| {
            employee = row.get::<i64>(1).ok().flatten();
        });
        employee
    })
}

/// The employee the current login or application request acts as (NULL: none).
#[pg_extern(stable, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn att_current_employee() -> Option<i64> {
    Spi::connect(acting_employee)
}

/// Today (the extension's, which no login moves), or the `attendance.as_of`
/// date a trusted application set: a BI login always sees its scope as of today.
fn as_of(client: &SpiClient<'_>) -> Option<NaiveDate> {
    if trusted_application() {
        if let Some(text) = setting(AS_OF_SETTING) {
            return Some(NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap_or_else(|_| {
                errors::raise(
                    PgSqlErrorCode::ERRCODE_INVALID_DATETIME_FORMAT,
                    &format!("attendance.as_of must be a date YYYY-MM-DD, got \"{text}\""),
                )
            }));
        }
    }
    crate::clock::today(client).and_then(dates::from_pg)
}

/// The acting employee and their whole scope as of today.
#[derive(Default)]
struct Scope {
    acting: Option<i64>,
    spans: HashMap<i64, Vec<Span>>,
}

impl Scope {
    fn load(client: &SpiClient<'_>) -> Scope {
        Scope::load_for(client, acting_employee(client), as_of(client))
    }

    fn load_for(client: &SpiClient<'_>, acting: Option<i64>, as_of: Option<NaiveDate>) -> Scope {
        let mut scope = Scope { acting, ..Scope::default() };
        let (Some(admin), Some(t)) = (scope.acting, as_of) else { return scope };
        let mut managed: HashMap<i64, Vec<ManagedMembership>> = HashMap::new();
        for (employee, m) in crate::scope::managed_by_admin(client, admin, dates::to_pg(t), None) {
            managed.entry(employee).or_default().push(m);
        }
        scope.spans = managed.into_iter().map(|(e, m)| (e, scope_spans(&m, t))).collect();
        scope
    }
}

fn view_scope_rows(scope: Scope) -> kept_scope::Rows {
    let (mut ids, mut from, mut until) = (Vec::new(), Vec::new(), Vec::new());
    let own = scope.acting.map(|me| (me, None, None));
    let spans = scope.spans.into_iter().flat_map(|(employee, spans)| {
        spans.into_iter().map(move |s| (employee, s.period.start.map(dates::to_pg), s.period.end.map(dates::to_pg)))
    });
    for (employee, start, end) in own.into_iter().chain(spans) {
        ids.push(employee);
        from.push(start);
        until.push(end);
    }
    (ids, from, until)
}

/// The asker's view scope, kept between the statements that ask for it
/// (`kept_scope`). On Citus a policy runs on the workers' shards, where even
/// the asker's mapping is a nested read: see `citus::with_nested_reads`.
fn kept_view_scope() -> kept_scope::Rows {
    Spi::connect(|client| {
        crate::citus::with_nested_reads(client, || {
            let (acting, as_of) = (acting_employee(client), as_of(client));
            let key = kept_scope::key(client, acting, as_of);
            kept_scope::SCOPES.with(|kept| kept.answer(key, || view_scope_rows(Scope::load_for(client, acting, as_of))))
        })
    })
}

/// The acting employee's own days and view scope as of today, as three
/// parallel arrays (employee, first day, end day; NULL bounds are open, the
/// end is exclusive). One row, so the definer's settings are applied once,
/// not per span. Definer code, since the rows it reads are closed to logins;
/// it answers only for the asker, so calling it directly reveals nothing
/// more than their own scope.
#[pg_extern(stable, parallel_safe, security_definer, name = "_att_view_scope")]
#[search_path(pg_catalog, pg_temp)]
fn att_view_scope() -> TableIterator<
    'static,
    (name!(employee_ids, Vec<i64>), name!(from_days, Vec<Option<Date>>), name!(until_days, Vec<Option<Date>>)),
> {
    TableIterator::once(kept_view_scope())
}

/// The same scope as one value (`attendance_scope::visible`), for policies
/// that read it as `(SELECT _att_view_scope_value())`: the query's leader
/// computes it once and PostgreSQL passes it to its parallel workers.
/// Parallel restricted, so that it runs in the leader only. Definer code
/// that answers only for the asker, as `_att_view_scope`.
#[pg_extern(stable, parallel_restricted, security_definer, name = "_att_view_scope_value")]
#[search_path(pg_catalog, pg_temp)]
fn att_view_scope_value() -> Vec<u8> {
    let (ids, from, until) = kept_view_scope();
    let day = |d: Option<Date>| d.map(|d| d.to_pg_epoch_days());
    visible::encode(
        next_scope_tag(),
        ids.into_iter().zip(from).zip(until).map(|((employee, from), until)| VisibleSpan {
            employee,
            from: day(from),
            until: day(until),
        }),
    )
}

thread_local! {
    static SCOPE_VALUES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A tag that tells this scope value from every other one made: the
/// backend's process id, a count of the values it made and the time, mixed.
/// `_att_scope_allows` knows a value again by its address, length and tag:
/// two values made by `_att_view_scope_value` share a tag by a chance of one
/// in 2^64 at most (the same process id again comes at another time), so
/// only bytes made by hand with another value's tag could be answered from
/// that value's reading, and they reach only the query of whoever made them
/// (a policy reads the value its own query computed).
fn next_scope_tag() -> u64 {
    let n = SCOPE_VALUES.with(|c| {
        c.set(c.get().wrapping_add(1));
        c.get()
    });
    // SAFETY: MyProcPid is set for the backend's life; reading the clock
    // has no preconditions.
    let (pid, now) = unsafe { (pg_sys::MyProcPid, pg_sys::GetCurrentTimestamp()) };
    let mut x = (u64::from(pid as u32) << 32 | u64::from(n)) ^ (now as u64).rotate_left(17);
    // splitmix64's finaliser: every input bit reaches every output bit
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A scope value read into a map, and the value it was read from (its
/// address, length and tag): what `_att_scope_allows` keeps for its query.
struct ReadScope {
    at: usize,
    len: usize,
    tag: u64,
    visible: Visible,
}

fn not_a_scope() -> ! {
    errors::raise(
        PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
        "not a scope value: _att_scope_allows reads what _att_view_scope_value returns",
    )
}

finfo_v1!(pg_finfo_att_scope_allows);

/// `_att_scope_allows(scope bytea, employee bigint, day date)`: is the day
/// within the scope value's spans of the employee? What the scope policies
/// call per row, so an entry point of its own (no pgrx wrapping per call).
/// The value a query hands it stays where it is for the whole query: it is
/// read into a map once per process (the leader, each parallel worker) and
/// known again by its address, length and tag. A value
/// `_att_view_scope_value` did not make is refused (22023); a missing
/// argument sees nothing.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_scope_allows(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    use pgrx::fcinfo::pg_getarg_datum;
    let (Some(scope), Some(employee), Some(day)) =
        (pg_getarg_datum(fcinfo, 0), pg_getarg_datum(fcinfo, 1), pg_getarg_datum(fcinfo, 2))
    else {
        return pg_sys::Datum::from(false);
    };
    // detoasted only if stored compressed or out of line
    let raw = pg_sys::pg_detoast_datum_packed(scope.cast_mut_ptr());
    let bytes = pgrx::varlena::varlena_to_byte_slice(raw);
    let tag = visible::tag(bytes).unwrap_or_else(|_| not_a_scope());
    let flinfo = (*fcinfo).flinfo;
    let mut kept = (*flinfo).fn_extra as *mut ReadScope;
    let known = !kept.is_null() && {
        let k = &*kept;
        k.at == bytes.as_ptr() as usize && k.len == bytes.len() && k.tag == tag
    };
    if !known {
        let mut read = Visible::default();
        for s in visible::spans(bytes).unwrap_or_else(|_| not_a_scope()) {
            read.add(s.employee, s.from, s.until);
        }
        let entry = ReadScope { at: bytes.as_ptr() as usize, len: bytes.len(), tag, visible: read };
        if kept.is_null() {
            kept = pgrx::PgMemoryContexts::For((*flinfo).fn_mcxt).leak_and_drop_on_delete(entry);
            (*flinfo).fn_extra = kept.cast();
        } else {
            *kept = entry;
        }
    }
    // int8 and date are passed by value
    pg_sys::Datum::from((*kept).visible.allows(employee.value() as i64, day.value() as i32))
}

/// The departments and companies of the primary memberships on the days the
/// asker may see: the visible spans' memberships first (one multirange per
/// org), then each org's places in the tree on those days, a probe of the
/// tree per org, not per member.
const VISIBLE_ORG_IDS: &str = "
SELECT coalesce(array_agg(DISTINCT x.org_id), '{}')
  FROM (SELECT m.org_id, range_agg(m.period * v.days) AS days
          FROM attendance._att_visible_spans() v
          JOIN attendance.membership m ON m.employee_id = v.employee_id AND m.kind = 'primary' AND m.period && v.days
         GROUP BY m.org_id) seen
  JOIN attendance.org_tree t ON t.org_id = seen.org_id AND t.period && seen.days
 CROSS JOIN LATERAL unnest(ARRAY[t.org_id, t.path[1]]) AS x(org_id)";

/// The orgs whose names the asker may read (`_att_visible_orgs`), kept
/// under the view scope's key: they follow from the same rows. For an hr
/// of a whole company this reads every membership, as the scope does.
#[pg_extern(stable, parallel_safe, security_definer, name = "_att_visible_org_ids")]
#[search_path(pg_catalog, pg_temp)]
fn att_visible_org_ids() -> Vec<i64> {
    Spi::connect(|client| {
        crate::citus::with_nested_reads(client, || {
            let key = kept_scope::key(client, acting_employee(client), as_of(client));
            kept_scope::ORG_IDS.with(|kept| {
                kept.answer(key, || {
                    let mut ids = Vec::new();
                    each_row(client, VISIBLE_ORG_IDS, &[], &[], |row| {
                        ids = row.get::<Vec<i64>>(1).ok().flatten().unwrap_or_default();
                    });
                    ids
                })
            })
        })
    })
}

const VIEW_SCOPE: &str = "SELECT employee_ids, from_days, until_days FROM attendance._att_view_scope()";
// Every name qualified: att_can_view is an invoker function, run with the
// asker's search_path.
const HAS_VIEW_SCOPE: &str = "SELECT pg_catalog.to_regprocedure('attendance._att_view_scope()') IS NOT NULL";

/// What `att_can_view` keeps for the rest of its query: the visible spans,
/// in PostgreSQL's day numbers (an open bound as the smallest or largest),
/// so that a row's check is integer comparisons, no calendar arithmetic.
#[derive(Default)]
struct Visible {
    spans: IdMap<i64, Vec<(i32, i32)>>,
}

impl Visible {
    fn add(&mut self, employee: i64, from: Option<i32>, until: Option<i32>) {
        self.spans.entry(employee).or_default().push((from.unwrap_or(i32::MIN), until.unwrap_or(i32::MAX)));
    }

    /// The asker's spans, read once through `_att_view_scope`.
    fn load() -> Visible {
        let mut visible = Visible::default();
        Spi::connect(|client| {
            let mut current = false;
            each_row(client, HAS_VIEW_SCOPE, &[], &[], |row| current = row.get::<bool>(1).ok().flatten() == Some(true));
            if current {
                each_row(client, VIEW_SCOPE, &[], &[], |row| {
                    let ids: Vec<i64> = row.get(1).ok().flatten().unwrap_or_default();
                    let from: Vec<Option<Date>> = row.get(2).ok().flatten().unwrap_or_default();
                    let until: Vec<Option<Date>> = row.get(3).ok().flatten().unwrap_or_default();
                    for ((employee, start), end) in ids.into_iter().zip(from).zip(until) {
                        visible.add(employee, start.map(|d| d.to_pg_epoch_days()), end.map(|d| d.to_pg_epoch_days()));
                    }
                })
            } else {
                // Release 0.1.0 declared att_can_view SECURITY DEFINER and had no
                // _att_view_scope: until ALTER EXTENSION UPDATE, read the scope here.
                let scope = crate::citus::with_nested_reads(client, || Scope::load(client));
                if let Some(me) = scope.acting {
                    visible.add(me, None, None);
                }
                let day = |d: Option<NaiveDate>| d.map(|d| dates::to_pg(d).to_pg_epoch_days());
                for (employee, spans) in scope.spans {
                    for s in spans {
                        visible.add(employee, day(s.period.start), day(s.period.end));
                    }
                }
            }
        });
        visible
    }

    /// Is this day (a `DateADT`) within one of the employee's spans? An
    /// infinite date is no day.
    fn allows(&self, employee: i64, day: i32) -> bool {
        self.spans.get(&employee).is_some_and(|spans| visible::within(spans.iter().copied(), day))
    }
}

/// May the acting employee see this employee's day? (their own, or view or
/// full scope as of today). The entry point releases up to 0.9.0 declare;
/// later ones declare `att_can_view_row`, the same check without pgrx's
/// per-call argument and memory-context handling.
#[pg_extern(stable, parallel_safe)]
fn att_can_view(employee: Option<i64>, day: Option<Date>, fcinfo: pg_sys::FunctionCallInfo) -> bool {
    let (Some(employee), Some(day)) = (employee, day) else {
        return false;
    };
    // SAFETY: fcinfo is the live call's; the cache lives in its fn_mcxt for this query.
    let visible = unsafe { pgrx::fcinfo::pg_func_extra(fcinfo, Visible::load) };
    visible.allows(employee, day.to_pg_epoch_days())
}

finfo_v1!(pg_finfo_att_can_view_row);

/// `att_can_view(employee bigint, day date)` for row-level policies, so
/// cheap per row: an invoker function (no security context switch per
/// call) that reads the scope once per query through `_att_view_scope`,
/// keeps it in the call's `fn_extra` and then looks rows up.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_can_view_row(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    use pgrx::fcinfo::pg_getarg_datum;
    let (Some(employee), Some(day)) = (pg_getarg_datum(fcinfo, 0), pg_getarg_datum(fcinfo, 1)) else {
        return pg_sys::Datum::from(false);
    };
    let flinfo = (*fcinfo).flinfo;
    if (*flinfo).fn_extra.is_null() {
        let visible = Visible::load();
        (*flinfo).fn_extra = pgrx::PgMemoryContexts::For((*flinfo).fn_mcxt).leak_and_drop_on_delete(visible).cast();
    }
    let visible = &*((*flinfo).fn_extra as *const Visible);
    // int8 and date are passed by value
    pg_sys::Datum::from(visible.allows(employee.value() as i64, day.value() as i32))
}

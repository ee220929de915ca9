//! Who is asking (SPEC.md D): the database login's employee, or the employee
//! a trusted application role acts for; and the row checks that row-level
//! policies call. Both work inside SECURITY DEFINER functions: the asking
//! role is PostgreSQL's outer user (the login or the role it SET ROLE to),
//! which a definer function does not change.

use std::collections::HashMap;
use std::ffi::CStr;

use attendance_scope::{scope_spans, ManagedMembership, Span};
use chrono::NaiveDate;
use pgrx::datum::Date;
use pgrx::prelude::*;
use pgrx::spi::SpiClient;

use crate::dates;
use crate::errors;
use crate::plans::with_plan;

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
    let roles = unsafe { [pg_sys::GetOuterUserId(), pg_sys::GetSessionUserId()] };
    roles.into_iter().filter_map(role_name).find_map(|name| {
        with_plan(client, LOGIN_EMPLOYEE, &[PgBuiltInOids::TEXTOID], |plan| {
            let rows = client.select(plan, Some(1), &[name.into()]).unwrap_or_else(|e| errors::spi(e));
            if rows.is_empty() {
                None
            } else {
                rows.first().get_one::<i64>().unwrap_or_else(|e| errors::spi(e))
            }
        })
    })
}

/// The employee the current login or application request acts as (NULL: none).
#[pg_extern(stable, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn att_current_employee() -> Option<i64> {
    Spi::connect(acting_employee)
}

/// Today, or the `attendance.as_of` date a trusted application set: a BI
/// login always sees its scope as of today.
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
    client
        .select("SELECT current_date", Some(1), &[])
        .and_then(|rows| rows.first().get_one::<Date>())
        .unwrap_or_else(|e| errors::spi(e))
        .and_then(dates::from_pg)
}

/// The acting employee's whole scope, computed once per query.
#[derive(Default)]
struct ViewCache {
    loaded: bool,
    acting: Option<i64>,
    spans: HashMap<i64, Vec<Span>>,
}

impl ViewCache {
    fn load(&mut self, client: &SpiClient<'_>) {
        self.loaded = true;
        self.acting = acting_employee(client);
        let Some(admin) = self.acting else { return };
        let Some(t) = as_of(client) else { return };
        let today = dates::to_pg(t);
        let mut managed: HashMap<i64, Vec<ManagedMembership>> = HashMap::new();
        for (employee, m) in crate::scope::managed_by_admin(client, admin, today, None) {
            managed.entry(employee).or_default().push(m);
        }
        self.spans = managed.into_iter().map(|(e, m)| (e, scope_spans(&m, t))).collect();
    }

    fn can_view(&self, employee: i64, day: NaiveDate) -> bool {
        self.acting == Some(employee)
            || self.spans.get(&employee).is_some_and(|spans| spans.iter().any(|s| s.period.contains(day)))
    }
}

/// May the acting employee see this employee's day? (their own, or view or
/// full scope as of today). Meant for row-level policies: the scope is
/// computed once per query and each row is a lookup.
#[pg_extern(stable, parallel_safe, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn att_can_view(employee: Option<i64>, day: Option<Date>, fcinfo: pg_sys::FunctionCallInfo) -> bool {
    let (Some(employee), Some(day)) = (employee, day.and_then(dates::from_pg)) else {
        return false;
    };
    // SAFETY: fcinfo is the live call's; the cache lives in its fn_mcxt for this query.
    let mut cache = unsafe { pgrx::fcinfo::pg_func_extra(fcinfo, ViewCache::default) };
    if !cache.loaded {
        Spi::connect(|client| cache.load(client));
    }
    cache.can_view(employee, day)
}

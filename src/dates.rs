//! Conversions between PostgreSQL dates and chrono's, at the boundary only.
//! Both sides count days, so a conversion is an addition: pgrx's own
//! year/month/day accessors call into SQL functions and cost microseconds,
//! which a row-level policy pays on every row.

use attendance_scope::Period;
use chrono::{Datelike, NaiveDate};
use pgrx::datum::Date;

use crate::errors::raise;
use pgrx::prelude::PgSqlErrorCode;

/// PostgreSQL's date epoch, day 0 of `DateADT`, as chrono's day number
/// from the common era: a conversion is one addition (chrono's date
/// subtraction and `from_ymd` cost a row-level evaluation several percent).
const PG_EPOCH_CE_DAYS: i64 = 730_120;

/// A finite PostgreSQL date as chrono's; ±infinity is `None` (an open bound).
pub fn from_pg(d: Date) -> Option<NaiveDate> {
    if !d.is_finite() {
        return None;
    }
    let days = i64::from(d.to_pg_epoch_days()) + PG_EPOCH_CE_DAYS;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?)
}

/// A date argument that must be finite and within the engine's calendar
/// (years -262143..=262142; PostgreSQL's dates reach further).
pub fn arg(d: Date, what: &str) -> NaiveDate {
    if !d.is_finite() {
        raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, &format!("{what} must be a finite date"));
    }
    from_pg(d).unwrap_or_else(|| {
        raise(
            PgSqlErrorCode::ERRCODE_DATETIME_FIELD_OVERFLOW,
            &format!("{what} is out of the supported range of dates"),
        )
    })
}

/// chrono's date as PostgreSQL's (beyond PostgreSQL's range: ±infinity).
pub fn to_pg(d: NaiveDate) -> Date {
    let days = i64::from(d.num_days_from_ce()) - PG_EPOCH_CE_DAYS;
    Date::saturating_from_raw(i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX }))
}

/// The bounds of a `daterange` row, read as `lower(p)`, `upper(p)`.
pub fn period(lower: Option<Date>, upper: Option<Date>) -> Period {
    Period { start: lower.and_then(from_pg), end: upper.and_then(from_pg) }
}

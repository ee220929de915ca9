//! Conversions between PostgreSQL dates and chrono's, at the boundary only.

use attendance_scope::Period;
use chrono::{Datelike, NaiveDate};
use pgrx::datum::Date;

use crate::errors::raise;
use pgrx::prelude::PgSqlErrorCode;

/// A finite PostgreSQL date as chrono's; ±infinity is `None` (an open bound).
pub fn from_pg(d: Date) -> Option<NaiveDate> {
    if !d.is_finite() {
        return None;
    }
    NaiveDate::from_ymd_opt(d.year(), d.month() as u32, d.day() as u32)
}

/// A date argument that must be finite.
pub fn arg(d: Date, what: &str) -> NaiveDate {
    from_pg(d).unwrap_or_else(|| {
        raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, &format!("{what} must be a finite date"))
    })
}

/// chrono's date as PostgreSQL's.
pub fn to_pg(d: NaiveDate) -> Date {
    Date::new(d.year(), d.month() as u8, d.day() as u8).expect("a chrono date is a valid PostgreSQL date")
}

/// The bounds of a `daterange` row, read as `lower(p)`, `upper(p)`.
pub fn period(lower: Option<Date>, upper: Option<Date>) -> Period {
    Period { start: lower.and_then(from_pg), end: upper.and_then(from_pg) }
}

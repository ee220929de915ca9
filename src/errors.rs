//! The one place where core errors become PostgreSQL errors with a SQLSTATE.

use attendance_rules::RuleError;
use attendance_scope::ScopeError;
use pgrx::prelude::*;
use pgrx::spi::SpiError;

/// Raises an ERROR with the given SQLSTATE; never returns.
pub fn raise(code: PgSqlErrorCode, message: &str) -> ! {
    let message = message.to_owned();
    ereport!(ERROR, code, message);
}

/// Raises an ERROR with the given SQLSTATE, a detail and a hint.
pub fn raise_with_hint(code: PgSqlErrorCode, message: &str, detail: &str, hint: &str) -> ! {
    pgrx::pg_sys::panic::ErrorReport::new(code, message.to_owned(), "attendance")
        .set_detail(detail)
        .set_hint(hint)
        .report(PgLogLevel::ERROR);
    unreachable!("an ERROR does not return")
}

/// The error code of a five-character SQLSTATE, as PostgreSQL packs it.
pub fn sqlstate(code: &str) -> PgSqlErrorCode {
    let packed = code
        .bytes()
        .take(5)
        .enumerate()
        .fold(0i32, |acc, (i, c)| acc + ((((c as i32) - ('0' as i32)) & 0x3F) << (6 * i)));
    PgSqlErrorCode::from(packed)
}

/// Raises a core scope error with its SQLSTATE.
pub fn scope(e: ScopeError) -> ! {
    raise(sqlstate(e.sqlstate()), &e.to_string())
}

/// Raises a rule error (validation or evaluation input) with its SQLSTATE.
pub fn rule(e: RuleError) -> ! {
    raise(sqlstate(e.sqlstate()), &e.to_string())
}

/// SPI failures are internal errors: the adapter's own queries failed.
pub fn spi(e: SpiError) -> ! {
    raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, &format!("attendance: internal query failed: {e}"))
}

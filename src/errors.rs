//! The one place where core errors become PostgreSQL errors with a SQLSTATE.

use attendance_scope::ScopeError;
use pgrx::prelude::*;
use pgrx::spi::SpiError;

/// Raises an ERROR with the given SQLSTATE; never returns.
pub fn raise(code: PgSqlErrorCode, message: &str) -> ! {
    let message = message.to_owned();
    ereport!(ERROR, code, message);
}

/// Raises a core scope error with its SQLSTATE.
pub fn scope(e: ScopeError) -> ! {
    let code = match e.sqlstate() {
        "22000" => PgSqlErrorCode::ERRCODE_DATA_EXCEPTION,
        "22P02" => PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION,
        _ => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
    };
    raise(code, &e.to_string())
}

/// SPI failures are internal errors: the adapter's own queries failed.
pub fn spi(e: SpiError) -> ! {
    raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, &format!("attendance: internal query failed: {e}"))
}

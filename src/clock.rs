//! The extension's "now" and "today" (SPEC.md D): never something a login
//! can move. Today is the date of now in the server's own zone
//! (`log_timezone`, which only the server's configuration sets), not in the
//! session's TimeZone. Tests and replays move "now" with the superuser-only
//! setting `attendance.clock`; an ordinary login can neither set it nor leave
//! a value behind for it (a placeholder it set before this library loaded is
//! dropped with a warning when the setting is defined here as SUSET).

use std::ffi::CString;

use chrono::{DateTime, Utc};
use pgrx::datum::{Date, TimestampWithTimeZone};
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::prelude::*;
use pgrx::spi::SpiClient;

static CLOCK: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(None);

/// Defines the clock setting, and keeps Rust backtraces out of error
/// messages: a server started with RUST_BACKTRACE set would otherwise send
/// build paths and call stacks to any client whose call raised an error.
#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    // SAFETY: a backend is single-threaded; nothing reads the environment concurrently.
    unsafe {
        std::env::remove_var("RUST_BACKTRACE");
        std::env::remove_var("RUST_LIB_BACKTRACE");
    }
    GucRegistry::define_string_guc(
        c"attendance.clock",
        c"The instant the extension treats as now (tests and replays); empty: the real time.",
        c"A timestamptz with an explicit offset. Only superusers set it, so no login can move today.",
        &CLOCK,
        GucContext::Suset,
        GucFlags::default(),
    );
    crate::scan::init();
}

/// The clock setting's text, or NULL for the real time. Calling it loads
/// this library, so the setting is defined (superuser-only) before it is read.
#[pg_extern(stable, parallel_safe, name = "_att_clock")]
fn att_clock() -> Option<String> {
    CLOCK.get().and_then(|c| c.to_str().ok().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned))
}

// Every name qualified: invoker functions run it with the asker's search_path.
const TODAY: &str = "SELECT (coalesce($1::pg_catalog.timestamptz, pg_catalog.now())
  AT TIME ZONE pg_catalog.current_setting('log_timezone'))::pg_catalog.date";

/// Today for the extension's own checks, read by the Rust entry points. Works
/// whatever version of the SQL objects is installed (no SQL function needed).
pub fn today(client: &SpiClient<'_>) -> Option<Date> {
    let mut today = None;
    crate::plans::each_row(client, TODAY, &[PgBuiltInOids::TEXTOID], &[att_clock().into()], |row| {
        today = row.get::<Date>(1).ok().flatten();
    });
    today
}

/// Now for evaluation: the clock setting, or the transaction's start. One
/// query only when the clock is set (its text is cast by PostgreSQL).
pub fn now(client: &SpiClient<'_>) -> DateTime<Utc> {
    let at = match att_clock() {
        Some(text) => {
            let mut at = None;
            crate::plans::each_row(
                client,
                "SELECT $1::timestamptz",
                &[PgBuiltInOids::TEXTOID],
                &[text.into()],
                |row| at = row.get::<TimestampWithTimeZone>(1).ok().flatten(),
            );
            at
        }
        // SAFETY: reads the current transaction's start time.
        None => TimestampWithTimeZone::try_from(unsafe { pg_sys::GetCurrentTransactionStartTimestamp() }).ok(),
    };
    at.and_then(crate::load::from_pg_ts).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// An instant as PostgreSQL's timestamptz value (microseconds since 2000).
pub fn micros(at: DateTime<Utc>) -> i64 {
    use pgrx::IntoDatum;
    crate::load::to_pg_ts(at).into_datum().map_or(i64::MAX, |d| d.value() as i64)
}

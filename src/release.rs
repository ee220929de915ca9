//! Which release's SQL is installed. A new library can run under an older
//! release's SQL until `ALTER EXTENSION attendance UPDATE` has run; its
//! queries then read what that release has (the undated tree in `org.path`,
//! excuses without leave types) rather than fail on a table or column that
//! is not there yet. Release 0.4.0 added `org_tree` (sql/tree.sql).

use pgrx::pg_sys;
use pgrx::spi::SpiClient;

/// Is the installed SQL release 0.4.0 or later? A catalog lookup (every
/// batch and punch asks).
pub fn is_current(_client: &SpiClient<'_>) -> bool {
    // SAFETY: catalog lookups by name; missing ones give InvalidOid.
    unsafe {
        let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
        schema != pg_sys::InvalidOid && pg_sys::get_relname_relid(c"org_tree".as_ptr(), schema) != pg_sys::InvalidOid
    }
}

/// The query for the installed release: `current` from 0.4.0 on, `older` before.
pub fn pick(client: &SpiClient<'_>, current: &'static str, older: &'static str) -> &'static str {
    if is_current(client) {
        current
    } else {
        older
    }
}

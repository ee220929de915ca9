//! Which release's SQL is installed. A new library can run under an older
//! release's SQL until `ALTER EXTENSION attendance UPDATE` has run; its
//! queries then read what that release has (the undated tree in `org.path`,
//! excuses without leave types) rather than fail on a table or column that
//! is not there yet. Release 0.4.0 added `org_tree` (sql/tree.sql).

use pgrx::spi::SpiClient;

use crate::plans::each_row;

const HAS_ORG_TREE: &str = "SELECT to_regclass('attendance.org_tree') IS NOT NULL";

/// Is the installed SQL release 0.4.0 or later?
pub fn is_current(client: &SpiClient<'_>) -> bool {
    let mut current = false;
    each_row(client, HAS_ORG_TREE, &[], &[], |row| current = row.get::<bool>(1).ok().flatten().unwrap_or(false));
    current
}

/// The query for the installed release: `current` from 0.4.0 on, `older` before.
pub fn pick(client: &SpiClient<'_>, current: &'static str, older: &'static str) -> &'static str {
    if is_current(client) {
        current
    } else {
        older
    }
}

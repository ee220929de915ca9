//! Which release's SQL is installed. A new library can run under an older
//! release's SQL until `ALTER EXTENSION attendance UPDATE` has run; its
//! queries then read what that release has (the undated tree in `org.path`,
//! excuses without leave types) rather than fail on a table or column that
//! is not there yet. Release 0.4.0 added `org_tree` (sql/tree.sql).

use std::ffi::CStr;

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

/// The oid of the extension's type `name`, if it is there: a lookup in the
/// catalog cache (`to_regtype` parses its text argument every time).
pub fn type_oid(name: &CStr) -> Option<pg_sys::Oid> {
    // SAFETY: catalog cache lookups by name; a missing entry gives InvalidOid.
    unsafe {
        let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
        if schema == pg_sys::InvalidOid {
            return None;
        }
        let oid = pg_sys::GetSysCacheOid(
            pg_sys::SysCacheIdentifier::TYPENAMENSP as i32,
            pg_sys::Anum_pg_type_oid as pg_sys::AttrNumber,
            pg_sys::Datum::from(name.as_ptr()),
            pg_sys::Datum::from(schema),
            pg_sys::Datum::from(0usize),
            pg_sys::Datum::from(0usize),
        );
        (oid != pg_sys::InvalidOid).then_some(oid)
    }
}

/// Is the extension's function `name(args)` there (a release's SQL that
/// has it)? A lookup in the catalog cache, cheap enough for every punch.
pub fn has_function(name: &CStr, args: &[pg_sys::Oid]) -> bool {
    // SAFETY: catalog cache lookups; the argument vector lives in the
    // current memory context for the lookup's duration.
    unsafe {
        let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
        if schema == pg_sys::InvalidOid {
            return false;
        }
        let vector = pg_sys::buildoidvector(args.as_ptr(), args.len() as i32);
        pg_sys::SearchSysCacheExists(
            pg_sys::SysCacheIdentifier::PROCNAMEARGSNSP as i32,
            pg_sys::Datum::from(name.as_ptr()),
            pg_sys::Datum::from(vector),
            pg_sys::Datum::from(schema),
            pg_sys::Datum::from(0usize),
        )
    }
}

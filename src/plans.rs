//! Prepared SPI plans kept for the backend's life: a per-row call like
//! `att_can_access` must not re-parse and re-plan its queries every time.
//!
//! Every read runs read-only ([`each_row`]): it sees the calling
//! statement's snapshot, as a STABLE function's reads must, and so it can
//! run inside a parallel query. A read-write SPI call starts a new command,
//! which PostgreSQL refuses during a parallel operation once the transaction
//! has written: a refresh's batches run in parallel after its locks, and a
//! login's CREATE TABLE AS over a scoped table computes its scope in a
//! parallel plan (pgrx's own `select` runs read-write in such a transaction).

use std::cell::RefCell;
use std::collections::HashMap;

use pgrx::datum::DatumWithOid;
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::spi::{SpiClient, SpiHeapTupleData};

use crate::errors;

thread_local! {
    // A backend is single-threaded; the map only grows by the fixed set of
    // queries. Plans run read-only, kept by SPI_keepplan (see `read_plan`).
    static READ_PLANS: RefCell<HashMap<&'static str, ReadPlan>> = RefCell::new(HashMap::new());
}

/// A kept generic plan and the size, in blocks, of each table it reads when
/// it was made.
struct ReadPlan {
    plan: usize,
    tables: Vec<(pg_sys::Oid, u32)>,
}

/// The extension's tables a query names (`attendance.<table>`).
fn tables_named(sql: &str) -> Vec<pg_sys::Oid> {
    // SAFETY: catalog lookups by name; missing ones give InvalidOid.
    let schema = unsafe { pg_sys::get_namespace_oid(c"attendance".as_ptr(), true) };
    let mut oids = Vec::new();
    for (i, _) in sql.match_indices("attendance.") {
        let name: String =
            sql[i + "attendance.".len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let name = std::ffi::CString::new(name).expect("an identifier");
        let oid = unsafe { pg_sys::get_relname_relid(name.as_ptr(), schema) };
        if oid != pg_sys::InvalidOid && !oids.contains(&oid) {
            oids.push(oid);
        }
    }
    oids
}

/// The table's size now, in blocks.
fn blocks(table: pg_sys::Oid) -> u32 {
    // SAFETY: the table exists (looked up by name); the lock taken is the
    // one the query takes anyway, and is kept until the transaction ends.
    unsafe {
        let rel = pg_sys::relation_open(table, pg_sys::AccessShareLock as pg_sys::LOCKMODE);
        let n = pg_sys::RelationGetNumberOfBlocksInFork(rel, pg_sys::ForkNumber::MAIN_FORKNUM);
        pg_sys::relation_close(rel, pg_sys::NoLock as pg_sys::LOCKMODE);
        n
    }
}

/// Has a table grown or shrunk past twice the size the plan was made for
/// (with 16 blocks of slack)? A plan made while day_record was empty joins
/// it by a hash over a scan, and would keep doing so once it holds millions
/// of days; ANALYZE, which makes PostgreSQL plan again, comes too late
/// inside a long first load.
fn outgrown(tables: &[(pg_sys::Oid, u32)]) -> bool {
    tables.iter().any(|&(table, then)| {
        let now = blocks(table);
        now > then.saturating_mul(2) + 16 || then > now.saturating_mul(2) + 16
    })
}

/// The kept plan of `sql`, prepared on first use and again when a
/// table it reads has outgrown it.
fn read_plan(sql: &'static str, types: &[pg_sys::Oid]) -> *mut pg_sys::_SPI_plan {
    let kept = READ_PLANS.with(|plans| plans.borrow().get(sql).map(|p| (p.plan, p.tables.clone())));
    if let Some((plan, tables)) = kept {
        if !outgrown(&tables) {
            return plan as *mut pg_sys::_SPI_plan;
        }
        // SAFETY: the plan was kept by SPI_keepplan and is no longer in use.
        unsafe { pg_sys::SPI_freeplan(plan as *mut pg_sys::_SPI_plan) };
    }
    let tables: Vec<(pg_sys::Oid, u32)> = tables_named(sql).into_iter().map(|t| (t, blocks(t))).collect();
    let text = std::ffi::CString::new(sql).expect("queries are static text");
    let mut oids: Vec<pg_sys::Oid> = types.to_vec();
    // SAFETY: called inside an SPI connection (the caller holds a client);
    // a failure to prepare raises a PostgreSQL error, caught by pgrx.
    let plan = unsafe {
        // Generic plans: the queries are written for any batch (ids joined
        // from unnest, probes per id), and planning them anew for every
        // batch or punch cost more than running them. Not on Citus, which
        // routes a query to its shards by the parameters' values.
        let options = if crate::citus::present() { 0 } else { pg_sys::CURSOR_OPT_GENERIC_PLAN as i32 };
        let plan = pg_sys::SPI_prepare_cursor(text.as_ptr(), oids.len() as i32, oids.as_mut_ptr(), options);
        if plan.is_null() || pg_sys::SPI_keepplan(plan) != 0 {
            failed(pg_sys::SPI_result);
        }
        plan
    };
    READ_PLANS.with(|plans| plans.borrow_mut().insert(sql, ReadPlan { plan: plan as usize, tables }));
    plan
}

/// Runs `f` with sequential scans off, as a function's `SET enable_seqscan
/// = off` would: the loader's queries probe small tables (orgs, the tree,
/// rule versions) by key, and a generic plan scanned such a table whole
/// because it holds a few pages, about 15-25 us a query where the probe
/// costs 2-4 (a punch's refresh makes a dozen of these reads). A table
/// without an index to probe is still scanned. The setting is taken back
/// when `f` returns; an error in `f` takes it back with its transaction or
/// subtransaction, as PostgreSQL does for a function's SET clause.
pub fn probing<R>(f: impl FnOnce() -> R) -> R {
    // SAFETY: GUC calls of the backend, nested as fmgr nests a SET clause.
    let level = unsafe {
        let level = pg_sys::NewGUCNestLevel();
        pg_sys::set_config_option(
            c"enable_seqscan".as_ptr(),
            c"off".as_ptr(),
            pg_sys::GucContext::PGC_USERSET,
            pg_sys::GucSource::PGC_S_SESSION,
            pg_sys::GucAction::GUC_ACTION_SAVE,
            true,
            0,
            false,
        );
        level
    };
    let out = f();
    // SAFETY: the nest level opened above, closed once.
    unsafe { pg_sys::AtEOXact_GUC(true, level) };
    out
}

/// Runs the kept plan of `sql` read-only and hands every row to `f`.
pub fn each_row(
    _client: &SpiClient<'_>,
    sql: &'static str,
    types: &[PgBuiltInOids],
    args: &[DatumWithOid<'_>],
    mut f: impl FnMut(&SpiHeapTupleData<'_>),
) {
    each_tuple(sql, types, args, |desc, tuple| {
        // SAFETY: the tuple and its descriptor come from SPI_tuptable.
        if let Some(row) = unsafe { SpiHeapTupleData::new(desc, tuple) }.unwrap_or_else(|e| errors::spi(e)) {
            f(&row);
        }
    });
}

/// Runs the kept plan of `sql` read-only and hands every result tuple to
/// `f` with the result's descriptor (for callers that deform tuples
/// themselves). The tuples live until the SPI connection ends.
pub fn each_tuple(
    sql: &'static str,
    types: &[PgBuiltInOids],
    args: &[DatumWithOid<'_>],
    f: impl FnMut(pg_sys::TupleDesc, pg_sys::HeapTuple),
) {
    run(sql, &oids(types), args, true, f)
}

/// The same, run read-write: for statements that lock rows or write.
pub fn each_tuple_writing(
    sql: &'static str,
    types: &[PgBuiltInOids],
    args: &[DatumWithOid<'_>],
    f: impl FnMut(pg_sys::TupleDesc, pg_sys::HeapTuple),
) {
    run(sql, &oids(types), args, false, f)
}

/// The same, with parameters of types that are not built in (the
/// extension's own, looked up by the caller).
pub fn each_tuple_writing_typed(
    sql: &'static str,
    types: &[pg_sys::Oid],
    args: &[DatumWithOid<'_>],
    f: impl FnMut(pg_sys::TupleDesc, pg_sys::HeapTuple),
) {
    run(sql, types, args, false, f)
}

fn oids(types: &[PgBuiltInOids]) -> Vec<pg_sys::Oid> {
    types.iter().map(|t| t.value()).collect()
}

fn run(
    sql: &'static str,
    types: &[pg_sys::Oid],
    args: &[DatumWithOid<'_>],
    read_only: bool,
    mut f: impl FnMut(pg_sys::TupleDesc, pg_sys::HeapTuple),
) {
    let plan = read_plan(sql, types);
    let (mut datums, mut nulls): (Vec<pg_sys::Datum>, Vec<std::os::raw::c_char>) = args
        .iter()
        .map(|a| match a.datum() {
            Some(d) => (d.sans_lifetime(), b' ' as std::os::raw::c_char),
            None => (pg_sys::Datum::from(0usize), b'n' as std::os::raw::c_char),
        })
        .unzip();
    // SAFETY: the plan is kept, the arguments match its types, and the
    // result is read from SPI_tuptable right after the call.
    unsafe {
        pg_sys::SPI_tuptable = std::ptr::null_mut();
        let status = pg_sys::SPI_execute_plan(plan, datums.as_mut_ptr(), nulls.as_mut_ptr(), read_only, 0);
        if status != pg_sys::SPI_OK_SELECT as i32 {
            failed(status);
        }
        let result = pg_sys::SPI_tuptable;
        if result.is_null() {
            return;
        }
        let n = pg_sys::SPI_processed as usize;
        for &tuple in std::slice::from_raw_parts((*result).vals, n) {
            f((*result).tupdesc, tuple);
        }
    }
}

/// Column `n` (from 1) of an SPI result tuple, or None for NULL.
pub unsafe fn column(desc: pg_sys::TupleDesc, tuple: pg_sys::HeapTuple, n: i32) -> Option<pg_sys::Datum> {
    let mut null = false;
    let value = pg_sys::SPI_getbinval(tuple, desc, n, &mut null);
    (!null).then_some(value)
}

fn failed(status: i32) -> ! {
    errors::raise(
        PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        &format!("attendance: internal query failed (SPI status {status})"),
    )
}

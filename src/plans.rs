//! Prepared SPI plans kept for the backend's life: a per-row call like
//! `att_can_access` must not re-parse and re-plan its queries every time.
//!
//! The evaluation's reads run read-only ([`each_row`]): they see the calling
//! statement's snapshot, as a STABLE function's reads must, and so they can
//! run inside a parallel query. A read-write SPI call starts a new command,
//! which PostgreSQL refuses during a parallel operation once the transaction
//! has written (a refresh's batches run in parallel after its locks).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use pgrx::datum::DatumWithOid;
use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::spi::{OwnedPreparedStatement, SpiClient, SpiHeapTupleData};

use crate::errors;

thread_local! {
    // A backend is single-threaded; the map only grows by the fixed set of queries.
    static PLANS: RefCell<HashMap<&'static str, Rc<OwnedPreparedStatement>>> = RefCell::new(HashMap::new());
    // Plans run read-only, kept by SPI_keepplan for the backend's life.
    static READ_PLANS: RefCell<HashMap<&'static str, usize>> = RefCell::new(HashMap::new());
}

/// Runs `f` with the kept plan of `sql`, preparing it on first use. The map
/// is not borrowed while `f` runs: a query may call back into the extension
/// (att_can_view's query runs `_att_view_scope`), which uses its own plans.
pub fn with_plan<R>(
    client: &SpiClient<'_>,
    sql: &'static str,
    types: &[PgBuiltInOids],
    f: impl FnOnce(&OwnedPreparedStatement) -> R,
) -> R {
    let plan = PLANS.with(|plans| plans.borrow().get(sql).cloned());
    let plan = plan.unwrap_or_else(|| {
        let oids: Vec<PgOid> = types.iter().map(|t| PgOid::BuiltIn(*t)).collect();
        let plan = Rc::new(client.prepare(sql, &oids).unwrap_or_else(|e| errors::spi(e)).keep());
        PLANS.with(|plans| plans.borrow_mut().insert(sql, plan.clone()));
        plan
    });
    f(&plan)
}

/// The kept read-only plan of `sql`, prepared on first use.
fn read_plan(sql: &'static str, types: &[PgBuiltInOids]) -> *mut pg_sys::_SPI_plan {
    if let Some(plan) = READ_PLANS.with(|plans| plans.borrow().get(sql).copied()) {
        return plan as *mut pg_sys::_SPI_plan;
    }
    let text = std::ffi::CString::new(sql).expect("queries are static text");
    let mut oids: Vec<pg_sys::Oid> = types.iter().map(|t| t.value()).collect();
    // SAFETY: called inside an SPI connection (the caller holds a client);
    // a failure to prepare raises a PostgreSQL error, caught by pgrx.
    let plan = unsafe {
        // Generic plans, planned once: the queries are written for any
        // batch (ids joined from unnest, probes per id), and planning them
        // anew for every batch or punch cost more than running them.
        let plan = pg_sys::SPI_prepare_cursor(
            text.as_ptr(),
            oids.len() as i32,
            oids.as_mut_ptr(),
            pg_sys::CURSOR_OPT_GENERIC_PLAN as i32,
        );
        if plan.is_null() || pg_sys::SPI_keepplan(plan) != 0 {
            failed(pg_sys::SPI_result);
        }
        plan
    };
    READ_PLANS.with(|plans| plans.borrow_mut().insert(sql, plan as usize));
    plan
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
        let status = pg_sys::SPI_execute_plan(plan, datums.as_mut_ptr(), nulls.as_mut_ptr(), true, 0);
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

fn failed(status: i32) -> ! {
    errors::raise(
        PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        &format!("attendance: internal query failed (SPI status {status})"),
    )
}

//! What the planner assumes a scope policy keeps of a table's rows: all of
//! them. A policy's row check (`_att_scope_allows`, `att_can_view`) is a
//! function call, which the planner otherwise takes to keep a third of the
//! rows. Under statistics that were not current (a month just loaded,
//! before autovacuum analyzed it), that third made a scoped read's estimate
//! small enough for a nested loop, where the same read unscoped kept its
//! hash join: the hr's month took 2.2-2.4 times the unscoped one. The
//! readers a policy serves in bulk are BI logins whose scope is most of
//! what they read (an hr, an admin of a company); a narrow scope reads the
//! same rows and keeps few, and an estimate too high costs it a hash where
//! a loop would do. The value is unknown when a plan is made (the scope is
//! computed per query, and plans are kept across logins), so no estimate
//! from it could hold.

use pgrx::pg_sys;
use pgrx::prelude::*;

finfo_v1!(pg_finfo_att_scope_support);

/// The planner support function of the scope checks: a restriction or join
/// selectivity of 1 (every row kept); no answer to any other request.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_scope_support(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let request =
        pgrx::fcinfo::pg_getarg_datum(fcinfo, 0).map_or(std::ptr::null_mut(), |d| d.cast_mut_ptr::<pg_sys::Node>());
    if request.is_null() || (*request).type_ != pg_sys::NodeTag::T_SupportRequestSelectivity {
        return pg_sys::Datum::from(0usize);
    }
    let selectivity = request.cast::<pg_sys::SupportRequestSelectivity>();
    (*selectivity).selectivity = 1.0;
    pg_sys::Datum::from(request)
}

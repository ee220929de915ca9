//! Statement triggers in C over transition tables: the trigger's data, and
//! the rows of a transition table read in Rust. Written for the triggers
//! that run after every upsert of a punch's refresh, most of which touch
//! nothing: an empty table is seen from its count, without a query.

use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::errors;

/// The call's trigger data; an error when the function was not called as a trigger.
pub unsafe fn trigger_data(fcinfo: pg_sys::FunctionCallInfo, name: &str) -> *mut pg_sys::TriggerData {
    let data = (*fcinfo).context as *mut pg_sys::TriggerData;
    if data.is_null() || (*data).type_ != pg_sys::NodeTag::T_TriggerData {
        errors::raise(PgSqlErrorCode::ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED, &format!("{name} is a trigger"));
    }
    data
}

/// Does the transition table hold no row (or not exist)?
pub unsafe fn empty(store: *mut pg_sys::Tuplestorestate) -> bool {
    store.is_null() || pg_sys::tuplestore_tuple_count(store) == 0
}

/// The column numbers of `names` in the trigger's table.
pub unsafe fn columns<const N: usize>(data: *mut pg_sys::TriggerData, names: [&std::ffi::CStr; N]) -> [i32; N] {
    columns_but(data, names, &[])
}

/// `columns`, where the names in `optional` may be missing (a column a
/// release added, read by this library under the previous release's SQL
/// until ALTER EXTENSION UPDATE): 0 for those, whose values read as NULL.
pub unsafe fn columns_but<const N: usize>(
    data: *mut pg_sys::TriggerData,
    names: [&std::ffi::CStr; N],
    optional: &[&std::ffi::CStr],
) -> [i32; N] {
    let desc = (*(*data).tg_relation).rd_att;
    names.map(|name| {
        let n = pg_sys::SPI_fnumber(desc, name.as_ptr());
        if n <= 0 {
            if optional.contains(&name) {
                return 0;
            }
            errors::raise(PgSqlErrorCode::ERRCODE_UNDEFINED_COLUMN, &format!("column {name:?} is missing"));
        }
        n
    })
}

/// Hands the values of `columns` of every row of a transition table to `f`
/// (None for NULL). Read through a pointer of its own, as a scan of the
/// table in a query reads it, so other triggers reading the same rows are
/// not disturbed.
pub unsafe fn each_row<const N: usize>(
    data: *mut pg_sys::TriggerData,
    store: *mut pg_sys::Tuplestorestate,
    columns: [i32; N],
    mut f: impl FnMut([Option<pg_sys::Datum>; N]),
) {
    if empty(store) {
        return;
    }
    let desc = (*(*data).tg_relation).rd_att;
    let slot = pg_sys::MakeSingleTupleTableSlot(desc, &raw const pg_sys::TTSOpsMinimalTuple);
    let last = columns.iter().copied().max().unwrap_or(0);
    let pointer = pg_sys::tuplestore_alloc_read_pointer(store, pg_sys::EXEC_FLAG_REWIND as i32);
    pg_sys::tuplestore_select_read_pointer(store, pointer);
    pg_sys::tuplestore_rescan(store);
    while pg_sys::tuplestore_gettupleslot(store, true, false, slot) {
        if i32::from((*slot).tts_nvalid) < last {
            pg_sys::slot_getsomeattrs_int(slot, last);
        }
        f(columns.map(|c| {
            let at = usize::try_from(c - 1).ok()?;
            (!*(*slot).tts_isnull.add(at)).then(|| *(*slot).tts_values.add(at))
        }));
    }
    pg_sys::tuplestore_select_read_pointer(store, 0);
    pg_sys::ExecDropSingleTupleTableSlot(slot);
}

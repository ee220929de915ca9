//! The employees of `day_record`, kept as a foreign key would keep them but
//! checked once per statement (sql/day_employees.sql). A statement deleting
//! employees must see every day stored by the time it has its row locks,
//! also under REPEATABLE READ, whose snapshot predates a refresh that
//! committed while the delete waited for it: so this check reads with the
//! latest snapshot, as PostgreSQL's own foreign keys do.

use std::ffi::{c_char, CStr};

use pgrx::pg_sys;
use pgrx::prelude::*;
use pgrx::IntoDatum;

use crate::errors;

const WITH_DAYS: &CStr = c"SELECT d.employee_id FROM attendance.day_record d WHERE d.employee_id = ANY ($1) LIMIT 1";

/// One of `employees` that has days in `day_record`, or NULL.
#[pg_extern(volatile, security_definer, name = "_att_employee_with_days")]
#[search_path(pg_catalog, pg_temp)]
fn employee_with_days(employees: Vec<Option<i64>>) -> Option<i64> {
    let ids: Vec<i64> = employees.into_iter().flatten().collect();
    if ids.is_empty() {
        return None;
    }
    Spi::connect(|_client| {
        // SAFETY: SPI is connected for the closure; the plan and the result
        // live in its memory until it returns, and the value read is by value.
        unsafe {
            pg_sys::CommandCounterIncrement();
            let mut types = [pg_sys::INT8ARRAYOID];
            let plan = pg_sys::SPI_prepare(WITH_DAYS.as_ptr(), 1, types.as_mut_ptr());
            if plan.is_null() {
                errors::raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, "could not prepare the check of stored days");
            }
            let mut values = [ids.into_datum().expect("an array is never NULL")];
            let nulls = [b' ' as c_char];
            let rc = pg_sys::SPI_execute_snapshot(
                plan,
                values.as_mut_ptr(),
                nulls.as_ptr(),
                pg_sys::GetLatestSnapshot(),
                std::ptr::null_mut(),
                false,
                false,
                1,
            );
            if rc != pg_sys::SPI_OK_SELECT as i32 {
                errors::raise(
                    PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
                    &format!("the check of stored days failed ({rc})"),
                );
            }
            if pg_sys::SPI_processed == 0 {
                return None;
            }
            let table = pg_sys::SPI_tuptable;
            let mut null = false;
            let value = pg_sys::SPI_getbinval(*(*table).vals, (*table).tupdesc, 1, &mut null);
            (!null).then(|| value.value() as i64)
        }
    })
}

#[no_mangle]
#[doc(hidden)]
pub extern "C" fn pg_finfo_att_day_employees_exist() -> &'static pg_sys::Pg_finfo_record {
    const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };
    &V1
}

/// Locks the employees FOR KEY SHARE, in id order, one probe of the primary
/// key each (OFFSET 0: no plan turns it into a scan), and counts them.
const HOLD: &str = "
SELECT count(*) FROM unnest($1::pg_catalog.int8[]) AS i(id)
 CROSS JOIN LATERAL (SELECT 1 FROM attendance.employee e WHERE e.employee_id OPERATOR(pg_catalog.=) i.id
                      OFFSET 0 FOR KEY SHARE) l";
const MISSING: &str = "
SELECT pg_catalog.min(i.id) FROM unnest($1::pg_catalog.int8[]) AS i(id)
 WHERE NOT EXISTS (SELECT 1 FROM attendance.employee e WHERE e.employee_id OPERATOR(pg_catalog.=) i.id)";

/// The trigger `_att_day_employees_exist` on `day_record`: the employees
/// of the days a statement inserted (or of a day moved to another employee)
/// exist, and stay locked until the writer ends, as a foreign key's check
/// leaves them; 23503 otherwise. In C rather than PL/pgSQL because it runs
/// after every upsert of a punch's refresh, which mostly inserts nothing:
/// an empty transition table is seen without a query.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_day_employees_exist(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let data = (*fcinfo).context as *mut pg_sys::TriggerData;
    if data.is_null() || (*data).type_ != pg_sys::NodeTag::T_TriggerData {
        errors::raise(
            PgSqlErrorCode::ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
            "_att_day_employees_exist is a trigger",
        );
    }
    let row_level = (*data).tg_event & pg_sys::TRIGGER_EVENT_ROW != 0;
    if !row_level && ((*data).tg_newtable.is_null() || pg_sys::tuplestore_tuple_count((*data).tg_newtable) == 0) {
        return pg_sys::Datum::from(0usize);
    }
    Spi::connect(|client| {
        if crate::citus::present()
            && client
                .select("SELECT attendance._att_distributed()", Some(1), &[])
                .and_then(|r| r.first().get_one::<bool>())
                .unwrap_or_else(|e| errors::spi(e))
                == Some(true)
        {
            // the foreign key att_distribute added checks there
            return;
        }
        let desc = (*(*data).tg_relation).rd_att;
        let column = pg_sys::SPI_fnumber(desc, c"employee_id".as_ptr());
        let mut ids: Vec<i64> = if row_level {
            let mut null = false;
            let id = pg_sys::SPI_getbinval((*data).tg_newtuple, desc, column, &mut null);
            if null {
                return;
            }
            vec![id.value() as i64]
        } else {
            transition_ids((*data).tg_newtable, desc, column)
        };
        ids.sort_unstable();
        ids.dedup();
        if held(&ids) != ids.len() as i64 {
            let missing = client
                .select(MISSING, Some(1), &[ids.clone().into()])
                .and_then(|r| r.first().get_one::<i64>())
                .unwrap_or_else(|e| errors::spi(e))
                .map_or_else(|| "?".to_owned(), |m| m.to_string());
            errors::raise(
                PgSqlErrorCode::ERRCODE_FOREIGN_KEY_VIOLATION,
                &format!("employee {missing} does not exist: day_record stores days of existing employees only"),
            );
        }
    });
    pg_sys::Datum::from(0usize)
}

/// The employee ids of a transition table, read through a pointer of our
/// own (as a scan of the table in a query would), so that other triggers
/// reading the same rows are not disturbed.
unsafe fn transition_ids(store: *mut pg_sys::Tuplestorestate, desc: pg_sys::TupleDesc, column: i32) -> Vec<i64> {
    let slot = pg_sys::MakeSingleTupleTableSlot(desc, &raw const pg_sys::TTSOpsMinimalTuple);
    let pointer = pg_sys::tuplestore_alloc_read_pointer(store, pg_sys::EXEC_FLAG_REWIND as i32);
    pg_sys::tuplestore_select_read_pointer(store, pointer);
    pg_sys::tuplestore_rescan(store);
    let mut ids = Vec::new();
    while pg_sys::tuplestore_gettupleslot(store, true, false, slot) {
        if i32::from((*slot).tts_nvalid) < column {
            pg_sys::slot_getsomeattrs_int(slot, column);
        }
        let at = (column - 1) as usize;
        if !*(*slot).tts_isnull.add(at) {
            ids.push((*(*slot).tts_values.add(at)).value() as i64);
        }
    }
    pg_sys::tuplestore_select_read_pointer(store, 0);
    pg_sys::ExecDropSingleTupleTableSlot(slot);
    ids
}

thread_local! {
    /// HOLD's plan, prepared once per session.
    static HOLD_PLAN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Locks `ids` (sorted) FOR KEY SHARE and counts those that exist. Run
/// read-write (a read-only execution takes no row locks) with a plan kept
/// for the session: a refresh that stores new days runs it once per batch.
unsafe fn held(ids: &[i64]) -> i64 {
    let mut plan = HOLD_PLAN.with(|p| p.get()) as pg_sys::SPIPlanPtr;
    if plan.is_null() {
        let text = std::ffi::CString::new(HOLD).expect("queries are static text");
        let mut types = [pg_sys::INT8ARRAYOID];
        plan = pg_sys::SPI_prepare(text.as_ptr(), 1, types.as_mut_ptr());
        if plan.is_null() || pg_sys::SPI_keepplan(plan) != 0 {
            errors::raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, "could not prepare the lock of employees");
        }
        HOLD_PLAN.with(|p| p.set(plan as usize));
    }
    let mut values = [ids.to_vec().into_datum().expect("an array is never NULL")];
    let nulls = [b' ' as c_char];
    let rc = pg_sys::SPI_execute_plan(plan, values.as_mut_ptr(), nulls.as_ptr(), false, 1);
    if rc != pg_sys::SPI_OK_SELECT as i32 || pg_sys::SPI_processed != 1 {
        errors::raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, &format!("the lock of employees failed ({rc})"));
    }
    let table = pg_sys::SPI_tuptable;
    let mut null = false;
    pg_sys::SPI_getbinval(*(*table).vals, (*table).tupdesc, 1, &mut null).value() as i64
}

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
                errors::raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, &format!("the check of stored days failed ({rc})"));
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

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
use crate::plans;
use crate::transition;

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
            plans::column((*table).tupdesc, *(*table).vals, 1).map(|d| d.value() as i64)
        }
    })
}

finfo_v1!(pg_finfo_att_day_employees_exist);

/// Locks the employees FOR KEY SHARE, in id order, one probe of the primary
/// key each (OFFSET 0: no plan turns it into a scan), and counts them. Every
/// name qualified: the trigger runs with its writer's search_path.
const HOLD: &str = "
SELECT pg_catalog.count(*) FROM pg_catalog.unnest($1::pg_catalog.int8[]) AS i(id)
 CROSS JOIN LATERAL (SELECT 1 FROM attendance.employee e WHERE e.employee_id OPERATOR(pg_catalog.=) i.id
                      OFFSET 0 FOR KEY SHARE) l";
const MISSING: &str = "
SELECT pg_catalog.min(i.id) FROM pg_catalog.unnest($1::pg_catalog.int8[]) AS i(id)
 WHERE NOT EXISTS (SELECT 1 FROM attendance.employee e WHERE e.employee_id OPERATOR(pg_catalog.=) i.id)";

/// The trigger `_att_day_employees_exist` on `day_record`: the employees
/// of the days a statement inserted (or of a day moved to another employee)
/// exist, and stay locked until the writer ends, as a foreign key's check
/// leaves them; 23503 otherwise. In C rather than PL/pgSQL because it runs
/// after every upsert of a punch's refresh, which mostly inserts nothing.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_day_employees_exist(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let data = transition::trigger_data(fcinfo, "_att_day_employees_exist");
    let row_level = (*data).tg_event & pg_sys::TRIGGER_EVENT_ROW != 0;
    if !row_level && transition::empty((*data).tg_newtable) {
        return pg_sys::Datum::from(0usize);
    }
    let [column] = transition::columns(data, [c"employee_id"]);
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
        let mut ids: Vec<i64> = Vec::new();
        if row_level {
            let mut null = false;
            let id = pg_sys::SPI_getbinval((*data).tg_newtuple, (*(*data).tg_relation).rd_att, column, &mut null);
            if !null {
                ids.push(id.value() as i64);
            }
        } else {
            transition::each_row(data, (*data).tg_newtable, [column], |[id]| ids.extend(id.map(|d| d.value() as i64)));
        }
        ids.sort_unstable();
        ids.dedup();
        let mut held = 0;
        plans::each_tuple_writing(HOLD, &[PgBuiltInOids::INT8ARRAYOID], &[ids.clone().into()], |desc, tuple| {
            held = plans::column(desc, tuple, 1).map_or(0, |d| d.value() as i64);
        });
        if held != ids.len() as i64 {
            let missing = client
                .select(MISSING, Some(1), &[ids.into()])
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

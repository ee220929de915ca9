//! The trigger that keeps `period_record` (sql/summary.sql): the periods
//! a statement on `day_record` touched, gathered from its transition tables
//! in C and handed to `_att_period_keep`, which writes their sums again. A
//! punch's refresh fires it twice (its upsert's insert and update), and
//! one of the two usually touched nothing: that costs no query.

use pgrx::datum::Date;
use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::plans;
use crate::transition;

finfo_v1!(pg_finfo_att_period_record_keep);

const KEEP: &str = "SELECT attendance._att_period_keep($1, $2)";

/// `period_record_keep()`: the (employee, period start) pairs of the rows
/// a statement inserted, updated (before and after: a day may move to
/// another period) or deleted, without repeats.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_period_record_keep(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let data = transition::trigger_data(fcinfo, "period_record_keep");
    let (new, old) = ((*data).tg_newtable, (*data).tg_oldtable);
    if transition::empty(new) && transition::empty(old) {
        return pg_sys::Datum::from(0usize);
    }
    let columns = transition::columns(data, [c"employee_id", c"period_start"]);
    let mut pairs: Vec<(i64, i32)> = Vec::new();
    for store in [new, old] {
        transition::each_row(data, store, columns, |[employee, period]| {
            if let (Some(e), Some(p)) = (employee, period) {
                pairs.push((e.value() as i64, p.value() as i32));
            }
        });
    }
    if pairs.is_empty() {
        return pg_sys::Datum::from(0usize);
    }
    pairs.sort_unstable();
    pairs.dedup();
    let employees: Vec<i64> = pairs.iter().map(|(e, _)| *e).collect();
    let periods: Vec<Date> = pairs.iter().map(|(_, p)| Date::from_pg_epoch_days(*p)).collect();
    Spi::connect(|_client| {
        plans::each_tuple_writing(
            KEEP,
            &[PgBuiltInOids::INT8ARRAYOID, PgBuiltInOids::DATEARRAYOID],
            &[employees.into(), periods.into()],
            |_, _| {},
        )
    });
    pg_sys::Datum::from(0usize)
}

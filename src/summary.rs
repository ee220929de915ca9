//! The trigger that keeps `period_record` (sql/summary.sql): the periods
//! a statement on `day_record` touched, gathered from its transition tables
//! in C and handed to `_att_period_keep`, which writes their sums again. A
//! punch's refresh fires it twice (its upsert's insert and update), and
//! one of the two usually touched nothing: that costs no query.

use pgrx::datum::Date;
use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::ids::IdMap;
use crate::period_sums::DAY_COLUMNS;
use crate::plans;
use crate::transition;

finfo_v1!(pg_finfo_att_period_record_keep);

const KEEP: &str = "SELECT attendance._att_period_keep($1, $2)";

/// The columns read from each transition row: the key's employee, the
/// period, then every column of a stored day the sums read, the day last
/// (`period_sums::DAY_COLUMNS`, the same list as `_att_period_rows`).
const READ: usize = 2 + DAY_COLUMNS.len();

/// The key of a transition row (employee, day) and its period start.
type Row = ((i64, i32), i32);

/// `period_record_keep()`: the (employee, period start) pairs of the rows
/// a statement inserted, updated (before and after: a day may move to
/// another period) or deleted, without repeats. A row updated without a
/// change to any column the sums read (a check-in on a day that stays
/// pending or absent, a changed place) leaves its period as it was: its
/// pair is not handed on, unless another row of the statement changed it.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_period_record_keep(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let data = transition::trigger_data(fcinfo, "period_record_keep");
    let (new, old) = ((*data).tg_newtable, (*data).tg_oldtable);
    if transition::empty(new) && transition::empty(old) {
        return pg_sys::Datum::from(0usize);
    }
    let mut names = [c"employee_id"; READ];
    names[1] = c"period_start";
    for (name, (column, _)) in names[2..].iter_mut().zip(DAY_COLUMNS) {
        *name = column;
    }
    let columns = transition::columns(data, names);
    let layout = layout(data, &columns);
    // the rows before, by key, with the image of what the sums read
    let mut before: IdMap<(i64, i32), (i32, Option<Vec<u8>>)> = IdMap::default();
    let mut pairs: Vec<(i64, i32)> = Vec::new();
    transition::each_row(data, old, columns, |values| {
        if let Some((key, period)) = row(&values) {
            before.insert(key, (period, image(&layout, &values)));
        }
    });
    transition::each_row(data, new, columns, |values| {
        let Some((key, period)) = row(&values) else { return };
        match before.remove(&key) {
            Some((_, Some(was))) if image(&layout, &values).as_ref() == Some(&was) => {}
            Some((old_period, _)) => pairs.extend([(key.0, old_period), (key.0, period)]),
            None => pairs.push((key.0, period)),
        }
    });
    pairs.extend(before.into_iter().map(|((employee, _), (period, _))| (employee, period)));
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

/// A transition row's key and period start (None for a row without them).
fn row(values: &[Option<pg_sys::Datum>; READ]) -> Option<Row> {
    let (employee, period, day) = (values[0]?, values[1]?, values[READ - 1]?);
    Some(((employee.value() as i64, day.value() as i32), period.value() as i32))
}

/// `attlen` and `attbyval` of each column read.
fn layout(data: *mut pg_sys::TriggerData, columns: &[i32; READ]) -> Vec<(i16, bool)> {
    // SAFETY: the trigger's relation and the column numbers found in it.
    unsafe {
        let desc = (*(*data).tg_relation).rd_att;
        let attrs = (*desc).attrs.as_slice((*desc).natts as usize);
        columns.iter().map(|&c| (attrs[(c - 1) as usize].attlen, attrs[(c - 1) as usize].attbyval)).collect()
    }
}

/// The bytes of the values the sums read: per column a null flag, then a
/// by-value datum's bytes, or a varlena's contents detoasted (equal values
/// of these types have equal images; unequal images only cost a re-sum).
/// None for a column of another kind: such a row is always re-summed.
fn image(layout: &[(i16, bool)], values: &[Option<pg_sys::Datum>; READ]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    for (value, &(len, by_value)) in values.iter().zip(layout).skip(1) {
        let Some(value) = value else {
            out.push(0);
            continue;
        };
        out.push(1);
        if by_value {
            out.extend_from_slice(&value.value().to_ne_bytes());
        } else if len == -1 {
            // SAFETY: a varlena value of the row being read.
            let bytes = unsafe { crate::varlena::contents(*value) };
            out.extend_from_slice(&bytes.len().to_ne_bytes());
            out.extend_from_slice(bytes);
        } else {
            return None;
        }
    }
    Some(out)
}

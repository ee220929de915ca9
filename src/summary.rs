//! The trigger that keeps `period_record` (sql/summary.sql): the periods
//! a statement on `day_record` touched, gathered from its transition tables
//! in C and handed to `_att_period_keep`, which writes their sums again. A
//! punch's refresh fires it twice (its upsert's insert and update), and
//! one of the two usually touched nothing: that costs no query. Days
//! updated in place (the same day, period, department and company: a
//! pending day judged once its shift is over, a punch's day) and days
//! added after their period's last stored day (a day stored in its first
//! hour) change their period by their difference, read back from the
//! stored period (period_sums.rs, `offer_changes`), not summed again from
//! its days.

use pgrx::datum::Date;
use pgrx::pg_sys;
use pgrx::prelude::*;

use crate::ids::IdMap;
use attendance_rules::summary::{DayTally, PeriodChange};

use crate::period_sums::{self, DAY_COLUMNS};
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

/// A row before the statement: its period start, the image of what the
/// sums read (`image`) and what it added to its period (`tally`).
type Before = (i32, Option<Vec<u8>>, Option<DayTally>);

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
    // a day's columns of 0.25.0 may be missing under an older release's SQL
    let columns = transition::columns_but(data, names, &[c"due_at", c"shown"]);
    let layout = layout(data, &columns);
    // the rows before, by key, with the image of what the sums read and
    // what they add to their period
    let mut before: IdMap<(i64, i32), Before> = IdMap::default();
    // periods summed again from their days, and those changed in place
    let mut pairs: Vec<(i64, i32)> = Vec::new();
    let mut changes: IdMap<(i64, i32), PeriodChange> = IdMap::default();
    // periods given more new days than a change holds: summed from their days
    let mut crowded: IdMap<(i64, i32), ()> = IdMap::default();
    // on Citus the stored periods are shards elsewhere: summed from their days
    let by_difference = !crate::citus::present();
    transition::each_row(data, old, columns, |values| {
        if let Some((key, period)) = row(&values) {
            let added = if by_difference { tally(&values, period) } else { None };
            before.insert(key, (period, image(&layout, &values), added));
        }
    });
    transition::each_row(data, new, columns, |values| {
        let Some((key, period)) = row(&values) else { return };
        match before.remove(&key) {
            Some((_, Some(was), _)) if image(&layout, &values).as_ref() == Some(&was) => {}
            Some((old_period, _, Some(was))) if old_period == period => {
                let in_place = tally(&values, period)
                    .is_some_and(|now| changes.entry((key.0, period)).or_default().replace(&was, &now));
                if !in_place {
                    pairs.push((key.0, period));
                }
            }
            Some((old_period, _, _)) => pairs.extend([(key.0, old_period), (key.0, period)]),
            // a new day: after the period's last, most often, kept by
            // difference too (period_sums.rs refuses any other)
            None => {
                let pair = (key.0, period);
                let added = by_difference
                    && !crowded.contains_key(&pair)
                    && tally(&values, period).is_some_and(|now| changes.entry(pair).or_default().add(&now));
                if !added {
                    // a bulk load's month: its change let go at once
                    if by_difference && changes.remove(&pair).is_some() {
                        crowded.insert(pair, ());
                    }
                    pairs.push(pair);
                }
            }
        }
    });
    pairs.extend(before.into_iter().map(|((employee, _), (period, _, _))| (employee, period)));
    pairs.sort_unstable();
    pairs.dedup();
    // a period summed again needs no change kept
    changes.retain(|pair, _| pairs.binary_search(pair).is_err());
    pairs.extend(changes.keys().copied());
    if pairs.is_empty() {
        return pg_sys::Datum::from(0usize);
    }
    pairs.sort_unstable();
    let employees: Vec<i64> = pairs.iter().map(|(e, _)| *e).collect();
    let periods: Vec<Date> = pairs.iter().map(|(_, p)| Date::from_pg_epoch_days(*p)).collect();
    let _offered = period_sums::offer_changes(changes);
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

/// What a transition row adds to its period (None for a row without a
/// day or period).
fn tally(values: &[Option<pg_sys::Datum>; READ], period: i32) -> Option<DayTally> {
    let day = values[READ - 1]?.value() as i32;
    let mut v = [pg_sys::Datum::from(0usize); READ - 3];
    let mut null = [true; READ - 3];
    for (i, value) in values[2..READ - 1].iter().enumerate() {
        if let Some(d) = value {
            v[i] = *d;
            null[i] = false;
        }
    }
    // SAFETY: the row's values of `DAY_COLUMNS`' types, read while it lives.
    Some(DayTally::of(&unsafe { period_sums::stored_day(day - period + 1, &v, &null) }))
}

/// `attlen` and `attbyval` of each column read.
fn layout(data: *mut pg_sys::TriggerData, columns: &[i32; READ]) -> Vec<(i16, bool)> {
    // SAFETY: the trigger's relation and the column numbers found in it.
    unsafe {
        let desc = (*(*data).tg_relation).rd_att;
        let attrs = (*desc).attrs.as_slice((*desc).natts as usize);
        columns
            .iter()
            .map(|&c| usize::try_from(c - 1).map_or((-1, false), |at| (attrs[at].attlen, attrs[at].attbyval)))
            .collect()
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

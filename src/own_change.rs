//! The days a statement itself changes (since 0.23.0). A refresh reaching
//! a closed day refuses the writer's change to it, but a closed day also
//! differs from a fresh judgement when another input changed after the
//! closing (a holiday declared, a leaving date entered, a rule version):
//! the day stays as it was closed, and that difference is no later
//! writer's. Until 0.23.0 it was laid at the door of every punch, leave
//! or schedule whose refresh reached the day, and all of them were
//! refused until the period was reopened. Here the employee's days are
//! judged twice from the same snapshot: as it is, and without the
//! statement's own writes (the snapshot's command id set back to the
//! statement's, so its rows are not seen and those it replaced or
//! removed are). What differs is the statement's change, and so is every
//! day its rows lie on (`Touch`, in the zone the day was stored in): a
//! write on a closed day is judged against the day as it stands, so that
//! no input changed first (a leaving date entered, then the check-out of
//! the closed day, then the date put back: found by an attack review)
//! hides the write's own change from the refusal on the day itself. A row
//! on a neighbouring date that the closed day's shift owns (a night
//! shift's check-out after midnight) counts where it changes the day as
//! the inputs of now judge it; an input changed first can hide that (a
//! second review), and the closed day then stays as it was closed: the
//! row counts when hr corrects that day or the period is reopened, as
//! every input changed while the period is closed does.

use std::collections::BTreeMap;

use attendance_rules::Touch;
use chrono::NaiveDate;
use pgrx::datum::Date;
use pgrx::prelude::*;
use pgrx::spi::SpiClient;

use crate::evaluate::{evaluate_employee, DayRow};
use crate::load::Batch;
use crate::{dates, plans};

/// The zones the employee's days were stored in.
const STORED_ZONES: &str = "
SELECT d.day, d.time_zone FROM attendance.day_record d
 WHERE d.employee_id OPERATOR(pg_catalog.=) $1
   AND d.day OPERATOR(pg_catalog.>=) $2 AND d.day OPERATOR(pg_catalog.<=) $3";

fn day_of(row: &DayRow) -> NaiveDate {
    match row {
        DayRow::Judged { result, .. } => result.date,
        DayRow::NoRule { day, .. } | DayRow::NotEmployed { day, .. } => *day,
    }
}

/// The employee's days from `first` to `last` (those that can see an
/// instant of UTC day `seen`, as the refresh judges them) judged under the
/// active snapshot.
fn judged(
    client: &SpiClient<'_>,
    employee: i64,
    first: NaiveDate,
    last: NaiveDate,
    seen: Option<NaiveDate>,
) -> BTreeMap<NaiveDate, DayRow> {
    let data = Batch::load_seeing(client, &[employee], first, last, seen);
    let mut rows = BTreeMap::new();
    for e in data.employees() {
        evaluate_employee(&data, &e, first, data.last, &mut |row| {
            rows.insert(day_of(&row), row);
        });
    }
    rows
}

/// `read` under the active snapshot as it was before the statement whose
/// command id is `statement`: concurrent commits and all, a row is seen
/// when its command came before, not when it is the statement's (or a
/// later one's in it: what the trigger wrote).
///
/// # Safety
/// An active snapshot must be set.
pub unsafe fn before_statement<T>(statement: pg_sys::CommandId, read: impl FnOnce() -> T) -> T {
    pg_sys::PushCopiedSnapshot(pg_sys::GetActiveSnapshot());
    (*pg_sys::GetActiveSnapshot()).curcid = statement;
    let out = read();
    pg_sys::PopActiveSnapshot();
    out
}

/// The days whose judgements differ between `a` and `b`, or that only one
/// of them has, in order.
pub fn differing<R: PartialEq>(a: &BTreeMap<NaiveDate, R>, b: &BTreeMap<NaiveDate, R>) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = a
        .iter()
        .filter(|(day, row)| b.get(day) != Some(row))
        .map(|(day, _)| *day)
        .chain(b.keys().filter(|day| !a.contains_key(day)).copied())
        .collect();
    days.sort_unstable();
    days
}

/// The zone each of the employee's days from `first` to `last` was stored
/// in (None: stored without one).
unsafe fn stored_zones(employee: i64, first: NaiveDate, last: NaiveDate) -> BTreeMap<NaiveDate, Option<String>> {
    let mut zones = BTreeMap::new();
    plans::each_tuple(
        STORED_ZONES,
        &[PgBuiltInOids::INT8OID, PgBuiltInOids::DATEOID, PgBuiltInOids::DATEOID],
        &[employee.into(), dates::to_pg(first).into(), dates::to_pg(last).into()],
        |desc, tuple| {
            // SAFETY: the tuple and its descriptor are the query's, read in the callback
            let column = |n| unsafe { plans::column(desc, tuple, n) };
            let day = column(1).and_then(|d| unsafe { Date::from_datum(d, false) }).and_then(dates::from_pg);
            let zone = column(2).and_then(|z| unsafe { String::from_datum(z, false) });
            if let Some(day) = day {
                zones.insert(day, zone);
            }
        },
    );
    zones
}

/// The days of `employee` from `first` to `last` whose judgement under the
/// active snapshot differs from the one without the writes of the
/// statement whose command id is `statement`, and those the statement's
/// rows `touches` lie on, in order.
///
/// # Safety
/// An active snapshot must be set, taken after the statement's writes.
pub unsafe fn days_changed(
    client: &SpiClient<'_>,
    employee: i64,
    first: NaiveDate,
    last: NaiveDate,
    seen: Option<NaiveDate>,
    statement: pg_sys::CommandId,
    touches: &[Touch],
) -> Vec<NaiveDate> {
    let with = judged(client, employee, first, last, seen);
    let without = before_statement(statement, || judged(client, employee, first, last, seen));
    let mut days = differing(&with, &without);
    if !touches.is_empty() {
        let stored = stored_zones(employee, first, last);
        for (day, row) in &with {
            let judged = match row {
                DayRow::Judged { zone, .. } => Some(*zone),
                _ => None,
            };
            let zone = stored.get(day).and_then(|z| z.as_deref()).or(judged);
            if touches.iter().any(|t| t.lies_on(*day, zone)) {
                days.push(*day);
            }
        }
    }
    days.sort_unstable();
    days.dedup();
    days
}

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
//! removed are). What differs is the statement's change.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pgrx::pg_sys;
use pgrx::spi::SpiClient;

use crate::evaluate::{evaluate_employee, DayRow};
use crate::load::Batch;

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

/// The days of `employee` from `first` to `last` whose judgement under the
/// active snapshot differs from the one without the writes of the
/// statement whose command id is `statement`, in order.
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
) -> Vec<NaiveDate> {
    let with = judged(client, employee, first, last, seen);
    // The same snapshot, concurrent commits and all, before the statement:
    // a row is seen when its command came before, not when it is the
    // statement's (or a later one's in it: what this trigger wrote).
    pg_sys::PushCopiedSnapshot(pg_sys::GetActiveSnapshot());
    (*pg_sys::GetActiveSnapshot()).curcid = statement;
    let without = judged(client, employee, first, last, seen);
    pg_sys::PopActiveSnapshot();
    let mut days: Vec<NaiveDate> = with
        .iter()
        .filter(|(day, row)| without.get(day) != Some(row))
        .map(|(day, _)| *day)
        .chain(without.keys().filter(|day| !with.contains_key(day)).copied())
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

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
//! hides the write's own change from the refusal. What a row lies on is
//! taken from what the day was stored with (its zone, and the time its
//! shift owns punches in: a night shift's check-out after midnight, found
//! by a second review), which no input changed later moves.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pgrx::pg_sys;
use pgrx::spi::SpiClient;

use attendance_rules::{owned, Touch};
use chrono::{DateTime, Utc};
use pgrx::datum::Date;
use pgrx::prelude::*;

use crate::evaluate::{evaluate_employee, DayRow};
use crate::load::Batch;
use crate::{dates, plans};

/// The zones and shifts the employee's days were stored with.
const STORED_ZONES: &str = "
SELECT d.day, d.time_zone, d.scheduled_start, d.scheduled_end FROM attendance.day_record d
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

/// What each of the employee's days from `first` to `last` was stored
/// with: its zone and the time its shift owns punches in (None: stored
/// without).
type Stored = (Option<String>, Option<(DateTime<Utc>, DateTime<Utc>)>);

unsafe fn stored_zones(employee: i64, first: NaiveDate, last: NaiveDate) -> BTreeMap<NaiveDate, Stored> {
    let mut zones = BTreeMap::new();
    plans::each_tuple(
        STORED_ZONES,
        &[PgBuiltInOids::INT8OID, PgBuiltInOids::DATEOID, PgBuiltInOids::DATEOID],
        &[employee.into(), dates::to_pg(first).into(), dates::to_pg(last).into()],
        |desc, tuple| {
            // SAFETY: the tuple and its descriptor are the query's, read in the callback
            let column = |n| unsafe { plans::column(desc, tuple, n) };
            let instant = |n| {
                column(n)
                    .and_then(|t| unsafe { TimestampWithTimeZone::from_datum(t, false) })
                    .and_then(crate::load::from_pg_ts)
            };
            let day = column(1).and_then(|d| unsafe { Date::from_datum(d, false) }).and_then(dates::from_pg);
            let zone = column(2).and_then(|z| unsafe { String::from_datum(z, false) });
            let shift = instant(3).zip(instant(4)).map(|(start, end)| owned(start, end));
            if let Some(day) = day {
                zones.insert(day, (zone, shift));
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
    if !touches.is_empty() {
        let stored = stored_zones(employee, first, last);
        for (day, row) in &with {
            let judged = match row {
                DayRow::Judged { zone, .. } => Some(*zone),
                _ => None,
            };
            let (zone, shift) = stored.get(day).map_or((None, None), |(z, s)| (z.as_deref(), *s));
            let zone = zone.or(judged);
            if touches.iter().any(|t| t.lies_on(*day, zone) || shift.is_some_and(|s| t.within(s))) {
                days.push(*day);
            }
        }
    }
    days.sort_unstable();
    days.dedup();
    days
}

//! What punches stored before their own time will change once it comes
//! (since 0.20.0). The refresh at their insert leaves them out, as
//! everything that has not happened yet, and a run leaves a closed day as
//! it was closed: so one that will change a closed day is refused at its
//! insert (`refresh_trigger.rs`). Release 0.19.0 refused any such punch
//! with a closed day among the UTC days around it, which refused a device
//! a second fast on the first days of a month just closed; here the days
//! it will change are found by judging them twice at its own time, with
//! and without the punches not yet made, so that time alone (a closed day
//! that was pending when closed) changes both alike.

use chrono::{DateTime, NaiveDate, Utc};
use pgrx::spi::SpiClient;

use attendance_rules::DayResult;

use crate::evaluate::{evaluate_employee, DayRow};
use crate::load::Batch;

/// What a day's row owes to its punches: the judged result and the places
/// of its check-in and check-out (a day without a rule or employment sees
/// none).
type Seen = (NaiveDate, Option<(DayResult, [Option<String>; 2])>);

fn seen(row: DayRow) -> Seen {
    match row {
        DayRow::Judged { result, places, .. } => (result.date, Some((result, places))),
        DayRow::NoRule { day, .. } | DayRow::NotEmployed { day, .. } => (day, None),
    }
}

/// The days of `employee` from `first` to `last` that can see an instant of
/// UTC day `seen_day` ([`Batch::load_seeing`]) whose judgement at `latest`,
/// the time of the last punch stored ahead, differs with the punches made
/// by then from the one with only those made by now: the days the punches
/// stored ahead will change, in order.
pub fn days_changed(
    client: &SpiClient<'_>,
    employee: i64,
    first: NaiveDate,
    last: NaiveDate,
    seen_day: NaiveDate,
    latest: DateTime<Utc>,
) -> Vec<NaiveDate> {
    let mut data = Batch::load_seeing(client, &[employee], first, last, Some(seen_day));
    let made_now = data.now;
    if latest <= made_now || data.employees.is_empty() {
        return Vec::new();
    }
    data.now = latest;
    let judged = |data: &Batch| {
        let mut rows = Vec::new();
        for e in data.employees() {
            evaluate_employee(data, &e, first, data.last, &mut |row| rows.push(seen(row)));
        }
        rows
    };
    data.punches_by = latest;
    let with = judged(&data);
    data.punches_by = made_now;
    let without = judged(&data);
    with.into_iter().zip(without).filter(|(a, b)| a != b).map(|(a, _)| a.0).collect()
}

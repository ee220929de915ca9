//! What punches stored before their own time will change once it comes
//! (since 0.20.0). The refresh at their insert leaves them out, as
//! everything that has not happened yet, and a run leaves a closed day as
//! it was closed: so one that will change a closed day is refused at its
//! insert (`refresh_trigger.rs`). Release 0.19.0 refused any such punch
//! with a closed day among the UTC days around it, which refused a device
//! a second fast on the first days of a month just closed; here the days
//! it will change are found by judging them twice once every punch stored
//! has happened, with the statement's punches and without them, so that
//! time alone (a closed day that was pending when closed) and punches
//! stored ahead before change both alike.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use pgrx::spi::SpiClient;

use attendance_rules::DayResult;

use crate::evaluate::{evaluate_employee, DayRow};
use crate::load::Batch;
use crate::own_change::{before_statement, differing};

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
/// UTC day `seen_day` ([`Batch::load_seeing`]) whose judgement differs
/// with the punches `added` by this statement (those stored ahead, in time
/// order or not) and without every punch at their instants, both judged
/// once every punch stored in reach has happened: the days they will
/// change, in order. Punches stored
/// ahead by earlier statements count in both judgements, so a change split
/// over two statements (a rest day's two punches, the later stored first)
/// is seen by the second, and what an earlier one changes is not laid at
/// this one's door.
pub fn days_changed(
    client: &SpiClient<'_>,
    employee: i64,
    first: NaiveDate,
    last: NaiveDate,
    seen_day: NaiveDate,
    added: &[DateTime<Utc>],
) -> Vec<NaiveDate> {
    let mut data = Batch::load_seeing(client, &[employee], first, last, Some(seen_day));
    let stored_last = data.rows.iter().filter_map(|r| r.punches.last()).map(|p| p.at).max();
    let Some(horizon) = added.iter().copied().chain(stored_last).max() else { return Vec::new() };
    if horizon <= data.now || data.employees.is_empty() {
        return Vec::new();
    }
    data.now = horizon;
    with_and_without(&mut data, first, added)
}

/// The same days judged as they show now, and then as [`days_changed`]
/// judges them, in order and once each (since 0.27.0): what a correction
/// at `at` changes, the punches at that instant being in. A stored day may
/// not have been judged since an input came (a check-out recorded after
/// its shift's end, stored at the next run), so only a judgement of both
/// sides tells a correction's change (an attack review of 0.26.0).
pub fn days_changed_now_or_later(
    client: &SpiClient<'_>,
    employee: i64,
    first: NaiveDate,
    last: NaiveDate,
    seen_day: NaiveDate,
    at: DateTime<Utc>,
) -> Vec<NaiveDate> {
    let mut data = Batch::load_seeing(client, &[employee], first, last, Some(seen_day));
    if data.employees.is_empty() {
        return Vec::new();
    }
    // one load for both judgements: the punches left out are put back
    let punches: Vec<_> = data.rows.iter().map(|r| r.punches.clone()).collect();
    let mut days = with_and_without(&mut data, first, &[at]);
    for (rows, kept) in data.rows.iter_mut().zip(punches) {
        rows.punches = kept;
    }
    let stored_last = data.rows.iter().filter_map(|r| r.punches.last()).map(|p| p.at).max();
    let horizon = stored_last.map_or(at, |t| t.max(at));
    if horizon > data.now {
        data.now = horizon;
        days.extend(with_and_without(&mut data, first, &[at]));
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// The days whose judgement at `data.now` differs with the punches at the
/// instants `added` and without them; `data` keeps them left out.
fn with_and_without(data: &mut Batch, first: NaiveDate, added: &[DateTime<Utc>]) -> Vec<NaiveDate> {
    let judged = |data: &Batch| {
        let mut rows = Vec::new();
        for e in data.employees() {
            evaluate_employee(data, &e, first, data.last, &mut |row| rows.push(seen(row)));
        }
        rows
    };
    let with = judged(data);
    // Every punch at an instant added is left out: which of two punches at
    // one instant is the statement's is not known here, and they may differ
    // in place only (until 0.21.0 the first stored was left out, so a punch
    // with a place beside an earlier one without was judged as that one and
    // taken; found by an attack review). A punch stored before at the same
    // instant is judged as if it were new too: refused with it where a
    // closed day changes, never taken for it.
    for rows in &mut data.rows {
        rows.punches.retain(|p| !added.contains(&p.at));
    }
    let without = judged(data);
    with.into_iter().zip(without).filter(|(a, b)| a != b).map(|(a, _)| a.0).collect()
}

/// The days of `employee` from `first` to `last` that can see an instant of
/// UTC day `seen_day` whose judgement differs, once every punch stored in
/// reach and every instant `added` has happened, between the active
/// snapshot and the same one before the statement whose command id is
/// `statement` (since 0.23.0). [`days_changed`] leaves out the punches at
/// the instants added, which shows nothing for a void of a punch stored
/// ahead (its row in punch_void is at the punch's instant, and the punch
/// is left out with the void and without it): a closing's check-out stored
/// ahead could be voided on the closed day, which still became what was
/// kept with it (found by an attack review).
///
/// # Safety
/// An active snapshot must be set, taken after the statement's writes.
pub unsafe fn days_changed_by_statement(
    client: &SpiClient<'_>,
    employee: i64,
    first: NaiveDate,
    last: NaiveDate,
    seen_day: NaiveDate,
    added: &[DateTime<Utc>],
    statement: pgrx::pg_sys::CommandId,
) -> Vec<NaiveDate> {
    let mut after = Batch::load_seeing(client, &[employee], first, last, Some(seen_day));
    let mut before =
        before_statement(statement, || Batch::load_seeing(client, &[employee], first, last, Some(seen_day)));
    let latest = |b: &Batch| b.rows.iter().filter_map(|r| r.punches.last()).map(|p| p.at).max();
    let Some(horizon) = added.iter().copied().chain(latest(&after)).chain(latest(&before)).max() else {
        return Vec::new();
    };
    if horizon <= after.now || (after.employees.is_empty() && before.employees.is_empty()) {
        return Vec::new();
    }
    after.now = horizon;
    before.now = horizon;
    let judged = |data: &Batch| {
        let mut rows = BTreeMap::new();
        for e in data.employees() {
            evaluate_employee(data, &e, first, data.last, &mut |row| {
                let (day, seen) = seen(row);
                rows.insert(day, seen);
            });
        }
        rows
    };
    differing(&judged(&after), &judged(&before))
}

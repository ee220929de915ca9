//! Evaluating a range of days for one employee.
//!
//! The punches are sorted once (if they are not already) and each day only
//! looks at the slice near it, found by cursors that move forward with the
//! days, so a year of days costs a year of small evaluations, not a year of
//! scans. The previous workday's
//! check-out, needed by leave-late-arrive-late, is carried from day to day;
//! for the first day of the range it is found by evaluating backwards.

use crate::calendar::{plan_day, HolidayCalendar, Schedule};
use crate::evaluate::{evaluate_sorted, DayInput};
use crate::leave_late::PreviousWorkday;
use crate::punch::{is_sorted, punch_order, Excuse, Punch};
use crate::result::DayResult;
use crate::rule::Rule;
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use std::borrow::Cow;

/// How far back the previous workday is looked for.
pub const PREVIOUS_WORKDAY_LOOKBACK_DAYS: u64 = 31;

/// One employee's data for a range of days.
#[derive(Debug, Clone, Copy)]
pub struct EmployeeDays<'a> {
    /// Public holidays and make-up workdays.
    pub calendar: &'a HolidayCalendar,
    /// The person's schedule (scheduled rules only).
    pub schedule: &'a Schedule,
    /// Punches, preferably sorted by time.
    pub punches: &'a [Punch],
    /// Leave, trips, outings and appeals.
    pub excuses: &'a [Excuse],
}

/// How many days before the first day of a range [`for_each_day`] reads
/// punches, excuses, schedules and calendar marks of: the day bounds' two,
/// and with leave-late-arrive-late the search for the previous workday too.
/// A caller loading rows for a range loads no further back than this.
pub fn days_read_before(rule: &Rule) -> u64 {
    if rule.flex.leave_late.is_some() {
        MOST_DAYS_READ_BEFORE
    } else {
        2
    }
}

/// The most [`days_read_before`] gives for any rule: how far after a punch
/// a day that can see it may lie ([`days_seeing`]).
pub const MOST_DAYS_READ_BEFORE: u64 = PREVIOUS_WORKDAY_LOOKBACK_DAYS + 2;

/// The first and last day whose evaluation can see a punch or an excuse at
/// an instant of UTC day `day`, for rules that read `before` days back
/// ([`days_read_before`], or the largest of several rules'): a day reads
/// the instants of `[its day - 2, its day + 4)` in UTC (`Prepared::day`),
/// and with leave-late-arrive-late the previous workday's too, up to
/// `before` days back. A refresh after a punch needs no other day.
pub fn days_seeing(before: u64, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.checked_sub_days(Days::new(3)).unwrap_or(NaiveDate::MIN);
    let last = day.checked_add_days(Days::new(before)).unwrap_or(NaiveDate::MAX);
    (first, last)
}

/// Bounds, in UTC, of every instant a day's evaluation may look at: shift
/// windows stay within a day and a half of the local day, and zones within
/// 26 hours of UTC. Excuses outside them are not passed on.
fn day_bounds(date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let lo =
        date.checked_sub_days(Days::new(2)).map_or(DateTime::<Utc>::MIN_UTC, |d| d.and_time(NaiveTime::MIN).and_utc());
    let hi =
        date.checked_add_days(Days::new(4)).map_or(DateTime::<Utc>::MAX_UTC, |d| d.and_time(NaiveTime::MIN).and_utc());
    (lo, hi)
}

struct Prepared<'a> {
    punches: Cow<'a, [Punch]>,
    excuses: Cow<'a, [Excuse]>,
    /// Reused per day so the loop does not allocate for excuses.
    buf: Vec<Excuse>,
    /// Unix seconds of each punch, for cheap cursor moves.
    stamps: Vec<i64>,
    /// Cursors into `punches` bounding the current day; days mostly move
    /// forward, so moving them is amortised constant time.
    lo: usize,
    hi: usize,
}

impl<'a> Prepared<'a> {
    fn new(data: &EmployeeDays<'a>) -> Self {
        let punches = if is_sorted(data.punches) {
            Cow::Borrowed(data.punches)
        } else {
            let mut v = data.punches.to_vec();
            v.sort_by(punch_order);
            Cow::Owned(v)
        };
        let excuses = if data.excuses.windows(2).all(|w| w[0].from <= w[1].from) {
            Cow::Borrowed(data.excuses)
        } else {
            let mut v = data.excuses.to_vec();
            v.sort_by_key(|e| (e.from, e.to));
            Cow::Owned(v)
        };
        let stamps = punches.iter().map(|p| p.at.timestamp()).collect();
        Prepared { punches, excuses, buf: Vec::new(), stamps, lo: 0, hi: 0 }
    }

    fn day<'s>(&'s mut self, date: NaiveDate, data: &EmployeeDays<'_>, prev: Option<PreviousWorkday>) -> DayInput<'s> {
        // Only punches near the day are passed: the evaluator's windows
        // stay within [day - 2, day + 4) in UTC (see `day_bounds`), and a
        // short slice makes its binary searches shorter.
        let unix_day = date.num_days_from_ce() as i64 - 719_163;
        let (lo, hi) = ((unix_day - 2) * 86_400, (unix_day + 4) * 86_400);
        let p = &self.stamps;
        while self.lo > 0 && p[self.lo - 1] >= lo {
            self.lo -= 1;
        }
        while self.lo < p.len() && p[self.lo] < lo {
            self.lo += 1;
        }
        self.hi = self.hi.max(self.lo);
        while self.hi > self.lo && p[self.hi - 1] >= hi {
            self.hi -= 1;
        }
        while self.hi < p.len() && p[self.hi] < hi {
            self.hi += 1;
        }
        let punches = &self.punches[self.lo..self.hi];
        self.buf.clear();
        if !self.excuses.is_empty() {
            let (lo, hi) = day_bounds(date);
            let end = self.excuses.partition_point(|e| e.from < hi);
            self.buf.extend(self.excuses[..end].iter().filter(|e| e.to > lo));
        }
        DayInput {
            date,
            mark: data.calendar.mark(date),
            schedule: data.schedule.entry(date),
            punches,
            excuses: &self.buf,
            previous_workday: prev,
        }
    }
}

/// The previous workday before `date` as leave-late-arrive-late sees it,
/// looking back at most [`PREVIOUS_WORKDAY_LOOKBACK_DAYS`].
pub fn previous_workday(rule: &Rule, date: NaiveDate, data: &EmployeeDays<'_>) -> Option<PreviousWorkday> {
    let mut prepared = Prepared::new(data);
    previous_in(rule, date, data, &mut prepared).map(|(_, p)| p)
}

fn previous_in(
    rule: &Rule,
    date: NaiveDate,
    data: &EmployeeDays<'_>,
    prepared: &mut Prepared<'_>,
) -> Option<(NaiveDate, PreviousWorkday)> {
    let mut d = date;
    for _ in 0..PREVIOUS_WORKDAY_LOOKBACK_DAYS {
        d = d.pred_opt()?;
        if !rule.covers(d) {
            return None;
        }
        let plan = plan_day(rule, d, data.calendar.mark(d), data.schedule.entry(d));
        if plan.shift.is_some() {
            let input = prepared.day(d, data, None);
            return evaluate_sorted(rule, &input, plan).1.map(|p| (d, p));
        }
    }
    None
}

/// Evaluates every day from `from` to `to` (inclusive) and hands each
/// result to `f`, in date order.
pub fn for_each_day(
    rule: &Rule,
    from: NaiveDate,
    to: NaiveDate,
    data: &EmployeeDays<'_>,
    mut f: impl FnMut(DayResult),
) {
    if to < from {
        return;
    }
    let mut prepared = Prepared::new(data);
    let needs_previous = rule.flex.leave_late.is_some();
    let found = if needs_previous { previous_in(rule, from, data, &mut prepared) } else { None };
    // Days since the carried workday, so the batch forgets it exactly when
    // a single-day lookup would no longer find it.
    let mut age = found.map_or(0, |(d, _)| (from - d).num_days().max(0) as u64);
    let mut prev = found.map(|(_, p)| p);
    let mut d = from;
    loop {
        if age > PREVIOUS_WORKDAY_LOOKBACK_DAYS {
            prev = None;
        }
        let input = prepared.day(d, data, prev);
        let plan = plan_day(rule, d, input.mark, input.schedule);
        let (result, carry) = evaluate_sorted(rule, &input, plan);
        if !rule.covers(d) {
            // A single-day lookup stops at a day the rule does not cover.
            prev = None;
        } else if plan.shift.is_some() {
            prev = carry;
            age = 0;
        }
        age += 1;
        f(result);
        if d >= to {
            break;
        }
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
}

/// Evaluates every day from `from` to `to` (inclusive) into a vector.
pub fn evaluate_range(rule: &Rule, from: NaiveDate, to: NaiveDate, data: &EmployeeDays<'_>) -> Vec<DayResult> {
    let days = (to - from).num_days().clamp(0, 1 << 20) as usize + 1;
    let mut out = Vec::with_capacity(days.min(4096));
    for_each_day(rule, from, to, data, |r| out.push(r));
    out
}

//! Day evaluation over loaded rows (SPEC.md C): each employee's days are
//! split into segments under one rule version and one company calendar and
//! streamed through the engine; every result goes to a sink as a `DayRow`.
//! `rows.rs` turns those into the columns of `attendance.day_result`.

use attendance_rules::pending::due_at;
use attendance_rules::{
    excused_minutes, for_each_day, made_by, settle, shows_alike_until_due, DayResult, EmployeeDays, Excuse, ExcuseKind,
    HolidayCalendar, Punch, Rule, Schedule,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::errors;
use crate::load::{Batch, Employee, Placement};

/// One row of `attendance.day_result`.
#[derive(PartialEq)]
pub enum DayRow {
    /// A day judged by a rule.
    Judged {
        employee: Option<i64>,
        rule_id: Option<i64>,
        result: DayResult,
        excused: Excused,
        place: Placement,
        /// The rule's time zone (IANA name).
        zone: &'static str,
        /// Where the first check-in and the last check-out were made: the
        /// rule's location that holds them.
        places: [Option<String>; 2],
        /// For a day to be stored that is not over yet: `result` holds its
        /// figures once over and this what it shows until then.
        due: Option<Box<Due>>,
    },
    /// No rule applies to the employee on the day.
    NoRule { employee: i64, day: NaiveDate, place: Placement },
    /// The employee has primary memberships, none on the day: not employed.
    NotEmployed { employee: i64, day: NaiveDate },
}

/// A stored day that falls due without being written again (since
/// 0.25.0): it is today or before, its last shift period has not ended,
/// what it shows stays as it is until then (`shows_alike_until_due`: no
/// earlier period ends before), and no punch stored is still to come before
/// a day after its end, so nothing but time changes it before `at`, and
/// time changes nothing after. Stored, it holds the figures it will have
/// from `at` on (the evaluation before `settle`) and shows `shown` (settled
/// as of now) until then; the views choose by the clock. A day of several
/// periods before its last, and one with a punch still to come, are stored
/// as they show now and judged again by `att_finalize` (at each period's
/// end, and when the punch comes).
#[derive(PartialEq)]
pub struct Due {
    pub at: DateTime<Utc>,
    pub shown: DayResult,
    pub places: [Option<String>; 2],
}

impl Due {
    /// The day's `Due`, or None when it is stored as it shows now.
    fn of(rule: &Rule, result: &DayResult, now: DateTime<Utc>, punches: &[Punch]) -> Option<Box<Due>> {
        let at = due_at(result).filter(|at| *at > now)?;
        // a day after today is stored as it shows: its figures once over
        // would stand in day_record a week ahead (an absence for a day that
        // has not come), and its first hour's run stores it so anyway
        if result.date > now.with_timezone(&rule.time_zone()).date_naive() {
            return None;
        }
        // a punch still to come before a day after its end may be its
        // check-out, or change what it shows when it comes
        let reach = at.checked_add_signed(chrono::TimeDelta::days(1)).unwrap_or(at);
        let to_come = punches.partition_point(|p| p.at <= now);
        if punches.get(to_come).is_some_and(|p| p.at <= reach) {
            return None;
        }
        // what it shows must stay as it is until then: a day of several
        // periods is stored so once only its last is left (each earlier
        // period's end changes it), one whose check-out is assumed after
        // its end once that end has passed
        if !shows_alike_until_due(result, now) {
            return None;
        }
        let mut shown = result.clone();
        settle(rule, &mut shown, now);
        let places = places(rule, &shown, punches);
        Some(Box::new(Due { at, shown, places }))
    }
}

/// The names of the places the day's first check-in and last check-out were made at.
///
/// `punches` must be in time order: each day looks up its two punches by
/// binary search (a scan of the month's punches for every day was a fiftieth
/// of a month's evaluation).
pub fn places(rule: &Rule, day: &DayResult, punches: &[Punch]) -> [Option<String>; 2] {
    if !rule.has_places() {
        return [None, None];
    }
    let at = |t: Option<DateTime<Utc>>| -> Option<String> {
        let t = t?;
        let from = punches.partition_point(|p| p.at < t);
        punches[from..].iter().take_while(|p| p.at == t).find_map(|p| rule.place_of(p.lat, p.lon)).map(str::to_owned)
    };
    let first_in = day.periods.first().and_then(|p| p.check_in).map(|c| c.at);
    let last_out = day.periods.last().and_then(|p| p.check_out).map(|c| c.at);
    [at(first_in), at(last_out)]
}

/// The time of a day's shift that excuses cover, by kind, for reports:
/// leave is time off, trips, outings and appeals are time worked elsewhere.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Excused {
    pub leave: i32,
    pub trip: i32,
    pub outing: i32,
    pub appeal: i32,
    /// The leave types (the ERP's) that cover part of the shift, sorted, comma-separated.
    pub leave_type: Option<String>,
}

impl Excused {
    pub fn of(day: &DayResult, excuses: &[Excuse], leave_types: &[(DateTime<Utc>, DateTime<Utc>, String)]) -> Excused {
        // most days of most employees: nothing excused, nothing to look at
        if excuses.is_empty() && leave_types.is_empty() {
            return Excused::default();
        }
        let mut types: Vec<&str> = leave_types
            .iter()
            .filter(|(from, to, _)| day.periods.iter().any(|p| *from < p.end && p.start < *to))
            .map(|(_, _, t)| t.as_str())
            .collect();
        types.sort_unstable();
        types.dedup();
        Excused {
            leave: excused_minutes(day, excuses, ExcuseKind::Leave),
            trip: excused_minutes(day, excuses, ExcuseKind::BusinessTrip),
            outing: excused_minutes(day, excuses, ExcuseKind::Outing),
            appeal: excused_minutes(day, excuses, ExcuseKind::Appeal),
            leave_type: (!types.is_empty()).then(|| types.join(", ")),
        }
    }
}

/// Evaluates one employee's days `first..=last`, handing each row to `sink`.
pub fn evaluate_employee(
    data: &Batch,
    employee: &Employee<'_>,
    first: NaiveDate,
    last: NaiveDate,
    sink: &mut impl FnMut(DayRow),
) {
    let known = employee.has_employment();
    let employed = |d: NaiveDate| !known || employee.path_on(d).is_some();
    // a segment goes on without asking each day's rule but on the days it may change
    let changes = employee.changes();
    let may_change = |d: NaiveDate| changes.as_ref().is_none_or(|c| c.binary_search(&d).is_ok());
    let mut day = first;
    while day <= last {
        // A segment: consecutive days under one rule version and one company
        // calendar, employed or not.
        let version = employee.rule_on(day);
        let key = (version.map(|v| (v.rule_id, v.from)), employed(day));
        let company = employee.company_on(day);
        let mut end = day;
        while let Some(next) = end.succ_opt().filter(|n| *n <= last) {
            if may_change(next)
                && ((employee.rule_on(next).map(|v| (v.rule_id, v.from)), employed(next)) != key
                    || employee.company_on(next) != company)
            {
                break;
            }
            end = next;
        }
        pgrx::check_for_interrupts!();
        let days = day.iter_days().take_while(|d| *d <= end);
        match version {
            _ if !key.1 => days.for_each(|d| sink(DayRow::NotEmployed { employee: employee.id, day: d })),
            None => days
                .for_each(|d| sink(DayRow::NoRule { employee: employee.id, day: d, place: employee.placement_on(d) })),
            Some(v) => {
                let calendar = HolidayCalendar::new(company.map_or(&[][..], |c| data.holidays(c)).to_vec());
                let rows = employee.rows;
                // Entries outside the segment were written for the rule of
                // their own day, whose shifts this one may not have (a move
                // onto a rota): they are judged in their own segment, and one
                // this rule cannot read counts here as no entry.
                let entries =
                    rows.schedule.iter().map(|(d, s)| (*d, s.as_deref())).filter(|(d, s)| {
                        (day..=end).contains(d) || s.is_none_or(|name| v.rule.shift_id(name).is_some())
                    });
                let schedule = Schedule::from_names(&v.rule, entries).unwrap_or_else(|e| errors::rule(e));
                let days = EmployeeDays {
                    calendar: &calendar,
                    schedule: &schedule,
                    // a punch stored before its own time has not happened
                    punches: made_by(&rows.punches, data.now),
                    excuses: &rows.excuses,
                };
                for_each_day(&v.rule, day, end, &days, |mut result| {
                    // a long range must stay cancellable (statement_timeout, pg_cancel_backend)
                    pgrx::check_for_interrupts!();
                    let due = if data.keep_due { Due::of(&v.rule, &result, data.now, &rows.punches) } else { None };
                    if due.is_none() {
                        settle(&v.rule, &mut result, data.now);
                    }
                    let excused = Excused::of(&result, &rows.excuses, &rows.leave_types);
                    let place = employee.placement_on(result.date);
                    let places = places(&v.rule, &result, &rows.punches);
                    sink(DayRow::Judged {
                        employee: Some(employee.id),
                        rule_id: Some(v.rule_id),
                        result,
                        excused,
                        place,
                        zone: v.rule.time_zone().name(),
                        places,
                        due,
                    })
                });
            }
        }
        match end.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
}

/// Evaluates the days `first..=last` of every employee of a loaded batch.
pub fn evaluate_batch(data: &Batch, first: NaiveDate, last: NaiveDate, sink: &mut impl FnMut(DayRow)) {
    for employee in data.employees() {
        evaluate_employee(data, &employee, first, last, sink);
    }
}

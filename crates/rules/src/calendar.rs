//! What kind of day a date is for a rule, and which shift is worked.
//!
//! The rule's system gives the regular week; a holiday calendar from the
//! caller overrides it: public holidays need no attendance, make-up workdays
//! (调班) turn rest days into workdays. Scheduled rules take the shift from
//! the person's schedule instead.

use crate::rule::{Rule, ShiftId, System, Week};
use crate::RuleError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Kind of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A regular workday (or a scheduled shift).
    Workday,
    /// A rest day (or an unscheduled day).
    Rest,
    /// A public holiday: no attendance needed.
    Holiday,
    /// A rest day turned into a workday by the holiday calendar.
    MakeUpWorkday,
}

impl DayKind {
    /// The snake_case name, as serde writes it and the SQL columns show it.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Workday => "workday",
            DayKind::Rest => "rest",
            DayKind::Holiday => "holiday",
            DayKind::MakeUpWorkday => "make_up_workday",
        }
    }
}

/// A holiday calendar entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarMark {
    /// Public holiday.
    Holiday,
    /// Make-up workday (调班) on a rest day.
    MakeUpWorkday,
}

/// A schedule entry (排班) of a scheduled rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleEntry {
    /// This shift is worked.
    Shift(ShiftId),
    /// Scheduled as a rest day.
    Rest,
}

/// Holiday calendar: date to mark, looked up by binary search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    marks: Vec<(NaiveDate, CalendarMark)>,
}

impl HolidayCalendar {
    /// Builds a calendar; for a date given twice the last mark wins.
    pub fn new(marks: impl IntoIterator<Item = (NaiveDate, CalendarMark)>) -> Self {
        let mut marks: Vec<_> = marks.into_iter().collect();
        // Stable sort keeps input order among equal dates, so dedup can keep
        // the last one.
        marks.sort_by_key(|m| m.0);
        let mut out: Vec<(NaiveDate, CalendarMark)> = Vec::with_capacity(marks.len());
        for m in marks {
            match out.last_mut() {
                Some(last) if last.0 == m.0 => *last = m,
                _ => out.push(m),
            }
        }
        HolidayCalendar { marks: out }
    }

    /// The mark of a date, if any.
    pub fn mark(&self, date: NaiveDate) -> Option<CalendarMark> {
        self.marks.binary_search_by_key(&date, |m| m.0).ok().map(|i| self.marks[i].1)
    }
}

/// One person's schedule for a scheduled rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    entries: Vec<(NaiveDate, ScheduleEntry)>,
}

impl Schedule {
    /// Builds a schedule from shift names (`None` = scheduled rest); an
    /// unknown shift name is an error naming the entry.
    pub fn from_names<'a>(
        rule: &Rule,
        entries: impl IntoIterator<Item = (NaiveDate, Option<&'a str>)>,
    ) -> Result<Self, RuleError> {
        let mut out = Vec::new();
        for (i, (date, name)) in entries.into_iter().enumerate() {
            let entry = match name {
                None => ScheduleEntry::Rest,
                Some(n) => ScheduleEntry::Shift(rule.shift_id(n).ok_or_else(|| RuleError::UnknownShift {
                    path: format!("schedule[{i}].shift"),
                    name: n.to_string(),
                })?),
            };
            out.push((date, entry));
        }
        Ok(Self::new(out))
    }

    /// Builds a schedule from resolved entries; for a date given twice the
    /// last entry wins.
    pub fn new(entries: impl IntoIterator<Item = (NaiveDate, ScheduleEntry)>) -> Self {
        let mut entries: Vec<_> = entries.into_iter().collect();
        entries.sort_by_key(|e| e.0);
        let mut out: Vec<(NaiveDate, ScheduleEntry)> = Vec::with_capacity(entries.len());
        for e in entries {
            match out.last_mut() {
                Some(last) if last.0 == e.0 => *last = e,
                _ => out.push(e),
            }
        }
        Schedule { entries: out }
    }

    /// The entry of a date; `None` = unscheduled.
    pub fn entry(&self, date: NaiveDate) -> Option<ScheduleEntry> {
        self.entries.binary_search_by_key(&date, |e| e.0).ok().map(|i| self.entries[i].1)
    }
}

/// The plan of one day: its kind and the shift to be worked, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayPlan {
    /// Kind of day.
    pub kind: DayKind,
    /// Shift to be worked; `None` on rest days and holidays.
    pub shift: Option<ShiftId>,
    /// Scheduled rule and the day has no schedule entry.
    pub unscheduled: bool,
}

/// Whether `date` falls in an odd week.
///
/// Without an anchor, ISO week numbers decide (week 53 and the following
/// week 1 are then both odd: that is what ISO parity means). With an
/// anchor Monday, weeks alternate strictly from it.
pub fn is_odd_week(date: NaiveDate, anchor_monday: Option<NaiveDate>) -> bool {
    match anchor_monday {
        None => date.iso_week().week() % 2 == 1,
        Some(anchor) => {
            let monday = date.num_days_from_ce() - date.weekday().num_days_from_monday() as i32;
            let weeks = (monday - anchor.num_days_from_ce()).div_euclid(7);
            weeks.rem_euclid(2) == 0
        }
    }
}

fn weekday_shift(week: &Week, date: NaiveDate) -> Option<ShiftId> {
    week[date.weekday().num_days_from_monday() as usize]
}

/// Plans a day from the rule's system, the holiday mark of the date and,
/// for scheduled rules, the person's schedule entry.
pub fn plan_day(rule: &Rule, date: NaiveDate, mark: Option<CalendarMark>, schedule: Option<ScheduleEntry>) -> DayPlan {
    let regular = match &rule.system {
        System::Scheduled { .. } => {
            // The schedule is the plan; only a public holiday on an
            // unscheduled or rest day changes its kind.
            return match schedule {
                Some(ScheduleEntry::Shift(id)) => {
                    DayPlan { kind: DayKind::Workday, shift: Some(id), unscheduled: false }
                }
                Some(ScheduleEntry::Rest) => DayPlan { kind: rest_or_holiday(mark), shift: None, unscheduled: false },
                None => DayPlan { kind: rest_or_holiday(mark), shift: None, unscheduled: true },
            };
        }
        System::Standard { workdays, shift } => {
            workdays[date.weekday().num_days_from_monday() as usize].then_some(*shift)
        }
        System::Flexible { week } => weekday_shift(week, date),
        System::OddEven { odd, even, anchor } => {
            weekday_shift(if is_odd_week(date, *anchor) { odd } else { even }, date)
        }
    };
    match (mark, regular) {
        (Some(CalendarMark::Holiday), _) => DayPlan { kind: DayKind::Holiday, shift: None, unscheduled: false },
        (_, Some(id)) => DayPlan { kind: DayKind::Workday, shift: Some(id), unscheduled: false },
        (Some(CalendarMark::MakeUpWorkday), None) => {
            // Standard rules work their one shift; the others the marked
            // non-workday default (or the built-in 09:00-18:00).
            let id = match &rule.system {
                System::Standard { shift, .. } => *shift,
                _ => rule.non_workday_shift,
            };
            DayPlan { kind: DayKind::MakeUpWorkday, shift: Some(id), unscheduled: false }
        }
        (None, None) => DayPlan { kind: DayKind::Rest, shift: None, unscheduled: false },
    }
}

fn rest_or_holiday(mark: Option<CalendarMark>) -> DayKind {
    if mark == Some(CalendarMark::Holiday) {
        DayKind::Holiday
    } else {
        DayKind::Rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_parity_and_anchor() {
        // 2026-01-05 is in ISO week 2.
        assert!(!is_odd_week(d(2026, 1, 5), None));
        assert!(is_odd_week(d(2026, 1, 12), None));
        let anchor = Some(d(2026, 1, 5));
        assert!(is_odd_week(d(2026, 1, 5), anchor));
        assert!(is_odd_week(d(2026, 1, 11), anchor));
        assert!(!is_odd_week(d(2026, 1, 12), anchor));
        assert!(!is_odd_week(d(2025, 12, 29), anchor));
        assert!(is_odd_week(d(2025, 12, 22), anchor));
    }

    #[test]
    fn calendar_last_mark_wins() {
        let c = HolidayCalendar::new([
            (d(2026, 10, 1), CalendarMark::MakeUpWorkday),
            (d(2026, 1, 1), CalendarMark::Holiday),
            (d(2026, 10, 1), CalendarMark::Holiday),
        ]);
        assert_eq!(c.mark(d(2026, 10, 1)), Some(CalendarMark::Holiday));
        assert_eq!(c.mark(d(2026, 1, 1)), Some(CalendarMark::Holiday));
        assert_eq!(c.mark(d(2026, 1, 2)), None);
    }
}

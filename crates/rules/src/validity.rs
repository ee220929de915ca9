//! Whether a rule's validity (有效期) covers a date.
//!
//! Yearly cycles are compared as (month, day) pairs so that a cycle ending on
//! 02-29 simply ends on 02-28 in common years, and a cycle whose end is
//! before its start (11-01..03-31) runs into the next year.

use chrono::{Datelike, NaiveDate};

/// A yearly cycle, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    /// (month, day) of the first day.
    pub from: (u32, u32),
    /// (month, day) of the last day; before `from` means next year.
    pub to: (u32, u32),
}

impl Cycle {
    /// Whether the cycle runs into the next year.
    pub fn crosses_new_year(&self) -> bool {
        self.to < self.from
    }

    /// Whether the cycle contains (month, day).
    pub fn contains(&self, md: (u32, u32)) -> bool {
        if self.crosses_new_year() {
            md >= self.from || md <= self.to
        } else {
            self.from <= md && md <= self.to
        }
    }
}

/// When a rule is in force.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Validity {
    /// Validity switched off: always in force.
    #[default]
    Always,
    /// A fixed range, both ends inclusive.
    Range {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// Non-overlapping cycles repeating every year.
    Yearly(Vec<Cycle>),
}

impl Validity {
    /// Whether the rule is in force on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        match self {
            Validity::Always => true,
            Validity::Range { from, to } => *from <= date && date <= *to,
            Validity::Yearly(cycles) => {
                let md = (date.month(), date.day());
                cycles.iter().any(|c| c.contains(md))
            }
        }
    }
}

/// Parses `"MM-DD"`; 02-29 is accepted (it exists in leap years).
pub(crate) fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 || !m.bytes().chain(d.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    // 2000 is a leap year, so every (month, day) that exists in some year
    // exists in it.
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

/// Day of a leap year (0..366) for overlap checks on the yearly circle.
pub(crate) fn leap_ordinal(md: (u32, u32)) -> usize {
    NaiveDate::from_ymd_opt(2000, md.0, md.1).map_or(0, |d| d.ordinal0() as usize)
}

/// The leap-year ordinals a cycle covers.
pub(crate) fn cycle_days(c: &Cycle) -> impl Iterator<Item = usize> {
    let (a, b) = (leap_ordinal(c.from), leap_ordinal(c.to));
    let wrap = b < a;
    (0..366).filter(move |&o| if wrap { o >= a || o <= b } else { a <= o && o <= b })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn winter_cycle_crosses_new_year() {
        let v = Validity::Yearly(vec![Cycle { from: (11, 1), to: (3, 31) }]);
        assert!(v.covers(d(2026, 1, 15)));
        assert!(v.covers(d(2026, 12, 1)));
        assert!(v.covers(d(2026, 11, 1)));
        assert!(v.covers(d(2027, 3, 31)));
        assert!(!v.covers(d(2026, 6, 1)));
        assert!(!v.covers(d(2026, 4, 1)));
    }

    #[test]
    fn range_is_inclusive() {
        let v = Validity::Range { from: d(2026, 1, 1), to: d(2026, 1, 31) };
        assert!(v.covers(d(2026, 1, 1)));
        assert!(v.covers(d(2026, 1, 31)));
        assert!(!v.covers(d(2026, 2, 1)));
        assert!(Validity::Always.covers(NaiveDate::MAX));
    }

    #[test]
    fn month_days() {
        assert_eq!(parse_month_day("02-29"), Some((2, 29)));
        assert_eq!(parse_month_day("02-30"), None);
        assert_eq!(parse_month_day("13-01"), None);
        assert_eq!(parse_month_day("1-01"), None);
        assert_eq!(cycle_days(&Cycle { from: (12, 31), to: (1, 1) }).count(), 2);
    }
}

//! Effective-dated periods: the `daterange` of the database, as a value type.

use chrono::NaiveDate;

use crate::ScopeError;

/// A half-open range of days `[start, end)`; `None` is unbounded on that side.
///
/// This is PostgreSQL's canonical `daterange`, so a row's period maps to it
/// without conversion; an inclusive end date `e` is `end = e + 1 day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Period {
    /// A half-open period; refuses an empty one.
    pub fn new(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<Self, ScopeError> {
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                return Err(ScopeError::EmptyPeriod { start: s, end: e });
            }
        }
        Ok(Period { start, end })
    }

    /// The period from `first` to `last`, both days included, as the seeds write them.
    pub fn inclusive(first: NaiveDate, last: NaiveDate) -> Result<Self, ScopeError> {
        Period::new(Some(first), last.succ_opt())
    }

    /// Every day from `start` on.
    pub fn from(start: NaiveDate) -> Self {
        Period { start: Some(start), end: None }
    }

    /// Does the period hold day `d`?
    #[inline]
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= d) && self.end.is_none_or(|e| d < e)
    }

    /// Do the two periods share at least one day?
    #[inline]
    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = match (self.start, other.end) {
            (Some(s), Some(e)) => s < e,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.start, self.end) {
            (Some(s), Some(e)) => s < e,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    /// The days both periods share (PostgreSQL's `*` on ranges), or None
    /// when they share none.
    pub fn intersection(&self, other: &Period) -> Option<Period> {
        if !self.overlaps(other) {
            return None;
        }
        let start = match (self.start, other.start) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let end = match (self.end, other.end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Some(Period { start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn intersection_is_the_shared_days() {
        let p = |a: Option<NaiveDate>, b: Option<NaiveDate>| Period { start: a, end: b };
        let (jan, feb, mar) = (Some(d(2026, 1, 1)), Some(d(2026, 2, 1)), Some(d(2026, 3, 1)));
        assert_eq!(p(jan, mar).intersection(&p(feb, None)), Some(p(feb, mar)));
        assert_eq!(p(None, feb).intersection(&p(None, None)), Some(p(None, feb)));
        assert_eq!(p(None, None).intersection(&p(None, None)), Some(p(None, None)));
        assert_eq!(p(jan, feb).intersection(&p(feb, mar)), None);
        assert_eq!(p(feb, None).intersection(&p(None, feb)), None);
    }

    #[test]
    fn inclusive_end_is_contained() {
        let p = Period::inclusive(d(2015, 1, 1), d(2015, 1, 31)).unwrap();
        assert!(p.contains(d(2015, 1, 31)));
        assert!(!p.contains(d(2015, 2, 1)));
        assert!(!p.contains(d(2014, 12, 31)));
    }

    #[test]
    fn end_before_start_is_refused() {
        let err = Period::inclusive(d(2015, 2, 1), d(2015, 1, 1)).unwrap_err();
        assert_eq!(err.sqlstate(), "22000");
    }

    #[test]
    fn overlap_is_symmetric_and_half_open() {
        let jan = Period::inclusive(d(2015, 1, 1), d(2015, 1, 31)).unwrap();
        let feb = Period::inclusive(d(2015, 2, 1), d(2015, 2, 28)).unwrap();
        let open = Period::from(d(2015, 1, 31));
        assert!(!jan.overlaps(&feb) && !feb.overlaps(&jan));
        assert!(jan.overlaps(&open) && open.overlaps(&jan));
        assert!(feb.overlaps(&open));
        let all = Period { start: None, end: None };
        assert!(all.overlaps(&jan));
    }
}

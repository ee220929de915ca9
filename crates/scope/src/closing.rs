//! Closing periods (締め期間): calendar months, or months that end on a
//! company's closing day (e.g. the 25th: periods run 26th..25th).

use chrono::{Datelike, Months, NaiveDate};

use crate::{Period, ScopeError};

/// A company's closing day: `None` closes on the last day of each month.
///
/// Days past the 28th are refused because they do not exist in every month,
/// and "the last day" is what a company closing on the 31st means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ClosingDay(Option<u8>);

impl ClosingDay {
    /// Calendar months.
    pub const MONTH_END: ClosingDay = ClosingDay(None);

    /// A closing day of the month, 1..=28.
    pub fn new(day: Option<i32>) -> Result<Self, ScopeError> {
        match day {
            None => Ok(ClosingDay(None)),
            Some(d @ 1..=28) => Ok(ClosingDay(Some(d as u8))),
            Some(d) => Err(ScopeError::ClosingDayOutOfRange(d)),
        }
    }

    /// The closing day, or `None` for calendar months.
    pub fn day(&self) -> Option<u8> {
        self.0
    }

    /// The closing period that holds day `d`. Total: at the ends of the
    /// calendar a bound that does not exist is left open (`None`).
    pub fn period_containing(&self, d: NaiveDate) -> Period {
        let first_of_month = d.with_day(1).expect("day 1 exists in every month");
        let month = Months::new(1);
        let (start, end) = match self.0 {
            None => (Some(first_of_month), first_of_month.checked_add_months(month)),
            Some(c) => {
                // The period closing in d's month runs from the day after the
                // previous month's closing day through this month's closing day.
                let close_this_month = first_of_month.with_day(c as u32).expect("closing day <= 28");
                if d <= close_this_month {
                    (close_this_month.checked_sub_months(month), Some(close_this_month))
                } else {
                    (Some(close_this_month), close_this_month.checked_add_months(month))
                }
            }
        };
        match self.0 {
            None => Period { start, end },
            // Stored as half-open: (previous closing day, closing day] = [prev+1, close+1).
            Some(_) => Period { start: start.and_then(|s| s.succ_opt()), end: end.and_then(|e| e.succ_opt()) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn calendar_month() {
        let p = ClosingDay::MONTH_END.period_containing(d(2015, 2, 21));
        assert_eq!(p, Period::inclusive(d(2015, 2, 1), d(2015, 2, 28)).unwrap());
        let p = ClosingDay::MONTH_END.period_containing(d(2016, 12, 31));
        assert_eq!(p, Period::inclusive(d(2016, 12, 1), d(2016, 12, 31)).unwrap());
    }

    #[test]
    fn closing_on_the_25th() {
        let c = ClosingDay::new(Some(25)).unwrap();
        assert_eq!(c.period_containing(d(2015, 2, 25)), Period::inclusive(d(2015, 1, 26), d(2015, 2, 25)).unwrap());
        assert_eq!(c.period_containing(d(2015, 2, 26)), Period::inclusive(d(2015, 2, 26), d(2015, 3, 25)).unwrap());
        assert_eq!(c.period_containing(d(2015, 12, 31)), Period::inclusive(d(2015, 12, 26), d(2016, 1, 25)).unwrap());
        assert_eq!(c.period_containing(d(2015, 1, 1)), Period::inclusive(d(2014, 12, 26), d(2015, 1, 25)).unwrap());
    }

    #[test]
    fn out_of_range_closing_day_is_refused() {
        assert_eq!(ClosingDay::new(Some(29)).unwrap_err().sqlstate(), "22023");
    }

    #[test]
    fn the_ends_of_the_calendar_leave_the_period_open() {
        let last = NaiveDate::MAX;
        let p = ClosingDay::new(Some(25)).unwrap().period_containing(last);
        assert_eq!(p.end, None);
        assert!(p.start.is_some());
        assert_eq!(ClosingDay::MONTH_END.period_containing(last).end, None);
        let first = NaiveDate::MIN;
        assert_eq!(ClosingDay::new(Some(25)).unwrap().period_containing(first).start, None);
        assert!(ClosingDay::new(Some(0)).is_err());
        assert!(ClosingDay::new(Some(28)).is_ok());
    }
}

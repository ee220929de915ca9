//! Which local days a written row lies on: a punch's instant, an excuse's
//! period, a schedule's day. A write whose rows lie on a closed day is
//! judged against that day as it stands, whatever else changed it (a
//! holiday, a leaving date): the extension refuses it when the day is no
//! longer what was stored. Judged in the zone the day was stored in, so
//! that no later change to the rule's zone moves a row off the day.
//! (The time a shift's day owns punches in reaches into the dates either
//! side of it; a row there counts only where it changes the day: taking
//! the owned time from the day as stored refused a whole next day's leave
//! after a holiday was declared for the closed day, and still missed the
//! punches a flexible rule or a rest day owns.)

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// One written row, by what it reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// A punch's instant.
    Instant(DateTime<Utc>),
    /// An excuse's period, start included, end excluded.
    Period(DateTime<Utc>, DateTime<Utc>),
    /// A schedule's day.
    Day(NaiveDate),
}

impl Touch {
    /// Does the row lie on `day` of zone `zone` (an IANA name; UTC when
    /// unknown or absent)? An empty period lies on no day.
    pub fn lies_on(&self, day: NaiveDate, zone: Option<&str>) -> bool {
        let tz: Tz = zone.and_then(|z| z.parse().ok()).unwrap_or(Tz::UTC);
        let local = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
        match *self {
            Touch::Instant(at) => local(at) == day,
            Touch::Period(from, to) if from < to => {
                local(from) <= day
                    && to.checked_sub_signed(chrono::TimeDelta::microseconds(1)).is_some_and(|last| day <= local(last))
            }
            Touch::Period(..) => false,
            Touch::Day(d) => d == day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn an_instant_lies_on_its_local_day() {
        // 18:30 in Shanghai on the 31st is 10:30 UTC; 07:00 on the 1st is 23:00 UTC the day before
        let check_out = Touch::Instant(at(2027, 8, 31, 10, 30));
        assert!(check_out.lies_on(day(2027, 8, 31), Some("Asia/Shanghai")));
        let early = Touch::Instant(at(2027, 8, 31, 23, 0));
        assert!(!early.lies_on(day(2027, 8, 31), Some("Asia/Shanghai")));
        assert!(early.lies_on(day(2027, 9, 1), Some("Asia/Shanghai")));
        assert!(early.lies_on(day(2027, 8, 31), None));
        assert!(early.lies_on(day(2027, 8, 31), Some("no such zone")));
    }

    #[test]
    fn a_period_lies_on_every_local_day_it_covers() {
        // 09:00 on the 1st to 18:00 on the 3rd, Shanghai
        let leave = Touch::Period(at(2027, 9, 1, 1, 0), at(2027, 9, 3, 10, 0));
        let z = Some("Asia/Shanghai");
        assert!(!leave.lies_on(day(2027, 8, 31), z));
        assert!(leave.lies_on(day(2027, 9, 1), z));
        assert!(leave.lies_on(day(2027, 9, 2), z));
        assert!(leave.lies_on(day(2027, 9, 3), z));
        assert!(!leave.lies_on(day(2027, 9, 4), z));
        // ending at local midnight: not on the day that midnight starts
        let to_midnight = Touch::Period(at(2027, 8, 30, 1, 0), at(2027, 8, 30, 16, 0));
        assert!(to_midnight.lies_on(day(2027, 8, 30), z));
        assert!(!to_midnight.lies_on(day(2027, 8, 31), z));
        assert!(!Touch::Period(at(2027, 8, 30, 1, 0), at(2027, 8, 30, 1, 0)).lies_on(day(2027, 8, 30), z));
    }

    #[test]
    fn a_day_across_a_change_of_clocks() {
        // New York springs forward on 2027-03-14: 23:30 local on the 13th is 04:30 UTC on the 14th
        let z = Some("America/New_York");
        assert!(Touch::Instant(at(2027, 3, 14, 4, 30)).lies_on(day(2027, 3, 13), z));
        assert!(Touch::Instant(at(2027, 3, 14, 7, 30)).lies_on(day(2027, 3, 14), z));
        assert!(Touch::Day(day(2027, 3, 14)).lies_on(day(2027, 3, 14), z));
        assert!(!Touch::Day(day(2027, 3, 14)).lies_on(day(2027, 3, 13), z));
    }
}

//! A closing period's stored days summed up, as `period_record` holds them
//! (sql/summary.sql): counts and sums over the days, the department and
//! company of its last stored day, and the day codes by day of the period.
//!
//! The adapter reads a period's days and adds them here one by one; the SQL
//! aggregate `_att_period_rows` computes the same from `day_record` and is
//! the reference the tests hold this to. The text values are the stored
//! columns' (`status`, `day_kind`, `overtime_category`).

use chrono::{Datelike, Days, Months, NaiveDate};

/// The columns of one stored day that its period's sums read.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoredDay<'a> {
    /// The day's place in its period: 1 for the period's first day.
    pub offset: i32,
    pub org: Option<i64>,
    pub company: Option<i64>,
    pub day_kind: Option<&'a str>,
    pub status: &'a str,
    pub scheduled_minutes: i32,
    pub late_minutes: i32,
    pub early_minutes: i32,
    pub absent_minutes: i32,
    pub work_minutes: i32,
    pub overtime_minutes: i32,
    pub overtime_category: Option<&'a str>,
    pub leave_minutes: i32,
    pub trip_minutes: i32,
    pub outing_minutes: i32,
    pub appeal_minutes: i32,
}

/// A day as one short code, as `att_day_code(status, leave_minutes)` gives
/// it (see its comment in sql/summary.sql); `None` when not employed.
pub fn day_code(status: Option<&str>, leave_minutes: Option<i32>) -> Option<&'static str> {
    let on_leave = leave_minutes.is_some_and(|m| m > 0);
    Some(match status? {
        "not_employed" => return None,
        "pending" => "-",
        "holiday" => "H",
        "rest" => "WO",
        "excused" if on_leave => "L",
        "excused" => "OD",
        "absent" | "no_punch" => "A",
        "missing_check_in" | "missing_check_out" => "MP",
        "half_day" => "HD",
        "normal" | "late" | "early" | "late_and_early" if on_leave => "HD",
        "normal" | "late" | "early" | "late_and_early" => "P",
        _ => "?",
    })
}

/// The last day of the closing period that starts on `start` for a company
/// closing on `closing_day` (`None`: calendar months), as `att_period_end`
/// computes it: the closing day of the next month, or the month's last day.
pub fn period_end(start: NaiveDate, closing_day: Option<i32>) -> Option<NaiveDate> {
    let next_month = start.with_day(1)?.checked_add_months(Months::new(1))?;
    match closing_day {
        None => next_month.pred_opt(),
        Some(c) if c >= 1 => next_month.checked_add_days(Days::new(u64::try_from(c - 1).ok()?)),
        Some(c) => next_month.checked_sub_days(Days::new(u64::try_from(1 - c).ok()?)),
    }
}

/// The sums of one period, day by day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodSums {
    /// The last stored day's offset, department and company.
    pub last: Option<(i32, Option<i64>, Option<i64>)>,
    pub stored_days: i64,
    pub workdays: i64,
    pub days_attended: i64,
    pub late_count: i64,
    pub late_minutes: i64,
    pub early_count: i64,
    pub early_minutes: i64,
    pub absence_count: i64,
    pub absence_minutes: i64,
    pub missing_punches: i64,
    pub work_minutes: i64,
    pub overtime_workday_minutes: i64,
    pub overtime_rest_day_minutes: i64,
    pub overtime_holiday_minutes: i64,
    pub leave_minutes: i64,
    pub trip_minutes: i64,
    pub outing_minutes: i64,
    pub appeal_minutes: i64,
    pub full_leave_days: i64,
    pub half_day_days: i64,
    pub half_day_leaves: i64,
    pub present_days: i64,
    pub absent_days: i64,
    pub on_duty_days: i64,
    pub missing_punch_days: i64,
    pub holidays: i64,
    pub rest_days: i64,
    pub pending_days: i64,
    pub unjudged_days: i64,
    /// The code of each stored day by offset (position 0 is offset 1).
    codes: Vec<(i32, Option<&'static str>)>,
}

impl PeriodSums {
    pub fn add(&mut self, d: &StoredDay<'_>) {
        let workday = matches!(d.day_kind, Some("workday" | "make_up_workday"));
        let code = day_code(Some(d.status), Some(d.leave_minutes));
        let count = |yes: bool| i64::from(yes);
        if self.last.is_none_or(|(offset, _, _)| d.offset > offset) {
            self.last = Some((d.offset, d.org, d.company));
        }
        self.stored_days += 1;
        self.workdays += count(workday);
        self.days_attended += count(workday && d.work_minutes > 0);
        self.late_count += count(d.late_minutes > 0);
        self.late_minutes += i64::from(d.late_minutes);
        self.early_count += count(d.early_minutes > 0);
        self.early_minutes += i64::from(d.early_minutes);
        self.absence_count += count(d.absent_minutes > 0);
        self.absence_minutes += i64::from(d.absent_minutes);
        self.missing_punches += count(matches!(d.status, "missing_check_in" | "missing_check_out"));
        self.work_minutes += i64::from(d.work_minutes);
        let overtime = i64::from(d.overtime_minutes);
        match d.overtime_category {
            Some("workday") => self.overtime_workday_minutes += overtime,
            Some("rest_day") => self.overtime_rest_day_minutes += overtime,
            Some("holiday") => self.overtime_holiday_minutes += overtime,
            _ => {}
        }
        self.leave_minutes += i64::from(d.leave_minutes);
        self.trip_minutes += i64::from(d.trip_minutes);
        self.outing_minutes += i64::from(d.outing_minutes);
        self.appeal_minutes += i64::from(d.appeal_minutes);
        self.full_leave_days += count(code == Some("L"));
        self.half_day_days += count(code == Some("HD"));
        self.half_day_leaves += count(d.leave_minutes > 0 && d.leave_minutes < d.scheduled_minutes);
        self.present_days += count(matches!(code, Some("P" | "HD")));
        self.absent_days += count(code == Some("A"));
        self.on_duty_days += count(code == Some("OD"));
        self.missing_punch_days += count(code == Some("MP"));
        self.holidays += count(code == Some("H"));
        self.rest_days += count(code == Some("WO"));
        self.pending_days += count(d.status == "pending");
        self.unjudged_days += count(code == Some("?"));
        self.codes.push((d.offset, code));
    }

    /// The codes by day of the period, from its first day to its last
    /// stored day, `None` where no day is stored or the day has no code;
    /// `None` as a whole when the last stored day is before the first.
    pub fn day_codes(&self) -> Option<Vec<Option<&'static str>>> {
        let (last, _, _) = self.last?;
        let len = usize::try_from(last).ok().filter(|&n| n > 0)?;
        let mut codes = vec![None; len];
        for &(offset, code) in &self.codes {
            if let Some(slot) =
                usize::try_from(offset).ok().and_then(|o| o.checked_sub(1)).and_then(|i| codes.get_mut(i))
            {
                *slot = code;
            }
        }
        Some(codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(offset: i32, status: &str) -> StoredDay<'_> {
        StoredDay { offset, status, day_kind: Some("workday"), scheduled_minutes: 480, ..StoredDay::default() }
    }

    #[test]
    fn codes_as_att_day_code_gives_them() {
        let cases = [
            (None, 0, None),
            (Some("not_employed"), 0, None),
            (Some("pending"), 0, Some("-")),
            (Some("holiday"), 0, Some("H")),
            (Some("rest"), 60, Some("WO")),
            (Some("excused"), 480, Some("L")),
            (Some("excused"), 0, Some("OD")),
            (Some("absent"), 0, Some("A")),
            (Some("no_punch"), 0, Some("A")),
            (Some("missing_check_in"), 0, Some("MP")),
            (Some("missing_check_out"), 0, Some("MP")),
            (Some("half_day"), 0, Some("HD")),
            (Some("late"), 240, Some("HD")),
            (Some("late_and_early"), 0, Some("P")),
            (Some("normal"), 0, Some("P")),
            (Some("no_rule"), 0, Some("?")),
            (Some("unscheduled"), 0, Some("?")),
        ];
        for (status, leave, code) in cases {
            assert_eq!(day_code(status, Some(leave)), code, "{status:?} {leave}");
        }
        assert_eq!(day_code(Some("normal"), None), Some("P"));
    }

    #[test]
    fn period_ends_as_att_period_end_computes_them() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(period_end(d(2026, 2, 1), None), Some(d(2026, 2, 28)));
        assert_eq!(period_end(d(2024, 2, 1), None), Some(d(2024, 2, 29)));
        assert_eq!(period_end(d(2026, 1, 21), Some(20)), Some(d(2026, 2, 20)));
        assert_eq!(period_end(d(1994, 12, 1), Some(28)), Some(d(1995, 1, 28)));
        assert_eq!(period_end(d(1994, 12, 1), None), Some(d(1994, 12, 31)));
        assert_eq!(period_end(d(2026, 12, 26), Some(25)), Some(d(2027, 1, 25)));
    }

    #[test]
    fn sums_counts_and_the_last_place() {
        let mut s = PeriodSums::default();
        let mut late = day(3, "late");
        late.late_minutes = 12;
        late.work_minutes = 460;
        late.org = Some(7);
        late.company = Some(1);
        s.add(&late);
        let mut off = day(1, "rest");
        off.day_kind = Some("rest");
        off.overtime_minutes = 90;
        off.overtime_category = Some("rest_day");
        off.org = Some(8);
        s.add(&off);
        let mut half = day(5, "normal");
        half.leave_minutes = 240;
        half.work_minutes = 240;
        half.org = Some(9);
        s.add(&half);
        let mut gone = day(6, "not_employed");
        gone.day_kind = None;
        s.add(&gone);
        assert_eq!(s.last, Some((6, None, None)));
        assert_eq!((s.stored_days, s.workdays, s.days_attended), (4, 2, 2));
        assert_eq!((s.late_count, s.late_minutes, s.work_minutes), (1, 12, 700));
        assert_eq!((s.overtime_rest_day_minutes, s.overtime_workday_minutes), (90, 0));
        assert_eq!((s.present_days, s.half_day_days, s.half_day_leaves, s.rest_days), (2, 1, 1, 1));
        assert_eq!(s.day_codes(), Some(vec![Some("WO"), None, Some("P"), None, Some("HD"), None]));
    }

    #[test]
    fn no_codes_before_the_first_day() {
        let mut s = PeriodSums::default();
        s.add(&day(0, "normal"));
        assert_eq!(s.day_codes(), None);
        s.add(&day(2, "absent"));
        assert_eq!(s.day_codes(), Some(vec![None, Some("A")]));
    }
}

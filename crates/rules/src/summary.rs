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
    /// A day not over yet: its figures above are those once over, and
    /// until then it shows these.
    pub shown: Option<Shown<'a>>,
}

/// What a stored day not over yet shows until it falls due (its
/// `day_record.shown`), where it differs from its figures once over.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shown<'a> {
    /// When it falls due: microseconds since PostgreSQL's epoch.
    pub due: i64,
    pub status: &'a str,
    pub late_minutes: i32,
    pub early_minutes: i32,
    pub absent_minutes: i32,
    pub work_minutes: i32,
    pub overtime_minutes: i32,
    pub overtime_category: Option<&'a str>,
}

/// A day of the period not over yet (since 0.25.0): the period counts its
/// figures once over, so that nothing is written when it falls due, and
/// until `due` a report reads the period with `delta` added and the day's
/// code replaced by `code` (`PeriodSums::as_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownDay {
    pub due: i64,
    pub offset: i32,
    /// What showing the day changes in the counts: as shown less as once over.
    pub delta: [i64; COUNTS],
    pub code: Option<&'static str>,
}

impl ShownDay {
    /// The day's `ShownDay`, when it is not over yet.
    pub fn of(d: &StoredDay<'_>) -> Option<ShownDay> {
        let shown = d.shown?;
        let as_shown = StoredDay {
            status: shown.status,
            late_minutes: shown.late_minutes,
            early_minutes: shown.early_minutes,
            absent_minutes: shown.absent_minutes,
            work_minutes: shown.work_minutes,
            overtime_minutes: shown.overtime_minutes,
            overtime_category: shown.overtime_category,
            shown: None,
            ..*d
        };
        let (mut before, mut after) = (PeriodSums::default(), PeriodSums::default());
        before.count(d);
        after.count(&as_shown);
        let mut delta = after.counts();
        for (n, b) in delta.iter_mut().zip(before.counts()) {
            *n -= b;
        }
        let code = day_code(Some(shown.status), Some(d.leave_minutes));
        Some(ShownDay { due: shown.due, offset: d.offset, delta, code })
    }
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
    /// Its days not over yet, by offset.
    pub shown: Vec<ShownDay>,
}

/// How many counts and sums a period has: `PeriodSums::counts`.
pub const COUNTS: usize = 29;

/// The codes a day can have (`day_code`), as `&'static str`.
const CODES: [&str; 10] = ["-", "H", "WO", "L", "OD", "A", "MP", "HD", "P", "?"];

/// A stored code read back (`period_record.day_codes`) as `day_code` gives
/// it; `None` for a text no day has.
pub fn code_named(text: &str) -> Option<&'static str> {
    CODES.iter().copied().find(|c| *c == text)
}

/// What one stored day adds to its period: where it is (offset, department,
/// company), its counts (`PeriodSums::counts`) and its code. Owns nothing
/// of the row it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTally {
    offset: i32,
    place: (Option<i64>, Option<i64>),
    counts: [i64; COUNTS],
    code: Option<&'static str>,
    shown: Option<ShownDay>,
}

impl DayTally {
    pub fn of(d: &StoredDay<'_>) -> Self {
        let mut s = PeriodSums::default();
        s.count(d);
        DayTally {
            offset: d.offset,
            place: (d.org, d.company),
            counts: s.counts(),
            code: day_code(Some(d.status), Some(d.leave_minutes)),
            shown: ShownDay::of(d),
        }
    }
}

/// What replacing stored days in place (the same day, in the same period,
/// department and company) and adding days after the period's last stored
/// one change in their period: the counts' differences, each replaced
/// day's code before and after, and the days added. A day that moves or
/// changes place changes what the period's last day is, and the period is
/// summed again from its days instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodChange {
    counts: [i64; COUNTS],
    days: Vec<(DayTally, Option<&'static str>)>,
    /// Each added day's offset, place and code (its counts are in `counts`).
    added: Vec<Added>,
    /// The replaced days' offsets, whose days not over yet go.
    unshown: Vec<i32>,
    /// The days not over yet that the change stores.
    shown: Vec<ShownDay>,
}

type Added = (i32, (Option<i64>, Option<i64>), Option<&'static str>);

/// How many days one change adds to a period at most: a run stores a day,
/// a refresh a few ahead. A bulk load adds whole months; holding each of
/// their days here would cost far more memory than summing their periods
/// from their days, which the caller does once `add` refuses.
const MAX_ADDED: usize = 9;

impl PeriodChange {
    /// Records `before` replaced by `after`; false, recording nothing, when
    /// the two are not the same day at the same place of the period.
    pub fn replace(&mut self, before: &DayTally, after: &DayTally) -> bool {
        if before.offset != after.offset || before.place != after.place || before.offset < 1 {
            return false;
        }
        for (sum, (a, b)) in self.counts.iter_mut().zip(after.counts.iter().zip(&before.counts)) {
            *sum += a - b;
        }
        self.days.push((*before, after.code));
        self.unshown.push(before.offset);
        self.shown.extend(after.shown);
        true
    }

    /// Records `after` stored where no day was (a new day of the period,
    /// most often the next one: a day stored in its first hour); false,
    /// recording nothing, for a day before the period's first or past
    /// `MAX_ADDED` days added.
    pub fn add(&mut self, after: &DayTally) -> bool {
        if after.offset < 1 || self.added.len() >= MAX_ADDED {
            return false;
        }
        for (sum, a) in self.counts.iter_mut().zip(after.counts) {
            *sum += a;
        }
        self.added.push((after.offset, after.place, after.code));
        self.shown.extend(after.shown);
        true
    }
}

impl PeriodSums {
    pub fn add(&mut self, d: &StoredDay<'_>) {
        if self.last.is_none_or(|(offset, _, _)| d.offset > offset) {
            self.last = Some((d.offset, d.org, d.company));
        }
        self.count(d);
        self.codes.push((d.offset, day_code(Some(d.status), Some(d.leave_minutes))));
        self.shown.extend(ShownDay::of(d));
    }

    /// Adds what the day counts (its place and code aside).
    fn count(&mut self, d: &StoredDay<'_>) {
        let workday = matches!(d.day_kind, Some("workday" | "make_up_workday"));
        let code = day_code(Some(d.status), Some(d.leave_minutes));
        let count = |yes: bool| i64::from(yes);
        let minutes = |m: i32| i64::from(m);
        self.stored_days += 1;
        self.workdays += count(workday);
        self.days_attended += count(workday && d.work_minutes > 0);
        self.late_count += count(d.late_minutes > 0);
        self.late_minutes += minutes(d.late_minutes);
        self.early_count += count(d.early_minutes > 0);
        self.early_minutes += minutes(d.early_minutes);
        self.absence_count += count(d.absent_minutes > 0);
        self.absence_minutes += minutes(d.absent_minutes);
        self.missing_punches += count(matches!(d.status, "missing_check_in" | "missing_check_out"));
        self.work_minutes += minutes(d.work_minutes);
        let overtime = minutes(d.overtime_minutes);
        match d.overtime_category {
            Some("workday") => self.overtime_workday_minutes += overtime,
            Some("rest_day") => self.overtime_rest_day_minutes += overtime,
            Some("holiday") => self.overtime_holiday_minutes += overtime,
            _ => {}
        }
        self.leave_minutes += minutes(d.leave_minutes);
        self.trip_minutes += minutes(d.trip_minutes);
        self.outing_minutes += minutes(d.outing_minutes);
        self.appeal_minutes += minutes(d.appeal_minutes);
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
    }

    /// The counts and sums in `period_record`'s column order, from
    /// `stored_days` to `unjudged_days`.
    pub fn counts(&self) -> [i64; COUNTS] {
        let mut copy = PeriodSums { last: None, codes: Vec::new(), shown: Vec::new(), ..*self };
        copy.counts_mut().map(|n| *n)
    }

    /// The counts in `counts`' order, to be set.
    fn counts_mut(&mut self) -> [&mut i64; COUNTS] {
        [
            &mut self.stored_days,
            &mut self.workdays,
            &mut self.days_attended,
            &mut self.late_count,
            &mut self.late_minutes,
            &mut self.early_count,
            &mut self.early_minutes,
            &mut self.absence_count,
            &mut self.absence_minutes,
            &mut self.missing_punches,
            &mut self.work_minutes,
            &mut self.overtime_workday_minutes,
            &mut self.overtime_rest_day_minutes,
            &mut self.overtime_holiday_minutes,
            &mut self.leave_minutes,
            &mut self.trip_minutes,
            &mut self.outing_minutes,
            &mut self.appeal_minutes,
            &mut self.full_leave_days,
            &mut self.half_day_days,
            &mut self.half_day_leaves,
            &mut self.present_days,
            &mut self.absent_days,
            &mut self.on_duty_days,
            &mut self.missing_punch_days,
            &mut self.holidays,
            &mut self.rest_days,
            &mut self.pending_days,
            &mut self.unjudged_days,
        ]
    }

    /// A period as `period_record` stored it: its last day's department and
    /// company, its counts (`counts`) and its day codes, the first for its
    /// first day (a stored code each; `None` where no day or no code).
    /// `None` without codes (no day on or after the period's first), or
    /// when its counts of codes are not its codes' (`codes_agree`).
    pub fn stored(
        place: (Option<i64>, Option<i64>),
        counts: [i64; COUNTS],
        codes: &[Option<&'static str>],
    ) -> Option<Self> {
        let last = i32::try_from(codes.len()).ok().filter(|&n| n > 0)?;
        let mut s = PeriodSums {
            last: Some((last, place.0, place.1)),
            codes: (1..).zip(codes.iter().copied()).collect(),
            ..PeriodSums::default()
        };
        for (sum, n) in s.counts_mut().into_iter().zip(counts) {
            *sum = n;
        }
        s.codes_agree().then_some(s)
    }

    /// Do the counts that follow from the day codes alone (days present,
    /// absent, on leave, pending ...) count the codes stored? Not for a row
    /// changed behind the library's back, which is summed from its days.
    fn codes_agree(&self) -> bool {
        let count = |code: &str| self.codes.iter().filter(|(_, c)| *c == Some(code)).count() as i64;
        let coded = self.codes.iter().filter(|(_, c)| c.is_some()).count() as i64;
        self.full_leave_days == count("L")
            && self.half_day_days == count("HD")
            && self.present_days == count("P") + count("HD")
            && self.absent_days == count("A")
            && self.on_duty_days == count("OD")
            && self.missing_punch_days == count("MP")
            && self.holidays == count("H")
            && self.rest_days == count("WO")
            && self.pending_days == count("-")
            && self.unjudged_days == count("?")
            && self.stored_days >= coded
    }

    /// The period after `change`, from the sums stored before it; false,
    /// leaving it as it was, when the stored period does not hold a
    /// replaced day as it was (a day not stored there, another code, or as
    /// its last day another place), or a day is added at or before its
    /// last stored day (a code of none there cannot tell a day without a
    /// code from no day): it must then be summed from its days.
    pub fn apply(&mut self, change: &PeriodChange) -> bool {
        let Some((last, org, company)) = self.last else { return false };
        let holds = |(before, _): &(DayTally, Option<&'static str>)| {
            let at = usize::try_from(before.offset - 1).ok();
            before.offset <= last
                && at.and_then(|i| self.codes.get(i)) == Some(&(before.offset, before.code))
                && (before.offset < last || before.place == (org, company))
        };
        if !change.days.iter().all(holds) || change.added.iter().any(|&(offset, _, _)| offset <= last) {
            return false;
        }
        for (sum, d) in self.counts_mut().into_iter().zip(change.counts) {
            *sum += d;
        }
        for (before, after) in &change.days {
            self.codes[(before.offset - 1) as usize].1 = *after;
        }
        self.shown.retain(|s| !change.unshown.contains(&s.offset));
        self.shown.extend(change.shown.iter().copied());
        // the days added after the last, in order: the codes run on to
        // each (none for the days between), and the last is the latest
        let mut added = change.added.clone();
        added.sort_unstable_by_key(|&(offset, _, _)| offset);
        for (offset, place, code) in added {
            let end = self.codes.len() as i32;
            self.codes.extend((end + 1..offset).map(|o| (o, None)));
            self.codes.push((offset, code));
            self.last = Some((offset, place.0, place.1));
        }
        true
    }

    /// Forgets the days not over yet that have fallen due by `now` (they
    /// show their figures once over, which the counts hold), and keeps the
    /// rest in order of offset.
    pub fn keep_shown_after(&mut self, now: i64) {
        self.shown.retain(|s| s.due > now);
        self.shown.sort_unstable_by_key(|s| s.offset);
    }

    /// The counts and codes a report reads at `now`: those stored, with each
    /// day not over by then as it shows (`ShownDay`).
    /// False, leaving the counts in part changed, when one would overflow
    /// (only stored values no sums of days can give).
    pub fn as_of(counts: &mut [i64; COUNTS], codes: &mut [Option<&'static str>], shown: &[ShownDay], now: i64) -> bool {
        for s in shown.iter().filter(|s| s.due > now) {
            for (n, d) in counts.iter_mut().zip(s.delta) {
                match n.checked_add(d) {
                    Some(sum) => *n = sum,
                    None => return false,
                }
            }
            if let Some(slot) =
                usize::try_from(s.offset).ok().and_then(|o| o.checked_sub(1)).and_then(|i| codes.get_mut(i))
            {
                *slot = s.code;
            }
        }
        true
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

    /// A small deterministic generator (no dependency for one test).
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    const STATUSES: [&str; 13] = [
        "normal",
        "late",
        "early",
        "late_and_early",
        "half_day",
        "missing_check_in",
        "absent",
        "excused",
        "rest",
        "holiday",
        "pending",
        "no_rule",
        "not_employed",
    ];

    fn random_day(r: &mut Lcg, offset: i32, place: (Option<i64>, Option<i64>)) -> StoredDay<'static> {
        let kinds = [Some("workday"), Some("rest"), Some("holiday"), Some("make_up_workday"), None];
        let categories = [None, Some("workday"), Some("rest_day"), Some("holiday")];
        let minutes = |r: &mut Lcg| [0, 0, 5, 30, 240, 480][r.below(6) as usize];
        StoredDay {
            offset,
            org: place.0,
            company: place.1,
            day_kind: kinds[r.below(5) as usize],
            status: STATUSES[r.below(13) as usize],
            scheduled_minutes: [0, 480][r.below(2) as usize],
            late_minutes: minutes(r),
            early_minutes: minutes(r),
            absent_minutes: minutes(r),
            work_minutes: minutes(r),
            overtime_minutes: minutes(r),
            overtime_category: categories[r.below(4) as usize],
            leave_minutes: minutes(r),
            trip_minutes: minutes(r),
            outing_minutes: minutes(r),
            appeal_minutes: minutes(r),
            // one day in four not over yet, falling due at 0..=3
            shown: (r.below(4) == 0).then(|| Shown {
                due: r.below(4) as i64,
                status: "pending",
                late_minutes: minutes(r),
                ..Shown::default()
            }),
        }
    }

    /// A day as it shows at `now`.
    fn showing<'a>(d: &StoredDay<'a>, now: i64) -> StoredDay<'a> {
        match d.shown {
            Some(s) if s.due > now => StoredDay {
                status: s.status,
                late_minutes: s.late_minutes,
                early_minutes: s.early_minutes,
                absent_minutes: s.absent_minutes,
                work_minutes: s.work_minutes,
                overtime_minutes: s.overtime_minutes,
                overtime_category: s.overtime_category,
                shown: None,
                ..*d
            },
            _ => StoredDay { shown: None, ..*d },
        }
    }

    fn summed(days: &[StoredDay<'_>]) -> PeriodSums {
        let mut s = PeriodSums::default();
        days.iter().for_each(|d| s.add(d));
        s
    }

    /// The stored row of a period read back, as the adapter reads it
    /// (written at 0: the days due by then are forgotten).
    fn stored_as(s: &PeriodSums) -> PeriodSums {
        let (_, org, company) = s.last.unwrap();
        let mut stored = PeriodSums::stored((org, company), s.counts(), &s.day_codes().unwrap()).unwrap();
        stored.shown = s.shown.clone();
        stored.keep_shown_after(0);
        stored
    }

    const PLACES: [(Option<i64>, Option<i64>); 3] = [(Some(10), Some(1)), (Some(11), Some(1)), (None, None)];

    /// A random day at each offset, each at a random place.
    fn random_days(r: &mut Lcg, offsets: impl Iterator<Item = i32>) -> Vec<StoredDay<'static>> {
        offsets
            .map(|o| {
                let place = PLACES[r.below(3) as usize];
                random_day(r, o, place)
            })
            .collect()
    }

    /// Some of the days replaced, each by another of the same day and place.
    fn replace_some(r: &mut Lcg, days: &mut [StoredDay<'static>], change: &mut PeriodChange) {
        for day in days.iter_mut() {
            if r.below(3) == 0 {
                let after = random_day(r, day.offset, (day.org, day.company));
                assert!(change.replace(&DayTally::of(day), &DayTally::of(&after)));
                *day = after;
            }
        }
    }

    /// The stored period with `change` applied is the days' sums.
    fn assert_kept(mut stored: PeriodSums, change: &PeriodChange, days: &[StoredDay<'_>], round: i32) {
        assert!(stored.apply(change), "round {round}");
        let fresh = summed(days);
        assert_eq!(stored.counts(), fresh.counts(), "round {round}");
        assert_eq!(stored.day_codes(), fresh.day_codes(), "round {round}");
        assert_eq!(stored.last, fresh.last, "round {round}");
        // and a report at any instant reads the days as they show then
        for now in 0..4 {
            let mut counts = stored.counts();
            let mut codes = stored.day_codes().unwrap();
            assert!(PeriodSums::as_of(&mut counts, &mut codes, &stored.shown, now));
            let shown: Vec<StoredDay<'_>> = days.iter().map(|d| showing(d, now)).collect();
            let then = summed(&shown);
            assert_eq!(counts, then.counts(), "round {round} at {now}");
            assert_eq!(Some(codes), then.day_codes(), "round {round} at {now}");
        }
    }

    #[test]
    fn days_replaced_in_place_give_the_sums_of_the_days() {
        let mut r = Lcg(7);
        for round in 0..2000 {
            let len = 1 + r.below(31) as i32;
            let offsets: Vec<i32> = (1..=len).filter(|_| r.below(4) > 0 || round % 2 == 0).collect();
            if offsets.is_empty() {
                continue;
            }
            let mut days = random_days(&mut r, offsets.into_iter());
            let stored = stored_as(&summed(&days));
            let mut change = PeriodChange::default();
            replace_some(&mut r, &mut days, &mut change);
            assert_kept(stored, &change, &days, round);
        }
    }

    #[test]
    fn days_added_after_the_last_give_the_sums_of_the_days() {
        let mut r = Lcg(5);
        for round in 0..2000 {
            let len = 1 + r.below(20) as i32;
            let offsets: Vec<i32> = (1..=len).filter(|o| *o == len || r.below(4) > 0).collect();
            let mut days = random_days(&mut r, offsets.into_iter());
            let stored = stored_as(&summed(&days));
            // some days replaced, and one to three added after the last,
            // with gaps, not in order
            let mut change = PeriodChange::default();
            replace_some(&mut r, &mut days, &mut change);
            let mut next = len;
            let added: Vec<i32> = (0..1 + r.below(3))
                .map(|_| {
                    next += 1 + r.below(3) as i32;
                    next
                })
                .collect();
            let mut new = random_days(&mut r, added.into_iter().rev());
            for d in &new {
                assert!(change.add(&DayTally::of(d)));
            }
            days.append(&mut new);
            assert_kept(stored, &change, &days, round);
        }
    }

    #[test]
    fn a_day_added_at_or_before_the_last_is_summed_again() {
        let mut r = Lcg(13);
        let days = [random_day(&mut r, 1, (Some(10), Some(1))), random_day(&mut r, 4, (Some(10), Some(1)))];
        let stored = stored_as(&summed(&days));
        for offset in [2, 4] {
            let mut change = PeriodChange::default();
            assert!(change.add(&DayTally::of(&random_day(&mut r, offset, (Some(10), Some(1))))));
            let mut s = stored.clone();
            assert!(!s.apply(&change), "offset {offset}");
            assert_eq!(s, stored);
        }
        assert!(!PeriodChange::default().add(&DayTally::of(&random_day(&mut r, 0, (None, None)))));
        // a month added at once is more than a change holds
        let mut change = PeriodChange::default();
        let added = (5..=30).take_while(|&o| change.add(&DayTally::of(&random_day(&mut r, o, (None, None))))).count();
        assert_eq!(added, MAX_ADDED);
    }

    #[test]
    fn a_day_that_moves_or_is_not_stored_as_it_was_is_summed_again() {
        let mut r = Lcg(11);
        let first = random_day(&mut r, 1, (Some(10), Some(1)));
        let mut last = random_day(&mut r, 3, (Some(10), Some(1)));
        last.status = "pending";
        let stored = stored_as(&summed(&[first, last]));
        // another department on the same day: not in place
        let moved = StoredDay { org: Some(11), ..last };
        assert!(!PeriodChange::default().replace(&DayTally::of(&last), &DayTally::of(&moved)));
        // before the period's first day: no code to keep
        let early = StoredDay { offset: 0, ..last };
        assert!(!PeriodChange::default().replace(&DayTally::of(&early), &DayTally::of(&early)));
        let done = StoredDay { status: "absent", absent_minutes: 480, ..last };
        // a replaced day whose stored code differs (the row was not kept with it)
        let mut change = PeriodChange::default();
        assert!(change.replace(&DayTally::of(&StoredDay { status: "normal", ..last }), &DayTally::of(&done)));
        let mut s = stored.clone();
        assert!(!s.apply(&change));
        assert_eq!(s, stored);
        // a day after the stored last, or the stored last day at another place
        let mut change = PeriodChange::default();
        let later = StoredDay { offset: 5, ..last };
        assert!(change.replace(&DayTally::of(&later), &DayTally::of(&StoredDay { offset: 5, ..done })));
        assert!(!stored.clone().apply(&change));
        let elsewhere = stored_as(&summed(&[first, StoredDay { org: Some(12), ..last }]));
        let mut change = PeriodChange::default();
        assert!(change.replace(&DayTally::of(&last), &DayTally::of(&done)));
        assert!(!elsewhere.clone().apply(&change));
        // as it was: applied
        let mut s = stored.clone();
        assert!(s.apply(&change));
        assert_eq!((s.pending_days, s.absent_days), (stored.pending_days - 1, stored.absent_days + 1));
    }

    #[test]
    fn a_stored_period_whose_counts_are_not_its_codes_is_not_kept() {
        let mut r = Lcg(3);
        let days: Vec<StoredDay<'static>> = (1..=20).map(|o| random_day(&mut r, o, (Some(10), Some(1)))).collect();
        let s = summed(&days);
        let (_, org, company) = s.last.unwrap();
        let codes = s.day_codes().unwrap();
        assert!(PeriodSums::stored((org, company), s.counts(), &codes).is_some());
        // each count that follows from the codes, one off
        for i in [0, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28] {
            let mut counts = s.counts();
            counts[i] -= if i == 0 { 20 } else { 1 };
            assert!(PeriodSums::stored((org, company), counts, &codes).is_none(), "count {i}");
        }
        // a code changed alone
        let mut changed = codes.clone();
        changed[4] = if changed[4] == Some("A") { Some("P") } else { Some("A") };
        assert!(PeriodSums::stored((org, company), s.counts(), &changed).is_none());
    }

    #[test]
    fn stored_codes_are_read_back() {
        for code in CODES {
            assert_eq!(code_named(code), Some(code));
        }
        assert_eq!(code_named("X"), None);
        assert_eq!(PeriodSums::stored((None, None), [0; COUNTS], &[]), None);
    }
}

//! Local clock times and their conversion to instants in the rule's zone.
//!
//! A shift is written in wall-clock minutes from the local midnight of the
//! day it belongs to; the instant of such a minute depends on the zone and,
//! on DST switch days, on the date. Everything here is total: out-of-range
//! dates give `None` or saturate instead of panicking, because the SQL layer
//! may hand us any date PostgreSQL accepts.

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use std::fmt;

/// Minutes in a day.
pub(crate) const DAY: i64 = 1440;

/// Parses `"HH:MM"` (or `"H:MM"`) into minutes after midnight, 0..1440.
pub(crate) fn parse_hhmm(s: &str) -> Option<i64> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Local date-time `minutes` after the local midnight of `date`.
fn local_at(date: NaiveDate, minutes: i64) -> Option<NaiveDateTime> {
    // Shift times fall on the day or the next one; build those directly
    // rather than through general date arithmetic.
    let (day, m) = match minutes {
        0..DAY => (Some(date), minutes),
        DAY..=2879 => (date.succ_opt(), minutes - DAY),
        -1440..0 => (date.pred_opt(), minutes + DAY),
        _ => {
            return date.and_time(NaiveTime::MIN).checked_add_signed(TimeDelta::try_minutes(minutes)?);
        }
    };
    day?.and_hms_opt((m / 60) as u32, (m % 60) as u32, 0)
}

/// The instant of local wall-clock minute `minutes` (may be negative or
/// beyond a day) counted from the local midnight of `date`.
///
/// Ambiguous times (fall back) take the earlier instant; times that do not
/// exist (spring forward gap) are read with the offset in force before the
/// gap, which lands the same number of minutes after the gap's start, so a
/// shift starting in the gap still starts once.
pub(crate) fn local_to_utc(tz: &Tz, date: NaiveDate, minutes: i64) -> Option<DateTime<Utc>> {
    let local = local_at(date, minutes)?;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
        LocalResult::None => {
            // Gaps are at most a few hours; the offset three hours earlier is
            // the one before the gap.
            let before = local.checked_sub_signed(TimeDelta::hours(3))?;
            let offset = tz.offset_from_local_datetime(&before).earliest()?.fix();
            let utc = local.checked_sub_signed(TimeDelta::seconds(offset.local_minus_utc() as i64))?;
            Some(utc.and_utc())
        }
    }
}

/// [`local_to_utc`] as Unix seconds, the engine's internal time scale
/// (plain integers keep the per-day arithmetic cheap), with the wall-clock
/// reading when the instant really shows it (not inside a spring-forward
/// gap), for reuse in reasons.
pub(crate) fn local_to_ts_exact(tz: &Tz, date: NaiveDate, minutes: i64) -> Option<(i64, Option<NaiveDateTime>)> {
    let local = local_at(date, minutes)?;
    match tz.offset_from_local_datetime(&local) {
        LocalResult::Single(o) | LocalResult::Ambiguous(o, _) => {
            Some((local.and_utc().timestamp() - o.fix().local_minus_utc() as i64, Some(local)))
        }
        LocalResult::None => local_to_utc(tz, date, minutes).map(|t| (t.timestamp(), None)),
    }
}

/// Wall-clock readings already known for some instants of the day (the
/// shift's own times, converted through the zone cache), so reasons do not
/// look the zone up again for them. A reading is kept as a minute of the
/// evaluated day and rebuilt only when a reason needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Memo {
    keys: [i64; 12],
    minutes: [i64; 12],
    len: usize,
    next: usize,
}

impl Memo {
    pub(crate) fn new() -> Self {
        Memo { keys: [0; 12], minutes: [0; 12], len: 0, next: 0 }
    }

    /// Records that `secs` shows wall-clock minute `minute` of the day.
    pub(crate) fn put_minute(&mut self, secs: i64, minute: i64) {
        self.keys[self.next] = secs;
        self.minutes[self.next] = minute;
        self.next = (self.next + 1) % self.keys.len();
        self.len = (self.len + 1).min(self.keys.len());
    }

    /// The reading of `secs` on `date`, if recorded.
    pub(crate) fn get(&self, secs: i64, date: NaiveDate) -> Option<NaiveDateTime> {
        let i = self.keys[..self.len].iter().position(|&k| k == secs)?;
        local_at(date, self.minutes[i])
    }
}

/// The instant of Unix seconds `secs`, saturating at chrono's limits.
pub(crate) fn from_ts(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(if secs < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// Turns Unix seconds near one date back into instants cheaply.
///
/// chrono's general conversion re-derives the calendar date from the day
/// number every time; instants of one evaluated day are all within a few
/// days of it, so stepping from the known date is enough.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NearDay {
    date: NaiveDate,
    unix_day: i64,
}

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAY_CE: i64 = 719_163;

impl NearDay {
    pub(crate) fn new(date: NaiveDate) -> Self {
        NearDay { date, unix_day: date.num_days_from_ce() as i64 - UNIX_EPOCH_DAY_CE }
    }

    pub(crate) fn instant(&self, secs: i64) -> DateTime<Utc> {
        let delta = secs.div_euclid(86_400) - self.unix_day;
        let rem = secs.rem_euclid(86_400) as u32;
        if (-7..=7).contains(&delta) {
            let date = match delta {
                0 => Some(self.date),
                1 => self.date.succ_opt(),
                -1 => self.date.pred_opt(),
                d if d > 0 => self.date.checked_add_days(chrono::Days::new(d as u64)),
                d => self.date.checked_sub_days(chrono::Days::new(d.unsigned_abs())),
            };
            if let (Some(d), Some(t)) = (date, NaiveTime::from_num_seconds_from_midnight_opt(rem, 0)) {
                return d.and_time(t).and_utc();
            }
        }
        from_ts(secs)
    }
}

/// The local date-time of an instant in the rule's zone.
pub(crate) fn to_local(tz: &Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(tz).naive_local()
}

/// Whole minutes in `secs`, rounded down; 59 seconds late is not late.
pub(crate) fn floor_minutes(secs: i64) -> i64 {
    secs.div_euclid(60)
}

/// Clamps to the `i32` range used in results.
pub(crate) fn to_i32(v: i64) -> i32 {
    v.clamp(0, i32::MAX as i64) as i32
}

/// Displays a local time as `HH:MM`, adding `(+1d)` / `(-1d)` when it falls
/// on another day than `day`, so night-shift reasons stay unambiguous.
pub(crate) struct Hhmm {
    pub(crate) local: NaiveDateTime,
    pub(crate) day: NaiveDate,
}

impl Hhmm {
    /// Appends `HH:MM` (and the day marker) without `core::fmt`.
    pub(crate) fn push_to_string(&self, out: &mut String) {
        const TWO: &str = "000102030405060708091011121314151617181920212223242526272829\
                           303132333435363738394041424344454647484950515253545556575859";
        let two = |v: u32| {
            let i = (v.min(59) * 2) as usize;
            &TWO[i..i + 2]
        };
        out.push_str(two(self.local.hour()));
        out.push(':');
        out.push_str(two(self.local.minute()));
        let date = self.local.date();
        if date != self.day {
            let days = (date - self.day).num_days();
            out.push_str(if days > 0 { " (+" } else { " (-" });
            out.push_str(&days.unsigned_abs().to_string());
            out.push_str("d)");
        }
    }
}

impl fmt::Display for Hhmm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(12);
        self.push_to_string(&mut s);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_clock_times() {
        assert_eq!(parse_hhmm("09:00"), Some(540));
        assert_eq!(parse_hhmm("9:05"), Some(545));
        assert_eq!(parse_hhmm("23:59"), Some(1439));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("09:60"), None);
        assert_eq!(parse_hhmm("0900"), None);
        assert_eq!(parse_hhmm("-1:00"), None);
        assert_eq!(parse_hhmm("+9:00"), None);
    }

    #[test]
    fn spring_forward_gap_lands_after_the_gap() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        // 02:30 does not exist; read with EST it is 07:30Z = 03:30 EDT.
        let t = local_to_utc(&tz, d, 150).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-08T07:30:00+00:00");
    }

    #[test]
    fn near_day_matches_chrono() {
        for date in [
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 28).unwrap(),
            NaiveDate::MIN,
            NaiveDate::MAX,
        ] {
            let near = NearDay::new(date);
            let base = date.and_time(NaiveTime::MIN).and_utc().timestamp();
            for secs in (-10 * 86_400..10 * 86_400).step_by(3_607) {
                let t = base.saturating_add(secs);
                assert_eq!(near.instant(t), from_ts(t), "{date} {secs}");
            }
        }
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let h = Hhmm { local: d.and_hms_opt(7, 5, 0).unwrap(), day: d };
        assert_eq!(h.to_string(), "07:05");
        let h = Hhmm { local: d.and_hms_opt(23, 59, 0).unwrap(), day: d.pred_opt().unwrap() };
        assert_eq!(h.to_string(), "23:59 (+1d)");
    }

    #[test]
    fn local_minutes_match_general_arithmetic() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        for m in (-3000..4500).step_by(7) {
            let general = d.and_time(NaiveTime::MIN).checked_add_signed(TimeDelta::minutes(m));
            assert_eq!(local_at(d, m), general, "{m}");
        }
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        assert!(local_to_utc(&tz, NaiveDate::MAX, 3000).is_none());
        let _ = local_to_utc(&tz, NaiveDate::MIN, -3000);
        assert_eq!(from_ts(i64::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(from_ts(i64::MIN), DateTime::<Utc>::MIN_UTC);
    }
}

//! What the evaluation of one employee-day returns.
//!
//! Plain data with `serde::Serialize`, so the SQL layer can return it as a
//! composite row or as JSON. Instants serialize as RFC 3339 UTC strings,
//! local clock readings as `YYYY-MM-DDTHH:MM:SS` without zone, dates as
//! `YYYY-MM-DD`.

use crate::calendar::DayKind;
use crate::overtime::OvertimeCategory;
use crate::punch::PunchSource;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// Attendance status of a day or of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// On time, nothing missing.
    Normal,
    /// Late beyond the allowance.
    Late,
    /// Left early beyond the allowance.
    Early,
    /// Both late and early.
    LateAndEarly,
    /// A check-out but no check-in.
    MissingCheckIn,
    /// A check-in but no check-out.
    MissingCheckOut,
    /// No punch at all (not counted as absence by the rule).
    NoPunch,
    /// Counted as absent (旷工).
    Absent,
    /// Worked less than the rule's half-day threshold (a judgement of the
    /// whole day, never of a period; see `working_hours_thresholds`).
    HalfDay,
    /// Fully covered by leave, trip, outing or appeal.
    Excused,
    /// Rest day.
    Rest,
    /// Public holiday.
    Holiday,
    /// Scheduled rule, no shift scheduled.
    Unscheduled,
    /// The rule's validity does not cover the day.
    NotInValidity,
    /// The day cannot be placed on chrono's calendar (beyond year ±262143).
    OutOfRange,
    /// A shift period has not ended yet, or its assumed check-out (the
    /// rule's `auto_check_out_minutes`) has not come: nothing is judged
    /// missing, early or absent until then (see [`crate::pending`]).
    Pending,
}

impl Status {
    /// The snake_case name, as serde writes it and the SQL columns show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Normal => "normal",
            Status::Late => "late",
            Status::Early => "early",
            Status::LateAndEarly => "late_and_early",
            Status::MissingCheckIn => "missing_check_in",
            Status::MissingCheckOut => "missing_check_out",
            Status::NoPunch => "no_punch",
            Status::Absent => "absent",
            Status::HalfDay => "half_day",
            Status::Excused => "excused",
            Status::Rest => "rest",
            Status::Holiday => "holiday",
            Status::Unscheduled => "unscheduled",
            Status::NotInValidity => "not_in_validity",
            Status::OutOfRange => "out_of_range",
            Status::Pending => "pending",
        }
    }
}

impl Status {
    /// Severity for folding period statuses into the day's: the most
    /// severe period decides.
    ///
    /// A half day is worse than being late or early (it costs half the
    /// day) but milder than a missing punch, which leaves the worked time
    /// unknown; no period is ever a half day, so it only decides whether
    /// the half-day threshold may replace the day's status.
    pub(crate) fn severity(self) -> u8 {
        match self {
            Status::Absent => 10,
            Status::NoPunch => 9,
            Status::MissingCheckIn => 8,
            Status::MissingCheckOut => 7,
            Status::HalfDay => 6,
            Status::LateAndEarly => 5,
            Status::Late => 4,
            Status::Early => 3,
            Status::Normal => 2,
            Status::Excused => 1,
            _ => 0,
        }
    }
}

/// A punch used as check-in or check-out.
///
/// Serializes as `{"at": .., "local": .., "source": ..}`. The local clock
/// reading is worked out when asked for: it costs a time zone lookup, and
/// callers storing only instants should not pay for it on every day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PunchTime {
    /// The instant.
    pub at: DateTime<Utc>,
    /// Where the punch came from; `auto_check_out` for a check-out the
    /// engine assumed.
    pub source: PunchSource,
    /// The rule's zone, for [`PunchTime::local`].
    zone: Tz,
}

impl PunchTime {
    pub(crate) fn new(at: DateTime<Utc>, source: PunchSource, zone: Tz) -> Self {
        PunchTime { at, source, zone }
    }

    /// Wall-clock reading in the rule's time zone.
    pub fn local(&self) -> NaiveDateTime {
        crate::clock::to_local(&self.zone, self.at)
    }
}

impl Serialize for PunchTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PunchTime", 3)?;
        st.serialize_field("at", &self.at.to_rfc3339_opts(SecondsFormat::AutoSi, true))?;
        st.serialize_field("local", &self.local().format("%Y-%m-%dT%H:%M:%S").to_string())?;
        st.serialize_field("source", &self.source)?;
        st.end()
    }
}

/// One period of the day's shift.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodResult {
    /// Start as judged: the scheduled start, moved by a flex rule if one
    /// applied (for a flexible shift: the earliest check-in).
    #[serde(serialize_with = "ser_instant")]
    pub start: DateTime<Utc>,
    /// End as judged: the scheduled end, moved by a flex rule if one applied
    /// (for a flexible shift: when the check-out was due).
    #[serde(serialize_with = "ser_instant")]
    pub end: DateTime<Utc>,
    /// Check-in used, if any.
    pub check_in: Option<PunchTime>,
    /// Check-out used, if any.
    pub check_out: Option<PunchTime>,
    /// Late minutes that count.
    pub late_minutes: i32,
    /// Early-leave minutes that count.
    pub early_minutes: i32,
    /// Absent minutes.
    pub absent_minutes: i32,
    /// Minutes worked within the (flex-adjusted) period, breaks left out.
    pub work_minutes: i32,
    /// Status of this period.
    pub status: Status,
    /// The period's breaks as judged (not work, never late, early or
    /// absent); empty, and left out of the JSON, without breaks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<PeriodBreak>,
    /// Where lateness is measured from: `start`, or a flexible shift's
    /// latest check-in, or where an excuse covering the start ends. A day
    /// not over yet measures its "late so far" from here
    /// (`crate::pending::settle`).
    #[serde(skip)]
    pub late_from: DateTime<Utc>,
    /// Seconds of duty the period asks for, excuses left out: lateness
    /// counts no more (leave covering its end caps it where it begins).
    #[serde(skip)]
    pub required_secs: i64,
}

/// A break inside a period, as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PeriodBreak {
    /// Start of the break.
    #[serde(serialize_with = "ser_instant")]
    pub start: DateTime<Utc>,
    /// End of the break.
    #[serde(serialize_with = "ser_instant")]
    pub end: DateTime<Utc>,
}

impl PeriodResult {
    /// Seconds of `[a, b)` inside the period's duty time: breaks left out.
    pub(crate) fn duty_secs(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        let breaks: Vec<(i64, i64)> = self.breaks.iter().map(|x| (x.start.timestamp(), x.end.timestamp())).collect();
        crate::duty::secs(a.timestamp(), b.timestamp(), &breaks)
    }
}

/// The evaluation of one employee-day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayResult {
    /// The local day evaluated (a night shift belongs to the day it starts).
    #[serde(serialize_with = "ser_date")]
    pub date: NaiveDate,
    /// Name of the rule used.
    pub rule: Arc<str>,
    /// Name of the shift used, if any.
    pub shift: Option<Arc<str>>,
    /// Kind of day.
    pub kind: DayKind,
    /// Status of the day: the most severe period status, or the day's kind.
    pub status: Status,
    /// Per-period check-ins, check-outs and figures.
    pub periods: Vec<PeriodResult>,
    /// Minutes the shift asks for (real minutes: DST nights differ).
    pub scheduled_minutes: i32,
    /// Late minutes that count (sum over periods; 0 on a day absent by
    /// worked time, whose periods keep their own figures).
    pub late_minutes: i32,
    /// Early-leave minutes that count (as late minutes).
    pub early_minutes: i32,
    /// Absent minutes (on a day absent by worked time: all the time the
    /// shift required, less excuses).
    pub absent_minutes: i32,
    /// Minutes worked: within the shift on workdays, first to last punch
    /// on rest days and holidays.
    pub work_minutes: i32,
    /// Minutes present as punched: each period from its check-in to its
    /// check-out (the in/out pairs under `work_time: "pairs"`), not clipped
    /// to the shift, breaks left out; a period without both punches, or
    /// closed by an assumed check-out, adds nothing. On rest days and
    /// holidays the minutes worked. Weekly quantity overtime counts these.
    pub attended_minutes: i32,
    /// Overtime minutes.
    pub overtime_minutes: i32,
    /// Category of the overtime, when there is any.
    pub overtime_category: Option<OvertimeCategory>,
    /// Punches outside every location's radius: kept, flagged, not counted.
    #[serde(serialize_with = "ser_instants")]
    pub outside_punches: Vec<DateTime<Utc>>,
    /// Why each figure is what it is, in plain words.
    pub reasons: Vec<String>,
    /// Minutes later the day may start for what the previous workday's
    /// last real check-out earned (flex.leave_late_arrive_late), whether
    /// or not the day uses them: a day without its check-in yet changes
    /// by a void of that check-out only here (the correction checks
    /// compare it; left out of the JSON).
    #[serde(skip)]
    pub later_start_earned: i64,
}

impl DayResult {
    /// A day with no figures yet.
    pub(crate) fn empty(date: NaiveDate, rule: &Arc<str>, kind: DayKind, status: Status) -> Self {
        DayResult {
            date,
            rule: Arc::clone(rule),
            shift: None,
            kind,
            status,
            periods: Vec::new(),
            scheduled_minutes: 0,
            late_minutes: 0,
            early_minutes: 0,
            absent_minutes: 0,
            work_minutes: 0,
            attended_minutes: 0,
            overtime_minutes: 0,
            overtime_category: None,
            outside_punches: Vec::new(),
            reasons: Vec::new(),
            later_start_earned: 0,
        }
    }
}

fn ser_instant<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

fn ser_instants<S: Serializer>(ts: &[DateTime<Utc>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ts.iter().map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
}

fn ser_date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

#[cfg(test)]
mod half_day {
    use super::Status;

    #[test]
    fn half_day_is_named_and_ranked_between_late_and_missing() {
        assert_eq!(Status::HalfDay.as_str(), "half_day");
        assert_eq!(serde_json::to_value(Status::HalfDay).unwrap(), "half_day");
        assert!(Status::HalfDay.severity() > Status::LateAndEarly.severity());
        assert!(Status::HalfDay.severity() < Status::MissingCheckOut.severity());
    }
}

#[cfg(test)]
mod names {
    use super::*;
    use crate::calendar::DayKind;
    use crate::overtime::OvertimeCategory;

    fn serde_name<T: Serialize>(v: T) -> String {
        serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()
    }

    #[test]
    fn as_str_is_the_serde_name() {
        use Status::*;
        for s in [
            Normal,
            Late,
            Early,
            LateAndEarly,
            MissingCheckIn,
            MissingCheckOut,
            NoPunch,
            Absent,
            Excused,
            Rest,
            Holiday,
            Unscheduled,
            NotInValidity,
            OutOfRange,
            Pending,
        ] {
            assert_eq!(s.as_str(), serde_name(s));
        }
        for k in [DayKind::Workday, DayKind::Rest, DayKind::Holiday, DayKind::MakeUpWorkday] {
            assert_eq!(k.as_str(), serde_name(k));
        }
        for c in [OvertimeCategory::Workday, OvertimeCategory::RestDay, OvertimeCategory::Holiday] {
            assert_eq!(c.as_str(), serde_name(c));
        }
    }
}

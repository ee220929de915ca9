//! The table-free entry point: rule JSON plus a request JSON in, results
//! out. The SQL layer exposes it so the engine can be used and tested
//! without any tables.
//!
//! Request format:
//!
//! ```json
//! {
//!   "from": "2026-03-02", "to": "2026-03-06",
//!   "punches": [{"at": "2026-03-02T09:03:00+08:00", "lat": 31.23, "lon": 121.47, "source": "device"}],
//!   "excuses": [{"kind": "leave", "from": "2026-03-03T09:00:00+08:00", "to": "2026-03-03T10:00:00+08:00"}],
//!   "holidays": [{"date": "2026-03-05", "kind": "holiday"}, {"date": "2026-03-07", "kind": "make_up_workday"}],
//!   "schedule": [{"date": "2026-03-02", "shift": "night"}, {"date": "2026-03-03", "shift": null}]
//! }
//! ```
//!
//! `to` defaults to `from`; `source` defaults to `device`; instants are RFC
//! 3339 (PostgreSQL's `2026-03-02 09:03:00+08` form is accepted too);
//! excuse kinds are `leave`, `business_trip`, `outing`, `appeal`.

use crate::batch::{evaluate_range, EmployeeDays};
use crate::calendar::{CalendarMark, HolidayCalendar, Schedule, ScheduleEntry};
use crate::punch::{Excuse, ExcuseKind, Punch, PunchSource};
use crate::result::DayResult;
use crate::rule::Rule;
use crate::RuleError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

/// Longest range one request may evaluate, in days.
pub const MAX_REQUEST_DAYS: i64 = 3700;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestSpec {
    from: String,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    punches: Vec<PunchSpec>,
    #[serde(default)]
    excuses: Vec<ExcuseSpec>,
    #[serde(default)]
    holidays: Vec<HolidaySpec>,
    #[serde(default)]
    schedule: Vec<ScheduleSpec>,
    /// When given, periods that have not ended by then are pending.
    #[serde(default)]
    now: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PunchSpec {
    at: String,
    #[serde(default)]
    lat: Option<f64>,
    #[serde(default)]
    lon: Option<f64>,
    #[serde(default = "device")]
    source: PunchSource,
}

fn device() -> PunchSource {
    PunchSource::Device
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcuseSpec {
    kind: ExcuseKind,
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidaySpec {
    date: String,
    kind: CalendarMark,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleSpec {
    date: String,
    shift: Option<String>,
}

/// A parsed evaluation request for one employee.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// Punches, sorted.
    pub punches: Vec<Punch>,
    /// Excuses.
    pub excuses: Vec<Excuse>,
    /// Holiday calendar.
    pub calendar: HolidayCalendar,
    /// Schedule (scheduled rules).
    pub schedule: Schedule,
    /// "Now", if given: what has not ended by then is pending ([`crate::pending`]).
    pub now: Option<DateTime<Utc>>,
}

/// Parses an instant: RFC 3339, or PostgreSQL's `timestamptz` text form.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn date(s: &str, path: String) -> Result<NaiveDate, RuleError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| RuleError::datetime(path, s, "expected an existing date \"YYYY-MM-DD\""))
}

fn instant(s: &str, path: String) -> Result<DateTime<Utc>, RuleError> {
    parse_instant(s)
        .ok_or_else(|| RuleError::datetime(path, s, "expected an RFC 3339 instant such as 2026-03-02T09:00:00+08:00"))
}

impl Request {
    /// Parses request JSON; shift names are resolved against `rule`.
    pub fn from_json(rule: &Rule, text: &str) -> Result<Request, RuleError> {
        let spec: RequestSpec = serde_json::from_str(text).map_err(|e| RuleError::from_json(text, &e))?;
        let from = date(&spec.from, "from".into())?;
        let to = match &spec.to {
            Some(t) => date(t, "to".into())?,
            None => from,
        };
        let days = (to - from).num_days();
        if !(0..MAX_REQUEST_DAYS).contains(&days) {
            return Err(RuleError::range("to", format!("must be from `from` to {MAX_REQUEST_DAYS} days after it")));
        }
        let mut punches = Vec::with_capacity(spec.punches.len());
        for (i, p) in spec.punches.iter().enumerate() {
            punches.push(Punch {
                at: instant(&p.at, format!("punches[{i}].at"))?,
                lat: p.lat,
                lon: p.lon,
                source: p.source,
            });
        }
        punches.sort_by(crate::punch::punch_order);
        let mut excuses = Vec::with_capacity(spec.excuses.len());
        for (i, e) in spec.excuses.iter().enumerate() {
            let a = instant(&e.from, format!("excuses[{i}].from"))?;
            let b = instant(&e.to, format!("excuses[{i}].to"))?;
            if b <= a {
                return Err(RuleError::range(format!("excuses[{i}].to"), "must be after from"));
            }
            excuses.push(Excuse { kind: e.kind, from: a, to: b });
        }
        let mut marks = Vec::with_capacity(spec.holidays.len());
        for (i, h) in spec.holidays.iter().enumerate() {
            marks.push((date(&h.date, format!("holidays[{i}].date"))?, h.kind));
        }
        let mut entries = Vec::with_capacity(spec.schedule.len());
        for (i, s) in spec.schedule.iter().enumerate() {
            let d = date(&s.date, format!("schedule[{i}].date"))?;
            let entry = match &s.shift {
                None => ScheduleEntry::Rest,
                Some(name) => ScheduleEntry::Shift(rule.shift_id(name).ok_or_else(|| RuleError::UnknownShift {
                    path: format!("schedule[{i}].shift"),
                    name: name.clone(),
                })?),
            };
            entries.push((d, entry));
        }
        let now = spec.now.as_deref().map(|t| instant(t, "now".into())).transpose()?;
        Ok(Request {
            from,
            to,
            punches,
            excuses,
            calendar: HolidayCalendar::new(marks),
            schedule: Schedule::new(entries),
            now,
        })
    }

    /// Evaluates every day of the request.
    pub fn evaluate(&self, rule: &Rule) -> Vec<DayResult> {
        let data = EmployeeDays {
            calendar: &self.calendar,
            schedule: &self.schedule,
            punches: self.now.map_or(&self.punches[..], |now| crate::pending::made_by(&self.punches, now)),
            excuses: &self.excuses,
        };
        let mut days = evaluate_range(rule, self.from, self.to, &data);
        if let Some(now) = self.now {
            days.iter_mut().for_each(|d| crate::pending::settle(rule, d, now));
        }
        days
    }
}

/// Parses the rule and the request and evaluates the request's days.
pub fn evaluate_json(rule_json: &str, request_json: &str) -> Result<Vec<DayResult>, RuleError> {
    let rule = Rule::from_json(rule_json)?;
    let request = Request::from_json(&rule, request_json)?;
    Ok(request.evaluate(&rule))
}

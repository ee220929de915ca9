//! SQL entry points of the rule engine (SPEC.md B and C): write-time rule
//! validation, rule resolution by scope precedence, and day evaluation over
//! the stored punches. Rows are loaded once per call for the whole date range
//! and handed to `attendance_rules`, which decides.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use attendance_rules::applicability::{choose_rule, Candidate, Entry};
use attendance_rules::{
    for_each_day, leave_minutes, CalendarMark, DayResult, EmployeeDays, Excuse, ExcuseKind, HolidayCalendar, Punch,
    PunchSource, Request, Rule, Schedule,
};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use pgrx::datum::{Date, TimestampWithTimeZone};
use pgrx::prelude::*;
use pgrx::spi::SpiClient;
use pgrx::JsonB;

use crate::dates::{self, period};
use crate::errors::{self, raise};
use crate::plans::with_plan;

const INT8OID: PgBuiltInOids = PgBuiltInOids::INT8OID;
const DATEOID: PgBuiltInOids = PgBuiltInOids::DATEOID;
const INT8ARRAYOID: PgBuiltInOids = PgBuiltInOids::INT8ARRAYOID;
const TIMESTAMPTZOID: PgBuiltInOids = PgBuiltInOids::TIMESTAMPTZOID;

/// Parsed rules kept for the backend's life, keyed by their JSON text: a
/// rule is parsed once however many days use it, and an edited version has
/// other text, so the cache needs no invalidation.
const CACHED_RULES: usize = 1024;
thread_local! {
    static RULES: RefCell<HashMap<String, Rc<Rule>>> = RefCell::new(HashMap::new());
}

/// The parsed rule for a configuration, or the validation error raised with its SQLSTATE.
pub fn parsed_rule(config: &str) -> Rc<Rule> {
    RULES.with(|cache| {
        if let Some(rule) = cache.borrow().get(config) {
            return rule.clone();
        }
        let rule = Rc::new(Rule::from_json(config).unwrap_or_else(|e| errors::rule(e)));
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHED_RULES {
            cache.clear();
        }
        cache.insert(config.to_owned(), rule.clone());
        rule
    })
}

/// Write-time check of a rule version: true, or an error naming the field.
#[pg_extern(immutable, strict, parallel_safe)]
fn att_rule_validate(config: JsonB) -> bool {
    parsed_rule(&config.0.to_string());
    true
}

// ---------------------------------------------------------------------------
// Loading one employee's rows for a range of days.

/// A rule version: in force from `from` until the next version of its rule.
struct Version {
    rule_id: i64,
    from: NaiveDate,
    rule: Rc<Rule>,
}

/// Everything the evaluation of one employee's days needs.
struct Loaded {
    person: Vec<(i64, Option<attendance_scope::Period>)>,
    /// Primary memberships: period and org path (company first).
    primary: Vec<(attendance_scope::Period, Vec<i64>)>,
    org_rules: HashMap<i64, i64>,
    versions: Vec<Version>,
    holidays: HashMap<i64, Vec<(NaiveDate, CalendarMark)>>,
    schedule: Vec<(NaiveDate, Option<String>)>,
    punches: Vec<Punch>,
    excuses: Vec<Excuse>,
}

const PERSON_ENTRIES: &str =
    "SELECT rule_id, lower(validity), upper(validity), validity IS NULL FROM attendance.rule_person WHERE employee_id = $1";
const PRIMARY_MEMBERSHIPS: &str = "
SELECT lower(m.period), upper(m.period), o.path
  FROM attendance.membership m JOIN attendance.org o ON o.org_id = m.org_id
 WHERE m.employee_id = $1 AND m.kind = 'primary' AND m.period && daterange($2, $3, '[]')";
const ORG_RULES: &str = "SELECT org_id, rule_id FROM attendance.rule_org WHERE org_id = ANY ($1)";
const VERSIONS: &str = "
SELECT rule_id, valid_from, config::text FROM attendance.rule_version
 WHERE rule_id = ANY ($1) ORDER BY rule_id, valid_from";
const HOLIDAYS: &str = "
SELECT company_id, day, mark = 'holiday' FROM attendance.holiday
 WHERE company_id = ANY ($1) AND day BETWEEN $2 AND $3";
const SCHEDULE: &str = "SELECT day, shift FROM attendance.schedule WHERE employee_id = $1 AND day BETWEEN $2 AND $3";
const PUNCHES: &str = "
SELECT p.at, p.lat, p.lon, p.source::text FROM attendance.punch p
 WHERE p.employee_id = $1 AND p.at >= $2 AND p.at < $3
   AND NOT EXISTS (SELECT 1 FROM attendance.punch_void v WHERE v.employee_id = p.employee_id AND v.punch_id = p.punch_id)
 ORDER BY p.at";
const EXCUSES: &str = "
SELECT kind::text, lower(during), upper(during) FROM attendance.excuse
 WHERE employee_id = $1 AND during && tstzrange($2, $3)";

fn utc_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

impl Loaded {
    fn load(client: &SpiClient<'_>, employee: i64, first: NaiveDate, last: NaiveDate) -> Loaded {
        // Leave-late-arrive-late looks back to the previous workday; night
        // shifts and time zones reach a day or two past either end.
        let lookback = first.checked_sub_days(Days::new(33)).unwrap_or(first);
        let lookahead = last.checked_add_days(Days::new(3)).unwrap_or(last);
        let pg_last = dates::to_pg(last);

        let person = rows(client, PERSON_ENTRIES, &[INT8OID], &[employee.into()], |row| {
            let undated: bool = row.get(4).ok().flatten().unwrap_or(true);
            let validity = (!undated).then(|| period(row.get(2).ok().flatten(), row.get(3).ok().flatten()));
            (row.get::<i64>(1).ok().flatten().unwrap_or_default(), validity)
        });
        let primary = rows(
            client,
            PRIMARY_MEMBERSHIPS,
            &[INT8OID, DATEOID, DATEOID],
            &[employee.into(), dates::to_pg(lookback).into(), pg_last.into()],
            |row| {
                let path: Vec<i64> = row.get::<Vec<i64>>(3).ok().flatten().unwrap_or_default();
                (period(row.get(1).ok().flatten(), row.get(2).ok().flatten()), path)
            },
        );
        let orgs: Vec<i64> = primary.iter().flat_map(|(_, path)| path.iter().copied()).collect();
        let org_rules: HashMap<i64, i64> = rows(client, ORG_RULES, &[INT8ARRAYOID], &[orgs.clone().into()], |row| {
            (row.get::<i64>(1).ok().flatten().unwrap_or_default(), row.get::<i64>(2).ok().flatten().unwrap_or_default())
        })
        .into_iter()
        .collect();
        let mut rule_ids: Vec<i64> = person.iter().map(|(r, _)| *r).chain(org_rules.values().copied()).collect();
        rule_ids.sort_unstable();
        rule_ids.dedup();
        let versions = rows(client, VERSIONS, &[INT8ARRAYOID], &[rule_ids.into()], |row| {
            let config: String = row.get(3).ok().flatten().unwrap_or_default();
            Version {
                rule_id: row.get(1).ok().flatten().unwrap_or_default(),
                from: row.get::<Date>(2).ok().flatten().and_then(dates::from_pg).unwrap_or(NaiveDate::MIN),
                rule: parsed_rule(&config),
            }
        });
        let companies: Vec<i64> = primary.iter().filter_map(|(_, path)| path.first().copied()).collect();
        let mut holidays: HashMap<i64, Vec<(NaiveDate, CalendarMark)>> = HashMap::new();
        for (company, day, is_holiday) in rows(
            client,
            HOLIDAYS,
            &[INT8ARRAYOID, DATEOID, DATEOID],
            &[companies.into(), dates::to_pg(lookback).into(), dates::to_pg(lookahead).into()],
            |row| {
                (
                    row.get::<i64>(1).ok().flatten().unwrap_or_default(),
                    row.get::<Date>(2).ok().flatten().and_then(dates::from_pg),
                    row.get::<bool>(3).ok().flatten().unwrap_or(false),
                )
            },
        ) {
            let mark = if is_holiday { CalendarMark::Holiday } else { CalendarMark::MakeUpWorkday };
            if let Some(day) = day {
                holidays.entry(company).or_default().push((day, mark));
            }
        }
        let schedule = rows(
            client,
            SCHEDULE,
            &[INT8OID, DATEOID, DATEOID],
            &[employee.into(), dates::to_pg(lookback).into(), dates::to_pg(lookahead).into()],
            |row| (row.get::<Date>(1).ok().flatten().and_then(dates::from_pg), row.get::<String>(2).ok().flatten()),
        )
        .into_iter()
        .filter_map(|(d, s)| d.map(|d| (d, s)))
        .collect();
        let (from_ts, to_ts) = (to_pg_ts(utc_midnight(lookback)), to_pg_ts(utc_midnight(lookahead)));
        let punches = rows(
            client,
            PUNCHES,
            &[INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID],
            &[employee.into(), from_ts.into(), to_ts.into()],
            |row| {
                row.get::<TimestampWithTimeZone>(1).ok().flatten().and_then(from_pg_ts).map(|at| Punch {
                    at,
                    lat: row.get(2).ok().flatten(),
                    lon: row.get(3).ok().flatten(),
                    source: punch_source(&row.get::<String>(4).ok().flatten().unwrap_or_default()),
                })
            },
        )
        .into_iter()
        .flatten()
        .collect();
        let excuses = rows(
            client,
            EXCUSES,
            &[INT8OID, TIMESTAMPTZOID, TIMESTAMPTZOID],
            &[employee.into(), from_ts.into(), to_ts.into()],
            |row| {
                let kind = excuse_kind(&row.get::<String>(1).ok().flatten().unwrap_or_default());
                let from = row.get::<TimestampWithTimeZone>(2).ok().flatten().and_then(from_pg_ts);
                let to = row.get::<TimestampWithTimeZone>(3).ok().flatten().and_then(from_pg_ts);
                from.zip(to).map(|(from, to)| Excuse { kind, from, to })
            },
        )
        .into_iter()
        .flatten()
        .collect();
        Loaded { person, primary, org_rules, versions, holidays, schedule, punches, excuses }
    }

    /// The primary membership's org path on `day`, company first.
    fn path_on(&self, day: NaiveDate) -> Option<&[i64]> {
        self.primary.iter().find(|(p, _)| p.contains(day)).map(|(_, path)| path.as_slice())
    }

    /// The version of `rule_id` in force on `day`.
    fn version(&self, rule_id: i64, day: NaiveDate) -> Option<&Version> {
        self.versions.iter().filter(|v| v.rule_id == rule_id && v.from <= day).last()
    }

    /// The rule version that applies on `day` by scope precedence (SPEC.md B).
    fn rule_on(&self, day: NaiveDate) -> Option<&Version> {
        let mut candidates: Vec<Candidate<i64>> = Vec::new();
        for (rule, validity) in &self.person {
            match validity {
                Some(p) if p.contains(day) => candidates.push(Candidate { entry: Entry::PersonDated, rule: *rule }),
                Some(_) => {}
                None => candidates.push(Candidate { entry: Entry::Person, rule: *rule }),
            }
        }
        if let Some(path) = self.path_on(day) {
            for (depth, org) in path.iter().rev().enumerate() {
                if let Some(rule) = self.org_rules.get(org) {
                    candidates.push(Candidate { entry: Entry::Org { depth: depth as u32 }, rule: *rule });
                }
            }
        }
        let chosen = choose_rule(day, &candidates, |rule, d| self.version(rule, d).is_some_and(|v| v.rule.covers(d)))?;
        self.version(chosen, day)
    }
}

/// Runs a kept plan and maps every row.
fn rows<T>(
    client: &SpiClient<'_>,
    sql: &'static str,
    types: &[PgBuiltInOids],
    args: &[pgrx::datum::DatumWithOid<'_>],
    mut f: impl FnMut(&pgrx::spi::SpiHeapTupleData<'_>) -> T,
) -> Vec<T> {
    with_plan(client, sql, types, |plan| {
        client.select(plan, None, args).unwrap_or_else(|e| errors::spi(e)).map(|row| f(&row)).collect()
    })
}

fn punch_source(s: &str) -> PunchSource {
    match s {
        "make_up" => PunchSource::MakeUp,
        "appeal" => PunchSource::Appeal,
        _ => PunchSource::Device,
    }
}

fn excuse_kind(s: &str) -> ExcuseKind {
    match s {
        "business_trip" => ExcuseKind::BusinessTrip,
        "outing" => ExcuseKind::Outing,
        "appeal" => ExcuseKind::Appeal,
        _ => ExcuseKind::Leave,
    }
}

/// PostgreSQL timestamps count microseconds from 2000-01-01 UTC.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

fn from_pg_ts(t: TimestampWithTimeZone) -> Option<DateTime<Utc>> {
    let micros = pg_sys::TimestampTz::from(t);
    if micros == i64::MAX || micros == i64::MIN {
        return None;
    }
    DateTime::from_timestamp_micros(micros + PG_EPOCH_MICROS)
}

fn to_pg_ts(t: DateTime<Utc>) -> TimestampWithTimeZone {
    TimestampWithTimeZone::try_from(t.timestamp_micros() - PG_EPOCH_MICROS)
        .unwrap_or_else(|_| raise(PgSqlErrorCode::ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range"))
}

// ---------------------------------------------------------------------------
// Results as SQL rows.

/// One day result as a SQL row (the columns of `attendance.day_result`).
type DayRow = (
    Option<i64>,
    Date,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Vec<Option<TimestampWithTimeZone>>,
    Vec<Option<TimestampWithTimeZone>>,
    i32,
    i32,
    i32,
    i32,
    i32,
    i32,
    Option<String>,
    i32,
    i32,
    Vec<String>,
);

/// The snake_case name serde gives an enum value, as the SQL columns use.
fn label<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn day_row(employee: Option<i64>, rule_id: Option<i64>, r: DayResult, excuses: &[Excuse]) -> DayRow {
    let leave = leave_minutes(&r, excuses);
    (
        employee,
        dates::to_pg(r.date),
        rule_id,
        Some(r.rule),
        r.shift,
        Some(label(&r.kind)),
        label(&r.status),
        r.periods.iter().map(|p| p.check_in.map(|c| to_pg_ts(c.at))).collect(),
        r.periods.iter().map(|p| p.check_out.map(|c| to_pg_ts(c.at))).collect(),
        r.scheduled_minutes,
        r.late_minutes,
        r.early_minutes,
        r.absent_minutes,
        r.work_minutes,
        r.overtime_minutes,
        r.overtime_category.as_ref().map(label),
        r.outside_punches.len() as i32,
        leave,
        r.reasons,
    )
}

fn no_rule_row(employee: i64, day: NaiveDate) -> DayRow {
    (
        Some(employee),
        dates::to_pg(day),
        None,
        None,
        None,
        None,
        "no_rule".to_owned(),
        Vec::new(),
        Vec::new(),
        0,
        0,
        0,
        0,
        0,
        0,
        None,
        0,
        0,
        vec![format!("no attendance rule applies to employee {employee} on {day}")],
    )
}

/// Evaluates one employee's days `first..=last` from the stored rows.
pub fn evaluate_employee(client: &SpiClient<'_>, employee: i64, first: NaiveDate, last: NaiveDate) -> Vec<DayRow> {
    let data = Loaded::load(client, employee, first, last);
    let mut out = Vec::new();
    let mut day = first;
    while day <= last {
        // A segment: consecutive days under one rule version and one company calendar.
        let version = data.rule_on(day).map(|v| (v.rule_id, v.from, v.rule.clone()));
        let company = data.path_on(day).and_then(|p| p.first().copied());
        let mut end = day;
        while let Some(next) = end.succ_opt().filter(|n| *n <= last) {
            let same_rule = data.rule_on(next).map(|v| (v.rule_id, v.from)) == version.as_ref().map(|v| (v.0, v.1));
            if !same_rule || data.path_on(next).and_then(|p| p.first().copied()) != company {
                break;
            }
            end = next;
        }
        match version {
            None => out.extend(day.iter_days().take_while(|d| *d <= end).map(|d| no_rule_row(employee, d))),
            Some((rule_id, _, rule)) => {
                let calendar =
                    HolidayCalendar::new(company.and_then(|c| data.holidays.get(&c)).cloned().unwrap_or_default());
                let schedule = Schedule::from_names(&rule, data.schedule.iter().map(|(d, s)| (*d, s.as_deref())))
                    .unwrap_or_else(|e| errors::rule(e));
                let days = EmployeeDays {
                    calendar: &calendar,
                    schedule: &schedule,
                    punches: &data.punches,
                    excuses: &data.excuses,
                };
                // Streamed: each result becomes its row at once instead of collecting the range first.
                for_each_day(&rule, day, end, &days, |r| {
                    out.push(day_row(Some(employee), Some(rule_id), r, &data.excuses))
                });
            }
        }
        match end.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// Day results of one employee over `first..=last`; see `att_evaluate`.
#[pg_extern(stable, strict, parallel_safe, name = "_att_evaluate_days")]
fn att_evaluate_days(
    employee: i64,
    first: Date,
    last: Date,
) -> TableIterator<
    'static,
    (
        name!(employee_id, Option<i64>),
        name!(day, Date),
        name!(rule_id, Option<i64>),
        name!(rule_name, Option<String>),
        name!(shift, Option<String>),
        name!(day_kind, Option<String>),
        name!(status, String),
        name!(check_in, Vec<Option<TimestampWithTimeZone>>),
        name!(check_out, Vec<Option<TimestampWithTimeZone>>),
        name!(scheduled_minutes, i32),
        name!(late_minutes, i32),
        name!(early_minutes, i32),
        name!(absent_minutes, i32),
        name!(work_minutes, i32),
        name!(overtime_minutes, i32),
        name!(overtime_category, Option<String>),
        name!(outside_punches, i32),
        name!(leave_minutes, i32),
        name!(reasons, Vec<String>),
    ),
> {
    let (f, l) = (dates::arg(first, "first day"), dates::arg(last, "last day"));
    if l < f {
        raise(PgSqlErrorCode::ERRCODE_DATA_EXCEPTION, &format!("last day {l} is before first day {f}"));
    }
    TableIterator::new(Spi::connect(|client| evaluate_employee(client, employee, f, l)))
}

/// The table-free form: a rule and a request (punches, excuses, holidays,
/// schedule, days) as JSON; see `att_evaluate_rule`.
#[pg_extern(immutable, strict, parallel_safe, name = "_att_evaluate_json")]
fn att_evaluate_json(
    rule: JsonB,
    request: JsonB,
) -> TableIterator<
    'static,
    (
        name!(employee_id, Option<i64>),
        name!(day, Date),
        name!(rule_id, Option<i64>),
        name!(rule_name, Option<String>),
        name!(shift, Option<String>),
        name!(day_kind, Option<String>),
        name!(status, String),
        name!(check_in, Vec<Option<TimestampWithTimeZone>>),
        name!(check_out, Vec<Option<TimestampWithTimeZone>>),
        name!(scheduled_minutes, i32),
        name!(late_minutes, i32),
        name!(early_minutes, i32),
        name!(absent_minutes, i32),
        name!(work_minutes, i32),
        name!(overtime_minutes, i32),
        name!(overtime_category, Option<String>),
        name!(outside_punches, i32),
        name!(leave_minutes, i32),
        name!(reasons, Vec<String>),
    ),
> {
    let parsed = parsed_rule(&rule.0.to_string());
    let request = Request::from_json(&parsed, &request.0.to_string()).unwrap_or_else(|e| errors::rule(e));
    let rows =
        request.evaluate(&parsed).into_iter().map(|r| day_row(None, None, r, &request.excuses)).collect::<Vec<_>>();
    TableIterator::new(rows)
}

/// Which rule applies to the employee on the day (NULL: none).
#[pg_extern(stable, strict, parallel_safe)]
fn att_rule_for(employee: i64, day: Date) -> Option<i64> {
    let d = dates::arg(day, "day");
    Spi::connect(|client| Loaded::load(client, employee, d, d).rule_on(d).map(|v| v.rule_id))
}

/// Write-time checks of a schedule row (排班): the rule that applies on the
/// day is a scheduled rule whose validity covers it, the shift exists, and a
/// day up to today needs the rule's "modify history" option.
#[pg_extern(stable, parallel_safe, name = "_att_check_schedule")]
fn att_check_schedule(employee: i64, day: Date, shift: Option<&str>) -> bool {
    let d = dates::arg(day, "day");
    Spi::connect(|client| {
        let data = Loaded::load(client, employee, d, d);
        let Some(version) = data.rule_on(d) else {
            raise(
                PgSqlErrorCode::ERRCODE_CHECK_VIOLATION,
                &format!("employee {employee} has no attendance rule in force on {d}: schedules are only set inside a rule's validity"),
            );
        };
        let rule = &version.rule;
        if rule.system() != attendance_rules::SystemKind::Scheduled {
            raise(
                PgSqlErrorCode::ERRCODE_CHECK_VIOLATION,
                &format!("rule \"{}\" of employee {employee} on {d} is not a scheduled rule", rule.name()),
            );
        }
        if let Some(name) = shift {
            if rule.shift_id(name).is_none() {
                raise(
                    PgSqlErrorCode::ERRCODE_FOREIGN_KEY_VIOLATION,
                    &format!("rule \"{}\" has no shift \"{name}\"", rule.name()),
                );
            }
        }
        let today = client
            .select("SELECT current_date", Some(1), &[])
            .and_then(|rows| rows.first().get_one::<Date>())
            .unwrap_or_else(|e| errors::spi(e))
            .and_then(dates::from_pg);
        if today.is_some_and(|t| d <= t) && !rule.modify_history() {
            raise(
                PgSqlErrorCode::ERRCODE_CHECK_VIOLATION,
                &format!("{d} is not after today: rule \"{}\" only schedules future days (turn on modify_history to change past days)", rule.name()),
            );
        }
        true
    })
}

/// The local calendar day of an instant for this employee: in the time zone
/// of the rule that applies to them around it (UTC when none does).
#[pg_extern(stable, strict, parallel_safe)]
fn att_local_day(employee: i64, at: TimestampWithTimeZone) -> Option<Date> {
    let at = from_pg_ts(at)?;
    let utc_day = at.date_naive();
    Spi::connect(|client| {
        let around = |days: u64| utc_day.checked_sub_days(Days::new(days)).unwrap_or(utc_day);
        let data = Loaded::load(client, employee, around(1), utc_day.succ_opt().unwrap_or(utc_day));
        let tz = [utc_day, around(1), utc_day.succ_opt().unwrap_or(utc_day)]
            .into_iter()
            .find_map(|d| data.rule_on(d).map(|v| v.rule.time_zone()));
        Some(dates::to_pg(tz.map_or(utc_day, |tz| at.with_timezone(&tz).date_naive())))
    })
}

//! Builders shared by the integration tests.
#![allow(dead_code)]

use attendance_rules::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

/// Merges `overrides` into `base` (objects recursively, `null` deletes).
pub fn merge(base: &mut Value, overrides: &Value) {
    match (base, overrides) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.remove(k);
                } else {
                    merge(b.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// A standard 09:00-18:00 Monday-to-Friday rule in Asia/Shanghai with
/// `overrides` merged in.
pub fn office_json(overrides: Value) -> Value {
    let mut base = json!({
        "name": "office",
        "system": "standard",
        "punch_mode": "fixed",
        "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
        "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
        "time_zone": "Asia/Shanghai"
    });
    merge(&mut base, &overrides);
    base
}

pub fn office(overrides: Value) -> Rule {
    let text = office_json(overrides).to_string();
    Rule::from_json(&text).unwrap_or_else(|e| panic!("{e}"))
}

pub fn rule_err(v: Value) -> RuleError {
    Rule::from_json(&v.to_string()).expect_err("rule should be rejected")
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The instant of local "HH:MM" on `date` in `tz` (earliest if ambiguous).
pub fn at_in(tz: &str, date: NaiveDate, hhmm: &str) -> DateTime<Utc> {
    let tz: Tz = tz.parse().unwrap();
    let (h, m) = hhmm.split_once(':').unwrap();
    let naive = date.and_hms_opt(h.parse().unwrap(), m.parse().unwrap(), 0).unwrap();
    tz.from_local_datetime(&naive).earliest().unwrap().with_timezone(&Utc)
}

/// Shanghai local time on `date`.
pub fn sh(date: NaiveDate, hhmm: &str) -> DateTime<Utc> {
    at_in("Asia/Shanghai", date, hhmm)
}

/// Device punches at Shanghai local times of `date`.
pub fn punches(date: NaiveDate, times: &[&str]) -> Vec<Punch> {
    times.iter().map(|t| Punch::device(sh(date, t))).collect()
}

/// Monday 2 March 2026.
pub fn monday() -> NaiveDate {
    d(2026, 3, 2)
}

pub fn day(rule: &Rule, date: NaiveDate, times: &[&str]) -> DayResult {
    let p = punches(date, times);
    evaluate_day(rule, &DayInput::new(date, &p))
}

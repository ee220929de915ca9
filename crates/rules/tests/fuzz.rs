//! Fuzz tests of the rule validator and the evaluator (issue 5, part 1).
//!
//! A small self-written PRNG (splitmix64) drives everything, so every run
//! sees the same inputs and a failure names its case number.
//!
//! - Arbitrary JSON, structure-aware mutations of valid rules and requests
//!   (wrong types, missing and unknown fields, out-of-range and huge
//!   numbers, negative radius, unknown time zones, overlapping periods and
//!   cycles, duplicate and unknown shifts, deep nesting) and token-level
//!   text mutations never panic; every rejection names a JSON path, has a
//!   message and one of the documented SQLSTATEs.
//! - Random valid rules of all four systems and both punch modes with
//!   random punches keep the invariants: late, early and absent minutes
//!   never exceed the scheduled minutes, work and overtime are never
//!   negative, and the result depends neither on the order the punches are
//!   given in, nor on the UTC offset the instants are written with, nor on
//!   how the range is split into requests.

mod pinned;

use attendance_rules::*;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SecondsFormat, Utc};
use pinned::digest;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The SQLSTATEs a rejection may carry (see `RuleError::sqlstate`); XX000,
/// what a panic becomes through pgrx, is not among them.
const EXPECTED_SQLSTATES: [&str; 6] = ["22P02", "22023", "22007", "23P01", "42704", "42710"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }
}

fn hhmm(min: i64) -> String {
    let m = min.rem_euclid(1440);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Zones with DST, half- and quarter-hour offsets, and offsets beyond ±12h.
const ZONES: [&str; 10] = [
    "Asia/Shanghai",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/St_Johns",
    "UTC",
];

const WEEKDAY_KEYS: [&str; 21] = [
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "Monday",
    "TUESDAY",
    "wednesday",
    "Thu",
    "friday",
    "Saturday",
    "sunday",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
];

// ---------------------------------------------------------------------------
// Valid rules.

fn overtime(rng: &mut Rng) -> Value {
    json!({
        "min_minutes_after_end": rng.pick(&[0, 1, 15, 30, 120, 1440]),
        "unit_minutes": rng.pick(&[1, 15, 30, 60, 1440]),
        "count_rest_days": rng.chance(50),
        "count_holidays": rng.chance(50)
    })
}

fn fixed_periods(rng: &mut Rng) -> Value {
    let first = rng.range(0, 1439);
    let mut start = first;
    let mut periods = Vec::new();
    for _ in 0..rng.range(1, 6) {
        let len = rng.pick(&[1, 5, 30, 60, 90, 180, 240, 480, 600, 720, 1439]);
        // Periods follow each other within 24 hours of the first start.
        if start + len - first > 1440 {
            break;
        }
        periods.push(json!({"start": hhmm(start), "end": hhmm(start + len)}));
        start += len + rng.pick(&[0, 1, 15, 60, 120]);
    }
    if periods.is_empty() {
        periods.push(json!({"start": hhmm(first), "end": hhmm(first + 60)}));
    }
    Value::Array(periods)
}

fn shift(rng: &mut Rng, name: String, flexible: bool) -> Value {
    let mut shift = if flexible {
        let earliest = rng.range(0, 1439);
        let latest = (earliest + rng.pick(&[0, 1, 30, 120, 600])).min(1439);
        let work = rng.pick(&[1, 60, 240, 480, 600, 1440]).min(1440 - (latest - earliest)).max(1);
        json!({"name": name, "flexible": {"work_minutes": work, "earliest_check_in": hhmm(earliest), "latest_check_in": hhmm(latest)}})
    } else {
        json!({"name": name, "periods": fixed_periods(rng)})
    };
    if rng.chance(25) {
        shift["overtime"] = overtime(rng);
    }
    shift
}

fn week(rng: &mut Rng, shifts: usize) -> Value {
    let mut days = Map::new();
    let mut taken = [false; 7];
    for _ in 0..rng.range(0, 9) {
        let key = rng.pick(&WEEKDAY_KEYS);
        let index = WEEKDAY_KEYS.iter().position(|k| *k == key).unwrap() % 7;
        if taken[index] {
            continue;
        }
        taken[index] = true;
        let value = if rng.chance(80) { json!(format!("s{}", rng.below(shifts as u64))) } else { Value::Null };
        days.insert(key.to_string(), value);
    }
    Value::Object(days)
}

/// A random rule the validator must accept.
fn valid_rule(rng: &mut Rng) -> Value {
    let system = rng.pick(&["standard", "flexible", "odd_even_week", "scheduled"]);
    let flexible = rng.chance(35);
    let n = rng.range(1, 4) as usize;
    let mut shifts: Vec<Value> = (0..n).map(|i| shift(rng, format!("s{i}"), flexible)).collect();
    if rng.chance(30) {
        let i = rng.below(n as u64) as usize;
        shifts[i]["non_workday_default"] = json!(true);
    }
    let rule_overtime = rng.chance(35);
    if rule_overtime {
        for s in &mut shifts {
            s.as_object_mut().unwrap().remove("overtime");
        }
    }
    let mut rule = json!({
        "name": rng.pick(&["random", "规则", "r"]),
        "system": system,
        "punch_mode": if flexible { "flexible" } else { "fixed" },
        "shifts": shifts,
        "time_zone": rng.pick(&ZONES)
    });
    if rng.chance(60) {
        rule["sign_out"] = json!(rng.chance(50));
    }
    match system {
        "standard" => {
            let mut days = Vec::new();
            for d in 1..=7 {
                if rng.chance(70) {
                    days.push(if rng.chance(50) { json!(d) } else { json!(WEEKDAY_KEYS[d as usize - 1]) });
                }
            }
            rule["standard"] = json!({"workdays": days, "shift": format!("s{}", rng.below(n as u64))});
        }
        "flexible" => rule["flexible"] = json!({"days": week(rng, n)}),
        "odd_even_week" => {
            rule["odd_even_week"] = json!({"odd": week(rng, n), "even": week(rng, n)});
            if rng.chance(50) {
                rule["odd_even_week"]["anchor_week"] = json!(rng.pick(&["2026-01-07", "2025-12-29", "2026-03-08"]));
            }
        }
        _ => {
            if rng.chance(80) {
                rule["scheduled"] = json!({
                    "allow_unscheduled_punch": rng.chance(50),
                    "self_select_when_unscheduled": rng.chance(50),
                    "modify_history": rng.chance(50)
                });
            }
        }
    }
    if system != "scheduled" && rng.chance(60) {
        rule["tolerance"] =
            json!({"late_minutes": rng.pick(&[0, 1, 5, 30, 120]), "early_minutes": rng.pick(&[0, 5, 60, 120])});
    }
    if rng.chance(60) {
        let late_beyond = rng.chance(50);
        let early_beyond = rng.chance(50);
        let mut a = json!({
            "enabled": rng.chance(85),
            "unit_minutes": rng.pick(&[1, 15, 30, 60, 90, 1440]),
            "situations": {
                "no_punch_all_day": rng.chance(50), "missing_check_in": rng.chance(50),
                "missing_check_out": rng.chance(50), "late_beyond": late_beyond, "early_beyond": early_beyond
            }
        });
        if late_beyond || rng.chance(50) {
            a["late_over_minutes"] = json!(rng.pick(&[0, 1, 30, 60, 240, 1440]));
        }
        if early_beyond || rng.chance(50) {
            a["early_over_minutes"] = json!(rng.pick(&[0, 1, 30, 60, 240, 1440]));
        }
        rule["absenteeism"] = a;
    }
    if system != "scheduled" && !flexible && rng.chance(60) {
        let mut flex = Map::new();
        if rng.chance(60) {
            let mode = rng.pick(&["fixed", "elastic"]);
            flex.insert(
                "early_arrive_early_leave".into(),
                json!({"mode": mode, "minutes": rng.pick(&[1, 30, 60, 240])}),
            );
        }
        if rng.chance(60) {
            let mode = rng.pick(&["fixed", "elastic"]);
            flex.insert("late_arrive_late_leave".into(), json!({"mode": mode, "minutes": rng.pick(&[1, 30, 60, 240])}));
        }
        if rng.chance(60) {
            let mode = rng.pick(&["fixed", "elastic"]);
            let tiers: Vec<Value> = (0..rng.range(1, 5))
                .map(|_| json!({"left_after_minutes": rng.range(1, 720), "may_arrive_late_minutes": rng.range(1, 240)}))
                .collect();
            flex.insert("leave_late_arrive_late".into(), json!({"mode": mode, "tiers": tiers}));
        }
        rule["flex"] = Value::Object(flex);
    }
    if rule_overtime {
        rule["overtime"] = overtime(rng);
    }
    if rng.chance(30) {
        let mut loc = json!({"name": "HQ", "lat": 31.0, "lon": 121.0});
        if rng.chance(80) {
            loc["radius_m"] = json!(rng.pick(&[0.0, 50.0, 300.5, 1e7]));
        }
        rule["locations"] = json!([loc]);
    }
    match rng.below(6) {
        0 => rule["validity"] = json!({"yearly": [{"from": "11-01", "to": "03-15"}, {"from": "04-01", "to": "04-30"}]}),
        1 => rule["validity"] = json!({"range": {"from": "2026-03-04", "to": "2026-10-25"}}),
        _ => {}
    }
    rule
}

// ---------------------------------------------------------------------------
// Requests.

/// Start days near DST switches of both hemispheres and a year end.
fn random_from(rng: &mut Rng) -> NaiveDate {
    let base = rng.pick(&[
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 26).unwrap(),
        NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 10, 22).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 27).unwrap(),
    ]);
    base + Duration::days(rng.range(0, 10))
}

#[derive(Clone)]
struct RawPunch {
    at: DateTime<Utc>,
    pos: Option<(f64, f64)>,
    source: &'static str,
}

struct RawRequest {
    from: NaiveDate,
    to: NaiveDate,
    punches: Vec<RawPunch>,
    excuses: Vec<(String, DateTime<Utc>, DateTime<Utc>)>,
    holidays: Vec<(NaiveDate, &'static str)>,
    schedule: Vec<(NaiveDate, Option<String>)>,
}

fn random_request(rng: &mut Rng, shifts: usize) -> RawRequest {
    let from = random_from(rng);
    let days = rng.range(1, 9);
    let to = from + Duration::days(days - 1);
    let mut punches = Vec::new();
    for _ in 0..rng.range(0, 5 * days) {
        let midnight = (from + Duration::days(rng.range(-1, days))).and_hms_opt(0, 0, 0).unwrap().and_utc();
        let mut at = midnight + Duration::seconds(rng.range(-30 * 3600, 54 * 3600));
        if rng.chance(60) {
            at -= Duration::seconds(at.timestamp().rem_euclid(60));
        }
        if rng.chance(30) && !punches.is_empty() {
            // Duplicates and ties on the instant.
            let other: &RawPunch = &punches[rng.below(punches.len() as u64) as usize];
            at = other.at;
        }
        let pos = rng.chance(30).then(|| (31.0 + rng.range(-60, 60) as f64 * 1e-4, rng.pick(&[121.0, -0.0, 0.0])));
        let source = rng.pick(&["device", "device", "make_up", "appeal"]);
        punches.push(RawPunch { at, pos, source });
    }
    let excuses = (0..rng.range(0, 2))
        .map(|_| {
            let a = (from + Duration::days(rng.range(0, days - 1))).and_hms_opt(0, 0, 0).unwrap().and_utc()
                + Duration::minutes(rng.range(-600, 1800));
            let b = a + Duration::minutes(rng.range(1, 900));
            (rng.pick(&["leave", "business_trip", "outing", "appeal"]).to_string(), a, b)
        })
        .collect();
    let mut holidays = Vec::new();
    let mut schedule = Vec::new();
    for i in -2..days {
        let d = from + Duration::days(i);
        match rng.below(10) {
            0 => holidays.push((d, "holiday")),
            1 => holidays.push((d, "make_up_workday")),
            _ => {}
        }
        match rng.below(4) {
            0 => {}
            1 => schedule.push((d, None)),
            _ => schedule.push((d, Some(format!("s{}", rng.below(shifts as u64))))),
        }
    }
    RawRequest { from, to, punches, excuses, holidays, schedule }
}

/// How an instant is written: RFC 3339 in the given offset, or PostgreSQL's
/// text form.
fn instant_text(at: DateTime<Utc>, offset_secs: i32, pg_form: bool) -> String {
    let t = at.with_timezone(&FixedOffset::east_opt(offset_secs).unwrap());
    if pg_form {
        t.format("%Y-%m-%d %H:%M:%S%:z").to_string()
    } else {
        t.to_rfc3339_opts(SecondsFormat::Secs, offset_secs == 0)
    }
}

fn request_json(r: &RawRequest, from: NaiveDate, to: NaiveDate, order: &[usize], offset: i32, pg_form: bool) -> Value {
    let punches: Vec<Value> = order
        .iter()
        .map(|&i| {
            let p = &r.punches[i];
            let mut v = json!({"at": instant_text(p.at, offset, pg_form)});
            if let Some((lat, lon)) = p.pos {
                v["lat"] = json!(lat);
                v["lon"] = json!(lon);
            }
            if p.source != "device" || i % 2 == 0 {
                v["source"] = json!(p.source);
            }
            v
        })
        .collect();
    json!({
        "from": from.to_string(),
        "to": to.to_string(),
        "punches": punches,
        "excuses": r.excuses.iter().map(|(k, a, b)| json!({"kind": k, "from": instant_text(*a, offset, pg_form), "to": instant_text(*b, offset, pg_form)})).collect::<Vec<_>>(),
        "holidays": r.holidays.iter().map(|(d, k)| json!({"date": d.to_string(), "kind": k})).collect::<Vec<_>>(),
        "schedule": r.schedule.iter().map(|(d, s)| json!({"date": d.to_string(), "shift": s})).collect::<Vec<_>>()
    })
}

// ---------------------------------------------------------------------------
// Checks.

fn check_rejection(e: &RuleError, tally: &mut BTreeMap<&'static str, usize>, context: &dyn Fn() -> String) {
    let state = e.sqlstate();
    assert!(EXPECTED_SQLSTATES.contains(&state), "unexpected SQLSTATE {state}: {e}\n{}", context());
    assert!(!e.path().is_empty(), "rejection without a path: {e}\n{}", context());
    let message = e.to_string();
    assert!(message.starts_with(e.path()), "message does not start with its path: {message}\n{}", context());
    assert!(message.len() > e.path().len() + 3, "empty message: {message}\n{}", context());
    *tally.entry(state).or_default() += 1;
}

fn check_day(r: &DayResult, context: &dyn Fn() -> String) {
    let scheduled = r.scheduled_minutes;
    for (what, v) in [("late", r.late_minutes), ("early", r.early_minutes), ("absent", r.absent_minutes)] {
        assert!(v >= 0, "{what} {v} < 0\n{}\n{r:#?}", context());
        assert!(v <= scheduled, "{what} {v} > scheduled {scheduled}\n{}\n{r:#?}", context());
    }
    let spent = r.late_minutes as i64 + r.early_minutes as i64 + r.absent_minutes as i64;
    assert!(spent <= scheduled as i64, "late+early+absent {spent} > scheduled {scheduled}\n{}\n{r:#?}", context());
    assert!(r.work_minutes >= 0, "work {} < 0\n{}\n{r:#?}", r.work_minutes, context());
    assert!(r.overtime_minutes >= 0, "overtime {} < 0\n{}\n{r:#?}", r.overtime_minutes, context());
    assert!(scheduled >= 0, "{}", context());
    for p in &r.periods {
        assert!(p.work_minutes >= 0 && p.late_minutes >= 0 && p.early_minutes >= 0 && p.absent_minutes >= 0);
        if let (Some(i), Some(o)) = (p.check_in, p.check_out) {
            assert!(i.at <= o.at, "check-in after check-out\n{}", context());
        }
    }
    serde_json::to_string(r).expect("a result serializes");
}

/// Evaluates under `catch_unwind` so that a panic reports its input.
fn guarded<T>(what: &str, input: &str, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => panic!("{what} panicked on input:\n{input}"),
    }
}

// ---------------------------------------------------------------------------
// Mutations.

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn all_paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                all_paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(Step::Index(i));
                all_paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

const FIELD_NAMES: [&str; 52] = [
    "name",
    "system",
    "punch_mode",
    "shifts",
    "standard",
    "flexible",
    "odd_even_week",
    "scheduled",
    "sign_out",
    "tolerance",
    "absenteeism",
    "flex",
    "overtime",
    "locations",
    "time_zone",
    "validity",
    "periods",
    "start",
    "end",
    "work_minutes",
    "earliest_check_in",
    "latest_check_in",
    "workdays",
    "shift",
    "days",
    "odd",
    "even",
    "anchor_week",
    "late_minutes",
    "early_minutes",
    "enabled",
    "unit_minutes",
    "situations",
    "mode",
    "minutes",
    "tiers",
    "lat",
    "radius_m",
    "range",
    "yearly",
    "quantity",
    "day_over_minutes",
    "week_over_minutes",
    "auto_check_out_minutes",
    "holiday_punches",
    "position_required_for",
    "make_up_punch",
    "monthly_limit",
    "within_days",
    "time_off_in_lieu",
    "leave_type",
    "percent",
];

const STRINGS: [&str; 44] = [
    "",
    " ",
    "24:00",
    "23:60",
    "-01:00",
    "9:00",
    "09:00:00",
    "0900",
    "١٢:٠٠",
    "2026-02-29",
    "2026-13-01",
    "+262144-01-01",
    "02-30",
    "02-29",
    "12-31",
    "Mars/Olympus_Mons",
    "utc",
    "Etc/GMT+14",
    "EST5EDT",
    "Asia/Shanghai ",
    "../../etc/passwd",
    "mon",
    "funday",
    "8",
    "0",
    "standard",
    "flexible",
    "odd_even_week",
    "scheduled",
    "fixed",
    "elastic",
    "s0",
    "s1",
    "ghost",
    "holiday",
    "make_up_workday",
    "leave",
    "device",
    "2026-03-02T09:00:00+08:00",
    "2026-03-02 09:00:00+08",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "\u{0}",
    "日本語",
];

const NUMBERS: [f64; 12] = [-1.0, 0.5, 121.0, 241.0, 721.0, 1441.0, -0.0, 1e300, -1e300, 1e-300, 90.000001, -180.5];
const INTEGERS: [i64; 12] = [-1, 0, 1, 5, 6, 7, 8, 120, 240, 1440, i64::MAX, i64::MIN];

fn arbitrary(rng: &mut Rng, depth: u32) -> Value {
    let leaf = depth == 0 || rng.chance(40);
    match rng.below(if leaf { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(rng.pick(&INTEGERS)),
        3 => match rng.below(3) {
            0 => json!(u64::MAX),
            _ => json!(rng.pick(&NUMBERS)),
        },
        4 | 5 => {
            if rng.chance(5) {
                json!("x".repeat(rng.range(1, 20000) as usize))
            } else {
                json!(rng.pick(&STRINGS))
            }
        }
        6 => Value::Array((0..rng.range(0, 7)).map(|_| arbitrary(rng, depth - 1)).collect()),
        _ => {
            let mut m = Map::new();
            for _ in 0..rng.range(0, 6) {
                let key =
                    if rng.chance(80) { rng.pick(&FIELD_NAMES).to_string() } else { rng.pick(&STRINGS).to_string() };
                m.insert(key, arbitrary(rng, depth - 1));
            }
            Value::Object(m)
        }
    }
}

fn nest(v: Value, depth: usize, arrays: bool) -> Value {
    (0..depth).fold(v, |v, _| if arrays { json!([v]) } else { json!({"name": v}) })
}

/// One structure-aware mutation somewhere in `v`.
fn mutate(rng: &mut Rng, v: &mut Value) {
    let mut paths = Vec::new();
    all_paths(v, &mut Vec::new(), &mut paths);
    let path = paths[rng.below(paths.len() as u64) as usize].clone();
    let target = node(v, &path);
    match rng.below(14) {
        // Wrong type or random structure.
        0 | 1 => *target = arbitrary(rng, 3),
        // Missing field or element.
        2 | 3 => {
            if let Some((last, parent)) = path.split_last() {
                let parent = node(v, parent);
                match (last, parent) {
                    (Step::Key(k), Value::Object(m)) => {
                        m.remove(k);
                    }
                    (Step::Index(i), Value::Array(a)) => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        // Out-of-range, huge and fractional numbers.
        4 | 5 => {
            *target = if rng.chance(50) { json!(rng.pick(&INTEGERS)) } else { json!(rng.pick(&NUMBERS)) };
        }
        // Strings: bad clock times, dates, zones, names.
        6 | 7 => *target = json!(rng.pick(&STRINGS)),
        // Unknown field.
        8 => {
            if let Value::Object(m) = target {
                m.insert(rng.pick(&["nmae", "extra", "Start", "radius"]).to_string(), json!(1));
            } else {
                *target = json!({"unexpected": true});
            }
        }
        // Duplicates: shift names, tiers beyond five, overlapping cycles.
        9 => {
            if let Value::Array(a) = target {
                if let Some(x) = a.first().cloned() {
                    for _ in 0..rng.range(1, 6) {
                        a.push(x.clone());
                    }
                }
            } else {
                *target = json!([target.clone(), target.clone()]);
            }
        }
        // Deep nesting, sometimes past serde_json's recursion limit.
        10 => {
            // Deeper still is done on the text (`mutate_text`): a Value
            // that deep would strain the stack of the test itself.
            let depth = rng.pick(&[2, 10, 100, 127, 128, 129, 300]);
            *target = nest(target.clone(), depth, rng.chance(50));
        }
        // Overlapping or odd periods.
        11 => {
            let periods: Vec<Value> = (0..rng.range(1, 8))
                .map(|_| json!({"start": hhmm(rng.range(0, 1439)), "end": hhmm(rng.range(0, 1439))}))
                .collect();
            if let Some(Value::Object(first)) = v.get_mut("shifts").and_then(|s| s.get_mut(0)) {
                first.insert("periods".into(), Value::Array(periods));
            }
        }
        // Overlapping yearly cycles or a backwards range.
        12 => {
            let md = |rng: &mut Rng| format!("{:02}-{:02}", rng.range(1, 12), rng.range(1, 31));
            let validity = if rng.chance(70) {
                json!({"yearly": (0..rng.range(1, 4)).map(|_| json!({"from": md(rng), "to": md(rng)})).collect::<Vec<_>>()})
            } else {
                json!({"range": {"from": "2026-06-01", "to": rng.pick(&["2026-05-31", "2026-06-01", "2026-06-02"])}})
            };
            if let Value::Object(m) = v {
                m.insert("validity".into(), validity);
            }
        }
        // Locations: negative, infinite-looking and missing radius, poles.
        _ => {
            let radius = rng.pick(&[-1.0, -0.0, 0.0, 1e308, -1e308, 5e-324]);
            let lat = rng.pick(&[90.0, -90.0, 90.5, 0.0]);
            let lon = rng.pick(&[180.0, -180.0, 180.5, 0.0]);
            if let Value::Object(m) = v {
                m.insert("locations".into(), json!([{"name": "L", "lat": lat, "lon": lon, "radius_m": radius}]));
            }
        }
    }
}

/// Token-level text mutations serde_json values cannot express: numbers
/// beyond f64, truncation, raw nesting far past the recursion limit.
fn mutate_text(rng: &mut Rng, text: &str) -> String {
    match rng.below(5) {
        0 => {
            // Replace a number with one no f64 holds.
            let digits: Vec<usize> = text.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
            if digits.is_empty() {
                return text.to_string();
            }
            let i = digits[rng.below(digits.len() as u64) as usize];
            let huge =
                rng.pick(&["1e400", "-1e400", "123456789012345678901234567890", "1e-400", "0.0000000000000000000001"]);
            format!("{}{}{}", &text[..i], huge, &text[i + 1..])
        }
        1 => {
            let cut = rng.below(text.len() as u64 + 1) as usize;
            let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c)).unwrap_or(0);
            text[..cut].to_string()
        }
        2 => {
            // Raw nesting at a random value position.
            let colons: Vec<usize> = text.match_indices(':').map(|(i, _)| i).collect();
            if colons.is_empty() {
                return text.to_string();
            }
            let i = colons[rng.below(colons.len() as u64) as usize] + 1;
            let depth = rng.pick(&[129usize, 1000, 100_000]);
            format!("{}{}{}", &text[..i], "[".repeat(depth), &text[i..])
        }
        3 => format!("{text}{}", rng.pick(&["", " ", "x", "{}", ",", "\u{0}"])),
        _ => {
            // Duplicate keys: serde_json keeps the last for Value, a struct
            // rejects them.
            text.replacen("\"name\":", "\"name\":\"dup\",\"name\":", 1)
        }
    }
}

// ---------------------------------------------------------------------------
// The tests.

fn evaluate_and_check(rule: &Rule, request: &str, context: &dyn Fn() -> String) -> Option<Vec<DayResult>> {
    let parsed = guarded("Request::from_json", request, || Request::from_json(rule, request));
    match parsed {
        Ok(req) => {
            let days = guarded("Request::evaluate", request, || req.evaluate(rule));
            assert_eq!(days.len() as i64, (req.to - req.from).num_days() + 1, "{}", context());
            for d in &days {
                check_day(d, context);
            }
            Some(days)
        }
        Err(_) => None,
    }
}

#[test]
fn arbitrary_json_is_rejected_cleanly() {
    let mut rng = Rng(0x5EED_0001);
    let mut tally = BTreeMap::new();
    let mut accepted = 0;
    let cases = 20_000;
    for case in 0..cases {
        let value = match rng.below(4) {
            0 => arbitrary(&mut rng, 5),
            // Objects made mostly of rule field names reach further.
            _ => {
                let mut m = Map::new();
                for key in FIELD_NAMES.iter().take(16) {
                    if rng.chance(70) {
                        m.insert(key.to_string(), arbitrary(&mut rng, 3));
                    }
                }
                Value::Object(m)
            }
        };
        let text = value.to_string();
        match guarded("Rule::from_json", &text, || Rule::from_json(&text)) {
            Ok(_) => accepted += 1,
            Err(e) => check_rejection(&e, &mut tally, &|| format!("case {case}: {text}")),
        }
    }
    let rejected: usize = tally.values().sum();
    println!("arbitrary JSON: {cases} inputs, {accepted} accepted, rejected by SQLSTATE {tally:?}");
    assert_eq!(rejected + accepted, cases);
    // Random structures rarely get past the shape check: they are nearly
    // all malformed JSON (22P02), which is what the tally shows.
    assert!(tally.get("22P02").copied().unwrap_or(0) > cases / 2, "{tally:?}");
}

#[test]
fn mutated_rules_never_panic_and_reject_with_a_proper_sqlstate() {
    let mut rng = Rng(0x5EED_0002);
    let mut tally = BTreeMap::new();
    let (mut accepted, mut days_checked) = (0usize, 0usize);
    let cases = 12_000;
    for case in 0..cases {
        let mut rule = valid_rule(&mut rng);
        for _ in 0..rng.range(1, 3) {
            mutate(&mut rng, &mut rule);
        }
        let mut text = rule.to_string();
        if rng.chance(15) {
            text = mutate_text(&mut rng, &text);
        }
        let context = || format!("case {case}: {}", &text[..text.len().min(4000)]);
        match guarded("Rule::from_json", &text, || Rule::from_json(&text)) {
            Err(e) => check_rejection(&e, &mut tally, &context),
            Ok(parsed) => {
                // A mutation that keeps the rule valid makes an unusual
                // rule: it must evaluate within the invariants too.
                accepted += 1;
                let raw = random_request(&mut rng, parsed.shift_names().count().max(1));
                let order: Vec<usize> = (0..raw.punches.len()).collect();
                let mut request = request_json(&raw, raw.from, raw.to, &order, 0, false);
                // Schedule names of the mutated rule may be gone: drop them.
                if parsed.shift_id("s0").is_none() || parsed.shift_id("s1").is_none() {
                    request["schedule"] = json!([]);
                }
                if let Some(days) = evaluate_and_check(&parsed, &request.to_string(), &context) {
                    days_checked += days.len();
                }
            }
        }
    }
    let rejected: usize = tally.values().sum();
    println!(
        "mutated rules: {cases} inputs, {accepted} still valid ({days_checked} days evaluated), rejected by SQLSTATE {tally:?}"
    );
    assert_eq!(rejected + accepted, cases);
    // Every documented kind of rejection is reached.
    for state in EXPECTED_SQLSTATES {
        assert!(tally.get(state).copied().unwrap_or(0) > 0, "never produced {state}: {tally:?}");
    }
    assert!(accepted > 500, "mutations too destructive: {accepted} accepted");
}

#[test]
fn mutated_requests_never_panic_and_reject_with_a_proper_sqlstate() {
    let mut rng = Rng(0x5EED_0003);
    let mut tally = BTreeMap::new();
    let (mut accepted, mut days_checked) = (0usize, 0usize);
    let cases = 6_000;
    for case in 0..cases {
        let rule_json = valid_rule(&mut rng);
        let rule = Rule::from_json(&rule_json.to_string()).unwrap_or_else(|e| panic!("{e}\n{rule_json}"));
        let raw = random_request(&mut rng, rule.shift_names().count());
        let order: Vec<usize> = (0..raw.punches.len()).collect();
        let mut request = request_json(&raw, raw.from, raw.to, &order, 0, false);
        for _ in 0..rng.range(1, 3) {
            mutate(&mut rng, &mut request);
        }
        let mut text = request.to_string();
        if rng.chance(15) {
            text = mutate_text(&mut rng, &text);
        }
        // Extreme but well-formed ranges and instants.
        if rng.chance(5) {
            let (from, to) = rng.pick(&[
                ("+262143-12-25", "+262143-12-31"),
                ("-262143-01-01", "-262143-01-05"),
                ("0001-01-01", "0001-01-03"),
                ("9999-12-30", "10000-01-02"),
                ("2026-03-01", "2027-03-01"),
            ]);
            let punch = rng.pick(&["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2026-03-02T09:00:00+23:59"]);
            text = json!({"from": from, "to": to, "punches": [{"at": punch}]}).to_string();
        }
        let context = || format!("case {case}: rule {rule_json}\nrequest {}", &text[..text.len().min(4000)]);
        match guarded("Request::from_json", &text, || Request::from_json(&rule, &text)) {
            Err(e) => check_rejection(&e, &mut tally, &context),
            Ok(_) => {
                accepted += 1;
                days_checked += evaluate_and_check(&rule, &text, &context).map_or(0, |d| d.len());
            }
        }
    }
    let rejected: usize = tally.values().sum();
    println!(
        "mutated requests: {cases} inputs, {accepted} still valid ({days_checked} days evaluated), rejected by SQLSTATE {tally:?}"
    );
    assert_eq!(rejected + accepted, cases);
    for state in ["22P02", "22023", "22007", "42704"] {
        assert!(tally.get(state).copied().unwrap_or(0) > 0, "never produced {state}: {tally:?}");
    }
    assert!(accepted > 300, "mutations too destructive: {accepted} accepted");
}

#[test]
fn valid_rules_keep_the_invariants_whatever_the_order_offset_or_split() {
    let mut rng = Rng(0x5EED_0004);
    let cases = 3_000;
    let (mut days_checked, mut comparisons) = (0usize, 0usize);
    let mut statuses = std::collections::HashSet::new();
    let mut systems = BTreeMap::new();
    for case in 0..cases {
        let rule_json = valid_rule(&mut rng);
        let rule_text = rule_json.to_string();
        let rule = guarded("Rule::from_json", &rule_text, || Rule::from_json(&rule_text))
            .unwrap_or_else(|e| panic!("case {case}: generated rule rejected: {e}\n{rule_json:#}"));
        *systems.entry(format!("{:?}/{:?}", rule.system(), rule.punch_mode())).or_insert(0usize) += 1;
        let raw = random_request(&mut rng, rule.shift_names().count());
        let n = raw.punches.len();
        let order: Vec<usize> = (0..n).collect();
        let base_text = request_json(&raw, raw.from, raw.to, &order, 0, false).to_string();
        let context = || format!("case {case}: rule {rule_text}\nrequest {base_text}");
        let base = evaluate_and_check(&rule, &base_text, &context).expect("a generated request is valid");
        days_checked += base.len();
        statuses.extend(base.iter().map(|d| d.status));

        // Punch order: reversed and shuffled.
        let mut shuffled: Vec<usize> = (0..n).rev().collect();
        if rng.chance(50) {
            for i in (1..n).rev() {
                shuffled.swap(i, rng.below(i as u64 + 1) as usize);
            }
        }
        // The same instants written in another offset, or PostgreSQL's form.
        let offset = rng.pick(&[8 * 3600, -5 * 3600, 5 * 3600 + 45 * 60, 14 * 3600, -12 * 3600, -(3 * 3600 + 30 * 60)]);
        let pg_form = rng.chance(40);
        let other = request_json(&raw, raw.from, raw.to, &shuffled, offset, pg_form).to_string();
        let again = evaluate_and_check(&rule, &other, &context).expect("valid");
        assert_eq!(
            again,
            base,
            "punch order or instant offset changed the result\n{}\nother request {other}",
            context()
        );
        comparisons += 1;

        // Split into two requests: the same days.
        if raw.to > raw.from {
            let mid = raw.from + Duration::days(rng.range(0, (raw.to - raw.from).num_days() - 1));
            let first = request_json(&raw, raw.from, mid, &order, 0, false).to_string();
            let second = request_json(&raw, mid + Duration::days(1), raw.to, &order, 0, false).to_string();
            let mut joined = evaluate_and_check(&rule, &first, &context).expect("valid");
            joined.extend(evaluate_and_check(&rule, &second, &context).expect("valid"));
            assert_eq!(joined, base, "splitting the range at {mid} changed the result\n{}", context());
            comparisons += 1;

            // The second part again with only the rows a loader reads for
            // it (days_read_before): nothing older may change a figure.
            let start = mid + Duration::days(1);
            let cut_day = start - Duration::days(days_read_before(&rule) as i64);
            let cut = cut_day.and_hms_opt(0, 0, 0).unwrap().and_utc();
            let clipped = RawRequest {
                from: start,
                to: raw.to,
                punches: raw.punches.iter().filter(|p| p.at >= cut).cloned().collect(),
                excuses: raw.excuses.iter().filter(|(_, _, b)| *b > cut).cloned().collect(),
                holidays: raw.holidays.iter().filter(|(d, _)| *d >= cut_day).cloned().collect(),
                schedule: raw.schedule.iter().filter(|(d, _)| *d >= cut_day).cloned().collect(),
            };
            let kept: Vec<usize> = (0..clipped.punches.len()).collect();
            let later = request_json(&clipped, start, raw.to, &kept, 0, false).to_string();
            let alone = evaluate_and_check(&rule, &later, &context).expect("valid");
            assert_eq!(
                alone,
                base[base.len() - alone.len()..],
                "rows before {cut_day} changed the result from {start}\n{}\nclipped {later}",
                context()
            );
            comparisons += 1;
        }

        // The JSON entry point agrees with the parsed rule.
        if case % 10 == 0 {
            assert_eq!(evaluate_json(&rule_text, &base_text).expect("valid"), base, "{}", context());
            comparisons += 1;
        }
    }
    println!(
        "valid rules: {cases} rules, {days_checked} days checked, {comparisons} comparisons, by system {systems:?}"
    );
    assert_eq!(systems.len(), 8, "all four systems in both punch modes: {systems:?}");
    for status in [
        Status::Normal,
        Status::Late,
        Status::Early,
        Status::LateAndEarly,
        Status::Absent,
        Status::MissingCheckIn,
        Status::MissingCheckOut,
        Status::NoPunch,
        Status::Excused,
        Status::Rest,
        Status::Holiday,
        Status::Unscheduled,
        Status::NotInValidity,
    ] {
        assert!(statuses.contains(&status), "never produced {status:?}");
    }
    assert!(days_checked > 10_000);
}

/// A refresh after a punch evaluates only the days that can see it
/// (`days_seeing`): taking one punch away, or adding one, must change no
/// other day, for every system, zone, night shift and leave-late rule.
#[test]
fn a_punch_changes_only_the_days_seeing_it() {
    let mut rng = Rng(0x5EED_0005);
    let cases = 3_000;
    let (mut changed_cases, mut changed_days) = (0usize, 0usize);
    // How far from the punch's UTC day the days it changed were.
    let mut offsets: BTreeMap<i64, usize> = BTreeMap::new();
    for case in 0..cases {
        let rule_json = valid_rule(&mut rng);
        let rule_text = rule_json.to_string();
        let rule = Rule::from_json(&rule_text).unwrap_or_else(|e| panic!("case {case}: rule rejected: {e}"));
        let mut raw = random_request(&mut rng, rule.shift_names().count());
        // A punch of its own, near the range or inside it, taken away below.
        let midnight = (raw.from + Duration::days(rng.range(-2, (raw.to - raw.from).num_days() + 2)))
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        let at = midnight + Duration::seconds(rng.range(0, 86_400));
        let pos = rng.chance(30).then(|| (31.0 + rng.range(-60, 60) as f64 * 1e-4, 121.0));
        raw.punches.push(RawPunch { at, pos, source: rng.pick(&["device", "make_up", "appeal"]) });
        // Punches on the ten days after the range too, so that a later
        // workday's arrival can depend on this one's departure.
        for n in 1..=10 {
            let midnight = (raw.to + Duration::days(n)).and_hms_opt(0, 0, 0).unwrap().and_utc();
            for _ in 0..rng.range(0, 4) {
                let at = midnight + Duration::seconds(rng.range(-12 * 3600, 36 * 3600));
                raw.punches.insert(0, RawPunch { at, pos: None, source: "device" });
            }
        }
        // Days well beyond the punch on both sides, the leave-late carry included.
        let (from, to) = (raw.from - Duration::days(8), raw.to + Duration::days(40));
        let all: Vec<usize> = (0..raw.punches.len()).collect();
        let with_text = request_json(&raw, from, to, &all, 0, false).to_string();
        let context = || format!("case {case}: rule {rule_text}\nrequest {with_text}");
        let with = evaluate_and_check(&rule, &with_text, &context).expect("a generated request is valid");
        let without_text = request_json(&raw, from, to, &all[..all.len() - 1], 0, false).to_string();
        let without = evaluate_and_check(&rule, &without_text, &context).expect("valid");
        let (first, last) = days_seeing(days_read_before(&rule), at.date_naive());
        let mut changed = false;
        for (a, b) in with.iter().zip(&without) {
            if a == b {
                continue;
            }
            changed = true;
            changed_days += 1;
            assert!(
                (first..=last).contains(&a.date),
                "the punch at {at} changed {}, outside the days seeing it ({first}..={last})\n{}",
                a.date,
                context()
            );
            *offsets.entry((a.date - at.date_naive()).num_days()).or_default() += 1;
        }
        changed_cases += usize::from(changed);
    }
    println!("{cases} punches: {changed_cases} changed a day, {changed_days} days changed, by days after the punch's UTC day {offsets:?}");
    assert!(changed_cases > cases / 3, "too few punches changed anything: {changed_cases}");
    // Zones and night shifts reach the days before and up to two after,
    // only leave-late-arrive-late's next workday further: the bound is
    // tested on both sides.
    assert!(offsets.keys().any(|&o| o < -1), "no punch changed a day two before its own: {offsets:?}");
    assert!(offsets.keys().any(|&o| o > 2), "no punch changed a workday beyond two days after: {offsets:?}");
}

// ---------------------------------------------------------------------------
// Results pinned before the options of the overtime, auto check-out,
// holiday punch and punch source work: rules that do not use those options
// must keep every figure, status and reason.
//
// Re-pinned by one defect fix since: overtime after the end runs from a
// check-in made after the end, not from the end. Of the 7585 sampled days,
// 63 changed, each with its last period's check-in after the end, and only
// in its overtime minutes and reasons (compared day by day before and after
// the fix).

#[test]
fn rules_without_the_new_options_keep_their_results() {
    // One digest per 250 cases, so a change points at its neighbourhood.
    const PINNED: [u64; 6] = [
        0x6c6a_3b4e_c20c_14ec,
        0x0e1f_cb9b_ed2a_363b,
        0x329f_55b6_4520_37d8,
        0x5065_aaa8_9c2d_d910,
        0x47b5_10cd_5e18_a2ca,
        0x14e1_8e5c_dbd2_8fa0,
    ];
    let mut rng = Rng(0x5EED_0005);
    let mut found = [0u64; 6];
    for (chunk, slot) in found.iter_mut().enumerate() {
        let mut hash = 0xCBF2_9CE4_8422_2325u64;
        for case in 0..250 {
            let rule_json = valid_rule(&mut rng);
            let rule_text = rule_json.to_string();
            let rule = Rule::from_json(&rule_text).unwrap_or_else(|e| panic!("{e}\n{rule_text}"));
            let raw = random_request(&mut rng, rule.shift_names().count());
            let order: Vec<usize> = (0..raw.punches.len()).collect();
            let request = request_json(&raw, raw.from, raw.to, &order, 0, false).to_string();
            let context = || format!("chunk {chunk} case {case}: rule {rule_text}\nrequest {request}");
            let days = evaluate_and_check(&rule, &request, &context).expect("a generated request is valid");
            digest(&days, &mut hash);
        }
        *slot = hash;
    }
    assert_eq!(found, PINNED, "results of rules without the new options changed: {found:#018x?}");
}

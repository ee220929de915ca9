//! Property-style tests with a hand-written xorshift PRNG: random valid
//! rules and random punches never panic, figures stay within the scheduled
//! minutes, and results do not depend on punch order or on evaluating a
//! day alone versus in a batch.

mod common;

use attendance_rules::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
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
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn hhmm(min: i64) -> String {
    let m = min.rem_euclid(1440);
    format!("{:02}:{:02}", m / 60, m % 60)
}

const ZONES: [&str; 7] = [
    "Asia/Shanghai",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "UTC",
    "America/Sao_Paulo",
];

fn random_shift(rng: &mut Rng, name: &str, flexible: bool) -> Value {
    let mut shift = if flexible {
        let earliest = rng.range(0, 200) * 5;
        let latest = (earliest + rng.range(0, 48) * 5).min(1439);
        let work = rng.range(12, 144) * 5;
        let work = work.min(1440 - (latest - earliest));
        json!({"name": name, "flexible": {"work_minutes": work.max(1), "earliest_check_in": hhmm(earliest), "latest_check_in": hhmm(latest)}})
    } else {
        let mut start = rng.range(0, 287) * 5;
        let first = start;
        let mut periods = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let len = rng.range(6, 120) * 5;
            if start + len - first > 1440 {
                break;
            }
            periods.push(json!({"start": hhmm(start), "end": hhmm(start + len)}));
            start += len + rng.range(1, 36) * 5;
        }
        if periods.is_empty() {
            periods.push(json!({"start": hhmm(first), "end": hhmm(first + 60)}));
        }
        json!({"name": name, "periods": periods})
    };
    if rng.chance(30) {
        shift["overtime"] = random_overtime(rng);
    }
    shift
}

fn random_overtime(rng: &mut Rng) -> Value {
    json!({
        "min_minutes_after_end": rng.range(0, 120),
        "unit_minutes": *rng.pick(&[1, 15, 30, 60]),
        "count_rest_days": rng.chance(50),
        "count_holidays": rng.chance(50)
    })
}

fn random_week(rng: &mut Rng, n_shifts: usize) -> Value {
    let mut days = serde_json::Map::new();
    for name in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        if rng.chance(70) {
            days.insert(name.into(), json!(format!("s{}", rng.below(n_shifts as u64))));
        } else if rng.chance(30) {
            days.insert(name.into(), Value::Null);
        }
    }
    Value::Object(days)
}

fn random_rule(rng: &mut Rng) -> Value {
    let system = *rng.pick(&["standard", "flexible", "odd_even_week", "scheduled"]);
    let flexible = rng.chance(30);
    let n = rng.range(1, 3) as usize;
    let mut shifts: Vec<Value> = (0..n).map(|i| random_shift(rng, &format!("s{i}"), flexible)).collect();
    if rng.chance(30) {
        shifts[0]["non_workday_default"] = json!(true);
    }
    let rule_overtime = rng.chance(40);
    if rule_overtime {
        for s in &mut shifts {
            s.as_object_mut().unwrap().remove("overtime");
        }
    }
    let mut rule = json!({
        "name": "random",
        "system": system,
        "punch_mode": if flexible { "flexible" } else { "fixed" },
        "shifts": shifts,
        "sign_out": rng.chance(50),
        "time_zone": *rng.pick(&ZONES)
    });
    match system {
        "standard" => {
            let days: Vec<i64> = (1..=7).filter(|_| rng.chance(70)).collect();
            rule["standard"] = json!({"workdays": days, "shift": format!("s{}", rng.below(n as u64))});
        }
        "flexible" => rule["flexible"] = json!({"days": random_week(rng, n)}),
        "odd_even_week" => {
            rule["odd_even_week"] = json!({"odd": random_week(rng, n), "even": random_week(rng, n)});
            if rng.chance(50) {
                rule["odd_even_week"]["anchor_week"] = json!("2026-01-07");
            }
        }
        _ => {
            rule["scheduled"] = json!({
                "allow_unscheduled_punch": rng.chance(50),
                "self_select_when_unscheduled": rng.chance(50)
            })
        }
    }
    if system != "scheduled" && rng.chance(60) {
        rule["tolerance"] = json!({"late_minutes": rng.range(0, 120), "early_minutes": rng.range(0, 120)});
    }
    if rng.chance(60) {
        rule["absenteeism"] = json!({
            "enabled": rng.chance(85),
            "late_over_minutes": rng.range(0, 240),
            "early_over_minutes": rng.range(0, 240),
            "unit_minutes": *rng.pick(&[1, 15, 30, 60, 90]),
            "situations": {
                "no_punch_all_day": rng.chance(50), "missing_check_in": rng.chance(50),
                "missing_check_out": rng.chance(50), "late_beyond": rng.chance(50), "early_beyond": rng.chance(50)
            }
        });
    }
    if system != "scheduled" && !flexible && rng.chance(60) {
        let mode = |rng: &mut Rng| *rng.pick(&["fixed", "elastic"]);
        let mut flex = serde_json::Map::new();
        if rng.chance(60) {
            flex.insert("early_arrive_early_leave".into(), json!({"mode": mode(rng), "minutes": rng.range(1, 240)}));
        }
        if rng.chance(60) {
            flex.insert("late_arrive_late_leave".into(), json!({"mode": mode(rng), "minutes": rng.range(1, 240)}));
        }
        if rng.chance(60) {
            let tiers: Vec<Value> = (0..rng.range(1, 5))
                .map(|_| json!({"left_after_minutes": rng.range(1, 720), "may_arrive_late_minutes": rng.range(1, 240)}))
                .collect();
            flex.insert("leave_late_arrive_late".into(), json!({"mode": mode(rng), "tiers": tiers}));
        }
        rule["flex"] = Value::Object(flex);
    }
    if rule_overtime {
        rule["overtime"] = random_overtime(rng);
    }
    if rng.chance(30) {
        rule["locations"] = json!([{"name": "HQ", "lat": 31.0, "lon": 121.0, "radius_m": rng.range(0, 500)}]);
    }
    if rng.chance(20) {
        rule["validity"] = json!({"yearly": [{"from": "11-01", "to": "03-15"}]});
    }
    rule
}

fn random_date(rng: &mut Rng) -> NaiveDate {
    let base =
        *rng.pick(&[common::d(2026, 3, 1), common::d(2026, 3, 25), common::d(2026, 10, 20), common::d(2026, 12, 28)]);
    base + Duration::days(rng.range(0, 20))
}

fn random_instant(rng: &mut Rng, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap().and_utc();
    midnight + Duration::seconds(rng.range(-36 * 3600, 60 * 3600))
}

fn random_punches(rng: &mut Rng, from: NaiveDate, days: i64) -> Vec<Punch> {
    let mut out = Vec::new();
    for _ in 0..rng.range(0, 6 * days.max(1)) {
        let date = from + Duration::days(rng.range(0, days));
        let mut at = random_instant(rng, date);
        if rng.chance(50) {
            // Whole minutes collide more often, which exercises ties.
            at = at - Duration::seconds(at.timestamp().rem_euclid(60));
        }
        let (lat, lon) =
            if rng.chance(30) { (Some(31.0 + rng.range(-50, 50) as f64 * 1e-4), Some(121.0)) } else { (None, None) };
        let source = *rng.pick(&[PunchSource::Device, PunchSource::Device, PunchSource::MakeUp, PunchSource::Appeal]);
        out.push(Punch { at, lat, lon, source });
    }
    out
}

fn random_excuses(rng: &mut Rng, from: NaiveDate, days: i64) -> Vec<Excuse> {
    (0..rng.range(0, 2))
        .map(|_| {
            let date = from + Duration::days(rng.range(0, days));
            let a = random_instant(rng, date);
            let b = a + Duration::minutes(rng.range(1, 600));
            let kind =
                *rng.pick(&[ExcuseKind::Leave, ExcuseKind::BusinessTrip, ExcuseKind::Outing, ExcuseKind::Appeal]);
            Excuse { kind, from: a, to: b }
        })
        .collect()
}

fn check_invariants(r: &DayResult, context: &str) {
    let spent = r.late_minutes as i64 + r.early_minutes as i64 + r.absent_minutes as i64;
    assert!(
        spent <= r.scheduled_minutes as i64,
        "late+early+absent {spent} > scheduled {}: {context}\n{r:#?}",
        r.scheduled_minutes
    );
    assert!(r.late_minutes >= 0 && r.early_minutes >= 0 && r.absent_minutes >= 0, "{context}");
    assert!(r.work_minutes >= 0 && r.overtime_minutes >= 0, "{context}");
    for p in &r.periods {
        assert!(p.work_minutes >= 0 && p.late_minutes >= 0 && p.early_minutes >= 0, "{context}");
        if let (Some(i), Some(o)) = (p.check_in, p.check_out) {
            assert!(i.at <= o.at, "check-in after check-out: {context}");
        }
    }
    if matches!(r.status, Status::Rest | Status::Holiday | Status::Unscheduled) {
        assert_eq!(spent, 0, "{context}");
    }
    serde_json::to_string(r).expect("serializable");
}

#[test]
fn random_rules_and_punches_keep_the_invariants() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut evaluated = 0;
    let mut seen = std::collections::HashSet::new();
    for case in 0..400 {
        let rule_json = random_rule(&mut rng);
        let rule = match Rule::from_json(&rule_json.to_string()) {
            Ok(r) => r,
            Err(e) => panic!("generated rule rejected: {e}\n{rule_json:#}"),
        };
        let from = random_date(&mut rng);
        let days = rng.range(1, 10);
        let to = from + Duration::days(days - 1);
        let punches = random_punches(&mut rng, from, days);
        let excuses = random_excuses(&mut rng, from, days);
        let calendar = HolidayCalendar::new((0..days).filter_map(|i| {
            let roll = rng.below(10);
            let date = from + Duration::days(i);
            match roll {
                0 => Some((date, CalendarMark::Holiday)),
                1 => Some((date, CalendarMark::MakeUpWorkday)),
                _ => None,
            }
        }));
        let names: Vec<String> = rule.shift_names().map(String::from).collect();
        let schedule = Schedule::new((0..days).filter_map(|i| {
            let date = from + Duration::days(i);
            match rng.below(4) {
                0 => None,
                1 => Some((date, ScheduleEntry::Rest)),
                _ => rule
                    .shift_id(&names[rng.below(names.len() as u64) as usize])
                    .map(|id| (date, ScheduleEntry::Shift(id))),
            }
        }));
        let data = EmployeeDays { calendar: &calendar, schedule: &schedule, punches: &punches, excuses: &excuses };
        let batch = evaluate_range(&rule, from, to, &data);
        assert_eq!(batch.len(), days as usize);
        for (i, r) in batch.iter().enumerate() {
            let date = from + Duration::days(i as i64);
            let context = format!("case {case}, {date}, rule {rule_json}");
            check_invariants(r, &context);
            seen.insert(r.status);
            // A day evaluated alone, with its previous workday looked up,
            // equals the same day in the batch.
            let input = DayInput {
                date,
                mark: calendar.mark(date),
                schedule: schedule.entry(date),
                punches: &punches,
                excuses: &excuses,
                previous_workday: previous_workday(&rule, date, &data),
            };
            let alone = evaluate_day(&rule, &input);
            assert_eq!(&alone, r, "{context}");
            evaluated += 1;
        }
        // Shuffling the punches changes nothing.
        let mut shuffled_punches = punches.clone();
        for i in (1..shuffled_punches.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            shuffled_punches.swap(i, j);
        }
        let shuffled = EmployeeDays { punches: &shuffled_punches, ..data };
        assert_eq!(evaluate_range(&rule, from, to, &shuffled), batch, "case {case}: order changed the result");
    }
    assert!(evaluated > 1000);
    // The generator must reach the interesting outcomes, or the invariants
    // above prove little.
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
        assert!(seen.contains(&status), "never produced {status:?}");
    }
}

#[test]
fn mutated_rule_json_never_panics() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let alphabet: &[u8] = b"{}[]:,\"0123456789-.abcdefghijklmnopqrstuvwxyz_ ";
    for _ in 0..3000 {
        let text = random_rule(&mut rng).to_string();
        let mut bytes = text.into_bytes();
        for _ in 0..rng.range(1, 4) {
            let i = rng.below(bytes.len() as u64) as usize;
            match rng.below(3) {
                0 => bytes[i] = *rng.pick(alphabet),
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, *rng.pick(alphabet)),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Rule::from_json(&text) {
            assert!(!e.path().is_empty());
            assert_eq!(e.sqlstate().len(), 5);
        }
    }
}

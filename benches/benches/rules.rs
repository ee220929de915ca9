//! Throughput of the attendance rule engine: employee-days per second for a
//! realistic mix of rules and punches, evaluated a month per employee the
//! way the SQL layer does (rule parsed once, punches sorted once).
//!
//! The mix: 60 % office staff (tolerance, stepped absenteeism, elastic
//! early-arrive-early-leave, leave-late tiers, overtime and two locations
//! with a radius; two thirds of them on 09:00-18:00, one third on two
//! periods 09:00-12:00 and 13:00-18:00 with lunch punches), 20 % night shift 22:00-06:00 in America/New_York across
//! the March DST switch, 10 % flexible punch mode in Europe/Berlin, 10 % a
//! scheduled early/late rota. About 3 % of days have no punch, 10 % a late
//! arrival, 8 % an early leave, 20 % overtime, 3 % a morning of leave, 3 %
//! of office punches fall outside the radius, and a few people come in on
//! rest days; the month has a public holiday and a make-up workday.

use attendance_rules::{
    evaluate_day, evaluate_range, DayInput, EmployeeDays, Excuse, ExcuseKind, HolidayCalendar, Punch, PunchSource,
    Rule, Schedule, ScheduleEntry,
};
use chrono::{Duration, NaiveDate, TimeZone};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Instant;

const EMPLOYEES: usize = 400;
const DAYS: i64 = 31;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// An office rule with everything switched on: tolerance, stepped
/// absenteeism, flex, overtime and a location radius.
const OFFICE: &str = r#"{
  "name": "office", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
  "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
  "sign_out": true,
  "tolerance": {"late_minutes": 5, "early_minutes": 5},
  "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
    "situations": {"no_punch_all_day": true, "missing_check_in": true, "missing_check_out": false, "late_beyond": true, "early_beyond": true}},
  "flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30},
           "leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 60, "may_arrive_late_minutes": 30}, {"left_after_minutes": 180, "may_arrive_late_minutes": 60}]}},
  "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true},
  "locations": [{"name": "HQ", "lat": 31.2304, "lon": 121.4737, "radius_m": 300}, {"name": "Lab", "lat": 31.19, "lon": 121.44, "radius_m": 200}],
  "time_zone": "Asia/Shanghai"
}"#;

/// The same office rule with a punched lunch break: two periods a day.
const OFFICE_LUNCH: &str = r#"{
  "name": "office-lunch", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]}],
  "standard": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shift": "day"},
  "sign_out": true,
  "tolerance": {"late_minutes": 5, "early_minutes": 5},
  "absenteeism": {"enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
    "situations": {"no_punch_all_day": true, "missing_check_in": true, "missing_check_out": false, "late_beyond": true, "early_beyond": true}},
  "flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30},
           "leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 60, "may_arrive_late_minutes": 30}, {"left_after_minutes": 180, "may_arrive_late_minutes": 60}]}},
  "overtime": {"min_minutes_after_end": 30, "unit_minutes": 30, "count_rest_days": true, "count_holidays": true},
  "locations": [{"name": "HQ", "lat": 31.2304, "lon": 121.4737, "radius_m": 300}, {"name": "Lab", "lat": 31.19, "lon": 121.44, "radius_m": 200}],
  "time_zone": "Asia/Shanghai"
}"#;

/// Night shifts in a DST zone.
const NIGHT: &str = r#"{
  "name": "night", "system": "standard", "punch_mode": "fixed",
  "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}], "overtime": {"unit_minutes": 15}}],
  "standard": {"workdays": [1, 2, 3, 4, 5, 6], "shift": "night"},
  "tolerance": {"late_minutes": 10},
  "time_zone": "America/New_York"
}"#;

/// Flexible punch mode.
const FLEX: &str = r#"{
  "name": "flex", "system": "flexible", "punch_mode": "flexible",
  "shifts": [{"name": "core", "flexible": {"work_minutes": 480, "earliest_check_in": "07:30", "latest_check_in": "10:00"}}],
  "flexible": {"days": {"mon": "core", "tue": "core", "wed": "core", "thu": "core", "fri": "core"}},
  "time_zone": "Europe/Berlin"
}"#;

/// Scheduled shifts.
const SCHEDULED: &str = r#"{
  "name": "rota", "system": "scheduled", "punch_mode": "fixed",
  "shifts": [{"name": "early", "periods": [{"start": "06:00", "end": "14:00"}]}, {"name": "late", "periods": [{"start": "14:00", "end": "22:00"}]}],
  "scheduled": {"allow_unscheduled_punch": true},
  "time_zone": "Asia/Shanghai"
}"#;

struct Employee {
    rule: usize,
    punches: Vec<Punch>,
    excuses: Vec<Excuse>,
    schedule: Schedule,
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

/// A month of punches around the shift times, mostly on time, some late,
/// early, missing or outside the radius.
fn employee(rng: &mut Rng, rule_index: usize, rule: &Rule) -> Employee {
    let tz = rule.time_zone();
    let office = rule_index == 0 || rule_index == 4;
    let (start, end) = match rule_index {
        0 | 4 => (9 * 60, 18 * 60),
        1 => (22 * 60, 30 * 60),
        2 => (8 * 60 + 30, 16 * 60 + 30),
        _ => (6 * 60, 14 * 60),
    };
    let mut punches = Vec::new();
    let mut excuses = Vec::new();
    let mut schedule = Vec::new();
    for i in 0..DAYS {
        let date = first_day() + Duration::days(i);
        let shift_offset = if rule_index == 3 {
            let late = rng.chance(50);
            let id = rule.shift_id(if late { "late" } else { "early" }).unwrap();
            schedule.push((date, ScheduleEntry::Shift(id)));
            if late {
                8 * 60
            } else {
                0
            }
        } else {
            0
        };
        // Nobody is expected on rest days; a few still come in.
        let weekday = chrono::Datelike::weekday(&date).number_from_monday();
        let rest = match rule_index {
            0 | 2 | 4 => weekday >= 6,
            1 => weekday == 7,
            _ => false,
        };
        if (rest && !rng.chance(5)) || rng.chance(3) {
            continue; // no punch at all
        }
        let at = |minutes: i64| {
            let local = date.and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(minutes + shift_offset);
            tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&chrono::Utc))
        };
        let in_jitter = if rng.chance(10) { rng.range(1, 90) } else { -rng.range(0, 25) };
        let out_jitter = if rng.chance(8) {
            -rng.range(1, 90)
        } else if rng.chance(20) {
            rng.range(30, 180) // overtime
        } else {
            rng.range(0, 25)
        };
        let located = |rng: &mut Rng| {
            if office {
                let off = if rng.chance(3) { 0.01 } else { 0.0005 };
                (Some(31.2304 + off), Some(121.4737))
            } else {
                (None, None)
            }
        };
        if let Some(t) = at(start + in_jitter) {
            let (lat, lon) = located(rng);
            punches.push(Punch { at: t, lat, lon, source: PunchSource::Device });
        }
        if rule_index == 4 {
            // Lunch break punches of the two-period office shift.
            for m in [12 * 60 + rng.range(0, 5), 12 * 60 + 55 + rng.range(0, 5)] {
                if let Some(t) = at(m) {
                    let (lat, lon) = located(rng);
                    punches.push(Punch { at: t, lat, lon, source: PunchSource::Device });
                }
            }
        }
        if !rng.chance(5) {
            if let Some(t) = at(end + out_jitter) {
                let (lat, lon) = located(rng);
                punches.push(Punch { at: t, lat, lon, source: PunchSource::Device });
            }
        }
        if rng.chance(3) {
            if let (Some(a), Some(b)) = (at(start), at(start + 120)) {
                excuses.push(Excuse { kind: ExcuseKind::Leave, from: a, to: b });
            }
        }
    }
    punches.sort_by(attendance_rules::punch::punch_order);
    Employee { rule: rule_index, punches, excuses, schedule: Schedule::new(schedule) }
}

fn setup() -> (Vec<Rule>, Vec<Employee>, HolidayCalendar) {
    let rules: Vec<Rule> =
        [OFFICE, NIGHT, FLEX, SCHEDULED, OFFICE_LUNCH].iter().map(|t| Rule::from_json(t).unwrap()).collect();
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    // Most people work in the office; a mix of the others.
    let employees = (0..EMPLOYEES)
        .map(|i| {
            let r = match i % 10 {
                0..=3 => 0,
                4 | 5 => 4,
                6 | 7 => 1,
                8 => 2,
                _ => 3,
            };
            employee(&mut rng, r, &rules[r])
        })
        .collect();
    let calendar = HolidayCalendar::new([
        (NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(), attendance_rules::CalendarMark::Holiday),
        (NaiveDate::from_ymd_opt(2026, 3, 21).unwrap(), attendance_rules::CalendarMark::MakeUpWorkday),
    ]);
    (rules, employees, calendar)
}

fn run_month(rules: &[Rule], employees: &[Employee], calendar: &HolidayCalendar) -> usize {
    run_some(rules, employees, calendar, |_| true)
}

/// Evaluates the month of the employees on rules `keep` accepts.
fn run_some(rules: &[Rule], employees: &[Employee], calendar: &HolidayCalendar, keep: impl Fn(usize) -> bool) -> usize {
    let to = first_day() + Duration::days(DAYS - 1);
    let mut late = 0usize;
    for e in employees.iter().filter(|e| keep(e.rule)) {
        let data = EmployeeDays { calendar, schedule: &e.schedule, punches: &e.punches, excuses: &e.excuses };
        attendance_rules::for_each_day(&rules[e.rule], first_day(), to, &data, |r| late += r.late_minutes as usize);
    }
    late
}

/// User + system CPU seconds of the current thread, from procfs (Linux).
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields overall, in clock ticks of 1/100 s.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn bench(c: &mut Criterion) {
    let (rules, employees, calendar) = setup();
    let days = (EMPLOYEES as u64) * DAYS as u64;

    let mut group = c.benchmark_group("rules");
    group.throughput(Throughput::Elements(days));
    group.bench_function("month_batch_mixed", |b| b.iter(|| black_box(run_month(&rules, &employees, &calendar))));
    // The adapter's path: evaluate_range collects each month into a Vec.
    group.bench_function("month_batch_mixed_collect", |b| {
        b.iter(|| {
            let to = first_day() + Duration::days(DAYS - 1);
            let mut n = 0usize;
            for e in &employees {
                let data = EmployeeDays {
                    calendar: &calendar,
                    schedule: &e.schedule,
                    punches: &e.punches,
                    excuses: &e.excuses,
                };
                n += evaluate_range(&rules[e.rule], first_day(), to, &data).len();
            }
            black_box(n)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("rules_single");
    group.throughput(Throughput::Elements(1));
    let office = &employees[0];
    let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    group.bench_function("evaluate_day_office", |b| {
        b.iter(|| black_box(evaluate_day(&rules[0], &DayInput::new(black_box(date), &office.punches))))
    });
    group.bench_function("parse_rule", |b| b.iter(|| black_box(Rule::from_json(black_box(OFFICE)).unwrap())));
    group.finish();

    // A plain figure for the README and the report, independent of
    // criterion's output format. RULES_BENCH_ROUNDS sets the rounds (0 to
    // skip, e.g. when counting instructions of the setup alone).
    let rounds: u64 = std::env::var("RULES_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let cpu_before = thread_cpu_secs();
    let started = Instant::now();
    for _ in 0..rounds {
        black_box(run_month(&rules, &employees, &calendar));
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_before.and_then(|b| thread_cpu_secs().map(|a| a - b));
    let per_sec = (days * rounds) as f64 / secs.max(1e-9);
    println!("rules: {:.0} employee-days/s wall clock (mixed month batch, {} employee-days per round)", per_sec, days);
    if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
        // CPU time is what one core delivers even when the machine is
        // shared with other work.
        println!("rules: {:.0} employee-days per CPU-second of this thread", (days * rounds) as f64 / cpu);
    }
    if rounds > 0 {
        for (i, rule) in rules.iter().enumerate() {
            let n = employees.iter().filter(|e| e.rule == i).count() as u64 * DAYS as u64;
            let started = Instant::now();
            for _ in 0..rounds {
                black_box(run_some(&rules, &employees, &calendar, |r| r == i));
            }
            let per_sec = (n * rounds) as f64 / started.elapsed().as_secs_f64().max(1e-9);
            println!("rules:   {:>12}: {per_sec:.0} employee-days/s", rule.name());
        }
    }
    // RULES_BENCH_SAMPLE=1 prints how often each kind of reason is written,
    // to check the mix stays realistic.
    if std::env::var_os("RULES_BENCH_SAMPLE").is_some() {
        let to = first_day() + Duration::days(DAYS - 1);
        let mut reasons = std::collections::BTreeMap::<String, usize>::new();
        let mut total = 0;
        for e in &employees {
            let data =
                EmployeeDays { calendar: &calendar, schedule: &e.schedule, punches: &e.punches, excuses: &e.excuses };
            attendance_rules::for_each_day(&rules[e.rule], first_day(), to, &data, |r| {
                total += 1;
                for x in r.reasons {
                    let key: String = x.chars().take_while(|c| !c.is_ascii_digit()).collect();
                    *reasons.entry(key).or_default() += 1;
                }
            });
        }
        for (k, v) in reasons {
            println!("{:6.3} per day  {k}", v as f64 / total as f64);
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

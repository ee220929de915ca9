//! Random rules using the options of issue 14 (breaks, punch windows, pairs,
//! overtime before the start, working hours thresholds) keep the engine's
//! invariants: no panic, late + early + absent within the scheduled
//! minutes, work within the scheduled minutes, nothing negative, and a
//! result that depends neither on the punch order nor on whether the range
//! is evaluated at once; and out-of-range values are refused with a path.

mod pinned;

use attendance_rules::*;
use chrono::{Duration, NaiveDate, SecondsFormat};
use pinned::digest;
use serde_json::{json, Value};

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
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn hhmm(min: i64) -> String {
    let m = min.rem_euclid(1440);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A rule with 1..3 periods (minutes from midnight, possibly past it) and
/// the new options at random; also returns the periods.
fn rule(rng: &mut Rng) -> (Value, Vec<(i64, i64)>) {
    let first = rng.range(0, 1439);
    let mut start = first;
    let mut spans = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let len = rng.pick(&[30, 120, 240, 300, 540, 720]);
        if start + len - first > 1440 {
            break;
        }
        spans.push((start, start + len));
        start += len + rng.pick(&[0, 15, 60, 90]);
    }
    if spans.is_empty() {
        spans.push((first, first + 60));
    }
    let margin = (1440 - (spans.last().unwrap().1 - spans[0].0)) / 2;
    let mut breaks_left = 6;
    let periods: Vec<Value> = spans
        .iter()
        .enumerate()
        .map(|(k, &(s, e))| {
            let mut p = json!({"start": hhmm(s), "end": hhmm(e)});
            if rng.chance(50) && e - s >= 60 && breaks_left > 0 {
                let mut at = s + rng.range(1, 20);
                let mut list = Vec::new();
                while breaks_left > 0 && rng.chance(70) {
                    let len = rng.range(1, 45);
                    if at + len >= e {
                        break;
                    }
                    list.push(json!({"start": hhmm(at), "end": hhmm(at + len)}));
                    breaks_left -= 1;
                    at += len + rng.range(0, 90);
                }
                p["breaks"] = json!(list);
            }
            let before = if k == 0 { margin } else { s - spans[k - 1].1 };
            let after = if k + 1 == spans.len() { margin } else { spans[k + 1].0 - e };
            if rng.chance(40) {
                p["check_in_window_minutes"] = json!(rng.range(0, before));
            }
            if rng.chance(40) {
                p["check_out_window_minutes"] = json!(rng.range(0, after));
            }
            p
        })
        .collect();
    let mut r = json!({
        "name": "r", "system": "standard", "punch_mode": "fixed",
        "shifts": [{"name": "s", "periods": periods}],
        "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "s"},
        "time_zone": rng.pick(&["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"]),
        "sign_out": rng.chance(50),
        "work_time": rng.pick(&["first_last", "pairs"])
    });
    if rng.chance(50) {
        r["tolerance"] = json!({"late_minutes": rng.pick(&[0, 5, 30]), "early_minutes": rng.pick(&[0, 5, 30])});
    }
    if rng.chance(60) {
        r["absenteeism"] = json!({"late_over_minutes": rng.pick(&[0, 30, 60]), "early_over_minutes": rng.pick(&[0, 30, 60]),
            "unit_minutes": rng.pick(&[1, 30, 90]),
            "situations": {"no_punch_all_day": rng.chance(50), "missing_check_in": rng.chance(50),
                           "missing_check_out": rng.chance(50), "late_beyond": rng.chance(50), "early_beyond": rng.chance(50)}});
    }
    if rng.chance(60) {
        r["overtime"] = json!({"min_minutes_after_end": rng.pick(&[0, 15, 30]), "unit_minutes": rng.pick(&[1, 30, 60]),
            "count_rest_days": rng.chance(50), "count_before_start": rng.chance(60)});
    }
    if rng.chance(30) {
        r["flex"] = json!({"early_arrive_early_leave": {"mode": rng.pick(&["fixed", "elastic"]), "minutes": rng.pick(&[15, 60])},
                           "late_arrive_late_leave": {"mode": rng.pick(&["fixed", "elastic"]), "minutes": rng.pick(&[15, 240])}});
    }
    if rng.chance(60) {
        let half = rng.range(2, 600);
        r["working_hours_thresholds"] = if rng.chance(50) {
            json!({"half_day_below_minutes": half, "absent_below_minutes": rng.range(1, half - 1)})
        } else {
            json!({"half_day_below_minutes": half})
        };
    }
    (r, spans)
}

fn instant(from: NaiveDate, minute: i64, secs: i64) -> String {
    let t = from.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::minutes(minute) + Duration::seconds(secs);
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Punches near every start, end and break of a few days, in UTC minutes
/// shifted by a random zone offset guess; excuses and "now" sometimes.
fn request(rng: &mut Rng, spans: &[(i64, i64)]) -> (Value, Vec<Value>) {
    let from = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() + Duration::days(rng.range(0, 30));
    let days = rng.range(1, 3);
    let offset = rng.pick(&[-480, 300, 0, -600]);
    let mut punches = Vec::new();
    for day in 0..days {
        for &(s, e) in spans {
            for _ in 0..rng.range(0, 4) {
                let inside = rng.range(s, e);
                let around = rng.pick(&[s, e, (s + e) / 2, inside]);
                let m = day * 1440 + around + offset + rng.range(-90, 90);
                punches.push(json!({"at": instant(from, m, rng.pick(&[0, 0, 30, 59]))}));
            }
        }
    }
    let mut req = json!({"from": from.to_string(), "to": (from + Duration::days(days - 1)).to_string(), "punches": punches.clone()});
    if rng.chance(30) {
        let a = rng.range(0, days * 1440) + offset;
        req["excuses"] =
            json!([{"kind": "leave", "from": instant(from, a, 0), "to": instant(from, a + rng.range(10, 600), 0)}]);
    }
    if rng.chance(20) {
        req["now"] = json!(instant(from, rng.range(0, days * 1440), 0));
    }
    (req, punches)
}

fn check(r: &DayResult, context: &str) {
    let s = r.scheduled_minutes;
    let spent = r.late_minutes as i64 + r.early_minutes as i64 + r.absent_minutes as i64;
    assert!(r.late_minutes >= 0 && r.early_minutes >= 0 && r.absent_minutes >= 0, "{context}\n{r:#?}");
    assert!(spent <= s as i64, "late+early+absent {spent} > scheduled {s}\n{context}\n{r:#?}");
    assert!(r.overtime_minutes >= 0, "{context}");
    if r.kind == DayKind::Workday && r.status != Status::Pending {
        assert!(
            r.work_minutes >= 0 && r.work_minutes <= s,
            "work {} > scheduled {s}\n{context}\n{r:#?}",
            r.work_minutes
        );
    }
    for p in &r.periods {
        if let (Some(i), Some(o)) = (p.check_in, p.check_out) {
            assert!(i.at <= o.at, "{context}");
        }
        for b in &p.breaks {
            assert!(p.start <= b.start && b.start < b.end && b.end <= p.end, "{context}\n{p:#?}");
        }
    }
    serde_json::to_string(r).unwrap();
}

#[test]
fn random_rules_with_the_new_options_keep_the_invariants() {
    let mut rng = Rng(0x1414_0001);
    let mut statuses = std::collections::HashSet::new();
    for case in 0..4000 {
        let (rule_json, spans) = rule(&mut rng);
        let text = rule_json.to_string();
        Rule::from_json(&text).unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
        let (req, mut punches) = request(&mut rng, &spans);
        let context = format!("case {case}: rule {text}\nrequest {req}");
        let days = evaluate_json(&text, &req.to_string()).unwrap_or_else(|e| panic!("{e}\n{context}"));
        for d in &days {
            check(d, &context);
            statuses.insert(d.status);
        }
        punches.reverse();
        let mut reversed = req.clone();
        reversed["punches"] = json!(punches);
        assert_eq!(evaluate_json(&text, &reversed.to_string()).unwrap(), days, "punch order matters\n{context}");
    }
    for s in [Status::Normal, Status::HalfDay, Status::Absent, Status::Late, Status::Early, Status::MissingCheckOut] {
        assert!(statuses.contains(&s), "never produced {s:?}: {statuses:?}");
    }
}

#[test]
fn out_of_range_options_are_refused_with_their_path() {
    let mut rng = Rng(0x1414_0002);
    for case in 0..3000 {
        let (mut r, _) = rule(&mut rng);
        let periods = r["shifts"][0]["periods"].as_array().unwrap().len();
        let k = rng.range(0, periods as i64 - 1) as usize;
        let (path, value) = match rng.range(0, 5) {
            0 => ("check_in_window_minutes", json!(rng.pick(&[-1, 1441, i64::MIN, i64::MAX]))),
            1 => ("check_out_window_minutes", json!(rng.pick(&[-60, 100_000]))),
            2 => (
                "breaks",
                json!([{"start": rng.pick(&["00:00", "23:59", "12:00"]), "end": rng.pick(&["00:00", "24:00", "12:00"])}]),
            ),
            3 => ("breaks", json!([{"start": "x", "end": "12:00"}])),
            _ => ("breaks", json!("lunch")),
        };
        r["shifts"][0]["periods"][k][path] = value;
        let text = r.to_string();
        match std::panic::catch_unwind(|| Rule::from_json(&text)) {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                assert!(e.path().starts_with(&format!("shifts[0].periods[{k}]")), "case {case}: {e}\n{text}");
                assert!(["22P02", "22023", "22007", "23P01"].contains(&e.sqlstate()), "case {case}: {e}");
            }
            Err(_) => panic!("case {case}: validation panicked\n{text}"),
        }
    }
}

/// Pinned before the quantity overtime, auto check-out, holiday punch and
/// punch source options: rules with only the issue 14 options keep every
/// figure, status and reason.
///
/// Re-pinned by two defect fixes since, both about overtime counting only
/// time present outside the shift: from a check-in after the end, to a
/// check-out before the start; and in pairs mode only the in/out pairs'
/// time there. Of the 4007 sampled days, 255 changed, only in their
/// overtime minutes and reasons: 107 with a check-in after the end, 34 with
/// a check-out before the start, 60 with pairs that leave a gap outside the
/// shift, and 54 with more than one of these.
///
/// Re-pinned in 0.19.0: a punch after "now" is no longer evaluated at all
/// (`made_by`), where only a pending period left it out. Of the 4007 days,
/// 325 changed, all in the 287 of 389 requests with "now" that hold a punch
/// after it: 90 days without periods (rest days, holidays) that counted it
/// as work (25 also as overtime), 9 days already over by "now" that took it
/// as a check-in or check-out, and 226 pending days: 42 in their reasons
/// (one also in its lateness so far), 184 only in their attended minutes.
///
/// Re-pinned in 0.26.0: a day not over yet is late so far from where the
/// engine measures lateness (`PeriodResult::late_from`: a flexible shift's
/// latest check-in, the end of an excuse covering the start), not from the
/// period's start. Of the 4007 days, 4 changed, all pending days with an
/// excuse: 3 only in their reasons ("late from" the excuse's end), 1 also
/// in its lateness so far.
///
/// Re-pinned in 0.27.0: a check-in before where lateness starts, on a day
/// whose lateness does not start at the period's start, reads "on time
/// (late from HH:MM)". Of the 4007 days, 4 changed, in that reason only.
#[test]
fn rules_without_the_later_options_keep_their_results() {
    const PINNED: [u64; 4] =
        [0xc6e5_9470_e0da_d067, 0x286c_4b52_97db_f874, 0x6569_7f38_7049_d358, 0x77f3_d434_cf6e_0bbe];
    let mut rng = Rng(0x1414_0003);
    let mut found = [0u64; 4];
    for slot in found.iter_mut() {
        let mut hash = 0xCBF2_9CE4_8422_2325u64;
        for _ in 0..500 {
            let (rule_json, spans) = rule(&mut rng);
            let (req, _) = request(&mut rng, &spans);
            let days = evaluate_json(&rule_json.to_string(), &req.to_string()).unwrap();
            digest(&days, &mut hash);
        }
        *slot = hash;
    }
    assert_eq!(found, PINNED, "results of rules without the later options changed: {found:#018x?}");
}

// ---------------------------------------------------------------------------
// The later options: daily quantity overtime, auto check-out, holiday
// punches, punch sources with required positions, and the options only the
// SQL layer enforces. Drawn from their own generator so the issue 14 cases
// above stay as they were.

/// Holidays on some days of the request, and random sources and positions
/// on its punches (positions at HQ, see `HQ`).
fn with_holidays_and_sources(rng: &mut Rng, req: &mut Value) {
    let from = NaiveDate::parse_from_str(req["from"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let to = NaiveDate::parse_from_str(req["to"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let mut holidays = Vec::new();
    let mut d = from;
    while d <= to {
        if rng.chance(35) {
            holidays.push(json!({"date": d.to_string(), "kind": "holiday"}));
        }
        d += Duration::days(1);
    }
    req["holidays"] = json!(holidays);
    for p in req["punches"].as_array_mut().unwrap() {
        p["source"] = json!(rng.pick(&["device", "terminal", "mobile", "mobile", "make_up", "appeal"]));
        if rng.chance(50) {
            p["lat"] = json!(HQ.0);
            p["lon"] = json!(HQ.1);
        }
    }
}

const HQ: (f64, f64) = (31.2304, 121.4737);

/// The later options at random on a rule of `rule()`.
fn later_options(rng: &mut Rng, r: &mut Value) {
    if rng.chance(50) {
        let mut q = json!({});
        if rng.chance(70) {
            q["day_over_minutes"] = json!(rng.pick(&[1, 60, 240, 480, 540, 1440]));
        }
        if q.as_object().unwrap().is_empty() || rng.chance(30) {
            q["week_over_minutes"] = json!(rng.pick(&[1, 2400, 10080]));
        }
        if r.get("overtime").is_none() {
            r["overtime"] = json!({});
        }
        r["overtime"]["quantity"] = q;
    }
    if rng.chance(50) {
        r["auto_check_out_minutes"] = json!(rng.pick(&[1, 30, 240, 600, 1440]));
    }
    if rng.chance(50) {
        r["holiday_punches"] = json!(rng.pick(&["count", "ignore"]));
    }
    if rng.chance(50) {
        r["locations"] = json!([{"name": "HQ", "lat": HQ.0, "lon": HQ.1, "radius_m": rng.pick(&[50.0, 2.0e7])}]);
        if rng.chance(70) {
            r["position_required_for"] =
                json!(rng.pick::<&[&str]>(&[&["mobile"], &["mobile", "device"], &["terminal"]]));
        }
    }
    if rng.chance(20) {
        r["make_up_punch"] = json!({"monthly_limit": rng.range(0, 100), "within_days": rng.range(0, 366)});
    }
    if rng.chance(20) && r.get("overtime").is_some() {
        r["overtime"]["time_off_in_lieu"] = json!({"leave_type": "TOIL", "percent": rng.range(1, 400)});
    }
}

#[test]
fn random_rules_with_the_later_options_keep_the_invariants() {
    let mut rng = Rng(0x1515_0001);
    let mut options = Rng(0x1515_0002);
    let mut seen = std::collections::HashSet::new();
    for case in 0..3000 {
        let (mut rule_json, spans) = rule(&mut rng);
        let (mut req, _) = request(&mut rng, &spans);
        later_options(&mut options, &mut rule_json);
        with_holidays_and_sources(&mut options, &mut req);
        let text = rule_json.to_string();
        let context = format!("case {case}: rule {text}\nrequest {req}");
        let days = evaluate_json(&text, &req.to_string()).unwrap_or_else(|e| panic!("{e}\n{context}"));
        for d in &days {
            check(d, &context);
            for p in &d.periods {
                if let Some(c) = p.check_out.filter(|c| c.source == PunchSource::AutoCheckOut) {
                    seen.insert("auto check-out");
                    assert!(d.overtime_minutes == 0 || d.status == Status::Pending, "{context}\n{d:#?}");
                    assert!(p.check_in.is_some_and(|i| i.at <= c.at), "{context}");
                }
            }
            if d.reasons.iter().any(|r| r.contains("more than the daily")) {
                seen.insert("quantity overtime");
            }
            if d.reasons.iter().any(|r| r.contains("holiday_punches")) {
                seen.insert("ignored holiday");
                assert_eq!((d.work_minutes, d.overtime_minutes), (0, 0), "{context}");
            }
            if d.reasons.iter().any(|r| r.contains("has no position")) {
                seen.insert("no position");
            }
        }
        let mut reversed = req.clone();
        reversed["punches"].as_array_mut().unwrap().reverse();
        assert_eq!(evaluate_json(&text, &reversed.to_string()).unwrap(), days, "punch order matters\n{context}");
    }
    for what in ["auto check-out", "quantity overtime", "ignored holiday", "no position"] {
        assert!(seen.contains(what), "never exercised {what}: {seen:?}");
    }
}

/// Evaluates one rule text on one request.
fn eval(rule: &Value, req: &Value) -> Vec<DayResult> {
    evaluate_json(&rule.to_string(), &req.to_string()).unwrap_or_else(|e| panic!("{e}\nrule {rule}\nrequest {req}"))
}

#[test]
fn neutral_forms_of_the_later_options_change_nothing() {
    let mut rng = Rng(0x1515_0003);
    for case in 0..1500 {
        let (base, spans) = rule(&mut rng);
        let (mut req, _) = request(&mut rng, &spans);
        with_holidays_and_sources(&mut rng, &mut req);
        let mut neutral = base.clone();
        neutral["holiday_punches"] = json!("count");
        neutral["position_required_for"] = json!([]);
        neutral["make_up_punch"] = json!({"monthly_limit": 2});
        if neutral.get("overtime").is_some() {
            neutral["overtime"]["quantity"] = json!({"week_over_minutes": 2400});
            neutral["overtime"]["time_off_in_lieu"] = json!({"leave_type": "TOIL"});
        }
        assert_eq!(eval(&neutral, &req), eval(&base, &req), "case {case}: rule {neutral}\nrequest {req}");
    }
}

#[test]
fn each_later_option_changes_only_the_days_it_is_about() {
    let mut rng = Rng(0x1515_0004);
    let (mut quantity_raised, mut auto_closed, mut holidays_ignored) = (0, 0, 0);
    for case in 0..1500 {
        let (base, spans) = rule(&mut rng);
        let (mut req, _) = request(&mut rng, &spans);
        with_holidays_and_sources(&mut rng, &mut req);
        let before = eval(&base, &req);
        let context = |what: &str, rule: &Value| format!("case {case} ({what}): rule {rule}\nrequest {req}");

        // The daily quantity only ever raises a workday's overtime.
        let mut q = base.clone();
        if q.get("overtime").is_none() {
            q["overtime"] = json!({});
        }
        q["overtime"]["quantity"] = json!({"day_over_minutes": rng.pick(&[60, 240, 480])});
        let plain = {
            let mut p = base.clone();
            if p.get("overtime").is_none() {
                p["overtime"] = json!({});
            }
            p
        };
        for (a, b) in eval(&q, &req).into_iter().zip(eval(&plain, &req)) {
            if a.overtime_minutes == b.overtime_minutes {
                assert_eq!(a, b, "{}", context("quantity", &q));
                continue;
            }
            quantity_raised += 1;
            assert!(
                a.overtime_minutes > b.overtime_minutes && a.kind == DayKind::Workday,
                "{}",
                context("quantity", &q)
            );
            let (mut a, mut b) = (a, b);
            for d in [&mut a, &mut b] {
                (d.overtime_minutes, d.overtime_category, d.reasons) = (0, None, Vec::new());
            }
            assert_eq!(a, b, "{}", context("quantity", &q));
        }

        // Auto check-out only changes days with a check-in and no check-out.
        let mut auto = base.clone();
        auto["auto_check_out_minutes"] = json!(rng.pick(&[30, 240, 600]));
        for (a, b) in eval(&auto, &req).into_iter().zip(&before) {
            let open = b.periods.iter().any(|p| p.check_in.is_some() && p.check_out.is_none());
            if open || b.status == Status::Pending {
                auto_closed += (a != *b) as usize;
                continue;
            }
            assert_eq!(a, *b, "{}", context("auto check-out", &auto));
        }

        // Ignoring holiday punches only changes holidays, to nothing.
        let mut ignore = base.clone();
        ignore["holiday_punches"] = json!("ignore");
        for (a, b) in eval(&ignore, &req).into_iter().zip(&before) {
            if b.kind != DayKind::Holiday {
                assert_eq!(a, *b, "{}", context("holiday punches", &ignore));
                continue;
            }
            holidays_ignored += (a != *b) as usize;
            assert_eq!((a.status, a.work_minutes, a.overtime_minutes), (Status::Holiday, 0, 0));
        }

        // A listed source's punch without a position counts as if it were
        // not there; only the reasons and the flags differ.
        let mut located = base.clone();
        located["locations"] = json!([{"name": "HQ", "lat": HQ.0, "lon": HQ.1, "radius_m": 2.0e7}]);
        let mut required = located.clone();
        required["position_required_for"] = json!(["mobile"]);
        let mut dropped = req.clone();
        dropped["punches"].as_array_mut().unwrap().retain(|p| !(p["source"] == "mobile" && p.get("lat").is_none()));
        for (a, b) in eval(&required, &req).into_iter().zip(eval(&located, &dropped)) {
            let (mut a, mut b) = (a, b);
            for d in [&mut a, &mut b] {
                d.reasons.clear();
                d.outside_punches.clear();
            }
            assert_eq!(a, b, "{}", context("position required", &required));
        }
    }
    assert!(
        quantity_raised > 50 && auto_closed > 50 && holidays_ignored > 50,
        "{quantity_raised} {auto_closed} {holidays_ignored}"
    );
}

#[test]
fn wrong_values_of_the_later_options_are_refused_with_their_path() {
    let mut rng = Rng(0x1515_0005);
    let bad = [
        json!(-1),
        json!(0),
        json!(1441),
        json!(10081),
        json!(i64::MAX),
        json!("x"),
        json!(null),
        json!([]),
        json!({}),
    ];
    let mut refused = 0;
    for case in 0..3000 {
        let (mut r, _) = rule(&mut rng);
        let value = bad[rng.range(0, bad.len() as i64 - 1) as usize].clone();
        let (root, path): (&str, Vec<&str>) = match rng.range(0, 7) {
            0 => (
                "overtime.quantity",
                vec!["overtime", "quantity", rng.pick(&["day_over_minutes", "week_over_minutes"])],
            ),
            1 => ("auto_check_out_minutes", vec!["auto_check_out_minutes"]),
            2 => ("holiday_punches", vec!["holiday_punches"]),
            3 => ("position_required_for", vec!["position_required_for"]),
            4 => ("make_up_punch", vec!["make_up_punch", rng.pick(&["monthly_limit", "within_days"])]),
            5 => (
                "overtime.time_off_in_lieu",
                vec!["overtime", "time_off_in_lieu", rng.pick(&["leave_type", "percent"])],
            ),
            _ => ("overtime.quantity", vec!["overtime", "quantity"]),
        };
        let mut node = &mut r;
        for (i, key) in path.iter().enumerate() {
            if i + 1 == path.len() {
                node[*key] = value.clone();
            } else {
                if node.get(*key).is_none_or(|v| !v.is_object()) {
                    node[*key] = json!({});
                }
                node = node.get_mut(*key).unwrap();
            }
        }
        let text = r.to_string();
        match std::panic::catch_unwind(|| Rule::from_json(&text)) {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                refused += 1;
                assert!(e.path().starts_with(root), "case {case}: {e}\n{text}");
                assert!(["22P02", "22023"].contains(&e.sqlstate()), "case {case}: {e}");
            }
            Err(_) => panic!("case {case}: validation panicked\n{text}"),
        }
    }
    assert!(refused > 2000, "{refused}");
}

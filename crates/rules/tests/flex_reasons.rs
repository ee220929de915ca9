//! Reasons say why a flex rule that could have moved the day did not, and
//! when a figure stops short of the time that passed.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::{json, Value};

fn leave_late() -> Value {
    office_json(json!({
        "flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 30, "may_arrive_late_minutes": 30}]}}
    }))
}

/// Monday's punches then Tuesday's, evaluated together; Tuesday's result.
fn tuesday(rule: &Value, monday: &[(&str, &str)], tuesday: &[&str]) -> DayResult {
    let mut p: Vec<Value> =
        monday.iter().map(|(t, s)| json!({"at": format!("2026-03-02T{t}:00+08:00"), "source": s})).collect();
    p.extend(tuesday.iter().map(|t| json!({"at": format!("2026-03-03T{t}:00+08:00")})));
    let req = json!({"from": "2026-03-02", "to": "2026-03-03", "punches": p});
    evaluate_json(&rule.to_string(), &req.to_string()).unwrap().remove(1)
}

#[test]
fn leaving_short_of_the_tier_is_named() {
    let r = tuesday(&leave_late(), &[("09:00", "device"), ("18:29", "device")], &["09:20", "18:00"]);
    assert_eq!(r.late_minutes, 20);
    assert_eq!(
        r.reasons,
        [
            "leave-late-arrive-late (fixed) does not apply: left 18:29 on 03-02, 1 min short of the 30-min tier",
            "late 20 min: in 09:20, start 09:00, allowance 0"
        ]
    );
    // One minute later the tier applies, with its own reason as before.
    let r = tuesday(&leave_late(), &[("09:00", "device"), ("18:30", "device")], &["09:20", "18:30"]);
    assert_eq!(r.late_minutes, 0);
    assert!(r.reasons[0].starts_with("leave-late-arrive-late (fixed): left 30 min after"), "{:?}", r.reasons);
}

#[test]
fn arriving_later_than_the_tier_allows_is_named() {
    let r = tuesday(&leave_late(), &[("09:00", "device"), ("18:40", "device")], &["09:45", "18:00"]);
    assert_eq!(r.late_minutes, 45);
    assert_eq!(
        r.reasons[0],
        "leave-late-arrive-late (fixed) does not apply: in 09:45 is 45 min after 09:00, \
         more than the 30 min earned by leaving 40 min late (tier 30)"
    );
}

#[test]
fn no_real_check_out_or_no_previous_workday_is_named() {
    // The make-up check-out does not count; Monday's last real punch is its
    // check-in.
    let r = tuesday(&leave_late(), &[("09:00", "device"), ("19:00", "make_up")], &["09:20", "18:00"]);
    assert_eq!(
        r.reasons[0],
        "leave-late-arrive-late (fixed) does not apply: left 09:00 on 03-02, 570 min short of the 30-min tier"
    );
    let r = tuesday(&leave_late(), &[("19:00", "make_up")], &["09:20", "18:00"]);
    assert_eq!(r.reasons[0], "leave-late-arrive-late (fixed) does not apply: the previous workday has no real punch");
    let rule = Rule::from_json(&leave_late().to_string()).unwrap();
    let r = day(&rule, monday(), &["09:20", "18:00"]);
    assert_eq!(r.reasons[0], "leave-late-arrive-late (fixed) does not apply: no previous workday known");
}

#[test]
fn late_beyond_the_late_allowance_is_named() {
    let rule = office(json!({"flex": {"late_arrive_late_leave": {"mode": "fixed", "minutes": 30}}}));
    let r = day(&rule, monday(), &["09:40", "18:30"]);
    assert_eq!(r.late_minutes, 40);
    assert_eq!(
        r.reasons,
        [
            "late-arrive-late-leave (fixed 30 min) does not apply: in 09:40 is 40 min after 09:00, more than 30",
            "late 40 min: in 09:40, start 09:00, allowance 0"
        ]
    );
    // Within the tolerance nothing is late, and nothing needs explaining.
    let tolerant = office(json!({
        "flex": {"late_arrive_late_leave": {"mode": "fixed", "minutes": 30}},
        "tolerance": {"late_minutes": 45}
    }));
    let r = day(&tolerant, monday(), &["09:40", "18:30"]);
    assert!(r.reasons.iter().all(|x| !x.contains("does not apply")), "{:?}", r.reasons);
}

#[test]
fn early_arrival_short_of_a_fixed_allowance_is_named_when_leaving_early() {
    let rule = office(json!({"flex": {"early_arrive_early_leave": {"mode": "fixed", "minutes": 30}}}));
    let r = day(&rule, monday(), &["08:40", "17:40"]);
    assert_eq!(r.early_minutes, 20);
    assert_eq!(
        r.reasons,
        [
            "early-arrive-early-leave (fixed 30 min) does not apply: in 08:40 is 20 min before 09:00, less than 30",
            "early 20 min: out 17:40, due 18:00, allowance 0"
        ]
    );
    // Leaving on time: nothing to explain.
    assert!(day(&rule, monday(), &["08:40", "18:00"]).reasons.is_empty());
}

#[test]
fn a_capped_figure_says_so() {
    // A lone 18:05 punch is a check-in 545 minutes after 09:00; the period
    // only holds 540.
    let r = day(&office(json!({})), monday(), &["18:05"]);
    assert_eq!((r.status, r.late_minutes), (Status::MissingCheckOut, 540));
    assert_eq!(
        r.reasons,
        [
            "missing check-out for 09:00-18:00",
            "late 540 min: in 18:05, start 09:00, allowance 0",
            "late capped at 540 min, the period's required time: in 18:05 is 545 min after 09:00"
        ]
    );
    // Leaving before the start: early leave stops at the period too.
    let r = day(&office(json!({})), monday(), &["08:00", "08:30"]);
    assert_eq!(r.early_minutes, 540);
    assert_eq!(
        r.reasons.last().unwrap(),
        "early capped at 540 min, the period's required time: out 08:30 is 570 min before 18:00"
    );
    // With a lunch break the period requires 480 minutes.
    let lunch = office(json!({"shifts": [{"name": "day", "periods": [
        {"start": "09:00", "end": "18:00", "breaks": [{"start": "12:00", "end": "13:00"}]}
    ]}]}));
    let r = day(&lunch, monday(), &["18:05"]);
    assert_eq!(r.late_minutes, 480);
    assert_eq!(
        r.reasons.last().unwrap(),
        "late capped at 480 min, the period's required time: in 18:05 is 545 min after 09:00"
    );
    // Uncapped days say nothing more.
    assert_eq!(day(&office(json!({})), monday(), &["09:10", "18:00"]).reasons.len(), 1);
}

#[test]
fn an_excused_late_start_needs_no_flex_reason() {
    // Leave covers the morning: arriving at 11:55 is not late, so no flex
    // rule had anything to do.
    let rule = Rule::from_json(&leave_late().to_string()).unwrap();
    let p = punches(monday(), &["11:55", "18:00"]);
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(monday(), "09:00"), to: sh(monday(), "12:00") }];
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(monday(), &p) });
    assert_eq!(r.late_minutes, 0);
    assert!(r.reasons.iter().all(|x| !x.contains("does not apply")), "{:?}", r.reasons);
    // Arriving at 12:20 is late after the leave: then it is named.
    let p = punches(monday(), &["12:20", "18:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(monday(), &p) });
    assert_eq!(r.late_minutes, 20);
    assert_eq!(r.reasons[0], "leave-late-arrive-late (fixed) does not apply: no previous workday known");
}

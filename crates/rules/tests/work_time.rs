//! Issue 14, item 4: worked time from in/out pairs.
//!
//! ERPNext's test_calculate_working_hours punches at now-390, now-300,
//! now-270, now-90 and now (minutes), read alternately as in and out. From
//! the first to the last punch that is 390 minutes (6.5 h); "Every Valid
//! Check-in and Check-out" adds the pairs 390-300 and 270-90, 90 + 180 =
//! 270 minutes (4.5 h), and the fifth punch has no partner. Here "now" is
//! 16:30 on a 09:00-18:00 day: 10:00, 11:30, 12:00, 15:00, 16:30.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

const ERPNEXT: [&str; 5] = ["10:00", "11:30", "12:00", "15:00", "16:30"];

#[test]
fn pairs_give_270_where_first_to_last_gives_390() {
    let first_last = day(&office(json!({})), monday(), &ERPNEXT);
    assert_eq!(first_last.work_minutes, 390);
    let explicit = day(&office(json!({"work_time": "first_last"})), monday(), &ERPNEXT);
    assert_eq!(explicit, first_last);
    let pairs = day(&office(json!({"work_time": "pairs"})), monday(), &ERPNEXT);
    assert_eq!(pairs.work_minutes, 270, "{:?}", pairs.reasons);
    assert!(
        pairs
            .reasons
            .contains(&"work from in/out pairs: 10:00-11:30, 12:00-15:00; 16:30 has no pair = 270 min".to_string()),
        "{:?}",
        pairs.reasons
    );
    // Check-in and check-out stay the first and the last punch, as in
    // ERPNext: lateness and early leave do not change.
    assert_eq!((pairs.late_minutes, pairs.early_minutes), (first_last.late_minutes, first_last.early_minutes));
    assert_eq!((pairs.late_minutes, pairs.early_minutes), (60, 90));
    assert_eq!(pairs.periods[0].check_out, first_last.periods[0].check_out);
}

#[test]
fn two_punches_are_one_pair() {
    let rule = office(json!({"work_time": "pairs"}));
    let r = day(&rule, monday(), &["09:00", "18:00"]);
    assert_eq!((r.status, r.work_minutes), (Status::Normal, 540));
    assert!(r.reasons.is_empty(), "{:?}", r.reasons);
    // Pairs are clipped to the period like first-to-last.
    let r = day(&rule, monday(), &["08:00", "12:00", "13:00", "19:00"]);
    assert_eq!(r.work_minutes, 480);
}

#[test]
fn pairs_skip_breaks_and_run_to_an_excuse() {
    let rule = office(json!({"work_time": "pairs", "shifts": [{"name": "day", "periods": [
        {"start": "08:00", "end": "17:00", "breaks": [{"start": "12:00", "end": "13:00"}]}
    ]}]}));
    let r = day(&rule, monday(), &["08:00", "12:30", "13:30", "17:00"]);
    assert_eq!(r.work_minutes, 450, "{:?}", r.reasons);
    let mon = monday();
    // Leave from 15:00: the third punch needs no partner, it runs to 15:00.
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "15:00"), to: sh(mon, "17:00") }];
    let p = punches(mon, &["08:00", "10:00", "10:30"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &p) });
    assert_eq!(r.work_minutes, 120 + 210, "{:?}", r.reasons);
}

#[test]
fn pairs_apply_to_flexible_punch_mode_and_to_days_off() {
    let flex = office(json!({
        "work_time": "pairs", "punch_mode": "flexible",
        "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "08:00", "latest_check_in": "10:00"}}],
        "standard": {"shift": "flex"}
    }));
    let r = day(&flex, monday(), &["09:00", "12:00", "13:00", "17:00"]);
    assert_eq!((r.work_minutes, r.early_minutes), (420, 0), "{:?}", r.reasons);
    let rest = office(json!({"work_time": "pairs", "overtime": {"count_rest_days": true}}));
    let sat = d(2026, 3, 7);
    let r = day(&rest, sat, &["10:00", "12:00", "13:00", "15:50", "16:00"]);
    assert_eq!((r.work_minutes, r.overtime_minutes), (290, 290), "{:?}", r.reasons);
    assert!(r.reasons[0]
        .starts_with("worked 290 min on a day off in in/out pairs: 10:00-12:00, 13:00-15:50; 16:00 has no pair"));
    let first_last = office(json!({"overtime": {"count_rest_days": true}}));
    assert_eq!(day(&first_last, sat, &["10:00", "12:00", "13:00", "15:50", "16:00"]).work_minutes, 360);
}

#[test]
fn an_unknown_work_time_names_its_field() {
    let e = rule_err(office_json(json!({"work_time": "every_valid"})));
    assert_eq!((e.path(), e.sqlstate()), ("work_time", "22P02"), "{e}");
}

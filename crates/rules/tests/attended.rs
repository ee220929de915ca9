//! Minutes present as punched (`attended_minutes`): what weekly quantity
//! overtime counts, beside `work_minutes`, which counts the shift only.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

/// 09:00-18:00 with lunch 12:00-13:00: 480 duty minutes.
fn lunch(extra: serde_json::Value) -> Rule {
    let mut o = json!({"shifts": [{"name": "day", "periods": [
        {"start": "09:00", "end": "18:00", "breaks": [{"start": "12:00", "end": "13:00"}]}
    ]}]});
    merge(&mut o, &extra);
    office(o)
}

#[test]
fn attended_time_runs_from_check_in_to_check_out_less_breaks() {
    // 08:00-19:00 less the lunch hour: 600 present, 480 of them in the shift.
    let r = day(&lunch(json!({})), monday(), &["08:00", "19:00"]);
    assert_eq!((r.work_minutes, r.attended_minutes), (480, 600), "{:?}", r.reasons);
    // Late and early: 10:00-16:00 is 300 present (the lunch hour out).
    let r = day(&lunch(json!({})), monday(), &["10:00", "16:00"]);
    assert_eq!(r.attended_minutes, 300, "{:?}", r.reasons);
    // A missing check-out: nothing proves presence.
    let r = day(&lunch(json!({})), monday(), &["09:00"]);
    assert_eq!(r.attended_minutes, 0, "{:?}", r.reasons);
}

#[test]
fn pairs_count_only_the_time_between_each_in_and_out() {
    // 08:00-12:00 and 13:00-17:00, then 21:00-21:30: 510 present.
    let r =
        day(&lunch(json!({"work_time": "pairs"})), monday(), &["08:00", "12:00", "13:00", "17:00", "21:00", "21:30"]);
    assert_eq!(r.attended_minutes, 510, "{:?}", r.reasons);
}

#[test]
fn an_assumed_check_out_adds_no_presence() {
    let r = day(&lunch(json!({"auto_check_out_minutes": 480})), monday(), &["09:00"]);
    assert!(r.periods[0].check_out.is_some(), "{:?}", r.reasons);
    assert_eq!(r.attended_minutes, 0, "{:?}", r.reasons);
}

#[test]
fn on_a_day_off_attended_time_is_the_time_worked() {
    let saturday = monday() + chrono::Days::new(5);
    let r = day(&lunch(json!({})), saturday, &["09:00", "13:10"]);
    assert_eq!((r.work_minutes, r.attended_minutes), (250, 250), "{:?}", r.reasons);
}

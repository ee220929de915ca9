//! Issue 14, item 2: punch windows (ERPNext's "begin check-in before shift
//! start time" and "allow check-out after shift end time").
//!
//! Without windows the middle of the gap between two periods splits their
//! punches. With them, a punch goes to the period whose window holds it.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

fn split(morning: serde_json::Value, afternoon: serde_json::Value) -> Rule {
    let mut p1 = json!({"start": "09:00", "end": "12:00"});
    let mut p2 = json!({"start": "13:00", "end": "18:00"});
    merge(&mut p1, &morning);
    merge(&mut p2, &afternoon);
    office(json!({"shifts": [{"name": "day", "periods": [p1, p2]}]}))
}

fn ins_outs(r: &DayResult) -> Vec<(Option<String>, Option<String>)> {
    let hm = |t: Option<PunchTime>| t.map(|t| t.local().format("%H:%M").to_string());
    r.periods.iter().map(|p| (hm(p.check_in), hm(p.check_out))).collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn the_issue_example_is_normal_with_an_early_check_in_window() {
    let times = ["09:00", "12:00", "12:25", "18:00"];
    // Today: 12:25 is past the middle of the lunch gap, so the afternoon
    // keeps only 18:00 and reads it as a very late check-in.
    let r = day(&split(json!({}), json!({})), monday(), &times);
    assert_eq!((r.status, r.late_minutes), (Status::MissingCheckOut, 300), "{:?}", r.reasons);
    assert!(r.reasons.contains(&"period 2: late 300 min: in 18:00, start 13:00, allowance 0".to_string()));
    // An afternoon window accepting check-ins from 12:00 takes 12:25.
    for window in [35, 60] {
        let r = day(&split(json!({}), json!({"check_in_window_minutes": window})), monday(), &times);
        assert_eq!(r.status, Status::Normal, "window {window}: {:?}", r.reasons);
        assert_eq!(ins_outs(&r), [(s("09:00"), s("12:00")), (s("12:25"), s("18:00"))]);
        assert_eq!((r.late_minutes, r.early_minutes, r.work_minutes), (0, 0, 480));
        assert!(r.reasons.is_empty(), "{:?}", r.reasons);
    }
    // A window that does not reach 12:25 changes nothing for it.
    let r = day(&split(json!({}), json!({"check_in_window_minutes": 30})), monday(), &times);
    assert_eq!((r.status, r.late_minutes), (Status::MissingCheckOut, 300), "{:?}", r.reasons);
}

#[test]
fn windows_on_both_sides_of_lunch_share_the_gap() {
    // ERPNext's defaults, 60 minutes each way: the whole lunch hour lies in
    // both windows. The morning takes the first lunch punch only while it
    // still needs its check-out.
    let rule = split(json!({"check_out_window_minutes": 60}), json!({"check_in_window_minutes": 60}));
    let r = day(&rule, monday(), &["09:00", "12:02", "12:55", "18:00"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(ins_outs(&r), [(s("09:00"), s("12:02")), (s("12:55"), s("18:00"))]);
    // Out before noon and back twice: the morning is closed already, so
    // both lunch punches open the afternoon.
    let r = day(&rule, monday(), &["09:00", "11:55", "12:05", "12:55", "18:00"]);
    assert_eq!(ins_outs(&r), [(s("09:00"), s("11:55")), (s("12:05"), s("18:00"))]);
    assert_eq!((r.status, r.early_minutes), (Status::Early, 5), "{:?}", r.reasons);
    // No morning punch: a lunch punch starts the afternoon.
    let r = day(&rule, monday(), &["12:40", "18:00"]);
    assert_eq!(ins_outs(&r), [(None, None), (s("12:40"), s("18:00"))]);
    assert_eq!(r.periods[1].status, Status::Normal);
    // With sign-out on, a lone late-morning punch is the morning's
    // check-out: the morning needs no more, and 12:40 opens the afternoon.
    let signed = office(json!({"sign_out": true, "shifts": [{"name": "day", "periods": [
        {"start": "09:00", "end": "12:00", "check_out_window_minutes": 60},
        {"start": "13:00", "end": "18:00", "check_in_window_minutes": 60}
    ]}]}));
    let r = day(&signed, monday(), &["11:00", "12:40", "18:00"]);
    assert_eq!(ins_outs(&r), [(None, s("11:00")), (s("12:40"), s("18:00"))]);
}

#[test]
fn a_punch_no_window_holds_is_not_counted() {
    // ERPNext's test_fetch_shift: 08:00-12:00 accepting check-ins from
    // 07:00 and check-outs until 13:00, both ends included.
    let rule = office(json!({"shifts": [{"name": "day", "periods": [
        {"start": "08:00", "end": "12:00", "check_in_window_minutes": 60, "check_out_window_minutes": 60}
    ]}]}));
    let r = day(&rule, monday(), &["07:00", "13:00"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(ins_outs(&r), [(s("07:00"), s("13:00"))]);
    let r = day(&rule, monday(), &["06:59", "08:00", "12:00", "13:01"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(ins_outs(&r), [(s("08:00"), s("12:00"))]);
    assert_eq!(
        r.reasons,
        [
            "punch at 06:59 is outside every period's punch window: not counted",
            "punch at 13:01 is outside every period's punch window: not counted"
        ]
    );
    // 13:01 is too late to be the check-out.
    let r = day(&rule, monday(), &["08:00", "13:01"]);
    assert_eq!(r.status, Status::MissingCheckOut, "{:?}", r.reasons);
    // Only punches outside the windows: nobody punched.
    let r = day(&rule, monday(), &["06:30", "13:30"]);
    assert_eq!(r.status, Status::NoPunch, "{:?}", r.reasons);
    // Between two windows that do not meet, a punch belongs to no period.
    let narrow = split(json!({"check_out_window_minutes": 10}), json!({"check_in_window_minutes": 10}));
    let r = day(&narrow, monday(), &["09:00", "12:05", "12:30", "12:55", "18:00"]);
    assert_eq!(ins_outs(&r), [(s("09:00"), s("12:05")), (s("12:55"), s("18:00"))]);
    assert!(r.reasons.contains(&"punch at 12:30 is outside every period's punch window: not counted".to_string()));
}

#[test]
fn an_undeclared_side_keeps_the_middle_of_the_gap() {
    // Only the morning says how late it accepts check-outs: the afternoon
    // still takes everything from the middle of the gap.
    let rule = split(json!({"check_out_window_minutes": 10}), json!({}));
    let r = day(&rule, monday(), &["09:00", "12:05", "12:20", "12:40", "18:00"]);
    assert_eq!(ins_outs(&r), [(s("09:00"), s("12:05")), (s("12:40"), s("18:00"))]);
    assert!(r.reasons.contains(&"punch at 12:20 is outside every period's punch window: not counted".to_string()));
}

#[test]
fn windows_must_stay_between_the_neighbours() {
    let e = rule_err(office_json(json!({"shifts": [{"name": "day", "periods": [
        {"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00", "check_in_window_minutes": 61}
    ]}]})));
    assert_eq!((e.path(), e.sqlstate()), ("shifts[0].periods[1].check_in_window_minutes", "22023"));
    assert_eq!(
        e.to_string(),
        "shifts[0].periods[1].check_in_window_minutes: must be at most 60 minutes \
         (the gap after the previous period; a longer window would reach into it), got 61"
    );
    let e = rule_err(office_json(json!({"shifts": [{"name": "day", "periods": [
        {"start": "09:00", "end": "12:00", "check_out_window_minutes": 90}, {"start": "13:00", "end": "18:00"}
    ]}]})));
    assert_eq!(e.path(), "shifts[0].periods[0].check_out_window_minutes");
    // 09:00-18:00 leaves 15 hours off duty: 450 minutes on either side.
    let one = |field: &str, v: i64| {
        office_json(json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00", field: v}]}]}))
    };
    Rule::from_json(&one("check_in_window_minutes", 450).to_string()).unwrap();
    Rule::from_json(&one("check_out_window_minutes", 0).to_string()).unwrap();
    let e = rule_err(one("check_in_window_minutes", 451));
    assert_eq!(
        e.to_string(),
        "shifts[0].periods[0].check_in_window_minutes: must be at most 450 minutes (half the off-duty time \
         before the shift; a longer window would take the previous day's punches), got 451"
    );
    let e = rule_err(one("check_out_window_minutes", -5));
    assert_eq!(e.to_string(), "shifts[0].periods[0].check_out_window_minutes: must not be negative, got -5");
    let e = rule_err(one("check_out_window_minutes", i64::MAX));
    assert_eq!(e.path(), "shifts[0].periods[0].check_out_window_minutes");
    let e = rule_err(office_json(json!({"shifts": [{"name": "day", "periods": [
        {"start": "09:00", "end": "18:00", "check_in_window_minutes": "60"}
    ]}]})));
    assert_eq!((e.path(), e.sqlstate()), ("shifts[0].periods[0].check_in_window_minutes", "22P02"));
}

#[test]
fn a_check_out_window_also_bounds_overtime() {
    // A check-out the window does not accept is not seen, so neither is
    // the overtime after it: widen the window to count late evenings.
    let rule = office(json!({
        "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00", "check_out_window_minutes": 60}]}],
        "overtime": {}
    }));
    assert_eq!(day(&rule, monday(), &["09:00", "18:50"]).overtime_minutes, 50);
    let r = day(&rule, monday(), &["09:00", "18:50", "19:30"]);
    assert_eq!((r.overtime_minutes, r.status), (50, Status::Normal), "{:?}", r.reasons);
}

//! Issue 14, item 6: half day and absent by worked time (ERPNext's
//! "working hours threshold for half day / for absent").
//!
//! ERPNext's tests use a shift 08:00-12:00 with the default windows (check-in
//! from an hour before, check-out until an hour after).

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

fn erpnext(thresholds: serde_json::Value) -> Rule {
    office(json!({
        "shifts": [{"name": "day", "periods": [
            {"start": "08:00", "end": "12:00", "check_in_window_minutes": 60, "check_out_window_minutes": 60}
        ]}],
        "working_hours_thresholds": thresholds
    }))
}

#[test]
fn test_working_hours_threshold_for_half_day() {
    let r = day(&erpnext(json!({"half_day_below_minutes": 120})), monday(), &["08:00", "09:30"]);
    assert_eq!((r.status, r.work_minutes), (Status::HalfDay, 90), "{:?}", r.reasons);
    assert_eq!(r.status.as_str(), "half_day");
    // The period keeps what its punches say; the half day judges the day.
    assert_eq!((r.periods[0].status, r.early_minutes, r.absent_minutes), (Status::Early, 150, 0));
    assert_eq!(r.reasons.last().unwrap(), "half day: 90 min worked, less than the half-day threshold of 120 min");
    // Without thresholds: early leave, as before.
    let r = day(
        &office(json!({"shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "12:00"}]}]})),
        monday(),
        &["08:00", "09:30"],
    );
    assert_eq!(r.status, Status::Early);
}

#[test]
fn test_working_hours_threshold_for_absent() {
    let r = day(&erpnext(json!({"absent_below_minutes": 120})), monday(), &["08:00", "09:30"]);
    assert_eq!((r.status, r.work_minutes), (Status::Absent, 90), "{:?}", r.reasons);
    // The whole required time is absent; the early leave folds into it.
    assert_eq!((r.absent_minutes, r.early_minutes, r.late_minutes), (240, 0, 0));
    assert_eq!(
        r.reasons.last().unwrap(),
        "absent 240 min: 90 min worked, less than the absence threshold of 120 min: the whole day counts as absent \
         (its 150 min late and early included)"
    );
}

#[test]
fn test_working_hours_threshold_for_absent_and_half_day() {
    let rule = erpnext(json!({"half_day_below_minutes": 120, "absent_below_minutes": 60}));
    // _1: 1.5 h is a half day, not absent.
    assert_eq!(day(&rule, monday(), &["08:00", "09:30"]).status, Status::HalfDay);
    // _2: 45 min is absent.
    let r = day(&rule, monday(), &["08:00", "08:45"]);
    assert_eq!((r.status, r.absent_minutes), (Status::Absent, 240), "{:?}", r.reasons);
    // Enough work is plain attendance.
    let r = day(&rule, monday(), &["08:00", "11:00"]);
    assert_eq!((r.status, r.early_minutes), (Status::Early, 60), "{:?}", r.reasons);
    let r = day(&rule, monday(), &["08:00", "12:00"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    // Exactly at the threshold is not below it.
    assert_eq!(day(&rule, monday(), &["08:00", "10:00"]).status, Status::Early);
    assert_eq!(day(&rule, monday(), &["08:00", "09:00"]).status, Status::HalfDay);
}

#[test]
fn a_missing_punch_keeps_its_status() {
    // Worked time is unknown without a check-out, not short: the
    // absenteeism situations judge missing punches.
    let rule = erpnext(json!({"half_day_below_minutes": 120, "absent_below_minutes": 60}));
    let r = day(&rule, monday(), &["08:00"]);
    assert_eq!((r.status, r.absent_minutes), (Status::MissingCheckOut, 0), "{:?}", r.reasons);
    let r = day(&rule, monday(), &[]);
    assert_eq!(r.status, Status::NoPunch, "{:?}", r.reasons);
}

#[test]
fn excused_time_counts_toward_the_thresholds() {
    let rule =
        office(json!({"working_hours_thresholds": {"half_day_below_minutes": 240, "absent_below_minutes": 120}}));
    let mon = monday();
    // Half a day of leave and the other half worked is a full day.
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "13:00"), to: sh(mon, "18:00") }];
    let p = punches(mon, &["09:00", "13:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &p) });
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    // 60 min worked and 60 excused is short of a half day, not absent.
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "09:00"), to: sh(mon, "10:00") }];
    let p = punches(mon, &["10:00", "11:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &p) });
    assert_eq!(r.status, Status::HalfDay, "{:?}", r.reasons);
    assert_eq!(
        r.reasons.last().unwrap(),
        "half day: 60 min worked and 60 min excused, less than the half-day threshold of 240 min"
    );
    // A whole day of leave is excused, whatever the thresholds.
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "09:00"), to: sh(mon, "18:00") }];
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &[]) });
    assert_eq!(r.status, Status::Excused, "{:?}", r.reasons);
}

#[test]
fn an_absent_day_stays_absent_and_thresholds_read_pairs() {
    // Stepped absence already made the day absent: a half day is milder.
    let rule = office(json!({
        "absenteeism": {"late_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true}},
        "working_hours_thresholds": {"half_day_below_minutes": 300}
    }));
    let r = day(&rule, monday(), &["13:30", "18:00"]);
    assert_eq!((r.status, r.absent_minutes), (Status::Absent, 270), "{:?}", r.reasons);
    assert_eq!(
        r.reasons.last().unwrap(),
        "270 min worked is less than the half-day threshold of 300 min; the day is absent"
    );
    // Worked time is the rule's work_time: pairs can make a day short.
    let pairs = office(json!({"work_time": "pairs", "working_hours_thresholds": {"half_day_below_minutes": 300}}));
    let r = day(&pairs, monday(), &["09:00", "11:00", "16:00", "18:00"]);
    assert_eq!((r.status, r.work_minutes), (Status::HalfDay, 240), "{:?}", r.reasons);
}

#[test]
fn a_pending_day_waits_for_its_end() {
    let rule = erpnext(json!({"absent_below_minutes": 120}));
    let mon = monday();
    let p = punches(mon, &["08:00", "09:00"]);
    let mut r = evaluate_day(&rule, &DayInput::new(mon, &p));
    pending::settle(&rule, &mut r, sh(mon, "10:00"));
    assert_eq!((r.status, r.absent_minutes), (Status::Pending, 0), "{:?}", r.reasons);
}

#[test]
fn thresholds_are_checked() {
    let cases = [
        (json!({}), "working_hours_thresholds", "22023"),
        (json!({"half_day_below_minutes": 0}), "working_hours_thresholds.half_day_below_minutes", "22023"),
        (json!({"absent_below_minutes": 1441}), "working_hours_thresholds.absent_below_minutes", "22023"),
        (
            json!({"half_day_below_minutes": 240, "absent_below_minutes": 240}),
            "working_hours_thresholds.absent_below_minutes",
            "22023",
        ),
        (json!({"half_day_minutes": 240}), "working_hours_thresholds.half_day_minutes", "22P02"),
        (json!({"half_day_below_minutes": 2.5}), "working_hours_thresholds.half_day_below_minutes", "22P02"),
    ];
    for (t, path, state) in cases {
        let e = rule_err(office_json(json!({"working_hours_thresholds": t.clone()})));
        assert_eq!((e.path(), e.sqlstate()), (path, state), "{t}: {e}");
    }
    let e = rule_err(office_json(
        json!({"working_hours_thresholds": {"half_day_below_minutes": 240, "absent_below_minutes": 300}}),
    ));
    assert_eq!(
        e.to_string(),
        "working_hours_thresholds.absent_below_minutes: 300 must be below half_day_below_minutes 240: \
         a day absent by worked time is also short of a half day"
    );
}

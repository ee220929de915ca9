//! Issue 14, item 3: breaks inside a shift period.
//!
//! Odoo's default calendar is 08:00-12:00 and 13:00-17:00 with one check-in
//! and one check-out a day. Written as two periods, every period wants its
//! own punches; written as one period, lunch counts as work. A period's
//! `breaks` are the third way: one check-in and one check-out, and the break
//! is neither work nor late, early or absent.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

/// 08:00-17:00 with lunch 12:00-13:00, Monday to Friday in Shanghai, missing
/// punches counting as absent.
fn odoo(extra: serde_json::Value) -> Rule {
    let mut overrides = json!({
        "shifts": [{"name": "day", "periods": [
            {"start": "08:00", "end": "17:00", "breaks": [{"start": "12:00", "end": "13:00"}]}
        ]}],
        "absenteeism": {"situations": {"no_punch_all_day": true, "missing_check_in": true, "missing_check_out": true}}
    });
    merge(&mut overrides, &extra);
    office(overrides)
}

#[test]
fn odoo_default_calendar_with_one_check_in_and_out_is_normal_480() {
    let r = day(&odoo(json!({})), monday(), &["07:58", "17:02"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!((r.scheduled_minutes, r.work_minutes), (480, 480));
    assert_eq!((r.late_minutes, r.early_minutes, r.absent_minutes), (0, 0, 0));
    assert!(r.reasons.is_empty(), "{:?}", r.reasons);
}

#[test]
fn without_the_break_the_same_day_is_absent_480_or_540_minutes_of_work() {
    // What the issue reports: two periods want four punches...
    let two = office(json!({
        "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]}],
        "absenteeism": {"situations": {"missing_check_in": true, "missing_check_out": true}}
    }));
    let r = day(&two, monday(), &["07:58", "17:02"]);
    assert_eq!((r.status, r.absent_minutes), (Status::Absent, 480), "{:?}", r.reasons);
    // ...and one period counts lunch as work.
    let one = office(json!({"shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "17:00"}]}]}));
    let r = day(&one, monday(), &["07:58", "17:02"]);
    assert_eq!((r.status, r.work_minutes, r.scheduled_minutes), (Status::Normal, 540, 540));
}

#[test]
fn a_check_in_during_the_break_is_late_only_by_the_morning() {
    let rule = odoo(json!({}));
    let r = day(&rule, monday(), &["12:30", "17:00"]);
    assert_eq!((r.status, r.late_minutes, r.work_minutes), (Status::Late, 240, 240), "{:?}", r.reasons);
    assert!(r.reasons.contains(&"in 12:30 falls in the break 12:00-13:00: judged as in at 13:00".to_string()));
    // After the break, the break itself is not late.
    let r = day(&rule, monday(), &["13:10", "17:00"]);
    assert_eq!((r.late_minutes, r.work_minutes), (250, 230), "{:?}", r.reasons);
    assert!(r.reasons.contains(&"the break 12:00-13:00 is not counted as late".to_string()), "{:?}", r.reasons);
    // Before the break, only the time missed counts.
    let r = day(&rule, monday(), &["08:10", "17:00"]);
    assert_eq!((r.late_minutes, r.work_minutes), (10, 470));
    assert_eq!(r.reasons, ["late 10 min: in 08:10, start 08:00, allowance 0"]);
}

#[test]
fn a_check_out_during_the_break_is_early_only_by_the_afternoon() {
    let rule = odoo(json!({}));
    let r = day(&rule, monday(), &["08:00", "12:10"]);
    assert_eq!((r.status, r.early_minutes, r.work_minutes), (Status::Early, 240, 240), "{:?}", r.reasons);
    assert!(r.reasons.contains(&"out 12:10 falls in the break 12:00-13:00: judged as out at 12:00".to_string()));
    let r = day(&rule, monday(), &["08:00", "11:50"]);
    assert_eq!((r.early_minutes, r.work_minutes), (250, 230), "{:?}", r.reasons);
    let r = day(&rule, monday(), &["08:00", "16:45"]);
    assert_eq!((r.early_minutes, r.work_minutes), (15, 465));
}

#[test]
fn absence_leaves_the_break_out() {
    let rule = odoo(json!({}));
    // No check-out: the whole required time, not 540.
    let r = day(&rule, monday(), &["08:00"]);
    assert_eq!((r.status, r.absent_minutes), (Status::Absent, 480), "{:?}", r.reasons);
    let r = day(&rule, monday(), &[]);
    assert_eq!((r.status, r.absent_minutes), (Status::Absent, 480), "{:?}", r.reasons);
    // Stepped absence measures lateness in duty time: 13:10 is 250 min
    // late, more than 60, rounded up to 270.
    let stepped = odoo(json!({"absenteeism": {"late_over_minutes": 60, "unit_minutes": 30,
        "situations": {"late_beyond": true}}}));
    let r = day(&stepped, monday(), &["13:10", "17:00"]);
    assert_eq!((r.status, r.absent_minutes, r.late_minutes), (Status::Absent, 270, 0), "{:?}", r.reasons);
}

#[test]
fn leave_up_to_the_break_runs_through_it() {
    let rule = odoo(json!({}));
    let mon = monday();
    let morning = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "08:00"), to: sh(mon, "12:00") }];
    let p = punches(mon, &["12:58", "17:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &morning, ..DayInput::new(mon, &p) });
    assert_eq!((r.status, r.late_minutes), (Status::Normal, 0), "{:?}", r.reasons);
    let p = punches(mon, &["13:05", "17:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &morning, ..DayInput::new(mon, &p) });
    assert_eq!((r.status, r.late_minutes), (Status::Late, 5), "{:?}", r.reasons);
    // Leave for the afternoon: no check-out needed, and the morning is the
    // whole work.
    let afternoon = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "13:00"), to: sh(mon, "17:00") }];
    let p = punches(mon, &["08:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &afternoon, ..DayInput::new(mon, &p) });
    assert_eq!((r.status, r.work_minutes, r.absent_minutes), (Status::Normal, 240, 0), "{:?}", r.reasons);
    // A whole day of leave is 480 minutes of leave, not 540.
    let all_day = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "08:00"), to: sh(mon, "17:00") }];
    let r = evaluate_day(&rule, &DayInput { excuses: &all_day, ..DayInput::new(mon, &[]) });
    assert_eq!(r.status, Status::Excused, "{:?}", r.reasons);
    assert_eq!(leave_minutes(&r, &all_day), 480);
}

#[test]
fn a_night_period_may_break_after_midnight() {
    let rule = office(json!({
        "shifts": [{"name": "night", "periods": [
            {"start": "22:00", "end": "06:00", "breaks": [{"start": "23:45", "end": "00:15"}, {"start": "02:00", "end": "02:30"}]}
        ]}],
        "standard": {"shift": "night"}
    }));
    let mon = monday();
    let p = [Punch::device(sh(mon, "21:55")), Punch::device(sh(d(2026, 3, 3), "06:01"))];
    let r = evaluate_day(&rule, &DayInput::new(mon, &p));
    assert_eq!((r.status, r.scheduled_minutes, r.work_minutes), (Status::Normal, 420, 420), "{:?}", r.reasons);
    let b = &r.periods[0].breaks;
    assert_eq!(b.len(), 2);
    assert_eq!((b[0].start, b[0].end), (sh(mon, "23:45"), sh(d(2026, 3, 3), "00:15")));
    // Leaving during the second break is early only by what follows it.
    let p = [Punch::device(sh(mon, "22:00")), Punch::device(sh(d(2026, 3, 3), "02:10"))];
    let r = evaluate_day(&rule, &DayInput::new(mon, &p));
    assert_eq!((r.early_minutes, r.work_minutes), (210, 210), "{:?}", r.reasons);
}

#[test]
fn breaks_show_in_the_result_and_only_when_there_are_some() {
    let r = day(&odoo(json!({})), monday(), &["08:00", "17:00"]);
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["periods"][0]["breaks"], json!([{"start": "2026-03-02T04:00:00Z", "end": "2026-03-02T05:00:00Z"}]));
    let r = day(&office(json!({})), monday(), &["09:00", "18:00"]);
    let v = serde_json::to_value(&r).unwrap();
    assert!(v["periods"][0].get("breaks").is_none(), "{v}");
}

#[test]
fn a_pending_day_measures_lateness_without_the_break() {
    let rule = odoo(json!({}));
    let mon = monday();
    let p = punches(mon, &["12:30"]);
    let mut r = evaluate_day(&rule, &DayInput::new(mon, &p));
    pending::settle(&rule, &mut r, sh(mon, "14:00"));
    assert_eq!((r.status, r.late_minutes), (Status::Pending, 240), "{:?}", r.reasons);
}

#[test]
fn breaks_must_lie_inside_their_period_in_order() {
    let period = |breaks: serde_json::Value| {
        office_json(json!({"shifts": [{"name": "day", "periods": [
            {"start": "08:00", "end": "17:00", "breaks": breaks}
        ]}]}))
    };
    let cases = [
        (json!([{"start": "07:00", "end": "08:30"}]), "shifts[0].periods[0].breaks[0]", "22023"),
        (json!([{"start": "16:30", "end": "17:30"}]), "shifts[0].periods[0].breaks[0]", "22023"),
        (json!([{"start": "08:00", "end": "09:00"}]), "shifts[0].periods[0].breaks[0]", "22023"),
        (json!([{"start": "16:00", "end": "17:00"}]), "shifts[0].periods[0].breaks[0]", "22023"),
        (json!([{"start": "12:00", "end": "11:00"}]), "shifts[0].periods[0].breaks[0]", "22023"),
        (json!([{"start": "12:00", "end": "12:00"}]), "shifts[0].periods[0].breaks[0].end", "22023"),
        (json!([{"start": "12:00", "end": "25:00"}]), "shifts[0].periods[0].breaks[0].end", "22007"),
        (
            json!([{"start": "12:00", "end": "13:00"}, {"start": "12:30", "end": "14:00"}]),
            "shifts[0].periods[0].breaks[1]",
            "23P01",
        ),
        (
            json!([{"start": "14:00", "end": "14:15"}, {"start": "10:00", "end": "10:15"}]),
            "shifts[0].periods[0].breaks[1]",
            "23P01",
        ),
        (json!([{"start": "12:00"}]), "shifts[0].periods[0].breaks[0].end", "22P02"),
        (json!([{"start": "12:00", "end": "13:00", "paid": true}]), "shifts[0].periods[0].breaks[0].paid", "22P02"),
    ];
    for (breaks, path, state) in cases {
        let e = rule_err(period(breaks.clone()));
        assert_eq!((e.path(), e.sqlstate()), (path, state), "{breaks}: {e}");
    }
    let e = rule_err(period(json!([{"start": "07:00", "end": "08:30"}])));
    assert_eq!(
        e.to_string(),
        "shifts[0].periods[0].breaks[0]: break 07:00-08:30 is not inside its period 08:00-17:00 \
         (it must start after the period starts and end before it ends)"
    );
    let seven: Vec<_> =
        (0..7).map(|i| json!({"start": format!("{:02}:00", 9 + i), "end": format!("{:02}:10", 9 + i)})).collect();
    let e = rule_err(period(json!(seven)));
    assert_eq!(e.path(), "shifts[0].periods[0].breaks[6]", "{e}");
    // Six are fine.
    Rule::from_json(&period(json!(seven[..6])).to_string()).unwrap();
}

//! Issue 14, item 5: the overtime threshold's boundary, and arriving before
//! the start as overtime (Odoo counts both ends of the day).

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

/// The threshold is "at least": a check-out exactly `min_minutes_after_end`
/// after the end counts, from the end (today's rule, kept). Odoo instead
/// treats a check-out within its tolerance as on time; with our spec's
/// "minimum minutes after the end", reaching the minimum is enough.
#[test]
fn a_check_out_exactly_at_the_threshold_counts_from_the_end() {
    let rule = office(json!({"overtime": {"min_minutes_after_end": 30}}));
    let r = day(&rule, monday(), &["09:00", "18:30"]);
    assert_eq!(r.overtime_minutes, 30, "{:?}", r.reasons);
    assert!(r
        .reasons
        .contains(&"overtime 30 min: out 18:30, end 18:00, 30 min after; threshold 30, unit 1".to_string()));
    // Whole minutes, like lateness: 29 min 59 s is below it.
    let mon = monday();
    let p = [Punch::device(sh(mon, "09:00")), Punch::device(sh(mon, "18:29") + chrono::Duration::seconds(59))];
    assert_eq!(evaluate_day(&rule, &DayInput::new(mon, &p)).overtime_minutes, 0);
    assert_eq!(day(&rule, monday(), &["09:00", "18:29"]).overtime_minutes, 0);
}

fn eight_to_five(overtime: serde_json::Value) -> Rule {
    office(json!({"shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "17:00"}]}], "overtime": overtime}))
}

#[test]
fn arriving_before_the_start_counts_only_when_asked() {
    let r = day(&eight_to_five(json!({})), monday(), &["07:00", "18:00"]);
    assert_eq!(r.overtime_minutes, 60, "{:?}", r.reasons);
    assert_eq!(day(&eight_to_five(json!({"count_before_start": false})), monday(), &["07:00", "18:00"]), r);
    let r = day(&eight_to_five(json!({"count_before_start": true})), monday(), &["07:00", "18:00"]);
    assert_eq!((r.overtime_minutes, r.overtime_category), (120, Some(OvertimeCategory::Workday)), "{:?}", r.reasons);
    assert_eq!(
        r.reasons,
        ["overtime 120 min: in 07:00, start 08:00, 60 min before; out 18:00, end 17:00, 60 min after; threshold 0, unit 1"]
    );
    // Early arrival alone, leaving on time.
    let r = day(&eight_to_five(json!({"count_before_start": true})), monday(), &["07:15", "17:00"]);
    assert_eq!(r.overtime_minutes, 45);
    assert_eq!(r.reasons, ["overtime 45 min: in 07:15, start 08:00, 45 min before; threshold 0, unit 1"]);
    // Without a check-out nothing is overtime, as after the end.
    let r = day(&eight_to_five(json!({"count_before_start": true})), monday(), &["07:00"]);
    assert_eq!(r.overtime_minutes, 0);
}

#[test]
fn the_threshold_gates_each_side_and_the_unit_rounds_the_sum() {
    let ot = |extra: serde_json::Value| {
        let mut o = json!({"count_before_start": true, "min_minutes_after_end": 30});
        merge(&mut o, &extra);
        eight_to_five(o)
    };
    // 15 min early is under the threshold; 40 min late is over it.
    assert_eq!(day(&ot(json!({})), monday(), &["07:45", "17:40"]).overtime_minutes, 40);
    assert_eq!(day(&ot(json!({})), monday(), &["07:30", "17:40"]).overtime_minutes, 70);
    // Two sides of 30 make one unit of 60.
    assert_eq!(day(&ot(json!({"unit_minutes": 60})), monday(), &["07:30", "17:30"]).overtime_minutes, 60);
    assert_eq!(day(&ot(json!({"unit_minutes": 60})), monday(), &["07:30", "17:20"]).overtime_minutes, 0);
}

#[test]
fn before_the_start_means_before_the_flex_adjusted_start() {
    // Elastic early-arrive-early-leave moves the day up to 30 minutes
    // earlier: arriving at 07:00 moves it to 07:30-16:30, so 30 minutes are
    // before the start and 90 after the end.
    let rule = office(json!({
        "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "17:00"}]}],
        "flex": {"early_arrive_early_leave": {"mode": "elastic", "minutes": 30}},
        "overtime": {"count_before_start": true}
    }));
    let r = day(&rule, monday(), &["07:00", "18:00"]);
    assert_eq!(r.overtime_minutes, 120, "{:?}", r.reasons);
    assert!(r
        .reasons
        .iter()
        .any(|x| x.starts_with("overtime 120 min: in 07:00, start 07:30, 30 min before; out 18:00, end 16:30")));
}

#[test]
fn flexible_punch_mode_counts_before_the_earliest_check_in() {
    let rule = office(json!({
        "punch_mode": "flexible",
        "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "08:00", "latest_check_in": "10:00"},
                    "overtime": {"count_before_start": true}}],
        "standard": {"shift": "flex"}
    }));
    // Counted from 08:00: due at 16:00; an hour before and an hour after.
    let r = day(&rule, monday(), &["07:00", "17:00"]);
    assert_eq!(r.overtime_minutes, 120, "{:?}", r.reasons);
    assert!(r.reasons.contains(
        &"overtime 120 min: in 07:00, start 08:00, 60 min before; out 17:00, due 16:00, 60 min after; threshold 0, unit 1"
            .to_string()
    ));
}

#[test]
fn count_before_start_must_be_a_boolean() {
    let e = rule_err(office_json(json!({"overtime": {"count_before_start": "yes"}})));
    assert_eq!((e.path(), e.sqlstate()), ("overtime.count_before_start", "22P02"), "{e}");
}

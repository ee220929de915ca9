//! Daily and weekly quantity overtime (Odoo 19's overtime rulesets: worked
//! time over a quantity a day or a week). The engine counts the daily rule;
//! the weekly threshold is only validated and handed to the SQL layer.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::{json, Value};

/// Odoo's calendar 08:00-17:00 with lunch 12:00-13:00 (480 duty minutes),
/// with `overtime` as the rule-wide overtime.
fn odoo(overtime: Value) -> Rule {
    office(json!({
        "shifts": [{"name": "day", "periods": [
            {"start": "08:00", "end": "17:00", "breaks": [{"start": "12:00", "end": "13:00"}]}
        ]}],
        "overtime": overtime
    }))
}

fn with_quantity(day_over: i64, extra: Value) -> Rule {
    let mut o = json!({"quantity": {"day_over_minutes": day_over}});
    merge(&mut o, &extra);
    odoo(o)
}

#[test]
fn worked_minutes_beyond_the_daily_quantity_are_overtime() {
    // 06:30-17:30 less the lunch hour is 600 worked minutes: 60 over 540.
    // After the end it is 30 minutes; the 90 minutes of arriving early only
    // the quantity sees.
    let r = day(&with_quantity(540, json!({})), monday(), &["06:30", "17:30"]);
    assert_eq!((r.overtime_minutes, r.overtime_category), (60, Some(OvertimeCategory::Workday)), "{:?}", r.reasons);
    assert_eq!(
        r.reasons,
        ["overtime 60 min: worked 600 min in the day, 60 min more than the daily 540 min; unit 1 \
          (the larger of this and the 30 min after the end, never their sum)"]
    );
    // Without the quantity: only the 30 minutes after the end.
    let plain = day(&odoo(json!({})), monday(), &["06:30", "17:30"]);
    assert_eq!(plain.overtime_minutes, 30, "{:?}", plain.reasons);
}

#[test]
fn the_larger_figure_wins_never_the_sum() {
    // 08:00-19:00: 600 worked, 60 over 540; 120 after the end: 120.
    let r = day(&with_quantity(540, json!({})), monday(), &["08:00", "19:00"]);
    assert_eq!(r.overtime_minutes, 120, "{:?}", r.reasons);
    // The reason is the after-the-end one, word for word as before.
    assert_eq!(r.reasons, ["overtime 120 min: out 19:00, end 17:00, 120 min after; threshold 0, unit 1"]);
    // With count_before_start both sides count after the end: 06:00-18:00
    // is 120 before and 60 after = 180; worked 660, 120 over 540.
    let r = day(&with_quantity(540, json!({"count_before_start": true})), monday(), &["06:00", "18:00"]);
    assert_eq!(r.overtime_minutes, 180, "{:?}", r.reasons);
}

#[test]
fn the_unit_rounds_the_quantity_and_the_after_end_threshold_does_not_gate_it() {
    // 06:25-17:00: 575 worked, 35 over 540; unit 30 gives 30. The 30-min
    // threshold after the end does not apply to the quantity.
    let rule = with_quantity(540, json!({"unit_minutes": 30, "min_minutes_after_end": 30}));
    let r = day(&rule, monday(), &["06:25", "17:00"]);
    assert_eq!(r.overtime_minutes, 30, "{:?}", r.reasons);
    assert!(r.reasons[0]
        .starts_with("overtime 30 min: worked 575 min in the day, 35 min more than the daily 540 min; unit 30"));
    // 20 over 540 rounds down to nothing.
    let r = day(&rule, monday(), &["06:40", "17:00"]);
    assert_eq!((r.overtime_minutes, r.overtime_category), (0, None), "{:?}", r.reasons);
}

#[test]
fn exactly_the_quantity_is_not_overtime() {
    let r = day(&with_quantity(480, json!({})), monday(), &["08:00", "17:00"]);
    assert_eq!(r.overtime_minutes, 0, "{:?}", r.reasons);
    let r = day(&with_quantity(479, json!({})), monday(), &["08:00", "17:00"]);
    assert_eq!(r.overtime_minutes, 1, "{:?}", r.reasons);
}

#[test]
fn a_period_without_its_check_out_adds_nothing() {
    // Two periods: the morning 06:00-12:00 is complete (360 worked, 120
    // over 240), the afternoon lacks its check-out: what is known counts.
    let rule = office(json!({
        "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]}],
        "overtime": {"quantity": {"day_over_minutes": 240}}
    }));
    let r = day(&rule, monday(), &["06:00", "12:00", "13:00"]);
    assert_eq!(r.status, Status::MissingCheckOut);
    assert_eq!(r.overtime_minutes, 120, "{:?}", r.reasons);
    assert!(r.reasons.last().unwrap().starts_with("overtime 120 min: worked 360 min in the day"), "{:?}", r.reasons);
}

#[test]
fn pairs_sum_their_pairs_unclipped() {
    // The pairs 06:00-12:00 and 13:00-17:30 are 360 + 270 = 630 minutes,
    // not clipped to the shift: 150 over 480. After the end: 30.
    let rule = office(json!({
        "shifts": [{"name": "day", "periods": [{"start": "08:00", "end": "17:00"}]}],
        "work_time": "pairs",
        "overtime": {"quantity": {"day_over_minutes": 480}}
    }));
    let r = day(&rule, monday(), &["06:00", "12:00", "13:00", "17:30"]);
    assert_eq!(r.overtime_minutes, 150, "{:?}", r.reasons);
}

#[test]
fn flexible_punch_mode_counts_from_the_punches() {
    let rule = office(json!({
        "punch_mode": "flexible",
        "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "08:00", "latest_check_in": "10:00"},
                    "overtime": {"quantity": {"day_over_minutes": 540}}}],
        "standard": {"shift": "flex"}
    }));
    // Counted from 08:00 the day is due at 16:00. 07:00-16:30 is 570 worked
    // minutes, 30 over 540, and 30 after 16:00: equal, the after-the-due
    // reason stays.
    let r = day(&rule, monday(), &["07:00", "16:30"]);
    assert_eq!(r.overtime_minutes, 30, "{:?}", r.reasons);
    assert!(r.reasons.last().unwrap().starts_with("overtime 30 min: out 16:30, due 16:00"), "{:?}", r.reasons);
    // 06:00-16:30 is 630 worked minutes: 90 over 540; after 16:00 only 30.
    let r = day(&rule, monday(), &["06:00", "16:30"]);
    assert_eq!(r.overtime_minutes, 90, "{:?}", r.reasons);
}

#[test]
fn rest_days_and_holidays_keep_their_switches() {
    // Saturday 7 March 2026. With count_rest_days all worked time is
    // overtime (never less than the quantity's); without it none is.
    let sat = d(2026, 3, 7);
    let r = day(&with_quantity(60, json!({"count_rest_days": true})), sat, &["09:00", "12:00"]);
    assert_eq!((r.overtime_minutes, r.overtime_category), (180, Some(OvertimeCategory::RestDay)), "{:?}", r.reasons);
    let r = day(&with_quantity(60, json!({})), sat, &["09:00", "12:00"]);
    assert_eq!(r.overtime_minutes, 0, "{:?}", r.reasons);
}

#[test]
fn a_shift_may_carry_the_quantity() {
    let rule = office(json!({
        "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}],
                    "overtime": {"quantity": {"day_over_minutes": 480}}}]
    }));
    let r = day(&rule, monday(), &["09:00", "18:00"]);
    assert_eq!(r.overtime_minutes, 60, "{:?}", r.reasons);
}

#[test]
fn the_weekly_threshold_is_validated_and_handed_to_sql() {
    let rule = odoo(json!({"quantity": {"week_over_minutes": 2400}}));
    assert_eq!(rule.week_over_minutes(), Some(2400));
    // The engine does not count it: a long day is no overtime by itself.
    assert_eq!(day(&rule, monday(), &["08:00", "17:00"]).overtime_minutes, 0);
    assert_eq!(odoo(json!({})).week_over_minutes(), None);
    assert_eq!(office(json!({})).week_over_minutes(), None);
    // Shifts' overtime may carry it too, the same figure on each.
    let shifts = |a: i64, b: i64| {
        office_json(json!({
            "system": "flexible",
            "standard": null,
            "flexible": {"days": {"mon": "a", "tue": "b"}},
            "shifts": [
                {"name": "a", "periods": [{"start": "09:00", "end": "18:00"}], "overtime": {"quantity": {"week_over_minutes": a}}},
                {"name": "b", "periods": [{"start": "10:00", "end": "19:00"}], "overtime": {"quantity": {"week_over_minutes": b}}},
                {"name": "c", "periods": [{"start": "10:00", "end": "19:00"}]}
            ]
        }))
    };
    let rule = Rule::from_json(&shifts(2400, 2400).to_string()).unwrap();
    assert_eq!(rule.week_over_minutes(), Some(2400));
    let e = rule_err(shifts(2400, 2700));
    assert_eq!(e.path(), "shifts[1].overtime.quantity.week_over_minutes", "{e}");
    assert!(e.to_string().contains("2400"), "{e}");
}

#[test]
fn wrong_quantities_are_refused_with_their_path() {
    for (q, path) in [
        (json!({"day_over_minutes": 0}), "overtime.quantity.day_over_minutes"),
        (json!({"day_over_minutes": 1441}), "overtime.quantity.day_over_minutes"),
        (json!({"day_over_minutes": -5}), "overtime.quantity.day_over_minutes"),
        (json!({"week_over_minutes": 0}), "overtime.quantity.week_over_minutes"),
        (json!({"week_over_minutes": 10081}), "overtime.quantity.week_over_minutes"),
        (json!({}), "overtime.quantity"),
    ] {
        let e = rule_err(office_json(json!({"overtime": {"quantity": q}})));
        assert_eq!((e.path(), e.sqlstate()), (path, "22023"), "{q}: {e}");
    }
    for bound in [1, 1440] {
        office(json!({"overtime": {"quantity": {"day_over_minutes": bound}}}));
    }
    for bound in [1, 10080] {
        office(json!({"overtime": {"quantity": {"week_over_minutes": bound}}}));
    }
    let e = rule_err(office_json(json!({"overtime": {"quantity": {"day_over": 60}}})));
    assert_eq!((e.path(), e.sqlstate()), ("overtime.quantity.day_over", "22P02"), "{e}");
    let e = rule_err(office_json(json!({
        "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}], "overtime": {"quantity": {"day_over_minutes": 2000}}}]
    })));
    assert_eq!(e.path(), "shifts[0].overtime.quantity.day_over_minutes", "{e}");
}

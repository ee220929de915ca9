//! Overtime counts only time the punches show the person present: after the
//! end from the end or a later check-in to the check-out, before the start
//! from the check-in to the start or an earlier check-out. Both were found by
//! translating Odoo's test suite (tests/regress/sql/peers_odoo.sql):
//! test_overtime_hours_inside_attendance and
//! test_undertime_across_days_timezones.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::{json, Value};

/// Odoo's calendar 08:00-17:00 with lunch 12:00-13:00, threshold 0, unit 1,
/// with `overtime` merged into the overtime rule and `extra` into the rule.
fn odoo(overtime: Value, extra: Value) -> Rule {
    let mut o = json!({"min_minutes_after_end": 0, "unit_minutes": 1});
    merge(&mut o, &overtime);
    let mut r = json!({
        "shifts": [{"name": "day", "periods": [
            {"start": "08:00", "end": "17:00", "breaks": [{"start": "12:00", "end": "13:00"}]}
        ]}],
        "overtime": o
    });
    merge(&mut r, &extra);
    office(r)
}

#[test]
fn overtime_after_the_end_runs_from_a_later_check_in() {
    // Arriving 18:00 and leaving 20:00: two hours present, all after the end
    // (180 minutes were counted from 17:00).
    let r = day(&odoo(json!({}), json!({})), monday(), &["18:00", "20:00"]);
    assert_eq!((r.overtime_minutes, r.overtime_category), (120, Some(OvertimeCategory::Workday)), "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 120 min: out 20:00, end 17:00, 180 min after, of which 120 present (in 18:00); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
    // The rest of the day is judged as before: late for the whole period.
    assert_eq!((r.late_minutes, r.work_minutes), (480, 0), "{:?}", r.reasons);
}

#[test]
fn overtime_before_the_start_ends_at_an_earlier_check_out() {
    // Odoo's test_undertime_across_days_timezones: 01:30-06:30 on an 08:00
    // start is 300 minutes present (390 were counted up to 08:00).
    let r = day(&odoo(json!({"count_before_start": true}), json!({})), monday(), &["01:30", "06:30"]);
    assert_eq!(r.overtime_minutes, 300, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 300 min: in 01:30, start 08:00, 390 min before, of which 300 present (out 06:30); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
}

#[test]
fn the_threshold_is_still_measured_from_the_end_and_the_start() {
    // "A check-out at least 30 minutes after the end": 17:40 is 40 after
    // 17:00, so the threshold is met; present after the end are the 20
    // minutes from the 17:20 check-in.
    let rule = odoo(json!({"min_minutes_after_end": 30, "count_before_start": true}), json!({}));
    let r = day(&rule, monday(), &["17:20", "17:40"]);
    assert_eq!(r.overtime_minutes, 20, "{:?}", r.reasons);
    // 17:25 is only 25 after the end: none, however long the person stayed.
    assert_eq!(day(&rule, monday(), &["17:10", "17:25"]).overtime_minutes, 0);
    // Before the start the same: arriving at 07:00 is 60 before 08:00, the
    // 20 minutes to the 07:20 check-out count.
    assert_eq!(day(&rule, monday(), &["07:00", "07:20"]).overtime_minutes, 20);
    assert_eq!(day(&rule, monday(), &["07:40", "07:55"]).overtime_minutes, 0);
}

#[test]
fn days_present_across_the_boundary_keep_their_figures() {
    let rule = odoo(json!({"count_before_start": true}), json!({}));
    let r = day(&rule, monday(), &["07:00", "18:00"]);
    assert_eq!(r.overtime_minutes, 120);
    assert_eq!(
        r.reasons,
        ["overtime 120 min: in 07:00, start 08:00, 60 min before; out 18:00, end 17:00, 60 min after; threshold 0, unit 1"]
    );
    // Arriving exactly at the end and leaving exactly at the start are not
    // gaps.
    assert_eq!(day(&rule, monday(), &["17:00", "19:00"]).overtime_minutes, 120);
    assert_eq!(day(&rule, monday(), &["06:00", "08:00"]).overtime_minutes, 120);
}

#[test]
fn the_last_period_check_in_bounds_overtime_after_the_end() {
    // Two periods; the afternoon's punches both come after its end.
    let rule = office(json!({
        "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]}],
        "overtime": {}
    }));
    let r = day(&rule, monday(), &["09:00", "12:00", "19:00", "20:00"]);
    assert_eq!(r.overtime_minutes, 60, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 60 min: out 20:00, end 18:00, 120 min after, of which 60 present (in 19:00); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
}

#[test]
fn flexible_punch_mode_counts_presence_too() {
    // 60 minutes required, check-in from 08:00 to 10:00: a check-in at
    // 12:00 is judged from 10:00, due at 11:00; present after it 12:00-14:00.
    let rule = office(json!({
        "punch_mode": "flexible",
        "shifts": [{"name": "flex", "flexible": {"work_minutes": 60, "earliest_check_in": "08:00", "latest_check_in": "10:00"},
                    "overtime": {"count_before_start": true}}],
        "standard": {"shift": "flex"}
    }));
    let r = day(&rule, monday(), &["12:00", "14:00"]);
    assert_eq!(r.overtime_minutes, 120, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 120 min: out 14:00, due 11:00, 180 min after, of which 120 present (in 12:00); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
    // Both punches before the earliest check-in: 06:00-07:00 is 60 present.
    let r = day(&rule, monday(), &["06:00", "07:00"]);
    assert_eq!(r.overtime_minutes, 60, "{:?}", r.reasons);
}

/// With `"work_time": "pairs"` the time outside the shift is the in/out
/// pairs' time there, as inside it: a gap between two pairs, or a last
/// punch without a partner, is not overtime.
fn odoo_pairs(overtime: Value) -> Rule {
    odoo(overtime, json!({"work_time": "pairs"}))
}

#[test]
fn pairs_count_only_their_time_after_the_end() {
    // Odoo's test_overtime_hours_inside_attendance: 08:00-17:00 and
    // 21:00-21:30 is 30 minutes (270 were counted from 17:00 to 21:30).
    let rule = odoo_pairs(json!({}));
    let r = day(&rule, monday(), &["08:00", "17:00", "21:00", "21:30"]);
    assert_eq!(r.overtime_minutes, 30, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 30 min: out 21:30, end 17:00, 270 min after, of which 30 present \
              (in/out pairs 21:00-21:30); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
    // 08:00-19:00, 19:00-20:00 and 21:00-23:00: 300 (was 360); the last
    // to 22:30: 270 (was 330).
    let r = day(&rule, monday(), &["08:00", "19:00", "19:00", "20:00", "21:00", "23:00"]);
    assert_eq!(r.overtime_minutes, 300, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 300 min: out 23:00, end 17:00, 360 min after, of which 300 present \
              (in/out pairs 17:00-19:00, 19:00-20:00, 21:00-23:00); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
    assert_eq!(day(&rule, monday(), &["08:00", "19:00", "19:00", "20:00", "21:00", "22:30"]).overtime_minutes, 270);
    // Odoo's test_undertime_hours_with_multiple_attendance: 08:00-12:00,
    // 13:00-17:00 and 18:00-19:00 is 60 (was 120).
    let r = day(&rule, monday(), &["08:00", "12:00", "13:00", "17:00", "18:00", "19:00"]);
    assert_eq!(r.overtime_minutes, 60, "{:?}", r.reasons);
    // First to last is unchanged: the person counts as present throughout.
    let first_last = odoo(json!({}), json!({}));
    assert_eq!(day(&first_last, monday(), &["08:00", "17:00", "21:00", "21:30"]).overtime_minutes, 270);
}

#[test]
fn pairs_count_only_their_time_before_the_start() {
    // Pairs 06:00-06:30 and 07:00-17:00: 30 + 60 before 08:00 (was 120).
    let r = day(&odoo_pairs(json!({"count_before_start": true})), monday(), &["06:00", "06:30", "07:00", "17:00"]);
    assert_eq!(r.overtime_minutes, 90, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 90 min: in 06:00, start 08:00, 120 min before, of which 90 present \
              (in/out pairs 06:00-06:30, 07:00-08:00); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
}

#[test]
fn a_last_punch_without_a_pair_proves_no_overtime() {
    let rule = odoo_pairs(json!({}));
    // 18:00 has no partner: nothing after the end is proven (was 60).
    let r = day(&rule, monday(), &["08:00", "17:00", "18:00"]);
    assert_eq!((r.overtime_minutes, r.overtime_category), (0, None), "{:?}", r.reasons);
    // Pairs 08:00-12:00 and 13:00-17:30, 18:00 alone: 30 (was 60).
    let r = day(&rule, monday(), &["08:00", "12:00", "13:00", "17:30", "18:00"]);
    assert_eq!(r.overtime_minutes, 30, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 30 min: out 18:00, end 17:00, 60 min after, of which 30 present \
              (in/out pairs 17:00-17:30; 18:00 has no pair); threshold 0, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
}

#[test]
fn pairs_without_gaps_outside_the_shift_keep_their_figures() {
    let rule = odoo_pairs(json!({"count_before_start": true}));
    let r = day(&rule, monday(), &["07:00", "12:00", "13:00", "18:00"]);
    assert_eq!(r.overtime_minutes, 120);
    assert_eq!(
        r.reasons,
        ["work from in/out pairs: 07:00-12:00, 13:00-18:00 = 480 min",
         "overtime 120 min: in 07:00, start 08:00, 60 min before; out 18:00, end 17:00, 60 min after; threshold 0, unit 1"]
    );
}

#[test]
fn pairs_in_flexible_punch_mode_count_only_their_time_after_the_due_time() {
    let rule = office(json!({
        "work_time": "pairs", "punch_mode": "flexible",
        "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "08:00", "latest_check_in": "10:00"},
                    "overtime": {}}],
        "standard": {"shift": "flex"}
    }));
    // Due at 16:00; present after it 18:00-18:30 only (was 150).
    let r = day(&rule, monday(), &["08:00", "16:00", "18:00", "18:30"]);
    assert_eq!(r.overtime_minutes, 30, "{:?}", r.reasons);
}

#[test]
fn in_pairs_mode_the_threshold_still_looks_at_the_last_punch() {
    // The check-out stays the last punch: 18:00 is 60 after the end, so a
    // 30-minute threshold is met; present after the end are the 10 minutes
    // of the pair 08:00-17:10 (18:00 has no partner).
    let rule = odoo_pairs(json!({"min_minutes_after_end": 30}));
    let r = day(&rule, monday(), &["08:00", "17:10", "18:00"]);
    assert_eq!(r.overtime_minutes, 10, "{:?}", r.reasons);
    assert!(
        r.reasons.contains(
            &"overtime 10 min: out 18:00, end 17:00, 60 min after, of which 10 present \
              (in/out pairs 17:00-17:10; 18:00 has no pair); threshold 30, unit 1"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
    // Nothing present after the end: no overtime, however late the punch.
    assert_eq!(day(&rule, monday(), &["08:00", "17:00", "21:00"]).overtime_minutes, 0);
}

//! A public holiday's punches may be ignored (ERPNext's shift type marks no
//! attendance on holidays unless `mark_auto_attendance_on_holidays` is on).

mod common;

use attendance_rules::*;
use common::*;
use serde_json::{json, Value};

fn rule(extra: Value) -> Rule {
    let mut o = json!({"overtime": {"count_holidays": true, "count_rest_days": true}});
    merge(&mut o, &extra);
    office(o)
}

fn holiday(rule: &Rule, date: chrono::NaiveDate, times: &[&str]) -> DayResult {
    let p = punches(date, times);
    let input = DayInput { mark: Some(CalendarMark::Holiday), ..DayInput::new(date, &p) };
    evaluate_day(rule, &input)
}

#[test]
fn ignored_holiday_punches_count_for_nothing() {
    let counted = holiday(&rule(json!({})), monday(), &["09:00", "18:00"]);
    assert_eq!((counted.status, counted.work_minutes, counted.overtime_minutes), (Status::Holiday, 540, 540));
    assert_eq!(counted.overtime_category, Some(OvertimeCategory::Holiday));
    let r = holiday(&rule(json!({"holiday_punches": "ignore"})), monday(), &["09:00", "18:00"]);
    assert_eq!((r.status, r.kind, r.work_minutes, r.overtime_minutes), (Status::Holiday, DayKind::Holiday, 0, 0));
    assert_eq!(r.overtime_category, None);
    assert_eq!(
        r.reasons,
        [
            "public holiday: no attendance needed",
            "2 punch(es) on the public holiday not counted (holiday_punches \"ignore\")"
        ]
    );
    // A holiday without punches says nothing more.
    let r = holiday(&rule(json!({"holiday_punches": "ignore"})), monday(), &[]);
    assert_eq!(r.reasons, ["public holiday: no attendance needed"]);
}

#[test]
fn count_is_the_default() {
    let explicit = holiday(&rule(json!({"holiday_punches": "count"})), monday(), &["09:00", "18:00"]);
    assert_eq!(explicit, holiday(&rule(json!({})), monday(), &["09:00", "18:00"]));
}

#[test]
fn rest_days_are_unaffected() {
    let sat = d(2026, 3, 7);
    let r = day(&rule(json!({"holiday_punches": "ignore"})), sat, &["09:00", "12:00"]);
    assert_eq!((r.status, r.work_minutes, r.overtime_minutes), (Status::Rest, 180, 180), "{:?}", r.reasons);
}

#[test]
fn an_unscheduled_holiday_picks_no_shift_from_ignored_punches() {
    let rule = office(json!({
        "system": "scheduled", "standard": null,
        "scheduled": {"allow_unscheduled_punch": true, "self_select_when_unscheduled": true},
        "holiday_punches": "ignore"
    }));
    let r = holiday(&rule, monday(), &["09:00", "18:00"]);
    assert_eq!((r.status, r.kind, r.shift.as_deref(), r.work_minutes), (Status::Holiday, DayKind::Holiday, None, 0));
    // A shift scheduled on a holiday is a workday: its punches count.
    let p = punches(monday(), &["09:00", "18:00"]);
    let id = rule.shift_id("day").unwrap();
    let input = DayInput {
        mark: Some(CalendarMark::Holiday),
        schedule: Some(ScheduleEntry::Shift(id)),
        ..DayInput::new(monday(), &p)
    };
    let r = evaluate_day(&rule, &input);
    assert_eq!((r.status, r.work_minutes), (Status::Normal, 540), "{:?}", r.reasons);
}

#[test]
fn an_unknown_choice_is_refused_with_its_path() {
    let e = rule_err(office_json(json!({"holiday_punches": "skip"})));
    assert_eq!((e.path(), e.sqlstate()), ("holiday_punches", "22P02"), "{e}");
}

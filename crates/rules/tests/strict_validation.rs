//! Settings that would silently do nothing are refused when a rule is
//! saved (`Rule::from_new_json`), while rule versions stored before keep
//! loading (`Rule::from_json`) and judging their days as before.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::{json, Value};

fn new_err(v: Value) -> RuleError {
    Rule::from_new_json(&v.to_string()).expect_err("a new rule should be refused")
}

fn absenteeism(a: Value) -> Value {
    office_json(json!({"absenteeism": a}))
}

#[test]
fn an_absence_threshold_without_its_situation_is_refused_for_new_rules() {
    let e = new_err(absenteeism(json!({"late_over_minutes": 60, "situations": {"no_punch_all_day": true}})));
    assert_eq!((e.path(), e.sqlstate()), ("absenteeism.late_over_minutes", "22023"), "{e}");
    assert_eq!(
        e.to_string(),
        "absenteeism.late_over_minutes: does nothing without situations.late_beyond: \
         turn that situation on or remove the threshold"
    );
    let e = new_err(absenteeism(json!({"early_over_minutes": 30, "situations": {"late_beyond": false}})));
    assert_eq!(e.path(), "absenteeism.early_over_minutes", "{e}");
    assert!(e.to_string().contains("situations.early_beyond"), "{e}");
    // Switched off as a whole, the block still may not hold a threshold
    // that would do nothing once switched on.
    let e = new_err(absenteeism(json!({"enabled": false, "late_over_minutes": 60})));
    assert_eq!(e.path(), "absenteeism.late_over_minutes", "{e}");
}

#[test]
fn a_unit_without_stepped_absence_is_still_accepted() {
    // Rules set a unit beside the missing-punch situations alone; it changes
    // no figure, and refusing it would turn such rules away.
    Rule::from_new_json(
        &absenteeism(json!({"unit_minutes": 30, "situations": {"missing_check_out": true}})).to_string(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // With either stepped situation the unit rounds it.
    for situation in ["late_beyond", "early_beyond"] {
        let threshold = if situation == "late_beyond" { "late_over_minutes" } else { "early_over_minutes" };
        let mut a = json!({"unit_minutes": 30, "situations": {}});
        a[threshold] = json!(60);
        a["situations"][situation] = json!(true);
        Rule::from_new_json(&absenteeism(a).to_string()).unwrap_or_else(|e| panic!("{situation}: {e}"));
    }
}

#[test]
fn stored_rules_keep_loading_and_judging_as_before() {
    let idle = absenteeism(json!({
        "late_over_minutes": 60, "early_over_minutes": 30, "unit_minutes": 30,
        "situations": {"missing_check_out": true}
    }));
    let plain = absenteeism(json!({"situations": {"missing_check_out": true}}));
    let stored = Rule::from_json(&idle.to_string()).expect("a stored version still loads");
    let without = Rule::from_json(&plain.to_string()).unwrap();
    for times in [&["10:45", "18:00"][..], &["09:00", "16:00"], &["09:00"], &[]] {
        let a = day(&stored, monday(), times);
        let b = day(&without, monday(), times);
        assert_eq!(a, b, "{times:?}");
    }
    assert_eq!(day(&stored, monday(), &["10:45", "18:00"]).late_minutes, 105);
}

#[test]
fn complete_rules_pass_both() {
    for v in [
        office_json(json!({})),
        absenteeism(json!({"late_over_minutes": 60, "unit_minutes": 30, "situations": {"late_beyond": true}})),
        absenteeism(json!({"situations": {"no_punch_all_day": true, "missing_check_in": true}})),
    ] {
        let text = v.to_string();
        assert_eq!(Rule::from_new_json(&text).unwrap(), Rule::from_json(&text).unwrap());
    }
    // Everything the lenient check refuses, the strict one refuses too.
    let e = new_err(office_json(json!({"tolerance": {"late_minutes": 121}})));
    assert_eq!(e.path(), "tolerance.late_minutes");
    let spec: RuleSpec = serde_json::from_value(office_json(json!({}))).unwrap();
    assert!(Rule::from_new_spec(&spec).is_ok());
}

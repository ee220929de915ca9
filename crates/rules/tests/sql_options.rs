//! Options the SQL layer enforces: the engine only validates them (and
//! judges days exactly as without them).

mod common;

use common::*;
use serde_json::{json, Value};

fn refused(extra: Value, path: &str, sqlstate: &str) {
    let e = rule_err(office_json(extra.clone()));
    assert_eq!((e.path(), e.sqlstate()), (path, sqlstate), "{extra}: {e}");
}

#[test]
fn make_up_punch_limits_are_validated() {
    for ok in [
        json!({"monthly_limit": 3, "within_days": 7}),
        json!({"monthly_limit": 0}),
        json!({"within_days": 0}),
        json!({"monthly_limit": 100, "within_days": 366}),
    ] {
        office(json!({"make_up_punch": ok}));
    }
    refused(json!({"make_up_punch": {"monthly_limit": 101}}), "make_up_punch.monthly_limit", "22023");
    refused(json!({"make_up_punch": {"monthly_limit": -1}}), "make_up_punch.monthly_limit", "22023");
    refused(json!({"make_up_punch": {"within_days": 367}}), "make_up_punch.within_days", "22023");
    refused(json!({"make_up_punch": {}}), "make_up_punch", "22023");
    refused(json!({"make_up_punch": {"per_month": 3}}), "make_up_punch.per_month", "22P02");
    refused(json!({"make_up_punch": {"monthly_limit": "3"}}), "make_up_punch.monthly_limit", "22P02");
}

#[test]
fn time_off_in_lieu_is_validated() {
    for ok in [
        json!({"leave_type": "TOIL"}),
        json!({"leave_type": "Compensatory Off", "percent": 150}),
        json!({"leave_type": "调休", "percent": 1}),
        json!({"leave_type": "x", "percent": 400}),
    ] {
        office(json!({"overtime": {"time_off_in_lieu": ok}}));
    }
    let path = "overtime.time_off_in_lieu";
    refused(
        json!({"overtime": {"time_off_in_lieu": {"leave_type": "TOIL", "percent": 0}}}),
        &format!("{path}.percent"),
        "22023",
    );
    refused(
        json!({"overtime": {"time_off_in_lieu": {"leave_type": "TOIL", "percent": 401}}}),
        &format!("{path}.percent"),
        "22023",
    );
    refused(json!({"overtime": {"time_off_in_lieu": {"leave_type": ""}}}), &format!("{path}.leave_type"), "22023");
    refused(json!({"overtime": {"time_off_in_lieu": {"leave_type": "  "}}}), &format!("{path}.leave_type"), "22023");
    refused(json!({"overtime": {"time_off_in_lieu": {"percent": 100}}}), &format!("{path}.leave_type"), "22P02");
    // A shift's own overtime rule may carry it too.
    let e = rule_err(office_json(json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}],
        "overtime": {"time_off_in_lieu": {"leave_type": "TOIL", "percent": 500}}}]})));
    assert_eq!(e.path(), "shifts[0].overtime.time_off_in_lieu.percent", "{e}");
}

#[test]
fn days_are_judged_as_without_them() {
    let with = office(json!({
        "make_up_punch": {"monthly_limit": 3, "within_days": 7},
        "overtime": {"time_off_in_lieu": {"leave_type": "TOIL", "percent": 150}}
    }));
    let without = office(json!({"overtime": {}}));
    for times in [&["09:00", "20:00"][..], &["09:30"], &[]] {
        assert_eq!(day(&with, monday(), times), day(&without, monday(), times), "{times:?}");
    }
}

//! Punch sources `terminal` (a fixed terminal: no position expected) and
//! `mobile` (a phone app: position expected), and a rule's
//! `position_required_for`: a punch from a listed source without a position
//! is not counted when the rule has locations.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::{json, Value};

fn punch(hhmm: &str, source: PunchSource, pos: Option<(f64, f64)>) -> Punch {
    Punch { at: sh(monday(), hhmm), lat: pos.map(|p| p.0), lon: pos.map(|p| p.1), source }
}

const HQ: (f64, f64) = (31.2304, 121.4737);

fn located(extra: Value) -> Rule {
    let mut o = json!({"locations": [{"name": "HQ", "lat": HQ.0, "lon": HQ.1, "radius_m": 200}]});
    merge(&mut o, &extra);
    office(o)
}

#[test]
fn terminal_and_mobile_are_real_punches_for_leave_late_arrive_late() {
    let rule = office(json!({}));
    for (source, real) in [
        (PunchSource::Device, true),
        (PunchSource::Terminal, true),
        (PunchSource::Mobile, true),
        (PunchSource::MakeUp, false),
        (PunchSource::Appeal, false),
    ] {
        assert_eq!(source.is_real(), real, "{source:?}");
        let p = [punch("09:00", PunchSource::Device, None), punch("19:00", source, None)];
        let (_, carry) = evaluate_with_carry(&rule, &DayInput::new(monday(), &p));
        let out = carry.unwrap().last_real_check_out;
        assert_eq!(out == Some(sh(monday(), "19:00")), real, "{source:?}");
    }
}

#[test]
fn requests_name_the_new_sources() {
    let rule = office_json(json!({})).to_string();
    let req = json!({"from": "2026-03-02", "punches": [
        {"at": "2026-03-02T09:00:00+08:00", "source": "terminal"},
        {"at": "2026-03-02T18:00:00+08:00", "source": "mobile"}
    ]});
    let days = evaluate_json(&rule, &req.to_string()).unwrap();
    assert_eq!(days[0].status, Status::Normal);
    let json = serde_json::to_value(&days[0]).unwrap();
    assert_eq!(json["periods"][0]["check_in"]["source"], "terminal");
    assert_eq!(json["periods"][0]["check_out"]["source"], "mobile");
}

#[test]
fn a_listed_source_without_a_position_is_not_counted() {
    let p = [punch("09:00", PunchSource::Terminal, None), punch("18:00", PunchSource::Mobile, None)];
    // Today's behaviour: a punch without a position counts.
    let plain = evaluate_day(&located(json!({})), &DayInput::new(monday(), &p));
    assert_eq!(plain.status, Status::Normal, "{:?}", plain.reasons);
    let explicit = evaluate_day(&located(json!({"position_required_for": []})), &DayInput::new(monday(), &p));
    assert_eq!(explicit, plain);

    let rule = located(json!({"position_required_for": ["mobile"]}));
    let r = evaluate_day(&rule, &DayInput::new(monday(), &p));
    assert_eq!(r.status, Status::MissingCheckOut, "{:?}", r.reasons);
    assert_eq!(r.outside_punches, [sh(monday(), "18:00")]);
    assert_eq!(
        r.reasons[0],
        "punch at 18:00 (mobile) has no position, which the rule requires of mobile punches: kept, not counted"
    );
    // A mobile punch with its position counts; a terminal never needs one.
    let p = [punch("09:00", PunchSource::Terminal, None), punch("18:00", PunchSource::Mobile, Some(HQ))];
    let r = evaluate_day(&rule, &DayInput::new(monday(), &p));
    assert_eq!((r.status, r.outside_punches.len()), (Status::Normal, 0), "{:?}", r.reasons);
    // Half a position is none.
    let half = Punch { lat: Some(HQ.0), ..punch("18:00", PunchSource::Mobile, None) };
    let r = evaluate_day(&rule, &DayInput::new(monday(), &[p[0], half]));
    assert_eq!(r.status, Status::MissingCheckOut, "{:?}", r.reasons);
}

#[test]
fn rest_days_drop_them_too() {
    let rule = located(json!({"position_required_for": ["mobile", "device"], "overtime": {"count_rest_days": true}}));
    let sat = d(2026, 3, 7);
    let p = [
        Punch { at: sh(sat, "09:00"), lat: None, lon: None, source: PunchSource::Device },
        Punch { at: sh(sat, "12:00"), lat: Some(HQ.0), lon: Some(HQ.1), source: PunchSource::Device },
        Punch { at: sh(sat, "15:00"), lat: Some(HQ.0), lon: Some(HQ.1), source: PunchSource::Mobile },
    ];
    let r = evaluate_day(&rule, &DayInput::new(sat, &p));
    assert_eq!((r.work_minutes, r.outside_punches.len()), (180, 1), "{:?}", r.reasons);
}

#[test]
fn wrong_lists_are_refused_with_their_path() {
    let e = rule_err(office_json(json!({"position_required_for": ["mobile"]})));
    assert_eq!((e.path(), e.sqlstate()), ("position_required_for", "22023"), "{e}");
    // A location without a radius holds punches anywhere: nothing to check.
    let e = rule_err(office_json(json!({
        "position_required_for": ["mobile"],
        "locations": [{"name": "HQ", "lat": HQ.0, "lon": HQ.1, "radius_m": 200}, {"name": "any", "lat": 0.0, "lon": 0.0}]
    })));
    assert_eq!(e.path(), "position_required_for", "{e}");
    let with_locations = |list: Value| {
        let mut v = office_json(json!({"locations": [{"name": "HQ", "lat": HQ.0, "lon": HQ.1, "radius_m": 200}]}));
        v["position_required_for"] = list;
        v
    };
    let e = rule_err(with_locations(json!(["mobile", "make_up"])));
    assert_eq!((e.path(), e.sqlstate()), ("position_required_for[1]", "22023"), "{e}");
    let e = rule_err(with_locations(json!(["appeal"])));
    assert_eq!(e.path(), "position_required_for[0]", "{e}");
    let e = rule_err(with_locations(json!(["mobile", "terminal", "mobile"])));
    assert_eq!(e.path(), "position_required_for[2]", "{e}");
    let e = rule_err(with_locations(json!(["mobile", "watch"])));
    assert_eq!((e.path(), e.sqlstate()), ("position_required_for[1]", "22P02"), "{e}");
    let e = rule_err(with_locations(json!("mobile")));
    assert_eq!(e.sqlstate(), "22P02", "{e}");
}

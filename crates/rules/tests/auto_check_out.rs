//! Forgotten check-outs closed automatically (Odoo's auto check-out): a
//! period with a check-in and no check-out is judged as if the check-out
//! had been punched `auto_check_out_minutes` after the check-in, no later
//! than where the period's punches end.

mod common;

use attendance_rules::*;
use chrono::{DateTime, Utc};
use common::*;
use serde_json::{json, Value};

fn auto(minutes: i64, extra: Value) -> Rule {
    let mut o = json!({"auto_check_out_minutes": minutes});
    merge(&mut o, &extra);
    office(o)
}

fn check_out(r: &DayResult, k: usize) -> Option<(DateTime<Utc>, PunchSource)> {
    r.periods[k].check_out.map(|c| (c.at, c.source))
}

#[test]
fn a_forgotten_check_out_is_assumed_after_the_check_in() {
    let plain = day(&office(json!({})), monday(), &["07:30"]);
    assert_eq!(plain.status, Status::MissingCheckOut);
    let r = day(&auto(600, json!({})), monday(), &["07:30"]);
    assert_eq!((r.status, r.early_minutes, r.work_minutes), (Status::Early, 30, 510), "{:?}", r.reasons);
    assert_eq!(check_out(&r, 0), Some((sh(monday(), "17:30"), PunchSource::AutoCheckOut)));
    assert_eq!(
        r.reasons,
        [
            "check-out assumed at 17:30: auto check-out 600 min after the check-in 07:30",
            "early 30 min: out 17:30, due 18:00, allowance 0"
        ]
    );
    // The result names it as such.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["periods"][0]["check_out"]["source"], "auto_check_out");
}

#[test]
fn it_is_judged_like_a_punch_but_earns_no_overtime() {
    let rule = auto(600, json!({"overtime": {}}));
    let r = day(&rule, monday(), &["09:00"]);
    assert_eq!((r.status, r.work_minutes, r.overtime_minutes), (Status::Normal, 540, 0), "{:?}", r.reasons);
    assert_eq!(check_out(&r, 0), Some((sh(monday(), "19:00"), PunchSource::AutoCheckOut)));
    assert_eq!(
        r.reasons,
        [
            "check-out assumed at 19:00: auto check-out 600 min after the check-in 09:00",
            "no overtime: the check-out at 19:00 is assumed (auto check-out), not punched"
        ]
    );
    // A real check-out at the same time is overtime.
    assert_eq!(day(&rule, monday(), &["09:00", "19:00"]).overtime_minutes, 60);
}

#[test]
fn never_later_than_where_the_days_punches_end() {
    // 09:00-18:00 owns punches until half the off-duty time after 18:00:
    // 01:30 next day. A 16:00 check-in plus 600 minutes would be 02:00.
    let r = day(&auto(600, json!({})), monday(), &["16:00"]);
    assert_eq!(check_out(&r, 0).map(|c| c.0), Some(sh(d(2026, 3, 3), "01:30")), "{:?}", r.reasons);
    assert_eq!((r.status, r.late_minutes), (Status::Late, 420));
    assert_eq!(
        r.reasons[0],
        "check-out assumed at 01:30 (+1d): auto check-out 600 min after the check-in 16:00 would be 02:00 (+1d), \
         past 01:30 (+1d) where the period's punches end"
    );
    // A check-out window ends it at the window's last minute.
    let windowed = auto(
        600,
        json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00", "check_out_window_minutes": 60}]}]}),
    );
    let r = day(&windowed, monday(), &["09:00"]);
    assert_eq!(check_out(&r, 0).map(|c| c.0), Some(sh(monday(), "19:00")));
    let r = day(&windowed, monday(), &["10:00"]);
    assert_eq!(check_out(&r, 0).map(|c| c.0), Some(sh(monday(), "19:00")), "{:?}", r.reasons);
}

#[test]
fn each_period_gets_its_own() {
    // The morning's punches end at 12:30, the middle of the lunch gap.
    let rule = auto(
        240,
        json!({"shifts": [{"name": "day", "periods": [
            {"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}
        ]}]}),
    );
    let r = day(&rule, monday(), &["09:00", "13:00", "18:00"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(check_out(&r, 0).map(|c| c.0), Some(sh(monday(), "12:30")));
    assert_eq!(check_out(&r, 1).map(|c| c.1), Some(PunchSource::Device));
    assert!(
        r.reasons[0].starts_with(
            "period 1: check-out assumed at 12:30: auto check-out 240 min after the check-in 09:00 would be 13:00"
        ),
        "{:?}",
        r.reasons
    );
    // The afternoon's: 14:00 + 240 = 18:00.
    let r = day(&rule, monday(), &["09:00", "12:00", "14:00"]);
    assert_eq!((r.status, r.late_minutes), (Status::Late, 60), "{:?}", r.reasons);
    assert_eq!(check_out(&r, 1).map(|c| c.0), Some(sh(monday(), "18:00")));
}

#[test]
fn a_day_not_over_waits_for_the_assumed_check_out() {
    let rule = auto(600, json!({}));
    let p = punches(monday(), &["09:00"]);
    let judged = evaluate_day(&rule, &DayInput::new(monday(), &p));
    assert_eq!(due_at(&judged), Some(sh(monday(), "19:00")));
    let mut r = judged.clone();
    settle(&rule, &mut r, sh(monday(), "18:30"));
    assert_eq!((r.status, r.periods[0].check_out), (Status::Pending, None), "{:?}", r.reasons);
    assert_eq!(r.reasons[0], "pending until 2026-03-02 19:00: the check-out assumed at 19:00 has not come yet");
    let mut r = judged.clone();
    settle(&rule, &mut r, sh(monday(), "19:00"));
    assert_eq!(r, judged);
    // Waiting past the end, a check-in after the end is late for the whole
    // period, not beyond it.
    let late = punches(monday(), &["18:05"]);
    let mut r = evaluate_day(&rule, &DayInput::new(monday(), &late));
    settle(&rule, &mut r, sh(monday(), "18:30"));
    assert_eq!((r.status, r.late_minutes), (Status::Pending, 540), "{:?}", r.reasons);
    // Without the option nothing changes: due at the end.
    let plain = day(&office(json!({})), monday(), &["09:00"]);
    assert_eq!(due_at(&plain), Some(sh(monday(), "18:00")));
}

#[test]
fn it_earns_no_leave_late_arrive_late_tier() {
    let rule = office_json(json!({
        "auto_check_out_minutes": 600,
        "flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [{"left_after_minutes": 30, "may_arrive_late_minutes": 30}]}}
    }));
    let request = |monday_out: Option<&str>| {
        let mut p = vec![json!({"at": "2026-03-02T09:00:00+08:00"})];
        if let Some(out) = monday_out {
            p.push(json!({"at": format!("2026-03-02T{out}:00+08:00")}));
        }
        p.push(json!({"at": "2026-03-03T09:30:00+08:00"}));
        p.push(json!({"at": "2026-03-03T18:30:00+08:00"}));
        json!({"from": "2026-03-02", "to": "2026-03-03", "punches": p}).to_string()
    };
    // A real 19:00 check-out earns the tier: Tuesday's 09:30 is not late.
    let days = evaluate_json(&rule.to_string(), &request(Some("19:00"))).unwrap();
    assert_eq!(days[1].late_minutes, 0, "{:?}", days[1].reasons);
    // The same check-out assumed does not.
    let days = evaluate_json(&rule.to_string(), &request(None)).unwrap();
    assert_eq!(check_out(&days[0], 0).map(|c| c.1), Some(PunchSource::AutoCheckOut));
    assert_eq!(days[1].late_minutes, 30, "{:?}", days[1].reasons);
}

#[test]
fn flexible_punch_mode_too() {
    let rule = auto(
        480,
        json!({
            "punch_mode": "flexible",
            "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "08:00", "latest_check_in": "10:00"}}],
            "standard": {"shift": "flex"}
        }),
    );
    let r = day(&rule, monday(), &["08:30"]);
    assert_eq!((r.status, r.work_minutes), (Status::Normal, 480), "{:?}", r.reasons);
    assert_eq!(check_out(&r, 0), Some((sh(monday(), "16:30"), PunchSource::AutoCheckOut)));
}

#[test]
fn an_excused_end_needs_no_check_out() {
    let p = punches(monday(), &["09:00"]);
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(monday(), "14:00"), to: sh(monday(), "18:00") }];
    let input = DayInput { excuses: &leave, ..DayInput::new(monday(), &p) };
    let with = evaluate_day(&auto(60, json!({})), &input);
    let without = evaluate_day(&office(json!({})), &input);
    assert_eq!(with, without);
    assert_eq!(with.periods[0].check_out, None);
}

#[test]
fn wrong_values_are_refused_with_their_path() {
    for v in [json!(0), json!(1441), json!(-1)] {
        let e = rule_err(office_json(json!({"auto_check_out_minutes": v})));
        assert_eq!((e.path(), e.sqlstate()), ("auto_check_out_minutes", "22023"), "{e}");
    }
    let e = rule_err(office_json(json!({"auto_check_out_minutes": "10h"})));
    assert_eq!((e.path(), e.sqlstate()), ("auto_check_out_minutes", "22P02"), "{e}");
    auto(1, json!({}));
    auto(1440, json!({}));
    // Nobody punches an assumed check-out.
    let req =
        json!({"from": "2026-03-02", "punches": [{"at": "2026-03-02T09:00:00+08:00", "source": "auto_check_out"}]});
    let e = evaluate_json(&office_json(json!({})).to_string(), &req.to_string()).unwrap_err();
    assert_eq!((e.path(), e.sqlstate()), ("punches[0].source", "22P02"), "{e}");
}

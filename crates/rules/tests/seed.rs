//! The worked examples of seed 000 (基本规则), one named test each.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

fn early_early(mode: &str) -> Rule {
    office(json!({"flex": {"early_arrive_early_leave": {"mode": mode, "minutes": 30}}}))
}

fn late_late(mode: &str) -> Rule {
    office(json!({"flex": {"late_arrive_late_leave": {"mode": mode, "minutes": 30}}}))
}

fn leave_late(mode: &str) -> Rule {
    office(json!({"flex": {"leave_late_arrive_late": {"mode": mode, "tiers": [
        {"left_after_minutes": 30, "may_arrive_late_minutes": 30}
    ]}}}))
}

/// Evaluates Monday and Tuesday as a batch; returns Tuesday.
fn tuesday_after(rule: &Rule, monday_punches: Vec<Punch>, tuesday: &[&str]) -> DayResult {
    let mut all = monday_punches;
    all.extend(punches(d(2026, 3, 3), tuesday));
    let cal = HolidayCalendar::default();
    let sched = Schedule::default();
    let data = EmployeeDays { calendar: &cal, schedule: &sched, punches: &all, excuses: &[] };
    let days = evaluate_range(rule, monday(), d(2026, 3, 3), &data);
    days[1].clone()
}

// 早到早走 固定模式: 8:30之前打上班卡，17:30下班则不算早退.

#[test]
fn early_arrive_early_leave_fixed_in_0829_out_1730_is_normal() {
    let r = day(&early_early("fixed"), monday(), &["08:29", "17:30"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(r.early_minutes, 0);
    assert_eq!(r.work_minutes, 540);
}

#[test]
fn early_arrive_early_leave_fixed_in_0830_is_still_early_enough() {
    let r = day(&early_early("fixed"), monday(), &["08:30", "17:30"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
}

#[test]
fn early_arrive_early_leave_fixed_in_0831_out_1730_is_early_leave() {
    let r = day(&early_early("fixed"), monday(), &["08:31", "17:30"]);
    assert_eq!(r.status, Status::Early, "{:?}", r.reasons);
    assert_eq!(r.early_minutes, 30);
    assert!(r.reasons.iter().any(|s| s == "early 30 min: out 17:30, due 18:00, allowance 0"), "{:?}", r.reasons);
}

// 早到早走 弹性模式: 保证上班时长的前提下，早到可以早走，弹性限额30分钟.

#[test]
fn early_arrive_early_leave_elastic_in_0840_out_1740_is_normal() {
    let r = day(&early_early("elastic"), monday(), &["08:40", "17:40"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(r.work_minutes, 540);
}

#[test]
fn early_arrive_early_leave_elastic_in_0840_out_1735_is_early_5() {
    let r = day(&early_early("elastic"), monday(), &["08:40", "17:35"]);
    assert_eq!(r.status, Status::Early, "{:?}", r.reasons);
    assert_eq!(r.early_minutes, 5);
}

#[test]
fn early_arrive_early_leave_elastic_caps_at_the_allowance() {
    // 60 minutes early still only allows leaving 30 early.
    let r = day(&early_early("elastic"), monday(), &["08:00", "17:00"]);
    assert_eq!(r.early_minutes, 30, "{:?}", r.reasons);
}

// 晚到晚走 固定模式: 9:00-9:30之间打上班卡，需在18:30后下班才算正常出勤.

#[test]
fn late_arrive_late_leave_fixed_in_0920_must_leave_at_1830() {
    let rule = late_late("fixed");
    let ok = day(&rule, monday(), &["09:20", "18:30"]);
    assert_eq!(ok.status, Status::Normal, "{:?}", ok.reasons);
    assert_eq!(ok.late_minutes, 0);
    let early = day(&rule, monday(), &["09:20", "18:20"]);
    assert_eq!(early.status, Status::Early, "{:?}", early.reasons);
    assert_eq!(early.early_minutes, 10);
}

#[test]
fn late_arrive_late_leave_fixed_beyond_allowance_is_late_from_start() {
    let r = day(&late_late("fixed"), monday(), &["09:31", "18:00"]);
    assert_eq!(r.status, Status::Late, "{:?}", r.reasons);
    assert_eq!(r.late_minutes, 31);
}

// 晚到晚走 弹性模式: 每晚到1分钟需晚走1分钟.

#[test]
fn late_arrive_late_leave_elastic_in_0920_out_1820_is_normal() {
    let rule = late_late("elastic");
    let r = day(&rule, monday(), &["09:20", "18:20"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    let r = day(&rule, monday(), &["09:20", "18:15"]);
    assert_eq!(r.status, Status::Early);
    assert_eq!(r.early_minutes, 5);
}

// 晚走晚到 固定模式: 第一天在18:30以后下班，第二天允许9:30上班不算迟到，但是需要18:30（含）下班.

#[test]
fn leave_late_arrive_late_fixed_left_1830_may_arrive_0930_must_leave_1830() {
    let rule = leave_late("fixed");
    let monday_punches = punches(monday(), &["09:00", "18:30"]);
    let r = tuesday_after(&rule, monday_punches.clone(), &["09:30", "18:30"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(r.late_minutes, 0);
    let r = tuesday_after(&rule, monday_punches, &["09:30", "18:29"]);
    assert_eq!(r.status, Status::Early, "{:?}", r.reasons);
    assert_eq!(r.early_minutes, 1);
}

#[test]
fn leave_late_arrive_late_needs_the_previous_workday_to_reach_the_tier() {
    let rule = leave_late("fixed");
    let r = tuesday_after(&rule, punches(monday(), &["09:00", "18:29"]), &["09:30", "18:30"]);
    assert_eq!(r.status, Status::Late, "{:?}", r.reasons);
    assert_eq!(r.late_minutes, 30);
}

/// What the next workday earned shows on it before its check-in: a
/// correction of the previous day's check-out changes the day there first
/// (the correction checks compare it).
#[test]
fn leave_late_arrive_late_earned_shows_before_the_check_in() {
    let rule = leave_late("fixed");
    let earned = tuesday_after(&rule, punches(monday(), &["09:00", "18:30"]), &[]);
    assert_eq!(earned.later_start_earned, 30, "{:?}", earned.reasons);
    let none = tuesday_after(&rule, punches(monday(), &["09:00", "18:29"]), &[]);
    assert_eq!(none.later_start_earned, 0, "{:?}", none.reasons);
    // the figures alone do not tell them apart
    assert_eq!((earned.status, earned.absent_minutes), (none.status, none.absent_minutes));
    // make-up punches earn nothing
    let mut mon = punches(monday(), &["09:00"]);
    mon.push(Punch { source: PunchSource::MakeUp, ..Punch::device(sh(monday(), "18:45")) });
    assert_eq!(tuesday_after(&rule, mon, &[]).later_start_earned, 0);
}

// 晚走晚到 弹性模式: 第一天晚走30分钟，第二天打卡可以弹性30分钟.

#[test]
fn leave_late_arrive_late_elastic_in_0920_leave_1820_is_normal() {
    let rule = leave_late("elastic");
    let r = tuesday_after(&rule, punches(monday(), &["09:00", "18:30"]), &["09:20", "18:20"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    let r = tuesday_after(&rule, punches(monday(), &["09:00", "18:30"]), &["09:20", "18:10"]);
    assert_eq!(r.status, Status::Early, "{:?}", r.reasons);
    assert_eq!(r.early_minutes, 10);
}

// 晚走晚到只是针对打卡时间，如果是请假、外出、出差申请或者申述，不会触发.

#[test]
fn leave_late_arrive_late_not_triggered_by_make_up_or_appeal_punches() {
    let rule = leave_late("fixed");
    for source in [PunchSource::MakeUp, PunchSource::Appeal] {
        let mut mon = punches(monday(), &["09:00"]);
        mon.push(Punch { source, ..Punch::device(sh(monday(), "18:45")) });
        let r = tuesday_after(&rule, mon, &["09:30", "18:30"]);
        assert_eq!(r.status, Status::Late, "{source:?}: {:?}", r.reasons);
    }
}

#[test]
fn leave_late_arrive_late_not_triggered_by_an_outing_after_hours() {
    let rule = leave_late("fixed");
    // Out at 18:00 by punch, then an outing to 19:00: no real late leave.
    let mut all = punches(monday(), &["09:00", "18:00"]);
    all.extend(punches(d(2026, 3, 3), &["09:30", "18:30"]));
    let outing = [Excuse { kind: ExcuseKind::Outing, from: sh(monday(), "18:00"), to: sh(monday(), "19:00") }];
    let cal = HolidayCalendar::default();
    let sched = Schedule::default();
    let data = EmployeeDays { calendar: &cal, schedule: &sched, punches: &all, excuses: &outing };
    let days = evaluate_range(&rule, monday(), d(2026, 3, 3), &data);
    assert_eq!(days[1].status, Status::Late, "{:?}", days[1].reasons);
}

#[test]
fn leave_late_arrive_late_skips_the_weekend() {
    // Friday late leave lets Monday start late: the previous *workday*.
    let rule = leave_late("fixed");
    let fri = d(2026, 3, 6);
    let mon = d(2026, 3, 9);
    let mut all = punches(fri, &["09:00", "18:40"]);
    all.extend(punches(mon, &["09:25", "18:30"]));
    let cal = HolidayCalendar::default();
    let sched = Schedule::default();
    let data = EmployeeDays { calendar: &cal, schedule: &sched, punches: &all, excuses: &[] };
    let prev = previous_workday(&rule, mon, &data).expect("friday is the previous workday");
    assert_eq!(prev.last_real_check_out, Some(sh(fri, "18:40")));
    let r = evaluate_day(&rule, &DayInput { previous_workday: Some(prev), ..DayInput::new(mon, &all) });
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
}

#[test]
fn leave_late_arrive_late_best_tier_wins() {
    let rule = office(json!({"flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [
        {"left_after_minutes": 30, "may_arrive_late_minutes": 30},
        {"left_after_minutes": 120, "may_arrive_late_minutes": 60}
    ]}}}));
    let r = tuesday_after(&rule, punches(monday(), &["09:00", "20:05"]), &["09:55", "19:00"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    let r = tuesday_after(&rule, punches(monday(), &["09:00", "19:55"]), &["09:55", "19:00"]);
    assert_eq!(r.status, Status::Late, "{:?}", r.reasons);
}

// 旷工: 迟到60分钟记为旷工，最小单位30分钟: 61-90 => 90, 91-120 => 120.

fn stepped_rule() -> Rule {
    office(json!({"absenteeism": {
        "enabled": true, "late_over_minutes": 60, "early_over_minutes": 60, "unit_minutes": 30,
        "situations": {"late_beyond": true, "early_beyond": true}
    }}))
}

#[test]
fn stepped_absence_late_61_is_90_absent() {
    let r = day(&stepped_rule(), monday(), &["10:01", "18:00"]);
    assert_eq!((r.status, r.late_minutes, r.absent_minutes), (Status::Absent, 0, 90), "{:?}", r.reasons);
    assert!(r.reasons.iter().any(|s| s.starts_with("absent 90 min: late 61 min")), "{:?}", r.reasons);
}

#[test]
fn stepped_absence_late_90_is_90_absent() {
    let r = day(&stepped_rule(), monday(), &["10:30", "18:00"]);
    assert_eq!(r.absent_minutes, 90);
}

#[test]
fn stepped_absence_late_91_is_120_absent() {
    let r = day(&stepped_rule(), monday(), &["10:31", "18:00"]);
    assert_eq!((r.late_minutes, r.absent_minutes), (0, 120));
}

#[test]
fn stepped_absence_late_60_is_late_not_absent() {
    let r = day(&stepped_rule(), monday(), &["10:00", "18:00"]);
    assert_eq!((r.status, r.late_minutes, r.absent_minutes), (Status::Late, 60, 0));
}

#[test]
fn stepped_absence_early_61_is_90_absent_and_91_is_120() {
    let r = day(&stepped_rule(), monday(), &["09:00", "16:59"]);
    assert_eq!((r.early_minutes, r.absent_minutes), (0, 90), "{:?}", r.reasons);
    let r = day(&stepped_rule(), monday(), &["09:00", "16:29"]);
    assert_eq!((r.early_minutes, r.absent_minutes), (0, 120));
    let r = day(&stepped_rule(), monday(), &["09:00", "17:00"]);
    assert_eq!((r.status, r.early_minutes, r.absent_minutes), (Status::Early, 60, 0));
}

// 人性化规则: 允许迟到、允许早退时间，以分钟为单位，不能超过120分钟.

#[test]
fn tolerance_only_decides_whether_late_counts() {
    let rule = office(json!({"tolerance": {"late_minutes": 5, "early_minutes": 5}}));
    let r = day(&rule, monday(), &["09:05", "17:55"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    let r = day(&rule, monday(), &["09:12", "18:00"]);
    assert_eq!((r.status, r.late_minutes), (Status::Late, 12));
    assert_eq!(r.reasons, vec!["late 12 min: in 09:12, start 09:00, allowance 5".to_string()]);
}

#[test]
fn tolerance_121_is_rejected_with_its_field() {
    let e = rule_err(office_json(json!({"tolerance": {"late_minutes": 121}})));
    assert_eq!(e.path(), "tolerance.late_minutes");
    assert_eq!(e.sqlstate(), "22023");
    assert!(e.to_string().contains("0..=120"), "{e}");
    let e = rule_err(office_json(json!({"tolerance": {"early_minutes": 121}})));
    assert_eq!(e.path(), "tolerance.early_minutes");
    assert!(Rule::from_json(&office_json(json!({"tolerance": {"late_minutes": 120}})).to_string()).is_ok());
}

// 签退设置: 勾选后，若成员未签到，到下班时"签到"按钮自动变为"签退"按钮.

#[test]
fn sign_out_on_reads_a_late_lone_punch_as_check_out() {
    let rule = office(json!({"sign_out": true}));
    let r = day(&rule, monday(), &["17:55"]);
    assert_eq!(r.status, Status::MissingCheckIn, "{:?}", r.reasons);
    assert!(r.periods[0].check_out.is_some());
    let r = day(&rule, monday(), &["09:00"]);
    assert_eq!(r.status, Status::MissingCheckOut);
}

#[test]
fn sign_out_off_reads_a_lone_punch_as_check_in() {
    let rule = office(json!({"sign_out": false}));
    let r = day(&rule, monday(), &["17:55"]);
    assert_eq!(r.status, Status::MissingCheckOut, "{:?}", r.reasons);
    assert!(r.periods[0].check_in.is_some());
}

// 标准考勤制度: 每日可添加多个考勤时段，在任何一个考勤时段未打卡，都属于未签到.

#[test]
fn standard_every_period_needs_its_punches() {
    let rule = office(json!({"shifts": [{"name": "day", "periods": [
        {"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}
    ]}]}));
    let r = day(&rule, monday(), &["08:55", "12:01", "12:58", "18:02"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(r.work_minutes, 480);
    let r = day(&rule, monday(), &["08:55", "12:01"]);
    assert_eq!(r.periods[1].status, Status::NoPunch);
    assert_eq!(r.status, Status::NoPunch);
    let r = day(&rule, monday(), &["08:55", "12:01", "18:02"]);
    assert_eq!(r.periods[1].status, Status::MissingCheckOut, "{:?}", r.reasons);
}

// 非工作日默认时段: 如果都不勾选，则非工作日默认时段为09:00-18:00.

#[test]
fn flexible_make_up_day_without_marked_shift_uses_0900_1800() {
    let rule = office(json!({
        "system": "flexible", "standard": null,
        "shifts": [{"name": "early", "periods": [{"start": "07:00", "end": "15:00"}]}],
        "flexible": {"days": {"mon": "early", "tue": "early"}}
    }));
    let sat = d(2026, 3, 7);
    let p = punches(sat, &["09:00", "18:00"]);
    let r = evaluate_day(&rule, &DayInput { mark: Some(CalendarMark::MakeUpWorkday), ..DayInput::new(sat, &p) });
    assert_eq!((r.kind, r.status), (DayKind::MakeUpWorkday, Status::Normal), "{:?}", r.reasons);
    assert_eq!(r.shift.as_deref(), Some("09:00-18:00"));
    assert_eq!(r.scheduled_minutes, 540);
}

#[test]
fn flexible_make_up_day_uses_the_marked_shift() {
    let rule = office(json!({
        "system": "flexible", "standard": null,
        "shifts": [
            {"name": "early", "periods": [{"start": "07:00", "end": "15:00"}]},
            {"name": "short", "periods": [{"start": "10:00", "end": "16:00"}], "non_workday_default": true}
        ],
        "flexible": {"days": {"mon": "early", "tue": "early", "wed": "early", "thu": "early", "fri": "early"}}
    }));
    let sat = d(2026, 3, 7);
    let p = punches(sat, &["10:00", "16:00"]);
    let r = evaluate_day(&rule, &DayInput { mark: Some(CalendarMark::MakeUpWorkday), ..DayInput::new(sat, &p) });
    assert_eq!(r.shift.as_deref(), Some("short"));
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    // The weekday shift applies on a regular Monday.
    let r = day(&rule, monday(), &["07:00", "15:00"]);
    assert_eq!((r.shift.as_deref(), r.status), (Some("early"), Status::Normal));
}

// 单双周轮休制度.

#[test]
fn odd_even_week_alternates() {
    let rule = office(json!({
        "system": "odd_even_week", "standard": null,
        "odd_even_week": {
            "odd": {"mon": "day", "tue": "day", "wed": "day", "thu": "day", "fri": "day", "sat": "day"},
            "even": {"mon": "day", "tue": "day", "wed": "day", "thu": "day", "fri": "day"},
            "anchor_week": "2026-03-02"
        }
    }));
    assert_eq!(day(&rule, d(2026, 3, 7), &[]).kind, DayKind::Workday);
    assert_eq!(day(&rule, d(2026, 3, 14), &[]).kind, DayKind::Rest);
    assert_eq!(day(&rule, d(2026, 3, 21), &[]).kind, DayKind::Workday);
}

// 有效期: 按周期设置，支持选择次年；周期内不允许存在重叠区间.

#[test]
fn yearly_validity_crossing_new_year() {
    let rule = office(json!({"validity": {"yearly": [{"from": "11-01", "to": "03-31"}]}}));
    assert!(rule.covers(d(2026, 1, 15)));
    assert!(rule.covers(d(2026, 12, 1)));
    assert!(!rule.covers(d(2026, 6, 1)));
    let r = day(&rule, d(2026, 6, 1), &["09:00", "18:00"]);
    assert_eq!(r.status, Status::NotInValidity);
}

#[test]
fn overlapping_yearly_cycles_are_rejected() {
    let e = rule_err(office_json(json!({"validity": {"yearly": [
        {"from": "11-01", "to": "03-31"}, {"from": "03-01", "to": "10-31"}
    ]}})));
    assert_eq!(e.sqlstate(), "23P01");
    assert_eq!(e.path(), "validity.yearly[1]");
    assert!(Rule::from_json(
        &office_json(json!({"validity": {"yearly": [
            {"from": "11-01", "to": "03-31"}, {"from": "04-01", "to": "10-31"}
        ]}}))
        .to_string()
    )
    .is_ok());
}

#[test]
fn fixed_validity_end_must_be_after_start() {
    let e = rule_err(office_json(json!({"validity": {"range": {"from": "2026-03-01", "to": "2026-02-01"}}})));
    assert_eq!((e.path(), e.sqlstate()), ("validity.range.to", "22023"));
}

// 晚走晚到: 最多可添加5个规则.

#[test]
fn six_leave_late_tiers_are_rejected() {
    let tiers: Vec<_> =
        (1..=6).map(|i| json!({"left_after_minutes": 30 * i, "may_arrive_late_minutes": 10 * i})).collect();
    let e = rule_err(office_json(json!({"flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": tiers}}})));
    assert_eq!(e.path(), "flex.leave_late_arrive_late.tiers");
    assert_eq!(e.sqlstate(), "22023");
}

// 早到早走/晚到晚走/晚走晚到: 仅标准、灵活、单双周 + 固定打卡模式.

#[test]
fn flex_settings_on_scheduled_are_rejected() {
    let e = rule_err(office_json(json!({
        "system": "scheduled", "standard": null, "scheduled": {},
        "flex": {"early_arrive_early_leave": {"mode": "fixed", "minutes": 30}}
    })));
    assert_eq!(e.path(), "flex");
}

#[test]
fn tolerance_on_scheduled_is_rejected() {
    let e = rule_err(office_json(json!({
        "system": "scheduled", "standard": null, "scheduled": {}, "tolerance": {"late_minutes": 5}
    })));
    assert_eq!(e.path(), "tolerance");
}

// 考勤地点: 若设置了考勤地点，未设置"允许偏差范围"，则在哪里都可以签到.

#[test]
fn location_without_radius_counts_anywhere() {
    let rule = office(json!({"locations": [{"name": "HQ", "lat": 31.2304, "lon": 121.4737}]}));
    let p = [
        Punch { lat: Some(0.0), lon: Some(0.0), ..Punch::device(sh(monday(), "09:00")) },
        Punch { lat: Some(0.0), lon: Some(0.0), ..Punch::device(sh(monday(), "18:00")) },
    ];
    let r = evaluate_day(&rule, &DayInput::new(monday(), &p));
    assert_eq!(r.status, Status::Normal);
}

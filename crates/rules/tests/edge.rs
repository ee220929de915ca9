//! Edge cases: night shifts, DST, calendars, excuses, locations, overtime,
//! flexible punch mode, scheduled rules, validation and the JSON entry.

mod common;

use attendance_rules::*;
use common::*;
use serde_json::json;

fn night(tz: &str) -> Rule {
    office(json!({
        "shifts": [{"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}],
        "standard": {"workdays": [1, 2, 3, 4, 5, 6, 7], "shift": "night"},
        "time_zone": tz
    }))
}

fn eval(rule: &Rule, date: chrono::NaiveDate, p: &[Punch]) -> DayResult {
    evaluate_day(rule, &DayInput::new(date, p))
}

#[test]
fn night_shift_across_midnight_in_shanghai_belongs_to_its_start_day() {
    let rule = night("Asia/Shanghai");
    let mon = monday();
    let tue = d(2026, 3, 3);
    let p = [Punch::device(sh(mon, "21:55")), Punch::device(sh(tue, "06:02"))];
    let r = eval(&rule, mon, &p);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!((r.scheduled_minutes, r.work_minutes), (480, 480));
    assert_eq!(r.periods[0].check_out.unwrap().local().to_string(), "2026-03-03 06:02:00");
    // Tuesday's night shift does not steal Monday night's check-out.
    let r = eval(&rule, tue, &p);
    assert_eq!(r.status, Status::NoPunch, "{:?}", r.reasons);
    // Late into the night shift, reasons mark the next day.
    let p = [Punch::device(sh(mon, "22:10")), Punch::device(sh(tue, "05:50"))];
    let r = eval(&rule, mon, &p);
    assert_eq!((r.late_minutes, r.early_minutes), (10, 10));
    assert!(
        r.reasons.contains(&"early 10 min: out 05:50 (+1d), due 06:00 (+1d), allowance 0".to_string()),
        "{:?}",
        r.reasons
    );
}

#[test]
fn night_shift_on_new_york_spring_forward_night_is_7_real_hours() {
    let rule = night("America/New_York");
    let sat = d(2026, 3, 7);
    let p = [
        Punch::device(at_in("America/New_York", sat, "22:00")),
        Punch::device(at_in("America/New_York", d(2026, 3, 8), "06:00")),
    ];
    assert_eq!((p[1].at - p[0].at).num_minutes(), 420);
    let r = eval(&rule, sat, &p);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!((r.scheduled_minutes, r.work_minutes, r.late_minutes, r.early_minutes), (420, 420, 0, 0));
    // Leaving at 05:00 EDT is one hour early, not two.
    let p2 = [p[0], Punch::device(at_in("America/New_York", d(2026, 3, 8), "05:00"))];
    assert_eq!(eval(&rule, sat, &p2).early_minutes, 60);
    // The night of the switch day itself is a normal 8 hours.
    let sun = d(2026, 3, 8);
    let p3 = [
        Punch::device(at_in("America/New_York", sun, "22:00")),
        Punch::device(at_in("America/New_York", d(2026, 3, 9), "06:00")),
    ];
    let r = eval(&rule, sun, &p3);
    assert_eq!((r.status, r.scheduled_minutes, r.work_minutes), (Status::Normal, 480, 480));
}

#[test]
fn night_shift_on_new_york_fall_back_night_is_9_real_hours() {
    let rule = night("America/New_York");
    let sat = d(2026, 10, 31);
    let p = [
        Punch::device(at_in("America/New_York", sat, "22:00")),
        Punch::device(at_in("America/New_York", d(2026, 11, 1), "06:00")),
    ];
    assert_eq!((p[1].at - p[0].at).num_minutes(), 540);
    let r = eval(&rule, sat, &p);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!((r.scheduled_minutes, r.work_minutes), (540, 540));
    let sun = d(2026, 11, 1);
    let p = [
        Punch::device(at_in("America/New_York", sun, "22:00")),
        Punch::device(at_in("America/New_York", d(2026, 11, 2), "06:00")),
    ];
    let r = eval(&rule, sun, &p);
    assert_eq!((r.status, r.scheduled_minutes, r.work_minutes), (Status::Normal, 480, 480));
}

#[test]
fn local_day_comes_from_the_rule_zone_not_utc() {
    // 08:55 Shanghai is 00:55 UTC the same day; 09:00 Tokyo-rule would differ.
    let rule = office(json!({"time_zone": "America/Los_Angeles"}));
    let mon = monday();
    let p = [
        Punch::device(at_in("America/Los_Angeles", mon, "08:58")),
        Punch::device(at_in("America/Los_Angeles", mon, "18:03")),
    ];
    let r = eval(&rule, mon, &p);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    assert_eq!(r.periods[0].check_in.unwrap().local().to_string(), "2026-03-02 08:58:00");
}

#[test]
fn make_up_workday_on_a_standard_saturday_uses_the_standard_shift() {
    let rule = office(json!({}));
    let sat = d(2026, 3, 7);
    let p = punches(sat, &["09:00", "18:00"]);
    let r = evaluate_day(&rule, &DayInput { mark: Some(CalendarMark::MakeUpWorkday), ..DayInput::new(sat, &p) });
    assert_eq!((r.kind, r.status, r.shift.as_deref()), (DayKind::MakeUpWorkday, Status::Normal, Some("day")));
    // Without the mark, nobody is expected on Saturday.
    let r = evaluate_day(&rule, &DayInput::new(sat, &[]));
    assert_eq!((r.kind, r.status), (DayKind::Rest, Status::Rest));
}

#[test]
fn public_holiday_needs_no_attendance() {
    let rule = office(json!({"overtime": {"unit_minutes": 30, "count_holidays": true}}));
    let wed = d(2026, 3, 4);
    let r = evaluate_day(&rule, &DayInput { mark: Some(CalendarMark::Holiday), ..DayInput::new(wed, &[]) });
    assert_eq!((r.kind, r.status, r.absent_minutes), (DayKind::Holiday, Status::Holiday, 0));
    // Work on the holiday is holiday overtime, rounded down to the unit.
    let p = punches(wed, &["10:00", "15:50"]);
    let r = evaluate_day(&rule, &DayInput { mark: Some(CalendarMark::Holiday), ..DayInput::new(wed, &p) });
    assert_eq!((r.work_minutes, r.overtime_minutes), (350, 330));
    assert_eq!(r.overtime_category, Some(OvertimeCategory::Holiday));
}

#[test]
fn rest_day_work_counts_only_when_the_overtime_rule_says_so() {
    let sat = d(2026, 3, 7);
    let p = punches(sat, &["10:00", "12:00"]);
    let yes = office(json!({"overtime": {"count_rest_days": true}}));
    let r = eval(&yes, sat, &p);
    assert_eq!((r.overtime_minutes, r.overtime_category), (120, Some(OvertimeCategory::RestDay)));
    let no = office(json!({"overtime": {"count_rest_days": false}}));
    assert_eq!(eval(&no, sat, &p).overtime_minutes, 0);
}

#[test]
fn workday_overtime_threshold_then_unit() {
    let rule = office(json!({"overtime": {"min_minutes_after_end": 30, "unit_minutes": 30}}));
    let r = day(&rule, monday(), &["09:00", "19:10"]);
    assert_eq!((r.overtime_minutes, r.overtime_category), (60, Some(OvertimeCategory::Workday)));
    assert!(r
        .reasons
        .contains(&"overtime 60 min: out 19:10, end 18:00, 70 min after; threshold 30, unit 30".to_string()));
    assert_eq!(day(&rule, monday(), &["09:00", "18:20"]).overtime_minutes, 0);
    assert_eq!(r.work_minutes, 540);
}

#[test]
fn per_shift_overtime_applies_when_no_rule_wide_one() {
    let rule = office(json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}],
        "overtime": {"unit_minutes": 60}}]}));
    assert_eq!(day(&rule, monday(), &["09:00", "19:59"]).overtime_minutes, 60);
    let e = rule_err(office_json(json!({
        "overtime": {"unit_minutes": 30},
        "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}], "overtime": {"unit_minutes": 60}}]
    })));
    assert_eq!(e.path(), "shifts[0].overtime");
}

#[test]
fn leave_covering_the_first_hour_is_not_late() {
    let rule = office(json!({"tolerance": {"late_minutes": 5}}));
    let mon = monday();
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "09:00"), to: sh(mon, "10:00") }];
    let p = punches(mon, &["09:58", "18:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &p) });
    assert_eq!((r.status, r.late_minutes), (Status::Normal, 0), "{:?}", r.reasons);
    assert!(r.reasons.contains(&"leave covers 09:00-10:00: lateness measured from 10:00".to_string()));
    // Lateness after the leave is counted from where the leave ends.
    let p = punches(mon, &["10:12", "18:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &p) });
    assert_eq!((r.status, r.late_minutes), (Status::Late, 12));
}

#[test]
fn leave_covering_the_end_needs_no_check_out() {
    let rule = office(json!({"absenteeism": {"situations": {"missing_check_out": true}}}));
    let mon = monday();
    let leave = [Excuse { kind: ExcuseKind::Leave, from: sh(mon, "14:00"), to: sh(mon, "18:00") }];
    let p = punches(mon, &["09:00"]);
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &p) });
    assert_eq!((r.status, r.absent_minutes, r.work_minutes), (Status::Normal, 0, 300), "{:?}", r.reasons);
}

#[test]
fn whole_day_leave_is_excused_and_not_absent() {
    let rule = office(json!({"absenteeism": {"situations": {"no_punch_all_day": true}}}));
    let mon = monday();
    let leave = [Excuse { kind: ExcuseKind::BusinessTrip, from: sh(mon, "00:00"), to: sh(d(2026, 3, 3), "00:00") }];
    let r = evaluate_day(&rule, &DayInput { excuses: &leave, ..DayInput::new(mon, &[]) });
    assert_eq!((r.status, r.absent_minutes), (Status::Excused, 0), "{:?}", r.reasons);
    // Without the trip, the empty day is absent.
    let r = evaluate_day(&rule, &DayInput::new(mon, &[]));
    assert_eq!((r.status, r.absent_minutes), (Status::Absent, 540));
}

#[test]
fn appeal_clears_an_absence() {
    let rule = office(json!({"absenteeism": {"situations": {"missing_check_in": true}}}));
    let mon = monday();
    let p = punches(mon, &["17:59", "18:01"]);
    let r = evaluate_day(&rule, &DayInput::new(mon, &p));
    assert_eq!(r.status, Status::Late, "two punches read as in and out");
    let p = punches(mon, &["18:01"]);
    let rule = office(json!({"sign_out": true, "absenteeism": {"situations": {"missing_check_in": true}}}));
    let r = evaluate_day(&rule, &DayInput::new(mon, &p));
    assert_eq!((r.status, r.absent_minutes), (Status::Absent, 540), "{:?}", r.reasons);
    let appeal = [Excuse { kind: ExcuseKind::Appeal, from: sh(mon, "09:00"), to: sh(mon, "18:00") }];
    let r = evaluate_day(&rule, &DayInput { excuses: &appeal, ..DayInput::new(mon, &p) });
    assert_eq!((r.status, r.absent_minutes), (Status::Excused, 0), "{:?}", r.reasons);
}

/// Latitude degrees per metre on the 6371008.8 m sphere.
fn deg(metres: f64) -> f64 {
    metres / (geo::EARTH_RADIUS_M * std::f64::consts::PI / 180.0)
}

#[test]
fn punch_one_metre_outside_the_radius_is_flagged_not_counted() {
    let rule = office(json!({"locations": [{"name": "HQ", "lat": 31.0, "lon": 121.0, "radius_m": 100}]}));
    let mon = monday();
    let inside = Punch { lat: Some(31.0 + deg(99.0)), lon: Some(121.0), ..Punch::device(sh(mon, "09:00")) };
    let outside = Punch { lat: Some(31.0 + deg(101.0)), lon: Some(121.0), ..Punch::device(sh(mon, "18:00")) };
    let r = eval(&rule, mon, &[inside, outside]);
    assert_eq!(r.status, Status::MissingCheckOut, "{:?}", r.reasons);
    assert_eq!(r.outside_punches, vec![outside.at]);
    assert!(
        r.reasons.iter().any(|s| s.starts_with("punch at 18:00 is 1 m outside location HQ (radius 100 m)")),
        "{:?}",
        r.reasons
    );
    let inside_out = Punch { lat: Some(31.0 + deg(99.0)), ..outside };
    let r = eval(&rule, mon, &[inside, inside_out]);
    assert_eq!((r.status, r.outside_punches.len()), (Status::Normal, 0));
}

#[test]
fn flexible_punch_mode_check_out_due_after_required_minutes() {
    let rule = office(json!({
        "punch_mode": "flexible",
        "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "08:00", "latest_check_in": "10:00"}}],
        "standard": {"shift": "flex"}
    }));
    let r = day(&rule, monday(), &["08:30", "16:30"]);
    assert_eq!((r.status, r.work_minutes), (Status::Normal, 480), "{:?}", r.reasons);
    // Before the earliest counts as the earliest.
    let r = day(&rule, monday(), &["07:30", "16:00"]);
    assert_eq!(r.status, Status::Normal, "{:?}", r.reasons);
    let r = day(&rule, monday(), &["07:30", "15:30"]);
    assert_eq!((r.status, r.early_minutes), (Status::Early, 30));
    // After the latest is late; the day is judged from the latest.
    let r = day(&rule, monday(), &["10:15", "18:00"]);
    assert_eq!((r.status, r.late_minutes, r.early_minutes), (Status::Late, 15, 0), "{:?}", r.reasons);
    let r = day(&rule, monday(), &["09:00", "16:50"]);
    assert_eq!((r.status, r.early_minutes), (Status::Early, 10));
}

#[test]
fn flexible_punch_mode_rejects_fixed_periods_and_flex_settings() {
    let e = rule_err(office_json(json!({"punch_mode": "flexible"})));
    assert_eq!(e.path(), "shifts[0]");
    let e = rule_err(office_json(json!({
        "punch_mode": "flexible",
        "shifts": [{"name": "day", "flexible": {"work_minutes": 480, "earliest_check_in": "10:00", "latest_check_in": "09:00"}}]
    })));
    assert_eq!(e.path(), "shifts[0].flexible.latest_check_in");
}

fn scheduled(options: serde_json::Value) -> Rule {
    office(json!({
        "system": "scheduled", "standard": null, "scheduled": options,
        "shifts": [
            {"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]},
            {"name": "night", "periods": [{"start": "22:00", "end": "06:00"}]}
        ]
    }))
}

#[test]
fn scheduled_rule_takes_the_shift_from_the_schedule() {
    let rule = scheduled(json!({}));
    let mon = monday();
    let night = rule.shift_id("night").unwrap();
    let p = [Punch::device(sh(mon, "22:00")), Punch::device(sh(d(2026, 3, 3), "06:00"))];
    let r = evaluate_day(&rule, &DayInput { schedule: Some(ScheduleEntry::Shift(night)), ..DayInput::new(mon, &p) });
    assert_eq!((r.shift.as_deref(), r.status), (Some("night"), Status::Normal), "{:?}", r.reasons);
    let r = evaluate_day(&rule, &DayInput { schedule: Some(ScheduleEntry::Rest), ..DayInput::new(mon, &p) });
    assert_eq!(r.status, Status::Rest);
}

#[test]
fn scheduled_unscheduled_punches_follow_the_options() {
    let mon = monday();
    let p = punches(mon, &["09:05", "18:00"]);
    let strict = scheduled(json!({}));
    let r = eval(&strict, mon, &p);
    assert_eq!((r.status, r.work_minutes), (Status::Unscheduled, 0));
    let open = scheduled(json!({"allow_unscheduled_punch": true}));
    let r = eval(&open, mon, &p);
    assert_eq!((r.status, r.work_minutes), (Status::Unscheduled, 535));
    let pick = scheduled(json!({"self_select_when_unscheduled": true}));
    let r = eval(&pick, mon, &p);
    assert_eq!((r.shift.as_deref(), r.status, r.late_minutes), (Some("day"), Status::Late, 5), "{:?}", r.reasons);
}

#[test]
fn validation_errors_name_their_field() {
    let cases = [
        (json!({"time_zone": "Mars/Olympus"}), "time_zone", "22023"),
        (json!({"locations": [{"name": "x", "lat": 1, "lon": 1, "radius_m": -1}]}), "locations[0].radius_m", "22023"),
        (json!({"locations": [{"name": "x", "lat": 91, "lon": 1}]}), "locations[0].lat", "22023"),
        (json!({"standard": {"shift": "evening"}}), "standard.shift", "42704"),
        (
            json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "25:00"}]}]}),
            "shifts[0].periods[0].end",
            "22007",
        ),
        (
            json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "09:00"}]}]}),
            "shifts[0].periods[0].end",
            "22023",
        ),
        (
            json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "18:00"}]}]}),
            "shifts[0].periods[1]",
            "23P01",
        ),
        (
            json!({"shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}, {"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}]}),
            "shifts[1].name",
            "42710",
        ),
        (json!({"tolerance": {"late_minuts": 5}}), "tolerance.late_minuts", "22P02"),
        (json!({"tolerance": {"late_minutes": "five"}}), "tolerance.late_minutes", "22P02"),
        (json!({"tolerance": {"late_minutes": -1}}), "tolerance.late_minutes", "22023"),
        (json!({"validity": {"range": {"from": "2026-02-30", "to": "2026-03-01"}}}), "validity.range.from", "22007"),
        (json!({"validity": {"yearly": [{"from": "02-30", "to": "03-01"}]}}), "validity.yearly[0].from", "22007"),
        (json!({"absenteeism": {"unit_minutes": 0}}), "absenteeism.unit_minutes", "22023"),
        (json!({"flexible": {"days": {}}}), "flexible", "22023"),
        (json!({"standard": {"workdays": [8], "shift": "day"}}), "standard.workdays[0]", "22023"),
        (
            json!({"flex": {"early_arrive_early_leave": {"mode": "sometimes", "minutes": 30}}}),
            "flex.early_arrive_early_leave.mode",
            "22P02",
        ),
        (json!({"name": null}), "name", "22P02"),
    ];
    for (overrides, path, state) in cases {
        let e = rule_err(office_json(overrides.clone()));
        assert_eq!((e.path(), e.sqlstate()), (path, state), "{overrides}: {e}");
    }
}

#[test]
fn malformed_json_is_22p02() {
    for text in ["", "{", "[]", "{\"name\": }", "null", "{\"name\": \"x\"}"] {
        let e = Rule::from_json(text).unwrap_err();
        assert_eq!(e.sqlstate(), "22P02", "{text}: {e}");
    }
    let e = Rule::from_json("{\"name\": \"x\"}").unwrap_err();
    assert_eq!(e.path(), "system", "{e}");
}

#[test]
fn pure_json_entry_point_evaluates_a_range() {
    let rule = office_json(json!({"tolerance": {"late_minutes": 5}})).to_string();
    let request = json!({
        "from": "2026-03-02", "to": "2026-03-08",
        "punches": [
            {"at": "2026-03-02T09:12:00+08:00"}, {"at": "2026-03-02 18:00:00+08"},
            {"at": "2026-03-03T01:00:00Z", "source": "make_up"}, {"at": "2026-03-03T18:00:00+08:00"}
        ],
        "excuses": [{"kind": "leave", "from": "2026-03-04T09:00:00+08:00", "to": "2026-03-04T18:00:00+08:00"}],
        "holidays": [{"date": "2026-03-05", "kind": "holiday"}]
    })
    .to_string();
    let days = evaluate_json(&rule, &request).unwrap();
    assert_eq!(days.len(), 7);
    let statuses: Vec<_> = days.iter().map(|d| d.status).collect();
    assert_eq!(
        statuses,
        [Status::Late, Status::Normal, Status::Excused, Status::Holiday, Status::NoPunch, Status::Rest, Status::Rest]
    );
    let v = serde_json::to_value(&days[0]).unwrap();
    assert_eq!(v["status"], "late");
    assert_eq!(v["kind"], "workday");
    assert_eq!(v["date"], "2026-03-02");
    assert_eq!(v["periods"][0]["check_in"]["at"], "2026-03-02T01:12:00Z");
    assert_eq!(v["periods"][0]["check_in"]["local"], "2026-03-02T09:12:00");
    assert_eq!(v["late_minutes"], 12);
    let v = serde_json::to_value(&days[1]).unwrap();
    assert_eq!(v["periods"][0]["check_in"]["source"], "make_up");

    let e = evaluate_json(&rule, r#"{"from": "2026-03-02", "punches": [{"at": "yesterday"}]}"#).unwrap_err();
    assert_eq!((e.path(), e.sqlstate()), ("punches[0].at", "22007"));
    let e = evaluate_json(&rule, r#"{"from": "2026-03-02", "punchs": []}"#).unwrap_err();
    assert_eq!((e.path(), e.sqlstate()), ("punchs", "22P02"));
}

#[test]
fn results_do_not_depend_on_punch_order() {
    let rule = office(json!({"sign_out": true}));
    let mon = monday();
    let mut p = punches(mon, &["18:05", "08:50", "12:00", "09:10"]);
    let a = eval(&rule, mon, &p);
    p.reverse();
    assert_eq!(a, eval(&rule, mon, &p));
}

#[test]
fn extreme_dates_and_instants_never_panic() {
    let rule = night("America/New_York");
    let far = [
        Punch::device(chrono::DateTime::<chrono::Utc>::MAX_UTC),
        Punch::device(chrono::DateTime::<chrono::Utc>::MIN_UTC),
    ];
    for date in [chrono::NaiveDate::MIN, chrono::NaiveDate::MAX, d(1, 1, 1), d(9999, 12, 31)] {
        let r = eval(&rule, date, &far);
        let _ = serde_json::to_string(&r).unwrap();
    }
    let cal = HolidayCalendar::default();
    let sched = Schedule::default();
    let data = EmployeeDays { calendar: &cal, schedule: &sched, punches: &far, excuses: &[] };
    let days = evaluate_range(&rule, chrono::NaiveDate::MAX.pred_opt().unwrap(), chrono::NaiveDate::MAX, &data);
    assert_eq!(days.len(), 2);
}

#[test]
fn batch_and_single_day_agree_on_a_long_gap_before_leave_late() {
    let rule = office(json!({"flex": {"leave_late_arrive_late": {"mode": "fixed", "tiers": [
        {"left_after_minutes": 30, "may_arrive_late_minutes": 30}
    ]}}}));
    // Worked late on Monday 2 March, then 40 days of holidays.
    let mon = monday();
    let back = d(2026, 4, 13);
    let mut all = punches(mon, &["09:00", "19:00"]);
    all.extend(punches(back, &["09:20", "18:30"]));
    let marks = (1..=40).map(|i| (mon + chrono::Duration::days(i), CalendarMark::Holiday));
    let cal = HolidayCalendar::new(marks);
    let sched = Schedule::default();
    let data = EmployeeDays { calendar: &cal, schedule: &sched, punches: &all, excuses: &[] };
    let batch = evaluate_range(&rule, mon, back, &data);
    let last = batch.last().unwrap();
    assert_eq!(previous_workday(&rule, back, &data), None);
    // Too long ago to earn a late start: late from 09:00 either way.
    assert_eq!((last.date, last.status, last.late_minutes), (back, Status::Late, 20), "{:?}", last.reasons);
}

/// Issue 14, item 1: a part-time flexible rule whose check-in window is wider
/// than the required time judged an ordinary short day "fully covered by
/// excuses". One hour of four is early leave, not an excused day.
#[test]
fn flexible_window_wider_than_the_work_is_not_an_excuse() {
    let rule = attendance_rules::Rule::from_json(
        r#"{"name":"part-time flex","system":"standard","punch_mode":"flexible",
            "shifts":[{"name":"flex","flexible":{"work_minutes":240,"earliest_check_in":"08:00","latest_check_in":"14:00"}}],
            "standard":{"workdays":[1,2,3,4,5],"shift":"flex"},
            "absenteeism":{"enabled":true,"early_over_minutes":60,"unit_minutes":30,"situations":{"early_beyond":true}},
            "time_zone":"Asia/Shanghai"}"#,
    )
    .unwrap();
    let at = |s: &str| attendance_rules::pure::parse_instant(s).unwrap();
    let punches = [
        attendance_rules::Punch {
            at: at("2026-03-02T08:30:00+08:00"),
            lat: None,
            lon: None,
            source: attendance_rules::PunchSource::Device,
        },
        attendance_rules::Punch {
            at: at("2026-03-02T09:30:00+08:00"),
            lat: None,
            lon: None,
            source: attendance_rules::PunchSource::Device,
        },
    ];
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let r = attendance_rules::evaluate_day(&rule, &attendance_rules::DayInput::new(day, &punches));
    assert_ne!(r.status, attendance_rules::Status::Excused, "{:?}", r.reasons);
    assert_eq!(r.work_minutes, 60, "{:?}", r.reasons);
    assert_eq!(r.early_minutes + r.absent_minutes > 0, true, "{:?}", r.reasons);
    // a full day in the same window is normal
    let full = [
        attendance_rules::Punch {
            at: at("2026-03-02T08:30:00+08:00"),
            lat: None,
            lon: None,
            source: attendance_rules::PunchSource::Device,
        },
        attendance_rules::Punch {
            at: at("2026-03-02T12:30:00+08:00"),
            lat: None,
            lon: None,
            source: attendance_rules::PunchSource::Device,
        },
    ];
    let r = attendance_rules::evaluate_day(&rule, &attendance_rules::DayInput::new(day, &full));
    assert_eq!((r.status, r.work_minutes), (attendance_rules::Status::Normal, 240), "{:?}", r.reasons);
}

//! Nothing that has not happened is judged (SPEC.md C).
//!
//! A day is evaluated from everything known, then settled against "now":
//! each shift period whose end has not passed is pending. A pending period
//! shows its check-in and the lateness of a check-in already made (an 08:58
//! check-in for 09:00 is on time; a 09:20 one is late), but nothing is
//! missing, early or absent yet, no work or overtime is counted, and the day
//! is `pending` until its last period has ended. Periods already over keep
//! their figures. Days without periods (rest days, holidays) have nothing to
//! wait for. A check-out the rule assumes for a forgotten one
//! (`auto_check_out_minutes`) has not happened before its time either: its
//! period waits for it as for its end. A punch stored before its own time
//! (a device whose clock runs ahead) is not evaluated at all until then
//! (`made_by`): a rest day's work or an ended day's late check-out would
//! otherwise count it, as a pending period does not.

use chrono::{DateTime, Utc};

use crate::clock::{to_i32, to_local};
use crate::punch::{Punch, PunchSource};
use crate::result::{DayResult, PeriodResult, Status};
use crate::rule::Rule;
use crate::tolerance::counted;

/// When a period's judgement becomes final: its end, or its assumed
/// check-out when that comes later.
fn final_at(p: &PeriodResult) -> DateTime<Utc> {
    match p.check_out {
        Some(c) if c.source == PunchSource::AutoCheckOut => p.end.max(c.at),
        _ => p.end,
    }
}

/// When the day's judgement becomes final: the end of its last period (or
/// a later assumed check-out), or `None` for a day without periods.
pub fn due_at(result: &DayResult) -> Option<DateTime<Utc>> {
    result.periods.iter().map(final_at).max()
}

/// Whether what the day shows (`settle`) stays as it is from `now` until it
/// falls due, its punches still to come aside: no period ends and no
/// period's judgement becomes final in between. A day of several periods
/// changes at the end of each but its last (that period's figures stand
/// from then); a check-out assumed after the last end changes the day's
/// reason at that end. A day without periods has nothing to wait for.
pub fn shows_alike_until_due(result: &DayResult, now: DateTime<Utc>) -> bool {
    let Some(due) = due_at(result) else { return true };
    !result.periods.iter().flat_map(|p| [p.end, final_at(p)]).any(|t| now < t && t < due)
}

/// The punches made by `now`, of punches in time order (`punch_order`).
pub fn made_by(punches: &[Punch], now: DateTime<Utc>) -> &[Punch] {
    debug_assert!(punches.windows(2).all(|w| w[0].at <= w[1].at), "punches out of time order");
    &punches[..punches.partition_point(|p| p.at <= now)]
}

/// Settles a day's result as of `now`; see the module documentation.
pub fn settle(rule: &Rule, result: &mut DayResult, now: DateTime<Utc>) {
    let Some(due) = due_at(result) else { return };
    if now >= due {
        return;
    }
    let zone = rule.time_zone();
    let mut reasons = Vec::with_capacity(result.periods.len() + 1);
    let until = to_local(&zone, due).format("%Y-%m-%d %H:%M");
    let ended = result.periods.iter().all(|p| now >= p.end);
    reasons.push(if ended {
        format!(
            "pending until {until}: the check-out assumed at {} has not come yet",
            to_local(&zone, due).format("%H:%M")
        )
    } else {
        format!("pending until {until}: the shift has not ended")
    });
    let many = result.periods.len() > 1;
    for (i, p) in result.periods.iter_mut().enumerate() {
        if now >= final_at(p) {
            // an ended period keeps the reasons the evaluation gave it
            let prefix = format!("period {}: ", i + 1);
            reasons.extend(result.reasons.iter().filter(|r| r.starts_with(&prefix)).cloned());
            continue;
        }
        let label = if many { format!("period {}: ", i + 1) } else { String::new() };
        // only punches made by now count (a replayed clock may lie before stored punches)
        match p.check_in {
            Some(c) if c.at <= now => {
                // measured here: the engine may have folded a late start into
                // an absence that waits on the check-out
                // breaks inside the period are not late
                // a period past its end that waits for an assumed check-out
                // may hold a check-in after its end: late for all of it, no more
                // as the engine measures it: from a flexible shift's latest
                // check-in or where an excuse covering the start ends, and
                // no more than the time the period asks for
                let raw = p.duty_secs(p.late_from, c.at.min(p.end)).clamp(0, p.required_secs.max(0)).div_euclid(60);
                let late = to_i32(counted(raw, rule.tolerance.late));
                p.late_minutes = late;
                let clock = to_local(&zone, c.at).format("%H:%M");
                // named as the engine names it: a latest check-in or an
                // excuse's end is where lateness starts, not the start
                let from = to_local(&zone, p.late_from).format("%H:%M");
                let start = if p.late_from == p.start { format!("start {from}") } else { format!("late from {from}") };
                reasons.push(if late > 0 {
                    format!("{label}late {late} min so far: in {clock}, {start}")
                } else if c.at <= p.late_from && p.late_from != p.start {
                    // a flexible shift's check-in inside its window: on
                    // time, whenever it began ("late from 10:00" alone
                    // read as a fault at 08:25)
                    format!("{label}in {clock}, on time ({start})")
                } else {
                    format!("{label}in {clock}, {start}")
                });
            }
            _ => {
                p.check_in = None;
                p.late_minutes = 0;
            }
        }
        p.check_out = None;
        p.early_minutes = 0;
        p.absent_minutes = 0;
        p.work_minutes = 0;
        p.status = Status::Pending;
    }
    result.late_minutes = result.periods.iter().map(|p| p.late_minutes).sum();
    result.early_minutes = result.periods.iter().map(|p| p.early_minutes).sum();
    result.absent_minutes = result.periods.iter().map(|p| p.absent_minutes).sum();
    result.work_minutes = result.periods.iter().map(|p| p.work_minutes).sum();
    result.overtime_minutes = 0;
    result.overtime_category = None;
    result.status = Status::Pending;
    result.reasons = reasons;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{evaluate_day, DayInput};
    use crate::punch::{Excuse, Punch, PunchSource};
    use chrono::{NaiveDate, TimeZone};

    fn rule() -> Rule {
        Rule::from_json(
            r#"{"name": "office", "system": "standard", "punch_mode": "fixed",
                "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]}],
                "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
                "absenteeism": {"enabled": true, "late_over_minutes": 60, "unit_minutes": 30,
                                "situations": {"no_punch_all_day": true, "missing_check_out": true}},
                "time_zone": "UTC"}"#,
        )
        .unwrap()
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    fn punch(h: u32, m: u32) -> Punch {
        Punch { at: at(h, m), lat: None, lon: None, source: PunchSource::Device }
    }

    fn day(punches: &[Punch], now: DateTime<Utc>) -> DayResult {
        let rule = rule();
        let mut r = evaluate_day(&rule, &DayInput::new(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), punches));
        settle(&rule, &mut r, now);
        r
    }

    #[test]
    fn a_check_in_on_time_is_on_time_and_nothing_is_missing_yet() {
        let r = day(&[punch(8, 58)], at(10, 0));
        assert_eq!(r.status, Status::Pending);
        assert_eq!((r.late_minutes, r.early_minutes, r.absent_minutes, r.work_minutes), (0, 0, 0, 0));
        assert_eq!(r.periods[0].check_in.map(|c| c.at), Some(at(8, 58)));
        assert_eq!(r.reasons[1], "period 1: in 08:58, start 09:00");
    }

    #[test]
    fn a_late_check_in_shows_late_so_far() {
        let r = day(&[punch(9, 20)], at(10, 0));
        assert_eq!((r.status, r.late_minutes, r.absent_minutes), (Status::Pending, 20, 0));
    }

    #[test]
    fn ended_periods_are_judged_and_the_rest_waits() {
        // the morning is over without a check-out; the afternoon has not ended
        let r = day(&[punch(8, 58)], at(14, 0));
        assert_eq!(r.status, Status::Pending);
        assert_eq!((r.periods[0].status, r.periods[0].absent_minutes), (Status::Absent, 180));
        assert_eq!(r.periods[1].status, Status::Pending);
        assert_eq!(r.absent_minutes, 180);
        assert!(r.reasons.iter().any(|x| x.starts_with("period 1: ")), "{:?}", r.reasons);
    }

    #[test]
    fn a_day_not_begun_has_no_figures() {
        let r = day(&[], at(7, 0));
        assert_eq!((r.status, r.absent_minutes, r.late_minutes), (Status::Pending, 0, 0));
        assert!(r.reasons[0].starts_with("pending until 2026-03-02 18:00"));
    }

    #[test]
    fn once_the_day_is_over_nothing_changes() {
        let punches = [punch(8, 58)];
        let rule = rule();
        let plain = evaluate_day(&rule, &DayInput::new(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), &punches));
        assert_eq!(day(&punches, at(18, 0)), plain);
        assert_ne!(plain.status, Status::Pending);
    }

    #[test]
    fn a_rest_days_work_counts_only_punches_made_by_now() {
        // Saturday: no periods, so nothing is pending; a check-out stored
        // ahead (08:10 at 08:01) has not happened
        let sat = |h, m| Punch {
            at: Utc.with_ymd_and_hms(2026, 3, 7, h, m, 0).unwrap(),
            lat: None,
            lon: None,
            source: PunchSource::Device,
        };
        let rule = rule();
        let punches = [sat(7, 58), sat(8, 10)];
        let now = Utc.with_ymd_and_hms(2026, 3, 7, 8, 1, 0).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        let all = evaluate_day(&rule, &DayInput::new(date, &punches));
        let known = evaluate_day(&rule, &DayInput::new(date, made_by(&punches, now)));
        assert_eq!(made_by(&punches, now).len(), 1);
        assert_ne!(all, known, "the check-out of 08:10 counts in a full evaluation");
        assert!(known.reasons.iter().all(|r| !r.contains("08:10")), "{:?}", known.reasons);
        assert_eq!(made_by(&punches, Utc.with_ymd_and_hms(2026, 3, 7, 8, 10, 0).unwrap()).len(), 2);
    }

    #[test]
    fn a_day_shows_alike_until_due_once_only_its_last_period_is_left() {
        let punches = [punch(8, 58), punch(12, 1), punch(12, 58)];
        let rule = rule();
        let whole = evaluate_day(&rule, &DayInput::new(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), &punches));
        // the morning's end changes what the day shows
        assert!(!shows_alike_until_due(&whole, at(10, 0)));
        assert_ne!(day(&punches, at(11, 59)), day(&punches, at(12, 0)));
        // from the morning's end to the afternoon's, nothing does
        assert!(shows_alike_until_due(&whole, at(12, 0)));
        assert!(shows_alike_until_due(&whole, at(13, 0)));
        let shown = day(&punches, at(13, 0));
        for (h, m) in [(13, 1), (15, 30), (17, 59)] {
            assert_eq!(day(&punches, at(h, m)), shown, "at {h}:{m:02}");
        }
        assert_ne!(day(&punches, at(18, 0)), shown);
        // over, or without periods, nothing is left to change
        assert!(shows_alike_until_due(&whole, at(18, 0)));
    }

    #[test]
    fn a_check_out_assumed_after_the_end_changes_the_reason_at_the_end() {
        let rule = Rule::from_json(
            r#"{"name": "office", "system": "standard", "punch_mode": "fixed",
                "shifts": [{"name": "day", "periods": [{"start": "09:00", "end": "18:00"}]}],
                "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "day"},
                "auto_check_out_minutes": 570, "time_zone": "UTC"}"#,
        )
        .unwrap();
        let punches = [punch(8, 58)];
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let whole = evaluate_day(&rule, &DayInput::new(date, &punches));
        let shown_at = |now| {
            let mut r = whole.clone();
            settle(&rule, &mut r, now);
            r
        };
        assert!(due_at(&whole) > Some(at(18, 0)), "{:?}", whole.periods);
        assert!(!shows_alike_until_due(&whole, at(10, 0)));
        assert_ne!(shown_at(at(17, 59)).reasons, shown_at(at(18, 0)).reasons);
        assert!(shows_alike_until_due(&whole, at(18, 0)));
    }

    #[test]
    fn a_flexible_shift_is_late_so_far_only_after_its_latest_check_in() {
        let rule = Rule::from_json(
            r#"{"name": "flex hours", "system": "standard", "punch_mode": "flexible",
                "shifts": [{"name": "flex", "flexible": {"work_minutes": 480, "earliest_check_in": "07:00", "latest_check_in": "10:00"}}],
                "standard": {"workdays": [1, 2, 3, 4, 5], "shift": "flex"}, "time_zone": "UTC"}"#,
        )
        .unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let shown = |punches: &[Punch], now| {
            let mut r = evaluate_day(&rule, &DayInput::new(date, punches));
            settle(&rule, &mut r, now);
            r
        };
        let on_time = shown(&[punch(8, 25)], at(12, 0));
        assert_eq!((on_time.status, on_time.late_minutes), (Status::Pending, 0), "{:?}", on_time.reasons);
        // named on time, not as a fault to come
        assert_eq!(on_time.reasons[1], "in 08:25, on time (late from 10:00)");
        let late = shown(&[punch(10, 20)], at(12, 0));
        assert_eq!((late.status, late.late_minutes), (Status::Pending, 20), "{:?}", late.reasons);
        // as the day once over counts them
        let over = evaluate_day(&rule, &DayInput::new(date, &[punch(10, 20), punch(18, 30)]));
        assert_eq!(over.late_minutes, 20);
    }

    #[test]
    fn leave_covering_the_start_is_not_late_so_far() {
        let rule = rule();
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let leave = [Excuse { kind: crate::punch::ExcuseKind::Leave, from: at(9, 0), to: at(10, 0) }];
        let punches = [punch(10, 5)];
        let mut input = DayInput::new(date, &punches);
        input.excuses = &leave;
        let mut r = evaluate_day(&rule, &input);
        settle(&rule, &mut r, at(11, 0));
        assert_eq!((r.status, r.late_minutes), (Status::Pending, 5), "{:?}", r.reasons);
    }

    #[test]
    fn leave_covering_the_end_caps_the_late_so_far() {
        // the afternoon period, 13:00-18:00, asks for 13:00-15:00 under
        // leave from 15:00; in at 16:00 is late for all of it, 120 min
        let rule = rule();
        let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let leave = [Excuse { kind: crate::punch::ExcuseKind::Leave, from: at(15, 0), to: at(18, 0) }];
        let punches = [punch(8, 58), punch(12, 1), punch(16, 0)];
        let mut input = DayInput::new(date, &punches);
        input.excuses = &leave;
        let over = evaluate_day(&rule, &input);
        let mut r = over.clone();
        settle(&rule, &mut r, at(17, 0));
        assert_eq!(r.status, Status::Pending);
        assert_eq!(r.periods[1].late_minutes, over.periods[1].late_minutes, "{:?} / {:?}", r.reasons, over.reasons);
        assert_eq!(r.periods[1].late_minutes, 120);
    }

    #[test]
    fn punches_after_now_are_not_seen() {
        let r = day(&[punch(9, 30), punch(18, 0)], at(9, 10));
        assert_eq!(r.periods[0].check_in, None);
        assert_eq!(r.late_minutes, 0);
    }
}

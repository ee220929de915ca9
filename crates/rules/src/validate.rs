//! Write-time checks: turns a [`RuleSpec`] into a [`Rule`] or says, with the
//! JSON path, what is wrong.
//!
//! Everything a user can get wrong is caught here so that evaluation can
//! assume a consistent rule and stay branch-light.

use crate::clock::{parse_hhmm, DAY};
use crate::geo::Location;
use crate::model::*;
use crate::punch::PunchSource;
use crate::rule::*;
use crate::validity::{cycle_days, parse_month_day, Cycle, Validity};
use crate::RuleError;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

/// Largest tolerance the seed allows (不能超过120分钟).
pub const MAX_TOLERANCE_MINUTES: i64 = 120;
/// Most leave-late-arrive-late tiers (最多可添加5个规则).
pub const MAX_TIERS: usize = 5;
/// Most periods one shift may have.
pub const MAX_PERIODS: usize = 6;
/// Largest flex allowance, in minutes.
pub const MAX_FLEX_MINUTES: i64 = 240;
/// Minutes in a week: the largest weekly overtime threshold.
pub const WEEK: i64 = 7 * DAY;
/// Most breaks one shift may have, over all its periods: with the periods'
/// own times they must fit one zone cache entry per day.
pub const MAX_BREAKS: usize = 6;

/// Checks a rule being saved and builds its evaluation form: [`validate`]
/// plus the refusal of settings that would silently do nothing (an absence
/// threshold without its situation, an absence unit without stepped
/// absence).
///
/// Rule versions stored before these refusals existed were accepted by
/// [`validate`] alone, which loads them for evaluation: their past days keep
/// their judgement. Call this one where a rule is written, never where a
/// stored one is read.
pub fn validate_new(spec: &RuleSpec) -> Result<Rule, RuleError> {
    let rule = validate(spec)?;
    if let Some(a) = &spec.absenteeism {
        idle_absence_settings(a)?;
    }
    Ok(rule)
}

/// Absence settings that only a situation turns on: a threshold whose
/// situation is off.
fn idle_absence_settings(a: &AbsenteeismSpec) -> Result<(), RuleError> {
    let s = &a.situations;
    let idle = |field: &str, situation: &str| {
        RuleError::range(
            format!("absenteeism.{field}"),
            format!("does nothing without situations.{situation}: turn that situation on or remove the threshold"),
        )
    };
    if a.late_over_minutes.is_some() && !s.late_beyond {
        return Err(idle("late_over_minutes", "late_beyond"));
    }
    if a.early_over_minutes.is_some() && !s.early_beyond {
        return Err(idle("early_over_minutes", "early_beyond"));
    }
    // A unit without a stepped situation is idle too, but rules written by
    // ERPs and by people set it with the missing-punch situations alone
    // (one policy form for all): refusing it would turn those rules away
    // for a setting that changes no figure.
    Ok(())
}

/// Checks a rule and builds its evaluation form. Used for stored rule
/// versions too; new refusals that could reject a version accepted before
/// belong in [`validate_new`].
pub fn validate(spec: &RuleSpec) -> Result<Rule, RuleError> {
    if spec.name.trim().is_empty() {
        return Err(RuleError::range("name", "must not be empty"));
    }
    let tz: Tz = spec
        .time_zone
        .parse()
        .map_err(|_| RuleError::UnknownTimeZone { path: "time_zone".into(), name: spec.time_zone.clone() })?;
    let scheduled = spec.system == SystemKind::Scheduled;

    let rule_overtime = spec.overtime.as_ref().map(|o| overtime(o, "overtime")).transpose()?;
    let mut shifts = Vec::with_capacity(spec.shifts.len() + 1);
    let mut default_shift = None;
    if spec.shifts.is_empty() {
        return Err(RuleError::range("shifts", "at least one shift is required"));
    }
    if spec.shifts.len() > u16::MAX as usize - 1 {
        return Err(RuleError::range("shifts", "too many shifts"));
    }
    for (i, s) in spec.shifts.iter().enumerate() {
        let path = format!("shifts[{i}]");
        if s.name.trim().is_empty() {
            return Err(RuleError::range(format!("{path}.name"), "must not be empty"));
        }
        if spec.shifts[..i].iter().any(|o| o.name == s.name) {
            return Err(RuleError::DuplicateShift { path: format!("{path}.name"), name: s.name.clone() });
        }
        if s.non_workday_default {
            if let Some(j) = default_shift {
                return Err(RuleError::range(
                    format!("{path}.non_workday_default"),
                    format!("only one shift may be the non-workday default; shifts[{j}] already is"),
                ));
            }
            default_shift = Some(i);
        }
        if s.overtime.is_some() && rule_overtime.is_some() {
            return Err(RuleError::not_allowed(
                format!("{path}.overtime"),
                "the rule sets a rule-wide overtime; remove either it or the shift's own",
            ));
        }
        shifts.push(shift(s, spec.punch_mode, &path)?);
    }
    let user_shifts = shifts.len();
    same_weekly_threshold(&shifts)?;
    let non_workday_shift = match default_shift {
        Some(i) => ShiftId(i as u16),
        None => {
            // The seed: without a marked shift the non-workday default is
            // 09:00-18:00.
            shifts.push(builtin_default());
            ShiftId(user_shifts as u16)
        }
    };

    let system = system(spec, &shifts[..user_shifts])?;

    if scheduled && spec.tolerance.is_some() {
        return Err(RuleError::not_allowed("tolerance", "tolerances are not allowed with the scheduled system"));
    }
    let tolerance = match &spec.tolerance {
        None => Tolerance::default(),
        Some(t) => Tolerance {
            late: in_range(t.late_minutes, 0, MAX_TOLERANCE_MINUTES, "tolerance.late_minutes")?,
            early: in_range(t.early_minutes, 0, MAX_TOLERANCE_MINUTES, "tolerance.early_minutes")?,
        },
    };

    let absenteeism = spec.absenteeism.as_ref().map(absenteeism).transpose()?.flatten();

    let flex = match &spec.flex {
        None => Flex::default(),
        Some(f) => {
            if scheduled {
                return Err(RuleError::not_allowed("flex", "flex settings are not allowed with the scheduled system"));
            }
            if spec.punch_mode != PunchMode::Fixed {
                return Err(RuleError::not_allowed("flex", "flex settings need punch_mode \"fixed\""));
            }
            flex(f)?
        }
    };

    let locations = spec
        .locations
        .iter()
        .enumerate()
        .map(|(i, l)| location(l, &format!("locations[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;

    let anywhere = locations.is_empty() || locations.iter().any(|l| l.radius_m.is_none());
    let position_required_for = position_required_for(&spec.position_required_for, anywhere)?;

    if let Some(m) = &spec.make_up_punch {
        make_up_punch(m)?;
    }

    let validity = match &spec.validity {
        None => Validity::Always,
        Some(v) => validity(v)?,
    };

    Ok(Rule {
        name: spec.name.as_str().into(),
        system,
        punch_mode: spec.punch_mode,
        shifts,
        user_shifts,
        non_workday_shift,
        sign_out: spec.sign_out,
        tolerance,
        absenteeism,
        flex,
        overtime: rule_overtime,
        locations,
        tz,
        validity,
        work_time: spec.work_time,
        thresholds: spec.working_hours_thresholds.as_ref().map(thresholds).transpose()?,
        holiday_punches: spec.holiday_punches,
        auto_check_out: spec
            .auto_check_out_minutes
            .map(|v| in_range(v, 1, DAY, "auto_check_out_minutes"))
            .transpose()?,
        position_required_for,
        zone_cache: Default::default(),
    })
}

fn thresholds(t: &ThresholdsSpec) -> Result<Thresholds, RuleError> {
    let path = "working_hours_thresholds";
    let half_day_below =
        t.half_day_below_minutes.map(|v| in_range(v, 1, DAY, &format!("{path}.half_day_below_minutes"))).transpose()?;
    let absent_below =
        t.absent_below_minutes.map(|v| in_range(v, 1, DAY, &format!("{path}.absent_below_minutes"))).transpose()?;
    match (half_day_below, absent_below) {
        (None, None) => {
            return Err(RuleError::range(path, "set half_day_below_minutes, absent_below_minutes or both"));
        }
        (Some(h), Some(a)) if a >= h => {
            return Err(RuleError::range(
                format!("{path}.absent_below_minutes"),
                format!("{a} must be below half_day_below_minutes {h}: a day absent by worked time is also short of a half day"),
            ));
        }
        _ => {}
    }
    Ok(Thresholds { half_day_below, absent_below })
}

fn in_range(v: i64, lo: i64, hi: i64, path: &str) -> Result<i64, RuleError> {
    if v < lo || v > hi {
        return Err(RuleError::range(path, format!("must be {lo}..={hi}, got {v}")));
    }
    Ok(v)
}

fn clock(s: &str, path: &str) -> Result<i64, RuleError> {
    parse_hhmm(s).ok_or_else(|| RuleError::datetime(path, s, "expected a clock time \"HH:MM\" from 00:00 to 23:59"))
}

fn date(s: &str, path: &str) -> Result<NaiveDate, RuleError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| RuleError::datetime(path, s, "expected an existing date \"YYYY-MM-DD\""))
}

fn margin_for(first: i64, last: i64) -> i64 {
    (DAY - (last - first)).max(0) / 2
}

fn builtin_default() -> Shift {
    Shift {
        name: "09:00-18:00".into(),
        kind: ShiftKind::Fixed(vec![Period {
            start: 540,
            end: 1080,
            breaks: Vec::new(),
            check_in_window: None,
            check_out_window: None,
        }]),
        overtime: None,
        margin: margin_for(540, 1080),
    }
}

fn shift(s: &ShiftSpec, mode: PunchMode, path: &str) -> Result<Shift, RuleError> {
    let overtime = s.overtime.as_ref().map(|o| overtime(o, &format!("{path}.overtime"))).transpose()?;
    let kind = match (mode, &s.periods, &s.flexible) {
        (PunchMode::Fixed, Some(periods), None) => ShiftKind::Fixed(fixed_periods(periods, path)?),
        (PunchMode::Flexible, None, Some(f)) => {
            let p = |f: &str| format!("{path}.flexible.{f}");
            let work = in_range(f.work_minutes, 1, DAY, &p("work_minutes"))?;
            let earliest = clock(&f.earliest_check_in, &p("earliest_check_in"))?;
            let latest = clock(&f.latest_check_in, &p("latest_check_in"))?;
            if latest < earliest {
                return Err(RuleError::range(
                    p("latest_check_in"),
                    format!("{} is before earliest_check_in {}", f.latest_check_in, f.earliest_check_in),
                ));
            }
            if latest - earliest + work > DAY {
                return Err(RuleError::range(p("work_minutes"), "check-in window plus work minutes exceed 24 hours"));
            }
            ShiftKind::Flexible { work, earliest, latest }
        }
        (PunchMode::Fixed, _, _) => {
            return Err(RuleError::range(
                path,
                "punch_mode \"fixed\" needs \"periods\" (and no \"flexible\") on every shift",
            ))
        }
        (PunchMode::Flexible, _, _) => {
            return Err(RuleError::range(
                path,
                "punch_mode \"flexible\" needs \"flexible\" (and no \"periods\") on every shift",
            ))
        }
    };
    let mut shift = Shift { name: s.name.as_str().into(), kind, overtime, margin: 0 };
    let (first, last) = shift.span();
    shift.margin = margin_for(first, last);
    if let ShiftKind::Fixed(periods) = &shift.kind {
        windows(periods, shift.margin, path)?;
    }
    Ok(shift)
}

/// Punch windows may not reach into a neighbouring period, nor past the
/// middle of the off-duty time around the shift: there they would claim
/// punches that belong to another period or to another day.
fn windows(periods: &[Period], margin: i64, path: &str) -> Result<(), RuleError> {
    let n = periods.len();
    for (k, p) in periods.iter().enumerate() {
        let pp = format!("{path}.periods[{k}]");
        if let Some(w) = p.check_in_window {
            let (limit, why) = match k {
                0 => (
                    margin,
                    "half the off-duty time before the shift; a longer window would take the previous day's punches",
                ),
                _ => (
                    p.start - periods[k - 1].end,
                    "the gap after the previous period; a longer window would reach into it",
                ),
            };
            window_in_range(w, limit, why, &format!("{pp}.check_in_window_minutes"))?;
        }
        if let Some(w) = p.check_out_window {
            let (limit, why) = if k + 1 == n {
                (margin, "half the off-duty time after the shift; a longer window would take the next day's punches")
            } else {
                (periods[k + 1].start - p.end, "the gap before the next period; a longer window would reach into it")
            };
            window_in_range(w, limit, why, &format!("{pp}.check_out_window_minutes"))?;
        }
    }
    Ok(())
}

fn window_in_range(v: i64, limit: i64, why: &str, path: &str) -> Result<(), RuleError> {
    if v < 0 {
        return Err(RuleError::range(path, format!("must not be negative, got {v}")));
    }
    if v > limit {
        return Err(RuleError::range(path, format!("must be at most {limit} minutes ({why}), got {v}")));
    }
    Ok(())
}

/// Places a period's breaks on the shift's minute scale, checking that each
/// lies strictly inside the period and after the previous one.
fn breaks(
    spec: &[BreakSpec],
    period: (i64, i64),
    period_text: (&str, &str),
    seen: &mut usize,
    path: &str,
) -> Result<Vec<(i64, i64)>, RuleError> {
    let (start, end) = period;
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(spec.len());
    for (i, b) in spec.iter().enumerate() {
        let bp = format!("{path}.breaks[{i}]");
        *seen += 1;
        if *seen > MAX_BREAKS {
            return Err(RuleError::range(bp, format!("a shift may have at most {MAX_BREAKS} breaks")));
        }
        let raw_start = clock(&b.start, &format!("{bp}.start"))?;
        let raw_end = clock(&b.end, &format!("{bp}.end"))?;
        let len = (raw_end - raw_start).rem_euclid(DAY);
        if len == 0 {
            return Err(RuleError::range(format!("{bp}.end"), "end equals start"));
        }
        // The break's first occurrence at or after the period's start, so a
        // night period's 02:00 break lands after its 22:00 start.
        let bs = start + (raw_start - start).rem_euclid(DAY);
        let be = bs + len;
        if bs <= start || be >= end {
            return Err(RuleError::range(
                bp,
                format!(
                    "break {}-{} is not inside its period {}-{} (it must start after the period starts and end before it ends)",
                    b.start, b.end, period_text.0, period_text.1
                ),
            ));
        }
        if let Some(&(_, prev_end)) = out.last() {
            if bs < prev_end {
                return Err(RuleError::Overlap {
                    path: bp,
                    message: format!(
                        "break {}-{} overlaps {path}.breaks[{}] or comes before it",
                        b.start,
                        b.end,
                        i - 1
                    ),
                });
            }
        }
        out.push((bs, be));
    }
    Ok(out)
}

fn fixed_periods(periods: &[PeriodSpec], path: &str) -> Result<Vec<Period>, RuleError> {
    if periods.is_empty() {
        return Err(RuleError::range(format!("{path}.periods"), "at least one period is required"));
    }
    if periods.len() > MAX_PERIODS {
        return Err(RuleError::range(format!("{path}.periods"), format!("at most {MAX_PERIODS} periods")));
    }
    let mut out: Vec<Period> = Vec::with_capacity(periods.len());
    let mut seen_breaks = 0;
    for (i, p) in periods.iter().enumerate() {
        let pp = format!("{path}.periods[{i}]");
        let raw_start = clock(&p.start, &format!("{pp}.start"))?;
        let raw_end = clock(&p.end, &format!("{pp}.end"))?;
        let len = (raw_end - raw_start).rem_euclid(DAY);
        if len == 0 {
            return Err(RuleError::range(format!("{pp}.end"), "end equals start"));
        }
        // A later period starts at the first occurrence of its clock time at
        // or after the previous end, so 20:00-23:00 then 00:30-04:00 runs
        // into the next morning.
        let start = match out.last() {
            None => raw_start,
            Some(prev) => {
                let mut s = raw_start;
                while s < prev.end {
                    s += DAY;
                }
                s
            }
        };
        let end = start + len;
        if let Some(first) = out.first() {
            if end - first.start > DAY {
                return Err(RuleError::Overlap {
                    path: pp,
                    message: "periods must follow each other without overlap within 24 hours".into(),
                });
            }
        }
        let breaks = breaks(&p.breaks, (start, end), (&p.start, &p.end), &mut seen_breaks, &pp)?;
        out.push(Period {
            start,
            end,
            breaks,
            check_in_window: p.check_in_window_minutes,
            check_out_window: p.check_out_window_minutes,
        });
    }
    Ok(out)
}

fn overtime(o: &OvertimeSpec, path: &str) -> Result<Overtime, RuleError> {
    if let Some(t) = &o.time_off_in_lieu {
        time_off_in_lieu(t, &format!("{path}.time_off_in_lieu"))?;
    }
    let (day_over, week_over) =
        o.quantity.as_ref().map(|q| quantity(q, &format!("{path}.quantity"))).transpose()?.unwrap_or_default();
    Ok(Overtime {
        min_after_end: in_range(o.min_minutes_after_end, 0, DAY, &format!("{path}.min_minutes_after_end"))?,
        unit: in_range(o.unit_minutes, 1, DAY, &format!("{path}.unit_minutes"))?,
        count_rest_days: o.count_rest_days,
        count_holidays: o.count_holidays,
        count_before_start: o.count_before_start,
        day_over,
        week_over,
    })
}

/// Only checked here: the SQL layer keeps the time-off balance.
fn time_off_in_lieu(t: &TimeOffInLieuSpec, path: &str) -> Result<(), RuleError> {
    if t.leave_type.trim().is_empty() {
        return Err(RuleError::range(format!("{path}.leave_type"), "must not be empty"));
    }
    in_range(t.percent, 1, 400, &format!("{path}.percent"))?;
    Ok(())
}

/// Only checked here: the SQL layer enforces the limits. An empty object
/// would limit nothing.
fn make_up_punch(m: &MakeUpPunchSpec) -> Result<(), RuleError> {
    let path = "make_up_punch";
    if let Some(v) = m.monthly_limit {
        in_range(v, 0, 100, &format!("{path}.monthly_limit"))?;
    }
    if let Some(v) = m.within_days {
        in_range(v, 0, 366, &format!("{path}.within_days"))?;
    }
    if m.monthly_limit.is_none() && m.within_days.is_none() {
        return Err(RuleError::range(path, "set monthly_limit, within_days or both"));
    }
    Ok(())
}

/// The daily and weekly quantities; an empty object would do nothing.
fn quantity(q: &QuantitySpec, path: &str) -> Result<(Option<i64>, Option<i64>), RuleError> {
    let day = q.day_over_minutes.map(|v| in_range(v, 1, DAY, &format!("{path}.day_over_minutes"))).transpose()?;
    let week = q.week_over_minutes.map(|v| in_range(v, 1, WEEK, &format!("{path}.week_over_minutes"))).transpose()?;
    if day.is_none() && week.is_none() {
        return Err(RuleError::range(path, "set day_over_minutes, week_over_minutes or both"));
    }
    Ok((day, week))
}

/// A week is judged against one threshold whatever shifts it holds, so
/// shifts that set their own must agree.
fn same_weekly_threshold(shifts: &[Shift]) -> Result<(), RuleError> {
    let mut first: Option<(usize, i64)> = None;
    for (i, s) in shifts.iter().enumerate() {
        let Some(week) = s.overtime.and_then(|o| o.week_over) else { continue };
        match first {
            None => first = Some((i, week)),
            Some((j, w)) if w != week => {
                return Err(RuleError::range(
                    format!("shifts[{i}].overtime.quantity.week_over_minutes"),
                    format!("{week} differs from shifts[{j}]'s {w}: a week has one weekly overtime threshold"),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn weekday(w: &WeekdayRef) -> Option<usize> {
    match w {
        WeekdayRef::Number(n) => (1..=7).contains(n).then(|| (*n - 1) as usize),
        WeekdayRef::Name(s) => weekday_name(s),
    }
}

fn weekday_name(s: &str) -> Option<usize> {
    const NAMES: [(&str, &str); 7] = [
        ("mon", "monday"),
        ("tue", "tuesday"),
        ("wed", "wednesday"),
        ("thu", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    ];
    let lower = s.trim().to_ascii_lowercase();
    if let Ok(n) = lower.parse::<usize>() {
        return (1..=7).contains(&n).then(|| n - 1);
    }
    NAMES.iter().position(|(short, long)| lower == *short || lower == *long)
}

fn shift_ref(shifts: &[Shift], name: &str, path: &str) -> Result<ShiftId, RuleError> {
    shifts
        .iter()
        .position(|s| &*s.name == name)
        .map(|i| ShiftId(i as u16))
        .ok_or_else(|| RuleError::UnknownShift { path: path.into(), name: name.into() })
}

fn week(spec: &WeekPatternSpec, shifts: &[Shift], path: &str) -> Result<Week, RuleError> {
    let mut week: Week = [None; 7];
    let mut seen = [false; 7];
    for (key, value) in spec {
        let kp = format!("{path}.{key}");
        let day = weekday_name(key)
            .ok_or_else(|| RuleError::range(&kp, "expected a weekday \"mon\"..\"sun\" or \"1\"..\"7\""))?;
        if seen[day] {
            return Err(RuleError::range(&kp, "weekday listed twice"));
        }
        seen[day] = true;
        week[day] = value.as_deref().map(|n| shift_ref(shifts, n, &kp)).transpose()?;
    }
    Ok(week)
}

fn system(spec: &RuleSpec, shifts: &[Shift]) -> Result<System, RuleError> {
    // Exactly the section of the chosen system may be present: a leftover
    // section from another system would look effective but be ignored.
    let sections = [
        ("standard", spec.standard.is_some(), SystemKind::Standard),
        ("flexible", spec.flexible.is_some(), SystemKind::Flexible),
        ("odd_even_week", spec.odd_even_week.is_some(), SystemKind::OddEvenWeek),
        ("scheduled", spec.scheduled.is_some(), SystemKind::Scheduled),
    ];
    for (name, present, kind) in sections {
        if present && kind != spec.system {
            return Err(RuleError::not_allowed(
                name,
                format!("section \"{name}\" does not belong to system {:?}", spec.system),
            ));
        }
    }
    let missing = |name: &str| RuleError::Malformed {
        path: name.into(),
        message: format!("system \"{name}\" needs its \"{name}\" section"),
    };
    Ok(match spec.system {
        SystemKind::Standard => {
            let s = spec.standard.as_ref().ok_or_else(|| missing("standard"))?;
            let mut workdays = [false; 7];
            for (i, w) in s.workdays.iter().enumerate() {
                let day = weekday(w).ok_or_else(|| {
                    RuleError::range(format!("standard.workdays[{i}]"), "expected 1..7 or \"mon\"..\"sun\"")
                })?;
                workdays[day] = true;
            }
            System::Standard { workdays, shift: shift_ref(shifts, &s.shift, "standard.shift")? }
        }
        SystemKind::Flexible => {
            let s = spec.flexible.as_ref().ok_or_else(|| missing("flexible"))?;
            System::Flexible { week: week(&s.days, shifts, "flexible.days")? }
        }
        SystemKind::OddEvenWeek => {
            let s = spec.odd_even_week.as_ref().ok_or_else(|| missing("odd_even_week"))?;
            let anchor = s
                .anchor_week
                .as_deref()
                .map(|a| date(a, "odd_even_week.anchor_week"))
                .transpose()?
                .map(|d| d - chrono::Days::new(d.weekday().num_days_from_monday() as u64));
            System::OddEven {
                odd: week(&s.odd, shifts, "odd_even_week.odd")?,
                even: week(&s.even, shifts, "odd_even_week.even")?,
                anchor,
            }
        }
        SystemKind::Scheduled => {
            let s = spec.scheduled.clone().unwrap_or_default();
            System::Scheduled {
                allow_unscheduled_punch: s.allow_unscheduled_punch,
                self_select: s.self_select_when_unscheduled,
                modify_history: s.modify_history,
            }
        }
    })
}

fn absenteeism(a: &AbsenteeismSpec) -> Result<Option<Absenteeism>, RuleError> {
    let late_over = a.late_over_minutes.map(|v| in_range(v, 0, DAY, "absenteeism.late_over_minutes")).transpose()?;
    let early_over = a.early_over_minutes.map(|v| in_range(v, 0, DAY, "absenteeism.early_over_minutes")).transpose()?;
    let unit = in_range(a.unit_minutes.unwrap_or(1), 1, DAY, "absenteeism.unit_minutes")?;
    let s = &a.situations;
    if s.late_beyond && late_over.is_none() {
        return Err(RuleError::range("absenteeism.late_over_minutes", "required when situations.late_beyond is on"));
    }
    if s.early_beyond && early_over.is_none() {
        return Err(RuleError::range("absenteeism.early_over_minutes", "required when situations.early_beyond is on"));
    }
    if !a.enabled {
        return Ok(None);
    }
    Ok(Some(Absenteeism {
        late_over,
        early_over,
        unit,
        no_punch_all_day: s.no_punch_all_day,
        missing_check_in: s.missing_check_in,
        missing_check_out: s.missing_check_out,
        late_beyond: s.late_beyond,
        early_beyond: s.early_beyond,
    }))
}

fn allowance(a: &FlexAllowanceSpec, path: &str) -> Result<Allowance, RuleError> {
    Ok(Allowance { mode: a.mode, minutes: in_range(a.minutes, 1, MAX_FLEX_MINUTES, &format!("{path}.minutes"))? })
}

fn flex(f: &FlexSpec) -> Result<Flex, RuleError> {
    let early_early =
        f.early_arrive_early_leave.as_ref().map(|a| allowance(a, "flex.early_arrive_early_leave")).transpose()?;
    let late_late =
        f.late_arrive_late_leave.as_ref().map(|a| allowance(a, "flex.late_arrive_late_leave")).transpose()?;
    let leave_late = match &f.leave_late_arrive_late {
        None => None,
        Some(l) => {
            let path = "flex.leave_late_arrive_late.tiers";
            if l.tiers.is_empty() {
                return Err(RuleError::range(path, "at least one tier is required"));
            }
            if l.tiers.len() > MAX_TIERS {
                return Err(RuleError::range(path, format!("at most {MAX_TIERS} tiers, got {}", l.tiers.len())));
            }
            let tiers = l
                .tiers
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Ok(Tier {
                        left_after: in_range(t.left_after_minutes, 1, 720, &format!("{path}[{i}].left_after_minutes"))?,
                        may_arrive_late: in_range(
                            t.may_arrive_late_minutes,
                            1,
                            MAX_FLEX_MINUTES,
                            &format!("{path}[{i}].may_arrive_late_minutes"),
                        )?,
                    })
                })
                .collect::<Result<Vec<_>, RuleError>>()?;
            Some((l.mode, tiers))
        }
    };
    Ok(Flex { early_early, late_late, leave_late })
}

/// The sources whose punches need a position. Make-up and appeal punches
/// are added by people and never carry one; and where punches count
/// anywhere, a position would never be looked at.
fn position_required_for(list: &[PunchSource], anywhere: bool) -> Result<Vec<PunchSource>, RuleError> {
    let path = "position_required_for";
    for (i, s) in list.iter().enumerate() {
        if !s.is_real() {
            return Err(RuleError::range(
                format!("{path}[{i}]"),
                format!(
                    "{:?} punches are added by people, not made at a place: they never carry a position",
                    s.as_str()
                ),
            ));
        }
        if list[..i].contains(s) {
            return Err(RuleError::range(format!("{path}[{i}]"), format!("{:?} is listed twice", s.as_str())));
        }
    }
    if !list.is_empty() && anywhere {
        return Err(RuleError::range(
            path,
            "needs locations that all have a radius_m: otherwise punches count anywhere and a position is never checked",
        ));
    }
    Ok(list.to_vec())
}

fn location(l: &LocationSpec, path: &str) -> Result<Location, RuleError> {
    if !(l.lat.is_finite() && (-90.0..=90.0).contains(&l.lat)) {
        return Err(RuleError::range(format!("{path}.lat"), format!("must be -90..=90, got {}", l.lat)));
    }
    if !(l.lon.is_finite() && (-180.0..=180.0).contains(&l.lon)) {
        return Err(RuleError::range(format!("{path}.lon"), format!("must be -180..=180, got {}", l.lon)));
    }
    if let Some(r) = l.radius_m {
        if !(r.is_finite() && r >= 0.0) {
            return Err(RuleError::range(format!("{path}.radius_m"), format!("must be >= 0 metres, got {r}")));
        }
    }
    Ok(Location::new(l.name.clone(), l.lat, l.lon, l.radius_m))
}

fn validity(v: &ValiditySpec) -> Result<Validity, RuleError> {
    match v {
        ValiditySpec::Range(r) => {
            let from = date(&r.from, "validity.range.from")?;
            let to = date(&r.to, "validity.range.to")?;
            if to <= from {
                return Err(RuleError::range("validity.range.to", format!("{} must be after from {}", r.to, r.from)));
            }
            Ok(Validity::Range { from, to })
        }
        ValiditySpec::Yearly(cycles) => {
            if cycles.is_empty() {
                return Err(RuleError::range("validity.yearly", "at least one cycle is required"));
            }
            // Which cycle owns each day of a leap year; a second owner is an
            // overlap.
            let mut owner: [Option<usize>; 366] = [None; 366];
            let mut out = Vec::with_capacity(cycles.len());
            for (i, c) in cycles.iter().enumerate() {
                let p = format!("validity.yearly[{i}]");
                let from = parse_month_day(&c.from).ok_or_else(|| {
                    RuleError::datetime(format!("{p}.from"), &c.from, "expected an existing day \"MM-DD\"")
                })?;
                let to = parse_month_day(&c.to).ok_or_else(|| {
                    RuleError::datetime(format!("{p}.to"), &c.to, "expected an existing day \"MM-DD\"")
                })?;
                if from == to {
                    return Err(RuleError::range(format!("{p}.to"), "must differ from from"));
                }
                let cycle = Cycle { from, to };
                for day in cycle_days(&cycle) {
                    if let Some(j) = owner[day] {
                        return Err(RuleError::Overlap {
                            path: p,
                            message: format!("cycle {}..{} overlaps validity.yearly[{j}]", c.from, c.to),
                        });
                    }
                    owner[day] = Some(i);
                }
                out.push(cycle);
            }
            Ok(Validity::Yearly(out))
        }
    }
}
